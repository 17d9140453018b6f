"""Roster of named advisors at one service point or a group of points (CP-SAT).

Built on the generic engine (models/roster.py): the engine's variables and hard families
are reused as they are; this file adds the service-point families on top.

Formulation
-----------
Sets      E advisors, D = {0..H-1} days, S shift types (each at one point p(s), a fixed
          start, length and lunch break), P points, I_pd counter intervals of point p on
          day d, K_pd providers with demand at p on day d.
Data      serving_s(i) = 1 when shift s is at the counter for all of interval i (break
          excluded), r_i required counter advisors (queueing), m_i minimum on duty,
          paid_s paid minutes, T_e contract target minutes, tol_e tolerance minutes.
Variables (engine) x[e,d,s] ∈ {0,1} e works s on day d; w[e,d] = Σ_s x[e,d,s]
          at[e,p,d] = Σ_{s: p(s)=p} x[e,d,s]                  (expression)
          on_i = Σ_{e,s} serving_s(i) x[e,d,s]                 (expression)
Hard      (engine) one shift a day; days the advisor's points are all closed are off;
          only shifts at the advisor's points; 11 h daily rest (Act §25); a 35 h weekly
          rest in every 7-day block (Act §27)
          shift fits the day:  x[e,d,s] = 0 when p(s) is closed on d or s does not fit
                               that day's opening hours (weekday hours, public holidays)
          absences:            w[e,d] = 0 on every day of an absence; one enforcement
                               literal per absence row (used to explain infeasibility)
          on duty (optional):  on_i ≥ m_i, one enforcement literal per (point, day)
Soft      (each an exact function of x, so any roster can be re-scored without a solver)
          unmanned_i   = max(0, m_i − on_i)                 very heavy (when on duty is soft)
          short_i      = max(0, r_i − on_i)                 heavy
          surplus_i    = max(0, on_i − r_i)                 light
          no_skill_pdk = 1 − max_{e trained for k} at[e,p,d]
          under_e      = max(0, T_e − tol_e − Σ paid_s x)   per minute
          over_e       = max(0, Σ paid_s x − T_e − tol_e)   per minute
          backup_ed    = w[e,d] for backup persons
          request      day off: w[e,d]; prefer: 1 − Σ_{s∈R} x[e,d,s]; avoid: Σ_{s∈R} x[e,d,s]
          fairness     per group and count (closing shifts, Saturdays, single days off):
                       max_e k_e·count_e − min_e k_e·count_e, k_e = round(10 / FTE_e)
                       (tenths of a count per full-time: a fair share)
          isolated_ed  = w[e,d] ∧ ¬w[e,d−1] ∧ ¬w[e,d+1]     (0 < d < H−1)
Re-plan   (when a kept roster is given: k_ed its shift or off on day d)
          kept (hard):  x[e,d,k_ed] = 1 (or w[e,d] = 0 for a kept day off) on the days
                        before the re-plan date and on rows marked fixed; one switchable
                        rule per advisor for the past and one per fixed row
          change_ed    = 1 − x[e,d,k_ed] (kept shift) or w[e,d] (kept day off)  per day re-planned
Work      (a long roster is solved as consecutive work periods, planner/rosters/roster.py)
periods   the first h = history_days days are the previous period's last week, kept as
          "past": daily and weekly rest and isolated days see across the seam. Cover, skills,
          requests, backups, contract and fairness count only days d ≥ h (isolated days and
          single days off from d = h − 1, the day the previous period could not score);
          contract: under/over measured against T_e − carried_e (the balance so far), and in
          the objective also ahead_e times more (look-ahead: later periods charge an end balance
          again; not a penalty of this roster, so the solver's bound is then not reported);
          fairness: counts offset by the earlier periods' counts (cumulative spread).
Objective minimise Σ weight × amount over every soft penalty.
Search    (solve) the greedy roster, scored exactly; a large-neighbourhood search over weeks
          of days and pairs of advisors (models/roster.improve, up to LNS_SHARE of the work
          budget, each piece on its own work budget); then the whole model from the best
          roster for the rest of the budget, which gives the bound (and the proof when the
          bound meets the roster).

The lunch break is not a decision: the caller fixes it per shift type (planner/rosters/roster.py
puts it in the middle of the allowed window), so a shift type says exactly which intervals
its advisor serves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from models import kit, roster
from models.kit import Penalty, Result, SolveParams, Violation
from models.roster_problem import RosterProblem


@dataclass(frozen=True)
class Weights:
    """Penalty per unit of each soft family (from the scenario's [roster] section)."""

    unmanned: int  # per interval with fewer than the minimum on duty, per person missing
    cover_under: int  # per advisor short of the requirement, per interval
    cover_over: int  # per advisor above the requirement, per interval
    missing_skill: int  # per (point, day, provider with demand) with nobody trained on duty
    contract_under: int  # per minute below the contract minus tolerance
    contract_over: int  # per minute above the contract plus tolerance
    backup_day: int  # per day a backup person works
    fair_late: int  # per unit of spread of closing shifts between advisors of a group
    fair_saturday: int  # per unit of spread of Saturdays worked
    fair_single_off: int  # per unit of spread of single days off
    isolated_day: int  # per working day with a day off on both sides


@dataclass(frozen=True)
class Interval:
    point: str
    day: int
    start: int  # minutes after midnight
    end: int
    required: int  # counter advisors wanted (queueing)
    min_on_duty: int
    label: str  # "Saarijärvi, Tue 3 Mar 14:00–14:15"


@dataclass(frozen=True)
class SkillNeed:
    point: str
    day: int
    provider: str
    trained: tuple[str, ...]  # advisor ids trained for the provider
    label: str  # "Saarijärvi, Tue 3 Mar: nobody trained for vero on duty"


@dataclass(frozen=True)
class Contract:
    employee: str
    target: int  # paid minutes over the horizon's own days (history days excluded)
    tolerance: int  # minutes either side that cost nothing
    label: str  # "Mikko Korhonen"
    carried: int = 0  # paid − target minutes over the earlier work periods: shifts this period's target
    # Later work periods that charge this period's end balance again unless it is made up there: the
    # model looks ahead by charging it that many times more in its objective (not in the roster's
    # penalties, so the objective reported stays this period's own).
    ahead: int = 0


@dataclass(frozen=True)
class Absence:
    employee: str
    days: tuple[int, ...]
    label: str  # "Eila Kallio is away 16–20 Feb (winter holiday)"
    reason: str = "absence"  # "winter holiday": what a clash of the on-duty rule says of the advisor away


@dataclass(frozen=True)
class RosterRequest:
    employee: str
    day: int
    kind: Literal["day_off", "prefer_shift", "avoid_shift"]
    shifts: tuple[str, ...]  # shift types the request is about (all of the day's for day_off)
    weight: int
    label: str


@dataclass(frozen=True)
class KeptDay:
    """One advisor-day of a roster being re-planned: its shift there (None = off) and whether it must stay."""

    employee: str
    day: int
    shift: str | None
    kind: Literal["past", "fixed", "free"]  # before the re-plan date, marked fixed, or free to change
    label: str  # "Sari Mäkinen, Tue 3 Mar: Kiiminki 08:00-15:45 (roster.csv row 5)"


@dataclass(frozen=True)
class FairGroup:
    """Advisors whose counts of closing shifts, Saturdays and single days off should match.

    With `scale` (per member: tenths of a count that one shift is worth per full-time
    equivalent, round(10 / FTE)), counts are compared per full-time: a fair share.
    """

    employees: tuple[str, ...]
    label: str
    scale: tuple[int, ...] = ()
    # Per member: (closing shifts, Saturdays, single days off) counted in the earlier work
    # periods; the spread penalised is that of the cumulative counts. Empty = none.
    carried: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True)
