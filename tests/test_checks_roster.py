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
from planner.base.errors import Problem, ScenarioError
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
    assert (found.rule, found.message, found.row) == (
        "one_shift_a_day", "Heikki Koskinen, Mon 12 Jan: more than one shift (the other is roster.csv row 2)",
        "roster.csv row 3")


def test_only_at_own_points(base):
    found = only(roster(base, shift(0, "heikki", "10:00", "15:00", point="pelkosenniemi")), rules.only_at_own_points)
    assert found.rule == "allowed_point" and "works at Pelkosenniemi" in found.message


def test_not_while_away(base):
    away = base.model_copy(update={"absences": (AbsenceRow(advisor_id="heikki", start=MONDAY, end=MONDAY),)})
    found = only(roster(away, shift(0, "heikki", "10:00", "15:00")), rules.not_while_away)
    assert found.message == ("Heikki Koskinen, Mon 12 Jan: rostered while away (absences.csv: no reason given, "
                             "Mon 12 Jan–Mon 12 Jan)")


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
    assert (found.start, found.end, found.message) == (885, 900, "Saarijärvi, Mon 12 Jan 14:45–15:00: nobody on duty, 1 required whenever "
                                                         "open ([workforce] min_on_duty)")
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
    assert found.message == "Saarijärvi, Mon 12 Jan 10:00–10:15: 1 advisor short of the 1 on duty whenever open"


