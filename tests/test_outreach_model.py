"""models/outreach.py: one tiny instance per constraint family, exact € objectives.

Base instance: one police official (30 €/h, field efficiency 0.5) with one tour to point
`p` (car 19.80 €, salary 35.00 € → 54.80 € a trip); a 20-minute slot loses
20/60 × (1/0.5 − 1) × 30 = 10.00 € of productivity; a customer's trip to the office costs
`office` €; a customer waiting one day costs 1.00 €.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from models import outreach as m

MON = dt.date(2015, 1, 5)
DAYS = (MON, MON + dt.timedelta(days=1))
TRIP = 54.80


def official(oid="police", provider="poliisi", town="Oulu", days=(0, 1), minutes=435):
    return m.Official(oid, provider, town, 30.0, 0.5, minutes, frozenset(days))


def problem(arrivals=(3, 0), office=30.0, days=(0, 1), minutes=435, open_minutes=480, **changes):
    base = m.Problem(
        days=DAYS,
        officials=(official(days=days, minutes=minutes),),
        tours=(m.Tour(0, ("p",), 44.0, 70, 19.80, 35.00),),
        streams=(m.Stream("p", "poliisi", "permit", 20.0, tuple(arrivals), office),),
        open_minutes={("p", 0): open_minutes, ("p", 1): open_minutes},
    )
    return replace(base, **changes)


FLOW = (m.add_one_trip_a_day, m.add_visit_capacity, m.add_customer_flow)


def solve(prob, hard=FLOW, weights=None):
    built = m.build(prob, weights or m.Weights(), hard=hard)
    return m.extract(built, m.solve(built, m.SolveParams(work_limit=10, workers=1, seed=0)))


def test_customer_flow_serves_locally_when_cheaper_than_the_office():
    sol = solve(problem())
    assert sol.status == "OPTIMAL"
    assert sol.objective == pytest.approx(TRIP + 3 * 10.0)
    assert sol.outcomes[0].served_locally == 3 and sol.outcomes[0].to_office == 0


def test_customer_flow_sends_everyone_to_the_office_when_a_trip_does_not_pay():
    sol = solve(problem(arrivals=(1, 0)))
    assert sol.objective == pytest.approx(30.0) and sol.trips == ()
    assert sol.penalties == {"to_office(point=p, provider=poliisi, type=permit, day=2015-01-05)": 30.0}


def test_calendar_moves_the_trip_to_a_working_day_and_customers_wait():
    sol = solve(problem(days=(1,)), hard=(m.add_calendar, *FLOW))
    assert [d for _, d, _ in sol.trips] == [1]
    assert sol.objective == pytest.approx(TRIP + 3 * 10.0 + 3 * 1.0)  # three customers wait one day
    assert sol.outcomes[0].waiting_customer_days == 3


def test_calendar_closed_point_means_no_trip():
    prob = problem(open_minutes=480)
    prob = replace(prob, open_minutes={("p", 0): 480})  # closed on day 1
    sol = solve(replace(prob, officials=(official(days=(1,)),)), hard=(m.add_calendar, *FLOW))
    assert sol.trips == () and sol.objective == pytest.approx(90.0)


def test_day_length_limits_appointments_after_driving():
    # 70 min driving + 80 min left: 4 of the 5 customers fit; the fifth goes to the office.
    sol = solve(problem(arrivals=(5, 0), minutes=150), hard=(m.add_day_length, *FLOW))
    assert sol.objective == pytest.approx(TRIP + 4 * 10.0 + 30.0)
    assert sol.outcomes[0].served_locally == 4


def test_visit_capacity_is_the_opening_hours():
    # Open 40 min: two slots; 54.80 + 20 + 3 × 40 = 194.80 < 5 × 40 at the office.
    sol = solve(problem(arrivals=(5, 0), office=40.0, open_minutes=40, days=(0,)), hard=(m.add_calendar, *FLOW))
    assert sol.objective == pytest.approx(TRIP + 20.0 + 120.0)


def test_one_trip_a_day():
    two = problem(arrivals=(4, 0), office=40.0, days=(0,))
    two = replace(two, tours=(*two.tours, m.Tour(0, ("q",), 44.0, 70, 19.80, 35.00)),
                  streams=(*two.streams, m.Stream("q", "poliisi", "permit", 20.0, (4, 0), 40.0)),
                  open_minutes={**two.open_minutes, ("q", 0): 480, ("q", 1): 480})
    free = solve(two, hard=(m.add_calendar, m.add_visit_capacity, m.add_customer_flow))
    assert len(free.trips) == 2 and free.objective == pytest.approx(2 * (TRIP + 40.0))
    one = solve(two, hard=(m.add_calendar, *FLOW))
    assert len(one.trips) == 1 and one.objective == pytest.approx(TRIP + 40.0 + 160.0)


def test_visit_pattern_weekdays_and_longest_gap():
    tuesday_only = problem(patterns=(m.Pattern("p", "poliisi", None, (1,)),))
    sol = solve(tuesday_only, hard=(*FLOW, m.add_visit_pattern))
    assert [d for _, d, _ in sol.trips] == [1] and sol.objective == pytest.approx(TRIP + 30.0 + 3.0)
    daily = problem(patterns=(m.Pattern("p", "poliisi", 1, ()),))
    sol = solve(daily, hard=(*FLOW, m.add_visit_pattern))
    assert len(sol.trips) == 2 and sol.objective == pytest.approx(2 * TRIP + 30.0)


def test_fixed_plan_pins_the_status_quo():
    fixed = m.FixedPlan(frozenset({("police", ("p",))}), {("police", "p", "2015-01"): 2}, {("police", "permit"): 1},
                        frozenset())
    sol = solve(problem(fixed=fixed), hard=(*FLOW, m.add_fixed_plan))
    # Two trips, one appointment each, one customer waits a day, one goes to the office.
    assert len(sol.trips) == 2 and sol.objective == pytest.approx(2 * TRIP + 2 * 10.0 + 30.0 + 1.0)


def test_pooling_counts_the_shared_car_once():
    prob = problem(arrivals=(3, 0), days=(0,))
    prob = replace(prob, officials=(official(days=(0,)), official("lawyer", "maistraatti", days=(0,))),
                   tours=(*prob.tours, m.Tour(1, ("p",), 44.0, 90, 19.80, 67.50)),
                   streams=(*prob.streams, m.Stream("p", "maistraatti", "wedding", 11.0, (1, 0), 200.0)))
    alone = solve(prob)
    shared = solve(replace(prob, pool_cars=True), hard=(*FLOW, m.add_pooling))
    assert len(alone.trips) == len(shared.trips) == 2
    assert alone.objective - shared.objective == pytest.approx(19.80)
    assert shared.pool_saving_eur == pytest.approx(19.80)
    assert {v.pooled_with for v in shared.visits} == {"police", "lawyer"}


def test_pooling_needs_the_same_town():
    prob = problem(days=(0,))
    prob = replace(prob, pool_cars=True,
                   officials=(official(days=(0,)), official("lawyer", "maistraatti", town="Turku", days=(0,))),
                   tours=(*prob.tours, m.Tour(1, ("p",), 44.0, 90, 19.80, 67.50)),
                   streams=(*prob.streams, m.Stream("p", "maistraatti", "wedding", 11.0, (1, 0), 200.0)))
    built = m.build(prob, m.Weights(), hard=(*FLOW, m.add_pooling))
    assert built.z == {}


def test_access_weight_zero_means_no_trips_and_caps_bind():
    assert solve(problem(), weights=m.Weights(access_weight=0.0)).trips == ()
    capped = solve(problem(), weights=m.Weights(max_official_eur=50.0))
    assert capped.trips == () and capped.official_eur == 0
    with pytest.raises(ValueError, match="no plan"):
        solve(problem(), weights=m.Weights(max_official_eur=0.0, max_access_eur=10.0))


def test_a_budget_limited_answer_is_never_called_optimal():
    built = m.build(problem(), m.Weights(), hard=FLOW)
    result = m.solve(built, m.SolveParams(work_limit=5, workers=1))
    assert m.extract(built, replace(result, status="FEASIBLE", work_limited=True)).status == "FEASIBLE (work limit)"
    assert m.extract(built, replace(result, status="FEASIBLE", time_limited=True)).status == "FEASIBLE (time limit)"
    assert m.extract(built, result).best_bound == pytest.approx(result.objective)


def test_a_bound_that_reaches_the_objective_to_the_cent_proves_it(monkeypatch):
    """A work budget stopped the search, but the bound is the objective to the cent: OPTIMAL, gap 0 — and only then."""
    limited = m.Result("FEASIBLE", 4577.10, 4577.10 - 1e-6, 2e-10, 0.0, 0.1, work_limited=True)
    assert (m.settled(limited).status, m.settled(limited).gap) == ("OPTIMAL", 0.0)
    assert m.settled(replace(limited, best_bound=4577.096)).status == "OPTIMAL"  # the model counts whole cents
    for bound in (4577.09, None):  # a cent short, or no bound: not proven
        assert m.settled(replace(limited, best_bound=bound)) == replace(limited, best_bound=bound)
    solve = m.kit.solve  # CP-SAT found the optimum and its bound, then the budget ran out before it said so
    monkeypatch.setattr(m.kit, "solve", lambda *a, **k: replace(solve(*a, **k), status="FEASIBLE", work_limited=True))
    built = m.build(problem(), m.Weights(), hard=FLOW)
    result = m.solve(built, m.SolveParams(work_limit=5, workers=1))
    assert (result.status, result.gap, m.extract(built, result).status) == ("OPTIMAL", 0.0, "OPTIMAL")
    plan = m.values(built, result)
    assert m.plan_result(built, "FEASIBLE", result.objective, result.objective, plan).status == "OPTIMAL"
    assert m.plan_result(built, "FEASIBLE", result.objective, result.objective - 0.01, plan).status == "FEASIBLE"


def test_visit_serves_no_pattern_met_by_an_empty_visit():
    """Issue #15: a required pattern was met by a stop with nothing to do; now every stop holds an appointment."""
    daily = problem(arrivals=(1, 0), patterns=(m.Pattern("p", "poliisi", 1, ()),))  # one customer, two visits asked
    built = m.build(daily, m.Weights(), hard=(*FLOW, m.add_visit_pattern, m.add_visit_serves))
    assert m.solve(built, m.SolveParams(work_limit=10, workers=1, seed=0)).status == "INFEASIBLE"
    sol = solve(problem(arrivals=(2, 1), patterns=(m.Pattern("p", "poliisi", 1, ()),)),
                hard=(*FLOW, m.add_visit_pattern, m.add_visit_serves))
    assert len(sol.trips) == 2 and all(sum(v.appointments.values()) > 0 for v in sol.visits)


def test_visit_serves_no_free_trip_to_the_home_town():
    """A 0 km trip to the official's own town costs nothing; it is still not made without appointments."""
    home = problem(arrivals=(0, 0), tours=(m.Tour(0, ("p",), 0.0, 0, 0.0, 0.0),))
    built = m.build(home, m.Weights(), hint={"trip(official=police, day=2015-01-05, stops=p)": 1})
    sol = m.extract(built, m.solve(built, m.SolveParams(work_limit=10, workers=1, seed=0)))
    assert sol.trips == () and sol.visits == ()
