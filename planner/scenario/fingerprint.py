"""Stable digests of inputs, so that a result can be traced to exactly what produced it."""

from __future__ import annotations

import hashlib
import json

from planner.scenario.schemas import Scenario


def _digest(payload: object) -> str:
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def scenario_hash(scenario: Scenario) -> str:
    return _digest(scenario.model_dump(mode="json"))


def point_input_hash(scenario: Scenario, point_id: str) -> str:
    """Everything that can change one point's plan: settings, providers and the point's own rows."""
    advisors = [a for a in scenario.advisors if point_id in (a.point_id, *a.other_points)]
    names = {a.advisor_id for a in advisors}
    rows: dict[str, object] = {
        "config": scenario.config.model_dump(mode="json"),
        "providers": [p.model_dump(mode="json") for p in scenario.providers],
        "seasonality": [s.model_dump(mode="json") for s in scenario.seasonality],
        "advisors": [a.model_dump(mode="json") for a in advisors],
        "absences": [a.model_dump(mode="json") for a in scenario.absences if a.advisor_id in names],
    }
    for table in ("points", "opening_hours", "baseline_demand", "closures", "overflow_events", "municipal_work"):
        rows[table] = [r.model_dump(mode="json") for r in getattr(scenario, table) if r.point_id == point_id]
    rows["closure_offices"] = sorted({c.office_id for c in scenario.closures if c.point_id == point_id})
    return _digest(rows)
