"""Reading scenario files (planner/base/io.py read_csv, read_toml): the behaviours mutation testing found unguarded.

A lone carriage return inside a quoted cell is a line break, as Python's csv module and Excel
read it: kept in free text (comment, reason, source, description) like "\\n" and "\\r\\n", refused
with file, row, column and the reason "line break" in a one-line field such as a name, and the
rows after it keep their spreadsheet row numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.base import io
from planner.cli import main
from planner.scenario.loading import load_scenario
from tests.conftest import read_rows


def validate(folder: Path):
    return CliRunner().invoke(main, ["validate", str(folder)])


def edit_quoted(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell with every cell quoted: Python 3.11's csv writer leaves a lone "\r" unquoted."""
    header, rows = read_rows(path)
    rows[row - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


# ------------------------------------------------------------------ a lone carriage return


def test_lone_carriage_return_in_a_quoted_comment_is_kept_as_a_line_break(scenario_copy):
    edit_quoted(scenario_copy / "points.csv", 2, "comment", "first line\rsecond line")
    assert b'"first line\rsecond line"' in (scenario_copy / "points.csv").read_bytes()
    scenario, _ = load_scenario(scenario_copy)
    assert scenario.points[0].comment == "first line\rsecond line"


def test_lone_carriage_return_in_a_quoted_name_is_refused_with_file_row_and_column(scenario_copy):
    edit_quoted(scenario_copy / "points.csv", 2, "name", "Mikkeli\rcity")
    result = validate(scenario_copy)
    assert result.exit_code == 2, result.output
    assert any(line.startswith("error: points.csv row 2, column name: found a line break")
               for line in result.output.splitlines()), result.output


def test_rows_after_a_lone_carriage_return_keep_their_spreadsheet_row(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", 'id,comment\r\na,"one\rtwo"\r\nb,x\r\n'))
    assert problems == []
    assert table.rows == ((2, {"id": "a", "comment": "one\rtwo"}), (3, {"id": "b", "comment": "x"}))


# ------------------------------------------------------------------ read_csv: text and size


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", "\ufeffid,name\na,b\n"))
    assert (problems, table.header, table.rows) == ([], ("id", "name"), ((2, {"id": "a", "name": "b"}),))


def test_a_latin1_byte_is_refused_with_its_line_and_the_cure(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("id,name\na,b\nc,Jyv\u00e4skyl\u00e4\n".encode("latin-1"))
    table, (problem,) = io.read_csv(path)
    assert table is None
    assert (problem.file, problem.row) == ("t.csv", 3)
    assert problem.message == (
        "byte b'\\xe4' is not UTF-8 (the file looks like Windows-1252/Latin-1, e.g. an Excel 'CSV' export); expected "
        "UTF-8 text: in Excel use 'Save as → CSV UTF-8', or convert with `iconv -f cp1252 -t utf-8`")


def test_a_file_over_the_size_limit_is_refused_unread_and_one_at_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 2 * 2**20)
    rows = ["x" * 99] * (2 * 2**20 // 100) + ["x" * (2 * 2**20 % 100 - 4)]
    text = "id\n" + "\n".join(rows) + "\n"
    assert len(text) == 2 * 2**20
    table, problems = io.read_csv(write(tmp_path / "at.csv", text))
    assert problems == [] and len(table.rows) == len(rows)
    table, problems = io.read_csv(write(tmp_path / "over.csv", "id\n" + "x" * 3 * 2**20 + "\n"))
    assert table is None
    assert [str(p) for p in problems] == [
        "error: over.csv: the file has 3 MB; expected at most 2 MB (is it the right file?)"]


@pytest.mark.parametrize("text", ["", "\n", "  \nid\n"])
def test_an_empty_file_or_first_line_is_refused_at_row_1(tmp_path, text):
    table, problems = io.read_csv(write(tmp_path / "t.csv", text))
    assert table is None
    assert [str(p) for p in problems] == ["error: t.csv row 1: the file is empty; expected a header row"]


# ------------------------------------------------------------------ read_csv: separators and numbers


def test_semicolon_file_with_decimal_commas_reads_as_points(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", "id;hours;note\na;7,25;-1,5\nb;12;1,5 h\n"))
    assert problems == []
    assert table.rows == ((2, {"id": "a", "hours": "7.25", "note": "-1.5"}), (3, {"id": "b", "hours": "12", "note": "1,5 h"}))


def test_semicolon_file_with_finnish_dates_reads_them_as_iso(tmp_path):
    """The trial: absences.csv opened and saved in a Finnish Excel came back with 15.2.2015 (exit 2, every row). In
    a ';' file a d.m.yyyy cell is the date; a comma file keeps it (its dates are written YYYY-MM-DD), and so does a
    text that only looks like one."""
    table, problems = io.read_csv(write(tmp_path / "t.csv", "id;start;end;note\na;15.2.2015;1.3.2015;v. 1.2.2015\n"))
    assert problems == []
    assert table.rows == ((2, {"id": "a", "start": "2015-02-15", "end": "2015-03-01", "note": "v. 1.2.2015"}),)
    table, problems = io.read_csv(write(tmp_path / "c.csv", "id,start\na,15.2.2015\n"))
    assert problems == [] and table.rows == ((2, {"id": "a", "start": "15.2.2015"}),)


def test_comma_file_keeps_a_quoted_decimal_comma(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", 'id,hours;x\na,"7,25"\n'))
    assert problems == [] and table.header == ("id", "hours;x")
    assert table.rows == ((2, {"id": "a", "hours;x": "7,25"}),)


# ------------------------------------------------------------------ read_csv: header and rows


def test_header_cells_are_stripped_and_cells_too(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", " id , name \n a , b c \n"))
    assert problems == [] and table.header == ("id", "name") and table.rows == ((2, {"id": "a", "name": "b c"}),)


@pytest.mark.parametrize(("header", "shown"), [("id,na\x07me", "'na\\x07me'"), ("id," + "n" * 201, repr("n" * 60))])
def test_a_header_cell_that_is_no_column_name_is_refused(tmp_path, header, shown):
    table, problems = io.read_csv(write(tmp_path / "t.csv", f"{header}\na,b\n"))
    assert table is None
    assert [str(p) for p in problems] == [
        f"error: t.csv row 1: header cell 2 is {shown}; expected a column name (see inputs/README.md)"]


def test_a_200_character_column_name_is_a_name(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", "id," + "n" * 200 + "\na,b\n"))
    assert problems == [] and table.header[1] == "n" * 200


def test_a_column_twice_is_named(tmp_path):
    _, problems = io.read_csv(write(tmp_path / "t.csv", "id,name,id\na,b,c\n"))
    assert [str(p) for p in problems] == ["error: t.csv row 1, column id: column 'id' appears twice"]


def test_blank_rows_are_skipped_and_keep_the_numbering(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", "id,name\na,b\n\n , \nc,d\n"))
    assert problems == [] and table.rows == ((2, {"id": "a", "name": "b"}), (5, {"id": "c", "name": "d"}))


def test_a_row_with_too_many_or_few_cells_is_named_and_left_out(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", "id,name\na,b,c\nd\ne,f\n"))
    assert [str(p) for p in problems] == [
        "error: t.csv row 2: found 3 cells; expected 2 like the header (a ',' inside a value must be quoted)",
        "error: t.csv row 3: found 1 cells; expected 2 like the header (a ',' inside a value must be quoted)"]
    assert table.rows == ((4, {"id": "e", "name": "f"}),)


def test_a_cell_over_the_limit_is_named_and_emptied_one_at_it_is_kept(tmp_path):
    limit = io.MAX_CELL_CHARS
    table, problems = io.read_csv(write(tmp_path / "t.csv", f"id,note\na,{'x' * limit}\nb,{'y' * (limit + 1)}\n"))
    assert [str(p) for p in problems] == [
        f"error: t.csv row 3, column note: the cell has {limit + 1} characters; expected at most {limit}"]
    assert table.rows == ((2, {"id": "a", "note": "x" * limit}), (3, {"id": "b", "note": ""}))


def test_a_cell_larger_than_the_csv_modules_default_limit_is_read_and_the_limit_restored(tmp_path):
    before = csv.field_size_limit()
    table, problems = io.read_csv(write(tmp_path / "t.csv", f"id,note\na,{'x' * (before + 10)}\n"))
    assert [p.column for p in problems] == ["note"] and table.rows[0][1]["note"] == ""
    assert csv.field_size_limit() == before


def test_old_mac_line_ends_are_line_ends(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", "id,name\ra,b\rc,d\r"))
    assert problems == [] and table.rows == ((2, {"id": "a", "name": "b"}), (3, {"id": "c", "name": "d"}))


def test_a_header_only_file_without_a_final_line_break_is_read(tmp_path):
    assert io.read_csv(write(tmp_path / "t.csv", "id")) == (io.RawTable("t.csv", ("id",), ()), [])


# ------------------------------------------------------------------ read_csv: broken quoting


def test_an_unclosed_quote_in_the_header_is_refused_at_row_1(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", '"id,name\na,b\n'))
    assert [(p.row, p.message) for p in problems] == [
        (1, "cannot read the file from here on: a quoted cell is not closed before the end of the file; expected a "
            "closing '\"'")]
    assert table is None or table.rows == ()


def test_an_unclosed_quote_ends_the_file_with_its_row(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", 'id,name\na,b\nc,"d\ne,f\n'))
    assert [str(p) for p in problems] == [
        "error: t.csv row 3: cannot read the file from here on: a quoted cell is not closed before the end of the "
        "file; expected a closing '\"'"]
    assert table.rows == ((2, {"id": "a", "name": "b"}),)


def test_text_after_a_closing_quote_ends_the_file_with_its_row_and_the_cure(tmp_path):
    table, problems = io.read_csv(write(tmp_path / "t.csv", 'id,name\na,b\nc,"d"x\ne,f\n'))
    (problem,) = problems
    assert problem.row == 3 and problem.message.startswith(
        "cannot read the file from here on: a quoted cell that starts on this row is not closed properly (")
    assert problem.message.endswith("a '\"' inside it written twice ('\"\"')")
    assert table.rows == ((2, {"id": "a", "name": "b"}),)


# ------------------------------------------------------------------ read_toml


def test_toml_is_read(tmp_path):
    assert io.read_toml(write(tmp_path / "s.toml", "[a]\nb = 1\n")) == ({"a": {"b": 1}}, [])


def test_toml_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "s.toml"
    path.write_bytes('a = "\u00e4"\n'.encode("latin-1"))
    data, (problem,) = io.read_toml(path)
    assert data is None and problem.row == 1 and "is not UTF-8" in problem.message


def test_toml_syntax_error_names_its_line(tmp_path):
    data, (problem,) = io.read_toml(write(tmp_path / "s.toml", "a = 1\nb = = 2\nc = 3\n"))
    assert data is None and (problem.file, problem.row) == ("s.toml", 2)
    assert problem.message.startswith("not valid TOML: ")


def test_toml_date_like_text_in_a_string_or_comment_is_not_taken_for_a_bad_date(tmp_path):
    text = 'a = "2015-13-01" # 2015-14-01\nb = [2015-01-01, 2015-02-30]\n'
    data, (problem,) = io.read_toml(write(tmp_path / "s.toml", text))
    assert (problem.row, problem.message) == (2, "2015-02-30 is not a date (February 2015 has 28 days); expected "
                                                 "YYYY-MM-DD")
    data, (problem,) = io.read_toml(write(tmp_path / "s.toml", 'a = "2015-13-01"\nb = = 1\n'))
    assert problem.message.startswith("not valid TOML: ")


def test_toml_error_at_the_end_names_the_last_line(tmp_path):
    data, (problem,) = io.read_toml(write(tmp_path / "s.toml", "a = 1\nb = 2\nc = [1,\n"))
    assert data is None and problem.row == 3 and "end of document" in problem.message


def test_toml_nested_past_recursion_names_the_line(tmp_path):
    data, (problem,) = io.read_toml(write(tmp_path / "s.toml", "a = 1\n\nx = " + "[" * 1000 + "]" * 1000 + "\n"))
    assert data is None
    assert str(problem) == ("error: s.toml row 3: values are nested too deeply; expected at most 8 levels of tables "
                            "and lists (see inputs/README.md)")


@pytest.mark.parametrize(("text", "line"), [
    ("x = " + "[" * 9 + "]" * 9 + "\ny = " + "[" * 10, 2),  # 9 lists open, then closed: line 2 opens 10
    ("[t]\nx = " + "[" * 9, None),  # a table header and 9 lists: 10 brackets, at the limit
    ("[t]\nx = " + "[" * 10, 2),
    ("x = '[[[[[[[[[[' # [[[[[[[[[[\ny = \"{{{{{{{{{{\"", None),  # in strings and comments: not counted
    ("x = '[[' " + "{" * 10, 1),  # after a closed string: counted again
    ("x = \"'\" " + "[" * 10, 1),  # a ' inside a "…" string does not open a string
    ("X = " + "[" * 10, 1),  # letters are neither quotes nor brackets
    ("XXXXXXXXXXX = 1", None),
    ("y = [[[[[ XXXXX [[[[[", 1),
    ("# a note\nx = " + "[" * 10, 2),  # a comment ends its line only
])
def test_the_line_where_toml_opens_too_deep(text, line):
    assert io._deep_line(text) == line


def test_toml_nested_more_than_8_deep_is_refused_with_the_key(tmp_path):
    data, problems = io.read_toml(write(tmp_path / "s.toml", "[a.b.c.d.e.f.g.h.i]\nx = 1\n"))
    assert data is None
    assert [(p.file, p.key, p.message) for p in problems] == [(
        "s.toml", "a.b.c.d.e.f.g.h.i…",
        "values are nested more than 8 levels deep; expected the sections and keys of inputs/README.md")]


def test_toml_8_deep_is_read(tmp_path):
    data, problems = io.read_toml(write(tmp_path / "s.toml", "[a.b.c.d.e.f.g]\nh = 1\n"))
    assert problems == [] and data["a"]["b"]["c"]["d"]["e"]["f"]["g"] == {"h": 1}


def test_toml_error_at_the_end_of_a_one_line_file_is_on_row_1(tmp_path):
    data, (problem,) = io.read_toml(write(tmp_path / "s.toml", "a = [1,"))
    assert data is None and problem.row == 1 and "end of document" in problem.message


def test_of_equally_deep_keys_the_first_is_named():
    assert io._deepest({"a": {"b": 1}, "c": {"d": 2}}) == ("a", "b")


def test_the_deepest_key_path_shows_list_positions(tmp_path):
    assert io._deepest({"a": [1, {"b": [[2]]}], "c": {"d": 3}}) == ("a", "[1]", "b", "[0]", "[0]")
    data, (problem,) = io.read_toml(write(tmp_path / "s.toml", "[a.b.c.d.e.f]\ng = [1, [[[2]]]]\n"))
    assert problem.key == "a.b.c.d.e.f.g[1][0]…"
