//! `overhang build`: inputs to a versioned report folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::Path;
use std::time::{Duration, Instant};

use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};
use overhang_model::results::{Changes, Computed, InputFile, MetricChange, MetricUnit, Provenance};
use overhang_model::{Assessment, InputFiles, Results, SourceFile, Version};
use overhang_render::Fonts;
use overhang_render::format::{months_phrase, mult, pct, threshold_mult};
use serde_json::json;

use crate::args::{BuildArgs, Format};
use crate::attribution;
use crate::check;
use crate::diff;
use crate::exit::{Failure, Outcome};
use crate::inputs;
use crate::prepare::{Prepared, prepare};
use crate::publish::{self, Folder, MANIFEST, Manifest};
use crate::schema;

/// The overhang version, recorded in every output.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The report as a web page, beside report.pdf; the entry of a version folder served as a
/// static site.
pub const HTML: &str = "report.html";

/// Where a version folder keeps the previous version's results.json and input files
/// (assessment.toml, enhancements.csv, scaling.csv, composability.csv), under `inputs/`: what
/// its section on changes was computed from, so the folder alone rebuilds it.
pub const PREVIOUS: &str = "previous";

/// The previous version's results.json, under `inputs/`.
pub const PREVIOUS_RESULTS: &str = "previous/results.json";

/// The previous version's files as a version folder keeps them under `inputs/previous/`:
/// `results.json` and the input files, each by its name there.
pub type PreviousFiles = [(String, Vec<u8>)];

/// [`PreviousFiles`], owned.
type PreviousFilesBuf = Vec<(String, Vec<u8>)>;

/// A built report, in memory.
pub struct Built {
    /// The results every output was made from.
    pub results: Results,
    /// Every file of the version folder, manifest included.
    pub folder: Folder,
    /// The manifest.
    pub manifest: Manifest,
    /// Loading warnings, rendered for stderr.
    pub warnings: String,
}

/// How long each phase of a build took, in the order the phases ran.
pub struct Timings {
    last: Instant,
    phases: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Starts the clock of the first phase.
    pub fn start() -> Self {
        Self {
            last: Instant::now(),
            phases: Vec::new(),
        }
    }

    /// Ends the phase `name`, which ran since the previous mark, and starts the next.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.last));
        self.last = now;
    }

    /// One line per phase and the total, in milliseconds.
    fn render(&self) -> String {
        let mut s = String::from("timings (ms):\n");
        let mut total = Duration::ZERO;
        for (name, d) in &self.phases {
            total += *d;
            let _ = writeln!(s, "  {name:<22} {:>9.1}", d.as_secs_f64() * 1e3);
        }
        let _ = writeln!(s, "  {:<22} {:>9.1}", "total", total.as_secs_f64() * 1e3);
        s
    }
}

/// Runs `overhang build`; `verbose` lists every file written on stderr.
pub fn run(args: &BuildArgs, verbose: bool) -> Result<Outcome, Failure> {
    let mut timings = Timings::start();
    let files = inputs::read(&args.inputs)?;
    let font_files = inputs::read_fonts(&args.inputs)?;
    timings.mark("read inputs");
    let (prepared, fonts) = prepared(&files, &font_files, &mut timings)?;
    let show_progress = std::io::stderr().is_terminal() && args.format == Format::Human;
    let a = &prepared.assessment;
    let previous = previous_version(&args.out, &a.report.version, args.draft)?;
    let previous = previous.as_deref();
    let target = if args.draft {
        args.out.join("draft")
    } else {
        args.out.join(format!("v{}", a.report.version))
    };
    // An identical version needs no simulation: compare fingerprints before any work.
    if !args.draft && target.exists() {
        let fingerprint = fingerprint_of(&files, &font_files, previous, a);
        return existing_version(&target, &fingerprint, args.format);
    }
    let progress = |done: u64, total: u64| {
        if show_progress {
            let pct = (done * 100).checked_div(total).unwrap_or(100);
            eprint_progress(&format!("\rsimulating: {pct:3}% of {total} samples"));
        }
    };
    let built = build_prepared(
        &files,
        &font_files,
        previous,
        (&prepared, &fonts),
        show_progress.then_some(&progress as &(dyn Fn(u64, u64) + Sync)),
        &mut timings,
    )?;
    if show_progress {
        eprint_progress("\r\x1b[2K");
    }
    publish::publish(&built.folder, &target, args.draft)?;
    timings.mark("write the folder");
    let stdout = match args.format {
        Format::Human => human_summary(&built, &target),
        Format::Json => json_summary(&built, &target, "built"),
    };
    let mut stderr = built.warnings;
    if args.timings {
        stderr.push_str(&timings.render());
    }
    if verbose {
        for (path, bytes) in &built.folder.files {
            let _ = writeln!(
                stderr,
                "wrote {} ({} bytes)",
                target.join(path).display(),
                bytes.len()
            );
        }
    }
    Ok(Outcome { stdout, stderr })
}

