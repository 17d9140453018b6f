"""The roster CP-SAT model read as a MIP (same constraints, no second formulation).

A MIP solver's root LP with cuts gives a much stronger lower bound than CP-SAT reaches
with two workers on these rosters, and its incumbent makes a good CP-SAT hint. Only the
constraint kinds that models/roster.py emits are translated: linear, bool_or, bool_and,
at_most_one, exactly_one, each possibly with enforcement literals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ortools.linear_solver import pywraplp

from models.roster import Built


@dataclass(frozen=True)
class MipResult:
    status: str
    objective: float | None
    bound: float | None  # valid lower bound on the roster objective
    values: dict[int, int]  # CP-SAT variable index → value


def _ref(var: list[Any], r: int) -> tuple[float, Any, float]:
    """(sign, variable, constant) with literal r = constant + sign·variable."""
    return (1.0, var[r], 0.0) if r >= 0 else (-1.0, var[-r - 1], 1.0)


def solve_mip(
    built: Built, backend: str = "HIGHS", time_limit: float = 10.0, threads: int = 1,
    relax: bool = False,
) -> MipResult:
    """Solve the model (or its LP relaxation) with a MIP backend; deterministic per backend."""
    proto = built.model.proto
    s = pywraplp.Solver.CreateSolver("GLOP" if relax else backend)
    if s is None:
        raise RuntimeError(f"MIP backend {backend} is not available in this OR-Tools build")
    var = []
    for i, v in enumerate(proto.variables):
        dom = list(v.domain)  # the proto wrapper has no negative indexing
        lo, hi = dom[0], dom[-1]
        var.append(s.NumVar(lo, hi, f"v{i}") if relax else s.IntVar(lo, hi, f"v{i}"))
    big = 1e7

    def row(lo: float, hi: float, terms: list[tuple[float, int]], enf: list[int]) -> None:
        const, expr = 0.0, []
        for coef, r in terms:
            sign, x, c0 = _ref(var, r)
            const += coef * c0
            expr.append(coef * sign * x)
        # Enforcement e: the row may be violated by up to `big` per false literal.
        slack = [(1.0 - _ref(var, e)[2] - _ref(var, e)[0] * var[e if e >= 0 else -e - 1])
                 for e in enf]
        body = sum(expr) + const
        m = min(big, 10 * (abs(lo) + abs(hi) + sum(abs(c) for c, _ in terms)) + 1)
        if lo > -big:
            s.Add(body + m * sum(slack) >= lo)
        if hi < big:
            s.Add(body - m * sum(slack) <= hi)

    for c in proto.constraints:
        enf = list(c.enforcement_literal)
        if c.has_linear():
            d = list(c.linear.domain)
            terms = list(zip(c.linear.coeffs, c.linear.vars, strict=True))
            row(max(d[0], -big), min(d[-1], big), terms, enf)
        elif c.has_bool_or():
            row(1, big, [(1, r) for r in c.bool_or.literals], enf)
        elif c.has_bool_and():
            for r in c.bool_and.literals:
                row(1, big, [(1, r)], enf)
        elif c.has_at_most_one():
            row(-big, 1, [(1, r) for r in c.at_most_one.literals], enf)
        elif c.has_exactly_one():
            row(1, 1, [(1, r) for r in c.exactly_one.literals], enf)
        else:
            raise ValueError(f"constraint kind not translatable: {c}")
    obj = proto.objective
    terms = list(zip(obj.coeffs, obj.vars, strict=True))
    expr = sum(coef * _ref(var, r)[0] * _ref(var, r)[1] + coef * _ref(var, r)[2]
               for coef, r in terms)
    s.Minimize(expr + obj.offset)
    s.SetTimeLimit(int(time_limit * 1000))
    s.SetNumThreads(threads)
    code = s.Solve()
    names = {pywraplp.Solver.OPTIMAL: "OPTIMAL", pywraplp.Solver.FEASIBLE: "FEASIBLE",
             pywraplp.Solver.INFEASIBLE: "INFEASIBLE"}
    status = names.get(code, "UNKNOWN")
    found = status in ("OPTIMAL", "FEASIBLE")
    scale = obj.scaling_factor or 1.0
    objective = (s.Objective().Value() * scale) if found else None
    bound = s.Objective().BestBound() * scale if found or relax else None
    if relax and found:
        bound = objective
    values = {i: round(v.solution_value()) for i, v in enumerate(var)} if found else {}
    return MipResult(status, objective, bound, values)
