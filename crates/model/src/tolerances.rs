//! The tolerances file of `overhang diff`: how far each headline number may move between two
//! versions before the diff fails.
//!
//! ```toml
//! [default]
//! rel = 0.05
//! [metrics."*.uplift.12m.p50"]
//! abs = 0.1
//! rel = 0.02
//! ```
//!
//! A metric is within its tolerance when `|new - old| <= abs + rel * |old|`. Keys of
//! `[metrics]` are headline keys ([`crate::headline`]) in which `*` stands for one whole
//! segment; the first key that matches applies, and `[default]` applies to the rest.

use std::ops::Range;

use toml_edit::{Key, TableLike, Value};

use crate::diagnostic::Diagnostic;

/// Tolerance rules: a default and per-metric entries whose keys may use `*` for one segment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    default: Option<(f64, f64)>,
    metrics: Vec<(String, f64, f64)>,
}

impl Rules {
    /// The `(abs, rel)` tolerance of the headline metric `key`: that of the first
    /// `[metrics]` entry matching it, else the default, else none.
    pub fn lookup(&self, key: &str) -> Option<(f64, f64)> {
        self.metrics
            .iter()
            .find(|(pattern, _, _)| matches_pattern(pattern, key))
            .map(|&(_, a, r)| (a, r))
            .or(self.default)
    }
}

/// Whether `key` matches `pattern` segment by segment, `*` matching any one segment.
pub fn matches_pattern(pattern: &str, key: &str) -> bool {
    let p: Vec<&str> = pattern.split('.').collect();
    let k: Vec<&str> = key.split('.').collect();
    p.len() == k.len() && p.iter().zip(&k).all(|(a, b)| *a == "*" || a == b)
}

/// Parses the text of a tolerances file named `name` (for diagnostics).
///
/// The first problem is the error. Its field is empty when the problem is not about one
/// field: a TOML syntax error, or a top-level table other than `[default]` and `[metrics]`.
///
/// # Errors
///
/// A TOML syntax error; a table other than `[default]` and `[metrics]`; a metric that is not a
/// table; a key other than `abs` and `rel`; a tolerance that is not a finite number of 0 or
/// more.
pub fn parse_tolerances(text: &str, name: &str) -> Result<Rules, Box<Diagnostic>> {
    let error = |span: Option<Range<usize>>, field: &str, message: String| {
        Box::new(Diagnostic::error(name, text, span, field, message))
    };
    let doc = toml_edit::Document::parse(text)
        .map_err(|e| error(e.span(), "", e.message().trim_end().to_owned()))?;
    let pair = |t: &dyn TableLike, field: &str| -> Result<(f64, f64), Box<Diagnostic>> {
        let mut out = [0.0, 0.0];
        for (key, item) in t.iter() {
            let slot = match key {
                "abs" => 0,
                "rel" => 1,
                other => {
                    return Err(error(
                        t.key(other).and_then(Key::span),
                        field,
                        format!("expected `abs` or `rel`, found `{other}`"),
                    ));
                }
            };
            let v = item
                .as_value()
                .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
            match v {
                Some(v) if v >= 0.0 && v.is_finite() => out[slot] = v,
                _ => {
                    return Err(error(
                        item.span(),
                        &format!("{field}.{key}"),
                        format!(
                            "expected a number of 0 or more, found {}",
                            item.as_value().map_or("a table".to_owned(), found)
                        ),
                    ));
                }
            }
        }
        Ok((out[0], out[1]))
    };
    let mut rules = Rules::default();
    for (key, item) in doc.as_table() {
        match (key, item.as_table_like()) {
            ("default", Some(t)) => rules.default = Some(pair(t, "default")?),
            ("metrics", Some(t)) => {
                for (metric, item) in t.iter() {
                    let Some(mt) = item.as_table_like() else {
                        return Err(error(
                            t.key(metric).and_then(Key::span),
                            &format!("metrics.{metric}"),
                            "expected a table with `abs` and/or `rel`".to_owned(),
                        ));
                    };
                    let (a, r) = pair(mt, &format!("metrics.\"{metric}\""))?;
                    rules.metrics.push((metric.to_owned(), a, r));
                }
            }
            _ => {
                return Err(error(
                    doc.as_table().key(key).and_then(Key::span),
                    "",
                    format!("expected a [default] or [metrics.\"<key>\"] table, found `{key}`"),
                ));
            }
        }
    }
    Ok(rules)
}

/// A value as a diagnostic quotes what was found.
fn found(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", s.value()),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => f.value().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        _ => "a value of another type".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_segments() {
        assert!(matches_pattern(
            "*.uplift.12m.p50",
            "api_only.uplift.12m.p50"
        ));
        assert!(!matches_pattern("*.uplift.12m", "api_only.uplift.12m.p50"));
        assert!(!matches_pattern(
            "open.uplift.12m.p50",
            "api_only.uplift.12m.p50"
        ));
    }

    #[test]
    fn the_first_matching_metric_applies_then_the_default() {
        let r = parse_tolerances(
            "[default]\nrel = 0.05\n[metrics.\"*.uplift.12m.p50\"]\nabs = 1\n\
             [metrics.\"open.uplift.12m.p50\"]\nabs = 2\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(r.lookup("open.uplift.12m.p50"), Some((1.0, 0.0)));
        assert_eq!(r.lookup("x.uplift.60m.p50"), Some((0.0, 0.05)));
        assert_eq!(Rules::default().lookup("x.uplift.60m.p50"), None);
    }

    #[test]
    fn problems_name_the_line_column_and_field() {
        let e = parse_tolerances("[default]\nrell = 0.05\n", "t.toml").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(e.field, "default");
        assert_eq!(e.message, "expected `abs` or `rel`, found `rell`");
        let e = parse_tolerances("[metrics]\n\"a.b\" = 1\n", "t.toml").unwrap_err();
        assert_eq!((e.line, e.column, e.field.as_str()), (2, 1, "metrics.a.b"));
        let e = parse_tolerances("[default]\nabs = \"x\"\n", "t.toml").unwrap_err();
        assert_eq!((e.line, e.column, e.field.as_str()), (2, 7, "default.abs"));
        assert_eq!(e.message, "expected a number of 0 or more, found \"x\"");
        let e = parse_tolerances("[other]\n", "t.toml").unwrap_err();
        assert_eq!((e.line, e.column, e.field.as_str()), (1, 2, ""));
        let e = parse_tolerances("[default\n", "t.toml").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (1, ""));
    }
}
