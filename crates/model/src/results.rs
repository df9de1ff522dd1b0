//! The results: one serialisable object that every output is made from.
//!
//! results.json is [`Results`] serialised; the typst report reads it as a virtual JSON file;
//! the Markdown summary and `overhang diff` read it too. Field order is declaration order, so
//! the JSON is byte-stable. Multipliers are plain numbers (`3.1` means 3.1x); months count from
//! the model's release.
//!
//! [`Results::new`] assembles them from the assessment, what the stages computed and the
//! build's provenance; each part of the inputs converts to its output form by a `From` beside
//! its type here, so a new input field is added to its type in `assessment`, to its output type
//! and conversion here, and to the template that shows it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::assessment::{Assessment, Horizon, PendingCeg, ReportMeta, Simulation};
use crate::diagnostic::Diagnostic;

pub use crate::changes::InputChange;
pub use crate::fit_notes::{FitNote, Thin};

mod fits;
mod inference;
mod inputs;
mod policies;
pub use fits::{
    BandPoint, BootstrapSummary, CategoryFit, CensoredLine, FitLimit, Fits, FrontierPoint,
    GrowthLine, LineFit, PooledFit, RobustFit, ScopeFits,
};
pub use inference::{
    BacktestResults, CategoryBacktest, CategoryInferenceOut, InferenceResults,
    InferenceSettingsOut, InfluenceOut, LeftOutOut, OffsetOut, ParamOut, PosteriorOut,
    PredictionOut, PriorOut, PriorsOut, RowOut, RowSdOut, TransferOut,
};
pub use inputs::{
    CategoryInput, ComposabilityInput, ContextInput, EvaluationInput, EvidenceCeg, EvidenceInput,
    InputFile, InputsSummary, Interval90, ModelInput, ProfileInput, ScopeInput, ThresholdInput,
};
pub use policies::{
    Adequacy, CalendarWorth, ClauseInput, FirstLeg, Leg, ProfileGap, SinceEvaluation, TriggerInput,
};

/// The version of the results.json schema. Bump it when a field changes meaning, shape or goes
/// away. Version 2 keys percentiles by level (`{"p5": ..}`) where version 1 wrote arrays;
/// version 3 writes each input change as file, record, field and typed values where version 2
/// wrote an item and two texts.
pub const SCHEMA_VERSION: u32 = 3;

/// The JSON Schema (draft 2020-12) of results.json as this version writes it, generated from
/// [`Results`] and the types it holds: every field's description is its doc comment here,
/// units and the meaning of `null` included.
pub fn schema() -> schemars::Schema {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Results>();
    schema.insert(
        "title".to_owned(),
        format!("overhang results.json, schema version {SCHEMA_VERSION}").into(),
    );
    schema
}

/// Everything a build computed, and what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Results {
    /// [`SCHEMA_VERSION`] at the time of writing.
    pub schema_version: u32,
    /// Title, version and date of the report.
    pub report: ReportInfo,
    /// sha256 over the inputs, the templates, the tool version, the seed and the samples.
    pub fingerprint: String,
    /// The overhang version that built this.
    pub tool_version: String,
    /// Monte Carlo settings.
    pub simulation: SimulationInfo,
    /// The inputs, summarised for the report and for `overhang diff`.
    pub inputs: InputsSummary,
    /// Per scope x scenario, in the order of the assessment (scope by scope).
    pub scenarios: Vec<ScenarioResults>,
    /// Every evidence row's CEG as the fits used it, derived rows included, in the order of
    /// enhancements.csv.
    #[serde(default)]
    pub evidence: Vec<EvidenceCeg>,
    /// Measured combinations of enhancements and, when kappa was learned from them, its prior
    /// and posterior (absent from results written before combinations).
    #[serde(default)]
    pub composability: ComposabilityResults,
    /// One draw of the base case worked by hand for the reader, every input at its median;
    /// absent for the pairwise method (and from results written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worked_draw: Option<WorkedDraw>,
    /// The trend fits of the evidence.
    pub fits: Fits,
    /// How the evidence informed the categories' estimates: priors, posteriors, influence and
    /// the backtest (absent without an enabled `[inference]`, and from results written before
    /// version 0.3.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference: Option<InferenceResults>,
    /// What changed since the latest earlier published version; absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Changes>,
}

/// Where a build's numbers come from, besides the assessment: what [`Results::new`] needs
/// from the build itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// sha256 over the inputs, the templates, the tool version, the seed and the samples.
    pub fingerprint: String,
    /// The overhang version that built this.
    pub tool_version: String,
    /// Samples per independently seeded chunk of the simulation.
    pub chunk_size: u64,
    /// Samples the tornado swings and the headlines at fixed kappa rerun.
    pub tornado_samples: u64,
    /// Every input file with its sha256, sorted by name.
    pub files: Vec<InputFile>,
}

