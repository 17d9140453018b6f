"""The pipeline: scenario → demand → staffing → rosters → outreach → outputs, one folder per run.

Every stage has the same shape (planner/base/stage.py) and gets what the stages before it
computed; the executor runs every stage's pieces (serial by default). Nothing is written
until everything is computed: then the one writer (planner/outputs/writer.py) writes the
whole folder and swaps it into place. A stage that cannot run for this scenario (no
officials, no staff named, a roster period past the horizon) is recorded in the manifest
with its reason; a piece that fails is listed in `failed_tasks` while the rest complete.
Each command of the CLI is one function here.
"""

from __future__ import annotations

import datetime as dt
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from planner.base import io
from planner.base.errors import InfeasiblePlan, Problem, ScenarioError
from planner.base.executor import Executor, TaskStore
from planner.base.stage import Stage, run_stage
from planner.checks import roster as checker
from planner.checks.plan import plan_checks
from planner.demand.forecast import DemandForecast
from planner.demand.stage import DemandStage
from planner.outputs.report import (
    Report,
    add_outreach_sections,
    add_pareto_section,
    add_roster_section,
    add_violations_section,
    build_report,
)
from planner.outputs.workbook import as_dates, as_times
from planner.outputs.writer import OutputFolder
from planner.outreach.plan import cost_tables, outreach_problems, prepare
from planner.outreach.stage import WHOLE_MODEL_MAX_POINTS, OutreachResult, OutreachStage, outreach_months
from planner.rosters.roster import RosterRun
from planner.rosters.stage import RosterStage, requirements_for
from planner.run.progress import ProgressReporter
from planner.scenario.fingerprint import scenario_hash
from planner.scenario.schemas import Scenario
from planner.staffing.sizing import SizingResult
from planner.staffing.stage import StaffingStage

Progress = Callable[[str], None]
STEPS = ("demand", "staffing", "roster", "outreach", "report")
# A roster sheet per point is what a supervisor opens; past this many points, one sheet.
MAX_ROSTER_SHEETS = 20


