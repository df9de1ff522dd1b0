//! Simulation-based calibration of the inference (Talts et al. 2018, arXiv 1804.06788):
//! datasets drawn from the prior and the model, each refitted; the rank of the true `a` and
//! `g` among posterior draws is uniform when the posterior is right. Ignored by default (a
//! few minutes); run with
//! `cargo test --workspace --locked --test it sbc -- --ignored --nocapture`.

use overhang_calibrate::infer::{
    Estimand, InferenceRow, InferenceSettings, Observation, Offset, Prior, Transfer, posterior,
};
use overhang_model::Estimate;
use overhang_model::special::norm_ppf;
use overhang_testkit::{Tolerance, assert_close};

/// Datasets refitted.
const DATASETS: usize = 200;
/// Posterior draws per dataset: ranks take `DRAWS + 1` values.
const DRAWS: usize = 99;
/// Bins of the rank histogram (`DRAWS + 1` must be a multiple).
const BINS: usize = 10;

/// `SplitMix64`: a portable, seeded stream of uniforms for the test's own draws.
struct Stream(u64);

impl Stream {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        norm_ppf(self.uniform())
    }
}

/// One row of the design: when, which study, which estimand, its sd, and the censoring of
/// its value (`Some((true, c))`: reported as `>= c` when at or above `c`; `Some((false, c))`:
/// as `<= c` when at or below).
type Design = (f64, &'static str, Estimand, f64, Option<(bool, f64)>);

const DESIGN: [Design; 8] = [
    (-1.5, "A", Estimand::PostTrained, 0.3, None),
    (-1.0, "A", Estimand::Base, 0.3, None),
    (-0.5, "B", Estimand::PostTrained, 0.4, Some((true, 2.0))),
    (-0.4, "B", Estimand::Base, 0.3, None),
    (-2.0, "", Estimand::PostTrained, 0.3, None),
    (-0.2, "", Estimand::VersusPte, 0.5, None),
    (-0.8, "C", Estimand::PostTrained, 0.3, None),
    (-0.3, "C", Estimand::PostTrained, 0.3, Some((false, 0.8))),
];

/// `P(chi2_df > x)`, by the series of the regularised lower incomplete gamma function.
fn chi_square_sf(x: f64, df: f64) -> f64 {
    let (a, z) = (df / 2.0, x / 2.0);
    let (mut term, mut sum, mut n) = (1.0 / a, 1.0 / a, 1.0);
    while term > 1e-17 * sum {
        term *= z / (a + n);
        sum += term;
        n += 1.0;
    }
    1.0 - libm::exp(a * libm::log(z) - z - libm::lgamma(a)) * sum
}

#[test]
#[ignore = "simulation-based calibration refits 200 datasets (minutes)"]
#[expect(
    clippy::print_stderr,
    reason = "the calibration's figures are read by a person"
)]
fn ranks_of_the_truth_among_posterior_draws_are_uniform() {
    let available = Prior::available(&Estimate::parse("3 to 300").unwrap()).unwrap();
    let growth = Prior::growth(&Estimate::parse("0.1 to 0.6").unwrap());
    let base =
        Offset::from_multiplier(Estimand::Base, &Estimate::parse("1 to 10").unwrap()).unwrap();
    let tau = 0.2;
    let settings = InferenceSettings::new(
        Transfer {
            base,
            ..Transfer::NONE
        },
        tau,
    );
    let mut rng = Stream(20_181_804);
    let mut hist = [[0usize; BINS]; 2];
    let mut censored = 0;
    for _ in 0..DATASETS {
        let a = available.quantile(rng.uniform());
        let g = growth.quantile(rng.uniform());
        let d_base = base.mean + base.sd * rng.normal();
        let mut effects: Vec<(&str, f64)> = Vec::new();
        let rows: Vec<InferenceRow> = DESIGN
            .iter()
            .map(|&(years, study, estimand, sigma, censor)| {
                let u = match effects
                    .iter()
                    .find(|(s, _)| !study.is_empty() && *s == study)
                {
                    Some(&(_, u)) => u,
                    None => {
                        let u = tau * rng.normal();
                        effects.push((study, u));
                        u
                    }
                };
                let d = if estimand == Estimand::Base {
                    d_base
                } else {
                    0.0
                };
                let y = a + g * years + d + u + sigma * rng.normal();
                let y_log10 = match censor {
                    Some((true, c)) if y >= c => Observation::AtLeast(c),
                    Some((false, c)) if y <= c => Observation::AtMost(c),
                    _ => Observation::Exact(y),
                };
                censored += usize::from(!matches!(y_log10, Observation::Exact(_)));
                InferenceRow {
                    y_log10,
                    years,
                    study: study.to_owned(),
                    estimand,
                    sigma,
                }
            })
            .collect();
        let post = posterior(&available, &growth, &rows, &settings).unwrap();
        let (mut rank_a, mut rank_g) = (0, 0);
        for _ in 0..DRAWS {
            let (da, dg) = post.draw(rng.uniform(), rng.uniform());
            rank_a += usize::from(da < a);
            rank_g += usize::from(dg < g);
        }
        let per_bin = (DRAWS + 1) / BINS;
        hist[0][rank_a / per_bin] += 1;
        hist[1][rank_g / per_bin] += 1;
    }
    let expected = DATASETS as f64 / BINS as f64;
    for (name, h) in ["a", "g"].iter().zip(&hist) {
        let chi2: f64 = h
            .iter()
            .map(|&c| (c as f64 - expected) * (c as f64 - expected) / expected)
            .sum();
        let p = chi_square_sf(chi2, (BINS - 1) as f64);
        eprintln!(
            "{name}: ranks {h:?}, chi2 {chi2:.2} on {} df, p = {p:.3}",
            BINS - 1
        );
        assert!(p > 0.001, "{name}: ranks {h:?} are not uniform (p = {p})");
    }
    eprintln!("{censored} of {} rows censored", DATASETS * DESIGN.len());
}

