//! The headline under other evaluation profiles: the scenario rerun with the profile's
//! elicited levels, everything else (draws, growth) the same.

use overhang_model::results::ScenarioResults;
use overhang_testkit::{LOG_SPACE, assert_close};

use crate::{assessment, run};

const SAMPLES: u64 = 4000;

fn profile_case(profiles: &str) -> ScenarioResults {
    let body = format!(
        "[horizon]\nmonths = 24\nstep_months = 6\n\
         [composability]\nmethod = \"multiplicative\"\n\
         [evaluation]\ndescription = \"Pass@1, no fine-tuning.\"\n{profiles}\n\
         [categories.choice]\nlabel = \"Choice\"\navailable = 10\nelicited = 2\ngrowth = 0.1\n\
         [categories.data]\nlabel = \"Data\"\navailable = \"2 to 20\"\nelicited = 1\n\
         growth = \"0 to 0.2\"\n\
         [[thresholds]]\nlabel = \"4x\"\nmultiplier = 4\n"
    );
    run(&assessment(&body, SAMPLES, 11)).remove(0)
}

#[test]
fn a_profile_that_elicits_more_lowers_the_gap_at_release_by_exactly_that_much() {
    // Choice: 10x available, 2x elicited as evaluated (a gap of 5x); the profile elicits 5x,
    // a gap of 2x: every quantile of the uplift falls by 5 / 2 = 2.5, at release and after, as
    // the data category and the growth draws are the same.
    let r = profile_case(
        "[evaluation.profiles.best_of_10]\nlabel = \"Best of 10\"\n\
         description = \"Ten samples, a verifier picks one.\"\n\
         categories.choice.elicited = 5",
    );
    assert_eq!(r.profiles.len(), 1);
    let h = &r.profiles[0];
    assert_eq!(h.profile, "best_of_10");
    let months: Vec<u32> = h.projection.iter().map(|p| p.months).collect();
    assert_eq!(months, vec![0, 12, 24]);
    for p in &h.projection {
        let u = r.projection.iter().find(|q| q.months == p.months).unwrap();
        for (profile, evaluated) in [(p.p5, u.p5), (p.p50, u.p50), (p.p95, u.p95)] {
            assert_close!(
                profile * 2.5,
                evaluated,
                LOG_SPACE,
                "{profile} x 2.5 vs {evaluated}"
            );
        }
    }
    assert_eq!(h.probability.len(), 1);
    assert_eq!(h.probability[0].len(), 3);
    // Fewer draws reach 4x when the evaluation elicited more.
    assert!(h.probability[0][0] < r.thresholds[0].probability[0]);
}

#[test]
fn a_profile_that_changes_nothing_repeats_the_headline() {
    let r = profile_case(
        "[evaluation.profiles.same]\nlabel = \"Same\"\ndescription = \"As evaluated.\"\n\
         categories.choice.elicited = 2",
    );
    let h = &r.profiles[0];
    assert_eq!(h.projection[0], r.projection[0]);
    assert_eq!(h.projection[1], r.projection[2]);
    assert_eq!(
        h.probability[0][2].to_bits(),
        r.thresholds[0].probability.last().unwrap().to_bits()
    );
}

#[test]
fn without_profiles_there_are_no_profile_headlines() {
    assert!(profile_case("").profiles.is_empty());
}
