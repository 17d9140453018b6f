"""The report's headline for state providers: the status quo is mentioned only when it was scored."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.outputs import i18n
from planner.outputs.headline import Headline
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
