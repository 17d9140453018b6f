"""planner/outreach/blocks.py: a long horizon planned in blocks is one plan, nothing lost or broken at a seam.

The instance is test_outreach_search's eastern-Lapland shape (one Rovaniemi police official, far small points),
cut into month blocks by a small `max_trip_variables` (the product's rule leaves such a problem one block).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from models import outreach as m
from planner.outreach import blocks
from planner.outreach.plan import solve_horizon, solve_problem
from tests.test_outreach_search import lapland

PARAMS = m.SolveParams(work_limit=0.5, workers=1, seed=0)
FORCED = 100  # trip variables a block: month blocks on these instances


def pattern_problem(n_days: int = 62, every: int = 15) -> m.Problem:
    return replace(lapland(("kemijarvi", "pelkosenniemi", "posio"), n_days=n_days),
                   patterns=(m.Pattern("posio", "poliisi", every, ()),))


def recomputed(problem: m.Problem, solution: m.Solution, w: m.Weights) -> float:
    """The plan's objective from the whole horizon's data alone: its trips, the appointments of its visits and each
    stream's outcome (office trips, waiting days, video), as planner/checks and the tables read them."""
    ids = {o.id: i for i, o in enumerate(problem.officials)}
    official = sum(problem.tours[k].car_eur + problem.tours[k].salary_eur + problem.tours[k].hotel_eur
                   + problem.tours[k].per_diem_eur for _, _, k in solution.trips)
    for visit in solution.visits:
        o = ids[visit.official]
        for kind, n in visit.appointments.items():
            stream = next(s for s in problem.streams if (s.point, s.provider, s.appointment_type)
                          == (visit.point, problem.officials[o].provider, kind))
            official += n * round(m.productivity_eur(problem.officials[o], stream), 2)
    access = sum(sum(at_office * round(problem.streams[o.stream].office_on(d), 2)
                     for d, (_, at_office, _, _) in o.by_arrival.items())
                 + o.waiting_customer_days * w.waiting_eur_per_day
                 + o.video * problem.streams[o.stream].video_eur for o in solution.outcomes)
    return official - solution.pool_saving_eur + w.access_weight * access


def windows_met(problem: m.Problem, solution: m.Solution, pattern: m.Pattern) -> list[dt.date]:
    """Starts of the pattern's windows (inside the horizon) without a visit of the pair: [] when it holds."""
    visited = {problem.days[v.day] for v in solution.visits if v.point == pattern.point}
    first, last, n = problem.days[0], problem.days[-1], pattern.max_days_between
    out, start = [], first
    while start + dt.timedelta(days=n - 1) <= last:
        if not any(start <= day <= start + dt.timedelta(days=n - 1) for day in visited):
            out.append(start)
        start += dt.timedelta(days=1)
    return out


def test_the_block_rule_keeps_small_problems_whole_and_cuts_a_large_year_into_months():
    # A year that must be cut was cut into as few blocks as the sizes allow (Helsinki TE's: four quarters); a block
    # of months at its share of the budget planned worse than a month does (Joensuu maistraatti's year: 41 993 € in
    # three blocks, 39 460 € in twelve): it is cut into calendar months now.
    assert blocks.spans(lapland(n_days=62)) == [range(62)]  # a quarter of a small area: one block, as before
    assert blocks.spans(lapland(n_days=252)) == [range(252)]  # so is a small area's year (the pilots')
    year = lapland(("kemijarvi",), n_days=252)
    many = replace(year, tours=year.tours * 524)  # Helsinki TE's year: 524 tours × 252 days
    cuts = blocks.spans(many)
    assert len(cuts) == 12
    assert [many.days[c.start].month for c in cuts] == list(range(1, 13))  # one block a calendar month
    assert all(many.days[c.stop - 1].month == many.days[c.start].month for c in cuts)
    assert cuts[0].start == 0 and cuts[-1].stop == 252 and all(a.stop == b.start for a, b in zip(cuts, cuts[1:], strict=False))


