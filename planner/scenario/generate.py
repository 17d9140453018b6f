"""A national scenario from the Finnish places list: a benchmark input and a starting point to edit.

Deterministic from a seed. Rules (all documented in inputs/README.md):

- points: places of at least `min_population` residents, largest first, skipping a place
  within `spacing_km` of one already chosen (so a city's districts make one town); a town
  of more than 60 000 residents gets one point per 60 000 (a counter serves a district);
- provider offices: one per state provider in each region's largest chosen place;
- officials: police permit clerks, register-office lawyers and TE experts at each region's centre,
  one of each per POINTS_PER_OFFICIAL points of the region (at least one);
  a point that no regional centre reaches in a day trip gets a local police office and clerk;
- demand: the template's counter volume per resident and provider (baseline plus closure
  transfers), × population × a lognormal factor (σ 0.2) for local variation; seasonality
  and trends are the template's;
- opening hours by size: ≥ 20 000 residents Mon–Fri 8–16, ≥ 5 000 9–16, otherwise 9–15;
- advisors: enough FTE to keep the point open (weekly open hours ÷ weekly hours) or to do its
  counter work at 60 % utilisation, whichever is more; at least the scenario's named persons.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base import io
from planner.base.geo import great_circle_km
from planner.scenario.schemas import MONTHS, Scenario

STATE_PROVIDERS = ("kela", "vero", "poliisi", "te", "maistraatti")
OUTREACH_ROLES = {  # provider → (official's role, hourly cost €/h, field efficiency): domain.md
    "poliisi": ("Police permit clerk", 30.0, 0.5),
    "maistraatti": ("Register-office lawyer", 39.0, 0.5),
    "te": ("TE vocational psychologist", 34.0, 0.5),
}
ATTRIBUTION = "GeoNames, geonames.org, CC BY 4.0"
POINTS_PER_OFFICIAL = 12  # a region's officials of one provider: one per this many of its points (~100 nationally)


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    population: int
    region: str


def load_places(path: Path | None = None) -> list[Place]:
    """The bundled GeoNames extract, or another file of the same shape."""
    if path is None:
        text = resources.files("planner").joinpath("data/fi_places_geonames.json").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return [Place(p["name"], float(p["latitude"]), float(p["longitude"]), int(p["population"]), str(p["admin1code"]))
            for p in json.loads(text)]


def slug(name: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "a", "Ö": "o", "Å": "a", " ": "-", "'": ""})
    text = name.translate(table).lower()
    return "".join(ch for ch in text if ch.isalnum() or ch in "-_").strip("-") or "place"


def choose_points(places: list[Place], min_population: int, spacing_km: float, max_points: int | None,
                  max_residents: int = 60000) -> list[Place]:
    """Towns far enough apart; a city gets one point per `max_residents` (a counter serves a district)."""
    towns: list[Place] = []
    for place in sorted(places, key=lambda p: (-p.population, p.name)):
        if place.population < min_population:
            break
        if all(great_circle_km(place.latitude, place.longitude, c.latitude, c.longitude) >= spacing_km
               for c in towns):
            towns.append(place)
    chosen: list[Place] = []
    for town in towns:
        parts = max(1, math.ceil(town.population / max_residents))
        for _ in range(parts):
            chosen.append(Place(town.name, town.latitude, town.longitude, town.population // parts, town.region))
    return chosen[:max_points] if max_points is not None else chosen


def per_resident_rates(template: Scenario) -> dict[str, float]:
    """Counter transactions a month per resident, per provider, over the template's points."""
    population = sum(p.population for p in template.points)
    volume = {q.provider_id: 0.0 for q in template.providers}
    for row in template.baseline_demand:
        volume[row.provider_id] += row.monthly_volume
    for closure in template.closures:
        volume[template.office(closure.office_id).provider_id] += closure.monthly_visits * closure.share_to_point
    return {q: v / population for q, v in volume.items()}


