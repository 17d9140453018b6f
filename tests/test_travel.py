"""The report's travel cases (§4.2), reproduced from the default scenario."""

from __future__ import annotations

import pytest

from planner.outreach.travel import (
    alternative_cost,
    annual_outreach_loss,
    appointments_that_fit,
    office_trip,
    visit_cost,
)


def official(scenario, official_id):
    return next(o for o in scenario.officials if o.official_id == official_id)


def test_police_haukipudas_to_kiiminki(default_scenario):
    # 20 km, one day of 15 appointments of 20 min; travel over 1 h, salary ~35 €, car ~20 €.
    cost = visit_cost(default_scenario, official(default_scenario, "police-haukipudas"), "kiiminki", 15, 20)
    assert cost.driving_hours > 1
    assert cost.salary_eur == pytest.approx(35, abs=3)
    assert cost.car_eur == pytest.approx(20, abs=2)
    # Efficiency ~50 %: the 5 hours served are worth 2.5 office hours; 2.5 h × 30 €/h lost.
    assert cost.productivity_eur == pytest.approx(5 * 30, abs=1)
    assert not cost.distance_estimated


def test_police_kemijarvi_to_pelkosenniemi(default_scenario):
    # 45 km once a month: travel over 1 h, salary ~50 €, car ~40 € at 0.45 €/km.
    cost = visit_cost(default_scenario, official(default_scenario, "police-kemijarvi"), "pelkosenniemi", 15, 15)
    assert cost.km == 90
    assert cost.driving_hours > 1
    assert cost.car_eur == pytest.approx(40, abs=1)
    assert cost.salary_eur == pytest.approx(50, abs=3)


def test_register_office_wedding_oulu_to_kiiminki(default_scenario):
    # One wedding (3 + 8 min): 1.5 h of travel, salary ~70 €, car ~20 €, efficiency ~1/10.
    cost = visit_cost(default_scenario, official(default_scenario, "register-oulu"), "kiiminki", 1, 11)
    assert cost.driving_hours == pytest.approx(1.5)
    assert cost.salary_eur == pytest.approx(70, abs=4)
    assert cost.car_eur == pytest.approx(20, abs=1)
    assert cost.productivity_eur == pytest.approx(11 / 60 * 9 * 45, abs=0.5)


def test_parainen_official_walks_next_door(default_scenario):
    cost = visit_cost(default_scenario, official(default_scenario, "register-parainen"), "parainen", 6, 60)
    assert cost.car_eur < 0.1 and cost.productivity_eur == 0


def test_km_rate_is_a_single_input(default_scenario):
    config = default_scenario.config.model_copy(
        update={"costs": default_scenario.config.costs.model_copy(update={"km_rate_eur": 0.59})})
    dearer = default_scenario.model_copy(update={"config": config})
    cost = visit_cost(dearer, official(dearer, "police-kemijarvi"), "pelkosenniemi", 10, 15)
    assert cost.car_eur == pytest.approx(90 * 0.59)


def test_one_outreach_day_a_month_loses_three_person_days_a_year():
    days, low = annual_outreach_loss(12, 0.25, 7.25, 32)
    assert days == pytest.approx(3, abs=0.3)
    assert low == pytest.approx(700, abs=30)
    # Lower field efficiency can double it: at a lawyer's ~45 €/h that is ~2 000 €.
    _, high = annual_outreach_loss(12, 0.25, 7.25, 45)
    assert 2 * high == pytest.approx(2000, rel=0.03)


def test_customers_driving_to_the_office_instead(default_scenario):
    alt = alternative_cost(default_scenario, official(default_scenario, "police-kemijarvi"), "pelkosenniemi", 15, 20)
    # They drive to the police's nearest office, as the plan prices it: Savukoski (≈ 44.8 km, estimated from
    # coordinates), not the official's own Kemijärvi office (45 km in distances.csv, 90 km and 76 min round trip).
    km, hours, _ = office_trip(default_scenario, "pelkosenniemi", "savukoski-poliisi")
    assert alt.office_id == "savukoski-poliisi" and km < 90
    assert alt.customer_km == pytest.approx(15 * km) and alt.customer_hours == pytest.approx(15 * hours)
    assert alt.customers_drive_eur == pytest.approx(15 * km * 0.45 + 15 * hours * 12)
    _, _, kemijarvi_eur = office_trip(default_scenario, "pelkosenniemi", "kemijarvi-poliisi")
    assert kemijarvi_eur == pytest.approx(90 * 0.45 + 76 / 60 * 12)
    assert not alt.remote_available and alt.remote_eur is None  # police: no remote service


def test_day_holds_slots_after_driving(default_scenario):
    police = official(default_scenario, "police-kemijarvi")
    assert appointments_that_fit(default_scenario, police, "pelkosenniemi", 15) == int((7.25 * 60 - 76) // 15)
