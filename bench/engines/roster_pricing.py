"""Exact cheapest schedule of one person under per-cell costs: dynamic programming (numba).

Column generation (models/roster_colgen) asks, dozens of times per person, for the schedule
of least cost Σ cost[d, s] over that person's hard rules. CP-SAT answers in ~40 ms; this
DP answers the same question exactly in a few milliseconds whenever its state space is
small, which is the case for the Shift Scheduling Benchmark's rule set:

    state after day d = (today's shift or off, length of the current run (capped),
                         run touches the horizon start?, paid minutes so far (in units of
                         the gcd of the shift lengths), shifts so far of each capped type,
                         weekends worked so far)

Moves: rest (ends a work run only if it reached the minimum or touches the start), or work
shift s (allowed, not a day off, not a forbidden succession or too short a rest after
yesterday's shift, run and off-run limits, type cap, minutes ≤ max, weekend cap). A final
state is any with minutes ≥ min (runs touching the horizon end are exempt, as in
models/roster.py). `plan` returns None when a rule is outside this DP (weekly rest) or the
state space is too big; the caller then prices with CP-SAT.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from models.roster_problem import MINUTES_PER_DAY, Employee, RosterProblem, ShiftType

# DP work (days × states × moves) beyond which rules are dropped from the state, and then
# CP-SAT prices: ~20 M steps take ~40 ms, CP-SAT's time on such a person.
MAX_WORK = 20_000_000


@dataclass(frozen=True)
class PricingPlan:
    """Arrays of one person's rules in the DP's terms (built once, priced many times)."""

    horizon: int
    allowed: np.ndarray  # (ns,) bool
    forced_off: np.ndarray  # (H,) bool
    banned: np.ndarray  # (ns, ns) bool: s then t on the next day forbidden
    units: np.ndarray  # (ns,) int: paid minutes / gcd
    cap_pos: np.ndarray  # (ns,) int: digit of the type's counter, -1 = not capped
    cap_val: np.ndarray  # (nc,) int
    radix: np.ndarray  # (nc,) int
    runs: int  # run-length dimension
    max_work: int  # -1 = none
    min_work: int
    min_off: int
    top: int  # most minute units
    low: int  # fewest minute units at the end
    weekend_day: np.ndarray  # (H,) bool
    weekend_first: np.ndarray  # (H,) bool: first day of its weekend inside the horizon
    max_weekends: int  # -1 = not tracked
    states: int
    # Rules left out of the state (too many states) and checked on the result instead.
    dropped_caps: dict[int, int] = field(default_factory=dict)  # shift index -> cap
    dropped_weekends: int = -1  # the weekend cap, -1 = not dropped


def keeps_dropped_rules(p: PricingPlan, cells: list[tuple[int, int]]) -> bool:
    """Does a schedule found without the dropped rules keep them anyway?"""
    for s, cap in p.dropped_caps.items():
        if sum(1 for _, t in cells if t == s) > cap:
            return False
    if p.dropped_weekends >= 0:
        days = {d for d, _ in cells}
        # A weekend counts once: on its first day inside the horizon, or on Sunday after a free Saturday.
        worked = sum(1 for d in days if p.weekend_day[d] and (p.weekend_first[d] or d - 1 not in days))
        if worked > p.dropped_weekends:
            return False
    return True


def max_states(horizon: int, n_shifts: int, work_cap: int | None = None) -> int:
    """States per day the DP may keep (`work_cap` steps, default MAX_WORK, spread over the days and moves)."""
    return (MAX_WORK if work_cap is None else work_cap) // (horizon * (n_shifts + 1))


def plan(problem: RosterProblem, person: int, work_cap: int | None = None) -> PricingPlan | None:
    """The DP's arrays for `person`, or None when the DP does not apply (caller uses CP-SAT).

    `work_cap` (days × states × moves; default MAX_WORK) sizes the state space before rules
    are dropped: the default suits pricing, called dozens of times per person; a one-off construction can
    afford more (CONSTRUCT_WORK in bench/engines/roster_people).
    """
    if problem.rest.weekly_rest_minutes:
        return None
    emp, h, shifts = problem.employees[person], problem.horizon, problem.shifts
    ns = len(shifts)
    allowed = np.array([emp.may_work(sh.id) for sh in shifts], dtype=np.bool_)
    if not allowed.any():
        return None
    lengths = [sh.paid_minutes for sh, ok in zip(shifts, allowed, strict=True) if ok]
    unit = math.gcd(*lengths) or 1
    units = np.array([sh.paid_minutes // unit if ok else 0 for sh, ok in zip(shifts, allowed, strict=True)],
                     dtype=np.int64)
    top = h * max(lengths) // unit  # every day the longest shift
    if emp.max_minutes is not None:
        top = min(top, emp.max_minutes // unit)
    low = -(-emp.min_minutes // unit)
    idx = {sh.id: s for s, sh in enumerate(shifts)}
    banned = np.zeros((ns, ns), dtype=np.bool_)
    for f in problem.forbidden_successions:
        banned[idx[f.first], idx[f.then]] = True
    need = problem.rest.daily_rest_minutes
    if need:
        for a, sa in enumerate(shifts):
            for b, sb in enumerate(shifts):
                if MINUTES_PER_DAY + sb.start - sa.end < need:
                    banned[a, b] = True
    capped = [(s, emp.max_shifts[sh.id]) for s, sh in enumerate(shifts)
              if allowed[s] and 0 < emp.max_shifts.get(sh.id, h) < h]
    weekends = problem.weekends()
    wk_day = np.zeros(h, dtype=np.bool_)
    wk_first = np.zeros(h, dtype=np.bool_)
    for days in weekends:
        wk_day[list(days)] = True
        wk_first[days[0]] = True
    max_we = emp.max_weekends if emp.max_weekends is not None and emp.max_weekends < len(weekends) else -1
    max_work = emp.max_consecutive_work if emp.max_consecutive_work is not None else -1
    work_runs = max_work if max_work > 0 else emp.min_consecutive_work
    runs = max(work_runs, emp.min_consecutive_off, 1)
    if low > top:
        return None

    def states() -> int:
        return (ns + 1) * runs * 2 * (top + 1) * math.prod(c + 1 for _, c in capped) * (max_we + 1 if max_we >= 0 else 1)

    limit = max_states(h, ns, work_cap)
    dropped: dict[int, int] = {}
    while capped and states() > limit:
        # Too many counters: drop the largest type cap from the state; a schedule that keeps
        # it anyway is still optimal, otherwise the caller prices it in or asks CP-SAT.
        s, cap = max(capped, key=lambda sc: (sc[1], sc[0]))
        capped.remove((s, cap))
        dropped[s] = cap
    dropped_weekends = -1
    if states() > limit:
        dropped_weekends, max_we = max_we, -1
    if states() > limit:
        return None
    cap_pos = np.full(ns, -1, dtype=np.int64)
    for k, (s, _) in enumerate(capped):
        cap_pos[s] = k
    caps = [c for _, c in capped]
    radix = [math.prod(c + 1 for c in caps[:k]) for k in range(len(caps))]
    forced = np.array([d in emp.days_off for d in range(h)], dtype=np.bool_)
    return PricingPlan(h, allowed, forced, banned, units, cap_pos, np.array(caps, dtype=np.int64),
                       np.array(radix, dtype=np.int64), runs, max_work, emp.min_consecutive_work,
                       emp.min_consecutive_off, top, low, wk_day, wk_first, max_we, states(),
                       dropped, dropped_weekends)


def warm_up() -> None:
    """Compile the DP (or load it from numba's cache) on a one-day problem.

    The first call in a fresh checkout compiles for several seconds; callers with a clock
    running (bench/ssb.py) do this before starting it.
    """
    one = RosterProblem(horizon=1, shifts=(ShiftType(id="D", length=480),),
                        employees=(Employee(id="A"),))
    p = plan(one, 0)
    assert p is not None
    cheapest(p, np.zeros((1, 1)))


def cheapest(p: PricingPlan, cost: np.ndarray) -> tuple[float, list[tuple[int, int]]] | None:
    """Least Σ cost[d, s] over the schedules allowed by `p`, and its (day, shift) cells; None = none.

    With dropped rules the value is a lower bound and the cells may break them
    (`keeps_dropped_rules` tells).
    """
    value, cells = _cheapest(cost.astype(np.float64), p.horizon, p.allowed, p.forced_off, p.banned,
                             p.units, p.cap_pos, p.cap_val, p.radix, p.runs, p.max_work, p.min_work,
                             p.min_off, p.top, p.low, p.weekend_day, p.weekend_first, p.max_weekends)
    if not np.isfinite(value):
        return None
    return float(value), [(int(d), int(s)) for d, s in cells]


# nogil: the pricing threads of models/roster_colgen run side by side.
@njit(cache=True, nogil=True)
def _cheapest(cost, H, allowed, forced_off, banned, units, cap_pos, cap_val, radix, R, max_work,
              min_work, min_off, top, low, wk_day, wk_first, max_we):  # pragma: no cover - numba
    # State index, minutes outermost: states reachable by day d have minutes ≤ d × the longest
    # shift, a prefix of the index range, so early days scan only a small part of it.
    #   i = ((((m * L + last) * R + run - 1) * 2 + ex) * CP + c) * WW + w
    ns = allowed.shape[0]
    nc = cap_val.shape[0]
    CP = 1
    for k in range(nc):
        CP *= cap_val[k] + 1
    WW = max_we + 1 if max_we >= 0 else 1
    L = ns + 1
    B = L * R * 2 * CP * WW  # states per minute value
    S = (top + 1) * B
    longest = 0
    for s in range(ns):
        if allowed[s] and units[s] > longest:
            longest = units[s]
    val = np.full(S, np.inf)
    nxt = np.full(S, np.inf)
    prev = np.empty((H, S), dtype=np.int32)  # read only where a value was set
    # Day 0: rest, or any allowed shift; both runs touch the start.
    val[((0 * R + 0) * 2 + 1) * CP * WW] = 0.0
    if not forced_off[0]:
        for s in range(ns):
            if not allowed[s] or units[s] > top:
                continue
            c = 0
            if cap_pos[s] >= 0:
                c = radix[cap_pos[s]]
            w = 0
            if max_we >= 0 and wk_day[0]:
                w = 1
                if w > max_we:
                    continue
            i = ((((units[s] * L + s + 1) * R + 0) * 2 + 1) * CP + c) * WW + w
            if cost[0, s] < val[i]:
                val[i] = cost[0, s]
    reach = longest  # most minute units any state has after day 0
    for d in range(1, H):
        end = min(top, reach + longest) + 1
        for j in range(end * B):
            nxt[j] = np.inf
        for i in range(min(top, reach) * B + B):
            v = val[i]
            if v == np.inf:
                continue
            rest = i
            w = rest % WW
            rest //= WW
            c = rest % CP
            rest //= CP
            ex = rest % 2
            rest //= 2
            run = rest % R + 1
            rest //= R
            last = rest % L
            m = rest // L
            # Rest today.
            if last == 0:
                r2 = run + 1 if run < min_off else min_off
                j = ((((m * L + 0) * R + r2 - 1) * 2 + ex) * CP + c) * WW + w
                if v < nxt[j]:
                    nxt[j] = v
                    prev[d, j] = i
            elif ex == 1 or run >= min_work:
                j = ((((m * L + 0) * R + 0) * 2 + 0) * CP + c) * WW + w
                if v < nxt[j]:
                    nxt[j] = v
                    prev[d, j] = i
            if forced_off[d]:
                continue
            # Work shift s today.
            if last == 0:
                if ex == 0 and run < min_off:
                    continue
                r2, ex2 = 1, 0
            else:
                if max_work >= 0 and run >= max_work:
                    continue
                if max_work >= 0:
                    r2 = run + 1
                else:
                    r2 = run + 1 if run < min_work else min_work
                ex2 = ex
            w2 = w
            if max_we >= 0 and wk_day[d] and (wk_first[d] or last == 0):
                w2 = w + 1
                if w2 > max_we:
                    continue
            for s in range(ns):
                if not allowed[s]:
                    continue
                if last > 0 and banned[last - 1, s]:
                    continue
                m2 = m + units[s]
                if m2 > top:
                    continue
                c2 = c
                k = cap_pos[s]
                if k >= 0:
                    if (c // radix[k]) % (cap_val[k] + 1) >= cap_val[k]:
                        continue
                    c2 = c + radix[k]
                nv = v + cost[d, s]
                j = ((((m2 * L + s + 1) * R + r2 - 1) * 2 + ex2) * CP + c2) * WW + w2
                if nv < nxt[j]:
                    nxt[j] = nv
                    prev[d, j] = i
        reach = end - 1
        # The buffer swapped out holds yesterday's values, all below `end`: cleared next day.
        val, nxt = nxt, val
    best, at = np.inf, -1
    for i in range(low * B, min(top, reach) * B + B):
        if val[i] < best:
            best, at = val[i], i
    cells = np.zeros((H, 2), dtype=np.int64)
    n = 0
    if at < 0:
        return best, cells[:0]
    i = at
    for d in range(H - 1, -1, -1):
        last = (i // (R * 2 * CP * WW)) % L
        if last > 0:
            cells[n, 0] = d
            cells[n, 1] = last - 1
            n += 1
        if d > 0:
            i = prev[d, i]
    return best, cells[:n][::-1]
