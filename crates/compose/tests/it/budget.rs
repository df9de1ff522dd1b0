//! The uplift at the evaluation's inference budget: a category whose inference cost exceeds
//! the budget is lowered by `log10(cost / budget) / exchange` OOM.

use overhang_model::results::ScenarioResults;
use overhang_testkit::{LOG_SPACE, Tolerance, ULPS, assert_close};

use crate::{assessment, run};

const SAMPLES: u64 = 4000;

fn budget_case(category: &str, evaluation: &str) -> ScenarioResults {
    let body = format!(
        "[horizon]\nmonths = 24\nstep_months = 6\n\
         [composability]\nmethod = \"multiplicative\"\n\
         [evaluation]\ndescription = \"A test evaluation.\"\n{evaluation}\n\
         [categories.choice]\nlabel = \"Choice\"\n{category}\n\
         [[thresholds]]\nlabel = \"300x\"\nmultiplier = 300\n"
    );
    run(&assessment(&body, SAMPLES, 7)).remove(0)
}

#[test]
fn a_cost_of_100x_at_a_budget_of_1x_and_exchange_2_lowers_the_level_by_one_oom() {
    let r = budget_case(
        "available = 1000\ngrowth = 0\ninference_cost = 100",
        "inference_multiple = 1\ninference_exchange = 2",
    );
    let b = r
        .at_budget
        .expect("a budget and a cost give the uplift at the budget");
    assert_eq!(b.penalties.len(), 1);
    assert_close!(b.penalties[0].oom, 1.0, LOG_SPACE, "{}", b.penalties[0].oom);
    assert_eq!(b.projection.len(), 2);
    for p in &b.projection {
        for q in [p.p5, p.p50, p.p95] {
            assert_close!(q, 100.0, LOG_SPACE);
        }
    }
    assert_close!(r.projection.last().unwrap().p50, 1000.0, LOG_SPACE);
    // 100x stays below the 300x threshold at the budget; 1000x is above it unconstrained.
    assert_eq!(b.probability, vec![vec![0.0, 0.0]]);
    assert_eq!(r.thresholds[0].probability.last(), Some(&1.0));
}

#[test]
fn uncertain_levels_are_shifted_draw_by_draw() {
    let r = budget_case(
        "available = \"100 to 1000\"\ngrowth = \"normal(0.1, 0.02)\"\ninference_cost = \"1000\"",
        "inference_multiple = 10\ninference_exchange = 1",
    );
    let b = r.at_budget.expect("the uplift at the budget");
    assert_close!(b.penalties[0].oom, 2.0, LOG_SPACE);
    for p in &b.projection {
        let u = r.projection.iter().find(|q| q.months == p.months).unwrap();
        for (at, free) in [(p.p5, u.p5), (p.p50, u.p50), (p.p95, u.p95)] {
            assert_close!(at * 100.0, free, LOG_SPACE, "{at} x 100 vs {free}");
        }
    }
}

#[test]
fn a_cost_within_the_budget_changes_nothing() {
    let r = budget_case(
        "available = \"10 to 100\"\ngrowth = 0.1\ninference_cost = 5",
        "inference_multiple = 10",
    );
    let b = r.at_budget.expect("the uplift at the budget");
    assert_close!(b.penalties[0].oom, 0.0, ULPS);
    assert_eq!(b.exchange, "1 to 2");
    assert_eq!(b.projection[0], r.projection[2]);
    assert_eq!(b.projection[1], *r.projection.last().unwrap());
}

#[test]
fn without_a_budget_there_is_no_uplift_at_the_budget() {
    let r = budget_case("available = 100\ngrowth = 0\ninference_cost = 100", "");
    assert!(r.at_budget.is_none());
}

#[test]
fn the_elicited_level_is_held_to_what_the_budget_buys() {
    // Elicited 100x, available 1000x at 100x inference, budget 1x, exchange 2: at the budget
    // the level is 100x and the evaluation captured at most that, so no uplift.
    let r = budget_case(
        "available = 1000\nelicited = 100\ngrowth = 0\ninference_cost = 100",
        "inference_multiple = 1\ninference_exchange = 2",
    );
    let b = r.at_budget.expect("the uplift at the budget");
    for p in &b.projection {
        assert_close!(p.p50, 1.0, LOG_SPACE);
    }
    assert_close!(r.projection[0].p50, 10.0, LOG_SPACE);
}

/// The cost and the exchange rate are drawn per sample, as every other estimate is: an
/// uncertain cost spreads the uplift at the budget, where a penalty taken at the medians would
/// leave every draw at the same level.
#[test]
fn an_uncertain_cost_is_drawn_per_sample_not_taken_at_its_median() {
    let r = budget_case(
        "available = 1000\ngrowth = 0\ninference_cost = \"10 to 1000\"",
        "inference_multiple = 1\ninference_exchange = 1",
    );
    let b = r.at_budget.expect("the uplift at the budget");
    // At the medians: log10(100 / 1) / 1 = 2 OOM.
    assert_close!(b.penalties[0].oom, 2.0, LOG_SPACE);
    // Per sample, log10 cost is normal with 5th and 95th percentiles 1 and 3, so the level
    // 3 - log10 cost has them at 0 and 2: 1x and 100x, with the median at 10x.
    let p = &b.projection[0];
    assert_close!(p.p50, 10.0, Tolerance::standard_errors(4.0, p.se.p50));
    assert_close!(
        p.p5,
        1.0,
        Tolerance::standard_errors(4.0, p.se.p5).or(&LOG_SPACE)
    );
    assert_close!(p.p95, 100.0, Tolerance::standard_errors(4.0, p.se.p95));
}
