"""Rosters end to end: the pilots' rosters pass the independent checker; CLI exit codes and files."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.base.decompose import restrict_to_points
from planner.base.text import quantity
from planner.checks import roster as checker
from planner.cli import main
from planner.rosters import roster as rostering
from planner.rosters.stage import make_roster, requirements_for
from planner.run.pipeline import run_roster
from planner.scenario.loading import load_scenario
from planner.scenario.schemas import AbsenceRow, RosterRequestRow
from tests.conftest import DEFAULT_DIR, edit_cell

pytestmark = pytest.mark.slow  # end-to-end runs and long searches: not in `make test-quick`


def rows_of(scenario, run) -> list[dict[str, str]]:
    table = rostering.roster_table(scenario, run)
    return [{k: str(v) for k, v in r.items()} for r in table.to_dict("records")]


def short(scenario, months: int = 1):
    """The scenario over its first month only (faster forecasts)."""
    horizon = scenario.config.horizon.model_copy(update={"months": months})
    return scenario.model_copy(update={"config": scenario.config.model_copy(update={"horizon": horizon})})


@pytest.fixture(scope="module")
def pilots(tmp_path_factory):
    """The demo's rosters: the five pilots, the first four weeks of the horizon (files written)."""
    scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
    scenario = short(scenario, 2)
    out = tmp_path_factory.mktemp("demo_roster")
    done = run_roster(scenario, out / "roster", weeks=4, time_limit=2)
    run = done.results["roster"]
    assert sorted(p.name for p in done.written if p.suffix) == ["roster.csv", "roster_by_advisor.csv", "summary.json",
                                                               "violations.csv"]
    return scenario, run


def test_the_five_pilots_get_four_week_rosters_that_pass_the_checker(pilots):
    scenario, run = pilots
    assert sorted(p for g in run.groups for p in g.points) == ["kiiminki", "mikkeli", "parainen", "pelkosenniemi",
                                                             "saarijarvi"]
    assert len(run.dates) == 28 and run.dates[0] == dt.date(2015, 1, 1)
    for g in run.groups:
        assert g.solution.status in ("OPTIMAL", "FEASIBLE")
        assert g.solution.bound is not None and g.solution.bound <= g.solution.objective + 1e-6
        if g.solution.time_limited:
            assert g.solution.status != "OPTIMAL"
    result = checker.check(scenario, rows_of(scenario, run), run.dates[0], 4, requirements_for(scenario))
    assert result.hard == []
    assert result.objective == sum(g.solution.objective for g in run.groups)
    # Every advisor works; nobody on an absence (mikko's training 14-16 Jan).
    roster = rostering.roster_table(scenario, run)
    assert not ((roster["advisor"] == "mikko") & roster["date"].between("2015-01-14", "2015-01-16")).any()
    assert not (roster["date"] == "2015-01-01").any()  # New Year's Day: points closed


def test_violations_are_in_words(pilots):
    _, run = pilots
    table = rostering.violations_table(run)
    assert (table["penalty"] == table["amount"] * table["weight"] * table["intervals"]).all()
    assert table["penalty"].sum() == sum(g.solution.objective for g in run.groups)
    cover = table[table["family"] == "cover_under"]
    assert cover["message"].str.match(r"^[\w ]+, \w{3} \d+ \w{3} \d\d:\d\d–\d\d:\d\d: (?:1 advisor|\d+ advisors) short of \d+$").all()
    assert (cover["intervals"] > 1).any()  # runs of short intervals are one row


def test_by_advisor_hours_match_the_roster(pilots):
    scenario, run = pilots
    roster = rostering.roster_table(scenario, run)
    by = rostering.by_advisor_table(scenario, run).set_index("advisor")
    paid = roster.groupby("advisor")["paid_hours"].sum()
    for advisor, hours in paid.items():
        assert by.loc[advisor, "paid_hours"] == pytest.approx(hours)
        weeks = [float(part.split(" ")[1]) for part in by.loc[advisor, "hours_by_week"].split("|")]
        assert sum(weeks) == pytest.approx(hours) and len(weeks) == 5  # Thu 1 Jan – Wed 28 Jan: ISO weeks 1-5


def test_checker_finds_hard_breaches(pilots):
    scenario, run = pilots
    rows = rows_of(scenario, run)
    first = dict(rows[0])
    edited = [*rows, dict(first), {**first, "date": "2015-01-04"}, {**first, "advisor": "mikko", "date": "2015-01-15",
                                                                      "point": "mikkeli"}]
    result = checker.check(scenario, edited, run.dates[0], 4, requirements_for(scenario))
    families = {f.rule for f in result.hard}
    assert {"one_shift_a_day", "closed", "absence"} <= families