class AdvisorRosterProblem:
    base: RosterProblem  # days, shift types (with `covers`), advisors, rest rules
    shift_point: dict[str, str]  # shift id → point id
    shifts_on_day: dict[int, frozenset[str]]  # shift ids that fit the opening hours of day d
    intervals: tuple[Interval, ...]
    skills: tuple[SkillNeed, ...] = ()
    contracts: tuple[Contract, ...] = ()
    absences: tuple[Absence, ...] = ()
    backups: frozenset[str] = frozenset()
    requests: tuple[RosterRequest, ...] = ()
    late_shifts: frozenset[tuple[int, str]] = frozenset()  # (day, shift id) closing shifts
    saturdays: frozenset[int] = frozenset()
    fair_groups: tuple[FairGroup, ...] = ()
    names: dict[str, str] = field(default_factory=dict)  # advisor id → name
    day_labels: tuple[str, ...] = ()  # "Tue 3 Mar" per day
    on_duty_hard: bool = False
    kept: tuple[KeptDay, ...] = ()  # the roster being re-planned (empty: plan from scratch)
    change_weight: int = 0  # per advisor-day re-planned whose shift differs from the kept one
    # Leading days that are the previous work period's last days, kept as rostered (KeptDay
    # kind "past"): rests, runs and isolated days are enforced across the seam, but their
    # cover, skills, requests, contract, backup and fairness penalties were counted there.
    history_days: int = 0


def _penalty(family: str, var: Any, weight: int, employee: str | None, point: str | None, day: int | None,
             message: str, span: tuple[int, int] | None = None) -> Penalty:
    """A kit penalty; the message's "{amount}", "{hours}" (minutes in hours) or "{tenths}" is filled in."""
    return Penalty(family, var, weight, message, employee=employee, point=point, day=day, span=span)


@dataclass(frozen=True)
class Rule:
    """A hard rule that can be switched off, to name it when the rules conflict."""

    literal: Any
    message: str


@dataclass
class Built:
    problem: AdvisorRosterProblem
    weights: Weights
    engine: roster.Built
    penalties: list[Penalty]
    rules: list[Rule]
    # Objective terms (weight, variable) that are not penalties of this roster: the contracts'
    # look-ahead. With any, the solver's bound is not one on the penalties alone.
    lookahead: list[tuple[int, Any]] = field(default_factory=list)

    @property
    def model(self) -> cp_model.CpModel:
        return self.engine.model


@dataclass(frozen=True)
class Solution:
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    time_limited: bool  # the wall-clock cap stopped the search (not repeatable)
    assignment: dict[tuple[str, int], str]
    violations: tuple[Violation, ...]
    conflict: tuple[str, ...] = ()
    work_limited: bool = False  # the work budget stopped the search (repeatable)


# ------------------------------------------------------------------ helpers


def _emp(b: Built) -> dict[str, int]:
    return {e.id: i for i, e in enumerate(b.problem.base.employees)}


def _shift_idx(b: Built) -> dict[str, int]:
    return {s.id: i for i, s in enumerate(b.problem.base.shifts)}


def _name(b: Built, employee: str) -> str:
    return b.problem.names.get(employee, employee)


def _day(b: Built, day: int) -> str:
    labels = b.problem.day_labels
    return labels[day] if day < len(labels) else f"day {day}"


def _on_counter(b: Built, iv: Interval) -> list[Any]:
    out = []
    for s, sh in enumerate(b.problem.base.shifts):
        if b.problem.shift_point[sh.id] != iv.point:
            continue
        if any(a <= iv.start and iv.end <= z for a, z in sh.serving):
            out += [b.engine.x[e, iv.day, s] for e in range(len(b.problem.base.employees))]
    return out


# The per-advisor counts whose spread the fairness rule penalises, in Carry's order.
FAIR_MEASURES = ("late", "saturday", "single_off")


def measure(b: Built, name: str, e: int) -> Any:
    """Linear expression of what advisor `e` (index) does on the days this model scores (after
    the history days): "paid" minutes, "late" closing shifts, "saturday"s worked, "single_off"
    days (a day off between two worked days, from the last history day on; adds its literals to
    the model). The contract and fairness rules and the floor's prices use the same counts.

    Raises KeyError for another name.
    """
    p, x, first = b.problem, b.engine.x, b.problem.history_days
    shifts = p.base.shifts
    if name == "paid":
        return sum(sh.paid_minutes * x[e, d, s] for d in range(first, p.base.horizon) for s, sh in enumerate(shifts))
    if name == "late":
        idx = _shift_idx(b)
        return sum(x[e, d, idx[s]] for d, s in sorted(p.late_shifts) if d >= first)
    if name == "saturday":
        return sum(b.engine.work[e, d] for d in sorted(p.saturdays) if first <= d < p.base.horizon)
    if name == "single_off":
        return sum(_single_off(b, e))
    raise KeyError(name)


def _positive_part(b: Built, expr: Any, hi: int, name: str) -> Any:
    """An integer variable in [0, hi] equal to max(0, expr), exactly (so re-scoring needs no solver)."""
    v = b.model.new_int_var(0, max(0, hi), name)
    b.model.add_max_equality(v, [expr, 0])
    return v


# ------------------------------------------------------------------ hard families


def add_shift_fits_day(b: Built) -> None:
    """Hard: a shift is worked only on days its point is open and inside that day's hours (holidays close)."""
    p = b.problem
    for d in range(p.base.horizon):
        allowed = p.shifts_on_day.get(d, frozenset())
        for s, sh in enumerate(p.base.shifts):
            if sh.id not in allowed:
                for e in range(len(p.base.employees)):
                    b.model.add(b.engine.x[e, d, s] == 0)


def add_absences(b: Built) -> None:
    """Hard: no work on a day of absence (absences.csv); one switchable rule per absence."""
    emp = _emp(b)
    for a in b.problem.absences:
        lit = b.model.new_bool_var(f"rule_absence({a.employee})")
        for d in a.days:
            b.model.add(b.engine.work[emp[a.employee], d] == 0).only_enforce_if(lit)
        b.rules.append(Rule(lit, a.label))


