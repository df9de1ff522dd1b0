//! Trend fitting for overhang: CEG against date by OLS, WLS and Theil–Sen with a seeded
//! bootstrap, running-best frontiers, and the growth distributions the projection uses.
//!
//! # Overview
//!
//! [`fit()`] takes an [`Assessment`] and fits, for each category, the base-10 logarithm of
//! each evidence row's central CEG (the median of its estimate) against the row's date as a
//! decimal year, so slopes are in orders of magnitude (OOM) per year:
//!
//! - [`ols`] and [`wls`]: slope, intercept, their standard errors, the slope's 90% interval
//!   (Student t with `n - 2` degrees of freedom), R², the growth factor per year `10^slope`
//!   and the doubling time;
//! - [`theil_sen`]: the median of pairwise slopes with Sen's interval, as
//!   `scipy.stats.theilslopes`, a check that one row does not carry the trend;
//! - [`bootstrap`]: resamples rows with replacement and redraws every CEG from its estimate,
//!   so the spread reflects both the scatter of the rows and their own uncertainty;
//! - [`frontier`]: the running best CEG by date, fitted by OLS too;
//! - [`band`]: the OLS line with the 90% confidence band of its mean, for charts;
//! - [`pooled`]: one common slope with one intercept per category, by OLS and WLS.
//!
//! # Censored rows
//!
//! A CEG may be a bound: `>= 14` (the enhanced small model beats the largest plain one, so the
//! gain is at least that) or `<= 0.8`. Such a row is censored, and treating the bound as the
//! value would bias every slope towards the bounds. So, per category:
//!
//! - the line fit is [`censored_fit`] whenever the category has a bound: censored-normal
//!   maximum likelihood (Tobit-style) of every row, where a bound contributes the probability
//!   that the line puts the CEG beyond it; slope, intercept and sigma with standard errors
//!   from the observed information. It is `CategoryFit::censored`, and the line the category's
//!   growth rests on (`CategoryFit::growth_line`); without bounds that line is OLS;
//! - OLS, WLS, the band and the pooled fits have no place for a bound: they fit the exact rows
//!   alone, and say so when the bounds leave too few;
//! - Theil–Sen has no likelihood to put a bound in: it is computed from the exact rows alone,
//!   a check of the trend of the values that were measured;
//! - the bootstrap is [`censored_bootstrap`] when the category has a bound: it resamples rows
//!   with their censoring (a bound stays a bound, at its value) and refits each resample by
//!   the censored likelihood; resamples without a finite maximum (all bounds on one side,
//!   say) count as invalid;
//! - the frontier (the running best) takes exact rows and lower bounds at their bound (the
//!   best is at least that), and leaves upper bounds out (they cannot set a record).
//!
//! # Task scopes
//!
//! An evidence row may name the task scope it was measured on (the `scope` column). The fits
//! above are those of the average task, of every row: the average task is the average over
//! the benchmarks of all the evidence, a scope's tasks among them, so naming a row's scope
//! never changes the average task's fits. Each declared scope is fitted again, in the same
//! way, on the rows that name it only (`Fits::scopes`); most scopes have few such rows, and
//! their fits say so in the same notes, never fail. `growth = "fit"` written in a scope's
//! overrides takes that scope's fit (`Growth::ScopeFit`), and is refused like any other when
//! it cannot carry a growth claim.
//!
//! # Fits that cannot carry a growth claim
//!
//! Each category's `limits` ([`FitLimit`]) say why its fit cannot support a claim about
//! growth: no line at all, a slope whose 90% interval spans zero, rows from several
//! benchmarks (whose CEGs need not be comparable), or rows all derived from one model family.
//! The trend section says so in a sentence, and [`fitted_growth`] refuses such a fit for
//! `growth = "fit"` ([`TrendError::Unsupported`]) rather than feed noise to the projection.
//!
//! A category needs at least 3 rows on at least 2 dates for a fit. Anything less, a row with
//! extreme leverage (see [`LEVERAGE_CAP`]) or a fit with few degrees of freedom is a sentence
//! in [`Fits::diagnostics`] (and the category's own list), never a panic or a NaN.
//!
//! # Weights
//!
//! WLS weighs each row by the inverse variance of its log10 CEG implied by its 90% interval,
//! `((log10 p95 - log10 p5) / (2 * 1.6449))²` (see [`log10_variance`]). A point value, or an
//! interval that reaches zero, has no such variance: it gets the median variance of the rows
//! that have one, so it counts as a typical row rather than an infinitely precise one. When no
//! row has an interval every row weighs the same and WLS equals OLS.
//!
//! # Growth for the projection
//!
//! A category with `growth = "fit"` gets [`FittedGrowth::StudentT`] from [`fitted_growth`]:
//! its slope (OLS, or the censored fit when it has bounds) plus its standard error times a
//! Student t with the fit's residual degrees of freedom, or, when its own rows are too few,
//! the pooled slope in the same form. The t is
//! used rather than the bootstrap draws because:
//!
//! - it is the exact sampling distribution of the OLS slope under the regression's
//!   assumptions, and its heavy tails at few degrees of freedom carry exactly the doubt that
//!   a handful of rows leaves;
//! - a bootstrap of 3 to 10 rows understates the spread (its variance is biased low by
//!   about `(n - 1) / n`, its distribution is lumpy, and resamples on one date must be
//!   dropped), which would make the forecast look surer than the evidence;
//! - three numbers are easy to report, to diff and to reproduce, and do not depend on the
//!   bootstrap's seed.
//!
//! The bootstrap stays in the results as a check on the t: when their spreads disagree the
//! report shows both. [`Fits::growth_method`] says this in a sentence.
//!
//! # Example
//!
//! ```
//! use overhang_trend::{ols, theil_sen};
//!
//! let years = [2020.0, 2021.0, 2022.0, 2023.0];
//! let log10_ceg = [0.30, 0.52, 0.68, 0.95];
//! let line = ols(&years, &log10_ceg).unwrap();
//! assert!((line.slope - 0.211).abs() < 1e-3);
//! assert!(line.slope_ci90[0] < line.slope && line.slope < line.slope_ci90[1]);
//! let robust = theil_sen(&years, &log10_ceg).unwrap();
//! assert!((robust.slope - 0.2).abs() < 0.05);
//! ```
//!
//! [`Assessment`]: overhang_model::Assessment
//! [`FitLimit`]: overhang_model::results::FitLimit
//! [`Fits::diagnostics`]: overhang_model::results::Fits::diagnostics
//! [`Fits::growth_method`]: overhang_model::results::Fits::growth_method
//! [`FittedGrowth::StudentT`]: overhang_model::FittedGrowth::StudentT

