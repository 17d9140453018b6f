"""Command-line interface: click only, no modelling.

Exit codes: 0 written, 2 bad input, 3 no feasible plan, 1 internal error.
Data goes to files, messages to stderr.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from planner import io
from planner.demand import DemandForecast, forecast
from planner.errors import InfeasiblePlan, Problem, ScenarioError
from planner.generate import write_national
from planner.loading import load_scenario
from planner.outputs import demand_tables, staffing_summary_json, staffing_tables, write_tables
from planner.outreach import pareto, pilots_quarter, prepare, run, status_quo, summary_payload, visits_ics
from planner.outreach_check import check_visits
from planner.schemas import Scenario
from planner.sizing import SizingResult, size
from planner.summary import demand_summary, format_visit_cost, staffing_summary
from planner.travel import alternative_cost, appointments_that_fit, visit_cost, visit_day_warnings

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
    result = forecast(scenario)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    for path in write_tables(demand_tables(result), output):
        click.echo(f"wrote {path}", err=True)


def _progress(quiet: bool) -> Callable[[str], None] | None:
    if quiet:
        return None
    return lambda message: click.echo(message, err=True)


quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")


def run_staffing(scenario: Scenario, output: Path, quiet: bool) -> tuple[DemandForecast, SizingResult]:
    started = time.perf_counter()
    demand_result = forecast(scenario)
    sizing = size(scenario, demand_result, _progress(quiet))
    tables = {**demand_tables(demand_result), **staffing_tables(sizing)}
    payload = staffing_summary_json(scenario, sizing, time.perf_counter() - started)
    paths = write_tables(tables, output) + [io.write_json(payload, output / "summary.json")]
    if not quiet:
        for path in paths:
            click.echo(f"wrote {path}", err=True)
    return demand_result, sizing


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
    _, sizing = run_staffing(scenario, output, quiet)
    click.echo(staffing_summary(scenario, sizing))


@main.command()
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("outputs/demo"), show_default=True, help="Folder to write into.")
@quiet_option
@user_errors
def demo(output: Path, quiet: bool) -> None:
    """Run everything on the embedded default scenario (the five 2015 pilot points).

    Example:

        planner demo -o outputs/demo
    """
    scenario, warnings = load_scenario(DEFAULT_SCENARIO, purpose="staffing")
    _echo_problems(warnings)
    demand_result, sizing = run_staffing(scenario, output, quiet)
    click.echo(demand_summary(scenario, demand_result))
    click.echo("")
    click.echo(staffing_summary(scenario, sizing))


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
@user_errors
def travel_cost(input_dir: Path, official_id: str, point_id: str, day: Any, appointments: int | None,
                slot_minutes: float) -> None:
    """Print the cost breakdown of one outreach visit, to check a case by hand.

    Car = round-trip km × km rate; salary = driving hours × hourly cost; productivity
    loss = hours served × (1 / field efficiency − 1) × hourly cost.

    Example:

        planner travel-cost inputs/aspa-pilots-2015 --official police-kemijarvi --point pelkosenniemi
    """
    scenario, _ = load_scenario(input_dir)
    official = next((o for o in scenario.officials if o.official_id == official_id), None)
    problems = []
    if official is None:
        problems.append(Problem("officials.csv", f"no official {official_id!r}; expected one of "
                                f"{', '.join(o.official_id for o in scenario.officials)}", column="official_id"))
    if point_id not in {p.point_id for p in scenario.points}:
        problems.append(Problem("points.csv", f"no point {point_id!r}; expected one of "
                                f"{', '.join(p.point_id for p in scenario.points)}", column="point_id"))
    if problems:
        raise ScenarioError(problems)
    assert official is not None
    if day is not None:
        for warning in visit_day_warnings(scenario, official, day.date()):
            click.echo(f"warning: {warning}", err=True)
    if appointments is None:
        appointments = appointments_that_fit(scenario, official, point_id, slot_minutes)
    cost = visit_cost(scenario, official, point_id, appointments, slot_minutes)
    alternative = alternative_cost(scenario, official, point_id, appointments, slot_minutes)
    click.echo(format_visit_cost(scenario, official, cost, alternative))


@main.command()
@input_dir_argument
@output_option
@click.option("--months", type=click.IntRange(min=1, max=36), default=3, show_default=True,
              help="Months to plan from the scenario's horizon start (a month to a quarter is typical).")
@click.option("--pareto", "pareto_k", type=click.IntRange(min=1, max=20), default=None,
              help="Also sweep λ (access weight) over K values and write pareto.csv.")
@quiet_option
@user_errors
def outreach(input_dir: Path, output: Path, months: int, pareto_k: int | None, quiet: bool) -> None:
    """Plan officials' outreach days: who visits which point on which day, with how many appointments.

    Minimises official cost (car + travel salary + productivity loss) + λ × residents'
    access cost (trips to the office + days waiting for a visit), λ = [costs] access_weight.
    Writes visits.csv, visits.ics, access.csv, summary.json (status, objective, best bound,
    gap, status-quo comparison, independent plan check) and, with --pareto K, pareto.csv.

    Example:

        planner outreach inputs/aspa-pilots-2015 -o outputs/outreach --months 3 --pareto 5
    """
    started = time.perf_counter()
    scenario, warnings = load_scenario(input_dir, purpose="outreach")
    _echo_problems(warnings)
    prepared = prepare(scenario, months)
    progress = _progress(quiet)
    quo, hint, note = None, None, ""
    try:
        quo, hint = status_quo(prepared)
    except (ScenarioError, InfeasiblePlan) as exc:
        note = f"not computed: {exc}"
    if progress:
        progress(f"planning {len(prepared.problem.officials)} officials over {len(prepared.problem.days)} days")
    plan = run(prepared, hint=hint)
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    calendar = visits_ics(prepared, plan.visits, datetime.now(UTC))
    curve = pareto(prepared, pareto_k) if pareto_k else None
    paths = [
        io.write_csv(plan.visits.drop(columns=["start_minute", "end_minute"]), output / "visits.csv"),
        io.write_text(calendar, output / "visits.ics"),
        io.write_csv(plan.access, output / "access.csv"),
    ]
    if curve is not None:
        paths.append(io.write_csv(curve, output / "pareto.csv"))
    payload = summary_payload(plan, time.perf_counter() - started, quo, note)
    slots = {(st.provider, st.appointment_type): st.slot_minutes for st in prepared.problem.streams}
    violations = check_visits(scenario, plan.visits.drop(columns=["start_minute", "end_minute"]), slots)
    payload["check"] = [f"{v.cause}: {v.official_id} {v.date}: {v.detail}" for v in violations]
    for line in payload["check"]:
        click.echo(f"warning: plan check: {line}", err=True)
    paths.append(io.write_json(payload, output / "summary.json"))
    if progress:
        for path in paths:
            progress(f"wrote {path}")
    click.echo(f"outreach: {payload['status']}, objective {payload['objective']} €, bound {payload['best_bound']} €, "
               f"{payload['trips']} trips, official cost {payload['official_cost_eur']} €, "
               f"access cost {payload['access_cost_eur']} €")


def outreach_demo(time_limit_s: float | None = None) -> None:
    """For `planner demo`: the pilots' quarter against the report's status quo, printed to stdout.

    About a minute with the scenario's 10 s per solver call; `time_limit_s` shortens it.
    """
    scenario, _ = load_scenario(DEFAULT_SCENARIO, purpose="outreach")
    click.echo(pilots_quarter(scenario, time_limit_s).text())


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
@click.option("--min-population", type=click.IntRange(min=0), default=5000, show_default=True,
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
