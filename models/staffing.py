"""Shift cover for one service point on one day (CP-SAT).

Formulation
-----------
Sets
    T   open intervals of the day (start minute ``t``, length ``D`` minutes)
    S   shift templates (start, length, unpaid break length, break window)
    K_s break starts allowed for template s (on the interval grid, inside the window
        and inside the shift; a single "no break" option when the break length is 0)
Data
    r_t required counter advisors (from ``planner.staffing.queueing``), m_t minimum on duty,
    a_{s,k,t} = 1 when shift s with break k is at work (not on break) during t,
    p_s paid minutes of s (length minus break), W back-office minutes, N advisors,
    serve minutes spent serving customers over the day (the counter workload).
Variables
    x_{s,k} in 0..N   advisors working template s with break k        (integer)
    on_t = sum_{s,k} a_{s,k,t} x_{s,k}                                 (expression)
    short_t, excess_t, unmanned_t >= 0, absorbed, extra >= 0           (integer)
Constraints, hard first
    advisor limit   sum_{s,k} x_{s,k} <= N
    counter cover   on_t - r_t = excess_t - short_t                            (soft)
    min manning     on_t + unmanned_t >= m_t                         (soft, very heavy)
    back office     absorbed <= max(D sum_t on_t - serve, 0), absorbed + extra = W  (soft)
    paid time       paid = sum_{s,k} p_s x_{s,k} + extra
Objective
    min  w_short sum short_t + w_excess sum excess_t + w_unmanned sum unmanned_t
         + w_paid paid + w_extra extra

Cover is split linearly, which gives CP-SAT a far tighter bound than max() constraints;
``Weights.check`` rejects weights under which raising excess and shortfall together
(to fake idle time for back-office work) could pay. ``extract`` recomputes every gap
from the chosen shifts, so even a time-limited plan is reported truthfully.

Minimum manning is soft with a weight far above everything else rather than hard: a day
whose shift templates cannot keep the counter staffed (one advisor whose lunch break
leaves the counter empty, or no advisor available) still gets a plan, and the gap is
reported as a violation instead of the model silently turning infeasible.

Back-office work (mail, phone: docs/domain.md) fills idle counter time first; what does
not fit is paid as extra minutes on top of the shifts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from models.kit import Penalty, Result, SolveParams, Violation, value
from models.kit import solve as kit_solve


@dataclass(frozen=True)
class ShiftTemplate:
    """A shift that may be worked: start minute of day, span, unpaid break placement."""

    start_min: int
    length_min: int  # from start to end, break included
    break_min: int = 0  # unpaid, placed by the model; 0 = no break
    break_earliest_min: int = 0  # earliest break start, minutes after shift start
    break_latest_min: int = 0  # latest break start, minutes after shift start

    @property
    def end_min(self) -> int:
        return self.start_min + self.length_min

    @property
    def paid_min(self) -> int:
        return self.length_min - self.break_min


@dataclass(frozen=True)
class StaffingDay:
    """Everything the model needs for one point and one day; nothing about files."""

    interval_min: int
    open_starts_min: tuple[int, ...]  # start minute of each open interval
    required: tuple[int, ...]  # counter advisors needed per open interval
    min_on_duty: tuple[int, ...]  # advisors at work per open interval (usually 1)
    templates: tuple[ShiftTemplate, ...]
    back_office_min: int = 0  # back-office work to fit into the day, minutes
    serving_min: int = 0  # minutes the counter staff spend serving customers over the day
    max_advisors: int = 0  # advisors available that day (upper bound)

    def __post_init__(self) -> None:
        n = len(self.open_starts_min)
        if len(self.required) != n or len(self.min_on_duty) != n:
            raise ValueError(
                f"required ({len(self.required)}) and min_on_duty ({len(self.min_on_duty)}) "
                f"need one value per open interval ({n})"
            )
        if any(start % self.interval_min for start in self.open_starts_min):
            raise ValueError("open interval starts must lie on the interval grid")
        for tpl in self.templates:
            if tpl.start_min % self.interval_min or tpl.length_min % self.interval_min:
                raise ValueError(f"{tpl} does not lie on the {self.interval_min}-minute grid")
            if tpl.break_min % self.interval_min:
                raise ValueError(f"{tpl}: break length must be a multiple of the interval")
        if min(self.required, default=0) < 0 or self.back_office_min < 0 or self.serving_min < 0:
            raise ValueError("requirements and back-office minutes must be >= 0")


@dataclass(frozen=True)
class Weights:
    """Objective weights, integers (CP-SAT needs integer coefficients)."""

    shortfall: int = 1_000  # per advisor missing from the counter per interval
    excess: int = 1  # per advisor idle at the counter per interval
    unmanned: int = 1_000_000  # per advisor below the minimum on duty per interval
    paid_minute: int = 1
    extra_back_office_minute: int = 1  # on top of paid_minute

    def check(self, interval_min: int) -> None:
        """Reject weights under which faking idle time would pay off.

        Cover is split linearly (on - r = excess - short). Raising both by one gains at
        most ``interval_min`` absorbed back-office minutes, so a shortfall must cost more
        than those minutes would as extra paid time.
        """
        gain = interval_min * (self.paid_minute + self.extra_back_office_minute)
        if self.shortfall + self.excess <= gain:
            raise ValueError(
                f"shortfall weight {self.shortfall} must exceed {gain - self.excess} for a "
                f"{interval_min}-minute interval, or idle time could be faked to absorb "
                "back-office work"
            )
        if min(self.shortfall, self.excess, self.unmanned, self.paid_minute,
               self.extra_back_office_minute) < 0:
            raise ValueError("weights must be >= 0")


@dataclass
class Built:
    problem: StaffingDay
    weights: Weights
    model: cp_model.CpModel
    x: dict[tuple[int, int | None], cp_model.IntVar]
    on_counter: list[cp_model.LinearExprT]
    shortfall: list[cp_model.IntVar]
    excess: list[cp_model.IntVar]
    unmanned: list[cp_model.IntVar]
    absorbed: cp_model.IntVar
    extra: cp_model.IntVar
    paid: cp_model.LinearExprT
    penalties: list[Penalty] = field(default_factory=list)


@dataclass(frozen=True)
class ShiftWorked:
    start_min: int
    end_min: int
    break_start_min: int | None
    break_end_min: int | None
    count: int


@dataclass(frozen=True)
class Solution:
    status: str
    shifts: tuple[ShiftWorked, ...]
    on_counter: tuple[int, ...]
    shortfall: tuple[int, ...]
    excess: tuple[int, ...]
    unmanned: tuple[int, ...]
    back_office_absorbed_min: int
    back_office_extra_min: int
    paid_min: int
    violations: tuple[Violation, ...]


# --------------------------------------------------------------------------- templates


def shift_templates(
    open_start_min: int,
    open_end_min: int,
    interval_min: int,
    lengths_min: Sequence[int],
    break_min: int = 0,
    break_earliest_min: int = 0,
    break_latest_min: int = 0,
) -> tuple[ShiftTemplate, ...]:
    """Every shift of the given lengths starting on the grid and ending by closing time."""
    templates = []
    for length in lengths_min:
        for start in range(open_start_min, open_end_min - length + 1, interval_min):
            templates.append(
                ShiftTemplate(start, length, break_min, break_earliest_min, break_latest_min)
            )
    return tuple(templates)


def break_starts(template: ShiftTemplate, interval_min: int) -> list[int | None]:
    """Allowed absolute break starts of a template; [None] when it has no break.

    Breaks start on the interval grid: the window's earliest start is rounded up to the grid
    and its latest down, so a break never starts outside the window (break_window_hours
    [2.5, 5.0] on 60-minute intervals allows starts 3, 4 and 5 h in). [] when no grid point
    lies in the window; validation refuses such a window (scenario.toml [workforce]).
    """
    if template.break_min == 0:
        return [None]
    latest = min(template.break_latest_min, template.length_min - template.break_min)
    earliest = -(-template.break_earliest_min // interval_min) * interval_min
    return [template.start_min + offset for offset in range(earliest, latest + 1, interval_min)]


def at_work(template: ShiftTemplate, break_start: int | None, t: int, length: int) -> bool:
    """True when the advisor is at the point and not on break for all of [t, t+length)."""
    if t < template.start_min or t + length > template.end_min:
        return False
    if break_start is None:
        return True
    return not (break_start < t + length and t < break_start + template.break_min)


# --------------------------------------------------------------------------- build


def add_advisor_limit(built: Built) -> None:
    """Hard: at most the advisors available that day work a shift (one shift each)."""
    built.model.Add(sum(built.x.values()) <= built.problem.max_advisors)


def add_counter_cover(built: Built) -> None:
    """Soft: every open interval has its required counter advisors; gaps and idle counted."""
    p, m, w = built.problem, built.model, built.weights
    for t, start in enumerate(p.open_starts_min):
        short = m.NewIntVar(0, p.required[t], f"counter_shortfall(t={start})")
        idle = m.NewIntVar(0, p.max_advisors, f"counter_excess(t={start})")
        # Linear split (a tight LP bound); Weights.check() makes inflating both unprofitable.
        m.Add(built.on_counter[t] - p.required[t] == idle - short)
        built.shortfall.append(short)
        built.excess.append(idle)
        built.penalties.append(Penalty("counter_shortfall", short, w.shortfall, span=(start, start + p.interval_min)))
        built.penalties.append(Penalty("counter_excess", idle, w.excess, span=(start, start + p.interval_min)))


def add_min_manning(built: Built) -> None:
    """Soft, far heavier than anything else: an open point always has someone at work."""
    p, m, w = built.problem, built.model, built.weights
    for t, start in enumerate(p.open_starts_min):
        var = m.NewIntVar(0, p.min_on_duty[t], f"unmanned(t={start})")
        m.Add(built.on_counter[t] + var >= p.min_on_duty[t])
        built.unmanned.append(var)
        built.penalties.append(Penalty("unmanned", var, w.unmanned, span=(start, start + p.interval_min)))


def add_back_office_fit(built: Built) -> None:
    """Soft: back-office work (interruptible: mail, phone) fills on-shift time not spent serving
    customers; the rest is paid as extra minutes."""
    p, m = built.problem, built.model
    on_shift = p.interval_min * sum(built.on_counter)
    ub = p.interval_min * p.max_advisors * len(p.open_starts_min)
    # Exactly max(., 0), so idle time cannot be inflated to absorb work.
    idle = m.NewIntVar(0, ub, "idle_counter_min")
    m.AddMaxEquality(idle, [on_shift - p.serving_min, 0])
    m.Add(built.absorbed <= idle)
    m.Add(built.absorbed + built.extra == p.back_office_min)
    built.penalties.append(
        Penalty("extra_back_office", built.extra, built.weights.extra_back_office_minute)
    )


def add_paid_time(built: Built) -> None:
    """Objective: every paid minute costs, shift time and extra back-office time alike."""
    built.penalties.append(Penalty("paid_minutes", built.paid, built.weights.paid_minute))


FAMILIES = (
    add_advisor_limit,
    add_counter_cover,
    add_min_manning,
    add_back_office_fit,
    add_paid_time,
)


def build(
    problem: StaffingDay, weights: Weights, families: Sequence[Callable[[Built], None]] = FAMILIES
) -> Built:
    """The CP-SAT model; ``families`` lets a test build one constraint family alone."""
    weights.check(problem.interval_min)
    model = cp_model.CpModel()
    x: dict[tuple[int, int | None], cp_model.IntVar] = {}
    for s, tpl in enumerate(problem.templates):
        for b in break_starts(tpl, problem.interval_min):
            x[s, b] = model.NewIntVar(0, problem.max_advisors, f"x(shift={s}, break={b})")
    length = problem.interval_min
    on_counter = [
        sum(
            var
            for (s, b), var in x.items()
            if at_work(problem.templates[s], b, t, length)
        )
        for t in problem.open_starts_min
    ]
    extra = model.NewIntVar(0, problem.back_office_min, "extra_back_office_min")
    absorbed = model.NewIntVar(0, problem.back_office_min, "back_office_absorbed_min")
    paid = sum(problem.templates[s].paid_min * var for (s, _), var in x.items()) + extra
    built = Built(
        problem, weights, model, x, on_counter, [], [], [], absorbed, extra, paid
    )
    for add_family in families:  # hard first, in FAMILIES order
        add_family(built)
    model.Minimize(sum(pen.weight * pen.var for pen in built.penalties))
    return built


# --------------------------------------------------------------------------- solve


def solve(built: Built, params: SolveParams) -> Result:
    """CP-SAT under the kit's budgets; presolve off (see below)."""
    # A point-day model is tiny: presolve costs 10-40x the search itself (measured 0.07 s
    # against 0.004 s a day on the pilots, same proven optimum), so skip it.
    return kit_solve(built.model, replace(params, solver={"cp_model_presolve": False, **params.solver}))


