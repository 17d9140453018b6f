"""Score any roster (from the tool or edited by a person) against the scenario, without a solver.

An independent restatement of the roster rules: it shares the inputs (scenario, counter
requirement from planner/sizing, calendar) with the roster model but none of its code, so a
roster the solver writes must come out with no hard breach and exactly the objective the
solver reported. The one thing shared is the wording of the weeks behind a contract breach
(planner/contract_weeks.week_breakdown), so that both sides' messages read the same; the
amounts it words are computed here.

Hard rules: one shift a day; only at the advisor's points; not on an absence; only when the
point is open and inside its hours; a shift of an allowed length with its lunch break where
one is due; 11 h daily rest (Working Hours Act §25); a 35 h weekly rest in every 7-day block
from the roster's first day (§27); someone on duty whenever open, when [roster] on_duty_hard.
Soft rules and weights: scenario.toml [roster] (see planner/schemas.RosterConfig).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from planner.base.calendar import clock, finnish_holidays, open_days
from planner.checks.contract_weeks import week_breakdown
from planner.scenario.schemas import Scenario

DAY = 1440
DAILY_REST = 11 * 60
WEEKLY_REST = 35 * 60


@dataclass(frozen=True)
class Finding:
    severity: str  # hard | soft
    family: str
    point: str
    advisor: str
    date: str
    amount: int
    weight: int
    penalty: int
    message: str


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)

    @property
    def hard(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "hard"]

    @property
    def soft(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "soft"]

    @property
    def objective(self) -> int:
        return sum(f.penalty for f in self.soft)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([f.__dict__ for f in self.findings],
                            columns=["severity", "family", "point", "advisor", "date", "amount", "weight", "penalty",
                                     "message"])


@dataclass(frozen=True)
class Shift:
    point: str
    advisor: str
    date: dt.date
    start: int
    end: int
    break_start: int | None
    break_min: int

    @property
    def paid(self) -> int:
        return self.end - self.start - self.break_min

    def serves(self, a: int, z: int) -> bool:
        if not (self.start <= a and z <= self.end):
            return False
        return self.break_start is None or not (self.break_start < z and a < self.break_start + self.break_min)


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


def _label(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def check(scenario: Scenario, rows: list[dict[str, str]], start: dt.date, weeks: int,
          requirements: pd.DataFrame) -> CheckResult:
    """Every hard breach and soft penalty of the roster `rows` (roster.csv cells) over the period."""
    out = CheckResult()
    cfg, wf = scenario.config.roster, scenario.config.workforce
    interval = scenario.config.horizon.interval_minutes
    dates = [start + dt.timedelta(days=k) for k in range(7 * weeks)]
    h = len(dates)
    index = {d: k for k, d in enumerate(dates)}
    advisors = {a.advisor_id: a for a in scenario.advisors}
    names = {p.point_id: p.name for p in scenario.points}

    def hard(family: str, message: str, point: str = "", advisor: str = "", date: str = "") -> None:
        out.findings.append(Finding("hard", family, point, advisor, date, 1, 0, 0, message))

    def soft(family: str, amount: int, weight: int, message: str, point: str = "", advisor: str = "",
             date: str = "") -> None:
        if amount and weight:
            out.findings.append(Finding("soft", family, point, advisor, date, amount, weight, amount * weight,
                                        message.replace("{amount}", str(amount)).replace(
                                            "{hours}", f"{amount / 60:.2f}".rstrip("0").rstrip(".")).replace(
                                            "{tenths}", f"{amount / 10:g}")))

    # -------------------------------------------------------------- read the rows
    shifts: list[Shift] = []
    for n, row in enumerate(rows, start=2):
        try:
            day = dt.date.fromisoformat(row["date"].strip())
            s = Shift(row["point"].strip(), row["advisor"].strip(), day, _minutes(row["start"]), _minutes(row["end"]),
                      _minutes(row["break_start"]) if row.get("break_start", "").strip() else None,
                      int(float(row.get("break_minutes") or 0)))
        except (KeyError, ValueError) as exc:
            hard("unreadable", f"row {n}: cannot read the shift ({exc})")
            continue
        if s.advisor not in advisors or s.point not in names:
            hard("unknown", f"row {n}: unknown advisor {s.advisor!r} or point {s.point!r}", s.point, s.advisor,
                 row["date"])
            continue
        if day not in index:
            hard("outside_period", f"row {n}: {day} is outside the roster period {dates[0]}–{dates[-1]}",
                 s.point, s.advisor, str(day))
            continue
        shifts.append(s)

    windows = {(r.point_id, r.date.date()): (int(r.opens), int(r.closes)) for r in open_days(scenario).itertuples()
               if r.date.date() in index}
    lengths = {int(round(x * 60 / interval)) * interval for x in wf.shift_lengths_hours}
    brk_len = int(round(wf.break_minutes / interval)) * interval
    holidays = finnish_holidays(dates[0].year, dates[-1].year)
    away = {(a.advisor_id, d) for a in scenario.absences for d in dates if a.start <= d <= a.end}

    # -------------------------------------------------------------- hard rules
    worked: dict[tuple[str, int], Shift] = {}
    for s in shifts:
        who, when = advisors[s.advisor].name, _label(s.date)
        key = (s.advisor, index[s.date])
        if key in worked:
            hard("one_shift_a_day", f"{who}, {when}: more than one shift", s.point, s.advisor, str(s.date))
            continue
        worked[key] = s
        a = advisors[s.advisor]
        if s.point not in (a.point_id, *a.other_points):
            hard("allowed_point", f"{who}, {when}: works at {names[s.point]}, not one of the advisor's points",
                 s.point, s.advisor, str(s.date))
        if (s.advisor, s.date) in away:
            hard("absence", f"{who}, {when}: rostered while away (absences.csv)", s.point, s.advisor, str(s.date))
        window = windows.get((s.point, s.date))
        if window is None:
            hard("closed", f"{names[s.point]}, {when}: rostered while the point is closed", s.point, s.advisor,
                 str(s.date))
        elif s.start < (window[0] // interval) * interval or s.end > window[1]:
            hard("opening_hours", f"{who}, {when}: {clock(s.start)}–{clock(s.end)} is outside the opening hours "
                 f"{clock(window[0])}–{clock(window[1])}", s.point, s.advisor, str(s.date))
        length = s.end - s.start
        due = length > wf.break_after_hours * 60
        lo, hi = (int(x * 60) for x in wf.break_window_hours)
        ok_break = (s.break_min == 0 and s.break_start is None) if not due else (
            s.break_min == brk_len and s.break_start is not None
            and lo <= s.break_start - s.start <= min(hi, length - brk_len) and (s.break_start - s.start) % interval == 0)
        if length not in lengths or not ok_break:
            hard("shift_type", f"{who}, {when}: {clock(s.start)}–{clock(s.end)} with a {s.break_min} min break is not an "
                 "allowed shift (scenario.toml [workforce])", s.point, s.advisor, str(s.date))
    for (adv, d), s in worked.items():
        nxt = worked.get((adv, d + 1))
        if nxt is not None and DAY + nxt.start - s.end < DAILY_REST:
            hard("daily_rest", f"{advisors[adv].name}, {_label(s.date)}–{_label(nxt.date)}: "
                 f"{(DAY + nxt.start - s.end) / 60:g} h rest, under 11 h (Working Hours Act §25)", s.point, adv,
                 str(nxt.date))
    for adv in advisors:
        for block in range(0, h - 6, 7):
            def rest_day(d: int, adv: str = adv) -> bool:
                if (adv, d) in worked:
                    return False
                if d == 0 or d == h - 1:
                    return True
                before, after = worked.get((adv, d - 1)), worked.get((adv, d + 1))
                return before is None or after is None or 2 * DAY + after.start - before.end >= WEEKLY_REST
            if not any(rest_day(d) for d in range(block, block + 7)):
                hard("weekly_rest", f"{advisors[adv].name}: no 35 h rest in the week from {_label(dates[block])} "
                     "(Working Hours Act §27)", advisor=adv, date=str(dates[block]))

    # -------------------------------------------------------------- soft rules
    at: dict[tuple[str, dt.date], list[Shift]] = defaultdict(list)
    for s in worked.values():
        at[(s.point, s.date)].append(s)
    req = requirements[requirements["date"].dt.date.isin(set(dates))]
    for r in req.itertuples():
        day, a = r.date.date(), int(r.interval_start)
        z = a + interval
        on = sum(1 for s in at[(r.point_id, day)] if s.serves(a, z))
        label = f"{names[r.point_id]}, {_label(day)} {clock(a)}–{clock(z)}"
        if cfg.on_duty_hard:
            if on < wf.min_on_duty:
                hard("on_duty", f"{label}: nobody on duty", r.point_id, date=str(day))
        else:
            soft("unmanned", max(0, wf.min_on_duty - on), cfg.unmanned_weight,
                 f"{label}: {{amount}} advisor(s) short of the {wf.min_on_duty} on duty whenever open", r.point_id, date=str(day))
        need = int(r.required)
        soft("cover_under", max(0, need - on), cfg.cover_under_weight,
             f"{label}: {{amount}} advisor(s) short of {need}", r.point_id, date=str(day))
        soft("cover_over", max(0, on - need), cfg.cover_over_weight,
             f"{label}: {{amount}} advisor(s) above {need}", r.point_id, date=str(day))
    providers = [p.provider_id for p in scenario.providers]
    daily = req.groupby(["point_id", "date"])[[f"arrivals_{p}" for p in providers]].sum()
    for (point, date), row in daily.iterrows():
        day = date.date()
        for p in providers:
            if row[f"arrivals_{p}"] > 0 and not any(p in advisors[s.advisor].skills for s in at[(point, day)]):
                soft("missing_skill", 1, cfg.missing_skill_weight,
                     f"{names[point]}, {_label(day)}: nobody trained for {p} on duty", point, date=str(day))
    workdays = [d for d in dates if d.weekday() < 5 and d not in holidays]
    for a in scenario.advisors:
        mine = {d: s for (adv, d), s in worked.items() if adv == a.advisor_id}
        if a.role == "advisor":
            daily = a.fte * wf.weekly_hours * 60 / 5
            counted = {d for d in workdays if (a.advisor_id, d) not in away}
            target = round(daily * len(counted))
            tol = round(cfg.contract_tolerance_hours_per_week * (h / 7) * 60)
            paid = sum(s.paid for s in mine.values())
            text = f"target {target / 60:g} h ± {tol / 60:g} h"
            by_day = {dates[d]: s.paid for d, s in mine.items()}
            soft("contract_under", max(0, target - tol - paid), cfg.contract_under_weight,
                 f"{a.name}: {{hours}} h under contract over the roster ({text})"
                 + week_breakdown(dates, by_day, counted, daily, over=False), advisor=a.advisor_id)
            soft("contract_over", max(0, paid - target - tol), cfg.contract_over_weight,
                 f"{a.name}: {{hours}} h over contract over the roster ({text})"
                 + week_breakdown(dates, by_day, counted, daily, over=True), advisor=a.advisor_id)
        else:
            for d in sorted(mine):
                soft("backup_used", 1, cfg.backup_day_weight, f"{a.name}, {_label(dates[d])}: backup person on duty",
                     advisor=a.advisor_id, date=str(dates[d]))
        for d in range(1, h - 1):
            if d in mine and d - 1 not in mine and d + 1 not in mine:
                soft("isolated_day", 1, cfg.isolated_day_weight, f"{a.name}, {_label(dates[d])}: isolated working day",
                     advisor=a.advisor_id, date=str(dates[d]))
    for r in scenario.roster_requests:
        if r.date not in index or r.advisor_id not in advisors:
            continue
        s = worked.get((r.advisor_id, index[r.date]))
        start_min = None if r.start is None else r.start.hour * 60 + r.start.minute
        match = s is not None and (start_min is None or s.start == start_min)
        amount = {"day_off": int(s is not None), "prefer_shift": int(not match), "avoid_shift": int(match)}[r.kind]
        what = {"day_off": "a day off", "prefer_shift": "to work", "avoid_shift": "not to work"}[r.kind]
        shift = f" a shift starting {clock(start_min)}" if start_min is not None and r.kind != "day_off" else ""
        soft(f"request_{r.kind}", amount, r.weight,
             f"{advisors[r.advisor_id].name} asked for {what}{shift} on {_label(r.date)}",
             advisor=r.advisor_id, date=str(r.date))
    for point in sorted(names):
        group = [a for a in scenario.advisors if a.point_id == point and a.role == "advisor"]
        if len(group) < 2:
            continue
        late, sats, single = [], [], []
        for adv in group:
            # Counts per full-time, in tenths: one shift of an advisor at FTE f is worth round(10 / f).
            k = round(10 / adv.fte)
            mine = {d: s for (x, d), s in worked.items() if x == adv.advisor_id}
            late.append(k * sum(1 for s in mine.values() if (s.point, s.date) in windows
                                and s.end == windows[(s.point, s.date)][1]))
            sats.append(k * sum(1 for d in mine if dates[d].weekday() == 5))
            single.append(k * sum(1 for d in range(1, h - 1) if d - 1 in mine and d not in mine and d + 1 in mine))
        for family, counts, weight, what in (("fair_late", late, cfg.fair_late_weight, "closing shifts"),
                                             ("fair_saturday", sats, cfg.fair_saturday_weight, "Saturdays"),
                                             ("fair_single_off", single, cfg.fair_single_off_weight, "single days off")):
            soft(family, max(counts) - min(counts), weight,
                 f"{names[point]}: {what} per full-time differ by {{tenths}} between advisors", point)
    return out
