//! Loading and validating the inputs: assessment.toml, enhancements.csv, composability.csv.
//!
//! The caller reads the files and hands their bytes over as [`InputFiles`]; this module never
//! touches the filesystem. Every problem is collected before loading gives up, each as a
//! [`Diagnostic`] with file, line, column and field.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

use crate::assessment::{
    Assessment, Category, Composability, Date, EvidenceRow, Grade, Growth, Horizon, MAX_SAMPLES,
    Method, PairComposability, ReportMeta, Scenario, Simulation, Threshold, Version,
};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::estimate::{Estimate, format_number};

/// The assessment file's name in an inputs folder.
pub const ASSESSMENT_FILE: &str = "assessment.toml";
/// The evidence file's name in an inputs folder.
pub const ENHANCEMENTS_FILE: &str = "enhancements.csv";
/// The optional pairwise composability file's name in an inputs folder.
pub const COMPOSABILITY_FILE: &str = "composability.csv";

/// One input file: the name diagnostics use for it, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name shown in diagnostics, usually the path the user gave.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The files of an inputs folder, read by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFiles {
    /// assessment.toml.
    pub assessment: SourceFile,
    /// enhancements.csv.
    pub enhancements: SourceFile,
    /// composability.csv, when present.
    pub composability: Option<SourceFile>,
}

impl InputFiles {
    /// The text of a file by its diagnostic name, when it is valid UTF-8 (for rendering).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.files()
            .find(|f| f.name == name)
            .and_then(|f| std::str::from_utf8(&f.bytes).ok())
    }

    /// Every file, assessment first.
    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        [
            Some(&self.assessment),
            Some(&self.enhancements),
            self.composability.as_ref(),
        ]
        .into_iter()
        .flatten()
    }
}

/// A loaded assessment and the warnings loading produced.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated assessment.
    pub assessment: Assessment,
    /// Warnings: the inputs are usable, but these deserve a look.
    pub warnings: Vec<Diagnostic>,
}

/// The inputs are not usable: every diagnostic found, errors and warnings, in file order.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} error(s) in the inputs", self.errors().count())]
pub struct LoadError {
    /// All diagnostics, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// The errors among the diagnostics.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Loads and validates the inputs.
pub fn load(files: &InputFiles) -> Result<Loaded, LoadError> {
    let mut diags = Vec::new();
    let assessment_text = utf8(&files.assessment, &mut diags);
    let enhancements_text = utf8(&files.enhancements, &mut diags);
    let composability_text = files
        .composability
        .as_ref()
        .map(|f| (f, utf8(f, &mut diags)));

    let base = assessment_text.and_then(|text| {
        let mut ctx = Toml {
            file: &files.assessment.name,
            text,
            diags: &mut diags,
        };
        ctx.assessment()
    });

    // The CSV files are checked against the categories assessment.toml defines, even when a
    // category's own fields have errors, so one pass reports both.
    let category_ids = assessment_text.and_then(category_keys);

    let evidence = enhancements_text.and_then(|text| {
        let mut csv = Csv {
            file: &files.enhancements.name,
            text,
            diags: &mut diags,
        };
        csv.evidence(category_ids.as_deref())
    });

    let pairs = match composability_text {
        Some((file, Some(text))) => {
            let mut csv = Csv {
                file: &file.name,
                text,
                diags: &mut diags,
            };
            csv.pairs(category_ids.as_deref())
        }
        Some((_, None)) => None,
        None => Some(Vec::new()),
    };

    let result = match (base, evidence, pairs) {
        (Some(base), Some(evidence), Some(pairs)) => {
            Some(finish(base, evidence, pairs, files, &mut diags))
        }
        _ => None,
    };
    diags.sort_by(|a, b| {
        (file_rank(files, &a.file), a.line, a.column).cmp(&(
            file_rank(files, &b.file),
            b.line,
            b.column,
        ))
    });
    match result {
        Some(assessment) if !diags.iter().any(Diagnostic::is_error) => Ok(Loaded {
            assessment,
            warnings: diags,
        }),
        _ => Err(LoadError { diagnostics: diags }),
    }
}

fn file_rank(files: &InputFiles, name: &str) -> usize {
    files
        .files()
        .position(|f| f.name == name)
        .unwrap_or(usize::MAX)
}

fn utf8<'a>(file: &'a SourceFile, diags: &mut Vec<Diagnostic>) -> Option<&'a str> {
    match std::str::from_utf8(&file.bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let valid = e.valid_up_to();
            // The prefix is valid UTF-8, so line and column can be counted in it.
            let prefix = std::str::from_utf8(&file.bytes[..valid]).unwrap_or_default();
            let (line, column) = crate::diagnostic::line_column(prefix, valid);
            let mut d = Diagnostic::error(
                &file.name,
                "",
                None,
                "(file)",
                format!(
                    "expected UTF-8 text, found the byte 0x{:02x} at byte offset {valid}",
                    file.bytes[valid]
                ),
            )
            .with_hint("save the file as UTF-8");
            d.line = line;
            d.column = column;
            diags.push(d);
            None
        }
    }
}

/// The base case as read from assessment.toml, before the CSV files are joined in.
struct Base {
    report: ReportMeta,
    simulation: Simulation,
    horizon: Horizon,
    method: Method,
    kappa: Option<Estimate>,
    pair_default: Option<Estimate>,
    categories: Vec<Category>,
    thresholds: Vec<Threshold>,
    scenarios: Vec<ScenarioDef>,
    /// Where `[composability]` is, for diagnostics that concern it as a whole.
    composability_span: Option<Range<usize>>,
}

