"""Rosters of named advisors: scenario → roster model per point group → tables to publish.

The points that share advisors (planner/decompose.point_groups) are rostered together;
other groups are independent models. The counter requirement per interval comes from
planner/sizing.interval_requirements, the shift set from planner/sizing.shift_templates.

Real time: shift starts, ends, paid minutes, intervals and rests are elapsed minutes of
their day in Europe/Helsinki (planner/base/calendar); the tables show the wall clock.

Lunch break: fixed per shift type in the middle of the allowed window (rounded down to the
interval grid), so a roster row says exactly when its advisor is at the counter; the sizing
model places breaks freely, the roster does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

from models import advisor_roster as ar
from models import kit
from models.roster_problem import Employee, RestRules, RosterProblem, ShiftType
from planner.base.budget import solve_params
from planner.base.calendar import (
    clock,
    clock_label,
    day_minutes,
    elapsed,
    finnish_holidays,
    minutes,
    open_days,
    roster_days,
    work_periods,
)
from planner.base.errors import Problem, ScenarioError
from planner.checks.contract_weeks import week_breakdown
from planner.rosters.replan import KeptRoster, kept_days
from planner.scenario.schemas import Scenario
from planner.staffing.sizing import shift_templates

Progress = Callable[[str], None]

PERIOD_BOUND = ("the larger of two lower bounds on the whole roster's objective: the LP relaxation of the whole roster "
                "(cover, on-duty, skills and every advisor's contract balance across the work periods), and a Lagrangian "
                "bound: the sum over the work periods of a bound on each period alone (no history days), either without "
                "the contract balance and fairness counts or with each advisor's paid minutes priced at the LP "
                "relaxation's duals (if it is not solved, nothing is priced) — per period the choice that "
                "makes the sum largest — plus the least the contract balances and fairness spreads can cost at the "
                "prices chosen")
# What each of summary.json's work_periods holds (a trial read a priced floor of −32 974 or 47 800 as a bound on
# the period's objective of 13 602).
WORK_PERIODS_ARE = ("per work period: its objective (penalty points of the period's own days) and status; best_bound "
                    "and gap of the period given the periods before it (the better of its own solve's bound and its "
                    "floor); floor, a bound on the period alone (no history days; without the contract balance and "
                    "fairness counts); priced_floor, the same with each advisor's paid minutes priced (points per "
                    "minute at the whole roster LP's duals) — a term of the whole roster's Lagrangian bound, not a "
                    "bound on the period's objective: it can be below 0 or above it; bound_from, which of the two "
                    "the whole roster's bound adds up for this period")
# Later work periods a period's end contract balance is charged for in its own model (look-ahead):
# left alone, a balance is charged again at the end of every later period, which a period solved
# alone does not see (it worked advisors over contract early that the year then paid for 13 times).
# One period ahead, measured on the pilots' year (bench/RESULTS.md): objective −4.4 % in all
# (Kiiminki −15 %, Mikkeli −9 %, Pelkosenniemi −22 %, none worse); every period ahead was no
# better than none on Kiiminki's nine weeks.
LOOKAHEAD_PERIODS = 1
# Share of a work period's budget for that bound (its own model, solved for the bound only).
FLOOR_SHARE = 0.25
# Fractional prices (the LP's duals) go into the floors' integer objectives in 1/PRICE_SCALE points.
PRICE_SCALE = 100

DAILY_REST_MIN = 11 * 60  # Working Hours Act §25
WEEKLY_REST_MIN = 35 * 60  # Working Hours Act §27


@dataclass(frozen=True)
class ShiftInfo:
    """A shift type of a point: start, end and break on the elapsed-minute axis of its day.

    Its id names it by an ordinary day's clock; on a clock-change day the same type reads
    other wall times (the tables show them with planner.base.calendar.clock_label), and its
    length and paid minutes are real time wherever it falls.
    """

    id: str
    point: str
    start: int  # elapsed minutes after local midnight
    end: int
    break_start: int | None
    break_min: int

    @property
    def paid_min(self) -> int:
        return self.end - self.start - self.break_min


@dataclass
class GroupResult:
    points: tuple[str, ...]
    problem: ar.AdvisorRosterProblem
    shifts: dict[str, ShiftInfo]
    solution: ar.Solution
    # A roster longer than [roster] period_weeks: one summary per work period (from, to,
    # status, objective, best_bound, gap, seconds, work_limited, time_limited, floor); empty otherwise.
    periods: tuple[dict, ...] = ()
    # Of a roster in work periods: ψ, the least the contract balance and fairness spreads can cost
    # beyond their prices in the periods' floors (period_bounds); the bound is Σ floors + ψ.
    coupling: float = 0.0
    # Of a roster in work periods: the LP relaxation of the whole roster with the contract balance
    # across the periods (models/advisor_roster.relaxation_bound); None when not solved.
    relaxation: float | None = None


@dataclass(frozen=True)
class Carry:
    """What a work period inherits from the periods before it (planner side of a long roster)."""

    period: int  # 1-based number of the period it precedes, for words
    history: dict[tuple[str, dt.date], str]  # (advisor, date) → shift id over the 7 days before the period
    history_dates: tuple[dt.date, ...]
    contract: dict[str, int]  # advisor → paid − target minutes over the earlier periods
    fair: dict[str, tuple[int, int, int]]  # advisor → closing shifts, Saturdays, single days off so far


@dataclass
class RosterRun:
    dates: list[dt.date]
    groups: list[GroupResult] = field(default_factory=list)  # the groups with a roster
    refused: list[GroupResult] = field(default_factory=list)  # clashing hard rules, or nothing found in the budget

    @property
    def status(self) -> str:
        statuses = {g.solution.status for g in self.groups}
        if statuses == {"OPTIMAL"}:
            return "OPTIMAL"
        if statuses <= {"OPTIMAL", "FEASIBLE"}:
            return "FEASIBLE"
        return ", ".join(sorted(statuses))

    @property
    def conflicts(self) -> list[str]:
        return [c for g in self.refused for c in g.solution.conflict]


def day_label(date: dt.date) -> str:
    return f"{date:%a} {date.day} {date:%b}"


def roster_dates(scenario: Scenario, start: dt.date | None, weeks: int | None) -> list[dt.date]:
    """The roster's days: from `start` (default: the horizon start) for `weeks` weeks (default
    `[roster] weeks`; when neither is set, to the horizon end: the whole horizon).

    The last week is cut at the horizon end (planner.base.calendar.roster_days), so the whole
    horizon can end on a part week. Raises ScenarioError (exit 2) when `start` is outside the
    horizon or the last week would begin after its end.
    """
    first = start or scenario.config.horizon.start
    # Name what the user set: an option given (--from/--weeks) is theirs to change, else scenario.toml.
    weeks_from = ("command line", "--weeks") if weeks else ("scenario.toml", "roster.weeks")
    weeks = weeks or scenario.config.roster.weeks
    end = scenario.horizon_end
    problems = []
    if not scenario.config.horizon.start <= first <= end:
        where = ("command line", "--from") if start else ("scenario.toml", "horizon.start")
        problems.append(Problem(where[0], f"roster start {first} is outside the horizon "
                                f"{scenario.config.horizon.start}–{end} (scenario.toml [horizon]); expected a day "
                                "inside it", key=where[1]))
    elif weeks is not None and first + dt.timedelta(days=7 * (weeks - 1)) > end:
        fits = ((end - first).days + 7) // 7
        problems.append(Problem(weeks_from[0], f"a roster of {weeks} weeks from {first} runs past the horizon end "
                                f"{end}; expected at most {fits} weeks (the last one cut at the horizon end) "
                                "or an earlier start", key=weeks_from[1]))
    if problems:
        raise ScenarioError(problems)
    return roster_days(first, weeks, end)


def fixed_break(start: int, length: int, break_min: int, earliest: int, latest: int, interval: int) -> int | None:
    """Break start (minutes after midnight) in the middle of the allowed window, on the grid; None = no break."""
    if break_min <= 0:
        return None
    earliest = -(-earliest // interval) * interval  # the window rounded inwards to the grid, as models/staffing.break_starts
    last = min(latest, length - break_min)
    offset = earliest + ((max(last, earliest) - earliest) // 2 // interval) * interval
    return start + offset


def point_shifts(scenario: Scenario, point: str, dates: list[dt.date] | None = None) -> dict[str, ShiftInfo]:
    """Every shift type of a point: the templates of each of its opening windows, break fixed.

    The windows are the point's opening hours on an ordinary day and, for each clock-change
    day among `dates` that it is open, that day's window in elapsed minutes (a point open
    00:00–24:00 is open 0–1380 on the spring night): shift lengths are real time, so such a
    day can need shift types an ordinary day has not.
    """
    interval = scenario.config.horizon.interval_minutes
    out: dict[str, ShiftInfo] = {}
    ordinary = {(minutes(h.opens), minutes(h.closes)) for h in scenario.opening_hours if h.point_id == point}
    changed: set[tuple[int, int]] = set()
    if dates and any(day_minutes(d) != 24 * 60 for d in dates):
        days = open_days(scenario)
        days = days[(days["point_id"] == point) & (days["day_minutes"] != 24 * 60) & days["date"].dt.date.isin(set(dates))]
        changed = {(int(r.opens), int(r.closes)) for r in days.itertuples()} - ordinary
    for o, c in [*sorted(ordinary), *sorted(changed)]:
        step = max(interval, scenario.config.roster.shift_start_step_minutes)
        for t in shift_templates(scenario, o, c):
            if (t.start_min - (o // interval) * interval) % step and t.end_min != c:
                continue  # off the roster's start grid, unless it closes the point
            brk = fixed_break(t.start_min, t.length_min, t.break_min, t.break_earliest_min, t.break_latest_min, interval)
            sid = f"{point} {clock(t.start_min)}-{clock(t.end_min)}"
            out.setdefault(sid, ShiftInfo(sid, point, t.start_min, t.end_min, brk, t.break_min if brk is not None else 0))
    return out


def contract_days(scenario: Scenario, advisor_id: str, dates: list[dt.date]) -> list[dt.date]:
    """The days the contract counts: the roster's weekdays less public holidays and the advisor's absences."""
    away = {d for a in scenario.absences if a.advisor_id == advisor_id
            for d in dates if a.start <= d <= a.end}
    holidays = finnish_holidays(dates[0].year, dates[-1].year)
    return [d for d in dates if d.weekday() < 5 and d not in holidays and d not in away]


def daily_contract_minutes(scenario: Scenario, fte: float) -> float:
    """FTE × weekly hours over a five-day week: the contract's share of each contract day."""
    return fte * scenario.config.workforce.weekly_hours * 60 / 5


