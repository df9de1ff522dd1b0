//! The brief: what a policy author reads in two pages. One table with a row per scope and
//! scenario (the gap at release, growth after release, the steps of clauses in force, the
//! headline at fixed kappa and under each evaluation profile), one sentence per clause in
//! force, and the conditions every number carries. The PDF and summary.md print the same text.

use overhang_model::Results;
use overhang_model::results::{ClauseInput, ScenarioResults};
use serde::Serialize;

use super::scenario::months_words;
use crate::format::{join_and, kappa, months_phrase, mult, pct, threshold_mult};

/// The kappa values the brief's table gives the headline at: three of the conditional
/// headlines' values, from mostly redundant to mostly additive.
const BRIEF_KAPPAS: [f64; 3] = [0.2, 0.45, 0.7];

/// The brief's text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BriefText {
    /// The months of the headline columns (12 when the grid has them).
    pub months: u32,
    /// The header cells of the table.
    pub columns: Vec<String>,
    /// A stable key per column, for the HTML report's anchors (`gap`, `growth-6m`,
    /// `p-4x-release`, `profile-<id>`; the first column's is `scenario`).
    pub column_keys: Vec<String>,
    /// One row per scope x scenario, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// What the table's columns hold, as a caption.
    pub caption: String,
    /// One sentence per clause in force, in registry order.
    pub clauses: Vec<ClauseSentence>,
    /// What not to quote: the conditions every number carries, one line each.
    pub conditions: Vec<String>,
}

/// What one clause in force needs, as a sentence.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClauseSentence {
    /// The clause's id in policies.toml, or `without-step` for the sentence naming the clauses
    /// that state no numeric step.
    pub key: String,
    /// The sentence.
    pub text: String,
}

/// `median (p5 to p95)`.
fn triple(p5: f64, p50: f64, p95: f64) -> String {
    format!("{} ({} to {})", mult(p50), mult(p5), mult(p95))
}

/// The steps of clauses in force: indices into the assessment's thresholds.
fn current_steps(results: &Results) -> Vec<usize> {
    results
        .inputs
        .thresholds
        .iter()
        .enumerate()
        .filter(|(_, t)| t.superseded_by.is_empty())
        .map(|(k, _)| k)
        .collect()
}

fn growth_cell(s: &ScenarioResults, months: u32) -> String {
    s.growth_after_release
        .iter()
        .find(|g| g.months == months)
        .map_or_else(|| "–".to_owned(), |g| triple(g.p5, g.p50, g.p95))
}

fn kappa_cell(s: &ScenarioResults, months: u32) -> String {
    let held: Vec<String> = BRIEF_KAPPAS
        .iter()
        .filter_map(|&k| {
            let c = s.conditional.iter().find(|c| (c.value - k).abs() < 1e-9)?;
            let step = c.steps.iter().find(|x| x.months == months)?;
            Some(mult(step.p50))
        })
        .collect();
    if held.len() == BRIEF_KAPPAS.len() {
        held.join(" · ")
    } else {
        "–".to_owned()
    }
}

