"""`planner backtest`: how wrong is the fitted forecast? Rolling-origin evaluation on held-out months.

For each origin o among the last `holdout` months of the records, every model is fitted on
the months before o only and forecasts the months o … last (lead 1, 2, …). The errors of
all (origin, month) forecasts of a (point, provider) are summed:

    WAPE = Σ |F − A| / Σ A        bias = Σ (F − A) / Σ A

(weighted absolute percentage error, and its signed version: > 0 = over-forecast), per
pair and per provider (summed over its points). A are the recorded customers less known
one-off events — what every model is meant to forecast. Models:

- `fitted`: model.fit_demand (the level × season × trend regression behind `planner fit`),
  pairs it cannot fit fall back to `typed_in`;
- `seasonal_naive`: the same month a year earlier (the benchmark a forecast must beat);
- `ets`: statsforecast's AutoETS per pair (season length 12, the model chosen by AICc);
- `typed_in`: the base scenario's own numbers (baseline, seasonality, trend, closures)
  extended to the past (history.monthly_model).

Office closures dated after an origin are known in advance: their transfer (as the scenario
models it) is added to `fitted`, `seasonal_naive` and `ets`; `typed_in` has it already.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.text import quantity
from planner.demand.forecast import KEYS
from planner.records.fit import known_events, monthly_counts, open_day_table
from planner.records.history import monthly_model
from planner.records.model import fit_demand
from planner.records.reader import Records
from planner.scenario.schemas import Scenario

MODELS: tuple[str, ...] = ("fitted", "seasonal_naive", "ets", "typed_in")


@dataclass
class BacktestResult:
    """`monthly`: one row per (pair, origin, month) with `actual`, `lead` and a column per model;
    `pairs` / `providers`: WAPE and bias per model."""

    monthly: pd.DataFrame
    pairs: pd.DataFrame
    providers: pd.DataFrame
    history: pd.DataFrame  # point_id, provider_id, month, actual (the whole records' period)
    holdout: int
    models: tuple[str, ...]


def _ets(train: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """AutoETS per pair (statsforecast): columns point_id, provider_id, month, ets."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    frame = train.assign(unique_id=train["point_id"] + "|" + train["provider_id"],
                         ds=pd.PeriodIndex(train["month"], freq="M").to_timestamp(), y=train["customers"].astype(float))
    totals = frame.groupby("unique_id")["y"].transform("sum")
    active = frame[totals > 0][["unique_id", "ds", "y"]]
    rows = []
    if len(active):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = StatsForecast(models=[AutoETS(season_length=12)], freq="MS", n_jobs=1)
            forecast = model.forecast(df=active, h=horizon)
        forecast = forecast.reset_index() if "unique_id" not in forecast.columns else forecast
        for row in forecast.itertuples(index=False):
            point, provider = row.unique_id.split("|")
            rows.append((point, provider, f"{row.ds:%Y-%m}", max(float(row.AutoETS), 0.0)))
    return pd.DataFrame(rows, columns=[*KEYS, "month", "ets"])


def scores(frame: pd.DataFrame, by: list[str], models: tuple[str, ...]) -> pd.DataFrame:
    """WAPE and bias of each model over the rows of each group: columns by…, model, actual, forecast, wape, bias."""
    parts = []
    for model in models:
        grouped = frame.assign(error=(frame[model] - frame["actual"]).abs(), signed=frame[model] - frame["actual"])
        table = grouped.groupby(by, as_index=False).agg(actual=("actual", "sum"), forecast=(model, "sum"),
                                                        error=("error", "sum"), signed=("signed", "sum"))
        table["model"] = model
        table["wape"] = np.where(table["actual"] > 0, table["error"] / table["actual"].where(table["actual"] > 0, 1), np.nan)
        table["bias"] = np.where(table["actual"] > 0, table["signed"] / table["actual"].where(table["actual"] > 0, 1), np.nan)
        parts.append(table[[*by, "model", "actual", "forecast", "wape", "bias"]])
    return pd.concat(parts, ignore_index=True).sort_values([*by, "model"], kind="stable").reset_index(drop=True)


