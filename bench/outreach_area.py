"""One area of the national outreach over a horizon, in one process: a change measured in minutes, not in the hour
of the national year (issue #15).

    .venv/bin/python bench/outreach_area.py [--area outreach:maistraatti:joensuu-maistraatti] [--months 12]
                                            [--work-limit W] [--list]

`planner generate national` with its defaults (as bench/national.py: one CP-SAT worker), the demand stage of the
whole scenario (daily arrivals only, as `planner outreach`), then the outreach stage's own split into areas and its
own function for one area (planner.outreach.areas.plan_area: prepare, blocks, solves, LNS, sequencing, tables) on
the area named, the demand dropped first. Prints one JSON line: the area, months, horizon blocks (planner/outreach/
blocks.spans of the area's problem), work limit (deterministic s), CPU s and wall s of the area's plan alone, peak
memory of the process during it (RSS and PSS, MB, sampled every 0.5 s), objective (€), bound (€), gap (fraction),
status, trips, multi-stop days, and CPU s by step (builds including their greedy starts, greedy starts alone, first
solves including their proof LPs, LNS, all LPs: the steps overlap), with the load average before and after.
--list prints the areas' keys with their officials and points.

Example (the brief's area; about 2 minutes on an idle core):

    nice -n 5 .venv/bin/python bench/outreach_area.py --area outreach:maistraatti:joensuu-maistraatti --months 12
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.national import PeakMemory, national_scenario  # noqa: E402
from models import outreach as model  # noqa: E402
from planner.base.budget import with_work_limit  # noqa: E402
from planner.base.stage import run_stage  # noqa: E402
from planner.demand.stage import DemandStage  # noqa: E402
from planner.outreach import blocks  # noqa: E402
from planner.outreach.areas import plan_area  # noqa: E402
from planner.outreach.plan import prepare, weights  # noqa: E402
from planner.outreach.stage import OutreachStage  # noqa: E402

DEFAULT_AREA = "outreach:maistraatti:joensuu-maistraatti"
STEPS = {"builds": "build", "greedy": "_greedy_plan", "first_solves": "solve", "lns": "improve", "lps": "lp_bound"}


def timed_steps() -> dict[str, float]:
    """CPU seconds spent in each of STEPS' functions of models/outreach.py (wrapped in place for this process)."""
    spent: dict[str, float] = defaultdict(float)
    for step, name in STEPS.items():
        real = getattr(model, name, None)
        if real is None:  # an older models/outreach.py (a comparison run): the step is not timed
            continue

        def wrapper(*args, _real=real, _step=step, **kwargs):
            started = time.process_time()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_step] += time.process_time() - started

        setattr(model, name, wrapper)
    return spent


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--area", default=DEFAULT_AREA, help="the area's key, as the outreach stage names it")
    parser.add_argument("--months", type=int, default=12, help="months planned from the horizon start")
    parser.add_argument("--work-limit", type=float, default=None, help="[solver] work_limit (deterministic s)")
    parser.add_argument("--list", action="store_true", help="print the areas' keys and sizes, plan nothing")
    args = parser.parse_args()
    before = load()
    with tempfile.TemporaryDirectory() as folder:
        scenario = with_work_limit(national_scenario(Path(folder), purpose="outreach"), args.work_limit)
    demand, _ = run_stage(DemandStage(intervals=False), scenario, {})
    pieces = OutreachStage(args.months).prepare(scenario, {"demand": demand})
    del demand
    if args.list:
        for key, area in pieces.items():
            print(f"{key}: {len(area.scenario.officials)} officials, {len(area.scenario.points)} points")
        return
    if args.area not in pieces:
        sys.exit(f"no area {args.area!r} (--list shows them)")
    area = pieces[args.area]
    del pieces
    gc.collect()
    prepared = prepare(area.scenario, area.months, check=False, providers=area.providers, daily=area.daily)
    n_blocks = len(blocks.spans(prepared.problem, w=weights(area.scenario)))
    variables = blocks.model_variables(prepared.problem, weights(area.scenario))
    del prepared
    spent = timed_steps()
    wall, cpu = time.perf_counter(), time.process_time()
    with PeakMemory(every=0.5) as memory:
        plan = plan_area(area)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    s = plan.solution
    multi = int((plan.visits.groupby(["official_id", "date"])["point_id"].nunique() > 1).sum()) if len(plan.visits) else 0
    print(json.dumps({
        "area": args.area, "months": args.months, "days": plan.days, "officials": plan.officials,
        "model_variables": variables, "blocks": n_blocks, "work_limit": scenario.config.solver.work_limit,
        "cpu_s": round(cpu, 1), "wall_s": round(wall, 1),
        "peak_rss_mb": round(memory.peak_rss_mb), "peak_pss_mb": round(memory.peak_pss_mb),
        "objective_eur": round(s.objective or 0.0, 2), "bound_eur": round(s.best_bound or 0.0, 2),
        "gap": round(s.gap or 0.0, 4), "status": s.status, "trips": len(s.trips), "multi_stop_days": multi,
        "cpu_s_by_step": {step: round(seconds, 1) for step, seconds in spent.items()},
        "load_before": before, "load_after": load()}), flush=True)


if __name__ == "__main__":
    main()
