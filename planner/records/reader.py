"""Read visit logs into a DuckDB table in bounded memory, with every bad row accounted for.

Each CSV file is scanned by DuckDB's own CSV reader (`read_csv`, every cell as text,
explicit columns, no sniffing), Parquet by `read_parquet`, Excel through openpyxl and pandas
(DuckDB's Excel reader is an extension fetched at run time, which this planner does not
do); the column mapping, the id mapping and the parsing of the cells are SQL applied while
the rows go into one table, file after file. Insertion order is kept, so a row's position
in the table gives its file and spreadsheet row without storing them. The checks and the
exclusions are SQL over that table (counts by kind, the first rows listed), and what the
fit needs is aggregated in SQL (`Records.monthly`, `daily`, `hourly`, `handling`). DuckDB
spills to a temporary folder beyond its memory limit, so tens of millions of rows fit in
well under 2 GB; nothing is kept in Python per row.

Two kinds of bad input (logformat's docstring lists the columns):

- **errors** (the run stops, exit 2, nothing written): a file that is missing, empty or not
  UTF-8; a required column missing or a mapping naming a column the export does not have;
  a cell that cannot be read (a date-time, `errands`, `channel`); a missing required value;
  an arrival outside the plausible range (before 2000 or after the scenario's horizon).
  Each is listed with file, spreadsheet row (header = row 1) and column.
- **exclusions** (counted by kind and reported with the first row of each kind; the rest
  is used): an unknown point or provider, times out of order (called before arriving,
  finished before called), an arrival outside the point's opening hours or on a public
  holiday, a row repeating an earlier one. More than `max_excluded` of the rows excluded is
  an error: such a log is more likely mis-mapped than dirty.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from planner.base import io
from planner.base.calendar import finnish_holidays, minutes
from planner.base.errors import Problem, ScenarioError
from planner.base.text import quantity
from planner.records.logformat import (
    COLUMNS,
    DATE_FORMATS,
    DATETIME_COLUMNS,
    OPTIONAL,
    REQUIRED,
    TIMESTAMP_FORMATS,
    Mapping,
    log_files,
)
from planner.scenario.schemas import WEEKDAYS, OverflowRow, Scenario

EARLIEST = dt.datetime(2000, 1, 1)
MAX_LISTED = 20  # errors listed one by one; the rest are counted

EXCLUSION_KINDS: tuple[tuple[str, str], ...] = (
    ("unknown_point", "point_id"),
    ("unknown_provider", "provider_id"),
    ("called_before_arrival", "called_at"),
    ("finished_before_called", "finished_at"),
    ("outside_opening_hours", "arrived_at"),
    ("duplicate", "arrived_at"),
)
EXCLUSION_WORDS = {
    "unknown_point": "the point is not in points.csv",
    "unknown_provider": "the provider is not in providers.csv",
    "called_before_arrival": "called before the ticket was drawn",
    "finished_before_called": "finished before called (or before arriving)",
    "outside_opening_hours": "arrived outside the point's opening hours or on a public holiday",
    "duplicate": "repeats an earlier row exactly (with seconds or call and finish times; minute-only rows may repeat)",
}


@dataclass(frozen=True)
class Exclusion:
    """Rows left out for one reason: how many, and where the first one is."""

    kind: str
    count: int
    file: str
    row: int
    column: str
    found: str

    def __str__(self) -> str:
        return (f"excluded {quantity(self.count, 'row')}: {EXCLUSION_WORDS[self.kind]} ({self.kind}); first: {self.file} row "
                f"{self.row}, column {self.column}: {self.found}")


@dataclass
class Records:
    """Valid visits in DuckDB table `visits`, with what was read and what was left out.

    `visits` columns: point_id, provider_id (text), arrived_at, called_at, finished_at
    (TIMESTAMP, local time; called/finished NULL when not recorded), errands (INTEGER ≥ 1),
    channel (counter | video | appointment), date (DATE), month ('YYYY-MM'), weekday
    ('mon'…'sun'), hour (0..23), wait_min and service_min (DOUBLE minutes, NULL when not
    recorded), abandoned (BOOLEAN: neither called nor finished).
    """

    con: duckdb.DuckDBPyConnection
    files: list[str]
    rows_read: int
    exclusions: list[Exclusion]
    events: tuple[OverflowRow, ...] = ()
    folder: Path | None = None
    notes: list[str] = field(default_factory=list)
    _period: tuple[str, str] | None = field(default=None, repr=False)

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a query on the records (table `visits`) and return it as a DataFrame."""
        return self.con.execute(sql, params or []).fetch_df()

    @property
    def rows_used(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM visits").fetchall()[0][0])

    def period(self) -> tuple[str, str]:
        """First and last month with a counter visit, 'YYYY-MM' (computed once: `visits` does not change)."""
        if self._period is None:
            first, last = self.con.execute("SELECT min(month), max(month) FROM visits "
                                           "WHERE channel = 'counter'").fetchall()[0]
            self._period = (str(first), str(last))
        return self._period

    def monthly(self) -> pd.DataFrame:
        """Counter customers per (point_id, provider_id, month): column `customers` (abandoned included)."""
        return self.df("SELECT point_id, provider_id, month, count(*)::BIGINT AS customers FROM visits "
                       "WHERE channel = 'counter' GROUP BY ALL ORDER BY ALL")

    def daily(self) -> pd.DataFrame:
        """Counter customers per (point_id, provider_id, date)."""
        return self.df("SELECT point_id, provider_id, date, count(*)::BIGINT AS customers FROM visits "
                       "WHERE channel = 'counter' GROUP BY ALL ORDER BY ALL")

    def hourly(self) -> pd.DataFrame:
        """Counter customers per (point_id, date, hour)."""
        return self.df("SELECT point_id, date, hour, count(*)::BIGINT AS customers FROM visits "
                       "WHERE channel = 'counter' GROUP BY ALL ORDER BY ALL")

    def handling(self) -> pd.DataFrame:
        """Handling time per provider from called → finished: records, mean_min, sd_min, multi_errand_share."""
        return self.df("SELECT provider_id, count(service_min)::BIGINT AS records, avg(service_min) AS mean_min, "
                       "stddev_samp(service_min) AS sd_min, avg(CASE WHEN errands > 1 THEN 1.0 ELSE 0.0 END) "
                       "AS multi_errand_share, count(*)::BIGINT AS customers FROM visits WHERE channel = 'counter' "
                       "GROUP BY ALL ORDER BY ALL")

    def channels(self) -> pd.DataFrame:
        return self.df("SELECT channel, count(*)::BIGINT AS visits FROM visits GROUP BY ALL ORDER BY ALL")

    def close(self) -> None:
        """Close DuckDB and delete its temporary folder."""
        try:
            self.con.close()
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)


