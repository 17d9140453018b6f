"""Issue #15, truthful outreach: impossible visits caught before solving, true reasons, status quo as data."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.checks.visits import check_visits
from planner.cli import main
from planner.outreach import plan as op
from planner.scenario.loading import load_scenario
from tests.conftest import edit_cell, read_rows, shortened_copy, write_rows


def march(folder: Path) -> Path:
    """The shared cases' base: the default scenario, March 2015 only, a small work budget."""
    target = shortened_copy(folder, 1, work_limit=2)
    toml = target / "scenario.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("start = 2015-01-01", "start = 2015-03-01"),
                    encoding="utf-8")
    return target


def short_window(folder: Path) -> Path:
    """cases/outreach-impossible-visits/C-short-window: Pelkosenniemi open 09:00–09:10, a police slot 20 min."""
    target = march(folder)
    path = target / "opening_hours.csv"
    header, rows = read_rows(path)
    for row in rows:
        if row["point_id"] == "pelkosenniemi":
            row["opens"], row["closes"] = "09:00", "09:10"
    write_rows(path, header, rows)
    return target


@pytest.mark.parametrize(("row", "expected"), [
    # cases/…/A2-sat-every-7: police at Pelkosenniemi on Saturdays every 7 days; closed on Saturdays.
    ("pelkosenniemi,poliisi,7,sat", ["visit_patterns.csv row 2, column weekdays", "pelkosenniemi is closed on those days"]),
    # Every 2 days asked for, but the point is closed at weekends: Sat–Sun is a 2-day gap no visit can fill.
    ("pelkosenniemi,poliisi,2,", ["visit_patterns.csv row 2, column max_days_between",
                                  "no visit is possible from 2015-03-07 to 2015-03-08"]),
])
def test_validate_refuses_a_pattern_no_plan_can_meet(tmp_path, row, expected):
    target = march(tmp_path)
    (target / "visit_patterns.csv").write_text(
        f"point_id,provider_id,max_days_between,weekdays,comment\n{row},\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 2, result.output
    assert all(text in result.stderr for text in expected), result.stderr


def test_validate_refuses_a_window_shorter_than_a_slot(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(short_window(tmp_path))])
    assert result.exit_code == 2, result.output
    assert "opening_hours.csv row" in result.stderr and "column closes" in result.stderr
    assert "shortest poliisi appointment slot (20 min" in result.stderr


