//! The Monte Carlo engine of overhang: composability aggregation across enhancement
//! categories, post-release uplift on the horizon grid, threshold crossing, and sensitivity.
//!
//! [`simulate`] runs every scenario of an [`Assessment`] and fills one [`ScenarioResults`]
//! each; [`learning_ranking`] reruns the scenario whose composability was learned with its
//! prior, for the ranking before and after learning; [`worked_draw`] works one draw, every
//! input at its median, for the reader.
//!
//! The modules: `plan` turns a scenario into parameter slots and uncertain inputs; `driver`
//! runs the scenarios in order (with their reruns at the inference budget and under other
//! evaluation profiles); `engine` runs one plan over every sample, with `sampler` drawing the
//! inputs, `kernel` evaluating the model on a block of draws (`simd`, `vmath` its fast paths)
//! and `quantiles` finding exact order statistics; `sensitivity` the variance shares and the
//! tornado; `memory` the memory plan checked before anything is allocated; `error` the
//! [`SimError`] every step returns.
//!
//! # The model
//!
//! All arithmetic is in log10 space (orders of magnitude, OOM). For one draw, category `c` has
//! `A_c = log10 available`, `E_c = log10 elicited`, growth `g_c` (OOM per year) and an optional
//! cap `K_c` (infinity without one). Kappa and the pair composabilities are uncertain inputs
//! like any other.
//!
//! - **Level.** At `t` years after release, `L_c(t) = max(min(A_c + g_c t, K_c), 0)`; with
//!   saturating growth, `L_c(t) = max(A' + (K_c - A')(1 - exp(-t / tau)), 0)`, `A' = min(A_c,
//!   K_c)`, `tau` the saturation time constant (growth rates unused). A frozen category
//!   (`available = "elicited"`) has `A_c = E_c` in every draw.
//! - **Dependence.** By default every input is drawn independently. With a correlation, the
//!   available CEGs (and, separately, the growth rates) are coupled by a one-factor Gaussian
//!   copula, and each elicited CEG with its available one (see `plan::Dependence`).
//! - **The evaluation cannot have captured more than was available.** In every draw `E_c` is
//!   replaced by `max(min(E_c, L_c(0)), 0)`: `E_c <= A_c`, and no more than the cap, as the
//!   category never gives more than `K_c`. Elicited and available are drawn separately
//!   (independently unless correlated), so without this a draw could have the evaluation
//!   capture more than existed.
//! - **Aggregation.** Every method is a Choquet integral of the levels with respect to a
//!   capacity `mu` on sets of categories: with the levels in decreasing order
//!   `L_(1) >= ... >= L_(n) >= 0`, `L_(n+1) = 0`, and `A_k` the categories of the `k` largest,
//!   `Agg(L) = sum_k (L_(k) - L_(k+1)) mu(A_k)`. The capacities:
//!   - multiplicative, `mu(S) = |S|`: `Agg = sum_c L_c`;
//!   - max, `mu(S) = 1`: `Agg = max_c L_c`;
//!   - largest-first, `mu(S) = 1 + kappa (|S| - 1)`: `Agg = L_(1) + kappa sum_{k>=2} L_(k)`;
//!   - pairwise, `mu(S) = max over i in S of (1 + sum_{j in S, j != i} c_ij)`, with `c_ij` in
//!     [0, 1] the composability of categories `i` and `j` (1: they stack fully; 0: only the
//!     larger counts).
//!
//!   Each capacity is 1 on a single category, at most `|S|`, and never decreases as a set
//!   grows (for the pairwise one because every `c_ij >= 0`). So every method is monotone (a
//!   level that rises never lowers the total), continuous, and between `max_c L_c` and
//!   `sum_c L_c`; and the pairwise rule is multiplicative when every `c_ij = 1`, max when every
//!   `c_ij = 0` and largest-first when every `c_ij = kappa`. An optional ceiling `C` on the
//!   aggregate replaces `Agg` by `min(Agg, C)`, for what is available and what was evaluated
//!   alike. The first three have the closed
//!   forms above, which the engine computes; the pairwise integral is computed by sorting each
//!   draw's levels, O(n^2) for `n` categories.
//! - **Uplift over what was evaluated.** `U(t) = max(Agg(L(t)) - Agg(E), 0)`, and `10^U(t)` is
//!   the effective-compute multiplier that enhancements add to the system the evaluation
//!   measured. As `E_c <= L_c(0)` and `Agg` is monotone, `U(0) >= 0` before the floor; with
//!   growth that is never negative, `U` never falls, so a threshold crossed within the
//!   horizon is exceeded at the horizon.

