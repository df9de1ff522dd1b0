//! The report's sentences and tables: everything the outputs say, built from [`Results`] with
//! the formatting of [`crate::format`].
//!
//! The PDF and summary.md must never disagree about a rounded number, so every figure is
//! formatted once, here. The [`Narrative`] is handed to typst as a JSON value (never pasted into
//! markup) and to the minijinja templates as their context. One file per part of the report:
//! [`scenario`] (headline, thresholds, projection, sensitivity), [`evidence`] (evidence, fits,
//! composability) and [`changes`] (changes since the previous version).

mod brief;
mod changes;
mod combine;
mod coverage;
mod evidence;
mod fits;
mod inference;
mod model;
pub(crate) mod policies;
mod reading;
mod scenario;

use overhang_model::results::{EvidenceInput, ProjectionPoint, Results};
use serde::Serialize;

use crate::format::{date_long, group_thousands, join_and, months_phrase, mult, threshold_mult};

use changes::changes_text;

use combine::{CombinationsText, combinations_text};
pub(crate) use evidence::derived_ceg;
use evidence::{
    EvidenceMeasures, category_label, ceg_cell, composability_sentence, count, derivations,
    fit_text, informative, is_url, learning_sentence, measures, scope_fit_text, scope_label,
    thinness,
};
pub(crate) use model::extrapolation_months;
use model::{ModelText, model_text};
use reading::{EvaluationText, evaluation_text, worked_draw};
pub(crate) use scenario::horizon_sensitivity;
use scenario::scenario_text;

/// Months after release of the early headline, when the grid has that step.
pub(crate) const EARLY_MONTHS: u32 = 12;

/// How many inputs the sensitivity table lists.
const SENSITIVITY_ROWS: usize = 8;

/// How many inputs the table of swings in the probability of reaching the main step lists.
const STEP_SENSITIVITY_ROWS: usize = 5;

/// Everything the outputs say, already formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Narrative {
    /// The report date spelled out, for example `26 November 2026`.
    pub date_long: String,
    /// The authors joined into a phrase.
    pub authors: String,
    /// The one-line citation.
    pub citation: String,
    /// Which files the citation names: the PDF and the web page, beside each other.
    pub citation_files: String,
    /// The first 12 hex digits of the fingerprint.
    pub fingerprint_short: String,
    /// The early headline step (12 months when the grid has it).
    pub early_months: u32,
    /// The horizon.
    pub horizon_months: u32,
    /// "12 months", "60 months".
    pub early_phrase: String,
    /// Likewise for the horizon.
    pub horizon_phrase: String,
    /// Per scope x scenario.
    pub scenarios: Vec<ScenarioText>,
    /// The task scopes besides the average task.
    pub scopes: Vec<ScopeText>,
    /// The pre-release evaluation every uplift is measured over, when the inputs state it.
    pub evaluation: Option<EvaluationText>,
    /// One draw worked from the category gains to one uplift, for the reader's guide; empty
    /// when the composability method has no short worked form (pairwise).
    pub worked_draw: String,
    /// Whether any threshold has a cadence or a tolerance.
    pub has_policy: bool,
    /// The evidence table.
    pub evidence: Vec<EvidenceText>,
    /// Evidence counted per category.
    pub evidence_counts: Vec<EvidenceCount>,
    /// The evidence counts totalled.
    pub evidence_total: EvidenceCount,
    /// A plain statement of how thin the evidence is.
    pub thinness: String,
    /// Per category, then per declared task scope, the studies the evidence gives against
    /// the coverage an estimate needs.
    pub coverage: Vec<coverage::CoverageRow>,
    /// Which rows of `coverage` fall short, in words.
    pub coverage_sentence: String,
    /// Samples per scenario with thousands separators.
    pub samples: String,
    /// Every uncertain input the sensitivity analysis names, as `(label, path in the inputs)`,
    /// in order of first appearance: the appendix that keeps configuration paths out of the
    /// prose.
    pub input_names: Vec<(String, String)>,
    /// The trend-fit table.
    pub fits: Vec<FitText>,
    /// What the fits say about the data as a whole, one sentence each (each category's notes
    /// are in its row of `fits`).
    pub fit_notes: Vec<String>,
    /// The trend fits of each declared task scope, of its own rows.
    pub scope_fits: Vec<ScopeFitText>,
    /// The derived CEGs, for the appendix.
    pub derivations: Vec<DerivationText>,
    /// The pooled fit as a sentence, if any.
    pub pooled: Option<String>,
    /// The categories' inputs as written, with labels.
    pub categories: Vec<CategoryText>,
    /// The composability assumption as a sentence.
    pub composability: String,
    /// Whether composability was learned from measured combinations, and from how many rows.
    pub composability_learning: String,
    /// The section on measured combinations; absent when there are none.
    pub combinations: Option<CombinationsText>,
    /// The thresholds as written.
    pub thresholds: Vec<ThresholdText>,
    /// Whether any threshold is quoted from a superseded policy version.
    pub any_superseded: bool,
    /// The clauses of policies.toml; empty without one.
    pub clauses: Vec<policies::ClauseRow>,
    /// Whether any scope x scenario has the worth of a calendar leg of a clause in force.
    pub has_calendar: bool,
    /// Title and alt text of every chart, by file name.
    pub charts: Vec<ChartText>,
    /// `[name, version]` of the tool and the libraries that shape the outputs.
    pub versions: Vec<(String, String)>,
    /// What changed since the previous version, when there is one.
    pub changes: Option<ChangesText>,
    /// The model's structural choices, the headline conditional on kappa and the implied
    /// growth after release in context.
    pub model: ModelText,
    /// The two-page brief.
    pub brief: brief::BriefText,
    /// The section "Estimates inferred from the evidence", when results.json has `inference`.
    pub inference: Option<inference::InferenceText>,
}

