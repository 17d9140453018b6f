"""Roster the five pilots for four weeks and check every roster with planner/checks/roster.py.

    .venv/bin/python bench/roster.py [--weeks 4] [--time-limit 10]

Prints one JSON line per point group (status, objective, best bound, gap, seconds,
violations) and a total line with the checker's objective, which must equal the solver's.
"""

from __future__ import annotations

import argparse
import json
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
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args()
    scenario, _ = load_scenario(DEFAULT_SCENARIO, purpose="roster")
    started = time.perf_counter()
    run, _ = make_roster(scenario, weeks=args.weeks, time_limit=args.time_limit)
    seconds = time.perf_counter() - started
    for g in run.groups:
        s = g.solution
        print(json.dumps({"group": "+".join(g.points), "status": s.status, "time_limited": s.time_limited,
                          "objective": s.objective, "bound": s.bound, "gap": round(s.gap or 0, 4),
                          "seconds": round(s.seconds, 1), "violations": len(s.violations)}))
    table = rostering.roster_table(scenario, run)
    rows = [{k: str(v) for k, v in r.items()} for r in table.to_dict("records")]
    result = checker.check(scenario, rows, run.dates[0], args.weeks, requirements_for(scenario))
    merged = rostering.violations_table(run)
    print(json.dumps({"total_seconds": round(seconds, 1), "objective": sum(g.solution.objective or 0 for g in run.groups),
                      "checker_objective": result.objective, "hard_breaches": len(result.hard),
                      "violation_rows": len(merged), "shifts": len(table)}))


if __name__ == "__main__":
    main()