def add_on_duty_hard(b: Built) -> None:
    """Hard (when configured): someone on duty whenever a point is open — the report's minimum manning."""
    p = b.problem
    if not p.on_duty_hard:
        return
    by_day: dict[tuple[str, int], list[Interval]] = {}
    for iv in p.intervals:
        if iv.min_on_duty > 0:
            by_day.setdefault((iv.point, iv.day), []).append(iv)
    for (point, d), ivs in sorted(by_day.items()):
        lit = b.model.new_bool_var(f"rule_on_duty({point},{d})")
        for iv in ivs:
            b.model.add(sum(_on_counter(b, iv)) >= iv.min_on_duty).only_enforce_if(lit)
        first, last = ivs[0], ivs[-1]
        # The conflict names how many must serve, who may work at the point that day and who is away (with
        # the absence's reason): a count of everyone with the point read as "2 may work" with both away.
        least = max(iv.min_on_duty for iv in ivs)
        here = {sh.id for sh in p.base.shifts if p.shift_point[sh.id] == point}
        staff = [e.id for e in p.base.employees if e.allowed_shifts is None or e.allowed_shifts & here]
        away = {a.employee: a.reason for a in p.absences if d in a.days}
        able = [_name(b, e) for e in staff if e not in away]
        gone = [f"{_name(b, e)} ({away[e]})" for e in staff if e in away]
        said = f"may work there that day: {', '.join(able)}" if able else "nobody may work there that day"
        b.rules.append(Rule(lit, f"{first.label.split(',')[0]}, {_day(b, d)}: {least} advisor{'s' * (least > 1)} must "
                                 f"be on duty {first.start // 60:02d}:{first.start % 60:02d}–{last.end // 60:02d}:"
                                 f"{last.end % 60:02d} ([workforce] min_on_duty); {said}"
                                 + (f"; away: {', '.join(gone)}" if gone else "")))


def _kept_amount(b: Built, k: KeptDay, emp: dict[str, int], idx: dict[str, int]) -> Any:
    """1 when the roster leaves advisor-day `k` as kept, as a linear expression of x (0 otherwise);
    `emp`, `idx`: _emp(b), _shift_idx(b), built once by the caller."""
    e = emp[k.employee]
    if k.shift is None:
        return 1 - b.engine.work[e, k.day]
    return b.engine.x[e, k.day, idx[k.shift]]


def add_kept_shifts(b: Built) -> None:
    """Hard: a re-plan keeps the days before its date and the rows marked fixed, as they were.

    One switchable rule per advisor for the past (so a conflict names the person, not each day)
    and one per fixed row.
    """
    emp, idx = _emp(b), _shift_idx(b)
    past: dict[str, list[KeptDay]] = {}
    for k in b.problem.kept:
        if k.kind == "fixed":
            lit = b.model.new_bool_var(f"rule_fixed({k.employee},{k.day})")
            b.rules.append(Rule(lit, k.label))
            b.model.add(_kept_amount(b, k, emp, idx) == 1).only_enforce_if(lit)
        elif k.kind == "past":
            past.setdefault(k.employee, []).append(k)
    for employee, days in sorted(past.items()):
        lit = b.model.new_bool_var(f"rule_kept_past({employee})")
        b.rules.append(Rule(lit, f"{_name(b, employee)}'s shifts before {_day(b, max(k.day for k in days) + 1)} "
                                 "are kept as rostered"))
        for k in days:
            b.model.add(_kept_amount(b, k, emp, idx) == 1).only_enforce_if(lit)


# ------------------------------------------------------------------ soft families


def add_changes(b: Built) -> list[Penalty]:
    """Soft: a re-plan changes as few advisor-days of the kept roster as it must (`[roster] change_weight`).

    A kept shift on a day its advisor is now away (absences.csv) is no choice to weigh: taking it away is
    forced, so it costs nothing (it was charged as a change, the same in every roster: the re-plan of a sick
    day read as a roster that chose to change).
    """
    emp, idx = _emp(b), _shift_idx(b)
    away = {(a.employee, d) for a in b.problem.absences for d in a.days}
    return [_penalty("change", 1 - _kept_amount(b, k, emp, idx), b.problem.change_weight, k.employee, None, k.day,
                     f"{k.label}: changed") for k in b.problem.kept
            if k.kind == "free" and not (k.shift is not None and (k.employee, k.day) in away)]



def add_unmanned(b: Built) -> list[Penalty]:
    """Soft, very heavy: at least the minimum on duty whenever the point is open (report §4.3)."""
    if b.problem.on_duty_hard:
        return []
    out = []
    for iv in b.problem.intervals:
        if iv.min_on_duty <= 0:
            continue
        on = _on_counter(b, iv)
        v = _positive_part(b, iv.min_on_duty - sum(on), iv.min_on_duty, f"unmanned({iv.label})")
        out.append(_penalty("unmanned", v, b.weights.unmanned, None, iv.point, iv.day,
                           f"{iv.label}: {{amount}} {{amount|advisor|advisors}} short of the {iv.min_on_duty} on duty whenever "
                           "open", (iv.start, iv.end)))
    return out


def add_counter_cover(b: Built) -> list[Penalty]:
    """Soft: counter advisors meet the queueing requirement (planner/sizing); short heavy, surplus light."""
    out = []
    for iv in b.problem.intervals:
        on = _on_counter(b, iv)
        n = len(on)
        under = _positive_part(b, iv.required - sum(on), iv.required, f"short({iv.label})")
        over = _positive_part(b, sum(on) - iv.required, n - iv.required, f"surplus({iv.label})")
        out.append(_penalty("cover_under", under, b.weights.cover_under, None, iv.point, iv.day,
                           f"{iv.label}: {{amount}} {{amount|advisor|advisors}} short of {iv.required}", (iv.start, iv.end)))
        out.append(_penalty("cover_over", over, b.weights.cover_over, None, iv.point, iv.day,
                           f"{iv.label}: {{amount}} {{amount|advisor|advisors}} above {iv.required}", (iv.start, iv.end)))
    return out


def add_skills(b: Built) -> list[Penalty]:
    """Soft: each provider with demand that day has someone trained for it on duty (advisors.csv skills)."""
    emp = _emp(b)
    out = []
    at: dict[tuple[int, str, int], Any] = {}
    for need in b.problem.skills:
        missing = b.model.new_bool_var(f"no_skill({need.label})")
        there = []
        for a in need.trained:
            if a not in emp:
                continue
            key = (emp[a], need.point, need.day)
            if key not in at:
                at[key] = b.model.new_bool_var(f"at(e={a},p={need.point},d={need.day})")
                b.model.add(at[key] == sum(b.engine.x[emp[a], need.day, s] for s, sh in enumerate(b.problem.base.shifts)
                                           if b.problem.shift_point[sh.id] == need.point))
            there.append(at[key])
            b.model.add_implication(at[key], missing.Not())
        b.model.add_bool_or([*there, missing])
        out.append(_penalty("missing_skill", missing, b.weights.missing_skill, None, need.point, need.day,
                           need.label))
    return out


