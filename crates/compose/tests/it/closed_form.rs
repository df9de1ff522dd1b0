//! Multiplicative aggregation of lognormal CEGs with normal growth: `U(t)` is normal, so every
//! reported number has a closed form to be checked against.

use overhang_model::special::{norm_cdf, norm_ppf};
use overhang_testkit::{ROUNDING, Tolerance, assert_close};
use std::fmt::Write as _;

use crate::{assessment, run};

const SAMPLES: u64 = 200_000;
const Z95: f64 = overhang_model::estimate::Z95;

/// Available CEG intervals (p5, p95) and growth (mean, sd) of the three categories. Levels stay
/// far above 0 (about 5 standard deviations), so the clamp at 0 does not bite.
const CATEGORIES: [((f64, f64), (f64, f64)); 3] = [
    ((100.0, 1000.0), (0.1, 0.03)),
    ((10.0, 100.0), (0.2, 0.05)),
    ((30.0, 3000.0), (0.05, 0.02)),
];
const THRESHOLDS: [f64; 3] = [1e7, 3e7, 1e8];

fn body() -> String {
    let mut s = String::from(
        "[horizon]\nmonths = 60\nstep_months = 6\n[composability]\nmethod = \"multiplicative\"\n",
    );
    for (i, ((lo, hi), (g, gs))) in CATEGORIES.iter().enumerate() {
        write!(
            s,
            "[categories.c{i}]\nlabel = \"C{i}\"\navailable = \"{lo} to {hi}\"\n\
             growth = \"normal({g}, {gs})\"\n"
        )
        .unwrap();
    }
    for m in THRESHOLDS {
        write!(s, "[[thresholds]]\nlabel = \"{m}x\"\nmultiplier = {m}\n").unwrap();
    }
    s
}

/// Mean and variance of the sum of the log10 CEGs, and of the sum of the growths.
fn moments() -> ((f64, f64), (f64, f64)) {
    let mut a = (0.0, 0.0);
    let mut b = (0.0, 0.0);
    for ((lo, hi), (g, gs)) in CATEGORIES {
        let (l, h) = (libm::log10(lo), libm::log10(hi));
        let sd = (h - l) / (2.0 * Z95);
        a.0 += f64::midpoint(l, h);
        a.1 += sd * sd;
        b.0 += g;
        b.1 += gs * gs;
    }
    (a, b)
}

/// Mean and standard deviation of `U` at `months`.
fn u_at(months: f64) -> (f64, f64) {
    let ((ma, va), (mb, vb)) = moments();
    let t = months / 12.0;
    (ma + mb * t, (va + vb * t * t).sqrt())
}

#[test]
fn quantiles_of_the_multiplier_are_within_three_standard_errors_of_the_closed_form() {
    let results = run(&assessment(&body(), SAMPLES, 11));
    let projection = &results[0].projection;
    assert_eq!(projection.len(), 11);
    for step in [0, 2, 6, 10] {
        let point = &projection[step];
        let (m, s) = u_at(f64::from(point.months));
        let got = [point.p5, point.p25, point.p50, point.p75, point.p95];
        for (k, p) in [0.05, 0.25, 0.5, 0.75, 0.95].into_iter().enumerate() {
            let want = libm::pow(10.0, m + s * norm_ppf(p));
            let se = point.se.to_array()[k];
            // The standard error itself: about 1.2 to 2.1 sigma / sqrt(n) in log units here.
            let rel = se / want / core::f64::consts::LN_10 / (s / (SAMPLES as f64).sqrt());
            assert!(
                (1.0..3.0).contains(&rel),
                "step {step} p {p}: se/sigma_n = {rel}"
            );
            assert_close!(
                got[k],
                want,
                Tolerance::standard_errors(3.0, se),
                "month {} p{}: got {} want {want} se {se}",
                point.months,
                p * 100.0,
                got[k]
            );
        }
        assert_close!(
            point.mean_log10,
            m,
            Tolerance::standard_errors(4.0, s / (SAMPLES as f64).sqrt()),
            "mean {} vs {m}",
            point.mean_log10
        );
    }
}

#[test]
fn threshold_probabilities_and_crossing_months_match_the_closed_form() {
    let results = run(&assessment(&body(), SAMPLES, 12));
    let nf = SAMPLES as f64;
    let ((ma, va), (mb, vb)) = moments();
    for (k, t) in results[0].thresholds.iter().enumerate() {
        let theta = libm::log10(THRESHOLDS[k]);
        for (j, &p_hat) in t.probability.iter().enumerate() {
            let (m, s) = u_at(f64::from(results[0].projection[j].months));
            let p = 1.0 - norm_cdf((theta - m) / s);
            let tol = Tolerance::standard_errors(4.0, (p * (1.0 - p) / nf).sqrt()).or(&ROUNDING);
            assert_close!(p_hat, p, tol, "threshold {k} step {j}: {p_hat} vs {p}");
        }
        // U is linear in t for every sample here, so the interpolated first crossing is exact:
        // P(T <= tau) = P(a + b tau >= theta).
        let cdf = |months: f64| {
            let y = months / 12.0;
            1.0 - norm_cdf((theta - ma - mb * y) / (va + vb * y * y).sqrt())
        };
        let never = 1.0 - cdf(60.0);
        assert_close!(
            t.p_no_crossing,
            never,
            Tolerance::standard_errors(4.0, (never * (1.0 - never) / nf).sqrt()).or(&ROUNDING),
            "p_no_crossing {} vs {never}",
            t.p_no_crossing
        );
        for (q, p) in t
            .crossing_months
            .to_array()
            .iter()
            .zip([0.05, 0.25, 0.5, 0.75, 0.95])
        {
            let se = (p * (1.0 - p) / nf).sqrt();
            let tol = 4.0 * se;
            match *q {
                Some(tau) if tau > 0.0 => {
                    assert_close!(
                        cdf(tau),
                        p,
                        Tolerance::standard_errors(4.0, se),
                        "threshold {k} p {p}: F({tau}) = {}",
                        cdf(tau)
                    );
                }
                Some(_) => assert!(cdf(0.0) >= p - tol, "crossing at 0 too often"),
                None => assert!(
                    cdf(60.0) <= p + tol,
                    "threshold {k} p {p}: missing crossing"
                ),
            }
        }
        assert!(t.crossing_months.to_array().iter().flatten().count() > 0 || never > 0.9);
    }
}
