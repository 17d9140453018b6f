"""Compiled core of the ruin-and-recreate search (SISR); models.ruin_recreate drives it.

Everything here runs under numba on plain arrays: a Python loop did ~1,000 iterations
a second on Solomon's 100 visits, far too few for annealing to settle near the best
known in 30 s; compiled, the same search does tens of thousands.

State of a plan (K vehicles, M = longest possible route):
    path[k, 0 .. size[k] + 1]  start depot, visits, end depot
    dep[k, i]                  earliest departure from position i (after service)
    late[k, i]                 latest start of service at i that keeps the rest feasible
    load[k], length[k]         load carried and distance driven
    route_of[v], pos_of[v]     where visit v is (-1 when unserved)
A visit fits between positions i and i + 1 iff the load fits, its earliest start
max(dep[i] + t[a, v], ready[v]) is within its window, and leaving it reaches position
i + 1 by late[i + 1]: exact for windows whatever the matrices; route duration, which
needs the whole schedule, is checked only for positions that would be chosen.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

EPS = 1e-9


@njit(cache=True)
def seed_rng(seed):
    np.random.seed(seed)


@njit(cache=True)
def schedule(k, path, size, dep, late, load, length, route_of, pos_of,
             dist, time, service, ready, due, demand, starts, ends):
    """Recompute route k's schedule, load and length from path[k]."""
    last = size[k] + 1
    path[k, 0] = starts[k]
    path[k, last] = ends[k]
    clock = ready[path[k, 0]]
    dep[k, 0] = clock + service[path[k, 0]]
    total_load = 0.0
    total_len = 0.0
    for i in range(1, last + 1):
        a = path[k, i - 1]
        b = path[k, i]
        clock = max(dep[k, i - 1] + time[a, b], ready[b])
        dep[k, i] = clock + service[b]
        total_len += dist[a, b]
        if i < last:
            total_load += demand[b]
            route_of[b] = k
            pos_of[b] = i
    late[k, last] = due[path[k, last]]
    for i in range(last - 1, -1, -1):
        a = path[k, i]
        late[k, i] = min(due[a], late[k, i + 1] - service[a] - time[a, path[k, i + 1]])
    load[k] = total_load
    length[k] = total_len


@njit(cache=True)
def duration_with(k, path, size, v, at, time, service, ready, due):
    """Shortest duration of route k with v inserted after position `at` (v < 0: none).

    Departs as late as the windows allow, then drives the earliest schedule.
    """
    last = size[k] + 1
    n = last + 1 if v < 0 else last + 2
    seq = np.empty(n, dtype=np.int64)
    j = 0
    for i in range(last + 1):
        seq[j] = path[k, i]
        j += 1
        if v >= 0 and i == at:
            seq[j] = v
            j += 1
    latest = due[seq[0]]
    head = 0.0
    for i in range(1, n):
        head += service[seq[i - 1]] + time[seq[i - 1], seq[i]]
        latest = min(latest, due[seq[i]] - head)
    clock = max(latest, ready[seq[0]])
    begin = clock
    for i in range(1, n):
        clock = max(clock + service[seq[i - 1]] + time[seq[i - 1], seq[i]], ready[seq[i]])
    return clock - begin


@njit(cache=True)
def route_ok(k, path, size, dep, load, capacity, max_duration, time, service, ready, due):
    """Earliest schedule meets every window, the return, capacity and duration."""
    if size[k] == 0:
        return True
    for i in range(size[k] + 2):
        if dep[k, i] - service[path[k, i]] > due[path[k, i]] + 1e-7:
            return False
    if load[k] > capacity[k] + EPS:
        return False
    if math.isinf(max_duration[k]):
        return True
    return duration_with(k, path, size, -1, 0, time, service, ready, due) <= max_duration[k] + 1e-7


@njit(cache=True)
def plan_cost(size, length, fixed_cost, route_of, visits, penalty):
    total = 0.0
    for k in range(size.shape[0]):
        if size[k] > 0:
            total += length[k] + fixed_cost[k]
    for v in visits:
        if route_of[v] < 0:
            total += penalty[v]
    return total


