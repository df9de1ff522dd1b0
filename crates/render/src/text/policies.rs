//! The safety-framework clauses and the answers each needs, in words: the clause table, per
//! scope and scenario the answers about effective-compute steps (in force, and superseded for
//! the history table), what each calendar leg is worth, and the sentences a policy author can
//! quote.

use std::fmt::Write as _;

use overhang_model::results::{ClauseInput, Leg, Results, ScenarioResults, ThresholdResult};
use serde::Serialize;

use super::ScenarioText;
use super::scenario::{months_words, triple};
use crate::format::{capitalise, join_and, months_phrase, mult, pct, threshold_mult};

/// A clause of the registry, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClauseRow {
    /// The framework's name.
    pub framework: String,
    /// The version.
    pub version: String,
    /// The publication date as written.
    pub date: String,
    /// `in force`, or what superseded it.
    pub status: String,
    /// Whether a later version replaced it.
    pub superseded: bool,
    /// `primary` or `secondary`.
    pub grade: String,
    /// The triggers in words (`4x effective compute; 6 months of elicitation`), or that the
    /// text states none.
    pub trigger: String,
    /// The words, verbatim (quoted, with the locator) or paraphrased.
    pub words: String,
    /// Where it was read.
    pub source: String,
}

/// The clauses of the registry, in file order.
pub(crate) fn clause_rows(results: &Results) -> Vec<ClauseRow> {
    let clauses = &results.inputs.clauses;
    clauses
        .iter()
        .map(|c| ClauseRow {
            framework: c.framework.clone(),
            version: c.version.clone(),
            date: c.date.clone(),
            status: if c.superseded_by.is_empty() {
                "in force".to_owned()
            } else {
                format!("superseded by {}", successor(clauses, &c.superseded_by))
            },
            superseded: !c.superseded_by.is_empty(),
            grade: c.grade.clone(),
            trigger: trigger_words(c),
            words: if c.wording == "text" {
                format!("\u{201c}{}\u{201d} ({})", c.words, c.locator)
            } else {
                c.words.clone()
            },
            source: c.source.clone(),
        })
        .collect()
}

/// A successor: the clause's framework version when `to` is a clause id, else as written.
fn successor(clauses: &[ClauseInput], to: &str) -> String {
    clauses.iter().find(|c| c.id == to).map_or_else(
        || to.to_owned(),
        |c| format!("version {} ({})", c.version, c.date),
    )
}

/// A clause's triggers in words.
fn trigger_words(c: &ClauseInput) -> String {
    if c.triggers.is_empty() {
        return "no numeric trigger stated".to_owned();
    }
    c.triggers
        .iter()
        .map(|t| match (t.kind.as_str(), t.multiplier, t.months) {
            ("effective_compute", Some(m), _) => {
                format!(
                    "{} effective compute since the last evaluation",
                    threshold_mult(m)
                )
            }
            ("elicitation_time", _, Some(m)) => {
                format!("{} of accumulated elicitation", months_phrase(m))
            }
            (_, _, Some(m)) => format!("a report every {}", months_phrase(m)),
            _ => t.kind.clone(),
        })
        .collect::<Vec<_>>()
        .join("; or ")
}

/// The answers about one effective-compute step, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnswerRow {
    /// The step.
    pub threshold: String,
    /// The step's multiplier as the headline numbers' ids write it (`4`, `1.5`).
    pub key: String,
    /// The framework version it is quoted from, or the threshold's label.
    pub clause: String,
    /// The policy's interval, or a dash.
    pub interval: String,
    /// The tolerance, or a dash.
    pub tolerance: String,
    /// `P(growth after the evaluation reaches the step within the interval)`, or a dash.
    pub p_within: String,
    /// The longest interval within the tolerance, from growth after the evaluation.
    pub safe_interval: String,
    /// What one interval of growth is worth: median (5th to 95th percentile), or a dash.
    pub interval_worth: String,
    /// `P(the gap at release alone reaches the step)`.
    pub gap: String,
    /// The declared evaluations adequate for the step, or that none is.
    pub adequate: String,
    /// Which leg fires first, or a dash.
    pub first_leg: String,
}

/// What a calendar leg is worth, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CalendarRow {
    /// The framework version.
    pub clause: String,
    /// The clause's id, the leg's kind and its months: `rsp_3-periodic-6m`.
    pub key: String,
    /// The leg: `6 months of elicitation`, `a report every 6 months`.
    pub leg: String,
    /// Median (5th to 95th percentile).
    pub worth: String,
    /// Whether the clause is in force.
    pub current: bool,
    /// The sentence a policy author can quote.
    pub sentence: String,
}

/// The sentence that says what `months` of enhancement after release are worth.
pub(crate) fn worth_sentence(months: u32, q: [f64; 3]) -> String {
    format!(
        "Under these inputs, {} of post-release enhancement are worth a median {} of effective \
         compute (90% interval {} to {}).",
        months_words(months),
        mult(q[1]),
        mult(q[0]),
        mult(q[2])
    )
}

