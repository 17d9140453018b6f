"""A new user's trial: output folders of other commands, validate's wording and order, warnings it owed, honest
headline risks and no empty status-quo column.

Driven as the user did: the CLI with CliRunner on copies of the golden scenario (two points, January).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from planner.base.geo import great_circle_km
from planner.cli import main
from planner.outputs import i18n
from planner.outputs.headline import build_headline
from planner.scenario.loading import load_scenario
from planner.staffing.sizing import SizingResult
from tests.conftest import DEFAULT_DIR, GOLDEN_DIR, read_rows, write_rows


@pytest.fixture(scope="module")
def planned_fi(tmp_path_factory) -> Path:
    """`planner plan` of the golden scenario in Finnish (it has no status_quo_visits.csv)."""
    out = tmp_path_factory.mktemp("trial") / "plan"
    result = CliRunner().invoke(main, ["plan", str(GOLDEN_DIR), "-o", str(out), "--quiet", "--lang", "fi"])
    assert result.exit_code == 0, result.output
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ 1. another command's output folder

@pytest.mark.slow
def test_outreach_into_a_plans_folder_is_refused_and_the_plan_kept_unless_forced(planned_fi, tmp_path):
    """`planner outreach -o DIR` into a plan's folder replaced the whole plan without a word."""
    plan = tmp_path / "plan"
    shutil.copytree(planned_fi, plan)
    before = snapshot(plan)
    result = CliRunner().invoke(main, ["outreach", str(GOLDEN_DIR), "-o", str(plan), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "holds the result of `planner plan`; `planner outreach` would replace it as a whole" in result.stderr
    assert "--force" in result.stderr
    assert snapshot(plan) == before
    forced = CliRunner().invoke(main, ["outreach", str(GOLDEN_DIR), "-o", str(plan), "--quiet", "--force"])
    assert forced.exit_code == 0, forced.output
    assert (plan / "visits.csv").is_file() and not (plan / "report.html").exists()


def test_a_command_replaces_its_own_result_and_no_other_commands(tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    for _ in range(2):  # re-running a command into its folder is the everyday case: no flag needed
        assert runner.invoke(main, ["demand", str(GOLDEN_DIR), "-o", str(out)]).exit_code == 0
    before = snapshot(out)
    refused = runner.invoke(main, ["staff", str(GOLDEN_DIR), "-o", str(out), "--quiet"])
    assert refused.exit_code == 2, refused.output
    assert "holds the result of `planner demand`; `planner staff` would replace it" in refused.stderr
    assert snapshot(out) == before
    forced = runner.invoke(main, ["staff", str(GOLDEN_DIR), "-o", str(out), "--quiet", "--force"])
    assert forced.exit_code == 0, forced.output
    assert (out / "staffing_summary.csv").is_file()


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append((prefix + name, command))
    return found


# `generate national` writes a scenario (inputs), `check -o` one findings file: neither is a result folder.
NOT_A_RESULT_FOLDER = {"generate national", "check"}


@pytest.mark.parametrize(("name", "command"), [c for c in _commands(main) if c[0] not in NOT_A_RESULT_FOLDER])
def test_every_command_writing_a_result_folder_has_force(name, command):
    params = {p.name for p in command.params}
    if "output" in params:
        assert "force" in params, f"planner {name} writes a result folder but has no --force"


# ------------------------------------------------------------------ 2. validate: ranges said properly, in row order

def scenario_copy(tmp_path: Path) -> Path:
    target = tmp_path / "scenario"
    shutil.copytree(GOLDEN_DIR, target)
    return target


def add_rows(path: Path, rows: list[dict[str, str]]) -> None:
    header, existing = read_rows(path)
    write_rows(path, header, existing + [{c: row.get(c, "") for c in header} for row in rows])


def test_validate_says_a_swapped_range_low_to_high_and_lists_errors_by_file_row_and_column(tmp_path):
    folder = scenario_copy(tmp_path)
    closures = folder / "closures.csv"
    header, rows = read_rows(closures)
    rows[0]["point_id"] = "nowhere"  # row 2: an unknown point (found by the cross-file check)
    write_rows(closures, header, rows)
    add_rows(closures, [{"office_id": "saarijarvi-kela", "date": "2014-01-01", "monthly_visits": "100",
                         "point_id": "saarijarvi", "share_to_point": "0.5", "share_low": "0.6",
                         "share_high": "0.4"}])  # row 3: the range the wrong way round (found reading the row)
    providers = folder / "providers.csv"
    header, rows = read_rows(providers)
    rows[1]["annual_trend"] = "-0.2"  # row 3: below its annual_trend_low -0.1
    write_rows(providers, header, rows)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    assert "outside [" not in result.stderr
    assert ("error: closures.csv row 3, column share_low: share_low 0.6 is above share_high 0.4; expected share_low "
            "≤ share_to_point ≤ share_high (the two look swapped)") in result.stderr
    assert ("error: providers.csv row 3, column annual_trend: annual_trend -0.2 is below annual_trend_low -0.1; "
            "expected annual_trend_low ≤ annual_trend ≤ annual_trend_high") in result.stderr
    listed = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    places = [re.match(r"error: (\S+) row (\d+)", line).groups() for line in listed]
    assert places == [("providers.csv", "3"), ("closures.csv", "2"), ("closures.csv", "3")], listed


# ------------------------------------------------------------------ 3. warnings validate owed

def test_a_closure_after_the_horizon_and_an_office_far_from_its_point_are_warnings(tmp_path):
    folder = scenario_copy(tmp_path)
    add_rows(folder / "closures.csv", [
        {"office_id": "saarijarvi-kela", "date": "2015-06-01", "monthly_visits": "100", "point_id": "saarijarvi",
         "share_to_point": "0.1"},  # row 3: the horizon is January 2015
        {"office_id": "parainen-vero", "date": "2014-09-23", "monthly_visits": "100", "point_id": "pelkosenniemi",
         "share_to_point": "0.1"},  # row 4: a Parainen office sending its customers to Lapland
    ])
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert ("warning: closures.csv row 3, column date: saarijarvi-kela closes on 2015-06-01, after the horizon "
            "2015-01-01 – 2015-01-31 (scenario.toml [horizon]): the row changes nothing") in result.stderr
    km = great_circle_km(60.30672, 22.30097, 67.11083, 27.51056)
    assert 700 < km < 900
    assert (f"warning: closures.csv row 4, column office_id: office parainen-vero (offices.csv row 10, in Parainen) "
            f"sends customers to point pelkosenniemi (in Pelkosenniemi) {km:.0f} km away in a straight line"
            in result.stderr)
    assert "valid — " in result.stderr and "2 warnings" in result.stderr


@pytest.mark.parametrize("folder", [DEFAULT_DIR, GOLDEN_DIR.parent / "eastern-lapland"])
def test_real_distances_and_dates_raise_no_false_alarm(folder):
    """The pilots (Tax in Oulu serves Pelkosenniemi, 250 km) and eastern Lapland: every office within reach."""
    _, warnings = load_scenario(folder)
    assert not [w for w in warnings if "km away" in w.message or "horizon" in w.message]


# ------------------------------------------------------------------ 4. the headline risk says what binds

@pytest.mark.slow
def test_a_point_sized_by_its_minimum_manning_is_not_said_to_queue(planned_fi):
    """Pelkosenniemi's advisors are there to keep it open (driver: minimum manning), not for queues."""
    points = pd.read_csv(planned_fi / "headline_points.csv").set_index("point_id")
    assert points.loc["pelkosenniemi", "driver"] == "minimum manning"
    risks = (planned_fi / "headline_risks.txt").read_text(encoding="utf-8")
    line = next(line for line in risks.splitlines() if "Pelkosenniemi" in line)
    assert "jonot ylittävät palvelutason" not in line
    assert "vähimmäismiehitys (1 paikalla koko aukioloajan)" in line


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_risk_of_a_short_point_names_what_binds_in_every_language(lang):
    from planner.outputs.headline import Headline, risks

    scenario = load_scenario(GOLDEN_DIR)[0]
    words = i18n.Words(lang, scenario)
    row = {"point_id": "pelkosenniemi", "persons_needed": 2, "persons_on_staff": 2, "fte_needed_peak": 1.02,
           "fte_on_staff": 0.8, "driving_month": "2015-01"}
    said = {driver: risks(scenario, Headline(pd.DataFrame([{**row, "driver": driver}]), pd.DataFrame(),
                                             pd.DataFrame()), words, None, None)[0]
            for driver in ("minimum manning", "demand")}
    values = {"point": words.point("pelkosenniemi"), "fte": "1.02", "month": words.month("2015-01"),
              "have_fte": "0.80", "on_duty": 1}
    assert said["minimum manning"] == words("risk_fte_manning", **values)
    assert said["demand"] == words("risk_fte", **values)


# ------------------------------------------------------------------ 5. no status-quo column without a status quo

@pytest.mark.slow
def test_without_status_quo_visits_no_status_quo_column_in_the_workbook_or_csv(planned_fi):
    words = i18n.Words("fi")
    assert "status_quo_cost_eur" not in pd.read_csv(planned_fi / "headline_providers.csv").columns
    sheet = load_workbook(planned_fi / "plan.xlsx", read_only=True)[words.sheet("headline providers")]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert words.column("outreach_cost_eur") in header
    assert words.column("status_quo_cost_eur") not in header


@pytest.mark.slow
def test_with_a_status_quo_its_column_is_there_with_the_total(planned_fi):
    """The other side of the rule: a scored status quo keeps its column, each provider's and their total."""
    scenario = load_scenario(GOLDEN_DIR)[0]
    sizing = SizingResult(pd.DataFrame(), pd.read_csv(planned_fi / "shifts.csv"), pd.DataFrame(),
                          pd.read_csv(planned_fi / "staffing_summary.csv"))
    access = pd.read_csv(planned_fi / "outreach" / "access.csv")
    visits = pd.read_csv(planned_fi / "outreach" / "visits.csv")
    quo = {"status_quo": {"official_cost_eur": 300.0, "official_cost_eur_by_provider": {"poliisi": 300.0}}}

    def providers(payload: dict) -> pd.DataFrame:
        return build_headline(scenario, sizing, i18n.Words("en", scenario), visits=visits, access=access,
                              payload=payload).providers.set_index("provider_id")

    assert providers(quo).loc[["poliisi", "total"], "status_quo_cost_eur"].tolist() == [300.0, 300.0]
    assert "status_quo_cost_eur" not in providers({"status_quo": None})