def test_cover_under_and_over(base):
    need = requirement(base, ("saarijarvi", MONDAY, "10:00", 2, "kela"), ("saarijarvi", MONDAY, "11:00", 0, "kela"))
    r = roster(base, shift(0, "heikki", "10:00", "14:00"), requirements=need)
    under, over = soft_only(r, rules.cover_under), soft_only(r, rules.cover_over)
    assert under.message == "Saarijärvi, Mon 12 Jan 10:00–10:15: 1 advisor short of 2"
    assert (over.start, over.message) == (660, "Saarijärvi, Mon 12 Jan 11:00–11:15: 1 advisor above 0")
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
    assert under.message == (f"Heikki Koskinen: {under.amount / 60:.2f} h under contract beyond its tolerance over the roster "
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


# ------------------------------------------------------------------ whole findings (found by mutation testing, issue #18)

TUESDAY = MONDAY + dt.timedelta(days=1)


def test_rows_outside_the_period_are_breaches_named_by_their_spreadsheet_row(base):
    dates = [MONDAY + dt.timedelta(days=k) for k in range(7)]
    good = shift(0, "heikki", "10:00", "14:00")
    rows = [good, shift(7, "heikki", "10:00", "14:00"), shift(-1, "heikki", "10:00", "14:00")]
    shifts, findings = rules.read_rows(base, rows, dates)
    assert shifts == [rules.Shift("saarijarvi", "heikki", MONDAY, 600, 840, None, 0)]
    assert findings == [
        rules.hard("outside_period", rules.Subject("advisor", "heikki"),
                   "2015-01-19 is outside the roster period 2015-01-12–2015-01-18",
                   date=dt.date(2015, 1, 19), start=600, end=840, point="saarijarvi"),
        rules.hard("outside_period", rules.Subject("advisor", "heikki"),
                   "2015-01-11 is outside the roster period 2015-01-12–2015-01-18",
                   date=dt.date(2015, 1, 11), start=600, end=840, point="saarijarvi"),
    ]
    assert [f.row for f in findings] == ["roster.csv row 3", "roster.csv row 4"]


def test_planner_check_names_each_row_once_and_counts_many_rows_outside_the_period(tmp_path):
    """The trial: a roster running past the period printed 188 lines 'hard: row 205: … — roster.csv row 205'. The
    terminal names the row once and lists three such rows, then counts the rest; -o and the exit code keep all."""
    from click.testing import CliRunner

    from planner.cli import main

    rows = [shift(0, "heikki", "10:00", "14:00")] + [shift(7 + k, "heikki", "10:00", "14:00") for k in range(10)]
    roster_csv = tmp_path / "roster.csv"
    pd.DataFrame(rows).to_csv(roster_csv, index=False)
    result = CliRunner().invoke(main, ["check", str(DEFAULT_DIR), str(roster_csv), "--from", str(MONDAY), "--weeks",
                                       "1", "-o", str(tmp_path / "findings.csv")])
    assert result.exit_code == 3, result.output
    hard = [line for line in result.output.splitlines() if line.startswith("hard: ")]
    assert hard == ["hard: 2015-01-19 is outside the roster period 2015-01-12–2015-01-18 — roster.csv row 3",
                    "hard: 2015-01-20 is outside the roster period 2015-01-12–2015-01-18 — roster.csv row 4",
                    "hard: 2015-01-21 is outside the roster period 2015-01-12–2015-01-18 — roster.csv row 5",
                    "hard: … and 7 more rows of roster.csv dated outside the period 2015-01-12 – 2015-01-18"]
    written = pd.read_csv(tmp_path / "findings.csv")
    assert list(written.loc[written["family"] == "outside_period", "row"]) == [f"roster.csv row {n}" for n in range(3, 13)]


def test_a_few_findings_alike_are_all_listed():
    """Counting one or two rows in a line saves nothing: four alike findings are all listed (three shown + one)."""
    from planner.checks.findings import Subject, brief_lines, hard

    alike = [hard("outside_period", Subject("advisor", "a"), f"day {k}", alike="dated outside", row=f"r.csv row {k}")
             for k in range(4)]
    assert brief_lines(alike) == [f"day {k} — r.csv row {k}" for k in range(4)]
    assert brief_lines([*alike, alike[0]])[-1] == "… and 2 more rows of r.csv dated outside"


def test_rows_that_cannot_be_scored_are_bad_input_named_by_row_and_column(base):
    """A hand-edited roster.csv: every cell that cannot be read, in every row, is a problem of the file (exit 2)."""
    dates = [MONDAY + dt.timedelta(days=k) for k in range(7)]
    good = shift(0, "heikki", "10:00", "14:00")
    rows = [good, {**good, "date": "2015-13-01"}, {k: v for k, v in good.items() if k != "end"},
            shift(1, "nobody", "10:00", "14:00"), shift(1, "heikki", "10:00", "14:00", point="nowhere"),
            shift(4, "heikki", "1O:00", "14:00"), shift(4, "heikki", "10:00", "25:00", break_start="x"),
            {**good, "break_minutes": "half an hour"}, shift(7, "heikki", "10:00", "14:00")]
    with pytest.raises(ScenarioError) as refused:
        rules.read_rows(base, rows, dates, numbers=[2, 3, 4, 5, 6, 8, 9, 10, 11])  # row 7 of the sheet is blank
    clock = "expected a time HH:MM (HH:MM+hh:mm in the repeated autumn hour)"
    assert refused.value.problems == [
        Problem("roster.csv", "found '2015-13-01'; expected a date YYYY-MM-DD", row=3, column="date"),
        Problem("roster.csv", f"the value is missing; {clock}", row=4, column="end"),
        Problem("roster.csv", "found 'nobody'; expected an advisor_id of advisors.csv: eila, heikki, marja, tuomas",
                row=5, column="advisor"),
        Problem("roster.csv", "found 'nowhere'; expected a point_id of points.csv: pelkosenniemi, saarijarvi",
                row=6, column="point"),
        Problem("roster.csv", f"found '1O:00'; {clock}", row=8, column="start"),
        Problem("roster.csv", f"found '25:00'; {clock}", row=9, column="end"),
        Problem("roster.csv", f"found 'x'; {clock}", row=9, column="break_start"),
        Problem("roster.csv", "found 'half an hour'; expected the break's length in minutes, e.g. 30 (0 or empty for "
                "none)", row=10, column="break_minutes"),
    ]


def test_a_roster_without_a_column_it_needs_is_bad_input(base):
    dates = [MONDAY + dt.timedelta(days=k) for k in range(7)]
    rows = [{k: v for k, v in shift(0, "heikki", "10:00", "14:00").items() if k not in ("start", "advisor")}]
    with pytest.raises(ScenarioError) as refused:
        rules.read_rows(base, rows, dates, file="edited.csv")
    assert [(p.file, p.row, p.column) for p in refused.value.problems] == [("edited.csv", 1, "advisor"),
                                                                          ("edited.csv", 1, "start")]
    assert refused.value.problems[0].message == (
        "required column 'advisor' is missing; expected the columns of roster.csv (date, point, advisor, start, end; "
        "break_start, break_minutes optional)")


TWELVE = "a00, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11"


@pytest.mark.parametrize(("known", "listed"), [(20, TWELVE + ", … (20 in all)"), (12, TWELVE)])
def test_many_ids_are_listed_up_to_a_dozen(base, known, listed):
    many = base.model_copy(update={"advisors": tuple(
        base.advisors[0].model_copy(update={"advisor_id": f"a{k:02d}"}) for k in range(known))})
    with pytest.raises(ScenarioError) as refused:
        rules.read_rows(many, [shift(0, "nobody", "10:00", "14:00")], [MONDAY])
    assert refused.value.problems[0].message == f"found 'nobody'; expected an advisor_id of advisors.csv: {listed}"


def test_no_known_ids_say_none():
    assert rules._ids(set(), "points.csv", "point_id") == "point_id of points.csv: (none)"


def test_check_names_the_file_it_was_given(base):
    """`planner check` passes the roster's own file name down: the error names the file the user edited."""
    with pytest.raises(ScenarioError) as refused:
        rules.check(base, [shift(0, "nobody", "10:00", "14:00")], MONDAY, 1, requirement(base), file="edited.csv",
                    numbers=[7])
    assert [(p.file, p.row, p.column) for p in refused.value.problems] == [("edited.csv", 7, "advisor")]


def test_check_reads_the_file_header_it_was_given(base):
    """A column missing from the file's header is refused even where a row's dict has the key
    (csv.DictReader fills short rows' keys; the header is the file's truth)."""
    with pytest.raises(ScenarioError) as refused:
        rules.check(base, [shift(0, "heikki", "10:00", "14:00")], MONDAY, 1, requirement(base),
                    header=("date", "point", "advisor", "start"))
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "end")]


