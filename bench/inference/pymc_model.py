"""One category's posterior of (a, g) by PyMC and nutpie: an implementation of the model in
docs/inference.md written from that statement, not from the Rust, to check the exact grid of
crates/calibrate/src/infer/ against a sampler.

The model, in log10 (OOM), for one category with rows i dated t_i (years from release):

    y_i = a + g t_i + d_e(i) + u_s(i) + e_i

- a ~ Normal(mean, sd), the prior `available` (normal in log10);
- g ~ LogNormal(mu, sigma) (ln g normal, g in OOM/year), Normal(mean, sd), or a known point;
- d_e: the transfer offset of estimand e; with sd 0 a known constant, otherwise one
  Normal(mean, sd) shared by every row of that estimand in the category (non-centred);
- u_s ~ Normal(0, tau^2), tau = study_sd, shared by the rows of study s (an empty study is a
  study of its own), non-centred (u_s = tau z_s); tau 0 means no study effect;
- e_i ~ Normal(0, sigma_i^2): an exact row is a normal likelihood; a bound enters by its
  probability given the other parameters: y >= b adds log Phi((mean_i - b) / sigma_i) and
  y <= b adds log Phi((b - mean_i) / sigma_i), each by pm.Potential with the normal log-CDF.

`fit(entry, settings)` builds the model, compiles it with nutpie and samples (4 chains, a fixed
seed); it returns the pooled draws of a and g, the ArviZ InferenceData and the wall times of
compiling and sampling.
"""

import time

import numpy as np
import pymc as pm
import pytensor.tensor as pt
import nutpie

ESTIMANDS = ("base", "post_trained", "versus_pte")


def build(entry, settings):
    """The PyMC model of one category entry (its `prior` and `rows`) under `settings`."""
    rows = entry["rows"]
    prior_a = entry["prior"]["available"]
    prior_g = entry["prior"]["growth"]
    tau = float(settings["study_sd"])
    transfer = settings["transfer"]

    t = np.array([float(r["years"]) for r in rows])
    y = np.array([float(r["y_log10"]) for r in rows])
    sigma = np.array([float(r["sigma"]) for r in rows])
    kind = np.array([r["kind"] for r in rows])
    assert set(kind) <= {"exact", "at_least", "at_most"}, kind

    studies = {}
    study_of = np.array(
        [studies.setdefault(r["study"] or f"#row{k}", len(studies)) for k, r in enumerate(rows)]
    )
    present = [e for e in ESTIMANDS if any(r["estimand"] == e for r in rows)]
    assert {r["estimand"] for r in rows} <= set(ESTIMANDS)

    with pm.Model() as model:
        assert prior_a["distribution"] == "normal", prior_a
        a = pm.Normal("a", mu=prior_a["mean"], sigma=prior_a["sd"])
        dist = prior_g["distribution"]
        if dist == "lognormal":
            g = pm.LogNormal("g", mu=prior_g["mu"], sigma=prior_g["sigma"])
        elif dist == "normal":
            g = pm.Normal("g", mu=prior_g["mean"], sigma=prior_g["sd"])
        elif dist == "point":
            g = pm.Data("g", float(prior_g["value"]))
        else:
            raise ValueError(f"growth prior: unknown distribution {dist!r}")

        offset = {}
        for e in present:
            m, s = float(transfer[e]["mean"]), float(transfer[e]["sd"])
            if s > 0:
                z = pm.Normal(f"z_{e}", 0.0, 1.0)
                offset[e] = pm.Deterministic(f"d_{e}", m + s * z)
            else:
                offset[e] = m
        d = pt.stack([pt.as_tensor_variable(offset[e], dtype="float64") for e in present])[
            np.array([present.index(r["estimand"]) for r in rows])
        ]

        mean = a + g * t + d
        if tau > 0:
            z_s = pm.Normal("z_study", 0.0, 1.0, shape=len(studies))
            mean = mean + tau * z_s[study_of]

        exact = np.flatnonzero(kind == "exact")
        if exact.size:
            pm.Normal("y_exact", mu=mean[exact], sigma=sigma[exact], observed=y[exact])
        std = pm.Normal.dist(0.0, 1.0)
        above = np.flatnonzero(kind == "at_least")
        if above.size:
            z = (mean[above] - y[above]) / sigma[above]
            pm.Potential("at_least", pm.logcdf(std, z).sum())
        below = np.flatnonzero(kind == "at_most")
        if below.size:
            z = (y[below] - mean[below]) / sigma[below]
            pm.Potential("at_most", pm.logcdf(std, z).sum())
    return model


def fit(entry, settings, draws=5000, tune=1000, chains=4, seed=20261206):
    """Compiles and samples one category; returns a dict with the pooled draws of `a` and `g`
    (g a constant array for a point prior), `idata`, `compile_s` and `sample_s`."""
    model = build(entry, settings)
    start = time.perf_counter()
    compiled = nutpie.compile_pymc_model(model)
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    idata = nutpie.sample(
        compiled, draws=draws, tune=tune, chains=chains, seed=seed, progress_bar=False
    )
    sample_s = time.perf_counter() - start
    post = idata.posterior
    a = post["a"].values.reshape(-1)
    if "g" in post:
        g = post["g"].values.reshape(-1)
    else:
        g = np.full_like(a, float(entry["prior"]["growth"]["value"]))
    return {"a": a, "g": g, "idata": idata, "compile_s": compile_s, "sample_s": sample_s}
