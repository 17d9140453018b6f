"""The counter simulation against Erlang C under Erlang C's own assumptions, and its roster rules."""

import numpy as np
import pytest

from planner.records.replay import Duty, patience_from, simulate_day
from planner.staffing.queueing import erlang_c_service_level


@pytest.mark.parametrize(("advisors", "load", "within"),
                         [pytest.param(3, 2.4, 2.0, marks=pytest.mark.slow), (1, 0.7, 5.0)])  # the first: over 2 s
def test_simulated_service_level_matches_erlang_c_in_steady_state(advisors, load, within):
    """Stationary Poisson arrivals, exponential handling, fixed staff, long run: within 2 points of Erlang C."""
    rng = np.random.default_rng(1)
    aht, horizon = 5.0, 120_000.0
    rate = load / aht
    arrival = np.cumsum(rng.exponential(1 / rate, int(rate * horizon * 1.1)))
    arrival = arrival[arrival < horizon]
    service = rng.exponential(aht, arrival.size)
    skills = frozenset({"kela"})
    duties = [Duty(f"a{i}", 0.0, horizon, skills) for i in range(advisors)]
    result = simulate_day(arrival, np.array(["kela"] * arrival.size), service, np.full(arrival.size, np.inf),
                          duties, horizon)
    steady = arrival > 2_000  # warm-up left out
    simulated = float((result.wait[steady] <= within).mean())
    exact = float(erlang_c_service_level(rate * 15, aht, 15.0, advisors, within))
    assert result.served.all()
    assert abs(simulated - exact) < 0.02, (simulated, exact)


def test_a_customer_waits_for_the_advisor_trained_for_the_provider():
    arrival = np.array([0.0, 1.0])
    duties = [Duty("kela-only", 0.0, 60.0, frozenset({"kela"})), Duty("vero-only", 0.0, 60.0, frozenset({"vero"}))]
    result = simulate_day(arrival, np.array(["kela", "kela"]), np.array([10.0, 10.0]), np.full(2, np.inf), duties, 60.0)
    assert result.wait.tolist() == [0.0, 9.0]
    assert result.skill_blocked.tolist() == [False, True]


def test_the_break_is_taken_after_the_customer_in_hand_and_nobody_is_served_meanwhile():
    duties = [Duty("a", 0.0, 120.0, frozenset({"kela"}), break_start=10.0, break_minutes=30.0)]
    arrival = np.array([5.0, 12.0])
    result = simulate_day(arrival, np.array(["kela", "kela"]), np.array([10.0, 5.0]), np.full(2, np.inf), duties, 120.0)
    # The first is served 5-15; the break runs 15-45; the second waits from 12 to 45.
    assert result.wait.tolist() == [0.0, 33.0]


def test_impatient_customers_leave_and_patience_is_estimated_from_waits():
    duties = [Duty("a", 0.0, 100.0, frozenset({"kela"}))]
    arrival = np.array([0.0, 1.0])
    result = simulate_day(arrival, np.array(["kela", "kela"]), np.array([30.0, 5.0]), np.array([np.inf, 10.0]),
                          duties, 100.0)
    assert result.abandoned.tolist() == [False, True]
    assert result.wait[1] == 10.0
    assert patience_from(np.array([0.0, 10.0, 20.0]), np.array([False, True, True])) == 15.0
