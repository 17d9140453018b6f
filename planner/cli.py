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
from planner.base.text import quantity
from planner.outputs.i18n import Words
from planner.outputs.text import plan_summary, staffing_summary, travel_cost_report
from planner.outputs.text import points as penalty_points
from planner.run import pipeline
from planner.run.progress import ProgressReporter, Ticker
from planner.scenario.generate import write_national
from planner.scenario.loading import in_reading_order, load_scenario
from planner.scenario.schemas import MAX_MONTHS
from planner.whatif.sweep import headline_samples

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = REPO_ROOT / "inputs" / "aspa-pilots-2015"

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3


def _echo_problems(problems: list[Problem]) -> None:
    for problem in in_reading_order(problems):
        click.echo(str(problem), err=True)


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input → every problem on stderr and exit 2; no feasible plan → exit 3."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            _echo_problems(exc.warnings + exc.problems)
            # "nothing was written" only where the command was to write (validate, travel-cost, check without -o
            # write nothing anyway: the trial read it as a hint that validate writes)
            writes = kwargs.get("output") is not None
            click.echo(f"{quantity(len(exc.problems), 'error')}" + (": nothing was written." if writes else "."),
                       err=True)
            sys.exit(EXIT_BAD_INPUT)
        except InfeasiblePlan as exc:
            for reason in exc.reasons:
                click.echo(f"infeasible: {reason}", err=True)
            sys.exit(EXIT_INFEASIBLE)

    return wrapper


# Every --months of outreach: as many as scenario.toml [outreach] months allows, with click's one wording.
MONTHS_RANGE = click.IntRange(min=1, max=MAX_MONTHS)

work_limit_option = click.option(
    "--work-limit", type=click.FloatRange(min=0.01), default=None,
    help="Work budget per solver call, CP-SAT deterministic seconds: larger, better and slower; the same value "
         "gives the same plan on any load [default: scenario.toml [solver] work_limit].")
input_dir_argument = click.argument(
    "input_dir", type=click.Path(file_okay=False, path_type=Path), metavar="INPUT_DIR")
output_option = click.option(
    "-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path), required=True,
    help="Folder to write into (created if missing; this command's earlier result there is replaced as a whole, "
         "atomically).")
# A folder holds one run's result: another command's is refused (exit 2) unless the user says to replace it (the
# trial: `planner outreach -o` into a plan's folder silently replaced the plan).
force_option = click.option(
    "--force", is_flag=True,
    help="Replace OUTPUT even when it holds another command's result (a plan, an outreach plan, visit logs…); "
         "without it such a folder is refused (exit 2).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aspa-planner")
def main() -> None:
    """Plan staffing, rosters and outreach days for shared customer-service points.

    Example:

    \b
        planner demo
    """


