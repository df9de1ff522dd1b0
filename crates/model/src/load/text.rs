//! Text the report cannot typeset, refused where it was written.
//!
//! Every string of every text input (TOML values and keys, CSV fields) is scanned before the
//! inputs are used, so that anything `check` accepts, `build` can build:
//!
//! - control characters (NUL, BEL, escape, ...) other than tab and line breaks have no glyph
//!   and PDF/A refuses them;
//! - a character none of the report's fonts can draw is refused when the caller says which
//!   characters the fonts cover ([`TextRules::drawable`]); the fix is a font in `fonts/`;
//! - the document metadata (title, authors, keywords) is written into the PDF as strings,
//!   which PDF/A limits to 32,767 bytes, UTF-16 encoded: each is limited to
//!   [`MAX_METADATA_CHARS`] characters;
//! - every string is held to the limit of its kind of field and its words to
//!   [`MAX_WORD_CHARS`] (the table is in `limits.rs`), and a CSV file to [`MAX_ROWS`] rows.
//!
//! Whitespace and default-ignorable characters (joiners, direction marks, variation
//! selectors) are never drawn, so they are not checked against the fonts.

use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

use super::limits::{
    FieldKind, MAX_ROWS, MAX_WORD_CHARS, csv_kind, limit, longest_word, toml_kind,
};
use crate::diagnostic::Diagnostic;

/// The longest title, author list or keyword list, in characters (joined with `, `): UTF-16
/// takes at most 4 bytes a character, so this stays below PDF/A's 32,767-byte string limit.
pub const MAX_METADATA_CHARS: usize = 8000;

/// At most this many distinct characters a font lacks are named for one string.
const MAX_NAMED: usize = 5;

/// What text the report can typeset.
#[derive(Clone, Copy, Default)]
pub struct TextRules<'a> {
    /// Whether a font of the report can draw a character; `None` trusts every character
    /// (the model alone does not know the fonts).
    pub drawable: Option<&'a (dyn Fn(char) -> bool + Sync)>,
}

impl std::fmt::Debug for TextRules<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextRules")
            .field("drawable", &self.drawable.map(|_| "fn(char) -> bool"))
            .finish()
    }
}

/// The kind of a text input, which says how to find its strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Toml,
    Csv,
}

/// Scans every string of `text` (the file `file`) and pushes a diagnostic for each problem.
pub(super) fn scan(
    file: &str,
    text: &str,
    kind: Kind,
    rules: TextRules<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut scanner = Scanner {
        file,
        text,
        rules,
        diags,
    };
    match kind {
        Kind::Toml => {
            // A file that does not parse is reported by its loader.
            if let Ok(doc) = toml_edit::Document::parse(text) {
                scanner.table(doc.as_table(), "");
                scanner.metadata(doc.as_table());
            }
        }
        Kind::Csv => scanner.csv(),
    }
}

struct Scanner<'a, 'd> {
    file: &'a str,
    text: &'a str,
    rules: TextRules<'a>,
    diags: &'d mut Vec<Diagnostic>,
}

impl Scanner<'_, '_> {
    fn push(&mut self, span: Option<Range<usize>>, field: &str, message: String, hint: &str) {
        self.diags.push(
            Diagnostic::error(self.file, self.text, span, field.to_owned(), message)
                .with_hint(hint),
        );
    }

    fn table(&mut self, table: &dyn TableLike, path: &str) {
        for (key, item) in table.iter() {
            let field = join(path, key);
            let key_span = table.key(key).and_then(toml_edit::Key::span);
            self.string(key, key_span, &field, FieldKind::Id);
            match item {
                Item::Value(v) => self.value(v, &field),
                Item::Table(t) => self.table(t, &field),
                Item::ArrayOfTables(a) => {
                    for (i, t) in a.iter().enumerate() {
                        self.table(t, &format!("{field}[{i}]"));
                    }
                }
                Item::None => {}
            }
        }
    }

