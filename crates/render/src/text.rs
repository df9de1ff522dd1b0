//! Numbers as words: the formatted figures and the sentences every output shares.
//!
//! The PDF and summary.md must never disagree about a rounded number, so every figure is
//! formatted here once. The [`Narrative`] is handed to typst as a JSON value (never pasted into
//! markup) and to the minijinja templates as their context.

use std::fmt::Write as _;

use overhang_model::Estimate;
use overhang_model::results::{
    Changes, EvidenceInput, InputChange, MetricUnit, ProjectionPoint, Results, ScenarioResults,
    Sensitivity, ThresholdResult,
};
use serde::Serialize;

mod evidence;

pub(crate) use self::evidence::{DerivationText, FitText, derived_ceg};
use self::evidence::{ceg_cell, derivations, fit_text};

/// Months after release of the early headline, when the grid has that step.
pub(crate) const EARLY_MONTHS: u32 = 12;

/// How many inputs the sensitivity table lists.
const SENSITIVITY_ROWS: usize = 8;

/// Everything the outputs say, already formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Narrative {
    /// The report date spelled out, for example `26 November 2026`.
    pub date_long: String,
    /// The authors joined into a phrase.
    pub authors: String,
    /// The one-line citation.
    pub citation: String,
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
    /// Per scenario.
    pub scenarios: Vec<ScenarioText>,
    /// The evidence table.
    pub evidence: Vec<EvidenceText>,
    /// Evidence counted per category.
    pub evidence_counts: Vec<EvidenceCount>,
    /// The evidence counts totalled.
    pub evidence_total: EvidenceCount,
    /// A plain statement of how thin the evidence is.
    pub thinness: String,
    /// Samples per scenario with thousands separators.
    pub samples: String,
    /// The trend-fit table.
    pub fits: Vec<FitText>,
    /// The derived CEGs, for the appendix.
    pub derivations: Vec<DerivationText>,
    /// The pooled fit as a sentence, if any.
    pub pooled: Option<String>,
    /// The categories' inputs as written, with labels.
    pub categories: Vec<CategoryText>,
    /// The composability assumption as a sentence.
    pub composability: String,
    /// The thresholds as written.
    pub thresholds: Vec<ThresholdText>,
    /// Title and alt text of every chart, by file name.
    pub charts: Vec<ChartText>,
    /// `[name, version]` of the tool and the libraries that shape the outputs.
    pub versions: Vec<(String, String)>,
    /// What changed since the previous version, when there is one.
    pub changes: Option<ChangesText>,
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
    /// The author's note, if any.
    pub text: Option<String>,
    /// The headline numbers that moved.
    pub metrics: Vec<MetricChangeText>,
    /// The changed inputs, one line each.
    pub inputs: Vec<String>,
    /// A sentence counting what changed.
    pub overview: String,
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

/// One scenario's sentences and tables.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ScenarioText {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
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
    /// Dotted input path.
    pub input: String,
    /// First-order share.
    pub share: String,
    /// Median with the input at its p5 and p95.
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
}

/// Evidence rows counted.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct EvidenceCount {
    /// Category label (or "All categories").
    pub label: String,
    /// Rows.
    pub rows: usize,
    /// Rows read in the original.
    pub measured: usize,
    /// Rows known only from a secondary account.
    pub secondary: usize,
    /// Rows that are assumptions.
    pub assumption: usize,
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

/// A multiplier as people write it: `3.1x`, `23x`, `1,200x`.
pub(crate) fn mult(x: f64) -> String {
    format!("{}x", number(x))
}

/// A threshold's multiplier as written in policies: `4x`, `2.5x`.
pub(crate) fn threshold_mult(m: f64) -> String {
    if m.is_finite() && m.fract() == 0.0 && m.abs() < 1e6 {
        format!("{m:.0}x")
    } else if m.is_finite() && m.abs() < 10.0 && (m * 10.0).fract() == 0.0 {
        format!("{m:.1}x")
    } else {
        mult(m)
    }
}

