"""Report sections for the records: the fit, the backtest and the replay (planner/report.py's helpers)."""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from planner.base.text import quantity
from planner.outputs.report import Chart, Report, _img, _png, _table
from planner.records.backtest import BacktestResult
from planner.records.fit import FitResult
from planner.records.replay import ReplayResult
from planner.scenario.schemas import MONTHS, Scenario


def _list(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>" if lines else ""


def season_chart(fit: FitResult, base: Scenario) -> Chart:
    """Fitted monthly factors (with ±2 standard errors) against the base's, one panel per provider."""
    providers = sorted(fit.demand.providers)
    columns = 3
    rows = max(1, int(np.ceil(len(providers) / columns)))
    figure, axes = plt.subplots(rows, columns, figsize=(9, 2.3 * rows), squeeze=False, sharex=True)
    season = {row.provider_id: row.factors() for row in base.seasonality}
    for axis, provider in zip(axes.flat, providers, strict=False):
        p = fit.demand.providers[provider]
        x = np.arange(12)
        axis.errorbar(x, p.factors, yerr=2 * np.array(p.factor_se), fmt="o-", ms=3, label="fitted ±2 SE")
        axis.plot(x, season[provider], "k:", label="base")
        axis.set_title(f"{provider}: trend {p.trend:+.1%}/yr", fontsize=8)
        axis.set_xticks(x, [m[0].upper() for m in MONTHS], fontsize=7)
    for axis in list(axes.flat)[len(providers):]:
        axis.axis("off")
    axes.flat[0].legend(fontsize=6)
    figure.tight_layout()
    return Chart("fit_seasonality", "Fitted monthly factors against the base scenario's season", _png(figure))


def add_fit_section(report: Report, fit: FitResult, base: Scenario) -> None:
    """'Demand fitted from the records': what was read, what was fitted, what was kept and why."""
    body = "<p>" + html.escape(f"Records {fit.first_month}..{fit.last_month}: ") + "</p>" + _list(fit.summary["reading"])
    if fit.demand.providers:
        chart = season_chart(fit, base)
        report.charts.append(chart)
        body += _img(chart)
    trends = pd.DataFrame([{"provider_id": p.provider_id, "annual_trend": p.trend, "standard_error": p.trend_se,
                            "base_trend": next(q.annual_trend for q in base.providers if q.provider_id == p.provider_id),
                            "records": p.records, "points": p.points} for p in fit.demand.providers.values()])
    if len(trends):
        body += "<h3>Trends</h3>" + _table(trends, 4)
    baseline = fit.tables["baseline_demand.csv"][["point_id", "provider_id", "monthly_volume", "comment"]]
    body += "<h3>Baselines at the horizon start</h3>" + _table(baseline, 1)
    body += "<h3>Notes</h3>" + (_list(fit.notes) or "<p>None.</p>")
    report.sections.append(("Demand fitted from the records", body))


def backtest_chart(result: BacktestResult) -> Chart:
    """Per provider: recorded customers (summed over points) and each model's lead-1 forecasts over the holdout."""
    providers = sorted(result.history["provider_id"].unique())
    columns = 3
    rows = max(1, int(np.ceil(len(providers) / columns)))
    figure, axes = plt.subplots(rows, columns, figsize=(10, 2.5 * rows), squeeze=False)
    history = result.history.groupby(["provider_id", "month"], as_index=False)["actual"].sum()
    lead1 = result.monthly[result.monthly["lead"] == 1].groupby(["provider_id", "month"], as_index=False)[
        list(result.models)].sum()
    for axis, provider in zip(axes.flat, providers, strict=False):
        h = history[history["provider_id"] == provider]
        x = pd.PeriodIndex(h["month"], freq="M").to_timestamp()
        axis.plot(x, h["actual"], color="black", linewidth=1, label="recorded")
        f = lead1[lead1["provider_id"] == provider]
        fx = pd.PeriodIndex(f["month"], freq="M").to_timestamp()
        for model in result.models:
            axis.plot(fx, f[model], marker="o", ms=3, linewidth=1, label=model)
        axis.set_title(provider, fontsize=8)
        axis.tick_params(labelsize=6)
    for axis in list(axes.flat)[len(providers):]:
        axis.axis("off")
    axes.flat[0].legend(fontsize=6)
    figure.tight_layout()
    return Chart("backtest", "Recorded customers and one-month-ahead forecasts over the holdout", _png(figure))


def add_backtest_section(report: Report, result: BacktestResult) -> None:
    """'Forecast accuracy': WAPE and bias per provider and model, with the chart."""
    chart = backtest_chart(result)
    report.charts.append(chart)
    table = result.providers.pivot_table(index="provider_id", columns="model", values=["wape", "bias"]).round(3)
    table.columns = [f"{measure} {model}" for measure, model in table.columns]
    body = (f"<p>Rolling origin over the last {result.holdout} months of the records: each model is fitted on the "
            "months before an origin and forecasts the months from it on. WAPE = Σ|forecast − recorded| / Σ recorded; "
            "bias = Σ(forecast − recorded) / Σ recorded (&gt; 0: too high).</p>" + _img(chart)
            + _table(table.reset_index(), 3))
    report.sections.append(("Forecast accuracy (backtest)", body))


def replay_chart(result: ReplayResult) -> Chart:
    """Service level by hour of day per point: simulated (band: 5-95 %) against Erlang C's promise."""
    points = sorted(result.hours["point_id"].unique())
    figure, axes = plt.subplots(1, len(points), figsize=(2.3 * len(points) + 1, 2.6), squeeze=False, sharey=True)
    for axis, point in zip(axes.flat, points, strict=True):
        h = result.hours[result.hours["point_id"] == point].groupby("hour")[
            ["service_level", "service_level_p05", "service_level_p95", "erlang_c_service_level"]].mean()
        axis.fill_between(h.index, h["service_level_p05"], h["service_level_p95"], alpha=0.3)
        axis.plot(h.index, h["service_level"], marker="o", ms=3, label="simulated")
        axis.plot(h.index, h["erlang_c_service_level"], "k--", linewidth=1, label="Erlang C")
        axis.axhline(result.hours["target"].iloc[0], color="red", linewidth=0.8, linestyle=":")
        axis.set_title(point, fontsize=8)
        axis.set_xlabel("hour", fontsize=7)
        axis.tick_params(labelsize=6)
    axes.flat[0].set_ylabel("service level")
    axes.flat[0].legend(fontsize=6)
    figure.tight_layout()
    return Chart("replay", "Service level by hour: simulated against Erlang C (red: target)", _png(figure))


def add_replay_section(report: Report, result: ReplayResult) -> None:
    """'Replay of the roster': achieved service level per point and the hours short of Erlang C with reasons."""
    if result.points.empty:
        report.sections.append(("Replay of the roster", "<p>" + html.escape("; ".join(result.notes)) + "</p>"))
        return
    chart = replay_chart(result)
    report.charts.append(chart)
    short = result.hours[result.hours["short_of_erlang_c"]]
    short = short.assign(gap=short["erlang_c_service_level"] - short["service_level"]).sort_values(
        "gap", ascending=False).head(30)
    body = (f"<p>Discrete-event simulation (SimPy) of each rostered day, {result.mode} customers, "
            f"{quantity(result.samples, 'run')} per day; patience {result.patience_minutes:.0f} min (from the records).</p>"
            + _img(chart) + _table(result.points, 3)
            + f"<h3>Hours short of Erlang C ({int(result.hours['short_of_erlang_c'].sum())}, largest 30)</h3>"
            + _table(short[["point_id", "date", "hour", "customers", "service_level", "erlang_c_service_level",
                            "waiting_at_start", "reasons"]], 3))
    report.sections.append(("Replay of the roster", body))
