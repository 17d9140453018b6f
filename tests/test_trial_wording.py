"""The new user's trial, the words: roster breaches in the report's language, the first work period called a work
period, a sick day said as the absence, objectives without an exponent, totals that add up, the blocks of outreach's
bound explained in the README."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from models import advisor_roster as ar
from models.kit import Violation
from planner.outputs import text
from planner.outputs.i18n import Words
from planner.outputs.report import Report, add_violations_section
from planner.rosters.roster import GroupResult, RosterRun, violations_table

REPO = Path(__file__).resolve().parent.parent

# One message of each kind as models/advisor_roster.py and planner/rosters/roster.py write them (violations.csv).
MESSAGES = [
    "Oulu Kiiminki, Fri 2 Jan 11:00–12:00: 1 advisor above 2",
    "Mikkeli city office building, Fri 2 Jan 15:45–16:00: 1 advisor short of 2",
    "Mikkeli, Sat 3 Jan 09:00–09:15: 1 advisor short of the 1 on duty whenever open",
    "Mikkeli, Sat 3 Jan 09:15–09:30: 2 advisors short of the 2 on duty whenever open",
    "Oulu Kiiminki, Fri 2 Jan 12:00–13:00: 3 advisors above 1",
    # violations.csv written before the plural forms
    "Mikkeli city office building, Fri 2 Jan 15:45–16:00: 1 advisor(s) short of 2",
    "Sari Mäkinen: 4.75 h under contract beyond its tolerance over the roster (target 130.5 h ± 4 h); week 1: -1.25 h, "
    "week 2: -1.25 h",
    "Jari Hämäläinen: 8.75 h over contract beyond its tolerance over the work period (target 65.25 h ± 4 h, +2 h "
    "carried from earlier work periods); week 3: +4.87 h",
    "Jari Hämäläinen: 1 h over contract beyond its tolerance over work period 1 (2015-01-01–2015-01-21) "
    "(target 65.25 h ± 4 h)",
    "Oulu Kiiminki: closing shifts per full-time differ by 0.3 between advisors",
    "Oulu Kiiminki: Saturdays differ by 2 between advisors",
    "Oulu Kiiminki: single days off per full-time differ by 1 between advisors",
    "Sari Mäkinen, Fri 2 Jan: isolated working day",
    "Sari Mäkinen asked for a day off on Fri 2 Jan",
    "Sari Mäkinen asked to work a shift starting 09:00 on Mon 5 Jan",
    "Sari Mäkinen asked not to work a shift starting 09:00 on Mon 5 Jan",
]
ENGLISH = re.compile(r"\badvisors?\b|contract|tolerance|differ by|between advisors|isolated|asked|over the|"
                     r"\bweek \d|target|whenever open|carried|\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d")


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("message", MESSAGES)
def test_every_kind_of_roster_breach_is_said_in_the_language(lang, message):
    said = Words(lang).breach(message)
    assert not ENGLISH.search(said), said
    names = re.findall(r"Sari Mäkinen|Jari Hämäläinen|Oulu Kiiminki|Mikkeli[\w ]*?(?=,)", message)
    assert all(name in said for name in names)  # names, numbers and times as written
    # the numbers as written, with a decimal comma (the trial: "4.75 h" in a Finnish sentence)
    assert re.findall(r"\d+(?:\.\d+)?", message.replace(" Jan", ""))[-1].replace(".", ",") in said
    assert not re.search(r"(?<![\d.])\d+\.\d+(?![\d.])", said), said  # no decimal point; "pe 2.1." is a date
    assert not re.search(r"\b(\w+) \1\b", said) and said.count(" yli ") <= 1, said  # "yli … yli": the trial's word


def test_the_report_shows_the_breaches_in_its_language():
    violations = pd.DataFrame([{"point": "kiiminki", "advisor": "sari", "date": "2015-01-02", "start": "", "end": "",
                                "penalty": 3.0, "message": MESSAGES[-4]}])
    report = Report("Plan", lang="fi")
    add_violations_section(report, violations, None, Words("fi"))
    body = report.sections[0][1]
    assert "Sari Mäkinen, pe 2.1.: yksittäinen työpäivä vapaiden välissä" in body and "isolated" not in body
    english = Report("Plan")
    add_violations_section(english, violations, None, Words("en"))
    assert MESSAGES[-4] in english.sections[0][1]


@pytest.mark.parametrize("lang,said", [("fi", "tällä saavutettavuuden painolla λ toimipiste oli edullisempi"),
                                       ("sv", "vid denna tillgänglighetsvikt λ var kontoret billigare")])
def test_the_report_says_why_customers_went_to_the_office_in_its_language(lang, said):
    # access.csv's reasons are English ("code: detail"); the Finnish report showed them as written.
    from planner.outreach.plan import REASONS

    english = "office_cheaper: no visit: the customers' trips to the office cost less than a visit at this λ"
    access = pd.DataFrame([{"point_id": "posio", "provider_id": "poliisi", "appointment_type": "passport",
                            "customers": 3, "served_at_point": 0, "at_office": 3, "unmet": 0, "reason": english}])
    report = Report("Plan", lang=lang)
    add_violations_section(report, None, access, Words(lang))
    body = report.sections[0][1]
    assert said in body and "cost less" not in body, body
    assert all(Words(lang).access_reason(f"{code}: x") not in (f"{code}: x", REASONS[code]) for code in REASONS)
    assert Words("en").access_reason(english) == english


def contract_breach(message: str) -> GroupResult:
    solution = ar.Solution("OPTIMAL", 525.0, 525.0, 0.0, 1.0, False, {}, (
        Violation("contract_over", 525, 1.0, 525.0, message, employee="jari"),))
    return GroupResult(("kiiminki",), None, {}, solution)  # type: ignore[arg-type]


def test_the_first_work_period_is_called_a_work_period():
    """Six weeks in work periods of three: the first period's model sees no period before it and words its contract
    breach "over the roster"; violations.csv says which work period, as `planner check` does."""
    dates = [dt.date(2015, 1, 5) + dt.timedelta(days=n) for n in range(42)]
    run = RosterRun(dates, [contract_breach("Jari: 8.75 h over contract beyond its tolerance over the roster (target "
                                            "65.25 h ± 4 h)")])
    [message] = violations_table(run, period_weeks=3)["message"]
    assert message == ("Jari: 8.75 h over contract beyond its tolerance over work period 1 (2015-01-05–2015-01-25) "
                       "(target 65.25 h ± 4 h)")
    single = RosterRun(dates[:21], run.groups)
    assert "over the roster" in violations_table(single, period_weeks=3)["message"][0]  # one period: the roster


def test_large_objectives_have_no_exponent():
    assert text.points(1561700.0) == "1561700"
    assert text.points(21317.0) == "21317" and text.points(12.5) == "12.5"


def test_the_readme_explains_the_blocks_bound_kind_speaks_of():
    """summary.json `bound_kind` of outreach speaks of "a horizon planned in blocks"; the README says what they are."""
    source = (REPO / "planner" / "outreach" / "plan.py").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "a horizon planned in blocks" in source
    section = readme[readme.index("### Long outreach horizons: blocks"):]
    assert "a horizon planned in blocks" in section[:200] and "LP relaxation" in section


def test_planner_check_help_and_readme_give_the_period_and_options_in_one_order():
    """The trial (issue #14 item 5): `planner check --help` said --from/--weeks first, then the summary.json beside the
    roster; the README said the summary.json first — and the code does what --help says (pipeline.roster_period)."""
    from click.testing import CliRunner

    from planner.cli import main

    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    shown = " ".join(CliRunner().invoke(main, ["check", "--help"]).output.split())
    synopsis = re.search(r"`planner check INPUT_DIR ROSTER\.csv ([^`]*)`", readme)
    assert synopsis, "the README gives planner check's options"
    options = re.findall(r"\[(-{1,2}[\w-]+)", synopsis[1])
    listed = re.findall(r"^ {2}(?:(-\w), )?(--[\w-]+)", CliRunner().invoke(main, ["check", "--help"]).output, re.M)
    assert options == [short or long for short, long in listed if long != "--help"]
    order = ("--from/--weeks, else the one in the summary.json beside the roster, else the scenario's defaults")
    assert order in shown and order in readme.replace("`", "")
