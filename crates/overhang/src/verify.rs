//! `overhang verify`: check a version folder against a rebuild from its own copy of the inputs.
//!
//! Nothing the folder says about itself is taken on trust: every file is checked against the
//! manifest's hash, and the folder is always rebuilt from its `inputs/`. What counts as a match
//! depends on what this overhang can reproduce:
//!
//! - every file equal, byte for byte, to the rebuild's: verified, whatever the manifest says
//!   about the tool that made it;
//! - a manifest that names this overhang's version: every file must equal the rebuild's;
//! - a manifest that names another version (whose PDF, charts and text this one does not
//!   reproduce byte for byte): results.json must agree with the rebuild's number by number
//!   ([`compare`]), and the files this overhang cannot reproduce are vouched for only by a
//!   manifest whose sha256 comes from outside the folder: the hash given with `--expect` (the
//!   one a policy cited), or one of the manifests this project published ([`PUBLISHED`]). A
//!   manifest whose hashes were edited along with a file is then not a manifest anyone cited.
//!
//! The manifest's own sha256 is printed first: it is the hash that names the whole folder.

mod compare;

use std::fmt::Write as _;
use std::path::Path;

use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};
use overhang_model::{InputFiles, SourceFile};

use crate::args::VerifyArgs;
use crate::build::{self, TOOL_VERSION};
use crate::exit::{Code, Failure, Outcome};
use crate::publish::{self, MANIFEST, SEAL, sha256_hex};
use crate::schema::{self, SCHEMA_FILE};

/// The sha256 of manifest.json of every version this project published, by version. A
/// published version never changes, so its manifest's hash vouches for every file it lists,
/// including those a later overhang cannot rebuild byte for byte. Publishing a version adds
/// its line (a test checks that every folder under report/ has one).
pub const PUBLISHED: &[(&str, &str)] = &[
    (
        "0.1.0",
        "cfd64dfb4ba5f505ff75aebf4ffb5aa1e627c68c4d9199a58a7673b94bcaa446",
    ),
    (
        "0.2.0",
        "df2ad1dda3c6e8265cfa8310fc732c8a6da3b85533644fb5786586b1354308db",
    ),
    (
        "0.3.0",
        "8433a184af4129263a3060908e0b0d8294000f2df1b41eb286a469b8ee6ddd8f",
    ),
];