def test_cells_as_a_spreadsheet_writes_them_are_read(base):
    """Spaces around a cell, "30.0" minutes, an empty break: the shift as meant."""
    row = {**shift(2, " heikki ", " 10:00", "17:45 ", break_start=" 12:00", break_minutes=30), "break_minutes": "30.0",
           "point": " saarijarvi"}
    empty = {**shift(3, "heikki", "10:00", "14:00"), "break_minutes": ""}
    dates = [MONDAY + dt.timedelta(days=k) for k in range(7)]
    shifts, findings = rules.read_rows(base, [row, empty], dates)
    assert findings == []
    assert shifts == [rules.Shift("saarijarvi", "heikki", MONDAY + dt.timedelta(days=2), 600, 1065, 720, 30),
                      rules.Shift("saarijarvi", "heikki", MONDAY + dt.timedelta(days=3), 600, 840, None, 0)]
    assert shifts[0].paid == 435


@pytest.mark.parametrize(("row", "ok"), [
    (shift(0, "heikki", "10:00", "17:45", break_start="12:30", break_minutes=30), True),  # 2.5 h in: the earliest
    (shift(0, "heikki", "10:00", "17:45", break_start="12:15", break_minutes=30), False),  # 2.25 h in: too early
    (shift(0, "heikki", "10:00", "17:45", break_start="15:00", break_minutes=30), True),  # 5 h in: the latest
    (shift(0, "heikki", "10:00", "17:45", break_start="15:15", break_minutes=30), False),  # 5.25 h in: too late
    (shift(0, "heikki", "10:00", "17:45", break_start="12:35", break_minutes=30), False),  # off the 15-minute grid
    (shift(0, "heikki", "10:00", "17:45", break_start="12:30", break_minutes=45), False),  # a 45 min break
    (shift(0, "heikki", "10:00", "17:45", break_minutes=30), False),  # minutes but no start
    (shift(0, "heikki", "10:00", "16:00"), True),  # exactly 6 h: no break due (§24: over 6 h)
    (shift(0, "heikki", "10:00", "16:00", break_start="12:30", break_minutes=30), False),
    (shift(0, "heikki", "10:00", "14:30"), False),  # 4.5 h: not a shift length
])
def test_allowed_shift_at_its_edges(base, row, ok):
    found = list(rules.allowed_shift(roster(base, row)))
    if ok:
        assert found == []
    else:
        span = f"{row['start']}–{row['end']}"
        assert found == [rules.hard("shift_type", rules.Subject("advisor", "heikki"),
                                    f"Heikki Koskinen, Mon 12 Jan: {span} with a {row['break_minutes']} min break is "
                                    "not an allowed shift (scenario.toml [workforce])",
                                    date=MONDAY, start=600, end=rules._minutes(MONDAY, row["end"]), point="saarijarvi")]


def test_a_break_must_end_inside_its_shift_even_when_the_window_allows_a_later_start(base):
    """6.25 h shifts, a 45 min break 2.5–6 h in: the last start is 5.5 h in, so that the break ends with the shift."""
    workforce = base.config.workforce.model_copy(
        update={"shift_lengths_hours": (6.25,), "break_minutes": 45.0, "break_window_hours": (2.5, 6.0)})
    scenario = base.model_copy(update={"config": base.config.model_copy(update={"workforce": workforce})})

    def refused(break_start: str) -> int:
        row = shift(0, "heikki", "10:00", "16:15", break_start=break_start, break_minutes=45)
        return len(list(rules.allowed_shift(roster(scenario, row))))

    assert (refused("15:30"), refused("15:45")) == (0, 1)


def test_daily_rest_finding_whole(base):
    rows = [shift(0, "marja", "10:00", "14:00"), shift(2, "heikki", "18:00", "22:00"), shift(3, "heikki", "06:00", "10:00")]
    assert list(rules.daily_rest_11h(roster(base, *rows))) == [rules.hard(
        "daily_rest", rules.Subject("advisor", "heikki"), "Heikki Koskinen, Wed 14 Jan–Thu 15 Jan: 8 h rest, under 11 h "
        "(Working Hours Act §25)", amount=180, date=MONDAY + dt.timedelta(days=3), point="saarijarvi")]


def test_isolated_days_inside_the_roster_only(base):
    """Monday and Sunday (the roster's ends) are not isolated: the day beyond is unknown."""
    rows = [shift(0, "heikki", "10:00", "14:00"), shift(6, "heikki", "10:00", "14:00"), shift(3, "marja", "10:00", "14:00"),
            shift(4, "marja", "10:00", "14:00"), shift(2, "eila", "10:00", "14:00", point="pelkosenniemi")]
    weight = base.config.roster.isolated_day_weight
    assert list(rules.isolated_day(roster(base, *rows))) == [
        rules.Finding("isolated_day", "soft", rules.Subject("advisor", "eila"), "Eila Kallio, Wed 14 Jan: isolated working day",
                      date=MONDAY + dt.timedelta(days=2), amount=1, weight=weight, point="pelkosenniemi")]


