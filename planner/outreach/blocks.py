"""A long outreach horizon planned in consecutive blocks, each its own CP-SAT model, as one plan (issue #15).

Why: a year of the national scenario's largest area (`outreach:te:helsinki-te`, 524 tours × 252 days) is one model
of 192 114 variables and 2.75 GB in CP-SAT; two such processes exceed the 2 GB of the machine. Month blocks
keep every model a month's size.

The block rule (spans)
----------------------
A problem stays one block while its trip variables (tours × days) are at most MAX_TRIP_VARIABLES (40 000) and its
model's variables (trips, appointments and served customers by arrival and visit day: model_variables) at most
MAX_MODEL_VARIABLES (45 000); beyond, it is cut into month blocks: one block per calendar month (a year, twelve;
the largest national month area is 19 809 variables). Month blocks rather than as few blocks as the sizes allow
(Helsinki TE's year was four quarters, the register office's eight): a block of four months at a third of the
budget did not get from CP-SAT what a month gets (Joensuu maistraatti's year: 41 993 € in three blocks, 39 460 € in
twelve at the same total budget, in less CPU and memory). The memory rule behind the sizes: a model takes ~15 kB a
variable in CP-SAT, and a worker that planned a register office's year in blocks of 81 000 variables held 1.2 GB,
two of them and the run's parent over 2 GB. Small areas, a month of any area and the pilots' quarter and year
(≈ 13–40 tours × 62–252 days) stay one block: their plans are unchanged. A seam that an overnight trip
could cross (the problem has one) moves forward to the first day after a day no point is open (a weekend), so no
trip ever spans two blocks. Fixed plans (the status quo) and coupled problems (cost caps, car pooling between
officials of one town) are not cut.

What crosses a seam (the couplings of models/outreach.py's formulation over days), and how it is carried
-------------------------------------------------------------------------------------------------------------------
- Waiting customers (x_{s,d,e}, e > d): a customer may wait for a visit while w · wait < their office trip, up to
  months. The customers an earlier block sends to the office (f_{s,d}) whose wait could still end in this block
  are this block's arrivals on their own arrival day (a carried day before the block's first: no trip, no video
  that day); this block serves them (waiting counted from their arrival) or keeps them at the office. The plan's
  to_office of that day is then this block's (exact: nobody is lost or counted twice at the seam).
- Visit patterns (every window of N calendar days holds a visit): the block's windows start the day after the
  last visit of the pair before it (Pattern.since), so a window across the seam is met once, by one visit on
  either side; and a block's windows run to the day before the next block's first day a visit of the pair is
  possible (Pattern.until) — a window that ends before that day can only be met in this block, as in the whole
  model. A pattern holds in a block whenever the horizon has customers of the pair (Pattern.required).
- Overnight trips (consecutive days): never across a seam (the rule above).
- Video hours of a period (week, month) cut by a seam: each block gets what the blocks before it left of the
  period's minutes.
- One trip a day, day length, capacities, pooling: within a day; the status quo's visits a month: not cut.

The plan and its bound
----------------------
The blocks are solved in date order, each from its own start plan, on a share of the area's work budget
(block_params). The budget rule: an area (a problem of models/outreach.py: one provider's officials and points) has
one work budget W (`[solver] work_limit`) for its first solve and up to LNS_TOTAL_SHARE × W for its search
(models.outreach.improve). A problem of one block (every month of an area, the small areas' year, the pilots' quarter
and year) keeps it, as before; the n blocks of a longer one share √n × W (budget_factor) in proportion to their trip
variables (tours × days; the tours are the same in every block, so in proportion to their days): twelve month blocks
of a year get W·√12/12 ≈ 0.29 W each for the first solve and LNS_TOTAL_SHARE times that for the search. Between the
two ends measured on Joensuu maistraatti's year in twelve month blocks: W/12 each (one W in all: 108 CPU s,
39 460 €) and W each (12 W: 680 CPU s, 32 436 €); √n grows the work of a year to 3.5 × its month's, not 12 ×
(issue #15: ~90 blocks at the whole budget each were an hour of one core). Deterministic: the shares depend on the problem
alone. The result is one Solution over the whole horizon (its day indices, its
officials, tours and streams): trips and visits of every block, each stream's outcome over the horizon, the named
cost terms with each carried day's office count as the last block that held it left it, and the objective their
sum (official cost + λ · access cost), which the plan checks recompute from the plan alone.

The bound is Σ_b LB_b (over bound spans, below), LB_b the LP bound (GLOP, models.outreach.lp_bound) of the block's
relaxation R_b: the block's days and its own arrivals only (nothing carried in), every customer free to leave the
block at the cost of waiting until the first day after it that a visit of their pair is possible, plus the least
productivity loss of an official of their provider (Problem.later; the office if that is cheaper), the windows of a
pattern only inside the block, a seam-cut video period with all its minutes, and no visit-serves rule. It is valid
for the whole horizon: charge every cost of a plan P of the whole horizon to a block — a trip, its pooling saving
and the appointments held to the block of its day, except that a customer's productivity loss, office trip, video
and whole wait go to the block of the customer's arrival day. What P charges to block b is, restricted to b's days
and its own customers, a plan of R_b (a customer P serves in a later block leaves R_b for no more than P pays for
them: P serves them on a day a visit is possible, after the block, at an official's productivity loss; appointments
are fewer, so every capacity holds; a stop that serves only customers of earlier blocks is why R_b has no
visit-serves rule; a pattern window inside b is one of the whole's), costing at most that charge. So LB_b ≤
charge_b(P) for every P, whatever the blocks before b planned, and Σ_b LB_b ≤ the whole horizon's optimum. The first
block needs R_1 too: its own model sends its last customers to the office, while the whole horizon could serve them
after the seam. LB_b is the LP's, not CP-SAT's: no search is spent on the bound (the LP alone brought a year's area
to 0.03 %). What it gives up against the whole horizon's LP: a customer who waits across a seam pays no share of the
trip that serves them, so the bound is weakest where the office is far (a wait of weeks still beats it) and the
blocks short.

Bound spans, and one LP a block (bound_spans): the argument above holds for any cut of the horizon into consecutive
spans, not only the plan's blocks; a longer span has fewer seams and a larger bound. So the bound is summed over
bound spans: consecutive blocks joined while the joined span's relaxation has at most BOUND_LP_MAX_VARIABLES
(60 000) model variables, a block alone whatever its size. The relaxation drops the visit-serves rows, which make
the LP hard: Joensuu maistraatti's year (12 month blocks), Σ of month relaxations 18 156 € in 4.8 CPU s, of two
half-years 24 411 € in 13 s (+70 MB), of the year at once 25 267 € in 25 s (+270 MB), while the whole model's LP
(with those rows) is 25 302 € in 101 s (+600 MB). The cap keeps a worker's memory and each LP's time to the
half-year's. The blocks' own models solve no LP (models.outreach.solve with lp=False): their bound is not the
horizon's, and CP-SAT's own bound still proves a block optimal where it can; so no block costs two LPs.

The stronger bound, where it pays and fits: when the plan is more than GAP_TARGET above Σ_b LB_b, the bound has
more than one span and the whole horizon's model has at most WHOLE_LP_MAX_VARIABLES variables, the LP bound of the
whole horizon's own model (the model one block would have been: models.outreach.build of `problem`, GLOP) is
computed after the blocks (their models freed) and the larger of the two is the bound. It is valid: the LP relaxes
the whole horizon's model, whose optimum is at most the cost of any plan of it, and the blocks' plan is one (every
seam carried, every window of a pattern met: the module's rules above). It is the bound the blocks lose at the seams
(Helsinki TE's year: 0.03 % against 4.4 %); the size rule keeps its model and GLOP (~600 MB on a 128 000-variable
model) within a worker's share of the machine (Helsinki TE's year, 184 000 variables, is beyond it), and its time
(33 s there) to the areas that need it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from models import kit
from models import outreach as model
from models.kit import SolveParams

MAX_TRIP_VARIABLES = 40_000  # tours × days of one block (a quarter of the largest national area's year)
MAX_MODEL_VARIABLES = 45_000  # variables of one block's model (model_variables): ~700 MB in a worker
GAP_TARGET = 0.05  # issue #15's national year: within 5 % of the bound; above it, the whole horizon's LP is tried
WHOLE_LP_MAX_VARIABLES = 90_000  # model variables of a whole horizon whose LP bound is computed (the size rule)
# Variables of one bound span's relaxation (consecutive blocks bounded by one LP): Joensuu maistraatti's year in six
# months, 13 CPU s and +70 MB for its two LPs (twelve months at once: 25 s, +270 MB)
BOUND_LP_MAX_VARIABLES = 60_000

Solve = Callable[[model.Problem, str, SolveParams], tuple[model.Built, model.Result]]


def trip_variables(problem: model.Problem, span: range | None = None) -> int:
    """Tours × days of `problem` (of `span`'s days): the size of its model's trip variables (y_{o,d,k})."""
    return len(problem.tours) * (len(problem.days) if span is None else len(span))


def budget_factor(n: int) -> float:
    """The work of `n` blocks together as a multiple of one solve's budget (the module's budget rule): √n, so
    each of n equal blocks gets W·√n / n — more in all than one budget W (W/n a month block was too little:
    Joensuu maistraatti's year 39 460 € against 32 436 € at W each), far less than n·W (6.3 × the CPU there)."""
    return math.sqrt(max(1, n))


def block_params(problem: model.Problem, blocks: list[range], p: SolveParams) -> list[SolveParams]:
    """Each block's share of the problem's work budget (the module's budget rule): `p` scaled by budget_factor(n)
    × the block's share of the trip variables (of the days); the shares add up to √n, so the first solves' work
    limits add up to √n × `p`'s and the searches' (LNS_TOTAL_SHARE × each) to LNS_TOTAL_SHARE × √n × `p`'s. One
    block: `p` itself."""
    if len(blocks) <= 1:
        return [p]
    total = sum(trip_variables(problem, span) for span in blocks)
    factor = budget_factor(len(blocks))
    return [p.scaled(factor * trip_variables(problem, span) / total) for span in blocks]


def whole_bound(problem: model.Problem, w: model.Weights) -> float:
    """The LP bound (€) of the whole horizon's own model (the module's docstring); 0 when the LP fails."""
    built = model.build(problem, w, hint={})
    bound = model.lp_bound(built)
    return max(0.0, bound - 1e-6) if bound is not None else 0.0


def model_variables(problem: model.Problem, w: model.Weights) -> int:
    """The number of trip, appointment and served-customer variables models.outreach.build makes for `problem` (the
    same loops, no model): tours × days, + each official's streams at the points of their tours × days, + each
    arrival day's possible visit days (while the wait costs less than the office trip)."""
    n = len(problem.days)
    reach: dict[int, set[str]] = defaultdict(set)
    for tour in problem.tours:
        reach[tour.official].update(tour.stops)
    count = len(problem.tours) * n
    count += n * sum(len(model.streams_of(problem, o, point)) for o, points in reach.items() for point in points)
    servable = {(point, problem.officials[t.official].provider) for t in problem.tours for point in t.stops}
    for stream in problem.streams:
        if (stream.point, stream.provider) not in servable:
            continue
        for d in range(n):
            if not stream.arrivals[d]:
                continue
            for e in range(d, n):
                if e > d and w.waiting_eur_per_day * (problem.days[e] - problem.days[d]).days >= stream.office_on(d):
                    break
                count += 1
    return count


def spans(problem: model.Problem, max_trip_variables: int = MAX_TRIP_VARIABLES, w: model.Weights | None = None,
          max_variables: int = MAX_MODEL_VARIABLES) -> list[range]:
    """The blocks of `problem`'s days (index ranges, in order): one while tours × days ≤ `max_trip_variables` and
    (with weights `w`) model_variables ≤ `max_variables`, else one block per calendar month, seams moved past a day
    no point is open when the problem has overnight trips (a seam no trip can cross; none found: the seam is
    dropped)."""
    n = len(problem.days)
    wanted = math.ceil(len(problem.tours) * n / max(1, max_trip_variables))
    if w is not None:
        wanted = max(wanted, math.ceil(model_variables(problem, w) / max(1, max_variables)))
    months = [d for d in range(1, n) if (problem.days[d].year, problem.days[d].month)
              != (problem.days[d - 1].year, problem.days[d - 1].month)]
    if wanted <= 1 or not months:
        return [range(n)]
    cuts = months
    if any(t.nights for t in problem.tours):
        moved = []
        for c in cuts:
            after = next((e for e in range(c, n) if (problem.days[e] - problem.days[e - 1]).days >= 2), None)
            if after is not None and (not moved or after > moved[-1]):
                moved.append(after)
        cuts = moved
    edges = [0, *cuts, n]
    return [range(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a]


def _whole_demand(problem: model.Problem) -> set[tuple[str, str]]:
    return {(s.point, s.provider) for s in problem.streams if sum(s.arrivals)}


def possible(problem: model.Problem, point: str, provider: str, d: int) -> bool:
    """Whether a visit of `provider` to `point` can start on day d: a trip through it that an official of the
    provider can make then, an allowed weekday, and the point open for the pair's shortest slot."""
    slots = [model._minutes(s.slot_minutes) for s in problem.streams if (s.point, s.provider) == (point, provider)]
    if not slots or problem.open_minutes.get((point, d), 0) < min(slots):
        return False
    weekdays = [set(pt.weekdays) for pt in problem.patterns if (pt.point, pt.provider) == (point, provider)
                and pt.weekdays]
    if any(problem.days[d].weekday() not in w for w in weekdays):
        return False
    return any(point in t.stops and problem.officials[t.official].provider == provider
               and model.trip_possible(problem, t.official, d, k) for k, t in enumerate(problem.tours))


def _next_possible(problem: model.Problem, pattern: model.Pattern, after: int) -> dt.date:
    """The day before the first day after index `after` a visit of the pattern's pair is possible (the whole
    horizon's last day when none is)."""
    for d in range(after + 1, len(problem.days)):
        if possible(problem, pattern.point, pattern.provider, d):
            return problem.days[d] - dt.timedelta(days=1)
    return problem.days[-1]


def _slice(problem: model.Problem, span: range, lookback: list[int], carried: dict[tuple[int, int], int]
           ) -> model.Problem:
    """`problem` on the carried days `lookback` (their customers only) and the days of `span`."""
    shift = len(lookback) - span.start
    days = tuple(problem.days[d] for d in lookback) + problem.days[span.start:span.stop]
    officials = tuple(replace(o, days=frozenset(d + shift for d in o.days if d in span)) for o in problem.officials)
    streams = []
    for s, stream in enumerate(problem.streams):
        arrivals = tuple(carried.get((s, d), 0) for d in lookback) + stream.arrivals[span.start:span.stop]
        video = ((0,) * len(lookback) + stream.video_cap[span.start:span.stop]) if stream.video_cap else ()
        # a carried customer keeps the office price of their arrival day
        office = tuple(stream.office_on(d) for d in (*lookback, *span)) if stream.office_eur_by_day else ()
        # and whether an office was open then (none: unmet, at the stream's penalty)
        open_ = tuple(stream.has_office(d) for d in (*lookback, *span)) if stream.office_open else ()
        streams.append(replace(stream, arrivals=arrivals, video_cap=video if any(video) else (),
                               office_eur_by_day=office, office_open=open_))
    open_minutes = {(p, d + shift): m for (p, d), m in problem.open_minutes.items() if d in span}
    opens = {(p, d + shift): m for (p, d), m in problem.opens.items() if d in span}
    return replace(problem, days=days, officials=officials, streams=tuple(streams), open_minutes=open_minutes,
                   opens=opens)


def block_problem(problem: model.Problem, span: range, w: model.Weights, carried: dict[tuple[int, int], int],
                  last_visit: dict[tuple[str, str], dt.date], video_left: dict[tuple[str, str, str], int]
                  ) -> tuple[model.Problem, list[int]]:
    """The model of one block given what the blocks before it planned, and its days' indices in `problem`.

    `carried`: (stream, day) → customers the plan so far sends to the office; those whose wait could still end in
    this block are its arrivals on carried days before its first. `last_visit`: (point, provider) → the last visit
    before the block. `video_left`: (provider, official, period) → minutes the blocks before left of a video limit.
    """
    first = problem.days[span.start]
    lookback = sorted({d for (s, d), n in carried.items() if n and d < span.start
                       and w.waiting_eur_per_day * (first - problem.days[d]).days < problem.streams[s].office_on(d)})
    block = _slice(problem, span, lookback, carried)
    shift = len(lookback) - span.start
    demand = _whole_demand(problem)
    patterns = []
    for pt in problem.patterns:
        pair = (pt.point, pt.provider)
        if not pt.max_days_between or pair not in demand:
            patterns.append(replace(pt, max_days_between=None))
            continue
        since = last_visit[pair] + dt.timedelta(days=1) if pair in last_visit else problem.days[0]
        until = _next_possible(problem, pt, span.stop - 1) if span.stop < len(problem.days) else None
        patterns.append(replace(pt, since=since, until=until, required=True))
    limits = []
    for limit in problem.video_limits:
        days = tuple(d + shift for d in limit.days if d in span)
        if days:
            left = video_left.get((limit.provider, limit.official, limit.period), limit.minutes)
            limits.append(replace(limit, days=days, minutes=left))
    return replace(block, patterns=tuple(patterns), video_limits=tuple(limits)), [*lookback, *span]


def relaxation(problem: model.Problem, span: range) -> model.Problem:
    """R_b of the module's docstring: the block's own days and customers, free to leave for a later visit (the wait
    until the first day after the block a visit of their pair is possible, and the least productivity loss of an
    official of their provider), patterns inside the block only, every video period with its minutes (build it without add_visit_serves)."""
    block = _slice(problem, span, [], {})
    demand = _whole_demand(problem)
    patterns = tuple(replace(pt, required=(pt.point, pt.provider) in demand) for pt in problem.patterns)
    limits = tuple(replace(limit, days=tuple(d - span.start for d in limit.days if d in span))
                   for limit in problem.video_limits if any(d in span for d in limit.days))
    later = {}
    if span.stop < len(problem.days):
        for s, stream in enumerate(problem.streams):
            first = next((d for d in range(span.stop, len(problem.days))
                          if possible(problem, stream.point, stream.provider, d)), None)
            if first is not None:
                least = min((model.productivity_eur(o, stream) for o in problem.officials
                             if o.provider == stream.provider), default=0.0)
                later[s] = (problem.days[first], least)
    return replace(block, patterns=patterns, video_limits=limits, later=later)


RELAXED_HARD = tuple(f for f in model.HARD if f is not model.add_visit_serves)


def bound_spans(problem: model.Problem, blocks: list[range], w: model.Weights,
                max_variables: int = BOUND_LP_MAX_VARIABLES) -> list[range]:
    """The spans the horizon's bound is summed over (the module's bound rule): consecutive blocks joined, in date
    order, while the joined span's relaxation has at most `max_variables` model variables (a block alone is a span
    whatever its size)."""
    out: list[range] = []
    for span in blocks:
        if out:
            joined = range(out[-1].start, span.stop)
            if model_variables(relaxation(problem, joined), w) <= max_variables:
                out[-1] = joined
                continue
        out.append(span)
    return out


def block_bound(problem: model.Problem, span: range, w: model.Weights) -> float:
    """LB_b in €: the LP bound of the block's relaxation (0 when the LP fails: costs are never negative)."""
    built = model.build(relaxation(problem, span), w, hard=RELAXED_HARD, hint={})
    bound = model.lp_bound(built)
    return max(0.0, bound - 1e-6) if bound is not None else 0.0


@dataclass
class Horizon:
    """The plan of the whole horizon as the blocks add to it, in `problem`'s day indices."""

    problem: model.Problem
    a: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (official, day, stream) → appointments
    f: dict[tuple[int, int], int] = field(default_factory=dict)  # (stream, day) → to the office
    x: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (stream, arrival, visit day) → customers
    v: dict[tuple[int, int], int] = field(default_factory=dict)  # (stream, day) → video
    visits: list[model.Visit] = field(default_factory=list)
    trips: list[tuple[int, int, int]] = field(default_factory=list)
    named: dict[str, tuple[str, float]] = field(default_factory=dict)  # cost term → (family, €)
    values: dict[str, int] = field(default_factory=dict)  # the plan by variable name (a hint for another λ)
    last_visit: dict[tuple[str, str], dt.date] = field(default_factory=dict)
    video_left: dict[tuple[str, str, str], int] = field(default_factory=dict)
    pool_saving: float = 0.0
    video_minutes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0
    work: float = 0.0
    time_limited: bool = False
    bound: float = 0.0

    def add(self, built: model.Built, result: model.Result, days: list[int], first: int) -> None:
        """Add one block's plan: `days` its days' indices in the horizon (the `first` of them carried days, whose
        customers only arrive there), its model and result."""
        p = self.problem
        val = result.values
        own = set()
        for (o, d, k), var in built.y.items():
            if d >= first:
                own.add(var.Index())
                if val[var.Index()]:
                    self.trips.append((o, days[d], k))
        for (o, d, s), var in built.a.items():
            if d >= first:
                own.add(var.Index())
                if val[var.Index()]:
                    self.a[o, days[d], s] = val[var.Index()]
        for (s, d, e), var in built.x.items():
            if e >= first:
                own.add(var.Index())
                if val[var.Index()]:
                    self.x[s, days[d], days[e]] = val[var.Index()]
        for (s, d), var in built.f.items():  # a carried day's office count is this block's now
            own.add(var.Index())
            self.f[s, days[d]] = val[var.Index()]
        for (s, d), var in built.v.items():
            if d >= first:
                own.add(var.Index())
                if val[var.Index()]:
                    self.v[s, days[d]] = val[var.Index()]
        for key, var in (*built.z.items(), *built.u.items()):
            if key[-2 if len(key) == 4 else 1] >= first:
                own.add(var.Index())
        for pen in built.penalties:
            if pen.var.Index() in own:
                self.named[pen.message] = (pen.family, pen.weight * val[pen.var.Index()])
        names = [v.name for v in built.model.proto.variables]  # one pass: a proto read per variable is slow
        for i in own:
            self.values[names[i]] = val[i]
        solution = model.extract(built, result)
        for visit in solution.visits:
            if visit.day >= first:
                self.visits.append(replace(visit, day=days[visit.day], trip_start=None if visit.trip_start is None
                                           else days[visit.trip_start]))
                point, provider = visit.point, p.officials[[o.id for o in p.officials].index(visit.official)].provider
                date = p.days[days[visit.day]]
                if self.last_visit.get((point, provider), dt.date.min) < date:
                    self.last_visit[point, provider] = date
        self.pool_saving += solution.pool_saving_eur
        for official, minutes in solution.video_minutes.items():
            self.video_minutes[official] += minutes
        for limit in built.problem.video_limits:
            used = self._video_used(built, val, limit)
            key = (limit.provider, limit.official, limit.period)
            self.video_left[key] = max(0, limit.minutes - used)
        self.seconds += result.seconds
        self.work += result.work
        self.time_limited = self.time_limited or result.time_limited

    @staticmethod
    def _video_used(built: model.Built, val: tuple[int, ...], limit: model.VideoLimit) -> int:
        p, days = built.problem, set(limit.days)
        if limit.official:
            ids = [o.id for o in p.officials]
            o = ids.index(limit.official) if limit.official in ids else None
            return sum(model._minutes(p.streams[s].slot_minutes) * val[var.Index()]
                       for (oo, d, s), var in built.u.items() if oo == o and d in days)
        return sum(model._minutes(p.streams[s].slot_minutes) * val[var.Index()] for (s, d), var in built.v.items()
                   if d in days and p.streams[s].provider == limit.provider)

    def solution(self, w: model.Weights) -> model.Solution:
        """The whole horizon's Solution: objective the sum of the cost terms, bound Σ LB_b, the gap between."""
        p = self.problem
        official = sum(eur for family, eur in self.named.values() if family == "official")
        access = sum(eur for family, eur in self.named.values() if family == "access")
        objective = official + w.access_weight * access
        bound = min(objective, self.bound)
        gap = kit.gap(objective, bound)
        status = "OPTIMAL" if model.proven(objective, bound) else \
            "FEASIBLE (time limit)" if self.time_limited else "FEASIBLE (work limit)"
        served: dict[int, int] = defaultdict(int)
        for (_, _, s), n in self.a.items():
            served[s] += n
        outcomes = model.stream_outcomes(p, served, self.x, self.f, self.v)
        visits = tuple(sorted(self.visits, key=lambda v: (v.day, v.official, v.tour, v.stop_order)))
        return model.Solution(status, objective, bound, 0.0 if status == "OPTIMAL" else gap, self.seconds, official,
                              access, self.pool_saving, visits, tuple(sorted(self.trips)), outcomes,
                              {k: round(eur, 2) for k, (_, eur) in sorted(self.named.items()) if abs(eur) > 1e-9},
                              {k: n for k, n in sorted(self.video_minutes.items()) if n})


def solve_blocks(problem: model.Problem, blocks: list[range], w: model.Weights, p: SolveParams, solve: Solve,
                 progress: Callable[[str], None] | None = None) -> tuple[model.Solution, dict[str, int]]:
    """Plan `problem` block by block (`blocks`: spans()), each block by `solve(block problem, label, its params)`
    (one horizon's solve; the params: block_params' share of `p`), carrying the seams' state forward; the whole
    horizon's Solution (the module's docstring) and its plan by variable name. A block without a plan ends the run
    (the solve raises InfeasiblePlan)."""
    horizon = Horizon(problem)
    for b, (span, params) in enumerate(zip(blocks, block_params(problem, blocks, p), strict=True), start=1):
        label = f"block {b}/{len(blocks)} ({problem.days[span.start]}–{problem.days[span.stop - 1]})"
        block, days = block_problem(problem, span, w, horizon.f, horizon.last_visit, horizon.video_left)
        built, result = solve(block, label, params)
        horizon.add(built, result, days, len(days) - len(span))
        del built, result  # the block's model is not needed after: the next block's takes its memory
    spans = bound_spans(problem, blocks, w)
    for span in spans:  # after the blocks: their models are freed
        horizon.bound += block_bound(problem, span, w)
        if progress:
            progress(f"outreach bound of {problem.days[span.start]}–{problem.days[span.stop - 1]}: "
                     f"{horizon.bound:.2f} € so far")
    solution = horizon.solution(w)
    if solution.gap > GAP_TARGET and len(spans) > 1 and model_variables(problem, w) <= WHOLE_LP_MAX_VARIABLES:
        whole = whole_bound(problem, w)
        if progress:
            progress(f"outreach: the whole horizon's LP bound {whole:.2f} € (the blocks' {horizon.bound:.2f} €)")
        if whole > horizon.bound:
            horizon.bound = whole
            solution = horizon.solution(w)
    return solution, horizon.values
