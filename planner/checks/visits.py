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
from planner.base.text import quantity
from planner.checks.findings import CheckResult, Finding, Subject, hard
from planner.scenario.schemas import WEEKDAYS, OfficialRow, Scenario, presence_required

Rule = Literal["unknown_official", "not_a_working_day", "public_holiday", "absent", "stop_order", "point_closed",
               "outside_opening_hours", "slots_do_not_fit", "day_too_long", "distance", "empty_stop",
               "overnight_trip", "video_presence_required", "video_not_offered", "video_over_share",
               "video_over_hours", "access_reason"]
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


def _trip_day(row) -> tuple[int, int]:
    """(day of the trip 1 …, nights) of a visits.csv row; (0, 0) for a day trip (or a table without the columns)."""
    trip = getattr(row, "trip_id", "")
    if not isinstance(trip, str) or not trip:
        return 0, 0
    return int(row.trip_day), int(row.nights)


def _ends(day: Day) -> tuple[str, str, bool, bool]:
    """The day's first and last clock (leaving the office, or starting at the point after a hotel night; returning, or
    leaving the point for the hotel) and whether it drives out / back."""
    first, last = day.stops.iloc[0], day.stops.iloc[-1]
    trip_day, nights = _trip_day(first)
    out = trip_day in (0, 1)
    back = trip_day == 0 or trip_day == nights + 1
    return (first["depart"] if out else first["start"]), (last["return"] if back else last["leave"]), out, back


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
    """Hard: from leaving the office to returning takes at most the official's daily_hours (officials.csv); on an
    overnight trip's days, from leaving the office or starting at the point to returning or leaving for the hotel."""
    begin, end, _, _ = _ends(day)
    if not (isinstance(begin, str) and ":" in begin and isinstance(end, str) and ":" in end):
        yield day.breach("day_too_long", f"no time of leaving ({begin!r}) or returning ({end!r}): length unknown")
        return
    length = _minute(end) - _minute(begin)
    if length > day.official.daily_hours * 60 + TOLERANCE_MINUTES:
        yield day.breach("day_too_long", f"{begin}–{end} is over {day.official.daily_hours:g} h",
                         amount=length - day.official.daily_hours * 60, start=_minute(begin), end=_minute(end))


def distance_as_driven(day: Day) -> Findings:
    """Hard: the km of the day's rows add up to the road distance office → stops → office (distances.csv, else
    coordinates)."""
    _, _, out, back = _ends(day)  # an overnight trip drives out on its first day and back on its last only
    path = [*([day.official.home_office_id] if out else []), *day.stops["point_id"],
            *([day.official.home_office_id] if back else [])]
    km = sum(day.geo.leg(a, b).km for a, b in zip(path, path[1:], strict=False))
    written = float(day.stops["km"].sum())
    if abs(km - written) > 0.05:
        yield day.breach("distance", f"table says {day.stops['km'].sum():g} km, roads {km:.2f} km",
                         amount=abs(km - written))


