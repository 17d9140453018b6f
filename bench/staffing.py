"""Size a synthetic national scenario: total time, peak memory, and time per point as points double.

    .venv/bin/python bench/staffing.py [--points 300] [--processes 2] [--months 12]

Generates a national scenario (planner generate national, min population 1 000, 10 km
spacing) and sizes a seeded random 37, 75, 150 and 300 of them (each set containing the last), one point per task in a process
pool, each CP-SAT solve on one thread. Prints seconds, seconds per point (flat = linear)
and peak resident memory of the whole run. Targets: 300 points × 12 months under 5 minutes
and 2 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.base.decompose import restrict_to_points  # noqa: E402
from planner.cli import DEFAULT_SCENARIO  # noqa: E402
from planner.demand.forecast import forecast  # noqa: E402
from planner.scenario.generate import write_national  # noqa: E402
from planner.scenario.loading import load_scenario  # noqa: E402
from planner.scenario.schemas import Scenario  # noqa: E402
from planner.staffing.sizing import size  # noqa: E402


def size_point(scenario: Scenario) -> tuple[str, float, float]:
    started = time.perf_counter()
    result = size(scenario, forecast(scenario))
    point = scenario.points[0].point_id
    return point, float(result.summary["fte_needed"].mean()), time.perf_counter() - started


def run(scenario: Scenario, order: list[str], count: int, processes: int) -> float:
    pieces = [restrict_to_points(scenario, {point}) for point in order[:count]]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=processes) as pool:
        list(pool.map(size_point, pieces, chunksize=1))
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024  # Linux reports KiB; children's is the largest child


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=300)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    template, _ = load_scenario(DEFAULT_SCENARIO)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "national"
        write_national(template, DEFAULT_SCENARIO, out, min_population=1000, spacing_km=10.0,
                       max_points=args.points, seed=0)
        toml = out / "scenario.toml"
        text = toml.read_text(encoding="utf-8").replace("months = 12", f"months = {args.months}")
        toml.write_text(text.replace("workers = 2", "workers = 1"), encoding="utf-8")
        scenario, _ = load_scenario(out)
    print(f"national scenario: {len(scenario.points)} points, {args.months} months, "
          f"{args.processes} processes, CP-SAT 1 thread each")
    # A seeded shuffle makes every prefix a like-for-like sample (the list is largest town first).
    order = [p.point_id for p in scenario.points]
    random.Random(0).shuffle(order)
    sizes, figures = [], {}
    n = args.points
    while n >= 30:
        sizes.insert(0, n)
        n //= 2
    for count in sizes:
        seconds = run(scenario, order, count, args.processes)
        figures[count] = seconds
        print(f"{count:4d} points: {seconds:8.1f} s  = {seconds / count:6.2f} s per point")
    first, last = sizes[0], sizes[-1]
    growth = (figures[last] / last) / (figures[first] / first)
    print(f"time per point at {last} vs {first} points: ×{growth:.2f} (1.0 = linear)")
    print(f"peak memory (largest process): {peak_rss_mb():.0f} MB")
    print(json.dumps({"points": last, "months": args.months, "seconds": round(figures[last], 1),
                      "seconds_per_point": {k: round(v / k, 3) for k, v in figures.items()},
                      "linearity": round(growth, 2), "peak_rss_mb": round(peak_rss_mb())}))


if __name__ == "__main__":
    main()
