//! The assessment: everything the inputs say, validated and resolved.

use std::fmt;

use serde::Serialize;

pub use crate::date::Date;
use crate::estimate::Estimate;
use crate::scaling::{DerivedCeg, ScalingRow};
pub use crate::version::Version;

/// A validated assessment: the report's metadata, the model's parameters, the evidence, and
/// the scenarios resolved into full parameter sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Report metadata (`[report]`).
    pub report: ReportMeta,
    /// Monte Carlo settings (`[simulation]`).
    pub simulation: Simulation,
    /// The model's structural choices: dependence between draws, the shape of growth and the
    /// aggregate ceiling (`[simulation]`'s model keys and `[composability] ceiling`).
    pub model: Model,
    /// The projection's time grid (`[horizon]`).
    pub horizon: Horizon,
    /// How enhancements combine (`[composability]` plus composability.csv), for the base case.
    pub composability: Composability,
    /// Enhancement categories in file order, for the base case.
    pub categories: Vec<Category>,
    /// Policy thresholds in file order.
    pub thresholds: Vec<Threshold>,
    /// Growth rates to set the implied growth after release beside (`[[context]]`), in file
    /// order; empty when the inputs give none.
    pub context: Vec<ContextFigure>,
    /// What the pre-release evaluation did (`[evaluation]`), which every uplift is measured
    /// over; `None` when the inputs do not say.
    pub evaluation: Option<Evaluation>,
    /// Task scopes: the average task (the base parameters, [`AVERAGE_SCOPE`]) first, then the
    /// `[scopes.<id>]` tables in file order.
    pub scopes: Vec<Scope>,
    /// Every scope x scenario, each a full parameter set, scope by scope: the scope's overrides
    /// applied to the base case, then the scenario's. When the inputs define no scenario, each
    /// scope has one, `base`, with the scope's parameters.
    pub scenarios: Vec<Scenario>,
    /// The evidence rows of enhancements.csv in file order.
    pub evidence: Vec<EvidenceRow>,
    /// The rows of scaling.csv in file order; empty when the inputs have none. Rows of
    /// enhancements.csv written `derive` take their CEG from these (`overhang-calibrate`).
    pub scaling: Vec<ScalingRow>,
    /// What each combination row of the evidence implies (`overhang-calibrate`); empty until
    /// calibration ran.
    pub combinations: Vec<crate::Combination>,
    /// The clauses of policies.toml in file order; empty when the inputs have none.
    pub clauses: Vec<crate::policies::Clause>,
    /// How the evidence informs the categories' estimates (`[inference]`); `None` when the
    /// inputs have no such table (the estimates are used as written).
    pub inference: Option<crate::inference::InferenceInputs>,
    /// Per scope and category, what the inference found (`overhang-calibrate`); empty until
    /// calibration ran, and when the inference is off.
    pub inferred: Vec<crate::inference::CategoryInference>,
    /// The backtest of the average task's categories at the default cutoff
    /// (`overhang-calibrate`); `None` until calibration ran, without an enabled inference, or
    /// when the rows allow no cutoff.
    pub backtest: Option<crate::results::BacktestResults>,
}

impl Assessment {
    /// The inference of `category` in `scope`, when it gave a posterior.
    pub fn posterior_of(
        &self,
        scope: &str,
        category: &str,
    ) -> Option<&crate::inference::CategoryInference> {
        self.inferred.iter().find(|i| {
            i.scope == scope
                && i.category == category
                && i.status == crate::inference::InferenceStatus::Posterior
        })
    }
}

/// The `[report]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportMeta {
    /// Title.
    pub title: String,
    /// Semantic version of the report's content; output goes to `report/v<version>/`.
    pub version: Version,
    /// The report's date: printed and written into the PDF. Never the clock.
    pub date: Date,
    /// Authors, in order.
    pub authors: Vec<String>,
    /// The base model's release: t = 0 of the projection.
    pub release_date: Date,
    /// Keywords for the PDF's metadata.
    pub keywords: Vec<String>,
    /// A short statement of the task scope the CEG estimates refer to.
    pub scope: String,
    /// What a reader of the previous version must know about this one (`[report] changes`),
    /// shown in the section on what changed; `None` when not given or blank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<String>,
}

