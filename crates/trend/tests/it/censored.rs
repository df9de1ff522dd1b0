//! The censored-normal line fit against scipy.optimize maximising the same likelihood, on the
//! vectors that `tests/vectors/gen_censored.py` wrote.

use overhang_model::{Censoring, Estimate};
use overhang_testkit::{Tolerance, assert_close};
use overhang_trend::{censored_bootstrap, censored_fit};
use serde_json::Value;

/// The maximum itself: both optimisers converge far below this (scipy's Nelder–Mead polished
/// by BFGS, this crate's Newton iteration).
const PARAMETERS: Tolerance = Tolerance::relative_of("PARAMETERS", 1e-7);
/// Standard errors: scipy differentiates the likelihood numerically (Richardson extrapolation
/// to about 1e-9), this crate analytically.
const STANDARD_ERRORS: Tolerance = Tolerance::relative_of("STANDARD_ERRORS", 1e-6);
/// The slope of a fit that has a maximum, against 0: the rows rise by 1.8 over two years, so
/// a slope beyond 5 a year is a fit running away, not one that found its maximum.
const FINITE_SLOPE: Tolerance = Tolerance::absolute("FINITE_SLOPE", 5.0);

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
        assert_close!(got.slope, f("slope"), PARAMETERS, "{}", q("slope"));
        assert_close!(
            got.intercept,
            f("intercept"),
            PARAMETERS,
            "{}",
            q("intercept")
        );
        assert_close!(got.sigma, f("sigma"), PARAMETERS, "{}", q("sigma"));
        assert_close!(
            got.log_likelihood,
            f("log_likelihood"),
            PARAMETERS,
            "{}",
            q("log-likelihood")
        );
        assert_close!(
            got.slope_se,
            f("slope_se"),
            STANDARD_ERRORS,
            "{}",
            q("slope se")
        );
        assert_close!(
            got.intercept_se,
            f("intercept_se"),
            STANDARD_ERRORS,
            "{}",
            q("intercept se")
        );
        assert_close!(
            got.sigma_se,
            f("sigma_se"),
            STANDARD_ERRORS,
            "{}",
            q("sigma se")
        );
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
    assert_close!(
        a.quantiles.p50,
        fit.slope,
        Tolerance::standard_errors(2.0, fit.slope_se),
        "{a:?} {fit:?}"
    );
    assert!(a.sd > 0.2 * fit.slope_se && a.sd < 5.0 * fit.slope_se);
}

#[test]
fn a_slope_that_runs_away_about_the_exact_rows_date_has_no_maximum() {
    use overhang_trend::CensoredError;
    // Every exact row in 2022, lower bounds after it: turning the line upwards about 2022
    // clears the bounds by ever more while the exact rows' density stays as it is.
    let x = [2022.0, 2022.0, 2022.0, 2023.0, 2024.0];
    let y = [0.2, 0.5, 0.8, 1.0, 1.2];
    let lower_after = [
        Censoring::None,
        Censoring::None,
        Censoring::None,
        Censoring::Lower,
        Censoring::Lower,
    ];
    assert_eq!(
        censored_fit(&x, &y, &lower_after),
        Err(CensoredError::NoMaximum)
    );
    // Upper bounds before the exact rows' date run away the same way.
    let x_before = [2024.0, 2024.0, 2024.0, 2023.0, 2022.0];
    let upper_before = lower_after.map(|c| {
        if c == Censoring::Lower {
            Censoring::Upper
        } else {
            c
        }
    });
    assert_eq!(
        censored_fit(&x_before, &y, &upper_before),
        Err(CensoredError::NoMaximum)
    );
    // A lower and an upper bound on the same side pin the turning down: a maximum exists.
    let mut pinned = lower_after;
    pinned[4] = Censoring::Upper;
    let fit = censored_fit(&x, &[0.2, 0.5, 0.8, 0.9, 2.0], &pinned).unwrap();
    assert!(
        FINITE_SLOPE.allows(fit.slope, 0.0) && fit.slope_se.is_finite(),
        "{fit:?}"
    );
}

/// The prompting rows of the default inputs (all derived from scaling.csv): their dates, the
/// central CEG of each and its censoring, as report/v0.2.0/results.json records them.
fn prompting_rows() -> (Vec<f64>, Vec<Estimate>, Vec<Censoring>) {
    use Censoring::{Lower, None as Exact, Upper};
    let year = |d: &str| {
        overhang_model::assessment::Date::parse(d)
            .unwrap()
            .decimal_year()
    };
    let (jan, oct) = (year("2022-01"), year("2022-10"));
    let rows = [
        (jan, 8.709_677_419_354_838, Lower),
        (jan, 1.0, Upper),
        (jan, 13.129_313_994_092_026, Exact),
        (jan, 17.226_903_798_465_287, Exact),
        (jan, 1.584_320_201_303_586_9, Exact),
        (jan, 2.014_705_882_352_941, Lower),
        (oct, 2.817_834_751_448_257, Exact),
        (oct, 0.666_610_370_022_213_5, Exact),
    ];
    (
        rows.iter().map(|r| r.0).collect(),
        rows.iter().map(|r| Estimate::point(r.1).unwrap()).collect(),
        rows.iter().map(|r| r.2).collect(),
    )
}

#[test]
fn the_prompting_bootstrap_counts_runaway_resamples_as_failed_and_leaves_them_out() {
    let (x, e, c) = prompting_rows();
    let refs: Vec<&Estimate> = e.iter().collect();
    let mut failed = 0;
    // The default build's seed, on the first streams (prompting's is among them).
    for stream in 0..8 {
        let study: Vec<usize> = (0..x.len()).collect();
        let b = censored_bootstrap(&x, &refs, &c, &study, 2000, 1, stream).unwrap();
        assert!(b.valid + b.failed <= b.resamples, "{b:?}");
        // Every slope the summary keeps comes from a likelihood with a maximum: none of the
        // 1e11 OOM/year of a line turned about one date.
        let q = b.quantiles.to_array();
        assert!(
            b.sd < 5.0 && b.mean > q[0] - 1.0 && b.mean < q[2] + 1.0,
            "{b:?}"
        );
        failed += b.failed;
    }
    assert!(failed > 0, "no resample of the prompting rows failed");
}

#[test]
fn a_bootstrap_of_rows_without_a_maximum_fails_every_resample_it_can_fit() {
    // Exact rows on one date and lower bounds after it: each resample with an exact row and
    // a second date runs away, so none is accepted and there is no summary.
    let x = [2022.0, 2022.0, 2023.0, 2024.0];
    let e: Vec<Estimate> = [2.0, 3.0, 10.0, 20.0]
        .iter()
        .map(|&v| Estimate::point(v).unwrap())
        .collect();
    let refs: Vec<&Estimate> = e.iter().collect();
    let c = [
        Censoring::None,
        Censoring::None,
        Censoring::Lower,
        Censoring::Lower,
    ];
    let study: Vec<usize> = (0..x.len()).collect();
    assert_eq!(censored_bootstrap(&x, &refs, &c, &study, 500, 3, 0), None);
}