/// A positive number with two significant figures (one decimal below 10).
pub(crate) fn number(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_owned();
    }
    if x != 0.0 && x.abs() < 0.95 {
        // Below 1, two significant figures: 0.01, 0.0044, 0.52.
        let decimals = (1.0 - libm::floor(libm::log10(x.abs()))).clamp(1.0, 12.0) as usize;
        return format!("{x:.decimals$}");
    }
    if x.abs() < 10.0 {
        let s = format!("{x:.1}");
        // "-0.0" reads as a typo.
        return if s == "-0.0" { "0.0".to_owned() } else { s };
    }
    if x.abs() < 100.0 {
        return format!("{x:.0}");
    }
    // Two significant figures, written in full with thousands separators.
    let magnitude = libm::floor(libm::log10(x.abs()));
    let unit = libm::pow(10.0, magnitude - 1.0);
    let rounded = libm::round(x / unit) * unit;
    group_thousands(&format!("{rounded:.0}"))
}

fn group_thousands(digits: &str) -> String {
    let (sign, digits) = digits
        .strip_prefix('-')
        .map_or(("", digits), |rest| ("-", rest));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// A probability as a whole percentage, never rounding a possibility to 0% or 100%.
pub(crate) fn pct(p: f64) -> String {
    if !p.is_finite() {
        return "n/a".to_owned();
    }
    if p <= 0.0 {
        return "0%".to_owned();
    }
    if p >= 1.0 {
        return "100%".to_owned();
    }
    if p < 0.005 {
        return "<1%".to_owned();
    }
    if p > 0.995 {
        return ">99%".to_owned();
    }
    format!("{:.0}%", p * 100.0)
}

/// A number from 0 to 99 in words, capitalised; larger numbers as digits.
fn number_words(n: u32) -> String {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let words = match n {
        0..=19 => ONES[n as usize].to_owned(),
        20..=99 if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_owned(),
        20..=99 => format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
        _ => return n.to_string(),
    };
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// "12 months", "1 month".
fn months_phrase(m: u32) -> String {
    if m == 1 {
        "1 month".to_owned()
    } else {
        format!("{m} months")
    }
}

/// `YYYY-MM-DD` as (year, month, day), when it is a valid calendar date.
pub(crate) fn parse_date(date: &str) -> Option<(i32, u8, u8)> {
    let mut parts = date.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (day <= days).then_some((year, month, day))
}

fn date_long(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    parse_date(date).map_or_else(
        || date.to_owned(),
        |(y, m, d)| format!("{d} {} {y}", MONTHS[usize::from(m - 1)]),
    )
}

/// "A", "A and B", "A, B and C".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
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

fn probability_clause(scenario: &ScenarioResults, index: usize) -> String {
    // "the probability of exceeding 2x is 81%, 4x is 45% and 6x is 31%"
    let parts: Vec<String> = scenario
        .thresholds
        .iter()
        .filter_map(|t| {
            t.probability
                .get(index)
                .map(|&p| format!("{} is {}", threshold_mult(t.multiplier), pct(p)))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("; the probability of exceeding {}", join_and(&parts))
    }
}

fn headline_sentence(scenario: &ScenarioResults, months: u32) -> String {
    let Some(i) = step_index(&scenario.projection, months) else {
        return "The projection is empty.".to_owned();
    };
    let p = &scenario.projection[i];
    let when = if p.months == 0 {
        "At release".to_owned()
    } else {
        format!(
            "{} {} after release",
            number_words(p.months),
            if p.months == 1 { "month" } else { "months" }
        )
    };
    format!(
        "{when}, enhancements add a median {} (90% interval {} to {}) of effective compute over \
         what the evaluation measured{}.",
        mult(p.p50),
        mult(p.p5),
        mult(p.p95),
        probability_clause(scenario, i),
    )
}

fn headline_row(p: &ProjectionPoint) -> HeadlineRow {
    HeadlineRow {
        months: p.months,
        median: mult(p.p50),
        interval90: format!("{} to {}", mult(p.p5), mult(p.p95)),
        interval50: format!("{} to {}", mult(p.p25), mult(p.p75)),
    }
}

fn crossing_phrase(t: &ThresholdResult, horizon: u32) -> String {
    match t.crossing_months[2] {
        Some(m) if m <= 0.0 => "at release".to_owned(),
        Some(m) => format!("month {}", libm::round(m)),
        None => format!("not within {}", months_phrase(horizon)),
    }
}

fn threshold_rows(scenario: &ScenarioResults, early: usize, horizon: u32) -> Vec<ThresholdRow> {
    scenario
        .thresholds
        .iter()
        .map(|t| ThresholdRow {
            label: t.label.clone(),
            multiplier: threshold_mult(t.multiplier),
            p_early: t
                .probability
                .get(early)
                .map_or_else(String::new, |&p| pct(p)),
            p_horizon: t.probability.last().map_or_else(String::new, |&p| pct(p)),
            median_crossing: crossing_phrase(t, horizon),
            p_no_crossing: pct(t.p_no_crossing),
        })
        .collect()
}

fn projection_rows(projection: &[ProjectionPoint]) -> Vec<ProjectionRow> {
    // Every 12 months when the grid has them (plus the horizon), else every step.
    let last = projection.last().map(|p| p.months);
    let yearly: Vec<&ProjectionPoint> = projection
        .iter()
        .filter(|p| p.months % 12 == 0 || Some(p.months) == last)
        .collect();
    let rows = if yearly.len() >= 3 {
        yearly
    } else {
        projection.iter().collect()
    };
    rows.into_iter()
        .map(|p| ProjectionRow {
            months: p.months,
            quantiles: [p.p5, p.p25, p.p50, p.p75, p.p95].map(mult),
        })
        .collect()
}

/// The sensitivity at the horizon: the entry with the largest month.
pub(crate) fn horizon_sensitivity(scenario: &ScenarioResults) -> Option<&Sensitivity> {
    scenario.sensitivity.iter().max_by_key(|s| s.months)
}

fn sensitivity_sentence(scenario: &ScenarioResults) -> String {
    let Some(s) = horizon_sensitivity(scenario) else {
        return "No sensitivity analysis was run for this scenario.".to_owned();
    };
    let mut ranked: Vec<_> = s.inputs.iter().collect();
    ranked.sort_by_key(|e| e.rank);
    match ranked.as_slice() {
        [] => "No input is uncertain in this scenario.".to_owned(),
        [first, rest @ ..] => {
            let mut text = format!(
                "At {}, the input an experiment should pin down first is {} ({}): it explains \
                 {} of the variance of the log uplift on its own, and moving it from its 5th to \
                 its 95th percentile moves the median from {} to {}.",
                months_phrase(s.months),
                first.label,
                first.input,
                pct(first.first_order),
                mult(first.median_at_p5),
                mult(first.median_at_p95),
            );
            if let Some(second) = rest.first() {
                let _ = write!(
                    text,
                    " Next comes {} ({} of the variance).",
                    second.label,
                    pct(second.first_order)
                );
            }
            text
        }
    }
}

fn sensitivity_rows(scenario: &ScenarioResults) -> Vec<SensitivityRow> {
    let Some(s) = horizon_sensitivity(scenario) else {
        return Vec::new();
    };
    let mut ranked: Vec<_> = s.inputs.iter().collect();
    ranked.sort_by_key(|e| e.rank);
    ranked
        .into_iter()
        .take(SENSITIVITY_ROWS)
        .map(|e| SensitivityRow {
            rank: e.rank,
            label: e.label.clone(),
            input: e.input.clone(),
            share: pct(e.first_order),
            swing: format!("{} to {}", mult(e.median_at_p5), mult(e.median_at_p95)),
        })
        .collect()
}

fn triple(q: [f64; 3]) -> String {
    format!("{} ({} to {})", mult(q[1]), mult(q[0]), mult(q[2]))
}

fn scenario_text(scenario: &ScenarioResults, early: u32, horizon: u32) -> ScenarioText {
    let early_index = step_index(&scenario.projection, early).unwrap_or(0);
    let mut headline = Vec::new();
    if let Some(p) = scenario.projection.get(early_index) {
        headline.push(headline_row(p));
    }
    if let Some(p) = scenario.projection.last()
        && scenario.projection.len() > early_index + 1
    {
        headline.push(headline_row(p));
    }
    ScenarioText {
        id: scenario.id.clone(),
        label: scenario.label.clone(),
        headline_early: headline_sentence(scenario, early),
        headline_horizon: headline_sentence(scenario, horizon),
        headline,
        thresholds: threshold_rows(scenario, early_index, horizon),
        projection: projection_rows(&scenario.projection),
        sensitivity_sentence: sensitivity_sentence(scenario),
        sensitivity: sensitivity_rows(scenario),
        contributions: scenario
            .contributions
            .iter()
            .map(|c| ContributionRow {
                label: c.label.clone(),
                available: triple(c.available),
                elicited: triple(c.elicited),
                at_horizon: triple(c.at_horizon),
            })
            .collect(),
    }
}

fn is_url(source: &str) -> bool {
    let s = source.trim();
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

pub(crate) fn category_label<'a>(results: &'a Results, id: &'a str) -> &'a str {
    results
        .inputs
        .categories
        .iter()
        .find(|c| c.id == id)
        .map_or(id, |c| c.label.as_str())
}

fn count(label: String, rows: &[&EvidenceInput]) -> EvidenceCount {
    EvidenceCount {
        label,
        rows: rows.len(),
        measured: rows.iter().filter(|r| r.evidence == "measured").count(),
        secondary: rows.iter().filter(|r| r.evidence == "secondary").count(),
        assumption: rows.iter().filter(|r| r.evidence == "assumption").count(),
    }
}

fn thinness(counts: &[EvidenceCount], total: &EvidenceCount) -> String {
    let empty: Vec<String> = counts
        .iter()
        .filter(|c| c.rows == 0)
        .map(|c| c.label.clone())
        .collect();
    let fewer_than_three = counts.iter().filter(|c| c.rows < 3).count();
    let mut text = format!(
        "The evidence is thin. There are {} evidence rows in all: {} measured in the original \
         source, {} known only from a secondary account and {} assumptions. {} of {} categories \
         have fewer than three rows, too few to fit a trend.",
        total.rows,
        total.measured,
        total.secondary,
        total.assumption,
        number_words(fewer_than_three as u32),
        number_words(counts.len() as u32).to_lowercase(),
    );
    if !empty.is_empty() {
        let _ = write!(
            text,
            " {} {} no evidence row at all; {} estimates are judgement.",
            join_and(&empty),
            if empty.len() == 1 { "has" } else { "have" },
            if empty.len() == 1 { "its" } else { "their" },
        );
    }
    text
}

fn composability_sentence(results: &Results) -> String {
    let c = &results.inputs.composability;
    match c.method.as_str() {
        "multiplicative" => {
            "Categories multiply: their log gains add (full composability).".to_owned()
        }
        "max" => "Only the largest category counts: the others add nothing (no composability)."
            .to_owned(),
        "largest-first" => format!(
            "Largest first: the largest category counts in full and every other category adds \
             a share kappa of its log gain, with kappa = {}.",
            c.kappa.as_deref().unwrap_or("(not given)")
        ),
        "pairwise" => format!(
            "Pairwise: each pair of categories has a composability from 0 (only the larger \
             counts) to 1 (the two stack fully), and a set of categories counts with the \
             pairwise capacity of Methods; {} pairs are given.",
            c.pairs.len()
        ),
        other => format!("Method {other}."),
    }
}

/// A headline number formatted as its unit asks.
fn metric_value(unit: MetricUnit, v: Option<f64>) -> String {
    match (unit, v) {
        (_, None) => "–".to_owned(),
        (MetricUnit::Multiplier, Some(x)) => mult(x),
        (MetricUnit::Probability, Some(p)) => pct(p),
        (MetricUnit::OomPerYear, Some(x)) => format!("{x:.2} OOM/year"),
    }
}

/// One changed input as a line: `item: old → new`.
fn input_change_line(c: &InputChange) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) => format!("{}: {o} → {n}", c.item),
        (None, Some(n)) => format!("{} added: {n}", c.item),
        (Some(o), None) => format!("{} removed: {o}", c.item),
        (None, None) => format!("{} {}", c.item, c.kind),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    let word = if n == 1 { one } else { many };
    let count = u32::try_from(n).map_or_else(|_| n.to_string(), |n| number_words(n).to_lowercase());
    format!("{count} {word}")
}

fn changes_text(c: &Changes, version: &str) -> ChangesText {
    let metrics: Vec<MetricChangeText> = c
        .metrics
        .iter()
        .map(|m| MetricChangeText {
            label: m.label.clone(),
            old: metric_value(m.unit, m.old),
            new: metric_value(m.unit, m.new),
        })
        .collect();
    // Formatting can hide a movement too small to show; such rows say nothing to a reader.
    let metrics: Vec<MetricChangeText> = metrics.into_iter().filter(|m| m.old != m.new).collect();
    let inputs: Vec<String> = c.inputs.iter().map(input_change_line).collect();
    let overview = match (inputs.len(), metrics.len()) {
        (0, 0) => "No input changed and no headline number moved.".to_owned(),
        (i, 0) => format!(
            "{} changed; no headline number moved at the precision shown.",
            capitalise(&plural(i, "input", "inputs"))
        ),
        (0, m) => format!(
            "No input changed; {} moved.",
            plural(m, "headline number", "headline numbers")
        ),
        (i, m) => format!(
            "{} changed and {} moved.",
            capitalise(&plural(i, "input", "inputs")),
            plural(m, "headline number", "headline numbers")
        ),
    };
    ChangesText {
        title: format!("Changes since version {}", c.since),
        since: c.since.clone(),
        version: version.to_owned(),
        text: c.text.clone(),
        metrics,
        inputs,
        overview,
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The versions of the libraries that shape the outputs' bytes.
pub(crate) const DEPENDENCY_VERSIONS: [(&str, &str); 3] = [
    ("typst", crate::TYPST_VERSION),
    ("plotters", "0.3.7"),
    ("minijinja", "3.1.0"),
];

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
            category: category_label(results, &e.category).to_owned(),
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
                .filter(|e| e.category == c.id)
                .collect();
            count(c.label.clone(), &rows)
        })
        .collect();
    let all: Vec<&EvidenceInput> = results.inputs.evidence.iter().collect();
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
        fingerprint_short: short_fingerprint(&results.fingerprint),
        early_months: early,
        horizon_months: horizon,
        early_phrase: months_phrase(early),
        horizon_phrase: months_phrase(horizon),
        scenarios: results
            .scenarios
            .iter()
            .map(|s| scenario_text(s, early, horizon))
            .collect(),
        evidence,
        thinness: thinness(&evidence_counts, &evidence_total),
        evidence_counts,
        evidence_total,
        samples: group_thousands(&results.simulation.samples.to_string()),
        fits: fit_text(results),
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
                rationale: c.rationale.clone(),
            })
            .collect(),
        composability: composability_sentence(results),
        thresholds: results
            .inputs
            .thresholds
            .iter()
            .map(|t| ThresholdText {
                label: t.label.clone(),
                multiplier: threshold_mult(t.multiplier),
                policy: t.policy.clone(),
            })
            .collect(),
        charts: charts.to_vec(),
        versions,
        changes: results
            .changes
            .as_ref()
            .map(|c| changes_text(c, &results.report.version)),
    }
}

