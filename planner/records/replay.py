"""`planner replay`: what service level does the published roster actually deliver?

A discrete-event simulation of each point's counter, one open day at a time, on SimPy
(simpy.readthedocs.io): customers arrive, queue first come first served, and are called by
the first free advisor on duty *trained for their provider* (roster.csv's `providers`);
an advisor leaves for the unpaid break at `break_start` once the customer in hand is
served, stops taking customers at the shift's end (the last ones on duty at closing time
serve the queue out), and a customer whose patience (exponential; its mean estimated from
the records, see `patience_from`) runs out leaves uncalled.

Customers are either the recorded ones of the roster's days (`recorded`), or drawn from the
forecast `samples` times (`drawn`): Poisson per interval around the plan's arrivals, times
uniform within the interval, handling times resampled from the records' called → finished
times of the provider. Per point, day and hour the run reports the service level (share of
all arrivals served within `answer_within_minutes`; a customer who leaves counts as not
served in time), the average wait (minutes, leavers included until they leave) and the
abandonment share, with the 5th-95th percentile over drawn samples, against the target and
against what Erlang C promised for the same advisors: the Erlang C service level per
interval for the roster's advisors at the counter (breaks out) and the plan's arrivals,
averaged over the hour by arrivals. Where the simulated level falls short of the promise by
more than `tolerance`, the hour gets its reasons:

- `carried-over queue`: customers were already waiting when the hour began (Erlang C assumes
  each interval starts in steady state);
- `skills`: customers waited while an advisor not trained for their provider was idle;
- `breaks`: an advisor of the hour's shifts was on break in it or in the hour before.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import simpy

from planner.base.calendar import parse_clock
from planner.base.text import quantity
from planner.scenario.schemas import Scenario
from planner.staffing.queueing import erlang_c_service_level


@dataclass(frozen=True)
class Duty:
    """One advisor's shift on one day, in elapsed minutes after local midnight (planner/base/calendar)."""

    advisor: str
    start: float
    end: float
    skills: frozenset[str]
    break_start: float | None = None
    break_minutes: float = 0.0

    def present(self, lo: float, hi: float) -> float:
        """Minutes of [lo, hi) at the counter (shift less break)."""
        minutes = max(0.0, min(hi, self.end) - max(lo, self.start))
        if self.break_start is not None:
            minutes -= max(0.0, min(hi, self.break_start + self.break_minutes) - max(lo, self.break_start))
        return minutes


@dataclass(frozen=True)
class DayResult:
    """Per customer (in arrival order): wait (minutes), served (bool), abandoned (bool), skill_blocked (bool)."""

    wait: np.ndarray
    served: np.ndarray
    abandoned: np.ndarray
    skill_blocked: np.ndarray
    start: np.ndarray  # service start or leaving time, minutes after midnight


def simulate_day(arrival: np.ndarray, provider: np.ndarray, service: np.ndarray, patience: np.ndarray,
                 duties: list[Duty], closes: float) -> DayResult:
    """Serve one day's customers with the duties; arrays in minutes after midnight, sorted by arrival.

    `patience`: minutes each customer waits at most (np.inf = never leaves). `closes`: the
    point's closing time; advisors on duty then serve the queue out. Customers nobody
    trained for their provider can serve are counted as not served (`served` False,
    `abandoned` False) and wait until the last advisor leaves.
    """
    env = simpy.Environment()
    n = arrival.size
    wait = np.full(n, np.nan)
    start = np.full(n, np.nan)
    served = np.zeros(n, dtype=bool)
    abandoned = np.zeros(n, dtype=bool)
    blocked = np.zeros(n, dtype=bool)
    queue: list[int] = []
    signal = [env.event()]

    def notify() -> None:
        event, signal[0] = signal[0], env.event()
        event.succeed()

    def customer(i: int):
        yield env.timeout(arrival[i])
        queue.append(i)
        notify()
        if math.isfinite(patience[i]):
            yield env.timeout(patience[i])
            if i in queue:
                queue.remove(i)
                abandoned[i] = True
                wait[i] = patience[i]
                start[i] = env.now

    def advisor(duty: Duty):
        yield env.timeout(duty.start)
        rested = duty.break_start is None
        while True:
            now = env.now
            if not rested and now >= duty.break_start:
                yield env.timeout(duty.break_minutes)
                rested = True
                continue
            pick = next((i for i in queue if provider[i] in duty.skills), None)
            if now >= duty.end and (duty.end < closes or pick is None):
                return
            if pick is not None:
                queue.remove(pick)
                wait[pick], start[pick], served[pick] = now - arrival[pick], now, True
                yield env.timeout(service[pick])
                continue
            for i in queue:
                blocked[i] = True
            until = duty.end if rested else min(duty.end, duty.break_start)
            if until <= now:  # past the end at closing with nobody to serve: wait for a late arrival
                until = max(closes, now) + 1.0
            yield env.any_of([signal[0], env.timeout(until - now)])

    for i in range(n):
        env.process(customer(i))
    for duty in duties:
        env.process(advisor(duty))
    env.run()
    left = np.isnan(wait)
    if left.any():  # nobody could serve them
        last = max([d.end for d in duties], default=closes)
        wait[left] = np.maximum(last - arrival[left], 0.0)
        start[left] = np.maximum(last, arrival[left])
    return DayResult(wait, served, abandoned, blocked, start)


