"""The report people read: one self-contained HTML file (charts inlined), plus each chart as PNG.

It opens with the headline (planner/outputs/headline.py): one screen for the point managers,
one for the state providers and the three largest risks; then the week rosters to publish,
the outreach calendar and map, and the detail. Charts are drawn with matplotlib's Agg backend
(no screen, no fonts or scripts fetched), so report.html opens offline. Every chart says what
it shows: the sizing plan (the anonymous shift-cover model) or the roster (named advisors).
Wide tables scroll inside their own box; printed, each point-week of the roster is one A4
landscape page. Words in the report's language (planner/outputs/i18n.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io as _io
from collections.abc import Mapping, Sequence
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
from matplotlib.ticker import FuncFormatter, ScalarFormatter  # noqa: E402

from planner.base import io  # noqa: E402
from planner.base.calendar import wall_minutes  # noqa: E402
from planner.base.errors import Problem  # noqa: E402
from planner.demand.forecast import DemandForecast  # noqa: E402
from planner.outputs.headline import Headline  # noqa: E402
from planner.outputs.i18n import Words  # noqa: E402
from planner.outreach.plan import cost_tables  # noqa: E402
from planner.scenario.schemas import Scenario  # noqa: E402
from planner.staffing.sizing import SizingResult  # noqa: E402

# The English headings of the sections every plan has (the other languages: i18n.TEXTS).
SECTIONS = ("Headline", "Demand by provider", "Advisors needed", "Required and scheduled advisors (sizing plan)",
            "Counter workload by provider")


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
    lang: str = "en"
    notices: list[str] = field(default_factory=list)  # steps or parts not made: a box above everything else
    # What the plan was made with but a reader must check: the input's warnings, the outreach plan's (customers left
    # unmet when every office closed, estimated distances…). In the same box, under a heading of their own.
    cautions: list[str] = field(default_factory=list)


# Per-point charts stop here: a national plan's report would otherwise hold hundreds of
# images (and take longer to draw than the plan to solve); the tables list every point.
MAX_POINT_CHARTS = 24


def charted_points(scenario: Scenario, sizing: SizingResult, words: Words | None = None) -> tuple[list[str], str]:
    """Every point, or the MAX_POINT_CHARTS with the largest average FTE need, and a note saying so."""
    words = words or Words("en")
    points = [p.point_id for p in scenario.points]
    if len(points) <= MAX_POINT_CHARTS:
        return points, ""
    need = sizing.summary.groupby("point_id")["fte_needed"].mean().sort_values(ascending=False, kind="stable")
    chosen = set(need.index[:MAX_POINT_CHARTS])
    note = f"<p>{html.escape(words('charts_note', n=MAX_POINT_CHARTS, total=len(points)))}</p>"
    return [p for p in points if p in chosen], note


def _png(figure: plt.Figure, words: Words | None = None) -> bytes:
    """The chart as PNG; in Finnish and Swedish its numeric tick labels with a decimal comma (2,5, not 2.5)."""
    if words is not None and words.lang != "en":
        for axis in figure.axes:
            for scale in (axis.xaxis, axis.yaxis):
                if isinstance(scale.get_major_formatter(), ScalarFormatter):
                    scale.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}".replace(".", ",")))
    buffer = _io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _img(chart: Chart) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    return f'<figure><img alt="{html.escape(chart.title)}" src="data:image/png;base64,{data}"><figcaption>' \
           f"{html.escape(chart.title)}</figcaption></figure>"


# Counts of whole customers, trips and appointments: "2", not "2,00" (a fraction, which only today's fixed take of
# video can be, keeps its decimals).
WHOLE_COUNTS = ("by_remote_service", "video_customers", "by_video", "served_locally", "not_served_locally",
                "at_office", "unmet", "trips", "appointments")


def _whole(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each column of WHOLE_COUNTS as whole numbers where every value in it is whole."""
    counts = {}
    for column in (c for c in WHOLE_COUNTS if c in frame and pd.api.types.is_float_dtype(frame[c])):
        values = frame[column].dropna()
        if (values == values.round()).all():
            counts[column] = frame[column].round().astype("Int64")
    return frame.assign(**counts) if counts else frame