@njit(cache=True)
def best_insertion(v, path, size, dep, late, load, capacity, max_duration, fixed_cost,
                   dist, time, service, ready, due, demand, blink):
    """Cheapest feasible (delta, route, position) for v, skipping a few positions at random."""
    best = np.inf
    best_k = -1
    best_i = -1
    for k in range(size.shape[0]):
        if load[k] + demand[v] > capacity[k] + EPS:
            continue
        extra = fixed_cost[k] if size[k] == 0 else 0.0
        timed = not math.isinf(max_duration[k])
        for i in range(size[k] + 1):
            a = path[k, i]
            b = path[k, i + 1]
            delta = dist[a, v] + dist[v, b] - dist[a, b] + extra
            if delta >= best:
                continue
            begin = max(dep[k, i] + time[a, v], ready[v])
            if begin > due[v] + EPS:
                continue
            if begin + service[v] + time[v, b] > late[k, i + 1] + EPS:
                continue
            if blink > 0.0 and np.random.random() < blink:
                continue
            if timed and duration_with(k, path, size, v, i, time, service, ready,
                                       due) > max_duration[k] + 1e-7:
                continue
            best = delta
            best_k = k
            best_i = i
    return best, best_k, best_i


@njit(cache=True)
def remove_string(k, first, count, keep_from, keep_count, path, size, route_of, out, n_out):
    """Take path positions first .. first + count - 1 out of route k, except a kept block."""
    last = size[k] + 1
    w = 1
    for i in range(1, last):
        inside = first <= i < first + count
        kept = keep_from <= i < keep_from + keep_count
        if inside and not kept:
            out[n_out] = path[k, i]
            route_of[path[k, i]] = -1
            n_out += 1
        else:
            path[k, w] = path[k, i]
            w += 1
    size[k] = w - 1
    return n_out


@njit(cache=True)
def ruin(path, size, route_of, pos_of, visits, neighbours, served_count, avg_removed, max_string,
         split_rate, ruined, out):
    """SISR ruin: strings (sometimes with a kept middle) from routes near a random visit.

    Returns the number of removed visits written to `out`; `ruined` flags routes touched.
    """
    n_routes = 0
    total_visits = 0
    for k in range(size.shape[0]):
        if size[k] > 0:
            n_routes += 1
            total_visits += size[k]
    if n_routes == 0:
        return 0
    l_max = min(float(max_string), total_visits / n_routes)
    k_max = 4.0 * avg_removed / (1.0 + l_max) - 1.0
    k_routes = max(1, int(np.random.uniform(1.0, max(k_max, 1.0) + 1.0)))
    # A random served visit as the seed.
    pick = np.random.randint(served_count)
    seed = -1
    for v in visits:
        if route_of[v] >= 0:
            if pick == 0:
                seed = v
                break
            pick -= 1
    if seed < 0:
        return 0
    n_out = 0
    done = 0
    for c in neighbours[seed]:
        if done >= k_routes:
            break
        k = route_of[c]
        if k < 0 or ruined[k]:
            continue
        t = size[k]
        cap = min(float(t), l_max)
        length = int(np.random.uniform(1.0, cap + 1.0))
        at = pos_of[c]
        keep = 0
        if length < t and np.random.random() < 0.5:
            # Split string: a longer window with a kept block of m visits inside.
            keep = 1
            while length + keep < t and np.random.random() > split_rate:
                keep += 1
        span = length + keep
        lo = max(1, at - span + 1)
        hi = min(at, t - span + 1)
        first = np.random.randint(lo, hi + 1)
        keep_from = first + np.random.randint(0, length + 1) if keep else 0
        n_out = remove_string(k, first, span, keep_from, keep, path, size, route_of, out, n_out)
        ruined[k] = True
        done += 1
    return n_out


@njit(cache=True)
def sort_by_key(items, keys, n):
    """Stable insertion sort of items[:n] by keys[:n]; n is a few dozen at most.

    numba's own argsort compiled for many seconds; this compiles in a blink.
    """
    for i in range(1, n):
        item = items[i]
        key = keys[i]
        j = i - 1
        while j >= 0 and keys[j] > key:
            items[j + 1] = items[j]
            keys[j + 1] = keys[j]
            j -= 1
        items[j + 1] = item
        keys[j + 1] = key


