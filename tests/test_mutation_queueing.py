"""Exact unit tests of planner/staffing/queueing.py for the mutants the older tests let through (issue #18).

Each is a behaviour sizing relies on: a whole advisor count (an integer), a target met
exactly counting as met, patience given per point and broadcast over a day's intervals, a
bad patience refused whatever the arrivals. Fast (no hypothesis), so each mutant is cheap.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from planner.staffing import queueing as q


def test_advisor_counts_are_whole_numbers_for_both_models() -> None:
    """Sizing adds, rounds and writes these counts to CSV: integers, not floats like 15.0."""
    assert q.required_agents([20.0, 0.0], 5.0, 15.0, 0.8, 3.0).dtype.kind == "i"
    assert q.required_agents([20.0, 0.0], 5.0, 15.0, 0.8, 3.0, model="erlang_a", patience_min=8.0).dtype.kind == "i"


def test_an_erlang_c_wait_cap_met_exactly_counts_as_met() -> None:
    """14 erlangs (70 customers a quarter at 3 min): 15 advisors, the first stable count, make people wait
    2.17 min on average; a cap of exactly that wait is met by 15 (the exact test, not the quick bound)."""
    wait = float(q.erlang_c_avg_wait(70.0, 3.0, 15.0, 15))
    assert 2.1 < wait < 2.2
    assert q.required_agents(70.0, 3.0, 15.0, 0.0, 0.0, max_avg_wait_min=wait) == 15
    assert q.required_agents(70.0, 3.0, 15.0, 0.0, 0.0, max_avg_wait_min=wait * 0.999) == 16


@pytest.mark.parametrize("points", [2, 3])
def test_patience_per_point_is_broadcast_over_the_day(points: int) -> None:
    """Arrivals of (intervals × points) with one patience per point: each column sized on its own point's patience."""
    arrivals = np.array([[20.0, 1.5, 40.0][:points], [3.0, 20.0, 0.0][:points], [40.0, 40.0, 20.0][:points]])
    patience = np.array([2.0, 30.0, 8.0][:points])
    together = q.required_agents(arrivals, 5.0, 15.0, 0.85, 3.0, model="erlang_a", patience_min=patience)
    assert together.shape == (3, points)
    alone = [[int(q.required_agents(a, 5.0, 15.0, 0.85, 3.0, model="erlang_a", patience_min=p))
              for a, p in zip(row, patience, strict=True)] for row in arrivals]
    assert together.tolist() == alone


@pytest.mark.parametrize("patience", [0.0, -1.0, [8.0, 0.0]])
def test_a_bad_patience_is_refused_on_a_day_without_customers_too(patience) -> None:
    with pytest.raises(ValueError, match=r"^patience_min must be > 0$"):
        q.required_agents([0.0, 0.0], 5.0, 15.0, 0.8, 3.0, model="erlang_a", patience_min=patience)


def _smallest_by_scan(arrivals: float, patience: float, within: float, target: float, definition: str) -> int:
    """The smallest advisor count (one at least, customers arriving) whose Erlang A service level meets `target`."""
    for n in range(1, 200):
        m = q.interval_metrics(arrivals, 5.0, 15.0, n, within, "erlang_a", patience, erlang_a_sl=definition)
        if m["service_level"] >= target:
            return n
    raise AssertionError("no count up to 199 meets the target")


def test_the_lenient_definition_is_not_held_to_the_throughput_bound() -> None:
    """not_waiting counts those who gave up within the answer time as not waiting: with 0.5 min patience and a
    3 min answer time one advisor meets 80 % of 10 erlangs, far below 0.8 × 10 advisors. served_within cannot."""
    kwargs = {"model": "erlang_a", "patience_min": 0.5}
    lenient = int(q.required_agents(30.0, 5.0, 15.0, 0.8, 3.0, erlang_a_sl="not_waiting", **kwargs))
    assert lenient == _smallest_by_scan(30.0, 0.5, 3.0, 0.8, "not_waiting") == 1
    strict = int(q.required_agents(30.0, 5.0, 15.0, 0.8, 3.0, **kwargs))
    assert strict == _smallest_by_scan(30.0, 0.5, 3.0, 0.8, "served_within") > 8


