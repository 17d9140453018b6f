"""planner/checks/visits.py: each finding whole (rule, who, when, where, how much, why) and each rule's edges.

Found unguarded by mutation testing (issue #18). The day is tests/test_checks_visits.py's: the
Kemijärvi police at Pelkosenniemi (open 09:00–15:00 on Wednesdays) on Wednesday 28 January 2015,
five 20-minute permit slots, 45 km and 38 minutes each way (distances.csv), a 7.25 h working day.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from planner.checks.findings import Finding, Subject
from planner.checks.visits import check_lines, check_visits
from planner.scenario.schemas import OfficialAbsenceRow
from tests.test_checks_visits import DAY, SLOTS, visits

WEDNESDAY = dt.date(2015, 1, 28)
POLICE = Subject("official", "police-kemijarvi")


def findings(scenario, table: pd.DataFrame, rule: str | None = None) -> list[Finding]:
    found = check_visits(scenario, table, SLOTS).findings
    return [f for f in found if rule is None or f.rule == rule]


def away(start: dt.date, end: dt.date, official: str = "police-kemijarvi"):
    return (OfficialAbsenceRow(official_id=official, start=start, end=end),)


def test_unknown_official_is_named_with_the_day(default_scenario):
    assert findings(default_scenario, visits(official_id="nobody")) == [
        Finding("unknown_official", "hard", Subject("official", "nobody"), "not in officials.csv", date=WEDNESDAY)]


def test_public_holiday_finding_names_the_holiday(default_scenario):
    assert findings(default_scenario, visits(date="2015-01-06")) == [
        Finding("public_holiday", "hard", POLICE, "Epiphany", date=dt.date(2015, 1, 6))]


@pytest.mark.parametrize(("start", "end"), [(WEDNESDAY, WEDNESDAY + dt.timedelta(3)),
                                            (WEDNESDAY - dt.timedelta(3), WEDNESDAY)])
def test_absence_counts_on_its_first_and_last_day(default_scenario, start, end):
    scenario = default_scenario.model_copy(update={"official_absences": away(start, end)})
    assert findings(scenario, visits()) == [
        Finding("absent", "hard", POLICE, "listed in official_absences.csv", date=WEDNESDAY)]


def test_another_officials_absence_is_not_this_ones(default_scenario):
    absences = away(WEDNESDAY, WEDNESDAY, official="police-haukipudas")
    assert findings(default_scenario.model_copy(update={"official_absences": absences}), visits()) == []


def test_stop_order_finding_shows_the_numbers(default_scenario):
    assert [f.message for f in findings(default_scenario, visits(stop_order=2))] == ["stops [2]"]


def test_closed_point_finding_names_point_weekday_and_visit(default_scenario):
    hours = tuple(h for h in default_scenario.opening_hours if (h.point_id, h.weekday) != ("pelkosenniemi", "wed"))
    assert findings(default_scenario.model_copy(update={"opening_hours": hours}), visits()) == [
        Finding("point_closed", "hard", POLICE, "pelkosenniemi has no hours on wed", date=WEDNESDAY, start=540,
                end=640, point="pelkosenniemi")]


# Five slots from 13:21 to 15:01 (a minute after closing), 38 minutes' drive each way.
LATE = {"depart": "12:43", "arrive": "13:21", "start": "13:21", "leave": "15:01", "return": "15:39"}


def test_a_minute_after_closing_is_rounding_two_are_a_breach(default_scenario):
    assert findings(default_scenario, visits(**LATE)) == []
    late = {"depart": "12:44", "arrive": "13:22", "start": "13:22", "leave": "15:02", "return": "15:40"}
    assert findings(default_scenario, visits(**late)) == [
        Finding("outside_opening_hours", "hard", POLICE, "pelkosenniemi 13:22–15:02", date=WEDNESDAY, start=802,
                end=902, amount=2, point="pelkosenniemi")]


def test_a_minute_before_opening_is_a_breach(default_scenario):
    early = {"depart": "08:21", "arrive": "08:59", "start": "08:59", "leave": "10:39", "return": "11:17"}
    (found,) = findings(default_scenario, visits(**early))
    assert (found.rule, found.amount, found.start, found.end) == ("outside_opening_hours", 1, 539, 639)


def test_early_and_late_add_up(default_scenario):
    """Opens 09:00, closes 15:00: a visit 08:50–15:10 is 10 minutes early and 10 late."""
    long = {"depart": "08:12", "arrive": "08:50", "start": "08:50", "leave": "15:10", "return": "15:48",
            "appointments": 19, "appointment_types": "permit:19"}
    (found,) = findings(default_scenario, visits(**long), "outside_opening_hours")
    assert found.amount == 20


def test_a_stop_at_a_closed_point_does_not_hide_the_next_stops_hours(default_scenario):
    hours = tuple(h for h in default_scenario.opening_hours if (h.point_id, h.weekday) != ("saarijarvi", "wed"))
    scenario = default_scenario.model_copy(update={"opening_hours": hours})
    first = {**DAY, "point_id": "saarijarvi"}
    second = {**DAY, "stop_order": 2, "depart": "08:02", "arrive": "08:40", "start": "08:40", "leave": "10:20"}
    (found,) = findings(scenario, pd.DataFrame([first, second]), "outside_opening_hours")
    assert (found.amount, found.start, found.point) == (20, 520, "pelkosenniemi")


@pytest.mark.parametrize("changes", [{"appointments": 0}, {"appointment_types": ""}, {"appointment_types": "permit:0"}])
def test_a_stop_with_no_appointment_booked_is_empty(default_scenario, changes):
    """No appointments, or appointments of no type, or of a type with 0 booked: nothing to do there."""
    assert findings(default_scenario, visits(**changes), "empty_stop") == [
        Finding("empty_stop", "hard", POLICE, "pelkosenniemi 09:00–10:40 has no appointment", date=WEDNESDAY,
                start=540, end=640, point="pelkosenniemi")]


def test_one_appointment_is_enough(default_scenario):
    one = {"appointments": 1, "appointment_types": "permit:1", "leave": "09:20", "return": "09:58"}
    assert findings(default_scenario, visits(**one)) == []


def test_appointments_of_several_lines_add_up(default_scenario):
    """`permit:2|permit:3` is five 20-minute slots: the 100-minute visit is right."""
    assert findings(default_scenario, visits(appointment_types="permit:2|permit:3")) == []
    (found,) = findings(default_scenario, visits(appointment_types="permit:1|permit:3"))
    assert (found.rule, found.amount) == ("slots_do_not_fit", 20)


def test_slots_finding_says_booked_minutes_visit_and_point(default_scenario):
    assert findings(default_scenario, visits(appointment_types="permit:4")) == [
        Finding("slots_do_not_fit", "hard", POLICE, "80 min of slots in 09:00–10:40 at pelkosenniemi",
                date=WEDNESDAY, start=540, end=640, amount=20, point="pelkosenniemi")]


def test_slots_a_minute_off_is_rounding(default_scenario):
    assert findings(default_scenario, visits(leave="10:41", **{"return": "11:19"})) == []


def test_day_a_minute_over_is_rounding(default_scenario):
    """7.25 h is 435 minutes: 08:22–15:38 is 436 minutes, within the minute of rounding."""
    assert findings(default_scenario, visits(**{"return": "15:38"})) == []


def test_day_three_minutes_over(default_scenario):
    """08:22–15:40 is 438 minutes, 3 over the 435 of 7.25 h."""
    assert findings(default_scenario, visits(**{"return": "15:40"})) == [
        Finding("day_too_long", "hard", POLICE, "08:22–15:40 is over 7.25 h", date=WEDNESDAY, start=502, end=940,
                amount=3)]


def test_distance_finding_gives_both_figures(default_scenario):
    assert findings(default_scenario, visits(km=80.0)) == [
        Finding("distance", "hard", POLICE, "table says 80 km, roads 90.00 km", date=WEDNESDAY, amount=10)]


def test_findings_come_in_official_and_date_order(default_scenario):
    table = pd.DataFrame([{**DAY, "date": "2015-01-29", "km": 80.0}, {**DAY, "km": 80.0}])
    lines = check_lines(check_visits(default_scenario, table, SLOTS))
    assert lines == ["distance: police-kemijarvi 2015-01-28: table says 80 km, roads 90.00 km",
                     "distance: police-kemijarvi 2015-01-29: table says 80 km, roads 90.00 km"]
