"""Erlang C and Erlang A: arrivals per interval -> counter advisors needed per interval.

Every function works on whole arrays of intervals at once (numpy broadcasting); the only
Python loops run over candidate agent counts or queue lengths, never over intervals.

Units: ``arrivals`` are expected customers in one interval, ``interval_min``,
``aht_min`` (average handling time), ``answer_within_min`` and ``patience_min`` are
minutes. The offered load is ``A = arrivals / interval_min * aht_min`` erlangs.

Models
------
- ``"erlang_c"`` (M/M/n, nobody leaves the queue). Service level is
  ``P(wait <= t) = 1 - C(n, A) * exp(-(n - A) * t / aht)``. With ``n <= A`` the queue
  grows without bound: service level 0, average wait ``inf``, occupancy 1.
- ``"erlang_a"`` (Palm's M/M/n+M, exponential patience with mean ``patience_min``).
  ``W`` is the time a customer spends waiting, until served or until they give up.
  Two service-level definitions, both over *all* arrivals (``erlang_a_sl``):

  * ``"served_within"`` (default): P(served and W <= t). A customer who gives up counts
    as a failure, whenever they leave. The safe choice for a walk-in counter: it never
    lets customers walking out make the service level look better. It can require
    *more* agents than Erlang C (impatient customers who would have been served at
    minute 12 leave at minute 10).
  * ``"not_waiting"``: P(W <= t) = 1 - P(still in the queue t minutes after arriving),
    the Mandelbaum-Zeltyn convention. Abandonment only shortens queues, so this never
    needs more agents than Erlang C; but once t exceeds the patience a large part of the
    target is met by people leaving, so pair it with ``max_abandon``.

  ``abandon_share`` is P(give up); the average wait is E[W] over all arrivals
  (``= P(give up) * patience``, by Little's law applied to the queue).

Numerics: Erlang B by its forward recursion ``B(n) = A B(n-1) / (n + A B(n-1))``, which
contracts errors. For large loads the recursion starts ``10 sqrt(A) + 10`` below ``A`` (below
the target count, if that is under ``A``) from the fluid value ``1 - n/A``; the start error is
damped by ``exp(-50)`` before the recursion reaches the target, so huge loads cost O(sqrt(A))
steps instead of O(A). The
requirement search first tries the lowest admissible count with the bound
P(wait) <= A / n; at point-sized loads that settles ~98 % of intervals without any
Erlang B work, and the rest are evaluated exactly. Erlang A
sums the birth-death chain over queue lengths in log space with a running maximum, so
nothing overflows for any load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Model = Literal["erlang_c", "erlang_a"]
ErlangASL = Literal["served_within", "not_waiting"]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Terms of the queue-length sum below exp(-40) of the largest one do not change a result.
_NEGLIGIBLE_LOG = -40.0
# Erlang B below this is treated as this: it only ever multiplies negligible terms.
_TINY = 1e-300
_MAX_QUEUE_TERMS = 1_000_000
_CHUNK = 1 << 16


def offered_load(arrivals: ArrayLike, aht_min: ArrayLike, interval_min: ArrayLike) -> FloatArray:
    """Offered load in erlangs (busy advisors needed on average)."""
    # Same operation order as pyworkforce, so the two agree to the last bit.
    return np.asarray(arrivals, dtype=float) / np.asarray(interval_min, dtype=float) * np.asarray(
        aht_min, dtype=float
    )


def pooled_aht(
    arrivals_by_provider: ArrayLike, aht_by_provider: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Pool providers served at one counter: total arrivals and arrival-weighted AHT.

    ``arrivals_by_provider`` is (intervals x providers), ``aht_by_provider`` (providers,)
    in minutes. Rows without arrivals get the plain mean AHT, so the result stays finite
    (it has no effect there: zero arrivals need zero agents).
    """
    arrivals = np.atleast_2d(np.asarray(arrivals_by_provider, dtype=float))
    aht = np.asarray(aht_by_provider, dtype=float)
    if arrivals.shape[1] != aht.shape[0]:
        raise ValueError(
            f"arrivals have {arrivals.shape[1]} provider columns but {aht.shape[0]} AHTs"
        )
    total = arrivals.sum(axis=1)
    workload = arrivals @ aht
    safe_total = np.where(total > 0, total, 1.0)
    weighted = np.where(total > 0, workload / safe_total, aht.mean() if aht.size else 0.0)
    return total, weighted


