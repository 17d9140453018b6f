"""Periodic vehicle routing (PVRP): which days to visit each customer, and the routes.

Formulation
-----------
Sets: customers C, days T, vehicles K_d on day d (all start and end at the depot 0).
Data: distance c_ij (symmetric or not), demand q_i, service time s_i, required visits
f_i, allowed day sets A_i (each a set of f_i days), capacity Q_d, route duration D_d.

Decisions: one day set a_i in A_i per customer; on each day d in a_i, the customer is
on exactly one route of day d.

Hard constraints, one family each:
- each customer is visited on exactly the days of one allowed day set;
- at most |K_d| routes on day d;
- load of a route <= Q_d;
- travel plus service time of a route <= D_d (when given).

Objective: total distance over all days.

Method (a decomposition; the days are independent once the day sets are fixed):
1. construct: customers by decreasing demand, each takes the day set whose summed
   cheapest feasible insertion cost over its days is smallest;
2. ruin and recreate with simulated annealing: remove a cluster of customers (all
   their visits), reinsert each on its cheapest day set (a little noise diversifies),
   two-opt the touched routes; a plan that leaves a visit out is never accepted;
3. polish: route each day of the best plan with the VRP engine (models.routing),
   keeping a day's new routes only when they are shorter.

The bound is a degree relaxation (each visit is entered and left once), valid but weak.
The loop reads a monotonic clock only to stop at the caller's time limit.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from models import routing

Status = Literal["FEASIBLE", "INFEASIBLE"]


class DaySpec(BaseModel):
    """The fleet on one day of the period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vehicles: int = Field(ge=0, description="Routes available that day")
    capacity: int = Field(ge=0, description="Capacity of each vehicle (demand unit)")
    max_duration: float | None = Field(
        None, gt=0, description="Longest route: travel + service time (time unit); None = no limit"
    )


