"""Compiled core of the periodic ruin-and-recreate search; bench.engines.periodic drives it.

Everything here runs under numba on plain arrays (a pure-Python loop managed a few hundred
iterations a second on 96 customers, far too few for annealing to settle).

Problem arrays (n customers, customer i is matrix node i + 1, node 0 the depot; T days;
R route slots, the vehicles of all days one after another):
    dist[n + 1, n + 1]         distance, also the travel time (distance unit)
    service[n + 1]             service duration at a node (time unit; 0 at the depot)
    demand[n + 1]              demand of a visit (capacity unit)
    day_first[T + 1]           route slots of day d are day_first[d] .. day_first[d + 1] - 1
    cap[R], max_dur[R]         capacity and longest route (travel + service; inf = none)
    combo_start[n + 1]         customer i's day sets are rows combo_start[i] .. combo_start[i + 1] - 1
    combo_days[C, T]           a day set's days, padded with -1
    penalty[n]                 cost of leaving customer i out (all its visits)
    neighbours[n, n]           customers by distance from each customer (itself first)

Plan state:
    path[R, n + 2]             depot, visits (nodes), depot
    size[R], load[R], length[R], serv[R]   visits, load, distance, summed service
    combo_of[n]                chosen day set (row of combo_days), -1 = not placed
    route_at[n, T], pos_at[n, T]   where customer i is on day d (-1 = not that day)

A route is feasible iff load <= cap and length + serv <= max_dur (no time windows: the
duration is travel plus service, Cordeau's rule). Insertions keep every route feasible;
a customer that fits nowhere stays out at its penalty, so the search may pass through
incomplete plans (penalised infeasibility) and the caller keeps the best complete one.

`work` counts insertion positions and 2-opt moves examined, plus a fixed charge per
iteration: a deterministic measure of effort, roughly proportional to time, that the
caller's budget is expressed in.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# numba keeps one random state for all compiled functions: seeding it there seeds it here.
from models.sisr_kernel import insertion_order, seed_rng  # noqa: F401 (seed_rng re-exported)

EPS = 1e-9
ITERATION_WORK = 500


@njit(cache=True)
def refresh(r, path, size, load, length, serv, route_at, pos_at, day, dist, service, demand):
    """Recompute route r's load, length and service and where its customers sit."""
    total_len = 0.0
    total_load = 0.0
    total_serv = 0.0
    last = size[r] + 1
    path[r, 0] = 0
    path[r, last] = 0
    for i in range(1, last + 1):
        a = path[r, i - 1]
        b = path[r, i]
        total_len += dist[a, b]
        if i < last:
            total_load += demand[b]
            total_serv += service[b]
            route_at[b - 1, day] = r
            pos_at[b - 1, day] = i
    load[r] = total_load
    length[r] = total_len
    serv[r] = total_serv


@njit(cache=True)
def best_on_day(v, d, path, size, load, length, serv, day_first, cap, max_dur, dist, service,
                demand, blink, work):
    """Cheapest feasible insertion of node v on day d: (delta, route, position after)."""
    best = np.inf
    best_r = -1
    best_i = -1
    tried_empty = False
    for r in range(day_first[d], day_first[d + 1]):
        if size[r] == 0:
            # Empty routes of a day are alike: trying one is enough.
            if tried_empty:
                continue
            tried_empty = True
        if load[r] + demand[v] > cap[r] + EPS:
            continue
        room = max_dur[r] - length[r] - serv[r] - service[v]
        if room < -EPS:
            continue
        work[0] += size[r] + 1
        for i in range(size[r] + 1):
            a = path[r, i]
            b = path[r, i + 1]
            delta = dist[a, v] + dist[v, b] - dist[a, b]
            if delta >= best or delta > room + EPS:
                continue
            if blink > 0.0 and np.random.random() < blink:
                continue
            best = delta
            best_r = r
            best_i = i
    return best, best_r, best_i


@njit(cache=True)
def combo_costs(c, combo_start, combo_days, day_cost):
    """Summed insertion cost of each of customer c's day sets (inf when a day has no room)."""
    first = combo_start[c]
    out = np.empty(combo_start[c + 1] - first)
    for j in range(out.shape[0]):
        total = 0.0
        for d in combo_days[first + j]:
            if d < 0:
                break
            total += day_cost[d]
        out[j] = total
    return out