scenario_base = None


def tiny_scenario():
    global scenario_base
    if scenario_base is None:
        scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
        scenario_base = short(restrict_to_points(scenario, {"saarijarvi", "pelkosenniemi"}))
    return scenario_base


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Always one roster over contract (Saarijärvi's two advisors at 0.2 FTE) and one under (both at 1.0).
@example(ftes=(0.2, 0.2), away=[], requests=[])
@example(ftes=(1.0, 1.0), away=[], requests=[])
@given(
    ftes=st.tuples(st.sampled_from([0.2, 0.5, 0.8, 1.0]), st.sampled_from([0.2, 0.5, 0.8, 1.0])),
    away=st.lists(st.tuples(st.integers(0, 13), st.integers(0, 3), st.sampled_from(["heikki", "marja", "eila"])),
                  max_size=2),
    requests=st.lists(st.tuples(st.integers(0, 13), st.sampled_from(["day_off", "prefer_shift", "avoid_shift"]),
                                st.sampled_from([None, dt.time(10, 0), dt.time(11, 0)]),
                                st.sampled_from(["heikki", "marja"]), st.integers(0, 20)), max_size=3),
)
def test_any_solver_roster_passes_the_checker_with_its_objective(ftes, away, requests):
    base = tiny_scenario()
    start = dt.date(2015, 1, 5)
    advisors = tuple(a.model_copy(update={"fte": ftes[i]}) if i < 2 else a
                     for i, a in enumerate(sorted(base.advisors, key=lambda a: a.advisor_id != "heikki"
                                                  and a.advisor_id != "marja")))
    absences = tuple(AbsenceRow(advisor_id=who, start=start + dt.timedelta(days=d),
                                end=start + dt.timedelta(days=d + n)) for d, n, who in away)
    reqs = tuple(RosterRequestRow(advisor_id=who, date=start + dt.timedelta(days=d), kind=kind, start=at, weight=w)
                 for d, kind, at, who, w in requests)
    scenario = base.model_copy(update={"advisors": advisors, "absences": absences, "roster_requests": reqs})
    run, _ = make_roster(scenario, start=start, weeks=2, time_limit=1)
    result = checker.check(scenario, rows_of(scenario, run), start, 2, requirements_for(scenario))
    assert result.hard == []
    assert result.objective == sum(g.solution.objective for g in run.groups)
    assert sorted((f.rule, f.message) for f in result.soft) == sorted(
        (v.family, v.message) for g in run.groups for v in g.solution.violations)


def test_add_contract_hours_breach_names_its_weeks_and_keeps_its_penalty():
    """One advisor, two weeks from a Wednesday (ISO weeks 2-4), away one day: every open day is worked."""
    scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
    scenario = short(restrict_to_points(scenario, {"saarijarvi"}))
    heikki = next(a for a in scenario.advisors if a.advisor_id == "heikki").model_copy(update={"fte": 0.4})
    away = AbsenceRow(advisor_id="heikki", start=dt.date(2015, 1, 15), end=dt.date(2015, 1, 15))
    scenario = scenario.model_copy(update={"advisors": (heikki,), "absences": (away,), "roster_requests": ()})
    start = dt.date(2015, 1, 7)
    run, _ = make_roster(scenario, start=start, weeks=2, time_limit=5)
    solution = run.groups[0].solution
    assert solution.status == "OPTIMAL"
    # The objective before the weeks were named (same instance, commit 7075686): still averaged over the horizon.
    assert solution.objective == 210858
    (contract,) = [v for v in solution.violations if v.family.startswith("contract")]
    # 9 shifts of 5 h against 0.4 × 36.25 h / 5 = 174 min a contract day: 2700 − 1566 − 120 min tolerance.
    assert (contract.family, contract.amount, contract.penalty) == ("contract_over", 1014, 2028)
    # Weeks: 3, 4 (Thu 15 Jan away) and 2 contract days, 5 h paid a day each.
    message = ("Heikki Koskinen: 16.9 h over contract beyond its tolerance over the roster (target 26.1 h ± 2 h); "
               "week 2: +6.3 h, week 3: +8.4 h, week 4: +4.2 h")
    assert contract.message == message
    table = rostering.violations_table(run)
    assert table[table["family"] == "contract_over"]["message"].tolist() == [message]
    result = checker.check(scenario, rows_of(scenario, run), start, 2, requirements_for(scenario))
    assert [f.message for f in result.soft if f.rule == "contract_over"] == [message]
    assert result.objective == solution.objective


# ------------------------------------------------------------------ CLI


def one_month(folder: Path) -> None:
    path = folder / "scenario.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("months = 12", "months = 1"), encoding="utf-8")


def test_cli_roster_writes_the_files_and_check_agrees(scenario_copy, tmp_path):
    one_month(scenario_copy)
    out = tmp_path / "roster"
    result = CliRunner().invoke(main, ["roster", str(scenario_copy), "-o", str(out), "--weeks", "1",
                                       "--time-limit", "1", "--from", "2015-01-05"])
    assert result.exit_code == 0, result.output
    for name in ("roster.csv", "roster_by_advisor.csv", "violations.csv", "summary.json"):
        assert (out / name).is_file()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {"status", "objective", "best_bound", "gap", "seconds", "time_limited"} <= set(summary)
    if summary["time_limited"]:
        assert summary["status"] != "OPTIMAL"
    roster = pd.read_csv(out / "roster.csv")
    assert list(roster.columns)[:6] == ["date", "point", "advisor", "name", "start", "end"]
    checked = CliRunner().invoke(main, ["check", str(scenario_copy), str(out / "roster.csv")])  # period from summary
    assert checked.exit_code == 0, checked.output
    assert f"objective {summary['objective']:g};" in checked.output.replace(".0;", ";")
    assert "0 hard breaches" in checked.output
    # One count of soft breaches everywhere: the roster's terminal, summary.json and `planner check`;
    # violations.csv's rows (consecutive intervals merged) are said as rows of that many breaches.
    per_group = [int(n) for n in re.findall(r"(\d+) soft breach(?:es)?$", result.output, flags=re.M)]
    rows = len(pd.read_csv(out / "violations.csv"))
    assert sum(per_group) == summary["breaches"] == sum(g["breached_rules"] for g in summary["groups"].values())
    assert f"violations.csv: {quantity(rows, 'row')} for {quantity(summary['breaches'], 'soft breach', 'soft breaches')}" \
        in result.output
    assert f"{quantity(summary['breaches'], 'soft breach', 'soft breaches')} (one per interval" in checked.output
    assert summary["violations"] == rows


def test_cli_roster_shows_progress_unless_quiet(scenario_copy, tmp_path):
    one_month(scenario_copy)
    args = ["roster", str(scenario_copy), "-o", str(tmp_path / "r"), "--weeks", "1", "--time-limit", "1"]
    loud = CliRunner().invoke(main, args)
    assert loud.exit_code == 0 and re.search(r"objective [\d.]+, bound [\d.]+ at", loud.output)
    quiet = CliRunner().invoke(main, [*args, "--quiet"])
    assert quiet.exit_code == 0 and "bound" not in quiet.output.replace("best bound", "")


def test_cli_roster_bad_request_exits_2(scenario_copy, tmp_path):
    (scenario_copy / "roster_requests.csv").write_text("advisor_id,date,kind,start,weight\nnobody,2015-01-05,day_off,,5\n",
                                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["roster", str(scenario_copy), "-o", str(tmp_path / "r"), "--weeks", "1"])
    assert result.exit_code == 2
    assert "roster_requests.csv row 2, column advisor_id: unknown id 'nobody'" in result.output
    assert not (tmp_path / "r").exists()


def test_cli_roster_conflicting_hard_rules_exit_3_with_reasons(scenario_copy, tmp_path):
    one_month(scenario_copy)
    path = scenario_copy / "scenario.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[roster]\n", "[roster]\non_duty_hard = true\n", 1),
                    encoding="utf-8")
    with (scenario_copy / "absences.csv").open("a", encoding="utf-8") as handle:
        handle.write("heikki,2015-01-07,2015-01-07,training\nmarja,2015-01-05,2015-01-09,sick leave\n")
    result = CliRunner().invoke(main, ["roster", str(scenario_copy), "-o", str(tmp_path / "r"), "--weeks", "1",
                                       "--from", "2015-01-05", "--time-limit", "2", "-q"])
    assert result.exit_code == 3, result.output
    assert ("Saarijärvi, Wed 7 Jan: 1 advisor must be on duty 10:00–15:00 ([workforce] min_on_duty); nobody may work "
            "there that day; away: Heikki Koskinen (training), Marja Järvinen (sick leave)") in result.output
    assert "Heikki Koskinen is away Wed 7 Jan–Wed 7 Jan (training)" in result.output
    assert "Marja Järvinen is away" in result.output
    assert "set [roster] on_duty_hard = false" in result.output  # the rule that can clash, named
    assert "kept as it is" not in result.output  # not a re-plan