def test_a_seam_an_overnight_trip_could_cross_moves_past_the_weekend():
    problem = lapland(("kemijarvi",), n_days=62)
    night = replace(problem.tours[0], nights=1, day_drive=(176, 176))
    cuts = blocks.spans(replace(problem, tours=(*problem.tours, night)), 50)
    assert [problem.days[c.start] for c in cuts[1:]] == [dt.date(2015, 2, 2), dt.date(2015, 3, 2)]  # Mondays already
    spring = tuple(sorted(d for d in (dt.date(2015, 3, 2) + dt.timedelta(days=i) for i in range(90))
                          if d.weekday() < 5)[:62])  # March–May 2015: 1 April is a Wednesday, 1 May a Friday
    late = replace(problem, days=spring)
    cuts = blocks.spans(replace(late, tours=(*late.tours, night)), 50)
    assert [spring[c.start] for c in cuts[1:]] == [dt.date(2015, 4, 6), dt.date(2015, 5, 4)]  # the Mondays after
    assert [spring[c.start] for c in blocks.spans(late, 25)[1:]] == [dt.date(2015, 4, 1), dt.date(2015, 5, 1)]


def test_a_multi_block_plan_loses_no_waiting_customer_breaks_no_pattern_and_its_objective_is_its_cost():
    problem, w = pattern_problem(), m.Weights()
    # Kemijärvi is closed the last week of January: its customers of that week wait for a February visit.
    shut = {d for d, day in enumerate(problem.days) if dt.date(2015, 1, 26) <= day <= dt.date(2015, 1, 30)}
    problem = replace(problem, open_minutes={k: v for k, v in problem.open_minutes.items()
                                             if not (k[0] == "kemijarvi" and k[1] in shut)})
    assert len(blocks.spans(problem, FORCED)) == 3
    solution, values = solve_problem(None, problem, w, PARAMS, max_trip_variables=FORCED)
    for outcome in solution.outcomes:  # every customer is served, sent to the office or by video, once
        stream = problem.streams[outcome.stream]
        assert outcome.served_locally + outcome.to_office + outcome.video == sum(stream.arrivals)
    assert windows_met(problem, solution, problem.patterns[0]) == []  # across the seams too
    crossing = [name for name, n in values.items() if n and name.startswith("served(")
                and name.split("arrived=")[1][:7] != name.split("on=")[1][:7]]
    assert crossing  # customers of one block were served in the next: the seam carried them
    assert solution.objective == pytest.approx(recomputed(problem, solution, w), abs=0.01)
    assert solution.objective == pytest.approx(solution.official_eur + solution.access_eur, abs=1e-6)
    assert solution.best_bound is not None and 0 < solution.best_bound <= solution.objective
    assert solution.status != "OPTIMAL" or solution.best_bound == pytest.approx(solution.objective, abs=0.01)


def proven_two_blocks() -> tuple[m.Problem, m.Weights, m.Result, list[range]]:
    """A small horizon CP-SAT proves optimal (problem, weights, its optimal result) and its two month blocks."""
    problem = lapland(("kemijarvi", "pelkosenniemi"), n_days=40, scale=0.6)
    w = m.Weights()
    _, result = solve_horizon(problem, w, m.SolveParams(work_limit=30, workers=1, seed=0))
    assert result.status == "OPTIMAL"
    cuts = blocks.spans(problem, 40)
    assert len(cuts) == 2
    return problem, w, result, cuts