def day_trip_fits(template: Scenario, a: Place, b: Place, daily_hours: float, slot_minutes: float = 20.0) -> bool:
    """Whether an official can drive from a to b, hold one appointment and drive back in a working day."""
    travel = template.config.travel
    km = great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude) * travel.detour_factor
    return 2 * km / travel.speed_kmh * 60 + slot_minutes <= daily_hours * 60


def remote_police_offices(template: Scenario, chosen: list[Place], ids: dict[int, str], centres: list[Place],
                          official_rows: list[dict]) -> list[dict]:
    """A police office with a permit clerk at each point no regional centre reaches in a day trip.

    Northern Lapland (Inari, Ivalo) is too far from Rovaniemi for any outreach day; as in reality,
    the police keep a permit service there, so every point's demand can be planned for.
    """
    role, cost, efficiency = OUTREACH_ROLES["poliisi"]
    offices = []
    for index, place in enumerate(chosen):
        if any(day_trip_fits(template, centre, place, 7.25) for centre in centres):
            continue
        office_id = f"{ids[index]}-poliisi-local"
        offices.append({"office_id": office_id, "name": f"poliisi {place.name}", "provider_id": "poliisi",
                        "municipality": place.name, "latitude": place.latitude, "longitude": place.longitude,
                        "comment": "Generated: local police service where no regional centre is a day trip away"})
        official_rows.append({"official_id": f"{office_id}-1", "name": f"{role} ({place.name})", "provider_id": "poliisi",
                              "home_office_id": office_id, "hourly_cost_eur": cost, "field_efficiency": efficiency,
                              "working_weekdays": "mon|tue|wed|thu|fri", "daily_hours": 7.25,
                              "comment": "Generated: domain.md hourly cost"})
    return offices