/// The `[simulation]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Simulation {
    /// Monte Carlo samples per scenario.
    pub samples: u64,
    /// Seed of the random streams.
    pub seed: u64,
}

/// The model's structural choices that are not per category: how the draws depend on each
/// other, how a category grows towards its cap, and an optional ceiling on the aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// `[simulation] correlation`, in [0, 1]: the one-factor Gaussian copula correlation of
    /// the categories' available CEGs (0: independent).
    pub correlation: Estimate,
    /// `[simulation] growth_correlation`, in [0, 1]: the same for the categories' growth rates,
    /// with its own common factor.
    pub growth_correlation: Estimate,
    /// `[simulation] available_elicited_correlation`, in [0, 1]: the Gaussian copula
    /// correlation of a category's elicited CEG with its available CEG.
    pub available_elicited_correlation: Estimate,
    /// `[simulation] growth_shape`: how a category's level moves after release.
    pub growth_shape: GrowthShape,
    /// `[simulation] saturation_years`: the time constant `tau` of saturating growth, in years;
    /// `Some` exactly when the shape is saturating.
    pub saturation_years: Option<Estimate>,
    /// `[composability] ceiling`: an optional ceiling (a multiplier above 0) on the aggregate
    /// `Agg(L)`, and so on `Agg(E)`.
    pub ceiling: Option<Estimate>,
}

impl Default for Model {
    fn default() -> Self {
        let zero = Estimate::point(0.0).expect("0 is finite");
        Self {
            correlation: zero.clone(),
            growth_correlation: zero.clone(),
            available_elicited_correlation: zero,
            growth_shape: GrowthShape::Linear,
            saturation_years: None,
            ceiling: None,
        }
    }
}

impl Model {
    /// True when no draw depends on another: every correlation is the point 0.
    pub fn is_independent(&self) -> bool {
        [
            &self.correlation,
            &self.growth_correlation,
            &self.available_elicited_correlation,
        ]
        .iter()
        .all(|e| e.is_point() && e.median() == 0.0)
    }
}

/// How a category's level `L_c(t)` moves after release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum GrowthShape {
    /// `L_c(t) = min(A_c + g_c t, K_c)`: straight in log space until the cap.
    Linear,
    /// `L_c(t) = A_c + (K_c - A_c)(1 - exp(-t / tau))`: towards the cap, never reaching it;
    /// the growth rate is not used.
    Saturating,
}

impl GrowthShape {
    /// The names used in assessment.toml.
    pub const NAMES: [&'static str; 2] = ["linear", "saturating"];

    /// Parses a name of [`GrowthShape::NAMES`].
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "linear" => Some(Self::Linear),
            "saturating" => Some(Self::Saturating),
            _ => None,
        }
    }

    /// The name used in assessment.toml.
    pub fn name(self) -> &'static str {
        match self {
            Self::Linear => "linear",
            Self::Saturating => "saturating",
        }
    }
}

/// The most samples an assessment may ask for.
pub const MAX_SAMPLES: u64 = 50_000_000;

/// The `[horizon]` table: the projection runs from 0 to `months` in steps of `step_months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Horizon {
    /// The last month of the projection.
    pub months: u32,
    /// The step between projected points.
    pub step_months: u32,
}

impl Horizon {
    /// The months of the grid: 0, step, 2 step, ..., months.
    pub fn grid(&self) -> Vec<u32> {
        (0..=self.months / self.step_months)
            .map(|i| i * self.step_months)
            .collect()
    }
}