/// The section "Changes since version X".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangesText {
    /// The section's title, for example `Changes since version 0.1.0`.
    pub title: String,
    /// The previous version.
    pub since: String,
    /// This version.
    pub version: String,
    /// The heading of the previous version's column: `Version 0.1.0`.
    pub old_label: String,
    /// The heading of this version's column: `Version 0.2.0`, or `This draft` when a draft
    /// is compared with the published version of the same number.
    pub new_label: String,
    /// The author's note, if any.
    pub text: Option<String>,
    /// The headline numbers that moved.
    pub metrics: Vec<MetricChangeText>,
    /// The changed inputs, one line each.
    pub inputs: Vec<String>,
    /// A sentence counting what changed.
    pub overview: String,
    /// The table "What moved the headline", when the change was attributed.
    pub attribution: Option<AttributionText>,
}

/// The table "What moved the headline" and the sentence before it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AttributionText {
    /// What moved, by how much, and what moved it most.
    pub sentence: String,
    /// The rows, the total last.
    pub rows: Vec<crate::format::AttributionRow>,
}

/// A headline number before and after.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MetricChangeText {
    /// Label.
    pub label: String,
    /// The previous value, formatted, or a dash.
    pub old: String,
    /// This version's value, formatted, or a dash.
    pub new: String,
}