@njit(cache=True)
def day_options(c, combo_start, combo_days, path, size, load, length, serv, day_first, cap,
                max_dur, dist, service, demand, blink, work, day_cost, day_route, day_pos):
    """Best insertion on every day that one of customer c's day sets uses."""
    n_days = day_first.shape[0] - 1
    for d in range(n_days):
        day_cost[d] = np.inf
        day_route[d] = -2  # not evaluated
    for j in range(combo_start[c], combo_start[c + 1]):
        for d in combo_days[j]:
            if d < 0:
                break
            if day_route[d] == -2:
                delta, r, i = best_on_day(c + 1, d, path, size, load, length, serv, day_first,
                                          cap, max_dur, dist, service, demand, blink, work)
                day_cost[d] = delta
                day_route[d] = r
                day_pos[d] = i


@njit(cache=True)
def insert_combo(c, j, combo_days, day_route, day_pos, path, size, load, length, serv,
                 route_at, pos_at, combo_of, dist, service, demand, touched):
    """Put customer c on every day of day set j at the positions found by day_options."""
    v = c + 1
    for d in combo_days[j]:
        if d < 0:
            break
        r = day_route[d]
        i = day_pos[d]
        for p in range(size[r] + 1, i, -1):
            path[r, p + 1] = path[r, p]
        path[r, i + 1] = v
        size[r] += 1
        refresh(r, path, size, load, length, serv, route_at, pos_at, d, dist, service, demand)
        touched[r] = True
    combo_of[c] = j


@njit(cache=True)
def remove_customer(c, n_days, path, size, load, length, serv, route_at, pos_at, combo_of,
                    dist, service, demand, touched):
    """Take customer c off every day it is visited."""
    for d in range(n_days):
        r = route_at[c, d]
        if r < 0:
            continue
        at = pos_at[c, d]
        for p in range(at, size[r] + 1):
            path[r, p] = path[r, p + 1]
        size[r] -= 1
        route_at[c, d] = -1
        refresh(r, path, size, load, length, serv, route_at, pos_at, d, dist, service, demand)
        touched[r] = True
    combo_of[c] = -1


@njit(cache=True)
def place(c, blink, noise, combo_start, combo_days, path, size, load, length, serv, route_at,
          pos_at, combo_of, day_first, cap, max_dur, dist, service, demand, penalty, work,
          day_cost, day_route, day_pos, touched):
    """Insert customer c on its cheapest day set if that costs less than leaving it out."""
    day_options(c, combo_start, combo_days, path, size, load, length, serv, day_first, cap,
                max_dur, dist, service, demand, blink, work, day_cost, day_route, day_pos)
    costs = combo_costs(c, combo_start, combo_days, day_cost)
    best = np.inf
    best_j = -1
    for j in range(costs.shape[0]):
        cost = costs[j]
        if noise > 0.0 and cost < np.inf:
            cost *= 1.0 + noise * (2.0 * np.random.random() - 1.0)
        if cost < best:
            best = cost
            best_j = j
    if best_j < 0 or costs[best_j] >= penalty[c]:
        return False
    insert_combo(c, combo_start[c] + best_j, combo_days, day_route, day_pos, path, size, load,
                 length, serv, route_at, pos_at, combo_of, dist, service, demand, touched)
    return True


@njit(cache=True)
def construct(path, size, load, length, serv, route_at, pos_at, combo_of, day_first, cap,
              max_dur, dist, service, demand, penalty, combo_start, combo_days, work):
    """Regret insertion: repeatedly place the customer that would lose most by waiting.

    Regret = second-cheapest day set's cost - cheapest (a customer with one feasible day
    set left has an infinite regret, so the scarce ones go first; ties: larger demand
    times visits, then lower index). Stops when nobody fits; returns how many are out.
    """
    n = combo_of.shape[0]
    n_days = day_first.shape[0] - 1
    day_cost = np.empty(n_days)
    day_route = np.empty(n_days, dtype=np.int64)
    day_pos = np.empty(n_days, dtype=np.int64)
    touched = np.zeros(size.shape[0], dtype=np.bool_)
    while True:
        pick = -1
        pick_regret = -1.0
        pick_weight = -1.0
        pick_combo = -1
        for c in range(n):
            if combo_of[c] >= 0:
                continue
            day_options(c, combo_start, combo_days, path, size, load, length, serv, day_first,
                        cap, max_dur, dist, service, demand, 0.0, work, day_cost, day_route,
                        day_pos)
            costs = combo_costs(c, combo_start, combo_days, day_cost)
            first = np.inf
            second = np.inf
            j_first = -1
            for j in range(costs.shape[0]):
                if costs[j] < first:
                    second = first
                    first = costs[j]
                    j_first = j
                elif costs[j] < second:
                    second = costs[j]
            if j_first < 0:
                continue
            regret = 1e300 if second == np.inf else second - first
            weight = 0.0
            for d in combo_days[combo_start[c]]:
                if d >= 0:
                    weight += demand[c + 1]
            if regret > pick_regret + EPS or (abs(regret - pick_regret) <= EPS
                                              and weight > pick_weight):
                pick, pick_regret, pick_weight, pick_combo = c, regret, weight, j_first
        if pick < 0:
            break
        day_options(pick, combo_start, combo_days, path, size, load, length, serv, day_first,
                    cap, max_dur, dist, service, demand, 0.0, work, day_cost, day_route, day_pos)
        insert_combo(pick, combo_start[pick] + pick_combo, combo_days, day_route, day_pos, path,
                     size, load, length, serv, route_at, pos_at, combo_of, dist, service, demand,
                     touched)
    out = 0
    for c in range(n):
        if combo_of[c] < 0:
            out += 1
    return out


