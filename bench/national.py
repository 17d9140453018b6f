"""National scale: the generated national scenario end to end, time per point as the points
double, and a demand sweep on a two-node loopback Ray cluster against the process pool.

    .venv/bin/python bench/national.py [--processes 2] [--roster-limit 1] [--outreach-limit 5]
                                       [--sizes 12,24,48,96] [--samples 200] [--skip-ray] [--only e2e,scaling,sweep]
    .venv/bin/python bench/national.py --only outreach [--months 12] [--executor pool|ray] [--work-limit W]
                                       [--keep DIR] [--against DIR]

1. End to end: `planner generate national` with its defaults (points in places of ≥ 5 000
   residents, 15 km apart), then the pipeline of `planner plan --workers N`: staffing for the
   12-month horizon (a task per point group), rosters for four weeks (a task per point group,
   --roster-limit solver seconds each) and outreach for the first quarter (a task per provider
   and home-office area, --outreach-limit seconds per solver call), report and files. CP-SAT
   runs one worker per task (scenario.toml [solver] workers = 1) so N tasks use N cores.
   Prints the total, each step's time and the peak memory of this process and its workers
   together (proportional set sizes summed, sampled every 0.2 s; the sum of resident sizes,
   which counts pages shared after fork once per worker, too).
2. Scaling: staffing (3 months) and rosters (four weeks) of the first 12, 24, 48, 96 points of
   a denser national scenario (≥ 1 000 residents, 10 km), time per point and the ratio of each
   size's time per point to the previous one (1.0 = linear).
3. Sweep: --samples demand samples of the pilot scenario (one month) in the process pool, then
   on a Ray cluster this script starts on loopback: `ray start --head` with one CPU and one
   more node with one CPU (bench/ray_node.py says why it is not a second `ray start`). The
   cluster's processes are stopped at the end, by process id, whatever happens.

4. Outreach (issue #15: national, the whole year, under 15 minutes and 2 GB on 2 cores, within 5 % of the
   bound, the same plan with Ray): `planner generate national` with its defaults (≈300 points, ≈100 officials),
   then `planner outreach --months N --workers P` as the command runs it (pipeline.run_outreach: the demand
   stage, the outreach stage's areas on the executor, the merged plan and its files), on the product's work
   budget ([solver] work_limit, or --work-limit). One JSON line: points, officials, months, executor, wall and
   CPU seconds (workers included: the pool's reaped workers, or the Ray cluster's processes), peak memory (PSS
   summed over the run's processes, the Ray cluster's included), status, objective, best bound, gap, trips
   (multi-stop days, overnight trips), the areas' statuses and the slowest areas, load before and after.
   --executor ray runs on the loopback cluster of part 3 and checks that the plan is the pool's (objective and
   visits.csv identical): against --against DIR (a pool run kept with --keep DIR), else a pool run made here.

The machine is shared: the load average is printed with each figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.base.budget import with_work_limit  # noqa: E402
from planner.base.executor import ProcessExecutor, RayExecutor  # noqa: E402
from planner.cli import DEFAULT_SCENARIO  # noqa: E402
from planner.demand.forecast import forecast  # noqa: E402
from planner.rosters.stage import make_roster  # noqa: E402
from planner.run.pipeline import run_outreach, run_plan  # noqa: E402
from planner.scenario.generate import write_national  # noqa: E402
from planner.scenario.loading import load_scenario  # noqa: E402
from planner.staffing.stage import size_scenario  # noqa: E402
from planner.whatif.sweep import sweep  # noqa: E402

RAY_PORT = 6390


def cpu_seconds() -> float:
    """CPU time of this process and its finished workers: what the work costs whatever the machine's load."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _processes() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command line) of every live process."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if stat[0] != "Z":
            found[int(entry)] = (int(stat[1]), command)
    return found


def _descendants(roots: set[int], table: dict[int, tuple[int, str]]) -> set[int]:
    found = set(roots)
    while True:
        more = {pid for pid, (parent, _) in table.items() if parent in found} - found
        if not more:
            return found
        found |= more


def _memory_mb(pid: int) -> tuple[float, float]:
    """(resident, proportional) MB: RSS counts pages a forked worker shares with its parent in
    both; PSS splits them between the sharers, so a sum of PSS is the tree's real footprint."""
    rss = pss = 0.0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss


