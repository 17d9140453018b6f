"""The one writer: every file of a run, written at its end into a staging folder and swapped into place.

A run is one unit. `OutputFolder` is entered before any solving: it refuses a folder it
could not write (under a file, not writable, a special filesystem such as /proc), a
second run into the same folder (a lock beside it names the other run's pid), and a
folder holding another command's result unless told to replace it (`--force`: a
`planner outreach -o` into a plan's folder replaced the plan without a word), all as
input errors (exit 2). The same command into its own earlier folder replaces it.
`commit` writes every file into `.NAME.staging-PID` beside the target and then
exchanges it with the target in one step (renameat2 RENAME_EXCHANGE on Linux; two
renames elsewhere), so the earlier complete run stays intact until the new one
is complete, and a run that fails or is killed leaves the earlier result as it was. The
pieces a run finished (`.tasks/`, for `--resume`) live in the target folder while it runs
and move with the result.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from planner.base import io
from planner.base.errors import Problem, ScenarioError
from planner.outputs.i18n import Words
from planner.outputs.report import Report, write_report
from planner.outputs.workbook import write_workbook

TASKS = ".tasks"
# Every result folder holds this file: a folder without it is the user's, and is never replaced.
MARKER = ".aspa-planner-output"
# The marker, or what earlier versions wrote (a run's manifest or summary; `planner fit`'s fit.json,
# `backtest`'s and `replay`'s tables, from before these commands wrote through this writer).
OWN = (MARKER, "manifest.json", "summary.json", "fit.json", "backtest_providers.csv", "replay_points.csv")
# Filesystems whose files are the kernel's, not the user's: a run never writes there.
SPECIAL = ("/proc", "/sys", "/dev")


class OutputFolder:
    """The target folder of a run: checked and locked on entry, written only by `commit`."""

    def __init__(self, target: Path, kind: str = "results", replace: bool = False):
        """`kind`: what the folder holds, the command that writes it ("plan", "outreach", …; "visit-logs" for
        `planner generate records`), recorded in its marker. A folder holding another kind is refused unless
        `replace` (the command's --force): only the same command replaces its own result unasked."""
        self.kind = kind
        self.replace = replace
        self.target = Path(os.path.abspath(target))
        self.staging = self.target.parent / f".{self.target.name}.staging-{os.getpid()}"
        self.lock_path = self.target.parent / f".{self.target.name}.lock"
        self._lock: int | None = None

    @property
    def tasks(self) -> Path:
        """Where finished pieces are kept for `--resume` (inside the target: they move with the result)."""
        return self.target / TASKS

    def __enter__(self) -> OutputFolder:
        self._check_writable()
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise ScenarioError([Problem(str(self.target), f"another run (pid {other}) is writing into this folder; "
                                         "expected one run per output folder at a time")]) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock = fd
        self._remove_stale_staging()
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:
            os.unlink(self.lock_path)  # while still held, so no other run can slip in between
            os.close(self._lock)
            self._lock = None

    def _check_writable(self) -> None:
        where = str(self.target)
        if any(where == root or where.startswith(root + "/") for root in SPECIAL):
            raise ScenarioError([Problem(where, "is on a system filesystem; expected a folder of your own")])
        for parent in [self.target, *self.target.parents]:
            if parent.exists():
                if not parent.is_dir():
                    raise ScenarioError([Problem(where, f"{parent} is a file; expected a folder (or nothing) there")])
                break
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScenarioError([Problem(where, f"cannot create its parent folder: {exc.strerror}")]) from None
        if self.target.is_dir() and not any((self.target / name).exists() for name in OWN) and any(
                p.name != TASKS for p in self.target.iterdir()):
            raise ScenarioError([Problem(where, "holds files that no planner run wrote; expected an empty folder or "
                                         "the output of an earlier run (it is replaced as a whole)")])
        held = _kind(self.target)
        if held == LOGS and self.kind != LOGS and not self.replace:
            # Generated visit logs are inputs (`fit`, `backtest`, `replay`, `plan --records`): another
            # command's output written there would delete them.
            raise ScenarioError([Problem(where, "holds visit logs written by `planner generate records`, the input of "
                                         "fit, backtest, replay and plan --records; this run would replace them. "
                                         "Expected another output folder, or --force to replace them")])
        if held not in (None, self.kind, LOGS) and not self.replace:
            # One folder, one run's result: another command's files would replace it as a whole (the trial lost a
            # plan to `planner outreach -o` into its folder) or mix with it (neither would be complete).
            raise ScenarioError([Problem(where, f"holds the result of `planner {_command(held)}`; `planner {_command(self.kind)}` would "
                                         "replace it as a whole. Expected another output folder, or --force to "
                                         "replace it")])
        if not os.access(self.target.parent, os.W_OK | os.X_OK) or (
                self.target.exists() and not os.access(self.target, os.W_OK | os.X_OK)):
            raise ScenarioError([Problem(where, "is not writable; expected a folder you may write into")])

    def _remove_stale_staging(self) -> None:
        """Staging folders of runs that were killed (their pid is gone): never a result, so removed."""
        for stale in self.target.parent.glob(f".{self.target.name}.staging-*"):
            pid = stale.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)

    def commit(self, files: Mapping[str, Any] | Iterable[tuple[str, Any]], report: Report | None = None,
               report_name: str = "report.html", workbook: Mapping[str, pd.DataFrame] | None = None,
               words: Words | None = None, check: Callable[[Path], None] | None = None) -> list[Path]:
        """Write `files` (relative path → DataFrame, dict, str or bytes), the report and workbook; swap into place.

        Returns the written paths as they are after the swap. A file's content type decides its
        format: DataFrame → CSV (formulas neutralised), dict/list → JSON, str → UTF-8 text, bytes as is.
        `files` may also be an iterable of (path, content) pairs, written one at a time as they
        come (a large output, e.g. generated visit logs, need not be held in memory at once).
        `check(staging_folder)` runs on the complete staged folder before the swap: whatever it
        raises leaves the previous result as it was (`planner fit` loads the variant there).
        """
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        pairs = files.items() if isinstance(files, Mapping) else files
        written = [write_file(self.staging / name, content) for name, content in pairs]
        (self.staging / MARKER).write_text("written by aspa-planner; the folder is replaced as a whole by the next run\n"
                                           f"kind: {self.kind}\n", encoding="utf-8")
        if report is not None:
            written += write_report(report, self.staging, report_name)
        if workbook:
            written.append(write_workbook(dict(workbook), self.staging / "plan.xlsx", words=words))
        if check is not None:
            check(self.staging)
        if self.tasks.is_dir():
            os.replace(self.tasks, self.staging / TASKS)
        _swap(self.staging, self.target)
        shutil.rmtree(self.staging, ignore_errors=True)  # the previous result, now at the staging name
        return [self.target / p.relative_to(self.staging) for p in written]


