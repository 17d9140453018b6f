"""The solver kit every CP-SAT model uses: one parameter set, one result, one penalty shape.

Budgets
-------
A solve stops on a *work budget*, CP-SAT's deterministic time (``work_limit``, in
deterministic seconds: a weighted count of the solver's operations, about one second of
one core on the machine OR-Tools was calibrated on). The same model, budget, seed and
worker count give the same answer on any load. ``time_limit`` is a wall-clock safety
cap only: a solve that reaches it first is cut short at a point that depends on the
machine, and its result says so (``time_limited``).

The search is deterministic for any worker count: one worker is CP-SAT's sequential
search; with more, ``interleave_search`` runs its strategies in fixed batches spread over
the workers, CP-SAT's deterministic parallel mode ("the search is deterministic,
independently of num_workers": sat_parameters.proto). Only the wall-clock cost of a
budget depends on the workers.

A budget-limited answer is FEASIBLE, never OPTIMAL: OPTIMAL means proven.

Nothing here reads the clock, a file or the environment: the seconds reported are the
solver's own measurement, for information only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model, cp_model_helper

Progress = Callable[[float, float, float], None]  # (objective, best bound, seconds)


@dataclass(frozen=True)
class SolveParams:
    """How long and how a model is searched; the same for every model."""

    work_limit: float | None = 10.0  # CP-SAT deterministic seconds; None = wall cap only (not repeatable)
    time_limit: float = 600.0  # wall-clock safety cap, seconds
    workers: int = 1  # CP-SAT workers; > 1 runs the deterministic interleaved search
    seed: int = 0
    progress: Progress | None = field(default=None, compare=False)  # each better solution
    solver: Mapping[str, Any] = field(default_factory=dict)  # further SatParameters fields
    log: bool = False  # CP-SAT's search log (stdout)

    def scaled(self, factor: float) -> SolveParams:
        """The same parameters with both budgets multiplied by `factor` (a part of a solve, a retry)."""
        work = None if self.work_limit is None else self.work_limit * factor
        return replace(self, work_limit=work, time_limit=self.time_limit * factor)


@dataclass(frozen=True)
class Result:
    """One solve: status, objective and bound in the model's units, what stopped it, the values."""

    status: str  # OPTIMAL only when proven; FEASIBLE when a budget stopped the search
    objective: float | None
    best_bound: float | None  # a valid lower bound (minimisation); None when unknown
    gap: float | None  # (objective − bound) / max(1, |objective|)
    seconds: float  # wall seconds the solver measured (information only)
    work: float  # deterministic seconds spent
    time_limited: bool = False  # the wall-clock cap stopped it: not repeatable
    work_limited: bool = False  # the work budget stopped it (repeatable)
    values: tuple[int, ...] = field(default=(), repr=False, compare=False)  # per model variable index

    @property
    def found(self) -> bool:
        return self.objective is not None


@dataclass(frozen=True)
class Penalty:
    """A soft rule's amount in the objective: weight × value of `var` (a variable, literal or
    linear expression), with where it applies and its message ("{amount}" is filled in, "{amount|advisor|advisors}"
    with the noun's form for it: fill)."""

    family: str
    var: Any
    weight: float
    message: str = ""
    employee: str | None = None
    point: str | None = None
    day: int | None = None
    shift: str | None = None
    span: tuple[int, int] | None = None  # minutes after midnight, for per-interval families


@dataclass(frozen=True)
class Violation:
    """A soft rule breached by a plan: a non-zero penalty, in words."""

    family: str
    amount: int
    weight: float
    penalty: float
    message: str
    employee: str | None = None
    point: str | None = None
    day: int | None = None
    shift: str | None = None
    span: tuple[int, int] | None = None


# "{amount|advisor|advisors}" in a penalty's message: the noun for one, and for any other amount
_COUNTED = re.compile(r"\{amount\|([^|{}]*)\|([^|{}]*)\}")


def fill(message: str, amount: int) -> str:
    """A penalty's message at `amount`: "{amount}" the number, "{amount|one|many}" the form that goes with it
    ("1 advisor short of 2", "2 advisors short of 3"; "(s)" read "1 advisor(s)" to the user)."""
    return _COUNTED.sub(lambda m: m.group(1) if amount == 1 else m.group(2), message).replace("{amount}", str(amount))


