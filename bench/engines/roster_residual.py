"""Large-neighbourhood search on small residual pieces: freed people × freed days only.

No hard rule of the roster engine links two people, and a person's rules reach across days
only through run lengths (consecutive work and days off), successions, weekends and the
horizon-wide counters (paid minutes, shifts per type, weekends worked). So with everyone
and every day outside a piece fixed to the incumbent roster, the best roster inside the
piece solves a *small* CP-SAT model built directly over the piece's cells:

    x[e,d,s]  for e in the freed people, d in the freed window [a, b), s allowed to e
    fixed cells (other people, other days) are constants in every row they appear in:
      cover row (d, s), d in window:   Σ_{e freed} x[e,d,s] + fixed count + u − o = req
      max shifts of type s:            Σ_{d in window} x[e,d,s] ≤ cap − count outside
      paid minutes:                    min − outside ≤ Σ paid·x ≤ max − outside
      successions, runs, days off in a row, weekends: the same inequalities as the
      full model (models/roster.py) over every window that touches a freed day, with the
      fixed days' values as constants (so runs crossing the window's edges are counted)
    objective = the piece's penalties + the constant of everything outside the piece

so the piece's objective value IS the full roster's objective (tests check it against
bench/ssb_check.py). The full model is never built: a piece of a year-long roster costs
what its cells cost, not what the year costs (the full-model LNS of roster_search re-loads
and presolves the whole model for every piece, ~1 s of wall per piece on Instance18).

The search frees one piece per iteration — a few days of (nearly) everyone, a few people
over the whole horizon, or a block of people × days around a penalised cover cell — sized
by a number of free cells that grows while pieces are solved to optimality and shrinks
when they run out of their budget, and keeps the result when it is no worse.

Deterministic: every piece stops on CP-SAT deterministic time (one worker), the search on
a total deterministic budget (`work_limit`) or an iteration count, pieces come from a
seeded generator. `on_progress` (a wall-clock guard of the caller) only decides how many
iterations run. Not handled (raises ValueError; callers fall back): interval cover rows and
the weekly-rest rule.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from bench.engines.roster_people import _priced_person
from models.roster import Key, Weights
from models.roster_problem import RosterProblem

UNIT = Weights()
# DP steps per best response: the pricing default (bench/engines/roster_pricing). The
# construction's larger cap took 0.05–0.4 s a person on Instance13 (19 shift types, caps
# priced in by doubling), 15 s a sweep over its 121 people; this one 3–30 ms. A year with
# minutes in the state (Instance22) is beyond it: no sweeps there (with the construction's
# cap one sweep took 51 s at load 9 and moved 2 people).
BEST_RESPONSE_WORK = 20_000_000
# Days of a block piece: uniform in [BLOCK_MIN, min(h / 2, BLOCK_DAYS)]. Without the cap a
# year's blocks were one person × up to half a year; 1–4 weeks of more people: Instance22
# 479 k against 503 k after 8 deterministic s from the construction (one seed; no change
# below 57 days).
BLOCK_MIN, BLOCK_DAYS = 7, 28


class _Index:
    """Arrays of the problem in index form, built once per search (people × days × shifts)."""

    def __init__(self, problem: RosterProblem, weights: Weights) -> None:
        if problem.interval_cover:
            raise ValueError("residual pieces: interval cover rows are not supported")
        if problem.rest.weekly_rest_minutes:
            raise ValueError("residual pieces: the weekly-rest rule is not supported")
        p = self.problem = problem
        self.h, self.ns, self.ne = p.horizon, len(p.shifts), len(p.employees)
        self.sid = {sh.id: s for s, sh in enumerate(p.shifts)}
        self.eid = {e.id: i for i, e in enumerate(p.employees)}
        self.paid = [sh.paid_minutes for sh in p.shifts]
        self.allowed = np.array([[e.may_work(sh.id) for sh in p.shifts] for e in p.employees],
                                dtype=bool)
        self.off = [frozenset(d for d in e.days_off if d < self.h) for e in p.employees]
        # Cover rows by day: (shift index, requirement, weight under, weight over).
        self.cover: list[list[tuple[int, int, int, int]]] = [[] for _ in range(self.h)]
        for c in p.shift_cover:
            wu, wo = c.weight_under * weights.cover_under, c.weight_over * weights.cover_over
            if wu or wo:
                self.cover[c.day].append((self.sid[c.shift], c.requirement, wu, wo))
        # Requests by person: (day, shift index, weight, on).
        self.requests: list[list[tuple[int, int, int, bool]]] = [[] for _ in range(self.ne)]
        for r in p.requests:
            w = r.weight * (weights.request_on if r.on else weights.request_off)
            if w:
                self.requests[self.eid[r.employee]].append((r.day, self.sid[r.shift], w, r.on))
        # Successions banned from shift a on day d to shift n on day d + 1 (forbidden pairs
        # and too short a daily rest, by the real length of day d).
        forbidden = {(self.sid[f.first], self.sid[f.then]) for f in p.forbidden_successions}
        need = p.rest.daily_rest_minutes
        self._follow: dict[int, dict[int, list[int]]] = {}
        self.follow_by_day: list[dict[int, list[int]]] = []
        for d in range(self.h):
            length = p.day_length(d)
            if length not in self._follow:
                pairs = set(forbidden)
                if need:
                    pairs |= {(a, n) for a, sa in enumerate(p.shifts) for n, sn in enumerate(p.shifts)
                              if length + sn.start - sa.end < need}
                follow: dict[int, list[int]] = {}
                for a, n in sorted(pairs):
                    follow.setdefault(a, []).append(n)
                self._follow[length] = follow
            self.follow_by_day.append(self._follow[length])
        self.weekends = p.weekends()

    def grid(self, roster: Mapping[Key, str]) -> np.ndarray:
        """(people, days) shift index of `roster`, −1 = off."""
        g = np.full((self.ne, self.h), -1, dtype=np.int64)
        for (e, d), s in roster.items():
            g[self.eid[e], d] = self.sid[s]
        return g


def _count(ix: _Index, g: np.ndarray) -> np.ndarray:
    """(days, shifts): people on each cell of roster grid `g`."""
    count = np.zeros((ix.h, ix.ns), dtype=np.int64)
    for e in range(ix.ne):
        for d in np.nonzero(g[e] >= 0)[0]:
            count[d, g[e, d]] += 1
    return count


@dataclass
class PieceModel:
    """A residual piece: its CP-SAT model, its cells and the objective's constant part."""

    model: cp_model.CpModel
    people: tuple[int, ...]  # person indices freed
    days: tuple[int, ...]  # freed days (sorted; one or more windows)
    x: dict[tuple[int, int, int], Any]  # (person, day, shift) -> literal
    constant: int  # objective of everything outside the piece (already in the objective)
    cells: int  # number of x literals
    hints: list[tuple[Any, int]] = field(default_factory=list)  # incumbent values of the others


