"""One tiny instance per constraint family of models/advisor_roster.py (two advisors, two days).

Each `test_add_<family>` builds the engine's variables and hard rules, calls only that family,
and asserts the exact optimal penalty (or infeasibility); the last test checks that every such
test really calls the family it is named after.
"""

from __future__ import annotations

import inspect
import re
import sys

from models import advisor_roster as ar
from models import roster
from models.roster_problem import Employee, RestRules, RosterProblem, ShiftType

W = ar.Weights(unmanned=1000, cover_under=100, cover_over=1, missing_skill=500, contract_under=1, contract_over=2,
               backup_day=50, fair_late=20, fair_saturday=20, fair_single_off=20, isolated_day=30)

# Two shift types at point "p": early 8-12 and late 12-16 (no breaks); "q" has one shift 8-12.
SHIFTS = (
    ShiftType(id="early", start=480, length=240),
    ShiftType(id="late", start=720, length=240),
    ShiftType(id="q", start=480, length=240),
)
POINT = {"early": "p", "late": "p", "q": "q"}


def problem(days: int = 2, employees: tuple[str, ...] = ("a", "b"), **kw) -> ar.AdvisorRosterProblem:
    base = RosterProblem(horizon=days, shifts=SHIFTS, employees=tuple(Employee(id=e) for e in employees),
                         rest=RestRules(daily_rest_minutes=660, weekly_rest_minutes=2100))
    defaults = dict(base=base, shift_point=POINT, shifts_on_day={d: frozenset(POINT) for d in range(days)},
                    intervals=(), names={"a": "Anna", "b": "Ben"}, day_labels=tuple(f"D{d}" for d in range(days)))
    defaults.update(kw)
    return ar.AdvisorRosterProblem(**defaults)


def built(p: ar.AdvisorRosterProblem) -> ar.Built:
    """The engine's variables and hard families only; the test adds one family."""
    return ar.Built(p, W, roster.build(p.base), [], [])


def optimum(b: ar.Built, penalties: list[ar.Penalty] | None = None, force: dict | None = None) -> tuple[str, float]:
    """Minimise the given penalties (after fixing `force`: {(e, d, shift): 0/1})."""
    pens = penalties or []
    b.penalties[:] = pens
    b.model.minimize(sum(p.weight * p.var for p in pens) if pens else 0)
    idx = {s.id: i for i, s in enumerate(b.problem.base.shifts)}
    emp = {e.id: i for i, e in enumerate(b.problem.base.employees)}
    for (e, d, s), v in (force or {}).items():
        b.model.add(b.engine.x[emp[e], d, idx[s]] == v)
    r = ar.solve(b, ar.SolveParams(work_limit=5, workers=1))
    return r.status, (r.objective if r.objective is not None else float("nan"))


def test_add_shift_fits_day():
    b = built(problem(shifts_on_day={0: frozenset({"early"}), 1: frozenset()}))
    ar.add_shift_fits_day(b)
    status, _ = optimum(b, force={("a", 1, "early"): 1})
    assert status == "INFEASIBLE"
    b = built(problem(shifts_on_day={0: frozenset({"early"}), 1: frozenset()}))
    ar.add_shift_fits_day(b)
    assert optimum(b, force={("a", 0, "early"): 1})[0] == "OPTIMAL"


def test_add_absences_blocks_work_and_names_the_rule():
    p = problem(absences=(ar.Absence("a", (0,), "Anna is away D0"),))
    b = built(p)
    ar.add_absences(b)
    assert len(b.rules) == 1
    assert optimum(b, force={("a", 0, "early"): 1})[0] == "INFEASIBLE"


