"""Solve Solomon VRPTW files and print one JSON line per instance once the check passes.

Example:
    python bench/solomon.py /work/shared/bench/solomon/*.txt --time-limit 30
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_cli import Outcome, bench_command  # noqa: E402
from bench.formats import read_solomon  # noqa: E402
from bench.route_check import check_vrptw  # noqa: E402
from models import routing  # noqa: E402


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
