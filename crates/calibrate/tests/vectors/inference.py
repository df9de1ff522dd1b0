"""Reference posteriors of a category's level at release and growth (overhang-calibrate's
inference), computed with numpy and scipy from the model as stated, not from the Rust.

Run from this folder with `python3 inference.py > inference.json`. The tests read the committed
inference.json and never run Python. Floats are written as JSON strings holding their repr().

The model, in log10: the level at time t (years from release) is a + g t. Prior of a: the
category's `available` estimate, a multiplier; "lo to hi" with 0 < lo is lognormal with its 5th
and 95th percentiles at the bounds, so a is normal in log10. Prior of g: the `growth` estimate
as written: "lo to hi" is lognormal in OOM/year when 0 < lo, normal otherwise; normal(m, s) is
normal. A row i of study s and estimand e reads y_i = a + g t_i + d_e + u_s + e_i with
d_e ~ Normal (the estimand's transfer: base "1 to 10" is lognormal in the multiplier, so normal
in log10; the others 0), shared by all rows of that estimand; u_s ~ Normal(0, tau^2) shared by
the rows of a study (an empty study id is a study of its own); e_i ~ Normal(0, sigma_i^2). A
bound y_i >= b contributes P(level_i >= b) = 1 - Phi((b - mean_i) / sigma_i) given d and u,
y_i <= b contributes Phi((b - mean_i) / sigma_i).

Method (deliberately not the Rust's): a fixed rectangular grid over (a, g) laid in two passes
(a wide pass to find the posterior, then 241 x 241 nodes over its mean +- 8 sd), the prior
densities from scipy.stats, the study effects integrated by plain (non-adaptive) 60-node
Gauss-Hermite quadrature on their prior, the transfer offset by plain 40-node Gauss-Hermite on
its prior; the posterior normalised and summarised by the trapezoid rule, quantiles by linear
interpolation of the cumulative trapezoid integral of each marginal.
"""

import json
import math

import numpy as np
from scipy import stats
from scipy.special import logsumexp, log_ndtr

Z95 = stats.norm.ppf(0.95)


def prior_available(text):
    lo, hi = [float(v) for v in text.split(" to ")]
    return stats.norm(
        (math.log10(lo) + math.log10(hi)) / 2, (math.log10(hi) - math.log10(lo)) / (2 * Z95)
    )


def prior_growth(text):
    if text.startswith("normal("):
        m, s = [float(v) for v in text[len("normal(") : -1].split(",")]
        return stats.norm(m, s)
    lo, hi = [float(v) for v in text.split(" to ")]
    if lo > 0:
        mu, sigma = (math.log(lo) + math.log(hi)) / 2, (math.log(hi) - math.log(lo)) / (2 * Z95)
        return stats.lognorm(s=sigma, scale=math.exp(mu))
    return stats.norm((lo + hi) / 2, (hi - lo) / (2 * Z95))


def transfer(text):
    if " to " not in text:
        return math.log10(float(text)), 0.0
    lo, hi = [float(v) for v in text.split(" to ")]
    return (math.log10(lo) + math.log10(hi)) / 2, (math.log10(hi) - math.log10(lo)) / (2 * Z95)


def row_logpdf(kind, y, mean, sigma):
    z = (y - mean) / sigma
    if kind == "exact":
        return stats.norm.logpdf(z) - math.log(sigma)
    if kind == "at_least":
        return log_ndtr(-z)
    return log_ndtr(z)


def log_posterior(case, A, G):
    pa, pg = prior_available(case["available"]), prior_growth(case["growth"])
    with np.errstate(divide="ignore"):
        lp = pa.logpdf(A) + pg.logpdf(G)
    tau = case["study_sd"]
    offsets = {e: transfer(t) for e, t in case["transfer"].items()}
    studies = {}
    for k, r in enumerate(case["rows"]):
        studies.setdefault(r["study"] or f"#{k}", []).append(r)
    un, uw = np.polynomial.hermite_e.hermegauss(60)
    uw = uw / math.sqrt(2 * math.pi)
    dn, dw = np.polynomial.hermite_e.hermegauss(40)
    dw = dw / math.sqrt(2 * math.pi)
    uncertain = sorted({r["estimand"] for r in case["rows"] if offsets[r["estimand"]][1] > 0})
    assert len(uncertain) <= 1, "one uncertain transfer at most in these cases"
    d_nodes = [(0.0, 0.0)] if not uncertain else list(zip(dn, np.log(dw)))
    terms = []
    for x, log_w in d_nodes:
        d = {e: m + (s * x if e in uncertain else 0.0) for e, (m, s) in offsets.items()}
        total = log_w
        for rows in studies.values():
            per_node = []
            for u in (un * tau if tau > 0 else [0.0]):
                s = 0.0
                for r in rows:
                    mean = A + G * r["years"] + d[r["estimand"]] + u
                    s = s + row_logpdf(r["kind"], r["y"], mean, r["sigma"])
                per_node.append(s)
            if tau > 0:
                total = total + logsumexp(np.array(per_node) + np.log(uw)[:, None, None], axis=0)
            else:
                total = total + per_node[0]
        terms.append(total)
    return lp + logsumexp(np.array(terms), axis=0)