/// What the stages computed from the assessment: the parts of [`Results`] that are neither
/// the inputs nor the build's provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    /// Every scope x scenario, simulated (`overhang-compose`'s `simulate`).
    pub scenarios: Vec<ScenarioResults>,
    /// The sensitivity ranking before and after learning composability, when it was learned
    /// (`overhang-compose`'s `learning_ranking`).
    pub ranking: Option<LearningRanking>,
    /// One draw of the base case worked by hand (`overhang-compose`'s `worked_draw`).
    pub worked_draw: Option<WorkedDraw>,
    /// The trend fits of the evidence (`overhang-trend`).
    pub fits: Fits,
}

impl Results {
    /// The results of a build: the assessment `a` and the warnings its loading gave, as the
    /// outputs show them; what the stages `computed`; and `provenance`.
    ///
    /// Fails when an evidence row written `derive` was never derived: results are built from
    /// a calibrated assessment only.
    pub fn new(
        a: &Assessment,
        warnings: &[Diagnostic],
        provenance: Provenance,
        computed: Computed,
    ) -> Result<Self, PendingCeg> {
        Ok(Results {
            schema_version: SCHEMA_VERSION,
            report: ReportInfo::from(&a.report),
            fingerprint: provenance.fingerprint,
            tool_version: provenance.tool_version,
            simulation: SimulationInfo::new(
                &a.simulation,
                &a.horizon,
                provenance.chunk_size,
                provenance.tornado_samples,
            ),
            inputs: InputsSummary::new(a, provenance.files, warnings)?,
            scenarios: computed.scenarios,
            evidence: a
                .evidence
                .iter()
                .map(EvidenceCeg::try_from)
                .collect::<Result<_, _>>()?,
            composability: ComposabilityResults::new(a, computed.ranking),
            worked_draw: computed.worked_draw,
            fits: computed.fits,
            inference: InferenceResults::new(a),
            changes: None,
        })
    }
}

/// One draw of the base case worked by hand for the reader: every category at the median of
/// its `available` and `elicited` estimates, at release, combined by the base case's method
/// with kappa at its median. As in every draw of the simulation, the elicited level is capped
/// at the available one and levels below 1x count as 0 OOM; caps, the aggregate ceiling and
/// growth do not enter. A draw with every input at its median is not the median draw.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct WorkedDraw {
    /// Kappa's median, the weight of every category after the largest, for the largest-first
    /// method; null for the multiplicative and max methods.
    pub kappa: Option<f64>,
    /// Each category of the base case, in order.
    pub categories: Vec<WorkedCategory>,
    /// `Agg` of the available levels, in orders of magnitude (log10 of the multiplier).
    pub available_oom: f64,
    /// `Agg` of the elicited levels, in orders of magnitude.
    pub elicited_oom: f64,
    /// The uplift at release, `available_oom - elicited_oom` floored at 0, in orders of
    /// magnitude.
    pub uplift_oom: f64,
}

/// One category of the [`WorkedDraw`].
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct WorkedCategory {
    /// The category's id.
    pub category: String,
    /// The median of its available CEG, a multiplier.
    pub available: f64,
    /// The median of its elicited CEG capped at `available`, a multiplier.
    pub elicited: f64,
}

/// Measured combinations and what they did to kappa or to the pairs they inform.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ComposabilityResults {
    /// Every combination row with components: its joint CEG, its parts and the implied kappa.
    pub combinations: Vec<crate::Combination>,
    /// With `learn = true`: the ids of the combination rows the posterior rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learned_from: Option<Vec<String>>,
    /// With `learn = true`: kappa as the assessment estimated it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<crate::Summary>,
    /// With `learn = true`: kappa given the combinations, as the simulation draws it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior: Option<crate::Summary>,
    /// With `learn = true`: `(kappa, prior density, posterior density)` for the chart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub density: Vec<(f64, f64, f64)>,
    /// With `learn = true` and the pairwise method: each pair the combination rows inform,
    /// with its prior and posterior (every other pair keeps its estimate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<crate::PairPosterior>,
    /// With `learn = true`: the sensitivity ranking at the horizon of the first scenario with
    /// composability at its prior and as learned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<LearningRanking>,
    /// For largest-first: kappa's prior as written, with its shape's parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kappa_prior: Option<PriorShape>,
    /// For largest-first with `kappa_alternative`: the alternative prior, with its parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kappa_alternative: Option<PriorShape>,
}

