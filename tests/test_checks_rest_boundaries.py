"""The rest rules of the roster checker at their edges: the exact hour, week blocks, roster ends, clock changes.

Same tiny instance as tests/test_checks_roster.py (Heikki at Saarijärvi, open 06:00–22:00
every day, rosters from Monday 12 January 2015). Each test here was seen failing on a
checker with one deliberate bug: daily rest 10 h instead of 11 h, weekly rest 34 h
instead of 35 h, the last day of the roster or of a week block handled wrongly; the clock
change tests on the checker that counted every day as 24 wall-clock hours.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.base.errors import Problem, ScenarioError
from planner.checks import roster as rules
from tests import test_checks_roster
from tests.test_checks_roster import MONDAY, hard_findings, only, roster, shift

base = test_checks_roster.base  # the fixture, shared


def worked(days, start: str = "10:00", end: str = "14:00") -> list[dict[str, str]]:
    return [shift(d, "heikki", start, end) for d in days]


# ------------------------------------------------------------------ daily rest: 11 h


@pytest.mark.parametrize(("end", "start", "breach"), [("21:00", "08:00", 0), ("21:01", "08:00", 1),
                                                     ("22:00", "08:00", 60), ("21:30", "08:00", 30)])
def test_daily_rest_by_the_minute(base, end, start, breach):
    rows = [shift(0, "heikki", f"{int(end[:2]) - 4:02d}{end[2:]}", end), shift(1, "heikki", start, f"{int(start[:2]) + 4:02d}:00")]
    found = [f for f in hard_findings(roster(base, *rows)) if f.rule == "daily_rest"]
    assert [f.amount for f in found] == ([breach] if breach else [])


def test_daily_rest_across_the_week_block_boundary(base):
    """Sunday 22:00 to Monday 08:00 of the next week block is 10 h: a breach dated that Monday."""
    rows = [shift(6, "heikki", "18:00", "22:00"), shift(7, "heikki", "08:00", "12:00")]
    found = only(roster(base, *rows, weeks=2), rules.daily_rest_11h)
    assert (found.amount, found.date) == (60, MONDAY + dt.timedelta(days=7))
    assert (found.subject, found.point) == (("advisor", "heikki"), "saarijarvi")
    assert "Sun 18 Jan–Mon 19 Jan: 10 h rest" in found.message


# ------------------------------------------------------------------ weekly rest: 35 h in every 7-day block


def late_then_early(gap_end: str, gap_start: str) -> list[dict[str, str]]:
    """A week worked but for Friday, between Thursday ending at gap_end and Saturday starting at gap_start."""
    return [*worked((0, 1, 2)), shift(3, "heikki", f"{int(gap_end[:2]) - 4:02d}{gap_end[2:]}", gap_end),
            shift(5, "heikki", gap_start, f"{int(gap_start[:2]) + 4:02d}{gap_start[2:]}"), *worked([6])]


def test_weekly_rest_by_the_minute(base):
    """Thursday 21:00 to Saturday 08:00 is exactly 35 h; a minute later ends it at 34 h 59 min."""
    assert hard_findings(roster(base, *late_then_early("21:00", "08:00"), *worked(range(7, 13)), weeks=2)) == []
    found = only(roster(base, *late_then_early("21:01", "08:00"), *worked(range(7, 13)), weeks=2),
                 rules.weekly_rest_35h)
    assert found.date == MONDAY


def test_every_week_block_is_checked_including_the_last(base):
    """Week 1 has Sunday off; week 2 is worked every day: the breach is the second block's."""
    found = only(roster(base, *worked(range(6)), *worked(range(7, 14)), weeks=2), rules.weekly_rest_35h)
    assert found.date == MONDAY + dt.timedelta(days=7) and found.subject == ("advisor", "heikki")
    assert "week from Mon 19 Jan" in found.message
    found = only(roster(base, *worked(range(7, 14)), weeks=3), rules.weekly_rest_35h)  # the middle block
    assert found.date == MONDAY + dt.timedelta(days=7)


