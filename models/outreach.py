"""Outreach days of provider officials at service points (CP-SAT): who goes where, when, for how many.

Formulation
-----------
Sets
    O   officials; D horizon days (working days of any point, in date order); P points
    K_o day tours of official o: 1..max_stops points in their cheapest order, each
        reachable and returnable within o's working day (enumerated before the model);
        and overnight trips to one point no day tour reaches: n ≥ 1 nights, n + 1 consecutive
        days at the point, the drive out on the first day and back on the last
    S   customer streams: one per (point, provider, appointment type) with face-to-face demand
    V   video limits: hours a provider (pooled) or one official gives to remote video in a period (week, month)
Data
    car_k, sal_k, drv_k   car €, travel salary € and driving minutes of tour k (planner.outreach.travel)
    n_k, hot_k, pd_k      nights, hotel € and per diem € of tour k (0 for a day tour); drv_{k,i} the
                          driving minutes on its day i; on_{k,d,e} = 1 when tour k started on d is
                          at its stop on day e (d ≤ e ≤ d + n_k)
    L_o                   o's working day, minutes; m_{p,d} minutes point p is open on d
    l_s, prod_{o,s}       slot minutes of stream s; productivity loss € of one slot of s served by o
    r_{s,d}               customers of s arriving on d (whole customers)
    c_{s,d}               € for one customer of s arriving on d to travel to the nearest office of its provider open
                          that day (an office closing within the horizon is open before its closing date); on a day
                          no office of the provider is open (closures.csv: every one closed), the stream has no office
                          channel and c_{s,d} is the penalty of an unmet customer, pu_s (Stream.unmet_eur, [costs]
                          unmet_eur_per_customer): f_{s,d} then counts customers left unmet, not sent to an office
    t_d                   calendar date of day d; w waiting € per customer per calendar day
    vcap_{s,d}            customers of s arriving on d who can use video (remote_share of r_{s,d}; 0 where the law
                          requires presence or the provider has no remote service); vc_s residents' € per video customer
    H_v, D_v              minutes of video limit v and the days of its period
    λ                     weight of residents' access cost
Variables
    y_{o,d,k} ∈ {0,1}     o makes tour k on d
    a_{o,d,s} ∈ ℕ         appointments of stream s held by o on d
    f_{s,d} ∈ ℕ           customers of s who go to the office on d; on a day without an open office, customers of s
                          arriving on d served neither at a visit nor by video: unmet (named unmet(…), not to_office(…))
    x_{s,d,e} ∈ ℕ         customers of s who arrive on d and are served at a visit on day e ≥ d
                          (only e with (t_e − t_d)·w < c_{s,d}: a longer wait never beats the office)
    z_{o,o',d,p} ∈ {0,1}  o and o' (same town) share one car to p on d (when pooling is on)
    v_{s,d} ∈ [0, vcap_{s,d}]  customers of s served by remote video on their arrival day
    u_{o,d,s} ∈ ℕ         video customers of s that official o serves on d (only officials with their own limit)
Constraints, hard first (one add_<family> each)
    calendar         y_{o,d,k} = 0 unless o works on d … d + n_k (weekday, no public holiday, not away),
                     these are consecutive calendar days, and every stop is open on each
    one trip a day   Σ_{k, d' : on_{k,d',d}} y_{o,d',k} ≤ 1
    day length       Σ_s l_s a_{o,d,s} ≤ Σ (L_o − drv_{k,d−d'}) y_{o,d',k} over trips on day d
    visit capacity   Σ_{s at p} l_s a_{o,d,s} ≤ Σ m_{p,d,k} y_{o,d',k} over trips at p on day d (m: the
                     opening minutes; on an overnight trip's first day only those after its arrival)
    whole slots      cuts for the LP bound: the day-length row, and per point Σ_{s at p} l_s a_{o,d,s} ≤
                     Σ_{trips at p} min(m_{p,d,k}, L_o − drv) y, divided by g = the shortest slot there and
                     rounded down (Chvátal–Gomory): Σ ⌊l_s/g⌋ a ≤ Σ ⌊cap/g⌋ y
    visit serves     Σ_{k ∋ p} y_{o,d,k} ≤ Σ_{s at p} a_{o,d,s}: every stop holds an appointment (so a
                     visit pattern is met only by a visit that serves someone)
    customer flow    r_{s,d} = Σ_e x_{s,d,e} + f_{s,d} + v_{s,d};  Σ_o a_{o,e,s} = Σ_d x_{s,d,e};
                     x_{s,d,e} ≤ r_{s,d} · Σ_{o,k ∋ p} y_{o,e,k}  (served only on a visit day; this
                     facility-location form gives CP-SAT a far tighter bound than a backlog)
    visit pattern    weekdays: no tour through p for provider q off the allowed weekdays;
                     every window of N calendar days holds a visit of q to p (visit_patterns); in a horizon
                     block (planner/outreach/blocks.py) the windows run from the day after the pair's last
                     visit before the block to the day before the next block's first possible visit
    fixed plan       (status quo only) allowed tours, visits per month, caps per visit,
                     streams that may not go to the office
    caps             official cost ≤ C, access cost ≤ A (to dominate a given plan)
    pooling          z ≤ y of each single-stop tour to p; one partner per official and day
    video            Σ_{s of q, d ∈ D_v} l_s v_{s,d} ≤ H_v (pooled limit of provider q); where q's officials have
                     their own limits v_{s,d} = Σ_o u_{o,d,s}, Σ_{s, d ∈ D_v} l_s u_{o,d,s} ≤ H_v and the minutes
                     count in o's day: Σ_s l_s (a_{o,d,s} + u_{o,d,s}) + Σ drv y_{o,·} ≤ L_o
Objective (soft families return named penalties, in €)
    official cost = Σ (car_k + sal_k + hot_k + pd_k) y + Σ prod_{o,s} a − Σ saving_{o,o',p} z
    access cost   = Σ c_{s,d} f_{s,d} + Σ w (t_e − t_d) x_{s,d,e} + Σ vc_s v_{s,d}
                    (c_{s,d} f_{s,d} on a day without an open office: pu_s per unmet customer, a residents' cost like
                    the office trip it replaces, so a closure never makes a plan cheaper while pu_s ≥ the trip)
                    (in a block's relaxation, Problem.later, c_{s,d} of f_{s,d} is at most the wait until the first
                    possible visit after the block plus the least productivity loss)
                    (video costs the officials nothing beyond the office: the same slot, served from their desk)
    min  official cost + λ · access cost        (integer cents inside CP-SAT)

Couplings over days (what a horizon block carries across its seams, planner/outreach/blocks.py): customers
waiting for a later visit (x_{s,d,e}, e > d), visit-pattern windows, overnight trips (consecutive days), video
limits of a week or month, and the status quo's visits a month; everything else is within a day.

Search: a start plan (greedy_hint: per point the Wagner–Whitin visit days of its cheapest official's
single-stop tour, then visit patterns of any tour by largest gain), CP-SAT on the whole model from
it (which gives the bound), then large-neighbourhood search (improve: windows of days, then points,
each re-solved by CP-SAT with the rest of the plan fixed, on a share of the work budget).

The bound is the larger of CP-SAT's best objective bound and the LP relaxation (GLOP) of
the model's linear constraints (lp_bound), of this day-choice model. Tours are costed in
their cheapest stop order, so sequencing afterwards (planner.outreach.plan) cannot make the
plan cheaper than the bound says. A budget-limited answer is reported FEASIBLE, never OPTIMAL,
unless its bound reaches its objective to the cent (the model counts whole cents): that is a proof
(settled), so it is OPTIMAL with gap 0, however the search stopped.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.sat.python import cp_model

from models import kit
from models.components import components
from models.kit import Penalty, Result, SolveParams

CENTS = 100


@dataclass(frozen=True)
class Official:
    id: str
    provider: str
    town: str
    hourly_cost_eur: float
    field_efficiency: float
    day_minutes: int
    days: frozenset[int]  # indices into Problem.days the official works


@dataclass(frozen=True)
class Tour:
    official: int
    stops: tuple[str, ...]  # points in driving order
    km: float
    drive_minutes: int
    car_eur: float
    salary_eur: float
    legs: tuple[tuple[float, float], ...] = ()  # (km, minutes) per leg, home → … → home
    # An overnight trip (issue #15) spans nights + 1 consecutive days at its one stop: out on the first,
    # back on the last; day_drive holds each day's driving minutes (empty for a day trip: drive_minutes).
    nights: int = 0
    day_drive: tuple[int, ...] = ()
    hotel_eur: float = 0.0
    per_diem_eur: float = 0.0

    @property
    def days(self) -> int:
        """Days the trip takes: 1 for a day trip, nights + 1 for an overnight trip."""
        return self.nights + 1

    def drive_on(self, i: int) -> int:
        """Driving minutes on the trip's day i (0-based)."""
        return self.day_drive[i] if self.day_drive else self.drive_minutes