def test_add_on_duty_hard_conflict_is_explained():
    iv = ar.Interval("p", 0, 480, 495, 0, 1, "P, D0 08:00–08:15")
    p = problem(intervals=(iv,), on_duty_hard=True,
                absences=(ar.Absence("a", (0,), "Anna is away D0"),
                          ar.Absence("b", (0, 1), "Ben is away D0–D1", "training")))
    b = built(p)
    ar.add_absences(b)
    ar.add_on_duty_hard(b)
    params = ar.SolveParams(work_limit=5, workers=1)
    r = ar.solve(b, params)
    assert r.status == "INFEASIBLE"
    assert set(ar.explain(b, params)) == {"Anna is away D0", "Ben is away D0–D1",
                                          "P, D0: 1 advisor must be on duty 08:00–08:15 ([workforce] min_on_duty); "
                                          "nobody may work there that day; away: Anna (absence), Ben (training)"}


def test_add_on_duty_hard_conflict_says_how_many_are_required_and_how_many_may_work():
    """Two on duty required where only Anna may work: the conflict says 2 against 1, not "someone"."""
    iv = ar.Interval("p", 0, 480, 495, 0, 2, "P, D0 08:00–08:15")
    base = problem().base
    only_q = tuple(e.model_copy(update={"allowed_shifts": frozenset({"q"})}) if e.id == "b" else e for e in base.employees)
    b = built(problem(intervals=(iv,), on_duty_hard=True, base=base.model_copy(update={"employees": only_q})))
    ar.add_on_duty_hard(b)
    params = ar.SolveParams(work_limit=5, workers=1)
    assert ar.solve(b, params).status == "INFEASIBLE"
    assert list(ar.explain(b, params)) == ["P, D0: 2 advisors must be on duty 08:00–08:15 ([workforce] min_on_duty); "
                                           "may work there that day: Anna"]


def test_add_unmanned():
    # Nobody works early at p on day 0: the 08:00 interval is unmanned once; 12:00 is staffed.
    ivs = (ar.Interval("p", 0, 480, 495, 0, 1, "P, D0 08:00–08:15"), ar.Interval("p", 0, 720, 735, 0, 1, "P, D0 12:00"))
    b = built(problem(intervals=ivs))
    assert optimum(b, ar.add_unmanned(b), force={("a", 0, "early"): 0, ("b", 0, "early"): 0}) == ("OPTIMAL", 1000)


def test_add_counter_cover_short_and_surplus():
    ivs = (ar.Interval("p", 0, 480, 495, 3, 1, "P, D0 08:00"), ar.Interval("p", 1, 720, 735, 0, 1, "P, D1 12:00"))
    b = built(problem(intervals=ivs))
    # Two advisors for three wanted: one short (100); nobody needed at 12:00 on day 1.
    assert optimum(b, ar.add_counter_cover(b)) == ("OPTIMAL", 100)
    b = built(problem(intervals=ivs))
    assert optimum(b, ar.add_counter_cover(b), force={("a", 1, "late"): 1})[1] == 101


def test_add_skills():
    need = ar.SkillNeed("p", 0, "vero", ("b",), "P, D0: nobody trained for vero")
    b = built(problem(skills=(need,)))
    assert optimum(b, ar.add_skills(b)) == ("OPTIMAL", 0)
    b = built(problem(skills=(need,), absences=(ar.Absence("b", (0,), "Ben away"),)))
    ar.add_absences(b)
    assert optimum(b, ar.add_skills(b)) == ("OPTIMAL", 500)
    # Working at the other point does not count.
    b = built(problem(skills=(need,)))
    assert optimum(b, ar.add_skills(b), force={("b", 0, "q"): 1}) == ("OPTIMAL", 500)


def test_add_contract_hours():
    # Target 10 h ± 1 h; at most two 4 h shifts = 8 h: 60 min under at 1 a minute.
    b = built(problem(contracts=(ar.Contract("a", 600, 60, "Anna"),)))
    assert optimum(b, ar.add_contract_hours(b)) == ("OPTIMAL", 60)
    # Target 2 h ± 0: one 4 h shift forced is 120 min over at 2 a minute.
    b = built(problem(contracts=(ar.Contract("a", 120, 0, "Anna"),)))
    assert optimum(b, ar.add_contract_hours(b), force={("a", 0, "early"): 1})[1] == 240


