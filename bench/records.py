"""Visit logs: the figures of issue #16 (printed, not timed tests).

    .venv/bin/python bench/records.py recovery   # fitted vs true season and trend, pilots (--seeds 9, --scale 10)
    .venv/bin/python bench/records.py accuracy   # 6-month holdout WAPE: fitted vs seasonal naive per provider
    .venv/bin/python bench/records.py replay     # simulator vs exact Erlang C
    .venv/bin/python bench/records.py scale      # read + fit a national log (300 points, 3 years): time, peak memory

`scale` generates the national scenario and its logs once into --work (default
/tmp/records-bench), then reads and fits them in a child process that prints wall and CPU
seconds of the read and of the fit, its peak RSS and the load average (the machine is shared:
wall seconds under load are CPU seconds stretched by the other processes).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PILOTS = ROOT / "inputs" / "aspa-pilots-2015"
sys.path.insert(0, str(ROOT))
warnings.simplefilter("ignore")


def _pilots(scale: float):
    from planner.scenario.loading import load_scenario

    scenario, _ = load_scenario(PILOTS)
    return scenario.model_copy(update={
        "baseline_demand": tuple(b.model_copy(update={"monthly_volume": b.monthly_volume * scale})
                                 for b in scenario.baseline_demand),
        "closures": tuple(c.model_copy(update={"monthly_visits": c.monthly_visits * scale}) for c in scenario.closures)})


def recovery(args: argparse.Namespace) -> None:
    from planner.records.fit import fit_variant
    from planner.records.generator import generate_records
    from planner.records.reader import read_records

    scenario = _pilots(args.scale)
    truth = {r.provider_id: np.array(r.factors()) for r in scenario.seasonality}
    trend = {q.provider_id: q.annual_trend for q in scenario.providers}
    seeds = range(args.seed, args.seed + args.seeds)
    print(f"recovery, pilots x{args.scale:g}, 3 years, seeds {seeds.start}..{seeds.stop - 1}; providers of a pair with "
          ">= 50 customers/month; target: every factor within 10 %, trend within 3 points")
    print("seed  provider      max |factor error|  mean  (largest rel. SE)   trend fitted  true   error pp  (SE pp)  ok")
    passed: dict[str, int] = {}
    for seed in seeds:
        logs = Path(args.work) / f"pilots-x{args.scale:g}-seed{seed}"
        if not logs.exists():
            generate_records(scenario, logs, years=3, seed=seed)
        records = read_records([logs], scenario)
        monthly = records.monthly()
        result = fit_variant(records, scenario)
        records.close()
        average = monthly.groupby(["point_id", "provider_id"])["customers"].sum() / 36
        for q in sorted({q for (_, q), v in average.items() if v >= 50}):
            fit = result.demand.providers[q]
            err = np.abs(np.array(fit.factors) / truth[q] - 1)
            relative_se = np.array(fit.factor_se) / truth[q]
            ok = err.max() < 0.10 and abs(fit.trend - trend[q]) < 0.03
            passed[q] = passed.get(q, 0) + ok
            print(f"{seed:4d}  {q:12s}  {err.max():17.1%}  {err.mean():5.1%}  ({relative_se.max():.1%})            "
                  f"{fit.trend:+.3f}  {trend[q]:+.3f}  {100 * (fit.trend - trend[q]):+6.2f}  ({100 * fit.trend_se:.2f})"
                  f"  {'yes' if ok else 'NO'}")
    print("within both tolerances: " + ", ".join(f"{q} {n}/{len(seeds)}" for q, n in sorted(passed.items())))


def accuracy(args: argparse.Namespace) -> None:
    from planner.records.backtest import backtest
    from planner.records.generator import generate_records
    from planner.records.reader import read_records

    scenario = _pilots(1.0)
    logs = Path(args.work) / f"pilots-x1-seed{args.seed}"
    if not logs.exists():
        generate_records(scenario, logs, years=3, seed=args.seed)
    records = read_records([logs], scenario)
    result = backtest(records, scenario, 6)
    records.close()
    table = result.providers.pivot_table(index="provider_id", columns="model", values="wape")
    table["fitted beats seasonal naive"] = table["fitted"] < table["seasonal_naive"]
    print("WAPE over a 6-month rolling-origin holdout, generated pilot logs (3 years)")
    print(table.round(3).to_string())


def replay(args: argparse.Namespace) -> None:
    from planner.records.replay import Duty, simulate_day
    from planner.staffing.queueing import erlang_c_service_level

    print("simulated vs Erlang C: stationary Poisson arrivals, exponential handling 5 min, fixed staff, 120 000 min")
    for advisors, load, within in ((1, 0.7, 5.0), (2, 1.5, 2.0), (3, 2.4, 2.0), (5, 4.2, 1.0)):
        rng = np.random.default_rng(args.seed)
        rate, horizon = load / 5.0, 120_000.0
        arrival = np.cumsum(rng.exponential(1 / rate, int(rate * horizon * 1.1)))
        arrival = arrival[arrival < horizon]
        started = time.perf_counter()
        result = simulate_day(arrival, np.array(["q"] * arrival.size), rng.exponential(5.0, arrival.size),
                              np.full(arrival.size, np.inf), [Duty(str(i), 0, horizon, frozenset({"q"}))
                                                              for i in range(advisors)], horizon)
        steady = arrival > 2_000
        simulated = (result.wait[steady] <= within).mean()
        exact = float(erlang_c_service_level(rate * 15, 5.0, 15.0, advisors, within))
        print(f"  {advisors} advisors, load {load} erl, within {within:g} min: simulated {simulated:.2%}, Erlang C "
              f"{exact:.2%}, difference {100 * (simulated - exact):+.2f} points ({arrival.size} customers, "
              f"{time.perf_counter() - started:.1f} s)")


def _cpu() -> float:
    """CPU seconds of this process so far, all threads (DuckDB's included), user + system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _read_and_fit(scenario_dir: str, logs: str, output: str) -> None:
    from planner.records.fit import fit_variant, write_variant
    from planner.records.reader import read_records
    from planner.scenario.loading import load_scenario

    scenario, _ = load_scenario(scenario_dir)
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), _cpu()
    records = read_records([Path(logs)], scenario)
    read, read_cpu = time.perf_counter() - started, _cpu() - cpu
    started, cpu = time.perf_counter(), _cpu()
    result = fit_variant(records, scenario)
    write_variant(result, Path(scenario_dir), Path(output))
    fit, fit_cpu = time.perf_counter() - started, _cpu() - cpu
    rows = records.rows_read
    records.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {rows} rows: read {read:.1f} s ({read_cpu:.1f} CPU s), fit + write {fit:.1f} s ({fit_cpu:.1f} CPU s), "
          f"total {read + fit:.1f} s ({read_cpu + fit_cpu:.1f} CPU s), peak memory {peak:.0f} MB; "
          f"{len(result.demand.pairs)} pairs, {len(result.demand.providers)} providers fitted; "
          f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (2 cores)")


