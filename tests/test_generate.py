"""The national scenario generator writes valid, deterministic scenarios."""

from __future__ import annotations

from click.testing import CliRunner

from planner.base.decompose import point_groups, restrict_to_points
from planner.cli import main
from planner.scenario.generate import choose_points, load_places
from planner.scenario.loading import load_scenario


def generate(tmp_path, name, *args):
    out = tmp_path / name
    result = CliRunner().invoke(main, ["generate", "national", "-o", str(out), "--max-points", "12", *args])
    assert result.exit_code == 0, result.output
    return out


def test_generated_scenario_is_valid_and_deterministic(tmp_path):
    first, second = generate(tmp_path, "a"), generate(tmp_path, "b")
    scenario, _ = load_scenario(first)
    assert len(scenario.points) == 12
    assert {o.provider_id for o in scenario.offices} == {"kela", "vero", "poliisi", "te", "maistraatti"}
    for name in ("points.csv", "baseline_demand.csv", "advisors.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert "GeoNames" in (first / "scenario.toml").read_text(encoding="utf-8")
    other = generate(tmp_path, "c", "--seed", "7")
    assert (other / "baseline_demand.csv").read_bytes() != (first / "baseline_demand.csv").read_bytes()


def test_every_point_has_two_named_persons_and_cities_are_split():
    places = load_places()
    points = choose_points(places, 5000, 15.0, None)
    helsinki = [p for p in points if p.name == "Helsinki"]
    assert len(helsinki) == 11 and all(p.population <= 60000 for p in helsinki)
    assert sum(p.population for p in helsinki) <= 658864


def test_points_close_to_a_bigger_one_are_skipped():
    places = load_places()
    points = choose_points(places, 5000, 15.0, None)
    names = {p.name for p in points}
    # East Helsinki (a district, 170 000 residents) lies within 15 km of Helsinki's centre.
    assert "Espoo" in names and "East Helsinki" not in names


def test_restrict_keeps_only_the_points_rows(default_scenario):
    piece = restrict_to_points(default_scenario, {"saarijarvi"})
    assert [p.point_id for p in piece.points] == ["saarijarvi"]
    assert {a.advisor_id for a in piece.advisors} == {"heikki", "marja"}
    assert {a.advisor_id for a in piece.absences} <= {"heikki", "marja"}
    assert all(b.point_id == "saarijarvi" for b in piece.baseline_demand)
    assert point_groups(default_scenario) == [{p.point_id} for p in sorted(default_scenario.points, key=lambda p: p.point_id)]


def test_a_point_no_regional_centre_reaches_in_a_day_gets_a_local_police_clerk(default_scenario):
    from planner.scenario.generate import Place, day_trip_fits, remote_police_offices

    rovaniemi = Place("Rovaniemi", 66.5, 25.72, 63000, "Lapland")
    kemijarvi = Place("Kemijärvi", 66.71, 27.43, 7500, "Lapland")
    inari = Place("Inari", 68.91, 27.03, 7000, "Lapland")
    assert day_trip_fits(default_scenario, rovaniemi, kemijarvi, 7.25)
    assert not day_trip_fits(default_scenario, rovaniemi, inari, 7.25)  # ~290 km each way, ×1.3 detour
    officials: list[dict] = []
    offices = remote_police_offices(default_scenario, [rovaniemi, kemijarvi, inari],
                                    {0: "rovaniemi", 1: "kemijarvi", 2: "inari"}, [rovaniemi], officials)
    assert [o["office_id"] for o in offices] == ["inari-poliisi-local"]
    assert [(o["provider_id"], o["home_office_id"]) for o in officials] == [("poliisi", "inari-poliisi-local")]


def test_default_national_scenario_has_about_300_points_and_100_officials():
    """Issue #15: ~300 points and ~100 officials (each provider's officials per region, scaled by its points)."""
    from planner.scenario.generate import national_tables
    from planner.scenario.loading import load_scenario as load
    from tests.conftest import DEFAULT_DIR

    template, _ = load(DEFAULT_DIR)
    tables = national_tables(template, load_places())
    officials = tables["officials.csv"]
    assert 280 <= len(tables["points.csv"]) <= 320
    assert 90 <= len(officials) <= 120
    per_region = officials.groupby(["home_office_id"]).size()
    assert per_region.max() > 1  # a large region has more than one official of a provider
