"""PVRP with a maximum route duration (Cordeau's pr instances, an official's working day).

A small self-made instance of pr02's shape: 4 days, customers needing 4, 2 or 1 visits,
service durations, a 220-minute day that the old greedy start could not fill (it left 7
customers unvisited); and the pr format's reader with its errors.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bench import pvrp as pvrp_cli
from bench.engines import periodic
from bench.formats import CordeauFormatError, parse_cordeau_pvrp, read_cordeau_pvrp
from bench.route_check import check_pvrp
from tests.paths import bench_dir

# type m n t / t lines `D Q` / nodes `i x y d q f a combos` (combos: 4 bits, leftmost day 1).
SHORT_DAYS = """\
1 2 24 4
220 60
220 60
220 60
220 60
 0   0   0  0 0 0 0
 1  21   8 18 3 4 1 15
 2 -12 -28 11 1 2 2 10 5
 3 -20  19 20 9 1 4 8 4 2 1
 4   0   7 25 7 1 4 8 4 2 1
 5   8   3 18 9 4 1 15
 6 -14  19 20 1 2 2 10 5
 7  -6  22 18 1 1 4 8 4 2 1
 8  16  14 23 2 1 4 8 4 2 1
 9 -25  22 10 5 4 1 15
10 -26 -12 17 4 2 2 10 5
11  -6 -29 10 2 1 4 8 4 2 1
12 -30  10 18 6 1 4 8 4 2 1
13 -15   7 22 4 4 1 15
14  -2  30 22 9 2 2 10 5
15  -7  11 25 6 1 4 8 4 2 1
16  21  11 21 4 1 4 8 4 2 1
17  23 -22 19 7 4 1 15
18  21   2 16 3 2 2 10 5
19  -5  -1 21 9 1 4 8 4 2 1
20 -26  26 18 4 1 4 8 4 2 1
21  11   4 14 3 4 1 15
22  13   6 18 4 2 2 10 5
23  16  -7 15 9 1 4 8 4 2 1
24 -14 -17 21 6 1 4 8 4 2 1
"""


def solve(problem: periodic.PeriodicProblem, seed: int = 0) -> periodic.PeriodicSolution:
    params = periodic.PeriodicParams(work=3_000_000, seed=seed)
    built = periodic.build(problem, params)
    return periodic.extract(built, periodic.solve(built, params))


def plan_of(solution: periodic.PeriodicSolution) -> list[tuple[int, tuple[int, ...]]]:
    return [(r.day, r.customers) for r in solution.routes]


def test_short_days_get_a_plan_the_checker_accepts():
    problem = parse_cordeau_pvrp(SHORT_DAYS)
    solution = solve(problem)
    assert solution.status == "FEASIBLE", solution.unassigned
    report = check_pvrp(problem, plan_of(solution))
    assert report.ok, report.hard
    assert report.cost == pytest.approx(solution.objective)
    assert solution.bound <= solution.objective


def test_no_route_is_longer_than_the_day():
    problem = parse_cordeau_pvrp(SHORT_DAYS)
    dist = problem.distance_matrix()
    solution = solve(problem)
    assert solution.status == "FEASIBLE"  # a partial plan would pass the loop below
    for route in solution.routes:
        path = [0, *(c + 1 for c in route.customers), 0]
        drive = sum(dist[a, b] for a, b in zip(path, path[1:], strict=False))
        work = drive + sum(problem.customers[c].service_time for c in route.customers)
        assert work <= 220 + 1e-9
        assert route.duration == pytest.approx(work)


@pytest.mark.parametrize("day", [220, 300])
def test_same_seed_same_plan(day):
    text = SHORT_DAYS.replace("220 60", f"{day} 60")
    problem = parse_cordeau_pvrp(text)
    first, second = solve(problem, seed=3), solve(problem, seed=3)
    assert first.status == second.status == "FEASIBLE"
    assert plan_of(first) == plan_of(second)
    assert first.objective == second.objective


def test_reader_takes_the_pr_format_duration_service_and_four_day_patterns():
    problem = parse_cordeau_pvrp(SHORT_DAYS)
    assert [(d.vehicles, d.capacity, d.max_duration) for d in problem.days] == [(2, 60, 220.0)] * 4
    first, second, third = problem.customers[:3]
    assert (first.service_time, first.demand, first.visits) == (18.0, 3, 4)
    assert first.allowed_day_sets == ((0, 1, 2, 3),)  # 15 = 1111
    assert second.allowed_day_sets == ((0, 2), (1, 3))  # 10 = 1010, 5 = 0101
    assert third.allowed_day_sets == ((0,), (1,), (2,), (3,))  # 8 4 2 1


def test_reader_on_the_shared_pr02():
    pr02 = read_cordeau_pvrp(bench_dir("pvrp") / "pr02.txt")
    assert [(d.vehicles, d.capacity, d.max_duration) for d in pr02.days] == [(4, 195, 480.0)] * 4
    assert len(pr02.customers) == 96
    first = pr02.customers[0]
    assert (first.x, first.y, first.service_time, first.demand) == (33.588, 30.75, 12.0, 4)
    assert first.allowed_day_sets == ((0, 1, 2, 3),)


def _broken(line_no: int, new: str) -> str:
    lines = SHORT_DAYS.splitlines()
    lines[line_no - 1] = new
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("text", "words"), [
    (_broken(2, "22o 60"), ("line 2", "D (max route duration)", "'22o'")),
    (_broken(7, " 1  21   8 18 3 4 2 15"), ("line 7", "visit combination 2", "missing")),
    (_broken(8, " 2 -12 -28 11 1 2 2 10 4"), ("line 8", "visit combination 2", "f = 2")),
    (_broken(9, " 3 -20  19 -5 9 1 4 8 4 2 1"), ("line 9", "d (service duration)")),
    (_broken(10, " 5   0   7 25 7 1 4 8 4 2 1"), ("line 10", "i (node number)", "expected 4")),
    (_broken(11, " 5   8   3 18 9 4 1 15 3"), ("line 11", "9 values where 8", "'3'")),
    (SHORT_DAYS + "25 1 1 1 1 1 1 8\n", ("line 31", "data after")),
    ("\n".join(SHORT_DAYS.splitlines()[:20]), ("line 20", "ends")),
])
def test_reader_names_line_and_field(text, words):
    with pytest.raises(CordeauFormatError) as caught:
        parse_cordeau_pvrp(text)
    for word in words:
        assert word in str(caught.value)


def test_bench_exits_2_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(_broken(8, " 2 -12 -28 11 1 2 2 10 4"))
    result = CliRunner().invoke(pvrp_cli.main, [str(bad), "--time-limit", "1"])
    assert result.exit_code == 2
    assert "line 8" in result.output and "visit combination 2" in result.output


def test_one_way_distances_keep_the_day_length():
    """A matrix where going out costs more than coming back: 2-opt would misjudge it."""
    problem = parse_cordeau_pvrp(SHORT_DAYS)
    dist = problem.distance_matrix()
    n = len(dist)
    uphill = tuple(tuple(float(dist[i, j]) + (4.0 if i < j else 0.0) for j in range(n))
                   for i in range(n))
    lopsided = problem.model_copy(update={"distance": uphill, "days": tuple(
        d.model_copy(update={"max_duration": 300.0}) for d in problem.days)})
    solution = solve(lopsided)
    assert solution.status == "FEASIBLE"
    report = check_pvrp(lopsided, plan_of(solution))
    assert report.ok, report.hard
    assert report.cost == pytest.approx(solution.objective)
