//! The derived CEGs, small multiples: one panel per derivation with the family's base curve
//! (score against log10 compute), the enhanced model's score, and `C*`, where the base curve
//! reaches that score. Four panels to a chart, so each stays legible on a page.

use overhang_model::DerivedCeg;
use overhang_model::results::Results;
use plotters::prelude::*;

use super::axes::Axes;
use super::canvas::{DARK, DrawResult, INK, err, render, shorten};
use super::legend::{Key, Marker, draw_line, draw_marker, with_legend};
use super::ticks::{Labels, bounds, clamp, linear_ticks};
use crate::Chart;
use crate::text::derived_ceg;

/// Panels per chart: two rows of two.
pub(crate) const PANELS: usize = 4;

const BASE: Key = Key::Line(INK, 2, None);
const CROSSING: Key = Key::Line(DARK, 1, Some((6, 4)));

/// The derivation charts, `derived_1.svg`, `derived_2.svg`, ...: none when no CEG was derived.
pub(super) fn charts(results: &Results) -> Vec<Chart> {
    let derived: Vec<(&str, &DerivedCeg)> = results
        .evidence
        .iter()
        .filter_map(|e| e.derivation.as_ref().map(|d| (e.id.as_str(), d)))
        .collect();
    derived
        .chunks(PANELS)
        .enumerate()
        .map(|(i, group)| chart(i + 1, group))
        .collect()
}

fn chart(number: usize, group: &[(&str, &DerivedCeg)]) -> Chart {
    let svg = render(|root| {
        let entries = [
            ("Base curve".to_owned(), BASE),
            ("Base model".to_owned(), Key::Marker(Marker::FilledCircle)),
            (
                "With the enhancement".to_owned(),
                Key::Marker(Marker::OpenSquare),
            ),
            ("To C*".to_owned(), CROSSING),
        ];
        let area = with_legend(root, &entries)?;
        let panels = area.split_evenly((2, 2));
        for ((id, d), panel) in group.iter().zip(&panels) {
            draw_panel(root, panel, id, d)?;
        }
        Ok(())
    });
    let described: Vec<String> = group
        .iter()
        .map(|(id, d)| {
            format!(
                "{id}: {} on {} lifted from {:.1} to {:.1}, which the base curve reaches at {:.3e} against the model's own {:.3e}, a CEG of {}",
                d.model,
                d.benchmark,
                d.own_score,
                d.enhanced_score,
                d.equivalent_compute,
                d.own_compute,
                derived_ceg(d)
            )
        })
        .collect();
    let ids: Vec<&str> = group.iter().map(|(id, _)| *id).collect();
    Chart {
        name: format!("derived_{number}.svg"),
        title: format!("Derived CEGs: {}", ids.join(", ")),
        alt: format!(
            "Small multiples, one panel per derived CEG: the base curve of the model family (score against training compute on a log scale), the enhanced model's score, and the compute C* where the base curve reaches it. {}.",
            described.join("; ")
        ),
        svg,
    }
}

/// One derivation in `panel`; the marks go on `root`, as the chart's pixel coordinates are the
/// whole canvas's.
fn draw_panel(
    root: &super::canvas::Area<'_>,
    panel: &super::canvas::Area<'_>,
    id: &str,
    d: &DerivedCeg,
) -> DrawResult<()> {
    let lg = |c: f64| libm::log10(c.max(1e-300));
    let mut xs: Vec<f64> = d.base.iter().map(|p| lg(p.compute)).collect();
    xs.extend([lg(d.own_compute), lg(d.equivalent_compute)]);
    let mut ys: Vec<f64> = d.base.iter().map(|p| p.score).collect();
    ys.push(d.enhanced_score);
    let (x0, x1) = bounds(&xs).unwrap_or((0.0, 1.0));
    let (y0, y1) = bounds(&ys).unwrap_or((0.0, 100.0));
    let pad_x = ((x1 - x0) * 0.08).max(0.1);
    let pad_y = ((y1 - y0) * 0.12).max(1.0);
    let x = (libm::floor(x0 - pad_x), libm::ceil(x1 + pad_x));
    let y = ((y0 - pad_y).max(d.range.0), (y1 + pad_y).min(d.range.1));
    let axes = Axes {
        x,
        y,
        x_ticks: linear_ticks(x.0, x.1, 5)
            .into_iter()
            .filter(|t| t.fract() == 0.0)
            .collect(),
        y_ticks: linear_ticks(y.0, y.1, 4),
        x_desc: "log10 compute".to_owned(),
        y_desc: "Score".to_owned(),
        x_labels: Labels::Whole,
        y_labels: Labels::Whole,
        left: 56,
        right: 12,
        caption: Some(format!("{}: {}", shorten(id, 22), derived_ceg(d))),
    };
    let chart = axes.draw(panel)?;
    let px = |cx: f64, cy: f64| chart.backend_coord(&(clamp(cx, x), clamp(cy, y)));
    let curve: Vec<(i32, i32)> = d.base.iter().map(|p| px(lg(p.compute), p.fitted)).collect();
    draw_line(root, &curve, BASE)?;
    for p in &d.base {
        draw_marker(root, Marker::FilledCircle, px(lg(p.compute), p.score))?;
    }
    let (xo, xs) = (lg(d.own_compute), lg(d.equivalent_compute));
    draw_line(
        root,
        &[
            px(xo, d.enhanced_score),
            px(xs, d.enhanced_score),
            px(xs, y.0),
        ],
        CROSSING,
    )?;
    root.draw(&Text::new(
        "C*",
        {
            let (cx, cy) = px(xs, y.0);
            (cx + 4, cy - 16)
        },
        super::canvas::font(super::canvas::LABEL_SIZE),
    ))
    .map_err(err)?;
    draw_marker(root, Marker::OpenSquare, px(xo, d.enhanced_score))
}
