"""`planner check`: read a roster CSV (from the tool or edited by hand) and score it with planner.checks.roster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.base import io
from planner.base.errors import ScenarioError
from planner.checks import roster as checker
from planner.rosters.stage import requirements_for
from planner.scenario.schemas import Scenario


def roster_period(scenario: Scenario, roster_csv: Path, start: dt.date | None, weeks: int | None
                  ) -> tuple[dt.date, int]:
    """The period to check: the options, else the summary.json written next to the roster, else the defaults."""
    written = io.read_json(roster_csv.parent / "summary.json") or {}
    first = start or dt.date.fromisoformat(written.get("from", scenario.config.horizon.start.isoformat()))
    return first, weeks or written.get("weeks") or scenario.config.roster.weeks


def check_roster_file(scenario: Scenario, roster_csv: Path, start: dt.date | None = None, weeks: int | None = None,
                      output: Path | None = None) -> checker.CheckResult:
    """Every finding of the roster in `roster_csv`; with `output`, also written there as CSV.

    Raises ScenarioError (exit 2) when the file cannot be read as CSV.
    """
    raw, problems = io.read_csv(roster_csv)
    if raw is None:
        raise ScenarioError(problems)
    first, weeks = roster_period(scenario, roster_csv, start, weeks)
    result = checker.check(scenario, [cells for _, cells in raw.rows], first, weeks, requirements_for(scenario))
    if output is not None:
        io.write_csv(result.table(), output)
    return result