@njit(cache=True)
def insertion_order(todo, keys, n_todo, size, far):
    """Sort todo[:n_todo] as SISR does: random, largest, farthest or closest (odds 4:4:2:1).

    size[v] and far[v] (distance from the depot) are indexed by the items themselves.
    """
    r = np.random.random() * 11.0
    for j in range(n_todo):
        v = todo[j]
        if r < 4.0:
            keys[j] = np.random.random()
        elif r < 8.0:
            keys[j] = -size[v]
        elif r < 10.0:
            keys[j] = -far[v]
        else:
            keys[j] = far[v]
    sort_by_key(todo, keys, n_todo)


@njit(cache=True)
def copy_plan(src_path, src_size, dst_path, dst_size):
    for k in range(src_size.shape[0]):
        dst_size[k] = src_size[k]
        for i in range(src_size[k] + 2):
            dst_path[k, i] = src_path[k, i]


@njit(cache=True)
def run_chunk(iterations, temperature, state, best_path, best_size,
              dist, time, service, ready, due, demand, penalty, starts, ends, capacity,
              max_duration, fixed_cost, visits, neighbours, depot_far, avg_removed, max_string,
              blink, split_rate):
    """Run SISR iterations at one temperature (the caller cools between chunks).

    state = (path, size, dep, late, load, length, route_of, pos_of, costs) where
    costs = [current, best]. Returns nothing; everything lives in the arrays.
    """
    path, size, dep, late, load, length, route_of, pos_of, costs = state
    n_k = size.shape[0]
    backup_path = np.empty_like(path)
    backup_size = np.empty_like(size)
    ruined = np.zeros(n_k, dtype=np.bool_)
    touched = np.zeros(n_k, dtype=np.bool_)
    out = np.empty(visits.shape[0], dtype=np.int64)
    todo = np.empty(visits.shape[0], dtype=np.int64)
    keys = np.empty(visits.shape[0])
    for _ in range(iterations):
        copy_plan(path, size, backup_path, backup_size)
        served = 0
        for v in visits:
            if route_of[v] >= 0:
                served += 1
        ruined[:] = False
        n_out = 0
        if served > 0:
            n_out = ruin(path, size, route_of, pos_of, visits, neighbours, served, avg_removed,
                         max_string, split_rate, ruined, out)
        touched[:] = ruined
        for k in range(n_k):
            if ruined[k]:
                schedule(k, path, size, dep, late, load, length, route_of, pos_of,
                         dist, time, service, ready, due, demand, starts, ends)
        n_todo = 0
        for j in range(n_out):
            todo[n_todo] = out[j]
            n_todo += 1
        for v in visits:
            if route_of[v] < 0:
                seen = False
                for j in range(n_out):
                    if out[j] == v:
                        seen = True
                        break
                if not seen:
                    todo[n_todo] = v
                    n_todo += 1
        insertion_order(todo, keys, n_todo, demand, depot_far)
        for j in range(n_todo):
            v = todo[j]
            delta, k, i = best_insertion(v, path, size, dep, late, load, capacity, max_duration,
                                         fixed_cost, dist, time, service, ready, due, demand,
                                         blink)
            if k < 0 or delta >= penalty[v]:
                continue
            for p in range(size[k] + 1, i, -1):
                path[k, p + 1] = path[k, p]
            path[k, i + 1] = v
            size[k] += 1
            schedule(k, path, size, dep, late, load, length, route_of, pos_of,
                     dist, time, service, ready, due, demand, starts, ends)
            touched[k] = True
        valid = True
        for k in range(n_k):
            if touched[k] and not route_ok(k, path, size, dep, load, capacity, max_duration,
                                           time, service, ready, due):
                valid = False  # only when the matrices break the triangle inequality
                break
        cost = plan_cost(size, length, fixed_cost, route_of, visits, penalty)
        if valid and cost < costs[0] - temperature * math.log(np.random.random() + 1e-300):
            costs[0] = cost
            if cost < costs[1] - EPS:
                costs[1] = cost
                copy_plan(path, size, best_path, best_size)
        else:
            for k in range(n_k):
                if touched[k]:
                    for i in range(1, size[k] + 1):
                        route_of[path[k, i]] = -1
            copy_plan(backup_path, backup_size, path, size)
            for k in range(n_k):
                if touched[k]:
                    schedule(k, path, size, dep, late, load, length, route_of, pos_of,
                             dist, time, service, ready, due, demand, starts, ends)