def national_tables(template: Scenario, places: list[Place], *, min_population: int = 2000,
                    spacing_km: float = 15.0, max_points: int | None = None, seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    chosen = choose_points(places, min_population, spacing_km, max_points)
    ids: dict[int, str] = {}  # same-named places (two Pyhäjärvis, a city's districts) get -2, -3 …
    for index, place in enumerate(chosen):
        base, n = slug(place.name), 2
        pid = base
        while pid in ids.values():
            pid, n = f"{base}-{n}", n + 1
        ids[index] = pid
    rates = per_resident_rates(template)
    handling = {q.provider_id: q.handling_minutes for q in template.providers}
    workforce = template.config.workforce

    points = pd.DataFrame([{
        "point_id": ids[i], "name": p.name, "municipality": p.name, "latitude": p.latitude,
        "longitude": p.longitude, "population": p.population, "comment": f"Generated; place from {ATTRIBUTION}",
    } for i, p in enumerate(chosen)])
    hours_rows, demand_rows, work_rows, advisor_rows = [], [], [], []
    for index, place in enumerate(chosen):
        pid = ids[index]
        opens, closes = ("08:00", "16:00") if place.population >= 20000 else (
            ("09:00", "16:00") if place.population >= 5000 else ("09:00", "15:00"))
        hours_rows += [{"point_id": pid, "weekday": d, "opens": opens, "closes": closes}
                       for d in ("mon", "tue", "wed", "thu", "fri")]
        open_hours_week = 5 * (int(closes[:2]) - int(opens[:2]))
        workload_month = 0.0
        for provider, rate in rates.items():
            volume = round(rate * place.population * float(rng.lognormal(0.0, 0.2)), 1)
            workload_month += volume * handling[provider] / 60
            demand_rows.append({"point_id": pid, "provider_id": provider, "monthly_volume": volume,
                                "comment": "Generated: template rate per resident × population"})
        work_rows.append({"point_id": pid, "task": "mail and phone service",
                          "hours_per_week": round(0.1 * open_hours_week, 1), "comment": "Generated: 10 % of open hours"})
        fte = max(open_hours_week / workforce.weekly_hours,
                  workload_month / 0.6 / (workforce.weekly_hours * 52 / 12))
        persons = max(workforce.min_named_persons, math.ceil(fte))
        share = max(0.2, round(fte / persons, 1))
        for n in range(persons):
            advisor_rows.append({"advisor_id": f"{pid}-{n + 1}", "name": f"Advisor {n + 1} ({place.name})",
                                 "point_id": pid, "fte": share, "skills": "|".join(rates), "role": "advisor",
                                 "other_points": ""})
    regions: dict[str, int] = {}  # region → index of its largest point
    for index, place in enumerate(chosen):
        if place.region not in regions or place.population > chosen[regions[place.region]].population:
            regions[place.region] = index
    office_rows, official_rows = [], []
    for region, index in sorted(regions.items()):
        centre = chosen[index]
        for provider in STATE_PROVIDERS:
            office_id = f"{ids[index]}-{provider}"
            office_rows.append({"office_id": office_id, "name": f"{provider} {centre.name}", "provider_id": provider,
                                "municipality": centre.name, "latitude": centre.latitude,
                                "longitude": centre.longitude, "comment": f"Generated: regional centre of region {region}"})
            if provider in OUTREACH_ROLES:
                role, cost, efficiency = OUTREACH_ROLES[provider]
                staff = max(1, math.ceil(sum(p.region == region for p in chosen) / POINTS_PER_OFFICIAL))
                for n in range(1, staff + 1):
                    official_rows.append({"official_id": f"{office_id}-{n}", "name": f"{role} {n} ({centre.name})",
                                          "provider_id": provider, "home_office_id": office_id,
                                          "hourly_cost_eur": cost, "field_efficiency": efficiency,
                                          "working_weekdays": "mon|tue|wed|thu|fri", "daily_hours": 7.25,
                                          "comment": "Generated: domain.md hourly cost; one per "
                                                     f"{POINTS_PER_OFFICIAL} points of the region"})
    office_rows += remote_police_offices(template, chosen, ids, [chosen[i] for i in regions.values()], official_rows)
    providers = pd.DataFrame([q.model_dump() for q in template.providers])
    seasonality = pd.DataFrame([{**{"provider_id": s.provider_id}, **dict(zip(MONTHS, s.factors(), strict=True)),
                                 "comment": s.comment} for s in template.seasonality])
    return {
        "points.csv": points, "opening_hours.csv": pd.DataFrame(hours_rows), "providers.csv": providers,
        "seasonality.csv": seasonality, "baseline_demand.csv": pd.DataFrame(demand_rows),
        "municipal_work.csv": pd.DataFrame(work_rows), "advisors.csv": pd.DataFrame(advisor_rows),
        "offices.csv": pd.DataFrame(office_rows), "officials.csv": pd.DataFrame(official_rows),
    }


def scenario_toml(template_dir: Path, name: str, description: str) -> str:
    """The template's settings with a new name; everything else stays as the planner set it."""
    lines = (template_dir / "scenario.toml").read_text(encoding="utf-8").splitlines()
    out = [f"# Generated by `planner generate national` from {template_dir.name}; places: {ATTRIBUTION}."]
    for line in lines:
        if line.startswith("name = "):
            line = f'name = "{name}"'
        elif line.startswith("description = "):
            line = f'description = "{description}"'
        out.append(line)
    return "\n".join(out) + "\n"


def write_national(template: Scenario, template_dir: Path, output: Path, **options: object) -> list[Path]:
    tables = national_tables(template, load_places(options.pop("places", None)), **options)  # type: ignore[arg-type]
    points = len(tables["points.csv"])
    paths = [io.write_csv(frame, output / name) for name, frame in tables.items()]
    description = f"{points} generated points from GeoNames places (seed {options.get('seed', 0)})"
    paths.append(io.write_text(scenario_toml(template_dir, output.name or "national", description),
                               output / "scenario.toml"))
    return paths
