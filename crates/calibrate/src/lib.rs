//! Measurements to inputs for overhang: compute-equivalent gains derived from benchmark
//! scaling tables, and composability learned from measured combinations.
//!
//! # Overview
//!
//! Most published CEGs are not a number in a paper but a comparison of benchmark scores across
//! model sizes. scaling.csv holds such scores ([`ScalingRow`]): rows with an empty enhancement
//! are a family's base curve on a benchmark; a row naming an evidence id is that enhancement
//! measured on the model of its compute. [`derive()`] turns them into the CEG of every evidence
//! row written `ceg = derive`, by the method of Davidson et al. (arXiv 2312.07413):
//!
//! 1. the base curve is ordered by compute and made non-decreasing by pooling adjacent
//!    violators ([`pool_adjacent_violators`]); each pool is a warning value,
//!    [`CalibrateWarning::PooledViolators`];
//! 2. `C*`, the compute at which the base curve reaches the enhanced score, is interpolated
//!    linearly in log10 compute between adjacent base points, and the CEG is `C* / C_own`;
//! 3. an enhanced score above the largest base score gives a lower bound `C_max / C_own`,
//!    never an extrapolation; one below the model's own base score gives a CEG below 1,
//!    flagged [`DerivedCeg::below_own`](overhang_model::DerivedCeg::below_own) (an upper bound `C_min / C_own` below the whole curve);
//! 4. a curve with 4 or more points is also fitted by a logistic in log10 compute,
//!    `score = floor + (ceiling - floor) / (1 + exp(-(x - midpoint) / scale))` with floor and
//!    ceiling fixed at the benchmark's range ([`fit_logistic`]), and the CEG it gives is
//!    reported beside the interpolated one
//!    ([`LogisticAlternative`](overhang_model::LogisticAlternative), with the whole fit in
//!    [`Derivation::fit`]): their difference measures how much the method matters.
//!
//! Combination rows of enhancements.csv (categories joined by `+`, with `components`) give
//! each an implied kappa ([`combinations()`]), and with `learn = true` the posterior of kappa
//! ([`learn()`]) or, for the pairwise method, of each pair two-component rows inform
//! ([`learn_pairs()`]); see the `combine` module's documentation for the method.
//!
//! The [`infer`] module turns a category's evidence into the posterior of its level at
//! release and its growth, the category's estimates the prior: an exact grid over both, study
//! effects and transfer offsets integrated out by Gauss-Hermite quadrature, with joint draws
//! for the simulation (docs/inference.md).
//!
//! Problems are typed values ([`CalibrateError`], [`CalibrateWarning`]) that name the file,
//! the line and the CSV column; [`calibrate()`] runs [`derive()`] on a loaded assessment,
//! writes every derived CEG into its evidence row, and turns each problem into the same
//! `file:line:column` [`Diagnostic`](overhang_model::Diagnostic) as the loader's. Every problem
//! is collected; none stops the others.
//!
//! # Example
//!
//! ```
//! use overhang_calibrate::{EvidenceRef, derive};
//! use overhang_model::{Censoring, ScalingRow};
//! use overhang_testkit::{ROUNDING, assert_close};
//!
//! let row = |compute: f64, score: f64, enhancement: Option<&str>, line| ScalingRow {
//!     family: "toy".into(),
//!     model: format!("{compute:e}"),
//!     compute,
//!     benchmark: "bench".into(),
//!     score,
//!     enhancement: enhancement.map(Into::into),
//!     source: "a table".into(),
//!     notes: String::new(),
//!     compute_basis: None,
//!     line,
//! };
//! let scaling = [
//!     row(1e20, 10.0, None, 2),
//!     row(1e21, 20.0, None, 3),
//!     row(1e22, 30.0, None, 4),
//!     row(1e23, 40.0, None, 5),
//!     row(1e21, 35.0, Some("tuned"), 6),
//! ];
//! let evidence = [EvidenceRef { id: "tuned", line: 2, derive: true }];
//! let out = derive(&scaling, &evidence);
//! assert!(out.errors.is_empty());
//! let d = &out.derivations[0];
//! assert_close!(d.derived.ceg, 10f64.sqrt() * 10.0, ROUNDING.relative()); // 10^1.5
//! assert_eq!(d.derived.censoring, Censoring::None);
//! ```

mod apply;
mod combine;
mod curve;
mod derive;
mod error;
pub mod infer;
mod logistic;

pub use apply::calibrate;
pub use combine::{DENSITY_BINS, GRID, SD_NODES, combinations, implied_kappa, learn, learn_pairs};
pub use curve::{BasePoint, Crossing, Pool, crossing, pool_adjacent_violators, score_at};
pub use derive::{
    Calibration, DEFAULT_RANGE, Derivation, EvidenceRef, LOGISTIC_MIN_POINTS, METHOD, derive,
    stated_range,
};
pub use error::{CalibrateError, CalibrateWarning, InputFile};
pub use logistic::{Logistic, fit_logistic};

#[doc(no_inline)]
pub use overhang_model::ScalingRow;