/// Runs `overhang verify`; `Ok` carries the report for stdout.
pub fn run(args: &VerifyArgs) -> Result<Outcome, Failure> {
    let dir = &args.version_dir;
    if !dir.is_dir() {
        return Err(Failure::no_input(format!(
            "error: `{}` is not a version folder",
            dir.display()
        )));
    }
    let Ok(manifest_bytes) = std::fs::read(dir.join(MANIFEST)) else {
        return Err(Failure::no_input(format!(
            "error: `{}` has no {MANIFEST}; it is not a version folder built by overhang",
            dir.display()
        )));
    };
    let manifest_sha = sha256_hex(&manifest_bytes);
    let head = format!("manifest sha256: {manifest_sha}\n");
    let expected = args.expect.as_deref().map(str::to_ascii_lowercase);
    if let Some(expected) = &expected
        && *expected != manifest_sha
    {
        return Err(Failure::new(
            Code::Mismatch,
            format!(
                "{head}error: {} is not the folder that was cited: its {MANIFEST} has sha256 \
                 {manifest_sha}, expected {expected}\n",
                dir.display()
            ),
        ));
    }
    let manifest = match serde_json::from_slice::<publish::Manifest>(&manifest_bytes) {
        Ok(m) => m,
        // A manifest that is there but does not parse is a changed file of a version folder,
        // as any other.
        Err(e) => {
            let problem = format!("{MANIFEST}: not a readable manifest ({e})");
            return Err(mismatch(dir, &[problem], &head));
        }
    };
    let on_disk = publish::read_tree(dir)
        .map_err(|e| Failure::no_input(format!("error: cannot read `{}`: {e}", dir.display())))?;
    let file = |name: &str| on_disk.iter().find(|(p, _)| p == name).map(|(_, b)| b);
    let mut problems = manifest_problems(&manifest, &manifest_bytes, &on_disk);

    // A version folder with a schema: its results.json must validate against it, whatever
    // version of overhang wrote them (folders from before schemas have none).
    if let (Some(schema), Some(results)) = (file(SCHEMA_FILE), file("results.json")) {
        problems.extend(
            schema::violations(schema, results)
                .into_iter()
                .map(|v| format!("{v} (against {SCHEMA_FILE})")),
        );
    }
    let rebuilt = match rebuild(dir, &on_disk) {
        Ok(r) => r,
        Err(p) => {
            problems.push(p);
            return Err(mismatch(dir, &problems, &head));
        }
    };
    if !problems.is_empty() {
        return Err(mismatch(dir, &problems, &head));
    }

    // Every file (the manifest and its seal aside) beside the rebuild's.
    let content = |p: &str| p != MANIFEST && p != SEAL;
    let differing: Vec<&str> = on_disk
        .iter()
        .filter(|(p, _)| content(p))
        .filter(|(p, b)| {
            rebuilt
                .folder
                .files
                .iter()
                .find(|(q, _)| q == p)
                .is_none_or(|(_, c)| c != b)
        })
        .map(|(p, _)| p.as_str())
        .collect();
    let missing: Vec<&str> = rebuilt
        .folder
        .files
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| content(p) && file(p).is_none())
        .collect();
    let rebuilt_manifest = rebuilt
        .folder
        .files
        .iter()
        .find(|(p, _)| p == MANIFEST)
        .map(|(_, b)| b.as_slice());
    let same_tool = manifest.tool_version == TOOL_VERSION;
    if differing.is_empty() && missing.is_empty() {
        if rebuilt_manifest == Some(manifest_bytes.as_slice()) {
            return Ok(Outcome::stdout(format!(
                "{head}verified {}: all {} files match a rebuild from its inputs byte for byte \
                 (fingerprint {})\n",
                dir.display(),
                rebuilt.folder.files.len(),
                &manifest.fingerprint[..16]
            )));
        }
        return Err(mismatch(
            dir,
            &[format!(
                "{MANIFEST}: differs from the rebuild's, though every other file matches \
                 overhang {TOOL_VERSION}'s rebuild byte for byte (it names overhang {})",
                manifest.tool_version
            )],
            &head,
        ));
    }
    if same_tool {
        let mut problems: Vec<String> = differing
            .iter()
            .map(|p| format!("{p}: differs from the rebuild"))
            .chain(missing.iter().map(|p| format!("{p}: missing")))
            .collect();
        if rebuilt_manifest != Some(manifest_bytes.as_slice()) {
            problems.push(format!("{MANIFEST}: differs from the rebuild"));
        }
        return Err(mismatch(dir, &problems, &head));
    }
    another_version(
        dir,
        &manifest,
        &manifest_sha,
        expected.is_some(),
        &on_disk,
        &rebuilt.folder.files,
        &differing,
        &head,
    )
}

/// Checks a version folder's files against its manifest alone, without a rebuild: every file
/// it lists present with its hash, no file it does not list, the seal the manifest's hash.
/// `Ok` carries how many files the manifest lists; a folder that does not match fails as
/// `verify` does ([`Code::Mismatch`]).
pub fn against_manifest(dir: &Path) -> Result<usize, Failure> {
    let Ok(manifest_bytes) = std::fs::read(dir.join(MANIFEST)) else {
        return Err(Failure::no_input(format!(
            "error: `{}` has no {MANIFEST}; it is not a version folder built by overhang",
            dir.display()
        )));
    };
    let head = format!("manifest sha256: {}\n", sha256_hex(&manifest_bytes));
    let manifest = serde_json::from_slice::<publish::Manifest>(&manifest_bytes).map_err(|e| {
        let problem = format!("{MANIFEST}: not a readable manifest ({e})");
        mismatch(dir, &[problem], &head)
    })?;
    let on_disk = publish::read_tree(dir)
        .map_err(|e| Failure::no_input(format!("error: cannot read `{}`: {e}", dir.display())))?;
    let problems = manifest_problems(&manifest, &manifest_bytes, &on_disk);
    if problems.is_empty() {
        Ok(manifest.inputs.len() + manifest.outputs.len())
    } else {
        Err(mismatch(dir, &problems, &head))
    }
}

