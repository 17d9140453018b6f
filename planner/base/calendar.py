"""The horizon as days a point is open: opening hours minus Finnish public holidays; real time in a day.

Real time (Working Hours Act: rest and working time are time, not clock readings). A day is
measured in *elapsed minutes after local midnight* in Europe/Helsinki, the one time axis of
intervals, shifts, paid minutes and rest everywhere in the planner:

- an ordinary day has 1440 minutes and elapsed minute m reads m on the wall clock;
- the spring night (last Sunday of March, 03:00 EET → 04:00 EEST) has 1380: wall 04:00 is
  elapsed 180, and wall times 03:00–03:59 do not exist that day;
- the autumn night (last Sunday of October, 04:00 EEST → 03:00 EET) has 1500: wall
  03:00–03:59 happens twice, elapsed 180–239 (summer time, UTC+03:00) and 240–299
  (standard time, UTC+02:00); wall 04:00 is elapsed 300.

Tables people read show the wall clock ("HH:MM"). Where a wall time is ambiguous (the
repeated autumn hour) it carries its UTC offset as in ISO 8601, "03:15+03:00" (the first
pass) or "03:15+02:00" (the second); `parse_clock` reads both forms back, a bare "03:15" on
that day meaning the first pass (Python's fold=0). Local midnight is never inside a clock
change in Finland, so "elapsed after midnight" is well defined for every day and the rest
between two days is `day_minutes(d) − end + next start`.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from planner.scenario.schemas import WEEKDAYS, Scenario


@lru_cache(maxsize=64)
def finnish_holidays(first_year: int, last_year: int) -> dict[dt.date, str]:
    """Public holidays (incl. Midsummer Eve and Christmas Eve, when offices close)."""
    return dict(holidays.country_holidays("FI", years=range(first_year, last_year + 1)).items())


TIMEZONE = "Europe/Helsinki"
_ZONE = zoneinfo.ZoneInfo(TIMEZONE)
_MINUTE = dt.timedelta(minutes=1)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?:([+-])(\d{2}):(\d{2}))?")


@lru_cache(maxsize=4096)
def _midnight_utc(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(0), tzinfo=_ZONE).astimezone(dt.UTC)


@lru_cache(maxsize=4096)
def day_minutes(date: dt.date) -> int:
    """Real minutes from local midnight of `date` to the next: 1440, 1380 (spring night) or 1500 (autumn)."""
    return (_midnight_utc(date + dt.timedelta(days=1)) - _midnight_utc(date)) // _MINUTE


def elapsed(date: dt.date, wall_minute: int, fold: int = 0) -> int:
    """Elapsed minutes after local midnight at wall-clock minute `wall_minute` (0–1440, 1440 = the next midnight).

    In the repeated autumn hour `fold` 0 is the first pass (summer time) and 1 the second. A
    wall time the spring night skips is read as the moment the clocks skip it (03:30 → the
    instant 03:00 becomes 04:00): a point "opening at 03:30" that day opens at 04:00.
    `parse_clock` refuses such a time instead, as a roster cell.
    """
    if wall_minute >= 24 * 60:
        return day_minutes(date)
    at = dt.datetime.combine(date, dt.time(wall_minute // 60, wall_minute % 60), tzinfo=_ZONE)
    first, second = ((t.astimezone(dt.UTC) - _midnight_utc(date)) // _MINUTE for t in (at, at.replace(fold=1)))
    if first <= second:  # an ordinary or repeated time: fold picks the pass
        return second if fold else first
    # Skipped: zoneinfo reads it with the offset before (first) or after (second) the change; the jump lies between.
    return next(m for m in range(second, first + 1) if _wall(date, m)[0] >= wall_minute)


@lru_cache(maxsize=4096)
def _wall(date: dt.date, minute: int) -> tuple[int, int, bool]:
    """(wall minute, UTC offset in minutes, ambiguous) at elapsed `minute` of `date`."""
    if minute >= day_minutes(date):
        return 24 * 60, 0, False
    local = (_midnight_utc(date) + minute * _MINUTE).astimezone(_ZONE)
    offset = local.utcoffset() // _MINUTE
    ambiguous = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    return local.hour * 60 + local.minute, offset, ambiguous


def instant(date: dt.date, minute: int) -> dt.datetime:
    """The UTC instant at elapsed `minute` after local midnight of `date` (calendars, ICS)."""
    return _midnight_utc(date) + minute * _MINUTE


def wall_minute(date: dt.date, minute: int) -> int:
    """The wall-clock minute (0–1440) at elapsed `minute` of `date`: what a clock on the wall shows."""
    return minute if day_minutes(date) == 24 * 60 else _wall(date, minute)[0]


def clock_label(date: dt.date, minute: int) -> str:
    """Elapsed `minute` of `date` as the wall clock reads it: "HH:MM", "+hh:mm" added in the repeated autumn hour."""
    if day_minutes(date) == 24 * 60:
        return clock(minute)
    wall, offset, ambiguous = _wall(date, minute)
    return clock(wall) + (f"{'+' if offset >= 0 else '-'}{clock(abs(offset))}" if ambiguous else "")


def _clock_change_rows(dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Which rows fall on a clock-change day, and those rows' dates (datetime.date); cheap on a year of intervals."""
    stamps = pd.to_datetime(dates)
    changed_days = [d for d in stamps.unique() if day_minutes(pd.Timestamp(d).date()) != 24 * 60]
    changed = stamps.isin(changed_days)
    return stamps[changed].dt.date, changed


