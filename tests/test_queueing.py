"""Erlang C / Erlang A staffing: textbook values, edge loads, a brute-force chain, properties."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.staffing import queueing as q

FAST = settings(max_examples=40, deadline=None)


def test_textbook_erlang_c_needs_14_agents() -> None:
    """100 calls / 30 min, 3 min AHT, 80 % within 20 s: 14 agents (13 fall short)."""
    assert q.required_agents(100, 3, 30, 0.8, 20 / 60) == 14
    sl13, sl14 = q.erlang_c_service_level(100, 3, 30, [13, 14], 20 / 60)
    assert sl13 == pytest.approx(0.796, abs=1e-3)
    assert sl14 == pytest.approx(0.888, abs=1e-3)


def test_textbook_wait_and_occupancy() -> None:
    wait = q.erlang_c_avg_wait(100, 3, 30, 14)
    assert wait * 60 == pytest.approx(7.8, abs=0.05)  # seconds: C = 0.174, 180 s / 4 spare
    assert q.occupancy(100, 3, 30, 14) == pytest.approx(10 / 14)


def test_edge_loads_are_finite_and_warning_free() -> None:
    arrivals = np.array([0.0, 1e-9, 0.5, 1e5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        need = q.required_agents(arrivals, 5, 15, 0.8, 15)
        metrics = q.interval_metrics(arrivals, 5, 15, need, 15)
        # Erlang A search cost grows with overload (y - x terms), so the huge rate is
        # checked at the Erlang C staffing instead of searched.
        need_a = q.required_agents(
            arrivals[:3], 5, 15, 0.8, 15, model="erlang_a", patience_min=10
        )
        metrics_a = q.interval_metrics(
            arrivals, 5, 15, np.r_[need_a, need[3]], 15, "erlang_a", 10
        )
    assert need[0] == 0 and need[1] == 1 and need[2] == 1
    # 1e5 per 15 min at 5 min is 33 333.3 erlangs: just above the load suffices.
    assert 33_334 <= need[3] <= 33_400
    for values in (*metrics.values(), *metrics_a.values()):
        assert np.all(np.isfinite(values))
    assert np.all(metrics["service_level"] >= 0.8)
    assert np.all(metrics_a["service_level"] >= 0.8)


def test_understaffed_intervals_degrade_gracefully() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = q.interval_metrics([10.0, 10.0, 0.0], 5, 15, [0, 2, 0], 15)
    assert list(m["service_level"]) == [0.0, 0.0, 1.0]
    assert np.isinf(m["avg_wait_min"][:2]).all() and m["avg_wait_min"][2] == 0.0
    assert list(m["occupancy"]) == [0.0, 1.0, 0.0]


def test_a_lone_overloaded_advisor_is_always_busy() -> None:
    """10 customers a quarter at 5 min is 3.3 erlangs: one advisor serves all the time, the queue grows."""
    m = q.interval_metrics([[10.0, 10.0], [0.0, 2.0]], 5, 15, [[1, 4], [1, 1]], 15)
    assert m["occupancy"].shape == (2, 2)  # a day of intervals per point keeps its shape
    np.testing.assert_allclose(m["occupancy"], [[1.0, 10 / 3 / 4], [0.0, 2 / 3]], rtol=1e-12)
    assert m["service_level"][0, 0] == 0.0 and np.isinf(m["avg_wait_min"][0, 0])


def test_warm_started_erlang_b_matches_full_recursion() -> None:
    loads = np.array([150.0, 5_000.0, 40_000.0])
    agents = (loads + 3 * np.sqrt(loads)).astype(int)
    exact = []
    for load, n in zip(loads, agents, strict=True):
        blocking = 1.0
        for k in range(1, n + 1):
            blocking = load * blocking / (k + load * blocking)
        exact.append(blocking)
    np.testing.assert_allclose(q.erlang_b(loads, agents), exact, rtol=1e-12)


def test_pooled_aht_weights_by_arrivals_and_survives_empty_rows() -> None:
    total, aht = q.pooled_aht([[10, 30], [0, 0], [0, 4]], [3.0, 7.0])
    np.testing.assert_allclose(total, [40, 0, 4])
    np.testing.assert_allclose(aht, [6.0, 5.0, 7.0])


def test_targets_on_wait_and_occupancy_bind() -> None:
    base = q.required_agents(100, 3, 30, 0.0, 0.0)
    assert base == 11  # stability only: floor(10) + 1
    assert q.required_agents(100, 3, 30, 0.0, 0.0, max_occupancy=0.7) == 15
    with_wait = q.required_agents(100, 3, 30, 0.0, 0.0, max_avg_wait_min=0.1)
    assert q.erlang_c_avg_wait(100, 3, 30, with_wait) <= 0.1
    assert q.erlang_c_avg_wait(100, 3, 30, with_wait - 1) > 0.1


def test_shrinkage_gross_up_ignores_float_noise() -> None:
    np.testing.assert_array_equal(q.gross_up_for_shrinkage([7, 8, 0], 0.3), [10, 12, 0])


# --------------------------------------------------------------------------- Erlang A


def _uniformized_expm_apply(generator: np.ndarray, t: float, vector: np.ndarray) -> np.ndarray:
    """exp(G t) @ vector by uniformization (no scipy needed)."""
    rate = float(np.max(-np.diag(generator))) * 1.05 + 1e-12
    step = np.eye(len(generator)) + generator / rate
    terms = int(rate * t + 12 * np.sqrt(rate * t) + 50)
    weight, total, v = np.exp(-rate * t), np.zeros_like(vector), vector.copy()
    log_w = -rate * t
    for m in range(terms):
        weight = np.exp(log_w)
        total += weight * v
        v = step @ v
        log_w += np.log(rate * t) - np.log(m + 1)
    return total


def _brute_force_erlang_a(lam: float, mu: float, theta: float, n: int, t: float, waiting: int = 250) -> dict:
    """Truncated M/M/n+M chain (at most `waiting` in the queue) solved numerically, and a tagged customer's chain."""
    size = n + waiting
    gen = np.zeros((size, size))
    for j in range(size):
        if j + 1 < size:
            gen[j, j + 1] = lam
        if j > 0:
            gen[j, j - 1] = min(j, n) * mu + max(j - n, 0) * theta
        gen[j, j] = -gen[j].sum()
    system = np.vstack([gen.T, np.ones(size)])
    rhs = np.zeros(size + 1)
    rhs[-1] = 1.0
    pi = np.linalg.lstsq(system, rhs, rcond=None)[0]
    queue = np.maximum(np.arange(size) - n, 0)
    mean_queue = float(pi @ queue)

    # Tagged customer: states "k ahead" (0..K), then served, then gave up.
    ahead = size - n
    served, gave_up = ahead, ahead + 1
    tag = np.zeros((ahead + 2, ahead + 2))
    for i in range(ahead):
        tag[i, i - 1 if i else served] = n * mu + i * theta
        tag[i, gave_up] = theta
        tag[i, i] = -tag[i].sum()
    still_waiting = _uniformized_expm_apply(tag, t, np.r_[np.ones(ahead), 0.0, 0.0])
    served_by_t = _uniformized_expm_apply(tag, t, np.r_[np.zeros(ahead), 1.0, 0.0])
    waiting_on_arrival = pi[n:]
    no_wait = pi[:n].sum()
    return {
        "not_waiting": 1.0 - float(waiting_on_arrival @ still_waiting[:ahead]),
        "served_within": no_wait + float(waiting_on_arrival @ served_by_t[:ahead]),
        "avg_wait": mean_queue / lam,
        "abandon_share": theta * mean_queue / lam,
        "occupancy": float(pi @ np.minimum(np.arange(size), n)) / n,
    }


