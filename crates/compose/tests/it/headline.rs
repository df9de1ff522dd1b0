//! The gap at release and the growth after release, against closed forms: one category at 10x
//! available and 2x elicited, growing 0.1 OOM a year, all points, makes the uplift
//! `10^(log10 5 + 0.1 t)` in every draw.

use crate::{assessment, run};
use overhang_testkit::{EXACT, LOG_SPACE, ROUNDING, Tolerance, assert_close};

/// The category of the headline's closed form, a 2x and a 4x step, and a grid in steps of 5
/// months, so 3, 6 and 12 months are off the grid and come from the monthly evaluation.
const BODY: &str = "[horizon]\nmonths = 60\nstep_months = 5\n\
    [composability]\nmethod = \"multiplicative\"\n\
    [categories.tools]\nlabel = \"Tools\"\navailable = 10\nelicited = 2\ngrowth = 0.1\n\
    [[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\n\
    [[thresholds]]\nlabel = \"4x\"\nmultiplier = 4\n";

#[test]
fn the_gap_at_release_and_the_growth_after_release_are_reported_apart() {
    let results = run(&assessment(BODY, 4096, 1));
    let r = &results[0];
    // The gap at release: 10x available over 2x elicited.
    let release = &r.projection[0];
    assert_eq!(release.months, 0);
    assert_close!(release.p50, 5.0, LOG_SPACE);
    assert_close!(release.mean, 5.0, LOG_SPACE);
    assert_close!(release.p_no_uplift, 0.0, EXACT);
    // Growth after release: 10^0.1 = 1.2589x at 12 months, whatever the gap.
    let twelve = r
        .growth_after_release
        .iter()
        .find(|g| g.months == 12)
        .expect("a 12-month row");
    let growth = libm::pow(10.0, 0.1);
    assert_close!(growth, 1.2589, Tolerance::decimals(4));
    for q in [twelve.p5, twelve.p25, twelve.p50, twelve.p75, twelve.p95] {
        assert_close!(q, growth, LOG_SPACE);
    }
    let months: Vec<u32> = r.growth_after_release.iter().map(|g| g.months).collect();
    assert_eq!(months, [3, 6, 12, 60]);
}

#[test]
fn each_step_says_whether_the_gap_or_the_growth_alone_reaches_it() {
    let results = run(&assessment(BODY, 4096, 1));
    let [two, four] = &results[0].thresholds[..] else {
        panic!("two thresholds");
    };
    // 5x at release is past the 4x step on release day.
    assert_close!(four.p_exceeded_at_release, 1.0, EXACT);
    // 1.26x of growth in a year does not reach a 2x step by itself.
    assert_eq!(
        two.p_growth_alone_exceeds
            .keys()
            .copied()
            .collect::<Vec<_>>(),
        [3, 6, 12]
    );
    assert_close!(two.p_growth_alone_exceeds[&12], 0.0, EXACT);
}

#[test]
fn the_safety_buffer_is_the_multiplier_exceeded_with_the_tolerance() {
    let results = run(&assessment(BODY, 4096, 1));
    let buffer = |months: u32, tolerance: f64| {
        results[0]
            .safety_buffer
            .iter()
            .find(|b| b.months == months && ROUNDING.allows(b.tolerance, tolerance))
            .expect("a buffer row")
            .multiplier
    };
    assert_eq!(results[0].safety_buffer.len(), 6);
    // 5 x 10^0.1 = 6.2946x at 12 months, for every tolerance, as every draw is the same.
    let expected = 5.0 * libm::pow(10.0, 0.1);
    assert_close!(expected, 6.2946, Tolerance::decimals(4));
    assert_close!(buffer(12, 0.05), expected, LOG_SPACE);
    assert_close!(buffer(12, 0.5), expected, LOG_SPACE);
    assert_close!(buffer(0, 0.1), 5.0, LOG_SPACE);
}

#[test]
fn draws_with_no_uplift_are_counted_and_the_mean_multiplier_weighs_the_tail() {
    // Available 1x to 100x over elicited 10x: U = max(A - 1, 0) with A ~ N(1, 0.608) in log10,
    // so half the draws have no uplift.
    let body = "[horizon]\nmonths = 12\nstep_months = 12\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.tools]\nlabel = \"Tools\"\navailable = \"1 to 100\"\nelicited = 10\ngrowth = 0\n";
    let results = run(&assessment(body, 100_000, 5));
    let release = &results[0].projection[0];
    // Five binomial standard errors of 100,000 draws.
    assert_close!(
        release.p_no_uplift,
        0.5,
        Tolerance::standard_errors(5.0, (0.25f64 / 1e5).sqrt())
    );
    assert!(release.mean > release.p50);
}
