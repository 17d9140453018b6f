"""`planner plan`: one folder with the report, the spreadsheet, the CSVs and a manifest that agree."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from planner.cli import main
from planner.outputs.report import SECTIONS
from tests.conftest import DEFAULT_DIR, GOLDEN_DIR

REPO_OFFICIALS = DEFAULT_DIR / "officials.csv"



@pytest.mark.slow
def test_plan_writes_every_artefact(planned):
    for name in ("report.html", "plan.xlsx", "manifest.json", "summary.json", "staffing_summary.csv",
                 "shifts.csv", "demand_monthly.csv", "charts/fte_needed.png", "charts/heatmap_mikkeli.png"):
        assert (planned / name).is_file(), name
    manifest = json.loads((planned / "manifest.json").read_text(encoding="utf-8"))
    assert {"input_hash", "versions", "steps", "timings_seconds", "files"} <= set(manifest)
    assert manifest["versions"]["ortools"] != "not installed"
    assert set(manifest["steps"]["staffing"]) == {"status", "objective", "best_bound", "gap"}
    assert manifest["steps"]["roster"]["status"] in ("OPTIMAL", "FEASIBLE")
    # Which part of the horizon was rostered, and why, is said (the horizon is two months, the roster four weeks).
    period = manifest["steps"]["roster"]["period"]
    assert period.startswith("2015-01-01 – 2015-01-28, 4 weeks of the horizon 2015-01-01 – 2015-02-28")
    assert "[roster] weeks = 4" in period
    for name in ("roster.csv", "roster_by_advisor.csv", "violations.csv", "summary.json"):
        assert (planned / "roster" / name).is_file(), name


@pytest.mark.slow
def test_report_is_self_contained_with_every_section(planned):
    text = (planned / "report.html").read_text(encoding="utf-8")
    for heading in (*SECTIONS, "Week rosters to publish", "Rosters", "Outreach calendar and routes", "Costs",
                    "Cost against access", "Violations and unmet demand"):
        assert f"<h2>{heading}</h2>" in text
    assert text.index("<h2>Headline</h2>") < text.index("<h2>Demand by provider</h2>"), "the headline comes first"
    assert not re.search(r'(src|href)="(https?:)?//', text), "the report must open offline"
    assert text.count("data:image/png;base64,") >= 18  # 5 demand, FTE, 5 heatmaps, 5 rosters, the map, Pareto
    for point in ("Mikkeli", "Kiiminki", "Parainen", "Pelkosenniemi", "Saarijärvi"):
        assert point in text


@pytest.mark.slow
def test_report_and_summary_state_every_steps_status_bound_and_gap(planned):
    """A reader of report.html or summary.json learns how good the roster and outreach are, not only staffing."""
    manifest = json.loads((planned / "manifest.json").read_text(encoding="utf-8"))
    summary = json.loads((planned / "summary.json").read_text(encoding="utf-8"))
    assert summary["status_of"].startswith("staffing")
    for step in ("staffing", "roster", "outreach"):
        assert summary["steps"][step]["status"] == manifest["steps"][step]["status"]
        assert summary["steps"][step]["best_bound"] == manifest["steps"][step]["best_bound"]
    text = html.unescape((planned / "report.html").read_text(encoding="utf-8"))
    body = text[text.rindex("<h2>How good the plan is (solver results)</h2>"):]
    table = pd.read_html(StringIO(body))[0]
    roster = json.loads((planned / "roster" / "summary.json").read_text(encoding="utf-8"))
    outreach = json.loads((planned / "outreach" / "summary.json").read_text(encoding="utf-8"))
    rows = table.set_index(["step", "part"])
    assert rows.loc[("roster", "all points"), "status"] == roster["status"]
    assert rows.loc[("roster", "all points"), "best bound"] == pytest.approx(roster["best_bound"], abs=0.01)
    assert rows.loc[("outreach", "all points"), "status"] == outreach["status"]
    assert rows.loc[("outreach", "all points"), "objective"] == pytest.approx(outreach["objective"], abs=0.01)
    assert rows.loc[("outreach", "all points"), "gap %"] == pytest.approx(100 * outreach["gap"], abs=0.01)
    assert len(table[table["step"] == "roster"]) == 1 + len(roster["groups"])  # the total and every point group
    # The providers' headline table shows the customers the plan serves by video, as headline_providers.csv does.
    providers = pd.read_csv(planned / "headline_providers.csv")
    assert "by_video" in providers
    headline = text[text.index('<div class="box providers">'):]
    shown = pd.read_html(StringIO(headline))[0]
    # Two header rows: over compensation "a year", over the outreach columns their horizon (the trial: a quarter's
    # outreach € stood beside € a year with nothing to tell them apart).
    over = {top for top, _ in shown.columns}
    assert "a year" in over and "outreach 1.1.–28.2.2015 (2 months), not a year" in over
    shown = shown.droplevel(0, axis=1).set_index("Provider")
    assert shown.loc["Total", "by video"] == pytest.approx(providers.set_index("provider_id").loc["total", "by_video"])
    assert (providers["outreach_from"] == outreach["horizon"]["start"]).all()
    assert (providers["outreach_to"] == outreach["horizon"]["end"]).all()


@pytest.mark.slow
def test_spreadsheet_and_csv_agree_with_real_types(planned):
    book = load_workbook(planned / "plan.xlsx")
    assert {"staffing summary", "shifts", "demand by month"} <= set(book.sheetnames)
    sheet = book["staffing summary"]
    assert sheet.freeze_panes == "B2"  # the header row and the first column
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    csv = pd.read_csv(planned / "staffing_summary.csv")
    from_sheet = {(r["point"], r["month"].strftime("%Y-%m")): r["FTE needed"] for r in rows}
    for row in csv.itertuples():
        assert from_sheet[(row.point_id, row.month)] == pytest.approx(row.fte_needed, abs=1e-3)
        assert isinstance(from_sheet[(row.point_id, row.month)], float)
    shifts = book["shifts"]
    date_column = [c.value for c in shifts[1]].index("date")
    assert isinstance(shifts.cell(row=2, column=date_column + 1).value, dt.datetime | dt.date)


def report_tables(page: Path) -> dict[str, list[pd.DataFrame]]:
    """The tables of report.html, by section heading, read back as a reader's browser shows them."""
    text = page.read_text(encoding="utf-8")
    found = {}
    for heading, body in re.findall(r"<section id=\"s\d+\"><h2>(.*?)</h2>(.*?)</section>", text, flags=re.S):
        found[html.unescape(heading)] = pd.read_html(StringIO(body)) if "<table" in body else []
    return found


