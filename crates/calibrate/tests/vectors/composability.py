"""Reference vectors for kappa learned from measured combinations (overhang-calibrate),
computed with numpy and scipy from the method as documented, not from the Rust.

Run from this folder with `python3 composability.py > composability.json`. The tests read the
committed composability.json and never run Python. Floats are written as JSON strings holding
their repr(), which round-trips exactly.

The method (docs/model.md, "Learning kappa and pairs"): a combination row has
a joint CEG J and component CEGs c_i. Levels l_i = max(log10 c_i, 0); largest-first predicts
rule(kappa) = max_i l_i + kappa * (sum_i l_i - max_i l_i). Each row's likelihood is
log10 J ~ Normal(rule(kappa), sd); the prior of kappa is the assessment's estimate. With an
uncertain sd, the likelihood of all rows together is integrated over the sd's distribution.
The posterior here is computed on a fine grid of kappa with the prior's density (scipy.stats),
normalised by the trapezoid rule; mean and sd by the trapezoid rule, quantiles by inverting the
cumulative trapezoid integral.

Estimates: `uniform(a, b)`, `beta(a, b)`, `triangular(low, mode, high)`, a point, and
`low to high`, a lognormal with its 5th and 95th percentiles at the bounds.
"""

import json

import numpy as np
from scipy import integrate, stats

Z95 = stats.norm.ppf(0.95)


def dist(kind, params):
    if kind == "uniform":
        a, b = params
        return stats.uniform(loc=a, scale=b - a)
    if kind == "beta":
        return stats.beta(*params)
    if kind == "triangular":
        low, mode, high = params
        return stats.triang(c=(mode - low) / (high - low), loc=low, scale=high - low)
    if kind == "interval":
        low, high = params
        mu = (np.log(low) + np.log(high)) / 2
        sigma = (np.log(high) - np.log(low)) / (2 * Z95)
        return stats.lognorm(s=sigma, scale=np.exp(mu))
    raise ValueError(kind)


def rule_parts(parts):
    levels = np.maximum(np.log10(parts), 0.0)
    top = levels.max()
    return top, levels.sum() - top


def likelihood(kappa, rows, sd):
    """The likelihood of every row at each kappa of the grid for one sd."""
    out = np.ones_like(kappa)
    for joint, parts in rows:
        top, rest = rule_parts(np.array(parts, dtype=float))
        out = out * stats.norm.pdf(np.log10(joint), loc=top + kappa * rest, scale=sd)
    return out


def posterior(case):
    prior = dist(case["prior"]["kind"], case["prior"]["params"])
    lo, hi = prior.support()
    lo, hi = max(lo, 0.0), min(hi, 1.0)
    kappa = np.linspace(lo, hi, 400_001)
    rows = [(r["joint"], r["parts"]) for r in case["rows"]]
    sd = case["sd"]
    if sd["kind"] == "point":
        like = likelihood(kappa, rows, sd["params"][0])
    else:
        sdd = dist(sd["kind"], sd["params"])
        # Integrate over sd on a fine grid of its quantiles' range, by its density.
        s = np.linspace(sdd.ppf(1e-9), sdd.ppf(1 - 1e-9), 4001)
        w = sdd.pdf(s)
        like = np.zeros_like(kappa)
        for si, wi in zip(s, w):
            like += wi * likelihood(kappa, rows, si)
        like *= s[1] - s[0]
    dens = prior.pdf(kappa) * like
    dens /= integrate.trapezoid(dens, kappa)
    mean = integrate.trapezoid(kappa * dens, kappa)
    var = integrate.trapezoid((kappa - mean) ** 2 * dens, kappa)
    cdf = integrate.cumulative_trapezoid(dens, kappa, initial=0.0)
    cdf /= cdf[-1]
    q = lambda p: float(np.interp(p, cdf, kappa))
    return {"mean": mean, "sd": np.sqrt(var), "p5": q(0.05), "p50": q(0.5), "p95": q(0.95)}


CASES = [
    {
        "name": "two pairs of 10x measured together at 10^1.5 (a worked example)",
        "prior": {"kind": "uniform", "params": [0.0, 1.0], "text": "uniform(0, 1)"},
        "sd": {"kind": "point", "params": [0.1], "text": "0.1"},
        "rows": [{"joint": 10**1.5, "parts": [10.0, 10.0]}] * 2,
    },
    {
        "name": "beta prior, three combinations of two and three parts",
        "prior": {"kind": "beta", "params": [2.0, 5.0], "text": "beta(2, 5)"},
        "sd": {"kind": "point", "params": [0.15], "text": "0.15"},
        "rows": [
            {"joint": 20.0, "parts": [5.0, 8.0]},
            {"joint": 50.0, "parts": [10.0, 3.0, 4.0]},
            {"joint": 3.0, "parts": [2.5, 2.0]},
        ],
    },
    {
        "name": "uniform(0.2, 0.7) prior, an uncertain sd, a component below 1x",
        "prior": {"kind": "uniform", "params": [0.2, 0.7], "text": "uniform(0.2, 0.7)"},
        "sd": {"kind": "interval", "params": [0.05, 0.3], "text": "0.05 to 0.3"},
        "rows": [
            {"joint": 2.85, "parts": [2.64, 1.12]},
            {"joint": 40.0, "parts": [10.0, 6.0]},
            {"joint": 5.0, "parts": [4.0, 0.8, 3.0]},
        ],
    },
    {
        "name": "triangular prior, a super-additive combination (implied kappa 1.3)",
        "prior": {"kind": "triangular", "params": [0.0, 0.3, 1.0], "text": "triangular(0, 0.3, 1)"},
        "sd": {"kind": "point", "params": [0.2], "text": "0.2"},
        "rows": [{"joint": 10**3.3, "parts": [100.0, 10.0]}],
    },
]


def main():
    out = []
    for case in CASES:
        post = posterior(case)
        out.append(
            {
                "name": case["name"],
                "prior": case["prior"]["text"],
                "sd": case["sd"]["text"],
                "rows": [
                    {"joint": repr(float(r["joint"])), "parts": [repr(float(p)) for p in r["parts"]]}
                    for r in case["rows"]
                ],
                "posterior": {k: repr(float(v)) for k, v in post.items()},
            }
        )
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
