//! Reading TOML values with diagnostics: the typed getters every section of assessment.toml
//! uses, and the wording of what was found.

use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

use crate::assessment::Date;
use crate::diagnostic::{Diagnostic, did_you_mean_hint};
use crate::estimate::{Estimate, format_number};

pub(super) struct Toml<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

/// A table being read: the table, its dotted path (`report`, `categories.data`), and the span
/// a diagnostic about a missing required key points at.
#[expect(
    clippy::struct_field_names,
    reason = "`table` is the TOML table itself; the struct adds its path and anchor"
)]
pub(super) struct Table<'d> {
    pub(super) table: &'d dyn TableLike,
    pub(super) path: String,
    pub(super) anchor: Option<Range<usize>>,
}

impl<'d> Table<'d> {
    pub(super) fn new(
        table: &'d dyn TableLike,
        path: impl Into<String>,
        anchor: Option<Range<usize>>,
    ) -> Self {
        Table {
            table,
            path: path.into(),
            anchor,
        }
    }

    /// The dotted field name of `key` in this table.
    pub(super) fn field(&self, key: &str) -> String {
        join(&self.path, key)
    }
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

    /// Reports that `v` is not of the type `what` describes ("a string").
    pub(super) fn wrong_type(&mut self, v: &Value, field: &str, what: &str) {
        self.error(
            v.span(),
            field,
            format!("expected {what}, found {}", value_type(v)),
        );
    }

