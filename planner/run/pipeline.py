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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from planner.base import io
from planner.base.calendar import roster_days, work_periods
from planner.base.errors import InfeasiblePlan, Problem, ScenarioError
from planner.base.executor import Executor, TaskStore
from planner.base.stage import Stage, run_stage
from planner.base.text import quantity
from planner.checks import roster as checker
from planner.checks.plan import plan_checks
from planner.checks.provenance import provenance_warnings, roster_inputs
from planner.demand.forecast import DemandForecast
from planner.demand.stage import DemandStage
from planner.outputs.calendars import advisor_calendars, official_calendars, visits_month_grid
from planner.outputs.grids import Grids, failed_points, grid_csv, grid_html, hours_csv, week_grids
from planner.outputs.headline import Headline, build_headline
from planner.outputs.i18n import Words
from planner.outputs.report import (
    Report,
    add_input_notices,
    add_outreach_cautions,
    add_outreach_sections,
    add_pareto_section,
    add_roster_section,
    add_solver_section,
    add_status_quo_notice,
    add_step_notices,
    add_violations_section,
    build_report,
)
from planner.outputs.workbook import as_dates, as_times
from planner.outputs.writer import OutputFolder
from planner.outreach.plan import cost_tables, outreach_problems, prepare
from planner.outreach.stage import WHOLE_MODEL_MAX_POINTS, OutreachResult, OutreachStage, outreach_months
from planner.rosters.replan import KeptRoster, read_kept_roster, short_days, skill_gaps
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


@dataclass
class Published:
    """What people read besides the tables: the headline, the week grids, the calendars, the visits' month grid."""

    words: Words
    headline: Headline
    grids: Grids | None = None
    month_grid: pd.DataFrame | None = None


def publish(scenario: Scenario, sizing: SizingResult, files: dict[str, Any], words: Words, roster: dict | None,
            roster_dates: list[dt.date] | None, outreach: OutreachResult | None,
            samples: pd.DataFrame | None) -> Published:
    """The headline, week grids, calendar files and month grid; the new files are added to `files`."""
    # the clock minutes are the calendars' own columns, not visits.csv's: gone from a plan with no visit too
    visits = outreach.visits.drop(columns=["start_minute", "end_minute"], errors="ignore") if outreach is not None \
        else None
    headline = build_headline(scenario, sizing, words, samples, roster["violations.csv"] if roster else None,
                              visits, outreach.access if outreach is not None else None,
                              outreach.payload if outreach is not None else None)
    files["headline_points.csv"] = headline.points.merge(headline.shares, on="point_id", how="left")
    files["headline_providers.csv"] = headline.providers
    files["headline_risks.txt"] = "".join(f"{n}. {risk}\n" for n, risk in enumerate(headline.risks, start=1))
    published = Published(words, headline)
    if roster and roster_dates:
        missing = failed_points(roster["summary.json"])
        grids = week_grids(scenario, roster["roster.csv"], roster_dates, words, missing)
        files["roster/week_grid.csv"] = grid_csv(grids)
        files["roster/hours_by_week.csv"] = hours_csv(grids)
        for name, text in advisor_calendars(scenario, roster["roster.csv"], roster_dates, words, missing).items():
            files[f"roster/calendars/{name}"] = text
        published.grids = grids
    if outreach is not None and visits is not None:
        horizon = outreach.payload.get("horizon") or {}
        if horizon.get("start") and horizon.get("end"):
            start, end = dt.date.fromisoformat(horizon["start"]), dt.date.fromisoformat(horizon["end"])
        else:
            days = pd.to_datetime(visits["date"]).dt.date if len(visits) else pd.Series([scenario.config.horizon.start])
            start, end = min(days), max(days)
        # every official's calendar, a plan with no visit too: each says what the plan gives them
        for name, text in official_calendars(scenario, visits, words, start, end,
                                             words.no_visits(outreach.payload)).items():
            files[f"outreach/calendars/{name}"] = text
        published.month_grid = visits_month_grid(visits, start, end, words)
        files["outreach/visits_by_month.csv"] = published.month_grid
    return published


