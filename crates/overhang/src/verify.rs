//! `overhang verify`: rebuild a version from its own copy of the inputs and compare hashes.

use std::fmt::Write as _;
use std::path::Path;

use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};
use overhang_model::{InputFiles, SourceFile};

use crate::args::VerifyArgs;
use crate::build::{self, TOOL_VERSION};
use crate::exit::{Code, Failure, Outcome};
use crate::publish::{self, MANIFEST, sha256_hex};
use crate::schema::{self, SCHEMA_FILE};

/// Runs `overhang verify`; `Ok` carries the report for stdout.
pub fn run(args: &VerifyArgs) -> Result<Outcome, Failure> {
    let dir = &args.version_dir;
    if !dir.is_dir() {
        return Err(Failure::no_input(format!(
            "error: `{}` is not a version folder",
            dir.display()
        )));
    }
    let Some(manifest) = publish::read_manifest(dir) else {
        // A manifest that is there but does not parse is a changed file of a version folder,
        // as any other; only a folder without one is not a version folder at all.
        if let Ok(bytes) = std::fs::read(dir.join(MANIFEST)) {
            let why = serde_json::from_slice::<publish::Manifest>(&bytes)
                .err()
                .map_or_else(String::new, |e| format!(" ({e})"));
            return Err(mismatch(
                dir,
                &[format!("{MANIFEST}: not a readable manifest{why}")],
                "",
            ));
        }
        return Err(Failure::no_input(format!(
            "error: `{}` has no {MANIFEST}; it is not a version folder built by overhang",
            dir.display()
        )));
    };
    let on_disk = publish::read_tree(dir)
        .map_err(|e| Failure::no_input(format!("error: cannot read `{}`: {e}", dir.display())))?;

    // The files against the manifest: catches a changed file whatever built it.
    let mut problems = Vec::new();
    for h in manifest.inputs.iter().chain(&manifest.outputs) {
        match on_disk.iter().find(|(p, _)| *p == h.path) {
            None => problems.push(format!("{}: missing", h.path)),
            Some((_, bytes)) if sha256_hex(bytes) != h.sha256 => {
                problems.push(format!("{}: differs from the manifest", h.path));
            }
            Some(_) => {}
        }
    }
    for (path, _) in &on_disk {
        let listed = path == MANIFEST
            || manifest
                .inputs
                .iter()
                .chain(&manifest.outputs)
                .any(|h| h.path == *path);
        if !listed {
            problems.push(format!("{path}: not in the manifest"));
        }
    }

    // A version folder with a schema: its results.json must validate against it, whatever
    // version of overhang wrote them (folders from before schemas have none).
    let file = |name: &str| on_disk.iter().find(|(p, _)| p == name).map(|(_, b)| b);
    if let (Some(schema), Some(results)) = (file(SCHEMA_FILE), file("results.json")) {
        problems.extend(
            schema::violations(schema, results)
                .into_iter()
                .map(|v| format!("{v} (against {SCHEMA_FILE})")),
        );
    }

    if manifest.tool_version != TOOL_VERSION {
        let mut s = format!(
            "{} was built by overhang {}; this is overhang {TOOL_VERSION}.\n\
             A byte-for-byte rebuild needs the same overhang version, as a reproducible build \
             needs the same toolchain: this is a difference of tools, not evidence of tampering.\n",
            dir.display(),
            manifest.tool_version
        );
        if problems.is_empty() {
            let _ = writeln!(
                s,
                "Every file matches the hashes in its {MANIFEST}; the rebuild was skipped. \
                 Run `overhang verify` from overhang {} to rebuild it.",
                manifest.tool_version
            );
            return Ok(Outcome::stdout(s));
        }
        return Err(mismatch(dir, &problems, &s));
    }

    let read = |name: &str| {
        on_disk
            .iter()
            .find(|(p, _)| *p == format!("inputs/{name}"))
            .map(|(_, b)| SourceFile {
                name: format!("{}/inputs/{name}", dir.display()),
                bytes: b.clone(),
            })
    };
    let (Some(assessment), Some(enhancements)) = (read(ASSESSMENT_FILE), read(ENHANCEMENTS_FILE))
    else {
        problems.push("inputs/: the copy of the inputs is incomplete; cannot rebuild".to_owned());
        return Err(mismatch(dir, &problems, ""));
    };
    let files = InputFiles {
        assessment,
        enhancements,
        composability: read(COMPOSABILITY_FILE),
        scaling: read(SCALING_FILE),
        policies: read(POLICIES_FILE),
    };
    let previous = on_disk
        .iter()
        .find(|(p, _)| *p == format!("inputs/{}", build::PREVIOUS_RESULTS))
        .map(|(_, b)| b.as_slice());
    let mut font_files: Vec<(String, Vec<u8>)> = on_disk
        .iter()
        .filter_map(|(p, b)| {
            p.strip_prefix("inputs/")
                .filter(|name| name.starts_with("fonts/"))
                .map(|name| (name.to_owned(), b.clone()))
        })
        .collect();
    font_files.sort_by(|a, b| a.0.cmp(&b.0));
    let rebuilt = match build::build(&files, &font_files, previous, None) {
        Ok(b) => b,
        Err(f) => {
            problems.push(format!(
                "inputs/: the copied inputs do not build:\n{}",
                f.message
            ));
            return Err(mismatch(dir, &problems, ""));
        }
    };
    for (path, bytes) in &rebuilt.folder.files {
        match on_disk.iter().find(|(p, _)| p == path) {
            None => problems.push(format!("{path}: missing")),
            Some((_, b)) if sha256_hex(b) != sha256_hex(bytes) => {
                problems.push(format!("{path}: differs from the rebuild"));
            }
            Some(_) => {}
        }
    }
    for (path, _) in &on_disk {
        if !rebuilt.folder.files.iter().any(|(p, _)| p == path) {
            problems.push(format!("{path}: not produced by the rebuild"));
        }
    }
    problems.sort();
    problems.dedup();
    if problems.is_empty() {
        Ok(Outcome::stdout(format!(
            "verified {}: all {} files match a rebuild from its inputs (fingerprint {})\n",
            dir.display(),
            rebuilt.folder.files.len(),
            &manifest.fingerprint[..16]
        )))
    } else {
        Err(mismatch(dir, &problems, ""))
    }
}

fn mismatch(dir: &Path, problems: &[String], preface: &str) -> Failure {
    let mut problems = problems.to_vec();
    problems.sort();
    problems.dedup();
    let mut s = preface.to_owned();
    let _ = writeln!(
        s,
        "error: {} does not verify: {} file(s) differ",
        dir.display(),
        problems.len()
    );
    for p in &problems {
        let _ = writeln!(s, "  {p}");
    }
    Failure::new(Code::Mismatch, s)
}