def patience_from(wait: np.ndarray, abandoned: np.ndarray) -> float:
    """Mean patience (minutes) of exponential patience, by maximum likelihood: Σ waits / number who left.

    A served customer's wait is a censored patience. np.inf when nobody left (no
    abandonment in the records).
    """
    left = int(abandoned.sum())
    return float(np.nansum(wait) / left) if left else math.inf


def duties_from_roster(roster: pd.DataFrame) -> dict[tuple[str, pd.Timestamp], list[Duty]]:
    """roster.csv rows → duties per (point, date), times in elapsed minutes of the day (planner/base/calendar)."""
    def clock(day: dt.date, text: object) -> float | None:
        if not isinstance(text, str) or not text:
            return None
        return parse_clock(day, text)

    out: dict[tuple[str, pd.Timestamp], list[Duty]] = {}
    for row in roster.itertuples(index=False):
        day = pd.Timestamp(row.date).date()
        skills = frozenset(s for s in str(row.providers).split("|") if s) if isinstance(row.providers, str) else frozenset()
        brk = clock(day, row.break_start)
        duty = Duty(str(row.advisor), clock(day, row.start), clock(day, row.end), skills, brk,
                    float(row.break_minutes) if brk is not None and pd.notna(row.break_minutes) else 0.0)
        out.setdefault((str(row.point), pd.Timestamp(row.date)), []).append(duty)
    return out