/// A prior as written, its distribution's name and parameters, and three of its quantiles.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PriorShape {
    /// The estimate text, for example `beta(5, 3)`.
    pub estimate: String,
    /// The distribution: `point`, `normal`, `lognormal`, `uniform`, `loguniform`, `beta` or
    /// `triangular`.
    pub distribution: String,
    /// The distribution's parameters by name, in the order the distribution is written
    /// (`alpha`, `beta` for beta; `low`, `high` for uniform; `mu`, `sigma` of `ln x` for
    /// lognormal, which `a to b` intervals are).
    pub parameters: Vec<(String, f64)>,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl From<&crate::Estimate> for PriorShape {
    fn from(e: &crate::Estimate) -> Self {
        use crate::estimate::Distribution as D;
        let named = |pairs: &[(&str, f64)]| {
            pairs
                .iter()
                .map(|&(n, v)| (n.to_owned(), v))
                .collect::<Vec<_>>()
        };
        let (distribution, parameters) = match *e.distribution() {
            D::Point(v) => ("point", named(&[("value", v)])),
            D::Normal { mean, sd } => ("normal", named(&[("mean", mean), ("sd", sd)])),
            D::LogNormal { mu, sigma } => ("lognormal", named(&[("mu", mu), ("sigma", sigma)])),
            D::Uniform { low, high } => ("uniform", named(&[("low", low), ("high", high)])),
            D::LogUniform { low, high } => ("loguniform", named(&[("low", low), ("high", high)])),
            D::Beta { alpha, beta } => ("beta", named(&[("alpha", alpha), ("beta", beta)])),
            D::Triangular { low, mode, high } => (
                "triangular",
                named(&[("low", low), ("mode", mode), ("high", high)]),
            ),
        };
        PriorShape {
            estimate: e.text().to_owned(),
            distribution: distribution.to_owned(),
            parameters,
            p5: e.quantile(0.05),
            p50: e.quantile(0.5),
            p95: e.quantile(0.95),
        }
    }
}

/// The sensitivity ranking of one scenario at one step, with composability drawn from its
/// prior and from its posterior: what learning from the combinations did to the order in which
/// experiments should pin the inputs down.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct LearningRanking {
    /// The scenario's id.
    pub scenario: String,
    /// Months after release.
    pub months: u32,
    /// The ranking with composability at its prior (a simulation without learning).
    pub prior: Vec<SensitivityEntry>,
    /// The ranking with composability learned (the scenario's own sensitivity).
    pub posterior: Vec<SensitivityEntry>,
}

impl LearningRanking {
    /// The rankings at the horizon (the last sensitivity step) of `learned`, a scenario's
    /// results with composability learned, and `prior`, the same scenario simulated with its
    /// prior; `None` when either has no sensitivity.
    pub fn new(learned: &ScenarioResults, prior: &ScenarioResults) -> Option<Self> {
        let post = learned.sensitivity.last()?;
        let before = prior.sensitivity.iter().find(|s| s.months == post.months)?;
        Some(LearningRanking {
            scenario: learned.id.clone(),
            months: post.months,
            prior: before.inputs.clone(),
            posterior: post.inputs.clone(),
        })
    }
}

impl ComposabilityResults {
    /// The combinations of `a`, what the base case learned from them, and the sensitivity
    /// `ranking` before and after learning.
    pub fn new(a: &Assessment, ranking: Option<LearningRanking>) -> Self {
        let learned = a.composability.learned.as_ref();
        ComposabilityResults {
            combinations: a.combinations.clone(),
            learned_from: learned.map(|l| l.rows.clone()),
            prior: learned.map(|l| l.prior),
            posterior: learned.map(|l| l.posterior),
            density: learned.map_or_else(Vec::new, |l| l.density.clone()),
            pairs: a
                .composability
                .learned_pairs
                .iter()
                .map(crate::PairPosterior::from)
                .collect(),
            ranking,
            kappa_prior: largest_first(a, a.composability.kappa.as_ref()),
            kappa_alternative: largest_first(a, a.composability.kappa_alternative.as_ref()),
        }
    }
}

/// The shape of `prior` when the method is largest-first.
fn largest_first(a: &Assessment, prior: Option<&crate::Estimate>) -> Option<PriorShape> {
    (a.composability.method == crate::Method::LargestFirst)
        .then_some(prior)
        .flatten()
        .map(PriorShape::from)
}

/// What changed since the previous published version: the section "Changes since version X".
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Changes {
    /// The version compared with.
    pub since: String,
    /// The author's note on what changed (`[report] changes`), if any.
    pub text: Option<String>,
    /// The headline numbers that moved, in the order of [`Results::headline`].
    pub metrics: Vec<MetricChange>,
    /// The inputs that changed, every field of every input compared (see
    /// [`crate::changes::compare`]).
    pub inputs: Vec<InputChange>,
    /// Whether the previous version's inputs could be read and compared: false when this
    /// overhang cannot load them, and then `inputs` is empty (true in results written before
    /// this field).
    #[serde(default = "compared")]
    pub inputs_compared: bool,
    /// The split of the headline's change (the attributed scenario's median uplift at 12
    /// months) over groups of changed inputs, with the change in the model's rules; absent
    /// when the inputs were not compared, when either version lacks the headline, or when
    /// the previous version's inputs do not run under this version's rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<crate::attribution::Attribution>,
}