LOGS = "visit-logs"


def _command(kind: str) -> str:
    """The command that writes a folder of `kind`, as the user types it after `planner`."""
    return "generate records" if kind == LOGS else kind


def _kind(folder: Path) -> str | None:
    """What an earlier run's marker says the folder holds (the command, or "visit-logs"); None without a marker or
    from a version that did not say (its marker says "results"): a plan then by its manifest.json, else unknown."""
    try:
        text = (folder / MARKER).read_text(encoding="utf-8")
    except OSError:
        return None
    kind = next((line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("kind:")), "results")
    if kind == "results":
        return "plan" if (folder / "manifest.json").is_file() else None
    return kind


def write_file(target: Path, content: Any) -> Path:
    """One file by its content type (see OutputFolder.commit)."""
    if isinstance(content, pd.DataFrame):
        return io.write_csv(content, target)
    if isinstance(content, bytes):
        with io.atomic_path(target) as tmp:
            tmp.write_bytes(content)
        return target
    if isinstance(content, str):
        return io.write_text(content, target)
    return io.write_json(content, target)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap(new: Path, target: Path) -> None:
    """Put `new` at `target`; the old `target` (if any) ends up at `new`'s name."""
    if not target.exists():
        os.replace(new, target)
        new.mkdir()  # the caller removes `new` afterwards in every case
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None and renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target),
                                           _RENAME_EXCHANGE) == 0:
        return
    # No atomic exchange here (another OS, an old kernel or filesystem): two renames.
    aside = new.with_name(new.name + ".old")
    os.replace(target, aside)
    os.replace(new, target)
    os.replace(aside, new)
