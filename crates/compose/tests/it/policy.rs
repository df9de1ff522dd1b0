//! Task scopes and the answers a safety policy needs, against closed forms: a single category
//! with point parameters makes the uplift a straight line in months, so the month it crosses a
//! threshold, the probability at the cadence, the longest safe interval and the worth of one
//! cadence are known exactly.

use crate::{assessment, run};
use overhang_testkit::{LOG_SPACE, ROUNDING, Tolerance, assert_close};

/// One category growing from 1x at 0.0713 OOM/year, a 2x threshold with a cadence of 6
/// months and a tolerance of 10%, a horizon of 60 months in steps of 12 (so monthly answers
/// cannot come from the grid); a scope that starts the category at 10x; two scenarios.
const BODY: &str = "[horizon]\nmonths = 60\nstep_months = 12\n\
    [composability]\nmethod = \"multiplicative\"\n\
    [categories.tools]\nlabel = \"Tools\"\navailable = 1\ngrowth = 0.0713\n\
    [[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\ncadence_months = 6\ntolerance = 0.1\n\
    [scopes.high]\nlabel = \"High\"\ncategories.tools.available = 10\n\
    [scenarios.open]\nlabel = \"Open\"\n\
    [scenarios.slow]\nlabel = \"Slow\"\ncategories.tools.growth = 0.03\n";

const GROWTH: f64 = 0.0713;

#[test]
fn two_scopes_and_two_scenarios_give_four_entries_scope_by_scope() {
    let results = run(&assessment(BODY, 4096, 1));
    let ids: Vec<(&str, &str, &str)> = results
        .iter()
        .map(|r| (r.id.as_str(), r.scope.as_str(), r.scenario.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("open", "average", "open"),
            ("slow", "average", "slow"),
            ("high-open", "high", "open"),
            ("high-slow", "high", "slow"),
        ]
    );
    assert_eq!(results[2].label, "High, open");
    assert_eq!(results[3].scope_label, "High");
    assert_eq!(results[3].scenario_label, "Slow");
}

#[test]
fn a_line_from_1x_at_0_0713_oom_a_year_answers_the_policy_in_closed_form() {
    // log10(2) / 0.0713 years = 50.66 months: month 50 is below 2x, month 51 above.
    let crossing = 12.0 * libm::log10(2.0) / GROWTH;
    assert_close!(crossing, 50.66, Tolerance::decimals(2), "{crossing}");
    let results = run(&assessment(BODY, 4096, 1));
    let t = &results[0].thresholds[0];
    assert_eq!(t.cadence_months, Some(6));
    assert_eq!(t.tolerance, Some(0.1));
    assert_eq!(t.p_exceeded_at_cadence, Some(0.0));
    assert_eq!(t.longest_safe_interval_months, Some(50));
    // Six months of enhancements are worth 10^(0.0713 / 2) = 1.0856x, in every draw.
    let six = t
        .cadence_equivalent
        .expect("a cadence gives its equivalent");
    let expected = libm::pow(10.0, GROWTH / 2.0);
    assert_close!(expected, 1.0856, Tolerance::decimals(4), "{expected}");
    for q in [six.p5, six.p50, six.p95] {
        assert_close!(q, expected, ROUNDING, "{q} vs {expected}");
    }
}

#[test]
fn a_scope_applies_its_overrides_before_the_scenarios() {
    let results = run(&assessment(BODY, 4096, 1));
    let at_12 = |i: usize| {
        results[i]
            .projection
            .iter()
            .find(|p| p.months == 12)
            .expect("a 12-month step")
            .p50
    };
    // Starting at 10x, the 12-month median is 10^(1 + 0.0713) exactly (in floating point).
    let expected = libm::pow(10.0, 1.0 + GROWTH);
    assert_close!(at_12(2), expected, LOG_SPACE, "{}", at_12(2));
    // The scenario's growth applies on top of the scope's start.
    let slow = libm::pow(10.0, 1.0 + 0.03);
    assert_close!(at_12(3), slow, LOG_SPACE, "{}", at_12(3));
    // Already at 10x at release, the 2x threshold is reached at month 0: no month is safe,
    // and the threshold is certainly exceeded within the cadence.
    let t = &results[2].thresholds[0];
    assert_eq!(t.p_exceeded_at_cadence, Some(1.0));
    assert_eq!(t.longest_safe_interval_months, Some(0));
    // Never crossed within the horizon: the safe interval is the horizon.
    let t = &results[1].thresholds[0];
    assert_eq!(t.longest_safe_interval_months, Some(60));
    assert_eq!(t.p_exceeded_at_cadence, Some(0.0));
}

#[test]
fn the_safe_interval_is_the_month_before_the_tolerance_is_exceeded() {
    // Growth uniform on [0, 0.2] OOM/year from 1x: 2x by month m when g >= 12 log10(2) / m,
    // so P(reached by m) = 1 - 12 log10(2) / (0.2 m) for m >= 18.06. With a tolerance of 10%
    // the last safe month is the largest m with 12 log10(2) / (0.2 m) >= 0.9: m <= 20.07, so 20.
    let body = "[horizon]\nmonths = 36\nstep_months = 12\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.tools]\nlabel = \"Tools\"\navailable = 1\ngrowth = \"uniform(0, 0.2)\"\n\
        [[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\ncadence_months = 24\ntolerance = 0.1\n";
    let results = run(&assessment(body, 200_000, 3));
    let t = &results[0].thresholds[0];
    assert_eq!(t.longest_safe_interval_months, Some(20));
    let p24 = 1.0 - 12.0 * libm::log10(2.0) / (0.2 * 24.0);
    let got = t.p_exceeded_at_cadence.expect("a cadence");
    // Four binomial standard errors of 200,000 draws.
    let se = (p24 * (1.0 - p24) / 200_000.0).sqrt();
    assert_close!(
        got,
        p24,
        Tolerance::standard_errors(4.0, se),
        "{got} vs {p24}"
    );
    // The grid has month 24: its crossing probability is the same count.
    assert_eq!(Some(t.probability[2]), t.p_exceeded_at_cadence);
}

#[test]
fn thresholds_without_a_cadence_or_tolerance_have_no_policy_answers() {
    let body = "[horizon]\nmonths = 24\nstep_months = 6\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.tools]\nlabel = \"Tools\"\navailable = \"1 to 10\"\ngrowth = 0.1\n";
    let results = run(&assessment(body, 4096, 1));
    let t = &results[0].thresholds[0];
    assert_eq!(t.cadence_months, None);
    assert_eq!(t.p_exceeded_at_cadence, None);
    assert_eq!(t.longest_safe_interval_months, None);
    assert_eq!(t.cadence_equivalent, None);
    assert_eq!(results[0].scope, "average");
    assert_eq!(results[0].id, "base");
}