class PeakMemory:
    """The largest sums of resident (RSS) and proportional (PSS) memory of this process and its
    descendants, sampled."""

    def __init__(self, every: float = 0.2, marker: str | None = None):
        # marker: processes whose command line holds it count too, with their descendants (a Ray cluster's).
        self.every, self.peak_rss_mb, self.peak_pss_mb, self._stop = every, 0.0, 0.0, threading.Event()
        self.marker = marker
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            table = _processes()
            figures = [_memory_mb(pid) for pid in _descendants(_roots(table, self.marker), table)]
            self.peak_rss_mb = max(self.peak_rss_mb, sum(r for r, _ in figures))
            self.peak_pss_mb = max(self.peak_pss_mb, sum(p for _, p in figures))
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _roots(table: dict[int, tuple[int, str]], marker: str | None) -> set[int]:
    """This process, and with `marker` every process whose command line holds it."""
    return {os.getpid()} | ({pid for pid, (_, cmd) in table.items() if marker in cmd} if marker else set())


def tree_cpu_seconds(marker: str | None = None) -> float:
    """CPU seconds so far of this process's tree and of the processes whose command line holds `marker` (a Ray
    cluster's temp dir) with theirs: utime + stime of each live process, and cutime + cstime, what its reaped
    children used (a finished child is no longer live, so nothing is counted twice)."""
    table = _processes()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _descendants(_roots(table, marker), table):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks


def national_scenario(folder: Path, purpose: str | None = None, **options: object):
    template, _ = load_scenario(DEFAULT_SCENARIO)
    out = folder / "national"
    write_national(template, DEFAULT_SCENARIO, out, **options)
    toml = out / "scenario.toml"
    # One CP-SAT worker per task: the pool's processes are the parallelism.
    toml.write_text(toml.read_text(encoding="utf-8").replace("workers = 2", "workers = 1"), encoding="utf-8")
    scenario, _ = load_scenario(out, purpose=purpose) if purpose else load_scenario(out)
    return scenario


