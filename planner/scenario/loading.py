"""Load a scenario folder into a validated `Scenario`, collecting every problem on the way."""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.base import io
from planner.base.errors import Problem, ScenarioError
from planner.scenario.schemas import TABLES, Row, Scenario, ScenarioConfig, check_text
from planner.scenario.validate import Purpose, RefusedRow, cross_check

SCENARIO_FILE = "scenario.toml"
VARIANT_FILE = "variant.toml"
SCENARIO_FILES = (SCENARIO_FILE, VARIANT_FILE, *(filename for filename, _, _ in TABLES.values()))
VARIANT_KEYS = ("base", "description")
MAX_BASES = 20  # a variant of a variant of … ; real chains are two or three long


def is_scenario_folder(folder: Path) -> bool:
    """A folder a variant may build on: it holds scenario.toml or is itself a variant."""
    return (folder / SCENARIO_FILE).is_file() or (folder / VARIANT_FILE).is_file()


def _shown(folder: Path, path: Path) -> str:
    """A file as the user would find it from the scenario folder they named."""
    if path.parent == folder:
        return path.name
    return os.path.relpath(path, folder)


def _next_base(folder: Path, current: Path, seen: dict[Path, Path]) -> tuple[Path | None, list[Problem]]:
    """The base named in `current`/variant.toml, or the problems that stop the chain there."""
    file = _shown(folder, current / VARIANT_FILE)
    data, problems = io.read_toml(current / VARIANT_FILE)
    if data is None:
        return None, [Problem(file, p.message, row=p.row, key=p.key) for p in problems]
    problems = [Problem(file, f"unknown key {key!r}; expected only {', '.join(VARIANT_KEYS)}", key=key)
                for key in data if key not in VARIANT_KEYS]
    base = data.get("base")
    expected = "expected the path of the scenario this variant changes, relative to the variant, e.g. base = \"../aspa-pilots-2015\""
    if not isinstance(base, str) or not base.strip():
        return None, problems + [Problem(file, f"base is {base!r}; {expected}", key="base")]
    try:
        check_text(base, "base")
        target = (current / base).resolve()
    except (ValueError, OSError) as exc:
        return None, problems + [Problem(file, f"base {base[:80]!r} is not a usable path ({exc}); {expected}", key="base")]
    if target in seen:
        chain = " → ".join(str(p) for p in [*seen.values(), seen[target]][list(seen).index(target):])
        what = "itself" if target == current.resolve() else f"a folder already in its chain ({chain})"
        return None, problems + [Problem(file, f"base {base!r} leads back to {what}; expected a chain of bases that ends "
                                         "at a scenario folder with scenario.toml", key="base")]
    if not target.is_dir():
        return None, problems + [Problem(file, f"base {base!r} is not a folder ({target}); {expected}", key="base")]
    if not is_scenario_folder(target):
        return None, problems + [Problem(file, f"base {base!r} ({target}) is not a scenario folder: it holds neither "
                                         f"{SCENARIO_FILE} nor {VARIANT_FILE}; {expected}", key="base")]
    if len(seen) > MAX_BASES:
        return None, problems + [Problem(file, f"more than {MAX_BASES} variants build on one another; expected a "
                                         "shorter chain of bases", key="base")]
    return target, problems


