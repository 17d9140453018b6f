"""The new user's trial of the report in Finnish (issue #15 items 6, 8 and 10), on the pilots' month planned end to
end: numbers with a decimal comma and residents in whole people, the input's warnings in the notices box (they were
on the terminal only), and the status quo's cost per provider on the provider screen (it was blank but for the
total)."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.outputs.i18n import Words, decimal_commas
from planner.outputs.report import Report, add_input_notices
from planner.scenario.loading import load_scenario
from tests.conftest import edit_cell, shortened_copy
from tests.paths import shared_dir


@pytest.fixture(scope="module")
def finnish_plan(tmp_path_factory):
    """The pilots' January in Finnish; Saarijärvi's two advisors at 0.3 FTE, so that its opening hours outgrow their
    contracts: the input warning of a point that cannot be manned (the trial's 24-hour point, in a month's plan)."""
    tmp = tmp_path_factory.mktemp("fi")
    scenario = shortened_copy(tmp, 1, time_limit=10, work_limit=0.5)
    for row in (12, 13):
        edit_cell(scenario / "advisors.csv", row, "fte", "0.3")
    out = tmp / "out"
    result = CliRunner().invoke(main, ["plan", str(scenario), "-o", str(out), "--quiet", "--lang", "fi"])
    assert result.exit_code == 0, result.output
    assert "warning: opening_hours.csv row" in result.output  # on the terminal, as before
    return out


def visible_text(page: str) -> list[str]:
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", page, flags=re.S)
    return [html.unescape(t).strip() for t in re.findall(r">([^<>]+)<", page) if t.strip()]


@pytest.mark.slow  # a month's plan end to end (~25 s)
def test_finnish_report_numbers_have_decimal_commas_and_residents_are_whole(finnish_plan):
    texts = visible_text((finnish_plan / "report.html").read_text(encoding="utf-8"))
    decimals = [t for t in texts if re.search(r"(?<![\d.])\d+\.\d+(?![\d.])", t)]
    # left: only what is not Finnish prose or a Finnish number (an English reason code of access.csv, a file name)
    assert not [t for t in decimals if not t.startswith(("office_cheaper", "video_chosen", "under_half"))
                and "gap" not in t], decimals[:10]
    assert any(re.search(r"\(\d+,\d\d htv\)", t) for t in texts)  # "tarvitaan 4 henkilöä (2,67 htv)"
    assert not any(" yli " in t and t.count(" yli ") > 1 for t in texts)  # "yli sopimuksen yli sallitun"
    providers = pd.read_csv(finnish_plan / "headline_providers.csv", dtype=str)
    for column in ("served_locally", "not_served_locally", "by_video"):
        assert providers[column].str.fullmatch(r"\d+").all(), providers[column].tolist()  # 40, not 40.0


@pytest.mark.slow
def test_the_input_warning_is_in_the_notices_box_and_the_manifest(finnish_plan):
    page = (finnish_plan / "report.html").read_text(encoding="utf-8")
    box = html.unescape(page[page.index('<div class="notice"'):page.index("<nav>")])
    assert "Syötteen varoitus — opening_hours.csv row" in box and "column closes: point 'saarijarvi'" in box
    manifest = json.loads((finnish_plan / "manifest.json").read_text(encoding="utf-8"))
    assert any("point 'saarijarvi' is open" in w for w in manifest["input_warnings"])


@pytest.mark.slow
def test_the_provider_screen_gives_the_status_quo_per_provider(finnish_plan):
    providers = pd.read_csv(finnish_plan / "headline_providers.csv").set_index("provider_id")
    quo = json.loads((finnish_plan / "outreach" / "summary.json").read_text(encoding="utf-8"))["status_quo"]
    by_provider = quo["official_cost_eur_by_provider"]
    assert by_provider and set(by_provider) <= set(providers.index)  # the providers with trips today
    for provider, row in providers.drop(index="total").iterrows():
        assert row["status_quo_cost_eur"] == pytest.approx(by_provider.get(provider, 0.0))  # none blank
    assert providers.loc["total", "status_quo_cost_eur"] == pytest.approx(
        providers.drop(index="total")["status_quo_cost_eur"].sum())  # the rows add up
    assert providers.loc["total", "status_quo_cost_eur"] == pytest.approx(quo["official_cost_eur"], abs=0.1)  # cents
    page = html.unescape((finnish_plan / "report.html").read_text(encoding="utf-8"))
    screen = page[page.index('class="box providers"'):]
    police = screen[screen.index("Poliisin lupapalvelut"):][:200]
    assert f"{by_provider['poliisi']:,.0f} €".replace(",", "\u00a0") in police


def test_a_shared_case_s_warning_becomes_a_notice_in_each_language():
    """The 24-hour point of ../shared/cases: load_scenario's warning, in the report's language around it."""
    _, warnings = load_scenario(shared_dir() / "cases" / "roster-point-open-24h", purpose="staffing")
    assert any("open 168 h a week" in w.message for w in warnings)
    for lang, head in (("en", "Input warning — "), ("fi", "Syötteen varoitus — "), ("sv", "Varning om indata — ")):
        report = Report("Plan", lang=lang)
        add_input_notices(report, warnings, Words(lang))
        notice = next(n for n in report.cautions if "168 h a week" in n)
        assert notice.startswith(head + "opening_hours.csv row ")


def test_decimal_commas_leave_dates_and_times():
    assert decimal_commas("4.75 h, week 2: -1.25 h, pe 2.1. 09:00, 1.1.–31.3.2015, 0.3:llä") == \
        "4,75 h, week 2: -1,25 h, pe 2.1. 09:00, 1.1.–31.3.2015, 0,3:llä"
    assert Words("fi")("risk_fte", point="P", fte="2.67", month="m", have_fte="2.00").count(",") >= 2
    assert Words("en")("risk_fte", point="P", fte="2.67", month="m", have_fte="2.00").count("2.67") == 1


def test_chart_ticks_have_decimal_commas_in_finnish():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from planner.outputs.report import _png

    figure, axis = plt.subplots()
    axis.plot([0, 1.5], [0.25, 2.75])
    _png(figure, Words("fi"))
    assert "0,5" in [t.get_text() for t in axis.get_yticklabels()]