def scale(args: argparse.Namespace) -> None:
    from planner.records.generator import generate_records
    from planner.scenario.loading import load_scenario

    work = Path(args.work)
    national, logs = work / "national", work / "national-logs"
    if not (national / "scenario.toml").exists():
        subprocess.run([str(Path(sys.executable).parent / "planner"), "generate", "national", "-o", str(national),
                        "--max-points", "300", "--min-population", "1500"], check=True)
    if not logs.exists():
        scenario, _ = load_scenario(national)
        started, cpu = time.perf_counter(), _cpu()
        made = generate_records(scenario, logs, years=3, seed=args.seed)
        print(f"generated {made.visits} visits in {time.perf_counter() - started:.0f} s ({_cpu() - cpu:.0f} CPU s, "
              f"load average {os.getloadavg()[0]:.1f}; not part of the target)")
    print(f"read + fit of {logs} (child process, 2 DuckDB threads, 1 GB DuckDB memory limit):")
    subprocess.run([sys.executable, __file__, "_child", str(national), str(logs), str(work / "national-fitted")],
                   check=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _read_and_fit(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("figure", choices=["recovery", "accuracy", "replay", "scale"])
    parser.add_argument("--scale", type=float, default=1.0, help="recovery: volumes x this")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=1, help="recovery: how many seeds from --seed on")
    parser.add_argument("--work", default="/tmp/records-bench", help="where generated logs are kept")
    args = parser.parse_args()
    {"recovery": recovery, "accuracy": accuracy, "replay": replay, "scale": scale}[args.figure](args)


if __name__ == "__main__":
    main()
