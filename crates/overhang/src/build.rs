//! `overhang build`: inputs to a versioned report folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::Path;
use std::time::{Duration, Instant};

use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};
use overhang_model::results::{Changes, InputFile, MetricChange, MetricUnit, Provenance};
use overhang_model::{Assessment, InputFiles, Results, Version};
use overhang_render::Fonts;
use overhang_render::format::{months_phrase, mult, pct, threshold_mult};
use serde_json::json;

use crate::args::{BuildArgs, Format};
use crate::check;
use crate::diff;
use crate::exit::{Failure, Outcome};
use crate::inputs;
use crate::prepare::{Prepared, prepare};
use crate::publish::{self, Folder, MANIFEST, Manifest};
use crate::schema;

/// The overhang version, recorded in every output.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where a version folder keeps the previous version's results.json, under `inputs/`: what its
/// section on changes was computed from, so the folder alone rebuilds it.
pub const PREVIOUS_RESULTS: &str = "previous/results.json";

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
    let previous = previous_results(&args.out, &a.report.version, args.draft)?;
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

/// The results.json of the latest version folder in `out` whose version comes before `version`
/// (or equals it, for a draft): what "Changes since version X" compares with. Folders without a
/// manifest, or not named `v<version>`, are not published versions and are passed over.
fn previous_results(
    out: &Path,
    version: &Version,
    draft: bool,
) -> Result<Option<Vec<u8>>, Failure> {
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
    let file = path.join("results.json");
    std::fs::read(&file).map(Some).map_err(|e| {
        Failure::no_input(format!(
            "error: cannot read `{}`, the results of the previous version: {e}",
            file.display()
        ))
    })
}

