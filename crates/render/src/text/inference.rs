//! The section "Estimates inferred from the evidence": per category whether the evidence or the
//! prior drives its estimate ([`Driver`], by the rule of [`driver`]), the tables of priors and
//! posteriors per scope, each study's influence, the backtest and the methods, all from
//! results.json's `inference`.

use overhang_model::Results;
use overhang_model::assessment::AVERAGE_SCOPE;
use overhang_model::results::{
    BacktestResults, CategoryInferenceOut, InferenceResults, OffsetOut, ParamOut, PredictionOut,
    PriorOut,
};
use serde::Serialize;

use super::evidence::scope_label;
use crate::format::{date_long, join_and, mult, number_words, plural};

/// How far, in posterior standard deviations of the level at release, the posterior median may
/// lie from the vague-prior posterior's median for the evidence to decide the estimate; and how
/// far the rows must move the median from the prior's for them to share it with the prior.
pub(crate) const DRIVER_SDS: f64 = 1.0;

/// An edge log density above this warns that the grid may cut the posterior.
pub(crate) const EDGE_WARNING: f64 = -20.0;

/// How many studies the influence table names per category.
const INFLUENCE_STUDIES: usize = 3;

/// What drives a category's estimate of the level at release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Driver {
    /// The posterior median is within [`DRIVER_SDS`] posterior sds of the vague-prior
    /// posterior's: the prior hardly matters.
    Evidence,
    /// The rows moved the median at least [`DRIVER_SDS`] posterior sds from the prior's, but a
    /// prior ten times as wide would put it elsewhere.
    Shared,
    /// The rows moved the median less than [`DRIVER_SDS`] posterior sds, and a prior ten times
    /// as wide would put it elsewhere.
    Prior,
}

/// The rule: the posterior against the vague-prior posterior first, then against the prior's
/// median, both in posterior sds of the level at release.
pub(crate) fn driver(prior_p50: f64, posterior: &ParamOut, vague_p50: Option<f64>) -> Driver {
    let sd = posterior.sd.max(f64::MIN_POSITIVE);
    let moved = (posterior.p50 - prior_p50).abs() / sd;
    match vague_p50 {
        Some(v) if (posterior.p50 - v).abs() / sd <= DRIVER_SDS => Driver::Evidence,
        None if moved >= DRIVER_SDS => Driver::Evidence,
        _ if moved >= DRIVER_SDS => Driver::Shared,
        _ => Driver::Prior,
    }
}

/// The section's words.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InferenceText {
    /// What the section shows.
    pub intro: String,
    /// One sentence per category of the average task.
    pub categories: Vec<String>,
    /// The categories whose rows contradict their prior, in a sentence; empty for none.
    pub contradicts: String,
    /// The average task's table.
    pub average: InferenceTable,
    /// The tables of the other scopes, their categories with rows only.
    pub scopes: Vec<InferenceTable>,
    /// The backtest in a paragraph; empty without one.
    pub backtest: String,
    /// The backtest per category.
    pub calibration: Vec<CalibrationRow>,
    /// The calibration table's caption.
    pub calibration_caption: String,
    /// Each category's most influential studies.
    pub influence: Vec<InfluenceRow>,
    /// The influence table's caption.
    pub influence_caption: String,
    /// The charts' introduction in the appendix.
    pub detail: String,
    /// The methods, one paragraph each.
    pub methods: Vec<String>,
    /// One line for summary.md and the brief.
    pub summary: String,
}

/// A table of priors and posteriors of one scope.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InferenceTable {
    /// The scope's label.
    pub label: String,
    /// The caption.
    pub caption: String,
    /// One row per category.
    pub rows: Vec<InferenceRow>,
}

