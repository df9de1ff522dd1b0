//! The headline with kappa held at fixed values: the same as a run with kappa fixed there, over
//! the same samples.

use crate::{assessment, run};
use overhang_testkit::{EXACT, ROUNDING, assert_close};

fn body(kappa: &str) -> String {
    format!(
        "[horizon]\nmonths = 24\nstep_months = 12\n\
         [composability]\nmethod = \"largest-first\"\nkappa = {kappa}\n\
         [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\ngrowth = \"0.02 to 0.3\"\n\
         [categories.b]\nlabel = \"B\"\navailable = \"3 to 30\"\nelicited = \"1 to 3\"\n\
         growth = \"0.01 to 0.2\"\n\
         [[thresholds]]\nlabel = \"4x\"\nmultiplier = 4\n"
    )
}

#[test]
fn the_headline_at_a_fixed_kappa_is_a_run_with_that_kappa() {
    // 10,000 samples: the conditional headlines use exactly the run's samples.
    let n = overhang_compose::TORNADO_SAMPLES;
    let blended = run(&assessment(&body("\"uniform(0, 1)\""), n, 41));
    let held = &blended[0].conditional;
    let values: Vec<f64> = held.iter().map(|c| c.value).collect();
    assert_eq!(values, [0.2, 0.45, 0.7, 1.0]);
    for c in held {
        assert_eq!(c.input, "composability.kappa");
        let fixed = run(&assessment(&body(&c.value.to_string()), n, 41));
        for step in &c.steps {
            let j = fixed[0]
                .projection
                .iter()
                .position(|p| p.months == step.months)
                .expect("grid month");
            let want = fixed[0].projection[j].p50;
            assert_close!(
                step.p50,
                want,
                ROUNDING.relative(),
                "kappa {} month {}: {} vs {want}",
                c.value,
                step.months,
                step.p50
            );
            let p = fixed[0].thresholds[0].probability[j];
            assert_close!(
                step.probability[0],
                p,
                ROUNDING,
                "{} vs {p}",
                step.probability[0]
            );
        }
    }
    // The median rises with kappa, and the blend lies within the range.
    let at_12: Vec<f64> = held.iter().map(|c| c.steps[0].p50).collect();
    assert!(at_12.windows(2).all(|w| w[0] <= w[1]), "{at_12:?}");
    let blend = blended[0].projection[1].p50;
    assert!(
        at_12[0] <= blend && blend <= at_12[3],
        "{blend} in {at_12:?}"
    );
}

#[test]
fn a_point_kappa_has_no_conditional_headline() {
    let r = run(&assessment(&body("0.5"), 5000, 42));
    assert!(r[0].conditional.is_empty());
}

/// [`body`] with `kappa_alternative` beside kappa.
fn with_alternative(kappa: &str, alternative: &str) -> String {
    body(kappa).replace(
        "[categories.a]",
        &format!("kappa_alternative = {alternative}\n[categories.a]"),
    )
}

#[test]
fn the_headline_under_the_alternative_prior_is_a_run_with_that_prior() {
    // The rerun draws kappa from the alternative from the same stream, every other draw
    // unchanged: it is the run whose prior is the alternative, step by step and threshold by
    // threshold.
    let n = 20_000;
    let results = run(&assessment(
        &with_alternative("\"beta(5, 3)\"", "\"uniform(0.2, 1)\""),
        n,
        7,
    ));
    let alt = results[0]
        .kappa_alternative
        .as_ref()
        .expect("an uncertain kappa with an alternative");
    assert_eq!(alt.kappa, "uniform(0.2, 1)");
    let flat = run(&assessment(&body("\"uniform(0.2, 1)\""), n, 7));
    let months: Vec<u32> = alt.projection.iter().map(|p| p.months).collect();
    assert_eq!(months, [0, 12, 24]);
    for (k, p) in alt.projection.iter().enumerate() {
        let j = flat[0]
            .projection
            .iter()
            .position(|q| q.months == p.months)
            .expect("grid month");
        assert_eq!(p, &flat[0].projection[j]);
        assert_close!(
            alt.probability[0][k],
            flat[0].thresholds[0].probability[j],
            EXACT,
            "month {}",
            p.months
        );
    }
    // The two priors differ, so the two headlines do.
    let (a, b) = (alt.projection[1].p50, results[0].projection[1].p50);
    assert!(!EXACT.allows(a, b), "{a} vs {b}");
}

#[test]
fn no_alternative_headline_without_an_uncertain_kappa() {
    let point = run(&assessment(
        &with_alternative("0.5", "\"uniform(0.2, 1)\""),
        4096,
        7,
    ));
    assert_eq!(point[0].kappa_alternative, None);
    let none = run(&assessment(&body("\"uniform(0.2, 1)\""), 4096, 7));
    assert_eq!(none[0].kappa_alternative, None);
}
