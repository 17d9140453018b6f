"""models/staffing.py: break placement edges, gaps reported only for the families built, violations whole,
the objective equal to the plan's own cost, and the cache keyed by weights and budget too.

Found unguarded by mutation testing (issue #18). Days are tests/test_staffing_model.py's: open
8–16 on a 15-minute grid, shifts of 4 or 8 hours.
"""

from __future__ import annotations

import pytest

from models import staffing as m
from models.kit import Violation, with_values
from tests.test_staffing_model import DAY_8_16, PARAMS, WEIGHTS, day, run


def test_a_shift_without_break_has_the_single_no_break_option() -> None:
    assert m.break_starts(m.ShiftTemplate(480, 240), 15) == [None]


def test_a_break_starts_within_its_window_and_ends_inside_the_shift() -> None:
    # 8 h from 8:00, 30-minute lunch 3–4 h in, but 3:30 is the latest that still ends by 4 h: 11:00–11:30.
    assert m.break_starts(m.ShiftTemplate(480, 240, 30, 180, 240), 15) == [660, 675, 690]
    # Latest start 224 minutes in: 11:44, so the last start on the grid is 11:30.
    assert m.break_starts(m.ShiftTemplate(480, 480, 30, 180, 224), 15) == [660, 675, 690]


def test_a_break_window_off_the_grid_is_rounded_inwards_to_the_grid() -> None:
    # break_window_hours [2.5, 5.0] on 60-minute intervals, an 8 h shift from 8:00 with a 60-minute
    # lunch: 10:30 is rounded up to 11:00 and 13:00 is the latest; before, no break start at all.
    assert m.break_starts(m.ShiftTemplate(480, 480, 60, 150, 300), 60) == [660, 720, 780]
    # A latest start off the grid is rounded down: 2.5–4.75 h in on 30-minute intervals.
    assert m.break_starts(m.ShiftTemplate(480, 480, 30, 150, 285), 30) == [630, 660, 690, 720, 750]


def test_an_advisor_is_not_at_work_in_the_interval_after_the_shift_ends() -> None:
    shift = m.ShiftTemplate(480, 240)
    assert m.at_work(shift, None, 705, 15) and not m.at_work(shift, None, 720, 15)


def test_excess_is_the_idle_advisors_per_interval() -> None:
    """Nobody needed, one on duty all day: one idle advisor in each of the 32 intervals."""
    _, sol = run(day(0, min_on_duty=1))
    assert sol.excess == (1,) * len(DAY_8_16) and sol.shortfall == (0,) * len(DAY_8_16)


def test_excess_above_a_requirement() -> None:
    """Two required 8–12 and then nobody, one on duty: 8 h shifts only, so two all day, one idle 12–16."""
    problem = day([2] * 16 + [0] * 16, templates=m.shift_templates(480, 960, 15, [480]))
    _, sol = run(problem)
    assert sol.excess == (0,) * 16 + (2,) * 16


def test_a_family_left_out_reports_no_gap() -> None:
    """Without cover or manning families, the cheapest plan has nobody; no shortfall, excess or unmanned is reported."""
    _, sol = run(day(2, min_on_duty=1), (m.add_advisor_limit, m.add_paid_time))
    assert sol.on_counter == (0,) * len(DAY_8_16)
    assert (sol.shortfall, sol.excess, sol.unmanned) == ((0,) * 32, (0,) * 32, (0,) * 32)
    assert sol.violations == ()


def test_without_the_cover_family_no_excess_is_reported() -> None:
    """Only minimum manning: one advisor all day, nobody required, and no counter excess family to report."""
    _, sol = run(day(0, min_on_duty=1), (m.add_advisor_limit, m.add_min_manning, m.add_paid_time))
    assert sol.on_counter == (1,) * 32 and sol.excess == (0,) * 32


def test_extra_back_office_is_priced_at_its_weight() -> None:
    built = m.build(day([2] * 32, min_on_duty=0, max_advisors=0, back_office_min=60), m.Weights(extra_back_office_minute=3))
    sol = m.extract(built, m.solve(built, PARAMS))
    assert sol.violations[-1] == Violation("extra_back_office", 60, 3, 180, "back-office work beyond idle time")


def test_violations_are_whole() -> None:
    """Nobody available: 2 short and 1 below the minimum in every interval, 60 minutes of back office extra."""
    _, sol = run(day([2] * 32, min_on_duty=1, max_advisors=0, back_office_min=60))
    assert sol.violations[0] == Violation("counter_shortfall", 2, 1_000, 2_000, "2 fewer counter advisors than the 2 needed",
                                          span=(480, 495))
    assert sol.violations[32] == Violation("unmanned", 1, 1_000_000, 1_000_000, "1 below the minimum of 1 advisors on duty",
                                           span=(480, 495))
    assert sol.violations[-1] == Violation("extra_back_office", 60, 1, 60, "back-office work beyond idle time")
    assert [v.span for v in sol.violations[:32]] == [(t, t + 15) for t in DAY_8_16]
    assert len(sol.violations) == 65


@pytest.mark.parametrize("back_office", [0, 60])
def test_the_objective_is_the_plans_own_cost(back_office) -> None:
    """Serving fills every minute on shift: no idle time, so all back-office work is paid extra."""
    built, sol = run(day([1] * 32, min_on_duty=1, max_advisors=1, serving_min=480, back_office_min=back_office))
    result = m.solve(built, PARAMS)
    assert sol.back_office_extra_min == back_office and sol.paid_min == 480 + back_office
    cost = (WEIGHTS.shortfall * sum(sol.shortfall) + WEIGHTS.excess * sum(sol.excess) + WEIGHTS.unmanned * sum(sol.unmanned)
            + WEIGHTS.paid_minute * sol.paid_min + WEIGHTS.extra_back_office_minute * sol.back_office_extra_min)
    assert result.objective == cost == 480 + 2 * back_office