def add_contract_hours(b: Built) -> list[Penalty]:
    """Soft: paid minutes over the horizon within tolerance of FTE × weekly hours (the contract)."""
    emp = _emp(b)
    shifts = b.problem.base.shifts
    out = []
    for c in b.problem.contracts:
        paid = measure(b, "paid", emp[c.employee])
        own = range(b.problem.history_days, b.problem.base.horizon)  # history days were paid in their period
        most = len(own) * max((sh.paid_minutes for sh in shifts), default=0)
        # The balance carried from earlier work periods moves this period's target: an
        # advisor 5 h over so far is aimed 5 h under here (the cumulative deviation counts).
        goal = c.target - c.carried
        lo, hi = goal - c.tolerance, goal + c.tolerance
        under = _positive_part(b, lo - paid, max(0, lo), f"under_contract({c.employee})")
        over = _positive_part(b, paid - hi, max(0, most - hi), f"over_contract({c.employee})")
        tol = f"target {c.target / 60:g} h ± {c.tolerance / 60:g} h"
        if c.carried:
            tol += f", {c.carried / 60:+g} h carried from earlier work periods"
        over_what = "over the work period" if b.problem.history_days or c.carried else "over the roster"
        if c.ahead:
            b.lookahead += [(c.ahead * b.weights.contract_under, under), (c.ahead * b.weights.contract_over, over)]
        out.append(_penalty("contract_under", under, b.weights.contract_under, c.employee, None, None,
                           f"{c.label}: {{hours}} h under contract beyond its tolerance {over_what} ({tol})"))
        out.append(_penalty("contract_over", over, b.weights.contract_over, c.employee, None, None,
                           f"{c.label}: {{hours}} h over contract beyond its tolerance {over_what} ({tol})"))
    return out


def add_backup_use(b: Built) -> list[Penalty]:
    """Soft: backup persons work only when needed (advisors.csv role = backup)."""
    emp = _emp(b)
    out = []
    for eid in sorted(b.problem.backups):
        if eid not in emp:
            continue
        for d in range(b.problem.history_days, b.problem.base.horizon):
            out.append(_penalty("backup_used", b.engine.work[emp[eid], d], b.weights.backup_day, eid, None, d,
                               f"{_name(b, eid)}, {_day(b, d)}: backup person on duty"))
    return out


def add_requests(b: Built) -> list[Penalty]:
    """Soft: requested days off and preferred or unwanted shifts (roster_requests.csv)."""
    emp, idx = _emp(b), _shift_idx(b)
    out = []
    for r in b.problem.requests:
        e = emp[r.employee]
        chosen = sum(b.engine.x[e, r.day, idx[s]] for s in r.shifts if s in idx)
        if r.kind == "day_off":
            amount = b.engine.work[e, r.day]
        elif r.kind == "prefer_shift":
            amount = 1 - chosen
        else:
            amount = chosen
        out.append(_penalty(f"request_{r.kind}", amount, r.weight, r.employee, None, r.day, r.label))
    return out


def _spread(b: Built, counts: Sequence[Any], hi: int, name: str) -> Any:
    mx = b.model.new_int_var(0, hi, f"max({name})")
    mn = b.model.new_int_var(0, hi, f"min({name})")
    b.model.add_max_equality(mx, counts)
    b.model.add_min_equality(mn, counts)
    return mx - mn


def _first_between(b: Built) -> int:
    """First day d scored by a rule on (d − 1, d, d + 1): the last history day, whose next day
    the previous work period could not see; 1 without history."""
    return max(1, b.problem.history_days - 1)


def _single_off(b: Built, e: int) -> list[Any]:
    """Literals: day d is off while d−1 and d+1 are worked (exactly)."""
    w, h, out = b.engine.work, b.problem.base.horizon, []
    for d in range(_first_between(b), h - 1):
        v = b.model.new_bool_var(f"single_off({e},{d})")
        b.model.add_bool_and([w[e, d - 1], w[e, d].Not(), w[e, d + 1]]).only_enforce_if(v)
        b.model.add_bool_or([w[e, d - 1].Not(), w[e, d], w[e, d + 1].Not(), v])
        out.append(v)
    return out


def add_fairness(b: Built) -> list[Penalty]:
    """Soft: closing shifts, Saturdays and single days off in fair shares within a group (spread max − min)."""
    emp, p = _emp(b), b.problem
    h = p.base.horizon
    out = []
    for g in p.fair_groups:
        scale = g.scale or (1,) * len(g.employees)
        carried = g.carried or ((0, 0, 0),) * len(g.employees)
        members = [(emp[a], k, c) for a, k, c in zip(g.employees, scale, carried, strict=True) if a in emp]
        if len(members) < 2:
            continue
        # Earlier periods' counts are constant offsets: the spread is of the cumulative counts.
        late, sats, singles = ([k * (c[j] + measure(b, name, e)) for e, k, c in members]
                               for j, name in enumerate(FAIR_MEASURES))
        most = h + max((max(c) for _, _, c in members), default=0)
        unit = "per full-time differ by {tenths}" if g.scale else "differ by {amount}"
        for family, counts, weight, what in (
            ("fair_late", late, b.weights.fair_late, "closing shifts"),
            ("fair_saturday", sats, b.weights.fair_saturday, "Saturdays"),
            ("fair_single_off", singles, b.weights.fair_single_off, "single days off"),
        ):
            if not weight:
                continue
            spread = _spread(b, counts, most * max(scale), f"{family}({g.label})")
            out.append(_penalty(family, spread, weight, None, None, None,
                               f"{g.label}: {what} {unit} between advisors"))
    return out


def add_isolated_days(b: Built) -> list[Penalty]:
    """Soft: no isolated working day (a day off on both sides) — work comes in runs."""
    w, h, out = b.engine.work, b.problem.base.horizon, []
    for e, emp in enumerate(b.problem.base.employees):
        for d in range(_first_between(b), h - 1):
            v = b.model.new_bool_var(f"isolated({emp.id},{d})")
            b.model.add_bool_and([w[e, d - 1].Not(), w[e, d], w[e, d + 1].Not()]).only_enforce_if(v)
            b.model.add_bool_or([w[e, d - 1], w[e, d].Not(), w[e, d + 1], v])
            out.append(_penalty("isolated_day", v, b.weights.isolated_day, emp.id, None, d,
                               f"{_name(b, emp.id)}, {_day(b, d)}: isolated working day"))
    return out


# ------------------------------------------------------------------ public API