@dataclass(frozen=True)
class Stream:
    point: str
    provider: str
    appointment_type: str
    slot_minutes: float
    arrivals: tuple[int, ...]  # per day of Problem.days
    office_eur: float  # one customer's trip to the nearest office and back, € (every day, unless office_eur_by_day)
    # Remote video (issue #15): per day of Problem.days, the arrivals who could use it (empty: the law requires
    # presence, the provider offers none, or nobody can); video_eur the residents' € per video customer.
    video_cap: tuple[int, ...] = ()
    video_eur: float = 0.0
    # Per day of Problem.days, the trip of a customer arriving that day to the nearest office open then, €: an office
    # closing within the horizon is the nearest one before its closing date only. Empty: office_eur every day.
    office_eur_by_day: tuple[float, ...] = ()
    # Per day of Problem.days, whether an office of the provider is open to customers arriving then (empty: every
    # day). On a day without one the customers not served at a visit or by video are unmet at unmet_eur each.
    office_open: tuple[bool, ...] = ()
    unmet_eur: float = 0.0

    def has_office(self, d: int) -> bool:
        """Whether customers arriving on day d have an office of the provider open to go to (else f_{s,d} is unmet)."""
        return not self.office_open or self.office_open[d]

    def office_on(self, d: int) -> float:
        """€ of one customer arriving on day d (an index into Problem.days) not served at a visit nor by video: the
        office trip, or on a day without an open office the unmet penalty: c_{s,d}."""
        if not self.has_office(d):
            return self.unmet_eur
        return self.office_eur_by_day[d] if self.office_eur_by_day else self.office_eur


@dataclass(frozen=True)
class VideoLimit:
    """Minutes of remote video a provider (official ''), or one of its officials, gives in one period."""

    provider: str
    official: str  # official id; '' = the provider's pooled hours
    days: tuple[int, ...]  # indices into Problem.days of the period (week or month) within the horizon
    minutes: int
    period: str  # e.g. '2015-W03' or '2015-03', for names and messages


@dataclass(frozen=True)
class Pattern:
    point: str
    provider: str
    max_days_between: int | None
    weekdays: tuple[int, ...]  # 0 = Monday; empty = any
    # A horizon block (planner/outreach/blocks.py) carries the pattern across its seams: the windows of
    # max_days_between days start on `since` (the day after the last visit before the block; default the first day)
    # and end by `until` (default the last day; later when the next block has no possible visit day before it), and
    # `required` holds them even when the block's own customers of the pair are none (the horizon has some).
    since: dt.date | None = None
    until: dt.date | None = None
    required: bool = False


@dataclass(frozen=True)
class FixedPlan:
    """Rules that pin a given way of working (the status quo) inside the same model."""

    tours: frozenset[tuple[str, tuple[str, ...]]]  # (official id, stops) allowed
    visits_per_month: dict[tuple[str, str, str], int]  # (official, point, 'YYYY-MM') → exactly n days
    max_per_visit: dict[tuple[str, str], int]  # (official, appointment type) → appointments per visit
    local_only: frozenset[tuple[str, str, str]]  # (point, provider, type) never sent to the office


@dataclass(frozen=True)
class Problem:
    days: tuple  # datetime.date, ascending
    officials: tuple[Official, ...]
    tours: tuple[Tour, ...]
    streams: tuple[Stream, ...]
    open_minutes: dict[tuple[str, int], int]  # (point, day index) → minutes open; absent = closed
    patterns: tuple[Pattern, ...] = ()
    pool_cars: bool = False
    fixed: FixedPlan | None = None
    # (point, day index) → (opens, closes) minutes after midnight, and the earliest departure: an overnight
    # trip's first day can serve only from its arrival (absent: the whole opening time counts).
    opens: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    day_start: int = 480
    video_limits: tuple[VideoLimit, ...] = ()  # absent for a provider: its video hours are not limited
    # Only in the relaxation that bounds a horizon block (planner/outreach/blocks.py): stream → (day, €): its
    # customers not served in these days may still be served on or after that day at that € more (the least
    # productivity loss), so one sent to the office costs at most the wait until then and that €.
    later: dict[int, tuple[dt.date, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Weights:
    access_weight: float = 1.0  # λ
    waiting_eur_per_day: float = 1.0
    max_official_eur: float | None = None
    max_access_eur: float | None = None


def _penalty(name: str, kind: str, var: cp_model.IntVar, eur: float) -> Penalty:
    """A named cost term of family 'official' or 'access', in € per unit of `var` (whole cents,
    so that the € sums reported equal the integer objective CP-SAT minimised)."""
    return Penalty(kind, var, round(eur, 2), name)


@dataclass
class Built:
    problem: Problem
    weights: Weights
    model: cp_model.CpModel
    y: dict[tuple[int, int, int], cp_model.IntVar]  # (official, day, tour) → trip
    a: dict[tuple[int, int, int], cp_model.IntVar]  # (official, day, stream) → appointments
    f: dict[tuple[int, int], cp_model.IntVar]  # (stream, day) → to the office
    x: dict[tuple[int, int, int], cp_model.IntVar]  # (stream, arrival day, visit day) → customers
    z: dict[tuple[int, int, int, str], cp_model.IntVar] = field(default_factory=dict)
    penalties: list[Penalty] = field(default_factory=list)
    pool_saving: dict[tuple[int, int, int, str], float] = field(default_factory=dict)
    visit_index: dict[tuple[int, int, str], list] = field(default_factory=dict)
    v: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (stream, day) → video customers
    u: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)  # (official, day, stream) → video
    greedy: dict[str, int] | None = None  # greedy_hint's plan by variable name, once computed


@dataclass(frozen=True)
class Visit:
    official: str
    day: int
    tour: int
    stop_order: int
    point: str
    appointments: dict[str, int]  # appointment type → count
    service_minutes: float
    pooled_with: str | None
    trip_start: int | None = None  # an overnight trip's first day (index into Problem.days); None: a day trip


@dataclass(frozen=True)
class StreamOutcome:
    stream: int
    served_locally: int
    to_office: int
    waiting_customer_days: int
    video: int = 0  # customers served by remote video
    # arrival day (index into Problem.days) → (served at a visit, to the office or unmet, by video, customer-days
    # waiting) of the customers arriving that day; only days with customers. The second is unmet on a day without an
    # open office (Stream.has_office). The totals above are these summed.
    by_arrival: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)
    unmet: int = 0  # customers arriving on a day without an open office of the provider, served by no channel


@dataclass(frozen=True)
class Solution:
    status: str
    objective: float | None
    best_bound: float | None
    gap: float | None
    seconds: float
    official_eur: float
    access_eur: float
    pool_saving_eur: float
    visits: tuple[Visit, ...]
    trips: tuple[tuple[int, int, int], ...]  # (official, day, tour) made
    outcomes: tuple[StreamOutcome, ...]
    penalties: dict[str, float]  # non-zero named cost terms, €
    video_minutes: dict[str, int] = field(default_factory=dict)  # official id → video minutes (own limits only)


# --------------------------------------------------------------------------- helpers


def streams_of(problem: Problem, official: int, point: str) -> list[int]:
    provider = problem.officials[official].provider
    return [i for i, s in enumerate(problem.streams) if s.point == point and s.provider == provider]


def productivity_eur(official: Official, stream: Stream) -> float:
    """One slot served in the field instead of at the office (planner.outreach.travel's formula)."""
    return stream.slot_minutes / 60 * (1 / official.field_efficiency - 1) * official.hourly_cost_eur


def _on_day(built: Built) -> dict[tuple[int, int, str], list[tuple[cp_model.IntVar, int, int]]]:
    """(official, day, point) → (trip variable, tour, day of the trip) of every trip that is at `point` that day:
    a day trip on its day, an overnight trip on each of its days (indexed once per model)."""
    if not built.visit_index:
        n_days = len(built.problem.days)
        for (oo, dd, k), var in built.y.items():
            tour = built.problem.tours[k]
            for i in range(tour.days):
                if dd + i < n_days:
                    for stop in tour.stops:
                        built.visit_index.setdefault((oo, dd + i, stop), []).append((var, k, i))
    return built.visit_index


def _visits(built: Built, o: int, d: int, point: str) -> list[cp_model.IntVar]:
    """Trip variables of official o that are at `point` on day d."""
    return [var for var, _, _ in _on_day(built).get((o, d, point), [])]


def serving_minutes(problem: Problem, tour: Tour, i: int, point: str, d: int) -> int:
    """Minutes a trip can serve at `point` on day d, its day i: the opening time, and on an overnight trip's
    first day only what is left of it after the drive from the earliest departure."""
    minutes = problem.open_minutes.get((point, d), 0)
    if tour.nights and i == 0 and (point, d) in problem.opens:
        opens, closes = problem.opens[point, d]
        minutes = min(minutes, max(0, closes - max(opens, problem.day_start + tour.drive_on(0))))
    return minutes