@main.command()
@input_dir_argument
@user_errors
def validate(input_dir: Path) -> None:
    """Check a scenario folder without solving anything.

    Prints every problem with its file, row and column; exits 2 if any is an error.

    Example:

    \b
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
        f"{quantity(scenario.config.horizon.months, 'month')} from {scenario.config.horizon.start}"
        + (f"; {quantity(len(warnings), 'warning')}" if warnings else ""),
        err=True,
    )


@main.command()
@input_dir_argument
@output_option
@force_option
@user_errors
def demand(input_dir: Path, output: Path, force: bool) -> None:
    """Write the demand forecast: per month, per day and per interval.

    Writes demand_monthly.csv, demand_daily.csv and demand_intervals.csv into OUTPUT.

    Example:

    \b
        planner demand inputs/aspa-pilots-2015 -o outputs/pilots
    """
    scenario, warnings = load_scenario(input_dir)
    _echo_problems(warnings)
    run = pipeline.run_demand(scenario, output, replace=force)
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


class _Silent:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _ticker(label: str, quiet: bool) -> Any:
    """Elapsed time on stderr while a long command runs (nothing with --quiet)."""
    return _Silent() if quiet else Ticker(label)


quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")


@main.command()
@input_dir_argument
@output_option
@force_option
@quiet_option
@user_errors
def staff(input_dir: Path, output: Path, force: bool, quiet: bool) -> None:
    """Size advisors: requirement per interval, shifts per day, FTE per point and month.

    Writes staffing_intervals.csv, shifts.csv, staffing_summary.csv and summary.json
    (solver status, objective, bound, gap, time, input hash per point), plus the demand
    tables it was sized against.

    Example:

    \b
        planner staff inputs/aspa-pilots-2015 -o outputs/pilots
    """
    scenario, warnings = load_scenario(input_dir, purpose="staffing")
    _echo_problems(warnings)
    run = pipeline.run_staffing(scenario, output, _progress(quiet), replace=force)
    _echo_written(run.written, quiet)
    click.echo(staffing_summary(scenario, run.results["staffing"]))


def plan_and_summarise(scenario: Any, output: Path, quiet: bool, execution: Execution | None = None,
                       resume: bool = False, pareto_k: int | None = None, options: PlanOptions | None = None,
                       records: Any = None, warnings: list[Problem] | None = None, replace: bool = False) -> None:
    options = options or PlanOptions()
    scenario = with_work_limit(scenario, options.work_limit)
    executor = execution.executor() if execution is not None else None
    reporter = None if quiet else ProgressReporter(pipeline.STEPS)
    try:
        samples, table = headline_samples(scenario, options.samples, options.sweep_dir, executor, options.seed,
                                          reporter)
        run = pipeline.run_plan(scenario, output, reporter, executor, resume, pareto_k=pareto_k, lang=options.lang,
                                samples=samples, sweep_table=table, time_limit=options.time_limit,
                                report_hook=records.add_to_report if records is not None else None,
                                input_warnings=warnings or (), replace=replace)
    finally:
        if reporter is not None:
            reporter.close()
    if run.manifest["wall_clock_capped"] and not quiet:  # with --quiet the manifest still says so
        click.echo(f"warning: the wall-clock cap ([solver] time_limit_seconds) stopped {', '.join(run.manifest['wall_clock_capped'])} "
                   "before the work budget: this plan depends on the machine's load and is not repeatable", err=True)
    if run.outreach is not None and not quiet:  # as `planner outreach` says them (estimated distances, unmet customers…)
        for warning in run.outreach.warnings:
            click.echo(f"warning: {warning}", err=True)
        span = run.outreach.payload.get("horizon", {})
        click.echo(f"outreach planned {span.get('start')} – {span.get('end')}: {span.get('why')}", err=True)
    if not quiet:
        click.echo(f"wrote {len(run.written)} files to {output} (report.html, plan.xlsx, CSVs, charts/, calendars)",
                   err=True)
    click.echo(plan_summary(scenario, run, output))
    if records is not None:
        click.echo("")
        click.echo("\n".join(records.summary_lines()))
    failed = run.manifest["failed_tasks"]
    if failed:  # everything else is written (manifest: INCOMPLETE); exit 3 as `planner roster` does, with the reasons
        rostered = {k: v for k, v in failed.items() if k.startswith("roster:")}
        reasons = pipeline.failed_reasons(scenario, run.roster, rostered, None) if run.roster is not None else []
        named = {line.split(":")[0] for line in reasons}
        reasons += [f"{key}: {reason}" for key, reason in failed.items()
                    if key.removeprefix("roster:") not in named]
        raise InfeasiblePlan(reasons)


@dataclass(frozen=True)
class PlanOptions:
    """What `plan` and `demo` add to the pipeline: language, demand samples or a sweep folder, a work budget, a time cap."""

    lang: str | None = None
    samples: int | None = None
    sweep_dir: Path | None = None
    time_limit: float | None = None
    work_limit: float | None = None
    seed: int = 0


def plan_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--lang, --samples, --sweep, --work-limit and --time-limit of `plan` and `demo`, handed on as one `options` value."""

    @functools.wraps(command)
    def wrapper(*args: Any, lang: str | None, samples: int | None, sweep_dir: Path | None, time_limit: float | None,
                work_limit: float | None, **kwargs: Any) -> Any:
        return command(*args, options=PlanOptions(lang, samples, sweep_dir, time_limit, work_limit), **kwargs)

    wrapper = work_limit_option(wrapper)
    wrapper = click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
                           help="Cap on every solver call, seconds [default: scenario.toml [solver] "
                           "time_limit_seconds].")(wrapper)
    wrapper = click.option("--sweep", "sweep_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
                           default=None, help="Folder of a `planner sweep` run: its samples give the headline's "
                           "probability that today's staff suffices.")(wrapper)
    wrapper = click.option("--samples", type=click.IntRange(min=1, max=500), default=None,
                           help="Also size N drawn demand scenarios (as `planner sweep`) for the headline's "
                           "probability that today's staff suffices; 20 is a good start.")(wrapper)
    return click.option("--lang", type=click.Choice(["fi", "sv", "en"]), default=None,
                        help="Language of the report, workbook, week rosters and calendars [default: scenario.toml "
                        "[report] language, else en].")(wrapper)


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


PARETO_RANGE = click.IntRange(min=2, max=20)  # one range for `plan` and `outreach`: a curve needs two points


@main.command()
@input_dir_argument
@output_option
@force_option
@quiet_option
@workers_option
@plan_options
@click.option("--resume", is_flag=True, help="Reuse the pieces a previous run into OUTPUT finished (same inputs); "
              "compute only what is missing or failed.")
@click.option("--pareto", "pareto_k", type=PARETO_RANGE, default=None,
              help="Also sweep the outreach access weight λ over K values (2-20): outreach/pareto.csv and a "
              "cost-against-access chart in the report.")