def violation(pen: Penalty, amount: int, message: str | None = None) -> Violation:
    """The violation row of a penalty at `amount`; the message defaults to the penalty's, filled in."""
    text = fill(pen.message, amount) if message is None else message
    return Violation(pen.family, amount, pen.weight, amount * pen.weight, text, pen.employee, pen.point,
                     pen.day, pen.shift, pen.span)


def solver(params: SolveParams) -> cp_model.CpSolver:
    """The one place CP-SAT parameters are set: work budget, wall cap, workers, seed, determinism."""
    s = cp_model.CpSolver()
    sp = s.parameters
    sp.num_workers = params.workers
    # One worker is sequential; more run the interleaved search, deterministic for any count.
    sp.interleave_search = params.workers > 1
    sp.random_seed = params.seed
    if params.work_limit is not None:
        sp.max_deterministic_time = params.work_limit
    sp.max_time_in_seconds = params.time_limit
    sp.log_search_progress = params.log
    for key, value in params.solver.items():
        setattr(sp, key, value)
    return s


class _Improvements(cp_model.CpSolverSolutionCallback):
    """Reports each better solution's objective, bound and the solver's seconds (scaled to the caller's units)."""

    def __init__(self, report: Progress, scale: float):
        super().__init__()
        self._report, self._scale = report, scale

    def on_solution_callback(self) -> None:
        self._report(self.objective_value / self._scale, self.best_objective_bound / self._scale,
                     self.wall_time)


def solve(model: cp_model.CpModel, params: SolveParams, scale: float = 1.0) -> Result:
    """Solve `model` under `params`; objective and bound divided by `scale` (e.g. cents → €)."""
    s = solver(params)
    callback = _Improvements(params.progress, scale) if params.progress else None
    code = s.solve(model, callback)
    return result_of(s, code, params, scale, model)


def result_of(s: cp_model.CpSolver, code: Any, params: SolveParams, scale: float = 1.0,
              model: cp_model.CpModel | None = None) -> Result:
    """The Result of a finished CpSolver.solve call on `model`.

    Stopped before any solution (UNKNOWN), the bound is the objective's least value over its
    variables' domains (`domain_bound`; None without `model`): CP-SAT then reports 0 whatever the
    objective, not a bound when the objective can be negative (a 2 000-variable model minimising
    −Σx, stopped at 10⁻⁴ det. s, reported 0 with −7 385 optimal).
    """
    name = s.status_name(code)
    proven = code in (cp_model.OPTIMAL, cp_model.INFEASIBLE, cp_model.MODEL_INVALID)
    work, seconds = s.deterministic_time, s.wall_time
    work_hit = not proven and params.work_limit is not None and work >= 0.99 * params.work_limit
    # CP-SAT stops unproven only on a limit; when it is not the work budget, it is the wall cap,
    # however early it stopped (a safety buffer before the cap; a long presolve under load left
    # a 24-hour point's model UNKNOWN after 2.8 of 4 s, and the roster was reported as if complete).
    time_hit = not proven and not work_hit
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = domain_bound(model) / scale if code == cp_model.UNKNOWN and model is not None else None
        return Result(name, None, bound, None, seconds, work, time_hit, work_hit)
    objective = s.objective_value / scale
    bound = s.best_objective_bound / scale
    return Result(name, objective, bound, gap(objective, bound), seconds, work, time_hit, work_hit,
                  tuple(s.response_proto.solution))


def domain_bound(model: cp_model.CpModel) -> float:
    """The best value the linear objective of `model` can take over its variables' domains (each
    term at its better end; the proto's offset and scaling applied): a bound on any solution's
    objective in the direction of optimisation (a lower bound when minimising), as weak as it is
    safe; 0 for a model without objective."""
    proto = model.proto
    if not model.has_objective():
        return 0.0
    total = 0
    for ref, coeff in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        domain = proto.variables[ref if ref >= 0 else -ref - 1].domain
        first, last = domain[0], domain[len(domain) - 1]  # the proto's repeated field takes no index −1
        lo, hi = (first, last) if ref >= 0 else (-last, -first)
        total += coeff * (lo if coeff > 0 else hi)
    factor = proto.objective.scaling_factor or 1.0
    return float((total + proto.objective.offset) * factor)


def gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return max(0.0, objective - bound) / max(1.0, abs(objective))


def value(result: Result, expr: Any) -> int:
    """The value of a variable, literal or integer linear expression in a result's solution."""
    if isinstance(expr, int):
        return expr
    flat = cp_model_helper.FlatIntExpr(expr)
    return flat.offset + sum(c * result.values[v.index] for v, c in zip(flat.vars, flat.coeffs, strict=True))