def wall_minutes(dates: pd.Series, minutes_: pd.Series) -> pd.Series:
    """`wall_minute` of each row (dates as datetime64, elapsed minutes as integers); ordinary days take the fast path."""
    out = minutes_.astype(int).copy()
    days, changed = _clock_change_rows(dates)
    if changed.any():
        out[changed] = [wall_minute(d, int(m)) for d, m in zip(days, minutes_[changed], strict=True)]
    return out


def clock_labels(dates: pd.Series, minutes_: pd.Series) -> pd.Series:
    """`clock_label` of each row (dates as datetime64, minutes as integers); ordinary days take the fast path."""
    out = minutes_.astype(int).map(clock)
    days, changed = _clock_change_rows(dates)
    if changed.any():
        out[changed] = [clock_label(d, int(m)) for d, m in zip(days, minutes_[changed], strict=True)]
    return out


def parse_clock(date: dt.date, text: str) -> int:
    """A wall time of `date` as written in a table ("HH:MM", or "HH:MM+hh:mm" in the repeated hour) → elapsed minutes.

    Raises ValueError when the text is not a time, or names a wall time that does not exist
    that day (03:00–03:59 on the spring night) or an offset the time does not have.
    """
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a time HH:MM (or HH:MM+hh:mm)")
    hours, mins, sign, off_h, off_m = match.groups()
    wall = int(hours) * 60 + int(mins)
    if int(mins) > 59 or wall > 24 * 60:
        raise ValueError(f"{text.strip()!r} is not a time of day")
    text = text.strip()
    wanted = None if not sign else (1 if sign == "+" else -1) * (int(off_h) * 60 + int(off_m))
    for fold in (0, 1):
        minute = elapsed(date, wall, fold)
        got, have, _ = _wall(date, minute) if minute < day_minutes(date) else (24 * 60, wanted, False)
        if got == wall and (wanted is None or have == wanted):
            return minute
    if wanted is None:
        raise ValueError(f"{text} does not exist on {date} (the clocks skip it)")
    raise ValueError(f"{text} does not exist on {date} (no such UTC offset then)")


@lru_cache(maxsize=64)
def wall_minutes_of_day(date: dt.date) -> np.ndarray:
    """Wall-clock minute (0–1439) of each elapsed minute of `date`: 1440, 1380 or 1500 values."""
    if day_minutes(date) == 24 * 60:
        return np.arange(24 * 60)
    return np.array([_wall(date, m)[0] for m in range(day_minutes(date))])


def horizon_days(start: dt.date, end: dt.date) -> pd.DatetimeIndex:
    return pd.date_range(start, end, freq="D")


def minutes(clock: dt.time) -> int:
    """Minutes after midnight; 23:59:59 (written 24:00) counts as 1440."""
    if clock >= dt.time(23, 59, 59):
        return 24 * 60
    return clock.hour * 60 + clock.minute


def open_days(scenario: Scenario, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """One row per (point, day) the point is open: point_id, date, weekday, month, opens, closes, day_minutes.

    `opens`/`closes` are elapsed minutes after local midnight (the wall-clock hours of
    opening_hours.csv read on that day: a point open 00:00–24:00 is open 0–1380 on the spring
    night); `day_minutes` is the day's real length; `month` is the horizon month 'YYYY-MM'.
    The days are the horizon's unless `start`/`end` (inclusive) say otherwise: the same opening
    hours and holidays read on other days (the whole ISO weeks the horizon cuts, for weekly figures).
    """
    start = scenario.config.horizon.start if start is None else start
    end = scenario.horizon_end if end is None else end
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
    table["day_minutes"] = [day_minutes(d) for d in table["date"].dt.date]
    changed = table["day_minutes"] != 24 * 60
    if changed.any():  # the two clock-change days a year: wall-clock hours to elapsed minutes
        rows = table[changed]
        table.loc[changed, "opens"] = [elapsed(d, int(m)) for d, m in zip(rows["date"].dt.date, rows["opens"], strict=True)]
        table.loc[changed, "closes"] = [elapsed(d, int(m)) for d, m in zip(rows["date"].dt.date, rows["closes"],
                                                                           strict=True)]
    return table[["point_id", "date", "weekday", "month", "opens", "closes", "day_minutes"]].reset_index(drop=True)


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


def work_periods(days: int, period_weeks: int) -> list[range]:
    """The roster's work periods as day-index ranges: one for a roster of at most `period_weeks`
    weeks, else consecutive blocks of `period_weeks` weeks, the last one what is left; a
    remnant shorter than a week (a roster to a horizon end that is not a whole week away) joins
    the period before it rather than being balanced on its own.

    A work period is the span over which contract hours are balanced (scenario.toml [roster]
    period_weeks); the roster model and the checker both split a roster this way.
    """
    step = 7 * period_weeks
    if days < step + 7:
        return [range(days)]
    starts = list(range(0, days, step))
    if days - starts[-1] < 7:
        starts.pop()
    return [range(a, b) for a, b in zip(starts, [*starts[1:], days], strict=True)]


def roster_days(first: dt.date, weeks: int | None, horizon_end: dt.date) -> list[dt.date]:
    """The days of a roster period: `weeks` weeks from `first`, the last week cut at `horizon_end`;
    `weeks` None = every day from `first` to `horizon_end`.

    One rule for the rosters, `planner check` and a re-plan, so that a period written as
    (from, weeks) in summary.json reads back as the same days. A horizon of whole months is
    rarely whole weeks (2015: 52 weeks and a day), so the whole horizon ends on a part week.
    Shape: a list of consecutive dates, empty when `first` is after `horizon_end`.
    """
    last = horizon_end if weeks is None else min(horizon_end, first + dt.timedelta(days=7 * weeks - 1))
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
