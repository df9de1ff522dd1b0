//! The evidence: its table and counts (bounds as `>= 14x`, derived CEGs as derived), how thin
//! it is, the derivations, the trend fits (the censored line, the frontier) and the
//! composability assumption in words.

use std::fmt::Write as _;

use overhang_model::results::{CategoryFit, EvidenceInput, FitNote, Results, ScopeFits};
use overhang_model::{Censoring, DerivedCeg};

use super::fits::note_sentence;
use serde::Serialize;

use super::{DerivationText, EvidenceCount, FitText, ScopeFitText};
use crate::format::{bounded_mult, capitalise, compute, join_and, mult, number_words};

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

/// False for a row whose CEG carries no information (a lower bound of 1 or less): it stays in
/// the evidence table but out of the counts.
pub(super) fn informative(e: &EvidenceInput) -> bool {
    !(e.censoring == Censoring::Lower && e.ceg_central <= 1.0)
}

/// What an evidence row measures and which rows it goes with, in words for the evidence table.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct EvidenceMeasures {
    /// The row's study when other rows share it (empty for a study of its own).
    pub study: String,
    /// What the enhancement was measured on top of, in words; empty when the input does not
    /// say.
    pub estimand: String,
    /// The labels of the other categories the enhancement contains, joined; empty for none.
    pub mix: String,
    /// `preference` for a preference row (never in a capability fit); empty for capability.
    pub metric: String,
}

/// The words of `e`'s study, estimand, mix and metric.
pub(super) fn measures(results: &Results, e: &EvidenceInput) -> EvidenceMeasures {
    let study = e.study.as_deref().unwrap_or(&e.id);
    let shared = results
        .inputs
        .evidence
        .iter()
        .any(|o| o.id != e.id && o.study.as_deref() == Some(study));
    EvidenceMeasures {
        study: if shared {
            study.to_owned()
        } else {
            String::new()
        },
        estimand: match e.estimand.as_deref() {
            Some("base") => "a pre-trained base model",
            Some("post_trained") => "an already post-trained model",
            Some("versus_pte") => "another enhancement (one post-training against another)",
            _ => "",
        }
        .to_owned(),
        mix: e
            .mix
            .iter()
            .map(|c| category_label(results, c))
            .collect::<Vec<_>>()
            .join(", "),
        metric: if e.metric == "capability" {
            String::new()
        } else {
            e.metric.clone()
        },
    }
}

pub(super) fn count(label: String, rows: &[&EvidenceInput]) -> EvidenceCount {
    EvidenceCount {
        label,
        rows: rows.len(),
        primary: rows.iter().filter(|r| r.evidence == "primary").count(),
        measured: rows.iter().filter(|r| r.evidence == "measured").count(),
        secondary: rows.iter().filter(|r| r.evidence == "secondary").count(),
        assumption: rows.iter().filter(|r| r.evidence == "assumption").count(),
    }
}

/// How thin the evidence is, in words: the rows by grade, the categories with too few rows
/// for a trend, and (of `fits`, one per category) how many fits cannot carry a growth claim.
pub(super) fn thinness(
    counts: &[EvidenceCount],
    total: &EvidenceCount,
    fits: &[CategoryFit],
) -> String {
    let empty: Vec<String> = counts
        .iter()
        .filter(|c| c.rows == 0)
        .map(|c| c.label.clone())
        .collect();
    let fewer_than_three = counts.iter().filter(|c| c.rows < 3).count();
    let mut text = format!(
        "The evidence is thin. There are {} evidence rows in all: {} read in the original \
         source, {} computed on a fitted scaling curve from scores read in their sources, {} \
         known only from a secondary account and {} assumptions. ",
        total.rows, total.primary, total.measured, total.secondary, total.assumption,
    );
    if fewer_than_three == 0 {
        text.push_str("Every category has at least three rows.");
    } else {
        let _ = write!(
            text,
            "{} of {} categories have fewer than three rows, too few to fit a trend.",
            number_words(fewer_than_three as u32),
            number_words(counts.len() as u32).to_lowercase(),
        );
    }
    let unsupported = fits.iter().filter(|f| !f.limits.is_empty()).count();
    let why = "(no line, a slope whose 90% interval includes zero, rows from different \
               benchmarks, or rows from one model family); the trend fits say why for each.";
    if unsupported > 0 && unsupported == fits.len() {
        let _ = write!(
            text,
            " None of the {} trend fits can support a claim about growth {why}",
            number_words(fits.len() as u32).to_lowercase(),
        );
    } else if unsupported > 0 {
        let _ = write!(
            text,
            " {} of {} trend fits cannot support a claim about growth {why}",
            capitalise(&number_words(unsupported as u32)),
            number_words(fits.len() as u32).to_lowercase(),
        );
    }
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
        .map(|f| one_fit(results, f))
        .collect()
}

