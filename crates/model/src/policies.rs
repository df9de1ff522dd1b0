//! The registry of safety-framework clauses (policies.toml): what each framework says about
//! when a model must be evaluated again, by version, with how the clause was read.
//!
//! A clause's triggers say what the report can answer for it: an effective-compute step
//! since the last evaluation (a threshold of assessment.toml names the clause), an amount of
//! post-release elicitation counted in calendar months, or a periodic report.

use serde::Serialize;

use crate::assessment::Date;

/// One clause of a framework version (`[[clause]]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    /// Its id, which thresholds and `superseded_by` refer to.
    pub id: String,
    /// The framework's name (`Anthropic Responsible Scaling Policy`).
    pub framework: String,
    /// The version (`2.2`, `beta`).
    pub version: String,
    /// When that version was published.
    pub date: Date,
    /// The clause as read: verbatim from the framework's own text, or a paraphrase of an
    /// account of it.
    pub wording: Wording,
    /// Where in the framework's text the verbatim wording stands (section or page); empty
    /// for a paraphrase.
    pub locator: String,
    /// Where it was read: a URL or citation.
    pub source: String,
    /// Whether the clause was read in the framework's own text.
    pub grade: ClauseGrade,
    /// What replaced this version before the report's date: a clause id of the registry or a
    /// description; empty for a version in force.
    pub superseded_by: String,
    /// What makes the clause ask for a new evaluation, in file order; empty when the text
    /// states no numeric trigger.
    pub triggers: Vec<Trigger>,
}

impl Clause {
    /// Whether a later version replaced this one before the report's date.
    pub fn superseded(&self) -> bool {
        !self.superseded_by.is_empty()
    }

    /// The effective-compute step of the clause, when it has one.
    pub fn multiplier(&self) -> Option<f64> {
        self.triggers.iter().find_map(|t| match t {
            Trigger::EffectiveCompute { multiplier } => Some(*multiplier),
            _ => None,
        })
    }

    /// The calendar leg of the clause in months (accumulated elicitation, else a period),
    /// when it has one.
    pub fn calendar_months(&self) -> Option<u32> {
        let find = |elicitation: bool| {
            self.triggers.iter().find_map(|t| match (t, elicitation) {
                (Trigger::ElicitationTime { months }, true)
                | (Trigger::Periodic { months }, false) => Some(*months),
                _ => None,
            })
        };
        find(true).or_else(|| find(false))
    }
}

/// How a clause was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "words")]
pub enum Wording {
    /// Verbatim from the framework's own text.
    Text(String),
    /// In other words, from an account of the framework.
    Paraphrase(String),
}

impl Wording {
    /// The words, verbatim or paraphrased.
    pub fn words(&self) -> &str {
        match self {
            Wording::Text(s) | Wording::Paraphrase(s) => s,
        }
    }
}

/// Whether a clause was read in the framework's own text (`primary`) or only in an account
/// of it (`secondary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseGrade {
    /// Read in the framework's own text.
    Primary,
    /// Read only in an account of it.
    Secondary,
}

impl ClauseGrade {
    /// `primary` or `secondary`.
    pub fn name(self) -> &'static str {
        match self {
            ClauseGrade::Primary => "primary",
            ClauseGrade::Secondary => "secondary",
        }
    }
}

/// What makes a clause ask for a new evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Trigger {
    /// A growth of effective compute by `multiplier` since the last evaluation.
    EffectiveCompute {
        /// The step, above 1.
        multiplier: f64,
    },
    /// An amount of accumulated post-release elicitation (fine-tuning and other methods),
    /// counted in calendar months.
    ElicitationTime {
        /// Months of elicitation.
        months: u32,
    },
    /// A report or reassessment every so often.
    Periodic {
        /// The longest interval the clause allows, in months.
        months: u32,
    },
}

impl Trigger {
    /// The kind as written in policies.toml.
    pub fn kind(&self) -> &'static str {
        match self {
            Trigger::EffectiveCompute { .. } => "effective_compute",
            Trigger::ElicitationTime { .. } => "elicitation_time",
            Trigger::Periodic { .. } => "periodic",
        }
    }
}
