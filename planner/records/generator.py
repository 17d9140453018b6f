"""Realistic visit logs drawn from a scenario, for trying the fit, backtest and replay without real data.

For each month of the `years` × 12 months before the scenario's horizon:

1. the scenario's demand model for that month (history.shifted: baselines, seasons, trends,
   closures that moved customers to the point, one-off overflow days) is spread over the
   open days and 15-minute intervals exactly as planner/demand.py does — holidays and
   closed weekdays get nobody, the weekday factors and hourly profile shape the rest;
2. each interval's customers are Poisson with that mean (a non-homogeneous Poisson
   process), arriving uniformly within the interval's open minutes;
3. a visit has 1 errand with probability 0.90, 2 with 0.08 and 3 with 0.02 (domain.md:
   ~10 % handle more than one); each errand's handling time is lognormal with coefficient
   of variation `handling_cv`, scaled so that a visit takes the (point, provider)'s
   `handling_minutes` on average;
4. the point's counter serves them first come, first served with as many advisors as it
   has regular ones (advisors.csv, at most 3); a customer whose wait would exceed an
   exponential patience (mean `patience_minutes`) leaves before being called (no
   called_at / finished_at).

The overflow events of the scenario are repeated in every year of the records (same
calendar dates) and written to `events.csv` next to the logs, as a municipality would list
the known office closures and congestion days of its records. Same scenario and seed →
the same bytes. The files are written by the run's one writer (planner/outputs/writer.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from planner.base.calendar import open_days, wall_minutes
from planner.demand.forecast import forecast, handling_minutes
from planner.outputs.writer import LOGS, OutputFolder
from planner.records.history import shifted
from planner.scenario.schemas import OverflowRow, Scenario

ERRANDS = np.array([1, 2, 3])
ERRAND_P = np.array([0.90, 0.08, 0.02])
LOG_HEADER = "point_id,provider_id,arrived_at,called_at,finished_at,errands,channel\n"


@dataclass(frozen=True)
class GeneratedLogs:
    """What `generate_records` wrote: the files, the records' months and how many visits."""

    files: list[Path]
    first_month: str
    last_month: str
    visits: int
    events: tuple[OverflowRow, ...]


