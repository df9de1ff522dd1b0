//! Reversing the time axis negates the slope; shifting every date leaves it unchanged.

use overhang_model::{Date, Growth};
use overhang_testkit::{ROUNDING, SOLVER, assert_close};
use overhang_trend::{Options, fit, ols, theil_sen, wls};

use crate::support::{assessment, category, row};

const X: [f64; 7] = [2019.2, 2019.9, 2020.4, 2021.05, 2022.7, 2023.1, 2024.6];
const Y: [f64; 7] = [0.31, 0.52, 0.44, 0.71, 0.69, 1.02, 1.2];
const W: [f64; 7] = [3.0, 1.0, 8.0, 2.0, 5.0, 1.5, 4.0];

#[test]
fn reversing_time_negates_every_slope() {
    let rx: Vec<f64> = X.iter().map(|v| -v).collect();
    let (a, b) = (ols(&X, &Y).unwrap(), ols(&rx, &Y).unwrap());
    assert_close!(b.slope, -a.slope, ROUNDING.relative(), "ols");
    assert_close!(b.slope_se, a.slope_se, ROUNDING.relative(), "ols se");
    assert_close!(b.r2, a.r2, ROUNDING.relative(), "ols r2");
    let (a, b) = (wls(&X, &Y, &W).unwrap(), wls(&rx, &Y, &W).unwrap());
    assert_close!(b.slope, -a.slope, ROUNDING.relative(), "wls");
    let (a, b) = (theil_sen(&X, &Y).unwrap(), theil_sen(&rx, &Y).unwrap());
    assert_eq!(b.slope, -a.slope);
    assert_eq!(b.slope_ci90, [-a.slope_ci90[1], -a.slope_ci90[0]]);
}

#[test]
fn shifting_every_date_leaves_slopes_unchanged() {
    for shift in [-37.25, 0.5, 100.0] {
        let sx: Vec<f64> = X.iter().map(|v| v + shift).collect();
        let (a, b) = (ols(&X, &Y).unwrap(), ols(&sx, &Y).unwrap());
        assert_close!(b.slope, a.slope, ROUNDING.relative(), "ols");
        assert_close!(b.slope_se, a.slope_se, ROUNDING.relative(), "ols se");
        // The intercept at year 0 moves by -slope * shift.
        assert_close!(
            b.intercept,
            a.intercept - a.slope * shift,
            ROUNDING.relative(),
            "ols intercept"
        );
        let (a, b) = (wls(&X, &Y, &W).unwrap(), wls(&sx, &Y, &W).unwrap());
        assert_close!(b.slope, a.slope, ROUNDING.relative(), "wls");
        let (a, b) = (theil_sen(&X, &Y).unwrap(), theil_sen(&sx, &Y).unwrap());
        assert_close!(b.slope, a.slope, ROUNDING.relative(), "theil-sen");
    }
}

#[test]
fn shifting_every_evidence_date_by_whole_leap_cycles_leaves_every_fit_slope_unchanged() {
    let dates = [
        "2019-03-02",
        "2019-11",
        "2020-06-15",
        "2021-01",
        "2022-09-30",
        "2023-04",
    ];
    let cegs = ["2 to 4", "3", "2.5 to 9", "5 to 8", "6", "10 to 30"];
    let build = |years: i32| {
        let rows = dates
            .iter()
            .zip(cegs)
            .enumerate()
            .map(|(i, (d, c))| {
                let mut r = row(&format!("r{i}"), "a", c, d);
                // Four years keep the leap-year pattern, so decimal years move by exactly 4k.
                r.date = Date {
                    year: r.date.year + years,
                    ..r.date
                };
                r
            })
            .collect();
        fit(
            &assessment(vec![category("a", Growth::Fit)], rows),
            &Options::default(),
        )
    };
    let (a, b) = (build(0), build(8));
    let (ca, cb) = (&a.categories[0], &b.categories[0]);
    let slope = |f: &Option<overhang_model::results::LineFit>| f.as_ref().unwrap().slope;
    assert_close!(slope(&cb.ols), slope(&ca.ols), SOLVER.relative(), "ols");
    assert_close!(slope(&cb.wls), slope(&ca.wls), SOLVER.relative(), "wls");
    assert_close!(
        slope(&cb.frontier_fit),
        slope(&ca.frontier_fit),
        SOLVER.relative(),
        "frontier"
    );
    let ts = |c: &overhang_model::results::CategoryFit| c.theil_sen.as_ref().unwrap().slope;
    assert_close!(ts(cb), ts(ca), SOLVER.relative(), "theil-sen");
    // The same seed draws the same rows and CEGs, so the bootstrap moves only by rounding.
    let boot = |c: &overhang_model::results::CategoryFit| c.bootstrap.as_ref().unwrap().mean;
    assert_close!(boot(cb), boot(ca), SOLVER.relative(), "bootstrap mean");
}
