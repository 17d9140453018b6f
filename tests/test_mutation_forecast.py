"""planner/demand/forecast.py on a scenario small enough to work by hand: every figure below is the module's
formula (its docstring) applied to the rows of `tiny()`.

Found unguarded by mutation testing (issue #18). test_demand checks the default scenario against the report
and conservation on random scenarios (a slow property test); mutation testing runs these instead, once per
mutant, so the scenario is the smallest that still has each case:

- p: open Mon and Tue 9:00–11:00, its own weekday factors (Mon 2, Tue 1) and hourly profile (9 h: 3,
  10 h: 1.5, 11 h: 0); a baseline of provider a and b (b's handling time overridden at p), a closure from
  before the horizon, a two-day overflow event.
- q: open Wed and Thu 10:40–12:00 on the scenario's factors (Wed 3, Thu not listed: 1) and hourly
  profile (11 h: 2, 12 h: 1; 10 h not listed: the smallest listed weight); a closure from 16 March.
- r: open on Sundays 2:00–5:00 (the spring clock change, 29 March, skips 3:00–3:59); a closure from
  27 April, after its last open day of April: unplaced.

March and April 2015 (Good Friday 3.4., Easter Sunday 5.4. and Easter Monday 6.4. closed). Provider a has
no trend and seasonal factors Mar 1, Apr 2; b a 20 % annual trend and factors 1, 1.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from planner.base.calendar import open_days
from planner.demand.forecast import (
    _month_share_from,
    _overflow,
    _spread_streams,
    forecast,
    growth,
    handling_minutes,
    interval_shares,
    minute_weights,
    streams,
)
from planner.scenario.schemas import (
    AdvisorRow,
    BaselineDemandRow,
    ClosureRow,
    DemandProfileConfig,
    HorizonConfig,
    HourlyProfileRow,
    OfficeRow,
    OpeningHoursRow,
    OverflowRow,
    PointRow,
    ProviderRow,
    Scenario,
    ScenarioConfig,
    SeasonalityRow,
    WeekdayProfileRow,
)

B_APRIL = 1.2 ** (1 / 12)  # provider b's trend one month into the horizon


def _hours(point: str, weekdays: tuple[str, ...], opens: dt.time, closes: dt.time) -> tuple[OpeningHoursRow, ...]:
    return tuple(OpeningHoursRow(point_id=point, weekday=w, opens=opens, closes=closes) for w in weekdays)


def tiny(**changes) -> Scenario:
    """The three points of the module docstring; `changes` replaces whole tables."""
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    config = ScenarioConfig(name="tiny", horizon=HorizonConfig(start=dt.date(2015, 3, 1), months=2, interval_minutes=15),
                            demand=DemandProfileConfig(weekday_factors={"wed": 3.0}, hourly_profile={11: 2.0, 12: 1.0}))
    tables = dict(
        config=config,
        points=tuple(PointRow(point_id=p, name=p, municipality=p, latitude=62, longitude=25, population=1000)
                     for p in ("p", "q", "r")),
        opening_hours=(*_hours("p", ("mon", "tue"), dt.time(9), dt.time(11)),
                       *_hours("q", ("wed", "thu"), dt.time(10, 40), dt.time(12)),
                       *_hours("r", ("sun",), dt.time(2), dt.time(5))),
        providers=(ProviderRow(provider_id="a", name="a", handling_minutes=5, annual_trend=0.0, remote_service="none",
                               face_to_face_share=0),
                   ProviderRow(provider_id="b", name="b", handling_minutes=10, annual_trend=0.2, remote_service="none",
                               face_to_face_share=0)),
        seasonality=(SeasonalityRow(provider_id="a", **dict.fromkeys(months, 1.0) | {"apr": 2.0}),
                     SeasonalityRow(provider_id="b", **dict.fromkeys(months, 1.0))),
        baseline_demand=(BaselineDemandRow(point_id="p", provider_id="a", monthly_volume=100),
                         BaselineDemandRow(point_id="p", provider_id="b", monthly_volume=50, handling_minutes=12),
                         BaselineDemandRow(point_id="q", provider_id="a", monthly_volume=160),
                         BaselineDemandRow(point_id="r", provider_id="a", monthly_volume=50)),
        offices=(OfficeRow(office_id="oa", name="oa", provider_id="a", municipality="x", latitude=62, longitude=25),
                 OfficeRow(office_id="ob", name="ob", provider_id="b", municipality="x", latitude=62, longitude=25)),
        closures=(ClosureRow(office_id="oa", date=dt.date(2015, 3, 16), monthly_visits=310, point_id="q",
                             share_to_point=0.5),
                  ClosureRow(office_id="ob", date=dt.date(2015, 2, 10), monthly_visits=60, point_id="p",
                             share_to_point=0.5),
                  ClosureRow(office_id="ob", date=dt.date(2015, 4, 27), monthly_visits=60, point_id="r",
                             share_to_point=0.1)),
        overflow_events=(OverflowRow(event_id="e", office_id="ob", point_id="p", start=dt.date(2015, 4, 7),
                                     end=dt.date(2015, 4, 13), office_daily_visits=40, share_to_point=0.25),),
        weekday_profiles=(WeekdayProfileRow(point_id="p", mon=2.0, tue=1.0),),
        hourly_profiles=(HourlyProfileRow(point_id="p", hour=9, weight=3.0),
                         HourlyProfileRow(point_id="p", hour=10, weight=1.5),
                         HourlyProfileRow(point_id="p", hour=11, weight=0.0),
                         HourlyProfileRow(point_id="r", hour=2, weight=1.0),
                         HourlyProfileRow(point_id="r", hour=3, weight=5.0),
                         HourlyProfileRow(point_id="r", hour=4, weight=3.0)),
        advisors=(AdvisorRow(advisor_id="x", name="x", point_id="p", fte=1, skills=("a",), role="advisor"),),
    )
    return Scenario(**(tables | changes))


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return tiny()


def day(table: pd.DataFrame, point: str, provider: str) -> pd.Series:
    """A point's and provider's arrivals by date (day of month for March and April: 'MM-DD')."""
    rows = table[(table.point_id == point) & (table.provider_id == provider)]
    return pd.Series(rows["arrivals"].to_numpy(), index=rows["date"].dt.strftime("%m-%d"))


# ----------------------------------------------------------------- months


def test_growth_is_season_times_trend_per_month(scenario):
    g = growth(scenario).set_index(["provider_id", "month"])["growth"]
    assert list(g.index) == [("a", "2015-03"), ("a", "2015-04"), ("b", "2015-03"), ("b", "2015-04")]
    assert list(g) == pytest.approx([1.0, 2.0, 1.0, B_APRIL], rel=1e-12)


@pytest.mark.parametrize(("date", "share"), [
    (dt.date(2015, 2, 28), 1.0),  # before March: all of it
    (dt.date(2015, 3, 1), 1.0),
    (dt.date(2015, 3, 16), 16 / 31),  # 16th–31st
    (dt.date(2015, 3, 31), 1 / 31),  # the last day only
    (dt.date(2015, 4, 1), 0.0),  # after March: none of it
    (dt.date(2016, 2, 15), None),  # February 2016 has 29 days: 15th–29th
])
def test_a_closures_part_of_a_month(date, share):
    month = f"{date.year}-{date.month:02d}" if share is None else "2015-03"
    expected = 15 / 29 if share is None else share
    assert _month_share_from(date, month) == pytest.approx(expected, abs=1e-12)


def test_streams_are_the_baseline_and_each_closure_by_month(scenario):
    s = streams(scenario)
    assert list(s.columns) == ["point_id", "provider_id", "month", "component", "stream", "from_date", "volume"]
    by = s.set_index(["stream", "point_id", "provider_id", "month"])
    volume, start = by["volume"], pd.Timestamp("2015-03-01")
    assert volume[("baseline", "p", "a", "2015-03")] == 100 and volume[("baseline", "p", "a", "2015-04")] == 200
    assert volume[("baseline", "p", "b", "2015-04")] == pytest.approx(50 * B_APRIL, rel=1e-12)
    # 310 visits × 0.5 from 16 March: 16/31 of March's 155, all of April's 155 × 2.
    assert volume[("closure-0", "q", "a", "2015-03")] == pytest.approx(80) and volume[("closure-0", "q", "a", "2015-04")] == 310
    assert volume[("closure-1", "p", "b", "2015-03")] == 30  # closed before the horizon: all of March
    # 60 × 0.1 × b's April growth × the 4 days of April from the 27th: 0.8 customers.
    assert volume[("closure-2", "r", "b", "2015-04")] == pytest.approx(6 * B_APRIL * 4 / 30, rel=1e-12)
    assert volume[("closure-2", "r", "b", "2015-03")] == 0
    assert set(s.loc[s.stream == "baseline", "component"]) == {"baseline"}
    assert set(s.loc[s.stream != "baseline", "component"]) == {"closures"}
    from_date = by["from_date"].groupby(level="stream").first()
    assert from_date.to_dict() == {"baseline": start, "closure-0": pd.Timestamp("2015-03-16"),
                                   "closure-1": start, "closure-2": pd.Timestamp("2015-04-27")}
    assert list(s.index) == list(range(len(s)))


def test_growth_reads_the_calendar_months_of_the_autumn():
    """October to December: the seasonal factors 10, 11 and 12 of a profile whose factor is its month's number."""
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    numbered = tuple(SeasonalityRow(provider_id=q, **{m: float(k) for k, m in enumerate(months, 1)}) for q in "ab")
    scenario = tiny(seasonality=numbered)
    horizon = scenario.config.horizon.model_copy(update={"start": dt.date(2015, 10, 1), "months": 3})
    autumn = scenario.model_copy(update={"config": scenario.config.model_copy(update={"horizon": horizon})})
    a = growth(autumn).query("provider_id == 'a'")
    assert list(a["month"]) == ["2015-10", "2015-11", "2015-12"] and list(a["growth"]) == [10, 11, 12]


