"""Short plain-text summaries printed at the end of a run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from planner.base.errors import Problem, ScenarioError
from planner.base.geo import Geography
from planner.base.text import quantity
from planner.demand.forecast import DemandForecast
from planner.outputs.headline import daily_people
from planner.outputs.i18n import Words
from planner.outreach.plan import appointment_types
from planner.outreach.travel import (
    AlternativeCost,
    OvernightCost,
    VisitCost,
    alternative_cost,
    appointments_that_fit,
    overnight_appointments_that_fit,
    overnight_cost,
    overnight_fits,
    visit_cost,
    visit_day_warnings,
    visit_length_warnings,
)
from planner.scenario.schemas import OfficialRow, Scenario, presence_required
from planner.staffing.sizing import SizingResult

if TYPE_CHECKING:  # the pipeline imports this module: only its type here
    from planner.run.pipeline import PlanRun


def demand_summary(scenario: Scenario, result: DemandForecast) -> str:
    """Average month per point: customers by provider and counter workload."""
    monthly = result.monthly
    months = scenario.config.horizon.months
    lines = [f"Demand, {scenario.config.name}: average month over {quantity(months, 'month')} from "
             f"{scenario.config.horizon.start}"]
    providers = [p.provider_id for p in scenario.providers]
    lines.append(f"{'point':<15}" + "".join(f"{p:>12}" for p in providers) + f"{'workload h':>12}")
    for point in scenario.points:
        rows = monthly[monthly["point_id"] == point.point_id]
        by_provider = rows.groupby("provider_id")["volume"].sum() / months
        workload = rows["workload_hours"].sum() / months
        lines.append(f"{point.point_id:<15}" + "".join(f"{by_provider.get(p, 0.0):>12.0f}" for p in providers)
                     + f"{workload:>12.1f}")
    return "\n".join(lines)


def format_visit_cost(scenario: Scenario, official: OfficialRow, cost: VisitCost, alternative: AlternativeCost) -> str:
    """The breakdown of one visit, as a planner would check it on paper."""
    rate = scenario.config.costs.km_rate_eur
    source = "estimated from coordinates" if cost.distance_estimated else "from distances.csv"
    lines = [
        f"Visit: {official.name} ({official.official_id}) from {official.home_office_id} to {cost.point_id}",
        f"  distance        {cost.km:8.1f} km round trip ({source})",
        f"  driving         {cost.driving_hours:8.2f} h",
        f"  appointments    {cost.appointments:8d} × {cost.slot_minutes:g} min = {cost.service_hours:.2f} h served",
        f"  car             {cost.car_eur:8.2f} €   ({cost.km:.1f} km × {rate:.2f} €/km)",
        f"  travel salary   {cost.salary_eur:8.2f} €   ({cost.driving_hours:.2f} h × {official.hourly_cost_eur:g} €/h)",
        f"  productivity    {cost.productivity_eur:8.2f} €   ({cost.service_hours:.2f} h × "
        f"(1/{official.field_efficiency:g} − 1) × {official.hourly_cost_eur:g} €/h)",
        f"  total           {cost.total_eur:8.2f} €",
        "Alternatives for the same customers:",
        f"  they drive to the office  {_drive_words(scenario, alternative)}",
    ]
    if alternative.remote_available:
        lines.append(f"  remote video service      {alternative.remote_eur:8.2f} €   ({alternative.customers} × "
                     f"{scenario.config.costs.video_eur_per_customer:g} € residents' cost, [costs] video_eur_per_customer; "
                     "the official serves the same slots from the office)")
    else:
        why = f": {alternative.remote_refused}" if alternative.remote_refused else " by this provider"
        lines.append(f"  remote video service      not offered{why}")
    return "\n".join(lines)


def _drive_words(scenario: Scenario, alternative: AlternativeCost) -> str:
    """The customers' drive to the office: its € and how far, or that no office of the provider is open (which ones
    closed, since when)."""
    if alternative.customers_drive_eur is None:
        closed = ", ".join(f"{office} closed {since}" for office, since in alternative.closed)
        return f"     — €   no office of the provider is open to customers then ({closed or 'none in offices.csv'})"
    return (f"{alternative.customers_drive_eur:8.2f} €   ({alternative.customer_km:.0f} km, "
            f"{alternative.customer_hours:.1f} h of residents' time; {_office_words(scenario, alternative)})")


def _office_words(scenario: Scenario, alternative: AlternativeCost) -> str:
    """Which office the customers would drive to, and from how far (each a round trip)."""
    office = next((o for o in scenario.offices if o.office_id == alternative.office_id), None)
    name = f"{office.name} ({alternative.office_id})" if office else alternative.office_id
    each = alternative.customer_km / alternative.customers if alternative.customers else 0.0
    return f"{name}, the provider's nearest office, {each:.1f} km round trip each"


def format_overnight_cost(scenario: Scenario, official: OfficialRow, cost: OvernightCost) -> str:
    """The breakdown of one overnight trip (issue #15), as a planner would check it on paper."""
    costs = scenario.config.costs
    per = f"{cost.total_eur / cost.appointments:.2f} € per appointment" if cost.appointments else "no appointment"
    return "\n".join([
        f"  days            {cost.days:8d}    (out and serving on day 1, {quantity(cost.nights, 'hotel night')}, serving and "
        f"back on day {cost.days})",
        f"  appointments    {cost.appointments:8d} × {cost.slot_minutes:g} min = {cost.service_hours:.2f} h served",
        f"  car             {cost.car_eur:8.2f} €   ({cost.km:.1f} km × {costs.km_rate_eur:.2f} €/km)",
        f"  travel salary   {cost.salary_eur:8.2f} €   ({cost.driving_hours:.2f} h × {official.hourly_cost_eur:g} €/h)",
        f"  productivity    {cost.productivity_eur:8.2f} €   ({cost.service_hours:.2f} h × "
        f"(1/{official.field_efficiency:g} − 1) × {official.hourly_cost_eur:g} €/h)",
        f"  hotel           {cost.hotel_eur:8.2f} €   ({cost.nights} × {costs.hotel_eur_per_night:g} €/night, "
        "[costs] hotel_eur_per_night)",
        f"  per diem        {cost.per_diem_eur:8.2f} €   (a trip of {cost.trip_hours:g} h: {costs.per_diem_eur:g} € per "
        f"whole 24 h, then {costs.per_diem_eur:g} € over 6 h or {costs.partial_per_diem_eur:g} € over 2 h; [costs] "
        "per_diem_eur, partial_per_diem_eur)",
        f"  total           {cost.total_eur:8.2f} €   ({per})",
    ])


def overnight_option(scenario: Scenario, official: OfficialRow, point_id: str, day_cost: VisitCost,
                     appointments: int | None, nights: int, day: dt.date | None = None) -> str | None:
    """The overnight trip's lines when a day trip does not fit or costs more per appointment; else None. `day`: the
    trip's first day (the offices open then are the customers' alternative; default the horizon start)."""
    geo = Geography(scenario)
    leg = geo.leg(official.home_office_id, point_id)
    day_fits = 2 * leg.minutes + day_cost.slot_minutes <= official.daily_hours * 60 and (
        day_cost.driving_hours + day_cost.service_hours <= official.daily_hours + 1e-9)
    if not overnight_fits(official, leg.minutes, day_cost.slot_minutes):
        if day_fits:
            return None
        return (f"Overnight trip: none either: the drive one way ({leg.minutes / 60:.2f} h) and one "
                f"{day_cost.slot_minutes:g} min slot do not fit in {official.official_id}'s daily_hours of "
                f"{official.daily_hours:g} h")
    held = overnight_appointments_that_fit(scenario, official, point_id, nights, day_cost.slot_minutes, geo)
    cost = overnight_cost(scenario, official, point_id, nights, held if appointments is None else appointments,
                          day_cost.slot_minutes, geo)
    if day_fits:
        day_per = day_cost.total_eur / day_cost.appointments if day_cost.appointments else float("inf")
        night_per = cost.total_eur / cost.appointments if cost.appointments else float("inf")
        if night_per >= day_per:
            return None
        why = (f"cheaper per appointment than the day trip ({cost.total_eur / cost.appointments:.2f} € against "
               f"{day_per:.2f} €) when full; the plan offers overnight trips only to points no day trip reaches")
    else:
        why = "a day cannot hold the drive there and back and the service"
    office = alternative_cost(scenario, official, point_id, cost.appointments, day_cost.slot_minutes, geo, day=day)
    return (f"Overnight trip of {quantity(nights, 'night')} instead: {why}\n" + format_overnight_cost(scenario, official, cost)
            + f"\n  its {cost.appointments} customers drive to the office instead  {_drive_words(scenario, office)}")


def staffing_summary(scenario: Scenario, sizing: SizingResult) -> str:
    """Per point: FTE needed (average and peak month) against the advisors in the scenario."""
    sl = scenario.config.service_level
    table = sizing.summary
    lines = [f"Advisors needed, {scenario.config.name}: {sl.target:.0%} served within "
             f"{sl.answer_within_minutes:g} min, someone on duty whenever open",
             f"{'point':<15}{'FTE avg':>8}{'peak':>7}{' (month)':<10}{'+shrink':>8}{'persons':>8}"
             f"{'has FTE':>8}{'persons':>8}  size set by"]
    people = daily_people(sizing)
    notes = []
    for point in scenario.points:
        rows = table[table["point_id"] == point.point_id]
        if rows.empty:
            lines.append(f"{point.point_id:<15}  no open days in the horizon")
            continue
        peak = rows.loc[rows["fte_needed"].idxmax()]
        drivers = rows["driver"].value_counts()
        # Persons needed as the headline counts them: the monthly headcount, or more where the shift plan puts
        # more different people on one day (a footnote says where).
        monthly = int(rows["headcount_needed"].max())
        days = people.loc[people["point_id"] == point.point_id, "people"]
        daily = int(days.max()) if len(days) else 0
        if daily > monthly:
            notes.append(f"* {point.point_id}: the sizing shift plan (shifts.csv) puts {daily} different people on one "
                         f"day; the monthly headcount from FTE is {monthly}")
        lines.append(
            f"{point.point_id:<15}{rows['fte_needed'].mean():>8.2f}{peak['fte_needed']:>7.2f} ({peak['month']})"
            f"{peak['fte_with_shrinkage']:>8.2f}{max(monthly, daily):>7d}{'*' if daily > monthly else ' '}"
            f"{rows['fte_in_scenario'].iloc[0]:>8.2f}{int(rows['persons_in_scenario'].iloc[0]):>8d}  "
            f"{drivers.idxmax()} ({drivers.max()} of {quantity(len(rows), 'month')})")
    return "\n".join(lines + notes)


def travel_cost_report(scenario: Scenario, official_id: str, point_id: str, day: dt.date | None,
                       appointments: int | None, slot_minutes: float,
                       appointment_type: str | None = None, nights: int = 1) -> tuple[list[str], str]:
    """`planner travel-cost`: the warnings about the day and the cost breakdown of one visit, with an overnight trip
    of `nights` nights when a day trip does not fit or costs more per appointment.

    Raises ScenarioError (exit 2) naming the command-line option (--official, --point, --type) whose id is unknown.
    """
    official = next((o for o in scenario.officials if o.official_id == official_id), None)
    problems = []
    if official is None:
        # The id came from the command line, not from a file: the option is named.
        problems.append(Problem("command line", f"no official {official_id!r} in officials.csv; expected one of "
                                f"{', '.join(o.official_id for o in scenario.officials)}", key="--official"))
    if point_id not in {p.point_id for p in scenario.points}:
        problems.append(Problem("command line", f"no point {point_id!r} in points.csv; expected one of "
                                f"{', '.join(p.point_id for p in scenario.points)}", key="--point"))
    if problems or official is None:
        raise ScenarioError(problems)
    warnings = visit_day_warnings(scenario, official, day) if day is not None else []
    types = {t[0]: t[1] for t in appointment_types(scenario).get(official.provider_id, ())}
    if appointment_type is not None:
        if appointment_type not in types:
            raise ScenarioError([Problem("command line", f"{official.provider_id} has no appointment type "
                                         f"{appointment_type!r}; expected one of {', '.join(sorted(types))}",
                                         key="--type")])
        slot_minutes = types[appointment_type]
        in_person = presence_required(scenario, official.provider_id, appointment_type)
    else:
        in_person = bool(types) and all(presence_required(scenario, official.provider_id, t) for t in types)
    if in_person and scenario.provider(official.provider_id).remote_service != "none":
        warnings.append(f"no remote service: the law requires presence for "
                        f"{appointment_type or 'every appointment type of ' + official.provider_id}")
    held = appointments_that_fit(scenario, official, point_id, slot_minutes) if appointments is None else appointments
    cost = visit_cost(scenario, official, point_id, held, slot_minutes)
    if appointments is None and held == 0:
        # No slot fits after the drive: a priced day of 0 appointments would be a trip nobody makes.
        source = "estimated from coordinates" if cost.distance_estimated else "from distances.csv"
        text = (f"Visit: {official.name} ({official.official_id}) from {official.home_office_id} to {point_id}\n"
                f"  no day trip: driving {cost.km:.1f} km there and back ({source}) takes {cost.driving_hours:.2f} h, which leaves "
                f"no {slot_minutes:g}-min appointment in {official.official_id}'s daily_hours of {official.daily_hours:g} h")
        overnight = overnight_option(scenario, official, point_id, cost, appointments, nights, day)
        return warnings, text + ("\n" + overnight if overnight else "")
    warnings += visit_length_warnings(official, cost)
    alternative = alternative_cost(scenario, official, point_id, held, slot_minutes, in_person_only=in_person, day=day)
    text = format_visit_cost(scenario, official, cost, alternative)
    overnight = overnight_option(scenario, official, point_id, cost, appointments, nights, day)
    return warnings, text + ("\n" + overnight if overnight else "")


def points(value: float) -> str:
    """Penalty points as the rest of the output writes them: all digits, never an exponent (1561700, not 1.5617e+06,
    which `:g` made of a large roster's objective); a fraction keeps its decimals (12.5)."""
    return f"{value:.12g}"


def plan_summary(scenario: Scenario, run: PlanRun, output: Path) -> str:
    """What `planner plan` prints: demand, advisors needed, the roster's and outreach's status, the report."""
    lines = [demand_summary(scenario, run.demand), "", staffing_summary(scenario, run.sizing), ""]
    roster = run.manifest["steps"]["roster"]
    if roster.get("status") == "skipped":
        lines.append(f"Rosters: skipped — {roster['reason']}")
    else:
        bound = (f"best bound {points(roster['best_bound'])}, gap {100 * roster['gap']:.1f} %" if roster.get("gap") is not None
                 else "no bound")
        failed = [key.removeprefix("roster:") for key in run.manifest.get("failed_tasks", {}) if key.startswith("roster:")]
        status = (f"{roster['status']} (no roster for {', '.join(failed)}: the reasons below; the figures are the "
                  "other groups')" if failed else roster["status"])
        if roster.get("time_limited"):
            status += " (wall-clock cap reached; not proven optimal, not repeatable)"
        elif roster.get("work_limited"):
            status += " (work budget reached; not proven optimal)"
        lines.append(f"Rosters ({output / 'roster'}): {status}, objective {points(roster['objective'])}, "
                     f"{bound}, {roster['violations']} rows in violations.csv"
                     + (f" ({roster['breaches']} soft breaches, one per interval or day; a row merges consecutive "
                        "intervals)" if roster.get("breaches") is not None else ""))
        if roster.get("period"):
            lines.append(f"  rostered: {roster['period']}")
    trips = run.manifest["steps"]["outreach"]
    if trips.get("status") == "skipped":
        lines.append(f"Outreach: skipped — {trips['reason']}")
    else:
        payload = run.outreach.payload if run.outreach is not None else {}
        lam = payload.get("access_weight")
        lines.append(f"Outreach ({output / 'outreach'}), {payload.get('horizon', {}).get('start')} – "
                     f"{payload.get('horizon', {}).get('end')}, access weight λ = {lam:g}: {trips['status']}, "
                     f"objective {trips['objective']} € (official cost + λ × residents' access cost), best bound "
                     f"{trips['best_bound']} €, {quantity(payload.get('trips', 0), 'trip')}")
        if payload.get("visits") == 0:  # λ = 0, or no visit pays: said, not left to a "0 trips" to read
            lines.append(f"  {Words('en').no_visits(payload)}")
        quo = payload.get("status_quo")
        if isinstance(quo, dict):
            lines.append(f"  status quo (today's visits, same cost model, λ = {lam:g}): objective {quo['objective']} €, "
                         f"{quantity(quo['trips'], 'trip')}; official cost {quo['official_cost_eur']} € vs plan "
                         f"{payload.get('official_cost_eur')} €, residents' access {quo['access_cost_eur']} € vs plan "
                         f"{payload.get('access_cost_eur')} €")
        elif payload.get("status_quo_note"):
            lines.append(f"  status quo (today's visits): {payload['status_quo_note']}")
    lines.append(f"Report: {output / 'report.html'}")
    return "\n".join(lines)
