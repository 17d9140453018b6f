"""Rosters to publish: per point and ISO week, a person × day grid, and hours per week against contract.

A cell holds what the advisor does that day at that point: the shift on site (`08:00–16:15`, the
unpaid lunch break in brackets), a shift at another point (its name), an absence with its reason
(absences.csv), the point's public holiday or closed day, or a day off. The first row of each
week is the point's opening hours. The same grid goes to roster/week_grid.csv, the workbook and
the report (one point-week per A4 landscape page when printed). Hours per week are numbers:
paid hours, the contract's share of that week (FTE × weekly hours over the week's contract days,
less public holidays and absences: the rule of roster_by_advisor.csv) and their difference.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import holidays
import pandas as pd

from planner.outputs.i18n import Words
from planner.rosters.roster import contract_minutes
from planner.scenario.schemas import WEEKDAYS, Scenario

DAY_COLUMNS = list(WEEKDAYS)  # mon … sun
# The holidays package's codes for Finland's languages: Swedish is sv_FI (asked for "sv" it answers in English).
HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


@lru_cache(maxsize=16)
def holiday_names(years: tuple[int, ...], lang: str) -> dict[dt.date, str]:
    """Finnish public holidays by their name in `lang` (the holidays package's own translations)."""
    try:
        found = holidays.country_holidays("FI", years=years, language=HOLIDAY_LANGUAGES[lang])
    except (NotImplementedError, KeyError, TypeError):  # an old holidays package without the language
        found = holidays.country_holidays("FI", years=years)
    return dict(found.items())


def _clock(text: object) -> str:
    return text if isinstance(text, str) else ""


def _minutes(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:5])


def _add(clock: str, minutes: int) -> str:
    total = _minutes(clock) + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def shift_text(row: pd.Series | dict) -> str:
    text = f"{row['start']}–{row['end']}"
    if _clock(row.get("break_start")) and row.get("break_minutes"):
        text += f" ({row['break_start']}–{_add(row['break_start'], int(row['break_minutes']))})"
    return text


@dataclass(frozen=True)
class Grids:
    """`grid`: one row per point, week and person (plus the opening-hours row); `hours`: per advisor and week."""

    grid: pd.DataFrame
    hours: pd.DataFrame


def _staff_of(scenario: Scenario, point: str, roster: pd.DataFrame) -> list:
    worked_here = set(roster.loc[roster["point"] == point, "advisor"])
    return [a for a in scenario.advisors
            if a.point_id == point or point in a.other_points or a.advisor_id in worked_here]


def failed_points(summary: Mapping | None) -> dict[str, str]:
    """Point id → why its point group has no roster, from roster/summary.json `failed_groups` ("a+b" → reason)."""
    return {point: reason for group, reason in ((summary or {}).get("failed_groups") or {}).items()
            for point in group.split("+")}


