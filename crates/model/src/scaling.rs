//! Benchmark scaling measurements: the rows of scaling.csv.
//!
//! A model family's benchmark scores at several training computes form its base curve on that
//! benchmark; a row that names an enhancement is that enhancement measured on the model of its
//! compute. `overhang-calibrate` turns them into derived CEGs.

use serde::Serialize;

/// One benchmark score of one model: a row of scaling.csv.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalingRow {
    /// The model family; with `benchmark`, it names a base curve.
    pub family: String,
    /// The model's name, for the report (`PaLM 62B`).
    pub model: String,
    /// Training compute in FLOP, or a parameter count when the family's models share one token
    /// budget (the notes say which). Positive.
    pub compute: f64,
    /// The benchmark the score was measured on.
    pub benchmark: String,
    /// The score, in the benchmark's units (usually percent).
    pub score: f64,
    /// `None` for a base-curve row; otherwise the id of the evidence row (enhancements.csv)
    /// whose enhancement this row measures.
    pub enhancement: Option<String>,
    /// URL or citation.
    pub source: String,
    /// Notes: what the compute column counts, the copy read, caveats.
    pub notes: String,
    /// The 1-based line of the row in scaling.csv.
    pub line: usize,
}
