"""The point rosters' search (issue #14): greedy start, large-neighbourhood search over weeks
and advisor pairs, then the whole model for the bound (models/advisor_roster.solve)."""

from __future__ import annotations

import datetime as dt

import pytest

from models import advisor_roster as ar
from models import roster
from models.kit import SolveParams
from planner.base.decompose import restrict_to_points
from planner.rosters import roster as rostering
from planner.rosters.stage import requirements_for
from planner.scenario.loading import load_scenario
from tests.conftest import DEFAULT_DIR
from tests.test_advisor_roster import W, problem


@pytest.mark.parametrize(("days", "advisors", "history"), [(28, 3, 0), (28, 2, 0), (29, 5, 7), (8, 4, 0), (365, 6, 0)])
def test_neighbourhoods_free_every_own_day_and_advisor_never_history(days, advisors, history):
    pieces = roster.neighbourhoods(days, advisors, history)
    freed = {(e, d) for span, who in pieces for d in span for e in who}
    assert freed == {(e, d) for e in range(advisors) for d in range(history, days)}
    for span, who in pieces:
        assert len(span) <= max(roster.LNS_WINDOW_DAYS, days - history)
        assert who, "a piece frees at least one advisor"


def test_neighbourhoods_pair_advisors_over_the_horizon_from_three():
    pieces = roster.neighbourhoods(21, 3)
    pairs = [who for span, who in pieces if len(span) == 21]
    assert pairs == [(0, 1), (1, 2), (2, 0)]  # contract balances and fairness move between advisors
    assert not [who for span, who in roster.neighbourhoods(21, 2) if len(span) == 21]


def test_a_week_or_less_is_one_piece():
    assert roster.neighbourhoods(10, 3, first=7) == [(range(7, 10), (0, 1, 2))]


def test_search_keeps_the_best_and_proves_a_small_roster():
    """Two advisors, a week, one point needing one advisor all day: the search's roster is
    never worse than the start and the whole model proves it."""
    days = 7
    ivs = tuple(ar.Interval("p", d, 480, 960, 1, 1, f"p D{d}") for d in range(days))
    p = problem(days=days, intervals=ivs)
    b = ar.build(p, W)
    model = b.model.clone()
    start = ar._start(b, model, SolveParams(work_limit=2, workers=1))
    r = ar.solve(b, SolveParams(work_limit=2, workers=1))
    assert r.status == "OPTIMAL" and r.objective <= start.objective
    assert r.best_bound == r.objective and r.gap == 0


@pytest.mark.slow
def test_kiiminki_four_weeks_within_one_percent_in_the_default_budget():
    """The issue's target for the pilots' four weeks. Kiiminki was the one group the whole model
    alone did not reach: FEASIBLE 4 553 against a bound of 3 074 (the optimum) at work 10,
    descending slowly from the greedy 8 401."""
    scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
    scenario = restrict_to_points(scenario, {"kiiminki"})
    dates = rostering.roster_dates(scenario, dt.date(2015, 1, 1), 4)
    result = rostering.solve_group(scenario, {"kiiminki"}, dates, requirements_for(scenario))
    s = result.solution
    assert s.objective is not None and s.bound is not None
    assert s.gap is not None and s.gap <= 0.01, (s.status, s.objective, s.bound)


@pytest.mark.slow
def test_progress_never_goes_back_in_time_or_objective():
    """The terminal's progress lines: start, search and whole model each counted from the roster
    solve's start (the whole model's solver counts from 0: Kiiminki's two weeks printed "at 0.0 s"
    after "at 1.5 s"), and every objective reported no worse than the one before."""
    scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
    scenario = restrict_to_points(scenario, {"kiiminki"})
    dates = rostering.roster_dates(scenario, dt.date(2015, 1, 1), 2)
    problem, _ = rostering.build_problem(scenario, {"kiiminki"}, dates, requirements_for(scenario), None, None)
    b = ar.build(problem, rostering.weights(scenario))
    seen: list[tuple[float, float]] = []
    result = ar.solve(b, SolveParams(work_limit=2, workers=1,
                                     progress=lambda objective, bound, seconds: seen.append((objective, seconds))))
    assert len(seen) >= 3  # the start, the search's better rosters, the whole model
    assert [s for _, s in seen] == sorted(s for _, s in seen), seen
    assert [o for o, _ in seen] == sorted((o for o, _ in seen), reverse=True), seen
    assert seen[-1][0] >= result.objective and result.seconds >= seen[-1][1]
