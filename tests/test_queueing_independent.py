"""The Erlang C requirement against an independent textbook formula (not the module's own metrics).

`required_agents` returns n: with n advisors the service level meets the target, with
n − 1 it does not (or the queue is unstable). The service level here is the closed form

    P(wait) = (Aⁿ/n! · n/(n−A)) / (Σₖ₌₀ⁿ⁻¹ Aᵏ/k! + Aⁿ/n! · n/(n−A)),
    SL      = 1 − P(wait) · exp(−(n − A) · t / AHT),

summed term by term in plain Python (in logarithms, so that large loads do not overflow), so a bug shared by the module's requirement and
its own metrics cannot hide here.
"""

from __future__ import annotations

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner.staffing import queueing as q


def textbook_service_level(arrivals: float, aht: float, interval: float, n: int, within: float) -> float:
    load = arrivals * aht / interval
    if n <= load:
        return 0.0
    # In logarithms: Aᵏ/k! overflows a float near k = A = 709 (354 arrivals of 30 min a quarter).
    logs = [k * math.log(load) - math.lgamma(k + 1) for k in range(n)]
    log_top = n * math.log(load) - math.lgamma(n + 1) + math.log(n / (n - load))  # Aⁿ/n! · n/(n − A)
    peak = max(*logs, log_top)
    below = sum(math.exp(x - peak) for x in logs)
    top = math.exp(log_top - peak)
    wait = top / (below + top)
    return 1.0 - wait * math.exp(-(n - load) * within / aht)


def check(arrivals: float, aht: float, target: float, within: float) -> int:
    need = int(q.required_agents(arrivals, aht, 15, target, within))
    load = arrivals * aht / 15
    assert need > load, "an Erlang C answer must exceed the offered load"
    assert textbook_service_level(arrivals, aht, 15, need, within) >= target - 1e-9
    fewer = need - 1
    assert fewer <= load or textbook_service_level(arrivals, aht, 15, fewer, within) < target + 1e-9
    return need


def test_textbook_case_by_the_closed_form():
    assert check(50, 3, 0.8, 20 / 60) == 14  # 100 calls / 30 min is 50 / 15 min
    assert abs(textbook_service_level(50, 3, 15, 14, 20 / 60) - 0.888) < 1e-3


@settings(max_examples=150, deadline=None)
@given(st.floats(0.05, 400), st.floats(0.5, 30), st.floats(0.3, 0.97), st.floats(0.05, 10))
@example(354.0, 30.0, 0.8, 1.0)  # an offered load of 708: the plain sum overflowed to nan
def test_required_count_meets_the_target_and_one_fewer_does_not(arrivals, aht, target, within):
    check(arrivals, aht, target, within)


def test_vectorised_answers_equal_the_scalar_ones():
    arrivals = [0.3, 4.0, 17.5, 60.0, 250.0]
    together = q.required_agents(arrivals, 5, 15, 0.8, 1.0)
    assert [int(n) for n in together] == [check(a, 5, 0.8, 1.0) for a in arrivals]
