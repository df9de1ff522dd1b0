//! results.json's `inference`: the settings, each category's prior, evidence, posterior and
//! influence per scope, and the backtest.

use serde::{Deserialize, Serialize};

use crate::assessment::Assessment;
use crate::estimate::{Distribution, Estimate};
use crate::inference::{CategoryInference, InferenceInputs, ParamSummary, PosteriorSummary};

/// How the evidence informed the categories' estimates.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct InferenceResults {
    /// The `[inference]` settings.
    pub settings: InferenceSettingsOut,
    /// Per scope (the average task first) and category (in file order).
    pub categories: Vec<CategoryInferenceOut>,
    /// The backtest at the default cutoff; absent when the rows do not allow one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backtest: Option<BacktestResults>,
}

/// The `[inference]` settings as the inference read them.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct InferenceSettingsOut {
    /// `tau`: the standard deviation of a study's effect, log10.
    pub study_sd: f64,
    /// A row's standard deviation by grade, log10.
    pub row_sd: RowSdOut,
    /// The transfer offset of each estimand.
    pub transfer: TransferOut,
}

/// A row's standard deviation by grade, log10.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct RowSdOut {
    /// Read in the source.
    pub primary: f64,
    /// Derived on a fitted scaling curve.
    pub measured: f64,
    /// Read in a secondary account.
    pub secondary: f64,
}

/// The transfer offset of each estimand.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct TransferOut {
    /// Of a row measured on a base model.
    pub base: OffsetOut,
    /// Of a row measured on a post-trained model.
    pub post_trained: OffsetOut,
    /// Of a row measured against another post-training.
    pub versus_pte: OffsetOut,
}

/// A transfer offset: the multiplier as written and the normal in log10 it is.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct OffsetOut {
    /// The multiplier as written (`1 to 10`).
    pub text: String,
    /// The offset's mean, log10.
    pub mean: f64,
    /// Its standard deviation, log10 (0: known).
    pub sd: f64,
}

/// A prior of one parameter: its estimate as written, its distribution on the parameter's
/// scale and its percentiles.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PriorOut {
    /// The estimate as assessment.toml writes it.
    pub text: String,
    /// `normal` (with `mean`, `sd`), `lognormal` (with `mu`, `sigma`, of the natural log of
    /// the parameter), `point` (with `value`), or `other` (read `text`), on the parameter's
    /// scale: log10 for the level, OOM per year for growth.
    pub distribution: String,
    /// Normal mean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Normal standard deviation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// Lognormal mu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mu: Option<f64>,
    /// Lognormal sigma.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
    /// A point's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// 5th percentile on the parameter's scale; absent when the estimate is not a prior.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p5: Option<f64>,
    /// Median.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p50: Option<f64>,
    /// 95th percentile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p95: Option<f64>,
}

/// The priors of a category's level at release (`available`, log10) and growth (OOM/year).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PriorsOut {
    /// Of the level at release, log10 of the multiplier.
    pub available: PriorOut,
    /// Of growth, OOM per year.
    pub growth: PriorOut,
}

/// One parameter's posterior in summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ParamOut {
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
}

impl From<ParamSummary> for ParamOut {
    fn from(p: ParamSummary) -> Self {
        ParamOut {
            p5: p.p5,
            p50: p.p50,
            p95: p.p95,
            mean: p.mean,
            sd: p.sd,
        }
    }
}

/// A posterior of a category's `(a, g)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PosteriorOut {
    /// `a`, the level at release, log10 of the multiplier.
    pub available: ParamOut,
    /// `g`, growth in OOM per year.
    pub growth: ParamOut,
    /// The correlation of `a` and `g`.
    pub correlation: f64,
    /// The largest log density on the grid's edge relative to the mode; below -20 the grid
    /// holds the mass (the exact method's check in place of a sampler's R-hat and ESS).
    pub edge: f64,
}

impl From<PosteriorSummary> for PosteriorOut {
    fn from(p: PosteriorSummary) -> Self {
        PosteriorOut {
            available: p.available.into(),
            growth: p.growth.into(),
            correlation: p.correlation,
            edge: p.edge,
        }
    }
}