def with_values(result: Result, model: cp_model.CpModel, by_name: Mapping[str, int]) -> Result:
    """`result` carrying a solution given by variable name (absent names are 0), e.g. a combined plan."""
    values = tuple(int(by_name.get(v.name, 0)) for v in model.proto.variables)
    return replace(result, values=values)


def by_name(model: cp_model.CpModel, result: Result) -> dict[str, int]:
    """A result's solution keyed by variable name (to carry a plan from one model to another)."""
    return {v.name: x for v, x in zip(model.proto.variables, result.values, strict=True)}


def hint(model: cp_model.CpModel, values: Mapping[int, int]) -> None:
    """Replace `model`'s hint by `values` (variable index → value)."""
    model.clear_hints()
    keys = sorted(values)
    # one extend per field: an append per variable took ~18 µs each (0.9 s on a 48 000-variable model)
    model.proto.solution_hint.vars.extend(keys)
    model.proto.solution_hint.values.extend([values[i] for i in keys])


def solve_fixed(model: cp_model.CpModel, fixed: Mapping[int, int], start: Sequence[int], params: SolveParams,
                scale: float = 1.0) -> Result:
    """Solve `model` with the variables of `fixed` (variable index → value) held at those values, hinted
    with `start` (one value per variable): a neighbourhood of a large-neighbourhood search.

    The values are fixed in the variables' domains of the model itself (presolve drops them at once; a
    constraint per variable doubled the model), and the domains and the hint are put back afterwards, whatever
    happens: a copy per neighbourhood (CpModel.clone) was not given back to the system, ~80 MB each on a
    year's outreach area. A search of many neighbourhoods of one model uses Neighbourhoods, which sets only the
    domains that change from one neighbourhood to the next.
    """
    with Neighbourhoods(model) as search:
        return search.solve(fixed, start, params, scale)


class Neighbourhoods:
    """The neighbourhoods of one model solved one after another, as solve_fixed solves one: each `solve` fixes its
    variables in the model's own domains and hints its start, but writes only the domains (and the hint) that
    differ from the previous neighbourhood's — reading and writing every kept variable's domain took ~1.6 s a
    neighbourhood on a 192 000-variable model, more than its solve. The model each solve sees is the one
    solve_fixed would give it (same domains, same hint), so the results are the same. Leaving the `with` block
    (or `close`) puts every domain and the hint back, whatever happens.
    """

    def __init__(self, model: cp_model.CpModel):
        self.model, self.proto = model, model.proto
        self.saved: dict[int, tuple[int, ...]] = {}  # the model's own domain of every variable fixed so far
        self.current: dict[int, int] = {}  # variable → the value its domain holds now
        self.hinted = (tuple(self.proto.solution_hint.vars), tuple(self.proto.solution_hint.values))
        self.start: tuple[int, ...] | None = None
        self.writes = 0  # domains written (a measure for tests)

    def _set(self, i: int, domain: Sequence[int]) -> None:
        kept = self.proto.variables[i].domain
        kept.clear()
        kept.extend(domain)
        self.writes += 1

    def solve(self, fixed: Mapping[int, int], start: Sequence[int], params: SolveParams, scale: float = 1.0) -> Result:
        """`solve` with the variables of `fixed` held at their values and the hint `start` (one value a variable)."""
        for i in [i for i in self.current if i not in fixed]:  # freed since the last neighbourhood
            self._set(i, self.saved[i])
            del self.current[i]
        for i, value in fixed.items():
            if self.current.get(i) != value:
                if i not in self.saved:
                    self.saved[i] = tuple(self.proto.variables[i].domain)
                self._set(i, (value, value))
                self.current[i] = value
        start = tuple(start)
        if start != self.start:
            self.model.clear_hints()
            self.proto.solution_hint.vars.extend(range(len(start)))
            self.proto.solution_hint.values.extend(start)
            self.start = start
        return solve(self.model, params, scale)

    def close(self) -> None:
        """Every domain and the hint as they were before the first neighbourhood."""
        for i in self.current:
            self._set(i, self.saved[i])
        self.current.clear()
        self.model.clear_hints()
        self.proto.solution_hint.vars.extend(self.hinted[0])
        self.proto.solution_hint.values.extend(self.hinted[1])
        self.start = None

    def __enter__(self) -> Neighbourhoods:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