def _header_of(path: Path) -> tuple[list[str] | None, str, list[Problem]]:
    """Column names and delimiter of a CSV file, or a problem (empty, not UTF-8)."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
    if not first.strip() or not first.strip(b"\xef\xbb\xbf").strip():
        return None, ",", [Problem(path.name, "the file is empty; expected a header row and one row per visit", row=1)]
    try:
        line = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        return None, ",", [Problem(path.name, "the header is not UTF-8 (the file looks like Windows-1252, e.g. an "
                                   "Excel 'CSV' export); expected UTF-8: in Excel use 'Save as → CSV UTF-8'", row=1)]
    delimiter = ";" if ";" in line and "," not in line else ("\t" if "\t" in line and "," not in line else ",")
    header = [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
    return header, delimiter, []




def _check_header(file: str, header: list[str], mapping: Mapping) -> list[Problem]:
    """A problem (row 1, the missing column) per required or mapped log column the header lacks."""
    problems = []
    for column in COLUMNS:
        parts = mapping.parts(column)
        missing = [part for part in parts if part not in header]
        if not missing:
            continue
        if len(parts) == 2 and len(missing) == 1:
            # One half of a "DATE + TIME" mapping is there: the other is named on its own.
            half = "date" if missing[0] == parts[0] else "clock time"
            problems.append(Problem(file, f"the mapping reads the {half} of {column} from {missing[0]!r} "
                                    f"({mapping.source(column)}), but the header has {', '.join(header) or '(nothing)'}; "
                                    "expected that column", row=1, column=missing[0]))
        elif column in REQUIRED or column in mapping.columns:
            source = mapping.source(column)
            how = f"the mapping names {source!r} for {column}" if column in mapping.columns else \
                f"required column {column!r} is missing"
            problems.append(Problem(file, f"{how}, but the header has {', '.join(header) or '(nothing)'}; expected "
                                    f"that column (or map another one with --map {column}=COLUMN)", row=1,
                                    column=missing[0]))
    return problems


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _formats(formats: tuple[str, ...]) -> str:
    return "[" + ", ".join(_literal(f) for f in formats) + "]"


def _stamp(cell: str) -> str:
    """A date-time from text. ISO casts directly (fast, and COALESCE evaluates the next only where it failed)."""
    return f"coalesce(try_cast({cell} AS TIMESTAMP), try_strptime({cell}, {_formats(TIMESTAMP_FORMATS)}))"


def _date(cell: str) -> str:
    return (f"coalesce(CAST(try_cast({cell} AS TIMESTAMP) AS DATE), "
            f"CAST(try_strptime({cell}, {_formats(DATE_FORMATS)}) AS DATE))")


def _clock(cell: str) -> str:
    """A clock time (9:12, 09:12:30, 9.12) as TIME, NULL when it is not one."""
    return f"try_cast(replace({cell}, '.', ':') AS TIME)"


def _value_case(cell: str, table: dict[str, str]) -> str:
    """The id of a mapped export value (`[values.COLUMN]`), else the value in lower case."""
    if not table:
        return f"lower({cell})"
    whens = " ".join(f"WHEN {_literal(source)} THEN {_literal(target)}" for source, target in sorted(table.items()))
    return f"CASE {cell} {whens} ELSE lower({cell}) END"


@dataclass(frozen=True)
class _Check:
    """An error condition on `parsed`: the log column (or export column) it names and the cell shown."""

    condition: str
    column: str
    shown: str | None  # a column of `parsed` holding the offending text; None = the value is missing
    message: str


def _parse_sql(source: str, header: list[str], mapping: Mapping, latest: dt.datetime) -> str:
    """SELECT turning one source's text columns into `parsed`'s columns.

    Typed values (point_id, provider_id, arrived_at, called_at, finished_at, errands_value,
    channel) and, only where a cell is bad, its text (`*_bad`) for the error listing;
    `arrived_text` keeps an arrival's text only when it is missing, unreadable or out of range.
    """
    def cell(name: str | None) -> str:
        if name is None or name not in header:
            return "NULL::VARCHAR"
        return f"NULLIF(trim(CAST({_quote(name)} AS VARCHAR)), '')"

    columns: dict[str, str] = {}
    columns["point_id"] = _value_case(cell(mapping.source("point_id")), mapping.values.get("point_id", {}))
    columns["provider_id"] = _value_case(cell(mapping.source("provider_id")), mapping.values.get("provider_id", {}))
    stamps: dict[str, str] = {}
    for column in DATETIME_COLUMNS:
        parts = mapping.parts(column)
        if len(parts) == 2:
            day, clock = cell(parts[0]), cell(parts[1])
            columns[f"{column}_date_bad"] = f"CASE WHEN {day} IS NOT NULL AND {_date(day)} IS NULL THEN {day} END"
            columns[f"{column}_time_bad"] = f"CASE WHEN {clock} IS NOT NULL AND {_clock(clock)} IS NULL THEN {clock} END"
            if column == "arrived_at":
                stamps[column] = f"({_date(day)} + {_clock(clock)})"
                text = f"CASE WHEN {day} IS NOT NULL OR {clock} IS NOT NULL THEN concat_ws(' ', {day}, {clock}) END"
            else:
                # No date of its own: the day of arrival. No clock time: not called (or not finished).
                stamps[column] = (f"CASE WHEN {clock} IS NOT NULL THEN coalesce({_date(day)}, "
                                  f"CAST({stamps['arrived_at']} AS DATE)) + {_clock(clock)} END")
                text = clock
        else:
            text = cell(parts[0])
            if column == "arrived_at":
                stamps[column] = _stamp(text)
            else:
                # A clock time alone (HH:MM) is that time on the day of arrival.
                stamps[column] = f"coalesce({_stamp(text)}, CAST({stamps['arrived_at']} AS DATE) + {_clock(text)})"
        columns[column] = stamps[column]
        if column == "arrived_at":
            columns["arrived_text"] = (f"CASE WHEN {stamps[column]} IS NULL OR {stamps[column]} < TIMESTAMP "
                                       f"'{EARLIEST:%Y-%m-%d}' OR {stamps[column]} > TIMESTAMP "
                                       f"'{latest:%Y-%m-%d %H:%M}' THEN {text} END")
        elif len(parts) == 1:
            columns[f"{column}_bad"] = f"CASE WHEN {text} IS NOT NULL AND {stamps[column]} IS NULL THEN {text} END"
    errands = cell(mapping.source("errands"))
    value = f"try_cast(replace({errands}, ',', '.') AS DOUBLE)"
    columns["errands_value"] = value
    columns["errands_bad"] = (f"CASE WHEN {errands} IS NOT NULL AND ({value} IS NULL OR {value} < 1 OR "
                              f"{value} <> floor({value})) THEN {errands} END")
    channel = cell(mapping.source("channel"))
    columns["channel"] = f"lower(coalesce({channel}, 'counter'))"
    columns["channel_bad"] = f"CASE WHEN lower(coalesce({channel}, 'counter')) NOT IN ('counter', 'video', 'appointment') " \
                             f"THEN coalesce({channel}, '') END"
    select = ",\n          ".join(f"{sql} AS {name}" for name, sql in columns.items())
    return f"SELECT {select}\n        FROM {source}"


def _checks(mapping: Mapping, latest: dt.datetime) -> list[_Check]:
    """Every unreadable or impossible cell, as conditions on `parsed` (see _parse_sql)."""
    formats = "a date-time such as 2014-03-05 09:12 or 5.3.2014 9:12"

    def named(column: str) -> str:
        """The export's own column name (what the user sees in their file), the log column beside it when mapped."""
        source = mapping.source(column)
        return column if source == column else f"{source} ({column})"

    checks = [
        _Check("point_id IS NULL", named("point_id"), None, "the value is missing; expected the point's id"),
        _Check("provider_id IS NULL", named("provider_id"), None, "the value is missing; expected the provider's id"),
    ]
    arrived = mapping.parts("arrived_at")
    if len(arrived) == 2:
        day, clock = arrived
        checks += [
            _Check("arrived_at_date_bad IS NOT NULL", day, "arrived_at_date_bad",
                   f"expected a date such as 2014-03-05 or 5.3.2014 (the date of arrived_at = {day} + {clock})"),
            _Check("arrived_at_time_bad IS NOT NULL", clock, "arrived_at_time_bad",
                   f"expected a clock time such as 9:12 or 09:12:30 (the time of arrived_at = {day} + {clock})"),
            _Check("arrived_text IS NULL AND arrived_at IS NULL", named("arrived_at"), None,
                   f"the value is missing; expected when the ticket was drawn ({day} and {clock})"),
        ]
    else:
        checks += [
            _Check("arrived_text IS NULL AND arrived_at IS NULL", named("arrived_at"), None,
                   "the value is missing; expected when the ticket was drawn"),
            _Check("arrived_text IS NOT NULL AND arrived_at IS NULL", named("arrived_at"), "arrived_text",
                   f"expected {formats}"),
        ]
    for column in ("called_at", "finished_at"):
        parts = mapping.parts(column)
        if len(parts) == 2:
            if len(arrived) == 1 or parts[0] != arrived[0]:  # the arrival's date column is checked once, above
                checks.append(_Check(f"{column}_date_bad IS NOT NULL", parts[0], f"{column}_date_bad",
                                     f"expected a date such as 2014-03-05 or 5.3.2014 (the date of {column} = "
                                     f"{parts[0]} + {parts[1]})"))
            checks.append(_Check(f"{column}_time_bad IS NOT NULL", parts[1], f"{column}_time_bad",
                                 f"expected a clock time such as 9:12 or 09:12:30 (the time of {column} = "
                                 f"{parts[0]} + {parts[1]})"))
        else:
            checks.append(_Check(f"{column}_bad IS NOT NULL", named(column), f"{column}_bad",
                                 f"expected {formats}, or a clock time HH:MM on the day of arrival"))
    checks += [
        _Check("errands_bad IS NOT NULL", named("errands"), "errands_bad", "expected a whole number of errands, 1 or more"),
        _Check("channel_bad IS NOT NULL", named("channel"), "channel_bad", "expected counter, video or appointment"),
        _Check("arrived_text IS NOT NULL AND arrived_at IS NOT NULL", named("arrived_at"), "arrived_text",
               f"is outside the plausible range {EARLIEST:%Y-%m-%d} … {latest:%Y-%m-%d} (before 2000, or after the "
               "scenario's horizon); expected a date of the records' period"),
    ]
    return checks


