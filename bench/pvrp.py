"""Solve Cordeau PVRP files and print one JSON line per instance once the check passes.

Example:
    python bench/pvrp.py /work/shared/bench/pvrp/p01.txt --time-limit 120
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_cli import Outcome, bench_command  # noqa: E402
from bench.engines import periodic  # noqa: E402
from bench.formats import read_cordeau_pvrp  # noqa: E402
from bench.route_check import check_pvrp  # noqa: E402


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
