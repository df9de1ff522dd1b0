//! The answers each safety-framework clause needs, from the draws the engine counted.
//!
//! A re-evaluation with the same evaluation profile measures the system again and cannot see
//! the gap at release, `U(0)`, which the first evaluation left: that is a question of the
//! evaluation's adequacy, answered once. What accumulates between two evaluations is the
//! growth after the last one, `U(t) - U(0)`, and the answers about an effective-compute step
//! "since the last evaluation" come from it alone:
//!
//! - `P(growth reaches the step within the interval)`, from the first whole month each draw's
//!   growth reaches it;
//! - the longest interval whose probability stays within the tolerance (the month before the
//!   first to exceed it, as the probability never falls);
//! - what one interval is worth, quantiles of `10^(U(interval) - U(0))`;
//! - which leg fires first: the first month the step's probability exceeds the tolerance,
//!   against the clause's calendar months.
//!
//! The adequacy of the evaluation is `P(U(0) >= step)` under each declared evaluation; a
//! clause that counts elicitation (or a report period) in months gets what that many months
//! of growth after the evaluation are worth.

use overhang_model::policies::Clause;
use overhang_model::results::{
    Adequacy, FirstLeg, Leg, ProfileGap, ProfileHeadline, Quantiles3, ScenarioResults,
    SinceEvaluation,
};
use overhang_model::{Assessment, Threshold};

/// The id the assessment's own evaluation has among the declared evaluations.
pub const OWN_EVALUATION: &str = "evaluation";

/// A calendar leg whose worth is wanted: the clause's id, the trigger's kind and its months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Interval {
    /// The clause's id.
    pub clause: String,
    /// `elicitation_time` or `periodic`.
    pub kind: &'static str,
    /// Months.
    pub months: u32,
}

/// Every calendar leg of the registry's clauses, in registry order.
pub(crate) fn intervals(clauses: &[Clause]) -> Vec<Interval> {
    clauses
        .iter()
        .flat_map(|c| {
            c.triggers.iter().filter_map(|t| {
                let months = match t {
                    overhang_model::policies::Trigger::ElicitationTime { months }
                    | overhang_model::policies::Trigger::Periodic { months } => *months,
                    overhang_model::policies::Trigger::EffectiveCompute { .. } => return None,
                };
                Some(Interval {
                    clause: c.id.clone(),
                    kind: t.kind(),
                    months,
                })
            })
        })
        .collect()
}

/// `P(reached by month m)` for every month from 0 to the horizon, from the counts of draws by
/// the first whole month they reach a step (the last count: never).
pub(crate) fn by_month(counts: &[u64], n: u64) -> Vec<f64> {
    counts[..counts.len() - 1]
        .iter()
        .scan(0u64, |sum, &c| {
            *sum += c;
            Some(*sum as f64 / n as f64)
        })
        .collect()
}

/// The longest whole number of months whose probability (`p[m]`, months 0 to the horizon)
/// stays within `tolerance`: 0 when month 1 already exceeds it, the horizon when none does.
pub(crate) fn longest_within(p: &[f64], tolerance: f64) -> u32 {
    let horizon = p.len() as u32 - 1;
    (1..=horizon)
        .find(|&m| p[m as usize] > tolerance)
        .map_or(horizon, |m| m - 1)
}

/// The answers since the last evaluation of threshold `t`, from `growth[m]`, the probability
/// that growth after the evaluation has reached it by month `m`, and the quantiles of the
/// growth at the threshold's interval (`worth`).
pub(crate) fn since_evaluation(
    t: &Threshold,
    growth: &[f64],
    worth: Option<Quantiles3>,
) -> SinceEvaluation {
    let horizon = growth.len() as u32 - 1;
    let interval = t.cadence_months.filter(|&c| c <= horizon);
    SinceEvaluation {
        interval_months: interval,
        p_within_interval: interval.map(|c| growth[c as usize]),
        longest_safe_interval_months: t.tolerance.map(|tol| longest_within(growth, tol)),
        interval_worth: interval.and(worth),
    }
}

/// Which leg of threshold `t` fires first, when it has an interval and a tolerance.
pub(crate) fn first_leg(t: &Threshold, growth: &[f64]) -> Option<FirstLeg> {
    let (calendar, tolerance) = (t.cadence_months?, t.tolerance?);
    let horizon = growth.len() as u32 - 1;
    let compute = (0..=horizon).find(|&m| growth[m as usize] > tolerance);
    let first = match compute {
        Some(m) if m < calendar => Leg::EffectiveCompute,
        Some(m) if m == calendar => Leg::Together,
        _ => Leg::Calendar,
    };
    Some(FirstLeg {
        compute_month: compute,
        calendar_months: calendar,
        first,
    })
}

/// Fills each threshold's adequacy answer of `results`: the gap at release under the
/// assessment's evaluation (from the results themselves) and under each profile (`profiles`,
/// the scenario rerun with each, in the assessment's order).
pub(crate) fn adequacy(
    results: &mut ScenarioResults,
    assessment: &Assessment,
    profiles: &[ProfileHeadline],
) {
    for (k, (t, r)) in assessment
        .thresholds
        .iter()
        .zip(&mut results.thresholds)
        .enumerate()
    {
        let Some(tolerance) = t.tolerance else {
            continue;
        };
        let mut gaps = Vec::new();
        if assessment.evaluation.is_some() {
            gaps.push(ProfileGap {
                profile: OWN_EVALUATION.to_owned(),
                p_gap_reaches: r.p_exceeded_at_release,
            });
        }
        // Each profile's first step is release (see `profile_headline`).
        gaps.extend(profiles.iter().map(|p| ProfileGap {
            profile: p.profile.clone(),
            p_gap_reaches: p.probability[k][0],
        }));
        let adequate_profiles = gaps
            .iter()
            .filter(|g| g.p_gap_reaches <= tolerance)
            .map(|g| g.profile.clone())
            .collect();
        r.adequacy = Some(Adequacy {
            p_gap_reaches: r.p_exceeded_at_release,
            profiles: gaps,
            adequate_profiles,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_interval_is_the_month_before_the_tolerance_is_exceeded() {
        let p = [0.0, 0.0, 0.05, 0.1, 0.2, 0.3];
        assert_eq!(longest_within(&p, 0.1), 3);
        assert_eq!(longest_within(&p, 0.5), 5);
        assert_eq!(longest_within(&[0.0, 0.5, 0.6], 0.1), 0);
    }

    #[test]
    fn counts_by_first_month_accumulate_to_probabilities() {
        let p = by_month(&[0, 1, 2, 1], 4);
        assert_eq!(p, vec![0.0, 0.25, 0.75]);
    }
}
