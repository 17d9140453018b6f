"""National scale: staffing for a year over the generated national scenario, and a demand sweep
on a two-node local Ray cluster against the process pool.

    .venv/bin/python bench/national.py [--points 300] [--samples 200] [--processes 2] [--skip-ray]

1. Generates the national scenario (min population 1 000, 10 km spacing) and sizes its points
   for 12 months as tasks of a process pool: seconds, peak memory, seconds per point.
2. Sweeps `--samples` demand samples of the pilot scenario (3 months) on the process pool,
   then on a Ray cluster this script starts itself on loopback (`ray start --head`, one node
   with `--processes` CPUs: Ray refuses a second node on loopback, and listening on the
   machine's network address is not allowed here), and prints both times and their ratio. The cluster is stopped
   at the end. The results of both are checked to be identical.

Rosters and outreach are not part of it yet (see the issue's notes).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.cli import DEFAULT_SCENARIO  # noqa: E402
from planner.executor import ProcessExecutor, RayExecutor  # noqa: E402
from planner.generate import write_national  # noqa: E402
from planner.loading import load_scenario  # noqa: E402
from planner.sizing import size_in_pieces  # noqa: E402
from planner.sweep import sweep  # noqa: E402

RAY_PORT = 6390


def peak_rss_mb() -> float:
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def national(points: int, processes: int) -> dict:
    template, _ = load_scenario(DEFAULT_SCENARIO)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "national"
        write_national(template, DEFAULT_SCENARIO, out, min_population=1000, spacing_km=10.0, max_points=points)
        toml = out / "scenario.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("workers = 2", "workers = 1"), encoding="utf-8")
        scenario, _ = load_scenario(out)
    started = time.perf_counter()
    result, failed = size_in_pieces(scenario, ProcessExecutor(processes))
    seconds = time.perf_counter() - started
    print(f"national staffing: {len(scenario.points)} points × 12 months in {seconds:.1f} s "
          f"({seconds / len(scenario.points):.2f} s per point), {len(failed)} failed, "
          f"peak memory {peak_rss_mb():.0f} MB")
    return {"points": len(scenario.points), "seconds": round(seconds, 1), "failed": len(failed),
            "peak_rss_mb": round(peak_rss_mb())}


def ray_cluster(command: list[str]) -> None:
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}
    subprocess.run(command, check=True, env=env, capture_output=True, text=True, timeout=180)


def sweeps(samples: int, processes: int, skip_ray: bool) -> dict:
    scenario, _ = load_scenario(DEFAULT_SCENARIO)
    horizon = scenario.config.horizon.model_copy(update={"months": 3})
    scenario = scenario.model_copy(update={"config": scenario.config.model_copy(update={"horizon": horizon})})
    started = time.perf_counter()
    pooled, _ = sweep(scenario, samples, ProcessExecutor(processes), seed=0)
    pool_seconds = time.perf_counter() - started
    print(f"sweep of {samples} samples, process pool ({processes}): {pool_seconds:.1f} s")
    figures = {"samples": samples, "pool_seconds": round(pool_seconds, 1)}
    if skip_ray:
        return figures
    ray = RAY_PORT
    # One node with both CPUs: Ray will not let a second node join on loopback, and this
    # benchmark must not listen on the machine's network address (see the notes).
    head = ["ray", "start", "--head", "--node-ip-address=127.0.0.1", f"--port={ray}", f"--num-cpus={processes}",
            "--include-dashboard=false", "--disable-usage-stats"]
    try:
        ray_cluster(head)
        started = time.perf_counter()
        on_ray, _ = sweep(scenario, samples, RayExecutor(address=f"127.0.0.1:{ray}"), seed=0)
        ray_seconds = time.perf_counter() - started
    finally:
        import ray as ray_module

        if ray_module.is_initialized():
            ray_module.shutdown()
        subprocess.run(["ray", "stop", "--force"], capture_output=True, timeout=120, check=False)
    identical = on_ray.equals(pooled)
    print(f"sweep of {samples} samples, Ray cluster started by `ray start` on loopback: {ray_seconds:.1f} s; "
          f"ratio Ray / pool = {ray_seconds / pool_seconds:.2f}; results identical: {identical}")
    figures.update(ray_seconds=round(ray_seconds, 1), ratio=round(ray_seconds / pool_seconds, 2), identical=identical)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=300)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--skip-ray", action="store_true")
    args = parser.parse_args()
    figures = {"national": national(args.points, args.processes),
               "sweep": sweeps(args.samples, args.processes, args.skip_ray)}
    print(json.dumps(figures))


if __name__ == "__main__":
    # Loopback only: Ray otherwise swaps 127.0.0.1 for the machine's network address.
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    # `ray start` must be the venv's: put the interpreter's folder first on PATH.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    main()
