//! The charts: deterministic SVG drawn with plotters, legible in greyscale print.
//!
//! Log axes are drawn as linear axes in log10 units with tick positions chosen here (and
//! computed with `libm`), so tick labels read `1x, 2x, 5x, 10x` and the bytes do not depend on
//! the platform's math library. Series are told apart by grey level, dash pattern and marker
//! shape, never by hue alone. Legends sit in a strip above the plot and line labels in the right
//! margin, spread apart so they never collide. Plotters' `Histogram` iterates a `HashMap`, so
//! bars are drawn as rectangles.

use std::fmt::Display;

use overhang_model::results::{CategoryFit, Histogram, ProjectionPoint, Results, ScenarioResults};
use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::Chart;
use crate::text::{evidence_interval, horizon_sensitivity, mult, pct, threshold_mult};

/// Chart width in SVG pixels.
const WIDTH: u32 = 760;
/// Chart height in SVG pixels.
const HEIGHT: u32 = 440;
/// The embedded typst text font, so charts in the PDF match the document; viewers without it
/// fall back to a serif.
const FAMILY: &str = "Libertinus Serif, serif";
/// Plotters font sizes (plotters writes `size / 1.24` into the SVG).
const LABEL_SIZE: f64 = 19.0;
const DESC_SIZE: f64 = 20.0;
const LEGEND_SIZE: f64 = 18.0;
/// Height of one legend row.
const LEGEND_ROW: i32 = 24;
/// Longest label drawn beside a bar before it is shortened.
const MAX_LABEL_CHARS: usize = 44;
/// At most this many inputs in the tornado chart.
const TORNADO_ROWS: usize = 10;

const INK: RGBColor = RGBColor(0, 0, 0);
const DARK: RGBColor = RGBColor(80, 80, 80);
const MID: RGBColor = RGBColor(150, 150, 150);
const LIGHT: RGBColor = RGBColor(200, 200, 200);
const PALE: RGBColor = RGBColor(228, 228, 228);
const GRID: RGBColor = RGBColor(235, 235, 235);

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type DrawResult<T> = Result<T, String>;

fn err<E: Display>(e: E) -> String {
    e.to_string()
}

/// Every chart of the report, in a fixed order.
pub(crate) fn all(results: &Results) -> Vec<Chart> {
    let mut charts = vec![evidence(results)];
    for scenario in &results.scenarios {
        charts.push(fan(results, scenario));
        charts.push(thresholds(results, scenario));
        charts.push(distribution(results, scenario));
        charts.push(tornado(scenario));
        charts.push(contributions(results, scenario));
    }
    charts
}

/// Draws with `draw`, or, should plotters ever fail, an SVG that says so (the report then
/// shows the failure instead of losing the whole build).
fn render(draw: impl FnOnce(&Area<'_>) -> DrawResult<()>) -> String {
    let mut svg = String::new();
    let outcome = {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(err)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(err))
    };
    match outcome {
        Ok(()) => svg,
        Err(message) => failed_svg(&message),
    }
}

fn failed_svg(message: &str) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        // Drawing text into a string cannot fail with the SVG backend.
        let _ = root.fill(&WHITE);
        let _ = root.draw(&Text::new(
            format!("This chart could not be drawn: {message}"),
            (20, 40),
            font(LABEL_SIZE),
        ));
        let _ = root.present();
    }
    svg
}

fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size).into_font()).color(&INK)
}

fn anchored(size: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size).pos(Pos::new(h, v))
}

/// A generous estimate of a label's width in pixels (Libertinus averages about half an em).
fn text_width(text: &str, size: f64) -> i32 {
    (text.chars().count() as f64 * 0.56 * size / 1.24).ceil() as i32
}

/// Shortens a label to `max` characters with an ellipsis, and drops control characters (which
/// XML does not allow).
/// The left margin that fits the longest of `labels` beside a horizontal-bar chart, between 60
/// and `max` pixels.
fn label_margin<S: AsRef<str>>(labels: &[S], max: i32) -> u32 {
    let longest = labels
        .iter()
        .map(|l| text_width(l.as_ref(), LABEL_SIZE))
        .max()
        .unwrap_or(40);
    (longest + 16).clamp(60, max) as u32
}

