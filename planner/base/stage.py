"""The one shape every stage has: prepare → pieces → solve → merge → tables.

    prepare(scenario, upstream)  → {key: piece}   independent pieces (a point group, an area, …)
    solve(piece, progress)       → piece result   pure: no files, no shared state; runs anywhere
    merge(scenario, upstream, done, failed) → the stage's result
    tables(scenario, result)     → {relative path: DataFrame | dict | str}   what the writer writes

`run_stage` hands the pieces to an executor (serial, process pool or Ray: one code path,
identical results) and, with a TaskStore, reuses pieces a previous run finished for the same
inputs (`--resume`). How a stage splits into pieces depends on the scenario only, never on
the executor, so the plan does not depend on where it ran. `upstream` is what the previous
stages computed (the forecast, the interval requirement): a stage never recomputes it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from planner.base.executor import Executor, SerialExecutor, TaskStore, run_pieces
from planner.base.text import quantity
from planner.scenario.schemas import Scenario

Progress = Callable[[str], None]


class Stage(Protocol):
    """A step of the pipeline; see the module docstring for the contract of each method."""

    name: str

    def prepare(self, scenario: Scenario, upstream: Mapping[str, Any]) -> dict[str, Any]: ...

    def solve(self, piece: Any, progress: Progress | None = None) -> Any: ...

    def merge(self, scenario: Scenario, upstream: Mapping[str, Any], done: dict[str, Any],
              failed: dict[str, str]) -> Any: ...

    def tables(self, scenario: Scenario, result: Any) -> dict[str, Any]: ...


def run_stage(stage: Stage, scenario: Scenario, upstream: Mapping[str, Any], executor: Executor | None = None,
              store: TaskStore | None = None, progress: Progress | None = None) -> tuple[Any, dict[str, str]]:
    """Prepare, solve every piece on `executor` (serial when None), merge; failed pieces by key with the reason.

    Progress from inside a piece reaches `progress` only when the pieces run in this process
    (a callback does not travel to another process); otherwise each finished piece is reported.
    """
    executor = executor or SerialExecutor()
    pieces = stage.prepare(scenario, upstream)
    in_process = isinstance(executor, SerialExecutor)
    solve = functools.partial(stage.solve, progress=progress) if in_process and progress else stage.solve
    if progress and not in_process:
        # A callback does not cross into worker processes: say so, rather than go silent for minutes.
        progress(f"{stage.name}: {quantity(len(pieces), 'piece')} on {type(executor).__name__}; the objective and bound "
                 "as they improve are shown only without --workers")
    done, failed = run_pieces(executor, solve, pieces, store)
    if progress and not in_process:
        for key in pieces:
            shown = key if key.startswith(f"{stage.name}:") else f"{stage.name} {key}"
            if key in done:
                progress(f"{shown}: finished")
            elif key in failed:
                progress(f"{shown}: failed — {failed[key].splitlines()[0] if failed[key] else 'no reason given'}")
    return stage.merge(scenario, upstream, done, failed), failed
