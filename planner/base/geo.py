"""Distances and driving times between places: the scenario's table first, coordinates as fallback.

Where a pair is missing from distances.csv, road km = great-circle km × the scenario's
detour factor (default 1.3; domain.md gives 1.25–1.3 for Finnish roads) and driving time =
road km ÷ the scenario's average speed (default 70 km/h). Such legs are flagged `estimated`
so that every output can say which figures came from the table and which were estimated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.scenario.schemas import Scenario

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Leg:
    km: float
    minutes: float
    estimated: bool


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of the mean Earth radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Geography:
    """Looks up legs between point and office ids of one scenario."""

    def __init__(self, scenario: Scenario):
        self.detour = scenario.config.travel.detour_factor
        self.speed = scenario.config.travel.speed_kmh
        self.coordinates = {p.point_id: (p.latitude, p.longitude) for p in scenario.points}
        self.coordinates.update({o.office_id: (o.latitude, o.longitude) for o in scenario.offices})
        self.table: dict[tuple[str, str], Leg] = {}
        for row in scenario.distances:
            leg = Leg(row.km, row.minutes, estimated=False)
            self.table[(row.from_id, row.to_id)] = leg
            self.table.setdefault((row.to_id, row.from_id), leg)

    def leg(self, origin: str, destination: str) -> Leg:
        if origin == destination:
            return Leg(0.0, 0.0, estimated=False)
        if (origin, destination) in self.table:
            return self.table[(origin, destination)]
        try:
            lat1, lon1 = self.coordinates[origin]
            lat2, lon2 = self.coordinates[destination]
        except KeyError as exc:
            raise KeyError(f"unknown place {exc.args[0]!r}; expected a point_id or office_id") from None
        km = great_circle_km(lat1, lon1, lat2, lon2) * self.detour
        return Leg(km, km / self.speed * 60.0, estimated=True)
