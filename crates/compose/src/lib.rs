//! The Monte Carlo engine of overhang: composability aggregation across enhancement
//! categories, post-release uplift on the horizon grid, threshold crossing, and sensitivity.
//!
//! [`simulate`] runs every scenario of an [`Assessment`] and fills one [`ScenarioResults`]
//! each.
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
use std::sync::atomic::AtomicU64;

use overhang_model::assessment::AVERAGE_SCOPE;
use overhang_model::assessment::MAX_SAMPLES;
use overhang_model::results::{
    AtBudget, BudgetPenalty, ProfileHeadline, ProjectionPoint, ScenarioResults,
};
use overhang_model::{Assessment, Evaluation, EvaluationProfile, FittedGrowth, Scenario};

mod answers;
mod engine;
mod kernel;
mod plan;
mod quantiles;
mod sampler;
mod sensitivity;
mod simd;
mod vmath;

pub use answers::OWN_EVALUATION;
pub use kernel::MAX_UPLIFT_LOG10;
pub use sensitivity::TORNADO_SAMPLES;

/// Samples per independently seeded chunk: chunk `k` holds samples `k * CHUNK_SIZE` onwards
/// and draws from `ChaCha` stream `k` of every input.
pub const CHUNK_SIZE: u64 = 4096;

/// The most memory a simulation may plan to use, in bytes.
pub const MEMORY_LIMIT: u64 = 4 << 30;

/// How to run the simulation. Results never depend on these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Worker threads; `None` (or 0) uses rayon's default pool.
    pub threads: Option<usize>,
}

/// Why a simulation could not run or produced no valid numbers.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// The sample count is zero.
    #[error("expected at least 1 sample, found 0")]
    NoSamples,
    /// More samples than the engine accepts.
    #[error("expected at most {max} samples, found {samples}")]
    TooManySamples {
        /// Samples asked for.
        samples: u64,
        /// The most accepted.
        max: u64,
    },
    /// The run would need more memory than [`MEMORY_LIMIT`].
    #[error(
        "a simulation of {samples} samples over {steps} horizon steps would need about {} MiB, \
         more than the limit of {} MiB; use fewer horizon steps",
        bytes >> 20,
        limit >> 20
    )]
    TooMuchMemory {
        /// Samples asked for.
        samples: u64,
        /// Horizon steps.
        steps: usize,
        /// Estimated bytes.
        bytes: u64,
        /// [`MEMORY_LIMIT`].
        limit: u64,
    },
    /// The horizon grid is empty or its step is zero.
    #[error("expected a horizon step of at least 1 month, found {step_months}")]
    InvalidHorizon {
        /// The step given.
        step_months: u32,
    },
    /// An input produced a value that is not a finite number (or an uplift beyond
    /// [`MAX_UPLIFT_LOG10`] orders of magnitude).
    #[error(
        "`{input}` in scenario `{scenario}` produced a value that is not a finite number \
         (or an uplift beyond 10^300); check its parameters"
    )]
    NonFinite {
        /// The input's dotted path, for example `categories.data.growth`.
        input: String,
        /// Scenario id.
        scenario: String,
    },
    /// A category has `growth = "fit"` but no fitted growth was given for it.
    #[error(
        "category `{category}` (scenario `{scenario}`) has growth = \"fit\" but the trend stage \
         gave no fitted growth for it"
    )]
    MissingFit {
        /// Category id.
        category: String,
        /// Scenario id.
        scenario: String,
    },
    /// The composability method needs a parameter the assessment does not give.
    #[error("scenario `{scenario}` needs {what}, found none")]
    MissingComposability {
        /// Scenario id.
        scenario: String,
        /// What is missing.
        what: String,
    },
    /// A threshold multiplier is not a finite number above 0.
    #[error("threshold `{label}` has multiplier {multiplier}; expected a finite number above 0")]
    InvalidThreshold {
        /// Label.
        label: String,
        /// Multiplier.
        multiplier: f64,
    },
    /// The worker thread pool could not start.
    #[error("could not start {threads} worker threads: {message}")]
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// The reason.
        message: String,
    },
}

/// `10^x`.
pub(crate) fn pow10(x: f64) -> f64 {
    libm::pow(10.0, x)
}

