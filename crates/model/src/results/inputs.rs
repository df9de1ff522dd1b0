//! The inputs as results.json records them: each part of the assessment in its output form,
//! converted by a `From` beside its type.

use serde::{Deserialize, Serialize};

use super::average_scope;
use crate::Estimate;
use crate::assessment::{
    Assessment, Category, Ceg, Censoring, Composability, ContextFigure, Evaluation, EvidenceRow,
    Model, PendingCeg, Scope, Threshold,
};
use crate::diagnostic::Diagnostic;
use crate::scaling::DerivedCeg;

/// The inputs as the outputs show them.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct InputsSummary {
    /// Every input file with its sha256, sorted by name.
    pub files: Vec<InputFile>,
    /// The base case's categories.
    pub categories: Vec<CategoryInput>,
    /// The base case's composability.
    pub composability: ComposabilityInput,
    /// Thresholds.
    pub thresholds: Vec<ThresholdInput>,
    /// The clauses of policies.toml, in file order; empty without one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clauses: Vec<super::ClauseInput>,
    /// The model's structural choices: dependence, growth shape, aggregate ceiling (absent from
    /// results written before them: independent draws, linear growth, no ceiling).
    #[serde(default)]
    pub model: ModelInput,
    /// Growth rates outside the model that the growth after release is set beside
    /// (`[[context]]`).
    #[serde(default)]
    pub context: Vec<ContextInput>,
    /// The pre-release evaluation every uplift is measured over, when the inputs state it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<EvaluationInput>,
    /// Task scopes, the average task first (absent from results written before scopes).
    #[serde(default)]
    pub scopes: Vec<ScopeInput>,
    /// Evidence rows.
    pub evidence: Vec<EvidenceInput>,
    /// Warnings from loading the inputs, as sentences, each file named as in the inputs folder.
    pub warnings: Vec<String>,
}

impl InputsSummary {
    /// The base case of `a` as the outputs show it, with its input `files` and the `warnings`
    /// loading gave, each as one line.
    ///
    /// Fails on an evidence row whose CEG was never derived.
    pub fn new(
        a: &Assessment,
        files: Vec<InputFile>,
        warnings: &[Diagnostic],
    ) -> Result<Self, PendingCeg> {
        Ok(InputsSummary {
            files,
            categories: a.categories.iter().map(CategoryInput::from).collect(),
            composability: ComposabilityInput::from(&a.composability),
            thresholds: a.thresholds.iter().map(ThresholdInput::from).collect(),
            clauses: a.clauses.iter().map(super::ClauseInput::from).collect(),
            model: ModelInput::from(&a.model),
            context: a.context.iter().map(ContextInput::from).collect(),
            evaluation: a.evaluation.as_ref().map(EvaluationInput::from),
            scopes: a.scopes.iter().map(ScopeInput::from).collect(),
            evidence: a
                .evidence
                .iter()
                .map(EvidenceInput::try_from)
                .collect::<Result<_, _>>()?,
            warnings: warnings.iter().map(warning_line).collect(),
        })
    }
}

/// A warning as one line, its file named as in the inputs folder (`scaling.csv:20:26`), so a
/// rebuild from a copy of the folder, as `overhang verify` makes, writes the same line.
fn warning_line(d: &Diagnostic) -> String {
    let file = d.file.rsplit('/').next().unwrap_or(&d.file);
    let location = if d.line == 0 {
        file.to_owned()
    } else {
        format!("{file}:{}:{}", d.line, d.column)
    };
    format!("{location} ({}): {}", d.field, d.message)
}

/// An input file and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct InputFile {
    /// Path relative to the inputs folder.
    pub name: String,
    /// Lower-case hex sha256 of its bytes.
    pub sha256: String,
}

/// A category's parameters as written, with the 90% intervals they imply.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CategoryInput {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// The estimate text of `available`.
    pub available: String,
    /// The estimate text of `elicited`.
    pub elicited: String,
    /// The estimate text of `gap` (the available level over what the evaluation captured),
    /// if stated; then `elicited` is not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<String>,
    /// The estimate text of `lag_months`, or `never`, if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_months: Option<String>,
    /// The estimate text of `growth`, or `fit`.
    pub growth: String,
    /// The estimate text of `cap`, if any.
    pub cap: Option<String>,
    /// The estimate text of `inference_cost` (inference per task as a multiple of plain
    /// sampling), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_cost: Option<String>,
    /// The rationale.
    pub rationale: String,
}

