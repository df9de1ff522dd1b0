//! report.html: the report as one self-contained web page, from the same [`Results`] and the
//! same narrative as the PDF.
//!
//! The page is `report.html.j2` rendered with the [`Narrative`](crate::text::Narrative) the
//! typst template reads, so the two never disagree on a word or a number; the charts are the
//! PDF's SVG strings, inline. Every headline number sits in an element whose `id` is derived
//! from where the number is in results.json ([`anchor`]; the kinds are listed in docs/html.md),
//! so a policy can link to one number of one version.

use std::collections::BTreeSet;

use minijinja::context;
use minijinja::value::{Serde, Value};
use overhang_model::Results;
use overhang_model::estimate::format_number;
use serde::Serialize;

use crate::text::{self, Narrative, ScenarioText};
use crate::{
    Chart, RenderError, ScenarioCharts, chart_index, chart_texts, derived_charts, inference_charts,
    scenario_charts, templates,
};

/// An HTML id from a dotted path: each `.` becomes `-`, and every character other than an
/// ASCII letter, digit, `-` or `_` becomes `_`, so `open_weights.uplift.12m.p50` is
/// `open_weights-uplift-12m-p50`.
pub(crate) fn anchor(path: &str) -> String {
    path.chars()
        .map(|c| match c {
            '.' => '-',
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => c,
            _ => '_',
        })
        .collect()
}

/// The ids given out so far: a path whose anchor is taken gets none, so ids stay unique
/// whatever the inputs (two steps whose multipliers differ only in rounding, a grid whose early
/// step is its horizon).
#[derive(Default)]
struct Ids(BTreeSet<String>);

/// What a cell holds when there is no number: it gets no anchor.
const DASH: &str = "–";

impl Ids {
    fn cell(&mut self, text: &str, path: &str) -> Cell {
        if text == DASH {
            return Cell::plain(text);
        }
        let id = anchor(path);
        Cell {
            text: text.to_owned(),
            id: self.0.insert(id.clone()).then_some(id),
        }
    }
}

/// A formatted number and the id of the element that holds it, when it is a headline number.
#[derive(Debug, Clone, Serialize)]
struct Cell {
    text: String,
    id: Option<String>,
}

impl Cell {
    fn plain(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            id: None,
        }
    }
}

/// A projection row: its months and the five quantiles, the 5th, 50th and 95th anchored at the
/// headline steps.
#[derive(Serialize)]
struct ProjectionCells {
    months: u32,
    quantiles: Vec<Cell>,
}

/// A threshold row's probabilities at the early step and at the horizon.
#[derive(Serialize)]
struct ThresholdCells {
    p_early: Cell,
    p_horizon: Cell,
}

/// A policy answer row's anchored cells.
#[derive(Serialize)]
struct AnswerCells {
    p_within: Cell,
    safe_interval: Cell,
    gap: Cell,
}

/// One scope x scenario as the page shows it: its charts, its section's id and its anchored
/// numbers, beside its text in the narrative (same index).
#[derive(Serialize)]
struct HtmlScenario {
    /// Index into the results' and the narrative's scenarios.
    index: usize,
    fan: Option<usize>,
    threshold_chart: Option<usize>,
    distribution: Option<usize>,
    tornado: Option<usize>,
    contributions: Option<usize>,
    sensitivity_tables: bool,
    /// The scenario's id as an anchor, for its sections' ids.
    anchor: String,
    projection: Vec<ProjectionCells>,
    thresholds: Vec<ThresholdCells>,
    policy_rows: Vec<AnswerCells>,
    history_rows: Vec<AnswerCells>,
    /// What each calendar leg is worth.
    calendar_worth: Vec<Cell>,
}

fn answer_cells(ids: &mut Ids, sid: &str, rows: &[text::policies::AnswerRow]) -> Vec<AnswerCells> {
    rows.iter()
        .map(|r| {
            // The interval in the id as the headline numbers write it: `growth_within_6m`.
            let within = r
                .interval
                .split_whitespace()
                .next()
                .filter(|m| m.chars().all(|c| c.is_ascii_digit()));
            let path = |answer: &str| format!("{sid}.policy.{}x.{answer}", r.key);
            AnswerCells {
                // Without an interval there is no probability within it.
                p_within: within.map_or_else(
                    || Cell::plain(&r.p_within),
                    |m| ids.cell(&r.p_within, &path(&format!("growth_within_{m}m"))),
                ),
                safe_interval: ids.cell(&r.safe_interval, &path("growth_safe_months")),
                gap: ids.cell(&r.gap, &path("gap_reaches")),
            }
        })
        .collect()
}

