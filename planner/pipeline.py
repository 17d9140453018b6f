"""`planner plan`: validation → demand → staffing → report, into one folder with a manifest."""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

from planner import io, outreach, rostering
from planner.demand import DemandForecast, forecast
from planner.errors import InfeasiblePlan, ScenarioError
from planner.executor import Executor, TaskStore
from planner.fingerprint import scenario_hash
from planner.outputs import demand_tables, staffing_summary_json, staffing_tables, write_tables
from planner.outreach import cost_tables
from planner.progress import ProgressReporter
from planner.report import (
    Report,
    add_outreach_sections,
    add_pareto_section,
    add_roster_section,
    add_violations_section,
    build_report,
    write_report,
)
from planner.schemas import Scenario
from planner.sizing import SizingResult, size, size_in_pieces
from planner.spreadsheet import as_dates, as_times, write_workbook

Progress = Callable[[str], None]
STEPS = ("demand", "staffing", "roster", "outreach", "report")
# A roster sheet per point is what a supervisor opens; past this many points, one sheet.
MAX_ROSTER_SHEETS = 20


@dataclass
class PlanRun:
    demand: DemandForecast
    sizing: SizingResult
    manifest: dict
    written: list[Path] = field(default_factory=list)
    outreach_text: str = ""


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("aspa-planner", "ortools", "pandas", "numpy", "pydantic", "holidays", "matplotlib"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def full_report(scenario: Scenario, demand: DemandForecast, sizing: SizingResult, extras: dict) -> Report:
    """The staffing report plus the roster and outreach sections for the steps that ran."""
    report = build_report(scenario, demand, sizing)
    roster_tables = extras.get("roster")
    if roster_tables:
        add_roster_section(report, scenario, roster_tables["roster.csv"], roster_tables["roster_by_advisor.csv"])
    result = extras.get("outreach")
    if result is not None:
        visits = result.plan.visits.drop(columns=["start_minute", "end_minute"])
        add_outreach_sections(report, scenario, visits, result.plan.access, result.payload)
        if result.pareto is not None:
            add_pareto_section(report, result.pareto, result.payload)
    add_violations_section(report, roster_tables["violations.csv"] if roster_tables else None,
                           result.plan.access if result is not None else None)
    return report


def plan_sheets(scenario: Scenario, demand: DemandForecast, sizing: SizingResult, tables: dict,
                extras: dict) -> dict[str, pd.DataFrame]:
    """plan.xlsx: the staffing tables, a roster sheet per point, visits, access and costs when they ran."""
    sheets = {
        "staffing summary": sizing.summary,
        "shifts": tables["shifts.csv"].assign(date=sizing.shifts["date"].dt.date),
        "demand by month": demand.monthly,
    }
    roster_tables = extras.get("roster")
    if roster_tables:
        roster = as_dates(roster_tables["roster.csv"], ["date"])
        roster = as_times(roster, ["start", "end", "break_start"])
        if len(scenario.points) <= MAX_ROSTER_SHEETS:
            for point in scenario.points:
                rows = roster[roster["point"] == point.point_id]
                if len(rows):
                    sheets[f"roster {point.point_id}"] = rows
        else:
            sheets["rosters"] = roster
        sheets["roster by advisor"] = roster_tables["roster_by_advisor.csv"]
        sheets["roster violations"] = as_dates(roster_tables["violations.csv"], ["date"])
    result = extras.get("outreach")
    if result is not None:
        visits = result.plan.visits.drop(columns=["start_minute", "end_minute"])
        sheets["visits"] = as_times(as_dates(visits, ["date"]), ["depart", "arrive", "start", "leave", "return"])
        sheets["access"] = result.plan.access
        plans, per_official = cost_tables(visits, result.payload)
        sheets["costs"] = plans
        sheets["costs by official"] = per_official
        if result.pareto is not None:
            sheets["pareto"] = result.pareto
    return sheets


def load_roster_checks(scenario: Scenario) -> None:
    """The checks `planner roster` makes before solving (staff named to every point with demand)."""
    from planner.validate import points_have_regular_advisors_in

    problems = points_have_regular_advisors_in(scenario)
    if problems:
        raise ScenarioError(problems)


def run_plan(scenario: Scenario, output: Path, progress: Progress | None = None,
             executor: Executor | None = None, resume: bool = False, roster_time_limit: float | None = None,
             outreach_time_limit: float | None = None, pilots_status_quo: bool = False,
             pareto_k: int | None = None, report_hook: Callable[[Report, DemandForecast, dict], dict] | None = None
             ) -> PlanRun:
    """Every step that exists, timed; files are written only after all computing is done."""
    say = progress or (lambda _: None)
    timings: dict[str, float] = {}

    def step(name: str, work: Callable[[], object]) -> object:
        if isinstance(say, ProgressReporter):
            say.step(name)
        else:
            say(f"{name} …")
        started = time.perf_counter()
        result = work()
        timings[name] = round(time.perf_counter() - started, 3)
        return result

    demand = step("demand", lambda: forecast(scenario))
    failed: dict[str, str] = {}
    store = TaskStore(output / ".tasks" / "staffing", resume) if executor is not None else None
    reused: list[str] = []  # roster groups and outreach areas read back by --resume

    def staffing() -> SizingResult:
        if executor is None:
            return size(scenario, demand, say)
        result, failures = size_in_pieces(scenario, executor, store)
        failed.update(failures)
        return result

    sizing = step("staffing", staffing)
    roster_paths: list[Path] = []
    extras: dict = {}
    roster_status: dict = {}

    def roster() -> None:
        # A scenario that sizes but cannot be rostered (a new point without staff) still gets
        # its staffing plan; why the roster was skipped goes to the manifest. With an executor
        # each point group is a task, and a group that fails is listed in failed_tasks alone.
        try:
            if executor is not None:
                from planner.roster_pieces import roster_in_pieces

                started = time.perf_counter()
                groups = TaskStore(output / ".tasks" / "roster", resume)
                run, failures = roster_in_pieces(scenario, executor, groups, weeks=4, time_limit=roster_time_limit)
                failed.update(failures)
                reused.extend(groups.reused)
                if not run.groups:
                    raise InfeasiblePlan(["no point group could be rostered; see failed_tasks"])
                paths = rostering.write_roster(scenario, run, output / "roster", time.perf_counter() - started)
            else:
                load_roster_checks(scenario)
                run, paths = rostering.demo_roster(scenario, output / "roster", say, roster_time_limit)
        except (ScenarioError, InfeasiblePlan) as exc:
            roster_status.update(status="skipped", reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        roster_paths.extend(paths)
        extras["roster"] = rostering.roster_tables(scenario, run)
        payload = rostering.summary_payload(run, timings.get("roster", 0.0))
        roster_status.update({k: payload[k] for k in ("status", "objective", "best_bound", "gap", "violations")})

    step("roster", roster)
    outreach_paths: list[Path] = []
    outreach_status: dict = {}
    comparison: list[str] = []

    def outreach_step() -> None:
        if not scenario.officials:
            outreach_status.update(status="skipped", reason="no officials in officials.csv")
            return
        try:
            if executor is not None:
                from planner.outreach_pieces import outreach_in_areas

                quarter = min(3, scenario.config.horizon.months)
                areas = TaskStore(output / ".tasks" / "outreach", resume)
                result, failures = outreach_in_areas(scenario, output / "outreach", executor, areas, quarter,
                                                     outreach_time_limit)
                failed.update(failures)
                reused.extend(areas.reused)
                if pareto_k:  # the sweep couples every area through λ: run here, after the areas
                    result.pareto = outreach.pareto(outreach.prepare(scenario, quarter), pareto_k, outreach_time_limit)
                    result.paths.append(io.write_csv(result.pareto, output / "outreach" / "pareto.csv"))
            elif pilots_status_quo:
                quarter = outreach.pilots_quarter(scenario, outreach_time_limit, say)
                result = outreach.plan_and_write(scenario, output / "outreach", chosen=quarter.plan,
                                                 quo=quarter.status_quo)
                comparison.append(quarter.text())
            else:
                quarter = min(3, scenario.config.horizon.months)  # outreach is planned a quarter ahead
                result = outreach.plan_and_write(scenario, output / "outreach", quarter, pareto_k, say, outreach_time_limit)
        except (ScenarioError, InfeasiblePlan) as exc:
            outreach_status.update(status="skipped", reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        outreach_paths.extend(result.paths)
        extras["outreach"] = result
        outreach_status.update({k: result.payload.get(k) for k in ("status", "objective", "best_bound", "gap")})
        outreach_status["warnings"] = result.warnings

    step("outreach", outreach_step)
    report = step("report", lambda: full_report(scenario, demand, sizing, extras))
    # More sections (e.g. `--records`: fit, backtest, replay of the roster) and their tables.
    hooked = report_hook(report, demand, extras) if report_hook is not None else {}
    staffing_json = staffing_summary_json(scenario, sizing, timings["staffing"])
    tables = {**demand_tables(demand), **staffing_tables(sizing), **hooked}
    sheets = plan_sheets(scenario, demand, sizing, tables, extras)
    written = write_tables(tables, output)
    written.append(io.write_json(staffing_json, output / "summary.json"))
    written += roster_paths + outreach_paths
    written += write_report(report, output)
    written.append(write_workbook(sheets, output / "plan.xlsx"))
    manifest = {
        "scenario": scenario.config.name,
        "input_hash": scenario_hash(scenario),
        "versions": versions(),
        "steps": {"staffing": {k: staffing_json[k] for k in ("status", "objective", "best_bound", "gap")},
                  "roster": roster_status, "outreach": outreach_status},
        "timings_seconds": timings,
        "executor": type(executor).__name__ if executor else "in process",
        "failed_tasks": {key: reason.splitlines()[0] for key, reason in failed.items()},
        "reused_tasks": (store.reused if store is not None else []) + reused,
        "files": sorted(str(p.relative_to(output)) for p in written),
    }
    written.append(io.write_json(manifest, output / "manifest.json"))
    return PlanRun(demand, sizing, manifest, written, "\n".join(comparison))