    /// Reports the keys of a section that are not in `allowed`, with a suggestion when one is
    /// close.
    pub(super) fn keys(&mut self, table: &dyn TableLike, path: &str, allowed: &[&str]) {
        let where_ = if path.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in [{path}]")
        };
        self.unknown_keys(table, path, allowed, |key| {
            format!(
                "expected one of {} {where_}, found unknown key `{key}`",
                list(allowed)
            )
        });
    }

    /// Reports every key of `table` not in `allowed` as [`Toml::unknown`] with `message(key)`.
    pub(super) fn unknown_keys(
        &mut self,
        table: &dyn TableLike,
        path: &str,
        allowed: &[&str],
        message: impl Fn(&str) -> String,
    ) {
        for (key, _) in table.iter() {
            if !allowed.contains(&key) {
                self.unknown(table, key, path, message(key), allowed);
            }
        }
    }

    /// Reports `key` of `table` as an error at the key, with a suggestion when one of `known`
    /// is close to it.
    pub(super) fn unknown(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        path: &str,
        message: String,
        known: &[&str],
    ) {
        let d = self
            .diag(
                table.key(key).and_then(toml_edit::Key::span),
                &join(path, key),
                message,
            )
            .with_hint_opt(did_you_mean_hint(key, known.iter().copied()));
        self.push(d);
    }

    /// Reads every entry of a table keyed by id, such as `[categories.<id>]`: each id must be
    /// made of lower-case letters, digits and `_` (`kind` names what it identifies in the
    /// message) and each entry a table, which `read` turns into a `T` given the id and the
    /// entry (anchored at its key). `None` when any entry has an error.
    pub(super) fn id_tables<T>(
        &mut self,
        table: &dyn TableLike,
        section: &str,
        kind: &str,
        mut read: impl FnMut(&mut Self, &str, &Table<'_>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (id, item) in table.iter() {
            let path = format!("{section}.{id}");
            let key_span = table.key(id).and_then(toml_edit::Key::span);
            if !valid_id(id) {
                self.error(
                    key_span.clone(),
                    &path,
                    format!(
                        "expected a {kind} id of lower-case letters, digits and `_`, found `{id}`"
                    ),
                );
                ok = false;
            }
            let Some(entry) = item.as_table_like() else {
                self.error(
                    key_span,
                    &path,
                    format!("expected a table [{path}], found {}", type_name(item)),
                );
                ok = false;
                continue;
            };
            match read(self, id, &Table::new(entry, path, key_span)) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// The entries of a table keyed by defined category ids, such as a scenario's or a
    /// profile's `categories`, each as its id, its path and its table (anchored at its key).
    /// An id that is not a category is reported as ``expected {change} a defined category
    /// (...), found `id`, which does not exist``, and an entry that is not a table as
    /// ``expected {table}, found ...``; both are left out.
    pub(super) fn category_tables<'d>(
        &mut self,
        cats: &'d dyn TableLike,
        path: &str,
        category_ids: &[&str],
        change: &str,
        table: &str,
    ) -> Vec<(&'d str, Table<'d>)> {
        let mut out = Vec::new();
        for (cid, citem) in cats.iter() {
            let cat_path = join(path, cid);
            if !category_ids.contains(&cid) {
                let message = format!(
                    "expected {change} a defined category ({}), found `{cid}`, which does not exist",
                    list(category_ids)
                );
                self.unknown(cats, cid, path, message, category_ids);
                continue;
            }
            let key_span = cats.key(cid).and_then(toml_edit::Key::span);
            let Some(fields) = citem.as_table_like() else {
                self.error(
                    key_span,
                    &cat_path,
                    format!("expected {table}, found {}", type_name(citem)),
                );
                continue;
            };
            out.push((cid, Table::new(fields, cat_path, key_span)));
        }
        out
    }

    /// A required top-level section such as `[report]`, its keys checked against `allowed`.
    pub(super) fn section<'d>(
        &mut self,
        root: &'d dyn TableLike,
        name: &str,
        allowed: &[&str],
    ) -> Option<Table<'d>> {
        let table = self.table(root, name)?;
        self.keys(table, name, allowed);
        Some(Table::new(table, name, span_of(root, name)))
    }

    /// A required top-level table.
    pub(super) fn table<'d>(
        &mut self,
        root: &'d dyn TableLike,
        name: &str,
    ) -> Option<&'d dyn TableLike> {
        match root.get(name) {
            None => {
                let d = self
                    .diag(None, name, format!("expected a table [{name}], found none"))
                    .with_hint(format!("add a [{name}] section"));
                self.push(d);
                None
            }
            Some(item) => match item.as_table_like() {
                Some(t) => Some(t),
                None => {
                    self.error(
                        span_of(root, name),
                        name,
                        format!("expected a table, found {}", type_name(item)),
                    );
                    None
                }
            },
        }
    }

    /// The value at `key`; with `required`, an error at the table's anchor when it is absent.
    pub(super) fn value<'d>(
        &mut self,
        t: &Table<'d>,
        key: &str,
        required: bool,
    ) -> Option<&'d Value> {
        let field = t.field(key);
        match t.table.get(key) {
            None => {
                if required {
                    let d = self.diag(
                        t.anchor.clone(),
                        &field,
                        format!(
                            "expected the required field `{key}` in [{}], found none",
                            t.path
                        ),
                    );
                    self.push(d);
                }
                None
            }
            Some(item) => match item.as_value() {
                Some(v) => Some(v),
                None => {
                    self.error(
                        span_of(t.table, key),
                        &field,
                        format!("expected a value, found {}", type_name(item)),
                    );
                    None
                }
            },
        }
    }

    /// The value at `key` when `get` reads it as the type `what` describes ("a string"); an
    /// error naming what was found otherwise.
    pub(super) fn typed<T>(
        &mut self,
        t: &Table<'_>,
        key: &str,
        required: bool,
        what: &str,
        get: impl Fn(&Value) -> Option<T>,
    ) -> Option<(T, Option<Range<usize>>)> {
        let v = self.value(t, key, required)?;
        if let Some(x) = get(v) {
            return Some((x, v.span()));
        }
        self.wrong_type(v, &t.field(key), what);
        None
    }

    /// A string and its span.
    pub(super) fn string(
        &mut self,
        t: &Table<'_>,
        key: &str,
        required: bool,
    ) -> Option<(String, Option<Range<usize>>)> {
        self.typed(t, key, required, "a string", |v| {
            v.as_str().map(str::to_owned)
        })
    }

    /// An optional string: the empty string when the key is absent.
    pub(super) fn optional_string(&mut self, t: &Table<'_>, key: &str) -> Option<String> {
        if t.table.get(key).is_some() {
            self.string(t, key, false).map(|s| s.0)
        } else {
            Some(String::new())
        }
    }

    /// A required string with more than white space in it.
    pub(super) fn nonempty_string(&mut self, t: &Table<'_>, key: &str) -> Option<String> {
        let (s, span) = self.string(t, key, true)?;
        if s.trim().is_empty() {
            self.error(
                span,
                &t.field(key),
                "expected a non-empty string, found an empty one",
            );
            return None;
        }
        Some(s)
    }

    /// An optional boolean and its span; `None` when absent or not a boolean (an error then).
    pub(super) fn boolean(
        &mut self,
        t: &Table<'_>,
        key: &str,
    ) -> Option<(bool, Option<Range<usize>>)> {
        t.table.get(key)?;
        self.typed(t, key, false, "a boolean (true or false)", Value::as_bool)
    }

    /// A required integer and its span.
    pub(super) fn integer(
        &mut self,
        t: &Table<'_>,
        key: &str,
    ) -> Option<(i64, Option<Range<usize>>)> {
        self.typed(t, key, true, "an integer", Value::as_integer)
    }

    /// A required date: a string `YYYY-MM-DD` or a TOML date.
    /// A date `YYYY-MM` or `YYYY-MM-DD`; with `day`, only a full calendar date.
    pub(super) fn date(&mut self, t: &Table<'_>, key: &str, day: bool) -> Option<Date> {
        let field = t.field(key);
        let v = self.value(t, key, true)?;
        let text = match v {
            Value::String(s) => s.value().clone(),
            Value::Datetime(d) => d.value().to_string(),
            other => {
                self.wrong_type(other, &field, "a date YYYY-MM-DD");
                return None;
            }
        };
        match Date::parse(&text) {
            Ok(d) if day && d.day.is_none() => {
                self.error(
                    v.span(),
                    &field,
                    format!("expected a calendar date YYYY-MM-DD, found `{text}` without a day"),
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.error(v.span(), &field, e.to_string());
                None
            }
        }
    }

    /// An array of strings; a required one must not be empty, an absent optional one is.
    pub(super) fn string_array(
        &mut self,
        t: &Table<'_>,
        key: &str,
        required: bool,
    ) -> Option<Vec<String>> {
        let field = t.field(key);
        let Some(v) = self.value(t, key, required) else {
            return if required { None } else { Some(Vec::new()) };
        };
        let Some(array) = v.as_array() else {
            self.wrong_type(v, &field, "an array of strings");
            return None;
        };
        let mut out = Vec::new();
        for item in array {
            match item.as_str() {
                Some(s) => out.push(s.to_owned()),
                None => {
                    self.wrong_type(item, &field, "a string");
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
        t: &Table<'_>,
        key: &str,
        required: bool,
    ) -> Option<Estimate> {
        let v = self.value(t, key, required)?;
        self.estimate_value(v, &t.field(key))
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
                self.wrong_type(
                    other,
                    field,
                    "an estimate (a number or a string such as \"5 to 30\")",
                );
                None
            }
        }
    }

    pub(super) fn positive_multiplier(
        &mut self,
        e: Option<Estimate>,
        t: &Table<'_>,
        key: &str,
    ) -> Option<Estimate> {
        let e = e?;
        if e.is_strictly_positive() {
            return Some(e);
        }
        let field = t.field(key);
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
                span_of(t.table, key),
                &field,
                format!("expected a multiplier greater than 0, found {found}"),
            )
            .with_hint(match key {
                "inference_cost" | "inference_multiple" => {
                    "inference per task is a multiple of plain sampling: write a positive \
                     number, a positive interval such as `10 to 100`, or a lognormal; 1 means \
                     one plain sample"
                }
                "inference_exchange" => {
                    "the exchange rate is OOM of inference per OOM of training, above 0: write \
                     a positive number or a positive interval such as `1 to 2`"
                }
                _ => {
                    "a CEG is a multiplier: write a positive number, a positive interval such \
                     as `2 to 10`, or a lognormal; 1 means no gain"
                }
            });
        self.push(d);
        None
    }

    /// An estimate whose support lies within [0, 1]; otherwise an error that says which kind
    /// of share it is.
    pub(super) fn unit_interval(
        &mut self,
        e: Option<Estimate>,
        span: Option<Range<usize>>,
        field: &str,
        kind: Share,
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
                    "expected {} in [0, 1], found {}",
                    kind.noun(),
                    found_range(&e)
                ),
            )
            .with_hint(kind.hint());
        self.push(d);
        None
    }
}