def test_cli_roster_contract_that_cannot_be_met_still_writes(scenario_copy, tmp_path):
    one_month(scenario_copy)
    edit_cell(scenario_copy / "advisors.csv", 12, "fte", "1.0")  # heikki: 1.0 FTE at a point open 25 h a week
    out = tmp_path / "r"
    result = CliRunner().invoke(main, ["roster", str(scenario_copy), "-o", str(out), "--weeks", "1", "--time-limit", "1",
                                       "-q", "--from", "2015-01-05"])
    assert result.exit_code == 0, result.output
    violations = pd.read_csv(out / "violations.csv")
    assert violations["message"].str.contains(r"Heikki Koskinen: [\d.]+ h under contract").any()


def test_cli_roster_advisor_trained_for_nothing_and_overlapping_absences(scenario_copy, tmp_path):
    one_month(scenario_copy)
    edit_cell(scenario_copy / "advisors.csv", 13, "skills", "")  # marja: trained for nothing
    with (scenario_copy / "absences.csv").open("a", encoding="utf-8") as handle:
        handle.write("heikki,2015-01-06,2015-01-08,training\nheikki,2015-01-07,2015-01-09,sick leave\n")
    out = tmp_path / "r"
    result = CliRunner().invoke(main, ["roster", str(scenario_copy), "-o", str(out), "--weeks", "1", "--time-limit", "1",
                                       "-q", "--from", "2015-01-05"])
    assert result.exit_code == 0, result.output
    roster = pd.read_csv(out / "roster.csv", keep_default_na=False)
    saarijarvi = roster[roster["point"] == "saarijarvi"]
    assert not ((saarijarvi["advisor"] == "heikki") & saarijarvi["date"].between("2015-01-06", "2015-01-09")).any()
    assert (saarijarvi[saarijarvi["advisor"] == "marja"]["providers"] == "").all()
    violations = pd.read_csv(out / "violations.csv")
    assert violations["message"].str.contains(r"Saarijärvi, \w+ \d+ Jan: nobody trained for vero on duty").any()
    checked = CliRunner().invoke(main, ["check", str(scenario_copy), str(out / "roster.csv"), "--weeks", "1",
                                        "--from", "2015-01-05"])
    assert checked.exit_code == 0 and "0 hard breaches" in checked.output