struct ScenarioDef {
    id: String,
    label: String,
    description: String,
    overrides: Vec<Override>,
}

struct Override {
    path: String,
    value_text: String,
    kind: OverrideKind,
}

enum OverrideKind {
    Available(String, Estimate),
    Elicited(String, Estimate),
    Growth(String, Growth),
    Cap(String, Estimate),
    Method(Method),
    Kappa(Estimate),
}

fn finish(
    base: Base,
    evidence: Vec<EvidenceRow>,
    pairs: Vec<PairComposability>,
    files: &InputFiles,
    diags: &mut Vec<Diagnostic>,
) -> Assessment {
    let assessment_name = &files.assessment.name;
    let assessment_text = files.text(assessment_name).unwrap_or_default();
    let composability = Composability {
        method: base.method,
        kappa: base.kappa,
        pairs,
        default_pair: base.pair_default,
    };
    check_composability(
        &composability,
        &base.categories,
        files,
        base.composability_span.clone(),
        "composability",
        diags,
    );
    let mut scenarios = Vec::new();
    if base.scenarios.is_empty() {
        scenarios.push(Scenario {
            id: "base".to_owned(),
            label: "Base case".to_owned(),
            description: String::new(),
            overrides: Vec::new(),
            composability: composability.clone(),
            categories: base.categories.clone(),
        });
    }
    for def in base.scenarios {
        let mut categories = base.categories.clone();
        let mut comp = composability.clone();
        for o in &def.overrides {
            let cat = |categories: &mut Vec<Category>, id: &str| -> usize {
                categories
                    .iter()
                    .position(|c| c.id == id)
                    .expect("override categories are checked when read")
            };
            match &o.kind {
                OverrideKind::Available(id, e) => {
                    let i = cat(&mut categories, id);
                    categories[i].available = e.clone();
                }
                OverrideKind::Elicited(id, e) => {
                    let i = cat(&mut categories, id);
                    categories[i].elicited = e.clone();
                }
                OverrideKind::Growth(id, g) => {
                    let i = cat(&mut categories, id);
                    categories[i].growth = g.clone();
                }
                OverrideKind::Cap(id, e) => {
                    let i = cat(&mut categories, id);
                    categories[i].cap = Some(e.clone());
                }
                OverrideKind::Method(m) => comp.method = *m,
                OverrideKind::Kappa(k) => comp.kappa = Some(k.clone()),
            }
        }
        if comp.method != composability.method || comp.kappa != composability.kappa {
            let span = find_key_span(assessment_text, &format!("scenarios.{}", def.id));
            check_composability(
                &comp,
                &categories,
                files,
                span,
                &format!("scenarios.{}.composability", def.id),
                diags,
            );
        }
        scenarios.push(Scenario {
            id: def.id,
            label: def.label,
            description: def.description,
            overrides: def
                .overrides
                .iter()
                .map(|o| (o.path.clone(), o.value_text.clone()))
                .collect(),
            composability: comp,
            categories,
        });
    }
    Assessment {
        report: base.report,
        simulation: base.simulation,
        horizon: base.horizon,
        composability,
        categories: base.categories,
        thresholds: base.thresholds,
        scenarios,
        evidence,
    }
}

fn check_composability(
    comp: &Composability,
    categories: &[Category],
    files: &InputFiles,
    span: Option<Range<usize>>,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let name = &files.assessment.name;
    let text = files.text(name).unwrap_or_default();
    match comp.method {
        Method::LargestFirst if comp.kappa.is_none() => diags.push(
            Diagnostic::error(
                name,
                text,
                span,
                format!("{field}.kappa"),
                "expected `kappa` for the largest-first method, found none",
            )
            .with_hint("add for example `kappa = \"uniform(0.3, 0.9)\"`"),
        ),
        Method::Pairwise => {
            let listed: BTreeSet<(&str, &str)> = comp
                .pairs
                .iter()
                .map(|p| ordered_pair(&p.a, &p.b))
                .collect();
            let mut missing = Vec::new();
            for (i, a) in categories.iter().enumerate() {
                for b in &categories[i + 1..] {
                    if !listed.contains(&ordered_pair(&a.id, &b.id)) {
                        missing.push(format!("{}/{}", a.id, b.id));
                    }
                }
            }
            if !missing.is_empty() && comp.default_pair.is_none() {
                diags.push(
                    Diagnostic::error(
                        name,
                        text,
                        span,
                        format!("{field}.pair_default"),
                        format!(
                            "expected a composability for every pair of categories with the \
                             pairwise method, found none for {}",
                            missing.join(", ")
                        ),
                    )
                    .with_hint(format!(
                        "list the pairs in {COMPOSABILITY_FILE} or set `pair_default`"
                    )),
                );
            }
        }
        _ => {}
    }
}

fn ordered_pair<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

/// The keys of the `[categories]` table, when the text parses as TOML.
fn category_keys(text: &str) -> Option<Vec<String>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let categories = doc.as_table().get("categories")?.as_table_like()?;
    Some(categories.iter().map(|(k, _)| k.to_owned()).collect())
}

/// The span of a `[dotted.header]` in a TOML text, for diagnostics about a whole table.
fn find_key_span(text: &str, header: &str) -> Option<Range<usize>> {
    let needle = format!("[{header}]");
    text.find(&needle).map(|i| i..i + needle.len())
}

