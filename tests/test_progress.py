"""Progress: a redrawn bar on a terminal, plain lines in a pipe, nothing with --quiet."""

from __future__ import annotations

import io
import re

import pytest

from planner.run.pipeline import STEPS
from planner.run.progress import ProgressReporter


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_line_redraws_with_the_step_and_the_latest_message():
    screen = Terminal()
    with ProgressReporter(STEPS, screen) as progress:
        progress.step("demand")
        progress.step("staffing")
        progress("staffing mikkeli …")
        progress.step("roster")
        progress("roster kiiminki: objective 4162, bound 818 at 3.1 s")
    text = screen.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")  # one line, redrawn with carriage returns
    assert "staffing  [" in text and f"1/{len(STEPS)}" in text and "staffing mikkeli …" in text
    assert "roster  [" in text and f"2/{len(STEPS)}" in text and "objective 4162, bound 818" in text
    assert f"{len(STEPS)}/{len(STEPS)}" in text.rsplit("\r", 1)[-1]  # finished at the end


def test_long_messages_are_cut_to_fit_the_line():
    screen = Terminal()
    with ProgressReporter(STEPS, screen) as progress:
        progress.step("roster")
        progress("x" * 500)
    assert "x" * 100 not in screen.getvalue() and "…" in screen.getvalue()


def test_in_a_pipe_messages_are_plain_lines():
    pipe = io.StringIO()
    with ProgressReporter(STEPS, pipe) as progress:
        progress.step("staffing")
        progress("staffing mikkeli …")
    assert re.fullmatch(r"staffing … \[0:0\d\]\nstaffing mikkeli … \[0:0\d\]\n", pipe.getvalue())


@pytest.mark.slow
def test_quiet_plan_writes_nothing_on_stderr_but_the_inputs_warnings(planned):
    # --quiet silences progress, not what the input warns of (the shortened pilots' rows after their horizon).
    lines = (planned.parent / "stderr.txt").read_text(encoding="utf-8").splitlines()
    assert all(re.match(r"warning: \w+\.(csv|toml) row \d+", line) for line in lines), lines


def test_the_default_stream_uses_no_deprecated_click_api():
    """ProgressReporter on stderr by default: click.get_text_stream warned (deprecated in Click 8.2, gone in 9.0)
    in every run of the suite; the reporter now writes to sys.stderr itself."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reporter = ProgressReporter(["a"])
    assert reporter.stream is not None
