"""Demand: volumes × seasons × trends + closures + overflow → arrivals per interval.

Monthly in-person volume at point p for provider q in horizon month k (calendar month c):

    V(p,q,k) = B(p,q) · S(q,c) · (1 + T(q))^(k/12)                      baseline
             + Σ_closures F · s · S(q,c) · (1 + T(q))^(k/12) · a(k)         transfers
             + Σ_overflow  Σ_{open days in k within the event} D · s        one-off spills

B is the baseline average month at the horizon start, S the provider's seasonal factor,
T its annual trend, F a closed office's monthly visits, s the share that moves to the
point, a(k) the part of month k on or after the closure date, D the office's visits a day.

Each month's volume is spread over the point's open days by the weekday factors (holidays
and closed weekdays get none: their customers come on the other days of the month), a
closure's share only over the days from its date on, and each day's volume over the open
intervals by the hourly profile. Volumes are conserved: intervals sum to days, days to months.

Intervals are in real time (planner/base/calendar): `interval_start` is elapsed minutes after
local midnight, so the spring clock-change night has no intervals at wall 03:00–03:45 and
the autumn one has them twice; the hourly profile is renormalised over the day's real
intervals (interval_shares), so a day's total never changes with the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.calendar import horizon_months, interval_grid, open_days, wall_minutes_of_day
from planner.base.tables import concat_rows
from planner.scenario.schemas import Scenario

KEYS = ["point_id", "provider_id"]


@dataclass(frozen=True)
class DemandForecast:
    """Arrivals per (point, provider) by month, by day and by interval."""

    monthly: pd.DataFrame
    daily: pd.DataFrame
    intervals: pd.DataFrame
    notes: tuple[str, ...]

    def for_points(self, points: set[str]) -> DemandForecast:
        """The same forecast restricted to some points (a piece of a stage)."""

        def mine(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["point_id"].isin(points)].reset_index(drop=True)

        return DemandForecast(mine(self.monthly), mine(self.daily), mine(self.intervals), self.notes)


def growth(scenario: Scenario) -> pd.DataFrame:
    """Season × trend multiplier per (provider, month)."""
    months = horizon_months(scenario)
    season = {row.provider_id: row.factors() for row in scenario.seasonality}
    rows = []
    for provider in scenario.providers:
        for k, month in enumerate(months):
            calendar_month = int(month[5:7])
            factor = season[provider.provider_id][calendar_month - 1] * (1 + provider.annual_trend) ** (k / 12)
            rows.append((provider.provider_id, month, factor))
    return pd.DataFrame(rows, columns=["provider_id", "month", "growth"])


def _month_share_from(date: dt.date, month: str) -> float:
    """Share of the calendar days of `month` that fall on or after `date`."""
    first = pd.Period(month, freq="M")
    days = first.days_in_month
    start = first.start_time.date()
    if date <= start:
        return 1.0
    end = first.end_time.date()
    if date > end:
        return 0.0
    return ((end - date).days + 1) / days


def streams(scenario: Scenario) -> pd.DataFrame:
    """Monthly volume of each demand stream: the baseline and each closure separately.

    A stream has a first day from which it may be placed (the closure date); the
    baseline's is the horizon start.
    """
    g = growth(scenario)
    start = pd.Timestamp(scenario.config.horizon.start)
    base = pd.DataFrame(
        [(b.point_id, b.provider_id, b.monthly_volume) for b in scenario.baseline_demand],
        columns=[*KEYS, "level"],
    )
    base = base.merge(g, on="provider_id")
    base["component"], base["stream"], base["from_date"] = "baseline", "baseline", start
    base["volume"] = base["level"] * base["growth"]
    parts = [base]
    for number, closure in enumerate(scenario.closures):
        provider = scenario.office(closure.office_id).provider_id
        c = g[g["provider_id"] == provider].copy()
        c["point_id"] = closure.point_id
        c["level"] = closure.monthly_visits * closure.share_to_point
        c["volume"] = c["level"] * c["growth"] * c["month"].map(lambda m, d=closure.date: _month_share_from(d, m))
        c["component"], c["stream"] = "closures", f"closure-{number}"
        c["from_date"] = max(pd.Timestamp(closure.date), start)
        parts.append(c)
    table = concat_rows(parts)  # a baseline_demand.csv of no rows and no closures: no streams
    return table[[*KEYS, "month", "component", "stream", "from_date", "volume"]]


def _spread_streams(scenario: Scenario, days: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Spread each stream's monthly volume over its open days by the weekday factors."""
    factors = scenario.config.demand.weekday_factors
    per_point = {row.point_id: row.factors() for row in scenario.weekday_profiles}  # weekday_profiles.csv
    days = days.assign(weight=[per_point.get(p, factors).get(w, 1.0) for p, w in zip(days["point_id"], days["weekday"],
                                                                                       strict=True)])
    s = streams(scenario)
    placed = s.merge(days[["point_id", "date", "month", "weight"]], on=["point_id", "month"], how="left")
    eligible = placed["date"].notna() & (placed["date"] >= placed["from_date"])
    placed["weight"] = placed["weight"].where(eligible, 0.0).fillna(0.0)
    group = [*KEYS, "month", "stream"]
    total = placed.groupby(group)["weight"].transform("sum")
    placed["arrivals"] = np.where(total > 0, placed["volume"] * placed["weight"] / total.where(total > 0, 1), 0.0)
    unplaced = s.merge(placed.groupby(group, as_index=False)["weight"].sum(), on=group)
    unplaced = unplaced[(unplaced["weight"] <= 0) & (unplaced["volume"] > 0)]
    daily = placed[eligible & (placed["weight"] > 0)]
    return daily[[*KEYS, "date", "month", "component", "arrivals"]], unplaced


