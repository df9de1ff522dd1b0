//! The distribution chart: histograms of the uplift at the early step and at the horizon, side
//! by side, with the median and the thresholds.

use overhang_model::results::{Histogram, Results, ScenarioResults};
use plotters::prelude::*;

use super::axes::Axes;
use super::canvas::{LIGHT, WIDTH, err, render};
use super::file_id;
use super::legend::{Key, MEDIAN, THRESHOLD, draw_line, with_legend};
use super::ticks::{Labels, bounds, clamp, lg, linear_ticks, log_ticks, sparse};
use crate::Chart;
use crate::format::mult;
use crate::text::{early_months, step_index};

fn histogram_at(scenario: &ScenarioResults, months: u32) -> Option<&Histogram> {
    scenario
        .histograms
        .iter()
        .min_by_key(|h| h.months.abs_diff(months))
}

/// The distribution chart of one scenario, `distribution_<id>.svg`.
pub(super) fn chart(results: &Results, scenario: &ScenarioResults) -> Chart {
    let early = early_months(results);
    let horizon = results.simulation.horizon_months;
    let mut panels: Vec<&Histogram> = Vec::new();
    for m in [early, horizon] {
        if let Some(h) = histogram_at(scenario, m)
            && !panels.iter().any(|p| p.months == h.months)
        {
            panels.push(h);
        }
    }
    // The axis ends past the last bin that holds a visible share (0.2% of the samples) and past
    // every threshold: empty tails would squeeze the bars into a corner.
    let edges: Vec<f64> = panels
        .iter()
        .flat_map(|h| h.edges_log10.iter().copied())
        .collect();
    let lo = bounds(&edges).map_or(0.0, |b| b.0);
    let visible = panels.iter().flat_map(|h| {
        h.edges_log10
            .windows(2)
            .zip(&h.fractions)
            .filter(|(_, f)| **f >= 0.002)
            .map(|(w, _)| w[1])
    });
    let marks = scenario.thresholds.iter().map(|t| lg(t.multiplier) + 0.1);
    let hi = visible.chain(marks).fold(lo + 0.5, f64::max);
    let x = (lo, libm::ceil(hi * 2.0) / 2.0);
    let top = panels
        .iter()
        .flat_map(|h| h.fractions.iter().copied())
        .fold(0.01, f64::max)
        * 100.0
        * 1.12;
    let y = (0.0, top);
    let svg = render(|root| {
        let mut entries = vec![
            ("Share of samples".to_owned(), Key::Swatch(LIGHT)),
            ("Median".to_owned(), MEDIAN),
        ];
        if !scenario.thresholds.is_empty() {
            entries.push(("Threshold".to_owned(), THRESHOLD));
        }
        let area = with_legend(root, &entries)?;
        let parts = if panels.len() > 1 {
            let (a, b) = area.split_horizontally(WIDTH / 2);
            vec![a, b]
        } else {
            vec![area]
        };
        for (panel, h) in parts.iter().zip(&panels) {
            let axes = Axes {
                x,
                y,
                x_ticks: sparse(log_ticks(x.0, x.1), 5),
                y_ticks: linear_ticks(0.0, top, 5),
                x_desc: "Uplift multiplier (log scale)".to_owned(),
                y_desc: "Share of samples (%)".to_owned(),
                x_labels: Labels::Log,
                y_labels: Labels::Percent,
                left: 66,
                right: 16,
                caption: Some(format!("At {} months", h.months)),
            };
            let chart = axes.draw(panel)?;
            for (w, f) in h.edges_log10.windows(2).zip(&h.fractions) {
                if w[0] >= x.1 {
                    continue;
                }
                let a = chart.backend_coord(&(clamp(w[0], x), 0.0));
                let b = chart.backend_coord(&(clamp(w[1], x), clamp(f * 100.0, y)));
                // A one-pixel gap between bars, and none drawn over the axis.
                if a.1 - b.1 >= 1 {
                    root.draw(&Rectangle::new(
                        [(a.0 + 1, b.1), (b.0, a.1 - 1)],
                        LIGHT.filled(),
                    ))
                    .map_err(err)?;
                }
            }
            let (_, yr) = chart.plotting_area().get_pixel_range();
            if let Some(i) = step_index(&scenario.projection, h.months) {
                let (mx, _) = chart.backend_coord(&(clamp(lg(scenario.projection[i].p50), x), 0.0));
                draw_line(root, &[(mx, yr.start), (mx, yr.end)], MEDIAN)?;
            }
            for t in &scenario.thresholds {
                let v = lg(t.multiplier);
                if v > x.0 && v < x.1 {
                    let (tx, _) = chart.backend_coord(&(v, 0.0));
                    draw_line(root, &[(tx, yr.start), (tx, yr.end)], THRESHOLD)?;
                }
            }
        }
        Ok(())
    });
    let described: Vec<String> = panels
        .iter()
        .filter_map(|h| {
            step_index(&scenario.projection, h.months).map(|i| {
                let p = &scenario.projection[i];
                format!(
                    "at {} months the median is {} (90% interval {} to {})",
                    h.months,
                    mult(p.p50),
                    mult(p.p5),
                    mult(p.p95)
                )
            })
        })
        .collect();
    Chart {
        name: format!("distribution_{}.svg", file_id(&scenario.id)),
        title: format!(
            "Distribution of the uplift at {early} months and at the horizon: {}",
            scenario.label
        ),
        alt: format!(
            "Histograms for the scenario {} of the uplift multiplier on a log scale, with the \
             median as a solid line and the thresholds as dashed lines: {}.",
            scenario.label,
            if described.is_empty() {
                "no distribution was recorded".to_owned()
            } else {
                described.join("; ")
            }
        ),
        svg,
    }
}
