"""The whole-roster bound of a roster made in work periods (issue #14): the contract balance and
the fairness spreads couple the periods; priced (at the whole roster LP's duals) they move into each
period's floor, and what is left (ψ) must never exceed what the coupling terms cost for ANY paid
minutes or counts — otherwise the bound is not a bound."""

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


# The rest for ANY prices (ar.coupling_rest): what lets a period use its plain floor (prices 0) beside
# others' priced floors. It must be the exact least of coupling cost − prices × amounts over the boxes:
# above it the bound is not a bound; below it the bound is weaker than it need be.

@st.composite
def small_contracts(draw):
    n = draw(st.integers(1, 2))
    most = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    return (most, draw(st.lists(st.integers(0, 40), min_size=n, max_size=n)),
            draw(st.lists(st.integers(0, 10), min_size=n, max_size=n)),
            draw(st.lists(st.integers(-12, 12), min_size=n, max_size=n)), draw(st.integers(0, 5)), draw(st.integers(0, 5)))


@settings(max_examples=150, deadline=None)
@given(small_contracts())
def test_the_rest_at_any_contract_prices_is_the_least_over_every_paid_minutes(case):
    import itertools
    most, target, tolerance, prices, under, over = case
    terms = ar.ContractTerms("a", tuple(target), tuple(tolerance), tuple(most))
    rest = ar.coupling_rest([terms], [], under, over, [{("paid", "a"): p} for p in prices])
    least = min(contract_cost(y, target, tolerance, under, over) - sum(p * v for p, v in zip(prices, y, strict=True))
                for y in itertools.product(*(range(m + 1) for m in most)))
    assert rest == least


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 2), st.lists(st.integers(1, 3), min_size=2, max_size=2), st.integers(0, 3), st.data())
def test_the_rest_at_any_fairness_prices_is_the_least_over_every_count(n, scale, weight, data):
    import itertools
    most = [data.draw(st.lists(st.integers(0, 3), min_size=2, max_size=2)) for _ in range(n)]
    prices = [data.draw(st.lists(st.integers(-6, 6), min_size=2, max_size=2)) for _ in range(n)]
    terms = ar.SpreadTerms("saturday", ("a", "b"), tuple(scale), weight, tuple(tuple(m) for m in most))
    rest = ar.coupling_rest([], [terms], 0, 0, [{("saturday", "a"): p[0], ("saturday", "b"): p[1]} for p in prices])
    cells = [range(m + 1) for row in most for m in row]
    least = min(spread_cost([flat[2 * k:2 * k + 2] for k in range(n)], scale, weight)
                - sum(p * c for p, c in zip([x for row in prices for x in row], flat, strict=True))
                for flat in itertools.product(*cells))
    assert rest == least
