//! Task scopes and the answers a safety policy needs, against closed forms: a single category
//! with point parameters makes the uplift a straight line in months, so the month it crosses a
//! threshold, the probability at the cadence, the longest safe interval and the worth of one
//! cadence are known exactly.

use overhang_model::Date;
use overhang_model::policies::{Clause, ClauseGrade, Trigger, Wording};
use overhang_model::results::{Leg, PolicyAnswer};

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
    assert_eq!(t.total_uplift_p_within_interval, Some(0.0));
    assert_eq!(t.total_uplift_longest_interval_months, Some(50));
    // From 1x there is no gap: growth after the evaluation is the whole uplift.
    let since = t.since_evaluation.expect("a cadence gives answers");
    assert_eq!(since.longest_safe_interval_months, Some(50));
    // Six months of enhancements are worth 10^(0.0713 / 2) = 1.0855x, in every draw.
    let six = since.interval_worth.expect("a cadence gives its worth");
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
    assert_eq!(t.total_uplift_p_within_interval, Some(1.0));
    assert_eq!(t.total_uplift_longest_interval_months, Some(0));
    // Never crossed within the horizon: the safe interval is the horizon.
    let t = &results[1].thresholds[0];
    assert_eq!(t.total_uplift_longest_interval_months, Some(60));
    assert_eq!(t.total_uplift_p_within_interval, Some(0.0));
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
    assert_eq!(t.total_uplift_longest_interval_months, Some(20));
    let since = t.since_evaluation.expect("a cadence gives answers");
    assert_eq!(since.longest_safe_interval_months, Some(20));
    let p24 = 1.0 - 12.0 * libm::log10(2.0) / (0.2 * 24.0);
    let got = t.total_uplift_p_within_interval.expect("a cadence");
    assert_eq!(since.p_within_interval, Some(got));
    // Four binomial standard errors of 200,000 draws.
    let se = (p24 * (1.0 - p24) / 200_000.0).sqrt();
    assert_close!(
        got,
        p24,
        Tolerance::standard_errors(4.0, se),
        "{got} vs {p24}"
    );
    // The grid has month 24: its crossing probability is the same count.
    assert_eq!(Some(t.probability[2]), t.total_uplift_p_within_interval);
}

#[test]
fn thresholds_without_a_cadence_or_tolerance_have_no_policy_answers() {
    let body = "[horizon]\nmonths = 24\nstep_months = 6\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.tools]\nlabel = \"Tools\"\navailable = \"1 to 10\"\ngrowth = 0.1\n";
    let results = run(&assessment(body, 4096, 1));
    let t = &results[0].thresholds[0];
    assert_eq!(t.cadence_months, None);
    assert_eq!(t.total_uplift_p_within_interval, None);
    assert_eq!(t.total_uplift_longest_interval_months, None);
    assert_eq!(t.since_evaluation, None);
    assert_eq!(t.adequacy, None);
    assert_eq!(t.first_leg, None);
    assert!(results[0].elicitation_time.is_empty());
    assert_eq!(results[0].scope, "average");
    assert_eq!(results[0].id, "base");
}

/// A clause of the registry with `triggers`, for the tests.
fn clause(id: &str, triggers: Vec<Trigger>) -> Clause {
    Clause {
        id: id.to_owned(),
        framework: "A framework".to_owned(),
        version: "1".to_owned(),
        date: Date::parse("2025-01").expect("a date"),
        wording: Wording::Paraphrase("A test clause.".to_owned()),
        locator: String::new(),
        source: "https://example.org".to_owned(),
        grade: ClauseGrade::Secondary,
        superseded_by: String::new(),
        triggers,
    }
}

/// One category with 20x available and 10x of it left uncaptured at release (elicited 2x),
/// growing 0.0713 OOM a year; a 2x step with a 6-month interval and a tolerance of 10%.
const GAP: &str = "[horizon]\nmonths = 60\nstep_months = 12\n\
    [composability]\nmethod = \"multiplicative\"\n\
    [categories.tools]\nlabel = \"Tools\"\navailable = 20\nelicited = 2\ngrowth = 0.0713\n\
    [[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\ncadence_months = 6\ntolerance = 0.1\n";

