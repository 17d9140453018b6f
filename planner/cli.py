"""Command-line interface: click only, no modelling.

Exit codes: 0 written, 2 bad input, 3 no feasible plan, 1 internal error.
Data goes to files, messages to stderr.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from planner.base.budget import with_work_limit
from planner.base.errors import InfeasiblePlan, Problem, ScenarioError
from planner.base.executor import Executor, make_executor
from planner.outputs.text import plan_summary, staffing_summary, travel_cost_report
from planner.run import pipeline
from planner.run.progress import ProgressReporter
from planner.scenario.generate import write_national
from planner.scenario.loading import load_scenario

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = REPO_ROOT / "inputs" / "aspa-pilots-2015"

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3


def _echo_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input → every problem on stderr and exit 2; no feasible plan → exit 3."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            _echo_problems(exc.warnings + exc.problems)
            click.echo(f"{len(exc.problems)} error(s): nothing was written.", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except InfeasiblePlan as exc:
            for reason in exc.reasons:
                click.echo(f"infeasible: {reason}", err=True)
            sys.exit(EXIT_INFEASIBLE)

    return wrapper


DEMO_WORK_LIMIT = 3.0  # deterministic seconds per solver call in `planner demo`
work_limit_option = click.option(
    "--work-limit", type=click.FloatRange(min=0.01), default=None,
    help="Work budget per solver call, CP-SAT deterministic seconds: larger, better and slower; the same value "
         "gives the same plan on any load [default: scenario.toml [solver] work_limit].")
input_dir_argument = click.argument(
    "input_dir", type=click.Path(file_okay=False, path_type=Path), metavar="INPUT_DIR")
output_option = click.option(
    "-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path), required=True,
    help="Folder to write into (created if missing; files are replaced atomically).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aspa-planner")
def main() -> None:
    """Plan staffing, rosters and outreach days for shared customer-service points.

    Example:

        planner demo
    """


@main.command()
@input_dir_argument
@user_errors
def validate(input_dir: Path) -> None:
    """Check a scenario folder without solving anything.

    Prints every problem with its file, row and column; exits 2 if any is an error.

    Example:

        planner validate inputs/aspa-pilots-2015
    """
    scenario, warnings = load_scenario(input_dir)
    found = pipeline.validate_outreach(scenario)
    errors = [p for p in found if p.severity == "error"]
    if errors:
        raise ScenarioError(warnings + found)
    warnings = warnings + found
    _echo_problems(warnings)
    click.echo(
        f"{input_dir}: valid — {len(scenario.points)} points, {len(scenario.providers)} providers, "
        f"{len(scenario.advisors)} advisors, {len(scenario.officials)} officials, "
        f"{scenario.config.horizon.months} months from {scenario.config.horizon.start}"
        + (f"; {len(warnings)} warning(s)" if warnings else ""),
        err=True,
    )


@main.command()
@input_dir_argument
@output_option
@user_errors
def demand(input_dir: Path, output: Path) -> None:
    """Write the demand forecast: per month, per day and per interval.

    Writes demand_monthly.csv, demand_daily.csv and demand_intervals.csv into OUTPUT.

    Example:

        planner demand inputs/aspa-pilots-2015 -o outputs/pilots
    """
    scenario, warnings = load_scenario(input_dir)
    _echo_problems(warnings)
    run = pipeline.run_demand(scenario, output)
    for note in run.results["demand"].notes:
        click.echo(f"note: {note}", err=True)
    _echo_written(run.written, quiet=False)


def _echo_written(paths: list[Path], quiet: bool) -> None:
    if not quiet:
        for path in paths:
            click.echo(f"wrote {path}", err=True)


def _progress(quiet: bool) -> Callable[[str], None] | None:
    if quiet:
        return None
    return lambda message: click.echo(message, err=True)


quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")


@main.command()
@input_dir_argument
@output_option
@quiet_option
@user_errors
def staff(input_dir: Path, output: Path, quiet: bool) -> None:
    """Size advisors: requirement per interval, shifts per day, FTE per point and month.

    Writes staffing_intervals.csv, shifts.csv, staffing_summary.csv and summary.json
    (solver status, objective, bound, gap, time, input hash per point), plus the demand
    tables it was sized against.

    Example:

        planner staff inputs/aspa-pilots-2015 -o outputs/pilots
    """
    scenario, warnings = load_scenario(input_dir, purpose="staffing")
    _echo_problems(warnings)
    run = pipeline.run_staffing(scenario, output, _progress(quiet))
    _echo_written(run.written, quiet)
    click.echo(staffing_summary(scenario, run.results["staffing"]))


def plan_and_summarise(scenario: Any, output: Path, quiet: bool, execution: Execution | None = None,
                       resume: bool = False, pareto_k: int | None = None) -> None:
    executor = execution.executor() if execution is not None else None
    reporter = None if quiet else ProgressReporter(pipeline.STEPS)
    try:
        run = pipeline.run_plan(scenario, output, reporter, executor, resume, pareto_k=pareto_k)
    finally:
        if reporter is not None:
            reporter.close()
    for key, reason in run.manifest["failed_tasks"].items():
        click.echo(f"failed: {key}: {reason}", err=True)
    if run.outreach is not None:  # figures the run estimated, and the months it planned, are said, not hidden
        for warning in run.outreach.warnings:
            if warning.startswith("distances estimated"):
                click.echo(f"warning: {warning}", err=True)
        span = run.outreach.payload.get("horizon", {})
        click.echo(f"outreach planned {span.get('start')} – {span.get('end')}: {span.get('why')}", err=True)
    if not quiet:
        click.echo(f"wrote {len(run.written)} files to {output} (report.html, plan.xlsx, CSVs, charts/)", err=True)
    click.echo(plan_summary(scenario, run, output))


@dataclass(frozen=True)
class Execution:
    """Where independent pieces run: in this process, a local process pool, or Ray."""

    workers: int
    kind: str
    address: str | None

    @property
    def parallel(self) -> bool:
        return self.kind == "ray" or (self.kind == "process" and self.workers > 1)

    def executor(self) -> Executor:
        return make_executor(self.workers, self.kind, self.address)


def workers_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--workers, --executor and --address, handed to the command as one `execution` value."""

    @functools.wraps(command)
    def wrapper(*args: Any, workers: int, executor: str, address: str | None, **kwargs: Any) -> Any:
        return command(*args, execution=Execution(workers, executor, address), **kwargs)

    wrapper = click.option("--address", default=None,
                           help="Ray cluster address for --executor ray, e.g. 127.0.0.1:6379; default: a local Ray.")(wrapper)
    wrapper = click.option("--executor", type=click.Choice(["process", "ray", "serial"]), default="process",
                           show_default=True, help="Run independent pieces in a local process pool, on Ray, "
                           "or one after another here.")(wrapper)
    return click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
                        help="Processes (or local Ray CPUs) for independent pieces: each point or group of points "
                        "sharing advisors, each sample; 1 = in this process.")(wrapper)