def build(problem: AdvisorRosterProblem, weights: Weights) -> Built:
    """The engine's model and hard families, then this file's families: hard first, then soft."""
    engine = roster.build(problem.base)
    b = Built(problem, weights, engine, [], [])
    add_shift_fits_day(b)
    add_absences(b)
    add_on_duty_hard(b)
    add_kept_shifts(b)
    b.penalties += add_unmanned(b)
    b.penalties += add_counter_cover(b)
    b.penalties += add_skills(b)
    b.penalties += add_contract_hours(b)
    b.penalties += add_backup_use(b)
    b.penalties += add_requests(b)
    b.penalties += add_fairness(b)
    b.penalties += add_isolated_days(b)
    b.penalties += add_changes(b)
    b.model.minimize(sum(pen.weight * pen.var for pen in b.penalties if pen.weight)
                     + sum(weight * var for weight, var in b.lookahead))
    return b


def greedy_roster(problem: AdvisorRosterProblem, weights: Weights) -> dict[tuple[str, int], str]:
    """A quick construction to start the search from: day by day, add the (advisor, shift) that
    removes the most weighted uncovered counter time, pacing each contract over the horizon.

    Respects absences, allowed shifts, opening hours, one shift a day and the daily rest; the
    weekly rest and the rest are left to the solver (a roster breaking them is not used as a start).
    """
    base = problem.base
    h = base.horizon
    rest = base.rest.daily_rest_minutes or 0
    shifts = {sh.id: sh for sh in base.shifts}
    away = {(a.employee, d) for a in problem.absences for d in a.days}
    first = problem.history_days
    target = {c.employee: c.target - c.carried for c in problem.contracts}
    paid = {e.id: 0 for e in base.employees}
    by_day: dict[int, list[Interval]] = {}
    for iv in problem.intervals:
        by_day.setdefault(iv.day, []).append(iv)
    # History days stay as the previous work period rostered them (their rest counts here).
    out: dict[tuple[str, int], str] = {(k.employee, k.day): k.shift for k in problem.kept
                                       if k.day < first and k.shift is not None}
    for d in range(first, h):
        ivs = by_day.get(d, [])
        on = [0] * len(ivs)
        free = [e for e in base.employees if (e.id, d) not in away]
        options = {e.id: [s for s in sorted(problem.shifts_on_day.get(d, ())) if e.may_work(s)] for e in free}
        while True:
            best, best_gain = None, 0
            for e in free:
                if (e.id, d) in out:
                    continue
                pace = target.get(e.id, 0) * (d - first + 1) / (h - first)
                before = shifts.get(out.get((e.id, d - 1), ""))
                for sid in options[e.id]:
                    sh = shifts[sid]
                    if rest and before is not None and base.day_length(d - 1) + sh.start - before.end < rest:
                        continue  # the daily rest after yesterday's shift (Working Hours Act §25)
                    gain = 0
                    for k, iv in enumerate(ivs):
                        if iv.point == problem.shift_point[sid] and any(a <= iv.start and iv.end <= z for a, z in sh.serving):
                            if on[k] < iv.min_on_duty:
                                gain += weights.unmanned
                            elif on[k] < iv.required:
                                gain += weights.cover_under
                            else:
                                gain -= weights.cover_over
                    room = pace + sh.paid_minutes / 2 - paid[e.id]
                    gain += weights.contract_under * sh.paid_minutes if room >= sh.paid_minutes \
                        else -weights.contract_over * int(sh.paid_minutes - max(room, 0))
                    if e.id in problem.backups:
                        gain -= weights.backup_day
                    if gain > best_gain:
                        best, best_gain = (e.id, sid), gain
            if best is None:
                break
            eid, sid = best
            out[eid, d] = sid
            paid[eid] += shifts[sid].paid_minutes
            for k, iv in enumerate(ivs):
                if iv.point == problem.shift_point[sid] and any(a <= iv.start and iv.end <= z for a, z in shifts[sid].serving):
                    on[k] += 1
    return _with_weekly_rest(out, base, shifts, first)


def _with_weekly_rest(roster: dict[tuple[str, int], str], base: RosterProblem,
                      shifts: dict[str, Any], first: int = 0) -> dict[tuple[str, int], str]:
    """Free the cheapest day(s) of each 7-day block that has no weekly rest (Act §27), as add_weekly_rest reads it.

    Days before `first` (history) stay; a block of history only is mended by freeing day `first`.
    """
    need = base.rest.weekly_rest_minutes
    if not need:
        return roster
    out = dict(roster)
    h = base.horizon

    def gap(d: int) -> int:  # real minutes from the start of day d - 1 to the start of day d + 1
        return base.day_length(d - 1) + base.day_length(d)

    def rests_around(e: str, d: int) -> bool:
        if (e, d) in out:
            return False
        if d == 0 or d == h - 1 or (e, d - 1) not in out or (e, d + 1) not in out:
            return True
        return gap(d) + shifts[out[e, d + 1]].start - shifts[out[e, d - 1]].end >= need

    for emp in base.employees:
        for start in range(0, h - 6, 7):
            block = range(start, start + 7)
            if any(rests_around(emp.id, d) for d in block):
                continue
            # Free day d, and day d + 1 too when the shifts around d are still too close.
            options = []
            if start + 6 < first:
                # A history block: its last day's rest reaches into day `first`; freeing it is enough.
                out.pop((emp.id, first), None)
                continue
            for d in block:
                if d < first:
                    continue
                freed = [d] + ([d + 1] if 0 < d < h - 1 and (emp.id, d - 1) in out and (emp.id, d + 1) in out and
                               gap(d) + shifts[out[emp.id, d + 1]].start
                               - shifts[out[emp.id, d - 1]].end < need else [])
                lost = sum(shifts[out[emp.id, t]].paid_minutes for t in freed if (emp.id, t) in out)
                options.append((lost, d, freed))
            for t in min(options)[2]:
                out.pop((emp.id, t), None)
    return out


def kept_start(problem: AdvisorRosterProblem) -> dict[tuple[str, int], str]:
    """The kept roster as a start for its re-plan: every shift stays, except a re-plannable one
    the rules now forbid (a new absence, a closed day, a shift the advisor may no longer work),
    which becomes a day off. Taking shifts away never shortens a rest, so when the kept roster
    met the hard rules (someone on duty aside), so does this start.
    """
    away = {(a.employee, d) for a in problem.absences for d in a.days}
    allowed = {e.id: e.allowed_shifts for e in problem.base.employees}
    out = {}
    for k in problem.kept:
        if k.shift is None:
            continue
        mine = allowed.get(k.employee)
        ok = (k.shift in problem.shifts_on_day.get(k.day, frozenset()) and (mine is None or k.shift in mine)
              and (k.employee, k.day) not in away)
        if k.kind != "free" or ok:
            out[(k.employee, k.day)] = k.shift
    return out


