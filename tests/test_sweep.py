"""Sweeps over uncertain demand: reproducible, executor-independent, quantiles in order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.base.decompose import restrict_to_points
from planner.base.executor import ProcessExecutor, SerialExecutor
from planner.demand.forecast import forecast
from planner.whatif.sweep import draw_scenario, poisson_arrivals, quantile_table, sweep


def small(scenario):
    piece = restrict_to_points(scenario, {"saarijarvi", "pelkosenniemi"})
    horizon = piece.config.horizon.model_copy(update={"months": 1})
    return piece.model_copy(update={"config": piece.config.model_copy(update={"horizon": horizon})})


@pytest.mark.slow
def test_sweep_is_the_same_in_any_executor_and_reproducible(default_scenario):
    scenario = small(default_scenario)
    serial, failed = sweep(scenario, 3, SerialExecutor(), seed=5)
    pooled, _ = sweep(scenario, 3, ProcessExecutor(2), seed=5)
    assert failed == {}
    pd.testing.assert_frame_equal(serial, pooled)
    other, _ = sweep(scenario, 3, SerialExecutor(), seed=6)
    assert not serial.equals(other)
    table = quantile_table(serial, 0.19)
    assert (table["fte_p50"] <= table["fte_p80"] + 1e-12).all() and (table["fte_p80"] <= table["fte_p95"] + 1e-12).all()
    assert table["probability_staff_suffices"].between(0, 1).all()


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_draws_stay_within_the_stated_ranges(default_scenario, seed):
    drawn = draw_scenario(default_scenario, np.random.default_rng(seed))
    for before, after in zip(default_scenario.providers, drawn.providers, strict=True):
        assert before.annual_trend_low <= after.annual_trend <= before.annual_trend_high
    for before, after in zip(default_scenario.closures, drawn.closures, strict=True):
        assert before.share_low <= after.share_to_point <= before.share_high


def test_poisson_months_keep_the_profile_and_average_out(default_scenario):
    demand = forecast(small(default_scenario))
    draws = [poisson_arrivals(demand, np.random.default_rng(n)).intervals for n in range(40)]
    mean_total = np.mean([d["arrivals"].sum() for d in draws])
    assert abs(mean_total / demand.intervals["arrivals"].sum() - 1) < 0.03
    one = draws[0]
    day = one[(one.point_id == "saarijarvi") & (one.provider_id == "kunta")].groupby("date")["arrivals"].sum()
    assert abs(day.sum() - round(day.sum())) < 1e-6  # a whole number of customers that month
