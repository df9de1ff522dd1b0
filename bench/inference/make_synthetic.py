"""Writes synthetic.json: a dataset in the shape of results.json's `inference` object (the
settings and three categories), for check.py and speed.sh until the pipeline writes the real
one.

- `exact_two_studies`: five exact rows, post-trained, in two studies; lognormal growth.
- `base_transfer`: three base-model rows (the uncertain "1 to 10" transfer), two post-trained
  rows (one a study of its own) and a `>=` bound; lognormal growth.
- `normal_growth`: four exact rows and a `<=` bound, in three studies and one row of its own;
  a normal growth prior.

The `posterior` blocks are the Rust grid's (crates/calibrate/examples/infer_dataset.rs):

    python3 make_synthetic.py > synthetic.json
    target/release/examples/infer_dataset bench/inference/synthetic.json --json > grid.json
    python3 make_synthetic.py --posteriors grid.json > synthetic.json

Without --posteriors every posterior number is 0.
"""

import argparse
import json
import math

Z95 = 1.6448536269514722


def normal_log10(lo, hi):
    """The normal in log10 of a multiplier with this 90% interval."""
    a, b = math.log10(lo), math.log10(hi)
    return {"distribution": "normal", "mean": (a + b) / 2, "sd": (b - a) / (2 * Z95)}


def lognormal(lo, hi):
    """The lognormal of g (OOM/year) with this 90% interval: mu and sigma of ln g."""
    a, b = math.log(lo), math.log(hi)
    return {"distribution": "lognormal", "mu": (a + b) / 2, "sigma": (b - a) / (2 * Z95)}


def row(id_, kind, multiplier, years, study, estimand, sigma):
    return {
        "id": id_,
        "kind": kind,
        "y_log10": math.log10(multiplier),
        "years": years,
        "study": study,
        "estimand": estimand,
        "sigma": sigma,
    }


ZERO = {"p5": 0, "p50": 0, "p95": 0, "mean": 0, "sd": 0}


def dataset():
    categories = [
        {
            "scope": "average",
            "category": "exact_two_studies",
            "prior": {"available": normal_log10(2, 20), "growth": lognormal(0.05, 0.5)},
            "rows": [
                row("a1", "exact", 6.0, -2.5, "alpha2024", "post_trained", 0.3),
                row("a2", "exact", 8.0, -1.5, "alpha2024", "post_trained", 0.3),
                row("a3", "exact", 5.0, -1.0, "alpha2024", "post_trained", 0.4),
                row("b1", "exact", 12.0, -0.8, "beta2025", "post_trained", 0.3),
                row("b2", "exact", 15.0, -0.2, "beta2025", "post_trained", 0.25),
            ],
        },
        {
            "scope": "average",
            "category": "base_transfer",
            "prior": {"available": normal_log10(3, 300), "growth": lognormal(0.1, 0.6)},
            "rows": [
                row("c1", "exact", 40.0, -3.0, "gamma2023", "base", 0.3),
                row("c2", "exact", 60.0, -2.0, "gamma2023", "base", 0.3),
                row("c3", "exact", 25.0, -1.5, "delta2024", "base", 0.4),
                row("c4", "exact", 10.0, -1.0, "epsilon2024", "post_trained", 0.3),
                row("c5", "exact", 14.0, -0.5, "", "post_trained", 0.3),
                row("c6", "at_least", 20.0, -0.3, "delta2024", "post_trained", 0.3),
            ],
        },
        {
            "scope": "frontier",
            "category": "normal_growth",
            "prior": {
                "available": normal_log10(1.5, 30),
                "growth": {"distribution": "normal", "mean": 0.2, "sd": 0.15},
            },
            "rows": [
                row("d1", "exact", 3.0, -3.0, "zeta2023", "post_trained", 0.3),
                row("d2", "exact", 4.0, -2.0, "zeta2023", "post_trained", 0.3),
                row("d3", "exact", 9.0, -1.0, "eta2024", "versus_pte", 0.3),
                row("d4", "exact", 7.0, -0.6, "", "post_trained", 0.4),
                row("d5", "at_most", 20.0, -0.2, "theta2025", "post_trained", 0.3),
            ],
        },
    ]
    for c in categories:
        c["posterior"] = {"available": dict(ZERO), "growth": dict(ZERO), "correlation": 0}
    base = normal_log10(1, 10)
    return {
        "inference": {
            "settings": {
                "study_sd": 0.2,
                "transfer": {
                    "base": {"mean": base["mean"], "sd": base["sd"]},
                    "post_trained": {"mean": 0, "sd": 0},
                    "versus_pte": {"mean": 0, "sd": 0},
                },
            },
            "categories": categories,
        }
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posteriors", help="infer_dataset --json output to fill in")
    args = parser.parse_args()
    data = dataset()
    if args.posteriors:
        with open(args.posteriors) as f:
            grid = {(c["scope"], c["category"]): c["posterior"] for c in json.load(f)["categories"]}
        for c in data["inference"]["categories"]:
            c["posterior"] = grid[(c["scope"], c["category"])]
    print(json.dumps(data, indent=2))


if __name__ == "__main__":
    main()
