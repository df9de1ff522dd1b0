//! How far the evidence covers each category: the rows and studies behind it, how many studies
//! give an exact value and how many measured an already post-trained model, against the
//! coverage the estimates need ([`TARGET_STUDIES`], [`TARGET_EXACT`], [`TARGET_POST_TRAINED`]).

use std::collections::BTreeSet;

use overhang_model::Censoring;
use overhang_model::Results;
use overhang_model::results::EvidenceInput;
use serde::Serialize;

use super::evidence::informative;
use crate::format::{join_and, number_words};

/// The studies a category needs before its estimate can rest on its evidence.
pub(crate) const TARGET_STUDIES: usize = 4;
/// Of them, the studies that give at least one exact value (not a bound).
pub(crate) const TARGET_EXACT: usize = 2;
/// Of them, the studies that measured an already post-trained model.
pub(crate) const TARGET_POST_TRAINED: usize = 2;

/// One category's (or one scope's) coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CoverageRow {
    /// The category's label, or the scope's.
    pub label: String,
    /// Informative capability rows (a lower bound of 1 and preference rows are left out).
    pub rows: usize,
    /// Distinct studies among them.
    pub studies: usize,
    /// Studies with at least one exact value.
    pub exact: usize,
    /// Studies with at least one row measured on an already post-trained model.
    pub post_trained: usize,
    /// Whether the row meets every target.
    pub meets: bool,
}

fn row(label: String, rows: &[&EvidenceInput]) -> CoverageRow {
    let study = |e: &&EvidenceInput| e.study.clone().unwrap_or_else(|| e.id.clone());
    let studies: BTreeSet<String> = rows.iter().map(study).collect();
    let exact: BTreeSet<String> = rows
        .iter()
        .filter(|e| e.censoring == Censoring::None)
        .map(study)
        .collect();
    let post: BTreeSet<String> = rows
        .iter()
        .filter(|e| e.estimand.as_deref() == Some("post_trained"))
        .map(study)
        .collect();
    CoverageRow {
        label,
        rows: rows.len(),
        studies: studies.len(),
        exact: exact.len(),
        post_trained: post.len(),
        meets: studies.len() >= TARGET_STUDIES
            && exact.len() >= TARGET_EXACT
            && post.len() >= TARGET_POST_TRAINED,
    }
}

/// The rows that count: capability rows with an informative value.
fn counted(results: &Results) -> Vec<&EvidenceInput> {
    results
        .inputs
        .evidence
        .iter()
        .filter(|e| informative(e) && e.metric != "preference")
        .collect()
}

/// One row per category (all scopes' rows), then one per declared task scope (its own rows).
pub(crate) fn coverage_rows(results: &Results) -> Vec<CoverageRow> {
    let rows = counted(results);
    let mut out: Vec<CoverageRow> = results
        .inputs
        .categories
        .iter()
        .map(|c| {
            let mine: Vec<&EvidenceInput> = rows
                .iter()
                .copied()
                .filter(|e| e.category == c.id)
                .collect();
            row(c.label.clone(), &mine)
        })
        .collect();
    for s in results
        .inputs
        .scopes
        .iter()
        .filter(|s| s.id != overhang_model::assessment::AVERAGE_SCOPE)
    {
        let mine: Vec<&EvidenceInput> = rows.iter().copied().filter(|e| e.scope == s.id).collect();
        out.push(row(format!("Scope: {}", s.label), &mine));
    }
    out
}

/// Which rows meet the coverage the estimates need, and which fall short, in words.
pub(crate) fn coverage_sentence(rows: &[CoverageRow]) -> String {
    let short: Vec<String> = rows
        .iter()
        .filter(|r| !r.meets)
        .map(|r| r.label.clone())
        .collect();
    let target = format!(
        "An estimate can rest on its evidence when at least {} studies inform it, {} of them \
         with an exact value and {} on an already post-trained model",
        number_words(TARGET_STUDIES as u32).to_lowercase(),
        number_words(TARGET_EXACT as u32).to_lowercase(),
        number_words(TARGET_POST_TRAINED as u32).to_lowercase(),
    );
    match short.len() {
        0 => format!("{target}; every row of the table meets it."),
        n if n == rows.len() => format!(
            "{target}; no row of the table meets it, so every estimate is a judgement the \
             evidence informs but cannot carry."
        ),
        _ => format!(
            "{target}. Short of it, so their estimates are judgements the evidence informs but \
             cannot carry: {}.",
            join_and(&short)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cov(label: &str, studies: usize, exact: usize, post: usize) -> CoverageRow {
        CoverageRow {
            label: label.to_owned(),
            rows: studies,
            studies,
            exact,
            post_trained: post,
            meets: studies >= TARGET_STUDIES
                && exact >= TARGET_EXACT
                && post >= TARGET_POST_TRAINED,
        }
    }

    #[test]
    fn the_sentence_names_what_falls_short() {
        let rows = [cov("Tools", 4, 2, 2), cov("Prompting", 3, 0, 1)];
        assert!(rows[0].meets && !rows[1].meets);
        let s = coverage_sentence(&rows);
        assert!(s.ends_with("cannot carry: Prompting."), "{s}");
        assert!(s.starts_with("An estimate can rest on its evidence when at least four studies"));
        assert!(coverage_sentence(&rows[..1]).ends_with("every row of the table meets it."));
        assert!(coverage_sentence(&rows[1..]).contains("no row of the table meets it"));
    }
}