@click.option("--records", "logs", type=click.Path(path_type=Path), multiple=True,
              help="Visit logs (files or folders; repeat the option): plan on demand fitted from them (the variant is "
              "written to OUTPUT/fit) and add the fit, backtest and a replay of the roster to the report.")
@user_errors
def plan(input_dir: Path, output: Path, force: bool, quiet: bool, execution: Execution, resume: bool,
         pareto_k: int | None, logs: tuple[Path, ...], options: PlanOptions) -> None:
    """Run the whole pipeline: validate, demand, staffing, rosters, outreach; report.html, plan.xlsx, CSVs, calendars.

    The report and the workbook open with the headline: persons, FTE and € a year per point,
    what each provider compensates, outreach cost against the status quo, the three largest
    risks. Week rosters (roster/week_grid.csv), one calendar per advisor (roster/calendars/)
    and per official (outreach/calendars/), a map of the trips.

    Examples:

    \b
        planner plan inputs/aspa-pilots-2015 -o outputs/pilots
        planner plan inputs/aspa-pilots-2015 -o outputs/pilots --lang fi
        planner plan inputs/aspa-pilots-2015 -o outputs/pilots --samples 20 --work-limit 5
        planner plan inputs/aspa-pilots-2015 -o outputs/pilots --pareto 5 --workers 2

        planner plan inputs/aspa-pilots-2015 -o outputs/pilots --records logs/
    """
    scenario, warnings = load_scenario(input_dir, purpose="staffing")
    _echo_problems(warnings)
    records = None
    if logs:
        from planner.records.run import Mapping, prepare_records_plan

        records = prepare_records_plan(list(logs), input_dir, output, Mapping())
        scenario = records.scenario
    plan_and_summarise(scenario, output, quiet, execution, resume, pareto_k=pareto_k, options=options,
                       records=records, warnings=warnings, replace=force)


@main.command()
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("outputs/demo"), show_default=True, help="Folder to write into.")
@force_option
@quiet_option
@plan_options
@user_errors
def demo(output: Path, force: bool, quiet: bool, options: PlanOptions) -> None:
    """`planner plan` on the embedded default scenario (the five 2015 pilot points).

    It is `planner plan inputs/aspa-pilots-2015 --records OUTPUT-records`: three years of
    visit logs generated for the pilots (kept in OUTPUT-records, beside OUTPUT) are fitted,
    so the report also shows the fit, the backtest and a replay of the roster.

    Examples:

    \b
        planner demo -o outputs/demo
        planner demo -o outputs/demo-fi --lang fi --work-limit 3
    """
    from planner.records.run import Mapping, generate_command, prepare_records_plan

    # The pilots' demand fitted from three years of generated visit logs (planner generate records),
    # kept beside the output so that `planner fit`, `backtest` and `replay` can be tried on them.
    logs_dir = output.parent / f"{output.name}-records"
    logs = generate_command(DEFAULT_SCENARIO, logs_dir, years=3, seed=0, replace=force)
    if not quiet:
        click.echo(f"generated {logs.visits} visits {logs.first_month}..{logs.last_month} in {logs_dir}", err=True)
    records = prepare_records_plan([logs_dir], DEFAULT_SCENARIO, output, Mapping(),
                                   models=("fitted", "seasonal_naive", "typed_in"), samples=5)
    plan_and_summarise(records.scenario, output, quiet, options=options, records=records, replace=force)


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
@click.option("--nights", type=click.IntRange(min=1, max=4), default=1, show_default=True,
              help="Hotel nights of the overnight trip shown when a day trip does not fit or costs more per "
                   "appointment.")
@user_errors
def travel_cost(input_dir: Path, official_id: str, point_id: str, day: Any, appointments: int | None,
                slot_minutes: float, appointment_type: str | None, nights: int) -> None:
    """Print the cost breakdown of one outreach visit, to check a case by hand.

    Car = round-trip km × km rate; salary = driving hours × hourly cost; productivity
    loss = hours served × (1 / field efficiency − 1) × hourly cost. Where a day cannot hold the
    drive and the service, or an overnight trip costs less per appointment, the overnight trip
    too: hotel = nights × [costs] hotel_eur_per_night, per diem by the Tax Administration's rule.

    Example:

    \b
        planner travel-cost inputs/aspa-pilots-2015 --official police-kemijarvi --point pelkosenniemi
    """
    scenario, _ = load_scenario(input_dir)
    warnings, text = travel_cost_report(scenario, official_id, point_id, day.date() if day else None, appointments,
                                        slot_minutes, appointment_type, nights)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(text)


@main.command()
@input_dir_argument
@output_option
@force_option
@click.option("--months", type=MONTHS_RANGE, default=None,
              help="Months to plan from the scenario's horizon start [default: scenario.toml [outreach] months, "
                   "else the whole horizon].")
