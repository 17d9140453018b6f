"""planner/staffing/sizing.py on one month (January 2015) of the default scenario: the figures a
planner reads in staffing_summary.csv, worked from the tables beside them, and the rules behind them.

Found unguarded by mutation testing (issue #18): tests/test_sizing.py sizes the whole year
(slow, end-to-end); these take one month, sized once for the module (about a second of CPU).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models import staffing
from models.kit import Result
from planner.demand.forecast import forecast
from planner.staffing import queueing, sizing


@pytest.fixture(scope="module")
def january(default_scenario):
    horizon = default_scenario.config.horizon.model_copy(update={"months": 1})
    config = default_scenario.config.model_copy(update={"horizon": horizon})
    return default_scenario.model_copy(update={"config": config})


@pytest.fixture(scope="module")
def solved(january):
    """The month's day plans and floors: the solves, done once for the module."""
    demand = forecast(january)
    plans = sizing.plan_days(january, sizing.interval_requirements(january, demand))
    return demand, plans, sizing.minimum_manning_floor(january, plans)


@pytest.fixture
def sized(january, solved, monkeypatch):
    """size() with the module's solves: the tables are built inside each test, so that each test covers them."""
    demand, plans, floor = solved
    monkeypatch.setattr(sizing, "plan_days", lambda scenario, requirements, progress=None: plans)
    monkeypatch.setattr(sizing, "minimum_manning_floor", lambda scenario, plans: floor)
    return sizing.size(january, demand)


def point_rows(table: pd.DataFrame, point: str) -> pd.DataFrame:
    return table[table.point_id == point]


def test_january_2015_has_20_workdays(january):
    # 22 weekdays less New Year's Day (Thu 1.1.) and Epiphany (Tue 6.1.).
    assert sizing.workdays_per_month(january) == {"2015-01": 20}


def test_shift_templates_follow_the_working_hours_rules(january):
    """Default workforce: 4, 5, 6 and 7.75 h shifts; a 30-minute lunch only in the shift over 6 h, 2.5–5 h in."""
    templates = sizing.shift_templates(january, 8 * 60, 16 * 60)
    by_length: dict[int, list[staffing.ShiftTemplate]] = {}
    for t in templates:
        by_length.setdefault(t.length_min, []).append(t)
    assert sorted(by_length) == [240, 300, 360, 465]
    # Every start on the 15-minute grid from opening until the shift just ends at closing.
    assert [t.start_min for t in by_length[240]] == list(range(480, 720 + 1, 15))
    assert by_length[465][-1].start_min == 960 - 465 - (960 - 465) % 15 and by_length[465][-1].end_min <= 960
    for length, group in by_length.items():
        expected = (30, 150, 300) if length == 465 else (0, 0, 0)
        assert {(t.break_min, t.break_earliest_min, t.break_latest_min) for t in group} == {expected}
    # An opening off the grid: shifts start on the interval that holds the opening minute.
    assert sizing.shift_templates(january, 8 * 60 + 10, 16 * 60)[0].start_min == 480


def test_a_shift_of_exactly_the_break_threshold_has_no_break(january):
    """Working Hours Act §24: the break is due in a shift *longer* than 6 h, not in one of 6 h."""
    workforce = january.config.workforce.model_copy(update={"shift_lengths_hours": (6.0, 6.25)})
    config = january.config.model_copy(update={"workforce": workforce})
    templates = sizing.shift_templates(january.model_copy(update={"config": config}), 480, 960)
    assert {t.length_min: t.break_min for t in templates} == {360: 0, 375: 30}


def test_back_office_hours_are_spread_over_the_open_days_of_each_week(january):
    """Mikkeli: 14 h a week. Week 1 of 2015 is Fri 2.1. alone in the horizon, week 2 four days (Epiphany)."""
    minutes = sizing.back_office_minutes(january)
    mikkeli = point_rows(minutes, "mikkeli").set_index("date")["back_office_min"]
    assert mikkeli[pd.Timestamp("2015-01-02")] == 14 * 60
    assert (mikkeli[pd.Timestamp("2015-01-05"):pd.Timestamp("2015-01-09")] == 14 * 60 / 4).all()
    assert (mikkeli[pd.Timestamp("2015-01-12"):pd.Timestamp("2015-01-16")] == 14 * 60 / 5).all()
    assert pd.Timestamp("2015-01-06") not in mikkeli.index
    assert list(minutes.columns) == ["point_id", "date", "back_office_min"]