def sheet_frame(book, name: str) -> pd.DataFrame:
    rows = list(book[name].values)
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.mark.slow
def test_report_spreadsheet_and_csvs_agree_on_rosters_and_outreach(planned):
    book = load_workbook(planned / "plan.xlsx")
    report = report_tables(planned / "report.html")
    # An advisor's paid hours over the roster: roster.csv, the report's table, two sheets.
    shifts = pd.read_csv(planned / "roster" / "roster.csv")
    by_advisor = pd.read_csv(planned / "roster" / "roster_by_advisor.csv").set_index("advisor")
    in_report = next(t for t in report["Rosters"] if "paid hours" in t.columns).set_index("advisor")
    in_sheet = sheet_frame(book, "roster by advisor").set_index("advisor")
    roster_sheets = pd.concat([sheet_frame(book, n) for n in book.sheetnames if n.startswith("roster ")
                               and n not in ("roster by advisor", "roster violations")])
    assert len(roster_sheets) == len(shifts)
    for advisor, row in by_advisor.iterrows():
        hours = shifts.loc[shifts["advisor"] == advisor, "paid_hours"].sum()
        assert row["paid_hours"] == pytest.approx(hours, abs=0.01)
        assert in_report.loc[advisor, "paid hours"] == pytest.approx(hours, abs=0.01)
        assert in_sheet.loc[advisor, "paid hours"] == pytest.approx(hours, abs=0.01)
        assert roster_sheets.loc[roster_sheets["advisor"] == advisor, "paid hours"].sum() == pytest.approx(hours, abs=0.01)
    # The officials' cost of the outreach plan: visits.csv, summary.json, the report's cost table, the sheets.
    visits = pd.read_csv(planned / "outreach" / "visits.csv")
    summary = json.loads((planned / "outreach" / "summary.json").read_text(encoding="utf-8"))
    from_visits = visits[["car_eur", "salary_eur", "productivity_eur"]].sum().sum()
    assert summary["official_cost_eur"] == pytest.approx(from_visits, abs=0.05)
    plans_in_report = report["Costs"][0].set_index("plan")
    assert plans_in_report.loc["this plan", "official cost €"] == pytest.approx(from_visits, abs=0.05)
    assert sheet_frame(book, "costs").set_index("plan").loc["this plan", "official cost €"] == pytest.approx(
        from_visits, abs=0.05)
    per_official = visits.groupby("official_id")["car_eur"].sum()
    officials_in_report = report["Costs"][1].set_index("official")
    officials_in_sheet = sheet_frame(book, "costs by official").set_index("official")
    official_names = pd.read_csv(REPO_OFFICIALS).set_index("official_id")["name"]
    for official, car in per_official.items():
        assert officials_in_report.loc[official_names[official], "car €"] == pytest.approx(car, abs=0.01)
        assert officials_in_sheet.loc[official, "car €"] == pytest.approx(car, abs=0.01)
    # Totals add up the rounded rows shown, to the cent (the trial: a total 0.19 € off its rows' sum).
    rows = officials_in_report.drop(index="total")
    for column in ("car €", "official cost €"):
        assert officials_in_report.loc["total", column] == round(rows[column].sum(), 2)
    providers = pd.read_csv(planned / "headline_providers.csv").set_index("provider_id")
    assert providers.loc["total", "outreach_cost_eur"] == round(providers.drop(index="total")["outreach_cost_eur"].sum(), 2)
    assert len(sheet_frame(book, "visits")) == len(visits)
    assert sheet_frame(book, "access")["served locally"].sum() == pd.read_csv(
        planned / "outreach" / "access.csv")["served_locally"].sum()