/// The table's columns, their keys and the rows.
fn table(results: &Results, months: u32) -> (Vec<String>, Vec<String>, Vec<Vec<String>>) {
    let steps = current_steps(results);
    let profiles: Vec<(String, String)> = results
        .inputs
        .evaluation
        .as_ref()
        .map(|e| {
            e.profiles
                .iter()
                .map(|p| (p.id.clone(), p.label.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut columns = vec![
        "Scope, scenario".to_owned(),
        "Gap at release".to_owned(),
        "Growth, 6 months".to_owned(),
        format!("Growth, {}", months_phrase(months)),
    ];
    let mut keys: Vec<String> = ["scenario", "gap", "growth-6m"]
        .map(str::to_owned)
        .into_iter()
        .chain([format!("growth-{months}m")])
        .collect();
    for &k in &steps {
        let multiplier = results.inputs.thresholds[k].multiplier;
        let key = overhang_model::estimate::format_number(multiplier);
        keys.push(format!("p-{key}x-release"));
        keys.push(format!("p-{key}x-interval"));
        let step = threshold_mult(multiplier);
        columns.push(format!("P(≥ {step}) at release"));
        columns.push(format!("P(≥ {step}) from growth alone, one interval"));
    }
    columns.push(format!(
        "At {}, kappa {}",
        months_phrase(months),
        BRIEF_KAPPAS
            .iter()
            .map(|&k| kappa(k))
            .collect::<Vec<_>>()
            .join(" · ")
    ));
    columns.push(format!("At {}, blended over kappa", months_phrase(months)));
    keys.push("kappa-fixed".to_owned());
    keys.push(format!("uplift-{months}m"));
    for (id, label) in &profiles {
        keys.push(format!("profile-{id}"));
        columns.push(format!(
            "At {}, over {}",
            months_phrase(months),
            lower_first(label)
        ));
    }
    let rows = results
        .scenarios
        .iter()
        .map(|s| {
            let release = s.projection.first();
            let mut row = vec![
                s.label.clone(),
                release.map_or_else(|| "–".to_owned(), |p| triple(p.p5, p.p50, p.p95)),
                growth_cell(s, 6),
                growth_cell(s, months),
            ];
            for &k in &steps {
                let t = s.thresholds.get(k);
                row.push(t.map_or_else(|| "–".to_owned(), |t| pct(t.p_exceeded_at_release)));
                row.push(
                    t.and_then(|t| t.since_evaluation.as_ref())
                        .and_then(|a| a.p_within_interval)
                        .map_or_else(|| "–".to_owned(), pct),
                );
            }
            row.push(kappa_cell(s, months));
            row.push(
                s.projection
                    .iter()
                    .find(|p| p.months == months)
                    .map_or_else(|| "–".to_owned(), |p| triple(p.p5, p.p50, p.p95)),
            );
            for (id, _) in &profiles {
                let cell = s
                    .profiles
                    .iter()
                    .find(|p| &p.profile == id)
                    .and_then(|p| p.projection.iter().find(|x| x.months == months))
                    .map_or_else(|| "–".to_owned(), |p| mult(p.p50));
                row.push(cell);
            }
            row
        })
        .collect();
    (columns, keys, rows)
}

/// `s` with its first letter lowered, unless its first word is an acronym (`API`).
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    let acronym = s.chars().nth(1).is_some_and(char::is_uppercase);
    match c.next() {
        Some(f) if !acronym => f.to_lowercase().collect::<String>() + c.as_str(),
        _ => s.to_owned(),
    }
}

/// The clause's name, date and how it was read: `Anthropic Responsible Scaling Policy 3.0
/// (2026-02-24, read only in an account of it)`.
fn clause_name(c: &ClauseInput) -> String {
    let read = if c.grade == "primary" {
        "read in its own text"
    } else {
        "read only in an account of it"
    };
    format!("{} {} ({}, {read})", c.framework, c.version, c.date)
}

/// What `months` of enhancement after the evaluation are worth, per scenario of the average
/// task: `a median 3.8x for open weights (90% interval 1.5x to 17x), ...`.
fn worth_by_scenario(results: &Results, clause: &str, months: u32) -> Option<String> {
    let parts: Vec<String> = results
        .scenarios
        .iter()
        .filter(|s| s.scope == overhang_model::assessment::AVERAGE_SCOPE)
        .filter_map(|s| {
            let w = s
                .elicitation_time
                .iter()
                .find(|w| w.clause == clause && w.months == months)?;
            Some(format!(
                "{} for {} (90% interval {} to {})",
                mult(w.worth.p50),
                lower_first(&s.scenario_label),
                mult(w.worth.p5),
                mult(w.worth.p95)
            ))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("a median {}", join_and(&parts)))
}

/// One sentence per clause in force with a numeric trigger, in registry order, then one for
/// the clauses in force that state none.
fn clause_sentences(results: &Results) -> Vec<ClauseSentence> {
    let mut sentences = Vec::new();
    let mut without = Vec::new();
    for c in results
        .inputs
        .clauses
        .iter()
        .filter(|c| c.superseded_by.is_empty())
    {
        let legs: Vec<String> = c
            .triggers
            .iter()
            .filter_map(|t| leg_sentence(results, c, t))
            .collect();
        if legs.is_empty() {
            without.push(clause_name(c));
        } else {
            sentences.push(ClauseSentence {
                key: c.id.clone(),
                text: format!("{}: {}.", clause_name(c), legs.join("; ")),
            });
        }
    }
    let text = match without.len() {
        0 => None,
        1 => Some(format!(
            "{} states no numeric re-evaluation step; the growth columns above give what each \
             period after release adds.",
            without[0]
        )),
        _ => Some(format!(
            "{} state no numeric re-evaluation step; the growth columns above give what each \
             period after release adds.",
            join_and(&without)
        )),
    };
    if let Some(text) = text {
        sentences.push(ClauseSentence {
            key: "without-step".to_owned(),
            text,
        });
    }
    sentences
}

/// What one trigger of a clause in force needs, as a clause of a sentence.
fn leg_sentence(
    results: &Results,
    c: &ClauseInput,
    t: &overhang_model::results::TriggerInput,
) -> Option<String> {
    match (t.kind.as_str(), t.months, t.multiplier) {
        ("periodic" | "elicitation_time", Some(m), _) => {
            let what = if t.kind == "periodic" {
                format!("a report or reassessment every {}", months_phrase(m))
            } else {
                format!("{} of accumulated elicitation", months_phrase(m))
            };
            Some(worth_by_scenario(results, &c.id, m).map_or_else(
                || format!("{what}, beyond the horizon: not computed"),
                |w| {
                    format!(
                        "{what}; {} of post-release enhancement are worth {w} in effective \
                         compute",
                        months_words(m)
                    )
                },
            ))
        }
        ("effective_compute", _, Some(m)) => {
            let step = threshold_mult(m);
            let answer = results
                .inputs
                .thresholds
                .iter()
                .position(|t| t.clause.as_deref() == Some(c.id.as_str()))
                .and_then(|k| step_answer(results, k));
            Some(answer.map_or_else(
                || format!("a step of {step} since the last evaluation"),
                |a| format!("a step of {step} since the last evaluation; {a}"),
            ))
        }
        _ => None,
    }
}

/// The since-the-evaluation answer of threshold `k` for the average task's scenarios.
fn step_answer(results: &Results, k: usize) -> Option<String> {
    let parts: Vec<String> = results
        .scenarios
        .iter()
        .filter(|s| s.scope == overhang_model::assessment::AVERAGE_SCOPE)
        .filter_map(|s| {
            let a = s.thresholds.get(k)?.since_evaluation.as_ref()?;
            let months = a.longest_safe_interval_months?;
            Some(format!(
                "{} for {}",
                months_phrase(months),
                lower_first(&s.scenario_label)
            ))
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "the longest interval whose growth stays within the tolerance is {}",
            join_and(&parts)
        )
    })
}

/// The conditions every number carries.
fn conditions(results: &Results) -> Vec<String> {
    let scope = format!(
        "Scope: every row but the named task scopes is for {}.",
        lower_first(results.report.scope.trim_end_matches('.'))
    );
    let kappa_line = match &results.inputs.composability.kappa {
        Some(prior) => format!(
            "Judgement: kappa (how much each category after the largest adds) has prior {prior} \
             by assumption, and no measurement between categories pins it down: quote a median \
             with the kappa it assumes. The categories' estimates are judgements stated with \
             their reasons; the evidence is shown beside them."
        ),
        None => "Judgement: the categories' estimates are judgements stated with their reasons; \
                 the evidence is shown beside them."
            .to_owned(),
    };
    let evaluation = "Evaluation: every uplift is over what the pre-release evaluation the report \
                      describes measured; a stronger evaluation leaves a smaller gap at release, \
                      and a re-evaluation with the same evaluation cannot see that gap."
        .to_owned();
    vec![scope, kappa_line, evaluation]
}

/// The brief of `results`, with the headline columns at `months`.
pub(crate) fn brief_text(results: &Results, months: u32) -> BriefText {
    let (columns, column_keys, rows) = table(results, months);
    let steps = current_steps(results);
    let caption = format!(
        "Medians with 90% intervals, in effective compute over what the evaluation measured. \
         The gap at release is the uplift on release day; growth is what enhancements add after \
         release (what accumulates between two evaluations). {}The fixed-kappa and profile \
         columns are medians at {}; the blend is over kappa's prior.",
        if steps.is_empty() {
            "No clause in force states an effective-compute step, so no step probability is in \
             the table; the steps of superseded clauses are in the history table of the policy \
             answers. "
                .to_owned()
        } else {
            "P columns: the probability of reaching the step at release, and from growth after \
             the evaluation alone within the policy's interval. "
                .to_owned()
        },
        months_phrase(months)
    );
    BriefText {
        months,
        columns,
        column_keys,
        rows,
        caption,
        clauses: clause_sentences(results),
        conditions: conditions(results),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_first_lowers_only_the_first_letter() {
        assert_eq!(lower_first("Open weights"), "open weights");
        assert_eq!(lower_first("API with fine-tuning"), "API with fine-tuning");
    }
}