def test_alike_days_share_one_solve_and_small_back_office_work_is_prefitted(january, solved):
    _, plans, floor = solved
    assert len(plans) == len(floor) == sum(1 for _ in sizing.open_days(january).itertuples())
    mikkeli = {d: p for (point, d), p in plans.items() if point == "mikkeli"}
    assert len({id(p.solution) for p in mikkeli.values()}) < len(mikkeli)
    serving = (sizing.interval_requirements(january, solved[0]).groupby(["point_id", "date"])["workload_minutes"].sum()
               / 15).round() * 15
    prefitted = 0
    for key, plan in plans.items():
        assert plan.result.status == "OPTIMAL"
        # Someone on duty all day: when the minutes nobody is serving hold the day's back-office work, it cannot
        # change the plan and is left out of the model (so that more days share one solve).
        fits = len(plan.problem.required) * 15 - serving[key] >= plan.back_office_min
        assert plan.prefitted == fits
        assert (plan.problem.back_office_min, plan.problem.serving_min) == ((0, 0) if fits else (plan.back_office_min,
                                                                                                   serving[key]))
        assert plan.back_office_absorbed_min == (plan.back_office_min if fits else plan.solution.back_office_absorbed_min)
        prefitted += fits
    assert 0 < prefitted < len(plans)
    first = plans[("mikkeli", pd.Timestamp("2015-01-02"))]  # 14 h of back-office work on one day: not prefitted
    assert (first.prefitted, first.back_office_min, first.problem.back_office_min) == (False, 840, 840)
    assert first.problem.templates == sizing.shift_templates(january, 480, 960)
    assert first.problem.max_advisors == max(first.problem.required) + 3 and first.problem.min_on_duty[0] == 1
    # The floor: the same day with nobody coming costs no more than the day itself.
    for key, plan in plans.items():
        assert 0 < floor[key] <= plan.solution.paid_min


def test_requirement_pools_the_providers_at_the_arrival_weighted_handling_time(january, solved, sized):
    sl = january.config.service_level
    table = sized.intervals
    providers = [p.provider_id for p in january.providers]
    arrivals = table[[f"arrivals_{p}" for p in providers]].to_numpy()
    np.testing.assert_allclose(table["arrivals"], arrivals.sum(axis=1))
    np.testing.assert_allclose(table["workload_minutes"], table["aht_minutes"] * table["arrivals"])
    # Against the forecast: each provider's arrivals where they come, and the point's handling minutes.
    demand = solved[0].intervals.groupby(["point_id", "date", "interval_start", "provider_id"])["arrivals"].sum()
    long = table.melt(id_vars=["point_id", "date", "interval_start"], value_vars=[f"arrivals_{p}" for p in providers],
                      var_name="provider_id", value_name="by_provider")
    long["provider_id"] = long["provider_id"].str.removeprefix("arrivals_")
    long = long.set_index(["point_id", "date", "interval_start", "provider_id"])["by_provider"]
    np.testing.assert_allclose(long.loc[demand.index], demand)
    assert long.drop(demand.index).eq(0).all() and demand.sum() > 1000
    handling = sizing.handling_minutes(january).set_index(["point_id", "provider_id"])["handling_minutes"]
    minutes = np.array([[handling[(point, p)] for p in providers] for point in table["point_id"]])
    np.testing.assert_allclose(table["workload_minutes"], (arrivals * minutes).sum(axis=1))
    busy = table[table.arrivals > 0]
    expected = queueing.required_agents(
        busy["arrivals"], busy["aht_minutes"], busy["open_minutes"].astype(float), sl.target,
        sl.answer_within_minutes, max_occupancy=sl.max_occupancy, max_avg_wait_min=sl.max_average_wait_minutes)
    np.testing.assert_array_equal(busy["required"], expected)
    # Every open interval of every open day is there, customers or not: 20 days × 32 quarters in Mikkeli.
    assert len(point_rows(table, "mikkeli")) == 20 * 32
    assert (table.groupby(["point_id", "date"])["interval_start"].apply(lambda s: s.is_monotonic_increasing)).all()