/// One scope x scenario's sentences and tables.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ScenarioText {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// The scope's label.
    pub scope: String,
    /// The scenario's own label.
    pub scenario: String,
    /// The answers each clause in force needs, as sentences a policy author can quote.
    pub policy: String,
    /// The answers about the effective-compute steps of clauses in force, one row per step.
    pub policy_rows: Vec<policies::AnswerRow>,
    /// The same answers about steps of superseded versions, kept for the history table.
    pub history_rows: Vec<policies::AnswerRow>,
    /// What each clause's calendar leg is worth, in registry order.
    pub calendar_rows: Vec<policies::CalendarRow>,
    /// The policy numbers, one row per re-evaluation step: the gap at release and the growth
    /// after release alone against the step.
    pub step_rows: Vec<StepRow>,
    /// The safety buffers, one row per tolerance: at release and at 12 months.
    pub buffer_rows: Vec<BufferRow>,
    /// The headline at fixed values of kappa, then blended over its prior (and under the
    /// alternative prior), as sentences that lead the scenario's summary; empty when kappa is
    /// not an uncertain input.
    pub kappa_lead: String,
    /// The headline at the early step, as a sentence.
    pub headline_early: String,
    /// The headline at the horizon, as a sentence.
    pub headline_horizon: String,
    /// The headline rows: early step and horizon.
    pub headline: Vec<HeadlineRow>,
    /// One row per threshold.
    pub thresholds: Vec<ThresholdRow>,
    /// The projection every 12 months (or every step when the step does not divide 12).
    pub projection: Vec<ProjectionRow>,
    /// Where experiments would help most, as a sentence.
    pub sensitivity_sentence: String,
    /// The most influential inputs at the horizon.
    pub sensitivity: Vec<SensitivityRow>,
    /// The inputs that most move the probability of reaching the main step by 12 months, as a
    /// sentence that names the decision it serves (re-evaluation).
    pub step_sensitivity_sentence: String,
    /// The inputs that most move that probability, widest swing first.
    pub step_sensitivity: Vec<StepSwingRow>,
    /// The header of the swing column of `step_sensitivity`; empty without a main step.
    pub step_sensitivity_header: String,
    /// The leader of each ranking and the decision it serves, in one line (summary.md).
    pub sensitivity_brief: String,
    /// The rankings for the policy answers a re-evaluation needs: the growth since the last
    /// evaluation (how often to re-evaluate) and the gap at release (adequacy).
    pub answer_sensitivity: Vec<AnswerRanking>,
    /// The overrides of the base case (the scope's, then the scenario's) in words, joined by
    /// semicolons; empty for none.
    pub overrides: String,
    /// Each category's CEG.
    pub contributions: Vec<ContributionRow>,
}

/// A headline row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HeadlineRow {
    /// Months after release.
    pub months: u32,
    /// Median multiplier.
    pub median: String,
    /// 90% interval.
    pub interval90: String,
    /// 50% interval.
    pub interval50: String,
}

/// One re-evaluation step's policy numbers, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepRow {
    /// The step's multiplier.
    pub step: String,
    /// The probability that the gap at release alone has reached the step.
    pub at_release: String,
    /// The probability that growth after release alone reaches the step by 3, 6 and 12
    /// months, each a percentage or a dash beyond the horizon.
    pub growth_alone: [String; 3],
}

/// One tolerance's safety buffers, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BufferRow {
    /// The tolerance.
    pub tolerance: String,
    /// The buffer at release.
    pub at_release: String,
    /// The buffer at 12 months, or a dash beyond the horizon.
    pub at_twelve: String,
}

/// A task scope as the report describes it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ScopeText {
    /// Label.
    pub label: String,
    /// What it covers and where its overrides come from.
    pub description: String,
    /// The overrides of the average task in words, joined by semicolons; empty for none.
    pub overrides: String,
}

/// A threshold row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ThresholdRow {
    /// Label.
    pub label: String,
    /// The multiplier, formatted.
    pub multiplier: String,
    /// Probability of exceeding it at the early step.
    pub p_early: String,
    /// At the horizon.
    pub p_horizon: String,
    /// Median month of first crossing, or "not within N months".
    pub median_crossing: String,
    /// Probability of no crossing within the horizon.
    pub p_no_crossing: String,
}

/// A projection row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProjectionRow {
    /// Months.
    pub months: u32,
    /// p5, p25, p50, p75, p95, formatted.
    pub quantiles: [String; 5],
}

/// A sensitivity row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SensitivityRow {
    /// Rank.
    pub rank: u32,
    /// Label.
    pub label: String,
    /// First-order share at the horizon.
    pub share: String,
    /// First-order share at 12 months; a dash when 12 months is the horizon.
    pub share_early: String,
    /// Median with the input at its p5 and p95.
    pub swing: String,
}

