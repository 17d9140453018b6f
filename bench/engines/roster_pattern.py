"""Fast feasible schedule for one person: one shift type, work days chosen by dynamic programming.

CP-SAT needs seconds to find any schedule for one person on a year-long horizon with
dozens of shift types (run lengths, minute window and weekend cap interact), which is
too slow to seed a 150-person roster inside a minute. This constructor restricts the
person to a single shift type s (allowed, with s after s permitted by the successions
and the daily rest), fixes which weekends may be worked, and then decides work days
exactly:

    state  (working?, length of the current run, run touches the horizon start?)
    reach[d][state] = set of work-day counts achievable on days d..H-1 (a bitset)

A backward pass computes `reach`; a forward pass walks the days choosing, among the
moves that keep the count inside [ceil(min_minutes / len), floor(max_minutes / len)]
(and the type's cap), the cheaper one under the caller's per-day cost. Exact for that
restricted problem: when it says no, no single-type schedule with those weekends exists,
and the caller falls back to CP-SAT. Rules it does not model (weekly rest) make it
decline. Pure Python, about H × (max run + min off) bitset operations per try.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from models.roster_problem import MINUTES_PER_DAY, Employee, RosterProblem

State = tuple[bool, int, bool]  # (working, run length so far, run touches horizon start)


def self_compatible(problem: RosterProblem, shift: str) -> bool:
    """May `shift` follow itself on consecutive days (successions and daily rest)?"""
    if any(f.first == shift and f.then == shift for f in problem.forbidden_successions):
        return False
    sh = next(s for s in problem.shifts if s.id == shift)
    need = problem.rest.daily_rest_minutes
    return not need or MINUTES_PER_DAY - sh.length >= need


def _moves(emp: Employee, st: State, off_today: bool) -> list[tuple[bool, State]]:
    """(work today?, next state) pairs allowed from yesterday's state `st`."""
    working, run, ex = st
    max_w = emp.max_consecutive_work
    out: list[tuple[bool, State]] = []
    if working:
        if not off_today and (max_w is None or run < max_w):
            # Without a maximum the run length matters only up to the minimum.
            nxt = run + 1 if max_w is not None else min(run + 1, emp.min_consecutive_work)
            out.append((True, (True, nxt, ex)))
        if ex or run >= emp.min_consecutive_work:
            out.append((False, (False, 1, False)))
    else:
        out.append((False, (False, min(run + 1, emp.min_consecutive_off), ex)))
        if not off_today and (ex or run >= emp.min_consecutive_off):
            out.append((True, (True, 1, False)))
    return out


def _start_moves(off_today: bool) -> list[tuple[bool, State]]:
    out: list[tuple[bool, State]] = [(False, (False, 1, True))]
    if not off_today:
        out.append((True, (True, 1, True)))
    return out


def work_days(emp: Employee, horizon: int, forced_off: Sequence[bool], lo: int, hi: int,
              cost: Callable[[int], float]) -> list[int] | None:
    """Days to work so that runs, rests and lo ≤ count ≤ hi hold; cheapest greedily.

    `cost(d)` is the cost of working day d relative to resting. None when impossible.
    """
    if lo > hi or hi < 0:
        return None
    # reach[d][state]: counts achievable on days d.. given the state after day d-1.
    # Every state is final: runs touching the horizon end are exempt from minimums.
    reach: list[dict[State, int]] = [dict() for _ in range(horizon + 1)]
    states: set[State] = set()
    max_w = emp.max_consecutive_work or emp.min_consecutive_work
    for r in range(1, max(max_w, emp.min_consecutive_work) + 1):
        states |= {(True, r, True), (True, r, False)}
    for j in range(1, emp.min_consecutive_off + 1):
        states |= {(False, j, True), (False, j, False)}
    reach[horizon] = {st: 1 for st in states}
    for d in range(horizon - 1, -1, -1):
        nxt = reach[d + 1]
        cur = reach[d]
        for st in states:
            bits = 0
            for w, st2 in _moves(emp, st, forced_off[d]):
                b = nxt.get(st2, 0)
                bits |= (b << 1) if w else b
            if bits:
                cur[st] = bits
    start = 0
    for w, st2 in _start_moves(forced_off[0]):
        b = reach[1].get(st2, 0)
        start |= (b << 1) if w else b
    window = ((1 << (hi + 1)) - 1) ^ ((1 << lo) - 1)
    if not start & window:
        return None
    days, count, st = [], 0, None
    for d in range(horizon):
        options = _start_moves(forced_off[d]) if st is None else _moves(emp, st, forced_off[d])
        best = None
        for w, st2 in options:
            have = count + (1 if w else 0)
            ok = (reach[d + 1].get(st2, 0) << have) & window
            if ok:
                key = (cost(d) if w else 0.0, not w)  # ties: work (fills cover early)
                if best is None or key < best[0]:
                    best = (key, w, st2)
        if best is None:  # cannot happen: the backward pass promised a completion
            return None
        _, w, st = best
        if w:
            days.append(d)
            count += 1
    return days


def single_type_schedule(problem: RosterProblem, emp: Employee, shift: str,
                         cost: Callable[[int], float]) -> list[int] | None:
    """Work days for `emp` on `shift` only, or None (rule not modelled or impossible).

    Weekends: when the cap binds, only the `max_weekends` weekends cheapest to work (by
    `cost`) are open, the others are forced off; a fixed choice, so None can be a miss.
    """
    if problem.rest.weekly_rest_minutes or not emp.may_work(shift):
        return None
    if not self_compatible(problem, shift):
        return None
    sh = next(s for s in problem.shifts if s.id == shift)
    h = problem.horizon
    lo = -(-emp.min_minutes // sh.paid_minutes)
    hi = h if emp.max_minutes is None else emp.max_minutes // sh.paid_minutes
    hi = min(hi, emp.max_shifts.get(shift, h))
    off = [d in emp.days_off for d in range(h)]
    weekends = problem.weekends()
    if emp.max_weekends is not None and emp.max_weekends < len(weekends):
        ranked = sorted(range(len(weekends)), key=lambda v: (min(cost(d) for d in weekends[v]), v))
        for v in ranked[emp.max_weekends:]:
            for d in weekends[v]:
                off[d] = True
    return work_days(emp, h, off, max(0, lo), hi, cost)
