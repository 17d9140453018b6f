"""What-if comparisons: variants overlay their base and move the figures the expected way."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from planner.cli import main
from planner.loading import load_scenario
from tests.conftest import REPO

VARIANT = REPO / "inputs" / "variants" / "saarijarvi-kela-closes"


def test_variant_takes_missing_files_from_its_base(default_scenario):
    variant, _ = load_scenario(VARIANT)
    assert variant.points == default_scenario.points
    assert len(variant.closures) == len(default_scenario.closures) + 1


def test_closing_an_office_raises_the_points_workload_and_fte(tmp_path):
    # Two months from March, when the Kela office has closed, keep the test quick.
    base, variant = tmp_path / "base", tmp_path / "variant"
    for folder, source in ((base, REPO / "inputs" / "aspa-pilots-2015"), (variant, VARIANT)):
        folder.mkdir()
        text = (REPO / "inputs" / "aspa-pilots-2015" / "scenario.toml").read_text(encoding="utf-8")
        (folder / "scenario.toml").write_text(text.replace("start = 2015-01-01", "start = 2015-03-01")
                                              .replace("months = 12", "months = 2"), encoding="utf-8")
        (folder / "variant.toml").write_text(f'base = "{source}"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(base), str(variant), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    fte = pd.read_csv(out / "compare_fte.csv")
    work = pd.read_csv(out / "compare_workload.csv").set_index(["point_id", "provider_id"])
    assert work.loc[("saarijarvi", "kela"), "hours_change"] > 20  # 450 × 1/3 visits × 8 min ≈ 20 h a month
    assert (work.drop(index=("saarijarvi", "kela"))["hours_change"].abs() < 1e-9).all()
    saari = fte[fte.point_id == "saarijarvi"]
    assert (saari["fte_needed_change"] >= 0).all() and saari["fte_needed_change"].sum() > 0
    assert (fte[fte.point_id != "saarijarvi"]["fte_needed_change"].abs() < 1e-9).all()
    assert "saarijarvi" in result.output


def test_variant_with_a_missing_base_is_bad_input(tmp_path):
    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "variant.toml").write_text('base = "../nowhere"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "variant.toml, key base" in result.output