def _near(days: tuple[int, ...], before: int, after: int, lo: int, hi: int) -> list[int]:
    """Sorted days t in [lo, hi) from `before` days before to `after` days after a freed day:
    the anchors of every constraint window that reaches a freed day."""
    out: set[int] = set()
    for d in days:
        out.update(range(max(lo, d - before), min(hi, d + after + 1)))
    return sorted(out)


def build_piece(ix: _Index, g: np.ndarray, people: list[int], days: range | tuple[int, ...],
                count: np.ndarray | None = None) -> PieceModel:
    """The residual model of `people` × `days` with the rest of roster grid `g` fixed.

    `days` may be several windows (any set of days). `count` ((days, shifts) people on each
    cell in `g`) saves recounting. Its objective (a minimisation, constant included) equals
    the full roster's objective of the merged result.
    """
    m = cp_model.CpModel()
    days = tuple(sorted(set(days)))
    inside = set(days)
    h = ix.h
    free = set(people)
    if count is None:
        count = _count(ix, g)
    x: dict[tuple[int, int, int], Any] = {}
    terms: list[Any] = []  # objective (variables and weights)
    # The incumbent's values of every auxiliary variable: with the x's, a complete hint that
    # CP-SAT takes as its first solution (x alone left a piece of Instance22 without any
    # solution after 0.1 deterministic s).
    hints: list[tuple[Any, int]] = []
    const = _outside(ix, g, count, free, inside)
    for e in people:
        emp = ix.problem.employees[e]
        w: dict[int, Any] = {}
        mine: list[tuple[int, Any]] = []  # (paid minutes, literal)
        for d in days:
            if d in ix.off[e]:
                w[d] = 0
                continue
            lits = []
            for s in np.nonzero(ix.allowed[e])[0]:
                v = m.new_bool_var(f"x{e}_{d}_{s}")
                x[e, d, int(s)] = v
                lits.append(v)
                mine.append((ix.paid[int(s)], v))
            if not lits:
                w[d] = 0
                continue
            wd = m.new_bool_var(f"w{e}_{d}")
            m.add(sum(lits) == wd)
            w[d] = wd
            hints.append((wd, int(g[e, d] >= 0)))

        def xv(d: int, s: int, e: int = e) -> Any:
            if d in inside:
                return x.get((e, d, s), 0)
            return int(g[e, d] == s)

        def wv(d: int, w: dict = w, e: int = e) -> Any:
            return w[d] if d in inside else int(g[e, d] >= 0)

        outside = [d for d in range(h) if d not in inside and g[e, d] >= 0]
        # Horizon-wide counters: what the fixed days use is taken off the person's limits.
        for s, sh in enumerate(ix.problem.shifts):
            cap = emp.max_shifts.get(sh.id)
            if cap is not None and 0 < cap < h and ix.allowed[e, s]:
                used = sum(1 for d in outside if g[e, d] == s)
                m.add(sum(x.get((e, d, s), 0) for d in days) <= cap - used)
        minutes = sum(ix.paid[int(g[e, d])] for d in outside)
        total = sum(p * v for p, v in mine)
        if emp.min_minutes > 0:
            m.add(total >= emp.min_minutes - minutes)
        if emp.max_minutes is not None:
            m.add(total <= emp.max_minutes - minutes)
        # Successions across every pair of days touching the window (its edges included).
        for d in _near(days, 1, 0, 0, h - 1):  # pairs (d, d + 1) with a freed day
            for s, nxts in ix.follow_by_day[d].items():
                first = xv(d, s)
                then = [xv(d + 1, n) for n in nxts]
                fixed = (first if isinstance(first, int) else 0) + sum(t for t in then if isinstance(t, int))
                lits = [t for t in [first, *then] if not isinstance(t, int)]
                if not lits:
                    continue
                if fixed >= 1:
                    for v in lits:
                        m.add(v == 0)
                elif len(lits) > 1:
                    m.add_at_most_one(lits)
        # Runs: every window of m + 1 days with a freed day has a day off.
        mx = emp.max_consecutive_work
        if mx is not None and mx < h:
            for t in _near(days, mx, 0, 0, h - mx):
                m.add(sum(wv(u) for u in range(t, t + mx + 1)) <= mx)
        for n, kind in ((emp.min_consecutive_work, "work"), (emp.min_consecutive_off, "off")):
            for d in _near(days, n - 1, 1, 1, h):
                for j in range(1, n):
                    if d + j >= h:
                        break
                    if not (d - 1 in inside or d in inside or d + j in inside):
                        continue
                    if kind == "work":
                        m.add(wv(d) - wv(d - 1) <= wv(d + j))
                    else:
                        m.add(wv(d - 1) - wv(d) + wv(d + j) <= 1)
        if emp.max_weekends is not None and emp.max_weekends < len(ix.weekends):
            used_k: list[Any] = []
            for wk in ix.weekends:
                vals = [wv(d) for d in wk]
                if any(isinstance(v, int) and v for v in vals):
                    used_k.append(1)
                    continue
                lits = [v for v in vals if not isinstance(v, int)]
                if not lits:
                    continue
                k = m.new_bool_var(f"k{e}_{wk[0]}")
                hints.append((k, int(any(g[e, d] >= 0 for d in wk))))
                for v in lits:
                    m.add_implication(v, k)
                m.add_bool_or([k.Not(), *lits])
                used_k.append(k)
            m.add(sum(used_k) <= emp.max_weekends)
        for d, s, wt, on in ix.requests[e]:
            if d in inside:
                v = x.get((e, d, s), 0)
                if isinstance(v, int):
                    const += wt if bool(v) != on else 0
                else:
                    terms.append(wt * (1 - v) if on else wt * v)
    # Cover rows of the freed days: fixed people are a constant count.
    for d in days:
        for s, req, wu, wo in ix.cover[d]:
            fixed = int(count[d, s]) - sum(1 for e in people if g[e, d] == s)
            lits = [x[e, d, s] for e in people if (e, d, s) in x]
            if not lits:
                const += max(0, req - fixed) * wu + max(0, fixed - req) * wo
                continue
            under = m.new_int_var(0, max(0, req - fixed), f"u{d}_{s}")
            over = m.new_int_var(0, max(0, fixed + len(lits) - req), f"o{d}_{s}")
            m.add(sum(lits) + fixed + under - over == req)
            now = fixed + sum(1 for e in people if g[e, d] == s)
            hints += [(under, max(0, req - now)), (over, max(0, now - req))]
            if wu:
                terms.append(wu * under)
            if wo:
                terms.append(wo * over)
    m.minimize(sum(terms) + const)
    return PieceModel(m, tuple(people), days, x, const, len(x), hints)


