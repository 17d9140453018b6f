"""Outreach as executor tasks: one task per provider and area.

An area of a provider is one home office of its officials and the points nearer (by road
minutes) to that office than to any other home office of the provider's officials: the
officials there plan the visits to those points, and nobody else does. In the national
scenario that is one task per provider and region. This is a restriction of the whole
model (a point near a border cannot be visited from the next area), taken because the
whole model of a provider is one connected piece in CP-SAT (every official can reach
most of the region's neighbours) and does not fit the time or memory of one machine.

The customers of providers without officials have no one to visit them: one more task
sends them all to the office, so access.csv lists every stream as the in-process plan does.
The report's status quo (pilots only) is not scored when outreach runs in areas.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from models import outreach as model
from planner.base.decompose import restrict_to_points
from planner.base.errors import Problem, ScenarioError
from planner.base.geo import Geography
from planner.outreach.plan import horizon, outreach_problems, overnight_summary, prepare, run
from planner.scenario.schemas import Scenario, VideoHoursRow

NO_OFFICIALS = "outreach:providers-without-officials"


@dataclass(frozen=True)
class Area:
    scenario: Scenario  # restricted to the area's points and officials
    providers: frozenset[str]
    months: int
    time_limit_s: float | None
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # file → the whole scenario's row of each restricted row
    daily: pd.DataFrame | None = None  # the demand stage's arrivals per day of the area's points


@dataclass(frozen=True)
class AreaPlan:
    solution: model.Solution
    visits: pd.DataFrame
    access: pd.DataFrame
    warnings: tuple[str, ...]
    slots: dict[tuple[str, str], float]
    officials: int
    days: int
    status_quo: model.Solution | None = None  # today's way of working scored by the same model (whole plans)
    status_quo_note: str = ""  # why the status quo was not scored
    estimated: tuple[str, ...] = ()  # legs whose distance was estimated from coordinates
    # The status quo's official cost by provider, € (its trips costed as visits.csv costs the plan's: plan.cost_by_provider)
    status_quo_by_provider: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class MergedPlan:
    """What the report reads of a plan (visits with their minutes, access)."""

    visits: pd.DataFrame
    access: pd.DataFrame


def _restrict(scenario: Scenario, points: set[str], official_ids: set[str], providers: frozenset[str],
              months: int, time_limit_s: float | None) -> Area:
    piece = restrict_to_points(scenario, points)

    def kept(rows: tuple, keep) -> tuple[tuple, tuple[int, ...]]:
        chosen = [(n, r) for n, r in enumerate(rows, start=2) if keep(r)]
        return tuple(r for _, r in chosen), tuple(n for n, _ in chosen)

    officials, official_rows = kept(scenario.officials, lambda o: o.official_id in official_ids)
    patterns, pattern_rows = kept(scenario.visit_patterns, lambda v: v.point_id in points and v.provider_id in providers)
    point_rows = tuple(n for n, p in enumerate(scenario.points, start=2) if p.point_id in points)
    piece = piece.model_copy(update={
        "officials": officials, "visit_patterns": patterns,
        "official_absences": tuple(a for a in scenario.official_absences if a.official_id in official_ids),
        "video_hours": area_video_hours(scenario, official_ids, providers)})
    rows = (("points.csv", point_rows), ("officials.csv", official_rows), ("visit_patterns.csv", pattern_rows))
    return Area(piece, providers, months, time_limit_s, rows)


def area_video_hours(scenario: Scenario, official_ids: set[str], providers: frozenset[str]) -> tuple:
    """video_hours.csv of one area: its officials' own rows, and of each provider's pooled hours the area's share of
    the provider's officials (all of it where the provider has none), so that the areas together keep the limit.

    The areas are planned apart, so an official's own hours serve their area only: an area of a provider whose
    video officials are all elsewhere gets no video hours (a 0-hour pooled row), never more than the file gives.
    """
    rows = []
    own = {r.provider_id for r in scenario.video_hours if r.official_id}
    mine = {r.provider_id for r in scenario.video_hours if r.official_id in official_ids}
    for provider in sorted((own - mine) & providers):
        rows.append(VideoHoursRow(provider_id=provider, hours=0, per="week",
                                  comment="video officials of the provider are in other areas"))
    for row in scenario.video_hours:
        if row.provider_id not in providers:
            continue
        if row.official_id:
            if row.official_id in official_ids:
                rows.append(row)
            continue
        staff = [o.official_id for o in scenario.officials if o.provider_id == row.provider_id]
        share = sum(o in official_ids for o in staff) / len(staff) if staff else 1.0
        rows.append(row.model_copy(update={"hours": row.hours * share}))
    return tuple(rows)


def areas(scenario: Scenario, months: int, time_limit_s: float | None = None) -> dict[str, Area]:
    """Task key → area: each provider's home offices with the points nearest to them."""
    geo = Geography(scenario)
    points = [p.point_id for p in scenario.points]
    out: dict[str, Area] = {}
    with_officials = sorted({o.provider_id for o in scenario.officials})
    for provider in with_officials:
        homes = sorted({o.home_office_id for o in scenario.officials if o.provider_id == provider})
        nearest = {p: min(homes, key=lambda h, p=p: (geo.leg(h, p).minutes, h)) for p in points}
        for home in homes:
            mine = {p for p in points if nearest[p] == home}
            if not mine:
                continue
            staff = {o.official_id for o in scenario.officials if o.provider_id == provider and o.home_office_id == home}
            out[f"outreach:{provider}:{home}"] = _restrict(scenario, mine, staff, frozenset({provider}), months,
                                                           time_limit_s)
    others = frozenset(p.provider_id for p in scenario.providers
                       if p.face_to_face_share > 0 and p.provider_id not in with_officials)
    if others:
        out[NO_OFFICIALS] = _restrict(scenario, set(points), set(), others, months, time_limit_s)
    return out


