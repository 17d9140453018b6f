"""What the routing benchmark scripts (bench/solomon.py, bench/pvrp.py) share: arguments, timing, printing.

Each script supplies how to solve and check one file; a plan is printed only when the
independent check passes, else its violations go to stderr and the exit code is 1.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import click

from bench.route_check import Report


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # the engine's status; anything but FEASIBLE fails
    vehicles: int
    bound: float | None
    report: Report  # from bench.route_check


def bench_command(default_time_limit: float, *options: Callable) -> Callable:
    """A click command over FILE... with --time-limit, plus the script's own options."""
    def wrap(solve_one: Callable) -> click.Command:
        @click.command(context_settings={"help_option_names": ["-h", "--help"]},
                       help='Solve each FILE; print {"instance", "objective", "vehicles", "bound", "seconds"}.')
        @click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
        @click.option("--time-limit", default=default_time_limit, show_default=True, help="Seconds per instance.")
        def command(files: tuple[str, ...], time_limit: float, **extra) -> None:
            sys.exit(run_files(files, lambda path: solve_one(path, time_limit, **extra)))
        for option in reversed(options):
            command = option(command)
        return command
    return wrap


def run_files(files: tuple[str, ...], solve_one: Callable[[str], Outcome]) -> int:
    """Solve, check and print each file in turn; 1 if any failed, else 0."""
    failed = False
    for path in files:
        started = time.monotonic()
        out = solve_one(path)
        seconds = time.monotonic() - started
        if not out.report.ok or out.status != "FEASIBLE":
            failed = True
            click.echo(f"{out.name}: status {out.status}; check failed:", err=True)
            for v in out.report.hard:
                click.echo(f"  {v.rule}: {v.message}", err=True)
            continue
        click.echo(json.dumps({
            "instance": out.name,
            "objective": round(out.report.cost, 2),
            "vehicles": out.vehicles,
            "bound": None if out.bound is None else round(out.bound, 2),
            "seconds": round(seconds, 1),
        }))
    return 1 if failed else 0
