"""Named-person roster: who works which shift on which day (CP-SAT).

Formulation
-----------
Sets      E employees, D = {0..H-1} days, S shift types, W weekends (Sat/Sun day sets),
          C_s cover rows per (day, shift type), C_i cover rows per (day, time interval).
Variables x[e,d,s] ∈ {0,1}  e works shift s on day d
          w[e,d]   ∈ {0,1}  e works on day d            (w = Σ_s x, the per-day work literal)
          k[e,v]   ∈ {0,1}  e works weekend v           (k = w_sat ∨ w_sun)
          r[e,d]   ∈ {0,1}  day d is e's weekly rest    (only with the weekly-rest rule)
          u_c, o_c ∈ ℕ      shortfall / surplus of cover row c
Hard      one shift a day:       Σ_s x[e,d,s] = w[e,d]
          days off:              w[e,d] = 0 on the person's fixed days off
          allowed shift types:   x[e,d,s] = 0 if e may not work s (max count 0 or not allowed)
          max shifts per type:   Σ_d x[e,d,s] ≤ max_e,s
          total minutes:         min_e ≤ Σ_d,s paid_s·x[e,d,s] ≤ max_e
          forbidden successions: x[e,d,a] + Σ_{b∈F(a)} x[e,d+1,b] ≤ 1
          daily rest:            as successions, for every (a, b) with rest < R_daily, rest =
                                 length of day d (real minutes) − end_a + start_b
          max consecutive work:  Σ_{t=d..d+m} w[e,t] ≤ m over every window of m+1 days
          min consecutive work:  w[e,d] − w[e,d−1] ≤ w[e,d+j], j < n, d ≥ 1, d+j < H
                                 (a run touching the horizon start or end is exempt)
          min consecutive off:   w[e,d−1] − w[e,d] + w[e,d+j] ≤ 1, same ranges
          max weekends:          Σ_v k[e,v] ≤ max_e
          weekly rest:           Σ_{d∈block} r[e,d] ≥ 1 per full 7-day block;
                                 r ⇒ ¬w[e,d] and no shift pair around d with rest < R_weekly
          work patterns (opt.):  one automaton per person over day labels {off, shift}
                                 restating runs and successions (redundant; off by default,
                                 it slowed the SSB search)
Soft      shift cover:           Σ_e x[e,d,s] + u − o = req        penalty wu·u + wo·o
          interval cover:        Σ_{e,(d',s) covers i} x + u − o = req  penalty wu·u + wo·o
          shift-on requests:     penalty w·(1 − x[e,d,s])
          shift-off requests:    penalty w·x[e,d,s]
Objective minimise Σ family multiplier × row weight × amount.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from models import kit
from models.kit import Penalty, Result, SolveParams, Violation
from models.roster_problem import MINUTES_PER_DAY, IntervalCover, RosterProblem

Key = tuple[str, int]  # (employee id, day)
Assignment = Mapping[Key, str]  # absent key = day off


@dataclass(frozen=True)
class Weights:
    """Multipliers applied to the row weights of each soft family."""

    cover_under: int = 1
    cover_over: int = 1
    request_on: int = 1
    request_off: int = 1


def _penalty(family: str, name: str, var: Any, weight: int, employee: str | None, day: int | None,
             shift: str | None, message: str) -> Penalty:
    """A kit penalty; `name` is the variable's (kept in the message's place when none is given)."""
    return Penalty(family, var, weight, message or name, employee=employee, day=day, shift=shift)


@dataclass
class Built:
    problem: RosterProblem
    weights: Weights
    model: cp_model.CpModel
    x: dict[tuple[int, int, int], cp_model.IntVar]  # (employee idx, day, shift idx)
    work: dict[tuple[int, int], cp_model.IntVar]
    penalties: list[Penalty]


@dataclass(frozen=True)
class Solution:
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    assignment: dict[Key, str]
    violations: tuple[Violation, ...]


# ---------------------------------------------------------------- hard families


def add_one_shift_per_day(b: Built) -> None:
    """Hard: a person works at most one shift a day; w[e,d] is that day's work literal."""
    for (e, d), w in b.work.items():
        b.model.add(sum(b.x[e, d, s] for s in range(len(b.problem.shifts))) == w)