def test_contract_balance_carries_from_one_work_period_to_the_next(base):
    """[roster] period_weeks = 1 over two weeks: Heikki (0.5 FTE, 1088 min a week ± 60) works 25 h in the first week only."""
    two = with_roster_config(base, period_weeks=1)
    r = roster(two, *[shift(d, "heikki", "10:00", "15:00") for d in range(5)], weeks=2)
    heikki = rules.Subject("advisor", "heikki")
    assert [f for f in rules.contract_over(r) if f.subject == heikki] == [rules.Finding(
        "contract_over", "soft", heikki, "Heikki Koskinen: 5.87 h over contract beyond its tolerance over work period 1 "
        "(2015-01-12–2015-01-18) (target 18.1333 h ± 1 h); week 3: +6.87 h", date=MONDAY, amount=1500 - 1088 - 60, weight=2)]
    # The second week's 1088 minutes less the 412 carried over, less the tolerance.
    assert [f for f in rules.contract_under(r) if f.subject == heikki] == [rules.Finding(
        "contract_under", "soft", heikki, "Heikki Koskinen: 10.27 h under contract beyond its tolerance over work period 2 "
        "(2015-01-19–2015-01-25) (target 18.1333 h ± 1 h, +6.86667 h carried from earlier work periods); week 4: -18.13 h",
        date=MONDAY + dt.timedelta(days=7), amount=1088 - 60 - 412, weight=1)]
    # One period over both weeks: 2175 min ± 120 against 1500 paid.
    whole = roster(base, *[shift(d, "heikki", "10:00", "15:00") for d in range(5)], weeks=2)
    (under,) = [f for f in rules.contract_under(whole) if f.subject == heikki]
    assert (under.amount, under.date) == (2175 - 120 - 1500, None)
    assert under.message == ("Heikki Koskinen: 9.25 h under contract beyond its tolerance over the roster (target 36.25 h ± 2 h); "
                             "week 4: -18.13 h")
    assert [f.subject.id for f in rules.contract_under(whole)] == ["eila", "heikki", "marja"]  # not Tuomas, the backup


def test_unmanned_and_on_duty_count_the_advisors_missing(base):
    """Two on duty required: one serving leaves one short, as a soft penalty or, when hard, a breach."""
    workforce = base.config.workforce.model_copy(update={"min_on_duty": 2})
    two = base.model_copy(update={"config": base.config.model_copy(update={"workforce": workforce})})
    need = requirement(two, ("saarijarvi", MONDAY, "10:00", 0, "kela"), ("saarijarvi", MONDAY, "10:15", 0, "kela"))
    rows = [shift(0, "heikki", "10:00", "14:00"), shift(0, "marja", "10:15", "14:15")]
    weight = two.config.roster.unmanned_weight
    assert list(rules.unmanned(roster(two, *rows, requirements=need))) == [rules.Finding(
        "unmanned", "soft", rules.Subject("point", "saarijarvi"),
        "Saarijärvi, Mon 12 Jan 10:00–10:15: 1 advisor short of the 2 on duty whenever open",
        date=MONDAY, start=600, end=615, amount=1, weight=weight)]
    assert list(rules.someone_on_duty(roster(two, *rows, requirements=need))) == []  # soft unless on_duty_hard
    strict = with_roster_config(two, on_duty_hard=True)
    assert list(rules.someone_on_duty(roster(strict, *rows[:1], requirements=need))) == [
        rules.hard("on_duty", rules.Subject("point", "saarijarvi"), f"Saarijärvi, Mon 12 Jan {a}: 1 on duty, 2 required whenever open "
                   "([workforce] min_on_duty)",
                   amount=1, date=MONDAY, start=start, end=start + 15)
        for a, start in (("10:00–10:15", 600), ("10:15–10:30", 615))]


@pytest.mark.parametrize(("kind", "start", "worked", "breached"), [
    ("day_off", None, None, False),
    ("prefer_shift", dt.time(10), "10:00", False),
    ("prefer_shift", dt.time(11), "10:00", True),  # worked, but not the shift asked for
    ("prefer_shift", None, "10:00", False),  # any shift will do
    ("avoid_shift", dt.time(11), "10:00", False),  # another shift is no breach
    ("avoid_shift", None, "10:00", True),
    ("avoid_shift", dt.time(10), None, False),
])
def test_requests_met_and_not(base, kind, start, worked, breached):
    asked = [RosterRequestRow(advisor_id="heikki", date=TUESDAY, kind=kind, start=start, weight=7),
             # ignored: outside the period, for someone not in this scenario, or for a day not asked about
             RosterRequestRow(advisor_id="heikki", date=MONDAY + dt.timedelta(days=9), kind=kind, start=start, weight=7),
             RosterRequestRow(advisor_id="stranger", date=TUESDAY, kind=kind, start=start, weight=7)]
    scenario = base.model_copy(update={"roster_requests": tuple(asked)})
    rows = [] if worked is None else [shift(1, "heikki", worked, f"{int(worked[:2]) + 4:02d}:00")]
    found = [f for rule in (rules.request_day_off, rules.request_prefer_shift, rules.request_avoid_shift)
             for f in rule(roster(scenario, *rows))]
    assert [(f.rule, f.subject, f.date, f.amount, f.penalty) for f in found] == (
        [(f"request_{kind}", ("advisor", "heikki"), TUESDAY, 1, 7)] if breached else [])