def test_the_blocks_bound_is_a_bound_of_the_whole_horizon():
    """The sum of the blocks' relaxations is below the whole horizon's proven optimum (a small instance CP-SAT proves),
    whatever the blocks before each one planned."""
    problem, w, result, cuts = proven_two_blocks()
    bound = sum(blocks.block_bound(problem, span, w) for span in cuts)
    assert bound <= result.objective + 1e-6
    solution, _ = solve_problem(None, problem, w, PARAMS, max_trip_variables=40)
    # The blocks' plan is more than GAP_TARGET above Σ LB_b: a larger bound charges a customer waiting across the seam
    # a share of the trip that serves them — the whole horizon's LP, or here the two blocks' joined relaxation
    # (bound_spans), which equals it.
    whole = blocks.whole_bound(problem, w)
    assert kit_gap(solution.objective, bound) > blocks.GAP_TARGET
    assert whole > bound + 1.0
    assert solution.best_bound == pytest.approx(min(max(bound, whole), solution.objective))
    assert solution.best_bound <= result.objective + 1e-6 <= solution.objective + 2e-6
    assert solution.best_bound <= recomputed(problem, solution, w) + 1e-6  # below the checker's cost of the plan


def kit_gap(objective: float, bound: float) -> float:
    return m.kit.gap(objective, bound)


def test_a_block_leaves_a_visit_pattern_the_next_block_can_keep():
    """Posio is closed the first week of February: a visit every 10 days must come on Friday 30 January, which only
    the January block can make (Pattern.until), or February's block has no plan. Nobody arrives at Posio in the
    last fortnight of January, so the January block alone would rather visit as early as its windows allow."""
    problem = pattern_problem(n_days=40, every=10)
    posio = problem.streams[2]
    quiet = tuple(0 if dt.date(2015, 1, 19) <= day <= dt.date(2015, 1, 30) else n
                  for day, n in zip(problem.days, posio.arrivals, strict=True))
    problem = replace(problem, streams=(*problem.streams[:2], replace(posio, arrivals=quiet)))
    closed = {d for d, day in enumerate(problem.days) if dt.date(2015, 2, 2) <= day <= dt.date(2015, 2, 6)}
    problem = replace(problem, open_minutes={k: v for k, v in problem.open_minutes.items()
                                             if not (k[0] == "posio" and k[1] in closed)})
    cuts = blocks.spans(problem, FORCED)
    assert problem.days[cuts[1].start] == dt.date(2015, 2, 2)
    solution, _ = solve_problem(None, problem, m.Weights(), PARAMS, max_trip_variables=FORCED)
    assert windows_met(problem, solution, problem.patterns[0]) == []
    assert dt.date(2015, 1, 30) in {problem.days[v.day] for v in solution.visits if v.point == "posio"}


def test_video_hours_of_a_period_cut_by_a_seam_are_shared_not_doubled():
    problem = lapland(("kemijarvi",), n_days=40)
    stream = replace(problem.streams[0], video_cap=problem.streams[0].arrivals, video_eur=5.0)
    days = tuple(d for d, day in enumerate(problem.days) if dt.date(2015, 1, 26) <= day <= dt.date(2015, 2, 6))
    limit = m.VideoLimit("poliisi", "", days, 60, "2015-W05+06")  # three 20-minute slots over two weeks
    problem = replace(problem, streams=(stream,), video_limits=(limit,))
    assert len(blocks.spans(problem, 20)) == 2
    solution, values = solve_problem(None, problem, m.Weights(), PARAMS, max_trip_variables=20)
    in_period = sum(n for name, n in values.items() if name.startswith("video(")
                    and dt.date(2015, 1, 26) <= dt.date.fromisoformat(name.split("day=")[1][:10]) <= dt.date(2015, 2, 6))
    assert in_period <= 3


