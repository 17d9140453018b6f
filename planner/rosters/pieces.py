"""Rosters as executor tasks: one task per group of points that share advisors.

Each task gets the scenario restricted to its group (planner/decompose), so a task ships
only its own points' rows, and a group that cannot be rostered (a point without staff, no
roster within the time limit) fails alone while the others are kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.base.errors import InfeasiblePlan
from planner.rosters.roster import GroupResult, RosterRun, make_roster, roster_dates
from planner.run.decompose import point_groups, restrict_to_points
from planner.run.executor import Executor, TaskStore, run_pieces
from planner.scenario.schemas import Scenario
from planner.scenario.validate import points_have_regular_advisors_in


@dataclass(frozen=True)
class RosterPiece:
    scenario: Scenario  # restricted to the group's points
    start: dt.date | None
    weeks: int
    time_limit: float | None


def roster_piece(piece: RosterPiece) -> GroupResult:
    run = make_roster(piece.scenario, piece.start, piece.weeks, piece.time_limit)
    group = run.groups[0]
    if group.solution.conflict:
        raise InfeasiblePlan(["no roster satisfies the hard rules: " + "; ".join(group.solution.conflict)])
    if group.solution.objective is None:
        raise InfeasiblePlan([f"no roster found within the time limit (solver status {group.solution.status})"])
    return group


def roster_in_pieces(scenario: Scenario, executor: Executor, store: TaskStore | None = None,
                     start: dt.date | None = None, weeks: int = 4, time_limit: float | None = None
                     ) -> tuple[RosterRun, dict[str, str]]:
    """Roster each point group as its own task; the failed groups are returned by name with the reason.

    With a `store`, a group already rostered for the same inputs is read back (`--resume`).
    """
    dates = roster_dates(scenario, start, weeks)  # bad dates are the whole run's input error (exit 2)
    groups = {"roster:" + "+".join(sorted(group)): group for group in point_groups(scenario)}
    # Checked on the whole scenario so that the reason names the row of points.csv; a group
    # with a point nobody can staff is not sent at all.
    unstaffed = {scenario.points[p.row - 2].point_id: str(p) for p in points_have_regular_advisors_in(scenario)
                 if p.row is not None}
    failed = {key: next(unstaffed[point] for point in sorted(group) if point in unstaffed)
              for key, group in groups.items() if group & unstaffed.keys()}
    pieces = {key: RosterPiece(restrict_to_points(scenario, group), start, weeks, time_limit)
              for key, group in groups.items() if key not in failed}
    done, failures = run_pieces(executor, roster_piece, pieces, store)
    failed.update(failures)
    return RosterRun(dates, list(done.values())), failed