fn compared() -> bool {
    true
}

/// A headline number in the previous version and in this one.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct MetricChange {
    /// The metric's stable id, as `overhang diff` names it.
    pub id: String,
    /// For people.
    pub label: String,
    /// What the value measures, for formatting.
    pub unit: MetricUnit,
    /// The previous version's value, when it has the metric.
    pub old: Option<f64>,
    /// This version's value, when it has the metric.
    pub new: Option<f64>,
}

/// What a headline number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricUnit {
    /// An uplift multiplier.
    Multiplier,
    /// A probability.
    Probability,
    /// A growth slope in orders of magnitude per year.
    OomPerYear,
    /// A whole number of months.
    Months,
}

/// Report metadata as it appears in the outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ReportInfo {
    /// Title.
    pub title: String,
    /// Semantic version of the report's content.
    pub version: String,
    /// The report's date, `YYYY-MM-DD`.
    pub date: String,
    /// Authors.
    pub authors: Vec<String>,
    /// The base model's release date: t = 0.
    pub release_date: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// The task scope the CEG estimates refer to.
    pub scope: String,
}

impl From<&ReportMeta> for ReportInfo {
    fn from(r: &ReportMeta) -> Self {
        ReportInfo {
            title: r.title.clone(),
            version: r.version.to_string(),
            date: r.date.to_string(),
            authors: r.authors.clone(),
            release_date: r.release_date.to_string(),
            keywords: r.keywords.clone(),
            scope: r.scope.clone(),
        }
    }
}

/// Monte Carlo settings as run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct SimulationInfo {
    /// Samples per scenario.
    pub samples: u64,
    /// Seed.
    pub seed: u64,
    /// Samples per independently seeded chunk.
    pub chunk_size: u64,
    /// The horizon in months.
    pub horizon_months: u32,
    /// The step of the horizon grid in months.
    pub step_months: u32,
    /// Samples per scenario that the tornado swings and the headlines at fixed kappa rerun:
    /// the first 10,000, or all of them when there are fewer (0 in results written before
    /// this field).
    #[serde(default)]
    pub tornado_samples: u64,
}

impl SimulationInfo {
    /// The settings of `simulation` over `horizon`, run in chunks of `chunk_size` samples,
    /// the first `tornado_samples` of them rerun for the tornado.
    pub fn new(
        simulation: &Simulation,
        horizon: &Horizon,
        chunk_size: u64,
        tornado_samples: u64,
    ) -> Self {
        SimulationInfo {
            samples: simulation.samples,
            seed: simulation.seed,
            chunk_size,
            horizon_months: horizon.months,
            step_months: horizon.step_months,
            tornado_samples,
        }
    }
}

