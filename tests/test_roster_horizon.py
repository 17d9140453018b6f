"""The roster period: the whole horizon by default, groups in parallel, every group written, re-plans across seams.

Issue #14: `planner plan` and `planner roster` roster the scenario's whole horizon unless
`[roster] weeks` or `--from/--weeks` narrow it (the last week cut at the horizon end); the
point groups run on the executor with the same roster as one by one; a group whose rules
clash costs the others nothing; `--keep … --from DATE` keeps a roster made of work periods.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from planner.base.calendar import roster_days, work_periods
from planner.base.decompose import restrict_to_points
from planner.base.errors import ScenarioError
from planner.base.executor import ProcessExecutor
from planner.cli import main
from planner.rosters.roster import roster_dates
from planner.run.pipeline import kept_roster, roster_period, roster_period_words, run_check, run_roster
from planner.scenario.loading import load_scenario
from planner.scenario.schemas import AbsenceRow
from tests.conftest import DEFAULT_DIR, GOLDEN_DIR

FILES = ("roster.csv", "roster_by_advisor.csv", "violations.csv")


def with_roster(scenario, months: int | None = None, work_limit: float | None = None, **roster):
    """The scenario with other [roster] settings (and horizon months, work budget)."""
    config = scenario.config
    update = {"roster": config.roster.model_copy(update=roster)}
    if months is not None:
        update["horizon"] = config.horizon.model_copy(update={"months": months})
    if work_limit is not None:
        update["solver"] = config.solver.model_copy(update={"work_limit": work_limit, "workers": 1})
    return scenario.model_copy(update={"config": config.model_copy(update=update)})


@pytest.fixture(scope="module")
def pilots():
    scenario, _ = load_scenario(DEFAULT_DIR, purpose="roster")
    return scenario


def test_without_weeks_the_roster_is_the_whole_horizon_to_its_last_day(pilots):
    year = with_roster(pilots, weeks=None)
    dates = roster_dates(year, None, None)
    assert (dates[0], dates[-1], len(dates)) == (dt.date(2015, 1, 1), dt.date(2015, 12, 31), 365)  # 52 weeks + 1 day
    # [roster] weeks is honoured, and --from/--weeks narrow it.
    assert len(roster_dates(pilots, None, None)) == 28  # the pilots' scenario.toml: weeks = 4
    assert roster_dates(year, dt.date(2015, 3, 2), 2) == roster_days(dt.date(2015, 3, 2), 2, dt.date(2015, 12, 31))
    assert len(roster_dates(year, dt.date(2015, 3, 2), 2)) == 14
    # --from alone: from that day to the horizon end.
    assert roster_dates(year, dt.date(2015, 12, 1), None)[-1] == dt.date(2015, 12, 31)
    # The manifest and the terminal say which part is rostered, and why.
    assert roster_period_words(year, dates) == ("the whole horizon, 2015-01-01 – 2015-12-31 in 13 work periods of "
                                                "[roster] period_weeks = 4")
    words = roster_period_words(pilots, dates[:28])
    assert words.startswith("2015-01-01 – 2015-01-28, 4 weeks of the horizon 2015-01-01 – 2015-12-31, as "
                            "scenario.toml [roster] weeks = 4 (the reason is the comment beside that line) says")
    assert roster_period_words(year, dates[:31], "--weeks").startswith("2015-01-01 – 2015-01-31, 4 weeks and 3 days")


def test_the_last_week_is_cut_at_the_horizon_end_and_a_week_past_it_is_an_input_error(pilots):
    january = with_roster(pilots, months=1, weeks=None)
    assert roster_dates(january, None, 5)[-1] == dt.date(2015, 1, 31)  # 4 weeks and 3 days
    with pytest.raises(ScenarioError, match="expected at most 5 weeks"):
        roster_dates(january, None, 6)


def test_a_part_week_at_the_end_joins_the_last_work_period():
    year = work_periods(365, 4)
    assert len(year) == 13 and year[-1] == range(336, 365)  # not a work period of one day
    assert work_periods(31, 4) == [range(31)]
    assert work_periods(28, 3) == [range(21), range(21, 28)]  # whole weeks as before


@pytest.mark.slow
def test_a_roster_to_a_horizon_end_that_is_not_whole_weeks_passes_the_check(pilots, tmp_path):
    """January 2015 is 4 weeks and 3 days: rostered to the 31st, read back by `planner check` as the same days."""
    january = with_roster(restrict_to_points(pilots, {"saarijarvi"}), months=1, work_limit=1, weeks=None)
    done = run_roster(january, tmp_path / "r")
    summary = json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["from"], summary["to"], summary["days"], summary["weeks"]) == ("2015-01-01", "2015-01-31", 31, 5)
    roster = pd.read_csv(tmp_path / "r" / "roster.csv")
    assert roster["date"].max() == "2015-01-30"  # Friday 30 Jan: the part week is rostered
    assert roster_period(january, tmp_path / "r" / "roster.csv", None, None) == (dt.date(2015, 1, 1), 5)
    result = run_check(january, tmp_path / "r" / "roster.csv")
    assert result.hard == []
    assert result.objective == done.results["roster"].groups[0].solution.objective


@pytest.mark.slow
def test_groups_in_a_process_pool_write_the_same_bytes_as_one_by_one(pilots, tmp_path):
    small = with_roster(restrict_to_points(pilots, {"saarijarvi", "pelkosenniemi", "parainen"}), months=1,
                        work_limit=1, weeks=None, period_weeks=1)
    start = dt.date(2015, 1, 5)
    run_roster(small, tmp_path / "serial", start, 2)
    pooled = run_roster(small, tmp_path / "pool", start, 2, executor=ProcessExecutor(2))
    assert len(pooled.results["roster"].groups) == 3 and pooled.failed == {}
    for name in FILES:
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "pool" / name).read_bytes(), name
    serial, pool = (json.loads((tmp_path / f / "summary.json").read_text(encoding="utf-8")) for f in ("serial", "pool"))
    for summary in (serial, pool):  # the solver's seconds are the machine's, not the plan's
        summary.pop("seconds")
        for group in summary["groups"].values():
            group.pop("seconds")
            for period in group.get("work_periods", []):
                period.pop("seconds")
    assert serial == pool


@pytest.mark.slow
def test_a_group_whose_rules_clash_is_named_and_the_others_are_written(scenario_copy, tmp_path):
    path = scenario_copy / "scenario.toml"
    text = path.read_text(encoding="utf-8").replace("months = 12", "months = 1")
    path.write_text(text.replace("[roster]\n", "[roster]\non_duty_hard = true\n", 1), encoding="utf-8")
    with (scenario_copy / "absences.csv").open("a", encoding="utf-8") as handle:  # nobody for Saarijärvi on Wed 7 Jan
        handle.write("heikki,2015-01-07,2015-01-07,training\nmarja,2015-01-05,2015-01-09,sick leave\n")
    out = tmp_path / "r"
    result = CliRunner().invoke(main, ["roster", str(scenario_copy), "-o", str(out), "--from", "2015-01-05",
                                       "--weeks", "1", "--work-limit", "1", "-q"])
    assert result.exit_code == 3, result.output
    assert "saarijarvi: no roster satisfies the hard rules" in result.output
    assert ("Saarijärvi, Wed 7 Jan: 1 advisor must be on duty 10:00–15:00 ([workforce] min_on_duty); nobody may work "
            "there that day; away: Heikki Koskinen (training), Marja Järvinen (sick leave)") in result.output
    roster = pd.read_csv(out / "roster.csv")
    assert set(roster["point"]) == {"kiiminki", "mikkeli", "parainen", "pelkosenniemi"}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(summary["failed_groups"]) == ["saarijarvi"] and "saarijarvi" not in summary["groups"]
    # The roster as a whole is not OPTIMAL when one group has none (a new user read "OPTIMAL, gap 0" here).
    assert summary["status"] == "INCOMPLETE" and summary["rostered_status"] in ("OPTIMAL", "FEASIBLE")


@pytest.mark.slow
def test_a_replan_from_a_day_in_a_later_work_period_keeps_the_seams(pilots, tmp_path):
    """Three weeks in three work periods; Heikki falls ill in the second: everything before the re-plan
    date stays (across the first seam), and the re-planned roster has no breach at the seams."""
    saarijarvi = with_roster(restrict_to_points(pilots, {"saarijarvi"}), months=1, work_limit=1, weeks=None,
                             period_weeks=1)
    start, replan_from = dt.date(2015, 1, 5), dt.date(2015, 1, 14)
    published = run_roster(saarijarvi, tmp_path / "published", start, 3)
    assert len(published.results["roster"].groups[0].periods) == 3
    before = pd.read_csv(tmp_path / "published" / "roster.csv")
    sick = AbsenceRow(advisor_id="heikki", start=replan_from, end=dt.date(2015, 1, 20), reason="sick leave")
    ill = saarijarvi.model_copy(update={"absences": (*saarijarvi.absences, sick)})
    assert ((before["advisor"] == "heikki") & before["date"].between("2015-01-14", "2015-01-20")).any()

    kept = kept_roster(ill, tmp_path / "published" / "roster.csv", replan_from)
    assert (kept.start, kept.last) == (start, dt.date(2015, 1, 25))  # the period from the summary beside it
    replanned = run_roster(ill, tmp_path / "replanned", keep=kept)
    assert len(replanned.results["roster"].groups[0].periods) == 3
    after = pd.read_csv(tmp_path / "replanned" / "roster.csv")
    columns = ["date", "advisor", "start", "end"]
    past = before[before["date"] < replan_from.isoformat()][columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(past, after[after["date"] < replan_from.isoformat()][columns].reset_index(drop=True))
    assert not ((after["advisor"] == "heikki") & after["date"].between("2015-01-14", "2015-01-20")).any()
    checked = run_check(ill, tmp_path / "replanned" / "roster.csv")
    assert checked.hard == []


@pytest.mark.parametrize(("options", "expected"), [
    (["--from", "2015-03-05"], "command line, key --from: roster start 2015-03-05 is outside the horizon"),
    (["--from", "2015-02-18", "--weeks", "5"], "command line, key --weeks: a roster of 5 weeks from 2015-02-18"),
])
def test_a_period_option_outside_the_horizon_names_the_option(scenario_copy, tmp_path, options, expected):
    """The user's mistake is in the command line, not in scenario.toml: the error names the option (exit 2)."""
    path = scenario_copy / "scenario.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nmonths = 12\n", "\nmonths = 2\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["roster", str(scenario_copy), "-o", str(tmp_path / "r"), *options])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert not (tmp_path / "r").exists()


