"""Ruin-and-recreate improvement for VRPTW plans (slack induction by string removals).

After Christiaens & Vanden Berghe (2020, "Slack induction by string removals for
vehicle routing problems"): remove a few strings of consecutive visits from routes
near a random seed visit, reinsert the removed visits one by one at their cheapest
feasible position (occasionally skipping a position, a "blink"), and accept the new
plan by simulated annealing. The iterations run compiled (models.sisr_kernel); this
module converts the data and cools the temperature over an iteration budget. It reads
no clock: a caller that must stop by wall time (a benchmark's rule) passes `used`, the
share of its budget spent, measured however it likes.

Same rules as models.routing: windows on the start of service, waiting allowed,
capacity, return by the end depot's due time, max route duration (shortest achievable:
departure as late as possible), per-vehicle start/end depots, fixed vehicle costs,
optional visits with drop penalties.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from models import sisr_kernel as kernel


@dataclass(frozen=True)
class RouteData:
    dist: list[list[float]]
    time: list[list[float]]
    service: list[float]
    ready: list[float]
    due: list[float]
    demand: list[float]
    penalty: list[float]  # cost of leaving a visit out (a prohibitive value if mandatory)
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    capacity: tuple[float, ...]  # math.inf when unlimited
    max_duration: tuple[float, ...]  # math.inf when unlimited
    fixed_cost: tuple[float, ...]
    visits: tuple[int, ...]  # visits the plan may serve (unreachable ones excluded)


# Iterations between temperature steps (and calls of `used`).
CHUNK = 64


def improve(data: RouteData, routes: list[list[int]], iterations: int, seed: int = 0,
            avg_removed: float = 10.0, max_string: int = 10, blink: float = 0.01,
            split_rate: float = 0.5, start_temperature: float = 1.0,
            end_temperature: float = 0.003, used: Callable[[int], float] | None = None
            ) -> tuple[list[list[int]], float, int]:
    """Improve a plan (visits per vehicle, feasible or partial); returns (routes, cost, iterations).

    Temperatures are fractions of the cost per visit of the first complete plan. A hot
    start matters most where routes are long: with 0.05 instead of 1.0, two 50-visit
    routes ended 1-2 % worse and clustered instances got stuck now and then; R101 and
    C101 reach their best known either way. The temperature falls geometrically with the
    share of the budget used: `iterations` done, which makes a run repeatable for a seed,
    or the larger of that and `used(done)` (e.g. a benchmark's wall clock); the run stops
    when the share reaches 1.
    """
    avg_removed, max_string, blink, split_rate = float(avg_removed), int(max_string), float(blink), float(split_rate)
    arrays = _arrays(data)
    state, best_path, best_size = _initial_state(data, arrays, routes)
    kernel.seed_rng(seed)
    costs = state[-1]
    # The first iteration places what the start left out (all of it when starting empty),
    # so the temperature scale below is that of a complete plan, not of drop penalties.
    kernel.run_chunk(1, 0.0, state, best_path, best_size, *arrays, avg_removed, max_string,
                     blink, split_rate)
    done = 1
    per_visit = _cost_per_visit(data, state)
    t0 = max(start_temperature * per_visit, 1e-9)
    t1 = max(end_temperature * per_visit, 1e-12)
    while True:
        progress = done / max(iterations, 1)
        if used is not None:
            progress = max(progress, used(done))
        if progress >= 1.0 or done >= iterations:
            break
        step = min(CHUNK, iterations - done)
        kernel.run_chunk(step, t0 * (t1 / t0) ** progress, state, best_path, best_size,
                         *arrays, avg_removed, max_string, blink, split_rate)
        done += step
    best = [list(best_path[k, 1: best_size[k] + 1]) for k in range(len(data.starts))]
    return [[int(v) for v in r] for r in best], float(costs[1]), done


def warm_up() -> None:
    """Compile the kernel (or load numba's cache) on a two-visit problem."""
    zero = [[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
    toy = RouteData(dist=zero, time=zero, service=[0.0] * 3, ready=[0.0] * 3, due=[10.0] * 3,
                    demand=[0.0, 1.0, 1.0], penalty=[0.0, 100.0, 100.0], starts=(0,), ends=(0,),
                    capacity=(math.inf,), max_duration=(5.0,), fixed_cost=(0.0,), visits=(1, 2))
    improve(toy, [[]], 3)


def _cost_per_visit(data: RouteData, state: tuple) -> float:
    """Distance and fixed costs of the routes per served visit (1 when nothing is served)."""
    size, length = state[1], state[5]
    used = size > 0
    total = float(length[used].sum() + np.asarray(data.fixed_cost)[used].sum())
    served = int(size.sum())
    return total / served if served and total > 0 else 1.0


def _arrays(data: RouteData) -> tuple:
    """The problem as the kernel's arrays, in run_chunk's argument order."""
    dist = np.asarray(data.dist, dtype=float)
    visits = np.asarray(data.visits, dtype=np.int64)
    # Neighbours by distance in both directions, as SISR uses them; rows for all nodes.
    both = dist + dist.T
    neighbours = np.zeros((len(dist), len(visits)), dtype=np.int64)
    if len(visits):
        order = np.argsort(both[:, visits], axis=1, kind="stable")
        neighbours = visits[order]
    depot = data.starts[0]
    return (
        dist, np.asarray(data.time, dtype=float), np.asarray(data.service, dtype=float),
        np.asarray(data.ready, dtype=float), np.asarray(data.due, dtype=float),
        np.asarray(data.demand, dtype=float), np.asarray(data.penalty, dtype=float),
        np.asarray(data.starts, dtype=np.int64), np.asarray(data.ends, dtype=np.int64),
        np.asarray(data.capacity, dtype=float), np.asarray(data.max_duration, dtype=float),
        np.asarray(data.fixed_cost, dtype=float), visits, neighbours,
        np.ascontiguousarray(dist[depot]),
    )


def _initial_state(data: RouteData, arrays: tuple, routes: list[list[int]]):
    dist, time_, service, ready, due, demand, penalty, starts, ends = arrays[:9]
    n_k = len(data.starts)
    width = len(data.visits) + 2
    path = np.zeros((n_k, width), dtype=np.int64)
    size = np.zeros(n_k, dtype=np.int64)
    dep = np.zeros((n_k, width))
    late = np.zeros((n_k, width))
    load = np.zeros(n_k)
    length = np.zeros(n_k)
    route_of = np.full(len(data.dist), -1, dtype=np.int64)
    pos_of = np.zeros(len(data.dist), dtype=np.int64)
    allowed = set(data.visits)
    for k in range(n_k):
        visits = [v for v in (routes[k] if k < len(routes) else []) if v in allowed]
        size[k] = len(visits)
        path[k, 1: len(visits) + 1] = visits
        kernel.schedule(k, path, size, dep, late, load, length, route_of, pos_of,
                        dist, time_, service, ready, due, demand, starts, ends)
    costs = np.zeros(2)
    costs[0] = costs[1] = kernel.plan_cost(size, length, arrays[11], route_of, arrays[12], penalty)
    state = (path, size, dep, late, load, length, route_of, pos_of, costs)
    return state, path.copy(), size.copy()
