//! The posterior of a category's level and growth against closed forms, and its behaviour
//! with bounds, studies and transfer offsets.

use overhang_calibrate::infer::{
    DROP, Estimand, InferenceRow, InferenceSettings, Observation, Offset, Posterior, Prior,
    Transfer, infer, posterior,
};
use overhang_model::estimate::Z95;
use overhang_model::{Distribution, Estimate};
use overhang_testkit::{ROUNDING, Tolerance, assert_close};

/// The prior of `a` that is normal with this mean and sd in log10, written as the multiplier
/// estimate a category states.
pub(crate) fn available(mean: f64, sd: f64) -> Prior {
    let ln10 = core::f64::consts::LN_10;
    let estimate = Estimate::from_distribution(Distribution::LogNormal {
        mu: mean * ln10,
        sigma: sd * ln10,
    })
    .unwrap();
    Prior::available(&estimate).unwrap()
}

pub(crate) fn point_growth(g: f64) -> Prior {
    Prior::growth(&Estimate::point(g).unwrap())
}

pub(crate) fn row(
    y: Observation,
    years: f64,
    study: &str,
    estimand: Estimand,
    sigma: f64,
) -> InferenceRow {
    InferenceRow {
        y_log10: y,
        years,
        study: study.to_owned(),
        estimand,
        sigma,
    }
}

pub(crate) fn exact(y: f64, years: f64, study: &str) -> InferenceRow {
    row(
        Observation::Exact(y),
        years,
        study,
        Estimand::PostTrained,
        0.3,
    )
}

/// Solves `m x = b` by Gaussian elimination with partial pivoting (small systems).
fn solve(mut m: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))
            .unwrap();
        m.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = m[col].clone();
        for r in col + 1..n {
            let f = m[r][col] / pivot_row[col];
            for (x, p) in m[r][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[r] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|c| m[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / m[r][r];
    }
    x
}

/// The exact normal posterior of `a` (mean, sd) when growth is the point `g`, every row is
/// exact and every random effect normal: `y ~ Normal(a + g t + mu_d, Sigma)` with `Sigma`
/// the rows' variances plus `tau^2` within a study plus the offset's variance within an
/// estimand.
fn closed_form(
    prior: (f64, f64),
    g: f64,
    rows: &[InferenceRow],
    tau: f64,
    transfer: &Transfer,
) -> (f64, f64) {
    let offset = |e: Estimand| match e {
        Estimand::Base => transfer.base,
        Estimand::PostTrained => transfer.post_trained,
        Estimand::VersusPte => transfer.versus_pte,
    };
    let n = rows.len();
    let sigma: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    let (ri, rj) = (&rows[i], &rows[j]);
                    let mut v = 0.0;
                    if i == j {
                        v += ri.sigma * ri.sigma;
                    }
                    if i == j || (!ri.study.is_empty() && ri.study == rj.study) {
                        v += tau * tau;
                    }
                    if ri.estimand == rj.estimand {
                        v += offset(ri.estimand).sd * offset(ri.estimand).sd;
                    }
                    v
                })
                .collect()
        })
        .collect();
    let resid: Vec<f64> = rows
        .iter()
        .map(|r| match r.y_log10 {
            Observation::Exact(y) => y - g * r.years - offset(r.estimand).mean,
            _ => unreachable!("closed forms take exact rows"),
        })
        .collect();
    let ones = solve(sigma.clone(), vec![1.0; n]);
    let info: f64 = ones.iter().sum();
    let weighted: f64 = ones.iter().zip(&resid).map(|(w, r)| w * r).sum();
    let precision = 1.0 / (prior.1 * prior.1) + info;
    (
        (prior.0 / (prior.1 * prior.1) + weighted) / precision,
        1.0 / precision.sqrt(),
    )
}

/// A moment of the grid posterior against its closed form, of a posterior with standard
/// deviation `sd`: moments by the midpoint rule are accurate far below a cell's width, so
/// 1e-4 sd.
fn grid_moment(sd: f64) -> Tolerance {
    Tolerance::absolute("GRID_MOMENT (1e-4 sd)", 1e-4 * sd)
}

