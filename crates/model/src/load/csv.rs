//! Reading a CSV input: the header checked against the known and required columns, every
//! record with the byte span of each field for diagnostics.

use std::collections::BTreeMap;
use std::ops::Range;

use super::toml::list;
use crate::diagnostic::{Diagnostic, did_you_mean_hint};
use crate::estimate::Estimate;

pub(super) struct Csv<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

/// One CSV record: its fields, the byte span of each, and its 1-based line and row.
pub(super) struct Record {
    pub(super) fields: Vec<String>,
    pub(super) spans: Vec<Range<usize>>,
    pub(super) line: usize,
    pub(super) row: usize,
    pub(super) start: usize,
}

impl Record {
    /// The field in column `name` (trimmed) and its span; empty and `None` when the file has
    /// no such column.
    pub(super) fn get(
        &self,
        columns: &BTreeMap<String, usize>,
        name: &str,
    ) -> (&str, Option<Range<usize>>) {
        columns.get(name).map_or(("", None), |&i| {
            (self.fields[i].as_str(), Some(self.spans[i].clone()))
        })
    }

    /// How diagnostics name the field in column `name`: `row 4, column ceg`.
    pub(super) fn field(&self, name: &str) -> String {
        format!("row {}, column {name}", self.row)
    }
}

impl Csv<'_> {
    pub(super) fn push(
        &mut self,
        span: Option<Range<usize>>,
        field: String,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(
            self.file, self.text, span, field, message,
        ));
        self.diags.last_mut().expect("just pushed")
    }

    /// The `source` field of record `r`: a warning when it is empty, with `hint` saying what
    /// it should cite.
    pub(super) fn source<'r>(
        &mut self,
        r: &'r Record,
        columns: &BTreeMap<String, usize>,
        hint: &str,
    ) -> &'r str {
        let (source, span) = r.get(columns, "source");
        if source.is_empty() {
            let d = self.push(
                span.or(Some(r.start..r.start)),
                r.field("source"),
                "expected a source (a URL or a citation), found an empty field",
            );
            d.severity = crate::diagnostic::Severity::Warning;
            d.hint = Some(hint.to_owned());
        }
        source
    }

    pub(super) fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    /// Checks that `value` names a category assessment.toml defines, when `categories` (its
    /// ids, if assessment.toml could be read) is known; `help` is the hint when no id is close.
    pub(super) fn check_category(
        &mut self,
        value: &str,
        span: Option<Range<usize>>,
        field: String,
        categories: Option<&[String]>,
        help: Option<&str>,
    ) {
        if let Some(ids) = categories
            && !ids.iter().any(|c| c == value)
        {
            let hint = did_you_mean_hint(value, ids.iter().map(String::as_str))
                .or_else(|| help.map(str::to_owned));
            let d = self.push(
                span,
                field,
                format!(
                    "expected a category defined in assessment.toml ({}), found `{value}`",
                    ids.join(", ")
                ),
            );
            d.hint = hint;
        }
    }

    /// The estimate written in a field; a malformed one is an error at the character.
    pub(super) fn estimate(
        &mut self,
        text: &str,
        span: Option<Range<usize>>,
        field: String,
    ) -> Option<Estimate> {
        match Estimate::parse(text) {
            Ok(e) => Some(e),
            Err(e) => {
                let span = span.map(|s| estimate_span(self.text, s, text, &e));
                let d = self.push(span, field, format!("malformed estimate: {}", e.message));
                d.hint = e.hint;
                None
            }
        }
    }

    /// Reads the header and the records; checks required and unknown columns.
    pub(super) fn read(
        &mut self,
        known: &[&str],
        required: &[&str],
    ) -> Option<(BTreeMap<String, usize>, Vec<Record>)> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(self.text.as_bytes());
        let mut records = Vec::new();
        let mut record = ::csv::StringRecord::new();
        let mut lines = Lines::default();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let pos = record
                        .position()
                        .expect("records read from a reader have positions");
                    let start = record_start(self.text, pos.byte() as usize);
                    let spans = field_spans(self.text, start, record.len());
                    records.push(Record {
                        fields: record.iter().map(|s| s.trim().to_owned()).collect(),
                        spans,
                        line: lines.line_at(self.text, start),
                        row: records.len(),
                        start,
                    });
                }
                Err(e) => {
                    let span = e.position().map(|p| {
                        let s = p.byte() as usize;
                        s..s
                    });
                    self.push(span, "(syntax)".to_owned(), format!("invalid CSV: {e}"));
                    return None;
                }
            }
        }
        // Blank lines are skipped by the reader; a record of one empty field is a blank line too.
        records.retain(|r| !(r.fields.len() == 1 && r.fields[0].is_empty()));
        let Some(header) = records.first() else {
            self.push(
                None,
                "(file)".to_owned(),
                format!(
                    "expected a header row ({}) and at least one row, found an empty file",
                    required.join(",")
                ),
            );
            return None;
        };
        let mut columns = BTreeMap::new();
        let mut ok = true;
        for (i, name) in header.fields.iter().enumerate() {
            let span = Some(header.spans[i].clone());
            if !known.contains(&name.as_str()) {
                let hint = did_you_mean_hint(name, known.iter().copied());
                let d = self.push(
                    span,
                    format!("header, column {}", i + 1),
                    format!(
                        "expected one of the columns {}, found `{name}`",
                        list(known)
                    ),
                );
                d.hint = hint;
                ok = false;
            } else if columns.insert(name.clone(), i).is_some() {
                self.push(
                    span,
                    format!("header, column {}", i + 1),
                    format!("expected each column once, found `{name}` twice"),
                );
                ok = false;
            }
        }
        for name in required {
            if !columns.contains_key(*name) {
                let end = header.spans.last().map_or(0, |s| s.end);
                let d = self.push(
                    Some(header.start..end),
                    "header".to_owned(),
                    format!("expected the required column `{name}`, found none"),
                );
                d.hint = Some(format!("the columns are: {}", known.join(",")));
                ok = false;
            }
        }
        let header_len = header.fields.len();
        let rows: Vec<Record> = records.into_iter().skip(1).collect();
        if ok && rows.is_empty() {
            self.push(
                None,
                "(file)".to_owned(),
                "expected at least one row after the header, found none",
            );
            return None;
        }
        for r in &rows {
            if r.fields.len() != header_len {
                let end = r.spans.last().map_or(r.start, |s| s.end);
                let d = self.push(
                    Some(r.start..end),
                    format!("row {}", r.row),
                    format!(
                        "expected {header_len} fields as in the header, found {}",
                        r.fields.len()
                    ),
                );
                if r.fields.len() > header_len {
                    d.hint = Some(
                        "a field that contains a comma must be quoted, for example \
                         \"uniform(0.2, 0.6)\""
                            .to_owned(),
                    );
                }
                ok = false;
            }
        }
        ok.then_some((columns, rows))
    }
}