def explain(built: Built, params: SolveParams) -> tuple[str, ...]:
    """Messages of a small set of switchable hard rules that cannot all hold (CP-SAT assumptions)."""
    model = built.model.clone()
    model.clear_objective()
    by_index = {r.literal.index: r.message for r in built.rules}
    model.add_assumptions([r.literal for r in built.rules])
    # The core is only reported by the single-thread search.
    solver = kit.solver(replace(params, workers=1))
    code = solver.solve(model)
    if code != cp_model.INFEASIBLE:
        return ()
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    return tuple(core) or ("the rest rules and shift types leave no roster (no switchable rule involved)",)


def _start(built: Built, model: cp_model.CpModel, params: SolveParams) -> Result:
    """A complete first solution: the greedy roster scored exactly, else the empty roster.

    The greedy roster can break a rule it does not model (weekly rest around a point open
    24 hours); nobody working breaks no hard rule unless someone must be on duty, so the
    search always starts from a roster when one is that easy to have.
    """
    p = built.problem.base
    # Scoring a fixed roster is quick: an eighth of the work budget each, the whole wall cap.
    work = None if params.work_limit is None else params.work_limit / 8
    result = None
    # A re-plan starts from its kept roster; a work period after the first from the greedy
    # roster after its history, else the history alone (kept_start: past days only).
    hints = [greedy_roster(built.problem, built.weights), kept_start(built.problem)]
    if any(k.kind != "past" for k in built.problem.kept):
        hints.insert(0, kept_start(built.problem))
    for hint in hints:
        fixed = model.clone()
        for (e, d, s), var in built.engine.x.items():
            fixed.add(var == int(hint.get((p.employees[e].id, d)) == p.shifts[s].id))
        result = kit.solve(fixed, replace(params, work_limit=work, progress=None))
        if result.found:
            break
    return result


# Share of the work budget the neighbourhood search may use before the final whole-model solve.
LNS_SHARE = 0.5


def neighbourhoods(problem: AdvisorRosterProblem) -> list[tuple[range, tuple[int, ...]]]:
    """The search's pieces for this roster (models/roster.neighbourhoods): weeks of the days
    after the history, then pairs of advisors over them."""
    return roster.neighbourhoods(problem.base.horizon, len(problem.base.employees), problem.history_days)


def _after(progress: kit.Progress | None, offset: float) -> kit.Progress | None:
    """`progress` with `offset` seconds added: each stage's solver counts from its own start."""
    if progress is None:
        return None
    return lambda objective, bound, seconds: progress(objective, bound, offset + seconds)


def solve(built: Built, params: SolveParams | None = None) -> Result:
    """Solve with the rules switched on: the greedy start, a large-neighbourhood search over
    weeks and advisor pairs (`improve`, up to LNS_SHARE of the work budget), then the whole
    model from that roster for the rest of the budget and the bound; OPTIMAL only when proven.

    The objective is recomputed from the penalties, each an exact function of the roster.
    """
    params = params or SolveParams()
    model = built.model.clone()
    for r in built.rules:
        model.add(r.literal == 1)
    start = _start(built, model, params)
    seconds, work, capped, used = start.seconds, start.work, start.time_limited, 0.0
    incumbent = start
    if start.found:
        if params.progress:
            params.progress(start.objective, float("-inf"), start.seconds)
        budget = None if params.work_limit is None else LNS_SHARE * params.work_limit
        incumbent, used, lns_capped, lns_seconds = roster.improve(
            model, built.engine.x, neighbourhoods(built.problem), start,
            replace(params, progress=_after(params.progress, seconds)), budget)
        work, capped, seconds = work + used, capped or lns_capped, seconds + lns_seconds
        kit.hint(model, dict(enumerate(incumbent.values)))
    # The whole model gets what the search left (the start's scoring has its own eighths).
    rest = None if params.work_limit is None else max(params.work_limit - used, 0.1 * params.work_limit)
    main = kit.solve(model, replace(params, work_limit=rest, progress=_after(params.progress, seconds)))
    seconds, work = seconds + main.seconds, work + main.work
    if not main.found and not incumbent.found:
        return replace(main, seconds=seconds, work=work)
    if main.found and (not incumbent.found or main.objective <= incumbent.objective):
        chosen = main
    else:  # the whole model found nothing better than the search's roster in its budget
        chosen = replace(incumbent, status="FEASIBLE", time_limited=main.time_limited or capped,
                         work_limited=main.work_limited)
    # Recomputed from the returned values: with a solution callback the solver's objective can
    # lag its final values. Every penalty is ≥ 0, so 0 is a bound even before the search has one.
    objective = float(sum(pen.weight * kit.value(chosen, pen.var) for pen in built.penalties))
    if built.lookahead:  # the solver's bound is on penalties + look-ahead, not one on the penalties alone
        return replace(chosen, status="FEASIBLE", objective=objective, best_bound=None, gap=None,
                       seconds=seconds, work=work)
    bound = min(max(main.best_bound if main.best_bound is not None else 0.0, 0.0), objective)
    if bound >= objective:  # the bound meets the roster: proven, whichever search found it
        chosen = replace(chosen, status="OPTIMAL", time_limited=False, work_limited=False)
    return replace(chosen, objective=objective, best_bound=bound, gap=kit.gap(objective, bound),
                   seconds=seconds, work=work)


def floor(built: Built, params: SolveParams | None = None,
          prices: Mapping[tuple[str, str], float] | None = None, scale: int = 1) -> float:
    """A proven lower bound on the objective of `built`'s model plus Σ prices × measures (penalty
    points): CP-SAT's best bound within the budget, with every switchable rule on; no roster is kept.

    `prices`: (measure, advisor id) → points per unit of `measure(built, measure, advisor)` ("paid"
    minutes, "late", "saturday", "single_off" counts), any sign; the measures' literals are added to
    `built`'s model. Without prices the bound is ≥ 0 (every penalty is ≥ 0). When the search proves
    nothing, or the rules admit no roster, the bound falls back to 0 + each priced measure at the
    cheaper end of its range, still a lower bound.

    planner/rosters/roster.py builds a relaxation of a work period (no history, no contract or
    fairness weights) whose floor holds whatever the other periods roster; the prices carry the
    contract terms into it (the LP's duals).
    Fractional prices are used as round(scale·π)/scale: the model is solved in 1/scale points and
    its bound divided by `scale`.
    """
    params = params or SolveParams()
    emp = _emp(built)
    # Prices in 1/scale points (CP-SAT's objective is integer): the prices used are round(scale·π)/scale.
    terms = [(round(scale * price), measure(built, name, emp[who]), _most(built, name))
             for (name, who), price in sorted((prices or {}).items()) if round(scale * price) and who in emp]
    model = built.model.clone()
    for r in built.rules:
        model.add(r.literal == 1)
    if terms or scale != 1:
        model.minimize(sum(scale * pen.weight * pen.var for pen in built.penalties if pen.weight)
                       + sum(price * expr for price, expr, _ in terms))
    result = kit.solve(model, replace(params, progress=None))
    # Every penalty is ≥ 0, so 0 plus each priced measure at its cheaper end bounds any roster (the
    # kit's bound of a search stopped before any roster is as safe, and weaker: every domain's end).
    fallback = float(sum(min(0, price * most) for price, _, most in terms))
    if result.status == "INFEASIBLE" or result.best_bound is None:
        return fallback / scale
    return max(fallback, float(result.best_bound)) / scale