class Customer(BaseModel):
    """A place to visit `visits` times in the period, on one of its allowed day sets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    x: float | None = None
    y: float | None = None
    service_time: float = Field(0.0, ge=0)
    demand: int = Field(0, ge=0)
    visits: int = Field(1, ge=1)
    allowed_day_sets: tuple[tuple[int, ...], ...] = Field(
        min_length=1, description="Each entry: 0-based days, as many as `visits`"
    )


class PeriodicProblem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    days: tuple[DaySpec, ...] = Field(min_length=1)
    depot_x: float | None = None
    depot_y: float | None = None
    customers: tuple[Customer, ...]
    distance: tuple[tuple[float, ...], ...] | None = Field(
        None, description="Matrix over [depot, *customers]; else Euclidean from x, y"
    )

    @model_validator(mode="after")
    def _consistent(self) -> PeriodicProblem:
        t = len(self.days)
        for c in self.customers:
            for combo in c.allowed_day_sets:
                if len(combo) != c.visits or len(set(combo)) != len(combo):
                    raise ValueError(f"customer {c.id}: day set {combo} must hold {c.visits} days")
                if any(d < 0 or d >= t for d in combo):
                    raise ValueError(f"customer {c.id}: day set {combo} outside 0..{t - 1}")
        n = len(self.customers) + 1
        if self.distance is not None:
            if len(self.distance) != n or any(len(r) != n for r in self.distance):
                raise ValueError(f"distance must be {n}x{n} (depot first)")
        elif self.depot_x is None or self.depot_y is None or any(
            c.x is None or c.y is None for c in self.customers
        ):
            raise ValueError("give a distance matrix or coordinates for the depot and customers")
        return self

    def distance_matrix(self) -> np.ndarray:
        if self.distance is not None:
            return np.asarray(self.distance, dtype=float)
        xy = np.array([[self.depot_x, self.depot_y]] + [[c.x, c.y] for c in self.customers],
                      dtype=float)
        return np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))


class PeriodicParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit_s: float = Field(60.0, gt=0)
    seed: int = 0
    max_iterations: int | None = Field(None, ge=0, description="Stop earlier, for tests")
    # On p02 the polish found nothing the ruin and recreate had not (1337.04 either way);
    # it is kept small as insurance for larger days, where two-opt alone is weaker.
    polish_share: float = Field(
        0.1, ge=0, lt=1, description="Share of the time for routing the best plan's days"
    )
    # Measured on p01/p02: 0.15 got stuck (p01 +5 % in 10 s), 0.5 reinserted too much.
    ruin_share: float = Field(0.3, gt=0, le=1, description="Largest share of customers removed")
    # p02, 30 s: 0.02 -> 0.001 gave 1337, 0.1 -> 0.002 gave 1378, 0.01 -> 0.0005 gave 1343.
    start_temperature: float = Field(
        0.02, gt=0, description="Annealing start, as a fraction of the cost per customer")
    end_temperature: float = Field(
        0.001, gt=0, description="Annealing end, as a fraction of the cost per customer")


@dataclass(frozen=True)
class Built:
    problem: PeriodicProblem
    dist: np.ndarray
    # Matrix indices: 0 = depot, i + 1 = customer i.


@dataclass(frozen=True)
class DayRoute:
    day: int
    vehicle: int
    customers: tuple[int, ...]  # customer positions in problem.customers
    distance: float
    load: int
    duration: float


@dataclass(frozen=True)
class PeriodicResult:
    status: Status
    day_sets: tuple[tuple[int, ...] | None, ...]  # per customer, None = not placed
    routes: tuple[DayRoute, ...]
    iterations: int
    accepted: int


@dataclass(frozen=True)
class PeriodicSolution:
    status: Status
    objective: float | None
    bound: float | None
    bound_kind: str
    routes: tuple[DayRoute, ...]
    day_sets: tuple[tuple[int, ...] | None, ...]
    unassigned: tuple[str, ...]  # ids of customers without a complete day set
    iterations: int


def build(problem: PeriodicProblem, params: PeriodicParams | None = None) -> Built:
    del params  # nothing to tune at build time; kept for the common signature
    return Built(problem, problem.distance_matrix())


# ---------------------------------------------------------------- search state


class _Plan:
    """Routes per day as lists of matrix indices, with loads and lengths kept current."""

    def __init__(self, built: Built):
        p = built.problem
        self.d = built.dist.tolist()
        self.q = [0] + [c.demand for c in p.customers]
        self.s = [0.0] + [c.service_time for c in p.customers]
        self.days = p.days
        self.routes: list[list[list[int]]] = [[] for _ in p.days]
        self.combo: list[int | None] = [None] * len(p.customers)

    def copy(self) -> _Plan:
        other = object.__new__(_Plan)
        other.__dict__.update(self.__dict__)
        other.routes = [[list(r) for r in day] for day in self.routes]
        other.combo = list(self.combo)
        return other

    def route_length(self, r: list[int]) -> float:
        d = self.d
        prev, total = 0, 0.0
        for v in r:
            total += d[prev][v]
            prev = v
        return total + d[prev][0]

    def cost(self) -> float:
        return sum(self.route_length(r) for day in self.routes for r in day)

    def best_insertion(self, day: int, v: int) -> tuple[float, int, int]:
        """Cheapest feasible insertion of node v on a day: (delta, route, position)."""
        spec = self.days[day]
        d, q, s = self.d, self.q, self.s
        best = (math.inf, -1, -1)
        for ri, r in enumerate(self.routes[day]):
            if sum(q[u] for u in r) + q[v] > spec.capacity:
                continue
            limit = math.inf
            if spec.max_duration is not None:
                limit = spec.max_duration - self.route_length(r) - sum(s[u] for u in r) - s[v]
            prev = 0
            for pos, nxt in enumerate([*r, 0]):
                delta = d[prev][v] + d[v][nxt] - d[prev][nxt]
                if delta < best[0] and delta <= limit + 1e-9:
                    best = (delta, ri, pos)
                prev = nxt
        if len(self.routes[day]) < spec.vehicles and q[v] <= spec.capacity:
            delta = d[0][v] + d[v][0]
            fits = spec.max_duration is None or delta + s[v] <= spec.max_duration + 1e-9
            if fits and delta < best[0]:
                best = (delta, len(self.routes[day]), 0)
        return best

    def insert(self, day: int, v: int, route: int, pos: int) -> None:
        if route == len(self.routes[day]):
            self.routes[day].append([v])
        else:
            self.routes[day][route].insert(pos, v)

    def remove_customer(self, i: int) -> None:
        """Take customer i off every day; routes left empty disappear."""
        v = i + 1
        for day in range(len(self.routes)):
            self.routes[day] = [[u for u in r if u != v] for r in self.routes[day]]
            self.routes[day] = [r for r in self.routes[day] if r]
        self.combo[i] = None

    def place(self, i: int, combos: tuple[tuple[int, ...], ...], rng: random.Random,
              noise: float) -> bool:
        """Put customer i on its cheapest allowed day set; False when none fits."""
        v = i + 1
        per_day: dict[int, tuple[float, int, int]] = {}
        for combo in combos:
            for day in combo:
                if day not in per_day:
                    per_day[day] = self.best_insertion(day, v)
        best_combo, best_cost = None, math.inf
        for k, combo in enumerate(combos):
            cost = sum(per_day[day][0] for day in combo)
            if noise and math.isfinite(cost):
                cost *= 1 + noise * (2 * rng.random() - 1)
            if cost < best_cost:
                best_combo, best_cost = k, cost
        if best_combo is None:
            return False
        for day in combos[best_combo]:
            _, route, pos = per_day[day]
            self.insert(day, v, route, pos)
        self.combo[i] = best_combo
        return True

    def two_opt(self, r: list[int]) -> None:
        """Intra-route 2-opt until no improving reversal (routes are short here)."""
        d = self.d
        path = [0, *r, 0]
        improved = True
        while improved:
            improved = False
            for a in range(len(path) - 3):
                for b in range(a + 2, len(path) - 1):
                    delta = (d[path[a]][path[b]] + d[path[a + 1]][path[b + 1]]
                             - d[path[a]][path[a + 1]] - d[path[b]][path[b + 1]])
                    if delta < -1e-9:
                        path[a + 1: b + 1] = reversed(path[a + 1: b + 1])
                        improved = True
        r[:] = path[1:-1]


# ---------------------------------------------------------------- solve


def _construct(plan: _Plan, problem: PeriodicProblem, rng: random.Random) -> list[int]:
    """Greedy start: hardest customers first (big demand, few day sets)."""
    order = sorted(range(len(problem.customers)),
                   key=lambda i: (-problem.customers[i].demand * problem.customers[i].visits,
                                  len(problem.customers[i].allowed_day_sets)))
    missing = []
    for i in order:
        if not plan.place(i, problem.customers[i].allowed_day_sets, rng, 0.0):
            missing.append(i)
    return missing


def _related(dist: np.ndarray, n: int) -> list[list[int]]:
    """Customers sorted by distance from each customer (customer positions)."""
    sub = dist[1:, 1:]
    return [list(np.argsort(sub[i], kind="stable")) for i in range(n)]


def solve(built: Built, params: PeriodicParams | None = None) -> PeriodicResult:
    params = params or PeriodicParams()
    problem = built.problem
    n = len(problem.customers)
    rng = random.Random(params.seed)
    started = time.monotonic()
    deadline = started + params.time_limit_s * (1 - params.polish_share)

    current = _Plan(built)
    missing = _construct(current, problem, rng)
    # An incomplete start is returned as INFEASIBLE with the missing customers: the
    # search below only moves between complete plans.
    for day in current.routes:
        for r in day:
            current.two_opt(r)
    best, best_cost = current.copy(), current.cost()
    current_cost = best_cost
    neighbours = _related(built.dist, n)
    max_removed = max(2, int(params.ruin_share * n))
    per_customer = max(best_cost / max(n, 1), 1e-9)
    t0 = params.start_temperature * per_customer
    t_end = min(params.end_temperature * per_customer, t0)
    iterations = accepted = 0
    while not missing and n > 1:
        if params.max_iterations is not None and iterations >= params.max_iterations:
            break
        now = time.monotonic()
        if now >= deadline:
            break
        progress = (now - started) / max(deadline - started, 1e-9)
        if params.max_iterations:
            progress = max(progress, iterations / params.max_iterations)
        temperature = t0 * (t_end / t0) ** progress
        iterations += 1

        trial = current.copy()
        seed = rng.randrange(n)
        size = rng.randint(2, max_removed)
        # Mostly the seed's nearest neighbours, with some random skips for variety.
        removed = [c for c in neighbours[seed][: size * 2] if rng.random() < 0.7][:size]
        for i in removed:
            trial.remove_customer(i)
        if rng.random() < 0.5:
            rng.shuffle(removed)
        else:
            removed.sort(key=lambda i: -problem.customers[i].demand)
        ok = all(trial.place(i, problem.customers[i].allowed_day_sets, rng, 0.1)
                 for i in removed)
        if not ok:
            continue
        moved = {i + 1 for i in removed}
        for day in trial.routes:
            for r in day:
                if len(r) > 2 and moved.intersection(r):
                    trial.two_opt(r)
        cost = trial.cost()
        if cost < current_cost - temperature * math.log(1 - rng.random() + 1e-300):
            current, current_cost = trial, cost
            accepted += 1
            if cost < best_cost - 1e-9:
                best, best_cost = trial.copy(), cost

    routes_by_day = [[list(r) for r in day] for day in best.routes]
    if not missing and params.polish_share > 0:
        polish_until = started + params.time_limit_s
        routes_by_day = _polish(built, routes_by_day, polish_until)
    return _result(built, routes_by_day, missing, iterations, accepted)


def _polish(built: Built, routes_by_day: list[list[list[int]]], until: float) -> list:
    """Re-route each day with the VRP engine; keep it when it is shorter and complete."""
    problem = built.problem
    out = []
    for day, routes in enumerate(routes_by_day):
        left = until - time.monotonic()
        days_left = len(routes_by_day) - day
        seconds = left / days_left
        visits = sorted({v for r in routes for v in r})
        if seconds < 0.05 or len(visits) < 2:
            out.append(routes)
            continue
        spec = problem.days[day]
        sub = routing_problem_for_day(built, visits, spec)
        params = routing.SearchParams(
            time_limit_s=seconds,
            configs=(routing.SearchConfig(improvement="GUIDED_LOCAL_SEARCH",
                                          first_solutions=("SAVINGS",),
                                          first_solution_share=0.05,
                                          local_search_solutions=10**9,
                                          ruin_recreate_iterations=10**12),),
        )
        sub_built = routing.build(sub, params)
        # Start from the current routes so the polish can only keep or improve them.
        # The benchmark's wall time rules here: the polish runs on the clock.
        result = routing.solve_from_routes(sub_built, params, [
            [visits.index(v) + 1 for v in r] for r in routes
        ], clock=time.monotonic)
        sol = routing.extract(sub_built, result)
        old = sum(_length(built.dist, r) for r in routes)
        if sol.status == "FEASIBLE" and sol.distance < old - 1e-9:
            out.append([[visits[s.node - 1] for s in r.stops[1:-1]] for r in sol.routes])
        else:
            out.append(routes)
    return out


def routing_problem_for_day(
    built: Built, visits: list[int], spec: DaySpec
) -> routing.RoutingProblem:
    """One day as a VRP: node 0 the depot, node k the k-th of `visits` (matrix indices)."""
    idx = [0, *visits]
    sub = built.dist[np.ix_(idx, idx)]
    q = [0] + [c.demand for c in built.problem.customers]
    s = [0.0] + [c.service_time for c in built.problem.customers]
    nodes = tuple(
        routing.Node(id=str(v), demand=q[v], service_time=s[v]) for v in idx
    )
    vehicles = tuple(
        routing.Vehicle(id=f"k{k + 1}", start=0, end=0, capacity=spec.capacity,
                        max_duration=spec.max_duration)
        for k in range(spec.vehicles)
    )
    return routing.RoutingProblem(nodes=nodes, vehicles=vehicles,
                                  distance=tuple(map(tuple, sub.tolist())))


def _length(dist: np.ndarray, r: list[int]) -> float:
    path = [0, *r, 0]
    return float(sum(dist[a, b] for a, b in zip(path, path[1:], strict=False)))


def _result(built: Built, routes_by_day: list, missing: list[int],
            iterations: int, accepted: int) -> PeriodicResult:
    problem = built.problem
    q = [0] + [c.demand for c in problem.customers]
    s = [0.0] + [c.service_time for c in problem.customers]
    routes = []
    for day, day_routes in enumerate(routes_by_day):
        for k, r in enumerate(day_routes):
            length = _length(built.dist, r)
            routes.append(DayRoute(day, k, tuple(v - 1 for v in r), length,
                                   sum(q[v] for v in r), length + sum(s[v] for v in r)))
    # Day sets are read back from the routes so that they always match them.
    days_of: dict[int, set[int]] = {}
    for r in routes:
        for i in r.customers:
            days_of.setdefault(i, set()).add(r.day)
    day_sets = tuple(
        tuple(sorted(days_of[i])) if i in days_of and i not in missing else None
        for i in range(len(problem.customers))
    )
    status: Status = "INFEASIBLE" if missing else "FEASIBLE"
    return PeriodicResult(status, day_sets, tuple(routes), iterations, accepted)


# ---------------------------------------------------------------- extract


def lower_bound(built: Built) -> float:
    """Every visit is entered once and left once: half the two cheapest incident arcs.

    Valid for a symmetric matrix (the depot may supply both arcs of a lone visit);
    otherwise the larger of the sums of cheapest in-arcs and cheapest out-arcs.
    """
    dist = built.dist
    customers = built.problem.customers
    n = len(customers)
    if n == 0:
        return 0.0
    if np.allclose(dist, dist.T):
        total = 0.0
        for i in range(n):
            v = i + 1
            others = [dist[v, u] for u in range(1, n + 1) if u != v] + [dist[v, 0]] * 2
            a, b = sorted(others)[:2]
            total += customers[i].visits * (a + b) / 2
        return total
    masked = dist + np.diag(np.full(n + 1, np.inf))
    ins = sum(customers[i].visits * masked[:, i + 1].min() for i in range(n))
    outs = sum(customers[i].visits * masked[i + 1, :].min() for i in range(n))
    return float(max(ins, outs))


def extract(built: Built, result: PeriodicResult) -> PeriodicSolution:
    problem = built.problem
    unassigned = tuple(problem.customers[i].id for i, ds in enumerate(result.day_sets)
                       if ds is None)
    objective = sum(r.distance for r in result.routes) if result.status == "FEASIBLE" else None
    return PeriodicSolution(result.status, objective, lower_bound(built),
                            "degree relaxation", result.routes, result.day_sets, unassigned,
                            result.iterations)
