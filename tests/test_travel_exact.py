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
    VisitCost,
    alternative_cost,
    appointments_that_fit,
    nearest_office,
    overnight_appointments_that_fit,
    overnight_cost,
    overnight_fits,
    overnight_trip_hours,
    per_diem,
    provider_offices,
    visit_cost,
    visit_day_warnings,
    visit_length_warnings,
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


class OfficeGeography:
    """Legs to each office as given (km; minutes = km), every other leg `other` km."""

    def __init__(self, km: dict[str, float], other: float = 100.0) -> None:
        self.km, self.other = km, other

    def leg(self, origin: str, destination: str) -> Leg:
        km = self.km.get(destination, self.km.get(origin, self.other))
        return Leg(km, km, estimated=False)


@pytest.mark.parametrize(("hours", "eur"), [
    (6.0, 0.0), (6.01, 18.0), (10.0, 18.0), (10.01, 39.0), (24.0, 39.0),  # up to a day: partial over 6 h, full over 10 h
    (26.0, 39.0), (26.01, 57.0), (30.0, 57.0), (30.01, 78.0), (55.25, 117.0),  # beyond: the started period over 2 / 6 h
    (50.0, 78.0), (99.9, 174.0),  # whole days counted by 24 h: two, then four and a partial
])
def test_per_diem_follows_the_tax_administrations_steps(default_scenario, hours, eur):
    """[costs] per_diem_eur 39, partial_per_diem_eur 18 (the pilots' scenario.toml)."""
    assert per_diem(default_scenario, hours) == pytest.approx(eur)


def test_overnight_cost_every_field(default_scenario):
    # police-kemijarvi: 40 €/h, field efficiency 0.5, 7.25 h a day; every leg 300 km, 240 min; 2 nights, 10 × 20 min.
    clerk = official(default_scenario, "police-kemijarvi")
    trip = overnight_cost(default_scenario, clerk, "pelkosenniemi", 2, 10, 20, geography=FixedGeography(300, 240))
    assert trip.as_dict() == {
        "official_id": "police-kemijarvi", "point_id": "pelkosenniemi", "nights": 2, "appointments": 10,
        "slot_minutes": 20, "km": 600, "driving_hours": 8.0, "service_hours": pytest.approx(10 / 3),
        "trip_hours": 55.25, "car_eur": pytest.approx(270.0), "salary_eur": 320.0,
        "productivity_eur": pytest.approx(10 / 3 * 40), "hotel_eur": 180.0, "per_diem_eur": 117.0,
        "distance_estimated": True, "total_eur": pytest.approx(270 + 320 + 400 / 3 + 180 + 117)}
    assert trip.days == 3 and overnight_trip_hours(clerk, 1) == 31.25
    one = overnight_cost(default_scenario, clerk, "pelkosenniemi", 1, 10, 20)  # one night; the scenario's own map
    assert one.nights == 1 and one.hotel_eur == 90.0 and one.per_diem_eur == 78.0  # 31.25 h: 39 + 39 (7.25 h over 6)
    lawyer = official(default_scenario, "register-oulu")  # field efficiency 0.1: 9 × the service hours lost
    far = FixedGeography(300, 240)
    assert overnight_cost(default_scenario, lawyer, "kiiminki", 1, 6, 30, geography=far).productivity_eur == \
        pytest.approx(3 * 9 * 45)
    assert far.asked == [("oulu-maistraatti", "kiiminki")]  # from the home office to the point
    with pytest.raises(ValueError, match="an overnight trip has at least one night, not 0"):
        overnight_cost(default_scenario, clerk, "pelkosenniemi", 0, 10, 20, geography=FixedGeography(300, 240))


def test_overnight_slots_are_the_ends_after_a_leg_and_the_days_between(default_scenario):
    clerk = official(default_scenario, "police-kemijarvi")  # 435 min a day
    # 240 min out: (435 − 240) // 20 = 9 slots on the first and the last day; 435 // 20 = 21 on each day between.
    assert overnight_appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 1, 20,
                                           geography=FixedGeography(300, 240)) == 18
    assert overnight_appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 3, 20,
                                           geography=FixedGeography(300, 240)) == 18 + 2 * 21
    assert overnight_appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 2, 20,
                                           geography=FixedGeography(600, 500)) == 21  # the ends hold none
    assert overnight_fits(clerk, 415, 20) and not overnight_fits(clerk, 415.5, 20)
    legs = FixedGeography(300, 240)
    overnight_appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 1, 20, geography=legs)
    assert legs.asked == [("kemijarvi-poliisi", "pelkosenniemi")]
    from planner.base.geo import Geography
    assert overnight_appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 2, 20) == \
        overnight_appointments_that_fit(default_scenario, clerk, "pelkosenniemi", 2, 20, Geography(default_scenario))


