"""The visit-log format: one row per customer at the counter, and how an export maps onto it.

Columns (inputs/README.md, "Visit logs", documents each with its unit):

| column        | required | meaning                                                        |
|---------------|----------|----------------------------------------------------------------|
| `point_id`    | yes      | service point (points.csv)                                     |
| `provider_id` | yes      | provider whose errand it was (providers.csv)                   |
| `arrived_at`  | yes      | local date-time the queue ticket was drawn                     |
| `called_at`   | no       | local date-time (or clock time that day) the customer was called |
| `finished_at` | no       | local date-time (or clock time that day) the service ended     |
| `errands`     | no       | matters handled in the visit, integer ≥ 1 (default 1)          |
| `channel`     | no       | counter, video or appointment (default counter)                |

A customer with `arrived_at` but neither `called_at` nor `finished_at` left before being
called (abandoned). An export with other column names or other ids is read through a
mapping (`--map point_id=Palvelupiste` options or a TOML file, see `read_mapping`). A
date-time column may be mapped onto two export columns, the date and the clock time
(`arrived_at = "Päivä + Saapumisaika"`, see `Mapping.parts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planner.base import io
from planner.base.errors import Problem, ScenarioError

REQUIRED: tuple[str, ...] = ("point_id", "provider_id", "arrived_at")
OPTIONAL: tuple[str, ...] = ("called_at", "finished_at", "errands", "channel")
COLUMNS: tuple[str, ...] = REQUIRED + OPTIONAL
CHANNELS: tuple[str, ...] = ("counter", "video", "appointment")

# Date-times as the usual queue-system exports write them: ISO, with or without seconds or
# a 'T', and the Finnish day.month.year. A clock time alone (HH:MM) in called_at or
# finished_at means that time on the day of arrival.
TIMESTAMP_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S.%f",
)

# The date part of a date-time mapped onto two columns ("Päivä + Aika"): ISO or Finnish.
DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y")
# Between the date column and the time column of such a mapping.
JOIN = "+"
DATETIME_COLUMNS: tuple[str, ...] = ("arrived_at", "called_at", "finished_at")

# A folder of logs may hold this file: the one-off events inside the records' period
# (overflow_events.csv columns), which the fit takes out of the monthly counts.
EVENTS_FILE = "events.csv"
LOG_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")


@dataclass(frozen=True)
class Mapping:
    """How an export's columns and ids map onto the log format.

    `columns`: log column → export column (`{"arrived_at": "Saapumisaika"}`); unmapped
    columns keep their names. `values`: per log column, export value → id
    (`{"provider_id": {"Kela-asiat": "kela"}}`); values without an entry are kept.
    """

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def source(self, column: str) -> str:
        """The export's name of a log column, as mapped (`"Päivä + Saapumisaika"` for a date and a time column)."""
        return self.columns.get(column, column)

    def parts(self, column: str) -> tuple[str, ...]:
        """The export column(s) a log column is read from: one, or (date column, time column).

        A date-time log column (arrived_at, called_at, finished_at) mapped as `"DATE + TIME"`
        is read from two export columns, the date (2014-03-05, 5.3.2014) and the clock time
        (9:12, 09:12:30, 9.12); every other mapping names one column, taken as written.
        """
        source = self.source(column)
        if column in DATETIME_COLUMNS and f" {JOIN} " in source:
            date, _, time = source.partition(f" {JOIN} ")
            return date.strip(), time.strip()
        return (source,)


def parse_map_options(options: tuple[str, ...], base: Mapping | None = None) -> Mapping:
    """`--map point_id=Palvelupiste` options on top of a mapping file; ScenarioError on a bad one."""
    columns = dict(base.columns) if base else {}
    problems = []
    for option in options:
        target, sep, source = option.partition("=")
        target, source = target.strip(), source.strip()
        if not sep or not source or target not in COLUMNS:
            problems.append(Problem("--map", f"found {option!r}; expected LOG_COLUMN=EXPORT_COLUMN with LOG_COLUMN one "
                                    f"of {', '.join(COLUMNS)}"))
            continue
        problems += _check_parts("--map", target, source)
        columns[target] = source
    if problems:
        raise ScenarioError(problems)
    return Mapping(columns, dict(base.values) if base else {})