def test_a_point_no_official_can_reach_is_said_the_same_way_everywhere(tmp_path):
    """`planner validate` said valid, then `planner outreach` exited 2, and `planner plan` skipped outreach. Now
    all three agree: a warning naming points.csv, and access.csv says the customers go to the office and why."""
    target = march(tmp_path)
    # Half-hour days: the default types' slots (the 60 min guardianship one of appointment_types.csv would be an error).
    (target / "appointment_types.csv").unlink()
    header, rows = read_rows(target / "officials.csv")
    for row in rows:
        row["daily_hours"] = "0.5"
    write_rows(target / "officials.csv", header, rows)
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 0, result.output
    assert "warning: points.csv row" in result.stderr and "no official can drive there" in result.stderr
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["outreach", str(target), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "no official can drive there" in result.stderr
    header, rows = read_rows(out / "access.csv")
    assert all(r["reason"].split(":")[0] in op.REASONS for r in rows if int(r["at_office"]))
    assert all(r["reason"].startswith("beyond_day_reach") for r in rows if r["point_id"] == "kiiminki")


def test_access_gives_the_true_reason_when_no_visit_is_possible(tmp_path):
    """Never "cheaper" when no visit was possible; every row not served locally has one reason of the list."""
    scenario, _ = load_scenario(short_window(tmp_path))
    prepared = op.prepare(scenario, 1, check=False)
    access = op.run(prepared).access
    row = access[(access.point_id == "pelkosenniemi") & (access.provider_id == "poliisi")].iloc[0]
    assert row.served_locally == 0 and row.at_office > 0
    assert row.reason.startswith("window_shorter_than_slot: pelkosenniemi is open at most 10 min")
    plan = op.run(prepared)
    assert (plan.visits["appointments"] > 0).all()  # no empty stop in a plan …
    shown = plan.visits.drop(columns=["start_minute", "end_minute"])
    slots = {(s.provider, s.appointment_type): s.slot_minutes for s in prepared.problem.streams}
    assert check_visits(scenario, shown, slots).findings == []  # … nor in its check
    for r in access.itertuples():
        if r.at_office or r.unmet:
            assert r.reason.split(":")[0] in op.REASONS, r
        if r.reason.startswith("office_cheaper"):
            assert (r.point_id, r.provider_id, r.appointment_type) not in prepared.impossible


def test_status_quo_comes_from_the_scenario_and_is_absent_without_it(tmp_path, default_scenario):
    """status_quo_visits.csv holds today's visits; without it there is no status quo, not a wrong one."""
    scenario, _ = load_scenario(march(tmp_path))
    prepared = op.prepare(scenario, 1)
    fixed = op.status_quo_plan(prepared)
    assert fixed is not None
    assert fixed.tours == {("police-kemijarvi", ("pelkosenniemi",)), ("police-haukipudas", ("kiiminki",)),
                           ("register-oulu", ("kiiminki",))}
    assert fixed.visits_per_month == {("police-kemijarvi", "pelkosenniemi", "2015-03"): 1,
                                      ("police-haukipudas", "kiiminki", "2015-03"): 1}
    assert fixed.max_per_visit[("register-oulu", "wedding")] == 1
    assert fixed.local_only == {("kiiminki", "maistraatti", "wedding")}
    bare = scenario.model_copy(update={"status_quo_visits": ()})
    assert op.status_quo_plan(op.prepare(bare, 1)) is None
    assert op.status_quo(op.prepare(bare, 1)) is None


def test_status_quo_row_must_name_the_officials_provider(tmp_path):
    target = march(tmp_path)
    edit_cell(target / "status_quo_visits.csv", 2, "provider_id", "kela")
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 2, result.output
    assert "status_quo_visits.csv row 2, column provider_id" in result.stderr


@pytest.mark.parametrize("cell", [("visits_per_month", ""), ("appointment_type", "")])
def test_status_quo_row_needs_a_frequency(tmp_path, cell):
    target = march(tmp_path)
    edit_cell(target / "status_quo_visits.csv", 4 if cell[0] == "appointment_type" else 2, *cell)
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 2, result.output
    assert "status_quo_visits.csv row" in result.stderr


def _solution(official: float, access: float, lam: float):
    from models import outreach as m
    return m.Solution("FEASIBLE (work limit)", official + lam * access, -5.0, None, 0.0, official, access, 0.0, (), (),
                      (), {})


def test_pareto_never_goes_backwards(monkeypatch, tmp_path):
    """Issue #15: a larger λ once gave a plan worse on both costs than a smaller λ's. Each λ keeps the best of
    the plans the sweep found, so along increasing λ access never rises and official cost never falls."""
    plans = {0.0: (0.0, 900.0), 0.1: (100.0, 500.0), 1.0: (300.0, 200.0), 10.0: (350.0, 260.0)}  # 10: worse on both
    hints = []

    def fake(prepared, problem, w, p, hint=None, progress=None, hint_parts=False):
        hints.append((w.access_weight, hint, hint_parts))
        official, access = plans[w.access_weight]
        return _solution(official, access, w.access_weight), {"plan": int(w.access_weight * 10)}

    monkeypatch.setattr(op, "solve_problem", fake)
    monkeypatch.setattr(op, "pareto_weights", lambda base, k: [10.0, 0.0, 1.0, 0.1])
    scenario, _ = load_scenario(march(tmp_path))
    curve = op.pareto(op.prepare(scenario, 1), 4)
    assert list(curve["access_weight"]) == [0.0, 0.1, 1.0, 10.0]
    assert curve["access_cost_eur"].is_monotonic_decreasing and curve["official_cost_eur"].is_monotonic_increasing
    last = curve.iloc[-1]
    assert (last.official_cost_eur, last.access_cost_eur, last.plan_of) == (300.0, 200.0, 1.0)
    assert (curve["best_bound"] >= 0).all()  # costs are never negative, nor their bounds
    # each λ starts from the plan of the λ below it
    assert [h for _, h, _ in hints] == [None, {"plan": 0}, {"plan": 1}, {"plan": 10}] and all(p for *_, p in hints)


def test_the_run_says_which_distances_it_estimated(tmp_path):
    """Distances without a distances.csv row are estimated from coordinates: the plan's warnings say which."""
    target = march(tmp_path)
    header, rows = read_rows(target / "distances.csv")
    dropped = [r for r in rows if {r["from_id"], r["to_id"]} == {"kemijarvi-poliisi", "pelkosenniemi"}]
    assert dropped, "the default scenario has a distance row Kemijärvi–Pelkosenniemi"
    write_rows(target / "distances.csv", header, [r for r in rows if r not in dropped])
    scenario, _ = load_scenario(target)
    prepared = op.prepare(scenario, 1)
    assert "kemijarvi-poliisi–pelkosenniemi" in prepared.estimated
    # Each leg once, office first (the trial: "jyvaskyla-maistraatti–mikkeli, mikkeli–jyvaskyla-maistraatti").
    pairs = [frozenset(leg.split("–")) for leg in prepared.estimated]
    assert len(pairs) == len(set(pairs))
    assert "jyvaskyla-maistraatti–mikkeli" in prepared.estimated
    warning = op.estimated_warning(prepared)
    assert warning.startswith("distances estimated from coordinates") and "kemijarvi-poliisi–pelkosenniemi" in warning


def test_travel_cost_refuses_video_for_a_wedding():
    """The law requires presence at a wedding: no remote service is offered, though the register office has it."""
    from tests.conftest import DEFAULT_DIR

    wedding = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "register-oulu",
                                        "--point", "kiiminki", "--type", "wedding"])
    assert wedding.exit_code == 0, wedding.output
    assert "not offered: the law requires presence" in wedding.stdout
    assert "no remote service: the law requires presence for wedding" in wedding.stderr
    guardianship = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "register-oulu",
                                             "--point", "kiiminki", "--type", "guardianship"])
    assert guardianship.exit_code == 0 and "not offered" not in guardianship.stdout
    notarisation = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "register-oulu",
                                             "--point", "kiiminki", "--type", "notarisation"])
    assert notarisation.exit_code == 0 and "not offered: the law requires presence" in notarisation.stdout


