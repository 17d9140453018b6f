"""Vehicle routing with time windows (VRPTW) on OR-Tools routing.

Formulation
-----------
Sets: nodes N (depots and visits), vehicles K; each vehicle k starts at s_k, ends at e_k.
A node that is some vehicle's start or end is a depot; every other node is a visit.
Data: distance d_ij, travel time t_ij (defaults to d_ij), demand q_i, service time
s_i, window [a_i, b_i] on the *start* of service, optional drop penalty p_i,
capacity Q_k, max route duration D_k, fixed cost F_k.

Decisions: a route per vehicle (an ordered list of visits), service start T_i.

Hard constraints, one family each:
- every mandatory visit is served exactly once; an optional one at most once
  (a dropped optional visit costs p_i);
- load along a route stays <= Q_k;
- T_j >= T_i + s_i + t_ij along a route, a_i <= T_i <= b_i (waiting allowed);
- the vehicle leaves s_k no earlier than a_{s_k} and is back at e_k by b_{e_k};
- end time - start time <= D_k.

Objective: sum of route distances + F_k per used vehicle + p_i per dropped visit.

Numbers are floats at the API; OR-Tools needs integers, so costs are scaled and
rounded, and travel times are scaled and rounded *up*, which makes every schedule the
solver accepts feasible in floats too. Reported distances are recomputed in floats.

A mandatory visit that no vehicle can serve on its own (window, capacity or duration)
is reported as unassigned with its reason before the search; a mandatory visit the
search still cannot place is dropped at a prohibitive penalty and reported the same
way, so an infeasible instance yields a clear answer rather than no answer.

Search, per SearchConfig: OR-Tools start heuristics (first solution only; the cheapest
kept), OR-Tools local search stopped after a number of solutions, then ruin and recreate
(models.ruin_recreate, SISR compiled with numba) for a number of iterations. The configs
run one after another in this process and the cheaper plan is kept (ties go to the first
config); parallelism comes from the caller (independent problems on the planner's
executor). Budgets are counts, so a run is repeatable for its seeds; `time_limit_s` is a
safety cap that OR-Tools enforces on its own phases. Nothing here reads the clock: a
caller bound by wall time (a benchmark's rule) passes `clock`, and the phases then also
end when their share of `time_limit_s` has passed on it.

No lower bound comes from the search; `extract` reports a simple valid one (each served
visit is entered and left once; see lower_bound).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from pydantic import BaseModel, ConfigDict, Field, model_validator

from models import ruin_recreate

Status = Literal["FEASIBLE", "PARTIAL", "NO_SOLUTION"]


class Node(BaseModel):
    """A depot or a place to visit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Identifier shown in the output")
    x: float | None = Field(None, description="Planar x coordinate (distance unit)")
    y: float | None = Field(None, description="Planar y coordinate (distance unit)")
    demand: int = Field(0, ge=0, description="Load picked up at the visit (capacity unit)")
    service_time: float = Field(0.0, ge=0, description="Time spent at the node (time unit)")
    ready_time: float = Field(0.0, description="Earliest start of service (time unit)")
    due_time: float | None = Field(
        None, description="Latest start of service; for a depot, latest return (time unit)"
    )
    drop_penalty: float | None = Field(
        None, ge=0, description="Cost of not visiting; None means the visit is mandatory"
    )