/// How the CEGs of several categories combine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Composability {
    /// The aggregation method.
    pub method: Method,
    /// For largest-first: the weight of every category after the largest, in `[0, 1]`.
    pub kappa: Option<Estimate>,
    /// For largest-first: another prior of kappa the headline is computed under as well
    /// (`kappa_alternative`), to show what the choice of the prior's shape does; `None`
    /// for none.
    pub kappa_alternative: Option<Estimate>,
    /// For pairwise: the composability of each listed pair, in `[0, 1]`.
    pub pairs: Vec<PairComposability>,
    /// For pairwise: the composability of pairs composability.csv does not list.
    pub default_pair: Option<Estimate>,
    /// Whether composability is learned from the measured combinations (`learn = true`): the
    /// simulation then draws kappa (largest-first) or each informed pair (pairwise) from its
    /// posterior, the estimate being the prior.
    pub learn: bool,
    /// The standard deviation, in log10, of a measured joint CEG around what the rule predicts.
    pub combination_sd: Option<Estimate>,
    /// With `learn`, the prior and posterior of kappa, once calibration ran.
    pub learned: Option<crate::Learned>,
    /// With `learn` and the pairwise method, the pairs the combination rows inform, each with
    /// its prior and posterior, once calibration ran; the other pairs keep their estimates.
    pub learned_pairs: Vec<crate::LearnedPair>,
}

/// The aggregation over categories of their CEGs in log10 space, `Agg(L)`: each variant says
/// its rule; docs/model.md, "The model", shows where it enters the uplift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Sum of the log CEGs: enhancements stack fully.
    Multiplicative,
    /// The largest log CEG alone: enhancements do not stack at all.
    Max,
    /// The largest, plus kappa times the rest.
    LargestFirst,
    /// Per pair, a composability `c_ij` in [0, 1]: the Choquet integral of the levels with
    /// respect to the capacity `mu(S) = max over i in S of (1 + sum_{j in S, j != i} c_ij)`
    /// (the sum when every `c_ij = 1`, the max when every one is 0).
    Pairwise,
}

impl Method {
    /// The names used in assessment.toml.
    pub const NAMES: [&'static str; 4] = ["multiplicative", "max", "largest-first", "pairwise"];

    /// Parses a name of [`Method::NAMES`].
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "multiplicative" => Some(Self::Multiplicative),
            "max" => Some(Self::Max),
            "largest-first" => Some(Self::LargestFirst),
            "pairwise" => Some(Self::Pairwise),
            _ => None,
        }
    }

    /// The name used in assessment.toml.
    pub fn name(self) -> &'static str {
        match self {
            Self::Multiplicative => "multiplicative",
            Self::Max => "max",
            Self::LargestFirst => "largest-first",
            Self::Pairwise => "pairwise",
        }
    }
}

/// The composability of one pair of categories (a row of composability.csv).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairComposability {
    /// One category id.
    pub a: String,
    /// The other category id.
    pub b: String,
    /// 1: they stack fully; 0: only the larger counts.
    pub composability: Estimate,
}

/// One enhancement category and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    /// The key under `[categories]`.
    pub id: String,
    /// Human-readable name.
    pub label: String,
    /// CEG of the best such enhancements at release, on the task scope (a multiplier > 0), or
    /// the elicited level of the same draw.
    pub available: Available,
    /// CEG the pre-release evaluation already captured (a multiplier > 0; 1 means none).
    /// Used only without a [`Category::gap`]: drawn on its own and capped at the available
    /// level in every draw (the rule of versions before 0.3.0, kept so their inputs rebuild).
    pub elicited: Estimate,
    /// The gap at release: the multiplier (at least 1) by which the available level exceeds
    /// what the evaluation captured. When set, the elicited level of each draw is
    /// `E = max(A - G, 0)` in log10, so the gap the inputs state is the gap the model uses.
    pub gap: Option<Estimate>,
    /// The months after release before the scenario's actor can reach the available level;
    /// until then the category stays at what the release shipped with (its elicited level).
    /// `None`: reachable on release day.
    pub lag_months: Option<Lag>,
    /// Growth of log10 CEG after release, in orders of magnitude per year.
    pub growth: Growth,
    /// Optional ceiling on the category's CEG (a multiplier > 0).
    pub cap: Option<Estimate>,
    /// The inference compute per task that the available level needs, as a multiple of plain
    /// sampling (a multiplier > 0), when estimated.
    pub inference_cost: Option<Estimate>,
    /// Why these values: the sources and the reasoning behind each assumption.
    pub rationale: String,
    /// Whether the evidence informs the category's estimates when `[inference]` is enabled
    /// (`infer`, true by default); with `false` they are used as written.
    pub infer: bool,
    /// The posterior the simulation draws this category's level at release and growth from,
    /// when the inference gave one and the scenario keeps the estimate it was the prior of
    /// (`overhang-calibrate` sets it); `None`: the estimates are drawn as written.
    #[serde(skip)]
    pub posterior: Option<crate::inference::PosteriorDraw>,
}