/// The inputs ranked by their share of the variance of one policy answer's quantity.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnswerRanking {
    /// The decision it serves and what leads it, as a sentence.
    pub sentence: String,
    /// The header of the share column.
    pub header: String,
    /// The inputs with a share, largest first, at most [`STEP_SENSITIVITY_ROWS`].
    pub rows: Vec<AnswerRow>,
}

/// A row of an [`AnswerRanking`].
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnswerRow {
    /// Rank.
    pub rank: u32,
    /// Label.
    pub label: String,
    /// The first-order share of the variance, as a percentage.
    pub share: String,
}

/// A row of the ranking by the swing in the probability of reaching the main step.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepSwingRow {
    /// Rank by that swing.
    pub rank: u32,
    /// Label.
    pub label: String,
    /// The probability with the input at its p5 and at its p95.
    pub swing: String,
}

/// A contribution row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContributionRow {
    /// Label.
    pub label: String,
    /// Available, `median (p5 to p95)`.
    pub available: String,
    /// Elicited.
    pub elicited: String,
    /// At the horizon.
    pub at_horizon: String,
}

/// An evidence row, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EvidenceText {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Category label.
    pub category: String,
    /// Benchmark, or an empty string.
    pub benchmark: String,
    /// CEG: an estimate as written, a bound as `>= 14x`, a derived CEG as derived.
    pub ceg: String,
    /// True when the CEG was derived from scaling.csv.
    pub derived: bool,
    /// Date as written.
    pub date: String,
    /// Evidence grade.
    pub grade: String,
    /// Source.
    pub source: String,
    /// Whether the source is a web address (and so a link).
    pub source_is_url: bool,
    /// Notes.
    pub notes: String,
    /// The label of the task scope the row was measured on; empty for the average task.
    pub scope: String,
    /// The row's inference cost as a multiple of plain sampling (`100x`); empty when it gives
    /// none.
    pub inference_cost: String,
    /// What the row measures and with which rows: its study, estimand, mix and metric.
    #[serde(flatten)]
    pub measures: EvidenceMeasures,
}

/// Evidence rows counted.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct EvidenceCount {
    /// Category label (or "All categories").
    pub label: String,
    /// Rows.
    pub rows: usize,
    /// Rows read in the original.
    pub primary: usize,
    /// Rows whose CEG was computed on a fitted scaling curve (derived).
    pub measured: usize,
    /// Rows known only from a secondary account.
    pub secondary: usize,
    /// Rows that are assumptions.
    pub assumption: usize,
}

/// A category's trend fit, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FitText {
    /// Category label.
    pub label: String,
    /// Rows, with the bounds among them: `7`, `7 (3 bounds)`.
    pub rows: String,
    /// The slope the category's growth claim rests on (OLS, or the censored fit, marked
    /// `censored`) with its 90% interval, OOM per year; or a dash.
    pub slope: String,
    /// Growth per year as a multiplier, or a dash.
    pub growth: String,
    /// The frontier fit's slope with its 90% interval, or a dash.
    pub frontier: String,
    /// Diagnostics joined into one paragraph.
    pub diagnostics: String,
}

/// A task scope's trend fits, formatted briefly.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ScopeFitText {
    /// The scope's label.
    pub label: String,
    /// Its rows counted by category, and whether they allow a fit.
    pub summary: String,
    /// The fits of the categories with rows in the scope.
    pub fits: Vec<FitText>,
    /// The scope's pooled fit as a sentence, if any.
    pub pooled: Option<String>,
    /// What the scope's fits say about its data as a whole, one sentence each.
    pub notes: Vec<String>,
}

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

/// A category's inputs.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CategoryText {
    /// Label.
    pub label: String,
    /// Available.
    pub available: String,
    /// Elicited.
    pub elicited: String,
    /// Growth.
    pub growth: String,
    /// Cap, or a dash.
    pub cap: String,
    /// Inference cost per task as a multiple of plain sampling, or a dash.
    pub inference_cost: String,
    /// Rationale.
    pub rationale: String,
}