class Vehicle(BaseModel):
    """A vehicle (an official's car): where it starts and ends, what it may carry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    start: int = Field(ge=0, description="Index of the start node in RoutingProblem.nodes")
    end: int = Field(ge=0, description="Index of the end node in RoutingProblem.nodes")
    capacity: int | None = Field(None, ge=0, description="Capacity (None = unlimited)")
    max_duration: float | None = Field(
        None, ge=0, description="Longest route from departure to return (time unit)"
    )
    fixed_cost: float = Field(0.0, ge=0, description="Cost of using the vehicle at all")


class RoutingProblem(BaseModel):
    """Nodes, vehicles, and either coordinates on every node or a distance matrix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nodes: tuple[Node, ...]
    vehicles: tuple[Vehicle, ...] = Field(min_length=1)
    distance: tuple[tuple[float, ...], ...] | None = Field(
        None, description="distance[i][j] between nodes i and j; else Euclidean from x, y"
    )
    travel_time: tuple[tuple[float, ...], ...] | None = Field(
        None, description="travel_time[i][j]; defaults to the distance"
    )

    @model_validator(mode="after")
    def _consistent(self) -> RoutingProblem:
        n = len(self.nodes)
        for v in self.vehicles:
            if v.start >= n or v.end >= n:
                raise ValueError(f"vehicle {v.id}: start/end node index out of range (n={n})")
        for name in ("distance", "travel_time"):
            matrix = getattr(self, name)
            if matrix is not None and (len(matrix) != n or any(len(r) != n for r in matrix)):
                raise ValueError(f"{name} must be {n}x{n}")
        if self.distance is None and any(nd.x is None or nd.y is None for nd in self.nodes):
            raise ValueError("give either a distance matrix or x, y on every node")
        depots = self.depot_indices()
        for i, nd in enumerate(self.nodes):
            if i in depots and nd.drop_penalty is not None:
                raise ValueError(f"depot {nd.id} cannot have a drop penalty")
        return self

    def depot_indices(self) -> frozenset[int]:
        return frozenset(i for v in self.vehicles for i in (v.start, v.end))

    def visit_indices(self) -> list[int]:
        depots = self.depot_indices()
        return [i for i in range(len(self.nodes)) if i not in depots]

    def distance_matrix(self) -> np.ndarray:
        if self.distance is not None:
            return np.asarray(self.distance, dtype=float)
        xy = np.array([[nd.x, nd.y] for nd in self.nodes], dtype=float)
        return np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))

    def time_matrix(self) -> np.ndarray:
        if self.travel_time is not None:
            return np.asarray(self.travel_time, dtype=float)
        return self.distance_matrix()


FirstSolution = Literal[
    "PARALLEL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "SEQUENTIAL_CHEAPEST_INSERTION",
    "SAVINGS",
    "PARALLEL_SAVINGS",
    "ALL_UNPERFORMED",
    "PATH_CHEAPEST_ARC",
    "GLOBAL_CHEAPEST_ARC",
    "CHRISTOFIDES",
]


