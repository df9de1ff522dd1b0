//! `overhang diff`: headline numbers and input changes between two built versions.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use overhang_model::assessment::AVERAGE_SCOPE;
use overhang_model::results::EvidenceInput;
use overhang_model::tolerances::{self, Rules};
use overhang_model::{Metric as HeadlineMetric, Results};
use overhang_render::format::{percent_change, signed_significant, significant};
use serde::Serialize;

use crate::args::{DiffArgs, DiffFormat};
use crate::exit::{Code, Failure, Outcome};

/// One headline number in both versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// Stable key, for example `open_weights.uplift.12m.p50`; tolerances match on it.
    pub key: String,
    /// For people, for example `Open weights: median uplift at 12 months`.
    pub label: String,
    /// Value in the old version, when it has the metric.
    pub old: Option<f64>,
    /// Value in the new version.
    pub new: Option<f64>,
    /// `new - old`.
    pub change: Option<f64>,
    /// `100 * (new - old) / |old|`.
    pub percent: Option<f64>,
    /// The tolerance that applies, when one does, and whether it was exceeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Tolerance>,
}

/// Absolute and relative tolerance of a metric: within when `|new - old| <= abs + rel * |old|`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tolerance {
    /// Absolute tolerance.
    pub abs: f64,
    /// Relative tolerance (0.05 is 5%).
    pub rel: f64,
    /// Whether the change is beyond it.
    pub exceeded: bool,
}

/// A change to the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputChange {
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// What changed: `evidence.<id>`, `categories.<id>.available`, ...
    pub item: String,
    /// Old value, as text.
    pub old: Option<String>,
    /// New value, as text.
    pub new: Option<String>,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The old folder and its version.
    pub old: Side,
    /// The new folder and its version.
    pub new: Side,
    /// Headline numbers.
    pub metrics: Vec<Metric>,
    /// Changed inputs.
    pub inputs: Vec<InputChange>,
    /// Keys of metrics beyond tolerance.
    pub exceeded: Vec<String>,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The folder as given.
    pub path: String,
    /// The report version.
    pub version: String,
    /// The fingerprint.
    pub fingerprint: String,
}

/// Runs `overhang diff`; `Ok` carries the document; beyond tolerance is a failure with code 1 that
/// also carries the document.
pub fn run(args: &DiffArgs) -> Result<Outcome, Failure> {
    let old = read_results(&args.old)?;
    let new = read_results(&args.new)?;
    let rules = match &args.tolerances {
        Some(path) => Some(read_tolerances(path)?),
        None => None,
    };
    let diff = compare(
        &old,
        &new,
        &args.old.display().to_string(),
        &args.new.display().to_string(),
        rules.as_ref(),
    );
    let text = match args.format {
        DiffFormat::Md => markdown(&diff),
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&diff).expect("a diff always serialises");
            s.push('\n');
            s
        }
    };
    if diff.exceeded.is_empty() {
        Ok(Outcome::stdout(text))
    } else {
        Err(Failure::new(Code::Mismatch, text).for_stdout())
    }
}

fn read_results(dir: &Path) -> Result<Results, Failure> {
    let path = dir.join("results.json");
    let bytes = std::fs::read(&path).map_err(|e| {
        Failure::no_input(format!(
            "error: cannot read `{}`: {e}\nhelp: diff compares two folders built by `overhang build`",
            path.display()
        ))
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Failure::data(format!(
            "error: `{}` is not a results file this overhang can read: {e}",
            path.display()
        ))
    })
}

