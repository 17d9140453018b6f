"""planner/scenario/validate.py: each cross-file finding whole (file, row, column, severity, words) and its edges.

Found unguarded by mutation testing (issue #18). The tables are the default scenario's, read
once, with one change each: cross_check runs on them directly, no files written.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.base.errors import Problem
from planner.scenario.loading import load_config, load_tables
from planner.scenario.schemas import TABLES, AbsenceRow, AppointmentTypeRow, VisitPatternRow
from planner.scenario.validate import cross_check, points_have_regular_advisors_in
from tests.conftest import DEFAULT_DIR
from tests.test_validation_references import OPTIONAL_ROWS, REFERENCES

POINT_ROW = {"mikkeli": 2, "kiiminki": 3, "parainen": 4, "pelkosenniemi": 5, "saarijarvi": 6}


@pytest.fixture(scope="module")
def base():
    tables, problems = load_tables(DEFAULT_DIR)
    config, config_problems = load_config(DEFAULT_DIR)
    assert problems == config_problems == [] and cross_check(config, tables) == []
    return config, tables


def changed(tables, key, keep):
    """`tables` with rows of `key` dropped where keep(row) is false."""
    return {**tables, key: [(n, row) for n, row in tables[key] if keep(row)]}


def edited(tables, key, where, **update):
    return {**tables, key: [(n, row.model_copy(update=update) if where(row) else row) for n, row in tables[key]]}


def test_a_provider_without_seasonality_is_named_on_its_row(base):
    config, tables = base
    found = cross_check(config, changed(tables, "seasonality", lambda row: row.provider_id != "poliisi"))
    row = next(n for n, p in tables["providers"] if p.provider_id == "poliisi")
    assert found == [Problem("providers.csv", "provider 'poliisi' has no row in seasonality.csv; expected one row with "
                             "twelve positive monthly factors", row=row, column="provider_id")]


def test_seasonality_averaging_1_10_is_a_warning_on_its_row(base):
    config, tables = base
    found = cross_check(config, edited(tables, "seasonality", lambda row: row.provider_id == "kela",
                                       **dict.fromkeys(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                                        "oct", "nov", "dec"], 1.1)))
    row = next(n for n, s in tables["seasonality"] if s.provider_id == "kela")
    assert found == [Problem("seasonality.csv", "the twelve factors average 1.10; expected about 1.0 (the baseline is "
                             "the average month), so every month's demand is scaled by that much", row=row,
                             severity="warning")]


def test_seasonality_averaging_1_04_is_fine(base):
    config, tables = base
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    assert cross_check(config, edited(tables, "seasonality", lambda row: True, **dict.fromkeys(months, 1.04))) == []


def _closed(tables, point: str, volume: float):
    """`point` without opening hours, with `volume` a month of baseline demand and nothing else."""
    tables = changed(tables, "opening_hours", lambda row: row.point_id != point)
    tables = changed(tables, "closures", lambda row: row.point_id != point)
    tables = changed(tables, "overflow_events", lambda row: row.point_id != point)
    return edited(tables, "baseline_demand", lambda row: row.point_id == point, monthly_volume=volume)


def test_a_point_with_demand_and_no_opening_hours_is_named(base):
    config, tables = base
    found = cross_check(config, _closed(tables, "pelkosenniemi", 1))
    assert found == [Problem("points.csv", "point 'pelkosenniemi' has demand but no opening hours; expected at least "
                             "one row for it in opening_hours.csv", row=POINT_ROW["pelkosenniemi"], column="point_id")]


def test_a_point_whose_demand_is_zero_needs_no_opening_hours(base):
    config, tables = base
    assert cross_check(config, _closed(tables, "pelkosenniemi", 0)) == []


def test_the_rostering_check_on_a_loaded_scenario(default_scenario):
    assert points_have_regular_advisors_in(default_scenario) == []
    advisors = tuple(a.model_copy(update={"role": "backup"}) if a.point_id == "pelkosenniemi" else a
                     for a in default_scenario.advisors)
    found = points_have_regular_advisors_in(default_scenario.model_copy(update={"advisors": advisors}))
    assert found == [Problem(
        "points.csv", "point 'pelkosenniemi' has demand but every advisor named to it is a backup or away for the whole "
        "horizon; expected at least one advisor with role 'advisor' in advisors.csv", row=POINT_ROW["pelkosenniemi"],
        column="point_id")]


@pytest.mark.parametrize(("spans", "uncovered"), [
    ([("2015-01-01", "2015-12-31")], False),
    ([("2015-01-01", "2015-06-30"), ("2015-07-01", "2015-12-31")], False),  # back to back: away all year
    ([("2015-07-01", "2015-12-31"), ("2015-01-01", "2015-06-30")], False),  # in any order
    ([("2015-01-01", "2015-06-30"), ("2015-07-02", "2015-12-31")], True),  # here on 1 July
    ([("2015-01-01", "2015-12-30")], True),  # here on New Year's Eve
    ([("2015-01-02", "2015-12-31")], True),  # here on New Year's Day
])
def test_a_point_whose_only_advisor_is_away_all_year(default_scenario, spans, uncovered):
    """Eila is Pelkosenniemi's one regular advisor (Tuomas is a backup); the horizon is 2015."""
    away = tuple(AbsenceRow(advisor_id="eila", start=dt.date.fromisoformat(a), end=dt.date.fromisoformat(b), reason="x")
                 for a, b in spans)
    scenario = default_scenario.model_copy(update={"absences": away})
    assert scenario.horizon_end == dt.date(2015, 12, 31)
    found = points_have_regular_advisors_in(scenario)
    assert [(p.row, p.severity) for p in found] == ([] if uncovered else [(POINT_ROW["pelkosenniemi"], "error")])