class SearchConfig(BaseModel):
    """One way to search: start heuristics tried in turn, then one improvement method."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first_solutions: tuple[FirstSolution, ...] = (
        "PARALLEL_CHEAPEST_INSERTION",
        "SAVINGS",
        "LOCAL_CHEAPEST_INSERTION",
    )
    # OR-Tools' own iterated local search (ruin and recreate) stopped early and
    # scored worse than guided local search on R101 in our tests, so it is not offered.
    improvement: Literal["GUIDED_LOCAL_SEARCH", "GREEDY_DESCENT"] = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float = Field(0.1, gt=0, description="guided_local_search_lambda_coefficient")
    first_solution_share: float = Field(
        0.15, gt=0, le=1, description="Share of the OR-Tools time cap for trying start heuristics"
    )
    local_search_solutions: int = Field(
        200, ge=1, description="OR-Tools local search stops after this many solutions (a work budget)"
    )
    # OR-Tools' local search stalls within seconds on tight windows (R101: 1672 against
    # a best known 1642.88) while compiled ruin and recreate keeps improving.
    ruin_recreate_share: float = Field(
        0.9, ge=0, lt=1, description="Share of the time cap for ruin and recreate (with a caller's clock)"
    )
    ruin_recreate_iterations: int = Field(
        200_000, ge=0, description="Ruin-and-recreate iterations (a work budget; 0 = none)"
    )
    ruin_avg_removed: float = Field(10.0, gt=0, description="Mean visits removed per ruin")
    seed: int = Field(0, description="Seed of the ruin-and-recreate random choices")


class SearchParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit_s: float = Field(10.0, gt=0, description="Safety cap over all configs, wall seconds")
    # Two independent searches (different starts and seeds): annealing runs from one
    # seed end in different local optima, and the better of two is the cheap insurance.
    configs: tuple[SearchConfig, ...] = (
        SearchConfig(first_solutions=("LOCAL_CHEAPEST_INSERTION", "PARALLEL_CHEAPEST_INSERTION"),
                     seed=0),
        SearchConfig(first_solutions=("SAVINGS", "PATH_CHEAPEST_ARC"), seed=100),
    )
    scale: int = Field(1000, ge=1, description="Float-to-integer factor for costs and times")


@dataclass(frozen=True)
class Built:
    problem: RoutingProblem
    distance: np.ndarray
    time: np.ndarray
    scale: int
    unreachable: dict[int, str]  # node index -> why no vehicle can serve it alone
    idle_vehicles: dict[int, str]  # vehicle index -> why it cannot be used at all
    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel
    time_dimension: pywrapcp.RoutingDimension
    _callbacks: tuple = field(repr=False)  # keep SWIG callbacks alive


@dataclass(frozen=True)
class SearchResult:
    status: Status
    routes: tuple[tuple[int, ...], ...]  # per vehicle: visit node indices, depots excluded
    cost: float | None  # float objective (see plan_cost); None if the search lost a visit
    config_index: int | None  # which SearchConfig produced the plan
    first_solution: str | None


@dataclass(frozen=True)
class Stop:
    node: int
    node_id: str
    arrival: float
    start: float  # start of service (after any waiting)
    departure: float
    load_after: int


@dataclass(frozen=True)
class Route:
    vehicle: int
    vehicle_id: str
    stops: tuple[Stop, ...]  # first and last are the start and end depots
    distance: float
    duration: float
    load: int


@dataclass(frozen=True)
class Unassigned:
    node: int
    node_id: str
    mandatory: bool
    reason: Literal["no vehicle can reach it in time", "demand exceeds every capacity",
                    "route duration too long", "not placed by the search",
                    "dropped: cheaper than visiting"]


@dataclass(frozen=True)
class Solution:
    status: Status
    objective: float | None  # distance + fixed costs + drop penalties, floats
    distance: float
    vehicles_used: int
    bound: float | None  # valid lower bound on the objective (see lower_bound)
    bound_kind: str
    routes: tuple[Route, ...]  # used vehicles only
    unassigned: tuple[Unassigned, ...]
    idle_vehicles: tuple[tuple[str, str], ...] = ()  # (vehicle id, why it cannot be used)


# ---------------------------------------------------------------- build


def build(problem: RoutingProblem, params: SearchParams | None = None) -> Built:
    """Routing model: callbacks, then one add_* per constraint family, hard first."""
    params = params or SearchParams()
    scale = params.scale
    dist = problem.distance_matrix()
    time = problem.time_matrix()
    nodes = problem.nodes
    vehicles = problem.vehicles
    manager = pywrapcp.RoutingIndexManager(
        len(nodes), len(vehicles), [v.start for v in vehicles], [v.end for v in vehicles]
    )
    routing = pywrapcp.RoutingModel(manager)

    cost_int = np.rint(dist * scale).astype(np.int64)
    service = np.array([nd.service_time for nd in nodes], dtype=float)
    # Rounded up so that an integer-feasible schedule is float-feasible.
    transit_int = np.ceil((service[:, None] + time) * scale - 1e-9).astype(np.int64)
    cost_rows = cost_int.tolist()
    transit_rows = transit_int.tolist()
    node_of = manager.IndexToNode

    def arc_cost(i: int, j: int) -> int:
        return cost_rows[node_of(i)][node_of(j)]

    def arc_time(i: int, j: int) -> int:
        return transit_rows[node_of(i)][node_of(j)]

    cost_cb = routing.RegisterTransitCallback(arc_cost)
    time_cb = routing.RegisterTransitCallback(arc_time)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)

    horizon = _horizon(problem, time)
    idle = find_idle_vehicles(problem, transit_int, horizon, scale)
    unreachable = find_unreachable(problem, dist, time, idle)
    time_dim = add_time_windows(routing, manager, problem, time_cb, horizon, scale, idle)
    add_route_durations(routing, time_dim, problem, scale, idle)
    demand_cb = add_capacities(routing, manager, problem)
    add_visit_rules(routing, manager, problem, unreachable, cost_int, scale)
    keep_idle_vehicles_empty(routing, manager, problem, idle)
    add_fixed_costs(routing, problem, scale)
    return Built(problem, dist, time, scale, unreachable, idle, manager, routing, time_dim,
                 (arc_cost, arc_time, demand_cb))


def _horizon(problem: RoutingProblem, time: np.ndarray) -> float:
    """Latest time anything can matter: given due times, or a loose bound for open ones."""
    dues = [nd.due_time for nd in problem.nodes if nd.due_time is not None]
    if len(dues) == len(problem.nodes):
        return max(dues)
    loose = max(nd.ready_time for nd in problem.nodes) + sum(
        nd.service_time for nd in problem.nodes) + float(time.max(initial=0.0)) * len(problem.nodes)
    return max(dues + [loose])


def _due(node: Node, horizon: float) -> float:
    return horizon if node.due_time is None else node.due_time


def find_idle_vehicles(problem: RoutingProblem, transit_int: np.ndarray, horizon: float,
                       scale: int) -> dict[int, str]:
    """Vehicles that cannot even go from start to end within their limits, with why.

    Checked on the model's integers so that the model and this list agree. Such a
    vehicle stays unused instead of making the whole model infeasible.
    """
    out: dict[int, str] = {}
    for k, v in enumerate(problem.vehicles):
        s, e = problem.nodes[v.start], problem.nodes[v.end]
        trip = int(transit_int[v.start, v.end])
        leave = max(math.ceil(s.ready_time * scale - 1e-9), 0)
        if leave + trip > math.floor(_due(e, horizon) * scale + 1e-9):
            out[k] = "cannot reach its end depot in time"
        elif v.max_duration is not None and trip > math.floor(v.max_duration * scale + 1e-9):
            out[k] = "start-to-end trip exceeds its max duration"
    return out


def find_unreachable(problem: RoutingProblem, dist: np.ndarray, time: np.ndarray,
                     idle: dict[int, str] | None = None) -> dict[int, str]:
    """Visits no usable vehicle could serve even as its only stop, with the reason."""
    horizon = _horizon(problem, time)
    idle = idle or {}
    out: dict[int, str] = {}
    for j in problem.visit_indices():
        nd = problem.nodes[j]
        reasons = ["no vehicle can reach it in time"]  # when every vehicle is idle
        for k, v in enumerate(problem.vehicles):
            if k in idle:
                continue
            s, e = problem.nodes[v.start], problem.nodes[v.end]
            if v.capacity is not None and nd.demand > v.capacity:
                reasons.append("demand exceeds every capacity")
                continue
            begin = max(nd.ready_time, s.ready_time + s.service_time + time[v.start, j])
            back = begin + nd.service_time + time[j, v.end]
            if begin > _due(nd, horizon) + 1e-9 or back > _due(e, horizon) + 1e-9:
                reasons.append("no vehicle can reach it in time")
                continue
            leave = max(s.ready_time, nd.ready_time - time[v.start, j] - s.service_time)
            if v.max_duration is not None and back - leave > v.max_duration + 1e-9:
                reasons.append("route duration too long")
                continue
            break
        else:
            # Report the reason that stopped most vehicles.
            out[j] = max(sorted(set(reasons)), key=reasons.count)
    return out


def add_time_windows(routing, manager, problem: RoutingProblem, time_cb: int,
                     horizon: float, scale: int, idle: dict[int, str]
                     ) -> pywrapcp.RoutingDimension:
    """Hard: service starts within its window; waiting allowed; back by the depot's due."""
    h = math.ceil(horizon * scale)
    routing.AddDimension(time_cb, h, h, False, "time")
    dim = routing.GetDimensionOrDie("time")
    depots = problem.depot_indices()
    for i, nd in enumerate(problem.nodes):
        if i in depots:
            continue
        lo = math.ceil(nd.ready_time * scale - 1e-9)
        hi = math.floor(_due(nd, horizon) * scale + 1e-9)
        dim.CumulVar(manager.NodeToIndex(i)).SetRange(max(lo, 0), max(hi, 0))
    for k, v in enumerate(problem.vehicles):
        s, e = problem.nodes[v.start], problem.nodes[v.end]
        dim.CumulVar(routing.Start(k)).SetRange(
            max(math.ceil(s.ready_time * scale - 1e-9), 0),
            math.floor(_due(s, horizon) * scale + 1e-9),
        )
        if k not in idle:
            dim.CumulVar(routing.End(k)).SetRange(
                max(math.ceil(e.ready_time * scale - 1e-9), 0),
                math.floor(_due(e, horizon) * scale + 1e-9),
            )
    return dim