/// The files of a folder (`on_disk`) against its manifest: catches a changed file whatever
/// built it.
fn manifest_problems(
    manifest: &publish::Manifest,
    manifest_bytes: &[u8],
    on_disk: &[(String, Vec<u8>)],
) -> Vec<String> {
    let file = |name: &str| on_disk.iter().find(|(p, _)| p == name).map(|(_, b)| b);
    let mut problems = Vec::new();
    for h in manifest.inputs.iter().chain(&manifest.outputs) {
        match file(&h.path) {
            None => problems.push(format!("{}: missing", h.path)),
            Some(bytes) if sha256_hex(bytes) != h.sha256 => {
                problems.push(format!("{}: differs from the manifest", h.path));
            }
            Some(_) => {}
        }
    }
    for (path, _) in on_disk {
        let listed = path == MANIFEST
            || path == SEAL
            || manifest
                .inputs
                .iter()
                .chain(&manifest.outputs)
                .any(|h| h.path == *path);
        if !listed {
            problems.push(format!("{path}: not in the manifest"));
        }
    }
    if let Some(seal) = file(SEAL)
        && *seal != publish::seal_bytes(manifest_bytes)
    {
        problems.push(format!("{SEAL}: not the sha256 of {MANIFEST}"));
    }
    problems
}

/// The rebuild of a folder from its own `inputs/`, or why there is none.
fn rebuild(dir: &Path, on_disk: &[(String, Vec<u8>)]) -> Result<build::Built, String> {
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
        return Err("inputs/: the copy of the inputs is incomplete; cannot rebuild".to_owned());
    };
    let files = InputFiles {
        assessment,
        enhancements,
        composability: read(COMPOSABILITY_FILE),
        scaling: read(SCALING_FILE),
        policies: read(POLICIES_FILE),
    };
    let previous_dir = format!("inputs/{}/", build::PREVIOUS);
    let previous: Vec<(String, Vec<u8>)> = on_disk
        .iter()
        .filter_map(|(p, b)| {
            p.strip_prefix(&previous_dir)
                .map(|name| (name.to_owned(), b.clone()))
        })
        .collect();
    let previous = (!previous.is_empty()).then_some(previous.as_slice());
    let mut font_files: Vec<(String, Vec<u8>)> = on_disk
        .iter()
        .filter_map(|(p, b)| {
            p.strip_prefix("inputs/")
                .filter(|name| name.starts_with("fonts/"))
                .map(|name| (name.to_owned(), b.clone()))
        })
        .collect();
    font_files.sort_by(|a, b| a.0.cmp(&b.0));
    build::build(&files, &font_files, previous, None)
        .map_err(|f| format!("inputs/: the copied inputs do not build:\n{}", f.message))
}

