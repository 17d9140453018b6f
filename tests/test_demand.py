"""The demand model reproduces the report's figures and conserves volumes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.base.calendar import finnish_holidays
from planner.demand.forecast import forecast
from planner.scenario.schemas import (
    AdvisorRow,
    BaselineDemandRow,
    ClosureRow,
    HorizonConfig,
    OfficeRow,
    OpeningHoursRow,
    OverflowRow,
    PointRow,
    ProviderRow,
    Scenario,
    ScenarioConfig,
    SeasonalityRow,
)


@pytest.fixture(scope="module")
def pilots(default_scenario):
    return forecast(default_scenario)


def monthly(result, point, provider):
    table = result.monthly
    return table[(table.point_id == point) & (table.provider_id == provider)].set_index("month")


def test_mikkeli_tax_flow_is_a_third_of_the_closed_office(pilots, default_scenario):
    # Report §4.1.2: the closed office had ~1 700 visits a month and about 1/3 moved to the point.
    tax = monthly(pilots, "mikkeli", "vero")
    growth = np.array([1.50, 1.10, 0.85, 1.25, 1.35, 0.75, 0.60, 1.00, 0.80, 0.90, 0.95, 0.95])
    growth = growth * (1 - 0.049) ** (np.arange(12) / 12)
    deseasonalised = tax["volume"].to_numpy() / growth
    assert deseasonalised == pytest.approx(1700 / 3, rel=0.01)
    # ... which is the report's "> 500 fairly simple transactions a month" at the point.
    assert 500 <= tax["volume"].mean() <= 600


def test_register_office_volumes_match_the_report(pilots):
    assert monthly(pilots, "mikkeli", "maistraatti")["volume"].mean() > 250
    assert 30 <= monthly(pilots, "parainen", "maistraatti")["volume"].mean() <= 50


def test_twenty_percent_trend_is_ten_and_a_half_percent_lower_after_six_months(default_scenario):
    # Police: 20 %/year → ~10.5 % fewer six months later (domain.md trend table).
    flat = default_scenario.model_copy(update={"seasonality": tuple(
        row if row.provider_id != "poliisi" else row.model_copy(update=dict.fromkeys(
            ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1.0))
        for row in default_scenario.seasonality)})
    police = monthly(forecast(flat), "kiiminki", "poliisi")["baseline"]
    assert 1 - police["2015-07"] / police["2015-01"] == pytest.approx(0.105, abs=0.002)


def test_monthly_totals_follow_the_seasonality(pilots, default_scenario):
    factors = next(r for r in default_scenario.seasonality if r.provider_id == "kunta").factors()
    kunta = monthly(pilots, "mikkeli", "kunta")["volume"].to_numpy()
    assert kunta / kunta[0] == pytest.approx(np.array(factors) / factors[0])


def test_public_holidays_have_no_arrivals(pilots):
    holidays = set(finnish_holidays(2015, 2015))
    assert dt.date(2015, 12, 24) in holidays and dt.date(2015, 6, 19) in holidays
    dates = set(pilots.intervals["date"].dt.date)
    assert not dates & holidays
    assert not set(pilots.daily["date"].dt.date) & holidays


def test_arrivals_follow_opening_hours(pilots):
    saarijarvi = pilots.intervals[pilots.intervals.point_id == "saarijarvi"]
    assert saarijarvi["interval_start"].min() == 10 * 60
    assert saarijarvi["interval_start"].max() == 15 * 60 - 15
    assert set(saarijarvi["date"].dt.day_of_week) <= {0, 1, 2, 3, 4}


def test_closure_within_the_horizon_starts_on_its_date(pilots):
    te = pilots.daily[(pilots.daily.point_id == "mikkeli") & (pilots.daily.provider_id == "te")]
    feb, mar = te[te.date.dt.month == 2]["arrivals"].mean(), te[te.date.dt.month == 3]["arrivals"].mean()
    assert mar > 2 * feb  # 400 × 5 % = 20 more a month on top of ~10
    assert monthly(pilots, "mikkeli", "te")["closures"]["2015-02"] == 0


def test_overflow_lands_on_the_event_day(pilots):
    kela = pilots.daily[(pilots.daily.point_id == "mikkeli") & (pilots.daily.provider_id == "kela")]
    day = kela.set_index("date")["arrivals"]
    assert day[pd.Timestamp("2015-05-20")] - day[pd.Timestamp("2015-05-21")] == pytest.approx(30, abs=1)


def test_monday_busier_than_friday(pilots):
    kunta = pilots.daily[(pilots.daily.point_id == "mikkeli") & (pilots.daily.provider_id == "kunta")]
    week = kunta[(kunta.date >= "2015-02-02") & (kunta.date <= "2015-02-06")]["arrivals"].to_numpy()
    assert week[0] / week[4] == pytest.approx(1.15 / 0.85)


# ----------------------------------------------------------------- conservation


@st.composite
def random_scenario(draw) -> Scenario:
    months = draw(st.integers(1, 4))
    start = draw(st.dates(dt.date(2014, 1, 1), dt.date(2027, 12, 1))).replace(day=1)
    interval = draw(st.sampled_from([15, 30, 60]))
    points, hours = [], []
    for p in range(draw(st.integers(1, 3))):
        pid = f"p{p}"
        points.append(PointRow(point_id=pid, name=pid, municipality=pid, latitude=62, longitude=25, population=1000))
        for weekday in draw(st.sets(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat"]), min_size=1)):
            opens = draw(st.integers(6 * 60, 12 * 60))
            closes = draw(st.integers(opens + 1, 20 * 60))
            hours.append(OpeningHoursRow(point_id=pid, weekday=weekday,
                                         opens=dt.time(opens // 60, opens % 60),
                                         closes=dt.time(closes // 60, closes % 60)))
    factor = st.floats(0.1, 3.0)
    providers = [ProviderRow(provider_id=q, name=q, handling_minutes=5, annual_trend=draw(st.floats(-0.5, 0.5)),
                             remote_service="none", face_to_face_share=0) for q in ("a", "b")]
    seasonality = [SeasonalityRow(provider_id=q.provider_id, **{m: draw(factor) for m in (
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")}) for q in providers]
    baseline = [BaselineDemandRow(point_id=p.point_id, provider_id=q.provider_id,
                                  monthly_volume=draw(st.floats(0, 5000)))
                for p in points for q in providers]
    offices = [OfficeRow(office_id="o", name="o", provider_id="a", municipality="x", latitude=62, longitude=25)]
    closures = [ClosureRow(office_id="o", date=draw(st.dates(start - dt.timedelta(days=40), start + dt.timedelta(days=150))),
                           monthly_visits=draw(st.floats(0, 3000)), point_id=draw(st.sampled_from(points)).point_id,
                           share_to_point=draw(st.floats(0, 1))) for _ in range(draw(st.integers(0, 2)))]
    overflow = []
    for n in range(draw(st.integers(0, 2))):
        first = draw(st.dates(start, start + dt.timedelta(days=100)))
        overflow.append(OverflowRow(event_id=f"e{n}", office_id="o", point_id=draw(st.sampled_from(points)).point_id,
                                    start=first, end=first + dt.timedelta(days=draw(st.integers(0, 6))),
                                    office_daily_visits=draw(st.floats(0, 500)), share_to_point=draw(st.floats(0, 1))))
    config = ScenarioConfig(name="random", horizon=HorizonConfig(start=start, months=months, interval_minutes=interval))
    return Scenario(config=config, points=tuple(points), opening_hours=tuple(hours), providers=tuple(providers),
                    seasonality=tuple(seasonality), baseline_demand=tuple(baseline), offices=tuple(offices),
                    closures=tuple(closures), overflow_events=tuple(overflow),
                    advisors=(AdvisorRow(advisor_id="x", name="x", point_id="p0", fte=1, skills=("a",), role="advisor"),))


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenario())
def test_volumes_are_conserved_for_any_scenario(scenario):
    result = forecast(scenario)
    m = result.monthly
    assert (result.intervals["arrivals"] >= 0).all()
    # intervals → days → months, exactly (up to float rounding)
    per_day = result.intervals.groupby(["point_id", "provider_id", "date"])["arrivals"].sum()
    daily = result.daily.set_index(["point_id", "provider_id", "date"])["arrivals"]
    assert per_day.sum() == pytest.approx(daily.sum(), rel=1e-9, abs=1e-6)
    assert np.allclose(per_day.reindex(daily.index).fillna(0).to_numpy(), daily.to_numpy(), atol=1e-6)
    placed = m[["baseline", "closures", "overflow"]].sum(axis=1)
    assert result.intervals["arrivals"].sum() == pytest.approx(placed.sum(), rel=1e-9, abs=1e-6)
    assert np.allclose(m["volume"], placed + m["unplaced"])
    # a month with open days places all its volume, except a closure's share that starts after the
    # month's last open day
    closed_points = {c.point_id for c in scenario.closures}
    assert (m.loc[(m["open_days"] > 0) & ~m["point_id"].isin(closed_points), "unplaced"] == 0).all()
    months = result.intervals.assign(month=result.intervals["date"].dt.strftime("%Y-%m"))
    by_month = months.groupby(["point_id", "provider_id", "month"])["arrivals"].sum()
    expected = m.set_index(["point_id", "provider_id", "month"])[["baseline", "closures", "overflow"]].sum(axis=1)
    assert np.allclose(by_month.reindex(expected.index).fillna(0).to_numpy(), expected.to_numpy(), atol=1e-6)


def test_outreach_computes_no_interval_demand_and_the_same_days(default_scenario, monkeypatch, tmp_path):
    # A national year's interval rows are 12 million, ~2 GB in the process that plans outreach, which reads days only.
    from planner.demand.stage import DemandStage
    from planner.run import pipeline

    whole, days_only = forecast(default_scenario), DemandStage(intervals=False).solve(default_scenario)
    assert len(whole.intervals) > 0 and len(days_only.intervals) == 0
    assert list(days_only.intervals.columns) == list(whole.intervals.columns)
    pd.testing.assert_frame_equal(whole.daily, days_only.daily)
    pd.testing.assert_frame_equal(whole.monthly, days_only.monthly)
    seen = []

    def prepare(self, scenario, upstream):
        seen.append(len(upstream["demand"].intervals))
        raise RuntimeError("stop here")

    monkeypatch.setattr(pipeline.OutreachStage, "prepare", prepare)
    with pytest.raises(RuntimeError, match="stop here"):
        pipeline.run_outreach(default_scenario, tmp_path / "o", 1)
    assert seen == [0]