/// One category's prior and posterior, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InferenceRow {
    /// The category's label.
    pub label: String,
    /// `rows / studies / bounds`.
    pub evidence: String,
    /// The prior of the level at release: `median (p5 to p95)`, multipliers.
    pub prior_level: String,
    /// The prior of growth, OOM/year.
    pub prior_growth: String,
    /// The posterior of the level at release; a dash without one.
    pub posterior_level: String,
    /// The posterior of growth.
    pub posterior_growth: String,
    /// The vague-prior posterior's median of the level at release.
    pub vague_level: String,
    /// The posterior median of the level minus the prior's, OOM.
    pub moved: String,
}

/// One category's most influential studies.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InfluenceRow {
    /// The category's label (with its scope outside the average task).
    pub label: String,
    /// The studies, most influential first, each with its shift; a dash where there are fewer.
    pub studies: [String; INFLUENCE_STUDIES],
}

/// One category's backtest.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CalibrationRow {
    /// The category's label.
    pub label: String,
    /// Rows fitted.
    pub fitted: String,
    /// Rows predicted: exact and bounds.
    pub predicted: String,
    /// Exact rows inside their 50% interval, `k of n`.
    pub in50: String,
    /// Inside their 90% interval.
    pub in90: String,
    /// The mean log score, or a dash.
    pub log_score: String,
}

fn level(x: f64) -> String {
    mult(libm::pow(10.0, x))
}

fn growth(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".to_owned() } else { s }
}

fn signed_oom(x: f64) -> String {
    let s = format!("{x:+.2}");
    if s == "+0.00" || s == "-0.00" {
        "0.00".to_owned()
    } else {
        s
    }
}

fn interval(p50: f64, p5: f64, p95: f64, f: fn(f64) -> String) -> String {
    format!("{} ({} to {})", f(p50), f(p5), f(p95))
}

fn prior_cell(p: &PriorOut, f: fn(f64) -> String) -> String {
    match (p.p50, p.p5, p.p95) {
        (Some(m), Some(lo), Some(hi)) => interval(m, lo, hi, f),
        _ => p.text.clone(),
    }
}

fn param_cell(p: &ParamOut, f: fn(f64) -> String) -> String {
    interval(p.p50, p.p5, p.p95, f)
}

const DASH: &str = "–";

/// The label of a category, with its scope's outside the average task.
fn scoped_label(results: &Results, c: &CategoryInferenceOut) -> String {
    if c.scope == AVERAGE_SCOPE {
        c.label.clone()
    } else {
        format!("{} ({})", c.label, scope_label(results, &c.scope))
    }
}

fn rows_in_studies(c: &CategoryInferenceOut) -> String {
    let bounds = match c.bounds {
        0 => String::new(),
        b => format!(
            " ({} of them {})",
            number_words(b as u32).to_lowercase(),
            if b == 1 { "a bound" } else { "bounds" }
        ),
    };
    format!(
        "{}{bounds} in {}",
        plural(c.rows.len(), "row", "rows"),
        plural(c.studies, "study", "studies"),
    )
}

