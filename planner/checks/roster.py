"""Score any roster (from the tool or edited by a person) against the scenario, without a solver.

An independent restatement of the roster rules: it shares the inputs (scenario, counter
requirement from planner/staffing/sizing, calendar) with the roster model but none of its
code, so a roster the solver writes must come out with no hard breach and exactly the
objective the solver reported. The one thing shared is the wording of the weeks behind a
contract breach (planner/checks/contract_weeks.week_breakdown), so that both sides'
messages read the same; the amounts it words are computed here.

One function per rule, hard rules first, each yielding a Finding per breach; every row is
checked against every rule, so a row that breaks three rules gives three findings. The soft
rules' weights are scenario.toml [roster] (planner/scenario/schemas.RosterConfig).

Times are real: a roster cell's wall time is read on its date into elapsed minutes after
local midnight (planner/base/calendar.parse_clock; "HH:MM+hh:mm" names a pass of the
repeated autumn hour, a time the spring night skips is unreadable), so shift lengths, paid
minutes and rests count the hour a clock-change night lacks or repeats.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from planner.base.calendar import (
    clock_label,
    day_minutes,
    elapsed,
    finnish_holidays,
    open_days,
    parse_clock,
    roster_days,
    work_periods,
)
from planner.base.errors import Problem, ScenarioError
from planner.base.text import quantity
from planner.checks.contract_weeks import week_breakdown
from planner.checks.findings import CheckResult, Finding, Subject, hard, soft
from planner.scenario.schemas import AdvisorRow, Scenario

Rule = Literal[
    # hard: a roster that breaks one is not allowed
    "outside_period", "one_shift_a_day", "allowed_point", "absence", "closed",
    "opening_hours", "shift_type", "daily_rest", "weekly_rest", "on_duty",
    # soft: penalised by scenario.toml [roster] weights (the same family names as the model's violations.csv)
    "unmanned", "cover_under", "cover_over", "missing_skill", "contract_under", "contract_over", "backup_used",
    "isolated_day", "request_day_off", "request_prefer_shift", "request_avoid_shift", "fair_late", "fair_saturday",
    "fair_single_off",
]
Findings = Iterator[Finding[Rule]]

DAILY_REST = 11 * 60
WEEKLY_REST = 35 * 60


@dataclass(frozen=True)
class Shift:
    point: str
    advisor: str
    date: dt.date
    start: int
    end: int
    break_start: int | None
    break_min: int
    # Where the shift was read, "roster.csv row 7" (a finding about it names the row to correct); not the shift itself.
    row: str = field(default="", compare=False)

    @property
    def paid(self) -> int:
        return self.end - self.start - self.break_min

    def serves(self, a: int, z: int) -> bool:
        if not (self.start <= a and z <= self.end):
            return False
        return self.break_start is None or not (self.break_start < z and a < self.break_start + self.break_min)


@dataclass(frozen=True)
class Interval:
    """One counter interval of a point: who serves in it against the sizing requirement."""

    point: str
    date: dt.date
    start: int
    end: int
    on_duty: int
    required: int
    label: str  # "Saarijärvi, Mon 5 Jan 10:00–10:15"


@dataclass(frozen=True)
class Roster:
    """A roster as read, with the scenario facts its rules read."""

    scenario: Scenario
    dates: list[dt.date]
    index: dict[dt.date, int]
    shifts: list[Shift]  # every readable row with a known advisor and point inside the period
    worked: dict[tuple[str, int], Shift]  # (advisor, day) → the day's first shift: what the soft rules score
    span: dict[tuple[str, int], tuple[int, int]]  # (advisor, day) → first start, last end that day
    windows: dict[tuple[str, dt.date], tuple[int, int]]  # (point, open day) → opens, closes (elapsed minutes)
    away: dict[tuple[str, dt.date], str]  # (advisor, day) on absences.csv → "sick leave, Thu 8 Jan–Fri 9 Jan"
    requirements: pd.DataFrame  # the counter requirement per point and interval, over the period
    intervals: list[Interval]
    advisors: dict[str, AdvisorRow]
    names: dict[str, str]  # point id → name
    # Work periods (day-index ranges, [roster] period_weeks): contract balances and fairness
    # counts are scored per period, cumulatively; one range for a roster of one period.
    periods: list[range]

    def who(self, s: Shift) -> str:
        return f"{self.advisors[s.advisor].name}, {_label(s.date)}"

    def mine(self, advisor: str) -> dict[int, Shift]:
        return {d: s for (x, d), s in self.worked.items() if x == advisor}


def _minutes(day: dt.date, text: str) -> int:
    """A roster cell's wall time on `day` ("HH:MM", "HH:MM+hh:mm" in the repeated autumn hour) → elapsed minutes."""
    return parse_clock(day, text)


