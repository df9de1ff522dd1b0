//! What `fit` and `fitted_growth` produce for an assessment: fits where the evidence allows,
//! sentences where it does not, and never a NaN or a panic.

use overhang_model::results::{CategoryFit, FitNote, Fits, LineFit, Thin};
use overhang_model::{FittedGrowth, Growth};
use overhang_testkit::{ROUNDING, Tolerance, assert_close};
use overhang_trend::{GROWTH_METHOD, Options, TrendError, fit, fitted_growth, ols};
use proptest::prelude::*;

use crate::support::{assessment, category, row, synthetic};

fn line_finite(f: &LineFit) -> bool {
    [
        f.slope,
        f.intercept,
        f.slope_se,
        f.intercept_se,
        f.r2,
        f.df,
        f.growth_per_year,
    ]
    .iter()
    .chain(&f.slope_ci90)
    .chain(f.doubling_years.as_ref())
    .all(|v| v.is_finite())
}

/// Every number in the fits is finite.
fn all_finite(fits: &Fits) -> bool {
    let category = |c: &CategoryFit| {
        c.ols
            .iter()
            .chain(&c.wls)
            .chain(&c.frontier_fit)
            .all(line_finite)
            && c.theil_sen.iter().all(|t| {
                [t.slope, t.intercept]
                    .iter()
                    .chain(&t.slope_ci90)
                    .all(|v| v.is_finite())
            })
            && c.bootstrap.iter().all(|b| {
                [b.mean, b.sd]
                    .iter()
                    .chain(&b.quantiles.to_array())
                    .all(|v| v.is_finite())
            })
            && c.frontier
                .iter()
                .all(|p| p.year.is_finite() && p.ceg.is_finite())
            && c.band
                .iter()
                .all(|p| [p.year, p.low, p.fit, p.high].iter().all(|v| v.is_finite()))
    };
    fits.categories.iter().all(category)
        && fits.pooled.iter().all(|p| {
            [
                p.slope,
                p.slope_se,
                p.r2,
                p.df,
                p.growth_per_year,
                p.wls_slope,
                p.wls_slope_se,
            ]
            .iter()
            .chain(&p.slope_ci90)
            .chain(p.intercepts.iter().map(|(_, a)| a))
            .chain(p.doubling_years.as_ref())
            .all(|v| v.is_finite())
        })
}

fn rising() -> Vec<overhang_model::EvidenceRow> {
    vec![
        row("a1", "a", "2 to 4", "2019-03"),
        row("a2", "a", "3", "2020-01-15"),
        row("a3", "a", "4 to 10", "2021-06"),
        row("a4", "a", "4 to 9", "2022-02"),
        row("a5", "a", "12", "2023-08"),
        row("a6", "a", "10 to 40", "2024-05"),
    ]
}

#[test]
fn a_category_with_enough_rows_gets_every_fit() {
    let a = assessment(vec![category("a", Growth::Fit)], rising());
    let fits = fit(&a, &Options::default());
    let c = &fits.categories[0];
    assert_eq!((c.category.as_str(), c.n), ("a", 6));
    let line = c.ols.as_ref().unwrap();
    assert!(line.slope > 0.1 && line.slope < 0.4, "{}", line.slope);
    assert!(line.slope_ci90[0] < line.slope && line.slope < line.slope_ci90[1]);
    assert_eq!(line.df, 4.0);
    assert_close!(line.growth_per_year, libm::pow(10.0, line.slope), ROUNDING);
    let doubling = line.doubling_years.unwrap();
    assert_close!(doubling * line.slope, libm::log10(2.0), ROUNDING);
    assert!(c.wls.is_some() && c.theil_sen.is_some());
    let boot = c.bootstrap.as_ref().unwrap();
    assert_eq!(boot.resamples, 2000);
    assert!(boot.valid > 1950);
    assert!(boot.quantiles.p5 < boot.quantiles.p50 && boot.quantiles.p50 < boot.quantiles.p95);
    // a4 (median 6) does not beat a3 (median 6.32), so the frontier skips it.
    let ids: Vec<&str> = c.frontier.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "a5", "a6"]);
    assert!(c.frontier_fit.is_some());
    assert_eq!(c.band.len(), overhang_trend::BAND_POINTS);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert_eq!(fits.growth_method, GROWTH_METHOD);
    assert!(fits.growth_method.contains("Student-t"));
    assert!(all_finite(&fits));
}

#[test]
fn combination_rows_stay_out_of_the_category_fits() {
    let mut rows = rising();
    let mut joint = row("ab", "a+b", "300", "2025-01");
    joint.components = vec!["a6".to_owned(), "b1".to_owned()];
    rows.push(joint);
    rows.push(row("b1", "b", "3", "2024-05"));
    let a = assessment(
        vec![category("a", Growth::Fit), category("b", Growth::Fit)],
        rows,
    );
    let with = fit(&a, &Options::default());
    let without = fit(
        &assessment(
            vec![category("a", Growth::Fit), category("b", Growth::Fit)],
            a.evidence
                .iter()
                .filter(|r| !r.is_combination())
                .cloned()
                .collect(),
        ),
        &Options::default(),
    );
    assert_eq!(with, without);
    assert_eq!((with.categories[0].n, with.categories[1].n), (6, 1));
    assert!(
        with.diagnostics
            .iter()
            .all(|d| !matches!(d, FitNote::UnknownCategory { category } if category == "a+b")),
        "{:?}",
        with.diagnostics
    );
}