@main.command()
@input_dir_argument
@output_option
@quiet_option
@workers_option
@click.option("--resume", is_flag=True, help="Reuse the pieces a previous run into OUTPUT finished (same inputs); "
              "compute only what is missing or failed.")
@click.option("--pareto", "pareto_k", type=click.IntRange(min=2, max=20), default=None,
              help="Also sweep the outreach access weight λ over K values: outreach/pareto.csv and a "
              "cost-against-access chart in the report.")
@user_errors
def plan(input_dir: Path, output: Path, quiet: bool, execution: Execution, resume: bool, pareto_k: int | None) -> None:
    """Run the whole pipeline: validate, demand, staffing, rosters, outreach; report.html, plan.xlsx, CSVs, manifest.json.

    Examples:

        planner plan inputs/aspa-pilots-2015 -o outputs/pilots

        planner plan inputs/aspa-pilots-2015 -o outputs/pilots --pareto 5 --workers 2
    """
    scenario, warnings = load_scenario(input_dir, purpose="staffing")
    _echo_problems(warnings)
    plan_and_summarise(scenario, output, quiet, execution, resume, pareto_k=pareto_k)


@main.command()
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("outputs/demo"), show_default=True, help="Folder to write into.")
@quiet_option
@user_errors
def demo(output: Path, quiet: bool) -> None:
    """`planner plan` on the embedded default scenario (the five 2015 pilot points).

    Example:

        planner demo -o outputs/demo
    """
    scenario, warnings = load_scenario(DEFAULT_SCENARIO, purpose="staffing")
    _echo_problems(warnings)
    plan_and_summarise(scenario, output, quiet)


