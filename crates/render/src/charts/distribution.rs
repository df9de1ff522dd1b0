//! The distribution chart: histograms of the uplift at the early step and at the horizon, side
//! by side, with the median and the thresholds.

use overhang_model::results::{Histogram, Results, ScenarioResults};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{Axes, spread};
use super::canvas::{
    DARK, DrawResult, LABEL_SIZE, LIGHT, MID, WIDTH, anchored, err, render, text_width,
};
use super::file_id;
use super::legend::{Key, MEDIAN, THRESHOLD, draw_line, with_legend};
use super::ticks::{Labels, bounds, clamp, lg, linear_ticks, log_ticks, sparse};
use crate::Chart;
use crate::format::{mult, pct, threshold_mult};
use crate::text::{early_months, step_index};

fn histogram_at(scenario: &ScenarioResults, months: u32) -> Option<&Histogram> {
    scenario
        .histograms
        .iter()
        .min_by_key(|h| h.months.abs_diff(months))
}

/// The share of draws with no uplift at all at `months`, from the projection.
fn no_uplift_at(scenario: &ScenarioResults, months: u32) -> f64 {
    step_index(&scenario.projection, months).map_or(0.0, |i| scenario.projection[i].p_no_uplift)
}

/// A histogram as drawn: its bins up to `end` (log10) with the point mass of no uplift taken
/// out of the bin that held it, that point mass, and the share beyond `end`.
struct Split {
    /// `(from, to, share)` in log10 units, every bin that starts below `end`, cut at `end`.
    bins: Vec<(f64, f64, f64)>,
    /// Share of draws with no uplift (exactly 1x).
    none: f64,
    /// Share of draws in the last bin, which holds the upper tail, and in bins that end past
    /// `end`.
    beyond: f64,
    /// The lower edge (log10) of the first of those bins: the bar is marked ">= 10^from".
    beyond_from: f64,
}

