"""What people publish and act on: the headline, week grids, calendars, the map, a usable workbook, fi/sv.

Uses the shared two-month plan (conftest `planned`) and, for the languages, the small golden
scenario planned in Finnish and in Swedish.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import load_workbook

from planner.cli import main
from planner.outputs import grids, i18n
from planner.outputs.workbook import EURO_FORMAT, HOURS_FORMAT, MONTH_FORMAT, TIME_FORMAT

HERE = Path(__file__).resolve().parent
SMALL = HERE / "data" / "golden-pilots"

# Every test here reads a plan run (the shared `planned`, about 20 s, or the fi/sv runs): not in `make test-quick`.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["fi", "sv"])
def translated(request, tmp_path_factory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(f"plan-{request.param}") / "out"
    result = CliRunner().invoke(main, ["plan", str(SMALL), "-o", str(out), "--quiet", "--lang", request.param,
                                       "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    return request.param, out


def test_headline_opens_the_report_and_the_workbook(planned):
    text = (planned / "report.html").read_text(encoding="utf-8")
    first = re.search(r"<h2>(.*?)</h2>", text).group(1)
    assert first == "Headline"
    assert "The three largest risks" in text and "€" in text
    assert load_workbook(planned / "plan.xlsx", read_only=True).sheetnames[:2] == ["headline", "headline providers"]
    points = pd.read_csv(planned / "headline_points.csv")
    assert {"persons_needed", "persons_on_staff", "fte_needed_peak", "fte_on_staff", "driving_month",
            "cost_eur_year", "share_eur_kela", "share_eur_vero"} <= set(points.columns)
    assert len(points) == 5 and (points["cost_eur_year"] > 0).all()
    # The peak FTE includes shrinkage, and says so (the terminal's "peak" column is without it, "+shrink" with).
    summary = pd.read_csv(planned / "staffing_summary.csv").groupby("point_id")["fte_with_shrinkage"].max().round(2)
    assert points.set_index("point_id")["fte_needed_peak"].to_dict() == summary.to_dict()
    assert "FTE needed (peak, with shrinkage)" in text
    # Every column of the workbook's headline has its own title (two read "persons needed": 5 and 4).
    book = load_workbook(planned / "plan.xlsx", read_only=True)
    for sheet in ("headline", "advisors needed") if "advisors needed" in book.sheetnames else ("headline",):
        titles = [cell for cell in next(book[sheet].iter_rows(values_only=True)) if cell]
        assert len(titles) == len(set(titles)), (sheet, titles)
    risks = (planned / "headline_risks.txt").read_text(encoding="utf-8").splitlines()
    assert 1 <= len(risks) <= 3


def test_persons_needed_covers_the_busiest_day_of_the_shift_plan(planned):
    """Figures agree: the headline never asks for fewer people than a day of shifts.csv uses."""
    shifts = pd.read_csv(planned / "shifts.csv")
    busiest = shifts.groupby(["point_id", "date"])["count"].sum().groupby("point_id").max()
    points = pd.read_csv(planned / "headline_points.csv").set_index("point_id")
    monthly = pd.read_csv(planned / "staffing_summary.csv").groupby("point_id")["headcount_needed"].max()
    for point, people in busiest.items():
        assert points.loc[point, "persons_needed"] >= people
        assert points.loc[point, "persons_needed"] >= monthly[point]
    text = (planned / "report.html").read_text(encoding="utf-8")
    if (busiest > monthly).any():
        assert "different people" in text  # the report explains the difference


def test_week_grids_show_shifts_absences_and_opening_hours(planned):
    grid = pd.read_csv(planned / "roster" / "week_grid.csv", keep_default_na=False)
    roster = pd.read_csv(planned / "roster" / "roster.csv")
    assert set(grid["point_id"]) == {"mikkeli", "kiiminki", "parainen", "pelkosenniemi", "saarijarvi"}
    assert (grid["row"] == "opening").sum() == grid.groupby(["point_id", "week"]).ngroups
    mikko = grid[(grid["advisor"] == "mikko") & (grid["week"] == "2015-W03")].iloc[0]
    assert [mikko["wed"], mikko["thu"], mikko["fri"]] == ["training"] * 3  # absences.csv: 14-16 Jan
    new_year = grid[(grid["row"] == "opening") & (grid["week"] == "2015-W01")].iloc[0]
    assert new_year["thu"] == "New Year's Day"
    worked = grid[grid["row"] == "advisor"]
    shift_cells = sum(worked[d].str.match(r"^\d\d:\d\d–\d\d:\d\d").sum() for d in ["mon", "tue", "wed", "thu", "fri",
                                                                                     "sat", "sun"])
    assert shift_cells >= len(roster)  # every shift (shared advisors show at both points)
    text = (planned / "report.html").read_text(encoding="utf-8")
    for point in ("mikkeli", "kiiminki", "parainen", "pelkosenniemi", "saarijarvi"):
        assert f'class="grid-page" data-point="{point}"' in text
    assert "@page{size:A4 landscape" in text
    hours = pd.read_csv(planned / "roster" / "hours_by_week.csv")
    assert pd.api.types.is_float_dtype(hours["paid_hours"]) and pd.api.types.is_float_dtype(hours["contract_hours"])
    by_advisor = pd.read_csv(planned / "roster" / "roster_by_advisor.csv").set_index("advisor")
    for advisor, paid in hours.groupby("advisor")["paid_hours"].sum().items():
        assert paid == pytest.approx(by_advisor.loc[advisor, "paid_hours"], abs=0.01)


def calendars(folder: Path) -> list[Calendar]:
    return [Calendar.from_ical(path.read_bytes()) for path in sorted(folder.glob("*.ics"))]


def test_every_calendar_file_parses_and_officials_events_cover_the_drive(planned):
    advisors = calendars(planned / "roster" / "calendars")
    officials = calendars(planned / "outreach" / "calendars")
    assert len(advisors) >= 10 and officials
    Calendar.from_ical((planned / "outreach" / "visits.ics").read_bytes())
    roster = pd.read_csv(planned / "roster" / "roster.csv")
    shifts = [e for c in advisors for e in c.walk("VEVENT") if isinstance(e.decoded("DTSTART"), dt.datetime)]
    assert len(shifts) == len(roster)
    absences = [e for c in advisors for e in c.walk("VEVENT") if not isinstance(e.decoded("DTSTART"), dt.datetime)]
    assert any("training" in str(e["SUMMARY"]) for e in absences)
    visits = pd.read_csv(planned / "outreach" / "visits.csv")
    trips = visits.groupby(["official_id", "date"]).agg(depart=("depart", "first"), back=("return", "last"))
    events = [e for c in officials for e in c.walk("VEVENT") if isinstance(e.decoded("DTSTART"), dt.datetime)]
    assert len(events) == len(trips)
    # an official without a trip has a calendar too: one all-day note, free time (tests/test_trial_words.py)
    notes = [e for c in officials for e in c.walk("VEVENT") if not isinstance(e.decoded("DTSTART"), dt.datetime)]
    assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in notes)
    helsinki = dt.timezone(dt.timedelta(hours=2))  # January and February: EET
    for event in events:
        start, end = event.decoded("DTSTART").astimezone(helsinki), event.decoded("DTEND").astimezone(helsinki)
        matches = trips[(trips.index.get_level_values("date") == start.date().isoformat())
                        & (trips["depart"] == f"{start:%H:%M}") & (trips["back"] == f"{end:%H:%M}")]
        assert len(matches) == 1, (start, end)
        assert "Finland" in str(event["LOCATION"]) and event.get("GEO") is not None


def test_the_map_is_drawn_on_finland_and_wide(planned):
    from matplotlib import image

    pixels = image.imread(planned / "charts" / "outreach_map.png")
    assert pixels.shape[1] > 800
    water = (abs(pixels[..., 0] - 0xCF / 255) < 0.02) & (abs(pixels[..., 2] - 0xF3 / 255) < 0.02)
    assert 0.05 < water.mean() < 0.8  # the sea and lakes are there, not a blank frame


def test_the_workbook_has_formats_and_types_people_can_use(planned):
    book = load_workbook(planned / "plan.xlsx")
    for sheet in book.worksheets:
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
        assert sheet.auto_filter.ref and sheet.freeze_panes, sheet.title
    staffing = book["staffing summary"]
    header = [c.value for c in staffing[1]]
    row = {h: c for h, c in zip(header, staffing[2], strict=True)}
    assert isinstance(row["month"].value, dt.datetime) and row["month"].number_format == MONTH_FORMAT
    assert row["paid hours"].number_format == HOURS_FORMAT
    assert row["cost € Kela (Social Insurance Institution)"].number_format == EURO_FORMAT
    for sheet in book.worksheets:
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, float):
                    assert cell.value == round(cell.value, 6), (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?|\d\d:\d\d", cell.value), (sheet.title, cell.value)
                    assert "|" not in cell.value or sheet.title == "roster violations", (sheet.title, cell.value)
    visits = book["visits"]
    header = [c.value for c in visits[1]]
    assert visits.cell(row=2, column=header.index("departs") + 1).number_format == TIME_FORMAT
    assert isinstance(visits.cell(row=2, column=header.index("departs") + 1).value, dt.time)
    hours = book["hours by week"]
    header = [c.value for c in hours[1]]
    assert isinstance(hours.cell(row=2, column=header.index("paid hours") + 1).value, float | int)


ENGLISH_HEADINGS = {i18n.TEXTS[k][0] for k in ("headline", "for_points", "for_providers", "risks", "demand",
                                               "advisors_needed", "required_scheduled", "workload", "rosters",
                                               "week_grids", "outreach", "costs", "violations", "month_grid")}


@pytest.mark.parametrize(("lang", "name"), [("en", "Epiphany"), ("fi", "Loppiainen"), ("sv", "Trettondag")])
def test_holiday_names_are_in_the_language_asked(lang, name):
    """The holidays package knows Swedish as sv_FI: asked for "sv" it answered in English without a word."""
    assert grids.holiday_names((2015,), lang)[dt.date(2015, 1, 6)] == name


@pytest.mark.slow  # end-to-end: over 4 s alone (make test-quick)
def test_reports_and_workbooks_in_finnish_and_swedish_have_no_english_heading_left(translated):
    lang, out = translated
    text = (out / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in text
    headings = [html.unescape(h) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", text)]
    assert headings and not ENGLISH_HEADINGS & set(headings), ENGLISH_HEADINGS & set(headings)
    assert i18n.TEXTS["headline"][1 if lang == "fi" else 2] in headings
    book = load_workbook(out / "plan.xlsx", read_only=True)
    english_sheets = {t[0] for t in i18n.SHEETS.values()}
    assert not english_sheets & set(book.sheetnames)
    for sheet in book.worksheets:
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        english = [h for h in header if h in {t[0] for t in i18n.COLUMNS.values()} and h not in
                   {t[1 if lang == "fi" else 2] for t in i18n.COLUMNS.values()}]
        assert not english, (sheet.title, english)
        assert not [h for h in header if isinstance(h, str) and re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", h)], header
        # Nor the week grids' English day names, nor demand's "placed" (the trial's Swedish workbook).
        assert not {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "placed"} & set(header), (sheet.title, header)
    grid = pd.read_csv(out / "roster" / "week_grid.csv", keep_default_na=False)
    assert i18n.TEXTS["day_off"][1 if lang == "fi" else 2] in set(grid[["mon", "tue", "wed", "thu", "fri"]].stack())
    # Public holidays by their name in the language (the trial: the Swedish grids said "New Year's Day", "Epiphany").
    opening = grid[grid["row"] == "opening"].set_index("week")
    new_year, epiphany = {"fi": ("Uudenvuodenpäivä", "Loppiainen"), "sv": ("Nyårsdagen", "Trettondag")}[lang]
    assert new_year in set(opening["thu"]) and epiphany in set(opening["tue"])
    assert new_year in text and "New Year's Day" not in text and "Epiphany" not in text
    for path in (out / "roster" / "calendars").glob("*.ics"):
        summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")]
        assert all(not s.startswith("Shift at") for s in summaries)
    if lang == "fi":
        assert "Kela" in text and "Verohallinto" in text and "asiointipiste" in text.lower()
    else:
        assert "FPA" in text and "Skatteförvaltningen" in text and "servicepunkt" in text.lower()