@main.command("travel-cost")
@input_dir_argument
@click.option("--official", "official_id", required=True, help="official_id from officials.csv.")
@click.option("--point", "point_id", required=True, help="point_id from points.csv.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Day of the visit, YYYY-MM-DD: checked against the official's weekdays and holidays.")
@click.option("--appointments", type=click.IntRange(min=0), default=None,
              help="Appointments held; default: as many as fit in the day after driving.")
@click.option("--slot-minutes", type=click.FloatRange(min=1), default=20.0, show_default=True,
              help="Length of one appointment, minutes (police 15-20, register office 60, wedding 11).")
@click.option("--type", "appointment_type", default=None,
              help="Appointment type (appointment_types.csv or the defaults): its slot length, and no remote service "
                   "offered where the law requires presence (weddings, passports, …).")
@user_errors
def travel_cost(input_dir: Path, official_id: str, point_id: str, day: Any, appointments: int | None,
                slot_minutes: float, appointment_type: str | None) -> None:
    """Print the cost breakdown of one outreach visit, to check a case by hand.

    Car = round-trip km × km rate; salary = driving hours × hourly cost; productivity
    loss = hours served × (1 / field efficiency − 1) × hourly cost.

    Example:

        planner travel-cost inputs/aspa-pilots-2015 --official police-kemijarvi --point pelkosenniemi
    """
    scenario, _ = load_scenario(input_dir)
    warnings, text = travel_cost_report(scenario, official_id, point_id, day.date() if day else None, appointments,
                                        slot_minutes, appointment_type)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(text)


@main.command()
@input_dir_argument
@output_option
@click.option("--months", type=click.IntRange(min=1, max=36), default=None,
              help="Months to plan from the scenario's horizon start [default: scenario.toml [outreach] months, "
                   "else the whole horizon].")
@click.option("--pareto", "pareto_k", type=click.IntRange(min=1, max=20), default=None,
              help="Also sweep λ (access weight) over K values and write pareto.csv.")
@quiet_option
@user_errors
def outreach(input_dir: Path, output: Path, months: int | None, pareto_k: int | None, quiet: bool) -> None:
    """Plan officials' outreach days: who visits which point on which day, with how many appointments.

    Minimises official cost (car + travel salary + productivity loss) + λ × residents'
    access cost (trips to the office + days waiting for a visit), λ = [costs] access_weight.
    Writes visits.csv, visits.ics, access.csv, summary.json (status, objective, best bound,
    gap, status-quo comparison, independent plan check) and, with --pareto K, pareto.csv.

    Example:

        planner outreach inputs/aspa-pilots-2015 -o outputs/outreach --months 3 --pareto 5
    """
    scenario, warnings = load_scenario(input_dir, purpose="outreach")
    _echo_problems(warnings)
    run = pipeline.run_outreach(scenario, output, months, pareto_k, _progress(quiet))
    result = run.results["outreach"]
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    _echo_written(run.written, quiet)
    payload = result.payload
    span = payload.get("horizon", {})
    click.echo(f"outreach planned {span.get('start')} – {span.get('end')}: {span.get('why')}", err=True)
    click.echo(f"outreach: {payload['status']}, objective {payload['objective']} € at access weight λ = "
               f"{payload['access_weight']:g}, bound {payload['best_bound']} €, {payload['trips']} trips, "
               f"official cost {payload['official_cost_eur']} €, access cost {payload['access_cost_eur']} €")


@main.command()
def schema() -> None:
    """Print the input contract: every scenario file and column with its type, unit and default (Markdown).

    The same reference as inputs/README.md's "Column reference", made from the schemas themselves.

    Example:

        planner schema > columns.md
    """
    from planner.scenario.schema_doc import render

    click.echo(render())


@main.group()
def generate() -> None:
    """Generate scenarios.

    Example:

        planner generate national -o inputs/finland-national
    """


@generate.command("national")
@output_option
@click.option("--template", "template_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_SCENARIO, show_default="the embedded default",
              help="Scenario whose rates per resident, seasonality, trends and settings are used.")
@click.option("--min-population", type=click.IntRange(min=0), default=2000, show_default=True,
              help="Smallest place that gets a service point, residents.")
@click.option("--spacing-km", type=click.FloatRange(min=0), default=15.0, show_default=True,
              help="A place this close to a larger chosen one is served by it, km.")