@njit(cache=True)
def two_opt(r, path, size, dist, work):
    """Intra-route 2-opt until no reversal shortens route r (duration falls with length)."""
    m = size[r] + 2
    improved = True
    while improved:
        improved = False
        for a in range(m - 3):
            for b in range(a + 2, m - 1):
                work[0] += 1
                pa = path[r, a]
                pa1 = path[r, a + 1]
                pb = path[r, b]
                pb1 = path[r, b + 1]
                delta = dist[pa, pb] + dist[pa1, pb1] - dist[pa, pa1] - dist[pb, pb1]
                if delta < -1e-9:
                    lo = a + 1
                    hi = b
                    while lo < hi:
                        tmp = path[r, lo]
                        path[r, lo] = path[r, hi]
                        path[r, hi] = tmp
                        lo += 1
                        hi -= 1
                    improved = True


@njit(cache=True)
def plan_cost(length, combo_of, penalty):
    total = 0.0
    for r in range(length.shape[0]):
        total += length[r]
    out = 0
    for c in range(combo_of.shape[0]):
        if combo_of[c] < 0:
            total += penalty[c]
            out += 1
    return total, out


@njit(cache=True)
def ruin(path, size, route_at, combo_of, day_first, neighbours, avg_removed, max_string,
         cluster_share, removed, ruined):
    """SISR-style ruin on one day: strings of customers from routes near a random customer.

    The strings are cut on the seed's day; each customer in them is then taken out of the
    whole plan (all its visits), so the recreate step may move it to another day set.
    Returns how many customers were written to `removed`.
    """
    n = combo_of.shape[0]
    placed = 0
    for c in range(n):
        if combo_of[c] >= 0:
            placed += 1
    if placed == 0:
        return 0
    pick = np.random.randint(placed)
    seed = -1
    for c in range(n):
        if combo_of[c] >= 0:
            if pick == 0:
                seed = c
                break
            pick -= 1
    if np.random.random() < cluster_share:
        # A cluster: the seed's nearest placed customers whatever their days, so that a
        # group can move to other days together (strings of one day cannot do that).
        size = int(np.random.uniform(1.0, 2.0 * avg_removed + 1.0))
        n_out = 0
        for c in neighbours[seed]:
            if n_out >= size:
                break
            if combo_of[c] >= 0 and np.random.random() < 0.8:
                removed[n_out] = c
                n_out += 1
        return n_out
    n_days = day_first.shape[0] - 1
    # A random day of the seed's visits.
    count = 0
    for d in range(n_days):
        if route_at[seed, d] >= 0:
            count += 1
    pick = np.random.randint(count)
    day = -1
    for d in range(n_days):
        if route_at[seed, d] >= 0:
            if pick == 0:
                day = d
                break
            pick -= 1
    routes = 0
    visits = 0
    for r in range(day_first[day], day_first[day + 1]):
        if size[r] > 0:
            routes += 1
            visits += size[r]
    l_max = min(float(max_string), visits / routes)
    k_max = 4.0 * avg_removed / (1.0 + l_max) - 1.0
    k_routes = max(1, int(np.random.uniform(1.0, max(k_max, 1.0) + 1.0)))
    n_out = 0
    done = 0
    for c in neighbours[seed]:
        if done >= k_routes:
            break
        r = route_at[c, day]
        if r < 0 or ruined[r]:
            continue
        t = size[r]
        length = int(np.random.uniform(1.0, min(float(t), l_max) + 1.0))
        at = -1
        for i in range(1, t + 1):
            if path[r, i] == c + 1:
                at = i
        lo = max(1, at - length + 1)
        hi = min(at, t - length + 1)
        first = np.random.randint(lo, hi + 1)
        for i in range(first, first + length):
            removed[n_out] = path[r, i] - 1
            n_out += 1
        ruined[r] = True
        done += 1
    return n_out


