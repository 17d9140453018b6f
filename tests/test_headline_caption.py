"""The report's headline for state providers: the status quo is mentioned only when it was scored."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from planner.outputs import i18n
from planner.outputs.headline import Headline, outreach_period
from planner.outputs.report import headline_html
from planner.scenario.loading import load_scenario
from tests.conftest import GOLDEN_DIR


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(GOLDEN_DIR)[0]


def providers(quo: float | None) -> pd.DataFrame:
    """headline_providers.csv as build_headline makes it: the status quo's cost is on the total row, or None."""
    row = {"compensation_eur_year": 1000.0, "outreach_cost_eur": 157.82, "served_locally": 2.0,
           "not_served_locally": 1.0, "by_video": 2.0}
    return pd.DataFrame([{"provider_id": "poliisi", **row},
                         {"provider_id": "total", **row, "status_quo_cost_eur": quo}])


def html_of(scenario, quo: float | None, lang: str) -> str:
    empty = pd.DataFrame(columns=["point_id"])
    return headline_html(Headline(empty, empty, providers(quo)), scenario, i18n.Words(lang, scenario))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_without_a_status_quo_the_headline_does_not_mention_it(scenario, lang):
    """No status_quo_visits.csv (golden pilots): neither the caption nor a column speaks of a status quo."""
    without = html_of(scenario, None, lang).lower()
    for key in ("status_quo", "status_quo_cost"):
        assert i18n.Words(lang)(key).lower() not in without
    assert i18n.Words(lang)("outreach_note_alone").lower().replace("'", "&#x27;") in without
    with_quo = html_of(scenario, 170.0, lang)
    assert i18n.Words(lang)("status_quo_cost") in with_quo and "170" in with_quo
    assert i18n.Words(lang)("outreach_note").replace("'", "&#x27;") in with_quo


def test_the_caption_names_no_year_of_its_own():
    """The status quo is today's visits of the scenario at hand, not of 2015."""
    assert not any("2015" in text for text in i18n.TEXTS["outreach_note"])


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "outreach 1.1.–31.3.2015 (3 months), not a year"),
    ("fi", "jalkautuminen 1.1.–31.3.2015 (3 kuukautta), ei vuosi"),
    ("sv", "uppsökande service 1.1.–31.3.2015 (3 månader), inte ett år"),
])
def test_the_provider_screen_says_the_horizon_of_every_euro(scenario, lang, said):
    """The demo put a quarter's outreach € beside compensation € a year with nothing to tell them apart: a header
    over the outreach columns names their horizon, and one over compensation says a year."""
    period = outreach_period({"horizon": {"start": "2015-01-01", "end": "2015-03-31", "months": 3}})
    assert period == (dt.date(2015, 1, 1), dt.date(2015, 3, 31), 3)
    empty = pd.DataFrame(columns=["point_id"])
    page = headline_html(Headline(empty, empty, providers(170.0), outreach_period=period), scenario,
                         i18n.Words(lang, scenario))
    head = page[page.index('<div class="box providers">'):]
    head = head[:head.index("</thead>")]
    assert f'<th colspan="5">{said}</th>' in head  # cost, status quo, served, not served, by video
    assert f"<th>{i18n.Words(lang)('per_year')}</th>" in head
