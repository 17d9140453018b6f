"""Customers who arrive after every office of their provider has closed (a new user's trial).

With the pilots' TE offices all closing on 15 January, the customers arriving from then on were left outside the
model: access.csv called them `no_official` (false: an official of the provider could still visit), they cost
nothing, so the plan's access cost fell (closing offices made the plan look better), and nothing was said. Now they
are in the model — a later visit, video where the law allows it, or unmet at `[costs] unmet_eur_per_customer` — with
the reason `offices_closed`, and the run warns. Cutting a row at a closure also lost customers to rounding (0.62
expected, cut 0.25 + 0.37, planned 0 + 0): whole customers are now rounded cumulatively over the horizon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import outreach as m
from planner.base.budget import with_work_limit
from planner.checks.visits import check_access_reasons
from planner.demand.forecast import forecast
from planner.outreach import plan as op
from tests.test_access_reasons import row
from tests.test_outreach_closed_offices import closing
from tests.test_outreach_model import FLOW, TRIP, problem, solve

CLOSES = dt.date(2015, 1, 15)  # a Thursday in the middle of the pilots' first month
TE = ["mikkeli-te", "parainen-te", "oulu-te", "rovaniemi-te", "aanekoski-te"]


# --------------------------------------------------------------------------- the model


def closed_on_day_1(arrivals=(1, 1)) -> m.Stream:
    """The base stream (one customer a day) with no office open on day 1: unmet at 500 €."""
    return replace(problem().streams[0], arrivals=arrivals, office_open=(True, False), unmet_eur=500.0)


def test_a_customer_with_no_office_open_and_no_visit_is_unmet_at_the_named_penalty():
    sol = solve(problem(arrivals=(1, 1), tours=(), streams=(closed_on_day_1(),)))
    assert sol.penalties == {"to_office(point=p, provider=poliisi, type=permit, day=2015-01-05)": 30.0,
                             "unmet(point=p, provider=poliisi, type=permit, day=2015-01-06)": 500.0}
    assert sol.access_eur == pytest.approx(530.0)
    outcome = sol.outcomes[0]
    assert (outcome.to_office, outcome.unmet) == (1, 1)


def test_a_visit_serves_the_customer_no_office_is_open_for():
    """A trip (54.80 € + 10 € a slot) does not pay for one customer whose office is 30 € away, but it does for one
    who would be unmet at 500 €; the day-0 customer, office open, waits a day for it rather than drive 30 €."""
    sol = solve(problem(arrivals=(1, 1), days=(1,), streams=(closed_on_day_1(),)), hard=(m.add_calendar, *FLOW))
    assert sol.outcomes[0].by_arrival == {0: (1, 0, 0, 1), 1: (1, 0, 0, 0)}
    assert sol.outcomes[0].unmet == 0
    assert sol.objective == pytest.approx(TRIP + 2 * 10.0 + 1.0)


def test_a_closure_never_makes_the_model_cheaper():
    """The same customers, their office closed on day 1: no plan is cheaper than with the office open (the penalty is
    at least the trip it replaces)."""
    open_ = solve(problem(arrivals=(2, 2), streams=(replace(problem().streams[0], arrivals=(2, 2)),)))
    closed = solve(problem(arrivals=(2, 2), streams=(closed_on_day_1(arrivals=(2, 2)),)))
    assert closed.objective >= open_.objective - 1e-6


# --------------------------------------------------------------------------- rounding


@given(st.lists(st.floats(min_value=0.0, max_value=3.0), min_size=1, max_size=40), st.data())
def test_a_row_cut_into_pieces_keeps_its_whole_customers(expected, data):
    """However the days are cut into rows, the rows' whole customers add up to the whole horizon's rounded, and each
    row is within one customer of what it expects; video customers are within the row's whole customers."""
    cuts = sorted(data.draw(st.sets(st.integers(min_value=1, max_value=max(1, len(expected) - 1)))))
    takes = data.draw(st.floats(min_value=0.0, max_value=1.0))
    whole, video = op.whole_customers(expected, takes)
    edges = [0, *[c for c in cuts if c < len(expected)], len(expected)]
    pieces = [(sum(whole[a:b]), sum(expected[a:b])) for a, b in zip(edges, edges[1:], strict=False)]
    assert sum(n for n, _ in pieces) == round_half_up(sum(expected))
    assert all(abs(n - e) <= 1 + 1e-9 for n, e in pieces)
    assert all(0 <= v <= n for v, n in zip(video, whole, strict=True))


def round_half_up(x: float) -> int:
    return int(x + 0.5 + 1e-12) if x >= 0 else -round_half_up(-x)


# --------------------------------------------------------------------------- the checker


