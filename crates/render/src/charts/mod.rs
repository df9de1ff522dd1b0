//! The charts: deterministic SVG drawn with plotters, legible in greyscale print.
//!
//! One file per chart kind (`evidence`, then per scenario `fan`, `thresholds`,
//! `distribution`, `tornado` and `contributions`, then the small multiples of `derivations` and
//! `inference`), each drawing its SVG and writing its caption and alt text. They share a small drawing toolkit:
//!
//! - `canvas`: the chart's size, font and inks, and the SVG document around a drawing;
//! - `ticks`: tick positions and labels (log axes are linear axes in log10 units with ticks
//!   chosen here and computed with `libm`, so labels read `1x, 2x, 5x, 10x` and the bytes do
//!   not depend on the platform's math library);
//! - `legend`: how series look (grey level, dash pattern, marker shape, never hue alone) and
//!   the legend strip above the plot;
//! - `axes`: the plot frame, labels in the right margin spread apart so they never collide,
//!   the frame of the row charts, and the "no data" notice.
//!
//! Plotters' `Histogram` iterates a `HashMap`, so bars are drawn as rectangles.

mod axes;
mod canvas;
mod composability;
mod contributions;
mod derivations;
mod distribution;
mod evidence;
mod fan;
mod inference;
mod legend;
mod thresholds;
mod ticks;
mod tornado;

use overhang_model::results::{Results, ScenarioResults};

use crate::Chart;

/// Every chart of the report, in a fixed order.
pub(crate) fn all(results: &Results) -> Vec<Chart> {
    let mut charts = vec![evidence::chart(results)];
    for scenario in &results.scenarios {
        charts.push(fan::chart(results, scenario));
        charts.push(thresholds::chart(results, scenario));
        charts.push(distribution::chart(results, scenario));
        charts.push(tornado::chart(scenario));
        charts.push(contributions::chart(results, scenario));
    }
    charts.extend(derivations::charts(results));
    charts.extend(inference::charts(results));
    charts.extend(composability::chart(results));
    charts
}

/// A scenario id made safe for a file name.
pub(crate) fn file_id(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        "scenario".to_owned()
    } else {
        clean
    }
}

/// The last month of a scenario's projection (at least 1), for charts across months.
fn horizon_of(results: &Results, scenario: &ScenarioResults) -> f64 {
    scenario
        .projection
        .last()
        .map_or(f64::from(results.simulation.horizon_months), |p| {
            f64::from(p.months)
        })
        .max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ids_are_safe() {
        assert_eq!(file_id("open_weights"), "open_weights");
        assert_eq!(file_id("../x y"), "___x_y");
        assert_eq!(file_id(""), "scenario");
    }
}