# --------------------------------------------------------------------------- extract


def extract(built: Built, result: Result) -> Solution:
    """The shifts worked and every gap, recomputed from the chosen shifts."""
    p, wt = built.problem, built.weights
    if result.objective is None:
        raise ValueError(f"no plan to extract: solver status {result.status}")
    shifts = []
    for (s, b), var in built.x.items():
        count = value(result, var)
        if count:
            tpl = p.templates[s]
            shifts.append(
                ShiftWorked(
                    tpl.start_min, tpl.end_min, b, None if b is None else b + tpl.break_min, count
                )
            )
    on_counter = tuple(
        sum(
            value(result, var)
            for (s, b), var in built.x.items()
            if at_work(p.templates[s], b, t, p.interval_min)
        )
        for t in p.open_starts_min
    )
    # Gaps are recomputed from the plan itself, so a time-limited (not optimal) answer
    # is still reported truthfully; a family left out of build() reports nothing.
    zeros = (0,) * len(p.open_starts_min)
    pairs = zip(on_counter, p.required, strict=True)
    shortfall = tuple(max(r - n, 0) for n, r in pairs) if built.shortfall else zeros
    pairs = zip(on_counter, p.required, strict=True)
    excess = tuple(max(n - r, 0) for n, r in pairs) if built.excess else zeros
    pairs = zip(on_counter, p.min_on_duty, strict=True)
    unmanned = tuple(max(m_t - n, 0) for n, m_t in pairs) if built.unmanned else zeros
    idle = max(p.interval_min * sum(on_counter) - p.serving_min, 0)
    absorbed = min(value(result, built.absorbed), idle, p.back_office_min)
    extra = p.back_office_min - absorbed
    span = {t: (t, t + p.interval_min) for t in p.open_starts_min}
    violations = [
        Violation("counter_shortfall", n, wt.shortfall, n * wt.shortfall,
                  f"{n} fewer counter advisors than the {r} needed", span=span[t])
        for t, n, r in zip(p.open_starts_min, shortfall, p.required, strict=True)
        if n
    ]
    violations += [
        Violation("unmanned", n, wt.unmanned, n * wt.unmanned,
                  f"{n} below the minimum of {m} advisors on duty", span=span[t])
        for t, n, m in zip(p.open_starts_min, unmanned, p.min_on_duty, strict=True)
        if n
    ]
    if extra:
        weight = wt.extra_back_office_minute
        violations.append(Violation("extra_back_office", extra, weight, extra * weight,
                                    "back-office work beyond idle time"))
    paid = sum(w.count * (w.end_min - w.start_min) for w in shifts) - sum(
        w.count * (w.break_end_min - w.break_start_min)
        for w in shifts
        if w.break_start_min is not None and w.break_end_min is not None
    )
    return Solution(
        status=result.status,
        shifts=tuple(sorted(shifts, key=_shift_order)),
        on_counter=on_counter,
        shortfall=shortfall,
        excess=excess,
        unmanned=unmanned,
        back_office_absorbed_min=p.back_office_min - extra,
        back_office_extra_min=extra,
        paid_min=paid + extra,
        violations=tuple(violations),
    )


def _shift_order(shift: ShiftWorked) -> tuple[int, int, int]:
    return shift.start_min, shift.end_min, shift.break_start_min or 0


# --------------------------------------------------------------------------- cache


def problem_key(problem: StaffingDay, weights: Weights, params: SolveParams) -> str:
    """Stable digest of everything that determines a day's plan (dates are not in it)."""
    return hashlib.sha256(repr((problem, weights, params)).encode()).hexdigest()


def solve_day_cached(
    problem: StaffingDay,
    weights: Weights,
    params: SolveParams,
    cache: dict[str, Solution],
) -> Solution:
    """Solve a day once per distinct (curve, templates, limits, weights); reuse the rest."""
    key = problem_key(problem, weights, params)
    if key not in cache:
        built = build(problem, weights)
        cache[key] = extract(built, solve(built, params))
    return cache[key]