def _label(stream: Stream) -> str:
    return f"point={stream.point}, provider={stream.provider}, type={stream.appointment_type}"


def _month(day) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# --------------------------------------------------------------------------- hard families


def add_calendar(built: Built) -> None:
    """Hard: a trip only on the official's working days (weekdays, no public holidays, no absence) to points open
    on each of its days; an overnight trip's days are consecutive calendar days within the horizon."""
    p = built.problem
    for (o, d, k), var in built.y.items():
        if not trip_possible(p, o, d, k):
            built.model.Add(var == 0)


def trip_possible(p: Problem, o: int, d: int, k: int) -> bool:
    """Whether official o can start tour k on day d: each of its days a working day of o, in the horizon,
    consecutive in the calendar, with every stop open."""
    tour = p.tours[k]
    days = [d + i for i in range(tour.days)]
    return days[-1] < len(p.days) and (p.days[days[-1]] - p.days[d]).days == tour.nights and all(
        e in p.officials[o].days and (stop, e) in p.open_minutes for e in days for stop in tour.stops)


def add_one_trip_a_day(built: Built) -> None:
    """Hard: an official makes at most one trip (of 1–3 stops) a day; an overnight trip takes each of its days."""
    by_day: dict[tuple[int, int], list] = defaultdict(list)
    for (o, d, k), var in built.y.items():
        for i in range(built.problem.tours[k].days):
            by_day[o, d + i].append(var)
    for group in by_day.values():
        built.model.AddAtMostOne(group)


def add_day_length(built: Built) -> None:
    """Hard: driving plus appointments fit in the official's working day (officials.csv daily_hours)."""
    p = built.problem
    held: dict[tuple[int, int], list] = defaultdict(list)
    trips: dict[tuple[int, int], list] = defaultdict(list)
    for (o, d, s), var in built.a.items():
        held[o, d].append((p.streams[s].slot_minutes, var))
    for (o, d, k), var in built.y.items():
        tour = p.tours[k]
        for i in range(tour.days):  # an overnight trip: the drive out on its first day, back on its last
            trips[o, d + i].append((tour.drive_on(i), var))
    for (o, d), group in held.items():
        official = p.officials[o]
        built.model.Add(sum(_minutes(slot) * var for slot, var in group)
                        <= sum((official.day_minutes - drive) * var for drive, var in trips[o, d]))


def _minutes(slot: float) -> int:
    """Slot minutes inside CP-SAT: rounded up to whole minutes so that accepted days fit in floats."""
    return math.ceil(slot - 1e-9)


def add_visit_capacity(built: Built) -> None:
    """Hard: appointments only at a point visited that day, within its opening hours (slot lengths: appointment_types.csv)."""
    p = built.problem
    at_point: dict[tuple[int, int, str], list] = defaultdict(list)
    for (o, d, s), var in built.a.items():
        at_point[o, d, p.streams[s].point].append((p.streams[s].slot_minutes, var))
    for (o, d, point), held in at_point.items():
        visits = _on_day(built).get((o, d, point), [])
        built.model.Add(sum(_minutes(slot) * var for slot, var in held)
                        <= sum(serving_minutes(p, p.tours[k], i, point, d) * var for var, k, i in visits))