def test_a_day_longer_than_the_officials_is_said_with_its_figures(default_scenario):
    clerk = official(default_scenario, "police-kemijarvi")  # 7.25 h
    def cost(driving: float, service: float) -> VisitCost:
        return VisitCost("police-kemijarvi", "pelkosenniemi", 3, 20, 180.0, driving, service, 1.0, 2.0, 3.0, False)
    assert visit_length_warnings(clerk, cost(5.0, 2.25)) == []  # exactly the day
    assert visit_length_warnings(clerk, cost(5.0, 2.26)) == [
        "the day is 7.26 h (5.00 h driving 180 km + 2.26 h of appointments), longer than police-kemijarvi's "
        "daily_hours of 7.25 h: no such day fits in one working day"]


def test_the_office_customers_drive_to_is_the_nearest_then_the_first_by_id(default_scenario):
    far = {o: 50.0 for o in provider_offices(default_scenario, "poliisi")}
    near = {**far, "savukoski-poliisi": 20.0}
    value = default_scenario.config.costs.customer_value_of_time_eur_per_hour
    assert nearest_office(default_scenario, "pelkosenniemi", "poliisi", OfficeGeography(near)) == (
        "savukoski-poliisi", (40.0, 40 / 60, 40 * 0.45 + 40 / 60 * value))
    assert nearest_office(default_scenario, "pelkosenniemi", "poliisi", OfficeGeography(far))[0] == "haukipudas-poliisi"
    assert nearest_office(default_scenario, "pelkosenniemi", "nobody", OfficeGeography(far)) is None

    class SameKm:  # every office 50 km away, by roads of different speeds: the fewest km, then the first id
        def leg(self, origin: str, destination: str) -> Leg:
            return Leg(50.0, 90.0 + len(destination), estimated=False)

    assert nearest_office(default_scenario, "pelkosenniemi", "poliisi", SameKm())[0] == "haukipudas-poliisi"
    assert nearest_office(default_scenario, "pelkosenniemi", "poliisi", OfficeGeography(near),
                          offices=["mikkeli-poliisi"])[0] == "mikkeli-poliisi"


def test_the_alternative_is_the_nearest_office_and_video_where_the_law_allows(default_scenario):
    value = default_scenario.config.costs.customer_value_of_time_eur_per_hour
    clerk = official(default_scenario, "police-kemijarvi")  # poliisi: no remote service
    near = {o: 50.0 for o in provider_offices(default_scenario, "poliisi")} | {"savukoski-poliisi": 20.0}
    police = alternative_cost(default_scenario, clerk, "pelkosenniemi", 3, 20, OfficeGeography(near))
    assert (police.office_id, police.customers, police.customer_km) == ("savukoski-poliisi", 3, 120.0)
    assert police.customer_hours == pytest.approx(2.0)
    assert police.customers_drive_eur == pytest.approx(3 * (40 * 0.45 + 40 / 60 * value))
    assert (police.remote_available, police.remote_eur, police.remote_refused) == (False, None, "")
    # A presence matter of a provider with no remote service at all: the law is not the reason said.
    assert alternative_cost(default_scenario, clerk, "pelkosenniemi", 3, 20, OfficeGeography(near),
                            in_person_only=True).remote_refused == ""
    lawyer = official(default_scenario, "register-oulu")  # maistraatti: remote service
    video = alternative_cost(default_scenario, lawyer, "kiiminki", 4, 60, OfficeGeography({}))
    assert (video.remote_available, video.remote_eur, video.remote_refused) == (True, 4 * 6.0, "")
    wedding = alternative_cost(default_scenario, lawyer, "kiiminki", 4, 60, OfficeGeography({}), in_person_only=True)
    assert (wedding.remote_available, wedding.remote_eur, wedding.remote_refused) == (
        False, None, "the law requires presence")
