"""Short plain-text summaries printed at the end of a run."""

from __future__ import annotations

from planner.demand import DemandForecast
from planner.schemas import OfficialRow, Scenario
from planner.travel import AlternativeCost, VisitCost


def demand_summary(scenario: Scenario, result: DemandForecast) -> str:
    """Average month per point: customers by provider and counter workload."""
    monthly = result.monthly
    months = scenario.config.horizon.months
    lines = [f"Demand, {scenario.config.name}: average month over {months} months from "
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
        f"  they drive to the office  {alternative.customers_drive_eur:8.2f} €   "
        f"({alternative.customer_km:.0f} km, {alternative.customer_hours:.1f} h of residents' time)",
    ]
    if alternative.remote_available:
        lines.append(f"  remote video service      {alternative.remote_eur:8.2f} €")
    else:
        lines.append("  remote video service      not offered by this provider")
    return "\n".join(lines)
