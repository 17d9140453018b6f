"""What-if comparison: the same tables for a base and a variant, side by side with the differences."""

from __future__ import annotations

import pandas as pd

from planner.schemas import Scenario
from planner.sizing import SizingResult


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
