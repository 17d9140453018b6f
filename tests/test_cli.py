"""The CLI driven as a user would: CliRunner for messages, a real subprocess for the demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.outreach.travel import nearest_office
from planner.scenario.loading import load_scenario
from tests.conftest import DEFAULT_DIR, REPO


def all_commands():
    return sorted(main.commands)


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output or "Examples:" in result.output
    assert "planner " + name in result.output


def test_demand_writes_the_three_tables(tmp_path):
    out = tmp_path / "demand"
    result = CliRunner().invoke(main, ["demand", str(DEFAULT_DIR), "-o", str(out)])
    assert result.exit_code == 0, result.output
    monthly = pd.read_csv(out / "demand_monthly.csv")
    intervals = pd.read_csv(out / "demand_intervals.csv")
    assert list(intervals.columns) == ["point_id", "provider_id", "date", "interval_start", "open_minutes", "arrivals"]
    assert intervals["interval_start"].str.match(r"^\d\d:\d\d$").all()
    assert intervals["arrivals"].sum() == pytest.approx(monthly["volume"].sum(), rel=1e-6)
    assert not list(out.glob(".*.tmp"))


@pytest.mark.slow
def test_demo_runs_as_a_real_command(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    planner = [sys.executable, "-c", "from planner.cli import main; main()"]
    # Every step of the demo runs; a work budget of 0.5 deterministic s per solver call (instead of the
    # pilots' 10, minutes of the suite's CPU) is enough for the progress lines asserted here.
    done = subprocess.run([*planner, "demo", "-o", str(tmp_path / "demo"), "--work-limit", "0.5"], capture_output=True,
                          text=True, env=env, timeout=900, check=False)
    assert done.returncode == 0, done.stderr
    # The budget given is the one used, said in the manifest; no wall-clock cap was reached.
    manifest = json.loads((tmp_path / "demo" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["solver"]["work_limit"] == 0.5 and manifest["wall_clock_capped"] == []
    assert "work budget reached" in done.stderr and "not repeatable" not in done.stderr
    assert "mikkeli" in done.stdout
    assert (tmp_path / "demo" / "demand_intervals.csv").is_file()
    # Piped, progress is plain lines on stderr (no bar, no control characters); stdout is the summary.
    for stream in (done.stdout, done.stderr):
        assert "\r" not in stream and "\x1b" not in stream
    assert "staffing …" in done.stderr and "roster …" in done.stderr and "outreach …" in done.stderr
    assert "objective" in done.stderr  # the roster solver's objective and bound as they improve
    assert "staffing …" not in done.stdout


@pytest.mark.slow
def test_bad_input_exits_2_in_a_real_process(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    planner = [sys.executable, "-c", "from planner.cli import main; main()"]
    done = subprocess.run([*planner, "validate", str(tmp_path / "missing")], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 2
    assert "folder not found" in done.stderr


def test_commands_are_click_commands():
    assert all(isinstance(cmd, click.Command) for cmd in main.commands.values())


def test_travel_cost_prints_the_breakdown():
    result = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "police-kemijarvi",
                                       "--point", "pelkosenniemi", "--appointments", "15", "--slot-minutes", "15"])
    assert result.exit_code == 0, result.output
    assert "40.50 €" in result.output and "(90.0 km × 0.45 €/km)" in result.output
    assert "not offered" in result.output


def test_travel_cost_names_the_office_the_plan_would_send_customers_to():
    """The customers drive to their provider's nearest office (as the plan prices it), named, not the official's."""
    result = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "police-kemijarvi",
                                       "--point", "pelkosenniemi", "--appointments", "10"])
    assert result.exit_code == 0, result.output
    scenario, _ = load_scenario(DEFAULT_DIR)
    office, (km, _, eur) = nearest_office(scenario, "pelkosenniemi", "poliisi")
    assert office == "savukoski-poliisi"  # 44.8 km away; the official's Kemijärvi office is 45 km
    line = next(line for line in result.output.splitlines() if "they drive to the office" in line)
    assert f"{10 * eur:.2f} €" in line and f"({10 * km:.0f} km" in line and "(savukoski-poliisi)" in line


def test_travel_cost_offers_no_day_trip_that_holds_no_appointment():
    """Oulu to Pelkosenniemi is 9.3 h of driving: no priced 0-appointment day, the overnight trip instead."""
    result = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "register-oulu",
                                       "--point", "pelkosenniemi"])
    assert result.exit_code == 0, result.output
    assert "no day trip: driving 652.2 km there and back" in result.output
    assert "appointments           0" not in result.output and "longer than" not in result.output
    assert "Overnight trip of 1 night instead" in result.output


def test_travel_cost_warns_on_a_holiday_and_rejects_unknown_ids():
    result = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "police-kemijarvi",
                                       "--point", "pelkosenniemi", "--date", "2015-12-24"])
    assert result.exit_code == 0 and "public holiday" in result.output
    bad = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "nobody", "--point", "mikkeli"])
    assert bad.exit_code == 2 and "no official 'nobody'" in bad.output
    # An id typed on the command line is blamed on the option, not on a file (the files were right).
    assert "command line, key --official: no official 'nobody' in officials.csv" in bad.output
    typo = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "police-kemijarvi", "--point",
                                     "pelkosenniem", "--type", "weding"])
    assert typo.exit_code == 2 and "command line, key --point: no point 'pelkosenniem' in points.csv" in typo.output
    kind = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "police-kemijarvi", "--point",
                                     "pelkosenniemi", "--type", "weding"])
    assert kind.exit_code == 2 and "command line, key --type: poliisi has no appointment type 'weding'" in kind.output


@pytest.mark.parametrize("command", ["plan", "outreach"])
def test_work_limit_option_reaches_every_solve_of_plan_and_outreach(command, monkeypatch, tmp_path):
    """`--work-limit W` (as on roster and compare) replaces scenario.toml [solver] work_limit for the run."""
    from planner.run import pipeline

    seen = []

    def capture(scenario, *args, **kwargs):
        seen.append(scenario.config.solver.work_limit)
        raise SystemExit(0)  # the budget is what is asserted; nothing needs solving

    monkeypatch.setattr(pipeline, f"run_{command}", capture)
    out = str(tmp_path / "out")
    CliRunner().invoke(main, [command, str(DEFAULT_DIR), "-o", out, "--quiet", "--work-limit", "0.25"])
    CliRunner().invoke(main, [command, str(DEFAULT_DIR), "-o", out, "--quiet"])
    assert seen == [0.25, 10.0]


def test_outreach_plans_its_areas_on_the_workers_asked(monkeypatch, tmp_path):
    """`planner outreach --workers N` (as `plan`) runs the areas of a national scenario in a pool of N processes;
    without it, in this process (bench/national.py --only outreach measures the command this way)."""
    from planner.base.executor import ProcessExecutor, SerialExecutor
    from planner.run import pipeline

    seen = []

    def capture(scenario, *args, executor=None, **kwargs):
        seen.append(executor)
        raise SystemExit(0)  # where the pieces run is what is asserted; nothing needs solving

    monkeypatch.setattr(pipeline, "run_outreach", capture)
    out = str(tmp_path / "out")
    for extra in (["--workers", "2"], []):
        result = CliRunner().invoke(main, ["outreach", str(DEFAULT_DIR), "-o", out, "--quiet", *extra])
        assert result.exit_code == 0, result.output
    assert isinstance(seen[0], ProcessExecutor) and seen[0].workers == 2
    assert isinstance(seen[1], SerialExecutor)