def test_points_sharing_an_advisor_are_rostered_together():
    scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
    scenario = short(restrict_to_points(scenario, {"saarijarvi", "pelkosenniemi"}))
    advisors = tuple(a.model_copy(update={"other_points": ("pelkosenniemi",)}) if a.advisor_id == "marja" else a
                     for a in scenario.advisors)
    scenario = scenario.model_copy(update={"advisors": advisors})
    start = dt.date(2015, 1, 5)
    run, _ = make_roster(scenario, start=start, weeks=1, time_limit=2)
    assert [g.points for g in run.groups] == [("pelkosenniemi", "saarijarvi")]
    result = checker.check(scenario, rows_of(scenario, run), start, 1, requirements_for(scenario))
    assert result.hard == []
    assert result.objective == run.groups[0].solution.objective


def test_cli_check_a_hand_edited_roster_with_hard_breaches_exits_3(scenario_copy, tmp_path):
    one_month(scenario_copy)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "date,point,advisor,start,end,break_start,break_minutes\n"
        "2015-01-05,saarijarvi,heikki,10:00,15:00,,0\n"
        "2015-01-05,saarijarvi,heikki,10:00,14:00,,0\n"   # a second shift the same day
        "2015-01-10,saarijarvi,marja,10:00,15:00,,0\n"    # Saturday: closed
        "2015-01-08,saarijarvi,eila,10:00,15:00,,0\n"     # not one of Eila's points
        "2015-01-07,saarijarvi,marja,10:00,13:00,,0\n",   # 3 h is not an allowed shift
        encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(scenario_copy), str(roster), "--from", "2015-01-05", "--weeks", "1",
                                       "-o", str(tmp_path / "findings.csv")])
    assert result.exit_code == 3, result.output
    # Both rows named: the one the finding is on, and the other (the trial: only the second was).
    assert "Heikki Koskinen, Mon 5 Jan: more than one shift (the other is roster.csv row 2) — roster.csv row 3" \
        in result.output
    assert "Saarijärvi, Sat 10 Jan: rostered while the point is closed" in result.output
    assert "not one of the advisor's points" in result.output
    assert "is not an allowed shift" in result.output
    findings = pd.read_csv(tmp_path / "findings.csv")
    assert set(findings["severity"]) == {"hard", "soft"}
    assert "4 hard breaches" in result.output