def week_grids(scenario: Scenario, roster: pd.DataFrame, dates: list[dt.date], words: Words,
               failed: Mapping[str, str] | None = None) -> Grids:
    """The grids and weekly hours of `roster` (roster.csv's rows) over the roster period `dates`.

    `failed`: point id → why its group has no roster (`failed_points`). Such a point's week keeps its opening-hours
    row and, instead of a person × day grid that would read as everyone off, one row saying there is no roster and
    why (row kind "no_roster"); its advisors get no hours rows (no paid hours to set against the contract).
    """
    failed = failed or {}
    period = set(dates)
    names = holiday_names(tuple(sorted({d.year for d in dates})), words.lang)
    opening = {(o.point_id, o.weekday): f"{o.opens:%H:%M}–{o.closes:%H:%M}" for o in scenario.opening_hours}
    absences = {}
    for absence in scenario.absences:
        for day in dates:
            if absence.start <= day <= absence.end:
                absences[(absence.advisor_id, day)] = words.reason(absence.reason or "absence")
    worked = {(r["advisor"], dt.date.fromisoformat(r["date"])): r for r in roster.to_dict("records")}
    weeks = list(dict.fromkeys(d - dt.timedelta(days=d.weekday()) for d in dates))
    rows, hours = [], []
    for point in scenario.points:
        staff = _staff_of(scenario, point.point_id, roster)
        if not staff:
            continue
        for monday in weeks:
            days = [monday + dt.timedelta(days=n) for n in range(7)]
            week = monday.strftime("%G-W%V")
            base = {"point_id": point.point_id, "point": point.name, "week": week, "week_start": monday}
            cells = {}
            for column, day in zip(DAY_COLUMNS, days, strict=True):
                if day not in period:
                    cells[column] = ""
                elif day in names:
                    cells[column] = names[day]
                else:
                    cells[column] = opening.get((point.point_id, column), words("closed"))
            rows.append({**base, "row": "opening", "advisor": "", "name": words("opening_hours"), **cells,
                         "paid_hours": None, "contract_hours": None})
            if point.point_id in failed:  # not publishable: said in the grid itself, where the supervisor looks
                rows.append({**base, "row": "no_roster", "advisor": "",
                             "name": words("no_roster", reason=failed[point.point_id].rstrip(".")),
                             **{c: words("not_rostered") if d in period else "" for c, d in zip(DAY_COLUMNS, days,
                                                                                                strict=True)},
                             "paid_hours": None, "contract_hours": None})
                continue
            for advisor in staff:
                cells = {}
                paid = 0.0
                for column, day in zip(DAY_COLUMNS, days, strict=True):
                    shift = worked.get((advisor.advisor_id, day))
                    if day not in period:
                        cells[column] = ""
                    elif shift is not None and shift["point"] == point.point_id:
                        cells[column] = shift_text(shift)
                        paid += float(shift["paid_hours"])
                    elif shift is not None:
                        cells[column] = f"{shift_text(shift)} {words.point(shift['point'])}"
                    elif (advisor.advisor_id, day) in absences:
                        cells[column] = absences[(advisor.advisor_id, day)]
                    elif day in names:
                        cells[column] = names[day]
                    elif (point.point_id, column) not in opening:
                        cells[column] = words("closed")
                    else:
                        cells[column] = words("day_off")
                in_period = [d for d in days if d in period]
                contract = None if advisor.role == "backup" else round(
                    contract_minutes(scenario, advisor.advisor_id, in_period, advisor.fte) / 60, 2)
                name = advisor.name + (f" ({words('backup')})" if advisor.role == "backup" else "")
                rows.append({**base, "row": "advisor", "advisor": advisor.advisor_id, "name": name, **cells,
                             "paid_hours": round(paid, 2), "contract_hours": contract})
                if advisor.point_id == point.point_id:  # each advisor's hours once, at the home point
                    all_paid = sum(float(worked[(advisor.advisor_id, d)]["paid_hours"]) for d in in_period
                                   if (advisor.advisor_id, d) in worked)
                    hours.append({"advisor": advisor.advisor_id, "name": advisor.name, "point_id": point.point_id,
                                  "role": advisor.role, "week": week, "week_start": monday,
                                  "paid_hours": round(all_paid, 2), "contract_hours": contract,
                                  "difference_hours": None if contract is None else round(all_paid - contract, 2)})
    grid = pd.DataFrame(rows, columns=["point_id", "point", "week", "week_start", "row", "advisor", "name",
                                       *DAY_COLUMNS, "paid_hours", "contract_hours"])
    hours_table = pd.DataFrame(hours, columns=["advisor", "name", "point_id", "role", "week", "week_start",
                                               "paid_hours", "contract_hours", "difference_hours"])
    return Grids(grid, hours_table)


def grid_csv(grids: Grids) -> pd.DataFrame:
    """week_grid.csv: ISO dates as text, like every CSV of the run."""
    return grids.grid.assign(week_start=grids.grid["week_start"].map(lambda d: d.isoformat()))


def hours_csv(grids: Grids) -> pd.DataFrame:
    return grids.hours.assign(week_start=grids.hours["week_start"].map(lambda d: d.isoformat()))


def grid_html(grids: Grids, words: Words) -> str:
    """One table per point and week, each a page of its own when printed (A4 landscape)."""
    parts = []
    for (point_id, week), rows in grids.grid.groupby(["point_id", "week"], sort=False):
        monday = rows["week_start"].iloc[0]
        days = [monday + dt.timedelta(days=n) for n in range(7)]
        title = words("grid_title", point=words.point(point_id), week=week.split("-W")[1].lstrip("0"),
                      first=f"{days[0].day}.{days[0].month}.", last=f"{days[-1].day}.{days[-1].month}.{days[-1].year}")
        head = "".join(f"<th>{html.escape(words.day(d))}</th>" for d in days)
        body = []
        missing = rows.loc[rows["row"] == "no_roster", "name"]
        warning = "" if missing.empty else f'<p class="no-roster">{html.escape(missing.iloc[0])}</p>'
        for row in rows.to_dict("records"):
            kind = row["row"]
            cells = []
            for column in DAY_COLUMNS:
                text = row[column]
                css = "shift" if "–" in text and kind == "advisor" and text[:1].isdigit() else "other"
                if kind in ("opening", "no_roster"):
                    css = kind.replace("_", "-")
                cells.append(f'<td class="{css}">{html.escape(text).replace(" (", "<br>(")}</td>')
            number, contract = words.number(row["paid_hours"]), words.number(row["contract_hours"])
            body.append(f'<tr class="{kind}"><th>{html.escape(row["name"])}</th>{"".join(cells)}'
                        f"<td>{number}</td><td>{contract}</td></tr>")
        parts.append(f'<div class="grid-page" data-point="{html.escape(point_id)}"><h3>{html.escape(title)}</h3>'
                     f'{warning}<div class="scroll"><table class="grid"><thead><tr><th></th>{head}'
                     f'<th>{html.escape(words("hours_week"))}</th><th>{html.escape(words("contract_week"))}</th>'
                     f'</tr></thead><tbody>{"".join(body)}</tbody></table></div></div>')
    return f'<p>{html.escape(words("grid_note", off=words("day_off")))}</p>' + "".join(parts)