/// Reads a tolerances file:
///
/// ```toml
/// [default]
/// rel = 0.05
/// [metrics."*.uplift.12m.p50"]
/// abs = 0.1
/// rel = 0.02
/// ```
pub fn read_tolerances(path: &Path) -> Result<Rules, Failure> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::no_input(format!("error: cannot read `{name}`: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::data(format!("error: `{name}` is not UTF-8 text")))?;
    parse_tolerances(&text, &name)
}

/// Parses the text of a tolerances file named `name` (for messages).
fn parse_tolerances(text: &str, name: &str) -> Result<Rules, Failure> {
    tolerances::parse_tolerances(text, name).map_err(|d| {
        let field = if d.field.is_empty() {
            String::new()
        } else {
            format!(" {}:", d.field)
        };
        Failure::data(format!(
            "error: {}:{}:{}:{field} {}",
            d.file, d.line, d.column, d.message
        ))
    })
}

/// Compares two results.
pub fn compare(
    old: &Results,
    new: &Results,
    old_path: &str,
    new_path: &str,
    rules: Option<&Rules>,
) -> Diff {
    let a = old.headline();
    let b = new.headline();
    let mut keys: Vec<(String, String)> = Vec::new();
    for m in a.iter().chain(&b) {
        if !keys.iter().any(|(key, _)| *key == m.id) {
            keys.push((m.id.clone(), m.label.clone()));
        }
    }
    let find = |v: &[HeadlineMetric], k: &str| v.iter().find(|m| m.id == k).map(|m| m.value);
    let mut out = Vec::new();
    let mut exceeded = Vec::new();
    for (key, label) in keys {
        let (o, n) = (find(&a, &key), find(&b, &key));
        let change = o.zip(n).map(|(o, n)| n - o);
        let percent = o
            .zip(change)
            .and_then(|(o, c)| (o != 0.0).then(|| 100.0 * c / o.abs()));
        let tolerance = rules.and_then(|r| r.lookup(&key)).map(|(abs, rel)| {
            let within = match (o, n) {
                (Some(o), Some(n)) => (n - o).abs() <= abs + rel * o.abs(),
                _ => false,
            };
            Tolerance {
                abs,
                rel,
                exceeded: !within,
            }
        });
        if tolerance.is_some_and(|t| t.exceeded) {
            exceeded.push(key.clone());
        }
        out.push(Metric {
            key,
            label,
            old: o,
            new: n,
            change,
            percent,
            tolerance,
        });
    }
    Diff {
        old: side(old, old_path),
        new: side(new, new_path),
        metrics: out,
        inputs: input_changes(old, new),
        exceeded,
    }
}

fn side(r: &Results, path: &str) -> Side {
    Side {
        path: path.to_owned(),
        version: r.report.version.clone(),
        fingerprint: r.fingerprint.clone(),
    }
}

fn number(x: f64) -> String {
    overhang_model::estimate::format_number(x)
}

fn input_changes(old: &Results, new: &Results) -> Vec<InputChange> {
    let mut out = Vec::new();
    let mut param = |item: String, o: Option<String>, n: Option<String>| {
        if o != n {
            let kind = match (&o, &n) {
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                _ => "changed",
            };
            out.push(InputChange {
                kind,
                item,
                old: o,
                new: n,
            });
        }
    };
    let (oi, ni) = (&old.inputs, &new.inputs);
    param(
        "report.version".into(),
        Some(old.report.version.clone()),
        Some(new.report.version.clone()),
    );
    param(
        "report.date".into(),
        Some(old.report.date.clone()),
        Some(new.report.date.clone()),
    );
    param(
        "simulation.samples".into(),
        Some(old.simulation.samples.to_string()),
        Some(new.simulation.samples.to_string()),
    );
    param(
        "simulation.seed".into(),
        Some(old.simulation.seed.to_string()),
        Some(new.simulation.seed.to_string()),
    );
    param(
        "horizon".into(),
        Some(format!(
            "{} months, step {}",
            old.simulation.horizon_months, old.simulation.step_months
        )),
        Some(format!(
            "{} months, step {}",
            new.simulation.horizon_months, new.simulation.step_months
        )),
    );
    param(
        "composability.method".into(),
        Some(oi.composability.method.clone()),
        Some(ni.composability.method.clone()),
    );
    param(
        "composability.kappa".into(),
        oi.composability.kappa.clone(),
        ni.composability.kappa.clone(),
    );
    let pairs = |v: &[(String, String, String)]| -> BTreeMap<String, String> {
        v.iter()
            .map(|(a, b, c)| (format!("{a}/{b}"), c.clone()))
            .collect()
    };
    let (op, np) = (
        pairs(&oi.composability.pairs),
        pairs(&ni.composability.pairs),
    );
    for k in op
        .keys()
        .chain(np.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        param(
            format!("composability.pairs.{k}"),
            op.get(k).cloned(),
            np.get(k).cloned(),
        );
    }
    let (om, nm) = (&oi.model, &ni.model);
    for (field, o, n) in [
        (
            "simulation.correlation",
            Some(&om.correlation),
            Some(&nm.correlation),
        ),
        (
            "simulation.growth_correlation",
            Some(&om.growth_correlation),
            Some(&nm.growth_correlation),
        ),
        (
            "simulation.available_elicited_correlation",
            Some(&om.available_elicited_correlation),
            Some(&nm.available_elicited_correlation),
        ),
        (
            "simulation.growth_shape",
            Some(&om.growth_shape),
            Some(&nm.growth_shape),
        ),
        (
            "simulation.saturation_years",
            om.saturation_years.as_ref(),
            nm.saturation_years.as_ref(),
        ),
        (
            "composability.ceiling",
            om.ceiling.as_ref(),
            nm.ceiling.as_ref(),
        ),
    ] {
        param(field.to_owned(), o.cloned(), n.cloned());
    }
    let cats = |r: &Results| -> BTreeMap<String, BTreeMap<&'static str, String>> {
        r.inputs
            .categories
            .iter()
            .map(|c| {
                let mut m = BTreeMap::new();
                m.insert("label", c.label.clone());
                m.insert("available", c.available.clone());
                m.insert("elicited", c.elicited.clone());
                m.insert("growth", c.growth.clone());
                m.insert("cap", c.cap.clone().unwrap_or_else(|| "none".to_owned()));
                (c.id.clone(), m)
            })
            .collect()
    };
    let (oc, nc) = (cats(old), cats(new));
    for id in oc
        .keys()
        .chain(nc.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (oc.get(id), nc.get(id)) {
            (Some(o), Some(n)) => {
                for (field, ov) in o {
                    param(
                        format!("categories.{id}.{field}"),
                        Some(ov.clone()),
                        n.get(field).cloned(),
                    );
                }
            }
            (o, n) => param(
                format!("categories.{id}"),
                o.map(|m| m["label"].clone()),
                n.map(|m| m["label"].clone()),
            ),
        }
    }
    let thresholds = |r: &Results| -> BTreeMap<String, String> {
        r.inputs
            .thresholds
            .iter()
            .map(|t| {
                let mut v = t.label.clone();
                if let Some(c) = t.cadence_months {
                    let _ = write!(v, "; every {c} months");
                }
                if let Some(p) = t.tolerance {
                    let _ = write!(v, "; tolerance {}", number(p));
                }
                (format!("{}x", number(t.multiplier)), v)
            })
            .collect()
    };
    let (ot, nt) = (thresholds(old), thresholds(new));
    for k in ot
        .keys()
        .chain(nt.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        param(
            format!("thresholds.{k}"),
            ot.get(k).cloned(),
            nt.get(k).cloned(),
        );
    }
    // Task scopes: each scope's label and overrides (the average task has none).
    let scopes = |r: &Results| -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        for sc in r.inputs.scopes.iter().filter(|s| s.id != AVERAGE_SCOPE) {
            m.insert(format!("scopes.{}", sc.id), sc.label.clone());
            for (field, value) in &sc.overrides {
                m.insert(format!("scopes.{}.{field}", sc.id), value.clone());
            }
        }
        m
    };
    let (os, ns) = (scopes(old), scopes(new));
    for k in os
        .keys()
        .chain(ns.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        param(k.clone(), os.get(k).cloned(), ns.get(k).cloned());
    }
    let rows = |r: &Results| -> BTreeMap<String, EvidenceInput> {
        r.inputs
            .evidence
            .iter()
            .map(|e| (e.id.clone(), e.clone()))
            .collect()
    };
    let (or, nr) = (rows(old), rows(new));
    for id in or
        .keys()
        .chain(nr.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let describe = |e: &EvidenceInput| {
            format!(
                "{}: {} ({}, {}, {})",
                e.name, e.ceg, e.category, e.date, e.evidence
            )
        };
        match (or.get(id), nr.get(id)) {
            (Some(o), Some(n)) if o != n => {
                let fields = [
                    ("name", &o.name, &n.name),
                    ("category", &o.category, &n.category),
                    ("benchmark", &o.benchmark, &n.benchmark),
                    ("ceg", &o.ceg, &n.ceg),
                    ("date", &o.date, &n.date),
                    ("source", &o.source, &n.source),
                    ("evidence", &o.evidence, &n.evidence),
                    ("notes", &o.notes, &n.notes),
                ];
                for (field, a, b) in fields {
                    param(
                        format!("evidence.{id}.{field}"),
                        Some(a.clone()),
                        Some(b.clone()),
                    );
                }
            }
            (o, n) => param(format!("evidence.{id}"), o.map(describe), n.map(describe)),
        }
    }
    out
}

