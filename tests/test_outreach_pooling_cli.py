"""`planner outreach` with car pooling, on a scenario where pooling pays.

Both Oulu officials (the Haukipudas police clerk and the Oulu register-office lawyer) are
sent to Kiiminki every Wednesday (visit_patterns.csv): they can share the car, 44 km at
0.45 €/km = 19.80 € a day saved.
The CLI is run with pooling on and off on the same copy. Every visit must serve someone, so
Kiiminki's register-office demand is raised to fill a weekly visit.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from planner.cli import main
from tests.conftest import read_rows, write_rows

pytestmark = pytest.mark.slow

PATTERNS = [{"point_id": "kiiminki", "provider_id": provider, "max_days_between": "7", "weekdays": "wed", "comment": ""}
            for provider in ("poliisi", "maistraatti")]


def outreach(folder, out, pool: bool) -> tuple[dict, pd.DataFrame]:
    toml = folder / "scenario.toml"
    text = toml.read_text(encoding="utf-8").replace("\npool_cars = true", "")
    toml.write_text(text.replace("access_weight = 1.0", "access_weight = 1.0" + ("\npool_cars = true" if pool else "")),
                    encoding="utf-8")
    # A small work budget: the pairs are what is asserted, not the last euro.
    result = CliRunner().invoke(main, ["outreach", str(folder), "-o", str(out), "--months", "1", "--work-limit", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return summary, pd.read_csv(out / "visits.csv", keep_default_na=False)


def test_cli_pooling_shares_the_car_and_reports_the_saving(scenario_copy, tmp_path):
    write_rows(scenario_copy / "visit_patterns.csv", list(PATTERNS[0]), PATTERNS)
    # The default types (one `notary` stream): the pilots' split into three smaller register-office streams leaves
    # the first Wednesday with no whole customer arrived, and a weekly visit must serve someone.
    (scenario_copy / "appointment_types.csv").unlink()
    header, rows = read_rows(scenario_copy / "baseline_demand.csv")
    for row in rows:
        if (row["point_id"], row["provider_id"]) == ("kiiminki", "maistraatti"):
            row["monthly_volume"] = "80"
    write_rows(scenario_copy / "baseline_demand.csv", header, rows)
    # The pooling is at Kiiminki: Mikkeli's and Parainen's offices stay open here (a closed office is no
    # alternative, and their customers' long drives make a month's plan unproven at this small budget).
    header, rows = read_rows(scenario_copy / "closures.csv")
    write_rows(scenario_copy / "closures.csv", header, [{**row, "change": "cuts_hours"} for row in rows])
    pooled, visits = outreach(scenario_copy, tmp_path / "pooled", pool=True)
    alone, visits_alone = outreach(scenario_copy, tmp_path / "alone", pool=False)

    assert pooled["pool_cars"] is True and alone["pool_cars"] is False
    shared = visits[visits["pooled_with"] != ""]
    wednesdays = sorted(set(visits.loc[visits["point_id"] == "kiiminki", "date"]))
    assert len(wednesdays) >= 4 and all(pd.Timestamp(d).day_name() == "Wednesday" for d in wednesdays)
    # Pairs: each of the two names the other, same day and point; the second pays no car.
    assert len(shared) == 2 * len(shared.groupby("date")) >= 8
    for _, pair in shared.groupby("date"):
        assert set(pair["official_id"]) == {"police-haukipudas", "register-oulu"}
        assert set(pair["pooled_with"]) == {"police-haukipudas", "register-oulu"}
        assert set(pair["point_id"]) == {"kiiminki"} and sorted(pair["car_eur"]) == [0.0, 19.8]
    saving = 19.8 * len(shared.groupby("date"))
    assert pooled["pool_saving_eur"] == pytest.approx(saving) and saving > 0
    assert alone["pool_saving_eur"] == 0 and (visits_alone["pooled_with"] == "").all()
    # Both solved to optimality: the pooled plan is cheaper by exactly the saving.
    assert pooled["status"] == alone["status"] == "OPTIMAL"
    assert alone["objective"] - pooled["objective"] == pytest.approx(saving, abs=0.01)
