"""The pricing DP's cost against brute force: every schedule of one person enumerated.

tests/test_roster_colgen.py checks the DP against CP-SAT on the same model; here the
reference is plain enumeration (off or one shift each day) with the rules read independently
(`_breaches`), on horizons small enough to list every schedule. The costs must agree, not
only the existence of a schedule.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings

from bench.engines.roster_pricing import cheapest, keeps_dropped_rules, plan
from tests.test_roster_colgen import _breaches, _brute_cheapest, _cost, one_person

pytestmark = pytest.mark.slow  # end-to-end runs and long searches: not in `make test-quick`

MAX_SCHEDULES = 60_000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(case=one_person())
def test_pricing_dp_costs_equal_brute_force(case: tuple) -> None:
    p, cost = case
    h, ns = cost.shape
    assume((ns + 1) ** h <= MAX_SCHEDULES)
    pp = plan(p, 0)
    assume(pp is not None)  # outside the DP: priced by CP-SAT (test_roster_colgen)
    best = _brute_cheapest(p, cost)
    got = cheapest(pp, cost)
    if best is None:
        event("infeasible")
        assert got is None
        return
    assert got is not None, f"DP found no schedule, brute force {best}"
    value, cells = got
    assert value == pytest.approx(_cost(cost, cells))
    if not keeps_dropped_rules(pp, cells):
        event("dropped rules: a lower bound")
        assert value <= best + 1e-9
        return
    event("exact")
    assert _breaches(p, list(cells)) == []
    assert value == pytest.approx(best)


def test_a_known_week_prices_at_the_brute_force_optimum() -> None:
    """Seven days, one 8 h shift, no rules beyond one shift a day: work exactly the paying days."""
    from tests.test_roster_colgen import _tiny

    p = _tiny(7)
    cost = np.array([[-2.0], [1.0], [-3.0], [0.5], [-1.0], [2.0], [-0.5]])
    value, cells = cheapest(plan(p, 0), cost)
    assert value == pytest.approx(_brute_cheapest(p, cost)) == pytest.approx(-6.5)
