"""Outreach planning: scenario → model inputs → CP-SAT day choice → stop sequencing → output tables.

Decomposition
-------------
1. Prepare (here): face-to-face demand per (point, provider, appointment type) per day =
   the demand forecast × the provider's `face_to_face_share` × the type's `share`; cumulated and
   rounded to whole customers over the horizon (so totals are kept). Of these, the type's
   `remote_share` could use remote video where the provider offers it and the law allows it
   (the upper bound of video, not a fixed take: the model chooses video, a visit or the office
   per customer, within the providers' video hours, video_hours.csv). Day tours of 1 to
   `[outreach] max_stops_per_day` points per official, in their cheapest order, costed with
   planner.outreach.travel's formulas. Each customer's alternative: the round trip to the nearest
   office of the provider open on their arrival day (planner.outreach.travel.office_spans: an office closing
   within the horizon is the alternative until its closing date, then the next nearest). Customers arriving when
   every office of the provider is closed have no office channel: a later visit, video where the law allows it, or
   unmet at `[costs] unmet_eur_per_customer` each (access.csv reason offices_closed; the run warns).
2. Day choice (models.outreach, CP-SAT): which trips, how many appointments, who goes to
   the office, who waits. The model splits into independent parts (officials and the
   customers their tours can reach); each part is solved from a greedy start plan with the
   scenario's time limit, and the parts' bounds (CP-SAT's or the LP relaxation's, the
   larger) add up to the plan's lower bound. Car pooling and cost caps couple the parts:
   then the whole model is solved from the parts' plans as well.
   A part too large for one model (more than blocks.MAX_TRIP_VARIABLES tours × days: a year of a national
   area) is planned in horizon blocks of whole months, in date order, the waiting customers, visit patterns and
   video hours carried across the seams, as one plan with a bound valid for the whole horizon
   (planner/outreach/blocks.py).
3. Sequencing: a multi-stop day is sequenced and timed by the VRPTW engine
   (models.routing) with the points' opening hours as time windows; if it cannot fit the
   day in the windows, the cheapest order from step 1 is kept and the run warns.
4. Tables: visits.csv, visits.ics, access.csv, summary.json (and pareto.csv).

The status quo of the report (§4.2: police one day a month at Pelkosenniemi and Kiiminki,
the register-office lawyer driving from Oulu for each wedding at Kiiminki) is scored by
the same model with those trips pinned (models.outreach.FixedPlan).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

import pandas as pd

from models import outreach as model
from models import routing
from models.kit import SolveParams
from planner.base.budget import solve_params
from planner.base.calendar import clock, finnish_holidays, open_days
from planner.base.errors import InfeasiblePlan, Problem, ScenarioError
from planner.base.geo import Geography
from planner.base.text import quantity
from planner.demand.forecast import forecast
from planner.outreach import blocks
from planner.outreach.travel import OfficeSpan, closed_offices, office_spans, overnight_cost, overnight_fits, visit_cost
from planner.scenario.schemas import WEEKDAYS, AppointmentTypeRow, Scenario, presence_required

HELSINKI = ZoneInfo("Europe/Helsinki")

# Used for a provider without rows in appointment_types.csv (report §4.2 and domain.md; shares estimated).
DEFAULT_APPOINTMENT_TYPES: dict[str, tuple[tuple[str, float, float, float], ...]] = {
    # provider: (appointment_type, slot_minutes, share, remote_share)
    "poliisi": (("permit", 20.0, 1.0, 0.0),),  # 15–20 min slots; no remote role for the police
    "maistraatti": (("wedding", 11.0, 0.25, 0.0),  # 3 min ceremony + 8 min paperwork, in person by law
                    # 1 h guardianship / notary; half can be remote. It mixes guardianship (video allowed) and
                    # notarisations (presence by law): a scenario that can tell them apart lists both in
                    # appointment_types.csv, as the pilots' does (guardianship, notarisation); kept here unsplit so
                    # that scenarios without the file plan as before.
                    ("notary", 60.0, 0.75, 0.5)),
    "te": (("psychologist", 60.0, 1.0, 0.0),),  # vocational psychologist's tests, in person
    "kela": (("benefits", 30.0, 1.0, 0.8),),  # Kela's immediate remote ring takes most
    "vero": (("tax", 15.0, 1.0, 0.0),),  # phone only, no video
}
FALLBACK_TYPE = ("visit", 30.0, 1.0, 0.0)

# Multi-stop days worth offering: points at most an hour's drive apart, at most an hour more
# driving than the farthest stop alone, and per official the 100 with the least extra driving.
MAX_HOP_MINUTES = 60.0
MAX_DETOUR_MINUTES = 60.0
MAX_MULTI_STOP_TOURS = 100


# Why customers are not served locally: the closed list access.csv's `reason` is drawn from
# (a code, a colon, the detail in words; documented in inputs/README.md "Outputs of outreach").
REASONS: dict[str, str] = {
    "no_official": "the provider has no official in officials.csv to serve them: they go to its office, or where none "
                   "is open to customers on the days they arrive (closures.csv, or it has none) they are unmet",
    "offices_closed": "every office of the provider is closed to customers on the days they arrive (closures.csv) and "
                      "no visit served them: none could reach them, or one did not pay at this λ against [costs] "
                      "unmet_eur_per_customer (or the visits made were full); they are unmet, each at that penalty in "
                      "the access cost",
    "point_closed": "no reachable day: the point is not open on any day a visit is allowed (opening_hours.csv, "
                    "visit_patterns.csv weekdays)",
    "official_unavailable": "no reachable day: on the days the point is open, every official who could reach it is "
                            "away or not working (working_weekdays, public holidays, official_absences.csv)",
    "window_shorter_than_slot": "no reachable day: the point is open for less than one appointment slot",
    "beyond_day_reach": "no reachable day: no official can drive there, hold one slot and return within a working "
                        "day (daily_hours), and no overnight trip serves it (none fits a day's drive and one slot, "
                        "[outreach] max_nights is 0, or the customers' office is next door)",
    "video_chosen": "served by remote video from the point: the plan chose video for these customers, cheaper than "
                    "a visit or the office at this λ (at most the type's appointment_types.csv remote_share can use "
                    "video, within video_hours.csv; never for a matter the law requires in person)",
    "office_cheaper": "a visit was possible, but at this access weight λ the office was cheaper than a visit "
                      "or than more appointments",
    "capacity": "the visits made were full (opening hours or the official's day) and one more visit did not pay at "
                "this access weight λ; or video, cheaper than the office for them, was used up (video_hours.csv)",
    "under_half_customer": "under half a customer expected over the planned horizon (a row cut at an office's "
                           "closure: its share rounds to none, the customers being rounded cumulatively over the "
                           "horizon so that the cut rows add up to the uncut total): the plan counts whole customers "
                           "and plans none; one who comes is served at the office",
}


def reason(code: str, detail: str) -> str:
    """A reason of access.csv: a code of REASONS and the detail."""
    assert code in REASONS, code
    return f"{code}: {detail}"


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    problem: model.Problem
    start: dt.date
    end: dt.date
    remote: dict[tuple[str, str, str], float]  # customers who could use video (remote_share of the demand): the cap
    demand: dict[tuple[str, str, str], float]  # face-to-face demand before rounding
    # (point, provider) → the offices its customers drive to, in date order (one span unless one closes mid-horizon);
    # a span without an office: its customers are served at a visit, by video or unmet (Stream.office_open)
    offices: dict[tuple[str, str], tuple[OfficeSpan, ...]]
    span_demand: dict[tuple[str, str, str], tuple[float, ...]]  # demand, per span of offices[point, provider]
    span_remote: dict[tuple[str, str, str], tuple[float, ...]]  # remote, per span of offices[point, provider]
    unreachable: dict[tuple[str, str], str]  # pairs with demand no official of the provider can reach
    opens: dict[tuple[str, int], tuple[int, int]]  # (point, day) → (opens, closes) minutes
    impossible: dict[tuple[str, str, str], str] = field(default_factory=dict)  # streams no visit can serve → reason
    estimated: tuple[str, ...] = ()  # legs whose distance was estimated from coordinates ("a–b")


@dataclass(frozen=True)
class Plan:
    prepared: Prepared
    solution: model.Solution
    visits: pd.DataFrame
    access: pd.DataFrame
    warnings: tuple[str, ...]
    solution_weight: float = 1.0  # the λ the plan was made with


def appointment_types(scenario: Scenario) -> dict[str, tuple[tuple[str, float, float, float], ...]]:
    """Types per provider: appointment_types.csv where given, else the documented defaults."""
    given: dict[str, list[AppointmentTypeRow]] = defaultdict(list)
    for row in scenario.appointment_types:
        given[row.provider_id].append(row)
    table = {}
    for provider in scenario.providers:
        rows = given.get(provider.provider_id)
        if rows:
            table[provider.provider_id] = tuple((r.appointment_type, r.slot_minutes, r.share, r.remote_share) for r in rows)
        else:
            table[provider.provider_id] = DEFAULT_APPOINTMENT_TYPES.get(provider.provider_id, (FALLBACK_TYPE,))
    return table


def horizon(scenario: Scenario, months: int) -> tuple[dt.date, dt.date]:
    start = scenario.config.horizon.start
    if months > scenario.config.horizon.months:
        raise ScenarioError([Problem("scenario.toml", f"--months {months} is longer than the scenario's horizon of "
                                     f"{quantity(scenario.config.horizon.months, 'month')}; expected at most that",
                                     key="horizon.months")])
    first_after = (pd.Period(start, freq="M") + months).start_time.date()
    return start, first_after - dt.timedelta(days=1)


def _cumulative_round(values: list[float]) -> tuple[int, ...]:
    """Whole counts of `values` (≥ 0, in order) whose running sums are the running sums of `values` rounded half up:
    any run of consecutive counts sums to round(sum at its end) − round(sum before it), within 1 of the run's values."""
    out, total, done = [], 0.0, 0
    for value in values:
        total += value
        whole = math.floor(total + 0.5)
        out.append(whole - done)
        done = whole
    return tuple(out)


