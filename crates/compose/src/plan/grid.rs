//! The steps of a plan's horizon grid at which more than the projection is reported: the
//! sensitivity steps, the thresholds' policy answers, the cadences and the growth months.

use overhang_model::Threshold;

use super::GROWTH_MONTHS;

/// The grid steps of the sensitivity analysis and histograms: 12 months (or the nearest step,
/// with a note saying so) and the horizon, without repeats.
pub(super) fn sens_steps(months: &[u32], notes: &mut Vec<String>) -> Vec<usize> {
    let last = months.len() - 1;
    let twelve = months
        .iter()
        .enumerate()
        .min_by_key(|&(_, &m)| m.abs_diff(12))
        .map_or(last, |(i, _)| i);
    if months[twelve] != 12 {
        notes.push(format!(
            "The horizon grid has no 12-month step: the sensitivity and histogram reported for \
             12 months use the nearest step, {} months.",
            months[twelve]
        ));
    }
    let mut steps = vec![twelve];
    if last != twelve {
        steps.push(last);
    }
    steps
}

/// The thresholds with a cadence or a tolerance (see [`super::Plan::policy`]).
pub(super) fn policy(thresholds: &[Threshold]) -> Vec<usize> {
    thresholds
        .iter()
        .enumerate()
        .filter(|(_, t)| t.cadence_months.is_some() || t.tolerance.is_some())
        .map(|(k, _)| k)
        .collect()
}

/// The distinct cadences within the `horizon`, ascending.
pub(super) fn cadences(thresholds: &[Threshold], horizon: u32) -> Vec<u32> {
    let mut cadences: Vec<u32> = thresholds.iter().filter_map(|t| t.cadence_months).collect();
    cadences.sort_unstable();
    cadences.dedup();
    // A cadence beyond the horizon (which loading refuses) has no month to be read at.
    cadences.retain(|&c| c <= horizon);
    cadences
}

/// [`GROWTH_MONTHS`] and the `horizon`, within the horizon, ascending.
pub(super) fn growth_months(horizon: u32) -> Vec<u32> {
    let mut months: Vec<u32> = GROWTH_MONTHS
        .into_iter()
        .chain([horizon])
        .filter(|m| (1..=horizon).contains(m))
        .collect();
    months.sort_unstable();
    months.dedup();
    months
}