# ----------------------------------------------------------------- days


def test_a_months_volume_is_spread_over_its_open_days_by_the_weekday_factors(scenario):
    """p (Mon 2, Tue 1): March has 5 Mondays and 5 Tuesdays, weight 15, so 100 customers are 13.33 on a Monday and
    6.67 on a Tuesday; April has 3 open Mondays (Easter Monday closed) and 4 Tuesdays, weight 10: 200 → 40 and 20."""
    daily, unplaced = _spread_streams(scenario, open_days(scenario))
    baseline = day(daily[daily.component == "baseline"], "p", "a")
    assert baseline["03-02"] == pytest.approx(100 * 2 / 15) and baseline["03-03"] == pytest.approx(100 / 15)
    assert baseline["04-13"] == pytest.approx(40) and baseline["04-07"] == pytest.approx(20)
    assert "04-06" not in baseline.index and len(baseline) == 10 + 7
    # q on the scenario's factors: Wed 3, Thu (not listed) 1. March: 4 + 4 days, weight 16; 160 → 30 and 10.
    q = day(daily[daily.component == "baseline"], "q", "a")
    assert (q["03-04"], q["03-05"]) == pytest.approx((30, 10))
    assert list(daily.columns) == ["point_id", "provider_id", "date", "month", "component", "arrivals"]


