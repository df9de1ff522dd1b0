//! Bounds in the fits: the censored likelihood carries the line, least squares and Theil–Sen
//! see only the exact rows, and a fit that cannot carry a growth claim is refused.

use overhang_model::results::{FitLimit, FitNote};
use overhang_model::{Ceg, Censoring, DerivedCeg, Estimate, EvidenceRow, FittedGrowth, Growth};
use overhang_testkit::{Tolerance, assert_close};
use overhang_trend::{Options, TrendError, censored_fit, fit, fitted_growth, ols, theil_sen};

use crate::support::{assessment, category, row};

/// How near the bootstrap's median slope must come to the censored line's: six rows, one a
/// bound, resampled; the median's spread is about a third of this.
const BOOTSTRAP_MEDIAN: Tolerance = Tolerance::absolute("BOOTSTRAP_MEDIAN", 0.1);

/// `row` with its CEG written as a bound.
fn bound(id: &str, value: f64, censoring: Censoring, date: &str) -> EvidenceRow {
    let mut r = row(id, "a", "1", date);
    r.ceg = Ceg::Written {
        estimate: Estimate::point(value).unwrap(),
        censoring,
    };
    r
}

/// Five exact rows rising about 0.2 OOM a year, and a lower bound above the line in 2024.
fn rows() -> Vec<EvidenceRow> {
    vec![
        row("a1", "a", "2", "2019-06"),
        row("a2", "a", "3", "2020-06"),
        row("a3", "a", "4.5", "2021-06"),
        row("a4", "a", "6", "2022-06"),
        row("a5", "a", "11", "2023-06"),
        bound("a6", 30.0, Censoring::Lower, "2024-06"),
    ]
}

#[test]
fn a_bound_enters_by_its_likelihood_and_least_squares_by_the_exact_rows() {
    let a = assessment(vec![category("a", Growth::Fit)], rows());
    let fits = fit(&a, &Options::default());
    let c = &fits.categories[0];
    assert_eq!((c.n, c.bounds), (6, 1));

    let x: Vec<f64> = a.evidence.iter().map(|r| r.date.decimal_year()).collect();
    let y: Vec<f64> = a
        .evidence
        .iter()
        .map(|r| libm::log10(r.ceg.estimate().unwrap().central()))
        .collect();
    let cens: Vec<Censoring> = a
        .evidence
        .iter()
        .map(|r| r.ceg.censoring().unwrap())
        .collect();
    // The censored line is the likelihood fit of all six rows ...
    let ml = censored_fit(&x, &y, &cens).unwrap();
    let line = c.censored.as_ref().expect("a censored fit");
    assert_eq!((line.slope, line.n, line.lower), (ml.slope, 6, 1));
    // ... OLS and Theil–Sen those of the five exact rows, never the bound as a value.
    assert_eq!(c.ols, ols(&x[..5], &y[..5]));
    assert_eq!(c.theil_sen, theil_sen(&x[..5], &y[..5]));
    assert_ne!(c.ols, ols(&x, &y));
    // The bound above the exact rows' line pulls the likelihood's slope up.
    assert!(line.slope > c.ols.as_ref().unwrap().slope);
    // The growth claim rests on the censored line.
    let g = c.growth_line().unwrap();
    assert!(g.censored && g.slope == line.slope);
    assert!(c.limits.is_empty(), "{:?}", c.limits);
    // The bootstrap refits by the likelihood: its median is near the censored slope.
    let boot = c.bootstrap.as_ref().unwrap();
    assert_close!(boot.quantiles.p50, line.slope, BOOTSTRAP_MEDIAN, "{boot:?}");

    let growth = fitted_growth(&fits, &a).unwrap();
    let FittedGrowth::StudentT {
        location, origin, ..
    } = &growth["a"];
    assert_eq!(*location, line.slope);
    assert!(
        origin.contains("censored-normal maximum-likelihood fit"),
        "{origin}"
    );
}

