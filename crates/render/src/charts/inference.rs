//! The inference, small multiples: one panel per category of the average task with a
//! posterior, the prior's and the posterior's 90% intervals of the level at release as bars at
//! the release date, every row at its date (an exact value as a dot, a bound as a triangle
//! pointing its way), and the posterior's median line `a + g t` across the dates. Four panels to
//! a chart, as for the derived CEGs.

use overhang_model::assessment::AVERAGE_SCOPE;
use overhang_model::results::{CategoryInferenceOut, PosteriorOut, Results};
use plotters::prelude::*;

use super::axes::Axes;
use super::canvas::{Area, DARK, DrawResult, INK, LIGHT, err, render, shorten};
use super::derivations::PANELS;
use super::legend::{Key, Marker, draw_line, draw_marker, with_legend};
use super::ticks::{Labels, bounds, clamp, linear_ticks, log_ticks};
use crate::Chart;
use crate::format::mult;

const LINE: Key = Key::Line(INK, 2, None);
/// Half a bar's width in pixels.
const BAR: i32 = 6;
/// Half a triangle's size in pixels.
const TRIANGLE: i32 = 6;

/// A category with what a panel needs.
struct Panel<'a> {
    category: &'a CategoryInferenceOut,
    posterior: PosteriorOut,
    prior: (f64, f64),
}

fn panels(results: &Results) -> Vec<Panel<'_>> {
    let Some(inf) = &results.inference else {
        return Vec::new();
    };
    inf.categories
        .iter()
        .filter(|c| c.scope == AVERAGE_SCOPE && !c.rows.is_empty())
        .filter_map(|c| {
            Some(Panel {
                category: c,
                posterior: c.posterior?,
                prior: (c.prior.available.p5?, c.prior.available.p95?),
            })
        })
        .collect()
}

/// The inference charts, `inference_1.svg`, ...: none without a posterior.
pub(super) fn charts(results: &Results) -> Vec<Chart> {
    let all = panels(results);
    let count = all.len().div_ceil(PANELS);
    all.chunks(PANELS)
        .enumerate()
        .map(|(i, group)| chart(i + 1, count, group))
        .collect()
}

