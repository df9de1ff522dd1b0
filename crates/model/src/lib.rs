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
//!
//! let e = Estimate::parse("5 to 30").unwrap();
//! let (p5, p95) = e.interval90();
//! assert!((p5 - 5.0).abs() < 1e-9 && (p95 - 30.0).abs() < 1e-9);
//! ```
//!
//! The library never reads files: [`load()`] takes the bytes of each input file in
//! [`InputFiles`] and returns either an [`Assessment`] or every [`Diagnostic`] at once.

pub mod assessment;
pub mod diagnostic;
pub mod estimate;
pub mod load;
pub mod results;
pub mod scaling;
pub mod special;

pub use assessment::{
    Assessment, Category, Censoring, Composability, Date, EvidenceRow, Grade, Growth, Horizon,
    Method, PairComposability, ReportMeta, Scenario, Simulation, Threshold, Version,
};
pub use diagnostic::{Diagnostic, Severity};
pub use estimate::{Distribution, Estimate, EstimateError};
pub use load::{InputFiles, LoadError, Loaded, SourceFile, load};
pub use results::{FittedGrowth, Results, SCHEMA_VERSION};
pub use scaling::ScalingRow;
