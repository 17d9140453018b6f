"""The horizon as days a point is open: opening hours minus Finnish public holidays."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from planner.scenario.schemas import WEEKDAYS, Scenario


@lru_cache(maxsize=64)
def finnish_holidays(first_year: int, last_year: int) -> dict[dt.date, str]:
    """Public holidays (incl. Midsummer Eve and Christmas Eve, when offices close)."""
    return dict(holidays.country_holidays("FI", years=range(first_year, last_year + 1)).items())


def horizon_days(start: dt.date, end: dt.date) -> pd.DatetimeIndex:
    return pd.date_range(start, end, freq="D")


def minutes(clock: dt.time) -> int:
    """Minutes after midnight; 23:59:59 (written 24:00) counts as 1440."""
    if clock >= dt.time(23, 59, 59):
        return 24 * 60
    return clock.hour * 60 + clock.minute


def open_days(scenario: Scenario) -> pd.DataFrame:
    """One row per (point, day) the point is open: point_id, date, weekday, month, opens, closes.

    `opens`/`closes` are minutes after midnight; `month` is the horizon month 'YYYY-MM'.
    """
    start, end = scenario.config.horizon.start, scenario.horizon_end
    closed = finnish_holidays(start.year, end.year)
    days = pd.DataFrame({"date": horizon_days(start, end)})
    days["weekday"] = [WEEKDAYS[d] for d in days["date"].dt.day_of_week]
    days = days[~days["date"].dt.date.isin(closed)]
    hours = pd.DataFrame(
        [(h.point_id, h.weekday, minutes(h.opens), minutes(h.closes)) for h in scenario.opening_hours],
        columns=["point_id", "weekday", "opens", "closes"],
    )
    table = days.merge(hours, on="weekday").sort_values(["point_id", "date"], kind="stable")
    table["month"] = table["date"].dt.strftime("%Y-%m")
    return table[["point_id", "date", "weekday", "month", "opens", "closes"]].reset_index(drop=True)


def horizon_months(scenario: Scenario) -> list[str]:
    start = pd.Period(scenario.config.horizon.start, freq="M")
    return [str(start + k) for k in range(scenario.config.horizon.months)]


def interval_grid(opens: int, closes: int, interval: int) -> tuple[np.ndarray, np.ndarray]:
    """Interval starts (minutes) covering [opens, closes) and the open minutes within each.

    The grid is aligned to the clock (a point opening 8:10 with 15-minute intervals gets
    8:00, 8:15, …), so every point shares one grid and intervals can be compared.
    """
    first = (opens // interval) * interval
    starts = np.arange(first, closes, interval)
    open_minutes = np.minimum(starts + interval, closes) - np.maximum(starts, opens)
    return starts, open_minutes


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
