"""Output tables: the column order and formats that are the CSV contract."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner import io
from planner.calendar import clock
from planner.demand import DemandForecast


def demand_tables(forecast: DemandForecast) -> dict[str, pd.DataFrame]:
    """The three demand CSVs, rounded for people and with clock times as HH:MM."""
    monthly = forecast.monthly[[
        "point_id", "provider_id", "month", "baseline", "closures", "overflow", "unplaced",
        "volume", "open_days", "handling_minutes", "workload_hours",
    ]].round(4)
    daily = forecast.daily.assign(date=forecast.daily["date"].dt.strftime("%Y-%m-%d")).round(6)
    intervals = forecast.intervals.assign(
        date=forecast.intervals["date"].dt.strftime("%Y-%m-%d"),
        interval_start=forecast.intervals["interval_start"].map(clock),
    ).round(6)
    return {"demand_monthly.csv": monthly, "demand_daily.csv": daily, "demand_intervals.csv": intervals}


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    return [io.write_csv(frame, folder / name) for name, frame in tables.items()]