def resolve_bases(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The folder, then its base if it is a variant, that base's base and so on; with the chain's problems.

    A variant folder holds `variant.toml` (`base = "../aspa-pilots-2015"`) and only the files
    it changes; every other file comes from the base (which may be a variant itself). Each base
    must be a scenario folder; a chain that comes back to a folder already in it is refused.
    """
    folders, seen = [folder], {folder.resolve(): folder}
    problems: list[Problem] = []
    while (folders[-1] / VARIANT_FILE).is_file():
        target, found = _next_base(folder, folders[-1], seen)
        problems += found
        if target is None:
            break
        folders.append(target)
        seen[target] = target
    return folders, problems


def source_folders(folder: Path) -> list[Path]:
    """Where a scenario's files are looked for: the folder, then its bases (see `resolve_bases`)."""
    return resolve_bases(folder)[0]


def variant_problems(folder: Path) -> list[Problem]:
    return resolve_bases(folder)[1]


# Files the planner itself writes into a scenario folder it makes (a variant with variant.toml): read by people, not by
# the planner, and never a misspelt scenario file (`planner fit`: planner/records/fit.py).
COMPANION_FILES = frozenset({"fit_provenance.csv"})


def unknown_files(folder: Path, folders: list[Path]) -> list[Problem]:
    """A CSV or TOML file that is not a scenario file is never read: a misspelt name is an error.

    `absence.csv` beside no `absences.csv` would silently drop every absence, so it is an error
    naming the file meant; a CSV unlike any scenario file, or a copy beside the real one, is a
    warning. Other files (README.md, notes, spreadsheets) are the user's and are not mentioned.
    """
    problems = []
    for current in folders:
        try:
            entries = sorted(current.iterdir())
        except OSError:
            continue  # an unreadable folder: its files are reported as not found
        for entry in entries:
            suffix = entry.suffix.lower()
            if entry.name in SCENARIO_FILES or suffix not in (".csv", ".toml") or entry.name.startswith("."):
                continue
            if entry.name in COMPANION_FILES and (current / "variant.toml").exists():
                continue  # written beside the variant by `planner fit`: the planner's own, not the user's typo
            if entry.is_dir():
                continue
            candidates = [name for name in SCENARIO_FILES if name.endswith(suffix)]
            close = difflib.get_close_matches(entry.name.lower(), candidates, n=1, cutoff=0.75)
            shown = _shown(folder, entry)
            if close and not (current / close[0]).exists():
                problems.append(Problem(shown, f"{entry.name} is not a file of a scenario; did you mean {close[0]}? "
                                        "(it is not read under this name)"))
            elif suffix == ".csv":
                problems.append(Problem(shown, f"{entry.name} is not a file of a scenario and is not read"
                                        + (f" ({close[0]} is)" if close else f"; the CSV files are {', '.join(SCENARIO_FILES[2:])}"),
                                        severity="warning"))
    return problems


def locate(folder: Path, filename: str) -> tuple[Path, Problem | None]:
    """The file `filename` of the scenario: from the folder or its nearest base that has it.

    A file that is a link to somewhere outside its scenario folder is not read: the problem
    says so without showing anything of where it leads.
    """
    for candidate in source_folders(folder):
        path = candidate / filename
        if path.is_file():
            if path.is_symlink() and not path.resolve().is_relative_to(candidate.resolve()):
                return path, Problem(_shown(folder, path), "the file is a link to a file outside the scenario folder, "
                                     "which is not read; expected the file itself in the folder (copy it in)")
            return path, None
    return folder / filename, None


def find_file(folder: Path, filename: str) -> Path:
    return locate(folder, filename)[0]


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
    shown = repr(found)
    if len(shown) > 100:  # a 10 000-character cell or a long TOML list: its start is enough to find it
        shown = shown[:100] + "…"
    return f"found {shown}; expected {expected}"


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
                message = describe_pydantic_error(error)
                column = str(error["loc"][0]) if error["loc"] else None
                if column is None:
                    # A rule over several cells (closes after opens, end not before start) names the cell it
                    # is about first: that is the column to point at.
                    first = message.split(" ", 1)[0]
                    column = first if first in model.model_fields else None
                problems.append(Problem(raw.file, message, row=number, column=column))
    return rows, problems


def load_config(folder: Path) -> tuple[ScenarioConfig | None, list[Problem]]:
    path, refused = locate(folder, SCENARIO_FILE)
    if refused is not None:
        return None, [refused]
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
            Problem(SCENARIO_FILE, _unknown_key(e["loc"]) if e["type"] == "extra_forbidden"
                    else describe_pydantic_error(e), key=".".join(str(p) for p in e["loc"]))
            for e in exc.errors()
        ]


def _unknown_key(loc: tuple) -> str:
    """A scenario.toml key no setting has, with the key meant when one is close (the trial: `wekly_hours` said
    "expected Extra inputs are not permitted", pydantic's words, and not which key was meant)."""
    model: Any = ScenarioConfig
    for part in loc[:-1]:  # the table the key is in: [workforce] is ScenarioConfig.workforce's model
        field = model.model_fields.get(str(part)) if isinstance(model, type) and issubclass(model, BaseModel) else None
        model = field.annotation if field is not None else None
    known = list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []
    table = f"[{'.'.join(str(p) for p in loc[:-1])}]" if len(loc) > 1 else "the top level of the file"
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.75)
    hint = f"did you mean {close[0]}? " if close else ""
    return (f"unknown key {str(loc[-1])!r} in {table}; {hint}expected one of {', '.join(known)} (inputs/README.md, "
            "scenario.toml)" if known else f"unknown key {str(loc[-1])!r} in {table}")


def _load_table(folder: Path, filename: str, model: type[Row], required: bool,
                refused_rows: list[RefusedRow] | None = None) -> tuple[list[tuple[int, Row]], list[Problem]]:
    path, refused = locate(folder, filename)
    if refused is not None:
        return [], [refused]
    if not path.is_file():
        if required:
            return [], [Problem(filename, f"file not found in {folder}; expected a CSV with "
                                f"columns {', '.join(_expected_columns(model)[0])}")]
        return [], []
    if io.is_blank(path):
        if not required:  # an empty optional file has no rows, as a header-only one has
            return [], []
        needed, optional = _expected_columns(model)
        return [], [Problem(path.name, f"the file is empty; expected a header row with the columns {', '.join(needed)}"
                            + (f" (optional: {', '.join(optional)})" if optional else "") + "; see inputs/README.md",
                            row=1)]
    raw, read_problems = io.read_csv(path)
    if raw is None:
        return [], read_problems
    rows, row_problems = parse_table(raw, model)
    if refused_rows is not None:
        kept = {n for n, _ in rows}
        bad: dict[int, set[str | None]] = {}
        for p in row_problems:
            if p.row is not None and p.row not in kept:
                bad.setdefault(p.row, set()).add(p.column)
        refused_rows += [RefusedRow(n, cells, frozenset(bad[n])) for n, cells in raw.rows if n in bad]
    return rows, read_problems + row_problems


