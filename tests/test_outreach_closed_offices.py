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


def closing(scenario, offices: list[str], day: dt.date):
    """`scenario` with each of `offices` closed to customers from `day` on (closures.csv rows)."""
    template = next(c for c in scenario.closures if c.change == "closes")
    rows = tuple(template.model_copy(update={"office_id": office, "date": day, "monthly_visits": 0.0,
                                             "share_to_point": 0.0, "share_low": None, "share_high": None})
                 for office in offices)
    return scenario.model_copy(update={"closures": (*scenario.closures, *rows)})


POLICE = ["mikkeli-poliisi", "parainen-poliisi", "oulu-poliisi", "haukipudas-poliisi", "kemijarvi-poliisi",
          "savukoski-poliisi", "saarijarvi-poliisi"]


def test_the_customers_alternative_never_names_a_closed_office_not_even_the_home_office(default_scenario):
    """The trial (issue #15 item 9): with every police office closed, "the customer travels to the office" named the
    official's closed home office (kemijarvi-poliisi) and priced the drive there."""
    from planner.outreach.travel import alternative_cost

    scenario = closing(default_scenario, POLICE, dt.date(2015, 1, 10))
    official = next(o for o in scenario.officials if o.official_id == "police-kemijarvi")
    after = alternative_cost(scenario, official, "pelkosenniemi", 10, 20.0, day=dt.date(2015, 1, 20))
    assert after.office_id == "" and after.customers_drive_eur is None
    assert {office for office, _ in after.closed} == set(POLICE)


def test_an_office_closing_mid_horizon_is_open_until_its_closing_date(default_scenario):
    """The trial: an office closing within the horizon was no alternative on any day of it, before its closure too."""
    from planner.outreach.travel import alternative_cost

    scenario = closing(default_scenario, POLICE, dt.date(2015, 2, 1))
    official = next(o for o in scenario.officials if o.official_id == "police-kemijarvi")
    before = alternative_cost(scenario, official, "pelkosenniemi", 10, 20.0, day=dt.date(2015, 1, 20))
    assert before.office_id in POLICE and before.customers_drive_eur > 0 and before.closed == ()
    assert alternative_cost(scenario, official, "pelkosenniemi", 10, 20.0, day=dt.date(2015, 2, 2)).office_id == ""


def test_travel_cost_says_no_office_is_open_rather_than_a_closed_one(tmp_path):
    import shutil

    folder = tmp_path / "s"
    shutil.copytree(DEFAULT_DIR, folder)
    with (folder / "closures.csv").open("a", encoding="utf-8") as handle:
        handle.writelines(f"{office},2015-01-10,10,pelkosenniemi,0,,,closes,test\n" for office in POLICE)
    args = ["travel-cost", str(folder), "--official", "police-kemijarvi", "--point", "pelkosenniemi", "--date"]
    out = CliRunner().invoke(main, [*args, "2015-01-20"])
    assert out.exit_code == 0, out.output
    line = next(line for line in out.output.splitlines() if "drive to the office" in line)
    assert "no office of the provider is open to customers then" in line and "kemijarvi-poliisi closed 2015-01-10" in line
    before = CliRunner().invoke(main, [*args, "2015-01-05"])  # open until their closing date
    assert "no office" not in before.output and "the provider's nearest office" in before.output
