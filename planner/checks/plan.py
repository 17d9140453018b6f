"""The checks `planner plan` runs on the roster and the visit plan it writes, summed up for manifest.json."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from planner.checks import roster, visits
from planner.checks.findings import CheckResult
from planner.scenario.schemas import Scenario


def _summary(result: CheckResult, solver_objective: float | None = None) -> dict:
    counts = result.counts()
    out = {"hard": len(result.hard), "soft": len(result.soft), "hard_by_rule": counts["hard"],
           "soft_by_rule": counts["soft"]}
    if solver_objective is not None:
        out.update(objective=result.objective, solver_objective=solver_objective,
                   agrees=abs(result.objective - solver_objective) <= 1e-6 * max(1.0, abs(solver_objective)))
    return out


def plan_checks(scenario: Scenario, requirements: pd.DataFrame | None = None, roster_rows: pd.DataFrame | None = None,
                roster_dates: Sequence[dt.date] = (), roster_objective: float | None = None,
                visit_rows: pd.DataFrame | None = None, slot_minutes: Mapping[tuple[str, str], float] | None = None
                ) -> dict:
    """{"roster": …, "visits": …}: per plan given, its hard and soft findings (counts, and per rule) and, for the
    roster, the objective the check computes against the solver's.

    `roster_rows` is roster.csv as written over `roster_dates` (weeks, the last one possibly cut at the horizon end), scored against the
    counter `requirements` (planner/staffing/sizing.interval_requirements); `visit_rows` is
    visits.csv as written, with the minutes of each (provider, appointment type) slot.
    """
    out: dict = {}
    if roster_rows is not None and requirements is not None and len(roster_dates):
        cells = [{k: "" if pd.isna(v) else str(v) for k, v in row.items()} for row in roster_rows.to_dict("records")]
        result = roster.check(scenario, cells, roster_dates[0], -(-len(roster_dates) // 7), requirements)
        out["roster"] = _summary(result, roster_objective)
    if visit_rows is not None:
        out["visits"] = _summary(visits.check_visits(scenario, visit_rows, slot_minutes or {}))
    return out
