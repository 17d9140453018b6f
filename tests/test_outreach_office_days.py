"""An office closing within the planned horizon is the customers' alternative until its closing date (issue #15).

The plan priced "the customer travels to the office" with one office per point and provider for the whole horizon,
the one still open on its last day: customers arriving before a closure were priced the longer trip to an office that
stays open, and when every office of a provider closed by the end, all its customers were left out of the plan
(access.csv no_official), those of the months the office was open too. Now each arrival day has the price of the
nearest office open that day (models.outreach.Stream.office_on), and access.csv has a row per office (the customers
after every office closed: tests/test_outreach_closed_customers.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import SimpleNamespace

import pandas as pd
import pytest

from models import outreach as m
from planner.base.budget import with_work_limit
from planner.base.geo import Geography
from planner.checks.visits import check_access_reasons
from planner.demand.forecast import forecast
from planner.outreach import blocks
from planner.outreach import plan as op
from planner.outreach.plan import solve_problem
from planner.outreach.travel import nearest_office, office_trip, provider_offices
from planner.whatif.compare import outreach_access_comparison
from tests.test_outreach_blocks import recomputed
from tests.test_outreach_closed_offices import POLICE, closing
from tests.test_outreach_model import FLOW, problem, solve
from tests.test_outreach_search import lapland

CLOSES = dt.date(2015, 1, 15)  # a Thursday in the middle of the pilots' first month


def test_each_customer_sent_to_the_office_pays_the_trip_of_their_arrival_day():
    """Model: no visit pays, so all go to the office; day 1's office is farther (its nearer one closed)."""
    stream = replace(problem().streams[0], arrivals=(1, 1), office_eur_by_day=(30.0, 70.0))
    sol = solve(problem(arrivals=(1, 1), tours=(), streams=(stream,)))
    assert sol.trips == ()
    assert sol.access_eur == pytest.approx(30.0 + 70.0)
    assert sol.penalties == {"to_office(point=p, provider=poliisi, type=permit, day=2015-01-05)": 30.0,
                             "to_office(point=p, provider=poliisi, type=permit, day=2015-01-06)": 70.0}
    assert sol.outcomes[0].by_arrival == {0: (0, 1, 0, 0), 1: (0, 1, 0, 0)}
    assert stream.office_on(0) == 30.0 and stream.office_on(1) == 70.0 and problem().streams[0].office_on(1) == 30.0


def test_a_far_office_after_the_closure_makes_a_visit_pay():
    """Model: one customer a day, a trip possible on day 1 only (54.80 € + 10 € a slot, 1 € a day of waiting). At 30 €
    an office trip each, both go to the office (60 €); when the day-1 customer's office is 70 € away (the near one
    closed), the visit pays for them, and the day-0 customer waits a day for it rather than drive 30 €."""
    assert solve(problem(arrivals=(1, 1), days=(1,)), hard=(m.add_calendar, *FLOW)).objective == pytest.approx(60.0)
    stream = replace(problem().streams[0], arrivals=(1, 1), office_eur_by_day=(30.0, 70.0))
    sol = solve(problem(arrivals=(1, 1), days=(1,), streams=(stream,)), hard=(m.add_calendar, *FLOW))
    assert sol.outcomes[0].by_arrival == {0: (1, 0, 0, 1), 1: (1, 0, 0, 0)}
    assert sol.objective == pytest.approx(54.80 + 2 * 10.0 + 1.0)


def test_a_block_keeps_each_carried_customer_s_office_price():
    """blocks._slice: a block's days (a carried arrival day first) keep the horizon's prices of those days."""
    horizon = lapland(("kemijarvi",), n_days=62)
    stream = horizon.streams[0]
    prices = tuple(stream.office_eur if d < 30 else 2 * stream.office_eur for d in range(62))
    horizon = replace(horizon, streams=(replace(stream, office_eur_by_day=prices),))
    sliced = blocks._slice(horizon, range(40, 62), [25], {(0, 25): 1})
    assert [sliced.streams[0].office_on(d) for d in range(len(sliced.days))] == [prices[25], *prices[40:62]]


