"""Load a scenario folder into a validated `Scenario`, collecting every problem on the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.base import io
from planner.base.errors import Problem, ScenarioError
from planner.scenario.schemas import TABLES, Row, Scenario, ScenarioConfig
from planner.scenario.validate import Purpose, cross_check

SCENARIO_FILE = "scenario.toml"
VARIANT_FILE = "variant.toml"


def source_folders(folder: Path) -> list[Path]:
    """Where a scenario's files are looked for: the folder, then its base if it is a variant.

    A variant folder holds `variant.toml` (`base = "../aspa-pilots-2015"`) and only the files
    it changes; every other file comes from the base (which may be a variant itself).
    """
    folders, seen = [folder], {folder.resolve()}
    while (folders[-1] / VARIANT_FILE).is_file():
        data, _ = io.read_toml(folders[-1] / VARIANT_FILE)
        base = (data or {}).get("base")
        if not isinstance(base, str):
            break
        nxt = (folders[-1] / base).resolve()
        if nxt in seen or not nxt.is_dir():
            break
        folders.append(nxt)
        seen.add(nxt)
    return folders


def variant_problems(folder: Path) -> list[Problem]:
    path = folder / VARIANT_FILE
    if not path.is_file():
        return []
    data, problems = io.read_toml(path)
    if data is None:
        return problems
    base = data.get("base")
    if not isinstance(base, str) or not (folder / base).is_dir():
        return [Problem(VARIANT_FILE, f"base {base!r} is not a folder next to the variant; expected the "
                        "relative path of the scenario this variant changes", key="base")]
    return []


def find_file(folder: Path, filename: str) -> Path:
    for candidate in source_folders(folder):
        if (candidate / filename).is_file():
            return candidate / filename
    return folder / filename


def describe_pydantic_error(error: dict[str, Any]) -> str:
    """Turn pydantic's message into 'found X; expected Y'."""
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix):]
    expected = message
    if expected.startswith("Input should be "):
        expected = "a value that is " + expected[len("Input should be "):]
    elif expected.startswith("String should match pattern"):
        expected = "an id of lower-case letters, digits, '-' or '_' (e.g. `mikkeli`)"
    elif expected == "Field required":
        return "the value is missing; expected a value in this column"
    found = error.get("input")
    if isinstance(found, dict):
        return f"expected {expected}"
    return f"found {found!r}; expected {expected}"


def _expected_columns(model: type[BaseModel]) -> tuple[list[str], list[str]]:
    required = [name for name, field in model.model_fields.items() if field.is_required()]
    optional = [name for name, field in model.model_fields.items() if not field.is_required()]
    return required, optional


def parse_table(raw: io.RawTable, model: type[Row]) -> tuple[list[tuple[int, Row]], list[Problem]]:
    """Check the header, then every row; returns the good rows with their row numbers."""
    problems: list[Problem] = []
    required, optional = _expected_columns(model)
    missing = [c for c in required if c not in raw.header]
    for column in missing:
        problems.append(Problem(raw.file, f"required column {column!r} is missing; the header has "
                                f"{', '.join(raw.header)}", row=1, column=column))
    for column in raw.header:
        if column not in required and column not in optional:
            problems.append(Problem(raw.file, f"unknown column {column!r}; expected only "
                                    f"{', '.join(required + optional)}", row=1, column=column))
    if problems:
        return [], problems
    rows: list[tuple[int, Row]] = []
    for number, cells in raw.rows:
        # An empty optional cell means "use the default"; an empty required cell is reported.
        values = {k: v for k, v in cells.items() if v != "" or k in required}
        try:
            rows.append((number, model.model_validate(values)))
        except ValidationError as exc:
            for error in exc.errors():
                column = str(error["loc"][0]) if error["loc"] else None
                problems.append(Problem(raw.file, describe_pydantic_error(error), row=number, column=column))
    return rows, problems


def load_config(folder: Path) -> tuple[ScenarioConfig | None, list[Problem]]:
    path = find_file(folder, SCENARIO_FILE)
    if not path.is_file():
        return None, [Problem(SCENARIO_FILE, f"file not found in {folder}; expected the scenario's "
                              "settings (see inputs/README.md)")]
    data, problems = io.read_toml(path)
    if data is None:
        return None, problems
    try:
        return ScenarioConfig.model_validate(data), []
    except ValidationError as exc:
        return None, [
            Problem(SCENARIO_FILE, describe_pydantic_error(e), key=".".join(str(p) for p in e["loc"]))
            for e in exc.errors()
        ]


def load_tables(folder: Path) -> tuple[dict[str, list[tuple[int, Row]]], list[Problem]]:
    tables: dict[str, list[tuple[int, Row]]] = {}
    problems: list[Problem] = []
    for key, (filename, model, required) in TABLES.items():
        path = find_file(folder, filename)
        if not path.is_file():
            tables[key] = []
            if required:
                problems.append(Problem(filename, f"file not found in {folder}; expected a CSV with "
                                        f"columns {', '.join(_expected_columns(model)[0])}"))
            continue
        raw, read_problems = io.read_csv(path)
        problems += read_problems
        if raw is None:
            tables[key] = []
            continue
        rows, row_problems = parse_table(raw, model)
        tables[key] = rows
        problems += row_problems
    return tables, problems


def load_scenario(folder: str | Path, purpose: Purpose = "sizing") -> tuple[Scenario, list[Problem]]:
    """Load and validate; raises ScenarioError with every error, returns the warnings otherwise."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ScenarioError([Problem(str(folder), "folder not found; expected a scenario folder "
                                     "holding scenario.toml and the CSV files")])
    problems = variant_problems(folder)
    config, config_problems = load_config(folder)
    problems += config_problems
    tables, table_problems = load_tables(folder)
    problems += table_problems
    if config is not None and not any(p.severity == "error" for p in problems):
        problems += cross_check(config, tables, purpose)
    if config is None or any(p.severity == "error" for p in problems):
        raise ScenarioError(problems)
    scenario = Scenario(config=config, **{k: tuple(row for _, row in rows) for k, rows in tables.items()})
    return scenario, [p for p in problems if p.severity == "warning"]
