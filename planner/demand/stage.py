"""Demand as a pipeline stage: one piece, the whole scenario's forecast (cheap and vectorised)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from planner.base.calendar import clock_labels
from planner.base.stage import Progress
from planner.demand.forecast import DemandForecast, forecast
from planner.scenario.schemas import Scenario


def demand_tables(forecast: DemandForecast) -> dict[str, pd.DataFrame]:
    """The three demand CSVs, rounded for people and with clock times as HH:MM (HH:MM+hh:mm in the repeated hour)."""
    monthly = forecast.monthly[[
        "point_id", "provider_id", "month", "baseline", "closures", "overflow", "unplaced",
        "volume", "open_days", "handling_minutes", "workload_hours",
    ]].round(4)
    daily = forecast.daily.assign(date=forecast.daily["date"].dt.strftime("%Y-%m-%d")).round(6)
    intervals = forecast.intervals.assign(
        date=forecast.intervals["date"].dt.strftime("%Y-%m-%d"),
        # Wall clock, with the UTC offset in the repeated autumn hour (planner/base/calendar).
        interval_start=clock_labels(forecast.intervals["date"], forecast.intervals["interval_start"]),
    ).round(6)
    return {"demand_monthly.csv": monthly, "demand_daily.csv": daily, "demand_intervals.csv": intervals}


class DemandStage:
    """scenario → DemandForecast (monthly, daily, interval arrivals); tables demand_*.csv."""

    name = "demand"

    def __init__(self, intervals: bool = True):
        self.intervals = intervals  # False: no interval rows (planner.demand.forecast.forecast)

    def prepare(self, scenario: Scenario, upstream: Mapping[str, Any]) -> dict[str, Scenario]:
        return {"demand:all": scenario}

    def solve(self, piece: Scenario, progress: Progress | None = None) -> DemandForecast:
        return forecast(piece, self.intervals)

    def merge(self, scenario: Scenario, upstream: Mapping[str, Any], done: dict[str, DemandForecast],
              failed: dict[str, str]) -> DemandForecast:
        if failed:  # one piece: its failure is the run's internal error, not a partial result
            raise RuntimeError(f"the demand forecast failed: {failed['demand:all']}")
        return done["demand:all"]

    def tables(self, scenario: Scenario, result: DemandForecast) -> dict[str, Any]:
        return demand_tables(result)
