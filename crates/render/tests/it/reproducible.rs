//! The same results give the same bytes: charts and PDF built twice, and the PDF's sha256
//! against the committed hash.
//!
//! `tests/pdf.sha256` records the sha256 of the fixture's PDF together with a sha256 of the
//! part of Cargo.lock that can change it: the name and version of every package the renderer
//! depends on, transitively (typst, its PDF writer, compression, fonts, plotters, minijinja,
//! `serde_json`). The PDF hash is only comparable under the same dependency versions: when one
//! of them changes, the test fails and asks for the file to be regenerated
//! (`OVERHANG_UPDATE_PDF_HASH=1`) after the PDF has been looked at, so a dependency bump that
//! changes the PDF is a reviewed change, never a silent one. Changes elsewhere in the workspace's
//! Cargo.lock leave the record valid.

use sha2::{Digest, Sha256};

use crate::fixture;

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

const HASH_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pdf.sha256");
const LOCK_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock");

#[test]
fn the_pdf_is_byte_reproducible_pdf_a_and_matches_the_committed_hash() {
    let results = fixture::committed();
    let first = overhang_render::pdf(&results, &overhang_render::charts(&results)).unwrap();
    let second = overhang_render::pdf(&results, &overhang_render::charts(&results)).unwrap();
    assert!(first == second, "two builds of the same results differ");
    // For reading the report as a reader would: OVERHANG_RENDER_DUMP=DIR writes it out.
    if let Some(dir) = std::env::var_os("OVERHANG_RENDER_DUMP") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(dir.join("charts")).unwrap();
        std::fs::write(dir.join("report.pdf"), &first).unwrap();
        for chart in overhang_render::charts(&results) {
            std::fs::write(dir.join("charts").join(&chart.name), &chart.svg).unwrap();
        }
        let source = overhang_render::typst_main(&results, &overhang_render::charts(&results));
        std::fs::write(dir.join("main.typ"), source.unwrap()).unwrap();
    }
    assert!(first.starts_with(b"%PDF-"));

    // PDF/A-2b, with the report's metadata and an outline.
    let text = String::from_utf8_lossy(&first);
    assert!(
        text.contains("<pdfaid:part>2</pdfaid:part>"),
        "no PDF/A part in the XMP"
    );
    assert!(text.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(
        text.contains("2026-11-26"),
        "the report date is not in the metadata"
    );
    assert!(
        text.contains("compute-equivalent gain"),
        "the keywords are not in the metadata"
    );
    assert!(text.contains("/Outlines"), "no bookmarks");

    let pdf = hex(&first);
    let lock = hex(render_dependencies(&std::fs::read_to_string(LOCK_FILE).unwrap()).as_bytes());
    let recorded = format!("{pdf}  report.pdf\n{lock}  Cargo.lock (render's dependencies)\n");
    if std::env::var_os("OVERHANG_UPDATE_PDF_HASH").is_some() {
        std::fs::write(HASH_FILE, &recorded).unwrap();
    }
    let committed = std::fs::read_to_string(HASH_FILE).unwrap_or_default();
    let field = |name: &str| {
        committed
            .lines()
            .find(|l| {
                l.split_once("  ")
                    .is_some_and(|(_, rest)| rest.starts_with(name))
            })
            .map(|l| l.split_whitespace().next().unwrap_or_default().to_owned())
    };
    assert_eq!(
        field("Cargo.lock").as_deref(),
        Some(lock.as_str()),
        "the renderer's dependencies in Cargo.lock changed since tests/pdf.sha256 was recorded: \
         check the PDF still reads well, then rerun with OVERHANG_UPDATE_PDF_HASH=1"
    );
    assert_eq!(
        field("report.pdf").as_deref(),
        Some(pdf.as_str()),
        "the PDF's bytes changed under the same Cargo.lock: a template, the charts or the \
         rendering changed; review it, then rerun with OVERHANG_UPDATE_PDF_HASH=1"
    );
}

/// The crates whose versions can change the PDF's bytes: the renderer's own dependencies.
const ROOTS: [&str; 8] = [
    "libm",
    "minijinja",
    "plotters",
    "serde_json",
    "typst",
    "typst-kit",
    "typst-layout",
    "typst-pdf",
];

/// `name version` of every package reachable from [`ROOTS`] in a Cargo.lock, sorted, one a
/// line.
fn render_dependencies(lock: &str) -> String {
    use std::collections::{BTreeMap, BTreeSet};
    // name -> [(version, dependency names)]
    let mut packages: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|r| r.trim().strip_prefix('='))
                    .map(|v| v.trim().trim_matches('"').to_owned())
            })
        };
        let (Some(name), Some(version)) = (field("name "), field("version ")) else {
            continue;
        };
        let deps: Vec<String> = block
            .split_once("dependencies = [")
            .map(|(_, rest)| rest.split(']').next().unwrap_or_default())
            .unwrap_or_default()
            .split(',')
            .filter_map(|d| {
                let d = d.trim().trim_matches('"');
                d.split_whitespace().next().map(str::to_owned)
            })
            .collect();
        packages.entry(name).or_default().push((version, deps));
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = ROOTS.iter().map(|r| (*r).to_owned()).collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        for (_, deps) in packages.get(&name).into_iter().flatten() {
            todo.extend(deps.iter().cloned());
        }
    }
    let mut lines: Vec<String> = seen
        .iter()
        .flat_map(|name| {
            packages
                .get(name)
                .into_iter()
                .flatten()
                .map(move |(version, _)| format!("{name} {version}"))
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

#[test]
fn the_dependency_record_covers_typst_and_only_the_renderers_tree() {
    let lock = std::fs::read_to_string(LOCK_FILE).unwrap();
    let deps = render_dependencies(&lock);
    assert!(deps.lines().any(|l| l == "typst-pdf 0.15.1"), "{deps}");
    assert!(deps.lines().any(|l| l.starts_with("krilla ")));
    assert!(
        !deps
            .lines()
            .any(|l| l.starts_with("clap ") || l.starts_with("criterion "))
    );
    // A bump of an unrelated package leaves the record alone; a bump inside the tree does not.
    let unrelated = lock.replace(
        "name = \"clap\"\nversion = \"",
        "name = \"clap\"\nversion = \"9",
    );
    assert_eq!(render_dependencies(&unrelated), deps);
    let related = lock.replace(
        "name = \"krilla\"\nversion = \"",
        "name = \"krilla\"\nversion = \"9",
    );
    assert_ne!(render_dependencies(&related), deps);
}

#[test]
fn charts_are_the_same_in_every_build() {
    let results = fixture::committed();
    assert_eq!(
        overhang_render::charts(&results),
        overhang_render::charts(&results)
    );
    let other = std::thread::spawn(move || overhang_render::charts(&results))
        .join()
        .unwrap();
    assert_eq!(other, overhang_render::charts(&fixture::committed()));
}
