"""The headline: one screen per audience, first in the report and the workbook.

Per service point (the host municipality's manager): persons and FTE needed against those on
staff, the month that drives the need, the staffing cost in € a year and what each provider's
counter work of it costs (the basis of its compensation); the probability that today's staff
suffices when demand samples were drawn. Per state provider: the compensation, the outreach
plan's cost against the status quo and residents served locally. Then the three largest risks
in plain words.

Persons needed is the larger of the monthly headcount in staffing_summary.csv (FTE rounded
up, at least the persons-named rule) and the most different people the sizing shift plan
(shifts.csv) puts on one day, so the headline never asks for fewer people than a day of the
plan uses; the report names the points where the two differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from planner.outputs.i18n import Words
from planner.outreach.plan import cost_by_provider
from planner.scenario.schemas import Scenario
from planner.staffing.sizing import SizingResult


@dataclass
class Headline:
    points: pd.DataFrame  # one row per point (CSV column names)
    shares: pd.DataFrame  # point × provider: € a year of counter work
    providers: pd.DataFrame  # one row per provider
    risks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    samples: int | None = None
    # The outreach figures' horizon (first day, last day, months): the provider screen's € of outreach and residents
    # are for it, not for a year as the compensation beside them is (the pilots plan a quarter).
    outreach_period: tuple[dt.date, dt.date, int] | None = None


def outreach_period(payload: dict | None) -> tuple[dt.date, dt.date, int] | None:
    """(start, end, months) of outreach summary.json's `horizon`, or None without one."""
    horizon = (payload or {}).get("horizon") or {}
    if not horizon.get("start") or not horizon.get("end"):
        return None
    start, end = dt.date.fromisoformat(horizon["start"]), dt.date.fromisoformat(horizon["end"])
    months = horizon.get("months") or (end.year - start.year) * 12 + end.month - start.month + 1
    return start, end, int(months)


def daily_people(sizing: SizingResult) -> pd.DataFrame:
    """Per point and day: the different people the sizing shift plan puts on duty (one shift per person a day)."""
    shifts = sizing.shifts
    if shifts.empty:
        return pd.DataFrame(columns=["point_id", "date", "month", "people"])
    people = shifts.groupby(["point_id", "date"])["count"].sum().rename("people").reset_index()
    people["month"] = pd.to_datetime(people["date"]).dt.strftime("%Y-%m")
    return people


def staff_probability(samples: pd.DataFrame | None, shrinkage: float) -> pd.Series:
    """Per point: the share of samples in which the staff (FTE less shrinkage) covers the need in every month."""
    if samples is None or samples.empty:
        return pd.Series(dtype=float)
    ok = samples.assign(ok=samples["fte_needed"] <= samples["fte_in_scenario"] * (1 - shrinkage))
    return ok.groupby(["point_id", "sample"])["ok"].all().groupby("point_id").mean()