def test_the_roster_s_last_day_off_counts_but_a_day_before_it_needs_its_35_hours(base):
    """Off on the last day: a rest (what follows is outside the roster). Off the day before it, between a
    22:00 end and a 06:00 start, is 32 h: no rest in the week."""
    assert hard_findings(roster(base, *worked(range(6)))) == []
    rows = [*worked(range(4)), shift(4, "heikki", "18:00", "22:00"), shift(6, "heikki", "06:00", "10:00")]
    assert only(roster(base, *rows), rules.weekly_rest_35h).date == MONDAY


def test_the_roster_s_first_day_off_counts(base):
    """Off on the first day: a rest (what came before is outside the roster)."""
    assert hard_findings(roster(base, *worked(range(1, 7), "06:00", "10:00"))) == []


def test_a_rest_day_on_the_block_s_last_day_uses_the_next_block_s_first_shift(base):
    """Sunday off between Saturday ending 22:00 and the next Monday starting 06:00 is 32 h: week 1 has no rest."""
    rows = [*worked(range(5)), shift(5, "heikki", "18:00", "22:00"), shift(7, "heikki", "06:00", "10:00")]
    found = only(roster(base, *rows, *worked(range(8, 13)), weeks=2), rules.weekly_rest_35h)
    assert found.date == MONDAY
    rows = [*worked(range(5)), shift(5, "heikki", "17:00", "21:00"), shift(7, "heikki", "08:00", "12:00")]
    assert hard_findings(roster(base, *rows, *worked(range(8, 13)), weeks=2)) == []  # exactly 35 h


# ------------------------------------------------------------------ clock changes (Finland, 2015)

SPRING_SATURDAY = (dt.date(2015, 3, 28) - MONDAY).days  # clocks go forward 03:00 → 04:00 on Sunday 29 March
AUTUMN_SATURDAY = (dt.date(2015, 10, 24) - MONDAY).days  # and back 04:00 → 03:00 on Sunday 25 October


def test_daily_rest_over_the_spring_clock_change_counts_real_time(base):
    """Sat 21:00 to Sun 08:00 on 29 Mar 2015 reads 11 h on the wall clock but is 10 h of rest (03:00 → 04:00)."""
    rows = [shift(SPRING_SATURDAY, "heikki", "17:00", "21:00"), shift(SPRING_SATURDAY + 1, "heikki", "08:00", "12:00")]
    found = [f for f in hard_findings(roster(base, *rows, weeks=12)) if f.rule == "daily_rest"]
    assert [f.amount for f in found] == [60]
    assert "Sat 28 Mar–Sun 29 Mar: 10 h rest" in found[0].message


def test_daily_rest_over_the_autumn_clock_change_counts_real_time(base):
    """Sat 21:00 to Sun 07:00 on 25 Oct 2015 reads 10 h but is 11 h of rest (04:00 → 03:00): no breach."""
    rows = [shift(AUTUMN_SATURDAY, "heikki", "17:00", "21:00"), shift(AUTUMN_SATURDAY + 1, "heikki", "07:00", "11:00")]
    found = [f for f in hard_findings(roster(base, *rows, weeks=42)) if f.rule == "daily_rest"]
    assert found == []


def test_daily_rest_out_of_the_spring_clock_change_day_counts_its_23_hours(base):
    """Sun 29 Mar 21:00 to Mon 08:00 is 11 h (the night after the change is ordinary): no breach; and
    Sun 20:00 to Mon 06:00 is 10 h: a 60-minute breach, as on any day."""
    rows = [shift(SPRING_SATURDAY + 1, "heikki", "17:00", "21:00"), shift(SPRING_SATURDAY + 2, "heikki", "08:00", "12:00")]
    assert [f for f in hard_findings(roster(base, *rows, weeks=12)) if f.rule == "daily_rest"] == []
    rows = [shift(SPRING_SATURDAY + 1, "heikki", "16:00", "20:00"), shift(SPRING_SATURDAY + 2, "heikki", "06:00", "10:00")]
    assert [f.amount for f in hard_findings(roster(base, *rows, weeks=12)) if f.rule == "daily_rest"] == [60]