/// The interval of an evidence row's CEG, when its estimate parses.
pub(crate) fn evidence_interval(e: &EvidenceInput) -> Option<(f64, f64)> {
    Estimate::parse(&e.ceg).ok().map(|est| est.interval90())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipliers_below_one_keep_two_significant_figures() {
        assert_eq!(number(0.01), "0.010");
        assert_eq!(number(0.004_37), "0.0044");
        assert_eq!(number(0.52), "0.52");
        assert_eq!(number(0.96), "1.0");
        assert_eq!(mult(0.1), "0.10x");
    }

    #[test]
    fn multipliers_keep_two_significant_figures() {
        assert_eq!(mult(3.06), "3.1x");
        assert_eq!(mult(1.0), "1.0x");
        assert_eq!(mult(9.96), "10.0x");
        assert_eq!(mult(23.4), "23x");
        assert_eq!(mult(234.0), "230x");
        assert_eq!(mult(1234.0), "1,200x");
        assert_eq!(mult(1_250_000.0), "1,300,000x");
        assert_eq!(mult(f64::NAN), "n/ax");
        assert_eq!(threshold_mult(4.0), "4x");
        assert_eq!(threshold_mult(2.5), "2.5x");
        assert_eq!(threshold_mult(3.25), "3.2x");
    }

    #[test]
    fn probabilities_never_round_a_possibility_away() {
        assert_eq!(pct(0.0), "0%");
        assert_eq!(pct(0.001), "<1%");
        assert_eq!(pct(0.234), "23%");
        assert_eq!(pct(0.999), ">99%");
        assert_eq!(pct(1.0), "100%");
    }

    #[test]
    fn numbers_below_one_hundred_are_spelled_out() {
        assert_eq!(number_words(12), "Twelve");
        assert_eq!(number_words(60), "Sixty");
        assert_eq!(number_words(27), "Twenty-seven");
        assert_eq!(number_words(120), "120");
    }

    #[test]
    fn dates_are_checked_and_spelled_out() {
        assert_eq!(date_long("2026-11-26"), "26 November 2026");
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(date_long("soon"), "soon");
    }

    #[test]
    fn lists_join_with_and() {
        let v = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(join_and(&v(&["A"])), "A");
        assert_eq!(join_and(&v(&["A", "B"])), "A and B");
        assert_eq!(join_and(&v(&["A", "B", "C"])), "A, B and C");
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert!(is_url("https://arxiv.org/abs/2312.07413"));
        assert!(!is_url("Davidson et al. 2023"));
        assert!(!is_url("https://x.org/a b"));
        assert!(!is_url("javascript:alert(1)"));
    }

    #[test]
    fn changes_show_only_movements_a_reader_can_see() {
        use overhang_model::results::MetricChange;
        let metric = |id: &str, unit, old, new| MetricChange {
            id: id.to_owned(),
            label: id.to_owned(),
            unit,
            old,
            new,
        };
        let c = Changes {
            since: "0.1.0".to_owned(),
            text: None,
            metrics: vec![
                metric("a", MetricUnit::Multiplier, Some(12.57), Some(21.2)),
                // 12.61x and 12.64x both read 13x: not shown as a movement.
                metric("b", MetricUnit::Multiplier, Some(12.61), Some(12.64)),
                metric("c", MetricUnit::Probability, Some(0.5), None),
                metric("d", MetricUnit::OomPerYear, Some(0.1), Some(0.126)),
            ],
            inputs: vec![InputChange {
                kind: "changed".to_owned(),
                item: "categories.tool_use.elicited".to_owned(),
                old: Some("1.2 to 8".to_owned()),
                new: Some("1.5 to 9".to_owned()),
            }],
        };
        let t = changes_text(&c, "0.1.1");
        assert_eq!(t.title, "Changes since version 0.1.0");
        let rows: Vec<(&str, &str, &str)> = t
            .metrics
            .iter()
            .map(|m| (m.label.as_str(), m.old.as_str(), m.new.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("a", "13x", "21x"),
                ("c", "50%", "–"),
                ("d", "0.10 OOM/year", "0.13 OOM/year")
            ]
        );
        assert_eq!(
            t.inputs,
            ["categories.tool_use.elicited: 1.2 to 8 → 1.5 to 9"]
        );
        assert_eq!(
            t.overview,
            "One input changed and three headline numbers moved."
        );
    }
}