def add_days_off(b: Built) -> None:
    """Hard: no work on a person's fixed days off (SSB days off, absences)."""
    for e, emp in enumerate(b.problem.employees):
        for d in emp.days_off:
            if d < b.problem.horizon:
                b.model.add(b.work[e, d] == 0)


def add_allowed_shifts(b: Built) -> None:
    """Hard: a person works only shift types allowed to them (max count 0 = not allowed)."""
    for e, emp in enumerate(b.problem.employees):
        for s, sh in enumerate(b.problem.shifts):
            if not emp.may_work(sh.id):
                for d in range(b.problem.horizon):
                    b.model.add(b.x[e, d, s] == 0)


def add_max_shifts_per_type(b: Built) -> None:
    """Hard: at most max_e,s shifts of type s in the horizon (contract)."""
    for e, emp in enumerate(b.problem.employees):
        for s, sh in enumerate(b.problem.shifts):
            cap = emp.max_shifts.get(sh.id)
            if cap is not None and 0 < cap < b.problem.horizon:
                b.model.add(sum(b.x[e, d, s] for d in range(b.problem.horizon)) <= cap)


def add_total_minutes(b: Built) -> None:
    """Hard: paid minutes in the horizon within the contract's [min, max]."""
    for e, emp in enumerate(b.problem.employees):
        total = sum(
            sh.paid_minutes * b.x[e, d, s]
            for d in range(b.problem.horizon)
            for s, sh in enumerate(b.problem.shifts)
        )
        if emp.min_minutes > 0:
            b.model.add(total >= emp.min_minutes)
        if emp.max_minutes is not None:
            b.model.add(total <= emp.max_minutes)


def _add_succession_pairs(b: Built, pairs: set[tuple[int, int]], days: Sequence[int] | None = None) -> None:
    """Cliques (a on day d, any forbidden b on d + 1) for each d of `days` (default every day but the last)."""
    # One clique per first shift: a then any forbidden b; tighter than pairwise cuts.
    follow: dict[int, list[int]] = {}
    for a, nxt in sorted(pairs):
        follow.setdefault(a, []).append(nxt)
    for e in range(len(b.problem.employees)):
        for d in range(b.problem.horizon - 1) if days is None else days:
            for a, nxts in follow.items():
                b.model.add_at_most_one([b.x[e, d, a]] + [b.x[e, d + 1, n] for n in nxts])


def add_forbidden_successions(b: Built) -> None:
    """Hard: shift a on day d may not be followed by a forbidden shift b on day d + 1."""
    idx = {sh.id: s for s, sh in enumerate(b.problem.shifts)}
    pairs = {(idx[f.first], idx[f.then]) for f in b.problem.forbidden_successions}
    _add_succession_pairs(b, pairs)


def _rest_pairs(shifts: Sequence[Any], gap: int, need: int) -> set[tuple[int, int]]:
    """Shift pairs (a, n) with less than `need` minutes from a's end to n's start, `gap` minutes apart as days go."""
    return {(a, n) for a, sa in enumerate(shifts) for n, sn in enumerate(shifts) if gap + sn.start - sa.end < need}


def add_daily_rest(b: Built) -> None:
    """Hard: at least R minutes of real rest between consecutive shifts (day length − end + start) — Act §25."""
    # Real time: the day's length is `day_minutes` (an hour less or more on a clock-change night).
    p = b.problem
    need = p.rest.daily_rest_minutes
    if not need:
        return
    by_length: dict[int, list[int]] = {}
    for d in range(p.horizon - 1):
        by_length.setdefault(p.day_length(d), []).append(d)
    if list(by_length) == [MINUTES_PER_DAY]:  # every day ordinary: one set of pairs for all
        _add_succession_pairs(b, _rest_pairs(p.shifts, MINUTES_PER_DAY, need))
        return
    for length, days in sorted(by_length.items()):
        _add_succession_pairs(b, _rest_pairs(p.shifts, length, need), days)


def add_max_consecutive_work(b: Built) -> None:
    """Hard: at most m working days in a row (every window of m + 1 days has an off day)."""
    h = b.problem.horizon
    for e, emp in enumerate(b.problem.employees):
        m = emp.max_consecutive_work
        if m is None or m >= h:
            continue
        for d in range(h - m):
            b.model.add(sum(b.work[e, t] for t in range(d, d + m + 1)) <= m)


