"""The LP relaxation of a whole roster made in work periods (models/advisor_roster.relaxation_bound, issue
#14): it must never exceed what a roster can score (else the reported gap lies), and it must see what the
periods' floors cannot — hours across the periods together with the cover."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import advisor_roster as ar
from models.kit import SolveParams
from models.roster_problem import Employee, RestRules, RosterProblem, ShiftType

SHIFT = ShiftType(id="p 09:00-15:00", start=540, length=360, paid=360)
W = ar.Weights(unmanned=1000, cover_under=0, cover_over=0, missing_skill=0, contract_under=1, contract_over=2,
               backup_day=0, fair_late=0, fair_saturday=0, fair_single_off=0, isolated_day=0)


def one_advisor_two_weeks(target_shifts: int) -> ar.AdvisorRosterProblem:
    """A point open 09:00–15:00 on weekdays that must have someone on duty; one advisor."""
    weekdays = [d for d in range(14) if d % 7 < 5]
    base = RosterProblem(horizon=14, first_weekday=0, shifts=(SHIFT,), employees=(Employee(id="a"),),
                         rest=RestRules(daily_rest_minutes=660, weekly_rest_minutes=2100))
    return ar.AdvisorRosterProblem(
        base=base, shift_point={SHIFT.id: "p"}, shifts_on_day={d: frozenset({SHIFT.id}) for d in weekdays},
        intervals=tuple(ar.Interval("p", d, 540, 900, 0, 1, f"day {d}") for d in weekdays),
        contracts=(ar.Contract("a", 2 * target_shifts * 360, 0, "A"),))


def test_the_lp_sees_hours_over_contract_carried_across_work_periods():
    """Two one-week periods, a contract of 3 shifts a week, the point unmanned costs 1 000 a day and a shift over
    contract 720 (2 a minute). A shift over in week 1 is charged at its end and again at week 2's (1 440 > 1 000):
    the best roster leaves two days of week 1 unmanned and works all of week 2, 2 000 + 1 440 = 3 440. The
    periods' floors leave contract hours out (0 each); at that roster's prices (2 a minute in both weeks) each
    floor works every day (3 600) and ψ = 1 440 − 2 × (1 080 + 1 800): 2 880. The LP of the whole roster: 3 440."""
    problem = one_advisor_two_weeks(3)
    spans = [range(0, 7), range(7, 14)]
    contracts = [ar.ContractTerms("a", (3 * 360, 3 * 360), (0, 0), (5 * 360, 5 * 360))]
    assert ar.relaxation_bound(problem, W, spans, contracts) == 3440
    # Charged only at the end of the two weeks (one period), working all ten days costs 4 shifts over: 2 880.
    assert ar.relaxation_bound(problem, W, [range(14)], [ar.ContractTerms("a", (6 * 360,), (0,), (10 * 360,))]) == 2880


@st.composite
def small_problems(draw):
    days = draw(st.integers(3, 10))
    shifts = tuple(ShiftType(id=f"p {s}", start=start, length=length, paid=length - brk)
                   for s, (start, length, brk) in enumerate(draw(st.lists(
                       st.tuples(st.sampled_from([420, 480, 540, 600]), st.sampled_from([240, 360, 480]),
                                 st.sampled_from([0, 30])), min_size=1, max_size=3, unique_by=lambda t: t[:2]))))
    people = draw(st.integers(1, 2))
    employees = tuple(Employee(id=f"e{i}") for i in range(people))
    open_days = [d for d in range(days) if draw(st.booleans()) or d == 0]
    intervals = tuple(ar.Interval("p", d, t, t + 60, draw(st.integers(0, 2)), draw(st.integers(0, 1)), f"{d} {t}")
                      for d in open_days for t in range(480, 960, 120))
    absences = tuple(ar.Absence(e.id, tuple(sorted(draw(st.sets(st.sampled_from(range(days)), max_size=2)))), "away")
                     for e in employees)
    contracts = tuple(ar.Contract(e.id, draw(st.integers(0, days * 300)), draw(st.integers(0, 120)), e.id)
                      for e in employees)
    base = RosterProblem(horizon=days, first_weekday=0, shifts=shifts, employees=employees,
                         rest=RestRules(daily_rest_minutes=660, weekly_rest_minutes=2100))
    problem = ar.AdvisorRosterProblem(
        base=base, shift_point={s.id: "p" for s in shifts},
        shifts_on_day={d: frozenset(s.id for s in shifts) for d in open_days},
        intervals=intervals, contracts=contracts, absences=absences)
    weights = ar.Weights(unmanned=draw(st.integers(0, 500)), cover_under=draw(st.integers(0, 100)),
                         cover_over=draw(st.integers(0, 20)), missing_skill=0, contract_under=draw(st.integers(0, 3)),
                         contract_over=draw(st.integers(0, 3)), backup_day=0, fair_late=0, fair_saturday=0,
                         fair_single_off=0, isolated_day=draw(st.integers(0, 50)))
    return problem, weights


@settings(max_examples=60, deadline=None)
@given(small_problems())
def test_the_lp_never_exceeds_the_best_roster(case):
    """Any small roster problem, one work period: the LP is at most the proven optimum (CP-SAT)."""
    problem, weights = case
    result = ar.solve(ar.build(problem, weights), SolveParams(work_limit=20.0, workers=1))
    terms = [ar.ContractTerms(c.employee, (c.target,), (c.tolerance,), (problem.base.horizon * 480,))
             for c in problem.contracts]
    lp = ar.relaxation_bound(problem, weights, [range(problem.base.horizon)], terms)
    assert lp is not None
    if result.status == "OPTIMAL":
        assert lp <= result.objective + 1e-6, (lp, result.objective)
    else:
        assert result.best_bound is not None and lp <= result.objective


def one_week(first_weekday: int = 0) -> ar.AdvisorRosterProblem:
    """One week of `one_advisor_two_weeks`: a work period's floor problem (no contract terms of its own)."""
    weekdays = [d for d in range(7) if d < 5]
    base = RosterProblem(horizon=7, first_weekday=first_weekday, shifts=(SHIFT,), employees=(Employee(id="a"),),
                         rest=RestRules(daily_rest_minutes=660, weekly_rest_minutes=2100))
    return ar.AdvisorRosterProblem(
        base=base, shift_point={SHIFT.id: "p"}, shifts_on_day={d: frozenset({SHIFT.id}) for d in weekdays},
        intervals=tuple(ar.Interval("p", d, 540, 900, 0, 1, f"day {d}") for d in weekdays),
        contracts=(ar.Contract("a", 3 * 360, 0, "A"),))