//! # Sampling and determinism
//!
//! Every uncertain input is drawn by its exact quantile function from its own `ChaCha8` stream,
//! keyed by the seed and the input's id and numbered by the chunk of [`CHUNK_SIZE`] samples
//! (beta and Student-t inputs use exact non-inversion methods instead, see the `sampler`
//! module). Workers accumulate integers only (histogram counts and fixed-point sums), so the
//! results are bit-identical for any number of threads, across runs and processes. Scenarios
//! share the draws of the inputs they have in common (common random numbers). On x86-64
//! processors with AVX2 the hot loops run from a copy compiled for x86-64-v3, which computes
//! the same bits as the baseline copy, only more lanes at once (module `simd`).
//!
//! # Quantiles without holding every sample
//!
//! The quantiles of `10^U` at each step, of each category's level at the horizon and of the
//! crossing months are exact order statistics (linear interpolation between the two around
//! `(n - 1) p`), found by histogram refinement (module `quantiles`) in a single pass: a coarse
//! histogram of every column locates each wanted rank in a bin, and the values of those bins
//! are kept and sorted. Which bins to keep is decided from a pilot, the first chunks of the
//! run, with a margin of six standard errors. In the rare run where a rank falls outside what
//! was kept, or where the kept values would take more than 256 MiB (very many samples and
//! columns), the chunks are evaluated again to collect what the whole run's histogram asks for,
//! so the results are the same either way and memory stays bounded for any sample count
//! (module `engine`).
//!
//! The Monte Carlo standard error of the quantile at `p` is half the distance between the
//! sample quantiles at `p - d` and `p + d`, `d = sqrt(p (1 - p) / n)`: the order-statistic
//! (binomial) interval of one standard error, mapped to multipliers.
//!
//! Sensitivity (first-order variance shares from the same samples, tornado swings with common
//! random numbers) is described in the `sensitivity` module.
//!
//! # Example
//!
//! ```
//! use std::collections::BTreeMap;
//! use overhang_compose::{Options, simulate};
//! use overhang_model::{InputFiles, load};
//!
//! let toml = r#"
//! [report]
//! title = "Example"
//! version = "0.1.0"
//! date = "2026-01-01"
//! authors = ["A"]
//! release_date = "2026-01-01"
//! [simulation]
//! samples = 5000
//! seed = 1
//! [horizon]
//! months = 24
//! step_months = 6
//! [composability]
//! method = "multiplicative"
//! [categories.tools]
//! label = "Tools"
//! available = "2 to 20"
//! growth = "0.05 to 0.2"
//! rationale = "An example."
//! [[thresholds]]
//! label = "4x"
//! multiplier = 4
//! policy = "An example policy."
//! "#;
//! let csv = "id,name,category,benchmark,ceg,date,source,evidence,notes\n\
//!            r1,Row,tools,,10,2024-01,https://example.org,measured,\n";
//! let files = InputFiles::new(toml, csv);
//! let assessment = load(&files).unwrap().assessment;
//! let results = simulate(&assessment, &BTreeMap::new(), &Options::default(), None).unwrap();
//! let at_two_years = results[0].projection.last().unwrap();
//! assert!(at_two_years.p5 <= at_two_years.p50 && at_two_years.p50 <= at_two_years.p95);
//! ```

#![expect(
    clippy::inline_always,
    reason = "the hot loops are inlined into both the baseline and the AVX2 copy (module simd)"
)]

use std::collections::BTreeMap;

use overhang_model::results::ScenarioResults;
use overhang_model::{Assessment, FittedGrowth};

mod answers;
mod driver;
mod engine;
mod error;
mod kernel;
mod memory;
mod plan;
mod quantiles;
mod ranking;
mod sampler;
mod sensitivity;
mod simd;
mod vmath;
mod worked;