def _most(b: Built, name: str) -> int:
    """The largest value `measure(b, name, ·)` can take (days scored × the most per day)."""
    days = b.problem.base.horizon - b.problem.history_days
    if name == "paid":
        return days * max((sh.paid_minutes for sh in b.problem.base.shifts), default=0)
    return days + 1  # one a day at most, the last history day included for single days off


@dataclass(frozen=True)
class ContractTerms:
    """One advisor's contract terms over consecutive work periods, as `coupling_rest` scores them."""

    employee: str
    target: tuple[int, ...]  # paid minutes per period (contract)
    tolerance: tuple[int, ...]  # minutes either side that cost nothing, per period
    most: tuple[int, ...]  # paid minutes the advisor can work at most in each period (any roster)


@dataclass(frozen=True)
class SpreadTerms:
    """One fairness group's count over consecutive work periods, as `coupling_rest` scores it."""

    measure: str  # one of FAIR_MEASURES
    members: tuple[str, ...]
    scale: tuple[int, ...]  # k_e per member
    weight: int
    most: tuple[tuple[int, ...], ...]  # per period, per member: the largest count any roster has


def coupling_rest(contracts: Sequence[ContractTerms], spreads: Sequence[SpreadTerms], under: int, over: int,
                  prices: Sequence[Mapping[tuple[str, str], float]], params: SolveParams | None = None,
                  scale: int = 1) -> float:
    """The rest of a Lagrangian bound for any prices: min over the amounts of (coupling cost − prices × amounts).

    The coupling cost is G plus F of each advisor's per-period paid minutes y and counts n: the
    contract penalty G(y) = Σ_p under·max(0, −tol_p − B_p) + over·max(0, B_p − tol_p), B_p =
    Σ_{q≤p} (y_q − T_q) the balance after period p (add_contract_hours with the carried balance),
    and the fairness penalty F(n) = Σ_p weight·(max_e k_e·C_ep − min_e k_e·C_ep), C_ep = Σ_{q≤p}
    n_eq (add_fairness with carried counts); the minimum is taken
    over every integer 0 ≤ y ≤ most, 0 ≤ n ≤ most, a superset of what any roster has. For any
    prices π (per period, {(measure, advisor): points per unit}; "paid" for minutes), the roster's
    objective ≥ Σ_p (floor of period p with π_p) + this rest (Lagrangian relaxation, Wolsey,
    Integer Programming, ch. 10), whatever the prices — e.g. some periods' prices set to 0 to use
    their plain floor.

    Solved as one small CP-SAT model (per period and advisor: y, the balance's under/over parts,
    n, the spread's max and min); its best bound within `params` (default 2 det. s, one worker) is
    returned, so the rest is valid whether or not the search proves it (it does at once at the
    pilots' size). `under`/`over`: contract weights per minute. Prices may be fractional: they are
    used as round(scale·π)/scale, as `floor` uses them with the same `scale`. Raises ValueError when
    the terms' periods differ from `len(prices)`.
    """
    periods = len(prices)
    if any(len(c.target) != periods or len(c.tolerance) != periods or len(c.most) != periods for c in contracts) or \
            any(len(t.most) != periods for t in spreads):
        raise ValueError(f"coupling_rest: terms over other than {periods} work periods")
    model = cp_model.CpModel()
    objective: list[Any] = []
    for c in contracts:
        balance: Any = 0
        for p in range(periods):
            y = model.new_int_var(0, max(0, c.most[p]), f"paid({c.employee},{p})")
            balance = balance + y - c.target[p]
            reach = sum(c.most[: p + 1]) + sum(c.target[: p + 1])  # |balance| never exceeds this
            u = model.new_int_var(0, reach, f"under({c.employee},{p})")
            o = model.new_int_var(0, reach, f"over({c.employee},{p})")
            model.add(u >= -c.tolerance[p] - balance)
            model.add(o >= balance - c.tolerance[p])
            objective += [scale * under * u, scale * over * o, -round(scale * prices[p].get(("paid", c.employee), 0)) * y]
    for t in spreads:
        cumulative: list[Any] = [0] * len(t.members)
        for p in range(periods):
            top = sum(k * sum(m[e] for m in t.most[: p + 1]) for e, k in enumerate(t.scale))
            hi = model.new_int_var(0, top, f"max({t.measure},{p})")
            lo = model.new_int_var(0, top, f"min({t.measure},{p})")
            for e, (who, k) in enumerate(zip(t.members, t.scale, strict=True)):
                n = model.new_int_var(0, max(0, t.most[p][e]), f"{t.measure}({who},{p})")
                cumulative[e] = cumulative[e] + n
                model.add(hi >= k * cumulative[e])
                model.add(lo <= k * cumulative[e])
                objective.append(-round(scale * prices[p].get((t.measure, who), 0)) * n)
            objective.append(scale * t.weight * (hi - lo))
    if not objective:
        return 0.0
    model.minimize(sum(objective))
    result = kit.solve(model, params or SolveParams(work_limit=2.0, workers=1))
    if result.best_bound is None:
        raise ValueError("coupling_rest: the amounts' boxes admit no value")  # every box holds 0: not reached
    # The objective is integral: its bound is the next integer up, after CP-SAT's floating-point noise
    # (a best bound of -193.99999999999997 for an optimum of -194 made the sum inexact).
    return math.ceil(result.best_bound - 1e-6) / scale


