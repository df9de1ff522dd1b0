//! The growth distributions handed to the simulation for categories with `growth = "fit"`.

use std::collections::BTreeMap;

use overhang_model::results::Fits;
use overhang_model::{Assessment, EvidenceRow, FittedGrowth};

use crate::fit::{growth_fit_categories, insufficiency};
use crate::numbers::sig;

/// Why a category with `growth = "fit"` has no growth distribution.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrendError {
    /// Neither the category's own evidence nor a pooled fit gives a slope.
    #[error(
        "category `{category}` has growth = \"fit\", but it has no trend fit ({reason}) and there is no pooled fit to fall back on; add evidence rows or give its growth as an estimate"
    )]
    NoFit {
        /// The category id.
        category: String,
        /// What is missing, for example "only 2 evidence rows, both dated 2024-09; a trend
        /// fit needs at least 3 rows on at least 2 dates".
        reason: String,
    },
}

/// The growth distribution of every category whose growth is `fit` in the base case or in any
/// scenario, keyed by category id.
///
/// Each is [`FittedGrowth::StudentT`]: the OLS slope of the category's own evidence with its
/// standard error and residual degrees of freedom when the category has a fit; otherwise the
/// pooled slope (one slope, one intercept per category) with its standard error and degrees
/// of freedom; otherwise a [`TrendError`] naming the category and what its evidence lacks.
/// `fits` must come from [`crate::fit`] on the same assessment.
pub fn fitted_growth(
    fits: &Fits,
    assessment: &Assessment,
) -> Result<BTreeMap<String, FittedGrowth>, TrendError> {
    let mut out = BTreeMap::new();
    for (id, label) in growth_fit_categories(assessment) {
        let own = fits.categories.iter().find(|c| c.category == id);
        let growth = if let Some(line) = own.and_then(|c| c.ols.as_ref()) {
            FittedGrowth::StudentT {
                location: line.slope,
                scale: line.slope_se,
                df: line.df,
                origin: format!(
                    "{label}: growth from the OLS fit of its {} evidence rows, {} OOM/year (standard error {}, {} degrees of freedom).",
                    line.n,
                    sig(line.slope),
                    sig(line.slope_se),
                    line.df
                ),
            }
        } else if let Some(p) = &fits.pooled {
            FittedGrowth::StudentT {
                location: p.slope,
                scale: p.slope_se,
                df: p.df,
                origin: format!(
                    "{label}: its own evidence is too thin for a fit, so its growth comes from the pooled fit of {} evidence rows in {} categories, {} OOM/year (standard error {}, {} degrees of freedom).",
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
                .filter(|r| r.category == id)
                .collect();
            let reason = match (own, insufficiency(&rows)) {
                (None, _) => "the fits have no entry for it".to_owned(),
                (Some(_), Some(reason)) => reason,
                (Some(_), None) => "its fit did not give a finite slope".to_owned(),
            };
            return Err(TrendError::NoFit {
                category: id.to_owned(),
                reason,
            });
        };
        out.insert(id.to_owned(), growth);
    }
    Ok(out)
}
