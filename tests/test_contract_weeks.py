"""The weeks behind a contract breach (planner/contract_weeks.week_breakdown), on hand-made weeks."""

from __future__ import annotations

import datetime as dt

from planner.checks.contract_weeks import week_breakdown


def days(first: dt.date, n: int) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range(n)]


def test_only_the_weeks_off_in_the_breach_direction_are_listed_in_week_order():
    dates = days(dt.date(2015, 3, 2), 21)  # Mon 2 Mar – Sun 22 Mar: ISO weeks 10, 11, 12
    weekdays = {d for d in dates if d.weekday() < 5}
    paid = {d: 480 for d in dates[0:5]}  # week 10: 40 h against 5 × 7.25 h = 36.25 h
    paid |= {d: 360 for d in dates[7:12]}  # week 11: 30 h
    paid |= {d: 435 for d in dates[14:19]}  # week 12: exactly the share
    assert week_breakdown(dates, paid, weekdays, 435, over=True) == "; week 10: +3.75 h"
    assert week_breakdown(dates, paid, weekdays, 435, over=False) == "; week 11: -6.25 h"


def test_weeks_cut_by_the_roster_ends_and_days_away_are_prorated():
    dates = days(dt.date(2015, 1, 7), 14)  # Wed 7 – Tue 20 Jan: 3, 5 and 2 weekdays in weeks 2, 3, 4
    counted = {d for d in dates if d.weekday() < 5} - {dt.date(2015, 1, 15)}  # away on Thu 15 Jan
    paid = {d: 300 for d in counted}
    # Shares at 174 min a day: 522, 696 and 348 min.
    assert week_breakdown(dates, paid, counted, 174, over=True) == "; week 2: +6.3 h, week 3: +8.4 h, week 4: +4.2 h"


def test_a_week_share_is_rounded_to_the_minute_like_the_target_and_none_listed_is_empty():
    dates = days(dt.date(2015, 1, 5), 7)
    counted = {dt.date(2015, 1, 5)}
    assert week_breakdown(dates, {dt.date(2015, 1, 5): 100}, counted, 99.6, over=True) == ""  # share 100 min
    assert week_breakdown(dates, {dt.date(2015, 1, 5): 101}, counted, 99.6, over=True) == "; week 2: +0.02 h"
    assert week_breakdown(dates, {}, counted, 99.6, over=True) == ""


def test_weeks_across_new_year_keep_their_order():
    dates = days(dt.date(2015, 12, 21), 21)  # ISO weeks 52 and 53 of 2015, then week 1 of 2016
    counted = {d for d in dates if d.weekday() < 5}
    paid = {d: 500 for d in counted}
    assert week_breakdown(dates, paid, counted, 400, over=True) == "; week 52: +8.33 h, week 53: +8.33 h, week 1: +8.33 h"
