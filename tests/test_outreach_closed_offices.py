"""An office closed to customers is never where outreach sends them (the new user's trial, third session).

closures.csv closes the Mikkeli and Parainen register offices when the points opened; the plan and
`planner travel-cost` still sent every register-office customer of those points there, at no cost, with
"office_cheaper" as the reason — so no register-office visit to Mikkeli was ever worth planning.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from planner.base.budget import with_work_limit
from planner.cli import main
from planner.demand.forecast import forecast
from planner.outreach import plan as op
from planner.outreach.travel import provider_offices
from tests.conftest import DEFAULT_DIR

CLOSED = {"mikkeli-maistraatti", "parainen-maistraatti", "mikkeli-vero", "parainen-vero", "saarijarvi-vero"}


def test_closed_offices_are_no_alternative_and_an_hours_cut_office_still_is(default_scenario):
    assert {c.office_id for c in default_scenario.closures if c.change == "closes"} == CLOSED
    for provider in ("maistraatti", "vero"):
        offered = provider_offices(default_scenario, provider, dt.date(2015, 3, 31))
        assert offered and not set(offered) & CLOSED, offered
    assert "mikkeli-te" in provider_offices(default_scenario, "te", dt.date(2015, 3, 31))  # hours cut, still open


def test_an_office_that_closes_after_the_horizon_is_still_an_alternative(default_scenario):
    later = tuple(c.model_copy(update={"date": dt.date(2016, 1, 1)}) if c.office_id == "mikkeli-maistraatti" else c
                  for c in default_scenario.closures)
    scenario = default_scenario.model_copy(update={"closures": later})
    assert "mikkeli-maistraatti" in provider_offices(scenario, "maistraatti", dt.date(2015, 3, 31))
    assert "mikkeli-maistraatti" not in provider_offices(scenario, "maistraatti", dt.date(2016, 3, 31))


@pytest.mark.slow  # a month of the pilots' outreach
def test_no_customer_of_the_plan_is_sent_to_a_closed_office(default_scenario):
    prepared = op.prepare(with_work_limit(default_scenario, 1), 1, daily=forecast(default_scenario).daily)
    access = op.run(prepared).access
    sent = access[access["at_office"] > 0]
    assert not sent.empty
    assert not set(access["office_id"]) & CLOSED, sorted(set(access["office_id"]) & CLOSED)


def test_travel_cost_names_an_open_office():
    out = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "register-jyvaskyla",
                                    "--point", "mikkeli", "--type", "guardianship"])
    assert out.exit_code == 0, out.output
    assert "mikkeli-maistraatti" not in out.output and "jyvaskyla-maistraatti" in out.output
