"""The report people read: one self-contained HTML file (charts inlined), plus each chart as PNG.

Charts are drawn with matplotlib's Agg backend (no screen, no fonts or scripts fetched), so
report.html opens offline.
"""

from __future__ import annotations

import base64
import html
import io as _io
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
# Text in the charts comes from the user's files (point and advisor names, scenario names): it is
# drawn as written. `$…$` would otherwise be read as maths markup (and a stray `\` fail the chart).
matplotlib.rcParams.update({"text.parse_math": False, "text.usetex": False})
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from planner.base import io  # noqa: E402
from planner.demand.forecast import DemandForecast  # noqa: E402
from planner.outreach.plan import cost_tables  # noqa: E402
from planner.scenario.schemas import Scenario  # noqa: E402
from planner.staffing.sizing import SizingResult  # noqa: E402

SECTIONS = ("Demand by provider", "Advisors needed", "Required and scheduled advisors", "Counter workload by provider")


@dataclass
class Chart:
    name: str
    title: str
    png: bytes


@dataclass
class Report:
    title: str
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, html body)
    charts: list[Chart] = field(default_factory=list)
    charted_points: list[str] = field(default_factory=list)  # points with charts of their own
    note: str = ""  # said under the sections with per-point charts when not every point has them


# Per-point charts stop here: a national plan's report would otherwise hold hundreds of
# images (and take longer to draw than the plan to solve); the tables list every point.
MAX_POINT_CHARTS = 24


def charted_points(scenario: Scenario, sizing: SizingResult) -> tuple[list[str], str]:
    """Every point, or the MAX_POINT_CHARTS with the largest average FTE need, and a note saying so."""
    points = [p.point_id for p in scenario.points]
    if len(points) <= MAX_POINT_CHARTS:
        return points, ""
    need = sizing.summary.groupby("point_id")["fte_needed"].mean().sort_values(ascending=False, kind="stable")
    chosen = set(need.index[:MAX_POINT_CHARTS])
    note = (f"<p>Charts for the {MAX_POINT_CHARTS} of {len(points)} points with the largest average FTE need; "
            "the tables list every point.</p>")
    return [p for p in points if p in chosen], note


def _png(figure: plt.Figure) -> bytes:
    buffer = _io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _img(chart: Chart) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    return f'<figure><img alt="{html.escape(chart.title)}" src="data:image/png;base64,{data}"><figcaption>' \
           f"{html.escape(chart.title)}</figcaption></figure>"


def _table(frame: pd.DataFrame, digits: int = 2) -> str:
    return frame.round(digits).to_html(index=False, border=0, classes="data", escape=True, na_rep="")


def demand_chart(scenario: Scenario, demand: DemandForecast, point: str) -> Chart:
    monthly = demand.monthly[demand.monthly["point_id"] == point]
    table = monthly.pivot_table(index="month", columns="provider_id", values="volume", aggfunc="sum").fillna(0)
    figure, axis = plt.subplots(figsize=(7, 3))
    bottom = np.zeros(len(table))
    for provider in table.columns:
        axis.bar(table.index, table[provider], bottom=bottom, label=provider)
        bottom += table[provider].to_numpy()
    axis.set_ylabel("customers a month")
    axis.set_title(f"{scenario.point(point).name}: counter demand by provider")
    axis.tick_params(axis="x", rotation=45)
    axis.legend(fontsize=7, ncol=3)
    return Chart(f"demand_{point}", f"{scenario.point(point).name}: demand by provider", _png(figure))


def fte_chart(scenario: Scenario, sizing: SizingResult, points: list[str] | None = None) -> Chart:
    figure, axis = plt.subplots(figsize=(7, 3.2))
    for point in (scenario.point(p) for p in (points or [p.point_id for p in scenario.points])):
        rows = sizing.summary[sizing.summary["point_id"] == point.point_id]
        line = axis.plot(rows["month"], rows["fte_with_shrinkage"], marker="o", label=f"{point.name} needed")
        axis.axhline(rows["fte_in_scenario"].iloc[0] if len(rows) else 0, color=line[0].get_color(), linestyle=":",
                     linewidth=1)
    axis.set_ylabel("FTE (with shrinkage)")
    axis.set_title("Advisors needed per month (dotted: FTE in the scenario)")
    axis.tick_params(axis="x", rotation=45)
    axis.legend(fontsize=7, ncol=2 if len(axis.lines) <= 24 else 4)
    return Chart("fte_needed", "FTE needed vs advisors in the scenario", _png(figure))