def backtest(records: Records, base: Scenario, holdout: int = 6, models: tuple[str, ...] = MODELS) -> BacktestResult:
    """Rolling-origin backtest of the models over the last `holdout` months of the records.

    Raises ValueError when the records span fewer than holdout + 13 months (a seasonal
    model needs a year before the first origin). See the module docstring for the models
    and measures.
    """
    first, last = records.period()
    months = [str(p) for p in pd.period_range(first, last, freq="M")]
    if len(months) < holdout + 13:
        raise ValueError(f"the records span {quantity(len(months), 'month')}; a backtest with --holdout {holdout} needs at least "
                         f"{holdout + 13} (a year before the first origin)")
    first_day = pd.Period(first, freq="M").start_time.date()
    last_day = pd.Period(last, freq="M").end_time.date()
    days = open_day_table(base, first_day, last_day)
    counts = monthly_counts(records, base, known_events(records, base, last_day), days)
    offices = {o.office_id: o.provider_id for o in base.offices}
    season = {row.provider_id: row.factors() for row in base.seasonality}
    trend = {q.provider_id: q.annual_trend for q in base.providers}
    typed = monthly_model(base, first_day, len(months)).rename(columns={"expected": "typed_in"})
    actual = counts[[*KEYS, "month", "customers"]].rename(columns={"customers": "actual"})
    parts = []
    for origin in months[len(months) - holdout:]:
        origin_day = pd.Period(origin, freq="M").start_time.date()
        train = counts[counts["month"] < origin]
        target = [m for m in months if m >= origin]
        later = tuple(c for c in base.closures if c.date >= origin_day)
        known = base.model_copy(update={"baseline_demand": ()})
        transfer = monthly_model(known, origin_day, len(target), closures=later).rename(columns={"expected": "transfer"})
        frame = actual[actual["month"].isin(target)].assign(origin=origin)
        frame["lead"] = [(pd.Period(m, freq="M") - pd.Period(origin, freq="M")).n + 1 for m in frame["month"]]
        frame = frame.merge(typed, on=[*KEYS, "month"], how="left").merge(transfer, on=[*KEYS, "month"], how="left")
        frame[["typed_in", "transfer"]] = frame[["typed_in", "transfer"]].fillna(0.0)
        if "fitted" in models:
            breaks = [(c.point_id, offices[c.office_id], pd.Timestamp(c.date)) for c in base.closures
                      if c.date < origin_day]
            fit = fit_demand(train, breaks, origin, season, trend)
            predicted = fit.predict(target, season, trend)
            frame = frame.merge(predicted, on=[*KEYS, "month"], how="left")
            frame["fitted"] = np.where(frame["forecast"].notna(), frame["forecast"] + frame["transfer"], frame["typed_in"])
            frame = frame.drop(columns="forecast")
        if "seasonal_naive" in models:
            lagged = train.assign(month=[str(pd.Period(m, freq="M") + 12) for m in train["month"]])
            lagged = lagged[[*KEYS, "month", "customers"]].rename(columns={"customers": "naive"})
            frame = frame.merge(lagged, on=[*KEYS, "month"], how="left")
            # Beyond a year ahead the naive forecast repeats the last year it has.
            frame["seasonal_naive"] = frame["naive"].fillna(0.0) + frame["transfer"]
            frame = frame.drop(columns="naive")
        if "ets" in models:
            frame = frame.merge(_ets(train, len(target)), on=[*KEYS, "month"], how="left")
            frame["ets"] = frame["ets"].fillna(0.0) + frame["transfer"]
        parts.append(frame.drop(columns="transfer"))
    monthly = pd.concat(parts, ignore_index=True)
    monthly = monthly[[*KEYS, "origin", "month", "lead", "actual", *models]].sort_values(
        [*KEYS, "origin", "month"], kind="stable").reset_index(drop=True)
    return BacktestResult(monthly, scores(monthly, KEYS, models), scores(monthly, ["provider_id"], models),
                          actual, holdout, models)


def backtest_tables(result: BacktestResult) -> dict[str, pd.DataFrame]:
    """backtest_monthly.csv, backtest_pairs.csv and backtest_providers.csv, rounded."""
    return {"backtest_monthly.csv": result.monthly.round(3), "backtest_pairs.csv": result.pairs.round(4),
            "backtest_providers.csv": result.providers.round(4)}


def accuracy_lines(result: BacktestResult) -> list[str]:
    """One line per provider: each model's WAPE and bias, the best marked."""
    lines = [f"WAPE (bias) over a {result.holdout}-month rolling-origin holdout, per provider:"]
    table = result.providers
    for provider, rows in table.groupby("provider_id", sort=True):
        best = rows.loc[rows["wape"].idxmin(), "model"] if rows["wape"].notna().any() else ""
        cells = [f"{r.model} {r.wape:.1%} ({r.bias:+.1%})" + (" *" if r.model == best else "")
                 for r in rows.itertuples()]
        lines.append(f"  {provider}: " + ", ".join(cells))
    lines.append("  (* = smallest WAPE)")
    return lines


def holdout_start(result: BacktestResult) -> dt.date:
    return pd.Period(result.monthly["origin"].min(), freq="M").start_time.date()
