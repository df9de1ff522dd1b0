//! The inference of every category of an assessment in every scope: which evidence rows it
//! reads and how, the prior each scope states, and the posterior, influence and vague-prior
//! posterior the report and the simulation take.
//!
//! The rows of a category are every single-category row filed under it, in every scope: the
//! evidence is one body, and a declared scope states its own priors (its overrides of
//! `available` and `growth`), not its own evidence. No scope of the default inputs has rows
//! enough for an inference of its own (the agentic scope has seven rows from three studies,
//! none of them an exact value). A scope whose category keeps the average task's estimates
//! therefore has the average task's posterior, computed once. Left out, each with its reason: `assumption` rows (a judgement, not data),
//! `preference` rows (not a capability), bounds of at least 1x (no information) and rows
//! without an estimand. A row with a `mix` enters only the category it is filed under.

use overhang_model::inference::{
    CategoryInference, InferenceInputs, InferenceStatus, Influence, LeftOutRow, ParamSummary,
    PosteriorSummary, UsedRow,
};
use overhang_model::results::{BacktestResults, CategoryBacktest, PredictionOut};
use overhang_model::{
    AVERAGE_SCOPE, Assessment, Available, Category, Censoring, Date, EvidenceMetric, EvidenceRow,
    Grade, Growth,
};
use rayon::prelude::*;

use super::{
    Estimand, InferError, InferenceRow, InferenceSettings, Marginal, Observation, Offset,
    Posterior, Prior, Transfer, infer,
};

/// Why the inference of one category in one scope failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the inference of `{category}` in scope `{scope}`: {error}")]
pub struct CategoryInferError {
    /// The scope's id.
    pub scope: String,
    /// The category's id.
    pub category: String,
    /// What went wrong.
    pub error: InferError,
}

/// The settings of `[inference]` as the grid reads them; an error names the estimand whose
/// transfer is not a positive point or a lognormal.
pub fn settings(inputs: &InferenceInputs) -> Result<InferenceSettings, InferError> {
    let offset = |e: Estimand| {
        let m = match e {
            Estimand::Base => overhang_model::Estimand::Base,
            Estimand::PostTrained => overhang_model::Estimand::PostTrained,
            Estimand::VersusPte => overhang_model::Estimand::VersusPte,
        };
        Offset::from_multiplier(e, inputs.transfer.of(m))
    };
    let transfer = Transfer {
        base: offset(Estimand::Base)?,
        post_trained: offset(Estimand::PostTrained)?,
        versus_pte: offset(Estimand::VersusPte)?,
    };
    Ok(InferenceSettings::new(transfer, inputs.study_sd))
}

/// Every category in every scope, scope by scope in the assessment's order, categories in
/// file order; empty when the assessment has no `[inference]` or it is not enabled. The
/// categories run on rayon's threads; each is computed alone, so the result does not depend
/// on their number.
pub fn infer_assessment(a: &Assessment) -> Result<Vec<CategoryInference>, CategoryInferError> {
    let Some(inputs) = a.inference.as_ref().filter(|i| i.enabled) else {
        return Ok(Vec::new());
    };
    // A scope's category with the average task's estimates takes its inference: the same prior
    // and the same rows give the same posterior.
    let same = |scope: &str, cat: &Category| {
        scope != AVERAGE_SCOPE
            && a.scopes.iter().any(|s| s.id == AVERAGE_SCOPE)
            && ({
                a.categories.iter().any(|c| {
                    c.id == cat.id
                        && c.available == cat.available
                        && c.growth == cat.growth
                        && c.infer == cat.infer
                })
            })
    };
    // The average task's priors are the base case's categories; a declared scope's, its own.
    // Only scopes some scenario simulates.
    let jobs: Vec<(&str, &Category)> = a
        .scopes
        .iter()
        .filter(|s| a.scenarios.iter().any(|x| x.scope == s.id))
        .flat_map(|s| {
            let cats = if s.id == AVERAGE_SCOPE {
                &a.categories
            } else {
                &s.categories
            };
            cats.iter().map(move |c| (s.id.as_str(), c))
        })
        .collect();
    let computed: Vec<Option<CategoryInference>> = jobs
        .par_iter()
        .map(|&(scope, cat)| {
            if same(scope, cat) {
                return Ok(None);
            }
            one(a, inputs, scope, cat)
                .map(Some)
                .map_err(|error| CategoryInferError {
                    scope: scope.to_owned(),
                    category: cat.id.clone(),
                    error,
                })
        })
        .collect::<Result<_, _>>()?;
    let mut out: Vec<CategoryInference> = Vec::with_capacity(jobs.len());
    for (&(scope, cat), c) in jobs.iter().zip(computed) {
        let inference = match c {
            Some(c) => c,
            None => {
                let mut c = out
                    .iter()
                    .find(|i| i.scope == AVERAGE_SCOPE && i.category == cat.id)
                    .cloned()
                    .expect("the average task comes first and has every category");
                scope.clone_into(&mut c.scope);
                c
            }
        };
        out.push(inference);
    }
    Ok(out)
}

