#!/usr/bin/env python3
"""Reference values for the model of overhang-compose, computed from the method as documented.

Run from this folder: `python3 gen_vectors.py` writes model.json next to it. The Rust tests read
the committed JSON and never run Python. Every float is written with `repr`, which round-trips
exactly.

The model, as the crate documentation states it (all in log10, one Monte Carlo draw):
- category c has A_c = log10 available, E_c = log10 elicited, growth g_c, optional cap K_c;
- its level at t years is L_c(t) = max(0, min(A_c + g_c t, K_c));
- the evaluation cannot have captured more than was available: E_c is taken as
  max(0, min(E_c, L_c(0))), so E_c <= A_c (and <= K_c);
- the categories aggregate by a Choquet integral of the levels with respect to a capacity mu on
  sets of categories: multiplicative mu(S) = |S|, max mu(S) = 1, largest-first
  mu(S) = 1 + kappa (|S| - 1), pairwise mu(S) = max over i in S of (1 + sum_{j in S, j != i} c_ij);
- the uplift is U(t) = max(0, Agg(L(t)) - Agg(E)), and the reported multiplier is 10^U.

The Choquet integral is evaluated here as the integral over x >= 0 of mu({c : L_c > x}), a
different route from the sorted top sets the Rust code walks.

Sections:
- choquet: random levels (as CEGs) and pair composabilities for 2 to 8 categories, with the
  aggregate of every method;
- monotone_projection: a six-category case that an earlier pairwise rule got wrong
  (the total fell while one category grew), its aggregate at every step;
- elicited_cap: point available CEGs and uncertain elicited ones, with the quantiles of 10^U and
  threshold probabilities in closed form (one category) and by numerical convolution (two);
- tornado: small assessments with exactly one uncertain input each (one per kind of input), so
  the tornado's medians with the input pinned at its 5th and 95th percentiles are exact.
"""

import itertools
import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy import integrate, optimize, stats

Z95 = stats.norm.ppf(0.95)
PROBS = [0.05, 0.25, 0.5, 0.75, 0.95]


# ---------------------------------------------------------------------------------------------
# Estimates (only the forms the cases use)


def frozen(text):
    """The scipy distribution of an estimate text: `a to b` (a 90% interval, lognormal when both
    bounds are positive) or `uniform(a, b)`."""
    if " to " in text:
        low, high = (float(x) for x in text.split(" to "))
        if low > 0:
            a, b = math.log(low), math.log(high)
            return stats.lognorm(s=(b - a) / (2 * Z95), scale=math.exp((a + b) / 2))
        return stats.norm(loc=(low + high) / 2, scale=(high - low) / (2 * Z95))
    if text.startswith("uniform("):
        low, high = (float(x) for x in text[len("uniform(") : -1].split(","))
        return stats.uniform(loc=low, scale=high - low)
    raise ValueError(text)


def is_point(value):
    return isinstance(value, (int, float))


def value_at(value, p):
    return float(value) if is_point(value) else float(frozen(value).ppf(p))


# ---------------------------------------------------------------------------------------------
# The model


def capacity(method, members, kappa=None, pairs=None):
    """mu(S) for a set of category indices."""
    s = list(members)
    if not s:
        return 0.0
    if method == "multiplicative":
        return float(len(s))
    if method == "max":
        return 1.0
    if method == "largest-first":
        return 1.0 + kappa * (len(s) - 1)
    if method == "pairwise":
        return max(1.0 + sum(pairs[frozenset((i, j))] for j in s if j != i) for i in s)
    raise ValueError(method)


def choquet(levels, method, kappa=None, pairs=None):
    """Integral over x >= 0 of mu({c : L_c > x}): piecewise constant between the levels."""
    cuts = sorted(set([0.0] + [float(x) for x in levels]))
    total = 0.0
    for lo, hi in zip(cuts, cuts[1:]):
        above = [c for c, x in enumerate(levels) if x > lo]
        total += (hi - lo) * capacity(method, above, kappa, pairs)
    return total


def level(a, g, k, t):
    return max(0.0, min(a + g * t, k))