fn chart(number: usize, count: usize, group: &[Panel<'_>]) -> Chart {
    let svg = render(|root| {
        let entries = [
            ("Prior 90% interval".to_owned(), Key::Swatch(LIGHT)),
            ("Posterior 90% interval".to_owned(), Key::Swatch(DARK)),
            ("Posterior median line".to_owned(), LINE),
            ("Exact row".to_owned(), Key::Marker(Marker::FilledCircle)),
            ("Bound".to_owned(), Key::Marker(Marker::OpenTriangle)),
        ];
        let area = with_legend(root, &entries)?;
        // A last chart of one or two categories has one row of taller panels.
        let panels = area.split_evenly((group.len().div_ceil(2), 2));
        for (p, panel) in group.iter().zip(&panels) {
            draw_panel(root, panel, p)?;
        }
        Ok(())
    });
    let described: Vec<String> = group
        .iter()
        .map(|p| {
            let a = &p.posterior.available;
            format!(
                "{}: {} rows; prior {} to {}, posterior {} to {} (median {}), growth {:.2} OOM per year",
                p.category.label,
                p.category.rows.len(),
                mult(libm::pow(10.0, p.prior.0)),
                mult(libm::pow(10.0, p.prior.1)),
                mult(libm::pow(10.0, a.p5)),
                mult(libm::pow(10.0, a.p95)),
                mult(libm::pow(10.0, a.p50)),
                p.posterior.growth.p50,
            )
        })
        .collect();
    let part = if count > 1 {
        format!(" ({number} of {count})")
    } else {
        String::new()
    };
    Chart {
        name: format!("inference_{number}.svg"),
        title: format!(
            "Prior and posterior of each category's level at release, with its evidence rows{part}"
        ),
        alt: format!(
            "Small multiples, one panel per category: compute-equivalent gain on a log scale \
             against years from the release date, with the prior's and the posterior's 90% \
             intervals of the level at release as bars at the release date, the evidence rows \
             as dots (exact) and triangles (bounds, pointing up for at least and down for at \
             most), and the posterior median line. {}.",
            described.join("; ")
        ),
        svg,
    }
}

/// A triangle centred at `(x, y)` pixels, pointing up or down, open.
fn triangle(area: &Area<'_>, (x, y): (i32, i32), up: bool) -> DrawResult<()> {
    let d = if up { -1 } else { 1 };
    let r = TRIANGLE;
    let points = vec![
        (x, y + d * (r + 1)),
        (x + r + 1, y - d * r),
        (x - r - 1, y - d * r),
    ];
    let mut outline = points.clone();
    outline.push(points[0]);
    area.draw(&Polygon::new(points, ShapeStyle::from(&WHITE).filled()))
        .map_err(err)?;
    area.draw(&PathElement::new(
        outline,
        ShapeStyle::from(&INK).stroke_width(2),
    ))
    .map_err(err)
}

fn draw_panel(root: &Area<'_>, panel: &Area<'_>, p: &Panel<'_>) -> DrawResult<()> {
    let c = p.category;
    let post = &p.posterior;
    let mut xs: Vec<f64> = c.rows.iter().map(|r| r.years).collect();
    xs.push(0.0);
    let (x0, x1) = bounds(&xs).unwrap_or((-1.0, 0.0));
    let x = (libm::floor(x0 - 0.2), libm::ceil(x1 + 0.2).max(1.0));
    let line = |t: f64| post.available.p50 + post.growth.p50 * t;
    let mut ys: Vec<f64> = c.rows.iter().map(|r| r.y_log10).collect();
    ys.extend([
        p.prior.0,
        p.prior.1,
        post.available.p5,
        post.available.p95,
        line(x.0),
        line(x1.max(0.0)),
    ]);
    let (y0, y1) = bounds(&ys).unwrap_or((0.0, 1.0));
    let y = (libm::floor(y0.min(0.0)), libm::ceil(y1 + 0.1).max(1.0));
    let axes = Axes {
        x,
        y,
        x_ticks: linear_ticks(x.0, x.1, 6)
            .into_iter()
            .filter(|t| t.fract() == 0.0)
            .collect(),
        y_ticks: log_ticks(y.0, y.1),
        x_desc: "Years from release".to_owned(),
        y_desc: "CEG".to_owned(),
        x_labels: Labels::Whole,
        y_labels: Labels::Log,
        left: 64,
        right: 12,
        caption: Some(shorten(&c.label, 30)),
    };
    let chart = axes.draw(panel)?;
    let px = |cx: f64, cy: f64| chart.backend_coord(&(clamp(cx, x), clamp(cy, y)));
    // The bars straddle the release date: the prior to its left, the posterior to its right.
    let (zx, _) = px(0.0, y.0);
    for (lo, hi, ink, shift) in [
        (p.prior.0, p.prior.1, LIGHT, -BAR - 1),
        (post.available.p5, post.available.p95, DARK, BAR + 1),
    ] {
        let (_, top) = px(0.0, hi);
        let (_, bottom) = px(0.0, lo);
        let mid = zx + shift;
        root.draw(&Rectangle::new(
            [(mid - BAR, top), (mid + BAR, bottom)],
            ShapeStyle::from(&ink).filled(),
        ))
        .map_err(err)?;
    }
    let end = x1.max(0.0);
    draw_line(
        root,
        &[px(x0.min(0.0), line(x0.min(0.0))), px(end, line(end))],
        LINE,
    )?;
    for r in &c.rows {
        let at = px(r.years, r.y_log10);
        match r.kind.as_str() {
            "at_least" => triangle(root, at, true)?,
            "at_most" => triangle(root, at, false)?,
            _ => draw_marker(root, Marker::FilledCircle, at)?,
        }
    }
    Ok(())
}