#[expect(
    clippy::print_stderr,
    reason = "the progress line is the binary's own terminal output"
)]
fn eprint_progress(s: &str) {
    eprint!("{s}");
}

/// The results.json and the input files of the latest version folder in `out` whose version
/// comes before `version` (or equals it, for a draft): what "Changes since version X" compares
/// with. Folders without a manifest, or not named `v<version>`, are not published versions and
/// are passed over.
fn previous_version(
    out: &Path,
    version: &Version,
    draft: bool,
) -> Result<Option<PreviousFilesBuf>, Failure> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(None);
    };
    let mut best: Option<(Version, std::path::PathBuf)> = None;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(v) = name
            .to_str()
            .and_then(|n| n.strip_prefix('v'))
            .and_then(|n| Version::parse(n).ok())
        else {
            continue;
        };
        let earlier = match v.precedence(version) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Equal => draft,
            std::cmp::Ordering::Greater => false,
        };
        let path = e.path();
        if earlier
            && publish::read_manifest(&path).is_some()
            && best.as_ref().is_none_or(|(b, _)| v.precedence(b).is_gt())
        {
            best = Some((v, path));
        }
    }
    let Some((_, path)) = best else {
        return Ok(None);
    };
    let read = |file: &Path| {
        std::fs::read(file).map_err(|e| {
            Failure::no_input(format!(
                "error: cannot read `{}`, of the previous version: {e}",
                file.display()
            ))
        })
    };
    let mut files = vec![("results.json".to_owned(), read(&path.join("results.json"))?)];
    for name in [
        ASSESSMENT_FILE,
        ENHANCEMENTS_FILE,
        COMPOSABILITY_FILE,
        SCALING_FILE,
    ] {
        let file = path.join("inputs").join(name);
        if file.exists() {
            files.push((name.to_owned(), read(&file)?));
        }
    }
    Ok(Some(files))
}

fn fingerprint_of(
    files: &InputFiles,
    font_files: &[(String, Vec<u8>)],
    previous: Option<&PreviousFiles>,
    a: &Assessment,
) -> String {
    publish::fingerprint(
        TOOL_VERSION,
        a.simulation.seed,
        a.simulation.samples,
        &input_copies(files, font_files, previous),
        &overhang_render::templates(),
    )
}

/// Loads, calibrates and fits the inputs as the fonts of `font_files` can typeset them; bad
/// input is exit 65 with every diagnostic.
fn prepared(
    files: &InputFiles,
    font_files: &[(String, Vec<u8>)],
    timings: &mut Timings,
) -> Result<(Prepared, Fonts), Failure> {
    let dir = Path::new(&files.assessment.name)
        .parent()
        .map_or_else(String::new, |p| p.display().to_string());
    let fonts = inputs::fonts(&dir, font_files)?;
    timings.mark("fonts");
    let prepared = prepare(files, &fonts).map_err(|diagnostics| {
        Failure::data(format!(
            "{}error: the inputs have {} error(s); nothing was built\n",
            check::render(&diagnostics, files),
            diagnostics.iter().filter(|d| d.is_error()).count()
        ))
    })?;
    timings.mark("load, calibrate, fit");
    Ok((prepared, fonts))
}

