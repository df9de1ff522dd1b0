//! Benchmark scaling measurements: the rows of scaling.csv.
//!
//! A model family's benchmark scores at several training computes form its base curve on that
//! benchmark; a row that names an enhancement is that enhancement measured on the model of its
//! compute. `overhang-calibrate` turns them into derived CEGs.

use serde::{Deserialize, Serialize};

use crate::assessment::Censoring;

/// What a scaling row's `compute` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ComputeBasis {
    /// Training compute in FLOP (6ND where the source gives parameters and tokens).
    Flop,
    /// The parameter count, standing in for compute within a family whose sizes share one
    /// token budget (the notes say why).
    Parameters,
}

impl ComputeBasis {
    /// The names used in scaling.csv.
    pub const NAMES: [&'static str; 2] = ["flop", "parameters"];

    /// The name used in scaling.csv.
    pub fn name(self) -> &'static str {
        match self {
            Self::Flop => "flop",
            Self::Parameters => "parameters",
        }
    }
}

/// One benchmark score of one model: a row of scaling.csv.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
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
    /// What `compute` counts (the optional `compute_basis` column); `None` in inputs written
    /// before the column.
    pub compute_basis: Option<ComputeBasis>,
    /// The 1-based line of the row in scaling.csv.
    pub line: usize,
}

/// How a CEG was derived from scaling rows: the numbers behind one `derive` row, as
/// `overhang-calibrate` found them and results.json shows them.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct DerivedCeg {
    /// The method: `interpolation` (linear in log10 compute between adjacent base points of
    /// the monotone base curve, Davidson et al. 2023).
    pub method: String,
    /// The family of the base curve.
    pub family: String,
    /// The benchmark.
    pub benchmark: String,
    /// The enhanced model's name.
    pub model: String,
    /// The line of the measurement (the enhanced score) in scaling.csv.
    pub line: usize,
    /// The enhanced model's own compute, `C_own`.
    pub own_compute: f64,
    /// The model's score without the enhancement, on the monotone base curve.
    pub own_score: f64,
    /// The score with the enhancement.
    pub enhanced_score: f64,
    /// `C*`, where the base curve reaches the enhanced score; for a bound, the largest (lower
    /// bound) or smallest (upper bound) base compute.
    pub equivalent_compute: f64,
    /// `C* / C_own`; for a bound, the bound.
    pub ceg: f64,
    /// `none`, or `lower`/`upper` when the enhanced score lies beyond the base curve.
    pub censoring: Censoring,
    /// True when the enhancement lowered the score: the CEG is below 1.
    pub below_own: bool,
    /// The base curve's range of scores.
    pub range: (f64, f64),
    /// The base curve by increasing compute.
    pub base: Vec<DerivedBasePoint>,
    /// The CEG a logistic fit of the base curve gives, when the curve has 4 or more points.
    pub logistic: Option<LogisticAlternative>,
}

/// One model of a base curve, as a derivation used it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct DerivedBasePoint {
    /// The model's name.
    pub model: String,
    /// Its compute.
    pub compute: f64,
    /// Its score as measured.
    pub score: f64,
    /// Its score on the monotone curve (differs from `score` where violators were pooled).
    pub fitted: f64,
    /// Its line in scaling.csv.
    pub line: usize,
}

/// The logistic alternative to the interpolated CEG.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct LogisticAlternative {
    /// The log10 compute at which the fitted curve is halfway up its range.
    pub midpoint: f64,
    /// Its width in log10 compute.
    pub scale: f64,
    /// Where the fitted curve reaches the enhanced score; `None` at or beyond its range.
    pub equivalent_compute: Option<f64>,
    /// `equivalent_compute / C_own`.
    pub ceg: Option<f64>,
    /// True when the equivalent compute lies outside the base curve's computes.
    pub extrapolated: bool,
}