def _overflow(scenario: Scenario, days: pd.DataFrame) -> pd.DataFrame:
    """One-off spills land on the point's open days within the event."""
    rows = []
    for event in scenario.overflow_events:
        provider = scenario.office(event.office_id).provider_id
        mask = ((days["point_id"] == event.point_id) & (days["date"] >= pd.Timestamp(event.start))
                & (days["date"] <= pd.Timestamp(event.end)))
        for _, day in days[mask].iterrows():
            rows.append((event.point_id, provider, day["date"], day["month"], "overflow",
                         event.office_daily_visits * event.share_to_point))
    return pd.DataFrame(rows, columns=[*KEYS, "date", "month", "component", "arrivals"])


def minute_weights(scenario: Scenario, point_id: str | None = None) -> np.ndarray:
    """Arrival weight of each minute of the day from the hourly profile (the point's hourly_profiles.csv rows if any)."""
    profile = scenario.config.demand.hourly_profile
    rows = {row.hour: row.weight for row in scenario.hourly_profiles if row.point_id == point_id}
    if rows and sum(rows.values()) > 0:
        profile = rows
    listed = [w for w in profile.values() if w > 0]
    fallback = min(listed) if listed else 1.0
    per_hour = np.array([profile.get(h, fallback) for h in range(24)], dtype=float)
    return np.repeat(per_hour / 60.0, 60)


def interval_shares(scenario: Scenario, days: pd.DataFrame) -> pd.DataFrame:
    """Share of a day's arrivals in each interval, per distinct (point, weekday, clock) window.

    Intervals lie on the day's elapsed minutes (planner/base/calendar). `clock` is "" for an
    ordinary day and the date (ISO) for a clock-change day, whose minutes read other wall
    hours: the spring night has no 03:00–03:59, so the hourly profile is renormalised over the
    day's real intervals (the hour's customers come in the other hours, none is lost); on the
    autumn night hour 03 is weighted twice, once per pass. Shares sum to 1 either way, so a
    day's total is its daily arrivals.
    """
    interval = scenario.config.horizon.interval_minutes
    per_minute = {p: minute_weights(scenario, p) for p in days["point_id"].unique()}
    rows = []
    windows = days.assign(clock=_clock_key(days))[["point_id", "weekday", "clock", "opens", "closes"]].drop_duplicates()
    for window in windows.itertuples(index=False):
        minute = per_minute[window.point_id]
        if window.clock:  # the wall-clock minute of each elapsed minute of that day
            minute = minute[wall_minutes_of_day(dt.date.fromisoformat(window.clock))]
        weights = np.concatenate([[0.0], np.cumsum(minute)])
        starts, open_minutes = interval_grid(window.opens, window.closes, interval)
        lo = np.maximum(starts, window.opens)
        w = weights[lo + open_minutes] - weights[lo]
        share = w / w.sum() if w.sum() > 0 else open_minutes / open_minutes.sum()
        rows.append(pd.DataFrame({
            "point_id": window.point_id, "weekday": window.weekday, "clock": window.clock,
            "interval_start": starts, "open_minutes": open_minutes, "share": share,
        }))
    return pd.concat(rows, ignore_index=True)


