"""One CP-SAT solution callback for every model: each better solution's objective, bound and time."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model


class Improvements(cp_model.CpSolverSolutionCallback):
    """Calls `report(objective, best bound, wall seconds)` in the model's own units at each new solution."""

    def __init__(self, report: Callable[[float, float, float], None]):
        super().__init__()
        self._report = report

    def on_solution_callback(self) -> None:
        self._report(self.objective_value, self.best_objective_bound, self.wall_time)
