"""Readers for public routing benchmarks: Solomon VRPTW and Cordeau PVRP.

Both turn a file's text into the engines' input schemas; nothing here solves.
Formats are described in bench/SOURCES.md of the shared data.
"""

from __future__ import annotations

import math
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


class CordeauFormatError(ValueError):
    """The file does not follow Cordeau's PVRP format; the message names line and field."""


def _days_of(pattern: int, days: int) -> tuple[int, ...]:
    """Cordeau pattern: binary with the leftmost of `days` bits = day 1; days are 0-based."""
    return tuple(d for d in range(days) if pattern >> (days - 1 - d) & 1)


class _Line:
    """One non-empty line's tokens with its 1-based number, for messages."""

    def __init__(self, number: int, tokens: list[str], fields: tuple[str, ...]):
        self.number, self.tokens, self.fields = number, tokens, fields

    def name(self, i: int) -> str:
        return self.fields[i] if i < len(self.fields) else f"field {i + 1}"

    def raw(self, i: int) -> str:
        if i >= len(self.tokens):
            raise CordeauFormatError(f"line {self.number}: {self.name(i)} is missing")
        return self.tokens[i]

    def whole(self, i: int, low: int = 0) -> int:
        try:
            value = int(self.raw(i))
        except ValueError:
            raise CordeauFormatError(
                f"line {self.number}: {self.name(i)} must be a whole number, got {self.raw(i)!r}"
            ) from None
        if value < low:
            raise CordeauFormatError(f"line {self.number}: {self.name(i)} must be ≥ {low}, got {value}")
        return value

    def number_(self, i: int, low: float | None = None) -> float:
        try:
            value = float(self.raw(i))
        except ValueError:
            raise CordeauFormatError(
                f"line {self.number}: {self.name(i)} must be a number, got {self.raw(i)!r}") from None
        if not math.isfinite(value) or (low is not None and value < low):
            raise CordeauFormatError(
                f"line {self.number}: {self.name(i)} must be a finite number"
                + (f" ≥ {low:g}" if low is not None else "") + f", got {self.raw(i)!r}")
        return value

    def no_more_than(self, count: int) -> None:
        if len(self.tokens) > count:
            raise CordeauFormatError(
                f"line {self.number}: {len(self.tokens)} values where {count} are expected "
                f"(first extra: {self.tokens[count]!r})")


_HEADER = ("type", "m (vehicles per day)", "n (customers)", "t (days)")
_DAY = ("D (max route duration)", "Q (capacity)")
_NODE = ("i (node number)", "x", "y", "d (service duration)", "q (demand)",
         "f (visits in the period)", "a (number of visit combinations)")


def parse_cordeau_pvrp(text: str, name: str = "") -> PeriodicProblem:
    """Cordeau PVRP text → PeriodicProblem (format: bench/SOURCES.md of the shared data).

    Line 1 `type m n t`; t lines `D Q` (D = max route duration in time units, travel plus
    service, 0 = none; Q = capacity); n + 1 node lines `i x y d q f a c1 .. ca` (node 0
    the depot; d service duration; q demand; f visits; a combinations, each an integer
    whose t-bit binary form marks the days, leftmost = day 1, with exactly f bits set).
    Distances are Euclidean (unrounded). Raises CordeauFormatError naming the line
    (1-based, counting blank lines) and the field.

    A node placed at the depot with demand = Q on some days (p01's node 51) is kept as an
    ordinary customer: it fills one vehicle on its day at no distance, which is what the
    format means (one vehicle out of service that day).
    """
    lines = [_Line(k, ln.split(), ()) for k, ln in enumerate(text.splitlines(), start=1)
             if ln.strip()]
    if not lines:
        raise CordeauFormatError("line 1: the file is empty (expected `type m n t`)")
    head = lines[0]
    head.fields = _HEADER
    kind, m, n, t = head.whole(0), head.whole(1), head.whole(2), head.whole(3, low=1)
    head.no_more_than(4)
    if kind != 1:
        raise CordeauFormatError(f"line {head.number}: type {kind} is not a PVRP instance (expected 1)")
    if len(lines) < 1 + t + n + 1:
        last = lines[-1].number
        raise CordeauFormatError(
            f"line {last}: the file ends after {len(lines) - 1} lines of data where t + n + 1 = "
            f"{t + n + 1} are expected (t day lines, then the depot and n customers)")
    if len(lines) > 1 + t + n + 1:
        extra = lines[1 + t + n + 1]
        raise CordeauFormatError(
            f"line {extra.number}: data after the depot and the n = {n} customer lines")
    day_specs = []
    for line in lines[1: 1 + t]:
        line.fields = _DAY
        duration, capacity = line.number_(0, low=0.0), line.whole(1)
        line.no_more_than(2)
        day_specs.append(DaySpec(vehicles=m, capacity=capacity,
                                 max_duration=None if duration == 0 else duration))
    nodes = lines[1 + t:]
    for k, line in enumerate(nodes):
        line.fields = _NODE
        if line.whole(0) != k:
            raise CordeauFormatError(
                f"line {line.number}: i (node number) is {line.raw(0)}, expected {k} "
                "(nodes are numbered in order from 0, the depot)")
    depot = nodes[0]
    depot_x, depot_y = depot.number_(1), depot.number_(2)
    customers = []
    for line in nodes[1:]:
        x, y, service = line.number_(1), line.number_(2), line.number_(3, low=0.0)
        demand, visits, n_combos = line.whole(4), line.whole(5, low=1), line.whole(6, low=1)
        line.fields = _NODE + tuple(f"visit combination {j + 1}" for j in range(n_combos))
        combos = []
        for j in range(7, 7 + n_combos):
            pattern = line.whole(j, low=1)
            if pattern >= 1 << t or bin(pattern).count("1") != visits:
                raise CordeauFormatError(
                    f"line {line.number}: {line.name(j)} = {pattern} marks days "
                    f"{[d + 1 for d in _days_of(pattern, t)] if pattern < 1 << t else 'beyond t'}"
                    f", not f = {visits} of the t = {t} days")
            combos.append(_days_of(pattern, t))
        line.no_more_than(7 + n_combos)
        customers.append(Customer(
            id=line.raw(0), x=x, y=y, service_time=service, demand=demand, visits=visits,
            allowed_day_sets=tuple(combos),
        ))
    return PeriodicProblem(name=name, days=tuple(day_specs), depot_x=depot_x, depot_y=depot_y,
                           customers=tuple(customers))


def read_cordeau_pvrp(path: str | Path) -> PeriodicProblem:
    p = Path(path)
    return parse_cordeau_pvrp(p.read_text(), name=p.stem)