/// One category's sentence: what drives its estimate, with the figures.
pub(crate) fn category_sentence(c: &CategoryInferenceOut) -> String {
    let label = &c.label;
    let prior = &c.prior.available;
    match (c.status.as_str(), c.posterior.as_ref(), prior.p50) {
        ("posterior", Some(post), Some(prior_p50)) => {
            let a = &post.available;
            let figures = format!(
                "{} (90% interval {} to {})",
                level(a.p50),
                level(a.p5),
                level(a.p95)
            );
            let vague = c.vague.map(|v| v.available.p50);
            let under_vague = vague.map_or_else(String::new, |v| {
                format!("; under a prior ten times as wide it would be {}", level(v))
            });
            let rows = rows_in_studies(c);
            let verb = if c.rows.len() == 1 { "moves" } else { "move" };
            let moved = (a.p50 - prior_p50).abs() >= DRIVER_SDS * a.sd;
            match driver(prior_p50, a, vague) {
                Driver::Evidence if !moved => format!(
                    "{label}: the evidence decides, and agrees with the prior: {rows} leave the \
                     level at release at {figures}, close to the prior median of {}{under_vague}.",
                    level(prior_p50)
                ),
                Driver::Evidence => format!(
                    "{label}: the evidence decides: {rows} {verb} the level at release from {} \
                     (prior median) to {figures}{under_vague}.",
                    level(prior_p50)
                ),
                Driver::Shared => format!(
                    "{label}: the evidence and the prior share it: {rows} {verb} the level at \
                     release from {} (prior median) to {figures}, but the prior still holds it \
                     back{under_vague}.",
                    level(prior_p50)
                ),
                Driver::Prior => format!(
                    "{label}: the prior decides: {rows} leave the level at release at {figures}, \
                     within one posterior standard deviation of the prior median of \
                     {}{under_vague}.",
                    level(prior_p50)
                ),
            }
        }
        ("opted_out", ..) => format!(
            "{label}: not inferred (the inputs set infer = false); its estimate {} is used as \
             written.",
            prior.text
        ),
        ("not_a_prior", ..) => format!(
            "{label}: its estimate {} cannot serve as a prior, so it is used as written.",
            prior.text
        ),
        (_, _, Some(m)) => format!(
            "{label}: no usable rows, so it keeps its prior: {} at release (90% interval {}).",
            level(m),
            match (prior.p5, prior.p95) {
                (Some(lo), Some(hi)) => format!("{} to {}", level(lo), level(hi)),
                _ => prior.text.clone(),
            }
        ),
        _ => format!(
            "{label}: no usable rows, so it keeps its estimate {} as written.",
            prior.text
        ),
    }
}

/// The categories whose rows contradict their prior, in a sentence; empty for none. A category
/// contradicted in several scopes is named once, with the scopes.
pub(crate) fn contradicts_sentence(results: &Results, inf: &InferenceResults) -> String {
    // (label, scopes in which it is contradicted), in the order first met.
    let mut named: Vec<(String, Vec<String>)> = Vec::new();
    for c in inf.categories.iter().filter(|c| c.contradicts_prior) {
        let scope = if c.scope == AVERAGE_SCOPE {
            "the average task".to_owned()
        } else {
            lower_first(scope_label(results, &c.scope))
        };
        match named.iter_mut().find(|(l, _)| *l == c.label) {
            Some((_, scopes)) => scopes.push(scope),
            None => named.push((c.label.clone(), vec![scope])),
        }
    }
    let one_scope = inf.categories.iter().all(|c| c.scope == AVERAGE_SCOPE);
    let names: Vec<String> = named
        .iter()
        .map(|(label, scopes)| {
            if one_scope {
                label.clone()
            } else {
                format!("{label} (in {})", join_and(scopes))
            }
        })
        .collect();
    match names.len() {
        0 => String::new(),
        1 if named[0].1.len() == 1 => format!(
            "For {}, the rows contradict the prior: the posterior median lies outside the \
             prior's 90% interval, so the estimate as written should be revisited.",
            names[0]
        ),
        _ => format!(
            "For {}, the rows contradict the prior: each posterior median lies outside its \
             prior's 90% interval, so those estimates as written should be revisited.",
            join_and(&names)
        ),
    }
}

/// A label with its first letter in lower case, to follow "in" ("in agentic software and cyber
/// tasks"), unless it starts with an acronym.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if !b.is_uppercase() => a
            .to_lowercase()
            .chain(std::iter::once(b))
            .chain(chars)
            .collect(),
        _ => label.to_owned(),
    }
}

