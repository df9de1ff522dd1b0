//! Reading TOML values with diagnostics: the typed getters every section of assessment.toml
//! uses, and the wording of what was found.

use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

use crate::assessment::Date;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::estimate::{Estimate, format_number};

pub(super) struct Toml<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

impl Toml<'_> {
    pub(super) fn error(
        &mut self,
        span: Option<Range<usize>>,
        field: &str,
        message: impl Into<String>,
    ) {
        let d = Diagnostic::error(self.file, self.text, span, field, message);
        self.diags.push(d);
    }

    pub(super) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub(super) fn diag(
        &self,
        span: Option<Range<usize>>,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(self.file, self.text, span, field, message)
    }

    pub(super) fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    /// Reports keys of `table` not in `allowed`, with a suggestion when one is close.
    pub(super) fn keys(&mut self, table: &dyn TableLike, path: &str, allowed: &[&str]) {
        for (key, _) in table.iter() {
            if allowed.contains(&key) {
                continue;
            }
            let span = table.key(key).and_then(toml_edit::Key::span);
            let field = join(path, key);
            let where_ = if path.is_empty() {
                "at the top level".to_owned()
            } else {
                format!("in [{path}]")
            };
            let d = self
                .diag(
                    span,
                    &field,
                    format!(
                        "expected one of {} {where_}, found unknown key `{key}`",
                        list(allowed)
                    ),
                )
                .with_hint_opt(
                    did_you_mean(key, allowed.iter().copied())
                        .map(|s| format!("did you mean `{s}`?")),
                );
            self.push(d);
        }
    }

    pub(super) fn table<'d>(
        &mut self,
        parent: &'d dyn TableLike,
        key: &str,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<&'d dyn TableLike> {
        let field = join(path, key);
        match parent.get(key) {
            None => {
                let d = self
                    .diag(
                        anchor,
                        &field,
                        format!("expected a table [{field}], found none"),
                    )
                    .with_hint(format!("add a [{field}] section"));
                self.push(d);
                None
            }
            Some(item) => match item.as_table_like() {
                Some(t) => Some(t),
                None => {
                    let span = span_of(parent, key);
                    self.error(
                        span,
                        &field,
                        format!("expected a table, found {}", type_name(item)),
                    );
                    None
                }
            },
        }
    }

    pub(super) fn value<'d>(
        &mut self,
        table: &'d dyn TableLike,
        key: &str,
        path: &str,
        required: bool,
        anchor: Option<Range<usize>>,
    ) -> Option<&'d Value> {
        let field = join(path, key);
        match table.get(key) {
            None => {
                if required {
                    let d = self.diag(
                        anchor,
                        &field,
                        format!("expected the required field `{key}` in [{path}], found none"),
                    );
                    self.push(d);
                }
                None
            }
            Some(item) => match item.as_value() {
                Some(v) => Some(v),
                None => {
                    self.error(
                        span_of(table, key),
                        &field,
                        format!("expected a value, found {}", type_name(item)),
                    );
                    None
                }
            },
        }
    }

    pub(super) fn string(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        path: &str,
        required: bool,
        anchor: Option<Range<usize>>,
    ) -> Option<(String, Option<Range<usize>>)> {
        let v = self.value(table, key, path, required, anchor)?;
        match v.as_str() {
            Some(s) => Some((s.to_owned(), v.span())),
            None => {
                self.error(
                    v.span(),
                    &join(path, key),
                    format!("expected a string, found {}", value_type(v)),
                );
                None
            }
        }
    }

    pub(super) fn nonempty_string(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<String> {
        let (s, span) = self.string(table, key, path, true, anchor)?;
        if s.trim().is_empty() {
            self.error(
                span,
                &join(path, key),
                "expected a non-empty string, found an empty one",
            );
            return None;
        }
        Some(s)
    }

    pub(super) fn integer(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<(i64, Option<Range<usize>>)> {
        let v = self.value(table, key, path, true, anchor)?;
        if let Some(i) = v.as_integer() {
            Some((i, v.span()))
        } else {
            self.error(
                v.span(),
                &join(path, key),
                format!("expected an integer, found {}", value_type(v)),
            );
            None
        }
    }

    pub(super) fn date(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<Date> {
        let field = join(path, key);
        let v = self.value(table, key, path, true, anchor)?;
        let text = match v {
            Value::String(s) => s.value().clone(),
            Value::Datetime(d) => d.value().to_string(),
            other => {
                self.error(
                    other.span(),
                    &field,
                    format!("expected a date YYYY-MM-DD, found {}", value_type(other)),
                );
                return None;
            }
        };
        match Date::parse(&text) {
            Ok(d) => Some(d),
            Err(message) => {
                self.error(v.span(), &field, message);
                None
            }
        }
    }

    pub(super) fn string_array(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        path: &str,
        required: bool,
        anchor: Option<Range<usize>>,
    ) -> Option<Vec<String>> {
        let field = join(path, key);
        let Some(v) = self.value(table, key, path, required, anchor) else {
            return if required { None } else { Some(Vec::new()) };
        };
        let Some(array) = v.as_array() else {
            self.error(
                v.span(),
                &field,
                format!("expected an array of strings, found {}", value_type(v)),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in array {
            match item.as_str() {
                Some(s) => out.push(s.to_owned()),
                None => {
                    self.error(
                        item.span(),
                        &field,
                        format!("expected a string, found {}", value_type(item)),
                    );
                    return None;
                }
            }
        }
        if required && out.is_empty() {
            self.error(
                v.span(),
                &field,
                "expected at least one entry, found an empty array",
            );
            return None;
        }
        Some(out)
    }

    /// An estimate: a number, or a string in the estimate language.
    pub(super) fn estimate(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        path: &str,
        required: bool,
        anchor: Option<Range<usize>>,
    ) -> Option<Estimate> {
        let v = self.value(table, key, path, required, anchor)?;
        self.estimate_value(v, &join(path, key))
    }

    pub(super) fn estimate_value(&mut self, v: &Value, field: &str) -> Option<Estimate> {
        match v {
            Value::Integer(i) => Estimate::point(*i.value() as f64).ok(),
            Value::Float(f) => match Estimate::point(*f.value()) {
                Ok(e) => Some(e),
                Err(e) => {
                    self.error(v.span(), field, e.message);
                    None
                }
            },
            Value::String(s) => match Estimate::parse(s.value()) {
                Ok(e) => Some(e),
                Err(e) => {
                    let span = v.span().map(|span| {
                        let quote = string_content_offset(&self.text[span.clone()]);
                        let start = span.start + quote + e.span.start;
                        let end = (span.start + quote + e.span.end).min(span.end);
                        start..end.max(start)
                    });
                    let mut d =
                        self.diag(span, field, format!("malformed estimate: {}", e.message));
                    d.hint = e.hint;
                    self.push(d);
                    None
                }
            },
            other => {
                self.error(
                    other.span(),
                    field,
                    format!(
                        "expected an estimate (a number or a string such as \"5 to 30\"), found {}",
                        value_type(other)
                    ),
                );
                None
            }
        }
    }

    pub(super) fn positive_multiplier(
        &mut self,
        e: Option<Estimate>,
        table: &dyn TableLike,
        key: &str,
        path: &str,
    ) -> Option<Estimate> {
        let e = e?;
        if e.is_strictly_positive() {
            return Some(e);
        }
        let field = join(path, key);
        let found = match e.distribution() {
            crate::estimate::Distribution::Normal { .. } => {
                format!(
                    "`{}`, a normal distribution, which can go to 0 or below",
                    e.text()
                )
            }
            _ => format!(
                "`{}`, which can be {}",
                e.text(),
                format_number(e.support().0)
            ),
        };
        let d = self
            .diag(
                span_of(table, key),
                &field,
                format!("expected a multiplier greater than 0, found {found}"),
            )
            .with_hint(
                "a CEG is a multiplier: write a positive number, a positive interval such as \
                 `2 to 10`, or a lognormal; 1 means no gain",
            );
        self.push(d);
        None
    }

    pub(super) fn unit_interval(
        &mut self,
        e: Option<Estimate>,
        span: Option<Range<usize>>,
        field: &str,
    ) -> Option<Estimate> {
        let e = e?;
        let (lo, hi) = e.support();
        if lo >= 0.0 && hi <= 1.0 {
            return Some(e);
        }
        let d = self
            .diag(
                span,
                field,
                format!(
                    "expected a composability in [0, 1], found {}",
                    found_range(&e)
                ),
            )
            .with_hint("use a number, uniform, triangular or beta within [0, 1]");
        self.push(d);
        None
    }
}

/// The keys of the `[categories]` table, when the text parses as TOML.
pub(super) fn category_keys(text: &str) -> Option<Vec<String>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let categories = doc.as_table().get("categories")?.as_table_like()?;
    Some(categories.iter().map(|(k, _)| k.to_owned()).collect())
}

/// The span of a `[dotted.header]` in a TOML text, for diagnostics about a whole table.
pub(super) fn find_key_span(text: &str, header: &str) -> Option<Range<usize>> {
    let needle = format!("[{header}]");
    text.find(&needle).map(|i| i..i + needle.len())
}

/// An estimate as the "found" half of a range check: a point as itself, a distribution with
/// the range it covers.
pub(super) fn found_range(e: &Estimate) -> String {
    if e.is_point() {
        return format!("`{}`", e.text());
    }
    let (lo, hi) = e.support();
    format!(
        "`{}`, which ranges over [{}, {}]",
        e.text(),
        format_number(lo),
        format_number(hi)
    )
}

pub(super) fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => format_number(*f.value()),
        Value::Boolean(b) => b.value().to_string(),
        other => value_type(other),
    }
}

/// Bytes between the start of a string value's raw text and its content (the quotes).
pub(super) fn string_content_offset(raw: &str) -> usize {
    if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        usize::from(raw.starts_with('"') || raw.starts_with('\''))
    }
}

pub(super) fn span_of(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    table
        .get(key)
        .and_then(|item| match item {
            Item::Value(v) => v.span(),
            Item::Table(t) => t.span(),
            _ => item.span(),
        })
        .or_else(|| table.key(key).and_then(toml_edit::Key::span))
}

pub(super) fn type_name(item: &Item) -> String {
    match item {
        Item::None => "nothing".to_owned(),
        Item::Value(v) => value_type(v),
        Item::Table(_) => "a table".to_owned(),
        Item::ArrayOfTables(_) => "an array of tables".to_owned(),
    }
}

pub(super) fn value_type(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string \"{}\"", s.value()),
        Value::Integer(i) => format!("the integer {}", i.value()),
        Value::Float(f) => format!("the number {}", f.value()),
        Value::Boolean(b) => format!("the boolean {}", b.value()),
        Value::Datetime(d) => format!("the date {}", d.value()),
        Value::Array(_) => "an array".to_owned(),
        Value::InlineTable(_) => "an inline table".to_owned(),
    }
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(super) fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}
