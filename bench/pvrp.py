"""Solve Cordeau PVRP files and print one JSON line per instance once the check passes.

Example:
    python bench/pvrp.py /work/shared/bench/pvrp/p01.txt --time-limit 120

The search stops on a work budget (a count, so a run is repeatable for its seed):
--time-limit seconds buy WORK_PER_SECOND units each. The wall clock only caps: on a
machine slower than that rate the search cools on the clock instead and stops at the
time limit (the plan then depends on the machine's speed). A file that does not follow
the format exits 2 naming the line and field.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_cli import Outcome, bench_command  # noqa: E402
from bench.engines import periodic  # noqa: E402
from bench.formats import CordeauFormatError, read_cordeau_pvrp  # noqa: E402
from bench.route_check import check_pvrp  # noqa: E402

# Work units (insertion positions, 2-opt moves, a charge per iteration) one core of this
# project's 2-core machine did per second on p01, p02, p12 and pr02 while shared with
# other jobs (load 9-10): about 23 million; the budget assumes 15 million, so that the
# planned work usually ends before the clock cap even under load.
WORK_PER_SECOND = 15_000_000


class BadInstance(click.ClickException):
    exit_code = 2  # the file does not follow the format


@bench_command(120.0, click.option("--seed", default=0, show_default=True))
def main(path: str, time_limit: float, seed: int) -> Outcome:
    started = time.monotonic()
    try:
        problem = read_cordeau_pvrp(path)
    except CordeauFormatError as exc:
        raise BadInstance(f"{path}: {exc}") from None
    periodic.warm_up()  # compiling (or loading numba's cache) counts against the limit
    left = max(time_limit - (time.monotonic() - started), 1e-3)
    params = periodic.PeriodicParams(work=int(time_limit * WORK_PER_SECOND), time_limit_s=left,
                                     seed=seed)
    built = periodic.build(problem, params)
    solution = periodic.extract(built, periodic.solve(built, params, clock=time.monotonic))
    report = check_pvrp(problem, [(r.day, r.customers) for r in solution.routes])
    # "vehicles" counts routes summed over the days.
    return Outcome(problem.name, solution.status, len(solution.routes), solution.bound, report)


if __name__ == "__main__":
    main()
