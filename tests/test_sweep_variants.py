"""`planner sweep --variants FILE`: what-ifs against the base, and bad files named by row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from tests.conftest import shortened_copy

HEADER = ["variant", "change", "office_id", "point_id", "provider_id", "date", "monthly_visits", "share_to_point",
          "max_days_between", "folder", "comment"]


def write_variants(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


CLOSURE = {"variant": "parainen-kela-closes", "change": "close_office", "office_id": "parainen-kela",
           "point_id": "parainen", "date": "2015-01-01", "monthly_visits": "900", "share_to_point": "0.5"}
VISITS = {"variant": "parainen-kela-closes", "change": "visit_every", "point_id": "pelkosenniemi",
          "provider_id": "poliisi", "max_days_between": "14"}


@pytest.mark.slow
def test_a_closure_what_if_adds_fte_at_the_receiving_point_only(tmp_path):
    scenario = shortened_copy(tmp_path, 1)
    variants = write_variants(tmp_path / "what-ifs.csv", [CLOSURE, VISITS])
    result = CliRunner().invoke(main, ["sweep", str(scenario), "--variants", str(variants), "-o", str(tmp_path / "out"),
                                       "-q"])
    assert result.exit_code == 0, result.output
    assert "parainen-kela-closes" in result.output
    with (tmp_path / "out" / "sweep_variants.csv").open(encoding="utf-8") as handle:
        rows = {row["point_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"mikkeli", "kiiminki", "parainen", "pelkosenniemi", "saarijarvi"}
    assert float(rows["parainen"]["fte_needed_change"]) > 0.1  # 450 more customers a month at the counter
    assert all(float(rows[p]["fte_needed_change"]) == 0 for p in rows if p != "parainen")
    assert not (tmp_path / "out" / "sweep_variants_outreach.csv").exists()  # outreach was not asked for


@pytest.mark.parametrize(("row", "where"), [
    ({**CLOSURE, "office_id": "nowhere"}, "row 2, column office_id"),
    ({**CLOSURE, "share_to_point": ""}, "row 2, column share_to_point"),
    ({**CLOSURE, "share_to_point": "1.5"}, "row 2, column share_to_point"),
    ({**VISITS, "change": "reopen"}, "row 2, column change"),
    ({**VISITS, "provider_id": "fbi"}, "row 2, column provider_id"),
    ({"variant": "x", "change": "folder", "folder": "no-such-folder"}, "row 2, column folder"),
])
def test_a_bad_what_if_is_named_by_file_row_and_column(tmp_path, row, where):
    variants = write_variants(tmp_path / "what-ifs.csv", [row])
    result = CliRunner().invoke(main, ["sweep", str(shortened_copy(tmp_path, 1)), "--variants", str(variants),
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert f"what-ifs.csv {where}" in result.output
    assert not (tmp_path / "out").exists()
