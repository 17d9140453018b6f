"""Executors: the same results wherever tasks run; a failing or killed task fails alone."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from planner.base.decompose import restrict_to_points
from planner.base.executor import ProcessExecutor, SerialExecutor
from planner.demand.forecast import forecast
from planner.rosters.stage import make_roster
from planner.staffing.stage import size_scenario


def size_in_pieces(scenario, executor):
    return size_scenario(scenario, forecast(scenario), executor)


def two_months(scenario):
    horizon = scenario.config.horizon.model_copy(update={"months": 2})
    return scenario.model_copy(update={"config": scenario.config.model_copy(update={"horizon": horizon})})


@pytest.mark.slow
def test_serial_and_process_pool_give_identical_sizing(default_scenario):
    scenario = two_months(restrict_to_points(default_scenario, {"saarijarvi", "pelkosenniemi", "parainen"}))
    serial, failed_serial = size_in_pieces(scenario, SerialExecutor())
    pooled, failed_pooled = size_in_pieces(scenario, ProcessExecutor(2))
    assert failed_serial == failed_pooled == {}
    pd.testing.assert_frame_equal(serial.summary, pooled.summary)
    pd.testing.assert_frame_equal(serial.shifts.reset_index(drop=True), pooled.shifts.reset_index(drop=True))


def fragile(item: tuple[str, str]) -> str:
    kind, marker = item
    if kind == "raise":
        raise ValueError("bad data in this municipality")
    if kind == "die-once" and not Path(marker).exists():
        Path(marker).touch()
        os._exit(1)  # the worker is killed mid-run
    if kind == "die-always":
        os._exit(1)
    return kind


def test_a_failing_task_fails_alone():
    results = SerialExecutor().run(fragile, [("a", ("ok", "")), ("b", ("raise", "")), ("c", ("fine", ""))])
    assert [r.ok for r in results] == [True, False, True]
    assert "bad data in this municipality" in results[1].error


def test_a_killed_worker_is_retried_and_the_rest_complete(tmp_path):
    marker = str(tmp_path / "died")
    items = [("a", ("ok", "")), ("b", ("die-once", marker)), ("c", ("fine", ""))]
    results = ProcessExecutor(2).run(fragile, items)
    assert [r.value for r in results] == ["ok", "die-once", "fine"]
    assert Path(marker).exists()


def test_a_worker_that_always_dies_is_reported(tmp_path):
    items = [("a", ("ok", "")), ("b", ("die-always", "")), ("c", ("fine", ""))]
    results = {r.key: r for r in ProcessExecutor(2, retries=1).run(fragile, items)}
    assert not results["b"].ok and "died" in results["b"].error
    assert results["a"].value == "ok" and results["c"].value == "fine"


@pytest.mark.slow
def test_ray_gives_the_same_results_and_survives_a_killed_worker(tmp_path, default_scenario):
    ray = __import__("pytest").importorskip("ray")
    from planner.base.executor import RayExecutor

    executor = RayExecutor(local_cpus=2)
    try:
        marker = str(tmp_path / "died")
        items = [("a", ("ok", "")), ("b", ("die-once", marker)), ("c", ("raise", ""))]
        results = executor.run(fragile, items)
        assert results[0].value == "ok"
        assert results[1].value == "die-once" and Path(marker).exists()  # Ray re-ran the killed task
        assert not results[2].ok and "bad data" in results[2].error
        scenario = two_months(restrict_to_points(default_scenario, {"saarijarvi", "pelkosenniemi"}))
        on_ray, failed = size_in_pieces(scenario, executor)
        serial, _ = size_in_pieces(scenario, SerialExecutor())
        assert failed == {}
        pd.testing.assert_frame_equal(on_ray.summary, serial.summary)
        one = restrict_to_points(default_scenario, {"pelkosenniemi"})
        solver = one.config.solver.model_copy(update={"workers": 1})  # one CP-SAT worker: a repeatable optimum
        one = one.model_copy(update={"config": one.config.model_copy(update={"solver": solver})})
        rostered, failed = make_roster(one, weeks=1, time_limit=5, executor=executor)
        reference, _ = make_roster(one, weeks=1, time_limit=5)
        assert failed == {} and rostered.groups[0].solution.assignment == reference.groups[0].solution.assignment
    finally:
        ray.shutdown()


def whose(item: int) -> tuple[int, int]:
    """A task that says which worker ran it."""
    return item * item, os.getpid()


whose.one_task_per_worker = True  # as the outreach stage declares it


@pytest.mark.slow
def test_a_task_function_that_asks_for_it_runs_each_task_in_a_new_worker_with_the_same_results():
    # A worker that ran a year's outreach area kept 1.1–1.5 GB (issue #15); one task a worker gives it back.
    items = [(str(n), n) for n in range(5)]
    pooled = ProcessExecutor(2).run(whose, items)
    serial = SerialExecutor().run(whose, items)
    assert [r.value[0] for r in pooled] == [r.value[0] for r in serial] == [n * n for n in range(5)]
    assert len({r.value[1] for r in pooled}) == 5  # five workers, one task each
    assert os.getpid() not in {r.value[1] for r in pooled}


def test_the_outreach_stage_asks_for_a_new_worker_per_area():
    from planner.base.executor import one_task_per_worker
    from planner.outreach.stage import OutreachStage

    assert one_task_per_worker(OutreachStage().solve)
    assert not one_task_per_worker(fragile)