/// One scope x scenario's projection, thresholds, sensitivity and the data behind its charts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ScenarioResults {
    /// Id: the scenario's in the average task, `<scope>-<scenario>` in another scope.
    pub id: String,
    /// The scope's id (`average` for the average task).
    #[serde(default = "average_scope")]
    pub scope: String,
    /// The scenario's own id.
    #[serde(default)]
    pub scenario: String,
    /// Label.
    pub label: String,
    /// The scope's label.
    #[serde(default)]
    pub scope_label: String,
    /// The scenario's own label.
    #[serde(default)]
    pub scenario_label: String,
    /// Description.
    pub description: String,
    /// The overrides applied to the base case, the scope's then the scenario's:
    /// `[field, value]`.
    pub overrides: Vec<(String, String)>,
    /// The uplift multiplier `10^U(t)` at each step of the horizon grid; the row at 0 months
    /// is the gap at release.
    pub projection: Vec<ProjectionPoint>,
    /// The growth after release, `10^(U(t) - U(0))`: what enhancements made after release add
    /// to the gap at release, at 3, 6 and 12 months and at the horizon (within the horizon).
    /// A decline counts as no growth (1x).
    #[serde(default)]
    pub growth_after_release: Vec<GrowthPoint>,
    /// How far below a capability threshold the evaluated system must sit: for tolerances 5%,
    /// 10% and 50%, at release and at 12 months, the multiplier the uplift reaches with that
    /// probability.
    #[serde(default)]
    pub safety_buffer: Vec<SafetyBuffer>,
    /// Per threshold, in the order of the assessment.
    pub thresholds: Vec<ThresholdResult>,
    /// Sensitivity at 12 months and at the horizon.
    pub sensitivity: Vec<Sensitivity>,
    /// Each category's CEG: available, elicited, and at the horizon.
    pub contributions: Vec<Contribution>,
    /// Distributions of the uplift multiplier at 12 months and at the horizon.
    pub histograms: Vec<Histogram>,
    /// Notes about this scenario's run (for example a growth taken from the pooled fit), as
    /// sentences.
    pub notes: Vec<String>,
    /// The headline with kappa held at fixed values (0.2, 0.45, 0.7 and 1), when kappa is an
    /// uncertain input: what the blend over its prior is made of. From the tornado's samples
    /// (the first 10,000), with every other draw unchanged.
    #[serde(default)]
    pub conditional: Vec<Conditional>,
    /// The uplift at the evaluation's inference budget, when `[evaluation]` states
    /// `inference_multiple` and some category an `inference_cost`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_budget: Option<AtBudget>,
    /// The headline under each other evaluation profile (`[evaluation.profiles]`), in their
    /// order; empty without profiles and outside the average task.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<ProfileHeadline>,
    /// Per clause of policies.toml with a calendar leg (accumulated elicitation or a report
    /// period) within the horizon, in registry order: what that many months of enhancement
    /// after the evaluation are worth in effective compute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elicitation_time: Vec<CalendarWorth>,
    /// The inputs ranked for the two policy answers a re-evaluation needs, which are not the
    /// total uplift: the growth over the main step's interval since the last evaluation (how
    /// often to re-evaluate) and the gap at release (whether the evaluation is adequate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answer_sensitivity: Vec<AnswerSensitivity>,
    /// The headline under `[composability] kappa_alternative`, another prior of kappa: what
    /// the choice of the prior's shape does. The average task only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kappa_alternative: Option<KappaAlternative>,
}

/// The scenario rerun (same seed, same streams) with kappa drawn from another prior.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct KappaAlternative {
    /// The prior's estimate text, for example `uniform(0.2, 1)`.
    pub kappa: String,
    /// The uplift multiplier at release, at 12 months (or the nearest step) and at the
    /// horizon.
    pub projection: Vec<ProjectionPoint>,
    /// Per threshold, in the order of the assessment, `P(10^U >= multiplier)` at the steps of
    /// `projection`.
    pub probability: Vec<Vec<f64>>,
}

/// Which policy answer an [`AnswerSensitivity`] ranks the inputs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyAnswer {
    /// The growth after the last evaluation over the main step's interval, `U(t) - U(0)`
    /// floored at 0: what decides how often to re-evaluate.
    SinceEvaluation,
    /// The gap at release, `U(0)`: what decides whether the evaluation is adequate.
    Adequacy,
}

/// The uncertain inputs ranked by their first-order share of the variance of one policy
/// answer's quantity (see [`PolicyAnswer`]), with the same estimator as [`Sensitivity`].
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct AnswerSensitivity {
    /// The answer ranked for.
    pub answer: PolicyAnswer,
    /// The months of growth it measures: the main step's interval for
    /// [`PolicyAnswer::SinceEvaluation`], 0 for [`PolicyAnswer::Adequacy`].
    pub months: u32,
    /// The main step: an index into the scenario's `thresholds` (the first with a cadence).
    pub threshold: usize,
    /// One entry per uncertain input, largest share first.
    pub inputs: Vec<AnswerInput>,
}

/// One uncertain input's share of the variance of a policy answer's quantity.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct AnswerInput {
    /// Dotted input path, for example `categories.reasoning.growth`.
    pub input: String,
    /// Human-readable label.
    pub label: String,
    /// First-order share of the variance, in `[0, 1]`.
    pub first_order: f64,
    /// 1 for the input that explains the most.
    pub rank: u32,
}

/// The uplift when every category is held at what the evaluation's inference budget buys.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct AtBudget {
    /// The budget's estimate text (`inference_multiple`).
    pub budget: String,
    /// The exchange rate's estimate text (`inference_exchange`).
    pub exchange: String,
    /// Per category with an inference cost, in category order, the OOM its level loses.
    pub penalties: Vec<BudgetPenalty>,
    /// The uplift multiplier at 12 months (or the nearest step) and at the horizon.
    pub projection: Vec<ProjectionPoint>,
    /// Per threshold, in the order of the assessment, `P(10^U >= multiplier)` at the steps of
    /// `projection`.
    pub probability: Vec<Vec<f64>>,
}