def overnight_trips_hold_together(scenario: Scenario, visits: pd.DataFrame) -> Findings:
    """Hard: an overnight trip (visits.csv trip_id) is nights + 1 consecutive calendar days, numbered 1 … in date order,
    of one official at one point, alone on each of its days; a hotel night ([costs] hotel_eur_per_night) after each day
    but the last, and the trip's per diem (the Tax Administration's rule on nights × 24 h + daily_hours) once."""
    if "trip_id" not in visits.columns:
        return
    officials = {o.official_id: o for o in scenario.officials}
    costs = scenario.config.costs
    trips = visits[visits["trip_id"].fillna("").astype(str) != ""]
    for trip, rows in trips.groupby("trip_id", sort=True):
        rows = rows.sort_values("date")
        official_id = str(rows["official_id"].iloc[0])
        first = dt.date.fromisoformat(str(rows["date"].iloc[0]))

        def breach(detail: str, rows=rows, official_id=official_id, first=first, trip=trip) -> Finding[Rule]:
            return hard("overnight_trip", Subject("official", official_id), f"trip {trip}: {detail}", date=first,
                        point=str(rows["point_id"].iloc[0]))

        nights = int(rows["nights"].iloc[0])
        dates = [dt.date.fromisoformat(str(d)) for d in rows["date"]]
        if rows["official_id"].nunique() != 1 or rows["point_id"].nunique() != 1 or rows["nights"].nunique() != 1:
            yield breach("rows of more than one official, point or night count")
            continue
        if nights < 1 or len(rows) != nights + 1:
            yield breach(f"{quantity(len(rows), 'day')} for {quantity(nights, 'night')}; expected nights + 1 days")
            continue
        if any((b - a).days != 1 for a, b in zip(dates, dates[1:], strict=False)):
            yield breach(f"days {', '.join(map(str, dates))} are not consecutive")
        if list(rows["trip_day"].astype(int)) != list(range(1, nights + 2)):
            yield breach(f"trip days {list(rows['trip_day'])}; expected 1 … {nights + 1} in date order")
        others = visits[(visits["official_id"] == official_id) & visits["date"].isin(rows["date"])
                        & (visits["trip_id"].fillna("").astype(str) != trip)]
        if len(others):
            yield breach(f"another visit on {', '.join(sorted(others['date'].astype(str).unique()))} of the trip")
        hotel = [round(float(h), 2) for h in rows["hotel_eur"]]
        expected = [round(costs.hotel_eur_per_night, 2)] * nights + [0.0]
        if hotel != expected:
            yield breach(f"hotel € per day {hotel}; expected {expected} (a night after each day but the last)")
        official = officials.get(official_id)
        if official is not None:
            length = nights * 24 + official.daily_hours
            whole, rest = int(length // 24), length - 24 * int(length // 24)
            due = whole * costs.per_diem_eur + (costs.per_diem_eur if rest > 6 else
                                                costs.partial_per_diem_eur if rest > 2 else 0.0)
            paid = round(float(rows["per_diem_eur"].sum()), 2)
            if abs(paid - due) > 0.01:
                yield breach(f"per diem {paid:.2f} €; the Tax Administration's rule gives {due:.2f} € for {length:g} h")
        for row in rows.itertuples(index=False):
            drives = int(row.trip_day) in (1, nights + 1)
            if not drives and float(row.km) != 0.0:
                yield breach(f"{row.date} drives {row.km} km; only the first and last days drive")


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
    found += overnight_trips_hold_together(scenario, visits)
    return CheckResult(found)


def video_hours_total(scenario: Scenario, provider_id: str, start: dt.date, end: dt.date) -> float | None:
    """Most video minutes video_hours.csv gives `provider_id` from `start` to `end` (None: not limited).

    Each row's hours count once per week (or month) the horizon touches, in proportion to the period's calendar days
    inside it; a provider with official rows has the officials' minutes (their pooled row too, if any, as a limit).
    """
    rows = [r for r in scenario.video_hours if r.provider_id == provider_id]
    if not rows:
        return None
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]

    def minutes(row) -> float:
        if row.per == "week":
            return row.hours * 60 * len(days) / 7
        return sum(row.hours * 60 / ((day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                                     - dt.timedelta(days=1)).day for day in days)

    pooled = [minutes(r) for r in rows if not r.official_id]
    own = [minutes(r) for r in rows if r.official_id]
    totals = ([sum(own)] if own else []) + ([sum(pooled)] if pooled else [])
    return min(totals)


def check_video(scenario: Scenario, access: pd.DataFrame, slot_minutes: Mapping[tuple[str, str], float],
                start: dt.date, end: dt.date) -> CheckResult[Rule]:
    """Remote video in access.csv (`by_remote_service`, customers): never for a matter the law requires in person,
    only for providers that offer it, at most the type's remote_share of its customers (+1 for rounding to whole
    customers), and within video_hours.csv over the horizon `start`…`end` (per provider; an official's own hours and
    day are the model's, not checkable from access.csv); and every row's reason (`check_access_reasons`)."""
    found: list[Finding[Rule]] = []
    if not len(access) or "by_remote_service" not in access.columns:
        return CheckResult(found)
    found += check_access_reasons(access).findings
    shares = {(r.provider_id, r.appointment_type): r.remote_share for r in scenario.appointment_types}
    offers = {p.provider_id: p.remote_service != "none" for p in scenario.providers}
    used: dict[str, float] = {}
    for row in access.itertuples(index=False):
        video = float(row.by_remote_service)
        if video <= 0:
            continue
        subject = Subject("point", row.point_id)
        what = f"{row.provider_id} {row.appointment_type}: {quantity(video, 'customer')} by video"
        if presence_required(scenario, row.provider_id, row.appointment_type):
            found.append(hard("video_presence_required", subject, f"{what}; the law requires presence"))
        if not offers.get(row.provider_id, False):
            found.append(hard("video_not_offered", subject, f"{what}; providers.csv remote_service is none"))
        share = shares.get((row.provider_id, row.appointment_type))
        if share is not None and video > share * float(row.face_to_face_demand) + 1 + 1e-9:
            found.append(hard("video_over_share", subject, f"{what}; at most remote_share {share:g} of "
                              f"{float(row.face_to_face_demand):g} can use video"))
        used[row.provider_id] = used.get(row.provider_id, 0.0) + video * slot_minutes.get(
            (row.provider_id, row.appointment_type), 0.0)
    for provider, minutes_used in sorted(used.items()):
        limit = video_hours_total(scenario, provider, start, end)
        if limit is not None and minutes_used > limit + TOLERANCE_MINUTES:
            found.append(hard("video_over_hours", Subject("provider", provider), f"{minutes_used:g} min of video from "
                              f"{start} to {end}; video_hours.csv gives at most {limit:.0f} min"))
    return CheckResult(found)


# access.csv's closed list of reasons (inputs/README.md "Reasons"; planner.outreach.plan.REASONS writes them), by the
# channel the row's customers not served at the point went by.
NO_VISIT_REASONS = frozenset({"beyond_day_reach", "window_shorter_than_slot", "point_closed", "official_unavailable"})
ACCESS_REASONS = NO_VISIT_REASONS | {"no_official", "video_chosen", "office_cheaper", "capacity", "under_half_customer",
                                     "offices_closed"}


def check_access_reasons(access: pd.DataFrame) -> CheckResult[Rule]:
    """Every access.csv row with customers not served at the point has exactly one reason of ACCESS_REASONS, and the
    reason names the channel they went by; a row served wholly at the point has none.

    Not served at the point: anyone by video (`by_remote_service`), at the office (`at_office`) or `unmet`, or a
    `face_to_face_demand` above 0 of which no one was served locally (under half a customer, which the plan counts as
    none). The channel: video_chosen exactly when all of them went by video; anyone at the office or unmet has a
    no-visit reason, office_cheaper, capacity, offices_closed or no_official, and anyone by video is said in the words
    ("video"); offices_closed only for a row with customers unmet and none at the office (no office was open for
    them); under_half_customer only for a row with no whole customer anywhere, expecting under one (whole customers
    are rounded cumulatively over the horizon: a row cut at an office's closure is within one of what it expects). A
    frame without the columns (a part of access.csv) has nothing to check.
    """
    found: list[Finding[Rule]] = []
    needed = {"by_remote_service", "at_office", "unmet", "served_locally", "face_to_face_demand", "reason"}
    if not needed <= set(access.columns):
        return CheckResult(found)
    for row in access.itertuples(index=False):
        video, office, unmet = float(row.by_remote_service), int(row.at_office), int(row.unmet)
        served, demand = int(row.served_locally), float(row.face_to_face_demand)
        text = "" if pd.isna(row.reason) else str(row.reason)
        code = text.split(": ", 1)[0] if ": " in text else text
        away = video > 0 or office > 0 or unmet > 0 or (served == 0 and demand > 0)
        what = (f"{row.provider_id} {row.appointment_type} ({served} at the point, {video:g} by video, {office} at "
                f"the office, {unmet} unmet of {demand:g}): ")
        wrong = ""
        if not away:
            wrong = f"reason {text!r} for a row served wholly at the point" if text else ""
        elif code not in ACCESS_REASONS:
            wrong = f"no reason of the list: {text!r}" if text else "no reason"
        elif [c for c in ACCESS_REASONS if f"{c}: " in text[len(code) + 2:]]:
            wrong = f"more than one reason: {text!r}"
        elif code == "video_chosen" and (video <= 0 or office + unmet > 0):
            wrong = "video_chosen, but " + ("no one by video" if video <= 0 else f"{office + unmet} not by video")
        elif video > 0 and office + unmet == 0 and code != "video_chosen":
            wrong = f"{code} for customers all served by video"
        elif video > 0 and "video" not in text:
            wrong = f"{code} says nothing of the {video:g} by video"
        elif office + unmet > 0 and code in ("video_chosen", "under_half_customer"):
            wrong = f"{code} for customers at the office or unmet"
        elif code in NO_VISIT_REASONS | {"office_cheaper", "capacity"} and office + unmet <= 0:
            wrong = f"{code}, but no one at the office"
        elif code == "offices_closed" and (unmet <= 0 or office > 0):
            wrong = "offices_closed, but " + (f"{office} at the office" if office > 0 else "no one unmet")
        elif code == "under_half_customer" and (video > 0 or served > 0 or demand >= 1):
            wrong = f"under_half_customer for {demand:g} expected customers, some of them planned"
        if wrong:
            found.append(hard("access_reason", Subject("point", row.point_id), what + wrong))
    return CheckResult(found)


def check_lines(result: CheckResult[Rule]) -> list[str]:
    """The findings as summary.json writes them: "public holiday: police-kemijarvi 2015-01-06: Epiphany" (a finding
    about the whole horizon, e.g. video, has no date)."""
    return [f"{f.rule.replace('_', ' ')}: {f.subject.id}{'' if f.date is None else f' {f.date}'}: {f.message}"
            for f in result.findings]
