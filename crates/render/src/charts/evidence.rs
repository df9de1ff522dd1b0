//! The evidence: every row's CEG by date, one marker shape per category, a bound as its marker
//! at the bound's value with a bar across it and a short arrow in the bound's direction (up: at
//! least; down: at most), with the trend of each category whose fit can support a claim about
//! growth: the OLS line and its 90% band, or the censored-likelihood line where the category
//! has bounds. A fit the report says cannot support such a claim gets no line.

use overhang_model::Censoring;
use overhang_model::results::{BandPoint, CategoryFit, Results};
use plotters::prelude::*;

use super::axes::{Axes, no_data};
use super::canvas::{DARK, INK, LIGHT, err, render, shorten};
use super::legend::{Key, MARKERS, draw_arrow, draw_line, draw_marker, with_legend};
use super::ticks::{Labels, bounds, clamp, lg, linear_ticks, log_ticks};
use crate::Chart;
use crate::format::mult;
use crate::text::evidence_interval;

/// The band of a fit that can support a claim about growth: none for a fit with limits.
fn band_of(fit: &CategoryFit) -> Option<&[BandPoint]> {
    (!fit.band.is_empty() && fit.limits.is_empty()).then_some(fit.band.as_slice())
}

/// Points of a band's edge kept for drawing: the ends and every `BAND_STRIDE`-th point between,
/// so whole-pixel rounding of close points does not turn the curve into stair steps.
const BAND_STRIDE: usize = 4;

fn thinned(band: &[BandPoint]) -> Vec<&BandPoint> {
    let last = band.len().saturating_sub(1);
    band.iter()
        .enumerate()
        .filter(|(i, _)| i % BAND_STRIDE == 0 || *i == last)
        .map(|(_, b)| b)
        .collect()
}