def _clock_key(days: pd.DataFrame) -> pd.Series:
    """"" for an ordinary day, the ISO date for a clock-change day (its own interval grid and shares)."""
    return pd.Series(np.where(days["day_minutes"] != 24 * 60, days["date"].dt.strftime("%Y-%m-%d"), ""),
                     index=days.index)


def handling_minutes(scenario: Scenario) -> pd.DataFrame:
    """Handling time per (point, provider): the point's override, else the provider's."""
    override = {(b.point_id, b.provider_id): b.handling_minutes for b in scenario.baseline_demand}
    return pd.DataFrame(
        [(p.point_id, q.provider_id, override.get((p.point_id, q.provider_id)) or q.handling_minutes)
         for p in scenario.points for q in scenario.providers],
        columns=[*KEYS, "handling_minutes"],
    )


def forecast(scenario: Scenario, intervals: bool = True) -> DemandForecast:
    """The demand tables for the whole horizon; with `intervals` False, no interval rows (the frame empty, its columns
    kept): a run that reads only days (outreach) needs none, and a national year's are 12 million rows, ~2 GB."""
    days = open_days(scenario)
    spread, unplaced = _spread_streams(scenario, days)
    daily_parts = concat_rows([spread, _overflow(scenario, days)])  # no overflow events, as a rule

    months = pd.DataFrame({"month": horizon_months(scenario)})
    pairs = daily_parts[KEYS].drop_duplicates()
    pairs = pd.concat([pairs, streams(scenario)[KEYS].drop_duplicates()]).drop_duplicates()
    monthly = pairs.merge(months, how="cross")
    components = ["baseline", "closures", "overflow"]
    by_component = (daily_parts.groupby([*KEYS, "month", "component"])["arrivals"].sum()
                    .unstack("component").reindex(columns=components))
    monthly = monthly.merge(by_component.reset_index(), on=[*KEYS, "month"], how="left")
    lost = unplaced.groupby([*KEYS, "month"], as_index=False)["volume"].sum().rename(columns={"volume": "unplaced"})
    monthly = monthly.merge(lost, on=[*KEYS, "month"], how="left")
    numeric = [*components, "unplaced"]
    monthly[numeric] = monthly[numeric].astype(float).fillna(0.0)
    monthly["placed"] = monthly[["baseline", "closures", "overflow"]].sum(axis=1)
    monthly["volume"] = monthly["placed"] + monthly["unplaced"]
    open_count = days.groupby(["point_id", "month"]).size().rename("open_days").reset_index()
    monthly = monthly.merge(open_count, on=["point_id", "month"], how="left").fillna({"open_days": 0})
    monthly["open_days"] = monthly["open_days"].astype(int)
    monthly = monthly.merge(handling_minutes(scenario), on=KEYS, how="left")
    monthly["workload_hours"] = monthly["volume"] * monthly["handling_minutes"] / 60.0
    monthly = monthly.sort_values([*KEYS, "month"], kind="stable").reset_index(drop=True)

    daily = daily_parts.groupby([*KEYS, "date"], as_index=False)["arrivals"].sum()
    daily["arrivals"] = daily["arrivals"].astype(float)
    daily = daily.merge(days.assign(clock=_clock_key(days))[["point_id", "date", "weekday", "clock"]],
                        on=["point_id", "date"])
    shares = interval_shares(scenario, days)
    if not intervals:
        shares = shares.iloc[:0]
    by_interval = daily.merge(shares, on=["point_id", "weekday", "clock"])
    by_interval["arrivals"] = by_interval["arrivals"] * by_interval["share"]
    by_interval = by_interval[[*KEYS, "date", "interval_start", "open_minutes", "arrivals"]]
    by_interval = by_interval.sort_values(["point_id", "date", "interval_start", "provider_id"], kind="stable")

    notes = tuple(
        f"{r.point_id}/{r.provider_id} {r.month}: {r.volume:.1f} customers fall on no open day "
        "(the point is closed on every day they could come) and are not placed"
        for r in unplaced.itertuples()
    )
    return DemandForecast(monthly=monthly, daily=daily[[*KEYS, "date", "arrivals"]].reset_index(drop=True),
                          intervals=by_interval.reset_index(drop=True), notes=notes)