def test_missing_skill_counts_only_who_is_at_that_point(base):
    """Eila (trained for kela) at Pelkosenniemi does not cover Saarijärvi, where Heikki knows only kunta."""
    trained = tuple(a.model_copy(update={"skills": ("kunta",)}) if a.advisor_id == "heikki" else a for a in base.advisors)
    scenario = base.model_copy(update={"advisors": trained})
    need = requirement(scenario, ("saarijarvi", MONDAY, "10:00", 1, "kela"))
    rows = [shift(0, "heikki", "10:00", "14:00"), shift(0, "eila", "10:00", "14:00", point="pelkosenniemi")]
    assert list(rules.missing_skill(roster(scenario, *rows, requirements=need))) == [rules.Finding(
        "missing_skill", "soft", rules.Subject("point", "saarijarvi"), "Saarijärvi, Mon 12 Jan: nobody trained for kela on duty",
        date=MONDAY, amount=1, weight=scenario.config.roster.missing_skill_weight)]


def test_backup_used_counts_backups_only(base):
    rows = [shift(0, "heikki", "10:00", "14:00"), shift(1, "tuomas", "09:00", "13:00", point="pelkosenniemi")]
    assert list(rules.backup_used(roster(base, *rows))) == [rules.Finding(
        "backup_used", "soft", rules.Subject("advisor", "tuomas"), "Tuomas Heikkinen, Tue 13 Jan: backup person on duty",
        date=TUESDAY, amount=1, weight=base.config.roster.backup_day_weight, point="pelkosenniemi")]


def test_a_run_of_work_has_no_single_day_off(base):
    """Heikki works Wednesday and Thursday only: the days off around the run are not single days off."""
    assert list(rules.fair_single_off(roster(base, shift(2, "heikki", "10:00", "14:00"), shift(3, "heikki", "10:00", "14:00")))) == []


def test_fairness_counts_up_to_each_work_period_s_last_day(base):
    """A roster from Sunday: its last day is a Saturday, which counts; one work period a week, counted cumulatively."""
    dates = [MONDAY + dt.timedelta(days=k - 1) for k in range(14)]  # Sun 11 Jan – Sat 24 Jan
    two = with_roster_config(base, period_weeks=1)
    rows = [shift(1, "heikki", "10:00", "14:00"), shift(12, "heikki", "10:00", "14:00")]  # Tue 13, Sat 24
    shifts, _ = rules.read_rows(two, rows, dates)
    found = list(rules.fair_saturday(rules.facts(two, dates, shifts, requirement(two))))
    assert [(f.amount, f.message) for f in found] == [
        (20, "Saarijärvi: Saturdays per full-time differ by 2 between advisors by Sat 24 Jan")]


def test_check_covers_exactly_the_weeks_asked_for(base):
    rows = [shift(6, "heikki", "10:00", "14:00"), shift(7, "heikki", "10:00", "14:00")]
    result = rules.check(base, rows, MONDAY, 1, requirement(base))
    assert [(f.rule, f.date) for f in result.hard] == [("outside_period", MONDAY + dt.timedelta(days=7))]


def test_closing_shifts_count_up_to_each_work_period_s_last_day(base):
    """As above for closing shifts (18:00–22:00 at Saarijärvi): one by Sat 17 Jan, two by Sat 24 Jan."""
    dates = [MONDAY + dt.timedelta(days=k - 1) for k in range(14)]
    two = with_roster_config(base, period_weeks=1)
    rows = [shift(1, "heikki", "18:00", "22:00"), shift(12, "heikki", "18:00", "22:00"), shift(3, "marja", "10:00", "14:00")]
    shifts, _ = rules.read_rows(two, rows, dates)
    found = list(rules.fair_late(rules.facts(two, dates, shifts, requirement(two))))
    assert [(f.amount, f.message) for f in found] == [
        (20, "Saarijärvi: closing shifts per full-time differ by 2 between advisors by Sat 17 Jan"),
        (40, "Saarijärvi: closing shifts per full-time differ by 4 between advisors by Sat 24 Jan")]


def test_a_shift_on_a_closed_day_is_no_closing_shift(base):
    """Saarijärvi closed on Sundays here: Heikki's Sunday shift is a hard breach, and scoring the rest goes on."""
    hours = tuple(h for h in base.opening_hours if (h.point_id, h.weekday) != ("saarijarvi", "sun"))
    scenario = base.model_copy(update={"opening_hours": hours})
    r = roster(scenario, shift(6, "heikki", "18:00", "22:00"))
    assert [f.rule for f in hard_findings(r)] == ["closed"]
    assert list(rules.fair_late(r)) == []


