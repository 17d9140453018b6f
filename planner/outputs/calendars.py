"""Calendar files people import: one .ics per advisor (shifts and absences) and per official (outreach days).

RFC 5545: CRLF line ends, lines folded at 75 octets, text escaped, times in UTC (converted from
Helsinki time), DTSTAMP from the input (the horizon start), UIDs derived from the content, so
the same input gives the same bytes. An official's event runs from leaving the home office to
returning there: the drive is in the calendar, not only the hours on site; its location is the
point's name, municipality and coordinates (points.csv has no street address; GEO carries the
coordinates for a map app). Texts in the report's language.

Every advisor and every official gets a calendar, whether or not the plan gives them work: a backup
advisor without a shift, an official without a trip, every official of a plan with no visit (λ = 0)
find one all-day event over the period that says so and why (free time, TRANSP:TRANSPARENT), rather
than no file, which reads as a file lost (and a calendar of no event at all is outside RFC 5545).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping

import pandas as pd

from planner.base.calendar import instant, parse_clock
from planner.outputs.i18n import Words
from planner.outreach.plan import _fold as fold  # RFC 5545 folding and escaping: one copy, the outreach one
from planner.outreach.plan import _ics_escape as escape
from planner.scenario.schemas import Scenario

SAFE_NAME = re.compile(r"[^a-z0-9_-]+")


def utc(day: dt.date, clock: str) -> str:
    """A table's wall time on `day` ("HH:MM", "HH:MM+hh:mm" in the repeated autumn hour, "24:00") as UTC."""
    return instant(day, parse_clock(day, clock)).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: list[list[str]], lang: str) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//aspa-planner//calendar//{lang.upper()}",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}", "X-WR-TIMEZONE:Europe/Helsinki"]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))


def file_name(person_id: str) -> str:
    return SAFE_NAME.sub("-", person_id.lower()).strip("-") or "person"


def _uid(scenario: Scenario, *parts: object) -> str:
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, '/'.join(['aspa-planner', scenario.config.name, *map(str, parts)]))}" \
           "@aspa-planner"


