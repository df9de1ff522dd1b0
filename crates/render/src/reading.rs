//! The text of the laid-out report as a reader meets it: runs of text joined into lines and
//! lines into paragraphs by where typst placed them, so a sentence that wraps stays one
//! sentence and a table cell stays apart from its neighbours.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// What stands in for a run of math: a formula has no plain words to compare.
pub const FORMULA: char = '\u{fffc}';

/// One run of shaped text where it was placed on its page.
struct Run {
    page: usize,
    /// The start of its baseline.
    at: Point,
    width: Abs,
    size: Abs,
    text: String,
}

fn runs(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let ts = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                runs(&group.frame, ts, page, out);
            }
            FrameItem::Text(text) => {
                let math = text.font.info().family.contains("Math");
                out.push(Run {
                    page,
                    at: pos.transform(ts),
                    width: text.width(),
                    size: text.size,
                    text: if math {
                        FORMULA.to_string()
                    } else {
                        text.text.to_string()
                    },
                });
            }
            _ => {}
        }
    }
}

/// The document's text: one paragraph (or table cell, heading, caption) a line, its wrapped
/// lines joined with a space, a word hyphenated at a line's end joined again, and each run of
/// math as [`FORMULA`].
pub fn text(document: &PagedDocument) -> String {
    let mut all = Vec::new();
    for (page, p) in document.pages().iter().enumerate() {
        runs(&p.frame, Transform::identity(), page, &mut all);
    }
    let mut out = String::new();
    // The left edge of the paragraph's first line, where its next lines start too.
    let mut left = Abs::zero();
    let mut last: Option<&Run> = None;
    for run in &all {
        let joined = last.and_then(|prev| {
            let tolerance = Abs::pt(0.5);
            if run.page != prev.page || run.size != prev.size {
                return None;
            }
            let dy = run.at.y - prev.at.y;
            let end = prev.at.x + prev.width;
            // The same line: the run starts where the last ended, give or take a space.
            if dy.abs() < tolerance && run.at.x > end - tolerance && run.at.x < end + run.size {
                return Some("");
            }
            // The next line of the same paragraph: a line lower, back at its left edge.
            let next_line = dy > Abs::zero() && dy < run.size * 1.8;
            (next_line && (run.at.x - left).abs() < tolerance).then_some(" ")
        });
        match joined {
            Some(sep) => {
                // A hyphenation point typst broke the line at (a soft hyphen) joins the word.
                if out.ends_with('\u{ad}') {
                    out.pop();
                } else {
                    out.push_str(sep);
                }
            }
            None => {
                if last.is_some() {
                    out.push('\n');
                }
                left = run.at.x;
            }
        }
        out.push_str(&run.text);
        last = Some(run);
    }
    out.push('\n');
    out
}