def solver_results(staffing: dict, roster: dict | None, outreach: dict | None, words: Words) -> pd.DataFrame:
    """One row per step and part: status, objective, best bound, gap (%) and what the objective measures.

    `staffing`: the staffing summary.json; `roster`: roster/summary.json (None when not rostered);
    `outreach`: outreach/summary.json (None without outreach). Gaps are in percent of the objective;
    a roster made in work periods has the gap against its whole-roster bound (planner/rosters/roster.period_bounds).
    """
    def row(step: str, part: str, s: dict, unit: str) -> dict:
        gap = s.get("gap")
        return {"step": step, "part": part, "status": s.get("status"), "objective": s.get("objective"),
                "best_bound": s.get("best_bound"), "gap_percent": None if gap is None else round(100 * gap, 2),
                "objective_is": unit}

    rows = [row("staffing", words("all_points"), staffing, words("objective_staffing"))]
    rows += [row("staffing", words.point(p), s, words("objective_staffing"))
             for p, s in (staffing.get("points") or {}).items() if "objective" in s]
    if roster:
        def roster_unit(s: dict) -> str:
            periods = s.get("work_periods") or []
            return words("objective_roster_periods", n=len(periods)) if len(periods) > 1 else words("objective_roster")

        whole = max((len(s.get("work_periods") or []) for s in (roster.get("groups") or {}).values()), default=0)
        rows.append(row("roster", words("all_points"), roster, roster_unit({"work_periods": [0] * whole})))
        for group, s in (roster.get("groups") or {}).items():
            name = " + ".join(words.point(p) for p in group.split("+"))
            rows.append(row("roster", name, s, roster_unit(s)))
            periods = s.get("work_periods") or []
            if len(periods) > 1:  # each period is one model with its own proven bound and gap
                rows += [row("roster", f"{name}, {words('work_period')} {p.get('from')} – {p.get('to')}", p,
                             words("objective_roster_period")) for p in periods]
        for group, reason in (roster.get("failed_groups") or {}).items():  # a group without a roster has its row too
            name = " + ".join(words.point(p) for p in group.split("+"))
            rows.append(row("roster", name, {"status": words("status_no_roster")}, reason))
    if outreach:
        unit = words("objective_outreach", lam=f"{outreach.get('access_weight', 1.0):g}")
        rows.append(row("outreach", words("all_points"), outreach, unit))
        rows += [row("outreach", area, s | {"gap": None if s.get("objective") in (None, 0) or s.get("best_bound") is None
                                            else max(0.0, s["objective"] - s["best_bound"]) / max(1.0, abs(s["objective"]))},
                     unit) for area, s in (outreach.get("areas") or {}).items()]
    return pd.DataFrame(rows, columns=["step", "part", "status", "objective", "best_bound", "gap_percent",
                                       "objective_is"])


# The order a reader meets the sections in: the headline, what to publish, then the detail.
SECTION_ORDER = ("headline", "week_grids", "outreach", "costs", "advisors_needed", "required_scheduled", "demand",
                 "workload", "rosters", "pareto", "violations", "solver")


def full_report(scenario: Scenario, demand: DemandForecast, sizing: SizingResult, roster: dict | None,
                outreach: OutreachResult | None, published: Published | None = None,
                staffing: dict | None = None, steps: dict[str, dict] | None = None,
                failed: dict[str, str] | None = None, warnings: Sequence[Problem] = ()) -> Report:
    """The headline, the staffing report, the roster and outreach sections for the stages that ran, and
    (given the staffing summary.json) each step's status, objective, bound and gap; above them, the steps (manifest
    `steps`) and pieces (`failed`: task key → reason) that were not made, with why, and the input's `warnings`."""
    words = published.words if published else Words("en", scenario)
    report = build_report(scenario, demand, sizing, words, published.headline if published else None)
    add_step_notices(report, steps or {}, failed or {}, words, {p.point_id: p.name for p in scenario.points})
    add_status_quo_notice(report, outreach.payload if outreach is not None else None, words)
    add_input_notices(report, warnings, words)
    if outreach is not None:
        add_outreach_cautions(report, outreach.warnings, words)
    if roster:
        grids = grid_html(published.grids, words) if published and published.grids is not None else ""
        add_roster_section(report, scenario, roster["roster.csv"], roster["roster_by_advisor.csv"], grids, words=words)
    if outreach is not None:
        visits = outreach.visits.drop(columns=["start_minute", "end_minute"], errors="ignore")
        add_outreach_sections(report, scenario, visits, outreach.access, outreach.payload,
                              published.month_grid if published else None, words)
        if outreach.pareto is not None:
            add_pareto_section(report, outreach.pareto, outreach.payload, words)
    add_violations_section(report, roster["violations.csv"] if roster else None,
                           outreach.access if outreach is not None else None, words)
    if staffing is not None:
        add_solver_section(report, solver_results(staffing, roster["summary.json"] if roster else None,
                                                  outreach.payload if outreach is not None else None, words), words)
    rank = {words(key): n for n, key in enumerate(SECTION_ORDER)}
    report.sections.sort(key=lambda section: rank.get(section[0], len(rank)))
    return report


