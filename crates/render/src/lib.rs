//! Rendering for overhang: deterministic SVG charts, the typst report compiled in-process to
//! PDF, and the Markdown summary for pull requests.
//!
//! Everything is made from one [`Results`]: [`charts`] draws the SVG charts, [`typst_main`]
//! renders the report's typst source, [`pdf`] compiles it to PDF/A-2b, [`summary_md`] writes the
//! headline and threshold tables for a pull-request comment and [`citation_cff`] the citation
//! metadata. The same inputs give the same bytes, in any process.
//!
//! Every number becomes text in [`format`](mod@format) (also used by the CLI for the terminal and `diff`);
//! the sentences and tables of the report are built in `text/`, one file per part of it.
//!
//! typst runs in a world of its own (see `world.rs`): embedded fonts, the files it is handed
//! (the template, `results.json`, `narrative.json` with the formatted numbers and sentences,
//! and the charts), `today()` fixed to the report date, no packages and no file system. Data
//! reaches typst as JSON values, never pasted into markup, so no text in the inputs can become
//! typst code.
//!
//! ```no_run
//! # fn run(results: &overhang_model::Results) -> Result<(), overhang_render::RenderError> {
//! let charts = overhang_render::charts(results);
//! let pdf = overhang_render::pdf(results, &charts)?;
//! let summary = overhang_render::summary_md(results)?;
//! assert!(pdf.starts_with(b"%PDF-"));
//! assert!(summary.contains('|'));
//! # Ok(()) }
//! ```

use std::fmt::Write as _;

mod charts;
pub mod format;
mod html;
mod reading;
mod templates;
mod text;
mod world;

use minijinja::context;
use minijinja::value::{Serde, Value};
use overhang_model::Results;
use serde::Serialize;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use crate::html::report_html;
pub use crate::reading::FORMULA;
use crate::world::VirtualWorld;
pub use crate::world::{FontFileError, Fonts};

/// The typst version the report is compiled with; it changes the PDF's bytes.
pub const TYPST_VERSION: &str = "0.15.1";

/// One chart: an SVG with its file name, caption and alt text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    /// File name under `charts/`, for example `fan_open_weights.svg`.
    pub name: String,
    /// The caption.
    pub title: String,
    /// Alt text: what the chart shows, with its key numbers, in sentences.
    pub alt: String,
    /// The SVG document.
    pub svg: String,
}

/// Why an output could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to render.
    #[error("template {name}: {message}")]
    Template {
        /// The template's name.
        name: String,
        /// What went wrong, with the template line when known.
        message: String,
    },
    /// typst rejected the document; each diagnostic on its own line.
    #[error("typst could not compile the report:\n{0}")]
    Typst(String),
    /// The PDF could not be written (for example a PDF/A violation).
    #[error("typst could not write the PDF:\n{0}")]
    Pdf(String),
    /// The report date is not a calendar date `YYYY-MM-DD`.
    #[error("the report date {0:?} is not a calendar date YYYY-MM-DD")]
    Date(String),
    /// The results could not be serialised.
    #[error("could not serialise the results: {0}")]
    Json(#[from] serde_json::Error),
}

impl RenderError {
    fn template(name: &str, error: &minijinja::Error) -> Self {
        let mut message = error.to_string();
        if let Some(line) = error.line() {
            let _ = write!(message, " (line {line})");
        }
        Self::Template {
            name: name.to_owned(),
            message,
        }
    }
}

/// Every chart of the report, in a fixed order: the evidence, then per scenario the fan chart,
/// the threshold probabilities, the distribution at 12 months and at the horizon, the tornado
/// chart of sensitivity and the categories' contributions, then the derived CEGs and the
/// inference's categories, four panels to a chart.
pub fn charts(results: &Results) -> Vec<Chart> {
    charts::all(results)
}

/// `(name, text)` of every template, for the build fingerprint.
pub fn templates() -> Vec<(&'static str, &'static str)> {
    templates::TEMPLATES.to_vec()
}