def test_a_point_without_a_regular_advisor_is_a_warning_for_sizing(base):
    config, tables = base
    backups = edited(tables, "advisors", lambda row: row.point_id == "pelkosenniemi", role="backup")
    assert cross_check(config, backups, "sizing") == [Problem(
        "points.csv", "point 'pelkosenniemi' has demand but every advisor named to it is a backup or away for the whole "
        "horizon; expected at least one advisor with role 'advisor' in advisors.csv before rostering",
        row=POINT_ROW["pelkosenniemi"], column="point_id", severity="warning")]
    assert [p.severity for p in cross_check(config, backups, "roster")] == ["error"]


def _mikkeli_monday(tables, closes: dt.time):
    return edited(tables, "opening_hours", lambda row: (row.point_id, row.weekday) == ("mikkeli", "mon"),
                  opens=dt.time(8, 0), closes=closes)


def test_an_opening_window_as_long_as_the_shortest_shift_is_fine(base):
    config, tables = base
    assert config.workforce.shortest_shift_hours == 4.0
    assert cross_check(config, _mikkeli_monday(tables, dt.time(12, 0)), "roster") == []


@pytest.mark.parametrize(("purpose", "severity"), [("sizing", "warning"), ("staffing", "error"), ("roster", "error")])
def test_an_opening_window_shorter_than_any_shift_is_named(base, purpose, severity):
    config, tables = base
    tables = _mikkeli_monday(tables, dt.time(11, 30))
    row = next(n for n, h in tables["opening_hours"] if (h.point_id, h.weekday) == ("mikkeli", "mon"))
    assert cross_check(config, tables, purpose) == [Problem(
        "opening_hours.csv", "mikkeli is open 08:00–11:30 on mon (3.5 h), shorter than the shortest shift (4 h); "
        "expected a longer window or a shorter shift in scenario.toml [workforce] shift_lengths_hours", row=row,
        column="closes", severity=severity)]


