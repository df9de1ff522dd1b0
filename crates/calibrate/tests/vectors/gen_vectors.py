"""Reference vectors for the derived CEGs of overhang-calibrate, computed with numpy and scipy
from the method as documented (not from the Rust).

Run from this folder with `python3 gen_vectors.py > vectors.json`. The tests read the committed
vectors.json and never run Python. Floats are written as JSON strings holding their repr(),
which round-trips exactly.

The method, for a base curve (one family's scores on one benchmark at several computes) and an
enhanced model of compute C_own scoring s:
1. order the base points by compute; make the scores non-decreasing by isotonic regression
   (scipy.optimize.isotonic_regression: the least-squares non-decreasing fit, which pools
   adjacent violators into their mean);
2. x = log10 compute; the curve is piecewise linear through the points (x_i, fitted_i); the
   model's own score f_own is the curve at x_own;
3. s > f_own: if s exceeds the last fitted score, the CEG is the lower bound C_max / C_own;
   otherwise x* is the least x at which the curve reaches s, and the CEG is 10^(x* - x_own);
   s < f_own: if s is below the first fitted score, the CEG is the upper bound C_min / C_own;
   otherwise x* is the largest x at which the curve is still at or below s; s = f_own: 1;
4. with 4 or more base points, the logistic
   score = floor + (ceiling - floor) / (1 + exp(-(x - midpoint) / scale)), floor and ceiling
   fixed at the benchmark's range (0 to 100 here), is fitted to the raw base scores by least
   squares (scipy.optimize.curve_fit, from a grid of starting points, the lowest residual sum
   of squares with a positive scale kept); its CEG is 10^(x_L - x_own) with x_L where the
   fitted curve reaches s.

Tables (scores in %, computes as parameter counts, as scaling_tables.md in the project's
research notes transcribes them):
- Wei et al. 2022 (arXiv 2201.11903), chain-of-thought prompting: PaLM 8B/62B/540B on GSM8K,
  MultiArith and CommonsenseQA; LaMDA 420M/2B/8B/68B/137B on GSM8K; the GPT-3-based API models
  (350M/1.3B/6.7B/175B) on GSM8K;
- Chung et al. 2022 (arXiv 2210.11416), Flan instruction fine-tuning: PaLM on MMLU (direct) and
  T5 80M/250M/780M/3B/11B on MMLU (chain of thought).
"""

import json
import sys

import numpy as np
import scipy
from scipy import optimize

FLOOR, CEILING = 0.0, 100.0


def logistic(x, midpoint, scale):
    return FLOOR + (CEILING - FLOOR) / (1.0 + np.exp(-(x - midpoint) / scale))


def crossing(xs, ys, x_own, own, s):
    n = len(xs)
    if s > own:
        if s > ys[-1]:
            return xs[-1], "lower"
        for i in range(n):
            if ys[i] >= s:
                if i == 0 or ys[i] == s:
                    return xs[i], "none"
                t = (s - ys[i - 1]) / (ys[i] - ys[i - 1])
                return xs[i - 1] + t * (xs[i] - xs[i - 1]), "none"
    if s < own:
        if s < ys[0]:
            return xs[0], "upper"
        for i in reversed(range(n)):
            if ys[i] <= s:
                if i == n - 1 or ys[i] == s:
                    return xs[i], "none"
                t = (s - ys[i]) / (ys[i + 1] - ys[i])
                return xs[i] + t * (xs[i + 1] - xs[i]), "none"
    return x_own, "none"


def fit_logistic(x, y):
    best = None
    for midpoint in np.linspace(x.min() - 2.0, x.max() + 2.0, 9):
        for scale in [0.1, 0.3, 1.0, 3.0]:
            try:
                p, _ = optimize.curve_fit(logistic, x, y, p0=[midpoint, scale],
                                          ftol=1e-15, xtol=1e-15, gtol=1e-15, maxfev=100000)
            except RuntimeError:
                continue
            if not p[1] > 0:
                continue
            rss = float(np.sum((y - logistic(x, *p)) ** 2))
            if best is None or rss < best[2]:
                best = (float(p[0]), float(p[1]), rss)
    return best