def test_the_check_knows_offices_closed():
    assert check_access_reasons(row(at_office=0, unmet=2, reason="offices_closed: every office …")).findings == []
    found = check_access_reasons(row(at_office=3, unmet=0, reason="offices_closed: every office …")).findings
    assert len(found) == 1 and "3 at the office" in found[0].message


# --------------------------------------------------------------------------- the pilots, a month


@pytest.fixture(scope="module")
def plans(default_scenario):
    """The pilots' January with the TE offices as they are, and with every TE office closing on 15 January."""
    daily = forecast(default_scenario).daily
    out = {}
    for name, scenario in (("open", default_scenario), ("closed", closing(default_scenario, TE, CLOSES))):
        prepared = op.prepare(with_work_limit(scenario, 1), 1, daily=daily)
        out[name] = (prepared, op.run(prepared))
    return out


@pytest.mark.slow  # two months of the pilots' outreach
def test_customers_after_every_office_closed_are_in_the_plan_with_a_true_reason(plans):
    prepared, plan = plans["closed"]
    te = plan.access[plan.access["provider_id"] == "te"]
    late = te[te["arrivals_from"] == CLOSES.isoformat()]
    assert len(late) == 5 and (late["office_id"] == "").all() and (late["at_office"] == 0).all()
    # every whole customer arriving from the closure on is served at a visit, by video or unmet
    for r in late.itertuples():
        stream = next(s for s in prepared.problem.streams if (s.point, s.provider) == (r.point_id, "te"))
        after = sum(n for n, day in zip(stream.arrivals, prepared.problem.days, strict=True) if day >= CLOSES)
        assert r.served_locally + r.by_remote_service + r.unmet == after
    assert late["served_locally"].sum() > 0  # te-aanekoski still visits: the reason no_official was false
    assert not late["reason"].str.startswith("no_official").any()
    unmet = late[late["unmet"] > 0]
    assert len(unmet) and unmet["reason"].str.startswith(
        "offices_closed: every office of te is closed to customers from 2015-01-15 (closures.csv: ").all()
    assert check_access_reasons(plan.access).findings == []
    # each unmet customer costs the penalty, named
    named = {k: v for k, v in plan.solution.penalties.items() if k.startswith("unmet(")}
    assert sum(named.values()) == pytest.approx(500.0 * int(late["unmet"].sum()))


@pytest.mark.slow
def test_closing_every_office_does_not_make_the_plan_look_cheaper(plans):
    """The trial: the access cost fell from 573.61 to 315.60 € when the TE offices closed. Each customer now costs
    at least what the open offices' plan could: no plan of the closed scenario beats the open one's bound."""
    _, open_plan = plans["open"]
    _, closed_plan = plans["closed"]
    assert closed_plan.solution.objective >= open_plan.solution.best_bound - 1e-6
    assert closed_plan.solution.access_eur + closed_plan.solution.official_eur > \
        open_plan.solution.access_eur + open_plan.solution.official_eur - 1e-6


@pytest.mark.slow
def test_the_run_says_how_many_arrive_after_every_office_closed_and_how_many_are_unmet(plans):
    _, plan = plans["closed"]
    late = plan.access[(plan.access["provider_id"] == "te") & (plan.access["arrivals_from"] == CLOSES.isoformat())]
    said = [w for w in plan.warnings if "every office of te is closed" in w]
    assert said == [f"{int(late[['served_locally', 'by_remote_service', 'unmet']].sum().sum())} customers of te "
                    f"arrive from 2015-01-15, when every office of te is closed to customers (closures.csv): "
                    f"{int(late['served_locally'].sum())} served at visits, 0 by video, {int(late['unmet'].sum())} "
                    "unmet (access.csv reason offices_closed or no_official; each unmet costs [costs] "
                    "unmet_eur_per_customer 500 € in the access cost)"]
    assert not [w for w in plans["open"][1].warnings if "every office" in w]


@pytest.mark.slow
def test_a_cut_row_keeps_the_customer_its_pieces_round_away(plans):
    """Mikkeli's TE psychologist: 0.62 expected in January is 1 customer; cut 0.25 + 0.37 at the closure it was 0 + 0."""
    _, open_plan = plans["open"]
    _, plan = plans["closed"]
    whole = open_plan.access[(open_plan.access["point_id"] == "mikkeli") & (open_plan.access["provider_id"] == "te")]
    cut = plan.access[(plan.access["point_id"] == "mikkeli") & (plan.access["provider_id"] == "te")]
    columns = ["served_locally", "at_office", "by_remote_service", "unmet"]
    assert len(whole) == 1 and len(cut) == 2
    assert int(cut[columns].sum().sum()) == int(whole[columns].sum().sum()) == 1
    assert check_access_reasons(cut).findings == []