def add_route_durations(routing, time_dim, problem: RoutingProblem, scale: int,
                        idle: dict[int, str]) -> None:
    """Hard: return minus departure <= the vehicle's max duration (a working day)."""
    for k, v in enumerate(problem.vehicles):
        if v.max_duration is not None and k not in idle:
            time_dim.SetSpanUpperBoundForVehicle(math.floor(v.max_duration * scale + 1e-9), k)


def add_capacities(routing, manager, problem: RoutingProblem):
    """Hard: the load carried never exceeds the vehicle's capacity."""
    if all(v.capacity is None for v in problem.vehicles):
        return None
    demands = [nd.demand for nd in problem.nodes]
    total = sum(demands)

    def demand(i: int) -> int:
        return demands[manager.IndexToNode(i)]

    cb = routing.RegisterUnaryTransitCallback(demand)
    caps = [total if v.capacity is None else v.capacity for v in problem.vehicles]
    routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, "load")
    return demand


def add_visit_rules(routing, manager, problem: RoutingProblem, unreachable: dict[int, str],
                    cost_int: np.ndarray, scale: int) -> None:
    """Hard: mandatory visits served once; soft: optional visits cost their penalty if dropped.

    Mandatory visits also get a drop option, at a penalty above any possible plan cost,
    so the search can still return the rest of the plan when one of them cannot fit.
    """
    prohibitive = int(cost_int.sum() + sum(v.fixed_cost for v in problem.vehicles) * scale) + 1
    prohibitive += int(sum((nd.drop_penalty or 0.0) for nd in problem.nodes) * scale)
    for i in problem.visit_indices():
        idx = manager.NodeToIndex(i)
        nd = problem.nodes[i]
        if i in unreachable:
            routing.AddDisjunction([idx], 0)
            routing.solver().Add(routing.ActiveVar(idx) == 0)
        elif nd.drop_penalty is None:
            routing.AddDisjunction([idx], prohibitive)
        else:
            routing.AddDisjunction([idx], int(round(nd.drop_penalty * scale)))


