"""Shift Scheduling Benchmark (Curtois & Qu) text format → RosterProblem.

Sections and columns are described in shared/bench/SOURCES.md (ssb/). Day 0 is a Monday.
In the benchmark every shift covers its own demand row, starts at midnight for modelling
purposes (only lengths matter) and is paid its full length.
"""

from __future__ import annotations

from models.roster_problem import (
    Employee,
    Request,
    RosterProblem,
    ShiftCover,
    ShiftType,
    Succession,
)


class SsbFormatError(ValueError):
    """The file does not follow the SSB text format; the message names section and row."""


def read_sections(text: str) -> dict[str, list[list[str]]]:
    """Split the file into sections of comma-separated, stripped rows (comments dropped)."""
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = sections.setdefault(line, [])
            continue
        if current is None:
            raise SsbFormatError(f"data before the first SECTION_ line: {line!r}")
        current.append([c.strip() for c in line.split(",")])
    return sections


def _pairs(cell: str) -> dict[str, int]:
    out = {}
    for part in filter(None, cell.split("|")):
        k, v = part.split("=")
        out[k.strip()] = int(v)
    return out


def parse_ssb(text: str) -> RosterProblem:
    """Parse SSB text into the generic roster problem."""
    sec = read_sections(text)
    try:
        horizon = int(sec["SECTION_HORIZON"][0][0])
        shifts, successions = [], []
        for row in sec["SECTION_SHIFTS"]:
            sid, length = row[0], int(row[1])
            shifts.append(ShiftType(id=sid, start=0, length=length))
            nxt = row[2] if len(row) > 2 else ""
            successions += [Succession(first=sid, then=n) for n in filter(None, nxt.split("|"))]
        days_off = {row[0]: frozenset(int(d) for d in row[1:] if d) for row in
                    sec.get("SECTION_DAYS_OFF", [])}
        employees = []
        for row in sec["SECTION_STAFF"]:
            eid = row[0]
            employees.append(Employee(
                id=eid, max_shifts=_pairs(row[1]), max_minutes=int(row[2]),
                min_minutes=int(row[3]), max_consecutive_work=int(row[4]),
                min_consecutive_work=max(1, int(row[5])), min_consecutive_off=max(1, int(row[6])),
                max_weekends=int(row[7]), days_off=days_off.get(eid, frozenset()),
            ))
        requests = [
            Request(employee=r[0], day=int(r[1]), shift=r[2], weight=int(r[3]), on=on)
            for name, on in (("SECTION_SHIFT_ON_REQUESTS", True),
                             ("SECTION_SHIFT_OFF_REQUESTS", False))
            for r in sec.get(name, [])
        ]
        cover = [
            ShiftCover(day=int(r[0]), shift=r[1], requirement=int(r[2]), weight_under=int(r[3]),
                       weight_over=int(r[4]))
            for r in sec.get("SECTION_COVER", [])
        ]
    except (KeyError, IndexError, ValueError) as exc:
        raise SsbFormatError(f"cannot read SSB instance: {exc}") from exc
    return RosterProblem(horizon=horizon, first_weekday=0, shifts=tuple(shifts),
                         employees=tuple(employees), forbidden_successions=tuple(successions),
                         shift_cover=tuple(cover), requests=tuple(requests))