def test_customers_arriving_need_one_advisor_even_when_giving_up_meets_the_target() -> None:
    """0.5 erlangs, patience 1 min, answered within 15 min: nobody there still 'meets' 99.99 % not waiting (all gave
    up), but an open counter with customers gets one advisor at least."""
    nobody = q.interval_metrics(1.5, 5.0, 15.0, 0, 15.0, "erlang_a", 1.0, erlang_a_sl="not_waiting")
    assert nobody["service_level"] > 0.99
    assert q.required_agents([1.5, 0.0], 5.0, 15.0, 0.8, 15.0, model="erlang_a", patience_min=1.0,
                             erlang_a_sl="not_waiting").tolist() == [1, 0]


def test_an_abandonment_cap_met_exactly_counts_as_met_and_adds_to_the_service_level() -> None:
    """At 20 customers a quarter (6.7 erlangs) and 8 min patience, 7 advisors lose 11.4 % of them; a cap of exactly
    that is met by 7. A loose cap does not replace the service-level target."""
    kwargs = {"model": "erlang_a", "patience_min": 8.0}
    at_7 = float(q.interval_metrics(20.0, 5.0, 15.0, 7, 3.0, "erlang_a", 8.0)["abandon_share"])
    assert q.required_agents(20.0, 5.0, 15.0, 0.0, 3.0, max_abandon=at_7, **kwargs) == 7
    assert q.required_agents(20.0, 5.0, 15.0, 0.0, 3.0, max_abandon=at_7 * 0.999, **kwargs) == 8
    plain = int(q.required_agents(20.0, 5.0, 15.0, 0.95, 3.0, **kwargs))
    assert plain == 9 and q.required_agents(20.0, 5.0, 15.0, 0.95, 3.0, max_abandon=1.0, **kwargs) == plain


def test_erlang_a_per_interval_handling_answer_time_target_and_interval_length() -> None:
    """Each interval of an Erlang A call sized on its own AHT, answer time, target and interval length."""
    aht, within, target, interval = [3.0, 5.0, 8.0, 5.0], [0.5, 3.0, 3.0, 10.0], [0.8, 0.9, 0.8, 0.5], [15.0, 15.0, 30.0, 60.0]
    got = q.required_agents(20.0, aht, interval, target, within, model="erlang_a", patience_min=8.0)
    alone = [int(q.required_agents(20.0, a, i, t, w, model="erlang_a", patience_min=8.0))
             for a, w, t, i in zip(aht, within, target, interval, strict=True)]
    assert got.tolist() == alone
    assert len(set(alone)) > 2


# --------------------------------------------------------------------------- Erlang A measures, exact


def _chain(arrivals: float, agents: int, patience: float, within: float) -> dict:
    """The truncated M/M/n+M chain of tests/test_queueing.py (5 min AHT, 15 min intervals), at most 80 waiting:
    for these loads the states beyond change no figure by 1e-10."""
    from tests.test_queueing import _brute_force_erlang_a

    with np.errstate(divide="ignore"):  # t = 0: the uniformization's log(rate · t)
        return _brute_force_erlang_a(arrivals / 15.0, 1 / 5.0, 1 / patience, agents, within, waiting=80)


def test_erlang_a_intervals_of_one_call_each_match_the_chain() -> None:
    """Intervals of different loads in one call end their queue-length sums at different lengths: each must still
    match its own chain. Cases: answered at once (t = 0), one advisor, heavy overload (80 a quarter at 2 advisors:
    92.5 % give up), patience shorter than the answer time."""
    cases = [(20.0, 7, 8.0, 0.0), (3.0, 1, 2.0, 20.0), (80.0, 2, 4.0, 3.0), (20.0, 6, 8.0, 3.0), (40.0, 9, 3.0, 5.0)]
    arrivals, agents, patience, within = (np.array(c) for c in zip(*cases, strict=True))
    got = q.interval_metrics(arrivals, 5.0, 15.0, agents, within, "erlang_a", patience)
    lenient = q.erlang_a_service_level(arrivals, 5.0, 15.0, agents, within, patience, "not_waiting")
    for k, case in enumerate(cases):
        want = _chain(*case)
        assert got["service_level"][k] == pytest.approx(want["served_within"], abs=1e-9), case
        assert got["served_within_share"][k] == pytest.approx(want["served_within"], abs=1e-9), case
        assert lenient[k] == pytest.approx(want["not_waiting"], abs=1e-9), case
        assert got["avg_wait_min"][k] == pytest.approx(want["avg_wait"], abs=1e-9), case
        assert got["abandon_share"][k] == pytest.approx(want["abandon_share"], abs=1e-9), case
        assert got["occupancy"][k] == pytest.approx(want["occupancy"], abs=1e-9), case


