//! Per scenario: the headline sentences and rows, the thresholds, the projection table and the
//! sensitivity analysis.

use std::fmt::Write as _;

use overhang_model::results::{
    AnswerSensitivity, PolicyAnswer, ProjectionPoint, Quantiles3, ScenarioResults, Sensitivity,
    SensitivityEntry, ThresholdResult,
};

use super::{
    AnswerRanking, AnswerRow, BufferRow, ContributionRow, HeadlineRow, ProjectionRow,
    SENSITIVITY_ROWS, STEP_SENSITIVITY_ROWS, ScenarioText, SensitivityRow, StepRow, StepSwingRow,
    ThresholdRow, step_index,
};
use crate::format::{
    capitalise, join_and, kappa, months_phrase, mult, number_words, pct, threshold_mult,
};

fn probability_clause(scenario: &ScenarioResults, index: usize) -> String {
    // "the probability of exceeding 2x is 81%, 4x is 45% and 6x is 31%"
    let parts: Vec<String> = scenario
        .thresholds
        .iter()
        .filter_map(|t| {
            t.probability
                .get(index)
                .map(|&p| format!("{} is {}", threshold_mult(t.multiplier), pct(p)))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("; the probability of exceeding {}", join_and(&parts))
    }
}

/// The headline of a scope x scenario at `months`: the uplift, and apart, the gap at release
/// (the uplift on release day) and the growth after release, with the share of draws in which
/// enhancements add nothing; then the probability of exceeding each step. Without `with_gap`
/// (a second headline, after one that gave it), the gap at release is left out.
fn headline_sentence(scenario: &ScenarioResults, months: u32, with_gap: bool) -> String {
    let Some(i) = step_index(&scenario.projection, months) else {
        return "The projection is empty.".to_owned();
    };
    let p = &scenario.projection[i];
    let interval = |p5: f64, p95: f64| format!("90% interval {} to {}", mult(p5), mult(p95));
    let mut out = if p.months == 0 {
        format!(
            "At release, enhancements multiply the effective compute the evaluation measured \
             by a median {} ({}): the gap at release",
            mult(p.p50),
            interval(p.p5, p.p95),
        )
    } else {
        format!(
            "{} after release, enhancements multiply the effective compute the evaluation \
             measured by a median {} ({})",
            capitalise(&months_words(p.months)),
            mult(p.p50),
            interval(p.p5, p.p95),
        )
    };
    let growth = scenario
        .growth_after_release
        .iter()
        .find(|g| g.months == p.months);
    if let (false, Some(g)) = (with_gap, growth) {
        let _ = write!(
            out,
            ", of which growth after release adds a median {} ({})",
            mult(g.p50),
            interval(g.p5, g.p95),
        );
    } else if let (Some(release), Some(g)) = (scenario.projection.first(), growth) {
        let _ = write!(
            out,
            ". Of this, the gap at release, already there on release day, is a median {} ({}), \
             and growth after release adds a median {} ({}); medians do not multiply exactly",
            mult(release.p50),
            interval(release.p5, release.p95),
            mult(g.p50),
            interval(g.p5, g.p95),
        );
    }
    if p.p_no_uplift > 0.0 {
        let _ = write!(
            out,
            ". In {} of draws enhancements add nothing over the evaluation (exactly 1x): in \
             those draws no category's gap at release or growth since adds to the total",
            pct(p.p_no_uplift)
        );
    } else if with_gap {
        out.push_str(
            ". Enhancements add something over the evaluation in every draw: in none is every \
             category's gap at release and growth since at 0",
        );
    }
    let clause = probability_clause(scenario, i);
    if let Some(rest) = clause.strip_prefix("; the probability") {
        let _ = write!(out, "; the probability{rest}");
    }
    out.push('.');
    out
}

/// The headline at fixed values of kappa, leading: the median at the first step of the
/// conditional headlines (12 months) with kappa held at each value, then the blend over kappa's
/// `prior` and, with one, under the alternative prior. Empty without conditional headlines.
pub(crate) fn kappa_lead(scenario: &ScenarioResults, prior: Option<&str>) -> String {
    let Some(months) = scenario
        .conditional
        .first()
        .and_then(|c| c.steps.first())
        .map(|s| s.months)
    else {
        return String::new();
    };
    let held: Vec<String> = scenario
        .conditional
        .iter()
        .filter_map(|c| {
            let step = c.steps.first()?;
            Some(format!("{} at kappa {}", mult(step.p50), kappa(c.value)))
        })
        .collect();
    let mut out = format!(
        "Kappa, how much each category after the largest adds, is a judgement no measurement \
         between categories pins down, so the uplift is given first at fixed kappa: {} after \
         release, enhancements are worth a median {}.",
        months_words(months),
        join_and(&held)
    );
    let blend = scenario
        .projection
        .iter()
        .find(|p| p.months == months)
        .map(|p| p.p50);
    if let (Some(blend), Some(prior)) = (blend, prior) {
        let _ = write!(
            out,
            " Blended over kappa's prior, {prior}, it is a median {}",
            mult(blend)
        );
        let alternative = scenario.kappa_alternative.as_ref().and_then(|a| {
            let p = a.projection.iter().find(|p| p.months == months)?;
            Some((a.kappa.as_str(), p.p50))
        });
        if let Some((kappa, p50)) = alternative {
            let _ = write!(out, "; under the alternative prior {kappa}, {}", mult(p50));
        }
        out.push('.');
    }
    out
}

fn headline_row(p: &ProjectionPoint) -> HeadlineRow {
    HeadlineRow {
        months: p.months,
        median: mult(p.p50),
        interval90: format!("{} to {}", mult(p.p5), mult(p.p95)),
        interval50: format!("{} to {}", mult(p.p25), mult(p.p75)),
    }
}

/// The median first crossing in words. Each draw's first crossing is found on the projection's
/// grid and placed within the step where it happened by interpolating the log uplift linearly,
/// so between steps more than a month apart the phrase names the two steps.
fn crossing_phrase(t: &ThresholdResult, grid: &[u32], horizon: u32) -> String {
    let m = match t.crossing_months.p50 {
        Some(m) if m <= 0.0 => return "at release".to_owned(),
        Some(m) => m,
        None => return format!("not within {}", months_phrase(horizon)),
    };
    let whole = libm::round(m);
    let when = if whole < 1.0 {
        "within a month".to_owned()
    } else {
        format!("month {whole}")
    };
    let before = grid.iter().rev().find(|&&g| f64::from(g) <= m);
    let after = grid.iter().find(|&&g| f64::from(g) >= m);
    match (before, after) {
        (Some(&a), Some(&b)) if b > a + 1 => {
            format!("{when} (interpolated between months {a} and {b})")
        }
        _ => when,
    }
}

fn threshold_rows(scenario: &ScenarioResults, early: usize, horizon: u32) -> Vec<ThresholdRow> {
    let grid: Vec<u32> = scenario.projection.iter().map(|p| p.months).collect();
    scenario
        .thresholds
        .iter()
        .map(|t| ThresholdRow {
            label: t.label.clone(),
            multiplier: threshold_mult(t.multiplier),
            p_early: t
                .probability
                .get(early)
                .map_or_else(String::new, |&p| pct(p)),
            p_horizon: t.probability.last().map_or_else(String::new, |&p| pct(p)),
            median_crossing: crossing_phrase(t, &grid, horizon),
            p_no_crossing: pct(t.p_no_crossing),
        })
        .collect()
}

fn projection_rows(projection: &[ProjectionPoint]) -> Vec<ProjectionRow> {
    // Every 12 months when the grid has them (plus the horizon), else every step.
    let last = projection.last().map(|p| p.months);
    let yearly: Vec<&ProjectionPoint> = projection
        .iter()
        .filter(|p| p.months % 12 == 0 || Some(p.months) == last)
        .collect();
    let rows = if yearly.len() >= 3 {
        yearly
    } else {
        projection.iter().collect()
    };
    rows.into_iter()
        .map(|p| ProjectionRow {
            months: p.months,
            quantiles: [p.p5, p.p25, p.p50, p.p75, p.p95].map(mult),
        })
        .collect()
}

/// The sensitivity at the horizon: the entry with the largest month.
pub(crate) fn horizon_sensitivity(scenario: &ScenarioResults) -> Option<&Sensitivity> {
    scenario.sensitivity.iter().max_by_key(|s| s.months)
}

/// The sensitivity at 12 months (the nearest step the engine found): the entry with the
/// smallest month.
fn early_sensitivity(scenario: &ScenarioResults) -> Option<&Sensitivity> {
    scenario.sensitivity.iter().min_by_key(|s| s.months)
}

/// The entries of `s` in the order `key` ranks them (1 first), ranks of 0 left out.
fn ranked_by(s: &Sensitivity, key: fn(&SensitivityEntry) -> u32) -> Vec<&SensitivityEntry> {
    let mut ranked: Vec<_> = s.inputs.iter().filter(|e| key(e) > 0).collect();
    ranked.sort_by_key(|e| key(e));
    ranked
}

/// The variance ranking at the horizon, and the decision it serves: which estimate an
/// experiment should pin down first; then the leader at 12 months when the horizon is later.
fn sensitivity_sentence(scenario: &ScenarioResults) -> String {
    let Some(s) = horizon_sensitivity(scenario) else {
        return "No sensitivity analysis was run for this scenario.".to_owned();
    };
    match ranked_by(s, |e| e.rank).as_slice() {
        [] => "No input is uncertain in this scenario.".to_owned(),
        [first, rest @ ..] => {
            let mut text = format!(
                "Which estimate an experiment should pin down first is read from the variance of \
                 the log uplift at {}: it is {}, which explains {} of that variance on its own, \
                 and moving it from its 5th to its 95th percentile moves the median from {} to \
                 {}.",
                months_phrase(s.months),
                first.label,
                pct(first.first_order),
                mult(first.median_at_p5),
                mult(first.median_at_p95),
            );
            if let Some(second) = rest.first() {
                let _ = write!(
                    text,
                    " Next comes {} ({} of the variance).",
                    second.label,
                    pct(second.first_order)
                );
            }
            if let Some(early) = early_sensitivity(scenario).filter(|e| e.months < s.months)
                && let Some(lead) = ranked_by(early, |e| e.rank).first()
            {
                let who = if lead.input == first.input {
                    "the same input leads".to_owned()
                } else {
                    format!("{} leads", lead.label)
                };
                let _ = write!(
                    text,
                    " At {}, {who} ({} of the variance).",
                    months_phrase(early.months),
                    pct(lead.first_order)
                );
            }
            text
        }
    }
}

/// The main step's threshold and its index in the scenario's thresholds.
fn main_step<'a>(
    scenario: &'a ScenarioResults,
    s: &Sensitivity,
) -> Option<(usize, &'a ThresholdResult)> {
    let k = s.main_step?;
    Some((k, scenario.thresholds.get(k)?))
}