def keep_idle_vehicles_empty(routing, manager, problem: RoutingProblem,
                             idle: dict[int, str]) -> None:
    """Hard: a vehicle that cannot even drive start to end serves nobody."""
    for i in problem.visit_indices():
        for k in idle:
            routing.VehicleVar(manager.NodeToIndex(i)).RemoveValue(k)


def add_fixed_costs(routing, problem: RoutingProblem, scale: int) -> None:
    """Soft: a used vehicle costs its fixed cost."""
    for k, v in enumerate(problem.vehicles):
        if v.fixed_cost:
            routing.SetFixedCostOfVehicle(int(round(v.fixed_cost * scale)), k)


# ---------------------------------------------------------------- solve


def _search_parameters(config: SearchConfig, first: str, seconds: float,
                       improve: bool) -> object:
    p = pywrapcp.DefaultRoutingSearchParameters()
    p.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, first)
    p.time_limit.FromMilliseconds(max(int(seconds * 1000), 1))
    if not improve:
        # The start heuristic's own solution only: its greedy descent took seconds on
        # R101 for what the improvement phases then redo anyway.
        p.solution_limit = 1
        p.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        return p
    p.solution_limit = config.local_search_solutions
    mh = routing_enums_pb2.LocalSearchMetaheuristic
    if config.improvement == "GUIDED_LOCAL_SEARCH":
        p.local_search_metaheuristic = mh.GUIDED_LOCAL_SEARCH
        p.guided_local_search_lambda_coefficient = config.gls_lambda
    else:
        p.local_search_metaheuristic = mh.GREEDY_DESCENT
    return p


