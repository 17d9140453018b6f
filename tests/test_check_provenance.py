"""`planner check` says when the roster was made on other demand than the scenario it is checked against (the trial:
the demo's roster, made on demand fitted from visit logs, scored 29 249 against the pilots and 21 317 against
outputs/demo/fit, with nothing said); and a fitted variant does not warn about its own fit_provenance.csv."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from planner.checks.provenance import demand_hash, inputs_hash, provenance_warnings, roster_inputs
from planner.cli import main
from planner.scenario.fingerprint import scenario_hash
from planner.scenario.loading import load_scenario
from tests.conftest import DEFAULT_DIR, edit_cell, read_rows


def plan_folder(tmp_path, summary: dict, manifest: dict | None = None):
    """A plan's output folder as far as the check reads it: roster/summary.json and manifest.json."""
    (tmp_path / "out" / "roster").mkdir(parents=True)
    roster = tmp_path / "out" / "roster" / "roster.csv"
    roster.write_text("advisor_id,point_id,date,start,end\n", encoding="utf-8")
    (roster.parent / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    if manifest is not None:
        (tmp_path / "out" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return roster


def test_a_roster_made_on_fitted_demand_is_said_to_be(tmp_path, default_scenario):
    roster = plan_folder(tmp_path, {"objective": 21317.0, "inputs": {
        "input_hash_without_budget": "0319", "demand_hash": "fitted", "demand_from": "fitted from visit logs: the variant in this "
                                                                     "plan's fit/"}},
                         {"input_hash": "0319", "files": ["fit/variant.toml", "roster/roster.csv"]})
    [line] = provenance_warnings(default_scenario, roster)
    assert line.startswith("roster.csv was rostered on other demand than this scenario's (fitted from visit logs")
    assert "the solver's objective in roster/summary.json is 21317" in line
    assert f"check it against {tmp_path / 'out' / 'fit'}" in line


def test_the_demo_as_written_before_summary_said_its_inputs(tmp_path, default_scenario):
    """Outputs of the trial's version (no `inputs` in roster/summary.json): the manifest's hash and fit/ say it."""
    roster = plan_folder(tmp_path, {"objective": 21317.0},
                         {"input_hash": "031920872aafd627", "files": ["fit/variant.toml"]})
    [line] = provenance_warnings(default_scenario, roster)
    assert line.startswith("roster.csv was made on demand fitted from visit logs, not on this scenario's "
                           "(input_hash 031920872aafd627, here ")


def test_the_same_scenario_or_a_hand_made_roster_has_no_warning(tmp_path, default_scenario):
    same = plan_folder(tmp_path, {"inputs": roster_inputs(default_scenario, "the scenario's files")},
                       {"input_hash": scenario_hash(default_scenario), "files": []})
    assert provenance_warnings(default_scenario, same) == []
    hand = tmp_path / "hand.csv"
    hand.write_text("advisor_id,point_id,date,start,end\n", encoding="utf-8")
    assert provenance_warnings(default_scenario, hand) == []


def test_only_the_demand_counts_as_other_demand(default_scenario):
    """An advisor's name is not demand (but another input); a point's monthly volume is; the budget is neither."""
    renamed = default_scenario.model_copy(update={"advisors": tuple(
        a.model_copy(update={"name": a.name + " Jr."}) for a in default_scenario.advisors)})
    assert demand_hash(renamed) == demand_hash(default_scenario)
    assert scenario_hash(renamed) != scenario_hash(default_scenario)
    busier = default_scenario.model_copy(update={"baseline_demand": tuple(
        b.model_copy(update={"monthly_volume": b.monthly_volume + 1}) for b in default_scenario.baseline_demand)})
    assert demand_hash(busier) != demand_hash(default_scenario)
    assert inputs_hash(renamed) != inputs_hash(default_scenario)
    quick = default_scenario.model_copy(update={"config": default_scenario.config.model_copy(update={
        "solver": default_scenario.config.solver.model_copy(update={"work_limit": 0.5})})})
    assert inputs_hash(quick) == inputs_hash(default_scenario) and demand_hash(quick) == demand_hash(default_scenario)


def test_a_fitted_variant_does_not_warn_about_its_own_provenance_file(tmp_path):
    variant = tmp_path / "fit"
    variant.mkdir()
    (variant / "variant.toml").write_text(f'base = "{DEFAULT_DIR.as_posix()}"\ndescription = "fitted"\n',
                                          encoding="utf-8")
    (variant / "fit_provenance.csv").write_text("file,key,column,value\n", encoding="utf-8")
    _, warnings = load_scenario(variant)
    assert not [w for w in warnings if "fit_provenance.csv" in str(w)]
    # In a scenario of the user's own, an unknown CSV is still said (it may be a misspelt file).
    own = tmp_path / "own"
    shutil.copytree(DEFAULT_DIR, own)
    (own / "fit_provenance.csv").write_text("file,key,column,value\n", encoding="utf-8")
    _, warnings = load_scenario(own)
    assert [w for w in warnings if "fit_provenance.csv" in str(w)]


@pytest.mark.slow  # a week's roster end to end
def test_check_of_a_roster_against_other_demand_says_so(tmp_path):
    scenario = tmp_path / "scenario"
    shutil.copytree(DEFAULT_DIR, scenario)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["roster", str(scenario), "-o", str(out), "--weeks", "1", "--quiet",
                                       "--work-limit", "0.5"])
    assert result.exit_code in (0, 3), result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["inputs"]["demand_from"] == "the scenario's files"
    same = CliRunner().invoke(main, ["check", str(scenario), str(out / "roster.csv")])
    assert "warning: roster.csv" not in same.stderr  # the work limit of the roster run is no other input
    header, rows = read_rows(scenario / "baseline_demand.csv")
    row = next(n for n, r in enumerate(rows, start=2) if r["point_id"] == "kiiminki" and r["provider_id"] == "kela")
    edit_cell(scenario / "baseline_demand.csv", row, "monthly_volume", "900")
    other = CliRunner().invoke(main, ["check", str(scenario), str(out / "roster.csv")])
    assert "warning: roster.csv was rostered on other demand than this scenario's (the scenario's files)" in other.stderr


def test_a_roster_made_from_other_advisors_is_said_to_be(tmp_path, default_scenario):
    roster = plan_folder(tmp_path, {"inputs": {"input_hash_without_budget": "other",
                                               "demand_hash": demand_hash(default_scenario)}})
    [line] = provenance_warnings(default_scenario, roster)
    assert line.startswith("roster.csv was made from other inputs than this scenario's (the same demand")