def end_to_end(processes: int, roster_limit: float, outreach_limit: float) -> dict:
    print(f"end to end, before: {load()}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        scenario = national_scenario(Path(folder))
        started, cpu = time.perf_counter(), cpu_seconds()

        def step(message: str) -> None:
            # The steps' own times come with the manifest at the end; this shows where a long run is.
            if message.endswith(" …"):
                print(f"  {time.perf_counter() - started:7.1f} s: {message} ({load()})", flush=True)

        with PeakMemory() as memory:
            run = run_plan(scenario, Path(folder) / "plan", step, executor=ProcessExecutor(processes),
                           roster_time_limit=roster_limit, outreach_time_limit=outreach_limit)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    manifest = run.manifest
    steps = manifest["timings_seconds"]
    failed = manifest["failed_tasks"]
    print(f"national end to end: {len(scenario.points)} points, {len(scenario.advisors)} advisors, "
          f"{len(scenario.officials)} officials; {processes} processes; roster {roster_limit:g} s and outreach "
          f"{outreach_limit:g} s per solver call: {seconds:.1f} s total "
          f"({cpu:.0f} CPU s: {cpu / processes:.0f} s on {processes} idle cores), peak memory {memory.peak_pss_mb:.0f} MB "
          f"(PSS; RSS summed {memory.peak_rss_mb:.0f} MB); {load()}")
    print("  steps: " + ", ".join(f"{name} {value:.1f} s" for name, value in steps.items()))
    print("  statuses: " + ", ".join(f"{name} {manifest['steps'][name].get('status')}" for name in manifest["steps"])
          + f"; {len(failed)} failed task(s)" + "".join(f"\n    failed {k}: {v[:160]}" for k, v in failed.items()))
    return {"points": len(scenario.points), "seconds": round(seconds, 1), "cpu_seconds": round(cpu), "steps": steps,
            "peak_pss_mb": round(memory.peak_pss_mb),
            "peak_rss_sum_mb": round(memory.peak_rss_mb), "failed_tasks": len(failed), "load": os.getloadavg()}


def scaling(processes: int, sizes: list[int], roster_limit: float) -> dict:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        full = national_scenario(Path(folder), min_population=1000, spacing_km=10.0, max_points=max(sizes))
    horizon = full.config.horizon.model_copy(update={"months": 3})
    full = full.model_copy(update={"config": full.config.model_copy(update={"horizon": horizon})})
    from planner.base.decompose import restrict_to_points

    order = [p.point_id for p in full.points]
    previous = None
    for n in sizes:
        scenario = restrict_to_points(full, set(order[:n]))
        executor = ProcessExecutor(processes)
        started, cpu = time.perf_counter(), cpu_seconds()
        _, failed_staffing = size_scenario(scenario, forecast(scenario), executor)
        staffing = time.perf_counter() - started
        _, failed_roster = make_roster(scenario, weeks=4, time_limit=roster_limit, executor=executor)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        # Per point in CPU seconds: the wall clock of a shared machine says more about the neighbours.
        per_point = cpu / n
        ratio = per_point / previous if previous else None
        print(f"scaling: {n:>4} points: {seconds:7.1f} s (staffing {staffing:.1f} s, rosters {seconds - staffing:.1f} s), "
              f"{cpu:.0f} CPU s, {per_point:.2f} CPU s per point"
              + (f", ×{ratio:.2f} per point vs half the points" if ratio else "")
              + f"; {len(failed_staffing) + len(failed_roster)} failed; {load()}"
              + "".join(f"\n    failed {k}: {v.splitlines()[0][:160]}" for k, v in {**failed_staffing, **failed_roster}.items()),
              flush=True)
        rows.append({"points": n, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                     "cpu_per_point": round(per_point, 3),
                     "ratio": None if ratio is None else round(ratio, 2)})
        previous = per_point
    return {"rows": rows}


def _stop_cluster(temp_dir: str) -> None:
    """Stop the processes of our cluster only (their command lines name our temp dir), not `ray stop`,
    which would stop every Ray on the machine."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        table = _processes()
        ours = _descendants({pid for pid, (_, cmd) in table.items() if temp_dir in cmd and pid != os.getpid()}, table)
        ours.discard(os.getpid())
        for pid in ours:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if not ours:
            return
        time.sleep(3)


def _run(command: list[str]) -> str:
    env = {**os.environ, "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_AUTH_MODE": "disabled"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


@contextlib.contextmanager
def loopback_ray(processes: int):
    """A two-node Ray cluster on loopback, `processes` CPUs in all: `ray start --head` with half of them and one
    more node with the rest (bench/ray_node.py says why it is not a second `ray start`). Yields (executor, nodes,
    the cluster's temp dir, which its processes' command lines name); stops them by process id whatever happens."""
    temp_dir = tempfile.mkdtemp(prefix="aspa-ray-")  # short: Ray's socket paths must fit 107 bytes
    per_node = max(1, processes // 2)
    try:
        _run(["ray", "start", "--head", "--node-ip-address=127.0.0.1", f"--port={RAY_PORT}", f"--num-cpus={per_node}",
              "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp_dir}"])
        _run([sys.executable, str(Path(__file__).with_name("ray_node.py")), f"127.0.0.1:{RAY_PORT}",
              f"--num-cpus={per_node}", f"--temp-dir={temp_dir}"])
        import ray

        executor = RayExecutor(address=f"127.0.0.1:{RAY_PORT}")
        executor._connect()
        deadline = time.time() + 60
        while len([n for n in ray.nodes() if n["Alive"]]) < 2 and time.time() < deadline:
            time.sleep(0.5)
        nodes = [(n["NodeManagerAddress"], n["Resources"].get("CPU")) for n in ray.nodes() if n["Alive"]]
        try:
            yield executor, nodes, temp_dir
        finally:
            ray.shutdown()
    finally:
        _stop_cluster(temp_dir)
        shutil.rmtree(temp_dir, ignore_errors=True)


def sweeps(samples: int, processes: int, skip_ray: bool) -> dict:
    scenario, _ = load_scenario(DEFAULT_SCENARIO)
    horizon = scenario.config.horizon.model_copy(update={"months": 1})
    scenario = scenario.model_copy(update={"config": scenario.config.model_copy(update={"horizon": horizon})})
    print(f"sweep, before: {load()}", flush=True)
    started, cpu = time.perf_counter(), cpu_seconds()
    pooled, _ = sweep(scenario, samples, ProcessExecutor(processes), seed=0)
    pool_seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    print(f"sweep of {samples} samples, process pool ({processes} processes): {pool_seconds:.1f} s ({cpu:.0f} CPU s); "
          f"{load()}", flush=True)
    figures = {"samples": samples, "pool_seconds": round(pool_seconds, 1)}
    if skip_ray:
        return figures
    per_node = max(1, processes // 2)
    with loopback_ray(processes) as (executor, nodes, _):
        print(f"Ray cluster: {len(nodes)} nodes {nodes}", flush=True)
        started = time.perf_counter()
        on_ray, _ = sweep(scenario, samples, executor, seed=0)
        ray_seconds = time.perf_counter() - started
    identical = on_ray.equals(pooled)
    print(f"sweep of {samples} samples, Ray ({len(nodes)} loopback nodes × {per_node} CPU): {ray_seconds:.1f} s; "
          f"ratio Ray / pool = {ray_seconds / pool_seconds:.2f}; results identical: {identical}; {load()}")
    figures.update(ray_seconds=round(ray_seconds, 1), ratio=round(ray_seconds / pool_seconds, 2), identical=identical,
                   nodes=len(nodes))
    return figures


def trip_counts(visits) -> dict:
    """Trips of a visits.csv table: day trips with more than one stop, and overnight trips (one trip_id each)."""
    if not len(visits):
        return {"multi_stop_days": 0, "overnight_trips": 0}
    overnight = visits["trip_id"].fillna("").astype(str) != "" if "trip_id" in visits.columns else False
    day = visits[~overnight] if "trip_id" in visits.columns else visits
    stops = day.groupby(["official_id", "date"]).size()
    return {"multi_stop_days": int((stops > 1).sum()),
            "overnight_trips": int(visits.loc[overnight, "trip_id"].nunique()) if "trip_id" in visits.columns else 0}


def _outreach_run(scenario, months: int, executor, out: Path, marker: str | None = None) -> dict:
    """`planner outreach` (pipeline.run_outreach) on `executor` into `out`, measured."""
    before = os.getloadavg()
    started, cpu, tree = time.perf_counter(), cpu_seconds(), tree_cpu_seconds(marker) if marker else 0.0

    def step(message: str) -> None:
        print(f"  {time.perf_counter() - started:7.1f} s: {message[:160]} ({load()})", flush=True)

    # One sample a second: at 5 a second the sampler's own process took 3 of a month's 27 CPU minutes.
    with PeakMemory(every=1.0, marker=marker) as memory:
        run = run_outreach(scenario, out, months, None, step, executor=executor)
    seconds = time.perf_counter() - started
    # The pool's workers are this process's reaped children (RUSAGE_CHILDREN); Ray's are the cluster's processes.
    cpu = (tree_cpu_seconds(marker) - tree) if marker else cpu_seconds() - cpu
    result = run.results["outreach"]
    payload = result.payload
    areas = payload.get("areas", {})
    statuses: dict[str, int] = {}
    for area in areas.values():
        statuses[area["status"]] = statuses.get(area["status"], 0) + 1
    slowest = sorted(((p.solution.seconds, key, p.solution.status, p.solution.gap, p.officials, p.days)
                      for key, p in result.parts.items()), reverse=True)[:5]
    return {
        "points": len(scenario.points), "officials": len(scenario.officials), "months": months,
        "work_limit": scenario.config.solver.work_limit, "cp_sat_workers": scenario.config.solver.workers,
        "wall_s": round(seconds, 1), "cpu_s": round(cpu, 1),
        "peak_pss_mb": round(memory.peak_pss_mb), "peak_rss_sum_mb": round(memory.peak_rss_mb),
        "status": payload["status"], "objective_eur": payload["objective"], "best_bound_eur": payload["best_bound"],
        "gap": payload["gap"], "trips": payload["trips"], "visits": payload["visits"],
        **trip_counts(result.visits),
        "areas": len(areas), "area_statuses": statuses, "failed_areas": payload.get("failed_areas", {}),
        "slowest_areas": [{"area": key, "seconds": round(sec, 1), "status": status,
                           "gap": None if gap is None else round(gap, 4), "officials": n, "days": days}
                          for sec, key, status, gap, n, days in slowest],
        "load_before": [round(x, 2) for x in before], "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def same_plan(one: Path, other: Path) -> bool:
    """Whether two `planner outreach` folders hold the same plan: objective and visits.csv byte for byte."""
    objective = [json.loads((folder / "summary.json").read_text())["objective"] for folder in (one, other)]
    visits = [(folder / "visits.csv").read_bytes() for folder in (one, other)]
    return objective[0] == objective[1] and visits[0] == visits[1]


def outreach(months: int, kind: str, processes: int, work_limit: float | None, keep: Path | None,
             against: Path | None) -> dict:
    """Part 4: the national outreach of `months` months on the pool or the loopback Ray cluster (module docstring)."""
    with tempfile.TemporaryDirectory() as folder:
        scenario = with_work_limit(national_scenario(Path(folder), purpose="outreach"), work_limit)
        out = keep or Path(folder) / "plan"
        print(f"outreach: {len(scenario.points)} points, {len(scenario.officials)} officials, {months} month(s), "
              f"{kind}, work limit {scenario.config.solver.work_limit:g}; before: {load()}", flush=True)
        if kind == "pool":
            figures = {"executor": f"process pool × {processes}",
                       **_outreach_run(scenario, months, ProcessExecutor(processes), out)}
        else:
            with loopback_ray(processes) as (executor, nodes, temp_dir):
                figures = {"executor": f"Ray, {len(nodes)} loopback nodes × {max(1, processes // 2)} CPU",
                           **_outreach_run(scenario, months, executor, out, marker=temp_dir)}
            if against is None:
                against = Path(folder) / "pool"
                print("outreach: the pool's plan to compare with …", flush=True)
                pool = _outreach_run(scenario, months, ProcessExecutor(processes), against)
                figures["pool_wall_s"] = pool["wall_s"]
            figures["same_plan_as_pool"] = same_plan(out, against)
            figures["compared_with"] = str(against)
    print(json.dumps(figures), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--roster-limit", type=float, default=1.0,
                        help="Solver seconds per roster group (1 s keeps the national run under 10 min on 2 cores).")
    parser.add_argument("--outreach-limit", type=float, default=5.0, help="Solver seconds per outreach solver call.")
    parser.add_argument("--sizes", default="12,24,48,96")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--only", default="e2e,scaling,sweep", help="Parts, comma-separated: e2e, scaling, sweep, "
                        "outreach (not in the default: the national year takes its own run).")
    parser.add_argument("--months", type=int, default=12, help="outreach: months planned from the horizon start.")
    parser.add_argument("--executor", choices=["pool", "ray"], default="pool",
                        help="outreach: the process pool (--processes) or the loopback Ray cluster.")
    parser.add_argument("--work-limit", type=float, default=None,
                        help="outreach: work budget per solve (CP-SAT deterministic s; default the scenario's).")
    parser.add_argument("--keep", type=Path, default=None, help="outreach: write the plan here (kept).")
    parser.add_argument("--against", type=Path, default=None,
                        help="outreach --executor ray: a pool run's folder (--keep) to compare the plan with.")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    figures: dict = {"cores": os.cpu_count()}
    if "outreach" in parts:
        outreach(args.months, args.executor, args.processes, args.work_limit, args.keep, args.against)
        parts.discard("outreach")
        if not parts:
            return
    if "e2e" in parts:
        figures["end_to_end"] = end_to_end(args.processes, args.roster_limit, args.outreach_limit)
    if "scaling" in parts:
        figures["scaling"] = scaling(args.processes, [int(n) for n in args.sizes.split(",")], args.roster_limit)
    if "sweep" in parts:
        figures["sweep"] = sweeps(args.samples, args.processes, args.skip_ray)
    print(json.dumps(figures))


if __name__ == "__main__":
    # Loopback only: Ray otherwise swaps 127.0.0.1 for the machine's network address.
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    # `ray start` must be the venv's: put the interpreter's folder first on PATH.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    main()