def whole_customers(expected: list[float], takes: float) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Whole customers per day of `expected` customers per day (the face-to-face demand of one appointment type over
    the planned days), and of them those who could use video (a share `takes`, 0–1): each rounded cumulatively over
    the whole horizon, so that however access.csv cuts the days into rows (an office closing within the horizon),
    the rows' whole customers add up to the horizon's total rounded (cut 0.25 + 0.37 plans 1, as 0.62 uncut does;
    rounding each row alone planned 0 + 0), and each row is within one customer of what it expects."""
    whole = _cumulative_round(expected)
    caps = _cumulative_round([n * takes for n in whole])
    return whole, tuple(min(n, cap) for n, cap in zip(whole, caps, strict=True))


def _best_order(geo: Geography, home: str, points: tuple[str, ...]) -> tuple[tuple[str, ...], list[tuple[float, float]]]:
    best = None
    for order in itertools.permutations(points):
        path = (home, *order, home)
        legs = [geo.leg(a, b) for a, b in itertools.pairwise(path)]
        key = (sum(leg.km for leg in legs), sum(leg.minutes for leg in legs), order)
        if best is None or key < best[0]:
            best = (key, order, [(leg.km, leg.minutes) for leg in legs])
    assert best is not None
    return best[1], best[2]


def _close(geo: Geography, points: tuple[str, ...]) -> bool:
    return all(geo.leg(a, b).minutes <= MAX_HOP_MINUTES for a, b in itertools.combinations(points, 2))


def prepare(scenario: Scenario, months: int, check: bool = True, providers: frozenset[str] | None = None,
            daily: pd.DataFrame | None = None) -> Prepared:
    """Model inputs for the first `months` of the horizon; bad input raises ScenarioError (exit 2).

    `providers`: plan the customers of these providers only (one area of planner.outreach.areas).
    `daily`: the demand stage's arrivals per point, provider and day (computed here when None).
    """
    start, end = horizon(scenario, months)
    geo = Geography(scenario)
    costs = scenario.config.costs
    types = appointment_types(scenario)
    opening = open_days(scenario)
    opening = opening[(opening["date"].dt.date >= start) & (opening["date"].dt.date <= end)]
    days = tuple(sorted(set(opening["date"].dt.date)))
    index = {day: d for d, day in enumerate(days)}
    opens = {(r.point_id, index[r.date.date()]): (int(r.opens), int(r.closes)) for r in opening.itertuples()}
    open_minutes = {key: closes - o for key, (o, closes) in opens.items()}

    daily = forecast(scenario).daily if daily is None else daily
    daily = daily[(daily["date"].dt.date >= start) & (daily["date"].dt.date <= end)]
    streams, remote, demand, offices, span_demand, span_remote = [], {}, {}, {}, {}, {}
    for (point, provider), rows in daily.groupby(["point_id", "provider_id"], sort=True):
        row = scenario.provider(provider)
        if row.face_to_face_share <= 0 or (providers is not None and provider not in providers):
            continue
        per_day = defaultdict(float)
        for r in rows.itertuples():
            per_day[index[r.date.date()]] += r.arrivals * row.face_to_face_share
        spans = offices[point, provider] = office_spans(scenario, point, provider, start, end, geo)
        of_span = [span.indices(days) for span in spans]
        # A day without an open office has no office price: its customers not served are unmet (Stream.unmet_eur).
        price, open_ = [0.0] * len(days), [True] * len(days)
        for span, members in zip(spans, of_span, strict=True):
            for d in members:
                price[d], open_[d] = span.eur, bool(span.office_id)
        for kind, slot, share, remote_share in types[provider]:
            takes = remote_share if row.remote_service != "none" and not presence_required(scenario, provider, kind) \
                else 0.0  # the law requires some types in person (appointment_types.csv presence_required)
            key = (point, provider, kind)
            total = sum(per_day.values()) * share
            demand[key], remote[key] = total, total * takes
            span_demand[key] = tuple(sum(per_day.get(d, 0.0) for d in members) * share for members in of_span)
            span_remote[key] = tuple(part * takes for part in span_demand[key])
            arrivals, video = whole_customers([per_day.get(d, 0.0) * share for d in range(len(days))], takes)
            if sum(arrivals) == 0:
                continue
            streams.append(model.Stream(point, provider, kind, slot, arrivals, price[0],
                                        video if any(video) else (), costs.video_eur_per_customer,
                                        tuple(price) if len(set(price)) > 1 else (),
                                        tuple(open_) if not all(open_) else (), costs.unmet_eur_per_customer))

    holidays_ = finnish_holidays(start.year, end.year)
    officials, tours = [], []
    beyond = []  # (official index, row, points no day trip of theirs reaches, shortest slot per point)
    for official in scenario.officials:
        away = [(a.start, a.end) for a in scenario.official_absences if a.official_id == official.official_id]
        working = frozenset(d for d, day in enumerate(days)
                            if WEEKDAYS[day.weekday()] in official.working_weekdays and day not in holidays_
                            and not any(first <= day <= last for first, last in away))
        o = len(officials)
        officials.append(model.Official(
            official.official_id, official.provider_id, scenario.office(official.home_office_id).municipality,
            official.hourly_cost_eur, official.field_efficiency, int(round(official.daily_hours * 60)), working))
        targets = sorted({s.point for s in streams if s.provider == official.provider_id})
        shortest = {p: min(s.slot_minutes for s in streams if s.point == p and s.provider == official.provider_id)
                    for p in targets}
        day = official.daily_hours * 60
        reachable = [p for p in targets if 2 * geo.leg(official.home_office_id, p).minutes + shortest[p] <= day]
        alone = {p: 2 * geo.leg(official.home_office_id, p).minutes for p in reachable}
        multi = []
        for size in range(1, scenario.config.outreach.max_stops_per_day + 1):
            for subset in itertools.combinations(reachable, size):
                if size > 1 and not _close(geo, subset):
                    continue
                order, legs = _best_order(geo, official.home_office_id, subset)
                minutes = sum(m for _, m in legs)
                if minutes + sum(shortest[p] for p in subset) > day:
                    continue
                detour = minutes - max(alone[p] for p in subset)
                if size > 1:
                    if detour > MAX_DETOUR_MINUTES:
                        continue
                    multi.append((detour, order, legs, minutes))
                    continue
                # one stop: the report's cost case, computed by planner.outreach.travel
                single = visit_cost(scenario, official, order[0], 0, shortest[order[0]], geo)
                tours.append(model.Tour(o, order, single.km, math.ceil(minutes - 1e-9), single.car_eur,
                                        single.salary_eur, tuple(legs)))
        for _, order, legs, minutes in sorted(multi, key=lambda item: (item[0], item[1]))[:MAX_MULTI_STOP_TOURS]:
            km = sum(k for k, _ in legs)
            tours.append(model.Tour(o, order, km, math.ceil(minutes - 1e-9), km * costs.km_rate_eur,
                                    minutes / 60 * official.hourly_cost_eur, tuple(legs)))
        beyond.append((o, official, [p for p in targets if p not in reachable], shortest))
    # Overnight trips go last (a plan of day trips keeps its model, variable for variable), and only to a point no day
    # trip of the provider's officials reaches: where one does, a hotel night is not what the point lacks.
    by_day = {(stop, officials[t.official].provider) for t in tours for stop in t.stops}
    for o, official, points, shortest in beyond:
        tours += overnight_tours(scenario, geo, official, o,
                                 [p for p in points if (p, official.provider_id) not in by_day], shortest, streams)

    unreachable = {}
    for point, provider in sorted({(s.point, s.provider) for s in streams}):
        if not any(point in t.stops and officials[t.official].provider == provider for t in tours):
            has = [o.official_id for o in scenario.officials if o.provider_id == provider]
            unreachable[point, provider] = (
                reason("beyond_day_reach", f"no official of {provider} can reach {point}, hold one slot and return "
                       "within a working day") if has
                else reason("no_official", f"{provider} has no officials in officials.csv"))

    patterns = tuple(model.Pattern(r.point_id, r.provider_id, r.max_days_between,
                                   tuple(WEEKDAYS.index(w) for w in r.weekdays)) for r in scenario.visit_patterns)
    problem = model.Problem(days, tuple(officials), tuple(tours), tuple(streams), open_minutes, patterns,
                            costs.pool_cars, opens=opens,
                            day_start=int(round(scenario.config.outreach.day_start_hour * 60)),
                            video_limits=video_limits(scenario, days, start, end))
    impossible = {(s.point, s.provider, s.appointment_type): why for s in streams
                  if (why := no_visit_reason(problem, s)) is not None}
    used = {(scenario.officials[t.official].home_office_id, stop) for t in tours for stop in t.stops}
    # Office first, as the officials' legs: one distances.csv row serves both directions, so a leg is named once
    # (the trial: "jyvaskyla-maistraatti–mikkeli, mikkeli–jyvaskyla-maistraatti").
    used |= {(span.office_id, point) for (point, _), spans in offices.items() for span in spans if span.office_id}
    estimated = tuple(sorted(f"{a}–{b}" for a, b in used if geo.leg(a, b).estimated))
    prepared = Prepared(scenario, problem, start, end, remote, demand, offices, span_demand, span_remote, unreachable,
                        opens, impossible, estimated)
    if check:
        problems = outreach_problems(prepared)
        if any(p.severity == "error" for p in problems):
            raise ScenarioError(problems)
    return prepared


def video_limits(scenario: Scenario, days: tuple[dt.date, ...], start: dt.date,
                 end: dt.date) -> tuple[model.VideoLimit, ...]:
    """video_hours.csv as the model's limits: one per row and period (ISO week or calendar month) the horizon touches.

    A period the horizon cuts gets its hours in proportion to its calendar days inside the horizon. A provider
    without rows has unlimited video hours (its customers' use of video is then bounded by remote_share alone, as
    today's fixed share was); a provider with official rows has its video served by those officials only.
    """
    out = []
    for row in scenario.video_hours:
        periods: dict[str, list[int]] = defaultdict(list)
        for d, day in enumerate(days):
            year, week, _ = day.isocalendar()
            periods[f"{year:04d}-W{week:02d}" if row.per == "week" else f"{day.year:04d}-{day.month:02d}"].append(d)
        for name, members in sorted(periods.items()):
            first = days[members[0]]
            if row.per == "week":
                lo = first - dt.timedelta(days=first.weekday())
                hi = lo + dt.timedelta(days=6)
            else:
                lo = first.replace(day=1)
                hi = (pd.Period(first, freq="M").end_time.date())
            inside = (min(hi, end) - max(lo, start)).days + 1
            minutes = math.floor(row.hours * 60 * inside / ((hi - lo).days + 1) + 1e-9)
            out.append(model.VideoLimit(row.provider_id, row.official_id, tuple(members), minutes, name))
    return tuple(out)


def overnight_tours(scenario: Scenario, geo: Geography, official, o: int, beyond: list[str],
                    shortest: dict[str, float], streams: list[model.Stream]) -> list[model.Tour]:
    """Overnight trips of 1 … `[outreach] max_nights` nights to the points `beyond` a day trip of the provider's
    officials.

    Offered where a day holds the drive one way and one slot (the first and last days), and where the
    provider's customers there pay anything to reach the office: with an office next door no λ makes a
    hotel night pay. Costs: planner.outreach.travel.overnight_cost (car, salary, hotel, per diem).
    """
    tours = []
    for point in beyond:
        leg = geo.leg(official.home_office_id, point)
        if not overnight_fits(official, leg.minutes, shortest[point]):
            continue
        if not any(n and s.office_on(d) > 0 for s in streams if s.point == point and s.provider == official.provider_id
                   for d, n in enumerate(s.arrivals)):
            continue
        one_way = math.ceil(leg.minutes - 1e-9)
        for nights in range(1, scenario.config.outreach.max_nights + 1):
            cost = overnight_cost(scenario, official, point, nights, 0, shortest[point], geo)
            tours.append(model.Tour(o, (point,), cost.km, 2 * one_way, cost.car_eur, cost.salary_eur,
                                    ((leg.km, leg.minutes), (leg.km, leg.minutes)), nights,
                                    (one_way, *([0] * (nights - 1)), one_way), cost.hotel_eur, cost.per_diem_eur))
    return tours


def no_visit_reason(problem: model.Problem, stream: model.Stream) -> str | None:
    """Why no visit can serve `stream` on any day of the horizon (a reason of REASONS), or None if one can."""
    mine = [o for o, x in enumerate(problem.officials) if x.provider == stream.provider]
    if not mine:
        return reason("no_official", f"{stream.provider} has no officials in officials.csv")
    slot = model._minutes(stream.slot_minutes)
    tours = [t for t in problem.tours if t.official in mine and stream.point in t.stops
             and problem.officials[t.official].day_minutes - max(t.drive_on(i) for i in range(t.days)) >= slot]
    if not tours:
        return reason("beyond_day_reach", f"no official of {stream.provider} can drive to {stream.point}, hold a "
                      f"{stream.slot_minutes:g} min slot and return within a working day, nor on an overnight trip")
    open_days = {d: m for (point, d), m in problem.open_minutes.items() if point == stream.point}
    if open_days and max(open_days.values()) < slot:
        return reason("window_shorter_than_slot", f"{stream.point} is open at most {max(open_days.values())} min a "
                      f"day, a {stream.appointment_type} slot is {stream.slot_minutes:g} min")
    weekdays = [set(pt.weekdays) for pt in problem.patterns
                if (pt.point, pt.provider) == (stream.point, stream.provider) and pt.weekdays]
    allowed = [d for d, m in open_days.items() if m >= slot
               and all(problem.days[d].weekday() in w for w in weekdays)]
    if not allowed:
        return reason("point_closed", f"{stream.point} is not open for a {stream.slot_minutes:g} min slot on any day "
                      "a visit is allowed" + (" (visit_patterns.csv weekdays)" if weekdays else ""))
    reachers = {t.official for t in tours}
    if not any(d in problem.officials[o].days for o in reachers for d in allowed):
        return reason("official_unavailable", f"on the days {stream.point} is open, every {stream.provider} official "
                      "who can reach it is away or not working")
    return None


def outreach_problems(prepared: Prepared) -> list[Problem]:
    """Bad input for outreach, found before solving, in the user's terms."""
    scenario, problem = prepared.scenario, prepared.problem
    problems: list[Problem] = []
    for number, official in enumerate(scenario.officials, start=2):
        if not problem.officials[number - 2].days:
            problems.append(Problem(
                "officials.csv", f"official {official.official_id!r} has no working day between {prepared.start} and "
                f"{prepared.end} (working_weekdays {'|'.join(official.working_weekdays)}, public holidays and "
                "official_absences.csv excluded, only days a point is open count); expected at least one",
                row=number, column="working_weekdays"))
    days_by_provider: dict[str, float] = defaultdict(float)
    for official in scenario.officials:
        days_by_provider[official.provider_id] = max(days_by_provider[official.provider_id], official.daily_hours * 60)
    for number, row in enumerate(scenario.appointment_types, start=2):
        longest = days_by_provider.get(row.provider_id, scenario.config.workforce.daily_hours * 60)
        if row.slot_minutes > longest:
            problems.append(Problem(
                "appointment_types.csv", f"a {row.appointment_type} slot of {row.slot_minutes:g} min is longer than the "
                f"longest working day of any {row.provider_id} official ({longest:g} min); expected a shorter slot",
                row=number, column="slot_minutes"))
    with_demand = sorted({s.point for s in problem.streams})
    served = {p for t in problem.tours for p in t.stops}
    for point in with_demand:
        if point not in served:
            providers = sorted({s.provider for s in problem.streams if s.point == point})
            row = next(i for i, p in enumerate(scenario.points, start=2) if p.point_id == point)
            problems.append(Problem(
                "points.csv", f"{point} has face-to-face demand ({', '.join(providers)}) but no official can drive there, "
                "hold one appointment and return within a working day, and no overnight trip serves it (none fits, "
                "[outreach] max_nights is 0, or the office is next door): its customers go to the office (access.csv "
                "reason beyond_day_reach); for visits, add an official of one of these providers closer to it "
                "(officials.csv), a longer daily_hours, or a distance in distances.csv",
                row=row, column="point_id", severity="warning"))
    for number, row in enumerate(scenario.visit_patterns, start=2):
        if row.max_days_between and (row.point_id, row.provider_id) in prepared.unreachable:
            problems.append(Problem(
                "visit_patterns.csv", f"a visit every {row.max_days_between} days is asked for, but "
                f"{prepared.unreachable[row.point_id, row.provider_id]}; expected a reachable pair",
                row=number, column="max_days_between"))
    problems += pattern_problems(prepared) + window_problems(prepared)
    return problems


def pattern_problems(prepared: Prepared) -> list[Problem]:
    """visit_patterns.csv rows no plan can meet, decided by the inputs alone: the allowed weekdays are closed
    or nobody works then; a run of max_days_between days without a day a visit is possible."""
    scenario, problem = prepared.scenario, prepared.problem
    problems: list[Problem] = []
    for number, row in enumerate(scenario.visit_patterns, start=2):
        pair = (row.point_id, row.provider_id)
        streams = [s for s in problem.streams if (s.point, s.provider) == pair]
        if not streams or pair in prepared.unreachable:
            continue
        slot = min(model._minutes(s.slot_minutes) for s in streams)
        reach = {t.official for t in problem.tours if row.point_id in t.stops
                 and problem.officials[t.official].provider == row.provider_id}
        weekdays = {WEEKDAYS.index(w) for w in row.weekdays}
        open_days = [d for d, day in enumerate(problem.days) if problem.open_minutes.get((row.point_id, d), 0) >= slot
                     and (not weekdays or day.weekday() in weekdays)]
        possible = [d for d in open_days if any(d in problem.officials[o].days for o in reach)]
        listed = "|".join(row.weekdays)
        if row.weekdays and not open_days:
            problems.append(Problem(
                "visit_patterns.csv", f"visits of {row.provider_id} to {row.point_id} are allowed only on {listed}, but "
                f"{row.point_id} is closed on those days (opening_hours.csv) between {prepared.start} and "
                f"{prepared.end}; expected weekdays the point is open", row=number, column="weekdays"))
            continue
        if row.weekdays and not possible:
            problems.append(Problem(
                "visit_patterns.csv", f"visits of {row.provider_id} to {row.point_id} are allowed only on {listed}, but "
                f"no {row.provider_id} official who can reach it works on those days (officials.csv working_weekdays, "
                "public holidays, official_absences.csv); expected weekdays they work", row=number, column="weekdays"))
            continue
        if row.max_days_between:
            dates = sorted(problem.days[d] for d in possible)
            first, last = problem.days[0], problem.days[-1]
            n = row.max_days_between
            edges = [first - dt.timedelta(days=1), *dates, last + dt.timedelta(days=1)]
            for before, after in itertools.pairwise(edges):
                if (after - before).days - 1 >= n:
                    gap_from, gap_to = before + dt.timedelta(days=1), after - dt.timedelta(days=1)
                    problems.append(Problem(
                        "visit_patterns.csv", f"a visit of {row.provider_id} to {row.point_id} every {n} days is asked "
                        f"for, but no visit is possible from {gap_from} to {gap_to} ({(gap_to - gap_from).days + 1} "
                        "days: the point closed, or no official who can reach it working"
                        + (f", or not {listed}" if row.weekdays else "") + "); expected a longer max_days_between",
                        row=number, column="max_days_between"))
                    break
    return problems


def window_problems(prepared: Prepared) -> list[Problem]:
    """opening_hours.csv rows too short for any appointment of a provider that has demand and officials there."""
    scenario, problem = prepared.scenario, prepared.problem
    problems: list[Problem] = []
    pairs = sorted({(s.point, s.provider) for s in problem.streams})
    for point, provider in pairs:
        streams = [s for s in problem.streams if (s.point, s.provider) == (point, provider)]
        reasons = [prepared.impossible.get((s.point, s.provider, s.appointment_type), "") for s in streams]
        if not all(r.startswith("window_shorter_than_slot") for r in reasons):
            continue
        rows = [(n, r) for n, r in enumerate(scenario.opening_hours, start=2) if r.point_id == point]
        longest = max(problem.open_minutes.get((point, d), 0) for d in range(len(problem.days)))
        shortest = min(s.slot_minutes for s in streams)
        number = rows[0][0] if rows else None
        problems.append(Problem(
            "opening_hours.csv", f"{point} is open at most {longest} min a day, shorter than the shortest "
            f"{provider} appointment slot ({shortest:g} min, appointment_types.csv slot_minutes or the default): no "
            f"visit of {provider} is possible; expected opening hours of at least {shortest:g} min or a shorter slot",
            row=number, column="closes"))
    return problems


# --------------------------------------------------------------------------- status quo


def status_quo_plan(prepared: Prepared) -> model.FixedPlan | None:
    """Today's way of working from status_quo_visits.csv (None without the file): the trips listed, each
    official's trips a month, and one trip per appointment where `per_appointment`; nothing else travels.

    The default scenario's file holds the report's practice (§4.2): police one day a month at Pelkosenniemi
    (Kemijärvi) and Kiiminki (Haukipudas); the register-office lawyer from Oulu drives to Kiiminki per wedding.
    """
    rows = prepared.scenario.status_quo_visits
    if not rows:
        return None
    problem = prepared.problem
    months = sorted({f"{d.year:04d}-{d.month:02d}" for d in problem.days})
    tours = frozenset((r.official_id, (r.point_id,)) for r in rows)
    monthly = {(r.official_id, r.point_id, m): r.visits_per_month for r in rows if r.visits_per_month for m in months}
    per_visit: dict[tuple[str, str], int] = {}
    local = set()
    for r in rows:
        if not r.appointment_type:
            continue
        kinds = {s.appointment_type for s in problem.streams if s.provider == r.provider_id}
        for kind in kinds:
            if kind != r.appointment_type:
                per_visit[r.official_id, kind] = 0
            elif r.per_appointment:
                per_visit[r.official_id, kind] = 1
        if r.per_appointment:
            local |= {(s.point, s.provider, s.appointment_type) for s in problem.streams
                      if (s.point, s.provider, s.appointment_type) == (r.point_id, r.provider_id, r.appointment_type)}
    return model.FixedPlan(tours, monthly, per_visit, frozenset(local))


def status_quo_description(scenario: Scenario) -> str:
    """status_quo_visits.csv in words, for summary.json."""
    parts = []
    for r in scenario.status_quo_visits:
        what = f"{r.official_id} to {r.point_id}"
        if r.visits_per_month:
            what += f" {r.visits_per_month}× a month"
        if r.per_appointment:
            what += f", a trip per {r.appointment_type}"
        elif r.appointment_type:
            what += f" for {r.appointment_type} only"
        parts.append(what)
    return ("status_quo_visits.csv: " + "; ".join(parts) + "; everyone else to the office, or by video where the "
            "law allows it and the plan chooses it") if parts else ""


# --------------------------------------------------------------------------- run


def params(scenario: Scenario, time_limit_s: float | None = None) -> SolveParams:
    return solve_params(scenario, time_limit=time_limit_s)


def weights(scenario: Scenario, access_weight: float | None = None, **caps: float | None) -> model.Weights:
    costs = scenario.config.costs
    lam = costs.access_weight if access_weight is None else access_weight
    return model.Weights(lam, costs.waiting_cost_eur_per_day, **caps)


def coupled(problem: model.Problem, w: model.Weights) -> bool:
    """Whether the parts of model.split interact: cost caps, or car pooling between officials of one town."""
    if w.max_official_eur is not None or w.max_access_eur is not None:
        return True
    towns = [o.town for o in problem.officials]
    return problem.pool_cars and len(towns) != len(set(towns))


def part_progress(progress: Callable[[str], None] | None, label: str) -> Callable[[float, float, float], None] | None:
    """A solver callback that says which officials' plan improved, to what, and the bound."""
    if progress is None:
        return None
    # Costs are never negative (a shared car saves at most one of the two trips' car costs): nor is a bound.
    return lambda objective, bound, seconds: progress(
        f"outreach {label}: objective {objective:.2f} €, bound {max(0.0, bound):.2f} € at {seconds:.1f} s")


def solve_problem(prepared: Prepared, problem: model.Problem, w: model.Weights, p: SolveParams,
                  hint: dict[str, int] | None = None,
                  progress: Callable[[str], None] | None = None,
                  hint_parts: bool = False,
                  max_trip_variables: int = blocks.MAX_TRIP_VARIABLES) -> tuple[model.Solution, dict[str, int]]:
    """The plan of `problem` and its values by variable name: in horizon blocks (planner/outreach/blocks.py) when
    blocks.spans splits it (more than `max_trip_variables` tours × days or blocks.MAX_MODEL_VARIABLES variables, no
    fixed plan, no coupling), else solve_horizon's one model per part."""
    spans = blocks.spans(problem, max_trip_variables, w) if problem.fixed is None and not coupled(problem, w) \
        else [range(len(problem.days))]
    if len(spans) > 1:
        return blocks.solve_blocks(problem, spans, w, p, lambda block, label, share: solve_horizon(
            block, w, share, hint, _labelled(progress, label), hint_parts, proof_lp=False), progress)
    built, result = solve_horizon(problem, w, p, hint, progress, hint_parts)
    return model.extract(built, result), model.values(built, result)


def _labelled(progress: Callable[[str], None] | None, label: str) -> Callable[[str], None] | None:
    return None if progress is None else lambda line: progress(f"{line} [{label}]")


def solve_horizon(problem: model.Problem, w: model.Weights, p: SolveParams, hint: dict[str, int] | None = None,
                  progress: Callable[[str], None] | None = None,
                  hint_parts: bool = False, proof_lp: bool = True) -> tuple[model.Built, model.Result]:
    """Solve the independent parts (model.split), each with the full time limit; combine them.

    When the parts interact (car pooling, cost caps) the whole model is then solved from
    the parts' plans (if they respect the caps) or from `hint` (e.g. the status quo); the
    better of that and the parts' plans is kept, with the whole model's bound. Otherwise
    the parts' plans are the plan and their bounds add up to its bound. With `hint_parts`,
    the parts start from `hint` too (a neighbouring λ's plan) instead of the greedy plan. Without `proof_lp` the
    parts' bounds are CP-SAT's, no LP solved (a horizon block: its bound is the blocks' relaxations', blocks.py).
    """
    free = replace(w, max_official_eur=None, max_access_eur=None)
    parts = model.split(problem)
    # The whole model carries the parts' plans to extraction: built once, without a start plan of its own (the
    # greedy start of a year's area takes a minute), and not at all when the one part is the whole problem.
    built = None if len(parts) == 1 and free == w and parts[0] == problem else model.build(problem, w, hint={})
    values: dict[str, int] = {}
    objective = bound = official = access = seconds = work = 0.0
    statuses = set()
    for part in parts:
        part_built = model.build(part, free, hint=hint if hint_parts and hint else None)
        if built is None:
            built = part_built
        label = "+".join(o.id for o in part.officials) or "customers of providers without officials (office or video)"
        result = model.solve(part_built, replace(p, progress=part_progress(progress, label)), lp=proof_lp)
        if result.objective is None and part.fixed is None and not part.patterns:
            # No plan within the time limit: the greedy start plan is feasible here; keep it.
            result = model.evaluate(part_built, model.greedy_hint(part_built))
        if part.fixed is None:  # the status quo is a given plan: nothing to improve
            result = model.improve(part_built, result, p)
        if result.objective is None and result.status == "UNKNOWN":
            # Not proven impossible, just nothing found within the budget: one larger try.
            result = model.solve(part_built, p.scaled(4), lp=proof_lp)
        if result.objective is None:
            statuses.add(result.status)
            break
        solution = model.extract(part_built, result)
        values.update(model.values(part_built, result))
        objective, bound = objective + result.objective, bound + (result.best_bound or 0.0)
        official, access = official + solution.official_eur, access + solution.access_eur
        seconds, work = seconds + result.seconds, work + result.work  # the parts' solves, reported as the plan's
        statuses.add(result.status)
    parts_ok = statuses <= {"OPTIMAL", "FEASIBLE"}
    within = (w.max_official_eur is None or official <= w.max_official_eur + 1e-6) and (
        w.max_access_eur is None or access <= w.max_access_eur + 1e-6)
    combined = None
    if parts_ok and within:
        status = "OPTIMAL" if statuses == {"OPTIMAL"} else "FEASIBLE"
        combined = model.plan_result(built, status, objective, bound, values, seconds, work)
    if combined is not None and not coupled(problem, w):
        return built, combined
    built = model.build(problem, w, hint=values if combined is not None else hint)
    result = model.solve(built, replace(p, progress=part_progress(progress, "all officials together")))
    if combined is not None and (result.objective is None or combined.objective < result.objective - 1e-6):
        # The parts' plan is feasible for the whole (pooling only adds options); keep the whole's bound.
        best = result.best_bound if result.best_bound is not None else None
        result = model.settled(replace(combined, status="FEASIBLE", best_bound=best, gap=None if best is None else
                                       max(0.0, combined.objective - best) / max(1.0, combined.objective)))
    if result.objective is None:
        reason = ("the visit patterns, calendars and day lengths leave no plan" if result.status == "INFEASIBLE"
                  or "INFEASIBLE" in statuses else
                  f"no plan found within the work budget (solver status {result.status})")
        raise InfeasiblePlan([reason])
    return built, result


def estimated_warning(prepared: Prepared) -> str | None:
    """The legs whose distance the plan estimated from coordinates (no distances.csv row), in words."""
    if not prepared.estimated:
        return None
    travel = prepared.scenario.config.travel
    shown = ", ".join(prepared.estimated[:20]) + (f" and {len(prepared.estimated) - 20} more"
                                                 if len(prepared.estimated) > 20 else "")
    return (f"distances estimated from coordinates (straight line × {travel.detour_factor:g}, {travel.speed_kmh:g} km/h; "
            f"no row in distances.csv) for {quantity(len(prepared.estimated), 'leg')}: {shown}")


def run(prepared: Prepared, access_weight: float | None = None, time_limit_s: float | None = None,
        hint: dict[str, int] | None = None, progress: Callable[[str], None] | None = None, **caps: float | None) -> Plan:
    """Day choice, then sequencing and tables."""
    scenario = prepared.scenario
    w = weights(scenario, access_weight, **caps)
    solution, _ = solve_problem(prepared, prepared.problem, w, params(scenario, time_limit_s), hint, progress)
    visits, warnings = visit_table(prepared, solution)
    estimated = estimated_warning(prepared)
    if estimated:
        warnings.insert(0, estimated)
    warnings += offices_closed_warnings(prepared, solution)
    return Plan(prepared, solution, visits, access_table(prepared, solution), tuple(warnings), w.access_weight)


def offices_closed_warnings(prepared: Prepared, solution: model.Solution) -> list[str]:
    """Per provider with customers arriving when every office of it is closed (closures.csv): how many, from when,
    where the plan put them (visits, video) and how many are unmet, at what penalty. [] when no such customer."""
    problem, scenario = prepared.problem, prepared.scenario
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # arrived, at visits, by video, unmet
    first: dict[str, int] = {}
    for outcome in solution.outcomes:
        stream = problem.streams[outcome.stream]
        for d, n in enumerate(stream.arrivals):
            if n and not stream.has_office(d):
                served, unmet, video, _ = outcome.by_arrival.get(d, (0, 0, 0, 0))
                for i, value in enumerate((n, served, video, unmet)):
                    counts[stream.provider][i] += value
                first[stream.provider] = min(first.get(stream.provider, d), d)
    penalty = scenario.config.costs.unmet_eur_per_customer
    out = []
    for provider, (arrived, served, video, unmet) in sorted(counts.items()):
        since, _ = all_closed_since(scenario, provider, problem.days[first[provider]])
        when = (f"from {since}, when every office of {provider} is closed to customers (closures.csv)" if since
                else f"while {provider} has no office in the scenario")
        out.append(f"{quantity(arrived, 'customer')} of {provider} arrive {when}: {served} served at visits, "
                   f"{video} by video, {unmet} unmet (access.csv reason offices_closed or no_official; each unmet "
                   f"costs [costs] unmet_eur_per_customer {penalty:g} € in the access cost)")
    return out


def status_quo(prepared: Prepared, time_limit_s: float | None = None) -> tuple[model.Solution, dict[str, int]] | None:
    """Today's way of working (status_quo_visits.csv), scored by the same model over the same horizon and
    weights; None when the scenario has no such file."""
    fixed = status_quo_plan(prepared)
    if fixed is None:
        return None
    problem = replace(prepared.problem, fixed=fixed, patterns=(), pool_cars=False)
    return solve_problem(prepared, problem, weights(prepared.scenario), params(prepared.scenario, time_limit_s))


# --------------------------------------------------------------------------- sequencing and tables


def _sequence(prepared: Prepared, o: int, d: int, k: int, service: dict[str, float],
              time_limit_s: float) -> tuple[tuple[str, ...], list[tuple[float, float]]] | None:
    """Order and time a multi-stop day with the VRPTW engine; None if it cannot fit the opening hours."""
    problem = prepared.problem
    tour = problem.tours[k]
    official = problem.officials[o]
    geo = Geography(prepared.scenario)
    home = prepared.scenario.officials[o].home_office_id
    places = [home, *tour.stops]
    day_start = prepared.scenario.config.outreach.day_start_hour * 60
    nodes = [routing.Node(id=home, ready_time=day_start)]
    for point in tour.stops:
        opens, closes = prepared.opens[point, d]
        nodes.append(routing.Node(id=point, service_time=service[point], ready_time=opens,
                                  due_time=closes - service[point]))
    km = [[geo.leg(a, b).km for b in places] for a in places]
    minutes = [[geo.leg(a, b).minutes for b in places] for a in places]
    vehicle = routing.Vehicle(id=official.id, start=0, end=0, max_duration=official.day_minutes)
    rp = routing.RoutingProblem(nodes=tuple(nodes), vehicles=(vehicle,), distance=tuple(map(tuple, km)),
                                travel_time=tuple(map(tuple, minutes)))
    search = routing.SearchParams(time_limit_s=time_limit_s, configs=(
        routing.SearchConfig(first_solutions=("PATH_CHEAPEST_ARC",), improvement="GREEDY_DESCENT",
                             ruin_recreate_share=0.0, ruin_recreate_iterations=0),))
    built = routing.build(rp, search)
    solution = routing.extract(built, routing.solve(built, search))
    if solution.status != "FEASIBLE" or not solution.routes:
        return None
    stops = solution.routes[0].stops
    return tuple(s.node_id for s in stops[1:-1]), [(s.start, s.departure) for s in stops]  # order, times


def visit_table(prepared: Prepared, solution: model.Solution) -> tuple[pd.DataFrame, list[str]]:
    """One row per stop: official, date, order, times, appointments and the day's costs on its first stop."""
    problem, scenario = prepared.problem, prepared.scenario
    geo = Geography(scenario)
    day_start = scenario.config.outreach.day_start_hour * 60
    by_trip: dict[tuple[int, int, int], list[model.Visit]] = defaultdict(list)
    for visit in solution.visits:
        o = next(i for i, x in enumerate(problem.officials) if x.id == visit.official)
        by_trip[o, visit.day, visit.tour].append(visit)
    rows, warnings = [], []
    multi = [key for key in by_trip if len(problem.tours[key[2]].stops) > 1]
    slice_s = max(0.1, min(0.5, scenario.config.solver.time_limit_seconds / max(1, len(multi))))
    for (o, d, k), visits in sorted(by_trip.items(), key=lambda item: (problem.days[item[0][1]], item[0][0])):
        tour, official = problem.tours[k], problem.officials[o]
        row = scenario.officials[o]
        visits = [v for v in visits if sum(v.appointments.values()) > 0]  # a stop serves someone (the model's
        if not visits:                                                     # add_visit_serves); never an empty row
            continue
        if tour.nights:
            row_, warning = _overnight_row(prepared, o, d, visits[0], geo, day_start)
            rows.append(row_)
            warnings += warning
            continue
        service = {v.point: v.service_minutes for v in visits}
        order = tuple(point for point in tour.stops if point in service)
        timed = _sequence(prepared, o, d, k, service, slice_s) if 1 < len(order) == len(tour.stops) else None
        if timed is not None:
            order = timed[0]
        path = (row.home_office_id, *order, row.home_office_id)
        legs = [geo.leg(a, b) for a, b in itertools.pairwise(path)]
        first_open = prepared.opens[order[0], d][0]
        clock_ = max(day_start, first_open - legs[0].minutes)
        depart = clock_
        times = []
        for i, point in enumerate(order):
            arrive = clock_ + legs[i].minutes
            opens, closes = prepared.opens[point, d]
            begin = max(arrive, opens)
            leave = begin + service[point]
            if leave > closes + 1e-6:
                warnings.append(f"{official.id} on {problem.days[d]}: the visit to {point} runs past closing "
                                f"({clock(int(round(leave)))} > {clock(closes)})")
            times.append((arrive, begin, leave))
            clock_ = leave
        back = clock_ + legs[-1].minutes
        if back - depart > official.day_minutes + 1e-6:
            warnings.append(f"{official.id} on {problem.days[d]}: the day is {(back - depart) / 60:.2f} h with waiting "
                            f"for opening hours, longer than {official.day_minutes / 60:g} h")
        km = sum(leg.km for leg in legs)
        drive_h = sum(leg.minutes for leg in legs) / 60
        pooled = next((v.pooled_with for v in visits if v.pooled_with), None)
        car = km * scenario.config.costs.km_rate_eur
        if pooled:  # the pair's car cost is counted once: the second official of the pair shows the saving
            partner = next(i for i, x in enumerate(problem.officials) if x.id == pooled)
            other = next(t for t in problem.tours if t.official == partner and t.stops == tour.stops)
            if o > partner:
                car -= min(car, other.car_eur)
        for i, point in enumerate(order):
            visit = next(v for v in visits if v.point == point)
            stream_slots = {s.appointment_type: s.slot_minutes for s in problem.streams
                            if s.point == point and s.provider == official.provider}
            productivity = sum(n * stream_slots[t] / 60 for t, n in visit.appointments.items()) * (
                1 / official.field_efficiency - 1) * official.hourly_cost_eur
            first = i == 0
            rows.append({
                "official_id": official.id, "date": problem.days[d].isoformat(), "stop_order": i + 1,
                "point_id": point, "depart": clock(int(round(depart))) if first else "",
                "arrive": clock(int(round(times[i][0]))), "start": clock(int(round(times[i][1]))),
                "leave": clock(int(round(times[i][2]))),
                "return": clock(int(round(back))) if i == len(order) - 1 else "",
                "appointments": sum(visit.appointments.values()),
                "appointment_types": "|".join(f"{t}:{n}" for t, n in sorted(visit.appointments.items())),
                "km": round(km, 2) if first else 0.0, "travel_hours": round(drive_h, 3) if first else 0.0,
                "car_eur": round(car, 2) if first else 0.0,
                "salary_eur": round(drive_h * official.hourly_cost_eur, 2) if first else 0.0,
                "productivity_eur": round(productivity, 2), "pooled_with": pooled or "",
                "start_minute": times[i][1], "end_minute": times[i][2],
            })
    columns = ["official_id", "date", "stop_order", "point_id", "depart", "arrive", "start", "leave", "return",
               "appointments", "appointment_types", "km", "travel_hours", "car_eur", "salary_eur",
               "productivity_eur", "pooled_with"]
    overnight = any(problem.tours[k].nights for _, _, k in solution.trips)
    if overnight:
        columns += OVERNIGHT_COLUMNS  # only then: a plan of day trips keeps its columns (and its golden bytes)
    frame = pd.DataFrame(rows, columns=[*columns, "start_minute", "end_minute"])
    return with_overnight_columns(frame) if overnight else frame, warnings


# visits.csv columns of an overnight trip (issue #15), present when the plan holds one: the trip (official/first
# date), which of its days the row is (1 …), its nights, the hotel night after this day, the trip's per diem
# (on its first day). Day trips' rows have "", 0, 0, 0.0, 0.0.
OVERNIGHT_COLUMNS = ["trip_id", "trip_day", "nights", "hotel_eur", "per_diem_eur"]
OVERNIGHT_DEFAULTS = {"trip_id": "", "trip_day": 0, "nights": 0, "hotel_eur": 0.0, "per_diem_eur": 0.0}


def with_overnight_columns(visits: pd.DataFrame) -> pd.DataFrame:
    """visits with the overnight columns filled for day trips (e.g. after joining areas' tables)."""
    if not any(c in visits.columns for c in OVERNIGHT_COLUMNS):
        return visits
    visits = visits.copy()
    for column, default in OVERNIGHT_DEFAULTS.items():
        if column not in visits.columns:
            visits[column] = default
        elif visits[column].dtype == object:
            # where(), not fillna(): fillna on an object column makes pandas warn about a silent downcast.
            visits[column] = visits[column].where(visits[column].notna(), default)
        else:
            visits[column] = visits[column].fillna(default)
    visits["trip_day"] = visits["trip_day"].astype(int)
    visits["nights"] = visits["nights"].astype(int)
    tail = [c for c in ("start_minute", "end_minute") if c in visits.columns]
    return visits[[c for c in visits.columns if c not in tail] + tail]


def _overnight_row(prepared: Prepared, o: int, d: int, visit: model.Visit, geo: Geography,
                   day_start: float) -> tuple[dict, list[str]]:
    """visits.csv row of one day of an overnight trip: out from the office on its first day, from the hotel at the
    point's opening on the others, back to the office on its last; the drive's km and costs on the day driven,
    a hotel night on each day but the last, the trip's per diem on its first."""
    problem, scenario = prepared.problem, prepared.scenario
    official, row = problem.officials[o], scenario.officials[o]
    tour = problem.tours[visit.tour]
    start = visit.trip_start if visit.trip_start is not None else d
    i = d - start
    first, last = i == 0, i == tour.nights
    leg = geo.leg(row.home_office_id, visit.point)
    opens, closes = prepared.opens[visit.point, d]
    depart = max(day_start, opens - leg.minutes) if first else opens
    arrive = depart + leg.minutes if first else opens
    begin = max(arrive, opens)
    leave = begin + visit.service_minutes
    back = leave + leg.minutes
    warnings = []
    if leave > closes + 1e-6:
        warnings.append(f"{official.id} on {problem.days[d]}: the visit to {visit.point} runs past closing "
                        f"({clock(int(round(leave)))} > {clock(closes)})")
    length = (back if last else leave) - (depart if first else begin)
    if length > official.day_minutes + 1e-6:
        warnings.append(f"{official.id} on {problem.days[d]} (overnight trip, day {i + 1}): the day is "
                        f"{length / 60:.2f} h, longer than {official.day_minutes / 60:g} h")
    drives = first or last
    slots = {s.appointment_type: s.slot_minutes for s in problem.streams
             if s.point == visit.point and s.provider == official.provider}
    productivity = sum(n * slots[t] / 60 for t, n in visit.appointments.items()) * (
        1 / official.field_efficiency - 1) * official.hourly_cost_eur
    return {
        "official_id": official.id, "date": problem.days[d].isoformat(), "stop_order": 1, "point_id": visit.point,
        "depart": clock(int(round(depart))) if first else "", "arrive": clock(int(round(arrive))),
        "start": clock(int(round(begin))), "leave": clock(int(round(leave))),
        "return": clock(int(round(back))) if last else "",
        "appointments": sum(visit.appointments.values()),
        "appointment_types": "|".join(f"{t}:{n}" for t, n in sorted(visit.appointments.items())),
        "km": round(leg.km, 2) if drives else 0.0, "travel_hours": round(leg.minutes / 60, 3) if drives else 0.0,
        "car_eur": round(leg.km * scenario.config.costs.km_rate_eur, 2) if drives else 0.0,
        "salary_eur": round(leg.minutes / 60 * official.hourly_cost_eur, 2) if drives else 0.0,
        "productivity_eur": round(productivity, 2), "pooled_with": "",
        "trip_id": f"{official.id}/{problem.days[start].isoformat()}", "trip_day": i + 1, "nights": tour.nights,
        "hotel_eur": round(scenario.config.costs.hotel_eur_per_night, 2) if not last else 0.0,
        "per_diem_eur": round(tour.per_diem_eur, 2) if first else 0.0,
        "start_minute": begin, "end_minute": leave,
    }, warnings


ACCESS_COLUMNS = ["point_id", "provider_id", "appointment_type", "face_to_face_demand", "by_remote_service",
                  "served_locally", "at_office", "office_id", "customer_km_avoided", "waiting_customer_days", "unmet",
                  "reason"]
# access.csv's columns of a row cut where the office changes (an office closing within the horizon): the arrival days
# the row is about, after appointment_type; present when the plan has such a row, so a plan without keeps its columns.
SPAN_COLUMNS = ["arrivals_from", "arrivals_to"]


def access_table(prepared: Prepared, solution: model.Solution) -> pd.DataFrame:
    """Per (point, provider, appointment type) and office: where its face-to-face customers were served, and why not
    locally.

    A row per span of prepared.offices: the customers arriving while that office is the provider's nearest open one
    (one row over the horizon unless an office closes within it; then a row per office, in date order, with
    `arrivals_from`/`arrivals_to`, and a row without an office for those arriving when every office is closed).
    Every row with customers not served at the point (by video, at the office, unmet, or fewer than half a customer
    that the plan, counting whole customers, planned none of) has exactly one reason of REASONS, and it names the
    channel they went by: see `row_reason`.
    """
    problem = prepared.problem
    outcome = {(problem.streams[o.stream].point, problem.streams[o.stream].provider,
                problem.streams[o.stream].appointment_type): o for o in solution.outcomes}
    streams = {(s.point, s.provider, s.appointment_type): s for s in problem.streams}
    rows, cut = [], False
    for key in sorted(prepared.demand):
        point, provider, kind = key
        spans = prepared.offices[point, provider]
        cut = cut or len(spans) > 1
        result = outcome.get(key)
        for span, demand in zip(spans, prepared.span_demand[key], strict=True):
            days = span.indices(problem.days)
            served, not_served, video, waiting = (sum(result.by_arrival.get(d, (0, 0, 0, 0))[i] for d in days)
                                                  if result else 0 for i in range(4))
            # Those served neither at the point nor by video went to the office, or with none open were unmet.
            at_office, unmet = (not_served, 0) if span.office_id else (0, not_served)
            row = Row(key, span, days, demand, served, at_office, float(video), unmet)
            rows.append({
                "point_id": point, "provider_id": provider, "appointment_type": kind,
                "arrivals_from": span.first.isoformat(), "arrivals_to": span.last.isoformat(),
                "face_to_face_demand": round(demand, 2), "by_remote_service": row.video,
                "served_locally": served, "at_office": at_office, "office_id": span.office_id,
                "customer_km_avoided": round(served * span.km, 1), "waiting_customer_days": waiting,
                "unmet": row.unmet, "reason": row_reason(prepared, solution, row, streams.get(key)),
            })
    columns = [*ACCESS_COLUMNS[:3], *SPAN_COLUMNS, *ACCESS_COLUMNS[3:]] if cut else ACCESS_COLUMNS
    table = pd.DataFrame(rows, columns=columns)
    # customers by video are whole ("2", not "2.0") unless today's fixed take outside the plan makes one a fraction
    if len(table) and (table["by_remote_service"] == table["by_remote_service"].round()).all():
        table["by_remote_service"] = table["by_remote_service"].round().astype(int)
    return table


def with_span_columns(access: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """access with SPAN_COLUMNS after appointment_type, filled with the horizon (`start`, `end`) for rows that are
    not cut (e.g. after joining areas' tables, where one area has an office closing and another not)."""
    if not any(c in access.columns for c in SPAN_COLUMNS):
        return access
    access = access.copy()
    for column, default in zip(SPAN_COLUMNS, (start.isoformat(), end.isoformat()), strict=True):
        access[column] = access[column].where(access[column].notna(), default) if column in access else default
    return access[[*ACCESS_COLUMNS[:3], *SPAN_COLUMNS, *ACCESS_COLUMNS[3:]]]


@dataclass(frozen=True)
class Row:
    """One access.csv row's customers: the stream's `key`, its office `span`, the span's `days` (indices into
    Problem.days), face-to-face `demand` before rounding, and where they went (whole customers; video as written)."""

    key: tuple[str, str, str]
    span: OfficeSpan
    days: list[int]
    demand: float
    served: int
    at_office: int
    video: float
    unmet: int  # customers arriving when no office of the provider is open, served by no visit nor video


def row_reason(prepared: Prepared, solution: model.Solution, row: Row, stream: model.Stream | None) -> str:
    """access.csv's `reason` of one row: '' when every customer of it was served at the point, else one code of
    REASONS and the detail in words.

    The code names the channel: a row whose customers not served at the point all went by video is `video_chosen`; a
    row with anyone at the office has the reason no visit served them (or `capacity` when the provider's video hours
    ran out), and its customers by video, if any, are said beside it ("…; 7 customers by video (…), the plan's
    choice"); a row with customers unmet (no office of the provider open when they arrive) has `offices_closed`, naming
    the date every office was closed by and why no visit served them, or `no_official` when the provider has no
    official at all; a row without a whole customer has `under_half_customer`. The reason is decided after the plan's
    channels are known (a row with 7 customers by video once said only `office_cheaper`).
    """
    point, provider, _ = row.key
    span, video = row.span, row.video
    if stream is None or not any(stream.arrivals[d] for d in row.days):  # no whole customer: the model never saw it
        if row.demand <= 0:
            return ""
        goes = (f"one who comes is served at {span.office_id}" if span.office_id
                else f"{provider} has no office open for one who comes")
        # A cut row's share may round to none from half a customer up: the days before it carry the remainder.
        few = ("under half a customer" if row.demand < 0.5 else
               "no whole one, rounded cumulatively with the days before (the rows of the type add up to its total)")
        return reason("under_half_customer", f"{row.demand:.2f} customers expected from {span.first} to "
                      f"{span.last}, {few}: the plan counts whole customers and plans none here; " + goes)
    if not (row.at_office or row.unmet or video):
        return ""
    could = sum(stream.video_cap[d] for d in row.days) if stream.video_cap else 0
    by_video = f"{quantity(video, 'customer')} by video (at most {could:g} could use it: remote_share)"
    if not (row.at_office or row.unmet):
        return reason("video_chosen", by_video + (f", {row.served} at visits" if row.served else ""))
    if row.unmet:
        why = _unmet_reason(prepared, solution, row)
        return why if not video else f"{why}; {by_video}, the plan's choice"
    used_up = _video_used_up(prepared, stream, row, could)
    why = (prepared.unreachable.get((point, provider)) or used_up or prepared.impossible.get(row.key)
           or _office_reason(prepared, solution, row.key, row.served))
    # Those at the office name the code (why no visit served them); those by video are said beside it.
    return why if not video or why == used_up else f"{why}; {by_video}, the plan's choice"


def all_closed_since(scenario: Scenario, provider: str, day: dt.date) -> tuple[dt.date | None, list[str]]:
    """When every office of `provider` closed to customers, as seen on `day` (a day none is open): the latest closing
    date of its offices closed by then (closures.csv), None when it has no office at all; and those offices by id."""
    closed = closed_offices(scenario, provider, day)
    return max((date for _, date in closed), default=None), [office for office, _ in closed]


def _unmet_reason(prepared: Prepared, solution: model.Solution, row: Row) -> str:
    """offices_closed for a row's customers left unmet (no office of the provider open when they arrived, no visit
    nor video for them): since when every office is closed, why no visit served them, how many and at what penalty;
    no_official when the provider has no official at all."""
    point, provider, _ = row.key
    since, closed = all_closed_since(prepared.scenario, provider, row.span.first)
    shut = (f"every office of {provider} is closed to customers from {since} (closures.csv: {', '.join(closed)})"
            if since else f"{provider} has no office in the scenario")
    penalty = prepared.scenario.config.costs.unmet_eur_per_customer
    unmet = f"{quantity(row.unmet, 'customer')} unmet ([costs] unmet_eur_per_customer {penalty:g} € each)"
    if not any(o.provider == provider for o in prepared.problem.officials):
        return reason("no_official", f"{provider} has no officials in officials.csv, and {shut}: {unmet}")
    blocked = prepared.unreachable.get((point, provider)) or prepared.impossible.get(row.key)
    if blocked:  # a no-visit reason's words, without its code: the row has one code, offices_closed
        why = "no visit could serve them: " + blocked.split(": ", 1)[1]
    elif row.served == 0:
        why = "no visit although one was possible: " + (
            "a visit cost more than these customers' penalty at this λ (proven optimal)" if solution.status == "OPTIMAL"
            else f"the plan found a visit dearer than these customers' penalty at this λ, not proven "
                 f"({solution.status}, {_gap(solution)}); a larger work budget may visit")
    elif _visits_had_room(prepared, solution, row.key):
        why = "partly: the visits had room for more, but serving these did not pay at this λ"
    else:
        why = f"partly: every visit to {point} was full; one more visit did not pay at this λ"
    return reason("offices_closed", f"{shut}; {why}; {unmet}")


def _video_used_up(prepared: Prepared, stream: model.Stream, row: Row, could: int) -> str:
    """capacity, when the provider's video hours (video_hours.csv) ran out for customers to whom video was cheaper than
    the office (the office open on their arrival day); else ''."""
    limited = {limit.provider for limit in prepared.problem.video_limits}
    if stream.provider not in limited or row.video >= could or all(
            stream.video_eur >= stream.office_on(d) for d in row.days if stream.arrivals[d]):
        return ""
    return reason("capacity", f"{row.video:g} of the {could:g} who could use video were served by "
                  f"video; {stream.provider}'s video hours (video_hours.csv: its own, or its video officials' on the "
                  f"days they work) were used up, so {row.at_office} went to the office")


def _gap(solution: model.Solution) -> str:
    """The plan's gap in words, for a choice it did not prove: a gap under 0.05 % would read "0.0 %", as if proven,
    so it is said in euros then."""
    if solution.gap is None or solution.best_bound is None or solution.objective is None:
        return "no bound"
    return (f"gap {100 * solution.gap:.1f} %" if round(100 * solution.gap, 1) > 0 else
            f"gap {solution.objective - solution.best_bound:.2f} €, under 0.1 %")


def _office_reason(prepared: Prepared, solution: model.Solution, key: tuple[str, str, str], served: int) -> str:
    """office_cheaper or capacity: whether the visits made to the point had room for one more slot of this type."""
    point, _, kind = key
    if served == 0:
        if solution.status != "OPTIMAL":  # honest: the plan chose it, but did not prove it cheapest
            return reason("office_cheaper", f"no visit although one was possible: the plan found the office "
                          f"cheaper at this λ, not proven ({solution.status}, {_gap(solution)}); a larger work budget "
                          "may visit")
        return reason("office_cheaper", "no visit: the customers' trips to the office cost less than a visit at "
                      "this λ (proven optimal)")
    if _visits_had_room(prepared, solution, key):
        return reason("office_cheaper", f"partly: the visits had room for more {kind} slots, but the office was "
                      "cheaper at this λ than serving these customers there")
    return reason("capacity", f"partly: every visit to {point} was full; one more visit did not pay at this λ")


def _visits_had_room(prepared: Prepared, solution: model.Solution, key: tuple[str, str, str]) -> bool:
    """Whether a visit the plan made to the stream's point had room for one more slot of its type (opening hours and
    the official's day)."""
    point, provider, _ = key
    problem = prepared.problem
    stream = next(s for s in problem.streams if (s.point, s.provider, s.appointment_type) == key)
    slot = model._minutes(stream.slot_minutes)
    ids = {o.id: i for i, o in enumerate(problem.officials)}
    used: dict[tuple[int, int], float] = defaultdict(float)
    for v in solution.visits:
        used[ids[v.official], v.day] += v.service_minutes
    for v in solution.visits:
        o = ids[v.official]
        if v.point != point or problem.officials[o].provider != provider:
            continue
        room_open = problem.open_minutes.get((point, v.day), 0) - v.service_minutes
        tour = problem.tours[v.tour]
        drive = tour.drive_on(v.day - v.trip_start) if v.trip_start is not None else tour.drive_minutes
        room_day = problem.officials[o].day_minutes - drive - used[o, v.day]
        if min(room_open, room_day) >= slot:
            return True
    return False


# --------------------------------------------------------------------------- iCalendar


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after a space."""
    out, data = [], line.encode("utf-8")
    while len(data) > 75:
        cut = 75 if not out else 74
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # do not split a UTF-8 character
            cut -= 1
        out.append(data[:cut].decode("utf-8"))
        data = data[cut:]
    out.append(data.decode("utf-8"))
    return [out[0], *(" " + part for part in out[1:])]


def _utc(day: str, minute: float) -> str:
    local = dt.datetime.combine(dt.date.fromisoformat(day), dt.time()) + dt.timedelta(minutes=round(minute))
    return local.replace(tzinfo=HELSINKI).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _clock_minutes(text: str) -> int:
    """"HH:MM" → minutes after midnight."""
    hours, mins = str(text).split(":")
    return int(hours) * 60 + int(mins)


def visits_ics(prepared: Prepared, visits: pd.DataFrame, stamp: dt.datetime) -> str:
    """One VEVENT per visit (UTC times, CRLF line ends); `stamp` is the DTSTAMP (the caller's clock)."""
    return calendar_text(prepared.scenario, visits, stamp)


def calendar_text(scenario: Scenario, visits: pd.DataFrame, stamp: dt.datetime) -> str:
    """visits.ics for `visits` (with start_minute and end_minute) of `scenario`'s officials."""
    names = {o.official_id: o.name for o in scenario.officials}
    points = {p.point_id: p.name for p in scenario.points}
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//aspa-planner//outreach//EN", "CALSCALE:GREGORIAN"]
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for row in visits.itertuples(index=False):
        uid = uuid.uuid5(uuid.NAMESPACE_URL, f"aspa-planner/{scenario.config.name}/{row.official_id}/"
                                             f"{row.date}/{row.stop_order}/{row.point_id}")
        summary = f"{names.get(row.official_id, row.official_id)}: {points.get(row.point_id, row.point_id)}"
        description = (f"{quantity(row.appointments, 'appointment')} ({row.appointment_types}); stop {row.stop_order}; "
                       f"arrive {row.arrive}, leave {row.leave}")
        lines += ["BEGIN:VEVENT", f"UID:{uid}@aspa-planner", f"DTSTAMP:{stamp_text}",
                  f"DTSTART:{_utc(row.date, row.start_minute)}", f"DTEND:{_utc(row.date, max(row.end_minute, row.start_minute + 1))}",
                  f"SUMMARY:{_ics_escape(summary)}", f"LOCATION:{_ics_escape(points.get(row.point_id, row.point_id))}",
                  f"DESCRIPTION:{_ics_escape(description)}", "END:VEVENT"]
    if "trip_id" in visits.columns:  # an overnight trip: one more event over its days, office to office
        overnight = visits[visits["trip_id"].fillna("").astype(str) != ""]
        for trip, rows in overnight.groupby("trip_id", sort=True):
            rows = rows.sort_values("date")
            first, last = rows.iloc[0], rows.iloc[-1]
            point = points.get(first["point_id"], first["point_id"])
            uid = uuid.uuid5(uuid.NAMESPACE_URL, f"aspa-planner/{scenario.config.name}/overnight/{trip}")
            summary = f"{names.get(first['official_id'], first['official_id'])}: overnight trip to {point}"
            description = (f"{quantity(int(first['nights']), 'night')}, {len(rows)} days ({first['date']} – "
                           f"{last['date']}); {quantity(int(rows['appointments'].sum()), 'appointment')}; "
                           f"hotel {rows['hotel_eur'].sum():.2f} €, "
                           f"per diem {rows['per_diem_eur'].sum():.2f} €")
            lines += ["BEGIN:VEVENT", f"UID:{uid}@aspa-planner", f"DTSTAMP:{stamp_text}",
                      f"DTSTART:{_utc(first['date'], _clock_minutes(first['depart']))}",
                      f"DTEND:{_utc(last['date'], _clock_minutes(last['return']))}",
                      f"SUMMARY:{_ics_escape(summary)}", f"LOCATION:{_ics_escape(point)}",
                      f"DESCRIPTION:{_ics_escape(description)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


# --------------------------------------------------------------------------- summaries


def totals(visits: pd.DataFrame) -> dict[str, float]:
    return {k: round(float(visits[k].sum()), 2) for k in ("car_eur", "salary_eur", "productivity_eur", "km",
                                                          "hotel_eur", "per_diem_eur") if k in visits.columns}


COST_COLUMNS = ["km", "travel_hours", "car_eur", "salary_eur", "productivity_eur"]
TRIP_COST_COLUMNS = ["hotel_eur", "per_diem_eur"]  # overnight trips' (visits.csv has them when the plan does)


def cost_by_provider(scenario: Scenario, visits: pd.DataFrame) -> dict[str, float]:
    """The officials' cost of a visit plan by provider, € over its horizon: each stop's car, salary and productivity
    (and an overnight trip's hotel and per diem) summed by its official's provider (officials.csv). `visits`: the
    rows of visits.csv (the plan's, or the status quo's as visit_table makes them). Providers without a trip are 0."""
    if not len(visits):
        return {}
    official_provider = {o.official_id: o.provider_id for o in scenario.officials}
    cost = visits[["car_eur", "salary_eur", "productivity_eur",
                   *[c for c in TRIP_COST_COLUMNS if c in visits.columns]]].sum(axis=1)
    return {str(k): round(float(v), 2) for k, v in cost.groupby(visits["official_id"].map(official_provider)).sum()
            .sort_index().items()}


def cost_tables(visits: pd.DataFrame, payload: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cost table of the report and plan.xlsx: the plan (and the status quo) in €, and per official with a
    `total` row (the sum of the rounded rows shown; the plan's official_cost_eur is the model's own, from unrounded
    legs, and may differ by cents — the report's note says so).

    Both readers take it from here, so the report and the spreadsheet cannot disagree.
    """
    figures = ("official_cost_eur", "access_cost_eur", "trips", "video_customers")
    plans = [{"plan": "this plan", **{k: payload.get(k) for k in figures}}]
    quo = payload.get("status_quo")
    if isinstance(quo, dict) and quo.get("official_cost_eur") is not None:
        plans.append({"plan": "status quo", **{k: quo.get(k) for k in figures}})
    extra = [c for c in TRIP_COST_COLUMNS if c in visits.columns]
    # A plan with no visit has a frame without rows (object columns) or without columns: numbers all the same.
    numbers = visits.reindex(columns=["official_id", *COST_COLUMNS, *extra]).astype(
        {c: float for c in COST_COLUMNS + extra})
    per_official = numbers.groupby("official_id")[COST_COLUMNS + extra].sum().round(2).reset_index()
    per_official["official_cost_eur"] = per_official[["car_eur", "salary_eur", "productivity_eur", *extra]].sum(
        axis=1).round(2)
    if len(per_official):  # the total of the rounded rows as shown, so that the table adds up to the cent
        total = per_official.drop(columns=["official_id"]).sum().round(2)
        per_official = pd.concat([per_official, pd.DataFrame([{"official_id": "total", **total.to_dict()}])],
                                 ignore_index=True)
    return pd.DataFrame(plans), per_official


def summary_payload(scenario: Scenario, start: dt.date, end: dt.date, solution: model.Solution,
                    visits: pd.DataFrame, warnings: tuple[str, ...], seconds: float, quo: model.Solution | None,
                    quo_note: str = "", quo_by_provider: dict[str, float] | None = None) -> dict:
    """summary.json of a plan made as one model: status, objective, bound, gap, costs, and the status quo
    (`quo_by_provider`: its official cost by provider, cost_by_provider of its trips, as `official_cost_eur_by_provider`).
    """
    s = solution
    payload = {
        "scenario": scenario.config.name,
        "horizon": {"start": start.isoformat(), "end": end.isoformat()},
        "status": s.status,
        "objective": round(s.objective, 2) if s.objective is not None else None,
        "best_bound": round(s.best_bound, 2) if s.best_bound is not None else None,
        "bound_kind": "day-choice model, tours costed in their cheapest order: larger of CP-SAT's bound and "
                      "the LP relaxation, summed over independent parts (a horizon planned in blocks: the sum of "
                      "the blocks' relaxations' LP bounds, valid for the whole horizon)",
        "gap": round(s.gap, 4) if s.gap is not None else None,
        "seconds": round(seconds, 3),
        "access_weight": scenario.config.costs.access_weight,
        "official_cost_eur": round(s.official_eur, 2),
        "access_cost_eur": round(s.access_eur, 2),
        "pool_cars": scenario.config.costs.pool_cars,
        "pool_saving_eur": round(s.pool_saving_eur, 2),
        "trips": len(s.trips), "visits": int(len(visits)),
        **overnight_summary(visits),
        "appointments": int(visits["appointments"].sum()) if len(visits) else 0,
        "solver": scenario.config.solver.model_dump(),
        "warnings": list(warnings),
    }
    if quo is not None:
        payload["status_quo"] = {
            "description": status_quo_description(scenario),
            "status": quo.status, "objective": round(quo.objective or 0, 2),
            "official_cost_eur": round(quo.official_eur, 2), "access_cost_eur": round(quo.access_eur, 2),
            "trips": len(quo.trips), "video_customers": sum(o.video for o in quo.outcomes),
            "official_cost_eur_by_provider": dict(quo_by_provider or {}),
        }
    else:  # an object or null (inputs/README.md); why it is missing (when the file is there) is said beside it
        payload["status_quo"] = None
        payload["status_quo_note"] = quo_note or None
    return payload


def video_summary(scenario: Scenario, access: pd.DataFrame, slots: dict[tuple[str, str], float],
                  solutions: list[model.Solution]) -> dict:
    """summary.json's remote video figures: customers, official hours (slot minutes), the residents' € for it, the
    hours per provider (they add up to `video_hours`), and each official's video hours where video_hours.csv gives
    them their own (the model assigns video to no official otherwise: the provider's hours are pooled)."""
    by_provider: dict[str, float] = defaultdict(float)
    if not len(access) or "by_remote_service" not in access.columns:
        customers, minutes = 0.0, 0.0
    else:
        customers = float(access["by_remote_service"].sum())
        for r in access.itertuples(index=False):
            if float(r.by_remote_service) > 0:
                by_provider[r.provider_id] += float(r.by_remote_service) * slots.get(
                    (r.provider_id, r.appointment_type), 0.0)
        minutes = sum(by_provider.values())
    own: dict[str, float] = defaultdict(float)
    for solution in solutions:
        for official, n in solution.video_minutes.items():
            own[official] += n / 60
    return {"video_customers": int(customers) if float(customers).is_integer() else round(customers, 2),
            "video_hours": round(minutes / 60, 2),
            "video_access_eur": round(customers * scenario.config.costs.video_eur_per_customer, 2),
            "video_hours_by_provider": {k: round(v / 60, 2) for k, v in sorted(by_provider.items())},
            "video_hours_by_official": {k: round(v, 2) for k, v in sorted(own.items())},
            "video_hours_limited": sorted({r.provider_id for r in scenario.video_hours})}


def overnight_summary(visits: pd.DataFrame) -> dict[str, float | int]:
    """summary.json's overnight figures: trips, hotel nights, hotel € and per diem € (zeros without any)."""
    if "trip_id" not in visits.columns or not len(visits):
        return {"overnight_trips": 0, "hotel_nights": 0, "hotel_eur": 0.0, "per_diem_eur": 0.0}
    trips = visits[visits["trip_id"].fillna("").astype(str) != ""].groupby("trip_id")["nights"].first()
    return {"overnight_trips": int(len(trips)), "hotel_nights": int(trips.sum()),
            "hotel_eur": round(float(visits["hotel_eur"].sum()), 2),
            "per_diem_eur": round(float(visits["per_diem_eur"].sum()), 2)}


def pareto_weights(base: float, k: int) -> list[float]:
    """K values of λ: the scenario's λ alone, or spread from 0 to 10 × λ (at least 1.0) on a log scale."""
    if k <= 1:
        return [base]
    top = 10 * max(base, 1.0)
    return [0.0] + [round(top * 10 ** (-2 * (k - 2 - i) / max(1, k - 2)), 4) for i in range(k - 1)]


def pareto(prepared: Prepared, k: int, time_limit_s: float | None = None) -> pd.DataFrame:
    """Official cost against residents' access cost over K values of λ, monotone by construction.

    The λ are solved in increasing order, each starting from the plan of the λ below it (a hint);
    then each λ keeps the best, at its own λ, of every plan the sweep found (ties: the lower
    access cost). Choosing from one set of plans for every λ makes the curve monotone: along
    increasing λ the access cost never rises and the official cost never falls (issue #15: a
    larger λ once gave a plan worse on both). `plan_of` names the λ whose solve found the plan.
    """
    scenario = prepared.scenario
    found: list[tuple[float, model.Solution]] = []
    hint: dict[str, int] | None = None
    for lam in sorted(pareto_weights(scenario.config.costs.access_weight, k)):
        solution, hint = solve_problem(prepared, prepared.problem, weights(scenario, lam),
                                       params(scenario, time_limit_s), hint, hint_parts=True)
        found.append((lam, solution))
    rows = []
    for lam, own in found:
        source, chosen = min(found, key=lambda item: (round(item[1].official_eur + lam * item[1].access_eur, 6),
                                                       round(item[1].access_eur, 6)))
        objective = chosen.official_eur + lam * chosen.access_eur
        bound = None if own.best_bound is None else max(0.0, min(own.best_bound, objective))
        status = own.status if chosen is own else "OPTIMAL" if model.proven(objective, bound) else "FEASIBLE"
        rows.append({"access_weight": lam, "official_cost_eur": round(chosen.official_eur, 2),
                     "access_cost_eur": round(chosen.access_eur, 2), "objective": round(objective, 2),
                     "best_bound": None if bound is None else round(bound, 2),
                     "status": status, "plan_of": source, "trips": len(chosen.trips),
                     "served_locally": sum(o.served_locally for o in chosen.outcomes)})
    return pd.DataFrame(rows)