/// A percentile of the grid posterior against its closed form, of a posterior with standard
/// deviation `sd`: percentiles interpolate the CDF linearly within a cell of about 0.08 sd,
/// an error of order (cell width)^2, so 2e-3 sd.
fn grid_quantile(sd: f64) -> Tolerance {
    Tolerance::absolute("GRID_QUANTILE (2e-3 sd)", 2e-3 * sd)
}

/// The correlation of `a` and `g` on the grid against the closed form's: the midpoint sums
/// that give the moments (see [`grid_moment`]) hold it to round-off (2e-14 in the regression
/// test); 1e-3 catches a grid that loses the dependence.
const GRID_CORRELATION: Tolerance = Tolerance::absolute("GRID_CORRELATION", 1e-3);

#[track_caller]
fn assert_normal(what: &str, got: &Posterior, mean: f64, sd: f64) {
    let m = got.available;
    assert_close!(m.mean, mean, grid_moment(sd), "{what}: mean");
    assert_close!(m.sd, sd, grid_moment(sd), "{what}: sd");
    for (q, z) in [(m.p5, -Z95), (m.p50, 0.0), (m.p95, Z95)] {
        assert_close!(
            q,
            mean + z * sd,
            grid_quantile(sd),
            "{what}: quantile at z = {z}"
        );
    }
    assert!(got.edge < -DROP, "{what}: edge {}", got.edge);
}

#[test]
fn with_exact_rows_and_known_growth_the_level_is_the_conjugate_normal() {
    let rows: Vec<InferenceRow> = [(1.8, -1.0), (2.3, -0.5), (2.0, 0.2), (2.6, -2.0)]
        .iter()
        .map(|&(y, t)| exact(y, t, ""))
        .collect();
    let settings = InferenceSettings::fine(Transfer::NONE, 0.0);
    let got = posterior(&available(1.0, 0.5), &point_growth(0.2), &rows, &settings).unwrap();
    // (mu0/s0^2 + sum (y_i - g t_i)/sigma^2) / (1/s0^2 + n/sigma^2)
    let sum: f64 = rows
        .iter()
        .map(|r| match r.y_log10 {
            Observation::Exact(y) => y - 0.2 * r.years,
            _ => unreachable!(),
        })
        .sum();
    let precision = 1.0 / 0.25 + 4.0 / 0.09;
    let mean = (1.0 / 0.25 + sum / 0.09) / precision;
    assert_normal("conjugate", &got, mean, 1.0 / precision.sqrt());
    assert_eq!(got.growth.p50, 0.2);
    assert_eq!(got.growth.sd, 0.0);
}

#[test]
fn with_uncertain_growth_the_posterior_is_the_bayesian_regression() {
    let rows: Vec<InferenceRow> = [(1.8, -1.0), (2.3, -0.5), (2.0, 0.2), (2.6, -2.0)]
        .iter()
        .map(|&(y, t)| exact(y, t, ""))
        .collect();
    let settings = InferenceSettings::fine(Transfer::NONE, 0.0);
    let growth = Prior::normal(0.3, 0.2).unwrap();
    let got = posterior(&available(1.0, 0.5), &growth, &rows, &settings).unwrap();
    // Precision diag(1/s^2) + X'X/sigma^2 with X = [1, t]; mean by solving.
    let v = 1.0 / 0.09;
    let (s1, st, stt): (f64, f64, f64) = rows.iter().fold((0.0, 0.0, 0.0), |(a, b, c), r| {
        (a + v, b + v * r.years, c + v * r.years * r.years)
    });
    let ys = |f: &dyn Fn(&InferenceRow) -> f64| -> f64 {
        rows.iter()
            .map(|r| match r.y_log10 {
                Observation::Exact(y) => v * y * f(r),
                _ => unreachable!(),
            })
            .sum()
    };
    let p = vec![vec![4.0 + s1, st], vec![st, 25.0 + stt]];
    let mean = solve(
        p.clone(),
        vec![4.0 + ys(&|_| 1.0), 0.3 * 25.0 + ys(&|r| r.years)],
    );
    let det = p[0][0] * p[1][1] - p[0][1] * p[1][0];
    let (var_a, var_g, cov) = (p[1][1] / det, p[0][0] / det, -p[0][1] / det);
    let (a, g) = (got.available, got.growth);
    let (sd_a, sd_g) = (var_a.sqrt(), var_g.sqrt());
    assert_close!(a.mean, mean[0], grid_moment(sd_a), "mean of a in {a:?}");
    assert_close!(g.mean, mean[1], grid_moment(sd_g), "mean of g in {g:?}");
    assert_close!(a.sd, sd_a, grid_moment(sd_a), "sd of a in {a:?}");
    assert_close!(g.sd, sd_g, grid_moment(sd_g), "sd of g in {g:?}");
    let r = cov / (var_a * var_g).sqrt();
    assert_close!(got.correlation, r, GRID_CORRELATION, "correlation");
    assert_close!(g.p95, mean[1] + Z95 * sd_g, grid_quantile(sd_g), "p95 of g");
}