def uplift(cats, method, t, kappa=None, pairs=None):
    """U(t) for one draw: cats holds (A, E, g, K) per category, in log10 (K may be inf)."""
    now = [level(a, g, k, t) for a, e, g, k in cats]
    evaluated = [max(0.0, min(e, level(a, g, k, 0.0))) for a, e, g, k in cats]
    return max(
        0.0,
        choquet(now, method, kappa, pairs) - choquet(evaluated, method, kappa, pairs),
    )


# ---------------------------------------------------------------------------------------------
# choquet


def choquet_cases(rng):
    cases = []
    for case in range(48):
        n = 2 + case % 7
        # CEGs of 1 to 1000 with six significant digits; some at 1 (level 0) and some tied.
        cegs = [float(f"{10 ** rng.uniform(0, 3):.6g}") for _ in range(n)]
        if case % 3 == 0:
            cegs[rng.integers(n)] = 1.0
        if case % 4 == 1:
            cegs[1] = cegs[0]
        levels = [float(np.log10(c)) for c in cegs]
        pairs = {}
        for i, j in itertools.combinations(range(n), 2):
            r = rng.uniform()
            c = 0.0 if r < 0.1 else 1.0 if r > 0.9 else float(f"{rng.uniform():.4f}")
            pairs[frozenset((i, j))] = c
        kappa = float(f"{rng.uniform():.4f}")
        cases.append(
            {
                "ceg": cegs,
                "levels": levels,
                "pairs": [[i, j, pairs[frozenset((i, j))]] for i, j in itertools.combinations(range(n), 2)],
                "kappa": kappa,
                "multiplicative": choquet(levels, "multiplicative"),
                "max": choquet(levels, "max"),
                "largest_first": choquet(levels, "largest-first", kappa=kappa),
                "pairwise": choquet(levels, "pairwise", pairs=pairs),
            }
        )
    return cases


# ---------------------------------------------------------------------------------------------
# monotone_projection


def monotone_projection():
    # 100x, four at 10x, one growing from 1x at 0.2 OOM/year; every pair 0.7.
    cegs = [100.0, 10.0, 10.0, 10.0, 10.0, 1.0]
    growth = [0.0, 0.0, 0.0, 0.0, 0.0, 0.2]
    c = 0.7
    n = len(cegs)
    pairs = {frozenset(p): c for p in itertools.combinations(range(n), 2)}
    months = list(range(0, 61, 6))
    cats = [(math.log10(x), 0.0, g, math.inf) for x, g in zip(cegs, growth)]
    old = []
    new = []
    for m in months:
        t = m / 12
        lv = [level(a, g, k, t) for a, e, g, k in cats]
        # The rule of v0.1.0, for the record: sum - sum (1 - c) min(L_i, L_j), within [max, sum].
        raw = sum(lv) - sum((1 - c) * min(lv[i], lv[j]) for i, j in itertools.combinations(range(n), 2))
        old.append(min(max(raw, max(lv)), sum(lv)))
        new.append(uplift(cats, "pairwise", t, pairs=pairs))
    return {
        "ceg": cegs,
        "growth": growth,
        "composability": c,
        "months": months,
        "uplift": new,
        "old_rule": old,
    }


# ---------------------------------------------------------------------------------------------
# elicited_cap


class Clipped:
    """X = min(max(a - E, 0), a) for a point available level a >= 0 and E normal in log10 (mean
    mu, sd s): the uplift of one category with nothing grown, the evaluation capped at a and
    clamped at 0. Atoms at 0 (E >= a) and at a (E <= 0), a density in between."""

    def __init__(self, a, mu, s):
        self.a, self.mu, self.s = a, mu, s
        self.at_zero = float(stats.norm.sf(a, mu, s))
        self.at_top = float(stats.norm.cdf(0.0, mu, s))

    def cdf(self, y):
        if y < 0:
            return 0.0
        if y >= self.a:
            return 1.0
        return float(stats.norm.sf(self.a - y, self.mu, self.s))

    def pdf(self, y):
        return float(stats.norm.pdf(self.a - y, self.mu, self.s))


def normal_of_interval(lo, hi):
    l, h = math.log10(lo), math.log10(hi)
    return (l + h) / 2, (h - l) / (2 * Z95)