def add_min_consecutive_work(b: Built) -> None:
    """Hard: a run of work is at least n days unless it touches the horizon start or end."""
    h = b.problem.horizon
    for e, emp in enumerate(b.problem.employees):
        w = b.work
        for d in range(1, h):
            for j in range(1, emp.min_consecutive_work):
                if d + j < h:
                    b.model.add(w[e, d] - w[e, d - 1] <= w[e, d + j])


def add_min_consecutive_off(b: Built) -> None:
    """Hard: a run of days off is at least n days unless it touches the horizon start or end."""
    h = b.problem.horizon
    for e, emp in enumerate(b.problem.employees):
        w = b.work
        for d in range(1, h):
            for j in range(1, emp.min_consecutive_off):
                if d + j < h:
                    b.model.add(w[e, d - 1] - w[e, d] + w[e, d + j] <= 1)


def _pattern_automaton(
    ns: int, max_work: int | None, min_work: int, min_off: int, banned: set[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Transitions (state, label, next) of one person's day sequence; label 0 = off, s+1 = s.

    A state remembers today's shift, the length of the current run (capped) and whether the
    run touches the horizon start, where minimum run lengths are exempt. Every state is
    final because a run touching the horizon end is exempt too.
    """
    cap = max_work if max_work is not None else min_work
    states: dict[tuple, int] = {("start",): 0}

    def sid(key: tuple) -> int:
        return states.setdefault(key, len(states))

    out, todo, seen = [], [("start",)], {("start",)}
    while todo:
        st = todo.pop()
        nxt: list[tuple[int, tuple]] = []
        if st[0] == "start":
            nxt = [(0, ("O", 1, True))] + [(s + 1, ("W", s, 1, True)) for s in range(ns)]
        elif st[0] == "W":
            _, s, r, ex = st
            for s2 in range(ns):
                if (s, s2) not in banned and (max_work is None or r + 1 <= max_work):
                    nxt.append((s2 + 1, ("W", s2, min(r + 1, cap), ex)))
            if ex or r >= min_work:
                nxt.append((0, ("O", 1, False)))
        else:
            _, j, ex = st
            nxt.append((0, ("O", min(j + 1, min_off), ex)))
            if ex or j >= min_off:
                nxt += [(s + 1, ("W", s, 1, False)) for s in range(ns)]
        for label, key in nxt:
            out.append((sid(st), label, sid(key)))
            if key not in seen:
                seen.add(key)
                todo.append(key)
    return out


def add_work_patterns(b: Built) -> None:
    """Hard: runs, rests and successions as one automaton per person (tight LP, redundant)."""
    p = b.problem
    idx = {sh.id: s for s, sh in enumerate(p.shifts)}
    banned = {(idx[f.first], idx[f.then]) for f in p.forbidden_successions}
    need = p.rest.daily_rest_minutes
    if need:
        # One automaton for all days: only the pairs too close even after the longest day (redundant, never stricter).
        banned |= _rest_pairs(p.shifts, max(p.day_length(d) for d in range(p.horizon)), need)
    ns = len(p.shifts)
    for e, emp in enumerate(p.employees):
        trans = _pattern_automaton(ns, emp.max_consecutive_work, emp.min_consecutive_work,
                                   emp.min_consecutive_off, banned)
        finals = sorted({t[0] for t in trans} | {t[2] for t in trans})
        labels = []
        for d in range(p.horizon):
            lab = b.model.new_int_var(0, ns, f"label(e={emp.id},d={d})")
            b.model.add(lab == sum((s + 1) * b.x[e, d, s] for s in range(ns)))
            labels.append(lab)
        b.model.add_automaton(labels, 0, finals, trans)


def add_max_weekends(b: Built) -> None:
    """Hard: at most max_e weekends with work on Saturday or Sunday."""
    weekends = b.problem.weekends()
    for e, emp in enumerate(b.problem.employees):
        if emp.max_weekends is None or emp.max_weekends >= len(weekends):
            continue
        used = []
        for v, days in enumerate(weekends):
            k = b.model.new_bool_var(f"weekend(e={emp.id},v={v})")
            # k = OR(days) as clauses: linearises to k ≥ w_d, k ≤ Σ w_d.
            for d in days:
                b.model.add_implication(b.work[e, d], k)
            b.model.add_bool_or([k.Not()] + [b.work[e, d] for d in days])
            used.append(k)
        b.model.add(sum(used) <= emp.max_weekends)


def add_weekly_rest(b: Built) -> None:
    """Hard: each full 7-day block holds a rest of R minutes around a free day — Act §27."""
    need = b.problem.rest.weekly_rest_minutes
    if not need:
        return
    p, shifts = b.problem, b.problem.shifts
    # Shift pairs (a on d-1, n on d+1) too close for a rest of `need` around free day d, by the
    # real length of days d-1 and d (a clock-change night adds or takes an hour).
    close: dict[int, list[tuple[int, int]]] = {}
    for e, emp in enumerate(p.employees):
        for start in range(0, p.horizon - 6, 7):
            rests = []
            for d in range(start, start + 7):
                r = b.model.new_bool_var(f"weekly_rest(e={emp.id},d={d})")
                b.model.add_implication(r, b.work[e, d].Not())
                if 0 < d < p.horizon - 1:
                    gap = p.day_length(d - 1) + p.day_length(d)
                    if gap not in close:
                        close[gap] = sorted(_rest_pairs(shifts, gap, need))
                    for a, n in close[gap]:
                        b.model.add_bool_or(
                            [r.Not(), b.x[e, d - 1, a].Not(), b.x[e, d + 1, n].Not()]
                        )
                rests.append(r)
            b.model.add_bool_or(rests)


# ---------------------------------------------------------------- soft families


def _cover_row(
    b: Built, covered: Sequence[Any], req: int, label: str, wu: int, wo: int,
    day: int, shift: str | None,
) -> list[Penalty]:
    m = b.model
    n = len(covered)
    under = m.new_int_var(0, req, f"under({label})")
    over = m.new_int_var(0, max(0, n - req), f"over({label})")
    m.add(sum(covered) + under - over == req)
    return [
        _penalty("cover_under", f"under({label})", under, wu * b.weights.cover_under, None, day,
                shift, f"{label}: {{amount}} {{amount|person|persons}} short of {req}"),
        _penalty("cover_over", f"over({label})", over, wo * b.weights.cover_over, None, day,
                shift, f"{label}: {{amount}} {{amount|person|persons}} above {req}"),
    ]


def add_shift_cover(b: Built) -> list[Penalty]:
    """Soft: people on shift s on day d meet the requirement; weighted shortfall and surplus."""
    idx = {sh.id: s for s, sh in enumerate(b.problem.shifts)}
    out: list[Penalty] = []
    for c in b.problem.shift_cover:
        s = idx[c.shift]
        covered = [b.x[e, c.day, s] for e in range(len(b.problem.employees))]
        out += _cover_row(b, covered, c.requirement, f"day={c.day},shift={c.shift}",
                          c.weight_under, c.weight_over, c.day, c.shift)
    return out


def interval_cells(problem: RosterProblem, c: IntervalCover) -> list[tuple[int, int]]:
    """(day, shift index) pairs whose worker serves during all of interval row `c`."""
    lo, hi = problem.day_start(c.day) + c.start, problem.day_start(c.day) + c.end
    cells = []
    for d in (c.day - 1, c.day):  # a shift may serve past midnight into the next day
        if d < 0:
            continue
        base = problem.day_start(d)
        for s, sh in enumerate(problem.shifts):
            if any(base + a <= lo and hi <= base + z for a, z in sh.serving):
                cells.append((d, s))
    return cells


def add_interval_cover(b: Built) -> list[Penalty]:
    """Soft: people serving during a time interval meet the requirement (service points)."""
    p = b.problem
    out: list[Penalty] = []
    for c in p.interval_cover:
        covered = [b.x[e, d, s] for d, s in interval_cells(p, c) for e in range(len(p.employees))]
        out += _cover_row(b, covered, c.requirement,
                          f"day={c.day},{c.start // 60:02d}:{c.start % 60:02d}"
                          f"-{c.end // 60:02d}:{c.end % 60:02d}",
                          c.weight_under, c.weight_over, c.day, None)
    return out


def add_requests(b: Built) -> list[Penalty]:
    """Soft: honour shift-on requests (work it) and shift-off requests (don't work it)."""
    emp = {e.id: i for i, e in enumerate(b.problem.employees)}
    idx = {sh.id: s for s, sh in enumerate(b.problem.shifts)}
    out: list[Penalty] = []
    for r in b.problem.requests:
        x = b.x[emp[r.employee], r.day, idx[r.shift]]
        if r.on:
            out.append(_penalty("request_on", f"unmet_on(e={r.employee},d={r.day},s={r.shift})",
                               x.Not(), r.weight * b.weights.request_on, r.employee, r.day,
                               r.shift, f"{r.employee} asked to work {r.shift} on day {r.day}"))
        else:
            out.append(_penalty("request_off", f"unmet_off(e={r.employee},d={r.day},s={r.shift})",
                               x, r.weight * b.weights.request_off, r.employee, r.day, r.shift,
                               f"{r.employee} asked not to work {r.shift} on day {r.day}"))
    return out


# ---------------------------------------------------------------- public API


def build(
    problem: RosterProblem, weights: Weights | None = None, patterns: bool = False
) -> Built:
    """Build the CP-SAT model of `problem`; families are added hard first, then soft.

    `patterns` adds the redundant per-person automaton that tightens the LP relaxation.
    """
    m = cp_model.CpModel()
    ne, ns, h = len(problem.employees), len(problem.shifts), problem.horizon
    x = {
        (e, d, s): m.new_bool_var(f"x(e={problem.employees[e].id},d={d},s={problem.shifts[s].id})")
        for e in range(ne) for d in range(h) for s in range(ns)
    }
    work = {
        (e, d): m.new_bool_var(f"w(e={problem.employees[e].id},d={d})")
        for e in range(ne) for d in range(h)
    }
    b = Built(problem, weights or Weights(), m, x, work, [])
    add_one_shift_per_day(b)
    add_days_off(b)
    add_allowed_shifts(b)
    add_max_shifts_per_type(b)
    add_total_minutes(b)
    add_forbidden_successions(b)
    add_daily_rest(b)
    add_max_consecutive_work(b)
    add_min_consecutive_work(b)
    add_min_consecutive_off(b)
    add_max_weekends(b)
    add_weekly_rest(b)
    if patterns:
        add_work_patterns(b)
    b.penalties += add_shift_cover(b)
    b.penalties += add_interval_cover(b)
    b.penalties += add_requests(b)
    m.minimize(sum(pen.weight * pen.var for pen in b.penalties if pen.weight))
    return b


def _literals(b: Built, keys: frozenset[Key], assign: Assignment) -> list[Any]:
    """Literals that pin each (employee, day) in `keys` to `assign` (absent = off)."""
    emp = {e.id: i for i, e in enumerate(b.problem.employees)}
    lits = []
    for eid, d in keys:
        e = emp[eid]
        want = assign.get((eid, d))
        for s, sh in enumerate(b.problem.shifts):
            lits.append(b.x[e, d, s] if sh.id == want else b.x[e, d, s].Not())
    return lits


def solve(built: Built, params: SolveParams | None = None, *, hint: Assignment | None = None,
          fix: Assignment | None = None, fixed_keys: frozenset[Key] = frozenset(),
          zero_families: frozenset[str] = frozenset()) -> Result:
    """Solve (a clone of) the model under the kit's budgets.

    `hint` starts the search from a roster; `fixed_keys` pins those (employee, day) cells to
    `fix` (absent = off) and `zero_families` forces soft families to 0: both restrict the
    model, so the answer is then FEASIBLE at best and carries no bound.
    """
    params = params or SolveParams()
    model = built.model
    restricted = bool(fixed_keys) or bool(zero_families)
    if restricted or hint is not None:
        model = built.model.clone()
    if zero_families:
        for pen in built.penalties:
            if pen.family in zero_families:
                model.add(pen.var == 0)
    if restricted:
        model.add_bool_and(_literals(built, fixed_keys, fix or {}))
    if hint is not None:
        p = built.problem
        for (e, d, s), var in built.x.items():
            model.add_hint(var, hint.get((p.employees[e].id, d)) == p.shifts[s].id)
        for (e, d), var in built.work.items():
            model.add_hint(var, (p.employees[e].id, d) in hint)
    result = kit.solve(model, params)
    if restricted:
        # Optimal inside the neighbourhood only; its bound says nothing about the whole.
        status = "FEASIBLE" if result.status == "OPTIMAL" else result.status
        result = replace(result, status=status, best_bound=None, gap=None)
    return result


def assignment(built: Built, result: Result) -> dict[Key, str]:
    """(employee, day) → shift id of a result's roster (absent = off)."""
    if not result.found:
        return {}
    p = built.problem
    return {(p.employees[e].id, d): p.shifts[s].id for (e, d, s), var in built.x.items() if kit.value(result, var)}


def amounts(built: Built, result: Result) -> tuple[int, ...]:
    """The value of every penalty of `built` in a result (empty when nothing was found)."""
    if not result.found:
        return ()
    return tuple(kit.value(result, pen.var) for pen in built.penalties)


def extract(built: Built, result: Result) -> Solution:
    """Turn a result into the roster and one violation per non-zero soft penalty."""
    rows = [kit.violation(pen, amount) for pen, amount in zip(built.penalties, amounts(built, result), strict=False)
            if amount and pen.weight]
    return Solution(result.status, result.objective, result.best_bound, result.gap, result.seconds,
                    assignment(built, result), tuple(rows))


# ---------------------------------------------------------------- neighbourhood search

LNS_WINDOW_DAYS = 7  # a week: every weekly rule (rest, runs, Saturdays) fits in one neighbourhood
LNS_STEP_DAYS = 4  # windows overlap by three days, so a run across a window's edge is freed whole
LNS_PIECE_WORK = (0.2, 2.0)  # least and most deterministic seconds per neighbourhood


def neighbourhoods(horizon: int, employees: int, first: int = 0) -> list[tuple[range, tuple[int, ...]]]:
    """The large-neighbourhood search's pieces, in order: (days, employee indices) freed together.

    First overlapping weeks of days for every employee (cover and runs are local in time), then,
    with three or more employees, each pair of neighbouring employees over the whole horizon
    (contract balances, total minutes and fairness are per person over the horizon). Days
    before `first` (history kept as it was) are never freed. Shape: list of (range of days,
    tuple of employee indices).
    """
    everyone = tuple(range(employees))
    if horizon - first <= LNS_WINDOW_DAYS:
        return [(range(first, horizon), everyone)]
    out = [(range(start, min(horizon, start + LNS_WINDOW_DAYS)), everyone)
           for start in range(first, horizon - LNS_STEP_DAYS + 1, LNS_STEP_DAYS)]
    if employees >= 3:
        out += [(range(first, horizon), (e, (e + 1) % employees)) for e in everyone]
    return out


def improve(model: cp_model.CpModel, x: Mapping[tuple[int, int, int], Any],
            pieces: Sequence[tuple[range, tuple[int, ...]]], incumbent: Result, params: SolveParams,
            budget: float | None) -> tuple[Result, float, bool, float]:
    """Large-neighbourhood search from a complete roster: re-solve each piece (days, employees)
    with every other x[e,d,s] fixed as the incumbent has it, keep a better roster, and go round
    again while a round improves and `budget` (deterministic seconds; None = one round) lasts.

    `model` holds every hard rule switched on; `x` maps (employee, day, shift type) indices to
    its variables. Every piece stops on its own work budget with one worker and the seed, so
    the result is the same on any machine load. Returns (best result, deterministic seconds
    used, whether the wall cap stopped a piece, wall seconds the solver measured); a piece's
    objective is the whole model's,
    the fixed shifts being part of it. Source: Shaw (1998), "Using constraint programming and
    local search methods to solve vehicle routing problems" — ruin and re-solve, here by days
    and by people (Pisinger & Ropke 2010 survey the neighbourhood choices).
    """
    lo, hi = LNS_PIECE_WORK
    share = hi if budget is None else min(hi, max(lo, budget / max(1, len(pieces))))
    used, wall, capped = 0.0, 0.0, False
    while True:
        before = incumbent.objective
        for days, people in pieces:
            if incumbent.objective == 0 or (budget is not None and used >= budget) or wall >= params.time_limit:
                return incumbent, used, capped, wall
            free = set(people)
            fixed = {var.index: incumbent.values[var.index] for (e, d, _), var in x.items()
                     if e not in free or d not in days}
            piece = kit.solve_fixed(model, fixed, incumbent.values,
                                    replace(params, work_limit=share, time_limit=params.time_limit - wall,
                                            workers=1, progress=None))
            used, wall = used + piece.work, wall + piece.seconds
            capped = capped or piece.time_limited
            if piece.found and piece.objective < incumbent.objective:
                incumbent = replace(incumbent, objective=piece.objective, values=piece.values)
                if params.progress:
                    params.progress(piece.objective, float("-inf"), wall)
        if budget is None or incumbent.objective >= before:
            return incumbent, used, capped, wall
