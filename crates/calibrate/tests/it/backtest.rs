//! The backtest: the posterior predictive of the rows after a cutoff against its closed form
//! and scipy's, its scores, and the default cutoff.

use overhang_calibrate::infer::{
    Backtest, Estimand, InferError, InferenceRow, InferenceSettings, Observation, Transfer,
    backtest, default_cutoff,
};
use overhang_model::special::{norm_cdf, norm_ppf};
use overhang_testkit::{EXACT, ROUNDING, SOLVER, Tolerance, assert_close};

use crate::inference::{available, case_inputs, exact, num, point_growth, row};

/// `ln(2 pi) / 2`.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

// The grid's predictive against the closed-form normal one. The mixture over the grid's
// nodes of normals of sd `s` (here at least 0.3, more than the posterior's sd) is a midpoint
// sum of a smooth integrand over cells `h` of 0.08 posterior sd, whose error falls like
// exp(-2 pi^2 s^2 / h^2) (Poisson summation): nothing at double precision. So the quantiles are held to the
// solver's stopping rule (SOLVER) and the log score and PIT to round-off (ROUNDING); measured
// 8e-15 sd and 4e-15.

/// The grid's predictive against scipy's (backtest.py), of a predictive with standard
/// deviation `sd`: both integrate the same normal over a posterior each tabulates its own way
/// (the Rust's cell centres and adaptive quadrature, scipy's trapezoid nodes and plain
/// Gauss-Hermite), whose moments agree within 3e-5 posterior sd; the predictive adds a normal
/// of sd at least 0.3, which smooths the difference further. 1e-4 sd (measured: see
/// docs/inference.md).
fn scipy_predictive(sd: f64) -> Tolerance {
    Tolerance::absolute("SCIPY_PREDICTIVE (1e-4 sd)", 1e-4 * sd)
}

/// A log score or PIT of the grid's predictive against a normal's closed form: the grid holds
/// the mass within e^-20 of the mode (about 6.3 sd each side), and the mass it leaves out,
/// about 3e-10 of a normal's, moves a log score or a PIT by about as much, more for a row in
/// the predictive's tail (1.3e-9 measured at 2.4 predictive sd).
const TRUNCATED: Tolerance = Tolerance::absolute("TRUNCATED", 1e-8);

/// A log score or PIT against scipy's: the same two computations on values of order one.
const SCIPY_SCORE: Tolerance = Tolerance::absolute("SCIPY_SCORE", 1e-4);

/// `(y, years)` of exact post-trained rows of their own studies, sd 0.3.
fn exact_rows(rows: &[(f64, f64)]) -> Vec<InferenceRow> {
    rows.iter().map(|&(y, t)| exact(y, t, "")).collect()
}

/// Checks a backtest's predictions against the normal predictive `Normal(mean_i, sd_i^2)` of
/// each predicted row.
#[track_caller]
fn assert_normal_predictive(
    what: &str,
    got: &Backtest,
    rows: &[InferenceRow],
    normal: &[(f64, f64)],
) {
    assert_eq!(got.predictions.len(), normal.len(), "{what}");
    for (p, &(mean, sd)) in got.predictions.iter().zip(normal) {
        let i = p.index;
        assert_close!(p.median, mean, SOLVER, "{what}: row {i} median");
        let z75 = norm_ppf(0.75);
        let z95 = norm_ppf(0.95);
        assert_close!(
            p.interval50[0],
            mean - z75 * sd,
            SOLVER,
            "{what}: row {i} p25"
        );
        assert_close!(
            p.interval50[1],
            mean + z75 * sd,
            SOLVER,
            "{what}: row {i} p75"
        );
        assert_close!(
            p.interval90[0],
            mean - z95 * sd,
            SOLVER,
            "{what}: row {i} p5"
        );
        assert_close!(
            p.interval90[1],
            mean + z95 * sd,
            SOLVER,
            "{what}: row {i} p95"
        );
        let Observation::Exact(y) = rows[i].y_log10 else {
            panic!("{what}: closed forms take exact rows");
        };
        let z = (y - mean) / sd;
        let log_density = -0.5 * z * z - libm::log(sd) - LN_SQRT_2PI;
        assert_close!(
            p.log_score,
            log_density,
            TRUNCATED,
            "{what}: row {i} log score"
        );
        assert_close!(p.pit, norm_cdf(z), TRUNCATED, "{what}: row {i} pit");
    }
}