@click.option("--pareto", "pareto_k", type=PARETO_RANGE, default=None,
              help="Also sweep λ (access weight) over K values (2-20) and write pareto.csv.")
@work_limit_option
@quiet_option
@workers_option
@user_errors
def outreach(input_dir: Path, output: Path, force: bool, months: int | None, pareto_k: int | None,
             work_limit: float | None, quiet: bool, execution: Execution) -> None:
    """Plan officials' outreach days: who visits which point on which day, with how many appointments.

    Minimises official cost (car + travel salary + productivity loss, + hotel
    and per diem of overnight trips) + λ × residents'
    access cost (trips to the office + days waiting for a visit), λ = [costs] access_weight.
    Writes visits.csv, visits.ics, access.csv, summary.json (status, objective, best bound,
    gap, status-quo comparison, independent plan check) and, with --pareto K, pareto.csv.

    Example:

    \b
        planner outreach inputs/aspa-pilots-2015 -o outputs/outreach --months 3 --pareto 5

    A scenario of more than 30 points is planned in areas (a provider's home office and its nearest
    points); --workers N plans N areas at a time, the same plan as in one process.
    """
    scenario, warnings = load_scenario(input_dir, purpose="outreach")
    _echo_problems(warnings)
    run = pipeline.run_outreach(with_work_limit(scenario, work_limit), output, months, pareto_k, _progress(quiet),
                                executor=execution.executor(), replace=force)
    result = run.results["outreach"]
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    _echo_written(run.written, quiet)
    payload = result.payload
    span = payload.get("horizon", {})
    click.echo(f"outreach planned {span.get('start')} – {span.get('end')}: {span.get('why')}", err=True)
    click.echo(f"outreach: {payload['status']}, objective {payload['objective']} € at access weight λ = "
               f"{payload['access_weight']:g}, bound {payload['best_bound']} €, {quantity(payload['trips'], 'trip')}, "
               f"official cost {payload['official_cost_eur']} €, access cost {payload['access_cost_eur']} €, "
               f"{quantity(payload.get('video_customers', 0), 'customer')} by video "
               f"({quantity(payload.get('video_hours', 0), 'official hour')})")
    if payload.get("visits") == 0:  # λ = 0, or no visit pays: said, not left to a "0 trips" to read
        click.echo(Words("en").no_visits(payload))


@main.command()
def schema() -> None:
    """Print the input contract: every scenario file and column with its type, unit and default (Markdown).

    The same reference as inputs/README.md's "Column reference", made from the schemas themselves.

    Example:

    \b
        planner schema > columns.md
    """
    from planner.scenario.schema_doc import render

    click.echo(render())