/// A category's available CEG at release.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Available {
    /// An estimate of the multiplier.
    Estimate(Estimate),
    /// `"elicited"`: in every draw, the category's elicited level, so nothing is available
    /// beyond what the evaluation captured (a frozen category; with growth 0 it adds no uplift).
    Elicited,
}

impl Available {
    /// The word that writes [`Available::Elicited`] in assessment.toml.
    pub const ELICITED: &'static str = "elicited";

    /// The value as written.
    pub fn text(&self) -> &str {
        match self {
            Self::Estimate(e) => e.text(),
            Self::Elicited => Self::ELICITED,
        }
    }

    /// The estimate, unless the category takes its elicited level.
    pub fn estimate(&self) -> Option<&Estimate> {
        match self {
            Self::Estimate(e) => Some(e),
            Self::Elicited => None,
        }
    }
}

impl fmt::Display for Available {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

/// When a category's available level becomes reachable after release.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Lag {
    /// An estimate of the months after release (at least 0).
    Months(Estimate),
    /// `"never"`: not within any horizon; the category stays at what the release shipped with
    /// (reasoning training without the weights, say).
    Never,
}

impl Lag {
    /// The word that writes [`Lag::Never`] in assessment.toml.
    pub const NEVER: &'static str = "never";

    /// The value as written.
    pub fn text(&self) -> &str {
        match self {
            Self::Months(e) => e.text(),
            Self::Never => Self::NEVER,
        }
    }
}

impl fmt::Display for Lag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

/// A category's growth rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Growth {
    /// An estimate in OOM per year.
    Estimate(Estimate),
    /// From the trend fit of the average task's evidence: `growth = "fit"` written in
    /// `[categories]` or in a scenario.
    Fit,
    /// From the trend fit of one scope's evidence (the rows whose `scope` column names it):
    /// `growth = "fit"` written in `[scopes.<id>]`. Holds the scope's id.
    ScopeFit(String),
}

impl Growth {
    /// The key of this growth's fitted distribution in the map the trend stage hands to the
    /// simulation (see [`fitted_key`]), when the growth comes from a fit.
    pub fn fitted_key(&self, category: &str) -> Option<String> {
        match self {
            Self::Estimate(_) => None,
            Self::Fit => Some(fitted_key(AVERAGE_SCOPE, category)),
            Self::ScopeFit(scope) => Some(fitted_key(scope, category)),
        }
    }
}

/// The key of a category's fitted growth in a scope: the category id for the average task,
/// `<scope>.<category>` for another scope (ids have no `.`, so keys cannot collide).
pub fn fitted_key(scope: &str, category: &str) -> String {
    if scope == AVERAGE_SCOPE {
        category.to_owned()
    } else {
        format!("{scope}.{category}")
    }
}

impl fmt::Display for Growth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Estimate(e) => e.fmt(f),
            Self::Fit | Self::ScopeFit(_) => f.write_str("fit"),
        }
    }
}

