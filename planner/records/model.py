"""The scenario's demand model fitted to monthly counts: one Poisson regression per provider.

For provider q, the customers y(p,m) of point p in month m are Poisson with mean

    μ(p,m) = L(p, r(p,m)) · S(q, c(m)) · (1 + T(q))^((m − m0) / 12)

— exactly the planner's demand model (planner/demand.py): L the level of point p in its
regime r (a closure of a nearby office inside the records starts a new regime; the month
of the change itself is left out), S the twelve monthly factors, T the annual trend, m0
the reference month (the horizon start). log μ is linear in the unknowns, so it is a
Poisson GLM with a dummy per (point, regime), eleven month dummies and the time in years,
fitted by statsmodels (IRLS) with a quasi-Poisson scale (Pearson χ²/df) for honest
standard errors. Pooling every point of a provider is what lets a point with 15 customers
a month share the provider's season and trend with one that has 100.

Afterwards the factors are scaled to average 1.0 (seasonality.csv's convention) and the
levels by the same constant, so B(p) = L(p, last regime) is the baseline at m0 that
baseline_demand.csv holds. Standard errors of S and T come by the delta method.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.base.text import quantity
from planner.demand.forecast import KEYS


@dataclass(frozen=True)
class ProviderFit:
    """Season and trend of one provider, with standard errors and the data behind them."""

    provider_id: str
    factors: tuple[float, ...]  # Jan..Dec, average 1.0
    factor_se: tuple[float, ...]
    trend: float  # annual, -0.2 = 20 % fewer a year
    trend_se: float
    records: int
    months: int
    points: int


@dataclass(frozen=True)
class PairFit:
    """Baseline of one (point, provider) at the reference month: customers a month before seasonality."""

    point_id: str
    provider_id: str
    level: float
    records: int
    months: int
    method: str  # "regression" | "base season and trend"


@dataclass
class DemandFit:
    """Fitted providers and pairs; `reference` is m0 ('YYYY-MM'); `notes` say what was not fitted and why."""

    reference: str
    providers: dict[str, ProviderFit] = field(default_factory=dict)
    pairs: dict[tuple[str, str], PairFit] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def predict(self, months: list[str], season: dict[str, tuple[float, ...]], trend: dict[str, float]) -> pd.DataFrame:
        """Forecast customers per fitted pair and month: columns point_id, provider_id, month, forecast.

        `season` / `trend` give the providers that were not fitted (the base scenario's).
        """
        ref = pd.Period(self.reference, freq="M")
        rows = []
        for (point, provider), pair in self.pairs.items():
            fit = self.providers.get(provider)
            factors = fit.factors if fit else season[provider]
            growth = 1 + (fit.trend if fit else trend[provider])
            for month in months:
                period = pd.Period(month, freq="M")
                k = (period - ref).n
                rows.append((point, provider, month, pair.level * factors[period.month - 1] * growth ** (k / 12)))
        return pd.DataFrame(rows, columns=[*KEYS, "month", "forecast"])


def regime_table(counts: pd.DataFrame, breaks: list[tuple[str, str, pd.Timestamp]]) -> pd.DataFrame:
    """Add `regime` (0, 1, …) to monthly counts; the month in which a break falls (unless on its 1st) is dropped.

    `breaks`: (point_id, provider_id, first day of the new regime).
    """
    counts = counts.copy()
    counts["regime"] = 0
    keep = np.ones(len(counts), dtype=bool)
    start = pd.DatetimeIndex(pd.to_datetime(counts["month"], format="%Y-%m"))  # first days (a Period parse is slow)
    for point, provider, day in sorted(breaks, key=lambda b: b[2]):
        same = (counts["point_id"] == point) & (counts["provider_id"] == provider)
        day = pd.Timestamp(day)
        after = same & (start >= day)
        counts.loc[after, "regime"] += 1
        keep &= ~(same & (start < day) & (start + pd.offsets.MonthEnd(0) >= day) & (day.day != 1))
    return counts[keep].reset_index(drop=True)


def fit_provider(frame: pd.DataFrame, reference: pd.Period) -> tuple[ProviderFit, dict[tuple[str, str], float]] | None:
    """The Poisson regression of one provider on counts with `regime`; None when it cannot be fitted.

    `frame`: point_id, provider_id, month, customers (float ≥ 0), regime. Returns the
    provider's fit and the last-regime level of each point.

    The level of each (point, regime) is a nuisance parameter: statsmodels' ConditionalPoisson
    conditions the counts on each unit's total, which gives the same season and trend (and the
    same standard errors) as the Poisson GLM with a dummy per unit, without a design matrix of
    units × months columns (a national log has hundreds of units per provider: the dense GLM
    took minutes). The levels then follow in closed form, L = Σ y / Σ exp(x θ) per unit (the
    GLM's own first-order condition), and the quasi-Poisson scale (Pearson χ² / (n − units − 12))
    widens the standard errors as `GLM.fit(scale="X2")` did.
    """
    frame = frame.copy()
    frame["unit"] = frame["point_id"] + "#" + frame["regime"].astype(str)
    totals = frame.groupby("unit")["customers"].transform("sum")
    frame = frame[totals > 0].sort_values(["unit", "month"], kind="stable").reset_index(drop=True)
    if frame.empty:
        return None
    stamps = pd.DatetimeIndex(pd.to_datetime(frame["month"], format="%Y-%m"))
    units, unit_of = np.unique(frame["unit"].to_numpy(), return_inverse=True)
    n, u = len(frame), len(units)
    calendar = stamps.month.to_numpy()
    exog = np.zeros((n, 12))
    for c in range(2, 13):
        exog[:, c - 2] = calendar == c
    exog[:, -1] = (stamps.year.to_numpy() - reference.year) + (calendar - reference.month) / 12.0
    y = frame["customers"].to_numpy(float)
    # Identifiable only through variation within units: demeaned per unit, the 12 columns must have full rank.
    counts = np.bincount(unit_of, minlength=u)
    means = np.stack([np.bincount(unit_of, weights=exog[:, j], minlength=u) for j in range(12)], axis=1) / counts[:, None]
    if n - u - 12 <= 0 or np.linalg.matrix_rank(exog - means[unit_of]) < 12:
        return None
    from statsmodels.discrete.conditional_models import ConditionalPoisson

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ConditionalPoisson(y, exog, groups=unit_of).fit(method="newton", maxiter=100, disp=False)
    params = np.asarray(result.params)
    eta = np.exp(exog @ params)
    level = np.bincount(unit_of, weights=y, minlength=u) / np.bincount(unit_of, weights=eta, minlength=u)
    mu = level[unit_of] * eta
    scale = float(np.sum((y - mu) ** 2 / np.where(mu > 0, mu, 1.0)) / (n - u - 12))
    cov = np.asarray(result.cov_params()) * scale
    s = np.concatenate([[0.0], params[:11]])
    exp_s = np.exp(s)
    mean = exp_s.mean()
    factors = exp_s / mean
    # Delta method: f_c = exp(s_c) / mean(exp(s)); gradient over (s_2..s_12).
    cov_s = np.zeros((12, 12))
    cov_s[1:, 1:] = cov[:11, :11]
    jac = (np.diag(exp_s) - np.outer(exp_s, exp_s) / (12 * mean)) / mean
    factor_se = np.sqrt(np.maximum(np.diag(jac @ cov_s @ jac.T), 0.0))
    beta, beta_se = params[-1], float(np.sqrt(max(cov[-1, -1], 0.0)))
    levels: dict[tuple[str, str], float] = {}
    provider = str(frame["provider_id"].iloc[0])
    unit_index = {str(name): i for i, name in enumerate(units)}
    last = frame.groupby("point_id")["regime"].max()
    for point, regime in last.items():
        unit = f"{point}#{regime}"
        if unit in unit_index:
            levels[(str(point), provider)] = float(level[unit_index[unit]] * mean)
    fit = ProviderFit(provider, tuple(float(f) for f in factors), tuple(float(x) for x in factor_se),
                      float(np.exp(beta) - 1), float(np.exp(beta) * beta_se), int(round(frame["customers"].sum())),
                      int(frame["month"].nunique()), int(frame["point_id"].nunique()))
    return fit, levels


def fit_demand(counts: pd.DataFrame, breaks: list[tuple[str, str, pd.Timestamp]], reference: str,
               base_season: dict[str, tuple[float, ...]], base_trend: dict[str, float],
               min_provider_records: int = 600, min_provider_months: int = 24,
               min_pair_records: int = 30, min_pair_months: int = 3) -> DemandFit:
    """Fit season and trend per provider and a baseline per pair from monthly counts.

    `counts`: point_id, provider_id, month ('YYYY-MM'), customers — every month of the
    records' period for every pair (zeros included), known one-off events already taken out.
    A provider with fewer than `min_provider_records` customers or `min_provider_months`
    months keeps the base's season and trend (`base_season`, `base_trend`) and its pairs'
    baselines are fitted against those. A pair with fewer than `min_pair_records` customers
    or `min_pair_months` months in its last regime is not fitted (the caller keeps the
    base's value). Every such decision is in `notes`.
    """
    ref = pd.Period(reference, freq="M")
    fit = DemandFit(reference)
    data = regime_table(counts, breaks)
    for provider, frame in data.groupby("provider_id", sort=True):
        records, months = frame["customers"].sum(), frame["month"].nunique()
        result = None
        if records >= min_provider_records and months >= min_provider_months:
            result = fit_provider(frame, ref)
        else:
            fit.notes.append(f"{provider}: season and trend kept from the base scenario — {records:.0f} customers over "
                             f"{quantity(months, 'month')} (a fit needs {min_provider_records} customers and "
                             f"{quantity(min_provider_months, 'month')})")
        if result is not None:
            fit.providers[str(provider)] = result[0]
        for point, pair in frame.groupby("point_id", sort=True):
            last = pair[pair["regime"] == pair["regime"].max()]
            n, m = float(last["customers"].sum()), int(last["month"].nunique())
            key = (str(point), str(provider))
            if n < min_pair_records or m < min_pair_months:
                fit.notes.append(f"{point}/{provider}: baseline kept from the base scenario — {n:.0f} customers over "
                                 f"{quantity(m, 'month')} since its last change (a fit needs {min_pair_records} "
                                 f"customers and {quantity(min_pair_months, 'month')})")
                continue
            if result is not None and key in result[1]:
                fit.pairs[key] = PairFit(*key, result[1][key], int(round(n)), m, "regression")
            else:
                periods = pd.PeriodIndex(last["month"], freq="M")
                expected = sum(base_season[provider][p.month - 1] * (1 + base_trend[provider]) ** ((p - ref).n / 12)
                               for p in periods)
                fit.pairs[key] = PairFit(*key, n / expected, int(round(n)), m, "base season and trend")
    return fit
