"""The fit recovers the parameters the generator used; the variant loads; same input, same bytes."""

from pathlib import Path

import numpy as np
import pytest

from planner.records.fit import fit_variant, write_variant
from planner.records.generator import generate_records
from planner.records.reader import read_records
from planner.scenario.loading import load_scenario

PILOTS = Path(__file__).resolve().parent.parent / "inputs" / "aspa-pilots-2015"


def scaled(scenario, factor):
    return scenario.model_copy(update={
        "baseline_demand": tuple(b.model_copy(update={"monthly_volume": b.monthly_volume * factor})
                                 for b in scenario.baseline_demand),
        "closures": tuple(c.model_copy(update={"monthly_visits": c.monthly_visits * factor}) for c in scenario.closures)})


def fitted(tmp_path_factory, factor, seed=0):
    scenario, _ = load_scenario(PILOTS)
    scenario = scaled(scenario, factor)
    logs = tmp_path_factory.mktemp(f"logs{factor}-{seed}")
    generate_records(scenario, logs, years=3, seed=seed)
    records = read_records([logs], scenario)
    try:
        return scenario, logs, records.monthly(), fit_variant(records, scenario)
    finally:
        records.close()


@pytest.fixture(scope="module")
def pilots(tmp_path_factory):
    return fitted(tmp_path_factory, 1)


def providers_with_50_a_month(monthly, months=36):
    average = monthly.groupby(["point_id", "provider_id"])["customers"].sum() / months
    return sorted({provider for (_, provider), value in average.items() if value >= 50})


@pytest.mark.slow
def test_recovery_within_10_percent_and_3_points_at_ten_times_the_pilots(tmp_path_factory):
    """Seasonal factors within 10 % and trend within 3 points for every provider of a pair with ≥ 50 customers a month.

    At ten times the pilots' volumes; at the pilots' own volumes a factor's standard error is
    4-7 % (Poisson noise of 60-100 customers a month over three years), see the next test.
    """
    scenario, _, monthly, result = fitted(tmp_path_factory, 10)
    truth = {row.provider_id: np.array(row.factors()) for row in scenario.seasonality}
    trend = {q.provider_id: q.annual_trend for q in scenario.providers}
    tested = providers_with_50_a_month(monthly)
    assert set(tested) == {"kela", "vero", "poliisi", "te", "maistraatti", "kunta"}
    for provider in tested:
        fit = result.demand.providers[provider]
        assert np.abs(np.array(fit.factors) / truth[provider] - 1).max() < 0.10, provider
        assert abs(fit.trend - trend[provider]) < 0.03, provider


@pytest.mark.slow  # three years of logs fitted (module fixture): over 5 s
def test_baselines_at_the_pilots_volumes_are_within_15_percent(pilots):
    scenario, _, _, result = pilots
    base = {(b.point_id, b.provider_id): b.monthly_volume for b in scenario.baseline_demand}
    for key in [("kiiminki", "kela"), ("mikkeli", "kunta"), ("saarijarvi", "te"), ("kiiminki", "poliisi")]:
        assert result.demand.pairs[key].level == pytest.approx(base[key], rel=0.15)


FACTOR_TOLERANCE, TREND_TOLERANCE = 0.10, 0.03  # issue #16: within 10 % of the true factors, 3 points of the trend


@pytest.mark.slow  # three years of logs fitted per seed: over 5 s each
@pytest.mark.parametrize("seed", [0, 1])
def test_recovery_at_the_pilots_volumes_meets_the_tolerances_wherever_the_data_can(request, tmp_path_factory, seed):
    """Three years at the pilots' own volumes, two seeds, every provider of a pair with ≥ 50 customers a month.

    The estimator is the maximum-likelihood one for the generator's model (monthly counts are
    sufficient; nine seeds gave z-scores of mean ≈ 0 and sd ≈ 1), so how close it comes is set
    by Poisson noise, and its standard errors say how close that is. Where 3 standard errors
    fit inside the issue's tolerance (10 % on every factor, 3 points on the trend) the
    tolerance itself is asserted; where they do not (vero's July factor rests on ~150
    customers, relative SE ≈ 8 %; the smaller providers' trend SE is 1.2–2.5 points), no
    estimator can promise it at these volumes and the fit is held to 3.5 of its own standard
    errors instead, and the standard error must say so (the variant's provenance carries it).
    At ten times the volumes every provider meets the tolerances (the slow test above).
    """
    scenario, _, monthly, result = request.getfixturevalue("pilots") if seed == 0 else fitted(tmp_path_factory, 1, seed)
    truth = {row.provider_id: np.array(row.factors()) for row in scenario.seasonality}
    trend = {q.provider_id: q.annual_trend for q in scenario.providers}
    tested = providers_with_50_a_month(monthly)
    assert set(tested) == {"kela", "vero", "poliisi", "te", "kunta"}
    held_to_tolerance = []
    for provider in tested:
        fit = result.demand.providers[provider]
        factors, se = np.array(fit.factors), np.array(fit.factor_se)
        error = np.abs(factors / truth[provider] - 1)
        relative_se = se / truth[provider]
        assert np.abs((factors - truth[provider]) / se).max() < 3.5, (provider, error.round(3))
        assert abs(fit.trend - trend[provider]) < 3.5 * fit.trend_se, provider
        if 3 * relative_se.max() < FACTOR_TOLERANCE:
            assert error.max() < FACTOR_TOLERANCE, (provider, error.round(3))
            held_to_tolerance.append(f"{provider} factors")
        if 3 * fit.trend_se < TREND_TOLERANCE:
            assert abs(fit.trend - trend[provider]) < TREND_TOLERANCE, (provider, fit.trend)
            held_to_tolerance.append(f"{provider} trend")
    assert {"kunta factors", "kunta trend"} <= set(held_to_tolerance)