/// The ranking by the swing in the probability of reaching the main step by 12 months, and
/// the decision it serves: how often to re-evaluate, whether a re-evaluation is due within the
/// year.
fn step_sensitivity_sentence(scenario: &ScenarioResults) -> String {
    let Some(s) = early_sensitivity(scenario) else {
        return String::new();
    };
    let Some((k, t)) = main_step(scenario, s) else {
        return "No re-evaluation step is set, so no input is ranked by the probability of \
                reaching one."
            .to_owned();
    };
    let step = threshold_mult(t.multiplier);
    let at = step_index(&scenario.projection, s.months)
        .and_then(|i| t.probability.get(i))
        .map_or_else(String::new, |&p| format!(", now {}", pct(p)));
    let decision = format!(
        "Whether the total uplift (the gap at release and the growth after it) reaches {step} \
         by {}{at}",
        months_phrase(s.months)
    );
    let ranked = ranked_by(s, |e| e.step_rank);
    let moving: Vec<_> = ranked
        .iter()
        .filter(|e| e.step_swing(k).is_some_and(|w| w > 0.0))
        .collect();
    match moving.as_slice() {
        [] => format!(
            "{decision}: no single input moves that probability from its 5th to its 95th \
             percentile."
        ),
        [first, rest @ ..] => {
            let mut text = format!(
                "{decision}: the input that moves that probability most is {}, from {} with the \
                 input at its 5th percentile to {} at its 95th.",
                first.label,
                pct(first.p_step_at_p5[k]),
                pct(first.p_step_at_p95[k]),
            );
            if let Some(second) = rest.first() {
                let _ = write!(
                    text,
                    " Next comes {} ({} to {}).",
                    second.label,
                    pct(second.p_step_at_p5[k]),
                    pct(second.p_step_at_p95[k]),
                );
            }
            text
        }
    }
}

