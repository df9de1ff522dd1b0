//! The headline numbers of a build: one list, in one order, with stable ids, that every
//! output comparing or summarising builds walks (`overhang diff` and its tolerances, the
//! terminal summary of `overhang build`).
//!
//! Per scenario, at each headline step (12 months after release when the grid has it, and
//! the horizon): p5, p50 and p95 of the uplift multiplier, then the probability of crossing
//! each threshold, then each threshold's policy answers from growth after the last evaluation
//! (the probability of reaching it within its cadence, the longest interval within its
//! tolerance) and the probability that the gap at release alone reaches it; then the fitted
//! growth slope of
//! each category with an OLS fit, and the pooled slope.

use serde::Serialize;

use crate::estimate::format_number;
use crate::results::{MetricUnit, Results, ScenarioResults};

/// The months after release of the early headline step, when the grid has it.
pub const EARLY_MONTHS: u32 = 12;

/// One headline number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// Stable dotted id, for example `open_weights.uplift.12m.p50`; `overhang diff`'s
    /// tolerances match on it.
    pub id: String,
    /// For people, for example `Open weights: uplift p50 at 12 months (x)`.
    pub label: String,
    /// The value: a multiplier, a probability, or a slope in OOM per year.
    pub value: f64,
    /// What the value measures.
    pub kind: MetricKind,
}

/// What a headline number measures; scenarios and thresholds are indices into [`Results`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub enum MetricKind {
    /// A quantile (5, 50 or 95) of a scenario's uplift multiplier at a headline step.
    Uplift {
        /// Index of the scenario.
        scenario: usize,
        /// Months after release.
        months: u32,
        /// The percentile: 5, 50 or 95.
        percentile: u8,
    },
    /// The probability that a scenario's uplift has crossed a threshold by a headline step.
    Threshold {
        /// Index of the scenario.
        scenario: usize,
        /// Index of the threshold.
        threshold: usize,
        /// Months after release.
        months: u32,
    },
    /// A policy answer about a scenario's threshold.
    Policy {
        /// Index of the scenario.
        scenario: usize,
        /// Index of the threshold.
        threshold: usize,
        /// Which answer.
        answer: PolicyAnswer,
    },
    /// A fitted growth slope in OOM per year: a category's OLS fit, or the pooled fit (`None`).
    Slope {
        /// The category id.
        category: Option<String>,
    },
}

/// The policy answers that are headline numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicyAnswer {
    /// The probability that growth after the last evaluation reaches the threshold within
    /// its cadence.
    WithinCadence,
    /// The longest interval, in months, within the threshold's tolerance, from growth after
    /// the last evaluation.
    SafeMonths,
    /// The probability that the gap at release alone reaches the threshold.
    GapReaches,
}

impl MetricKind {
    /// The unit of a metric of this kind.
    pub fn unit(&self) -> MetricUnit {
        match self {
            MetricKind::Uplift { .. } => MetricUnit::Multiplier,
            MetricKind::Threshold { .. }
            | MetricKind::Policy {
                answer: PolicyAnswer::WithinCadence | PolicyAnswer::GapReaches,
                ..
            } => MetricUnit::Probability,
            MetricKind::Policy {
                answer: PolicyAnswer::SafeMonths,
                ..
            } => MetricUnit::Months,
            MetricKind::Slope { .. } => MetricUnit::OomPerYear,
        }
    }
}

impl ScenarioResults {
    /// Indices into the projection of the headline steps: 12 months after release when the
    /// grid has that step, and the horizon.
    pub fn headline_steps(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .projection
            .iter()
            .position(|p| p.months == EARLY_MONTHS)
            .into_iter()
            .collect();
        if let Some(last) = self.projection.len().checked_sub(1)
            && !v.contains(&last)
        {
            v.push(last);
        }
        v
    }
}

