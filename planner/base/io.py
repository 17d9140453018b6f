"""The only module that touches files: CSV/TOML in, CSV/JSON out (atomically)."""

from __future__ import annotations

import calendar
import csv
import io
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.base.errors import Problem

# A Finnish Excel "CSV" uses ';' between cells and ',' as the decimal mark, and writes dates d.m.yyyy (a
# 2015-02-10 opened and saved in Excel comes back as 10.2.2015).
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

# Limits far above any real scenario, so that a wrong file is refused with a reason, not a crash.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARS = 10_000  # a long comment is a few hundred characters
MAX_TOML_DEPTH = 8  # scenario.toml goes three deep: [demand] weekday_factors = { mon = … }
_BLANK_BYTES = 4096  # a blank file is a few bytes; a bigger one is read (and named) as it is
_HEADER_TEXT = re.compile(r"^[^\x00-\x1f\x7f-\x9f]{0,200}$")


@dataclass(frozen=True)
class RawTable:
    """A CSV file as text cells: header and rows with their spreadsheet row numbers (header = 1)."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def _decode(path: Path) -> tuple[str | None, list[Problem]]:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [Problem(path.name, f"the file has {size / 2**20:.0f} MB; expected at most "
                              f"{MAX_FILE_BYTES // 2**20} MB (is it the right file?)")]
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1]
        return None, [Problem(
            path.name,
            f"byte {bad!r} is not UTF-8 (the file looks like Windows-1252/Latin-1, e.g. an "
            "Excel 'CSV' export); expected UTF-8 text: in Excel use 'Save as → CSV UTF-8', "
            "or convert with `iconv -f cp1252 -t utf-8`",
            row=line,
        )]


def _sniff_delimiter(header_line: str) -> str:
    """Accept ';' (Finnish Excel) when the header has no ',' but has ';'."""
    if ";" in header_line and "," not in header_line:
        return ";"
    return ","


def is_blank(path: Path) -> bool:
    """The file holds no text: 0 bytes (as `touch` leaves it), or only a byte-order mark and white space."""
    if path.stat().st_size > _BLANK_BYTES:
        return False
    return path.read_bytes().decode("utf-8-sig", errors="replace").strip() == ""


def read_csv(path: Path) -> tuple[RawTable | None, list[Problem]]:
    """Read a CSV as text cells; problems name the file and spreadsheet row."""
    text, problems = _decode(path)
    if text is None:
        return None, problems
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return None, [Problem(path.name, "the file is empty; expected a header row", row=1)]
    delimiter = _sniff_delimiter(lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    limit = csv.field_size_limit(len(text) + 1)  # long cells are refused below with their row and column
    try:
        records = iter(list(_records(reader, path.name, problems)))
    finally:
        csv.field_size_limit(limit)
    header = tuple(cell.strip() for cell in next(records, []))
    bad = [(number, column) for number, column in enumerate(header, start=1) if not _HEADER_TEXT.match(column)]
    if bad:
        number, column = bad[0]
        return None, problems + [Problem(path.name, f"header cell {number} is {column[:60]!r}; expected a column name "
                                         "(see inputs/README.md)", row=1)]
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(Problem(path.name, f"column {column!r} appears twice", row=1, column=column))
        seen.add(column)
    rows: list[tuple[int, dict[str, str]]] = []
    for index, cells in enumerate(records, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(
                path.name,
                f"found {len(cells)} cells; expected {len(header)} like the header "
                "(a ',' inside a value must be quoted)",
                row=index,
            ))
            continue
        values = {}
        for column, cell in zip(header, cells, strict=True):
            cell = cell.strip()
            if len(cell) > MAX_CELL_CHARS:
                problems.append(Problem(path.name, f"the cell has {len(cell)} characters; expected at most "
                                        f"{MAX_CELL_CHARS}", row=index, column=column))
                cell = ""
            if delimiter == ";" and _DECIMAL_COMMA.match(cell):
                cell = cell.replace(",", ".")
            elif delimiter == ";" and (date := _FINNISH_DATE.match(cell)):
                cell = f"{date.group(3)}-{int(date.group(2)):02d}-{int(date.group(1)):02d}"
            values[column] = cell
        rows.append((index, values))
    return RawTable(path.name, header, tuple(rows)), problems


def _records(reader: Iterator[list[str]], file: str, problems: list[Problem]) -> Iterator[list[str]]:
    """The CSV records; a malformed one ends the file with a problem naming its spreadsheet row."""
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = str(exc)
            if "unexpected end of data" in reason:
                reason = "a quoted cell is not closed before the end of the file; expected a closing '\"'"
            elif "expected after" in reason:
                reason = (f"a quoted cell that starts on this row is not closed properly ({reason}); expected '\"' "
                          "and then the separator at its end, and a '\"' inside it written twice ('\"\"')")
            problems.append(Problem(file, f"cannot read the file from here on: {reason}", row=number))
            return
        yield record


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_TEXT = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')  # quoted strings, where a date-like text is no date
_DATE_LIKE = re.compile(r"(?<![\w.:+-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w:-])")


def _deepest(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The key path of the most deeply nested value (list positions as [i])."""
    if len(path) > MAX_TOML_DEPTH:
        return path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    deepest = path
    for key, item in items:
        found = _deepest(item, path + (str(key) if isinstance(value, dict) else f"[{key}]",))
        if len(found) > len(deepest):
            deepest = found
    return deepest


