"""PVRP engine, Cordeau reader and the independent periodic checker."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.engines import periodic
from bench.formats import parse_cordeau_pvrp, read_cordeau_pvrp
from bench.route_check import check_pvrp
from tests.paths import bench_dir

PVRP = bench_dir("pvrp")


def solve(problem: periodic.PeriodicProblem, work: int = 1_000_000, **kw):
    params = periodic.PeriodicParams(work=work, **kw)
    built = periodic.build(problem, params)
    return periodic.extract(built, periodic.solve(built, params))


def as_check_input(solution: periodic.PeriodicSolution) -> list[tuple[int, tuple[int, ...]]]:
    return [(r.day, r.customers) for r in solution.routes]


def read_reference(path: Path) -> tuple[float, list[tuple[int, list[int]]]]:
    """A `.res` file: total cost, then `day vehicle cost load 0 c1 ... 0` per route."""
    lines = [ln.split() for ln in path.read_text().splitlines() if ln.strip()]
    routes = [(int(r[0]) - 1, [int(c) - 1 for c in r[5:-1]]) for r in lines[1:]]
    return float(lines[0][0]), routes


def tiny_problem() -> periodic.PeriodicProblem:
    """Two days, one vehicle of capacity 10 a day; A needs both days, B and C one each."""
    return periodic.PeriodicProblem(
        days=(periodic.DaySpec(vehicles=1, capacity=10), periodic.DaySpec(vehicles=1, capacity=10)),
        depot_x=0, depot_y=0,
        customers=(
            periodic.Customer(id="A", x=0, y=5, demand=4, visits=2, allowed_day_sets=((0, 1),)),
            periodic.Customer(id="B", x=1, y=6, demand=5, visits=1, allowed_day_sets=((0,), (1,))),
            periodic.Customer(id="C", x=-1, y=6, demand=5, visits=1,
                              allowed_day_sets=((0,), (1,))),
        ),
    )


def brute_force(problem: periodic.PeriodicProblem) -> float:
    """Every day-set choice and visit order (one vehicle a day), scored by the checker."""
    best = math.inf
    for choice in itertools.product(*(c.allowed_day_sets for c in problem.customers)):
        per_day = [[i for i, days in enumerate(choice) if d in days]
                   for d in range(len(problem.days))]
        for orders in itertools.product(*(itertools.permutations(p) for p in per_day)):
            plan = [(d, list(o)) for d, o in enumerate(orders) if o]
            report = check_pvrp(problem, plan)
            if report.ok:
                best = min(best, report.cost)
    return best


@pytest.mark.slow
def test_tiny_periodic_instance_reaches_brute_force_optimum():
    problem = tiny_problem()
    optimum = brute_force(problem)
    solution = solve(problem)
    assert solution.status == "FEASIBLE"
    assert solution.objective == pytest.approx(optimum)
    # B and C cannot share a day with A (4 + 5 + 5 > 10): one on each day.
    assert {solution.day_sets[1], solution.day_sets[2]} == {(0,), (1,)}
    assert check_pvrp(problem, as_check_input(solution)).ok
    assert solution.bound <= optimum + 1e-9


def test_no_room_is_reported_infeasible():
    problem = tiny_problem()
    heavy = problem.customers[1].model_copy(update={"demand": 11})
    problem = problem.model_copy(update={"customers": (problem.customers[0], heavy,
                                                       problem.customers[2])})
    solution = solve(problem, work=200_000)
    assert solution.status == "INFEASIBLE"
    assert solution.unassigned == ("B",)
    assert solution.objective is None


def test_day_set_must_match_visit_count():
    customer = periodic.Customer(id="x", x=0, y=0, visits=2, allowed_day_sets=((0,),))  # alone it is fine
    with pytest.raises(ValueError, match="must hold 2 days"):
        periodic.PeriodicProblem(
            days=(periodic.DaySpec(vehicles=1, capacity=1),), depot_x=0, depot_y=0,
            customers=(customer,),
        )


def test_checker_catches_day_set_capacity_duration_and_fleet():
    problem = tiny_problem()
    wrong_days = [(0, [0, 1, 2])]  # A only on day 0, and 14 units on a vehicle of 10
    causes = {v.rule for v in check_pvrp(problem, wrong_days).findings}
    assert causes == {"day_set_not_allowed", "capacity"}
    two_routes = [(0, [0, 1]), (0, [2]), (1, [0])]
    assert {v.rule for v in check_pvrp(problem, two_routes).findings} == {"too_many_routes"}
    short = problem.model_copy(update={"days": tuple(
        d.model_copy(update={"max_duration": 5.0}) for d in problem.days)})
    ok_plan = [(0, [0, 1]), (1, [0, 2])]
    assert check_pvrp(problem, ok_plan).ok
    assert {v.rule for v in check_pvrp(short, ok_plan).findings} == {"route_duration"}
    assert {v.rule for v in check_pvrp(problem, [(0, [0, 1])]).findings} == {
        "day_set_not_allowed", "missing_visit"}


def test_pattern_bits_read_leftmost_as_day_one():
    text = "1 2 2 5\n" + "0 100\n" * 5 + (
        " 0 0 0 0 0 0 0\n"
        " 1 1 1 0 5 2 3 5 10 20\n"
        " 2 2 2 0 5 5 1 31\n"
    )
    problem = parse_cordeau_pvrp(text)
    assert problem.customers[0].allowed_day_sets == ((2, 4), (1, 3), (0, 2))
    assert problem.customers[1].allowed_day_sets == ((0, 1, 2, 3, 4),)
    assert all(d.max_duration is None for d in problem.days)


def test_cordeau_reader_counts_and_the_p01_dummy_node():
    p01 = read_cordeau_pvrp(PVRP / "p01.txt")
    assert len(p01.days) == 2 and len(p01.customers) == 51
    assert (p01.depot_x, p01.depot_y) == (30, 40)
    assert all(d.vehicles == 3 and d.capacity == 160 for d in p01.days)
    dummy = p01.customers[50]
    assert (dummy.x, dummy.y, dummy.demand, dummy.allowed_day_sets) == (30, 40, 160, ((0,),))
    p02 = read_cordeau_pvrp(PVRP / "p02.txt")
    assert len(p02.days) == 5 and len(p02.customers) == 50


def test_checker_accepts_the_published_p01_solution():
    problem = read_cordeau_pvrp(PVRP / "p01.txt")
    cost, routes = read_reference(PVRP / "p01.res")
    # The .res leaves out the dummy node 51: it occupies the third vehicle on day 1.
    report = check_pvrp(problem, [*routes, (0, [50])])
    assert report.ok, report.hard
    assert report.cost == pytest.approx(cost, abs=0.01)


@pytest.mark.slow
def test_p01_short_solve_passes_the_checker():
    problem = read_cordeau_pvrp(PVRP / "p01.txt")
    solution = solve(problem, work=100_000_000)
    assert solution.status == "FEASIBLE"
    report = check_pvrp(problem, as_check_input(solution))
    assert report.ok, report.hard
    assert report.cost == pytest.approx(solution.objective)
    assert solution.bound <= 524.61 <= solution.objective <= 524.61 * 1.05


@st.composite
def small_periodic(draw) -> periodic.PeriodicProblem:
    days = draw(st.integers(1, 3))
    specs = tuple(
        periodic.DaySpec(vehicles=draw(st.integers(1, 2)), capacity=draw(st.integers(5, 15)),
                         max_duration=draw(st.one_of(st.none(), st.integers(30, 80))))
        for _ in range(days)
    )
    customers = []
    for i in range(draw(st.integers(1, 6))):
        visits = draw(st.integers(1, days))
        sets = draw(st.lists(st.sets(st.integers(0, days - 1), min_size=visits, max_size=visits),
                             min_size=1, max_size=3))
        customers.append(periodic.Customer(
            id=f"c{i}", x=draw(st.integers(0, 20)), y=draw(st.integers(0, 20)),
            demand=draw(st.integers(0, 6)), service_time=draw(st.integers(0, 3)), visits=visits,
            allowed_day_sets=tuple(tuple(sorted(s)) for s in sets),
        ))
    return periodic.PeriodicProblem(days=specs, depot_x=10, depot_y=10, customers=tuple(customers))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_periodic())
def test_every_produced_periodic_plan_passes_the_checker(problem):
    solution = solve(problem, work=200_000)
    report = check_pvrp(problem, as_check_input(solution))
    if solution.status == "FEASIBLE":
        assert report.ok, report.hard
        assert report.cost == pytest.approx(solution.objective)
    else:
        assert solution.unassigned
        assert solution.objective is None