@pytest.mark.parametrize(("purpose", "severity"), [("sizing", "warning"), ("staffing", "error"), ("roster", "error")])
def test_demand_nobody_is_trained_for_is_named_in_row_order(base, purpose, severity):
    """Kiiminki's advisors trained for Kela only: its other five providers, in baseline_demand.csv's order."""
    config, tables = base
    tables = edited(tables, "advisors", lambda row: row.point_id == "kiiminki", skills=("kela",))
    found = cross_check(config, tables, purpose)
    assert [(p.row, p.message.split(" customers")[0]) for p in found] == [
        (9, "kiiminki has vero"), (10, "kiiminki has poliisi"), (11, "kiiminki has te"), (12, "kiiminki has maistraatti"),
        (13, "kiiminki has kunta")]
    assert found[0] == Problem("baseline_demand.csv", "kiiminki has vero customers but no advisor named to it is trained "
                               "for vero; expected vero in the skills of at least one of its advisors in advisors.csv",
                               row=9, column="provider_id", severity=severity)


@pytest.mark.parametrize(("volume", "named"), [(0, False), (1, True)])
def test_only_demand_that_is_there_needs_training(base, volume, named):
    config, tables = base
    tables = edited(tables, "advisors", lambda row: row.point_id == "kiiminki", skills=("kela", "vero", "poliisi", "te",
                                                                                         "kunta"))
    tables = edited(tables, "baseline_demand", lambda row: (row.point_id, row.provider_id) == ("kiiminki", "maistraatti"),
                    monthly_volume=volume)
    assert [p.row for p in cross_check(config, tables)] == ([12] if named else [])


def _absences(tables, *spans):
    rows = [(n, AbsenceRow(advisor_id="anna", start=dt.date.fromisoformat(a), end=dt.date.fromisoformat(b), reason="x"))
            for n, (a, b) in enumerate(spans, start=2)]
    return {**tables, "absences": rows}


def test_absences_sharing_a_day_overlap(base):
    config, tables = base
    found = cross_check(config, _absences(tables, ("2015-03-10", "2015-03-20"), ("2015-03-01", "2015-03-10")))
    assert found == [Problem("absences.csv", "absence of 'anna' overlaps the one on row 3; the two are treated as one",
                             row=2, column="start", severity="warning")]


def test_absences_back_to_back_do_not_overlap(base):
    config, tables = base
    assert cross_check(config, _absences(tables, ("2015-03-01", "2015-03-10"), ("2015-03-11", "2015-03-20"))) == []


def test_each_overlap_is_named_once(base):
    config, tables = base
    found = cross_check(config, _absences(tables, ("2015-03-01", "2015-03-10"), ("2015-03-05", "2015-03-06"),
                                          ("2015-03-06", "2015-03-20")))
    assert [(p.row, p.message) for p in found] == [
        (3, "absence of 'anna' overlaps the one on row 2; the two are treated as one"),
        (4, "absence of 'anna' overlaps the one on row 3; the two are treated as one")]


def _types(*rows):
    return [(n, AppointmentTypeRow(provider_id=p, appointment_type=t, slot_minutes=20, share=s, remote_share=0))
            for n, (p, t, s) in enumerate(rows, start=2)]


def test_appointment_shares_of_a_provider_add_up(base):
    config, tables = base
    tables = {**tables, "appointment_types": _types(("vero", "advice", 1.0), ("poliisi", "permit", 0.5),
                                                    ("poliisi", "firearms", 0.4))}
    assert cross_check(config, tables) == [Problem(
        "appointment_types.csv", "the shares of poliisi's appointment types add up to 0.9; expected 1 (each type's share "
        "of the provider's face-to-face demand)", row=3, column="share")]
    ok = {**tables, "appointment_types": _types(("poliisi", "permit", 0.5), ("poliisi", "firearms", 0.505))}
    assert cross_check(config, ok) == []


def test_a_visit_pattern_needs_a_gap_or_weekdays(base):
    config, tables = base
    rows = [(2, VisitPatternRow(point_id="kiiminki", provider_id="poliisi", weekdays=("fri",))),
            (3, VisitPatternRow(point_id="pelkosenniemi", provider_id="poliisi"))]
    assert cross_check(config, {**tables, "visit_patterns": rows}) == [Problem(
        "visit_patterns.csv", "neither max_days_between nor weekdays is given; expected at least one", row=3,
        column="max_days_between")]