def _outside(ix: _Index, g: np.ndarray, count: np.ndarray, free: set[int], days: set[int]) -> int:
    """Objective terms outside the piece `free` × `days` (the piece model's constant):
    cover rows of the other days, requests of the other people and of the other days."""
    total = 0
    for d in range(ix.h):
        if d in days:
            continue
        for s, req, wu, wo in ix.cover[d]:
            got = int(count[d, s])
            total += max(0, req - got) * wu + max(0, got - req) * wo
    for e in range(ix.ne):
        inside = e in free
        for d, s, w, on in ix.requests[e]:
            if inside and d in days:
                continue
            total += w if (g[e, d] == s) != on else 0
    return total


def objective(ix: _Index, g: np.ndarray) -> int:
    """Full objective of roster grid `g` (every term outside an empty piece)."""
    return _outside(ix, g, _count(ix, g), set(), set())


@dataclass(frozen=True)
class PieceResult:
    status: str
    objective: int | None  # the full roster's objective with the piece's answer merged
    grid: np.ndarray | None  # the merged roster grid
    work: float  # deterministic seconds


def solve_piece(ix: _Index, g: np.ndarray, piece: PieceModel, work_limit: float, seed: int,
                wall: float = 30.0, solver_params: Mapping[str, Any] | None = None) -> PieceResult:
    """Solve `piece` (hinted with `g`) on one worker within `work_limit` deterministic seconds.

    `solver_params`: further SatParameters fields (name → value).
    """
    for (e, d, s), v in piece.x.items():
        piece.model.add_hint(v, int(g[e, d] == s))
    for v, value in piece.hints:
        piece.model.add_hint(v, value)
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_deterministic_time = work_limit
    prm.max_time_in_seconds = max(0.01, wall)  # safety only: the work budget should stop it
    prm.num_workers = 1
    prm.random_seed = seed
    for k, v in (solver_params or {}).items():
        setattr(prm, k, v)
    status = solver.solve(piece.model)
    name = solver.status_name(status)
    work = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PieceResult(name, None, None, work)
    out = g.copy()
    for e in piece.people:
        out[e, list(piece.days)] = -1
    for (e, d, s), v in piece.x.items():
        if solver.boolean_value(v):
            out[e, d] = s
    return PieceResult(name, round(solver.objective_value), out, work)