def quantile_of(cdf, p, hi):
    """The least u >= 0 with cdf(u) >= p, and whether p lies inside an atom there with a margin
    of 0.01 (then every order statistic around it is that value: the quantile is exact)."""
    if cdf(0.0) >= p:
        u = 0.0
    else:
        u = optimize.brentq(lambda u: cdf(u) - p, 0.0, hi, xtol=1e-15, rtol=1e-15)
    below = cdf(u - 1e-9) if u > 0 else 0.0
    return u, below < p - 0.01 and cdf(u) > p + 0.01


def elicited_case(name, body, cdf, hi, gt_at, months, thresholds):
    steps = []
    for m in months:
        shift = gt_at(m)
        quantiles, exact = [], []
        for p in PROBS:
            u, e = quantile_of(cdf, p, hi)
            quantiles.append(10 ** (shift + u))
            exact.append(e)
        # P(U >= log10 m) = 1 - P(X < log10 m - shift); X has no atom strictly inside (0, hi)
        # at the thresholds chosen, so P(X < y) = cdf(y) there.
        probability = []
        for m_thr in thresholds:
            y = math.log10(m_thr) - shift
            probability.append(1.0 if y <= 0 else 1.0 - cdf(y - 1e-12))
        steps.append({"months": m, "quantiles": quantiles, "exact": exact, "probability": probability})
    return {"name": name, "body": body, "steps": steps}


def one_category():
    """A = 10 (point), E = `3 to 300`, g = 0.2: U(t) = g t + min(max(1 - E, 0), 1)."""
    x = Clipped(1.0, *normal_of_interval(3, 300))
    thresholds = [2.0, 30.0, 300.0]
    body = (
        "[horizon]\nmonths = 60\nstep_months = 12\n[composability]\nmethod = \"multiplicative\"\n"
        "[categories.a]\nlabel = \"A\"\navailable = 10\nelicited = \"3 to 300\"\ngrowth = 0.2\n"
        + "".join(f"[[thresholds]]\nlabel = \"{m:g}x\"\nmultiplier = {m:g}\n" for m in thresholds)
    )
    return elicited_case(
        "one_category", body, x.cdf, 1.0 + 1e-9, lambda m: 0.2 * m / 12, [0, 12, 24, 36, 48, 60], thresholds
    )


def two_categories():
    """Multiplicative, no growth: U = X1 + X2, the distribution of the sum by numerical
    convolution over X1's atoms and density."""
    specs = [(10.0, 3.0, 30.0), (30.0, 5.0, 100.0)]
    x1, x2 = (Clipped(math.log10(a), *normal_of_interval(lo, hi)) for a, lo, hi in specs)

    def cdf(u):
        if u < 0:
            return 0.0
        total = x1.at_zero * x2.cdf(u) + x1.at_top * x2.cdf(u - x1.a)
        top = min(u, x1.a)
        if top > 0:
            cont, _ = integrate.quad(
                lambda x: x1.pdf(x) * x2.cdf(u - x), 0.0, top, epsabs=1e-14, epsrel=1e-12, limit=200
            )
            total += cont
        return total

    thresholds = [2.0, 10.0, 100.0]
    body = "[horizon]\nmonths = 12\nstep_months = 12\n[composability]\nmethod = \"multiplicative\"\n"
    for c, (avail, lo, hi) in enumerate(specs):
        body += f"[categories.c{c}]\nlabel = \"C{c}\"\navailable = {avail:g}\nelicited = \"{lo:g} to {hi:g}\"\ngrowth = 0\n"
    body += "".join(f"[[thresholds]]\nlabel = \"{m:g}x\"\nmultiplier = {m:g}\n" for m in thresholds)
    # No growth: every step has the distribution of release.
    return elicited_case(
        "two_categories", body, cdf, x1.a + x2.a + 1e-9, lambda m: 0.0, [0, 12], thresholds
    )


# ---------------------------------------------------------------------------------------------
# tornado


def toml_value(v):
    return f"{v:g}" if is_point(v) else f"\"{v}\""