def case(name, family, benchmark, base, enhanced):
    base = sorted(base)
    computes = np.array([c for c, _ in base], float)
    scores = np.array([s for _, s in base], float)
    xs = np.log10(computes)
    fitted = optimize.isotonic_regression(scores, increasing=True).x
    logit = fit_logistic(xs, scores) if len(base) >= 4 else None
    results = []
    for model, compute, score in enhanced:
        x_own = np.log10(compute)
        own = float(np.interp(x_own, xs, fitted))
        x_star, censoring = crossing(xs, fitted, x_own, own, score)
        if censoring == "lower":
            ceg = computes[-1] / compute
        elif censoring == "upper":
            ceg = computes[0] / compute
        else:
            ceg = 10.0 ** (x_star - x_own)
        entry = {"model": model, "compute": compute, "score": score, "own_score": own,
                 "ceg": float(ceg), "censoring": censoring}
        if logit is not None:
            midpoint, scale, _ = logit
            if FLOOR < score < CEILING:
                x_l = midpoint + scale * np.log((score - FLOOR) / (CEILING - score))
                entry["logistic_ceg"] = float(10.0 ** (x_l - x_own))
        results.append(entry)
    out = {
        "name": name,
        "family": family,
        "benchmark": benchmark,
        "base": [{"compute": c, "score": s} for c, s in base],
        "fitted": [float(v) for v in fitted],
        "enhanced": results,
    }
    if logit is not None:
        out["logistic"] = {"midpoint": logit[0], "scale": logit[1], "rss": logit[2]}
    return out


PALM = [8e9, 62e9, 540e9]
cases = [
    case("cot_palm_gsm8k", "PaLM", "GSM8K",
         list(zip(PALM, [4.9, 9.6, 17.9])),
         [("PaLM 8B CoT", 8e9, 4.1), ("PaLM 62B CoT", 62e9, 29.9),
          ("PaLM 540B CoT", 540e9, 56.9)]),
    case("cot_palm_multiarith", "PaLM", "MultiArith",
         list(zip(PALM, [4.2, 7.3, 42.2])),
         [("PaLM 8B CoT", 8e9, 15.8), ("PaLM 62B CoT", 62e9, 73.7)]),
    case("cot_palm_csqa", "PaLM", "CommonsenseQA",
         list(zip(PALM, [19.8, 65.4, 78.1])),
         [("PaLM 8B CoT", 8e9, 24.9), ("PaLM 62B CoT", 62e9, 68.1)]),
    case("cot_lamda_gsm8k", "LaMDA", "GSM8K",
         list(zip([420e6, 2e9, 8e9, 68e9, 137e9], [2.6, 3.6, 3.2, 5.7, 6.5])),
         [("LaMDA 420M CoT", 420e6, 0.4), ("LaMDA 2B CoT", 2e9, 1.9),
          ("LaMDA 8B CoT", 8e9, 1.6), ("LaMDA 68B CoT", 68e9, 8.2)]),
    case("cot_gpt_gsm8k", "GPT-3 API models", "GSM8K",
         list(zip([350e6, 1.3e9, 6.7e9, 175e9], [2.2, 2.4, 4.0, 15.6])),
         [("6.7B CoT", 6.7e9, 2.4), ("175B CoT", 175e9, 46.9),
          ("1.3B, a score between", 1.3e9, 3.1)]),
    case("flan_palm_mmlu", "PaLM", "MMLU (direct)",
         list(zip(PALM, [24.3, 55.1, 71.3])),
         [("Flan-PaLM 8B", 8e9, 49.3), ("Flan-PaLM 62B", 62e9, 59.6),
          ("Flan-PaLM 540B", 540e9, 73.5)]),
    case("flan_t5_mmlu_cot", "T5", "MMLU (CoT)",
         list(zip([80e6, 250e6, 780e6, 3e9, 11e9], [5.6, 14.5, 15.0, 14.5, 18.7])),
         [("Flan-T5-Small", 80e6, 12.1), ("Flan-T5-Base", 250e6, 33.7)]),
]


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
        "generator": "gen_vectors.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
        "floor": FLOOR,
        "ceiling": CEILING,
        "cases": cases,
    }),
    sys.stdout,
    indent=1,
)
sys.stdout.write("\n")