fn existing_version(target: &Path, fingerprint: &str, format: Format) -> Result<Outcome, Failure> {
    let Some(manifest) = publish::read_manifest(target) else {
        return Err(Failure::cant_write(format!(
            "error: `{}` exists but has no readable {MANIFEST}; it was left as it is\n\
             help: a published version is immutable: bump `version` in [report] of assessment.toml",
            target.display()
        )));
    };
    if manifest.fingerprint == fingerprint {
        // Published from these inputs: check the folder is still what its manifest lists (a
        // fresh clone's first build says its published version is intact, or fails as
        // `verify` does).
        let files = crate::verify::against_manifest(target)?;
        let stdout = match format {
            Format::Human => format!(
                "{dir}: {files} files match its manifest; it is already built from these inputs \
                 (fingerprint {}), so nothing was rebuilt\n{}\
                 help: to rebuild it from its inputs and compare, run `overhang verify {dir}`; to \
                 build these inputs anew, add --draft (writes {}), or bump `version` in [report] \
                 of assessment.toml\n",
                &fingerprint[..16],
                where_to_read(target, manifest.outputs.iter().any(|h| h.path == HTML)),
                target.with_file_name("draft").display(),
                dir = target.display(),
            ),
            Format::Json => {
                let doc = json!({
                    "status": "unchanged",
                    "path": target.display().to_string(),
                    "version": manifest.version,
                    "fingerprint": fingerprint,
                    "files_match_manifest": files,
                });
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&doc).expect("serialises")
                )
            }
        };
        return Ok(Outcome::stdout(stdout));
    }
    Err(Failure::cant_write(format!(
        "error: version {} is already published in `{}` from different inputs; it was left as it is\n  \
         published fingerprint: {}\n  fingerprint of these inputs: {}\n\
         help: a published version never changes: bump `version` in [report] of assessment.toml \
         (for example to the next patch version), or build with --draft",
        manifest.version,
        target.display(),
        manifest.fingerprint,
        fingerprint
    )))
}