#[test]
fn with_known_growth_the_predictive_of_a_later_row_is_the_conjugate_normal() {
    // Prior a ~ Normal(1, 0.5^2), g = 0.2, rows sd 0.3, study_sd 0: the posterior of a given
    // the rows before the cutoff is normal, and a later row is Normal(mu + g t, sd^2 + 0.3^2).
    let rows = exact_rows(&[
        (1.8, -1.0),
        (2.6, -2.0),
        (2.3, -0.5),
        (2.45, 0.2),
        (2.9, 0.6),
        (1.4, 0.3),
    ]);
    let settings = InferenceSettings::fine(Transfer::NONE, 0.0);
    let got = backtest(
        &available(1.0, 0.5),
        &point_growth(0.2),
        &rows,
        0.0,
        &settings,
    )
    .unwrap();
    assert_eq!(got.fitted, vec![0, 1, 2]);
    let sum: f64 = [(1.8, -1.0), (2.6, -2.0), (2.3, -0.5)]
        .iter()
        .map(|(y, t)| y - 0.2 * t)
        .sum();
    let precision = 1.0 / 0.25 + 3.0 / 0.09;
    let (mu, var) = ((1.0 / 0.25 + sum / 0.09) / precision, 1.0 / precision);
    let sd = (var + 0.09_f64).sqrt();
    let normal: Vec<(f64, f64)> = [0.2, 0.6, 0.3].iter().map(|t| (mu + 0.2 * t, sd)).collect();
    assert_normal_predictive("conjugate", &got, &rows, &normal);
    assert_eq!((got.exact, got.bounds), (3, 0));
    // Predictive sd 0.342: 2.45 lies 0.3 sd from its mean (inside both intervals), 2.9 1.4 sd
    // (inside the 90% one only), 1.4 2.8 sd (outside both).
    let inside: Vec<(Option<bool>, Option<bool>)> =
        got.predictions.iter().map(|p| (p.in50, p.in90)).collect();
    assert_eq!(
        inside,
        vec![
            (Some(true), Some(true)),
            (Some(false), Some(true)),
            (Some(false), Some(false))
        ]
    );
    for (p, &(mean, sd)) in got.predictions.iter().zip(&normal) {
        let Observation::Exact(y) = p.observation else {
            unreachable!()
        };
        let z = ((y - mean) / sd).abs();
        assert_eq!(p.in50, Some(z <= norm_ppf(0.75)), "row {}: z {z}", p.index);
        assert_eq!(p.in90, Some(z <= norm_ppf(0.95)), "row {}: z {z}", p.index);
    }
    assert_close!(got.coverage50.unwrap(), 1.0 / 3.0, EXACT, "coverage50");
    assert_close!(got.coverage90.unwrap(), 2.0 / 3.0, EXACT, "coverage90");
    let mean_score = got.predictions.iter().map(|p| p.log_score).sum::<f64>() / 3.0;
    assert_close!(
        got.mean_log_score.unwrap(),
        mean_score,
        ROUNDING,
        "mean log score"
    );
    assert_close!(
        got.mean_log_score_exact.unwrap(),
        mean_score,
        ROUNDING,
        "mean log score of exact rows"
    );
}

