"""English words for counts in messages, reasons and the terminal's lines."""
from __future__ import annotations


def quantity(n: float, noun: str, plural: str | None = None) -> str:
    """`n` and `noun` as English says it: "1 customer", "2 customers", "2.5 customers", "0 trips".

    `n` is formatted with `:g` (whole numbers without decimals); the noun is singular exactly when n == 1 and
    otherwise `plural` (default noun + "s"). For the terminal's and the CSVs' English (access.csv reasons); the report
    and workbook take their words from planner/outputs/i18n.py.
    """
    return f"{n:g} {noun if n == 1 else (plural or noun + 's')}"