/// A category's rows in a scope as the inference reads them.
struct CategoryRows {
    rows: Vec<InferenceRow>,
    used: Vec<UsedRow>,
    /// The date of each row used.
    dates: Vec<Date>,
    left_out: Vec<LeftOutRow>,
}

/// The rows of `category` (see the module's documentation).
fn category_rows(a: &Assessment, inputs: &InferenceInputs, category: &str) -> CategoryRows {
    let release = a.report.release_date.decimal_year();
    let mut out = CategoryRows {
        rows: Vec::new(),
        used: Vec::new(),
        dates: Vec::new(),
        left_out: Vec::new(),
    };
    let of_category = |r: &&EvidenceRow| !r.is_combination() && r.category == category;
    for r in a.evidence.iter().filter(of_category) {
        match read_row(r, inputs, release) {
            Ok((row, info)) => {
                out.rows.push(row);
                out.used.push(info);
                out.dates.push(r.date);
            }
            Err(reason) => out.left_out.push(LeftOutRow {
                id: r.id.clone(),
                reason,
            }),
        }
    }
    out
}

/// The backtest of the average task's categories whose estimates are a prior and that infer
/// (see [`super::backtest()`]): fitted on the rows dated before `cutoff`, every later row
/// predicted. Without a cutoff, the default: the date that leaves about a third of all those
/// categories' rows after it ([`super::default_cutoff`]). `None` when the inference is off or
/// the rows allow no default cutoff.
pub fn backtest_assessment(
    a: &Assessment,
    cutoff: Option<Date>,
) -> Result<Option<BacktestResults>, CategoryInferError> {
    let Some(inputs) = a.inference.as_ref().filter(|i| i.enabled) else {
        return Ok(None);
    };
    let release = a.report.release_date.decimal_year();
    let cats: Vec<(&Category, CategoryRows)> = a
        .categories
        .iter()
        .filter(|c| {
            c.infer
                && matches!(c.available, Available::Estimate(_))
                && matches!(c.growth, Growth::Estimate(_))
        })
        .map(|c| (c, category_rows(a, inputs, &c.id)))
        .collect();
    let (cutoff, default) = match cutoff {
        Some(d) => (d, false),
        None => {
            let all: Vec<(f64, Date)> = cats
                .iter()
                .flat_map(|(_, r)| r.rows.iter().map(|x| x.years).zip(r.dates.iter().copied()))
                .collect();
            let years: Vec<f64> = all.iter().map(|x| x.0).collect();
            let Some(t) = super::default_cutoff(&years) else {
                return Ok(None);
            };
            #[expect(clippy::float_cmp, reason = "the cutoff is one of the rows' own dates")]
            let date = all.iter().find(|x| x.0 == t).map(|x| x.1);
            match date {
                Some(d) => (d, true),
                None => return Ok(None),
            }
        }
    };
    let cutoff_years = cutoff.decimal_year() - release;
    let settings = settings(inputs).map_err(|error| CategoryInferError {
        scope: AVERAGE_SCOPE.to_owned(),
        category: String::new(),
        error,
    })?;
    let mut out = Vec::new();
    for (cat, r) in &cats {
        if !r.rows.iter().any(|x| x.years >= cutoff_years) {
            continue;
        }
        let err = |error| CategoryInferError {
            scope: AVERAGE_SCOPE.to_owned(),
            category: cat.id.clone(),
            error,
        };
        let (Available::Estimate(av), Growth::Estimate(g)) = (&cat.available, &cat.growth) else {
            continue;
        };
        let pa = Prior::available(av).map_err(err)?;
        let pg = Prior::growth(g);
        // Half the cells: a prediction's spread is the posterior's and a row's own together.
        let coarse = super::InferenceSettings {
            grid: settings.grid.div_ceil(2).max(16),
            ..settings
        };
        let b = super::backtest(&pa, &pg, &r.rows, cutoff_years, &coarse).map_err(err)?;
        out.push(CategoryBacktest {
            category: cat.id.clone(),
            label: cat.label.clone(),
            fitted: b.fitted.len(),
            available_p50: b.posterior.available.p50,
            predictions: b
                .predictions
                .iter()
                .map(|p| PredictionOut {
                    id: r.used[p.index].id.clone(),
                    kind: r.used[p.index].kind.to_owned(),
                    y_log10: r.used[p.index].y_log10,
                    median: p.median,
                    interval50: p.interval50,
                    interval90: p.interval90,
                    log_score: p.log_score,
                    pit: p.pit,
                    in50: p.in50,
                    in90: p.in90,
                })
                .collect(),
            coverage50: b.coverage50,
            coverage90: b.coverage90,
            mean_log_score: b.mean_log_score,
        });
    }
    let exact: Vec<&PredictionOut> = out
        .iter()
        .flat_map(|c| &c.predictions)
        .filter(|p| p.in50.is_some())
        .collect();
    let share = |f: &dyn Fn(&PredictionOut) -> bool| {
        (!exact.is_empty())
            .then(|| exact.iter().filter(|p| f(p)).count() as f64 / exact.len() as f64)
    };
    let coverage50 = share(&|p| p.in50 == Some(true));
    let coverage90 = share(&|p| p.in90 == Some(true));
    let mean_log_score_exact = (!exact.is_empty())
        .then(|| exact.iter().map(|p| p.log_score).sum::<f64>() / exact.len() as f64);
    let bounds = out
        .iter()
        .flat_map(|c| &c.predictions)
        .filter(|p| p.in50.is_none())
        .count();
    Ok(Some(BacktestResults {
        cutoff: cutoff.to_string(),
        cutoff_years,
        default_cutoff: default,
        coverage50,
        coverage90,
        mean_log_score_exact,
        exact: exact.len(),
        bounds,
        categories: out,
    }))
}