/// Fills the policy fields of a scope x scenario's text.
pub(crate) fn fill(text: &mut ScenarioText, s: &ScenarioResults, results: &Results, horizon: u32) {
    let clauses = &results.inputs.clauses;
    let name = |id: &str| {
        clauses
            .iter()
            .find(|c| c.id == id)
            .map(|c| format!("{} {}", c.framework, c.version))
    };
    let mut sentences = String::new();
    let mut said: Vec<u32> = Vec::new();
    for w in &s.elicitation_time {
        let Some(c) = clauses.iter().find(|c| c.id == w.clause) else {
            continue;
        };
        let q = w.worth.to_array();
        let current = c.superseded_by.is_empty();
        text.calendar_rows.push(CalendarRow {
            clause: format!("{} {}", c.framework, c.version),
            key: format!("{}-{}-{}m", c.id, w.kind, w.months),
            leg: if w.kind == "periodic" {
                format!("a report every {}", months_phrase(w.months))
            } else {
                format!("{} of elicitation", months_phrase(w.months))
            },
            worth: triple(q),
            current,
            sentence: worth_sentence(w.months, q),
        });
        if current && !said.contains(&w.months) {
            said.push(w.months);
            push_sentence(&mut sentences, &worth_sentence(w.months, q));
        }
    }
    for (t, input) in s.thresholds.iter().zip(&results.inputs.thresholds) {
        if t.since_evaluation.is_none() && t.adequacy.is_none() {
            continue;
        }
        let row = answer_row(t, results, horizon, t.clause.as_deref().and_then(name));
        if input.superseded_by.is_empty() {
            push_sentence(&mut sentences, &step_sentence(t, &row, horizon));
            text.policy_rows.push(row);
        } else {
            text.history_rows.push(row);
        }
    }
    text.policy = sentences;
}

fn push_sentence(out: &mut String, sentence: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(sentence);
}

/// The answers about threshold `t`.
fn answer_row(
    t: &ThresholdResult,
    results: &Results,
    horizon: u32,
    clause: Option<String>,
) -> AnswerRow {
    let dash = || "–".to_owned();
    let since = t.since_evaluation;
    AnswerRow {
        threshold: threshold_mult(t.multiplier),
        key: overhang_model::estimate::format_number(t.multiplier),
        clause: clause.unwrap_or_else(|| t.label.clone()),
        interval: since
            .and_then(|a| a.interval_months)
            .map_or_else(dash, months_phrase),
        tolerance: t.tolerance.map_or_else(dash, pct),
        p_within: since
            .and_then(|a| a.p_within_interval)
            .map_or_else(dash, pct),
        safe_interval: since
            .and_then(|a| a.longest_safe_interval_months)
            .map_or_else(dash, |m| safe_months(m, horizon)),
        interval_worth: since
            .and_then(|a| a.interval_worth)
            .map_or_else(dash, |q| triple(q.to_array())),
        gap: t
            .adequacy
            .as_ref()
            .map_or_else(|| pct(t.p_exceeded_at_release), |a| pct(a.p_gap_reaches)),
        adequate: t.adequacy.as_ref().map_or_else(dash, |a| {
            if a.adequate_profiles.is_empty() {
                "no declared evaluation is adequate for this step".to_owned()
            } else {
                join_and(
                    &a.adequate_profiles
                        .iter()
                        .map(|p| profile_label(results, p))
                        .collect::<Vec<_>>(),
                )
            }
        }),
        first_leg: t.first_leg.map_or_else(dash, |l| match l.first {
            Leg::Calendar => format!("calendar ({})", months_phrase(l.calendar_months)),
            Leg::Together => format!("both at {}", months_phrase(l.calendar_months)),
            Leg::EffectiveCompute => format!(
                "the step (month {})",
                l.compute_month.unwrap_or(l.calendar_months)
            ),
        }),
    }
}

/// A longest safe interval in months: the horizon as "or more".
fn safe_months(m: u32, horizon: u32) -> String {
    match m {
        0 => "under 1 month".to_owned(),
        m if m >= horizon => format!("{} or more", months_phrase(m)),
        m => months_phrase(m),
    }
}

/// A declared evaluation's label: the assessment's own, or a profile's.
fn profile_label(results: &Results, id: &str) -> String {
    if id == "evaluation" {
        return "the assessment's evaluation".to_owned();
    }
    results
        .inputs
        .evaluation
        .as_ref()
        .and_then(|e| e.profiles.iter().find(|p| p.id == id))
        .map_or_else(|| id.to_owned(), |p| p.label.clone())
}

/// The sentence about a step in force.
fn step_sentence(t: &ThresholdResult, row: &AnswerRow, horizon: u32) -> String {
    let step = threshold_mult(t.multiplier);
    let mut s = String::new();
    if let Some(a) = t.since_evaluation {
        if let (Some(c), Some(p)) = (a.interval_months, a.p_within_interval) {
            let _ = write!(
                s,
                "{} after an evaluation, growth after it reaches {step} with probability {}",
                capitalise(&months_words(c)),
                pct(p)
            );
        }
        if let (Some(m), Some(tol)) = (a.longest_safe_interval_months, t.tolerance) {
            if s.is_empty() {
                let _ = write!(s, "For {step}, the longest interval");
            } else {
                s.push_str("; the longest interval");
            }
            let _ = write!(
                s,
                " that keeps it within the tolerance of {} is {}",
                pct(tol),
                safe_months(m, horizon)
            );
        }
        if !s.is_empty() {
            s.push_str(". ");
        }
    }
    if let Some(a) = &t.adequacy {
        let _ = write!(
            s,
            "The gap at release alone reaches {step} with probability {}: {}.",
            pct(a.p_gap_reaches),
            if a.adequate_profiles.is_empty() {
                "no declared evaluation is adequate for this step".to_owned()
            } else {
                format!("adequate: {}", row.adequate)
            }
        );
    }
    s.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worth_sentence_is_quotable() {
        assert_eq!(
            worth_sentence(6, [1.1, 1.5, 2.3]),
            "Under these inputs, six months of post-release enhancement are worth a median \
             1.5x of effective compute (90% interval 1.1x to 2.3x)."
        );
    }

    #[test]
    fn a_safe_interval_of_the_horizon_is_open_ended() {
        assert_eq!(safe_months(60, 60), "60 months or more");
        assert_eq!(safe_months(50, 60), "50 months");
    }
}
