"""Reference vectors for the pairwise composabilities learned from measured combinations
(overhang-calibrate, `learn_pairs`), computed with numpy and scipy from the method as
documented, not from the Rust.

Run from this folder with `python3 pairwise.py > pairwise.json`. The tests read the committed
pairwise.json and never run Python. Floats are written as JSON strings holding their repr(),
which round-trips exactly.

The method (docs/model.md, "Learning kappa and pairs"): the pairwise rule aggregates levels by
the Choquet integral with respect to the capacity mu(S) = max over i in S of
(1 + sum_{j in S, j != i} c_ij). A combination row of two components, in two different
categories a and b, has a joint CEG J and component CEGs c_a, c_b; with levels
l = max(log10 c, 0) its likelihood is log10 J ~ Normal(Choquet(l; c_ab), sd). Such rows inform
the pair (a, b) only; the prior of c_ab is the pair's estimate (listed, else pair_default).
Rows of three or more components, or with a CEG that leaves one level at 0 (the pair then
changes nothing), inform no pair. The Choquet integral is computed here from its definition for
any set of categories, not from a closed form. The posterior of each informed pair is computed
on a fine grid of c with the prior's density (scipy.stats), normalised by the trapezoid rule;
mean and sd by the trapezoid rule, quantiles by inverting the cumulative trapezoid integral.
An uncertain sd is integrated out by its density.
"""

import itertools
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


def capacity(members, c):
    """mu(S) of the pairwise rule; `c` maps frozenset({i, j}) to the pair's value (array)."""
    best = None
    for i in members:
        v = 1.0 + sum(c[frozenset((i, j))] for j in members if j != i)
        best = v if best is None else np.maximum(best, v)
    return best


def choquet(levels, c):
    """sum_k (L_(k) - L_(k+1)) mu(A_k), levels a dict category -> level (>= 0)."""
    order = sorted(levels, key=lambda k: -levels[k])
    total = 0.0
    for k, name in enumerate(order):
        nxt = levels[order[k + 1]] if k + 1 < len(order) else 0.0
        total = total + (levels[name] - nxt) * capacity(order[: k + 1], c)
    return total


def informs(row):
    if len(row["parts"]) != 2:
        return False
    a, b = row["categories"]
    levels = np.maximum(np.log10(np.array(row["parts"], dtype=float)), 0.0)
    return a != b and levels.min() > 0.0


def likelihood(grid, pair, rows, sd):
    out = np.ones_like(grid)
    for r in rows:
        levels = {
            cat: max(np.log10(p), 0.0) for cat, p in zip(r["categories"], r["parts"])
        }
        c = {frozenset(pair): grid}
        out = out * stats.norm.pdf(np.log10(r["joint"]), loc=choquet(levels, c), scale=sd)
    return out


def posterior(prior, pair, rows, sd):
    lo, hi = prior.support()
    lo, hi = max(lo, 0.0), min(hi, 1.0)
    grid = np.linspace(lo, hi, 400_001)
    if sd["kind"] == "point":
        like = likelihood(grid, pair, rows, sd["params"][0])
    else:
        sdd = dist(sd["kind"], sd["params"])
        s = np.linspace(sdd.ppf(1e-9), sdd.ppf(1 - 1e-9), 4001)
        w = sdd.pdf(s)
        like = np.zeros_like(grid)
        for si, wi in zip(s, w):
            like += wi * likelihood(grid, pair, rows, si)
        like *= s[1] - s[0]
    dens = prior.pdf(grid) * like
    dens /= integrate.trapezoid(dens, grid)
    mean = integrate.trapezoid(grid * dens, grid)
    var = integrate.trapezoid((grid - mean) ** 2 * dens, grid)
    cdf = integrate.cumulative_trapezoid(dens, grid, initial=0.0)
    cdf /= cdf[-1]
    q = lambda p: float(np.interp(p, cdf, grid))
    return {"mean": mean, "sd": np.sqrt(var), "p5": q(0.05), "p50": q(0.5), "p95": q(0.95)}


CASES = [
    {
        "name": "two rows of 10x tool use and 10x solution choice at 10^1.5; one more pair by its default",
        "categories": ["tool_use", "prompting", "solution_choice"],
        "pairs": [
            {"a": "tool_use", "b": "solution_choice", "kind": "uniform", "params": [0.0, 1.0], "text": "uniform(0, 1)"},
        ],
        "default": {"kind": "beta", "params": [2.0, 2.0], "text": "beta(2, 2)"},
        "sd": {"kind": "point", "params": [0.1], "text": "0.1"},
        "rows": [
            {"categories": ["tool_use", "solution_choice"], "joint": 10**1.5, "parts": [10.0, 10.0]},
            {"categories": ["solution_choice", "tool_use"], "joint": 10**1.5, "parts": [10.0, 10.0]},
            {"categories": ["prompting", "solution_choice"], "joint": 20.0, "parts": [5.0, 8.0]},
            # Three components: several pairs at once, so no pair learns from it.
            {"categories": ["tool_use", "prompting", "solution_choice"], "joint": 50.0, "parts": [10.0, 3.0, 4.0]},
            # One part at 1x or below: the pair changes nothing.
            {"categories": ["tool_use", "prompting"], "joint": 4.0, "parts": [4.0, 0.9]},
        ],
    },
    {
        "name": "triangular prior of a listed pair, an uncertain sd, a super-additive row",
        "categories": ["scaffolding", "data", "reasoning"],
        "pairs": [
            {"a": "data", "b": "scaffolding", "kind": "triangular", "params": [0.0, 0.3, 1.0], "text": "triangular(0, 0.3, 1)"},
            {"a": "scaffolding", "b": "reasoning", "kind": "uniform", "params": [0.2, 0.7], "text": "uniform(0.2, 0.7)"},
        ],
        "default": {"kind": "uniform", "params": [0.0, 1.0], "text": "uniform(0, 1)"},
        "sd": {"kind": "interval", "params": [0.05, 0.3], "text": "0.05 to 0.3"},
        "rows": [
            {"categories": ["scaffolding", "data"], "joint": 10**3.3, "parts": [100.0, 10.0]},
            {"categories": ["data", "scaffolding"], "joint": 40.0, "parts": [6.0, 10.0]},
            {"categories": ["reasoning", "scaffolding"], "joint": 2.85, "parts": [2.64, 1.12]},
        ],
    },
]


def main():
    out = []
    for case in CASES:
        listed = {frozenset((p["a"], p["b"])): p for p in case["pairs"]}
        posteriors = []
        for a, b in itertools.combinations(case["categories"], 2):
            rows = [r for r in case["rows"] if informs(r) and set(r["categories"]) == {a, b}]
            if not rows:
                continue
            p = listed.get(frozenset((a, b)), case["default"])
            post = posterior(dist(p["kind"], p["params"]), (a, b), rows, case["sd"])
            posteriors.append({"a": a, "b": b, "rows": len(rows), **{k: repr(float(v)) for k, v in post.items()}})
        out.append(
            {
                "name": case["name"],
                "categories": case["categories"],
                "pairs": [[p["a"], p["b"], p["text"]] for p in case["pairs"]],
                "default": case["default"]["text"],
                "sd": case["sd"]["text"],
                "rows": [
                    {
                        "categories": r["categories"],
                        "joint": repr(float(r["joint"])),
                        "parts": [repr(float(x)) for x in r["parts"]],
                    }
                    for r in case["rows"]
                ],
                "posteriors": posteriors,
            }
        )
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
