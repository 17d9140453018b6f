"""Remote video as a channel the outreach plan chooses (issue #15 item 4).

Model instances (models/outreach.py) are test_outreach_model.py's base: one official, one tour to `p`
(54.80 € a trip), 20-minute slots that lose 10.00 € of productivity each at a visit, an office trip of
30 € a customer; here a video customer costs the residents 6 € and the officials nothing beyond the office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from models import outreach as m
from planner.base.budget import with_work_limit
from planner.checks.visits import check_video
from planner.outreach import plan as outreach
from planner.scenario.schemas import VideoHoursRow
from tests.test_outreach_model import TRIP, official, problem

VIDEO = (m.add_one_trip_a_day, m.add_visit_capacity, m.add_customer_flow, m.add_day_length, m.add_video)


def video_problem(arrivals=(3, 0), cap=None, video_eur=6.0, limits=(), **changes):
    base = problem(arrivals=arrivals, **changes)
    stream = replace(base.streams[0], video_cap=tuple(arrivals if cap is None else cap), video_eur=video_eur)
    return replace(base, streams=(stream,), video_limits=tuple(limits))


def solve(prob):
    built = m.build(prob, m.Weights(), hard=VIDEO)
    return m.extract(built, m.solve(built, m.SolveParams(work_limit=10, workers=1, seed=0)))


def test_video_is_chosen_where_cheaper_than_a_visit_and_the_office():
    sol = solve(video_problem())
    assert sol.status == "OPTIMAL" and sol.trips == ()
    assert sol.outcomes[0].video == 3 and sol.objective == pytest.approx(3 * 6.0)
    assert sol.penalties == {"video(point=p, provider=poliisi, type=permit, day=2015-01-05)": 18.0}


def test_no_video_when_dearer_than_the_office():
    sol = solve(video_problem(arrivals=(1, 0), video_eur=40.0))
    assert sol.outcomes[0].video == 0 and sol.objective == pytest.approx(30.0)


def test_no_video_hours_no_video():
    """A limit of 0 minutes: the three customers are visited as without video."""
    sol = solve(video_problem(limits=[m.VideoLimit("poliisi", "", (0, 1), 0, "2015-W02")]))
    assert sol.outcomes[0].video == 0 and sol.objective == pytest.approx(TRIP + 3 * 10.0)


def test_remote_share_caps_video():
    """Only 2 of 3 can use video: the third goes to the office (one customer does not pay a trip)."""
    sol = solve(video_problem(cap=(2, 0)))
    assert (sol.outcomes[0].video, sol.outcomes[0].to_office) == (2, 1)
    assert sol.objective == pytest.approx(2 * 6.0 + 30.0)


def test_pooled_video_hours_are_a_capacity():
    """45 min of video in the week: two 20-minute sessions; the third customer to the office."""
    sol = solve(video_problem(limits=[m.VideoLimit("poliisi", "", (0, 1), 45, "2015-W02")]))
    assert sol.outcomes[0].video == 2 and sol.objective == pytest.approx(2 * 6.0 + 30.0)


def test_an_officials_video_counts_against_their_hours_and_day():
    """Their own 100 min of video hours: 5 sessions of 20; a 60-minute day holds 3 of them."""
    limit = m.VideoLimit("poliisi", "police", (0, 1), 100, "2015-W02")
    assert solve(video_problem(arrivals=(9, 0), limits=[limit])).outcomes[0].video == 5
    short = video_problem(arrivals=(9, 0), limits=[limit], officials=(official(minutes=60),))
    sol = solve(short)
    assert sol.outcomes[0].video == 3 and sol.video_minutes == {"police": 60}


def test_the_lp_bound_stays_below_the_plan_with_video():
    prob = video_problem(arrivals=(9, 4), cap=(5, 2), limits=[m.VideoLimit("poliisi", "", (0, 1), 80, "2015-W02")])
    built = m.build(prob, m.Weights())
    result = m.solve(built, m.SolveParams(work_limit=10, workers=1, seed=0))
    assert m.lp_bound(built) <= result.objective + 1e-6


def test_video_limits_keep_a_providers_streams_in_one_part():
    """A pooled limit couples the provider's streams: model.split must not solve them apart (each with all hours)."""
    base = video_problem(limits=[m.VideoLimit("poliisi", "", (0, 1), 40, "2015-W02")])
    other = replace(base.streams[0], point="q")  # no tour reaches q: alone it would be its own part
    parts = m.split(replace(base, streams=(*base.streams, other), open_minutes={**base.open_minutes, ("q", 0): 480}))
    assert len(parts) == 1 and len(parts[0].video_limits) == 1


# --------------------------------------------------------------------------- the plan on the pilots


@pytest.fixture(scope="module")
def law_scenario(default_scenario):
    """The pilots with a remote_share on the law's presence types (presence_required left empty: the law's list
    decides), on a small work budget."""
    rows = [r.model_copy(update={"remote_share": 0.5, "presence_required": None})
            if r.appointment_type in ("wedding", "notarisation", "psychologist") else r
            for r in default_scenario.appointment_types]
    return with_work_limit(default_scenario.model_copy(update={"appointment_types": tuple(rows)}), 1)


@pytest.fixture(scope="module")
def month(law_scenario):
    return outreach.prepare(law_scenario, months=1)