@click.option("--max-points", type=click.IntRange(min=1), default=None, help="Stop after this many points.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the local demand variation.")
@click.option("--places", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Places JSON (GeoNames extract); default: the bundled one.")
@user_errors
def generate_national(output: Path, template_dir: Path, min_population: int, spacing_km: float,
                      max_points: int | None, seed: int, places: Path | None) -> None:
    """Write a national scenario: a point per town, offices in regional centres, demand per resident.

    Deterministic from --seed. Places: GeoNames (geonames.org, CC BY 4.0).

    Example:

        planner generate national -o inputs/finland-national --min-population 5000
    """
    template, _ = load_scenario(template_dir)
    paths = write_national(template, template_dir, output, min_population=min_population, spacing_km=spacing_km,
                           max_points=max_points, seed=seed, places=places)
    scenario, warnings = load_scenario(output)
    _echo_problems(warnings)
    click.echo(f"wrote {len(paths)} files to {output}: {len(scenario.points)} points, {len(scenario.offices)} offices, "
               f"{len(scenario.advisors)} advisors, {len(scenario.officials)} officials", err=True)


@main.command()
@click.argument("base_dir", type=click.Path(file_okay=False, path_type=Path), metavar="BASE_DIR")
@click.argument("variant_dir", type=click.Path(file_okay=False, path_type=Path), metavar="VARIANT_DIR")
@output_option
@click.option("--outreach/--no-outreach", "with_outreach", default=True, show_default=True,
              help="Also plan both scenarios' outreach (when they have officials) and compare cost and access.")
@click.option("--months", type=click.IntRange(min=1, max=12), default=None,
              help="Outreach horizon in months [default: [outreach] months, else the scenario's horizon].")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Wall-clock cap per outreach solve, seconds [default: scenario.toml [solver] time_limit_seconds].")
@work_limit_option
@quiet_option
@workers_option
@user_errors
def compare(base_dir: Path, variant_dir: Path, output: Path, with_outreach: bool, months: int | None,
            time_limit: float | None, work_limit: float | None, quiet: bool, execution: Execution) -> None:
    """Compare a what-if variant with its base: FTE, counter workload, outreach cost and access.

    A variant folder may hold only the files it changes plus variant.toml (base = "../path").
    Writes compare_fte.csv, compare_workload.csv, compare_outreach_costs.csv,
    compare_outreach_access.csv and compare.html (with charts/).

    Examples:

        planner compare inputs/aspa-pilots-2015 inputs/variants/saarijarvi-kela-closes -o outputs/whatif

        planner compare inputs/variants/pelkosenniemi-police-monthly inputs/variants/pelkosenniemi-police-fortnightly -o outputs/fortnightly
    """
    from planner.whatif.compare import run_compare

    base, base_warnings = load_scenario(base_dir, purpose="staffing")
    variant, variant_warnings = load_scenario(variant_dir, purpose="staffing")
    _echo_problems(base_warnings + variant_warnings)
    base, variant = with_work_limit(base, work_limit), with_work_limit(variant, work_limit)
    written, text = run_compare(base, variant, base_dir.name, variant_dir.name, output, with_outreach, months,
                                time_limit, execution.executor(), _progress(quiet))
    _echo_written(written, quiet)
    click.echo(text)


@main.command()
@input_dir_argument
@output_option
@click.option("--samples", type=click.IntRange(min=1), default=20, show_default=True, help="Demand scenarios to draw.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed: the same seed gives the same samples.")
@click.option("--variants", "variants_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV of what-ifs (office closures, visit frequencies, variant folders; see inputs/README.md): "
              "size each against the base instead of drawing samples.")
@click.option("--outreach-months", type=click.IntRange(min=1, max=12), default=None,
              help="With --variants: also plan outreach for this many months and compare its cost and access.")
@quiet_option
@workers_option
@user_errors
def sweep(input_dir: Path, output: Path, samples: int, seed: int, variants_file: Path | None,
          outreach_months: int | None, quiet: bool, execution: Execution) -> None:
    """Size many drawn demand scenarios: FTE needed at 50/80/95 % and the chance the staff suffices.

    Trends and closure shares are drawn from their ranges in providers.csv and closures.csv,
    each month's customers per point and provider from a Poisson distribution around the forecast.
    Writes sweep_samples.csv and sweep_fte.csv.

    With --variants FILE: the base and each what-if of FILE are tasks of the same executor;
    writes sweep_variants.csv (FTE per variant, point and month against the base) and, with
    --outreach-months, sweep_variants_outreach.csv (outreach cost and access against the base).

    Example:

        planner sweep inputs/aspa-pilots-2015 --samples 50 --workers 2 -o outputs/sweep

        planner sweep inputs/aspa-pilots-2015 --variants inputs/variants/what-ifs.csv --workers 2 -o outputs/whatifs
    """
    scenario, warnings = load_scenario(input_dir, purpose="staffing")
    _echo_problems(warnings)
    if variants_file is not None:
        from planner.scenario.variants import read_variants
        from planner.whatif.variant_sweep import run_variant_sweep

        if outreach_months and outreach_months > scenario.config.horizon.months:
            raise click.BadParameter(f"{outreach_months} is longer than the scenario's horizon of "
                                     f"{scenario.config.horizon.months} months", param_hint="--outreach-months")
        written, text, failed = run_variant_sweep(scenario, read_variants(variants_file, scenario),
                                                  execution.executor(), output, variants_file.name, outreach_months)
    else:
        from planner.whatif.sweep import run_sample_sweep

        written, text, failed = run_sample_sweep(scenario, samples, execution.executor(), output, seed)
    for key, reason in failed.items():
        click.echo(f"failed: {key}: {reason}", err=True)
    _echo_written(written, quiet)
    click.echo(text)


# ------------------------------------------------------------------ rosters (issue #4)
# Kept as one block so that other commands can be added above without merge conflicts.


def _roster_period_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--weeks", type=click.IntRange(1, 8), default=None,
                           help="Roster length, weeks (default: scenario.toml [roster] weeks, 4).")(command)
    return click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None,
                        help="First day of the roster, YYYY-MM-DD (default: the horizon start).")(command)


