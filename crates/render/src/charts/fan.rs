//! The fan chart: the uplift's median, 50% and 90% intervals by month, with the thresholds.

use overhang_model::results::{ProjectionPoint, Results, ScenarioResults};
use plotters::prelude::*;

use super::axes::{Axes, margin_labels};
use super::canvas::{LIGHT, PALE, err, render};
use super::legend::{EXTRAPOLATION, Key, MEDIAN, THRESHOLD, draw_line, with_legend};
use super::ticks::{Labels, clamp, lg, log_ticks};
use super::{file_id, horizon_of};
use crate::Chart;
use crate::format::{mult, threshold_mult};

/// The fan chart of one scenario, `fan_<id>.svg`.
pub(super) fn chart(results: &Results, scenario: &ScenarioResults) -> Chart {
    let proj = &scenario.projection;
    let horizon = horizon_of(results, scenario);
    let top = proj
        .iter()
        .map(|p| p.p95)
        .chain(scenario.thresholds.iter().map(|t| t.multiplier))
        .fold(2.0, f64::max);
    let y = (0.0, lg(top * 1.25));
    let svg = render(|root| {
        let mut entries = vec![
            ("90% interval (p5 to p95)".to_owned(), Key::Swatch(PALE)),
            ("50% interval (p25 to p75)".to_owned(), Key::Swatch(LIGHT)),
            ("Median".to_owned(), MEDIAN),
        ];
        if !scenario.thresholds.is_empty() {
            entries.push(("Threshold".to_owned(), THRESHOLD));
        }
        let extrapolation = crate::text::extrapolation_months(results);
        if extrapolation.is_some() {
            entries.push(("Beyond the evidence's span".to_owned(), EXTRAPOLATION));
        }
        let area = with_legend(root, &entries)?;
        let labels: Vec<String> = scenario
            .thresholds
            .iter()
            .map(|t| threshold_mult(t.multiplier))
            .collect();
        let chart = Axes::months(
            horizon,
            y,
            log_ticks(y.0, y.1),
            "Uplift in effective compute (multiplier, log scale)",
            Labels::Log,
        )
        .fitting_margin_labels(&labels)
        .draw(&area)?;
        let px = |m: u32, v: f64| chart.backend_coord(&(f64::from(m), clamp(lg(v), y)));
        let band = |lo: fn(&ProjectionPoint) -> f64, hi: fn(&ProjectionPoint) -> f64| {
            let mut outline: Vec<(i32, i32)> = proj.iter().map(|p| px(p.months, hi(p))).collect();
            outline.extend(proj.iter().rev().map(|p| px(p.months, lo(p))));
            outline
        };
        root.draw(&Polygon::new(band(|p| p.p5, |p| p.p95), PALE.filled()))
            .map_err(err)?;
        root.draw(&Polygon::new(band(|p| p.p25, |p| p.p75), LIGHT.filled()))
            .map_err(err)?;
        let (xr, _) = chart.plotting_area().get_pixel_range();
        let mut ys = Vec::new();
        for t in &scenario.thresholds {
            let (_, ty) = px(0, t.multiplier);
            draw_line(root, &[(xr.start, ty), (xr.end, ty)], THRESHOLD)?;
            ys.push(ty);
        }
        let median: Vec<(i32, i32)> = proj.iter().map(|p| px(p.months, p.p50)).collect();
        draw_line(root, &median, MEDIAN)?;
        if let Some(m) = extrapolation {
            let yr = chart.plotting_area().get_pixel_range().1;
            let (x, _) = px(m, 1.0);
            draw_line(root, &[(x, yr.start), (x, yr.end)], EXTRAPOLATION)?;
        }
        margin_labels(root, &chart, &labels, &ys)
    });
    let (first, last) = (proj.first(), proj.last());
    let alt = match (first, last) {
        (Some(a), Some(b)) => format!(
            "Fan chart for the scenario {}: the median uplift multiplier rises from {} at release \
             to {} at {} months; at {} months the 50% interval spans {} to {} and the 90% interval \
             {} to {}. Dashed horizontal lines mark the thresholds {}.",
            scenario.label,
            mult(a.p50),
            mult(b.p50),
            b.months,
            b.months,
            mult(b.p25),
            mult(b.p75),
            mult(b.p5),
            mult(b.p95),
            list_multipliers(scenario),
        ),
        _ => format!(
            "Fan chart for the scenario {}: the projection is empty.",
            scenario.label
        ),
    };
    let alt = match crate::text::extrapolation_months(results) {
        Some(m) => format!(
            "{alt} A dotted vertical line at {m} months marks where the projection extends the \
             categories' growth further than their evidence spans."
        ),
        None => alt,
    };
    Chart {
        name: format!("fan_{}.svg", file_id(&scenario.id)),
        title: format!(
            "Uplift over the evaluated system, by months after release: {}",
            scenario.label
        ),
        alt,
        svg,
    }
}

fn list_multipliers(scenario: &ScenarioResults) -> String {
    let all: Vec<String> = scenario
        .thresholds
        .iter()
        .map(|t| threshold_mult(t.multiplier))
        .collect();
    if all.is_empty() {
        "(none)".to_owned()
    } else {
        all.join(", ")
    }
}
