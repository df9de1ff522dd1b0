"""Shapley values of small games, computed independently of overhang: the average over every
ordering of the players of each player's marginal contribution (itertools.permutations), not
the subset-weight formula overhang uses. Writes shapley.json, which
crates/model/tests/it/shapley.rs reads.

    python3 gen_shapley.py   # numpy 2.x
"""

import itertools
import json

import numpy as np


def shapley_by_orderings(k, v):
    phi = np.zeros(k)
    orders = list(itertools.permutations(range(k)))
    for order in orders:
        s = 0
        for i in order:
            phi[i] += v[s | (1 << i)] - v[s]
            s |= 1 << i
    return (phi / len(orders)).tolist()


def interaction_game():
    # Singles 1, 2, 4; 3 more with the first two together; 5 more with all three.
    v = []
    for s in range(8):
        x = 0.5 + sum(w for i, w in enumerate([1.0, 2.0, 4.0]) if s >> i & 1)
        if s & 0b11 == 0b11:
            x += 3.0
        if s == 0b111:
            x += 5.0
        v.append(x)
    return 3, v


def random_game(k, seed):
    # Values of every coalition drawn at random: no structure at all.
    rng = np.random.default_rng(seed)
    return k, rng.normal(0.0, 0.3, size=1 << k).tolist()


def log_product_game(k, seed):
    # log10 of a product of factors with pairwise interactions, as an OOM headline might be.
    rng = np.random.default_rng(seed)
    a = rng.uniform(-0.2, 0.3, size=k)
    b = rng.uniform(-0.1, 0.1, size=(k, k))
    v = []
    for s in range(1 << k):
        x = [s >> i & 1 for i in range(k)]
        val = 1.3 + sum(a[i] * x[i] for i in range(k))
        val += sum(b[i, j] * x[i] * x[j] for i in range(k) for j in range(i + 1, k))
        v.append(float(np.log10(np.exp(val))))
    return k, v


games = [interaction_game(), random_game(4, 7), log_product_game(6, 11), random_game(8, 3)]
out = [{"k": k, "v": v, "shapley": shapley_by_orderings(k, v)} for k, v in games]
with open("shapley.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
