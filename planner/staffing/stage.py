"""Staffing as a pipeline stage: a piece per group of points that share advisors.

Each piece carries its points' part of the scenario and of the demand forecast the demand
stage computed (nothing is recomputed); `solve` is planner.staffing.sizing.size on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.base.calendar import clock_labels
from planner.base.decompose import point_groups, restrict_to_points
from planner.base.executor import Executor, TaskStore
from planner.base.stage import Progress, run_stage
from planner.demand.forecast import DemandForecast
from planner.scenario.fingerprint import point_input_hash, scenario_hash
from planner.scenario.schemas import Scenario
from planner.staffing.sizing import SizingResult, merge_results, size


def _clock_or_blank(dates: pd.Series, minutes: pd.Series) -> pd.Series:
    """Wall-clock labels of elapsed minutes (planner/base/calendar); "" where there is none (no break)."""
    present = minutes.notna()
    out = pd.Series("", index=minutes.index, dtype=object)
    if present.any():
        out[present] = clock_labels(dates[present], minutes[present])
    return out


def staffing_tables(sizing: SizingResult) -> dict[str, pd.DataFrame]:
    """staffing_intervals.csv, shifts.csv and staffing_summary.csv; times are wall clock (HH:MM+hh:mm in the repeated hour)."""
    intervals = sizing.intervals.drop(columns=["workload_minutes"]).assign(
        date=sizing.intervals["date"].dt.strftime("%Y-%m-%d"),
        interval_start=clock_labels(sizing.intervals["date"], sizing.intervals["interval_start"]),
    )
    intervals["avg_wait_minutes"] = intervals["avg_wait_minutes"].replace(float("inf"), float("nan"))
    shifts = sizing.shifts
    shifts = pd.DataFrame({
        "point_id": shifts["point_id"],
        "date": shifts["date"].dt.strftime("%Y-%m-%d"),
        "start": clock_labels(shifts["date"], shifts["start_min"]),
        "end": clock_labels(shifts["date"], shifts["end_min"]),
        "break_start": _clock_or_blank(shifts["date"], shifts["break_start_min"]),
        "break_end": _clock_or_blank(shifts["date"], shifts["break_end_min"]),
        "count": shifts["count"],
        "paid_hours": shifts["paid_hours"],
    })
    return {
        "staffing_intervals.csv": intervals.round(4),
        "shifts.csv": shifts.round(4),
        "staffing_summary.csv": sizing.summary.round(3),
    }


def staffing_summary_json(scenario: Scenario, sizing: SizingResult, seconds: float) -> dict:
    points = {}
    for point in scenario.points:
        solver = sizing.solver.get(point.point_id, {"status": "no open days"})
        points[point.point_id] = {**solver, "input_hash": point_input_hash(scenario, point.point_id)}
    statuses = {p["status"] for p in points.values()}
    objective = sum(p.get("objective", 0) for p in points.values())
    bound = sum(p.get("best_bound", 0) for p in points.values())
    return {
        "scenario": scenario.config.name,
        "input_hash": scenario_hash(scenario),
        # "time limit" only when the wall-clock cap stopped a point's day (the manifest's wall_clock_capped
        # reads it: not repeatable); a work budget that stopped one is repeatable and said as such.
        "status": "OPTIMAL" if statuses == {"OPTIMAL"} else "FEASIBLE (time limit)" if any(
            "time limit" in s for s in statuses) else "FEASIBLE (work limit)" if any(
            s.startswith("FEASIBLE") for s in statuses) else ", ".join(sorted(statuses)),
        "objective": objective,
        "best_bound": bound,
        "gap": (objective - bound) / max(1.0, abs(objective)),
        "seconds": round(seconds, 3),
        "solver": scenario.config.solver.model_dump(),
        "points": points,
    }


@dataclass(frozen=True)
class StaffingPiece:
    scenario: Scenario  # restricted to the group's points
    demand: DemandForecast  # the same points' forecast


class StaffingStage:
    """(scenario, demand) → SizingResult; tables staffing_intervals.csv, shifts.csv, staffing_summary.csv, summary.json."""

    name = "staffing"

    def prepare(self, scenario: Scenario, upstream: Mapping[str, Any]) -> dict[str, StaffingPiece]:
        demand: DemandForecast = upstream["demand"]
        return {",".join(sorted(group)): StaffingPiece(restrict_to_points(scenario, group), demand.for_points(group))
                for group in point_groups(scenario)}

    def solve(self, piece: StaffingPiece, progress: Progress | None = None) -> SizingResult:
        return size(piece.scenario, piece.demand, progress)

    def merge(self, scenario: Scenario, upstream: Mapping[str, Any], done: dict[str, SizingResult],
              failed: dict[str, str]) -> SizingResult:
        return merge_results(list(done.values()))

    def tables(self, scenario: Scenario, result: SizingResult) -> dict[str, Any]:
        seconds = sum(point.get("seconds", 0.0) for point in result.solver.values())
        return {**staffing_tables(result), "summary.json": staffing_summary_json(scenario, result, seconds)}


def size_scenario(scenario: Scenario, demand: DemandForecast, executor: Executor | None = None,
                  store: TaskStore | None = None, progress: Progress | None = None
                  ) -> tuple[SizingResult, dict[str, str]]:
    """The staffing stage on its own (compare, the benches): the sizing and the failed groups with their reason."""
    return run_stage(StaffingStage(), scenario, {"demand": demand}, executor, store, progress)
