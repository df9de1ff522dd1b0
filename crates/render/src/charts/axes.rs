//! The plot frame: two axes with ticks chosen here, their grid and descriptions, labels in the
//! right margin, and the frame of the row charts (one labelled row per item, a log x axis).

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    Area, DARK, DESC_SIZE, DrawResult, GRID, LABEL_SIZE, MID, anchored, err, font, text_width,
};
use super::ticks::{Labels, log_ticks, month_ticks};

/// A linear axis whose tick positions are chosen here rather than by plotters.
#[derive(Clone)]
pub(super) struct Ticked {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span <= 0.0 {
            return i32::midpoint(limit.0, limit.1);
        }
        let fraction = (value - self.lo) / span;
        limit.0 + libm::round(f64::from(limit.1 - limit.0) * fraction) as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Light grid lines are not drawn at all.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// A chart context over two ticked axes.
pub(super) type Ctx<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Ticked, Ticked>>;

/// Everything that sets up a plot: ranges, ticks, descriptions, margins.
pub(super) struct Axes {
    /// The x range, in axis units (log10 units on a log axis).
    pub x: (f64, f64),
    /// The y range.
    pub y: (f64, f64),
    /// Where the x ticks go.
    pub x_ticks: Vec<f64>,
    /// Where the y ticks go.
    pub y_ticks: Vec<f64>,
    /// The x axis description.
    pub x_desc: String,
    /// The y axis description.
    pub y_desc: String,
    /// How x ticks are labelled.
    pub x_labels: Labels,
    /// How y ticks are labelled.
    pub y_labels: Labels,
    /// Pixels left of the plot for the y labels.
    pub left: u32,
    /// Pixels right of the plot.
    pub right: u32,
    /// A caption above the plot.
    pub caption: Option<String>,
}

/// The label margin of a row chart: 60 pixels at least.
const MIN_LABEL_MARGIN: i32 = 60;

impl Axes {
    /// Months after release from 0 to `horizon` across, with room for labels in the right
    /// margin.
    pub(super) fn months(
        horizon: f64,
        y: (f64, f64),
        y_ticks: Vec<f64>,
        y_desc: &str,
        y_labels: Labels,
    ) -> Self {
        Self {
            x: (0.0, horizon),
            y,
            x_ticks: month_ticks(horizon),
            y_ticks,
            x_desc: "Months after release".to_owned(),
            y_desc: y_desc.to_owned(),
            x_labels: Labels::Whole,
            y_labels,
            left: 78,
            right: 60,
            caption: None,
        }
    }

    /// Widens the right margin to fit `labels` drawn there by [`margin_labels`], so a long
    /// label (`1,000x`) is not cut at the chart's right edge.
    pub(super) fn fitting_margin_labels(mut self, labels: &[String]) -> Self {
        let widest = labels
            .iter()
            .map(|l| text_width(l, LABEL_SIZE))
            .max()
            .unwrap_or(0);
        self.right = self.right.max((widest + MARGIN_LABEL_INSET + 6) as u32);
        self
    }

    /// A row chart: a multiplier on a log axis across (`x` in log10 units) and one row per
    /// label, with a left margin that fits the longest label up to `max_margin` pixels.
    pub(super) fn rows<S: AsRef<str>>(
        x: (f64, f64),
        labels: &[S],
        max_margin: i32,
        x_desc: String,
    ) -> Self {
        let longest = labels
            .iter()
            .map(|l| text_width(l.as_ref(), LABEL_SIZE))
            .max()
            .unwrap_or(40);
        Self {
            x,
            y: (0.0, labels.len().max(1) as f64),
            x_ticks: log_ticks(x.0, x.1),
            y_ticks: Vec::new(),
            x_desc,
            y_desc: String::new(),
            x_labels: Labels::Log,
            y_labels: Labels::None,
            left: (longest + 16).clamp(MIN_LABEL_MARGIN, max_margin) as u32,
            right: 24,
            caption: None,
        }
    }