#[test]
fn rows_of_one_study_count_for_less_than_rows_of_two() {
    let prior = (1.0, 0.5);
    let settings = InferenceSettings::fine(Transfer::NONE, 0.3);
    let one = [exact(2.0, 0.0, "s"), exact(2.2, 0.0, "s")];
    let two = [exact(2.0, 0.0, "s"), exact(2.2, 0.0, "t")];
    let fit = |rows: &[InferenceRow]| {
        posterior(
            &available(prior.0, prior.1),
            &point_growth(0.0),
            rows,
            &settings,
        )
        .unwrap()
    };
    let (p1, p2) = (fit(&one), fit(&two));
    assert!(p1.available.p50 < p2.available.p50, "{p1:?} {p2:?}");
    assert!(p1.available.sd > p2.available.sd);
    for (what, rows, got) in [("one study", &one, &p1), ("two studies", &two, &p2)] {
        let (mean, sd) = closed_form(prior, 0.0, rows, 0.3, &Transfer::NONE);
        assert_normal(what, got, mean, sd);
    }
}

#[test]
fn a_base_row_is_discounted_by_its_transfer_offset_shared_across_rows() {
    let base =
        Offset::from_multiplier(Estimand::Base, &Estimate::parse("1 to 10").unwrap()).unwrap();
    assert_close!(base.mean, 0.5, ROUNDING, "mean of the base offset");
    assert_close!(base.sd, 0.5 / Z95, ROUNDING, "sd of the base offset");
    let transfer = Transfer {
        base,
        ..Transfer::NONE
    };
    let settings = InferenceSettings::fine(transfer, 0.2);
    let as_base = |y, study| row(Observation::Exact(y), 0.0, study, Estimand::Base, 0.3);
    let rows = [as_base(2.5, "s"), as_base(2.7, "t"), exact(1.9, -0.5, "t")];
    let got = posterior(&available(1.0, 0.5), &point_growth(0.1), &rows, &settings).unwrap();
    let (mean, sd) = closed_form((1.0, 0.5), 0.1, &rows, 0.2, &transfer);
    assert_normal("base rows", &got, mean, sd);
    let plain = [
        exact(2.5, 0.0, "s"),
        exact(2.7, 0.0, "t"),
        exact(1.9, -0.5, "t"),
    ];
    let as_post = posterior(&available(1.0, 0.5), &point_growth(0.1), &plain, &settings).unwrap();
    assert!(
        got.available.p50 < as_post.available.p50 - 0.1,
        "{got:?} {as_post:?}"
    );
}

