//! Diagnostics: what is wrong with the inputs, where, what was expected and what was found.
//!
//! Loading collects every problem before it gives up, so a user fixes a folder in one pass.
//! Each [`Diagnostic`] names the file, the line and column (for CSV files also the row and the
//! column name), the field, and carries a byte span into the file's text so it can be shown
//! rustc-style with [`render`].

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The inputs cannot be used.
    Error,
    /// The inputs can be used, but something deserves a look.
    Warning,
}

/// One problem with the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the caller named it when handing its bytes over.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file (a missing file, say).
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// The field: a TOML key path such as `categories.data.available`, or for CSV files
    /// `row 4, column ceg`.
    pub field: String,
    /// What is wrong, phrased as "expected X, found Y" where possible.
    pub message: String,
    /// A suggestion, when one helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The bytes of the file the diagnostic points at.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

impl Diagnostic {
    /// An error located by a byte span in `text`.
    pub fn error(
        file: &str,
        text: &str,
        span: Option<Range<usize>>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = span.as_ref().map_or((0, 0), |s| line_column(text, s.start));
        Self {
            severity: Severity::Error,
            file: file.to_owned(),
            line,
            column,
            field: field.into(),
            message: message.into(),
            hint: None,
            span,
        }
    }

    /// The same diagnostic as a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds an optional hint.
    #[must_use]
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or the file alone when the location is unknown.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// The 1-based line and character column of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // A line ends at LF, at CRLF (one break) or at a lone CR (classic Mac OS).
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in bytes[..offset].iter().enumerate() {
        let breaks = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if breaks {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// `text` with every lone CR (a classic Mac OS line end) replaced by LF: the same bytes at the
/// same offsets otherwise, so spans into `text` point at the same characters in the result.
pub fn lf_line_breaks(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let out: String = text
        .char_indices()
        .map(|(i, c)| if c == '\r' && lone(i) { '\n' } else { c })
        .collect();
    std::borrow::Cow::Owned(out)
}

/// The known name closest to `name`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in known {
        let d = levenshtein(&name.to_lowercase(), &candidate.to_lowercase());
        let limit = (candidate.chars().count().max(name.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The hint ``did you mean `name`?`` when one of `known` is close to `name`.
pub fn did_you_mean_hint<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(name, known).map(|s| format!("did you mean `{s}`?"))
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// Renders diagnostics rustc-style, without colour, in the order given.
///
/// `source` returns the text of a file by the name the diagnostics use, when it is readable
/// as text; without it the diagnostic is shown without a snippet.
pub fn render<'s>(diagnostics: &[Diagnostic], source: impl Fn(&str) -> Option<&'s str>) -> String {
    let renderer = Renderer::plain();
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = format!("{}: {}", d.field, d.message);
        // The snippet renderer knows LF and CRLF only.
        let text = source(&d.file).map(lf_line_breaks);
        let mut groups = Vec::new();
        match (text.as_deref(), &d.span) {
            (Some(text), Some(span)) if span.end <= text.len() => {
                let label = short_label(&d.message);
                groups.push(
                    level.primary_title(title).element(
                        Snippet::source(text)
                            .path(d.file.as_str())
                            .annotation(AnnotationKind::Primary.span(span.clone()).label(label)),
                    ),
                );
            }
            _ => {
                groups.push(
                    Group::with_title(level.primary_title(title))
                        .element(annotate_snippets::Origin::path(d.location())),
                );
            }
        }
        if let Some(hint) = &d.hint {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(hint.as_str()),
            ));
        }
        let _ = writeln!(out, "{}\n", renderer.render(&groups));
    }
    out
}

/// The "found ..." half of a message, or the message itself, as a short label under the span.
fn short_label(message: &str) -> String {
    message
        .rfind(", found ")
        .map_or_else(|| message.to_owned(), |i| message[i + 2..].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_from_one() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 7), (2, 4));
        assert_eq!(line_column(text, 8), (3, 1));
    }

    #[test]
    fn cr_lf_and_crlf_each_end_one_line() {
        for text in ["ab\ncd\nef", "ab\rcd\ref", "ab\r\ncd\r\nef", "ab\rcd\r\nef"] {
            let f = text.find('f').unwrap();
            assert_eq!(line_column(text, f), (3, 2), "{text:?}");
            let c = text.find('c').unwrap();
            assert_eq!(line_column(text, c), (2, 1), "{text:?}");
        }
        assert_eq!(lf_line_breaks("a\rb\r\nc"), "a\nb\r\nc");
        assert!(matches!(
            lf_line_breaks("a\r\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn did_you_mean_finds_close_names_only() {
        let known = ["available", "elicited", "growth", "cap", "label"];
        assert_eq!(did_you_mean("availble", known), Some("available"));
        assert_eq!(did_you_mean("grwth", known), Some("growth"));
        assert_eq!(did_you_mean("zzzzzz", known), None);
    }

    #[test]
    fn rendering_shows_the_line_and_points_at_the_span() {
        let text = "[a]\nx = \"5 to q\"\n";
        let d = Diagnostic::error(
            "f.toml",
            text,
            Some(14..15),
            "a.x",
            "expected a number, found `q`",
        )
        .with_hint("write a number");
        assert_eq!((d.line, d.column), (2, 11));
        let out = render(&[d], |_| Some(text));
        assert!(out.contains("f.toml:2:11"), "{out}");
        assert!(out.contains("^ found `q`"), "{out}");
        assert!(out.contains("help: write a number"), "{out}");
    }
}
