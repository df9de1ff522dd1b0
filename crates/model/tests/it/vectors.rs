//! The quantile functions against scipy.stats, from `tests/vectors/quantiles.json`
//! (made by `tests/vectors/gen_vectors.py`).
//!
//! Tolerances are relative. Closed forms (normal, lognormal, uniform, loguniform, triangular,
//! the `a to b` forms and the interval conversion) must agree to [`CLOSED_FORM`]; the families
//! inverted numerically (beta, Student's t) and the incomplete beta function to [`NUMERIC`].
//! Where a location-scale family's quantile crosses 0, the error is measured relative to the
//! larger of the value and the distribution's spread, since `mean + sd * z` cannot be more
//! accurate than that.

use overhang_model::Estimate;
use overhang_model::estimate::{lognormal_from_interval90, normal_from_interval90};
use overhang_model::special;
use serde::Deserialize;

/// Relative tolerance for closed forms.
const CLOSED_FORM: f64 = 1e-12;
/// Relative tolerance for functions inverted or summed numerically.
const NUMERIC: f64 = 1e-10;

#[derive(Deserialize)]
struct Vectors {
    probs: Vec<f64>,
    estimates: Vec<EstimateCase>,
    interval90: Vec<IntervalCase>,
    norm_ppf: Vec<(f64, f64)>,
    beta_ppf: Vec<(f64, f64, f64, f64)>,
    beta_inc: Vec<(f64, f64, f64, f64)>,
    student_t_ppf: Vec<(f64, f64, f64)>,
    student_t_cdf: Vec<(f64, f64, f64)>,
}

#[derive(Deserialize)]
struct EstimateCase {
    text: String,
    spread: f64,
    quantiles: Vec<f64>,
}

#[derive(Deserialize)]
struct IntervalCase {
    low: f64,
    high: f64,
    family: String,
    mu: Option<f64>,
    sigma: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../vectors/quantiles.json")).expect("valid vectors")
}

/// The relative error of `got` against `want`, measured against `max(|want|, scale)`.
#[expect(
    clippy::float_cmp,
    reason = "equal values, infinities included, have no error"
)]
fn rel_err(got: f64, want: f64, scale: f64) -> f64 {
    if got == want {
        return 0.0;
    }
    (got - want).abs() / want.abs().max(scale)
}

