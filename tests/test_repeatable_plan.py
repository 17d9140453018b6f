"""The same scenario and settings give byte-identical plans whatever the machine's load.

Every solve stops on its work budget (CP-SAT deterministic time, iteration counts), never on
the clock, so a run beside CPU-bound processes writes exactly the CSVs of a run without them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main

pytestmark = pytest.mark.slow  # end-to-end runs and long searches: not in `make test-quick`

SCENARIO = Path(__file__).resolve().parent / "data" / "golden-pilots"  # two points, January 2015


def plan(scenario: Path, out: Path) -> dict[str, bytes]:
    result = CliRunner().invoke(main, ["plan", str(scenario), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.csv"))}


def test_plan_is_byte_identical_under_load(tmp_path: Path) -> None:
    # A small budget, so that the roster search stops on it (not proven optimal), on two
    # workers: CP-SAT's interleaved search, deterministic for any worker count.
    scenario = tmp_path / "scenario"
    shutil.copytree(SCENARIO, scenario)
    toml = scenario / "scenario.toml"
    text = toml.read_text(encoding="utf-8").replace("[solver]\n", "[solver]\nwork_limit = 0.5\n")
    toml.write_text(text.replace("workers = 1", "workers = 2").replace("time_limit_seconds = 10",
                                                                         "time_limit_seconds = 600"), encoding="utf-8")
    quiet = plan(scenario, tmp_path / "quiet")
    roster = json.loads((tmp_path / "quiet" / "manifest.json").read_text(encoding="utf-8"))["steps"]["roster"]
    assert roster["status"] == "FEASIBLE" and roster["work_limited"] and not roster["time_limited"]  # the budget stopped it
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        loaded = plan(scenario, tmp_path / "loaded")
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    assert len(quiet) >= 10 and quiet.keys() == loaded.keys()
    differ = [name for name in quiet if quiet[name] != loaded[name]]
    assert differ == [], f"differ under load: {differ}"