def test_a_plan_in_blocks_costs_each_office_trip_at_its_arrival_day_s_price():
    """Three month blocks; until 10 February an office 5 € away (cheaper than a slot's productivity loss), then the
    far one: the early customers go to the office, the late ones are served, and the plan costs what it says."""
    horizon = lapland(("kemijarvi", "pelkosenniemi"), n_days=62)
    streams = tuple(replace(s, office_eur_by_day=tuple(5.0 if day < dt.date(2015, 2, 10) else s.office_eur
                                                       for day in horizon.days)) for s in horizon.streams)
    horizon, w = replace(horizon, streams=streams), m.Weights()
    assert len(blocks.spans(horizon, 100)) == 3
    solution, _ = solve_problem(None, horizon, w, m.SolveParams(work_limit=0.5, workers=1, seed=0),
                                max_trip_variables=100)
    assert any(o.to_office for o in solution.outcomes) and any(o.served_locally for o in solution.outcomes)
    assert solution.objective == pytest.approx(recomputed(horizon, solution, w), abs=0.01)


# --------------------------------------------------------------------------- the pilots, a month


@pytest.fixture(scope="module")
def daily(default_scenario):
    return forecast(default_scenario).daily


def month(scenario, daily) -> op.Prepared:
    return op.prepare(with_work_limit(scenario, 1), 1, daily=daily)


def test_the_offices_of_a_point_change_on_the_closing_date(default_scenario):
    from planner.outreach.travel import office_spans

    scenario = closing(default_scenario, ["saarijarvi-poliisi"], CLOSES)
    spans = office_spans(scenario, "saarijarvi", "poliisi", dt.date(2015, 1, 1), dt.date(2015, 1, 31))
    assert [(s.first, s.last, s.office_id) for s in spans] == [
        (dt.date(2015, 1, 1), dt.date(2015, 1, 14), "saarijarvi-poliisi"),
        (CLOSES, dt.date(2015, 1, 31), spans[1].office_id)]
    assert spans[1].office_id not in ("", "saarijarvi-poliisi") and spans[1].eur > spans[0].eur
    # a closure of another office changes nothing here: one span
    other = closing(default_scenario, ["oulu-poliisi"], CLOSES)
    assert len(office_spans(other, "saarijarvi", "poliisi", dt.date(2015, 1, 1), dt.date(2015, 1, 31))) == 1


@pytest.mark.slow  # a month of the pilots' outreach
def test_customers_before_a_closure_are_priced_the_office_still_open_after_it_the_next(default_scenario, daily):
    scenario = closing(default_scenario, ["saarijarvi-poliisi"], CLOSES)
    prepared = month(scenario, daily)
    plan = op.run(prepared)
    far = nearest_office(scenario, "saarijarvi", "poliisi", offices=provider_offices(scenario, "poliisi", CLOSES))[0]
    rows = plan.access[(plan.access["point_id"] == "saarijarvi") & (plan.access["provider_id"] == "poliisi")]
    assert list(rows["office_id"]) == ["saarijarvi-poliisi", far]
    assert list(rows["arrivals_from"]) == ["2015-01-01", "2015-01-15"]
    assert list(rows["arrivals_to"]) == ["2015-01-14", "2015-01-31"]
    assert rows["face_to_face_demand"].sum() == pytest.approx(prepared.demand["saarijarvi", "poliisi", "permit"],
                                                              abs=0.02)
    assert check_access_reasons(plan.access).findings == []

    geo = Geography(scenario)
    near_eur, far_eur = (office_trip(scenario, "saarijarvi", office, geo)[2] for office in ("saarijarvi-poliisi", far))
    stream = next(s for s in prepared.problem.streams if (s.point, s.provider) == ("saarijarvi", "poliisi"))
    days = prepared.problem.days
    assert all(stream.office_on(d) == (near_eur if day < CLOSES else far_eur) for d, day in enumerate(days))
    before = sum(n for n, day in zip(stream.arrivals, days, strict=True) if day < CLOSES)
    after = sum(n for n, day in zip(stream.arrivals, days, strict=True) if day >= CLOSES)
    assert before and after
    counted = rows["served_locally"] + rows["at_office"] + rows["by_remote_service"] + rows["unmet"]
    assert list(counted) == [before, after]
    # the plan's office trips of these customers cost the per-day prices summed
    outcome = next(o for o in plan.solution.outcomes if prepared.problem.streams[o.stream] == stream)
    trips = sum(eur for name, eur in plan.solution.penalties.items()
                if name.startswith("to_office(point=saarijarvi, provider=poliisi,"))
    assert outcome.to_office > 0
    assert trips == pytest.approx(sum(round(stream.office_on(d), 2) * to_office
                                      for d, (_, to_office, _, _) in outcome.by_arrival.items()), abs=0.01)