@main.group()
def generate() -> None:
    """Generate scenarios.

    Example:

    \b
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

    \b
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
@force_option
@click.option("--outreach/--no-outreach", "with_outreach", default=True, show_default=True,
              help="Also plan both scenarios' outreach (when they have officials) and compare cost and access.")
@click.option("--months", type=MONTHS_RANGE, default=None,
              help="Outreach horizon in months [default: [outreach] months, else the scenario's horizon].")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Wall-clock cap per outreach solve, seconds [default: scenario.toml [solver] time_limit_seconds].")
@work_limit_option
@quiet_option
@workers_option
@user_errors
def compare(base_dir: Path, variant_dir: Path, output: Path, force: bool, with_outreach: bool, months: int | None,
            time_limit: float | None, work_limit: float | None, quiet: bool, execution: Execution) -> None:
    """Compare a what-if variant with its base: FTE, counter workload, outreach cost and access.

    A variant folder may hold only the files it changes plus variant.toml (base = "../path").
    Writes compare_fte.csv, compare_workload.csv, compare_outreach_costs.csv,
    compare_outreach_access.csv and compare.html (with charts/).

    Examples:

    \b
        planner compare inputs/aspa-pilots-2015 inputs/variants/saarijarvi-kela-closes -o outputs/whatif

    \b
        planner compare inputs/variants/pelkosenniemi-police-monthly inputs/variants/pelkosenniemi-police-fortnightly -o outputs/fortnightly
    """
    from planner.whatif.compare import run_compare

    base, base_warnings = load_scenario(base_dir, purpose="staffing")
    variant, variant_warnings = load_scenario(variant_dir, purpose="staffing")
    _echo_problems(base_warnings + variant_warnings)
    base, variant = with_work_limit(base, work_limit), with_work_limit(variant, work_limit)
    with _ticker("compare", quiet) as ticker:
        written, text = run_compare(base, variant, base_dir.name, variant_dir.name, output, with_outreach, months,
                                    time_limit, execution.executor(), ticker, replace=force)
    _echo_written(written, quiet)
    click.echo(text)


@main.command()
@input_dir_argument
@output_option
@force_option
@click.option("--samples", type=click.IntRange(min=1), default=20, show_default=True, help="Demand scenarios to draw.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed: the same seed gives the same samples.")
@click.option("--variants", "variants_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV of what-ifs (office closures, visit frequencies, variant folders; see inputs/README.md): "
              "size each against the base instead of drawing samples.")
@click.option("--outreach-months", type=MONTHS_RANGE, default=None,
              help="With --variants: also plan outreach for this many months and compare its cost and access.")
@quiet_option
@workers_option
@user_errors
def sweep(input_dir: Path, output: Path, force: bool, samples: int, seed: int, variants_file: Path | None,
          outreach_months: int | None, quiet: bool, execution: Execution) -> None:
    """Size many drawn demand scenarios: FTE needed at 50/80/95 % and the chance the staff suffices.

    Trends and closure shares are drawn from their ranges in providers.csv and closures.csv,
    each month's customers per point and provider from a Poisson distribution around the forecast.
    Writes sweep_samples.csv and sweep_fte.csv.

    With --variants FILE: the base and each what-if of FILE are tasks of the same executor;
    writes sweep_variants.csv (FTE per variant, point and month against the base) and, with
    --outreach-months, sweep_variants_outreach.csv (outreach cost and access against the base).

    Example:

    \b
        planner sweep inputs/aspa-pilots-2015 --samples 50 --workers 2 -o outputs/sweep

    \b
        planner sweep inputs/aspa-pilots-2015 --variants inputs/variants/what-ifs.csv --workers 2 -o outputs/whatifs
    """
    scenario, warnings = load_scenario(input_dir, purpose="staffing")
    _echo_problems(warnings)
    if variants_file is not None:
        from planner.scenario.variants import read_variants
        from planner.whatif.variant_sweep import run_variant_sweep

        if outreach_months and outreach_months > scenario.config.horizon.months:
            raise click.BadParameter(f"{outreach_months} is longer than the scenario's horizon of "
                                     f"{quantity(scenario.config.horizon.months, 'month')}", param_hint="--outreach-months")
        with _ticker(f"sweep: {variants_file.name}", quiet):
            written, text, failed = run_variant_sweep(scenario, read_variants(variants_file, scenario),
                                                      execution.executor(), output, variants_file.name, outreach_months,
                                                      replace=force)
    else:
        from planner.whatif.sweep import run_sample_sweep

        with _ticker(f"sweep: sizing {samples} demand samples on {quantity(execution.workers, 'worker')}", quiet):
            written, text, failed = run_sample_sweep(scenario, samples, execution.executor(), output, seed,
                                                     replace=force)
    for key, reason in failed.items():
        click.echo(f"failed: {key}: {reason}", err=True)
    _echo_written(written, quiet)
    click.echo(text)


# ------------------------------------------------------------------ rosters (issue #4)
# Kept as one block so that other commands can be added above without merge conflicts.


def _roster_period_options(command: Callable[..., Any], checked: bool = False) -> Callable[..., Any]:
    """--from and --weeks; `checked`: of `planner check`, whose defaults are the period in the summary.json beside the
    roster first (README.md, "Outputs of planner roster", says the same order)."""
    beside = "the period in the summary.json beside the roster, else " if checked else ""
    command = click.option("--weeks", type=click.IntRange(min=1), default=None,
                           help=f"Roster length, weeks from --from, the last one cut at the horizon end (default: {beside}"
                                "scenario.toml [roster] weeks, else to the horizon end: the whole horizon); a roster "
                                "longer than [roster] period_weeks (default 3) is made of work periods.")(command)
    return click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None,
                        help=f"First day of the roster, YYYY-MM-DD (default: {beside}the horizon start).")(command)


def _checked_period_options(command: Callable[..., Any]) -> Callable[..., Any]:
    return _roster_period_options(command, checked=True)


@main.command()
@input_dir_argument
@output_option
@force_option
@_roster_period_options
@click.option("--keep", "keep", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              metavar="ROSTER.csv",
              help="Re-plan this published roster from --from on: shifts before that day and rows with "
                   "fixed = yes stay, the rest change as little as the rules need ([roster] change_weight); "
                   "writes changes.csv. The period is the roster's own (its summary.json, else --weeks).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Wall-clock cap per point group, seconds (default: scenario.toml [solver] time_limit_seconds).")
@work_limit_option
@workers_option
@quiet_option
@user_errors
def roster(input_dir: Path, output: Path, force: bool, start: Any, weeks: int | None, keep: Path | None, time_limit: float | None,
           work_limit: float | None, execution: Execution, quiet: bool) -> None:
    """Roster named advisors: who works which shift at which point, day by day.

    Writes roster.csv (date, point, advisor, start, end, break, paid hours, providers covered),
    roster_by_advisor.csv (hours vs contract, closing shifts, Saturdays), violations.csv (every
    soft-rule breach in words) and summary.json (status, objective, best bound, gap, time).
    Every point group with a roster is written; a group whose hard rules clash (or that found
    no roster) is named with the conflicting rules and the command exits 3. Point groups run
    in parallel with --workers N (the same roster as one by one).

    With --keep ROSTER.csv --from DATE it re-plans a published roster (someone fell ill: add
    the absence to absences.csv first) and writes changes.csv, each changed advisor-day with
    its shift before and after.

    Examples:

    \b
        planner roster inputs/aspa-pilots-2015 -o outputs/roster --weeks 4
        planner roster inputs/aspa-pilots-2015 -o outputs/year --weeks 53 --workers 2
        planner roster inputs/aspa-pilots-2015 -o outputs/replan --keep outputs/roster/roster.csv --from 2015-01-14
    """
    from planner.rosters.roster import describe_status, violations_table
    from planner.rosters.roster import summary_payload as roster_summary

    if keep is not None and start is None:
        raise click.UsageError("--keep needs --from DATE: the first day to re-plan (the days before it stay as kept)")
    scenario, warnings = load_scenario(input_dir, purpose="roster")
    _echo_problems(warnings)
    scenario = with_work_limit(scenario, work_limit)
    kept = pipeline.kept_roster(scenario, keep, start.date(), weeks) if keep is not None else None
    run = pipeline.run_roster(scenario, output, None if kept else start.date() if start else None, weeks, time_limit,
                              _progress(quiet), kept, execution.executor(), keep, replace=force)
    _echo_written(run.written, quiet)
    rostered = run.results["roster"]
    if not quiet:
        chosen = ("--keep (the kept roster's period)" if kept else
                  " ".join(o for o, v in (("--from", start), ("--weeks", weeks)) if v) or None)
        click.echo(f"rostered {pipeline.roster_period_words(scenario, rostered.dates, chosen)}", err=True)
    for group in rostered.groups:
        click.echo(f"{'+'.join(group.points)}: {describe_status(group.solution)}, "
                   f"{quantity(len(group.solution.violations), 'soft breach', 'soft breaches')}"
                   + _periods_words(group))
    if len(rostered.groups) > 1:  # the whole roster's figures, as summary.json gives them
        total = roster_summary(rostered)
        click.echo(f"all groups: objective {total['objective']:.10g} penalty points, best bound "
                   f"{total['best_bound']:.10g}, gap {100 * total['gap']:.1f} %")
    roster_run = run.results["roster"]
    breaches = sum(len(group.solution.violations) for group in roster_run.groups)
    click.echo(f"violations.csv: {quantity(len(violations_table(roster_run)), 'row')} for "
               f"{quantity(breaches, 'soft breach', 'soft breaches')} "
               "(a row merges consecutive intervals of one breach)")
    if kept is not None:
        changes = run.results["changes"]
        click.echo(f"re-planned from {kept.replan_from}: {quantity(len(changes), 'advisor-day')} changed"
                   + ("" if changes.empty else " — " + ", ".join(
                       f"{name} {n}" for name, n in changes.groupby("name").size().items())))
        _echo_replan_short(scenario, run.results)
    if run.failed:  # the other groups' rosters are written; this one is named with its rules (exit 3)
        raise InfeasiblePlan(pipeline.failed_reasons(scenario, rostered, run.failed, kept))


def _periods_words(group) -> str:
    """Of a roster in work periods: how many periods are proven optimal given the periods before them, and why the
    whole roster's bound can be lower (a trial: both periods OPTIMAL, the group FEASIBLE with no word why)."""
    if not group.periods or group.solution.status == "OPTIMAL":
        return ""
    proven = sum(1 for p in group.periods if p["status"] == "OPTIMAL")
    return (f"; {proven} of {quantity(len(group.periods), 'work period')} proven optimal given the periods before "
            "them — the whole roster's bound is of each period alone (no history) and the whole roster's LP, so it "
            "proves less (summary.json best_bound_is)")


