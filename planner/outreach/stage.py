"""Outreach as a pipeline stage: one whole model for a regional scenario, areas for a national one.

Up to WHOLE_MODEL_MAX_POINTS points, one piece plans every provider's officials together
(the exact day-choice model, scored against the status quo by the same model). Beyond
that, a piece per provider and home office (planner/outreach/areas), so a national year
fits the machine. The split depends on the scenario alone, never on the executor, so a
serial run and a pool give the same plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import pandas as pd

from planner.base.errors import InfeasiblePlan
from planner.base.stage import Progress
from planner.base.tables import concat_rows
from planner.base.text import quantity
from planner.checks.visits import check_lines, check_video, check_visits
from planner.outreach.areas import AreaPlan, areas, plan_area, summary
from planner.outreach.plan import (
    calendar_text,
    cost_by_provider,
    horizon,
    outreach_problems,
    pareto,
    prepare,
    run,
    status_quo,
    summary_payload,
    video_summary,
    visit_table,
    with_overnight_columns,
    with_span_columns,
)
from planner.scenario.schemas import Scenario

# A regional scenario (the pilots: 5 points, 7 officials) is one exact model; a national one
# (300 points) would not fit one CP-SAT model in minutes, so it is planned in areas.
WHOLE_MODEL_MAX_POINTS = 30
WHOLE = "outreach:all"


@dataclass(frozen=True)
class WholePiece:
    scenario: Scenario
    months: int
    time_limit_s: float | None
    daily: pd.DataFrame  # arrivals per point, provider and day (the demand stage's)


@dataclass
class OutreachResult:
    """The merged plan: visits (with start/end minutes), access, summary.json payload, parts by piece."""

    visits: pd.DataFrame
    access: pd.DataFrame
    payload: dict
    warnings: list[str]
    parts: dict[str, AreaPlan] = field(default_factory=dict)
    pareto: pd.DataFrame | None = None


def outreach_months(scenario: Scenario, months: int | None) -> int:
    """The months planned: `months` (--months), else `[outreach] months` (at most the horizon), else the whole horizon."""
    whole = scenario.config.horizon.months
    return months or min(scenario.config.outreach.months or whole, whole)


def horizon_note(scenario: Scenario, months: int | None) -> str:
    """Which months outreach plans and why, in words (summary.json `horizon.why`)."""
    planned, whole = outreach_months(scenario, months), scenario.config.horizon.months
    if months:
        return f"{planned} of the horizon's {quantity(whole, 'month')}: --months {months}"
    if scenario.config.outreach.months and planned < whole:
        return (f"{planned} of the horizon's {quantity(whole, 'month')}: [outreach] months = {scenario.config.outreach.months} "
                "in scenario.toml")
    longer = scenario.config.outreach.months and scenario.config.outreach.months > whole
    return f"the whole horizon, {quantity(whole, 'month')}" + (
        f" ([outreach] months = {scenario.config.outreach.months} in scenario.toml is longer than the horizon)"
        if longer else "")


def plan_whole(piece: WholePiece, progress: Progress | None = None) -> AreaPlan:
    """The whole scenario in one model, warm-started from the status quo, which is scored too."""
    prepared = prepare(piece.scenario, piece.months, daily=piece.daily)
    quo = hint = None
    note = ""
    try:
        scored = status_quo(prepared, piece.time_limit_s)
        if scored is not None:
            quo, hint = scored
    except InfeasiblePlan as exc:
        note = f"not computed: today's visits (status_quo_visits.csv): {exc}"
    if progress:
        progress(f"outreach: {len(prepared.problem.officials)} officials over {len(prepared.problem.days)} days "
                 "on which a point is open")
    plan = run(prepared, time_limit_s=piece.time_limit_s, hint=hint, progress=progress)
    notes = tuple(p.message for p in outreach_problems(prepared) if p.severity == "warning")
    plan = replace(plan, warnings=plan.warnings + notes)
    slots = {(s.provider, s.appointment_type): s.slot_minutes for s in prepared.problem.streams}
    # today's trips costed stop by stop as the plan's are, so the provider screen sets them side by side
    quo_by_provider = cost_by_provider(piece.scenario, visit_table(prepared, quo)[0]) if quo is not None else {}
    return AreaPlan(plan.solution, plan.visits, plan.access, plan.warnings, slots, len(prepared.problem.officials),
                    len(prepared.problem.days), quo, note, prepared.estimated, quo_by_provider)


@dataclass(frozen=True)
class OutreachStage:
    """(scenario, demand) → OutreachResult; tables visits.csv, visits.ics, access.csv, summary.json, pareto.csv."""

    months: int | None = None
    pareto_k: int | None = None
    time_limit: float | None = None
    name: str = "outreach"
    whole_max_points: int = WHOLE_MODEL_MAX_POINTS  # larger scenarios are planned in areas
    # Each area in a new pool worker (planner/base/executor): a worker that ran a year's area keeps its heap
    # (1.1–1.5 GB after a few areas, issue #15); a new one starts at the interpreter's ~150 MB.
    one_task_per_worker: ClassVar[bool] = True

    def prepare(self, scenario: Scenario, upstream: Mapping[str, Any]) -> dict[str, Any]:
        months = outreach_months(scenario, self.months)
        horizon(scenario, months)  # longer than the horizon: the whole run's input error (exit 2)
        daily = upstream["demand"].daily
        if len(scenario.points) <= self.whole_max_points:
            return {WHOLE: WholePiece(scenario, months, self.time_limit, daily)}
        return {key: replace(area, daily=daily[daily["point_id"].isin({p.point_id for p in area.scenario.points})])
                for key, area in areas(scenario, months, self.time_limit).items()}

    def solve(self, piece: Any, progress: Progress | None = None) -> AreaPlan:
        return plan_whole(piece, progress) if isinstance(piece, WholePiece) else plan_area(piece)

    def merge(self, scenario: Scenario, upstream: Mapping[str, Any], done: dict[str, AreaPlan],
              failed: dict[str, str]) -> OutreachResult:
        months = outreach_months(scenario, self.months)
        frames = [p.visits for p in done.values()]
        visits = with_overnight_columns(concat_rows(frames)) if frames else pd.DataFrame()
        if len(visits) and len(done) > 1:
            visits = visits.sort_values(["date", "official_id", "stop_order"], kind="stable").reset_index(drop=True)
        access = pd.concat([p.access for p in done.values()], ignore_index=True) if done else pd.DataFrame()
        if len(access) and len(done) > 1:
            access = with_span_columns(access, *horizon(scenario, months))
            access = access.sort_values(["point_id", "provider_id", "appointment_type"], kind="stable"
                                        ).reset_index(drop=True)
        seconds = sum(p.solution.seconds for p in done.values()) if done else 0.0
        whole = done.get(WHOLE)
        if whole is not None:
            start, end = horizon(scenario, months)
            payload = summary_payload(scenario, start, end, whole.solution, whole.visits, whole.warnings, seconds,
                                      whole.status_quo, whole.status_quo_note, whole.status_quo_by_provider)
        else:
            payload = summary(scenario, done, months, seconds, failed, visits)
        payload["distances_estimated"] = sorted({leg for p in done.values() for leg in p.estimated})
        payload["horizon"]["months"] = months
        payload["horizon"]["why"] = horizon_note(scenario, self.months)
        shown = visits.drop(columns=["start_minute", "end_minute"], errors="ignore")  # no visit: none either
        slots = {key: minutes for p in done.values() for key, minutes in p.slots.items()}
        payload["check"] = check_lines(check_visits(scenario, shown, slots)) if len(shown) else []
        start, end = horizon(scenario, months)
        payload["check"] += check_lines(check_video(scenario, access, slots, start, end))
        payload.update(video_summary(scenario, access, slots, [p.solution for p in done.values()]))
        warnings = [w for p in done.values() for w in p.warnings] + [f"plan check: {line}" for line in payload["check"]]
        curve = None
        if self.pareto_k:  # λ couples every area: swept here on the whole scenario, in this process
            curve = pareto(prepare(scenario, months, daily=upstream["demand"].daily), self.pareto_k, self.time_limit)
        return OutreachResult(visits, access, payload, warnings, dict(done), curve)

    def tables(self, scenario: Scenario, result: OutreachResult) -> dict[str, Any]:
        shown = result.visits.drop(columns=["start_minute", "end_minute"], errors="ignore")  # no visit: the header alone
        # The calendar's DTSTAMP comes from the input (the horizon start), not the clock: same input, same bytes.
        stamp = dt.datetime.combine(scenario.config.horizon.start, dt.time(), dt.UTC)
        files: dict[str, Any] = {"visits.csv": shown, "visits.ics": calendar_text(scenario, result.visits, stamp),
                                 "access.csv": result.access, "summary.json": result.payload}
        if result.pareto is not None:
            files["pareto.csv"] = result.pareto
        return files