#[test]
#[expect(
    clippy::float_cmp,
    reason = "every draw is the same point: the shares are exact"
)]
fn a_gap_of_10x_is_an_adequacy_answer_and_growth_alone_answers_since_the_evaluation() {
    let mut a = assessment(GAP, 4096, 1);
    a.clauses = vec![clause(
        "six_months",
        vec![Trigger::ElicitationTime { months: 6 }],
    )];
    let results = run(&a);
    let r = &results[0];
    let t = &r.thresholds[0];
    // The gap at release is 10x, above the 2x step in every draw: the total uplift leaves no
    // safe month, and that is a question of the evaluation, not of the interval.
    assert_eq!(t.total_uplift_longest_interval_months, Some(0));
    let adequacy = t.adequacy.as_ref().expect("a tolerance gives adequacy");
    assert_eq!(adequacy.p_gap_reaches, 1.0);
    assert!(adequacy.adequate_profiles.is_empty());
    // Growth alone reaches 2x at 12 log10(2) / 0.0713 = 50.66 months: month 50 is the last
    // safe one, and no draw reaches it within six months.
    let since = t.since_evaluation.expect("a cadence gives answers");
    assert_eq!(since.interval_months, Some(6));
    assert_eq!(since.longest_safe_interval_months, Some(50));
    assert_eq!(since.p_within_interval, Some(0.0));
    let expected = libm::pow(10.0, GROWTH / 2.0);
    assert_close!(
        expected,
        1.085_55,
        Tolerance::decimals(5),
        "10^(growth / 2)"
    );
    let worth = since.interval_worth.expect("a cadence gives its worth");
    for q in [worth.p5, worth.p50, worth.p95] {
        assert_close!(q, expected, ROUNDING, "interval worth");
    }
    // The calendar leg (6 months) fires long before the step (month 51).
    let leg = t
        .first_leg
        .expect("a cadence and a tolerance give the first leg");
    assert_eq!(leg.compute_month, Some(51));
    assert_eq!(leg.calendar_months, 6);
    assert_eq!(leg.first, Leg::Calendar);
    // Six months of elicitation are worth the same 1.0855x of effective compute.
    assert_eq!(r.elicitation_time.len(), 1);
    let six = &r.elicitation_time[0];
    assert_eq!(
        (six.clause.as_str(), six.kind.as_str(), six.months),
        ("six_months", "elicitation_time", 6)
    );
    for q in [six.worth.p5, six.worth.p50, six.worth.p95] {
        assert_close!(q, expected, ROUNDING, "worth of six months");
    }
}

#[test]
fn a_profile_that_captures_enough_is_the_adequate_evaluation() {
    // The assessment's evaluation leaves 10x; a profile that captures 15 of the 20 leaves
    // 1.33x, below the 2x step in every draw.
    let body = format!(
        "{GAP}[evaluation]\ndescription = \"The test evaluation.\"\n\
         [evaluation.profiles.strong]\nlabel = \"Strong\"\ndescription = \"Captures more.\"\n\
         categories.tools.elicited = 15\n"
    );
    let results = run(&assessment(&body, 4096, 1));
    let adequacy = results[0].thresholds[0]
        .adequacy
        .as_ref()
        .expect("a tolerance gives adequacy");
    let gaps: Vec<(&str, f64)> = adequacy
        .profiles
        .iter()
        .map(|p| (p.profile.as_str(), p.p_gap_reaches))
        .collect();
    assert_eq!(gaps, [("evaluation", 1.0), ("strong", 0.0)]);
    assert_eq!(adequacy.adequate_profiles, ["strong"]);
    // A step the growth reaches fast: the effective-compute leg fires first.
    let fast = GAP.replace("growth = 0.0713", "growth = 1");
    let t = &run(&assessment(&fast, 4096, 1))[0].thresholds[0];
    let leg = t.first_leg.expect("a first leg");
    // 12 log10(2) / 1 = 3.6 months: month 4.
    assert_eq!(
        (leg.compute_month, leg.first),
        (Some(4), Leg::EffectiveCompute)
    );
}

#[test]
fn the_re_evaluation_ranking_explains_growth_and_the_adequacy_ranking_the_gap() {
    // With one category and no lag, U(t) = G + g t: the growth since the evaluation over the
    // 6-month interval is g / 2 alone and the gap at release is G alone, whatever the
    // available level. Each ranking must put its own input first, with all of the variance,
    // and the other two near nothing. Uniform draws keep the 50 equal-probability bins narrow
    // (a heavy tail puts variance inside the last bin, which a first-order share misses).
    let body = "[horizon]\nmonths = 24\nstep_months = 12\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.tools]\nlabel = \"Tools\"\navailable = \"20 to 50\"\ngap = \"uniform(1, 10)\"\n\
        growth = \"uniform(0.05, 0.5)\"\n\
        [[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\ncadence_months = 6\ntolerance = 0.1\n";
    let results = run(&assessment(body, 100_000, 5));
    let ranked = &results[0].answer_sensitivity;
    let answers: Vec<_> = ranked.iter().map(|a| (a.answer, a.months)).collect();
    assert_eq!(
        answers,
        [
            (PolicyAnswer::SinceEvaluation, 6),
            (PolicyAnswer::Adequacy, 0)
        ]
    );
    for (a, leader) in ranked
        .iter()
        .zip(["categories.tools.growth", "categories.tools.gap"])
    {
        assert_eq!(a.threshold, 0);
        assert_eq!(a.inputs[0].input, leader, "{:?}", a.answer);
        assert_eq!(a.inputs[0].rank, 1);
        // Binning 50 equal-probability bins leaves a bias of order 1 / 50^2.
        assert_close!(
            a.inputs[0].first_order,
            1.0,
            Tolerance::decimals(2),
            "{a:?}"
        );
        for other in &a.inputs[1..] {
            assert_close!(other.first_order, 0.0, Tolerance::decimals(2), "{a:?}");
        }
    }
}

#[test]
fn without_a_cadence_no_input_is_ranked_for_the_policy_answers() {
    let body = "[horizon]\nmonths = 24\nstep_months = 12\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.tools]\nlabel = \"Tools\"\navailable = \"2 to 50\"\ngrowth = \"0.05 to 0.5\"\n\
        [[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\n";
    let results = run(&assessment(body, 4096, 5));
    assert!(results[0].answer_sensitivity.is_empty());
}
