"""Checks the exact grid posteriors of a dataset against PyMC and nutpie.

Usage: python3 check.py DATASET.json [--out FILE] [--draws N] [--tune N] [--seed S]

DATASET.json is a results.json, or any file with the same `inference` object (at the top level
or under `inference`): `settings` and `categories`, each entry with its `prior`, `rows` and the
grid's `posterior`. Every entry with rows is fitted by pymc_model.fit (4 chains, a fixed seed);
for a and g it reports p5, p50, p95, mean and sd of the pooled draws, each with its Monte Carlo
standard error (ArviZ: mcse of the mean and of each quantile; of the sd by ArviZ's formula), the correlation (its
MCSE by the delta method, (1 - r^2) / sqrt(ESS) with the smaller bulk ESS), R-hat and bulk ESS,
and the wall times of compiling and sampling. Against the entry's `posterior` it prints each
difference in units of the grid's posterior sd (the correlation: as it is) and in MCSE, and the
largest per category and over all.

Passes (exit 0) when every difference is within TOLERANCE posterior sd (0.05; the correlation
within 0.05) and every R-hat below 1.01. With the default 4 x 10,000 draws the MCSEs are about
0.005 to 0.025 posterior sd (the largest for p95 of a skewed g), below the tolerance; a difference above 4 MCSE is flagged.
"""

import argparse
import json
import math
import os
import sys
import warnings

warnings.filterwarnings("ignore")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import arviz as az  # noqa: E402
import pymc  # noqa: E402
import nutpie  # noqa: E402

import pymc_model  # noqa: E402

TOLERANCE = 0.05
QUANTILES = (("p5", 0.05), ("p50", 0.5), ("p95", 0.95))
PARAMS = (("available", "a"), ("growth", "g"))


def stat(values, fn, **kwargs):
    """An ArviZ diagnostic of one (chain, draw) array, as a float."""
    return float(fn(az.convert_to_dataset({"x": values}), **kwargs)["x"].item())


def mcse_sd(values):
    """The MCSE of the sd by the delta method over the squared deviations, as ArviZ defines it
    (az.mcse(method="sd") fails with numpy 2.4 in ArviZ 0.23)."""
    c2 = (values - values.mean()) ** 2
    ess = stat(c2, az.ess, method="mean")
    var = c2.mean()
    varvar = ((c2**2).mean() - var**2) / ess
    return math.sqrt(varvar / var / 4)


def summarise(fit):
    """The summaries of a and g, each with its MCSE, and the diagnostics."""
    idata = fit["idata"]
    out = {}
    ess_min = math.inf
    for name, var in PARAMS:
        draws = fit[var]
        if var not in idata.posterior:
            v = float(draws[0])
            zero = {"value": v, "mcse": 0.0}
            out[name] = {k: dict(zero) for k in ("p5", "p50", "p95", "mean")}
            out[name]["sd"] = {"value": 0.0, "mcse": 0.0}
            out[name]["point"] = True
            continue
        x = idata.posterior[var].values  # (chain, draw)
        s = {
            k: {
                "value": float(np.quantile(draws, p)),
                "mcse": stat(x, az.mcse, method="quantile", prob=p),
            }
            for k, p in QUANTILES
        }
        s["mean"] = {"value": float(draws.mean()), "mcse": stat(x, az.mcse, method="mean")}
        s["sd"] = {"value": float(draws.std(ddof=1)), "mcse": mcse_sd(x)}
        s["rhat"] = stat(x, az.rhat)
        s["ess_bulk"] = stat(x, az.ess, method="bulk")
        ess_min = min(ess_min, s["ess_bulk"])
        out[name] = s
    if any(out[n].get("point") for n, _ in PARAMS):
        r = 0.0
        r_mcse = 0.0
    else:
        r = float(np.corrcoef(fit["a"], fit["g"])[0, 1])
        r_mcse = (1 - r * r) / math.sqrt(ess_min)
    out["correlation"] = {"value": r, "mcse": r_mcse}
    out["ess_bulk_min"] = ess_min
    out["compile_s"] = fit["compile_s"]
    out["sample_s"] = fit["sample_s"]
    out["ess_per_s"] = ess_min / fit["sample_s"]
    out["ess_per_s_with_compile"] = ess_min / (fit["sample_s"] + fit["compile_s"])
    return out


