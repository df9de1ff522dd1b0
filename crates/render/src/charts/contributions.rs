//! The contributions chart: each category's CEG available at release, elicited by the
//! evaluation and at the horizon, as medians with 5th to 95th percentile whiskers. A frozen
//! category (held at what the release shipped with) is labelled so and has no available
//! level: what exists at release is out of the actor's reach.

use overhang_model::results::{Results, ScenarioResults};
use plotters::prelude::*;

use super::axes::{Axes, row_center, row_label};
use super::canvas::{DARK, GRID, err, render, shorten};
use super::file_id;
use super::legend::{Key, Marker, draw_marker, with_legend};
use super::ticks::{bounds, clamp, lg};
use crate::Chart;
use crate::format::mult;

/// The contributions chart of one scenario, `contributions_<id>.svg`.
pub(super) fn chart(results: &Results, scenario: &ScenarioResults) -> Chart {
    let items = &scenario.contributions;
    let horizon = results.simulation.horizon_months;
    let values: Vec<f64> = items
        .iter()
        .flat_map(|c| {
            [c.available, c.elicited, c.at_horizon]
                .into_iter()
                .flat_map(overhang_model::results::Quantiles3::to_array)
        })
        .map(|v| lg(v.max(1.0)))
        .collect();
    let (_, hi) = bounds(&values).unwrap_or((0.0, 1.0));
    let x = (0.0, (hi * 1.08).max(hi + 0.1));
    let labels: Vec<String> = items
        .iter()
        .map(|c| {
            if c.frozen {
                format!("{} (frozen)", shorten(&c.label, 19))
            } else {
                shorten(&c.label, 28)
            }
        })
        .collect();
    let series: [(&str, Marker, f64); 3] = [
        ("Available at release", Marker::FilledCircle, 0.27),
        ("Elicited by the evaluation", Marker::OpenSquare, 0.0),
        ("At the horizon", Marker::FilledTriangle, -0.27),
    ];
    let svg = render(|root| {
        let mut entries: Vec<(String, Key)> = series
            .iter()
            .map(|(l, m, _)| ((*l).to_owned(), Key::Marker(*m)))
            .collect();
        entries.push((
            "5th to 95th percentile".to_owned(),
            Key::Line(DARK, 2, None),
        ));
        let area = with_legend(root, &entries)?;
        let axes = Axes::rows(
            x,
            &labels,
            300,
            "Compute-equivalent gain of the category (multiplier, log scale)".to_owned(),
        );
        let n = axes.y.1;
        let chart = axes.draw(&area)?;
        let (xr, _) = chart.plotting_area().get_pixel_range();
        for (i, (c, label)) in items.iter().zip(&labels).enumerate() {
            let row = row_center(n, i);
            if i > 0 {
                let (_, sep) = chart.backend_coord(&(0.0, row + 0.5));
                root.draw(&PathElement::new(
                    vec![(xr.start, sep), (xr.end, sep)],
                    GRID.stroke_width(1),
                ))
                .map_err(err)?;
            }
            for (k, ((_, marker, offset), q)) in series
                .iter()
                .zip([c.available, c.elicited, c.at_horizon])
                .enumerate()
            {
                if k == 0 && c.frozen {
                    continue;
                }
                let at = |v: f64| chart.backend_coord(&(clamp(lg(v.max(1.0)), x), row + offset));
                if q.p95 > q.p5 {
                    root.draw(&PathElement::new(
                        vec![at(q.p5), at(q.p95)],
                        DARK.stroke_width(2),
                    ))
                    .map_err(err)?;
                }
                draw_marker(root, *marker, at(q.p50))?;
            }
            row_label(root, &chart, row, label)?;
        }
        Ok(())
    });
    let described: Vec<String> = items
        .iter()
        .map(|c| {
            format!(
                "{}: available {}, elicited {}, at {} months {}",
                c.label,
                if c.frozen {
                    "none (frozen at what the release shipped with)".to_owned()
                } else {
                    mult(c.available.p50)
                },
                mult(c.elicited.p50),
                horizon,
                mult(c.at_horizon.p50)
            )
        })
        .collect();
    Chart {
        name: format!("contributions_{}.svg", file_id(&scenario.id)),
        title: format!(
            "Each category's compute-equivalent gain: {}",
            scenario.label
        ),
        alt: format!(
            "Dot plot for the scenario {} of each category's compute-equivalent gain on a log \
             scale, as medians with 5th to 95th percentile whiskers: available at release, \
             elicited by the evaluation, and at the horizon. Medians: {}.",
            scenario.label,
            if described.is_empty() {
                "none".to_owned()
            } else {
                described.join("; ")
            }
        ),
        svg,
    }
}
