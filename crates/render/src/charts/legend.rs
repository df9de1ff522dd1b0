//! How series look, and the legend that names them: grey levels, dash patterns and marker
//! shapes, so series stay apart in greyscale print. Legends sit in a strip above the plot.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    Area, DARK, DrawResult, INK, LEGEND_SIZE, MID, WIDTH, anchored, err, text_width,
};

/// Height of one legend row.
const LEGEND_ROW: i32 = 24;

/// How a legend entry (and its series) is drawn.
#[derive(Clone, Copy)]
pub(super) enum Key {
    /// A filled swatch.
    Swatch(RGBColor),
    /// A line: colour, width, and dash (`None` for solid).
    Line(RGBColor, u32, Option<(u32, u32)>),
    /// A marker shape.
    Marker(Marker),
    /// An arrow from a bound: up for a lower bound, down for an upper one.
    Arrow,
}

/// The median of a distribution.
pub(super) const MEDIAN: Key = Key::Line(INK, 3, None);
/// A threshold drawn across a chart.
pub(super) const THRESHOLD: Key = Key::Line(DARK, 2, Some((10, 5)));
/// The month beyond which the projection extends trends further than the evidence spans.
pub(super) const EXTRAPOLATION: Key = Key::Line(DARK, 1, Some((2, 4)));

/// Marker shapes that stay distinct in greyscale.
#[derive(Clone, Copy)]
pub(super) enum Marker {
    FilledCircle,
    OpenCircle,
    FilledSquare,
    OpenSquare,
    FilledTriangle,
    Cross,
    OpenTriangle,
    FilledDiamond,
}

/// The markers in the order series take them.
pub(super) const MARKERS: [Marker; 8] = [
    Marker::FilledCircle,
    Marker::OpenSquare,
    Marker::FilledTriangle,
    Marker::OpenCircle,
    Marker::FilledSquare,
    Marker::Cross,
    Marker::OpenTriangle,
    Marker::FilledDiamond,
];

const THRESHOLD_DASHES: [Option<(u32, u32)>; 4] =
    [Some((10, 5)), Some((3, 4)), Some((16, 4)), None];
const THRESHOLD_INKS: [RGBColor; 4] = [DARK, INK, MID, DARK];

/// The line of the `i`-th threshold, where each threshold has a line of its own.
pub(super) fn threshold_key(i: usize) -> Key {
    Key::Line(
        THRESHOLD_INKS[i % THRESHOLD_INKS.len()],
        2,
        THRESHOLD_DASHES[i % THRESHOLD_DASHES.len()],
    )
}

/// A marker centred at `(x, y)` pixels.
pub(super) fn draw_marker(area: &Area<'_>, marker: Marker, (x, y): (i32, i32)) -> DrawResult<()> {
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

/// Length of a bound's arrow in pixels, from the bound's value to the tip.
const ARROW: i32 = 17;
/// Half the width of the bar across a bound's value.
const BAR: i32 = 9;

/// A bound at `(x, y)` pixels: a bar across its value and a short arrow from it, up (towards
/// larger values) for a lower bound, down for an upper bound; the row's marker goes on top.
pub(super) fn draw_arrow(area: &Area<'_>, (x, y): (i32, i32), up: bool) -> DrawResult<()> {
    let d = if up { -1 } else { 1 };
    let tip = (x, y + d * ARROW);
    let style = ShapeStyle::from(&INK).stroke_width(2);
    area.draw(&PathElement::new(vec![(x - BAR, y), (x + BAR, y)], style))
        .map_err(err)?;
    area.draw(&PathElement::new(vec![(x, y), tip], style))
        .map_err(err)?;
    area.draw(&Polygon::new(
        vec![
            (tip.0, tip.1 + d * 2),
            (tip.0 - 4, tip.1 - d * 5),
            (tip.0 + 4, tip.1 - d * 5),
        ],
        ShapeStyle::from(&INK).filled(),
    ))
    .map_err(err)
}

/// A polyline in pixels, solid or dashed.
pub(super) fn draw_line(area: &Area<'_>, points: &[(i32, i32)], key: Key) -> DrawResult<()> {
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
        Key::Arrow => draw_arrow(area, (x + 12, y + 9), true),
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

/// Splits off a legend strip at the top of `root`, draws the entries in it, and returns the
/// area below.
pub(super) fn with_legend<'a>(root: &Area<'a>, entries: &[(String, Key)]) -> DrawResult<Area<'a>> {
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