/// A folder whose manifest names another overhang version and whose files differ from this
/// version's rebuild: results.json by numbers, the rest by a manifest vouched for from outside.
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one verification, in one place"
)]
fn another_version(
    dir: &Path,
    manifest: &publish::Manifest,
    manifest_sha: &str,
    cited: bool,
    on_disk: &[(String, Vec<u8>)],
    rebuilt: &[(String, Vec<u8>)],
    differing: &[&str],
    head: &str,
) -> Result<Outcome, Failure> {
    let mut s = format!(
        "{head}{} was built by overhang {}; this is overhang {TOOL_VERSION}, which does not \
         make another version's files byte for byte, as a reproducible build needs the same \
         toolchain.\n",
        dir.display(),
        manifest.tool_version
    );
    let find = |files: &[(String, Vec<u8>)], name: &str| {
        files
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, b)| b.clone())
    };
    let numbers = match (find(on_disk, "results.json"), find(rebuilt, "results.json")) {
        (Some(p), Some(r)) => compare::results(&p, &r).map_err(|e| format!("results.json: {e}")),
        _ => Err("results.json: missing".to_owned()),
    };
    let anchor = if cited {
        Some("the manifest sha256 given with --expect".to_owned())
    } else {
        PUBLISHED
            .iter()
            .find(|(_, sha)| *sha == manifest_sha)
            .map(|(v, _)| format!("the manifest this project published as version {v}, which this overhang knows by its sha256"))
    };
    let rest: Vec<&str> = differing
        .iter()
        .copied()
        .filter(|p| *p != "results.json")
        .collect();
    match &numbers {
        Ok(a) if a.differences.is_empty() => {
            let _ = writeln!(
                s,
                "  results.json: its {} numbers agree with this overhang's rebuild from the \
                 folder's inputs ({} of them within their Monte Carlo tolerance of {:.1} \
                 standard errors, the largest difference {:.2}; the rest to a relative {:e}){}",
                a.numbers,
                a.with_se,
                compare::SE_MULTIPLE,
                a.largest_se,
                compare::RELATIVE,
                not_compared(a)
            );
        }
        Ok(a) => {
            let _ = writeln!(
                s,
                "  results.json: {} of its {} numbers and values differ from this overhang's \
                 rebuild beyond their tolerance, the first: {}",
                a.differences.len(),
                a.numbers,
                a.differences[0]
            );
        }
        Err(e) => {
            let _ = writeln!(s, "  {e}");
        }
    }
    let agree = matches!(&numbers, Ok(a) if a.differences.is_empty());
    if let Some(anchor) = &anchor {
        let _ = writeln!(
            s,
            "  {}: every file matches {anchor}",
            if agree {
                "the other files"
            } else {
                "the files"
            }
        );
        let how = if agree {
            "by numbers and by its published manifest"
        } else {
            "by its published manifest"
        };
        let how = if cited {
            how.replace("published", "cited")
        } else {
            how.to_owned()
        };
        return Ok(Outcome::stdout(format!(
            "{s}verified {} {how}\n",
            dir.display()
        )));
    }
    let mut problems = Vec::new();
    match numbers {
        Ok(a) => {
            let n = a.differences.len();
            problems.extend(
                a.differences
                    .into_iter()
                    .take(SHOWN)
                    .map(|d| format!("results.json: {d}")),
            );
            if n > SHOWN {
                problems.push(format!("results.json: ... and {} more", n - SHOWN));
            }
        }
        Err(e) => problems.push(e),
    }
    if !rest.is_empty() {
        let _ = writeln!(
            s,
            "  {}: this overhang cannot make them, and nothing outside the folder vouches for \
             the manifest that hashes them.{} Verify with overhang {}, or give the manifest \
             sha256 the report was cited with as --expect.",
            grouped(&rest).join(", "),
            if agree {
                " That is a difference of tools, not evidence of tampering."
            } else {
                ""
            },
            manifest.tool_version
        );
        problems.extend(
            grouped(&rest).iter().map(|p| {
                format!("{p}: not verified (another version's file, and no cited manifest)")
            }),
        );
    }
    Err(mismatch(dir, &problems, &s))
}

/// Files by name, the charts as one entry with their count.
fn grouped(files: &[&str]) -> Vec<String> {
    let charts = files.iter().filter(|p| p.starts_with("charts/")).count();
    let mut v: Vec<String> = files
        .iter()
        .filter(|p| !p.starts_with("charts/"))
        .map(|p| (*p).to_owned())
        .collect();
    if charts > 0 {
        v.push(format!("charts/ ({charts} files)"));
    }
    v
}

/// The most differences of results.json listed one by one.
const SHOWN: usize = 20;

fn not_compared(a: &compare::Agreement) -> String {
    if a.not_compared.is_empty() {
        String::new()
    } else {
        format!(
            "; {} place(s) this version no longer writes were not compared ({})",
            a.not_compared.len(),
            a.not_compared.join(", ")
        )
    }
}

fn mismatch(dir: &Path, problems: &[String], preface: &str) -> Failure {
    let mut problems = problems.to_vec();
    problems.sort();
    problems.dedup();
    let mut s = preface.to_owned();
    let _ = writeln!(
        s,
        "error: {} does not verify: {} problem(s)",
        dir.display(),
        problems.len()
    );
    for p in &problems {
        let _ = writeln!(s, "  {p}");
    }
    Failure::new(Code::Mismatch, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_published_version_folder_has_its_manifest_hash_here() {
        let report = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../report");
        let mut found = Vec::new();
        for e in std::fs::read_dir(&report).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(version) = name.strip_prefix('v') else {
                continue;
            };
            let bytes = std::fs::read(e.path().join(MANIFEST)).unwrap();
            found.push((version.to_owned(), sha256_hex(&bytes)));
        }
        found.sort();
        let listed: Vec<(String, String)> = PUBLISHED
            .iter()
            .map(|(v, s)| ((*v).to_owned(), (*s).to_owned()))
            .collect();
        assert_eq!(found, listed);
    }
}
