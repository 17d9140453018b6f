"""Shift Scheduling Benchmark runner: import, search, check independently, one JSON line each.

Example:
    .venv/bin/python bench/ssb.py /work/shared/bench/ssb/*.txt --time-limit 60 --workers 2

Exits 1 (loudly) when a roster breaks a benchmark rule or the checker's objective differs
from the solver's. Wall time counts from reading the file to the checked roster; numba's
one-time compilation of the pricing DP (a fresh checkout only) happens before the first.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.engines.roster_colgen import ColGenParams, ColGenProgress, ColGenResult, generate  # noqa: E402
from bench.engines.roster_people import (  # noqa: E402
    PeopleParams,
    PeopleProgress,
    construct,
    evaluate,
    improve,
    repattern,
)
from bench.engines.roster_pricing import warm_up  # noqa: E402
from bench.engines.roster_residual import ResidualParams, ResidualProgress  # noqa: E402
from bench.engines.roster_residual import search as residual_search  # noqa: E402
from bench.engines.roster_search import Progress, Result, SearchParams, search  # noqa: E402
from bench.engines.roster_search import solve as solve_full  # noqa: E402
from bench.ssb_check import check_ssb  # noqa: E402
from bench.ssb_format import SsbFormatError, parse_ssb  # noqa: E402
from models.kit import SolveParams  # noqa: E402
from models.roster import Weights, build  # noqa: E402
from models.roster_problem import RosterProblem  # noqa: E402

# Full CP-SAT model only up to this many x variables (people × days × shift types); larger
# rosters (a year, 150 people, 32 shift types: 1.7 M) take minutes and gigabytes to build
# and solve, so they get the per-person construction and descent of models/roster_people.
# Instance7 has 1.7 k.
FULL_MODEL_LIMIT = 50_000  # synthetic 91k and 145k rosters: CP-SAT found nothing in 45 s
HINT_FROM = 20_000  # x variables from which the constructed roster hints CP-SAT


class BadInstance(click.ClickException):
    exit_code = 2  # the file does not follow the format


class NoRoster(click.ClickException):
    exit_code = 3  # the rules admit no roster


def _column_generation(problem: RosterProblem, start: dict, time_limit: float, workers: int,
                       seed: int, share: float, say: Callable[[str], None], t0: float) -> ColGenResult:
    """LP bound and a dived roster within `share` of the time limit (see models/roster_colgen)."""
    left = time_limit - (time.monotonic() - t0)

    def progress(g: ColGenProgress) -> bool:
        say(f"colgen  lp={g.lp:.2f} bound={g.bound if g.bound is None else round(g.bound, 2)} "
            f"columns={g.columns}")
        return False

    # Pricing rounds and the dive get half the share each. Without convergence in time there
    # is no dive: the LP is still far from its optimum, and the full-model search gets the rest.
    params = ColGenParams(time_limit=0.5 * share * left, dive_time=0.5 * share * left,
                          workers=workers, seed=seed)
    result = generate(problem, start, params=params, on_progress=progress)
    say(f"colgen  converged={result.converged} bound={result.bound} dive={result.objective}")
    return result


def _search_full(problem: RosterProblem, start: dict | None, time_limit: float, workers: int,
                 seed: int, parallel: int, lexicographic: bool, cap: bool, initial_share: float,
                 first_share: float, say: Callable[[str], None], t0: float,
                 hint: bool | None = None, lower_bound: int | None = None) -> Result:
    """Lexicographic CP-SAT start, LNS and a final bound solve on the full model.

    `hint` None: hint CP-SAT with `start` on large models only (see HINT_FROM).
    `lower_bound` (proven elsewhere, e.g. the column generation LP) is added to the model,
    so CP-SAT stops as soon as a roster meets it.
    """
    built = build(problem)
    if lower_bound is not None:
        built.model.add(sum(pen.weight * pen.var for pen in built.penalties if pen.weight)
                        >= lower_bound)
    # The final full solve (bound) gets the last part of the budget; LNS stops before it.
    reserve = min(0.05 * time_limit, 3.0)

    def progress(p: Progress) -> bool:
        say(f"{p.phase:7s} {p.neighbourhood:22s} obj={p.objective} bound={p.bound}")
        return time.monotonic() - t0 > time_limit - reserve - 1.0

    params = SearchParams(
        workers=workers, seed=seed,
        time_limit=time_limit - (time.monotonic() - t0) - 2.0,  # Python overhead
        # Wall time and the stall rule (deterministic seconds without gain) end the first solves: the
        # shortfall stage needs 10–25 s on Instance7 and stops early when it converges.
        initial_dtime=time_limit, initial_share=initial_share, lns_dtime=0.3,
        final_dtime=reserve,
        iterations=100_000, parallel=parallel,
        # Lexicographic start: shortfall only first, then the full objective from that roster.
        first_weights=Weights(cover_over=0, request_on=0, request_off=0) if lexicographic
        else None,
        first_share=first_share, cap_first=cap, first_stall=max(5.0, 0.2 * time_limit),
        # On small models CP-SAT finds a first roster in a second by itself, and the
        # single-type construction as a hint pulled it toward worse ones (Instance7);
        # on larger ones it may find none in time without it.
        hint=start if hint or (hint is None and len(problem.employees) * problem.horizon
                               * len(problem.shifts) > HINT_FROM) else None,
    )
    result = search(built, params, progress)
    if start is None:
        return result
    if result.objective is None or result.objective > evaluate(problem, start):
        # CP-SAT found nothing better in time: keep the constructed roster (same bound).
        return replace(result, objective=float(evaluate(problem, start)), assignment=start,
                       status="FEASIBLE")
    return result


def _search_large(problem: RosterProblem, start: dict, time_limit: float, seed: int,
                  say: Callable[[str], None], t0: float) -> Result:
    """Single-type descent, then CP-SAT over a few people and shift types; no bound."""
    def stop(p: PeopleProgress) -> bool:
        if p.improved:
            say(f"{p.phase:7s} {p.label:22s} obj={p.objective}")
        return time.monotonic() - t0 > time_limit - 2.0

    roster = repattern(problem, start, on_progress=stop)
    if time.monotonic() - t0 < time_limit - 2.0:
        roster = improve(problem, roster, params=PeopleParams(seed=seed, narrow=4, start_people=2,
                                                              max_people=4),
                         on_progress=stop,
                         wall_left=lambda: time_limit - 2.0 - (time.monotonic() - t0)).assignment
    obj = float(evaluate(problem, roster))
    return Result("FEASIBLE", obj, None, None, time.monotonic() - t0, 0.0, roster, ())


# Residual pieces: CP-SAT without its LP relaxation (linearization_level 0) reached 10 191 on
# Instance18 in 6 deterministic s against 24 153 with the default (9 vs 16 CPU s): on a
# piece of a few hundred cells the LP costs more than it prunes.
PIECE_SOLVER = {"linearization_level": 0}
PIECE_WORK = 0.1  # deterministic s per piece: 145 small pieces beat 35 of 0.3 s (Instance18)
# Pieces between sweeps of exact one-person best responses: every 10 left Instance13 at
# 13 724 against 8 557 with 30 (a sweep of its 121 people costs 8–12 s at load 8).
SWEEP_EVERY = 30


def _search_residual(problem: RosterProblem, start: dict, until: float, seed: int,
                     say: Callable[[str], None], t0: float) -> Result:
    """Residual-piece LNS (bench/engines/roster_residual) until `until` wall seconds; no bound."""
    def stop(p: ResidualProgress) -> bool:
        if p.improved:
            say(f"piece   {p.label:22s} obj={p.objective} work={p.work:.1f}")
        return time.monotonic() - t0 > until

    res = residual_search(problem, start,
                          params=ResidualParams(seed=seed, work_limit=1e9, piece_work=PIECE_WORK,
                                                sweep_every=SWEEP_EVERY, solver=PIECE_SOLVER),
                          on_progress=stop, wall_left=lambda: until - (time.monotonic() - t0))
    say(f"residual {res.iterations} pieces, {res.work:.1f} deterministic s, obj={res.objective}")
    return Result("FEASIBLE", float(res.objective), None, None, time.monotonic() - t0, res.work,
                  res.assignment, ())


FINAL_SHARE = 0.15  # of the time limit: the full-model solve after the residual pieces
PROOF_SHARE = 0.1  # of the time limit: a full-model proof attempt before them (small models)
# The final full-model solve only up to this many x variables: it proves Instance1 (112)
# optimal in ~2 s; on Instance16 (4.7 k) and Instance18 (7.7 k) it neither improved the
# residual pieces' roster nor proved it in 9 s, time the pieces use better.
FINAL_FULL_LIMIT = 2_000


def _final_full(problem: RosterProblem, best: Result, time_limit: float, workers: int, seed: int,
                say: Callable[[str], None], t0: float, lower_bound: int | None,
                seconds: float | None = None) -> Result:
    """One CP-SAT solve of the full model hinted with `best`, in the wall time left (at most
    `seconds`); its bound (valid) and its roster when no worse, OPTIMAL when proved."""
    left = time_limit - (time.monotonic() - t0) - 1.0
    if seconds is not None:
        left = min(left, seconds)
    if left <= 0.5:
        return best
    built = build(problem)
    if lower_bound is not None:
        built.model.add(sum(pen.weight * pen.var for pen in built.penalties if pen.weight)
                        >= lower_bound)
    # Wall-limited like the rest of the benchmark (its figures are wall-clock budgets); the
    # work limit is only there so a quiet machine does not run on without need.
    got = solve_full(built, SolveParams(work_limit=4 * left, time_limit=left, workers=workers,
                                        seed=seed), hint=best.assignment)
    say(f"full    {got.status:22s} obj={got.objective} bound={got.bound}")
    out = best
    if got.objective is not None and got.objective <= best.objective:
        out = replace(got, seconds=time.monotonic() - t0)
    return replace(out, bound=got.bound, status="OPTIMAL" if got.status == "OPTIMAL" else "FEASIBLE")


def _run_residual(problem: RosterProblem, start: dict, size: int, time_limit: float, workers: int,
                  seed: int, colgen_share: float, say: Callable[[str], None], t0: float
                  ) -> tuple[Result, int | None]:
    """The default path: column generation (bound, dived start), residual pieces, and on
    small models (size ≤ FINAL_FULL_LIMIT) a final full-model solve.

    Returns the result and the LP bound rounded up (None without convergence).
    """
    first, lp_bound = start, None
    if colgen_share > 0:
        cg = _column_generation(problem, first, time_limit, workers, seed, colgen_share, say, t0)
        # Objectives are integers: the LP bound rounds up.
        lp_bound = None if cg.bound is None else math.ceil(cg.bound - 1e-6)
        if cg.assignment is not None and evaluate(problem, cg.assignment) < evaluate(problem, first):
            first = cg.assignment
    obj = evaluate(problem, first)
    if lp_bound is not None and obj <= lp_bound:
        # The dive met the LP bound: optimal, nothing left to search.
        return Result("OPTIMAL", float(obj), float(lp_bound), 0.0, time.monotonic() - t0, 0.0,
                      first, ()), lp_bound
    # Residual pieces for most of the time, then one full-model CP-SAT solve hinted with the
    # best roster (and the LP bound as a constraint): it proves small instances optimal
    # (Instance1: the LP bound is 558, the optimum 607).
    small = size <= min(FINAL_FULL_LIMIT, FULL_MODEL_LIMIT)
    if small:
        # A short proof attempt first: Instance1's optimum is proved in ~2 s, and the pieces
        # (which prove nothing) then kept it waiting until the final solve (52.5 s).
        tried = _final_full(problem, Result("FEASIBLE", float(obj), None, None, 0.0, 0.0, first, ()),
                            time_limit, workers, seed, say, t0, lp_bound,
                            seconds=PROOF_SHARE * time_limit)
        if tried.status == "OPTIMAL":
            return tried, lp_bound
        first = tried.assignment
    result = _search_residual(problem, first, time_limit - (FINAL_SHARE * time_limit if small else 2.0),
                              seed, say, t0)
    if small:
        result = _final_full(problem, result, time_limit, workers, seed, say, t0, lp_bound)
    return result, lp_bound


def run_instance(path: Path, time_limit: float, workers: int, seed: int, verbose: bool,
                 parallel: int = 1, lexicographic: bool = True, cap: bool = True,
                 initial_share: float = 0.65, first_share: float = 0.85,
                 colgen_share: float = 0.5, residual: bool = True) -> dict:
    """Solve one instance within `time_limit` wall seconds and certify the roster."""
    t0 = time.monotonic()

    def say(line: str) -> None:
        if verbose:
            click.echo(f"  {time.monotonic() - t0:6.1f}s {line}", err=True)

    text = path.read_text()
    try:
        problem = parse_ssb(text)
    except SsbFormatError as exc:
        raise BadInstance(f"{path}: {exc}") from None
    # Every person alone first (no hard rule links two people): a valid roster in seconds.
    start = construct(problem, params=PeopleParams(seed=seed, pattern_tries=3, narrow=4))
    say(f"constructed {start.status} obj={start.objective}")
    size = len(problem.employees) * problem.horizon * len(problem.shifts)
    if start.status == "INFEASIBLE":
        # No rule links two people: the person the construction stopped at has no schedule.
        who = problem.employees[start.iterations]
        raise NoRoster(f"{path.name}: no roster exists: employee {who.id} alone has no schedule "
                       f"that keeps their rules (days off {sorted(who.days_off)}, "
                       f"{who.min_minutes}–{who.max_minutes} minutes, runs "
                       f"{who.min_consecutive_work}–{who.max_consecutive_work}, days off in a row "
                       f"≥ {who.min_consecutive_off}, weekends ≤ {who.max_weekends}, "
                       f"max shifts {who.max_shifts})")
    if start.objective is None and size > FULL_MODEL_LIMIT:
        raise click.ClickException(f"{path.name}: no roster found in time ({start.status})")
    lp_bound = None
    if residual and start.objective is not None:
        result, lp_bound = _run_residual(problem, start.assignment, size, time_limit, workers, seed,
                                         colgen_share, say, t0)
    elif size <= FULL_MODEL_LIMIT:
        # Without a constructed roster (a person's schedule not found in time) the full
        # model still may find one.
        first = start.assignment if start.objective is not None else None
        dived = None
        if colgen_share > 0 and first is not None:
            cg = _column_generation(problem, first, time_limit, workers, seed, colgen_share, say, t0)
            # Objectives are integers: the LP bound rounds up.
            lp_bound = None if cg.bound is None else math.ceil(cg.bound - 1e-6)
            if cg.assignment is not None and evaluate(problem, cg.assignment) < evaluate(problem, first):
                dived = first = cg.assignment
        if dived is not None and lp_bound is not None and evaluate(problem, dived) <= lp_bound:
            # The dive met the LP bound: optimal, nothing left to search.
            result = Result("OPTIMAL", float(evaluate(problem, dived)), float(lp_bound), 0.0,
                            time.monotonic() - t0, 0.0, dived, ())
        else:
            # From a dived roster the shortfall-only stage has nothing left to find.
            result = _search_full(problem, first, time_limit, workers, seed, parallel,
                                  lexicographic and dived is None, cap, initial_share,
                                  first_share, say, t0, hint=True if dived is not None else None,
                                  lower_bound=lp_bound)
            if result.objective is None:
                raise click.ClickException(f"{path.name}: no roster found ({result.status})")
            if result.assignment is first and time.monotonic() - t0 < time_limit - 3.0:
                # CP-SAT stopped without improving its start: descend from it instead.
                large = _search_large(problem, first, time_limit, seed, say, t0)
                if large.objective is not None and large.objective <= result.objective:
                    result = replace(large, bound=result.bound)
    else:
        result = _search_large(problem, start.assignment, time_limit, seed, say, t0)
    if lp_bound is not None and (result.bound is None or lp_bound > result.bound):
        result = replace(result, bound=float(lp_bound))
    if result.bound is not None and result.objective is not None and result.objective <= result.bound:
        result = replace(result, status="OPTIMAL")
    seconds = time.monotonic() - t0
    report = check_ssb(text, result.assignment)
    if not report.ok:
        raise click.ClickException(f"{path.name}: roster breaks rules: {[f.message for f in report.hard[:5]]}")
    if report.objective != round(result.objective):
        raise click.ClickException(
            f"{path.name}: checker objective {report.objective} != solver {result.objective}")
    return {"instance": path.stem, "objective": report.objective,
            "bound": None if result.bound is None else round(result.bound, 3),
            "status": result.status, "seconds": round(seconds, 2)}


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("instances", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--time-limit", default=60.0, show_default=True, help="wall seconds per instance")
@click.option("--workers", default=2, show_default=True, help="CP-SAT workers")
@click.option("--seed", default=0, show_default=True, help="random seed (solver and LNS)")
@click.option("--parallel", default=1, show_default=True,
              help="LNS neighbourhoods solved side by side (one worker each when > 1)")
@click.option("--lexicographic/--no-lexicographic", default=True, show_default=True,
              help="first minimise cover shortfall alone, then the full objective")
@click.option("--cap/--no-cap", default=True, show_default=True,
              help="after the first stage, never trade its shortfall away again")
@click.option("--initial-share", default=0.65, show_default=True,
              help="share of the time for the first (full-model) solves")
@click.option("--first-share", default=0.85, show_default=True,
              help="share of the first solves' time for the shortfall-only stage")
@click.option("--colgen-share", default=0.5, show_default=True,
              help="share of the time for column generation and its dive (0 = skip)")
@click.option("--residual/--full-search", default=True, show_default=True,
              help="search by residual pieces (freed people × days only) or the full-model LNS")
@click.option("-v", "--verbose", is_flag=True, help="progress lines on stderr")
def main(instances: tuple[Path, ...], time_limit: float, workers: int, seed: int,
         parallel: int, lexicographic: bool, cap: bool, initial_share: float, first_share: float,
         colgen_share: float, residual: bool, verbose: bool) -> None:
    """Run the roster engine on SSB instances; print one checked JSON line per instance.

    Example: bench/ssb.py Instance1.txt Instance7.txt --time-limit 60 --workers 2
    """
    if colgen_share > 0:
        # Numba compiles the pricing DP once per checkout; not part of any instance's time.
        warm_up()
    for path in instances:
        click.echo(json.dumps(run_instance(path, time_limit, workers, seed, verbose, parallel,
                                             lexicographic, cap, initial_share, first_share,
                                             colgen_share, residual)))


if __name__ == "__main__":
    main()
