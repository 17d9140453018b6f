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


def route_map(scenario: Scenario, visits: pd.DataFrame, words: Words, dpi: int = 140) -> bytes:
    """The map as PNG bytes (about 1000 px wide)."""
    import io

    data = basemap()
    lons = [p.longitude for p in scenario.points] + [o.longitude for o in scenario.offices]
    lats = [p.latitude for p in scenario.points] + [o.latitude for o in scenario.offices]
    west, east, south, north = extent(lons, lats)
    aspect = 1 / np.cos(np.radians((south + north) / 2))
    # At least as wide as tall on the page: a tall region (all of Finland) gets its neighbours beside it.
    missing = (north - south) * aspect * 1.05 - (east - west)
    if missing > 0:
        box = data["bbox"]
        west, east = max(box[0], west - missing / 2), min(box[2], east + missing / 2)
    height = 9.5
    width = max(9.5, min(14.0, height * (east - west) / ((north - south) * aspect)))
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
    axis.set_xlim(west, east)
    axis.set_ylim(south, north)
    axis.set_aspect(aspect)
    axis.apply_aspect()
    _labels(axis, scenario, offices, words, (west, east, south, north))
    axis.set_xticks([])
    axis.set_yticks([])
    axis.set_title(words("map_title"), fontsize=12)
    axis.legend(fontsize=8, loc="lower right", framealpha=0.92)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _labels(axis: plt.Axes, scenario: Scenario, offices: list, words: Words, frame: tuple) -> None:
    """Point names in bold first, then office names; each label takes the first nearby spot that overlaps no
    other label and stays inside the frame (greedy placement on the drawn text's extent)."""
    figure = axis.figure
    renderer = figure.canvas.get_renderer()
    frame_box = axis.get_window_extent(renderer)
    from matplotlib.transforms import Bbox

    placed: list = []
    for lon, lat in [(p.longitude, p.latitude) for p in scenario.points] + [(o.longitude, o.latitude) for o in offices]:
        x, y = axis.transData.transform((lon, lat))
        placed.append(Bbox([[x - 6, y - 6], [x + 6, y + 6]]))
    candidates = [(8, 5, "left", "bottom"), (8, -5, "left", "top"), (-8, 5, "right", "bottom"),
                  (-8, -5, "right", "top"), (0, 10, "center", "bottom"), (0, -10, "center", "top"),
                  (8, 18, "left", "bottom"), (8, -18, "left", "top"), (-8, 18, "right", "bottom"),
                  (-8, -18, "right", "top"), (8, 31, "left", "bottom"), (8, -31, "left", "top")]

    def place(lon: float, lat: float, text: str, size: float, weight: str) -> None:
        label = None
        for dx, dy, ha, va in candidates:
            label = axis.annotate(text, (lon, lat), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                                  fontsize=size, fontweight=weight, zorder=10,
                                  bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
            box = label.get_window_extent(renderer).expanded(1.02, 1.08)
            inside = (box.x0 >= frame_box.x0 and box.x1 <= frame_box.x1 and box.y0 >= frame_box.y0
                      and box.y1 <= frame_box.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                return
            label.remove()
        label = axis.annotate(text, (lon, lat), xytext=candidates[0][:2], textcoords="offset points", fontsize=size,
                              fontweight=weight, zorder=10, annotation_clip=True)
        placed.append(label.get_window_extent(renderer))

    for point in scenario.points:
        place(point.longitude, point.latitude, point.name, 9.5, "bold")
    for office in offices:
        place(office.longitude, office.latitude, office.name, 7.5, "normal")