def _table(frame: pd.DataFrame, digits: int = 2, words: Words | None = None) -> str:
    """A table in its own scrolling box; with `words`, closed lists' values, display names and headers in the
    report's language."""
    frame = _whole(frame)
    if words is not None:
        frame = words.columns(words.names(words.cells(frame)))
    # fi/sv: decimal commas in the number columns (text columns keep their own words)
    numbers = {} if words is None or words.lang == "en" else {"float_format": lambda v: words.number(v, digits)}
    body = frame.round(digits).to_html(index=False, border=0, classes="data", escape=True, na_rep="", **numbers)
    return f'<div class="scroll">{body}</div>'


def _outside_legend(axis: plt.Axes, count: int) -> None:
    """The legend beside the plot, never over the bars or lines."""
    axis.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=1 if count <= 14 else 2,
                frameon=False)


def demand_chart(scenario: Scenario, demand: DemandForecast, point: str, words: Words) -> Chart:
    monthly = demand.monthly[demand.monthly["point_id"] == point]
    table = monthly.pivot_table(index="month", columns="provider_id", values="volume", aggfunc="sum").fillna(0)
    figure, axis = plt.subplots(figsize=(7.5, 3))
    bottom = np.zeros(len(table))
    labels = [words.month(m)[:3] + m[2:4] if words.lang != "en" else m for m in table.index]
    for provider in table.columns:
        axis.bar(labels, table[provider], bottom=bottom, label=words.provider(provider))
        bottom += table[provider].to_numpy()
    axis.set_ylabel(words("customers_month"))
    title = words("demand_title", point=words.point(point))
    axis.set_title(title, fontsize=10)
    axis.tick_params(axis="x", rotation=45)
    _outside_legend(axis, len(table.columns))
    return Chart(f"demand_{point}", title, _png(figure, words))


def fte_chart(scenario: Scenario, sizing: SizingResult, points: list[str] | None = None,
              words: Words | None = None) -> Chart:
    words = words or Words("en", scenario)
    figure, axis = plt.subplots(figsize=(7.5, 3.2))
    for point in (scenario.point(p) for p in (points or [p.point_id for p in scenario.points])):
        rows = sizing.summary[sizing.summary["point_id"] == point.point_id]
        line = axis.plot(rows["month"], rows["fte_with_shrinkage"], marker="o", label=point.name)
        axis.axhline(rows["fte_in_scenario"].iloc[0] if len(rows) else 0, color=line[0].get_color(), linestyle=":",
                     linewidth=1)
    axis.set_ylabel(words("fte_axis"))
    title = words("fte_title")
    axis.set_title(title, fontsize=10)
    axis.tick_params(axis="x", rotation=45)
    _outside_legend(axis, len(axis.lines))
    return Chart("fte_needed", title, _png(figure, words))


