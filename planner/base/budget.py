"""Solver budgets from the scenario: `[solver]` in scenario.toml → the model kit's SolveParams.

Every solve stops on its work budget (CP-SAT deterministic time), so a plan depends on the
inputs and settings only, not on the machine's load; `time_limit_seconds` is the safety cap.
"""

from __future__ import annotations

from models.kit import Progress, SolveParams
from planner.scenario.schemas import Scenario


def solve_params(scenario: Scenario, *, time_limit: float | None = None, work_limit: float | None = None,
                 share: float = 1.0, workers: int | None = None, progress: Progress | None = None) -> SolveParams:
    """The scenario's budget per solve (or the caller's), `share` of it, on the scenario's workers (or `workers`)."""
    solver = scenario.config.solver
    return SolveParams(work_limit=share * (work_limit or solver.work_limit),
                       time_limit=share * (time_limit or solver.time_limit_seconds),
                       workers=workers or solver.workers, seed=solver.seed, progress=progress)


def with_work_limit(scenario: Scenario, work_limit: float | None) -> Scenario:
    """The scenario with another `[solver] work_limit` (a command-line override); unchanged for None."""
    if work_limit is None:
        return scenario
    solver = scenario.config.solver.model_copy(update={"work_limit": work_limit})
    config = scenario.config.model_copy(update={"solver": solver})
    return scenario.model_copy(update={"config": config})