mod bootstrap;
mod censored;
mod fit;
mod frontier;
mod growth;
mod line;
mod numbers;
mod pooled;
mod robust;

pub use bootstrap::bootstrap;
pub use censored::{CensoredError, CensoredFit, censored_bootstrap, censored_fit};
pub use fit::{BAND_POINTS, LEVERAGE_CAP, VARIANCE_FLOOR, fit, leverage_threshold, log10_variance};
pub use frontier::frontier;
pub use growth::{TrendError, fitted_growth};
pub use line::{CONFIDENCE, band, leverage, ols, wls};
pub use pooled::{PooledGroup, pooled};
pub use robust::theil_sen;

/// The sentence [`fit()`] writes into `Fits::growth_method`.
pub const GROWTH_METHOD: &str = "Categories with growth = \"fit\" draw their growth rate from a Student-t distribution centred on the slope of log10 CEG on date (OLS, or the censored-normal maximum-likelihood fit when the category has bounds), scaled by the slope's standard error, with the fit's residual degrees of freedom; a category with too few rows of its own uses the pooled slope (one slope, one intercept per category) in the same way. The t distribution is the exact sampling distribution of the slope under the regression's assumptions and stays honest with a handful of rows, where a bootstrap understates the spread; the bootstrap is reported alongside as a check.";

/// Settings of [`fit()`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Seed of the bootstrap's random streams (each category has its own stream).
    pub seed: u64,
    /// Bootstrap resamples per category; 0 skips the bootstrap.
    pub resamples: usize,
}

impl Default for Options {
    /// Seed 0 and 2,000 resamples.
    fn default() -> Self {
        Self {
            seed: 0,
            resamples: 2000,
        }
    }
}