/// Chart captions and alt texts without the SVG, as typst and the templates see them.
fn chart_texts(charts: &[Chart]) -> Vec<text::ChartText> {
    charts
        .iter()
        .map(|c| text::ChartText {
            name: c.name.clone(),
            title: c.title.clone(),
            alt: c.alt.clone(),
        })
        .collect()
}

/// The indices of a scenario's charts in `charts`, for the typst template.
#[derive(Clone, Copy, Serialize)]
struct ScenarioCharts {
    index: usize,
    fan: Option<usize>,
    thresholds: Option<usize>,
    distribution: Option<usize>,
    tornado: Option<usize>,
    contributions: Option<usize>,
    /// Whether the sensitivity tables are shown (the first scope), not only the sentences.
    sensitivity_tables: bool,
}

fn chart_index(charts: &[Chart], name: &str) -> Option<usize> {
    charts.iter().position(|c| c.name == name)
}

/// Each scenario's charts, by index into `charts`.
fn scenario_charts(results: &Results, charts: &[Chart]) -> Vec<ScenarioCharts> {
    results
        .scenarios
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let id = charts::file_id(&s.id);
            let find = |kind: &str| chart_index(charts, &format!("{kind}_{id}.svg"));
            // Every scope shows the same charts as the average task; scopes after the first
            // keep their sensitivity to the sentences and the tornado chart, without the tables.
            let first_scope = results.scenarios.first().map(|f| f.scope.as_str());
            let full = Some(s.scope.as_str()) == first_scope;
            ScenarioCharts {
                index,
                fan: find("fan"),
                thresholds: find("thresholds"),
                distribution: find("distribution"),
                tornado: find("tornado"),
                contributions: find("contributions"),
                sensitivity_tables: full,
            }
        })
        .collect()
}

/// The indices of the derived CEGs' charts in `charts`.
fn derived_charts(charts: &[Chart]) -> Vec<usize> {
    charts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name.starts_with("derived_"))
        .map(|(i, _)| i)
        .collect()
}

/// The indices of the inference's charts in `charts`.
fn inference_charts(charts: &[Chart]) -> Vec<usize> {
    charts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name.starts_with("inference_"))
        .map(|(i, _)| i)
        .collect()
}

/// The report's main typst source: its structure comes from the template, its data from
/// `results.json` and `narrative.json`, which it reads with `json(...)`.
pub fn typst_main(results: &Results, charts: &[Chart]) -> Result<String, RenderError> {
    const NAME: &str = "report.typ.j2";
    let env = templates::environment().map_err(|e| RenderError::template(NAME, &e))?;
    let scenarios = scenario_charts(results, charts);
    let template = env
        .get_template(NAME)
        .map_err(|e| RenderError::template(NAME, &e))?;
    template
        .render(context! {
            scenarios => Value::from(Serde(&scenarios)),
            evidence_chart => chart_index(charts, "evidence.svg"),
            derived_charts => derived_charts(charts),
            inference_charts => inference_charts(charts),
            has_pooled => results.fits.pooled.is_some(),
            composability_chart => chart_index(charts, "composability.svg"),
            has_combinations => !results.composability.combinations.is_empty()
                || results.composability.posterior.is_some(),
            has_warnings => !results.inputs.warnings.is_empty(),
        })
        .map_err(|e| RenderError::template(NAME, &e))
}

/// The virtual files typst may read: the data and the charts.
fn typst_files(results: &Results, charts: &[Chart]) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let narrative = text::narrative(results, &chart_texts(charts));
    let mut files = vec![
        ("results.json".to_owned(), serde_json::to_vec(results)?),
        ("narrative.json".to_owned(), serde_json::to_vec(&narrative)?),
    ];
    files.extend(
        charts
            .iter()
            .map(|c| (format!("charts/{}", c.name), c.svg.clone().into_bytes())),
    );
    Ok(files)
}

fn report_date(results: &Results) -> Result<Datetime, RenderError> {
    format::parse_date(&results.report.date)
        .and_then(|(y, m, d)| Datetime::from_ymd(y, m, d))
        .ok_or_else(|| RenderError::Date(results.report.date.clone()))
}

