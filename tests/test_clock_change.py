"""Real time on the clock-change nights (Europe/Helsinki, 2015): intervals, paid hours and rest.

The spring night (Sunday 29 March 2015, 03:00 → 04:00) has 23 hours, the autumn night
(Sunday 25 October, 04:00 → 03:00) 25. Saarijärvi is open 00:00–24:00 every day here, so its
intervals and shifts cross the change; shifts are 4, 6.75 or 7.75 h with a 30-minute break
in those over 6 h.

Each test was seen failing on the planner that counted every day as 24 wall-clock hours
(before planner/base/calendar measured elapsed time): intervals at 03:00–03:45 on 29 March
and once only on 25 October, a 00:00–07:45 shift paid 7.25 h on 29 March, a roster model
that allowed 10 h of rest across the spring night.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from models import advisor_roster as ar
from models import kit
from models import roster as engine
from models.roster_problem import Employee, RestRules, RosterProblem, ShiftType
from planner.base import calendar
from planner.base.decompose import restrict_to_points
from planner.checks import roster as rules
from planner.demand.forecast import forecast
from planner.demand.stage import demand_tables
from planner.records.replay import duties_from_roster
from planner.rosters import roster
from planner.rosters.stage import make_roster
from planner.scenario.loading import load_scenario
from planner.scenario.schemas import WEEKDAYS, OpeningHoursRow
from planner.staffing.sizing import interval_requirements, shift_templates
from tests.conftest import DEFAULT_DIR

SPRING, AUTUMN, ORDINARY = dt.date(2015, 3, 29), dt.date(2015, 10, 25), dt.date(2015, 3, 22)


def open_all_day(scenario, start: dt.date):
    """Saarijärvi only, open 00:00–24:00 every day, one month from `start`; shifts 4, 6.75 or 7.75 h."""
    scenario = restrict_to_points(scenario, {"saarijarvi"})
    hours = tuple(OpeningHoursRow(point_id="saarijarvi", weekday=w, opens=dt.time(0), closes=dt.time(23, 59, 59))
                  for w in WEEKDAYS)
    config = scenario.config
    horizon = config.horizon.model_copy(update={"start": start, "months": 1})
    workforce = config.workforce.model_copy(update={"shift_lengths_hours": (4.0, 6.75, 7.75)})
    config = config.model_copy(update={"horizon": horizon, "workforce": workforce})
    return scenario.model_copy(update={"config": config, "opening_hours": hours, "absences": (), "roster_requests": ()})


@pytest.fixture(scope="module")
def loaded():
    return load_scenario(DEFAULT_DIR, purpose="roster")[0]


@pytest.fixture(scope="module")
def march(loaded):
    return open_all_day(loaded, dt.date(2015, 3, 1))


@pytest.fixture(scope="module")
def october(loaded):
    return open_all_day(loaded, dt.date(2015, 10, 1))


# ------------------------------------------------------------------ the calendar helper


def test_days_last_23_24_or_25_hours():
    assert [calendar.day_minutes(d) for d in (SPRING, ORDINARY, AUTUMN, AUTUMN + dt.timedelta(days=1))] == [
        1380, 1440, 1500, 1440]
    assert calendar.elapsed(SPRING, 7 * 60 + 45) == 6 * 60 + 45 and calendar.elapsed(AUTUMN, 7 * 60 + 45) == 8 * 60 + 45
    assert calendar.elapsed(ORDINARY, 7 * 60 + 45) == 7 * 60 + 45
    # Opening hours in the skipped hour open when the clocks jump: 03:30 on 29 March is 04:00 (elapsed 180).
    assert calendar.elapsed(SPRING, 3 * 60 + 30) == 180 and calendar.elapsed(SPRING, 2 * 60 + 59) == 179
    assert (calendar.elapsed(AUTUMN, 3 * 60 + 15), calendar.elapsed(AUTUMN, 3 * 60 + 15, fold=1)) == (195, 255)


def test_wall_clock_labels_name_the_pass_of_the_repeated_hour_and_read_back():
    labels = [calendar.clock_label(AUTUMN, m) for m in (175, 180, 240, 295, 300, 1500)]
    assert labels == ["02:55", "03:00+03:00", "03:00+02:00", "03:55+02:00", "04:00", "24:00"]
    assert [calendar.parse_clock(AUTUMN, t) for t in labels] == [175, 180, 240, 295, 300, 1500]
    assert calendar.parse_clock(AUTUMN, "03:00") == 180  # bare: the first pass (fold=0)
    assert [calendar.clock_label(SPRING, m) for m in (175, 180, 1380)] == ["02:55", "04:00", "24:00"]
    with pytest.raises(ValueError, match="does not exist on 2015-03-29"):
        calendar.parse_clock(SPRING, "03:15")
    with pytest.raises(ValueError, match="no such UTC offset"):
        calendar.parse_clock(ORDINARY, "03:15+03:00")


# ------------------------------------------------------------------ demand intervals


def _day(table: pd.DataFrame, date: dt.date) -> pd.DataFrame:
    return table[table["date"] == pd.Timestamp(date)]


def test_spring_night_has_no_intervals_at_03_and_keeps_the_day_s_customers(march):
    demand = forecast(march)
    spring = _day(demand.intervals, SPRING)
    starts = sorted(spring["interval_start"].unique())
    assert len(starts) == 23 * 4 and starts[-1] == 1380 - 15
    labels = set(_day(demand_tables(demand)["demand_intervals.csv"].assign(
        date=lambda t: pd.to_datetime(t["date"])), SPRING)["interval_start"])
    assert not {label for label in labels if label.startswith("03:")} and {"02:45", "04:00", "23:45"} <= labels
    per_day = demand.intervals.groupby(["provider_id", "date"])["arrivals"].sum()
    daily = demand.daily[demand.daily["point_id"] == "saarijarvi"].set_index(["provider_id", "date"])["arrivals"]
    assert per_day.to_dict() == pytest.approx(daily.to_dict(), rel=1e-12)  # every day's total, spring night too
    assert _day(demand.daily, SPRING)["arrivals"].sum() > 0


def test_autumn_night_has_the_03_hour_twice_and_keeps_the_day_s_customers(october):
    demand = forecast(october)
    autumn = _day(demand.intervals, AUTUMN)
    assert autumn["interval_start"].nunique() == 25 * 4
    written = demand_tables(demand)["demand_intervals.csv"]
    labels = list(written[written["date"] == str(AUTUMN)].drop_duplicates("interval_start")["interval_start"])
    assert labels[12:20] == ["03:00+03:00", "03:15+03:00", "03:30+03:00", "03:45+03:00",
                             "03:00+02:00", "03:15+02:00", "03:30+02:00", "03:45+02:00"]
    assert labels[20] == "04:00" and len(labels) == len(set(labels))
    per_day = demand.intervals.groupby(["provider_id", "date"])["arrivals"].sum()
    daily = demand.daily[demand.daily["point_id"] == "saarijarvi"].set_index(["provider_id", "date"])["arrivals"]
    assert per_day.to_dict() == pytest.approx(daily.to_dict(), rel=1e-12)
    # Both passes of hour 03 carry the hourly profile's hour-3 weight: equal arrivals interval by interval.
    first = autumn[autumn["interval_start"].between(180, 239)].groupby("interval_start")["arrivals"].sum().to_numpy()
    second = autumn[autumn["interval_start"].between(240, 299)].groupby("interval_start")["arrivals"].sum().to_numpy()
    assert first == pytest.approx(second)


def test_sizing_requires_advisors_in_real_intervals_only(march):
    table = interval_requirements(march, forecast(march))
    assert len(_day(table, SPRING)) == 92 and len(_day(table, ORDINARY)) == 96


# ------------------------------------------------------------------ paid hours: sizing, roster, check agree


def test_a_00_to_07_45_shift_on_the_spring_night_is_paid_for_6_75_hours_less_its_break(march):
    """6 h 45 min of real time with a 30 min break: 6.25 h paid on 29 March, 7.25 h on an ordinary Sunday."""
    # Sizing: the day's templates are in elapsed minutes; the 6.75 h one from midnight ends at 07:45 on the wall.
    spring = [t for t in shift_templates(march, 0, calendar.day_minutes(SPRING)) if t.start_min == 0]
    (sized,) = [t for t in spring if calendar.clock_label(SPRING, t.end_min) == "07:45"]
    assert (sized.length_min, sized.paid_min) == (405, 375)
    # Roster: the same shift type, labelled and paid in real time.
    dates = [SPRING - dt.timedelta(days=6) + dt.timedelta(days=k) for k in range(7)]
    shifts = roster.point_shifts(march, "saarijarvi", dates)
    (sid,) = [s.id for s in shifts.values() if (s.start, s.end) == (0, 405)]
    run = roster.RosterRun(dates, [roster.GroupResult(("saarijarvi",), _no_skills(), shifts, _solution({
        ("heikki", 0): sid, ("heikki", 6): sid}))])
    table = roster.roster_table(march, run).set_index("date")
    assert (table.loc[str(SPRING), "start"], table.loc[str(SPRING), "end"]) == ("00:00", "07:45")
    assert table.loc[str(SPRING), "paid_hours"] == 6.25
    assert (table.loc[str(dates[0]), "end"], table.loc[str(dates[0]), "paid_hours"]) == ("06:45", 6.25)
    # Check: roster.csv's row read back is 6.75 h long, an allowed shift, 6.25 h paid; a week earlier 7.25 h.
    rows = [{**row, "date": date} for date, row in table.astype(str).iterrows()]
    rows.append({**rows[-1], "date": str(ORDINARY), "start": "00:00", "end": "07:45"})
    read, unreadable = rules.read_rows(march, rows, [ORDINARY + dt.timedelta(days=k) for k in range(14)])
    assert unreadable == []
    assert {s.date: s.paid for s in read} == {dates[0]: 375, SPRING: 375, ORDINARY: 435}
    facts = rules.facts(march, [ORDINARY + dt.timedelta(days=k) for k in range(14)], read,
                        interval_requirements(march, forecast(march)))
    assert list(rules.allowed_shift(facts)) == []


def _no_skills() -> ar.AdvisorRosterProblem:
    base = RosterProblem(horizon=7, shifts=(ShiftType(id="x", start=0, length=60),), employees=(Employee(id="heikki"),))
    return ar.AdvisorRosterProblem(base=base, shift_point={}, shifts_on_day={}, intervals=())


def _solution(assignment: dict) -> ar.Solution:
    return ar.Solution("OPTIMAL", 0.0, 0.0, 0.0, 0.0, False, assignment, ())


# ------------------------------------------------------------------ rest across the night, in the roster model


def _fixed(built: ar.Built, problem: ar.AdvisorRosterProblem, worked: dict[int, str]) -> str:
    """Solver status with Heikki pinned to `worked` (day → shift id) and everyone else off."""
    model = built.model.clone()
    heikki = [e.id for e in problem.base.employees].index("heikki")
    for (e, d, s), var in built.engine.x.items():
        model.add(var == int(e == heikki and worked.get(d) == problem.base.shifts[s].id))
    return kit.solve(model, kit.SolveParams(work_limit=5.0, time_limit=60.0)).status


def test_the_roster_model_counts_rest_across_the_spring_night_in_real_time(march):
    """Saturday 17:00–21:00 then Sunday 08:00: 11 h on the wall clock, 10 h of rest on 28–29 March (refused);
    the same a week earlier is 11 h (allowed)."""
    dates = [dt.date(2015, 3, 21) + dt.timedelta(days=k) for k in range(9)]  # Sat 21 – Sun 29 March
    problem, shifts = roster.build_problem(march, {"saarijarvi"}, dates, interval_requirements(march, forecast(march)))
    assert problem.base.day_minutes[dates.index(SPRING)] == 1380
    late = next(s.id for s in shifts.values() if (s.start, s.end) == (17 * 60, 21 * 60))
    early = next(s.id for s in shifts.values() if (s.start, s.end) == (8 * 60, 12 * 60))
    spring_early = next(s.id for s in shifts.values()
                        if (calendar.clock_label(SPRING, s.start), calendar.clock_label(SPRING, s.end)) == ("08:00", "12:00"))
    built = ar.build(problem, roster.weights(march))
    assert _fixed(built, problem, {0: late, 1: early}) in ("OPTIMAL", "FEASIBLE")
    assert _fixed(built, problem, {7: late, 8: spring_early}) == "INFEASIBLE"


def test_the_roster_engine_counts_rest_out_of_a_short_day_with_its_length():
    """A 23-hour day: ending 21:00 and starting 08:00 the next morning is 10 h of rest, not 11."""
    problem = RosterProblem(
        horizon=3, shifts=(ShiftType(id="late", start=1020, length=240), ShiftType(id="early", start=480, length=240)),
        employees=(Employee(id="e"),), rest=RestRules(daily_rest_minutes=660), day_minutes=(1440, 1380, 1440))

    def status(worked: dict[int, str]) -> str:
        built = engine.build(problem)
        pinned = {("e", d): s for d, s in worked.items()}
        return engine.solve(built, kit.SolveParams(work_limit=5.0), fix=pinned,
                            fixed_keys=frozenset(("e", d) for d in range(3))).status

    assert status({0: "late", 1: "early"}) == "FEASIBLE"  # 24 h day: 11 h
    assert status({1: "late", 2: "early"}) == "INFEASIBLE"  # 23 h day: 10 h


# ------------------------------------------------------------------ the roster written passes the check


@pytest.mark.slow  # a roster solve (a small work budget, but the month's demand and sizing first)
def test_a_roster_over_the_spring_night_passes_planner_check_with_the_solver_s_objective(march):
    """Model and checker count the same real time: no hard breach, the same objective, and a shift across
    the change is paid for the hours it lasts."""
    solver = march.config.solver.model_copy(update={"work_limit": 1.0, "time_limit_seconds": 300.0, "workers": 1})
    scenario = march.model_copy(update={"config": march.config.model_copy(update={"solver": solver})})
    requirements = interval_requirements(scenario, forecast(scenario))
    start = SPRING - dt.timedelta(days=6)
    run, failed = make_roster(scenario, start=start, weeks=1, requirements=requirements)
    assert failed == {}
    table = roster.roster_table(scenario, run)
    crossing = table[(table["date"] == str(SPRING)) & (table["start"] < "03:00") & (table["end"] >= "04:00")]
    assert len(crossing) >= 1
    for row in crossing.itertuples():
        lasts = calendar.parse_clock(SPRING, row.end) - calendar.parse_clock(SPRING, row.start)
        assert row.paid_hours == round((lasts - row.break_minutes) / 60, 2)
        wall = int(row.end[:2]) * 60 + int(row.end[3:]) - int(row.start[:2]) * 60 - int(row.start[3:])
        assert lasts == wall - 60  # an hour less than the wall clock says
    result = rules.check(scenario, table.astype(str).to_dict("records"), start, 1, requirements)
    assert result.hard == []
    assert result.objective == sum(g.solution.objective for g in run.groups)


def test_the_replay_reads_roster_times_of_the_repeated_hour():
    """roster.csv written on 25 October 2015 (a break at the second 03:15) replays on the real-time axis."""
    rows = pd.DataFrame([{"date": str(AUTUMN), "point": "saarijarvi", "advisor": "heikki", "start": "00:00",
                          "end": "06:45", "break_start": "03:15+02:00", "break_minutes": 30, "providers": "kela"}])
    (duty,) = duties_from_roster(rows)[("saarijarvi", pd.Timestamp(AUTUMN))]
    assert (duty.start, duty.end, duty.break_start) == (0, 465, 255)