def test_interval_table_reports_the_scheduled_cover_and_its_service_level(january, sized):
    sl = january.config.service_level
    table = sized.intervals
    assert (table["scheduled"] >= table["required"] - table["shortfall"]).all()
    busy = table[table.arrivals > 0]
    metrics = queueing.interval_metrics(busy["arrivals"], busy["aht_minutes"], busy["open_minutes"].astype(float),
                                        busy["scheduled"], sl.answer_within_minutes)
    np.testing.assert_allclose(busy["expected_sl"], metrics["service_level"])
    np.testing.assert_allclose(busy["avg_wait_minutes"], metrics["avg_wait_min"])
    np.testing.assert_allclose(busy["occupancy"], metrics["occupancy"])
    idle = table[table.arrivals == 0]
    assert (idle["expected_sl"] == 1.0).all() and (idle["avg_wait_minutes"] == 0).all() and (idle["occupancy"] == 0).all()


def test_day_and_shift_tables_add_up(january, sized):
    interval = january.config.horizon.interval_minutes
    shifts = sized.shifts
    breaks = (shifts["break_end_min"] - shifts["break_start_min"]).fillna(0)
    np.testing.assert_allclose(shifts["paid_hours"], (shifts["end_min"] - shifts["start_min"] - breaks) / 60 * shifts["count"])
    assert (breaks[shifts["end_min"] - shifts["start_min"] > 360] == 30).all()
    days = sized.days.set_index(["point_id", "date"])
    per_day = sized.intervals.groupby(["point_id", "date"])
    np.testing.assert_allclose(days["counter_hours"], per_day["scheduled"].sum() * interval / 60)
    np.testing.assert_allclose(days["workload_hours"], per_day["workload_minutes"].sum() / 60)
    np.testing.assert_array_equal(days["max_required"], per_day["required"].max())
    np.testing.assert_array_equal(days["shortfall_intervals"], per_day["shortfall"].apply(lambda s: (s > 0).sum()))
    paid_by_shifts = shifts.groupby(["point_id", "date"])["paid_hours"].sum()
    np.testing.assert_allclose(days["paid_hours"] - days["back_office_extra_hours"], paid_by_shifts)
    assert set(sized.days["month"]) == {"2015-01"} and set(sized.days["status"]) == {"OPTIMAL"}
    # Mikkeli's first day carries its whole first week of back-office work (14 h), absorbed or added.
    first = days.loc[("mikkeli", pd.Timestamp("2015-01-02"))]
    assert first["back_office_hours"] == 14
    assert first["back_office_absorbed_hours"] + first["back_office_extra_hours"] == pytest.approx(14)
    # The floor: what the day costs with nobody coming; demand never makes a day cheaper.
    assert (days["floor_hours"] <= days["paid_hours"] + 1e-9).all() and (days["floor_hours"] > 0).all()


def test_summary_turns_paid_hours_into_fte_and_headcount(january, sized):
    workforce = january.config.workforce
    s = sized.summary.set_index("point_id")
    days = sized.days.groupby("point_id")
    np.testing.assert_allclose(s["paid_hours"], days["paid_hours"].sum())
    np.testing.assert_allclose(s["floor_hours"], days["floor_hours"].sum())
    np.testing.assert_array_equal(s["open_days"], days.size())
    np.testing.assert_array_equal(s["peak_required"], days["max_required"].max())
    np.testing.assert_allclose(s["fte_needed"], s["paid_hours"] / (20 * 7.25))
    np.testing.assert_allclose(s["fte_with_shrinkage"], s["fte_needed"] / (1 - workforce.shrinkage))
    by_demand = np.ceil(s["fte_with_shrinkage"] - 1e-9)
    np.testing.assert_array_equal(s["headcount_needed"], np.maximum(by_demand, 2))
    assert list(s["headcount_rule"]) == ["shrinkage" if n > 2 else "2 persons named" for n in by_demand]
    np.testing.assert_allclose(s["counter_utilisation"], s["workload_hours"] / s["counter_hours"])
    np.testing.assert_allclose(s["idle_counter_hours"], s["counter_hours"] - s["workload_hours"])
    # Scenario staff: FTE of the regular advisors only (Pelkosenniemi's 0.2 FTE backup is not one), all persons.
    assert s.loc["pelkosenniemi", "fte_in_scenario"] == 0.8 and s.loc["pelkosenniemi", "persons_in_scenario"] == 2
    assert s.loc["mikkeli", "fte_in_scenario"] == 3.0 and s.loc["kiiminki", "persons_in_scenario"] == 3
    cost = workforce.advisor_hourly_cost_eur
    for p in (p.provider_id for p in january.providers):
        np.testing.assert_allclose(s[f"cost_eur_{p}"], s[f"workload_hours_{p}"] * cost)