fn shorten(text: &str, max: usize) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() <= max {
        clean
    } else {
        let mut cut: String = clean.chars().take(max.saturating_sub(1)).collect();
        cut = cut.trim_end().to_owned();
        cut.push('…');
        cut
    }
}

/// A multiplier as a tick label: `1x`, `1.5x`, `20x`.
fn tick(v: f64) -> String {
    if v > 0.0 && v < 0.95 {
        // Ticks below 1 sit at 1, 2 or 5 times a power of ten: print them exactly.
        let s = format!("{v:.12}");
        return format!("{}x", s.trim_end_matches('0'));
    }
    mult(v).replace(".0x", "x")
}

fn lg(x: f64) -> f64 {
    libm::log10(x.max(1e-12))
}

fn pow10(x: f64) -> f64 {
    libm::pow(10.0, x)
}

/// Tick positions (log10 units) for a log axis from `lo` to `hi` (log10 units): the densest of
/// 1-3-10, 1-2-5 and powers of ten that gives at most eight ticks.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let sets: [&[f64]; 4] = [
        &[1.0, 1.5, 2.0, 3.0, 5.0, 7.0],
        &[1.0, 2.0, 5.0],
        &[1.0, 3.0],
        &[1.0],
    ];
    let first = libm::floor(lo) as i32;
    let last = libm::ceil(hi) as i32;
    let mut best = Vec::new();
    for mantissas in sets {
        let mut ticks = Vec::new();
        for k in first..=last {
            for m in mantissas {
                let t = lg(*m) + f64::from(k);
                if t >= lo - 1e-9 && t <= hi + 1e-9 {
                    ticks.push(t);
                }
            }
        }
        best = ticks;
        if best.len() <= 8 {
            break;
        }
    }
    if best.len() > 8 {
        // Very wide ranges: every other power of ten.
        best.retain(|t| (libm::round(*t) as i64) % 2 == 0);
    }
    best
}

/// Every other tick (keeping the first) until at most `max` remain, for narrow panels.
fn sparse(mut ticks: Vec<f64>, max: usize) -> Vec<f64> {
    while ticks.len() > max {
        ticks = ticks.into_iter().step_by(2).collect();
    }
    ticks
}

/// "Nice" linear ticks with at most `max` intervals.
fn linear_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / max as f64;
    let magnitude = pow10(libm::floor(lg(raw)));
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= max as f64 + 1e-9)
        .unwrap_or(10.0 * magnitude);
    let mut ticks = Vec::new();
    let mut i = libm::ceil(lo / step - 1e-9) as i64;
    loop {
        let t = i as f64 * step;
        if t > hi + 1e-9 {
            break;
        }
        ticks.push(t);
        i += 1;
    }
    ticks
}

/// Month ticks: every 12 months, or every 6 or 3 for short horizons.
fn month_ticks(horizon: f64) -> Vec<f64> {
    let step = if horizon > 36.0 {
        12.0
    } else if horizon > 12.0 {
        6.0
    } else {
        3.0
    };
    let mut ticks = Vec::new();
    let mut t = 0.0;
    while t <= horizon + 1e-9 {
        ticks.push(t);
        t += step;
    }
    ticks
}

