"""A point group without a roster is said to have none, with why, wherever the other groups' rosters appear (the
new user's trial, issue #14 item 1: its week-grid pages in the report and the workbook printed as if publishable —
every advisor "off" every day — and the report's "how good is this roster" table had no row for it)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from planner.base.errors import InfeasiblePlan
from planner.cli import main
from planner.rosters.stage import RosterStage
from tests.conftest import shortened_copy

NO_ROSTER = {"en": "No roster for this point", "fi": "Tälle pisteelle ei ole työvuorolistaa",
             "sv": "Inget arbetsschema för denna punkt"}


@pytest.fixture(scope="module")
def kiiminki_failed(tmp_path_factory):
    """The pilots' month planned with Kiiminki's group failing (its rules clash), the others rostered."""
    tmp = tmp_path_factory.mktemp("failed")
    original = RosterStage.solve

    def clash(self, piece, progress=None):
        if "kiiminki" in piece.group:
            raise InfeasiblePlan(["the rules clash"])
        return original(self, piece, progress)

    mp = pytest.MonkeyPatch()
    mp.setattr(RosterStage, "solve", clash)
    try:
        scenario = shortened_copy(tmp, 1, time_limit=5, work_limit=0.5)
        out = tmp / "out"
        result = CliRunner().invoke(main, ["plan", str(scenario), "-o", str(out), "--quiet", "--lang", "fi"])
    finally:
        mp.undo()
    assert result.exit_code == 3, result.output  # the other groups are written
    return out


@pytest.mark.slow  # a month's plan end to end (~20 s)
def test_the_week_grid_of_a_failed_group_says_it_has_no_roster(kiiminki_failed):
    grid = pd.read_csv(kiiminki_failed / "roster" / "week_grid.csv")
    mine = grid[grid["point_id"] == "kiiminki"]
    assert set(mine["row"]) == {"opening", "no_roster"}  # no advisor rows reading "off" every day
    assert mine.loc[mine["row"] == "no_roster", "name"].str.contains("the rules clash").all()
    assert mine["week"].nunique() == grid["week"].nunique()  # every week the others have
    assert "advisor" in set(grid.loc[grid["point_id"] == "mikkeli", "row"])
    hours = pd.read_csv(kiiminki_failed / "roster" / "hours_by_week.csv")
    assert "kiiminki" not in set(hours["point_id"])  # no 0 h against a contract for a roster not made


@pytest.mark.slow
def test_the_report_pages_and_quality_table_name_the_failed_group(kiiminki_failed):
    page = (kiiminki_failed / "report.html").read_text(encoding="utf-8")
    pages = page.split('<div class="grid-page" data-point="kiiminki">')[1:]
    assert pages and all(NO_ROSTER["fi"] in p[:p.index("</table>")] and "the rules clash" in p[:p.index("</table>")]
                         for p in pages)
    solver = page[page.rindex("Suunnitelman laatu"):]
    row = solver[solver.index("<td>työvuorot</td>\n      <td>Oulu Kiiminki</td>"):][:300]  # the step in Finnish
    assert "EI LISTAA" in row and "the rules clash" in row


@pytest.mark.slow
def test_the_workbook_says_the_failed_group_has_no_roster(kiiminki_failed):
    book = openpyxl.load_workbook(kiiminki_failed / "plan.xlsx", read_only=True)
    grids = [row for row in book["viikkotyövuorot"].iter_rows(values_only=True) if "Oulu Kiiminki" in row]
    assert any(NO_ROSTER["fi"] in str(cell) for row in grids for cell in row)
    sheet = [cell for row in book["vuorot kiiminki"].iter_rows(values_only=True) for cell in row]
    assert any(NO_ROSTER["fi"] in str(cell) and "the rules clash" in str(cell) for cell in sheet)


@pytest.mark.slow
def test_the_calendars_of_a_failed_group_s_advisors_say_there_is_no_roster(kiiminki_failed):
    """An advisor's calendar without shifts read as a month off; it now carries the reason over the period."""
    calendars = kiiminki_failed / "roster" / "calendars"
    sari = next(calendars.glob("sari*.ics")).read_text(encoding="utf-8")  # Kiiminki's advisor
    assert "SUMMARY:Tälle pisteelle ei ole työvuorolistaa" in sari.replace("\r\n ", "")
    other = next(calendars.glob("anna*.ics")).read_text(encoding="utf-8")  # Mikkeli's, rostered
    assert "työvuorolistaa" not in other
