"""Demand as a pipeline stage: one piece, the whole scenario's forecast (cheap and vectorised)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.demand.forecast import DemandForecast, forecast
from planner.outputs.tables import demand_tables
from planner.run.stage import Progress
from planner.scenario.schemas import Scenario


class DemandStage:
    """scenario → DemandForecast (monthly, daily, interval arrivals); tables demand_*.csv."""

    name = "demand"

    def prepare(self, scenario: Scenario, upstream: Mapping[str, Any]) -> dict[str, Scenario]:
        return {"demand:all": scenario}

    def solve(self, piece: Scenario, progress: Progress | None = None) -> DemandForecast:
        return forecast(piece)

    def merge(self, scenario: Scenario, upstream: Mapping[str, Any], done: dict[str, DemandForecast],
              failed: dict[str, str]) -> DemandForecast:
        if failed:  # one piece: its failure is the run's internal error, not a partial result
            raise RuntimeError(f"the demand forecast failed: {failed['demand:all']}")
        return done["demand:all"]

    def tables(self, scenario: Scenario, result: DemandForecast) -> dict[str, Any]:
        return demand_tables(result)
