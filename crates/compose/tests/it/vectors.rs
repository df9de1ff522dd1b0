//! The model against `tests/vectors/model.json`, computed with numpy and scipy from the method
//! as documented (by `tests/vectors/gen_vectors.py`): the Choquet aggregation of every method,
//! the evaluation capped at what was available, and tornado medians with an input pinned.

use std::fmt::Write as _;

use overhang_model::results::ScenarioResults;
use overhang_testkit::{LOG_SPACE, ROUNDING, Tolerance, assert_close};
use serde::Deserialize;

use crate::{assessment, assessment_with_pairs, run};

#[derive(Deserialize)]
struct Vectors {
    probs: Vec<f64>,
    choquet: Vec<ChoquetCase>,
    monotone_projection: Projection,
    elicited_cap: Vec<CapCase>,
    tornado: Vec<TornadoCase>,
}

#[derive(Deserialize)]
struct ChoquetCase {
    ceg: Vec<f64>,
    /// `(i, j, c_ij)` for every pair `i < j`.
    pairs: Vec<(usize, usize, f64)>,
    kappa: f64,
    multiplicative: f64,
    max: f64,
    largest_first: f64,
    pairwise: f64,
}

#[derive(Deserialize)]
struct Projection {
    ceg: Vec<f64>,
    growth: Vec<f64>,
    composability: f64,
    months: Vec<u32>,
    uplift: Vec<f64>,
    old_rule: Vec<f64>,
}

#[derive(Deserialize)]
struct CapCase {
    name: String,
    body: String,
    steps: Vec<CapStep>,
}

#[derive(Deserialize)]
struct CapStep {
    months: u32,
    /// The multiplier at each of `probs`.
    quantiles: Vec<f64>,
    /// Whether the quantile lies well inside an atom of `U` (the evaluation captured all that
    /// was available, or nothing): then every order statistic around it has that value.
    exact: Vec<bool>,
    /// Per threshold, `P(10^U >= multiplier)`.
    probability: Vec<f64>,
}

#[derive(Deserialize)]
struct TornadoCase {
    name: String,
    input: String,
    body: String,
    composability_csv: Option<String>,
    steps: Vec<TornadoStep>,
}

#[derive(Deserialize)]
struct TornadoStep {
    months: u32,
    median_at_p5: f64,
    median_at_p95: f64,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../vectors/model.json")).expect("valid vectors")
}

// Levels and composabilities pass through decimal text and `log10` on both sides: a few
// units in the last place of aggregates below 30, inside testkit's ROUNDING.

/// The uplift at release, in OOM, of point CEGs with nothing elicited and no growth.
fn aggregate_at_release(ceg: &[f64], composability: &str, csv: Option<&str>) -> f64 {
    let mut body =
        format!("[horizon]\nmonths = 12\nstep_months = 12\n[composability]\n{composability}\n");
    for (c, x) in ceg.iter().enumerate() {
        write!(
            body,
            "[categories.c{c}]\nlabel = \"C{c}\"\navailable = {x:?}\ngrowth = 0\n"
        )
        .unwrap();
    }
    let r = run(&assessment_with_pairs(&body, csv, 1, 1)).remove(0);
    libm::log10(r.projection[0].p50)
}

#[test]
fn every_method_aggregates_as_the_choquet_integral_of_its_capacity() {
    let v = vectors();
    assert!(v.choquet.len() >= 40);
    for (k, case) in v.choquet.iter().enumerate() {
        let mut csv = String::from("category_a,category_b,composability\n");
        for (i, j, c) in &case.pairs {
            writeln!(csv, "c{i},c{j},{c:?}").unwrap();
        }
        for (method, want, csv) in [
            (
                "method = \"multiplicative\"".to_owned(),
                case.multiplicative,
                None,
            ),
            ("method = \"max\"".to_owned(), case.max, None),
            (
                format!("method = \"largest-first\"\nkappa = {:?}", case.kappa),
                case.largest_first,
                None,
            ),
            (
                "method = \"pairwise\"".to_owned(),
                case.pairwise,
                Some(csv.as_str()),
            ),
        ] {
            let got = aggregate_at_release(&case.ceg, &method, csv);
            assert_close!(
                got,
                want,
                ROUNDING,
                "case {k} ({} categories), {method}: {got} vs {want}",
                case.ceg.len()
            );
        }
    }
}