/// The `[evaluation]` table: the pre-release evaluation that the `elicited` estimates stand
/// for, so a reader knows what every uplift is measured over.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The evaluation in words: what was run, how, and with what budget.
    pub description: String,
    /// The tools the model was given; empty when not stated.
    pub tools: String,
    /// The agent scaffold; empty when not stated.
    pub scaffold: String,
    /// Whether the evaluation fine-tuned the model for the tasks, when stated.
    pub fine_tuning: Option<bool>,
    /// Samples drawn per task, when stated (at least 1).
    pub samples_per_task: Option<u32>,
    /// How a pass is scored (for example `pass@1`); empty when not stated.
    pub scoring: String,
    /// The inference budget per task, in words; empty when not stated.
    pub inference_budget: String,
    /// The inference compute per task the evaluation spent, as a multiple of plain sampling
    /// (a multiplier > 0), when stated: the budget the uplift at the budget is held to.
    pub inference_multiple: Option<Estimate>,
    /// The exchange rate between inference and training: orders of magnitude of inference
    /// per task that buy what one order of magnitude of training compute buys (> 0).
    pub inference_exchange: Estimate,
    /// Other evaluations (`[evaluation.profiles.<id>]`) the headline is also given for, in
    /// file order; empty when none is declared.
    pub profiles: Vec<EvaluationProfile>,
}

/// Another pre-release evaluation than the one the `elicited` estimates stand for, such as
/// "fine-tuned, pass@10": the same model under a different standard, described by the
/// `elicited` levels it changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationProfile {
    /// The key under `[evaluation.profiles]`.
    pub id: String,
    /// Human-readable name.
    pub label: String,
    /// The evaluation in words.
    pub description: String,
    /// The categories whose elicited level this evaluation changes, and the level, in file
    /// order.
    pub elicited: Vec<(String, Estimate)>,
    /// The categories whose gap at release this evaluation changes, and the gap, in file
    /// order (see [`Category::gap`]).
    pub gap: Vec<(String, Estimate)>,
}

impl Evaluation {
    /// The default of `inference_exchange`: 1 to 2 OOM of inference per OOM of training
    /// (Epoch AI's training-inference trade-off).
    pub const DEFAULT_EXCHANGE: &'static str = "1 to 2";
}

/// The orders of magnitude a category's log10 CEG loses at an inference budget: a category
/// whose available level needs inference `cost` per task (a multiple of plain sampling) above
/// the budget `budget` keeps what the budget buys, its level reduced by
/// `log10(cost / budget) / exchange` OOM (`exchange` OOM of inference per OOM of training);
/// 0 when the cost is within the budget. Takes the medians of the three estimates.
pub fn budget_penalty(cost: &Estimate, budget: &Estimate, exchange: &Estimate) -> f64 {
    let ratio = cost.median() / budget.median();
    let r = exchange.median();
    if ratio > 1.0 && r > 0.0 {
        libm::log10(ratio) / r
    } else {
        0.0
    }
}

/// A policy threshold on effective compute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// Label shown in the report.
    pub label: String,
    /// The effective-compute multiplier (> 1).
    pub multiplier: f64,
    /// The policy the threshold comes from, with its source.
    pub policy: String,
    /// The policy's scheduled re-evaluation interval in months, when it has one (at most the
    /// horizon).
    pub cadence_months: Option<u32>,
    /// The acceptable probability of reaching the threshold between two evaluations, in
    /// `[0, 1)`.
    pub tolerance: Option<f64>,
    /// The policy's name (`Anthropic Responsible Scaling Policy`); empty when not given.
    pub policy_name: String,
    /// The version of the policy the step is quoted from (`2.0`); empty when not given.
    pub policy_version: String,
    /// When that version was published, `YYYY-MM` or `YYYY-MM-DD`.
    pub policy_date: Option<Date>,
    /// What superseded that version, with its date and source, when a later version replaced
    /// it before the report's date; empty for a version still in force.
    pub superseded_by: String,
    /// The id of the clause of policies.toml the step is quoted from, when the threshold names
    /// one; the policy fields above are then the clause's.
    pub clause: Option<String>,
}

