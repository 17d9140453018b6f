"""The outreach map, drawn offline: Finland's outline and big lakes, routes, offices and points labelled.

The background is planner/data/finland_basemap.json (Natural Earth 1:50m land, lakes and
Finland's border; public domain; see planner/data/README.md). Coordinates are drawn in an
equirectangular projection with the aspect of the map's mean latitude, so distances look right
in Finland. Each official's trips have a colour of their own and go over the markers; labels
are kept inside the frame.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Polygon  # noqa: E402

from planner.outputs.i18n import Words  # noqa: E402
from planner.scenario.schemas import Scenario  # noqa: E402

LAND, FINLAND, WATER, LAKE, BORDER = "#eeeeea", "#fbfbf6", "#cfe2f3", "#cfe2f3", "#9a9a9a"
ROUTE_COLOURS = ("#c0392b", "#8e44ad", "#d35400", "#16a085", "#2c3e50", "#b7950b", "#1f618d", "#7b241c")


@lru_cache(maxsize=1)
def basemap() -> dict:
    return json.loads(resources.files("planner").joinpath("data/finland_basemap.json").read_text(encoding="utf-8"))


def _draw_polygons(axis: plt.Axes, polygons: list, face: str, edge: str, width: float, z: int) -> None:
    for rings in polygons:
        outer = rings[0]
        axis.add_patch(Polygon(np.asarray(outer), closed=True, facecolor=face, edgecolor=edge, linewidth=width,
                               zorder=z))
        for hole in rings[1:]:  # islands in lakes, lakes in land
            axis.add_patch(Polygon(np.asarray(hole), closed=True, facecolor=WATER if face != WATER else LAND,
                                   edgecolor="none", zorder=z))


def extent(lons: list[float], lats: list[float]) -> tuple[float, float, float, float]:
    """The frame: the places with a margin, at least a region's size, inside the basemap."""
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad_x, pad_y = max(1.2, (east - west) * 0.15), max(0.6, (north - south) * 0.1)
    west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y
    box = basemap()["bbox"]
    return max(west, box[0]), min(east, box[2]), max(south, box[1]), min(north, box[3])


def route_map(scenario: Scenario, visits: pd.DataFrame, words: Words, dpi: int = 110) -> bytes:
    """The map as PNG bytes (about 1000 px wide)."""
    import io

    data = basemap()
    lons = [p.longitude for p in scenario.points] + [o.longitude for o in scenario.offices]
    lats = [p.latitude for p in scenario.points] + [o.latitude for o in scenario.offices]
    west, east, south, north = extent(lons, lats)
    aspect = 1 / np.cos(np.radians((south + north) / 2))
    height = 9.0
    width = min(13.0, max(9.2, height * (east - west) / ((north - south) * aspect)))
    figure, axis = plt.subplots(figsize=(width, height))
    axis.set_facecolor(WATER)
    _draw_polygons(axis, data["land"], LAND, BORDER, 0.4, 1)
    _draw_polygons(axis, data["finland"], FINLAND, "#777777", 0.8, 2)
    _draw_polygons(axis, data["lakes"], LAKE, "#9fb8cf", 0.3, 3)

    officials = {o.official_id: o for o in scenario.officials}
    places = {p.point_id: (p.longitude, p.latitude) for p in scenario.points}
    places.update({o.office_id: (o.longitude, o.latitude) for o in scenario.offices})
    colours: dict[str, str] = {}
    if not visits.empty:
        for (official, _day), legs in visits.groupby(["official_id", "date"], sort=True):
            office = officials[official].home_office_id
            path = [places[office], *(places[p] for p in legs.sort_values("stop_order")["point_id"]), places[office]]
            colour = colours.setdefault(official, ROUTE_COLOURS[len(colours) % len(ROUTE_COLOURS)])
            axis.plot([x for x, _ in path], [y for _, y in path], color=colour, linewidth=3.2, alpha=0.85,
                      solid_capstyle="round", zorder=7)
    for official, colour in colours.items():
        axis.plot([], [], color=colour, linewidth=3, label=words("trip", official=words.person(official)))

    used_offices = {officials[o].home_office_id for o in colours} | {o.home_office_id for o in scenario.officials}
    offices = [o for o in scenario.offices if o.office_id in used_offices]
    axis.scatter([o.longitude for o in offices], [o.latitude for o in offices], marker="s", s=46, color="#1f4e79",
                 edgecolor="white", linewidth=0.8, label=words("office"), zorder=8)
    axis.scatter([p.longitude for p in scenario.points], [p.latitude for p in scenario.points], marker="o", s=90,
                 color="#2e8b57", edgecolor="white", linewidth=1.2, label=words("point"), zorder=9)
    _labels(axis, scenario, offices, words, (west, east, south, north))
    axis.set_xlim(west, east)
    axis.set_ylim(south, north)
    axis.set_aspect(aspect)
    axis.set_xticks([])
    axis.set_yticks([])
    axis.set_title(words("map_title"), fontsize=12)
    axis.legend(fontsize=8, loc="upper left", framealpha=0.92)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _labels(axis: plt.Axes, scenario: Scenario, offices: list, words: Words, frame: tuple) -> None:
    """Point names in bold, office names small; every label turned inwards near the frame's right edge."""
    west, east, _south, _north = frame
    seen: dict[tuple[float, float], int] = {}

    def place(lon: float, lat: float, text: str, size: float, weight: str) -> None:
        key = (round(lon, 2), round(lat, 2))
        shift = seen.get(key, 0)
        seen[key] = shift + 1
        right = lon > west + 0.72 * (east - west)
        axis.annotate(text, (lon, lat), xytext=(-7 if right else 7, 6 - 11 * shift), textcoords="offset points",
                      ha="right" if right else "left", fontsize=size, fontweight=weight, zorder=10,
                      bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
                      annotation_clip=True)

    for point in scenario.points:
        place(point.longitude, point.latitude, point.name, 9, "bold")
    for office in offices:
        place(office.longitude, office.latitude, office.name, 7, "normal")
