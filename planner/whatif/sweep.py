"""Uncertain demand: many drawn demand scenarios, each sized, summarised as FTE quantiles.

A sample draws each provider's annual trend uniformly from [annual_trend_low,
annual_trend_high] and each closure's share from [share_low, share_high] (columns left
empty mean no uncertainty), forecasts demand, and draws each (point, provider, month)
count from a Poisson distribution around the forecast (the intervals scaled to it). Each sample is one task for the executor, seeded
by (seed, sample number), so the result is the same whichever executor runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base.errors import InfeasiblePlan
from planner.base.executor import Executor
from planner.demand.forecast import DemandForecast, forecast
from planner.scenario.schemas import Scenario
from planner.staffing.sizing import size

QUANTILES = (0.5, 0.8, 0.95)


@dataclass(frozen=True)
class Sample:
    number: int
    seed: int


def draw_scenario(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    providers = tuple(
        p.model_copy(update={"annual_trend": float(rng.uniform(
            p.annual_trend if p.annual_trend_low is None else p.annual_trend_low,
            p.annual_trend if p.annual_trend_high is None else p.annual_trend_high))})
        for p in scenario.providers)
    closures = tuple(
        c.model_copy(update={"share_to_point": float(rng.uniform(
            c.share_to_point if c.share_low is None else c.share_low,
            c.share_to_point if c.share_high is None else c.share_high))})
        for c in scenario.closures)
    return scenario.model_copy(update={"providers": providers, "closures": closures})


def poisson_arrivals(demand: DemandForecast, rng: np.random.Generator) -> DemandForecast:
    """Each (point, provider, month) total becomes a Poisson draw around its forecast; its
    intervals are scaled to it. Staffing is planned against rates, so the noise is drawn on
    the month's count, not on each quarter-hour (which would size for hindsight)."""
    keys = ["point_id", "provider_id", "month"]
    intervals = demand.intervals.assign(month=demand.intervals["date"].dt.strftime("%Y-%m"))
    totals = intervals.groupby(keys)["arrivals"].sum()
    drawn = pd.Series(rng.poisson(totals.to_numpy()).astype(float), index=totals.index)
    factor = (drawn / totals.where(totals > 0)).fillna(0.0).rename("factor")
    scaled = intervals.merge(factor.reset_index(), on=keys, how="left")
    scaled["arrivals"] = scaled["arrivals"] * scaled["factor"].fillna(0.0)
    return DemandForecast(demand.monthly, demand.daily, scaled[demand.intervals.columns], demand.notes)


def size_sample(sample: Sample, scenario: Scenario) -> pd.DataFrame:
    rng = np.random.default_rng([sample.seed, sample.number])
    drawn = draw_scenario(scenario, rng)
    result = size(drawn, poisson_arrivals(forecast(drawn), rng))
    table = result.summary[["point_id", "month", "fte_needed", "fte_with_shrinkage", "fte_in_scenario"]].copy()
    table.insert(0, "sample", sample.number)
    return table


def sweep(scenario: Scenario, samples: int, executor: Executor, seed: int = 0) -> tuple[pd.DataFrame, dict[str, str]]:
    tasks = [(f"sample-{n}", Sample(n, seed)) for n in range(samples)]
    # The scenario is the same for every sample: shipped once per worker, not once per sample.
    results = executor.run(size_sample, tasks, shared=scenario)
    failed = {r.key: (r.error or "").splitlines()[0] for r in results if not r.ok}
    frames = [r.value for r in results if r.ok and r.value is not None]
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()), failed


def quantile_table(samples: pd.DataFrame, shrinkage: float) -> pd.DataFrame:
    """Per point and month: FTE that meets the service level in 50/80/95 % of samples, and how
    likely the scenario's own advisors (their FTE less shrinkage) are to be enough."""
    grouped = samples.groupby(["point_id", "month"])
    table = grouped["fte_needed"].quantile(list(QUANTILES)).unstack()
    table.columns = [f"fte_p{int(q * 100)}" for q in QUANTILES]
    available = grouped["fte_in_scenario"].first() * (1 - shrinkage)
    enough = samples.assign(ok=samples["fte_needed"] <= samples["fte_in_scenario"] * (1 - shrinkage))
    table["fte_available"] = available
    table["probability_staff_suffices"] = enough.groupby(["point_id", "month"])["ok"].mean()
    table["samples"] = grouped.size()
    return table.reset_index()


def run_sample_sweep(scenario: Scenario, samples: int, executor: Executor, output: Path,
                     seed: int = 0, replace: bool = False) -> tuple[list[Path], str, dict[str, str]]:
    """`planner sweep`: sweep_samples.csv and sweep_fte.csv; returns the paths, the summary text, failed samples.

    Raises InfeasiblePlan when every sample failed (nothing is written then).
    """
    from planner.outputs.writer import OutputFolder

    with OutputFolder(output, "sweep", replace) as folder:
        table, failed = sweep(scenario, samples, executor, seed)
        if table.empty:
            raise InfeasiblePlan(["every sample failed; nothing was written"])
        quantiles = quantile_table(table, scenario.config.workforce.shrinkage)
        written = folder.commit({"sweep_samples.csv": table.round(4), "sweep_fte.csv": quantiles.round(3)})
    means = quantiles.groupby("point_id")[["fte_p50", "fte_p80", "fte_p95", "fte_available",
                                            "probability_staff_suffices"]].mean()
    text = (f"FTE needed over {samples} samples (average month); staff = FTE in the scenario less shrinkage\n"
            + means.round(2).to_string())
    return written, text, failed


def headline_samples(scenario: Scenario, count: int | None, sweep_dir: Path | None, executor: Executor | None,
                     seed: int = 0, say: Callable[[str], None] | None = None
                     ) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The sweep behind the headline's probability that the staff suffices: drawn here (`count`
    samples) or read from a `planner sweep` folder (`sweep_dir`), else none. Returns the samples
    and their quantile table. Raises ScenarioError when `sweep_dir` holds no sweep_samples.csv.
    """
    from planner.base.errors import Problem, ScenarioError
    from planner.base.executor import SerialExecutor

    shrinkage = scenario.config.workforce.shrinkage
    if sweep_dir is not None:
        path = sweep_dir / "sweep_samples.csv"
        if not path.is_file():
            raise ScenarioError([Problem(str(path), "not found; expected the folder of a `planner sweep` run")])
        samples = pd.read_csv(path)
        return samples, quantile_table(samples, shrinkage).round(3)
    if not count:
        return None, None
    if say is not None:
        say(f"sweep: sizing {count} demand samples for the headline's probability")
    samples, _failed = sweep(scenario, count, executor or SerialExecutor(), seed)
    if samples.empty:
        return None, None
    return samples, quantile_table(samples, shrinkage).round(3)
