//! `overhang diff`: headline numbers and input changes between two built versions.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use overhang_model::attribution::Attribution;
use overhang_model::changes::{self, InputSet};
use overhang_model::tolerances::{self, Rules};
use overhang_model::{
    Assessment, ChangeKind, InputChange, InputFiles, Metric as HeadlineMetric, Results,
};
use overhang_render::format::{
    TEXT_CHANGED, attribution_rows, attribution_sentence, input_item, input_value, percent_change,
    signed_significant, significant,
};
use serde::Serialize;

use crate::args::{DiffArgs, DiffFormat};
use crate::attribution;
use crate::check;
use crate::exit::{Code, Failure, Outcome};
use crate::inputs;

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

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The old folder and its version.
    pub old: Side,
    /// The new folder and its version.
    pub new: Side,
    /// Headline numbers.
    pub metrics: Vec<Metric>,
    /// Changed inputs, every field of every input compared.
    pub inputs: Vec<InputChange>,
    /// Keys of metrics beyond tolerance.
    pub exceeded: Vec<String>,
    /// With `--attribute`: the headline's change split over groups of changed inputs and the
    /// change in the model's rules; `null` when it cannot be (see [`attribution::attribute`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[expect(
        clippy::option_option,
        reason = "the document has no key without --attribute, and null when it cannot be split"
    )]
    pub attribution: Option<Option<Attribution>>,
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
    let old = read_version(&args.old)?;
    let new = read_version(&args.new)?;
    let rules = match &args.tolerances {
        Some(path) => Some(read_tolerances(path)?),
        None => None,
    };
    let (metrics, exceeded) = metrics(&old.1, &new.1, rules.as_ref());
    let inputs = input_changes((&old.0, &old.1), (&new.0, &new.1));
    let attribution = args
        .attribute
        .then(|| attribution::attribute(version(&old), version(&new), &inputs));
    let diff = Diff {
        old: side(&old.1, &args.old.display().to_string()),
        new: side(&new.1, &args.new.display().to_string()),
        metrics,
        inputs,
        exceeded,
        attribution,
    };
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

/// A version as [`attribution::attribute`] reads it.
fn version(v: &(Assessment, Results, InputFiles)) -> attribution::Version<'_> {
    attribution::Version {
        assessment: &v.0,
        files: &v.2,
        results: &v.1,
    }
}

/// A version folder's inputs, as its `inputs/` copy holds them, and its results.
fn read_version(dir: &Path) -> Result<(Assessment, Results, InputFiles), Failure> {
    let results = read_results(dir)?;
    let files = inputs::read(&dir.join("inputs"))?;
    let assessment = overhang_model::load(&files)
        .map_err(|e| {
            Failure::data(format!(
                "{}error: `{}`, the inputs of version {}, do not load with this overhang; \
                 diff compares the inputs of both versions",
                check::render(&e.diagnostics, &files),
                dir.join("inputs").display(),
                results.report.version
            ))
        })?
        .assessment;
    Ok((assessment, results, files))
}

/// Every input that differs between two versions, each given as its assessment and its
/// results (whose list of input files names the fonts with their hashes).
pub fn input_changes(
    old: (&Assessment, &Results),
    new: (&Assessment, &Results),
) -> Vec<InputChange> {
    let fonts = |r: &Results| -> BTreeMap<String, String> {
        r.inputs
            .files
            .iter()
            .filter(|f| f.name.starts_with("fonts/"))
            .map(|f| (f.name.clone(), f.sha256.clone()))
            .collect()
    };
    let (of, nf) = (fonts(old.1), fonts(new.1));
    changes::compare(
        &InputSet {
            assessment: old.0,
            fonts: &of,
        },
        &InputSet {
            assessment: new.0,
            fonts: &nf,
        },
    )
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

/// The headline numbers of two results side by side, with the keys of those beyond their
/// tolerance under `rules`.
pub fn metrics(old: &Results, new: &Results, rules: Option<&Rules>) -> (Vec<Metric>, Vec<String>) {
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
    (out, exceeded)
}

fn side(r: &Results, path: &str) -> Side {
    Side {
        path: path.to_owned(),
        version: r.report.version.clone(),
        fingerprint: r.fingerprint.clone(),
    }
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
            let item = md_escape(&input_item(c));
            let value = |v: &Option<_>| v.as_ref().map(|v| md_escape(&input_value(v)));
            let kind = c.kind.name();
            let _ = match (c.kind, value(&c.old), value(&c.new)) {
                (ChangeKind::Changed, _, _) if c.long_text => {
                    writeln!(s, "- **{kind}** {item}: {TEXT_CHANGED}")
                }
                (ChangeKind::Changed, Some(o), Some(n)) => {
                    writeln!(s, "- **{kind}** {item}: `{o}` → `{n}`")
                }
                (_, Some(v), None) | (_, None, Some(v)) if !c.long_text => {
                    writeln!(s, "- **{kind}** {item}: {v}")
                }
                _ => writeln!(s, "- **{kind}** {item}"),
            };
        }
    }
    match &d.attribution {
        None => {}
        Some(None) => {
            let _ = writeln!(
                s,
                "\n### What moved the headline\n\nThe change cannot be attributed: a version \
                 lacks the headline, or the old inputs do not run under this overhang's rules."
            );
        }
        Some(Some(a)) => {
            let _ = writeln!(
                s,
                "\n### What moved the headline\n\n{}\n",
                attribution_sentence(a)
            );
            let _ = writeln!(
                s,
                "| what moved it | inputs changed | share (OOM) | factor |"
            );
            let _ = writeln!(s, "|---|---:|---:|---:|");
            for r in attribution_rows(a) {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} |",
                    md_escape(&r.label),
                    r.inputs,
                    r.oom,
                    r.factor
                );
            }
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