    /// Draws the axes, grid and descriptions in `area` and returns the chart to plot in.
    pub(super) fn draw<'a, 'b>(&self, area: &'a Area<'b>) -> DrawResult<Ctx<'a, 'b>> {
        let mut builder = ChartBuilder::on(area);
        builder
            .margin_top(8)
            .margin_left(10)
            .margin_right(self.right)
            .margin_bottom(6)
            .x_label_area_size(54)
            .y_label_area_size(self.left);
        if let Some(caption) = &self.caption {
            builder.caption(caption.clone(), font(DESC_SIZE));
        }
        let mut chart = builder
            .build_cartesian_2d(
                Ticked {
                    lo: self.x.0,
                    hi: self.x.1,
                    ticks: self.x_ticks.clone(),
                },
                Ticked {
                    lo: self.y.0,
                    hi: self.y.1,
                    ticks: self.y_ticks.clone(),
                },
            )
            .map_err(err)?;
        let (x_labels, y_labels) = (self.x_labels, self.y_labels);
        chart
            .configure_mesh()
            .x_labels(self.x_ticks.len().max(1))
            .y_labels(self.y_ticks.len().max(1))
            .x_label_formatter(&|v: &f64| x_labels.format(*v))
            .y_label_formatter(&|v: &f64| y_labels.format(*v))
            .x_desc(self.x_desc.clone())
            .y_desc(self.y_desc.clone())
            .label_style(font(LABEL_SIZE))
            .axis_desc_style(font(DESC_SIZE))
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(DARK.stroke_width(1))
            .draw()
            .map_err(err)?;
        Ok(chart)
    }
}

/// The centre (in y units) of row `i` of a row chart with `n` rows, row 0 at the top.
pub(super) fn row_center(n: f64, i: usize) -> f64 {
    n - i as f64 - 0.5
}

/// A row chart's label, right-aligned left of the plot at the height of `row`.
pub(super) fn row_label(
    root: &Area<'_>,
    chart: &Ctx<'_, '_>,
    row: f64,
    label: &str,
) -> DrawResult<()> {
    let (xr, _) = chart.plotting_area().get_pixel_range();
    let (_, ly) = chart.backend_coord(&(0.0, row));
    root.draw(&Text::new(
        label.to_owned(),
        (xr.start - 8, ly),
        anchored(LABEL_SIZE, HPos::Right, VPos::Center),
    ))
    .map_err(err)
}

/// A notice in the middle of the plot that there is nothing to show.
pub(super) fn no_data(root: &Area<'_>, chart: &Ctx<'_, '_>, notice: &str) -> DrawResult<()> {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    root.draw(&Text::new(
        notice.to_owned(),
        (
            i32::midpoint(xr.start, xr.end),
            i32::midpoint(yr.start, yr.end),
        ),
        anchored(DESC_SIZE, HPos::Center, VPos::Center),
    ))
    .map_err(err)
}

/// Pixels from the plot's right edge to the start of a margin label.
const MARGIN_LABEL_INSET: i32 = 8;

/// Labels in the right margin for lines ending at pixel heights `ys`, spread apart so they
/// never collide, with a leader line where a label had to move.
pub(super) fn margin_labels(
    root: &Area<'_>,
    chart: &Ctx<'_, '_>,
    labels: &[String],
    ys: &[i32],
) -> DrawResult<()> {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    // Clear of the x axis's last tick label below the plot's bottom right corner.
    let placed = spread(ys, 17, yr.start + 6, yr.end - 10);
    for ((label, &y), &at) in labels.iter().zip(ys).zip(&placed) {
        let x = xr.end + MARGIN_LABEL_INSET - 2;
        if (at - y).abs() > 3 {
            root.draw(&PathElement::new(
                vec![(xr.end, y), (x, at)],
                MID.stroke_width(1),
            ))
            .map_err(err)?;
        }
        root.draw(&Text::new(
            label.clone(),
            (x + 2, at),
            anchored(LABEL_SIZE, HPos::Left, VPos::Center),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Spreads label positions (pixels, any order) so neighbours are at least `gap` apart, keeping
/// them within `[lo, hi]` where possible. Returns positions in the input order.
pub(super) fn spread(positions: &[i32], gap: i32, lo: i32, hi: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by_key(|&i| (positions[i], i));
    let mut placed: Vec<i32> = order.iter().map(|&i| positions[i]).collect();
    for k in 1..placed.len() {
        placed[k] = placed[k].max(placed[k - 1] + gap);
    }
    if let Some(&last) = placed.last()
        && last > hi
    {
        let shift = last - hi;
        for p in &mut placed {
            *p -= shift;
        }
        for k in (0..placed.len().saturating_sub(1)).rev() {
            placed[k] = placed[k].min(placed[k + 1] - gap);
        }
    }
    if let Some(&first) = placed.first()
        && first < lo
    {
        let shift = lo - first;
        for p in &mut placed {
            *p += shift;
        }
    }
    let mut out = vec![0; positions.len()];
    for (slot, &i) in order.iter().enumerate() {
        out[i] = placed[slot];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_margin_fits_the_longest_step_label() {
        let axes = || Axes::months(60.0, (0.0, 1.0), Vec::new(), "", Labels::Log);
        let short = axes().fitting_margin_labels(&["4x".to_owned()]);
        assert_eq!(short.right, 60);
        let long = "1,000,000x".to_owned();
        let wide = axes().fitting_margin_labels(std::slice::from_ref(&long));
        assert!(
            wide.right as i32 >= text_width(&long, LABEL_SIZE) + MARGIN_LABEL_INSET,
            "{}",
            wide.right
        );
    }

    #[test]
    fn spread_labels_keep_their_order_and_gap() {
        let out = spread(&[100, 102, 101, 300], 17, 0, 400);
        assert_eq!(out, [100, 134, 117, 300]);
        // Pushed back inside the bottom edge.
        let out = spread(&[395, 398], 17, 0, 400);
        assert_eq!(out, [383, 400]);
    }
}
