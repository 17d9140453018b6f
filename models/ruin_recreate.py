"""Ruin-and-recreate improvement for VRPTW plans (slack induction by string removals).

After Christiaens & Vanden Berghe (2020, "Slack induction by string removals for
vehicle routing problems"): remove a few strings of consecutive visits from routes
near a random seed visit, reinsert the removed visits one by one at their cheapest
feasible position (occasionally skipping a position, a "blink"), and accept the new
plan by simulated annealing. OR-Tools' guided local search stalls on tight windows;
these large moves keep improving it.

Works on floats, with the same rules as models.routing: windows on the start of
service, waiting allowed, capacity, return by the end depot's due time, max route
duration (shortest achievable: departure as late as possible), per-vehicle start/end
depots, fixed vehicle costs, optional visits with drop penalties. Insertion is checked
in O(1) per position from earliest/latest service starts; duration only for the
chosen position. Reads a monotonic clock only to honour the caller's time limit.
"""

from __future__ import annotations

import functools
import math
import random
import time
from dataclasses import dataclass

import numpy as np

EPS = 1e-9


@dataclass(frozen=True)
class RouteData:
    """Plain lists, not arrays: element access in Python loops is several times faster."""

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

    @functools.cached_property
    def has_durations(self) -> bool:
        return any(math.isfinite(x) for x in self.max_duration)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.dist, dtype=float), np.asarray(self.time, dtype=float)


class _Route:
    """One vehicle's path with the schedule data insertion checks need."""

    __slots__ = ("k", "visits", "dep", "ls", "load", "length", "a", "b",
                 "a_np", "b_np", "dep_np", "ls_np", "arc_np", "slack_np", "extra_np")

    def __init__(self, data: RouteData, k: int, visits: list[int]):
        self.k = k
        self.visits = visits
        path = [data.starts[k], *visits, data.ends[k]]
        t, s, ready, due = data.time, data.service, data.ready, data.due
        dep = [0.0] * len(path)
        clock = ready[path[0]]
        dep[0] = clock + s[path[0]]
        for i in range(1, len(path)):
            clock = max(dep[i - 1] + t[path[i - 1]][path[i]], ready[path[i]])
            dep[i] = clock + s[path[i]]
        ls = [0.0] * len(path)
        ls[-1] = due[path[-1]]
        for i in range(len(path) - 2, -1, -1):
            ls[i] = min(due[path[i]], ls[i + 1] - s[path[i]] - t[path[i]][path[i + 1]])
        self.dep = dep  # departure after service, earliest schedule
        self.ls = ls  # latest service start keeping the rest feasible
        self.load = float(sum(data.demand[v] for v in visits))
        self.length = float(sum(data.dist[a][b] for a, b in zip(path, path[1:], strict=False)))
        self.a = path[:-1]
        self.b = path[1:]
        # Per insertion position (between a[i] and b[i]), for vectorised checks.
        self.a_np = np.array(self.a, dtype=np.int64)
        self.b_np = np.array(self.b, dtype=np.int64)
        self.dep_np = np.array(dep[:-1])
        self.ls_np = np.array(ls[1:])
        self.arc_np = np.array([data.dist[x][y] for x, y in zip(self.a, self.b, strict=True)])
        size = len(self.a)
        self.slack_np = np.full(size, data.capacity[k] - self.load)
        self.extra_np = np.full(size, 0.0 if visits else data.fixed_cost[k])

    def feasible(self, data: RouteData) -> bool:
        """Earliest schedule meets every window, the return, capacity and duration."""
        path = [*self.a, self.b[-1]]
        s = data.service
        for i, v in enumerate(path):
            if self.dep[i] - s[v] > data.due[v] + 1e-7:
                return False
        if self.load > data.capacity[self.k] + EPS:
            return False
        return duration(data, self.k, path) <= data.max_duration[self.k] + 1e-7


def duration(data: RouteData, k: int, path: list[int]) -> float:
    """Shortest route duration: depart as late as the windows allow, then go earliest."""
    if math.isinf(data.max_duration[k]):
        return 0.0
    t, s, ready, due = data.time, data.service, data.ready, data.due
    latest, head = due[path[0]], 0.0
    for a, b in zip(path, path[1:], strict=False):
        head += s[a] + t[a][b]
        latest = min(latest, due[b] - head)
    clock = max(latest, ready[path[0]])
    start = clock
    for a, b in zip(path, path[1:], strict=False):
        clock = max(clock + s[a] + t[a][b], ready[b])
    return clock - start


