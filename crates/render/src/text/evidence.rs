//! The evidence in words: CEG cells (bounds as `>= 14x`, derived rows marked), the table of
//! derivations, and the trend-fit table with the censored line and the frontier.

use overhang_model::results::{CategoryFit, EvidenceInput, Results};
use overhang_model::{Censoring, DerivedCeg};
use serde::Serialize;

use super::{category_label, mult};

/// A derived CEG, formatted for the appendix "Derived CEGs".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DerivationText {
    /// The evidence row's id.
    pub id: String,
    /// The enhanced model.
    pub model: String,
    /// The benchmark.
    pub benchmark: String,
    /// `C_own`, as `6.2e10`.
    pub own_compute: String,
    /// `9.6 → 29.9`.
    pub scores: String,
    /// `C*`, as `5.4e11`.
    pub equivalent_compute: String,
    /// The CEG: `8.7x`, `>= 8.7x`.
    pub ceg: String,
    /// The logistic alternative: `9.1x`, `120x (extrapolated)`, or a dash.
    pub logistic: String,
}

/// A compute in FLOP or parameters: `6.2e10`.
pub(crate) fn compute(x: f64) -> String {
    let s = format!("{x:.1e}");
    s.replace(".0e", "e")
}

/// A derived CEG as the report writes it: `31.6x`, `>= 100x`.
pub(crate) fn derived_ceg(d: &DerivedCeg) -> String {
    match d.censoring {
        Censoring::None => mult(d.ceg),
        c => format!("{} {}", c.operator(), mult(d.ceg)),
    }
}

/// The CEG cell of the evidence table: a bound as `>= 14x`, a derived row's CEG as derived,
/// an estimate as written.
pub(crate) fn ceg_cell(e: &EvidenceInput, derivation: Option<&DerivedCeg>) -> String {
    if let Some(d) = derivation {
        return derived_ceg(d);
    }
    match e.censoring {
        Censoring::None => e.ceg.clone(),
        c => format!("{} {}", c.operator(), mult(e.ceg_central)),
    }
}

/// Every derivation of the results, in evidence order.
pub(crate) fn derivations(results: &Results) -> Vec<DerivationText> {
    results
        .evidence
        .iter()
        .filter_map(|e| e.derivation.as_ref().map(|d| (e, d)))
        .map(|(e, d)| DerivationText {
            id: e.id.clone(),
            model: d.model.clone(),
            benchmark: d.benchmark.clone(),
            own_compute: compute(d.own_compute),
            scores: format!("{:.1} → {:.1}", d.own_score, d.enhanced_score),
            equivalent_compute: compute(d.equivalent_compute),
            ceg: derived_ceg(d),
            logistic: d
                .logistic
                .and_then(|l| l.ceg.map(|c| (c, l.extrapolated)))
                .map_or_else(
                    || "–".to_owned(),
                    |(c, extrapolated)| {
                        if extrapolated {
                            format!("{} (extrapolated)", mult(c))
                        } else {
                            mult(c)
                        }
                    },
                ),
        })
        .collect()
}

/// A category's fit, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FitText {
    /// Category label.
    pub label: String,
    /// Rows, with the bounds among them: `7`, `7 (3 bounds)`.
    pub rows: String,
    /// The growth line's slope with its 90% interval, OOM per year, `censored` for the
    /// censored fit; or a dash.
    pub slope: String,
    /// Growth per year as a multiplier, or a dash.
    pub growth: String,
    /// The frontier fit's slope with its 90% interval, or a dash.
    pub frontier: String,
    /// Diagnostics joined into one paragraph.
    pub diagnostics: String,
}

/// The trend-fit table.
pub(crate) fn fit_text(results: &Results) -> Vec<FitText> {
    results
        .fits
        .categories
        .iter()
        .map(|f| one_fit(results, f))
        .collect()
}

fn one_fit(results: &Results, f: &CategoryFit) -> FitText {
    let dash = || "–".to_owned();
    let line = f.growth_line();
    FitText {
        label: category_label(results, &f.category).to_owned(),
        rows: match f.bounds {
            0 => f.n.to_string(),
            1 => format!("{} (1 bound)", f.n),
            b => format!("{} ({b} bounds)", f.n),
        },
        slope: line.map_or_else(dash, |l| {
            format!(
                "{:.2} ({:.2} to {:.2}){}",
                l.slope,
                l.slope_ci90[0],
                l.slope_ci90[1],
                if l.censored { ", censored" } else { "" }
            )
        }),
        growth: line.map_or_else(dash, |l| {
            format!("{} per year", mult(libm::pow(10.0, l.slope)))
        }),
        frontier: f.frontier_fit.as_ref().map_or_else(dash, |l| {
            format!(
                "{:.2} ({:.2} to {:.2})",
                l.slope, l.slope_ci90[0], l.slope_ci90[1]
            )
        }),
        diagnostics: f.diagnostics.join(" "),
    }
}
