"""What-if comparison: the same tables for a base and a variant, side by side with the differences."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from planner.base.errors import InfeasiblePlan, Problem, ScenarioError
from planner.base.executor import Executor
from planner.base.text import quantity
from planner.outreach.areas import AreaPlan
from planner.outreach.stage import OutreachResult, outreach_months
from planner.scenario.schemas import Scenario
from planner.staffing.sizing import SizingResult


def fte_comparison(base: SizingResult, variant: SizingResult) -> pd.DataFrame:
    """Per point and month: FTE, headcount, paid and counter hours in both, and the change."""
    columns = ["fte_needed", "fte_with_shrinkage", "headcount_needed", "paid_hours", "workload_hours"]
    keys = ["point_id", "month"]
    table = base.summary[keys + columns].merge(variant.summary[keys + columns], on=keys, how="outer",
                                               suffixes=("_base", "_variant")).fillna(0.0)
    for column in columns:
        table[f"{column}_change"] = table[f"{column}_variant"] - table[f"{column}_base"]
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


def workload_comparison(scenario: Scenario, base: SizingResult, variant: SizingResult) -> pd.DataFrame:
    """Per point and provider: counter hours and their cost over the horizon, both and the change."""
    rows = []
    for provider in (p.provider_id for p in scenario.providers):
        for name, result in (("base", base), ("variant", variant)):
            totals = result.summary.groupby("point_id")[[f"workload_hours_{provider}", f"cost_eur_{provider}"]].sum()
            for point, row in totals.iterrows():
                rows.append((point, provider, name, row.iloc[0], row.iloc[1]))
    frame = pd.DataFrame(rows, columns=["point_id", "provider_id", "run", "hours", "cost_eur"])
    table = frame.pivot_table(index=["point_id", "provider_id"], columns="run", values=["hours", "cost_eur"],
                              aggfunc="sum", fill_value=0.0)
    table.columns = [f"{value}_{run}" for value, run in table.columns]
    table = table.reset_index()
    for value in ("hours", "cost_eur"):
        table[f"{value}_change"] = table[f"{value}_variant"] - table[f"{value}_base"]
    return table


def comparison_summary(base_name: str, variant_name: str, fte: pd.DataFrame) -> str:
    lines = [f"What-if: {variant_name} against {base_name} (FTE needed, average month)",
             f"{'point':<15}{'base':>8}{'variant':>9}{'change':>9}"]
    means = fte.groupby("point_id")[["fte_needed_base", "fte_needed_variant"]].mean()
    for point, row in means.iterrows():
        change = row["fte_needed_variant"] - row["fte_needed_base"]
        lines.append(f"{point:<15}{row['fte_needed_base']:>8.2f}{row['fte_needed_variant']:>9.2f}{change:>+9.2f}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- outreach


ACCESS_FIGURES = ("face_to_face_demand", "served_locally", "by_remote_service", "at_office", "unmet",
                  "waiting_customer_days", "customer_km_avoided")
COST_FIGURES = ("official_cost_eur", "car_eur", "salary_eur", "productivity_eur", "hotel_eur", "per_diem_eur",
                "access_cost_eur",
                "office_trips_eur", "waiting_eur", "video_eur", "total_eur", "trips", "km", "served_locally", "at_office",
                "by_remote_service", "waiting_customer_days")


def outreach_figures(plan: AreaPlan) -> dict[str, float]:
    """One outreach plan's (or one area's) totals: what the officials cost and what the residents bear."""
    solution, visits, access = plan.solution, plan.visits, plan.access
    figures = {
        "official_cost_eur": solution.official_eur, "access_cost_eur": solution.access_eur,
        "total_eur": solution.official_eur + solution.access_eur, "trips": float(len(solution.trips)),
    }
    # The access cost's three parts, from the model's named cost terms: office trips, waiting, remote video.
    figures["office_trips_eur"] = sum(v for k, v in solution.penalties.items() if k.startswith("to_office("))
    figures["waiting_eur"] = sum(v for k, v in solution.penalties.items() if k.startswith("served("))
    figures["video_eur"] = sum(v for k, v in solution.penalties.items() if k.startswith("video("))
    for column in ("car_eur", "salary_eur", "productivity_eur", "km", "hotel_eur", "per_diem_eur"):
        # (an overnight trip's hotel and per diem columns exist only in a plan that holds one)
        figures[column] = float(visits[column].sum()) if len(visits) and column in visits.columns else 0.0
    for column in ("served_locally", "at_office", "by_remote_service", "waiting_customer_days"):
        figures[column] = float(access[column].sum())
    return figures


def result_figures(result: OutreachResult) -> dict[str, float]:
    """A merged outreach plan's totals: outreach_figures summed over its pieces (one, or an area each)."""
    parts = [outreach_figures(part) for part in result.parts.values()]
    return {name: sum(figures[name] for figures in parts) for name in (parts[0] if parts else {})}


def outreach_cost_comparison(base: OutreachResult, variant: OutreachResult) -> pd.DataFrame:
    """Outreach totals over the same horizon: base, variant and the change, one row per figure."""
    before, after = result_figures(base), result_figures(variant)
    return pd.DataFrame([{"figure": name, "base": before[name], "variant": after[name],
                          "change": after[name] - before[name]} for name in COST_FIGURES])