impl From<&Category> for CategoryInput {
    fn from(c: &Category) -> Self {
        CategoryInput {
            id: c.id.clone(),
            label: c.label.clone(),
            available: c.available.text().to_owned(),
            elicited: c.elicited.text().to_owned(),
            gap: c.gap.as_ref().map(|e| e.text().to_owned()),
            lag_months: c.lag_months.as_ref().map(|l| l.text().to_owned()),
            growth: c.growth.to_string(),
            cap: c.cap.as_ref().map(|e| e.text().to_owned()),
            inference_cost: c.inference_cost.as_ref().map(|e| e.text().to_owned()),
            rationale: c.rationale.clone(),
        }
    }
}

/// A growth rate outside the model, as written and as numbers.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ContextInput {
    /// What grows.
    pub label: String,
    /// The estimate text of the multiplier per year.
    pub per_year: String,
    /// Its median, a multiplier per year.
    pub median: f64,
    /// Its 90% interval, `[p5, p95]`.
    pub interval: [f64; 2],
    /// The source.
    pub source: String,
}

impl From<&ContextFigure> for ContextInput {
    fn from(c: &ContextFigure) -> Self {
        let (lo, hi) = c.per_year.interval90();
        ContextInput {
            label: c.label.clone(),
            per_year: c.per_year.text().to_owned(),
            median: c.per_year.median(),
            interval: [lo, hi],
            source: c.source.clone(),
        }
    }
}

/// The model's structural choices as written (see [`Model`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ModelInput {
    /// The copula correlation of the categories' available CEGs.
    pub correlation: String,
    /// The copula correlation of the categories' growth rates.
    pub growth_correlation: String,
    /// The copula correlation of each category's elicited with its available CEG.
    pub available_elicited_correlation: String,
    /// `linear` or `saturating`.
    pub growth_shape: String,
    /// The saturation time constant in years, with saturating growth.
    pub saturation_years: Option<String>,
    /// The ceiling on the aggregate, if any.
    pub ceiling: Option<String>,
}

impl Default for ModelInput {
    fn default() -> Self {
        Self::from(&Model::default())
    }
}

impl From<&Model> for ModelInput {
    fn from(m: &Model) -> Self {
        ModelInput {
            correlation: m.correlation.text().to_owned(),
            growth_correlation: m.growth_correlation.text().to_owned(),
            available_elicited_correlation: m.available_elicited_correlation.text().to_owned(),
            growth_shape: m.growth_shape.name().to_owned(),
            saturation_years: m.saturation_years.as_ref().map(|e| e.text().to_owned()),
            ceiling: m.ceiling.as_ref().map(|e| e.text().to_owned()),
        }
    }
}

/// The composability assumptions as written.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ComposabilityInput {
    /// `multiplicative`, `max`, `largest-first` or `pairwise`.
    pub method: String,
    /// The kappa estimate text, for largest-first.
    pub kappa: Option<String>,
    /// The alternative prior of kappa the headline is also computed under, for largest-first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kappa_alternative: Option<String>,
    /// Pairwise composabilities: `[a, b, estimate text]`.
    pub pairs: Vec<(String, String, String)>,
    /// Whether composability is learned from the measured combinations (`learn = true`).
    #[serde(default)]
    pub learn: bool,
}

impl From<&Composability> for ComposabilityInput {
    fn from(c: &Composability) -> Self {
        ComposabilityInput {
            method: c.method.name().to_owned(),
            kappa: c.kappa.as_ref().map(|k| k.text().to_owned()),
            kappa_alternative: c.kappa_alternative.as_ref().map(|k| k.text().to_owned()),
            pairs: c
                .pairs
                .iter()
                .map(|p| (p.a.clone(), p.b.clone(), p.composability.text().to_owned()))
                .collect(),
            learn: c.learn,
        }
    }
}

/// A threshold as written.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ThresholdInput {
    /// Label.
    pub label: String,
    /// Multiplier.
    pub multiplier: f64,
    /// Policy and source.
    pub policy: String,
    /// The policy's re-evaluation interval in months, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence_months: Option<u32>,
    /// The acceptable probability of reaching the threshold between evaluations, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// The policy's name; empty when the inputs do not give it.
    #[serde(default)]
    pub policy_name: String,
    /// The policy version the step is quoted from; empty when not given.
    #[serde(default)]
    pub policy_version: String,
    /// When that version was published (`YYYY-MM` or `YYYY-MM-DD`); `null` when not given.
    #[serde(default)]
    pub policy_date: Option<String>,
    /// What superseded that version before the report's date; empty for a version in force.
    #[serde(default)]
    pub superseded_by: String,
    /// The clause of policies.toml the step is quoted from, when it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
}