/// Four significant digits, without exponent for the magnitudes a report holds.
fn fmt_value(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), significant)
}

fn fmt_change(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), signed_significant)
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The diff as a pull-request comment.
pub fn markdown(d: &Diff) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "## overhang diff: {} (v{}) → {} (v{})\n",
        md_escape(&d.old.path),
        d.old.version,
        md_escape(&d.new.path),
        d.new.version
    );
    if d.old.fingerprint == d.new.fingerprint {
        let _ = writeln!(
            s,
            "Both were built from the same inputs (fingerprint `{}`).\n",
            &d.new.fingerprint[..16.min(d.new.fingerprint.len())]
        );
    }
    let _ = writeln!(s, "### Headline numbers\n");
    let _ = writeln!(s, "| metric | old | new | change | % change |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|");
    for m in &d.metrics {
        let flag = if m.tolerance.is_some_and(|t| t.exceeded) {
            " ⚠"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "| {}{flag} | {} | {} | {} | {} |",
            md_escape(&m.label),
            fmt_value(m.old),
            fmt_value(m.new),
            fmt_change(m.change),
            m.percent.map_or("–".to_owned(), percent_change),
        );
    }
    let _ = writeln!(s, "\n### Input changes\n");
    if d.inputs.is_empty() {
        let _ = writeln!(s, "No input changed.");
    } else {
        for c in &d.inputs {
            let _ = match (&c.old, &c.new) {
                (Some(o), Some(n)) => writeln!(
                    s,
                    "- **{}** {}: `{}` → `{}`",
                    c.kind,
                    md_escape(&c.item),
                    md_escape(o),
                    md_escape(n)
                ),
                (None, Some(n)) => writeln!(
                    s,
                    "- **{}** {}: {}",
                    c.kind,
                    md_escape(&c.item),
                    md_escape(n)
                ),
                (Some(o), None) => writeln!(
                    s,
                    "- **{}** {}: {}",
                    c.kind,
                    md_escape(&c.item),
                    md_escape(o)
                ),
                (None, None) => Ok(()),
            };
        }
    }
    if !d.exceeded.is_empty() {
        let _ = writeln!(
            s,
            "\n**{} metric(s) beyond tolerance:** {}",
            d.exceeded.len(),
            d.exceeded
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_show_four_significant_digits() {
        assert_eq!(significant(12.888_05), "12.89");
        assert_eq!(significant(141.180_5), "141.2");
        assert_eq!(significant(5142.6), "5143");
        assert_eq!(significant(0.926_12), "0.9261");
        assert_eq!(significant(53_384.8), "53385");
        assert_eq!(fmt_change(Some(-0.5)), "-0.5000");
        assert_eq!(fmt_change(Some(0.0)), "+0");
    }

    #[test]
    fn tolerance_files_parse_and_reject_unknown_fields() {
        let r = parse_tolerances(
            "[default]\nrel = 0.05\n[metrics.\"*.uplift.12m.p50\"]\nabs = 1\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(r.lookup("x.uplift.12m.p50"), Some((1.0, 0.0)));
        assert_eq!(r.lookup("x.uplift.60m.p50"), Some((0.0, 0.05)));
        let e = parse_tolerances("[default]\nrell = 0.05\n", "t.toml").unwrap_err();
        assert!(e.message.contains("t.toml:2:1"), "{}", e.message);
        assert_eq!(e.code, Code::DataErr);
        let e = parse_tolerances("[default]\nrel = -1\n", "t.toml").unwrap_err();
        assert!(
            e.message
                .contains("expected a number of 0 or more, found -1"),
            "{}",
            e.message
        );
    }
}
