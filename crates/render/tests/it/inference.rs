//! The section "Estimates inferred from the evidence": what drives each category's estimate,
//! by the rule stated in Methods, in the PDF, the web page and summary.md alike.

use crate::fixture;

fn outputs() -> (String, String) {
    let results = fixture::committed();
    let charts = overhang_render::charts(&results);
    (
        overhang_render::report_text(&results, &charts).unwrap(),
        overhang_render::report_html(&results, &charts).unwrap(),
    )
}

/// The PDF's text with its line breaks and hyphenation undone, so a sentence reads whole.
fn flat(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\u{ad}', "")
}

#[test]
fn the_evidence_decides_when_a_vague_prior_gives_about_the_same_posterior() {
    let (pdf, html) = outputs();
    let sentence = "Solution choice: the evidence decides: five rows (one of them a bound) in four \
                    studies move the level at release from 4.8x (prior median) to 23x (90% \
                    interval 12x to 45x); under a prior ten times as wide it would be 26x.";
    assert!(flat(&pdf).contains(sentence), "{}", flat(&pdf));
    assert!(html.contains(sentence));
}

#[test]
fn the_prior_decides_when_the_rows_hardly_move_it_and_a_vague_prior_would() {
    let (pdf, _) = outputs();
    let pdf = flat(&pdf);
    assert!(
        pdf.contains("Tool use: the prior decides: two rows (one of them a bound) in two studies leave the level at release at 12x"),
        "{pdf}"
    );
    assert!(
        pdf.contains("Scaffolding: the evidence and the prior share it: three rows"),
        "{pdf}"
    );
}

#[test]
fn a_category_without_rows_keeps_its_prior_and_says_so() {
    let (pdf, html) = outputs();
    let sentence = "Prompting: no usable rows, so it keeps its prior: 3.0x at release (90% \
                    interval 1.5x to 6.0x).";
    assert!(flat(&pdf).contains(sentence), "{}", flat(&pdf));
    assert!(html.contains(sentence));
    assert!(flat(&pdf).contains("Fine-tuning data: not inferred (the inputs set infer = false)"));
}

#[test]
fn rows_that_contradict_the_prior_are_named() {
    let (pdf, _) = outputs();
    assert!(
        flat(&pdf).contains(
            "For Solution choice, the rows contradict the prior: the posterior median lies \
             outside the prior's 90% interval"
        ),
        "{}",
        flat(&pdf)
    );
    let mut results = fixture::committed();
    if let Some(inf) = &mut results.inference {
        for c in &mut inf.categories {
            c.contradicts_prior = false;
        }
    }
    let charts = overhang_render::charts(&results);
    let text = overhang_render::report_text(&results, &charts).unwrap();
    assert!(!text.contains("the rows contradict the prior:"), "{text}");
}

#[test]
fn the_backtest_says_when_its_intervals_are_too_narrow() {
    let (pdf, _) = outputs();
    let pdf = flat(&pdf);
    assert!(
        pdf.contains(
            "predicted the three later exact rows: one of them fell inside their 50% predictive \
             interval (expected half) and one inside the 90% one"
        ),
        "{pdf}"
    );
    assert!(pdf.contains("The intervals are too narrow"), "{pdf}");
}

#[test]
fn the_summary_names_the_category_that_moved_most() {
    let summary = overhang_render::summary_md(&fixture::committed()).unwrap();
    assert!(
        summary.contains(
            "The category estimates are posteriors given 10 evidence rows; the one that moved \
             most is Solution choice, from 4.8x (prior median) to 23x at release."
        ),
        "{summary}"
    );
}

#[test]
fn without_inference_the_section_is_absent() {
    let mut results = fixture::committed();
    results.inference = None;
    let charts = overhang_render::charts(&results);
    assert!(!charts.iter().any(|c| c.name.starts_with("inference_")));
    let text = overhang_render::report_text(&results, &charts).unwrap();
    assert!(!text.contains("Estimates inferred from the evidence"));
    let html = overhang_render::report_html(&results, &charts).unwrap();
    assert!(!html.contains("id=\"inference\""));
}
