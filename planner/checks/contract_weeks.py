"""The ISO weeks that make up a contract breach, in words ("; week 10: +4 h, week 11: +2.5 h").

The contract rule is soft over the whole roster (models/advisor_roster.add_contract_hours:
paid minutes within tolerance of the target, averaged over the horizon), and its penalty
stays so. A supervisor fixes a breach week by week, though, so its message names the weeks
behind it. The roster (planner/rosters/roster.py) and the checker (planner/checks/roster.py) both word
their contract breaches with `week_breakdown`, so the two messages cannot drift; each side
still computes the paid minutes, contract days and penalty amounts itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence


def _hours(minutes: int) -> str:
    """Minutes as hours, the way violation messages write `{hours}` (at most 2 decimals)."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def week_breakdown(dates: Sequence[dt.date], paid: Mapping[dt.date, int], contract_days: Collection[dt.date],
                   daily_minutes: float, over: bool) -> str:
    """"; week 2: +6.3 h, week 3: +8.4 h": per ISO week of `dates`, paid minutes less that week's share.

    A week's share is `daily_minutes` for each of its contract days (the roster's weekdays
    less holidays and absences: the days the contract target counts, so weeks cut by the
    roster's ends and weeks with time off are prorated alike), rounded to the minute as the
    target is. Only weeks off in the breach's direction (`over` or under) are listed, in week
    order; "" when none is.
    """
    weeks: dict[tuple[int, int], list[dt.date]] = {}
    for day in dates:
        weeks.setdefault(day.isocalendar()[:2], []).append(day)
    sign = 1 if over else -1
    parts = []
    for (_, week), days in sorted(weeks.items()):
        share = round(daily_minutes * sum(1 for d in days if d in contract_days))
        deviation = sum(paid.get(d, 0) for d in days) - share
        if sign * deviation > 0:
            parts.append(f"week {week}: {'+' if over else '-'}{_hours(abs(deviation))} h")
    return "; " + ", ".join(parts) if parts else ""
