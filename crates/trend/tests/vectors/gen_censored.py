"""Reference vectors for the censored-normal (Tobit) line fit of overhang-trend, computed by
scipy.optimize from the likelihood as written below.

Run from this folder with `python3 gen_censored.py > censored.json`. The tests read the
committed censored.json and never run Python. Floats are written as JSON strings holding their
repr(), which round-trips exactly.

The model: y_i = a + b x_i + sigma e_i, e_i standard normal. A row is exact ("none": y_i
observed), a lower bound ("lower": y_i >= c_i) or an upper bound ("upper": y_i <= c_i). The
log-likelihood is

    sum_exact log norm.pdf((y_i - mu_i) / sigma) - log sigma
  + sum_lower log norm.sf((c_i - mu_i) / sigma)
  + sum_upper log norm.cdf((c_i - mu_i) / sigma),     mu_i = a + b x_i.

It is maximised over (a_c, b, log sigma), a_c the value of the line at the mean of x (centring
keeps the problem well conditioned for x near 2020), by Nelder-Mead from the OLS fit of all
rows, polished by BFGS. Standard errors come from the observed information: the inverse of the
negative Hessian of the log-likelihood in (a_c, b, sigma) at the maximum, computed numerically
by scipy.differentiate.hessian (finite differences with Richardson extrapolation); the
intercept at year 0 is a = a_c - b * mean(x), with its variance from the same matrix.
"""

import json
import sys

import numpy as np
import scipy
from scipy import optimize, stats
from scipy.differentiate import hessian

rng = np.random.default_rng(20250611)


def loglik(params, x, y, kind):
    a_c, b, sigma = params[0], params[1], params[2]
    mu = a_c + b * (x - x.mean())
    z = (y - mu) / sigma
    exact = kind == "none"
    lower = kind == "lower"
    upper = kind == "upper"
    return (
        np.sum(stats.norm.logpdf(z[exact]) - np.log(sigma))
        + np.sum(stats.norm.logsf(z[lower]))
        + np.sum(stats.norm.logcdf(z[upper]))
    )


def fit(x, y, kind):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    kind = np.asarray(kind)
    u = x - x.mean()
    b0 = np.sum(u * (y - y.mean())) / np.sum(u * u)
    s0 = max(np.sqrt(np.mean((y - y.mean() - b0 * u) ** 2)), 0.05)
    start = np.array([y.mean(), b0, np.log(s0)])

    def negll(p):
        return -loglik([p[0], p[1], np.exp(p[2])], x, y, kind)

    nm = optimize.minimize(negll, start, method="Nelder-Mead",
                           options={"xatol": 1e-13, "fatol": 1e-15, "maxiter": 200000,
                                    "maxfev": 400000})
    bfgs = optimize.minimize(negll, nm.x, method="BFGS", options={"gtol": 1e-11})
    best = bfgs.x if bfgs.fun <= nm.fun else nm.x
    a_c, b, sigma = best[0], best[1], float(np.exp(best[2]))
    theta = np.array([a_c, b, sigma])

    def f(p):
        # scipy.differentiate passes arrays of shape (3, ...); evaluate elementwise.
        p = np.asarray(p)
        out = np.empty(p.shape[1:])
        for idx in np.ndindex(*p.shape[1:]):
            out[idx] = loglik(p[(slice(None),) + idx], x, y, kind)
        return out

    res = hessian(f, theta, initial_step=0.02, tolerances={"rtol": 1e-10, "atol": 1e-6})
    # Off-diagonal terms near zero converge in absolute terms only; every entry must be known
    # to well below the tolerances of the tests.
    assert np.max(res.error) < 1e-5 * np.max(np.abs(res.ddf)), res
    h = res.ddf
    cov = np.linalg.inv(-h)
    xbar = x.mean()
    intercept = a_c - b * xbar
    var_a = cov[0, 0] + xbar ** 2 * cov[1, 1] - 2 * xbar * cov[0, 1]
    return {
        "slope": float(b),
        "intercept": float(intercept),
        "sigma": sigma,
        "slope_se": float(np.sqrt(cov[1, 1])),
        "intercept_se": float(np.sqrt(var_a)),
        "sigma_se": float(np.sqrt(cov[2, 2])),
        "log_likelihood": float(loglik(theta, x, y, kind)),
    }


def case(name, x, y, kind):
    out = {"name": name, "x": [float(v) for v in x], "y": [float(v) for v in y],
           "censoring": list(kind)}
    out.update(fit(x, y, kind))
    return out


def decimal_years(n, start, span):
    days = np.sort(rng.integers(0, int(span * 365), size=n))
    return start + days / 365.0


cases = []

# Exact rows only: the slope is OLS's, sigma the ML sqrt(SSR/n).
x = decimal_years(8, 2019.0, 6)
y = 0.4 + 0.2 * (x - 2019.0) + rng.normal(0, 0.25, size=x.size)
cases.append(case("exact_only", x, y, ["none"] * x.size))

# Lower bounds: small enhanced models that beat the largest plain one.
x = decimal_years(12, 2020.0, 5)
truth = 0.6 + 0.25 * (x - 2020.0) + rng.normal(0, 0.3, size=x.size)
kind = np.array(["none"] * x.size, dtype=object)
y = truth.copy()
for i in [2, 5, 9]:
    kind[i] = "lower"
    y[i] = truth[i] - 0.4  # the bound sits below the true value
cases.append(case("three_lower_bounds", x, y, list(kind)))

# Both kinds of bound.
x = decimal_years(15, 2018.0, 7)
truth = 0.3 + 0.15 * (x - 2018.0) + rng.normal(0, 0.35, size=x.size)
kind = np.array(["none"] * x.size, dtype=object)
y = truth.copy()
for i in [1, 4, 11, 13]:
    kind[i] = "lower"
    y[i] = truth[i] - 0.3
for i in [3, 8]:
    kind[i] = "upper"
    y[i] = truth[i] + 0.2
cases.append(case("lower_and_upper", x, y, list(kind)))

# Evidence-like: CEGs of 2 to 700 with several ">= x" rows, half of them censored.
x = np.array([2021.55, 2022.04, 2022.04, 2022.04, 2022.46, 2022.79, 2022.79, 2023.12,
              2023.37, 2023.71, 2024.62, 2024.79, 2024.96, 2025.12])
ceg = np.array([30, 8.7, 13, 2, 30, 3, 8.7, 21, 700, 10, 14, 4.9, 23, 135])
kind = ["none", "lower", "none", "lower", "none", "none", "lower", "lower", "lower", "lower",
        "lower", "lower", "lower", "lower"]
cases.append(case("evidence_like", x, np.log10(ceg), kind))

# Few rows, one of them a bound.
cases.append(case("four_rows_one_bound", [2021.0, 2022.0, 2023.0, 2024.0],
                  [0.3, 0.5, 0.4, 0.9], ["none", "none", "upper", "none"]))


def exact(obj):
    if isinstance(obj, float):
        return repr(obj)
    if isinstance(obj, dict):
        return {k: exact(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [exact(v) for v in obj]
    return obj


json.dump(
    exact({
        "generator": "gen_censored.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
        "censored": cases,
    }),
    sys.stdout,
    indent=1,
)
sys.stdout.write("\n")
