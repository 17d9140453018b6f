"""Issue #13, part 6: what `planner validate` accepts, the pipeline handles.

One test per input found to pass validation and then crash (or be silently dropped) later;
each failed before the fix. Every rejection exits 2, names file and row and column (or key)
and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import matplotlib
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from planner.base import io
from planner.cli import main
from planner.demand.forecast import forecast
from planner.scenario.loading import load_scenario
from planner.scenario.schemas import TABLES, ScenarioConfig
from tests.conftest import DEFAULT_DIR, edit_cell, read_rows


def invoke(*args: str):
    return CliRunner().invoke(main, [*args])


def assert_refused(folder: Path, *fragments: str) -> str:
    """validate exits 2 with one error line holding every fragment, and `staff` writes nothing."""
    result = invoke("validate", str(folder))
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    line = next((line for line in result.output.splitlines()
                 if line.startswith("error:") and all(f in line for f in fragments)), None)
    assert line is not None, f"no error line with {fragments} in:\n{result.output}"
    out = folder.parent / "out"
    staffed = invoke("staff", str(folder), "-o", str(out), "--quiet")
    assert staffed.exit_code == 2, staffed.output
    assert not out.exists()
    return result.output


# ----------------------------------------------------------------------- text


@pytest.mark.parametrize(("char", "name"), [("\x1b", "ESC"), ("\x07", "BEL"), ("\x00", "NUL")])
def test_control_character_in_a_name_is_refused(scenario_copy, char, name):
    # Before: accepted; openpyxl refused the name when writing plan.xlsx (exit 1).
    edit_cell(scenario_copy / "advisors.csv", 3, "name", f"Anna{char}Virtanen")
    assert_refused(scenario_copy, "advisors.csv row 3", "column name", name)


def test_line_break_in_a_quoted_comment_is_read(scenario_copy):
    edit_cell(scenario_copy / "points.csv", 2, "comment", "first line\nsecond line")
    scenario, _ = load_scenario(scenario_copy)
    assert scenario.points[0].comment == "first line\nsecond line"


def test_line_break_in_a_quoted_name_is_refused_as_a_line_break(scenario_copy):
    edit_cell(scenario_copy / "points.csv", 2, "name", "Mikkeli\ncity")
    assert_refused(scenario_copy, "points.csv row 2", "column name", "line break")


def test_rows_after_a_multi_line_cell_keep_their_spreadsheet_row(scenario_copy):
    edit_cell(scenario_copy / "points.csv", 2, "comment", "one\ntwo\nthree")
    edit_cell(scenario_copy / "points.csv", 4, "population", "many")
    assert_refused(scenario_copy, "points.csv row 4", "column population", "'many'")


def test_unclosed_quote_is_refused_with_its_row(scenario_copy):
    path = scenario_copy / "points.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].split(",")[0] + ',"Oulu Kiiminki'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(scenario_copy, "points.csv row 3", "quoted cell", "not closed")


def test_markup_in_a_point_name_is_drawn_and_written_as_text(scenario_copy, tmp_path):
    # Before: matplotlib read `$…$` in chart titles as maths and failed on the stray backslash (exit 1).
    name = r"Mikkeli $\frac{a$ \ 100 $"
    edit_cell(scenario_copy / "points.csv", 2, "name", name)
    scenario, _ = load_scenario(scenario_copy)
    assert scenario.points[0].name == name
    from planner.outputs.report import demand_chart  # sets the charts' text handling on import

    assert matplotlib.rcParams["text.parse_math"] is False
    from planner.outputs.i18n import Words

    chart = demand_chart(scenario, forecast(scenario), "mikkeli", Words("en", scenario))
    assert chart.png.startswith(b"\x89PNG") and name in chart.title
    import pandas as pd

    from planner.outputs.workbook import write_workbook

    write_workbook({"points": pd.DataFrame({"name": [name, "=1+1"]})}, tmp_path / "x.xlsx")
    cells = [c.value for c in load_workbook(tmp_path / "x.xlsx")["points"]["A"]]
    assert cells == ["name", name, "'=1+1"]


def test_a_cell_over_128_kb_is_refused_with_row_and_column(scenario_copy):
    # Before: the csv module's field limit raised (exit 1).
    edit_cell(scenario_copy / "points.csv", 2, "comment", "x" * 140_000)
    assert_refused(scenario_copy, "points.csv row 2", "column comment", "characters")


# -------------------------------------------------------------------- numbers


def test_monthly_volume_of_1e100_is_refused(scenario_copy):
    # Before: accepted; the requirement overflowed an integer in staffing (exit 1).
    edit_cell(scenario_copy / "baseline_demand.csv", 2, "monthly_volume", "1e100")
    assert_refused(scenario_copy, "baseline_demand.csv row 2", "column monthly_volume", "less than or equal to 100000")


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "Infinity"])
def test_non_finite_daily_hours_is_refused(scenario_copy, value):
    # Before: `inf` was accepted for an official's day and failed in outreach (exit 1).
    edit_cell(scenario_copy / "officials.csv", 2, "daily_hours", value)
    assert_refused(scenario_copy, "officials.csv row 2", "column daily_hours", "finite number")


def _numeric_columns() -> list[tuple[str, str]]:
    cases = []
    for filename, model, _ in TABLES.values():
        if not (DEFAULT_DIR / filename).is_file():
            continue
        header, _rows = read_rows(DEFAULT_DIR / filename)
        for name, field in model.model_fields.items():
            if name in header and field.annotation in (float, int, float | None, int | None):
                cases.append((filename, name))
    return cases


@pytest.mark.parametrize(("filename", "column"), _numeric_columns())
def test_1e40_in_any_numeric_column_is_refused(tmp_path, filename, column):
    folder = tmp_path / "scenario"
    shutil.copytree(DEFAULT_DIR, folder)
    edit_cell(folder / filename, 2, column, "1e40")
    result = invoke("validate", str(folder))
    assert result.exit_code == 2, result.output
    assert f"error: {filename} row 2, column {column}:" in result.output


def _bounded_fields():
    sections = [f.annotation for f in ScenarioConfig.model_fields.values()
                if isinstance(f.annotation, type) and hasattr(f.annotation, "model_fields")]
    for model in [m for _, m, _ in TABLES.values()] + [ScenarioConfig, *sections]:
        for name, field in model.model_fields.items():
            if field.annotation in (float, int, float | None, int | None) and name not in ("latitude", "longitude"):
                yield model.__name__, name, field


@pytest.mark.parametrize(("model", "name", "field"), list(_bounded_fields()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_number_has_a_documented_upper_bound(model, name, field):
    bounds = [getattr(m, "le", None) or getattr(m, "lt", None) for m in field.metadata]
    bound = next((b for b in bounds if b is not None), None)
    assert bound is not None, f"{model}.{name} has no upper bound"
    shown = f"{bound:g}" if bound < 1e6 else str(int(bound))
    description = (field.description or "").replace(" ", "")
    assert shown in description or str(int(bound)) in description, f"{model}.{name}: bound {bound} not in its description"


# -------------------------------------------------------------- scenario.toml


def _set_toml(folder: Path, old: str, new: str) -> None:
    path = folder / "scenario.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_toml_nested_1000_deep_is_refused(scenario_copy):
    # Before: tomllib recursed until RecursionError (exit 1).
    path = scenario_copy / "scenario.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\nextra = " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    rows = len(path.read_text(encoding="utf-8").splitlines())
    assert_refused(scenario_copy, f"scenario.toml row {rows}", "nested too deeply")


def test_toml_nested_tables_are_refused_with_the_key(scenario_copy):
    path = scenario_copy / "scenario.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[a.b.c.d.e.f.g.h.i.j]\nx = 1\n", encoding="utf-8")
    assert_refused(scenario_copy, "scenario.toml", "key a.b.c.d.e.f.g.h.i", "nested")


@pytest.mark.parametrize(("old", "new", "key"), [
    ("months = 12", 'months = "12"', "horizon.months"),
    ("start = 2015-01-01", 'start = "2015-01-01"', "horizon.start"),
    ("km_rate_eur = 0.45", 'km_rate_eur = "0.45"', "costs.km_rate_eur"),
    ("time_limit_seconds = 600", "time_limit_seconds = true", "solver.time_limit_seconds"),
    ("shift_lengths_hours = [4.0, 5.0", 'shift_lengths_hours = ["4.0", 5.0', "workforce.shift_lengths_hours"),
])
def test_text_where_toml_wants_a_number_or_date_is_refused(scenario_copy, old, new, key):
    _set_toml(scenario_copy, old, new)
    assert_refused(scenario_copy, "scenario.toml", f"key {key}", "expected a")


@pytest.mark.parametrize(("old", "new", "fragments"), [
    ("weekly_hours = 36.25", "wekly_hours = 36.25",
     ("key workforce.wekly_hours", "unknown key 'wekly_hours' in [workforce]; did you mean weekly_hours?")),
    ("[roster]", "[rooster]", ("key rooster", "unknown key 'rooster'", "did you mean roster?")),
    ("seed = 0", "colour = 0", ("key solver.colour", "unknown key 'colour' in [solver]; expected one of work_limit")),
])
def test_a_misspelt_toml_key_is_named_with_the_key_meant(scenario_copy, old, new, fragments):
    """The trial: `wekly_hours` said "expected Extra inputs are not permitted" (pydantic's words) and not which key
    was meant."""
    _set_toml(scenario_copy, old, new)
    output = assert_refused(scenario_copy, "scenario.toml", *fragments)
    assert "Extra inputs" not in output


def test_toml_syntax_error_names_the_line(scenario_copy):
    _set_toml(scenario_copy, "months = 12", "months = = 12")
    assert_refused(scenario_copy, "scenario.toml row 9", "not valid TOML")


@pytest.mark.parametrize(("value", "words"), [
    ("2015-13-01", "2015-13-01 is not a date (month 13); expected YYYY-MM-DD"),
    ("2015-02-29", "2015-02-29 is not a date (February 2015 has 28 days); expected YYYY-MM-DD"),
    ("2015-1-5", "2015-1-5 is not a date as TOML writes one; expected YYYY-MM-DD (2015-01-05)"),
])
def test_a_toml_date_that_is_no_date_is_named_in_the_user_s_terms(scenario_copy, value, words):
    """The trial: `start = 2015-13-01` said "not valid TOML: Expected newline or end of document after a statement"
    (tomllib read 2015 as a number); the row stays."""
    _set_toml(scenario_copy, "start = 2015-01-01", f"start = {value}")
    output = assert_refused(scenario_copy, f"scenario.toml row 8: {words}")
    assert "Expected newline" not in output


def test_horizon_start_outside_the_supported_years_is_refused(scenario_copy):
    _set_toml(scenario_copy, "start = 2015-01-01", "start = 9999-12-01")
    assert_refused(scenario_copy, "scenario.toml", "key horizon.start")


@pytest.mark.parametrize("value", ["1420070400", "2015-01-01T00:00", "0001-01-01", "9999-12-31"])
def test_a_date_is_yyyy_mm_dd_in_a_sane_year(scenario_copy, value):
    edit_cell(scenario_copy / "absences.csv", 2, "end", value)
    assert_refused(scenario_copy, "absences.csv row 2", "column end")


# ----------------------------------------------------------------------- files


def test_misspelt_optional_file_is_an_error_naming_the_file_meant(scenario_copy):
    # Before: absence.csv was ignored and every absence silently disappeared.
    (scenario_copy / "absences.csv").rename(scenario_copy / "absence.csv")
    output = assert_refused(scenario_copy, "absence.csv", "did you mean absences.csv?")
    assert "absence.csv is not a file of a scenario; did you mean absences.csv?" in output


def test_other_files_in_the_folder_are_fine(scenario_copy):
    (scenario_copy / "README.md").write_text("notes\n", encoding="utf-8")
    (scenario_copy / "budget.xlsx").write_bytes(b"PK")
    (scenario_copy / "absences-2014.csv").write_text("old\n", encoding="utf-8")
    result = invoke("validate", str(scenario_copy))
    assert result.exit_code == 0, result.output
    assert "README.md" not in result.output and "budget.xlsx" not in result.output
    assert "warning: absences-2014.csv" in result.output


def _variant(root: Path, name: str, base: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "variant.toml").write_text(f'base = "{base}"\n', encoding="utf-8")
    return folder


def test_variant_based_on_itself_is_refused(tmp_path):
    folder = _variant(tmp_path, "v", ".")
    assert_refused(folder, "variant.toml, key base", "leads back to itself")


def test_variant_cycle_is_named(tmp_path):
    first = _variant(tmp_path, "a", "../b")
    _variant(tmp_path, "b", "../a")
    output = assert_refused(first, "variant.toml, key base", "leads back to")
    assert "→" in output


@pytest.mark.parametrize("base", ["/etc", "../..", "../nowhere"])
def test_variant_base_must_be_a_scenario_folder(tmp_path, base):
    folder = _variant(tmp_path / "deep", "v", base)
    assert_refused(folder, "variant.toml, key base", "base")


def test_variant_of_a_real_scenario_elsewhere_is_fine(tmp_path):
    shutil.copytree(DEFAULT_DIR, tmp_path / "elsewhere" / "pilots")
    folder = _variant(tmp_path / "mine", "v", str(tmp_path / "elsewhere" / "pilots"))
    assert invoke("validate", str(folder)).exit_code == 0


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_input_linked_from_outside_is_not_read_nor_shown(scenario_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:SECRET-LINE:0:0\nmore\n", encoding="utf-8")
    (scenario_copy / "points.csv").unlink()
    (scenario_copy / "points.csv").symlink_to(secret)
    output = assert_refused(scenario_copy, "points.csv", "link to a file outside the scenario folder")
    assert "SECRET" not in output


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_link_inside_the_scenario_folder_is_read(scenario_copy):
    (scenario_copy / "data").mkdir()
    (scenario_copy / "points.csv").rename(scenario_copy / "data" / "points.csv")
    (scenario_copy / "points.csv").symlink_to(scenario_copy / "data" / "points.csv")
    assert invoke("validate", str(scenario_copy)).exit_code == 0


def test_limits_are_far_above_the_default_scenario():
    assert max(p.stat().st_size for p in DEFAULT_DIR.iterdir()) < io.MAX_FILE_BYTES / 1000
    config, _ = io.read_toml(DEFAULT_DIR / "scenario.toml")
    assert config is not None and dt.date(2000, 1, 1) <= config["horizon"]["start"]


def test_a_baseline_demand_file_of_no_rows_is_validated_without_a_warning(scenario_copy):
    """The fuzzer's case row_all_but_header('baseline_demand.csv'): no baseline streams, no closures.
    `validate` plans outreach's inputs from the demand, whose concat of empty parts raised pandas'
    FutureWarning (an error in this suite, a traceback line for a user)."""
    path = scenario_copy / "baseline_demand.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(scenario_copy)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output


def test_concat_rows_leaves_out_empty_frames_and_empty_columns():
    import pandas as pd

    from planner.base.tables import concat_rows

    empty = pd.DataFrame({"a": pd.Series(dtype="int64"), "b": pd.Series(dtype="object")})
    full = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    gaps = pd.DataFrame({"a": [3], "b": [None]})
    out = concat_rows([empty, full, gaps])
    assert out["a"].tolist() == [1, 2, 3] and out["b"].tolist()[:2] == ["x", "y"] and pd.isna(out["b"][2])
    assert list(out.columns) == ["a", "b"] and out.index.tolist() == [0, 1, 2]
    assert concat_rows([empty]).columns.tolist() == ["a", "b"] and len(concat_rows([])) == 0
