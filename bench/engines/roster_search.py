"""Large-neighbourhood search around models/roster.py: repeated CP-SAT solves with hints.

1. A full solve (deterministic budget) gives a first roster and a lower bound; optionally
   preceded by a restricted or lexicographic stage (`first_zero`, `first_weights`) whose
   roster hints the full solve; with `cap_first` that stage's objective value becomes a
   hard cap for the rest of the search (the final full solve excepted).
2. Each iteration frees one neighbourhood — a few people over the whole horizon, every
   person over a window of days, or a few people over a longer window — fixes the rest
   of the incumbent roster, and re-solves with the incumbent as hint. Neighbourhood sizes
   adapt: grow when the neighbourhood was solved to optimality, shrink when it timed out.
3. A final full solve hinted with the best roster tightens the bound.

Reproducible when `time_limit` is None and each CP-SAT solve is itself deterministic
(one worker, or `solver={"interleave_search": True}`): every solve stops on deterministic
time, the loop on an iteration count, neighbourhoods come from a seeded generator and
results are merged in a fixed order. With several free-running workers, or a wall
`time_limit` (the sum of the solvers' reported wall seconds), the outcome depends on
machine speed and load, so results can differ between runs.
No clock is read here; `on_progress` may stop the loop (return True).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from bench.engines.roster_people import evaluate
from models import kit, roster
from models.roster import Built, Key, Weights, build


@dataclass(frozen=True)
class SearchParams:
    workers: int = 2
    lns_workers: int | None = None  # workers per neighbourhood; None = workers / parallel
    parallel: int = 1  # neighbourhoods solved side by side per iteration (threads)
    seed: int = 0
    time_limit: float | None = None  # wall seconds summed over solves; None = deterministic
    initial_dtime: float = 5.0  # deterministic seconds of the first full solve
    initial_share: float = 0.4  # at most this share of `time_limit` for the first solve
    iterations: int = 1000
    lns_dtime: float = 0.5  # deterministic seconds per neighbourhood
    final_dtime: float = 5.0  # deterministic seconds of the final full solve (bound)
    solver: Mapping[str, Any] = field(default_factory=dict)
    lns_solver: Mapping[str, Any] = field(default_factory=dict)
    hint: Mapping[Key, str] | None = None
    # Neighbourhoods, round robin; day windows and people-blocks did most of the SSB gains.
    kinds: tuple[str, ...] = ("people", "days", "block_people")
    # Families forced to zero while looking for a first roster (a smaller search space);
    # if that is infeasible the first solve is repeated on the full model.
    first_zero: frozenset[str] = frozenset()  # e.g. {"cover_over"}; no clear gain on SSB
    # Weights of a lexicographic first stage (e.g. cover shortfall only); None = skip.
    # They must not exceed the real weights family by family: the stage's lower bound is
    # then a lower bound of the real objective too.
    first_weights: Weights | None = None
    first_share: float = 0.5  # share of the first budget spent on that stage (at most)
    first_stall: float | None = None  # end that stage after this many deterministic seconds without gain
    # Keep the first stage's objective at most its value for the rest of the search (a
    # restriction: the shortfall found first is not traded away again). Bounds then come
    # from the first stage and the final full solve only.
    cap_first: bool = False


@dataclass(frozen=True)
class Result:
    """A roster found by the search (or one solve of it), with the roster itself."""

    status: str
    objective: float | None
    bound: float | None  # valid for the whole problem, None if restricted or unknown
    gap: float | None
    seconds: float
    deterministic_seconds: float
    assignment: dict[Key, str]
    amounts: tuple[int, ...]  # per built.penalties
    restricted: bool = False


def solve(built: Built, params: kit.SolveParams, *, hint: Mapping[Key, str] | None = None,
          fix: Mapping[Key, str] | None = None, fixed_keys: frozenset[Key] = frozenset(),
          zero_families: frozenset[str] = frozenset(), stall: float | None = None) -> Result:
    """models.roster.solve, with the roster and penalty amounts read out.

    `stall` (deterministic seconds): the budget is spent in chunks of that size, each
    hinted with the best roster so far, and the solve ends after a chunk without a better
    one (or when a chunk proves its answer).
    """
    restricted = bool(fixed_keys) or bool(zero_families)
    chunks = [params] if stall is None or params.work_limit is None else []
    if not chunks:
        left = params.work_limit
        while left > 1e-9:
            chunks.append(replace(params, work_limit=min(stall, left)))
            left -= stall
    best = None
    seconds = work = 0.0
    for chunk in chunks:
        res = roster.solve(built, chunk, hint=hint, fix=fix, fixed_keys=fixed_keys, zero_families=zero_families)
        seconds, work = seconds + res.seconds, work + res.work
        improved = res.found and (best is None or best.objective is None or res.objective < best.objective)
        if best is None or improved:
            best = res
        elif res.best_bound is not None:
            best = replace(best, best_bound=max(best.best_bound or res.best_bound, res.best_bound))
        if not improved or res.status in ("OPTIMAL", "INFEASIBLE") or not res.work_limited:
            break
        hint = roster.assignment(built, res)
    return Result(best.status, best.objective, best.best_bound, best.gap, seconds, work,
                  roster.assignment(built, best), roster.amounts(built, best), restricted)


@dataclass(frozen=True)
class Progress:
    iteration: int
    phase: str  # "initial", "lns", "final"
    neighbourhood: str
    objective: float | None
    bound: float | None
    improved: bool
    seconds: float  # sum of solver wall seconds so far


@dataclass
class _Sizes:
    """Adaptive neighbourhood sizes, one per kind."""

    people: float
    days: float
    block_people: float

    def adapt(self, kind: str, solved: bool, lo: float, hi: float) -> None:
        v = getattr(self, kind) * (1.15 if solved else 0.85)
        setattr(self, kind, min(hi, max(lo, v)))


def _neighbourhood(
    rng: random.Random, kind: str, sizes: _Sizes, people: list[str], horizon: int,
    hot: list[tuple[str | None, int | None]],
) -> tuple[str, frozenset[Key]]:
    """Keys (employee, day) that stay FIXED; the rest is free.

    `hot` lists (employee, day) of current penalties: half of the neighbourhoods are
    centred on one of them, because that is where the objective can move.
    """
    focus = rng.choice(hot) if hot and rng.random() < 0.5 else (None, None)
    if kind == "people":
        k = max(1, round(sizes.people))
        free_p = set(rng.sample(people, min(k, len(people))))
        if focus[0] is not None and focus[0] not in free_p:
            free_p.pop()
            free_p.add(focus[0])
        free_days = set(range(horizon))
        label = f"people({k})"
    elif kind == "days":
        n = max(1, min(horizon, round(sizes.days)))
        start = rng.randrange(0, horizon - n + 1)
        if focus[1] is not None:
            start = min(max(0, focus[1] - rng.randrange(n)), horizon - n)
        free_p, free_days = set(people), set(range(start, start + n))
        label = f"days({start}+{n})"
    else:
        k = max(1, round(sizes.block_people))
        n = max(1, min(horizon, horizon // 2))
        start = rng.randrange(0, horizon - n + 1)
        free_p = set(rng.sample(people, min(k, len(people))))
        free_days = set(range(start, start + n))
        label = f"block({k}x{start}+{n})"
    fixed = frozenset(
        (e, d) for e in people for d in range(horizon) if not (e in free_p and d in free_days)
    )
    return label, fixed


def _capped(built: Built, stage: Built, cap: float) -> Built:
    """`built` with the stage objective (same penalty rows, stage weights) at most `cap`."""
    model = built.model.clone()
    model.add(sum(sp.weight * pen.var for sp, pen in zip(stage.penalties, built.penalties,
                                                         strict=True) if sp.weight) <= round(cap))
    return replace(built, model=model)


def search(
    built: Built,
    params: SearchParams | None = None,
    on_progress: Callable[[Progress], bool | None] | None = None,
) -> Result:
    """Best roster found by initial solve + LNS + final solve; bound from full solves only."""
    params = params or SearchParams()
    p = built.problem
    people = [e.id for e in p.employees]
    rng = random.Random(params.seed)
    spent = 0.0

    def budget(dtime: float) -> kit.SolveParams:
        left = 1e9 if params.time_limit is None else max(0.01, params.time_limit - spent)
        return kit.SolveParams(work_limit=dtime, time_limit=left, workers=params.workers, seed=params.seed,
                               solver=dict(params.solver))

    def report(i: int, phase: str, label: str, improved: bool) -> bool:
        if on_progress is None:
            return False
        return bool(on_progress(Progress(i, phase, label, best.objective, bound, improved,
                                         spent)))

    first_params = budget(params.initial_dtime)
    if params.time_limit is not None:
        # Under load deterministic time runs slow; keep wall time for the LNS phase too.
        first_params = replace(first_params, time_limit=params.initial_share * params.time_limit)
    hint = params.hint
    pre: Result | None = None
    full = built  # the model searched after the first stage (capped or not)
    if params.first_zero or params.first_weights:
        # Part of the first budget on the restricted model, the rest on the full one
        # (hinted), which yields a valid bound and can prove optimality.
        share = params.first_share
        part = replace(first_params, time_limit=first_params.time_limit * share,
                       work_limit=params.initial_dtime * share)
        stage = build(p, params.first_weights) if params.first_weights else built
        pre = solve(stage, part, hint=hint, zero_families=params.first_zero, stall=params.first_stall)
        spent += pre.seconds
        if on_progress is not None:
            on_progress(Progress(0, "first", "stage", pre.objective, pre.bound, True, spent))
        hint = pre.assignment if pre.objective is not None else hint
        if params.cap_first and params.first_weights and pre.objective is not None:
            full = _capped(built, stage, pre.objective)
        first_params = replace(part, time_limit=max(0.01, first_params.time_limit - pre.seconds),
                               work_limit=params.initial_dtime * (1 - share))
    first = solve(full, first_params, hint=hint)
    spent += first.seconds
    if full is not built and first.status == "OPTIMAL":
        # Optimal under the cap: the uncapped model, hinted with it, often proves it optimal
        # overall at once (small instances), which saves the rest of the time limit.
        check = budget(params.final_dtime)
        if params.time_limit is not None:
            check = replace(check, time_limit=max(0.01, min(check.time_limit, 0.15 * params.time_limit)))
        proved = solve(built, check, hint=first.assignment)
        spent += proved.seconds
        if proved.status == "OPTIMAL":
            best, bound = proved, proved.bound
            report(0, "initial", "full", True)
            return replace(proved, seconds=spent, restricted=False)
    if full is not built:
        # Optimal under the cap is not optimal overall; the stage bound stays valid.
        first = replace(first, status="FEASIBLE" if first.objective is not None else first.status,
                        bound=pre.bound if pre is not None else None)
    if pre is not None and pre.objective is not None and params.first_weights:
        # Re-score the first-stage roster under the real weights from the roster itself: the
        # stage left families it did not weigh (surplus) at any value its model allowed.
        pre = replace(pre, objective=float(evaluate(p, pre.assignment, built.weights)))
    if pre is not None and pre.objective is not None and (
        first.objective is None or pre.objective < first.objective
    ):
        first = replace(pre, status="FEASIBLE", bound=first.bound, restricted=False)
    best, bound = first, first.bound
    if first.status in ("OPTIMAL", "INFEASIBLE", "MODEL_INVALID") or first.objective is None:
        report(0, "initial", "full", True)
        return first
    stop = report(0, "initial", "full", True)
    sizes = _Sizes(people=max(2.0, len(people) / 4), days=max(2.0, p.horizon / 4),
                   block_people=max(2.0, len(people) / 2))
    # Caps keep a neighbourhood well below the full problem, which the initial solve covers.
    limits = {"people": (1.0, max(1.0, len(people) / 2)), "days": (1.0, max(1.0, p.horizon / 2)),
              "block_people": (1.0, max(1.0, len(people) * 0.75))}
    kinds = list(params.kinds)
    par = max(1, params.parallel)
    lns_workers = params.lns_workers or (1 if par > 1 else params.workers)
    pool = ThreadPoolExecutor(max_workers=par) if par > 1 else None
    for i in range(1, params.iterations + 1):
        if stop or (params.time_limit is not None and spent >= params.time_limit):
            break
        if best.objective is not None and bound is not None and best.objective <= bound:
            break
        hot = [(pen.employee, pen.day) for pen, a in zip(built.penalties, best.amounts,
                                                        strict=True) if a and pen.weight]
        batch = []
        for j in range(par):
            kind = kinds[(i * par + j) % len(kinds)]
            label, fixed = _neighbourhood(rng, kind, sizes, people, p.horizon, hot)
            sp = replace(budget(params.lns_dtime), seed=params.seed + i * par + j, workers=lns_workers,
                         solver={**params.solver, **params.lns_solver})
            batch.append((kind, label, sp, fixed))
        incumbent = best.assignment

        def run(job: tuple, incumbent: dict = incumbent) -> Result:
            return solve(full, job[2], hint=incumbent, fix=incumbent, fixed_keys=job[3])

        if par == 1:
            results = [run(batch[0])]
        else:
            # CP-SAT releases the GIL: the neighbourhoods run side by side, one worker each.
            results = list(pool.map(run, batch))
        spent += max(r.seconds for r in results)
        improved = False
        for (kind, _, _, _), res in zip(batch, results, strict=True):
            solved = (res.deterministic_seconds < params.lns_dtime * 0.95
                      and res.objective is not None)
            sizes.adapt(kind, solved, *limits[kind])
            if res.objective is not None and res.objective <= best.objective:  # type: ignore[operator]
                improved = improved or res.objective < best.objective  # type: ignore[operator]
                best = replace(res, bound=bound, restricted=False)
        label = "+".join(b[1] for b in batch)
        stop = report(i, "lns", label, improved)
    if pool is not None:
        pool.shutdown()
    if params.final_dtime > 0 and (params.time_limit is None or spent < params.time_limit):
        fin = solve(built, budget(params.final_dtime), hint=best.assignment)
        spent += fin.seconds
        if fin.bound is not None:
            bound = max(bound or fin.bound, fin.bound)
        if fin.objective is not None and fin.objective <= best.objective:  # type: ignore[operator]
            best = fin
        report(params.iterations + 1, "final", "full", False)
    obj = best.objective
    status = "OPTIMAL" if obj is not None and bound is not None and obj <= bound else "FEASIBLE"
    gap = None if obj is None or bound is None else (obj - bound) / max(1.0, abs(obj))
    return replace(best, status=status, bound=bound, gap=gap, seconds=spent,
                   restricted=False)