/// One line for summary.md: the leader of each ranking, with the decision it serves.
fn sensitivity_brief(scenario: &ScenarioResults) -> String {
    let mut parts = Vec::new();
    if let Some(s) = horizon_sensitivity(scenario)
        && let Some(first) = ranked_by(s, |e| e.rank).first()
    {
        parts.push(format!(
            "which estimate to pin down first (variance of the log uplift at {}): {} ({})",
            months_phrase(s.months),
            first.label,
            pct(first.first_order)
        ));
    }
    for a in &scenario.answer_sensitivity {
        if let Some(first) = a.inputs.first().filter(|e| e.first_order > 0.0) {
            parts.push(format!(
                "{}: {} ({})",
                answer_decision(a),
                first.label,
                pct(first.first_order)
            ));
        }
    }
    if parts.is_empty() {
        return "No input is ranked.".to_owned();
    }
    let mut text = capitalise(&parts.join("; "));
    text.push('.');
    text
}

/// The decision a policy answer's ranking serves and the quantity it explains, as a phrase.
fn answer_decision(a: &AnswerSensitivity) -> String {
    match a.answer {
        PolicyAnswer::SinceEvaluation => format!(
            "how often to re-evaluate (growth over {} since the last evaluation)",
            months_phrase(a.months)
        ),
        PolicyAnswer::Adequacy => {
            "whether the evaluation is adequate (the gap at release)".to_owned()
        }
    }
}