/// An evidence row as the inference read it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct RowOut {
    /// The row's id in enhancements.csv.
    pub id: String,
    /// `exact`, `at_least` (a lower bound) or `at_most`.
    pub kind: String,
    /// The CEG or its bound, log10.
    pub y_log10: f64,
    /// The row's date in years from the release date (negative before).
    pub years: f64,
    /// The row's study: rows of one study share a study effect.
    pub study: String,
    /// `base`, `post_trained` or `versus_pte`.
    pub estimand: String,
    /// The row's own standard deviation, log10 (by its grade, with a written interval's own
    /// spread).
    pub sigma: f64,
    /// The other categories its enhancement also contains; it enters only this one.
    pub mix: Vec<String>,
}

/// A row of the category the inference left out.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct LeftOutOut {
    /// The row's id.
    pub id: String,
    /// `assumption`, `preference`, `uninformative` (a bound of at least 1x) or `no_estimand`.
    pub reason: String,
}

/// One study's influence: the posterior medians without it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct InfluenceOut {
    /// The study.
    pub study: String,
    /// Its rows' ids.
    pub rows: Vec<String>,
    /// The median of `a` without it, log10.
    pub available_p50: f64,
    /// The median of `g` without it, OOM/year.
    pub growth_p50: f64,
    /// The median of `a` with every row minus that without the study, OOM.
    pub available_shift: f64,
    /// The same for `g`, OOM/year.
    pub growth_shift: f64,
}

/// One category in one scope.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CategoryInferenceOut {
    /// The scope's id.
    pub scope: String,
    /// The category's id.
    pub category: String,
    /// Its label.
    pub label: String,
    /// `posterior`; `no_rows` (the prior is kept); `opted_out` (`infer = false`); or
    /// `not_a_prior` (an estimate that cannot be a prior, used as written).
    pub status: String,
    /// The priors.
    pub prior: PriorsOut,
    /// The rows used, in file order.
    pub rows: Vec<RowOut>,
    /// The distinct studies among them.
    pub studies: usize,
    /// The bounds among them.
    pub bounds: usize,
    /// The category's rows left out, with why.
    pub left_out: Vec<LeftOutOut>,
    /// The posterior; absent unless the status is `posterior`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior: Option<PosteriorOut>,
    /// The posterior under a vague prior (each prior ten times as wide): how much the prior
    /// decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vague: Option<PosteriorOut>,
    /// Each study's influence, in order of its first row.
    pub influence: Vec<InfluenceOut>,
    /// True when the prior's 90% interval of the level or of growth excludes the posterior
    /// median: the rows contradict the prior strongly.
    pub contradicts_prior: bool,
}

/// The backtest: the rows dated before a cutoff predict the rows on or after it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct BacktestResults {
    /// The cutoff, `YYYY-MM-DD`.
    pub cutoff: String,
    /// The cutoff in years from the release date.
    pub cutoff_years: f64,
    /// Whether it is the default (the date that leaves about a third of the rows after it).
    pub default_cutoff: bool,
    /// The average task's categories with a row on or after the cutoff, in file order.
    pub categories: Vec<CategoryBacktest>,
    /// Over every predicted exact row: the share inside its 50% predictive interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage50: Option<f64>,
    /// The same for the 90% interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage90: Option<f64>,
    /// The mean log predictive density over every predicted exact row (natural log, per
    /// log10 unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_log_score_exact: Option<f64>,
    /// Predicted exact rows.
    pub exact: usize,
    /// Predicted bounds.
    pub bounds: usize,
}

/// The backtest of one category.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CategoryBacktest {
    /// The category's id.
    pub category: String,
    /// Its label.
    pub label: String,
    /// Rows before the cutoff, which the posterior was fitted on.
    pub fitted: usize,
    /// The posterior median of the level at release from those rows alone, log10.
    pub available_p50: f64,
    /// Each row on or after the cutoff, predicted.
    pub predictions: Vec<PredictionOut>,
    /// The share of predicted exact rows inside their 50% interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage50: Option<f64>,
    /// The same for the 90% interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage90: Option<f64>,
    /// The mean log score over every predicted row (a density for an exact row, a
    /// probability for a bound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_log_score: Option<f64>,
}

/// One later row's prediction.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PredictionOut {
    /// The row's id.
    pub id: String,
    /// `exact`, `at_least` or `at_most`.
    pub kind: String,
    /// Its CEG or bound, log10.
    pub y_log10: f64,
    /// The predictive median, log10.
    pub median: f64,
    /// The central 50% predictive interval, log10.
    pub interval50: [f64; 2],
    /// The central 90% predictive interval, log10.
    pub interval90: [f64; 2],
    /// The natural log of the predictive density at the value (exact) or of the predictive
    /// probability of the bound.
    pub log_score: f64,
    /// The predictive CDF at the value or bound.
    pub pit: f64,
    /// Inside the 50% interval (exact rows only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in50: Option<bool>,
    /// Inside the 90% interval (exact rows only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in90: Option<bool>,
}

