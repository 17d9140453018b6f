"""Rosters as a pipeline stage: a piece per group of points that share advisors, and for a
roster of several work periods a second piece per group for its bound.

The bound of a roster made in work periods (planner/rosters/roster.period_bounds: each period
alone solved for its bound, the whole roster's LP, the priced periods) does not depend on the
roster made, so it is a piece of its own ("roster-bound:<group>"): a pool runs it beside the
rosters (Kiiminki's year was one worker's 864 s, a third of them its bound's) and merge puts the
two together (roster.with_bounds); serial, pool or Ray, the result is the same.

Each piece carries its points' part of the scenario (planner/base/decompose) and of the
counter requirement per interval that staffing computed, so a piece ships only its own rows;
a group that cannot be rostered (a point without staff, clashing hard rules, nothing found
in the budget) fails alone while the others keep their rosters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from planner.base.calendar import work_periods
from planner.base.decompose import point_groups, restrict_to_points
from planner.base.errors import InfeasiblePlan
from planner.base.executor import Executor, TaskStore
from planner.base.stage import Progress, run_stage
from planner.demand.forecast import forecast
from planner.rosters.replan import KeptRoster, changes_table
from planner.rosters.roster import (
    GroupResult,
    PeriodBounds,
    RosterRun,
    check_requests,
    period_bounds,
    roster_dates,
    roster_periods,
    roster_tables,
    solve_group,
    with_bounds,
)
from planner.rosters.roster import summary_payload as roster_summary
from planner.scenario.schemas import Scenario
from planner.scenario.validate import points_have_regular_advisors_in
from planner.staffing.sizing import interval_requirements

BOUND_PREFIX = "roster-bound:"  # the key of a group's bound piece: the prefix, then the group's points


@dataclass(frozen=True)
class RosterPiece:
    scenario: Scenario  # restricted to the group's points
    group: frozenset[str]
    dates: tuple[dt.date, ...]
    requirements: pd.DataFrame  # the group's rows of the interval requirement
    time_limit: float | None
    refused: str | None = None  # why the group cannot be rostered at all (no staff named)
    kept: KeptRoster | None = None  # the roster being re-planned
    bound: bool = False  # the piece of the group's bound (roster.period_bounds), not of its roster


@dataclass(frozen=True)
class RosterStage:
    """(scenario, requirement) → RosterRun; tables roster.csv, roster_by_advisor.csv, violations.csv, summary.json.

    `start`/`weeks`: the roster period (default: the horizon start and `[roster] weeks`, else to the
    horizon end: the whole horizon). The point groups are the pieces: with a pool or Ray executor they
    run in parallel, and a group that fails (clashing rules, nothing found) leaves the others theirs.
    `keep`: a published roster to re-plan from its `replan_from` date (its period wins over
    `start`/`weeks`); the tables then add changes.csv.
    """

    start: dt.date | None = None
    weeks: int | None = None
    time_limit: float | None = None
    keep: KeptRoster | None = None
    name: str = "roster"

    def _dates(self, scenario: Scenario) -> list[dt.date]:
        if self.keep is not None:
            return roster_dates(scenario, self.keep.start, self.keep.weeks)
        return roster_dates(scenario, self.start, self.weeks)

    def prepare(self, scenario: Scenario, upstream: Mapping[str, Any]) -> dict[str, RosterPiece]:
        check_requests(scenario)
        dates = tuple(self._dates(scenario))  # bad dates: the run's input error (exit 2)
        requirements: pd.DataFrame = upstream["requirements"]
        in_period = requirements[requirements["date"].dt.date.isin(set(dates))]
        # Checked on the whole scenario so that the reason names the row of points.csv.
        unstaffed = {scenario.points[p.row - 2].point_id: str(p) for p in points_have_regular_advisors_in(scenario)
                     if p.row is not None}
        pieces, bounds = {}, {}
        several = len(work_periods(len(dates), scenario.config.roster.period_weeks)) > 1
        for group in point_groups(scenario):
            refused = next((unstaffed[p] for p in sorted(group) if p in unstaffed), None)
            key = "+".join(sorted(group))
            pieces["roster:" + key] = piece = RosterPiece(
                restrict_to_points(scenario, group), frozenset(group), dates,
                in_period[in_period["point_id"].isin(group)].reset_index(drop=True), self.time_limit, refused,
                self.keep)
            if several and not refused:
                bounds[BOUND_PREFIX + key] = replace(piece, bound=True)
        # The rosters first: a pool starts them before any bound (each bound is a fraction of its roster's work).
        return {**pieces, **bounds}

    def solve(self, piece: RosterPiece, progress: Progress | None = None) -> GroupResult | PeriodBounds:
        if piece.refused:
            raise InfeasiblePlan([piece.refused])
        spans = work_periods(len(piece.dates), piece.scenario.config.roster.period_weeks)
        if piece.bound:
            return period_bounds(piece.scenario, set(piece.group), list(piece.dates), spans, piece.requirements,
                                 piece.time_limit, progress, piece.kept)
        if len(spans) > 1:  # its bound is the other piece's (merge)
            return roster_periods(piece.scenario, set(piece.group), list(piece.dates), spans, piece.requirements,
                                  piece.time_limit, progress, piece.kept)
        return solve_group(piece.scenario, set(piece.group), list(piece.dates), piece.requirements,
                           piece.time_limit, progress, piece.kept)

    def merge(self, scenario: Scenario, upstream: Mapping[str, Any], done: dict[str, GroupResult],
              failed: dict[str, str]) -> RosterRun:
        """The groups with a roster, each with its bound's piece where it has one; a group with clashing
        rules or none found is added to `failed`. A bound's piece that failed costs its group only the
        bound: 0, proven by nothing, and the gap says so (the roster stands: not a failed group)."""
        run = RosterRun(self._dates(scenario))
        bounds = {key: done.pop(key) for key in [k for k in done if k.startswith(BOUND_PREFIX)]}
        for key in [k for k in failed if k.startswith(BOUND_PREFIX)]:
            failed.pop(key)
        for key, group in done.items():
            if group.periods and group.solution.bound is None and group.solution.objective is not None \
                    and not group.solution.conflict:
                group = with_bounds(scenario, group, bounds.get(BOUND_PREFIX + key.removeprefix("roster:")))
            if group.solution.conflict:
                failed[key] = "no roster satisfies the hard rules: " + "; ".join(group.solution.conflict)
                run.refused.append(group)
            elif group.solution.objective is None:
                failed[key] = f"no roster found within the budget (solver status {group.solution.status})"
                run.refused.append(group)
            else:
                run.groups.append(group)
        return run

    def tables(self, scenario: Scenario, result: RosterRun) -> dict[str, Any]:
        summary = roster_summary(result)
        if self.keep is None:
            return {**roster_tables(scenario, result), "summary.json": summary}
        assignment = {(advisor, result.dates[d]): sid for g in result.groups
                      for (advisor, d), sid in g.solution.assignment.items()}
        changes = changes_table(scenario, self.keep, assignment)
        summary["replan"] = {"kept_roster": self.keep.file, "from": self.keep.replan_from.isoformat(),
                             "changed_advisor_days": len(changes),
                             "by_advisor": changes.groupby("advisor").size().sort_index().to_dict()}
        return {**roster_tables(scenario, result), "changes.csv": changes, "summary.json": summary}


def requirements_for(scenario: Scenario) -> pd.DataFrame:
    """The counter requirement per interval, for a roster run without the staffing stage (`planner roster`, `check`)."""
    return interval_requirements(scenario, forecast(scenario))


def make_roster(scenario: Scenario, start: dt.date | None = None, weeks: int | None = None,
                time_limit: float | None = None, progress: Progress | None = None,
                requirements: pd.DataFrame | None = None, executor: Executor | None = None,
                store: TaskStore | None = None, keep: KeptRoster | None = None) -> tuple[RosterRun, dict[str, str]]:
    """The roster stage on its own: the run and the failed groups by key with the reason."""
    upstream = {"requirements": requirements if requirements is not None else requirements_for(scenario)}
    return run_stage(RosterStage(start, weeks, time_limit, keep), scenario, upstream, executor, store, progress)
