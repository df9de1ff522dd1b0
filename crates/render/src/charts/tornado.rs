//! The tornado chart: for each uncertain input, ranked by its share of the variance, the
//! median uplift with the input pinned at its 5th and at its 95th percentile.

use overhang_model::results::ScenarioResults;
use plotters::prelude::*;

use super::axes::{Axes, no_data, row_center, row_label};
use super::canvas::{DARK, INK, LIGHT, err, render, shorten};
use super::file_id;
use super::legend::{Key, draw_line, with_legend};
use super::ticks::{bounds, clamp, lg};
use crate::Chart;
use crate::format::{mult, pct};
use crate::text::horizon_sensitivity;

/// Longest label drawn beside a bar before it is shortened.
const MAX_LABEL_CHARS: usize = 44;
/// At most this many inputs in the tornado chart.
const TORNADO_ROWS: usize = 10;

/// The tornado chart of one scenario, `tornado_<id>.svg`.
pub(super) fn chart(scenario: &ScenarioResults) -> Chart {
    let sens = horizon_sensitivity(scenario);
    let mut inputs: Vec<_> = sens.map(|s| s.inputs.iter().collect()).unwrap_or_default();
    inputs.sort_by_key(|e| e.rank);
    inputs.truncate(TORNADO_ROWS);
    let median = sens.map_or(1.0, |s| s.median);
    let months = sens.map_or(0, |s| s.months);
    let labels: Vec<String> = inputs
        .iter()
        .map(|e| {
            format!(
                "{} ({})",
                shorten(&e.label, MAX_LABEL_CHARS - 6),
                pct(e.first_order)
            )
        })
        .collect();
    let values: Vec<f64> = inputs
        .iter()
        .flat_map(|e| [e.median_at_p5, e.median_at_p95])
        .chain([median])
        .map(|v| lg(v.max(1.0)))
        .collect();
    let (lo, hi) = bounds(&values).unwrap_or((0.0, 1.0));
    let pad = ((hi - lo) * 0.08).max(0.05);
    let x = ((lo - pad).max(0.0), hi + pad);
    let svg = render(|root| {
        let entries = vec![
            ("Input at its 5th percentile".to_owned(), Key::Swatch(LIGHT)),
            ("Input at its 95th percentile".to_owned(), Key::Swatch(DARK)),
            (
                "Median with every input free".to_owned(),
                Key::Line(INK, 2, None),
            ),
        ];
        let area = with_legend(root, &entries)?;
        let axes = Axes::rows(
            x,
            &labels,
            360,
            format!("Median uplift multiplier at {months} months (log scale)"),
        );
        let n = axes.y.1;
        let chart = axes.draw(&area)?;
        let (_, yr) = chart.plotting_area().get_pixel_range();
        let (mx, _) = chart.backend_coord(&(clamp(lg(median), x), 0.0));
        for (i, (e, label)) in inputs.iter().zip(&labels).enumerate() {
            // Rank 1 at the top.
            let row = row_center(n, i);
            for (v, color) in [(e.median_at_p5, LIGHT), (e.median_at_p95, DARK)] {
                let (vx, _) = chart.backend_coord(&(clamp(lg(v.max(1.0)), x), 0.0));
                let (_, y0) = chart.backend_coord(&(0.0, row + 0.32));
                let (_, y1) = chart.backend_coord(&(0.0, row - 0.32));
                root.draw(&Rectangle::new(
                    [(mx.min(vx), y0), (mx.max(vx), y1)],
                    color.filled(),
                ))
                .map_err(err)?;
            }
            row_label(root, &chart, row, label)?;
        }
        draw_line(
            root,
            &[(mx, yr.start), (mx, yr.end)],
            Key::Line(INK, 2, None),
        )?;
        if inputs.is_empty() {
            no_data(root, &chart, "No sensitivity analysis")?;
        }
        Ok(())
    });
    let described: Vec<String> = inputs
        .iter()
        .take(3)
        .map(|e| {
            format!(
                "{} ({} of the variance; median {} to {})",
                e.label,
                pct(e.first_order),
                mult(e.median_at_p5),
                mult(e.median_at_p95)
            )
        })
        .collect();
    Chart {
        name: format!("tornado_{}.svg", file_id(&scenario.id)),
        title: format!(
            "Sensitivity of the uplift at {months} months to each input: {}",
            scenario.label
        ),
        alt: format!(
            "Tornado chart for the scenario {}: for each uncertain input, ranked by its share of \
             the variance, a bar from the median uplift with the input at its 5th percentile to \
             the median with it at its 95th percentile, around the overall median of {}. The \
             largest: {}.",
            scenario.label,
            mult(median),
            if described.is_empty() {
                "none".to_owned()
            } else {
                described.join("; ")
            }
        ),
        svg,
    }
}
