"""Read visit logs into a DuckDB table in bounded memory, with every bad row accounted for.

Files are streamed in blocks (pyarrow's CSV reader, openpyxl through pandas for Excel,
pyarrow for Parquet) into a DuckDB database in a temporary folder, where the cells are
parsed with SQL; DuckDB spills to disk beyond its memory limit, so tens of millions of
rows fit in well under 2 GB. Nothing is kept in Python per row.

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

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from planner.base import io
from planner.base.calendar import finnish_holidays, minutes
from planner.base.errors import Problem, ScenarioError
from planner.records.logformat import COLUMNS, OPTIONAL, REQUIRED, TIMESTAMP_FORMATS, Mapping, log_files
from planner.scenario.schemas import WEEKDAYS, OverflowRow, Scenario

EARLIEST = dt.datetime(2000, 1, 1)
MAX_LISTED = 20  # errors listed one by one; the rest are counted
BLOCK_BYTES = 16 << 20

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
    "duplicate": "repeats an earlier row exactly",
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
        return (f"excluded {self.count} row(s): {EXCLUSION_WORDS[self.kind]} ({self.kind}); first: {self.file} row "
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

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a query on the records (table `visits`) and return it as a DataFrame."""
        return self.con.execute(sql, params or []).fetch_df()

    @property
    def rows_used(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM visits").fetchall()[0][0])

    def period(self) -> tuple[str, str]:
        """First and last month with a counter visit, 'YYYY-MM'."""
        first, last = self.con.execute("SELECT min(month), max(month) FROM visits WHERE channel = 'counter'").fetchall()[0]
        return str(first), str(last)

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
    import csv

    header = [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
    return header, delimiter, []


def _check_header(file: str, header: list[str], mapping: Mapping) -> list[Problem]:
    problems = []
    for column in COLUMNS:
        source = mapping.source(column)
        if source in header:
            continue
        if column in REQUIRED or column in mapping.columns:
            how = f"the mapping names {source!r} for {column}" if column in mapping.columns else \
                f"required column {column!r} is missing"
            problems.append(Problem(file, f"{how}, but the header has {', '.join(header) or '(nothing)'}; expected "
                                    f"that column (or map another one with --map {column}=COLUMN)", row=1, column=source))
    return problems


def _batches(path: Path, header: list[str] | None, delimiter: str) -> tuple[object, list[Problem]]:
    """An iterator of pyarrow RecordBatches (all cells as text) for one file."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        frame.columns = [str(c).strip() for c in frame.columns]
        return iter(pa.Table.from_pandas(frame, preserve_index=False).to_batches(1 << 16)), []
    if suffix == ".parquet":
        parquet = pq.ParquetFile(path)

        def parquet_batches():
            for batch in parquet.iter_batches(batch_size=1 << 17):
                yield pa.RecordBatch.from_arrays([c.cast(pa.string()) for c in batch.columns], names=batch.schema.names)

        return parquet_batches(), []
    assert header is not None
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=True, encoding="utf-8"),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    return reader, []


def _columns_of(batch_names: list[str], mapping: Mapping) -> dict[str, str | None]:
    return {column: (mapping.source(column) if mapping.source(column) in batch_names else None) for column in COLUMNS}


def _parse_sql(sources: dict[str, str | None]) -> str:
    """SELECT turning one text batch (`batch`, plus _file/_row) into typed columns and the raw text of bad cells."""
    formats = "[" + ", ".join(f"'{f}'" for f in TIMESTAMP_FORMATS) + "]"

    def text(column: str) -> str:
        source = sources[column]
        if source is None:
            return "NULL::VARCHAR"
        return "NULLIF(trim(\"" + source.replace('"', '""') + "\"), '')"

    def stamp(cell: str) -> str:
        # ISO text casts directly (fast); the other formats go through strptime.
        return f"coalesce(try_cast({cell} AS TIMESTAMP), try_strptime({cell}, {formats}))"

    arrived = stamp(text('arrived_at'))

    def later(column: str) -> str:
        cell = text(column)
        return (f"coalesce({stamp(cell)}, "
                f"CAST({arrived} AS DATE) + try_cast(replace({cell}, '.', ':') AS TIME))")

    return f"""
        SELECT _file, _row,
          coalesce(vp.target, lower({text('point_id')})) AS point_id,
          coalesce(vq.target, lower({text('provider_id')})) AS provider_id,
          {arrived} AS arrived_at,
          {later('called_at')} AS called_at,
          {later('finished_at')} AS finished_at,
          try_cast(replace({text('errands')}, ',', '.') AS DOUBLE) AS errands_value,
          lower(coalesce({text('channel')}, 'counter')) AS channel,
          {text('arrived_at')} AS arrived_text, {text('called_at')} AS called_text,
          {text('finished_at')} AS finished_text, {text('errands')} AS errands_text,
          {text('channel')} AS channel_text
        FROM batch
        LEFT JOIN value_map vp ON vp.col = 'point_id' AND vp.source = {text('point_id')}
        LEFT JOIN value_map vq ON vq.col = 'provider_id' AND vq.source = {text('provider_id')}
    """


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


def _problems_from(con: duckdb.DuckDBPyConnection, files: list[str], latest: dt.datetime) -> list[Problem]:
    """Every unreadable or impossible cell, as problems (the first MAX_LISTED listed, the rest counted)."""
    formats = "a date-time such as 2014-03-05 09:12 or 5.3.2014 9:12"
    checks = [
        ("point_id IS NULL", "point_id", "NULL", "the value is missing; expected the point's id"),
        ("provider_id IS NULL", "provider_id", "NULL", "the value is missing; expected the provider's id"),
        ("arrived_text IS NULL", "arrived_at", "NULL", "the value is missing; expected when the ticket was drawn"),
        ("arrived_text IS NOT NULL AND arrived_at IS NULL", "arrived_at", "arrived_text", f"expected {formats}"),
        ("called_text IS NOT NULL AND called_at IS NULL", "called_at", "called_text",
         f"expected {formats}, or a clock time HH:MM on the day of arrival"),
        ("finished_text IS NOT NULL AND finished_at IS NULL", "finished_at", "finished_text",
         f"expected {formats}, or a clock time HH:MM on the day of arrival"),
        ("errands_text IS NOT NULL AND (errands_value IS NULL OR errands_value < 1 OR errands_value <> floor(errands_value))",
         "errands", "errands_text", "expected a whole number of errands, 1 or more"),
        ("channel NOT IN ('counter', 'video', 'appointment')", "channel", "channel_text",
         "expected counter, video or appointment"),
        (f"arrived_at < TIMESTAMP '{EARLIEST:%Y-%m-%d}' OR arrived_at > TIMESTAMP '{latest:%Y-%m-%d %H:%M}'",
         "arrived_at", "arrived_text", f"is outside the plausible range {EARLIEST:%Y-%m-%d} … {latest:%Y-%m-%d} "
         "(before 2000, or after the scenario's horizon); expected a date of the records' period"),
    ]
    problems: list[Problem] = []
    total = 0
    for condition, column, shown, message in checks:
        count = con.execute(f"SELECT count(*) FROM parsed WHERE {condition}").fetchall()[0][0]
        if not count:
            continue
        total += count
        listed = con.execute(f"SELECT _file, _row, {shown} FROM parsed WHERE {condition} ORDER BY _file, _row "
                             f"LIMIT {MAX_LISTED}").fetchall()
        for file_index, row, found in listed:
            text = message if found is None or shown == "NULL" else f"found {found!r}; {message}"
            if len(problems) < MAX_LISTED:
                problems.append(Problem(files[file_index], text, row=int(row), column=column))
        if count > len(listed):
            problems.append(Problem(files[listed[0][0]], f"… and {count - len(listed)} more row(s) with the same problem "
                                    f"in column {column}", column=column))
    return problems


def _opening_table(con: duckdb.DuckDBPyConnection, scenario: Scenario, years: range) -> None:
    frames = {
        "opening": pd.DataFrame([(h.point_id, h.weekday, minutes(h.opens), minutes(h.closes))
                                 for h in scenario.opening_hours], columns=["point_id", "weekday", "opens", "closes"]),
        "holiday": pd.DataFrame({"date": pd.to_datetime(sorted(finnish_holidays(years.start, years.stop - 1))).date}),
        "known_point": pd.DataFrame({"point_id": [p.point_id for p in scenario.points]}),
        "known_provider": pd.DataFrame({"provider_id": [q.provider_id for q in scenario.providers]}),
    }
    for name, frame in frames.items():
        con.register(f"{name}_frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
        con.unregister(f"{name}_frame")


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
    folder = Path(tempfile.mkdtemp(prefix="planner-records-"))
    con = duckdb.connect(str(folder / "records.duckdb"))
    try:
        con.execute(f"SET memory_limit = '{memory_limit}'; SET threads = {threads}; "
                    f"SET temp_directory = '{folder / 'spill'}'; SET preserve_insertion_order = false; "
                    "SET enable_progress_bar = false")
        values = pd.DataFrame([(col, source, target) for col, table in mapping.values.items()
                               for source, target in table.items()], columns=["col", "source", "target"])
        con.execute("CREATE TABLE value_map (col VARCHAR, source VARCHAR, target VARCHAR)")
        if len(values):
            con.register("values_frame", values)
            con.execute("INSERT INTO value_map SELECT * FROM values_frame")
            con.unregister("values_frame")
        names: list[str] = []
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
                batches, _ = _batches(path, header, delimiter)
                first_row = 2
                seen_header = False
                for batch in batches:
                    if not seen_header:
                        seen_header = True
                        header_problems = _check_header(path.name, list(batch.schema.names), mapping)
                        if header_problems:
                            problems += header_problems
                            break
                        sources = _columns_of(list(batch.schema.names), mapping)
                        sql = _parse_sql(sources)
                    n = batch.num_rows
                    if n == 0:
                        continue
                    table = pa.Table.from_batches([batch]).append_column(
                        "_file", pa.array([file_index] * n, pa.int32())).append_column(
                        "_row", pa.array(range(first_row, first_row + n), pa.int64()))
                    first_row += n
                    con.register("batch", table)
                    if not created:
                        con.execute(f"CREATE TABLE parsed AS {sql}")
                        created = True
                    else:
                        con.execute(f"INSERT INTO parsed {sql}")
                    con.unregister("batch")
                if not seen_header and header is not None:
                    problems += _check_header(path.name, header, mapping)
                if first_row == 2 and not any(p.file == path.name for p in problems):
                    problems.append(Problem(path.name, "the file has a header but no visits; expected one row per "
                                            "customer", row=2))
                rows_read += first_row - 2
            except (pa.ArrowInvalid, ValueError, OSError) as exc:
                message = str(exc).splitlines()[0]
                if "UTF8" in message or "utf-8" in message.lower():
                    message = "a cell is not UTF-8 text; expected a UTF-8 file ('Save as → CSV UTF-8' in Excel)"
                problems.append(Problem(path.name, f"cannot be read: {message}"))
        if problems or not created:
            raise ScenarioError(problems or [Problem(", ".join(names), "no visits found; expected visit rows")])
        latest = dt.datetime.combine(scenario.horizon_end, dt.time(23, 59))
        problems = _problems_from(con, names, latest)
        if problems:
            raise ScenarioError(problems)
        first_year, last_year = con.execute("SELECT year(min(arrived_at)), year(max(arrived_at)) FROM parsed").fetchall()[0]
        _opening_table(con, scenario, range(int(first_year), int(last_year) + 1))
        weekday_case = "CASE isodow(p.arrived_at) " + " ".join(
            f"WHEN {n + 1} THEN '{d}'" for n, d in enumerate(WEEKDAYS)) + " END"
        # Rows repeating an earlier one: a hash aggregate finds the repeated values and their first row.
        con.execute("""
            CREATE TABLE repeated AS
            SELECT point_id, provider_id, arrived_at, called_at, finished_at, errands_value, channel,
                   arg_min(_file, _file * 10000000000 + _row) AS first_file,
                   arg_min(_row, _file * 10000000000 + _row) AS first_row
            FROM parsed GROUP BY ALL HAVING count(*) > 1
        """)
        con.execute(f"""
            CREATE TABLE checked AS
            SELECT p.*, {weekday_case} AS weekday,
              CASE
                WHEN kp.point_id IS NULL THEN 'unknown_point'
                WHEN kq.provider_id IS NULL THEN 'unknown_provider'
                WHEN p.called_at < p.arrived_at THEN 'called_before_arrival'
                WHEN p.finished_at < coalesce(p.called_at, p.arrived_at) THEN 'finished_before_called'
                WHEN o.point_id IS NULL OR h.date IS NOT NULL
                     OR hour(p.arrived_at) * 60 + minute(p.arrived_at) < o.opens
                     OR hour(p.arrived_at) * 60 + minute(p.arrived_at) >= o.closes THEN 'outside_opening_hours'
                WHEN d.first_file IS NOT NULL AND (p._file, p._row) <> (d.first_file, d.first_row) THEN 'duplicate'
              END AS excluded
            FROM parsed p
            LEFT JOIN repeated d ON d.point_id IS NOT DISTINCT FROM p.point_id
              AND d.provider_id IS NOT DISTINCT FROM p.provider_id AND d.arrived_at IS NOT DISTINCT FROM p.arrived_at
              AND d.called_at IS NOT DISTINCT FROM p.called_at AND d.finished_at IS NOT DISTINCT FROM p.finished_at
              AND d.errands_value IS NOT DISTINCT FROM p.errands_value AND d.channel IS NOT DISTINCT FROM p.channel
            LEFT JOIN known_point kp ON kp.point_id = p.point_id
            LEFT JOIN known_provider kq ON kq.provider_id = p.provider_id
            LEFT JOIN opening o ON o.point_id = p.point_id AND o.weekday = {weekday_case}
            LEFT JOIN holiday h ON h.date = CAST(p.arrived_at AS DATE)
        """)
        con.execute("DROP TABLE parsed; DROP TABLE repeated")
        exclusions = []
        for kind, column in EXCLUSION_KINDS:
            count = con.execute("SELECT count(*) FROM checked WHERE excluded = ?", [kind]).fetchall()[0][0]
            if not count:
                continue
            shown = {"point_id": "point_id", "provider_id": "provider_id", "called_at": "called_text",
                     "finished_at": "finished_text", "arrived_at": "arrived_text"}[column]
            file_index, row, found = con.execute(f"SELECT _file, _row, {shown} FROM checked WHERE excluded = ? "
                                                 "ORDER BY _file, _row LIMIT 1", [kind]).fetchall()[0]
            exclusions.append(Exclusion(kind, int(count), names[file_index], int(row), column, repr(found)))
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
        con.execute("DROP TABLE checked")
        return Records(con, names, rows_read, exclusions, events, folder)
    except BaseException:
        con.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise


def describe(records: Records) -> list[str]:
    """Lines for stderr and the report: rows read and used, and each exclusion with its first row."""
    lines = [f"read {records.rows_read} rows from {len(records.files)} file(s); {records.rows_used} used"]
    lines += [str(e) for e in records.exclusions]
    others = records.channels()
    others = others[others["channel"] != "counter"]
    if len(others):
        lines.append("not counter demand (kept out of the fit): " + ", ".join(
            f"{r.channel} {r.visits}" for r in others.itertuples()))
    return lines


__all__ = ["Exclusion", "Records", "read_records", "describe", "OPTIONAL"]
