"""Independent checker for Shift Scheduling Benchmark solutions.

Reads the instance text itself (no importer, no model code), checks every benchmark rule
on a roster {(employee, day): shift} and recomputes the objective from the definition in
shared/bench/SOURCES.md. Used to certify whatever the engine produced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass
class CheckReport:
    objective: int = 0
    breaches: list[str] = field(default_factory=list)  # hard-rule breaches, in words

    @property
    def ok(self) -> bool:
        return not self.breaches


def _sections(text: str) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    name = ""
    for line in (raw.strip() for raw in text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            name = line
            out[name] = []
        else:
            out[name].append([c.strip() for c in line.split(",")])
    return out


def _runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """(start, length) of maximal runs equal to `value`."""
    runs, start = [], None
    for d, v in enumerate(worked + [not value]):
        if v == value and start is None:
            start = d
        elif v != value and start is not None:
            runs.append((start, d - start))
            start = None
    return runs


def check_ssb(text: str, roster: Mapping[tuple[str, int], str]) -> CheckReport:
    """Check all hard rules and recompute the benchmark objective of `roster`."""
    sec = _sections(text)
    h = int(sec["SECTION_HORIZON"][0][0])
    length = {r[0]: int(r[1]) for r in sec["SECTION_SHIFTS"]}
    banned_next = {r[0]: set(filter(None, (r[2] if len(r) > 2 else "").split("|")))
                   for r in sec["SECTION_SHIFTS"]}
    off = {r[0]: {int(d) for d in r[1:] if d} for r in sec.get("SECTION_DAYS_OFF", [])}
    rep = CheckReport()
    staff = [r[0] for r in sec["SECTION_STAFF"]]
    for (eid, d), s in roster.items():
        if eid not in staff or not 0 <= d < h or s not in length:
            rep.breaches.append(f"unknown assignment {eid} day {d} shift {s}")
    for r in sec["SECTION_STAFF"]:
        eid = r[0]
        maxs = {k: int(v) for k, v in (p.split("=") for p in r[1].split("|") if p)}
        max_min, min_min, max_con, min_con, min_off, max_wk = map(int, r[2:8])
        plan = [roster.get((eid, d)) for d in range(h)]
        worked = [s is not None for s in plan]
        for d in off.get(eid, set()):
            if d < h and worked[d]:
                rep.breaches.append(f"{eid} works on fixed day off {d}")
        for s, n in Counter(s for s in plan if s).items():
            if n > maxs.get(s, h):
                rep.breaches.append(f"{eid} works {s} {n} times, max {maxs.get(s)}")
        minutes = sum(length.get(s, 0) for s in plan if s)
        if not min_min <= minutes <= max_min:
            rep.breaches.append(f"{eid} works {minutes} min, allowed [{min_min}, {max_min}]")
        for d in range(h - 1):
            if plan[d] and plan[d + 1] and plan[d + 1] in banned_next[plan[d]]:
                rep.breaches.append(f"{eid} {plan[d]} day {d} then {plan[d + 1]}")
        for start, n in _runs(worked, True):
            if n > max_con:
                rep.breaches.append(f"{eid} works {n} days in a row from {start}, max {max_con}")
            if n < min_con and start > 0 and start + n < h:
                rep.breaches.append(f"{eid} works {n} days in a row from {start}, min {min_con}")
        for start, n in _runs(worked, False):
            if n < min_off and start > 0 and start + n < h:
                rep.breaches.append(f"{eid} has {n} days off from {start}, min {min_off}")
        weekends = sum(
            1 for sat in range(5, h, 7) if worked[sat] or (sat + 1 < h and worked[sat + 1])
        )
        if weekends > max_wk:
            rep.breaches.append(f"{eid} works {weekends} weekends, max {max_wk}")
    for r in sec.get("SECTION_SHIFT_ON_REQUESTS", []):
        if roster.get((r[0], int(r[1]))) != r[2]:
            rep.objective += int(r[3])
    for r in sec.get("SECTION_SHIFT_OFF_REQUESTS", []):
        if roster.get((r[0], int(r[1]))) == r[2]:
            rep.objective += int(r[3])
    on_shift = Counter((d, s) for (_, d), s in roster.items())
    for r in sec.get("SECTION_COVER", []):
        got, req = on_shift[int(r[0]), r[1]], int(r[2])
        rep.objective += max(0, req - got) * int(r[3]) + max(0, got - req) * int(r[4])
    return rep
