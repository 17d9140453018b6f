"""CSV writing neutralises formula-like text in every column type; numbers stay numbers.

Each column type takes its own path through `planner.base.io.write_csv` (vectorised for
plain text, cell by cell for object columns of mixed type, categoricals, pandas strings),
so each is checked on its own, cell by cell, against the file read back.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from planner.base import io

# "\r…" is neutralised too (test_neutralise_formula_…), but the csv module does not quote a lone
# carriage return under "\n" line endings, so it cannot be read back cell by cell; validation
# refuses control characters in inputs.
RISKY = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTAB"]
SAFE = ["Anna", "a=b", "", "5-", " =x"]


def written(tmp_path, column: pd.Series) -> list[str]:
    target = io.write_csv(pd.DataFrame({"c": column}), tmp_path / "t.csv")
    with target.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["c"]
    return [row[0] if row else "" for row in rows[1:]]


def expected(values: list) -> list[str]:
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else
            ("'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else str(v)) for v in values]


@pytest.mark.parametrize("dtype", [None, object, "string", "category"])
def test_text_columns_of_every_type_are_neutralised_cell_by_cell(tmp_path, dtype):
    values = RISKY + SAFE
    column = pd.Series(values) if dtype is None else pd.Series(values, dtype=dtype)
    assert written(tmp_path, column) == expected(values)


@pytest.mark.parametrize("dtype", [object, "string", "category"])
def test_text_columns_with_missing_cells(tmp_path, dtype):
    values = ["=1+1", None, "ok", "-x"]
    got = written(tmp_path, pd.Series(values, dtype=dtype))
    assert got == ["'=1+1", "", "ok", "'-x"]


def test_object_column_of_mixed_type(tmp_path):
    """Numbers, text and missing cells in one object column: only the text is touched."""
    values = ["=HYPERLINK(\"x\")", -5, 2.5, None, "-7", "@a", True]
    got = written(tmp_path, pd.Series(values, dtype=object))
    assert got == ["'=HYPERLINK(\"x\")", "-5", "2.5", "", "'-7", "'@a", "True"]


@pytest.mark.parametrize("column", [pd.Series([-5, 3, -0]), pd.Series([-5.5, 1e-3, -np.inf]),
                                    pd.Series([-5, None], dtype="Int64"), pd.Series([-1.25], dtype="Float64")])
def test_negative_numbers_stay_numbers(tmp_path, column):
    got = written(tmp_path, column)
    assert got == ["" if pd.isna(v) else str(v) for v in column.astype(object)]
    assert not any(cell.startswith("'") for cell in got)


def test_text_that_looks_like_a_negative_number_is_neutralised(tmp_path):
    """'-5' as text is what a spreadsheet would evaluate (as '-5' or, say, '-5+A1'): it gets the apostrophe."""
    assert written(tmp_path, pd.Series(["-5", "-5+A1", "5"])) == ["'-5", "'-5+A1", "5"]


def test_neutralise_formula_leaves_non_text_alone():
    assert io.neutralise_formula(-5) == -5 and io.neutralise_formula(None) is None
    assert io.neutralise_formula("=x") == "'=x" and io.neutralise_formula("x=") == "x="
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert io.neutralise_formula(start + "1") == "'" + start + "1"


def test_the_frame_given_is_not_changed(tmp_path):
    frame = pd.DataFrame({"c": ["=x", "y"], "m": pd.Series(["=z", 1], dtype=object)})
    io.write_csv(frame, tmp_path / "t.csv")
    assert frame["c"].tolist() == ["=x", "y"] and frame["m"].tolist() == ["=z", 1]
