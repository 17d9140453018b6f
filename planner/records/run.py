"""What the CLI commands call: one function per command, each reading, computing and writing atomically.

All raise ScenarioError (exit 2, file/row/column) on bad input; outputs are written only
after everything is computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base import io
from planner.base.errors import Problem, ScenarioError
from planner.demand.forecast import DemandForecast, forecast
from planner.outputs.report import Report
from planner.outputs.writer import OutputFolder
from planner.records.backtest import BacktestResult, accuracy_lines, backtest, backtest_tables
from planner.records.fit import FitResult, check_variant, fit_variant, variant_files, write_variant
from planner.records.generator import GeneratedLogs, generate_records
from planner.records.logformat import Mapping, parse_map_options, read_mapping
from planner.records.reader import Records, describe, read_records
from planner.records.replay import ReplayResult, patience_from, replay, replay_lines, replay_tables
from planner.records.report import add_backtest_section, add_fit_section, add_replay_section
from planner.scenario.loading import load_scenario
from planner.scenario.schemas import Scenario


def mapping_from(mapping_file: Path | None, map_options: tuple[str, ...]) -> Mapping:
    """The --mapping file and --map options as one Mapping."""
    return parse_map_options(map_options, read_mapping(mapping_file) if mapping_file else None)


def generate_command(input_dir: Path, output: Path, years: int, seed: int, replace: bool = False) -> GeneratedLogs:
    """`planner generate records`: logs for the scenario's points over the `years` before its horizon.

    Written through the one writer (generate_records uses OutputFolder): all months or none.
    """
    scenario, _ = load_scenario(input_dir, purpose="staffing")
    return generate_records(scenario, output, years=years, seed=seed, replace=replace)


def fit_command(logs: list[Path], base_dir: Path, output: Path, mapping: Mapping, max_excluded: float,
                replace: bool = False) -> tuple[FitResult, list[Path]]:
    """`planner fit`: read the logs against the base, fit, write the variant folder.

    The one writer (OutputFolder) locks OUTPUT before reading, writes the variant into its
    staging folder, loads it there as a scenario (a variant that does not load is an error,
    ScenarioError) and only then swaps it into place: a failed run leaves an earlier OUTPUT intact.
    `replace`: replace OUTPUT even when it holds another command's result (--force).
    """
    base, _ = load_scenario(base_dir, purpose="staffing")
    with OutputFolder(output, "fit", replace) as folder:
        records = read_records(logs, base, mapping, max_excluded)
        try:
            result = fit_variant(records, base)
        finally:
            records.close()
        return result, folder.commit(variant_files(result, base_dir, folder.target), check=check_variant)


def backtest_command(logs: list[Path], base_dir: Path, holdout: int, output: Path, mapping: Mapping,
                     max_excluded: float, models: tuple[str, ...], replace: bool = False
                     ) -> tuple[BacktestResult, list[str], list[Path]]:
    """`planner backtest`: rolling-origin accuracy; backtest_*.csv and backtest.html in OUTPUT (one writer)."""
    base, _ = load_scenario(base_dir, purpose="staffing")
    with OutputFolder(output, "backtest", replace) as folder:
        records = read_records(logs, base, mapping, max_excluded)
        try:
            try:
                result = backtest(records, base, holdout, models)
            except ValueError as exc:
                raise ScenarioError([Problem("--holdout", str(exc))]) from exc
            reading = describe(records)
        finally:
            records.close()
        report = Report(title=f"Forecast accuracy: {base.config.name}")
        add_backtest_section(report, result)
        paths = folder.commit(backtest_tables(result), report=report, report_name="backtest.html")
    return result, reading, paths


def _roster_of(plan_dir: Path) -> pd.DataFrame:
    for candidate in (plan_dir / "roster" / "roster.csv", plan_dir / "roster.csv"):
        if candidate.is_file():
            raw, problems = io.read_csv(candidate)
            if raw is None:
                raise ScenarioError(problems)
            return pd.DataFrame([cells for _, cells in raw.rows], columns=list(raw.header))
    raise ScenarioError([Problem(str(plan_dir), "no roster/roster.csv (or roster.csv) in the plan folder; expected the "
                                 "output folder of `planner plan` or `planner roster`")])


@dataclass
class ReplayInputs:
    """What the replay takes from the records: handling times to resample, the patience, the recorded days."""

    service_pool: dict[str, np.ndarray]
    patience_minutes: float
    recorded: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)


def replay_inputs(records: Records, scenario: Scenario, roster: pd.DataFrame) -> ReplayInputs:
    """Handling minutes per provider (recorded called → finished), patience (exponential MLE), recorded roster days."""
    services = records.df("SELECT provider_id, service_min FROM visits WHERE channel = 'counter' AND service_min > 0")
    pool = {p: g["service_min"].to_numpy() for p, g in services.groupby("provider_id")}
    for q in scenario.providers:
        if q.provider_id not in pool or len(pool[q.provider_id]) < 30:
            pool[q.provider_id] = np.array([q.handling_minutes])
    waits = records.df("SELECT coalesce(wait_min, 0) AS wait, abandoned FROM visits WHERE channel = 'counter'")
    patience = patience_from(waits["wait"].to_numpy(float), waits["abandoned"].to_numpy(bool))
    dates = sorted(set(roster["date"]))
    recorded = None
    if dates:
        frame = records.df("SELECT point_id, provider_id, CAST(date AS DATE) AS date, hour(arrived_at) * 60 + "
                           "minute(arrived_at) + second(arrived_at) / 60.0 AS arrival, service_min AS service "
                           "FROM visits WHERE channel = 'counter' AND CAST(date AS VARCHAR) IN (SELECT unnest(?))",
                           [dates])
        if len(frame):
            frame["date"] = pd.to_datetime(frame["date"])
            missing = frame["service"].isna()
            rng = np.random.default_rng(0)
            frame.loc[missing, "service"] = [rng.choice(pool[p]) for p in frame.loc[missing, "provider_id"]]
            recorded = frame
    return ReplayInputs(pool, patience, recorded)


def run_replay(records: Records, scenario: Scenario, roster: pd.DataFrame, demand: DemandForecast, samples: int,
               seed: int) -> ReplayResult:
    """Replay the roster: the recorded customers of its days when the records hold them, else `samples` draws."""
    inputs = replay_inputs(records, scenario, roster)
    intervals = demand.intervals
    result = replay(scenario, roster, intervals, inputs.service_pool, inputs.patience_minutes, samples, seed,
                    inputs.recorded)
    if not math.isfinite(inputs.patience_minutes):
        result.notes.append("nobody left the queue in the records: customers are patient in the replay")
    return result


def replay_command(logs: list[Path], plan_dir: Path, base_dir: Path, samples: int, seed: int, output: Path,
                   mapping: Mapping, max_excluded: float, replace: bool = False) -> tuple[ReplayResult, list[Path]]:
    """`planner replay`: the plan's roster served in simulation; replay_*.csv and replay.html in OUTPUT (one writer)."""
    scenario, _ = load_scenario(base_dir, purpose="staffing")
    roster = _roster_of(plan_dir)
    with OutputFolder(output, "replay", replace) as folder:
        records = read_records(logs, scenario, mapping, max_excluded)
        try:
            result = run_replay(records, scenario, roster, forecast(scenario), samples, seed)
        finally:
            records.close()
        report = Report(title=f"Replay of the roster: {scenario.config.name}")
        add_replay_section(report, result)
        paths = folder.commit(replay_tables(result), report=report, report_name="replay.html")
    return result, paths