def _echo_replan_short(scenario: Any, results: dict) -> None:
    """A re-plan's penalty against the published roster's and the points and days it leaves short, in words (the
    trial: the penalty went 7 772 → 13 834 and the terminal said nothing of the days left short)."""
    from planner.rosters.replan import short_lines

    short, before = results["short"], results["objective_before"]
    objective = sum(g.solution.objective or 0 for g in results["roster"].groups)
    if before is not None:
        click.echo(f"penalty points: {penalty_points(before)} in the published roster, {penalty_points(objective)} "
                   "re-planned (roster summary.json objective)")
    new = short[short["new"] != False] if len(short) else short  # noqa: E712 (None: no published violations.csv)
    if new.empty:
        click.echo("no point is short at the counter on a re-planned day" if short.empty else
                   "no point is shorter at the counter than in the published roster on a re-planned day")
    else:
        click.echo(f"short at the counter from the re-plan date on ({quantity(len(new), 'point-day')}; violations.csv has "
                   "each interval, summary.json replan.short the figures):")
        for line in short_lines(new, {p.point_id: p.name for p in scenario.points}):
            click.echo(f"  {line}")
    # The trial: the only advisor trained for the police fell ill; the penalty rose by 6 000 and the terminal said
    # no point was shorter at the counter.
    gaps = results["skill_gaps"]
    gaps = gaps[gaps["new"] != False] if len(gaps) else gaps  # noqa: E712 (None: no published violations.csv)
    if not gaps.empty:
        against = ("not so in the published roster" if gaps["new"].notna().all()
                   else "no violations.csv beside the published roster to compare")
        click.echo(f"nobody trained for a provider on duty from the re-plan date on, {against} "
                   f"({len(gaps)}; summary.json replan.skill_gaps):")
        for message in gaps["message"]:
            click.echo(f"  {message}")