# The id column of each file other files refer to (validate.cross_check's references).
ID_COLUMNS = {"points": "point_id", "providers": "provider_id", "offices": "office_id", "advisors": "advisor_id",
              "officials": "official_id"}


def load_tables(folder: Path, broken: set[str] | None = None, raw_ids: dict[str, set[str]] | None = None,
                refused: dict[str, list[RefusedRow]] | None = None
                ) -> tuple[dict[str, list[tuple[int, Row]]], list[Problem]]:
    """Every table's readable rows (row number, row) and the problems found reading them.

    `broken`, when given, receives the TABLES keys of the files with an error (missing, unreadable,
    a missing column or a bad row), so the cross-file checks can still run on the rest.
    `raw_ids`, when given, receives for a broken file of ID_COLUMNS whose id column could be read on every row
    (only other cells are bad: a number that is not one) the ids of all its rows as written, so references into it
    are still checked in the same run: an unknown id is listed beside the type errors, not after they are fixed.
    `refused`, when given, receives per TABLES key the rows refused for a bad cell, as written (`RefusedRow`), so
    their other cells' references are checked in the same run (validate.known_references).
    """
    tables: dict[str, list[tuple[int, Row]]] = {}
    problems: list[Problem] = []
    for key, (filename, model, required) in TABLES.items():
        tables[key], found = _load_table(folder, filename, model, required, refused.setdefault(key, [])
                                         if refused is not None else None)
        problems += found
        if broken is not None and any(p.severity == "error" for p in found):
            broken.add(key)
            column = ID_COLUMNS.get(key)
            if raw_ids is not None and column and not any(p.column == column for p in found):
                ids = _raw_ids(folder, filename, column)
                if ids is not None:
                    raw_ids[key] = ids
    return tables, problems


def _raw_ids(folder: Path, filename: str, column: str) -> set[str] | None:
    """The `column` cells of every row of the scenario's `filename` as written (None: unreadable, or no such column)."""
    path, refused = locate(folder, filename)
    if refused is not None or not path.is_file():
        return None
    raw, _ = io.read_csv(path)
    if raw is None or column not in raw.header:
        return None
    ids = {cells.get(column, "").strip() for _, cells in raw.rows}
    return None if "" in ids else ids


def in_reading_order(problems: list[Problem]) -> list[Problem]:
    """`problems` as a person editing the files meets them: warnings, then errors (beside the count that ends the
    listing); each by file (scenario.toml, then the CSV files in inputs/README.md's order, then anything else),
    row (the file itself before its rows) and column (in the file's column order)."""
    files = {SCENARIO_FILE: 0, VARIANT_FILE: 1}
    columns: dict[str, list[str]] = {}
    for filename, model, _ in TABLES.values():
        files[filename] = len(files)
        columns[filename] = list(model.model_fields)

    def key(problem: Problem) -> tuple:
        name = Path(problem.file).name  # a base's file is shown by its path from the variant (../base/points.csv)
        order = columns.get(name, [])
        column = order.index(problem.column) if problem.column in order else len(order)
        return (problem.severity == "error", files.get(name, len(files)), -1 if problem.row is None else problem.row,
                column)

    return sorted(problems, key=key)


def load_scenario(folder: str | Path, purpose: Purpose = "sizing") -> tuple[Scenario, list[Problem]]:
    """Load and validate; raises ScenarioError with every error, returns the warnings otherwise."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ScenarioError([Problem(str(folder), "folder not found; expected a scenario folder "
                                     "holding scenario.toml and the CSV files")])
    folders, problems = resolve_bases(folder)
    if problems:
        raise ScenarioError(problems)  # with a broken chain of bases every file would be "not found"
    problems += unknown_files(folder, folders)
    config, config_problems = load_config(folder)
    problems += config_problems
    broken: set[str] = set()
    raw_ids: dict[str, set[str]] = {}
    refused: dict[str, list[RefusedRow]] = {}
    tables, table_problems = load_tables(folder, broken, raw_ids, refused)
    problems += table_problems
    # Cross-file checks run even when a file has errors, so one run lists every problem it can
    # (references into a broken file are left until that file reads whole).
    problems += cross_check(config, tables, purpose, frozenset(broken), raw_ids, refused)
    if config is None or any(p.severity == "error" for p in problems):
        raise ScenarioError(problems)
    scenario = Scenario(config=config, **{k: tuple(row for _, row in rows) for k, rows in tables.items()})
    return scenario, [p for p in problems if p.severity == "warning"]