def relaxation_bound(problem: AdvisorRosterProblem, weights: Weights, spans: Sequence[range],
                     contracts: Sequence[ContractTerms], duals: dict | None = None) -> float | None:
    """A lower bound on any roster of `problem` (penalty points): the LP relaxation (GLOP) of its cover,
    on-duty, skill and contract terms over the whole horizon, the contract balance charged at the end
    of every work period in `spans` (day ranges, in order) with `contracts`' targets and tolerances —
    as a roster made in those work periods is scored.

    Where the periods' floors see each period alone, this sees every advisor's hours across the
    periods together with the cover: e.g. part-timers who must work over contract all year because
    the point is open longer than the full-timer can work. Variables x[e,d,s] ∈ [0, 1] for each shift
    an advisor may work that day (not away, the point open, the shift theirs); Σ_s x[e,d,s] ≤ 1; a day
    off in every 7-day block from day 0 when the weekly rest applies (Act §27: the rest is around a
    free day); per interval short ≥ r − on, surplus ≥ on − r, unmanned ≥ m − on (on ≥ m when on duty
    is hard); per skill need missing ≥ 1 − Σ trained advisors' shifts at the point; per advisor and
    period under/over ≥ the cumulative balance beyond the tolerance. Every other rule is dropped and
    every other penalty is ≥ 0, so the LP's least is at most any roster's objective. Every roster
    scores whole points, so the value is rounded up to one after 10⁻⁵ of it is taken off for GLOP's
    tolerances. None when GLOP does not solve it to optimality (or the hard on-duty rule leaves no
    roster at all). `duals`, when given, receives the LP's dual value of each (advisor, period)
    balance row: the LP's price of one more paid minute of that advisor in that period (points per
    minute), the prices planner/rosters/roster.py puts into the periods' floors.
    """
    base = problem.base
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    inf = solver.infinity()
    objective = solver.Objective()

    def row(lo: float, hi: float, terms: Sequence[tuple[Any, float]]) -> Any:
        r = solver.RowConstraint(lo, hi, "")
        for var, coeff in terms:
            r.SetCoefficient(var, coeff)
        return r

    def penalty(weight: int, lo: float, hi: float | None = None) -> Any:  # a variable in [lo, hi] charged at `weight`
        v = solver.NumVar(lo, inf if hi is None else hi, "")
        objective.SetCoefficient(v, weight)
        return v

    away = {(a.employee, d) for a in problem.absences for d in a.days}
    x: dict[tuple[int, int, int], Any] = {}
    for e, emp in enumerate(base.employees):
        for d in range(base.horizon):
            if (emp.id, d) in away or d in emp.days_off:
                continue
            day = [s for s, sh in enumerate(base.shifts) if sh.id in problem.shifts_on_day.get(d, ()) and emp.may_work(sh.id)]
            for s in day:
                x[e, d, s] = solver.NumVar(0.0, 1.0, "")
            if len(day) > 1:
                row(-inf, 1.0, [(x[e, d, s], 1.0) for s in day])
    worked: dict[tuple[int, int], list[Any]] = {}
    on_point: dict[tuple[str, int], list[tuple[int, int, Any]]] = {}
    for (e, d, s), var in x.items():
        worked.setdefault((e, d), []).append(var)
        on_point.setdefault((problem.shift_point[base.shifts[s].id], d), []).append((e, s, var))
    if base.rest.weekly_rest_minutes:
        for e in range(len(base.employees)):
            for first in range(0, base.horizon - 6, 7):
                days = [v for d in range(first, first + 7) for v in worked.get((e, d), ())]
                if days:
                    row(-inf, 6.0, [(v, 1.0) for v in days])
    for iv in problem.intervals:
        on = [(var, 1.0) for _, s, var in on_point.get((iv.point, iv.day), ())
              if any(a <= iv.start and iv.end <= z for a, z in base.shifts[s].serving)]
        if weights.cover_under and iv.required > 0:  # short ≥ r − on
            row(iv.required, inf, [(penalty(weights.cover_under, 0.0), 1.0), *on])
        if weights.cover_over:  # surplus ≥ on − r
            row(-iv.required, inf, [(penalty(weights.cover_over, 0.0), 1.0), *((v, -c) for v, c in on)])
        if iv.min_on_duty > 0 and problem.on_duty_hard:
            row(iv.min_on_duty, inf, on)
        elif iv.min_on_duty > 0 and weights.unmanned:  # unmanned ≥ m − on
            row(iv.min_on_duty, inf, [(penalty(weights.unmanned, 0.0), 1.0), *on])
    emp = {e.id: i for i, e in enumerate(base.employees)}
    if weights.missing_skill:
        for need in problem.skills:
            trained = {emp[a] for a in need.trained if a in emp}
            there = [(var, 1.0) for e, _, var in on_point.get((need.point, need.day), ()) if e in trained]
            row(1.0, inf, [(penalty(weights.missing_skill, 0.0, 1.0), 1.0), *there])  # missing ≥ 1 − Σ there
    period_of = {d: k for k, span in enumerate(spans) for d in span}
    paid: dict[tuple[int, int], list[tuple[Any, float]]] = {}
    for (e, d, s), var in x.items():
        if d in period_of:
            paid.setdefault((e, period_of[d]), []).append((var, float(base.shifts[s].paid_minutes)))
    rows: dict[tuple[str, int], Any] = {}
    for c in contracts:
        if c.employee not in emp or len(c.target) != len(spans):
            continue
        e, previous = emp[c.employee], None
        for k in range(len(spans)):
            # B_k = B_{k−1} + paid_k − T_k; under ≥ −tol − B_k; over ≥ B_k − tol
            balance = solver.NumVar(-inf, inf, "")
            terms = [(balance, 1.0), *((v, -m) for v, m in paid.get((e, k), ()))]
            if previous is not None:
                terms.append((previous, -1.0))
            rows[c.employee, k] = row(-c.target[k], -c.target[k], terms)
            row(-c.tolerance[k], inf, [(penalty(weights.contract_under, 0.0), 1.0), (balance, 1.0)])
            row(-c.tolerance[k], inf, [(penalty(weights.contract_over, 0.0), 1.0), (balance, -1.0)])
            previous = balance
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    if duals is not None:
        duals.update({key: r.dual_value() for key, r in rows.items()})
    value = objective.Value()
    # Every roster scores whole points (integer weights and amounts): round up after allowing for GLOP's tolerances.
    return float(math.ceil(value - 1e-5 * max(1.0, abs(value)) - 1e-6))


def assignment(built: Built, result: Result) -> dict[tuple[str, int], str]:
    """(advisor, day) → shift id of a result's roster."""
    p = built.problem.base
    return {(p.employees[e].id, d): p.shifts[s].id
            for (e, d, s), var in built.engine.x.items() if kit.value(result, var)}


def _words(message: str, amount: int) -> str:
    """Fill in the amount ({amount}, with its noun's form: kit.fill) or, for minutes, the hours ({hours})."""
    return (kit.fill(message, amount).replace("{hours}", f"{amount / 60:.2f}".rstrip("0").rstrip("."))
            .replace("{tenths}", f"{amount / 10:g}"))


def extract(built: Built, result: Result, conflict: tuple[str, ...] = ()) -> Solution:
    """The roster and one violation per non-zero soft penalty, in the words of its family;
    `conflict` is explain()'s answer when the rules admit no roster."""
    rows = []
    roster: dict[tuple[str, int], str] = {}
    if result.found:
        roster = assignment(built, result)
        for pen in built.penalties:
            amount = kit.value(result, pen.var)
            if amount and pen.weight:
                rows.append(kit.violation(pen, amount, _words(pen.message, amount)))
    return Solution(result.status, result.objective, result.best_bound, result.gap, result.seconds,
                    result.time_limited, roster, tuple(rows), conflict, result.work_limited)
