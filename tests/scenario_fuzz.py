"""Malformed scenarios made from the default one, for tests/test_bad_input_fuzz.py and bench/fuzz_inputs.py.

A case is the default scenario (one month, 1 s solver limit) with one to three mutations:
columns dropped, renamed or duplicated; cells set to wrong types, non-finite or huge numbers,
control or markup characters, broken dates and times, unknown or duplicate ids; rows dropped
or duplicated; files deleted, misspelt, emptied, re-encoded, linked from outside; broken or
deeply nested TOML and quoted numbers; variant folders with bad bases. `check_outcome` states
what must hold for any of them: exit 0 or 2, never a traceback; an exit 2 names the file and
the row or key of each error; nothing written; nothing of a linked outside file shown.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import strategies as st

from planner.cli import main
from planner.scenario.schemas import TABLES

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "inputs" / "aspa-pilots-2015"
SECRET = "SECRET-CONTENT-OF-AN-OUTSIDE-FILE"


def _default_files() -> dict[str, str]:
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(DEFAULT_DIR.iterdir()) if p.is_file()}
    files["scenario.toml"] = (files["scenario.toml"].replace("months = 12", "months = 1")
                              .replace("work_limit = 10\n", "work_limit = 0.5\n"))
    return files


DEFAULT_FILES = _default_files()
CSV_FILES = sorted(name for name in DEFAULT_FILES if name.endswith(".csv"))
MODELS = {filename: model for filename, model, _ in TABLES.values()}
MISSING_OPTIONAL = sorted(name for name in MODELS if name not in DEFAULT_FILES)


@dataclass
class Case:
    """A scenario to write: files (text or bytes) of the base folder, links, and an optional variant in front."""

    files: dict[str, str | bytes] = field(default_factory=lambda: dict(DEFAULT_FILES))
    links: dict[str, str] = field(default_factory=dict)  # name → "outside" file it links to
    variant_base: str | None = None  # the folder tested is then a variant with this base
    cycle: bool = False  # … and a second variant whose base is the first
    kinds: list[str] = field(default_factory=list)
    edits: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Case({', '.join(self.edits)})"

    def write(self, root: Path) -> Path:
        base = root / "base"
        base.mkdir(parents=True)
        outside = root / "outside.txt"
        outside.write_text(f"{SECRET},a,b\n{SECRET},1,2\n", encoding="utf-8")
        for name, content in self.files.items():
            path = base / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        for name in self.links:
            (base / name).unlink(missing_ok=True)
            (base / name).symlink_to(outside)
        if self.variant_base is None:
            return base
        variant = root / "variants" / "v"
        variant.mkdir(parents=True)
        (variant / "variant.toml").write_text(f"base = {self.variant_base}\n", encoding="utf-8")
        if self.cycle:
            (root / "variants" / "w").mkdir()
            (root / "variants" / "w" / "variant.toml").write_text('base = "../v"\n', encoding="utf-8")
        return variant


@dataclass(frozen=True)
class Edit:
    """One mutation; its repr says what it does, so that a failing case can be read."""

    what: str
    apply: Callable[[Case], None]

    def __call__(self, case: Case) -> None:
        self.apply(case)

    def __repr__(self) -> str:
        return self.what


# ---------------------------------------------------------------------------- CSV edits


def _rows(text: str | bytes) -> list[list[str]]:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    limit = csv.field_size_limit(len(text) + 1)
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    finally:
        csv.field_size_limit(limit)


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _edit_table(case: Case, name: str, edit: Callable[[list[list[str]]], None]) -> None:
    content = case.files.get(name)
    if content is None:
        return
    rows = _rows(content)
    if rows:
        edit(rows)
    case.files[name] = _text(rows)


CONTROL = [chr(c) for c in (*range(0, 32), 127, 0x85, 0x9B)]
VALUES: dict[str, list[str]] = {
    "wrong_type": ["abc", "", " ", "1,5", "1.2.3", "true", "0x10", "١٢", "12 persons", "--1", "1e", "€5"],
    "non_finite": ["nan", "inf", "-inf", "NaN", "Infinity", "-Infinity", "+inf"],
    "huge": ["1e40", "1e100", "-1e40", "99999999999999999999", "1e308", "1e309", "100001", "4294967297", "1e-320"],
    "edge": ["0", "-1", "-0", "0.0000001", "1", "100000", "24", "366", "367"],
    "markup": ["$\\frac{a}$", "\\", "Mikkeli $5$ \\n", "<b>x</b>", "=cmd|' /C calc'!A0", "@SUM(1)", "a|b|",
               "\u202eevil", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "'", '"quoted"', "x" * 300, "$$", "\\begin{x}"],
    "date": ["2015-02-30", "2015-13-01", "15.1.2015", "2015-1-1", "9999-12-31", "0001-01-01", "2015-01-01T10:00",
             "1420070400", "2015-01-32", "20150101", "2100-01-01", "1899-12-31"],
    "time": ["25:00", "24:00", "7:5", "08:60", "8", "08:00:00", "-1:00", "23:59", "00:00", "8.30", "noon"],
    "id": ["nonexistent", "Mikkeli", "mikkeli ", "-x", "a" * 65, "kela|vero|nope", "mikkeli", "kela", "anna"],
}


@st.composite
def cell_value(draw: st.DrawFn) -> tuple[str, str]:
    kind = draw(st.sampled_from([*VALUES, "control", "text"]))
    if kind == "control":
        text = draw(st.sampled_from(["Anna", "Mikkeli", "", "x y"]))
        at = draw(st.integers(0, len(text)))
        return kind, text[:at] + draw(st.sampled_from(CONTROL)) + text[at:]
    if kind == "text":
        return kind, draw(st.text(max_size=12))
    return kind, draw(st.sampled_from(VALUES[kind]))


@st.composite
def set_cell(draw: st.DrawFn) -> Edit:
    name = draw(st.sampled_from(CSV_FILES))
    row, column = draw(st.integers(1, 40)), draw(st.integers(0, 20))
    kind, value = draw(cell_value())

    def apply(case: Case) -> None:
        def edit(rows: list[list[str]]) -> None:
            if len(rows) > 1:
                cells = rows[1 + row % (len(rows) - 1)]
                if cells:
                    cells[column % len(cells)] = value
        _edit_table(case, name, edit)
        case.kinds.append(f"cell:{kind}")
    return Edit(f"set_cell({name!r}, row={row}, column={column}, {value!r})", apply)


@st.composite
def column_edit(draw: st.DrawFn) -> Edit:
    name = draw(st.sampled_from(CSV_FILES))
    column = draw(st.integers(0, 20))
    how = draw(st.sampled_from(["drop", "rename", "duplicate", "swap", "blank"]))
    new_name = draw(st.sampled_from(["", "Name", "nmae", "point id", "x", "comment", "population", "é", "a\x1bb"]))

    def apply(case: Case) -> None:
        def edit(rows: list[list[str]]) -> None:
            at = column % max(1, len(rows[0]))
            for cells in rows:
                if at >= len(cells):
                    continue
                if how == "drop":
                    del cells[at]
                elif how == "duplicate":
                    cells.insert(at, cells[at])
                elif how == "swap" and at + 1 < len(cells):
                    cells[at], cells[at + 1] = cells[at + 1], cells[at]
                elif how == "blank" and cells is not rows[0]:
                    cells[at] = ""
            if how == "rename" and at < len(rows[0]):
                rows[0][at] = new_name
        _edit_table(case, name, edit)
        case.kinds.append(f"column:{how}")
    return Edit(f"column_{how}({name!r}, {column}, {new_name!r})", apply)


@st.composite
def row_edit(draw: st.DrawFn) -> Edit:
    name = draw(st.sampled_from(CSV_FILES))
    row = draw(st.integers(1, 40))
    how = draw(st.sampled_from(["drop", "duplicate", "short", "long", "all_but_header"]))

    def apply(case: Case) -> None:
        def edit(rows: list[list[str]]) -> None:
            if len(rows) < 2:
                return
            at = 1 + row % (len(rows) - 1)
            if how == "drop":
                del rows[at]
            elif how == "duplicate":
                rows.insert(at, list(rows[at]))
            elif how == "short":
                rows[at] = rows[at][:-1]
            elif how == "long":
                rows[at] = [*rows[at], "extra"]
            else:
                del rows[1:]
        _edit_table(case, name, edit)
        case.kinds.append(f"row:{how}")
    return Edit(f"row_{how}({name!r}, {row})", apply)


def _misspell(name: str, how: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return {"singular": stem.rstrip("s") + dot + suffix if stem.endswith("s") else stem + "s." + suffix,
            "drop_char": stem[:-2] + stem[-1:] + dot + suffix,
            "upper": name.upper(), "title": name.title(), "txt": stem + ".txt", "space": stem + " ." + suffix,
            "dash": stem.replace("_", "-") + dot + suffix}[how]


@st.composite
def file_edit(draw: st.DrawFn) -> Edit:
    name = draw(st.sampled_from([*CSV_FILES, "scenario.toml"]))
    how = draw(st.sampled_from(["delete", "misspell", "empty", "header_only", "cp1252", "nul", "bom", "semicolon",
                                "line_break", "unclosed_quote", "link_outside", "extra_file", "crlf", "huge_cell",
                                "new_optional"]))
    spelling = draw(st.sampled_from(["singular", "drop_char", "upper", "title", "txt", "space", "dash"]))
    optional = draw(st.sampled_from(MISSING_OPTIONAL))
    junk = draw(st.sampled_from(["", "x", "a,b\n1,2\n", "provider_id\nkela\n", "\x00\x00",
                                 "advisor_id,date,kind\nanna,2015-01-05,day_off\n"]))

    def apply(case: Case) -> None:
        content = case.files.get(name)
        text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
        if how == "delete":
            case.files.pop(name, None)
        elif how == "misspell" and content is not None:
            case.files[_misspell(name, spelling)] = case.files.pop(name)
        elif how == "empty":
            case.files[name] = ""
        elif how == "header_only" and text is not None:
            case.files[name] = text.split("\n", 1)[0] + "\n"
        elif how == "cp1252" and text is not None:
            case.files[name] = (text.replace("ä", "\xe4").replace("ö", "\xf6") + "# ä\n").encode("cp1252", errors="replace")
        elif how == "nul" and text is not None:
            case.files[name] = text[: len(text) // 2] + "\x00" + text[len(text) // 2:]
        elif how == "bom" and text is not None:
            case.files[name] = "\ufeff" + text
        elif how == "semicolon" and name.endswith(".csv") and text is not None:
            case.files[name] = _text(_rows(text)).replace(",", ";")
        elif how == "line_break" and text is not None and name.endswith(".csv"):
            _edit_table(case, name, lambda rows: rows[-1].__setitem__(-1, rows[-1][-1] + "\nsecond line"))
        elif how == "unclosed_quote" and text is not None:
            lines = text.split("\n")
            lines[min(2, len(lines) - 1)] += ',"open'
            case.files[name] = "\n".join(lines)
        elif how == "link_outside":
            case.links[name] = "outside"
        elif how == "extra_file":
            case.files[f"notes-{spelling}.csv"] = junk
        elif how == "crlf" and text is not None:
            case.files[name] = text.replace("\n", "\r\n")
        elif how == "huge_cell" and name.endswith(".csv"):
            _edit_table(case, name, lambda rows: rows[-1].__setitem__(0, "x" * 140_000))
        elif how == "new_optional":
            case.files[optional] = junk
        case.kinds.append(f"file:{how}")
    return Edit(f"file_{how}({name!r}, {spelling!r}, {optional!r}, {junk!r})", apply)


# --------------------------------------------------------------------------- TOML edits

TOML_LITERALS = ['"12"', "true", "1e40", "inf", "nan", "-inf", "-5", "0", "100000000000000000000000", '"2015-01-01"',
                 "2015-02-30", "2015-01-15", "[]", "{}", '"x"', "[1, 2]", "1970-01-01", '"\\u001b"', '"$\\\\frac$"',
                 "{ a = { b = { c = { d = { e = { f = { g = { h = { i = 1 } } } } } } } } }", "3000-01-01", "0.5"]


@st.composite
def toml_edit(draw: st.DrawFn) -> Edit:
    line = draw(st.integers(0, 200))
    how = draw(st.sampled_from(["set", "set", "set", "delete", "unknown_key", "truncate", "deep", "duplicate",
                                "section", "name"]))
    literal = draw(st.sampled_from(TOML_LITERALS))
    depth = draw(st.sampled_from([3, 9, 50, 1000]))
    cut = draw(st.floats(0, 1))

    def apply(case: Case) -> None:
        text = case.files.get("scenario.toml")
        if not isinstance(text, str):
            return
        lines = text.split("\n")
        keyed = [n for n, t in enumerate(lines) if re.match(r"^\w+ = ", t)]
        at = keyed[line % len(keyed)] if keyed else 0
        if how == "set" and keyed:
            lines[at] = lines[at].split(" = ")[0] + " = " + literal
        elif how == "delete" and keyed:
            del lines[at]
        elif how == "unknown_key":
            lines.insert(at + 1, f"frobnicate = {literal}")
        elif how == "truncate":
            case.files["scenario.toml"] = text[: int(len(text) * cut)]
            case.kinds.append("toml:truncate")
            return
        elif how == "deep":
            lines.append("deep = " + "[" * depth + "]" * depth)
        elif how == "duplicate" and keyed:
            lines.insert(at, lines[at])
        elif how == "section":
            lines.insert(at, f"[{'a.' * (depth % 12)}b]")
        elif how == "name":
            lines[0:0] = [f"name = {literal}"]
            lines = [t for n, t in enumerate(lines) if n == 0 or not t.startswith("name = ")]
        case.files["scenario.toml"] = "\n".join(lines)
        case.kinds.append(f"toml:{how}")
    return Edit(f"toml_{how}(line={line}, {literal!r}, depth={depth}, cut={cut})", apply)


@st.composite
def variant_edit(draw: st.DrawFn) -> Edit:
    base = draw(st.sampled_from(['"."', '".."', '"/etc"', '"../nowhere"', '"../../base"', '"../w"', '""', "5",
                                 '"../../base/points.csv"', '"../../outside.txt"', '"\\u0000"']))

    def apply(case: Case) -> None:
        case.variant_base = base
        case.cycle = base == '"../w"'
        case.kinds.append(f"variant:{base.strip(chr(34)) or 'empty'}")
    return Edit(f"variant(base={base})", apply)


MUTATION = st.one_of(set_cell(), set_cell(), column_edit(), row_edit(), file_edit(), toml_edit(), variant_edit())
CASES = st.lists(MUTATION, min_size=1, max_size=3).map(lambda edits: build(*edits))


def build(*edits: Callable[[Case], None]) -> Case:
    case = Case()
    for edit in edits:
        edit(case)
    case.edits = [repr(e) for e in edits]
    return case


# ---------------------------------------------------------------------------- outcomes

ERROR_LINE = re.compile(r"^error: (?P<file>.+?)(?: row (?P<row>\d+))?(?:, column (?P<column>[^:]+?))?"
                        r"(?:, key (?P<key>[^:]+?))?: (?P<message>.+)$")
# Problems about a whole file, which have no row or key to name.
WHOLE_FILE = ("file not found", "is not a file of a scenario", "link to a file outside", " MB; expected")


def run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args)


def check_outcome(result: Result, outputs: list[Path] = ()) -> str:
    """'accepted' or 'rejected'; fails on anything else: a traceback, exit 1, an error not naming its place."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        raise AssertionError("".join(traceback.format_exception(result.exception)) + result.output)
    assert "Traceback" not in result.output, result.output
    assert SECRET not in result.output, result.output
    assert result.exit_code in (0, 2, 3), result.output
    if result.exit_code != 2:
        return "accepted"
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors, result.output
    for line in errors:
        match = ERROR_LINE.match(line)
        assert match, f"error line without a file: {line!r}"
        assert re.search(r"\.(csv|toml|txt)$", match["file"], re.I) or "/" in match["file"], line
        if not (match["row"] or match["key"]):
            assert any(w in match["message"] for w in WHOLE_FILE), f"error without row or key: {line!r}"
    for output in outputs:
        assert not output.exists(), f"{output} was written although the input was refused"
    return "rejected"