@pytest.mark.slow
def test_plan_with_a_group_whose_rules_clash_writes_the_rest_and_exits_3(tmp_path):
    """`planner plan` as `planner roster`: the clashing group named with its rules, every file written, exit 3
    (it exited 0 with the clash only in the manifest: a script took the plan as complete)."""
    import shutil

    folder = tmp_path / "s"
    shutil.copytree(GOLDEN_DIR, folder)
    path = folder / "scenario.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[roster]\n", "[roster]\non_duty_hard = true\n", 1),
                    encoding="utf-8")
    with (folder / "absences.csv").open("a", encoding="utf-8") as handle:  # nobody for Saarijärvi on Wed 7 Jan
        handle.write("heikki,2015-01-07,2015-01-07,training\nmarja,2015-01-05,2015-01-09,sick leave\n")
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", str(folder), "-o", str(out), "--quiet", "--work-limit", "0.5"])
    assert result.exit_code == 3, result.output
    assert "saarijarvi: no roster satisfies the hard rules" in result.stderr
    assert ("Saarijärvi, Wed 7 Jan: 1 advisor must be on duty 10:00–15:00 ([workforce] min_on_duty); nobody may work "
            "there that day; away: Heikki Koskinen (training), Marja Järvinen (sick leave)") in result.stderr
    assert "INCOMPLETE (no roster for saarijarvi" in result.stdout
    assert (out / "report.html").is_file() and (out / "plan.xlsx").is_file()
    assert set(pd.read_csv(out / "roster" / "roster.csv")["point"]) == {"pelkosenniemi"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["steps"]["roster"]["status"] == "INCOMPLETE" and list(manifest["failed_tasks"]) == ["roster:saarijarvi"]