/// A growth rate from outside the model (`[[context]]`), such as pre-training algorithmic
/// progress, that the growth after release is compared with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContextFigure {
    /// What grows, for the report.
    pub label: String,
    /// The growth as a multiplier per year (above 0).
    pub per_year: Estimate,
    /// The source, a URL or a citation.
    pub source: String,
}

/// The id of the implicit scope every assessment has: the average task, with the base
/// parameters.
pub const AVERAGE_SCOPE: &str = "average";

/// A task scope: overrides of the categories' parameters for a kind of task (for example
/// agentic cyber tasks), applied before a scenario's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scope {
    /// The key under `[scopes]`, or [`AVERAGE_SCOPE`].
    pub id: String,
    /// Human-readable name.
    pub label: String,
    /// What the scope covers and where its overrides come from.
    pub description: String,
    /// The overrides as written: dotted field path and value text, in file order.
    pub overrides: Vec<(String, String)>,
    /// The categories with the scope's overrides applied to the base case (before any
    /// scenario's): the priors of the scope's inference.
    #[serde(skip)]
    pub categories: Vec<Category>,
}

/// A named set of parameters: the base case with a scope's and a scenario's overrides applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// The scenario's id in the average task (the key under `[scenarios]`, or `base`);
    /// `<scope>-<scenario>` in another scope.
    pub id: String,
    /// Human-readable name: the scenario's label, after the scope's in another scope.
    pub label: String,
    /// What the scenario represents.
    pub description: String,
    /// The scope's id.
    pub scope: String,
    /// The scope's label.
    pub scope_label: String,
    /// The scenario's own id: the key under `[scenarios]`, or `base`.
    pub scenario: String,
    /// The scenario's own label.
    pub scenario_label: String,
    /// The overrides as written, the scope's then the scenario's: dotted field path and value
    /// text, in file order.
    pub overrides: Vec<(String, String)>,
    /// The resolved composability.
    pub composability: Composability,
    /// The resolved categories.
    pub categories: Vec<Category>,
}

/// How directly an evidence row's value was read from its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Grade {
    /// Read in the original source (the paper, the lab's own report).
    Primary,
    /// Computed on a fitted scaling curve: a CEG derived from the benchmark scores of
    /// scaling.csv (`derive`), themselves read in their sources.
    Measured,
    /// Read only in a secondary account of the source.
    Secondary,
    /// A judgement, not a published figure; the notes say why.
    Assumption,
}

impl Grade {
    /// The names used in enhancements.csv.
    pub const NAMES: [&'static str; 4] = ["primary", "measured", "secondary", "assumption"];

    /// The name used in enhancements.csv.
    pub fn name(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::Measured => "measured",
            Self::Secondary => "secondary",
            Self::Assumption => "assumption",
        }
    }
}

/// What an evidence row's enhancement was measured on top of (the `estimand` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Estimand {
    /// The enhancement applied to a pre-trained base model, which a released frontier model
    /// already contains in some form (chain of thought or instruction tuning on a 2022 pretrained model).
    Base,
    /// The enhancement applied on top of an already post-trained model: the gain a released
    /// model can still get.
    PostTrained,
    /// One enhancement measured against another (a fine-tuned model against another lab's
    /// instruct model of the same base family).
    VersusPte,
}

impl Estimand {
    /// The names used in enhancements.csv.
    pub const NAMES: [&'static str; 3] = ["base", "post_trained", "versus_pte"];

    /// The name used in enhancements.csv.
    pub fn name(self) -> &'static str {
        match self {
            Self::Base => "base",
            Self::PostTrained => "post_trained",
            Self::VersusPte => "versus_pte",
        }
    }

    /// The estimand named `name` in enhancements.csv.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "base" => Some(Self::Base),
            "post_trained" => Some(Self::PostTrained),
            "versus_pte" => Some(Self::VersusPte),
            _ => None,
        }
    }
}

/// What an evidence row's benchmark measures (the `metric` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceMetric {
    /// A capability: a score on tasks with right answers (the default).
    #[default]
    Capability,
    /// A preference between outputs (human raters' win rate): never enters a capability fit.
    Preference,
}

