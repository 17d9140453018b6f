"""Readers for public routing benchmarks: Solomon VRPTW and Cordeau PVRP.

Both turn a file's text into the engines' input schemas; nothing here solves.
Formats are described in bench/SOURCES.md of the shared data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.engines.periodic import Customer, DaySpec, PeriodicProblem
from models.routing import Node, RoutingProblem, Vehicle


@dataclass(frozen=True)
class SolomonInstance:
    name: str
    fleet_size: int
    capacity: int
    problem: RoutingProblem


def parse_solomon(text: str) -> SolomonInstance:
    """Solomon VRPTW: name, `K Q`, then rows `id x y demand ready due service`; row 0 = depot."""
    lines = [ln.strip() for ln in text.splitlines()]  # splitlines copes with CRLF
    name = lines[0]
    numeric = [ln.split() for ln in lines[1:] if ln and ln.split()[0].isdigit()]
    fleet_size, capacity = (int(v) for v in numeric[0])
    rows = [[float(v) for v in r] for r in numeric[1:] if len(r) == 7]
    if not rows or int(rows[0][0]) != 0:
        raise ValueError("Solomon file: customer block must start with the depot, id 0")
    nodes = tuple(
        Node(id=str(int(r[0])), x=r[1], y=r[2], demand=int(r[3]), ready_time=r[4],
             due_time=r[5], service_time=r[6])
        for r in rows
    )
    vehicles = tuple(
        Vehicle(id=f"v{k + 1}", start=0, end=0, capacity=capacity) for k in range(fleet_size)
    )
    problem = RoutingProblem(nodes=nodes, vehicles=vehicles)
    return SolomonInstance(name, fleet_size, capacity, problem)


def read_solomon(path: str | Path) -> SolomonInstance:
    return parse_solomon(Path(path).read_text())


def _days_of(pattern: int, days: int) -> tuple[int, ...]:
    """Cordeau pattern: binary with the leftmost of `days` bits = day 1; days are 0-based."""
    return tuple(d for d in range(days) if pattern >> (days - 1 - d) & 1)


def parse_cordeau_pvrp(text: str, name: str = "") -> PeriodicProblem:
    """Cordeau PVRP: `type m n t`; t lines `D Q`; node rows `i x y d q f a combos...`.

    Node 0 is the depot. A node placed at the depot with demand = Q on some days (p01's
    node 51) is kept as an ordinary customer: it fills one vehicle on its day at no
    distance, which is what the format means (one vehicle out of service that day).
    """
    tokens_by_line = [ln.split() for ln in text.splitlines() if ln.strip()]
    kind, m, n, t = (int(v) for v in tokens_by_line[0])
    if kind != 1:
        raise ValueError(f"type {kind} is not a PVRP instance (expected 1)")
    day_specs = []
    for d in range(t):
        duration, capacity = (int(v) for v in tokens_by_line[1 + d][:2])
        day_specs.append(DaySpec(vehicles=m, capacity=capacity,
                                 max_duration=None if duration == 0 else float(duration)))
    rows = tokens_by_line[1 + t: 1 + t + n + 1]
    if len(rows) != n + 1:
        raise ValueError(f"expected {n + 1} node rows, found {len(rows)}")
    depot = rows[0]
    customers = []
    for r in rows[1:]:
        ident, x, y, service, demand, visits, n_combos = r[:7]
        combos = tuple(_days_of(int(c), t) for c in r[7: 7 + int(n_combos)])
        customers.append(Customer(
            id=ident, x=float(x), y=float(y), service_time=float(service), demand=int(demand),
            visits=int(visits), allowed_day_sets=combos,
        ))
    return PeriodicProblem(
        name=name, days=tuple(day_specs), depot_x=float(depot[1]), depot_y=float(depot[2]),
        customers=tuple(customers),
    )


def read_cordeau_pvrp(path: str | Path) -> PeriodicProblem:
    p = Path(path)
    return parse_cordeau_pvrp(p.read_text(), name=p.stem)