def _deep_line(text: str) -> int | None:
    """The first line where brackets and braces (outside strings and comments) open too deep."""
    depth, quote = 0, ""
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_TOML_DEPTH + 1:  # + 1: a [table] header
                    return number
            elif char in "]}":
                depth -= 1
    return None


def _not_a_date(line: str) -> str | None:
    """Why a date-like value on a TOML line the parser refused is not a date, in the user's words ("2015-13-01 is not
    a date (month 13); expected YYYY-MM-DD"); None when the line has no such value. tomllib's own words for it
    ("Expected newline or end of document after a statement") say nothing of a date: it read 2015 as a number."""
    for year, month, day in _DATE_LIKE.findall(_TOML_TEXT.sub('""', line).split("#", 1)[0]):
        found = f"{year}-{month}-{day}"
        if not 1 <= int(month) <= 12:
            why = f"month {int(month)}"
        elif not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
            why = (f"{calendar.month_name[int(month)]} {year} has {calendar.monthrange(int(year), int(month))[1]} "
                   "days" if int(day) else "day 0")
        elif len(month) < 2 or len(day) < 2:  # TOML writes a date's month and day in two digits
            return f"{found} is not a date as TOML writes one; expected YYYY-MM-DD ({year}-{int(month):02d}-{int(day):02d})"
        else:
            continue
        return f"{found} is not a date ({why}); expected YYYY-MM-DD"
    return None


def read_toml(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    text, problems = _decode(path)
    if text is None:
        return None, problems
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        row = int(match.group(1)) if match else max(1, len(text.splitlines()))  # "(at end of document)"
        lines = text.splitlines()
        wrong_date = _not_a_date(lines[row - 1]) if row <= len(lines) else None
        return None, [Problem(path.name, wrong_date or f"not valid TOML: {exc}", row=row)]
    except RecursionError:
        return None, [Problem(path.name, f"values are nested too deeply; expected at most {MAX_TOML_DEPTH} levels "
                                         "of tables and lists (see inputs/README.md)", row=_deep_line(text))]
    deepest = _deepest(data)
    if len(deepest) > MAX_TOML_DEPTH:
        key = ".".join(deepest[:MAX_TOML_DEPTH + 1]).replace(".[", "[")
        return None, [Problem(path.name, f"values are nested more than {MAX_TOML_DEPTH} levels deep; expected "
                                         "the sections and keys of inputs/README.md", key=key + "…")]
    return data, []


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _umask() -> int:
    # mkstemp creates 0600 files; outputs should get the user's normal permissions.
    current = os.umask(0)
    os.umask(current)
    return current


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Text that a spreadsheet would execute gets a leading apostrophe; numbers are untouched."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, target: Path) -> Path:
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if pd.api.types.is_string_dtype(values) and pd.api.types.infer_dtype(values, skipna=True) == "string":
            # Vectorised for the large interval tables; only the cells that need it change.
            risky = values.str.startswith(_FORMULA_START).fillna(False).astype(bool)
            if risky.any():
                safe[column] = values.where(~risky, "'" + values.astype(str))
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            safe[column] = values.map(neutralise_formula)
    with atomic_path(target) as tmp:
        safe.to_csv(tmp, index=False, lineterminator="\n")
    return target


def write_json(payload: Any, target: Path) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return target


def read_json(path: Path) -> Any | None:
    """A JSON file's content, or None when it is missing or not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_text(text: str, target: Path) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target