def test_erlang_a_without_advisors_or_without_customers() -> None:
    """No advisors: everybody waits until they give up, so P(W <= t) = 1 − e^(−t/patience), nobody is served, the
    average wait is the patience. No customers: nothing to wait for. Infinite patience beside them: Erlang C."""
    arrivals, agents, within, patience = [10.0, 0.0, 10.0, 10.0, 0.0], [0, 0, 0, 3, 2], [6.0, 6.0, 0.0, 6.0, 6.0], \
        [4.0, 4.0, 4.0, np.inf, 4.0]
    m = q.interval_metrics(arrivals, 5.0, 15.0, agents, within, "erlang_a", patience, erlang_a_sl="not_waiting")
    served = q.erlang_a_service_level(arrivals, 5.0, 15.0, agents, within, patience)
    c = q.interval_metrics(10.0, 5.0, 15.0, 3, 6.0)
    assert m["service_level"][0] == pytest.approx(1 - np.exp(-6.0 / 4.0), rel=1e-15)
    np.testing.assert_array_equal(m["service_level"][[1, 2, 4]], [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(served[[0, 1, 2, 4]], [0.0, 1.0, 0.0, 1.0])
    np.testing.assert_array_equal(m["avg_wait_min"][[0, 1, 2, 4]], [4.0, 0.0, 4.0, 0.0])
    np.testing.assert_array_equal(m["abandon_share"], [1.0, 0.0, 1.0, 0.0, 0.0])
    np.testing.assert_array_equal(m["occupancy"][[0, 1, 2, 4]], [0.0, 0.0, 0.0, 0.0])
    assert (served[3], m["service_level"][3]) == (c["service_level"], c["service_level"])
    assert (m["avg_wait_min"][3], m["occupancy"][3]) == (c["avg_wait_min"], c["occupancy"])


def test_erlang_a_keeps_the_shape_of_a_day_of_intervals() -> None:
    m = q.interval_metrics([[20.0, 0.0, 3.0], [40.0, 20.0, 1.5]], 5.0, 15.0, [[7, 0, 1], [9, 6, 1]], 3.0, "erlang_a",
                           [[8.0, 8.0, 2.0], [3.0, 8.0, np.inf]])
    for values in m.values():
        assert values.shape == (2, 3)
    flat = q.interval_metrics([20.0, 0.0, 3.0, 40.0, 20.0, 1.5], 5.0, 15.0, [7, 0, 1, 9, 6, 1], 3.0, "erlang_a",
                              [8.0, 8.0, 2.0, 3.0, 8.0, np.inf])
    for key in m:
        np.testing.assert_array_equal(m[key].ravel(), flat[key])


@pytest.mark.parametrize("definition", ["served_within", "not_waiting"])
def test_erlang_a_requirement_is_the_smallest_count_meeting_the_target(definition: str) -> None:
    """Against a scan of every count from 1: loads from 0.5 to 20 erlangs, patience from 2 to 30 min, targets of 80
    and 95 % (the search doubles from the Erlang C answer, then bisects: every step of it must land on whole counts)."""
    arrivals = np.repeat([1.5, 20.0, 40.0, 60.0], 6)
    patience = np.tile(np.repeat([2.0, 8.0, 30.0], 2), 4)
    target = np.tile([0.8, 0.95], 12)
    got = q.required_agents(arrivals, 5.0, 15.0, target, 3.0, model="erlang_a", patience_min=patience,
                            erlang_a_sl=definition)
    counts = np.arange(1, 80)[:, None]
    sl = q.erlang_a_service_level(arrivals, 5.0, 15.0, counts, 3.0, patience, definition)
    scanned = 1 + np.argmax(sl >= target, axis=0)
    assert np.all(sl[-1] >= target)  # the scan reaches far enough
    np.testing.assert_array_equal(got, scanned)


def test_erlang_a_answered_at_once_is_warning_free() -> None:
    """An answer time of 0 (log of 0 in the sums) gives the share not waiting at all, without a numpy warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = q.interval_metrics([20.0, 20.0], 5.0, 15.0, 7, [0.0, 1e-9], "erlang_a", 8.0)
    assert m["service_level"][0] == pytest.approx(m["service_level"][1], abs=1e-9)
    assert 0.4 < m["service_level"][0] < 0.5


def test_an_overloaded_interval_does_not_change_a_quiet_one_beside_it() -> None:
    """One call, two intervals: 600 customers a quarter at 2 advisors (over a thousand queue lengths to sum) beside
    3 customers at 1 advisor. Each is rescaled on its own largest term: the quiet one reads as when sized alone."""
    both = q.interval_metrics([3.0, 600.0], 5.0, 15.0, [1, 2], 3.0, "erlang_a", 30.0)
    alone = q.interval_metrics(3.0, 5.0, 15.0, 1, 3.0, "erlang_a", 30.0)
    for key, values in both.items():
        assert values[0] == pytest.approx(float(alone[key]), rel=1e-12), key
    assert both["abandon_share"][1] == pytest.approx(1 - 2 * 15 / 5 / 600, abs=1e-3)  # 2 advisors serve 6 of 600


def _erlang_b_by_hand(load: float, agents: int) -> float:
    """The textbook recursion from B(0) = 1, every step."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def test_erlang_b_is_exact_below_the_load_too() -> None:
    """1 000 erlangs: B at every count from 0 to 1 100 equals the full recursion, also at 673–700 advisors, where
    the recursion's warm start (10 √A + 10 below A) lies. It gave B(673) = 0.3270 there, the fluid guess 1 − n/A,
    for 0.3290 (0.6 % off), until it started below the count asked for. Erlang A reads B at such counts."""
    agents = np.arange(0, 1101)
    exact = np.array([_erlang_b_by_hand(1000.0, int(n)) for n in (0, 1, 2, 300, 600, 673, 674, 680, 700, 990, 1100)])
    got = q.erlang_b(1000.0, agents)[[0, 1, 2, 300, 600, 673, 674, 680, 700, 990, 1100]]
    np.testing.assert_allclose(got, exact, rtol=1e-12)


def test_erlang_b_keeps_the_shape_of_its_inputs() -> None:
    got = q.erlang_b([[2.0, 150.0], [0.5, 150.0]], [[3, 160], [1, 140]])
    assert got.shape == (2, 2)
    np.testing.assert_allclose(got, [[_erlang_b_by_hand(2.0, 3), _erlang_b_by_hand(150.0, 160)],
                                     [_erlang_b_by_hand(0.5, 1), _erlang_b_by_hand(150.0, 140)]], rtol=1e-12)
    assert q.erlang_b(10.0, 12).shape == ()


def test_an_overloaded_counter_is_busy_all_the_time_not_more() -> None:
    """1 500 customers a quarter at 2 advisors: occupancy is 1 (the chain's sums give 1 + 7e-13 before the cap)."""
    occ = q.interval_metrics(1500.0, 5.0, 15.0, 2, 3.0, "erlang_a", 8.0)["occupancy"]
    assert 0.999 < occ <= 1.0


def test_a_one_minute_interval_is_accepted() -> None:
    """interval_min must be > 0: intervals of a minute (or less) are sized like any other."""
    assert q.required_agents(2.0, 5.0, 1.0, 0.0, 0.0) == 11  # 10 erlangs: stability alone, floor(10) + 1
    assert q.required_agents(1.0, 5.0, 0.5, 0.0, 0.0) == 11


def test_erlang_b_climbs_more_than_65_535_steps_exactly() -> None:
    """2 million erlangs at 65 536 advisors past the warm start (10 √A + 10 below A): the step counts no longer fit
    16 bits. B there is P(X = n) / P(X <= n) for X ~ Poisson(A), with P(X <= n) = 1 to double precision this far
    above the mean: about 1e-287, not the fluid value at the start."""
    load = 2e6
    agents = int(np.floor(load - 10 * np.sqrt(load) - 10)) + 65_536
    log_poisson = agents * math.log(load) - load - math.lgamma(agents + 1)
    got = float(q.erlang_b(load, agents))
    assert 1e-300 < got < 1e-280
    assert math.log(got) == pytest.approx(log_poisson, abs=1e-6)
