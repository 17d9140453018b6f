"""Shift cover model: one tiny instance per constraint family, plus determinism and cache."""

from __future__ import annotations

from models import staffing as m

DAY_8_16 = tuple(range(480, 960, 15))
PARAMS = m.SolveParams(work_limit=10.0, seed=0, workers=1)
WEIGHTS = m.Weights()


def day(required: int | list[int], min_on_duty: int = 1, **kwargs: object) -> m.StaffingDay:
    req = [required] * len(DAY_8_16) if isinstance(required, int) else required
    defaults: dict[str, object] = {
        "interval_min": 15,
        "open_starts_min": DAY_8_16,
        "required": tuple(req),
        "min_on_duty": (min_on_duty,) * len(DAY_8_16),
        "templates": m.shift_templates(480, 960, 15, [240, 480]),
        "back_office_min": 0,
        "max_advisors": 3,
    }
    defaults.update(kwargs)
    return m.StaffingDay(**defaults)  # type: ignore[arg-type]


def run(problem: m.StaffingDay, families=m.FAMILIES) -> tuple[m.Built, m.Solution]:
    built = m.build(problem, WEIGHTS, families)
    result = m.solve(built, PARAMS)
    assert result.status == "OPTIMAL"
    return built, m.extract(built, result)


def families_of(built: m.Built) -> set[str]:
    return {pen.family for pen in built.penalties}


def test_shift_templates_cover_every_grid_start_within_opening_hours() -> None:
    tpls = m.shift_templates(480, 960, 15, [240, 480], break_min=30)
    assert sum(t.length_min == 480 for t in tpls) == 1
    assert sum(t.length_min == 240 for t in tpls) == 17  # 8:00, 8:15, ..., 12:00
    assert all(480 <= t.start_min and t.end_min <= 960 for t in tpls)


def test_counter_cover_reports_exact_shortfall_when_advisors_run_out() -> None:
    """Requirement 3 in one interval with 2 advisors available: shortfall exactly 1."""
    req = [0] * len(DAY_8_16)
    req[8] = 3  # 10:00-10:15
    built, sol = run(
        day(req, min_on_duty=0, max_advisors=2), (m.add_advisor_limit, m.add_counter_cover)
    )
    assert families_of(built) == {"counter_shortfall", "counter_excess"}
    assert sum(sol.shortfall) == 1 and sol.shortfall[8] == 1
    assert sol.on_counter[8] == 2
    assert [(v.family, v.span[0], v.amount) for v in sol.violations] == [
        ("counter_shortfall", 600, 1)
    ]


def test_advisor_limit_is_hard() -> None:
    _, sol = run(
        day(5, min_on_duty=0, max_advisors=2), (m.add_advisor_limit, m.add_counter_cover)
    )
    assert sum(s.count for s in sol.shifts) == 2
    assert set(sol.shortfall) == {3}


def test_min_manning_keeps_one_advisor_all_day_without_demand() -> None:
    """Open 8-16 with requirement 0 still gets one advisor at work in every interval."""
    built, sol = run(day(0, min_on_duty=1))
    assert "unmanned" in families_of(built)
    assert min(sol.on_counter) == 1 and sum(sol.unmanned) == 0
    assert sol.paid_min == 480  # exactly one person-day, no more


def test_min_manning_gap_is_reported_not_infeasible() -> None:
    """One advisor with an unpaid 30-min lunch cannot cover 8-16: two intervals unmanned."""
    lunch = m.shift_templates(480, 960, 15, [480], break_min=30, break_earliest_min=180,
                              break_latest_min=300)
    built, sol = run(
        day(0, min_on_duty=1, templates=lunch, max_advisors=1),
        (m.add_advisor_limit, m.add_min_manning, m.add_paid_time),
    )
    assert families_of(built) == {"unmanned", "paid_minutes"}
    assert sum(sol.unmanned) == 2
    assert {v.family for v in sol.violations} == {"unmanned"}
    assert sol.paid_min == 450


def test_back_office_that_fits_idle_time_costs_no_extra_minutes() -> None:
    # One advisor all day with no counter demand: 480 idle minutes absorb 300.
    built, sol = run(day(0, back_office_min=300, max_advisors=1))
    assert "extra_back_office" in families_of(built)
    assert sol.back_office_absorbed_min == 300
    assert sol.back_office_extra_min == 0
    assert sol.paid_min == 480


def test_back_office_beyond_idle_time_is_added_exactly() -> None:
    # The only advisor serves customers non-stop 8-12, so 240 idle minutes remain for 360 of work.
    req = [1] * 16 + [0] * 16
    built, sol = run(day(req, back_office_min=360, max_advisors=1, serving_min=240))
    assert sol.back_office_absorbed_min == 240
    assert sol.back_office_extra_min == 120
    assert sol.paid_min == 480 + 120
    assert [v.amount for v in sol.violations if v.family == "extra_back_office"] == [120]


def test_back_office_fills_gaps_between_customers() -> None:
    # Needed at the counter all day, but serving only a third of the time: the rest takes mail.
    built, sol = run(day(1, back_office_min=300, max_advisors=1, serving_min=160))
    assert sol.back_office_absorbed_min == 300 and sol.back_office_extra_min == 0


def test_paid_time_picks_the_shortest_cover() -> None:
    req = [1] * 16 + [0] * 16  # 8-12 only, nobody needed after
    built, sol = run(day(req, min_on_duty=0))
    assert "paid_minutes" in families_of(built)
    assert sol.paid_min == 240
    assert [(s.start_min, s.end_min, s.count) for s in sol.shifts] == [(480, 720, 1)]


def test_break_is_placed_inside_its_window_and_leaves_the_counter() -> None:
    lunch = m.shift_templates(480, 960, 15, [480], break_min=30, break_earliest_min=180,
                              break_latest_min=300)
    _, sol = run(day(1, templates=lunch, max_advisors=2))
    for shift in sol.shifts:
        assert shift.break_start_min is not None
        assert 480 + 180 <= shift.break_start_min <= 480 + 300
    assert min(sol.on_counter) >= 1  # two advisors stagger their lunches
    assert sol.paid_min == 900


def test_same_input_gives_the_same_plan() -> None:
    problem = day([0] * 8 + [2] * 8 + [1] * 16, back_office_min=90)
    first = m.extract(b := m.build(problem, WEIGHTS), m.solve(b, PARAMS))
    second = m.extract(b := m.build(problem, WEIGHTS), m.solve(b, PARAMS))
    assert first == second


def test_identical_days_are_solved_once() -> None:
    cache: dict[str, m.Solution] = {}
    monday = day([1] * 32)
    tuesday = day([1] * 32)  # a different date, the same curve
    first = m.solve_day_cached(monday, WEIGHTS, PARAMS, cache)
    second = m.solve_day_cached(tuesday, WEIGHTS, PARAMS, cache)
    assert second is first and len(cache) == 1
    m.solve_day_cached(day([2] * 32), WEIGHTS, PARAMS, cache)
    assert len(cache) == 2


def test_weights_that_would_let_idle_time_be_faked_are_rejected() -> None:
    cheap_gap = m.Weights(shortfall=20, excess=1, paid_minute=1, extra_back_office_minute=1)
    try:
        m.build(day(1), cheap_gap)
    except ValueError as err:
        assert "shortfall weight 20 must exceed 29" in str(err)
    else:
        raise AssertionError("weights were accepted")