@dataclass
class _Positions:
    """Row positions in `parsed` (its rowid: insertion order is kept) back to file and spreadsheet row."""

    starts: list[int] = field(default_factory=list)  # first rowid of each file that has rows
    files: list[int] = field(default_factory=list)  # its index in `names`

    def add(self, file_index: int, start: int) -> None:
        self.starts.append(start)
        self.files.append(file_index)

    def where(self, position: int) -> tuple[int, int]:
        """(file index, spreadsheet row: header = 1) of a rowid."""
        k = bisect.bisect_right(self.starts, position) - 1
        return self.files[k], position - self.starts[k] + 2


def _problems_from(con: duckdb.DuckDBPyConnection, names: list[str], positions: _Positions,
                   checks: list[_Check]) -> list[Problem]:
    """Every unreadable or impossible cell, as problems (the first MAX_LISTED listed, the rest counted).

    One scan counts every kind; only the kinds found are listed (their first rows by position).
    """
    counts = con.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE {c.condition})" for c in checks)
                         + " FROM parsed").fetchall()[0]
    problems: list[Problem] = []
    for check, count in zip(checks, counts, strict=True):
        if not count:
            continue
        shown = check.shown or "NULL"
        listed = con.execute(f"SELECT rowid, {shown} FROM parsed WHERE {check.condition} ORDER BY rowid "
                             f"LIMIT {MAX_LISTED}").fetchall()
        first_file = None
        for position, found in listed:
            file_index, row = positions.where(int(position))
            first_file = names[file_index] if first_file is None else first_file
            text = check.message if check.shown is None else f"found {found!r}; {check.message}"
            if len(problems) < MAX_LISTED:
                problems.append(Problem(names[file_index], text, row=row, column=check.column))
        if count > len(listed):
            problems.append(Problem(first_file or names[0], f"… and {quantity(count - len(listed), 'more row')} with the same "
                                    f"problem in column {check.column}", column=check.column))
    return problems


