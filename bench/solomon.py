"""Solve Solomon VRPTW files and print one JSON line per instance once the check passes.

Example:
    python bench/solomon.py /work/shared/bench/solomon/*.txt --time-limit 30
"""

from __future__ import annotations

import click

from models import routing
from planner.bench_cli import Outcome, bench_command
from planner.bench_formats import read_solomon
from planner.route_check import check_vrptw


@bench_command(30.0, click.option("--workers", default=2, show_default=True, help="Parallel search processes."))
def main(path: str, time_limit: float, workers: int) -> Outcome:
    instance = read_solomon(path)
    params = routing.SearchParams(time_limit_s=time_limit, workers=workers)
    built = routing.build(instance.problem, params)
    solution = routing.extract(built, routing.solve(built, params))
    report = check_vrptw(instance.problem, [(r.vehicle, [s.node for s in r.stops[1:-1]]) for r in solution.routes])
    return Outcome(instance.name, solution.status, solution.vehicles_used, solution.bound, report)


if __name__ == "__main__":
    main()