def heatmap_chart(scenario: Scenario, sizing: SizingResult, point: str) -> Chart:
    rows = sizing.intervals[sizing.intervals["point_id"] == point]
    frame = rows.assign(weekday=rows["date"].dt.day_of_week, hour=rows["interval_start"] // 60)
    required = frame.pivot_table(index="weekday", columns="hour", values="required", aggfunc="mean")
    scheduled = frame.pivot_table(index="weekday", columns="hour", values="scheduled", aggfunc="mean")
    figure, axes = plt.subplots(1, 2, figsize=(8, 2.6), sharey=True)
    top = max(float(np.nanmax(required.to_numpy())), float(np.nanmax(scheduled.to_numpy())), 1.0)
    for axis, table, label in ((axes[0], required, "required"), (axes[1], scheduled, "scheduled")):
        image = axis.imshow(table.to_numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=top)
        axis.set_xticks(range(len(table.columns)), [f"{h}" for h in table.columns], fontsize=7)
        axis.set_yticks(range(len(table.index)), [("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d]
                                                   for d in table.index], fontsize=7)
        axis.set_title(f"{label} (mean advisors)", fontsize=9)
        axis.set_xlabel("hour")
    figure.colorbar(image, ax=axes, shrink=0.8)
    figure.suptitle(scenario.point(point).name, fontsize=10, y=1.08)
    return Chart(f"heatmap_{point}", f"{scenario.point(point).name}: required vs scheduled by weekday and hour",
                 _png(figure))


def build_report(scenario: Scenario, demand: DemandForecast, sizing: SizingResult) -> Report:
    report = Report(title=f"Plan: {scenario.config.name}")
    report.charted_points, report.note = charted_points(scenario, sizing)
    demand_charts = [demand_chart(scenario, demand, p) for p in report.charted_points]
    report.charts += demand_charts
    report.sections.append(("Demand by provider", report.note + "".join(_img(c) for c in demand_charts)))
    fte = fte_chart(scenario, sizing, report.charted_points)
    report.charts.append(fte)
    summary = sizing.summary.groupby("point_id").agg(
        fte_needed_avg=("fte_needed", "mean"), fte_needed_peak=("fte_needed", "max"),
        fte_with_shrinkage_peak=("fte_with_shrinkage", "max"), headcount_needed=("headcount_needed", "max"),
        fte_in_scenario=("fte_in_scenario", "first"), persons_in_scenario=("persons_in_scenario", "first"),
        months_set_by_demand=("driver", lambda s: int((s == "demand").sum())),
    ).reset_index()
    report.sections.append(("Advisors needed", _img(fte) + _table(summary)))
    heatmaps = [heatmap_chart(scenario, sizing, p) for p in report.charted_points
                if (sizing.intervals["point_id"] == p).any()]
    report.charts += heatmaps
    report.sections.append(("Required and scheduled advisors", report.note + "".join(_img(c) for c in heatmaps)))
    providers = [p.provider_id for p in scenario.providers]
    workload = sizing.summary.groupby("point_id")[[f"workload_hours_{p}" for p in providers]
                                                  + [f"cost_eur_{p}" for p in providers]].sum().reset_index()
    report.sections.append(("Counter workload by provider",
                            "<p>Hours of counter work over the horizon and their cost at the advisor's hourly cost "
                            f"({scenario.config.workforce.advisor_hourly_cost_eur:g} €/h): the basis for what each "
                            "provider compensates the host municipality.</p>" + _table(workload, 0)))
    return report


STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table.data{border-collapse:collapse;font-size:.85em;margin:1em 0}
table.data th,table.data td{border:1px solid #ddd;padding:.25em .5em;text-align:right}
table.data th{background:#f3f3f3}figure{display:inline-block;margin:.5em}img{max-width:100%}
figcaption{font-size:.8em;color:#555}nav a{margin-right:1em}
"""


def render_html(report: Report) -> str:
    anchors = [(f"s{n}", heading) for n, (heading, _) in enumerate(report.sections)]
    nav = "".join(f'<a href="#{a}">{html.escape(h)}</a>' for a, h in anchors)
    body = "".join(f'<section id="{a}"><h2>{html.escape(h)}</h2>{content}</section>'
                   for (a, h), (_, content) in zip(anchors, report.sections, strict=True))
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(report.title)}"
            f"</title><style>{STYLE}</style></head><body><h1>{html.escape(report.title)}</h1><nav>{nav}</nav>"
            f"{body}<footer><p>Place coordinates: GeoNames, geonames.org, CC BY 4.0.</p></footer></body></html>")


def write_report(report: Report, folder: Path, name: str = "report.html") -> list[Path]:
    paths = [io.write_text(render_html(report), folder / name)]
    for chart in report.charts:
        target = folder / "charts" / f"{chart.name}.png"
        with io.atomic_path(target) as tmp:
            tmp.write_bytes(chart.png)
        paths.append(target)
    return paths


def gantt_chart(scenario: Scenario, roster: pd.DataFrame, point: str) -> Chart | None:
    """The first roster week of one point: a bar per shift, a row per advisor and day."""
    rows = roster[roster["point"] == point].copy()
    if rows.empty:
        return None
    rows["day"] = pd.to_datetime(rows["date"])
    first = rows["day"].min()
    rows = rows[rows["day"] < first + pd.Timedelta(days=7)]
    minutes = lambda text: int(text[:2]) * 60 + int(text[3:5])  # noqa: E731
    labels = sorted({(d, a) for d, a in zip(rows["day"], rows["name"], strict=True)})
    index = {label: n for n, label in enumerate(labels)}
    figure, axis = plt.subplots(figsize=(8, max(2.0, 0.28 * len(labels) + 0.8)))
    for row in rows.itertuples():
        y = index[(row.day, row.name)]
        start, end = minutes(row.start), minutes(row.end)
        axis.barh(y, (end - start) / 60, left=start / 60, height=0.6, color="#4c72b0")
        if isinstance(row.break_start, str) and row.break_start:
            axis.barh(y, row.break_minutes / 60, left=minutes(row.break_start) / 60, height=0.6, color="#dddddd")
    axis.set_yticks(range(len(labels)), [f"{d:%a %d.%m} {n}" for d, n in labels], fontsize=7)
    axis.invert_yaxis()
    axis.set_xlabel("hour of day (grey: unpaid lunch break)")
    axis.set_title(f"{scenario.point(point).name}: roster, first week", fontsize=10)
    return Chart(f"roster_{point}", f"{scenario.point(point).name}: roster for the first week", _png(figure))


def route_map(scenario: Scenario, visits: pd.DataFrame) -> Chart:
    """Points, offices and each official's trips, drawn from coordinates (no map tiles)."""
    figure, axis = plt.subplots(figsize=(6, 7))
    officials = {o.official_id: o for o in scenario.officials}
    places = {p.point_id: (p.longitude, p.latitude) for p in scenario.points}
    places.update({o.office_id: (o.longitude, o.latitude) for o in scenario.offices})
    for trip, legs in visits.groupby(["official_id", "date"]):
        office = officials[trip[0]].home_office_id
        path = [places[office], *(places[p] for p in legs.sort_values("stop_order")["point_id"]), places[office]]
        axis.plot([x for x, _ in path], [y for _, y in path], color="#c44e52", alpha=0.6, linewidth=2.5, zorder=2)
    axis.scatter([o.longitude for o in scenario.offices], [o.latitude for o in scenario.offices], marker="s",
                 color="#4c72b0", label="provider office", zorder=3)
    axis.scatter([p.longitude for p in scenario.points], [p.latitude for p in scenario.points], marker="o",
                 color="#55a868", s=60, label="service point", zorder=4)
    for point in scenario.points:
        axis.annotate(point.name, (point.longitude, point.latitude), fontsize=7, xytext=(4, 4),
                      textcoords="offset points")
    axis.set_xlabel("longitude")
    axis.set_ylabel("latitude")
    axis.set_title("Outreach trips (red), offices and points", fontsize=10)
    axis.legend(fontsize=7, loc="lower right")
    axis.set_aspect(1 / np.cos(np.radians(np.mean([p.latitude for p in scenario.points]))))
    return Chart("outreach_map", "Outreach trips, offices and points", _png(figure))


def add_roster_section(report: Report, scenario: Scenario, roster: pd.DataFrame, by_advisor: pd.DataFrame) -> None:
    points = report.charted_points or [p.point_id for p in scenario.points]
    charts = [c for c in (gantt_chart(scenario, roster, p) for p in points) if c is not None]
    report.charts += charts
    report.sections.append(("Rosters", report.note + "".join(_img(c) for c in charts) + _table(by_advisor)))


def add_outreach_sections(report: Report, scenario: Scenario, visits: pd.DataFrame, access: pd.DataFrame,
                          payload: dict) -> None:
    chart = route_map(scenario, visits)
    report.charts.append(chart)
    calendar = visits[["official_id", "date", "stop_order", "point_id", "arrive", "leave", "appointments"]]
    report.sections.append(("Outreach calendar and routes", _img(chart) + _table(calendar)))
    totals, costs = cost_tables(visits, payload)
    report.sections.append(("Costs", "<p>Official cost = car + travel salary + productivity loss; residents' access "
                            "= their trips to offices + waiting for a visit.</p>" + _table(totals) + _table(costs)))


def pareto_chart(pareto: pd.DataFrame, chosen: dict) -> Chart:
    """Official cost against residents' access cost, one point per λ, the plan's own marked."""
    figure, axis = plt.subplots(figsize=(6, 4))
    frame = pareto.sort_values("official_cost_eur")
    axis.plot(frame["official_cost_eur"], frame["access_cost_eur"], marker="o", color="#4c72b0")
    for row in frame.itertuples():
        axis.annotate(f"λ={row.access_weight:g}", (row.official_cost_eur, row.access_cost_eur), fontsize=7,
                      xytext=(4, 4), textcoords="offset points")
    if chosen.get("official_cost_eur") is not None:
        axis.scatter([chosen["official_cost_eur"]], [chosen["access_cost_eur"]], marker="*", s=160, color="#c44e52",
                     zorder=3, label="this plan")
        axis.legend(fontsize=7)
    axis.set_xlabel("official cost € (car + travel salary + productivity loss)")
    axis.set_ylabel("residents' access cost €")
    axis.set_title("Cost against access over the outreach weight λ", fontsize=10)
    return Chart("pareto", "Official cost against residents' access cost (Pareto sweep)", _png(figure))


def add_pareto_section(report: Report, pareto: pd.DataFrame, payload: dict) -> None:
    chart = pareto_chart(pareto, payload)
    report.charts.append(chart)
    report.sections.append(("Cost against access", "<p>Each point is a plan made with a different weight λ on "
                            "residents' access; every plan is time-limited, so its gap is shown.</p>"
                            + _img(chart) + _table(pareto)))


def add_violations_section(report: Report, violations: pd.DataFrame | None, access: pd.DataFrame | None) -> None:
    body = ""
    if violations is not None:
        shown = violations.sort_values("penalty", ascending=False).head(40)
        body += f"<h3>Roster rule breaches ({len(violations)} rows, largest 40)</h3>" + _table(
            shown[["point", "advisor", "date", "start", "end", "penalty", "message"]])
    if access is not None:
        unmet = access[(access["unmet"] > 0) | (access["at_office"] > 0)]
        body += f"<h3>Face-to-face demand not served locally ({len(unmet)} rows)</h3>" + _table(unmet)
    report.sections.append(("Violations and unmet demand", body or "<p>None.</p>"))
