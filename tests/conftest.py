"""Shared fixtures: the embedded default scenario and editable copies of it."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from planner.scenario.loading import load_scenario

# Any Ray started by the tests stays on loopback (Ray reads this when first imported).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIR = REPO / "inputs" / "aspa-pilots-2015"
# Two points, January 2015, every solve proven optimal: the small scenario of the end-to-end tests.
GOLDEN_DIR = REPO / "tests" / "data" / "golden-pilots"


@pytest.fixture(scope="session")
def default_scenario():
    scenario, warnings = load_scenario(DEFAULT_DIR)
    assert warnings == []
    return scenario


@pytest.fixture
def scenario_copy(tmp_path: Path) -> Path:
    target = tmp_path / "scenario"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` is the spreadsheet row (the header is row 1)."""
    header, rows = read_rows(path)
    rows[row - 2][column] = value
    write_rows(path, header, rows)


def drop_column(path: Path, column: str) -> None:
    header, rows = read_rows(path)
    header.remove(column)
    for row in rows:
        del row[column]
    write_rows(path, header, rows)


def shortened_copy(folder: Path, months: int, time_limit: float | None = None,
                   work_limit: float | None = None) -> Path:
    """A copy of the default scenario with a shorter horizon (and solver cap or work budget), for quick end-to-end runs."""
    target = folder / "scenario"
    shutil.copytree(DEFAULT_DIR, target)
    toml = target / "scenario.toml"
    text = toml.read_text(encoding="utf-8").replace("months = 12", f"months = {months}")
    if time_limit is not None:
        text = text.replace("time_limit_seconds = 600", f"time_limit_seconds = {time_limit}")
    if work_limit is not None:
        text = text.replace("work_limit = 10\n", f"work_limit = {work_limit}\n")
    toml.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def planned(tmp_path_factory) -> Path:
    """One `planner plan` of two months with a Pareto sweep, shared by the tests that read its files."""
    from click.testing import CliRunner

    from planner.cli import main

    folder = tmp_path_factory.mktemp("plan")
    scenario = shortened_copy(folder, 2, time_limit=2, work_limit=1)  # small budgets: the tests read files, not quality
    out = folder / "out"
    result = CliRunner().invoke(main, ["plan", str(scenario), "-o", str(out), "--quiet", "--pareto", "2"])
    assert result.exit_code == 0, result.output
    (folder / "stderr.txt").write_text(result.stderr, encoding="utf-8")
    return out