def tornado_case(name, method, cats, months, kappa=None, pairs=None):
    """cats: list of dicts with available, elicited, growth, cap (None for none); exactly one
    field of the whole case is an estimate text, the rest are points."""
    body = f"[horizon]\nmonths = {months}\nstep_months = 6\n[composability]\nmethod = \"{method}\"\n"
    if kappa is not None:
        body += f"kappa = {toml_value(kappa)}\n"
    uncertain = []
    for c, cat in enumerate(cats):
        body += f"[categories.c{c}]\nlabel = \"C{c}\"\n"
        for field in ("available", "elicited", "growth", "cap"):
            v = cat.get(field)
            if v is None:
                continue
            body += f"{field} = {toml_value(v)}\n"
            if not is_point(v):
                uncertain.append((f"categories.c{c}.{field}", ("cat", c, field)))
    if not is_point(kappa) and kappa is not None:
        uncertain.append(("composability.kappa", ("kappa",)))
    csv = None
    if pairs is not None:
        csv = "category_a,category_b,composability\n"
        for (i, j), v in pairs.items():
            csv += f"c{i},c{j},{v}\n" if is_point(v) else f"c{i},c{j},\"{v}\"\n"
            if not is_point(v):
                uncertain.append((f"composability.pairs.c{i}.c{j}", ("pair", i, j)))
    assert len(uncertain) == 1, name
    input_id, where = uncertain[0]

    def model_at(p):
        """(A, E, g, K) per category, kappa and pairs with the input at its quantile p."""
        def get(v, is_this):
            return value_at(v, p) if is_this else float(v)

        rows = []
        for c, cat in enumerate(cats):
            vals = {}
            for field in ("available", "elicited", "growth", "cap"):
                v = cat.get(field)
                if v is None:
                    vals[field] = {"available": 1.0, "elicited": 1.0, "growth": 0.0, "cap": math.inf}[field]
                    continue
                vals[field] = get(v, where == ("cat", c, field))
            rows.append(
                (
                    math.log10(vals["available"]),
                    math.log10(vals["elicited"]),
                    vals["growth"],
                    math.log10(vals["cap"]) if math.isfinite(vals["cap"]) else math.inf,
                )
            )
        k = None if kappa is None else get(kappa, where == ("kappa",))
        ps = None
        if pairs is not None:
            ps = {frozenset(ij): get(v, where == ("pair",) + ij) for ij, v in pairs.items()}
        return rows, k, ps

    steps = [12, months] if months != 12 else [12]
    medians = []
    for m in steps:
        pinned = []
        for p in (0.05, 0.95):
            rows, k, ps = model_at(p)
            pinned.append(10 ** uplift(rows, method, m / 12, kappa=k, pairs=ps))
        medians.append({"months": m, "median_at_p5": pinned[0], "median_at_p95": pinned[1]})
    return {"name": name, "input": input_id, "body": body, "composability_csv": csv, "steps": medians}


def tornado_cases():
    base = [
        {"available": 20, "elicited": 5, "growth": 0.1, "cap": 300},
        {"available": 8, "elicited": 3, "growth": 0.25},
        {"available": 3, "elicited": 2, "growth": 0.05, "cap": 10},
    ]

    def with_field(c, field, v):
        cats = [dict(x) for x in base]
        cats[c][field] = v
        return cats

    return [
        # E = 5 against an available 2 to 20: at the 5th percentile the evaluation is capped at 2.
        tornado_case("available", "largest-first", with_field(0, "available", "2 to 20"), 36, kappa=0.5),
        # The elicited 95th percentile, 30, lies above the available 20.
        tornado_case("elicited", "largest-first", with_field(0, "elicited", "3 to 30"), 36, kappa=0.5),
        tornado_case("growth", "largest-first", with_field(1, "growth", "0.05 to 0.4"), 36, kappa=0.5),
        # A cap that binds by the horizon, and at its 5th percentile below the elicited CEG.
        tornado_case("cap", "multiplicative", with_field(1, "cap", "2 to 40"), 36),
        # kappa enters Agg(E) as well as Agg(L(t)).
        tornado_case("kappa", "largest-first", base, 36, kappa="uniform(0.2, 0.7)"),
        tornado_case(
            "pair",
            "pairwise",
            base,
            36,
            pairs={(0, 1): 0.6, (0, 2): "uniform(0.1, 0.9)", (1, 2): 0.3},
        ),
    ]


def main():
    rng = np.random.default_rng(20261126)
    out = {
        "generator": "gen_vectors.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "probs": PROBS,
        "choquet": choquet_cases(rng),
        "monotone_projection": monotone_projection(),
        "elicited_cap": [one_category(), two_categories()],
        "tornado": tornado_cases(),
    }
    path = Path(__file__).with_name("model.json")
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
