"""Reference vectors for overhang-trend, computed by statsmodels and scipy.

Run from this folder with `python3 gen_vectors.py > vectors.json`. The tests read the
committed vectors.json and never run Python. Every float is written as a JSON string holding
its repr(), which round-trips exactly: JSON readers are not all correctly rounded when they
turn decimal text into doubles, and Rust's `str::parse::<f64>` is.

Cases:
- `line`: OLS and WLS of y on x with a constant (statsmodels OLS / WLS): parameters, standard
  errors, R^2, residual degrees of freedom, the 90% interval of the slope (conf_int(0.10)) and
  the hat values of the OLS fit (get_influence().hat_matrix_diag).
- `pooled`: one common slope and one intercept per group (statsmodels OLS / WLS on group
  dummies plus x, no separate constant).
- `theil_sen`: scipy.stats.theilslopes(y, x, alpha=0.90, method="separate").
"""

import json
import sys

import numpy as np
import scipy
import scipy.stats
import statsmodels
import statsmodels.api as sm

rng = np.random.default_rng(20240917)


def decimal_years(n, start, span):
    # Whole days since `start`, as evidence dates are.
    days = np.sort(rng.integers(0, int(span * 365), size=n))
    return start + days / 365.0


def line_case(name, x, y, w):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    w = np.asarray(w, float)
    X = sm.add_constant(x, has_constant="add")
    ols = sm.OLS(y, X).fit()
    wls = sm.WLS(y, X, weights=w).fit()

    def summary(res):
        ci = res.conf_int(alpha=0.10)
        return {
            "intercept": float(res.params[0]),
            "slope": float(res.params[1]),
            "intercept_se": float(res.bse[0]),
            "slope_se": float(res.bse[1]),
            "r2": float(res.rsquared),
            "df": float(res.df_resid),
            "slope_ci90": [float(ci[1][0]), float(ci[1][1])],
        }

    return {
        "name": name,
        "x": x.tolist(),
        "y": y.tolist(),
        "w": w.tolist(),
        "ols": summary(ols),
        "wls": summary(wls),
        "hat": ols.get_influence().hat_matrix_diag.tolist(),
    }


def pooled_case(name, groups):
    xs, ys, ws, dummies = [], [], [], []
    k = len(groups)
    for i, g in enumerate(groups):
        for xv, yv, wv in zip(g["x"], g["y"], g["w"]):
            row = [0.0] * k
            row[i] = 1.0
            dummies.append(row)
            xs.append(xv)
            ys.append(yv)
            ws.append(wv)
    X = np.column_stack([np.array(dummies), np.array(xs)])
    y = np.array(ys)
    ols = sm.OLS(y, X).fit()
    wls = sm.WLS(y, X, weights=np.array(ws)).fit()
    ci = ols.conf_int(alpha=0.10)
    return {
        "name": name,
        "groups": [
            {"id": g["id"], "x": list(map(float, g["x"])), "y": list(map(float, g["y"])),
             "w": list(map(float, g["w"]))}
            for g in groups
        ],
        "slope": float(ols.params[k]),
        "slope_se": float(ols.bse[k]),
        "slope_ci90": [float(ci[k][0]), float(ci[k][1])],
        "intercepts": [float(v) for v in ols.params[:k]],
        "r2": float(ols.rsquared),
        "df": float(ols.df_resid),
        "wls_slope": float(wls.params[k]),
        "wls_slope_se": float(wls.bse[k]),
    }


def theil_case(name, x, y):
    res = scipy.stats.theilslopes(y, x, alpha=0.90, method="separate")
    return {
        "name": name,
        "x": list(map(float, x)),
        "y": list(map(float, y)),
        "slope": float(res.slope),
        "intercept": float(res.intercept),
        "low": float(res.low_slope),
        "high": float(res.high_slope),
    }


line_cases = []
# A small evidence-like set: log10 CEG rising about 0.2 OOM a year.
x = decimal_years(6, 2019.0, 6)
y = 0.5 + 0.2 * (x - 2019.0) + rng.normal(0, 0.25, size=x.size)
w = 1.0 / rng.uniform(0.05, 0.6, size=x.size) ** 2
line_cases.append(line_case("six_rows", x, y, w))
# Three rows: one residual degree of freedom.
x = np.array([2021.0 + 45 / 365, 2022.0 + 200 / 365, 2024.0 + 10 / 366])
y = np.log10([3.0, 8.0, 11.0])
line_cases.append(line_case("three_rows", x, y, [4.0, 1.0, 9.0]))
# Falling trend with repeated dates.
x = np.array([2020.5, 2020.5, 2021.25, 2022.0, 2022.0, 2023.75, 2024.5])
y = np.array([1.3, 1.1, 1.0, 0.7, 0.9, 0.4, 0.35])
line_cases.append(line_case("falling_with_ties", x, y, [1, 2, 3, 4, 5, 6, 7]))
# Many rows over a long span, weights spanning two orders of magnitude.
x = decimal_years(60, 2012.0, 13)
y = -0.3 + 0.15 * (x - 2012.0) + rng.standard_t(4, size=x.size) * 0.3
w = 1.0 / rng.uniform(0.03, 0.5, size=x.size) ** 2
line_cases.append(line_case("sixty_rows", x, y, w))

pooled_cases = []
groups = []
for gid, level, n in [("prompting", 0.4, 5), ("scaffolding", 0.9, 7), ("tool_use", 0.6, 4)]:
    gx = decimal_years(n, 2020.0, 5)
    gy = level + 0.18 * (gx - 2020.0) + rng.normal(0, 0.2, size=n)
    gw = 1.0 / rng.uniform(0.05, 0.5, size=n) ** 2
    groups.append({"id": gid, "x": gx, "y": gy, "w": gw})
pooled_cases.append(pooled_case("three_groups", groups))
groups = [
    {"id": "a", "x": [2020.0, 2021.0, 2022.5], "y": [0.2, 0.5, 0.55], "w": [1.0, 2.0, 1.0]},
    {"id": "b", "x": [2021.5, 2023.0], "y": [1.0, 1.4], "w": [3.0, 0.5]},
]
pooled_cases.append(pooled_case("two_small_groups", groups))

theil_cases = []
x = decimal_years(12, 2018.0, 7)
y = 0.2 * (x - 2018.0) + rng.normal(0, 0.3, size=x.size)
y[3] += 2.0  # an outlier the robust slope should shrug off
theil_cases.append(theil_case("twelve_with_outlier", x, y))
theil_cases.append(theil_case("ties_in_x_and_y",
                              [2020.5, 2020.5, 2021.0, 2021.0, 2022.0, 2023.0, 2023.0, 2024.0],
                              [0.5, 0.7, 0.7, 0.9, 0.7, 1.2, 1.0, 1.1]))
theil_cases.append(theil_case("three_rows", [2021.0, 2022.0, 2024.0], [0.3, 0.9, 1.0]))
x = decimal_years(40, 2010.0, 15)
y = 1.0 - 0.05 * (x - 2010.0) + rng.normal(0, 0.2, size=x.size)
theil_cases.append(theil_case("forty_falling", x, y))

def exact(obj):
    """Floats as repr strings, recursively."""
    if isinstance(obj, float):
        return repr(obj)
    if isinstance(obj, dict):
        return {k: exact(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [exact(v) for v in obj]
    return obj


json.dump(
    exact({
        "generator": "gen_vectors.py",
        "versions": {
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
        },
        "line": line_cases,
        "pooled": pooled_cases,
        "theil_sen": theil_cases,
    }),
    sys.stdout,
    indent=1,
)
sys.stdout.write("\n")