/// Spreads label positions (pixels, any order) so neighbours are at least `gap` apart, keeping
/// them within `[lo, hi]` where possible. Returns positions in the input order.
fn spread(positions: &[i32], gap: i32, lo: i32, hi: i32) -> Vec<i32> {
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

/// How a legend entry (and its series) is drawn.
#[derive(Clone, Copy)]
enum Key {
    /// A filled swatch.
    Swatch(RGBColor),
    /// A line: colour, width, and dash (`None` for solid).
    Line(RGBColor, u32, Option<(u32, u32)>),
    /// A marker shape.
    Marker(Marker),
}

/// Marker shapes that stay distinct in greyscale.
#[derive(Clone, Copy)]
enum Marker {
    FilledCircle,
    OpenCircle,
    FilledSquare,
    OpenSquare,
    FilledTriangle,
    Cross,
    OpenTriangle,
    FilledDiamond,
}

const MARKERS: [Marker; 8] = [
    Marker::FilledCircle,
    Marker::OpenSquare,
    Marker::FilledTriangle,
    Marker::OpenCircle,
    Marker::FilledSquare,
    Marker::Cross,
    Marker::OpenTriangle,
    Marker::FilledDiamond,
];

fn draw_marker(area: &Area<'_>, marker: Marker, (x, y): (i32, i32)) -> DrawResult<()> {
    let r = 5;
    let filled = ShapeStyle::from(&INK).filled();
    let open = ShapeStyle::from(&INK).stroke_width(2);
    let white = ShapeStyle::from(&WHITE).filled();
    match marker {
        Marker::FilledCircle => area.draw(&Circle::new((x, y), r, filled)),
        Marker::OpenCircle => area
            .draw(&Circle::new((x, y), r, white))
            .and_then(|()| area.draw(&Circle::new((x, y), r, open))),
        Marker::FilledSquare => {
            area.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], filled))
        }
        Marker::OpenSquare => area
            .draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], white))
            .and_then(|()| area.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], open))),
        Marker::FilledTriangle => area.draw(&Polygon::new(
            vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
            filled,
        )),
        Marker::OpenTriangle => area
            .draw(&Polygon::new(
                vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
                white,
            ))
            .and_then(|()| {
                area.draw(&PathElement::new(
                    vec![
                        (x, y - r - 1),
                        (x + r + 1, y + r),
                        (x - r - 1, y + r),
                        (x, y - r - 1),
                    ],
                    open,
                ))
            }),
        Marker::Cross => area
            .draw(&PathElement::new(
                vec![(x - r, y - r), (x + r, y + r)],
                open,
            ))
            .and_then(|()| {
                area.draw(&PathElement::new(
                    vec![(x - r, y + r), (x + r, y - r)],
                    open,
                ))
            }),
        Marker::FilledDiamond => area.draw(&Polygon::new(
            vec![
                (x, y - r - 1),
                (x + r + 1, y),
                (x, y + r + 1),
                (x - r - 1, y),
            ],
            filled,
        )),
    }
    .map_err(err)
}

/// A polyline in pixels, solid or dashed.
fn draw_line(area: &Area<'_>, points: &[(i32, i32)], key: Key) -> DrawResult<()> {
    let Key::Line(color, width, dash) = key else {
        return Ok(());
    };
    let style = ShapeStyle::from(&color).stroke_width(width);
    match dash {
        None => area.draw(&PathElement::new(points.to_vec(), style)),
        Some((on, off)) => area.draw(&DashedPathElement::new(
            points.iter().copied(),
            on,
            off,
            style,
        )),
    }
    .map_err(err)
}

fn draw_key(area: &Area<'_>, key: Key, (x, y): (i32, i32)) -> DrawResult<()> {
    match key {
        Key::Swatch(color) => area
            .draw(&Rectangle::new(
                [(x, y - 6), (x + 24, y + 6)],
                color.filled(),
            ))
            .map_err(err),
        Key::Line(..) => draw_line(area, &[(x, y), (x + 24, y)], key),
        Key::Marker(m) => draw_marker(area, m, (x + 12, y)),
    }
}

/// Lays legend entries out in rows across `width`; returns (x, row) per entry and the rows.
fn legend_layout(entries: &[(String, Key)], width: i32) -> (Vec<(i32, i32)>, i32) {
    let mut places = Vec::new();
    let (mut x, mut row) = (0, 0);
    for (label, _) in entries {
        let w = 24 + 6 + text_width(label, LEGEND_SIZE) + 18;
        if x > 0 && x + w > width {
            x = 0;
            row += 1;
        }
        places.push((x, row));
        x += w;
    }
    (places, if entries.is_empty() { 0 } else { row + 1 })
}

