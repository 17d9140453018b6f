"""`planner fit`: a variant of a scenario whose demand is fitted from visit logs.

From the records (reader.Records) and the base scenario:

- **monthly volume** per (point, provider): counter customers per month, less the known
  one-off events of the records' period (events.csv of the logs and the base's
  overflow_events.csv rows inside the period: office daily visits × share per open day of
  the event), fitted by model.fit_demand — season and trend per provider, a baseline per
  pair at the base's horizon start. An office closure inside (or before) the records'
  period is already in the records: it starts a new regime of its pair and its
  closures.csv row is dropped once the pair's baseline is fitted from after it (an office
  closed to customers keeps its row with 0 visits: outreach never sends anyone there). Closures
  and overflow events after the records still apply on top of the fitted demand.
- **weekday factors and hourly profile** per point (weekday_profiles.csv,
  hourly_profiles.csv): customers per open day of each weekday, per open minute of each
  clock hour, public holidays excluded.
- **handling minutes** per provider: the mean of finished_at − called_at (providers.csv);
  the spread and the share of multi-errand visits are in fit_provenance.csv.

Where the records are too few, the base's value stays and the run says so. Every fitted
value says in its row's `comment` that it was fitted, from how many records over which
months; `fit_provenance.csv` lists each with its standard error and the base's value, and
`fit.json` the run (records read, used, excluded by kind; notes).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base.calendar import finnish_holidays, minutes
from planner.base.errors import Problem, ScenarioError
from planner.base.text import quantity
from planner.demand.forecast import KEYS
from planner.outputs.writer import OutputFolder
from planner.records.model import DemandFit, fit_demand
from planner.records.reader import Records, describe
from planner.scenario.loading import load_scenario
from planner.scenario.schemas import MONTHS, WEEKDAYS, OverflowRow, Scenario

MIN_POINT_RECORDS = 500  # for a point's weekday and hourly profile
MIN_HANDLING_RECORDS = 30


@dataclass
class FitResult:
    """What `fit_variant` computed: the demand fit, the tables of the variant and the provenance."""

    demand: DemandFit
    tables: dict[str, pd.DataFrame]
    provenance: pd.DataFrame
    summary: dict
    notes: list[str] = field(default_factory=list)
    first_month: str = ""
    last_month: str = ""


def _months(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def open_day_table(scenario: Scenario, first: dt.date, last: dt.date) -> pd.DataFrame:
    """One row per (point, open day) in [first, last]: point_id, date, weekday, opens, closes (minutes)."""
    dates = pd.date_range(first, last, freq="D")
    closed = list(finnish_holidays(first.year, last.year))
    days = pd.DataFrame({"date": dates[~pd.Index(dates.date).isin(closed)]})
    days["weekday"] = [WEEKDAYS[d] for d in days["date"].dt.day_of_week]
    hours = pd.DataFrame([(h.point_id, h.weekday, minutes(h.opens), minutes(h.closes)) for h in scenario.opening_hours],
                         columns=["point_id", "weekday", "opens", "closes"])
    return days.merge(hours, on="weekday").sort_values(["point_id", "date"], kind="stable").reset_index(drop=True)


def event_volumes(scenario: Scenario, events: tuple[OverflowRow, ...], days: pd.DataFrame) -> pd.DataFrame:
    """Expected customers of each known event per (point_id, provider_id, month): column `event`."""
    offices = {o.office_id: o.provider_id for o in scenario.offices}
    rows = []
    for event in events:
        mask = ((days["point_id"] == event.point_id) & (days["date"] >= pd.Timestamp(event.start))
                & (days["date"] <= pd.Timestamp(event.end)))
        for day in days.loc[mask, "date"]:
            rows.append((event.point_id, offices[event.office_id], day.strftime("%Y-%m"),
                         event.office_daily_visits * event.share_to_point))
    frame = pd.DataFrame(rows, columns=[*KEYS, "month", "event"]).astype({"event": float})  # float when empty too
    return frame.groupby([*KEYS, "month"], as_index=False)["event"].sum()


def _profiles(records: Records, days: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[dict], list[str]]:
    """weekday_profiles.csv and hourly_profiles.csv rows for points with enough records.

    Aggregated in SQL (customers per point and weekday, per point and clock hour) against the
    open days of `days`, so that a national log of hundreds of points costs a few small frames.
    """
    per_weekday = records.df("SELECT point_id, weekday, count(*)::BIGINT AS customers FROM visits "
                             "WHERE channel = 'counter' GROUP BY ALL")
    hourly = records.df("SELECT point_id, hour, count(*)::BIGINT AS customers FROM visits WHERE channel = 'counter' "
                        "GROUP BY ALL")
    first, last = records.period()
    span = f"{first}..{last}"
    totals = per_weekday.groupby("point_id")["customers"].sum()
    # Customers per open day of each weekday (the reader has left out arrivals on days the point is closed).
    open_count = days.groupby(["point_id", "weekday"]).size().rename("open_days").reset_index()
    by_weekday = open_count.merge(per_weekday, on=["point_id", "weekday"], how="left").fillna({"customers": 0})
    by_weekday["mean"] = by_weekday["customers"] / by_weekday["open_days"]
    by_weekday["factor"] = by_weekday["mean"] / by_weekday.groupby("point_id")["mean"].transform("mean")
    factor_of = {(r.point_id, r.weekday): float(r.factor) for r in by_weekday.itertuples(index=False)}
    # Open minutes of each clock hour over the open days: windows (opens, closes) × days with that window.
    windows = days.groupby(["point_id", "opens", "closes"]).size().rename("days").reset_index()
    starts = 60 * np.arange(24)
    overlap = np.clip(np.minimum(windows["closes"].to_numpy()[:, None], starts + 60)
                      - np.maximum(windows["opens"].to_numpy()[:, None], starts), 0, None)
    open_minutes = pd.DataFrame(overlap * windows["days"].to_numpy()[:, None]).groupby(windows["point_id"].to_numpy()).sum()
    counts_of = hourly.pivot_table(index="point_id", columns="hour", values="customers", aggfunc="sum", fill_value=0)
    counts_of = counts_of.reindex(columns=range(24), fill_value=0)
    weekday_rows, hourly_rows, provenance, notes = [], [], [], []
    for point in sorted(days["point_id"].unique()):
        total = int(totals.get(point, 0))
        if total < MIN_POINT_RECORDS:
            notes.append(f"{point}: weekday and hourly profile kept from scenario.toml — {total} customers "
                         f"(a fit needs {MIN_POINT_RECORDS})")
            continue
        factors = {d: factor_of[(point, d)] for d in WEEKDAYS if (point, d) in factor_of}
        comment = f"fitted from {total} records, {span}: customers per open day of each weekday"
        weekday_rows.append({"point_id": point, **{d: round(float(factors.get(d, 1.0)), 4) for d in WEEKDAYS},
                             "comment": comment})
        provenance += [{"file": "weekday_profiles.csv", "key": point, "column": d, "value": round(float(f), 4),
                        "records": total, "months": span, "method": "mean per open day / mean over weekdays"}
                       for d, f in sorted(factors.items())]
        minutes_open = open_minutes.loc[point].to_numpy(float)
        counts = counts_of.loc[point].to_numpy(float) if point in counts_of.index else np.zeros(24)
        rate = np.where(minutes_open > 0, counts / np.maximum(minutes_open, 1), 0.0)
        scale = 100.0 / rate.sum() if rate.sum() > 0 else 0.0
        for hour in range(24):
            if minutes_open[hour] > 0:
                weight = round(float(rate[hour] * scale), 3)
                hourly_rows.append({"point_id": point, "hour": hour, "weight": weight,
                                    "comment": f"fitted from {int(counts[hour])} of {total} records, {span}: "
                                               "customers per open minute"})
                provenance.append({"file": "hourly_profiles.csv", "key": f"{point} {hour}", "column": "weight",
                                   "value": weight, "records": int(counts[hour]), "months": span,
                                   "method": "customers per open minute, scaled to 100"})
    return pd.DataFrame(weekday_rows), pd.DataFrame(hourly_rows), provenance, notes


def monthly_counts(records: Records, scenario: Scenario, events: tuple[OverflowRow, ...], days: pd.DataFrame
                   ) -> pd.DataFrame:
    """Customers per (point, provider, month) over the whole period, zeros included, known events taken out."""
    first, last = records.period()
    counts = records.monthly()
    pairs = pd.concat([counts[KEYS], pd.DataFrame([(b.point_id, b.provider_id) for b in scenario.baseline_demand],
                                                  columns=KEYS)]).drop_duplicates()
    grid = pairs.merge(pd.DataFrame({"month": _months(first, last)}), how="cross")
    grid = grid.merge(counts, on=[*KEYS, "month"], how="left").fillna({"customers": 0})
    grid = grid.merge(event_volumes(scenario, events, days), on=[*KEYS, "month"], how="left").fillna({"event": 0.0})
    grid["recorded"] = grid["customers"].astype(float)
    grid["customers"] = (grid["recorded"] - grid["event"]).clip(lower=0.0)
    return grid


def known_events(records: Records, scenario: Scenario, last_day: dt.date) -> tuple[OverflowRow, ...]:
    """The one-off events inside the records: the logs' events.csv and the base's overflow events up to the last day."""
    inside = tuple(e for e in scenario.overflow_events if e.start <= last_day)
    ids = {e.event_id for e in records.events}
    return records.events + tuple(e for e in inside if e.event_id not in ids)


def fit_variant(records: Records, base: Scenario, min_pair_records: int = 30) -> FitResult:
    """Fit the base scenario's demand to the records; the variant's tables (not yet written).

    Returns FitResult whose `tables` maps file name → DataFrame for baseline_demand.csv,
    seasonality.csv, providers.csv, closures.csv, overflow_events.csv,
    weekday_profiles.csv, hourly_profiles.csv and fit_provenance.csv.
    """
    first, last = records.period()
    first_day = pd.Period(first, freq="M").start_time.date()
    last_day = pd.Period(last, freq="M").end_time.date()
    span = f"{first}..{last}"
    days = open_day_table(base, first_day, last_day)
    events = known_events(records, base, last_day)
    counts = monthly_counts(records, base, events, days)
    offices = {o.office_id: o.provider_id for o in base.offices}
    breaks = [(c.point_id, offices[c.office_id], pd.Timestamp(c.date)) for c in base.closures if c.date <= last_day]
    season = {row.provider_id: row.factors() for row in base.seasonality}
    trend = {q.provider_id: q.annual_trend for q in base.providers}
    reference = f"{base.config.horizon.start:%Y-%m}"
    demand = fit_demand(counts, breaks, reference, season, trend, min_pair_records=min_pair_records)
    notes = list(demand.notes)
    provenance: list[dict] = []

    # seasonality.csv and providers.csv
    seasonality_rows = []
    for row in base.seasonality:
        fit = demand.providers.get(row.provider_id)
        if fit is None:
            seasonality_rows.append(row.model_dump())
            continue
        comment = (f"fitted from {fit.records} records at {quantity(fit.points, 'point')}, {span} (Poisson regression of "
                   f"level x season x trend; standard error up to {max(fit.factor_se):.3f})")
        seasonality_rows.append({"provider_id": row.provider_id,
                                 **{m: round(f, 4) for m, f in zip(MONTHS, fit.factors, strict=True)}, "comment": comment})
        provenance += [{"file": "seasonality.csv", "key": row.provider_id, "column": m, "value": round(f, 4),
                        "base_value": b, "standard_error": round(se, 4), "records": fit.records, "months": span,
                        "method": "Poisson regression (statsmodels GLM)"}
                       for m, f, se, b in zip(MONTHS, fit.factors, fit.factor_se, row.factors(), strict=True)]
    handling = records.handling().set_index("provider_id")
    provider_rows = []
    for q in base.providers:
        row = q.model_dump()
        fit = demand.providers.get(q.provider_id)
        said = []
        if fit is not None:
            low, high = fit.trend - 1.96 * fit.trend_se, fit.trend + 1.96 * fit.trend_se
            row.update(annual_trend=round(fit.trend, 4), annual_trend_low=round(max(low, -0.99), 4),
                       annual_trend_high=round(min(high, 0.99), 4))
            said.append(f"annual_trend fitted from {fit.records} records, {span} (± {fit.trend_se:.3f}; low/high = "
                        "95 % interval)")
            provenance.append({"file": "providers.csv", "key": q.provider_id, "column": "annual_trend",
                               "value": round(fit.trend, 4), "base_value": q.annual_trend,
                               "standard_error": round(fit.trend_se, 4), "records": fit.records, "months": span,
                               "method": "Poisson regression (statsmodels GLM)"})
        if q.provider_id in handling.index and handling.loc[q.provider_id, "records"] >= MIN_HANDLING_RECORDS:
            h = handling.loc[q.provider_id]
            row["handling_minutes"] = round(float(h["mean_min"]), 2)
            said.append(f"handling_minutes fitted from {int(h['records'])} called/finished records, {span} "
                        f"(sd {h['sd_min']:.1f} min; {h['multi_errand_share']:.0%} of visits had several errands)")
            provenance += [
                {"file": "providers.csv", "key": q.provider_id, "column": "handling_minutes",
                 "value": round(float(h["mean_min"]), 2), "base_value": q.handling_minutes,
                 "standard_error": round(float(h["sd_min"]) / np.sqrt(h["records"]), 3), "records": int(h["records"]),
                 "months": span, "method": "mean of finished_at - called_at"},
                {"file": "fit_provenance.csv", "key": q.provider_id, "column": "handling_sd_minutes",
                 "value": round(float(h["sd_min"]), 2), "records": int(h["records"]), "months": span,
                 "method": "standard deviation of finished_at - called_at"},
                {"file": "fit_provenance.csv", "key": q.provider_id, "column": "multi_errand_share",
                 "value": round(float(h["multi_errand_share"]), 4), "records": int(h["customers"]), "months": span,
                 "method": "share of visits with errands > 1"}]
        else:
            found = int(handling.loc[q.provider_id, "records"]) if q.provider_id in handling.index else 0
            notes.append(f"{q.provider_id}: handling_minutes kept from the base scenario — {found} called/finished "
                         f"records (a fit needs {MIN_HANDLING_RECORDS})")
        if said:
            row["comment"] = "; ".join(said) + (f". Base: {q.comment}" if q.comment else "")
        provider_rows.append(row)

    # baseline_demand.csv
    baseline_rows = []
    base_pairs = {(b.point_id, b.provider_id): b for b in base.baseline_demand}
    for key in sorted(set(base_pairs) | set(demand.pairs)):
        b, pair = base_pairs.get(key), demand.pairs.get(key)
        if pair is None:
            baseline_rows.append(b.model_dump())
            continue
        baseline_rows.append({"point_id": key[0], "provider_id": key[1], "monthly_volume": round(pair.level, 3),
                              "handling_minutes": b.handling_minutes if b else None,
                              "comment": f"fitted from {pair.records} records over {pair.months} months ({span}, "
                                         f"{pair.method}); base {b.monthly_volume if b else 'none'}"})
        provenance.append({"file": "baseline_demand.csv", "key": f"{key[0]} {key[1]}", "column": "monthly_volume",
                           "value": round(pair.level, 3), "base_value": b.monthly_volume if b else None,
                           "records": pair.records, "months": span, "method": pair.method})

    # closures.csv and overflow_events.csv: what the records already hold is not counted twice.
    closure_rows = []
    for c in base.closures:
        key = (c.point_id, offices[c.office_id])
        if c.date <= last_day and key in demand.pairs:
            notes.append(f"closure of {c.office_id} on {c.date} is in the records (fitted {key[0]}/{key[1]} baseline): "
                         "not applied again" + (" (kept with 0 visits: the office stays closed to customers)"
                                                if c.change == "closes" else ""))
            if c.change == "closes":  # its transfer is in the records; that the door is shut is not
                closure_rows.append({**c.model_dump(), "monthly_visits": 0.0})
        else:
            if c.date <= last_day:
                notes.append(f"closure of {c.office_id} on {c.date} kept: {key[0]}/{key[1]} was not fitted")
            closure_rows.append(c.model_dump())
    overflow_rows = []
    for e in base.overflow_events:
        if e.start <= last_day:
            notes.append(f"overflow event {e.event_id} ({e.start}) is in the records' period: taken out of the counts, "
                         "not applied again")
        else:
            overflow_rows.append(e.model_dump())
    weekday, hourly, profile_provenance, profile_notes = _profiles(records, days)
    notes += profile_notes
    provenance += profile_provenance
    if events:
        notes.append(f"{quantity(len(events), 'known one-off event')} taken out of the monthly counts: "
                     + ", ".join(e.event_id for e in events))
    tables = {
        "baseline_demand.csv": pd.DataFrame(baseline_rows),
        "seasonality.csv": pd.DataFrame(seasonality_rows),
        "providers.csv": pd.DataFrame(provider_rows),
        "closures.csv": _frame(closure_rows, ["office_id", "date", "monthly_visits", "point_id", "share_to_point",
                                              "share_low", "share_high", "change", "comment"]),
        "overflow_events.csv": _frame(overflow_rows, ["event_id", "office_id", "point_id", "start", "end",
                                                      "office_daily_visits", "share_to_point", "comment"]),
    }
    if len(weekday):
        tables["weekday_profiles.csv"] = weekday
    if len(hourly):
        tables["hourly_profiles.csv"] = hourly
    columns = ["file", "key", "column", "value", "base_value", "standard_error", "records", "months", "method"]
    provenance_frame = pd.DataFrame(provenance).reindex(columns=columns)
    summary = {
        "records": {"files": len(records.files), "rows_read": records.rows_read, "rows_used": records.rows_used,
                    "excluded": {e.kind: e.count for e in records.exclusions}, "first_month": first,
                    "last_month": last},
        "reference_month": reference,
        "providers_fitted": sorted(demand.providers), "pairs_fitted": len(demand.pairs),
        "pairs_kept_from_base": sorted(f"{p}/{q}" for p, q in set(base_pairs) - set(demand.pairs)),
        "events_taken_out": [e.event_id for e in events],
        "notes": notes,
        "reading": describe(records),
    }
    return FitResult(demand, tables, provenance_frame, summary, notes, first, last)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists as `a|b`, None as empty cells."""
    frame = frame.copy()
    for column in frame.columns:
        frame[column] = frame[column].map(lambda v: "|".join(v) if isinstance(v, tuple) else v)
    return frame


