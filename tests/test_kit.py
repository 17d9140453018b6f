"""The solver kit's results: what a bound may be said to be (models/kit.py)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from models import kit


def _model(seed: int, size: int = 2000) -> cp_model.CpModel:
    """Minimise 5 − Σx over random three-term capacity rows: the optimum is far below 0."""
    rng = random.Random(seed)
    model = cp_model.CpModel()
    xs = [model.new_int_var(0, 10, f"x{i}") for i in range(size)]
    for _ in range(size * 3 // 2):
        a, b, c = rng.sample(xs, 3)
        model.add(a + b + c <= rng.randint(3, 25))
    model.minimize(5 - sum(xs))
    return model


def test_a_search_stopped_before_any_solution_reports_no_bound_above_the_optimum():
    # CP-SAT says 0 then, whatever the objective; the optimum here is thousands below it.
    model = _model(1)
    stopped = kit.solve(model, kit.SolveParams(work_limit=1e-9, workers=1))
    assert stopped.status == "UNKNOWN" and stopped.objective is None
    solved = kit.solve(model, kit.SolveParams(work_limit=5, workers=1))
    assert solved.found and solved.objective < 0
    assert stopped.best_bound is not None and stopped.best_bound <= solved.objective
    assert stopped.best_bound == 5 - 10 * 2000  # every x at its domain's end


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-20, 20), st.integers(-5, 5), st.integers(0, 6)), min_size=1, max_size=8),
       st.integers(-50, 50), st.booleans())
def test_the_domain_bound_is_the_best_objective_over_the_domains(terms, offset, maximise):
    model = cp_model.CpModel()
    expr, values = offset, [offset]
    for k, (coeff, lo, width) in enumerate(terms):
        v = model.new_int_var(lo, lo + width, f"v{k}")
        expr += coeff * v
        values = [a + coeff * x for a in values for x in (lo, lo + width)][:256]
        values = [min(values), max(values)]
    # CP-SAT keeps a maximisation negated with scaling −1: the bound is then the largest value.
    (model.maximize if maximise else model.minimize)(expr)
    assert kit.domain_bound(model) == (max(values) if maximise else min(values))