/// What an estimate within [0, 1] stands for, which names it in a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Share {
    /// How much of a category's gain adds to the others' (kappa, a pair's composability).
    Composability,
    /// The dependence between draws.
    Correlation,
}

impl Share {
    fn noun(self) -> &'static str {
        match self {
            Self::Composability => "a composability",
            Self::Correlation => "a correlation",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Self::Composability => "use a number, uniform, triangular or beta within [0, 1]",
            Self::Correlation => {
                "0: independent, 1: moving together; use a number, uniform, triangular or beta \
                 within [0, 1]"
            }
        }
    }
}

/// The keys of the `[categories]` table, when the text parses as TOML.
pub(super) fn category_keys(text: &str) -> Option<Vec<String>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let categories = doc.as_table().get("categories")?.as_table_like()?;
    Some(categories.iter().map(|(k, _)| k.to_owned()).collect())
}

/// The keys of the `[scopes]` table (none when it is absent), when the text parses as TOML.
pub(super) fn scope_keys(text: &str) -> Option<Vec<String>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    match doc.as_table().get("scopes") {
        None => Some(Vec::new()),
        Some(item) => Some(
            item.as_table_like()?
                .iter()
                .map(|(k, _)| k.to_owned())
                .collect(),
        ),
    }
}

/// The byte span of the value at the key `path` (`["categories", "data", "growth"]`) of a
/// TOML text, when the text parses and has it: for diagnostics found after loading, so they
/// point where the loader's do.
pub fn toml_value_span(text: &str, path: &[&str]) -> Option<Range<usize>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let (last, parents) = path.split_last()?;
    let mut table: &dyn TableLike = doc.as_table();
    for key in parents {
        table = table.get(key)?.as_table_like()?;
    }
    span_of(table, last)
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