def _stamp(scenario: Scenario) -> str:
    return dt.datetime.combine(scenario.config.horizon.start, dt.time(), dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _place(scenario: Scenario, point_id: str, words: Words) -> tuple[str, str]:
    point = next((p for p in scenario.points if p.point_id == point_id), None)
    if point is None:
        return point_id, ""
    where = point.name if point.municipality in point.name else f"{point.name}, {point.municipality}"
    return f"{where}, {words('country')}", f"{point.latitude:.5f};{point.longitude:.5f}"


def _note(scenario: Scenario, kind: str, person_id: str, first: dt.date, last: dt.date, summary: str,
          description: str = "") -> list[str]:
    """An all-day event over `first`…`last` that only says something (no roster, no shift, no visit): free time."""
    return [f"UID:{_uid(scenario, kind, person_id, first)}", f"DTSTAMP:{_stamp(scenario)}",
            f"DTSTART;VALUE=DATE:{first:%Y%m%d}", f"DTEND;VALUE=DATE:{last + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(summary)}", *([f"DESCRIPTION:{escape(description)}"] if description else []),
            "TRANSP:TRANSPARENT"]


def advisor_calendars(scenario: Scenario, roster: pd.DataFrame, dates: list[dt.date], words: Words,
                      failed: Mapping[str, str] | None = None) -> dict[str, str]:
    """{file name: .ics text} for every advisor: shifts and absences in the roster period; for an advisor whose
    point's group has no roster (`failed`: point id → why, grids.failed_points), or whom the roster gives no shift (a
    backup), one all-day event over the period says so, so that a calendar without shifts is not read as a period
    off, nor a missing file as a lost one."""
    stamp = _stamp(scenario)
    first, last = min(dates), max(dates)
    files = {}
    for advisor in scenario.advisors:
        events = []
        mine = roster[roster["advisor"] == advisor.advisor_id]
        for row in mine.to_dict("records"):
            day = dt.date.fromisoformat(row["date"])
            location, geo = _place(scenario, row["point"], words)
            providers = ", ".join(words.provider(p) for p in str(row.get("providers") or "").split("|") if p)
            break_ = int(row["break_minutes"] or 0)  # named only when there is one ("lunch break 0 min" read oddly)
            text = words("shift_description" if break_ else "shift_description_no_break", start=row["start"],
                         end=row["end"], break_=break_, hours=f"{float(row['paid_hours']):g}", providers=providers or "–")
            event = [f"UID:{_uid(scenario, 'shift', advisor.advisor_id, row['date'])}", f"DTSTAMP:{stamp}",
                     f"DTSTART:{utc(day, row['start'])}", f"DTEND:{utc(day, row['end'])}",
                     f"SUMMARY:{escape(words('shift_summary', point=words.point(row['point'])))}",
                     f"LOCATION:{escape(location)}", f"DESCRIPTION:{escape(text)}", "TRANSP:OPAQUE"]
            if geo:
                event.append(f"GEO:{geo}")
            events.append(event)
        for absence in scenario.absences:
            if absence.advisor_id != advisor.advisor_id or absence.end < first or absence.start > last:
                continue
            start, end = max(absence.start, first), min(absence.end, last)
            events.append([f"UID:{_uid(scenario, 'absence', advisor.advisor_id, start)}", f"DTSTAMP:{stamp}",
                           f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
                           f"DTEND;VALUE=DATE:{end + dt.timedelta(days=1):%Y%m%d}",
                           f"SUMMARY:{escape(words('absence_summary', reason=words.reason(absence.reason or 'absence')))}",
                           "TRANSP:TRANSPARENT"])
        period = words.period(first, last)
        if failed and advisor.point_id in failed:
            events.append(_note(scenario, "no-roster", advisor.advisor_id, first, last,
                                words("no_roster", reason=failed[advisor.point_id])))
        elif mine.empty:
            events.append(_note(scenario, "no-shift", advisor.advisor_id, first, last,
                                words("no_shifts_summary_backup" if advisor.role == "backup" else "no_shifts_summary",
                                      period=period),
                                words("no_shifts_description", point=words.point(advisor.point_id), name=advisor.name,
                                      period=period)))
        files[f"{file_name(advisor.advisor_id)}.ics"] = calendar(advisor.name, events, words.lang)
    return files


def official_calendars(scenario: Scenario, visits: pd.DataFrame, words: Words, start: dt.date | None = None,
                       end: dt.date | None = None, no_visits: str = "") -> dict[str, str]:
    """{file name: .ics text} for every official: one event per trip day, from departure to return; an overnight trip
    (visits.csv trip_id) is one event over its days, from leaving the office on the first to returning on the last.
    An official without a trip in the outreach horizon `start`…`end` (default the scenario's horizon) gets one all-day
    event over it that says so: with `no_visits` (why a plan has no visit at all, Words.no_visits) as its
    description when no one has a trip."""
    stamp = _stamp(scenario)
    start, end = start or scenario.config.horizon.start, end or scenario.horizon_end
    files = {}
    for official in scenario.officials:
        mine = visits[visits["official_id"] == official.official_id] if len(visits) else pd.DataFrame(
            columns=["official_id", "date"])  # a plan with no visit: its frame may have no columns
        events = []
        trips = mine
        if "trip_id" in mine.columns:  # a plan with an overnight trip: one event over each trip's days
            overnight = mine["trip_id"].fillna("").astype(str) != ""
            trips = mine[~overnight]
            events = [_overnight_event(scenario, rows.sort_values("date"), stamp, words)
                      for _, rows in mine[overnight].groupby("trip_id", sort=True)]
        for date, stops in trips.groupby("date", sort=True):
            stops = stops.sort_values("stop_order")
            day = dt.date.fromisoformat(str(date)[:10])
            first, last = stops.iloc[0], stops.iloc[-1]
            lines = [words("visit_stop", point=words.point(s["point_id"]), arrive=s["arrive"], leave=s["leave"],
                           start=s["start"], appointments=int(s["appointments"]),
                           types=words.appointment_types(s["appointment_types"]))
                     for s in stops.to_dict("records")]
            description = words("visit_description", depart=first["depart"], return_=last["return"],
                                stops=" ".join(lines))
            places = [_place(scenario, p, words) for p in stops["point_id"]]
            summary = words("visit_summary", points=", ".join(words.point(p) for p in stops["point_id"]))
            event = [f"UID:{_uid(scenario, 'trip', official.official_id, day)}", f"DTSTAMP:{stamp}",
                     f"DTSTART:{utc(day, first['depart'])}", f"DTEND:{utc(day, last['return'])}",
                     f"SUMMARY:{escape(summary)}", f"LOCATION:{escape(' / '.join(p for p, _ in places))}",
                     f"DESCRIPTION:{escape(description)}", "TRANSP:OPAQUE"]
            if places[0][1]:
                event.append(f"GEO:{places[0][1]}")
            events.append(event)
        if events:
            events.sort(key=lambda event: next(line for line in event if line.startswith("DTSTART:")))
        else:
            period = words.period(start, end)
            events = [_note(scenario, "no-visit", official.official_id, start, end,
                            words("no_visits_summary", period=period),
                            no_visits if visits.empty and no_visits else
                            words("no_visits_yours", name=official.name, period=period))]
        files[f"{file_name(official.official_id)}.ics"] = calendar(official.name, events, words.lang)
    return files


def _overnight_event(scenario: Scenario, rows: pd.DataFrame, stamp: str, words: Words) -> list[str]:
    """One VEVENT over an overnight trip's days: DTSTART its departure on day 1, DTEND its return on the last day."""
    first, last = rows.iloc[0], rows.iloc[-1]
    start, end = dt.date.fromisoformat(str(first["date"])[:10]), dt.date.fromisoformat(str(last["date"])[:10])
    days = [words("overnight_day", date=r["date"], start=r["start"], leave=r["leave"],
                  appointments=int(r["appointments"]), types=words.appointment_types(r["appointment_types"]))
            for r in rows.to_dict("records")]
    description = words("overnight_description", depart=first["depart"], first=start.isoformat(),
                        return_=last["return"], last=end.isoformat(), hotel=f"{rows['hotel_eur'].sum():.2f}",
                        per_diem=f"{rows['per_diem_eur'].sum():.2f}", days=" ".join(days))
    place, geo = _place(scenario, str(first["point_id"]), words)
    summary = words("overnight_summary", nights=int(first["nights"]), point=words.point(str(first["point_id"])))
    event = [f"UID:{_uid(scenario, 'overnight', first['official_id'], first['trip_id'])}", f"DTSTAMP:{stamp}",
             f"DTSTART:{utc(start, first['depart'])}", f"DTEND:{utc(end, last['return'])}",
             f"SUMMARY:{escape(summary)}", f"LOCATION:{escape(place)}", f"DESCRIPTION:{escape(description)}",
             "TRANSP:OPAQUE"]
    if geo:
        event.append(f"GEO:{geo}")
    return event


def visits_month_grid(visits: pd.DataFrame, start: dt.date, end: dt.date, words: Words) -> pd.DataFrame:
    """A month grid of visits: a row per month and week, a column per weekday; a cell lists who visits where."""
    columns = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    by_day: dict[dt.date, list[str]] = {}
    if not visits.empty:
        for row in visits.sort_values(["date", "official_id", "stop_order"]).to_dict("records"):
            day = dt.date.fromisoformat(str(row["date"])[:10])
            by_day.setdefault(day, []).append(f"{words.person(row['official_id'])} → {words.point(row['point_id'])} "
                                              f"{row['arrive']}–{row['leave']}")
    rows = []
    day = start
    while day <= end:
        monday = day - dt.timedelta(days=day.weekday())
        cells = {}
        for n, column in enumerate(columns):
            current = monday + dt.timedelta(days=n)
            if current.month != day.month or current < start or current > end:
                cells[column] = ""
            else:
                cells[column] = f"{current.day}." + "".join("\n" + v for v in by_day.get(current, []))
        rows.append({"month": f"{day:%Y-%m}", "week": monday.strftime("%G-W%V"), **cells,
                     "visits": sum(len(by_day.get(monday + dt.timedelta(days=n), [])) for n in range(7)
                                   if (monday + dt.timedelta(days=n)).month == day.month)})
        day = min(monday + dt.timedelta(days=7), dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1))
    return pd.DataFrame(rows, columns=["month", "week", *columns, "visits"])
