"""Benchmark: Erlang C requirement for a national grid, against pyworkforce's ErlangC loop.

Run: ``.venv/bin/python bench/queueing.py [--sample 20000] [--seed 7] [--volume-scale 1]``
(needs ``pip install pyworkforce==0.5.1``, the ``bench`` extra).

Grid: 300 points x 365 days x 32 quarter-hours (8:00-16:00), every day open so that
no interval is trivially empty. Arrivals are a seeded forecast (point volume x month x
weekday x hour shares from docs/domain.md) times gamma noise, so nearly every value is
distinct. Targets: 80 % served within 15 min, occupancy at most 85 %, 30 % shrinkage.

Parameter mapping to pyworkforce ``ErlangC(transactions, aht, asa, interval,
shrinkage).required_positions(service_level, max_occupancy)``:

- ``asa`` is used by pyworkforce as the *answer-within* time of the service level, so it
  maps to ``answer_within_min``; ``transactions`` to ``arrivals``.
- pyworkforce searches upward from ``round(A + 1)`` only (Python's half-to-even round),
  so it never returns less than that even where fewer agents meet the target; we pass
  that number as ``min_agents`` to reproduce it, and report separately how often our
  unconstrained minimum is lower.
- its ``max_occupancy`` raises the count to ``ceil(A / max_occupancy)``: the same as
  ours. Its ``raw_positions`` is the count before shrinkage; ``positions`` is
  ``ceil(raw / (1 - shrinkage))``, which we compare with ``gross_up_for_shrinkage``
  (that one does not round 21 / 0.7 = 30.000000000000004 up to 31).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from planner.staffing.queueing import gross_up_for_shrinkage, offered_load, required_agents

POINTS, DAYS, SLOTS = 300, 365, 32
INTERVAL_MIN = 15.0
TARGET_SL, WITHIN_MIN, MAX_OCC, SHRINKAGE = 0.8, 15.0, 0.85, 0.3
HOUR_SHARES = np.array([8, 14, 16, 14, 14, 13, 12, 9]) / 100.0  # hours starting 8..15
WEEKDAY = np.array([1.15, 1.0, 1.0, 1.0, 0.85, 0.85, 0.85])  # Sat/Sun as Friday
MONTH = np.array([1.2, 1.05, 0.95, 1.05, 1.1, 0.95, 0.8, 1.1, 1.0, 0.95, 0.9, 0.95])


def national_grid(
    rng: np.random.Generator, volume_scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Arrivals (points x days x slots) and per-point pooled AHT (min)."""
    median_daily = 60.0 * volume_scale  # customers a day at the median point
    daily_volume = rng.lognormal(mean=np.log(median_daily), sigma=0.8, size=POINTS)
    aht = rng.uniform(4.0, 8.0, size=POINTS)
    day = np.arange(DAYS)
    month = np.minimum(day // 31, 11)
    day_factor = MONTH[month] * WEEKDAY[day % 7]
    slot_share = np.repeat(HOUR_SHARES / 4.0, 4)
    forecast = daily_volume[:, None, None] * day_factor[None, :, None] * slot_share[None, None, :]
    noise = rng.gamma(shape=20.0, scale=1 / 20.0, size=forecast.shape)
    return forecast * noise, aht


def pyworkforce_loop(arrivals: np.ndarray, aht: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from pyworkforce.queuing import ErlangC  # imported by main() first: not timed here

    raw, gross = [], []
    for transactions, handling in zip(arrivals, aht, strict=True):
        result = ErlangC(
            transactions=float(transactions),
            aht=float(handling),
            asa=WITHIN_MIN,
            interval=INTERVAL_MIN,
            shrinkage=SHRINKAGE,
        ).required_positions(service_level=TARGET_SL, max_occupancy=MAX_OCC)
        raw.append(result["raw_positions"])
        gross.append(result["positions"])
    return np.array(raw), np.array(gross)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 20 000 calls take ~0.2 s: enough for a steady per-call time on a busy machine.
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--volume-scale", type=float, default=1.0,
        help="multiply every point's volume (1 = median point 60 customers a day)",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    arrivals, point_aht = national_grid(rng, args.volume_scale)
    aht = np.broadcast_to(point_aht[:, None, None], arrivals.shape).ravel()
    flat = arrivals.ravel()
    load = offered_load(flat, aht, INTERVAL_MIN)
    pyworkforce_floor = np.round(load + 1.0)  # see the module docstring

    def ours() -> np.ndarray:
        return required_agents(
            flat, aht, INTERVAL_MIN, TARGET_SL, WITHIN_MIN, max_occupancy=MAX_OCC,
            min_agents=pyworkforce_floor,
        )

    timings = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        need = ours()
        timings.append(time.perf_counter() - started)
    grid_s = float(np.median(timings))
    true_minimum = required_agents(
        flat, aht, INTERVAL_MIN, TARGET_SL, WITHIN_MIN, max_occupancy=MAX_OCC
    )

    sample = rng.choice(flat.size, size=args.sample, replace=False)
    import pyworkforce.queuing  # noqa: F401  (import time is not the loop's cost)

    started = time.perf_counter()
    pw_raw, pw_gross = pyworkforce_loop(flat[sample], aht[sample])
    loop_s = time.perf_counter() - started
    loop_full_s = loop_s / args.sample * flat.size
    our_gross = gross_up_for_shrinkage(need[sample], SHRINKAGE)
    same_raw = int(np.sum(pw_raw == need[sample]))
    same_gross = int(np.sum(pw_gross == our_gross))
    float_artefacts = int(
        np.sum((pw_gross != our_gross) & (pw_gross == np.ceil(need[sample] / (1 - SHRINKAGE))))
    )
    lower = int(np.sum(true_minimum < need))

    print(f"grid: {POINTS} points x {DAYS} days x {SLOTS} quarter-hours = {flat.size:,} "
          f"intervals, volume scale {args.volume_scale:g}")
    print(f"arrivals per interval: mean {flat.mean():.2f}, max {flat.max():.1f}; "
          f"load mean {load.mean():.2f} erlangs, max {load.max():.1f}")
    print(f"planner.staffing.queueing.required_agents, whole grid: {grid_s:.3f} s "
          f"(median of {args.repeats}); agents mean {need.mean():.2f}, max {need.max()}")
    print(f"pyworkforce ErlangC loop, {args.sample} sampled intervals: {loop_s:.3f} s "
          f"= {loop_s / args.sample * 1e6:.1f} us per interval")
    print(f"pyworkforce loop extrapolated to the whole grid (not run): {loop_full_s:.1f} s")
    print(f"speed-up: {loop_full_s / grid_s:.0f}x (target >= 100x)")
    print(f"raw agents identical on {same_raw}/{args.sample} sampled intervals")
    print(f"after {SHRINKAGE:.0%} shrinkage identical on {same_gross}/{args.sample}; "
          f"{float_artefacts} differ only because pyworkforce rounds up float noise "
          f"(e.g. 21 / 0.7 = 30.000000000000004 -> 31)")
    print(f"without pyworkforce's round(A + 1) start, fewer agents suffice on "
          f"{lower:,} of {flat.size:,} intervals ({lower / flat.size:.1%})")
    print(json.dumps({
        "intervals": int(flat.size),
        "volume_scale": args.volume_scale,
        "grid_seconds": round(grid_s, 4),
        "sample": args.sample,
        "pyworkforce_sample_seconds": round(loop_s, 4),
        "pyworkforce_extrapolated_seconds": round(loop_full_s, 2),
        "speedup": round(loop_full_s / grid_s, 1),
        "identical_raw": same_raw,
        "identical_after_shrinkage": same_gross,
        "shrinkage_float_artefacts": float_artefacts,
        "intervals_where_true_minimum_is_lower": lower,
    }))


if __name__ == "__main__":
    main()