@numba.njit(cache=True)
def _fifo_starts(group: np.ndarray, arrival: np.ndarray, service: np.ndarray, patience: np.ndarray,
                 servers: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Service start of each customer in a FIFO multi-server queue per group; NaN = left before being called.

    Rows sorted by (group, arrival); `servers[i]` is the number of servers of row i's group.
    """
    start = np.empty(arrival.size)
    free = np.zeros(16)
    current = -1
    for i in range(arrival.size):
        if group[i] != current:
            current = group[i]
            c = servers[i]
            for s in range(c):
                free[s] = -1e18
        best = 0
        for s in range(1, c):
            if free[s] < free[best]:
                best = s
        begin = max(arrival[i], free[best])
        if begin - arrival[i] > patience[i]:
            start[i] = np.nan
        else:
            start[i] = begin
            free[best] = begin + service[i]
    return start


def _events_in(scenario: Scenario, first: dt.date, last: dt.date) -> tuple[OverflowRow, ...]:
    """The scenario's overflow events repeated on the same calendar dates in every year of [first, last]."""
    events = []
    for event in scenario.overflow_events:
        for year in range(first.year, last.year + 1):
            try:
                start, end = event.start.replace(year=year), event.end.replace(year=year + event.end.year - event.start.year)
            except ValueError:  # 29 February
                continue
            if first <= start and end <= last:
                same = year == event.start.year
                events.append(event.model_copy(update={
                    "event_id": event.event_id if same else f"{event.event_id}-{year}", "start": start, "end": end,
                    "comment": f"generated: {event.event_id} repeated in {year}"}))
    return tuple(sorted(events, key=lambda e: (e.start, e.event_id)))


def _servers(scenario: Scenario) -> dict[str, int]:
    counts = {p.point_id: 0 for p in scenario.points}
    for advisor in scenario.advisors:
        if advisor.role == "advisor":
            counts[advisor.point_id] = counts.get(advisor.point_id, 0) + 1
    return {p: max(1, min(3, c)) for p, c in counts.items()}


def month_visits(scenario: Scenario, month: dt.date, events: tuple[OverflowRow, ...], rng: np.random.Generator,
                 handling_cv: float = 0.6, patience_minutes: float = 25.0) -> pd.DataFrame:
    """One month of visits (columns of the log format plus `service` minutes), sorted by point and arrival."""
    inside = tuple(e for e in events if e.start.year == month.year and e.start.month == month.month)
    model = shifted(scenario, month, 1, overflow=inside)
    intervals = forecast(model).intervals
    days = open_days(model)[["point_id", "date", "opens", "closes"]]
    intervals = intervals.merge(days, on=["point_id", "date"])
    counts = rng.poisson(intervals["arrivals"].to_numpy())
    rows = intervals.loc[intervals.index.repeat(counts)].reset_index(drop=True)
    if rows.empty:
        return pd.DataFrame(columns=["point_id", "provider_id", "arrived", "errands", "service"])
    size = rows.shape[0]
    low = np.maximum(rows["interval_start"].to_numpy(), rows["opens"].to_numpy())
    high = np.minimum(rows["interval_start"].to_numpy() + model.config.horizon.interval_minutes, rows["closes"].to_numpy())
    minute = low + rng.random(size) * (high - low)
    # Intervals are elapsed minutes (planner/base/calendar); the log holds wall-clock times, an hour
    # apart after the change on a clock-change night.
    whole = pd.Series(np.floor(minute).astype(int), index=rows.index)
    minute = minute + (wall_minutes(rows["date"], whole) - whole).to_numpy()
    rows["arrived"] = rows["date"].to_numpy() + (np.floor(minute * 60) * 1e9).astype("timedelta64[ns]")
    errands = rng.choice(ERRANDS, size=size, p=ERRAND_P)
    mean_errands = float((ERRANDS * ERRAND_P).sum())
    handling = handling_minutes(scenario).set_index(["point_id", "provider_id"])["handling_minutes"]
    per_visit = handling.reindex(pd.MultiIndex.from_frame(rows[["point_id", "provider_id"]])).to_numpy()
    sigma = np.sqrt(np.log(1 + handling_cv ** 2))
    # Each errand lognormal with mean per_visit / mean_errands: the visit's mean is per_visit.
    draws = rng.lognormal(-sigma ** 2 / 2, sigma, size=(size, 3))
    take = np.arange(3)[None, :] < errands[:, None]
    rows["service"] = (draws * take).sum(axis=1) * per_visit / mean_errands
    rows["errands"] = errands
    rows["patience"] = rng.exponential(patience_minutes, size)
    return rows[["point_id", "provider_id", "date", "arrived", "errands", "service", "patience"]]


def _queue(scenario: Scenario, visits: pd.DataFrame) -> pd.DataFrame:
    """called_at / finished_at from a FIFO counter per point and day (NaT for those who left)."""
    visits = visits.sort_values(["point_id", "arrived"], kind="stable").reset_index(drop=True)
    group = (visits["point_id"].astype("category").cat.codes.to_numpy().astype(np.int64) * 100_000
             + (visits["date"].to_numpy().astype("datetime64[D]").astype(np.int64)))
    arrival = (visits["arrived"].to_numpy().astype("datetime64[s]").astype(np.int64) / 60.0)
    servers = visits["point_id"].map(_servers(scenario)).to_numpy().astype(np.int64)
    start = _fifo_starts(group, arrival, visits["service"].to_numpy(), visits["patience"].to_numpy(), servers)
    visits["called_at"] = _clock(start)
    visits["finished_at"] = _clock(start + visits["service"].to_numpy())
    return visits


def _clock(minutes_since_epoch: np.ndarray) -> pd.Series:
    """Minutes since 1970 (NaN = none) as whole-second timestamps (NaT = none)."""
    missing = np.isnan(minutes_since_epoch)
    seconds = np.rint(np.where(missing, 0.0, minutes_since_epoch) * 60).astype(np.int64).astype("datetime64[s]")
    return pd.Series(seconds.astype("datetime64[ns]")).mask(missing)


def _month_csv(frame: pd.DataFrame) -> bytes:
    """One month's visits as the bytes of a log CSV (header and rows, pyarrow's writer)."""
    table = pa.table({
        "point_id": frame["point_id"].astype(str), "provider_id": frame["provider_id"].astype(str),
        "arrived_at": pa.array(frame["arrived"].to_numpy().astype("datetime64[s]")),
        "called_at": pa.array(frame["called_at"].to_numpy().astype("datetime64[s]"), mask=frame["called_at"].isna().to_numpy()),
        "finished_at": pa.array(frame["finished_at"].to_numpy().astype("datetime64[s]"),
                                mask=frame["finished_at"].isna().to_numpy()),
        "errands": frame["errands"].astype(np.int64), "channel": ["counter"] * len(frame),
    })
    buffer = pa.BufferOutputStream()
    buffer.write(LOG_HEADER.encode())
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return buffer.getvalue().to_pybytes()


def generate_records(scenario: Scenario, output: Path, years: int = 3, seed: int = 0, handling_cv: float = 0.6,
                     patience_minutes: float = 25.0, progress=None, replace: bool = False) -> GeneratedLogs:
    """Write `years` of visit logs before the scenario's horizon into OUTPUT: visits-YYYY-MM.csv and events.csv.

    Deterministic: month m uses the random stream (seed, year, month). Returns the files,
    the records' first and last month and the number of visits. See the module docstring
    for how the visits are drawn. Written by the one writer (OutputFolder): month by month
    into its staging folder, swapped into place at the end, so a failed run leaves an earlier
    OUTPUT as it was. Raises ScenarioError when OUTPUT cannot be written (or is locked, or holds another command's
    result and not `replace`: --force).
    """
    horizon = scenario.config.horizon.start
    first = (pd.Period(horizon, freq="M") - 12 * years).start_time.date()
    last_day = horizon - dt.timedelta(days=1)
    events = _events_in(scenario, first, last_day)
    names: list[str] = []
    total = 0

    def files():
        nonlocal total
        for k in range(12 * years):
            month = (pd.Period(first, freq="M") + k).start_time.date()
            rng = np.random.default_rng([seed, month.year, month.month])
            visits = _queue(scenario, month_visits(scenario, month, events, rng, handling_cv, patience_minutes))
            names.append(f"visits-{month:%Y-%m}.csv")
            total += len(visits)
            if progress:
                progress(f"{month:%Y-%m}: {len(visits)} visits")
            yield names[-1], _month_csv(visits)
        if events:
            names.append("events.csv")
            yield "events.csv", pd.DataFrame([e.model_dump() for e in events])

    with OutputFolder(output, kind=LOGS, replace=replace) as folder:
        written = folder.commit(files())
    return GeneratedLogs([p for p in written if p.name in names], f"{first:%Y-%m}", f"{last_day:%Y-%m}", total, events)