def test_isolated_days_next_to_the_roster_ends_count(base):
    """Tuesday and Saturday, each between two days off inside the week, are isolated."""
    r = roster(base, shift(1, "marja", "10:00", "14:00"), shift(5, "marja", "10:00", "14:00"))
    assert [f.date for f in rules.isolated_day(r)] == [TUESDAY, MONDAY + dt.timedelta(days=5)]


def test_cover_findings_whole(base):
    need = requirement(base, ("saarijarvi", TUESDAY, "10:00", 2, "kela"), ("saarijarvi", TUESDAY, "11:00", 0, "kela"))
    r = roster(base, shift(1, "heikki", "10:00", "14:00"), requirements=need)
    weights = base.config.roster
    assert list(rules.cover_under(r)) + list(rules.cover_over(r)) == [
        rules.Finding("cover_under", "soft", rules.Subject("point", "saarijarvi"),
                      "Saarijärvi, Tue 13 Jan 10:00–10:15: 1 advisor short of 2", date=TUESDAY, start=600, end=615,
                      amount=1, weight=weights.cover_under_weight),
        rules.Finding("cover_over", "soft", rules.Subject("point", "saarijarvi"),
                      "Saarijärvi, Tue 13 Jan 11:00–11:15: 1 advisor above 0", date=TUESDAY, start=660, end=675,
                      amount=1, weight=weights.cover_over_weight)]


@pytest.mark.parametrize(("minutes", "shown"), [(0, "0"), (30, "0.5"), (60, "1"), (600, "10"), (616, "10.27"), (105, "1.75")])
def test_hours_in_messages_drop_trailing_zeros(minutes, shown):
    assert rules._hours(minutes) == shown


def test_contract_target_skips_new_year_s_day_at_the_roster_s_end(base):
    """Fri 26 Dec 2014 – Thu 1 Jan 2015: Boxing Day and New Year's Day are holidays, so Heikki owes 3 days (652 min)."""
    dates = [dt.date(2014, 12, 26) + dt.timedelta(days=k) for k in range(7)]
    r = rules.facts(base, dates, [], requirement(base))
    (under,) = [f for f in rules.contract_under(r) if f.subject.id == "heikki"]
    assert under.amount == round(0.5 * 36.25 * 60 / 5 * 3) - 60
    assert "(target 10.8667 h ± 1 h)" in under.message


def test_contract_balance_carries_over_every_earlier_work_period(base):
    """Three one-week periods, 25 h worked in each of the first two: 412 min over twice, so week 3 owes 1088 − 824."""
    three = with_roster_config(base, period_weeks=1)
    rows = [shift(d, "heikki", "10:00", "15:00") for d in (*range(5), *range(7, 12))]
    r = roster(three, *rows, weeks=3)
    (under,) = [f for f in rules.contract_under(r) if f.subject.id == "heikki"]
    assert (under.amount, under.date) == (1088 - 60 - 824, MONDAY + dt.timedelta(days=14))
    assert "+13.7333 h carried from earlier work periods" in under.message


def test_fairness_spread_is_the_difference_between_advisors(base):
    """Heikki works two Saturdays, Marja one: 20 tenths per full-time apart."""
    rows = [shift(5, "heikki", "10:00", "14:00"), shift(12, "heikki", "10:00", "14:00"), shift(5, "marja", "10:00", "14:00")]
    assert list(rules.fair_saturday(roster(base, *rows, weeks=2))) == [rules.Finding(
        "fair_saturday", "soft", rules.Subject("point", "saarijarvi"),
        "Saarijärvi: Saturdays per full-time differ by 2 between advisors", amount=20,
        weight=base.config.roster.fair_saturday_weight)]


def test_the_roster_s_fixed_break_on_an_hourly_grid_is_one_the_checker_allows():
    """break_window_hours [2.5, 5] on 60-minute intervals: the window rounds inwards to 3–5 h, so an 8 h shift from
    08:00 with a 60 min lunch breaks at 12:00 (the middle), not at 11:30, off the grid the checker reads."""
    from planner.rosters.roster import fixed_break

    assert fixed_break(480, 480, 60, 150, 300, 60) == 720
    assert fixed_break(480, 465, 30, 150, 300, 15) == 480 + 150 + 75  # the 15-minute grid as before: the middle of 2.5–5 h


def test_nobody_serves_during_their_break_and_everyone_until_their_shift_ends(base):
    """Heikki 10:00–17:45 with lunch 12:30–13:00: the counter is short exactly in the two quarters of the break."""
    at = ("10:00", "12:15", "12:30", "12:45", "13:00", "17:30")
    need = requirement(base, *(("saarijarvi", MONDAY, t, 1, "kela") for t in at))
    r = roster(base, shift(0, "heikki", "10:00", "17:45", break_start="12:30", break_minutes=30), requirements=need)
    assert [f.start for f in rules.cover_under(r)] == [750, 765]
    assert list(rules.cover_over(r)) == []