def variant_toml(base_dir: Path, output: Path, result: FitResult) -> str:
    base = os.path.relpath(base_dir.resolve(), output.resolve())
    lines = [
        "# Written by `planner fit`: the base scenario with its demand fitted from visit logs.",
        f"# Records: {result.summary['records']['rows_used']} visits used of {result.summary['records']['rows_read']} read, "
        f"{result.first_month}..{result.last_month}.",
        "# Each fitted value says so in its row's comment; fit_provenance.csv lists them with standard errors.",
        *[f"# note: {n}" for n in result.notes],
        f'base = "{base}"',
        f'description = "Demand fitted from {result.summary["records"]["rows_used"]} visits, '
        f'{result.first_month}..{result.last_month}"',
    ]
    return "\n".join(lines) + "\n"


def variant_files(result: FitResult, base_dir: Path, output: Path) -> dict[str, object]:
    """The variant folder's files (name → content) as they are to stand at `output` (its base path relative to it)."""
    files: dict[str, object] = {"variant.toml": variant_toml(base_dir, output, result)}
    files.update({name: _csv_ready(frame) for name, frame in result.tables.items()})
    files["fit_provenance.csv"] = result.provenance
    files["fit.json"] = result.summary
    return files


def check_variant(folder: Path) -> None:
    """Load a written variant folder as a scenario; ScenarioError ("the fitted variant does not load: …") if it fails."""
    try:
        load_scenario(folder, purpose="staffing")
    except ScenarioError as exc:
        raise ScenarioError([Problem("fit", f"the fitted variant does not load: {p}") for p in exc.problems]) from exc


def write_variant(result: FitResult, base_dir: Path, output: Path) -> list[Path]:
    """Write the variant folder through the one writer (OutputFolder), checked by the scenario loader before the swap.

    Returns the written paths. Raises ScenarioError (nothing written, an earlier OUTPUT intact)
    when the loader rejects the variant or OUTPUT cannot be written.
    """
    with OutputFolder(output, "fit") as folder:
        return folder.commit(variant_files(result, base_dir, folder.target), check=check_variant)
