"""Every cross-file reference of validation, broken one at a time: exit 2, with the exact file, row and column.

One row per reference checked by `planner.scenario.validate.cross_check` (and the variant
rows' references in `planner.scenario.variants`). Each is broken in a copy of
inputs/aspa-pilots-2015 — a cell of an existing file, or one row of an optional file the
default does not have — and `planner validate` must exit 2 naming that file, spreadsheet
row 2 and the column, and nothing else. A reference check removed from validation makes
its row here fail (a misspelt `home_office_id` would otherwise be reported valid).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.base.errors import ScenarioError
from planner.cli import main
from planner.scenario.loading import load_scenario
from planner.scenario.schemas import TABLES
from planner.scenario.validate import cross_check
from planner.scenario.variants import read_variants
from tests.conftest import edit_cell, write_rows

BAD = "no-such-id"

# Optional files the default scenario does not have: a valid first row, the reference broken in it.
OPTIONAL_ROWS = {
    "roster_requests.csv": {"advisor_id": "anna", "date": "2015-01-12", "kind": "day_off", "start": "", "weight": "10"},
    "appointment_types.csv": {"provider_id": "poliisi", "appointment_type": "permit", "slot_minutes": "20",
                              "share": "1", "remote_share": "0", "comment": ""},
    "visit_patterns.csv": {"point_id": "kiiminki", "provider_id": "poliisi", "max_days_between": "31",
                           "weekdays": "", "comment": ""},
    "official_absences.csv": {"official_id": "police-haukipudas", "start": "2015-02-02", "end": "2015-02-06",
                              "reason": "training"},
    "weekday_profiles.csv": {"point_id": "mikkeli", "mon": "1.2", "tue": "1", "wed": "1", "thu": "1", "fri": "0.8",
                             "sat": "1", "sun": "1", "comment": ""},
    "hourly_profiles.csv": {"point_id": "mikkeli", "hour": "9", "weight": "14", "comment": ""},
    "video_hours.csv": {"provider_id": "maistraatti", "official_id": "register-oulu", "hours": "10", "per": "week",
                        "comment": ""},
}

# (file, column) of every reference, in cross_check's order.
REFERENCES = [
    ("opening_hours.csv", "point_id"),
    ("seasonality.csv", "provider_id"),
    ("baseline_demand.csv", "point_id"),
    ("baseline_demand.csv", "provider_id"),
    ("offices.csv", "provider_id"),
    ("closures.csv", "office_id"),
    ("closures.csv", "point_id"),
    ("overflow_events.csv", "office_id"),
    ("overflow_events.csv", "point_id"),
    ("municipal_work.csv", "point_id"),
    ("advisors.csv", "point_id"),
    ("advisors.csv", "skills"),
    ("advisors.csv", "other_points"),
    ("absences.csv", "advisor_id"),
    ("roster_requests.csv", "advisor_id"),
    ("officials.csv", "provider_id"),
    ("officials.csv", "home_office_id"),
    ("distances.csv", "from_id"),
    ("distances.csv", "to_id"),
    ("appointment_types.csv", "provider_id"),
    ("visit_patterns.csv", "point_id"),
    ("visit_patterns.csv", "provider_id"),
    ("official_absences.csv", "official_id"),
    ("weekday_profiles.csv", "point_id"),
    ("hourly_profiles.csv", "point_id"),
    ("status_quo_visits.csv", "official_id"),
    ("status_quo_visits.csv", "point_id"),
    ("status_quo_visits.csv", "provider_id"),
    ("video_hours.csv", "provider_id"),
    ("video_hours.csv", "official_id"),
]


def break_reference(folder: Path, file: str, column: str) -> None:
    if file in OPTIONAL_ROWS:
        row = {**OPTIONAL_ROWS[file], column: BAD}
        write_rows(folder / file, list(row), [row])
    else:
        edit_cell(folder / file, 2, column, BAD)


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ".csv" in line or ".toml" in line]


def test_the_table_lists_every_reference_of_cross_check():
    """A reference added to validation without a row here fails this test."""
    source = Path(cross_check.__code__.co_filename).read_text(encoding="utf-8")
    listed = source[source.index("references: list["):source.index("for key, column, known, target in references")]
    found = [(TABLES[key][0], column) for key, column in
             __import__("re").findall(r'\("(\w+)", "(\w+)", \w+, "[^"]+"\)', listed)]
    assert found == REFERENCES


@pytest.mark.parametrize(("file", "column"), REFERENCES, ids=[f"{f}:{c}" for f, c in REFERENCES])
def test_a_broken_reference_exits_2_naming_file_row_and_column(scenario_copy, file, column):
    break_reference(scenario_copy, file, column)
    result = CliRunner().invoke(main, ["validate", str(scenario_copy)])
    assert result.exit_code == 2, result.output
    lines = error_lines(result.output)
    assert len(lines) == 1, result.output
    (line,) = lines
    assert f"{file} row 2" in line and f"column {column}" in line and f"unknown id '{BAD}'" in line, line


def test_the_default_optional_rows_are_valid(scenario_copy):
    """The rows above are valid before the break, so the one error is the broken reference."""
    for file, row in OPTIONAL_ROWS.items():
        write_rows(scenario_copy / file, list(row), [row])
    result = CliRunner().invoke(main, ["validate", str(scenario_copy)])
    assert result.exit_code == 0, result.output


VARIANT_HEADER = ["variant", "change", "office_id", "point_id", "provider_id", "date", "monthly_visits",
                  "share_to_point", "max_days_between", "folder", "comment"]
VARIANT_ROWS = {
    "office_id": {"variant": "x", "change": "close_office", "office_id": BAD, "point_id": "saarijarvi",
                  "monthly_visits": "100", "share_to_point": "0.3"},
    "point_id": {"variant": "x", "change": "close_office", "office_id": "saarijarvi-kela", "point_id": BAD,
                 "monthly_visits": "100", "share_to_point": "0.3"},
    "provider_id": {"variant": "x", "change": "visit_every", "point_id": "kiiminki", "provider_id": BAD,
                    "max_days_between": "14"},
}


@pytest.mark.parametrize("column", list(VARIANT_ROWS))
def test_a_variant_row_with_a_broken_reference_names_row_and_column(tmp_path, default_scenario, column):
    path = tmp_path / "variants.csv"
    write_rows(path, VARIANT_HEADER, [{k: "" for k in VARIANT_HEADER} | VARIANT_ROWS[column]])
    with pytest.raises(ScenarioError) as caught:
        read_variants(path, default_scenario)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, column) and BAD in problem.message


def test_the_default_scenario_loads_with_the_optional_rows(scenario_copy):
    for file, row in OPTIONAL_ROWS.items():
        write_rows(scenario_copy / file, list(row), [row])
    load_scenario(scenario_copy)