def test_travel_cost_flags_a_day_longer_than_the_officials_hours():
    """1 450 km in one day: far longer than daily_hours, and said so."""
    from tests.conftest import DEFAULT_DIR

    result = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "register-parainen",
                                       "--point", "pelkosenniemi", "--appointments", "1"])
    assert result.exit_code == 0, result.output
    assert "longer than register-parainen's daily_hours of 7.25 h" in result.stderr


def test_outreach_plans_the_whole_horizon_unless_narrowed(default_scenario):
    """Issue #15: `planner plan` planned the first quarter only. Now the horizon, or `[outreach] months`, stated."""
    from planner.outreach.stage import horizon_note, outreach_months

    config = default_scenario.config
    whole = default_scenario.model_copy(update={"config": config.model_copy(update={
        "outreach": config.outreach.model_copy(update={"months": None})})})
    assert outreach_months(whole, None) == 12 and horizon_note(whole, None) == "the whole horizon, 12 months"
    assert config.outreach.months == 3  # the default scenario narrows it, and says why in scenario.toml
    assert outreach_months(default_scenario, None) == 3
    assert horizon_note(default_scenario, None) == "3 of the horizon's 12 months: [outreach] months = 3 in scenario.toml"
    assert outreach_months(default_scenario, 5) == 5 and "--months 5" in horizon_note(default_scenario, 5)


def test_plan_stops_on_outreach_input_it_cannot_plan(tmp_path):
    """`planner plan` exited 0 with outreach "skipped"; now what validate refuses stops plan too (exit 2)."""
    target = march(tmp_path)
    (target / "visit_patterns.csv").write_text(
        "point_id,provider_id,max_days_between,weekdays\npelkosenniemi,poliisi,7,sat\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", str(target), "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "visit_patterns.csv row 2, column weekdays" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # end-to-end: over 4 s alone (make test-quick)
def test_eastern_lapland_as_a_new_user_writes_it():
    """Six small points around Kemijärvi, officials from Rovaniemi (tests/data/eastern-lapland, written from the
    README alone): valid, every stop serves, the plan passes its check, every reason is from the list."""
    folder = Path(__file__).resolve().parent / "data" / "eastern-lapland"
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    scenario, _ = load_scenario(folder)
    prepared = op.prepare(scenario, 1)
    assert len(prepared.estimated) > 0  # no distances.csv: every leg is estimated, and the plan says so
    plan = op.run(prepared)
    assert plan.warnings[0].startswith("distances estimated from coordinates")
    assert len(plan.visits) and (plan.visits["appointments"] > 0).all()
    shown = plan.visits.drop(columns=["start_minute", "end_minute"])
    slots = {(s.provider, s.appointment_type): s.slot_minutes for s in prepared.problem.streams}
    assert check_visits(scenario, shown, slots).findings == []
    for r in plan.access.itertuples():
        if r.at_office or r.unmet:
            assert r.reason.split(":")[0] in op.REASONS, r


def test_progress_never_shows_a_negative_bound():
    """Costs cannot be negative, so neither can a bound shown (CP-SAT's early bound was −21 336 €)."""
    lines: list[str] = []
    op.part_progress(lines.append, "police-haukipudas")(7973.8, -21336.2, 1.7)
    assert lines == ["outreach police-haukipudas: objective 7973.80 €, bound 0.00 € at 1.7 s"]


@pytest.mark.slow
def test_a_plan_with_no_visit_writes_its_report_and_workbook(tmp_path):
    # At λ = 0 the residents' trips cost the plan nothing and no visit pays: visits.csv has its header only, and
    # `planner plan` died on the cost table (object columns of an empty frame: "Expected numeric dtype").
    import shutil

    import pandas as pd

    from tests.conftest import GOLDEN_DIR

    scenario = tmp_path / "scenario"
    shutil.copytree(GOLDEN_DIR, scenario)
    toml = scenario / "scenario.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("access_weight = 1.0", "access_weight = 0.0"),
                    encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["plan", str(scenario), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    visits = pd.read_csv(out / "outreach" / "visits.csv")
    # its header is that of a plan with visits: the calendars' clock minutes were written when there was no visit
    assert visits.empty and not {"start_minute", "end_minute"} & set(visits.columns), list(visits.columns)
    costs = pd.read_excel(out / "plan.xlsx", sheet_name=None)
    assert (out / "report.html").stat().st_size > 0 and costs
    assert "0 trips" in result.output
