"""Advisor sizing: demand → counter requirement per interval → shifts per day → FTE per month.

1. Arrivals of all providers at a point are pooled per interval (an advisor serves any
   provider's customer), with the arrival-weighted handling time; the queueing model
   gives the counter advisors that meet the scenario's service level.
2. Each open day of each point is a shift-cover model (models/staffing.py): shifts with
   lunch breaks that cover the requirement, keep someone on duty whenever the point is
   open and leave room for the day's back-office work. Days with the same requirement
   curve, window and work are solved once.
3. Paid hours per month become FTE at the scenario's weekly hours, and headcount after
   shrinkage and the "two persons named" rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from models import staffing
from models.kit import Result, SolveParams
from planner.base.budget import solve_params
from planner.base.calendar import finnish_holidays, horizon_days, interval_grid, open_days
from planner.base.tables import concat_rows
from planner.demand.forecast import DemandForecast, handling_minutes
from planner.scenario.schemas import Scenario
from planner.staffing import queueing

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DayPlan:
    result: Result
    solution: staffing.Solution
    problem: staffing.StaffingDay
    back_office_min: int  # the day's back-office work
    prefitted: bool  # True when it fits in any plan, so the model was solved without it

    @property
    def back_office_absorbed_min(self) -> int:
        return self.back_office_min if self.prefitted else self.solution.back_office_absorbed_min


@dataclass
class SizingResult:
    intervals: pd.DataFrame  # one row per (point, date, interval)
    shifts: pd.DataFrame  # one row per (point, date, shift, break) worked
    days: pd.DataFrame  # one row per (point, date)
    summary: pd.DataFrame  # one row per (point, month)
    solver: dict[str, dict] = field(default_factory=dict)  # per point: status counts, objective, bound, gap


def interval_requirements(scenario: Scenario, demand: DemandForecast) -> pd.DataFrame:
    """Pooled arrivals, handling time and required counter advisors for every open interval."""
    sl = scenario.config.service_level
    providers = [p.provider_id for p in scenario.providers]
    wide = demand.intervals.pivot_table(index=["point_id", "date", "interval_start", "open_minutes"],
                                        columns="provider_id", values="arrivals", aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=providers, fill_value=0.0)
    wide.columns = [f"arrivals_{p}" for p in providers]
    wide = wide.reset_index()
    # Every open interval counts, also those without customers (someone must be on duty).
    grid = _open_interval_grid(scenario)
    table = grid.merge(wide, on=["point_id", "date", "interval_start", "open_minutes"], how="left").fillna(0.0)
    handling = _handling_matrix(scenario, providers, table["point_id"].to_numpy())
    by_provider = table[[f"arrivals_{p}" for p in providers]].to_numpy()
    # Handling times may differ per point (an override in baseline_demand.csv), so pool row-wise.
    total, workload = by_provider.sum(axis=1), (by_provider * handling).sum(axis=1)
    aht = np.divide(workload, total, out=np.zeros_like(total), where=total > 0)
    table["arrivals"] = total
    table["aht_minutes"] = aht
    table["workload_minutes"] = workload
    table["required"] = queueing.required_agents(
        total, np.where(aht > 0, aht, 1.0), table["open_minutes"].to_numpy(dtype=float), sl.target,
        sl.answer_within_minutes, max_occupancy=sl.max_occupancy, max_avg_wait_min=sl.max_average_wait_minutes,
        model=sl.queue_model, patience_min=sl.patience_minutes,
    )
    return table


def _open_interval_grid(scenario: Scenario) -> pd.DataFrame:
    interval = scenario.config.horizon.interval_minutes
    days = open_days(scenario)
    parts = []
    for (point, opens, closes), group in days.groupby(["point_id", "opens", "closes"]):
        starts, open_minutes = interval_grid(int(opens), int(closes), interval)
        parts.append(pd.DataFrame({
            "point_id": point,
            "date": np.repeat(group["date"].to_numpy(), len(starts)),
            "interval_start": np.tile(starts, len(group)),
            "open_minutes": np.tile(open_minutes, len(group)),
        }))
    grid = pd.concat(parts, ignore_index=True)
    return grid.sort_values(["point_id", "date", "interval_start"], kind="stable").reset_index(drop=True)


def _handling_matrix(scenario: Scenario, providers: list[str], points: np.ndarray) -> np.ndarray:
    table = handling_minutes(scenario).pivot(index="point_id", columns="provider_id", values="handling_minutes")
    return table.loc[points, providers].to_numpy(dtype=float)


def shift_templates(scenario: Scenario, opens: int, closes: int) -> tuple[staffing.ShiftTemplate, ...]:
    """All allowed shifts inside one opening window, with the lunch break where one is due."""
    workforce, interval = scenario.config.workforce, scenario.config.horizon.interval_minutes
    first = (opens // interval) * interval
    templates: list[staffing.ShiftTemplate] = []
    for hours in workforce.shift_lengths_hours:
        length = int(round(hours * 60 / interval)) * interval
        has_break = hours > workforce.break_after_hours
        brk = int(round(workforce.break_minutes / interval)) * interval if has_break else 0
        earliest, latest = (int(h * 60) for h in workforce.break_window_hours) if has_break else (0, 0)
        templates += staffing.shift_templates(first, closes, interval, [length], brk, earliest, latest)
    return tuple(templates)


def back_office_minutes(scenario: Scenario) -> pd.DataFrame:
    """Weekly back-office hours spread evenly over the point's open days of each ISO week.

    A week the horizon cuts is counted whole: its open days before the horizon start or after the
    horizon end take their share too (the work of those days is not moved onto the horizon's), so
    Fri 2.1.2015, the only day of week 1 in a horizon from 1 January, gets a quarter of the week's
    work (Mon 29.12.–Wed 31.12. are open, New Year's Day is not), not all of it.
    """
    weekly = {}
    for task in scenario.municipal_work:
        weekly[task.point_id] = weekly.get(task.point_id, 0.0) + task.hours_per_week
    start, end = scenario.config.horizon.start, scenario.horizon_end
    # One read of the open days over the whole ISO weeks the horizon cuts; the horizon's are among them.
    whole_weeks = open_days(scenario, start - dt.timedelta(days=start.weekday()),
                            end + dt.timedelta(days=6 - end.weekday()))[["point_id", "date"]]
    whole_weeks = whole_weeks.assign(week=whole_weeks["date"].dt.strftime("%G-%V"))
    per_week = whole_weeks.groupby(["point_id", "week"]).size().rename("per_week").reset_index()
    inside = whole_weeks["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    days = whole_weeks[inside].reset_index(drop=True).merge(per_week, on=["point_id", "week"], how="left")
    minutes = days["point_id"].map(weekly).fillna(0.0) * 60 / days["per_week"]
    return days.assign(back_office_min=minutes.round().astype(int))[["point_id", "date", "back_office_min"]]


def _params(scenario: Scenario) -> SolveParams:
    # A point-day model is tiny and solves to proven optimality in milliseconds on one thread;
    # more threads only add overhead, so parallelism goes across points instead. A tenth of
    # the budget per day.
    return solve_params(scenario, share=0.1, workers=1)


def _key(problem: staffing.StaffingDay) -> str:
    return hashlib.sha256(repr(problem).encode()).hexdigest()


def solve_until_found(built: staffing.Built, params: SolveParams, attempts: int = 3) -> Result:
    """Every day has a plan (all slack is feasible), so a missing one only means too small a budget: retry larger."""
    for attempt in range(attempts):
        scaled = params.scaled(4**attempt)
        result = staffing.solve(built, scaled)
        if result.status in ("OPTIMAL", "FEASIBLE"):
            return result
    raise RuntimeError(f"the staffing model found no plan within {scaled.work_limit:g} deterministic s "
                       f"(status {result.status})")


def plan_days(scenario: Scenario, requirements: pd.DataFrame, progress: Progress | None = None
              ) -> dict[tuple[str, pd.Timestamp], DayPlan]:
    """Solve every open day; identical days (curve, window, back-office work) are solved once."""
    interval = scenario.config.horizon.interval_minutes
    min_on_duty = scenario.config.workforce.min_on_duty
    weights, params = staffing.Weights(), _params(scenario)
    work = back_office_minutes(scenario).set_index(["point_id", "date"])["back_office_min"]
    windows = open_days(scenario).set_index(["point_id", "date"])[["opens", "closes"]]
    cache: dict[str, tuple[Result, staffing.Solution]] = {}  # what a day's solve gives: the rest is the day's own
    plans: dict[tuple[str, pd.Timestamp], DayPlan] = {}
    last_point = None
    for (point, date), day in requirements.groupby(["point_id", "date"], sort=True):
        opens, closes = windows.loc[(point, date)]
        required = tuple(int(r) for r in day["required"])
        back_office = int(work[(point, date)])  # every open day has its share, 0 where the point has no tasks
        # Rounded to the interval so that days alike in all but a few minutes share one solve.
        serving = int(round(day["workload_minutes"].sum() / interval)) * interval
        # Someone is on duty all day anyway: when that time alone holds the back-office work,
        # it cannot change the plan, and leaving it out lets many more days share one solve.
        prefitted = min_on_duty * interval * len(required) - serving >= back_office
        problem = staffing.StaffingDay(
            interval_min=interval,
            open_starts_min=tuple(int(s) for s in day["interval_start"]),
            required=required,
            min_on_duty=(min_on_duty,) * len(required),
            templates=shift_templates(scenario, int(opens), int(closes)),
            back_office_min=0 if prefitted else back_office,
            serving_min=0 if prefitted else serving,
            max_advisors=max(required) + 2 * max(min_on_duty, 1) + 1,
        )
        if progress and point != last_point:
            progress(f"staffing {point} …")
            last_point = point
        key = _key(problem)
        if key not in cache:
            built = staffing.build(problem, weights)
            result = solve_until_found(built, params)
            cache[key] = result, staffing.extract(built, result)
        plans[(point, date)] = DayPlan(*cache[key], problem, back_office, prefitted)
    return plans


def _floor_problem(problem: staffing.StaffingDay) -> staffing.StaffingDay:
    """The same day with no customers: what minimum manning and back-office work alone cost."""
    return staffing.StaffingDay(
        interval_min=problem.interval_min, open_starts_min=problem.open_starts_min,
        required=(0,) * len(problem.required), min_on_duty=problem.min_on_duty, templates=problem.templates,
        back_office_min=problem.back_office_min, max_advisors=problem.max_advisors,
        serving_min=0,
    )


def minimum_manning_floor(scenario: Scenario, plans: dict[tuple[str, pd.Timestamp], DayPlan]) -> dict:
    """Paid minutes each day would need if nobody came: the floor that demand is compared with."""
    weights, params = staffing.Weights(), _params(scenario)
    cache: dict[str, int] = {}
    floor = {}
    for key, plan in plans.items():
        problem = _floor_problem(plan.problem)
        digest = _key(problem)
        if digest not in cache:
            built = staffing.build(problem, weights)
            cache[digest] = staffing.extract(built, solve_until_found(built, params)).paid_min
        floor[key] = cache[digest]
    return floor


def _interval_table(scenario: Scenario, requirements: pd.DataFrame, plans: dict) -> pd.DataFrame:
    sl = scenario.config.service_level
    scheduled = np.concatenate([plans[(p, d)].solution.on_counter
                                for (p, d), _ in requirements.groupby(["point_id", "date"], sort=True)])
    shortfall = np.concatenate([plans[(p, d)].solution.shortfall
                                for (p, d), _ in requirements.groupby(["point_id", "date"], sort=True)])
    table = requirements.sort_values(["point_id", "date", "interval_start"], kind="stable").reset_index(drop=True)
    table["scheduled"] = scheduled.astype(int)
    table["shortfall"] = shortfall.astype(int)
    metrics = queueing.interval_metrics(
        table["arrivals"].to_numpy(), np.where(table["aht_minutes"] > 0, table["aht_minutes"], 1.0),
        table["open_minutes"].to_numpy(dtype=float), table["scheduled"].to_numpy(), sl.answer_within_minutes,
        model=sl.queue_model, patience_min=sl.patience_minutes,
    )
    table["expected_sl"] = np.where(table["arrivals"] > 0, metrics["service_level"], 1.0)
    table["avg_wait_minutes"] = np.where(table["arrivals"] > 0, metrics["avg_wait_min"], 0.0)
    table["occupancy"] = np.where(table["arrivals"] > 0, metrics["occupancy"], 0.0)
    return table


def _shift_table(plans: dict) -> pd.DataFrame:
    rows = []
    for (point, date), plan in sorted(plans.items()):
        for shift in plan.solution.shifts:
            break_min = (shift.break_end_min - shift.break_start_min) if shift.break_start_min is not None else 0
            rows.append((point, date, shift.start_min, shift.end_min, shift.break_start_min, shift.break_end_min,
                         shift.count, (shift.end_min - shift.start_min - break_min) / 60 * shift.count))
    return pd.DataFrame(rows, columns=["point_id", "date", "start_min", "end_min", "break_start_min",
                                       "break_end_min", "count", "paid_hours"])


def _day_table(scenario: Scenario, intervals: pd.DataFrame, plans: dict, floor: dict) -> pd.DataFrame:
    interval = scenario.config.horizon.interval_minutes
    per_day = intervals.groupby(["point_id", "date"]).agg(
        workload_hours=("workload_minutes", lambda s: s.sum() / 60),
        counter_hours=("scheduled", lambda s: s.sum() * interval / 60),
        max_required=("required", "max"),
        shortfall_intervals=("shortfall", lambda s: int((s > 0).sum())),
    ).reset_index()
    extra = pd.DataFrame([
        (p, d, plan.solution.paid_min / 60, floor[(p, d)] / 60, plan.back_office_min / 60,
         plan.back_office_absorbed_min / 60, plan.solution.back_office_extra_min / 60, plan.result.status)
        for (p, d), plan in plans.items()
    ], columns=["point_id", "date", "paid_hours", "floor_hours", "back_office_hours", "back_office_absorbed_hours",
                "back_office_extra_hours", "status"])
    days = per_day.merge(extra, on=["point_id", "date"])
    days["month"] = days["date"].dt.strftime("%Y-%m")
    return days


def workdays_per_month(scenario: Scenario) -> dict[str, int]:
    """Mon–Fri days that are not public holidays: the days a full-timer's hours are worked on."""
    start, end = scenario.config.horizon.start, scenario.horizon_end
    holidays = finnish_holidays(start.year, end.year)
    days = horizon_days(start, end)
    work = days[(days.day_of_week < 5) & ~pd.Series(days.date).isin(set(holidays)).to_numpy()]
    return pd.Series(work.strftime("%Y-%m")).value_counts().to_dict()


def _summary_table(scenario: Scenario, intervals: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    workforce = scenario.config.workforce
    providers = [p.provider_id for p in scenario.providers]
    workdays = workdays_per_month(scenario)
    monthly = days.groupby(["point_id", "month"]).agg(
        open_days=("date", "count"), paid_hours=("paid_hours", "sum"), floor_hours=("floor_hours", "sum"),
        counter_hours=("counter_hours", "sum"), workload_hours=("workload_hours", "sum"),
        back_office_hours=("back_office_hours", "sum"), back_office_absorbed_hours=("back_office_absorbed_hours", "sum"),
        back_office_extra_hours=("back_office_extra_hours", "sum"), peak_required=("max_required", "max"),
        shortfall_intervals=("shortfall_intervals", "sum"),
    ).reset_index()
    capacity = monthly["month"].map(workdays) * workforce.daily_hours
    monthly["fte_needed"] = monthly["paid_hours"] / capacity
    monthly["fte_with_shrinkage"] = monthly["fte_needed"] / (1 - workforce.shrinkage)
    by_demand = np.ceil(monthly["fte_with_shrinkage"] - 1e-9).astype(int)
    monthly["headcount_needed"] = np.maximum(by_demand, workforce.min_named_persons)
    # Demand drives the size only where it costs more than keeping the point open does.
    monthly["driver"] = np.where(monthly["paid_hours"] > monthly["floor_hours"] * 1.02 + 0.5,
                                 "demand", "minimum manning")
    monthly["headcount_rule"] = np.where(by_demand <= workforce.min_named_persons,
                                         f"{workforce.min_named_persons} persons named", "shrinkage")
    monthly["counter_utilisation"] = monthly["workload_hours"] / monthly["counter_hours"].where(monthly["counter_hours"] > 0)
    monthly["idle_counter_hours"] = monthly["counter_hours"] - monthly["workload_hours"]
    staff = pd.DataFrame([(a.point_id, a.fte, a.role) for a in scenario.advisors], columns=["point_id", "fte", "role"])
    scenario_fte = staff[staff.role == "advisor"].groupby("point_id")["fte"].sum()
    monthly["fte_in_scenario"] = monthly["point_id"].map(scenario_fte).fillna(0.0)
    monthly["persons_in_scenario"] = monthly["point_id"].map(staff.groupby("point_id").size()).fillna(0).astype(int)
    work = intervals.assign(month=intervals["date"].dt.strftime("%Y-%m"))
    handling = _handling_matrix(scenario, providers, work["point_id"].to_numpy())
    hours = work[[f"arrivals_{p}" for p in providers]].to_numpy() * handling / 60
    per_provider = pd.DataFrame(hours, columns=[f"workload_hours_{p}" for p in providers])
    per_provider[["point_id", "month"]] = work[["point_id", "month"]].to_numpy()
    per_provider = per_provider.groupby(["point_id", "month"]).sum().reset_index()
    for p in providers:
        per_provider[f"cost_eur_{p}"] = per_provider[f"workload_hours_{p}"] * workforce.advisor_hourly_cost_eur
    return monthly.merge(per_provider, on=["point_id", "month"], how="left")


def size(scenario: Scenario, demand: DemandForecast, progress: Progress | None = None) -> SizingResult:
    """The whole sizing: requirements, day plans, and the tables people read."""
    requirements = interval_requirements(scenario, demand)
    plans = plan_days(scenario, requirements, progress)
    floor = minimum_manning_floor(scenario, plans)
    intervals = _interval_table(scenario, requirements, plans)
    days = _day_table(scenario, intervals, plans, floor)
    solver = {}
    for point in sorted(days["point_id"].unique()):
        distinct = {id(plan.solution): plan for (p, _), plan in plans.items() if p == point}.values()
        objective = sum(p.result.objective or 0 for p in distinct)
        bound = sum(p.result.best_bound or 0 for p in distinct)
        statuses = pd.Series([p.result.status for p in distinct]).value_counts().to_dict()
        # What stopped an unproven day: the wall-clock cap (not repeatable) or the work budget (repeatable).
        stopped = "time limit" if any(p.result.time_limited for p in distinct) else "work limit"
        solver[point] = {
            "status": "OPTIMAL" if set(statuses) == {"OPTIMAL"} else f"FEASIBLE ({stopped})"
            if "FEASIBLE" in statuses else ", ".join(sorted(statuses)),
            "distinct_days_solved": len(distinct), "statuses": statuses,
            "objective": objective, "best_bound": bound,
            "gap": (objective - bound) / max(1.0, abs(objective)),
            "seconds": sum(p.result.seconds for p in distinct),
        }
    return SizingResult(intervals=intervals, shifts=_shift_table(plans), days=days,
                        summary=_summary_table(scenario, intervals, days), solver=solver)




def merge_results(parts: list[SizingResult]) -> SizingResult:
    def concat(name: str) -> pd.DataFrame:
        # A point with no open day adds an empty part; a point whose shifts have no break, an all-empty column.
        return concat_rows([getattr(p, name) for p in parts])

    merged = SizingResult(concat("intervals"), concat("shifts"), concat("days"), concat("summary"))
    for part in parts:
        merged.solver.update(part.solver)
    merged.summary = merged.summary.sort_values(["point_id", "month"], kind="stable").reset_index(drop=True)
    # The whole scenario's order, whatever order the groups came in.
    merged.intervals = merged.intervals.sort_values(["point_id", "date", "interval_start"], kind="stable"
                                                    ).reset_index(drop=True)
    merged.days = merged.days.sort_values(["point_id", "date"], kind="stable").reset_index(drop=True)
    merged.shifts = merged.shifts.sort_values(["point_id", "date"], kind="stable").reset_index(drop=True)
    return merged
