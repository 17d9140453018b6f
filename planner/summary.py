"""Short plain-text summaries printed at the end of a run."""

from __future__ import annotations

from planner.demand import DemandForecast
from planner.schemas import Scenario


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