def test_a_status_quo_trip_by_another_providers_official_is_named(base):
    config, tables = base
    tables = edited(tables, "status_quo_visits", lambda row: row.official_id == "police-haukipudas",
                    official_id="register-oulu")
    row = next(n for n, v in tables["status_quo_visits"] if v.official_id == "register-oulu")
    provider = next(o.provider_id for _, o in tables["officials"] if o.official_id == "register-oulu")
    assert cross_check(config, tables) == [Problem(
        "status_quo_visits.csv", f"register-oulu is an official of {provider}, not poliisi; expected the official's "
        "provider", row=row, column="provider_id")]


def test_a_repeated_id_pair_is_named_with_both_columns_and_the_first_row(base):
    config, tables = base
    first_n, first = tables["opening_hours"][0]
    last = max(n for n, _ in tables["opening_hours"]) + 1
    found = cross_check(config, {**tables, "opening_hours": [*tables["opening_hours"], (last, first)]})
    assert found == [Problem("opening_hours.csv", f"duplicate point_id={first.point_id}, weekday={first.weekday}; it is "
                             f"already on row {first_n}", row=last, column="weekday")]


def test_an_unknown_id_lists_the_known_ones(base):
    config, tables = base
    tables = edited(tables, "opening_hours", lambda row: (row.point_id, row.weekday) == ("mikkeli", "mon"),
                    point_id="mikeli")
    (problem,) = cross_check(config, tables)
    assert (problem.file, problem.column, problem.message) == (
        "opening_hours.csv", "point_id",
        "unknown id 'mikeli'; expected one of the ids in points.csv: kiiminki, mikkeli, parainen, pelkosenniemi, saarijarvi")


def test_an_unknown_id_where_there_are_none_says_none(base):
    config, tables = base
    found = cross_check(config, {**tables, "officials": []})
    assert "unknown id 'police-kemijarvi'; expected one of the ids in officials.csv: (none)" in [p.message for p in found]


def test_a_status_quo_appointment_type_must_be_the_providers(base):
    config, tables = base
    types = [(2, AppointmentTypeRow(provider_id="poliisi", appointment_type="permit", slot_minutes=20, share=1,
                                    remote_share=0))]
    for kind, expected in (("permit", []), ("wedding", ["'wedding' is not an appointment type of poliisi in "
                                                         "appointment_types.csv; expected one of its types"])):
        trips = edited(tables, "status_quo_visits", lambda row: row.official_id == "police-haukipudas",
                       appointment_type=kind)
        row = next(n for n, v in trips["status_quo_visits"] if v.official_id == "police-haukipudas")
        found = cross_check(config, {**trips, "appointment_types": types})
        assert found == [Problem("status_quo_visits.csv", m, row=row, column="appointment_type") for m in expected]


# The file each kind of id lives in, by the column that refers to it.
TARGET = {"point_id": "points.csv", "other_points": "points.csv", "provider_id": "providers.csv", "skills": "providers.csv",
          "office_id": "offices.csv", "home_office_id": "offices.csv", "advisor_id": "advisors.csv",
          "official_id": "officials.csv", "from_id": "points.csv or offices.csv", "to_id": "points.csv or offices.csv"}


@pytest.mark.parametrize(("file", "column"), REFERENCES, ids=[f"{f}:{c}" for f, c in REFERENCES])
def test_a_broken_reference_names_the_file_its_ids_live_in(base, file, column):
    config, tables = base
    key = next(k for k, (name, _, _) in TABLES.items() if name == file)
    rows = tables[key] or [(2, TABLES[key][1].model_validate({k: v for k, v in OPTIONAL_ROWS[file].items() if v != ""}))]
    number, row = rows[0]
    bad = ("no-such-id",) if isinstance(getattr(row, column), tuple) else "no-such-id"
    tables = {**tables, key: [(number, row.model_copy(update={column: bad})), *rows[1:]]}
    found = [p for p in cross_check(config, tables) if (p.file, p.row, p.column) == (file, number, column)]
    assert [p.message.split(": ")[0] for p in found] == [
        f"unknown id 'no-such-id'; expected one of the ids in {TARGET[column]}"]
