"""The import rules of ARCHITECTURE.md, checked on the source: a newcomer's map stays true."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PLANNER = REPO / "planner"

# Which package of planner/ may import which (besides itself). Data walks one way: a stage
# imports the foundation, the checks and the stages before it; outputs read the stages;
# whatif and run orchestrate; the CLI only parses. `models` is the optimisation models.
ALLOWED = {
    "scenario": {"base"},
    "base": {"scenario", "models"},
    "checks": {"base", "scenario"},
    "demand": {"base", "scenario"},
    "staffing": {"base", "scenario", "models", "demand"},
    "rosters": {"base", "scenario", "models", "checks", "demand", "staffing"},
    "outreach": {"base", "scenario", "models", "checks", "demand"},
    "records": {"base", "scenario", "demand", "staffing", "outputs"},
    "outputs": {"base", "scenario", "demand", "staffing", "rosters", "outreach", "run"},
    "whatif": {"base", "scenario", "demand", "staffing", "rosters", "outreach", "outputs"},
    "run": {"base", "scenario", "checks", "demand", "staffing", "rosters", "outreach", "outputs"},
    "cli": {"base", "scenario", "rosters", "outputs", "whatif", "run", "records"},
}


def imports(path: Path) -> set[str]:
    """Dotted names of planner/models modules imported by `path` (TYPE_CHECKING-only imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in ("planner", "models"):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] in ("planner", "models"))
    return found


def package_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "models":
        return "models"
    return "cli" if len(parts) < 2 or parts[1] == "cli" else parts[1]


def modules() -> list[Path]:
    return sorted(p for p in PLANNER.rglob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_a_module_imports_only_what_its_layer_may(path: Path) -> None:
    own = "cli" if path.parent == PLANNER else path.parent.name
    assert own in ALLOWED, f"{path.parent.name} is a new package: give it a row in ALLOWED and ARCHITECTURE.md"
    wrong = sorted(m for m in imports(path) if package_of(m) not in ALLOWED[own] | {own} and m != "planner")
    assert not wrong, f"{path.relative_to(REPO)} ({own}) may not import {wrong}"


def test_every_planner_module_is_used_by_the_product() -> None:
    """Nothing in planner/ lives only for bench/ or tests/: each module is imported by another one, or is the CLI."""
    used: set[str] = set()
    for path in modules():
        for name in imports(path):
            used.add(name)
            used.add(name.rsplit(".", 1)[0])
    unused = [str(p.relative_to(REPO)) for p in modules()
              if p.name != "cli.py" and ".".join(p.relative_to(REPO).with_suffix("").parts) not in used]
    assert not unused, f"imported by no product module: {unused}"


def test_models_never_import_the_application() -> None:
    for path in (REPO / "models").glob("*.py"):
        assert not [m for m in imports(path) if m.startswith("planner")], path.name


def test_architecture_doc_names_every_package() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for package in sorted(p.name for p in PLANNER.iterdir() if (p / "__init__.py").exists()):
        assert f"`{package}/`" in text, f"ARCHITECTURE.md does not describe planner/{package}/"


FORBIDDEN_IN_MODELS = ("time", "datetime.now", "os.environ", "os.getenv", "multiprocessing", "subprocess",
                       "concurrent.futures", "threading", "open", "random")


def test_models_read_no_clock_no_environment_no_files_and_start_no_processes() -> None:
    """Budgets and parallelism come from the caller: the same input gives the same plan (DEVELOPERS.md)."""
    for path in (REPO / "models").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.split(".")[0] in FORBIDDEN_IN_MODELS)
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in FORBIDDEN_IN_MODELS:
                found.add(node.module)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                found.add("open()")
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                    f"{node.value.id}.{node.attr}" in FORBIDDEN_IN_MODELS:
                found.add(f"{node.value.id}.{node.attr}")
        assert not found, f"models/{path.name} uses {sorted(found)}"