/// Refuses a run whose sample count is out of range or whose planned memory, with a typical
/// number of thresholds and categories, exceeds [`MEMORY_LIMIT`]. [`simulate`] checks the
/// exact figures itself before allocating anything.
pub fn check_memory(samples: u64, steps: usize) -> Result<(), SimError> {
    check(samples, steps, steps + 16, 64, rayon::current_num_threads())
}

fn check(
    samples: u64,
    steps: usize,
    columns: usize,
    slots: usize,
    threads: usize,
) -> Result<(), SimError> {
    if samples == 0 {
        return Err(SimError::NoSamples);
    }
    if samples > MAX_SAMPLES {
        return Err(SimError::TooManySamples {
            samples,
            max: MAX_SAMPLES,
        });
    }
    let bytes = planned_bytes(samples, columns, slots, threads);
    if bytes > MEMORY_LIMIT {
        return Err(SimError::TooMuchMemory {
            samples,
            steps,
            bytes,
            limit: MEMORY_LIMIT,
        });
    }
    Ok(())
}

/// The memory a run plans to hold at its peak, in bytes.
fn planned_bytes(samples: u64, columns: usize, slots: usize, threads: usize) -> u64 {
    let cols = columns as u64;
    let n_chunks = samples.div_ceil(CHUNK_SIZE);
    let pilot = engine::pilot_chunks(samples, columns);
    let pilot_store = pilot * CHUNK_SIZE * cols * 8;
    // U at (at most) two histogram steps, for every sample.
    let held = n_chunks * CHUNK_SIZE * 2 * 8;
    let workers = (threads as u64 * 4).clamp(1, n_chunks);
    let hist = cols * quantiles::NBINS as u64 * 4;
    let per_worker = hist + (slots as u64 + cols) * CHUNK_SIZE * 10;
    let lookup = cols * quantiles::NBINS as u64 * 4;
    // Gathered in the brackets (up to their budget), or collected in a second pass; and a copy
    // while merging.
    let collect = engine::GATHER_BUDGET.max(quantiles::COLLECT_BUDGET) * 8 * 2;
    let tornado = TORNADO_SAMPLES * (slots as u64 + 8) * 8 * (threads as u64 + 1);
    pilot_store + held + workers * per_worker + lookup + collect + tornado
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
            .install(|| run(assessment, fitted, progress)),
        _ => run(assessment, fitted, progress),
    }
}

