"""Solve Cordeau PVRP files and print one JSON line per instance once the check passes.

Example:
    python bench/pvrp.py /work/shared/bench/pvrp/p01.txt --time-limit 120
"""

from __future__ import annotations

import json
import sys
import time

import click

from models import periodic
from planner.bench_formats import read_cordeau_pvrp
from planner.route_check import check_pvrp


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--time-limit", default=120.0, show_default=True, help="Seconds per instance.")
@click.option("--seed", default=0, show_default=True)
def main(files: tuple[str, ...], time_limit: float, seed: int) -> None:
    """Solve each FILE; print {"instance", "objective", "vehicles", "bound", "seconds"}."""
    failed = False
    for path in files:
        started = time.monotonic()
        problem = read_cordeau_pvrp(path)
        params = periodic.PeriodicParams(time_limit_s=time_limit, seed=seed)
        built = periodic.build(problem, params)
        solution = periodic.extract(built, periodic.solve(built, params))
        seconds = time.monotonic() - started
        report = check_pvrp(problem, [(r.day, r.customers) for r in solution.routes])
        if not report.ok or solution.status != "FEASIBLE":
            failed = True
            click.echo(f"{problem.name}: status {solution.status}; check failed:", err=True)
            for v in report.violations:
                click.echo(f"  {v.cause}: {v.detail}", err=True)
            continue
        click.echo(json.dumps({
            "instance": problem.name,
            "objective": round(report.distance, 2),
            "vehicles": len(solution.routes),  # routes summed over the days
            "bound": None if solution.bound is None else round(solution.bound, 2),
            "seconds": round(seconds, 1),
        }))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
