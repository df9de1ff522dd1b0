//! The canvas every chart draws on: its size, type and inks, and the SVG document around a
//! drawing.

use std::fmt::Display;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Chart width in SVG pixels.
pub(super) const WIDTH: u32 = 760;
/// Chart height in SVG pixels.
pub(super) const HEIGHT: u32 = 440;
/// The embedded typst text font, so charts in the PDF match the document; viewers without it
/// fall back to a serif.
const FAMILY: &str = "Libertinus Serif, serif";
/// Plotters font sizes (plotters writes `size / 1.24` into the SVG).
pub(super) const LABEL_SIZE: f64 = 19.0;
pub(super) const DESC_SIZE: f64 = 20.0;
pub(super) const LEGEND_SIZE: f64 = 18.0;

pub(super) const INK: RGBColor = RGBColor(0, 0, 0);
pub(super) const DARK: RGBColor = RGBColor(80, 80, 80);
pub(super) const MID: RGBColor = RGBColor(150, 150, 150);
pub(super) const LIGHT: RGBColor = RGBColor(200, 200, 200);
pub(super) const PALE: RGBColor = RGBColor(228, 228, 228);
pub(super) const GRID: RGBColor = RGBColor(235, 235, 235);

/// The whole chart, in SVG pixels.
pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// What a drawing step returns: plotters' errors as text.
pub(super) type DrawResult<T> = Result<T, String>;

/// A plotters error as text.
pub(super) fn err<E: Display>(e: E) -> String {
    e.to_string()
}

/// Draws with `draw`, or, should plotters ever fail, an SVG that says so (the report then
/// shows the failure instead of losing the whole build).
pub(super) fn render(draw: impl FnOnce(&Area<'_>) -> DrawResult<()>) -> String {
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

/// The chart font at `size`, in ink.
pub(super) fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size).into_font()).color(&INK)
}

/// The chart font at `size`, anchored at `h` and `v`.
pub(super) fn anchored(size: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size).pos(Pos::new(h, v))
}

/// A generous estimate of a label's width in pixels (Libertinus averages about half an em).
pub(super) fn text_width(text: &str, size: f64) -> i32 {
    (text.chars().count() as f64 * 0.56 * size / 1.24).ceil() as i32
}

/// Shortens a label to `max` characters with an ellipsis, and drops control characters (which
/// XML does not allow).
pub(super) fn shorten(text: &str, max: usize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_shortened_with_an_ellipsis() {
        assert_eq!(shorten("Scaffolding", 20), "Scaffolding");
        assert_eq!(shorten("abcdefghij", 5), "abcd…");
        assert_eq!(shorten("a\u{1}b", 5), "ab");
    }
}