@main.command()
@input_dir_argument
@click.argument("roster_csv", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="ROSTER.csv")
@_checked_period_options
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FINDINGS.csv", help="Also write every finding to this CSV file.")
@user_errors
def check(input_dir: Path, roster_csv: Path, start: Any, weeks: int | None, output: Path | None) -> None:
    """Score a roster CSV against the scenario without the solver: hard breaches and soft penalties.

    Prints the hard breaches, the penalty per rule and the objective; exits 3 when a hard rule
    is broken, 2 (writing nothing) when a row cannot be read: a bad date, time or break, an
    unknown advisor or point, a missing column — each named by row and column. The roster
    may come from `planner roster` or be edited by hand. The period checked is --from/--weeks,
    else the one in the summary.json beside the roster, else the scenario's defaults (the
    horizon start; [roster] weeks, else to the horizon end).

    Example:

    \b
        planner check inputs/aspa-pilots-2015 outputs/roster/roster.csv
    """
    scenario, warnings = load_scenario(input_dir, purpose="roster")
    _echo_problems(warnings)
    result = pipeline.run_check(scenario, roster_csv, start.date() if start else None, weeks, output)
    for line in result.brief("hard"):  # with the row to correct; many alike counted in one line (-o keeps all)
        click.echo(f"hard: {line}")
    table = result.table()
    soft = table[table["severity"] == "soft"].groupby("family")["penalty"].agg(["count", "sum"])
    for family, row in soft.iterrows():
        click.echo(f"soft: {family}: {quantity(row['count'], 'breach', 'breaches')}, penalty {row['sum']}")
    click.echo(f"objective {result.objective}; {quantity(len(result.hard), 'hard breach', 'hard breaches')}, "
               f"{quantity(int(soft['count'].sum()), 'soft breach', 'soft breaches')} (one per interval, day or advisor; "
               "violations.csv merges consecutive intervals into a row)")
    for line in pipeline.check_warnings(scenario, roster_csv):  # beside the objective it explains
        click.echo(f"warning: {line}", err=True)
    if result.hard:
        sys.exit(EXIT_INFEASIBLE)


# ------------------------------------------------------------------ records (issue #16)
# Demand from the points' own visit logs: planner/records/. Kept as one block.

