"""Independent check of an outreach plan (visits.csv) against the scenario: nothing from models/.

The rules are re-read from the scenario files' schemas and recomputed from the table
alone, so a bug in the model or in the table writer cannot hide itself. One function per
rule, each yielding a hard Finding per breach (a visit plan has no soft rule here: its costs
are the model's objective).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from planner.base.calendar import finnish_holidays, minutes
from planner.base.geo import Geography
from planner.checks.findings import CheckResult, Finding, Subject, hard
from planner.scenario.schemas import WEEKDAYS, OfficialRow, Scenario

Rule = Literal["unknown_official", "not_a_working_day", "public_holiday", "absent", "stop_order", "point_closed",
               "outside_opening_hours", "slots_do_not_fit", "day_too_long", "distance", "empty_stop"]
Findings = Iterator[Finding[Rule]]
TOLERANCE_MINUTES = 1.0  # visits.csv rounds clock times to whole minutes


@dataclass(frozen=True)
class Day:
    """One official's day of visits: its rows in stop order, and the facts its rules read."""

    official_id: str
    official: OfficialRow | None
    date: dt.date
    weekday: str  # mon … sun
    stops: pd.DataFrame
    hours: Mapping[tuple[str, str], tuple[int, int]]  # (point, weekday) → opens, closes (minutes)
    slot_minutes: Mapping[tuple[str, str], float]  # (provider, appointment type) → minutes
    scenario: Scenario
    geo: Geography

    def breach(self, rule: Rule, detail: str, **when: object) -> Finding[Rule]:
        return hard(rule, Subject("official", self.official_id), detail, date=self.date, **when)


def _minute(text: str) -> int:
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def _at(row) -> dict:
    """Where and when a finding about visit `row` is."""
    return {"start": _minute(row.start), "end": _minute(row.leave), "point": row.point_id}


def official_known(day: Day) -> Findings:
    """Hard: every visit is made by an official of officials.csv."""
    if day.official is None:
        yield day.breach("unknown_official", "not in officials.csv")


def only_on_working_days(day: Day) -> Findings:
    """Hard: an official travels only on their working weekdays (officials.csv working_weekdays)."""
    if day.weekday not in day.official.working_weekdays:
        yield day.breach("not_a_working_day", f"{day.weekday} is not in working_weekdays")


def not_on_public_holidays(day: Day) -> Findings:
    """Hard: no visit on a Finnish public holiday."""
    holidays = finnish_holidays(day.date.year, day.date.year)
    if day.date in holidays:
        yield day.breach("public_holiday", holidays[day.date])


def official_not_away(day: Day) -> Findings:
    """Hard: no visit on a day of the official's absence (official_absences.csv)."""
    if any(a.official_id == day.official_id and a.start <= day.date <= a.end for a in day.scenario.official_absences):
        yield day.breach("absent", "listed in official_absences.csv")


def stops_in_order(day: Day) -> Findings:
    """Hard: a day's stops are numbered 1, 2, … in the order driven."""
    if list(day.stops["stop_order"]) != list(range(1, len(day.stops) + 1)):
        yield day.breach("stop_order", f"stops {list(day.stops['stop_order'])}")


def only_when_point_open(day: Day) -> Findings:
    """Hard: a point is visited only on a weekday it has opening hours (opening_hours.csv)."""
    for row in day.stops.itertuples(index=False):
        if (row.point_id, day.weekday) not in day.hours:
            yield day.breach("point_closed", f"{row.point_id} has no hours on {day.weekday}", **_at(row))


def within_opening_hours(day: Day) -> Findings:
    """Hard: a visit starts after the point opens and ends by its closing time (a minute's rounding allowed)."""
    for row in day.stops.itertuples(index=False):
        window = day.hours.get((row.point_id, day.weekday))
        if window is None:
            continue
        early, late = window[0] - _minute(row.start), _minute(row.leave) - window[1]
        if early > 0 or late > TOLERANCE_MINUTES:
            yield day.breach("outside_opening_hours", f"{row.point_id} {row.start}–{row.leave}", amount=max(0, early) + max(0, late),
                             **_at(row))