def test_add_backup_use():
    b = built(problem(backups=frozenset({"b"})))
    assert optimum(b, ar.add_backup_use(b), force={("b", 0, "early"): 1, ("b", 1, "late"): 1}) == ("OPTIMAL", 100)


def test_add_requests():
    reqs = (ar.RosterRequest("a", 0, "day_off", (), 7, "Anna asked for D0 off"),
            ar.RosterRequest("a", 1, "prefer_shift", ("late",), 5, "Anna asked for the late shift on D1"),
            ar.RosterRequest("b", 1, "avoid_shift", ("early",), 3, "Ben asked not to work early on D1"))
    b = built(problem(requests=reqs))
    assert optimum(b, ar.add_requests(b)) == ("OPTIMAL", 0)
    b = built(problem(requests=reqs))
    force = {("a", 0, "early"): 1, ("a", 1, "early"): 1, ("b", 1, "early"): 1}
    assert optimum(b, ar.add_requests(b), force=force)[1] == 7 + 5 + 3


KEPT = (ar.KeptDay("a", 0, "early", "past", "Anna, D0: early"),
        ar.KeptDay("b", 0, None, "past", "Ben, D0: day off"),
        ar.KeptDay("a", 1, "late", "fixed", "Anna, D1: late (kept.csv row 3, fixed)"),
        ar.KeptDay("b", 1, "early", "free", "Ben, D1: early"))


def test_add_kept_shifts_keeps_the_past_and_the_fixed_rows_as_named_rules():
    b = built(problem(kept=KEPT))
    ar.add_kept_shifts(b)
    # One rule per advisor for the past, one per fixed row: a conflict names the person or the row.
    assert sorted(r.message for r in b.rules) == ["Anna's shifts before D1 are kept as rostered",
                                                  "Anna, D1: late (kept.csv row 3, fixed)",
                                                  "Ben's shifts before D1 are kept as rostered"]
    for force in ({("a", 0, "late"): 1}, {("b", 0, "early"): 1}, {("a", 1, "early"): 1}):
        b = built(problem(kept=KEPT))
        ar.add_kept_shifts(b)
        assert optimum(b, force=force)[0] == "INFEASIBLE", force
    b = built(problem(kept=KEPT))
    ar.add_kept_shifts(b)
    assert optimum(b, force={("b", 1, "late"): 1})[0] == "OPTIMAL"  # a free day may change


def test_add_changes_costs_each_changed_free_day_only():
    b = built(problem(kept=KEPT, change_weight=500))
    assert optimum(b, ar.add_changes(b)) == ("OPTIMAL", 0)
    b = built(problem(kept=KEPT, change_weight=500))
    # Ben's kept early shift moved to the late one: one change; the past and fixed days cost nothing here.
    assert optimum(b, ar.add_changes(b), force={("b", 1, "late"): 1, ("a", 0, "late"): 1}) == ("OPTIMAL", 500)
    kept_off = (ar.KeptDay("a", 1, None, "free", "Anna, D1: day off"),)
    b = built(problem(kept=kept_off, change_weight=7))
    assert optimum(b, ar.add_changes(b), force={("a", 1, "q"): 1}) == ("OPTIMAL", 7)  # working a kept day off


def test_add_fairness():
    # Day 1 is a Saturday; a must work the closing shift on both days, b nothing.
    p = problem(late_shifts=frozenset({(0, "late"), (1, "late")}), saturdays=frozenset({1}),
                fair_groups=(ar.FairGroup(("a", "b"), "P"),))
    b = built(p)
    force = {("a", 0, "late"): 1, ("a", 1, "late"): 1, ("b", 0, "early"): 0, ("b", 0, "late"): 0, ("b", 0, "q"): 0,
             ("b", 1, "early"): 0, ("b", 1, "late"): 0, ("b", 1, "q"): 0}
    # Closing shifts differ by 2 (40), Saturdays by 1 (20), no single day off in two days.
    assert optimum(b, ar.add_fairness(b), force=force) == ("OPTIMAL", 60)