fn scenario(
    ids: &mut Ids,
    results: &Results,
    n: &Narrative,
    charts: ScenarioCharts,
    t: &ScenarioText,
) -> HtmlScenario {
    let s = &results.scenarios[charts.index];
    let sid = s.id.as_str();
    let headline: Vec<u32> = s
        .headline_steps()
        .into_iter()
        .map(|i| s.projection[i].months)
        .collect();
    let projection = t
        .projection
        .iter()
        .map(|p| ProjectionCells {
            months: p.months,
            quantiles: p
                .quantiles
                .iter()
                .zip([5, 25, 50, 75, 95])
                .map(|(q, level)| {
                    if headline.contains(&p.months) && level != 25 && level != 75 {
                        ids.cell(q, &format!("{sid}.uplift.{}m.p{level}", p.months))
                    } else {
                        Cell::plain(q)
                    }
                })
                .collect(),
        })
        .collect();
    let thresholds = t
        .thresholds
        .iter()
        .zip(&s.thresholds)
        .map(|(row, r)| {
            let step = format_number(r.multiplier);
            ThresholdCells {
                p_early: ids.cell(
                    &row.p_early,
                    &format!("{sid}.threshold.{step}x.{}m", n.early_months),
                ),
                p_horizon: ids.cell(
                    &row.p_horizon,
                    &format!("{sid}.threshold.{step}x.{}m", n.horizon_months),
                ),
            }
        })
        .collect();
    HtmlScenario {
        anchor: anchor(sid),
        projection,
        thresholds,
        policy_rows: answer_cells(ids, sid, &t.policy_rows),
        history_rows: answer_cells(ids, sid, &t.history_rows),
        calendar_worth: t
            .calendar_rows
            .iter()
            .map(|r| ids.cell(&r.worth, &format!("{sid}.calendar.{}", r.key)))
            .collect(),
        index: charts.index,
        fan: charts.fan,
        threshold_chart: charts.thresholds,
        distribution: charts.distribution,
        tornado: charts.tornado,
        contributions: charts.contributions,
        sensitivity_tables: charts.sensitivity_tables,
    }
}

/// The report as one self-contained HTML page: the same sections, sentences and numbers as
/// the PDF, the charts inline as SVG, the style inline, no script and no request to another
/// host. Its bytes depend only on the results and the charts.
pub fn report_html(results: &Results, charts: &[Chart]) -> Result<String, RenderError> {
    const NAME: &str = "report.html.j2";
    let env = templates::environment().map_err(|e| RenderError::template(NAME, &e))?;
    let n = text::narrative(results, &chart_texts(charts));
    let mut ids = Ids::default();
    // The brief's cells first, so its ids are the same whatever the appendices hold.
    let brief_rows: Vec<Vec<Cell>> = n
        .brief
        .rows
        .iter()
        .zip(&results.scenarios)
        .map(|(row, s)| {
            row.iter()
                .zip(&n.brief.column_keys)
                .enumerate()
                .map(|(i, (cell, key))| {
                    if i == 0 {
                        Cell::plain(cell)
                    } else {
                        ids.cell(cell, &format!("brief.{}.{key}", s.id))
                    }
                })
                .collect()
        })
        .collect();
    let brief_clauses: Vec<Cell> = n
        .brief
        .clauses
        .iter()
        .map(|c| ids.cell(&c.text, &format!("brief.clause.{}", c.key)))
        .collect();
    let scenarios: Vec<HtmlScenario> = scenario_charts(results, charts)
        .into_iter()
        .zip(&n.scenarios)
        .map(|(c, t)| scenario(&mut ids, results, &n, c, t))
        .collect();
    env.get_template(NAME)
        .and_then(|t| {
            t.render(context! {
                data => Value::from(Serde(results)),
                n => Value::from(Serde(&n)),
                charts => Value::from(Serde(charts)),
                scenarios => Value::from(Serde(&scenarios)),
                brief_rows => Value::from(Serde(&brief_rows)),
                brief_clauses => Value::from(Serde(&brief_clauses)),
                evidence_chart => chart_index(charts, "evidence.svg"),
                derived_charts => derived_charts(charts),
                inference_charts => inference_charts(charts),
                composability_chart => chart_index(charts, "composability.svg"),
                has_combinations => !results.composability.combinations.is_empty()
                    || results.composability.posterior.is_some(),
                has_pooled => results.fits.pooled.is_some(),
                has_warnings => !results.inputs.warnings.is_empty(),
            })
        })
        .map_err(|e| RenderError::template(NAME, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_keep_ids_readable_and_valid() {
        assert_eq!(
            anchor("open_weights.uplift.12m.p50"),
            "open_weights-uplift-12m-p50"
        );
        assert_eq!(
            anchor("agentic_cyber-api_only.threshold.1.5x.60m"),
            "agentic_cyber-api_only-threshold-1-5x-60m"
        );
        assert_eq!(anchor("a b\"<c>"), "a_b__c_");
    }

    #[test]
    fn a_path_whose_anchor_is_taken_gets_no_id() {
        let mut ids = Ids::default();
        assert_eq!(ids.cell("1x", "s.a").id.as_deref(), Some("s-a"));
        assert_eq!(ids.cell("2x", "s.a").id, None);
        assert_eq!(ids.cell("–", "s.b").id, None);
    }
}