@dataclass(frozen=True)
class ResidualParams:
    seed: int = 0
    work_limit: float = 30.0  # deterministic seconds for the whole search
    piece_work: float = 0.3  # deterministic seconds per piece
    iterations: int = 1_000_000
    cells: float = 1500.0  # free x literals of the first pieces; adapts
    min_cells: float = 100.0
    max_cells: float = 20_000.0
    kinds: tuple[str, ...] = ("days", "people", "block")
    wall_per_piece: float = 20.0  # wall safety cap of one piece
    # Pieces between sweeps of exact one-person best responses (0 = never); a sweep runs
    # only when pieces improved the roster since the last one.
    sweep_every: int = 30
    solver: Mapping[str, Any] = field(default_factory=dict)  # further SatParameters fields


@dataclass(frozen=True)
class ResidualProgress:
    iteration: int
    label: str
    objective: int
    improved: bool
    work: float  # deterministic seconds so far


@dataclass(frozen=True)
class ResidualResult:
    objective: int
    assignment: dict[Key, str]
    iterations: int
    work: float
    history: tuple[int, ...] = field(default=(), repr=False)  # incumbent after each iteration


def _hot_cells(ix: _Index, count: np.ndarray) -> list[tuple[int, int, bool]]:
    """(day, shift, short?) of every penalised cover cell."""
    hot = []
    for d in range(ix.h):
        for s, req, wu, wo in ix.cover[d]:
            got = int(count[d, s])
            if (got < req and wu) or (got > req and wo):
                hot.append((d, s, got < req))
    return hot


