"""Split a scenario into independent pieces (a point, or the points one advisor group shares)."""

from __future__ import annotations

from models.components import components
from planner.scenario.schemas import Scenario


def restrict_to_points(scenario: Scenario, point_ids: set[str]) -> Scenario:
    """The scenario as seen by some points alone: their rows, their advisors, every office."""
    advisors = tuple(a for a in scenario.advisors if {a.point_id, *a.other_points} & point_ids)
    names = {a.advisor_id for a in advisors}

    def mine(rows: tuple) -> tuple:
        return tuple(r for r in rows if r.point_id in point_ids)

    return scenario.model_copy(update={
        "points": mine(scenario.points), "opening_hours": mine(scenario.opening_hours),
        "baseline_demand": mine(scenario.baseline_demand), "closures": mine(scenario.closures),
        "overflow_events": mine(scenario.overflow_events), "municipal_work": mine(scenario.municipal_work),
        "advisors": advisors, "absences": tuple(a for a in scenario.absences if a.advisor_id in names),
        "roster_requests": tuple(r for r in scenario.roster_requests if r.advisor_id in names),
    })


def point_groups(scenario: Scenario) -> list[set[str]]:
    """Points that must be planned together because advisors work at more than one of them."""
    links = [(advisor.point_id, other) for advisor in scenario.advisors for other in advisor.other_points]
    groups = [set(g) for g in components((p.point_id for p in scenario.points), links)]
    return sorted(groups, key=lambda g: sorted(g)[0])
