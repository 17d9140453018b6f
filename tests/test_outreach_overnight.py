"""Overnight outreach trips (issue #15): where a day cannot hold the drive and the service, a trip of two or more
days with hotel nights and the per diem.

The scenario is tests/data/eastern-lapland's shape with the issue's figure for the register-office lawyer's drive
from Rovaniemi to Salla (354 km, ≈ 5 h one way, in distances.csv): 10.1 h of driving there and back does not fit
in a 7.25 h day, one way and a 60 min slot do. Salla's register-office demand is raised so that a trip pays, and
only the lawyer is kept (the other providers' customers then have no official: a small model).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from models import outreach as m
from planner.checks.visits import check_visits
from planner.cli import main
from planner.outputs.calendars import official_calendars
from planner.outputs.i18n import Words
from planner.outreach import plan as op
from planner.outreach.travel import overnight_cost, per_diem
from planner.scenario.loading import load_scenario
from tests.conftest import DEFAULT_DIR, read_rows, write_rows

EASTERN_LAPLAND = Path(__file__).resolve().parent / "data" / "eastern-lapland"
ONE_WAY_KM, ONE_WAY_MINUTES = 354.0, 303.0


def salla_copy(folder: Path, max_nights: int | None = None) -> Path:
    target = folder / "salla"
    shutil.copytree(EASTERN_LAPLAND, target)
    (target / "distances.csv").write_text(
        "from_id,to_id,km,minutes,source\n"
        f"rovaniemi-maistraatti,salla,{ONE_WAY_KM:g},{ONE_WAY_MINUTES:g},issue #15: about 354 km one way\n",
        encoding="utf-8")
    header, rows = read_rows(target / "baseline_demand.csv")
    for row in rows:
        if (row["point_id"], row["provider_id"]) == ("salla", "maistraatti"):
            row["monthly_volume"] = "200.0"
    write_rows(target / "baseline_demand.csv", header, rows)
    header, rows = read_rows(target / "officials.csv")
    write_rows(target / "officials.csv", header, [r for r in rows if r["official_id"] == "register-rovaniemi"])
    (target / "visit_patterns.csv").unlink()  # the police's pattern: no police official is left
    if max_nights is not None:
        toml = target / "scenario.toml"
        toml.write_text(toml.read_text(encoding="utf-8") + f"\n[outreach]\nmax_nights = {max_nights}\n",
                        encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def salla_plan(tmp_path_factory):
    scenario, _ = load_scenario(salla_copy(tmp_path_factory.mktemp("overnight")))
    prepared = op.prepare(scenario, 1)
    return scenario, prepared, op.run(prepared)


@pytest.mark.slow  # the Salla plan: over 3 s, shared by the four
def test_the_plan_holds_an_overnight_trip_to_salla(salla_plan):
    scenario, _, plan = salla_plan
    visits = plan.visits
    trips = visits[visits["trip_id"] != ""]
    assert len(trips) and set(trips["point_id"]) == {"salla"}
    costs = scenario.config.costs
    for _, rows in trips.groupby("trip_id"):
        nights = int(rows["nights"].iloc[0])
        dates = [dt.date.fromisoformat(d) for d in rows["date"]]
        assert nights >= 1 and len(rows) == nights + 1
        assert all((b - a).days == 1 for a, b in zip(dates, dates[1:], strict=False))  # consecutive days
        assert list(rows["trip_day"]) == list(range(1, nights + 2))
        assert (rows["appointments"] > 0).all()  # every day of it serves
        # Out on day 1 and back on the last: the km and the drive's costs, nothing between.
        assert rows["km"].sum() == pytest.approx(2 * ONE_WAY_KM)
        assert rows["car_eur"].sum() == pytest.approx(2 * ONE_WAY_KM * 0.45, abs=0.01)
        assert rows["salary_eur"].sum() == pytest.approx(2 * ONE_WAY_MINUTES / 60 * 39, abs=0.01)
        assert rows["hotel_eur"].sum() == pytest.approx(nights * costs.hotel_eur_per_night)
        # The Tax Administration's rule on nights × 24 h + 7.25 h: a full per diem per started day here.
        assert rows["per_diem_eur"].sum() == pytest.approx((nights + 1) * 39.0)
        assert rows["depart"].iloc[0] != "" and rows["return"].iloc[-1] != ""
    salla = plan.access[(plan.access["point_id"] == "salla") & (plan.access["provider_id"] == "maistraatti")]
    assert salla["served_locally"].sum() > 0
    assert not salla["reason"].str.startswith("beyond_day_reach").any()


@pytest.mark.slow  # the Salla plan: over 3 s, shared by the four
def test_the_costs_add_up_to_the_plans_official_cost(salla_plan):
    """km × 0.45 + salary + productivity + hotel + per diem of the rows = the model's official cost; the model names
    the hotel and per diem terms."""
    _, _, plan = salla_plan
    parts = ["car_eur", "salary_eur", "productivity_eur", "hotel_eur", "per_diem_eur"]
    assert plan.visits[parts].sum().sum() == pytest.approx(plan.solution.official_eur, abs=0.05 * len(plan.visits))
    named = plan.solution.penalties
    hotel = sum(v for k, v in named.items() if k.startswith("hotel "))
    diem = sum(v for k, v in named.items() if k.startswith("per diem "))
    assert hotel == pytest.approx(plan.visits["hotel_eur"].sum())
    assert diem == pytest.approx(plan.visits["per_diem_eur"].sum())
    assert op.overnight_summary(plan.visits)["hotel_nights"] == int(
        plan.visits[plan.visits["trip_id"] != ""].groupby("trip_id")["nights"].first().sum())


@pytest.mark.slow  # the Salla plan: over 3 s, shared by the four
def test_the_plan_check_accepts_the_trip_and_rejects_a_broken_one(salla_plan):
    scenario, prepared, plan = salla_plan
    slots = {(s.provider, s.appointment_type): s.slot_minutes for s in prepared.problem.streams}
    shown = plan.visits.drop(columns=["start_minute", "end_minute"])
    assert check_visits(scenario, shown, slots).findings == []
    trip = shown[shown["trip_id"] != ""]["trip_id"].iloc[0]
    rows = shown.index[shown["trip_id"] == trip]
    no_night = shown.copy()
    no_night.loc[rows[0], "hotel_eur"] = 0.0  # the night not counted
    assert {f.rule for f in check_visits(scenario, no_night, slots).findings} == {"overnight_trip"}
    apart = shown.copy()
    last = dt.date.fromisoformat(apart.loc[rows[-1], "date"])
    apart.loc[rows[-1], "date"] = (last + dt.timedelta(days=7)).isoformat()  # not consecutive
    assert "overnight_trip" in {f.rule for f in check_visits(scenario, apart, slots).findings}
    long_day = shown.copy()
    long_day.loc[rows[-1], "return"] = "23:00"  # the last day's drive back beyond daily_hours
    assert "day_too_long" in {f.rule for f in check_visits(scenario, long_day, slots).findings}


@pytest.mark.slow  # the Salla plan: over 3 s, shared by the four
def test_the_calendars_hold_the_trip_over_its_days(salla_plan):
    scenario, prepared, plan = salla_plan
    trips = plan.visits[plan.visits["trip_id"] != ""]
    first, last = trips.iloc[0], trips[trips["trip_id"] == trips["trip_id"].iloc[0]].iloc[-1]
    text = op.calendar_text(scenario, plan.visits, dt.datetime(2015, 1, 1, tzinfo=dt.UTC)).replace("\r\n ", "")
    event = text.split("overnight trip to")[0].rsplit("BEGIN:VEVENT", 1)[1]
    assert f"DTSTART:{first['date'].replace('-', '')}T" in event
    assert f"DTEND:{last['date'].replace('-', '')}T" in event
    files = official_calendars(scenario, plan.visits, Words("en"))
    mine = files["register-rovaniemi.ics"].replace("\r\n ", "")
    assert "Overnight trip" in mine
    assert f"DTEND:{last['date'].replace('-', '')}T" in mine


def test_beyond_day_reach_stays_where_no_overnight_trip_serves(tmp_path):
    """With overnight trips off ([outreach] max_nights = 0) Salla is beyond reach again, and says so."""
    scenario, _ = load_scenario(salla_copy(tmp_path, max_nights=0))
    prepared = op.prepare(scenario, 1)
    assert prepared.unreachable["salla", "maistraatti"].startswith("beyond_day_reach")
    assert not any(t.nights for t in prepared.problem.tours)


def test_per_diem_follows_the_tax_administrations_rule(default_scenario):
    assert per_diem(default_scenario, 5) == 0.0
    assert per_diem(default_scenario, 8) == 18.0  # over 6 h: partial
    assert per_diem(default_scenario, 11) == 39.0  # over 10 h: full
    assert per_diem(default_scenario, 26) == 39.0  # 2 h into the second day: nothing more
    assert per_diem(default_scenario, 27) == 39.0 + 18.0  # over 2 h: partial
    assert per_diem(default_scenario, 31.25) == 78.0  # over 6 h: full


def test_travel_cost_shows_the_overnight_option(tmp_path):
    folder = salla_copy(tmp_path)
    result = CliRunner().invoke(main, ["travel-cost", str(folder), "--official", "register-rovaniemi", "--point",
                                       "salla", "--type", "notary"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Overnight trip of 1 night instead: a day cannot hold the drive there and back and the service" in out
    assert "hotel              90.00 €" in out and "per diem           78.00 €" in out
    # 4 slots of 60 min: 2.2 h left on each of the two days after 5.05 h of driving.
    scenario, _ = load_scenario(folder)
    official = next(o for o in scenario.officials if o.official_id == "register-rovaniemi")
    cost = overnight_cost(scenario, official, "salla", 1, 4, 60)
    assert cost.total_eur == pytest.approx(708 * 0.45 + 10.1 * 39 + 4 * 39 + 90 + 78)
    assert f"total            {cost.total_eur:.2f} €" in out
    # Kemijärvi, ≈ 1.7 h away: a day trip fits 5 slots, two days 10 for less each, so it is shown, and said how
    # the plan uses it.
    kemijarvi = CliRunner().invoke(main, ["travel-cost", str(folder), "--official", "register-rovaniemi", "--point",
                                          "kemijarvi", "--type", "notary"])
    assert kemijarvi.exit_code == 0 and "instead: cheaper per appointment than the day trip" in kemijarvi.stdout
    assert "the plan offers overnight trips only to points no day trip reaches" in kemijarvi.stdout
    near = CliRunner().invoke(main, ["travel-cost", str(DEFAULT_DIR), "--official", "police-kemijarvi", "--point",
                                     "pelkosenniemi"])
    assert near.exit_code == 0 and "Overnight" not in near.stdout  # 45 km: the day trip is cheaper per appointment


def test_visits_without_overnight_trips_keep_their_columns():
    """A plan of day trips writes visits.csv as before (the golden files' bytes)."""
    frame = pd.DataFrame({"official_id": ["a"], "date": ["2015-01-02"], "hotel_eur": [None]})
    assert list(op.with_overnight_columns(frame[["official_id", "date"]]).columns) == ["official_id", "date"]
    filled = op.with_overnight_columns(frame)
    assert filled["trip_id"].iloc[0] == "" and filled["hotel_eur"].iloc[0] == 0.0 and filled["nights"].iloc[0] == 0


# --------------------------------------------------------------------------- the model's families, one tiny instance

def overnight_problem(working=(0, 1, 2, 3, 4), dates=None, arrivals=(6, 0, 0, 0, 0)):
    """One lawyer (39 €/h, 435 min days), Salla 303 min away: only a 1-night trip (car 318.60 €, salary 393.90 €,
    hotel 90 €, per diem 78 €); Mon–Fri by default; a customer's office trip 440 €."""
    days = dates or tuple(dt.date(2015, 1, 5) + dt.timedelta(days=i) for i in range(5))
    official = m.Official("register", "maistraatti", "Rovaniemi", 39.0, 0.5, 435, frozenset(working))
    trip = m.Tour(0, ("salla",), 708.0, 606, 318.60, 393.90, ((354.0, 303.0), (354.0, 303.0)), 1, (303, 303),
                  90.0, 78.0)
    return m.Problem(days=days, officials=(official,), tours=(trip,),
                     streams=(m.Stream("salla", "maistraatti", "notary", 60.0, arrivals, 440.0),),
                     open_minutes={("salla", d): 420 for d in range(len(days))},
                     opens={("salla", d): (540, 960) for d in range(len(days))}, day_start=480)


def solve_model(problem):
    built = m.build(problem, m.Weights())
    return m.extract(built, m.solve(built, m.SolveParams(work_limit=10, workers=1, seed=0)))


def test_the_model_takes_an_overnight_trip_over_consecutive_working_days():
    sol = solve_model(overnight_problem())
    assert sol.status == "OPTIMAL" and len(sol.trips) == 1
    (_, start, _), = sol.trips
    days = sorted(v.day for v in sol.visits)
    assert days == [start, start + 1] and all(v.trip_start == start for v in sol.visits)
    # Day 1: 435 − 303 = 132 min → 2 slots; day 2 the same: 4 of the 6 customers, 2 to the office.
    assert sum(sum(v.appointments.values()) for v in sol.visits) == 4
    named = sol.penalties
    assert any(k.startswith("hotel trip(") and v == 90.0 for k, v in named.items())
    assert any(k.startswith("per diem trip(") and v == 78.0 for k, v in named.items())
    assert sol.official_eur == pytest.approx(318.60 + 393.90 + 90 + 78 + 4 * 39.0)


def test_no_overnight_trip_over_a_weekend_an_absence_or_a_closed_first_afternoon():
    friday_monday = (dt.date(2015, 1, 9), dt.date(2015, 1, 12))  # working days, but not consecutive
    sol = solve_model(overnight_problem(working=(0, 1), dates=friday_monday, arrivals=(6, 0)))
    assert sol.trips == ()
    sol = solve_model(overnight_problem(working=(0, 2, 4)))  # away every other day: no two in a row
    assert sol.trips == ()
    late = overnight_problem()
    late = m.Problem(**{**late.__dict__, "opens": {key: (540, 780) for key in late.opens}})  # closes 13:00
    sol = solve_model(late)  # out at 08:00, there at 13:03: the first day cannot serve, so no trip
    assert sol.trips == ()