@dataclass
class RecordsPlan:
    """`planner plan --records`: the fit (variant written under OUTPUT/fit), the backtest, and the replay hook."""

    logs: list[Path]
    base_dir: Path
    mapping: Mapping
    scenario: Scenario
    fit: FitResult
    backtest: BacktestResult | None
    lines: list[str]
    samples: int = 10
    max_excluded: float = 0.05
    replay_result: ReplayResult | None = None
    fit_files: dict[str, object] = field(default_factory=dict)  # the fitted variant, written with the plan
    base: Scenario | None = None  # the scenario the logs were fitted against (`scenario` is the fitted variant)

    def add_to_report(self, report: Report, demand: DemandForecast, extras: dict) -> dict[str, pd.DataFrame]:
        """Fit, backtest and replay sections (the replay when a roster was made); returns the tables to write."""
        # Against the base the logs were fitted to: the fitted variant's own trend and season would compare
        # the fit with itself (a new user found base_trend = annual_trend for every provider).
        add_fit_section(report, self.fit, self.base or self.scenario)
        tables: dict[str, object] = dict(self.fit_files)
        if self.backtest is not None:
            add_backtest_section(report, self.backtest)
            tables.update({f"records/{k}": v for k, v in backtest_tables(self.backtest).items()})
        roster = (extras.get("roster") or {}).get("roster.csv")
        if roster is not None and len(roster):
            records = read_records(self.logs, self.scenario, self.mapping, self.max_excluded)
            try:
                self.replay_result = run_replay(records, self.scenario, roster.astype({"date": str}), demand,
                                                self.samples, 0)
            finally:
                records.close()
            add_replay_section(report, self.replay_result)
            tables.update({f"records/{k}": v for k, v in replay_tables(self.replay_result).items()})
        return tables

    def summary_lines(self) -> list[str]:
        lines = list(self.lines)
        if self.replay_result is not None and not self.replay_result.points.empty:
            lines += replay_lines(self.replay_result)
        return lines


def prepare_records_plan(logs: list[Path], base_dir: Path, output: Path, mapping: Mapping, holdout: int = 6,
                         models: tuple[str, ...] = ("fitted", "seasonal_naive", "ets", "typed_in"), samples: int = 10,
                         max_excluded: float = 0.05) -> RecordsPlan:
    """Fit the base to the logs, backtest it, and load the fitted scenario for planning.

    The variant is loaded from a temporary folder; its files are written with the plan, under
    OUTPUT/fit, by the run's one writer (nothing is written here).
    """
    import tempfile

    from planner.records.fit import variant_files

    base, _ = load_scenario(base_dir, purpose="staffing")
    records = read_records(logs, base, mapping, max_excluded)
    try:
        fit = fit_variant(records, base)
        try:
            tested = backtest(records, base, holdout, models)
        except ValueError:
            tested = None
    finally:
        records.close()
    with tempfile.TemporaryDirectory(prefix="aspa-fit-") as folder:
        write_variant(fit, base_dir, Path(folder) / "fit")
        scenario, _ = load_scenario(Path(folder) / "fit", purpose="staffing")
    files = {f"fit/{name}": content for name, content in variant_files(fit, base_dir, output / "fit").items()}
    lines = [f"Demand fitted from the records ({fit.first_month}..{fit.last_month}): {len(fit.demand.providers)} "
             f"providers' season and trend, {len(fit.demand.pairs)} baselines; variant in {output / 'fit'}"]
    lines += fit.summary["reading"]
    if tested is not None:
        lines += accuracy_lines(tested)
    return RecordsPlan(logs, base_dir, mapping, scenario, fit, tested, lines, samples, max_excluded, fit_files=files,
                       base=base)