def compare(summary, grid):
    """Each difference PyMC minus grid: in grid posterior sd and in MCSE."""
    diffs = []
    for name, _ in PARAMS:
        if summary[name].get("point"):
            continue
        sd = grid[name]["sd"]
        for k in ("p5", "p50", "p95", "mean", "sd"):
            d = summary[name][k]["value"] - grid[name][k]
            mcse = summary[name][k]["mcse"]
            diffs.append(
                {"quantity": f"{name}.{k}", "diff": d, "in_sd": d / sd, "in_mcse": d / mcse}
            )
    c = summary["correlation"]
    if c["mcse"] > 0:
        d = c["value"] - grid["correlation"]
        diffs.append(
            {"quantity": "correlation", "diff": d, "in_sd": d, "in_mcse": d / c["mcse"]}
        )
    return diffs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("--out", help="write the summaries and comparisons as JSON")
    parser.add_argument("--draws", type=int, default=10000, help="draws per chain")
    parser.add_argument("--tune", type=int, default=1000, help="tuning steps per chain")
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()

    with open(args.dataset) as f:
        root = json.load(f)
    inference = root.get("inference", root)
    settings = inference["settings"]
    versions = {
        "pymc": pymc.__version__,
        "nutpie": nutpie.__version__,
        "arviz": az.__version__,
        "numpy": np.__version__,
    }
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    results = []
    ok = True
    worst = {}
    for entry in inference["categories"]:
        if not entry.get("rows"):
            continue
        fit = pymc_model.fit(entry, settings, draws=args.draws, tune=args.tune, seed=args.seed)
        summary = summarise(fit)
        diffs = compare(summary, entry["posterior"])
        label = f'{entry["scope"]}/{entry["category"]}'
        print(
            f"\n{label}: {len(entry['rows'])} rows; compile {summary['compile_s']:.2f} s, "
            f"sample {summary['sample_s']:.3f} s, min bulk ESS {summary['ess_bulk_min']:.0f}"
        )
        print(f"  {'quantity':<18}{'grid':>10}{'pymc':>10}{'mcse':>9}{'diff/sd':>9}{'diff/mcse':>10}")
        for d in diffs:
            name, _, k = d["quantity"].partition(".")
            g = entry["posterior"][name][k] if k else entry["posterior"][name]
            s = summary[name][k] if k else summary[name]
            flag = "  *" if abs(d["in_mcse"]) > 4 else ""
            print(
                f"  {d['quantity']:<18}{g:>10.4f}{s['value']:>10.4f}{s['mcse']:>9.4f}"
                f"{d['in_sd']:>+9.4f}{d['in_mcse']:>+10.2f}{flag}"
            )
            q = d["quantity"]
            if q not in worst or abs(d["in_sd"]) > abs(worst[q]["in_sd"]):
                worst[q] = dict(d, category=label)
            ok &= abs(d["in_sd"]) <= TOLERANCE
        for name, _ in PARAMS:
            if not summary[name].get("point"):
                print(
                    f"  {name}: R-hat {summary[name]['rhat']:.4f}, "
                    f"bulk ESS {summary[name]['ess_bulk']:.0f}"
                )
                ok &= summary[name]["rhat"] < 1.01
        big_sd = max(diffs, key=lambda d: abs(d["in_sd"]))
        big_mcse = max(diffs, key=lambda d: abs(d["in_mcse"]))
        print(
            f"  largest: {big_sd['quantity']} {big_sd['in_sd']:+.4f} sd; "
            f"{big_mcse['quantity']} {big_mcse['in_mcse']:+.2f} MCSE"
        )
        results.append(
            {
                "scope": entry["scope"],
                "category": entry["category"],
                "rows": len(entry["rows"]),
                "pymc": summary,
                "grid": entry["posterior"],
                "differences": diffs,
            }
        )
    print("\nlargest |difference| over categories, in posterior sd (correlation: as it is):")
    for q, d in worst.items():
        print(f"  {q:<18}{abs(d['in_sd']):.4f}  ({d['in_mcse']:+.2f} MCSE, {d['category']})")
    print(f"\n{'PASS' if ok else 'FAIL'}: tolerance {TOLERANCE} posterior sd, R-hat < 1.01")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(
                {
                    "dataset": args.dataset,
                    "versions": versions,
                    "draws_per_chain": args.draws,
                    "tune": args.tune,
                    "chains": 4,
                    "seed": args.seed,
                    "tolerance_sd": TOLERANCE,
                    "pass": bool(ok),
                    "categories": results,
                    "largest": worst,
                },
                f,
                indent=2,
            )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