def heatmap_chart(scenario: Scenario, sizing: SizingResult, point: str, words: Words | None = None) -> Chart:
    words = words or Words("en", scenario)
    rows = sizing.intervals[sizing.intervals["point_id"] == point]
    # The wall-clock hour (intervals are elapsed minutes: on a clock-change day they read an hour off).
    frame = rows.assign(weekday=rows["date"].dt.day_of_week, hour=wall_minutes(rows["date"], rows["interval_start"]) // 60)
    required = frame.pivot_table(index="weekday", columns="hour", values="required", aggfunc="mean")
    scheduled = frame.pivot_table(index="weekday", columns="hour", values="scheduled", aggfunc="mean")
    figure, axes = plt.subplots(1, 2, figsize=(8.5, 2.6), sharey=True)
    top = max(float(np.nanmax(required.to_numpy())), float(np.nanmax(scheduled.to_numpy())), 1.0)
    names = [words.weekday(dt.date(2024, 1, 1) + dt.timedelta(days=d)) for d in range(7)]
    for axis, table, label in ((axes[0], required, words("heat_required")), (axes[1], scheduled, words("heat_scheduled"))):
        image = axis.imshow(table.to_numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=top)
        axis.set_xticks(range(len(table.columns)), [f"{h}" for h in table.columns], fontsize=7)
        axis.set_yticks(range(len(table.index)), [names[d] for d in table.index], fontsize=7)
        axis.set_title(label, fontsize=9)
        axis.set_xlabel(words("hour"))
    figure.colorbar(image, ax=axes, shrink=0.8)
    title = words("heat_title", point=words.point(point))
    figure.suptitle(title, fontsize=9, y=1.1)
    return Chart(f"heatmap_{point}", title, _png(figure, words))


def build_report(scenario: Scenario, demand: DemandForecast, sizing: SizingResult, words: Words | None = None,
                 headline: Headline | None = None) -> Report:
    words = words or Words("en", scenario)
    report = Report(title=words("title", name=scenario.config.name), lang=words.lang)
    if headline is not None:
        report.sections.append((words("headline"), headline_html(headline, scenario, words)))
    report.charted_points, report.note = charted_points(scenario, sizing, words)
    demand_charts = [demand_chart(scenario, demand, p, words) for p in report.charted_points]
    report.charts += demand_charts
    report.sections.append((words("demand"), report.note + "".join(_img(c) for c in demand_charts)))
    fte = fte_chart(scenario, sizing, report.charted_points, words)
    report.charts.append(fte)
    summary = sizing.summary.groupby("point_id").agg(
        fte_needed=("fte_needed", "mean"), fte_needed_peak=("fte_with_shrinkage", "max"),
        headcount_needed=("headcount_needed", "max"), fte_in_scenario=("fte_in_scenario", "first"),
        persons_in_scenario=("persons_in_scenario", "first"),
    ).reset_index()
    report.sections.append((words("advisors_needed"), _img(fte) + _table(summary, words=words)))
    heatmaps = [heatmap_chart(scenario, sizing, p, words) for p in report.charted_points
                if (sizing.intervals["point_id"] == p).any()]
    report.charts += heatmaps
    report.sections.append((words("required_scheduled"), report.note + "".join(_img(c) for c in heatmaps)))
    providers = [p.provider_id for p in scenario.providers]
    workload = sizing.summary.groupby("point_id")[[f"workload_hours_{p}" for p in providers]
                                                  + [f"cost_eur_{p}" for p in providers]].sum().reset_index()
    rate = f"{scenario.config.workforce.advisor_hourly_cost_eur:g}"
    report.sections.append((words("workload"), f"<p>{html.escape(words('workload_note', rate=rate))}</p>"
                            + _table(workload, 0, words)))
    return report


def _money(value: object) -> str:
    if value is None or value != value:
        return ""
    return f"{float(value):,.0f} €".replace(",", "\u00a0")


def _number(value: object, digits: int = 2, words: Words | None = None) -> str:
    """`value` with `digits` decimals, in the report's language (a decimal comma in fi/sv); "" for None or NaN."""
    return (words or Words("en")).number(value, digits)


def headline_html(headline: Headline, scenario: Scenario, words: Words) -> str:
    """The three screens: points, providers, risks (each a box; wide tables scroll inside it)."""
    esc = html.escape
    rows = []
    for row in headline.points.to_dict("records"):
        short = row["persons_needed"] > row["persons_on_staff"] or row["fte_needed_peak"] > row["fte_on_staff"] + 0.05
        p = row.get("probability_staff_suffices")
        rows.append(
            f'<tr class="{"short" if short else "ok"}"><th>{esc(words.point(row["point_id"]))}</th>'
            f'<td><b>{row["persons_needed"]}</b> / {row["persons_on_staff"]}</td>'
            f'<td><b>{_number(row["fte_needed_peak"], 2, words)}</b> / {_number(row["fte_on_staff"], 2, words)}</td>'
            f'<td>{esc(words.month(row["driving_month"]))}</td><td>{_money(row["cost_eur_year"])}</td>'
            f'<td>{"" if p is None or p != p else f"{100 * p:.0f} %"}</td></tr>')
    points = (f'<div class="scroll"><table class="headline"><thead><tr><th>{esc(words("point"))}</th>'
              f'<th>{esc(words("persons_needed"))} / {esc(words("persons_on_staff"))}</th>'
              f'<th>{esc(words("fte_needed"))} / {esc(words("fte_on_staff"))}</th>'
              f'<th>{esc(words("driving_month"))}</th><th>{esc(words("cost_year"))}</th>'
              f'<th>{esc(words("probability"))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    sentences = "".join(
        "<li>" + esc(words("point_line", point=words.point(r["point_id"]), need=r["persons_needed"],
                           fte=_number(r["fte_needed_peak"]), month=words.month(r["driving_month"]),
                           have=r["persons_on_staff"], have_fte=_number(r["fte_on_staff"]))) + "</li>"
        for r in headline.points.to_dict("records"))
    providers = [p.provider_id for p in scenario.providers]
    share_head = "".join(f"<th>{esc(words.provider(p))}</th>" for p in providers)
    share_rows = "".join(
        f"<tr><th>{esc(words.point(r['point_id']))}</th>"
        + "".join(f"<td>{_money(r[f'share_eur_{p}'])}</td>" for p in providers) + "</tr>"
        for r in headline.shares.to_dict("records"))
    shares = (f'<h4>{esc(words("compensation"))}</h4><div class="scroll"><table class="headline"><thead><tr>'
              f'<th>{esc(words("point"))}</th>{share_head}</tr></thead><tbody>{share_rows}</tbody></table></div>')
    rate = f"{scenario.config.workforce.advisor_hourly_cost_eur:g}"
    probability = (words("probability_note", n=headline.samples) if headline.samples else words("probability_missing"))
    notes = "".join(f"<li>{esc(n)}</li>" for n in [words("persons_note", named=scenario.config.workforce.min_named_persons),
                                                      *headline.notes, words("cost_note", rate=rate), probability])
    provider_rows = []
    has_outreach = "outreach_cost_eur" in headline.providers
    has_video = has_outreach and "by_video" in headline.providers
    # the status quo's column and words only when it was scored (the scenario has status_quo_visits.csv)
    has_quo = has_outreach and "status_quo_cost_eur" in headline.providers and bool(
        headline.providers["status_quo_cost_eur"].notna().any())
    for r in headline.providers.to_dict("records"):
        name = words("total") if r["provider_id"] == "total" else words.provider(r["provider_id"])
        cells = f"<td>{_money(r['compensation_eur_year'])}</td>"
        if has_outreach:
            cells += (f"<td>{_money(r.get('outreach_cost_eur'))}</td>"
                      + (f"<td>{_money(r.get('status_quo_cost_eur'))}</td>" if has_quo else "")
                      + f"<td>{_number(r.get('served_locally'), 0, words)}</td>"
                      + f"<td>{_number(r.get('not_served_locally'), 0, words)}</td>"
                      + (f"<td>{_number(r.get('by_video'), 0, words)}</td>" if has_video else ""))
        provider_rows.append(f"<tr><th>{esc(name)}</th>{cells}</tr>")
    outreach_head = (f"<th>{esc(words('outreach_cost'))}</th>"
                     + (f"<th>{esc(words('status_quo_cost'))}</th>" if has_quo else "")
                     + f"<th>{esc(words('served_locally'))}</th><th>{esc(words('not_served'))}</th>"
                     + (f"<th>{esc(words.column('by_video'))}</th>" if has_video else "")) if has_outreach else ""
    # Compensation is € a year; the outreach figures are for the outreach horizon (the pilots plan a quarter): a
    # header over them says which, so a quarter's € is never read beside a year's as if both were a year's.
    period, group = headline.outreach_period, ""
    if has_outreach and period:
        months = words("months_1") if period[2] == 1 else words("months_n", n=period[2])
        over = words("outreach_period", period=words.period(period[0], period[1]), months=months)
        group = (f'<tr><th></th><th>{esc(words("per_year"))}</th>'
                 f'<th colspan="{3 + has_quo + has_video}">{esc(over)}</th></tr>')
    provider_table = (f'<div class="scroll"><table class="headline"><thead>{group}<tr><th>{esc(words("provider"))}</th>'
                      f'<th>{esc(words("compensation"))}</th>{outreach_head}</tr></thead>'
                      f'<tbody>{"".join(provider_rows)}</tbody></table></div>'
                      + (f'<p class="note">{esc(words("outreach_note" if has_quo else "outreach_note_alone"))}</p>'
                         if has_outreach else ""))
    risks = "".join(f"<li>{esc(r)}</li>" for r in headline.risks) or f"<li>{esc(words('no_risks'))}</li>"
    return (f'<div class="headline-grid" id="headline">'
            f'<div class="box risks"><h3>{esc(words("risks"))}</h3><ol>{risks}</ol></div>'
            f'<div class="box points"><h3>{esc(words("for_points"))}</h3>{points}<ul class="lines">{sentences}</ul>'
            f'{shares}<ul class="note">{notes}</ul></div>'
            f'<div class="box providers"><h3>{esc(words("for_providers"))}</h3>{provider_table}</div></div>')


STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;padding:1em 1.2em;max-width:1320px;
color:#222;overflow-wrap:anywhere}
h1{font-size:1.5em;margin:.2em 0}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
h3{margin:.3em 0 .5em}h4{margin:.8em 0 .3em}
.scroll{overflow-x:auto;max-width:100%}
table.data,table.headline,table.grid{border-collapse:collapse;font-size:.85em;margin:.5em 0}
table.data th,table.data td,table.headline th,table.headline td,table.grid th,table.grid td{border:1px solid #ddd;
padding:.25em .5em;text-align:right;overflow-wrap:normal}
table.data th,table.headline thead th,table.grid thead th{background:#f3f3f3}
table.headline tbody th,table.grid tbody th{text-align:left;white-space:nowrap}
table.headline tr.short th{color:#a61b1b}
.headline-grid{display:grid;grid-template-columns:minmax(0,1fr);gap:.8em}
.headline-grid .risks{grid-column:1 / -1;border-color:#e0b4b4;background:#fdf7f7}
.box.points,.box.providers{font-size:.95em}
.box{border:1px solid #d6dde4;border-radius:6px;padding:.6em .9em;background:#fbfcfd;min-width:0}
.risks ol{margin:.2em 0;padding-left:1.3em}.risks li{margin:.3em 0}
ul.lines{margin:.4em 0;padding-left:1.2em}ul.note,p.note{font-size:.8em;color:#555;padding-left:1.2em}
table.grid{width:100%;table-layout:fixed}table.grid td{text-align:center;font-size:.95em}
table.grid th:first-child{width:13em}table.grid th:nth-last-child(-n+2){width:4.5em}
table.grid tr.opening td{background:#eef3f7;color:#345}
table.grid td.no-roster{background:#fdecea;color:#8a1f11;font-weight:bold}
p.no-roster{border:2px solid #c0392b;background:#fdecea;color:#8a1f11;padding:.4em .6em;font-weight:bold}
table.grid td.shift{background:#e7f4ea}table.grid td.other{color:#777;font-style:italic}
.grid-page{margin-bottom:1em}
figure{display:inline-block;margin:.5em;max-width:100%}img{max-width:100%;height:auto}
figure.map img{width:min(100%,1100px)}
figcaption{font-size:.8em;color:#555}nav{line-height:1.8}nav a{margin-right:1em;white-space:nowrap}
table.month td{vertical-align:top;text-align:left;white-space:pre-line;min-width:7em}
.notice{border:2px solid #b00020;background:#fff4f4;padding:6px 12px;margin:8px 0}
@media (max-width:1000px){.headline-grid{grid-template-columns:minmax(0,1fr)}}
@page{size:A4 landscape;margin:10mm}
@media print{body{max-width:none;padding:0}nav{display:none}.scroll{overflow:visible}
.grid-page{break-after:page;page-break-after:always;break-inside:avoid}
section{break-inside:auto}figure{break-inside:avoid}table.grid{font-size:9pt;width:100%}}
"""


def render_html(report: Report) -> str:
    anchors = [(f"s{n}", heading) for n, (heading, _) in enumerate(report.sections)]
    nav = "".join(f'<a href="#{a}">{html.escape(h)}</a>' for a, h in anchors)
    body = "".join(f'<section id="{a}"><h2>{html.escape(h)}</h2>{content}</section>'
                   for (a, h), (_, content) in zip(anchors, report.sections, strict=True))
    footer = Words(report.lang)("footer")
    notices = ""
    if report.notices or report.cautions:
        words = Words(report.lang)
        # "Not everything was planned" only over what was not made; warnings of a complete plan under their own heading.
        lists = "".join(f"<strong>{html.escape(words(heading))}</strong><ul>"
                        + "".join(f"<li>{html.escape(n)}</li>" for n in items) + "</ul>"
                        for heading, items in (("notice_heading", report.notices), ("caution_heading", report.cautions))
                        if items)
        notices = (f'<div class="notice" id="notices" role="alert">{lists}'
                   + (f"<p>{html.escape(words('notice_language'))}</p>" if words("notice_language") else "") + "</div>")
    return (f"<!DOCTYPE html><html lang=\"{report.lang}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(report.title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{html.escape(report.title)}</h1>{notices}<nav>{nav}</nav>{body}"
            f"<footer><p>{html.escape(footer)}</p></footer></body></html>")


# The steps whose failure leaves the rest of the plan standing (planner/run/pipeline.run_plan): staffing and demand
# failing stop the run.
NOTICE_STEPS = ("roster", "outreach")


def add_step_notices(report: Report, steps: dict[str, dict], failed: dict[str, str], words: Words | None = None,
                     names: Mapping[str, str] | None = None) -> None:
    """Say in the report, in its language, which steps or parts were not made and why (the terminal and
    manifest.json said it; the report, the file people read, did not).

    `steps`: manifest.json's `steps` (step → {"status", "reason", …}); a step whose status is "skipped" gets a notice
    with its reason. `failed`: the pieces that failed ("roster:GROUP", "outreach:AREA" → reason), each a notice of
    its own (when all failed, they are the step's why). The reasons are the run's own words, in English like the terminal's.
    `names`: point id → name, for a point group's part ("saarijarvi" reads "Saarijärvi"; other parts keep their key).
    """
    words = words or Words(report.lang)
    skipped = {step for step in NOTICE_STEPS if steps.get(step, {}).get("status") == "skipped"}
    for step in NOTICE_STEPS:
        if step in skipped:
            reason = str(steps[step].get("reason") or "").rstrip(".")
            report.notices.append(words("step_skipped", step=words(f"step_{step}"), reason=reason))
    for key, reason in sorted(failed.items()):
        step, _, part = key.partition(":")
        if not part:
            continue
        name = words(f"step_{step}") if step in NOTICE_STEPS else step
        part = " + ".join((names or {}).get(p, p) for p in part.split("+"))
        report.notices.append(words("part_failed", step=name, part=part,
                                    reason=(reason.splitlines()[0] if reason else "").rstrip("."))
                              + ("" if step in skipped else " " + words("others_complete")))


def add_input_notices(report: Report, warnings: Sequence[Problem], words: Words | None = None) -> None:
    """The input's warnings (what `planner validate` and the terminal said of the scenario's files, e.g. a point open
    24 hours that its advisors' contracts cannot man) in the report's notices box, each with its file, row and
    column; the message itself in English, as on the terminal."""
    words = words or Words(report.lang)
    for problem in warnings:
        if problem.severity != "warning":
            continue
        where = problem.file + (f" row {problem.row}" if problem.row is not None else "") + (
            f", column {problem.column}" if problem.column else "")
        report.cautions.append(words("input_warning", where=where, message=problem.message.rstrip(".")))


# Outreach warnings in the report's box at most: a national plan can have hundreds (the rest: outreach/summary.json).
MAX_OUTREACH_CAUTIONS = 10


def add_outreach_cautions(report: Report, warnings: Sequence[str], words: Words | None = None) -> None:
    """The outreach plan's own warnings (customers arriving when every office of their provider is closed and how many
    are unmet, estimated distances, a visit past closing…) in the report's box under "check", as the terminal says
    them (in English), the first MAX_OUTREACH_CAUTIONS and how many more; the plan checks' lines are left to
    manifest.json."""
    words = words or Words(report.lang)
    shown = [w for w in warnings if not w.startswith("plan check:")]
    for warning in shown[:MAX_OUTREACH_CAUTIONS]:
        report.cautions.append(words("outreach_warning", message=warning.rstrip(".")))
    if len(shown) > MAX_OUTREACH_CAUTIONS:
        report.cautions.append(words("more_warnings", n=len(shown) - MAX_OUTREACH_CAUTIONS))


def add_status_quo_notice(report: Report, payload: dict | None, words: Words | None = None) -> None:
    """Say in the report when the scenario has today's visits (status_quo_visits.csv) but the status quo was not
    computed (`payload`: outreach summary.json; its `status_quo_note` says why — a search stopped before any plan,
    a plan in areas): without it the status-quo column simply vanished, as if the file were not there."""
    note = (payload or {}).get("status_quo_note")
    if not note or (payload or {}).get("status_quo"):
        return
    words = words or Words(report.lang)
    reason = str(note).removeprefix("not computed: ").rstrip(".")
    report.notices.append(words("status_quo_failed", reason=reason))


def write_report(report: Report, folder: Path, name: str = "report.html") -> list[Path]:
    paths = [io.write_text(render_html(report), folder / name)]
    for chart in report.charts:
        target = folder / "charts" / f"{chart.name}.png"
        with io.atomic_path(target) as tmp:
            tmp.write_bytes(chart.png)
        paths.append(target)
    return paths


def gantt_chart(scenario: Scenario, roster: pd.DataFrame, point: str, words: Words | None = None) -> Chart | None:
    """Every roster week of one point: a row per advisor, a column per day, a bar per shift."""
    words = words or Words("en", scenario)
    rows = roster[roster["point"] == point].copy()
    if rows.empty:
        return None
    rows["day"] = pd.to_datetime(rows["date"]).dt.date
    first = min(rows["day"])
    first -= dt.timedelta(days=first.weekday())
    days = (max(rows["day"]) - first).days + 1
    minutes = lambda text: int(text[:2]) * 60 + int(text[3:5])  # noqa: E731
    people = list(dict.fromkeys(rows.sort_values("name")["name"]))
    figure, axis = plt.subplots(figsize=(min(16, max(8, days * 0.32)), max(1.8, 0.45 * len(people) + 1.0)))
    for row in rows.itertuples():
        y = people.index(row.name)
        x = (row.day - first).days
        start, end = minutes(row.start) / 1440, minutes(row.end) / 1440
        axis.barh(y, end - start, left=x + start, height=0.6, color="#4c72b0")
        if isinstance(row.break_start, str) and row.break_start:
            axis.barh(y, row.break_minutes / 1440, left=x + minutes(row.break_start) / 1440, height=0.6,
                      color="#dddddd")
    for monday in range(0, days + 7, 7):
        axis.axvline(monday, color="#888888", linewidth=0.8)
    ticks = list(range(0, days))
    axis.set_xticks([t + 0.5 for t in ticks], [words.day(first + dt.timedelta(days=t)) for t in ticks], fontsize=6,
                    rotation=90)
    axis.set_yticks(range(len(people)), people, fontsize=8)
    axis.set_xlim(0, days)
    axis.invert_yaxis()
    weeks = sorted({d.isocalendar()[1] for d in rows["day"]})
    title = words("roster_chart", point=words.point(point), first=weeks[0], last=weeks[-1])
    axis.set_title(title, fontsize=10)
    axis.set_xlabel(words("hour_of_day"), fontsize=8)
    return Chart(f"roster_{point}", title, _png(figure, words))


def add_roster_section(report: Report, scenario: Scenario, roster: pd.DataFrame, by_advisor: pd.DataFrame,
                       grids_html: str = "", hours: pd.DataFrame | None = None, words: Words | None = None) -> None:
    words = words or Words(report.lang, scenario)
    if grids_html:
        report.sections.append((words("week_grids"), grids_html))
    points = report.charted_points or [p.point_id for p in scenario.points]
    charts = [c for c in (gantt_chart(scenario, roster, p, words) for p in points) if c is not None]
    report.charts += charts
    shown = by_advisor.drop(columns=["hours_by_week"], errors="ignore")
    report.sections.append((words("rosters"), report.note + "".join(_img(c) for c in charts)
                            + _table(shown, words=words)))


def add_outreach_sections(report: Report, scenario: Scenario, visits: pd.DataFrame, access: pd.DataFrame,
                          payload: dict, month_grid: pd.DataFrame | None = None, words: Words | None = None) -> None:
    from planner.outputs.map import route_map

    words = words or Words(report.lang, scenario)
    chart = Chart("outreach_map", words("map_title"), route_map(scenario, visits, words))
    report.charts.append(chart)
    body = _img(chart).replace("<figure>", '<figure class="map">', 1)
    if month_grid is not None and len(month_grid):
        body += f"<h3>{html.escape(words('month_grid'))}</h3>"
        for month, weeks in month_grid.groupby("month", sort=True):
            shown = weeks.drop(columns=["month"]).rename(columns={
                c: words.weekday(dt.date(2024, 1, 1) + dt.timedelta(days=n))
                for n, c in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])})
            head = "".join(f"<th>{html.escape(words.column(str(c)))}</th>" for c in shown.columns)
            cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(v)).replace(chr(10), '<br>')}</td>" for v in row)
                            + "</tr>" for row in shown.itertuples(index=False))
            body += (f"<h4>{html.escape(words.month(month))}</h4><div class=\"scroll\"><table class=\"data month\">"
                     f"<thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table></div>")
    calendar = visits[["official_id", "date", "stop_order", "point_id", "depart", "arrive", "leave", "return",
                       "appointments", *[c for c in ("trip_id", "nights") if c in visits.columns]]] \
        if len(visits) else visits  # an overnight trip's days carry its trip and nights
    # a plan with no visit says so and why, in place of a table of headers
    listed = f"<p><strong>{html.escape(words.no_visits(payload))}</strong></p>" if visits.empty else ""
    report.sections.append((words("outreach"), listed + body + (_table(calendar, words=words) if len(visits) else "")))
    totals, costs = cost_tables(visits, payload)
    # a plan without trips has no official to list: said, not a table of headers
    per_official = _table(costs, words=words) if len(costs) else f"<p>{html.escape(words('no_trips'))}</p>"
    report.sections.append((words("costs"), f"<p>{html.escape(words('costs_note'))}</p>" + _table(totals, words=words)
                            + per_official))


def pareto_chart(pareto: pd.DataFrame, chosen: dict, words: Words | None = None) -> Chart:
    """Official cost against residents' access cost, one point per λ, the plan's own marked."""
    words = words or Words("en")
    figure, axis = plt.subplots(figsize=(6.5, 4))
    frame = pareto.sort_values("official_cost_eur")
    axis.plot(frame["official_cost_eur"], frame["access_cost_eur"], marker="o", color="#4c72b0")
    for row in frame.itertuples():
        axis.annotate(f"λ={row.access_weight:g}", (row.official_cost_eur, row.access_cost_eur), fontsize=7,
                      xytext=(4, 4), textcoords="offset points")
    if chosen.get("official_cost_eur") is not None:
        axis.scatter([chosen["official_cost_eur"]], [chosen["access_cost_eur"]], marker="*", s=160, color="#c44e52",
                     zorder=3, label=words("this_plan"))
        _outside_legend(axis, 1)
    axis.set_xlabel(words("official_cost_axis"))
    axis.set_ylabel(words("access_cost_axis"))
    axis.set_title(words("pareto_title"), fontsize=10)
    return Chart("pareto", words("pareto_title"), _png(figure, words))


def add_pareto_section(report: Report, pareto: pd.DataFrame, payload: dict, words: Words | None = None) -> None:
    words = words or Words(report.lang)
    chart = pareto_chart(pareto, payload, words)
    report.charts.append(chart)
    report.sections.append((words("pareto"), f"<p>{html.escape(words('pareto_note'))}</p>" + _img(chart)
                            + _table(pareto, words=words)))


def add_violations_section(report: Report, violations: pd.DataFrame | None, access: pd.DataFrame | None,
                           words: Words | None = None) -> None:
    words = words or Words(report.lang)
    body = ""
    if violations is not None:
        shown = violations.sort_values("penalty", ascending=False).head(40)
        shown = shown.assign(message=shown["message"].map(words.breach))  # the model writes them in English
        body += f"<h3>{html.escape(words('breaches', n=len(violations)))}</h3>" + _table(
            shown[["point", "advisor", "date", "start", "end", "penalty", "message"]], words=words)
    if access is not None:
        unmet = access[(access["unmet"] > 0) | (access["at_office"] > 0)]
        body += f"<h3>{html.escape(words('unmet_heading', n=len(unmet)))}</h3>" + _table(unmet, words=words)
    report.sections.append((words("violations"), body or f"<p>{html.escape(words('none'))}</p>"))


def add_solver_section(report: Report, results: pd.DataFrame, words: Words | None = None) -> None:
    """How good each solve is: one row per step and part with status, objective, best bound and gap.

    `results`: the frame of planner.run.pipeline.solver_results (columns step, part, status,
    objective, best_bound, gap_percent, objective_is). A budget-limited answer reads FEASIBLE with
    its gap, never optimal; a blank gap means no valid bound is known. A roster made in work
    periods is bounded by a Lagrangian bound over its periods' floors, plain or priced
    (planner/rosters/roster.period_bounds, mixed_bound).
    """
    words = words or Words(report.lang)
    note = f"<p>{html.escape(words('solver_note'))}</p>"
    report.sections.append((words("solver"), note + _table(results, 2, words)))