def _draw_day(rng: np.random.Generator, intervals: pd.DataFrame, interval: int, pool: dict[str, np.ndarray]
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    counts = rng.poisson(intervals["arrivals"].to_numpy())
    rows = intervals.loc[intervals.index.repeat(counts)]
    lo = rows["interval_start"].to_numpy() + (interval - rows["open_minutes"].to_numpy()) * \
        (rows["interval_start"].to_numpy() == rows["interval_start"].min())
    arrival = lo + rng.random(len(rows)) * rows["open_minutes"].to_numpy()
    provider = rows["provider_id"].to_numpy()
    service = np.array([rng.choice(pool[p]) for p in provider]) if len(rows) else np.zeros(0)
    order = np.argsort(arrival, kind="stable")
    return arrival[order], provider[order], service[order]


@dataclass
class ReplayResult:
    """hours: one row per (point, date, hour); points: one per point; `mode`, `samples`."""

    hours: pd.DataFrame
    points: pd.DataFrame
    mode: str
    samples: int
    patience_minutes: float
    notes: list[str]


def _promised(scenario: Scenario, intervals: pd.DataFrame, duties: dict, handling: dict[str, float]) -> pd.DataFrame:
    """Erlang C service level per (point, date, hour) for the roster's advisors at the counter and the plan's arrivals."""
    sl = scenario.config.service_level
    step = scenario.config.horizon.interval_minutes
    pooled = intervals.assign(work=intervals["arrivals"] * intervals["provider_id"].map(handling))
    pooled = pooled.groupby(["point_id", "date", "interval_start"], as_index=False)[["arrivals", "work"]].sum()
    pooled = pooled[pooled["arrivals"] > 0]
    agents = [sum(d.present(s, s + step) for d in duties.get((p, day), [])) / step
              for p, day, s in zip(pooled["point_id"], pooled["date"], pooled["interval_start"], strict=True)]
    pooled["agents"] = np.floor(np.array(agents) + 1e-9)
    aht = (pooled["work"] / pooled["arrivals"]).to_numpy()
    pooled["promised"] = np.where(pooled["agents"] > 0, erlang_c_service_level(
        pooled["arrivals"].to_numpy(), aht, float(step), np.maximum(pooled["agents"].to_numpy(), 1),
        sl.answer_within_minutes), 0.0)
    pooled["hour"] = pooled["interval_start"] // 60
    pooled["weighted"] = pooled["promised"] * pooled["arrivals"]
    hours = pooled.groupby(["point_id", "date", "hour"], as_index=False)[["weighted", "arrivals"]].sum()
    hours["erlang_c_service_level"] = hours["weighted"] / hours["arrivals"]
    return hours[["point_id", "date", "hour", "erlang_c_service_level"]]


def replay(scenario: Scenario, roster: pd.DataFrame, intervals: pd.DataFrame, service_pool: dict[str, np.ndarray],
           patience_minutes: float, samples: int = 20, seed: int = 0, recorded: pd.DataFrame | None = None,
           tolerance: float = 0.05) -> ReplayResult:
    """Simulate every rostered (point, day) and compare with the target and Erlang C.

    `roster`: roster.csv rows. `intervals`: the plan's demand_intervals (point_id,
    provider_id, date, interval_start minutes, open_minutes, arrivals). `service_pool`:
    recorded handling minutes per provider to resample from. `recorded`: the records' own
    customers of the roster's days (point_id, provider_id, date, arrival minutes, service,
    patience-free) — when given, they are replayed once instead of drawing `samples` days.
    """
    sl = scenario.config.service_level
    duties = duties_from_roster(roster)
    intervals = intervals.assign(date=pd.to_datetime(intervals["date"]))
    days = sorted(duties)
    closes = {(h.point_id, h.weekday): h.closes.hour * 60 + h.closes.minute for h in scenario.opening_hours}
    step = scenario.config.horizon.interval_minutes
    by_day = dict(tuple(intervals.groupby(["point_id", "date"])))
    recorded_days = dict(tuple(recorded.groupby(["point_id", "date"]))) if recorded is not None else {}
    mode = "recorded" if recorded is not None else "drawn"
    runs = 1 if mode == "recorded" else samples
    rows = []
    notes: list[str] = []
    for point, day in days:
        weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.dayofweek]
        closing = float(closes.get((point, weekday), 24 * 60))
        day_duties = duties[(point, day)]
        breaks = [(d.break_start, d.break_start + d.break_minutes) for d in day_duties if d.break_start is not None]
        for sample in range(runs):
            if mode == "recorded":
                frame = recorded_days.get((point, day))
                if frame is None:
                    continue
                frame = frame.sort_values("arrival", kind="stable")
                arrival, provider, service = (frame["arrival"].to_numpy(float), frame["provider_id"].to_numpy(),
                                              frame["service"].to_numpy(float))
            else:
                table = by_day.get((point, day))
                if table is None:
                    continue
                rng = np.random.default_rng([seed, sample, day.toordinal(), sum(map(ord, point))])
                arrival, provider, service = _draw_day(rng, table.reset_index(drop=True), step, service_pool)
            rng_patience = np.random.default_rng([seed, sample, day.toordinal(), 7])
            patience = rng_patience.exponential(patience_minutes, arrival.size) if math.isfinite(patience_minutes) \
                else np.full(arrival.size, np.inf)
            result = simulate_day(arrival, provider, service, patience, day_duties, closing)
            hour = (arrival // 60).astype(int)
            within = result.served & (result.wait <= sl.answer_within_minutes + 1e-9)
            for h in np.unique(hour):
                mask = hour == h
                begin = h * 60.0
                carried = int(((arrival < begin) & (result.start > begin)).sum())
                rows.append((point, day, int(h), sample, int(mask.sum()), float(within[mask].mean()),
                             float(result.wait[mask].mean()), float(result.abandoned[mask].mean()), carried,
                             float(result.skill_blocked[mask].mean()),
                             any(lo < begin + 60 and hi > begin - 60 for lo, hi in breaks)))
    columns = ["point_id", "date", "hour", "sample", "customers", "service_level", "avg_wait_minutes",
               "abandon_share", "waiting_at_start", "skill_blocked_share", "break_near"]
    raw = pd.DataFrame(rows, columns=columns)
    if raw.empty:
        notes.append("no rostered day had customers to replay")
        return ReplayResult(raw, pd.DataFrame(), mode, runs, patience_minutes, notes)
    hours = raw.groupby(["point_id", "date", "hour"], as_index=False).agg(
        customers=("customers", "mean"), service_level=("service_level", "mean"),
        service_level_p05=("service_level", lambda s: s.quantile(0.05)),
        service_level_p95=("service_level", lambda s: s.quantile(0.95)),
        avg_wait_minutes=("avg_wait_minutes", "mean"), abandon_share=("abandon_share", "mean"),
        waiting_at_start=("waiting_at_start", "mean"), skill_blocked_share=("skill_blocked_share", "mean"),
        break_near=("break_near", "max"))
    handling = {p: float(np.mean(v)) for p, v in service_pool.items()}
    hours = hours.merge(_promised(scenario, intervals[intervals["date"].isin([d for _, d in days])], duties, handling),
                        on=["point_id", "date", "hour"], how="left")
    hours["target"] = sl.target
    short = hours["service_level"] < hours["erlang_c_service_level"] - tolerance
    reasons = []
    for row, is_short in zip(hours.itertuples(index=False), short, strict=True):
        why = []
        if is_short:
            if row.waiting_at_start >= 0.5:
                why.append(f"carried-over queue ({row.waiting_at_start:.1f} waiting at {row.hour:02d}:00)")
            if row.skill_blocked_share >= 0.05:
                why.append(f"skills ({row.skill_blocked_share:.0%} waited while an untrained advisor was idle)")
            if row.break_near:
                why.append("breaks (an advisor's break in this or the previous hour)")
            if not why:
                why.append("chance: more or longer visits than the forecast's average")
        reasons.append("; ".join(why))
    hours["short_of_erlang_c"] = short
    hours["reasons"] = reasons
    hours["date"] = hours["date"].dt.strftime("%Y-%m-%d")
    per_sample = raw.assign(within=raw["service_level"] * raw["customers"], waited=raw["avg_wait_minutes"] * raw["customers"],
                            left=raw["abandon_share"] * raw["customers"])
    totals = per_sample.groupby(["point_id", "sample"], as_index=False)[["customers", "within", "waited", "left"]].sum()
    totals["service_level"] = totals["within"] / totals["customers"]
    totals["avg_wait_minutes"] = totals["waited"] / totals["customers"]
    totals["abandon_share"] = totals["left"] / totals["customers"]
    promised = hours.assign(w=hours["erlang_c_service_level"] * hours["customers"]).groupby("point_id").agg(
        w=("w", "sum"), c=("customers", "sum"))
    points = totals.groupby("point_id", as_index=False).agg(
        customers=("customers", "mean"), service_level=("service_level", "mean"),
        service_level_p05=("service_level", lambda s: s.quantile(0.05)),
        service_level_p95=("service_level", lambda s: s.quantile(0.95)),
        avg_wait_minutes=("avg_wait_minutes", "mean"), abandon_share=("abandon_share", "mean"))
    points["erlang_c_service_level"] = points["point_id"].map(promised["w"] / promised["c"])
    points["target"] = sl.target
    points["hours_short_of_erlang_c"] = points["point_id"].map(hours.groupby("point_id")["short_of_erlang_c"].sum())
    return ReplayResult(hours, points, mode, runs, patience_minutes, notes)


def replay_tables(result: ReplayResult) -> dict[str, pd.DataFrame]:
    return {"replay_hours.csv": result.hours.round(4), "replay_points.csv": result.points.round(4)}


def replay_lines(result: ReplayResult) -> list[str]:
    """Per point: achieved service level (interval when drawn) against Erlang C's promise and the target."""
    lines = [f"Replay of the roster ({result.mode}, {quantity(result.samples, 'run')} per day; patience "
             f"{result.patience_minutes:.0f} min):"]
    for row in result.points.itertuples(index=False):
        spread = f" [{row.service_level_p05:.0%}-{row.service_level_p95:.0%}]" if result.samples > 1 else ""
        lines.append(f"  {row.point_id}: service level {row.service_level:.1%}{spread}, Erlang C promised "
                     f"{row.erlang_c_service_level:.1%}, target {row.target:.0%}; average wait {row.avg_wait_minutes:.1f} "
                     f"min, {row.abandon_share:.1%} left; {quantity(int(row.hours_short_of_erlang_c), 'hour')} short of Erlang C")
    worst = result.hours[result.hours["short_of_erlang_c"]].copy()
    if len(worst):
        worst["gap"] = worst["erlang_c_service_level"] - worst["service_level"]
        lines.append("  largest shortfalls against Erlang C:")
        for row in worst.sort_values("gap", ascending=False).head(5).itertuples(index=False):
            lines.append(f"    {row.point_id} {row.date} {row.hour:02d}:00: {row.service_level:.0%} vs {row.erlang_c_service_level:.0%}"
                         f" — {row.reasons}")
    return lines


def day_of(date: object) -> dt.date:
    return pd.Timestamp(date).date()