/// A threshold as written.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ThresholdText {
    /// Label.
    pub label: String,
    /// Multiplier, formatted.
    pub multiplier: String,
    /// Policy and source.
    pub policy: String,
    /// The re-evaluation interval and the tolerance, for example `every 6 months; tolerance
    /// 10%`, or a dash.
    pub schedule: String,
    /// The step's legs: `4x effective compute or 6 months`, or the compute leg alone.
    pub legs: String,
    /// The tolerance as a percentage, or a dash.
    pub tolerance: String,
    /// The policy, version and date quoted (`Anthropic Responsible Scaling Policy 2.0,
    /// 2024-10`); empty when the inputs do not name them.
    pub quoted: String,
    /// What superseded the quoted version; empty for a version in force.
    pub superseded_by: String,
}

/// The policy, version and date a threshold is quoted from, as one phrase.
fn quoted(t: &overhang_model::results::ThresholdInput) -> String {
    let mut parts: Vec<String> = Vec::new();
    let name = [t.policy_name.as_str(), t.policy_version.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if !name.is_empty() {
        parts.push(name);
    }
    if let Some(d) = &t.policy_date {
        parts.push(d.clone());
    }
    parts.join(", ")
}

/// A threshold's cadence and tolerance as a phrase.
fn schedule(cadence: Option<u32>, tolerance: Option<f64>) -> String {
    let parts: Vec<String> = [
        cadence.map(|c| format!("every {}", months_phrase(c))),
        tolerance.map(|t| format!("tolerance {}", crate::format::pct(t))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "–".to_owned()
    } else {
        parts.join("; ")
    }
}

/// A chart's caption and alt text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChartText {
    /// File name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Alt text.
    pub alt: String,
}

/// The index of the grid step at (or nearest to) `months`.
pub(crate) fn step_index(projection: &[ProjectionPoint], months: u32) -> Option<usize> {
    projection
        .iter()
        .enumerate()
        .min_by_key(|(_, p)| p.months.abs_diff(months))
        .map(|(i, _)| i)
}

/// The early headline step: 12 months when the grid reaches it, else the first step after 0.
pub(crate) fn early_months(results: &Results) -> u32 {
    let first = results.scenarios.first();
    let grid: Vec<u32> = first
        .map(|s| s.projection.iter().map(|p| p.months).collect())
        .unwrap_or_default();
    if grid.contains(&EARLY_MONTHS) {
        EARLY_MONTHS
    } else {
        grid.iter().copied().find(|&m| m > 0).unwrap_or(0)
    }
}

/// What the citation line adds about the files of a version.
pub(crate) const CITATION_FILES: &str = "The report is report.pdf and, as a web page, \
     report.html, in the same version folder; in the web page every headline number has an \
     anchor that links to it alone.";

/// The citation line of the title page.
pub(crate) fn citation(results: &Results) -> String {
    let r = &results.report;
    let year = r.date.get(..4).unwrap_or(&r.date);
    format!(
        "{} ({year}). {}, version {}. Generated by overhang {} on {}; input fingerprint {}.",
        join_and(&r.authors),
        r.title,
        r.version,
        results.tool_version,
        r.date,
        short_fingerprint(&results.fingerprint),
    )
}

fn short_fingerprint(fingerprint: &str) -> String {
    fingerprint.chars().take(12).collect()
}

include!(concat!(env!("OUT_DIR"), "/dependency_versions.rs"));

/// Everything formatted, from the results and the charts' captions.
pub(crate) fn narrative(results: &Results, charts: &[ChartText]) -> Narrative {
    let early = early_months(results);
    let horizon = results.simulation.horizon_months;
    let evidence = results
        .inputs
        .evidence
        .iter()
        .map(|e| EvidenceText {
            id: e.id.clone(),
            name: e.name.clone(),
            category: e
                .category
                .split('+')
                .map(|c| category_label(results, c))
                .collect::<Vec<_>>()
                .join(" + "),
            benchmark: e.benchmark.clone(),
            ceg: ceg_cell(
                e,
                results
                    .evidence
                    .iter()
                    .find(|c| c.id == e.id)
                    .and_then(|c| c.derivation.as_ref()),
            ),
            derived: e.derived,
            date: e.date.clone(),
            grade: e.evidence.clone(),
            source: e.source.clone(),
            source_is_url: is_url(&e.source),
            notes: e.notes.clone(),
            scope: if e.scope == overhang_model::assessment::AVERAGE_SCOPE {
                String::new()
            } else {
                scope_label(results, &e.scope).to_owned()
            },
            inference_cost: e
                .inference_cost
                .as_ref()
                .map(|c| format!("{c}x"))
                .unwrap_or_default(),
            measures: measures(results, e),
        })
        .collect();
    let evidence_counts: Vec<EvidenceCount> = results
        .inputs
        .categories
        .iter()
        .map(|c| {
            let rows: Vec<&EvidenceInput> = results
                .inputs
                .evidence
                .iter()
                .filter(|e| e.category == c.id && informative(e))
                .collect();
            count(c.label.clone(), &rows)
        })
        .collect();
    let all: Vec<&EvidenceInput> = results
        .inputs
        .evidence
        .iter()
        .filter(|e| informative(e))
        .collect();
    let evidence_total = count("All categories".to_owned(), &all);
    let mut versions = vec![
        ("overhang".to_owned(), results.tool_version.clone()),
        (
            "results schema".to_owned(),
            results.schema_version.to_string(),
        ),
    ];
    versions.extend(
        DEPENDENCY_VERSIONS
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    Narrative {
        date_long: date_long(&results.report.date),
        authors: join_and(&results.report.authors),
        citation: citation(results),
        citation_files: CITATION_FILES.to_owned(),
        fingerprint_short: short_fingerprint(&results.fingerprint),
        early_months: early,
        horizon_months: horizon,
        early_phrase: months_phrase(early),
        horizon_phrase: months_phrase(horizon),
        scenarios: results
            .scenarios
            .iter()
            .map(|s| {
                let mut text = scenario_text(s, early, horizon);
                text.kappa_lead =
                    scenario::kappa_lead(s, results.inputs.composability.kappa.as_deref());
                policies::fill(&mut text, s, results, horizon);
                text
            })
            .collect(),
        scopes: results
            .inputs
            .scopes
            .iter()
            .filter(|s| s.id != overhang_model::assessment::AVERAGE_SCOPE)
            .map(|s| ScopeText {
                label: s.label.clone(),
                description: s.description.clone(),
                overrides: overrides_in_words(&s.overrides, &|id| {
                    results
                        .inputs
                        .categories
                        .iter()
                        .find(|c| c.id == id)
                        .map(|c| c.label.clone())
                }),
            })
            .collect(),
        evaluation: results.inputs.evaluation.as_ref().map(evaluation_text),
        worked_draw: worked_draw(results),
        has_policy: results
            .inputs
            .thresholds
            .iter()
            .any(|t| t.cadence_months.is_some() || t.tolerance.is_some()),
        evidence,
        thinness: thinness(&evidence_counts, &evidence_total, &results.fits.categories),
        coverage_sentence: coverage::coverage_sentence(&coverage::coverage_rows(results)),
        coverage: coverage::coverage_rows(results),
        evidence_counts,
        evidence_total,
        samples: group_thousands(&results.simulation.samples.to_string()),
        input_names: input_names(results),
        fits: fit_text(results),
        // The notes about the data as a whole: each category's own notes are in the trend-fit
        // table already.
        fit_notes: results
            .fits
            .diagnostics
            .iter()
            .filter(|note| {
                !results
                    .fits
                    .categories
                    .iter()
                    .any(|c| c.diagnostics.contains(note))
            })
            .map(|note| fits::note_sentence(results, note))
            .collect(),
        scope_fits: scope_fit_text(results),
        derivations: derivations(results),
        pooled: results.fits.pooled.as_ref().map(|p| {
            format!(
                "Pooled over categories (one slope, one intercept per category, {} rows): {:.2} \
                 OOM per year (90% interval {:.2} to {:.2}), a CEG multiplier of {} per year; \
                 weighted least squares gives {:.2} (standard error {:.2}).",
                p.n,
                p.slope,
                p.slope_ci90[0],
                p.slope_ci90[1],
                mult(p.growth_per_year),
                p.wls_slope,
                p.wls_slope_se,
            )
        }),
        categories: results
            .inputs
            .categories
            .iter()
            .map(|c| CategoryText {
                label: c.label.clone(),
                available: c.available.clone(),
                elicited: c.elicited.clone(),
                growth: c.growth.clone(),
                cap: c.cap.clone().unwrap_or_else(|| "–".to_owned()),
                inference_cost: c.inference_cost.clone().unwrap_or_else(|| "–".to_owned()),
                rationale: c.rationale.clone(),
            })
            .collect(),
        composability: composability_sentence(results),
        composability_learning: learning_sentence(results),
        combinations: combinations_text(results),
        thresholds: results
            .inputs
            .thresholds
            .iter()
            .map(|t| ThresholdText {
                label: t.label.clone(),
                multiplier: threshold_mult(t.multiplier),
                policy: t.policy.clone(),
                schedule: schedule(t.cadence_months, t.tolerance),
                legs: match t.cadence_months {
                    Some(c) => format!(
                        "{} effective compute or {}",
                        threshold_mult(t.multiplier),
                        months_phrase(c)
                    ),
                    None => format!("{} effective compute", threshold_mult(t.multiplier)),
                },
                tolerance: t
                    .tolerance
                    .map_or_else(|| "–".to_owned(), crate::format::pct),
                quoted: quoted(t),
                // A successor in the registry is named, not given by its id.
                superseded_by: results
                    .inputs
                    .clauses
                    .iter()
                    .find(|c| c.id == t.superseded_by)
                    .map_or_else(
                        || t.superseded_by.clone(),
                        |c| format!("{} {} ({})", c.framework, c.version, c.date),
                    ),
            })
            .collect(),
        any_superseded: results
            .inputs
            .thresholds
            .iter()
            .any(|t| !t.superseded_by.is_empty()),
        clauses: policies::clause_rows(results),
        has_calendar: results.scenarios.iter().any(|s| {
            s.elicitation_time.iter().any(|w| {
                results
                    .inputs
                    .clauses
                    .iter()
                    .any(|c| c.id == w.clause && c.superseded_by.is_empty())
            })
        }),
        charts: charts.to_vec(),
        versions,
        changes: results
            .changes
            .as_ref()
            .map(|c| changes_text(c, &results.report.version)),
        model: model_text(results),
        brief: brief::brief_text(results, early),
        inference: inference::inference_text(results),
    }
}

/// The 90% interval of an evidence row's CEG, when it is an estimate (not a bound, not
/// derived).
pub(crate) fn evidence_interval(e: &EvidenceInput) -> Option<(f64, f64)> {
    e.ceg_interval.map(|i| (i.p5, i.p95))
}

/// Every input the sensitivity analyses name, `(label, path)`, each once, in order of first
/// appearance across the scenarios.
fn input_names(results: &Results) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for e in results
        .scenarios
        .iter()
        .flat_map(|s| &s.sensitivity)
        .flat_map(|s| &s.inputs)
    {
        if !out.iter().any(|(_, path)| *path == e.input) {
            out.push((e.label.clone(), e.input.clone()));
        }
    }
    out
}

/// Overrides `[field, value]` in words, joined by semicolons: `categories.data.growth = 0`
/// reads "Fine-tuning data: growth 0 OOM/year", with `label_of` giving a category's label by
/// its id. A path of another form is named as written.
pub(crate) fn overrides_in_words(
    overrides: &[(String, String)],
    label_of: &dyn Fn(&str) -> Option<String>,
) -> String {
    overrides
        .iter()
        .map(|(field, value)| {
            let parts: Vec<&str> = field.split('.').collect();
            match parts.as_slice() {
                ["categories", id, what] => {
                    let label = label_of(id).unwrap_or_else(|| (*id).to_owned());
                    let words = match *what {
                        "available" => format!("available CEG {value}"),
                        "elicited" => format!("elicited CEG {value}"),
                        "growth" if value == "fit" => "growth from the trend fit".to_owned(),
                        "growth" => format!("growth {value} OOM/year"),
                        "cap" => format!("cap {value}"),
                        "inference_cost" => {
                            format!("inference cost {value} times plain sampling")
                        }
                        other => format!("{other} {value}"),
                    };
                    format!("{label}: {words}")
                }
                ["composability", "kappa"] => format!("kappa {value}"),
                _ => format!("{field} {value}"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use overhang_model::results::{WorkedCategory, WorkedDraw};

    use super::*;

    #[test]
    fn the_dependency_versions_are_those_of_cargo_lock() {
        let lock = include_str!("../../../../Cargo.lock");
        assert!(DEPENDENCY_VERSIONS.len() >= 6);
        for (name, version) in DEPENDENCY_VERSIONS {
            let block = format!("name = \"{name}\"\nversion = \"{version}\"\n");
            assert!(
                lock.contains(&block),
                "{name} {version} is not in Cargo.lock"
            );
        }
        let typst = DEPENDENCY_VERSIONS.iter().find(|(n, _)| *n == "typst");
        assert_eq!(typst.map(|(_, v)| *v), Some(crate::TYPST_VERSION));
    }

    fn fixture() -> Results {
        serde_json::from_str(include_str!("../../tests/fixtures/results.json"))
            .expect("the fixture parses")
    }

    #[test]
    fn the_worked_draw_prints_the_draw_the_results_hold() {
        let mut results = fixture();
        let category = |id: &str, available: f64, elicited: f64| WorkedCategory {
            category: id.to_owned(),
            available,
            elicited,
        };
        results.worked_draw = Some(WorkedDraw {
            kappa: Some(0.5),
            categories: vec![
                category("tool_use", 10.0, 2.0),
                category("data", 100.0, 1.0),
            ],
            available_oom: 2.5,
            elicited_oom: libm::log10(2.0),
            uplift_oom: 2.5 - libm::log10(2.0),
        });
        let text = worked_draw(&results);
        assert!(
            text.contains("Tool use 10x available, 2.0x elicited and Fine-tuning data 100x"),
            "{text}"
        );
        assert!(text.contains("adds kappa = 0.50 times"), "{text}");
        assert!(text.contains("is 2.50 OOM (320x)"), "{text}");
        assert!(text.contains("is 0.30 OOM (2.0x)"), "{text}");
        assert!(text.contains("2.20 OOM, a multiplier of 160x"), "{text}");
        results.inputs.composability.method = "max".to_owned();
        if let Some(w) = &mut results.worked_draw {
            w.kappa = None;
        }
        assert!(
            worked_draw(&results).contains("keeps the largest category's"),
            "{}",
            worked_draw(&results)
        );
        results.worked_draw = None;
        assert_eq!(worked_draw(&results), "");
    }

    #[test]
    fn the_evaluation_lists_only_what_the_inputs_state() {
        let mut e = fixture().inputs.evaluation.expect("the fixture states one");
        e.tools = String::new();
        e.fine_tuning = None;
        let t = evaluation_text(&e);
        let whats: Vec<&str> = t.details.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            whats,
            [
                "Scaffold",
                "Samples per task",
                "Scoring",
                "Inference budget"
            ]
        );
        assert!(t.sentence.starts_with("scaffold: "), "{}", t.sentence);
    }
}
