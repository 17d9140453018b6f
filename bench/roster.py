"""Roster the five pilots (four weeks, or the whole year in work periods) and check every roster
with planner/checks/roster.py.

    .venv/bin/python bench/roster.py [--weeks 4] [--year] [--workers 2] [--period-weeks 3] [--work-limit W] [--time-limit S]

`--year` rosters the whole horizon (365 days from 1 Jan 2015, the product's default when
`[roster] weeks` is unset), solved work period by work period ([roster] period_weeks).
`--workers N` runs the point groups in a pool of N processes (the product's `--workers`;
1 = one after another in this process). Prints one JSON line per point group (status,
objective, best bound and gap — for a roster of several work periods the bound is the larger
of the whole roster's LP relaxation and a Lagrangian bound over the periods alone, each
advisor's paid minutes priced at the LP's duals (planner/rosters/roster.period_bounds), valid
for the whole roster, both printed (relaxation_bound, lagrangian_bound);
worst_period_gap is the largest gap of a work period's roster against that period's own floor —
the period alone: no history days, no contract balance or fairness counts, since a period solved
with a look-ahead has no bound of its own given the periods before it; near 1 where a period's
objective is mostly contract and fairness terms, so it says little — seconds, violations, work
periods) and a total line: wall seconds, CPU seconds of this process and
its workers together, peak memory of this process and of the largest worker, the load
average before and after, and the checker's objective, which must equal the solver's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.base.executor import make_executor  # noqa: E402
from planner.checks import roster as checker  # noqa: E402
from planner.cli import DEFAULT_SCENARIO  # noqa: E402
from planner.rosters import roster as rostering  # noqa: E402
from planner.rosters.stage import make_roster, requirements_for  # noqa: E402
from planner.scenario.loading import load_scenario  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--year", action="store_true", help="the whole horizon (overrides --weeks)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the point groups (1: serial)")
    parser.add_argument("--period-weeks", type=int, default=None, help="[roster] period_weeks (default the scenario's)")
    parser.add_argument("--work-limit", type=float, default=None, help="[solver] work_limit per solver call")
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args()
    scenario, _ = load_scenario(DEFAULT_SCENARIO, purpose="roster")
    cfg = scenario.config
    update = {}
    roster = {"weeks": None} if args.year else {}  # unset: the whole horizon, as the product does by default
    if args.period_weeks:
        roster["period_weeks"] = args.period_weeks
    if roster:
        update["roster"] = cfg.roster.model_copy(update=roster)
    if args.work_limit:
        update["solver"] = cfg.solver.model_copy(update={"work_limit": args.work_limit})
    scenario = scenario.model_copy(update={"config": cfg.model_copy(update=update)})
    weeks = None if args.year else args.weeks
    load_before = os.getloadavg()
    started, cpu = time.perf_counter(), _cpu_seconds()
    requirements = requirements_for(scenario)
    run, failed = make_roster(scenario, weeks=weeks, time_limit=args.time_limit, requirements=requirements,
                              executor=make_executor(args.workers))
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    for g in run.groups:
        s = g.solution
        print(json.dumps({"group": "+".join(g.points), "status": s.status, "work_limited": s.work_limited,
                          "time_limited": s.time_limited, "objective": s.objective, "bound": s.bound,
                          "bound_is": rostering.PERIOD_BOUND if g.periods else "proven lower bound (CP-SAT)",
                          "gap": None if s.gap is None else round(s.gap, 4),
                          # The two bounds of a roster in work periods (the larger is `bound`): the whole roster's
                          # LP relaxation, and the Lagrangian sum of the periods' chosen floors plus the rest ψ.
                          "relaxation_bound": g.relaxation if g.periods else None,
                          "lagrangian_bound": round(sum(p[p["bound_from"]] for p in g.periods) + g.coupling, 1)
                          if g.periods else None,
                          "seconds": round(s.seconds, 1),
                          "violations": len(s.violations), "work_periods": len(g.periods) or 1,
                          "worst_period_gap": max((p["gap"] or 0 for p in g.periods), default=None),
                          "penalty_by_family": _by_family(s.violations)}))
    table = rostering.roster_table(scenario, run)
    rows = [{k: str(v) for k, v in r.items()} for r in table.to_dict("records")]
    result = checker.check(scenario, rows, run.dates[0], -(-len(run.dates) // 7), requirements)
    merged = rostering.violations_table(run)
    print(json.dumps({"from": str(run.dates[0]), "to": str(run.dates[-1]), "days": len(run.dates),
                      "period_weeks": scenario.config.roster.period_weeks, "workers": args.workers,
                      "work_limit": scenario.config.solver.work_limit, "failed": sorted(failed),
                      "wall_seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "largest_worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
                      "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
                      "objective": sum(g.solution.objective or 0 for g in run.groups),
                      "checker_objective": result.objective, "hard_breaches": len(result.hard),
                      "violation_rows": len(merged), "shifts": len(table)}))


def _by_family(violations) -> dict[str, float]:
    """Penalty points per soft family (what the objective is made of)."""
    out: dict[str, float] = {}
    for v in violations:
        out[v.family] = out.get(v.family, 0) + v.penalty
    return {k: round(v) for k, v in sorted(out.items())}


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its finished workers (the pool is shut down by then)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