def _run_pipeline(built: Built, config: SearchConfig, seconds: float,
                  initial: Sequence[Sequence[int]] | None = None,
                  clock: Callable[[], float] | None = None,
                  ) -> tuple[float, str, list[tuple[int, ...]]] | None:
    """Start heuristics, OR-Tools local search, then ruin and recreate, each on its work budget.

    `seconds` caps the OR-Tools phases (OR-Tools enforces it); with a `clock`, ruin and
    recreate also ends when `seconds` have passed since the start on it.
    """
    began = clock() if clock is not None else 0.0
    routing = built.routing
    ortools_seconds = seconds * (1 - config.ruin_recreate_share)
    starts = max(len(config.first_solutions), 1)
    # At short limits the share alone can be too little for any start heuristic to
    # finish (R101 in 3 s fell back to an empty start); give each up to 0.5 s.
    share = max(ortools_seconds * config.first_solution_share / starts,
                min(0.5, ortools_seconds / starts))
    best = None
    if initial is not None:
        routes = [[built.manager.NodeToIndex(n) for n in r] for r in initial]
        routes += [[] for _ in range(len(built.problem.vehicles) - len(routes))]
        start = routing.ReadAssignmentFromRoutes(routes, True)
        if start is not None:
            best = (0, "GIVEN_ROUTES", start)
    for first in config.first_solutions if best is None else ():
        sol = routing.SolveWithParameters(_search_parameters(config, first, share, False))
        if sol is not None and (best is None or sol.ObjectiveValue() < best[0]):
            best = (sol.ObjectiveValue(), first, routing.solver().Assignment(sol))
    if best is None:
        # No start heuristic finished: every visit can be dropped and idle vehicles stay
        # empty, so "nothing served" is always a solution for the later phases to fill.
        sol = routing.SolveWithParameters(_search_parameters(config, "ALL_UNPERFORMED", 5.0,
                                                             False))
        if sol is None:
            return None
        best = (sol.ObjectiveValue(), "ALL_UNPERFORMED", routing.solver().Assignment(sol))
    first = best[1] if best[1] in config.first_solutions else config.first_solutions[0]
    params = _search_parameters(config, first, max(ortools_seconds, 0.05), True)
    improved = routing.SolveFromAssignmentWithParameters(best[2], params)
    final = improved if improved is not None else best[2]
    routes = _routes_of(built, final)
    if config.ruin_recreate_iterations > 0:
        used = None
        if clock is not None:
            def used(_done: int) -> float:
                return (clock() - began) / max(seconds, 1e-9)
        found, _, _ = ruin_recreate.improve(
            route_data(built), [list(r) for r in routes], config.ruin_recreate_iterations,
            seed=config.seed, avg_removed=config.ruin_avg_removed, used=used,
        )
        routes = [tuple(r) for r in found]
    return plan_cost(built, routes), best[1], routes


def route_data(built: Built) -> ruin_recreate.RouteData:
    """The problem in the plain-float form the ruin-and-recreate layer works on."""
    problem = built.problem
    horizon = _horizon(problem, built.time)
    prohibitive = 10 * (float(built.distance.sum()) + sum(v.fixed_cost for v in problem.vehicles)
                        + sum(nd.drop_penalty or 0.0 for nd in problem.nodes)) + 1
    vehicles = problem.vehicles
    return ruin_recreate.RouteData(
        dist=built.distance.tolist(),
        time=built.time.tolist(),
        service=[nd.service_time for nd in problem.nodes],
        ready=[nd.ready_time for nd in problem.nodes],
        due=[_due(nd, horizon) for nd in problem.nodes],
        demand=[float(nd.demand) for nd in problem.nodes],
        penalty=[prohibitive if nd.drop_penalty is None else nd.drop_penalty
                 for nd in problem.nodes],
        starts=tuple(v.start for v in vehicles),
        ends=tuple(v.end for v in vehicles),
        # An idle vehicle gets a negative capacity so that nothing is ever inserted.
        capacity=tuple(-1.0 if k in built.idle_vehicles else
                       math.inf if v.capacity is None else float(v.capacity)
                       for k, v in enumerate(vehicles)),
        max_duration=tuple(math.inf if v.max_duration is None else v.max_duration
                           for v in vehicles),
        fixed_cost=tuple(v.fixed_cost for v in vehicles),
        visits=tuple(i for i in problem.visit_indices() if i not in built.unreachable),
    )


