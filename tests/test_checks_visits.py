"""One tiny visit plan per rule of planner/checks/visits.py: it breaks exactly that rule and gives exactly that finding.

The day is the golden plan's: the Kemijärvi police at Pelkosenniemi on Wednesday 28 January
2015, five 20-minute permit slots, 45 km each way.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from planner.checks.visits import check_lines, check_visits
from planner.scenario.schemas import OfficialAbsenceRow

SLOTS = {("poliisi", "permit"): 20.0}
DAY = {"official_id": "police-kemijarvi", "date": "2015-01-28", "stop_order": 1, "point_id": "pelkosenniemi",
       "depart": "08:22", "arrive": "09:00", "start": "09:00", "leave": "10:40", "return": "11:18", "appointments": 5,
       "appointment_types": "permit:5", "km": 90.0}


def visits(**changes) -> pd.DataFrame:
    return pd.DataFrame([{**DAY, **changes}])


def only(scenario, table: pd.DataFrame):
    (finding,) = check_visits(scenario, table, SLOTS).findings
    assert finding.severity == "hard" and finding.subject.id == table["official_id"].iloc[0]
    return finding


def test_the_golden_day_keeps_every_rule(default_scenario):
    assert check_visits(default_scenario, visits(), SLOTS).findings == []
    assert check_visits(default_scenario, visits().iloc[:0], SLOTS).findings == []


def test_official_known(default_scenario):
    assert only(default_scenario, visits(official_id="nobody")).rule == "unknown_official"


def test_only_on_working_days(default_scenario):
    officials = tuple(o.model_copy(update={"working_weekdays": ("mon", "tue")}) for o in default_scenario.officials)
    found = only(default_scenario.model_copy(update={"officials": officials}), visits())
    assert (found.rule, found.message) == ("not_a_working_day", "wed is not in working_weekdays")


def test_not_on_public_holidays(default_scenario):
    found = only(default_scenario, visits(date="2015-01-06"))
    assert found.rule == "public_holiday"
    assert check_lines(check_visits(default_scenario, visits(date="2015-01-06"), SLOTS)) == [
        f"public holiday: police-kemijarvi 2015-01-06: {found.message}"]


def test_official_not_away(default_scenario):
    away = OfficialAbsenceRow(official_id="police-kemijarvi", start=dt.date(2015, 1, 26), end=dt.date(2015, 1, 30))
    assert only(default_scenario.model_copy(update={"official_absences": (away,)}), visits()).rule == "absent"


def test_stops_in_order(default_scenario):
    assert only(default_scenario, visits(stop_order=2)).rule == "stop_order"


def test_only_when_point_open(default_scenario):
    hours = tuple(h for h in default_scenario.opening_hours if (h.point_id, h.weekday) != ("pelkosenniemi", "wed"))
    found = only(default_scenario.model_copy(update={"opening_hours": hours}), visits())
    assert (found.rule, found.point) == ("point_closed", "pelkosenniemi")


def test_within_opening_hours(default_scenario):
    found = only(default_scenario, visits(depart="08:02", arrive="08:40", start="08:40", leave="10:20", **{"return": "10:58"}))
    assert (found.rule, found.amount, found.start) == ("outside_opening_hours", 20, 520)  # Pelkosenniemi opens 09:00


def test_slots_fill_the_visit(default_scenario):
    found = only(default_scenario, visits(appointment_types="permit:4"))
    assert (found.rule, found.amount) == ("slots_do_not_fit", 20)


def test_day_within_daily_hours(default_scenario):
    found = only(default_scenario, visits(**{"return": "16:00"}))
    assert (found.rule, found.message) == ("day_too_long", "08:22–16:00 is over 7.25 h")


@pytest.mark.parametrize("km", [80.0, 90.1])
def test_distance_as_driven(default_scenario, km):
    assert only(default_scenario, visits(km=km)).rule == "distance"


def test_every_stop_serves(default_scenario):
    """Issue #15: a stop with nothing to do (0 appointments, 1-minute visit) is a hard finding."""
    finding = only(default_scenario, visits(appointments=0, appointment_types="", leave="09:00", **{"return": "09:38"}))
    assert finding.rule == "empty_stop" and "no appointment" in finding.message
