#!/usr/bin/env python3
"""Reference values for the quantile functions of overhang-model, computed with scipy.stats.

Run from this folder: `python3 gen_vectors.py` writes quantiles.json next to it. The Rust tests
read the committed JSON and never run Python. Every float is written with `repr`, which
round-trips exactly.

Sections:
- estimates: estimate texts in the estimate language with their quantiles at PROBS, plus the
  distribution's spread (sd, interval width) that bounds the absolute error of location-scale
  families near 0;
- interval90: `a to b` bounds with the lognormal (mu, sigma) or normal (mean, sd) they mean;
- norm_ppf, beta_ppf, beta_inc, student_t_ppf, student_t_cdf: the special functions.
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy import stats, special

PROBS = [
    1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 1 / 3, 0.4, 0.5,
    0.6, 2 / 3, 0.75, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999, 0.9999, 0.99999, 0.999999,
]

Z95 = stats.norm.ppf(0.95)


def lognormal_params(low, high):
    a, b = math.log(low), math.log(high)
    return (a + b) / 2, (b - a) / (2 * Z95)


def normal_params(low, high):
    return (low + high) / 2, (high - low) / (2 * Z95)


def parse_args(text):
    inside = text[text.index("(") + 1 : text.rindex(")")]
    return [float(x) for x in inside.split(",")]


def frozen(text):
    """The scipy distribution an estimate text stands for, and its spread."""
    if " to " in text:
        low, high = (float(x) for x in text.split(" to "))
        if low > 0:
            mu, sigma = lognormal_params(low, high)
            return stats.lognorm(s=sigma, scale=math.exp(mu)), high - low
        mean, sd = normal_params(low, high)
        return stats.norm(loc=mean, scale=sd), sd
    name = text[: text.index("(")]
    args = parse_args(text)
    if name == "normal":
        return stats.norm(loc=args[0], scale=args[1]), args[1]
    if name == "lognormal":
        return stats.lognorm(s=args[1], scale=math.exp(args[0])), 0.0
    if name == "uniform":
        return stats.uniform(loc=args[0], scale=args[1] - args[0]), args[1] - args[0]
    if name == "loguniform":
        return stats.loguniform(args[0], args[1]), 0.0
    if name == "beta":
        return stats.beta(args[0], args[1]), 0.0
    if name == "triangular":
        low, mode, high = args
        width = high - low
        return stats.triang(c=(mode - low) / width, loc=low, scale=width), width
    raise ValueError(text)


ESTIMATES = [
    "normal(0, 1)",
    "normal(-3.5, 0.2)",
    "normal(1000000, 25000)",
    "normal(0.02, 0.3)",
    "lognormal(0, 1)",
    "lognormal(2.3, 0.8)",
    "lognormal(-4, 2.5)",
    "lognormal(10, 0.01)",
    "uniform(0, 1)",
    "uniform(-2, 7.5)",
    "uniform(0.3, 0.9)",
    "uniform(1000, 1000.5)",
    "loguniform(1, 100)",
    "loguniform(0.001, 5)",
    "loguniform(2, 3)",
    "loguniform(1e-9, 1e9)",
    "beta(2, 5)",
    "beta(0.5, 0.5)",
    "beta(1, 1)",
    "beta(1, 3)",
    "beta(0.1, 3)",
    "beta(3, 0.1)",
    "beta(0.2, 0.05)",
    "beta(30, 70)",
    "beta(200, 3)",
    "beta(12.5, 12.5)",
    "triangular(0, 1, 4)",
    "triangular(-1, -1, 2)",
    "triangular(0.1, 0.9, 0.9)",
    "triangular(2, 3.7, 10)",
    "triangular(0.3, 0.5, 0.9)",
    "5 to 30",
    "2 to 20",
    "1.5 to 10",
    "0.001 to 1000",
    "1 to 1.01",
    "0.02 to 0.25",
    "-0.1 to 0.5",
    "0 to 1",
    "-30 to -5",
    "-1000 to 1000",
]

INTERVALS = [
    (5, 30), (2, 20), (1.5, 10), (0.001, 1000), (1, 1.01), (0.02, 0.25), (3, 300),
    (1e-6, 1e6), (-0.1, 0.5), (0, 1), (-30, -5), (-1000, 1000), (-1e-3, 1e-3),
]

BETA_PARAMS = [
    (0.1, 3), (3, 0.1), (0.2, 0.05), (0.5, 0.5), (0.5, 2), (1, 1), (1, 3), (2, 5), (5, 2),
    (2.5, 2.5), (7.5, 7.5), (30, 70), (200, 3), (100, 100),
]

T_DFS = [1, 1.5, 2, 3, 4, 5, 7, 10, 15, 30, 100, 1000]
T_POINTS = [
    -1e4, -318.3, -30, -5, -2.5, -1.96, -1, -0.5, -0.1, -1e-3, -1e-6, 0.0, 1e-6, 1e-3, 0.1,
    0.5, 1, 1.96, 2.5, 5, 30, 318.3, 1e4,
]
BETA_X = [1e-12, 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-6]


def main():
    out = {
        "generator": "gen_vectors.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "probs": PROBS,
        "estimates": [],
        "interval90": [],
        "norm_ppf": [],
        "beta_ppf": [],
        "beta_inc": [],
        "student_t_ppf": [],
        "student_t_cdf": [],
    }
    for text in ESTIMATES:
        dist, spread = frozen(text)
        out["estimates"].append(
            {"text": text, "spread": float(spread), "quantiles": [float(dist.ppf(p)) for p in PROBS]}
        )
    for low, high in INTERVALS:
        if low > 0:
            mu, sigma = lognormal_params(low, high)
            out["interval90"].append({"low": low, "high": high, "family": "lognormal", "mu": mu, "sigma": sigma})
        else:
            mean, sd = normal_params(low, high)
            out["interval90"].append({"low": low, "high": high, "family": "normal", "mean": mean, "sd": sd})
    for p in PROBS:
        out["norm_ppf"].append([p, float(special.ndtri(p))])
    for extra in [1e-300, 1e-100, 1e-20, 1e-12]:
        out["norm_ppf"].append([extra, float(special.ndtri(extra))])
    for a, b in BETA_PARAMS:
        for p in PROBS:
            out["beta_ppf"].append([p, float(a), float(b), float(stats.beta.ppf(p, a, b))])
        for x in BETA_X:
            out["beta_inc"].append([x, float(a), float(b), float(special.betainc(a, b, x))])
    for df in T_DFS:
        for p in PROBS:
            out["student_t_ppf"].append([p, float(df), float(stats.t.ppf(p, df))])
        for t in T_POINTS:
            out["student_t_cdf"].append([t, float(df), float(stats.t.cdf(t, df))])
    path = Path(__file__).with_name("quantiles.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
