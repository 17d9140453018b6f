"""plan.xlsx's number formats and columns as a user reads them (a trial: "132,00" km, "säästetyt asiakaskilometrit
0,00", penalty objectives "18256,00", and columns blank by design: the probability without samples, car-pooling's
"yhdistetty" when pooling is off, a break's start and end when no shift has a break)."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from planner.outputs.workbook import EURO_FORMAT, HOURS_FORMAT, INTEGER_FORMAT, write_workbook

KM_FORMAT = "0.0"  # one decimal at most


def _written(tmp_path, frame: pd.DataFrame, lang: str = "en") -> dict[str, list[tuple[object, str]]]:
    """{CSV column: [(value, number format) per row]} of the one sheet written (headers in English are the CSV
    names' words; the test writes columns by their CSV names and reads them back by position)."""
    path = write_workbook({"sheet": frame}, tmp_path / "plan.xlsx", lang=lang)
    rows = list(load_workbook(path).active.iter_rows())
    written = {}
    for k, header in enumerate(rows[0]):
        written[header.value] = [(r[k].value, r[k].number_format) for r in rows[1:]]
    return written


def test_kilometres_and_penalty_points_are_whole_where_whole_and_money_keeps_two_decimals(tmp_path):
    frame = pd.DataFrame({"official_id": ["a", "b"], "km": [132.0, 1188.25], "customer_km_avoided": [0.0, 12.5],
                          "travel_eur": [59.4, 40.0], "objective": [18256.0, 934.5], "penalty": [4.0, 2.5],
                          "paid_hours": [6.0, 7.25], "visits": [3, 1]})
    shown = list(_written(tmp_path, frame).values())
    km, avoided, eur, objective, penalty, hours, visits = shown[1:]
    assert km == [(132, INTEGER_FORMAT), (1188.25, KM_FORMAT)]
    assert avoided == [(0, INTEGER_FORMAT), (12.5, KM_FORMAT)]
    assert [f for _, f in eur] == [EURO_FORMAT, EURO_FORMAT]
    assert objective[0] == (18256, INTEGER_FORMAT) and objective[1][1] != INTEGER_FORMAT
    assert penalty[0] == (4, INTEGER_FORMAT) and penalty[1][1] != INTEGER_FORMAT
    assert [f for _, f in hours] == [HOURS_FORMAT, HOURS_FORMAT]
    assert [f for _, f in visits] == [INTEGER_FORMAT, INTEGER_FORMAT]


def test_columns_empty_by_design_are_left_out(tmp_path):
    frame = pd.DataFrame({"date": ["2015-01-02", "2015-01-05"], "start": ["08:00", "09:00"], "end": ["12:00", "15:00"],
                          "break_start": [None, None], "break_end": ["", ""], "pooled": [None, None],
                          "probability_enough_staff": [float("nan"), float("nan")], "advisors": [1, 2]})
    written = _written(tmp_path, frame)
    assert len(written) == 4 and not {"break starts", "break ends", "pooled"} & set(written)
    headers_only = write_workbook({"sheet": frame.iloc[:0]}, tmp_path / "empty.xlsx")
    assert len(next(load_workbook(headers_only).active.iter_rows())) == len(frame.columns)  # headers stay