/// The headline when the pre-release evaluation is another profile: the scenario rerun (same
/// seed, same streams) with the profile's elicited levels.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ProfileHeadline {
    /// The profile's id (the key under `[evaluation.profiles]`).
    pub profile: String,
    /// The uplift multiplier at release, at 12 months (or the nearest step) and at the
    /// horizon.
    pub projection: Vec<ProjectionPoint>,
    /// Per threshold, in the order of the assessment, `P(10^U >= multiplier)` at the steps of
    /// `projection`.
    pub probability: Vec<Vec<f64>>,
}

/// One category's loss at the inference budget.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct BudgetPenalty {
    /// Category id.
    pub category: String,
    /// The estimate text of its `inference_cost`.
    pub cost: String,
    /// Orders of magnitude its log10 CEG is reduced by at the medians of its cost, the budget
    /// and the exchange rate (0 within the budget); the run draws the three per sample.
    pub oom: f64,
}

/// The headline numbers with one input held at a fixed value.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Conditional {
    /// The input's dotted path, for example `composability.kappa`.
    pub input: String,
    /// The value it is held at.
    pub value: f64,
    /// At 12 months (or the nearest step) and at the horizon.
    pub steps: Vec<ConditionalStep>,
}

/// One step of a [`Conditional`].
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ConditionalStep {
    /// Months after release.
    pub months: u32,
    /// The median multiplier.
    pub p50: f64,
    /// Per threshold, in the order of the assessment, `P(10^U >= multiplier)`.
    pub probability: Vec<f64>,
}

/// Quantiles of the uplift multiplier at one step, with Monte Carlo standard errors.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ProjectionPoint {
    /// Months after release.
    pub months: u32,
    /// 5th percentile of `10^U`.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Monte Carlo standard errors of each percentile, in the same (multiplier) units.
    pub se: Quantiles5<f64>,
    /// Mean of `U` (log10 of the multiplier, orders of magnitude).
    pub mean_log10: f64,
    /// Arithmetic mean of the multiplier `10^U`; it weighs the upper tail, so it lies above the
    /// median.
    #[serde(default)]
    pub mean: f64,
    /// Share of draws with no uplift at all (`U = 0`, the multiplier exactly 1): the point mass
    /// that a lower percentile of 1.0x hides. A draw has none when the levels at this step
    /// aggregate to no more than the elicited levels: every category's gap at release (its
    /// available level over its elicited one) and its growth since release are 0, or add
    /// nothing to the aggregate (with kappa at 0 only the largest category counts). It is 0
    /// when every draw has some category with a gap or growth that counts.
    #[serde(default)]
    pub p_no_uplift: f64,
}

/// Quantiles of the growth after release `10^(U(t) - U(0))` at one month.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct GrowthPoint {
    /// Months after release.
    pub months: u32,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// One safety buffer: the multiplier `m` with `P(10^U >= m) = tolerance` at `months`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct SafetyBuffer {
    /// Months after release (0: at release).
    pub months: u32,
    /// The acceptable probability that the uplift exceeds the buffer.
    pub tolerance: f64,
    /// The multiplier: a system evaluated at least this far below a capability threshold
    /// crosses it with probability at most `tolerance`.
    pub multiplier: f64,
}

/// One threshold's crossing probabilities and crossing times.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ThresholdResult {
    /// Label.
    pub label: String,
    /// Multiplier.
    pub multiplier: f64,
    /// `P(10^U(t) >= multiplier)` at each step of the grid, in grid order.
    pub probability: Vec<f64>,
    /// Percentiles of the month of first crossing, in months after release, interpolated
    /// between steps; `null` where that percentile is not reached within the horizon (more
    /// draws than its level never cross).
    pub crossing_months: Quantiles5<Option<f64>>,
    /// Probability of no crossing within the horizon.
    pub p_no_crossing: f64,
    /// `P(10^U(0) >= multiplier)`: the probability that the gap at release alone has reached
    /// the step, so a re-evaluation is due on release day.
    #[serde(default)]
    pub p_exceeded_at_release: f64,
    /// `P(10^(U(t) - U(0)) >= multiplier)` at 3, 6 and 12 months (within the horizon), keyed
    /// by months: the probability that growth after release alone reaches the step, whatever
    /// the gap at release.
    #[serde(default)]
    pub p_growth_alone_exceeds: BTreeMap<u32, f64>,
    /// The policy's re-evaluation interval in months, when the threshold has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence_months: Option<u32>,
    /// The acceptable probability of reaching the threshold between evaluations, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// The id of the clause of policies.toml the step is quoted from, when it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// With a cadence: the probability that the total uplift (the gap at release and the
    /// growth after it) reaches the threshold at some whole month from release to
    /// `cadence_months` after it. Not what a re-evaluation with the same evaluation sees:
    /// see `since_evaluation`.
    #[serde(
        default,
        alias = "p_exceeded_at_cadence",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_uplift_p_within_interval: Option<f64>,
    /// With a tolerance: the longest whole number of months for which the probability that
    /// the total uplift (gap and growth) reaches the threshold stays within the tolerance; 0
    /// when the gap at release alone exceeds it.
    #[serde(
        default,
        alias = "longest_safe_interval_months",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_uplift_longest_interval_months: Option<u32>,
    /// With a cadence or a tolerance: the answers from growth after the last evaluation alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_evaluation: Option<SinceEvaluation>,
    /// With a tolerance: whether the gap at release alone reaches the step, under each
    /// declared evaluation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adequacy: Option<Adequacy>,
    /// With a cadence and a tolerance: which leg, the step reached by growth alone or the
    /// calendar interval, asks for a re-evaluation first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_leg: Option<FirstLeg>,
}

