//! Invariants of the aggregation methods and of the outputs, on seeded random assessments.

use overhang_model::results::ScenarioResults;
use overhang_testkit::{LOG_SPACE, ROUNDING, assert_close};
use std::fmt::Write as _;

use crate::{assessment, run};

const SAMPLES: u64 = 3000;

/// A small deterministic generator for the test's parameters.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

/// The categories and thresholds of a random assessment; `elicited` adds random elicited CEGs.
fn random_categories(rng: &mut Lcg, elicited: bool) -> String {
    random_categories_growing_from(rng, elicited, -0.2)
}

/// [`random_categories`] with growth intervals whose lower bound is at least `lowest` (a
/// positive lower bound makes every growth interval lognormal: growth is positive).
fn random_categories_growing_from(rng: &mut Lcg, elicited: bool, lowest: f64) -> String {
    let n = 1 + (rng.next() * 5.0) as usize;
    let mut s = String::from("[horizon]\nmonths = 48\nstep_months = 6\n");
    for c in 0..n {
        let lo = rng.range(1.0, 10.0);
        let hi = lo * rng.range(1.5, 50.0);
        let g_lo = rng.range(lowest, 0.2);
        let g_hi = g_lo + rng.range(0.01, 0.4);
        write!(
            s,
            "[categories.c{c}]\nlabel = \"C{c}\"\navailable = \"{lo:.3} to {hi:.3}\"\n\
             growth = \"{g_lo:.3} to {g_hi:.3}\"\n"
        )
        .unwrap();
        if rng.next() < 0.5 {
            let k = rng.range(20.0, 200.0);
            writeln!(s, "cap = \"{k:.2} to {:.2}\"", k * 5.0).unwrap();
        }
        if elicited {
            writeln!(s, "elicited = \"1 to {:.3}\"", rng.range(1.5, 30.0)).unwrap();
        }
    }
    for m in [2.0, 4.0, 30.0] {
        write!(s, "[[thresholds]]\nlabel = \"{m}x\"\nmultiplier = {m}\n").unwrap();
    }
    s
}

fn with_method(categories: &str, composability: &str, seed: u64) -> ScenarioResults {
    let body = format!("[composability]\n{composability}\n{categories}");
    run(&assessment(&body, SAMPLES, seed)).remove(0)
}

fn quantiles(r: &ScenarioResults) -> Vec<[f64; 6]> {
    r.projection
        .iter()
        .map(|p| [p.p5, p.p25, p.p50, p.p75, p.p95, p.mean_log10])
        .collect()
}

fn projection_json(r: &ScenarioResults) -> String {
    serde_json::to_string(&(&r.projection, &r.thresholds)).unwrap()
}

#[test]
fn max_is_below_largest_first_which_is_below_multiplicative() {
    let mut rng = Lcg(1);
    for case in 0..6 {
        let cats = random_categories(&mut rng, false);
        let seed = 100 + case;
        let mult = quantiles(&with_method(&cats, "method = \"multiplicative\"", seed));
        let max = quantiles(&with_method(&cats, "method = \"max\"", seed));
        let lf = quantiles(&with_method(
            &cats,
            "method = \"largest-first\"\nkappa = \"uniform(0.2, 0.8)\"",
            seed,
        ));
        // The draws of every category are the same under each method (streams are keyed by
        // input id), and with nothing elicited U is ordered sample by sample, so every
        // quantile and the mean are ordered.
        for (step, ((a, b), c)) in max.iter().zip(&lf).zip(&mult).enumerate() {
            for k in 0..6 {
                assert!(
                    a[k] <= b[k] && b[k] <= c[k],
                    "case {case} step {step} stat {k}: max {} lf {} mult {}",
                    a[k],
                    b[k],
                    c[k]
                );
            }
        }
    }
}

#[test]
fn limiting_composabilities_reproduce_the_other_methods() {
    let mut rng = Lcg(2);
    for case in 0..4 {
        let cats = random_categories(&mut rng, true);
        let seed = 200 + case;
        let mult = with_method(&cats, "method = \"multiplicative\"", seed);
        let max = with_method(&cats, "method = \"max\"", seed);
        let kappa0 = with_method(&cats, "method = \"largest-first\"\nkappa = 0", seed);
        let kappa1 = with_method(&cats, "method = \"largest-first\"\nkappa = 1", seed);
        let pair1 = with_method(&cats, "method = \"pairwise\"\npair_default = 1", seed);
        let pair0 = with_method(&cats, "method = \"pairwise\"\npair_default = 0", seed);
        assert_eq!(
            projection_json(&kappa0),
            projection_json(&max),
            "case {case}"
        );
        // With no composability every top set has capacity 1: the integral is the largest
        // level itself.
        assert_eq!(
            projection_json(&pair0),
            projection_json(&max),
            "case {case}"
        );
        // max + 1 * (sum - max) rounds differently from the sum, and so does the pairwise
        // integral, which adds the levels in decreasing order.
        for (approx, exact) in [(&kappa1, &mult), (&pair1, &mult)] {
            for (a, b) in quantiles(approx).iter().zip(quantiles(exact)) {
                for k in 0..6 {
                    assert_close!(a[k], b[k], LOG_SPACE, "case {case}");
                }
            }
        }
    }
}