/// The rankings for the policy answers: a sentence naming the decision and the leaders, and
/// the leading rows.
fn answer_rankings(scenario: &ScenarioResults) -> Vec<AnswerRanking> {
    scenario
        .answer_sensitivity
        .iter()
        .map(|a| {
            let step = scenario
                .thresholds
                .get(a.threshold)
                .map_or_else(String::new, |t| threshold_mult(t.multiplier));
            let ranked: Vec<_> = a.inputs.iter().filter(|e| e.first_order > 0.0).collect();
            let what = match a.answer {
                PolicyAnswer::SinceEvaluation => format!(
                    "Growth over {} since the last evaluation (how often to re-evaluate for {step})",
                    months_phrase(a.months)
                ),
                PolicyAnswer::Adequacy => {
                    format!("The gap at release (whether the evaluation is adequate for {step})")
                }
            };
            let sentence = match ranked.as_slice() {
                [] => format!("{what}: no uncertain input explains any of it."),
                [first] => format!(
                    "{what}: {} explains {} of its variance.",
                    first.label,
                    pct(first.first_order)
                ),
                [first, second, ..] => format!(
                    "{what}: {} explains {} of its variance, {} {}.",
                    first.label,
                    pct(first.first_order),
                    second.label,
                    pct(second.first_order)
                ),
            };
            AnswerRanking {
                sentence,
                header: match a.answer {
                    PolicyAnswer::SinceEvaluation => format!(
                        "Share of the variance of the growth over {}",
                        months_phrase(a.months)
                    ),
                    PolicyAnswer::Adequacy => {
                        "Share of the variance of the gap at release".to_owned()
                    }
                },
                rows: ranked
                    .into_iter()
                    .take(STEP_SENSITIVITY_ROWS)
                    .map(|e| AnswerRow {
                        rank: e.rank,
                        label: e.label.clone(),
                        share: pct(e.first_order),
                    })
                    .collect(),
            }
        })
        .collect()
}