def summarise(xs, w):
    """Mean, sd and p5/p50/p95 of a marginal density tabulated at equally spaced xs."""
    total = np.trapezoid(w, xs)
    f = w / total
    mean = np.trapezoid(f * xs, xs)
    sd = math.sqrt(np.trapezoid(f * (xs - mean) ** 2, xs))
    cdf = np.concatenate([[0.0], np.cumsum((f[1:] + f[:-1]) / 2 * np.diff(xs))])
    q = [float(np.interp(p, cdf, xs)) for p in (0.05, 0.5, 0.95)]
    return {"p5": q[0], "p50": q[1], "p95": q[2], "mean": mean, "sd": sd}


def solve(case, a_range, g_range, n):
    a = np.linspace(*a_range, n)
    g = np.linspace(*g_range, n)
    A, G = np.meshgrid(a, g, indexing="ij")
    lp = log_posterior(case, A, G)
    w = np.exp(lp - lp.max())
    wa = np.trapezoid(w, g, axis=1)
    wg = np.trapezoid(w, a, axis=0)
    sa, sg = summarise(a, wa), summarise(g, wg)
    total = np.trapezoid(wa, a)
    cov = np.trapezoid(np.trapezoid(w * (A - sa["mean"]) * (G - sg["mean"]), g, axis=1), a) / total
    return sa, sg, cov / (sa["sd"] * sg["sd"])


CASES = [
    {
        "name": "exact rows in two studies and two of their own",
        "available": "3 to 300",
        "growth": "0.1 to 0.6",
        "study_sd": 0.25,
        "transfer": {"base": "1 to 10", "post_trained": "1", "versus_pte": "1"},
        "rows": [
            {"kind": "exact", "y": 1.9, "years": -1.0, "study": "A", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "exact", "y": 2.2, "years": -0.4, "study": "A", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "exact", "y": 2.6, "years": -0.2, "study": "B", "estimand": "post_trained", "sigma": 0.5},
            {"kind": "exact", "y": 1.5, "years": -2.0, "study": "", "estimand": "versus_pte", "sigma": 0.3},
            {"kind": "exact", "y": 1.2, "years": -2.5, "study": "", "estimand": "post_trained", "sigma": 0.5},
        ],
    },
    {
        "name": "bounds beside exact rows, growth a normal",
        "available": "3 to 300",
        "growth": "-0.1 to 0.5",
        "study_sd": 0.25,
        "transfer": {"base": "1 to 10", "post_trained": "1", "versus_pte": "1"},
        "rows": [
            {"kind": "at_least", "y": 2.5, "years": -0.5, "study": "A", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "exact", "y": 2.0, "years": -1.0, "study": "A", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "at_most", "y": 1.0, "years": -3.0, "study": "", "estimand": "post_trained", "sigma": 0.5},
            {"kind": "exact", "y": 1.8, "years": -0.7, "study": "", "estimand": "post_trained", "sigma": 0.3},
        ],
    },
    {
        "name": "base-model rows with an uncertain transfer",
        "available": "2 to 200",
        "growth": "0.2 to 0.8",
        "study_sd": 0.2,
        "transfer": {"base": "1 to 10", "post_trained": "1", "versus_pte": "1"},
        "rows": [
            {"kind": "exact", "y": 2.8, "years": -0.5, "study": "A", "estimand": "base", "sigma": 0.3},
            {"kind": "exact", "y": 2.1, "years": -0.6, "study": "A", "estimand": "post_trained", "sigma": 0.3},
            {"kind": "at_least", "y": 3.0, "years": -0.2, "study": "B", "estimand": "base", "sigma": 0.4},
            {"kind": "exact", "y": 1.7, "years": -1.5, "study": "", "estimand": "post_trained", "sigma": 0.3},
        ],
    },
]


def main():
    out = []
    for case in CASES:
        pa, pg = prior_available(case["available"]), prior_growth(case["growth"])
        a_range = (pa.ppf(1e-12) - 2, pa.ppf(1 - 1e-12) + 2)
        g_range = (max(pg.ppf(1e-12) - 1, pg.support()[0]), pg.ppf(1 - 1e-12) + 1)
        sa, sg, _ = solve(case, a_range, g_range, 161)
        a_range = (sa["mean"] - 8 * sa["sd"], sa["mean"] + 8 * sa["sd"])
        g_range = (max(sg["mean"] - 8 * sg["sd"], pg.support()[0]), sg["mean"] + 8 * sg["sd"])
        sa, sg, r = solve(case, a_range, g_range, 241)
        out.append(
            {
                **case,
                "posterior": {
                    "available": {k: repr(float(v)) for k, v in sa.items()},
                    "growth": {k: repr(float(v)) for k, v in sg.items()},
                    "correlation": repr(float(r)),
                },
            }
        )
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