def plan_area(area: Area) -> AreaPlan:
    """Prepare and plan one area; an input error names the row of the whole scenario's file.

    A point that no official of the area can reach is not an error here (its customers go
    to the office, and access.csv says why), as it is not in the whole model while another
    provider's official reaches it.
    """
    prepared = prepare(area.scenario, area.months, check=False, providers=area.providers, daily=area.daily)
    problems = outreach_problems(prepared) if area.scenario.officials else []
    unreachable = [p for p in problems if p.file == "points.csv"]
    errors = [p for p in problems if p.severity == "error" and p.file != "points.csv"]
    if errors:
        rows = dict(area.rows)

        def whole(problem: Problem) -> Problem:
            if problem.row is None or problem.file not in rows or problem.row - 2 >= len(rows[problem.file]):
                return problem
            return replace(problem, row=rows[problem.file][problem.row - 2])

        raise ScenarioError([whole(p) for p in errors])
    plan = run(prepared, time_limit_s=area.time_limit_s)
    slots = {(s.provider, s.appointment_type): s.slot_minutes for s in prepared.problem.streams}
    warnings = plan.warnings + tuple(p.message.split(" but ")[0] + " but no official of this area can reach it"
                                     for p in unreachable)
    return AreaPlan(plan.solution, plan.visits, plan.access, warnings, slots, len(prepared.problem.officials),
                    len(prepared.problem.days), estimated=prepared.estimated)


def _status(plans: list[AreaPlan]) -> str:
    statuses = {p.solution.status.split(" ")[0] for p in plans}  # "FEASIBLE (time limit)" is FEASIBLE
    if not plans:
        return "no area planned"
    return "OPTIMAL" if statuses == {"OPTIMAL"} else "FEASIBLE" if statuses <= {"OPTIMAL", "FEASIBLE"} else \
        ", ".join(sorted(statuses))


def summary(scenario: Scenario, plans: dict[str, AreaPlan], months: int, seconds: float,
            failed: dict[str, str], visits_joined: pd.DataFrame) -> dict:
    """summary.json of the areas together: the totals, and each area's status, objective and bound.

    `visits_joined`: the areas' visits as one table with the overnight columns (the stage's merge joins them).
    """
    start, end = horizon(scenario, months)
    solutions = [p.solution for p in plans.values()]
    objective = sum(s.objective or 0.0 for s in solutions)
    bound = sum(s.best_bound or 0.0 for s in solutions)
    visits = sum(len(p.visits) for p in plans.values())
    return {
        "scenario": scenario.config.name,
        "horizon": {"start": start.isoformat(), "end": end.isoformat()},
        "status": _status(list(plans.values())),
        "objective": round(objective, 2), "best_bound": round(bound, 2),
        "bound_kind": "day-choice model per area, tours costed in their cheapest order: larger of CP-SAT's bound "
                      "and the LP relaxation (an area planned in horizon blocks: the sum of the blocks' relaxations' "
                      "LP bounds, valid for its whole horizon), summed over areas (a bound of the plan in areas, not "
                      "of the whole model)",
        "gap": round(max(0.0, objective - bound) / max(1.0, abs(objective)), 4),
        "seconds": round(seconds, 3),
        "access_weight": scenario.config.costs.access_weight,
        "official_cost_eur": round(sum(s.official_eur for s in solutions), 2),
        "access_cost_eur": round(sum(s.access_eur for s in solutions), 2),
        "pool_cars": scenario.config.costs.pool_cars,
        "pool_saving_eur": round(sum(s.pool_saving_eur for s in solutions), 2),
        "trips": sum(len(s.trips) for s in solutions), "visits": visits,
        **overnight_summary(visits_joined),
        "appointments": int(sum(p.visits["appointments"].sum() for p in plans.values())),
        "solver": scenario.config.solver.model_dump(),
        "warnings": [w for p in plans.values() for w in p.warnings],
        # The status quo is an object or null (inputs/README.md); why it is missing is said beside it.
        "status_quo": None,
        "status_quo_note": ("not computed: outreach was planned in areas (one task per provider and home office)"
                            if scenario.status_quo_visits else None),
        "areas": {key: {"status": p.solution.status, "objective": p.solution.objective,
                        "best_bound": p.solution.best_bound, "officials": p.officials, "visits": len(p.visits)}
                  for key, p in plans.items()},
        "failed_areas": {key: reason.splitlines()[0] for key, reason in failed.items()},
    }
