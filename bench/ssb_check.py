"""Independent checker for Shift Scheduling Benchmark solutions.

Reads the instance text itself (no importer, no model code), checks every benchmark rule
on a roster {(employee, day): shift} and recomputes the objective from the definition in
shared/bench/SOURCES.md. Used to certify whatever the engine produced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Literal

from planner.checks import CheckResult, Finding, Subject, hard, soft

Rule = Literal[
    # hard
    "unknown_assignment", "fixed_day_off", "max_shifts", "total_minutes", "shift_rotation", "max_consecutive_shifts",
    "min_consecutive_shifts", "min_consecutive_days_off", "max_weekends",
    # soft: the benchmark objective
    "shift_on_request", "shift_off_request", "cover_under", "cover_over",
]


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


def check_ssb(text: str, roster: Mapping[tuple[str, int], str]) -> CheckResult[Rule]:
    """Check all hard rules and recompute the benchmark objective of `roster` (the soft findings' penalties)."""
    sec = _sections(text)
    h = int(sec["SECTION_HORIZON"][0][0])
    length = {r[0]: int(r[1]) for r in sec["SECTION_SHIFTS"]}
    banned_next = {r[0]: set(filter(None, (r[2] if len(r) > 2 else "").split("|")))
                   for r in sec["SECTION_SHIFTS"]}
    off = {r[0]: {int(d) for d in r[1:] if d} for r in sec.get("SECTION_DAYS_OFF", [])}
    found: list[Finding[Rule]] = []
    staff = [r[0] for r in sec["SECTION_STAFF"]]
    for (eid, d), s in roster.items():
        if eid not in staff or not 0 <= d < h or s not in length:
            found.append(hard("unknown_assignment", Subject("employee", eid), f"unknown assignment {eid} day {d} shift {s}",
                              date=d))
    for r in sec["SECTION_STAFF"]:
        eid = r[0]
        who = Subject("employee", eid)
        maxs = {k: int(v) for k, v in (p.split("=") for p in r[1].split("|") if p)}
        max_min, min_min, max_con, min_con, min_off, max_wk = map(int, r[2:8])
        plan = [roster.get((eid, d)) for d in range(h)]
        worked = [s is not None for s in plan]
        for d in sorted(off.get(eid, set())):
            if d < h and worked[d]:
                found.append(hard("fixed_day_off", who, f"{eid} works on fixed day off {d}", date=d))
        for s, n in Counter(s for s in plan if s).items():
            if n > maxs.get(s, h):
                found.append(hard("max_shifts", who, f"{eid} works {s} {n} times, max {maxs.get(s)}",
                                  amount=n - maxs.get(s, h)))
        minutes = sum(length.get(s, 0) for s in plan if s)
        if not min_min <= minutes <= max_min:
            found.append(hard("total_minutes", who, f"{eid} works {minutes} min, allowed [{min_min}, {max_min}]",
                              amount=max(min_min - minutes, minutes - max_min)))
        for d in range(h - 1):
            if plan[d] and plan[d + 1] and plan[d + 1] in banned_next[plan[d]]:
                found.append(hard("shift_rotation", who, f"{eid} {plan[d]} day {d} then {plan[d + 1]}", date=d + 1))
        for start, n in _runs(worked, True):
            if n > max_con:
                found.append(hard("max_consecutive_shifts", who, f"{eid} works {n} days in a row from {start}, "
                                  f"max {max_con}", date=start, amount=n - max_con))
            if n < min_con and start > 0 and start + n < h:
                found.append(hard("min_consecutive_shifts", who, f"{eid} works {n} days in a row from {start}, "
                                  f"min {min_con}", date=start, amount=min_con - n))
        for start, n in _runs(worked, False):
            if n < min_off and start > 0 and start + n < h:
                found.append(hard("min_consecutive_days_off", who, f"{eid} has {n} days off from {start}, min {min_off}",
                                  date=start, amount=min_off - n))
        weekends = sum(
            1 for sat in range(5, h, 7) if worked[sat] or (sat + 1 < h and worked[sat + 1])
        )
        if weekends > max_wk:
            found.append(hard("max_weekends", who, f"{eid} works {weekends} weekends, max {max_wk}",
                              amount=weekends - max_wk))
    for r in sec.get("SECTION_SHIFT_ON_REQUESTS", []):
        if roster.get((r[0], int(r[1]))) != r[2]:
            found += soft("shift_on_request", Subject("employee", r[0]), 1, int(r[3]),
                          f"{r[0]} asked for {r[2]} on day {r[1]}", date=int(r[1]))
    for r in sec.get("SECTION_SHIFT_OFF_REQUESTS", []):
        if roster.get((r[0], int(r[1]))) == r[2]:
            found += soft("shift_off_request", Subject("employee", r[0]), 1, int(r[3]),
                          f"{r[0]} asked not to work {r[2]} on day {r[1]}", date=int(r[1]))
    on_shift = Counter((d, s) for (_, d), s in roster.items())
    for r in sec.get("SECTION_COVER", []):
        got, req = on_shift[int(r[0]), r[1]], int(r[2])
        found += soft("cover_under", Subject("day", r[0]), max(0, req - got), int(r[3]),
                      f"day {r[0]} shift {r[1]}: {max(0, req - got)} short of {req}", date=int(r[0]))
        found += soft("cover_over", Subject("day", r[0]), max(0, got - req), int(r[4]),
                      f"day {r[0]} shift {r[1]}: {max(0, got - req)} above {req}", date=int(r[0]))
    return CheckResult(found)