fn table_row(c: &CategoryInferenceOut) -> InferenceRow {
    let post = c.posterior.as_ref();
    InferenceRow {
        label: c.label.clone(),
        evidence: format!("{} / {} / {}", c.rows.len(), c.studies, c.bounds),
        prior_level: prior_cell(&c.prior.available, level),
        prior_growth: prior_cell(&c.prior.growth, growth),
        posterior_level: post.map_or_else(|| DASH.to_owned(), |p| param_cell(&p.available, level)),
        posterior_growth: post.map_or_else(|| DASH.to_owned(), |p| param_cell(&p.growth, growth)),
        vague_level: c
            .vague
            .map_or_else(|| DASH.to_owned(), |v| level(v.available.p50)),
        moved: match (post, c.prior.available.p50) {
            (Some(p), Some(m)) => signed_oom(p.available.p50 - m),
            _ => DASH.to_owned(),
        },
    }
}

fn tables(results: &Results, inf: &InferenceResults) -> (InferenceTable, Vec<InferenceTable>) {
    let average = InferenceTable {
        label: scope_label(results, AVERAGE_SCOPE).to_owned(),
        caption: "The average task: each category's rows, studies and bounds; the prior and the \
                  posterior of the level at release (multiplier, median and 90% interval) and \
                  of growth (OOM per year); the posterior median under a prior ten times as \
                  wide; and how far the evidence moved the median of the level (OOM)."
            .to_owned(),
        rows: inf
            .categories
            .iter()
            .filter(|c| c.scope == AVERAGE_SCOPE)
            .map(table_row)
            .collect(),
    };
    let mut scopes = Vec::new();
    for s in results
        .inputs
        .scopes
        .iter()
        .filter(|s| s.id != AVERAGE_SCOPE)
    {
        let rows: Vec<InferenceRow> = inf
            .categories
            .iter()
            .filter(|c| c.scope == s.id && !c.rows.is_empty())
            .map(table_row)
            .collect();
        if rows.is_empty() {
            continue;
        }
        scopes.push(InferenceTable {
            label: s.label.clone(),
            caption: format!(
                "{}: every category with rows, from the same evidence as the average task \
                 under this scope's own priors (its overrides), with the same columns as the \
                 average task's table.",
                s.label
            ),
            rows,
        });
    }
    (average, scopes)
}

fn influence_rows(results: &Results, inf: &InferenceResults) -> Vec<InfluenceRow> {
    inf.categories
        .iter()
        .filter(|c| c.posterior.is_some() && !c.influence.is_empty())
        .map(|c| {
            let mut by: Vec<_> = c.influence.iter().collect();
            // Stable: ties keep the order of the studies' first rows.
            by.sort_by(|a, b| b.available_shift.abs().total_cmp(&a.available_shift.abs()));
            let mut studies: [String; INFLUENCE_STUDIES] = std::array::from_fn(|_| DASH.to_owned());
            for (cell, i) in studies.iter_mut().zip(by) {
                *cell = format!("{} ({} OOM)", i.study, signed_oom(i.available_shift));
            }
            InfluenceRow {
                label: scoped_label(results, c),
                studies,
            }
        })
        .collect()
}

/// Whether a share of `n` is further from `expected` than two binomial standard errors.
fn far(share: f64, expected: f64, n: usize) -> bool {
    n > 0 && (share - expected).abs() > 2.0 * libm::sqrt(expected * (1.0 - expected) / n as f64)
}

fn count_of(share: Option<f64>, n: usize) -> usize {
    share.map_or(0, |s| libm::round(s * n as f64) as usize)
}