#[test]
fn bounds_move_the_posterior_their_way_and_never_to_a_point() {
    let settings = InferenceSettings::fine(Transfer::NONE, 0.2);
    let prior = available(1.0, 0.5);
    let growth = Prior::growth(&Estimate::parse("0.1 to 0.5").unwrap());
    let none = posterior(&prior, &growth, &[], &settings).unwrap();
    let bound = |obs| {
        [
            row(obs, -0.5, "", Estimand::PostTrained, 0.3),
            row(obs, -1.0, "", Estimand::PostTrained, 0.3),
        ]
    };
    let up = posterior(
        &prior,
        &growth,
        &bound(Observation::AtLeast(2.0)),
        &settings,
    )
    .unwrap();
    let down = posterior(&prior, &growth, &bound(Observation::AtMost(0.5)), &settings).unwrap();
    assert_close!(
        none.available.p50,
        1.0,
        grid_quantile(0.5),
        "the prior's median in {none:?}"
    );
    assert!(up.available.p50 > none.available.p50 + 0.2, "{up:?}");
    assert!(down.available.p50 < none.available.p50 - 0.2, "{down:?}");
    for got in [&up, &down] {
        assert!(
            got.available.sd > 0.1 && got.available.p95 - got.available.p5 > 0.3,
            "{got:?}"
        );
        assert!(got.edge < -DROP);
    }
    // A bound says the level is beyond it, not at it: far below a bound, the posterior is
    // above it, but not pinned there.
    assert!(up.available.p5 < 2.0 && up.available.p95 > 1.5, "{up:?}");
    // A lognormal growth prior keeps g above 0.
    assert!(up.growth.p5 > 0.0);
}

/// The mean of 300 x 300 draws on a lattice of uniforms against the grid posterior's mean, of
/// a posterior with standard deviation `sd`: the lattice takes each margin at 300 evenly
/// spaced probabilities, a midpoint rule in probability whose error comes from the tails, where
/// the inverse CDF is steep: about 1e-3 sd (1.01e-3 sd measured for growth, 3e-5 sd for the
/// level), held to 2e-3 sd.
fn lattice_mean(sd: f64) -> Tolerance {
    Tolerance::absolute("LATTICE_MEAN (2e-3 sd)", 2e-3 * sd)
}

/// The correlation of the lattice draws against the grid posterior's: the 300 levels of each
/// margin and the draw of `g` given `a`, interpolated within grid cells, move it by 2.6e-3 in
/// the test; 1e-2 leaves room for that and still catches draws of independent margins.
/// A percentile read on the full posterior's grid against one on a grid laid for it: two
/// grids of 201 cells over different boxes, each good to about 1e-3 posterior sd (sd 0.2
/// here, 1e-6 apart measured).
const ANOTHER_GRID: Tolerance = Tolerance::absolute("ANOTHER_GRID", 1e-4);

const LATTICE_CORRELATION: Tolerance = Tolerance::absolute("LATTICE_CORRELATION", 1e-2);

#[test]
fn draws_follow_the_posterior_jointly() {
    let rows: Vec<InferenceRow> = [(1.8, -1.0), (2.3, -0.5), (2.6, -2.0)]
        .iter()
        .map(|&(y, t)| exact(y, t, ""))
        .collect();
    let settings = InferenceSettings::fine(Transfer::NONE, 0.0);
    let got = posterior(
        &available(1.0, 0.5),
        &Prior::normal(0.3, 0.2).unwrap(),
        &rows,
        &settings,
    )
    .unwrap();
    // A lattice of uniforms: the draws' moments are those of the grid posterior.
    let n = 300;
    let draws: Vec<(f64, f64)> = (0..n * n)
        .map(|k| {
            let u = (f64::from(k / n) + 0.5) / f64::from(n);
            let v = (f64::from(k % n) + 0.5) / f64::from(n);
            got.draw(u, v)
        })
        .collect();
    let count = draws.len() as f64;
    let (ma, mg) = draws
        .iter()
        .fold((0.0, 0.0), |(a, g), d| (a + d.0 / count, g + d.1 / count));
    let cov = draws.iter().map(|d| (d.0 - ma) * (d.1 - mg)).sum::<f64>() / count;
    let (sa, sg) = (got.available.sd, got.growth.sd);
    assert_close!(
        ma,
        got.available.mean,
        lattice_mean(sa),
        "mean of a in {:?}",
        got.available
    );
    assert_close!(
        mg,
        got.growth.mean,
        lattice_mean(sg),
        "mean of g in {:?}",
        got.growth
    );
    assert_close!(
        cov / (sa * sg),
        got.correlation,
        LATTICE_CORRELATION,
        "correlation of the draws"
    );
    assert!(
        got.correlation.abs() > 0.3,
        "the rows tie a to g: {}",
        got.correlation
    );
    assert_eq!(got.draw(0.5, 0.5).0, got.available.p50);
}