pub use answers::OWN_EVALUATION;
pub use driver::validate;
pub use error::SimError;
pub use kernel::MAX_UPLIFT_LOG10;
pub use memory::{MEMORY_LIMIT, check_memory};
pub use ranking::learning_ranking;
pub use sensitivity::{TORNADO_SAMPLES, tornado_samples};
pub use worked::worked_draw;

/// Samples per independently seeded chunk: chunk `k` holds samples `k * CHUNK_SIZE` onwards
/// and draws from `ChaCha` stream `k` of every input.
pub const CHUNK_SIZE: u64 = 4096;

/// How to run the simulation. Results never depend on these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Worker threads; `None` (or 0) uses rayon's default pool.
    pub threads: Option<usize>,
}

/// `10^x`.
pub(crate) fn pow10(x: f64) -> f64 {
    libm::pow(10.0, x)
}

/// Significant digits kept of a quantile computed in closed form from an input (a category's
/// available and elicited levels, its gap and lag): more than any input states, fewer than the
/// last bits a quantile function's rounding leaves, so `10` is written `10`, not
/// `9.999999999999998`.
pub const ANALYTIC_DIGITS: i32 = 12;

/// `x` rounded to [`ANALYTIC_DIGITS`] significant digits (zero and non-finite values
/// unchanged).
pub(crate) fn round_analytic(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let magnitude = libm::floor(libm::log10(x.abs())) as i32;
    // Scale by an exact power of ten (up to 10^22) so the rounded digits divide back to the
    // double nearest them.
    let shift = ANALYTIC_DIGITS - 1 - magnitude;
    if !(-22..=22).contains(&shift) {
        return x;
    }
    let scale = libm::pow(10.0, f64::from(shift.abs()));
    if shift >= 0 {
        libm::round(x * scale) / scale
    } else {
        libm::round(x / scale) * scale
    }
}

/// Simulates every scenario of the assessment, in its order.
///
/// `fitted` holds the growth distribution of every category whose growth is `fit`, keyed by
/// [`overhang_model::fitted_key`] (its scope and its id). `progress`,
/// when given, is called from worker threads with the samples done so far and the total (the
/// samples of every scenario; a rare second pass, see the crate documentation, is not
/// counted).
pub fn simulate(
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
    options: &Options,
    progress: Option<&(dyn Fn(u64, u64) + Sync)>,
) -> Result<Vec<ScenarioResults>, SimError> {
    match options.threads {
        Some(threads) if threads > 0 => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| SimError::ThreadPool {
                threads,
                message: e.to_string(),
            })?
            .install(|| driver::run(assessment, fitted, progress)),
        _ => driver::run(assessment, fitted, progress),
    }
}

/// An assessment for the unit tests, from its assessment.toml and one evidence row of category
/// `category` (which a `growth = "fit"` category needs).
#[cfg(test)]
pub(crate) fn test_assessment(toml: &str, category: &str) -> Assessment {
    use overhang_model::{InputFiles, load};
    let files = InputFiles::new(
        toml,
        format!(
            "id,name,category,benchmark,ceg,date,source,evidence,notes\n\
             r1,Row,{category},,10,2024-01,https://example.org,measured,\n"
        ),
    );
    load(&files).expect("the test assessment loads").assessment
}

#[cfg(test)]
mod analytic_tests {
    use super::round_analytic;

    /// As results.json would show it: the shortest decimal that reads back as the value.
    fn shown(x: f64) -> String {
        round_analytic(x).to_string()
    }

    #[test]
    fn closed_form_quantiles_lose_the_last_bits_of_rounding() {
        assert_eq!(shown(9.999_999_999_999_998), "10");
        assert_eq!(shown(1.499_999_999_999_999_8), "1.5");
        assert_eq!(shown(3.872_983_346_207_417_5), "3.87298334621");
        assert_eq!(shown(0.000_123_456_789_012_345), "0.000123456789012");
        assert_eq!(shown(1.234_567_890_123_45e15), "1234567890120000");
        assert_eq!(shown(0.0), "0");
        assert_eq!(shown(f64::INFINITY), "inf");
    }
}
