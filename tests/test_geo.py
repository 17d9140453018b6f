"""Distances: the table first (both directions), great circle × detour otherwise."""

from __future__ import annotations

import pytest

from planner.base.geo import Geography, great_circle_km


def test_table_distance_is_used_both_ways(default_scenario):
    geo = Geography(default_scenario)
    there, back = geo.leg("kemijarvi-poliisi", "pelkosenniemi"), geo.leg("pelkosenniemi", "kemijarvi-poliisi")
    assert there == back
    assert there.km == 45 and not there.estimated


def test_missing_pair_is_estimated_from_coordinates(default_scenario):
    geo = Geography(default_scenario)
    leg = geo.leg("rovaniemi-kela", "pelkosenniemi")
    straight = great_circle_km(66.49897, 25.68867, 67.11083, 27.51056)
    assert leg.estimated
    assert leg.km == pytest.approx(straight * 1.3)
    assert leg.minutes == pytest.approx(leg.km / 70 * 60)


def test_great_circle_matches_a_known_distance():
    # Helsinki–Oulu is about 540 km as the crow flies.
    assert great_circle_km(60.16952, 24.93545, 65.01236, 25.46816) == pytest.approx(540, rel=0.03)


def test_unknown_place_is_named(default_scenario):
    with pytest.raises(KeyError, match="nowhere"):
        Geography(default_scenario).leg("nowhere", "mikkeli")