@pytest.mark.parametrize(
    ("arrivals", "agents", "patience", "within"),
    [(20.0, 6, 8.0, 3.0), (20.0, 7, 8.0, 10.0), (40.0, 9, 3.0, 5.0), (20.0, 3, 20.0, 15.0)],
)
def test_erlang_a_matches_brute_force_chain(
    arrivals: float, agents: int, patience: float, within: float
) -> None:
    aht, interval = 5.0, 15.0
    expected = _brute_force_erlang_a(arrivals / interval, 1 / aht, 1 / patience, agents, within)
    got = q.interval_metrics(arrivals, aht, interval, agents, within, "erlang_a", patience)
    got_not_waiting = q.erlang_a_service_level(
        arrivals, aht, interval, agents, within, patience, erlang_a_sl="not_waiting"
    )
    assert got["service_level"] == pytest.approx(expected["served_within"], abs=1e-9)
    assert got_not_waiting == pytest.approx(expected["not_waiting"], abs=1e-9)
    assert got["avg_wait_min"] == pytest.approx(expected["avg_wait"], abs=1e-9)
    assert got["abandon_share"] == pytest.approx(expected["abandon_share"], abs=1e-9)
    assert got["occupancy"] == pytest.approx(expected["occupancy"], abs=1e-9)