/// Where a record's first field starts: the reader's position of a record that follows blank
/// lines is the start of the blank lines it skipped.
fn record_start(text: &str, position: usize) -> usize {
    let skipped = text.as_bytes()[position.min(text.len())..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .count();
    position + skipped
}

/// Line numbers of increasing offsets, counted once through the text rather than from its
/// start each time (a file of many rows would take quadratic time otherwise).
#[derive(Default)]
struct Lines {
    offset: usize,
    line: usize,
}

impl Lines {
    /// The 1-based line of the byte at `offset`, at or after the previous call's.
    fn line_at(&mut self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let offset = offset.min(bytes.len());
        if offset < self.offset {
            *self = Lines::default();
        }
        // A line ends at LF, at CRLF (one break) or at a lone CR.
        self.line += (self.offset..offset)
            .filter(|&i| {
                bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            })
            .count();
        self.offset = offset;
        self.line + 1
    }
}

/// Where a field of a CSV file is: the row (1 for the first after the header) and the byte
/// span of column `column` (named in the header) on line `line` (1-based) of `text`. For
/// diagnostics found after loading (calibration's, say), so they point where the loader's do.
/// `None` when the header has no such column or no record starts on that line.
pub fn csv_field(text: &str, line: usize, column: &str) -> Option<(usize, Range<usize>)> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = ::csv::StringRecord::new();
    let mut index = None;
    let mut row = 0;
    let mut lines = Lines::default();
    while reader.read_record(&mut record).ok()? {
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        let pos = record.position()?;
        let Some(i) = index else {
            index = Some(record.iter().position(|f| f.trim() == column)?);
            continue;
        };
        row += 1;
        let start = record_start(text, pos.byte() as usize);
        if lines.line_at(text, start) == line {
            let spans = field_spans(text, start, record.len());
            return spans.get(i).cloned().map(|s| (row, s));
        }
    }
    None
}

/// The bytes of `text` an estimate error points at, for an estimate read (trimmed) from the
/// CSV field at `field`.
fn estimate_span(
    text: &str,
    field: Range<usize>,
    trimmed: &str,
    e: &crate::estimate::EstimateError,
) -> Range<usize> {
    let raw = &text[field.clone()];
    let offset = raw.find(trimmed.chars().next().unwrap_or(' ')).unwrap_or(0);
    let start = (field.start + offset + e.span.start).min(field.end);
    start
        ..(field.start + offset + e.span.end)
            .min(field.end)
            .max(start)
}

/// Byte spans of the `count` fields of the CSV record starting at `start`, quotes excluded.
pub(super) fn field_spans(text: &str, start: usize, count: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::with_capacity(count);
    let mut i = start;
    while spans.len() < count {
        let field_start = i;
        if i < bytes.len() && bytes[i] == b'"' {
            i += 1;
            let content = i;
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    if i + 1 < bytes.len() && bytes[i + 1] == b'"' {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            spans.push(content..i);
            i = (i + 1).min(bytes.len());
            while i < bytes.len() && !matches!(bytes[i], b',' | b'\n' | b'\r') {
                i += 1;
            }
        } else {
            while i < bytes.len() && !matches!(bytes[i], b',' | b'\n' | b'\r') {
                i += 1;
            }
            spans.push(field_start..i);
        }
        if i < bytes.len() && bytes[i] == b',' {
            i += 1;
        } else if spans.len() < count {
            // The reader saw more fields than this line holds; pad so indexing stays safe.
            while spans.len() < count {
                spans.push(i..i);
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn field_spans_skip_quotes_and_handle_escapes() {
        let text = "a,\"b,\"\"c\",d\n";
        let spans = field_spans(text, 0, 3);
        assert_eq!(&text[spans[0].clone()], "a");
        assert_eq!(&text[spans[1].clone()], "b,\"\"c");
        assert_eq!(&text[spans[2].clone()], "d");
    }
}
