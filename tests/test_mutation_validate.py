"""planner/scenario/validate.py: each cross-file finding whole (file, row, column, severity, words) and its edges.

Found unguarded by mutation testing (issue #18). The tables are the default scenario's, read
once, with one change each: cross_check runs on them directly, no files written.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.base.errors import Problem
from planner.scenario.loading import load_config, load_tables
from planner.scenario.schemas import AbsenceRow
from planner.scenario.validate import cross_check, points_have_regular_advisors_in
from tests.conftest import DEFAULT_DIR

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