def test_erlang_a_with_infinite_patience_is_erlang_c() -> None:
    arrivals = np.array([3.0, 20.0, 60.0, 0.0])
    agents = np.array([2, 8, 25, 0])
    c = q.interval_metrics(arrivals, 5, 15, agents, 10)
    a_inf = q.interval_metrics(arrivals, 5, 15, agents, 10, "erlang_a", np.inf)
    a_big = q.interval_metrics(arrivals, 5, 15, agents, 10, "erlang_a", 1e5)
    for key in ("service_level", "avg_wait_min", "occupancy"):
        np.testing.assert_array_equal(a_inf[key], c[key])
        np.testing.assert_allclose(a_big[key], c[key], atol=1e-3)


# --------------------------------------------------------------------------- properties

arrivals_st = st.floats(0.0, 150.0)
aht_st = st.floats(0.5, 20.0)
patience_st = st.floats(1.0, 60.0)
within_st = st.floats(0.0, 30.0)
target_st = st.floats(0.05, 0.99)


@FAST
@given(arrivals_st, aht_st, within_st, patience_st)
def test_service_level_never_falls_when_agents_are_added(
    arrivals: float, aht: float, within: float, patience: float
) -> None:
    agents = np.arange(0, 80)
    c = q.erlang_c_service_level(arrivals, aht, 15, agents, within)
    assert np.all(np.diff(c) >= -1e-12)
    for definition in ("served_within", "not_waiting"):
        a = q.erlang_a_service_level(arrivals, aht, 15, agents, within, patience, definition)
        assert np.all(np.diff(a) >= -1e-9)


def _meets(metrics: dict, target: float, max_occ: float | None, max_wait: float | None) -> bool:
    ok = metrics["service_level"] >= target
    if max_occ is not None:
        ok &= metrics["occupancy"] <= max_occ
    if max_wait is not None:
        ok &= metrics["avg_wait_min"] <= max_wait
    return bool(ok)


@FAST
@given(
    arrivals_st,
    aht_st,
    within_st,
    target_st,
    st.one_of(st.none(), st.floats(0.3, 1.0)),
    st.one_of(st.none(), st.floats(0.05, 10.0)),
    st.one_of(st.none(), patience_st),
)
def test_required_agents_is_the_smallest_count_meeting_every_target(
    arrivals: float,
    aht: float,
    within: float,
    target: float,
    max_occ: float | None,
    max_wait: float | None,
    patience: float | None,
) -> None:
    model = "erlang_c" if patience is None else "erlang_a"
    need = int(
        q.required_agents(arrivals, aht, 15, target, within, max_occ, max_wait, model, patience)
    )
    if q.offered_load(arrivals, aht, 15) == 0:  # includes subnormal arrivals underflowing
        assert need == 0
        return

    def metrics(n: int) -> dict:
        return q.interval_metrics(arrivals, aht, 15, n, within, model, patience)

    assert _meets(metrics(need), target, max_occ, max_wait)
    assert need >= 1
    assert not _meets(metrics(need - 1), target, max_occ, max_wait)


@FAST
@given(arrivals_st, aht_st, within_st, target_st, patience_st)
def test_erlang_a_never_needs_more_than_erlang_c(
    arrivals: float, aht: float, within: float, target: float, patience: float
) -> None:
    """True for P(W <= t): giving up only shortens the queue for those who stay."""
    c = q.required_agents(arrivals, aht, 15, target, within)
    a = q.required_agents(
        arrivals, aht, 15, target, within, model="erlang_a", patience_min=patience,
        erlang_a_sl="not_waiting",
    )
    assert a <= c


