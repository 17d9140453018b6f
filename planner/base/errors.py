"""Problems found in a scenario, phrased for the person who edits the files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """One finding: where it is (file, spreadsheet row, column), what was found, what was expected."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    key: str | None = None  # a setting in scenario.toml, e.g. horizon.start
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}"
        if self.key:
            where += f", key {self.key}"
        return f"{self.severity}: {where}: {self.message}"


class ScenarioError(Exception):
    """The scenario cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity == "warning"]
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple:
        # Pickled with its problems (a piece's input error travels back from a worker process).
        return (type(self), (self.problems + self.warnings,))


class InfeasiblePlan(Exception):
    """No plan satisfies the hard rules; the message names the conflicting rules in data terms."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("\n".join(reasons))

    def __reduce__(self) -> tuple:
        return (type(self), (self.reasons,))