def test_demand_drives_the_size_only_above_the_minimum_manning_floor(january, sized):
    s = sized.summary.set_index("point_id")
    above = s["paid_hours"] > s["floor_hours"] * 1.02 + 0.5
    assert list(s["driver"]) == ["demand" if a else "minimum manning" for a in above]
    assert set(s["driver"]) == {"demand", "minimum manning"}
    # The rule itself, on a hand-made month: 2 % and half an hour over the floor is still the floor.
    days = pd.DataFrame({
        "point_id": ["a", "b", "c"], "date": pd.to_datetime(["2015-01-02"] * 3), "month": "2015-01",
        "paid_hours": [102.5, 102.6, 100.0], "floor_hours": [100.0, 100.0, 100.0], "counter_hours": [80.0, 80.0, 0.0],
        "workload_hours": [40.0, 40.0, 0.0], "back_office_hours": 0.0, "back_office_absorbed_hours": 0.0,
        "back_office_extra_hours": 0.0, "max_required": 1, "shortfall_intervals": 0,
    })
    providers = [p.provider_id for p in january.providers]
    intervals = pd.DataFrame({"point_id": ["mikkeli"], "date": pd.to_datetime(["2015-01-02"]),
                              **{f"arrivals_{p}": [0.0] for p in providers}})
    summary = sizing._summary_table(january, intervals, days).set_index("point_id")
    assert list(summary["driver"]) == ["minimum manning", "demand", "minimum manning"]
    assert np.isnan(summary.loc["c", "counter_utilisation"])  # no counter hours: no utilisation, not a division by 0
    assert summary.loc["a", "fte_in_scenario"] == 0 and summary.loc["a", "persons_in_scenario"] == 0


def test_alike_days_are_solved_once_and_reported_per_point(sized):
    solver = sized.solver
    assert set(solver) == {"kiiminki", "mikkeli", "parainen", "pelkosenniemi", "saarijarvi"}
    for point, info in solver.items():
        open_days = len(point_rows(sized.days, point))
        assert 1 <= info["distinct_days_solved"] < open_days
        assert info["status"] == "OPTIMAL" and info["statuses"] == {"OPTIMAL": info["distinct_days_solved"]}
        assert info["objective"] == info["best_bound"] > 0 and info["gap"] == 0.0 and "seconds" in info


def test_a_day_without_a_plan_is_retried_with_a_larger_budget_then_refused(monkeypatch, january):
    seen = []

    def never(built, params):
        seen.append(params.work_limit)
        return Result(status="UNKNOWN", objective=None, best_bound=None, gap=None, seconds=0.0, work=0.0)

    monkeypatch.setattr(staffing, "solve", never)
    params = sizing._params(january)
    with pytest.raises(RuntimeError, match=rf"no plan within {params.work_limit * 16:g} deterministic s \(status UNKNOWN\)"):
        sizing.solve_until_found(None, params)
    assert seen == [params.work_limit, params.work_limit * 4, params.work_limit * 16]


def test_merged_groups_read_in_the_scenarios_order(sized):
    by_point = [sizing.SizingResult(point_rows(sized.intervals, p), point_rows(sized.shifts, p),
                                    point_rows(sized.days, p), point_rows(sized.summary, p),
                                    {p: sized.solver[p]}) for p in sorted(sized.solver, reverse=True)]
    merged = sizing.merge_results(by_point)
    for name in ("intervals", "shifts", "days", "summary"):
        pd.testing.assert_frame_equal(getattr(merged, name), getattr(sized, name).reset_index(drop=True), check_like=False)
    assert merged.solver == sized.solver