/// The inputs as copied into the version folder: `inputs/<name>` and bytes, the previous
/// version's results and inputs among them, under `previous/`, when there is one.
fn input_copies(
    files: &InputFiles,
    font_files: &[(String, Vec<u8>)],
    previous: Option<&PreviousFiles>,
) -> Vec<(String, Vec<u8>)> {
    let mut v = vec![
        (ASSESSMENT_FILE.to_owned(), files.assessment.bytes.clone()),
        (
            ENHANCEMENTS_FILE.to_owned(),
            files.enhancements.bytes.clone(),
        ),
    ];
    if let Some(c) = &files.composability {
        v.push((COMPOSABILITY_FILE.to_owned(), c.bytes.clone()));
    }
    if let Some(s) = &files.scaling {
        v.push((SCALING_FILE.to_owned(), s.bytes.clone()));
    }
    if let Some(p) = &files.policies {
        v.push((POLICIES_FILE.to_owned(), p.bytes.clone()));
    }
    v.extend(font_files.iter().cloned());
    for (name, bytes) in previous.unwrap_or_default() {
        v.push((format!("{PREVIOUS}/{name}"), bytes.clone()));
    }
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Loads the inputs and builds every output in memory; `previous` holds the results.json and
/// the input files of the version the section on changes compares with, if any.
pub fn build(
    files: &InputFiles,
    font_files: &[(String, Vec<u8>)],
    previous: Option<&PreviousFiles>,
    progress: Option<&(dyn Fn(u64, u64) + Sync)>,
) -> Result<Built, Failure> {
    let mut timings = Timings::start();
    let (prepared, fonts) = prepared(files, font_files, &mut timings)?;
    build_prepared(
        files,
        font_files,
        previous,
        (&prepared, &fonts),
        progress,
        &mut timings,
    )
}

/// Builds every output in memory from prepared inputs.
fn build_prepared(
    files: &InputFiles,
    font_files: &[(String, Vec<u8>)],
    previous: Option<&PreviousFiles>,
    (prepared, fonts): (&Prepared, &Fonts),
    progress: Option<&(dyn Fn(u64, u64) + Sync)>,
    timings: &mut Timings,
) -> Result<Built, Failure> {
    let mut warnings = check::render(&prepared.warnings, files);
    let a = &prepared.assessment;
    let previous_version = previous.map(read_previous).transpose()?;
    let copies = input_copies(files, font_files, previous);
    let fingerprint = fingerprint_of(files, font_files, previous, a);
    timings.mark("fingerprint");

    let sim_err = |e: overhang_compose::SimError| {
        Failure::data(format!("error: {}: {e}\n", files.assessment.name))
    };
    let options = overhang_compose::Options { threads: None };
    let scenarios =
        overhang_compose::simulate(a, &prepared.fitted, &options, progress).map_err(sim_err)?;
    timings.mark("simulate");
    let ranking = overhang_compose::learning_ranking(a, &prepared.fitted, &scenarios, &options)
        .map_err(sim_err)?;
    timings.mark("learning ranking");

    let provenance = Provenance {
        fingerprint: fingerprint.clone(),
        tool_version: TOOL_VERSION.to_owned(),
        chunk_size: overhang_compose::CHUNK_SIZE,
        tornado_samples: overhang_compose::tornado_samples(a.simulation.samples),
        files: copies
            .iter()
            .map(|(name, bytes)| InputFile {
                name: name.clone(),
                sha256: publish::sha256_hex(bytes),
            })
            .collect(),
    };
    let computed = Computed {
        scenarios,
        ranking,
        worked_draw: overhang_compose::worked_draw(a),
        fits: prepared.fits.clone(),
    };
    let mut results = Results::new(a, &prepared.warnings, provenance, computed)
        .map_err(|e| Failure::internal(format!("error: {e}")))?;
    if let Some(p) = &previous_version {
        if p.assessment.is_none() {
            let _ = writeln!(
                warnings,
                "warning: the inputs of version {} (inputs/{PREVIOUS}/) do not load with this \
                 overhang; the section on changes does not list the inputs that changed",
                p.results.report.version
            );
        }
        let loaded = overhang_model::load(files).ok().map(|l| l.assessment);
        let new = loaded.as_ref().map(|l| (l, files));
        results.changes = Some(changes(p, (a, &results), new, a.report.changes.clone()));
    }

    let render_err = |e: overhang_render::RenderError| {
        Failure::internal(format!("error: rendering the report failed: {e}"))
    };
    timings.mark("results");
    let charts = overhang_render::charts(&results);
    timings.mark("charts");
    let pdf = overhang_render::pdf_with_fonts(&results, &charts, fonts).map_err(render_err)?;
    timings.mark("pdf");
    let html = overhang_render::report_html(&results, &charts).map_err(render_err)?;
    timings.mark("html");
    let summary = overhang_render::summary_md(&results).map_err(render_err)?;
    let citation = overhang_render::citation_cff(&results, None).map_err(render_err)?;
    timings.mark("summary, citation");

    // Every results.json is checked against the schema written beside it: a violation is a
    // bug of this program, never of the inputs.
    let json = results_json(&results);
    let schema = schema::schema_json();
    let violations = schema::violations(&schema, &json);
    if !violations.is_empty() {
        return Err(Failure::internal(format!(
            "error: results.json does not match its schema:\n  {}",
            violations.join("\n  ")
        )));
    }
    timings.mark("results.json, schema");
    let mut folder = Folder::default();
    folder.add("report.pdf", pdf);
    folder.add(HTML, html);
    folder.add("results.json", json);
    folder.add(schema::SCHEMA_FILE, schema);
    folder.add("summary.md", summary);
    folder.add("CITATION.cff", citation);
    for chart in &charts {
        folder.add(format!("charts/{}", chart.name), chart.svg.clone());
    }
    for (name, bytes) in &copies {
        folder.add(format!("inputs/{name}"), bytes.clone());
    }
    let input_hashes = copies
        .iter()
        .map(|(name, bytes)| publish::FileHash {
            path: format!("inputs/{name}"),
            sha256: publish::sha256_hex(bytes),
        })
        .collect();
    let manifest = Manifest {
        version: a.report.version.to_string(),
        tool_version: TOOL_VERSION.to_owned(),
        seed: a.simulation.seed,
        samples: a.simulation.samples,
        fingerprint,
        inputs: input_hashes,
        outputs: folder.hashes(),
    };
    folder.add(MANIFEST, publish::manifest_bytes(&manifest));
    timings.mark("manifest");
    Ok(Built {
        results,
        folder,
        manifest,
        warnings,
    })
}

/// The version the section on changes compares with: its results, and its inputs when this
/// overhang can load them.
struct PreviousVersion {
    results: Results,
    /// The inputs as loaded (not calibrated), with their files.
    assessment: Option<(Assessment, InputFiles)>,
}

/// Reads the previous version's files (see [`PreviousFiles`]).
fn read_previous(files: &PreviousFiles) -> Result<PreviousVersion, Failure> {
    let file = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, bytes)| SourceFile {
                name: format!("{PREVIOUS}/{name}"),
                bytes: bytes.clone(),
            })
    };
    let results = file("results.json").map_or_else(
        || Err("the file is missing".to_owned()),
        |f| serde_json::from_slice::<Results>(&f.bytes).map_err(|e| e.to_string()),
    );
    let results = results.map_err(|e| {
        Failure::data(format!(
            "error: inputs/{PREVIOUS_RESULTS}, the previous version's results, is not a results \
             file this overhang can read: {e}"
        ))
    })?;
    let assessment = file(ASSESSMENT_FILE).zip(file(ENHANCEMENTS_FILE)).and_then(
        |(assessment, enhancements)| {
            let inputs = InputFiles {
                assessment,
                enhancements,
                composability: file(COMPOSABILITY_FILE),
                scaling: file(SCALING_FILE),
                policies: file(POLICIES_FILE),
            };
            overhang_model::load(&inputs)
                .ok()
                .map(|l| (l.assessment, inputs))
        },
    );
    Ok(PreviousVersion {
        results,
        assessment,
    })
}