fn fingerprint_of(
    files: &InputFiles,
    font_files: &[(String, Vec<u8>)],
    previous: Option<&[u8]>,
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
        let stdout = match format {
            Format::Human => format!(
                "{dir} is already built from these inputs (fingerprint {}); nothing to rebuild\n  \
                 the report:  {}\n  its summary: {}\n\
                 help: to build these inputs anew, add --draft (writes {}), or bump `version` in \
                 [report] of assessment.toml\n",
                &fingerprint[..16],
                target.join("report.pdf").display(),
                target.join("summary.md").display(),
                target.with_file_name("draft").display(),
                dir = target.display(),
            ),
            Format::Json => {
                let doc = json!({
                    "status": "unchanged",
                    "path": target.display().to_string(),
                    "version": manifest.version,
                    "fingerprint": fingerprint,
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
/// version's results among them when there is one.
fn input_copies(
    files: &InputFiles,
    font_files: &[(String, Vec<u8>)],
    previous: Option<&[u8]>,
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
    if let Some(p) = previous {
        v.push((PREVIOUS_RESULTS.to_owned(), p.to_vec()));
    }
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Loads the inputs and builds every output in memory; `previous` is the results.json of the
/// version the section on changes compares with, if any.
pub fn build(
    files: &InputFiles,
    font_files: &[(String, Vec<u8>)],
    previous: Option<&[u8]>,
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
    previous: Option<&[u8]>,
    (prepared, fonts): (&Prepared, &Fonts),
    progress: Option<&(dyn Fn(u64, u64) + Sync)>,
    timings: &mut Timings,
) -> Result<Built, Failure> {
    let warnings = check::render(&prepared.warnings, files);
    let a = &prepared.assessment;
    let previous = previous
        .map(|bytes| {
            serde_json::from_slice::<Results>(bytes).map_err(|e| {
                Failure::data(format!(
                    "error: inputs/{PREVIOUS_RESULTS}, the previous version's results, is not a \
                     results file this overhang can read: {e}"
                ))
            })
            .map(|r| (bytes, r))
        })
        .transpose()?;
    let copies = input_copies(files, font_files, previous.as_ref().map(|(b, _)| *b));
    let fingerprint = fingerprint_of(files, font_files, previous.as_ref().map(|(b, _)| *b), a);
    timings.mark("fingerprint");

    let scenarios = overhang_compose::simulate(
        a,
        &prepared.fitted,
        &overhang_compose::Options { threads: None },
        progress,
    )
    .map_err(|e| Failure::data(format!("error: {}: {e}\n", files.assessment.name)))?;
    timings.mark("simulate");
    let ranking = learning_ranking(a, &prepared.fitted, &scenarios)
        .map_err(|e| Failure::data(format!("error: {}: {e}\n", files.assessment.name)))?;
    timings.mark("learning ranking");

    let provenance = Provenance {
        fingerprint: fingerprint.clone(),
        tool_version: TOOL_VERSION.to_owned(),
        chunk_size: overhang_compose::CHUNK_SIZE,
        files: copies
            .iter()
            .map(|(name, bytes)| InputFile {
                name: name.clone(),
                sha256: publish::sha256_hex(bytes),
            })
            .collect(),
    };
    let mut results = Results::new(
        a,
        &prepared.warnings,
        provenance,
        scenarios,
        prepared.fits.clone(),
    );
    results.composability.ranking = ranking;
    results.changes = previous
        .as_ref()
        .map(|(_, old)| changes(old, &results, a.report.changes.clone()));

    let render_err = |e: overhang_render::RenderError| {
        Failure::internal(format!("error: rendering the report failed: {e}"))
    };
    timings.mark("results");
    let charts = overhang_render::charts(&results);
    timings.mark("charts");
    let pdf = overhang_render::pdf_with_fonts(&results, &charts, fonts).map_err(render_err)?;
    timings.mark("pdf");
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

/// What changed from `old` to `new`: the headline numbers that moved and the changed inputs,
/// as `overhang diff` finds them, with the author's `text`.
fn changes(old: &Results, new: &Results, text: Option<String>) -> Changes {
    let d = diff::compare(old, new, "", "", None);
    let units: BTreeMap<String, MetricUnit> = old
        .headline()
        .into_iter()
        .chain(new.headline())
        .map(|m| (m.id, m.kind.unit()))
        .collect();
    Changes {
        since: old.report.version.clone(),
        text,
        metrics: d
            .metrics
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
        inputs: d
            .inputs
            .into_iter()
            // The section's title names both versions already.
            .filter(|c| c.item != "report.version")
            .map(|c| overhang_model::results::InputChange {
                kind: c.kind.to_owned(),
                item: c.item,
                old: c.old,
                new: c.new,
            })
            .collect(),
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

fn human_summary(built: &Built, target: &Path) -> String {
    let mut s = format!(
        "built {} (version {}, fingerprint {})\n",
        target.display(),
        built.manifest.version,
        &built.manifest.fingerprint[..16]
    );
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

/// With composability learned in a scenario, the first such scenario's sensitivity ranking at
/// the horizon with composability at its prior and as learned: the scenario is simulated once
/// more without what was learned, from the same streams, so the two rankings differ only by
/// the learning.
fn learning_ranking(
    a: &overhang_model::Assessment,
    fitted: &std::collections::BTreeMap<String, overhang_model::FittedGrowth>,
    learned: &[overhang_model::results::ScenarioResults],
) -> Result<Option<overhang_model::results::LearningRanking>, overhang_compose::SimError> {
    let Some(index) = a.scenarios.iter().position(|s| {
        s.composability.learned.is_some() || !s.composability.learned_pairs.is_empty()
    }) else {
        return Ok(None);
    };
    let mut prior = a.clone();
    let mut scenario = prior.scenarios.swap_remove(index);
    scenario.composability.learned = None;
    scenario.composability.learned_pairs.clear();
    prior.scenarios = vec![scenario];
    let before = overhang_compose::simulate(
        &prior,
        fitted,
        &overhang_compose::Options { threads: None },
        None,
    )?;
    Ok(learned
        .get(index)
        .zip(before.first())
        .and_then(|(post, before)| overhang_model::results::LearningRanking::new(post, before)))
}
