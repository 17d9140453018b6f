"""The whole-roster bound of a roster made in work periods (issue #14): the contract balance and
the fairness spreads couple the periods; priced at the rostered amounts' marginal costs they move
into each period's floor, and what is left (ψ) must never exceed what the coupling terms cost for
ANY paid minutes or counts — otherwise the bound is not a bound."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from models import advisor_roster as ar


def contract_cost(paid, target, tolerance, under, over) -> int:
    """The periods' contract penalties as add_contract_hours scores them with the carried balance."""
    balance, cost = 0, 0
    for y, t, tol in zip(paid, target, tolerance, strict=True):
        goal = t - balance  # the period's target moved by what was carried in
        cost += under * max(0, goal - tol - y) + over * max(0, y - goal - tol)
        balance += y - t
    return cost


def spread_cost(counts, scale, weight) -> int:
    """The periods' fairness penalties as add_fairness scores them with the carried counts."""
    carried, cost = [0] * len(scale), 0
    for row in counts:
        weighted = [k * (c + n) for k, c, n in zip(scale, carried, row, strict=True)]
        cost += weight * (max(weighted) - min(weighted))
        carried = [c + n for c, n in zip(carried, row, strict=True)]
    return cost


periods = st.integers(1, 6)


@st.composite
def contracts(draw):
    n = draw(periods)
    minutes = st.integers(0, 3000)
    return (draw(st.lists(minutes, min_size=n, max_size=n)), draw(st.lists(minutes, min_size=n, max_size=n)),
            draw(st.lists(minutes, min_size=n, max_size=n)), draw(st.lists(st.integers(0, 300), min_size=n, max_size=n)),
            draw(st.integers(0, 5)), draw(st.integers(0, 5)))


@settings(max_examples=300, deadline=None)
@given(contracts())
def test_the_contract_prices_leave_a_rest_that_no_paid_minutes_undercut(case):
    rostered, other, target, tolerance, under, over = case
    mu, rest = ar.contract_prices(rostered, target, tolerance, under, over)
    assert len(mu) == len(rostered)
    priced = sum(m * y for m, y in zip(mu, rostered, strict=True))
    # At the roster made the split is exact: nothing is lost there.
    assert rest == contract_cost(rostered, target, tolerance, under, over) - priced
    # Anywhere else the coupling costs at least rest + prices × minutes (a subgradient).
    assert contract_cost(other, target, tolerance, under, over) >= rest + sum(
        m * y for m, y in zip(mu, other, strict=True))


@st.composite
def fairness(draw):
    n, members = draw(periods), draw(st.integers(2, 4))
    row = st.lists(st.integers(0, 8), min_size=members, max_size=members)
    return (draw(st.lists(row, min_size=n, max_size=n)), draw(st.lists(row, min_size=n, max_size=n)),
            draw(st.lists(st.integers(1, 20), min_size=members, max_size=members)), draw(st.integers(0, 4)))


@settings(max_examples=300, deadline=None)
@given(fairness())
def test_the_fairness_prices_leave_a_rest_that_no_counts_undercut(case):
    rostered, other, scale, weight = case
    nu, rest = ar.spread_prices(rostered, scale, weight)

    def priced(counts):
        return sum(v * c for vrow, crow in zip(nu, counts, strict=True) for v, c in zip(vrow, crow, strict=True))

    assert rest == spread_cost(rostered, scale, weight) - priced(rostered)
    assert spread_cost(other, scale, weight) >= rest + priced(other)


def test_a_minute_over_early_costs_in_every_later_period_it_is_carried():
    # 60 min over in the first of three periods, nothing done about it: over at each period's end.
    mu, rest = ar.contract_prices([600, 540, 540], [540, 540, 540], [0, 0, 0], under=1, over=2)
    assert mu == [6, 4, 2]  # one more minute in period 1 is paid three times, in period 3 once
    assert rest == 3 * 2 * 60 - (6 * 600 + 4 * 540 + 2 * 540)