def plan_cost(built: Built, routes: Sequence[Sequence[int]]) -> float:
    """Float objective of a plan (routes as visit lists per vehicle).

    Visits no vehicle can reach are left out (every plan misses them); any other
    missing mandatory visit makes the plan infinitely costly.
    """
    problem, dist = built.problem, built.distance
    total = 0.0
    served = set()
    for k, visits in enumerate(routes):
        if not visits:
            continue
        v = problem.vehicles[k]
        path = [v.start, *visits, v.end]
        total += float(dist[path[:-1], path[1:]].sum()) + v.fixed_cost
        served.update(visits)
    for i in problem.visit_indices():
        if i in served or i in built.unreachable:
            continue
        penalty = problem.nodes[i].drop_penalty
        total += math.inf if penalty is None else penalty
    return total


def _routes_of(built: Built, assignment) -> list[tuple[int, ...]]:
    routing, manager = built.routing, built.manager
    out = []
    for k in range(len(built.problem.vehicles)):
        visits = []
        idx = assignment.Value(routing.NextVar(routing.Start(k)))
        while not routing.IsEnd(idx):
            visits.append(manager.IndexToNode(idx))
            idx = assignment.Value(routing.NextVar(idx))
        out.append(tuple(visits))
    return out


def solve_from_routes(built: Built, params: SearchParams, routes: Sequence[Sequence[int]],
                      clock: Callable[[], float] | None = None) -> SearchResult:
    """Improve given routes (node indices per vehicle); the result is never worse."""
    return solve(built, params, routes, clock)


def solve(built: Built, params: SearchParams | None = None,
          initial: Sequence[Sequence[int]] | None = None,
          clock: Callable[[], float] | None = None) -> SearchResult:
    """Run every configured search in turn, each on its budgets; keep the cheapest plan.

    `clock` (seconds, e.g. time.monotonic) only for callers bound by wall time: each config
    then also stops after its share of `time_limit_s` on it. Without it the result is
    repeatable.
    """
    params = params or SearchParams()
    seconds = params.time_limit_s / max(len(params.configs), 1)
    results: list = []
    for i, config in enumerate(params.configs):
        r = _run_pipeline(built, config, seconds, initial, clock)
        if r is not None:
            results.append((r[0], i, r[1], r[2]))
    if not results:
        return SearchResult("NO_SOLUTION", (), None, None, None)
    cost, index, first, routes = min(results, key=lambda r: (r[0], r[1]))
    visited = {n for r in routes for n in r}
    mandatory_missing = any(
        i not in visited and built.problem.nodes[i].drop_penalty is None
        for i in built.problem.visit_indices()
    )
    return SearchResult(
        "PARTIAL" if mandatory_missing else "FEASIBLE",
        tuple(tuple(r) for r in routes),
        cost if math.isfinite(cost) else None,
        index,
        first,
    )


# ---------------------------------------------------------------- extract


def schedule_route(problem: RoutingProblem, dist: np.ndarray, time: np.ndarray, vehicle: int,
                   visits: Sequence[int]) -> Route:
    """Float schedule of one route with the earliest return and the latest departure.

    The earliest schedule fixes the return; the departure is then delayed as far as the
    windows allow without delaying the return, which also gives the shortest duration.
    """
    v = problem.vehicles[vehicle]
    nodes = problem.nodes
    path = [v.start, *visits, v.end]
    ready = [nodes[i].ready_time for i in path]
    service = [nodes[i].service_time for i in path]
    horizon = _horizon(problem, time)
    due = [_due(nodes[i], horizon) for i in path]
    clock = ready[0]
    for i in range(1, len(path)):
        clock = max(clock + service[i - 1] + time[path[i - 1], path[i]], ready[i])
    latest = clock  # earliest possible return
    for i in range(len(path) - 2, -1, -1):
        latest = min(due[i], latest - service[i] - float(time[path[i], path[i + 1]]))
    departure = float(max(latest, ready[0]))
    stops = [Stop(v.start, nodes[v.start].id, departure, departure, departure + service[0], 0)]
    load, clock, length = 0, departure + service[0], 0.0
    for i in range(1, len(path)):
        a, b = path[i - 1], path[i]
        arrival = clock + float(time[a, b])
        begin = max(arrival, ready[i])
        load += nodes[b].demand if i < len(path) - 1 else 0
        clock = begin + (service[i] if i < len(path) - 1 else 0.0)
        length += float(dist[a, b])
        stops.append(Stop(b, nodes[b].id, arrival, begin, clock, load))
    return Route(vehicle, v.id, tuple(stops), length, stops[-1].start - departure, load)