fn sensitivity_rows(scenario: &ScenarioResults) -> Vec<SensitivityRow> {
    let Some(s) = horizon_sensitivity(scenario) else {
        return Vec::new();
    };
    let early = early_sensitivity(scenario).filter(|e| e.months < s.months);
    ranked_by(s, |e| e.rank)
        .into_iter()
        .take(SENSITIVITY_ROWS)
        .map(|e| SensitivityRow {
            rank: e.rank,
            label: e.label.clone(),
            share: pct(e.first_order),
            share_early: early
                .and_then(|early| early.inputs.iter().find(|x| x.input == e.input))
                .map_or_else(|| "–".to_owned(), |x| pct(x.first_order)),
            swing: format!("{} to {}", mult(e.median_at_p5), mult(e.median_at_p95)),
        })
        .collect()
}

fn step_sensitivity_rows(scenario: &ScenarioResults) -> Vec<StepSwingRow> {
    let Some(s) = early_sensitivity(scenario) else {
        return Vec::new();
    };
    let Some((k, _)) = main_step(scenario, s) else {
        return Vec::new();
    };
    ranked_by(s, |e| e.step_rank)
        .into_iter()
        .filter(|e| e.step_swing(k).is_some_and(|w| w > 0.0))
        .take(STEP_SENSITIVITY_ROWS)
        .map(|e| StepSwingRow {
            rank: e.step_rank,
            label: e.label.clone(),
            swing: format!("{} to {}", pct(e.p_step_at_p5[k]), pct(e.p_step_at_p95[k])),
        })
        .collect()
}

/// The header of the step table's last column: `P(>= 4x) by 12 months`.
fn step_sensitivity_header(scenario: &ScenarioResults) -> String {
    early_sensitivity(scenario)
        .and_then(|s| {
            let (_, t) = main_step(scenario, s)?;
            Some(format!(
                "P(reaching {}) by {}, input at its 5th / 95th percentile",
                threshold_mult(t.multiplier),
                months_phrase(s.months)
            ))
        })
        .unwrap_or_default()
}

/// "six months", "one month": a duration in words, for the middle of a sentence.
pub(super) fn months_words(m: u32) -> String {
    let unit = if m == 1 { "month" } else { "months" };
    format!("{} {unit}", number_words(m).to_lowercase())
}

/// One row per re-evaluation step: the probability that the gap at release alone has reached
/// it, and that growth after release alone reaches it by 3, 6 and 12 months.
fn step_rows(scenario: &ScenarioResults) -> Vec<StepRow> {
    scenario
        .thresholds
        .iter()
        .map(|t| StepRow {
            step: threshold_mult(t.multiplier),
            at_release: pct(t.p_exceeded_at_release),
            growth_alone: [3, 6, 12].map(|m| {
                t.p_growth_alone_exceeds
                    .get(&m)
                    .map_or_else(|| "–".to_owned(), |&p| pct(p))
            }),
        })
        .collect()
}

/// One row per tolerance of the safety buffers, at release and at 12 months.
fn buffer_rows(scenario: &ScenarioResults) -> Vec<BufferRow> {
    let at = |months: u32, tolerance: f64| {
        scenario
            .safety_buffer
            .iter()
            .find(|b| b.months == months && (b.tolerance - tolerance).abs() < 1e-12)
            .map(|b| b.multiplier)
    };
    let mut tolerances: Vec<f64> = Vec::new();
    for b in &scenario.safety_buffer {
        if !tolerances.iter().any(|&t| (t - b.tolerance).abs() < 1e-12) {
            tolerances.push(b.tolerance);
        }
    }
    tolerances
        .into_iter()
        .map(|tolerance| BufferRow {
            tolerance: pct(tolerance),
            at_release: at(0, tolerance).map_or_else(|| "–".to_owned(), mult),
            at_twelve: at(12, tolerance).map_or_else(|| "–".to_owned(), mult),
        })
        .collect()
}

pub(super) fn triple(q: [f64; 3]) -> String {
    format!("{} ({} to {})", mult(q[1]), mult(q[0]), mult(q[2]))
}