# --------------------------------------------------------------------------- Erlang B


def _warm_start(load: FloatArray, agents: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
    """Agent count (held as float) to start the recursion at, and the value of B there.

    The start is ``10 sqrt(A) + 10`` below ``min(A, agents)``: each step below A shrinks the
    start's error by a factor ``n / A``, so the error is ``exp(-50)`` of itself or less by the
    target. Started closer (at a target between the fluid start and A, say), B would be the fluid
    guess ``1 - n/A``, 0.6 % off at 1 000 erlangs. ``agents`` left out: targets of A or more.
    """
    start = np.zeros(load.size)
    blocking = np.ones(load.size)
    # Below about 128 erlangs the start would be 0 anyway (where B = 1 exactly).
    big = np.flatnonzero(load > 100.0)
    if big.size:
        a = load[big]
        top = a if agents is None else np.minimum(a, agents[big])
        first = np.maximum(np.floor(top - 10.0 * np.sqrt(a) - 10.0), 0.0)
        start[big] = first
        blocking[big] = np.where(first > 0, 1.0 - first / a, 1.0)
    return start, blocking


def _erlang_b_step(
    load: FloatArray, agents: FloatArray | IntArray, blocking: FloatArray
) -> FloatArray:
    """B(agents, A) from B(agents - 1, A)."""
    carried = load * blocking
    return carried / (agents + carried)


def _climb(
    load: FloatArray, start: FloatArray, blocking: FloatArray, agents: FloatArray
) -> FloatArray:
    """Run the recursion from B(start) up to B(agents) for every element.

    Counts are floats (exact below 2**53) so no step casts. Elements are sorted by how
    many steps they need, so the ones still climbing at step k are a suffix of the
    sorted arrays: each step is three flops on a slice, without masks or gathers.
    """
    steps = np.maximum(agents - start, 0.0)
    if steps.size == 0 or steps.max() == 0:
        return blocking.copy()
    # Radix sort on small unsigned keys is linear; big step counts fall back to int64.
    key = steps.astype(np.uint16 if steps.max() < 2**16 else np.int64)
    order = np.argsort(key, kind="stable")
    sorted_steps = key[order]
    a = load[order]
    b = blocking[order]
    from_zero = not start.any()
    base = None if from_zero else start[order]
    for k in range(1, int(sorted_steps[-1]) + 1):
        first = int(np.searchsorted(sorted_steps, k))
        carried = a[first:] * b[first:]
        denominator = carried + k if base is None else carried + (base[first:] + k)
        np.divide(carried, denominator, out=b[first:])
    out = np.empty_like(blocking)
    out[order] = b
    return out


def erlang_b(load: ArrayLike, agents: ArrayLike) -> FloatArray:
    """Blocking probability of M/M/n/n, vectorised over (load, agents) pairs."""
    load_arr, agents_arr = np.broadcast_arrays(
        np.asarray(load, dtype=float), np.asarray(agents, dtype=np.int64).astype(float)
    )
    shape = load_arr.shape
    load_flat, agents_flat = load_arr.ravel(), agents_arr.ravel()
    start, blocking = _warm_start(load_flat, agents_flat)
    return _climb(load_flat, start, blocking, agents_flat).reshape(shape)


# --------------------------------------------------------------------------- Erlang C


def _erlang_c_from_b(load: FloatArray, agents: IntArray, blocking: FloatArray) -> FloatArray:
    """Probability of waiting C(n, A) from B(n, A); only valid where n > A."""
    return agents * blocking / (agents - load * (1.0 - blocking))


def _erlang_c_measures(
    load: FloatArray,
    aht: FloatArray,
    within: FloatArray,
    agents: IntArray,
    blocking: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Service level, average wait (min) and occupancy; graceful where n <= A."""
    stable = agents > load
    n = np.where(stable, agents, 1)
    a = np.where(stable, load, 0.0)
    wait_prob = _erlang_c_from_b(a, n, np.where(stable, blocking, 0.0))
    spare = n - a
    service_level = np.where(stable, 1.0 - wait_prob * np.exp(-spare * within / aht), 0.0)
    avg_wait = np.where(stable, wait_prob * aht / spare, np.inf)
    occupancy = np.where(stable, a / n, np.where(agents > 0, 1.0, 0.0))
    no_arrivals = load <= 0
    service_level = np.where(no_arrivals, 1.0, np.clip(service_level, 0.0, 1.0))
    avg_wait = np.where(no_arrivals, 0.0, avg_wait)
    occupancy = np.where(no_arrivals, 0.0, occupancy)
    return service_level, avg_wait, occupancy


def _broadcast(*arrays: ArrayLike) -> tuple[tuple[int, ...], list[FloatArray]]:
    """Broadcast inputs to one shape and flatten them."""
    parts = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in arrays))
    shape = parts[0].shape
    return shape, [np.ascontiguousarray(p).ravel() for p in parts]


def _compact(*arrays: ArrayLike) -> tuple[tuple[int, ...], list[FloatArray]]:
    """Like _broadcast, but scalars stay length-1 arrays instead of being copied N times."""
    values = [np.asarray(a, dtype=float) for a in arrays]
    shape = np.broadcast_shapes(*(v.shape for v in values))
    flat = [
        v.reshape(1) if v.size == 1 else np.broadcast_to(v, shape).ravel() for v in values
    ]
    return shape, flat


def _part(values: NDArray[np.generic], rows: slice) -> NDArray[np.generic]:
    """values[rows], where a length-1 array stands for the same value in every row."""
    return values if values.size == 1 else values[rows]


def _take(values: NDArray[np.generic], rows: NDArray[np.intp]) -> NDArray[np.generic]:
    """values[rows], where a length-1 array stands for the same value in every row."""
    return values if values.size == 1 else values[rows]


def _check_inputs(arrivals: FloatArray, aht: FloatArray, interval: FloatArray) -> None:
    if np.any(~np.isfinite(arrivals)) or np.any(arrivals < 0):
        raise ValueError("arrivals must be finite and >= 0")
    if np.any(~(aht > 0)) or np.any(~np.isfinite(aht)):
        raise ValueError("aht_min must be finite and > 0")
    if np.any(~(interval > 0)):
        raise ValueError("interval_min must be > 0")


def erlang_c_service_level(
    arrivals: ArrayLike,
    aht_min: ArrayLike,
    interval_min: ArrayLike,
    agents: ArrayLike,
    answer_within_min: ArrayLike,
) -> FloatArray:
    """Erlang C share of customers whose wait is at most ``answer_within_min``."""
    return _erlang_c_all(arrivals, aht_min, interval_min, agents, answer_within_min)[0]


def erlang_c_avg_wait(
    arrivals: ArrayLike,
    aht_min: ArrayLike,
    interval_min: ArrayLike,
    agents: ArrayLike,
) -> FloatArray:
    """Erlang C average wait over all customers, minutes (``inf`` when n <= A)."""
    return _erlang_c_all(arrivals, aht_min, interval_min, agents, 0.0)[1]


def occupancy(
    arrivals: ArrayLike, aht_min: ArrayLike, interval_min: ArrayLike, agents: ArrayLike
) -> FloatArray:
    """Erlang C share of the agents' time spent serving (capped at 1; 0 without agents)."""
    return _erlang_c_all(arrivals, aht_min, interval_min, agents, 0.0)[2]


def _erlang_c_all(
    arrivals: ArrayLike,
    aht_min: ArrayLike,
    interval_min: ArrayLike,
    agents: ArrayLike,
    answer_within_min: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    shape, (arr, aht, interval, n, within) = _broadcast(
        arrivals, aht_min, interval_min, agents, answer_within_min
    )
    _check_inputs(arr, aht, interval)
    load = offered_load(arr, aht, interval)
    n_int = np.round(n).astype(np.int64)
    blocking = erlang_b(load, n_int)
    measures = _erlang_c_measures(load, aht, within, n_int, blocking)
    return tuple(m.reshape(shape) for m in measures)  # type: ignore[return-value]


# --------------------------------------------------------------------------- Erlang A


def _erlang_a_measures(
    load: FloatArray,
    aht: FloatArray,
    within: FloatArray,
    patience: FloatArray,
    agents: IntArray,
) -> dict[str, FloatArray]:
    """M/M/n+M measures by summing the chain over queue lengths k = 0, 1, ...

    With x = n * patience / aht and y = arrivals-per-minute * patience, an arrival finds
    k waiting with relative weight r_k = prod_{m<=k} y / (x + m) (times pi_n). Someone
    with k ahead has e^{-V/patience} ~ Beta(x, k + 1) for the offered wait V, so
    P(V > t) = I_c(x, k + 1) and P(served, V <= t) = x/(x+k+1) (1 - I_c(x+1, k+1)) with
    c = exp(-t / patience); for integer b, I_c(a, b) is a negative-binomial CDF that we
    accumulate term by term alongside k.
    """
    size = load.size
    out = {
        name: np.zeros(size)
        for name in ("not_waiting", "avg_wait", "occupancy", "abandon_share", "served_within")
    }
    has_load = load > 0
    no_agents = has_load & (agents == 0)
    # Without agents everybody waits until they give up.
    give_up_by_t = -np.expm1(-within[no_agents] / patience[no_agents])
    out["not_waiting"][no_agents] = give_up_by_t
    out["avg_wait"][no_agents] = patience[no_agents]
    out["abandon_share"][no_agents] = 1.0
    out["not_waiting"][~has_load] = 1.0
    out["served_within"][~has_load] = 1.0

    idx = np.flatnonzero(has_load & (agents > 0))
    if idx.size == 0:
        return out
    n = agents[idx]
    a = load[idx]
    x = n * patience[idx] / aht[idx]
    y = a / aht[idx] * patience[idx]
    theta_t = within[idx] / patience[idx]
    log_c = -theta_t
    with np.errstate(divide="ignore"):
        log_1mc = np.log(-np.expm1(-theta_t))  # -inf when t = 0: only k = 0 terms remain
    blocking = np.maximum(erlang_b(a, n), _TINY)
    log_y = np.log(y)

    log_r = np.zeros(idx.size)  # log r_k
    top = np.zeros(idx.size)  # running maximum of log r_k; sums are scaled by exp(-top)
    log_nb_wait = x * log_c  # log pmf_j of I_c(x, .)
    log_nb_served = (x + 1.0) * log_c  # log pmf_j of I_c(x + 1, .)
    cdf_wait = np.exp(log_nb_wait)
    cdf_served = np.exp(log_nb_served)
    sums = {
        "queue": np.ones(idx.size),
        "still_waiting": cdf_wait.copy(),
        "abandon": 1.0 / (x + 1.0),
        "served_within": x / (x + 1.0) * (1.0 - cdf_served),
    }
    active = np.arange(idx.size)
    k = 0
    while active.size and k < _MAX_QUEUE_TERMS:
        k += 1
        xa = x[active]
        log_r[active] += log_y[active] - np.log(xa + k)
        raise_top = log_r[active] > top[active]
        if raise_top.any():
            grow = active[raise_top]
            shrink = np.exp(top[grow] - log_r[grow])
            for total in sums.values():
                total[grow] *= shrink
            top[grow] = log_r[grow]
        term = np.exp(log_r[active] - top[active])
        log_nb_wait[active] += np.log(xa + k - 1.0) - np.log(k) + log_1mc[active]
        log_nb_served[active] += np.log(xa + k) - np.log(k) + log_1mc[active]
        cdf_wait[active] = np.minimum(cdf_wait[active] + np.exp(log_nb_wait[active]), 1.0)
        cdf_served[active] = np.minimum(cdf_served[active] + np.exp(log_nb_served[active]), 1.0)
        sums["queue"][active] += term
        sums["still_waiting"][active] += term * cdf_wait[active]
        sums["abandon"][active] += term * (k + 1.0) / (xa + k + 1.0)
        sums["served_within"][active] += term * xa / (xa + k + 1.0) * (1.0 - cdf_served[active])
        past_peak = y[active] < xa + k + 1.0
        negligible = log_r[active] - top[active] < _NEGLIGIBLE_LOG
        active = active[~(past_peak & negligible)]

    # pi_n = 1 / (1/B - 1 + sum_k r_k); every sum is scaled by exp(-top).
    denom = np.exp(-top + np.log1p(-blocking) - np.log(blocking)) + sums["queue"]
    p_wait = sums["queue"] / denom
    p_still_waiting = np.exp(log_c) * sums["still_waiting"] / denom
    p_abandon = np.minimum(sums["abandon"] / denom, 1.0)
    out["not_waiting"][idx] = np.clip(1.0 - p_still_waiting, 0.0, 1.0)
    out["served_within"][idx] = np.clip(1.0 - p_wait + sums["served_within"] / denom, 0.0, 1.0)
    out["abandon_share"][idx] = p_abandon
    out["avg_wait"][idx] = p_abandon * patience[idx]
    out["occupancy"][idx] = np.minimum(a * (1.0 - p_abandon) / n, 1.0)
    return out


def _erlang_a_all(
    arrivals: ArrayLike,
    aht_min: ArrayLike,
    interval_min: ArrayLike,
    agents: ArrayLike,
    answer_within_min: ArrayLike,
    patience_min: ArrayLike,
) -> dict[str, FloatArray]:
    shape, (arr, aht, interval, n, within, patience) = _broadcast(
        arrivals, aht_min, interval_min, agents, answer_within_min, patience_min
    )
    _check_inputs(arr, aht, interval)
    if np.any(~(patience > 0)):
        raise ValueError("patience_min must be > 0")
    load = offered_load(arr, aht, interval)
    n_int = np.round(n).astype(np.int64)
    infinite = np.isinf(patience)
    result = _erlang_a_measures(
        load, aht, within, np.where(infinite, 1.0, patience), n_int
    )
    if infinite.any():
        # Nobody gives up: exactly Erlang C.
        blocking = erlang_b(load[infinite], n_int[infinite])
        sl, wait, occ = _erlang_c_measures(
            load[infinite], aht[infinite], within[infinite], n_int[infinite], blocking
        )
        result["not_waiting"][infinite] = sl
        result["served_within"][infinite] = sl
        result["avg_wait"][infinite] = wait
        result["occupancy"][infinite] = occ
        result["abandon_share"][infinite] = 0.0
    return {name: values.reshape(shape) for name, values in result.items()}


def erlang_a_service_level(
    arrivals: ArrayLike,
    aht_min: ArrayLike,
    interval_min: ArrayLike,
    agents: ArrayLike,
    answer_within_min: ArrayLike,
    patience_min: ArrayLike,
    erlang_a_sl: ErlangASL = "served_within",
) -> FloatArray:
    """Erlang A service level over all arrivals, by the given definition (module docstring)."""
    return _erlang_a_all(
        arrivals, aht_min, interval_min, agents, answer_within_min, patience_min
    )[erlang_a_sl]


# --------------------------------------------------------------------------- metrics


def interval_metrics(
    arrivals: ArrayLike,
    aht_min: ArrayLike,
    interval_min: ArrayLike,
    agents: ArrayLike,
    answer_within_min: ArrayLike,
    model: Model = "erlang_c",
    patience_min: ArrayLike | None = None,
    erlang_a_sl: ErlangASL = "served_within",
) -> dict[str, FloatArray]:
    """Expected service level, average wait (min), occupancy for a given staffing.

    Keys: ``service_level`` (for Erlang A by ``erlang_a_sl``), ``avg_wait_min``,
    ``occupancy``, ``abandon_share`` and ``served_within_share``; for Erlang C
    abandonment is 0 and served-within equals the service level. Understaffed intervals
    (agents <= load) give service level 0 and average wait ``inf`` under Erlang C,
    without numpy warnings; under Erlang A they stay finite, since customers give up.
    """
    if model == "erlang_c":
        sl, wait, occ = _erlang_c_all(arrivals, aht_min, interval_min, agents, answer_within_min)
        return {
            "service_level": sl,
            "avg_wait_min": wait,
            "occupancy": occ,
            "abandon_share": np.zeros_like(sl),
            "served_within_share": sl,
        }
    if model == "erlang_a":
        if patience_min is None:
            raise ValueError("model='erlang_a' needs patience_min")
        res = _erlang_a_all(
            arrivals, aht_min, interval_min, agents, answer_within_min, patience_min
        )
        return {
            "service_level": res[erlang_a_sl],
            "avg_wait_min": res["avg_wait"],
            "occupancy": res["occupancy"],
            "abandon_share": res["abandon_share"],
            "served_within_share": res["served_within"],
        }
    raise ValueError(f"unknown model {model!r}; use 'erlang_c' or 'erlang_a'")


# --------------------------------------------------------------------------- requirement


def gross_up_for_shrinkage(agents: ArrayLike, shrinkage: float) -> IntArray:
    """Advisors to roster so that ``agents`` remain after shrinkage (absence, breaks)."""
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError("shrinkage must be in [0, 1)")
    raw = np.asarray(agents, dtype=float) / (1.0 - shrinkage)
    # 7 / (1 - 0.3) is 10.000000000000002 in floating point: do not round that up to 11.
    return np.ceil(raw - 1e-9).astype(np.int64)


def _meets_targets(
    service_level: FloatArray,
    avg_wait: FloatArray,
    occ: FloatArray,
    target_sl: FloatArray,
    max_occupancy: float | None,
    max_avg_wait_min: float | None,
) -> NDArray[np.bool_]:
    ok = service_level >= target_sl
    if max_occupancy is not None:
        ok &= occ <= max_occupancy
    if max_avg_wait_min is not None:
        ok &= avg_wait <= max_avg_wait_min
    return ok


def _required_erlang_c(
    load: FloatArray,
    aht: FloatArray,
    within: FloatArray,
    target_sl: FloatArray,
    floor_agents: FloatArray,
    max_occupancy: float | None,
    max_avg_wait_min: float | None,
) -> FloatArray:
    """Climb every interval to its lowest candidate, then test and step up the misses.

    Agent counts are floats holding integers. ``aht``, ``within``, ``target_sl`` and
    ``floor_agents`` may be length-1 (the same for every interval).
    """
    result = np.zeros(load.size)
    todo = np.flatnonzero(load > 0)
    a = load[todo]
    # Below floor(A) + 1 the queue is unstable; below ceil(A / max_occ) occupancy fails.
    n = np.floor(a)
    n += 1.0
    np.maximum(n, _take(floor_agents, todo), out=n)
    if max_occupancy is not None:
        np.maximum(n, np.ceil(a / max_occupancy), out=n)
    decay = _take(within, todo) / _take(aht, todo)
    t_aht, t_sl = _take(aht, todo), _take(target_sl, todo)

    # P(wait) = P(all n busy) <= E[busy] / n = A / n (Markov). Where even that bound
    # meets the targets, n is the answer and Erlang B is never needed.
    spare = n - a
    utilisation = a / n
    sure = utilisation * np.exp(-spare * decay) <= 1.0 - t_sl
    if max_avg_wait_min is not None:
        sure &= utilisation * t_aht / spare <= max_avg_wait_min
    result[todo[sure]] = n[sure]
    keep = np.flatnonzero(~sure)
    todo, a, n = todo[keep], a[keep], n[keep]
    decay, t_aht, t_sl = _take(decay, keep), _take(t_aht, keep), _take(t_sl, keep)

    start, blocking = _warm_start(a)
    blocking = _climb(a, start, blocking, n)
    while todo.size:
        # Here n > A everywhere, so the closed forms need no guards.
        spare = n - a
        wait_prob = n * blocking / (spare + a * blocking)
        ok = 1.0 - wait_prob * np.exp(-spare * decay) >= t_sl
        if max_avg_wait_min is not None:
            ok &= wait_prob * t_aht / spare <= max_avg_wait_min
        if ok.all():
            result[todo] = n
            break
        result[todo[ok]] = n[ok]
        keep = np.flatnonzero(~ok)
        todo, a, n, blocking = todo[keep], a[keep], n[keep], blocking[keep]
        decay, t_aht, t_sl = _take(decay, keep), _take(t_aht, keep), _take(t_sl, keep)
        n += 1.0
        blocking = _erlang_b_step(a, n, blocking)
    return np.maximum(result, floor_agents)


def _bisect_smallest(
    lo: IntArray, hi: IntArray, meets: Callable[[NDArray[np.intp], IntArray], NDArray[np.bool_]]
) -> IntArray:
    """Smallest n in [lo, hi] with meets(n), given meets(hi) and monotone in n."""
    lo, hi = lo.copy(), hi.copy()
    todo = np.flatnonzero(lo < hi)
    while todo.size:
        mid = (lo[todo] + hi[todo]) // 2
        ok = meets(todo, mid)
        hi[todo] = np.where(ok, mid, hi[todo])
        lo[todo] = np.where(ok, lo[todo], mid + 1)
        todo = todo[lo[todo] < hi[todo]]
    return hi


def required_agents(
    arrivals: ArrayLike,
    aht_min: ArrayLike,
    interval_min: ArrayLike,
    target_sl: ArrayLike,
    answer_within_min: ArrayLike,
    max_occupancy: float | None = None,
    max_avg_wait_min: float | None = None,
    model: Model = "erlang_c",
    patience_min: ArrayLike | None = None,
    min_agents: ArrayLike = 0,
    erlang_a_sl: ErlangASL = "served_within",
    max_abandon: float | None = None,
) -> IntArray:
    """Smallest agent count per interval that meets every given target.

    Targets: service level ``>= target_sl`` (answered within ``answer_within_min``),
    and, when given, occupancy ``<= max_occupancy``, average wait ``<= max_avg_wait_min``
    and, for Erlang A, share of customers giving up ``<= max_abandon``. Intervals without
    arrivals need 0 agents; ``min_agents`` (scalar or per interval) is a floor applied
    everywhere. Minimum manning of an open point is the staffing model's business.

    Erlang C scans agent counts upward for all intervals at once (cost ~ agents needed).
    Erlang A bisects per interval between a lower bound and the Erlang C answer (doubled
    if needed); each probe sums the queue-length chain, whose length grows with overload,
    so it is meant for point-sized loads, not 1e5 arrivals per interval.
    """
    shape, (arr, aht, interval, sl, within, floor_f) = _compact(
        arrivals, aht_min, interval_min, target_sl, answer_within_min, min_agents
    )
    _check_inputs(arr, aht, interval)
    if np.any((sl < 0) | (sl > 1)):
        raise ValueError("target_sl must be in [0, 1]")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise ValueError("max_occupancy must be in (0, 1]")
    size = int(np.prod(shape))
    load = offered_load(arr, aht, interval)
    if load.size != size:  # every input a scalar but, say, target_sl
        load = np.broadcast_to(load, (size,)).copy()
    floor_float = np.round(floor_f)
    erlang_c_float = np.empty(size)
    # Cache-sized chunks: the same flops run several times faster than on whole arrays.
    for first in range(0, size, _CHUNK):
        rows = slice(first, min(first + _CHUNK, size))
        erlang_c_float[rows] = _required_erlang_c(
            load[rows], _part(aht, rows), _part(within, rows), _part(sl, rows),
            _part(floor_float, rows), max_occupancy, max_avg_wait_min,
        )
    erlang_c = erlang_c_float.astype(np.int64)
    if model == "erlang_c":
        return erlang_c.reshape(shape)
    floor_agents = floor_float.astype(np.int64)
    if model != "erlang_a":
        raise ValueError(f"unknown model {model!r}; use 'erlang_c' or 'erlang_a'")
    if patience_min is None:
        raise ValueError("model='erlang_a' needs patience_min")
    patience = _compact(patience_min)[1][0]
    if patience.size != 1:
        patience = np.broadcast_to(patience.reshape(np.shape(patience_min)), shape).ravel()
    if np.any(~(patience > 0)):
        raise ValueError("patience_min must be > 0")

    def meets(rows: NDArray[np.intp], agents: IntArray) -> NDArray[np.bool_]:
        m = _erlang_a_all(
            _take(arr, rows), _take(aht, rows), _take(interval, rows), agents,
            _take(within, rows), _take(patience, rows),
        )
        ok = _meets_targets(
            m[erlang_a_sl], m["avg_wait"], m["occupancy"], _take(sl, rows),
            max_occupancy, max_avg_wait_min,
        )
        if max_abandon is not None:
            ok &= m["abandon_share"] <= max_abandon
        return ok

    # Start from the Erlang C answer, which is often close, and double the step until
    # every interval meets its targets: then bisect between the last miss and the hit.
    rows = np.flatnonzero(load > 0)
    hi = erlang_c.copy()
    lo = np.where(load > 0, np.maximum(floor_agents, 1), floor_agents)
    if erlang_a_sl == "served_within":
        # At most n / A of the arrivals can be served at all (throughput <= n / aht).
        lo = np.maximum(lo, np.ceil(sl * load - 1e-9).astype(np.int64))
    step = np.ones(hi.size, dtype=np.int64)
    short = rows[~meets(rows, hi[rows])]
    while short.size:
        lo[short] = hi[short] + 1
        hi[short] += step[short]
        step[short] *= 2
        short = short[~meets(short, hi[short])]
    lo = np.minimum(lo, hi)
    return _bisect_smallest(lo, hi, meets).reshape(shape)
