"""Roster the five pilots (four weeks, or the whole year in work periods) and check every roster
with planner/checks/roster.py.

    .venv/bin/python bench/roster.py [--weeks 4] [--year] [--period-weeks 3] [--work-limit W] [--time-limit S]

`--year` rosters the horizon's whole weeks (52 from 1 Jan 2015), solved work period by work
period ([roster] period_weeks). Prints one JSON line per point group (status, objective, best
bound — for a roster of several work periods the sum of each period's bound given the periods
before it, not a bound on the whole roster, so no gap — seconds, violations, work periods)
and a total line: wall and CPU seconds, peak memory, the load average before and after, and
the checker's objective, which must equal the solver's.
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

from planner.checks import roster as checker  # noqa: E402
from planner.cli import DEFAULT_SCENARIO  # noqa: E402
from planner.rosters import roster as rostering  # noqa: E402
from planner.rosters.stage import make_roster, requirements_for  # noqa: E402
from planner.scenario.loading import load_scenario  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--year", action="store_true", help="the horizon's whole weeks (overrides --weeks)")
    parser.add_argument("--period-weeks", type=int, default=None, help="[roster] period_weeks (default the scenario's)")
    parser.add_argument("--work-limit", type=float, default=None, help="[solver] work_limit per solver call")
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args()
    scenario, _ = load_scenario(DEFAULT_SCENARIO, purpose="roster")
    cfg = scenario.config
    update = {}
    if args.period_weeks:
        update["roster"] = cfg.roster.model_copy(update={"period_weeks": args.period_weeks})
    if args.work_limit:
        update["solver"] = cfg.solver.model_copy(update={"work_limit": args.work_limit})
    scenario = scenario.model_copy(update={"config": cfg.model_copy(update=update)})
    weeks = ((scenario.horizon_end - cfg.horizon.start).days + 1) // 7 if args.year else args.weeks
    load_before = os.getloadavg()
    started, cpu = time.perf_counter(), time.process_time()
    requirements = requirements_for(scenario)
    run, failed = make_roster(scenario, weeks=weeks, time_limit=args.time_limit, requirements=requirements)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    for g in run.groups:
        s = g.solution
        print(json.dumps({"group": "+".join(g.points), "status": s.status, "work_limited": s.work_limited,
                          "time_limited": s.time_limited, "objective": s.objective, "bound": s.bound,
                          "bound_is": rostering.PERIOD_BOUND if g.periods else "proven lower bound",
                          "gap": None if s.gap is None else round(s.gap, 4), "seconds": round(s.seconds, 1),
                          "violations": len(s.violations), "work_periods": len(g.periods) or 1,
                          "worst_period_gap": max((p["gap"] or 0 for p in g.periods), default=None)}))
    table = rostering.roster_table(scenario, run)
    rows = [{k: str(v) for k, v in r.items()} for r in table.to_dict("records")]
    result = checker.check(scenario, rows, run.dates[0], weeks, requirements)
    merged = rostering.violations_table(run)
    print(json.dumps({"weeks": weeks, "period_weeks": scenario.config.roster.period_weeks,
                      "work_limit": scenario.config.solver.work_limit, "failed": sorted(failed),
                      "wall_seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
                      "objective": sum(g.solution.objective or 0 for g in run.groups),
                      "checker_objective": result.objective, "hard_breaches": len(result.hard),
                      "violation_rows": len(merged), "shifts": len(table)}))


if __name__ == "__main__":
    main()