def test_a_weekday_weighted_zero_gets_no_customers_and_no_rows():
    """p with Tuesday's factor 0: March's 100 customers all come on its 5 Mondays, 20 each."""
    scenario = tiny(weekday_profiles=(WeekdayProfileRow(point_id="p", mon=2.0, tue=0.0),))
    daily, _ = _spread_streams(scenario, open_days(scenario))
    baseline = day(daily[daily.component == "baseline"], "p", "a")
    assert list(baseline[baseline.index < "04"]) == pytest.approx([20] * 5)
    assert list(baseline.index[:5]) == ["03-02", "03-09", "03-16", "03-23", "03-30"]


def test_a_point_open_on_no_day_has_its_volume_unplaced():
    """r without opening hours: its 50 customers in March and 100 in April (a's season) fall on no day."""
    scenario = tiny(opening_hours=tiny().opening_hours[:-1])
    demand = forecast(scenario)
    r = demand.monthly[(demand.monthly.point_id == "r") & (demand.monthly.provider_id == "a")]
    assert list(r["open_days"]) == [0, 0] and list(r["unplaced"]) == [50, 100] and list(r["placed"]) == [0, 0]
    assert list(r["volume"]) == [50, 100] and list(r["workload_hours"]) == pytest.approx([50 * 5 / 60, 100 * 5 / 60])
    assert demand.notes[:2] == tuple(f"r/a 2015-0{m}: {v:.1f} customers fall on no open day (the point is closed on "
                                     "every day they could come) and are not placed" for m, v in ((3, 50), (4, 100)))
    assert "r" not in set(demand.daily["point_id"]) | set(demand.intervals["point_id"])


