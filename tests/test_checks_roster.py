"""One tiny roster per rule of planner/checks/roster.py: it breaks exactly that rule and gives exactly that finding.

Saarijärvi (Heikki and Marja, 0.5 FTE each) and Pelkosenniemi (Eila, and Tuomas as backup),
from Monday 12 January 2015; Saarijärvi opens 06:00–22:00 every day here, so that the rest
rules can be broken inside opening hours. Shifts are 4, 5, 6 or 7.75 h, a 30 min break in
those over 6 h.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from planner.base.decompose import restrict_to_points
from planner.checks import roster as rules
from planner.scenario.loading import load_scenario
from planner.scenario.schemas import WEEKDAYS, AbsenceRow, OpeningHoursRow, RosterRequestRow
from tests.conftest import DEFAULT_DIR

MONDAY = dt.date(2015, 1, 12)
HARD = rules.RULES[:rules.RULES.index(rules.someone_on_duty) + 1]


@pytest.fixture(scope="module")
def base():
    scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
    scenario = restrict_to_points(scenario, {"saarijarvi", "pelkosenniemi"})
    hours = tuple(h for h in scenario.opening_hours if h.point_id != "saarijarvi") + tuple(
        OpeningHoursRow(point_id="saarijarvi", weekday=w, opens=dt.time(6), closes=dt.time(22)) for w in WEEKDAYS)
    return scenario.model_copy(update={"opening_hours": hours, "absences": (), "roster_requests": ()})


def with_roster_config(scenario, **changes):
    roster = scenario.config.roster.model_copy(update=changes)
    return scenario.model_copy(update={"config": scenario.config.model_copy(update={"roster": roster})})


def requirement(scenario, *intervals: tuple[str, dt.date, str, int, str]) -> pd.DataFrame:
    """(point, date, HH:MM, advisors required, provider with the arrivals) per 15-minute interval."""
    providers = [p.provider_id for p in scenario.providers]
    rows = [{"date": pd.Timestamp(day), "point_id": point, "interval_start": int(at[:2]) * 60 + int(at[3:]),
             "required": need, **{f"arrivals_{p}": float(p == who) for p in providers}}
            for point, day, at, need, who in intervals]
    table = pd.DataFrame(rows, columns=["date", "point_id", "interval_start", "required",
                                        *(f"arrivals_{p}" for p in providers)])
    return table.astype({"date": "datetime64[ns]"})


def shift(day: int, advisor: str, start: str, end: str, point: str = "saarijarvi", break_start: str = "",
          break_minutes: int = 0) -> dict[str, str]:
    return {"date": str(MONDAY + dt.timedelta(days=day)), "point": point, "advisor": advisor, "start": start,
            "end": end, "break_start": break_start, "break_minutes": str(break_minutes)}


def roster(scenario, *rows: dict[str, str], weeks: int = 1, requirements: pd.DataFrame | None = None) -> rules.Roster:
    dates = [MONDAY + dt.timedelta(days=k) for k in range(7 * weeks)]
    shifts, unreadable = rules.read_rows(scenario, list(rows), dates)
    assert unreadable == []
    return rules.facts(scenario, dates, shifts, requirement(scenario) if requirements is None else requirements)


def hard_findings(r: rules.Roster) -> list:
    return [f for rule in HARD for f in rule(r)]


def only(r: rules.Roster, rule) -> object:
    """The one hard finding of the roster, which `rule` gives."""
    (finding,) = hard_findings(r)
    assert list(rule(r)) == [finding]
    return finding


# ------------------------------------------------------------------ hard rules


def test_a_clean_roster_breaks_no_hard_rule(base):
    assert hard_findings(roster(base, shift(0, "heikki", "10:00", "15:00"), shift(1, "heikki", "10:00", "15:00"))) == []


def test_one_shift_a_day(base):
    found = only(roster(base, shift(0, "heikki", "10:00", "14:00"), shift(0, "heikki", "16:00", "20:00")),
                 rules.one_shift_a_day)
    assert (found.rule, found.message) == ("one_shift_a_day", "Heikki Koskinen, Mon 12 Jan: more than one shift")


def test_only_at_own_points(base):
    found = only(roster(base, shift(0, "heikki", "10:00", "15:00", point="pelkosenniemi")), rules.only_at_own_points)
    assert found.rule == "allowed_point" and "works at Pelkosenniemi" in found.message


def test_not_while_away(base):
    away = base.model_copy(update={"absences": (AbsenceRow(advisor_id="heikki", start=MONDAY, end=MONDAY),)})
    found = only(roster(away, shift(0, "heikki", "10:00", "15:00")), rules.not_while_away)
    assert found.message == "Heikki Koskinen, Mon 12 Jan: rostered while away (absences.csv)"


def test_only_when_point_open(base):
    found = only(roster(base, shift(5, "eila", "10:00", "15:00", point="pelkosenniemi")), rules.only_when_point_open)
    assert found.message == "Pelkosenniemi, Sat 17 Jan: rostered while the point is closed"


def test_within_opening_hours(base):
    found = only(roster(base, shift(0, "eila", "08:00", "13:00", point="pelkosenniemi")), rules.within_opening_hours)
    assert found.amount == 60  # Pelkosenniemi opens 09:00
    assert found.message == "Eila Kallio, Mon 12 Jan: 08:00–13:00 is outside the opening hours 09:00–15:00"


@pytest.mark.parametrize("row", [shift(0, "heikki", "10:00", "13:00"),  # 3 h: no such shift
                                 shift(0, "heikki", "10:00", "17:45"),  # 7.75 h without its break
                                 shift(0, "heikki", "10:00", "14:00", break_start="12:00", break_minutes=30)])  # 4 h with a break
def test_allowed_shift(base, row):
    assert only(roster(base, row), rules.allowed_shift).rule == "shift_type"


def test_daily_rest_11h_fails_at_10h59_and_passes_at_11h(base):
    short = roster(base, shift(0, "heikki", "17:01", "21:01"), shift(1, "heikki", "08:00", "12:00"))
    found = only(short, rules.daily_rest_11h)
    assert (found.amount, found.date) == (1, MONDAY + dt.timedelta(days=1))
    assert found.message == ("Heikki Koskinen, Mon 12 Jan–Tue 13 Jan: 10.9833 h rest, under 11 h "
                             "(Working Hours Act §25)")
    assert hard_findings(roster(base, shift(0, "heikki", "17:00", "21:00"), shift(1, "heikki", "08:00", "12:00"))) == []


def test_weekly_rest_35h_fails_in_a_week_without_it(base):
    every_day = [shift(d, "heikki", "10:00", "14:00") for d in range(7)]
    found = only(roster(base, *every_day, weeks=2), rules.weekly_rest_35h)
    assert found.message == "Heikki Koskinen: no 35 h rest in the week from Mon 12 Jan (Working Hours Act §27)"
    # A day off between a late and an early shift: 22:00 to 06:00 two days later is 32 h, under 35 h.
    late_early = [shift(d, "heikki", "10:00", "14:00") for d in (0, 1, 5, 6)]
    late_early += [shift(2, "heikki", "18:00", "22:00"), shift(4, "heikki", "06:00", "10:00")]
    assert only(roster(base, *late_early, weeks=2), rules.weekly_rest_35h).rule == "weekly_rest"
    # 21:00 to 08:00 two days later is 35 h: enough.
    enough = [shift(d, "heikki", "10:00", "14:00") for d in (0, 1, 5, 6)]
    enough += [shift(2, "heikki", "17:00", "21:00"), shift(4, "heikki", "08:00", "12:00")]
    assert hard_findings(roster(base, *enough, weeks=2)) == []


def test_someone_on_duty_when_hard(base):
    strict = with_roster_config(base, on_duty_hard=True)
    need = requirement(base, ("saarijarvi", MONDAY, "10:00", 1, "kela"), ("saarijarvi", MONDAY, "14:45", 1, "kela"))
    found = only(roster(strict, shift(0, "heikki", "10:00", "14:00"), requirements=need), rules.someone_on_duty)
    assert (found.start, found.end, found.message) == (885, 900, "Saarijärvi, Mon 12 Jan 14:45–15:00: nobody on duty")
    assert list(rules.unmanned(roster(strict, requirements=need))) == []  # hard, so not also soft


def test_a_row_breaking_several_rules_gives_one_finding_per_rule(base):
    """Tuesday's row is on an absence day, starts before Saarijärvi opens and 10 h after Monday's shift ended."""
    hours = tuple(h.model_copy(update={"opens": dt.time(10)}) if h.point_id == "saarijarvi" else h
                  for h in base.opening_hours)
    away = AbsenceRow(advisor_id="heikki", start=MONDAY + dt.timedelta(days=1), end=MONDAY + dt.timedelta(days=1))
    scenario = base.model_copy(update={"opening_hours": hours, "absences": (away,)})
    rows = [shift(0, "heikki", "18:00", "22:00"), shift(1, "heikki", "08:00", "12:00")]
    result = rules.check(scenario, rows, MONDAY, 1, requirement(scenario))
    assert sorted(f.rule for f in result.hard) == ["absence", "daily_rest", "opening_hours"]
    assert {f.date for f in result.hard} == {MONDAY + dt.timedelta(days=1)}


# ------------------------------------------------------------------ soft rules


def soft_only(r: rules.Roster, rule, advisor: str | None = None):
    """The one finding `rule` gives (about `advisor`, when given)."""
    (finding,) = (f for f in rule(r) if advisor is None or f.subject.id == advisor)
    assert finding.severity == "soft" and finding.rule == rule.__name__
    return finding


def test_unmanned(base):
    need = requirement(base, ("saarijarvi", MONDAY, "10:00", 0, "kela"))
    found = soft_only(roster(base, requirements=need), rules.unmanned)
    assert (found.amount, found.penalty) == (1, base.config.roster.unmanned_weight)
    assert found.message == "Saarijärvi, Mon 12 Jan 10:00–10:15: 1 advisor(s) short of the 1 on duty whenever open"


def test_cover_under_and_over(base):
    need = requirement(base, ("saarijarvi", MONDAY, "10:00", 2, "kela"), ("saarijarvi", MONDAY, "11:00", 0, "kela"))
    r = roster(base, shift(0, "heikki", "10:00", "14:00"), requirements=need)
    under, over = soft_only(r, rules.cover_under), soft_only(r, rules.cover_over)
    assert under.message == "Saarijärvi, Mon 12 Jan 10:00–10:15: 1 advisor(s) short of 2"
    assert (over.start, over.message) == (660, "Saarijärvi, Mon 12 Jan 11:00–11:15: 1 advisor(s) above 0")
    assert under.penalty == base.config.roster.cover_under_weight and over.penalty == base.config.roster.cover_over_weight


def test_missing_skill(base):
    trained = tuple(a.model_copy(update={"skills": ("kunta",)}) if a.advisor_id == "heikki" else a for a in base.advisors)
    scenario = base.model_copy(update={"advisors": trained})
    need = requirement(scenario, ("saarijarvi", MONDAY, "10:00", 1, "kela"))
    found = soft_only(roster(scenario, shift(0, "heikki", "10:00", "14:00"), requirements=need), rules.missing_skill)
    assert found.message == "Saarijärvi, Mon 12 Jan: nobody trained for kela on duty"


def test_contract_under_and_over(base):
    # Heikki: 0.5 × 36.25 h over five weekdays = 1088 min, less or more the week's tolerance.
    tolerance = round(base.config.roster.contract_tolerance_hours_per_week * 60)
    under = soft_only(roster(base, shift(0, "heikki", "10:00", "14:00")), rules.contract_under, "heikki")
    assert under.amount == 1088 - tolerance - 240
    assert under.message == (f"Heikki Koskinen: {under.amount / 60:.2f} h under contract over the roster "
                                    f"(target 18.1333 h ± {tolerance / 60:g} h); week 3: -14.13 h")
    every_day = [shift(d, "heikki", "10:00", "15:00") for d in range(5)]
    over = soft_only(roster(base, *every_day), rules.contract_over, "heikki")
    assert over.amount == 1500 - 1088 - tolerance and over.penalty == 2 * over.amount


def test_backup_used(base):
    found = soft_only(roster(base, shift(0, "tuomas", "09:00", "13:00", point="pelkosenniemi")), rules.backup_used)
    assert (found.point, found.message) == ("pelkosenniemi", "Tuomas Heikkinen, Mon 12 Jan: backup person on duty")


def test_isolated_day(base):
    found = soft_only(roster(base, shift(2, "heikki", "10:00", "14:00")), rules.isolated_day)
    assert found.message == "Heikki Koskinen, Wed 14 Jan: isolated working day"


@pytest.mark.parametrize("kind,start,works,message", [
    ("day_off", None, True, "Heikki Koskinen asked for a day off on Mon 12 Jan"),
    ("prefer_shift", dt.time(11), True, "Heikki Koskinen asked to work a shift starting 11:00 on Mon 12 Jan"),
    ("prefer_shift", None, False, "Heikki Koskinen asked to work on Mon 12 Jan"),
    ("avoid_shift", dt.time(10), True, "Heikki Koskinen asked not to work a shift starting 10:00 on Mon 12 Jan"),
])
def test_requests(base, kind, start, works, message):
    asked = RosterRequestRow(advisor_id="heikki", date=MONDAY, kind=kind, start=start, weight=7)
    scenario = base.model_copy(update={"roster_requests": (asked,)})
    rows = [shift(0, "heikki", "10:00", "14:00")] if works else []
    found = soft_only(roster(scenario, *rows), getattr(rules, f"request_{kind}"))
    assert (found.penalty, found.message) == (7, message)


@pytest.mark.parametrize("rule,days,words", [
    (rules.fair_late, [0], "closing shifts"),  # 18:00–22:00 ends at closing time
    (rules.fair_saturday, [5], "Saturdays"),
    (rules.fair_single_off, [0, 2], "single days off"),
])
def test_fairness(base, rule, days, words):
    rows = [shift(d, "heikki", "18:00", "22:00") for d in days]
    found = soft_only(roster(base, *rows), rule)
    assert found.amount == 20  # one count at 0.5 FTE is 20 tenths per full-time; Marja has none
    assert found.message == f"Saarijärvi: {words} per full-time differ by {found.amount / 10:g} between advisors"