@dataclass
class _Plan:
    routes: list[_Route]
    unserved: set[int]
    cost: float


def _plan_cost(data: RouteData, routes: list[_Route], unserved: set[int]) -> float:
    return (sum(r.length + (data.fixed_cost[r.k] if r.visits else 0.0) for r in routes)
            + sum(float(data.penalty[v]) for v in unserved))


class _Positions:
    """Every insertion position of a plan in flat arrays, patched route by route.

    Scoring a visit against all positions at once with numpy is what makes a Python
    ruin-and-recreate fast enough; after an insertion only that route's slice changes.
    """

    FIELDS = ("a", "b", "dep", "ls", "arc", "slack", "extra")

    def __init__(self, data: RouteData, routes: list[_Route]):
        self.data = data
        self.sizes = np.array([len(r.a) for r in routes], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)
        parts = [self._route_arrays(ri, r) for ri, r in enumerate(routes)]
        for j, name in enumerate(self.FIELDS):
            setattr(self, name, np.concatenate([p[j] for p in parts]))

    @staticmethod
    def _route_arrays(ri: int, r: _Route) -> tuple[np.ndarray, ...]:
        return (r.a_np, r.b_np, r.dep_np, r.ls_np, r.arc_np, r.slack_np, r.extra_np)

    def owner(self, i: int) -> tuple[int, int]:
        """(route, position in route) of flat position i."""
        ri = int(np.searchsorted(self.offsets, i, side="right")) - 1
        # Empty-sized routes do not exist (every route has at least one position).
        return ri, i - int(self.offsets[ri])

    def replace(self, ri: int, r: _Route) -> None:
        lo = int(self.offsets[ri])
        hi = lo + int(self.sizes[ri])
        new = self._route_arrays(ri, r)
        for j, name in enumerate(self.FIELDS):
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old[:lo], new[j], old[hi:]]))
        grow = len(r.a) - int(self.sizes[ri])
        self.sizes[ri] = len(r.a)
        self.offsets[ri + 1:] += grow


def _best_insertion(data: RouteData, arrays: tuple[np.ndarray, np.ndarray],
                    routes: list[_Route], where: _Positions, v: int,
                    rng: np.random.Generator, blink: float) -> tuple[float, int, int]:
    """Cheapest feasible (delta, route, position) for v; (inf, -1, -1) if none.

    The O(1) window test uses each position's earliest departure before it and the
    latest start after it; route duration is checked only for the chosen position.
    """
    dist, time = arrays
    a, b = where.a, where.b
    delta = dist[a, v] + dist[v, b] - where.arc + where.extra
    begin = np.maximum(where.dep + time[a, v], data.ready[v])
    ok = ((where.slack >= data.demand[v] - EPS) & (begin <= data.due[v] + EPS)
          & (begin + data.service[v] + time[v, b] <= where.ls + EPS))
    if blink:
        ok &= rng.random(len(ok)) >= blink
    delta = np.where(ok, delta, np.inf)
    if not data.has_durations:
        i = int(np.argmin(delta))
        if not math.isfinite(delta[i]):
            return (math.inf, -1, -1)
        ri, pos = where.owner(i)
        return (float(delta[i]), ri, pos)
    for i in np.argsort(delta, kind="stable"):
        if not math.isfinite(delta[i]):
            break
        ri, pos = where.owner(int(i))
        r = routes[ri]
        if math.isinf(data.max_duration[r.k]):
            return (float(delta[i]), ri, pos)
        path = [*r.a[: pos + 1], v, *r.b[pos:]]
        if duration(data, r.k, path) <= data.max_duration[r.k] + 1e-7:
            return (float(delta[i]), ri, pos)
    return (math.inf, -1, -1)


def _ruin(data: RouteData, plan: list[_Route], rng: random.Random, neighbours: list[list[int]],
          avg_removed: float, max_string: int) -> list[int]:
    """SISR ruin: strings of consecutive visits from routes close to a seed visit."""
    where = {v: ri for ri, r in enumerate(plan) for v in r.visits}
    if not where:
        return []
    served = [r for r in plan if r.visits]
    avg_len = sum(len(r.visits) for r in served) / len(served)
    l_max = min(max_string, avg_len)
    k_max = 4 * avg_removed / (1 + l_max) - 1
    k_routes = int(rng.uniform(1, k_max + 1))
    seed = rng.choice(list(where))
    removed: list[int] = []
    ruined: set[int] = set()
    for c in neighbours[seed]:
        if len(ruined) >= k_routes:
            break
        ri = where.get(c)
        if ri is None or ri in ruined:
            continue
        r = plan[ri]
        length = int(rng.uniform(1, min(len(r.visits), l_max) + 1))
        at = r.visits.index(c)
        first = rng.randint(max(0, at - length + 1), min(at, len(r.visits) - length))
        removed.extend(r.visits[first: first + length])
        ruined.add(ri)
    return removed


