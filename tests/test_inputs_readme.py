"""inputs/README.md documents every field of every schema, under the right heading."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from planner.scenario.schemas import TABLES, ScenarioConfig
from tests.conftest import REPO

README = (REPO / "inputs" / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    match = re.search(rf"^### {re.escape(heading)}.*?$(.*?)(?=^### |\Z)", README, re.M | re.S)
    assert match, f"inputs/README.md has no section '### {heading}'"
    return match.group(1)


@pytest.mark.parametrize(("filename", "model"), [(f, m) for f, m, _ in TABLES.values()])
def test_every_csv_column_is_documented(filename, model):
    text = section(filename)
    missing = [name for name in model.model_fields if f"| `{name}` |" not in text]
    assert not missing, f"{filename}: columns not documented in inputs/README.md: {missing}"


def test_every_setting_is_documented():
    for name, field in ScenarioConfig.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            text = section(f"scenario.toml [{name}]")
            missing = [key for key in annotation.model_fields if f"| `{key}` |" not in text]
            assert not missing, f"[{name}] settings not documented: {missing}"
        else:
            assert f"| `{name}` |" in section("scenario.toml (top level)")