/// The backtest in a paragraph.
pub(crate) fn backtest_paragraph(b: &BacktestResults) -> String {
    let fitted: usize = b.categories.iter().map(|c| c.fitted).sum();
    // A cutoff of a month (`2024-10`) reads as the month.
    let cutoff = if b.cutoff.len() == 7 {
        let day = date_long(&format!("{}-01", b.cutoff));
        day.strip_prefix("1 ").map_or(day.clone(), str::to_owned)
    } else {
        date_long(&b.cutoff)
    };
    let n = b.exact;
    let mut parts = vec![format!(
        "Fitted on the {} dated before {cutoff} (in the categories with later rows), the model \
         predicted ",
        plural(fitted, "row", "rows"),
    )];
    if n == 0 {
        parts.push(
            "no later exact row, so its intervals cannot be checked against values.".to_owned(),
        );
    } else {
        let k50 = count_of(b.coverage50, n);
        let k90 = count_of(b.coverage90, n);
        parts.push(format!(
            "the {} later exact {}: {} of them fell inside {} 50% predictive interval (expected \
             half) and {} inside the 90% one (expected nine in ten).",
            number_words(n as u32).to_lowercase(),
            if n == 1 { "row" } else { "rows" },
            number_words(k50 as u32).to_lowercase(),
            if n == 1 { "its" } else { "their" },
            number_words(k90 as u32).to_lowercase(),
        ));
        let c50 = b.coverage50.unwrap_or(0.5);
        let c90 = b.coverage90.unwrap_or(0.9);
        let verdict = if (far(c50, 0.5, n) && c50 < 0.5) || (far(c90, 0.9, n) && c90 < 0.9) {
            " The intervals are too narrow: fewer later rows fell inside them than they promise \
             (by more than two binomial standard errors), so the model was more confident than \
             the later evidence bore out."
        } else if (far(c50, 0.5, n) && c50 > 0.5) || (far(c90, 0.9, n) && c90 > 0.9) {
            " The intervals are too wide: more later rows fell inside them than they promise \
             (by more than two binomial standard errors), so the model is less certain than the \
             later evidence needed."
        } else {
            ""
        };
        if verdict.is_empty() {
            parts.push(format!(
                " With {} rows, both shares are within two binomial standard errors of what the \
                 intervals promise, so the backtest cannot call them too wide or too narrow.",
                number_words(n as u32).to_lowercase()
            ));
        } else {
            parts.push(verdict.to_owned());
        }
        if let Some(s) = b.mean_log_score_exact {
            parts.push(format!(
                " The mean log score of the exact rows is {s:.2} (natural log of the predictive \
                 density per OOM)."
            ));
        }
        let worst = b
            .categories
            .iter()
            .filter_map(|c| c.mean_log_score.map(|s| (c, s)))
            .min_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((c, s)) = worst.filter(|_| b.categories.len() > 1) {
            parts.push(format!(
                " The later rows of {} were predicted worst (mean log score {s:.2}).",
                c.label
            ));
        }
    }
    if b.bounds > 0 {
        let likely = b
            .categories
            .iter()
            .flat_map(|c| &c.predictions)
            .filter(|p| p.kind != "exact" && p.log_score > -core::f64::consts::LN_2)
            .count();
        if b.bounds == 1 {
            parts.push(format!(
                " The prediction gave the one later bound a probability {} one half.",
                if likely == 1 { "above" } else { "at or below" }
            ));
        } else {
            parts.push(format!(
                " Of the {} later bounds, the prediction gave {} a probability above one half.",
                number_words(b.bounds as u32).to_lowercase(),
                number_words(likely as u32).to_lowercase(),
            ));
        }
    }
    // Each part after the first brings its own leading space.
    parts.concat()
}

fn calibration_rows(b: &BacktestResults) -> Vec<CalibrationRow> {
    b.categories
        .iter()
        .map(|c| {
            let exact: Vec<_> = c.predictions.iter().filter(|p| p.kind == "exact").collect();
            let bounds = c.predictions.len() - exact.len();
            let inside = |f: fn(&PredictionOut) -> bool| {
                if exact.is_empty() {
                    DASH.to_owned()
                } else {
                    format!(
                        "{} of {}",
                        exact.iter().filter(|p| f(p)).count(),
                        exact.len()
                    )
                }
            };
            CalibrationRow {
                label: c.label.clone(),
                fitted: c.fitted.to_string(),
                predicted: format!(
                    "{} exact, {bounds} {}",
                    exact.len(),
                    if bounds == 1 { "bound" } else { "bounds" }
                ),
                in50: inside(|p| p.in50 == Some(true)),
                in90: inside(|p| p.in90 == Some(true)),
                log_score: c
                    .mean_log_score
                    .map_or_else(|| DASH.to_owned(), |s| format!("{s:.2}")),
            }
        })
        .collect()
}