/// Splits off a legend strip at the top of `root` and draws the entries in it.
fn with_legend<'a>(root: &Area<'a>, entries: &[(String, Key)]) -> DrawResult<Area<'a>> {
    let left = 20;
    let (places, rows) = legend_layout(entries, WIDTH as i32 - 2 * left);
    let strip = rows * LEGEND_ROW + 10;
    let (top, rest) = root.split_vertically(strip);
    for ((label, key), (x, row)) in entries.iter().zip(places) {
        let y = 6 + row * LEGEND_ROW + LEGEND_ROW / 2;
        draw_key(&top, *key, (left + x, y))?;
        top.draw(&Text::new(
            label.clone(),
            (left + x + 30, y),
            anchored(LEGEND_SIZE, HPos::Left, VPos::Center),
        ))
        .map_err(err)?;
    }
    Ok(rest)
}

/// A linear axis whose tick positions are chosen here rather than by plotters.
#[derive(Clone)]
struct Ticked {
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
type Ctx<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Ticked, Ticked>>;

struct Axes<'f> {
    x: (f64, f64),
    y: (f64, f64),
    x_ticks: Vec<f64>,
    y_ticks: Vec<f64>,
    x_desc: String,
    y_desc: String,
    x_fmt: &'f dyn Fn(&f64) -> String,
    y_fmt: &'f dyn Fn(&f64) -> String,
    left: u32,
    right: u32,
    caption: Option<String>,
}