fn run(
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
    progress: Option<&(dyn Fn(u64, u64) + Sync)>,
) -> Result<Vec<ScenarioResults>, SimError> {
    let n = assessment.simulation.samples;
    let horizon = assessment.horizon;
    if horizon.step_months == 0 {
        return Err(SimError::InvalidHorizon {
            step_months: horizon.step_months,
        });
    }
    for t in &assessment.thresholds {
        if !(t.multiplier.is_finite() && t.multiplier > 0.0) {
            return Err(SimError::InvalidThreshold {
                label: t.label.clone(),
                multiplier: t.multiplier,
            });
        }
    }
    let months = horizon.grid();
    let threads = rayon::current_num_threads();
    if n == 0 {
        return Err(SimError::NoSamples);
    }
    let plans = assessment
        .scenarios
        .iter()
        .map(|s| {
            plan::Plan::new(
                s,
                &assessment.model,
                fitted,
                months.clone(),
                &assessment.thresholds,
                assessment.simulation.seed,
            )
            .map(|p| p.with_intervals(answers::intervals(&assessment.clauses)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    for p in &plans {
        check(n, months.len(), p.width(), p.slots.len(), threads)?;
    }
    let total = n.saturating_mul(plans.len() as u64);
    let progress = engine::Progress {
        done: AtomicU64::new(0),
        total,
        callback: progress,
    };
    assessment
        .scenarios
        .iter()
        .zip(&plans)
        .map(|(s, p)| {
            let mut results = engine::run(
                s,
                p,
                &assessment.thresholds,
                n,
                &progress,
                engine::Strategy::default(),
            )?;
            let mut profiles = Vec::new();
            if let Some(evaluation) = &assessment.evaluation {
                results.at_budget = at_budget(s, p, evaluation, assessment, &results)?;
                // Every scope's reruns give the adequacy answers; the average task's headline
                // is also reported.
                profiles = evaluation
                    .profiles
                    .iter()
                    .map(|profile| profile_headline(s, p, profile, assessment, fitted))
                    .collect::<Result<_, _>>()?;
            }
            answers::adequacy(&mut results, assessment, &profiles);
            if s.scope == AVERAGE_SCOPE {
                results.profiles = profiles;
            }
            Ok(results)
        })
        .collect()
}

/// The uplift at the evaluation's inference budget: the scenario rerun (same seed, same
/// streams) with each category whose inference cost exceeds the budget lowered by
/// [`overhang_model::budget_penalty`]; `None` without a budget or without any cost. When no
/// category exceeds the budget, the unconstrained numbers.
fn at_budget(
    scenario: &Scenario,
    plan: &plan::Plan,
    evaluation: &Evaluation,
    assessment: &Assessment,
    unconstrained: &ScenarioResults,
) -> Result<Option<AtBudget>, SimError> {
    let Some(budget) = &evaluation.inference_multiple else {
        return Ok(None);
    };
    if scenario
        .categories
        .iter()
        .all(|c| c.inference_cost.is_none())
    {
        return Ok(None);
    }
    let exchange = &evaluation.inference_exchange;
    let penalties: Vec<f64> = scenario
        .categories
        .iter()
        .map(|c| {
            c.inference_cost.as_ref().map_or(0.0, |cost| {
                overhang_model::budget_penalty(cost, budget, exchange)
            })
        })
        .collect();
    let held;
    let results = if penalties.iter().any(|&p| p > 0.0) {
        let progress = engine::Progress {
            done: AtomicU64::new(0),
            total: assessment.simulation.samples,
            callback: None,
        };
        held = engine::run(
            scenario,
            &plan.at_budget(&penalties),
            &assessment.thresholds,
            assessment.simulation.samples,
            &progress,
            engine::Strategy::default(),
        )?;
        &held
    } else {
        unconstrained
    };
    let (projection, probability) = at_steps(results, &plan.sens_steps);
    Ok(Some(AtBudget {
        budget: budget.text().to_owned(),
        exchange: exchange.text().to_owned(),
        penalties: scenario
            .categories
            .iter()
            .zip(&penalties)
            .filter_map(|(c, &oom)| {
                c.inference_cost.as_ref().map(|cost| BudgetPenalty {
                    category: c.id.clone(),
                    cost: cost.text().to_owned(),
                    oom,
                })
            })
            .collect(),
        projection,
        probability,
    }))
}

/// The headline under another evaluation profile: the scenario rerun (same seed, same
/// streams) with the profile's elicited levels, at release and at the sensitivity steps.
fn profile_headline(
    scenario: &Scenario,
    plan: &plan::Plan,
    profile: &EvaluationProfile,
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
) -> Result<ProfileHeadline, SimError> {
    let mut evaluated = scenario.clone();
    for (id, elicited) in &profile.elicited {
        if let Some(c) = evaluated.categories.iter_mut().find(|c| &c.id == id) {
            c.elicited = elicited.clone();
        }
    }
    let profile_plan = plan::Plan::new(
        &evaluated,
        &assessment.model,
        fitted,
        assessment.horizon.grid(),
        &assessment.thresholds,
        assessment.simulation.seed,
    )?;
    let progress = engine::Progress {
        done: AtomicU64::new(0),
        total: assessment.simulation.samples,
        callback: None,
    };
    let results = engine::run(
        &evaluated,
        &profile_plan,
        &assessment.thresholds,
        assessment.simulation.samples,
        &progress,
        engine::Strategy::default(),
    )?;
    let steps: Vec<usize> = std::iter::once(0)
        .chain(plan.sens_steps.iter().copied())
        .collect();
    let (projection, probability) = at_steps(&results, &steps);
    Ok(ProfileHeadline {
        profile: profile.id.clone(),
        projection,
        probability,
    })
}

/// The projection rows of a run at `steps` (indices into its grid) and, per threshold, the
/// probability of reaching it at each.
fn at_steps(results: &ScenarioResults, steps: &[usize]) -> (Vec<ProjectionPoint>, Vec<Vec<f64>>) {
    let projection = steps
        .iter()
        .map(|&j| results.projection[j].clone())
        .collect();
    let probability = results
        .thresholds
        .iter()
        .map(|t| steps.iter().map(|&j| t.probability[j]).collect())
        .collect();
    (projection, probability)
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