def test_the_floors_priced_at_the_lps_duals_add_up_to_the_lp():
    """The example above: priced at the LP's duals (2 7/9 and 2 points a minute), the two weeks' floors and the
    exact rest at those prices give the LP's 3 440 — the roster's own marginal costs (2 and 2) gave 2 880."""
    problem, spans = one_advisor_two_weeks(3), [range(0, 7), range(7, 14)]
    terms = [ar.ContractTerms("a", (1080, 1080), (0, 0), (1800, 1800))]
    duals: dict = {}
    assert ar.relaxation_bound(problem, W, spans, terms, duals) == 3440
    assert duals == {("a", 0): pytest.approx(25 / 9), ("a", 1): pytest.approx(2.0)}
    relaxed = replace(W, contract_under=0, contract_over=0)

    def lagrangian(prices, scale):
        floors = [ar.floor(ar.build(one_week(), relaxed), SolveParams(work_limit=5, workers=1), p, scale) for p in prices]
        return sum(floors) + ar.coupling_rest(terms, [], W.contract_under, W.contract_over, prices, scale=scale)

    assert lagrangian([{("paid", "a"): 2}, {("paid", "a"): 2}], 1) == pytest.approx(2880)
    at_duals = [{("paid", "a"): duals["a", k]} for k in range(2)]
    assert lagrangian(at_duals, 9) == pytest.approx(3440)  # 25/9 is exact in ninths
    assert 3430 <= lagrangian(at_duals, 100) <= 3440  # in hundredths: 2.78, a little below, still a bound