def test_formula_like_text_is_neutralised_in_csv_and_xlsx(tmp_path):
    from planner.base.io import write_csv
    from planner.outputs.workbook import write_workbook

    frame = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "Anna"], "hours": [1.5, 2, 3, 4, -5]})
    write_csv(frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8")
    # Every line exactly: text neutralised, the number -5 left a number (every column type: test_io_neutralise.py).
    assert text.splitlines() == ["name,hours", "\"'=HYPERLINK(\"\"x\"\")\",1.5", "'+1,2.0", "'-2,3.0", "'@SUM(A1),4.0",
                                 "Anna,-5.0"]
    write_workbook({"t": frame}, tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")["t"]
    assert [sheet.cell(row=r, column=1).value for r in range(2, 7)] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)",
                                                                        "Anna"]
    assert sheet.cell(row=6, column=2).value == -5


@pytest.mark.slow
def test_resume_recomputes_only_what_is_missing(tmp_path):
    # The golden scenario (two points, January, a work budget): under load a wall cap stopped a solve
    # at another point, the staffing piece recomputed differed, and the rosters downstream were
    # (rightly) not reused. Two points are enough for "one missing, the other read back".
    scenario = GOLDEN_DIR
    out = tmp_path / "out"
    args = ["plan", str(scenario), "-o", str(out), "--quiet", "--workers", "2"]
    assert CliRunner().invoke(main, args).exit_code == 0
    pieces = sorted((out / ".tasks" / "staffing").glob("*.pkl"))
    assert len(pieces) == 2
    pieces[0].unlink()  # as if that task had failed or its worker had been killed
    result = CliRunner().invoke(main, [*args, "--resume"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    reused = manifest["reused_tasks"]
    assert len([key for key in reused if ":" not in key]) == 1  # the deleted staffing piece was computed again
    points = {"pelkosenniemi", "saarijarvi"}
    assert {f"roster:{p}" for p in points} <= set(reused)  # roster groups and outreach areas were read back
    assert any(key.startswith("outreach:") for key in reused)
    assert len(list((out / ".tasks" / "staffing").glob("*.pkl"))) == 2
    first = pd.read_csv(out / "staffing_summary.csv")
    assert set(first["point_id"]) == points


def test_a_national_report_charts_the_largest_points_and_says_so():
    from types import SimpleNamespace

    from planner.outputs.report import MAX_POINT_CHARTS, charted_points

    ids = [f"p{n:03d}" for n in range(60)]
    scenario = SimpleNamespace(points=[SimpleNamespace(point_id=p) for p in ids])
    summary = pd.DataFrame({"point_id": ids * 2, "fte_needed": [n % 7 + n / 100 for n in range(60)] * 2})
    chosen, note = charted_points(scenario, SimpleNamespace(summary=summary))
    assert len(chosen) == MAX_POINT_CHARTS and chosen == sorted(chosen)  # scenario order kept
    need = summary.groupby("point_id")["fte_needed"].mean()
    assert need[chosen].min() >= need.drop(index=chosen).max()
    assert f"{MAX_POINT_CHARTS} of 60 points" in note
    few = SimpleNamespace(points=scenario.points[:5])
    assert charted_points(few, SimpleNamespace(summary=summary)) == (ids[:5], "")


def test_the_rostered_period_is_said_in_words(default_scenario):
    from planner.run.pipeline import roster_period_words

    horizon = default_scenario.config.horizon.model_copy(update={"months": 1, "start": dt.date(2015, 2, 1)})
    february = default_scenario.model_copy(update={"config": default_scenario.config.model_copy(
        update={"horizon": horizon})})
    days = [dt.date(2015, 2, 1) + dt.timedelta(days=k) for k in range(28)]
    assert roster_period_words(february, days) == "the whole horizon, 2015-02-01 – 2015-02-28"
    words = roster_period_words(default_scenario, days[:14])
    assert words.startswith("2015-02-01 – 2015-02-14, 2 weeks of the horizon 2015-01-01 – 2015-12-31")


def test_solver_results_say_what_the_bound_of_a_roster_in_work_periods_is():
    """A roster made in work periods shows its gap against its bound (periods alone, or Lagrangian), said so."""
    from planner.outputs.i18n import Words
    from planner.run.pipeline import solver_results

    staffing = {"status": "OPTIMAL", "objective": 10.0, "best_bound": 10.0, "gap": 0.0, "points": {}}
    roster = {"status": "FEASIBLE", "objective": 80547.0, "best_bound": 76688.0, "gap": 0.0479,
              "groups": {"mikkeli": {"status": "FEASIBLE", "objective": 16150.0, "best_bound": 15335.0, "gap": 0.0505,
                                     "work_periods": [{"from": "2015-01-01", "to": "2015-01-28", "status": "OPTIMAL",
                                                       "objective": 8000.0, "best_bound": 8000.0, "gap": 0.0},
                                                      {"from": "2015-01-29", "to": "2015-02-25", "status": "FEASIBLE",
                                                       "objective": 8150.0, "best_bound": 7335.0, "gap": 0.1}]},
                         "pelkosenniemi": {"status": "OPTIMAL", "objective": 60.0, "best_bound": 60.0, "gap": 0.0}}}
    table = solver_results(staffing, roster, None, Words("en")).set_index(["step", "part"])
    for part in ("all points", "mikkeli"):
        assert "made in 2 work periods" in table.loc[("roster", part), "objective_is"]
        said = table.loc[("roster", part), "objective_is"]
        assert "the whole roster's LP relaxation and a Lagrangian bound" in said and "each period alone" in said
    assert table.loc[("roster", "mikkeli"), "gap_percent"] == 5.05
    # Each work period's own status, bound and gap (a new user found them only in summary.json).
    second = table.loc[("roster", "mikkeli, work period 2015-01-29 – 2015-02-25")]
    assert (second["status"], second["best_bound"], second["gap_percent"]) == ("FEASIBLE", 7335.0, 10.0)
    assert table.loc[("roster", "mikkeli, work period 2015-01-01 – 2015-01-28"), "gap_percent"] == 0.0
    assert "work periods" not in table.loc[("roster", "pelkosenniemi"), "objective_is"]
    assert table.loc[("roster", "pelkosenniemi"), "gap_percent"] == 0.0


def test_the_terminal_s_persons_needed_are_the_headline_s(tmp_path):
    """`planner staff` / `plan` print the persons needed the headline shows: the monthly headcount, or the most
    different people the sizing shift plan puts on one day, marked and said (a new user read 2 on the terminal
    and 3 in the report for one point). The pilots' January: Mikkeli, Kiiminki and Parainen put more people on some
    day than their monthly headcount (the golden two points did only through the whole week's back office landing on
    Fri 2.1., which it no longer does)."""
    from planner.outputs.headline import build_headline
    from planner.outputs.i18n import Words
    from planner.outputs.text import staffing_summary
    from planner.run.pipeline import run_staffing
    from planner.scenario.loading import load_scenario

    scenario, _ = load_scenario(DEFAULT_DIR)
    january = scenario.config.horizon.model_copy(update={"months": 1})
    scenario = scenario.model_copy(update={"config": scenario.config.model_copy(update={"horizon": january})})
    sizing = run_staffing(scenario, tmp_path / "staff").results["staffing"]
    headline = build_headline(scenario, sizing, Words("en", scenario)).points.set_index("point_id")
    text = staffing_summary(scenario, sizing)
    for point, row in headline.iterrows():
        line = next(line for line in text.splitlines() if line.startswith(point + " "))
        assert line.split()[5].rstrip("*") == str(row["persons_needed"]), line
        if row["max_people_on_a_day"] > row["headcount_needed"]:
            assert f"* {point}: the sizing shift plan (shifts.csv) puts {row['max_people_on_a_day']} different people" \
                in text
    assert (headline["max_people_on_a_day"] > headline["headcount_needed"]).any()  # the case is exercised