def _check_parts(file: str, target: str, source: str) -> list[Problem]:
    """A `DATE + TIME` mapping names two columns and only for a date-time log column."""
    if f" {JOIN} " not in source and not source.startswith(JOIN) and not source.endswith(JOIN):
        return []
    date, _, time = source.partition(JOIN)
    if target not in DATETIME_COLUMNS:
        return [Problem(file, f"{target} = {source!r} joins two columns; only {', '.join(DATETIME_COLUMNS)} may be read "
                        "from a date column and a time column", key=target)]
    if not date.strip() or not time.strip() or JOIN in time:
        return [Problem(file, f"{target} = {source!r}; expected \"DATE_COLUMN + TIME_COLUMN\", e.g. "
                        "\"Päivä + Saapumisaika\"", key=target)]
    return []


def read_mapping(path: Path) -> Mapping:
    """A mapping TOML file: `[columns]` log column = "export column"; `[values.point_id]` "export value" = "id".

    Example (a queue-ticket system's export)::

        [columns]
        point_id = "Palvelupiste"
        provider_id = "Palvelu"
        arrived_at = "Vuoronumero otettu"
        called_at = "Kutsuttu"
        finished_at = "Valmis"
        # or, with the date and the clock time in two columns:
        # arrived_at = "Päivä + Saapumisaika"

        [values.provider_id]
        "Kela-asiat" = "kela"
        "Verohallinto" = "vero"

    Raises ScenarioError (file, key) when the file is missing, not TOML, or names a column
    that is not one of the log's.
    """
    if not path.is_file():
        raise ScenarioError([Problem(str(path), "file not found; expected a mapping TOML with [columns] "
                                     "(see inputs/README.md, Visit logs)")])
    data, problems = io.read_toml(path)
    if data is None:
        raise ScenarioError(problems)
    columns = data.get("columns", {})
    values = data.get("values", {})
    problems = []
    for key in [*columns, *values]:
        if key not in COLUMNS:
            problems.append(Problem(path.name, f"{key!r} is not a log column; expected one of {', '.join(COLUMNS)}",
                                    key=key))
    for key, source in columns.items():
        if key in COLUMNS:
            problems += _check_parts(path.name, key, str(source))
    for key in data:
        if key not in ("columns", "values"):
            problems.append(Problem(path.name, f"unknown section {key!r}; expected [columns] and [values.COLUMN]",
                                    key=key))
    if problems:
        raise ScenarioError(problems)
    return Mapping({k: str(v) for k, v in columns.items()},
                   {k: {str(a): str(b) for a, b in v.items()} for k, v in values.items()})


def log_files(paths: list[Path]) -> tuple[list[Path], list[Path], list[Problem]]:
    """Expand files and folders into (log files, events files, problems).

    A folder contributes its files ending in .csv, .txt, .xlsx, .xlsm or .parquet in name
    order (monthly files sort by date when named by it), except `events.csv`, which lists
    the known one-off events of the records' period.
    """
    files: list[Path] = []
    events: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in LOG_SUFFIXES
                            and not p.name.startswith("."))
            events += [p for p in inside if p.name == EVENTS_FILE]
            logs = [p for p in inside if p.name != EVENTS_FILE]
            if not logs:
                problems.append(Problem(str(path), "the folder holds no visit logs; expected .csv, .xlsx or .parquet "
                                        "files of visits"))
            files += logs
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "file not found; expected a visit log (.csv, .xlsx, .parquet) or a "
                                    "folder of them"))
    return files, events, problems
