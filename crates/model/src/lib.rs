//! The data model of overhang: estimates, the assessment loaded from an inputs folder with
//! `file:line:column` diagnostics, and the [`Results`] every output is made from.
//!
//! overhang turns estimates about post-training enhancements into a report on how much a
//! model's effective compute can grow after its release. This crate is the hub the other
//! stages share: `overhang-trend` fits the evidence, `overhang-compose` simulates the
//! assessment, `overhang-render` draws the results, and the `overhang` binary wires them up.
//!
//! ```
//! use overhang_model::Estimate;
//! use overhang_testkit::{ROUNDING, assert_close};
//!
//! let e = Estimate::parse("5 to 30").unwrap();
//! let (p5, p95) = e.interval90();
//! assert_close!(p5, 5.0, ROUNDING);
//! assert_close!(p95, 30.0, ROUNDING);
//! ```
//!
//! The library never reads files: [`load()`] takes the bytes of each input file in
//! [`InputFiles`] and returns either an [`Assessment`] or every [`Diagnostic`] at once.
//!
//! Where things are:
//!
//! - [`assessment`]: the validated input types ([`Assessment`], [`Category`], [`Threshold`],
//!   [`EvidenceRow`], ...) that every stage reads.
//! - [`load`](mod@load): one file per input file (`load/assessment.rs`, with
//!   `load/evaluation.rs` and `load/scenarios.rs`, for assessment.toml; `load/enhancements.rs`,
//!   `load/composability.rs`, `load/scaling.rs`) over the shared readers `load/toml.rs` and
//!   `load/csv.rs`; its module documentation says how to add an input.
//! - [`attribution`]: the split of a headline's change between two versions over groups of
//!   changed inputs (a Shapley split over hybrids of the two versions' inputs).
//! - [`changes`]: [`InputChange`] and [`changes::compare`], every input that differs between
//!   two versions, which `overhang diff` and the section on changes list.
//! - [`policies`]: the registry of safety-framework clauses (policies.toml) that thresholds
//!   name.
//! - [`scaling`]: the rows of scaling.csv and [`DerivedCeg`], how a CEG was derived from them.
//! - [`diagnostic`]: [`Diagnostic`] and its rustc-style rendering.
//! - [`estimate`]: the estimate language (`5 to 30`, `lognormal(2.3, 0.5)`) and its quantiles,
//!   over the special functions of [`special`].
//! - [`results`]: [`Results`], what every output is made from, with [`Results::new`] and a
//!   `From` conversion beside each output type; [`headline`]: the one list of headline
//!   numbers that `overhang diff` and the build summary walk; [`tolerances`]: the
//!   tolerances file of `overhang diff`, how far each of them may move.

pub mod assessment;
pub mod attribution;
pub mod changes;
pub mod combination;
pub mod date;
pub mod diagnostic;
pub mod estimate;
mod fit_notes;
pub mod headline;
pub mod inference;
pub mod load;
pub mod policies;
pub mod results;
pub mod scaling;
pub mod special;
pub mod tolerances;
pub mod version;

pub use assessment::{
    AVERAGE_SCOPE, Assessment, Available, Category, Ceg, Censoring, Composability, ContextFigure,
    Date, Estimand, Evaluation, EvaluationProfile, EvidenceMetric, EvidenceRow, Grade, Growth,
    GrowthShape, Horizon, Lag, Method, Model, PairComposability, PendingCeg, ReportMeta, Scenario,
    Scope, Simulation, Threshold, Version, budget_penalty, fitted_key,
};
pub use changes::{ChangeKind, InputChange, InputSet};
pub use combination::{Combination, Learned, LearnedPair, PairPosterior, Summary, Tabulated};
pub use date::DateError;
pub use diagnostic::{Diagnostic, Severity};
pub use estimate::{Distribution, Estimate, EstimateError};
pub use headline::{Metric, MetricKind, PolicyAnswer};
pub use inference::{
    CategoryInference, InferenceInputs, InferenceStatus, JointTable, PosteriorDraw, RowSd,
    TransferInputs,
};
pub use load::{InputFiles, LoadError, Loaded, SourceFile, TextRules, load, load_with};
pub use results::{FittedGrowth, Provenance, Results, SCHEMA_VERSION};
pub use scaling::{ComputeBasis, DerivedBasePoint, DerivedCeg, LogisticAlternative, ScalingRow};
pub use version::VersionError;
