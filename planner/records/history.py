"""The scenario's demand model extended to months before (or after) its horizon.

The demand model (planner/demand.py) is V(p,q,k) = B(p,q) · S(q,c) · (1 + T(q))^(k/12) plus
closure transfers F · s · S(q,c) · (1 + T(q))^(k/12) · a(k) and overflow spills, with k the
months since the horizon start. `shifted` returns a scenario whose horizon starts at
another month but whose model gives the same V for every calendar month: baselines and
closure flows are scaled by (1 + T)^(k0/12), k0 the months from the original start to the
new one. Overflow events are one-off and not scaled. That is what the generator draws
records from and what the backtest calls the "typed-in" forecast of past months.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from planner.demand.forecast import KEYS
from planner.scenario.schemas import ClosureRow, OverflowRow, Scenario


def months_between(first: dt.date, second: dt.date) -> int:
    """Whole months from the month of `first` to the month of `second` (negative when before)."""
    return (second.year - first.year) * 12 + second.month - first.month


def shifted(scenario: Scenario, start: dt.date, months: int, overflow: tuple[OverflowRow, ...] | None = None) -> Scenario:
    """The same demand model with the horizon [start, start + months) (start: a 1st of month, months ≤ 36).

    `overflow` replaces the scenario's overflow events (default: keep them).
    """
    k0 = months_between(scenario.config.horizon.start, start)
    trend = {q.provider_id: q.annual_trend for q in scenario.providers}
    offices = {o.office_id: o.provider_id for o in scenario.offices}

    def factor(provider: str) -> float:
        return (1 + trend[provider]) ** (k0 / 12)

    baseline = tuple(b.model_copy(update={"monthly_volume": b.monthly_volume * factor(b.provider_id)})
                     for b in scenario.baseline_demand)
    closures = tuple(c.model_copy(update={"monthly_visits": c.monthly_visits * factor(offices[c.office_id])})
                     for c in scenario.closures)
    horizon = scenario.config.horizon.model_copy(update={"start": start, "months": months})
    config = scenario.config.model_copy(update={"horizon": horizon})
    return scenario.model_copy(update={"config": config, "baseline_demand": baseline, "closures": closures,
                                       "overflow_events": scenario.overflow_events if overflow is None else overflow})


def monthly_model(scenario: Scenario, first: dt.date, months: int, closures: tuple[ClosureRow, ...] | None = None
                  ) -> pd.DataFrame:
    """Expected customers per (point_id, provider_id, month) by the scenario's formula, for any months.

    Baseline plus closure transfers (a(k) = share of the month's days on or after the closure
    date); no overflow and no spreading over days (a month is counted whole). `closures`
    replaces the scenario's (default: its own). Columns: point_id, provider_id, month
    ('YYYY-MM'), expected.
    """
    k0 = months_between(scenario.config.horizon.start, first)
    season = {row.provider_id: row.factors() for row in scenario.seasonality}
    trend = {q.provider_id: q.annual_trend for q in scenario.providers}
    offices = {o.office_id: o.provider_id for o in scenario.offices}
    rows = []
    for k in range(months):
        period = pd.Period(first, freq="M") + k
        start, end = period.start_time.date(), period.end_time.date()
        growth = {q: season[q][period.month - 1] * (1 + trend[q]) ** ((k0 + k) / 12) for q in trend}
        volume: dict[tuple[str, str], float] = {}
        for b in scenario.baseline_demand:
            volume[(b.point_id, b.provider_id)] = volume.get((b.point_id, b.provider_id), 0.0) + \
                b.monthly_volume * growth[b.provider_id]
        for c in scenario.closures if closures is None else closures:
            provider = offices[c.office_id]
            share = 1.0 if c.date <= start else (0.0 if c.date > end else ((end - c.date).days + 1) / period.days_in_month)
            key = (c.point_id, provider)
            volume[key] = volume.get(key, 0.0) + c.monthly_visits * c.share_to_point * growth[provider] * share
        rows += [(p, q, str(period), v) for (p, q), v in volume.items()]
    frame = pd.DataFrame(rows, columns=[*KEYS, "month", "expected"])
    return frame.sort_values([*KEYS, "month"], kind="stable").reset_index(drop=True)