fn offset(o: &OffsetOut) -> String {
    if o.sd > 0.0 {
        format!(
            "{} (normal in log10, mean {:.2}, sd {:.3})",
            o.text, o.mean, o.sd
        )
    } else {
        format!("{} (known, {:.2} in log10)", o.text, o.mean)
    }
}

fn methods(inf: &InferenceResults) -> Vec<String> {
    let s = &inf.settings;
    let edges: Vec<(&CategoryInferenceOut, f64)> = inf
        .categories
        .iter()
        .filter_map(|c| c.posterior.map(|p| (c, p.edge)))
        .collect();
    let worst = edges
        .iter()
        .map(|(_, e)| *e)
        .fold(f64::NEG_INFINITY, f64::max);
    let warned: Vec<String> = edges
        .iter()
        .filter(|(_, e)| *e > EDGE_WARNING)
        .map(|(c, _)| c.label.clone())
        .collect();
    let edge = if edges.is_empty() {
        "No category has a posterior, so there is no grid to check.".to_owned()
    } else if warned.is_empty() {
        format!(
            "Here the largest edge density over every category's posterior is {worst:.1}, so \
             every grid holds its posterior's mass."
        )
    } else {
        format!(
            "Warning: the edge density is above {EDGE_WARNING:.0} for {}, so its grid may cut \
             the posterior and its percentiles are suspect.",
            join_and(&warned)
        )
    };
    vec![
        "Each category's level at release a_c (log10 of the multiplier over the released \
         model) and growth g_c (OOM per year) are inferred per task scope from the category's \
         evidence rows. The prior of a_c is the category's available estimate: a 90% interval \
         a to b is normal in log10 with p5 = log10 a and p95 = log10 b. The prior of g_c is its \
         growth estimate as written: lognormal for an interval with a positive lower end, \
         normal otherwise; a point is a known growth."
            .to_owned(),
        format!(
            "Evidence row i, dated t_i years from the release (negative before), reads y_i = a_c \
             + g_c t_i + d_e(i) + u_s(i) + e_i, all in log10. d_e is the transfer offset of the \
             row's estimand, one unknown shared by every row of that estimand in the category: \
             measured on a base model {}; on a post-trained model {}; against another \
             post-training {}. u_s ~ Normal(0, tau^2) is the effect of the row's study, shared \
             by its rows, with tau = {:.2} (study_sd). e_i ~ Normal(0, sigma_i^2) is the row's \
             own error, sigma_i by its grade: {:.2} primary, {:.2} measured, {:.2} secondary \
             (row_sd, log10), widened by a written interval's own spread.",
            offset(&s.transfer.base),
            offset(&s.transfer.post_trained),
            offset(&s.transfer.versus_pte),
            s.study_sd,
            s.row_sd.primary,
            s.row_sd.measured,
            s.row_sd.secondary,
        ),
        "A bound enters by the normal tail, never as a point: given the offset and the study \
         effect, y >= b contributes Phi((mean_i - b) / sigma_i) and y <= b contributes Phi((b - \
         mean_i) / sigma_i). Assumption rows, preference rows and lower bounds of 1 are left \
         out; a row whose enhancement also contains other categories enters only the category \
         it is filed under."
            .to_owned(),
        format!(
            "The posterior of (a_c, g_c) is computed exactly on a grid, the study effects and an \
             uncertain offset integrated out at each node by Gauss-Hermite quadrature: there is \
             no sampler, so there is no R-hat or effective sample size to report. What replaces \
             them is the check that the grid holds the mass: the largest log density on the \
             grid's edge relative to the mode, below {EDGE_WARNING:.0} when it does. {edge} The \
             simulation draws each category's (a_c, g_c) jointly from its posterior."
        ),
        format!(
            "Evidence or prior. The vague prior keeps the prior's median with ten times its \
             standard deviation. A category's estimate is driven by the evidence when its \
             posterior median of a_c lies within {} posterior standard deviation of the median \
             under the vague prior: a prior ten times as wide would give about the same answer. \
             Otherwise the evidence and the prior share it when the rows moved the median at \
             least {} posterior standard deviation from the prior's median, and the prior \
             decides when they moved it less. The rows contradict the prior when the posterior \
             median of a_c or g_c lies outside the prior's 90% interval.",
            number_words(DRIVER_SDS as u32).to_lowercase(),
            number_words(DRIVER_SDS as u32).to_lowercase(),
        ),
        "A study's influence is the posterior median of a_c with every row minus that without \
         the study's rows. The backtest fits each category on the rows dated before a cutoff \
         and predicts every later row by the posterior predictive, which adds a fresh study \
         effect and the transfer offset's prior to the row's own error; both make its intervals \
         a little wide, never narrow."
            .to_owned(),
    ]
}

