"""Independent check of an outreach plan (visits.csv) against the scenario: nothing from models/.

The rules are re-read from the scenario files' schemas and recomputed from the table
alone, so a bug in the model or in the table writer cannot hide itself. Each violation
carries a cause from a closed list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from planner.base.calendar import finnish_holidays, minutes
from planner.base.geo import Geography
from planner.scenario.schemas import WEEKDAYS, Scenario

Cause = Literal["unknown official", "not a working day", "public holiday", "absent", "point closed",
                "outside opening hours", "day too long", "slots do not fit", "stop order", "distance"]
TOLERANCE_MINUTES = 1.0  # visits.csv rounds clock times to whole minutes


@dataclass(frozen=True)
class Violation:
    cause: Cause
    official_id: str
    date: str
    detail: str


def _minute(text: str) -> int:
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def check_visits(scenario: Scenario, visits: pd.DataFrame, slot_minutes: dict[tuple[str, str], float]) -> list[Violation]:
    """Every rule a plan must keep; `slot_minutes` maps (provider, appointment type) to minutes."""
    officials = {o.official_id: o for o in scenario.officials}
    hours = {(h.point_id, h.weekday): (minutes(h.opens), minutes(h.closes)) for h in scenario.opening_hours}
    geo = Geography(scenario)
    found: list[Violation] = []
    for (official_id, date), day in visits.groupby(["official_id", "date"], sort=True):
        day = day.sort_values("stop_order")
        official = officials.get(official_id)
        if official is None:
            found.append(Violation("unknown official", official_id, date, "not in officials.csv"))
            continue
        when = dt.date.fromisoformat(date)
        weekday = WEEKDAYS[when.weekday()]
        if weekday not in official.working_weekdays:
            found.append(Violation("not a working day", official_id, date, f"{weekday} is not in working_weekdays"))
        if when in finnish_holidays(when.year, when.year):
            found.append(Violation("public holiday", official_id, date, finnish_holidays(when.year, when.year)[when]))
        if any(a.official_id == official_id and a.start <= when <= a.end for a in scenario.official_absences):
            found.append(Violation("absent", official_id, date, "listed in official_absences.csv"))
        if list(day["stop_order"]) != list(range(1, len(day) + 1)):
            found.append(Violation("stop order", official_id, date, f"stops {list(day['stop_order'])}"))
        for row in day.itertuples(index=False):
            window = hours.get((row.point_id, weekday))
            if window is None:
                found.append(Violation("point closed", official_id, date, f"{row.point_id} has no hours on {weekday}"))
            elif _minute(row.start) < window[0] or _minute(row.leave) > window[1] + TOLERANCE_MINUTES:
                found.append(Violation("outside opening hours", official_id, date,
                                       f"{row.point_id} {row.start}–{row.leave}"))
            booked = 0.0
            if isinstance(row.appointment_types, str) and row.appointment_types:
                for part in row.appointment_types.split("|"):
                    kind, count = part.split(":")
                    booked += int(count) * slot_minutes[official.provider_id, kind]
            if abs(_minute(row.leave) - _minute(row.start) - booked) > TOLERANCE_MINUTES:
                found.append(Violation("slots do not fit", official_id, date,
                                       f"{booked:g} min of slots in {row.start}–{row.leave} at {row.point_id}"))
        first, last = day.iloc[0], day.iloc[-1]
        length = _minute(last["return"]) - _minute(first["depart"])
        if length > official.daily_hours * 60 + TOLERANCE_MINUTES:
            found.append(Violation("day too long", official_id, date,
                                   f"{first['depart']}–{last['return']} is over {official.daily_hours:g} h"))
        path = [official.home_office_id, *day["point_id"], official.home_office_id]
        km = sum(geo.leg(a, b).km for a, b in zip(path, path[1:], strict=False))
        if abs(km - float(day["km"].sum())) > 0.05:
            found.append(Violation("distance", official_id, date, f"table says {day['km'].sum():g} km, roads {km:.2f} km"))
    return found