def test_cli_check_refuses_unreadable_rows_as_bad_input_and_writes_nothing(scenario_copy, tmp_path):
    """Rows of a hand-edited roster.csv that cannot be read are bad input (exit 2), every one listed, not breaches."""
    one_month(scenario_copy)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "date,point,advisor,start,end,break_start,break_minutes\n"
        "2015-01-05,saarijarvi,heikki,10:00,15:00,,0\n"
        "2015-01-32,saarijarvi,heikki,10:00,15:00,,0\n"  # no such date
        "2015-01-06,saarijarvi,heiki,10:00,15:00,,0\n"  # a misspelt advisor
        "\n"
        "2015-01-07,saarijärvi,heikki,10:00,15:00,,0\n"  # a point id as its name is written
        "2015-01-08,saarijarvi,heikki,10.00,15:00,,0\n"  # a time with a dot
        "2015-01-09,saarijarvi,heikki,10:00,15:00,0\n",  # a cell short
        encoding="utf-8")
    out = tmp_path / "findings.csv"
    result = CliRunner().invoke(main, ["check", str(scenario_copy), str(roster), "--from", "2015-01-05", "--weeks", "1",
                                       "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-6:] == [
        "error: roster.csv row 3, column date: found '2015-01-32'; expected a date YYYY-MM-DD",
        "error: roster.csv row 4, column advisor: found 'heiki'; expected an advisor_id of advisors.csv: "
        "anna, eila, heikki, jari, johanna, liisa, marja, mats, mikko, pirjo, sari, tuomas",
        "error: roster.csv row 6, column point: found 'saarijärvi'; expected a point_id of points.csv: "
        "kiiminki, mikkeli, parainen, pelkosenniemi, saarijarvi",
        "error: roster.csv row 7, column start: found '10.00'; expected a time HH:MM (HH:MM+hh:mm in the repeated "
        "autumn hour)",
        "error: roster.csv row 8: found 6 cells; expected 7 like the header (a ',' inside a value must be quoted)",
        "5 errors: nothing was written.",
    ]
    assert "hard:" not in result.output and not out.exists()
    roster.write_text("date,point,advisor,begins,end\n2015-01-05,saarijarvi,heikki,10:00,15:00\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(scenario_copy), str(roster), "--from", "2015-01-05", "--weeks", "1"])
    assert result.exit_code == 2, result.output
    assert "error: roster.csv row 1, column start: required column 'start' is missing" in result.stderr


def test_cli_check_lists_every_breach_of_a_row(scenario_copy, tmp_path):
    """Tuesday's row is on an absence day, outside the opening hours and 10 h after Monday's (late) shift."""
    one_month(scenario_copy)
    with (scenario_copy / "absences.csv").open("a", encoding="utf-8") as handle:
        handle.write("heikki,2015-01-13,2015-01-13,training\n")
    roster = tmp_path / "roster.csv"
    roster.write_text("date,point,advisor,start,end,break_start,break_minutes\n"
                      "2015-01-12,saarijarvi,heikki,18:00,22:00,,0\n"
                      "2015-01-13,saarijarvi,heikki,08:00,12:00,,0\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(scenario_copy), str(roster), "--from", "2015-01-12", "--weeks", "1"])
    assert result.exit_code == 3, result.output
    # Each names the row to correct and, on an absence day, the absence's reason (the trial: neither was said).
    assert ("hard: Heikki Koskinen, Tue 13 Jan: rostered while away (absences.csv: training, Tue 13 Jan–Tue 13 Jan) "
            "— roster.csv row 3") in result.output
    assert ("hard: Heikki Koskinen, Tue 13 Jan: 08:00–12:00 is outside the opening hours 10:00–15:00 — roster.csv row 3"
            in result.output)
    assert ("hard: Heikki Koskinen, Mon 12 Jan–Tue 13 Jan: 10 h rest, under 11 h (Working Hours Act §25) — roster.csv "
            "row 3") in result.output
    assert "4 hard breaches" in result.output  # and Monday's 18:00–22:00 outside the hours
    findings = tmp_path / "findings.csv"
    CliRunner().invoke(main, ["check", str(scenario_copy), str(roster), "--from", "2015-01-12", "--weeks", "1", "-o",
                              str(findings)])
    table = pd.read_csv(findings)
    assert table.loc[table["family"] == "absence", "row"].tolist() == ["roster.csv row 3"]


def test_the_checker_shares_no_code_with_the_roster_model():
    source = (Path(checker.__file__)).read_text(encoding="utf-8")
    imports = re.findall(r"^(?:from|import) ([\w.]+)", source, re.M)
    assert not [m for m in imports if m.startswith("models") or m in ("planner.rosters.roster", "ortools")], imports


def test_the_backup_covers_pelkosenniemi_only_while_eila_is_away():
    scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
    scenario = short(restrict_to_points(scenario, {"pelkosenniemi"}), 3)
    run, _ = make_roster(scenario, start=dt.date(2015, 2, 9), weeks=2, time_limit=3)
    roster = rostering.roster_table(scenario, run)
    tuomas = set(roster[roster["advisor"] == "tuomas"]["date"])
    assert tuomas == {"2015-02-16", "2015-02-17", "2015-02-18", "2015-02-19", "2015-02-20"}  # winter holiday
    violations = rostering.violations_table(run)
    assert (violations["family"] == "backup_used").sum() == 5
    assert not (violations["family"] == "unmanned").any()


@pytest.mark.parametrize("option,value,flag,words", [
    ("--time-limit", "0.2", "time_limited", "wall-clock cap reached; not proven optimal, not repeatable"),
    ("--work-limit", "0.5", "work_limited", "work budget reached; not proven optimal"),
])
def test_cli_a_budget_limited_roster_says_so(scenario_copy, tmp_path, option, value, flag, words):
    one_month(scenario_copy)
    out = tmp_path / "r"
    result = CliRunner().invoke(main, ["roster", str(scenario_copy), "-o", str(out), "--weeks", "4", option, value, "-q"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    kiiminki = summary["groups"]["kiiminki"]
    assert kiiminki[flag] and kiiminki["status"] == "FEASIBLE" and summary["status"] == "FEASIBLE"
    assert kiiminki["best_bound"] <= kiiminki["objective"]
    assert f"kiiminki: FEASIBLE ({words})" in result.output


def test_a_clash_of_the_on_duty_rule_names_who_could_work_and_who_is_away():
    """The trial: "2 may work there" counted the advisors away that day; the rule the roster model names in a
    clash now says who could work there that day, and who is away with their absence's reason."""
    from models import advisor_roster as ar
    from planner.rosters.roster import build_problem, weights
    from planner.rosters.stage import requirements_for
    from planner.scenario.loading import load_scenario
    from planner.scenario.schemas import AbsenceRow
    from tests.conftest import DEFAULT_DIR

    scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
    day = dt.date(2015, 1, 7)
    cfg = scenario.config
    scenario = scenario.model_copy(update={
        "absences": (*scenario.absences, AbsenceRow(advisor_id="heikki", start=day, end=day, reason="training")),
        "config": cfg.model_copy(update={"roster": cfg.roster.model_copy(update={"on_duty_hard": True})})})
    dates = [day - dt.timedelta(days=2) + dt.timedelta(days=n) for n in range(7)]
    problem, _ = build_problem(scenario, {"saarijarvi"}, dates, requirements_for(scenario))
    rules = [r.message for r in ar.build(problem, weights(scenario)).rules if "min_on_duty" in r.message]
    staff = [a for a in scenario.advisors if "saarijarvi" in (a.point_id, *a.other_points)]
    assert len(staff) == 2 and "Heikki Koskinen" in {a.name for a in staff}
    other = next(a.name for a in staff if a.advisor_id != "heikki")
    assert ("Saarijärvi, Wed 7 Jan: 1 advisor must be on duty 10:00–15:00 ([workforce] min_on_duty); "
            f"may work there that day: {other}; away: Heikki Koskinen (training)") in rules
    # A day nobody is away names both, nobody away.
    both = [r for r in rules if r.startswith("Saarijärvi, Thu 8 Jan")]
    assert len(both) == 1 and "away" not in both[0] and all(a.name in both[0] for a in staff)