@pytest.mark.slow  # three years of logs fitted (module fixture): over 5 s
def test_closures_in_the_records_are_not_counted_twice_and_later_ones_stay(pilots):
    _, _, _, result = pilots
    closures = result.tables["closures.csv"]
    # Only Mikkeli's TE cut (2015-03-01, after the records) still moves customers; the offices closed in or before
    # the records keep their rows with 0 visits: their flow is in the records, their shut doors are not (the trial:
    # the demo's fitted plan sent Mikkeli's register customers to the closed Mikkeli register office).
    moving = closures[closures["monthly_visits"] > 0]
    assert moving["office_id"].tolist() == ["mikkeli-te"] and moving["change"].tolist() == ["cuts_hours"]
    shut = closures[closures["monthly_visits"] == 0]
    assert set(shut["office_id"]) == {"mikkeli-vero", "mikkeli-maistraatti", "parainen-vero", "parainen-maistraatti",
                                      "saarijarvi-vero"} and set(shut["change"]) == {"closes"}
    # Mikkeli's tax flow came with the closed office (baseline 0 + 1 700 × 1/3): now in the baseline.
    assert result.demand.pairs[("mikkeli", "vero")].level == pytest.approx(1700 * 0.333, rel=0.15)
    assert result.tables["overflow_events.csv"]["start"].min().year == 2015


@pytest.mark.slow  # three years of logs fitted (module fixture): over 5 s
def test_the_variant_loads_says_what_was_fitted_and_is_the_same_bytes_twice(pilots, tmp_path):
    scenario, _, _, result = pilots
    first, second = tmp_path / "a" / "fitted", tmp_path / "b" / "fitted"
    write_variant(result, PILOTS, first)
    write_variant(result, PILOTS, second)
    loaded, _ = load_scenario(first)
    assert loaded.weekday_profiles and loaded.hourly_profiles
    comment = next(b.comment for b in loaded.baseline_demand if (b.point_id, b.provider_id) == ("kiiminki", "kela"))
    assert comment.startswith("fitted from ") and "2012-01..2014-12" in comment
    for path in sorted(first.iterdir()):
        if path.name != "variant.toml":  # its base path is relative to the folder
            assert path.read_bytes() == (second / path.name).read_bytes(), path.name


@pytest.mark.slow  # end-to-end: over 4 s alone (make test-quick)
def test_generated_logs_are_deterministic(tmp_path):
    scenario, _ = load_scenario(PILOTS)
    small = scenario.model_copy(update={"config": scenario.config.model_copy(update={
        "horizon": scenario.config.horizon.model_copy(update={"months": 1})})})
    generate_records(small, tmp_path / "a", years=1, seed=3)
    generate_records(small, tmp_path / "b", years=1, seed=3)
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_a_month_without_overflow_events_is_forecast_without_a_future_warning():
    """The generator forecasts month by month, mostly without events: no pandas FutureWarning (empty concat)."""
    import datetime as dt
    import warnings

    from planner.demand.forecast import forecast
    from planner.records.history import shifted

    scenario, _ = load_scenario(PILOTS)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        result = forecast(shifted(scenario, dt.date(2014, 2, 1), 1, overflow=()))
    assert result.monthly["overflow"].sum() == 0 and result.monthly["volume"].sum() > 0


@pytest.mark.slow  # three years of logs fitted again through the plan's path
def test_the_plans_fit_section_compares_the_fit_with_the_base_not_with_itself(pilots, tmp_path):
    """`planner plan --records`: the Trends table's base_trend is the base scenario's, not the fitted one."""
    import html as html_module
    from io import StringIO

    import pandas as pd

    from planner.outputs.report import Report
    from planner.records.logformat import Mapping
    from planner.records.run import prepare_records_plan

    base, logs, _, _ = pilots
    plan = prepare_records_plan([logs], PILOTS, tmp_path / "out", Mapping(), models=("fitted", "typed_in"))
    report = Report(title="t")
    plan.add_to_report(report, None, {})
    body = html_module.unescape(dict(report.sections)["Demand fitted from the records"])
    trends = pd.read_html(StringIO(body[body.index("<h3>Trends</h3>"):]))[0].set_index("provider_id")
    for provider in base.providers:
        if provider.provider_id in trends.index:
            assert trends.loc[provider.provider_id, "base_trend"] == pytest.approx(provider.annual_trend, abs=1e-4)
    assert (trends["base_trend"] - trends["annual_trend"]).abs().max() > 1e-3  # a fit is not its own base
