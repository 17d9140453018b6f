"""A run is one unit: complete or nothing, one run per folder, resumable across shells, no orphans.

Driven as a user would: the CLI in a real subprocess (SIGKILL, hash seeds) and with CliRunner.
The golden scenario (two points, January, every solve proven optimal) keeps each run short.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.outputs.writer import OutputFolder

SCENARIO = Path(__file__).resolve().parent / "data" / "golden-pilots"
PLANNER = Path(sys.executable).with_name("planner")


def planner(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([str(PLANNER), *args], env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def finished(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(PLANNER), *args], env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> Path:
    """A complete earlier run into the folder the tests then write over."""
    out = tmp_path_factory.mktemp("unit") / "out"
    run = finished("plan", str(SCENARIO), "-o", str(out), "--quiet")
    assert run.returncode == 0, run.stderr
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and ".tasks" not in p.parts}


@pytest.mark.slow
def test_resume_reuses_every_piece_in_a_new_shell(tmp_path: Path) -> None:
    # Two shells with different hash seeds: the digests of the pieces must not depend on them.
    out = tmp_path / "out"
    first = finished("plan", str(SCENARIO), "-o", str(out), "--quiet", env={"PYTHONHASHSEED": "1"})
    assert first.returncode == 0, first.stderr
    again = finished("plan", str(SCENARIO), "-o", str(out), "--quiet", "--resume", env={"PYTHONHASHSEED": "2"})
    assert again.returncode == 0, again.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["reused_tasks"]) == ["demand:all", "outreach:all", "pelkosenniemi",
                                                "roster:pelkosenniemi", "roster:saarijarvi", "saarijarvi"]


@pytest.mark.slow
def test_a_second_run_into_the_same_folder_is_refused_naming_the_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputFolder(out):
        result = CliRunner().invoke(main, ["plan", str(SCENARIO), "-o", str(out), "--quiet"])
    assert result.exit_code == 2
    assert f"another run (pid {os.getpid()}) is writing into this folder" in result.stderr
    assert not out.exists()


def test_generated_visit_logs_are_never_replaced_by_another_commands_output(tmp_path: Path) -> None:
    # A new user ran `planner fit LOGS … -o LOGS` and `planner roster … -o LOGS`: both exited 0
    # and deleted the 13 generated log files, which carry the planner's marker.
    from planner.outputs.writer import LOGS

    logs = tmp_path / "logs"
    with OutputFolder(logs, kind=LOGS) as folder:
        folder.commit({"visits-2014-01.csv": "point_id,provider_id,arrived_at\n"})
    for args in (["roster", str(SCENARIO), "-o", str(logs), "--weeks", "1"],
                 ["fit", str(logs), "--base", str(SCENARIO), "-o", str(logs)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert "holds visit logs written by `planner generate records`" in result.stderr
        assert (logs / "visits-2014-01.csv").is_file()
    with OutputFolder(logs, kind=LOGS) as folder:  # generating them again replaces them
        folder.commit({"visits-2015-01.csv": "point_id,provider_id,arrived_at\n"})
    assert sorted(p.name for p in logs.glob("*.csv")) == ["visits-2015-01.csv"]


@pytest.mark.parametrize("where", ["under-a-file", "proc", "not-ours"])
def test_an_output_folder_it_may_not_write_is_exit_2_before_any_solving(tmp_path: Path, where: str) -> None:
    if where == "under-a-file":
        (tmp_path / "a-file").write_text("x", encoding="utf-8")
        out, expected = tmp_path / "a-file" / "out", "is a file; expected a folder"
    elif where == "proc":
        out, expected = Path("/proc/aspa-planner-out"), "system filesystem"
    else:
        out = tmp_path / "home"
        out.mkdir()
        (out / "thesis.docx").write_text("mine", encoding="utf-8")
        expected = "holds files that no planner run wrote"
    result = CliRunner().invoke(main, ["plan", str(SCENARIO), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    # Refused before the solving, not after it: no step of the pipeline reported progress.
    assert not [step for step in ("demand", "staffing", "roster", "outreach") if f"{step} …" in result.stderr], \
        result.stderr
    if where == "not-ours":
        assert (out / "thesis.docx").read_text(encoding="utf-8") == "mine"


@pytest.mark.slow
def test_a_failed_run_leaves_the_earlier_result_untouched(earlier: Path) -> None:
    before = snapshot(earlier)
    # Rosters of 8 weeks run past January's horizon: exit 2, nothing written (--force: the folder holds a plan, which
    # a roster may replace only when told to; the failure is the run's, not the folder's).
    result = CliRunner().invoke(main, ["roster", str(SCENARIO), "-o", str(earlier), "--weeks", "8", "--quiet",
                                       "--force"])
    assert result.exit_code == 2, result.output
    assert snapshot(earlier) == before
    assert not list(earlier.parent.glob(f".{earlier.name}.staging-*"))


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pids: set[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def _kill_when(process: subprocess.Popen, ready) -> set[int]:
    """SIGKILL `process` as soon as `ready()` holds; the pool workers seen until then."""
    workers: set[int] = set()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        workers.update(_children(process.pid))
        if ready(workers):
            break
        time.sleep(0.005)
    assert process.poll() is None, "the run finished before it could be killed at that point"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return workers


@pytest.mark.slow
def test_sigkill_while_solving_leaves_no_pool_worker(earlier: Path) -> None:
    before = snapshot(earlier)
    process = planner("plan", str(SCENARIO), "-o", str(earlier), "--quiet", "--workers", "2")
    workers = _kill_when(process, lambda seen: len(seen) >= 2)
    deadline = time.monotonic() + 10
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive(workers) == [], "pool workers outlived the killed run"
    assert snapshot(earlier) == before


@pytest.mark.slow
def test_sigkill_while_writing_keeps_the_earlier_result(earlier: Path) -> None:
    before = snapshot(earlier)
    staging = f".{earlier.name}.staging-*"
    process = planner("plan", str(SCENARIO), "-o", str(earlier), "--quiet")
    _kill_when(process, lambda _: bool(list(earlier.parent.glob(staging))))
    assert snapshot(earlier) == before  # the earlier complete run, byte for byte
    # The next run clears the dead run's staging folder and completes.
    again = finished("plan", str(SCENARIO), "-o", str(earlier), "--quiet")
    assert again.returncode == 0, again.stderr
    assert not list(earlier.parent.glob(staging))
    assert snapshot(earlier).keys() == before.keys()


@pytest.mark.slow
def test_a_plan_stopped_by_the_wall_clock_cap_says_it_is_not_repeatable(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["plan", str(SCENARIO), "-o", str(out), "--time-limit", "0.1"])
    assert result.exit_code == 0, result.output
    capped = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["wall_clock_capped"]
    assert capped, "a 0.1 s cap stops some solve before its work budget"
    assert f"stopped {', '.join(capped)} before the work budget" in result.stderr
    assert "not repeatable" in result.stderr