def test_a_closures_share_is_spread_only_over_the_days_from_its_date(scenario):
    """q's closure from Mon 16 March: 80 customers over Wed 18, Thu 19, Wed 25 and Thu 26 (weight 8): 30 and 10;
    in April over all of April's days, 310 → 46.5 on a Wednesday, 15.5 on a Thursday (weight 20)."""
    daily, _ = _spread_streams(scenario, open_days(scenario))
    closure = day(daily[daily.component == "closures"], "q", "a")
    assert list(closure.index[:4]) == ["03-18", "03-19", "03-25", "03-26"]
    assert list(closure[:4]) == pytest.approx([30, 10, 30, 10])
    assert (closure["04-01"], closure["04-02"]) == pytest.approx((46.5, 15.5))
    # p's closure from before the horizon: all of March's days, 30 customers as the baseline is (Mon 4, Tue 2).
    assert list(day(daily[daily.component == "closures"], "p", "b")[["03-02", "03-03"]]) == pytest.approx([4, 2])


def test_a_closure_from_a_months_last_open_day_puts_that_months_share_on_it():
    """b's office closing on Thu 30 April towards q, whose Thursdays weigh 0.5 here: 60 × 0.5 × b's growth × 1/30 of
    April, all of it on the 30th (the only day from the closure on); nothing is left unplaced."""
    config = tiny().config.model_copy(update={"demand": DemandProfileConfig(weekday_factors={"wed": 3.0, "thu": 0.5},
                                                                            hourly_profile={11: 2.0, 12: 1.0})})
    closure = ClosureRow(office_id="ob", date=dt.date(2015, 4, 30), monthly_visits=60, point_id="q", share_to_point=0.5)
    scenario = tiny(config=config, closures=(closure,))
    daily, unplaced = _spread_streams(scenario, open_days(scenario))
    q = day(daily[daily.component == "closures"], "q", "b")
    assert list(q.index) == ["04-30"] and list(q) == pytest.approx([B_APRIL])
    assert unplaced.empty and forecast(scenario).notes == ()


def test_volume_with_no_open_day_to_go_to_is_reported_unplaced(scenario):
    """r's closure from Mon 27 April: r opens on Sundays, and April's last (26th) is before it."""
    daily, unplaced = _spread_streams(scenario, open_days(scenario))
    assert list(unplaced[["point_id", "provider_id", "month", "stream"]].itertuples(index=False, name=None)) == [
        ("r", "b", "2015-04", "closure-2")]
    assert unplaced["volume"].iloc[0] == pytest.approx(0.8 * B_APRIL)  # less than one customer: still said
    assert not ((daily.point_id == "r") & (daily.provider_id == "b")).any()
    demand = forecast(scenario)
    assert demand.notes == (f"r/b 2015-04: {0.8 * B_APRIL:.1f} customers fall on no open day (the point is closed on "
                            "every day they could come) and are not placed",)
    monthly = demand.monthly.set_index(["point_id", "provider_id", "month"])
    assert monthly.loc[("r", "b", "2015-04"), "unplaced"] == pytest.approx(0.8 * B_APRIL)
    assert monthly.loc[("r", "b", "2015-04"), "placed"] == 0
    assert monthly.loc[("r", "b", "2015-04"), "volume"] == pytest.approx(0.8 * B_APRIL)


