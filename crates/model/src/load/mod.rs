//! Loading and validating the inputs: assessment.toml, enhancements.csv, composability.csv,
//! scaling.csv.
//!
//! The caller reads the files and hands their bytes over as [`InputFiles`]; this module never
//! touches the filesystem. Every problem is collected before loading gives up, each as a
//! [`Diagnostic`] with file, line, column and field.
//!
//! One file per input: `assessment.rs` reads the sections of assessment.toml into the base
//! case and `scenarios.rs` its `[scopes]` and `[scenarios]`, both with the typed getters of
//! `toml.rs`; `enhancements.rs`, `composability.rs` and `scaling.rs` read their CSV files with
//! `csv.rs`. [`load()`]
//! below runs them all, then joins the CSV rows to the base case and resolves the scenarios.
//!
//! To add an input file: give its validated type a home in `crate::assessment` (and a field
//! of [`Assessment`]); add its name constant and a field of [`InputFiles`] here (with
//! [`InputFiles::files`]); write its loader as a new file beside these, a `Csv` or `Toml`
//! method that pushes a diagnostic for every problem and returns `None` when there was one,
//! and call it from [`load()`]; add a bad-input case, a patch against the valid inputs, to
//! `tests/fixtures/bad/` (its documentation is in `tests/it/fixtures.rs`) with its snapshot.
//! A new section of assessment.toml is a `Toml` method in `assessment.rs` that starts from
//! `Toml::section` (or `Toml::id_tables` for a table keyed by id).

mod assessment;
mod composability;
mod csv;
mod enhancements;
mod evaluation;
mod evidence_columns;
mod gap;
mod inference;
pub mod limits;
mod policies;
mod scaling;
mod scenarios;
mod text;
mod toml;

use crate::assessment::{Assessment, Category, Composability, EvidenceRow, PairComposability};
use crate::diagnostic::Diagnostic;

use self::assessment::Base;
use self::composability::check_composability;
use self::csv::Csv;
use self::scenarios::resolve;
use self::toml::{Toml, category_keys, scope_keys};

pub use self::assessment::MAX_HORIZON_MONTHS;
pub use self::csv::csv_field;
pub use self::policies::MAX_TRIGGER_MONTHS;
pub use self::text::{MAX_METADATA_CHARS, TextRules};
pub use self::toml::toml_value_span;

/// The assessment file's name in an inputs folder.
pub const ASSESSMENT_FILE: &str = "assessment.toml";
/// The evidence file's name in an inputs folder.
pub const ENHANCEMENTS_FILE: &str = "enhancements.csv";
/// The optional pairwise composability file's name in an inputs folder.
pub const COMPOSABILITY_FILE: &str = "composability.csv";
/// The optional scaling-table file's name in an inputs folder.
pub const SCALING_FILE: &str = "scaling.csv";
/// The optional registry of safety-framework clauses in an inputs folder.
pub const POLICIES_FILE: &str = "policies.toml";

/// The largest input file (assessment.toml or a CSV file), in bytes: some 16 times the
/// largest evidence table the limits of [`limits`] allow ([`limits::MAX_ROWS`] rows), and thousands of times a real
/// assessment's. The caller checks it before reading; [`load_with`] refuses a larger file too.
pub const MAX_INPUT_BYTES: u64 = 16 << 20;

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
    /// scaling.csv, when present.
    pub scaling: Option<SourceFile>,
    /// policies.toml, when present.
    pub policies: Option<SourceFile>,
}

impl InputFiles {
    /// Inputs held in memory, each named in diagnostics as in an inputs folder
    /// ([`ASSESSMENT_FILE`], [`ENHANCEMENTS_FILE`]); without composability.csv and
    /// scaling.csv.
    pub fn new(assessment: impl Into<Vec<u8>>, enhancements: impl Into<Vec<u8>>) -> Self {
        let file = |name: &str, bytes: Vec<u8>| SourceFile {
            name: name.to_owned(),
            bytes,
        };
        InputFiles {
            assessment: file(ASSESSMENT_FILE, assessment.into()),
            enhancements: file(ENHANCEMENTS_FILE, enhancements.into()),
            composability: None,
            scaling: None,
            policies: None,
        }
    }