impl InferenceResults {
    /// The inference of `a`, when it has an enabled `[inference]`.
    pub fn new(a: &Assessment) -> Option<Self> {
        let inputs = a.inference.as_ref().filter(|i| i.enabled)?;
        Some(InferenceResults {
            settings: settings(inputs),
            categories: a.inferred.iter().map(category).collect(),
            backtest: a.backtest.clone(),
        })
    }
}

fn settings(i: &InferenceInputs) -> InferenceSettingsOut {
    let offset = |e: &Estimate| {
        let (mean, sd) = match *e.distribution() {
            Distribution::Point(v) => (libm::log10(v), 0.0),
            Distribution::LogNormal { mu, sigma } => (
                mu / core::f64::consts::LN_10,
                sigma / core::f64::consts::LN_10,
            ),
            _ => (f64::NAN, f64::NAN),
        };
        OffsetOut {
            text: e.text().to_owned(),
            mean,
            sd,
        }
    };
    InferenceSettingsOut {
        study_sd: i.study_sd,
        row_sd: RowSdOut {
            primary: i.row_sd.primary,
            measured: i.row_sd.measured,
            secondary: i.row_sd.secondary,
        },
        transfer: TransferOut {
            base: offset(&i.transfer.base),
            post_trained: offset(&i.transfer.post_trained),
            versus_pte: offset(&i.transfer.versus_pte),
        },
    }
}

/// A prior on the parameter's scale: log10 of a multiplier (`log10`) or as written.
fn prior(e: &Estimate, log10: bool, q: Option<[f64; 3]>) -> PriorOut {
    let ln10 = core::f64::consts::LN_10;
    let none = (None, None);
    // (name, (mean, sd), (mu, sigma), value)
    let (name, normal, lognormal, value) = match (*e.distribution(), log10) {
        (Distribution::LogNormal { mu, sigma }, true) => {
            ("normal", (Some(mu / ln10), Some(sigma / ln10)), none, None)
        }
        (Distribution::LogNormal { mu, sigma }, false) => {
            ("lognormal", none, (Some(mu), Some(sigma)), None)
        }
        (Distribution::Normal { mean, sd }, false) => {
            ("normal", (Some(mean), Some(sd)), none, None)
        }
        (Distribution::Point(v), _) => (
            "point",
            none,
            none,
            Some(if log10 { libm::log10(v) } else { v }),
        ),
        _ => ("other", none, none, None),
    };
    PriorOut {
        text: e.text().to_owned(),
        distribution: name.to_owned(),
        mean: normal.0,
        sd: normal.1,
        mu: lognormal.0,
        sigma: lognormal.1,
        value,
        p5: q.map(|q| q[0]),
        p50: q.map(|q| q[1]),
        p95: q.map(|q| q[2]),
    }
}

fn category(c: &CategoryInference) -> CategoryInferenceOut {
    CategoryInferenceOut {
        scope: c.scope.clone(),
        category: c.category.clone(),
        label: c.label.clone(),
        status: c.status.name().to_owned(),
        prior: PriorsOut {
            available: prior(&c.prior_available, true, c.prior.map(|p| p.0)),
            growth: prior(&c.prior_growth, false, c.prior.map(|p| p.1)),
        },
        rows: c
            .rows
            .iter()
            .map(|r| RowOut {
                id: r.id.clone(),
                kind: r.kind.to_owned(),
                y_log10: r.y_log10,
                years: r.years,
                study: r.study.clone(),
                estimand: r.estimand.name().to_owned(),
                sigma: r.sigma,
                mix: r.mix.clone(),
            })
            .collect(),
        studies: c.studies(),
        bounds: c.bounds(),
        left_out: c
            .left_out
            .iter()
            .map(|l| LeftOutOut {
                id: l.id.clone(),
                reason: l.reason.to_owned(),
            })
            .collect(),
        posterior: c.posterior.map(Into::into),
        vague: c.vague.map(Into::into),
        influence: c
            .influence
            .iter()
            .map(|i| InfluenceOut {
                study: i.study.clone(),
                rows: i.rows.clone(),
                available_p50: i.available_p50,
                growth_p50: i.growth_p50,
                available_shift: i.available_shift,
                growth_shift: i.growth_shift,
            })
            .collect(),
        contradicts_prior: c.contradicts_prior(),
    }
}