def contract_minutes(scenario: Scenario, advisor_id: str, dates: list[dt.date], fte: float) -> int:
    """FTE × weekly hours spread over the roster's weekdays, less public holidays and absences."""
    return round(daily_contract_minutes(scenario, fte) * len(contract_days(scenario, advisor_id, dates)))


def with_contract_weeks(scenario: Scenario, dates: list[dt.date], shifts: dict[str, ShiftInfo],
                        solution: ar.Solution, history: int = 0) -> ar.Solution:
    """The solution with each contract breach's message naming the ISO weeks behind it.

    Done here, on the solved roster, rather than in the model: the penalty stays averaged over
    the horizon (the objective is unchanged); only its words gain the weeks, from the same
    helper the checker uses (planner/checks/contract_weeks.py).
    """
    fte = {a.advisor_id: a.fte for a in scenario.advisors}
    own = dates[history:]  # the first `history` days belong to the previous work period
    rows = []
    for v in solution.violations:
        if v.family in ("contract_under", "contract_over") and v.employee is not None:
            paid = {dates[d]: shifts[sid].paid_min for (who, d), sid in solution.assignment.items()
                    if who == v.employee and d >= history}
            weeks = week_breakdown(own, paid, set(contract_days(scenario, v.employee, own)),
                                   daily_contract_minutes(scenario, fte[v.employee]), v.family == "contract_over")
            rows.append(replace(v, message=v.message + weeks))
        else:
            rows.append(v)
    return replace(solution, violations=tuple(rows))