def _piece(ix: _Index, g: np.ndarray, count: np.ndarray, rng: random.Random, kind: str,
           cells: float) -> tuple[str, list[int], range]:
    """People and days freed by one neighbourhood of about `cells` free x literals."""
    h, ne = ix.h, ix.ne
    per_day = ix.allowed.sum(axis=1).astype(float)  # literals per freed person-day
    avg = max(1.0, float(per_day.mean()))
    hot = _hot_cells(ix, count)
    focus = rng.choice(hot) if hot and rng.random() < 0.6 else None
    if kind == "days":
        n = min(h, max(2, min(14, round(cells / (avg * ne)))))
        k = max(1, min(ne, round(cells / (avg * n))))
    elif kind == "people":
        k = max(1, min(ne, round(cells / (avg * h))))
        k = max(k, min(ne, 2))
        n = max(1, min(h, round(cells / (avg * k))))
    else:
        n = max(2, min(h, rng.randint(BLOCK_MIN, max(BLOCK_MIN, min(h // 2, BLOCK_DAYS)))))
        k = max(1, min(ne, round(cells / (avg * n))))
    if focus is not None:
        d0 = focus[0]
        start = min(max(0, d0 - rng.randrange(n)), h - n)
    else:
        start = rng.randrange(0, h - n + 1)
    days = range(start, start + n)
    order = list(range(ne))
    rng.shuffle(order)
    if focus is not None:
        d0, s0, short = focus
        # Those who can change the cell first: free people who may work it (short) or
        # people on it (surplus).
        if short:
            near = [e for e in order if ix.allowed[e, s0] and g[e, d0] != s0 and d0 not in ix.off[e]]
        else:
            near = [e for e in order if g[e, d0] == s0]
        rest = [e for e in order if e not in set(near)]
        order = near[: max(1, k // 2 + 1)] + rest + near[k // 2 + 1:]
    people = sorted(order[:k])
    return f"{kind}({k}x{start}+{n})", people, days


def search(problem: RosterProblem, start: Mapping[Key, str], weights: Weights = UNIT,
           params: ResidualParams | None = None,
           on_progress: Callable[[ResidualProgress], bool | None] | None = None,
           wall_left: Callable[[], float] | None = None) -> ResidualResult:
    """Residual-piece LNS from `start` (a roster meeting every hard rule); never worse than it.

    Stops after `params.work_limit` deterministic seconds of CP-SAT, `params.iterations`
    pieces, or when `on_progress` returns True. `wall_left` (the caller's clock) caps a
    single piece's wall time so a deadline is not overrun (a safety net, not the budget).
    Raises ValueError for interval cover rows or the weekly-rest rule.
    """
    params = params or ResidualParams()
    ix = _Index(problem, weights)
    rng = random.Random(params.seed)
    g = ix.grid(start)
    count = _count(ix, g)
    best = objective(ix, g)
    cells = {k: params.cells for k in params.kinds}
    spent = 0.0
    history: list[int] = []
    i = 0
    since_sweep = params.sweep_every  # improvements by pieces since the last sweep (start: sweep)
    last_sweep = -params.sweep_every
    for i in range(1, params.iterations + 1):
        if spent >= params.work_limit or best == 0:
            i -= 1
            break
        if params.sweep_every and since_sweep and i - last_sweep >= params.sweep_every:
            # Exact best responses (the pricing DP, milliseconds a person) whenever the
            # pieces have moved the roster: a cheap descent between CP-SAT pieces.
            g, swept, changed = _best_responses(
                ix, g, best, weights, None if wall_left is None else lambda: wall_left() <= 0)
            since_sweep, last_sweep = 0, i
            if changed:
                count = _count(ix, g)
            improved = swept < best
            best = swept
            history.append(best)
            if on_progress is not None and on_progress(
                    ResidualProgress(i, f"best responses({changed})", best, improved, spent)):
                break
            continue
        kind = params.kinds[(i - 1) % len(params.kinds)]
        label, people, days = _piece(ix, g, count, rng, kind, cells[kind])
        piece = build_piece(ix, g, people, days, count)
        budget = min(params.piece_work, max(0.01, params.work_limit - spent))
        wall = params.wall_per_piece
        if wall_left is not None:
            wall = min(wall, wall_left())
            if wall <= 0:
                i -= 1
                break
        res = solve_piece(ix, g, piece, budget, params.seed + i, wall, params.solver)
        spent += res.work
        improved = False
        if res.grid is not None and res.objective is not None and res.objective <= best:
            improved = res.objective < best
            for e in people:
                for d in days:
                    if g[e, d] >= 0:
                        count[d, g[e, d]] -= 1
                    if res.grid[e, d] >= 0:
                        count[d, res.grid[e, d]] += 1
            g, best = res.grid, res.objective
            since_sweep += improved
        # Larger pieces while they are solved to optimality, smaller when a piece ran out of
        # its budget. (Growing on an improvement too made pieces of thousands of cells that
        # cost 0.7 wall s each: Instance22 565 k against 278 k after 100 s.)
        grow = res.status == "OPTIMAL"
        cells[kind] = min(params.max_cells, max(params.min_cells,
                                                cells[kind] * (1.15 if grow else 0.85)))
        history.append(best)
        if on_progress is not None and on_progress(
                ResidualProgress(i, label, best, improved, spent)):
            break
    return ResidualResult(best, _roster_of(ix, g), i, spent, tuple(history))


def _roster_of(ix: _Index, g: np.ndarray) -> dict[Key, str]:
    """Roster {(person id, day): shift id} of grid `g`."""
    return {(ix.problem.employees[e].id, int(d)): ix.problem.shifts[int(g[e, d])].id
            for e in range(ix.ne) for d in np.nonzero(g[e] >= 0)[0]}


def _best_responses(ix: _Index, g: np.ndarray, best: int, weights: Weights,
                    stop: Callable[[], bool] | None = None) -> tuple[np.ndarray, int, int]:
    """Sweeps giving each person in turn their cheapest schedule against everyone else
    (bench/engines/roster_people's exact pricing DP) while a sweep improves: (grid,
    objective, people moved). Deterministic unless `stop` (checked after each person) ends
    it; people the DP cannot price keep their schedules."""
    roster = _roster_of(ix, g)
    moved, again = 0, True
    while again:
        again = False
        for emp in ix.problem.employees:
            if stop is not None and stop():
                return g, best, moved
            new = _priced_person(ix.problem, roster, emp, weights, BEST_RESPONSE_WORK)
            if new is None:
                continue
            g2 = ix.grid(new)
            obj = objective(ix, g2)
            if obj < best:
                roster, g, best, moved, again = new, g2, obj, moved + 1, True
    return g, best, moved
