"""plan.xlsx: one sheet per table, real column types, frozen headers, sensible widths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from planner.base import io

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"


def as_dates(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """ISO date text → dates, so the spreadsheet sorts and filters them as dates."""
    return frame.assign(**{c: pd.to_datetime(frame[c]).dt.date for c in columns if c in frame})


def as_times(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """"HH:MM" text → times of day; empty cells stay empty."""
    def parse(value: object) -> object:
        if isinstance(value, str) and len(value) == 5 and value[2] == ":":
            return dt.time(int(value[:2]) % 24, int(value[3:]))
        return None
    return frame.assign(**{c: frame[c].map(parse) for c in columns if c in frame})


def _cell(value: object) -> object:
    """Dates stay dates, numbers stay numbers, text that a spreadsheet would execute is neutralised."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return io.neutralise_formula(value)


def _number_format(values: pd.Series) -> str | None:
    sample = next((v for v in values.head(200) if v is not None and v == v), None)
    if pd.api.types.is_datetime64_any_dtype(values) or isinstance(sample, dt.date):
        return DATE_FORMAT
    if isinstance(sample, dt.time):
        return TIME_FORMAT
    return None


def write_workbook(sheets: dict[str, pd.DataFrame], target: Path) -> Path:
    # Write-only mode streams rows to disk: a national plan's sheets have hundreds of thousands.
    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name[:31])
        sheet.freeze_panes = "A2"
        formats = [_number_format(frame[column]) for column in frame.columns]
        for index, column in enumerate(frame.columns, start=1):
            sample = [len(str(column))] + [len(str(v)) for v in frame[column].head(200)]
            sheet.column_dimensions[get_column_letter(index)].width = min(40, max(sample) + 2)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            cells = []
            for value, number_format in zip(row, formats, strict=True):
                value = _cell(value)
                if number_format is not None and value is not None:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = number_format
                    value = cell
                cells.append(value)
            sheet.append(cells)
    with io.atomic_path(target) as tmp:
        book.save(tmp)
    return target