#[test]
fn influence_and_the_vague_prior_say_what_each_study_and_the_prior_decide() {
    let settings = InferenceSettings::fine(Transfer::NONE, 0.2);
    let rows = [
        exact(2.0, -0.5, "s"),
        exact(2.2, -0.3, "s"),
        exact(3.5, -1.0, ""),
        row(
            Observation::AtLeast(2.5),
            -0.2,
            "",
            Estimand::PostTrained,
            0.3,
        ),
    ];
    let prior = available(1.0, 0.5);
    let growth = point_growth(0.2);
    let got = infer(&prior, &growth, &rows, &settings).unwrap();
    assert_eq!(got.influence.len(), 3);
    assert_eq!(got.influence[0].rows, vec![0, 1]);
    assert_eq!(got.influence[1].rows, vec![2]);
    // The high row pulls the level up, so leaving it out lowers the median.
    assert!(
        got.influence[1].available_shift > 0.05,
        "{:?}",
        got.influence
    );
    let without = posterior(&prior, &growth, &rows[..3], &settings).unwrap();
    let loo = &got.influence[2];
    // Read on the full posterior's grid, against a refit on its own.
    assert_close!(
        loo.available_p50,
        without.available.p50,
        ANOTHER_GRID,
        "median without the bound"
    );
    assert_close!(
        loo.available_shift,
        got.posterior.available.p50 - without.available.p50,
        ANOTHER_GRID,
        "shift of the bound"
    );
    // The prior at 10 (log10 1) pulls down; without it the data speak, so the level is higher.
    assert!(
        got.vague.available.p50 > got.posterior.available.p50,
        "{got:?}"
    );
    assert!(got.vague.prior_available[2] - got.vague.prior_available[0] > 9.0);
}

#[test]
fn the_same_inputs_give_the_same_bits() {
    let settings = InferenceSettings::fine(
        Transfer {
            base: Offset::from_multiplier(Estimand::Base, &Estimate::parse("1 to 10").unwrap())
                .unwrap(),
            ..Transfer::NONE
        },
        0.25,
    );
    let rows = [
        row(Observation::Exact(2.0), -0.5, "s", Estimand::Base, 0.3),
        row(
            Observation::AtLeast(2.5),
            -0.2,
            "s",
            Estimand::PostTrained,
            0.4,
        ),
        exact(1.7, -1.5, ""),
    ];
    let prior = available(1.0, 0.5);
    let growth = Prior::growth(&Estimate::parse("0.1 to 0.5").unwrap());
    let run = || {
        let got = infer(&prior, &growth, &rows, &settings).unwrap();
        let draws: Vec<u64> = (0..50)
            .flat_map(|k| {
                let (a, g) = got
                    .posterior
                    .draw(f64::from(k) / 50.0, 1.0 - f64::from(k) / 50.0);
                [a.to_bits(), g.to_bits()]
            })
            .collect();
        (format!("{got:?}"), draws)
    };
    assert_eq!(run(), run());
}