    /// These inputs with policies.toml ([`POLICIES_FILE`]).
    #[must_use]
    pub fn with_policies(mut self, policies: impl Into<Vec<u8>>) -> Self {
        self.policies = Some(SourceFile {
            name: POLICIES_FILE.to_owned(),
            bytes: policies.into(),
        });
        self
    }

    /// These inputs with composability.csv ([`COMPOSABILITY_FILE`]).
    #[must_use]
    pub fn with_composability(mut self, composability: impl Into<Vec<u8>>) -> Self {
        self.composability = Some(SourceFile {
            name: COMPOSABILITY_FILE.to_owned(),
            bytes: composability.into(),
        });
        self
    }

    /// These inputs with scaling.csv ([`SCALING_FILE`]).
    #[must_use]
    pub fn with_scaling(mut self, scaling: impl Into<Vec<u8>>) -> Self {
        self.scaling = Some(SourceFile {
            name: SCALING_FILE.to_owned(),
            bytes: scaling.into(),
        });
        self
    }

    /// The text of a file by its diagnostic name, when it is valid UTF-8 (for rendering).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.files()
            .find(|f| f.name == name)
            .and_then(|f| std::str::from_utf8(&f.bytes).ok())
    }

    /// Sorts diagnostics into reading order: by file (in the order of [`InputFiles::files`],
    /// unknown files last), then line and column.
    pub fn sort_diagnostics(&self, diags: &mut [Diagnostic]) {
        let rank = |name: &str| {
            self.files()
                .position(|f| f.name == name)
                .unwrap_or(usize::MAX)
        };
        diags.sort_by_key(|d| (rank(&d.file), d.line, d.column));
    }

    /// Every file, assessment first.
    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        [
            Some(&self.assessment),
            Some(&self.enhancements),
            self.composability.as_ref(),
            self.scaling.as_ref(),
            self.policies.as_ref(),
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

/// Loads and validates the inputs, trusting every character to be drawable (see
/// [`load_with`]).
pub fn load(files: &InputFiles) -> Result<Loaded, LoadError> {
    load_with(files, TextRules::default())
}

/// Loads and validates the inputs; `rules` says which characters the report's fonts can draw,
/// so that text the report cannot typeset is refused here, where it was written.
pub fn load_with(files: &InputFiles, rules: TextRules<'_>) -> Result<Loaded, LoadError> {
    let mut diags = Vec::new();
    for file in files.files() {
        if file.bytes.len() as u64 > MAX_INPUT_BYTES {
            diags.push(Diagnostic::error(
                &file.name,
                "",
                None,
                "(file)",
                format!(
                    "expected an input file of at most {} MiB, found {} bytes",
                    MAX_INPUT_BYTES >> 20,
                    file.bytes.len()
                ),
            ));
        }
    }
    if !diags.is_empty() {
        return Err(LoadError { diagnostics: diags });
    }
    let assessment_text = utf8(&files.assessment, &mut diags);
    let enhancements_text = utf8(&files.enhancements, &mut diags);
    let composability_text = files
        .composability
        .as_ref()
        .map(|f| (f, utf8(f, &mut diags)));
    let policies_text = files.policies.as_ref().map(|f| (f, utf8(f, &mut diags)));
    for (i, file) in files.files().enumerate() {
        if let Ok(text) = std::str::from_utf8(&file.bytes) {
            // assessment.toml comes first and policies.toml last; the others are CSV files.
            let toml = i == 0
                || files
                    .policies
                    .as_ref()
                    .is_some_and(|p| std::ptr::eq(p, file));
            let kind = if toml {
                text::Kind::Toml
            } else {
                text::Kind::Csv
            };
            text::scan(&file.name, text, kind, rules, &mut diags);
        }
    }

    // The registry first: the thresholds of assessment.toml name its clauses. `None` when it
    // has errors (the thresholds' references are then not checked).
    let clauses = match policies_text {
        Some((file, Some(text))) => {
            let mut ctx = Toml {
                file: &file.name,
                text,
                diags: &mut diags,
            };
            ctx.policies()
        }
        Some((_, None)) => None,
        None => Some(Vec::new()),
    };
    let base = assessment_text.and_then(|text| {
        let mut ctx = Toml {
            file: &files.assessment.name,
            text,
            diags: &mut diags,
        };
        ctx.assessment(clauses.as_deref(), files.policies.is_some())
    });

    // The CSV files are checked against the categories assessment.toml defines, even when a
    // category's own fields have errors, so one pass reports both.
    let category_ids = assessment_text.and_then(category_keys);
    let scope_ids = assessment_text.and_then(scope_keys);

    let evidence = enhancements_text.and_then(|text| {
        let mut csv = Csv {
            file: &files.enhancements.name,
            text,
            diags: &mut diags,
        };
        csv.evidence(category_ids.as_deref(), scope_ids.as_deref())
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

    let scaling = match files.scaling.as_ref().map(|f| (f, utf8(f, &mut diags))) {
        Some((file, Some(text))) => {
            let mut csv = Csv {
                file: &file.name,
                text,
                diags: &mut diags,
            };
            csv.scaling()
        }
        Some((_, None)) => None,
        None => Some(Vec::new()),
    };

    let result = match (base, evidence, pairs, scaling, clauses) {
        (Some(base), Some(evidence), Some(pairs), Some(scaling), Some(clauses)) => {
            let mut a = finish(base, evidence, pairs, files, &mut diags);
            a.scaling = scaling;
            a.clauses = clauses;
            Some(a)
        }
        _ => None,
    };
    files.sort_diagnostics(&mut diags);
    match result {
        Some(assessment) if !diags.iter().any(Diagnostic::is_error) => Ok(Loaded {
            assessment,
            warnings: diags,
        }),
        _ => Err(LoadError { diagnostics: diags }),
    }
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

/// Joins the CSV rows to the base case and resolves the scenarios.
fn finish(
    base: Base,
    evidence: Vec<EvidenceRow>,
    pairs: Vec<PairComposability>,
    files: &InputFiles,
    diags: &mut Vec<Diagnostic>,
) -> Assessment {
    let composability = Composability {
        method: base.method,
        kappa: base.kappa,
        kappa_alternative: base.kappa_alternative,
        pairs,
        default_pair: base.pair_default,
        learn: base.learn,
        combination_sd: base.combination_sd,
        learned: None,
        learned_pairs: Vec::new(),
    };
    check_composability(
        &composability,
        &base.categories,
        files,
        base.composability_span.clone(),
        "composability",
        diags,
    );
    uncosted_categories(&base.categories, &evidence, files, diags);
    let (scopes, scenarios) = resolve(
        base.scopes,
        base.scenarios,
        &base.categories,
        &composability,
        &base.report.scope,
        files,
        diags,
    );
    Assessment {
        report: base.report,
        simulation: base.simulation,
        model: base.model,
        horizon: base.horizon,
        composability,
        categories: base.categories,
        thresholds: base.thresholds,
        context: base.context,
        evaluation: base.evaluation,
        scopes,
        scenarios,
        evidence,
        scaling: Vec::new(),
        combinations: Vec::new(),
        clauses: Vec::new(),
        inference: base.inference,
        inferred: Vec::new(),
        backtest: None,
    }
}

/// A warning for each category without an `inference_cost` whose own evidence rows give one:
/// the uplift at the evaluation's inference budget would count the category as free although
/// its evidence says what it costs.
fn uncosted_categories(
    categories: &[Category],
    evidence: &[EvidenceRow],
    files: &InputFiles,
    diags: &mut Vec<Diagnostic>,
) {
    let name = &files.assessment.name;
    let text = files.text(name).unwrap_or_default();
    for c in categories.iter().filter(|c| c.inference_cost.is_none()) {
        let costed: Vec<String> = evidence
            .iter()
            .filter(|r| r.category == c.id)
            .filter_map(|r| {
                let cost = r.inference_cost.as_ref()?;
                Some(format!("`{}` {}x (line {})", r.id, cost.text(), r.line))
            })
            .collect();
        if costed.is_empty() {
            continue;
        }
        let span = toml::toml_value_span(text, &["categories", &c.id]);
        diags.push(
            Diagnostic::error(
                name,
                text,
                span,
                format!("categories.{}.inference_cost", c.id),
                format!(
                    "expected an `inference_cost` for a category whose evidence gives one ({}), \
                     found none: the uplift at the evaluation's inference budget counts the \
                     category as free",
                    costed.join(", ")
                ),
            )
            .warning()
            .with_hint(format!(
                "add `inference_cost = \"...\"` to [categories.{}], read from those rows",
                c.id
            )),
        );
    }
}