def test_the_blocks_of_an_area_share_its_work_budget_as_the_square_root_of_their_number(monkeypatch):
    """A year's area was given the whole budget per block (first solve W and up to LNS_TOTAL_SHARE × W of search
    each): ~90 blocks nationally, an hour of one core; then one W shared by all (W/12 a month block), too little for
    a month's plan. Now the n blocks share √n × W and √n × the search total, by trip variables (days). Asserted on
    the work limits handed to CP-SAT (each solve then clipped to 0.05 det. s: fast)."""
    problem = lapland(("kemijarvi", "pelkosenniemi", "posio"), n_days=62)
    cuts = blocks.spans(problem, FORCED)
    assert len(cuts) == 3
    work = 8.0
    first, search, in_search = [], [], []
    real_solve, real_improve = m.kit.solve, m.improve

    def solve(model, params, scale=1.0):
        (search if in_search else first).append(params.work_limit)
        return real_solve(model, replace(params, work_limit=min(params.work_limit, 0.05)), scale)

    def improve(built, start, params):
        in_search.append(True)
        try:
            return real_improve(built, start, params)
        finally:
            in_search.clear()

    monkeypatch.setattr(m.kit, "solve", solve)
    monkeypatch.setattr(m, "improve", improve)
    solution, _ = solve_problem(None, problem, m.Weights(), m.SolveParams(work_limit=work, workers=1, seed=0),
                                max_trip_variables=FORCED)
    assert solution.objective is not None
    assert len(first) == len(cuts)  # one first solve a block
    root = 3 ** 0.5  # three month blocks
    assert first == pytest.approx([work * root * len(span) / len(problem.days) for span in cuts])
    assert sum(first) == pytest.approx(work * root)  # more than one W in all, less than W a block
    assert search and sum(search) <= m.LNS_TOTAL_SHARE * work * root + 1e-9
    assert blocks.block_params(problem, [range(62)], PARAMS) == [PARAMS]  # one block: the whole budget, as before


def test_a_horizon_whose_model_is_large_is_cut_even_when_its_trips_are_few():
    """A register office's year has as many served-customer variables as trips (62 streams of customers who may wait
    weeks): cut by trips alone into blocks of 81 000 variables, a worker held 1.2 GB. model_variables counts what
    build makes, and spans cuts by it too."""
    problem, w = lapland(("kemijarvi", "pelkosenniemi", "posio"), n_days=62), m.Weights()
    built = m.build(problem, w, hint={})
    count = blocks.model_variables(problem, w)
    assert count == len(built.y) + len(built.a) + len(built.x)
    assert blocks.spans(problem, w=w) == [range(62)]  # far below both limits: one block
    assert len(blocks.spans(problem)) == 1 and len(blocks.spans(problem, 10**9, w, count)) == 1
    assert len(blocks.spans(problem, 10**9, w, count - 1)) == 3  # cut: its three months


def test_the_bound_joins_blocks_into_longer_spans_and_stays_below_the_proven_optimum():
    """The blocks' relaxations hold for any cut of the horizon into consecutive spans; joined spans have fewer seams
    (Joensuu maistraatti's year: 18 156 € by month, 24 411 € by half-year). Below a proven optimum either way."""
    problem, w, result, cuts = proven_two_blocks()
    assert blocks.bound_spans(problem, cuts, w, max_variables=0) == cuts  # a block alone whatever its size
    joined = blocks.bound_spans(problem, cuts, w)
    assert joined == [range(40)]
    apart = sum(blocks.block_bound(problem, span, w) for span in cuts)
    together = blocks.block_bound(problem, joined[0], w)
    assert apart + 1.0 < together <= result.objective + 1e-6
    solution, _ = solve_problem(None, problem, w, PARAMS, max_trip_variables=40)
    assert solution.best_bound == pytest.approx(min(together, solution.objective))
    assert solution.best_bound <= result.objective + 1e-6


def test_a_block_solves_no_lp_of_its_own_only_the_bound_spans_do(monkeypatch):
    """A block's model's LP proved nothing about the horizon (its bound is the relaxations'): one LP a bound span."""
    problem = lapland(("kemijarvi", "pelkosenniemi", "posio"), n_days=62)
    w = m.Weights()
    cuts = blocks.spans(problem, FORCED)
    calls = []
    real = m.lp_bound
    monkeypatch.setattr(m, "lp_bound", lambda built: calls.append(len(built.problem.days)) or real(built))
    solution, _ = solve_problem(None, problem, w, PARAMS, max_trip_variables=FORCED)
    spans = blocks.bound_spans(problem, cuts, w)
    assert len(cuts) == 3 and solution.status != "OPTIMAL"
    assert calls == [len(span) for span in spans]
