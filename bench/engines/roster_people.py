"""People-over-the-whole-horizon search around models/roster.py: small exact subproblems.

Every hard rule of the roster engine concerns one person; people interact only through the
soft cover rows. So with everyone but a few people F fixed, the rest of the roster is a
constant and the best schedules of F solve a *residual* roster problem of the same kind:
the people F, their own requests, and each cover row reduced by what the fixed people
already give. Rows where F cannot change the marginal cost become per-person requests
(a linear cost), so the subproblem stays small even on year-long rosters:

    fixed count c, requirement q, k = |F|, r = q − c
    r ≤ 0      every person of F on the row costs weight_over     → shift-off requests
    r ≥ k      every person of F on the row saves weight_under    → shift-on requests
    0 < r < k  a cover row with requirement r                     (kept as a row)

The subproblem is built and solved by models/roster.py (build → solve); its roster is
spliced into the incumbent and re-scored by `evaluate`, so the objective reported is the
full problem's. Building never touches the full model, which is what keeps memory flat on
large instances (the full model of 150 people × 364 days × 32 shift types is too big to
build and solve in a minute).

1. Construction: people one at a time, each given the best schedule against those placed
   before (a 1-person residual problem). Feasible whenever each person alone is, because
   no hard rule links two people.
2. Improvement: repeatedly free k people (k adapts: larger while subproblems are solved
   to optimality, smaller when they time out), half of them around a penalised cover cell,
   and keep the result when it is no worse.

Deterministic for a given seed when every solve stops on deterministic time (one worker);
a wall-clock stop from `on_progress` only decides how many iterations run.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from bench.engines import roster_pricing as pricing
from bench.engines.roster_pattern import self_compatible, single_type_schedule
from models.kit import SolveParams
from models.roster import Key, Weights, build, interval_cells, solve
from models.roster import assignment as roster_of
from models.roster_problem import Employee, IntervalCover, Request, RosterProblem, ShiftCover

UNIT = Weights()  # the roster engine's default multipliers (immutable)


def evaluate(problem: RosterProblem, assignment: Mapping[Key, str], weights: Weights = UNIT
             ) -> int:
    """Objective of a roster (cover shortfall/surplus and requests), as models/roster.py scores it."""
    cells = Counter((d, s) for (_, d), s in assignment.items())
    total = 0
    for c in problem.shift_cover:
        got = cells[c.day, c.shift]
        total += (max(0, c.requirement - got) * c.weight_under * weights.cover_under
                  + max(0, got - c.requirement) * c.weight_over * weights.cover_over)
    for c in problem.interval_cover:
        got = sum(cells[d, problem.shifts[s].id] for d, s in interval_cells(problem, c))
        total += (max(0, c.requirement - got) * c.weight_under * weights.cover_under
                  + max(0, got - c.requirement) * c.weight_over * weights.cover_over)
    for r in problem.requests:
        worked = assignment.get((r.employee, r.day)) == r.shift
        if r.on and not worked:
            total += r.weight * weights.request_on
        elif not r.on and worked:
            total += r.weight * weights.request_off
    return total


def residual(problem: RosterProblem, assignment: Mapping[Key, str], free: list[str],
             weights: Weights = UNIT) -> RosterProblem:
    """The roster problem of the people `free` with everyone else fixed to `assignment`.

    Its objective differs from the full one by a constant; weights are folded in, so the
    subproblem is solved with unit multipliers.
    """
    free_set = set(free)
    fixed = Counter((d, s) for (e, d), s in assignment.items() if e not in free_set)
    k = len(free)
    emp = {e.id: e for e in problem.employees}
    requests = [r.model_copy(update={"weight": r.weight * (weights.request_on if r.on
                                                           else weights.request_off)})
                for r in problem.requests if r.employee in free_set]
    cover: list[ShiftCover] = []
    for c in problem.shift_cover:
        wu, wo = c.weight_under * weights.cover_under, c.weight_over * weights.cover_over
        r = c.requirement - fixed[c.day, c.shift]
        if 0 < r < k:
            cover.append(ShiftCover.model_construct(day=c.day, shift=c.shift, requirement=r,
                                                    weight_under=wu, weight_over=wo))
            continue
        on, w = (False, wo) if r <= 0 else (True, wu)
        if w:
            # Built without validation (valid by construction): thousands per subproblem.
            requests += [Request.model_construct(employee=e, day=c.day, shift=c.shift,
                                                 weight=w, on=on)
                         for e in free if emp[e].may_work(c.shift)]
    intervals = []
    for c in problem.interval_cover:
        got = sum(fixed[d, problem.shifts[s].id] for d, s in interval_cells(problem, c))
        intervals.append(IntervalCover(
            day=c.day, start=c.start, end=c.end, requirement=max(0, c.requirement - got),
            weight_under=c.weight_under * weights.cover_under,
            weight_over=c.weight_over * weights.cover_over))
    return problem.model_copy(update={
        "employees": tuple(emp[e] for e in free), "shift_cover": tuple(cover),
        "interval_cover": tuple(intervals), "requests": tuple(requests)})


def only_shifts(problem: RosterProblem, keep: set[str]) -> RosterProblem:
    """The same problem with every shift type outside `keep` removed (a restriction)."""
    return problem.model_copy(update={
        "shifts": tuple(s for s in problem.shifts if s.id in keep),
        "employees": tuple(e.model_copy(update={
            "max_shifts": {k: v for k, v in e.max_shifts.items() if k in keep},
            "allowed_shifts": None if e.allowed_shifts is None else e.allowed_shifts & keep})
            for e in problem.employees),
        "forbidden_successions": tuple(f for f in problem.forbidden_successions
                                       if f.first in keep and f.then in keep),
        "shift_cover": tuple(c for c in problem.shift_cover if c.shift in keep),
        "requests": tuple(r for r in problem.requests if r.shift in keep),
        # Interval rows stay: a removed shift type only means nobody serves through it.
    })


def _wanted_shifts(sub: RosterProblem, n: int, current: set[str]) -> set[str]:
    """The `n` shift types the subproblem's people may work with the most unmet demand.

    Demand is read from the residual's shift-on requests (cover the people could fill)
    and remaining cover rows; the people's current shift types stay available.
    """
    gain: Counter[str] = Counter()
    for r in sub.requests:
        gain[r.shift] += r.weight if r.on else 0
    for c in sub.shift_cover:
        gain[c.shift] += c.requirement * c.weight_under
    allowed = [s.id for s in sub.shifts if any(e.may_work(s.id) for e in sub.employees)]
    allowed.sort(key=lambda s: -gain[s])
    return set(allowed[:n]) | current


@dataclass(frozen=True)
class PeopleParams:
    seed: int = 0
    sub_dtime: float = 0.5  # deterministic seconds per improvement subproblem
    build_dtime: float = 2.0  # deterministic seconds per 1-person construction subproblem
    start_people: int = 3  # people freed at first; adapts within [1, max_people]
    max_people: int = 12
    iterations: int = 1_000_000
    wall_per_solve: float = 10.0  # wall cap of any one solve (a safety net under load)
    # Shift types offered per subproblem when there are more (None = all): each person's
    # current types plus those with the most unmet demand. Keeps year-long rosters with
    # dozens of shift types cheap to build; a failed narrow solve retries with all types.
    narrow: int | None = None
    # Construction: shift types tried per person by the single-type DP (0 = CP-SAT only).
    pattern_tries: int = 0


@dataclass(frozen=True)
class PeopleProgress:
    iteration: int
    phase: str  # "construct" or "improve"
    label: str
    objective: int | None
    improved: bool


@dataclass(frozen=True)
class PeopleResult:
    status: str  # FEASIBLE, INFEASIBLE (a person has no valid schedule) or UNKNOWN
    objective: int | None
    assignment: dict[Key, str]
    iterations: int


def _solve_people(problem: RosterProblem, assignment: dict[Key, str], free: list[str],
                  weights: Weights, dtime: float, seed: int, wall: float,
                  narrow: int | None = None) -> tuple[str, dict[Key, str] | None]:
    """Best schedules of `free` against the rest of `assignment` (status, new full roster)."""
    sub = residual(problem, assignment, free, weights)
    # No hint when the free people have no shifts yet: an all-off hint (every x = 0) breaks their
    # minimum minutes and sent CP-SAT astray — UNKNOWN after 2 deterministic s on a one-person
    # problem it solves in 0.3 s without it (Instance16's construction stopped at person S).
    hint = {(e, d): s for (e, d), s in assignment.items() if e in set(free)} or None
    params = SolveParams(work_limit=dtime, time_limit=wall, workers=1, seed=seed)
    res = None
    if narrow is not None and narrow < len(problem.shifts):
        small = build(only_shifts(sub, _wanted_shifts(sub, narrow, set((hint or {}).values()))))
        res, built = solve(small, params, hint=hint), small
    if res is None or (res.objective is None and not hint):
        built = build(sub)
        res = solve(built, params, hint=hint)
    if res.objective is None:
        return res.status, None
    out = {key: s for key, s in assignment.items() if key[0] not in set(free)}
    out.update(roster_of(built, res))
    return res.status, out


def marginal_costs(problem: RosterProblem, roster: Mapping[Key, str], emp: Employee,
                   weights: Weights = UNIT) -> dict[tuple[int, str], float]:
    """Change of the objective when `emp` works (day, shift), everyone else as in `roster`.

    Shift-cover rows and the person's requests only (interval rows are not linear in one
    person's choice of day and shift).
    """
    others = Counter((d, s) for (e, d), s in roster.items() if e != emp.id)
    cost: dict[tuple[int, str], float] = {}
    for c in problem.shift_cover:
        if not emp.may_work(c.shift):
            continue
        short = others[c.day, c.shift] < c.requirement
        w = -c.weight_under * weights.cover_under if short else c.weight_over * weights.cover_over
        cost[c.day, c.shift] = cost.get((c.day, c.shift), 0.0) + w
    for r in problem.requests:
        if r.employee == emp.id:
            w = -r.weight * weights.request_on if r.on else r.weight * weights.request_off
            cost[r.day, r.shift] = cost.get((r.day, r.shift), 0.0) + w
    return cost


def _pattern_person(problem: RosterProblem, roster: dict[Key, str], emp: Employee,
                    weights: Weights, tries: int) -> tuple[float, dict[Key, str]] | None:
    """(change of the objective, `roster` with `emp` on a single-shift-type schedule).

    Costs are the person's marginal objective per (day, shift) with everyone else as in
    `roster`; exact for one person, so the change needs no re-scoring. The shift types
    with the most to gain are tried until `tries` give a schedule; the cheapest wins.
    """
    if problem.interval_cover:
        return None  # interval rows have no per-(day, shift) marginal cost
    cost = marginal_costs(problem, roster, emp, weights)
    gain: Counter[str] = Counter()
    for (_, s), c in cost.items():
        gain[s] += min(0.0, c)
    types = [s.id for s in problem.shifts if emp.may_work(s.id) and self_compatible(problem, s.id)]
    types.sort(key=lambda s: (gain[s], s))
    best: tuple[float, str, list[int]] | None = None
    found = 0
    for s in types:  # the most promising first; later ones only until `tries` succeed
        days = single_type_schedule(problem, emp, s, lambda d, s=s: cost.get((d, s), 0.0))
        if days is not None:
            found += 1
            total = sum(cost.get((d, s), 0.0) for d in days)
            if best is None or total < best[0]:
                best = (total, s, days)
        if found >= tries:
            break
    if best is None:
        return None
    now = sum(cost.get((d, s), 0.0) for (e, d), s in roster.items() if e == emp.id)
    out = {key: s for key, s in roster.items() if key[0] != emp.id}
    out.update({(emp.id, d): best[1] for d in best[2]})
    return best[0] - now, out


# DP steps a construction may take per person: a year of 11 shift types with minutes in the
# state (Instance22: 25 850 states a day) is ~0.1 G steps, a fraction of a second compiled.
CONSTRUCT_WORK = 200_000_000
PRICE_IN_TRIES = 12  # doublings of the price on a dropped rule's cells before CP-SAT takes over


def _priced_person(problem: RosterProblem, roster: dict[Key, str], emp: Employee,
                   weights: Weights, work: int = CONSTRUCT_WORK) -> dict[Key, str] | None:
    """`roster` with `emp` on their cheapest schedule of any shift types, by the pricing DP
    (bench/engines/roster_pricing) over the person's exact marginal costs; None when the DP
    does not apply (interval cover, weekly rest, too many states, a dropped rule broken).

    One person's feasibility under tight minutes and run rules can take CP-SAT 10–20 s
    (Instance18, 84 days: person S UNKNOWN at 10 deterministic s); the DP answers exactly in
    milliseconds. `work` caps the DP's steps (days × states × moves) before rules leave
    its state.
    """
    if problem.interval_cover:
        return None
    person = next(i for i, e in enumerate(problem.employees) if e.id == emp.id)
    priced = pricing.plan(problem, person, work)
    if priced is None:
        return None
    cost = np.zeros((problem.horizon, len(problem.shifts)))
    index = {sh.id: k for k, sh in enumerate(problem.shifts)}
    for (d, sid), c in marginal_costs(problem, roster, emp, weights).items():
        cost[d, index[sid]] = c
    # A rule the DP dropped from its state (a type cap, the weekend cap) that the cheapest
    # schedule breaks is priced in: the offending cells cost more, doubling, until it holds.
    step = 1.0 + float(np.abs(cost).max())
    for _ in range(PRICE_IN_TRIES):
        got = pricing.cheapest(priced, cost)
        if got is None:
            return None
        if pricing.keeps_dropped_rules(priced, got[1]):
            break
        for k, cap in priced.dropped_caps.items():
            if sum(1 for _, t in got[1] if t == k) > cap:
                cost[:, k] += step
        if priced.dropped_weekends >= 0:
            cost[priced.weekend_day, :] += step
        step *= 2
    else:
        return None
    out = {key: sid for key, sid in roster.items() if key[0] != emp.id}
    out.update({(emp.id, d): problem.shifts[k].id for d, k in got[1]})
    return out


def repattern(problem: RosterProblem, roster: Mapping[Key, str], weights: Weights = UNIT,
              tries: int = 3,
              on_progress: Callable[[PeopleProgress], bool | None] | None = None
              ) -> dict[Key, str]:
    """Sweeps giving each person in turn their best single-type schedule, while it pays.

    A cheap descent for rosters too large for CP-SAT subproblems to help in time.
    """
    best = dict(roster)
    improved, sweep = True, 0
    while improved:
        improved, sweep = False, sweep + 1
        for emp in problem.employees:
            got = _pattern_person(problem, best, emp, weights, tries)
            better = got is not None and got[0] < -1e-9
            if better:
                best, improved = got[1], True
            if on_progress is not None and on_progress(
                    PeopleProgress(sweep, "repattern", emp.id, None, better)):
                return best
    return best


def construct(problem: RosterProblem, weights: Weights = UNIT,
              params: PeopleParams | None = None,
              on_progress: Callable[[PeopleProgress], bool | None] | None = None
              ) -> PeopleResult:
    """Place people one at a time, each at their best against those already placed.

    With `params.pattern_tries` > 0 a person is first given a single-shift-type schedule
    by dynamic programming (milliseconds); CP-SAT is the fallback when none exists.
    """
    params = params or PeopleParams()
    roster: dict[Key, str] = {}
    for i, emp in enumerate(problem.employees):
        new = None
        if params.pattern_tries:
            got = _pattern_person(problem, roster, emp, weights, params.pattern_tries)
            new = None if got is None else got[1]
        status = "FEASIBLE"
        if new is None:
            new = _priced_person(problem, roster, emp, weights)
        if new is None:
            status, new = _solve_people(problem, roster, [emp.id], weights, params.build_dtime,
                                        params.seed + i, params.wall_per_solve, params.narrow)
        if new is None:
            # No rule links two people, so one person without a schedule ends the search.
            return PeopleResult("INFEASIBLE" if status == "INFEASIBLE" else "UNKNOWN", None,
                                {}, i)
        roster = new
        if on_progress is not None and on_progress(
                PeopleProgress(i, "construct", emp.id, None, True)):
            break
    else:
        return PeopleResult("FEASIBLE", evaluate(problem, roster, weights), roster,
                            len(problem.employees))
    return PeopleResult("UNKNOWN", None, {}, len(problem.employees))


def _hot_people(problem: RosterProblem, roster: Mapping[Key, str], rng: random.Random
                ) -> list[str]:
    """People around one penalised shift-cover cell: those on it (surplus) or free that day."""
    cells = Counter((d, s) for (_, d), s in roster.items())
    bad = [c for c in problem.shift_cover
           if cells[c.day, c.shift] != c.requirement and (c.weight_under or c.weight_over)]
    if not bad:
        return []
    c = rng.choice(bad)
    if cells[c.day, c.shift] > c.requirement:
        return [e.id for e in problem.employees if roster.get((e.id, c.day)) == c.shift]
    return [e.id for e in problem.employees
            if roster.get((e.id, c.day)) != c.shift and c.day not in e.days_off
            and e.may_work(c.shift)]


def improve(problem: RosterProblem, start: Mapping[Key, str], weights: Weights = UNIT,
            params: PeopleParams | None = None,
            on_progress: Callable[[PeopleProgress], bool | None] | None = None,
            wall_left: Callable[[], float] | None = None) -> PeopleResult:
    """Re-solve k people at a time over the whole horizon; accept rosters no worse.

    `wall_left` (the caller's clock) caps each solve so a deadline is not overrun.
    """
    params = params or PeopleParams()
    rng = random.Random(params.seed)
    people = [e.id for e in problem.employees]
    best = dict(start)
    best_obj = evaluate(problem, best, weights)
    size = float(min(params.start_people, len(people)))
    hi = float(min(params.max_people, len(people)))
    i = 0
    for i in range(1, params.iterations + 1):
        k = max(1, round(size))
        pool = _hot_people(problem, best, rng) if i % 2 else []
        free = rng.sample(pool, min(k // 2 + 1, len(pool))) if pool else []
        rest = [e for e in people if e not in free]
        free += rng.sample(rest, min(k - len(free), len(rest)))
        wall = params.wall_per_solve
        if wall_left is not None:
            wall = min(wall, wall_left())
            if wall <= 0:
                break
        status, new = _solve_people(problem, best, free, weights, params.sub_dtime,
                                    params.seed + i, wall, params.narrow)
        size = min(hi, max(1.0, size * (1.1 if status == "OPTIMAL" else 0.9)))
        improved = False
        if new is not None:
            obj = evaluate(problem, new, weights)
            if obj <= best_obj:
                improved = obj < best_obj
                best, best_obj = new, obj
        if on_progress is not None and on_progress(
                PeopleProgress(i, "improve", f"people({k})", best_obj, improved)):
            break
    return PeopleResult("FEASIBLE", best_obj, best, i)
