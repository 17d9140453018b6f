"""Advisor sizing on the default scenario shows what the 2015 report found."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.demand.forecast import forecast
from planner.staffing.sizing import size, workdays_per_month
from tests.conftest import edit_cell

pytestmark = pytest.mark.slow  # end-to-end runs and long searches: not in `make test-quick`


@pytest.fixture(scope="module")
def sizing(default_scenario):
    return size(default_scenario, forecast(default_scenario))


def rows(sizing, point):
    return sizing.summary[sizing.summary.point_id == point].set_index("month")


def test_mikkeli_tax_and_register_each_add_well_under_half_an_fte(sizing, default_scenario):
    mikkeli = rows(sizing, "mikkeli")
    capacity = mikkeli.index.map(workdays_per_month(default_scenario)).to_numpy() * 7.25
    assert (mikkeli["workload_hours_vero"] / capacity).max() < 0.5
    assert (mikkeli["workload_hours_maistraatti"] / capacity).max() < 0.5


def test_600_five_minute_transactions_are_under_ten_person_days(sizing, default_scenario):
    # The report's rule of thumb, on the model's own numbers: Mikkeli tax workload per customer.
    mikkeli = rows(sizing, "mikkeli")
    demand = forecast(default_scenario).monthly
    tax = demand[(demand.point_id == "mikkeli") & (demand.provider_id == "vero")].set_index("month")["volume"]
    hours_per_customer = (mikkeli["workload_hours_vero"] / tax).mean()
    assert hours_per_customer == pytest.approx(5 / 60)
    assert 600 * hours_per_customer / 7.25 < 10


def test_pelkosenniemi_is_sized_by_minimum_manning(sizing):
    pelko = rows(sizing, "pelkosenniemi")
    assert (pelko["driver"] == "minimum manning").all()
    assert (pelko["peak_required"] <= 1).all()
    assert (pelko["headcount_rule"] == "2 persons named").all()


def test_saarijarvi_staff_exceeds_what_its_demand_needs(sizing):
    saari = rows(sizing, "saarijarvi")
    assert saari["fte_needed"].mean() < saari["fte_in_scenario"].iloc[0]
    assert (saari["counter_utilisation"] < 0.5).all()
    assert (saari["driver"] == "minimum manning").sum() >= 6


def test_mikkeli_needs_more_cover_at_the_january_tax_peak_than_in_july(sizing):
    mikkeli = rows(sizing, "mikkeli")
    per_day = mikkeli["paid_hours"] / mikkeli["open_days"]
    assert per_day["2015-01"] > per_day["2015-07"]
    assert mikkeli.loc["2015-01", "peak_required"] > mikkeli.loc["2015-07", "peak_required"]


def test_scheduled_cover_meets_the_service_level_where_there_is_no_shortfall(sizing, default_scenario):
    sl = default_scenario.config.service_level
    met = sizing.intervals[(sizing.intervals.shortfall == 0) & (sizing.intervals.arrivals > 0)]
    assert len(met) > 1000
    assert (met["expected_sl"] >= sl.target - 1e-9).all()
    assert (met["avg_wait_minutes"] <= sl.max_average_wait_minutes + 1e-9).all()
    assert (met["scheduled"] >= met["required"]).all()


def test_someone_is_on_duty_whenever_a_point_is_open(sizing):
    assert (sizing.intervals["scheduled"] >= 1).all()


def test_provider_split_adds_up_to_the_counter_workload(sizing, default_scenario):
    providers = [p.provider_id for p in default_scenario.providers]
    hours = sizing.summary[[f"workload_hours_{p}" for p in providers]].sum(axis=1)
    assert np.allclose(hours, sizing.summary["workload_hours"])
    euros = sizing.summary[[f"cost_eur_{p}" for p in providers]].sum(axis=1)
    assert np.allclose(euros, hours * default_scenario.config.workforce.advisor_hourly_cost_eur)


def test_paid_hours_match_the_shifts(sizing):
    by_shift = sizing.shifts.groupby("point_id")["paid_hours"].sum()
    by_day = sizing.days.groupby("point_id")["paid_hours"].sum() - sizing.days.groupby("point_id")[
        "back_office_extra_hours"].sum()
    assert np.allclose(by_shift.sort_index(), by_day.sort_index())


def test_headcount_covers_shrinkage_and_named_persons(sizing, default_scenario):
    workforce = default_scenario.config.workforce
    s = sizing.summary
    assert (s["headcount_needed"] >= workforce.min_named_persons).all()
    assert (s["headcount_needed"] >= s["fte_needed"] / (1 - workforce.shrinkage) - 1e-9).all()


def test_staff_command_writes_its_files(tmp_path, scenario_copy):
    # Two months keep the test quick; the contract is the same for a year.
    toml = scenario_copy / "scenario.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("months = 12", "months = 2"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["staff", str(scenario_copy), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "pelkosenniemi" in result.output and "minimum manning" in result.output
    intervals = pd.read_csv(out / "staffing_intervals.csv")
    assert {"point_id", "date", "interval_start", "arrivals_vero", "required", "scheduled", "expected_sl",
            "avg_wait_minutes"} <= set(intervals.columns)
    shifts = pd.read_csv(out / "shifts.csv")
    assert list(shifts.columns) == ["point_id", "date", "start", "end", "break_start", "break_end", "count",
                                    "paid_hours"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {"status", "objective", "best_bound", "gap", "seconds", "points"} <= set(summary)
    assert set(summary["points"]) == {"mikkeli", "kiiminki", "parainen", "pelkosenniemi", "saarijarvi"}
    assert all(len(p["input_hash"]) == 16 for p in summary["points"].values())
    table = pd.read_csv(out / "staffing_summary.csv")
    assert set(table["month"]) == {"2015-01", "2015-02"}


def test_staff_rejects_an_opening_window_shorter_than_any_shift(scenario_copy, tmp_path):
    edit_cell(scenario_copy / "opening_hours.csv", 22, "closes", "12:00")
    result = CliRunner().invoke(main, ["staff", str(scenario_copy), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "opening_hours.csv row 22, column closes" in result.output
    assert not (tmp_path / "o").exists()