@njit(cache=True)
def run_chunk(iterations, temperature, state, best_state, costs, work,
              dist, service, demand, day_first, cap, max_dur, combo_start, combo_days, penalty,
              neighbours, depot_far, avg_removed, max_string, cluster_share, blink, noise,
              two_opt_max):
    """Run ruin-and-recreate iterations at one temperature (the caller cools between chunks).

    state and best_state = (path, size, load, length, serv, combo_of, route_at, pos_at);
    costs = [current penalised cost, best plan's cost, customers the best plan leaves out];
    the best plan is the one with the fewest customers out, then the cheapest.
    Touched routes of at most two_opt_max visits are 2-opted (0 turns 2-opt off: its
    move costs assume a symmetric matrix, and on a one-way matrix it can cycle).
    """
    path, size, load, length, serv, combo_of, route_at, pos_at = state
    b_path, b_size, b_load, b_length, b_serv, b_combo, b_route_at, b_pos_at = best_state
    n = combo_of.shape[0]
    n_r = size.shape[0]
    n_days = day_first.shape[0] - 1
    day_of = np.empty(n_r, dtype=np.int64)
    for d in range(n_days):
        for r in range(day_first[d], day_first[d + 1]):
            day_of[r] = d
    k_path = np.empty_like(path)
    k_size = np.empty_like(size)
    k_load = np.empty_like(load)
    k_length = np.empty_like(length)
    k_serv = np.empty_like(serv)
    k_combo = np.empty_like(combo_of)
    k_route_at = np.empty_like(route_at)
    k_pos_at = np.empty_like(pos_at)
    ruined = np.zeros(n_r, dtype=np.bool_)
    touched = np.zeros(n_r, dtype=np.bool_)
    removed = np.empty(n * 2, dtype=np.int64)
    todo = np.empty(n, dtype=np.int64)
    keys = np.empty(n)
    day_cost = np.empty(n_days)
    day_route = np.empty(n_days, dtype=np.int64)
    day_pos = np.empty(n_days, dtype=np.int64)
    volume = np.empty(n)  # demand over the period: what "largest first" sorts by
    for c in range(n):
        volume[c] = demand[c + 1] * (combo_days[combo_start[c]] >= 0).sum()
    for _ in range(iterations):
        # Each iteration copies and scans the plan besides its insertions: on p01 and p12
        # that bookkeeping took about as long as 500 insertion positions.
        work[0] += ITERATION_WORK
        k_path[:] = path
        k_size[:] = size
        k_load[:] = load
        k_length[:] = length
        k_serv[:] = serv
        k_combo[:] = combo_of
        k_route_at[:] = route_at
        k_pos_at[:] = pos_at
        ruined[:] = False
        touched[:] = False
        n_out = ruin(path, size, route_at, combo_of, day_first, neighbours, avg_removed,
                     max_string, cluster_share, removed, ruined)
        for j in range(n_out):
            remove_customer(removed[j], n_days, path, size, load, length, serv, route_at, pos_at,
                            combo_of, dist, service, demand, touched)
        n_todo = 0
        for c in range(n):
            if combo_of[c] < 0:
                todo[n_todo] = c
                n_todo += 1
        insertion_order(todo, keys, n_todo, volume, depot_far)
        for j in range(n_todo):
            place(todo[j], blink, noise, combo_start, combo_days, path, size, load, length, serv,
                  route_at, pos_at, combo_of, day_first, cap, max_dur, dist, service, demand,
                  penalty, work, day_cost, day_route, day_pos, touched)
        for r in range(n_r):
            if touched[r] and size[r] > 2 and size[r] <= two_opt_max:
                two_opt(r, path, size, dist, work)
                refresh(r, path, size, load, length, serv, route_at, pos_at, day_of[r], dist,
                        service, demand)
        cost, out = plan_cost(length, combo_of, penalty)
        if cost < costs[0] - temperature * math.log(np.random.random() + 1e-300):
            costs[0] = cost
            # The best plan is the one with the fewest customers out, then the cheapest.
            if out < costs[2] or (out == costs[2] and cost < costs[1] - EPS):
                costs[1] = cost
                costs[2] = out
                b_path[:] = path
                b_size[:] = size
                b_load[:] = load
                b_length[:] = length
                b_serv[:] = serv
                b_combo[:] = combo_of
                b_route_at[:] = route_at
                b_pos_at[:] = pos_at
        else:
            path[:] = k_path
            size[:] = k_size
            load[:] = k_load
            length[:] = k_length
            serv[:] = k_serv
            combo_of[:] = k_combo
            route_at[:] = k_route_at
            pos_at[:] = k_pos_at