fn summary(results: &Results, inf: &InferenceResults) -> String {
    let mut ids: Vec<&str> = inf
        .categories
        .iter()
        .filter(|c| c.posterior.is_some())
        .flat_map(|c| c.rows.iter().map(|r| r.id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let moved = inf
        .categories
        .iter()
        .filter_map(|c| {
            let p = c.posterior.as_ref()?;
            let m = c.prior.available.p50?;
            Some((c, m, p.available.p50))
        })
        .max_by(|a, b| (a.2 - a.1).abs().total_cmp(&(b.2 - b.1).abs()));
    match moved {
        None => "No category has usable evidence rows, so every category estimate is its prior \
                 as written."
            .to_owned(),
        Some((c, m, p)) => format!(
            "The category estimates are posteriors given {} evidence {}; the one that moved most \
             is {}, from {} (prior median) to {} at release.",
            ids.len(),
            if ids.len() == 1 { "row" } else { "rows" },
            scoped_label(results, c),
            level(m),
            level(p),
        ),
    }
}

/// The section's words, when results.json has `inference`.
pub(crate) fn inference_text(results: &Results) -> Option<InferenceText> {
    let inf = results.inference.as_ref()?;
    let (average, scopes) = tables(results, inf);
    Some(InferenceText {
        intro: "Each category's level at release and growth are posteriors: the estimate in the \
                inputs is the prior, the category's evidence rows update it, and the simulation \
                draws from the posterior. Below, per category of the average task, whether the \
                evidence or the prior drives the estimate, by the rule stated in Methods."
            .to_owned(),
        categories: inf
            .categories
            .iter()
            .filter(|c| c.scope == AVERAGE_SCOPE)
            .map(category_sentence)
            .collect(),
        contradicts: contradicts_sentence(results, inf),
        average,
        scopes,
        backtest: inf
            .backtest
            .as_ref()
            .map(backtest_paragraph)
            .unwrap_or_default(),
        calibration: inf
            .backtest
            .as_ref()
            .map(calibration_rows)
            .unwrap_or_default(),
        calibration_caption: "The backtest per category: the rows fitted (dated before the \
                              cutoff), the later rows predicted, how many exact rows fell inside \
                              their 50% and 90% predictive intervals, and the mean log score of \
                              every predicted row."
            .to_owned(),
        influence: influence_rows(results, inf),
        influence_caption: "The three studies that move each category's level at release most: \
                            the posterior median with every row minus that without the study, \
                            in OOM (positive: the study raises it)."
            .to_owned(),
        detail: "Per category of the average task with rows: the prior's and the posterior's 90% \
                 intervals of the level at release as bars at the release date, each row at its \
                 date (exact values as dots, bounds as triangles pointing their way), and the \
                 posterior's median line a + g t across the dates."
            .to_owned(),
        methods: methods(inf),
        summary: summary(results, inf),
    })
}

#[cfg(test)]
mod tests {
    use overhang_model::results::{PosteriorOut, PriorsOut};

    use super::*;

    fn post(p50: f64, sd: f64) -> ParamOut {
        ParamOut {
            p5: p50 - 1.645 * sd,
            p50,
            p95: p50 + 1.645 * sd,
            mean: p50,
            sd,
        }
    }

    #[test]
    fn the_rule_compares_the_posterior_with_the_vague_prior_then_with_the_prior() {
        // Within one sd of the vague-prior posterior: the evidence decides, however far it moved.
        assert_eq!(driver(0.0, &post(1.0, 0.2), Some(1.15)), Driver::Evidence);
        assert_eq!(driver(0.95, &post(1.0, 0.2), Some(1.2)), Driver::Evidence);
        // Further: shared when the rows moved it at least one sd, the prior's otherwise.
        assert_eq!(driver(0.0, &post(1.0, 0.2), Some(2.0)), Driver::Shared);
        assert_eq!(driver(0.9, &post(1.0, 0.2), Some(2.0)), Driver::Prior);
        // Without a vague posterior, moving one sd is enough.
        assert_eq!(driver(0.0, &post(1.0, 0.2), None), Driver::Evidence);
        assert_eq!(driver(0.9, &post(1.0, 0.2), None), Driver::Prior);
    }

    fn category(prior_p50: f64, posterior: Option<(f64, f64)>, vague: f64) -> CategoryInferenceOut {
        let prior = |p50: f64| PriorOut {
            text: "1.5 to 15".to_owned(),
            distribution: "normal".to_owned(),
            mean: Some(p50),
            sd: Some(0.3),
            mu: None,
            sigma: None,
            value: None,
            p5: Some(p50 - 0.5),
            p50: Some(p50),
            p95: Some(p50 + 0.5),
        };
        let out = |a: f64, sd: f64| PosteriorOut {
            available: post(a, sd),
            growth: post(0.1, 0.05),
            correlation: 0.0,
            edge: -30.0,
        };
        CategoryInferenceOut {
            scope: AVERAGE_SCOPE.to_owned(),
            category: "c".to_owned(),
            label: "Prompting".to_owned(),
            status: if posterior.is_some() {
                "posterior"
            } else {
                "no_rows"
            }
            .to_owned(),
            prior: PriorsOut {
                available: prior(prior_p50),
                growth: prior(0.1),
            },
            rows: Vec::new(),
            studies: 3,
            bounds: 0,
            left_out: Vec::new(),
            posterior: posterior.map(|(a, sd)| out(a, sd)),
            vague: posterior.map(|(_, sd)| out(vague, sd)),
            influence: Vec::new(),
            contradicts_prior: false,
        }
    }

    #[test]
    fn evidence_that_does_not_move_the_prior_agrees_with_it() {
        let s = category_sentence(&category(0.3, Some((0.32, 0.15)), 0.35));
        assert!(
            s.starts_with("Prompting: the evidence decides, and agrees with the prior: zero rows"),
            "{s}"
        );
        assert!(s.contains("close to the prior median of 2.0x"), "{s}");
        let s = category_sentence(&category(0.3, Some((1.0, 0.15)), 1.1));
        assert!(
            s.contains("the evidence decides: zero rows in three studies move"),
            "{s}"
        );
        let s = category_sentence(&category(0.3, None, 0.0));
        assert_eq!(
            s,
            "Prompting: no usable rows, so it keeps its prior: 2.0x at release (90% interval 0.63x \
             to 6.3x)."
        );
    }

    #[test]
    fn a_share_is_far_beyond_two_binomial_standard_errors() {
        // Nine rows: two standard errors of a 50% share are 0.33.
        assert!(!far(2.0 / 9.0, 0.5, 9));
        assert!(far(1.0 / 9.0, 0.5, 9));
        assert!(!far(0.1, 0.5, 0));
    }
}