impl Results {
    /// The headline numbers, in the order the module documentation gives.
    pub fn headline(&self) -> Vec<Metric> {
        let mut v = Vec::new();
        for (si, s) in self.scenarios.iter().enumerate() {
            for i in s.headline_steps() {
                let p = &s.projection[i];
                for (percentile, value) in [(5, p.p5), (50, p.p50), (95, p.p95)] {
                    v.push(Metric {
                        id: format!("{}.uplift.{}m.p{percentile}", s.id, p.months),
                        label: format!(
                            "{}: uplift p{percentile} at {} months (x)",
                            s.label, p.months
                        ),
                        value,
                        kind: MetricKind::Uplift {
                            scenario: si,
                            months: p.months,
                            percentile,
                        },
                    });
                }
            }
            for (ti, t) in s.thresholds.iter().enumerate() {
                for i in s.headline_steps() {
                    let Some(&value) = t.probability.get(i) else {
                        continue;
                    };
                    let months = s.projection[i].months;
                    let multiplier = format_number(t.multiplier);
                    v.push(Metric {
                        id: format!("{}.threshold.{multiplier}x.{months}m", s.id),
                        label: format!("{}: P(uplift ≥ {multiplier}x) at {months} months", s.label),
                        value,
                        kind: MetricKind::Threshold {
                            scenario: si,
                            threshold: ti,
                            months,
                        },
                    });
                }
            }
            for (ti, t) in s.thresholds.iter().enumerate() {
                let multiplier = format_number(t.multiplier);
                let kind = |answer| MetricKind::Policy {
                    scenario: si,
                    threshold: ti,
                    answer,
                };
                let since = t.since_evaluation.as_ref();
                if let (Some(c), Some(p)) = (
                    since.and_then(|a| a.interval_months),
                    since.and_then(|a| a.p_within_interval),
                ) {
                    v.push(Metric {
                        id: format!("{}.policy.{multiplier}x.growth_within_{c}m", s.id),
                        label: format!(
                            "{}: P(growth after the evaluation reaches {multiplier}x within {c} \
                             months)",
                            s.label
                        ),
                        value: p,
                        kind: kind(PolicyAnswer::WithinCadence),
                    });
                }
                if let Some(m) = since.and_then(|a| a.longest_safe_interval_months) {
                    v.push(Metric {
                        id: format!("{}.policy.{multiplier}x.growth_safe_months", s.id),
                        label: format!(
                            "{}: longest interval within the tolerance for {multiplier}x, from \
                             growth after the evaluation",
                            s.label
                        ),
                        value: f64::from(m),
                        kind: kind(PolicyAnswer::SafeMonths),
                    });
                }
                if let Some(a) = &t.adequacy {
                    v.push(Metric {
                        id: format!("{}.policy.{multiplier}x.gap_reaches", s.id),
                        label: format!(
                            "{}: P(the gap at release alone reaches {multiplier}x)",
                            s.label
                        ),
                        value: a.p_gap_reaches,
                        kind: kind(PolicyAnswer::GapReaches),
                    });
                }
            }
        }
        for c in &self.fits.categories {
            if let Some(f) = c.growth_line() {
                v.push(Metric {
                    id: format!("fits.{}.slope", c.category),
                    label: format!("Fitted growth, {} (OOM/year)", c.category),
                    value: f.slope,
                    kind: MetricKind::Slope {
                        category: Some(c.category.clone()),
                    },
                });
            }
        }
        if let Some(p) = &self.fits.pooled {
            v.push(Metric {
                id: "fits.pooled.slope".to_owned(),
                label: "Fitted growth, pooled (OOM/year)".to_owned(),
                value: p.slope,
                kind: MetricKind::Slope { category: None },
            });
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Fits, ProjectionPoint, ThresholdResult};

    fn scenario(months: &[u32]) -> ScenarioResults {
        let point = |m: u32| ProjectionPoint {
            months: m,
            p5: 1.0,
            p25: 1.5,
            p50: 2.0 + f64::from(m),
            p75: 3.0,
            p95: 4.0,
            se: crate::results::Quantiles5::from_array([0.0; 5]),
            mean_log10: 0.3,
            mean: 2.5,
            p_no_uplift: 0.05,
        };
        let threshold = |multiplier: f64| ThresholdResult {
            label: format!("{multiplier}x"),
            multiplier,
            probability: months.iter().map(|&m| f64::from(m) / 100.0).collect(),
            p_no_crossing: 0.5,
            ..ThresholdResult::default()
        };
        ScenarioResults {
            id: "open".to_owned(),
            label: "Open".to_owned(),
            projection: months.iter().map(|&m| point(m)).collect(),
            thresholds: vec![threshold(2.0), threshold(4.5)],
            ..ScenarioResults::default()
        }
    }

    fn results_with(s: ScenarioResults) -> Results {
        Results {
            schema_version: crate::SCHEMA_VERSION,
            report: crate::results::ReportInfo {
                title: String::new(),
                version: "0.1.0".to_owned(),
                date: "2026-01-01".to_owned(),
                authors: Vec::new(),
                release_date: "2026-01-01".to_owned(),
                keywords: Vec::new(),
                scope: String::new(),
            },
            fingerprint: String::new(),
            tool_version: String::new(),
            simulation: crate::results::SimulationInfo {
                samples: 1,
                seed: 1,
                chunk_size: 1,
                horizon_months: 24,
                step_months: 12,
                tornado_samples: 1,
            },
            inputs: crate::results::InputsSummary {
                clauses: Vec::new(),
                files: Vec::new(),
                categories: Vec::new(),
                composability: crate::results::ComposabilityInput {
                    method: "max".to_owned(),
                    kappa: None,
                    kappa_alternative: None,
                    pairs: Vec::new(),
                    learn: false,
                },
                thresholds: Vec::new(),
                model: crate::results::ModelInput::default(),
                context: Vec::new(),
                evaluation: None,
                scopes: Vec::new(),
                evidence: Vec::new(),
                warnings: Vec::new(),
            },
            scenarios: vec![s],
            evidence: Vec::new(),
            composability: crate::results::ComposabilityResults::default(),
            worked_draw: None,
            fits: Fits::default(),
            inference: None,
            changes: None,
        }
    }

    #[test]
    fn headline_steps_are_twelve_months_and_the_horizon_once_each() {
        let months = |s: &ScenarioResults| -> Vec<u32> {
            s.headline_steps()
                .into_iter()
                .map(|i| s.projection[i].months)
                .collect()
        };
        assert_eq!(months(&scenario(&[0, 6, 12, 18, 24])), [12, 24]);
        assert_eq!(months(&scenario(&[0, 6, 12])), [12]);
        assert_eq!(months(&scenario(&[0, 5, 10])), [10]);
        assert!(scenario(&[]).headline_steps().is_empty());
    }

    #[test]
    #[expect(clippy::float_cmp, reason = "the values are copied, not computed")]
    fn headline_metrics_have_stable_ids_in_order() {
        let results = results_with(scenario(&[0, 12, 24]));
        let metrics = results.headline();
        let ids: Vec<&str> = metrics.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "open.uplift.12m.p5",
                "open.uplift.12m.p50",
                "open.uplift.12m.p95",
                "open.uplift.24m.p5",
                "open.uplift.24m.p50",
                "open.uplift.24m.p95",
                "open.threshold.2x.12m",
                "open.threshold.2x.24m",
                "open.threshold.4.5x.12m",
                "open.threshold.4.5x.24m",
            ]
        );
        assert_eq!(metrics[4].value, 26.0);
        assert_eq!(metrics[4].label, "Open: uplift p50 at 24 months (x)");
        assert_eq!(metrics[9].value, 0.24);
        assert_eq!(
            metrics[9].kind,
            MetricKind::Threshold {
                scenario: 0,
                threshold: 1,
                months: 24
            }
        );
    }

    #[test]
    fn thresholds_with_a_cadence_or_tolerance_add_their_policy_answers() {
        let mut s = scenario(&[0, 12, 24]);
        s.thresholds[1].cadence_months = Some(6);
        s.thresholds[1].tolerance = Some(0.1);
        // The total uplift's answers are not headline numbers: a re-evaluation cannot see
        // the gap at release.
        s.thresholds[1].total_uplift_p_within_interval = Some(0.9);
        s.thresholds[1].total_uplift_longest_interval_months = Some(0);
        s.thresholds[1].since_evaluation = Some(crate::results::SinceEvaluation {
            interval_months: Some(6),
            p_within_interval: Some(0.3),
            longest_safe_interval_months: Some(4),
            interval_worth: None,
        });
        s.thresholds[0].tolerance = Some(0.1);
        s.thresholds[0].since_evaluation = Some(crate::results::SinceEvaluation {
            interval_months: None,
            p_within_interval: None,
            longest_safe_interval_months: Some(60),
            interval_worth: None,
        });
        s.thresholds[0].adequacy = Some(crate::results::Adequacy {
            p_gap_reaches: 0.7,
            profiles: Vec::new(),
            adequate_profiles: Vec::new(),
        });
        let mut results = results_with(s);
        results.scenarios[0].id = "agentic-open".to_owned();
        let metrics = results.headline();
        let policy: Vec<(&str, MetricUnit)> = metrics
            .iter()
            .filter(|m| matches!(m.kind, MetricKind::Policy { .. }))
            .map(|m| (m.id.as_str(), m.kind.unit()))
            .collect();
        assert_eq!(
            policy,
            [
                (
                    "agentic-open.policy.2x.growth_safe_months",
                    MetricUnit::Months
                ),
                (
                    "agentic-open.policy.2x.gap_reaches",
                    MetricUnit::Probability
                ),
                (
                    "agentic-open.policy.4.5x.growth_within_6m",
                    MetricUnit::Probability
                ),
                (
                    "agentic-open.policy.4.5x.growth_safe_months",
                    MetricUnit::Months
                ),
            ]
        );
    }
}