/// Diagnostics as text: severity, message, where in the main file, and hints.
fn diagnostics(world: &VirtualWorld, diags: &[SourceDiagnostic]) -> String {
    let mut out = Vec::new();
    for d in diags {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut line = format!("{severity}: {}", d.message);
        if let (Some(id), Some(range)) = (d.span.id(), world.range(d.span))
            && let Ok(source) = typst::World::source(world, id)
            && let Some((l, c)) = source.lines().byte_to_line_column(range.start)
        {
            let _ = write!(line, " (at {:?}:{}:{})", id.vpath(), l + 1, c + 1);
        }
        for hint in &d.hints {
            let _ = write!(line, "\n  hint: {}", hint.v);
        }
        out.push(line);
    }
    out.join("\n")
}

/// Compiles the report into pages with a given main source (the tests use their own).
fn compile_source(
    results: &Results,
    charts: &[Chart],
    source: String,
    fonts: &Fonts,
) -> Result<PagedDocument, RenderError> {
    let world = VirtualWorld::new(
        source,
        typst_files(results, charts)?,
        report_date(results)?,
        fonts.clone(),
    )
    .map_err(RenderError::Typst)?;
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned
        .output
        .map_err(|errors| RenderError::Typst(diagnostics(&world, &errors)))?;
    // A warning (an unknown font, a missing glyph) means the PDF is not what it claims to be.
    if !warned.warnings.is_empty() {
        return Err(RenderError::Typst(diagnostics(&world, &warned.warnings)));
    }
    Ok(document)
}

fn compile(
    results: &Results,
    charts: &[Chart],
    fonts: &Fonts,
) -> Result<PagedDocument, RenderError> {
    compile_source(results, charts, typst_main(results, charts)?, fonts)
}

/// The report as PDF/A-2b, compiled in-process. The PDF's timestamp is the report date and its
/// document identifier comes from the input fingerprint, so its bytes depend only on the
/// results, the charts, the templates and the typst version.
pub fn pdf(results: &Results, charts: &[Chart]) -> Result<Vec<u8>, RenderError> {
    pdf_with_fonts(results, charts, &Fonts::embedded())
}

/// [`pdf`] typeset with `fonts` (the embedded fonts and those of the inputs' fonts/ folder).
pub fn pdf_with_fonts(
    results: &Results,
    charts: &[Chart],
    fonts: &Fonts,
) -> Result<Vec<u8>, RenderError> {
    let document = compile(results, charts, fonts)?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| RenderError::Pdf(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("overhang-{}", results.fingerprint)),
        timestamp: Some(Timestamp::new_utc(report_date(results)?)),
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        let mut text = String::new();
        for d in &errors {
            let _ = writeln!(text, "error: {}", d.message);
            for hint in &d.hints {
                let _ = writeln!(text, "  hint: {}", hint.v);
            }
        }
        RenderError::Pdf(text.trim_end().to_owned())
    })
}

/// The text of the compiled report as a reader meets it: one paragraph, heading, caption or
/// table cell a line, wrapped lines joined, hyphenated words whole, each run of math as
/// [`FORMULA`]. For checks that the web page says what the PDF says.
pub fn report_text(results: &Results, charts: &[Chart]) -> Result<String, RenderError> {
    Ok(reading::text(&compile(
        results,
        charts,
        &Fonts::embedded(),
    )?))
}

/// The headline table and the threshold table as GitHub-flavoured Markdown.
pub fn summary_md(results: &Results) -> Result<String, RenderError> {
    const NAME: &str = "summary.md.j2";
    let env = templates::environment().map_err(|e| RenderError::template(NAME, &e))?;
    let narrative = text::narrative(results, &[]);
    env.get_template(NAME)
        .and_then(|t| {
            t.render(context! {
                results => Value::from(Serde(results)),
                n => Value::from(Serde(&narrative)),
            })
        })
        .map_err(|e| RenderError::template(NAME, &e))
}