#[test]
fn the_same_seed_gives_the_same_fits_and_another_seed_moves_only_the_bootstrap() {
    let a = assessment(vec![category("a", Growth::Fit)], rising());
    let one = fit(
        &a,
        &Options {
            seed: 5,
            resamples: 300,
        },
    );
    assert_eq!(
        one,
        fit(
            &a,
            &Options {
                seed: 5,
                resamples: 300
            }
        )
    );
    let other = fit(
        &a,
        &Options {
            seed: 6,
            resamples: 300,
        },
    );
    assert_ne!(one.categories[0].bootstrap, other.categories[0].bootstrap);
    assert_eq!(one.categories[0].ols, other.categories[0].ols);
    let none = fit(
        &a,
        &Options {
            seed: 5,
            resamples: 0,
        },
    );
    assert!(none.categories[0].bootstrap.is_none());
}

#[test]
fn thin_evidence_becomes_sentences_not_fits() {
    let cats = vec![
        category("empty", Growth::Fit),
        category("one", Growth::Fit),
        category("two_same", Growth::Fit),
        category("four_same", Growth::Fit),
    ];
    let rows = vec![
        row("o1", "one", "10", "2023-10"),
        row("t1", "two_same", "9", "2024-09"),
        row("t2", "two_same", "10", "2024-09"),
        row("f1", "four_same", "2", "2022-01"),
        row("f2", "four_same", "3 to 5", "2022-01"),
        row("f3", "four_same", "4", "2022-01"),
        row("f4", "four_same", "8", "2022-01"),
    ];
    let a = assessment(cats, rows);
    let fits = fit(&a, &Options::default());
    assert!(
        fits.categories
            .iter()
            .all(|c| c.ols.is_none() && c.bootstrap.is_none())
    );
    assert!(all_finite(&fits));
    let said = |note: &FitNote| fits.diagnostics.contains(note);
    let thin = |category: &str, thin: Thin| FitNote::TooThin {
        category: category.to_owned(),
        thin,
    };
    assert!(said(&thin("empty", Thin::NoRows)));
    assert!(said(&thin(
        "one",
        Thin::OneRow {
            date: "2023-10".to_owned()
        }
    )));
    assert!(said(&thin(
        "two_same",
        Thin::TwoRowsOneDate {
            date: "2024-09".to_owned()
        }
    )));
    assert!(said(&thin(
        "four_same",
        Thin::OneDate {
            rows: 4,
            date: "2022-01".to_owned()
        }
    )));
    // Two categories with two or more rows, but no trend within either: no pooled fit.
    assert!(fits.pooled.is_none());
    assert!(said(&FitNote::NoPooledSpread));
    assert!(
        fits.diagnostics
            .iter()
            .any(|d| matches!(d, FitNote::NoGrowthSlope { .. }))
    );
    // Every category's sentences are in the flat list too.
    for c in &fits.categories {
        for d in &c.diagnostics {
            assert!(fits.diagnostics.contains(d));
        }
    }
    let err = fitted_growth(&fits, &a).unwrap_err();
    let TrendError::NoFit {
        category, reason, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(category, "empty");
    assert_eq!(reason, "no evidence rows, so no trend fit");
    assert!(
        err.to_string()
            .contains("category `empty` has growth = \"fit\"")
    );
}

#[test]
fn a_row_far_from_the_others_in_time_is_flagged_for_leverage() {
    let mut rows = rising();
    rows.push(row("old", "a", "1.2", "2008-01"));
    let fits = fit(
        &assessment(vec![category("a", Growth::Fit)], rows),
        &Options::default(),
    );
    let c = &fits.categories[0];
    let flagged: Vec<(&str, &str)> = c
        .diagnostics
        .iter()
        .filter_map(|d| match d {
            FitNote::Leverage { row, date, .. } => Some((row.as_str(), date.as_str())),
            _ => None,
        })
        .collect();
    // Only the row far from the others.
    assert_eq!(flagged, [("old", "2008-01")], "{:?}", c.diagnostics);
}

#[test]
fn fitted_growth_uses_the_own_fit_then_the_pooled_fit() {
    let mut cats = vec![
        category("a", Growth::Fit),
        category("b", Growth::Fit),
        category(
            "c",
            Growth::Estimate(overhang_model::Estimate::parse("0.1 to 0.2").unwrap()),
        ),
    ];
    cats[1].label = "Bee".to_owned();
    let mut rows = rising();
    rows.push(row("b1", "b", "20", "2021-01"));
    rows.push(row("b2", "b", "30", "2023-01"));
    let a = assessment(cats, rows);
    let fits = fit(&a, &Options::default());
    let pooled = fits.pooled.as_ref().unwrap();
    assert_eq!(pooled.n, 8);
    assert_eq!(pooled.df, 5.0);
    assert!(
        fits.diagnostics
            .iter()
            .any(|d| matches!(d, FitNote::PooledGrowth { category, .. } if category == "b")),
        "{:?}",
        fits.diagnostics
    );
    let growth = fitted_growth(&fits, &a).unwrap();
    assert_eq!(growth.keys().collect::<Vec<_>>(), ["a", "b"]);
    let own = fits.categories[0].ols.as_ref().unwrap();
    let FittedGrowth::StudentT {
        location,
        scale,
        df,
        origin,
    } = &growth["a"];
    assert_eq!((*location, *scale, *df), (own.slope, own.slope_se, own.df));
    assert!(origin.starts_with("Category a: growth from the OLS fit of its 6 evidence rows"));
    let FittedGrowth::StudentT {
        location,
        scale,
        df,
        origin,
    } = &growth["b"];
    assert_eq!(
        (*location, *scale, *df),
        (pooled.slope, pooled.slope_se, pooled.df)
    );
    assert!(
        origin.contains("pooled fit of 8 evidence rows in 2 categories"),
        "{origin}"
    );
}

#[test]
fn growth_fit_in_a_scenario_only_still_gets_a_distribution() {
    let est = Growth::Estimate(overhang_model::Estimate::parse("0.1 to 0.2").unwrap());
    let mut a = assessment(vec![category("a", est)], rising());
    a.scenarios[0].categories[0].growth = Growth::Fit;
    let fits = fit(&a, &Options::default());
    assert_eq!(fitted_growth(&fits, &a).unwrap().len(), 1);
    // No category asks for a fit: an empty map.
    let b = assessment(
        vec![category(
            "a",
            Growth::Estimate(overhang_model::Estimate::parse("0.1").unwrap()),
        )],
        rising(),
    );
    assert!(
        fitted_growth(&fit(&b, &Options::default()), &b)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bootstrap_spread_is_close_to_the_t_standard_error_with_many_rows() {
    let a = synthetic(1, 200);
    let fits = fit(
        &a,
        &Options {
            seed: 3,
            resamples: 2000,
        },
    );
    let c = &fits.categories[0];
    let (se, boot) = (
        c.ols.as_ref().unwrap().slope_se,
        c.bootstrap.as_ref().unwrap(),
    );
    // Redrawing each CEG adds its own spread, so the bootstrap is at least as wide, and with
    // 200 rows not wildly wider.
    assert!(
        boot.sd > 0.8 * se && boot.sd < 3.0 * se,
        "sd {} vs se {}",
        boot.sd,
        se
    );
    assert_close!(
        boot.quantiles.p50,
        c.ols.as_ref().unwrap().slope,
        Tolerance::standard_errors(3.0, se)
    );
}

#[test]
fn ols_is_what_the_category_fit_reports() {
    let a = assessment(vec![category("a", Growth::Fit)], rising());
    let fits = fit(&a, &Options::default());
    let x: Vec<f64> = a.evidence.iter().map(|r| r.date.decimal_year()).collect();
    let y: Vec<f64> = a
        .evidence
        .iter()
        .map(|r| libm::log10(r.ceg.estimate().unwrap().central()))
        .collect();
    assert_eq!(fits.categories[0].ols, ols(&x, &y));
}

fn arb_row() -> impl Strategy<Value = (usize, String, String)> {
    let ceg = prop_oneof![
        (0.01f64..1e6).prop_map(|v| format!("{v}")),
        (0.01f64..100.0, 1.0f64..1000.0).prop_map(|(a, k)| format!("{a} to {}", a * k)),
        (0.5f64..50.0, 1.01f64..20.0).prop_map(|(a, k)| format!(
            "triangular({a}, {}, {})",
            a * k,
            a * k * k
        )),
        (1e-3f64..1.0, 1.0f64..1e4).prop_map(|(a, b)| format!("loguniform({a}, {b})")),
    ];
    // Few distinct months, so ties and single dates are common.
    let date = (2018i32..2021, 1u8..3).prop_map(|(y, m)| format!("{y:04}-{m:02}"));
    (0usize..3, ceg, date)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_evidence_gives_finite_fits_and_no_panic(rows in prop::collection::vec(arb_row(), 0..12)) {
        let cats = vec![category("c0", Growth::Fit), category("c1", Growth::Fit), category("c2", Growth::Fit)];
        let evidence = rows
            .iter()
            .enumerate()
            .map(|(i, (c, ceg, date))| row(&format!("r{i}"), &format!("c{c}"), ceg, date))
            .collect();
        let a = assessment(cats, evidence);
        let fits = fit(&a, &Options { seed: 1, resamples: 50 });
        prop_assert!(all_finite(&fits));
        prop_assert_eq!(fits.categories.len(), 3);
        match fitted_growth(&fits, &a) {
            Ok(g) => prop_assert_eq!(g.len(), 3),
            Err(TrendError::NoFit { reason, .. } | TrendError::Unsupported { reason, .. }) => {
                prop_assert!(!reason.is_empty());
            }
        }
    }
}
