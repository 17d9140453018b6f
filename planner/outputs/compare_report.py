"""compare.html: the what-if side by side, in the same self-contained style as report.html."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from planner.outputs.report import Chart, Report, _img, _png, _table

COMPARE_SECTIONS = ("FTE needed, base and variant", "Counter workload by provider", "Outreach cost and access")


def fte_change_chart(fte: pd.DataFrame, base_name: str, variant_name: str) -> Chart:
    """FTE needed per month at each point whose figures change; dashed = the variant."""
    changed = fte.groupby("point_id")["fte_needed_change"].apply(lambda c: c.abs().max() > 1e-9)
    moved = [p for p, differs in changed.items() if differs]
    figure, axis = plt.subplots(figsize=(7, 3.2))
    for point in moved or list(changed.index):
        rows = fte[fte["point_id"] == point]
        line = axis.plot(rows["month"], rows["fte_needed_base"], marker="o", label=f"{point}: {base_name}")
        if moved:
            axis.plot(rows["month"], rows["fte_needed_variant"], marker="x", linestyle="--",
                      color=line[0].get_color(), label=f"{point}: {variant_name}")
    axis.set_ylabel("FTE needed")
    axis.tick_params(axis="x", rotation=45)
    axis.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    axis.set_title("FTE needed per month" + (" (points that change)" if moved else ": the variant changes no point"),
                   fontsize=10)
    return Chart("compare_fte", "FTE needed per month, base (solid) and variant (dashed)", _png(figure))


def comparison_report(base_name: str, variant_name: str, fte: pd.DataFrame, workload: pd.DataFrame,
                      outreach_costs: pd.DataFrame | None, outreach_access: pd.DataFrame | None,
                      outreach_note: str = "") -> Report:
    report = Report(f"What-if: {variant_name} against {base_name}")
    chart = fte_change_chart(fte, base_name, variant_name)
    report.charts.append(chart)
    means = fte.groupby("point_id")[["fte_needed_base", "fte_needed_variant", "fte_needed_change"]].mean()
    report.sections.append((COMPARE_SECTIONS[0], _img(chart) + "<p>Average month over the horizon.</p>"
                            + _table(means.reset_index())))
    moved = workload[workload["hours_change"].abs() > 1e-9]
    report.sections.append((COMPARE_SECTIONS[1], "<p>Counter hours and their cost over the horizon, rows that "
                            f"change ({len(moved)} of {len(workload)}).</p>"
                            + (_table(moved) if len(moved) else "<p>The variant changes no counter workload.</p>")))
    if outreach_costs is not None and outreach_access is not None:
        moved_access = outreach_access[(outreach_access.filter(like="_change").abs() > 1e-9).any(axis=1)]
        body = _table(outreach_costs) + "<h3>Where face-to-face customers are served (rows that change)</h3>" \
            + _table(moved_access)
    else:
        body = f"<p>{outreach_note or 'Outreach was not compared.'}</p>"
    report.sections.append((COMPARE_SECTIONS[2], body))
    return report