/// Checks every case and reports all failures at once, worst first.
fn check(what: &str, cases: impl IntoIterator<Item = (String, f64, f64, f64)>, tol: f64) {
    let mut failures: Vec<(f64, String)> = Vec::new();
    let mut count = 0;
    for (label, got, want, scale) in cases {
        count += 1;
        let e = rel_err(got, want, scale);
        if e.is_nan() || e > tol {
            failures.push((
                e,
                format!("{label}: got {got:e}, want {want:e}, rel err {e:e}"),
            ));
        }
    }
    assert!(count > 0, "{what}: no cases");
    failures.sort_by(|a, b| b.0.total_cmp(&a.0));
    assert!(
        failures.is_empty(),
        "{what}: {} of {count} cases beyond {tol:e}:\n{}",
        failures.len(),
        failures
            .iter()
            .map(|f| f.1.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn estimate_quantiles_match_scipy() {
    let v = vectors();
    let mut closed = Vec::new();
    let mut numeric = Vec::new();
    for case in &v.estimates {
        let e = Estimate::parse(&case.text).unwrap_or_else(|err| panic!("{}: {err}", case.text));
        let is_beta = case.text.starts_with("beta");
        for (&p, &want) in v.probs.iter().zip(&case.quantiles) {
            let row = (
                format!("{} at p={p:e}", case.text),
                e.quantile(p),
                want,
                case.spread,
            );
            if is_beta {
                numeric.push(row);
            } else {
                closed.push(row);
            }
        }
    }
    check("closed-form estimate quantiles", closed, CLOSED_FORM);
    check("beta estimate quantiles", numeric, NUMERIC);
}

#[test]
fn every_estimate_family_is_covered_by_the_vectors() {
    let v = vectors();
    for prefix in [
        "normal(",
        "lognormal(",
        "uniform(",
        "loguniform(",
        "beta(",
        "triangular(",
    ] {
        assert!(
            v.estimates.iter().any(|c| c.text.starts_with(prefix)),
            "{prefix}"
        );
    }
    let intervals: Vec<_> = v
        .estimates
        .iter()
        .filter(|c| c.text.contains(" to "))
        .collect();
    assert!(intervals.iter().any(|c| c.text.starts_with('-')));
    assert!(
        intervals
            .iter()
            .any(|c| !c.text.starts_with('-') && !c.text.starts_with('0'))
    );
    assert!(v.probs.contains(&1e-6) && v.probs.contains(&0.999_999));
}

#[test]
fn interval90_conversion_matches_scipy() {
    let v = vectors();
    let mut cases = Vec::new();
    for c in &v.interval90 {
        let label = format!("{} to {}", c.low, c.high);
        match c.family.as_str() {
            "lognormal" => {
                let (mu, sigma) = lognormal_from_interval90(c.low, c.high);
                let want_sigma = c.sigma.expect("sigma");
                cases.push((format!("{label} mu"), mu, c.mu.expect("mu"), want_sigma));
                cases.push((format!("{label} sigma"), sigma, want_sigma, 0.0));
            }
            "normal" => {
                let (mean, sd) = normal_from_interval90(c.low, c.high);
                let want_sd = c.sd.expect("sd");
                cases.push((
                    format!("{label} mean"),
                    mean,
                    c.mean.expect("mean"),
                    want_sd,
                ));
                cases.push((format!("{label} sd"), sd, want_sd, 0.0));
            }
            other => panic!("unknown family {other}"),
        }
        // The interval's own bounds come back as the 5th and 95th percentiles.
        let e = Estimate::parse(&format!("{} to {}", c.low, c.high)).expect("valid interval");
        let (p5, p95) = e.interval90();
        let width = c.high - c.low;
        cases.push((format!("{label} p5"), p5, c.low, width));
        cases.push((format!("{label} p95"), p95, c.high, width));
    }
    check("interval90", cases, CLOSED_FORM);
}

#[test]
fn norm_ppf_matches_scipy_into_the_far_tails() {
    let v = vectors();
    let cases = v.norm_ppf.iter().map(|&(p, want)| {
        // The quantile is exactly 0 at p = 1/2; elsewhere relative error is meaningful.
        (format!("p={p:e}"), special::norm_ppf(p), want, 1e-300)
    });
    check("norm_ppf", cases, CLOSED_FORM);
}

#[test]
fn beta_ppf_matches_scipy() {
    let v = vectors();
    let cases = v.beta_ppf.iter().map(|&(p, a, b, want)| {
        (
            format!("beta({a}, {b}) at p={p:e}"),
            special::beta_ppf(p, a, b),
            want,
            1e-300,
        )
    });
    check("beta_ppf", cases, NUMERIC);
}

#[test]
fn beta_inc_matches_scipy() {
    let v = vectors();
    let cases = v.beta_inc.iter().map(|&(x, a, b, want)| {
        (
            format!("I_{x:e}({a}, {b})"),
            special::beta_inc(x, a, b),
            want,
            1e-300,
        )
    });
    check("beta_inc", cases, NUMERIC);
}

#[test]
fn student_t_ppf_matches_scipy() {
    let v = vectors();
    let cases = v.student_t_ppf.iter().map(|&(p, df, want)| {
        (
            format!("t({df}) at p={p:e}"),
            special::student_t_ppf(p, df),
            want,
            1e-300,
        )
    });
    check("student_t_ppf", cases, NUMERIC);
}

#[test]
fn student_t_cdf_matches_scipy() {
    let v = vectors();
    let cases = v.student_t_cdf.iter().map(|&(t, df, want)| {
        (
            format!("t({df}) cdf at {t:e}"),
            special::student_t_cdf(t, df),
            want,
            1e-300,
        )
    });
    check("student_t_cdf", cases, NUMERIC);
}