/// The inference of `cat` (the scope's parameters) in `scope`.
fn one(
    a: &Assessment,
    inputs: &InferenceInputs,
    scope: &str,
    cat: &Category,
) -> Result<CategoryInference, InferError> {
    let CategoryRows {
        rows,
        used,
        left_out,
        ..
    } = category_rows(a, inputs, &cat.id);
    let (prior_available, prior_growth) = match (&cat.available, &cat.growth) {
        (Available::Estimate(av), Growth::Estimate(g)) => (av.clone(), g.clone()),
        (available, growth) => {
            // Frozen, or a growth from the trend fit: the estimates are not a prior.
            let text = |s: &str| overhang_model::Estimate::parse(s).ok();
            let placeholder = overhang_model::Estimate::point(1.0).expect("1 is finite");
            return Ok(CategoryInference {
                scope: scope.to_owned(),
                category: cat.id.clone(),
                label: cat.label.clone(),
                status: InferenceStatus::NotAPrior,
                prior_available: available
                    .estimate()
                    .cloned()
                    .unwrap_or_else(|| placeholder.clone()),
                prior_growth: match growth {
                    Growth::Estimate(g) => g.clone(),
                    _ => text("0").unwrap_or(placeholder),
                },
                prior: None,
                rows: used,
                left_out,
                posterior: None,
                vague: None,
                influence: Vec::new(),
                table: None,
            });
        }
    };
    let pa = Prior::available(&prior_available)?;
    let pg = Prior::growth(&prior_growth);
    let mut out = CategoryInference {
        scope: scope.to_owned(),
        category: cat.id.clone(),
        label: cat.label.clone(),
        status: InferenceStatus::NoRows,
        prior_available,
        prior_growth,
        prior: Some((pa.quantiles(), pg.quantiles())),
        rows: used,
        left_out,
        posterior: None,
        vague: None,
        influence: Vec::new(),
        table: None,
    };
    if !cat.infer {
        out.status = InferenceStatus::OptedOut;
        return Ok(out);
    }
    if rows.is_empty() {
        return Ok(out);
    }
    let s = settings(inputs)?;
    let inference = infer(&pa, &pg, &rows, &s)?;
    out.status = InferenceStatus::Posterior;
    out.posterior = Some(summary(&inference.posterior));
    out.vague = Some(summary(&inference.vague));
    out.influence = inference
        .influence
        .iter()
        .map(|i| Influence {
            study: i.study.clone(),
            rows: i.rows.iter().map(|&k| out.rows[k].id.clone()).collect(),
            available_p50: i.available_p50,
            growth_p50: i.growth_p50,
            available_shift: i.available_shift,
            growth_shift: i.growth_shift,
        })
        .collect();
    out.table = Some(std::sync::Arc::new(inference.posterior.table().clone()));
    Ok(out)
}