def test_served_within_definition_can_need_more_than_erlang_c() -> None:
    """Walk-outs count as failures: impatient customers need more advisors, not fewer."""
    c = q.required_agents(1.5, 5, 15, 0.85, 15)
    a = q.required_agents(1.5, 5, 15, 0.85, 15, model="erlang_a", patience_min=10)
    assert (c, a) == (1, 2)


def test_max_abandon_target_binds_under_the_lenient_definition() -> None:
    kwargs = {"model": "erlang_a", "patience_min": 5.0, "erlang_a_sl": "not_waiting"}
    loose = int(q.required_agents(40, 5, 15, 0.5, 15, **kwargs))
    strict = int(q.required_agents(40, 5, 15, 0.5, 15, max_abandon=0.02, **kwargs))
    assert strict > loose

    def abandon(n: int) -> float:
        return float(q.interval_metrics(40, 5, 15, n, 15, "erlang_a", 5.0)["abandon_share"])

    assert abandon(strict) <= 0.02 < abandon(strict - 1)


# --------------------------------------------------------------------------- edges found by mutation testing (issue #18)


def test_pooled_aht_of_fractional_arrivals_and_mismatched_providers() -> None:
    """Forecast arrivals are fractions: a quarter with 0.5 tax customers still pools at the tax AHT."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an empty row must not divide 0 by 0
        total, aht = q.pooled_aht([[0.5, 0.0], [0.0, 0.0], [1, 1]], [3, 7])
    np.testing.assert_allclose(total, [0.5, 0.0, 2.0])
    np.testing.assert_allclose(aht, [3.0, 5.0, 5.0])
    with pytest.raises(ValueError, match="arrivals have 2 provider columns but 3 AHTs"):
        q.pooled_aht([[1.0, 2.0]], [3.0, 4.0, 5.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no providers: no mean of an empty list either
        total, aht = q.pooled_aht(np.zeros((2, 0)), [])
    np.testing.assert_array_equal(total, [0.0, 0.0])
    np.testing.assert_array_equal(aht, [0.0, 0.0])


def test_shrinkage_must_leave_someone_at_work() -> None:
    np.testing.assert_array_equal(q.gross_up_for_shrinkage([7, 0], 0.0), [7, 0])  # no shrinkage: as many as needed
    for bad in (1.0, 1.5, -0.1):
        with pytest.raises(ValueError, match=r"^shrinkage must be in \[0, 1\)$"):
            q.gross_up_for_shrinkage([7], bad)
    assert q.gross_up_for_shrinkage([7], 0.19).dtype.kind == "i"  # whole advisors


def _exact_boundary(metric: str, n: int, **kwargs) -> float:
    """The Erlang A measure at exactly n advisors: a target equal to it is met by n."""
    m = q.interval_metrics(20.0, 5.0, 15.0, n, 3.0, "erlang_a", 8.0, **kwargs)
    return float(m[metric])


def test_erlang_a_target_met_exactly_counts_as_met() -> None:
    """SL ≥ target, occupancy ≤ cap, average wait ≤ cap: equality passes (7 advisors here)."""
    kwargs = {"model": "erlang_a", "patience_min": 8.0}
    target = _exact_boundary("service_level", 7)
    assert q.required_agents(20.0, 5.0, 15.0, target, 3.0, **kwargs) == 7
    occ = _exact_boundary("occupancy", 7)
    assert q.required_agents(20.0, 5.0, 15.0, 0.0, 3.0, max_occupancy=occ, **kwargs) == 7
    wait = _exact_boundary("avg_wait_min", 7)
    assert q.required_agents(20.0, 5.0, 15.0, 0.0, 3.0, max_avg_wait_min=wait, **kwargs) == 7


def test_a_loose_occupancy_cap_does_not_replace_the_service_level_target() -> None:
    for model, patience in (("erlang_c", None), ("erlang_a", 8.0)):
        plain = q.required_agents(20.0, 5.0, 15.0, 0.95, 1.0, model=model, patience_min=patience)
        capped = q.required_agents(20.0, 5.0, 15.0, 0.95, 1.0, max_occupancy=1.0, max_avg_wait_min=100.0,
                                   model=model, patience_min=patience)
        assert capped == plain > 8


def test_erlang_a_per_interval_equals_one_interval_at_a_time() -> None:
    """A day's intervals at once (arrivals and patience per interval), as sizing calls it, shape kept."""
    arrivals = np.array([[1.5, 20.0, 0.0], [40.0, 3.0, 60.0]])
    patience = np.array([[10.0, 8.0, 5.0], [3.0, 20.0, 8.0]])
    together = q.required_agents(arrivals, 5.0, 15.0, 0.85, 3.0, model="erlang_a", patience_min=patience,
                                 min_agents=[[0, 0, 0], [0, 4, 0]])
    assert together.shape == (2, 3)
    alone = [[int(q.required_agents(a, 5.0, 15.0, 0.85, 3.0, model="erlang_a", patience_min=p, min_agents=f))
              for a, p, f in zip(ra, rp, rf, strict=True)]
             for ra, rp, rf in zip(arrivals, patience, [[0, 0, 0], [0, 4, 0]], strict=True)]
    assert together.tolist() == alone
    assert together[0, 2] == 0 and together[1, 1] == 4  # no customers: nobody; a floor of 4 holds