def test_remote_share_is_a_cap_not_a_take(month):
    """The stream keeps every face-to-face customer; remote_share (0.6 for guardianship) bounds who can use video."""
    stream = next(s for s in month.problem.streams
                  if (s.point, s.provider, s.appointment_type) == ("saarijarvi", "maistraatti", "guardianship"))
    assert sum(stream.arrivals) == round(month.demand["saarijarvi", "maistraatti", "guardianship"])
    assert sum(stream.video_cap) == round(sum(stream.arrivals) * 0.6)


def test_video_is_never_offered_for_a_presence_only_matter(month):
    """Passports and permits, weddings, notarisations, the psychologist's tests: no video, whatever remote_share."""
    video = {(s.provider, s.appointment_type) for s in month.problem.streams if s.video_cap}
    assert video == {("maistraatti", "guardianship")}


def test_the_pilots_month_never_chooses_video_for_presence_and_says_why(law_scenario):
    """The register office and TE (the providers with video) plan a month: presence matters are never by video."""
    month = outreach.prepare(law_scenario, months=1, providers=frozenset({"maistraatti", "te"}))
    plan = outreach.run(month)
    law = plan.access[plan.access["appointment_type"].isin(["wedding", "notarisation", "psychologist"])]
    assert len(law) and (law["by_remote_service"] == 0).all()
    assert not check_video(law_scenario, plan.access, {}, month.start, month.end).findings
    video = plan.access[plan.access["by_remote_service"] > 0]
    only = video[(video["at_office"] == 0) & (video["unmet"] == 0)]
    assert len(only) and only["reason"].str.startswith("video_chosen: ").all()


def test_video_hours_file_limits_the_plan(default_scenario):
    """video_hours.csv: 0 hours a month for the register office: no video customer anywhere."""
    rows = (VideoHoursRow(provider_id="maistraatti", hours=0, per="month"),)
    scenario = with_work_limit(default_scenario.model_copy(update={"video_hours": rows}), 1)
    prepared = outreach.prepare(scenario, months=1, providers=frozenset({"maistraatti"}))
    assert {limit.minutes for limit in prepared.problem.video_limits} == {0}
    assert any(s.video_cap for s in prepared.problem.streams)
    plan = outreach.run(prepared)
    assert plan.access["by_remote_service"].sum() == 0
    # Who would have used video but went to the office says so: the video hours were used up.
    wanted = {(s.point, s.appointment_type) for s in prepared.problem.streams if s.video_cap and s.office_eur > 6}
    rows = plan.access[[(r.point_id, r.appointment_type) in wanted and r.at_office > 0
                        for r in plan.access.itertuples()]]
    assert len(rows) and rows["reason"].str.startswith("capacity: ").all()


# --------------------------------------------------------------------------- the checker


def access_row(kind="wedding", video=1.0, demand=4.0, provider="maistraatti"):
    return pd.DataFrame([{"point_id": "kiiminki", "provider_id": provider, "appointment_type": kind,
                          "face_to_face_demand": demand, "by_remote_service": video}])


@pytest.mark.parametrize(("row", "rule"), [
    (dict(kind="wedding"), "video_presence_required"),
    (dict(kind="permit", provider="poliisi"), "video_presence_required"),
    (dict(kind="tax", provider="vero"), "video_not_offered"),
    (dict(kind="guardianship", video=4.0, demand=4.0), "video_over_share"),
])
def test_the_checker_rejects_video_the_law_or_the_inputs_forbid(default_scenario, row, rule):
    start = dt.date(2015, 1, 1)
    found = check_video(default_scenario, access_row(**row), {}, start, start + dt.timedelta(days=30))
    assert rule in {f.rule for f in found.findings}


def test_the_checker_rejects_video_beyond_the_hours(default_scenario):
    scenario = default_scenario.model_copy(update={"video_hours": (
        VideoHoursRow(provider_id="maistraatti", hours=1, per="month"),)})
    start, end = dt.date(2015, 1, 1), dt.date(2015, 1, 31)
    slots = {("maistraatti", "guardianship"): 60.0}
    assert not check_video(scenario, access_row("guardianship", 1.0, 10.0), slots, start, end).findings
    found = check_video(scenario, access_row("guardianship", 2.0, 10.0), slots, start, end).findings
    assert [f.rule for f in found] == ["video_over_hours"]



def test_areas_share_the_pooled_hours_and_never_exceed_them(default_scenario):
    """Planned in areas (national scenarios), a pooled row is split by the area's share of the provider's officials;
    an official's own hours stay in their area, and an area without such an official gets none."""
    from planner.outreach.areas import area_video_hours

    scenario = default_scenario.model_copy(update={"video_hours": (
        VideoHoursRow(provider_id="maistraatti", hours=8, per="week"),
        VideoHoursRow(provider_id="te", official_id="te-aanekoski", hours=4, per="week"))})
    oulu = area_video_hours(scenario, {"register-oulu"}, frozenset({"maistraatti"}))
    assert [(r.provider_id, r.official_id, r.hours) for r in oulu] == [("maistraatti", "", 2.0)]
    assert [r.hours for r in area_video_hours(scenario, {"te-aanekoski"}, frozenset({"te"}))] == [4]
    assert [r.hours for r in area_video_hours(scenario, set(), frozenset({"te"}))] == [0]