def test_one_shift_a_day_names_the_advisor(base):
    found = only(roster(base, shift(0, "heikki", "10:00", "14:00"), shift(0, "heikki", "16:00", "20:00")), rules.one_shift_a_day)
    assert (found.subject, found.date, found.start, found.point) == (("advisor", "heikki"), MONDAY, 960, "saarijarvi")


def test_requests_after_one_that_is_ignored_still_count(base):
    """A request outside the period comes first in the file; the half-hour start and a day off's start are read right."""
    asked = (RosterRequestRow(advisor_id="heikki", date=MONDAY + dt.timedelta(days=9), kind="prefer_shift", weight=7),
             RosterRequestRow(advisor_id="heikki", date=MONDAY, kind="prefer_shift", start=dt.time(10, 30), weight=7),
             RosterRequestRow(advisor_id="marja", date=MONDAY, kind="day_off", start=dt.time(10), weight=5))
    scenario = base.model_copy(update={"roster_requests": asked})
    r = roster(scenario, shift(0, "heikki", "10:30", "14:30"), shift(0, "marja", "10:00", "14:00"))
    assert list(rules.request_prefer_shift(r)) == []  # 10:30 asked, 10:30 worked
    assert [f.message for f in rules.request_day_off(r)] == ["Marja Järvinen asked for a day off on Mon 12 Jan"]


def test_shifts_at_other_points_findings_whole(base):
    """Heikki may also work at Pelkosenniemi (other_points): only Marja's shift there is refused, named whole."""
    both = tuple(a.model_copy(update={"other_points": ("pelkosenniemi",)}) if a.advisor_id == "heikki" else a
                 for a in base.advisors)
    scenario = base.model_copy(update={"advisors": both})
    r = roster(scenario, shift(0, "heikki", "09:00", "13:00", point="pelkosenniemi"),
               shift(1, "marja", "09:00", "13:00", point="pelkosenniemi"), shift(2, "marja", "10:00", "14:00"))
    assert list(rules.only_at_own_points(r)) == [rules.hard(
        "allowed_point", rules.Subject("advisor", "marja"),
        "Marja Järvinen, Tue 13 Jan: works at Pelkosenniemi, not one of the advisor's points",
        date=TUESDAY, start=540, end=780, point="pelkosenniemi")]


def test_shifts_on_absence_days_findings_whole(base):
    """Away Tuesday to Wednesday: the shifts of Monday and Thursday stand, each day away gives its own finding."""
    away = base.model_copy(update={"absences": (AbsenceRow(advisor_id="heikki", start=TUESDAY,
                                                           end=TUESDAY + dt.timedelta(days=1)),)})
    r = roster(away, *(shift(d, "heikki", "10:00", "14:00") for d in range(4)), shift(1, "marja", "10:00", "14:00"))
    assert list(rules.not_while_away(r)) == [
        rules.hard("absence", rules.Subject("advisor", "heikki"), f"Heikki Koskinen, {day}: rostered while away "
                   "(absences.csv: no reason given, Tue 13 Jan–Wed 14 Jan)", date=MONDAY + dt.timedelta(days=d),
                   start=600, end=840, point="saarijarvi")
        for d, day in ((1, "Tue 13 Jan"), (2, "Wed 14 Jan"))]


def test_shifts_on_closed_days_findings_whole(base):
    """Pelkosenniemi opens Monday to Friday: Friday's shift stands, Saturday's and Sunday's are refused, named whole,
    and a closed day's shift is not also outside the (absent) opening hours."""
    r = roster(base, *(shift(d, "eila", "09:00", "13:00", point="pelkosenniemi") for d in (4, 5, 6)))
    assert list(rules.only_when_point_open(r)) == [
        rules.hard("closed", rules.Subject("advisor", "eila"), f"Pelkosenniemi, {day}: rostered while the point is "
                   "closed", date=MONDAY + dt.timedelta(days=d), start=540, end=780, point="pelkosenniemi")
        for d, day in ((5, "Sat 17 Jan"), (6, "Sun 18 Jan"))]
    assert list(rules.within_opening_hours(r)) == []


def test_opening_hours_findings_whole_and_the_opening_interval_counts(base):
    """Pelkosenniemi opens 09:10 on Tuesday here: a shift may start at 09:00, the start of the quarter it opens in,
    not at 08:45. Minutes outside are counted at both ends; a closed day's shift before them does not stop the check."""
    hours = tuple(h.model_copy(update={"opens": dt.time(9, 10)}) if (h.point_id, h.weekday) == ("pelkosenniemi", "tue")
                  else h for h in base.opening_hours)
    scenario = base.model_copy(update={"opening_hours": hours})
    r = roster(scenario, shift(5, "eila", "09:00", "13:00", point="pelkosenniemi"),  # Saturday, closed: skipped here
               shift(1, "eila", "09:00", "13:00", point="pelkosenniemi"),  # from the opening quarter: allowed
               shift(2, "eila", "11:00", "15:00", point="pelkosenniemi"),  # ends at closing time: allowed
               shift(1, "tuomas", "08:45", "12:45", point="pelkosenniemi"),
               shift(3, "eila", "08:00", "17:45", point="pelkosenniemi", break_start="11:00", break_minutes=30))
    assert list(rules.within_opening_hours(r)) == [
        rules.hard("opening_hours", rules.Subject("advisor", "tuomas"), "Tuomas Heikkinen, Tue 13 Jan: 08:45–12:45 "
                   "is outside the opening hours 09:10–15:00", amount=15, date=TUESDAY, start=525, end=765,
                   point="pelkosenniemi"),
        rules.hard("opening_hours", rules.Subject("advisor", "eila"), "Eila Kallio, Thu 15 Jan: 08:00–17:45 "
                   "is outside the opening hours 09:00–15:00", amount=60 + 165, date=MONDAY + dt.timedelta(days=3),
                   start=480, end=1065, point="pelkosenniemi")]