def lower_bound(problem: RoutingProblem, dist: np.ndarray, time: np.ndarray,
                unreachable: dict[int, str]) -> float:
    """Each served visit is entered once and left once: cost >= sum of cheapest such arcs.

    Arcs that no time window allows are skipped; an optional visit contributes at most
    its drop penalty. The larger of the in- and out-arc sums is returned; it ignores
    fixed costs and route structure, so it is weak but valid.
    """
    n = len(problem.nodes)
    ready = np.array([nd.ready_time for nd in problem.nodes])
    horizon = _horizon(problem, time)
    due = np.array([_due(nd, horizon) for nd in problem.nodes])
    service = np.array([nd.service_time for nd in problem.nodes])
    # Arc i->j usable only if service can start at j in time after starting at i earliest.
    usable = ready[:, None] + service[:, None] + time <= due[None, :] + 1e-9
    np.fill_diagonal(usable, False)
    masked = np.where(usable, dist, np.inf)
    total_in = total_out = 0.0
    for j in problem.visit_indices():
        if j in unreachable:
            continue
        pen = problem.nodes[j].drop_penalty
        cap = math.inf if pen is None else pen
        best_in = float(masked[:, j].min()) if n > 1 else 0.0
        best_out = float(masked[j, :].min()) if n > 1 else 0.0
        total_in += min(cap, best_in if math.isfinite(best_in) else 0.0)
        total_out += min(cap, best_out if math.isfinite(best_out) else 0.0)
    return max(total_in, total_out)


def extract(built: Built, result: SearchResult) -> Solution:
    """Float routes with times and loads; the objective recomputed from them."""
    problem = built.problem
    unreachable = built.unreachable
    idle = tuple((problem.vehicles[k].id, why) for k, why in sorted(built.idle_vehicles.items()))
    bound = lower_bound(problem, built.distance, built.time, unreachable)
    if result.status == "NO_SOLUTION":
        missing = tuple(
            Unassigned(i, problem.nodes[i].id, problem.nodes[i].drop_penalty is None,
                       unreachable.get(i, "not placed by the search"))  # type: ignore[arg-type]
            for i in problem.visit_indices()
        )
        return Solution("NO_SOLUTION", None, 0.0, 0, bound, "in/out arc relaxation", (), missing,
                        idle)
    routes = tuple(
        schedule_route(problem, built.distance, built.time, k, visits)
        for k, visits in enumerate(result.routes)
        if visits
    )
    visited = {s.node for r in routes for s in r.stops[1:-1]}
    unassigned = []
    for i in problem.visit_indices():
        if i in visited:
            continue
        nd = problem.nodes[i]
        if i in unreachable:
            reason = unreachable[i]
        elif nd.drop_penalty is None:
            reason = "not placed by the search"
        else:
            reason = "dropped: cheaper than visiting"
        unassigned.append(Unassigned(i, nd.id, nd.drop_penalty is None, reason))  # type: ignore[arg-type]
    distance = sum(r.distance for r in routes)
    fixed = sum(problem.vehicles[r.vehicle].fixed_cost for r in routes)
    penalties = sum(problem.nodes[u.node].drop_penalty or 0.0 for u in unassigned)
    status: Status = "PARTIAL" if any(u.mandatory for u in unassigned) else "FEASIBLE"
    return Solution(status, distance + fixed + penalties, distance, len(routes), bound,
                    "in/out arc relaxation", routes, tuple(unassigned), idle)