/// What changed from the previous version to `new`: the headline numbers that moved and the
/// changed inputs, as `overhang diff` finds them, with the author's `text`; and, given the new
/// inputs as loaded (not calibrated) with their files, the attribution of the headline's
/// change to them.
fn changes(
    old: &PreviousVersion,
    new: (&Assessment, &Results),
    loaded: Option<(&Assessment, &InputFiles)>,
    text: Option<String>,
) -> Changes {
    let (metrics, _) = diff::metrics(&old.results, new.1, None);
    let units: BTreeMap<String, MetricUnit> = old
        .results
        .headline()
        .into_iter()
        .chain(new.1.headline())
        .map(|m| (m.id, m.kind.unit()))
        .collect();
    let inputs = old
        .assessment
        .as_ref()
        .map(|(a, _)| diff::input_changes((a, &old.results), new));
    let attribution = old
        .assessment
        .as_ref()
        .zip(loaded)
        .zip(inputs.as_ref())
        .and_then(|(((oa, of), (na, nf)), changes)| {
            attribution::attribute(
                attribution::Version {
                    assessment: oa,
                    files: of,
                    results: &old.results,
                },
                attribution::Version {
                    assessment: na,
                    files: nf,
                    results: new.1,
                },
                changes,
            )
        });
    Changes {
        since: old.results.report.version.clone(),
        text,
        metrics: metrics
            .into_iter()
            .filter(|m| m.old != m.new)
            .map(|m| MetricChange {
                unit: units[&m.key],
                id: m.key,
                label: m.label,
                old: m.old,
                new: m.new,
            })
            .collect(),
        inputs_compared: inputs.is_some(),
        inputs: inputs.unwrap_or_default(),
        attribution,
    }
}

