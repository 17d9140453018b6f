"""Solve Solomon VRPTW files and print one JSON line per instance once the check passes.

Example:
    python bench/solomon.py /work/shared/bench/solomon/*.txt --time-limit 30
"""

from __future__ import annotations

import json
import sys
import time

import click

from models import routing
from planner.bench_formats import read_solomon
from planner.route_check import check_vrptw


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--time-limit", default=30.0, show_default=True, help="Seconds per instance.")
@click.option("--workers", default=2, show_default=True, help="Parallel search processes.")
def main(files: tuple[str, ...], time_limit: float, workers: int) -> None:
    """Solve each FILE; print {"instance", "objective", "vehicles", "bound", "seconds"}."""
    failed = False
    for path in files:
        started = time.monotonic()
        instance = read_solomon(path)
        params = routing.SearchParams(time_limit_s=time_limit, workers=workers)
        built = routing.build(instance.problem, params)
        solution = routing.extract(built, routing.solve(built, params))
        seconds = time.monotonic() - started
        report = check_vrptw(instance.problem, [
            (r.vehicle, [s.node for s in r.stops[1:-1]]) for r in solution.routes
        ])
        if not report.ok or solution.status != "FEASIBLE":
            failed = True
            click.echo(f"{instance.name}: status {solution.status}; check failed:", err=True)
            for v in report.violations:
                click.echo(f"  {v.cause}: {v.detail}", err=True)
            continue
        click.echo(json.dumps({
            "instance": instance.name,
            "objective": round(report.distance, 2),
            "vehicles": solution.vehicles_used,
            "bound": None if solution.bound is None else round(solution.bound, 2),
            "seconds": round(seconds, 1),
        }))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