#[test]
fn the_chi_square_tail_matches_known_values() {
    // scipy.stats.chi2.sf(16.919, 9) = 0.0500, chi2.sf(9, 9) = 0.437274
    assert_close!(chi_square_sf(16.919, 9.0), 0.05, Tolerance::decimals(4));
    assert_close!(chi_square_sf(9.0, 9.0), 0.437_274, Tolerance::decimals(6));
}

#[test]
#[ignore = "a timing for the documentation, not a check"]
#[expect(clippy::print_stderr, reason = "the timing is read by a person")]
fn time_one_category_of_fifteen_rows() {
    let available = Prior::available(&Estimate::parse("3 to 300").unwrap()).unwrap();
    let growth = Prior::growth(&Estimate::parse("0.1 to 0.6").unwrap());
    let base =
        Offset::from_multiplier(Estimand::Base, &Estimate::parse("1 to 10").unwrap()).unwrap();
    let settings = InferenceSettings::new(
        Transfer {
            base,
            ..Transfer::NONE
        },
        0.2,
    );
    let studies = [
        "A", "A", "B", "B", "B", "C", "", "", "D", "D", "", "E", "E", "", "",
    ];
    let rows: Vec<InferenceRow> = studies
        .iter()
        .enumerate()
        .map(|(i, study)| {
            let t = -0.2 * i as f64;
            let y = 2.0 + 0.3 * t + 0.1 * libm::sin(i as f64);
            InferenceRow {
                y_log10: match i % 5 {
                    3 => Observation::AtLeast(y),
                    _ => Observation::Exact(y),
                },
                years: t,
                study: (*study).to_owned(),
                estimand: if i % 4 == 1 {
                    Estimand::Base
                } else {
                    Estimand::PostTrained
                },
                sigma: 0.3,
            }
        })
        .collect();
    for (name, with_base) in [("with base rows", true), ("without base rows", false)] {
        let rows: Vec<InferenceRow> = rows
            .iter()
            .map(|r| InferenceRow {
                estimand: if with_base {
                    r.estimand
                } else {
                    Estimand::PostTrained
                },
                ..r.clone()
            })
            .collect();
        let start = std::time::Instant::now();
        let post = posterior(&available, &growth, &rows, &settings).unwrap();
        let one = start.elapsed();
        let start = std::time::Instant::now();
        let all = overhang_calibrate::infer::infer(&available, &growth, &rows, &settings).unwrap();
        eprintln!(
            "15 rows, {name}: posterior {one:?}, with influence of {} studies and the vague \
             prior {:?}; a p50 {:.3}, g p50 {:.3}",
            all.influence.len(),
            start.elapsed(),
            post.available.p50,
            post.growth.p50
        );
    }
}
