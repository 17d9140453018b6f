"""Progress on stderr while the pipeline runs.

On a terminal: one line that redraws itself — a bar of the pipeline's steps, the step, and the
latest message (the point or official being solved, objective and bound as they improve).
Anywhere else (a pipe, a log file, CI): the messages as plain lines, no control characters.
stdout is never touched, so `planner plan … > summary.txt` stays clean.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from typing import IO

import click

WIDEST_MESSAGE = 70


class ProgressReporter:
    """Callable with a message; `step(name)` moves the bar to the next step of `steps`."""

    def __init__(self, steps: Sequence[str], stream: IO[str] | None = None) -> None:
        self.steps = list(steps)
        self.stream = stream if stream is not None else sys.stderr  # read now: CliRunner swaps it per run
        self.done = 0
        self.started = time.monotonic()
        self.bar: click._termui_impl.ProgressBar | None = None
        if self.stream.isatty():
            self.bar = click.progressbar(length=len(self.steps), label="starting", file=self.stream,
                                         show_eta=False, show_percent=False, show_pos=True,
                                         item_show_func=lambda message: message, width=20)
            self.bar.__enter__()

    def step(self, name: str) -> None:
        if self.bar is None:
            self.stream.write(f"{name} … [{self.elapsed()}]\n")
            self.stream.flush()
            return
        # The bar counts the steps finished before this one.
        self.done = self.steps.index(name) if name in self.steps else self.done
        self.bar.pos = self.done
        self.bar.label = name
        self._draw("")

    def elapsed(self) -> str:
        seconds = int(time.monotonic() - self.started)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def __call__(self, message: str) -> None:
        if self.bar is None:
            self.stream.write(f"{message} [{self.elapsed()}]\n")
            self.stream.flush()
            return
        self._draw(message)

    def _draw(self, message: str) -> None:
        assert self.bar is not None
        shown = message if len(message) <= WIDEST_MESSAGE else message[: WIDEST_MESSAGE - 1] + "…"
        self.bar.current_item = f"{self.elapsed()} {shown}"
        self.bar.render_progress()

    def close(self) -> None:
        """Finish the bar's line so whatever follows starts on a new one."""
        if self.bar is not None:
            self.bar.pos = self.bar.length
            self._draw("done")
            self.bar.render_finish()
            self.bar = None

    def __enter__(self) -> ProgressReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Ticker:
    """Elapsed time on stderr while a long command works silently (`planner sweep`, `planner compare`).

    On a terminal the line redraws every second; in a pipe a line every `every` seconds. A
    message (`ticker("…")`) replaces the text shown. Stops with the `with` block.
    """

    def __init__(self, label: str, stream: IO[str] | None = None, every: float = 15.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.label, self.every = label, (1.0 if self.tty else every)
        self.started = time.monotonic()
        self.text = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def elapsed(self) -> str:
        seconds = int(time.monotonic() - self.started)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def __call__(self, message: str) -> None:
        self.text = message
        self._show()

    def _show(self) -> None:
        line = f"{self.label} [{self.elapsed()}] {self.text}".rstrip()
        if self.tty:
            self.stream.write("\r\033[K" + line[: WIDEST_MESSAGE + 30])
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._show()

    def __enter__(self) -> Ticker:
        self._show()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.text = "done"
        self._show()
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