def test_an_overflow_event_lands_on_the_points_open_days_from_its_first_to_its_last_day(scenario):
    """7–13 April at p: Tue 7 and Mon 13 (p is closed Wed–Sun), both ends included; 40 visits × 0.25 = 10 a day,
    for the office's provider (b)."""
    spill = _overflow(scenario, open_days(scenario))
    assert list(spill.itertuples(index=False, name=None)) == [
        ("p", "b", pd.Timestamp("2015-04-07"), "2015-04", "overflow", 10.0),
        ("p", "b", pd.Timestamp("2015-04-13"), "2015-04", "overflow", 10.0)]
    none = _overflow(tiny(overflow_events=()), open_days(scenario))
    assert none.empty and list(none.columns) == ["point_id", "provider_id", "date", "month", "component", "arrivals"]


# ----------------------------------------------------------------- intervals


def test_minute_weights_come_from_the_points_own_hourly_profile_else_the_scenarios(scenario):
    p = minute_weights(scenario, "p")
    assert p.shape == (1440,) and p[9 * 60] == pytest.approx(3 / 60) and p[10 * 60 + 59] == pytest.approx(1.5 / 60)
    assert p[11 * 60] == 0  # a listed weight of 0 stays 0
    assert p[8 * 60] == pytest.approx(1.5 / 60)  # not listed: the smallest positive listed weight
    q = minute_weights(scenario, "q")  # no rows of its own: scenario.toml's profile, 10 h not listed → 1
    assert (q[11 * 60], q[12 * 60], q[10 * 60]) == pytest.approx((2 / 60, 1 / 60, 1 / 60))
    assert minute_weights(scenario).sum() == pytest.approx(2 + 1 + 22 * 1)


def test_a_points_rows_weighing_nothing_leave_it_on_the_scenarios_profile():
    rows = (HourlyProfileRow(point_id="p", hour=9, weight=0.0),)
    scenario = tiny(hourly_profiles=rows)
    np.testing.assert_array_equal(minute_weights(scenario, "p"), minute_weights(scenario, "q"))
    # No positive weight anywhere to fall back on: every hour weighs 1 (a profile of zeros is refused at loading).
    zero = scenario.model_copy(update={"config": scenario.config.model_copy(update={"demand": DemandProfileConfig.model_construct(
        weekday_factors={}, hourly_profile={})})})
    assert (minute_weights(zero, "q") == 1 / 60).all()


def test_interval_shares_follow_the_hourly_profile_over_the_open_minutes(scenario):
    """q, 10:40–12:00: 5 open minutes of hour 10 (weight 1), then 15, and four quarters of hour 11 (weight 2):
    5 + 15 + 4 × 30 = 140 weighted minutes. p, 9–11: four quarters of weight 3, four of 1.5 (1/6 and 1/12)."""
    shares = interval_shares(scenario, open_days(scenario))
    q = shares[(shares.point_id == "q") & (shares.weekday == "wed")]
    assert list(q["interval_start"]) == [630, 645, 660, 675, 690, 705]
    assert list(q["open_minutes"]) == [5, 15, 15, 15, 15, 15]
    assert list(q["share"]) == pytest.approx([5 / 140, 15 / 140] + [30 / 140] * 4)
    p = shares[(shares.point_id == "p") & (shares.weekday == "mon")]
    assert list(p["share"]) == pytest.approx([1 / 6] * 4 + [1 / 12] * 4)
    assert list(shares.columns) == ["point_id", "weekday", "clock", "interval_start", "open_minutes", "share"]
    assert list(shares.index) == list(range(len(shares)))


def test_a_night_window_with_light_weights_shares_by_them():
    """p open on Mondays 0:00–1:30 with its own weights 0.2 (0 h) and 0.6 (1 h), 0.8 in all: still its profile. The
    quarters weigh 0.05 and 0.15 (0.5 in all): shares 0.1 four times, then 0.3 twice."""
    rows = (HourlyProfileRow(point_id="p", hour=0, weight=0.2), HourlyProfileRow(point_id="p", hour=1, weight=0.6))
    scenario = tiny(opening_hours=_hours("p", ("mon",), dt.time(0), dt.time(1, 30)), hourly_profiles=rows)
    assert minute_weights(scenario, "p")[0] == pytest.approx(0.2 / 60)
    shares = interval_shares(scenario, open_days(scenario))
    assert list(shares["interval_start"]) == [0, 15, 30, 45, 60, 75]
    assert list(shares["share"]) == pytest.approx([0.1] * 4 + [0.3] * 2)