def test_required_agents_refuses_targets_it_cannot_mean() -> None:
    assert q.required_agents(20.0, 5.0, 15.0, 0.0, 3.0, max_occupancy=1.0) == 7  # stability alone: floor(6.67) + 1
    assert q.required_agents(20.0, 5.0, 15.0, 1.0, 3.0) > q.required_agents(20.0, 5.0, 15.0, 0.999, 3.0) > 7
    for target in (-0.1, 1.01):
        with pytest.raises(ValueError, match=r"^target_sl must be in \[0, 1\]$"):
            q.required_agents(20.0, 5.0, 15.0, target, 3.0)
    for cap in (0.0, 1.01):
        with pytest.raises(ValueError, match=r"^max_occupancy must be in \(0, 1\]$"):
            q.required_agents(20.0, 5.0, 15.0, 0.8, 3.0, max_occupancy=cap)
    for model in ("erlang_b", "ERLANG_C"):
        with pytest.raises(ValueError, match=rf"^unknown model '{model}'; use 'erlang_c' or 'erlang_a'$"):
            q.required_agents(20.0, 5.0, 15.0, 0.8, 3.0, model=model)
        with pytest.raises(ValueError, match=rf"^unknown model '{model}'; use 'erlang_c' or 'erlang_a'$"):
            q.interval_metrics(20.0, 5.0, 15.0, 8, 3.0, model=model)
    with pytest.raises(ValueError, match=r"^model='erlang_a' needs patience_min$"):
        q.required_agents(20.0, 5.0, 15.0, 0.8, 3.0, model="erlang_a")
    with pytest.raises(ValueError, match=r"^model='erlang_a' needs patience_min$"):
        q.interval_metrics(20.0, 5.0, 15.0, 8, 3.0, model="erlang_a")
    for patience in (0.0, [5.0, -1.0]):
        with pytest.raises(ValueError, match=r"^patience_min must be > 0$"):
            q.required_agents([20.0, 20.0], 5.0, 15.0, 0.8, 3.0, model="erlang_a", patience_min=patience)
        with pytest.raises(ValueError, match=r"^patience_min must be > 0$"):
            q.interval_metrics([20.0, 20.0], 5.0, 15.0, 8, 3.0, model="erlang_a", patience_min=patience)
    for arrivals, aht, interval, message in ((-1.0, 5.0, 15.0, "arrivals must be finite and >= 0"),
                                             (np.inf, 5.0, 15.0, "arrivals must be finite and >= 0"),
                                             (20.0, 0.0, 15.0, "aht_min must be finite and > 0"),
                                             (20.0, np.inf, 15.0, "aht_min must be finite and > 0"),
                                             (20.0, 5.0, 0.0, "interval_min must be > 0")):
        with pytest.raises(ValueError, match=rf"^{message}$"):
            q.required_agents(arrivals, aht, interval, 0.8, 3.0)


def test_one_target_per_interval_with_every_other_input_a_scalar() -> None:
    got = q.required_agents(20.0, 5.0, 15.0, [0.5, 0.8, 0.95], 3.0)
    assert got.tolist() == [int(q.required_agents(20.0, 5.0, 15.0, t, 3.0)) for t in (0.5, 0.8, 0.95)]
    assert got[0] < got[2]