impl From<&Threshold> for ThresholdInput {
    fn from(t: &Threshold) -> Self {
        ThresholdInput {
            label: t.label.clone(),
            multiplier: t.multiplier,
            policy: t.policy.clone(),
            cadence_months: t.cadence_months,
            tolerance: t.tolerance,
            policy_name: t.policy_name.clone(),
            policy_version: t.policy_version.clone(),
            policy_date: t.policy_date.map(|d| d.to_string()),
            superseded_by: t.superseded_by.clone(),
            clause: t.clause.clone(),
        }
    }
}

/// The pre-release evaluation as written (`[evaluation]`); empty strings and nulls where the
/// inputs do not say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct EvaluationInput {
    /// The evaluation in words.
    pub description: String,
    /// The tools the model was given.
    pub tools: String,
    /// The agent scaffold.
    pub scaffold: String,
    /// Whether the evaluation fine-tuned the model for the tasks.
    pub fine_tuning: Option<bool>,
    /// Samples drawn per task.
    pub samples_per_task: Option<u32>,
    /// How a pass is scored.
    pub scoring: String,
    /// The inference budget per task.
    pub inference_budget: String,
    /// The estimate text of `inference_multiple`, the inference per task the evaluation spent
    /// as a multiple of plain sampling, if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_multiple: Option<String>,
    /// The estimate text of `inference_exchange`, OOM of inference per OOM of training.
    #[serde(default)]
    pub inference_exchange: String,
    /// Other evaluations the headline is also given for (`[evaluation.profiles]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<ProfileInput>,
}

/// An evaluation profile as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ProfileInput {
    /// Id (the key under `[evaluation.profiles]`).
    pub id: String,
    /// Label.
    pub label: String,
    /// The evaluation in words.
    pub description: String,
    /// The elicited levels it changes: `[category id, estimate text]`, in file order.
    pub elicited: Vec<(String, String)>,
    /// The gaps at release it changes: `[category id, estimate text]`, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gap: Vec<(String, String)>,
}