/// The 5th, 50th and 95th percentiles of a quantity, keyed by level.
///
/// Results of schema version 1 wrote these as positional arrays `[p5, p50, p95]`; both forms
/// read back.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(from = "Levels3")]
pub struct Quantiles3 {
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Quantiles3 {
    /// From `[p5, p50, p95]`.
    pub fn from_array([p5, p50, p95]: [f64; 3]) -> Self {
        Quantiles3 { p5, p50, p95 }
    }

    /// As `[p5, p50, p95]`.
    pub fn to_array(self) -> [f64; 3] {
        [self.p5, self.p50, self.p95]
    }
}

/// How [`Quantiles3`] reads: keyed (schema 2) or positional (schema 1).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum Levels3 {
    Keyed { p5: f64, p50: f64, p95: f64 },
    Positional([f64; 3]),
}

impl From<Levels3> for Quantiles3 {
    fn from(l: Levels3) -> Self {
        match l {
            Levels3::Keyed { p5, p50, p95 } => Quantiles3 { p5, p50, p95 },
            Levels3::Positional(a) => Quantiles3::from_array(a),
        }
    }
}

/// The 5th, 25th, 50th, 75th and 95th percentiles of a quantity, keyed by level.
///
/// Results of schema version 1 wrote these as positional arrays `[p5, p25, p50, p75, p95]`;
/// both forms read back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(
    from = "Levels5<T>",
    bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize")
)]
pub struct Quantiles5<T> {
    /// 5th percentile.
    pub p5: T,
    /// 25th percentile.
    pub p25: T,
    /// Median.
    pub p50: T,
    /// 75th percentile.
    pub p75: T,
    /// 95th percentile.
    pub p95: T,
}

impl<T: Copy> Quantiles5<T> {
    /// From `[p5, p25, p50, p75, p95]`.
    pub fn from_array([p5, p25, p50, p75, p95]: [T; 5]) -> Self {
        Quantiles5 {
            p5,
            p25,
            p50,
            p75,
            p95,
        }
    }

    /// As `[p5, p25, p50, p75, p95]`.
    pub fn to_array(self) -> [T; 5] {
        [self.p5, self.p25, self.p50, self.p75, self.p95]
    }
}

/// How [`Quantiles5`] reads: keyed (schema 2) or positional (schema 1).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum Levels5<T> {
    Keyed {
        p5: T,
        p25: T,
        p50: T,
        p75: T,
        p95: T,
    },
    Positional([T; 5]),
}

impl<T> From<Levels5<T>> for Quantiles5<T> {
    fn from(l: Levels5<T>) -> Self {
        match l {
            Levels5::Keyed {
                p5,
                p25,
                p50,
                p75,
                p95,
            }
            | Levels5::Positional([p5, p25, p50, p75, p95]) => Quantiles5 {
                p5,
                p25,
                p50,
                p75,
                p95,
            },
        }
    }
}

pub(crate) fn average_scope() -> String {
    crate::assessment::AVERAGE_SCOPE.to_owned()
}

/// Sensitivity of `U` at one horizon step.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Sensitivity {
    /// Months after release.
    pub months: u32,
    /// The median multiplier with every input free.
    pub median: f64,
    /// One entry per uncertain input, ranked by first-order share (largest first).
    pub inputs: Vec<SensitivityEntry>,
    /// The main step, which [`SensitivityEntry::step_rank`] ranks for: an index into the
    /// scenario's `thresholds`, the first with a cadence (a re-evaluation interval), else the
    /// first; `None` for a scenario without thresholds (and in results written before it).
    #[serde(default)]
    pub main_step: Option<usize>,
}