@main.command()
@input_dir_argument
@output_option
@_roster_period_options
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Wall-clock cap per point group, seconds (default: scenario.toml [solver] time_limit_seconds).")
@work_limit_option
@quiet_option
@user_errors
def roster(input_dir: Path, output: Path, start: Any, weeks: int | None, time_limit: float | None,
           work_limit: float | None, quiet: bool) -> None:
    """Roster named advisors: who works which shift at which point, day by day.

    Writes roster.csv (date, point, advisor, start, end, break, paid hours, providers covered),
    roster_by_advisor.csv (hours vs contract, closing shifts, Saturdays), violations.csv (every
    soft-rule breach in words) and summary.json (status, objective, best bound, gap, time).
    Exits 3, naming the conflicting rules, when no roster satisfies the hard rules.

    Example:

        planner roster inputs/aspa-pilots-2015 -o outputs/roster --weeks 4
    """
    from planner.rosters.roster import describe_status

    scenario, warnings = load_scenario(input_dir, purpose="roster")
    _echo_problems(warnings)
    scenario = with_work_limit(scenario, work_limit)
    run = pipeline.run_roster(scenario, output, start.date() if start else None, weeks, time_limit, _progress(quiet))
    _echo_written(run.written, quiet)
    for group in run.results["roster"].groups:
        click.echo(f"{'+'.join(group.points)}: {describe_status(group.solution)}, "
                   f"{len(group.solution.violations)} violation(s)")


@main.command()
@input_dir_argument
@click.argument("roster_csv", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="ROSTER.csv")
@_roster_period_options
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write every finding to this CSV file.")
@user_errors
def check(input_dir: Path, roster_csv: Path, start: Any, weeks: int | None, output: Path | None) -> None:
    """Score a roster CSV against the scenario without the solver: hard breaches and soft penalties.

    Prints the hard breaches, the penalty per rule and the objective; exits 3 when a hard rule
    is broken. The roster may come from `planner roster` or be edited by hand. The period is
    --from/--weeks, else the one in the summary.json next to the roster, else the defaults.

    Example:

        planner check inputs/aspa-pilots-2015 outputs/roster/roster.csv
    """
    scenario, warnings = load_scenario(input_dir, purpose="roster")
    _echo_problems(warnings)
    result = pipeline.run_check(scenario, roster_csv, start.date() if start else None, weeks, output)
    for finding in result.hard:
        click.echo(f"hard: {finding.message}")
    table = result.table()
    soft = table[table["severity"] == "soft"].groupby("family")["penalty"].agg(["count", "sum"])
    for family, row in soft.iterrows():
        click.echo(f"soft: {family}: {row['count']} breach(es), penalty {row['sum']}")
    click.echo(f"objective {result.objective}; {len(result.hard)} hard breach(es)")
    if result.hard:
        sys.exit(EXIT_INFEASIBLE)