#[test]
fn bad_rows_and_settings_are_refused_by_name() {
    let prior = available(1.0, 0.5);
    let growth = point_growth(0.1);
    let mut settings = InferenceSettings::fine(Transfer::NONE, 0.2);
    let bad = [row(Observation::Exact(1.0), 0.0, "", Estimand::Base, 0.0)];
    let err = posterior(&prior, &growth, &bad, &settings).unwrap_err();
    assert_eq!(
        err.to_string(),
        "row 0: expected a finite sigma (sigma above 0), found 0"
    );
    settings.study_sd = -1.0;
    let err = posterior(&prior, &growth, &[], &settings).unwrap_err();
    assert_eq!(err.to_string(), "setting study_sd: out of range, found -1");
    let normal = Estimate::parse("normal(1, 2)").unwrap();
    assert!(Prior::available(&normal).is_err());
    assert!(Offset::from_multiplier(Estimand::Base, &normal).is_err());
}

/// How close the grid posterior must come to scipy's, of a posterior with standard deviation
/// `sd`: both are grids (the Rust's percentiles interpolate within cells of about 0.08 sd,
/// scipy's the trapezoid CDF on nodes 0.07 sd apart), with different quadratures of the study
/// effects and transfer offsets, so 3e-3 sd.
fn scipy_grid(sd: f64) -> Tolerance {
    Tolerance::absolute("SCIPY_GRID (3e-3 sd)", 3e-3 * sd)
}

/// The correlation of `a` and `g` against scipy's: the same two grids, 3e-3.
const SCIPY_CORRELATION: Tolerance = Tolerance::absolute("SCIPY_CORRELATION", 3e-3);

/// A number of a vectors file: a string holding a float's repr, or a JSON number.
pub(crate) fn num(v: &serde_json::Value) -> f64 {
    v.as_str()
        .map_or_else(|| v.as_f64().unwrap(), |s| s.parse().unwrap())
}

/// The priors, rows and settings of a case of a vectors file written by inference.py or
/// backtest.py.
pub(crate) fn case_inputs(
    case: &serde_json::Value,
) -> (Prior, Prior, Vec<InferenceRow>, InferenceSettings) {
    let estimate = |key: &str| Estimate::parse(case[key].as_str().unwrap()).unwrap();
    let offset = |e: Estimand| {
        let text = case["transfer"][e.name()].as_str().unwrap();
        Offset::from_multiplier(e, &Estimate::parse(text).unwrap()).unwrap()
    };
    let transfer = Transfer {
        base: offset(Estimand::Base),
        post_trained: offset(Estimand::PostTrained),
        versus_pte: offset(Estimand::VersusPte),
    };
    let rows: Vec<InferenceRow> = case["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let y = num(&r["y"]);
            let obs = match r["kind"].as_str().unwrap() {
                "exact" => Observation::Exact(y),
                "at_least" => Observation::AtLeast(y),
                _ => Observation::AtMost(y),
            };
            let estimand = *Estimand::ALL
                .iter()
                .find(|e| e.name() == r["estimand"].as_str().unwrap())
                .unwrap();
            row(
                obs,
                num(&r["years"]),
                r["study"].as_str().unwrap(),
                estimand,
                num(&r["sigma"]),
            )
        })
        .collect();
    let settings = InferenceSettings::fine(transfer, num(&case["study_sd"]));
    let available = Prior::available(&estimate("available")).unwrap();
    let growth = Prior::growth(&estimate("growth"));
    (available, growth, rows, settings)
}

#[test]
fn posteriors_agree_with_scipy() {
    use serde_json::Value;
    let cases: Value = serde_json::from_str(include_str!("../vectors/inference.json")).unwrap();
    for case in cases.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let (available, growth, rows, settings) = case_inputs(case);
        let got = posterior(&available, &growth, &rows, &settings).unwrap();
        let expected = &case["posterior"];
        for (what, m, e) in [
            ("a", got.available, &expected["available"]),
            ("g", got.growth, &expected["growth"]),
        ] {
            let sd = num(&e["sd"]);
            for (key, value) in [
                ("p5", m.p5),
                ("p50", m.p50),
                ("p95", m.p95),
                ("mean", m.mean),
                ("sd", m.sd),
            ] {
                let want = num(&e[key]);
                assert_close!(
                    value,
                    want,
                    scipy_grid(sd),
                    "{name}: {what} {key} against scipy ({:.1e} sd)",
                    (value - want).abs() / sd
                );
            }
        }
        let r = num(&expected["correlation"]);
        assert_close!(
            got.correlation,
            r,
            SCIPY_CORRELATION,
            "{name}: correlation against scipy"
        );
        assert!(got.edge < -DROP, "{name}: {}", got.edge);
    }
}

