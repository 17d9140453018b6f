"""VRPTW engine, Solomon reader and the independent route checker."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.formats import parse_solomon, read_solomon
from bench.route_check import check_vrptw
from models import routing
from tests.paths import bench_dir

SOLOMON = bench_dir("solomon")

QUICK = routing.SearchParams(
    time_limit_s=0.4,
    configs=(routing.SearchConfig(first_solutions=("PARALLEL_CHEAPEST_INSERTION",),
                                  ruin_recreate_iterations=2_000),),
)


def solve(problem: routing.RoutingProblem, params: routing.SearchParams = QUICK):
    built = routing.build(problem, params)
    return routing.extract(built, routing.solve(built, params))


def as_check_input(solution: routing.Solution) -> list[tuple[int, list[int]]]:
    return [(r.vehicle, [s.node for s in r.stops[1:-1]]) for r in solution.routes]


def tiny_problem() -> routing.RoutingProblem:
    """Depot and five visits; windows split them into a morning and an afternoon group."""
    spots = [(0, 0, 0, 0, 100), (2, 1, 3, 0, 10), (3, 3, 4, 0, 12), (-2, 2, 2, 0, 40),
             (4, -1, 3, 20, 40), (-3, -2, 5, 0, 40)]
    nodes = tuple(
        routing.Node(id=f"n{i}", x=x, y=y, demand=q, ready_time=a, due_time=b, service_time=1)
        for i, (x, y, q, a, b) in enumerate(spots)
    )
    nodes = (nodes[0].model_copy(update={"service_time": 0.0}), *nodes[1:])
    vehicles = tuple(routing.Vehicle(id=f"v{k}", start=0, end=0, capacity=10) for k in range(2))
    return routing.RoutingProblem(nodes=nodes, vehicles=vehicles)


def brute_force_optimum(problem: routing.RoutingProblem) -> float:
    """Every split of every visit order into two routes, scored by the checker."""
    visits = problem.visit_indices()
    best = math.inf
    for order in itertools.permutations(visits):
        for cut in range(len(order) + 1):
            plan = [(0, list(order[:cut])), (1, list(order[cut:]))]
            plan = [(k, r) for k, r in plan if r]
            report = check_vrptw(problem, plan)
            if report.ok:
                best = min(best, report.cost)
    return best


@pytest.mark.slow  # over 2 s alone: not in `make test-quick`
def test_tiny_instance_reaches_the_brute_force_optimum():
    problem = tiny_problem()
    optimum = brute_force_optimum(problem)
    assert math.isfinite(optimum)
    solution = solve(problem)
    assert solution.status == "FEASIBLE"
    assert solution.objective == pytest.approx(optimum, abs=1e-6)
    assert check_vrptw(problem, as_check_input(solution)).ok
    assert solution.bound is not None and solution.bound <= optimum + 1e-9


def test_reported_schedule_respects_windows_and_loads():
    solution = solve(tiny_problem())
    for route in solution.routes:
        node_of = {i: nd for i, nd in enumerate(tiny_problem().nodes)}
        for stop in route.stops[1:-1]:
            nd = node_of[stop.node]
            assert nd.ready_time - 1e-9 <= stop.start <= nd.due_time + 1e-9
        assert route.stops[-1].load_after == route.load <= 10


def test_unreachable_window_is_reported_not_raised():
    problem = tiny_problem()
    late = problem.nodes[1].model_copy(update={"x": 50.0, "y": 50.0, "due_time": 5.0})
    problem = problem.model_copy(update={"nodes": (problem.nodes[0], late, *problem.nodes[2:])})
    solution = solve(problem)
    assert solution.status == "PARTIAL"
    assert [(u.node_id, u.reason) for u in solution.unassigned] == [
        ("n1", "no vehicle can reach it in time")
    ]
    served = {s.node for r in solution.routes for s in r.stops[1:-1]}
    assert served == {2, 3, 4, 5}


def test_optional_visit_is_dropped_when_its_penalty_is_cheaper():
    base = tiny_problem()
    far = routing.Node(id="far", x=40, y=40, demand=1, due_time=100, drop_penalty=5.0)
    problem = base.model_copy(update={"nodes": (*base.nodes, far)})
    solution = solve(problem)
    assert solution.status == "FEASIBLE"
    assert [u.node_id for u in solution.unassigned] == ["far"]
    assert solution.objective == pytest.approx(solution.distance + 5.0)


def test_vehicles_with_their_own_offices_and_working_day():
    """Two officials from different offices; an 8-unit working day limits each route."""
    nodes = (
        routing.Node(id="office A", x=0, y=0, due_time=100),
        routing.Node(id="office B", x=10, y=0, due_time=100),
        routing.Node(id="p1", x=1, y=1, service_time=1, ready_time=0, due_time=100),
        routing.Node(id="p2", x=9, y=1, service_time=1, ready_time=0, due_time=100),
        routing.Node(id="p3", x=11, y=1, service_time=1, ready_time=0, due_time=100),
    )
    vehicles = (
        routing.Vehicle(id="A", start=0, end=0, max_duration=8),
        routing.Vehicle(id="B", start=1, end=1, max_duration=8),
    )
    problem = routing.RoutingProblem(nodes=nodes, vehicles=vehicles)
    solution = solve(problem)
    assert solution.status == "FEASIBLE"
    by_vehicle = {r.vehicle_id: [s.node_id for s in r.stops[1:-1]] for r in solution.routes}
    assert by_vehicle["A"] == ["p1"]
    assert sorted(by_vehicle["B"]) == ["p2", "p3"]
    assert all(r.duration <= 8 + 1e-9 for r in solution.routes)
    assert check_vrptw(problem, as_check_input(solution)).ok


def test_vehicle_that_cannot_reach_its_end_depot_stays_idle():
    base = tiny_problem()
    far_office = routing.Node(id="far office", x=0, y=30, due_time=100)
    problem = base.model_copy(update={
        "nodes": (*base.nodes, far_office),
        "vehicles": (*base.vehicles, routing.Vehicle(id="v9", start=0, end=6, max_duration=20)),
    })
    solution = solve(problem)
    assert solution.status == "FEASIBLE"
    assert solution.idle_vehicles == (("v9", "start-to-end trip exceeds its max duration"),)
    assert all(r.vehicle_id != "v9" for r in solution.routes)


def test_checker_catches_capacity_window_and_missing_visit():
    problem = tiny_problem()
    good = solve(problem)
    plan = as_check_input(good)
    assert check_vrptw(problem, plan).ok
    everything = [(0, [5, 4, 3, 2, 1])]  # 17 units on a vehicle of 10, and n1 too late
    causes = {v.rule for v in check_vrptw(problem, everything).findings}
    assert {"capacity", "time_window"} <= causes
    missing = [(k, [n for n in r if n != 3]) for k, r in plan]
    assert [v.rule for v in check_vrptw(problem, missing).findings] == ["missing_visit"]
    (k, first_route), *rest = plan
    twice = [(k, [*first_route, first_route[0]]), *rest]
    assert "repeated_visit" in {v.rule for v in check_vrptw(problem, twice).findings}


def test_checker_catches_late_return_and_long_route():
    problem = tiny_problem()
    short_day = problem.model_copy(update={"vehicles": tuple(
        v.model_copy(update={"max_duration": 3.0}) for v in problem.vehicles)})
    plan = [(0, [3, 5]), (1, [1, 2, 4])]  # both routes take longer than 3
    causes = {v.rule for v in check_vrptw(short_day, plan).findings}
    assert "route_duration" in causes
    assert check_vrptw(problem, plan).ok
    early_depot = problem.model_copy(update={"nodes": (
        problem.nodes[0].model_copy(update={"due_time": 3.0}), *problem.nodes[1:])})
    causes = {v.rule for v in check_vrptw(early_depot, plan).findings}
    assert causes == {"late_return"}


def test_solomon_reader_handles_crlf_and_counts():
    c101 = read_solomon(SOLOMON / "C101.txt")
    assert c101.name == "C101"
    assert (c101.fleet_size, c101.capacity) == (25, 200)
    assert len(c101.problem.nodes) == 101
    depot = c101.problem.nodes[0]
    assert (depot.x, depot.y, depot.due_time) == (40, 50, 1236)
    assert c101.problem.nodes[1].service_time == 90
    assert b"\r\n" in (SOLOMON / "C101.txt").read_bytes()
    r101 = read_solomon(SOLOMON / "R101.txt")
    assert len(r101.problem.visit_indices()) == 100


def test_solomon_parser_on_text():
    text = ("T1\r\n\r\nVEHICLE\r\nNUMBER     CAPACITY\r\n  2         10\r\n\r\nCUSTOMER\r\n"
            "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r\n"
            " \r\n    0      0         0          0          0       100          0   \r\n"
            "    1      3         4          5          0        50         10   \r\n")
    inst = parse_solomon(text)
    assert inst.name == "T1" and inst.fleet_size == 2
    solution = solve(inst.problem)
    assert solution.objective == pytest.approx(10.0)


@pytest.mark.slow
def test_c101_within_one_percent_on_a_work_budget():
    instance = read_solomon(SOLOMON / "C101.txt")
    configs = tuple(c.model_copy(update={"ruin_recreate_iterations": 20_000}) for c in routing.SearchParams().configs)
    params = routing.SearchParams(time_limit_s=60.0, configs=configs)
    solution = solve(instance.problem, params)
    report = check_vrptw(instance.problem, as_check_input(solution))
    assert report.ok, report.hard
    assert report.cost == pytest.approx(solution.distance)
    assert solution.distance <= 828.94 * 1.01


@st.composite
def small_instances(draw) -> routing.RoutingProblem:
    n = draw(st.integers(2, 7))
    coord = st.integers(0, 20)
    depots = [routing.Node(id="d0", x=draw(coord), y=draw(coord), due_time=200),
              routing.Node(id="d1", x=draw(coord), y=draw(coord), due_time=200)]
    visits = []
    for i in range(n):
        ready = draw(st.integers(0, 100))
        visits.append(routing.Node(
            id=f"c{i}", x=draw(coord), y=draw(coord), demand=draw(st.integers(0, 6)),
            service_time=draw(st.integers(0, 5)), ready_time=ready,
            due_time=ready + draw(st.integers(0, 60)),
            drop_penalty=draw(st.one_of(st.none(), st.floats(0, 50))),
        ))
    vehicles = tuple(
        routing.Vehicle(id=f"v{k}", start=k % 2, end=draw(st.integers(0, 1)),
                        capacity=draw(st.integers(5, 15)),
                        max_duration=draw(st.one_of(st.none(), st.integers(20, 150))))
        for k in range(draw(st.integers(1, 3)))
    )
    return routing.RoutingProblem(nodes=(*depots, *visits), vehicles=vehicles)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_every_produced_plan_passes_the_checker(problem):
    params = routing.SearchParams(
        time_limit_s=0.2,
        configs=(routing.SearchConfig(first_solutions=("PARALLEL_CHEAPEST_INSERTION",),
                                      ruin_recreate_iterations=500),),
    )
    solution = solve(problem, params)
    assert solution.status in ("FEASIBLE", "PARTIAL")
    report = check_vrptw(problem, as_check_input(solution))
    missing = {u.node for u in solution.unassigned if u.mandatory}
    unexplained = [v for v in report.hard
                   if not (v.rule == "missing_visit"
                           and any(problem.nodes[i].id in v.message for i in missing))]
    assert not unexplained, unexplained
    assert report.cost == pytest.approx(solution.distance, abs=1e-6)
