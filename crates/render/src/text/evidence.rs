//! The evidence: its table and counts, how thin it is, the trend fits and the composability
//! assumption in words.

use std::fmt::Write as _;

use overhang_model::results::{EvidenceInput, Results};

use super::{EvidenceCount, FitText};
use crate::format::{join_and, mult, number_words};

pub(super) fn is_url(source: &str) -> bool {
    let s = source.trim();
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

pub(super) fn category_label<'a>(results: &'a Results, id: &'a str) -> &'a str {
    results
        .inputs
        .categories
        .iter()
        .find(|c| c.id == id)
        .map_or(id, |c| c.label.as_str())
}

pub(super) fn count(label: String, rows: &[&EvidenceInput]) -> EvidenceCount {
    EvidenceCount {
        label,
        rows: rows.len(),
        measured: rows.iter().filter(|r| r.evidence == "measured").count(),
        secondary: rows.iter().filter(|r| r.evidence == "secondary").count(),
        assumption: rows.iter().filter(|r| r.evidence == "assumption").count(),
    }
}

pub(super) fn thinness(counts: &[EvidenceCount], total: &EvidenceCount) -> String {
    let empty: Vec<String> = counts
        .iter()
        .filter(|c| c.rows == 0)
        .map(|c| c.label.clone())
        .collect();
    let fewer_than_three = counts.iter().filter(|c| c.rows < 3).count();
    let mut text = format!(
        "The evidence is thin. There are {} evidence rows in all: {} measured in the original \
         source, {} known only from a secondary account and {} assumptions. {} of {} categories \
         have fewer than three rows, too few to fit a trend.",
        total.rows,
        total.measured,
        total.secondary,
        total.assumption,
        number_words(fewer_than_three as u32),
        number_words(counts.len() as u32).to_lowercase(),
    );
    if !empty.is_empty() {
        let _ = write!(
            text,
            " {} {} no evidence row at all; {} estimates are judgement.",
            join_and(&empty),
            if empty.len() == 1 { "has" } else { "have" },
            if empty.len() == 1 { "its" } else { "their" },
        );
    }
    text
}

pub(super) fn fit_text(results: &Results) -> Vec<FitText> {
    results
        .fits
        .categories
        .iter()
        .map(|f| {
            let dash = || "–".to_owned();
            FitText {
                label: category_label(results, &f.category).to_owned(),
                n: f.n,
                slope: f.ols.as_ref().map_or_else(dash, |l| {
                    format!(
                        "{:.2} ({:.2} to {:.2})",
                        l.slope, l.slope_ci90[0], l.slope_ci90[1]
                    )
                }),
                growth: f
                    .ols
                    .as_ref()
                    .map_or_else(dash, |l| format!("{} per year", mult(l.growth_per_year))),
                r2: f.ols.as_ref().map_or_else(dash, |l| format!("{:.2}", l.r2)),
                diagnostics: f.diagnostics.join(" "),
            }
        })
        .collect()
}

pub(super) fn composability_sentence(results: &Results) -> String {
    let c = &results.inputs.composability;
    match c.method.as_str() {
        "multiplicative" => {
            "Categories multiply: their log gains add (full composability).".to_owned()
        }
        "max" => "Only the largest category counts: the others add nothing (no composability)."
            .to_owned(),
        "largest-first" => format!(
            "Largest first: the largest category counts in full and every other category adds \
             a share kappa of its log gain, with kappa = {}.",
            c.kappa.as_deref().unwrap_or("(not given)")
        ),
        "pairwise" => format!(
            "Pairwise: each pair of categories has a composability from 0 (only the larger \
             counts) to 1 (the two stack fully), and a set of categories counts with the \
             pairwise capacity of Methods; {} pairs are given.",
            c.pairs.len()
        ),
        other => format!("Method {other}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_become_links() {
        assert!(is_url("https://arxiv.org/abs/2312.07413"));
        assert!(!is_url("Davidson et al. 2023"));
        assert!(!is_url("https://x.org/a b"));
        assert!(!is_url("javascript:alert(1)"));
    }
}