/// results.json: pretty-printed with a final newline, so diffs are line-based.
pub fn results_json(results: &Results) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(results).expect("results always serialise");
    s.push('\n');
    s.into_bytes()
}

fn headline(results: &Results) -> Vec<String> {
    let mut lines = Vec::new();
    for s in &results.scenarios {
        for i in s.headline_steps() {
            let p = &s.projection[i];
            lines.push(format!(
                "{}: {} after release, median {} (90% interval {} to {})",
                s.label,
                months_phrase(p.months),
                mult(p.p50),
                mult(p.p5),
                mult(p.p95)
            ));
        }
        for t in &s.thresholds {
            let mut parts = Vec::new();
            let since = t.since_evaluation;
            if let (Some(c), Some(p)) = (
                since.and_then(|a| a.interval_months),
                since.and_then(|a| a.p_within_interval),
            ) {
                parts.push(format!(
                    "growth after an evaluation reaches it within {} with probability {}",
                    months_phrase(c),
                    pct(p)
                ));
            }
            if let (Some(tol), Some(m)) = (
                t.tolerance,
                since.and_then(|a| a.longest_safe_interval_months),
            ) {
                parts.push(format!(
                    "longest interval within the {} tolerance: {}",
                    pct(tol),
                    months_phrase(m)
                ));
            }
            if let Some(a) = &t.adequacy {
                parts.push(format!(
                    "the gap at release alone reaches it with probability {}",
                    pct(a.p_gap_reaches)
                ));
            }
            if !parts.is_empty() {
                lines.push(format!(
                    "{}, {}: {}",
                    s.label,
                    threshold_mult(t.multiplier),
                    parts.join("; ")
                ));
            }
        }
    }
    lines
}

/// Where a version folder's report is, one line per file: the PDF, the web page (for a folder
/// that has one: versions before 0.3.0 have none) and the summary.
fn where_to_read(target: &Path, has_html: bool) -> String {
    let mut s = format!("  the report:   {}\n", target.join("report.pdf").display());
    if has_html {
        let _ = writeln!(s, "  its web page: {}", target.join(HTML).display());
    }
    let _ = writeln!(s, "  its summary:  {}", target.join("summary.md").display());
    s
}

fn human_summary(built: &Built, target: &Path) -> String {
    let mut s = format!(
        "built {} (version {}, fingerprint {})\n",
        target.display(),
        built.manifest.version,
        &built.manifest.fingerprint[..16]
    );
    s.push_str(&where_to_read(target, true));
    for line in headline(&built.results) {
        s.push_str("  ");
        s.push_str(&line);
        s.push('\n');
    }
    s
}

fn json_summary(built: &Built, target: &Path, status: &str) -> String {
    let scenarios: BTreeMap<&str, serde_json::Value> = built
        .results
        .scenarios
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                json!({
                    "label": s.label,
                    "projection": s.projection.iter().map(|p| json!({"months": p.months, "p5": p.p5, "p50": p.p50, "p95": p.p95})).collect::<Vec<_>>(),
                }),
            )
        })
        .collect();
    let doc = json!({
        "status": status,
        "path": target.display().to_string(),
        "version": built.manifest.version,
        "fingerprint": built.manifest.fingerprint,
        "files": built.folder.files.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        "scenarios": scenarios,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).expect("serialises")
    )
}
