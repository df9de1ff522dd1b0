//! The threshold chart: the probability of exceeding each threshold, by month.

use overhang_model::results::{Results, ScenarioResults};

use super::axes::{Axes, margin_labels};
use super::canvas::render;
use super::legend::{Key, draw_line, threshold_key, with_legend};
use super::ticks::{Labels, clamp, linear_ticks};
use super::{file_id, horizon_of};
use crate::Chart;
use crate::format::{pct, threshold_mult};
use crate::text::{early_months, step_index};

/// The threshold chart of one scenario, `thresholds_<id>.svg`.
pub(super) fn chart(results: &Results, scenario: &ScenarioResults) -> Chart {
    let proj = &scenario.projection;
    let horizon = horizon_of(results, scenario);
    let svg = render(|root| {
        let entries: Vec<(String, Key)> = scenario
            .thresholds
            .iter()
            .enumerate()
            .map(|(i, t)| {
                // The value at month 0 is the gap at release alone: named, so the curve's start
                // is not read as zero.
                let at_release = t
                    .probability
                    .first()
                    .filter(|_| proj.first().is_some_and(|p| p.months == 0))
                    .map_or_else(String::new, |&p| format!(" ({} at release)", pct(p)));
                (
                    format!("Exceeds {}{at_release}", threshold_mult(t.multiplier)),
                    threshold_key(i),
                )
            })
            .collect();
        let area = with_legend(root, &entries)?;
        let chart = Axes::months(
            horizon,
            (0.0, 100.0),
            linear_ticks(0.0, 100.0, 5),
            "Probability of exceeding the threshold (%)",
            Labels::Percent,
        )
        .fitting_margin_labels(
            &scenario
                .thresholds
                .iter()
                .map(|t| threshold_mult(t.multiplier))
                .collect::<Vec<_>>(),
        )
        .draw(&area)?;
        let mut labels = Vec::new();
        let mut ys = Vec::new();
        for (i, t) in scenario.thresholds.iter().enumerate() {
            let points: Vec<(i32, i32)> = proj
                .iter()
                .zip(&t.probability)
                .map(|(p, q)| {
                    chart.backend_coord(&(f64::from(p.months), clamp(q * 100.0, (0.0, 100.0))))
                })
                .collect();
            draw_line(root, &points, threshold_key(i))?;
            if let Some(&(_, y)) = points.last() {
                labels.push(threshold_mult(t.multiplier));
                ys.push(y);
            }
        }
        margin_labels(root, &chart, &labels, &ys)
    });
    let early = early_months(results);
    let index = step_index(proj, early);
    let parts: Vec<String> = scenario
        .thresholds
        .iter()
        .map(|t| {
            format!(
                "{}: {} at {} months and {} at {} months",
                threshold_mult(t.multiplier),
                index
                    .and_then(|i| t.probability.get(i))
                    .map_or_else(String::new, |&p| pct(p)),
                early,
                t.probability.last().map_or_else(String::new, |&p| pct(p)),
                horizon
            )
        })
        .collect();
    Chart {
        name: format!("thresholds_{}.svg", file_id(&scenario.id)),
        title: format!(
            "Probability of exceeding each threshold: {}",
            scenario.label
        ),
        alt: format!(
            "Line chart for the scenario {}: the probability that the uplift exceeds each \
             threshold, against months after release, one line per threshold. {}.",
            scenario.label,
            if parts.is_empty() {
                "No thresholds are set".to_owned()
            } else {
                parts.join("; ")
            }
        ),
        svg,
    }
}
