"""Rosters and outreach as executor tasks: the same plan wherever they run, failures alone, resume."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from planner.base.decompose import restrict_to_points
from planner.base.errors import ScenarioError
from planner.base.executor import ProcessExecutor, SerialExecutor, TaskStore
from planner.base.stage import run_stage
from planner.demand.forecast import forecast
from planner.outreach.stage import OutreachStage
from planner.rosters.stage import make_roster
from planner.scenario.schemas import OfficialAbsenceRow

SMALL = {"saarijarvi", "pelkosenniemi", "parainen"}


@pytest.fixture(scope="module")
def small(default_scenario):
    """Three points that solve to optimality in well under the limits: the same answer on any machine."""
    piece = restrict_to_points(default_scenario, SMALL)
    config = piece.config.model_copy(update={
        "solver": piece.config.solver.model_copy(update={"workers": 1}),
        "horizon": piece.config.horizon.model_copy(update={"months": 1})})
    return piece.model_copy(update={"config": config})


def roster_in_pieces(scenario, executor, store=None, weeks=1, time_limit=5):
    return make_roster(scenario, weeks=weeks, time_limit=time_limit, executor=executor, store=store)


def plan_in_areas(scenario, executor, store=None, months=1, time_limit_s=5):
    """The outreach stage split into areas (as a national scenario is) on a small scenario."""
    stage = OutreachStage(months, time_limit=time_limit_s, whole_max_points=0)
    result, failed = run_stage(stage, scenario, {"demand": forecast(scenario)}, executor, store)
    return result.parts, failed


def roster_frame(run) -> pd.DataFrame:
    return pd.DataFrame(sorted((g.points, who, day, shift) for g in run.groups
                               for (who, day), shift in g.solution.assignment.items()))


@pytest.mark.slow
def test_rosters_and_outreach_are_the_same_in_a_process_pool(small):
    serial_roster, failed = roster_in_pieces(small, SerialExecutor(), weeks=1, time_limit=5)
    pooled_roster, pooled_failed = roster_in_pieces(small, ProcessExecutor(2), weeks=1, time_limit=5)
    assert failed == pooled_failed == {}
    assert [g.points for g in serial_roster.groups] == [("parainen",), ("pelkosenniemi",), ("saarijarvi",)]
    pd.testing.assert_frame_equal(roster_frame(serial_roster), roster_frame(pooled_roster))

    serial, failed = plan_in_areas(small, SerialExecutor(), months=1, time_limit_s=5)
    pooled, pooled_failed = plan_in_areas(small, ProcessExecutor(2), months=1, time_limit_s=5)
    assert failed == pooled_failed == {}
    assert serial.keys() == pooled.keys() and "outreach:poliisi:kemijarvi-poliisi" in serial
    for key in serial:
        assert serial[key].solution.objective == pooled[key].solution.objective
        pd.testing.assert_frame_equal(serial[key].visits, pooled[key].visits)
        pd.testing.assert_frame_equal(serial[key].access, pooled[key].access)
    assert sum(len(p.visits) for p in serial.values()) > 0  # someone visits a point


@pytest.mark.parametrize("executor", [SerialExecutor(), ProcessExecutor(2)], ids=["serial", "pool"])
def test_bad_data_in_an_area_is_the_runs_input_error_naming_the_row(small, executor):
    # The Kemijärvi police officer is away the whole month: bad input (exit 2), found inside a piece,
    # raised as the whole run's error with the row of the whole scenario's file, wherever the piece ran.
    away = OfficialAbsenceRow(official_id="police-kemijarvi", start=dt.date(2015, 1, 1), end=dt.date(2015, 1, 31))
    broken = small.model_copy(update={"official_absences": (away,)})
    with pytest.raises(ScenarioError) as raised:
        plan_in_areas(broken, executor, months=1, time_limit_s=5)
    row = 2 + [o.official_id for o in small.officials].index("police-kemijarvi")
    assert f"officials.csv row {row}, column working_weekdays" in str(raised.value)


class Refuses:
    """An executor that must not be asked: everything is on disk already."""

    def run(self, function, items, shared=None):
        assert list(items) == [], f"recomputed {[key for key, _ in items]}"
        return []


def test_resume_reads_finished_groups_and_areas_back(small, tmp_path):
    one = restrict_to_points(small, {"pelkosenniemi"})
    first, _ = roster_in_pieces(one, SerialExecutor(), TaskStore(tmp_path / "roster", False), weeks=1, time_limit=5)
    store = TaskStore(tmp_path / "roster", True)
    again, failed = roster_in_pieces(one, Refuses(), store, weeks=1, time_limit=5)
    assert failed == {} and store.reused == ["roster:pelkosenniemi"]
    pd.testing.assert_frame_equal(roster_frame(first), roster_frame(again))
    plans, _ = plan_in_areas(one, SerialExecutor(), TaskStore(tmp_path / "outreach", False), months=1, time_limit_s=5)
    store = TaskStore(tmp_path / "outreach", True)
    resumed, failed = plan_in_areas(one, Refuses(), store, months=1, time_limit_s=5)
    assert failed == {} and sorted(store.reused) == sorted(plans) == sorted(resumed)


class _ToyStage:
    """Two pieces, one of which fails: enough to see what a user reads while pieces run in worker processes."""

    name = "toy"

    def prepare(self, scenario, upstream):
        return {"toy:a": 1, "b": 2}

    def solve(self, piece, progress=None):
        if piece == 2:
            raise ValueError("piece b cannot be solved")
        return piece * 10

    def merge(self, scenario, upstream, done, failed):
        return done


def test_pieces_in_worker_processes_say_what_they_cannot_show_and_how_each_ended(default_scenario):
    """With --workers the progress callback cannot reach the workers: the user is told so at the start
    (not minutes of silence), and each piece is named once with how it ended (no "roster roster:…: done")."""
    said: list[str] = []
    result, failed = run_stage(_ToyStage(), default_scenario, {}, ProcessExecutor(2), None, said.append)
    assert result == {"toy:a": 10} and list(failed) == ["b"]
    assert said[0] == ("toy: 2 pieces on ProcessExecutor; the objective and bound as they improve are shown "
                       "only without --workers")
    assert said[1:] == ["toy:a: finished", "toy b: failed — ValueError: piece b cannot be solved"]
