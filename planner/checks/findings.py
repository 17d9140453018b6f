"""The one result type of every check: a `Finding` per breach, gathered in a `CheckResult`.

Each checker (rosters: planner/checks/roster.py, visit plans: planner/checks/visits.py, and
the benchmark checkers in bench/) names its rules in a closed list (a `Literal` of rule
names) and reports every breach it finds as a Finding: which rule, hard or soft, who or what
breaks it, when, by how much and at what penalty, and why in words. A hard finding has no
penalty (the plan is not allowed); the soft penalties add up to the objective the check
computes, which must equal the one the solver reported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Generic, Literal, NamedTuple, TypeVar

import pandas as pd

Severity = Literal["hard", "soft"]
R = TypeVar("R", bound=str)


class Subject(NamedTuple):
    """Who or what breaks a rule: kind (advisor, official, point, employee, vehicle, customer, day, row) and id."""

    kind: str
    id: str


@dataclass(frozen=True)
class Finding(Generic[R]):
    """One breach of one rule."""

    rule: R  # one of the checker's closed list of rule names
    severity: Severity
    subject: Subject
    message: str  # the breach in words, as the user reads it
    date: dt.date | int | None = None  # the day (a day index where the plan has no calendar: benchmarks)
    start: int | None = None  # the time span within the day, minutes after midnight
    end: int | None = None
    amount: float = 1  # how big the breach is, in the rule's unit (minutes, advisors, days …)
    weight: float = 0  # penalty per unit of amount (soft rules)
    point: str = ""  # where, when the subject is not the point itself
    # The input row the finding is about, for the person correcting it ("roster.csv row 7"); "" when none. Not part of
    # what the breach is: equal findings read from other rows are equal.
    row: str = field(default="", compare=False)
    # What the findings breaking `rule` this same way share, for one line counting many of them ("dated outside the
    # period 2015-01-01 – 2015-01-31"); "" when each finding is its own. Not part of the breach either.
    alike: str = field(default="", compare=False)

    @property
    def penalty(self) -> float:
        return self.amount * self.weight if self.severity == "soft" else 0


def hard(rule: R, subject: Subject, message: str, **when: object) -> Finding[R]:
    """A breach of a hard rule (the plan is not allowed)."""
    return Finding(rule, "hard", subject, message, **when)


def soft(rule: R, subject: Subject, amount: float, weight: float, message: str, **when: object) -> list[Finding[R]]:
    """A soft breach of `amount` at `weight` a unit, as a list: empty when it costs nothing."""
    if not amount or not weight:
        return []
    return [Finding(rule, "soft", subject, message, amount=amount, weight=weight, **when)]


@dataclass
class CheckResult(Generic[R]):
    """Every finding of one check, and the plan's cost apart from its breaches (distance, for routes)."""

    findings: list[Finding[R]] = field(default_factory=list)
    cost: float = 0

    @property
    def hard(self) -> list[Finding[R]]:
        return [f for f in self.findings if f.severity == "hard"]

    @property
    def soft(self) -> list[Finding[R]]:
        return [f for f in self.findings if f.severity == "soft"]

    @property
    def ok(self) -> bool:
        """No hard rule is broken."""
        return not self.hard

    @property
    def objective(self) -> float:
        """What the check says the plan costs: its cost plus every soft penalty."""
        return self.cost + sum(f.penalty for f in self.soft)

    def counts(self) -> dict[str, dict[str, int]]:
        """{"hard": {rule: breaches}, "soft": {rule: breaches}}, rules in the order first found."""
        return {severity: dict(Counter(f.rule for f in self.findings if f.severity == severity))
                for severity in ("hard", "soft")}

    def brief(self, severity: Severity = "hard") -> list[str]:
        """The findings of `severity` as the terminal lists them: brief_lines."""
        return brief_lines([f for f in self.findings if f.severity == severity])

    def table(self) -> pd.DataFrame:
        """One row per finding: severity, family (the rule), point, advisor (the subject when a person), date,
        start, end (HH:MM), amount, weight, penalty, message, row (the input row it is about, e.g. "roster.csv row 7";
        empty when none)."""
        rows = [{"severity": f.severity, "family": f.rule,
                 "point": f.subject.id if f.subject.kind == "point" else f.point,
                 "advisor": f.subject.id if f.subject.kind not in ("point", "row") else "",
                 "date": "" if f.date is None else str(f.date),
                 "start": _clock(f.start), "end": _clock(f.end),
                 "amount": f.amount, "weight": f.weight, "penalty": f.penalty, "message": f.message, "row": f.row}
                for f in self.findings]
        return pd.DataFrame(rows, columns=["severity", "family", "point", "advisor", "date", "start", "end", "amount",
                                           "weight", "penalty", "message", "row"])


SHOWN_ALIKE = 3  # findings of one kind listed on the terminal before the rest are counted


def brief_lines(findings: list[Finding[R]], shown: int = SHOWN_ALIKE) -> list[str]:
    """The findings as the terminal lists them, one line each: "2015-02-02 is outside the roster period … — roster.csv
    row 205" (the row once, when there is one). Of findings alike (the same rule and the same non-empty `alike`) only
    the first `shown` are listed, then one line counts the rest: "… and 183 more rows of roster.csv dated outside the
    period 2015-01-01 – 2015-01-31" (a trial: 188 such lines flooded the screen). What is written to files keeps every
    finding; so does the exit code."""
    kinds = Counter((f.rule, f.alike) for f in findings if f.alike)
    seen: Counter[tuple[str, str]] = Counter()
    lines = []
    for f in findings:
        kind = (f.rule, f.alike)
        many = bool(f.alike) and kinds[kind] > shown + 1  # counting one line's worth saves nothing
        seen[kind] += 1
        if many and seen[kind] > shown:
            continue
        lines.append(f.message + (f" — {f.row}" if f.row else ""))
        if many and seen[kind] == shown:
            rest = kinds[kind] - shown
            what = f"rows of {f.row.rsplit(' row ', 1)[0]}" if f.row else "findings"
            lines.append(f"… and {rest} more {what} {f.alike}")
    return lines


def _clock(minute: int | None) -> str:
    return "" if minute is None else f"{minute // 60:02d}:{minute % 60:02d}"