def test_a_window_whose_hours_weigh_nothing_shares_by_open_minutes():
    """p open 11:00–11:40 only, hour 11 weighted 0: the day's customers spread by open minutes, 15:15:10."""
    scenario = tiny(opening_hours=_hours("p", ("mon",), dt.time(11), dt.time(11, 40)))
    shares = interval_shares(scenario, open_days(scenario))
    assert list(shares["share"]) == pytest.approx([15 / 40, 15 / 40, 10 / 40])


def test_the_spring_night_shares_the_day_over_its_real_hours(scenario):
    """r, Sundays 2–5: on 22 March hours 2, 3 and 4 weigh 1, 5 and 3 per quarter (36 in all); on 29 March the
    clocks skip 3:00–3:59, so the same wall hours are 2 h of elapsed time, weighing 1 and 3 (16 in all)."""
    shares = interval_shares(scenario, open_days(scenario))
    r = shares[shares.point_id == "r"].set_index(["clock", "interval_start"])["share"]
    assert set(r.index.get_level_values("clock")) == {"", "2015-03-29"}
    ordinary = r.loc[""]
    assert list(ordinary.index) == list(range(120, 300, 15))
    assert list(ordinary) == pytest.approx([1 / 36] * 4 + [5 / 36] * 4 + [3 / 36] * 4)
    spring = r.loc["2015-03-29"]
    assert list(spring.index) == list(range(120, 240, 15))
    assert list(spring) == pytest.approx([1 / 16] * 4 + [3 / 16] * 4)


# ----------------------------------------------------------------- the forecast


def test_handling_minutes_are_the_points_override_else_the_providers(scenario):
    table = handling_minutes(scenario).set_index(["point_id", "provider_id"])["handling_minutes"]
    assert table.to_dict() == {("p", "a"): 5, ("p", "b"): 12, ("q", "a"): 5, ("q", "b"): 10, ("r", "a"): 5,
                               ("r", "b"): 10}


def test_the_monthly_table_adds_the_components_and_their_workload(scenario):
    m = forecast(scenario).monthly
    assert list(m.columns) == ["point_id", "provider_id", "month", "baseline", "closures", "overflow", "unplaced",
                               "placed", "volume", "open_days", "handling_minutes", "workload_hours"]
    assert list(m[["point_id", "provider_id", "month"]].itertuples(index=False, name=None)) == [
        (p, q, month) for p, q in (("p", "a"), ("p", "b"), ("q", "a"), ("r", "a"), ("r", "b"))
        for month in ("2015-03", "2015-04")]
    row = m.set_index(["point_id", "provider_id", "month"])
    # p/b in April: the baseline 50 × b's growth, the closure 30 × the same, and two days of 10 overflow.
    april = row.loc[("p", "b", "2015-04")]
    assert april["baseline"] == pytest.approx(50 * B_APRIL) and april["closures"] == pytest.approx(30 * B_APRIL)
    assert april["overflow"] == pytest.approx(20) and april["unplaced"] == 0
    assert april["placed"] == april["volume"] == pytest.approx(80 * B_APRIL + 20)
    assert april["open_days"] == 7 and april["handling_minutes"] == 12
    assert april["workload_hours"] == pytest.approx((80 * B_APRIL + 20) * 12 / 60)
    # q/a in March: baseline 160 and the closure's 80; 8 open days.
    march = row.loc[("q", "a", "2015-03")]
    assert (march["baseline"], march["closures"], march["overflow"], march["volume"]) == pytest.approx((160, 80, 0, 240))
    assert march["open_days"] == 8 and march["workload_hours"] == pytest.approx(240 * 5 / 60)
    # r on its Sundays: March 5 of them, April 3 (Easter Sunday closed); r/b has nothing placed in March.
    assert (row.loc[("r", "a", "2015-03"), "open_days"], row.loc[("r", "a", "2015-04"), "open_days"]) == (5, 3)
    assert row.loc[("r", "b", "2015-03"), ["baseline", "closures", "volume"]].tolist() == [0, 0, 0]
    assert m[["baseline", "closures", "overflow", "unplaced", "placed", "volume", "workload_hours"]].dtypes.eq(float).all()
    assert m["open_days"].dtype.kind == "i"