#[test]
fn a_cutoff_before_every_row_predicts_every_row_from_the_prior() {
    let rows = exact_rows(&[(1.8, -1.0), (2.6, -2.0), (2.0, 0.2)]);
    let settings = InferenceSettings::fine(Transfer::NONE, 0.0);
    let got = backtest(
        &available(1.0, 0.5),
        &point_growth(0.2),
        &rows,
        -5.0,
        &settings,
    )
    .unwrap();
    assert!(got.fitted.is_empty());
    assert_eq!(
        got.predictions.iter().map(|p| p.index).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    let sd = (0.25_f64 + 0.09).sqrt();
    let normal: Vec<(f64, f64)> = [-1.0, -2.0, 0.2]
        .iter()
        .map(|t| (1.0 + 0.2 * t, sd))
        .collect();
    assert_normal_predictive("prior", &got, &rows, &normal);

    // And one after every row predicts none: no scores.
    let none = backtest(
        &available(1.0, 0.5),
        &point_growth(0.2),
        &rows,
        1.0,
        &settings,
    )
    .unwrap();
    assert_eq!(none.fitted, vec![0, 1, 2]);
    assert!(none.predictions.is_empty());
    assert_eq!(
        (none.coverage50, none.coverage90, none.mean_log_score),
        (None, None, None)
    );
}

#[test]
fn rows_far_from_their_prediction_get_extreme_pits_and_low_scores() {
    let mut rows = exact_rows(&[(1.8, -1.0), (2.0, -2.0), (2.1, -0.5)]);
    // Three later rows: near the prediction, 2 OOM above it, 2 OOM below it.
    rows.extend(exact_rows(&[(2.1, 0.5), (4.1, 0.5), (0.1, 0.5)]));
    let settings = InferenceSettings::fine(Transfer::NONE, 0.2);
    let growth = overhang_calibrate::infer::Prior::normal(0.2, 0.1).unwrap();
    let got = backtest(&available(1.5, 0.5), &growth, &rows, 0.0, &settings).unwrap();
    let [near, above, below] = &got.predictions[..] else {
        panic!("three predictions, found {}", got.predictions.len());
    };
    assert!((0.2..0.8).contains(&near.pit), "near: pit {}", near.pit);
    assert_eq!(
        (near.in90, above.in90, below.in90),
        (Some(true), Some(false), Some(false))
    );
    assert!(above.pit > 0.999, "above: pit {}", above.pit);
    assert!(below.pit < 0.001, "below: pit {}", below.pit);
    for far in [above, below] {
        assert!(
            far.log_score < near.log_score - 5.0,
            "row {}: log score {} against {}",
            far.index,
            far.log_score,
            near.log_score
        );
    }
    assert_close!(got.coverage90.unwrap(), 1.0 / 3.0, EXACT, "coverage90");
}

#[test]
fn bounds_are_scored_by_their_tail_and_left_out_of_coverage() {
    let mut rows = exact_rows(&[(1.8, -1.0), (2.0, -2.0), (2.1, 0.5)]);
    rows.push(row(
        Observation::AtLeast(2.5),
        0.5,
        "",
        Estimand::PostTrained,
        0.3,
    ));
    rows.push(row(
        Observation::AtMost(2.5),
        0.5,
        "",
        Estimand::PostTrained,
        0.3,
    ));
    let settings = InferenceSettings::fine(Transfer::NONE, 0.2);
    let got = backtest(
        &available(1.5, 0.5),
        &point_growth(0.2),
        &rows,
        0.0,
        &settings,
    )
    .unwrap();
    assert_eq!((got.exact, got.bounds), (1, 2));
    let [exact, at_least, at_most] = &got.predictions[..] else {
        panic!("three predictions, found {}", got.predictions.len());
    };
    for bound in [at_least, at_most] {
        assert_eq!(
            (bound.in50, bound.in90),
            (None, None),
            "row {}",
            bound.index
        );
        // The prediction itself is reported, and it is that of the exact row at the same date.
        assert_close!(
            bound.median,
            exact.median,
            EXACT,
            "row {} median",
            bound.index
        );
        assert_eq!(bound.interval90, exact.interval90, "row {}", bound.index);
    }
    // ln P(y >= b) and ln P(y <= b) are the logs of the PIT's complement and of the PIT.
    assert_close!(
        at_least.pit,
        at_most.pit,
        EXACT,
        "the CDF at the same bound"
    );
    assert_close!(
        libm::exp(at_least.log_score),
        1.0 - at_least.pit,
        ROUNDING,
        "P(y >= 2.5)"
    );
    assert_close!(
        libm::exp(at_most.log_score),
        at_most.pit,
        ROUNDING,
        "P(y <= 2.5)"
    );
    // Coverage counts the exact row alone; the mean log score every row.
    assert_eq!(
        got.coverage90,
        Some(if exact.in90 == Some(true) { 1.0 } else { 0.0 })
    );
    let mean = (exact.log_score + at_least.log_score + at_most.log_score) / 3.0;
    assert_close!(
        got.mean_log_score.unwrap(),
        mean,
        ROUNDING,
        "mean log score"
    );
    assert_close!(
        got.mean_log_score_exact.unwrap(),
        exact.log_score,
        EXACT,
        "mean log score of exact rows"
    );
}

#[test]
fn default_cutoff_leaves_about_a_third_of_the_rows_after_it() {
    // Sorted: -3, -2, -1, 0, 1, 2; ceil(2 * 6 / 3) = 4: the cutoff is 1, two rows after it.
    assert_eq!(
        default_cutoff(&[0.0, -3.0, 2.0, -1.0, 1.0, -2.0]),
        Some(1.0)
    );
    // n = 3: index 2; n = 4: index ceil(8 / 3) = 3; n = 5: index ceil(10 / 3) = 4.
    assert_eq!(default_cutoff(&[-1.0, 0.5, -2.0]), Some(0.5));
    assert_eq!(default_cutoff(&[-1.0, -2.0, -3.0, -4.0]), Some(-1.0));
    assert_eq!(default_cutoff(&[0.0, 1.0, 2.0, 3.0, 4.0]), Some(4.0));
    // Ties at the cutoff are all predicted.
    assert_eq!(default_cutoff(&[0.0, 0.0, 1.0, 1.0, 1.0]), Some(1.0));
    assert_eq!(default_cutoff(&[-1.0, 0.0]), None);
    assert_eq!(default_cutoff(&[0.5, 0.5, 0.5, 0.5]), None);
    assert_eq!(default_cutoff(&[0.0, 1.0, f64::NAN]), None);
}

#[test]
fn a_nan_cutoff_and_a_bad_later_row_are_refused() {
    let rows = exact_rows(&[(1.8, -1.0), (2.0, 0.2)]);
    let settings = InferenceSettings::fine(Transfer::NONE, 0.0);
    let (a, g) = (available(1.0, 0.5), point_growth(0.2));
    assert!(matches!(
        backtest(&a, &g, &rows, f64::NAN, &settings),
        Err(InferError::Setting {
            name: "cutoff_years",
            ..
        })
    ));
    let mut bad = rows.clone();
    bad.push(exact(2.0, 0.5, ""));
    bad[2].sigma = 0.0;
    assert_eq!(
        backtest(&a, &g, &bad, 0.0, &settings).unwrap_err(),
        InferError::Row {
            index: 2,
            field: "sigma",
            found: 0.0
        }
    );
}

#[test]
fn backtests_agree_with_scipy() {
    use serde_json::Value;
    let cases: Value = serde_json::from_str(include_str!("../vectors/backtest.json")).unwrap();
    for case in cases.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let (available, growth, rows, settings) = case_inputs(case);
        let cutoff = num(&case["cutoff_years"]);
        let got = backtest(&available, &growth, &rows, cutoff, &settings).unwrap();
        let expected = case["predictions"].as_array().unwrap();
        assert_eq!(got.predictions.len(), expected.len(), "{name}");
        for (p, e) in got.predictions.iter().zip(expected) {
            let i = p.index;
            assert_eq!(i as u64, e["index"].as_u64().unwrap(), "{name}");
            let sd = num(&e["sd"]);
            let tol = scipy_predictive(sd);
            for (what, value, want) in [
                ("median", p.median, num(&e["median"])),
                ("p25", p.interval50[0], num(&e["interval50"][0])),
                ("p75", p.interval50[1], num(&e["interval50"][1])),
                ("p5", p.interval90[0], num(&e["interval90"][0])),
                ("p95", p.interval90[1], num(&e["interval90"][1])),
            ] {
                assert_close!(
                    value,
                    want,
                    tol,
                    "{name}: row {i} {what} against scipy ({:.1e} sd)",
                    (value - want).abs() / sd
                );
            }
            for (what, value, want) in [
                ("log score", p.log_score, num(&e["log_score"])),
                ("pit", p.pit, num(&e["pit"])),
            ] {
                assert_close!(value, want, SCIPY_SCORE, "{name}: row {i} {what}");
            }
        }
    }
}
