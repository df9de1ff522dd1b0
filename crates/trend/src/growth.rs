//! The growth distributions handed to the simulation for categories with `growth = "fit"`.

use std::collections::BTreeMap;

use overhang_model::estimate::sentence_number as sig;
use overhang_model::results::{CategoryFit, FitLimit, Fits};
use overhang_model::{AVERAGE_SCOPE, Assessment, EvidenceRow, FittedGrowth, fitted_key};

use crate::fit::{growth_fit_categories, insufficiency};

/// Why a category with `growth = "fit"` has no growth distribution.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrendError {
    /// Neither the category's own evidence nor a pooled fit gives a slope.
    #[error(
        "category `{category}`{} has growth = \"fit\", but it has no trend fit ({reason}) and there is no pooled fit to fall back on; add evidence rows or give its growth as an estimate",
        in_scope(scope)
    )]
    NoFit {
        /// The category id.
        category: String,
        /// The scope whose fit was asked for (`average` for the average task).
        scope: String,
        /// What is missing, for example "only 2 evidence rows, both dated 2024-09; a trend
        /// fit needs at least 3 rows on at least 2 dates".
        reason: String,
    },
    /// The category's fit exists but cannot support a claim about growth (its slope's
    /// interval spans zero, its rows mix benchmarks, or they come from one model family), so
    /// feeding it to the simulation would present noise as a trend.
    #[error(
        "category `{category}`{} has growth = \"fit\", but its fit cannot support a claim about growth: {reason}; give its growth as an estimate in OOM per year",
        in_scope(scope)
    )]
    Unsupported {
        /// The category id.
        category: String,
        /// The scope whose fit was asked for (`average` for the average task).
        scope: String,
        /// Why, for example "the 90% interval of the slope, -0.1 to 0.3 OOM/year, includes
        /// zero".
        reason: String,
    },
}

/// The phrase " in scope `<id>`" for a declared scope, nothing for the average task.
fn in_scope(scope: &str) -> String {
    if scope == AVERAGE_SCOPE {
        String::new()
    } else {
        format!(" in scope `{scope}`")
    }
}

/// Why a fit with these limits cannot carry growth, as a clause; `None` when it can.
fn refusal(limits: &[FitLimit], ci90: [f64; 2]) -> Option<String> {
    let reasons: Vec<String> = limits
        .iter()
        .filter_map(|l| match l {
            FitLimit::NoFit => None,
            FitLimit::SpansZero => Some(format!(
                "the 90% interval of its slope, {} to {} OOM/year, includes zero",
                sig(ci90[0]),
                sig(ci90[1])
            )),
            FitLimit::MixedBenchmarks { count } => {
                Some(format!("its rows come from {count} different benchmarks"))
            }
            FitLimit::SingleFamily { family } => Some(format!(
                "every row is derived from one model family ({family})"
            )),
        })
        .collect();
    (!reasons.is_empty()).then(|| reasons.join(", and "))
}

/// The growth distribution of every category whose growth is `fit` in the base case or in any
/// scenario, keyed by [`fitted_key`]: the category id for the average task's fit,
/// `<scope>.<category>` for a scope's (`growth = "fit"` written in `[scopes.<id>]`).
///
/// Each is [`FittedGrowth::StudentT`]: the slope of the category's own evidence in that scope
/// (the censored fit when it has bounds, else OLS; see `CategoryFit::growth_line`) with its
/// standard error and residual degrees of freedom when the category has a fit; otherwise the
/// scope's pooled slope (one slope, one intercept per category) with its standard error and
/// degrees of freedom; otherwise a [`TrendError::NoFit`] naming the category, the scope and
/// what its evidence lacks. A fit that cannot support a growth claim (its `limits`: an
/// interval that spans zero, mixed benchmarks, one model family; or a pooled fallback whose
/// interval spans zero) is refused with [`TrendError::Unsupported`].
/// `fits` must come from [`crate::fit`] on the same assessment.
pub fn fitted_growth(
    fits: &Fits,
    assessment: &Assessment,
) -> Result<BTreeMap<String, FittedGrowth>, TrendError> {
    let mut out = BTreeMap::new();
    for (scope, id, label) in growth_fit_categories(assessment) {
        let (categories, pooled) = fits.of_scope(&scope).unwrap_or((&[], None));
        let own = categories.iter().find(|c| c.category == id);
        let rows_of = if scope == AVERAGE_SCOPE {
            "its"
        } else {
            "the scope's"
        };
        let growth = if let Some(line) = own.and_then(CategoryFit::growth_line) {
            let limits = own.map_or(&[][..], |c| c.limits.as_slice());
            if let Some(reason) = refusal(limits, line.slope_ci90) {
                return Err(TrendError::Unsupported {
                    category: id.to_owned(),
                    scope,
                    reason,
                });
            }
            let method = if line.censored {
                "censored-normal maximum-likelihood fit"
            } else {
                "OLS fit"
            };
            FittedGrowth::StudentT {
                location: line.slope,
                scale: line.slope_se,
                df: line.df,
                origin: format!(
                    "{label}: growth from the {method} of {rows_of} {} evidence rows, {} OOM/year (standard error {}, {} degrees of freedom).",
                    line.n,
                    sig(line.slope),
                    sig(line.slope_se),
                    line.df
                ),
            }
        } else if let Some(p) = pooled {
            if p.slope_ci90[0] <= 0.0 && p.slope_ci90[1] >= 0.0 {
                return Err(TrendError::Unsupported {
                    category: id.to_owned(),
                    scope,
                    reason: format!(
                        "it has no fit of its own, and the 90% interval of the pooled slope it would fall back on, {} to {} OOM/year, includes zero",
                        sig(p.slope_ci90[0]),
                        sig(p.slope_ci90[1])
                    ),
                });
            }
            FittedGrowth::StudentT {
                location: p.slope,
                scale: p.slope_se,
                df: p.df,
                origin: format!(
                    "{label}: {rows_of} own evidence is too thin for a fit, so its growth comes from the pooled fit of {} evidence rows in {} categories, {} OOM/year (standard error {}, {} degrees of freedom).",
                    p.n,
                    p.intercepts.len(),
                    sig(p.slope),
                    sig(p.slope_se),
                    p.df
                ),
            }
        } else {
            let rows: Vec<&EvidenceRow> = assessment
                .evidence
                .iter()
                .filter(|r| {
                    r.category == id
                        && crate::fit::fitted(r)
                        && (scope == AVERAGE_SCOPE || r.scope == scope)
                })
                .collect();
            let reason = match (own, insufficiency(&rows)) {
                (None, _) => "the fits have no entry for it".to_owned(),
                (Some(_), Some(thin)) => thin.to_string(),
                (Some(_), None) => "its rows give no line (the trend section says why)".to_owned(),
            };
            return Err(TrendError::NoFit {
                category: id.to_owned(),
                scope,
                reason,
            });
        };
        out.insert(fitted_key(&scope, id), growth);
    }
    Ok(out)
}
