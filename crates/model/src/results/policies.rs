//! The answers each safety-framework clause needs, and the clauses as results.json records
//! them.

use serde::{Deserialize, Serialize};

use super::Quantiles3;
use crate::policies::{Clause, Trigger};

/// What the growth after the last evaluation, `U(t) - U(0)`, says about an effective-compute
/// step: a re-evaluation with the same evaluation profile cannot see the gap at release, so
/// what accumulates between two evaluations is growth alone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct SinceEvaluation {
    /// The policy's interval in months (the threshold's cadence), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_months: Option<u32>,
    /// With an interval: `P(10^(U(m) - U(0)) >= multiplier` at some whole month `m` up to the
    /// interval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_within_interval: Option<f64>,
    /// With a tolerance: the longest whole number of months `T` for which the probability that
    /// growth after the evaluation reaches the step by `T` is at most the tolerance; the
    /// horizon when it never exceeds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_safe_interval_months: Option<u32>,
    /// With an interval: quantiles of `10^(U(interval) - U(0))`, what one interval of
    /// enhancement after the evaluation is worth in effective compute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_worth: Option<Quantiles3>,
}

/// Whether the evaluation captured enough: the gap at release `U(0)` against the step.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Adequacy {
    /// `P(10^U(0) >= multiplier)` under the assessment's evaluation.
    pub p_gap_reaches: f64,
    /// The same under each declared evaluation: the assessment's own (`evaluation`) and each
    /// `[evaluation.profiles.<id>]`, in that order; empty without `[evaluation]`.
    #[serde(default)]
    pub profiles: Vec<ProfileGap>,
    /// The declared evaluations whose `P(gap reaches the step)` is within the tolerance; empty
    /// when none is adequate for the step.
    #[serde(default)]
    pub adequate_profiles: Vec<String>,
}

/// One declared evaluation's gap at release against a step.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ProfileGap {
    /// `evaluation` for the assessment's own, else the profile's id.
    pub profile: String,
    /// `P(10^U(0) >= multiplier)` under it.
    pub p_gap_reaches: f64,
}

/// Which leg of a two-legged clause (an effective-compute step or a calendar amount) asks for
/// a re-evaluation first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct FirstLeg {
    /// The first whole month at which growth after the evaluation alone has reached the step
    /// with a probability above the tolerance; `null` when not within the horizon.
    pub compute_month: Option<u32>,
    /// The clause's calendar leg in months (the threshold's interval).
    pub calendar_months: u32,
    /// Which fires first.
    pub first: Leg,
}

/// A leg of a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Leg {
    /// The effective-compute step, reached by growth alone before the calendar leg.
    EffectiveCompute,
    /// The calendar leg.
    Calendar,
    /// Both in the same month.
    Together,
}

/// What a calendar amount of post-release enhancement is worth in effective compute: the
/// answer to a clause that counts elicitation (or a report period) in months.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CalendarWorth {
    /// The clause's id in policies.toml.
    pub clause: String,
    /// `elicitation_time` or `periodic`.
    pub kind: String,
    /// Months.
    pub months: u32,
    /// Quantiles of `10^(U(months) - U(0))`.
    pub worth: Quantiles3,
}

/// A clause of policies.toml as the outputs show it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ClauseInput {
    /// Id.
    pub id: String,
    /// The framework's name.
    pub framework: String,
    /// The version.
    pub version: String,
    /// Its publication date, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// `text` (verbatim from the framework's own text) or `paraphrase`.
    pub wording: String,
    /// The words.
    pub words: String,
    /// Section or page of a verbatim text; empty for a paraphrase.
    pub locator: String,
    /// Where it was read.
    pub source: String,
    /// `primary` or `secondary`.
    pub grade: String,
    /// What replaced it before the report's date (a clause id or a description); empty for a
    /// version in force.
    pub superseded_by: String,
    /// Its triggers.
    pub triggers: Vec<TriggerInput>,
}

/// A trigger of a clause.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct TriggerInput {
    /// `effective_compute`, `elicitation_time` or `periodic`.
    pub kind: String,
    /// The step, for `effective_compute`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
    /// Months, for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
}

impl From<&Clause> for ClauseInput {
    fn from(c: &Clause) -> Self {
        ClauseInput {
            id: c.id.clone(),
            framework: c.framework.clone(),
            version: c.version.clone(),
            date: c.date.to_string(),
            wording: match c.wording {
                crate::policies::Wording::Text(_) => "text",
                crate::policies::Wording::Paraphrase(_) => "paraphrase",
            }
            .to_owned(),
            words: c.wording.words().to_owned(),
            locator: c.locator.clone(),
            source: c.source.clone(),
            grade: c.grade.name().to_owned(),
            superseded_by: c.superseded_by.clone(),
            triggers: c
                .triggers
                .iter()
                .map(|t| TriggerInput {
                    kind: t.kind().to_owned(),
                    multiplier: match t {
                        Trigger::EffectiveCompute { multiplier } => Some(*multiplier),
                        _ => None,
                    },
                    months: match t {
                        Trigger::ElicitationTime { months } | Trigger::Periodic { months } => {
                            Some(*months)
                        }
                        Trigger::EffectiveCompute { .. } => None,
                    },
                })
                .collect(),
        }
    }
}
