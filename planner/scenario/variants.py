"""The what-if list of `planner sweep --variants FILE`: read, checked against the base, applied.

One CSV row is one change; rows with the same `variant` make one what-if together. A change
is a closure of a provider office (a closures.csv row), a visit frequency for a provider at
a point (a visit_patterns.csv row), or a whole variant folder (inputs/variants/: a folder
with variant.toml `base = …` and the files it changes) that the other rows then change further.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from planner.base import io
from planner.base.errors import Problem, ScenarioError
from planner.scenario.loading import load_scenario, parse_table
from planner.scenario.schemas import ClosureRow, Identifier, Row, Scenario, Share, VisitPatternRow

REQUIRED = {"close_office": ("office_id", "point_id", "monthly_visits", "share_to_point"),
            "visit_every": ("point_id", "provider_id", "max_days_between"),
            "folder": ("folder",)}


class VariantRow(Row):
    variant: Identifier = Field(description="Name of the what-if; rows with the same name are applied together.")
    change: Literal["close_office", "visit_every", "folder"] = Field(
        description="close_office: a provider office closes to customers (as a closures.csv row); visit_every: the "
                    "provider's officials visit the point at least every N days (as a visit_patterns.csv row); "
                    "folder: start from a variant folder instead of the base.")
    office_id: Identifier | None = Field(default=None, description="close_office: the office (offices.csv).")
    point_id: Identifier | None = Field(
        default=None, description="close_office: the point that receives a share of its customers; visit_every: the "
                                  "point visited (points.csv).")
    provider_id: Identifier | None = Field(default=None, description="visit_every: the provider (providers.csv).")
    date: dt.date | None = Field(default=None, description="close_office: first day closed, YYYY-MM-DD "
                                                           "(default: the horizon start).")
    monthly_visits: float | None = Field(default=None, ge=0, description="close_office: office visits a month "
                                                                         "displaced, before seasonality.")
    share_to_point: Share | None = Field(default=None, description="close_office: share of them that come to the "
                                                                   "point (0..1).")
    max_days_between: int | None = Field(default=None, ge=1, le=366,
                                         description="visit_every: longest run of calendar days without a visit.")
    folder: str | None = Field(default=None, description="folder: a scenario or variant folder, relative to this "
                                                         "file.")
    comment: str = Field(default="", description="Free text.")


@dataclass(frozen=True)
class Variant:
    name: str
    closures: tuple[ClosureRow, ...] = ()
    patterns: tuple[VisitPatternRow, ...] = ()
    start: Scenario | None = None  # a folder's scenario; None = the base

    def apply(self, base: Scenario) -> Scenario:
        scenario = self.start or base
        replaced = {(p.point_id, p.provider_id) for p in self.patterns}
        return scenario.model_copy(update={
            "closures": scenario.closures + self.closures,
            "visit_patterns": tuple(p for p in scenario.visit_patterns if (p.point_id, p.provider_id) not in replaced)
            + self.patterns})


def _references(file: str, number: int, row: VariantRow, scenario: Scenario) -> list[Problem]:
    known = {"office_id": {o.office_id for o in scenario.offices}, "point_id": {p.point_id for p in scenario.points},
             "provider_id": {p.provider_id for p in scenario.providers}}
    sources = {"office_id": "offices.csv", "point_id": "points.csv", "provider_id": "providers.csv"}
    return [Problem(file, f"unknown {column[:-3]} {getattr(row, column)!r}; expected an {column} of the "
                    f"scenario's {sources[column]}", row=number, column=column)
            for column in REQUIRED[row.change] if column in known and getattr(row, column) not in known[column]]


def read_variants(path: Path, base: Scenario) -> list[Variant]:
    """The what-ifs in file order; every bad row or reference raises ScenarioError (exit 2)."""
    if not path.is_file():
        raise ScenarioError([Problem(str(path), "file not found; expected a CSV of what-ifs (see inputs/README.md)")])
    raw, problems = io.read_csv(path)
    if raw is None:
        raise ScenarioError(problems)
    rows, problems = parse_table(raw, VariantRow)
    for number, row in rows:
        problems += [Problem(raw.file, f"{row.change} needs a value in {column}", row=number, column=column)
                     for column in REQUIRED[row.change] if getattr(row, column) is None]
    rows = [(n, r) for n, r in rows if all(getattr(r, c) is not None for c in REQUIRED[r.change])]
    if not rows and not problems:
        problems.append(Problem(raw.file, "no what-ifs; expected at least one row", row=2))
    folders: dict[str, Scenario] = {}
    for number, row in rows:
        if row.change != "folder":
            continue
        if row.variant in folders:
            problems.append(Problem(raw.file, f"a second folder for {row.variant!r}; expected one folder per variant",
                                    row=number, column="folder"))
            continue
        try:
            folders[row.variant], _ = load_scenario((path.parent / str(row.folder)), purpose="staffing")
        except ScenarioError as exc:
            problems += [Problem(raw.file, f"folder {row.folder!r} is not a valid scenario: {exc.problems[0]}",
                                 row=number, column="folder")]
    for number, row in rows:
        if row.change != "folder":
            problems += _references(raw.file, number, row, folders.get(row.variant, base))
    if problems:
        raise ScenarioError(problems)
    out: dict[str, Variant] = {}
    for _, row in rows:
        v = out.get(row.variant) or Variant(row.variant, start=folders.get(row.variant))
        if row.change == "close_office":
            closure = ClosureRow(office_id=row.office_id, date=row.date or base.config.horizon.start,
                                 monthly_visits=row.monthly_visits, point_id=row.point_id,
                                 share_to_point=row.share_to_point, comment=row.comment or f"what-if {row.variant}")
            v = Variant(v.name, v.closures + (closure,), v.patterns, v.start)
        elif row.change == "visit_every":
            pattern = VisitPatternRow(point_id=row.point_id, provider_id=row.provider_id,
                                      max_days_between=row.max_days_between, comment=row.comment)
            v = Variant(v.name, v.closures, v.patterns + (pattern,), v.start)
        out[row.variant] = v
    return list(out.values())