fn param(m: &Marginal) -> ParamSummary {
    ParamSummary {
        p5: m.p5,
        p50: m.p50,
        p95: m.p95,
        mean: m.mean,
        sd: m.sd,
    }
}

fn summary(p: &Posterior) -> PosteriorSummary {
    PosteriorSummary {
        available: param(&p.available),
        growth: param(&p.growth),
        correlation: p.correlation,
        edge: p.edge,
    }
}

/// An evidence row as the inference reads it, or why it is left out: `log10` of its CEG
/// (the median of a written interval, whose own spread adds to the row's variance), its date
/// in years from the release, its study, its estimand and its sd by grade.
fn read_row(
    r: &EvidenceRow,
    inputs: &InferenceInputs,
    release: f64,
) -> Result<(InferenceRow, UsedRow), &'static str> {
    if r.evidence == Grade::Assumption {
        return Err("assumption");
    }
    if r.metric == EvidenceMetric::Preference {
        return Err("preference");
    }
    if r.is_uninformative() {
        return Err("uninformative");
    }
    let estimand = match r.estimand {
        Some(overhang_model::Estimand::Base) => Estimand::Base,
        Some(overhang_model::Estimand::PostTrained) => Estimand::PostTrained,
        Some(overhang_model::Estimand::VersusPte) => Estimand::VersusPte,
        None => return Err("no_estimand"),
    };
    let Ok((ceg, censoring)) = r.known_ceg() else {
        return Err("no_ceg");
    };
    let Some(grade_sd) = inputs.row_sd.of(r.evidence) else {
        return Err("assumption");
    };
    let y = libm::log10(ceg.median());
    // A written interval's own spread: the sd in log10 of the normal with its 90% interval.
    let (lo, hi) = ceg.interval90();
    let spread = if lo > 0.0 && hi > lo {
        (libm::log10(hi) - libm::log10(lo)) / (2.0 * overhang_model::estimate::Z95)
    } else {
        0.0
    };
    let sigma = libm::sqrt(grade_sd * grade_sd + spread * spread);
    if !y.is_finite() {
        return Err("no_ceg");
    }
    let (observation, kind) = match censoring {
        Censoring::None => (Observation::Exact(y), "exact"),
        Censoring::Lower => (Observation::AtLeast(y), "at_least"),
        Censoring::Upper => (Observation::AtMost(y), "at_most"),
    };
    let years = r.date.decimal_year() - release;
    let row = InferenceRow {
        y_log10: observation,
        years,
        study: r.study.clone(),
        estimand,
        sigma,
    };
    let info = UsedRow {
        id: r.id.clone(),
        kind,
        y_log10: y,
        years,
        study: r.study.clone(),
        estimand: r.estimand.unwrap_or(overhang_model::Estimand::PostTrained),
        sigma,
        mix: r.mix.clone(),
    };
    Ok((row, info))
}
