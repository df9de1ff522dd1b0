#!/usr/bin/env python3
"""Reference values for the dependence, growth-shape and frozen-category parts of the model of
overhang-compose, computed from the method as documented (docs/model.md, "Dependence", "Growth
shape and ceiling" and "Frozen categories").

Run from this folder: `python3 gen_dependence.py` writes dependence.json next to it. The Rust
tests read the committed JSON and never run Python. Every float is written with `repr`.

The model, as documented (all in log10, one Monte Carlo draw):
- an estimate `a to b` with 0 < a < b is lognormal with its 5th and 95th percentiles at a, b;
  so A = log10 X is normal with mean (log10 a + log10 b) / 2 and sd (log10 b - log10 a) / (2 z95);
- a category's level is L(t) = max(0, min(A + g t, K)) with linear growth, and with
  saturating growth L(t) = max(0, A' + (K - A')(1 - exp(-t / tau))), A' = min(A, K);
- the evaluation captured E' = max(0, min(E, L(0))); the uplift is U = max(0, Agg(L) - Agg(E'));
  multiplicative aggregation is the sum of the levels; an aggregate ceiling C replaces each
  aggregate by min(Agg, C);
- dependence is a Gaussian copula: the available CEGs of any two categories have normal scores
  with correlation rho (one common factor); a category's elicited CEG has correlation r with its
  available CEG.

Sections:
- copula_sum: two categories, each available "2 to 20", elicited 1, no growth, multiplicative:
  the quantiles of 10^(L1 + L2) for several rho, by numerical integration of the bivariate
  normal with each level clamped at 0 (rho = 1: L1 = L2, exactly); the check values are
  p95 = 204x at rho = 0 and 400x at rho = 1, median 40x;
- available_elicited: one category, available and elicited both "2 to 20", no growth: the
  quantiles of 10^U(0) for several r, by numerical integration;
- saturating: a category at 10x (a point) growing towards a 1000x cap with tau = 2 years, its
  multiplier at several months (at 24 months 10^(1 + 2(1 - e^-1)) = 183.8x); and the quantiles
  of 10^U(t) for an available "2 to 20" (elicited 1), which are the level at the quantiles of A
  because the level increases with A;
- ceiling: the copula_sum case at rho = 0 with a ceiling of 100x on the aggregate.
"""

import json
import math
from pathlib import Path

import numpy as np
from scipy import integrate, optimize, stats

Z95 = stats.norm.ppf(0.95)
PROBS = [0.05, 0.25, 0.5, 0.75, 0.95]


def lognormal_log10(lo, hi):
    """Mean and sd of log10 X for X lognormal with 5th/95th percentiles lo, hi."""
    a, b = math.log10(lo), math.log10(hi)
    return (a + b) / 2.0, (b - a) / (2.0 * Z95)


MU, SD = lognormal_log10(2.0, 20.0)


def quantile_from_cdf(cdf, p, lo, hi):
    return optimize.brentq(lambda x: cdf(x) - p, lo, hi, xtol=1e-13, rtol=1e-13)


def copula_sum_cdf(x, rho):
    """P(max(L1, 0) + max(L2, 0) <= x), (L1, L2) bivariate normal (MU, SD) with correlation rho."""
    if x < 0:
        return 0.0
    cond_sd = SD * math.sqrt(1.0 - rho * rho)

    def given(l1):
        # L1 = l1; the clamped level of category 1, then the room left for category 2.
        room = x - max(l1, 0.0)
        if room < 0:
            return 0.0
        mean2 = MU + rho * (l1 - MU)
        # max(L2, 0) <= room  <=>  L2 <= room (room >= 0).
        return stats.norm.cdf(room, mean2, cond_sd)

    f = lambda l1: given(l1) * stats.norm.pdf(l1, MU, SD)
    lo, hi = MU - 12 * SD, MU + 12 * SD
    points = sorted({0.0, x} & {v for v in (0.0, x) if lo < v < hi})
    value, _ = integrate.quad(f, lo, hi, points=points or None, limit=400, epsabs=1e-14)
    return value


def copula_sum_quantiles(rho):
    if rho == 1.0:
        # L1 = L2: the sum is 2 max(L, 0), an increasing function of L.
        return [10 ** (2 * max(MU + SD * stats.norm.ppf(p), 0.0)) for p in PROBS]
    return [
        10 ** quantile_from_cdf(lambda x: copula_sum_cdf(x, rho), p, 0.0, 2 * MU + 20 * SD)
        for p in PROBS
    ]


def uplift_cdf(x, r):
    """P(U <= x) with U = max(A, 0) - max(min(E, A), 0), (A, E) bivariate normal, correlation r."""
    if x < 0:
        return 0.0
    cond_sd = SD * math.sqrt(max(1.0 - r * r, 0.0))

    def given(a):
        if a <= x:
            return 1.0
        # U <= x  <=>  max(min(E, a), 0) >= a - x > 0  <=>  E >= a - x.
        mean_e = MU + r * (a - MU)
        if cond_sd == 0.0:
            return 1.0 if mean_e >= a - x else 0.0
        return stats.norm.sf(a - x, mean_e, cond_sd)

    f = lambda a: given(a) * stats.norm.pdf(a, MU, SD)
    lo, hi = MU - 12 * SD, MU + 12 * SD
    value, _ = integrate.quad(f, lo, hi, points=[x] if lo < x < hi else None, limit=400,
                              epsabs=1e-14)
    return value


def uplift_quantiles(r):
    if r == 1.0:
        return [1.0] * len(PROBS)
    out = []
    for p in PROBS:
        if uplift_cdf(0.0, r) >= p:
            out.append(1.0)
        else:
            out.append(10 ** quantile_from_cdf(lambda x: uplift_cdf(x, r), p, 0.0, 20 * SD))
    return out


def saturating_level(a, k, tau, years):
    a = min(a, k)
    return max(a + (k - a) * (1.0 - math.exp(-years / tau)), 0.0)


def main():
    rhos = [0.0, 0.25, 0.5, 0.75, 1.0]
    copula = [{"rho": rho, "quantiles": copula_sum_quantiles(rho)} for rho in rhos]
    rs = [0.0, 0.5, 0.9, 1.0]
    ae = [{"r": r, "quantiles": uplift_quantiles(r), "p_no_uplift": uplift_cdf(0.0, r)}
          for r in rs]
    months = [0, 12, 24, 36, 60]
    point = {
        "available": 10.0,
        "cap": 1000.0,
        "tau": 2.0,
        "months": months,
        "multiplier": [10 ** saturating_level(1.0, 3.0, 2.0, m / 12.0) for m in months],
    }
    spread = {
        "available": "2 to 20",
        "cap": 1000.0,
        "tau": 2.0,
        "months": months,
        "quantiles": [
            [10 ** saturating_level(MU + SD * stats.norm.ppf(p), 3.0, 2.0, m / 12.0)
             for p in PROBS]
            for m in months
        ],
    }
    ceiling = 100.0
    ceiling_quantiles = [min(q, ceiling) for q in copula_sum_quantiles(0.0)]
    out = {
        "probs": PROBS,
        "copula_sum": copula,
        "available_elicited": ae,
        "saturating_point": point,
        "saturating_spread": spread,
        "ceiling": {"ceiling": ceiling, "quantiles": ceiling_quantiles},
    }
    path = Path(__file__).with_name("dependence.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