def _label(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _hours(minutes: float) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def _span(s: Shift) -> str:
    """"08:00–16:00": the shift as the wall clock reads it that day."""
    return f"{clock_label(s.date, s.start)}–{clock_label(s.date, s.end)}"


def _of(s: Shift) -> dict:
    """Where and when a finding about shift `s` is, and the row it was read from."""
    return {"date": s.date, "start": s.start, "end": s.end, "point": s.point, "row": s.row}


# ------------------------------------------------------------------ reading the rows


ROSTER_FILE = "roster.csv"
COLUMNS = ("date", "point", "advisor", "start", "end")  # read; break_start, break_minutes optional, others ignored
_CLOCK_WORDS = "a time HH:MM (HH:MM+hh:mm in the repeated autumn hour)"
_ANY_DAY = dt.date(2015, 1, 5)  # a day without a clock change: a time's form is checked on it when the date is unreadable
MAX_IDS_LISTED = 12


def _ids(known: set[str], file: str, column: str) -> str:
    """'a point_id of points.csv: a, b, c' (the first MAX_IDS_LISTED, the rest counted)."""
    listed = sorted(known)
    more = f", … ({len(listed)} in all)" if len(listed) > MAX_IDS_LISTED else ""
    return f"{column} of {file}: {', '.join(listed[:MAX_IDS_LISTED]) or '(none)'}{more}"


def read_rows(scenario: Scenario, rows: list[dict[str, str]], dates: list[dt.date], file: str = ROSTER_FILE,
              numbers: list[int] | None = None, header: tuple[str, ...] | None = None
              ) -> tuple[list[Shift], list[Finding]]:
    """The shifts of roster.csv cells, and a hard finding for each readable row outside the period.

    `numbers` are the rows' spreadsheet row numbers (default 2, 3, …: the header is row 1) and
    `header` the file's columns (default: the first row's keys). A row that cannot be scored at
    all — a bad date, time or break, an unknown advisor or point, a missing column — is bad
    input, not a breach: ScenarioError (exit 2) naming `file`, row and column, for every such
    cell of every row at once.
    """
    header = tuple(rows[0]) if header is None and rows else header or COLUMNS
    missing = [Problem(file, f"required column {c!r} is missing; expected the columns of roster.csv "
                       f"({', '.join(COLUMNS)}; break_start, break_minutes optional)", row=1, column=c)
               for c in COLUMNS if c not in header]
    if missing:
        raise ScenarioError(missing)
    advisors = {a.advisor_id for a in scenario.advisors}
    points = {p.point_id for p in scenario.points}
    shifts: list[Shift] = []
    findings: list[Finding] = []
    problems: list[Problem] = []
    for n, row in zip(numbers or range(2, len(rows) + 2), rows, strict=True):
        cell = {c: (row.get(c) or "").strip() for c in (*COLUMNS, "break_start", "break_minutes")}
        bad = len(problems)

        def refuse(column: str, expected: str) -> None:
            found = cell[column]  # noqa: B023 (used at once)
            problems.append(Problem(file, f"found {found!r}; expected {expected}" if found else
                                    f"the value is missing; expected {expected}", row=n, column=column))  # noqa: B023

        try:
            day = dt.date.fromisoformat(cell["date"])
        except ValueError:
            day = None
            refuse("date", "a date YYYY-MM-DD")
        if cell["advisor"] not in advisors:
            refuse("advisor", "an " + _ids(advisors, "advisors.csv", "advisor_id"))
        if cell["point"] not in points:
            refuse("point", "a " + _ids(points, "points.csv", "point_id"))
        clock: dict[str, int | None] = {}
        for column in ("start", "end", "break_start"):
            if column == "break_start" and not cell[column]:
                clock[column] = None
                continue
            try:
                clock[column] = _minutes(day or _ANY_DAY, cell[column])
            except ValueError as exc:
                if "does not exist" not in str(exc):
                    refuse(column, _CLOCK_WORDS)
                elif day is not None:  # the right form, but the day lacks it (the spring night) or that UTC offset
                    refuse(column, f"a time that exists on {day} ({str(exc).rsplit('(', 1)[1].rstrip(')')})")
        try:
            break_min = int(float(cell["break_minutes"] or 0))
        except (ValueError, OverflowError):
            refuse("break_minutes", "the break's length in minutes, e.g. 30 (0 or empty for none)")
        if len(problems) > bad or day is None:
            continue
        s = Shift(cell["point"], cell["advisor"], day, clock["start"], clock["end"], clock["break_start"], break_min,
                  f"{file} row {n}")
        if not dates[0] <= day <= dates[-1]:
            findings.append(hard("outside_period", Subject("advisor", s.advisor),  # the row is named beside it (row=)
                                 f"{day} is outside the roster period {dates[0]}–{dates[-1]}",
                                 alike=f"dated outside the period {dates[0]} – {dates[-1]}", **_of(s)))
        else:
            shifts.append(s)
    if problems:
        raise ScenarioError(problems)
    return shifts, findings


def facts(scenario: Scenario, dates: list[dt.date], shifts: list[Shift], requirements: pd.DataFrame) -> Roster:
    index = {d: k for k, d in enumerate(dates)}
    interval = scenario.config.horizon.interval_minutes
    names = {p.point_id: p.name for p in scenario.points}
    worked: dict[tuple[str, int], Shift] = {}
    span: dict[tuple[str, int], tuple[int, int]] = {}
    for s in shifts:
        key = (s.advisor, index[s.date])
        worked.setdefault(key, s)
        first, last = span.get(key, (s.start, s.end))
        span[key] = (min(first, s.start), max(last, s.end))
    at: dict[tuple[str, dt.date], list[Shift]] = defaultdict(list)
    for s in worked.values():
        at[(s.point, s.date)].append(s)
    req = requirements[requirements["date"].dt.date.isin(set(dates))]
    intervals = []
    for r in req.itertuples():
        day, a = r.date.date(), int(r.interval_start)
        z = a + interval
        on = sum(1 for s in at[(r.point_id, day)] if s.serves(a, z))
        intervals.append(Interval(r.point_id, day, a, z, on, int(r.required),
                                  f"{names[r.point_id]}, {_label(day)} {clock_label(day, a)}–{clock_label(day, z)}"))
    return Roster(
        scenario=scenario, dates=dates, index=index, shifts=shifts, worked=worked, span=span,
        windows={(r.point_id, r.date.date()): (int(r.opens), int(r.closes))
                 for r in open_days(scenario).itertuples() if r.date.date() in index},
        away={(a.advisor_id, d): f"{a.reason or 'no reason given'}, {_label(a.start)}–{_label(a.end)}"
              for a in scenario.absences for d in dates if a.start <= d <= a.end},
        requirements=req, intervals=intervals, advisors={a.advisor_id: a for a in scenario.advisors}, names=names,
        periods=work_periods(len(dates), scenario.config.roster.period_weeks))


# ------------------------------------------------------------------ hard rules


def one_shift_a_day(r: Roster) -> Findings:
    """Hard: at most one shift per advisor and day (the roster model's one-shift rule). The finding is on the second
    row and names the first one's row too (the trial: a hand-edited roster named only one of the two rows)."""
    first: dict[tuple[str, dt.date], Shift] = {}
    for s in r.shifts:
        if (s.advisor, s.date) in first:
            other = first[(s.advisor, s.date)].row
            yield hard("one_shift_a_day", Subject("advisor", s.advisor),
                       f"{r.who(s)}: more than one shift" + (f" (the other is {other})" if other else ""), **_of(s))
        first.setdefault((s.advisor, s.date), s)


def only_at_own_points(r: Roster) -> Findings:
    """Hard: an advisor works only at their point and its other_points (advisors.csv)."""
    for s in r.shifts:
        a = r.advisors[s.advisor]
        if s.point not in (a.point_id, *a.other_points):
            yield hard("allowed_point", Subject("advisor", s.advisor),
                       f"{r.who(s)}: works at {r.names[s.point]}, not one of the advisor's points", **_of(s))


def not_while_away(r: Roster) -> Findings:
    """Hard: nobody works on a day of their absence (absences.csv)."""
    for s in r.shifts:
        if (s.advisor, s.date) in r.away:
            yield hard("absence", Subject("advisor", s.advisor),
                       f"{r.who(s)}: rostered while away (absences.csv: {r.away[(s.advisor, s.date)]})", **_of(s))


def only_when_point_open(r: Roster) -> Findings:
    """Hard: nobody works at a point on a day it is closed (opening_hours.csv, closures, public holidays)."""
    for s in r.shifts:
        if (s.point, s.date) not in r.windows:
            yield hard("closed", Subject("advisor", s.advisor),
                       f"{r.names[s.point]}, {_label(s.date)}: rostered while the point is closed", **_of(s))


def within_opening_hours(r: Roster) -> Findings:
    """Hard: a shift starts no earlier than the interval the point opens in and ends by closing time."""
    interval = r.scenario.config.horizon.interval_minutes
    for s in r.shifts:
        window = r.windows.get((s.point, s.date))
        if window is None:
            continue
        opens, closes = (window[0] // interval) * interval, window[1]
        outside = max(0, opens - s.start) + max(0, s.end - closes)
        if outside:
            yield hard("opening_hours", Subject("advisor", s.advisor),
                       f"{r.who(s)}: {_span(s)} is outside the opening hours "
                       f"{clock_label(s.date, window[0])}–{clock_label(s.date, window[1])}", amount=outside, **_of(s))


def allowed_shift(r: Roster) -> Findings:
    """Hard: a shift of an allowed length, with its lunch break where one is due (scenario.toml [workforce])."""
    wf, interval = r.scenario.config.workforce, r.scenario.config.horizon.interval_minutes
    lengths = {int(round(x * 60 / interval)) * interval for x in wf.shift_lengths_hours}
    break_length = int(round(wf.break_minutes / interval)) * interval
    lo, hi = (int(x * 60) for x in wf.break_window_hours)
    for s in r.shifts:
        length = s.end - s.start
        if length > wf.break_after_hours * 60:
            ok_break = (s.break_min == break_length and s.break_start is not None
                        and lo <= s.break_start - s.start <= min(hi, length - break_length)
                        and (s.break_start - s.start) % interval == 0)
        else:
            ok_break = s.break_min == 0 and s.break_start is None
        if length not in lengths or not ok_break:
            yield hard("shift_type", Subject("advisor", s.advisor),
                       f"{r.who(s)}: {_span(s)} with a {s.break_min} min break is not an "
                       "allowed shift (scenario.toml [workforce])", **_of(s))


def daily_rest_11h(r: Roster) -> Findings:
    """Hard: at least 11 h rest between the end of one day's work and the next day's start (Working Hours Act §25).

    Real time: the day's length is 23 or 25 h on a clock-change night (planner/base/calendar).
    """
    for (advisor, d), (_, end) in sorted(r.span.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        nxt = r.span.get((advisor, d + 1))
        if nxt is not None and day_minutes(r.dates[d]) + nxt[0] - end < DAILY_REST:
            rest = day_minutes(r.dates[d]) + nxt[0] - end
            yield hard("daily_rest", Subject("advisor", advisor),
                       f"{r.advisors[advisor].name}, {_label(r.dates[d])}–{_label(r.dates[d + 1])}: "
                       f"{rest / 60:g} h rest, under 11 h (Working Hours Act §25)",
                       amount=DAILY_REST - rest, date=r.dates[d + 1], point=r.worked[(advisor, d)].point,
                       row=r.worked[(advisor, d + 1)].row)


def _rest_day(r: Roster, advisor: str, d: int) -> bool:
    """Day `d` holds a 35 h rest: not worked, and at a roster end or 35 h from the day before's end to the next start."""
    if (advisor, d) in r.span:
        return False
    if d == 0 or d == len(r.dates) - 1:
        return True
    before, after = r.span.get((advisor, d - 1)), r.span.get((advisor, d + 1))
    gap = day_minutes(r.dates[d - 1]) + day_minutes(r.dates[d])  # real minutes: a clock-change night counts as it is
    return before is None or after is None or gap + after[0] - before[1] >= WEEKLY_REST


def weekly_rest_35h(r: Roster) -> Findings:
    """Hard: a 35 h rest in every 7-day block from the roster's first day (Working Hours Act §27)."""
    for advisor in r.advisors:
        for block in range(0, len(r.dates) - 6, 7):
            if not any(_rest_day(r, advisor, d) for d in range(block, block + 7)):
                yield hard("weekly_rest", Subject("advisor", advisor),
                           f"{r.advisors[advisor].name}: no 35 h rest in the week from {_label(r.dates[block])} "
                           "(Working Hours Act §27)", date=r.dates[block])


def someone_on_duty(r: Roster) -> Findings:
    """Hard when [roster] on_duty_hard: min_on_duty advisors serve whenever a point is open (else soft: unmanned)."""
    if not r.scenario.config.roster.on_duty_hard:
        return
    least = r.scenario.config.workforce.min_on_duty
    for iv in r.intervals:
        if iv.on_duty < least:
            # how many serve against how many must: "nobody" would be wrong when one of two is there
            yield hard("on_duty", Subject("point", iv.point),
                       f"{iv.label}: {iv.on_duty or 'nobody'} on duty, {least} required whenever open "
                       "([workforce] min_on_duty)", amount=least - iv.on_duty, date=iv.date, start=iv.start, end=iv.end)


# ------------------------------------------------------------------ soft rules


def unmanned(r: Roster) -> Findings:
    """Soft (very heavy): min_on_duty advisors serve whenever a point is open, unless that rule is hard."""
    cfg, least = r.scenario.config.roster, r.scenario.config.workforce.min_on_duty
    if cfg.on_duty_hard:
        return
    for iv in r.intervals:
        short = max(0, least - iv.on_duty)
        yield from soft("unmanned", Subject("point", iv.point), short, cfg.unmanned_weight,
                        f"{iv.label}: {quantity(short, 'advisor')} short of the {least} on duty whenever open",
                        date=iv.date, start=iv.start, end=iv.end)


def _cover(r: Roster, rule: Rule, weight: float, off: Callable[[Interval], int], words: str) -> Findings:
    """Per counter interval, `off` advisors against the requirement ("{label}: 2 advisors short of 3")."""
    for iv in r.intervals:
        yield from soft(rule, Subject("point", iv.point), off(iv), weight, f"{iv.label}: {quantity(off(iv), 'advisor')} {words} "
                        f"{iv.required}", date=iv.date, start=iv.start, end=iv.end)


def cover_under(r: Roster) -> Findings:
    """Soft (heavy): the advisors serving cover the sizing requirement (Erlang C, planner/staffing)."""
    yield from _cover(r, "cover_under", r.scenario.config.roster.cover_under_weight,
                      lambda iv: max(0, iv.required - iv.on_duty), "short of")


def cover_over(r: Roster) -> Findings:
    """Soft (light): no more advisors serving than the sizing requirement."""
    yield from _cover(r, "cover_over", r.scenario.config.roster.cover_over_weight,
                      lambda iv: max(0, iv.on_duty - iv.required), "above")


def missing_skill(r: Roster) -> Findings:
    """Soft: on a day a provider has demand at a point, someone trained for it is on duty (advisors.csv skills)."""
    weight = r.scenario.config.roster.missing_skill_weight
    providers = [p.provider_id for p in r.scenario.providers]
    daily = r.requirements.groupby(["point_id", "date"])[[f"arrivals_{p}" for p in providers]].sum()
    for (point, date), row in daily.iterrows():
        day = date.date()
        here = [s for s in r.worked.values() if (s.point, s.date) == (point, day)]
        for p in providers:
            if row[f"arrivals_{p}"] > 0 and not any(p in r.advisors[s.advisor].skills for s in here):
                yield from soft("missing_skill", Subject("point", point), 1, weight,
                                f"{r.names[point]}, {_label(day)}: nobody trained for {p} on duty", date=day)


def _contract(r: Roster, a: AdvisorRow, over: bool) -> Findings:
    """Paid minutes against FTE × weekly hours over the workdays less holidays and absences, ± tolerance.

    Per work period: the target and tolerance are the period's, and the balance of the periods
    before it (paid − target so far) carries, so what is scored is the cumulative deviation
    beyond the period's tolerance. A roster of one period is scored over its whole length.
    """
    cfg, wf = r.scenario.config.roster, r.scenario.config.workforce
    holidays = finnish_holidays(r.dates[0].year, r.dates[-1].year)
    daily = a.fte * wf.weekly_hours * 60 / 5
    by_day = {r.dates[d]: s.paid for d, s in r.mine(a.advisor_id).items()}
    rule: Rule = "contract_over" if over else "contract_under"
    carried = 0  # paid − target minutes over the earlier periods
    for k, days in enumerate(r.periods, start=1):
        dates = [r.dates[d] for d in days]
        counted = {d for d in dates if d.weekday() < 5 and d not in holidays and (a.advisor_id, d) not in r.away}
        target = round(daily * len(counted))
        tolerance = round(cfg.contract_tolerance_hours_per_week * (len(dates) / 7) * 60)
        paid = sum(by_day.get(d, 0) for d in dates)
        off = max(0, carried + paid - target - tolerance) if over else max(0, target - tolerance - paid - carried)
        where = (f"over work period {k} ({dates[0]}–{dates[-1]})" if len(r.periods) > 1 else "over the roster")
        extra = f", {carried / 60:+g} h carried from earlier work periods" if carried else ""
        yield from soft(rule, Subject("advisor", a.advisor_id), off,
                        cfg.contract_over_weight if over else cfg.contract_under_weight,
                        f"{a.name}: {_hours(off)} h {'over' if over else 'under'} contract beyond its tolerance {where} "
                        f"(target {target / 60:g} h ± {tolerance / 60:g} h{extra})"
                        + week_breakdown(dates, by_day, counted, daily, over=over),
                        **({"date": dates[0]} if len(r.periods) > 1 else {}))
        carried += paid - target


def contract_under(r: Roster) -> Findings:
    """Soft: an advisor's paid hours are not below the contract less the tolerance (averaged over the roster)."""
    for a in r.scenario.advisors:
        if a.role == "advisor":
            yield from _contract(r, a, over=False)


def contract_over(r: Roster) -> Findings:
    """Soft: an advisor's paid hours are not above the contract plus the tolerance (averaged over the roster)."""
    for a in r.scenario.advisors:
        if a.role == "advisor":
            yield from _contract(r, a, over=True)


def backup_used(r: Roster) -> Findings:
    """Soft: backup persons (advisors.csv role = backup) work only when needed, per day worked."""
    weight = r.scenario.config.roster.backup_day_weight
    for a in r.scenario.advisors:
        if a.role != "advisor":
            for d, s in sorted(r.mine(a.advisor_id).items()):
                yield from soft("backup_used", Subject("advisor", a.advisor_id), 1, weight,
                                f"{a.name}, {_label(r.dates[d])}: backup person on duty", date=s.date, point=s.point)


def isolated_day(r: Roster) -> Findings:
    """Soft: no isolated working day (a day off on both sides): work comes in runs."""
    weight = r.scenario.config.roster.isolated_day_weight
    for a in r.scenario.advisors:
        mine = r.mine(a.advisor_id)
        for d in range(1, len(r.dates) - 1):
            if d in mine and d - 1 not in mine and d + 1 not in mine:
                yield from soft("isolated_day", Subject("advisor", a.advisor_id), 1, weight,
                                f"{a.name}, {_label(r.dates[d])}: isolated working day", date=r.dates[d],
                                point=mine[d].point)


def _requests(r: Roster, kind: str, rule: Rule, what: str, breached: Callable[[bool, bool], bool]) -> Findings:
    """roster_requests.csv rows of `kind`; `breached(works, works_the_shift_asked_about)` says when one is not met."""
    for q in r.scenario.roster_requests:
        if q.kind != kind or q.date not in r.index or q.advisor_id not in r.advisors:
            continue
        s = r.worked.get((q.advisor_id, r.index[q.date]))
        start = None if q.start is None else elapsed(q.date, q.start.hour * 60 + q.start.minute)
        shift = f" a shift starting {clock_label(q.date, start)}" if start is not None and kind != "day_off" else ""
        yield from soft(rule, Subject("advisor", q.advisor_id),
                        int(breached(s is not None, s is not None and (start is None or s.start == start))), q.weight,
                        f"{r.advisors[q.advisor_id].name} asked {what}{shift} on {_label(q.date)}", date=q.date)


def request_day_off(r: Roster) -> Findings:
    """Soft: a day off asked for in roster_requests.csv is given."""
    yield from _requests(r, "day_off", "request_day_off", "for a day off", lambda works, _: works)


def request_prefer_shift(r: Roster) -> Findings:
    """Soft: a shift (or any shift) asked for in roster_requests.csv is worked."""
    yield from _requests(r, "prefer_shift", "request_prefer_shift", "to work", lambda _, match: not match)


def request_avoid_shift(r: Roster) -> Findings:
    """Soft: a shift (or any shift) asked to be spared in roster_requests.csv is not worked."""
    yield from _requests(r, "avoid_shift", "request_avoid_shift", "not to work", lambda _, match: match)


def _fair(r: Roster, rule: Rule, weight: float, what: str, count: Callable[[dict[int, Shift], int], int]) -> Findings:
    """Per point with two advisors or more: the spread of `count` per full-time, in tenths (one shift of an advisor
    at FTE f is worth round(10 / f)).

    Per work period: `count(mine, last)` counts from the roster's start to the period's last
    day `last`, so each period scores the spread of the cumulative counts.
    """
    for point in sorted(r.names):
        group = [a for a in r.scenario.advisors if a.point_id == point and a.role == "advisor"]
        if len(group) < 2:
            continue
        for days in r.periods:
            counts = [round(10 / a.fte) * count(r.mine(a.advisor_id), days[-1]) for a in group]
            spread = max(counts) - min(counts)
            by = f" by {_label(r.dates[days[-1]])}" if len(r.periods) > 1 else ""
            yield from soft(rule, Subject("point", point), spread, weight,
                            f"{r.names[point]}: {what} per full-time differ by {spread / 10:g} between advisors{by}")


def fair_late(r: Roster) -> Findings:
    """Soft: a point's advisors share the closing shifts evenly per full-time."""
    yield from _fair(r, "fair_late", r.scenario.config.roster.fair_late_weight, "closing shifts",
                     lambda mine, last: sum(1 for d, s in mine.items()
                                            if d <= last and s.end == r.windows.get((s.point, s.date), (0, -1))[1]))


def fair_saturday(r: Roster) -> Findings:
    """Soft: a point's advisors share the Saturdays evenly per full-time."""
    yield from _fair(r, "fair_saturday", r.scenario.config.roster.fair_saturday_weight, "Saturdays",
                     lambda mine, last: sum(1 for d in mine if d <= last and r.dates[d].weekday() == 5))


def fair_single_off(r: Roster) -> Findings:
    """Soft: a point's advisors share the single days off (worked on both sides) evenly per full-time."""
    yield from _fair(r, "fair_single_off", r.scenario.config.roster.fair_single_off_weight, "single days off",
                     # a day off is single once its next day is known: up to the period's last day but one
                     lambda mine, last: sum(1 for d in range(1, last)
                                            if d - 1 in mine and d not in mine and d + 1 in mine))


RULES: tuple[Callable[[Roster], Findings], ...] = (
    one_shift_a_day, only_at_own_points, not_while_away, only_when_point_open, within_opening_hours, allowed_shift,
    daily_rest_11h, weekly_rest_35h, someone_on_duty,
    unmanned, cover_under, cover_over, missing_skill, contract_under, contract_over, backup_used, isolated_day,
    request_day_off, request_prefer_shift, request_avoid_shift, fair_late, fair_saturday, fair_single_off,
)


def check(scenario: Scenario, rows: list[dict[str, str]], start: dt.date, weeks: int,
          requirements: pd.DataFrame, file: str = ROSTER_FILE, numbers: list[int] | None = None,
          header: tuple[str, ...] | None = None) -> CheckResult[Rule]:
    """Every hard breach and soft penalty of the roster `rows` (roster.csv cells) over the period:
    `weeks` weeks from `start`, the last one cut at the horizon end (as the roster was made).

    Raises ScenarioError naming `file`, row (`numbers`) and column for every row that cannot be
    scored (see read_rows): bad input, not a breach.
    """
    dates = roster_days(start, weeks, scenario.horizon_end)
    shifts, outside = read_rows(scenario, rows, dates, file, numbers, header)
    roster = facts(scenario, dates, shifts, requirements)
    return CheckResult([*outside, *(f for rule in RULES for f in rule(roster))])
