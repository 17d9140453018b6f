"""Render the schemas as Markdown tables (the column reference in inputs/README.md).

Run `python -m planner.scenario.schema_doc --write` after changing a schema: it replaces everything
below "## Column reference" in inputs/README.md.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from planner.scenario.schemas import TABLES, ScenarioConfig


def type_name(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        if any(getattr(m, "pattern", None) for m in args[1:]):
            return "id (a-z 0-9 - _)"
        return type_name(args[0])
    if origin is typing.Literal:
        return " / ".join(str(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(a) for a in args if a is not type(None))
    if origin is tuple:
        return f"list of {type_name(args[0])} (`a|b`)"
    if origin is dict:
        return "table"
    return {"str": "text", "float": "number", "int": "integer", "date": "date YYYY-MM-DD",
            "time": "time HH:MM", "bool": "true / false"}.get(getattr(annotation, "__name__", str(annotation)), str(annotation))


def field_table(model: type[BaseModel]) -> str:
    lines = ["| column | type | required | meaning |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            continue
        required = "yes" if field.is_required() else f"no (default {field.default!r})"
        kind = type_name(field.annotation)
        if any(getattr(m, "pattern", None) for m in field.metadata):
            kind = "id (a-z 0-9 - _)"
        lines.append(f"| `{name}` | {kind} | {required} | {field.description or ''} |")
    return "\n".join(lines)


def render() -> str:
    parts = []
    for filename, model, required in TABLES.values():
        parts.append(f"### {filename} ({'required' if required else 'optional'})\n\n{field_table(model)}\n")
    for name, field in ScenarioConfig.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            parts.append(f"### scenario.toml [{name}]\n\n{field_table(annotation)}\n")
    parts.insert(len(TABLES), f"### scenario.toml (top level)\n\n{field_table(ScenarioConfig)}\n")
    from planner.scenario.variants import VariantRow  # not a scenario file: the what-if list of `planner sweep --variants`

    parts.append(f"### what-ifs CSV for `planner sweep --variants`\n\n{field_table(VariantRow)}\n")
    return "\n".join(parts)


MARKER = "## Column reference\n"


def write_readme(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    head = text[: text.index(MARKER)] if MARKER in text else text.rstrip() + "\n\n"
    path.write_text(head + MARKER + "\n" + render(), encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write_readme(Path(__file__).resolve().parents[2] / "inputs" / "README.md")
    else:
        print(render())