logs_argument = click.argument("logs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="LOGS…")
base_option = click.option("--base", "base_dir", type=click.Path(file_okay=False, path_type=Path),
                           default=DEFAULT_SCENARIO, show_default="the embedded pilots",
                           help="The scenario the records belong to (points, providers, opening hours).")


def log_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--map, --mapping and --max-excluded, handed to the command as `mapping` and `max_excluded`."""

    @functools.wraps(command)
    @user_errors  # a bad --map or mapping file is bad input too (exit 2), not a traceback
    def wrapper(*args: Any, map_options: tuple[str, ...], mapping_file: Path | None, **kwargs: Any) -> Any:
        from planner.records.run import mapping_from

        return command(*args, mapping=mapping_from(mapping_file, map_options), **kwargs)

    wrapper = click.option("--max-excluded", type=click.FloatRange(0, 1), default=0.05, show_default=True,
                           help="Largest share of rows that may be excluded (unknown ids, outside opening hours, "
                           "duplicates…) before the log is rejected.")(wrapper)
    wrapper = click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                           help="TOML mapping an export's columns and ids onto the log format (inputs/README.md).")(wrapper)
    return click.option("--map", "map_options", multiple=True, metavar="COLUMN=EXPORT_COLUMN",
                        help="Read a log column from another export column, e.g. --map arrived_at=Saapunut.")(wrapper)


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)


@generate.command("records")
@input_dir_argument
@output_option
@force_option
@click.option("--years", type=click.IntRange(1, 10), default=3, show_default=True, help="Years of records before the "
              "scenario's horizon.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed: the same seed gives the same bytes.")
@user_errors
def generate_records_command(input_dir: Path, output: Path, force: bool, years: int, seed: int) -> None:
    """Write realistic visit logs for a scenario's points: one CSV per month and events.csv.

    Arrivals follow the scenario's seasons, trends, weekday and hourly profiles, holidays,
    closures and overflow days (non-homogeneous Poisson); handling times have spread and ~10 %
    of visits several errands; a FIFO counter gives called and finished times.

    Example:

        planner generate records inputs/aspa-pilots-2015 -o outputs/logs --years 3
    """
    from planner.records.run import generate_command

    logs = generate_command(input_dir, output, years, seed, replace=force)
    click.echo(f"wrote {len(logs.files)} files to {output}: {logs.visits} visits {logs.first_month}..{logs.last_month}, "
               f"{len(logs.events)} known events", err=True)


@main.command("fit")
@logs_argument
@base_option
@output_option
@force_option
@log_options
@user_errors
def fit_command(logs: tuple[Path, ...], base_dir: Path, output: Path, force: bool, mapping: Any,
                max_excluded: float) -> None:
    """Fit demand to visit logs: write a variant of the base scenario (variant.toml + the changed CSVs).

    Monthly volume per point and provider (season and trend per provider, a baseline per pair),
    weekday and hourly profiles per point, handling minutes per provider; every fitted value
    says so in its row's comment, fit_provenance.csv lists them with standard errors.

    Example:

        planner fit outputs/logs --base inputs/aspa-pilots-2015 -o inputs/variants/pilots-fitted
    """
    from planner.records.run import fit_command as run_fit

    result, paths = run_fit(list(logs), base_dir, output, mapping, max_excluded, replace=force)
    _echo_lines(result.summary["reading"] + [f"note: {n}" for n in result.notes] + [f"wrote {p}" for p in paths])
    click.echo(f"{output}: {len(result.demand.providers)} providers' season and trend and {len(result.demand.pairs)} "
               f"baselines fitted from {result.first_month}..{result.last_month}")


@main.command("backtest")
@logs_argument
@base_option
@click.option("--holdout", type=click.IntRange(1, 24), default=6, show_default=True,
              help="Months at the end of the records used as forecast origins.")
@click.option("--models", default="fitted,seasonal_naive,ets,typed_in", show_default=True,
              help="Comma-separated models to compare.")
@output_option
@force_option
@log_options
@user_errors
def backtest_command(logs: tuple[Path, ...], base_dir: Path, holdout: int, models: str, output: Path, force: bool,
                     mapping: Any, max_excluded: float) -> None:
    """Measure the forecast: rolling-origin WAPE and bias per point and provider against seasonal naive and the typed-in scenario.

    Writes backtest_monthly.csv, backtest_pairs.csv, backtest_providers.csv and backtest.html.

    Example:

        planner backtest outputs/logs --base inputs/aspa-pilots-2015 --holdout 6 -o outputs/backtest
    """
    from planner.records.backtest import MODELS, accuracy_lines
    from planner.records.run import backtest_command as run_backtest

    chosen = tuple(m.strip() for m in models.split(",") if m.strip())
    unknown = [m for m in chosen if m not in MODELS]
    if unknown or not chosen:
        raise click.BadParameter(f"{', '.join(unknown) or '(none)'}; expected some of {', '.join(MODELS)}",
                                 param_hint="--models")
    result, reading, paths = run_backtest(list(logs), base_dir, holdout, output, mapping, max_excluded, chosen,
                                          replace=force)
    _echo_lines(reading + [f"wrote {p}" for p in paths])
    click.echo("\n".join(accuracy_lines(result)))


@main.command("replay")
@logs_argument
@click.argument("plan_dir", type=click.Path(file_okay=False, path_type=Path), metavar="PLAN_DIR")
@base_option
@click.option("--samples", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="Days drawn from the forecast per rostered day (when the records do not cover the roster's days).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the drawn customers.")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into [default: PLAN_DIR/replay].")
@force_option
@log_options
@user_errors
def replay_command(logs: tuple[Path, ...], plan_dir: Path, base_dir: Path, samples: int, seed: int,
                   output: Path | None, force: bool, mapping: Any, max_excluded: float) -> None:
    """Serve customers with the plan's roster in a simulation of the counter: the service level it really delivers.

    LOGS… are visit logs (the last argument is PLAN_DIR, holding roster/roster.csv). Writes
    replay_hours.csv, replay_points.csv and replay.html: service level, average wait and
    abandonment per point, day and hour, against the target and Erlang C, with reasons.

    Example:

        planner replay outputs/logs outputs/pilots --base inputs/aspa-pilots-2015
    """
    from planner.records.replay import replay_lines
    from planner.records.run import replay_command as run_replay

    result, paths = run_replay(list(logs), plan_dir, base_dir, samples, seed, output or plan_dir / "replay", mapping,
                               max_excluded, replace=force)
    _echo_lines([f"wrote {p}" for p in paths] + result.notes)
    click.echo("\n".join(replay_lines(result)))