fn build<'a, 'b>(area: &'a Area<'b>, axes: &Axes<'_>) -> DrawResult<Ctx<'a, 'b>> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(8)
        .margin_left(10)
        .margin_right(axes.right)
        .margin_bottom(6)
        .x_label_area_size(54)
        .y_label_area_size(axes.left);
    if let Some(caption) = &axes.caption {
        builder.caption(caption.clone(), font(DESC_SIZE));
    }
    let mut chart = builder
        .build_cartesian_2d(
            Ticked {
                lo: axes.x.0,
                hi: axes.x.1,
                ticks: axes.x_ticks.clone(),
            },
            Ticked {
                lo: axes.y.0,
                hi: axes.y.1,
                ticks: axes.y_ticks.clone(),
            },
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(axes.x_ticks.len().max(1))
        .y_labels(axes.y_ticks.len().max(1))
        .x_label_formatter(axes.x_fmt)
        .y_label_formatter(axes.y_fmt)
        .x_desc(axes.x_desc.clone())
        .y_desc(axes.y_desc.clone())
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(DESC_SIZE))
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(DARK.stroke_width(1))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

fn clamp(v: f64, range: (f64, f64)) -> f64 {
    v.clamp(range.0, range.1)
}

/// Right-margin labels for lines ending at pixel heights `ys`.
fn margin_labels(
    root: &Area<'_>,
    chart: &Ctx<'_, '_>,
    labels: &[String],
    ys: &[i32],
) -> DrawResult<()> {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let placed = spread(ys, 17, yr.start + 6, yr.end - 6);
    for ((label, &y), &at) in labels.iter().zip(ys).zip(&placed) {
        let x = xr.end + 6;
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

const THRESHOLD_DASHES: [Option<(u32, u32)>; 4] =
    [Some((10, 5)), Some((3, 4)), Some((16, 4)), None];
const THRESHOLD_INKS: [RGBColor; 4] = [DARK, INK, MID, DARK];

fn threshold_key(i: usize) -> Key {
    Key::Line(
        THRESHOLD_INKS[i % THRESHOLD_INKS.len()],
        2,
        THRESHOLD_DASHES[i % THRESHOLD_DASHES.len()],
    )
}

// ---------------------------------------------------------------------------------------
// The evidence

fn band_of(fit: &CategoryFit) -> Option<&[overhang_model::results::BandPoint]> {
    (!fit.band.is_empty()).then_some(fit.band.as_slice())
}

fn evidence(results: &Results) -> Chart {
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
        if !fitted.is_empty() {
            entries.push(("Fitted trend (OLS)".to_owned(), Key::Line(INK, 2, None)));
            entries.push(("90% band of the fit".to_owned(), Key::Swatch(LIGHT)));
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
        let year_fmt = |v: &f64| format!("{v:.0}");
        let y_fmt = |v: &f64| tick(pow10(*v));
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
            x_fmt: &year_fmt,
            y_fmt: &y_fmt,
            left: 78,
            right: 20,
            caption: None,
        };
        let chart = build(&area, &axes)?;
        let px = |year: f64, ceg: f64| chart.backend_coord(&(clamp(year, x), clamp(lg(ceg), y)));

        for f in &fitted {
            let band = band_of(f).unwrap_or_default();
            let mut outline: Vec<(i32, i32)> = band.iter().map(|b| px(b.year, b.high)).collect();
            outline.extend(band.iter().rev().map(|b| px(b.year, b.low)));
            root.draw(&Polygon::new(outline, LIGHT.mix(0.7).filled()))
                .map_err(err)?;
            let line: Vec<(i32, i32)> = band.iter().map(|b| px(b.year, b.fit)).collect();
            draw_line(root, &line, Key::Line(INK, 2, None))?;
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
            draw_marker(root, marker_of(&r.category), px(r.year, r.ceg_central))?;
        }
        if rows.is_empty() {
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            root.draw(&Text::new(
                "No evidence rows",
                (
                    i32::midpoint(xr.start, xr.end),
                    i32::midpoint(yr.start, yr.end),
                ),
                anchored(DESC_SIZE, HPos::Center, VPos::Center),
            ))
            .map_err(err)?;
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
            f.ols.as_ref().map(|l| {
                format!(
                    "a fitted trend for {label} of {:.2} orders of magnitude per year ({} per year) with its 90% band",
                    l.slope,
                    mult(l.growth_per_year)
                )
            })
        })
        .collect();
    let alt = format!(
        "Scatter plot of {} evidence rows: compute-equivalent gain on a log scale against the date \
         of the enhancement, one marker shape per category, with vertical bars for the rows given \
         as intervals. Rows per category: {}.{}",
        rows.len(),
        if counted.is_empty() {
            "none".to_owned()
        } else {
            counted.join(", ")
        },
        if fits.is_empty() {
            " No category has enough dated rows for a trend.".to_owned()
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

fn bounds(values: &[f64]) -> Option<(f64, f64)> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let lo = finite.iter().copied().reduce(f64::min)?;
    let hi = finite.iter().copied().reduce(f64::max)?;
    Some((lo, hi))
}

// ---------------------------------------------------------------------------------------
// Per scenario

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "plotters hands label formatters a reference"
)]
fn months_fmt(v: &f64) -> String {
    format!("{v:.0}")
}

fn horizon_of(results: &Results, scenario: &ScenarioResults) -> f64 {
    scenario
        .projection
        .last()
        .map_or(f64::from(results.simulation.horizon_months), |p| {
            f64::from(p.months)
        })
        .max(1.0)
}

fn fan(results: &Results, scenario: &ScenarioResults) -> Chart {
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
            ("Median".to_owned(), Key::Line(INK, 3, None)),
        ];
        if !scenario.thresholds.is_empty() {
            entries.push(("Threshold".to_owned(), Key::Line(DARK, 2, Some((10, 5)))));
        }
        let area = with_legend(root, &entries)?;
        let y_fmt = |v: &f64| tick(pow10(*v));
        let axes = Axes {
            x: (0.0, horizon),
            y,
            x_ticks: month_ticks(horizon),
            y_ticks: log_ticks(y.0, y.1),
            x_desc: "Months after release".to_owned(),
            y_desc: "Uplift in effective compute (multiplier, log scale)".to_owned(),
            x_fmt: &months_fmt,
            y_fmt: &y_fmt,
            left: 78,
            right: 60,
            caption: None,
        };
        let chart = build(&area, &axes)?;
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
        let mut labels = Vec::new();
        let mut ys = Vec::new();
        for t in &scenario.thresholds {
            let (_, ty) = px(0, t.multiplier);
            draw_line(
                root,
                &[(xr.start, ty), (xr.end, ty)],
                Key::Line(DARK, 2, Some((10, 5))),
            )?;
            labels.push(threshold_mult(t.multiplier));
            ys.push(ty);
        }
        let median: Vec<(i32, i32)> = proj.iter().map(|p| px(p.months, p.p50)).collect();
        draw_line(root, &median, Key::Line(INK, 3, None))?;
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

fn thresholds(results: &Results, scenario: &ScenarioResults) -> Chart {
    let proj = &scenario.projection;
    let horizon = horizon_of(results, scenario);
    let svg = render(|root| {
        let entries: Vec<(String, Key)> = scenario
            .thresholds
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    format!("Exceeds {}", threshold_mult(t.multiplier)),
                    threshold_key(i),
                )
            })
            .collect();
        let area = with_legend(root, &entries)?;
        let y_fmt = |v: &f64| format!("{v:.0}%");
        let axes = Axes {
            x: (0.0, horizon),
            y: (0.0, 100.0),
            x_ticks: month_ticks(horizon),
            y_ticks: linear_ticks(0.0, 100.0, 5),
            x_desc: "Months after release".to_owned(),
            y_desc: "Probability of exceeding the threshold (%)".to_owned(),
            x_fmt: &months_fmt,
            y_fmt: &y_fmt,
            left: 78,
            right: 60,
            caption: None,
        };
        let chart = build(&area, &axes)?;
        let mut labels = Vec::new();
        let mut ys = Vec::new();
        for (i, t) in scenario.thresholds.iter().enumerate() {
            let points: Vec<(i32, i32)> = proj
                .iter()
                .zip(&t.probability)
                .map(|(p, q)| {
                    chart.backend_coord(&(f64::from(p.months), clamp(q * 100.0, (0.0, 100.0))))
                })
                .collect();
            draw_line(root, &points, threshold_key(i))?;
            if let Some(&(_, y)) = points.last() {
                labels.push(threshold_mult(t.multiplier));
                ys.push(y);
            }
        }
        margin_labels(root, &chart, &labels, &ys)
    });
    let early = crate::text::early_months(results);
    let index = crate::text::step_index(proj, early);
    let parts: Vec<String> = scenario
        .thresholds
        .iter()
        .map(|t| {
            format!(
                "{}: {} at {} months and {} at {} months",
                threshold_mult(t.multiplier),
                index
                    .and_then(|i| t.probability.get(i))
                    .map_or_else(String::new, |&p| pct(p)),
                early,
                t.probability.last().map_or_else(String::new, |&p| pct(p)),
                horizon
            )
        })
        .collect();
    Chart {
        name: format!("thresholds_{}.svg", file_id(&scenario.id)),
        title: format!(
            "Probability of exceeding each threshold: {}",
            scenario.label
        ),
        alt: format!(
            "Line chart for the scenario {}: the probability that the uplift exceeds each \
             threshold, against months after release, one line per threshold. {}.",
            scenario.label,
            if parts.is_empty() {
                "No thresholds are set".to_owned()
            } else {
                parts.join("; ")
            }
        ),
        svg,
    }
}