def test_weekly_rest_around_the_clock_changes_counts_real_time(base):
    """A free Sunday between Saturday ending 21:00 and Monday starting 08:00 is 35 h on the wall clock:
    34 h of rest over the spring night (no weekly rest in that week), 36 h over the autumn night."""
    def week(saturday: int) -> list[dict[str, str]]:
        monday = saturday - 5
        return [*worked(range(monday, monday + 5)), shift(saturday, "heikki", "17:00", "21:00"),
                shift(saturday + 2, "heikki", "08:00", "12:00"), *worked(range(saturday + 3, saturday + 8))]

    found = [f for f in hard_findings(roster(base, *week(SPRING_SATURDAY), weeks=13)) if f.rule == "weekly_rest"]
    assert [f.date for f in found] == [MONDAY + dt.timedelta(days=SPRING_SATURDAY - 5)]
    assert [f for f in hard_findings(roster(base, *week(AUTUMN_SATURDAY), weeks=43)) if f.rule == "weekly_rest"] == []


def test_a_time_the_spring_night_skips_is_unreadable(base):
    """03:30 does not exist on 29 Mar 2015: the row is refused, not read as some other time."""
    dates = [MONDAY + dt.timedelta(days=k) for k in range(7 * 12)]
    with pytest.raises(ScenarioError) as refused:
        rules.read_rows(base, [shift(SPRING_SATURDAY + 1, "heikki", "03:30", "08:00")], dates)
    assert refused.value.problems == [Problem(
        "roster.csv", "found '03:30'; expected a time that exists on 2015-03-29 (the clocks skip it)", row=2,
        column="start")]


def test_a_free_day_after_the_spring_night_counts_that_night_s_23_hours(base):
    """Sunday 29 March (23 h) worked until 22:00, Monday free, Tuesday from 08:00: 34 h of rest, real and on the wall
    clock (the hour was skipped at 03:00 that Sunday, before the rest began). That week has no 35 h rest. The gap is
    counted on the rest's own days, the Sunday and the Monday, not on the 24-hour Saturday or Tuesday."""
    monday = SPRING_SATURDAY + 2
    rows = [shift(SPRING_SATURDAY + 1, "heikki", "18:00", "22:00"), shift(monday + 1, "heikki", "08:00", "12:00"),
            *worked(range(monday + 2, monday + 7))]
    found = [f for f in hard_findings(roster(base, *rows, weeks=13)) if f.rule == "weekly_rest"]
    assert [f.date for f in found] == [MONDAY + dt.timedelta(days=monday)]
    later = [shift(SPRING_SATURDAY + 1, "heikki", "17:00", "21:00"), *rows[1:]]  # 35 h: enough
    assert [f for f in hard_findings(roster(base, *later, weeks=13)) if f.rule == "weekly_rest"] == []


def test_an_offset_the_autumn_hour_lacks_is_unreadable_and_a_bad_date_hides_no_time(base):
    """03:15+04:00 on 25 Oct 2015 (the repeated hour is +03:00 then +02:00) names that day; with an unreadable date
    only a time's form can be judged, so 03:15+03:00 (summer time: right in the autumn hour) is not reported."""
    dates = [MONDAY + dt.timedelta(days=k) for k in range(7 * 43)]
    autumn = shift(AUTUMN_SATURDAY + 1, "heikki", "03:15+04:00", "08:00")
    with pytest.raises(ScenarioError) as refused:
        rules.read_rows(base, [autumn, {**shift(0, "heikki", "03:15+03:00", "08:00"), "date": "25.10.2015"}], dates)
    assert refused.value.problems == [
        Problem("roster.csv", "found '03:15+04:00'; expected a time that exists on 2015-10-25 (no such UTC offset "
                "then)", row=2, column="start"),
        Problem("roster.csv", "found '25.10.2015'; expected a date YYYY-MM-DD", row=3, column="date")]
