"""Solve Cordeau PVRP files and print one JSON line per instance once the check passes.

Example:
    python bench/pvrp.py /work/shared/bench/pvrp/p01.txt --time-limit 120
"""

from __future__ import annotations

import click

from models import periodic
from planner.bench_cli import Outcome, bench_command
from planner.bench_formats import read_cordeau_pvrp
from planner.route_check import check_pvrp


@bench_command(120.0, click.option("--seed", default=0, show_default=True))
def main(path: str, time_limit: float, seed: int) -> Outcome:
    problem = read_cordeau_pvrp(path)
    params = periodic.PeriodicParams(time_limit_s=time_limit, seed=seed)
    built = periodic.build(problem, params)
    solution = periodic.extract(built, periodic.solve(built, params))
    report = check_pvrp(problem, [(r.day, r.customers) for r in solution.routes])
    # "vehicles" counts routes summed over the days.
    return Outcome(problem.name, solution.status, len(solution.routes), solution.bound, report)


if __name__ == "__main__":
    main()
