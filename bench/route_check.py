"""Independent checks of routing plans: rules re-read from the data, nothing from models/.

The problems are read only through their data attributes (coordinates, windows,
demands, the matrix); distances and schedules are recomputed here from scratch, so a
bug in an engine cannot hide itself. Each violation carries a cause from a closed list.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

from planner.checks import CheckResult, Subject, hard

Rule = Literal[
    "unknown_node", "missing_visit", "repeated_visit", "capacity", "time_window",
    "late_return", "route_duration", "too_many_routes", "day_set_not_allowed",
]
EPS = 1e-6

Report = CheckResult[Rule]  # every finding is hard; the cost is the distance travelled


def _add(report: Report, rule: Rule, subject: Subject, detail: str, amount: float = 1) -> None:
    report.findings.append(hard(rule, subject, detail, amount=amount))


def _euclid(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _vrp_distance(problem: Any):
    if problem.distance is not None:
        matrix = problem.distance
        return lambda i, j: float(matrix[i][j])
    xy = [(nd.x, nd.y) for nd in problem.nodes]
    return lambda i, j: _euclid(xy[i], xy[j])


def _vrp_time(problem: Any, distance):
    if problem.travel_time is not None:
        matrix = problem.travel_time
        return lambda i, j: float(matrix[i][j])
    return distance


def _simulate(problem: Any, time, path: list[int], departure: float) -> tuple[float, list[str]]:
    """Earliest schedule from a departure; returns the end time and window breaches."""
    nodes = problem.nodes
    clock = departure + nodes[path[0]].service_time
    breaches = []
    for a, b in zip(path, path[1:], strict=False):
        arrival = clock + time(a, b)
        start = max(arrival, nodes[b].ready_time)
        if b != path[-1] and nodes[b].due_time is not None and start > nodes[b].due_time + EPS:
            breaches.append(f"node {nodes[b].id} starts at {start:.3f} > due {nodes[b].due_time}")
        clock = start + (nodes[b].service_time if b != path[-1] else 0.0)
    return clock, breaches


def check_vrptw(problem: Any, routes: Sequence[tuple[int, Sequence[int]]]) -> Report:
    """Check routes given as (vehicle index, visit node indices without depots).

    Rules: each mandatory visit exactly once, optional ones at most once; load <=
    capacity; service starts within windows (waiting allowed); back at the end depot by
    its due time; shortest achievable duration (best departure) <= max duration.
    """
    report = Report()
    distance = _vrp_distance(problem)
    time = _vrp_time(problem, distance)
    nodes, vehicles = problem.nodes, problem.vehicles
    depots = {i for v in vehicles for i in (v.start, v.end)}
    seen: Counter[int] = Counter()
    used_vehicles: Counter[int] = Counter()
    for k, visits in routes:
        used_vehicles[k] += 1
        if not 0 <= k < len(vehicles):
            _add(report, "unknown_node", Subject("vehicle", str(k)), f"vehicle {k} does not exist")
            continue
        if any(not 0 <= i < len(nodes) or i in depots for i in visits):
            _add(report, "unknown_node", Subject("vehicle", str(k)), f"vehicle {k}: route {list(visits)} has a bad node")
            continue
        v = vehicles[k]
        seen.update(visits)
        path = [v.start, *visits, v.end]
        report.cost += sum(distance(a, b) for a, b in zip(path, path[1:], strict=False))
        load = sum(nodes[i].demand for i in visits)
        if v.capacity is not None and load > v.capacity:
            _add(report, "capacity", Subject("vehicle", str(v.id)), f"vehicle {v.id}: load {load} > {v.capacity}",
                 load - v.capacity)
        _check_route_times(problem, time, k, path, report)
    for k, count in used_vehicles.items():
        if count > 1:
            _add(report, "too_many_routes", Subject("vehicle", str(k)), f"vehicle {k} has {count} routes", count - 1)
    for i in range(len(nodes)):
        if i in depots:
            continue
        if seen[i] > 1:
            _add(report, "repeated_visit", Subject("customer", str(nodes[i].id)), f"node {nodes[i].id} visited {seen[i]} times",
                 seen[i] - 1)
        elif seen[i] == 0 and nodes[i].drop_penalty is None:
            _add(report, "missing_visit", Subject("customer", str(nodes[i].id)), f"node {nodes[i].id} is not visited")
    return report


def _check_route_times(problem: Any, time, k: int, path: list[int], report: Report) -> None:
    v = problem.vehicles[k]
    nodes = problem.nodes
    start_node, end_node = nodes[v.start], nodes[v.end]
    earliest = start_node.ready_time
    end, breaches = _simulate(problem, time, path, earliest)
    for b in breaches:
        _add(report, "time_window", Subject("vehicle", str(v.id)), f"vehicle {v.id}: {b}")
    if end_node.due_time is not None and end > end_node.due_time + EPS:
        _add(report, "late_return", Subject("vehicle", str(v.id)), f"vehicle {v.id}: back at {end:.3f} > {end_node.due_time}",
             end - end_node.due_time)
    if v.max_duration is None or breaches:
        return
    # Waiting can be traded for a later departure. Duration is piecewise linear in the
    # departure, so its minimum sits where some stop's waiting just vanishes or some
    # stop's start just meets its due time: try all those departures.
    candidates = {earliest}
    offset = start_node.service_time
    for a, b in zip(path, path[1:], strict=False):
        offset += time(a, b)
        candidates.add(nodes[b].ready_time - offset)
        if nodes[b].due_time is not None:
            candidates.add(nodes[b].due_time - offset)
        offset += nodes[b].service_time
    latest = start_node.due_time if start_node.due_time is not None else math.inf
    best = math.inf
    for dep in candidates:
        if dep < earliest - EPS or dep > latest + EPS:
            continue
        fin, late = _simulate(problem, time, path, dep)
        if not late and (end_node.due_time is None or fin <= end_node.due_time + EPS):
            best = min(best, fin - dep)
    if best > v.max_duration + EPS:
        _add(report, "route_duration", Subject("vehicle", str(v.id)), f"vehicle {v.id}: {best:.3f} > {v.max_duration}",
             best - v.max_duration)


def check_pvrp(problem: Any, routes: Sequence[tuple[int, Sequence[int]]]) -> Report:
    """Check (day, customer positions) routes of a periodic problem.

    Rules: each customer's visit days form one of its allowed day sets, one visit per
    such day; routes per day <= vehicles; load <= capacity; travel + service <= the
    day's max duration.
    """
    report = Report()
    customers = problem.customers
    n = len(customers)
    if problem.distance is not None:
        matrix = problem.distance

        def dist(i: int, j: int) -> float:  # matrix index: 0 depot, c + 1 customer c
            return float(matrix[i][j])
    else:
        xy = [(problem.depot_x, problem.depot_y)] + [(c.x, c.y) for c in customers]

        def dist(i: int, j: int) -> float:
            return _euclid(xy[i], xy[j])

    visits: dict[int, list[int]] = {i: [] for i in range(n)}
    per_day: Counter[int] = Counter()
    for day, stops in routes:
        if not 0 <= day < len(problem.days) or any(not 0 <= c < n for c in stops):
            _add(report, "unknown_node", Subject("day", str(day)), f"day {day}: route {list(stops)} has a bad day or node")
            continue
        spec = problem.days[day]
        per_day[day] += 1
        path = [0, *(c + 1 for c in stops), 0]
        length = sum(dist(a, b) for a, b in zip(path, path[1:], strict=False))
        report.cost += length
        load = sum(customers[c].demand for c in stops)
        if load > spec.capacity:
            _add(report, "capacity", Subject("day", str(day)), f"day {day}: route load {load} > {spec.capacity}",
                 load - spec.capacity)
        duration = length + sum(customers[c].service_time for c in stops)
        if spec.max_duration is not None and duration > spec.max_duration + EPS:
            _add(report, "route_duration", Subject("day", str(day)), f"day {day}: {duration:.3f} > {spec.max_duration}",
                 duration - spec.max_duration)
        for c in stops:
            visits[c].append(day)
    for day, count in per_day.items():
        if count > problem.days[day].vehicles:
            _add(report, "too_many_routes", Subject("day", str(day)), f"day {day}: {count} > {problem.days[day].vehicles}",
                 count - problem.days[day].vehicles)
    for c, days in visits.items():
        cid = customers[c].id
        if not days:
            _add(report, "missing_visit", Subject("customer", str(cid)), f"customer {cid} is never visited")
            continue
        if len(days) != len(set(days)):
            _add(report, "repeated_visit", Subject("customer", str(cid)), f"customer {cid} twice on a day: {sorted(days)}")
        allowed = {tuple(sorted(s)) for s in customers[c].allowed_day_sets}
        if tuple(sorted(set(days))) not in allowed:
            _add(report, "day_set_not_allowed", Subject("customer", str(cid)), f"customer {cid} on days {sorted(days)}")
    return report
