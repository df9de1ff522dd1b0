"""Reference backtests of the inference (overhang-calibrate's `infer::backtest`), computed with
numpy and scipy from the method as docs/inference.md states it, not from the Rust.

Run from this folder with `python3 backtest.py > backtest.json`. The tests read the committed
backtest.json and never run Python. Floats are written as JSON strings holding their repr().

The backtest fits the posterior of (a, g) on the rows dated before the cutoff (years < cutoff)
and predicts each row dated on or after it by the posterior predictive

    y_new = a + g t_i + d_e + u + e,

(a, g) from the posterior, d_e ~ Normal(mean_e, sd_e^2) the transfer offset of the row's
estimand as its prior states it, u ~ Normal(0, tau^2) a fresh study effect, e ~ Normal(0,
sigma_i^2). Given (a, g) that is a normal with mean a + g t_i + mean_e and variance
sd_e^2 + tau^2 + sigma_i^2, so the predictive is that normal integrated over the posterior.

Method (deliberately not the Rust's): the posterior density of inference.py (a fixed grid laid
in two passes, 241 x 241 nodes over the posterior's mean +- 8 sd, plain Gauss-Hermite over the
study effects and the transfer offset's prior); the predictive's CDF, density and tail
probabilities are 2-D trapezoid integrals of the normal's over that grid (the Rust mixes over
cell centres with cell masses); quantiles by Brent's method on the CDF (xtol 1e-13). Reported
per predicted row: the median, the 25th/75th and 5th/95th percentiles, the log score (ln of
the density at an exact value, of P(y_new >= b) or P(y_new <= b) for a bound) and the PIT (the
CDF at the value or bound).
"""

import json
import math

import numpy as np
from scipy import optimize, stats
from scipy.special import log_ndtr, logsumexp

from inference import log_posterior, prior_available, prior_growth, solve, transfer


def posterior_grid(case):
    """Nodes (a, g) and normalised trapezoid weights of the posterior given case["rows"]."""
    pa, pg = prior_available(case["available"]), prior_growth(case["growth"])
    a_range = (pa.ppf(1e-12) - 2, pa.ppf(1 - 1e-12) + 2)
    g_range = (max(pg.ppf(1e-12) - 1, pg.support()[0]), pg.ppf(1 - 1e-12) + 1)
    sa, sg, _ = solve(case, a_range, g_range, 161)
    n = 241
    a = np.linspace(sa["mean"] - 8 * sa["sd"], sa["mean"] + 8 * sa["sd"], n)
    g = np.linspace(max(sg["mean"] - 8 * sg["sd"], pg.support()[0]), sg["mean"] + 8 * sg["sd"], n)
    A, G = np.meshgrid(a, g, indexing="ij")
    lp = log_posterior(case, A, G)
    trap = np.ones(n)
    trap[0] = trap[-1] = 0.5
    w = np.exp(lp - lp.max()) * trap[:, None] * trap[None, :]
    w = w / w.sum()
    keep = w > 0
    return A[keep], G[keep], w[keep]


def predict(A, G, w, row, case):
    mean_d, sd_d = transfer(case["transfer"][row["estimand"]])
    s = math.sqrt(sd_d**2 + case["study_sd"] ** 2 + row["sigma"] ** 2)
    centres = A + G * row["years"] + mean_d
    log_w = np.log(w)

    def cdf(x):
        return float(np.sum(w * stats.norm.cdf((x - centres) / s)))

    def quantile(p):
        lo, hi = centres.min() - 12 * s, centres.max() + 12 * s
        return optimize.brentq(lambda x: cdf(x) - p, lo, hi, xtol=1e-13, rtol=1e-15)

    y = row["y"]
    if row["kind"] == "exact":
        log_score = logsumexp(log_w + stats.norm.logpdf((y - centres) / s)) - math.log(s)
    elif row["kind"] == "at_least":
        log_score = logsumexp(log_w + log_ndtr((centres - y) / s))
    else:
        log_score = logsumexp(log_w + log_ndtr((y - centres) / s))
    q = {p: quantile(p) for p in (0.05, 0.25, 0.5, 0.75, 0.95)}
    return {
        "median": q[0.5],
        "interval50": [q[0.25], q[0.75]],
        "interval90": [q[0.05], q[0.95]],
        "log_score": log_score,
        "pit": cdf(y),
        "sd": s,
    }


CASES = [
    {
        "name": "exact rows and bounds after the cutoff, growth lognormal",
        "available": "3 to 300",
        "growth": "0.1 to 0.6",
        "study_sd": 0.25,
        "cutoff_years": -0.5,
        "transfer": {"base": "1 to 10", "post_trained": "1", "versus_pte": "1"},
        "rows": [
            {"kind": "exact", "y": 1.9, "years": -1.0, "study": "A", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "exact", "y": 1.5, "years": -2.0, "study": "", "estimand": "versus_pte", "sigma": 0.3},
            {"kind": "exact", "y": 2.2, "years": -0.4, "study": "A", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "exact", "y": 1.2, "years": -2.5, "study": "", "estimand": "post_trained", "sigma": 0.5},
            {"kind": "exact", "y": 2.6, "years": -0.2, "study": "B", "estimand": "post_trained", "sigma": 0.5},
            {"kind": "at_least", "y": 2.5, "years": 0.3, "study": "C", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "at_most", "y": 2.0, "years": 0.5, "study": "", "estimand": "post_trained", "sigma": 0.3},
        ],
    },
    {
        "name": "base-model rows with the uncertain transfer, a bound, study_sd 0.2",
        "available": "2 to 200",
        "growth": "0.2 to 0.8",
        "study_sd": 0.2,
        "cutoff_years": -1.0,
        "transfer": {"base": "1 to 10", "post_trained": "1", "versus_pte": "1"},
        "rows": [
            {"kind": "exact", "y": 2.6, "years": -1.5, "study": "A", "estimand": "base", "sigma": 0.3},
            {"kind": "exact", "y": 2.0, "years": -1.6, "study": "A", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "at_least", "y": 2.7, "years": -1.2, "study": "B", "estimand": "base", "sigma": 0.4},
            {"kind": "exact", "y": 1.6, "years": -2.0, "study": "", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "exact", "y": 3.0, "years": -0.3, "study": "", "estimand": "base", "sigma": 0.3},
            {"kind": "exact", "y": 2.3, "years": 0.1, "study": "A", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "at_least", "y": 3.4, "years": 0.4, "study": "C", "estimand": "base", "sigma": 0.4},
            {"kind": "at_most", "y": 2.0, "years": 0.5, "study": "", "estimand": "post_trained", "sigma": 0.3},
        ],
    },
]


def main():
    out = []
    for case in CASES:
        fitted = [r for r in case["rows"] if r["years"] < case["cutoff_years"]]
        A, G, w = posterior_grid({**case, "rows": fitted})
        predictions = []
        for index, row in enumerate(case["rows"]):
            if row["years"] < case["cutoff_years"]:
                continue
            p = predict(A, G, w, row, case)
            predictions.append(
                {
                    "index": index,
                    **{
                        k: [repr(float(x)) for x in v] if isinstance(v, list) else repr(float(v))
                        for k, v in p.items()
                    },
                }
            )
        out.append({**case, "predictions": predictions})
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