/// One uncertain input's influence.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct SensitivityEntry {
    /// Dotted input path, for example `categories.scaffolding.available` or
    /// `composability.kappa`.
    pub input: String,
    /// Human-readable label, for example `Scaffolding: available CEG`.
    pub label: String,
    /// First-order share of the variance of `U`, in `[0, 1]`.
    pub first_order: f64,
    /// Median multiplier with the input pinned at its 5th percentile.
    pub median_at_p5: f64,
    /// Median multiplier with the input pinned at its 95th percentile.
    pub median_at_p95: f64,
    /// 1 for the input an experiment should pin down first.
    pub rank: u32,
    /// With the input pinned at its 5th percentile, the probability in `[0, 1]` that the
    /// multiplier at this step is at or above each threshold: one value per threshold, aligned
    /// with the scenario's `thresholds` (same order), over the tornado's samples (empty in
    /// results written before it).
    #[serde(default)]
    pub p_step_at_p5: Vec<f64>,
    /// The same with the input pinned at its 95th percentile.
    #[serde(default)]
    pub p_step_at_p95: Vec<f64>,
    /// Rank by the swing in the probability of reaching the main step
    /// ([`Sensitivity::main_step`]), `|p_step_at_p95 - p_step_at_p5|`, widest first: 1 for the
    /// input that most changes whether the step is reached by this month. 0 without a main
    /// step.
    #[serde(default)]
    pub step_rank: u32,
}

impl SensitivityEntry {
    /// The swing `|P at p95 - P at p5|` in the probability of reaching threshold `step` (an
    /// index into the scenario's `thresholds`), or `None` where it was not computed.
    pub fn step_swing(&self, step: usize) -> Option<f64> {
        Some((self.p_step_at_p95.get(step)? - self.p_step_at_p5.get(step)?).abs())
    }
}

/// One category's CEG at release and at the horizon, as quantiles of the multiplier.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Contribution {
    /// Category id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Available at release, multiplier: the input's quantiles in closed form, rounded to 12
    /// significant digits (so an input's `10` reads `10`, not `9.999999999999998`).
    pub available: Quantiles3,
    /// Elicited by the evaluation, multiplier; computed and rounded as `available`.
    pub elicited: Quantiles3,
    /// The gap at release as the inputs state it (available over elicited, at least 1), when
    /// stated, rounded as `available`; without it the elicited level was drawn on its own and
    /// capped at the available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Quantiles3>,
    /// The months after release before the available level can be reached, when the
    /// category has a lag (absent when reachable on release day, and when never reachable:
    /// see `frozen`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_months: Option<Quantiles3>,
    /// True when the category stays at what the release shipped with for the whole horizon
    /// (`lag_months = "never"`, or `available = "elicited"`): its available level is then out
    /// of the actor's reach and adds nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub frozen: bool,
    /// `10^L_c` at the horizon, after growth and cap, multiplier.
    pub at_horizon: Quantiles3,
}

/// A histogram of `U` (log10 of the multiplier) at one step.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Histogram {
    /// Months after release.
    pub months: u32,
    /// Bin edges in log10 units, ascending; one more than `fractions`.
    pub edges_log10: Vec<f64>,
    /// Fraction of samples in each bin; sums to 1 with the tails folded into the end bins.
    pub fractions: Vec<f64>,
    /// The last bin is an overflow bin: this fraction of the samples lies past the last edge
    /// and is counted in the last bin's fraction, which is therefore no bar of one bin's width.
    /// 0 in results written before this field.
    #[serde(default)]
    pub overflow: f64,
}

/// A growth distribution derived from a fit, handed from the trend stage to the simulation
/// for categories with `growth = "fit"`.
#[derive(Debug, Clone, PartialEq)]
pub enum FittedGrowth {
    /// `location + scale * T` with `T` Student-t with `df` degrees of freedom.
    StudentT {
        /// Slope estimate, OOM per year.
        location: f64,
        /// Its standard error.
        scale: f64,
        /// Residual degrees of freedom.
        df: f64,
        /// Where it came from, as a sentence for the report.
        origin: String,
    },
}

#[cfg(test)]
mod prior_shape_tests {
    use super::PriorShape;
    use crate::Estimate;
    use overhang_testkit::{Tolerance, assert_close};

    #[test]
    fn a_beta_prior_names_its_shape_parameters_and_quantiles() {
        let shape = PriorShape::from(&Estimate::parse("beta(5, 3)").unwrap());
        assert_eq!(shape.estimate, "beta(5, 3)");
        assert_eq!(shape.distribution, "beta");
        assert_eq!(
            shape.parameters,
            [("alpha".to_owned(), 5.0), ("beta".to_owned(), 3.0)]
        );
        // scipy.stats.beta(5, 3).ppf([0.05, 0.5, 0.95]): 0.34126, 0.63588, 0.87124.
        for (got, want) in [
            (shape.p5, 0.34126),
            (shape.p50, 0.63588),
            (shape.p95, 0.87124),
        ] {
            assert_close!(got, want, Tolerance::decimals(4), "{got} vs {want}");
        }
    }
}