    fn value(&mut self, v: &Value, field: &str) {
        match v {
            Value::String(s) => self.string(s.value(), v.span(), field, toml_kind(field)),
            Value::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    self.value(item, &format!("{field}[{i}]"));
                }
            }
            Value::InlineTable(t) => self.table(t, field),
            _ => {}
        }
    }

    fn csv(&mut self) {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(self.text.as_bytes());
        let mut record = ::csv::StringRecord::new();
        let mut header: Vec<String> = Vec::new();
        let mut row = 0;
        // A malformed file is reported by its loader; scanning stops there.
        while let Ok(true) = reader.read_record(&mut record) {
            let Some(pos) = record.position() else { break };
            let start = pos.byte() as usize;
            let spans = super::csv::field_spans(self.text, start, record.len());
            if row > MAX_ROWS {
                let end = spans.last().map_or(start, |s| s.end);
                self.push(
                    Some(start..end),
                    &format!("row {row}"),
                    format!(
                        "expected at most {MAX_ROWS} rows after the header (the report lists \
                         every row), found more"
                    ),
                    "split the assessment, or keep the rows the report needs",
                );
                break;
            }
            for (i, value) in record.iter().enumerate() {
                let (field, kind) = if row == 0 {
                    (format!("header, column {}", i + 1), FieldKind::Text)
                } else {
                    let column = header.get(i).map_or("?", String::as_str);
                    (format!("row {row}, column {column}"), csv_kind(column))
                };
                self.string(value, spans.get(i).cloned(), &field, kind);
            }
            if row == 0 {
                header = record.iter().map(|s| s.trim().to_owned()).collect();
            }
            row += 1;
        }
    }

    /// One string: its length and its longest word, control characters, then characters no
    /// font draws.
    fn string(&mut self, s: &str, span: Option<Range<usize>>, field: &str, kind: FieldKind) {
        if self.too_long(s, span.clone(), field, kind) {
            return;
        }
        if let Some(c) = s.chars().find(|&c| is_refused_control(c)) {
            self.push(
                span,
                field,
                format!(
                    "expected text without control characters, found {} (a control character)",
                    code_point(c)
                ),
                "remove it: a control character has no glyph and PDF/A refuses it",
            );
            return;
        }
        let Some(drawable) = self.rules.drawable else {
            return;
        };
        let mut missing: Vec<char> = Vec::new();
        for c in s.chars() {
            if !c.is_whitespace() && !is_ignorable(c) && !missing.contains(&c) && !drawable(c) {
                missing.push(c);
            }
        }
        if missing.is_empty() {
            return;
        }
        let named: Vec<String> = missing
            .iter()
            .take(MAX_NAMED)
            .map(|&c| format!("`{c}` ({})", code_point(c)))
            .collect();
        let more = missing.len().saturating_sub(MAX_NAMED);
        let found = if more > 0 {
            format!("{} and {more} more", named.join(", "))
        } else {
            named.join(", ")
        };
        self.push(
            span,
            field,
            format!("expected characters the report's fonts can draw, found {found}"),
            "add a font that has these characters to the inputs' fonts/ folder (a .ttf, .otf \
             or .ttc file), or write the text without them",
        );
    }

    /// Whether `s` is longer than its kind of field allows, or holds a longer word than any
    /// field may; a diagnostic for each.
    fn too_long(
        &mut self,
        s: &str,
        span: Option<Range<usize>>,
        field: &str,
        kind: FieldKind,
    ) -> bool {
        let l = limit(kind);
        // Counting stops past the limit: a field of a huge file is not counted twice.
        let chars = s.chars().take(l.max_chars + 1).count();
        if chars > l.max_chars {
            let found = s.chars().count();
            self.push(
                span,
                field,
                format!(
                    "expected at most {} characters ({}), found {found}",
                    l.max_chars, l.why
                ),
                "shorten it",
            );
            return true;
        }
        let (word, at) = longest_word(s);
        if word > MAX_WORD_CHARS {
            let start: String = s[at..].chars().take(12).collect();
            self.push(
                span,
                field,
                format!(
                    "expected words of at most {MAX_WORD_CHARS} characters (the typesetter cannot \
                     break a longer one across lines, and the PDF holds it as one string), found \
                     one of {word} characters starting `{start}`"
                ),
                "break it with spaces, or cite a long URL in `source` and keep it shorter than the limit",
            );
            return true;
        }
        false
    }

    /// The document metadata's lengths.
    fn metadata(&mut self, root: &dyn TableLike) {
        let Some(report) = root.get("report").and_then(Item::as_table_like) else {
            return;
        };
        for key in ["title", "authors", "keywords"] {
            let Some(v) = report.get(key).and_then(Item::as_value) else {
                continue;
            };
            let chars = match v {
                Value::String(s) => s.value().chars().count(),
                Value::Array(a) => {
                    let strings: Vec<usize> = a
                        .iter()
                        .filter_map(|x| x.as_str().map(|s| s.chars().count()))
                        .collect();
                    strings.iter().sum::<usize>() + 2 * strings.len().saturating_sub(1)
                }
                _ => continue,
            };
            if chars > MAX_METADATA_CHARS {
                self.push(
                    v.span(),
                    &format!("report.{key}"),
                    format!(
                        "expected at most {MAX_METADATA_CHARS} characters (the PDF's metadata \
                         holds it as a string, which PDF/A limits to 32,767 bytes), found {chars}"
                    ),
                    "shorten it; a longer text belongs in the report's scope or an evidence note",
                );
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A control character other than tab and the line breaks a text may hold.
fn is_refused_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Characters that are never drawn: joiners, direction marks and isolates, invisible
/// operators, variation selectors, the byte-order mark and the soft hyphen.
fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{034F}'
        | '\u{061C}'
        | '\u{115F}'..='\u{1160}'
        | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}'
        | '\u{E0000}'..='\u{E0FFF}')
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_toml(text: &str, drawable: Option<&(dyn Fn(char) -> bool + Sync)>) -> Vec<String> {
        let mut diags = Vec::new();
        scan(
            "assessment.toml",
            text,
            Kind::Toml,
            TextRules { drawable },
            &mut diags,
        );
        diags
            .iter()
            .map(|d| format!("{}:{} {}: {}", d.line, d.column, d.field, d.message))
            .collect()
    }

    #[test]
    fn control_characters_are_refused_where_they_were_written() {
        let d = scan_toml("[report]\ntitle = \"a\\u0007b\"\n", None);
        assert_eq!(
            d,
            [
                "2:9 report.title: expected text without control characters, found U+0007 (a control character)"
            ]
        );
        let d = scan_toml("[report]\nauthors = [\"ok\", \"\\u0000\"]\n", None);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].contains("report.authors[1]") && d[0].contains("U+0000"),
            "{d:?}"
        );
        // Tabs and line breaks are text.
        assert!(scan_toml("notes = \"\"\"a\tb\nc\"\"\"\n", None).is_empty());
    }

    #[test]
    fn characters_no_font_draws_are_named_once() {
        let latin = |c: char| c.is_ascii();
        let d = scan_toml("[report]\nauthors = [\"张伟 张\"]\n", Some(&latin));
        assert_eq!(d.len(), 1);
        assert!(
            d[0].contains("`张` (U+5F20), `伟` (U+4F1F)") && d[0].contains("report.authors[0]"),
            "{d:?}"
        );
        // Joiners and direction marks are not drawn, so they need no glyph.
        assert!(scan_toml("a = \"x\u{200D}y\u{200F}\"\n", Some(&latin)).is_empty());
        // Without a font list every character passes.
        assert!(scan_toml("a = \"张\"\n", None).is_empty());
    }

    #[test]
    fn metadata_longer_than_a_pdf_string_is_refused() {
        let long = "abcd ".repeat(MAX_METADATA_CHARS / 5 + 1);
        let d = scan_toml(&format!("[report]\ntitle = \"{long}\"\n"), None);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].starts_with("2:9 report.title: expected at most 8000"),
            "{d:?}"
        );
        let fits = "abcd ".repeat(MAX_METADATA_CHARS / 5);
        assert!(scan_toml(&format!("[report]\ntitle = \"{fits}\"\n"), None).is_empty());
        // An author list counts its separators.
        let half = "abc ".repeat(MAX_METADATA_CHARS / 8);
        let d = scan_toml(
            &format!("[report]\nauthors = [\"{half}\", \"{half}\"]\n"),
            None,
        );
        assert_eq!(d.len(), 1, "{d:?}");
    }

    #[test]
    fn csv_fields_are_scanned_with_their_row_and_column() {
        let mut diags = Vec::new();
        scan(
            "enhancements.csv",
            "id,notes\na,\"fine\"\nb,\"bad\u{1b}\"\n",
            Kind::Csv,
            TextRules::default(),
            &mut diags,
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].field, "row 2, column notes");
        // The span starts inside the quotes.
        assert_eq!((diags[0].line, diags[0].column), (3, 4));
    }
}