@dataclass
class PlanRun:
    """What `planner plan` computed and wrote; `manifest` is manifest.json's content."""

    demand: DemandForecast
    sizing: SizingResult
    manifest: dict
    written: list[Path] = field(default_factory=list)
    roster: RosterRun | None = None
    outreach: OutreachResult | None = None


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("aspa-planner", "ortools", "pandas", "numpy", "pydantic", "holidays", "matplotlib"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def full_report(scenario: Scenario, demand: DemandForecast, sizing: SizingResult, roster: dict | None,
                outreach: OutreachResult | None) -> Report:
    """The staffing report plus the roster and outreach sections for the stages that ran."""
    report = build_report(scenario, demand, sizing)
    if roster:
        add_roster_section(report, scenario, roster["roster.csv"], roster["roster_by_advisor.csv"])
    if outreach is not None:
        visits = outreach.visits.drop(columns=["start_minute", "end_minute"]) if len(outreach.visits) else outreach.visits
        add_outreach_sections(report, scenario, visits, outreach.access, outreach.payload)
        if outreach.pareto is not None:
            add_pareto_section(report, outreach.pareto, outreach.payload)
    add_violations_section(report, roster["violations.csv"] if roster else None,
                           outreach.access if outreach is not None else None)
    return report


def plan_sheets(scenario: Scenario, demand: DemandForecast, sizing: SizingResult, tables: dict,
                roster: dict | None, outreach: OutreachResult | None) -> dict[str, pd.DataFrame]:
    """plan.xlsx: the staffing tables, a roster sheet per point, visits, access and costs when they ran."""
    sheets = {
        "staffing summary": sizing.summary,
        "shifts": tables["shifts.csv"].assign(date=sizing.shifts["date"].dt.date),
        "demand by month": demand.monthly,
    }
    if roster:
        rows = as_times(as_dates(roster["roster.csv"], ["date"]), ["start", "end", "break_start"])
        if len(scenario.points) <= MAX_ROSTER_SHEETS:
            for point in scenario.points:
                mine = rows[rows["point"] == point.point_id]
                if len(mine):
                    sheets[f"roster {point.point_id}"] = mine
        else:
            sheets["rosters"] = rows
        sheets["roster by advisor"] = roster["roster_by_advisor.csv"]
        sheets["roster violations"] = as_dates(roster["violations.csv"], ["date"])
    if outreach is not None:
        visits = outreach.visits.drop(columns=["start_minute", "end_minute"]) if len(outreach.visits) else outreach.visits
        sheets["visits"] = as_times(as_dates(visits, ["date"]), ["depart", "arrive", "start", "leave", "return"])
        sheets["access"] = outreach.access
        plans, per_official = cost_tables(visits, outreach.payload)
        sheets["costs"] = plans
        sheets["costs by official"] = per_official
        if outreach.pareto is not None:
            sheets["pareto"] = outreach.pareto
    return sheets


class _Steps:
    """Times each step and moves the progress bar; collects the failed and reused pieces."""

    def __init__(self, progress: Progress | None, folder: OutputFolder, executor: Executor | None, resume: bool):
        self.say = progress
        self.folder, self.executor, self.resume = folder, executor, resume
        self.timings: dict[str, float] = {}
        self.failed: dict[str, str] = {}
        self.reused: list[str] = []

    def step(self, name: str) -> None:
        if isinstance(self.say, ProgressReporter):
            self.say.step(name)
        elif self.say:
            self.say(f"{name} …")

    def run(self, name: str, stage: Stage, scenario: Scenario, upstream: dict) -> Any:
        self.step(name)
        started = time.perf_counter()
        store = TaskStore(self.folder.tasks / stage.name, self.resume)
        try:
            result, failed = run_stage(stage, scenario, upstream, self.executor, store, self.say)
        finally:
            self.timings[name] = round(time.perf_counter() - started, 3)
        self.failed.update(failed)
        self.reused += store.reused
        return result


def validate_outreach(scenario: Scenario) -> list[Problem]:
    """What `planner validate` adds for outreach: the checks `planner outreach` and `planner plan` make before
    solving (unreachable points, visit patterns no plan can meet, windows shorter than a slot), over the
    horizon outreach plans. A scenario planned in areas gets the same checks per area when it runs."""
    if not scenario.officials or len(scenario.points) > WHOLE_MODEL_MAX_POINTS:
        return []
    months = outreach_months(scenario, None)
    prepared = prepare(scenario, months, check=False)
    return outreach_problems(prepared)


def _skipped(exc: Exception) -> dict:
    return {"status": "skipped", "reason": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}


def run_plan(scenario: Scenario, output: Path, progress: Progress | None = None,
             executor: Executor | None = None, resume: bool = False, roster_time_limit: float | None = None,
             outreach_time_limit: float | None = None, pareto_k: int | None = None) -> PlanRun:
    """Every stage, then every file at once into `output` (see the module docstring).

    Raises ScenarioError for bad input and for an output folder it may not write (exit 2).
    """
    found = validate_outreach(scenario)  # what `planner validate` refuses stops the run before anything is solved
    if any(p.severity == "error" for p in found):
        raise ScenarioError(found)
    with OutputFolder(output) as folder:
        steps = _Steps(progress, folder, executor, resume)
        demand = steps.run("demand", DemandStage(), scenario, {})
        sizing = steps.run("staffing", StaffingStage(), scenario, {"demand": demand})
        files: dict[str, Any] = {**DemandStage().tables(scenario, demand), **StaffingStage().tables(scenario, sizing)}

        checked: dict = {}  # what plan_checks scores: the roster and the visit plan as written
        roster_status: dict = {}
        run = roster = None
        try:
            stage = RosterStage(time_limit=roster_time_limit)
            run = steps.run("roster", stage, scenario, {"requirements": sizing.intervals})
            if not run.groups:
                raise InfeasiblePlan(["no point group could be rostered; see failed_tasks"])
            roster = stage.tables(scenario, run)
            files.update({f"roster/{name}": table for name, table in roster.items()})
            roster_status = {k: roster["summary.json"][k] for k in ("status", "objective", "best_bound", "gap",
                                                                    "violations")}
            checked.update(requirements=sizing.intervals, roster_rows=roster["roster.csv"], roster_dates=run.dates,
                           roster_objective=roster_status["objective"])
        except (ScenarioError, InfeasiblePlan) as exc:
            # A scenario that sizes but cannot be rostered (a new point without staff) keeps its staffing plan.
            roster_status, run = _skipped(exc), None

        outreach_status: dict = {}
        outreach = None
        if not scenario.officials:
            steps.step("outreach")
            outreach_status = {"status": "skipped", "reason": "no officials in officials.csv"}
        else:
            try:
                stage = OutreachStage(pareto_k=pareto_k, time_limit=outreach_time_limit)
                outreach = steps.run("outreach", stage, scenario, {"demand": demand})
                if not outreach.parts:
                    first = next(iter(steps.failed.values()), "no area could be planned").splitlines()[0]
                    raise InfeasiblePlan([first])
                files.update({f"outreach/{name}": content for name, content in stage.tables(scenario, outreach).items()})
                outreach_status = {k: outreach.payload.get(k) for k in ("status", "objective", "best_bound", "gap")}
                outreach_status["warnings"] = outreach.warnings
                slots = {key: minutes for part in outreach.parts.values() for key, minutes in part.slots.items()}
                checked.update(visit_rows=files["outreach/visits.csv"], slot_minutes=slots)
            except InfeasiblePlan as exc:
                # Not skipped in silence: the run stops (exit 3) as `planner outreach` does, naming why. Bad input
                # (ScenarioError) is the whole run's input error (exit 2), which `planner validate` reports too.
                raise InfeasiblePlan([f"outreach: {line}" for line in exc.reasons]) from exc

        steps.step("report")
        started = time.perf_counter()
        report = full_report(scenario, demand, sizing, roster, outreach)
        sheets = plan_sheets(scenario, demand, sizing, files, roster, outreach)
        steps.timings["report"] = round(time.perf_counter() - started, 3)
        manifest = {
            "scenario": scenario.config.name,
            "input_hash": scenario_hash(scenario),
            "versions": versions(),
            "steps": {"staffing": {k: files["summary.json"][k] for k in ("status", "objective", "best_bound", "gap")},
                      "roster": roster_status, "outreach": outreach_status},
            "checks": plan_checks(scenario, **checked),
            "timings_seconds": steps.timings,
            "executor": type(executor).__name__ if executor else "SerialExecutor",
            "failed_tasks": {key: reason.splitlines()[0] for key, reason in steps.failed.items()},
            "reused_tasks": steps.reused,
            "files": sorted([*files, "manifest.json", "report.html", "plan.xlsx",
                             *(f"charts/{chart.name}.png" for chart in report.charts)]),
        }
        files["manifest.json"] = manifest
        written = folder.commit(files, report=report, workbook=sheets)
    return PlanRun(demand, sizing, manifest, written, run, outreach)


# ------------------------------------------------------------------ single stages, one command each


@dataclass
class StageRun:
    """A command that runs some stages: their results and the files written."""

    results: dict[str, Any]
    failed: dict[str, str]
    written: list[Path]


def run_demand(scenario: Scenario, output: Path) -> StageRun:
    """`planner demand`: demand_monthly.csv, demand_daily.csv, demand_intervals.csv."""
    with OutputFolder(output) as folder:
        demand, failed = run_stage(DemandStage(), scenario, {})
        written = folder.commit(DemandStage().tables(scenario, demand))
    return StageRun({"demand": demand}, failed, written)


def run_staffing(scenario: Scenario, output: Path, progress: Progress | None = None,
                 executor: Executor | None = None) -> StageRun:
    """`planner staff`: the demand tables and the staffing tables with summary.json."""
    with OutputFolder(output) as folder:
        demand, _ = run_stage(DemandStage(), scenario, {})
        sizing, failed = run_stage(StaffingStage(), scenario, {"demand": demand}, executor, None, progress)
        files = {**DemandStage().tables(scenario, demand), **StaffingStage().tables(scenario, sizing)}
        written = folder.commit(files)
    return StageRun({"demand": demand, "staffing": sizing}, failed, written)


def run_roster(scenario: Scenario, output: Path, start: Any = None, weeks: int | None = None,
               time_limit: float | None = None, progress: Progress | None = None) -> StageRun:
    """`planner roster`: roster.csv, roster_by_advisor.csv, violations.csv, summary.json.

    Raises InfeasiblePlan (exit 3, nothing written) when a group's hard rules clash or no
    roster was found for it, naming the rules.
    """
    with OutputFolder(output) as folder:
        stage = RosterStage(start, weeks, time_limit)
        run, failed = run_stage(stage, scenario, {"requirements": requirements_for(scenario)}, None, None, progress)
        if run.conflicts:
            raise InfeasiblePlan(["no roster satisfies the hard rules; these cannot all hold together with the shift "
                                  "lengths and breaks of scenario.toml [workforce] and the 11 h / 35 h rest rules:",
                                  *run.conflicts,
                                  "set [roster] on_duty_hard = false to get the best roster with the gaps listed "
                                  "instead"])
        if failed:
            raise InfeasiblePlan([f"{key.removeprefix('roster:')}: {reason.splitlines()[0]}"
                                  for key, reason in failed.items()])
        written = folder.commit(stage.tables(scenario, run))
    return StageRun({"roster": run}, failed, written)


def run_outreach(scenario: Scenario, output: Path, months: int | None = None, pareto_k: int | None = None,
                 progress: Progress | None = None, time_limit: float | None = None) -> StageRun:
    """`planner outreach`: visits.csv, visits.ics, access.csv, summary.json (and pareto.csv)."""
    with OutputFolder(output) as folder:
        demand, _ = run_stage(DemandStage(), scenario, {})
        stage = OutreachStage(months, pareto_k, time_limit)
        result, failed = run_stage(stage, scenario, {"demand": demand}, None, None, progress)
        if not result.parts:
            reasons = [reason.splitlines()[0] for reason in failed.values()] or ["no plan"]
            raise InfeasiblePlan(reasons)
        written = folder.commit(stage.tables(scenario, result))
    return StageRun({"outreach": result}, failed, written)


# ------------------------------------------------------------------ `planner check`


def roster_period(scenario: Scenario, roster_csv: Path, start: dt.date | None, weeks: int | None
                  ) -> tuple[dt.date, int]:
    """The period to check: the options, else the summary.json written next to the roster, else the defaults."""
    written = io.read_json(roster_csv.parent / "summary.json") or {}
    first = start or dt.date.fromisoformat(written.get("from", scenario.config.horizon.start.isoformat()))
    return first, weeks or written.get("weeks") or scenario.config.roster.weeks


def run_check(scenario: Scenario, roster_csv: Path, start: dt.date | None = None, weeks: int | None = None,
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