/// The label of a scope by its id in `results`.
pub(super) fn scope_label<'a>(results: &'a Results, id: &'a str) -> &'a str {
    results
        .inputs
        .scopes
        .iter()
        .find(|s| s.id == id)
        .map_or(id, |s| s.label.as_str())
}

/// The trend fits of every declared scope, kept short: a sentence counting its rows, the
/// categories that have rows in it, and the notes about the scope as a whole.
pub(super) fn scope_fit_text(results: &Results) -> Vec<ScopeFitText> {
    results
        .fits
        .scopes
        .iter()
        .map(|sf| one_scope(results, sf))
        .collect()
}

fn one_scope(results: &Results, sf: &ScopeFits) -> ScopeFitText {
    let label = scope_label(results, &sf.scope).to_owned();
    let with_rows: Vec<&CategoryFit> = sf.categories.iter().filter(|c| c.n > 0).collect();
    let fitted = with_rows
        .iter()
        .filter(|c| c.growth_line().is_some())
        .count();
    let summary = if sf.rows == 0 {
        "No evidence row names this scope, so it has no trend fit of its own.".to_owned()
    } else {
        let per: Vec<String> = with_rows
            .iter()
            .map(|c| format!("{} {}", category_label(results, &c.category), c.n))
            .collect();
        let rows = if sf.rows == 1 {
            "One evidence row names this scope".to_owned()
        } else {
            format!(
                "{} evidence rows name this scope",
                capitalise(&number_words(sf.rows as u32))
            )
        };
        let verdict = match fitted {
            0 => "too few in every category for a trend fit (at least 3 rows on at least 2 \
                  dates)"
                .to_owned(),
            k if k == with_rows.len() => "each of these categories has a fit".to_owned(),
            k => format!(
                "{} of these categories {} a fit",
                number_words(k as u32).to_lowercase(),
                if k == 1 { "has" } else { "have" }
            ),
        };
        format!(
            "{rows} ({}): {verdict}. {} the average task's fits too.",
            join_and(&per),
            if sf.rows == 1 {
                "It enters"
            } else {
                "They enter"
            }
        )
    };
    ScopeFitText {
        label,
        summary,
        fits: with_rows.iter().map(|f| one_fit(results, f)).collect(),
        pooled: sf.pooled.as_ref().map(|p| {
            format!(
                "Pooled over the scope's categories ({} rows): {:.2} OOM per year (90% interval \
                 {:.2} to {:.2}).",
                p.n, p.slope, p.slope_ci90[0], p.slope_ci90[1]
            )
        }),
        notes: sf
            .diagnostics
            .iter()
            .filter(|n| {
                n.category().is_none()
                    || matches!(
                        n,
                        FitNote::PooledGrowth { .. } | FitNote::NoGrowthSlope { .. }
                    )
            })
            // A scope's section stays short: no word on the pooled fit it lacks.
            .filter(|n| !matches!(n, FitNote::NoPooledFit { .. } | FitNote::NoPooledSpread))
            .map(|n| note_sentence(results, n))
            .collect(),
    }
}

