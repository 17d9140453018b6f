"""One tiny instance per constraint family of models/roster.py (two people, 2–4 days)."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from models import roster
from models.kit import SolveParams
from models.roster import Built, Weights, build, extract, solve
from models.roster_problem import (
    Employee,
    IntervalCover,
    Request,
    RestRules,
    RosterProblem,
    ShiftCover,
    ShiftType,
    Succession,
)

DAY = ShiftType(id="D", start=8 * 60, length=480)
LATE = ShiftType(id="L", start=14 * 60, length=480)
EARLY = ShiftType(id="E", start=6 * 60, length=480)


def problem(days: int = 2, employees: tuple[Employee, ...] | None = None, **kw) -> RosterProblem:
    emps = employees or (Employee(id="A"), Employee(id="B"))
    return RosterProblem(horizon=days, shifts=kw.pop("shifts", (DAY,)), employees=emps, **kw)


def bare(p: RosterProblem) -> Built:
    """Variables and the one-shift-a-day link only, so a test adds just its own family."""
    m = cp_model.CpModel()
    ne, ns = len(p.employees), len(p.shifts)
    x = {(e, d, s): m.new_bool_var("") for e in range(ne) for d in range(p.horizon)
         for s in range(ns)}
    w = {(e, d): m.new_bool_var("") for e in range(ne) for d in range(p.horizon)}
    b = Built(p, Weights(), m, x, w, [])
    roster.add_one_shift_per_day(b)
    return b


def best(b: Built, objective: list | None = None, force: list | None = None) -> int | None:
    """Optimal objective of `b` (None if infeasible) after forcing literals true."""
    for lit in force or []:
        b.model.add(lit == 1)
    if objective is not None:
        b.model.minimize(sum(pen.weight * pen.var for pen in objective))
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    code = s.solve(b.model)
    if code == cp_model.INFEASIBLE:
        return None
    assert code == cp_model.OPTIMAL
    return round(s.objective_value) if objective is not None else 0


def family(p: RosterProblem, add) -> Built:  # noqa: ANN001
    """A bare model of `p` with exactly one family added."""
    b = bare(p)
    add(b)
    return b


def work_all(b: Built, e: int = 0) -> list:
    return [b.work[e, d] for d in range(b.problem.horizon)]


# ---------------------------------------------------------------- hard families


def test_one_shift_per_day_forbids_two_shifts() -> None:
    b = bare(problem(shifts=(DAY, LATE)))
    assert best(b, force=[b.x[0, 0, 0], b.x[0, 0, 1]]) is None


def test_days_off() -> None:
    p = problem(employees=(Employee(id="A", days_off=frozenset({1})), Employee(id="B")))
    b = family(p, roster.add_days_off)
    assert best(b, force=[b.work[0, 1]]) is None
    b = family(p, roster.add_days_off)
    assert best(b, force=[b.work[1, 1]]) == 0


def test_allowed_shifts_zero_max_count() -> None:
    p = problem(shifts=(DAY, LATE),
                employees=(Employee(id="A", max_shifts={"L": 0}), Employee(id="B")))
    b = family(p, roster.add_allowed_shifts)
    assert best(b, force=[b.x[0, 0, 1]]) is None
    b = family(p, roster.add_allowed_shifts)
    assert best(b, force=[b.x[1, 0, 1], b.x[0, 0, 0]]) == 0


def test_max_shifts_per_type() -> None:
    p = problem(days=3, employees=(Employee(id="A", max_shifts={"D": 2}),))
    b = family(p, roster.add_max_shifts_per_type)
    assert best(b, force=work_all(b)) is None
    b = family(p, roster.add_max_shifts_per_type)
    assert best(b, force=work_all(b)[:2]) == 0


def test_total_minutes_min_and_max() -> None:
    emp = Employee(id="A", min_minutes=900, max_minutes=960)  # exactly two 480-min shifts
    b = bare(problem(days=3, employees=(emp,)))
    roster.add_total_minutes(b)
    assert best(b, force=work_all(b)) is None
    b = bare(problem(days=3, employees=(emp,)))
    roster.add_total_minutes(b)
    b.model.add(b.work[0, 1] == 0)
    b.model.add(b.work[0, 2] == 0)
    assert best(b) is None  # only one shift possible: below the minimum


def test_forbidden_successions() -> None:
    p = problem(shifts=(LATE, EARLY), forbidden_successions=(Succession(first="L", then="E"),))
    b = family(p, roster.add_forbidden_successions)
    assert best(b, force=[b.x[0, 0, 0], b.x[0, 1, 1]]) is None
    b = family(p, roster.add_forbidden_successions)
    assert best(b, force=[b.x[0, 0, 1], b.x[0, 1, 0]]) == 0


def test_daily_rest_11h() -> None:
    # Late ends 22:00, early starts 06:00: 8 h of rest < 11 h.
    p = problem(shifts=(LATE, EARLY), rest=RestRules(daily_rest_minutes=660))
    b = family(p, roster.add_daily_rest)
    assert best(b, force=[b.x[0, 0, 0], b.x[0, 1, 1]]) is None
    b = family(p, roster.add_daily_rest)
    assert best(b, force=[b.x[0, 0, 0], b.x[0, 1, 0]]) == 0


def test_max_consecutive_work() -> None:
    p = problem(days=4, employees=(Employee(id="A", max_consecutive_work=3),))
    b = family(p, roster.add_max_consecutive_work)
    assert best(b, force=work_all(b)) is None
    b = family(p, roster.add_max_consecutive_work)
    assert best(b, force=work_all(b)[:3]) == 0


def test_min_consecutive_work_exempts_horizon_ends() -> None:
    emp = (Employee(id="A", min_consecutive_work=2),)
    b = bare(problem(days=4, employees=emp))
    roster.add_min_consecutive_work(b)
    b.model.add(b.work[0, 0] == 0)
    b.model.add(b.work[0, 2] == 0)
    assert best(b, force=[b.work[0, 1]]) is None  # off-work-off inside the horizon
    b = bare(problem(days=4, employees=emp))
    roster.add_min_consecutive_work(b)
    b.model.add(b.work[0, 1] == 0)
    b.model.add(b.work[0, 2] == 0)
    assert best(b, force=[b.work[0, 0], b.work[0, 3]]) == 0  # one-day runs at both ends


def test_min_consecutive_off() -> None:
    emp = (Employee(id="A", min_consecutive_off=2),)
    b = bare(problem(days=4, employees=emp))
    roster.add_min_consecutive_off(b)
    b.model.add(b.work[0, 2] == 0)
    assert best(b, force=[b.work[0, 1], b.work[0, 3]]) is None  # work-off-work
    b = bare(problem(days=4, employees=emp))
    roster.add_min_consecutive_off(b)
    b.model.add(b.work[0, 0] == 0)
    assert best(b, force=[b.work[0, 1], b.work[0, 2], b.work[0, 3]]) == 0  # start exempt


def test_max_weekends() -> None:
    # Day 5 is Saturday, day 12 Saturday of the next weekend.
    emp = (Employee(id="A", max_weekends=1),)
    p = problem(days=14, employees=emp)
    b = family(p, roster.add_max_weekends)
    assert best(b, force=[b.work[0, 6], b.work[0, 12]]) is None
    b = family(p, roster.add_max_weekends)
    assert best(b, force=[b.work[0, 5], b.work[0, 6]]) == 0


def test_weekly_rest_35h() -> None:
    # A 06:00-22:00 shift on both sides of a free day leaves 32 h < 35 h of rest.
    long = ShiftType(id="X", start=360, length=960)
    p = problem(days=7, shifts=(long,), rest=RestRules(weekly_rest_minutes=2100),
                employees=(Employee(id="A"),))
    b = bare(p)
    roster.add_weekly_rest(b)
    assert best(b, force=[b.work[0, d] for d in (0, 2, 4, 6)]
                + [b.work[0, d].Not() for d in (1, 3, 5)]) is None
    b = bare(p)
    roster.add_weekly_rest(b)
    assert best(b, force=[b.work[0, d] for d in (0, 2, 5, 6)]
                + [b.work[0, d].Not() for d in (1, 3, 4)]) == 0  # days 3-4 off: 56 h


# ---------------------------------------------------------------- soft families


def test_shift_cover_under_and_over() -> None:
    cover = (ShiftCover(day=0, shift="D", requirement=2, weight_under=100, weight_over=1),
             ShiftCover(day=1, shift="D", requirement=0, weight_under=100, weight_over=7))
    b = bare(problem(shift_cover=cover))
    pens = roster.add_shift_cover(b)
    b.model.add(b.work[1, 0] == 0)
    assert best(b, pens, force=[b.work[0, 1]]) == 100 + 7


def test_interval_cover_uses_serving_time() -> None:
    # Serving 08:00-12:00 and 12:30-16:00: the lunch interval is not covered.
    d = ShiftType(id="D", start=480, length=480, covers=((480, 720), (750, 960)))
    cover = (IntervalCover(day=0, start=720, end=750, requirement=1, weight_under=10,
                           weight_over=1),
             IntervalCover(day=0, start=600, end=660, requirement=1, weight_under=10,
                           weight_over=3))
    b = bare(problem(days=1, shifts=(d,), interval_cover=cover))
    pens = roster.add_interval_cover(b)
    assert best(b, pens, force=[b.work[0, 0], b.work[1, 0]]) == 10 + 3


def test_requests_on_and_off() -> None:
    reqs = (Request(employee="A", day=0, shift="D", weight=3, on=True),
            Request(employee="B", day=1, shift="D", weight=5, on=False))
    b = bare(problem(requests=reqs))
    pens = roster.add_requests(b)
    assert best(b, pens, force=[b.work[0, 0].Not(), b.work[1, 1]]) == 8
    b = bare(problem(requests=reqs))
    assert best(b, roster.add_requests(b)) == 0


# ---------------------------------------------------------------- public API


def test_build_solve_extract_names_violations() -> None:
    p = problem(
        days=2,
        employees=(Employee(id="A", days_off=frozenset({0})), Employee(id="B")),
        shift_cover=(ShiftCover(day=0, shift="D", requirement=2, weight_under=100,
                                weight_over=1),),
        requests=(Request(employee="B", day=1, shift="D", weight=2, on=True),),
    )
    b = build(p, Weights(cover_under=2))
    res = solve(b, SolveParams(work_limit=5, workers=1))
    assert res.status == "OPTIMAL" and res.objective == 200 and res.best_bound == 200
    sol = extract(b, res)
    assert sol.assignment[("B", 0)] == "D" and sol.assignment[("B", 1)] == "D"
    (v,) = sol.violations
    assert (v.family, v.day, v.shift, v.amount, v.weight, v.penalty) == (
        "cover_under", 0, "D", 1, 200, 200)
    assert "1 person short of 2" in v.message


def test_a_solve_with_fixed_keys_never_claims_optimal() -> None:
    """A neighbourhood solve (some assignments fixed) proves nothing about the whole roster: FEASIBLE, no bound."""
    p = problem(days=2)
    b = build(p)
    res = solve(b, SolveParams(), fixed_keys=frozenset({("A", 0)}), fix={})
    assert res.status == "FEASIBLE" and res.best_bound is None


FAMILIES = sorted(name for name in dir(roster) if name.startswith("add_") and callable(getattr(roster, name)))


def test_the_family_list_is_every_add_function() -> None:
    assert len(FAMILIES) >= 15 and {"add_days_off", "add_max_weekends", "add_weekly_rest"} <= set(FAMILIES)


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_has_a_one_line_docstring(family: str) -> None:
    doc = getattr(roster, family).__doc__
    assert doc and "\n" not in doc.strip()


def test_work_patterns_automaton_runs_and_successions() -> None:
    emp = (Employee(id="A", min_consecutive_work=2, max_consecutive_work=2,
                    min_consecutive_off=1),)
    p = problem(days=4, employees=emp, shifts=(LATE, EARLY),
                forbidden_successions=(Succession(first="L", then="E"),))
    b = family(p, roster.add_work_patterns)
    b.model.add(b.work[0, 0] == 0)
    b.model.add(b.work[0, 2] == 0)
    assert best(b, force=[b.work[0, 1]]) is None  # a one-day run inside the horizon
    b = family(p, roster.add_work_patterns)
    assert best(b, force=[b.work[0, 0], b.work[0, 1], b.work[0, 2]]) is None  # 3 > max 2
    b = family(p, roster.add_work_patterns)
    assert best(b, force=[b.x[0, 0, 0], b.x[0, 1, 1]]) is None  # L then E
    b = family(p, roster.add_work_patterns)
    assert best(b, force=[b.work[0, 0], b.work[0, 2].Not(), b.work[0, 3]]) == 0  # ends exempt


def test_mip_translation_agrees_with_cp_sat() -> None:
    from bench.engines.roster_mip import solve_mip

    p = problem(
        days=4,
        employees=(Employee(id="A", max_consecutive_work=2, min_consecutive_off=2),
                   Employee(id="B", days_off=frozenset({1}), max_weekends=0)),
        shift_cover=tuple(ShiftCover(day=d, shift="D", requirement=2, weight_under=10,
                                     weight_over=1) for d in range(4)),
        requests=(Request(employee="A", day=3, shift="D", weight=4, on=False),),
    )
    b = build(p)
    cp = solve(b, SolveParams(work_limit=5, workers=1))
    lp = solve_mip(b, relax=True)
    mip = solve_mip(b, backend="SCIP", time_limit=5)
    assert cp.status == "OPTIMAL" and mip.status == "OPTIMAL"
    assert mip.objective == pytest.approx(cp.objective)
    assert lp.bound is not None and lp.bound <= cp.objective + 1e-6