impl EvidenceMetric {
    /// The names used in enhancements.csv.
    pub const NAMES: [&'static str; 2] = ["capability", "preference"];

    /// The name used in enhancements.csv.
    pub fn name(self) -> &'static str {
        match self {
            Self::Capability => "capability",
            Self::Preference => "preference",
        }
    }
}

/// One observed enhancement: a row of enhancements.csv.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRow {
    /// Unique id.
    pub id: String,
    /// Name of the enhancement.
    pub name: String,
    /// Category id; one of the assessment's categories, or for a combination row several
    /// joined by `+` (`tool_use+solution_choice`): enhancements measured together.
    pub category: String,
    /// The benchmark the CEG was measured on (may be empty).
    pub benchmark: String,
    /// The CEG, a multiplier: written in the row, waiting for calibration to derive it from
    /// scaling.csv (`derive`), or derived.
    pub ceg: Ceg,
    /// When the enhancement was published.
    pub date: Date,
    /// URL or citation.
    pub source: String,
    /// Evidence grade.
    pub evidence: Grade,
    /// Notes; for assumptions, the reason.
    pub notes: String,
    /// For a combination row: the ids of the single-enhancement rows measured on the same
    /// model and benchmark (the `components` column); empty otherwise.
    pub components: Vec<String>,
    /// The task scope the row was measured on: the id of a `[scopes.<id>]` table, or
    /// [`AVERAGE_SCOPE`] when the optional `scope` column is empty. A scope's trend fits use
    /// its rows only; the average task's use every row.
    pub scope: String,
    /// The inference compute per task the enhancement used, as a multiple of plain sampling
    /// (the optional `inference_cost` column), when the source gives it.
    pub inference_cost: Option<Estimate>,
    /// The study the row belongs to (the optional `study` column): rows of one study or one
    /// analysis share it and the fits treat them as one unit. The row's own id when the
    /// column is absent or empty.
    pub study: String,
    /// What the enhancement was measured on top of (the `estimand` column); `None` when the
    /// column is absent (inputs written before it) or, for an `assumption` row, empty.
    pub estimand: Option<Estimand>,
    /// The other categories the row's enhancement also contains (the `mix` column, category
    /// ids separated by spaces); empty for a single-category enhancement.
    pub mix: Vec<String>,
    /// What the benchmark measures (the `metric` column; `capability` when absent or empty).
    pub metric: EvidenceMetric,
    /// The 1-based line of the row in enhancements.csv.
    pub line: usize,
}

impl EvidenceRow {
    /// True for a row whose CEG carries no information: a lower bound of 1 or less (the
    /// enhancement is at least no worse than nothing). Counts of evidence leave it out.
    pub fn is_uninformative(&self) -> bool {
        self.ceg
            .value()
            .is_some_and(|(e, c)| c == Censoring::Lower && e.central() <= 1.0)
    }

    /// True for a combination row: several categories measured together. Combination rows
    /// inform composability, never a category's trend fit.
    pub fn is_combination(&self) -> bool {
        self.category.contains('+')
    }

    /// The categories of the row: one, or the parts of a combination.
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        self.category.split('+')
    }

    /// The `ceg` field as enhancements.csv writes it: the estimate (`5 to 30`), the bound
    /// (`>= 14`) or `derive`.
    pub fn ceg_as_written(&self) -> String {
        match &self.ceg {
            Ceg::Written {
                estimate,
                censoring: Censoring::None,
            } => estimate.text().to_owned(),
            Ceg::Written {
                estimate,
                censoring,
            } => format!("{} {}", censoring.operator(), estimate.text()),
            Ceg::Pending | Ceg::Derived { .. } => "derive".to_owned(),
        }
    }

    /// The derivation of a row written `derive`, once calibration ran.
    pub fn derivation(&self) -> Option<&DerivedCeg> {
        match &self.ceg {
            Ceg::Derived { derivation, .. } => Some(derivation),
            Ceg::Written { .. } | Ceg::Pending => None,
        }
    }

    /// Takes the CEG calibration derived for this row (written `derive`): its value or bound,
    /// its censoring and how it was found.
    pub fn set_derived(&mut self, derived: DerivedCeg) -> Result<(), crate::EstimateError> {
        self.ceg = Ceg::Derived {
            estimate: Estimate::point(derived.ceg)?,
            derivation: Box::new(derived),
        };
        Ok(())
    }

    /// The row's CEG and censoring, or [`PendingCeg`] naming the row while it waits for
    /// calibration to derive it.
    pub fn known_ceg(&self) -> Result<(&Estimate, Censoring), PendingCeg> {
        self.ceg.value().ok_or_else(|| PendingCeg {
            id: self.id.clone(),
            line: self.line,
        })
    }
}

