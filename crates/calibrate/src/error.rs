//! What can be wrong with scaling measurements, as typed values that name the file, the line
//! and the column, so the loader can show them as `file:line:column` diagnostics.

use std::fmt;

/// The input file a problem sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum InputFile {
    /// scaling.csv.
    Scaling,
    /// enhancements.csv.
    Enhancements,
}

impl InputFile {
    /// The file's name in an inputs folder.
    pub fn name(self) -> &'static str {
        match self {
            Self::Scaling => "scaling.csv",
            Self::Enhancements => "enhancements.csv",
        }
    }
}

impl fmt::Display for InputFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A problem that stops a CEG from being derived.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrateError {
    /// A scaling row's `enhancement` names no evidence row.
    #[error("expected the id of a row of enhancements.csv, found `{id}`")]
    UnknownEnhancement {
        /// The scaling row's line.
        line: usize,
        /// The id as written.
        id: String,
        /// The closest known id, when one is close enough to be a likely typo.
        suggestion: Option<String>,
    },
    /// An evidence row asks for `derive`, but no scaling row measures its enhancement.
    #[error("expected a row of scaling.csv whose enhancement is `{id}`, found none")]
    NoMeasurement {
        /// The evidence row's line in enhancements.csv.
        line: usize,
        /// The evidence row's id.
        id: String,
    },
    /// More than one scaling row measures the same enhancement, so its CEG is ambiguous.
    #[error("expected one measurement of `{id}`, found another on line {first_line}")]
    SeveralMeasurements {
        /// The line of the later measurement.
        line: usize,
        /// The line of the first measurement.
        first_line: usize,
        /// The evidence id.
        id: String,
    },
    /// A measurement whose family and benchmark have no base rows.
    #[error(
        "expected base rows (an empty enhancement) of family `{family}` on benchmark `{benchmark}`, found none"
    )]
    NoBaseCurve {
        /// The measurement's line.
        line: usize,
        /// Its family.
        family: String,
        /// Its benchmark.
        benchmark: String,
    },
    /// A measurement whose base curve has a single point: nothing to interpolate.
    #[error(
        "expected at least 2 base rows of family `{family}` on benchmark `{benchmark}`, found 1 (line {base_line})"
    )]
    OneBasePoint {
        /// The measurement's line.
        line: usize,
        /// The line of the only base row.
        base_line: usize,
        /// The family.
        family: String,
        /// The benchmark.
        benchmark: String,
    },
    /// Two base rows of one curve at the same compute.
    #[error(
        "expected one base score per compute of family `{family}` on benchmark `{benchmark}`, found a second at {compute:e} (first on line {first_line})"
    )]
    DuplicateBaseCompute {
        /// The later row's line.
        line: usize,
        /// The earlier row's line.
        first_line: usize,
        /// The family.
        family: String,
        /// The benchmark.
        benchmark: String,
        /// The shared compute.
        compute: f64,
    },
    /// A compute that is not a positive finite number.
    #[error("expected a positive training compute, found {compute}")]
    NonPositiveCompute {
        /// The row's line.
        line: usize,
        /// The compute as read.
        compute: f64,
    },
    /// A score outside the benchmark's range (`[0, 100]` unless the notes state one).
    #[error("expected a score from {low} to {high}, found {score}")]
    ScoreOutOfRange {
        /// The row's line.
        line: usize,
        /// The score as read.
        score: f64,
        /// The lower end of the range.
        low: f64,
        /// The upper end of the range.
        high: f64,
    },
    /// Notes that start a range statement (`range: `) without a valid `LOW to HIGH`.
    #[error("expected `range: LOW to HIGH` with LOW < HIGH in the notes, found `{text}`")]
    MalformedRange {
        /// The row's line.
        line: usize,
        /// The text after `range:`.
        text: String,
    },
    /// Rows of one curve that state different ranges.
    #[error(
        "expected the range of family `{family}` on benchmark `{benchmark}` stated on line {first_line}, found a different one"
    )]
    ConflictingRange {
        /// The later row's line.
        line: usize,
        /// The line that stated the range first.
        first_line: usize,
        /// The family.
        family: String,
        /// The benchmark.
        benchmark: String,
    },
    /// A measurement on a model whose compute lies outside its base curve, so the base score of
    /// the model itself is unknown.
    #[error(
        "expected a compute from {min:e} to {max:e} (the base curve's models), found {compute:e}"
    )]
    OwnComputeOutsideCurve {
        /// The measurement's line.
        line: usize,
        /// The measurement's compute.
        compute: f64,
        /// The smallest base compute.
        min: f64,
        /// The largest base compute.
        max: f64,
    },
}

impl CalibrateError {
    /// The file the problem sits in.
    pub fn file(&self) -> InputFile {
        match self {
            Self::NoMeasurement { .. } => InputFile::Enhancements,
            _ => InputFile::Scaling,
        }
    }

