"""Solve Solomon VRPTW files and print one JSON line per instance once the check passes.

Example:
    python bench/solomon.py /work/shared/bench/solomon/*.txt --time-limit 30
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_cli import Outcome, bench_command  # noqa: E402
from bench.formats import read_solomon  # noqa: E402
from bench.route_check import check_vrptw  # noqa: E402
from models import routing  # noqa: E402

# The benchmark's rule is a wall time per instance: the searches run on the clock (time.monotonic
# passed in), with work budgets far above what fits in that time.
ON_THE_CLOCK = {"local_search_solutions": 10**9, "ruin_recreate_iterations": 10**12}


@bench_command(30.0)
def main(path: str, time_limit: float) -> Outcome:
    instance = read_solomon(path)
    configs = tuple(c.model_copy(update=ON_THE_CLOCK) for c in routing.SearchParams().configs)
    params = routing.SearchParams(time_limit_s=time_limit, configs=configs)
    built = routing.build(instance.problem, params)
    solution = routing.extract(built, routing.solve(built, params, clock=time.monotonic))
    report = check_vrptw(instance.problem, [(r.vehicle, [s.node for s in r.stops[1:-1]]) for r in solution.routes])
    return Outcome(instance.name, solution.status, solution.vehicles_used, solution.bound, report)


if __name__ == "__main__":
    main()