fn one_fit(results: &Results, f: &CategoryFit) -> FitText {
    let dash = || "–".to_owned();
    let line = f.growth_line();
    FitText {
        label: category_label(results, &f.category).to_owned(),
        rows: match f.bounds {
            0 => f.n.to_string(),
            1 => format!("{} (1 bound)", f.n),
            b => format!("{} ({b} bounds)", f.n),
        },
        slope: line.map_or_else(dash, |l| {
            format!(
                "{:.2} ({:.2} to {:.2}){}",
                l.slope,
                l.slope_ci90[0],
                l.slope_ci90[1],
                if l.censored { ", censored" } else { "" }
            )
        }),
        growth: line.map_or_else(dash, |l| {
            format!("{} per year", mult(libm::pow(10.0, l.slope)))
        }),
        frontier: f.frontier_fit.as_ref().map_or_else(dash, |l| {
            format!(
                "{:.2} ({:.2} to {:.2})",
                l.slope, l.slope_ci90[0], l.slope_ci90[1]
            )
        }),
        diagnostics: f
            .diagnostics
            .iter()
            .map(|n| note_sentence(results, n))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// A derived CEG as the report writes it: `31.6x`, `>= 100x`.
pub(crate) fn derived_ceg(d: &DerivedCeg) -> String {
    bounded_mult(d.ceg, d.censoring)
}

/// The CEG cell of the evidence table: a derived row's CEG as derived, a bound as `>= 14x`,
/// an estimate as written.
pub(super) fn ceg_cell(e: &EvidenceInput, derivation: Option<&DerivedCeg>) -> String {
    match (derivation, e.censoring) {
        (Some(d), _) => derived_ceg(d),
        (None, Censoring::None) => e.ceg.clone(),
        (None, c) => bounded_mult(e.ceg_central, c),
    }
}

/// Every derivation of the results, in evidence order, for the appendix "Derived CEGs".
pub(super) fn derivations(results: &Results) -> Vec<DerivationText> {
    results
        .evidence
        .iter()
        .filter_map(|e| e.derivation.as_ref().map(|d| (e, d)))
        .map(|(e, d)| DerivationText {
            id: e.id.clone(),
            model: d.model.clone(),
            benchmark: d.benchmark.clone(),
            own_compute: compute(d.own_compute),
            scores: format!("{:.1} → {:.1}", d.own_score, d.enhanced_score),
            equivalent_compute: compute(d.equivalent_compute),
            ceg: derived_ceg(d),
            logistic: d
                .logistic
                .and_then(|l| l.ceg.map(|c| (c, l.extrapolated)))
                .map_or_else(
                    || "–".to_owned(),
                    |(c, extrapolated)| {
                        if extrapolated {
                            format!("{} (extrapolated)", mult(c))
                        } else {
                            mult(c)
                        }
                    },
                ),
        })
        .collect()
}

/// Whether composability was learned from the measured combinations, and from how many rows,
/// as a sentence for Methods.
pub(super) fn learning_sentence(results: &Results) -> String {
    let c = &results.composability;
    let rows = |n: usize| {
        format!(
            "{} combination row{}",
            number_words(n as u32).to_lowercase(),
            if n == 1 { "" } else { "s" }
        )
    };
    if !results.inputs.composability.learn {
        return format!(
            "Composability is not learned from measured combinations (learn = false): the \
             simulation draws it from the estimates as written{}.",
            if c.combinations.is_empty() {
                String::new()
            } else {
                format!(", though the evidence has {}", rows(c.combinations.len()))
            }
        );
    }
    if let Some(from) = &c.learned_from {
        return format!(
            "Kappa is learned from {} (the section on how enhancements combine): the \
             assessment's estimate is the prior, and the simulation draws kappa from the \
             posterior.",
            rows(from.len())
        );
    }
    if !c.pairs.is_empty() {
        let mut ids: Vec<&str> = c
            .pairs
            .iter()
            .flat_map(|p| p.rows.iter().map(String::as_str))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        return format!(
            "The composability of {} of categories is learned from {} of two components (the \
             section on how enhancements combine): each pair's estimate is its prior, the \
             simulation draws it from the posterior, and the other pairs keep their estimates.",
            if c.pairs.len() == 1 {
                "one pair".to_owned()
            } else {
                format!(
                    "{} pairs",
                    number_words(c.pairs.len() as u32).to_lowercase()
                )
            },
            rows(ids.len())
        );
    }
    "Composability is to be learned from measured combinations (learn = true), but no \
     combination row informs it, so the simulation draws it from the estimates as written."
        .to_owned()
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

    fn row(ceg: &str, central: f64, censoring: Censoring) -> EvidenceInput {
        EvidenceInput {
            id: "r".to_owned(),
            name: "r".to_owned(),
            category: "c".to_owned(),
            benchmark: String::new(),
            ceg: ceg.to_owned(),
            ceg_central: central,
            ceg_interval: None,
            censoring,
            derived: false,
            date: "2024-01".to_owned(),
            year: 2024.04,
            source: String::new(),
            evidence: "measured".to_owned(),
            notes: String::new(),
            inference_cost: None,
            study: None,
            estimand: None,
            mix: Vec::new(),
            metric: "capability".to_owned(),
            scope: "average".to_owned(),
        }
    }

    #[test]
    fn bounds_read_as_bounds_and_estimates_as_written() {
        assert_eq!(
            ceg_cell(&row(">= 14", 14.0, Censoring::Lower), None),
            ">= 14x"
        );
        assert_eq!(
            ceg_cell(&row("<= 0.8", 0.8, Censoring::Upper), None),
            "<= 0.80x"
        );
        assert_eq!(
            ceg_cell(&row("5 to 30", 12.2, Censoring::None), None),
            "5 to 30"
        );
    }

    fn fixture() -> Results {
        serde_json::from_str(include_str!("../../tests/fixtures/results.json")).unwrap()
    }

    #[test]
    fn methods_say_whether_composability_was_learned_and_from_how_many_rows() {
        let mut r = fixture();
        assert_eq!(
            learning_sentence(&r),
            "Kappa is learned from one combination row (the section on how enhancements \
             combine): the assessment's estimate is the prior, and the simulation draws kappa \
             from the posterior."
        );
        r.composability.learned_from = None;
        r.composability.pairs = vec![overhang_model::PairPosterior {
            a: "tool_use".to_owned(),
            b: "solution_choice".to_owned(),
            rows: vec!["x".to_owned(), "y".to_owned()],
            prior: r.composability.prior.unwrap(),
            posterior: r.composability.posterior.unwrap(),
        }];
        assert!(
            learning_sentence(&r).starts_with(
                "The composability of one pair of categories is learned from two combination \
                 rows of two components"
            ),
            "{}",
            learning_sentence(&r)
        );
        r.inputs.composability.learn = false;
        assert_eq!(
            learning_sentence(&r),
            "Composability is not learned from measured combinations (learn = false): the \
             simulation draws it from the estimates as written, though the evidence has one \
             combination row."
        );
    }

    #[test]
    fn a_lower_bound_of_one_is_left_out_of_the_counts() {
        assert!(!informative(&row(">= 1", 1.0, Censoring::Lower)));
        assert!(informative(&row(">= 1.5", 1.5, Censoring::Lower)));
        assert!(informative(&row("<= 1", 1.0, Censoring::Upper)));
        assert!(informative(&row("0.8", 0.8, Censoring::None)));
    }

    #[test]
    fn the_table_says_what_a_row_measures_and_names_a_shared_study() {
        let mut results = fixture();
        let ids: Vec<String> = results
            .inputs
            .evidence
            .iter()
            .map(|e| e.id.clone())
            .collect();
        for e in &mut results.inputs.evidence {
            e.study = Some(if e.id == ids[0] || e.id == ids[1] {
                "shared".to_owned()
            } else {
                e.id.clone()
            });
        }
        let first = &mut results.inputs.evidence[0];
        first.estimand = Some("post_trained".to_owned());
        first.mix = vec![first.category.clone()];
        first.metric = "preference".to_owned();
        let category = first.category.clone();
        let m = measures(&results, &results.inputs.evidence[0]);
        assert_eq!(m.study, "shared");
        assert_eq!(m.estimand, "an already post-trained model");
        assert_eq!(m.mix, category_label(&results, &category));
        assert_eq!(m.metric, "preference");
        let alone = measures(&results, &results.inputs.evidence[2]);
        assert_eq!(alone.study, "", "a study of one row is not named");
        assert_eq!(alone.estimand, "");
        assert_eq!(alone.metric, "");
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert!(is_url("https://arxiv.org/abs/2312.07413"));
        assert!(!is_url("Davidson et al. 2023"));
        assert!(!is_url("https://x.org/a b"));
        assert!(!is_url("javascript:alert(1)"));
    }
}