def add_whole_slots(built: Built) -> None:
    """Hard (a cut: no plan changes): whole appointments fit a day, so the day-length and visit-capacity rows hold
    divided by the shortest slot and rounded down (Chvátal–Gomory), and a point's appointments fit the day of the
    trip that goes there — the LP bound no longer fills a day's last, fractional slot, nor lends one trip's day
    to another point. Valid: at most one trip a day is made (add_one_trip_a_day), appointments are integers."""
    p = built.problem
    by_day: dict[tuple[int, int], list] = defaultdict(list)
    by_point: dict[tuple[int, int, str], list] = defaultdict(list)
    for (o, d, s), var in built.a.items():
        by_day[o, d].append((_minutes(p.streams[s].slot_minutes), var))
        by_point[o, d, p.streams[s].point].append((_minutes(p.streams[s].slot_minutes), var))
    trips: dict[tuple[int, int], list] = defaultdict(list)
    for (o, d, k), var in built.y.items():
        for i in range(p.tours[k].days):
            trips[o, d + i].append((p.tours[k].drive_on(i), var))
    for (o, d), held in by_day.items():
        g = min(slot for slot, _ in held)
        built.model.Add(sum((slot // g) * var for slot, var in held)
                        <= sum(max(0, p.officials[o].day_minutes - drive) // g * var for drive, var in trips[o, d]))
    for (o, d, point), held in by_point.items():
        g = min(slot for slot, _ in held)
        visits = _on_day(built).get((o, d, point), [])
        built.model.Add(sum((slot // g) * var for slot, var in held) <= sum(
            min(serving_minutes(p, p.tours[k], i, point, d), max(0, p.officials[o].day_minutes - p.tours[k].drive_on(i)))
            // g * var for var, k, i in visits))


def add_visit_serves(built: Built) -> None:
    """Hard: every stop of a trip holds at least one appointment — no empty visit, no pass-through stop (issue #15)."""
    p = built.problem
    held: dict[tuple[int, int, str], list] = defaultdict(list)
    for (o, d, s), var in built.a.items():
        held[o, d, p.streams[s].point].append(var)
    for (o, d, k), var in built.y.items():
        for i in range(p.tours[k].days):  # each day of an overnight trip serves someone too
            for point in p.tours[k].stops:
                built.model.Add(var <= sum(held.get((o, d + i, point), [])))


def add_customer_flow(built: Built) -> None:
    """Hard: each arriving customer is served at a later (or the same day's) visit within the horizon, by video, or goes
    to the office — or, arriving on a day no office of the provider is open, is unmet (f_{s,d} all the same)."""
    p = built.problem
    held: dict[tuple[int, int], list] = defaultdict(list)
    for (_, e, s), var in built.a.items():
        held[s, e].append(var)
    later: dict[tuple[int, int], list] = defaultdict(list)
    earlier: dict[tuple[int, int], list] = defaultdict(list)
    for (s, d, e), var in built.x.items():
        later[s, d].append(var)
        earlier[s, e].append(var)
    trips: dict[tuple[str, str, int], list] = defaultdict(list)
    for (o, e, point), visits in _on_day(built).items():
        trips[point, p.officials[o].provider, e] += [var for var, _, _ in visits]
    for s, stream in enumerate(p.streams):
        for d in range(len(p.days)):
            built.model.Add(sum(later[s, d]) + built.f[s, d] + built.v.get((s, d), 0) == stream.arrivals[d])
            built.model.Add(sum(held[s, d]) == sum(earlier[s, d]))
    for (s, d, e), var in built.x.items():
        stream = p.streams[s]
        built.model.Add(var <= stream.arrivals[d] * sum(trips[stream.point, stream.provider, e]))


def add_visit_pattern(built: Built) -> None:
    """Hard: visit_patterns.csv — visits only on the listed weekdays; a visit in every run of N calendar days."""
    p = built.problem
    for pattern in p.patterns:
        demand = sum(sum(s.arrivals) for s in p.streams if (s.point, s.provider) == (pattern.point, pattern.provider))
        trips = [(d, var) for (o, d, point), visits in _on_day(built).items()
                 if p.officials[o].provider == pattern.provider and point == pattern.point for var, _, _ in visits]
        if pattern.weekdays:
            for d, var in trips:
                if p.days[d].weekday() not in pattern.weekdays:
                    built.model.Add(var == 0)
        if pattern.max_days_between and (demand > 0 or pattern.required):
            first = pattern.since or p.days[0]
            last = pattern.until or p.days[-1]
            window = pattern.max_days_between
            start = first
            while (start - first).days + window <= (last - first).days + 1:
                end = start.toordinal() + window - 1
                inside = [var for d, var in trips if start.toordinal() <= p.days[d].toordinal() <= end]
                built.model.Add(sum(inside) >= 1)
                start = start.fromordinal(start.toordinal() + 1)


def add_fixed_plan(built: Built) -> None:
    """Hard (status quo only): the given way of working — which trips, how many a month, appointments per visit."""
    p, fixed = built.problem, built.problem.fixed
    if fixed is None:
        return
    for (o, _, k), var in built.y.items():
        if (p.officials[o].id, p.tours[k].stops) not in fixed.tours or p.tours[k].nights:  # today: day trips only
            built.model.Add(var == 0)
    index = {x.id: i for i, x in enumerate(p.officials)}
    for (official_id, point, month), count in fixed.visits_per_month.items():
        if official_id not in index:
            continue  # another part of a split problem
        o = index[official_id]
        days = [d for d, day in enumerate(p.days) if _month(day) == month]
        built.model.Add(sum(v for d in days for v in _visits(built, o, d, point)) == count)
    for (o, _, s), var in built.a.items():
        cap = fixed.max_per_visit.get((p.officials[o].id, p.streams[s].appointment_type))
        if cap is not None:
            built.model.Add(var <= cap)
    for (s, _), var in built.f.items():
        stream = p.streams[s]
        if (stream.point, stream.provider, stream.appointment_type) in fixed.local_only:
            built.model.Add(var == 0)


def add_pooling(built: Built) -> None:
    """Hard: two officials of one town share a car only when both make a single-stop trip to that point that day."""
    p = built.problem
    if not p.pool_cars:
        return
    single: dict[tuple[int, int, str], cp_model.IntVar] = {}
    for (o, d, k), var in built.y.items():
        if len(p.tours[k].stops) == 1 and not p.tours[k].nights:
            single[o, d, p.tours[k].stops[0]] = var
    partners: dict[tuple[int, int], list] = defaultdict(list)
    for o1, first in enumerate(p.officials):
        for o2 in range(o1 + 1, len(p.officials)):
            if p.officials[o2].town != first.town:
                continue
            for (oo, d, point), var1 in single.items():
                var2 = single.get((o2, d, point))
                if oo != o1 or var2 is None:
                    continue
                z = built.model.NewBoolVar(
                    f"pool(officials={first.id}+{p.officials[o2].id}, day={p.days[d]}, point={point})")
                built.model.AddImplication(z, var1)
                built.model.AddImplication(z, var2)
                built.z[o1, o2, d, point] = z
                cars = [t.car_eur for t in p.tours if t.stops == (point,) and t.official in (o1, o2)]
                built.pool_saving[o1, o2, d, point] = min(cars)
                partners[o1, d].append(z)
                partners[o2, d].append(z)
    for group in partners.values():
        built.model.AddAtMostOne(group)


def add_video(built: Built) -> None:
    """Hard: remote video within the providers' video hours (video_hours.csv), an official's also within their day;
    only for customers who can use it (v ≤ vcap, the variables' bounds: remote_share, never a presence matter)."""
    p, m = built.problem, built.model
    own = {limit.provider for limit in p.video_limits if limit.official}
    by_official: dict[tuple[int, int], list] = defaultdict(list)
    served: dict[tuple[int, int], list] = defaultdict(list)
    for (o, d, s), var in built.u.items():
        by_official[o, d].append((p.streams[s].slot_minutes, var))
        served[s, d].append(var)
    for (s, d), var in built.v.items():
        if p.streams[s].provider in own:  # the officials with their own hours serve the provider's video
            m.Add(var == sum(served.get((s, d), [])))
    index = {x.id: i for i, x in enumerate(p.officials)}
    for limit in p.video_limits:
        days = set(limit.days)
        if limit.official:
            o = index.get(limit.official)
            terms = [] if o is None else [(slot, var) for d in days for slot, var in by_official.get((o, d), [])]
        else:
            terms = [(p.streams[s].slot_minutes, var) for (s, d), var in built.v.items()
                     if d in days and p.streams[s].provider == limit.provider]
        if terms:
            m.Add(sum(_minutes(slot) * var for slot, var in terms) <= limit.minutes)
    held: dict[tuple[int, int], list] = defaultdict(list)
    for (o, d, s), var in built.a.items():
        held[o, d].append((p.streams[s].slot_minutes, var))
    drives: dict[tuple[int, int], list] = defaultdict(list)
    for (o, d, k), var in built.y.items():
        for i in range(p.tours[k].days):
            drives[o, d + i].append((p.tours[k].drive_on(i), var))
    for (o, d), video in by_official.items():
        m.Add(sum(_minutes(slot) * var for slot, var in (*held[o, d], *video))
              + sum(drive * var for drive, var in drives[o, d]) <= p.officials[o].day_minutes)


def add_caps(built: Built) -> None:
    """Hard (when given): official cost and access cost no higher than a plan to beat (e.g. the status quo)."""
    w = built.weights
    for kind, cap in (("official", w.max_official_eur), ("access", w.max_access_eur)):
        if cap is None:
            continue
        terms = [pen for pen in built.penalties if pen.family == kind]
        built.model.Add(sum(round(pen.weight * CENTS) * pen.var for pen in terms) <= math.floor(cap * CENTS + 1e-6))


# --------------------------------------------------------------------------- soft families (named € terms)


def add_official_cost(built: Built) -> list[Penalty]:
    """Soft: car + travel salary per trip, productivity loss per appointment, less shared-car savings (report §4.2);
    an overnight trip's hotel nights and per diem as their own named terms."""
    p = built.problem
    terms = []
    for (_, _, k), var in built.y.items():
        tour = p.tours[k]
        terms.append(_penalty(var.Name(), "official", var, tour.car_eur + tour.salary_eur))
        if tour.nights:
            terms.append(_penalty("hotel " + var.Name(), "official", var, tour.hotel_eur))
            terms.append(_penalty("per diem " + var.Name(), "official", var, tour.per_diem_eur))
    for (o, _d, s), var in built.a.items():
        stream = p.streams[s]
        terms.append(_penalty("productivity " + var.Name(), "official", var, productivity_eur(p.officials[o], stream)))
    for key, z in built.z.items():
        terms.append(_penalty(z.Name(), "official", z, -built.pool_saving[key]))
    return terms


def add_access_cost(built: Built) -> list[Penalty]:
    """Soft: customers sent to the office pay their trip; customers waiting pay per calendar day until the visit;
    customers arriving when no office of their provider is open and served by no visit nor video are unmet, each at
    the stream's unmet penalty (Stream.office_on)."""
    p, w = built.problem, built.weights
    terms = []
    for (s, d), var in built.f.items():
        office = p.streams[s].office_on(d)
        if s in p.later:  # the block's relaxation: served later at the least, not at the office
            day, extra = p.later[s]
            office = min(office, w.waiting_eur_per_day * (day - p.days[d]).days + extra)
        terms.append(_penalty(var.Name(), "access", var, office))
    for (_, d, e), var in built.x.items():
        if e > d:
            terms.append(_penalty(var.Name(), "access", var, w.waiting_eur_per_day * (p.days[e] - p.days[d]).days))
    return terms


def add_video_cost(built: Built) -> list[Penalty]:
    """Soft: each customer served by remote video costs the residents vc_s ([costs] video_eur_per_customer)."""
    return [_penalty(var.Name(), "access", var, built.problem.streams[s].video_eur) for (s, _), var in built.v.items()]


HARD: tuple[Callable[[Built], None], ...] = (
    add_calendar, add_one_trip_a_day, add_day_length, add_visit_capacity, add_visit_serves, add_customer_flow,
    add_visit_pattern, add_fixed_plan, add_pooling, add_video, add_whole_slots,
)
SOFT: tuple[Callable[[Built], list[Penalty]], ...] = (add_official_cost, add_access_cost, add_video_cost)


# --------------------------------------------------------------------------- start heuristic


DP_LOOK_BACK = 40  # candidate visit days a visit may follow (a year's DP stays O(days · 40))


def _point_visits(built: Built, o: int, k: int, streams: list[int], remaining: dict[tuple[int, int], int],
                  busy: set[int], max_gap: int | None, since: dt.date | None = None,
                  until: dt.date | None = None) -> list[int]:
    """The visit days of single-stop tour k that serve its point's customers at least cost (Wagner–Whitin DP).

    Each customer goes to the first visit on or after their arrival day, or to the office when that costs less
    (λ · office trip against λ · waiting + productivity loss) or no visit follows; a visit costs its trip. With
    `max_gap` (a visit pattern), no run of that many calendar days is without a visit. Day capacity is not
    modelled here (the caller sends the overflow to the office). Source: Wagner & Whitin (1958), "Dynamic version
    of the economic lot size model", Management Science 5(1).
    """
    p, w = built.problem, built.weights
    lam, official, tour = w.access_weight, p.officials[o], p.tours[k]
    days = [d for d in sorted(official.days) if d not in busy and trip_possible(p, o, d, k)]
    if not days:
        return []
    trip = tour.car_eur + tour.salary_eur
    ordinal = [day.toordinal() for day in p.days]
    waiting = [(d, n, lam * p.streams[s].office_on(d), productivity_eur(official, p.streams[s]),
                _minutes(p.streams[s].slot_minutes))
               for s in streams for d in range(len(p.days)) if (n := remaining.get((s, d), 0))]
    waiting.sort()

    def served(first: int, visit: int) -> float:
        """Cost of the customers arriving on days first … visit: the visit's slots go to those who gain most by it,
        the rest go to the office."""
        room = min(official.day_minutes - tour.drive_minutes, serving_minutes(p, tour, 0, tour.stops[0], visit))
        cost, gains = 0.0, []
        for d, n, office_eur, prod, slot in waiting:
            if first <= d <= visit:
                cost += n * office_eur
                gain = office_eur - lam * w.waiting_eur_per_day * (ordinal[visit] - ordinal[d]) - prod
                if gain > 0:
                    gains.append((-gain, slot, n))
        for neg_gain, slot, n in sorted(gains):
            n = min(n, room // slot)
            cost += neg_gain * n
            room -= n * slot
        return cost

    def office(first: int) -> float:
        return sum(n * office_eur for d, n, office_eur, _, _ in waiting if d >= first)

    # the pattern's windows run from the first day, or from `since`, to the last day, or to `until` (a horizon block:
    # the day after the last visit before it, the day before the next block's first possible visit)
    start, end = (since.toordinal() if since else ordinal[0]), (until.toordinal() if until else ordinal[-1])
    best: list[tuple[float, int]] = []  # per candidate visit: (cost up to it with it the last visit, previous visit)
    for j, e in enumerate(days):
        options = []
        if max_gap is None or ordinal[e] - start < max_gap:
            options.append((trip + served(0, e), -1))
        for i in range(j - 1, max(-1, j - 1 - DP_LOOK_BACK), -1):
            prev = days[i]
            if max_gap is not None and ordinal[e] - ordinal[prev] > max_gap:
                break
            options.append((best[i][0] + trip + served(prev + 1, e), i))
        best.append(min(options) if options else (math.inf, -1))
    finals = [(best[j][0] + office(e + 1), j) for j, e in enumerate(days)
              if max_gap is None or end - ordinal[e] < max_gap]
    if max_gap is None:
        finals.append((office(0), -1))
    cost, j = min(finals) if finals else (math.inf, -1)
    if math.isinf(cost):
        return []
    chosen = []
    while j >= 0:
        chosen.append(days[j])
        j = best[j][1]
    return sorted(chosen)


def _dp_start(built: Built, remaining: dict[tuple[int, int], int], busy: dict[int, set[int]],
              hint: dict[str, int]) -> None:
    """Per point and provider (most customers first), the cheapest official's single-stop visit days by
    _point_visits on days that official has free; customers taken first-come at each visit within the day."""
    p, w = built.problem, built.weights
    lam = w.access_weight
    pairs = sorted({(s.point, s.provider) for s in p.streams},
                   key=lambda pair: (-sum(sum(s.arrivals) for s in p.streams if (s.point, s.provider) == pair), pair))
    gaps = {(pt.point, pt.provider): pt.max_days_between for pt in p.patterns if pt.max_days_between}
    spans = {(pt.point, pt.provider): (pt.since, pt.until) for pt in p.patterns if pt.max_days_between}
    for point, provider in pairs:
        options = sorted((tour.car_eur + tour.salary_eur, tour.official, k) for k, tour in enumerate(p.tours)
                         if tour.stops == (point,) and not tour.nights and (tour.official, 0, k) in built.y
                         and p.officials[tour.official].provider == provider)
        if not options:
            continue
        _, o, k = options[0]
        official, tour = p.officials[o], p.tours[k]
        streams = streams_of(p, o, point)
        visits = _point_visits(built, o, k, streams, remaining, busy[o], gaps.get((point, provider)),
                               *spans.get((point, provider), (None, None)))
        for e in visits:
            room = min(official.day_minutes - tour.drive_minutes, serving_minutes(p, tour, 0, point, e))
            took = []
            for s in streams:
                stream = p.streams[s]
                for d in range(e + 1):
                    n = remaining.get((s, d), 0)
                    if not n or (s, d, e) not in built.x:
                        continue
                    wait = (p.days[e] - p.days[d]).days
                    gain = lam * (stream.office_on(d) - w.waiting_eur_per_day * wait) - productivity_eur(official, stream)
                    if gain > 0:
                        took.append((d, s, n))
            took.sort(key=lambda item: (-(p.streams[item[1]].office_on(item[0]) - w.waiting_eur_per_day
                                          * (p.days[e] - p.days[item[0]]).days), item))
            held = []
            for d, s, n in took:
                slot = _minutes(p.streams[s].slot_minutes)
                n = min(n, room // slot)
                if n > 0:
                    held.append((s, d, n))
                    room -= n * slot
            if not held and gaps.get((point, provider)) is None:
                continue
            hint[built.y[o, e, k].Name()] = 1
            busy[o].add(e)
            for s, d, n in held:
                remaining[s, d] -= n
                hint[built.a[o, e, s].Name()] += n
                hint[built.x[s, d, e].Name()] += n


def greedy_hint(built: Built) -> dict[str, int]:
    """The model's start plan (_greedy_plan), computed once per built model and kept on it (Built.greedy): build()
    starts CP-SAT from it and a solve that finds no plan falls back on it (planner.outreach.plan.solve_horizon),
    and on a year's area it took 19–61 s, so it is never made twice for one model. A copy: callers may change it."""
    if built.greedy is None:
        built.greedy = _greedy_plan(built)
    return dict(built.greedy)


def _greedy_plan(built: Built) -> dict[str, int]:
    """A start plan: visit patterns (official, tour, period) added one at a time, the one that gains the most first.

    A pattern is a tour (of any number of stops, or an overnight trip) made every P-th day the official can make
    it (P = 1 … 25, from day P // 2). It is simulated in date order on the official's days not yet taken: each
    visit takes, from the customers still unplanned who arrived by that day, those with the largest gain (λ ·
    (office trip − waiting) − productivity loss) while the official's day and the point's opening minutes last;
    a visit is kept only if every stop serves someone and the gains exceed the trip's cost. The pattern of largest
    total gain is fixed, its customers and days taken, and the search repeats until no pattern gains (a lazy
    greedy: a pattern's gain only falls as customers and days are taken, so a stale gain is an upper estimate and
    only the head of the queue is re-simulated). Visit patterns and fixed plans are left to CP-SAT to repair.
    Ties break on (official, tour, period): the same model gives the same plan.
    """
    p, w = built.problem, built.weights
    lam = w.access_weight
    remaining = {(s, d): n for s, stream in enumerate(p.streams) for d, n in enumerate(stream.arrivals) if n}
    hint: dict[str, int] = {var.Name(): 0 for var in (*built.y.values(), *built.a.values(), *built.x.values())}
    busy: dict[int, set[int]] = defaultdict(set)
    _dp_start(built, remaining, busy, hint)
    arrived: dict[int, list[int]] = {s: [d for d, n in enumerate(stream.arrivals) if n]
                                     for s, stream in enumerate(p.streams)}
    reach: dict[tuple[int, str], list[int]] = {}
    candidates: list[tuple[int, int, int, list[int]]] = []
    for k, tour in enumerate(p.tours):
        o = tour.official
        if (o, 0, k) not in built.y:
            continue
        for point in tour.stops:
            reach.setdefault((o, point), streams_of(p, o, point))
        days = [d for d in sorted(p.officials[o].days) if trip_possible(p, o, d, k)]
        for period in range(1, min(25, len(days)) + 1):
            candidates.append((o, k, period, days[period // 2::period]))

    def simulate(o: int, k: int, starts: list[int]) -> tuple[float, list]:
        official, tour = p.officials[o], p.tours[k]
        cost = tour.car_eur + tour.salary_eur + tour.hotel_eur + tour.per_diem_eur
        used: dict[tuple[int, int], int] = defaultdict(int)
        gain_total, visits, free_from = 0.0, [], -1
        for e in starts:
            span = range(e, e + tour.days)
            if e < free_from or any(day in busy[o] for day in span):
                continue
            chosen, gain_visit, held, serves = [], 0.0, defaultdict(int), True
            for i, day in enumerate(span):
                left = official.day_minutes - tour.drive_on(i)
                for point in tour.stops:
                    room = min(left, serving_minutes(p, tour, i, point, day))
                    options = []
                    for s in reach[o, point]:
                        stream = p.streams[s]
                        for d in arrived[s]:
                            if d > day:
                                break
                            n = remaining[s, d] - used[s, d] - held[s, d]
                            if n > 0 and (s, d, day) in built.x:
                                wait = (p.days[day] - p.days[d]).days
                                gain = lam * (stream.office_on(d) - w.waiting_eur_per_day * wait) \
                                    - productivity_eur(official, stream)
                                if gain > 0:
                                    options.append((-gain, d, s, n))
                    options.sort()
                    took = False
                    for neg_gain, d, s, n in options:
                        slot = _minutes(p.streams[s].slot_minutes)
                        n = min(n, room // slot)
                        if n <= 0:
                            continue
                        chosen.append((s, d, n, day))
                        held[s, d] += n
                        gain_visit -= neg_gain * n
                        room -= n * slot
                        left -= n * slot
                        took = True
                    serves = serves and took
            if serves and gain_visit > cost:
                for s, d, n, _ in chosen:
                    used[s, d] += n
                gain_total += gain_visit - cost
                visits.append((e, chosen))
                free_from = e + tour.days
        return gain_total, visits

    queue = [(-simulate(o, k, starts)[0], o, k, period) for o, k, period, starts in candidates]
    starts_of = {(o, k, period): starts for o, k, period, starts in candidates}
    queue = [item for item in queue if item[0] < 0]
    heapq.heapify(queue)
    while queue:
        _, o, k, period = heapq.heappop(queue)
        gain, visits = simulate(o, k, starts_of[o, k, period])
        if gain <= 0:
            continue
        if queue and -queue[0][0] > gain + 1e-9:  # another pattern may gain more now: look at it first
            heapq.heappush(queue, (-gain, o, k, period))
            continue
        for e, chosen in visits:
            hint[built.y[o, e, k].Name()] = 1
            busy[o].update(range(e, e + p.tours[k].days))
            for s, d, n, day in chosen:
                remaining[s, d] -= n
                hint[built.a[o, day, s].Name()] += n
                hint[built.x[s, d, day].Name()] += n
    for (s, d), var in built.f.items():
        hint[var.Name()] = remaining.get((s, d), 0)
    return hint


# --------------------------------------------------------------------------- large-neighbourhood search


LNS_WINDOW_DAYS = 20  # horizon days re-planned at once: a month of working days, which CP-SAT solves near-optimally
LNS_WORK_SHARE = 0.25  # each window's work budget, as a share of the whole model's
# The neighbourhoods together get at most this many times the whole model's budget: a year of an area has ~25
# windows and ~30 points, and a quarter each made its search 14 times the solve before it (issue #15's national year).
LNS_TOTAL_SHARE = 2.5
LNS_MIN_WORK = 0.5  # deterministic s: less, and a window's model hardly gets past presolve


def lns_work(work_limit: float | None, n: int) -> float | None:
    """Work budget of each of `n` neighbourhoods: LNS_WORK_SHARE of `work_limit`, or an equal share of
    LNS_TOTAL_SHARE of it when there are more than LNS_TOTAL_SHARE / LNS_WORK_SHARE of them; never below
    LNS_MIN_WORK. None (no budget) for None."""
    if work_limit is None:
        return None
    return max(LNS_MIN_WORK, work_limit * min(LNS_WORK_SHARE, LNS_TOTAL_SHARE / max(1, n)))


LNS_MIN_COUNT = 10  # neighbourhoods searched whatever the budget (the pilots' quarter has up to 10)


def lns_count(work_limit: float | None, n: int) -> int:
    """How many of `n` neighbourhoods (in neighbourhoods()' order) improve() searches: all of them while their
    budgets (lns_work) add up to at most LNS_TOTAL_SHARE × `work_limit`, else as many as that total holds at
    LNS_MIN_WORK each (the first ones: windows of days in date order, then points by name), and never fewer than
    LNS_MIN_COUNT (a small budget, such as the tests' 0.3–1 det. s, still gets a search worth the name). The floor
    of a neighbourhood's budget made a search of many neighbourhoods (a block that gets a share of its area's
    budget, planner/outreach/blocks.py: a quarter's ~36 at 0.5 det. s each where its share of the total is 6.25)
    exceed the total."""
    if work_limit is None or n * lns_work(work_limit, n) <= LNS_TOTAL_SHARE * work_limit + 1e-9:
        return n
    return min(n, max(LNS_MIN_COUNT, int(LNS_TOTAL_SHARE * work_limit / LNS_MIN_WORK + 1e-9)))


def windows(n_days: int, size: int = LNS_WINDOW_DAYS) -> list[range]:
    """Overlapping windows of `size` horizon days, each starting half a window after the last, covering 0 … n_days − 1."""
    if n_days <= size:
        return [range(n_days)]
    starts = list(range(0, n_days - size, max(1, size // 2))) + [n_days - size]
    return [range(start, start + size) for start in starts]


def neighbourhoods(built: Built) -> list[tuple[str, set[int]]]:
    """The parts improve() re-plans, each as (name, indices of the variables it frees), in a fixed order.

    A window of days (windows()): the trips wholly inside it, the appointments and served customers of its days.
    A point: every trip through it over the whole horizon, and the appointments and served customers of every stream
    at a stop of those trips (a multi-stop day dropped or added moves the other stops' customers too).
    Then the same parts again, each with its customers' channel free as well (how many of its arrival days' customers
    go to the office or to video, and the officials' video minutes for them): only these can serve at a new visit
    customers the plan sent to the office, or send to the office those of a visit that does not pay (a register
    office's January in Joensuu: 1 868.72 → 1 758.96 €, its gap 6.0 → 0.1 %). They come after the plain parts, which
    a short budget (lns_count()) keeps first.
    """
    p = built.problem
    parts: list[tuple[str, set[int], set[tuple[int, int]]]] = []  # (name, freed indices, its (stream, day) channels)
    all_streams = set(range(len(p.streams)))
    if len(p.days) > LNS_WINDOW_DAYS:
        for window in windows(len(p.days)):
            free = {var.Index() for (_, d, k), var in built.y.items()
                    if d >= window.start and d + p.tours[k].days <= window.stop}
            free |= {var.Index() for (_, e, _), var in built.a.items() if e in window}
            free |= {var.Index() for (_, _, e), var in built.x.items() if e in window}
            parts.append((f"days {p.days[window.start]}…{p.days[window.stop - 1]}", free,
                          {(s, d) for s in all_streams for d in window}))
    for point in sorted({stop for tour in p.tours for stop in tour.stops}):
        free = {var.Index() for (_, _, k), var in built.y.items() if point in p.tours[k].stops}
        stops = {stop for tour in p.tours if point in tour.stops for stop in tour.stops}
        streams = {s for s, stream in enumerate(p.streams) if stream.point in stops}
        free |= {var.Index() for (_, _, s), var in built.a.items() if s in streams}
        free |= {var.Index() for (s, _, _), var in built.x.items() if s in streams}
        parts.append((f"point {point}", free, {(s, d) for s in streams for d in range(len(p.days))}))
    out = [(name, free) for name, free, _ in parts]
    for name, free, channels in parts:
        channel = {var.Index() for key, var in (*built.f.items(), *built.v.items()) if key in channels}
        channel |= {var.Index() for (_, d, s), var in built.u.items() if (s, d) in channels}
        out.append((f"{name}, channels free", free | channel))
    return out


def improve(built: Built, start: Result, params: SolveParams) -> Result:
    """Large-neighbourhood search from `start`: re-plan one part of the plan at a time, the rest kept.

    Each neighbourhood (neighbourhoods(): windows of days in date order, then points by name) frees its trips,
    appointments and served customers; every other trip, appointment and served customer keeps its value (fixed in
    its variable's domain); the first pass of parts keeps each arrival day's numbers sent to the office and to video
    (it moves customers between visits), the second frees them too (neighbourhoods()). CP-SAT solves that neighbourhood from the
    current plan (its hint) on lns_work()'s share of `params`' work budget (a quarter each; on a long horizon with
    many neighbourhoods, an equal share of LNS_TOTAL_SHARE times it, and only the first lns_count() of them when
    that share would be under LNS_MIN_WORK: the budgets handed to the solver never add up to more than
    LNS_TOTAL_SHARE × the work budget); a plan that costs less is kept.
    Deterministic: the same model, start and budget give the same plan. The bound is `start`'s (a bound of the whole
    model, which every neighbourhood only restricts); the gap is recomputed for the better plan.

    Source: Shaw (1998), large-neighbourhood search; Pisinger & Ropke (2010), "Large neighborhood search", §2.
    """
    if start.objective is None or start.status == "OPTIMAL" or not start.values:
        return start
    values, objective = list(start.values), start.objective
    parts = neighbourhoods(built)
    budget = replace(params, progress=None, work_limit=lns_work(params.work_limit, len(parts)))
    parts = parts[:lns_count(params.work_limit, len(parts))]
    n = len(values)
    work, seconds = start.work, start.seconds
    # One search object for all neighbourhoods: only the domains that change between two are written.
    with kit.Neighbourhoods(built.model) as search:
        for _, free in parts:
            fixed = {i: values[i] for i in range(n) if i not in free}
            result = search.solve(fixed, values, budget, scale=CENTS)
            work, seconds = work + result.work, seconds + result.seconds
            if result.objective is not None and result.objective < objective - 1e-6:
                values, objective = list(result.values), result.objective
    bound = start.best_bound
    return settled(replace(start, objective=objective, gap=kit.gap(objective, bound), work=work, seconds=seconds,
                           values=tuple(values)))


# --------------------------------------------------------------------------- decomposition


def split(problem: Problem) -> list[Problem]:
    """Independent parts: officials and the streams their tours can serve, linked transitively.

    Without pooling and caps the parts' plans together are optimal for the whole; with
    them, the parts' plans are a start (a hint, matched by variable name) for the whole.
    """
    nodes = [("o", o) for o in range(len(problem.officials))] + [("s", s) for s in range(len(problem.streams))]
    links = [(("o", tour.official), ("s", s)) for tour in problem.tours for point in tour.stops
             for s in streams_of(problem, tour.official, point)] + video_links(problem)
    parts = []
    for members in sorted(components(nodes, links)):
        officials = sorted(i for kind, i in members if kind == "o")
        streams = sorted(i for kind, i in members if kind == "s")
        renumber = {o: n for n, o in enumerate(officials)}
        points = {problem.streams[s].point for s in streams}
        parts.append(replace(
            problem,
            officials=tuple(problem.officials[o] for o in officials),
            tours=tuple(replace(t, official=renumber[t.official]) for t in problem.tours if t.official in renumber),
            streams=tuple(problem.streams[s] for s in streams),
            patterns=tuple(pt for pt in problem.patterns if pt.point in points),
            fixed=None if problem.fixed is None else problem.fixed,
            video_limits=tuple(limit for limit in problem.video_limits
                               if any(problem.streams[s].provider == limit.provider for s in streams)),
        ))
    return parts


def video_links(problem: Problem) -> list[tuple[tuple[str, int], tuple[str, int]]]:
    """Links of model.split that video limits make: a provider's video streams share its hours (one part), and an
    official with their own hours serves them all."""
    limited = {limit.provider for limit in problem.video_limits}
    own = {limit.official for limit in problem.video_limits if limit.official}
    links = []
    for provider in sorted(limited):
        video = [s for s, stream in enumerate(problem.streams) if stream.provider == provider and stream.video_cap]
        links += [(("s", a), ("s", b)) for a, b in zip(video, video[1:], strict=False)]
        links += [(("o", o), ("s", video[0])) for o, x in enumerate(problem.officials)
                  if x.provider == provider and x.id in own and video]
    return links


# --------------------------------------------------------------------------- build / solve / extract


def build(problem: Problem, weights: Weights,
          hard: Sequence[Callable[[Built], None]] = HARD,
          soft: Sequence[Callable[[Built], list[Penalty]]] = SOFT,
          hint: dict[str, int] | None = None) -> Built:
    """The CP-SAT model; `hard`/`soft` let a test build one family alone.

    `hint` is a plan to start from (by variable name); without one, greedy_hint's plan is used.
    """
    model = cp_model.CpModel()
    n_days = len(problem.days)
    y, a, f, x = {}, {}, {}, {}
    for k, tour in enumerate(problem.tours):
        for d in range(n_days):
            nights = f", nights={tour.nights}" if tour.nights else ""  # names are unique: plans move by name
            y[tour.official, d, k] = model.NewBoolVar(
                f"trip(official={problem.officials[tour.official].id}, day={problem.days[d]}, "
                f"stops={'+'.join(tour.stops)}{nights})")
    reach: dict[int, set[str]] = defaultdict(set)
    for tour in problem.tours:
        reach[tour.official].update(tour.stops)
    for o, official in enumerate(problem.officials):
        for point in sorted(reach[o]):
            for s in streams_of(problem, o, point):
                stream = problem.streams[s]
                top = max(0, official.day_minutes // _minutes(stream.slot_minutes))
                top = min(top, sum(stream.arrivals))
                for d in range(n_days):
                    a[o, d, s] = model.NewIntVar(0, top, f"appointments(official={official.id}, day={problem.days[d]}, {_label(stream)})")
    servable = {(point, problem.officials[t.official].provider) for t in problem.tours for point in t.stops}
    for s, stream in enumerate(problem.streams):
        total = sum(stream.arrivals)
        for d in range(n_days):
            channel = "to_office" if stream.has_office(d) else "unmet"  # named as what it costs
            f[s, d] = model.NewIntVar(0, total, f"{channel}({_label(stream)}, day={problem.days[d]})")
            if not stream.arrivals[d]:
                continue
            for e in range(d, n_days):
                wait = (problem.days[e] - problem.days[d]).days
                if weights.waiting_eur_per_day * wait >= stream.office_on(d) and e > d:
                    break
                if (stream.point, stream.provider) in servable:
                    x[s, d, e] = model.NewIntVar(0, stream.arrivals[d], f"served({_label(stream)}, "
                                                 f"arrived={problem.days[d]}, on={problem.days[e]})")
    built = Built(problem, weights, model, y, a, f, x)
    _video_variables(built)
    for family in hard:
        family(built)
    for family in soft:
        built.penalties += family(built)
    add_caps(built)
    lam = weights.access_weight
    model.Minimize(sum(round(pen.weight * CENTS * (lam if pen.family == "access" else 1.0)) * pen.var
                       for pen in built.penalties if pen.weight))
    if hint is None and problem.fixed is None:
        hint = video_hint(built, greedy_hint(built))
    if hint:
        for var in (*y.values(), *a.values(), *f.values(), *x.values(), *built.z.values(), *built.v.values(),
                    *built.u.values()):
            if var.Name() in hint:
                model.AddHint(var, hint[var.Name()])
    return built


def _video_variables(built: Built) -> None:
    """v_{s,d} for the arrivals who can use video; u_{o,d,s} for the officials with their own video hours."""
    p, m = built.problem, built.model
    own = {limit.official for limit in p.video_limits if limit.official}
    for s, stream in enumerate(p.streams):
        for d, cap in enumerate(stream.video_cap):
            if cap > 0:
                built.v[s, d] = m.NewIntVar(0, cap, f"video({_label(stream)}, day={p.days[d]})")
    for o, official in enumerate(p.officials):
        if official.id not in own:
            continue
        for s, d in built.v:
            if p.streams[s].provider == official.provider and d in official.days:
                built.u[o, d, s] = m.NewIntVar(0, p.streams[s].video_cap[d], f"video_by(official={official.id}, "
                                               f"day={p.days[d]}, {_label(p.streams[s])})")


def video_hint(built: Built, hint: dict[str, int]) -> dict[str, int]:
    """greedy_hint's plan with remote video where it is cheaper for the residents than the office: the customers it
    sends to the office move to video within the caps and pooled hours (providers whose officials have their own
    hours are left to CP-SAT: their video stays 0, which is feasible)."""
    p = built.problem
    own = {limit.provider for limit in p.video_limits if limit.official}
    left = {i: limit.minutes for i, limit in enumerate(p.video_limits) if not limit.official}
    of_day = defaultdict(list)
    for i in left:
        for d in p.video_limits[i].days:
            of_day[p.video_limits[i].provider, d].append(i)
    hint = dict(hint)
    for (s, d), var in sorted(built.v.items()):
        stream = p.streams[s]
        office = built.f[s, d].Name()
        if stream.provider in own or stream.video_eur >= stream.office_on(d) or not hint.get(office):
            continue
        slot = _minutes(stream.slot_minutes)
        n = min(hint[office], stream.video_cap[d],
                *(left[i] // slot for i in of_day.get((stream.provider, d), [])))
        if n > 0:
            hint[office] -= n
            hint[var.Name()] = n
            for i in of_day.get((stream.provider, d), []):
                left[i] -= n * slot
    return hint


def proven(objective: float | None, bound: float | None) -> bool:
    """The bound (€) reaches the objective (€) to the cent: no cheaper plan exists.

    The model counts whole cents (CENTS), so a bound that rounds to the objective's cent proves
    it, even when a work budget stopped the search or the LP relaxation gave the bound.
    """
    return objective is not None and bound is not None and round(bound * CENTS) >= round(objective * CENTS)


def settled(result: Result) -> Result:
    """`result` OPTIMAL with gap 0 when its bound proves it (see proven); else unchanged: a result whose
    gap is above 0 stays FEASIBLE, however small the gap."""
    if result.status == "OPTIMAL" or not proven(result.objective, result.best_bound):
        return result
    return replace(result, status="OPTIMAL", gap=0.0)


def solve(built: Built, params: SolveParams, lp: bool = True) -> Result:
    """CP-SAT under the kit's budgets; objective and bound in € (the model counts cents).

    When not proven optimal, the bound is the better of CP-SAT's and (with `lp`) the LP relaxation's, and never
    below 0: every cost is non-negative (a shared car saves at most one of the pair's car costs). Without `lp`
    the bound is CP-SAT's alone (a horizon block, whose model's bound is not the horizon's:
    planner/outreach/blocks.py).
    """
    result = kit.solve(built.model, params, scale=CENTS)
    if result.objective is None or result.status == "OPTIMAL":
        return result
    bound = max(0.0, result.best_bound) if result.best_bound is not None else 0.0
    relaxed = lp_bound(built) if lp else None
    if relaxed is not None:
        bound = min(result.objective, max(bound, relaxed - 1e-6))
    return settled(replace(result, best_bound=bound, gap=kit.gap(result.objective, bound)))


def values(built: Built, result: Result) -> dict[str, int]:
    """A result's plan by variable name: how a plan moves between the parts of model.split and the whole."""
    return kit.by_name(built.model, result)


def plan_result(built: Built, status: str, objective: float, bound: float | None, plan: dict[str, int],
                seconds: float = 0.0, work: float = 0.0) -> Result:
    """A Result carrying a plan given by variable name (e.g. the parts' plans combined)."""
    return settled(kit.with_values(Result(status, objective, bound, kit.gap(objective, bound), seconds, work),
                                   built.model, plan))


def lp_model(model: cp_model.CpModel) -> linear_solver_pb2.MPModelProto:
    """The LP relaxation of a CP-SAT model's linear constraints and at-most-ones (lp_bound's), as one MPModelProto.

    Built field by field from the CP-SAT proto (each constraint's indices and coefficients copied as lists) rather
    than as expressions through pywraplp's Python operators, which took most of a year area's 30 s LP. A literal
    ¬x in a constraint or the objective is 1 − x: its coefficient moves to x with the sign flipped and to the
    row's bounds (or the objective's offset); a variable twice in one row has its coefficients summed.
    """
    proto = model.Proto()
    inf = math.inf

    def finite(value: int) -> float:
        return -inf if value <= -(2**62) else inf if value >= 2**62 else float(value)

    def terms(refs, coeffs) -> tuple[list[int], list[float], float]:
        """Positive indices, their coefficients (duplicates summed) and the constant the negated literals leave."""
        refs, coeffs = list(refs), list(coeffs)
        if min(refs, default=0) >= 0 and len(set(refs)) == len(refs):
            return refs, coeffs, 0.0
        merged: dict[int, float] = {}
        constant = 0.0
        for ref, coeff in zip(refs, coeffs, strict=True):
            if ref < 0:
                ref, constant, coeff = -ref - 1, constant + coeff, -coeff
            merged[ref] = merged.get(ref, 0.0) + coeff
        return list(merged), list(merged.values()), constant

    lp = linear_solver_pb2.MPModelProto()
    objective = proto.objective
    index, cost, offset = terms(objective.vars, objective.coeffs)
    costs = dict(zip(index, cost, strict=True))
    for i, v in enumerate(proto.variables):
        domain = v.domain
        lp.variable.add(lower_bound=finite(domain[0]), upper_bound=finite(domain[len(domain) - 1]),
                        objective_coefficient=costs.get(i, 0.0))
    lp.objective_offset = objective.offset + offset
    for c in proto.constraints:
        if len(c.enforcement_literal):
            continue
        if c.has_linear():
            index, coeff, constant = terms(c.linear.vars, c.linear.coeffs)
            domain = c.linear.domain
            lp.constraint.add(var_index=index, coefficient=coeff, lower_bound=finite(domain[0]) - constant,
                              upper_bound=finite(domain[len(domain) - 1]) - constant)
        elif c.has_at_most_one() or c.has_exactly_one():
            literals = c.at_most_one.literals if c.has_at_most_one() else c.exactly_one.literals
            index, coeff, constant = terms(literals, [1.0] * len(literals))
            lp.constraint.add(var_index=index, coefficient=coeff, lower_bound=-inf, upper_bound=1.0 - constant)
    return lp


def lp_bound(built: Built) -> float | None:
    """Lower bound in € from the LP relaxation (GLOP) of the model's linear constraints and at-most-ones (lp_model).

    Dropping the other constraints only relaxes the model further, so the bound stays valid.
    CP-SAT's own LP may leave out the visit-day links x ≤ r·Σy after presolve; this one keeps
    them, which is what makes the facility-location form tight.
    """
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    if solver.LoadModelFromProto(lp_model(built.model)):  # an error message: the LP could not be loaded
        return None
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return solver.Objective().Value() / CENTS


def evaluate(built: Built, plan: dict[str, int]) -> Result:
    """Score a given plan (e.g. greedy_hint's) as a FEASIBLE result, with the LP bound; the caller vouches for feasibility."""
    lam = built.weights.access_weight
    objective = sum(round(pen.weight * CENTS * (lam if pen.family == "access" else 1.0)) * plan.get(pen.var.Name(), 0)
                    for pen in built.penalties) / CENTS
    bound = lp_bound(built)
    bound = None if bound is None else min(objective, bound)
    return plan_result(built, "FEASIBLE", objective, bound, plan)


def stream_outcomes(p: Problem, served: dict[int, int], x: dict[tuple[int, int, int], int],
                    f: dict[tuple[int, int], int], video: dict[tuple[int, int], int]) -> tuple[StreamOutcome, ...]:
    """Every stream's outcome from a plan's values: `served` stream → appointments held; x (stream, arrival day, visit
    day), f (stream, day) and video (stream, day) → customers (absent: 0). One pass over each."""
    days: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    for (s, d, e), n in x.items():
        if n:
            days[s][d][0] += n
            days[s][d][3] += n * (p.days[e] - p.days[d]).days
    for (s, d), n in f.items():
        if n:
            days[s][d][1] += n
    for (s, d), n in video.items():
        if n:
            days[s][d][2] += n
    outcomes = []
    for s in range(len(p.streams)):
        by_arrival = {d: (a, b, c, w) for d, (a, b, c, w) in sorted(days[s].items())} if s in days else {}
        stream = p.streams[s]
        outcomes.append(StreamOutcome(s, served.get(s, 0),
                                      sum(b for d, (_, b, _, _) in by_arrival.items() if stream.has_office(d)),
                                      sum(w for _, _, _, w in by_arrival.values()),
                                      sum(c for _, _, c, _ in by_arrival.values()), by_arrival,
                                      sum(b for d, (_, b, _, _) in by_arrival.items() if not stream.has_office(d))))
    return tuple(outcomes)


def extract(built: Built, result: Result) -> Solution:
    """Trips, visits with appointments, and each stream's outcome; costs recomputed in floats."""
    p = built.problem
    if result.objective is None:
        raise ValueError(f"no plan to extract: solver status {result.status}")
    v = defaultdict(int, values(built, result))
    trips = tuple(sorted((o, d, k) for (o, d, k), var in built.y.items() if v[var.Name()]))
    pooled: dict[tuple[int, int], str] = {}
    pool_saving = 0.0
    for key, z in built.z.items():
        if v[z.Name()]:
            o1, o2, d, _ = key
            pooled[o1, d], pooled[o2, d] = p.officials[o2].id, p.officials[o1].id
            pool_saving += built.pool_saving[key]
    visits = []
    for o, start, k in trips:
        tour = p.tours[k]
        for d in range(start, start + tour.days):  # an overnight trip: a visit on each of its days
            for order, point in enumerate(tour.stops, start=1):
                counts = {}
                minutes = 0.0
                for s in streams_of(p, o, point):
                    n = v.get(built.a[o, d, s].Name(), 0) if (o, d, s) in built.a else 0
                    if n:
                        counts[p.streams[s].appointment_type] = counts.get(p.streams[s].appointment_type, 0) + n
                        minutes += n * p.streams[s].slot_minutes
                visits.append(Visit(p.officials[o].id, d, k, order, point, counts, minutes, pooled.get((o, d)),
                                    start if tour.nights else None))
    served: dict[int, int] = defaultdict(int)
    for (_, _, s), var in built.a.items():
        served[s] += v[var.Name()]
    outcomes = stream_outcomes(p, served, {key: v[var.Name()] for key, var in built.x.items()},
                               {key: v[var.Name()] for key, var in built.f.items()},
                               {key: v[var.Name()] for key, var in built.v.items()})
    video_minutes: dict[str, int] = defaultdict(int)
    for (o, _, s), var in built.u.items():
        video_minutes[p.officials[o].id] += v[var.Name()] * _minutes(p.streams[s].slot_minutes)
    named = {pen.message: pen.weight * v[pen.var.Name()] for pen in built.penalties if v.get(pen.var.Name())}
    official = sum(pen.weight * v[pen.var.Name()] for pen in built.penalties if pen.family == "official")
    access = sum(pen.weight * v[pen.var.Name()] for pen in built.penalties if pen.family == "access")
    status = "OPTIMAL" if result.status == "OPTIMAL" else "FEASIBLE (time limit)" if result.time_limited \
        else "FEASIBLE (work limit)"
    return Solution(status, official + built.weights.access_weight * access, result.best_bound, result.gap,
                    result.seconds, official, access, pool_saving, tuple(visits), trips, outcomes,
                    {k: round(x, 2) for k, x in named.items() if abs(x) > 1e-9},
                    {k: n for k, n in sorted(video_minutes.items()) if n})