/// An evidence row's CEG, a multiplier on training compute. A row written `derive` has no
/// value until calibration derives one from scaling.csv: [`Ceg::Pending`] carries none, so
/// every reader decides what a row without a value means (the fits skip it, [`crate::Results`]
/// refuse it) instead of reading a placeholder.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ceg {
    /// Written in the row: an estimate (`5 to 30`), or a bound (`>= 14`) held as a point.
    Written {
        /// The estimate; for a bound, the bound as a point.
        estimate: Estimate,
        /// Whether `estimate` is the value or a bound on it.
        censoring: Censoring,
    },
    /// Written `derive`: calibration has still to derive the value from scaling.csv.
    Pending,
    /// Written `derive` and derived from scaling.csv.
    Derived {
        /// The derived value or bound as a point (the derivation's `ceg`).
        estimate: Estimate,
        /// How the value was derived, with its censoring.
        derivation: Box<DerivedCeg>,
    },
}

impl Ceg {
    /// The value (an estimate, or a bound as a point) and its censoring; `None` while pending.
    pub fn value(&self) -> Option<(&Estimate, Censoring)> {
        match self {
            Ceg::Written {
                estimate,
                censoring,
            } => Some((estimate, *censoring)),
            Ceg::Derived {
                estimate,
                derivation,
            } => Some((estimate, derivation.censoring)),
            Ceg::Pending => None,
        }
    }

    /// The value's estimate; `None` while pending.
    pub fn estimate(&self) -> Option<&Estimate> {
        self.value().map(|(e, _)| e)
    }

    /// Whether the value is a bound; `None` while pending.
    pub fn censoring(&self) -> Option<Censoring> {
        self.value().map(|(_, c)| c)
    }

    /// True for a row written `derive` that calibration has not derived (yet).
    pub fn is_pending(&self) -> bool {
        matches!(self, Ceg::Pending)
    }
}

/// An evidence row whose CEG was never derived: the assessment was not calibrated, or its
/// calibration failed for the row. What results cannot be built from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "evidence row `{id}` (enhancements.csv line {line}) is written `derive` and was never \
     derived: calibrate the assessment before building results"
)]
pub struct PendingCeg {
    /// The row's id.
    pub id: String,
    /// The row's 1-based line in enhancements.csv.
    pub line: usize,
}

/// Whether a CEG is a value or a bound on it (a censored observation).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Censoring {
    /// The CEG is the value (`14`).
    #[default]
    None,
    /// The true CEG is at least the value (`>= 14`): a lower bound.
    Lower,
    /// The true CEG is at most the value (`<= 0.8`): an upper bound.
    Upper,
}

impl Censoring {
    /// The names used in results.json.
    pub const NAMES: [&'static str; 3] = ["none", "lower", "upper"];

    /// The name used in results.json.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Lower => "lower",
            Self::Upper => "upper",
        }
    }

    /// The operator written before a bound in enhancements.csv (`>=`, `<=`), empty for a value.
    pub fn operator(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Lower => ">=",
            Self::Upper => "<=",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizon_grid_includes_both_ends() {
        let h = Horizon {
            months: 12,
            step_months: 3,
        };
        assert_eq!(h.grid(), vec![0, 3, 6, 9, 12]);
    }
}
