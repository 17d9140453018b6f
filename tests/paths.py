"""Where the tests find the data kept outside the repository: `../shared` beside the checkout.

One helper for every test. The shared folder is laid beside every checkout (developers'
worktrees and CI's fresh clone alike), so a missing folder is an error, not a reason to
skip: a benchmark test that silently skips on one machine tests nothing there.
`ASPA_SHARED` overrides the place (a folder holding `bench/`, `docs/`, …).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The shared folder: `$ASPA_SHARED`, else `../shared` beside the checkout; fails loudly when absent."""
    override = os.environ.get("ASPA_SHARED")
    folder = Path(override) if override else REPO.parent / "shared"
    if not folder.is_dir():
        raise FileNotFoundError(
            f"shared data folder {folder} not found: it is laid beside the checkout "
            f"(set ASPA_SHARED to its place); the benchmark tests need it and do not skip")
    return folder


def bench_dir(name: str) -> Path:
    """`shared/bench/NAME` (solomon, pvrp, ssb), which must exist."""
    folder = shared_dir() / "bench" / name
    if not folder.is_dir():
        raise FileNotFoundError(f"benchmark folder {folder} not found")
    return folder
