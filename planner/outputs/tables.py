"""Output tables: the column order and formats that are the CSV contract."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner.base import io
from planner.base.calendar import clock
from planner.demand.forecast import DemandForecast
from planner.scenario.fingerprint import point_input_hash, scenario_hash
from planner.scenario.schemas import Scenario
from planner.staffing.sizing import SizingResult


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


def _clock_or_blank(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else clock(int(value))


def staffing_tables(sizing: SizingResult) -> dict[str, pd.DataFrame]:
    """staffing_intervals.csv, shifts.csv and staffing_summary.csv."""
    intervals = sizing.intervals.drop(columns=["workload_minutes"]).assign(
        date=sizing.intervals["date"].dt.strftime("%Y-%m-%d"),
        interval_start=sizing.intervals["interval_start"].map(clock),
    )
    intervals["avg_wait_minutes"] = intervals["avg_wait_minutes"].replace(float("inf"), float("nan"))
    shifts = sizing.shifts
    shifts = pd.DataFrame({
        "point_id": shifts["point_id"],
        "date": shifts["date"].dt.strftime("%Y-%m-%d"),
        "start": shifts["start_min"].map(clock),
        "end": shifts["end_min"].map(clock),
        "break_start": shifts["break_start_min"].map(_clock_or_blank),
        "break_end": shifts["break_end_min"].map(_clock_or_blank),
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
        "status": "OPTIMAL" if statuses == {"OPTIMAL"} else "FEASIBLE (time limit)" if any(
            s.startswith("FEASIBLE") for s in statuses) else ", ".join(sorted(statuses)),
        "objective": objective,
        "best_bound": bound,
        "gap": (objective - bound) / max(1.0, abs(objective)),
        "seconds": round(seconds, 3),
        "solver": scenario.config.solver.model_dump(),
        "points": points,
    }