#[test]
fn evidence_far_beyond_the_prior_is_found_and_resolved() {
    // The prior puts the level within 1 +- 0.8 (8 sd); twenty rows say 3. The grid must widen
    // past the prior's box and narrow onto a posterior 25 prior sds away.
    let rows: Vec<InferenceRow> = (0..20)
        .map(|i| {
            row(
                Observation::Exact(3.0 + 0.01 * f64::from(i % 3)),
                0.0,
                "",
                Estimand::PostTrained,
                0.1,
            )
        })
        .collect();
    let settings = InferenceSettings::fine(Transfer::NONE, 0.0);
    let got = posterior(&available(1.0, 0.1), &point_growth(0.0), &rows, &settings).unwrap();
    let (mean, sd) = closed_form((1.0, 0.1), 0.0, &rows, 0.0, &Transfer::NONE);
    assert!(mean > 2.8, "{mean}");
    assert_normal("far from the prior", &got, mean, sd);
}

/// A default posterior's percentiles against the fine settings': 81 cells over the mass
/// within e^-20 of the mode (about 0.16 posterior sd a cell) against 201, and 8 and 6
/// quadrature nodes against 16 and 8. The piecewise-uniform density's percentiles are off
/// by a small share of a cell: 0.05 posterior sd allows a third of one (0.013 measured, the
/// 5th percentile of growth).
const DEFAULT_RESOLUTION: f64 = 0.05;

#[test]
fn the_default_grid_and_quadrature_agree_with_the_fine_ones() {
    let base =
        Offset::from_multiplier(Estimand::Base, &Estimate::parse("1 to 10").unwrap()).unwrap();
    let transfer = Transfer {
        base,
        ..Transfer::NONE
    };
    let rows = [
        row(Observation::Exact(1.2), -3.0, "a", Estimand::Base, 0.25),
        row(Observation::AtLeast(1.4), -2.5, "a", Estimand::Base, 0.25),
        exact(0.8, -1.0, "b"),
        row(
            Observation::AtLeast(1.0),
            -0.5,
            "c",
            Estimand::PostTrained,
            0.2,
        ),
        exact(0.6, -0.2, "c"),
        row(Observation::AtMost(1.1), -1.5, "", Estimand::VersusPte, 0.4),
    ];
    let prior = available(0.6, 0.3);
    let growth = Prior::growth(&Estimate::parse("0.02 to 0.25").unwrap());
    let default = infer(
        &prior,
        &growth,
        &rows,
        &InferenceSettings::new(transfer, 0.3),
    )
    .unwrap();
    let fine = infer(
        &prior,
        &growth,
        &rows,
        &InferenceSettings::fine(transfer, 0.3),
    )
    .unwrap();
    let pairs = [
        (&default.posterior, &fine.posterior),
        (&default.vague, &fine.vague),
    ];
    for (k, (d, f)) in pairs.into_iter().enumerate() {
        for (name, dm, fm) in [("a", d.available, f.available), ("g", d.growth, f.growth)] {
            for (q, x, y) in [
                ("p5", dm.p5, fm.p5),
                ("p50", dm.p50, fm.p50),
                ("p95", dm.p95, fm.p95),
            ] {
                let off = (x - y).abs() / fm.sd;
                assert!(
                    off < DEFAULT_RESOLUTION,
                    "posterior {k} {name} {q}: {off} sd"
                );
            }
        }
    }
    for (d, f) in default.influence.iter().zip(&fine.influence) {
        let off = (d.available_shift - f.available_shift).abs() / fine.posterior.available.sd;
        assert!(off < DEFAULT_RESOLUTION, "{}: {off} sd", f.study);
    }
}
