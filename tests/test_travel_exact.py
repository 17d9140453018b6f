"""Every field of the travel arithmetic (planner/outreach/travel.py), computed by hand from the inputs.

tests/test_travel.py reproduces the report's figures with tolerances; here each returned field is
compared exactly, a given Geography is the one used, and the day warnings are spelt out.
(Written against the survivors of `make mutation MODULES=travel`.)
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.base.geo import Leg
from planner.outreach.travel import (
    alternative_cost,
    appointments_that_fit,
    provider_offices,
    visit_cost,
    visit_day_warnings,
)


def official(scenario, official_id):
    return next(o for o in scenario.officials if o.official_id == official_id)


class FixedGeography:
    """Every leg the same: proves the function uses the geography it is given."""

    def __init__(self, km: float, minutes: float) -> None:
        self.km, self.minutes, self.asked = km, minutes, []

    def leg(self, origin: str, destination: str) -> Leg:
        self.asked.append((origin, destination))
        return Leg(self.km, self.minutes, estimated=True)


def test_visit_cost_every_field(default_scenario):
    # register-oulu: 45 €/h, field efficiency 0.1; Oulu register office → Kiiminki 22 km, 45 min (distances.csv).
    cost = visit_cost(default_scenario, official(default_scenario, "register-oulu"), "kiiminki", 4, 30)
    km, hours, service = 2 * 22.0, 2 * 45 / 60, 4 * 30 / 60
    expected = {"official_id": "register-oulu", "point_id": "kiiminki", "appointments": 4, "slot_minutes": 30,
                "km": km, "driving_hours": hours, "service_hours": service, "car_eur": km * 0.45,
                "salary_eur": hours * 45, "productivity_eur": service * (1 / 0.1 - 1) * 45, "distance_estimated": False}
    expected["total_eur"] = expected["car_eur"] + expected["salary_eur"] + expected["productivity_eur"]
    assert cost.as_dict() == pytest.approx(expected)
    assert cost.total_eur == pytest.approx(19.8 + 67.5 + 810.0)


def test_alternative_cost_every_field_with_remote_service(default_scenario):
    # The register office offers immediate remote service; a customer's hour is worth 12 €.
    alt = alternative_cost(default_scenario, official(default_scenario, "register-oulu"), "kiiminki", 4, 30)
    assert (alt.customers, alt.customer_km, alt.customer_hours) == (4, 4 * 44.0, pytest.approx(4 * 1.5))
    assert alt.customers_drive_eur == pytest.approx(4 * (44 * 0.45 + 1.5 * 12))
    # Video is priced as the plan prices it: the residents' cost per customer (the official's slots cost the same
    # at the desk), not the official's salary for the session.
    assert alt.remote_available is True and alt.remote_eur == pytest.approx(4 * default_scenario.config.costs.video_eur_per_customer)


def test_the_geography_given_is_the_one_used(default_scenario):
    clerk = official(default_scenario, "police-kemijarvi")
    geo = FixedGeography(km=10.0, minutes=30.0)
    cost = visit_cost(default_scenario, clerk, "pelkosenniemi", 2, 15, geography=geo)
    assert (cost.km, cost.driving_hours, cost.distance_estimated) == (20.0, 1.0, True)
    alt = alternative_cost(default_scenario, clerk, "pelkosenniemi", 3, 15, geography=geo)
    assert (alt.customer_km, alt.customer_hours) == (60.0, 3.0)
    assert appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 15, geography=geo) == (435 - 60) // 15
    # The official's trip there, the customers' trips to each of the police's offices (the nearest is
    # theirs), the day's slots: every leg from the geography given.
    offices = provider_offices(default_scenario, "poliisi")
    assert geo.asked == [("kemijarvi-poliisi", "pelkosenniemi"), *(("pelkosenniemi", o) for o in offices),
                         ("kemijarvi-poliisi", "pelkosenniemi")]


def test_no_appointment_fits_when_the_drive_takes_the_day(default_scenario):
    clerk = official(default_scenario, "police-kemijarvi")  # 7.25 h = 435 min a day
    assert appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 15, geography=FixedGeography(500, 210)) == 1
    assert appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 15, geography=FixedGeography(500, 217.5)) == 0
    assert appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 15, geography=FixedGeography(900, 300)) == 0


def test_visit_day_warnings_name_the_weekday_and_the_holiday(default_scenario):
    clerk = official(default_scenario, "police-kemijarvi")
    assert visit_day_warnings(default_scenario, clerk, dt.date(2015, 1, 7)) == []
    assert visit_day_warnings(default_scenario, clerk, dt.date(2015, 1, 6)) == ["2015-01-06 is a public holiday (Epiphany)"]
    assert visit_day_warnings(default_scenario, clerk, dt.date(2015, 12, 26)) == [
        "police-kemijarvi does not work on Saturdays (working_weekdays: mon|tue|wed|thu|fri)",
        "2015-12-26 is a public holiday (Second Day of Christmas)"]


def test_visit_day_warnings_name_every_weekday_in_english(default_scenario):
    """The day's name whatever the machine's locale (%A would follow it), for each of the seven."""
    nobody = official(default_scenario, "police-kemijarvi").model_copy(update={"working_weekdays": ()})
    names = [visit_day_warnings(default_scenario, nobody, dt.date(2015, 1, 12) + dt.timedelta(days=k))[0]
             for k in range(7)]  # Monday 12 Jan to Sunday 18 Jan 2015, no holiday among them
    assert [n.split(" does not work on ")[1].split(" ")[0] for n in names] == [
        "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]