@pytest.mark.slow  # a month of the pilots' outreach
def test_a_provider_whose_offices_all_close_keeps_its_customers_in_the_plan(default_scenario, daily):
    """Every police office closes on 15 January: those arriving before it are planned with the office open then;
    those after have no office channel but are still planned — a visit, or unmet at the penalty, reason
    offices_closed — not left out as no_official (police-kemijarvi can still visit Pelkosenniemi)."""
    scenario = closing(default_scenario, POLICE, CLOSES)
    prepared = month(scenario, daily)
    plan = op.run(prepared)
    rows = plan.access[(plan.access["point_id"] == "pelkosenniemi") & (plan.access["provider_id"] == "poliisi")]
    assert len(rows) == 2, rows.to_dict("records")
    early, late = rows.iloc[0], rows.iloc[1]
    assert early.office_id in POLICE and (early.arrivals_from, early.arrivals_to) == ("2015-01-01", "2015-01-14")
    assert not early.reason.startswith(("no_official", "offices_closed"))
    assert late.office_id == "" and (late.arrivals_from, late.arrivals_to) == ("2015-01-15", "2015-01-31")
    assert late.at_office == 0 and late.served_locally > 0
    assert not late.reason.startswith("no_official")
    assert check_access_reasons(plan.access).findings == []

    stream = next(s for s in prepared.problem.streams if (s.point, s.provider) == ("pelkosenniemi", "poliisi"))
    days = prepared.problem.days
    before = sum(n for n, day in zip(stream.arrivals, days, strict=True) if day < CLOSES)
    after = sum(n for n, day in zip(stream.arrivals, days, strict=True) if day >= CLOSES)
    assert early.served_locally + early.at_office == before > 0
    assert late.served_locally + late.unmet == after > 0
    assert all(stream.has_office(d) == (day < CLOSES) for d, day in enumerate(days))


# --------------------------------------------------------------------------- the tables


def access_rows(rows: list[tuple[str, str, str, str]], cut: bool) -> pd.DataFrame:
    """An access table of (point, office, from, to) rows of one provider and type, 4 customers at the office each."""
    frame = pd.DataFrame([{"point_id": p, "provider_id": "poliisi", "appointment_type": "permit", "arrivals_from": a,
                           "arrivals_to": b, "face_to_face_demand": 4.0, "by_remote_service": 0.0, "served_locally": 0,
                           "at_office": 4, "office_id": office, "customer_km_avoided": 0.0,
                           "waiting_customer_days": 0, "unmet": 0, "reason": "office_cheaper: …"}
                          for p, office, a, b in rows])
    return frame if cut else frame[op.ACCESS_COLUMNS]


def test_areas_joined_keep_each_row_s_arrival_days_the_rows_not_cut_the_horizon_s():
    cut = access_rows([("a", "x", "2015-01-01", "2015-01-14"), ("a", "y", "2015-01-15", "2015-01-31")], True)
    whole = access_rows([("b", "z", "", "")], False)
    joined = op.with_span_columns(pd.concat([whole, cut], ignore_index=True), dt.date(2015, 1, 1),
                                  dt.date(2015, 1, 31))
    assert list(joined.columns) == [*op.ACCESS_COLUMNS[:3], *op.SPAN_COLUMNS, *op.ACCESS_COLUMNS[3:]]
    assert joined[["point_id", "arrivals_from", "arrivals_to"]].values.tolist() == [
        ["b", "2015-01-01", "2015-01-31"], ["a", "2015-01-01", "2015-01-14"], ["a", "2015-01-15", "2015-01-31"]]
    assert op.with_span_columns(whole, dt.date(2015, 1, 1), dt.date(2015, 1, 31)) is whole  # nothing cut: as it was


def test_compare_sums_a_type_s_rows_of_each_office():
    base = access_rows([("a", "x", "2015-01-01", "2015-01-31")], False)
    variant = access_rows([("a", "x", "2015-01-01", "2015-01-14"), ("a", "y", "2015-01-15", "2015-01-31")], True)
    table = outreach_access_comparison(SimpleNamespace(access=base), SimpleNamespace(access=variant))
    assert len(table) == 1
    assert (table.at[0, "at_office_base"], table.at[0, "at_office_variant"], table.at[0, "at_office_change"]) == (4, 8, 4)