/// CITATION.cff for this version of the report; `repository_url` adds `repository-code`.
pub fn citation_cff(
    results: &Results,
    repository_url: Option<&str>,
) -> Result<String, RenderError> {
    const NAME: &str = "CITATION.cff.j2";
    let env = templates::environment().map_err(|e| RenderError::template(NAME, &e))?;
    env.get_template(NAME)
        .and_then(|t| {
            t.render(context! {
                results => Value::from(Serde(results)),
                citation => text::citation(results),
                citation_files => text::CITATION_FILES,
                repository_url => repository_url,
            })
        })
        .map_err(|e| RenderError::template(NAME, &e))
}

/// The text of every page, in layout order, one page per line group; for checks that what
/// the inputs said reached the PDF literally.
#[cfg(test)]
fn document_text(document: &PagedDocument) -> String {
    use typst::layout::{Frame, FrameItem};
    fn walk(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, out),
                FrameItem::Text(text) => out.push_str(&text.text),
                _ => {}
            }
        }
    }
    let mut out = String::new();
    for page in document.pages() {
        walk(&page.frame, &mut out);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Results {
        serde_json::from_str(include_str!("../tests/fixtures/results.json")).unwrap()
    }

    const INJECTION: &str = "#panic(\"x\") #read(\"/etc/passwd\") $x^2$ *b* _i_ @ref <l> \\ [ ] // ]) } {{ }} {% raw %}";

    /// Every free-text field of the results, filled with markup and code.
    fn injected() -> Results {
        let mut r = fixture();
        let s = |tag: &str| format!("{tag} {INJECTION}");
        r.report.title = s("title");
        r.report.authors = vec![s("author")];
        r.report.keywords = vec![s("keyword")];
        r.report.scope = s("scope");
        r.tool_version = s("tool");
        for f in &mut r.inputs.files {
            f.name = s("file");
        }
        for c in &mut r.inputs.categories {
            c.label = s("category");
            c.rationale = s("rationale");
            c.available = s("available");
        }
        for t in &mut r.inputs.thresholds {
            t.label = s("threshold");
            t.policy = s("policy");
        }
        for e in &mut r.inputs.evidence {
            e.name = s("evidence");
            e.notes = s("notes");
            e.source = s("source");
            e.benchmark = s("benchmark");
        }
        r.inputs.warnings = vec![s("warning")];
        for sc in &mut r.scenarios {
            sc.label = s("scenario");
            sc.description = s("description");
            sc.notes = vec![s("note")];
            for t in &mut sc.thresholds {
                t.label = s("threshold");
            }
            for c in &mut sc.contributions {
                c.label = s("contribution");
            }
            for sens in &mut sc.sensitivity {
                for e in &mut sens.inputs {
                    e.label = s("sensitivity");
                }
            }
        }
        for f in &mut r.fits.categories {
            f.diagnostics
                .push(overhang_model::results::FitNote::UnknownCategory {
                    category: s("diagnostic"),
                });
        }
        for e in &mut r.evidence {
            if let Some(d) = &mut e.derivation {
                d.model = s("derived-model");
                d.benchmark = s("derived-benchmark");
            }
        }
        r.fits
            .diagnostics
            .push(overhang_model::results::FitNote::UnknownCategory {
                category: s("fit-diagnostic"),
            });
        r.fits.growth_method = s("growth-method");
        r.changes = Some(overhang_model::results::Changes {
            since: "0.0.1".to_owned(),
            text: Some(s("changes-text")),
            metrics: vec![overhang_model::results::MetricChange {
                id: "s.uplift.12m.p50".to_owned(),
                label: s("metric"),
                unit: overhang_model::results::MetricUnit::Multiplier,
                old: Some(2.0),
                new: Some(3.0),
            }],
            inputs: vec![overhang_model::InputChange {
                file: "assessment.toml".to_owned(),
                record: s("item"),
                field: "label".to_owned(),
                kind: overhang_model::ChangeKind::Changed,
                old: Some(overhang_model::changes::Value::Text("1".to_owned())),
                new: Some(overhang_model::changes::Value::Text("2".to_owned())),
                long_text: false,
            }],
            inputs_compared: true,
            attribution: None,
        });
        r
    }

    /// Text as typst lays it out: spaces may be shaped separately, so compare without them.
    fn squash(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn injected_free_text_compiles_and_appears_literally() {
        let results = injected();
        let charts = charts(&results);
        let document =
            compile(&results, &charts, &Fonts::embedded()).expect("the injected report compiles");
        // For the manual pdftotext check: OVERHANG_RENDER_DUMP=DIR writes the PDF out.
        if let Some(dir) = std::env::var_os("OVERHANG_RENDER_DUMP") {
            let bytes = pdf(&results, &charts).unwrap();
            std::fs::write(std::path::Path::new(&dir).join("injected.pdf"), bytes).unwrap();
        }
        let text = squash(&document_text(&document));
        for tag in [
            "title",
            "author",
            "scope",
            "tool",
            "file",
            "category",
            "rationale",
            "threshold",
            "policy",
            "evidence",
            "notes",
            "source",
            "warning",
            "scenario",
            "description",
            "note",
            "diagnostic",
            "sensitivity",
            "changes-text",
            "metric",
            "item",
            "derived-model",
            "derived-benchmark",
        ] {
            let expected = squash(&format!("{tag} {INJECTION}"));
            assert!(
                text.contains(&expected),
                "{tag}: the injected text is not literal in the PDF"
            );
        }
        // And the injected text is in the charts as escaped XML, not as markup.
        let contributions = charts
            .iter()
            .find(|c| c.name.starts_with("contributions_"))
            .unwrap();
        assert!(
            contributions
                .svg
                .contains("contribution #panic(&quot;x&quot;)")
        );
    }

    #[test]
    fn injected_free_text_is_escaped_in_the_html_report() {
        let mut results = injected();
        let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><a href=\"https://evil.invalid\">";
        results.report.title = format!("title {hostile}");
        results.scenarios[0].label = format!("scenario {hostile}");
        results.inputs.categories[0].rationale = format!("rationale {hostile}");
        results.inputs.evidence[0].source = format!("https://x.invalid/\"><script>{hostile}");
        let page = report_html(&results, &charts(&results)).expect("the injected page renders");
        assert!(!page.contains("<script"), "a raw <script");
        assert!(!page.contains("<img"), "a raw <img");
        assert!(!page.contains("href=\"https://evil.invalid"));
        assert!(page.contains("title &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("scenario &lt;script&gt;"));
        // The typst-flavoured injection reaches the page literally, escaped.
        assert!(page.contains("#panic(&quot;x&quot;) #read(&quot;/etc/passwd&quot;)"));
    }

    #[test]
    fn the_report_cannot_read_paths_it_was_not_handed() {
        let results = fixture();
        for source in [
            "#read(\"/etc/passwd\")",
            "#read(\"../../Cargo.toml\")",
            "#image(\"/etc/hostname\")",
            "#import \"@preview/cetz:0.3.0\": *",
        ] {
            let out = compile_source(&results, &[], source.to_owned(), &Fonts::embedded());
            let Err(RenderError::Typst(message)) = out else {
                panic!("{source} compiled");
            };
            assert!(!message.is_empty());
        }
        // The files it was handed are readable.
        compile_source(
            &results,
            &[],
            "#read(\"results.json\").len()".to_owned(),
            &Fonts::embedded(),
        )
        .unwrap();
    }

    #[test]
    fn typst_errors_are_reported_with_their_line() {
        let out = compile_source(
            &fixture(),
            &[],
            "\n\n#panic(\"boom\")".to_owned(),
            &Fonts::embedded(),
        );
        let Err(RenderError::Typst(message)) = out else {
            panic!("a panic compiled");
        };
        assert!(message.contains("boom"), "{message}");
        assert!(message.contains(":3:"), "{message}");
    }

    #[test]
    fn a_malformed_report_date_is_a_clear_error() {
        let mut r = fixture();
        r.report.date = "2026-02-30".to_owned();
        assert!(matches!(report_date(&r), Err(RenderError::Date(_))));
    }
}