#[test]
fn the_frontier_takes_lower_bounds_and_leaves_upper_bounds_out() {
    let mut evidence = rows();
    evidence.push(bound("a7", 100.0, Censoring::Upper, "2025-06"));
    let a = assessment(vec![category("a", Growth::Fit)], evidence);
    let c = &fit(&a, &Options::default()).categories[0];
    let ids: Vec<&str> = c.frontier.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "a4", "a5", "a6"]);
}

#[test]
fn growth_fit_refuses_a_slope_whose_interval_spans_zero() {
    let flat = vec![
        row("f1", "a", "5", "2019-06"),
        row("f2", "a", "9", "2020-06"),
        row("f3", "a", "4", "2021-06"),
        row("f4", "a", "8", "2022-06"),
    ];
    let a = assessment(vec![category("a", Growth::Fit)], flat);
    let fits = fit(&a, &Options::default());
    assert_eq!(fits.categories[0].limits, [FitLimit::SpansZero]);
    assert!(
        fits.diagnostics
            .iter()
            .any(|d| matches!(d, FitNote::Limits { category, limits }
                if category == "a" && limits == &[FitLimit::SpansZero])),
        "{:?}",
        fits.diagnostics
    );
    let err = fitted_growth(&fits, &a).unwrap_err();
    let TrendError::Unsupported {
        category, reason, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(category, "a");
    assert!(reason.contains("includes zero"), "{reason}");
}

#[test]
fn growth_fit_refuses_rows_from_mixed_benchmarks() {
    let mut evidence = rows();
    evidence.truncate(5);
    for (i, r) in evidence.iter_mut().enumerate() {
        r.benchmark = if i < 3 { "GSM8K" } else { "MATH" }.to_owned();
    }
    let a = assessment(vec![category("a", Growth::Fit)], evidence);
    let fits = fit(&a, &Options::default());
    assert_eq!(
        fits.categories[0].limits,
        [FitLimit::MixedBenchmarks { count: 2 }]
    );
    let err = fitted_growth(&fits, &a).unwrap_err();
    assert!(err.to_string().contains("2 different benchmarks"), "{err}");
    // An estimate instead of "fit" needs no fit at all.
    let b = assessment(
        vec![category(
            "a",
            Growth::Estimate(Estimate::parse("0.1 to 0.2").unwrap()),
        )],
        a.evidence.clone(),
    );
    assert!(fitted_growth(&fit(&b, &Options::default()), &b).is_ok());
}

/// A derivation on family `family`, with the row's own CEG.
fn derived(r: &mut EvidenceRow, family: &str) {
    let ceg = r.ceg.estimate().unwrap().central();
    r.set_derived(DerivedCeg {
        method: "interpolation".to_owned(),
        family: family.to_owned(),
        benchmark: "bench".to_owned(),
        model: "m".to_owned(),
        line: 2,
        own_compute: 1e21,
        own_score: 20.0,
        enhanced_score: 30.0,
        equivalent_compute: 1e21 * ceg,
        ceg,
        censoring: Censoring::None,
        below_own: false,
        range: (0.0, 100.0),
        base: Vec::new(),
        logistic: None,
    })
    .unwrap();
}

#[test]
fn rows_all_derived_from_one_family_cannot_carry_a_growth_claim() {
    let mut evidence = rows();
    evidence.truncate(5);
    for r in &mut evidence {
        derived(r, "PaLM");
    }
    let a = assessment(vec![category("a", Growth::Fit)], evidence.clone());
    let fits = fit(&a, &Options::default());
    assert_eq!(
        fits.categories[0].limits,
        [FitLimit::SingleFamily {
            family: "PaLM".to_owned()
        }]
    );
    assert!(matches!(
        fitted_growth(&fits, &a),
        Err(TrendError::Unsupported { .. })
    ));
    // Two families are not one.
    derived(&mut evidence[0], "LaMDA");
    let b = assessment(vec![category("a", Growth::Fit)], evidence);
    assert!(fit(&b, &Options::default()).categories[0].limits.is_empty());
}