def every_stop_serves(day: Day) -> Findings:
    """Hard: every stop holds at least one appointment — no empty visit, no pass-through stop (issue #15)."""
    for row in day.stops.itertuples(index=False):
        booked = 0
        if isinstance(row.appointment_types, str) and row.appointment_types:
            booked = sum(int(part.split(":")[1]) for part in row.appointment_types.split("|"))
        if booked <= 0 or int(row.appointments) <= 0:
            yield day.breach("empty_stop", f"{row.point_id} {row.start}–{row.leave} has no appointment", **_at(row))


def slots_fill_the_visit(day: Day) -> Findings:
    """Hard: a visit lasts exactly its booked appointment slots (appointment_types.csv slot_minutes)."""
    for row in day.stops.itertuples(index=False):
        booked = 0.0
        if isinstance(row.appointment_types, str) and row.appointment_types:
            for part in row.appointment_types.split("|"):
                kind, count = part.split(":")
                booked += int(count) * day.slot_minutes[day.official.provider_id, kind]
        off = abs(_minute(row.leave) - _minute(row.start) - booked)
        if off > TOLERANCE_MINUTES:
            yield day.breach("slots_do_not_fit", f"{booked:g} min of slots in {row.start}–{row.leave} at {row.point_id}",
                             amount=off, **_at(row))


def day_within_daily_hours(day: Day) -> Findings:
    """Hard: from leaving the office to returning takes at most the official's daily_hours (officials.csv)."""
    first, last = day.stops.iloc[0], day.stops.iloc[-1]
    length = _minute(last["return"]) - _minute(first["depart"])
    if length > day.official.daily_hours * 60 + TOLERANCE_MINUTES:
        yield day.breach("day_too_long", f"{first['depart']}–{last['return']} is over {day.official.daily_hours:g} h",
                         amount=length - day.official.daily_hours * 60, start=_minute(first["depart"]),
                         end=_minute(last["return"]))


def distance_as_driven(day: Day) -> Findings:
    """Hard: the km of the day's rows add up to the road distance office → stops → office (distances.csv, else
    coordinates)."""
    path = [day.official.home_office_id, *day.stops["point_id"], day.official.home_office_id]
    km = sum(day.geo.leg(a, b).km for a, b in zip(path, path[1:], strict=False))
    written = float(day.stops["km"].sum())
    if abs(km - written) > 0.05:
        yield day.breach("distance", f"table says {day.stops['km'].sum():g} km, roads {km:.2f} km",
                         amount=abs(km - written))


RULES: tuple[Callable[[Day], Findings], ...] = (
    only_on_working_days, not_on_public_holidays, official_not_away, stops_in_order, only_when_point_open,
    within_opening_hours, every_stop_serves, slots_fill_the_visit, day_within_daily_hours, distance_as_driven,
)


def check_visits(scenario: Scenario, visits: pd.DataFrame,
                 slot_minutes: Mapping[tuple[str, str], float]) -> CheckResult[Rule]:
    """Every rule a plan must keep; `slot_minutes` maps (provider, appointment type) to minutes."""
    officials = {o.official_id: o for o in scenario.officials}
    hours = {(h.point_id, h.weekday): (minutes(h.opens), minutes(h.closes)) for h in scenario.opening_hours}
    geo = Geography(scenario)
    found: list[Finding[Rule]] = []
    if not len(visits):
        return CheckResult(found)
    for (official_id, date), stops in visits.groupby(["official_id", "date"], sort=True):
        when = dt.date.fromisoformat(date)
        day = Day(official_id, officials.get(official_id), when, WEEKDAYS[when.weekday()],
                  stops.sort_values("stop_order"), hours, slot_minutes, scenario, geo)
        found += official_known(day)
        if day.official is not None:
            found += (f for rule in RULES for f in rule(day))
    return CheckResult(found)


def check_lines(result: CheckResult[Rule]) -> list[str]:
    """The findings as summary.json writes them: "public holiday: police-kemijarvi 2015-01-06: Epiphany"."""
    return [f"{f.rule.replace('_', ' ')}: {f.subject.id} {f.date}: {f.message}" for f in result.findings]
