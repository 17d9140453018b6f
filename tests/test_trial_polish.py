"""A new user's trial, small faults of wording (brief D): validate said "nothing was written" though it never writes;
a calendar said "unpaid lunch break 0 min" of a shift without one; the Finnish contract-hours breach read "4,75 h alle
sopimuksen sallitun poikkeaman ulkopuolella"; the Finnish access reasons said "he jäävät palvelematta" of 1 customer
and "palveluntarjoaja" where the rest of the report says "palveluntuottaja"."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner
from icalendar import Calendar

from planner.cli import main
from planner.outputs.calendars import advisor_calendars
from planner.outputs.i18n import ACCESS_REASONS, Words
from planner.scenario.loading import load_scenario
from tests.conftest import GOLDEN_DIR


def test_validate_does_not_say_nothing_was_written(tmp_path):
    scenario = tmp_path / "scenario"
    shutil.copytree(GOLDEN_DIR, scenario)
    toml = scenario / "scenario.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[horizon]", "[horizon]\nmonths = = 1", 1),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(scenario)])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == "1 error." and "nothing was written" not in result.output


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_a_calendar_names_the_lunch_break_only_of_a_shift_with_one(lang):
    scenario, _ = load_scenario(GOLDEN_DIR)
    advisor = scenario.advisors[0]
    day = dt.date(2015, 1, 2)
    roster = pd.DataFrame([
        {"date": str(day), "point": advisor.point_id, "advisor": advisor.advisor_id, "start": "10:00", "end": "15:00",
         "break_start": "", "break_minutes": 0, "paid_hours": 5.0, "providers": "kela"},
        {"date": str(day + dt.timedelta(days=3)), "point": advisor.point_id, "advisor": advisor.advisor_id,
         "start": "08:00", "end": "16:15", "break_start": "11:30", "break_minutes": 30, "paid_hours": 7.75,
         "providers": "kela"}])
    files = advisor_calendars(scenario, roster, [day + dt.timedelta(days=k) for k in range(7)], Words(lang))
    (text,) = [t for name, t in files.items() if advisor.advisor_id in name]
    said = sorted(str(e["DESCRIPTION"]) for e in Calendar.from_ical(text).walk("VEVENT") if "DESCRIPTION" in e)
    brk = {"en": "unpaid lunch break", "fi": "palkaton lounastauko", "sv": "obetald lunchrast"}[lang]
    assert said[0].startswith(f"08:00–16:15, {brk} 30 min;")
    assert said[1].startswith("10:00–15:00; ") and brk not in said[1] and "0 min" not in said[1]


@pytest.mark.parametrize(("lang", "under", "over"), [
    ("fi", "4,75 h alle sopimuksen sallitun vaihteluvälin", "2 h yli sopimuksen sallitun vaihteluvälin"),
    ("sv", "4,75 h under avtalets tillåtna marginal", "2 h över avtalets tillåtna marginal"),
])
def test_contract_hours_beyond_the_tolerance_read_naturally(lang, under, over):
    words = Words(lang)
    assert words.breach("Heikki Koskinen: 4.75 h under contract beyond its tolerance over the roster").startswith(
        f"Heikki Koskinen: {under}")
    assert words.breach("Heikki Koskinen: 2 h over contract beyond its tolerance over the roster").startswith(
        f"Heikki Koskinen: {over}")
    assert "ulkopuolella" not in words.breach("x: 4.75 h under contract beyond its tolerance")


@pytest.mark.parametrize(("lang", "one", "many", "term"), [
    ("fi", "hän jää palvelematta", "he jäävät palvelematta", "palveluntuottaja"),
    ("sv", "kunden blir utan service", "de blir utan service", "tjänsteproducent"),
])
def test_an_access_reason_agrees_with_its_customers_and_names_the_provider_as_the_report_does(lang, one, many, term):
    words = Words(lang)
    access = pd.DataFrame({"at_office": [0, 0, 1], "unmet": [1, 3, 0],
                           "reason": ["offices_closed: …", "offices_closed: …", "no_official: kela has no officials"]})
    reasons = list(words.cells(access)["reason"])
    assert reasons[0].endswith(one) and many not in reasons[0]
    assert reasons[1].endswith(many)
    assert one.split()[0] in reasons[2] or one in reasons[2]
    for code in ("no_official", "offices_closed"):
        assert term in words.access_reason(f"{code}: detail") and "palveluntarjoaj" not in str(ACCESS_REASONS[code])
        assert "leverantör" not in str(ACCESS_REASONS[code])