def _reference_tables(con: duckdb.DuckDBPyConnection, scenario: Scenario, years: range) -> None:
    """Small tables the checks join: opening hours by ISO weekday (1 = Monday), holidays, known ids."""
    frames = {
        "opening": pd.DataFrame([(h.point_id, WEEKDAYS.index(h.weekday) + 1, minutes(h.opens), minutes(h.closes))
                                 for h in scenario.opening_hours], columns=["point_id", "dow", "opens", "closes"]),
        "holiday": pd.DataFrame({"date": pd.to_datetime(sorted(finnish_holidays(years.start, years.stop - 1))).date}),
        "known_point": pd.DataFrame({"point_id": [p.point_id for p in scenario.points]}),
        "known_provider": pd.DataFrame({"provider_id": [q.provider_id for q in scenario.providers]}),
    }
    for name, frame in frames.items():
        con.register(f"{name}_frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
        con.unregister(f"{name}_frame")


def _line_of(message: str) -> int | None:
    found = re.search(r"Line: (\d+)", message)
    return int(found.group(1)) if found else None


def _source(con: duckdb.DuckDBPyConnection, path: Path, delimiter: str, header: list[str] | None
            ) -> tuple[str, list[str]]:
    """The SQL source of one file's rows (all cells as text) and its header.

    CSV: DuckDB's `read_csv` with the columns given (no sniffing: every cell text, the
    delimiter found in the header). Parquet: `read_parquet`. Excel: openpyxl through pandas,
    registered as an Arrow table (`excel_rows`).
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        frame.columns = [str(c).strip() for c in frame.columns]
        con.register("excel_rows", pa.Table.from_pandas(frame, preserve_index=False))
        return "excel_rows", list(frame.columns)
    if suffix == ".parquet":
        source = f"read_parquet({_literal(str(path))})"
        names = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        return source, names
    assert header is not None
    types = "{" + ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in header) + "}"
    source = (f"read_csv({_literal(str(path))}, header = true, auto_detect = false, columns = {types}, "
              f"delim = {_literal(delimiter)}, quote = '\"', escape = '\"', encoding = 'utf-8')")
    return source, header


def read_records(paths: list[Path], scenario: Scenario, mapping: Mapping | None = None,
                 max_excluded: float = 0.05, memory_limit: str = "1GB", threads: int = 2) -> Records:
    """Read visit logs (files or folders; CSV with `,` or `;`, Excel, Parquet) against a scenario.

    `scenario` gives the known points, providers and opening hours and the latest plausible
    date (its horizon end). Returns Records whose DuckDB table `visits` holds the valid rows;
    the caller closes it. Raises ScenarioError listing file, row and column of each error
    (see the module docstring), or when more than `max_excluded` (share 0..1) of the rows
    are excluded. Memory is bounded by `memory_limit` (DuckDB spills to a temporary folder).
    """
    mapping = mapping or Mapping()
    files, event_files, problems = log_files(paths)
    if problems:
        raise ScenarioError(problems)
    events, event_problems = read_events(event_files, scenario)
    if event_problems:
        raise ScenarioError(event_problems)
    latest = dt.datetime.combine(scenario.horizon_end, dt.time(23, 59))
    folder = Path(tempfile.mkdtemp(prefix="planner-records-"))
    con = duckdb.connect(str(folder / "records.duckdb"))
    try:
        # Insertion order kept: a row's rowid in `parsed` is its place in the files (see _Positions).
        con.execute(f"SET memory_limit = '{memory_limit}'; SET threads = {threads}; "
                    f"SET temp_directory = '{folder / 'spill'}'; SET preserve_insertion_order = true; "
                    "SET enable_progress_bar = false")
        names: list[str] = []
        positions = _Positions()
        rows_read = 0
        created = False
        for file_index, path in enumerate(files):
            names.append(path.name)
            header, delimiter = None, ","
            if path.suffix.lower() in (".csv", ".txt"):
                header, delimiter, header_problems = _header_of(path)
                if header_problems:
                    problems += header_problems
                    continue
            try:
                source, header = _source(con, path, delimiter, header)
                header_problems = _check_header(path.name, header, mapping)
                if header_problems:
                    problems += header_problems
                    continue
                select = _parse_sql(source, header, mapping, latest)
                if not created:
                    con.execute(f"CREATE TABLE parsed AS {select} LIMIT 0")
                    created = True
                added = int(con.execute(f"INSERT INTO parsed {select}").fetchall()[0][0])
                if source == "excel_rows":
                    con.unregister("excel_rows")
            except (duckdb.Error, ValueError, OSError) as exc:
                message = str(exc).splitlines()[0]
                text = str(exc)
                if "unicode" in text.lower() or "utf-8" in text.lower() or "utf8" in text.lower():
                    message = "a cell is not UTF-8 text; expected a UTF-8 file ('Save as → CSV UTF-8' in Excel)"
                elif "Expected Number of Columns" in text:
                    found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
                    message = (f"the row has {found.group(2)} cells; expected {found.group(1)}, as many as the header"
                               if found else message)
                problems.append(Problem(path.name, f"cannot be read: {message}", row=_line_of(text)))
                continue
            if added == 0:
                problems.append(Problem(path.name, "the file has a header but no visits; expected one row per "
                                        "customer", row=2))
                continue
            positions.add(file_index, rows_read)
            rows_read += added
        if problems or not created:
            raise ScenarioError(problems or [Problem(", ".join(names), "no visits found; expected visit rows")])
        problems = _problems_from(con, names, positions, _checks(mapping, latest))
        if problems:
            raise ScenarioError(problems)
        exclusions = _classify(con, scenario, names, positions)
        excluded = sum(e.count for e in exclusions)
        if rows_read and excluded / rows_read > max_excluded:
            raise ScenarioError([Problem(e.file, str(e), row=e.row, column=e.column) for e in exclusions] + [Problem(
                ", ".join(names), f"{excluded} of {rows_read} rows ({excluded / rows_read:.1%}) would be excluded, more "
                f"than the {max_excluded:.0%} allowed (--max-excluded); expected a log of this scenario's points "
                "and providers (check the mapping of columns and ids)")])
        con.execute("""
            CREATE TABLE visits AS
            SELECT point_id, provider_id, arrived_at, called_at, finished_at,
                   CAST(coalesce(errands_value, 1) AS INTEGER) AS errands, channel,
                   CAST(arrived_at AS DATE) AS date, strftime(arrived_at, '%Y-%m') AS month, weekday,
                   hour(arrived_at) AS hour,
                   epoch(called_at - arrived_at) / 60.0 AS wait_min,
                   epoch(finished_at - called_at) / 60.0 AS service_min,
                   (called_at IS NULL AND finished_at IS NULL) AS abandoned
            FROM checked WHERE excluded IS NULL
        """)
        con.execute("DROP VIEW checked; DROP TABLE repeated; DROP TABLE parsed")
        return Records(con, names, rows_read, exclusions, events, folder)
    except BaseException:
        con.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _classify(con: duckdb.DuckDBPyConnection, scenario: Scenario, names: list[str], positions: _Positions
              ) -> list[Exclusion]:
    """View `checked`: `parsed` with `pos` (rowid), `weekday` and `excluded` (a kind or NULL); the exclusions by kind."""
    first_year, last_year = con.execute("SELECT year(min(arrived_at)), year(max(arrived_at)) FROM parsed").fetchall()[0]
    _reference_tables(con, scenario, range(int(first_year), int(last_year) + 1))
    row = "point_id, provider_id, arrived_at, called_at, finished_at, errands_value, channel"
    # Exact repeats: a hash aggregate finds the few values seen more than once; among their rows
    # (a handful) every one after the first in file order is a duplicate. A row that says no more than
    # the minute a ticket was drawn (no seconds, no call or finish time) is not one: two customers of
    # one provider often draw tickets in the same minute, and a minute-only export cannot tell them apart.
    telling = "(called_at IS NOT NULL OR finished_at IS NOT NULL OR second(arrived_at) <> 0)"
    con.execute(f"""
        CREATE TABLE repeated AS
        SELECT pos FROM (
          SELECT rowid AS pos, row_number() OVER (PARTITION BY {row} ORDER BY rowid) AS n
          FROM parsed WHERE {telling}
            AND hash({row}) IN (SELECT hash({row}) AS h FROM parsed GROUP BY h HAVING count(*) > 1)
        ) WHERE n > 1
    """)
    weekday_case = "CASE isodow(p.arrived_at) " + " ".join(
        f"WHEN {n + 1} THEN '{d}'" for n, d in enumerate(WEEKDAYS)) + " END"
    clock = "hour(p.arrived_at) * 60 + minute(p.arrived_at)"
    con.execute(f"""
        CREATE VIEW checked AS
        SELECT p.rowid AS pos, p.*, {weekday_case} AS weekday,
          CASE
            WHEN kp.point_id IS NULL THEN 'unknown_point'
            WHEN kq.provider_id IS NULL THEN 'unknown_provider'
            WHEN p.called_at < p.arrived_at THEN 'called_before_arrival'
            WHEN p.finished_at < coalesce(p.called_at, p.arrived_at) THEN 'finished_before_called'
            WHEN o.point_id IS NULL OR h.date IS NOT NULL OR {clock} < o.opens OR {clock} >= o.closes
              THEN 'outside_opening_hours'
            WHEN d.pos IS NOT NULL THEN 'duplicate'
          END AS excluded
        FROM parsed p
        LEFT JOIN known_point kp ON kp.point_id = p.point_id
        LEFT JOIN known_provider kq ON kq.provider_id = p.provider_id
        LEFT JOIN opening o ON o.point_id = p.point_id AND o.dow = isodow(p.arrived_at)
        LEFT JOIN holiday h ON h.date = CAST(p.arrived_at AS DATE)
        LEFT JOIN repeated d ON d.pos = p.rowid
    """)
    found = {kind: (int(count), int(first)) for kind, count, first in con.execute(
        "SELECT excluded, count(*), min(pos) FROM checked WHERE excluded IS NOT NULL GROUP BY excluded").fetchall()}
    shown = {"point_id": "point_id", "provider_id": "provider_id", "called_at": "CAST(called_at AS VARCHAR)",
             "finished_at": "CAST(finished_at AS VARCHAR)", "arrived_at": "CAST(arrived_at AS VARCHAR)"}
    exclusions = []
    for kind, column in EXCLUSION_KINDS:
        if kind not in found:
            continue
        count, first = found[kind]
        value = con.execute(f"SELECT {shown[column]} FROM parsed WHERE rowid = ?", [first]).fetchall()[0][0]
        file_index, row = positions.where(first)
        exclusions.append(Exclusion(kind, count, names[file_index], row, column, repr(value)))
    return exclusions


def read_events(paths: list[Path], scenario: Scenario) -> tuple[tuple[OverflowRow, ...], list[Problem]]:
    """Known one-off events of the records' period (events.csv: overflow_events.csv columns)."""
    from planner.scenario.loading import parse_table

    rows: list[OverflowRow] = []
    problems: list[Problem] = []
    offices = {o.office_id for o in scenario.offices}
    points = {p.point_id for p in scenario.points}
    for path in paths:
        raw, read_problems = io.read_csv(path)
        problems += read_problems
        if raw is None:
            continue
        parsed, row_problems = parse_table(raw, OverflowRow)
        problems += row_problems
        for number, row in parsed:
            if row.office_id not in offices:
                problems.append(Problem(raw.file, f"unknown office {row.office_id!r}; expected an office_id of "
                                        "offices.csv", row=number, column="office_id"))
            elif row.point_id not in points:
                problems.append(Problem(raw.file, f"unknown point {row.point_id!r}; expected a point_id of points.csv",
                                        row=number, column="point_id"))
            else:
                rows.append(row)
    return tuple(rows), problems


def describe(records: Records) -> list[str]:
    """Lines for stderr and the report: rows read and used, and each exclusion with its first row."""
    lines = [f"read {quantity(records.rows_read, 'row')} from {quantity(len(records.files), 'file')}; "
             f"{records.rows_used} used"]
    lines += [str(e) for e in records.exclusions]
    others = records.channels()
    others = others[others["channel"] != "counter"]
    if len(others):
        lines.append("not counter demand (kept out of the fit): " + ", ".join(
            f"{r.channel} {r.visits}" for r in others.itertuples()))
    return lines


__all__ = ["Exclusion", "Records", "read_records", "describe", "OPTIONAL"]
