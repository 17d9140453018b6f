"""Re-planning a published roster: keep what must stay, change as little as the rules need.

A supervisor publishes a roster, then someone falls ill. `planner roster … --keep ROSTER.csv
--from DATE` reads the published (possibly hand-edited) roster, keeps every shift before DATE
and every row marked fixed as it is, and re-plans the rest with a cost per changed
advisor-day (`[roster] change_weight`), so that only the days and people the new facts touch
change. The model side is `add_kept_shifts` / `add_changes` in models/advisor_roster.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from models import advisor_roster as ar
from planner.base.calendar import clock_label, parse_clock, roster_days
from planner.base.errors import Problem, ScenarioError
from planner.base.io import RawTable
from planner.base.text import quantity
from planner.scenario.schemas import Scenario

REQUIRED = ("date", "point", "advisor", "start", "end")
YES, NO = {"yes", "y", "true", "1", "x", "kyllä", "k", "ja"}, {"", "no", "n", "false", "0", "ei", "nej"}


@dataclass(frozen=True)
class KeptShift:
    shift: str  # shift type id, "<point> HH:MM-HH:MM"
    point: str
    row: int  # spreadsheet row in the kept file
    fixed: bool


@dataclass(frozen=True)
class KeptRoster:
    """A roster to re-plan: its period, the re-plan date and its shifts by (advisor, date)."""

    file: str
    start: dt.date
    weeks: int  # from `start`, the last week cut at the horizon end (calendar.roster_days)
    last: dt.date  # the period's last day
    replan_from: dt.date
    shifts: dict[tuple[str, dt.date], KeptShift]

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=k) for k in range((self.last - self.start).days + 1)]



def read_kept_roster(scenario: Scenario, raw: RawTable, start: dt.date, weeks: int,
                     replan_from: dt.date) -> KeptRoster:
    """The kept roster of `raw` (a roster.csv as `planner roster` writes it, or edited by hand).

    Columns date, point, advisor, start, end (HH:MM) are read; an optional column `fixed`
    (yes/no, kyllä/ei, ja/nej, x, 1/0) marks rows to keep after the re-plan date too; break
    columns are not read (each shift type has its break). Raises ScenarioError (exit 2) naming
    file, row and column for: a missing column, a bad date or time, a date outside the roster
    period, an unknown advisor or point, a point the advisor does not work at, a start–end
    that is no shift type of the point, two shifts for one advisor on one day, and a re-plan
    date outside the period.
    """
    from planner.rosters.roster import point_shifts  # roster imports this module's types

    file = raw.file
    dates = roster_days(start, weeks, scenario.horizon_end)  # the last week cut at the horizon end, as rostered
    last = dates[-1] if dates else start
    problems = [Problem(file, f"column {c!r} is missing; expected the columns of roster.csv ({', '.join(REQUIRED)})",
                        row=1, column=c) for c in REQUIRED if c not in raw.header]
    if not start <= replan_from <= last:
        problems.append(Problem(file, f"the re-plan date --from {replan_from} is outside the roster's period "
                                f"{start}–{last}; expected a day inside it (the period is the one in the summary.json "
                                "beside the roster, or --weeks)"))
    if problems:
        raise ScenarioError(problems)
    advisors = {a.advisor_id: a for a in scenario.advisors}
    points = {p.point_id for p in scenario.points}
    types = {p: point_shifts(scenario, p, dates) for p in sorted(points)}
    # Shift types by their real span: on a clock-change day a type reads other wall times.
    by_span = {(s.point, s.start, s.end): sid for p in types for sid, s in types[p].items()}
    shifts: dict[tuple[str, dt.date], KeptShift] = {}
    for n, cells in raw.rows:
        def bad(column: str, message: str) -> None:
            problems.append(Problem(file, message, row=n, column=column))  # noqa: B023 (used at once)

        try:
            day = dt.date.fromisoformat(cells["date"])
        except ValueError:
            bad("date", f"{cells['date']!r} is not a date; expected YYYY-MM-DD")
            continue
        if not start <= day <= last:
            bad("date", f"{day} is outside the roster's period {start}–{last}")
            continue
        advisor, point = cells["advisor"], cells["point"]
        if advisor not in advisors:
            bad("advisor", f"unknown advisor {advisor!r}; expected an advisor_id of advisors.csv")
            continue
        if point not in points:
            bad("point", f"unknown point {point!r}; expected a point_id of points.csv")
            continue
        if point not in (advisors[advisor].point_id, *advisors[advisor].other_points):
            bad("point", f"{advisor} does not work at {point} (advisors.csv point_id/other_points)")
            continue
        try:
            a, z = parse_clock(day, cells["start"]), parse_clock(day, cells["end"])
        except ValueError as exc:
            bad("start", f"start {cells['start']!r} or end {cells['end']!r}: {exc}; expected HH:MM")
            continue
        shift = by_span.get((point, a, z))
        if shift is None:
            known = ", ".join(f"{clock_label(day, s.start)}-{clock_label(day, s.end)}" for s in list(types[point].values())[:8])
            bad("start", f"no shift type of {point} runs {clock_label(day, a)}–{clock_label(day, z)} on {day}; expected "
                         f"one of {known}{' …' if len(types[point]) > 8 else ''} (scenario.toml [workforce] shift lengths)")
            continue
        flag = cells.get("fixed", "").strip().lower()
        if flag not in YES | NO:
            bad("fixed", f"{cells['fixed']!r} is not yes or no; expected yes/no (kyllä/ei, ja/nej, x, 1/0)")
            continue
        if (advisor, day) in shifts:
            bad("date", f"a second shift for {advisor} on {day} (first on row {shifts[(advisor, day)].row}); "
                        "expected one shift a day")
            continue
        shifts[(advisor, day)] = KeptShift(shift, point, n, flag in YES)
    if problems:
        raise ScenarioError(problems)
    return KeptRoster(file, start, weeks, last, replan_from, shifts)


def kept_days(kept: KeptRoster, advisors: list, dates: list[dt.date], day_label) -> tuple[ar.KeptDay, ...]:
    """Every advisor-day of the group over `dates` as the kept roster has it (no row = a day off)."""
    out = []
    for a in advisors:
        for d, date in enumerate(dates):
            k = kept.shifts.get((a.advisor_id, date))
            kind = "past" if date < kept.replan_from else "fixed" if k is not None and k.fixed else "free"
            what = f"{k.shift} ({kept.file} row {k.row}{', fixed' if kind == 'fixed' else ''})" if k else "day off"
            out.append(ar.KeptDay(a.advisor_id, d, k.shift if k else None, kind,
                                  f"{a.name}, {day_label(date)}: {what}"))
    return tuple(out)


def changes_table(scenario: Scenario, kept: KeptRoster, assignment: dict[tuple[str, dt.date], str]) -> pd.DataFrame:
    """One row per advisor-day from the re-plan date on whose shift changed: before and after.

    `assignment`: (advisor, date) → shift id of the new roster. Columns: date, advisor, name,
    before, after (shift type "<point> HH:MM-HH:MM"; "absent: REASON" on a day of absences.csv, its reason as written
    there, or "absent" without one; else "off"), change (added, removed, moved).
    """
    names = {a.advisor_id: a.name for a in scenario.advisors}

    def free(advisor: str, date: dt.date) -> str:
        # A sick day re-planned is not a day off: say the absence, as absences.csv words it.
        away = [a for a in scenario.absences if a.advisor_id == advisor and a.start <= date <= a.end]
        return "off" if not away else f"absent: {away[0].reason}" if away[0].reason.strip() else "absent"

    keys = {k for k in kept.shifts if k[1] >= kept.replan_from} | {k for k in assignment if k[1] >= kept.replan_from}
    rows = []
    for advisor, date in sorted(keys, key=lambda k: (k[1], k[0])):
        before = kept.shifts[(advisor, date)].shift if (advisor, date) in kept.shifts else None
        after = assignment.get((advisor, date))
        if before == after:
            continue
        rows.append({"date": date.isoformat(), "advisor": advisor, "name": names.get(advisor, advisor),
                     "before": before or free(advisor, date), "after": after or free(advisor, date),
                     "change": "added" if before is None else "removed" if after is None else "moved"})
    return pd.DataFrame(rows, columns=["date", "advisor", "name", "before", "after", "change"])


SHORT_FAMILIES = ("unmanned", "cover_under")  # the counter breaches a sick day causes: nobody on duty, cover short


def short_days(violations: pd.DataFrame, replan_from: dt.date, interval_minutes: int,
               published: pd.DataFrame | None = None) -> pd.DataFrame:
    """The points and days a re-plan leaves short at the counter, from `replan_from` on, and by how much.

    `violations`: the re-plan's violations.csv; `published`: the published roster's violations.csv (beside the kept
    roster), None when not there. One row per point and day with cover below the requirement or nobody on duty:
    date, point, short_hours (advisor-hours below the sizing requirement: advisors short × interval minutes ÷ 60,
    summed over the day's intervals), unmanned_hours (hours with fewer than the minimum on duty, times missing
    persons), when (the clock spans short, "09:00–09:45, 15:00–16:00"), was_short_hours (the same day's short_hours in the
    published roster; None when its violations.csv is not there) and new (the published roster was not short then).
    """
    columns = ["date", "point", "short_hours", "unmanned_hours", "when", "was_short_hours", "new"]
    frame = violations[violations["family"].isin(SHORT_FAMILIES)
                       & (violations["date"].astype(str) >= replan_from.isoformat())]
    if frame.empty:
        return pd.DataFrame(columns=columns)

    def hours(rows: pd.DataFrame, family: str) -> pd.Series:
        mine = rows[rows["family"] == family]
        return (mine["amount"] * mine["intervals"] * interval_minutes / 60).groupby(
            [mine["date"].astype(str), mine["point"]]).sum()

    short, unmanned = hours(frame, "cover_under"), hours(frame, "unmanned")
    before = None
    if published is not None:
        before = hours(published[published["family"].isin(SHORT_FAMILIES)], "cover_under")
    rows = []
    for (date, point), day in frame.groupby([frame["date"].astype(str), "point"], sort=True):
        was = None if before is None else float(before.get((date, point), 0.0))
        now = float(short.get((date, point), 0.0))
        rows.append({"date": date, "point": point, "short_hours": round(now, 2),
                     "unmanned_hours": round(float(unmanned.get((date, point), 0.0)), 2),
                     "when": ", ".join(_merged(sorted(zip(day["start"].astype(str), day["end"].astype(str),
                                                                   strict=True)))),
                     "was_short_hours": None if was is None else round(was, 2),
                     "new": None if was is None else now > was + 1e-9})
    return pd.DataFrame(rows, columns=columns)


def skill_gaps(violations: pd.DataFrame, replan_from: dt.date, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """The point-days from `replan_from` on where a provider with demand has nobody trained for it on duty.

    `violations`: the re-plan's violations.csv; `published`: the published roster's, None when not there. One row
    per breach (violations.csv's `missing_skill` rows): date, point, message ("Salla, Tue 10 Feb: nobody trained for
    poliisi on duty") and new (the published roster had no such breach that day; None without its violations.csv).
    A sick day of the only advisor trained for a provider leaves such a gap without any counter shortfall.
    """
    columns = ["date", "point", "message", "new"]
    frame = violations[(violations["family"] == "missing_skill")
                       & (violations["date"].astype(str) >= replan_from.isoformat())]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    before = None
    if published is not None and "message" in published.columns:
        mine = published[published["family"] == "missing_skill"]
        before = set(zip(mine["date"].astype(str), mine["message"].astype(str), strict=True))
    rows = [{"date": str(r.date), "point": r.point, "message": str(r.message),
             "new": None if before is None else (str(r.date), str(r.message)) not in before}
            for r in frame.sort_values(["date", "point"], kind="stable").itertuples()]
    return pd.DataFrame(rows, columns=columns)


def short_lines(short: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """`short_days` in plain words, one line per point and day, for the terminal."""
    lines = []
    for r in short.itertuples():
        day = dt.date.fromisoformat(r.date)
        text = (f"{names.get(r.point, r.point)}, {day:%a} {day.day} {day:%b}: {quantity(r.short_hours, 'advisor-hour')} short "
                f"of the counter requirement ({r.when})")
        if r.unmanned_hours:
            text += f", and {r.unmanned_hours:g} h with nobody on duty"
        if r.was_short_hours is not None:
            text += (f" (the published roster: {r.was_short_hours:g} h short)" if r.was_short_hours
                     else " (the published roster was not short)")
        lines.append(text)
    return lines


def _merged(spans: list[tuple[str, str]]) -> list[str]:
    """Sorted clock spans ("HH:MM", "HH:MM") joined where they touch or overlap, as "HH:MM–HH:MM"."""
    out: list[list[str]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [f"{a}–{b}" for a, b in out]