def build_problem(scenario: Scenario, points: set[str], dates: list[dt.date], requirements: pd.DataFrame,
                  kept: KeptRoster | None = None, carry: Carry | None = None, ahead: int = 0
                  ) -> tuple[ar.AdvisorRosterProblem, dict[str, ShiftInfo]]:
    """The roster model's input for the points of one group over `dates` (with `kept`: a re-plan of it).

    With `carry` (a work period after the first): the model's days are the carried history
    days, then `dates`; the history is kept as rostered and only `dates` are scored.
    """
    cfg, interval = scenario.config.roster, scenario.config.horizon.interval_minutes
    own = list(dates)
    history = list(carry.history_dates) if carry else []
    h0 = len(history)
    dates = [*history, *own]
    index = {d: k for k, d in enumerate(dates)}
    names = {p.point_id: p.name for p in scenario.points}
    shifts: dict[str, ShiftInfo] = {}
    for point in sorted(points):
        shifts.update(point_shifts(scenario, point, dates))
    advisors = [a for a in scenario.advisors if {a.point_id, *a.other_points} & points]
    days = open_days(scenario)
    days = days[days["point_id"].isin(points) & days["date"].dt.date.isin(set(dates))]
    on_day: dict[int, set[str]] = {k: set() for k in range(len(dates))}
    late: set[tuple[int, str]] = set()
    for row in days.itertuples():
        d = index[row.date.date()]
        first = (int(row.opens) // interval) * interval
        for s in shifts.values():
            if s.point == row.point_id and s.start >= first and s.end <= int(row.closes):
                on_day[d].add(s.id)
                if s.end == int(row.closes):
                    late.add((d, s.id))
    req = requirements[requirements["point_id"].isin(points)  # the period's own days: history was scored before
                       & requirements["date"].dt.date.isin(set(own))]
    intervals = tuple(
        ar.Interval(r.point_id, index[r.date.date()], int(r.interval_start), int(r.interval_start) + interval,
                    int(r.required), scenario.config.workforce.min_on_duty,
                    f"{names[r.point_id]}, {day_label(r.date.date())} {clock_label(r.date.date(), int(r.interval_start))}"
                    f"–{clock_label(r.date.date(), int(r.interval_start) + interval)}")
        for r in req.itertuples())
    providers = [p.provider_id for p in scenario.providers]
    daily = req.groupby(["point_id", "date"])[[f"arrivals_{p}" for p in providers]].sum()
    skills = []
    for (point, date), row in daily.iterrows():
        for p in providers:
            if row[f"arrivals_{p}"] > 0:
                trained = tuple(a.advisor_id for a in advisors
                                if p in a.skills and point in (a.point_id, *a.other_points))
                skills.append(ar.SkillNeed(point, index[date.date()], p, trained,
                                           f"{names[point]}, {day_label(date.date())}: nobody trained for {p} on duty"))
    weeks = len(own) / 7
    contracts = tuple(
        ar.Contract(a.advisor_id, contract_minutes(scenario, a.advisor_id, own, a.fte),
                    round(cfg.contract_tolerance_hours_per_week * weeks * 60), a.name,
                    carry.contract.get(a.advisor_id, 0) if carry else 0, ahead)
        for a in advisors if a.role == "advisor")
    absences = []
    for a in scenario.absences:
        hit = tuple(index[d] for d in dates if a.start <= d <= a.end)
        if hit and a.advisor_id in {x.advisor_id for x in advisors}:
            who = next(x.name for x in advisors if x.advisor_id == a.advisor_id)
            absences.append(ar.Absence(a.advisor_id, hit, f"{who} is away {day_label(a.start)}–{day_label(a.end)}"
                                       + (f" ({a.reason})" if a.reason else ""), a.reason or "absence"))
    requests = _requests(scenario, advisors, dates, {d: k for d, k in index.items() if k >= h0}, shifts, on_day)
    employees = tuple(
        Employee(id=a.advisor_id, allowed_shifts=frozenset(s.id for s in shifts.values()
                                                           if s.point in (a.point_id, *a.other_points)))
        for a in advisors)
    base = RosterProblem(
        horizon=len(dates), first_weekday=dates[0].weekday(),
        shifts=tuple(ShiftType(id=s.id, start=s.start, length=s.end - s.start, paid=s.paid_min,
                               covers=_serving(s)) for s in shifts.values()),
        employees=employees, rest=RestRules(daily_rest_minutes=DAILY_REST_MIN, weekly_rest_minutes=WEEKLY_REST_MIN),
        # Real length of each day: rests across a clock-change night are an hour shorter or longer.
        day_minutes=tuple(day_minutes(d) for d in dates) if any(day_minutes(d) != 24 * 60 for d in dates) else ())
    fair = tuple(ar.FairGroup(tuple(a.advisor_id for a in members), names[p], tuple(round(10 / a.fte) for a in members),
                              tuple(carry.fair.get(a.advisor_id, (0, 0, 0)) for a in members) if carry else ())
                 for p in sorted(points)
                 for members in [[a for a in advisors if a.point_id == p and a.role == "advisor"]])
    past = tuple(ar.KeptDay(a.advisor_id, d, carry.history.get((a.advisor_id, date)), "past",
                            f"{a.name}, {day_label(date)}: {carry.history.get((a.advisor_id, date)) or 'day off'} "
                            f"(work period {carry.period - 1})")
                 for a in advisors for d, date in enumerate(history)) if carry else ()
    replan = tuple(replace(k, day=k.day + h0) for k in kept_days(kept, advisors, own, day_label)) if kept else ()
    problem = ar.AdvisorRosterProblem(
        base=base, shift_point={s.id: s.point for s in shifts.values()},
        shifts_on_day={d: frozenset(v) for d, v in on_day.items()}, intervals=intervals, skills=tuple(skills),
        contracts=contracts, absences=tuple(absences),
        backups=frozenset(a.advisor_id for a in advisors if a.role == "backup"), requests=requests,
        late_shifts=frozenset(late), saturdays=frozenset(k for k, d in enumerate(dates) if d.weekday() == 5),
        fair_groups=fair, names={a.advisor_id: a.name for a in advisors},
        day_labels=tuple(day_label(d) for d in dates), on_duty_hard=cfg.on_duty_hard,
        kept=past + replan, change_weight=cfg.change_weight, history_days=h0)
    return problem, shifts


def _serving(s: ShiftInfo) -> tuple[tuple[int, int], ...]:
    if s.break_start is None:
        return ((s.start, s.end),)
    return tuple(p for p in ((s.start, s.break_start), (s.break_start + s.break_min, s.end)) if p[1] > p[0])


def _requests(scenario: Scenario, advisors: list, dates: list[dt.date], index: dict, shifts: dict[str, ShiftInfo],
              on_day: dict[int, set[str]]) -> tuple[ar.RosterRequest, ...]:
    mine = {a.advisor_id: a for a in advisors}
    out = []
    for r in scenario.roster_requests:
        if r.advisor_id not in mine or r.date not in index:
            continue
        a, d = mine[r.advisor_id], index[r.date]
        start = None if r.start is None else elapsed(r.date, r.start.hour * 60 + r.start.minute)
        ids = tuple(sorted(s for s in on_day[d] if shifts[s].point in (a.point_id, *a.other_points)
                           and (start is None or shifts[s].start == start)))
        what = {"day_off": "for a day off", "prefer_shift": "to work", "avoid_shift": "not to work"}[r.kind]
        shift = f" a shift starting {clock_label(r.date, start)}" if start is not None and r.kind != "day_off" else ""
        out.append(ar.RosterRequest(r.advisor_id, d, r.kind, ids, r.weight,
                                    f"{a.name} asked {what}{shift} on {day_label(r.date)}"))
    return tuple(out)


def check_requests(scenario: Scenario) -> None:
    """Requests name known advisors (roster_requests.csv); bad rows are input errors (exit 2)."""
    known = {a.advisor_id for a in scenario.advisors}
    problems = [Problem("roster_requests.csv", f"unknown advisor {r.advisor_id!r}; expected an advisor_id of "
                        "advisors.csv", row=n + 2, column="advisor_id")
                for n, r in enumerate(scenario.roster_requests) if r.advisor_id not in known]
    if problems:
        raise ScenarioError(problems)


def weights(scenario: Scenario) -> ar.Weights:
    c = scenario.config.roster
    return ar.Weights(
        unmanned=c.unmanned_weight, cover_under=c.cover_under_weight, cover_over=c.cover_over_weight,
        missing_skill=c.missing_skill_weight, contract_under=c.contract_under_weight,
        contract_over=c.contract_over_weight, backup_day=c.backup_day_weight, fair_late=c.fair_late_weight,
        fair_saturday=c.fair_saturday_weight, fair_single_off=c.fair_single_off_weight,
        isolated_day=c.isolated_day_weight)


def solve_group(scenario: Scenario, group: set[str], dates: list[dt.date], requirements: pd.DataFrame,
                time_limit: float | None = None, progress: Progress | None = None,
                kept: KeptRoster | None = None) -> GroupResult:
    """Roster one point group over `dates` against the counter `requirements` (interval table with `required`).

    A roster longer than `[roster] period_weeks` is solved as consecutive work periods
    (`solve_periods`); otherwise as one model. Always returns the group's result;
    `solution.conflict` names the rules that clash when no roster meets the hard rules, and
    `solution.objective` is None when none was found in time.
    """
    spans = work_periods(len(dates), scenario.config.roster.period_weeks)
    if len(spans) > 1:
        return solve_periods(scenario, group, dates, spans, requirements, time_limit, progress, kept)
    return _solve_model(scenario, group, dates, requirements, time_limit, progress, kept)


def _solve_model(scenario: Scenario, group: set[str], dates: list[dt.date], requirements: pd.DataFrame,
                 time_limit: float | None, progress: Progress | None, kept: KeptRoster | None,
                 carry: Carry | None = None, label: str | None = None, ahead: int = 0) -> GroupResult:
    """One CP-SAT model over `dates` (after `carry`'s history days, when given); day indices of the model's."""
    problem, shifts = build_problem(scenario, group, dates, requirements, kept, carry, ahead)
    label = label or "+".join(sorted(group))

    def report(objective: float, bound: float, seconds: float) -> None:
        # Every penalty is ≥ 0: CP-SAT's early bounds below 0 (e.g. -1220) say less than 0 does.
        # Whole points, never an exponent (1.5617e+06 hid digits of a year's objective).
        shown = f"bound {max(bound, 0.0):.10g}" if bound > float("-inf") else "no bound yet"
        progress(f"roster {label}: objective {objective:.10g}, {shown} at {seconds:.1f} s")

    built = ar.build(problem, weights(scenario))
    params = solve_params(scenario, time_limit=time_limit, progress=report if progress else None)
    result = ar.solve(built, params)
    conflict = ar.explain(built, params) if result.status == "INFEASIBLE" else ()
    model_dates = [*(carry.history_dates if carry else ()), *dates]
    solution = with_contract_weeks(scenario, model_dates, shifts, ar.extract(built, result, conflict),
                                   problem.history_days)
    if progress:
        progress(f"roster {label}: {describe_status(solution)}")
    return GroupResult(tuple(sorted(group)), problem, shifts, solution)


def _period_counts(problem: ar.AdvisorRosterProblem, assignment: dict[tuple[str, int], str]
                   ) -> dict[str, tuple[int, int, int]]:
    """Per advisor: closing shifts, Saturdays and single days off the period scored (as add_fairness counts them)."""
    h, first = problem.base.horizon, problem.history_days
    out = {}
    for e in problem.base.employees:
        worked = {d for (who, d) in assignment if who == e.id}
        late = sum(1 for (who, d), sid in assignment.items() if who == e.id and d >= first and (d, sid) in problem.late_shifts)
        sats = sum(1 for d in worked if d >= first and d in problem.saturdays)
        singles = sum(1 for d in range(max(1, first - 1), h - 1) if d - 1 in worked and d not in worked and d + 1 in worked)
        out[e.id] = (late, sats, singles)
    return out


def solve_periods(scenario: Scenario, group: set[str], dates: list[dt.date], spans: list[range],
                  requirements: pd.DataFrame, time_limit: float | None = None, progress: Progress | None = None,
                  kept: KeptRoster | None = None) -> GroupResult:
    """Roster a long period as consecutive work periods (`spans`: day-index ranges of `dates`), in
    order (`roster_periods`), then bound the whole roster (`period_bounds`) and put the two together
    (`with_bounds`). The roster stage runs the roster and the bound as pieces of their own (they do
    not depend on each other), so a pool runs them side by side; the result is the same.
    """
    part = roster_periods(scenario, group, dates, spans, requirements, time_limit, progress, kept)
    if part.solution.objective is None or part.solution.conflict:
        return part
    return with_bounds(scenario, part, period_bounds(scenario, group, dates, spans, requirements, time_limit,
                                                     progress, kept), progress)


def roster_periods(scenario: Scenario, group: set[str], dates: list[dt.date], spans: list[range],
                   requirements: pd.DataFrame, time_limit: float | None = None, progress: Progress | None = None,
                   kept: KeptRoster | None = None) -> GroupResult:
    """The roster of a long period made as consecutive work periods (`spans`: day-index ranges of
    `dates`), in order, without its bound (`period_bounds`, `with_bounds` add it).

    Each period's model holds the previous period's last 7 days as fixed history (rests,
    weekly rest and isolated days carry across the seam), and inherits the contract balance
    (paid − target so far) and the fairness counts so far (`Carry`); its model charges its end
    balance also for the next LOOKAHEAD_PERIODS periods (look-ahead, not in its objective reported,
    so its own bound is then the period alone's floor, `period_bounds`). Each period is one solver
    call with the whole work budget. The result is over all `dates`: objective the sum of the
    periods' objectives, bound None (status FEASIBLE until `with_bounds`); `periods` holds each
    period's summary. A period without a roster ends the group with that period's result (its
    conflict, or no objective).
    """
    label = "+".join(sorted(group))
    carry: Carry | None = None
    assignment: dict[tuple[str, int], str] = {}
    violations: list = []
    periods: list[dict] = []
    balance: dict[str, int] = {}
    fair: dict[str, tuple[int, int, int]] = {}
    shifts: dict[str, ShiftInfo] = {}
    for k, span in enumerate(spans, start=1):
        own = dates[span.start:span.stop]
        part = _solve_model(scenario, group, own, requirements, time_limit, progress, kept, carry,
                            f"{label}, work period {k}/{len(spans)} ({own[0]}–{own[-1]})",
                            min(LOOKAHEAD_PERIODS, len(spans) - k))
        s = part.solution
        if s.objective is None or s.conflict:
            return part
        h0 = part.problem.history_days
        offset = span.start - h0  # model day → roster day
        mine = {(a, d): sid for (a, d), sid in s.assignment.items() if d >= h0}
        assignment.update({(a, d + offset): sid for (a, d), sid in mine.items()})
        violations += [v if v.day is None else replace(v, day=v.day + offset) for v in s.violations]
        shifts.update(part.shifts)
        # Its own bound, when its solve has one (no look-ahead terms): with_bounds takes the better of it and
        # the period alone's floor.
        periods.append({"from": own[0].isoformat(), "to": own[-1].isoformat(), "status": s.status,
                        "objective": s.objective, "best_bound": s.bound, "gap": None if s.gap is None else round(s.gap, 4),
                        "seconds": round(s.seconds, 3), "work_limited": s.work_limited, "time_limited": s.time_limited})
        for c in part.problem.contracts:
            paid = sum(part.shifts[sid].paid_min for (a, _), sid in mine.items() if a == c.employee)
            balance[c.employee] = balance.get(c.employee, 0) + paid - c.target
        counts = _period_counts(part.problem, s.assignment)
        for a, n in counts.items():
            fair[a] = tuple(x + y for x, y in zip(fair.get(a, (0, 0, 0)), n, strict=True))  # type: ignore[assignment]
        tail = range(span.stop - 7, span.stop)  # the next period's history: this period's last week
        carry = Carry(k + 1, {(a, dates[d]): sid for (a, d), sid in assignment.items() if d in tail},
                      tuple(dates[d] for d in tail), dict(balance), dict(fair))
    problem, whole = build_problem(scenario, group, dates, requirements, kept)
    whole.update(shifts)
    objective = float(sum(p["objective"] for p in periods))
    solution = ar.Solution(
        "FEASIBLE", objective, None, None, sum(p["seconds"] for p in periods),
        any(p["time_limited"] for p in periods), assignment, tuple(violations), (),
        any(p["work_limited"] for p in periods))
    return GroupResult(tuple(sorted(group)), problem, whole, solution, tuple(periods))


@dataclass(frozen=True)
class PeriodBounds:
    """Lower bounds on a roster made in work periods, none of which depends on the roster made
    (`period_bounds`): per period its floor (the period alone) and its priced floor, the prices and
    the rest ψ at them, the whole roster's LP relaxation, and the coupling terms for `mixed_bound`."""

    floors: tuple[float, ...]
    priced_floors: tuple[float, ...]
    prices: tuple[dict[tuple[str, str], float], ...]
    rest: float  # ψ at `prices`
    scale: int
    relaxation: float | None
    terms: tuple[list[ar.ContractTerms], list[ar.SpreadTerms]]


def period_bounds(scenario: Scenario, group: set[str], dates: list[dt.date], spans: list[range],
                  requirements: pd.DataFrame, time_limit: float | None = None, progress: Progress | None = None,
                  kept: KeptRoster | None = None) -> PeriodBounds:
    """Lower bounds on any roster of `group` over `dates` made in the work periods `spans`.

    Each period's `period_floor` (the period alone, solved for its bound with FLOOR_SHARE of the
    budget: "floor"); the whole roster's LP relaxation (`ar.relaxation_bound`, "relaxation"); and a
    Lagrangian relaxation of the coupling: each advisor's paid minutes per period priced at the LP's
    duals, and each period alone with those prices in its objective solved for its bound
    ("priced_floor"), ψ the exact rest at those prices (`ar.coupling_rest`). When the LP is not
    solved nothing is priced (priced floor = floor, ψ the least the coupling terms can cost).
    Nothing here depends on the roster made (`roster_periods`): the roster stage runs it as a piece
    of its own, beside the roster's (Kiiminki's year: 13 floors and as many priced floors, a third
    of its solver seconds).
    """
    label = "+".join(sorted(group))
    w = weights(scenario)
    floors, problems = [], []
    for k, span in enumerate(spans, start=1):
        own = dates[span.start:span.stop]
        floors.append(period_floor(scenario, group, own, requirements, time_limit))
        problems.append(build_problem(scenario, group, own, requirements, kept)[0])
        if progress:
            progress(f"roster {label}, work period {k}/{len(spans)}: best bound {floors[-1]:.10g} (the period alone)")
    terms = coupling_terms(scenario, problems)
    problem, _ = build_problem(scenario, group, dates, requirements, kept)
    # The whole roster's LP: every advisor's hours across the periods together with the cover (the
    # floors see one period at a time); the pilots' year: Kiiminki's bound 726 358 → 804 430.
    duals: dict[tuple[str, int], float] = {}
    relaxation = ar.relaxation_bound(problem, w, spans, terms[0], duals)
    prices: list[dict[tuple[str, str], float]] = [{} for _ in spans]
    scale = 1
    if relaxation is not None:
        # The LP's duals price each advisor's paid minutes per period as the LP does: with them the
        # periods' floors (each period's integer roster, its rests and runs) add to the LP where one
        # roster's marginal costs fell far below it (Kiiminki's year: 813 081 against 535 849; the
        # LP 804 424). Fractional: priced in 1/PRICE_SCALE points, and the rest is then the exact one.
        # The fairness counts are left unpriced (the LP has no price for them; the roster's marginal
        # costs, steep past a tie, took Kiiminki's year from 813 081 back below the LP).
        prices = [{("paid", a): v for (a, q), v in duals.items() if q == k} for k in range(len(spans))]
        scale = PRICE_SCALE
    rest = ar.coupling_rest(*terms, w.contract_under, w.contract_over, prices, scale=scale)
    priced = [period_floor(scenario, group, dates[span.start:span.stop], requirements, time_limit, prices[k],
                           seam=k > 0, scale=scale) if any(round(scale * v) for v in prices[k].values())
              else floors[k] for k, span in enumerate(spans)]
    bounds = PeriodBounds(tuple(floors), tuple(priced), tuple(prices), rest, scale, relaxation, terms)
    if progress:
        best = max(whole_bound(scenario, bounds)[0], relaxation if relaxation is not None else 0.0)
        progress(f"roster {label}: best bound {max(0.0, best):.10g} over {len(spans)} work periods (the bound of the "
                 f"whole roster: each period alone, without what the periods before it fixed, and the contract "
                 f"hours priced, or the whole roster's LP; a larger work budget proves more)")
    return bounds


def whole_bound(scenario: Scenario, bounds: PeriodBounds) -> tuple[float, list[str], float]:
    """The best Lagrangian bound of `bounds` on the whole roster: the largest of Σ floor, Σ
    priced_floor + ψ and `mixed_bound`'s best choice per period (the LP relaxation aside). Returns
    (bound, "floor"/"priced_floor" per period, the rest ψ at the prices so chosen)."""
    n = len(bounds.floors)
    periods = [{"floor": f, "priced_floor": p} for f, p in zip(bounds.floors, bounds.priced_floors, strict=True)]
    mixed, choice, mixed_rest = mixed_bound(scenario, periods, list(bounds.prices), bounds.terms, bounds.scale)
    candidates = [(float(sum(bounds.floors)), ["floor"] * n, 0.0),
                  (float(sum(bounds.priced_floors)) + bounds.rest, ["priced_floor"] * n, bounds.rest),
                  (mixed, choice, mixed_rest)]
    return max(candidates, key=lambda c: c[0])  # the first of equals: the simplest


def with_bounds(scenario: Scenario, part: GroupResult, bounds: PeriodBounds | None,
                progress: Progress | None = None) -> GroupResult:
    """The roster of `roster_periods` with the bounds of `period_bounds` (None: not computed, bound 0).

    Each period's best bound is the better of its own solve's (when it has one) and its floor, below
    its objective; the whole roster's `bound` the largest of Σ floor, Σ priced_floor + ψ,
    `mixed_bound`'s best choice per period of floor or priced_floor plus the rest at the prices
    chosen (`coupling`; each period's `bound_from` names its choice) and the whole roster's LP
    relaxation (`relaxation`) — each a valid lower bound on the objective of any roster of the whole
    period — and `gap` against it; status OPTIMAL only when the bound meets the objective.
    """
    label = "+".join(part.points)
    s = part.solution
    n = len(part.periods)
    if bounds is None:  # the bound's piece failed: the roster stands, proven by nothing but 0
        bounds = PeriodBounds((0.0,) * n, (0.0,) * n, ({},) * n, 0.0, 1, None, ([], []))
    periods = [dict(p) for p in part.periods]
    for k, (p, floor) in enumerate(zip(periods, bounds.floors, strict=True)):
        own = p["best_bound"]
        bound = min(max(floor, own if own is not None else floor), p["objective"])
        p.update(floor=floor, priced_floor=bounds.priced_floors[k], best_bound=bound,
                 gap=round(kit.gap(p["objective"], bound) or 0.0, 4),
                 status="OPTIMAL" if bound >= p["objective"] else p["status"])
    # Valid bounds, the best reported: the floors alone; all priced; the best mix of the two per period
    # with the rest at the prices so chosen; and the LP.
    best, choice, rest = whole_bound(scenario, bounds)
    for p, c in zip(periods, choice, strict=True):
        p["bound_from"] = c
    objective = float(s.objective or 0.0)
    relaxation = bounds.relaxation
    bound = min(objective, max(0.0, best, relaxation if relaxation is not None else 0.0))
    gap = max(0.0, objective - bound) / max(1.0, abs(objective))
    solution = replace(s, status="OPTIMAL" if bound >= objective else "FEASIBLE", bound=bound, gap=gap,
                       work_limited=s.work_limited and bound < objective)
    if progress:
        progress(f"roster {label}: {describe_status(solution)} over {n} work periods")
    return replace(part, solution=solution, periods=tuple(periods), coupling=rest, relaxation=relaxation)


def coupling_terms(scenario: Scenario, periods: list[ar.AdvisorRosterProblem]
                   ) -> tuple[list[ar.ContractTerms], list[ar.SpreadTerms]]:
    """The contract and fairness terms that couple the work `periods` (their problems, in order), with
    boxes that hold every roster's amounts: an advisor's paid minutes in a period are at most, summed
    over the period's own days they are not away, the longest paid shift they may work that day;
    closing shifts at most the days with one they may work, Saturdays the Saturdays they are not away,
    single days off the days + 1 (the last history day counts). For `ar.coupling_rest`.
    """
    w = weights(scenario)
    if not periods:
        return [], []

    def available(problem: ar.AdvisorRosterProblem, e) -> list[int]:
        away = {d for a in problem.absences if a.employee == e.id for d in a.days} | set(e.days_off)
        return [d for d in range(problem.history_days, problem.base.horizon) if d not in away]

    def most(problem: ar.AdvisorRosterProblem, e, name: str) -> int:
        days = available(problem, e)
        paid = {sh.id: sh.paid_minutes for sh in problem.base.shifts if e.may_work(sh.id)}
        if name == "paid":
            return sum(max((paid[sid] for sid in problem.shifts_on_day.get(d, ()) if sid in paid), default=0)
                       for d in days)
        if name == "late":
            return sum(1 for d in days if any((d, sid) in problem.late_shifts for sid in paid))
        if name == "saturday":
            return sum(1 for d in days if d in problem.saturdays)
        return problem.base.horizon - problem.history_days + 1  # single days off

    contracts = []
    for c in periods[0].contracts:
        terms = [next(x for x in problem.contracts if x.employee == c.employee) for problem in periods]
        people = [next(e for e in problem.base.employees if e.id == c.employee) for problem in periods]
        contracts.append(ar.ContractTerms(c.employee, tuple(t.target for t in terms), tuple(t.tolerance for t in terms),
                                          tuple(most(problem, e, "paid") for problem, e in zip(periods, people, strict=True))))
    spreads = []
    fair_weights = (w.fair_late, w.fair_saturday, w.fair_single_off)
    for g in periods[0].fair_groups:
        rostered = {e.id: e for e in periods[0].base.employees}
        members = tuple(a for a in g.employees if a in rostered)
        if len(members) < 2:
            continue
        scale = tuple(k for a, k in zip(g.employees, g.scale or (1,) * len(g.employees), strict=True) if a in rostered)
        for name, weight in zip(ar.FAIR_MEASURES, fair_weights, strict=True):
            if weight:
                boxes = tuple(tuple(most(problem, next(e for e in problem.base.employees if e.id == a), name)
                                    for a in members) for problem in periods)
                spreads.append(ar.SpreadTerms(name, members, scale, weight, boxes))
    return contracts, spreads


def mixed_bound(scenario: Scenario, periods: list[dict], prices: list[dict[tuple[str, str], float]],
                terms: tuple[list[ar.ContractTerms], list[ar.SpreadTerms]], scale: int = 1
                ) -> tuple[float, list[str], float]:
    """The best Lagrangian bound from the floors already solved: per work period either its plain floor
    (prices 0) or its priced floor (`prices[k]`), plus `ar.coupling_rest` at the prices so chosen.

    Any choice gives a valid bound (the rest is exact for any prices, not only the roster's
    subgradient), so the summer's plain floors and the other periods' priced ones can add up where
    neither sum alone does. A local search over the choices from the better of all-plain and
    all-priced, flipping one period at a time while the bound rises (deterministic: periods in
    order). Returns (bound, "floor"/"priced_floor" per period, the rest at the choice).
    """
    w = weights(scenario)
    cache: dict[tuple[str, ...], tuple[float, float]] = {}

    def value(choice: tuple[str, ...]) -> tuple[float, float]:
        if choice not in cache:
            chosen = [prices[k] if c == "priced_floor" else {} for k, c in enumerate(choice)]
            rest = ar.coupling_rest(*terms, w.contract_under, w.contract_over, chosen, scale=scale)
            cache[choice] = (float(sum(p[c] for p, c in zip(periods, choice, strict=True))) + rest, rest)
        return cache[choice]

    plain = ("floor",) * len(periods)
    priced = ("priced_floor",) * len(periods)
    best = max((plain, priced), key=lambda c: value(c)[0])
    improved = True
    while improved:
        improved = False
        for k in range(len(periods)):
            other = best[:k] + ("floor" if best[k] == "priced_floor" else "priced_floor",) + best[k + 1:]
            if value(other)[0] > value(best)[0]:
                best, improved = other, True
    bound, rest = value(best)
    return bound, list(best), rest


def period_floor(scenario: Scenario, group: set[str], dates: list[dt.date], requirements: pd.DataFrame,
                 time_limit: float | None = None, prices: dict[tuple[str, str], float] | None = None,
                 seam: bool = False, scale: int = 1) -> float:
    """A lower bound on one work period's penalty points other than the contract and fairness terms,
    plus Σ prices × the period's paid minutes and counts, that holds whatever the periods before it
    rostered: the period's model alone — no history days (rests and runs across the seam relaxed),
    no kept roster, contract and fairness weights 0 (those terms are priced instead, see
    `period_bounds`; every other penalty is ≥ 0) — solved for its bound with FLOOR_SHARE of the
    budget. With `seam` (a period after the first), a single day off on the previous period's last
    day or on this period's first day counts in the real roster but not in the period alone: up to
    two per advisor, so a negative price on them is added twice.
    """
    problem, _ = build_problem(scenario, group, dates, requirements)
    relaxed = replace(weights(scenario), contract_under=0, contract_over=0, fair_late=0, fair_saturday=0,
                      fair_single_off=0)
    prices = prices or {}
    bound = ar.floor(ar.build(problem, relaxed), solve_params(scenario, time_limit=time_limit, share=FLOOR_SHARE),
                     prices, scale)
    if seam:
        bound += sum(2 * min(0, round(scale * price)) for (name, _), price in prices.items() if name == "single_off") / scale
    return bound


def describe_status(s: ar.Solution) -> str:
    if s.objective is None:
        return s.status
    limited = (" (wall-clock cap reached; not proven optimal, not repeatable)" if s.time_limited
               else " (work budget reached; not proven optimal)" if s.work_limited else "")
    if s.bound is None:  # a work period solved with a look-ahead: its bound is the period alone's, computed next
        return f"{s.status}, objective {s.objective:.10g} (its bound follows from the period alone)"
    return (f"{s.status}{limited}, objective {s.objective:.10g}, best bound {s.bound:.10g}, "
            f"gap {100 * (s.gap or 0):.1f} %")


# ------------------------------------------------------------------ tables


def roster_table(scenario: Scenario, run: RosterRun) -> pd.DataFrame:
    names = {a.advisor_id: a for a in scenario.advisors}
    rows = []
    for g in run.groups:
        needs: dict[tuple[str, int], set[str]] = {}
        for n in g.problem.skills:
            needs.setdefault((n.point, n.day), set()).add(n.provider)
        for (advisor, d), sid in sorted(g.solution.assignment.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            s = g.shifts[sid]
            covered = [p for p in names[advisor].skills if p in needs.get((s.point, d), set())]
            day = run.dates[d]
            rows.append({
                "date": day.isoformat(), "point": s.point, "advisor": advisor, "name": names[advisor].name,
                "start": clock_label(day, s.start), "end": clock_label(day, s.end),
                "break_start": clock_label(day, s.break_start) if s.break_start is not None else "",
                "break_minutes": s.break_min, "paid_hours": round(s.paid_min / 60, 2), "providers": "|".join(covered),
                "order": s.start,
            })
    columns = ["date", "point", "advisor", "name", "start", "end", "break_start", "break_minutes", "paid_hours",
               "providers"]
    # By real start: the wall-clock text of the repeated autumn hour ("03:00+02:00") does not sort in time order.
    table = pd.DataFrame(rows, columns=[*columns, "order"]).sort_values(["date", "point", "order", "advisor"],
                                                                         kind="stable")
    return table[columns]


def by_advisor_table(scenario: Scenario, run: RosterRun) -> pd.DataFrame:
    rows = []
    for g in run.groups:
        targets = {c.employee: c for c in g.problem.contracts}
        for e in g.problem.base.employees:
            a = next(x for x in scenario.advisors if x.advisor_id == e.id)
            worked = {d: g.shifts[s] for (who, d), s in g.solution.assignment.items() if who == e.id}
            h = len(run.dates)
            single = sum(1 for d in range(1, h - 1) if d - 1 in worked and d not in worked and d + 1 in worked)
            contract = targets[e.id].target / 60 if e.id in targets else None
            paid = sum(s.paid_min for s in worked.values()) / 60
            rows.append({
                "advisor": e.id, "name": a.name, "point": a.point_id, "role": a.role, "fte": a.fte,
                "shifts": len(worked), "paid_hours": round(paid, 2),
                "contract_hours": None if contract is None else round(contract, 2),
                "difference_hours": None if contract is None else round(paid - contract, 2),
                "closing_shifts": sum(1 for d, s in worked.items() if (d, s.id) in g.problem.late_shifts),
                "saturdays": sum(1 for d in worked if run.dates[d].weekday() == 5),
                "single_days_off": single,
                "hours_by_week": "|".join(
                    f"{week} {sum(s.paid_min for d, s in worked.items() if run.dates[d].strftime('%G-W%V') == week) / 60:g}"
                    for week in dict.fromkeys(d.strftime("%G-W%V") for d in run.dates)),
            })
    return pd.DataFrame(rows)


def violations_table(run: RosterRun, period_weeks: int | None = None) -> pd.DataFrame:
    """One row per breach; per-interval breaches of equal size in a row are merged into one span.

    `period_weeks` ([roster] period_weeks): in a roster of several work periods, the first period's contract breaches
    are over that work period, not "over the roster" as its model (which sees no period before it) words them; they
    say "over work period 1 (first day–last day)", as `planner check` does.
    """
    spans = work_periods(len(run.dates), period_weeks) if period_weeks else []
    first = (f"over work period 1 ({run.dates[spans[0][0]]}–{run.dates[spans[0][-1]]})" if len(spans) > 1
             else "over the roster")
    rows: list[dict] = []
    for g in run.groups:
        for v in g.solution.violations:
            message = v.message.replace("over the roster", first) if v.family.startswith("contract") else v.message
            row = {"family": v.family, "point": v.point or "", "advisor": v.employee or "",
                   "date": run.dates[v.day].isoformat() if v.day is not None else "", "start": "", "end": "",
                   "amount": v.amount, "weight": v.weight, "intervals": 1, "penalty": v.penalty, "message": message}
            if v.span is not None:
                head, tail = v.message.split(": ", 1)
                head = head.rsplit(" ", 1)[0]  # drop the interval's clock times
                day = run.dates[v.day] if v.day is not None else None
                row.update(start=clock(v.span[0]) if day is None else clock_label(day, v.span[0]),
                           end=clock(v.span[1]) if day is None else clock_label(day, v.span[1]), message=(head, tail))
                last = rows[-1] if rows else None
                if (last is not None and isinstance(last["message"], tuple) and last["message"] == (head, tail)
                        and last["family"] == v.family and last["date"] == row["date"] and last["end"] == row["start"]
                        and last["amount"] == v.amount):
                    last.update(end=row["end"], intervals=last["intervals"] + 1, penalty=last["penalty"] + v.penalty)
                    continue
            rows.append(row)
    for row in rows:
        if isinstance(row["message"], tuple):
            head, tail = row["message"]
            row["message"] = f"{head} {row['start']}–{row['end']}: {tail}"
    return pd.DataFrame(rows, columns=["family", "point", "advisor", "date", "start", "end", "amount", "weight",
                                       "intervals", "penalty", "message"])


def summary_payload(run: RosterRun) -> dict:
    groups = {}
    for g in run.groups:
        s = g.solution
        groups["+".join(g.points)] = {
            "status": s.status, "time_limited": s.time_limited, "work_limited": s.work_limited,
            "objective": s.objective, "best_bound": s.bound, "gap": None if s.gap is None else round(s.gap, 4),
            "seconds": round(s.seconds, 3),
            "breached_rules": len(s.violations),  # soft breaches, as `planner check` counts them
            "conflict": list(s.conflict),
        }
        if g.periods:
            groups["+".join(g.points)].update(best_bound_is=PERIOD_BOUND, work_periods_are=WORK_PERIODS_ARE,
                                              work_periods=list(g.periods),
                                              coupling_bound=round(g.coupling, 3), relaxation_bound=g.relaxation)
    objective = sum(g.solution.objective or 0 for g in run.groups)
    bound = sum(g.solution.bound or 0 for g in run.groups)
    periods = any(g.periods for g in run.groups)
    out = {
        "status": run.status, "time_limited": any(g.solution.time_limited for g in run.groups),
        "work_limited": any(g.solution.work_limited for g in run.groups),
        "from": run.dates[0].isoformat(), "to": run.dates[-1].isoformat(),
        # Weeks from `from`, the last one cut at the horizon end (calendar.roster_days): reads back as these days.
        "weeks": -(-len(run.dates) // 7), "days": len(run.dates),
        "objective": objective, "best_bound": bound,
        "gap": round(max(0.0, objective - bound) / max(1.0, abs(objective)), 4),
        "seconds": round(sum(g.solution.seconds for g in run.groups), 3), "violations": len(violations_table(run)),
        # Breaches as `planner check` counts them (one per interval, day or advisor); violations.csv merges
        # consecutive intervals of one breach into a row, so it has fewer rows.
        "breaches": sum(len(g.solution.violations) for g in run.groups),
        "groups": groups,
    }
    if periods:
        out["best_bound_is"] = PERIOD_BOUND
    return out


def roster_tables(scenario: Scenario, run: RosterRun) -> dict[str, pd.DataFrame]:
    """roster.csv, roster_by_advisor.csv and violations.csv."""
    return {"roster.csv": roster_table(scenario, run), "roster_by_advisor.csv": by_advisor_table(scenario, run),
            "violations.csv": violations_table(run, scenario.config.roster.period_weeks)}