// ---------------------------------------------------------------------------------------------
// assessment.toml

const TOP_KEYS: [&str; 7] = [
    "report",
    "simulation",
    "horizon",
    "composability",
    "categories",
    "thresholds",
    "scenarios",
];
const REPORT_KEYS: [&str; 7] = [
    "title",
    "version",
    "date",
    "authors",
    "release_date",
    "keywords",
    "scope",
];
const SIMULATION_KEYS: [&str; 2] = ["samples", "seed"];
const HORIZON_KEYS: [&str; 2] = ["months", "step_months"];
const COMPOSABILITY_KEYS: [&str; 3] = ["method", "kappa", "pair_default"];
const CATEGORY_KEYS: [&str; 6] = [
    "label",
    "available",
    "elicited",
    "growth",
    "cap",
    "rationale",
];
const THRESHOLD_KEYS: [&str; 3] = ["label", "multiplier", "policy"];
const SCENARIO_KEYS: [&str; 4] = ["label", "description", "categories", "composability"];
const SCENARIO_CATEGORY_KEYS: [&str; 4] = ["available", "elicited", "growth", "cap"];
const SCENARIO_COMPOSABILITY_KEYS: [&str; 2] = ["method", "kappa"];

/// The longest horizon an assessment may project, in months.
pub const MAX_HORIZON_MONTHS: i64 = 600;