def test_daily_and_interval_arrivals_are_the_days_volume_times_its_share(scenario):
    demand = forecast(scenario)
    assert list(demand.daily.columns) == ["point_id", "provider_id", "date", "arrivals"]
    daily = day(demand.daily, "q", "a")
    assert daily["03-18"] == pytest.approx(60) and daily["03-04"] == pytest.approx(30)  # the closure on top from the 18th
    p_b = day(demand.daily, "p", "b")
    assert p_b["04-07"] == pytest.approx(10 + 80 * B_APRIL / 10)  # overflow on top of a Tuesday's weight 1 of 10
    intervals = demand.intervals
    assert list(intervals.columns) == ["point_id", "provider_id", "date", "interval_start", "open_minutes", "arrivals"]
    q = intervals[(intervals.point_id == "q") & (intervals.date == "2015-03-18")]
    assert list(q["interval_start"]) == [630, 645, 660, 675, 690, 705]
    assert list(q["arrivals"]) == pytest.approx([60 * 5 / 140, 60 * 15 / 140] + [60 * 30 / 140] * 4)
    spring = intervals[(intervals.point_id == "r") & (intervals.date == "2015-03-29")]
    assert list(spring["arrivals"]) == pytest.approx([10 / 16] * 4 + [30 / 16] * 4)  # 50 over 5 Sundays: 10
    # Sorted by point, date, interval, provider; the index starts again at 0.
    keys = intervals[["point_id", "date", "interval_start", "provider_id"]]
    assert keys.equals(keys.sort_values(list(keys.columns)).reset_index(drop=True))
    assert list(intervals.index) == list(range(len(intervals)))
    np.testing.assert_allclose(intervals.groupby(["point_id", "provider_id", "date"])["arrivals"].sum().to_numpy(),
                               demand.daily.set_index(["point_id", "provider_id", "date"]).sort_index()["arrivals"])


def test_an_overflow_from_a_provider_with_no_demand_at_the_point_has_its_monthly_rows():
    """q has no demand of b's except a spill on Wed 4 March (20 visits × 0.5): q/b's months read 10 and 0."""
    event = OverflowRow(event_id="f", office_id="ob", point_id="q", start=dt.date(2015, 3, 4), end=dt.date(2015, 3, 4),
                        office_daily_visits=20, share_to_point=0.5)
    m = forecast(tiny(overflow_events=(event,))).monthly.set_index(["point_id", "provider_id", "month"])
    assert list(m.loc[("q", "b"), "overflow"]) == [10, 0] and list(m.loc[("q", "b"), "volume"]) == [10, 0]
    assert list(m.loc[("q", "b"), "workload_hours"]) == pytest.approx([10 * 10 / 60, 0])
    assert list(m.loc[("q", "b"), "open_days"]) == [8, 10]


def test_a_forecast_without_events_or_closures_has_their_columns_at_zero():
    demand = forecast(tiny(overflow_events=(), closures=()))
    m = demand.monthly
    assert (m["overflow"] == 0).all() and (m["closures"] == 0).all() and (m["unplaced"] == 0).all()
    assert demand.notes == ()
    assert set(zip(m.point_id, m.provider_id, strict=True)) == {("p", "a"), ("p", "b"), ("q", "a"), ("r", "a")}


def test_the_forecast_of_some_points_is_theirs_alone(scenario):
    whole = forecast(scenario)
    part = whole.for_points({"q", "r"})
    for name in ("monthly", "daily", "intervals"):
        table, mine = getattr(whole, name), getattr(part, name)
        expected = table[table["point_id"].isin({"q", "r"})].reset_index(drop=True)
        assert set(mine["point_id"]) == {"q", "r"}
        pd.testing.assert_frame_equal(mine, expected)
    assert part.notes == whole.notes