def test_a_season_of_intervals_longer_than_one_chunk_is_sized_whole() -> None:
    """A year of 15-minute intervals at five points is over 65 536 rows: every row gets its own answer."""
    arrivals = np.tile([0.0, 1.5, 20.0, 60.0, 250.0], 14_000)  # 70 000 intervals
    floor = np.tile([0, 0, 0, 0, 0, 0, 30], 10_000)
    got = q.required_agents(arrivals, 5.0, 15.0, 0.8, 3.0, min_agents=floor)
    one = {a: int(q.required_agents(a, 5.0, 15.0, 0.8, 3.0)) for a in (0.0, 1.5, 20.0, 60.0, 250.0)}
    expected = np.maximum([one[a] for a in arrivals], floor)
    np.testing.assert_array_equal(got, expected)


def test_a_fractional_minimum_is_rounded_to_whole_advisors() -> None:
    assert q.required_agents([0.0, 1.5], 5.0, 15.0, 0.8, 3.0, min_agents=2.6).tolist() == [3, 3]
    assert q.required_agents([0.0, 1.5], 5.0, 15.0, 0.8, 3.0, min_agents=2.6, model="erlang_a",
                             patience_min=10.0).tolist() == [3, 3]


def test_handling_time_and_answer_time_per_interval() -> None:
    """Sizing passes a pooled AHT per interval; each interval is sized on its own AHT, answer time and target."""
    aht, within, target = [3.0, 5.0, 8.0, 5.0], [0.5, 3.0, 3.0, 10.0], [0.8, 0.9, 0.8, 0.5]
    got = q.required_agents(20.0, aht, 15.0, target, within)
    assert got.tolist() == [int(q.required_agents(20.0, a, 15.0, t, w)) for a, w, t in zip(aht, within, target, strict=True)]
    capped = q.required_agents(20.0, aht, 15.0, target, within, max_avg_wait_min=0.5)
    assert capped.tolist() == [int(q.required_agents(20.0, a, 15.0, t, w, max_avg_wait_min=0.5))
                               for a, w, t in zip(aht, within, target, strict=True)]
    two = q.required_agents([20.0, 20.0], 5.0, 15.0, 0.8, [0.5, 10.0])  # two intervals: a pair, not a scalar
    assert two.tolist() == [int(q.required_agents(20.0, 5.0, 15.0, 0.8, w)) for w in (0.5, 10.0)]


def test_metrics_name_every_measure_for_both_models() -> None:
    keys = {"service_level", "avg_wait_min", "occupancy", "abandon_share", "served_within_share"}
    c = q.interval_metrics([20.0, 40.0], 5.0, 15.0, [8, 12], 3.0)
    assert set(c) == keys
    np.testing.assert_array_equal(c["abandon_share"], [0.0, 0.0])  # nobody leaves an Erlang C queue
    np.testing.assert_array_equal(c["served_within_share"], c["service_level"])
    a = q.interval_metrics([20.0, 40.0], 5.0, 15.0, [8, 12], 3.0, "erlang_a", 8.0, erlang_a_sl="not_waiting")
    assert set(a) == keys
    np.testing.assert_array_equal(a["served_within_share"], q.erlang_a_service_level([20.0, 40.0], 5.0, 15.0, [8, 12], 3.0, 8.0))
    assert np.all(a["service_level"] >= a["served_within_share"]) and np.all(a["abandon_share"] > 0)


def test_a_wait_cap_binds_just_above_the_load() -> None:
    """10.5 erlangs: 11 advisors (0.5 spare) are stable but make people wait 5 min on average; a 2-minute cap needs
    12 (1.1 min), by the exact Erlang C wait, not by the quick bound the search tries first."""
    assert q.erlang_c_avg_wait(52.5, 3.0, 15.0, 11) > 4.9 and q.erlang_c_avg_wait(52.5, 3.0, 15.0, 12) < 1.2
    assert q.required_agents(52.5, 3.0, 15.0, 0.0, 0.0, max_avg_wait_min=2.0) == 12


def test_a_target_of_100_percent_is_met_when_nobody_waits_long() -> None:
    """Answered within 8 h, everybody is: the service level is 1.0 exactly, and 100 % is met at the stable count."""
    assert q.erlang_c_service_level(20.0, 1.0, 15.0, 2, 480.0) == 1.0
    assert q.required_agents(20.0, 1.0, 15.0, 1.0, 480.0) == 2