impl Split {
    fn of(h: &Histogram, none: f64, end: f64) -> Self {
        let mut bins = Vec::new();
        let mut beyond = 0.0;
        let mut beyond_from = end;
        let mut left = none;
        let last = h.fractions.len().saturating_sub(1);
        for (i, (w, &f)) in h.edges_log10.windows(2).zip(&h.fractions).enumerate() {
            // U = 0 falls in the bin that holds 0 (the first, where the tails fold).
            let mut share = f;
            if left > 0.0 && (w[0] <= 0.0 || bins.is_empty()) {
                let taken = left.min(share);
                share -= taken;
                left -= taken;
            }
            if w[1] <= end + 1e-12 && i < last {
                bins.push((w[0], w[1], share));
            } else {
                beyond_from = beyond_from.min(w[0]);
                beyond += share;
            }
        }
        Split {
            bins,
            none,
            beyond: if beyond < 5e-4 { 0.0 } else { beyond },
            beyond_from,
        }
    }
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
    let end = libm::ceil(hi * 2.0) / 2.0;
    // The samples beyond `end` are one bar of their own past it, marked ">= end", one bin wide.
    let bin = panels
        .iter()
        .find_map(|h| h.edges_log10.windows(2).next().map(|w| w[1] - w[0]))
        .filter(|w| *w > 0.0)
        .unwrap_or(0.1);
    let x = (lo, end + bin);
    let split: Vec<Split> = panels
        .iter()
        .map(|h| Split::of(h, no_uplift_at(scenario, h.months), end))
        .collect();
    let top = split
        .iter()
        .flat_map(|p| p.bins.iter().map(|b| b.2).chain([p.none, p.beyond]))
        .fold(0.01, f64::max)
        * 100.0
        * 1.15;
    // Room above the tallest bar for the threshold labels along the top of each panel.
    let top = if scenario.thresholds.is_empty() {
        top
    } else {
        top * 1.15
    };
    let y = (0.0, top);
    let any_none = split.iter().any(|p| p.none > 0.0);
    let any_beyond = split.iter().any(|p| p.beyond > 0.0);
    let svg = render(|root| {
        let mut entries = vec![
            ("Share of samples".to_owned(), Key::Swatch(LIGHT)),
            ("Median".to_owned(), MEDIAN),
        ];
        if any_none {
            entries.push(("No uplift (exactly 1x)".to_owned(), Key::Swatch(DARK)));
        }
        if any_beyond {
            entries.push(("Upper tail (marked >=)".to_owned(), Key::Swatch(MID)));
        }
        if !scenario.thresholds.is_empty() {
            entries.push(("Threshold (labelled at the top)".to_owned(), THRESHOLD));
        }
        let area = with_legend(root, &entries)?;
        let parts = if panels.len() > 1 {
            let (a, b) = area.split_horizontally(WIDTH / 2);
            vec![a, b]
        } else {
            vec![area]
        };
        for ((panel, h), split) in parts.iter().zip(&panels).zip(&split) {
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
            let bar = |from: f64, to: f64, share: f64, color: RGBColor| -> DrawResult<(i32, i32)> {
                let a = chart.backend_coord(&(clamp(from, x), 0.0));
                let b = chart.backend_coord(&(clamp(to, x), clamp(share * 100.0, y)));
                // A one-pixel gap between bars, and none drawn over the axis.
                if a.1 - b.1 >= 1 {
                    root.draw(&Rectangle::new(
                        [(a.0 + 1, b.1), (b.0, a.1 - 1)],
                        color.filled(),
                    ))
                    .map_err(err)?;
                }
                Ok((i32::midpoint(a.0, b.0), b.1))
            };
            for &(from, to, share) in &split.bins {
                bar(from, to, share, LIGHT)?;
            }
            if split.none > 0.0 {
                // The draws with no uplift at all sit at exactly 1x: their own bar, at the left
                // edge of the first bin, with their share written over it.
                let at = h.edges_log10.first().copied().unwrap_or(0.0).max(x.0);
                let (cx, top_y) = bar(at, at + bin, split.none, DARK)?;
                root.draw(&Text::new(
                    format!("1x: {}", pct(split.none)),
                    (cx, top_y - 4),
                    anchored(LABEL_SIZE, HPos::Center, VPos::Bottom),
                ))
                .map_err(err)?;
            }
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            if split.beyond > 0.0 {
                let from = split.beyond_from;
                let (cx, top_y) = bar(from, from + bin, split.beyond, MID)?;
                // The label sits above every bar it spans, inside the plot: a wide label over
                // a short tail bar would otherwise cross the taller bars beside it.
                let label = format!(">= {}", mult(libm::pow(10.0, from)));
                let w = text_width(&label, LABEL_SIZE);
                let right = (cx + w / 2).min(xr.end - 2);
                let left = right - w;
                let over = split
                    .bins
                    .iter()
                    .filter(|&&(a, b, _)| {
                        let (pa, _) = chart.backend_coord(&(clamp(a, x), 0.0));
                        let (pb, _) = chart.backend_coord(&(clamp(b, x), 0.0));
                        pb >= left && pa <= right
                    })
                    .map(|&(_, _, f)| chart.backend_coord(&(x.0, clamp(f * 100.0, y))).1)
                    .fold(top_y, i32::min);
                root.draw(&Text::new(
                    label,
                    (right, (over - 4).max(yr.start + 16)),
                    anchored(LABEL_SIZE, HPos::Right, VPos::Bottom),
                ))
                .map_err(err)?;
            }
            if let Some(i) = step_index(&scenario.projection, h.months) {
                let (mx, _) = chart.backend_coord(&(clamp(lg(scenario.projection[i].p50), x), 0.0));
                draw_line(root, &[(mx, yr.start), (mx, yr.end)], MEDIAN)?;
            }
            // Each threshold's line, labelled with its multiplier along the top of the plot,
            // the labels spread apart with a leader where one had to move.
            let mut labels = Vec::new();
            let mut xs = Vec::new();
            for t in &scenario.thresholds {
                let v = lg(t.multiplier);
                if v > x.0 && v < x.1 {
                    let (tx, _) = chart.backend_coord(&(v, 0.0));
                    draw_line(root, &[(tx, yr.start + 22), (tx, yr.end)], THRESHOLD)?;
                    labels.push(threshold_mult(t.multiplier));
                    xs.push(tx);
                }
            }
            let widest = labels
                .iter()
                .map(|l| text_width(l, LABEL_SIZE))
                .max()
                .unwrap_or(0);
            let placed = spread(
                &xs,
                widest + 4,
                xr.start + widest / 2 + 2,
                xr.end - widest / 2 - 2,
            );
            for ((label, &tx), &at) in labels.iter().zip(&xs).zip(&placed) {
                if (at - tx).abs() > 3 {
                    root.draw(&PathElement::new(
                        vec![(at, yr.start + 16), (tx, yr.start + 22)],
                        MID.stroke_width(1),
                    ))
                    .map_err(err)?;
                }
                root.draw(&Text::new(
                    label.clone(),
                    (at, yr.start + 2),
                    anchored(LABEL_SIZE, HPos::Center, VPos::Top),
                ))
                .map_err(err)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use overhang_testkit::{ROUNDING, assert_close};

    #[test]
    fn the_point_mass_and_the_upper_tail_get_bars_of_their_own() {
        let h = Histogram {
            months: 12,
            edges_log10: vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5],
            fractions: vec![0.3, 0.4, 0.2, 0.05, 0.05],
            overflow: 0.02,
        };
        let s = Split::of(&h, 0.25, 1.0);
        // The 25% with no uplift leave the first bin; bins past 10x and the last bin (the
        // folded tail) make the upper-tail bar, marked from 10x.
        assert_eq!(s.bins.len(), 2);
        assert_close!(s.bins[0].2, 0.05, ROUNDING);
        assert_close!(s.bins[1].2, 0.4, ROUNDING);
        assert_close!(s.none, 0.25, ROUNDING);
        assert_close!(s.beyond, 0.3, ROUNDING);
        assert_close!(s.beyond_from, 1.0, ROUNDING);
        // With every bin inside the axis, the last bin alone is the tail.
        let s = Split::of(&h, 0.0, 2.5);
        assert_eq!(s.bins.len(), 4);
        assert_close!(s.beyond, 0.05, ROUNDING);
        assert_close!(s.beyond_from, 2.0, ROUNDING);
        let total: f64 = s.bins.iter().map(|b| b.2).sum::<f64>() + s.none + s.beyond;
        assert_close!(total, 1.0, ROUNDING);
    }
}