def test_the_break_threshold_is_the_configured_hours_exactly(base):
    """break_after_hours 7.4 (444 min): a 7.5 h shift is over it, so its break is due, however close."""
    workforce = base.config.workforce.model_copy(update={"shift_lengths_hours": (4.0, 7.5), "break_after_hours": 7.4})
    scenario = base.model_copy(update={"config": base.config.model_copy(update={"workforce": workforce})})
    bare = shift(0, "heikki", "10:00", "17:30")
    assert [f.rule for f in rules.allowed_shift(roster(scenario, bare))] == ["shift_type"]
    assert list(rules.allowed_shift(roster(scenario, {**bare, "break_start": "13:00", "break_minutes": "30"}))) == []


def test_a_break_is_on_the_grid_counted_from_the_shift_s_start(base):
    """A shift edited to start at 10:05: its break 2.5 h in (12:35) is allowed, 2 h 40 min in (12:45) is not."""
    def refused(break_start: str) -> bool:
        return bool(list(rules.allowed_shift(roster(base, shift(0, "heikki", "10:05", "17:50", break_start=break_start,
                                                                break_minutes=30)))))
    assert (refused("12:35"), refused("12:45")) == (False, True)


@pytest.mark.parametrize("row", [shift(0, "heikki", "10:00", "14:00", break_minutes=30),  # minutes, no start
                                 {**shift(0, "heikki", "10:00", "14:00", break_start="12:00"), "break_minutes": "0"}])
def test_a_short_shift_has_no_break_at_all(base, row):
    assert [f.rule for f in rules.allowed_shift(roster(base, row))] == ["shift_type"]


def test_daily_rest_findings_by_day_then_advisor(base):
    """Marja rests 10 h Monday night; Wednesday night Heikki 10.5 h and Marja 10 h: listed by day, then advisor,
    whatever the order of the rows or of the shifts' times."""
    rows = [shift(0, "marja", "18:00", "22:00"), shift(1, "marja", "08:00", "12:00"),
            shift(2, "marja", "16:00", "20:00"), shift(3, "marja", "06:00", "10:00"),
            shift(2, "heikki", "17:30", "21:30"), shift(3, "heikki", "08:00", "12:00")]
    found = list(rules.daily_rest_11h(roster(base, *rows)))
    assert [(f.date.day, f.subject.id, f.amount) for f in found] == [(13, "marja", 60), (15, "heikki", 30),
                                                                     (15, "marja", 60)]


def test_the_day_s_rest_runs_from_its_last_end_to_the_next_day_s_first_start(base):
    """Two shifts on Tuesday (a breach of its own): the rest before it ends at its first start, 06:00."""
    rows = [shift(0, "heikki", "17:00", "21:00"), shift(1, "heikki", "06:00", "10:00"), shift(1, "heikki", "12:00", "16:00")]
    r = roster(base, *rows)
    assert r.span[("heikki", 1)] == (360, 960)
    assert [(f.amount, f.message) for f in rules.daily_rest_11h(r)] == [
        (120, "Heikki Koskinen, Mon 12 Jan–Tue 13 Jan: 9 h rest, under 11 h (Working Hours Act §25)")]


def test_a_roster_without_break_columns_is_read_as_shifts_without_breaks(base):
    row = {k: v for k, v in shift(0, "heikki", "10:00", "14:00").items() if k not in ("break_start", "break_minutes")}
    shifts, findings = rules.read_rows(base, [row], [MONDAY + dt.timedelta(days=k) for k in range(7)])
    assert (shifts, findings) == ([rules.Shift("saarijarvi", "heikki", MONDAY, 600, 840, None, 0)], [])


def test_on_duty_amount_is_the_advisors_missing(base):
    """Two on duty required, nobody there: the hard breach counts 2 advisors missing."""
    workforce = base.config.workforce.model_copy(update={"min_on_duty": 2})
    two = with_roster_config(base.model_copy(update={"config": base.config.model_copy(update={"workforce": workforce})}),
                             on_duty_hard=True)
    need = requirement(two, ("saarijarvi", MONDAY, "10:00", 0, "kela"))
    assert [f.amount for f in rules.someone_on_duty(roster(two, requirements=need))] == [2]
