//! Rows of one study are one unit: they share one weight in the weighted fits and form one
//! cluster of the bootstrap; a preference row never enters a capability fit.

use overhang_model::{EvidenceMetric, EvidenceRow, Growth};
use overhang_testkit::{ROUNDING, Tolerance, assert_close};
use overhang_trend::{Options, fit};

use crate::support::{assessment, category, row};

/// The intercepts of two weighted fits of the same weighted rows: an intercept lies at year 0,
/// two thousand years before the rows, where it is about -760, so round-off of one part in
/// 1e12 of it is 1e-9.
const INTERCEPT: Tolerance = Tolerance::absolute("INTERCEPT", 1e-9);

const OPTIONS: Options = Options {
    seed: 3,
    resamples: 400,
};

fn in_study(mut r: EvidenceRow, study: &str) -> EvidenceRow {
    study.clone_into(&mut r.study);
    r
}

/// Rows with intervals, so the weighted fit has weights of its own.
fn rows() -> Vec<EvidenceRow> {
    vec![
        row("a", "c", "1 to 4", "2020-01"),
        row("b", "c", "3 to 12", "2021-01"),
        row("d", "c", "5 to 80", "2022-01"),
        row("e", "c", "20 to 90", "2023-07"),
    ]
}

#[test]
fn two_copies_of_one_row_in_one_study_weigh_as_that_row_alone() {
    let single = assessment(vec![category("c", Growth::Fit)], rows());
    let mut doubled_rows = rows();
    doubled_rows[2] = in_study(doubled_rows[2].clone(), "s");
    let mut copy = in_study(doubled_rows[2].clone(), "s");
    copy.id = "d2".to_owned();
    doubled_rows.push(copy);
    let doubled = assessment(vec![category("c", Growth::Fit)], doubled_rows);

    let one = fit(&single, &OPTIONS).categories[0].wls.clone().unwrap();
    let two = fit(&doubled, &OPTIONS).categories[0].wls.clone().unwrap();
    assert_close!(one.slope, two.slope, ROUNDING, "slope: {one:?} {two:?}");
    assert_close!(one.intercept, two.intercept, INTERCEPT, "intercept");
}

#[test]
fn the_bootstrap_resamples_studies_and_needs_three_of_them() {
    let separate = assessment(vec![category("c", Growth::Fit)], rows());
    assert!(fit(&separate, &OPTIONS).categories[0].bootstrap.is_some());
    let paired: Vec<EvidenceRow> = rows()
        .into_iter()
        .enumerate()
        .map(|(i, r)| in_study(r, if i < 2 { "early" } else { "late" }))
        .collect();
    let two_studies = assessment(vec![category("c", Growth::Fit)], paired);
    let c = &fit(&two_studies, &OPTIONS).categories[0];
    assert_eq!(c.n, 4, "every row still counts as a row");
    assert!(c.bootstrap.is_none(), "two studies give no bootstrap");
}

#[test]
fn a_preference_row_never_enters_a_capability_fit() {
    let with = {
        let mut r = rows();
        let mut preference = row("p", "c", "1000", "2023-01");
        preference.metric = EvidenceMetric::Preference;
        r.push(preference);
        assessment(vec![category("c", Growth::Fit)], r)
    };
    let without = assessment(vec![category("c", Growth::Fit)], rows());
    let a = &fit(&with, &OPTIONS).categories[0];
    let b = &fit(&without, &OPTIONS).categories[0];
    assert_eq!(a.n, 4);
    assert_eq!(a.ols, b.ols);
    assert!(a.frontier.iter().all(|p| p.id != "p"));
}