/// The evidence chart, `evidence.svg`.
pub(super) fn chart(results: &Results) -> Chart {
    let rows = &results.inputs.evidence;
    let categories = &results.inputs.categories;
    let marker_of = |id: &str| {
        let i = categories
            .iter()
            .position(|c| c.id == id)
            .unwrap_or(categories.len());
        MARKERS[i % MARKERS.len()]
    };
    let with_rows: Vec<_> = categories
        .iter()
        .filter(|c| rows.iter().any(|r| r.category == c.id))
        .collect();
    let fitted: Vec<&CategoryFit> = results
        .fits
        .categories
        .iter()
        .filter(|f| band_of(f).is_some())
        .collect();

    let svg = render(|root| {
        let mut entries: Vec<(String, Key)> = with_rows
            .iter()
            .map(|c| (shorten(&c.label, 28), Key::Marker(marker_of(&c.id))))
            .collect();
        if rows.iter().any(|r| r.censoring != Censoring::None) {
            entries.push((
                "Bound: at its value, arrow to at least or at most".to_owned(),
                Key::Arrow,
            ));
        }
        if !fitted.is_empty() {
            entries.push(("Fitted trend".to_owned(), Key::Line(INK, 2, None)));
            if fitted.iter().any(|f| f.censored.is_none()) {
                entries.push(("90% band of the OLS fit".to_owned(), Key::Swatch(LIGHT)));
            }
        }
        let area = with_legend(root, &entries)?;

        let mut years: Vec<f64> = rows.iter().map(|r| r.year).collect();
        let mut cegs: Vec<f64> = rows.iter().map(|r| r.ceg_central.max(1e-3)).collect();
        for r in rows {
            if let Some((lo, hi)) = evidence_interval(r) {
                cegs.extend([lo.max(1e-3), hi.max(1e-3)]);
            }
        }
        for f in &fitted {
            for b in &f.band {
                years.push(b.year);
                cegs.extend([b.low.max(1e-3), b.high.max(1e-3)]);
            }
        }
        let (x0, x1) = bounds(&years).unwrap_or((2023.0, 2026.0));
        let (c0, c1) = bounds(&cegs).unwrap_or((1.0, 10.0));
        let x = (libm::floor(x0 - 0.25), libm::ceil(x1 + 0.25));
        let y = (
            libm::floor(lg(c0.min(1.0))),
            libm::ceil(lg(c1 * 1.5)).max(1.0),
        );
        let axes = Axes {
            x,
            y,
            x_ticks: linear_ticks(x.0, x.1, 8)
                .into_iter()
                .filter(|t| t.fract() == 0.0)
                .collect(),
            y_ticks: log_ticks(y.0, y.1),
            x_desc: "Date of the enhancement (year)".to_owned(),
            y_desc: "Compute-equivalent gain (multiplier, log scale)".to_owned(),
            x_labels: Labels::Whole,
            y_labels: Labels::Log,
            left: 78,
            right: 20,
            caption: None,
        };
        let chart = axes.draw(&area)?;
        let px = |year: f64, ceg: f64| chart.backend_coord(&(clamp(year, x), clamp(lg(ceg), y)));

        for f in &fitted {
            let band = band_of(f).unwrap_or_default();
            // The censored line has no band of the mean: its edges are the line itself.
            if f.censored.is_none() {
                let edge = thinned(band);
                let mut outline: Vec<(i32, i32)> =
                    edge.iter().map(|b| px(b.year, b.high)).collect();
                outline.extend(edge.iter().rev().map(|b| px(b.year, b.low)));
                root.draw(&Polygon::new(outline, LIGHT.mix(0.7).filled()))
                    .map_err(err)?;
            }
            // The line is straight in log CEG: drawn from end to end, one segment, it has no
            // steps.
            if let (Some(a), Some(b)) = (band.first(), band.last()) {
                let line = [px(a.year, a.fit), px(b.year, b.fit)];
                draw_line(root, &line, Key::Line(INK, 2, None))?;
            }
        }
        for r in rows {
            if let Some((lo, hi)) = evidence_interval(r)
                && hi > lo
            {
                root.draw(&PathElement::new(
                    vec![px(r.year, lo), px(r.year, hi)],
                    DARK.stroke_width(1),
                ))
                .map_err(err)?;
            }
        }
        for r in rows {
            let at = px(r.year, r.ceg_central);
            match r.censoring {
                Censoring::None => {}
                Censoring::Lower => draw_arrow(root, at, true)?,
                Censoring::Upper => draw_arrow(root, at, false)?,
            }
            draw_marker(root, marker_of(&r.category), at)?;
        }
        if rows.is_empty() {
            no_data(root, &chart, "No evidence rows")?;
        }
        Ok(())
    });

    let counted: Vec<String> = with_rows
        .iter()
        .map(|c| {
            let n = rows.iter().filter(|r| r.category == c.id).count();
            format!("{} ({n})", c.label)
        })
        .collect();
    let fits: Vec<String> = fitted
        .iter()
        .filter_map(|f| {
            let label = categories.iter().find(|c| c.id == f.category).map_or(f.category.as_str(), |c| c.label.as_str());
            f.growth_line().map(|l| {
                format!(
                    "a fitted trend for {label} of {:.2} orders of magnitude per year ({} per year){}",
                    l.slope,
                    mult(libm::pow(10.0, l.slope)),
                    if l.censored {
                        ", fitted by censored-normal likelihood"
                    } else {
                        " with its 90% band"
                    }
                )
            })
        })
        .collect();
    let alt = format!(
        "Scatter plot of {} evidence rows: compute-equivalent gain on a log scale against the date \
         of the enhancement, one marker shape per category, with vertical bars for the rows given \
         as intervals{}. Rows per category: {}.{}",
        rows.len(),
        match rows
            .iter()
            .filter(|r| r.censoring != Censoring::None)
            .count()
        {
            0 => String::new(),
            k => format!(" and arrows from the {k} rows that are bounds"),
        },
        if counted.is_empty() {
            "none".to_owned()
        } else {
            counted.join(", ")
        },
        if fits.is_empty() {
            " No category's fit can support a claim about growth, so no trend line is drawn."
                .to_owned()
        } else {
            format!(" The chart shows {}.", fits.join("; "))
        }
    );
    Chart {
        name: "evidence.svg".to_owned(),
        title: "The evidence: compute-equivalent gain by date and category".to_owned(),
        alt,
        svg,
    }
}
