//! The headline numbers of a build: one list, in one order, with stable ids, that every
//! output comparing or summarising builds walks (`overhang diff` and its tolerances, the
//! terminal summary of `overhang build`).
//!
//! Per scenario, at each headline step (12 months after release when the grid has it, and
//! the horizon): p5, p50 and p95 of the uplift multiplier, then the probability of crossing
//! each threshold; then the fitted growth slope of each category with an OLS fit, and the
//! pooled slope.

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
    /// A fitted growth slope in OOM per year: a category's OLS fit, or the pooled fit (`None`).
    Slope {
        /// The category id.
        category: Option<String>,
    },
}

impl MetricKind {
    /// The unit of a metric of this kind.
    pub fn unit(&self) -> MetricUnit {
        match self {
            MetricKind::Uplift { .. } => MetricUnit::Multiplier,
            MetricKind::Threshold { .. } => MetricUnit::Probability,
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
                        label: format!(
                            "{}: P(uplift >= {multiplier}x) at {months} months",
                            s.label
                        ),
                        value,
                        kind: MetricKind::Threshold {
                            scenario: si,
                            threshold: ti,
                            months,
                        },
                    });
                }
            }
        }
        for c in &self.fits.categories {
            if let Some(f) = &c.ols {
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