pub(super) fn scenario_text(scenario: &ScenarioResults, early: u32, horizon: u32) -> ScenarioText {
    let early_index = step_index(&scenario.projection, early).unwrap_or(0);
    let mut headline = Vec::new();
    if let Some(p) = scenario.projection.get(early_index) {
        headline.push(headline_row(p));
    }
    if let Some(p) = scenario.projection.last()
        && scenario.projection.len() > early_index + 1
    {
        headline.push(headline_row(p));
    }
    let overrides = super::overrides_in_words(&scenario.overrides, &|id| {
        scenario
            .contributions
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.label.clone())
    });
    ScenarioText {
        overrides,
        id: scenario.id.clone(),
        label: scenario.label.clone(),
        scope: scenario.scope_label.clone(),
        scenario: scenario.scenario_label.clone(),
        policy: String::new(),
        policy_rows: Vec::new(),
        history_rows: Vec::new(),
        calendar_rows: Vec::new(),
        step_rows: step_rows(scenario),
        buffer_rows: buffer_rows(scenario),
        kappa_lead: String::new(),
        headline_early: headline_sentence(scenario, early, true),
        headline_horizon: headline_sentence(scenario, horizon, false),
        headline,
        thresholds: threshold_rows(scenario, early_index, horizon),
        projection: projection_rows(&scenario.projection),
        sensitivity_sentence: sensitivity_sentence(scenario),
        sensitivity: sensitivity_rows(scenario),
        step_sensitivity_sentence: step_sensitivity_sentence(scenario),
        step_sensitivity: step_sensitivity_rows(scenario),
        step_sensitivity_header: step_sensitivity_header(scenario),
        sensitivity_brief: sensitivity_brief(scenario),
        answer_sensitivity: answer_rankings(scenario),
        contributions: scenario
            .contributions
            .iter()
            .map(|c| {
                // A category at exactly 1x throughout adds nothing in this scenario (the API-only
                // scenario's fine-tuning data, say): say so rather than print rows of 1.0x.
                let absent = [c.available, c.elicited, c.at_horizon]
                    .iter()
                    .flat_map(|q| q.to_array())
                    .all(|x| (x - 1.0).abs() < 1e-12);
                let show = |q: Quantiles3| {
                    if absent {
                        "not available in this scenario".to_owned()
                    } else {
                        triple(q.to_array())
                    }
                };
                // A frozen category stays at what the release shipped with: its available
                // level is out of reach, not a level anyone gets.
                let available = if c.frozen && !absent {
                    "frozen at what the release shipped with".to_owned()
                } else {
                    show(c.available)
                };
                ContributionRow {
                    label: c.label.clone(),
                    available,
                    elicited: show(c.elicited),
                    at_horizon: show(c.at_horizon),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use overhang_model::results::Quantiles3;

    use super::*;

    /// A scenario with one 4x threshold whose probability at release is `at_release`, with a
    /// cadence `(months, probability within it)` and a tolerance `(tolerance, safe months)`.
    fn with_policy(
        at_release: f64,
        cadence: Option<(u32, f64)>,
        tolerance: Option<(f64, u32)>,
    ) -> ScenarioResults {
        ScenarioResults {
            id: "open".to_owned(),
            label: "Open".to_owned(),
            thresholds: vec![ThresholdResult {
                label: "4x".to_owned(),
                multiplier: 4.0,
                probability: vec![at_release, 0.5],
                p_no_crossing: 0.5,
                p_exceeded_at_release: at_release,
                cadence_months: cadence.map(|c| c.0),
                tolerance: tolerance.map(|t| t.0),
                total_uplift_p_within_interval: cadence.map(|c| c.1),
                total_uplift_longest_interval_months: tolerance.map(|t| t.1),
                ..ThresholdResult::default()
            }],
            ..ScenarioResults::default()
        }
    }

    #[test]
    fn a_category_at_1x_throughout_is_not_available_rather_than_rows_of_1x() {
        let mut scenario = with_policy(0.1, None, None);
        let contribution = |id: &str, q: [f64; 3]| overhang_model::results::Contribution {
            id: id.to_owned(),
            label: id.to_owned(),
            available: Quantiles3::from_array(q),
            elicited: Quantiles3::from_array([1.0; 3]),
            gap: None,
            lag_months: None,
            frozen: false,
            at_horizon: Quantiles3::from_array(q),
        };
        scenario.contributions = vec![
            contribution("data", [1.0; 3]),
            contribution("tools", [1.0, 2.0, 3.0]),
        ];
        let text = scenario_text(&scenario, 12, 24);
        assert_eq!(
            text.contributions[0].available,
            "not available in this scenario"
        );
        assert_eq!(text.contributions[1].available, "2.0x (1.0x to 3.0x)");
    }

    #[test]
    fn a_frozen_category_is_said_to_be_frozen_not_available() {
        let mut scenario = with_policy(0.1, None, None);
        scenario.contributions = vec![overhang_model::results::Contribution {
            id: "reasoning".to_owned(),
            label: "Reasoning".to_owned(),
            available: Quantiles3::from_array([3.0, 9.5, 30.0]),
            elicited: Quantiles3::from_array([2.0, 6.7, 22.0]),
            gap: None,
            lag_months: None,
            frozen: true,
            at_horizon: Quantiles3::from_array([2.0, 6.7, 22.0]),
        }];
        let text = scenario_text(&scenario, 12, 24);
        assert_eq!(
            text.contributions[0].available,
            "frozen at what the release shipped with"
        );
        assert_eq!(text.contributions[0].elicited, "6.7x (2.0x to 22x)");
    }

    #[test]
    fn the_median_first_crossing_names_the_steps_it_is_interpolated_between() {
        let mut t = ThresholdResult::default();
        let at = |m: Option<f64>| {
            overhang_model::results::Quantiles5::from_array([None, None, m, None, None])
        };
        let quarterly: Vec<u32> = (0..=20).map(|k| k * 3).collect();
        t.crossing_months = at(Some(7.6));
        assert_eq!(
            crossing_phrase(&t, &quarterly, 60),
            "month 8 (interpolated between months 6 and 9)"
        );
        t.crossing_months = at(Some(0.3));
        assert_eq!(
            crossing_phrase(&t, &quarterly, 60),
            "within a month (interpolated between months 0 and 3)"
        );
        // On a grid step, or on a monthly grid, there is nothing to name.
        t.crossing_months = at(Some(6.0));
        assert_eq!(crossing_phrase(&t, &quarterly, 60), "month 6");
        let monthly: Vec<u32> = (0..=60).collect();
        t.crossing_months = at(Some(7.6));
        assert_eq!(crossing_phrase(&t, &monthly, 60), "month 8");
        t.crossing_months = at(Some(0.0));
        assert_eq!(crossing_phrase(&t, &quarterly, 60), "at release");
        t.crossing_months = at(None);
        assert_eq!(crossing_phrase(&t, &quarterly, 60), "not within 60 months");
    }

    /// An entry: variance share `share`, median swing 2x to 8x, the probability of reaching
    /// the one step from `p5` to `p95`, with ranks.
    fn entry(
        id: &str,
        share: f64,
        (p5, p95): (f64, f64),
        rank: u32,
        step_rank: u32,
    ) -> SensitivityEntry {
        SensitivityEntry {
            input: id.to_owned(),
            label: id.to_uppercase(),
            first_order: share,
            median_at_p5: 2.0,
            median_at_p95: 8.0,
            rank,
            p_step_at_p5: vec![p5],
            p_step_at_p95: vec![p95],
            step_rank,
        }
    }

    /// [`with_policy`] with sensitivity at 12 and 60 months: `wide` leads the variance at both,
    /// `growth` moves the probability of reaching 4x by 12 months the most.
    fn with_sensitivity() -> ScenarioResults {
        let mut s = with_policy(0.1, Some((6, 0.2)), None);
        s.sensitivity = [12, 60]
            .into_iter()
            .map(|months| Sensitivity {
                months,
                median: 4.0,
                inputs: vec![
                    entry("wide", 0.7, (0.3, 0.4), 1, 2),
                    entry("growth", 0.2, (0.05, 0.9), 2, 1),
                    entry("flat", 0.0, (0.3, 0.3), 3, 3),
                ],
                main_step: Some(0),
            })
            .collect();
        s
    }

    #[test]
    fn the_variance_ranking_names_its_decision_and_the_leader_at_12_months() {
        let text = sensitivity_sentence(&with_sensitivity());
        assert!(
            text.starts_with("Which estimate an experiment should pin down first"),
            "{text}"
        );
        assert!(
            text.contains("at 60 months: it is WIDE, which explains 70%"),
            "{text}"
        );
        assert!(
            text.contains("At 12 months, the same input leads (70% of the variance)."),
            "{text}"
        );
        let rows = sensitivity_rows(&with_sensitivity());
        assert_eq!(rows[0].label, "WIDE");
        assert_eq!(rows[0].share_early, "70%");
    }

    #[test]
    fn the_step_ranking_names_the_total_uplift_and_its_own_leader() {
        let s = with_sensitivity();
        let text = step_sensitivity_sentence(&s);
        assert!(
            text.starts_with(
                "Whether the total uplift (the gap at release and the growth after it) reaches \
                 4x by 12 months"
            ),
            "{text}"
        );
        assert!(text.contains("the input that moves that probability most is GROWTH, from 5% with the input at its 5th percentile to 90% at its 95th. Next comes WIDE (30% to 40%)."), "{text}");
        let rows = step_sensitivity_rows(&s);
        // The input that moves nothing is left out.
        assert_eq!(
            rows.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(),
            ["GROWTH", "WIDE"]
        );
        assert_eq!(rows[0].swing, "5% to 90%");
        let brief = sensitivity_brief(&s);
        assert!(
            brief.starts_with("Which estimate to pin down first (variance of the log uplift at 60 months): WIDE (70%)"),
            "{brief}"
        );
    }

    #[test]
    fn the_policy_rankings_name_the_decision_the_quantity_and_their_leaders() {
        use overhang_model::results::{AnswerInput, AnswerSensitivity, PolicyAnswer};
        let entry = |input: &str, share: f64, rank: u32| AnswerInput {
            input: input.to_owned(),
            label: input.to_uppercase(),
            first_order: share,
            rank,
        };
        let mut s = with_sensitivity();
        s.answer_sensitivity = vec![
            AnswerSensitivity {
                answer: PolicyAnswer::SinceEvaluation,
                months: 6,
                threshold: 0,
                inputs: vec![
                    entry("growth", 0.8, 1),
                    entry("gap", 0.1, 2),
                    entry("kappa", 0.0, 3),
                ],
            },
            AnswerSensitivity {
                answer: PolicyAnswer::Adequacy,
                months: 0,
                threshold: 0,
                inputs: vec![entry("gap", 0.0, 1)],
            },
        ];
        let ranked = answer_rankings(&s);
        assert_eq!(
            ranked[0].sentence,
            "Growth over 6 months since the last evaluation (how often to re-evaluate for 4x): \
             GROWTH explains 80% of its variance, GAP 10%."
        );
        // An input that explains nothing is not a row.
        assert_eq!(ranked[0].rows.len(), 2);
        assert_eq!(ranked[0].rows[1].share, "10%");
        assert_eq!(
            ranked[1].sentence,
            "The gap at release (whether the evaluation is adequate for 4x): no uncertain input \
             explains any of it."
        );
        assert!(ranked[1].rows.is_empty());
        let brief = sensitivity_brief(&s);
        assert!(
            brief.ends_with(
                "; how often to re-evaluate (growth over 6 months since the last evaluation): \
                 GROWTH (80%)."
            ),
            "{brief}"
        );
    }

    #[test]
    fn without_a_step_or_a_swing_the_step_ranking_says_so() {
        let mut s = with_sensitivity();
        for sens in &mut s.sensitivity {
            sens.main_step = None;
        }
        assert!(step_sensitivity_sentence(&s).starts_with("No re-evaluation step is set"));
        assert!(step_sensitivity_rows(&s).is_empty());
        let mut s = with_sensitivity();
        for e in s.sensitivity.iter_mut().flat_map(|x| &mut x.inputs) {
            e.p_step_at_p95 = e.p_step_at_p5.clone();
        }
        assert!(step_sensitivity_sentence(&s).ends_with(
            "no single input moves that probability from its 5th to its 95th percentile."
        ));
    }
}
