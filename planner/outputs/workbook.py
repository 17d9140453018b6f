"""plan.xlsx: one sheet per table that people can use as it opens.

Bold headers, a filter on every column, frozen header row (and first column), widths from the
content; one value per cell with its real type: dates as dates, times as times, months as
dates (the 1st, shown as the month), hours as numbers with two decimals, euros with the €
sign and two decimals, probabilities as per cent, kilometres with one decimal, counts,
penalty points and objectives as whole numbers where whole (a trial read "132,00" km and
"18256,00" points), no float noise (values rounded to 6 decimals). A column empty by design
(no samples run, no car-pooling, no shift with a break) is left out, not shown blank. Headers and
sheet names in the report's language (planner/outputs/i18n.py), and so are the English values of closed
lists (an advisor's role, a plan's name, access.csv's reasons: Words.cells); formats are chosen from
the CSV column name, so a translated header keeps its format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.base import io
from planner.outputs.i18n import Words

DATE_FORMAT = "yyyy-mm-dd"
DATE_FORMATS = {"fi": "d.m.yyyy", "sv": "yyyy-mm-dd", "en": "yyyy-mm-dd"}
MONTH_FORMAT = "yyyy-mm"
TIME_FORMAT = "hh:mm"
HOURS_FORMAT = "0.00"
EURO_FORMAT = '#,##0.00 "€"'
PERCENT_FORMAT = "0%"
NUMBER_FORMAT = "0.00"
INTEGER_FORMAT = "0"
KM_FORMAT = "0.0"
# Columns whose whole values are shown without decimals cell by cell (a fractional one keeps its column's format):
# distances, and penalty points (the roster's and the plans' objectives, bounds, weights, breaches' amounts).
WHOLE_WHERE_WHOLE = {"km", "penalty", "objective", "bound", "weight", "amount", "points"}
MONTH_TEXT = re.compile(r"^\d{4}-\d{2}$")
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
WRAP = Alignment(wrap_text=True, vertical="top")


def as_dates(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """ISO date text → dates, so the spreadsheet sorts and filters them as dates."""
    return frame.assign(**{c: pd.to_datetime(frame[c]).dt.date for c in columns if c in frame})


def as_times(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """"HH:MM" text → times of day; empty cells stay empty."""
    def parse(value: object) -> object:
        if isinstance(value, str) and len(value) == 5 and value[2] == ":":
            return dt.time(int(value[:2]) % 24, int(value[3:]))
        return value if isinstance(value, dt.time) else None
    return frame.assign(**{c: frame[c].map(parse) for c in columns if c in frame})


def as_months(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """"YYYY-MM" text → the month's first day, shown as the month."""
    def parse(value: object) -> object:
        if isinstance(value, str) and MONTH_TEXT.match(value):
            return dt.date(int(value[:4]), int(value[5:]), 1)
        return value
    return frame.assign(**{c: frame[c].map(parse) for c in columns if c in frame})


TIME_COLUMNS = ["start", "end", "break_start", "break_end", "depart", "arrive", "leave", "return"]
DATE_COLUMNS = ["date", "week_start", "outreach_from", "outreach_to", "arrivals_from", "arrivals_to"]


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates, times and months from their CSV text, whatever table it is."""
    return as_months(as_times(as_dates(frame, [c for c in DATE_COLUMNS if c in frame and frame[c].dtype == object]),
                              TIME_COLUMNS), [c for c in frame.columns if str(c) == "month" or str(c).endswith("_month")])


def _cell(value: object) -> object:
    """Dates stay dates, numbers stay numbers without float noise, executable text is neutralised."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return round(value, 6)
    return io.neutralise_formula(value)


def number_format(column: str, values: pd.Series, lang: str = "en") -> str | None:
    """The cell format of a column, from its CSV name first, then from its values."""
    name = column.lower()
    sample = next((v for v in values.head(200) if v is not None and v == v), None)
    if (name == "month" or name.endswith("_month")) and isinstance(sample, dt.date):
        return MONTH_FORMAT
    if pd.api.types.is_datetime64_any_dtype(values) or isinstance(sample, dt.date):
        return DATE_FORMATS.get(lang, DATE_FORMAT)
    if isinstance(sample, dt.time):
        return TIME_FORMAT
    if isinstance(sample, bool) or not isinstance(sample, int | float) or sample is None:
        return None
    if "eur" in name.split("_") or name.endswith("_eur") or "_eur_" in name:
        return EURO_FORMAT
    if name.startswith("probability"):
        return PERCENT_FORMAT
    if "hours" in name.split("_"):
        return HOURS_FORMAT
    if "km" in name.split("_"):
        return KM_FORMAT
    if pd.api.types.is_integer_dtype(values) or all(float(v).is_integer() for v in values.head(200) if v == v):
        return INTEGER_FORMAT
    return NUMBER_FORMAT


def whole_where_whole(column: str) -> bool:
    """Whether a column's whole values are shown as whole numbers cell by cell (WHOLE_WHERE_WHOLE)."""
    return bool(WHOLE_WHERE_WHOLE & set(column.lower().split("_")))


def empty_by_design(values: pd.Series) -> bool:
    """A column with no value in any row (None, NaN or ""): the probability without samples, car-pooling when it is
    off, a break's start and end when no shift has one. A sheet without rows keeps its columns as headers."""
    return len(values) > 0 and all(v is None or v == "" or (isinstance(v, float) and v != v) for v in values)


def write_workbook(sheets: Mapping[str, pd.DataFrame], target: Path, lang: str = "en", words: Words | None = None,
                   frozen_columns: int = 1) -> Path:
    """Every sheet of `sheets` (name → table with CSV column names) into `target`, formatted (module docstring)."""
    words = words or Words(lang)
    # Write-only mode streams rows to disk: a national plan's sheets have hundreds of thousands.
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, frame in sheets.items():
        frame = typed(words.cells(frame))  # a role, a plan, a reason: in the workbook's language, as in the report
        frame = frame.drop(columns=[c for c in frame.columns if empty_by_design(frame[c])])
        sheet = book.create_sheet(name[:31])
        columns = list(frame.columns)
        sheet.freeze_panes = f"{get_column_letter(min(frozen_columns, len(columns) - 1) + 1)}2" if len(columns) > 1 \
            else "A2"
        formats = [number_format(str(c), frame[c], words.lang) for c in columns]
        whole = [whole_where_whole(str(c)) and f in (NUMBER_FORMAT, KM_FORMAT) for c, f in zip(columns, formats,
                                                                                              strict=True)]
        headers = [words.column(str(c)) for c in columns]
        for index, column in enumerate(columns, start=1):
            sample = [len(headers[index - 1]) + 2] + [len(str(v)) for v in frame[column].head(200)]
            sheet.column_dimensions[get_column_letter(index)].width = min(45, max(8, max(sample) + 2))
        if len(columns):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(frame), 1) + 1}"
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in frame.itertuples(index=False):
            cells = []
            for value, fmt, whole_shown in zip(row, formats, whole, strict=True):
                value = _cell(value)
                if whole_shown and isinstance(value, int | float) and float(value).is_integer():
                    fmt = INTEGER_FORMAT
                if isinstance(value, str) and "\n" in value:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.alignment = WRAP
                    value = cell
                elif fmt is not None and value is not None and not isinstance(value, str):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = fmt
                    value = cell
                cells.append(value)
            sheet.append(cells)
    with io.atomic_path(target) as tmp:
        book.save(tmp)
    return target