def _providers_as_columns(rows: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """roster.csv's `kela|vero|…` as one column per provider (1 = covered): one value per cell."""
    if "providers" not in rows:
        return rows
    covered = rows["providers"].fillna("").map(lambda text: set(str(text).split("|")))
    extra = {f"serves_{p.provider_id}": covered.map(lambda s, p=p.provider_id: 1 if p in s else None)
             for p in scenario.providers}
    return rows.drop(columns=["providers"]).assign(**extra)


def _appointment_columns(visits: pd.DataFrame) -> pd.DataFrame:
    """visits.csv's `notary:2|wedding:1` as one count column per appointment type: one value per cell."""
    if "appointment_types" not in visits or visits.empty:
        return visits
    parsed = visits["appointment_types"].fillna("").map(
        lambda text: dict((k, int(v)) for k, v in (part.split(":") for part in str(text).split("|") if ":" in part)))
    kinds = sorted({k for counts in parsed for k in counts})
    extra = {f"appointments_{k}": parsed.map(lambda counts, k=k: counts.get(k)) for k in kinds}
    return visits.drop(columns=["appointment_types"]).assign(**extra)


def plan_sheets(scenario: Scenario, demand: DemandForecast, sizing: SizingResult, tables: dict,
                roster: dict | None, outreach: OutreachResult | None, published: Published | None = None
                ) -> dict[str, pd.DataFrame]:
    """plan.xlsx: the headline, the week grids, the staffing tables, a roster sheet per point, visits, access, costs."""
    words = published.words if published else Words("en", scenario)
    sheets: dict[str, pd.DataFrame] = {}
    if published is not None:
        sheets[words.sheet("headline")] = published.headline.points.merge(published.headline.shares, on="point_id",
                                                                          how="left")
        sheets[words.sheet("headline providers")] = published.headline.providers
        if published.grids is not None:
            sheets[words.sheet("week grids")] = published.grids.grid.drop(columns=["point_id"])
    sheets.update({
        words.sheet("staffing summary"): sizing.summary,
        words.sheet("shifts"): tables["shifts.csv"].assign(date=sizing.shifts["date"].dt.date),
        words.sheet("demand by month"): demand.monthly,
    })
    if roster:
        rows = _providers_as_columns(as_times(as_dates(roster["roster.csv"], ["date"]), ["start", "end", "break_start"]),
                                     scenario)
        missing = failed_points(roster["summary.json"])
        if len(scenario.points) <= MAX_ROSTER_SHEETS:
            for point in scenario.points:
                mine = rows[rows["point"] == point.point_id]
                if point.point_id in missing:  # its sheet says why there is none, not an empty roster
                    why = words("no_roster", reason=missing[point.point_id])
                    sheets[words.sheet("roster", point=point.point_id)] = pd.DataFrame(
                        {"point": [point.point_id], "status": [why]})
                elif len(mine):
                    sheets[words.sheet("roster", point=point.point_id)] = mine
        else:
            sheets[words.sheet("rosters")] = rows
        sheets[words.sheet("roster by advisor")] = roster["roster_by_advisor.csv"].drop(columns=["hours_by_week"],
                                                                                       errors="ignore")
        if published is not None and published.grids is not None:
            sheets[words.sheet("hours by week")] = published.grids.hours
        breaches = roster["violations.csv"]
        sheets[words.sheet("roster violations")] = as_dates(breaches.assign(message=breaches["message"].map(words.breach)),
                                                            ["date"])
    if outreach is not None:
        visits = outreach.visits.drop(columns=["start_minute", "end_minute"], errors="ignore")
        sheets[words.sheet("visits")] = _appointment_columns(as_times(as_dates(visits, ["date"]), [
            "depart", "arrive", "start", "leave", "return"]))
        if published is not None and published.month_grid is not None:
            sheets[words.sheet("visits by month")] = published.month_grid
        sheets[words.sheet("access")] = outreach.access
        plans, per_official = cost_tables(visits, outreach.payload)
        sheets[words.sheet("costs")] = plans
        # a plan without trips: one line that says so, not a sheet of headers
        sheets[words.sheet("costs by official")] = per_official if len(per_official) else pd.DataFrame(
            {"official_id": [words("no_trips")]})
        if outreach.pareto is not None:
            sheets[words.sheet("pareto")] = outreach.pareto
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


def with_time_limit(scenario: Scenario, seconds: float | None) -> Scenario:
    """The scenario with every solve capped at `seconds` (`--time-limit`), or as it is."""
    if seconds is None:
        return scenario
    solver = scenario.config.solver
    capped = solver.model_copy(update={"time_limit_seconds": min(float(solver.time_limit_seconds), float(seconds))})
    return scenario.model_copy(update={"config": scenario.config.model_copy(update={"solver": capped})})


def wall_capped(staffing_status: str, roster_summary: dict | None, outreach_status: str | None) -> list[str]:
    """The steps in which the wall-clock cap ([solver] time_limit_seconds), not the work budget, stopped a solve.

    Their plans depend on the machine's load: the run is not repeatable (the CLI says so on stderr).
    """
    capped = []
    if "time limit" in staffing_status:
        capped.append("staffing")
    if roster_summary is not None and roster_summary.get("time_limited"):
        capped.append("roster")
    if outreach_status and "time limit" in outreach_status:
        capped.append("outreach")
    return capped


def validate_outreach(scenario: Scenario) -> list[Problem]:
    """What `planner validate` adds for outreach: the checks `planner outreach` and `planner plan` make before
    solving (unreachable points, visit patterns no plan can meet, windows shorter than a slot), over the
    horizon outreach plans. A scenario planned in areas gets the same checks per area when it runs."""
    found = []
    wanted, whole = scenario.config.outreach.months, scenario.config.horizon.months
    if wanted and wanted > whole:
        found.append(Problem("scenario.toml", f"[outreach] months = {wanted} is longer than the horizon's "
                             f"{quantity(whole, 'month')}; the whole horizon is planned (expected at most the "
                             "horizon's months)",
                             key="outreach.months", severity="warning"))
    if not scenario.officials or len(scenario.points) > WHOLE_MODEL_MAX_POINTS:
        return found
    months = outreach_months(scenario, None)
    prepared = prepare(scenario, months, check=False)
    return found + outreach_problems(prepared)


def _skipped(exc: Exception) -> dict:
    return {"status": "skipped", "reason": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}


def run_plan(scenario: Scenario, output: Path, progress: Progress | None = None,
             executor: Executor | None = None, resume: bool = False, roster_time_limit: float | None = None,
             outreach_time_limit: float | None = None, pareto_k: int | None = None, lang: str | None = None,
             samples: pd.DataFrame | None = None, sweep_table: pd.DataFrame | None = None,
             time_limit: float | None = None,
             report_hook: Callable[[Report, DemandForecast, dict], dict[str, Any]] | None = None,
             input_warnings: Sequence[Problem] = (), replace: bool = False) -> PlanRun:
    """Every stage, then every file at once into `output` (see the module docstring).

    `lang`: the language of the report, workbook, grids and calendars (default `[report] language`);
    `samples`/`sweep_table`: a demand sweep's samples and FTE table (the headline's probability that the
    staff suffices; sweep/sweep_fte.csv); `time_limit`: a cap on every solve's seconds.
    `report_hook(report, demand, {"roster": roster tables})` adds report sections and returns
    more files to write (`--records`: the fitted variant, the backtest and the replay).
    `input_warnings`: what loading the scenario warned of (load_scenario's second value; the terminal shows them):
    also in the report's notices box and manifest.json `input_warnings`. `replace`: replace `output` even when it
    holds another command's result (--force; writer.OutputFolder).

    Raises ScenarioError for bad input and for an output folder it may not write (exit 2).
    """
    found = validate_outreach(scenario)  # what `planner validate` refuses stops the run before anything is solved
    if any(p.severity == "error" for p in found):
        raise ScenarioError(found)
    scenario = with_time_limit(scenario, time_limit)
    words = Words(lang or scenario.config.report.language, scenario)
    with OutputFolder(output, "plan", replace) as folder:
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
                raise InfeasiblePlan(["no point group could be rostered (each group's reason: failed_tasks)"])
            roster = stage.tables(scenario, run)
            with_failed_groups(roster["summary.json"], steps.failed)
            files.update({f"roster/{name}": table for name, table in roster.items()})
            roster_status = {k: roster["summary.json"][k] for k in ("status", "work_limited", "time_limited", "objective",
                                                                    "best_bound", "gap", "violations", "breaches",
                                                                    "from", "to", "weeks", "days")}
            if "best_bound_is" in roster["summary.json"]:  # work periods: the bound is conditional, no gap
                roster_status["best_bound_is"] = roster["summary.json"]["best_bound_is"]
            roster_status["period"] = roster_period_words(scenario, run.dates)
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
        published = publish(scenario, sizing, files, words, roster, run.dates if run is not None else None, outreach,
                            samples)
        if sweep_table is not None:
            files["sweep/sweep_fte.csv"] = sweep_table
            sheets_extra = {words.sheet("probability"): sweep_table}
        else:
            sheets_extra = {}
        report = full_report(scenario, demand, sizing, roster, outreach, published, files["summary.json"],
                             {"roster": roster_status, "outreach": outreach_status}, steps.failed,
                             [*input_warnings, *(p for p in found if p.severity == "warning")])
        if report_hook is not None:
            files.update(report_hook(report, demand, {"roster": roster}))
        sheets = {**plan_sheets(scenario, demand, sizing, files, roster, outreach, published), **sheets_extra}
        steps.timings["report"] = round(time.perf_counter() - started, 3)
        if roster:  # what the roster was made on, for `planner check` (planner/checks/provenance.py)
            roster["summary.json"]["inputs"] = roster_inputs(scenario, (
                "fitted from visit logs: the variant in this plan's fit/" if "fit/variant.toml" in files
                else "the scenario's files"))  # no folder named: same input, same bytes, wherever it is written
        capped = wall_capped(files["summary.json"]["status"], roster["summary.json"] if roster else None,
                             outreach_status.get("status"))
        manifest = {
            "scenario": scenario.config.name,
            "input_hash": scenario_hash(scenario),
            "versions": versions(),
            # The budget the plan was made with (scenario.toml [solver], or --work-limit / --time-limit): a plan
            # is repeatable for the same inputs and work_limit, so comparing two plans needs it.
            "solver": scenario.config.solver.model_dump(include={"work_limit", "time_limit_seconds", "workers", "seed"}),
            "steps": {"staffing": {k: files["summary.json"][k] for k in ("status", "objective", "best_bound", "gap")},
                      "roster": roster_status, "outreach": outreach_status},
            "checks": plan_checks(scenario, **checked),
            # Steps whose wall-clock safety cap stopped a solve before its work budget: not repeatable.
            "wall_clock_capped": capped,
            "timings_seconds": steps.timings,
            "executor": type(executor).__name__ if executor else "SerialExecutor",
            "failed_tasks": {key: reason.splitlines()[0] for key, reason in steps.failed.items()},
            "input_warnings": [str(p) for p in [*input_warnings, *found] if p.severity == "warning"],
            "reused_tasks": steps.reused,
            "files": sorted([*files, "manifest.json", "report.html", "plan.xlsx",
                             *(f"charts/{chart.name}.png" for chart in report.charts)]),
        }
        files["manifest.json"] = manifest
        # The top-level status, objective and bound are the sizing model's (as `planner staff` writes them);
        # a plan's reader finds every step's beside them, so no one mistakes staffing's OPTIMAL for the plan's.
        files["summary.json"] = {**files["summary.json"], "status_of": "staffing (shift-cover sizing model)",
                                 "steps": {step: {k: v for k, v in status.items() if k != "warnings"}
                                           for step, status in manifest["steps"].items()}}
        written = folder.commit(files, report=report, workbook=sheets, words=words)
    return PlanRun(demand, sizing, manifest, written, run, outreach)


# ------------------------------------------------------------------ single stages, one command each


@dataclass
class StageRun:
    """A command that runs some stages: their results and the files written."""

    results: dict[str, Any]
    failed: dict[str, str]
    written: list[Path]


def run_demand(scenario: Scenario, output: Path, replace: bool = False) -> StageRun:
    """`planner demand`: demand_monthly.csv, demand_daily.csv, demand_intervals.csv (`replace`: --force)."""
    with OutputFolder(output, "demand", replace) as folder:
        demand, failed = run_stage(DemandStage(), scenario, {})
        written = folder.commit(DemandStage().tables(scenario, demand))
    return StageRun({"demand": demand}, failed, written)


def run_staffing(scenario: Scenario, output: Path, progress: Progress | None = None,
                 executor: Executor | None = None, replace: bool = False) -> StageRun:
    """`planner staff`: the demand tables and the staffing tables with summary.json (`replace`: --force)."""
    with OutputFolder(output, "staff", replace) as folder:
        demand, _ = run_stage(DemandStage(), scenario, {})
        sizing, failed = run_stage(StaffingStage(), scenario, {"demand": demand}, executor, None, progress)
        files = {**DemandStage().tables(scenario, demand), **StaffingStage().tables(scenario, sizing)}
        written = folder.commit(files)
    return StageRun({"demand": demand, "staffing": sizing}, failed, written)


def roster_period_words(scenario: Scenario, dates: list[dt.date], options: str | None = None) -> str:
    """Which part of the horizon the plan rosters, and why (said in the manifest and the terminal);
    `options`: the command-line options that chose the period, when they did."""
    periods = len(work_periods(len(dates), scenario.config.roster.period_weeks))
    how = (f" in {periods} work periods of [roster] period_weeks = {scenario.config.roster.period_weeks}"
           if periods > 1 else "")
    length = quantity(len(dates) // 7, "week") + (f" and {quantity(len(dates) % 7, 'day')}" if len(dates) % 7 else "")
    whole = dates[0] == scenario.config.horizon.start and dates[-1] >= scenario.horizon_end
    if whole:
        return f"the whole horizon, {dates[0]} – {dates[-1]}{how}"
    why = options or f"scenario.toml [roster] weeks = {scenario.config.roster.weeks} (the reason is the comment beside that line)"
    return (f"{dates[0]} – {dates[-1]}, {length}{how} of the horizon {scenario.config.horizon.start} – "
            f"{scenario.horizon_end}, as {why} says; without [roster] weeks and --from/--weeks the whole horizon "
            "is rostered, and `planner roster --keep` re-plans a published roster")


def kept_roster(scenario: Scenario, roster_csv: Path, replan_from: dt.date, weeks: int | None = None) -> KeptRoster:
    """The published roster to re-plan (`planner roster --keep ROSTER.csv --from DATE`).

    Its period is the one in the summary.json beside it (as `planner check` reads it), else
    --weeks (default `[roster] weeks`) from its earliest date. Raises ScenarioError (exit 2)
    naming file, row and column when the file cannot be read or a row is not a shift.
    """
    raw, problems = io.read_csv(roster_csv)
    if raw is None:
        raise ScenarioError(problems)
    dates = []
    for _, cells in raw.rows:
        try:
            dates.append(dt.date.fromisoformat(cells.get("date", "")))
        except ValueError:
            pass  # reported by the reader with its row
    first, weeks = roster_period(scenario, roster_csv, None, weeks, default_first=min(dates, default=replan_from))
    return read_kept_roster(scenario, raw, first, weeks, replan_from)


def run_roster(scenario: Scenario, output: Path, start: Any = None, weeks: int | None = None,
               time_limit: float | None = None, progress: Progress | None = None,
               keep: KeptRoster | None = None, executor: Executor | None = None,
               kept_csv: Path | None = None, replace: bool = False) -> StageRun:
    """`planner roster`: roster.csv, roster_by_advisor.csv, violations.csv, summary.json (and
    changes.csv when re-planning `keep`), the point groups on `executor` (serial when None).

    A re-plan's summary.json `replan` also gains `short`: each point and day from the re-plan date on left short at
    the counter (planner/rosters/replan.short_days), set against the published roster's violations.csv beside
    `kept_csv` when it is there, `skill_gaps`: each point-day from then on with a provider nobody trained for is on
    duty (replan.skill_gaps), and `objective_before`, that roster's summary.json objective (None without it);
    `results["short"]` and `results["skill_gaps"]` are the same tables, for the terminal.

    Every group with a roster is written, whatever happens to the others: a group whose hard
    rules clash or that found nothing in its budget is in `failed` (its reason in words; also
    summary.json's `failed_groups`), and the caller exits 3 naming it (`failed_reasons`).
    Raises InfeasiblePlan (exit 3, nothing written) when no group has a roster — and, in a
    re-plan, when any group has none: a re-plan is one roster to publish, and writing it without
    that group would drop its kept shifts and list every one of them as removed.
    """
    with OutputFolder(output, "roster", replace) as folder:
        stage = RosterStage(start, weeks, time_limit, keep)
        run, failed = run_stage(stage, scenario, {"requirements": requirements_for(scenario)}, executor, None, progress)
        if not run.groups or (keep is not None and failed):
            raise InfeasiblePlan(failed_reasons(scenario, run, failed, keep))
        tables = stage.tables(scenario, run)
        with_failed_groups(tables["summary.json"], failed)
        tables["summary.json"]["inputs"] = roster_inputs(scenario, "the scenario's files")
        short = gaps = None
        if keep is not None:
            short, gaps = replan_short(scenario, keep, tables, kept_csv)
        written = folder.commit(tables)
    results: dict[str, Any] = {"roster": run}
    if keep is not None:
        results["changes"] = tables["changes.csv"]
        results["short"] = short
        results["skill_gaps"] = gaps
        results["objective_before"] = tables["summary.json"]["replan"]["objective_before"]
    return StageRun(results, failed, written)


def replan_short(scenario: Scenario, keep: KeptRoster, tables: dict[str, Any],
                 kept_csv: Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The re-plan's short days and skill gaps (planner/rosters/replan.short_days, skill_gaps), also put in
    summary.json `replan`."""
    beside = kept_csv.parent if kept_csv is not None else None
    published = None
    if beside is not None and (beside / "violations.csv").is_file():
        raw = pd.read_csv(beside / "violations.csv", dtype={"date": str, "start": str, "end": str})
        published = raw if {"family", "point", "date", "amount", "intervals"} <= set(raw.columns) else None
    before = (io.read_json(beside / "summary.json") or {}) if beside is not None else {}
    short = short_days(tables["violations.csv"], keep.replan_from, scenario.config.horizon.interval_minutes, published)
    replan = tables["summary.json"]["replan"]
    replan["objective_before"] = before.get("objective")
    replan["short"] = [{k: (None if v != v else v) for k, v in row.items()} for row in short.to_dict("records")]
    gaps = skill_gaps(tables["violations.csv"], keep.replan_from, published)
    replan["skill_gaps"] = gaps.to_dict("records")
    return short, gaps


def with_failed_groups(summary: dict, failed: dict[str, str]) -> dict:
    """roster/summary.json when some point groups have no roster: `failed_groups` (why, one line each) and a
    status that says so — "INCOMPLETE" — with the rostered groups' own status kept as `rostered_status`
    (objective, bound and gap are theirs alone). `failed`: task key ("roster:GROUP") → reason. Unchanged otherwise."""
    groups = {key.removeprefix("roster:"): reason.splitlines()[0] for key, reason in failed.items()
              if key.startswith("roster:")}
    if groups:
        summary["failed_groups"] = groups
        summary["rostered_status"] = summary["status"]
        summary["status"] = "INCOMPLETE"
    return summary


def failed_reasons(scenario: Scenario, run: RosterRun, failed: dict[str, str], keep: KeptRoster | None) -> list[str]:
    """Why each failed point group has no roster, in words: the clashing rules, one a line, with the
    settings that can clash (on duty when it is hard, kept rows when re-planning); else the failure."""
    lines = []
    for g in run.refused:
        if g.solution.conflict:
            lines += [f"{'+'.join(g.points)}: no roster satisfies the hard rules; these cannot all hold together with "
                      "the shift types and the 11 h / 35 h rest rules:", *g.solution.conflict]
    if run.conflicts:
        if scenario.config.roster.on_duty_hard:
            lines.append("set [roster] on_duty_hard = false to get the best roster with the gaps listed instead")
        if keep is not None:
            lines.append(f"a row of {keep.file} kept as it is (before --from {keep.replan_from}, or marked fixed) "
                         "clashes with the rules now: unmark it, or move --from before it")
    clashed = {"roster:" + "+".join(g.points) for g in run.refused if g.solution.conflict}
    lines += [f"{key.removeprefix('roster:')}: {reason.splitlines()[0]}" for key, reason in failed.items()
              if key not in clashed]
    return lines


def run_outreach(scenario: Scenario, output: Path, months: int | None = None, pareto_k: int | None = None,
                 progress: Progress | None = None, time_limit: float | None = None,
                 executor: Executor | None = None, replace: bool = False) -> StageRun:
    """`planner outreach`: visits.csv, visits.ics, access.csv, summary.json (and pareto.csv).

    `executor` runs the stage's pieces (the areas of a national scenario; in this process when None): the plan is
    the same on any executor, since the split depends on the scenario alone. `replace`: --force.
    """
    with OutputFolder(output, "outreach", replace) as folder:
        # Outreach reads arrivals by day: no interval rows (a national year's are ~2 GB, the run's peak before).
        demand, _ = run_stage(DemandStage(intervals=False), scenario, {})
        stage = OutreachStage(months, pareto_k, time_limit)
        result, failed = run_stage(stage, scenario, {"demand": demand}, executor, None, progress)
        if not result.parts:
            reasons = [reason.splitlines()[0] for reason in failed.values()] or ["no plan"]
            raise InfeasiblePlan(reasons)
        written = folder.commit(stage.tables(scenario, result))
    return StageRun({"outreach": result}, failed, written)


# ------------------------------------------------------------------ `planner check`


def roster_period(scenario: Scenario, roster_csv: Path, start: dt.date | None, weeks: int | None,
                  default_first: dt.date | None = None) -> tuple[dt.date, int]:
    """A roster file's period as (first day, weeks): the options, else the summary.json written next to
    the roster, else the defaults (`default_first`, else the horizon start; `[roster] weeks`, else to the
    horizon end). The last week is cut at the horizon end (planner.base.calendar.roster_days)."""
    written = io.read_json(roster_csv.parent / "summary.json") or {}
    fallback = default_first or scenario.config.horizon.start
    first = start or dt.date.fromisoformat(written.get("from", fallback.isoformat()))
    weeks = weeks or written.get("weeks") or scenario.config.roster.weeks
    return first, weeks or -(-((scenario.horizon_end - first).days + 1) // 7)


def _refuse_rows_outside_a_guessed_period(scenario: Scenario, raw: io.RawTable, first: dt.date, weeks: int) -> None:
    """Without --from/--weeks and without the summary.json written beside a roster (a copy saved
    elsewhere), the period is only the scenario's default: rows outside it mean the guess is wrong,
    not that each row breaks a rule. One error (exit 2) naming the rows' dates and the options."""
    days = roster_days(first, weeks, scenario.horizon_end)
    dated = []
    for n, cells in raw.rows:
        try:
            dated.append((n, dt.date.fromisoformat((cells.get("date") or "").strip())))
        except ValueError:
            continue  # read_rows names it
    outside = [(n, d) for n, d in dated if not days[0] <= d <= days[-1]]
    if not outside:
        return
    earliest, latest = min(d for _, d in dated), max(d for _, d in dated)
    hint = first if earliest >= first else earliest  # a first day without shifts (1 Jan) still starts the period
    raise ScenarioError([Problem(raw.file, (
        f"{quantity(len(outside), 'row')} {'falls' if len(outside) == 1 else 'fall'} outside the period {days[0]} – "
        f"{days[-1]} taken from the scenario "
        f"(no summary.json beside the roster, no --from/--weeks); the rows run {earliest} – {latest}: give the "
        f"roster's period, e.g. --from {hint} --weeks {-(-((latest - hint).days + 1) // 7)}"),
        row=outside[0][0], column="date")])


def check_warnings(scenario: Scenario, roster_csv: Path) -> list[str]:
    """What `planner check` says beside the objective: the roster was made on other demand or from other inputs than
    `scenario` (planner/checks/provenance.py), so its score is not the solver's."""
    return provenance_warnings(scenario, roster_csv)


def run_check(scenario: Scenario, roster_csv: Path, start: dt.date | None = None, weeks: int | None = None,
                      output: Path | None = None) -> checker.CheckResult:
    """Every finding of the roster in `roster_csv`; with `output`, also written there as CSV.

    Raises ScenarioError (exit 2, nothing written) when the file cannot be read as CSV or a row
    cannot be scored (a bad date, time or break, an unknown advisor or point, a missing column):
    every such problem of the file at once, with its row and column.
    """
    raw, problems = io.read_csv(roster_csv)
    if raw is None:
        raise ScenarioError(problems)
    guessed = start is None and weeks is None and io.read_json(roster_csv.parent / "summary.json") is None
    first, weeks = roster_period(scenario, roster_csv, start, weeks)
    if guessed:
        _refuse_rows_outside_a_guessed_period(scenario, raw, first, weeks)
    try:
        result = checker.check(scenario, [cells for _, cells in raw.rows], first, weeks, requirements_for(scenario),
                               raw.file, [n for n, _ in raw.rows], raw.header)
    except ScenarioError as exc:  # listed with the rows read_csv refused (a wrong number of cells), by row
        problems += exc.problems
    if any(p.severity == "error" for p in problems):
        raise ScenarioError(sorted(problems, key=lambda p: p.row or 0))
    if output is not None:
        io.write_csv(result.table(), output)
    return result