def outreach_access_comparison(base: OutreachResult, variant: OutreachResult) -> pd.DataFrame:
    """Per point, provider and appointment type: where face-to-face customers are served, both and the change."""
    keys = ["point_id", "provider_id", "appointment_type"]
    columns = list(ACCESS_FIGURES)
    # a row per office when one closes within the horizon (access.csv arrivals_from): summed per type here
    before, after = (plan.access.groupby(keys, as_index=False, sort=False)[columns].sum() for plan in (base, variant))
    table = before.merge(after, on=keys, how="outer", suffixes=("_base", "_variant")).fillna(0.0)
    for column in columns:
        table[f"{column}_change"] = table[f"{column}_variant"] - table[f"{column}_base"]
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


def outreach_summary(costs: pd.DataFrame, access_weights: tuple[float, float]) -> str:
    """The outreach comparison in words; each plan was chosen at its scenario's access weight λ."""
    lam = (f"λ = {access_weights[0]:g}" if access_weights[0] == access_weights[1]
           else f"λ = {access_weights[0]:g} (base), {access_weights[1]:g} (variant)")
    lines = [f"Outreach over the same horizon, plans chosen at access weight {lam} "
             "(€; access = residents' trips to offices + waiting for a visit + remote video)",
             f"{'':<26}{'base':>10}{'variant':>10}{'change':>10}"]
    labels = {"official_cost_eur": "official cost €", "access_cost_eur": "residents' access cost €",
              "office_trips_eur": "  residents' office trips €", "waiting_eur": "  waiting for a visit €",
              "video_eur": "  remote video €",
              "total_eur": "total €", "trips": "trips", "served_locally": "served locally", "by_remote_service": "by video",
              "waiting_customer_days": "customer-days waiting"}
    # Trips are counts: whole numbers; customers (expected, fractional in the model) and € to two decimals.
    counts = {"trips"}
    for row in costs.itertuples():
        if row.figure in labels:
            digits = 0 if row.figure in counts else 2
            lines.append(f"{labels[row.figure]:<26}{row.base:>10.{digits}f}{row.variant:>10.{digits}f}"
                         f"{row.change:>+10.{digits}f}")
    return "\n".join(lines)


def same_horizon(base: Scenario, variant: Scenario, variant_name: str) -> None:
    """Raise ScenarioError (exit 2) unless both plan the same horizon: a month only one of them plans would
    read as 0 FTE and 0 workload in the other, a difference that is not there."""
    a, b = base.config.horizon, variant.config.horizon
    if (a.start, a.months) != (b.start, b.months):
        raise ScenarioError([Problem(
            f"{variant_name}/scenario.toml", f"the variant plans {quantity(b.months, 'month')} from {b.start}, the base "
            f"{a.months} from {a.start}; expected the base's horizon (start {a.start}, months {a.months}): compare "
            "sets the two side by side month by month", key="horizon")])


def run_compare(base: Scenario, variant: Scenario, base_name: str, variant_name: str, output: Path,
                with_outreach: bool = True, months: int | None = None, time_limit: float | None = None,
                executor: Executor | None = None, progress: Callable[[str], None] | None = None,
                replace: bool = False) -> tuple[list[Path], str]:
    """`planner compare`: both scenarios through the same stages, the differences as tables and compare.html.

    Returns the written paths and the text summary. Raises ScenarioError (exit 2) for bad input
    or an output folder it may not write (one holding another command's result unless `replace`: --force).
    """
    from planner.base.stage import run_stage
    from planner.demand.stage import DemandStage
    from planner.outputs.compare_report import comparison_report
    from planner.outputs.writer import OutputFolder
    from planner.outreach.stage import OutreachStage
    from planner.staffing.stage import size_scenario

    same_horizon(base, variant, variant_name)
    with OutputFolder(output, "compare", replace) as folder:
        demands = [run_stage(DemandStage(), scenario, {})[0] for scenario in (base, variant)]
        results = []
        for scenario, demand in zip((base, variant), demands, strict=True):
            sized, failed = size_scenario(scenario, demand, executor, progress=progress)
            if failed:
                raise InfeasiblePlan([f"{key}: {reason.splitlines()[0]}" for key, reason in failed.items()])
            results.append(sized)
        fte = fte_comparison(*results)
        workload = workload_comparison(base, *results)
        tables: dict[str, pd.DataFrame] = {"compare_fte.csv": fte.round(3), "compare_workload.csv": workload.round(2)}
        costs = access = None
        note = "Outreach not compared (--no-outreach)." if not with_outreach else ""
        if with_outreach and base.officials and variant.officials:
            # The same months for both, so that only the scenarios differ.
            quarter = months or min(outreach_months(base, None), outreach_months(variant, None))
            plans = []
            for name, scenario, demand in ((base_name, base, demands[0]), (variant_name, variant, demands[1])):
                if progress:
                    progress(f"outreach {name} …")
                plan, failed = run_stage(OutreachStage(quarter, time_limit=time_limit), scenario, {"demand": demand})
                if not plan.parts:
                    raise InfeasiblePlan([f"outreach of {name}: {reason.splitlines()[0]}" for reason in failed.values()])
                plans.append(plan)
            costs, access = outreach_cost_comparison(*plans), outreach_access_comparison(*plans)
            tables.update({"compare_outreach_costs.csv": costs.round(2),
                           "compare_outreach_access.csv": access.round(2)})
        elif with_outreach:
            note = "Outreach not compared: a scenario has no officials in officials.csv."
        report = comparison_report(base_name, variant_name, fte, workload, costs, access, note)
        written = folder.commit(tables, report=report, report_name="compare.html")
    weights = (base.config.costs.access_weight, variant.config.costs.access_weight)
    text = comparison_summary(base_name, variant_name, fte) + "\n" + (
        outreach_summary(costs, weights) if costs is not None else note)
    return written, text
