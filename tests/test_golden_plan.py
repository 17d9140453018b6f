"""Golden files: `planner plan` on a small scenario where every solve is proven optimal.

The scenario (tests/data/golden-pilots: Pelkosenniemi and Saarijärvi, January 2015, one
worker) is small enough that the staffing, roster and outreach models all end OPTIMAL, so
the tables are a contract: a refactoring that changes one byte of them changed behaviour.
Regenerate deliberately with `GOLDEN_UPDATE=1 pytest tests/test_golden_plan.py` and say why
in the commit.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main

pytestmark = pytest.mark.slow  # end-to-end runs and long searches: not in `make test-quick`

HERE = Path(__file__).resolve().parent
SCENARIO = HERE / "data" / "golden-pilots"
GOLDEN = HERE / "golden" / "plan"
TABLES = [
    "demand_monthly.csv", "demand_daily.csv", "demand_intervals.csv",
    "staffing_intervals.csv", "shifts.csv", "staffing_summary.csv",
    "roster/roster.csv", "roster/roster_by_advisor.csv", "roster/violations.csv",
    "outreach/visits.csv", "outreach/access.csv",
]


@pytest.fixture(scope="module")
def golden_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "out"
    result = CliRunner().invoke(main, ["plan", str(SCENARIO), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def test_every_solve_is_proven_optimal(golden_run: Path) -> None:
    """The premise of the golden files: nothing in them depends on where a time limit fell."""
    steps = json.loads((golden_run / "manifest.json").read_text(encoding="utf-8"))["steps"]
    assert {name: step["status"] for name, step in steps.items()} == {
        "staffing": "OPTIMAL", "roster": "OPTIMAL", "outreach": "OPTIMAL"}


@pytest.mark.parametrize("name", TABLES)
def test_table_matches_golden(golden_run: Path, name: str) -> None:
    written = golden_run / name
    expected = GOLDEN / name
    if os.environ.get("GOLDEN_UPDATE") == "1":
        expected.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(written, expected)
    assert written.read_bytes() == expected.read_bytes(), f"{name} differs from {expected}"


def test_the_roster_and_visits_written_pass_their_checks(golden_run: Path) -> None:
    """`planner plan` checks what it writes: no hard finding, and the roster check's objective is the solver's."""
    manifest = json.loads((golden_run / "manifest.json").read_text(encoding="utf-8"))
    roster, visits = manifest["checks"]["roster"], manifest["checks"]["visits"]
    assert roster["hard"] == 0 and roster["hard_by_rule"] == {}
    assert roster["objective"] == roster["solver_objective"] == manifest["steps"]["roster"]["objective"]
    assert roster["agrees"] and roster["soft"] == sum(roster["soft_by_rule"].values()) > 0
    assert visits["hard"] == 0 and visits["soft"] == 0