#[test]
fn uplift_is_never_negative_and_every_output_is_ordered_and_consistent() {
    let mut rng = Lcg(3);
    for case in 0..6 {
        let cats = random_categories(&mut rng, true);
        let method = [
            "method = \"multiplicative\"",
            "method = \"max\"",
            "method = \"largest-first\"\nkappa = \"beta(2, 3)\"",
            "method = \"pairwise\"\npair_default = \"triangular(0, 0.5, 1)\"",
        ][case % 4];
        let r = with_method(&cats, method, 300 + case as u64);
        for p in &r.projection {
            let q = [p.p5, p.p25, p.p50, p.p75, p.p95];
            assert!(q[0] >= 1.0, "case {case}: multiplier below 1: {q:?}");
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "case {case}: {q:?}");
            assert!(p.mean_log10 >= 0.0);
            assert!(p.se.to_array().iter().all(|s| s.is_finite() && *s >= 0.0));
        }
        for t in &r.thresholds {
            assert!(t.probability.iter().all(|p| (0.0..=1.0).contains(p)));
            let months: Vec<f64> = t
                .crossing_months
                .to_array()
                .iter()
                .flatten()
                .copied()
                .collect();
            assert!(months.windows(2).all(|w| w[0] <= w[1]));
            assert!(months.iter().all(|m| (0.0..=48.0).contains(m)));
            // Crossed by the horizon is at least as likely as being above at the horizon.
            let above_at_end = *t.probability.last().unwrap();
            assert!(1.0 - t.p_no_crossing >= above_at_end - 1e-12);
            assert!(1.0 - t.p_no_crossing >= t.probability[0] - 1e-12);
        }
        // Larger thresholds are crossed less often.
        for w in r.thresholds.windows(2) {
            for (a, b) in w[0].probability.iter().zip(&w[1].probability) {
                assert!(a >= b);
            }
        }
        for h in &r.histograms {
            assert_eq!(h.edges_log10.len(), h.fractions.len() + 1);
            assert!(h.edges_log10.windows(2).all(|w| w[0] < w[1]));
            let total: f64 = h.fractions.iter().sum();
            assert_close!(total, 1.0, ROUNDING, "{total}");
        }
        for s in &r.sensitivity {
            assert!(
                s.inputs
                    .iter()
                    .all(|e| (0.0..=1.0).contains(&e.first_order))
            );
            let ranks: Vec<u32> = s.inputs.iter().map(|e| e.rank).collect();
            assert_eq!(ranks, (1..=s.inputs.len() as u32).collect::<Vec<_>>());
        }
        for c in &r.contributions {
            for three in [c.available, c.elicited, c.at_horizon] {
                assert!(three.p5 <= three.p50 && three.p50 <= three.p95);
            }
        }
    }
}

#[test]
fn with_growth_never_negative_no_crossing_within_the_horizon_is_not_exceeded_at_it() {
    // Levels only grow and every aggregation is monotone, so U(t) never falls: a sample that
    // crossed a threshold at some step is above it at the horizon, and the two counts agree
    // sample for sample.
    let mut rng = Lcg(4);
    let mut informative = 0;
    for case in 0..8 {
        let cats = random_categories_growing_from(&mut rng, true, 0.001);
        let method = [
            "method = \"pairwise\"\npair_default = \"uniform(0, 1)\"",
            "method = \"largest-first\"\nkappa = \"beta(2, 3)\"",
            "method = \"multiplicative\"",
            "method = \"max\"",
        ][case % 4];
        let r = with_method(&cats, method, 400 + case as u64);
        let count = |p: f64| (p * SAMPLES as f64).round() as u64;
        for t in &r.thresholds {
            let never = count(t.p_no_crossing);
            let above_at_end = count(*t.probability.last().unwrap());
            informative += usize::from(never > 0 && above_at_end > 0);
            assert_eq!(
                never + above_at_end,
                SAMPLES,
                "case {case} {}: {} never crossed, {} above at the horizon",
                t.label,
                never,
                above_at_end
            );
        }
        let p50: Vec<f64> = r.projection.iter().map(|p| p.p50).collect();
        assert!(p50.windows(2).all(|w| w[1] >= w[0]), "case {case}: {p50:?}");
    }
    assert!(
        informative > 4,
        "{informative} thresholds both crossed and not"
    );
}