fn histogram_at(scenario: &ScenarioResults, months: u32) -> Option<&Histogram> {
    scenario
        .histograms
        .iter()
        .min_by_key(|h| h.months.abs_diff(months))
}

fn distribution(results: &Results, scenario: &ScenarioResults) -> Chart {
    let early = crate::text::early_months(results);
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
            ("Median".to_owned(), Key::Line(INK, 3, None)),
        ];
        if !scenario.thresholds.is_empty() {
            entries.push(("Threshold".to_owned(), Key::Line(DARK, 2, Some((10, 5)))));
        }
        let area = with_legend(root, &entries)?;
        let parts = if panels.len() > 1 {
            let (a, b) = area.split_horizontally(WIDTH / 2);
            vec![a, b]
        } else {
            vec![area]
        };
        for (panel, h) in parts.iter().zip(&panels) {
            let x_fmt = |v: &f64| tick(pow10(*v));
            let y_fmt = |v: &f64| format!("{v:.0}%");
            let axes = Axes {
                x,
                y,
                x_ticks: sparse(log_ticks(x.0, x.1), 5),
                y_ticks: linear_ticks(0.0, top, 5),
                x_desc: "Uplift multiplier (log scale)".to_owned(),
                y_desc: "Share of samples (%)".to_owned(),
                x_fmt: &x_fmt,
                y_fmt: &y_fmt,
                left: 66,
                right: 16,
                caption: Some(format!("At {} months", h.months)),
            };
            let chart = build(panel, &axes)?;
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
            if let Some(i) = crate::text::step_index(&scenario.projection, h.months) {
                let (mx, _) = chart.backend_coord(&(clamp(lg(scenario.projection[i].p50), x), 0.0));
                draw_line(
                    root,
                    &[(mx, yr.start), (mx, yr.end)],
                    Key::Line(INK, 3, None),
                )?;
            }
            for t in &scenario.thresholds {
                let v = lg(t.multiplier);
                if v > x.0 && v < x.1 {
                    let (tx, _) = chart.backend_coord(&(v, 0.0));
                    draw_line(
                        root,
                        &[(tx, yr.start), (tx, yr.end)],
                        Key::Line(DARK, 2, Some((10, 5))),
                    )?;
                }
            }
        }
        Ok(())
    });
    let described: Vec<String> = panels
        .iter()
        .filter_map(|h| {
            crate::text::step_index(&scenario.projection, h.months).map(|i| {
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

fn tornado(scenario: &ScenarioResults) -> Chart {
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
    let n = inputs.len().max(1) as f64;
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
        let left = label_margin(&labels, 360);
        let x_fmt = |v: &f64| tick(pow10(*v));
        let none = |_: &f64| String::new();
        let axes = Axes {
            x,
            y: (0.0, n),
            x_ticks: log_ticks(x.0, x.1),
            y_ticks: Vec::new(),
            x_desc: format!("Median uplift multiplier at {months} months (log scale)"),
            y_desc: String::new(),
            x_fmt: &x_fmt,
            y_fmt: &none,
            left,
            right: 24,
            caption: None,
        };
        let chart = build(&area, &axes)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let (mx, _) = chart.backend_coord(&(clamp(lg(median), x), 0.0));
        for (i, (e, label)) in inputs.iter().zip(&labels).enumerate() {
            // Rank 1 at the top.
            let row = n - i as f64 - 0.5;
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
            let (_, ly) = chart.backend_coord(&(0.0, row));
            root.draw(&Text::new(
                label.clone(),
                (xr.start - 8, ly),
                anchored(LABEL_SIZE, HPos::Right, VPos::Center),
            ))
            .map_err(err)?;
        }
        draw_line(
            root,
            &[(mx, yr.start), (mx, yr.end)],
            Key::Line(INK, 2, None),
        )?;
        if inputs.is_empty() {
            root.draw(&Text::new(
                "No sensitivity analysis",
                (
                    i32::midpoint(xr.start, xr.end),
                    i32::midpoint(yr.start, yr.end),
                ),
                anchored(DESC_SIZE, HPos::Center, VPos::Center),
            ))
            .map_err(err)?;
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

fn contributions(results: &Results, scenario: &ScenarioResults) -> Chart {
    let items = &scenario.contributions;
    let horizon = results.simulation.horizon_months;
    let values: Vec<f64> = items
        .iter()
        .flat_map(|c| {
            c.available
                .iter()
                .chain(&c.elicited)
                .chain(&c.at_horizon)
                .copied()
        })
        .map(|v| lg(v.max(1.0)))
        .collect();
    let (_, hi) = bounds(&values).unwrap_or((0.0, 1.0));
    let x = (0.0, (hi * 1.08).max(hi + 0.1));
    let n = items.len().max(1) as f64;
    let labels: Vec<String> = items.iter().map(|c| shorten(&c.label, 28)).collect();
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
        let left = label_margin(&labels, 300);
        let x_fmt = |v: &f64| tick(pow10(*v));
        let none = |_: &f64| String::new();
        let axes = Axes {
            x,
            y: (0.0, n),
            x_ticks: log_ticks(x.0, x.1),
            y_ticks: Vec::new(),
            x_desc: "Compute-equivalent gain of the category (multiplier, log scale)".to_owned(),
            y_desc: String::new(),
            x_fmt: &x_fmt,
            y_fmt: &none,
            left,
            right: 24,
            caption: None,
        };
        let chart = build(&area, &axes)?;
        let (xr, _) = chart.plotting_area().get_pixel_range();
        for (i, (c, label)) in items.iter().zip(&labels).enumerate() {
            let row = n - i as f64 - 0.5;
            if i > 0 {
                let (_, sep) = chart.backend_coord(&(0.0, row + 0.5));
                root.draw(&PathElement::new(
                    vec![(xr.start, sep), (xr.end, sep)],
                    GRID.stroke_width(1),
                ))
                .map_err(err)?;
            }
            for ((_, marker, offset), q) in
                series.iter().zip([c.available, c.elicited, c.at_horizon])
            {
                let at = |v: f64| chart.backend_coord(&(clamp(lg(v.max(1.0)), x), row + offset));
                if q[2] > q[0] {
                    root.draw(&PathElement::new(
                        vec![at(q[0]), at(q[2])],
                        DARK.stroke_width(2),
                    ))
                    .map_err(err)?;
                }
                draw_marker(root, *marker, at(q[1]))?;
            }
            let (_, ly) = chart.backend_coord(&(0.0, row));
            root.draw(&Text::new(
                label.clone(),
                (xr.start - 8, ly),
                anchored(LABEL_SIZE, HPos::Right, VPos::Center),
            ))
            .map_err(err)?;
        }
        Ok(())
    });
    let described: Vec<String> = items
        .iter()
        .map(|c| {
            format!(
                "{}: available {}, elicited {}, at {} months {}",
                c.label,
                mult(c.available[1]),
                mult(c.elicited[1]),
                horizon,
                mult(c.at_horizon[1])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_prefer_dense_readable_mantissas() {
        let t: Vec<String> = log_ticks(0.0, 1.0)
            .iter()
            .map(|v| tick(pow10(*v)))
            .collect();
        assert_eq!(t, ["1x", "1.5x", "2x", "3x", "5x", "7x", "10x"]);
        let t: Vec<String> = log_ticks(0.0, 2.0)
            .iter()
            .map(|v| tick(pow10(*v)))
            .collect();
        assert_eq!(t, ["1x", "2x", "5x", "10x", "20x", "50x", "100x"]);
        assert!(log_ticks(0.0, 12.0).len() <= 8);
    }

    #[test]
    fn linear_ticks_are_round_numbers() {
        assert_eq!(
            linear_ticks(0.0, 100.0, 5),
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            linear_ticks(2023.0, 2026.0, 8),
            [2023.0, 2023.5, 2024.0, 2024.5, 2025.0, 2025.5, 2026.0]
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

    #[test]
    fn ticks_below_one_are_printed_exactly() {
        assert_eq!(tick(0.01), "0.01x");
        assert_eq!(tick(0.2), "0.2x");
        assert_eq!(tick(100.0), "100x");
    }

    #[test]
    fn labels_are_shortened_with_an_ellipsis() {
        assert_eq!(shorten("Scaffolding", 20), "Scaffolding");
        assert_eq!(shorten("abcdefghij", 5), "abcd…");
        assert_eq!(shorten("a\u{1}b", 5), "ab");
    }

    #[test]
    fn file_ids_are_safe() {
        assert_eq!(file_id("open_weights"), "open_weights");
        assert_eq!(file_id("../x y"), "___x_y");
        assert_eq!(file_id(""), "scenario");
    }
}