def improve(data: RouteData, routes: list[list[int]], seconds: float, seed: int = 0,
            avg_removed: float = 10.0, max_string: int = 10, blink: float = 0.01,
            start_temperature: float = 0.05, end_temperature: float = 0.001,
            cycles: int = 1, max_iterations: int | None = None
            ) -> tuple[list[list[int]], float, int]:
    """Improve a feasible plan (visits per vehicle); returns (routes, cost, iterations).

    Temperatures are fractions of the starting cost per visit.
    """
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    arrays = data.arrays()
    current = [_Route(data, k, list(r)) for k, r in enumerate(routes)]
    served = {v for r in routes for v in r}
    unserved = {v for v in data.visits if v not in served}
    cost = _plan_cost(data, current, unserved)
    best_routes, best_cost = [list(r.visits) for r in current], cost
    n = max(len(data.visits), 1)
    per_visit = cost / n
    # A zero-cost start (all visits at the depot) still needs positive temperatures.
    t0 = max(start_temperature * per_visit, 1e-9)
    t1 = max(end_temperature * per_visit, 1e-12)
    visits = list(data.visits)
    # Neighbours by distance among all visits (both directions, as SISR does).
    sub = np.asarray(data.dist)[np.ix_(visits, visits)]
    order = np.argsort(sub + sub.T, axis=1, kind="stable")
    neighbours: list[list[int]] = [[] for _ in range(len(data.dist))]
    for row, v in enumerate(visits):
        neighbours[v] = [visits[j] for j in order[row]]
    began = time.monotonic()
    iterations = 0
    # Annealing runs in cycles: at the end of each cycle the search goes back to the best
    # plan and reheats. A single long cooling settled within seconds on R101 and then
    # spent the rest of its time there.
    cycle = seconds / max(cycles, 1)
    cycle_began = 0.0
    while True:
        elapsed = time.monotonic() - began
        if elapsed >= seconds or (max_iterations is not None and iterations >= max_iterations):
            break
        if elapsed - cycle_began >= cycle:
            cycle_began = elapsed
            current = [_Route(data, k, list(r)) for k, r in enumerate(best_routes)]
            unserved = {v for v in data.visits} - {v for r in best_routes for v in r}
            cost = best_cost
        progress = min((elapsed - cycle_began) / cycle, 1.0)
        if max_iterations:
            progress = max(progress, iterations / max_iterations)
        temperature = t0 * (t1 / t0) ** progress
        iterations += 1
        removed = _ruin(data, current, rng, neighbours, avg_removed, max_string)
        gone = set(removed)
        trial = list(current)
        touched = set()
        for ri, r in enumerate(trial):
            if gone.intersection(r.visits):
                trial[ri] = _Route(data, r.k, [v for v in r.visits if v not in gone])
                touched.add(ri)
        todo = removed + sorted(unserved)
        key = rng.randrange(4)
        if key == 0:
            rng.shuffle(todo)
        elif key == 1:
            todo.sort(key=lambda v: -data.demand[v])
        elif key == 2:
            todo.sort(key=lambda v: -data.dist[data.starts[0]][v])
        else:
            todo.sort(key=lambda v: data.dist[data.starts[0]][v])
        left = set()
        where = _Positions(data, trial)
        for v in todo:
            delta, ri, pos = _best_insertion(data, arrays, trial, where, v, np_rng, blink)
            if ri < 0 or delta >= data.penalty[v]:
                left.add(v)
                continue
            r = trial[ri]
            trial[ri] = _Route(data, r.k, [*r.visits[:pos], v, *r.visits[pos:]])
            where.replace(ri, trial[ri])
            touched.add(ri)
        if any(not trial[ri].feasible(data) for ri in touched):
            continue  # only with travel times that break the triangle inequality
        new_cost = _plan_cost(data, trial, left)
        if new_cost < cost - temperature * math.log(rng.random() + 1e-300):
            current, cost, unserved = trial, new_cost, left
            if cost < best_cost - EPS:
                best_cost, best_routes = cost, [list(r.visits) for r in current]
    return best_routes, best_cost, iterations
