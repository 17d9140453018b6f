"""Staffing as a pipeline stage: a piece per group of points that share advisors.

Each piece carries its points' part of the scenario and of the demand forecast the demand
stage computed (nothing is recomputed); `solve` is planner.staffing.sizing.size on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.demand.forecast import DemandForecast
from planner.outputs.tables import staffing_summary_json, staffing_tables
from planner.run.decompose import point_groups, restrict_to_points
from planner.run.executor import Executor, TaskStore
from planner.run.stage import Progress, run_stage
from planner.scenario.schemas import Scenario
from planner.staffing.sizing import SizingResult, merge_results, size


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
