//! Why a simulation could not run: the one error type of the crate.

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
    /// The run would need more memory than [`MEMORY_LIMIT`](crate::MEMORY_LIMIT).
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
        /// [`MEMORY_LIMIT`](crate::MEMORY_LIMIT).
        limit: u64,
    },
    /// The horizon grid is empty or its step is zero.
    #[error("expected a horizon step of at least 1 month, found {step_months}")]
    InvalidHorizon {
        /// The step given.
        step_months: u32,
    },
    /// An input produced a value that is not a finite number (or an uplift beyond
    /// [`MAX_UPLIFT_LOG10`](crate::MAX_UPLIFT_LOG10) orders of magnitude).
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
    /// A category frozen at its elicited level (`available = "elicited"`) also states a gap,
    /// which needs an available level to be measured from.
    #[error(
        "category `{category}` (scenario `{scenario}`) is frozen at its elicited level \
         (available = \"elicited\") and states a gap; expected one of the two"
    )]
    GapOfFrozen {
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
