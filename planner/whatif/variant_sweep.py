"""What-ifs as executor tasks: the base and each variant sized (and, if asked, outreach planned),
compared per point and month with the base.

Each task ships only its variant's changes; the base scenario is the executor's shared object
(once per worker or cluster). A variant that fails is reported alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.base.errors import InfeasiblePlan
from planner.base.executor import Executor
from planner.base.stage import run_stage
from planner.demand.forecast import forecast
from planner.outreach.stage import OutreachStage
from planner.scenario.schemas import Scenario
from planner.scenario.variants import Variant
from planner.staffing.sizing import size
from planner.whatif.compare import result_figures

BASE = "base"
FTE_COLUMNS = ["fte_needed", "fte_with_shrinkage", "headcount_needed"]
OUTREACH_COLUMNS = ["official_cost_eur", "access_cost_eur", "total_cost_eur", "trips", "served_locally", "at_office"]


@dataclass(frozen=True)
class VariantTask:
    variant: Variant
    outreach_months: int | None
    outreach_time_limit: float | None


@dataclass(frozen=True)
class VariantResult:
    fte: pd.DataFrame
    outreach: dict[str, float] | None
    failed_areas: dict[str, str]


def evaluate(task: VariantTask, base: Scenario) -> VariantResult:
    scenario = task.variant.apply(base)
    demand = forecast(scenario)
    fte = size(scenario, demand).summary[["point_id", "month", *FTE_COLUMNS]]
    if not task.outreach_months or not scenario.officials:
        return VariantResult(fte, None, {})
    # The outreach pieces one after another inside this task: the variants are the parallel pieces here.
    stage = OutreachStage(task.outreach_months, time_limit=task.outreach_time_limit)
    result, failed = run_stage(stage, scenario, {"demand": demand})
    # The same totals `planner compare` reports, summed over the pieces.
    summed = result_figures(result)
    totals = {c: summed["total_eur" if c == "total_cost_eur" else c] for c in OUTREACH_COLUMNS}
    return VariantResult(fte, totals, {k: v.splitlines()[0] for k, v in failed.items()})


def run_variants(base: Scenario, variants: list[Variant], executor: Executor, outreach_months: int | None = None,
                 outreach_time_limit: float | None = None) -> tuple[dict[str, VariantResult], dict[str, str]]:
    tasks = [(BASE, VariantTask(Variant(BASE), outreach_months, outreach_time_limit))]
    tasks += [(v.name, VariantTask(v, outreach_months, outreach_time_limit)) for v in variants]
    results = executor.run(evaluate, tasks, shared=base)
    done = {r.key: r.value for r in results if r.ok}
    failed = {r.key: (r.error or "").splitlines()[0] for r in results if not r.ok}
    for key, result in done.items():
        failed.update({f"{key}/{area}": reason for area, reason in result.failed_areas.items()})
    return done, failed


def fte_table(results: dict[str, VariantResult]) -> pd.DataFrame:
    """One row per variant, point and month: each FTE figure in the base, the variant, and the change."""
    base = results[BASE].fte
    rows = []
    for name, result in results.items():
        if name == BASE:
            continue
        both = base.merge(result.fte, on=["point_id", "month"], how="outer", suffixes=("_base", "_variant")).fillna(0.0)
        for column in FTE_COLUMNS:
            both[f"{column}_change"] = both[f"{column}_variant"] - both[f"{column}_base"]
        both.insert(0, "variant", name)
        rows.append(both)
    columns = ["variant", "point_id", "month"] + [f"{c}_{s}" for c in FTE_COLUMNS for s in ("base", "variant", "change")]
    return pd.concat(rows, ignore_index=True)[columns] if rows else pd.DataFrame(columns=columns)


def outreach_table(results: dict[str, VariantResult]) -> pd.DataFrame:
    """One row per variant: outreach cost and access over the period, base, variant and change."""
    base = results[BASE].outreach
    rows = []
    for name, result in results.items():
        if name == BASE or base is None or result.outreach is None:
            continue
        row: dict[str, object] = {"variant": name}
        for column in OUTREACH_COLUMNS:
            row.update({f"{column}_base": base[column], f"{column}_variant": result.outreach[column],
                        f"{column}_change": result.outreach[column] - base[column]})
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_text(fte: pd.DataFrame, outreach: pd.DataFrame) -> str:
    """The variants side by side: FTE per point-month and in total, and outreach € when it ran."""
    lines = [f"{'variant':<32}{'FTE base':>10}{'FTE variant':>12}{'change':>9}{'points changed':>16}"
             + (f"{'outreach € base':>17}{'variant':>10}{'access € base':>15}{'variant':>10}" if len(outreach) else "")]
    for name, rows in fte.groupby("variant", sort=False):
        months = rows["month"].nunique()
        base, variant = rows["fte_needed_base"].sum() / months, rows["fte_needed_variant"].sum() / months
        changed = int((rows.groupby("point_id")["fte_needed_change"].apply(lambda s: s.abs().max()) > 0.005).sum())
        line = f"{name:<32}{base:>10.2f}{variant:>12.2f}{variant - base:>+9.2f}{changed:>16}"
        match = outreach[outreach["variant"] == name] if len(outreach) else outreach
        if len(match):
            r = match.iloc[0]
            line += (f"{r['official_cost_eur_base']:>17.0f}{r['official_cost_eur_variant']:>10.0f}"
                     f"{r['access_cost_eur_base']:>15.0f}{r['access_cost_eur_variant']:>10.0f}")
        lines.append(line)
    return "\n".join(lines)


def run_variant_sweep(scenario: Scenario, variants: list[Variant], executor: Executor, output: Path,
                      title: str, outreach_months: int | None = None, replace: bool = False
                      ) -> tuple[list[Path], str, dict[str, str]]:
    """`planner sweep --variants`: sweep_variants.csv (and sweep_variants_outreach.csv); paths, text, failed.

    Raises InfeasiblePlan when the base scenario itself failed (nothing is written then).
    """
    from planner.outputs.writer import OutputFolder

    with OutputFolder(output, "sweep", replace) as folder:
        results, failed = run_variants(scenario, variants, executor, outreach_months)
        if BASE not in results:
            raise InfeasiblePlan(["the base scenario failed; nothing was written"])
        fte, trips = fte_table(results), outreach_table(results)
        tables = {"sweep_variants.csv": fte.round(3)}
        if len(trips):
            tables["sweep_variants_outreach.csv"] = trips.round(2)
        written = folder.commit(tables)
    text = (f"What-ifs of {title} against the base (FTE needed, sum over points, average month)\n"
            + comparison_text(fte, trips))
    return written, text, failed