impl From<&Evaluation> for EvaluationInput {
    fn from(e: &Evaluation) -> Self {
        EvaluationInput {
            description: e.description.clone(),
            tools: e.tools.clone(),
            scaffold: e.scaffold.clone(),
            fine_tuning: e.fine_tuning,
            samples_per_task: e.samples_per_task,
            scoring: e.scoring.clone(),
            inference_budget: e.inference_budget.clone(),
            inference_multiple: e.inference_multiple.as_ref().map(|m| m.text().to_owned()),
            inference_exchange: e.inference_exchange.text().to_owned(),
            profiles: e
                .profiles
                .iter()
                .map(|p| ProfileInput {
                    id: p.id.clone(),
                    label: p.label.clone(),
                    description: p.description.clone(),
                    elicited: p
                        .elicited
                        .iter()
                        .map(|(c, e)| (c.clone(), e.text().to_owned()))
                        .collect(),
                    gap: p
                        .gap
                        .iter()
                        .map(|(c, e)| (c.clone(), e.text().to_owned()))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A task scope as written.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ScopeInput {
    /// Id (`average` for the average task).
    pub id: String,
    /// Label.
    pub label: String,
    /// What it covers and where its overrides come from.
    pub description: String,
    /// The overrides of the base case: `[field, value]`.
    pub overrides: Vec<(String, String)>,
}

impl From<&Scope> for ScopeInput {
    fn from(s: &Scope) -> Self {
        ScopeInput {
            id: s.id.clone(),
            label: s.label.clone(),
            description: s.description.clone(),
            overrides: s.overrides.clone(),
        }
    }
}

/// An evidence row as written, with its central value.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct EvidenceInput {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Category id.
    pub category: String,
    /// Benchmark.
    pub benchmark: String,
    /// The `ceg` field as written: an estimate, a bound (`>= 14`) or `derive`.
    pub ceg: String,
    /// The median of the CEG estimate; for a bound, the bound; for a derived row, the CEG
    /// derived.
    pub ceg_central: f64,
    /// The 90% interval of the CEG estimate as written; null for a bound, for a row written
    /// `derive` (and in results written before this field).
    #[serde(default)]
    pub ceg_interval: Option<Interval90>,
    /// `none`, or `lower`/`upper` for a bound.
    #[serde(default)]
    pub censoring: Censoring,
    /// True when the CEG was derived from scaling.csv.
    #[serde(default)]
    pub derived: bool,
    /// Date as written.
    pub date: String,
    /// The date as a decimal year.
    pub year: f64,
    /// Source.
    pub source: String,
    /// `primary`, `measured`, `secondary` or `assumption`.
    pub evidence: String,
    /// Notes.
    pub notes: String,
    /// The task scope the row was measured on (`average` for the average task; absent from
    /// results written before the `scope` column).
    #[serde(default = "average_scope")]
    pub scope: String,
    /// The estimate text of the row's `inference_cost` (inference per task as a multiple of
    /// plain sampling); null when the row does not give one (and in results written before the
    /// column).
    #[serde(default)]
    pub inference_cost: Option<String>,
    /// The study the row belongs to: rows of one study or one analysis share it and the fits
    /// treat them as one unit (the row's id when the input gives none; absent from results
    /// written before the `study` column).
    #[serde(default)]
    pub study: Option<String>,
    /// What the enhancement was measured on top of: `base` (a pre-trained base model),
    /// `post_trained` (an already post-trained model) or `versus_pte` (against another
    /// enhancement); null when the input does not say.
    #[serde(default)]
    pub estimand: Option<String>,
    /// The other categories the row's enhancement also contains (empty for a
    /// single-category enhancement).
    #[serde(default)]
    pub mix: Vec<String>,
    /// `capability` or `preference` (a preference row never enters a capability fit);
    /// `capability` in results written before the column.
    #[serde(default = "capability")]
    pub metric: String,
}

fn capability() -> String {
    "capability".to_owned()
}

impl TryFrom<&EvidenceRow> for EvidenceInput {
    type Error = PendingCeg;

    /// Fails on a row whose CEG was never derived.
    fn try_from(r: &EvidenceRow) -> Result<Self, PendingCeg> {
        let (estimate, censoring) = r.known_ceg()?;
        Ok(EvidenceInput {
            id: r.id.clone(),
            name: r.name.clone(),
            category: r.category.clone(),
            benchmark: r.benchmark.clone(),
            ceg: r.ceg_as_written(),
            ceg_central: estimate.central(),
            ceg_interval: match &r.ceg {
                Ceg::Written {
                    estimate,
                    censoring: Censoring::None,
                } => Some(Interval90::of(estimate)),
                _ => None,
            },
            censoring,
            derived: r.derivation().is_some(),
            date: r.date.to_string(),
            year: r.date.decimal_year(),
            source: r.source.clone(),
            evidence: r.evidence.name().to_owned(),
            notes: r.notes.clone(),
            scope: r.scope.clone(),
            inference_cost: r.inference_cost.as_ref().map(|e| e.text().to_owned()),
            study: Some(r.study.clone()),
            estimand: r.estimand.map(|e| e.name().to_owned()),
            mix: r.mix.clone(),
            metric: r.metric.name().to_owned(),
        })
    }
}

/// The 5th and 95th percentiles of an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Interval90 {
    /// 5th percentile.
    pub p5: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Interval90 {
    /// The 90% interval of `e`.
    pub fn of(e: &Estimate) -> Self {
        let (p5, p95) = e.interval90();
        Interval90 { p5, p95 }
    }
}

/// One evidence row's CEG: the value or bound the fits use, and how a derived one was found.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct EvidenceCeg {
    /// The row's id.
    pub id: String,
    /// The CEG: the median of its estimate, or the bound for a censored row.
    pub ceg: f64,
    /// `none`, `lower` (the CEG is at least `ceg`) or `upper` (at most).
    pub censoring: Censoring,
    /// For a row written `derive`, how its CEG was derived from scaling.csv; otherwise null.
    pub derivation: Option<DerivedCeg>,
}

impl TryFrom<&EvidenceRow> for EvidenceCeg {
    type Error = PendingCeg;

    /// Fails on a row whose CEG was never derived.
    fn try_from(r: &EvidenceRow) -> Result<Self, PendingCeg> {
        let (estimate, censoring) = r.known_ceg()?;
        Ok(EvidenceCeg {
            id: r.id.clone(),
            ceg: estimate.central(),
            censoring,
            derivation: r.derivation().cloned(),
        })
    }
}