#[test]
fn a_growing_category_never_shrinks_the_pairwise_total() {
    let p = vectors().monotone_projection;
    let mut body = format!(
        "[horizon]\nmonths = 60\nstep_months = 6\n[composability]\nmethod = \"pairwise\"\n\
         pair_default = {:?}\n",
        p.composability
    );
    for (c, (x, g)) in p.ceg.iter().zip(&p.growth).enumerate() {
        write!(
            body,
            "[categories.c{c}]\nlabel = \"C{c}\"\navailable = {x:?}\ngrowth = {g:?}\n"
        )
        .unwrap();
    }
    let r = run(&assessment(&body, 1, 1)).remove(0);
    let months: Vec<u32> = r.projection.iter().map(|s| s.months).collect();
    assert_eq!(months, p.months);
    let got: Vec<f64> = r.projection.iter().map(|s| libm::log10(s.p50)).collect();
    for (k, (g, want)) in got.iter().zip(&p.uplift).enumerate() {
        assert_close!(g, want, ROUNDING, "month {}: {g} vs {want}", months[k]);
    }
    assert!(got.windows(2).all(|w| w[1] >= w[0]), "{got:?}");
    // The rule this replaces fell from 3 to 2.5 OOM here while one category grew.
    assert!(p.old_rule.windows(2).all(|w| w[1] < w[0]));
}

#[test]
fn the_evaluation_capped_at_what_was_available_gives_the_closed_form() {
    let v = vectors();
    let samples = 200_000u64;
    let nf = samples as f64;
    for (k, case) in v.elicited_cap.iter().enumerate() {
        let r: ScenarioResults = run(&assessment(&case.body, samples, 40 + k as u64)).remove(0);
        for step in &case.steps {
            let point = r
                .projection
                .iter()
                .find(|p| p.months == step.months)
                .expect("the step is on the grid");
            let got = [point.p5, point.p25, point.p50, point.p75, point.p95];
            for (q, (&p, &want)) in v.probs.iter().zip(&step.quantiles).enumerate() {
                // Inside an atom the quantile is exact; elsewhere, four Monte Carlo standard
                // errors.
                let tol = if step.exact[q] {
                    ROUNDING.relative()
                } else {
                    Tolerance::standard_errors(4.0, point.se.to_array()[q])
                };
                assert_close!(
                    got[q],
                    want,
                    tol,
                    "{} month {} p{p}: {} vs {want} (tolerance {tol})",
                    case.name,
                    step.months,
                    got[q]
                );
            }
            let j = r
                .projection
                .iter()
                .position(|p| p.months == step.months)
                .unwrap();
            for (t, &want) in r.thresholds.iter().zip(&step.probability) {
                let got = t.probability[j];
                let tol = Tolerance::standard_errors(4.0, (want * (1.0 - want) / nf).sqrt())
                    .or(&ROUNDING);
                assert_close!(
                    got,
                    want,
                    tol,
                    "{} month {} {}: {got} vs {want}",
                    case.name,
                    step.months,
                    t.label
                );
            }
        }
    }
}

#[test]
fn tornado_medians_with_the_one_uncertain_input_pinned_are_exact() {
    let v = vectors();
    let kinds: Vec<&str> = v.tornado.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        kinds,
        ["available", "elicited", "growth", "cap", "kappa", "pair"]
    );
    for case in &v.tornado {
        let a = assessment_with_pairs(&case.body, case.composability_csv.as_deref(), 1000, 3);
        let r = run(&a).remove(0);
        assert_eq!(r.sensitivity.len(), case.steps.len());
        for (s, want) in r.sensitivity.iter().zip(&case.steps) {
            assert_eq!(s.months, want.months);
            assert_eq!(s.inputs.len(), 1, "{}: one uncertain input", case.name);
            let e = &s.inputs[0];
            assert_eq!(e.input, case.input);
            for (got, want) in [
                (e.median_at_p5, want.median_at_p5),
                (e.median_at_p95, want.median_at_p95),
            ] {
                assert_close!(
                    got,
                    want,
                    LOG_SPACE,
                    "{} at {} months: {got} vs {want}",
                    case.name,
                    s.months
                );
            }
        }
    }
}
