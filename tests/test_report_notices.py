"""A step or part the run could not make is said in report.html, in the report's language (the new user's trial: the
roster step failed, and only the terminal and manifest.json said so)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from planner.base.errors import InfeasiblePlan
from planner.cli import main
from planner.outputs.i18n import Words
from planner.outputs.report import Report, add_status_quo_notice, add_step_notices, render_html
from planner.rosters.stage import RosterStage
from tests.conftest import DEFAULT_DIR, shortened_copy
from tests.test_report_browser import CHROMIUM, chromium

HEADING = {"en": "Not everything was planned", "fi": "Kaikkea ei suunniteltu", "sv": "Allt planerades inte"}
ROSTERS = {"en": "Rosters", "fi": "Työvuoroluettelot", "sv": "Arbetsscheman"}


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_a_skipped_step_opens_the_report_in_its_language(lang):
    report = Report("Plan", lang=lang)
    add_step_notices(report, {"roster": {"status": "skipped", "reason": "advisors.csv: no advisor for kiiminki"},
                              "outreach": {"status": "OPTIMAL"}}, {})
    page = render_html(report)
    box = page[page.index('<div class="notice"'):page.index("<nav>")]  # above everything else
    assert HEADING[lang] in box and f"{ROSTERS[lang]}: " in box
    assert "advisors.csv: no advisor for kiiminki" in box
    assert ("Syyt ovat englanniksi" in box) == (lang == "fi")


def test_a_failed_part_is_said_with_the_others_complete():
    report = Report("Plan")
    add_step_notices(report, {"roster": {"status": "FEASIBLE"}}, {"roster:kiiminki": "the rules clash\nmore"})
    assert report.notices == ["Rosters, kiiminki: not made — the rules clash. The other parts are complete."]


def test_a_complete_plan_has_no_notice():
    report = Report("Plan")
    add_step_notices(report, {"roster": {"status": "OPTIMAL"}, "outreach": {"status": "OPTIMAL"}}, {})
    assert report.notices == [] and 'class="notice"' not in render_html(report)


@pytest.mark.slow  # a month's plan end to end
def test_a_plan_whose_roster_step_failed_says_so_in_the_report(tmp_path, monkeypatch):
    def clash(self, piece, progress=None):
        raise InfeasiblePlan(["the rules clash"])

    monkeypatch.setattr(RosterStage, "solve", clash)
    scenario = shortened_copy(tmp_path, 1, time_limit=2, work_limit=1)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["plan", str(scenario), "-o", str(out), "--quiet", "--lang", "sv"])
    assert result.exit_code == 3, result.output  # the groups are named on the terminal, and the rest is written
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.index('id="notices"') < page.index("<nav>")
    assert "Arbetsscheman: inte gjorda — no point group could be rostered" in page
    assert "Arbetsscheman, Oulu Kiiminki: inte gjorda — the rules clash." in page  # points.csv name, not the id
    if CHROMIUM is not None:  # and a browser shows it (test_report_browser.py: skipped without Chromium outside CI)
        shown = chromium(tmp_path, "--dump-dom", (out / "report.html").as_uri())
        assert shown.returncode == 0 and "Allt planerades inte" in shown.stdout


QUO = {"en": "Outreach, status quo (today's visits, status_quo_visits.csv): not computed — ",
       "fi": "Jalkautuminen, nykytila (nykyiset käynnit, status_quo_visits.csv): ei laskettu — ",
       "sv": "Uppsökande service, nuläge (dagens besök, status_quo_visits.csv): inte beräknat — "}


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_a_status_quo_that_could_not_be_computed_is_said(lang):
    """The trial: at a tiny budget the status quo's column and row vanished from the report with no word."""
    report = Report("Plan", lang=lang)
    add_status_quo_notice(report, {"status_quo": None, "status_quo_note": "not computed: no plan found within the "
                                                                          "work budget (solver status UNKNOWN)"})
    assert report.notices == [QUO[lang] + report.notices[0].split(" — ", 1)[1]]
    assert "no plan found within the work budget (solver status UNKNOWN)" in report.notices[0]
    assert "not computed: no plan" not in report.notices[0]


def test_no_status_quo_notice_when_it_was_computed_or_there_is_no_file():
    report = Report("Plan")
    add_status_quo_notice(report, {"status_quo": {"official_cost_eur": 1.0}, "status_quo_note": None})
    add_status_quo_notice(report, {"status_quo": None, "status_quo_note": None})  # no status_quo_visits.csv
    add_status_quo_notice(report, None)  # no outreach
    assert report.notices == []


@pytest.mark.slow  # the pilots' plan end to end at a budget too small for the status quo (~45 s)
def test_a_plan_whose_status_quo_failed_says_so_in_the_report(tmp_path):
    out = tmp_path / "p"
    result = CliRunner().invoke(main, ["plan", str(DEFAULT_DIR), "-o", str(out), "-q", "--work-limit", "0.01"])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    box = page[page.index('<div class="notice"'):page.index("<nav>")]
    assert QUO["en"] in box.replace("&#x27;", "'")


def test_a_failed_point_group_is_named_by_its_points_names():
    """The trial: the fi/sv box said "saarijarvi", the id, where everything else says Saarijärvi."""
    report = Report("Plan", lang="fi")
    add_step_notices(report, {"roster": {"status": "FEASIBLE"}}, {"roster:parainen+saarijarvi": "the rules clash"},
                     names={"saarijarvi": "Saarijärvi", "parainen": "Parainen"})
    assert report.notices[0].startswith("Työvuoroluettelot, Parainen + Saarijärvi: ei laadittu — the rules clash.")


def test_a_complete_plan_with_warnings_is_not_said_to_be_incomplete():
    """A new user's trial: the box over a complete plan's input warnings (a closure after the horizon) was headed
    "Kaikkea ei suunniteltu" (not everything was planned); its warnings are now under a heading of their own."""
    from planner.base.errors import Problem
    from planner.outputs.report import add_input_notices

    for lang, check in (("en", "Check before publishing"), ("fi", "Tarkista ennen julkaisua"),
                        ("sv", "Kontrollera före publicering")):
        report = Report("Plan", lang=lang)
        add_input_notices(report, [Problem("closures.csv", "after the horizon", row=7, column="date",
                                           severity="warning")], Words(lang))
        page = render_html(report)
        assert check in page and HEADING[lang] not in page
        add_step_notices(report, {"roster": {"status": "skipped", "reason": "no advisors"}}, {}, Words(lang))
        page = render_html(report)  # both kinds: each under its heading, what was not made first
        assert page.index(HEADING[lang]) < page.index(check)


def test_the_outreach_plans_warnings_are_in_the_box_the_first_ten_and_how_many_more():
    from planner.outputs.report import MAX_OUTREACH_CAUTIONS, add_outreach_cautions

    unmet = ("7 customers of te arrive from 2015-01-15, when every office of te is closed to customers "
             "(closures.csv): 5 served at visits, 0 by video, 2 unmet")
    warnings = [unmet, *(f"police-oulu on 2015-01-{d:02d}: the visit runs past closing" for d in range(2, 14)),
                "plan check: every visit serves someone"]
    report = Report("Plan", lang="fi")
    add_outreach_cautions(report, warnings, Words("fi"))
    assert report.cautions[0] == f"Jalkautuminen: {unmet}."
    assert len(report.cautions) == MAX_OUTREACH_CAUTIONS + 1 and not any("plan check" in c for c in report.cautions)
    assert report.cautions[-1] == "… ja 3 muuta varoitusta tiedostossa outreach/summary.json."
    assert report.notices == [] and "Tarkista ennen julkaisua" in render_html(report)