def test_a_plan_that_pays_absorbable_work_as_extra_is_reported_as_it_is() -> None:
    """A time-limited plan may leave idle time unused: it is reported with the extra minutes it pays."""
    built, best = run(day(0, min_on_duty=1, max_advisors=1, back_office_min=120))
    assert best.back_office_extra_min == 0
    result = m.solve(built, PARAMS)
    names = {v.name: x for v, x in zip(built.model.proto.variables, result.values, strict=True)}
    worse = with_values(result, built.model, {**names, "back_office_absorbed_min": 0, "extra_back_office_min": 120})
    sol = m.extract(built, worse)
    assert (sol.back_office_absorbed_min, sol.back_office_extra_min, sol.paid_min) == (0, 120, 600)


def test_no_plan_says_the_solver_status() -> None:
    built = m.build(day(1), WEIGHTS)
    failed = m.Result("INFEASIBLE", None, None, None, 0.0, 0.0)
    with pytest.raises(ValueError, match="no plan to extract: solver status INFEASIBLE"):
        m.extract(built, failed)


def test_the_cache_tells_weights_and_budgets_apart() -> None:
    cache: dict[str, m.Solution] = {}
    problem = day([1] * 32)
    first = m.solve_day_cached(problem, WEIGHTS, PARAMS, cache)
    assert first.paid_min == 480 and first == run(problem)[1]
    m.solve_day_cached(problem, m.Weights(paid_minute=2), PARAMS, cache)
    m.solve_day_cached(problem, WEIGHTS, m.SolveParams(work_limit=20.0, seed=0, workers=1), cache)
    assert len(cache) == 3


def test_a_plan_says_its_solver_status() -> None:
    assert run(day(1))[1].status == "OPTIMAL"


def test_shifts_of_one_span_with_and_without_a_break_are_listed_no_break_first() -> None:
    plain, lunch = m.ShiftTemplate(480, 480), m.ShiftTemplate(480, 480, 30, 180, 180)
    built, _ = run(day(1, templates=(lunch, plain), max_advisors=2))
    result = m.solve(built, PARAMS)
    both = {v.name: 0 for v in built.model.proto.variables} | {"x(shift=0, break=660)": 1, "x(shift=1, break=None)": 1}
    sol = m.extract(built, with_values(result, built.model, both))
    assert sol.shifts == (m.ShiftWorked(480, 960, None, None, 1), m.ShiftWorked(480, 960, 660, 690, 1))


def test_shift_templates_end_by_closing_time_on_a_one_minute_grid() -> None:
    assert m.shift_templates(480, 960, 1, [480]) == (m.ShiftTemplate(480, 480),)
    assert m.shift_templates(480, 960, 15, [240])[0] == m.ShiftTemplate(480, 240, 0, 0, 0)


@pytest.mark.parametrize(("changes", "message"), [
    ({"min_on_duty": (1,) * 31}, "required (32) and min_on_duty (31) need one value per open interval (32)"),
    ({"required": (1,) * 31}, "required (31) and min_on_duty (32) need one value per open interval (32)"),
    ({"open_starts_min": (485,), "required": (1,), "min_on_duty": (1,)}, "open interval starts must lie on the interval grid"),
    ({"templates": (m.ShiftTemplate(480, 250),)}, "does not lie on the 15-minute grid"),
    ({"templates": (m.ShiftTemplate(485, 240),)}, "does not lie on the 15-minute grid"),
    ({"templates": (m.ShiftTemplate(480, 480, 20),)}, ": break length must be a multiple of the interval"),
    ({"required": (-1,) + (1,) * 31}, "requirements and back-office minutes must be >= 0"),
    ({"back_office_min": -1}, "requirements and back-office minutes must be >= 0"),
    ({"serving_min": -1}, "requirements and back-office minutes must be >= 0"),
])
def test_a_day_that_does_not_fit_the_grid_is_refused_with_the_reason(changes, message) -> None:
    fields = {"interval_min": 15, "open_starts_min": DAY_8_16, "required": (1,) * 32, "min_on_duty": (1,) * 32,
              "templates": ()}
    m.StaffingDay(**fields)
    with pytest.raises(ValueError) as refused:
        m.StaffingDay(**(fields | changes))
    assert str(refused.value).endswith(message)
    if "templates" not in changes:
        assert str(refused.value) == message


def test_a_day_with_no_open_interval_is_a_day() -> None:
    assert m.StaffingDay(15, (), (), (), ()).required == ()


def test_the_shortfall_weight_must_exceed_what_faked_idle_time_gains() -> None:
    """15-minute intervals: faking one idle advisor gains 15 minutes at 1 + 1 points: 30."""
    m.Weights(shortfall=30, excess=1).check(15)
    with pytest.raises(ValueError) as refused:
        m.Weights(shortfall=29, excess=1).check(15)
    assert str(refused.value) == ("shortfall weight 29 must exceed 29 for a 15-minute interval, or idle time could be "
                                  "faked to absorb back-office work")


@pytest.mark.parametrize("weight", ["excess", "unmanned", "paid_minute", "extra_back_office_minute"])
def test_a_negative_weight_is_refused_and_zero_is_fine(weight) -> None:
    with pytest.raises(ValueError, match="^weights must be >= 0$"):
        m.Weights(**{weight: -1}).check(15)
    m.Weights(**{weight: 0}).check(15)
