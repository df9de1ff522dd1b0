//! What the trend fits say about their data, as typed notes ([`FitNote`]); the report puts
//! them in words (the render crate), and results.json of overhang 0.1.0, which wrote them as
//! sentences, stays readable.

use serde::{Deserialize, Serialize};

use crate::results::FitLimit;

/// Something a trend fit says about its data: typed, so that the report's words for it are
/// made in one place (the render crate) and programs reading results.json get the numbers.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitNote {
    /// A row written `derive` whose CEG was never derived: left out.
    Underived {
        /// Category id.
        category: String,
        /// The row's id.
        row: String,
    },
    /// A row whose CEG has no finite logarithm: left out.
    NonFiniteLog {
        /// Category id.
        category: String,
        /// The row's id.
        row: String,
        /// The CEG as written.
        ceg: String,
    },
    /// Too few rows or dates for a line.
    TooThin {
        /// Category id.
        category: String,
        /// What is missing.
        thin: Thin,
    },
    /// Bounds leave fewer than three exact rows for least squares and Theil–Sen.
    FewExactRows {
        /// Category id.
        category: String,
        /// All rows.
        rows: usize,
        /// Of which bounds.
        bounds: usize,
    },
    /// A row whose leverage (hat value) is above the threshold.
    Leverage {
        /// Category id.
        category: String,
        /// The row's id.
        row: String,
        /// Its date as written.
        date: String,
        /// Its hat value.
        hat: f64,
        /// The threshold, `2p / n`.
        threshold: f64,
    },
    /// Fewer than three residual degrees of freedom.
    FewDegrees {
        /// Category id.
        category: String,
        /// Residual degrees of freedom.
        df: usize,
    },
    /// The censored fit failed.
    NoCensoredFit {
        /// Category id.
        category: String,
        /// All rows.
        rows: usize,
        /// Of which bounds.
        bounds: usize,
        /// Why, from the fit.
        reason: String,
    },
    /// Why the fit cannot support a claim about growth.
    Limits {
        /// Category id.
        category: String,
        /// The reasons.
        limits: Vec<FitLimit>,
    },
    /// Evidence rows of a category the assessment does not define.
    UnknownCategory {
        /// The category as written in the rows.
        category: String,
    },
    /// No pooled fit: fewer than two categories have two or more rows.
    NoPooledFit {
        /// How many categories have two or more rows.
        categories: usize,
    },
    /// No pooled fit: within every category with two or more rows they share one date.
    NoPooledSpread,
    /// No category has enough evidence for a fit, and none asks for one.
    NoTrendAnywhere,
    /// A category whose growth is `fit` takes the pooled slope.
    PooledGrowth {
        /// Category id.
        category: String,
        /// The pooled slope, OOM per year.
        slope: f64,
        /// Its standard error.
        se: f64,
    },
    /// A category whose growth is `fit` has no slope at all.
    NoGrowthSlope {
        /// Category id.
        category: String,
    },
    /// No row has an interval: the weighted fits weight rows equally.
    EqualWeights,
    /// A note as results.json of overhang 0.1.0 wrote it: a sentence.
    Sentence {
        /// The sentence.
        text: String,
    },
    /// Rows without an interval get the median variance of those with one.
    MedianVariance {
        /// Rows with a value but no interval.
        pointlike: usize,
        /// Rows with a value (not a bound).
        values: usize,
        /// Whether any row is a bound.
        any_bounds: bool,
        /// The variance given to them, in squared orders of magnitude.
        variance: f64,
    },
}

impl FitNote {
    /// The category the note is about; `None` for a note about the data as a whole.
    pub fn category(&self) -> Option<&str> {
        match self {
            Self::Underived { category, .. }
            | Self::NonFiniteLog { category, .. }
            | Self::TooThin { category, .. }
            | Self::FewExactRows { category, .. }
            | Self::Leverage { category, .. }
            | Self::FewDegrees { category, .. }
            | Self::NoCensoredFit { category, .. }
            | Self::Limits { category, .. }
            | Self::PooledGrowth { category, .. }
            | Self::NoGrowthSlope { category } => Some(category),
            Self::UnknownCategory { .. }
            | Self::NoPooledFit { .. }
            | Self::NoPooledSpread
            | Self::NoTrendAnywhere
            | Self::EqualWeights
            | Self::Sentence { .. }
            | Self::MedianVariance { .. } => None,
        }
    }
}

/// A fit note as this version writes it, or as a sentence, as overhang 0.1.0 wrote it.
#[derive(Deserialize)]
#[serde(untagged)]
enum NoteOrSentence {
    Note(FitNote),
    Sentence(String),
}

/// Reads fit notes typed or as sentences, so results.json of every version stays readable.
pub(crate) fn notes_or_sentences<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<FitNote>, D::Error> {
    Ok(Vec::<NoteOrSentence>::deserialize(d)?
        .into_iter()
        .map(|n| match n {
            NoteOrSentence::Note(note) => note,
            NoteOrSentence::Sentence(text) => FitNote::Sentence { text },
        })
        .collect())
}

/// Why rows cannot carry a trend fit (at least 3 rows on at least 2 dates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Thin {
    /// No rows at all.
    NoRows,
    /// One row, with its date.
    OneRow {
        /// Its date as written.
        date: String,
    },
    /// Two rows on one date.
    TwoRowsOneDate {
        /// The date.
        date: String,
    },
    /// Two rows.
    TwoRows {
        /// The earlier date.
        first: String,
        /// The later date.
        second: String,
    },
    /// Three or more rows, all on one date.
    OneDate {
        /// How many rows.
        rows: usize,
        /// The date.
        date: String,
    },
}

impl std::fmt::Display for Thin {
    /// The reason as a clause, for the report and for diagnostics alike.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const NEED: &str = "a trend fit needs at least 3 rows on at least 2 dates";
        match self {
            Thin::NoRows => f.write_str("no evidence rows, so no trend fit"),
            Thin::OneRow { date } => write!(f, "only 1 evidence row ({date}); {NEED}"),
            Thin::TwoRowsOneDate { date } => {
                write!(f, "only 2 evidence rows, both dated {date}; {NEED}")
            }
            Thin::TwoRows { first, second } => {
                write!(f, "only 2 evidence rows ({first} and {second}); {NEED}")
            }
            Thin::OneDate { rows, date } => write!(
                f,
                "all {rows} evidence rows are dated {date}, so the date cannot explain their \
                 spread; {NEED}"
            ),
        }
    }
}
