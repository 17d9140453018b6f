"""Benchmark: models.staffing against pyworkforce's MinRequiredResources.

Run: ``.venv/bin/python bench/staffing_vs_pyworkforce.py [--seed 3] [--time-limit 30]``
(needs ``pip install pyworkforce==0.5.1``, the ``bench`` extra).

Same input for both: 7 days x 24 hourly requirements (seeded, a day-time peak), and the
same shift set: every whole-hour start with a length of 4, 6 or 8 hours that ends by
midnight (pyworkforce has no breaks, so none here). pyworkforce minimises the sum of
``cost_dict`` over the shifts chosen; with each shift's cost set to its length in hours
that is paid hours, which our model minimises with cover made effectively hard (a
shortfall weight far above any shift's cost) and no minimum manning or back office.

pyworkforce 0.5.1 sets ``solver.num_search_workers`` as a plain attribute, which
OR-Tools ignores, so it always runs CP-SAT with its default worker count (every core);
ours uses ``--workers`` (1 by default). Its time limit is ``--time-limit`` for the whole
week; ours is the same total split over the seven day models.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from models import staffing

DAYS, HOURS = 7, 24
LENGTHS_H = (4, 6, 8)
NO_LIMIT = 500  # advisors per period / per shift: never binding here


def hourly_requirements(rng: np.random.Generator) -> np.ndarray:
    hour = np.arange(HOURS)
    shape = 1.0 + 7.0 * np.exp(-(((hour - 13.0) / 4.0) ** 2))  # quiet nights, busy 9-17
    day_factor = rng.uniform(0.7, 1.3, size=(DAYS, 1))
    return np.rint(shape[None, :] * day_factor * rng.uniform(0.8, 1.2, (DAYS, HOURS))).astype(int)


def shifts() -> dict[str, tuple[int, int]]:
    """name -> (start hour, length hours)."""
    return {
        f"{start:02d}+{length}h": (start, length)
        for length in LENGTHS_H
        for start in range(0, HOURS - length + 1)
    }


def run_pyworkforce(
    required: np.ndarray, time_limit: float, workers: int
) -> tuple[int, float, str]:
    from pyworkforce.scheduling import MinRequiredResources

    shift_set = shifts()
    coverage = {
        name: [int(start <= h < start + length) for h in range(HOURS)]
        for name, (start, length) in shift_set.items()
    }
    started = time.perf_counter()
    scheduler = MinRequiredResources(
        num_days=DAYS,
        periods=HOURS,
        shifts_coverage=coverage,
        required_resources=required.tolist(),
        max_period_concurrency=NO_LIMIT,
        max_shift_concurrency=NO_LIMIT,
        cost_dict={name: length for name, (_, length) in shift_set.items()},
        max_search_time=float(time_limit),
        num_search_workers=workers,
    )
    solution = scheduler.solve()
    seconds = time.perf_counter() - started
    hours = sum(
        row["resources"] * shift_set[row["shift"]][1] for row in solution["resources_shifts"]
    )
    return hours, seconds, solution["status"]


def run_ours(required: np.ndarray, time_limit: float, workers: int) -> tuple[int, float, list]:
    templates = tuple(
        staffing.ShiftTemplate(start * 60, length * 60) for start, length in shifts().values()
    )
    weights = staffing.Weights(shortfall=100_000, excess=0, unmanned=0, paid_minute=1,
                               extra_back_office_minute=0)
    params = staffing.SolveParams(work_limit=time_limit / DAYS, time_limit=time_limit, seed=0, workers=workers)
    cache: dict[str, staffing.Solution] = {}
    started = time.perf_counter()
    solutions = [
        staffing.solve_day_cached(
            staffing.StaffingDay(
                interval_min=60,
                open_starts_min=tuple(h * 60 for h in range(HOURS)),
                required=tuple(int(r) for r in day),
                min_on_duty=(0,) * HOURS,
                templates=templates,
                back_office_min=0,
                max_advisors=NO_LIMIT,
            ),
            weights,
            params,
            cache,
        )
        for day in required
    ]
    seconds = time.perf_counter() - started
    assert all(sum(sol.shortfall) == 0 for sol in solutions), "cover must be met"
    minutes = sum(sol.paid_min for sol in solutions)
    return minutes // 60, seconds, [sol.status for sol in solutions]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds, whole week")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    required = hourly_requirements(np.random.default_rng(args.seed))
    import pyworkforce.scheduling  # noqa: F401  (import time is not solve time)

    pw_hours, pw_s, pw_status = run_pyworkforce(required, args.time_limit, args.workers)
    our_hours, our_s, our_status = run_ours(required, args.time_limit, args.workers)
    print(f"requirement: {DAYS} days x {HOURS} h, {int(required.sum())} advisor-hours, "
          f"peak {int(required.max())}; {len(shifts())} shifts (4/6/8 h, no breaks)")
    print(f"pyworkforce MinRequiredResources: {pw_hours} paid hours, {pw_s:.2f} s, {pw_status}")
    print(f"models.staffing (7 day models):   {our_hours} paid hours, {our_s:.2f} s, "
          f"{sorted(set(our_status))}")
    verdict = "same or fewer" if our_hours <= pw_hours else "MORE"
    print(f"paid hours: ours {our_hours} vs pyworkforce {pw_hours}: {verdict} "
          "(target: same or fewer)")
    print(json.dumps({
        "required_advisor_hours": int(required.sum()),
        "pyworkforce_paid_hours": int(pw_hours),
        "pyworkforce_seconds": round(pw_s, 3),
        "pyworkforce_status": pw_status,
        "ours_paid_hours": int(our_hours),
        "ours_seconds": round(our_s, 3),
        "ours_status": sorted(set(our_status)),
    }))


if __name__ == "__main__":
    main()