    /// The 1-based line of the row.
    pub fn line(&self) -> usize {
        match self {
            Self::UnknownEnhancement { line, .. }
            | Self::NoMeasurement { line, .. }
            | Self::SeveralMeasurements { line, .. }
            | Self::NoBaseCurve { line, .. }
            | Self::OneBasePoint { line, .. }
            | Self::DuplicateBaseCompute { line, .. }
            | Self::NonPositiveCompute { line, .. }
            | Self::ScoreOutOfRange { line, .. }
            | Self::MalformedRange { line, .. }
            | Self::ConflictingRange { line, .. }
            | Self::OwnComputeOutsideCurve { line, .. } => *line,
        }
    }

    /// The CSV column the problem is in.
    pub fn column(&self) -> &'static str {
        match self {
            Self::UnknownEnhancement { .. } | Self::SeveralMeasurements { .. } => "enhancement",
            Self::NoMeasurement { .. } => "ceg",
            Self::NoBaseCurve { .. } | Self::OneBasePoint { .. } => "family",
            Self::DuplicateBaseCompute { .. }
            | Self::NonPositiveCompute { .. }
            | Self::OwnComputeOutsideCurve { .. } => "compute",
            Self::ScoreOutOfRange { .. } => "score",
            Self::MalformedRange { .. } | Self::ConflictingRange { .. } => "notes",
        }
    }

    /// A suggestion, when one helps.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::UnknownEnhancement {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            Self::UnknownEnhancement { .. } => Some(
                "leave enhancement empty for a base row, or name the id of an evidence row"
                    .to_owned(),
            ),
            Self::NoMeasurement { .. } => Some(
                "add a row to scaling.csv with this id as its enhancement, or give the CEG as an estimate"
                    .to_owned(),
            ),
            Self::SeveralMeasurements { .. } => Some(
                "give each measured model its own evidence row and id".to_owned(),
            ),
            Self::ScoreOutOfRange { .. } => Some(
                "a benchmark scored on another scale says so in the notes: `range: LOW to HIGH`"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

/// Something that does not stop a derivation but deserves a look.
#[derive(Debug, Clone, PartialEq)]
pub enum CalibrateWarning {
    /// Adjacent base scores fell with compute and were pooled into their mean, so the base
    /// curve is monotone (the pool-adjacent-violators algorithm).
    PooledViolators {
        /// The family.
        family: String,
        /// The benchmark.
        benchmark: String,
        /// The lines of the pooled rows, by increasing compute.
        lines: Vec<usize>,
        /// The score every pooled row takes on the monotone curve.
        pooled_score: f64,
    },
    /// A base curve with 4 or more points whose logistic fit found no finite optimum, so the
    /// derivations on it have no logistic alternative.
    LogisticFailed {
        /// The family.
        family: String,
        /// The benchmark.
        benchmark: String,
        /// The line of the curve's first base row.
        line: usize,
    },
    /// A scaling row measures an enhancement whose evidence row gives its CEG itself, so the
    /// measurement is not used.
    MeasurementUnused {
        /// The scaling row's line.
        line: usize,
        /// The evidence id.
        id: String,
    },
}

impl CalibrateWarning {
    /// The file the warning is about (always scaling.csv).
    pub fn file(&self) -> InputFile {
        InputFile::Scaling
    }

    /// The 1-based line it points at.
    pub fn line(&self) -> usize {
        match self {
            Self::PooledViolators { lines, .. } => lines.first().copied().unwrap_or(0),
            Self::LogisticFailed { line, .. } | Self::MeasurementUnused { line, .. } => *line,
        }
    }

    /// The CSV column it points at.
    pub fn column(&self) -> &'static str {
        match self {
            Self::PooledViolators { .. } => "score",
            Self::LogisticFailed { .. } => "family",
            Self::MeasurementUnused { .. } => "enhancement",
        }
    }
}

impl fmt::Display for CalibrateWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PooledViolators {
                family,
                benchmark,
                lines,
                pooled_score,
            } => {
                let lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "expected base scores of family `{family}` on benchmark `{benchmark}` that do not fall as compute grows, found a fall; lines {} are pooled at {}",
                    lines.join(", "),
                    overhang_model::estimate::sentence_number(*pooled_score)
                )
            }
            Self::LogisticFailed {
                family, benchmark, ..
            } => write!(
                f,
                "expected a logistic fit of family `{family}` on benchmark `{benchmark}`, found no finite optimum; its derivations use interpolation only"
            ),
            Self::MeasurementUnused { id, .. } => write!(
                f,
                "expected evidence row `{id}` to have ceg = derive, found an estimate; this measurement is not used"
            ),
        }
    }
}
