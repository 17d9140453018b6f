"""planner/demand/forecast.py: a closure's part of its first month, and the forecast of some points.

Found unguarded by mutation testing (issue #18). a(k) of the module's formula is the part of
month k on or after the closure date: the calendar days from it to the month's end over the
days of the month.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from planner.demand.forecast import _month_share_from, forecast


@pytest.mark.parametrize(("date", "share"), [
    (dt.date(2015, 2, 28), 1.0),  # before March: all of it
    (dt.date(2015, 3, 1), 1.0),
    (dt.date(2015, 3, 16), 16 / 31),  # 16th–31st
    (dt.date(2015, 3, 31), 1 / 31),  # the last day only
    (dt.date(2015, 4, 1), 0.0),  # after March: none of it
    (dt.date(2016, 2, 15), None),  # February 2016 has 29 days: 15th–29th
])
def test_a_closures_part_of_a_month(date, share):
    month = f"{date.year}-{date.month:02d}" if share is None else "2015-03"
    expected = 15 / 29 if share is None else share
    assert _month_share_from(date, month) == pytest.approx(expected, abs=1e-12)


def test_the_forecast_of_some_points_is_theirs_alone(default_scenario):
    whole = forecast(default_scenario)
    part = whole.for_points({"pelkosenniemi", "saarijarvi"})
    for name in ("monthly", "daily", "intervals"):
        table, mine = getattr(whole, name), getattr(part, name)
        expected = table[table["point_id"].isin({"pelkosenniemi", "saarijarvi"})].reset_index(drop=True)
        assert set(mine["point_id"]) == {"pelkosenniemi", "saarijarvi"}
        pd.testing.assert_frame_equal(mine, expected)
    assert part.notes == whole.notes
