//! The gap at release as its own estimate (`gap`) and the lag before a category's available
//! level is reachable (`lag_months`).

use overhang_testkit::{EXACT, LOG_SPACE, Tolerance, ULPS, assert_close};

use crate::{assessment, run};

/// log10 of the median of 200,000 draws against its closed form: its standard error is
/// 1.25 sd / sqrt(n) = 5e-4, so 0.01 is twenty of them.
const MEDIAN_DRAWS: Tolerance = Tolerance::absolute("MEDIAN_DRAWS", 0.01);

/// The mean of 50,000 draws of the positive part of a normal difference (sd 0.25) against its
/// closed form: its standard error is 0.0011, so 0.006 is five of them.
const CLAMPED_MEAN_DRAWS: Tolerance = Tolerance::absolute("CLAMPED_MEAN_DRAWS", 0.006);

fn one(category: &str, months: u32, step: u32) -> String {
    format!(
        "[horizon]\nmonths = {months}\nstep_months = {step}\n\
         [composability]\nmethod = \"multiplicative\"\n{category}"
    )
}

#[test]
fn a_stated_gap_is_the_uplift_at_release() {
    let body = one(
        "[categories.a]\nlabel = \"A\"\navailable = 10\ngap = 5\ngrowth = 0\n",
        12,
        3,
    );
    let results = run(&assessment(&body, 1000, 1));
    // Exactly 5x up to the rounding of log10(10) - (log10(10) - log10(5)).
    // Exact up to the rounding of the log10 arithmetic.
    let exact = |x: f64, want: f64| ULPS.relative().allows(x, want);
    for point in &results[0].projection {
        assert!(exact(point.p5, 5.0), "month {}: {}", point.months, point.p5);
        assert!(
            exact(point.p95, 5.0),
            "month {}: {}",
            point.months,
            point.p95
        );
    }
    let c = &results[0].contributions[0];
    assert!(exact(c.available.p50, 10.0) && exact(c.elicited.p50, 2.0));
    assert!(c.gap.as_ref().is_some_and(|g| exact(g.p50, 5.0)));
}

#[test]
fn before_its_lag_a_category_stays_at_what_the_release_shipped_with() {
    let body = one(
        "[categories.a]\nlabel = \"A\"\navailable = 100\ngap = 10\nlag_months = 12\ngrowth = 0\n",
        24,
        3,
    );
    let results = run(&assessment(&body, 1000, 1));
    for point in &results[0].projection {
        let want = if point.months < 12 { 1.0 } else { 10.0 };
        assert_close!(point.p50, want, EXACT, "month {}", point.months);
        assert_close!(point.p5, want, EXACT, "month {}", point.months);
    }
    assert_eq!(
        results[0].contributions[0]
            .lag_months
            .as_ref()
            .map(|l| l.p50),
        Some(12.0)
    );
}

#[test]
fn a_category_never_reachable_adds_nothing_and_is_reported_frozen() {
    let body = one(
        "[categories.a]\nlabel = \"A\"\navailable = 100\ngap = 10\nlag_months = \"never\"\n\
         growth = 0.5\n[categories.b]\nlabel = \"B\"\navailable = 4\ngrowth = 0\n",
        24,
        12,
    );
    let results = run(&assessment(&body, 1000, 1));
    // Exact up to the rounding of the log10 arithmetic.
    let exact = |x: f64, want: f64| ULPS.relative().allows(x, want);
    for point in &results[0].projection {
        assert!(
            exact(point.p50, 4.0),
            "month {}: {}",
            point.months,
            point.p50
        );
    }
    let a = &results[0].contributions[0];
    assert!(a.frozen);
    // Its level is what the release shipped with, 100x over a gap of 10x, for the whole
    // horizon; its available level stays on record.
    assert!(exact(a.available.p50, 100.0));
    assert!(exact(a.elicited.p50, 10.0) && exact(a.at_horizon.p50, 10.0));
}

/// With a gap whose range lies below the available level, `U(0) = A - E = G` in every draw: the
/// mean log10 gap the model uses is the mean of the gap's own distribution (the rule before
/// `gap`, an elicited level drawn on its own and capped at the available, made a larger one).
#[test]
fn the_gap_the_model_uses_has_the_stated_distribution() {
    let body = one(
        "[categories.a]\nlabel = \"A\"\navailable = \"100 to 1000\"\ngap = \"2 to 8\"\n\
         growth = 0\n",
        12,
        12,
    );
    let results = run(&assessment(&body, 200_000, 3));
    let at_release = &results[0].projection[0];
    // log10 of a lognormal "2 to 8" is normal with mean log10(4) and sd log10(2)/1.645.
    let (mean, sd) = (
        libm::log10(4.0),
        libm::log10(2.0) / overhang_model::estimate::Z95,
    );
    let se = sd / (200_000f64).sqrt();
    assert_close!(
        at_release.mean_log10,
        mean,
        Tolerance::standard_errors(4.0, se),
        "mean log10 gap"
    );
    assert_close!(
        libm::log10(at_release.p50),
        mean,
        MEDIAN_DRAWS,
        "log10 median gap"
    );
}

/// The same two intervals as `elicited` (drawn on its own and capped) give a larger gap than
/// the same ratio stated as a gap: the artefact `gap` removes.
#[test]
fn an_independent_clamped_elicited_level_makes_a_larger_gap_than_its_ratio() {
    let clamped = one(
        "[categories.a]\nlabel = \"A\"\navailable = \"2.5 to 25\"\nelicited = \"2.5 to 25\"\n\
         growth = 0\n",
        12,
        12,
    );
    let stated = one(
        "[categories.a]\nlabel = \"A\"\navailable = \"2.5 to 25\"\ngap = 1\ngrowth = 0\n",
        12,
        12,
    );
    let clamped = run(&assessment(&clamped, 50_000, 5))[0].projection[0].mean_log10;
    let stated = run(&assessment(&stated, 50_000, 5))[0].projection[0].mean_log10;
    assert_close!(stated, 0.0, EXACT, "a gap of 1 leaves no uplift at release");
    // Two independent normals of sd s = 1 / (2 x 1.645) = 0.304: the mean of the positive part
    // of their difference (sd s sqrt 2) is s sqrt(2) / sqrt(2 pi) = s / sqrt(pi) = 0.1715, where
    // the inputs state a gap of 1.
    let want = 1.0 / (2.0 * overhang_model::estimate::Z95) / core::f64::consts::PI.sqrt();
    assert_close!(clamped, want, CLAMPED_MEAN_DRAWS, "mean log10 clamped gap");
}

/// A category frozen at its elicited level (`available = "elicited"`) is available at that
/// level, not at the 1x placeholder the plan leaves in its available slot.
#[test]
fn a_frozen_category_reports_its_elicited_level_as_available() {
    let body = one(
        "[categories.a]\nlabel = \"A\"\navailable = \"elicited\"\nelicited = \"2.5 to 25\"\n\
         growth = 0\n[categories.b]\nlabel = \"B\"\navailable = 4\ngrowth = 0\n",
        12,
        12,
    );
    let results = run(&assessment(&body, 1000, 1));
    let a = &results[0].contributions[0];
    let want = [2.5, 62.5f64.sqrt(), 25.0];
    for (got, want) in [a.available.p5, a.available.p50, a.available.p95]
        .into_iter()
        .zip(want)
    {
        assert_close!(got, want, LOG_SPACE, "available percentile");
    }
    assert!(a.frozen);
}
