"""Shift Scheduling Benchmark (Curtois & Qu) text format → RosterProblem.

Sections and columns are described in shared/bench/SOURCES.md (ssb/). Day 0 is a Monday.
In the benchmark every shift covers its own demand row, starts at midnight for modelling
purposes (only lengths matter) and is paid its full length.
"""

from __future__ import annotations

from pydantic import ValidationError

from models.roster_problem import (
    Employee,
    Request,
    RosterProblem,
    ShiftCover,
    ShiftType,
    Succession,
)


class SsbFormatError(ValueError):
    """The file does not follow the SSB text format; the message names line, section and column."""


Row = tuple[int, list[str]]  # (1-based line number, comma-separated cells)

COLUMNS = {
    "SECTION_SHIFTS": ("ShiftID", "Length in mins", "Shifts which cannot follow"),
    "SECTION_STAFF": ("ID", "MaxShifts", "MaxTotalMinutes", "MinTotalMinutes",
                      "MaxConsecutiveShifts", "MinConsecutiveShifts", "MinConsecutiveDaysOff",
                      "MaxWeekends"),
    "SECTION_SHIFT_ON_REQUESTS": ("EmployeeID", "Day", "ShiftID", "Weight"),
    "SECTION_SHIFT_OFF_REQUESTS": ("EmployeeID", "Day", "ShiftID", "Weight"),
    "SECTION_COVER": ("Day", "ShiftID", "Requirement", "Weight for under", "Weight for over"),
}


def read_sections(text: str) -> dict[str, list[Row]]:
    """Split the file into sections of comma-separated, stripped rows (comments dropped)."""
    sections: dict[str, list[Row]] = {}
    current: list[Row] | None = None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = sections.setdefault(line, [])
            continue
        if current is None:
            raise SsbFormatError(f"line {n}: data before the first SECTION_ line: {line!r}")
        current.append((n, [c.strip() for c in line.split(",")]))
    return sections


class _Cells:
    """One row's cells with errors that say where and what was expected."""

    def __init__(self, section: str, row: Row) -> None:
        self.section, (self.line, self.cells) = section, row

    def where(self, i: int) -> str:
        names = COLUMNS.get(self.section, ())
        col = names[i] if i < len(names) else f"column {i + 1}"
        return f"line {self.line} ({self.section}, {col})"

    def text(self, i: int) -> str:
        if i >= len(self.cells) or not self.cells[i]:
            raise SsbFormatError(f"{self.where(i)}: missing value")
        return self.cells[i]

    def int(self, i: int) -> int:
        value = self.text(i)
        try:
            number = int(value)
        except ValueError:
            raise SsbFormatError(f"{self.where(i)}: expected a whole number, got {value!r}") from None
        if number < 0:
            raise SsbFormatError(f"{self.where(i)}: expected a number ≥ 0, got {number}")
        return number

    def pairs(self, i: int) -> dict[str, int]:
        out = {}
        for part in filter(None, self.text(i).split("|")):
            key, sep, value = part.partition("=")
            if not sep or not value.strip().isdigit():
                raise SsbFormatError(f"{self.where(i)}: expected ShiftID=count pairs separated "
                                     f"by '|', got {part!r}")
            out[key.strip()] = int(value)
        return out


def _rows(sec: dict[str, list[Row]], name: str, required: bool = False) -> list[_Cells]:
    if required and not sec.get(name):
        raise SsbFormatError(f"{name}: section missing or empty")
    return [_Cells(name, row) for row in sec.get(name, [])]


def parse_ssb(text: str) -> RosterProblem:
    """Parse SSB text into the generic roster problem (SsbFormatError names line and column)."""
    sec = read_sections(text)
    horizon = _rows(sec, "SECTION_HORIZON", required=True)[0].int(0)
    shifts, successions = [], []
    for row in _rows(sec, "SECTION_SHIFTS", required=True):
        sid = row.text(0)
        shifts.append(ShiftType(id=sid, start=0, length=row.int(1)))
        nxt = row.cells[2] if len(row.cells) > 2 else ""
        successions += [Succession(first=sid, then=n) for n in filter(None, nxt.split("|"))]
    days_off = {}
    for row in _rows(sec, "SECTION_DAYS_OFF"):
        days_off[row.text(0)] = frozenset(row.int(i) for i in range(1, len(row.cells))
                                          if row.cells[i])
    employees = []
    for row in _rows(sec, "SECTION_STAFF", required=True):
        eid = row.text(0)
        try:
            employees.append(Employee(
                id=eid, max_shifts=row.pairs(1), max_minutes=row.int(2), min_minutes=row.int(3),
                max_consecutive_work=row.int(4), min_consecutive_work=max(1, row.int(5)),
                min_consecutive_off=max(1, row.int(6)), max_weekends=row.int(7),
                days_off=days_off.get(eid, frozenset()),
            ))
        except ValidationError as exc:
            err = exc.errors()[0]
            raise SsbFormatError(f"line {row.line} (SECTION_STAFF, {'.'.join(map(str, err['loc']))}): "
                                 f"{err['msg']}") from None
    known = {s.id for s in shifts}
    people = {e.id for e in employees}

    def day(r: _Cells, i: int) -> int:
        d = r.int(i)
        if d >= horizon:
            raise SsbFormatError(f"{r.where(i)}: day {d} is past the horizon (days 0–{horizon - 1})")
        return d

    def shift(r: _Cells, i: int) -> str:
        s = r.text(i)
        if s not in known:
            raise SsbFormatError(f"{r.where(i)}: unknown shift {s!r} (SECTION_SHIFTS has {sorted(known)})")
        return s

    def person(r: _Cells, i: int) -> str:
        e = r.text(i)
        if e not in people:
            raise SsbFormatError(f"{r.where(i)}: unknown employee {e!r} (not in SECTION_STAFF)")
        return e

    requests = [
        Request(employee=person(r, 0), day=day(r, 1), shift=shift(r, 2), weight=r.int(3), on=on)
        for name, on in (("SECTION_SHIFT_ON_REQUESTS", True), ("SECTION_SHIFT_OFF_REQUESTS", False))
        for r in _rows(sec, name)
    ]
    cover = [
        ShiftCover(day=day(r, 0), shift=shift(r, 1), requirement=r.int(2), weight_under=r.int(3),
                   weight_over=r.int(4))
        for r in _rows(sec, "SECTION_COVER")
    ]
    try:
        return RosterProblem(horizon=horizon, first_weekday=0, shifts=tuple(shifts),
                             employees=tuple(employees), forbidden_successions=tuple(successions),
                             shift_cover=tuple(cover), requests=tuple(requests))
    except ValidationError as exc:  # duplicate ids, unknown shift types in MaxShifts/successions
        raise SsbFormatError(f"inconsistent instance: {exc.errors()[0]['msg']}") from None