struct Toml<'a> {
    file: &'a str,
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Toml<'_> {
    fn error(&mut self, span: Option<Range<usize>>, field: &str, message: impl Into<String>) {
        let d = Diagnostic::error(self.file, self.text, span, field, message);
        self.diags.push(d);
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn diag(
        &self,
        span: Option<Range<usize>>,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(self.file, self.text, span, field, message)
    }

    fn assessment(&mut self) -> Option<Base> {
        let doc = match toml_edit::Document::parse(self.text) {
            Ok(doc) => doc,
            Err(e) => {
                let message = e.message().trim_end().to_owned();
                let message = if message.starts_with("expected") || message.starts_with("invalid") {
                    message
                } else {
                    format!("invalid TOML: {message}")
                };
                self.error(e.span(), "(syntax)", message);
                return None;
            }
        };
        let root = doc.as_table();
        self.keys(root, "", &TOP_KEYS);
        let errors_before = self.error_count();

        let report = self.report(root);
        let simulation = self.simulation(root);
        let horizon = self.horizon(root);
        let (method, kappa, pair_default, composability_span) = self.composability(root);
        let categories = self.categories(root);
        let thresholds = self.thresholds(root);
        let ids = category_keys(self.text).unwrap_or_default();
        let scenarios = self.scenarios(root, &ids);

        if self.error_count() > errors_before {
            return None;
        }
        Some(Base {
            report: report?,
            simulation: simulation?,
            horizon: horizon?,
            method: method?,
            kappa,
            pair_default,
            categories: categories?,
            thresholds: thresholds?,
            scenarios: scenarios?,
            composability_span,
        })
    }

    fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    /// Reports keys of `table` not in `allowed`, with a suggestion when one is close.
    fn keys(&mut self, table: &dyn TableLike, path: &str, allowed: &[&str]) {
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

    fn table<'d>(
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

    fn value<'d>(
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

    fn string(
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

    fn nonempty_string(
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

    fn integer(
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

    fn date(
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

    fn string_array(
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
    fn estimate(
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

    fn estimate_value(&mut self, v: &Value, field: &str) -> Option<Estimate> {
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

    fn positive_multiplier(
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

    fn unit_interval(
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

    fn report(&mut self, root: &dyn TableLike) -> Option<ReportMeta> {
        let t = self.table(root, "report", "", None)?;
        let anchor = span_of(root, "report");
        self.keys(t, "report", &REPORT_KEYS);
        let title = self.nonempty_string(t, "title", "report", anchor.clone());
        let version = self
            .string(t, "version", "report", true, anchor.clone())
            .and_then(|(s, span)| match Version::parse(&s) {
                Ok(v) => Some(v),
                Err(message) => {
                    let d = self.diag(span, "report.version", message).with_hint(
                        "versions look like `0.1.0`; the output goes to report/v<version>/",
                    );
                    self.push(d);
                    None
                }
            });
        let date = self.date(t, "date", "report", anchor.clone());
        let authors = self.string_array(t, "authors", "report", true, anchor.clone());
        let release_date = self.date(t, "release_date", "report", anchor.clone());
        let keywords = self.string_array(t, "keywords", "report", false, anchor.clone());
        let scope = match t.get("scope") {
            Some(_) => self
                .string(t, "scope", "report", false, anchor)
                .map(|s| s.0),
            None => Some(String::new()),
        };
        Some(ReportMeta {
            title: title?,
            version: version?,
            date: date?,
            authors: authors?,
            release_date: release_date?,
            keywords: keywords?,
            scope: scope?,
        })
    }

    fn simulation(&mut self, root: &dyn TableLike) -> Option<Simulation> {
        let t = self.table(root, "simulation", "", None)?;
        let anchor = span_of(root, "simulation");
        self.keys(t, "simulation", &SIMULATION_KEYS);
        let samples = self
            .integer(t, "samples", "simulation", anchor.clone())
            .and_then(|(n, span)| {
                if n >= 1 && n as u64 <= MAX_SAMPLES {
                    Some(n as u64)
                } else {
                    let d = self
                        .diag(
                            span,
                            "simulation.samples",
                            format!("expected a sample count from 1 to {MAX_SAMPLES}, found {n}"),
                        )
                        .with_hint("100000 samples give quantiles to about 1% relative error");
                    self.push(d);
                    None
                }
            });
        let seed = self
            .integer(t, "seed", "simulation", anchor)
            .and_then(|(n, span)| {
                if n >= 0 {
                    Some(n as u64)
                } else {
                    self.error(
                        span,
                        "simulation.seed",
                        format!("expected a seed of 0 or more, found {n}"),
                    );
                    None
                }
            });
        Some(Simulation {
            samples: samples?,
            seed: seed?,
        })
    }

    fn horizon(&mut self, root: &dyn TableLike) -> Option<Horizon> {
        let t = self.table(root, "horizon", "", None)?;
        let anchor = span_of(root, "horizon");
        self.keys(t, "horizon", &HORIZON_KEYS);
        let months = self.integer(t, "months", "horizon", anchor.clone());
        let step = self.integer(t, "step_months", "horizon", anchor);
        let (months, months_span) = months?;
        let (step, step_span) = step?;
        let mut ok = true;
        if !(1..=MAX_HORIZON_MONTHS).contains(&months) {
            self.error(
                months_span,
                "horizon.months",
                format!("expected a horizon from 1 to {MAX_HORIZON_MONTHS} months, found {months}"),
            );
            ok = false;
        }
        if step < 1 {
            self.error(
                step_span.clone(),
                "horizon.step_months",
                format!("expected a step of at least 1 month, found {step}"),
            );
            ok = false;
        }
        if ok && months % step != 0 {
            let divisors: Vec<String> = (1..=months)
                .filter(|d| months % d == 0 && *d <= 12)
                .map(|d| d.to_string())
                .collect();
            let d = self
                .diag(
                    step_span,
                    "horizon.step_months",
                    format!(
                        "expected a step that divides the horizon of {months} months, found {step}"
                    ),
                )
                .with_hint(format!(
                    "steps that divide {months}: {}",
                    divisors.join(", ")
                ));
            self.push(d);
            ok = false;
        }
        ok.then_some(Horizon {
            months: months as u32,
            step_months: step as u32,
        })
    }

    fn composability(
        &mut self,
        root: &dyn TableLike,
    ) -> (
        Option<Method>,
        Option<Estimate>,
        Option<Estimate>,
        Option<Range<usize>>,
    ) {
        let Some(t) = self.table(root, "composability", "", None) else {
            return (None, None, None, None);
        };
        let anchor = span_of(root, "composability");
        self.keys(t, "composability", &COMPOSABILITY_KEYS);
        let method = self.method(t, "composability", anchor.clone());
        let kappa = self.estimate(t, "kappa", "composability", false, None);
        let kappa = self.unit_interval(kappa, span_of(t, "kappa"), "composability.kappa");
        let pair_default = self.estimate(t, "pair_default", "composability", false, None);
        let pair_default = self.unit_interval(
            pair_default,
            span_of(t, "pair_default"),
            "composability.pair_default",
        );
        (method, kappa, pair_default, anchor)
    }

    fn method(
        &mut self,
        t: &dyn TableLike,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<Method> {
        let (name, span) = self.string(t, "method", path, true, anchor)?;
        if let Some(m) = Method::from_name(&name) {
            return Some(m);
        }
        let d = self
            .diag(
                span,
                &join(path, "method"),
                format!("expected one of {}, found `{name}`", list(&Method::NAMES)),
            )
            .with_hint_opt(
                did_you_mean(&name, Method::NAMES).map(|s| format!("did you mean `{s}`?")),
            );
        self.push(d);
        None
    }

    fn categories(&mut self, root: &dyn TableLike) -> Option<Vec<Category>> {
        let t = self.table(root, "categories", "", None)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (id, item) in t.iter() {
            let path = format!("categories.{id}");
            let key_span = t.key(id).and_then(toml_edit::Key::span);
            if !valid_id(id) {
                self.error(
                    key_span.clone(),
                    &path,
                    format!(
                        "expected a category id of lower-case letters, digits and `_`, found `{id}`"
                    ),
                );
                ok = false;
            }
            let Some(c) = item.as_table_like() else {
                self.error(
                    key_span,
                    &path,
                    format!("expected a table [{path}], found {}", type_name(item)),
                );
                ok = false;
                continue;
            };
            match self.category(id, c, &path, key_span) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        if out.is_empty() && ok {
            let d = self
                .diag(
                    span_of(root, "categories"),
                    "categories",
                    "expected at least one category, found none",
                )
                .with_hint("add a table such as [categories.scaffolding]");
            self.push(d);
            return None;
        }
        ok.then_some(out)
    }

    fn category(
        &mut self,
        id: &str,
        t: &dyn TableLike,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<Category> {
        self.keys(t, path, &CATEGORY_KEYS);
        let label = self.nonempty_string(t, "label", path, anchor.clone());
        let available = self.estimate(t, "available", path, true, anchor.clone());
        let available = self.positive_multiplier(available, t, "available", path);
        let elicited = if t.contains_key("elicited") {
            let e = self.estimate(t, "elicited", path, false, None);
            self.positive_multiplier(e, t, "elicited", path)
        } else {
            Some(Estimate::point(1.0).expect("1 is finite"))
        };
        let growth = self.growth(t, path, anchor.clone());
        let cap = if t.contains_key("cap") {
            let e = self.estimate(t, "cap", path, false, None);
            self.positive_multiplier(e, t, "cap", path).map(Some)
        } else {
            Some(None)
        };
        let rationale = match t.get("rationale") {
            Some(_) => self.string(t, "rationale", path, false, None).map(|s| s.0),
            None => Some(String::new()),
        };
        if rationale.as_ref().is_some_and(|r| r.trim().is_empty()) {
            let d = self
                .diag(
                    anchor,
                    &join(path, "rationale"),
                    "expected a rationale for the category's estimates, found none",
                )
                .with_hint("say where each value comes from, or why it is an assumption")
                .warning();
            self.push(d);
        }
        Some(Category {
            id: id.to_owned(),
            label: label?,
            available: available?,
            elicited: elicited?,
            growth: growth?,
            cap: cap?,
            rationale: rationale?,
        })
    }

    fn growth(
        &mut self,
        t: &dyn TableLike,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<Growth> {
        let v = self.value(t, "growth", path, true, anchor)?;
        if v.as_str().is_some_and(|s| s.trim() == "fit") {
            return Some(Growth::Fit);
        }
        self.estimate_value(v, &join(path, "growth"))
            .map(Growth::Estimate)
    }

    fn thresholds(&mut self, root: &dyn TableLike) -> Option<Vec<Threshold>> {
        let Some(item) = root.get("thresholds") else {
            let d = self
                .diag(
                    None,
                    "thresholds",
                    "expected at least one [[thresholds]] entry, found none",
                )
                .with_hint("add for example [[thresholds]] with label = \"4x\", multiplier = 4");
            self.push(d);
            return None;
        };
        let Some(array) = item.as_array_of_tables() else {
            self.error(
                span_of(root, "thresholds"),
                "thresholds",
                format!(
                    "expected an array of tables [[thresholds]], found {}",
                    type_name(item)
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, t) in array.iter().enumerate() {
            let path = format!("thresholds[{i}]");
            let anchor = t.span();
            self.keys(t, &path, &THRESHOLD_KEYS);
            let label = self.nonempty_string(t, "label", &path, anchor.clone());
            let multiplier = self.value(t, "multiplier", &path, true, anchor.clone()).and_then(|v| {
                let x = v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
                match x {
                    Some(x) if x > 1.0 && x.is_finite() => Some(x),
                    Some(x) => {
                        let d = self
                            .diag(
                                v.span(),
                                &join(&path, "multiplier"),
                                format!(
                                    "expected a threshold multiplier above 1, found {}",
                                    format_number(x)
                                ),
                            )
                            .with_hint("a threshold is a growth of effective compute, such as 4 for 4x");
                        self.push(d);
                        None
                    }
                    None => {
                        self.error(
                            v.span(),
                            &join(&path, "multiplier"),
                            format!("expected a number, found {}", value_type(v)),
                        );
                        None
                    }
                }
            });
            let policy = match t.get("policy") {
                Some(_) => self.string(t, "policy", &path, false, None).map(|s| s.0),
                None => {
                    let d = self
                        .diag(
                            anchor,
                            &join(&path, "policy"),
                            "expected the policy this threshold comes from, found none",
                        )
                        .with_hint("add `policy = \"...\"` naming the policy and its source")
                        .warning();
                    self.push(d);
                    Some(String::new())
                }
            };
            match (label, multiplier, policy) {
                (Some(label), Some(multiplier), Some(policy)) => out.push(Threshold {
                    label,
                    multiplier,
                    policy,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn scenarios(
        &mut self,
        root: &dyn TableLike,
        categories: &[String],
    ) -> Option<Vec<ScenarioDef>> {
        let Some(item) = root.get("scenarios") else {
            return Some(Vec::new());
        };
        let Some(t) = item.as_table_like() else {
            self.error(
                span_of(root, "scenarios"),
                "scenarios",
                format!("expected a table [scenarios], found {}", type_name(item)),
            );
            return None;
        };
        let ids: Vec<&str> = categories.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        let mut ok = true;
        for (id, item) in t.iter() {
            let path = format!("scenarios.{id}");
            let key_span = t.key(id).and_then(toml_edit::Key::span);
            if !valid_id(id) {
                self.error(
                    key_span.clone(),
                    &path,
                    format!(
                        "expected a scenario id of lower-case letters, digits and `_`, found `{id}`"
                    ),
                );
                ok = false;
            }
            let Some(s) = item.as_table_like() else {
                self.error(
                    key_span,
                    &path,
                    format!("expected a table [{path}], found {}", type_name(item)),
                );
                ok = false;
                continue;
            };
            match self.scenario(id, s, &path, key_span.as_ref(), &ids) {
                Some(def) => out.push(def),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn scenario(
        &mut self,
        id: &str,
        t: &dyn TableLike,
        path: &str,
        anchor: Option<&Range<usize>>,
        category_ids: &[&str],
    ) -> Option<ScenarioDef> {
        let errors_before = self.error_count();
        for (key, _) in t.iter() {
            if !SCENARIO_KEYS.contains(&key) {
                let d = self
                    .diag(
                        t.key(key).and_then(toml_edit::Key::span),
                        &join(path, key),
                        format!(
                            "expected a scenario to override one of {}, found `{key}`, which does not exist",
                            list(&SCENARIO_KEYS)
                        ),
                    )
                    .with_hint_opt(
                        did_you_mean(key, SCENARIO_KEYS).map(|s| format!("did you mean `{s}`?")),
                    );
                self.push(d);
            }
        }
        let label = self.nonempty_string(t, "label", path, anchor.cloned());
        let description = match t.get("description") {
            Some(_) => self
                .string(t, "description", path, false, None)
                .map(|s| s.0),
            None => Some(String::new()),
        };
        let mut overrides = Vec::new();
        if let Some(item) = t.get("categories") {
            let cpath = join(path, "categories");
            if let Some(cats) = item.as_table_like() {
                for (cid, citem) in cats.iter() {
                    let cat_path = join(&cpath, cid);
                    if !category_ids.contains(&cid) {
                        let d = self
                            .diag(
                                cats.key(cid).and_then(toml_edit::Key::span),
                                &cat_path,
                                format!(
                                    "expected a scenario to override a defined category ({}), found `{cid}`, which does not exist",
                                    list(category_ids)
                                ),
                            )
                            .with_hint_opt(
                                did_you_mean(cid, category_ids.iter().copied())
                                    .map(|s| format!("did you mean `{s}`?")),
                            );
                        self.push(d);
                        continue;
                    }
                    let Some(fields) = citem.as_table_like() else {
                        self.error(
                            cats.key(cid).and_then(toml_edit::Key::span),
                            &cat_path,
                            format!("expected a table of overrides, found {}", type_name(citem)),
                        );
                        continue;
                    };
                    for (field, fitem) in fields.iter() {
                        let fpath = join(&cat_path, field);
                        if !SCENARIO_CATEGORY_KEYS.contains(&field) {
                            let d = self
                                .diag(
                                    fields.key(field).and_then(toml_edit::Key::span),
                                    &fpath,
                                    format!(
                                        "expected a scenario to override one of {}, found `{field}`, which does not exist",
                                        list(&SCENARIO_CATEGORY_KEYS)
                                    ),
                                )
                                .with_hint_opt(
                                    did_you_mean(field, SCENARIO_CATEGORY_KEYS)
                                        .map(|s| format!("did you mean `{s}`?")),
                                );
                            self.push(d);
                            continue;
                        }
                        let Some(v) = fitem.as_value() else {
                            self.error(
                                span_of(fields, field),
                                &fpath,
                                format!("expected a value, found {}", type_name(fitem)),
                            );
                            continue;
                        };
                        let value_text = value_text(v);
                        let kind = if field == "growth" {
                            if v.as_str().is_some_and(|s| s.trim() == "fit") {
                                Some(OverrideKind::Growth(cid.to_owned(), Growth::Fit))
                            } else {
                                self.estimate_value(v, &fpath).map(|e| {
                                    OverrideKind::Growth(cid.to_owned(), Growth::Estimate(e))
                                })
                            }
                        } else {
                            let e = self.estimate_value(v, &fpath);
                            self.positive_multiplier(e, fields, field, &cat_path)
                                .map(|e| match field {
                                    "available" => OverrideKind::Available(cid.to_owned(), e),
                                    "elicited" => OverrideKind::Elicited(cid.to_owned(), e),
                                    _ => OverrideKind::Cap(cid.to_owned(), e),
                                })
                        };
                        if let Some(kind) = kind {
                            overrides.push(Override {
                                path: format!("categories.{cid}.{field}"),
                                value_text,
                                kind,
                            });
                        }
                    }
                }
            } else {
                self.error(
                    span_of(t, "categories"),
                    &cpath,
                    format!(
                        "expected a table of category overrides, found {}",
                        type_name(item)
                    ),
                );
            }
        }
        if let Some(item) = t.get("composability") {
            let cpath = join(path, "composability");
            if let Some(c) = item.as_table_like() {
                for (key, _) in c.iter() {
                    if !SCENARIO_COMPOSABILITY_KEYS.contains(&key) {
                        let d = self
                            .diag(
                                c.key(key).and_then(toml_edit::Key::span),
                                &join(&cpath, key),
                                format!(
                                    "expected a scenario to override one of {}, found `{key}`, which does not exist",
                                    list(&SCENARIO_COMPOSABILITY_KEYS)
                                ),
                            )
                            .with_hint_opt(
                                did_you_mean(key, SCENARIO_COMPOSABILITY_KEYS)
                                    .map(|s| format!("did you mean `{s}`?")),
                            );
                        self.push(d);
                    }
                }
                if c.contains_key("method")
                    && let Some(m) = self.method(c, &cpath, None)
                {
                    overrides.push(Override {
                        path: "composability.method".to_owned(),
                        value_text: m.name().to_owned(),
                        kind: OverrideKind::Method(m),
                    });
                }
                if let Some(v) = c.get("kappa").and_then(Item::as_value) {
                    let kpath = join(&cpath, "kappa");
                    let e = self.estimate_value(v, &kpath);
                    if let Some(e) = self.unit_interval(e, v.span(), &kpath) {
                        overrides.push(Override {
                            path: "composability.kappa".to_owned(),
                            value_text: value_text(v),
                            kind: OverrideKind::Kappa(e),
                        });
                    }
                }
            } else {
                self.error(
                    span_of(t, "composability"),
                    &cpath,
                    format!("expected a table, found {}", type_name(item)),
                );
            }
        }
        if self.error_count() > errors_before {
            return None;
        }
        Some(ScenarioDef {
            id: id.to_owned(),
            label: label?,
            description: description?,
            overrides,
        })
    }
}

/// An estimate as the "found" half of a range check: a point as itself, a distribution with
/// the range it covers.
fn found_range(e: &Estimate) -> String {
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

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => format_number(*f.value()),
        Value::Boolean(b) => b.value().to_string(),
        other => value_type(other),
    }
}

/// Bytes between the start of a string value's raw text and its content (the quotes).
fn string_content_offset(raw: &str) -> usize {
    if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        usize::from(raw.starts_with('"') || raw.starts_with('\''))
    }
}

fn span_of(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    table
        .get(key)
        .and_then(|item| match item {
            Item::Value(v) => v.span(),
            Item::Table(t) => t.span(),
            _ => item.span(),
        })
        .or_else(|| table.key(key).and_then(toml_edit::Key::span))
}

fn type_name(item: &Item) -> String {
    match item {
        Item::None => "nothing".to_owned(),
        Item::Value(v) => value_type(v),
        Item::Table(_) => "a table".to_owned(),
        Item::ArrayOfTables(_) => "an array of tables".to_owned(),
    }
}

fn value_type(v: &Value) -> String {
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

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

// ---------------------------------------------------------------------------------------------
// CSV files

const EVIDENCE_COLUMNS: [&str; 9] = [
    "id",
    "name",
    "category",
    "benchmark",
    "ceg",
    "date",
    "source",
    "evidence",
    "notes",
];
const EVIDENCE_REQUIRED: [&str; 7] = [
    "id", "name", "category", "ceg", "date", "source", "evidence",
];
const PAIR_COLUMNS: [&str; 3] = ["category_a", "category_b", "composability"];

struct Csv<'a> {
    file: &'a str,
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

/// One CSV record: its fields, the byte span of each, and its 1-based line and row.
struct Record {
    fields: Vec<String>,
    spans: Vec<Range<usize>>,
    line: usize,
    row: usize,
    start: usize,
}

impl Csv<'_> {
    fn push(
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

    /// Reads the header and the records; checks required and unknown columns.
    fn read(
        &mut self,
        known: &[&str],
        required: &[&str],
    ) -> Option<(BTreeMap<String, usize>, Vec<Record>)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(self.text.as_bytes());
        let mut records = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let pos = record
                        .position()
                        .expect("records read from a reader have positions");
                    let start = pos.byte() as usize;
                    let spans = field_spans(self.text, start, record.len());
                    records.push(Record {
                        fields: record.iter().map(|s| s.trim().to_owned()).collect(),
                        spans,
                        line: pos.line() as usize,
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
                let hint = did_you_mean(name, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"));
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

    fn evidence(&mut self, categories: Option<&[String]>) -> Option<Vec<EvidenceRow>> {
        let (columns, rows) = self.read(&EVIDENCE_COLUMNS, &EVIDENCE_REQUIRED)?;
        let mut out = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut ok = true;
        for r in &rows {
            let get = |name: &str| -> (&str, Option<Range<usize>>) {
                columns.get(name).map_or(("", None), |&i| {
                    (r.fields[i].as_str(), Some(r.spans[i].clone()))
                })
            };
            let field = |name: &str| format!("row {}, column {name}", r.row);
            let errors_before = self.diags.iter().filter(|d| d.is_error()).count();

            let (id, id_span) = get("id");
            if id.is_empty() {
                self.push(id_span, field("id"), "expected an id, found an empty field");
            } else if let Some(first) = seen.get(id) {
                let d = self.push(
                    id_span,
                    field("id"),
                    format!("expected a unique id, found `{id}` again"),
                );
                d.hint = Some(format!("`{id}` is first used on line {first}"));
            } else {
                seen.insert(id.to_owned(), r.line);
            }
            let (name, name_span) = get("name");
            if name.is_empty() {
                self.push(
                    name_span,
                    field("name"),
                    "expected a name, found an empty field",
                );
            }
            let (category, category_span) = get("category");
            if let Some(ids) = categories
                && !ids.iter().any(|c| c == category)
            {
                let hint = did_you_mean(category, ids.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"))
                    .or_else(|| {
                        Some("define the category in assessment.toml under [categories]".to_owned())
                    });
                let d = self.push(
                    category_span,
                    field("category"),
                    format!(
                        "expected a category defined in assessment.toml ({}), found `{category}`",
                        ids.join(", ")
                    ),
                );
                d.hint = hint;
            }
            let (ceg_text, ceg_span) = get("ceg");
            let ceg = match Estimate::parse(ceg_text) {
                Ok(e) if e.is_strictly_positive() => Some(e),
                Ok(e) => {
                    let d = self.push(
                        ceg_span,
                        field("ceg"),
                        format!(
                            "expected a CEG multiplier greater than 0, found `{}`",
                            e.text()
                        ),
                    );
                    d.hint = Some(
                        "a CEG is a multiplier on training compute: 1 means no gain".to_owned(),
                    );
                    None
                }
                Err(e) => {
                    let span = ceg_span.map(|s| estimate_span(self.text, s, ceg_text, &e));
                    let d = self.push(
                        span,
                        field("ceg"),
                        format!("malformed estimate: {}", e.message),
                    );
                    d.hint = e.hint;
                    None
                }
            };
            let (date_text, date_span) = get("date");
            let date = match Date::parse(date_text) {
                Ok(d) => Some(d),
                Err(message) => {
                    self.push(date_span, field("date"), message);
                    None
                }
            };
            let (source, source_span) = get("source");
            if source.is_empty() {
                let d = self.push(
                    source_span.or(Some(r.start..r.start)),
                    field("source"),
                    "expected a source (a URL or a citation), found an empty field",
                );
                d.severity = crate::diagnostic::Severity::Warning;
                d.hint = Some("every row cites a source, or is graded `assumption` with its reason in the notes".to_owned());
            }
            let (grade_text, grade_span) = get("evidence");
            let grade = match grade_text {
                "measured" => Some(Grade::Measured),
                "secondary" => Some(Grade::Secondary),
                "assumption" => Some(Grade::Assumption),
                other => {
                    let hint =
                        did_you_mean(other, Grade::NAMES).map(|s| format!("did you mean `{s}`?"));
                    let d = self.push(
                        grade_span.clone(),
                        field("evidence"),
                        format!("expected one of {}, found `{other}`", list(&Grade::NAMES)),
                    );
                    d.hint = hint;
                    None
                }
            };
            let (notes, notes_span) = get("notes");
            if grade == Some(Grade::Assumption) && notes.is_empty() {
                let d = self.push(
                    notes_span.or(grade_span.clone()),
                    field("notes"),
                    "expected the reason for an `assumption` row in its notes, found an empty field",
                );
                d.severity = crate::diagnostic::Severity::Warning;
                d.hint = Some(
                    "say in the notes why the value is assumed and what it rests on".to_owned(),
                );
            }
            let (benchmark, _) = get("benchmark");
            let errors_after = self.diags.iter().filter(|d| d.is_error()).count();
            if errors_after > errors_before {
                ok = false;
                continue;
            }
            if let (Some(ceg), Some(date), Some(evidence)) = (ceg, date, grade) {
                out.push(EvidenceRow {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    category: category.to_owned(),
                    benchmark: benchmark.to_owned(),
                    ceg,
                    date,
                    source: source.to_owned(),
                    evidence,
                    notes: notes.to_owned(),
                    line: r.line,
                });
            }
        }
        ok.then_some(out)
    }

    fn pairs(&mut self, categories: Option<&[String]>) -> Option<Vec<PairComposability>> {
        let (columns, rows) = self.read(&PAIR_COLUMNS, &PAIR_COLUMNS)?;
        let mut out = Vec::new();
        let mut seen = BTreeMap::new();
        let mut ok = true;
        for r in &rows {
            let get = |name: &str| {
                let i = columns[name];
                (r.fields[i].as_str(), Some(r.spans[i].clone()))
            };
            let field = |name: &str| format!("row {}, column {name}", r.row);
            let errors_before = self.diags.iter().filter(|d| d.is_error()).count();
            let (a, a_span) = get("category_a");
            let (b, b_span) = get("category_b");
            for (c, span, col) in [
                (a, a_span.clone(), "category_a"),
                (b, b_span.clone(), "category_b"),
            ] {
                if let Some(ids) = categories
                    && !ids.iter().any(|id| id == c)
                {
                    let hint = did_you_mean(c, ids.iter().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?"));
                    let d = self.push(
                        span,
                        field(col),
                        format!(
                            "expected a category defined in assessment.toml ({}), found `{c}`",
                            ids.join(", ")
                        ),
                    );
                    d.hint = hint;
                }
            }
            if a == b {
                self.push(
                    b_span.clone(),
                    field("category_b"),
                    format!("expected two different categories, found `{a}` twice"),
                );
            }
            let key = ordered_pair(a, b);
            if let Some(line) = seen.insert((key.0.to_owned(), key.1.to_owned()), r.line) {
                let d = self.push(
                    a_span,
                    field("category_a"),
                    format!("expected each pair once, found {a}/{b} again"),
                );
                d.hint = Some(format!("the pair is first listed on line {line}"));
            }
            let (text, span) = get("composability");
            let value = match Estimate::parse(text) {
                Ok(e) => {
                    let (lo, hi) = e.support();
                    if lo >= 0.0 && hi <= 1.0 {
                        Some(e)
                    } else {
                        let d = self.push(
                            span,
                            field("composability"),
                            format!(
                                "expected a composability in [0, 1], found {}",
                                found_range(&e)
                            ),
                        );
                        d.hint = Some(
                            "1 means the two stack fully, 0 that only the larger counts".to_owned(),
                        );
                        None
                    }
                }
                Err(e) => {
                    let span = span.map(|s| estimate_span(self.text, s, text, &e));
                    let d = self.push(
                        span,
                        field("composability"),
                        format!("malformed estimate: {}", e.message),
                    );
                    d.hint = e.hint;
                    None
                }
            };
            if self.diags.iter().filter(|d| d.is_error()).count() > errors_before {
                ok = false;
                continue;
            }
            if let Some(composability) = value {
                out.push(PairComposability {
                    a: a.to_owned(),
                    b: b.to_owned(),
                    composability,
                });
            }
        }
        ok.then_some(out)
    }
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
fn field_spans(text: &str, start: usize, count: usize) -> Vec<Range<usize>> {
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
    fn field_spans_skip_quotes_and_handle_escapes() {
        let text = "a,\"b,\"\"c\",d\n";
        let spans = field_spans(text, 0, 3);
        assert_eq!(&text[spans[0].clone()], "a");
        assert_eq!(&text[spans[1].clone()], "b,\"\"c");
        assert_eq!(&text[spans[2].clone()], "d");
    }
}
