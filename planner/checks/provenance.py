"""What a roster was made from, so that `planner check` can say when it scores a roster against other inputs.

A roster covers the counter requirement of the demand it was made on. `planner plan --records` (and `planner demo`)
rosters on demand fitted from visit logs (the variant in OUT/fit), so checking its roster against the input scenario
scores it against other demand, and the objective differs from the solver's (the trial: 29 249 against 21 317) with
nothing said. roster/summary.json records `inputs` (digests of the whole scenario and of the tables the demand and the
requirement come from, and where the demand came from); a plan's manifest.json one folder up records `input_hash`
and, with --records, lists fit/variant.toml (all an older plan's folder says).
"""

from __future__ import annotations

from pathlib import Path

from planner.base import io
from planner.scenario.fingerprint import _digest, scenario_hash
from planner.scenario.schemas import Scenario

# The tables and settings the counter requirement a roster covers is computed from (planner.demand.forecast and
# planner.staffing: demand per interval, then Erlang C at the service level).
DEMAND_TABLES = ("points", "opening_hours", "providers", "offices", "seasonality", "baseline_demand", "closures",
                 "overflow_events", "municipal_work", "weekday_profiles", "hourly_profiles")
DEMAND_SETTINGS = ("horizon", "demand", "service_level")


def demand_hash(scenario: Scenario) -> str:
    """Digest of what the counter requirement is computed from (DEMAND_TABLES, DEMAND_SETTINGS)."""
    return _digest({**{name: [row.model_dump(mode="json") for row in getattr(scenario, name)] for name in DEMAND_TABLES},
                    **{name: getattr(scenario.config, name).model_dump(mode="json") for name in DEMAND_SETTINGS}})


def inputs_hash(scenario: Scenario) -> str:
    """Digest of the whole scenario but the solver budget and the report's language ([solver], [report]: a roster
    scored with `--work-limit 0.5` or in Finnish is scored against the same rules)."""
    return _digest(scenario.model_dump(mode="json", exclude={"config": {"solver", "report"}}))


def roster_inputs(scenario: Scenario, demand_from: str) -> dict[str, str]:
    """roster/summary.json `inputs`: `input_hash_without_budget` (inputs_hash), `demand_hash`, and `demand_from` in
    words ("the scenario's files", or "fitted from visit logs: the variant in this plan's fit/")."""
    return {"input_hash_without_budget": inputs_hash(scenario), "demand_hash": demand_hash(scenario),
            "demand_from": demand_from}


def provenance_warnings(scenario: Scenario, roster_csv: Path) -> list[str]:
    """Why the score of `roster_csv` against `scenario` may not be the solver's: the roster was made on other demand,
    or from other inputs, than `scenario` (from the summary.json beside the roster, or the plan's manifest.json one
    folder up). Empty when they agree or when nothing says what the roster was made from (a roster made by hand)."""
    summary = io.read_json(roster_csv.parent / "summary.json") or {}
    manifest = io.read_json(roster_csv.parent.parent / "manifest.json") or {}
    made = summary.get("inputs") if isinstance(summary.get("inputs"), dict) else {}
    files = manifest.get("files") if isinstance(manifest.get("files"), list) else []
    fitted = roster_csv.parent.parent / "fit" if "fit/variant.toml" in files else None
    solver = summary.get("objective")
    scored = f"; the solver's objective in {roster_csv.parent.name}/summary.json is {solver:g}" if isinstance(
        solver, int | float) else ""
    where = (f"check it against {fitted} (the fitted variant it was made on) to score it as the solver did"
             if fitted is not None else "check it against the scenario it was made from to score it as the solver did")
    if made.get("demand_hash") and made["demand_hash"] != demand_hash(scenario):
        return [f"{roster_csv.name} was rostered on other demand than this scenario's ({made.get('demand_from') or 'another scenario'}): "
                f"the counter requirement it is scored against here is not the one it was made for, so the "
                f"objective and the cover breaches differ{scored}; {where}"]
    if made.get("input_hash_without_budget") and made["input_hash_without_budget"] != inputs_hash(scenario):
        return [f"{roster_csv.name} was made from other inputs than this scenario's (the same demand; advisors, "
                f"absences, opening hours or rules differ): its score here may differ from the solver's{scored}; "
                "check it against the scenario it was made from to score it as the solver did"]
    # A plan written before summary.json said its inputs: its manifest's hash (with the solver budget in it) and the
    # fitted variant it lists.
    quoted = manifest.get("input_hash")
    if not made and fitted is not None and isinstance(quoted, str) and quoted != scenario_hash(scenario):
        return [f"{roster_csv.name} was made on demand fitted from visit logs, not on this scenario's (input_hash "
                f"{quoted}, here {scenario_hash(scenario)}): its score here may differ from the solver's{scored}; "
                f"{where}"]
    return []
