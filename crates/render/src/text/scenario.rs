//! Per scenario: the headline sentences and rows, the thresholds, the projection table and the
//! sensitivity analysis.

use std::fmt::Write as _;

use overhang_model::results::{ProjectionPoint, ScenarioResults, Sensitivity, ThresholdResult};

use super::{
    ContributionRow, HeadlineRow, ProjectionRow, SENSITIVITY_ROWS, ScenarioText, SensitivityRow,
    ThresholdRow, step_index,
};
use crate::format::{join_and, months_phrase, mult, number_words, pct, threshold_mult};

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

fn headline_sentence(scenario: &ScenarioResults, months: u32) -> String {
    let Some(i) = step_index(&scenario.projection, months) else {
        return "The projection is empty.".to_owned();
    };
    let p = &scenario.projection[i];
    let when = if p.months == 0 {
        "At release".to_owned()
    } else {
        format!(
            "{} {} after release",
            number_words(p.months),
            if p.months == 1 { "month" } else { "months" }
        )
    };
    format!(
        "{when}, enhancements add a median {} (90% interval {} to {}) of effective compute over \
         what the evaluation measured{}.",
        mult(p.p50),
        mult(p.p5),
        mult(p.p95),
        probability_clause(scenario, i),
    )
}

fn headline_row(p: &ProjectionPoint) -> HeadlineRow {
    HeadlineRow {
        months: p.months,
        median: mult(p.p50),
        interval90: format!("{} to {}", mult(p.p5), mult(p.p95)),
        interval50: format!("{} to {}", mult(p.p25), mult(p.p75)),
    }
}

fn crossing_phrase(t: &ThresholdResult, horizon: u32) -> String {
    match t.crossing_months[2] {
        Some(m) if m <= 0.0 => "at release".to_owned(),
        Some(m) => format!("month {}", libm::round(m)),
        None => format!("not within {}", months_phrase(horizon)),
    }
}

fn threshold_rows(scenario: &ScenarioResults, early: usize, horizon: u32) -> Vec<ThresholdRow> {
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
            median_crossing: crossing_phrase(t, horizon),
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

fn sensitivity_sentence(scenario: &ScenarioResults) -> String {
    let Some(s) = horizon_sensitivity(scenario) else {
        return "No sensitivity analysis was run for this scenario.".to_owned();
    };
    let mut ranked: Vec<_> = s.inputs.iter().collect();
    ranked.sort_by_key(|e| e.rank);
    match ranked.as_slice() {
        [] => "No input is uncertain in this scenario.".to_owned(),
        [first, rest @ ..] => {
            let mut text = format!(
                "At {}, the input an experiment should pin down first is {} ({}): it explains \
                 {} of the variance of the log uplift on its own, and moving it from its 5th to \
                 its 95th percentile moves the median from {} to {}.",
                months_phrase(s.months),
                first.label,
                first.input,
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
            text
        }
    }
}

fn sensitivity_rows(scenario: &ScenarioResults) -> Vec<SensitivityRow> {
    let Some(s) = horizon_sensitivity(scenario) else {
        return Vec::new();
    };
    let mut ranked: Vec<_> = s.inputs.iter().collect();
    ranked.sort_by_key(|e| e.rank);
    ranked
        .into_iter()
        .take(SENSITIVITY_ROWS)
        .map(|e| SensitivityRow {
            rank: e.rank,
            label: e.label.clone(),
            input: e.input.clone(),
            share: pct(e.first_order),
            swing: format!("{} to {}", mult(e.median_at_p5), mult(e.median_at_p95)),
        })
        .collect()
}

fn triple(q: [f64; 3]) -> String {
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
    ScenarioText {
        id: scenario.id.clone(),
        label: scenario.label.clone(),
        headline_early: headline_sentence(scenario, early),
        headline_horizon: headline_sentence(scenario, horizon),
        headline,
        thresholds: threshold_rows(scenario, early_index, horizon),
        projection: projection_rows(&scenario.projection),
        sensitivity_sentence: sensitivity_sentence(scenario),
        sensitivity: sensitivity_rows(scenario),
        contributions: scenario
            .contributions
            .iter()
            .map(|c| ContributionRow {
                label: c.label.clone(),
                available: triple(c.available),
                elicited: triple(c.elicited),
                at_horizon: triple(c.at_horizon),
            })
            .collect(),
    }
}