def test_add_fairness_single_days_off():
    p = problem(days=3, fair_groups=(ar.FairGroup(("a", "b"), "P"),))
    b = built(p)
    force = {("a", 0, "early"): 1, ("a", 2, "early"): 1, ("a", 1, "early"): 0, ("a", 1, "late"): 0, ("a", 1, "q"): 0,
             ("b", 0, "early"): 1, ("b", 1, "early"): 1, ("b", 2, "early"): 1}
    assert optimum(b, ar.add_fairness(b), force=force) == ("OPTIMAL", 20)


def test_add_fairness_per_full_time():
    # a is full-time (a closing shift is worth 10 tenths), b half-time (20): 2 against 1 is a fair share.
    p = problem(late_shifts=frozenset({(0, "late"), (1, "late")}),
                fair_groups=(ar.FairGroup(("a", "b"), "P", (10, 20)),))
    b = built(p)
    force = {("a", 0, "late"): 1, ("a", 1, "late"): 1, ("b", 0, "late"): 0}
    assert optimum(b, ar.add_fairness(b), force=force) == ("OPTIMAL", 0)
    b = built(p)
    force = {("a", 0, "late"): 1, ("a", 1, "late"): 1, ("b", 0, "late"): 0, ("b", 1, "late"): 0}
    assert optimum(b, ar.add_fairness(b), force=force) == ("OPTIMAL", 20 * 20)


def test_add_isolated_days():
    b = built(problem(days=3))
    force = {("a", 1, "early"): 1, **{("a", d, s): 0 for d in (0, 2) for s in POINT}}
    assert optimum(b, ar.add_isolated_days(b), force=force) == ("OPTIMAL", 30)


def test_engine_daily_rest_applies():
    # A 20:00-24:00 shift then an 8:00 shift leaves 8 h: the engine's Act §25 rule forbids it.
    shifts = (ShiftType(id="night", start=1200, length=240), ShiftType(id="early", start=480, length=240))
    base = RosterProblem(horizon=2, shifts=shifts, employees=(Employee(id="a"),), rest=RestRules(daily_rest_minutes=660))
    p = ar.AdvisorRosterProblem(base=base, shift_point={"night": "p", "early": "p"},
                                shifts_on_day={0: frozenset({"night", "early"}), 1: frozenset({"night", "early"})},
                                intervals=())
    b = built(p)
    assert optimum(b, force={("a", 0, "night"): 1, ("a", 1, "early"): 1})[0] == "INFEASIBLE"


def test_build_objective_equals_sum_of_violations():
    ivs = (ar.Interval("p", 0, 480, 495, 2, 1, "P, D0 08:00"),)
    p = problem(intervals=ivs, contracts=(ar.Contract("a", 600, 0, "Anna"),), backups=frozenset({"b"}))
    b = ar.build(p, W)
    s = ar.extract(b, ar.solve(b, ar.SolveParams(work_limit=5, workers=1)))
    assert s.status == "OPTIMAL"
    assert s.objective == sum(v.penalty for v in s.violations)


def test_every_family_test_calls_its_family():
    module = sys.modules[__name__]
    tests = [(n, f) for n, f in inspect.getmembers(module, inspect.isfunction) if n.startswith("test_add_")]
    families = {n for n in dir(ar) if n.startswith("add_")}
    tested = set()
    for name, func in tests:
        family = max((f for f in families if name.startswith("test_" + f)), key=len, default=None)
        assert family, f"{name} is not named after a family of models/advisor_roster.py"
        assert re.search(rf"\bar\.{family}\(", inspect.getsource(func)), f"{name} does not call ar.{family}"
        tested.add(family)
    assert families == tested, f"families without a test: {sorted(families - tested)}"

