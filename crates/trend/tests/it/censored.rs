//! The censored-normal line fit against scipy.optimize maximising the same likelihood, on the
//! vectors that `tests/vectors/gen_censored.py` wrote.

use overhang_model::{Censoring, Estimate};
use overhang_trend::{censored_bootstrap, censored_fit};
use serde_json::Value;

use crate::assert_close;

/// The maximum itself: both optimisers converge far below this (scipy's Nelder–Mead polished
/// by BFGS, this crate's Newton iteration).
const PARAMETERS: f64 = 1e-7;
/// Standard errors: scipy differentiates the likelihood numerically (Richardson extrapolation
/// to about 1e-9), this crate analytically.
const STANDARD_ERRORS: f64 = 1e-6;

fn float(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(float).collect()
}

fn censoring(v: &Value) -> Vec<Censoring> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| match c.as_str().unwrap() {
            "none" => Censoring::None,
            "lower" => Censoring::Lower,
            "upper" => Censoring::Upper,
            other => panic!("unknown censoring {other}"),
        })
        .collect()
}

#[test]
fn censored_fit_agrees_with_scipy() {
    let v: Value = serde_json::from_str(include_str!("../vectors/censored.json")).unwrap();
    let cases = v["censored"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let (x, y, c) = (
            floats(&case["x"]),
            floats(&case["y"]),
            censoring(&case["censoring"]),
        );
        let got = censored_fit(&x, &y, &c).unwrap_or_else(|e| panic!("{name}: {e}"));
        let q = |s: &str| format!("{name} {s}");
        let f = |k: &str| float(&case[k]);
        assert_close(&q("slope"), got.slope, f("slope"), PARAMETERS);
        assert_close(&q("intercept"), got.intercept, f("intercept"), PARAMETERS);
        assert_close(&q("sigma"), got.sigma, f("sigma"), PARAMETERS);
        assert_close(
            &q("log-likelihood"),
            got.log_likelihood,
            f("log_likelihood"),
            PARAMETERS,
        );
        assert_close(&q("slope se"), got.slope_se, f("slope_se"), STANDARD_ERRORS);
        assert_close(
            &q("intercept se"),
            got.intercept_se,
            f("intercept_se"),
            STANDARD_ERRORS,
        );
        assert_close(&q("sigma se"), got.sigma_se, f("sigma_se"), STANDARD_ERRORS);
        assert_eq!(got.n, x.len());
        assert_eq!(
            got.exact + got.lower + got.upper,
            got.n,
            "{name} row counts"
        );
    }
}

#[test]
fn censored_bootstrap_refits_each_resample_and_is_reproducible() {
    let x = [
        2020.0, 2020.5, 2021.0, 2021.5, 2022.0, 2022.5, 2023.0, 2023.5, 2024.0, 2024.5,
    ];
    let texts = [
        "2 to 5", "3", "4 to 9", "6", "5 to 20", "10", "8 to 30", "20", "15 to 60", "40",
    ];
    let e: Vec<Estimate> = texts.iter().map(|t| Estimate::parse(t).unwrap()).collect();
    let refs: Vec<&Estimate> = e.iter().collect();
    let mut c = vec![Censoring::None; 10];
    c[5] = Censoring::Lower;
    c[9] = Censoring::Lower;
    let study: Vec<usize> = (0..10).collect();
    let a = censored_bootstrap(&x, &refs, &c, &study, 300, 7, 0).unwrap();
    assert_eq!(
        a,
        censored_bootstrap(&x, &refs, &c, &study, 300, 7, 0).unwrap()
    );
    assert_ne!(
        a,
        censored_bootstrap(&x, &refs, &c, &study, 300, 7, 1).unwrap()
    );
    assert!(a.valid > 250 && a.valid <= 300, "{a:?}");
    let y: Vec<f64> = e.iter().map(|v| libm::log10(v.central())).collect();
    let fit = censored_fit(&x, &y, &c).unwrap();
    // The bootstrap centres near the fit and spreads about as its standard error says.
    assert!(
        (a.quantiles.p50 - fit.slope).abs() < 2.0 * fit.slope_se,
        "{a:?} {fit:?}"
    );
    assert!(a.sd > 0.2 * fit.slope_se && a.sd < 5.0 * fit.slope_se);
}