def build_headline(scenario: Scenario, sizing: SizingResult, words: Words, samples: pd.DataFrame | None = None,
                   violations: pd.DataFrame | None = None, visits: pd.DataFrame | None = None,
                   access: pd.DataFrame | None = None, payload: dict | None = None) -> Headline:
    summary = sizing.summary
    months = max(1, summary["month"].nunique())
    per_year = 12 / months
    rate = scenario.config.workforce.advisor_hourly_cost_eur
    providers = [p.provider_id for p in scenario.providers]
    people = daily_people(sizing)
    probability = staff_probability(samples, scenario.config.workforce.shrinkage)
    rows, shares, notes = [], [], []
    for point in scenario.points:
        mine = summary[summary["point_id"] == point.point_id]
        if mine.empty:
            continue
        peak = mine.loc[mine["fte_with_shrinkage"].idxmax()]
        monthly = int(mine["headcount_needed"].max())
        days = people[people["point_id"] == point.point_id]
        daily = int(days["people"].max()) if len(days) else 0
        if daily > monthly:
            heads = mine.set_index("month")["headcount_needed"]
            over = int((days["people"] > days["month"].map(heads)).sum())
            notes.append(words("headcount_gap", point=point.name, daily=daily, days=over, monthly=monthly))
        rows.append({
            "point_id": point.point_id, "persons_needed": max(monthly, daily),
            "persons_on_staff": int(mine["persons_in_scenario"].iloc[0]),
            "fte_needed_peak": round(float(peak["fte_with_shrinkage"]), 2),
            "fte_on_staff": round(float(mine["fte_in_scenario"].iloc[0]), 2),
            "driving_month": str(peak["month"]), "driver": str(peak["driver"]),
            "cost_eur_year": round(float(mine["paid_hours"].sum()) * rate * per_year, 0),
            "max_people_on_a_day": daily, "headcount_needed": monthly,
            "probability_staff_suffices": (round(float(probability[point.point_id]), 2)
                                           if point.point_id in probability.index else None),
        })
        shares.append({"point_id": point.point_id,
                       **{f"share_eur_{p}": round(float(mine.get(f"cost_eur_{p}", pd.Series([0.0])).sum()) * per_year, 0)
                          for p in providers}})
    points = pd.DataFrame(rows)
    share_table = pd.DataFrame(shares)

    provider_rows = []
    by_provider = cost_by_provider(scenario, visits) if visits is not None else {}
    quo = (payload or {}).get("status_quo")
    # today's trips by provider (summary.json status_quo.official_cost_eur_by_provider), when the status quo was scored
    quo_by_provider = quo.get("official_cost_eur_by_provider") if isinstance(quo, dict) else None
    period = outreach_period(payload)
    # The outreach columns' horizon, on every row: the € and residents are for it, compensation for a year.
    dates = {"outreach_from": period[0].isoformat(), "outreach_to": period[1].isoformat()} if period else {}
    for provider in providers:
        row = {"provider_id": provider,
               "compensation_eur_year": float(share_table[f"share_eur_{provider}"].sum()) if len(share_table) else 0.0}
        if access is not None and len(access):
            mine = access[access["provider_id"] == provider]
            row["outreach_cost_eur"] = round(float(by_provider.get(provider, 0.0)), 2)
            if quo_by_provider is not None:
                row["status_quo_cost_eur"] = round(float(quo_by_provider.get(provider, 0.0)), 2)
            # residents are counted in whole people (access.csv's expected customers, rounded): 40, not 40.0
            row["served_locally"] = int(round(float(mine["served_locally"].sum())))
            row["not_served_locally"] = int(round(float((mine["at_office"] + mine["unmet"]).sum())))
            row["by_video"] = int(round(float(mine["by_remote_service"].sum())))
            row.update(dates)
        provider_rows.append(row)
    provider_table = pd.DataFrame(provider_rows)
    if access is not None and len(access) and payload:
        total = {"provider_id": "total", "compensation_eur_year": float(provider_table["compensation_eur_year"].sum()),
                 # the rows' sum as shown (rounded to the cent), not the model's unrounded total: the table adds up
                 "outreach_cost_eur": round(float(provider_table["outreach_cost_eur"].sum()), 2),
                 "served_locally": int(provider_table["served_locally"].sum()),
                 "not_served_locally": int(provider_table["not_served_locally"].sum()),
                 "by_video": int(provider_table["by_video"].sum()), **dates}
        # Without status_quo_visits.csv there is no status quo: no column for it, not an empty one (issue #15).
        if quo_by_provider is not None:
            total["status_quo_cost_eur"] = round(float(provider_table["status_quo_cost_eur"].sum()), 2)
        elif isinstance(quo, dict):
            total["status_quo_cost_eur"] = quo.get("official_cost_eur")
        provider_table = pd.concat([provider_table, pd.DataFrame([total])], ignore_index=True)
    if "outreach_from" in provider_table:  # the horizon after the figures it is of, status quo included
        provider_table = provider_table[[c for c in provider_table.columns if c not in ("outreach_from", "outreach_to")]
                                        + ["outreach_from", "outreach_to"]]
    headline = Headline(points, share_table, provider_table, notes=notes,
                        samples=int(samples["sample"].nunique()) if samples is not None and len(samples) else None,
                        outreach_period=period if access is not None and len(access) else None)
    headline.risks = risks(scenario, headline, words, violations, access)
    return headline


def risks(scenario: Scenario, headline: Headline, words: Words, violations: pd.DataFrame | None,
          access: pd.DataFrame | None, top: int = 3) -> list[str]:
    """The `top` largest risks, in words, largest first (each scored in comparable 'points at risk')."""
    found: list[tuple[float, str]] = []
    for row in headline.points.to_dict("records"):
        name = words.point(row["point_id"])
        month = words.month(row["driving_month"])
        if row["persons_needed"] > row["persons_on_staff"]:
            found.append((10.0 * (row["persons_needed"] - row["persons_on_staff"]),
                          words("risk_short", point=name, need=row["persons_needed"], month=month,
                                have=row["persons_on_staff"])))
        elif row["fte_needed_peak"] > row["fte_on_staff"] + 0.05:
            # What binds in the driving month (staffing_summary.csv `driver`): a point sized by its minimum manning
            # (Pelkosenniemi) needs the hours to stay open, and its customers do not queue.
            manning = row.get("driver") == "minimum manning"
            found.append((8.0 * (row["fte_needed_peak"] - row["fte_on_staff"]),
                          words("risk_fte_manning" if manning else "risk_fte", point=name,
                                fte=f"{row['fte_needed_peak']:.2f}", month=month,
                                have_fte=f"{row['fte_on_staff']:.2f}", on_duty=scenario.config.workforce.min_on_duty)))
        p = row.get("probability_staff_suffices")
        if p is not None and p == p and p < 0.5:
            found.append((9.0 * (1 - p), words("risk_probability", point=name, p=f"{100 * p:.0f}")))
    if violations is not None and len(violations):
        short = violations[violations["family"].isin(["unmanned", "cover_under"])]
        for point, rows in short.groupby("point"):
            if not isinstance(point, str) or not point:
                continue
            biggest = rows.sort_values("penalty", ascending=False).iloc[0]
            found.append((min(7.0, rows["date"].nunique() / 3),
                          words("risk_unmanned", point=words.point(point), days=rows["date"].nunique(),
                                first=f"{biggest['date']} {biggest['start']}–{biggest['end']}")))
    if access is not None and len(access):
        unmet = access[access["unmet"] + access["at_office"] > 0]
        for row in unmet.to_dict("records"):
            count = row["unmet"] + row["at_office"]
            found.append((min(6.0, count / 5), words("risk_unmet", count=f"{count:.0f}", provider=words.provider(
                row["provider_id"]), point=words.point(row["point_id"]))))
    found.sort(key=lambda item: -item[0])
    return [text for _, text in found[:top]]
