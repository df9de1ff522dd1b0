use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::schema::sha256_hex;
use crate::support::{copy_dir, run, stderr, stdout, tree, workspace};

#[test]
fn verify_passes_on_a_fresh_build() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let o = run(ws.path(), &["verify", "report/v0.1.0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("verified report/v0.1.0"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn verify_detects_a_one_byte_change_in_every_file() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let v = ws.path().join("report/v0.1.0");
    for (rel, bytes) in tree(&v) {
        let path = v.join(&rel);
        let mut changed = bytes.clone();
        let i = changed.len() / 2;
        changed[i] = if changed[i] == b'7' { b'8' } else { b'7' };
        std::fs::write(&path, &changed).unwrap();
        let o = run(ws.path(), &["verify", "report/v0.1.0"]);
        assert_eq!(o.status.code(), Some(1), "a change to {rel} went unnoticed");
        let err = stderr(&o);
        if rel != "manifest.json" {
            assert!(err.contains(&rel), "{rel} not named in:\n{err}");
        }
        std::fs::write(&path, &bytes).unwrap();
    }
    assert_eq!(
        run(ws.path(), &["verify", "report/v0.1.0"]).status.code(),
        Some(0)
    );
}

#[test]
fn a_manifest_that_names_another_tool_version_does_not_skip_the_rebuild() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let m = ws.path().join("report/v0.1.0/manifest.json");
    let text = std::fs::read_to_string(&m).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let text = text.replace(
        &format!("\"tool_version\": \"{version}\""),
        "\"tool_version\": \"9.9.9\"",
    );
    std::fs::write(&m, &text).unwrap();
    let seal = ws.path().join("report/v0.1.0/manifest.sha256");
    let sha = sha256_hex(text.as_bytes());
    std::fs::write(&seal, format!("{sha}  manifest.json\n")).unwrap();
    // Every other file is this version's, byte for byte: only the manifest's claim is false.
    let o = run(ws.path(), &["verify", "report/v0.1.0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("manifest.json: differs from the rebuild's") && err.contains("9.9.9"),
        "{err}"
    );
}

#[test]
fn verify_of_a_folder_without_a_manifest_exits_66() {
    let ws = workspace();
    let o = run(ws.path(), &["verify", "inputs"]);
    assert_eq!(o.status.code(), Some(66));
}

/// A published version folder of the repository.
fn published(version: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../report/v{version}"))
}

/// A copy of the published report/v0.2.0 in a temporary folder, as `v0.2.0`.
fn copy_of_v0_2_0() -> tempfile::TempDir {
    let ws = tempfile::tempdir().unwrap();
    copy_dir(&published("0.2.0"), &ws.path().join("v0.2.0"));
    ws
}

/// Replaces the file `rel` of `dir` by `bytes` and makes the manifest agree: the new hash for
/// the file, and `tool_version` set to `tool`.
fn tamper(dir: &Path, rel: &str, bytes: &[u8], tool: &str) {
    let path = dir.join(rel);
    let old = std::fs::read(&path).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let m = dir.join("manifest.json");
    let mut manifest: Value = serde_json::from_slice(&std::fs::read(&m).unwrap()).unwrap();
    manifest["tool_version"] = Value::from(tool);
    let mut changed = 0;
    for list in ["inputs", "outputs"] {
        for entry in manifest[list].as_array_mut().unwrap() {
            if entry["path"] == rel {
                assert_eq!(entry["sha256"], sha256_hex(&old).as_str());
                entry["sha256"] = Value::from(sha256_hex(bytes));
                changed += 1;
            }
        }
    }
    assert!(changed > 0, "{rel} is not in the manifest");
    let mut text = serde_json::to_string_pretty(&manifest).unwrap();
    text.push('\n');
    std::fs::write(&m, text).unwrap();
}

#[test]
fn a_copy_of_v0_2_0_whose_results_and_manifest_were_edited_together_fails() {
    let version = env!("CARGO_PKG_VERSION");
    // The manifest names the published tool, another one, or this one: no claim skips the
    // rebuild.
    for tool in ["0.2.0", "0.2.1", version] {
        let ws = copy_of_v0_2_0();
        let v = ws.path().join("v0.2.0");
        let path = v.join("results.json");
        let mut results: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let p50 = &mut results["scenarios"][0]["projection"][4]["p50"];
        *p50 = Value::from(p50.as_f64().unwrap() * 1.5);
        let mut text = serde_json::to_string_pretty(&results).unwrap();
        text.push('\n');
        tamper(&v, "results.json", text.as_bytes(), tool);
        let o = run(ws.path(), &["verify", "v0.2.0"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "tool {tool}: {}", stdout(&o));
        assert!(err.contains("results.json"), "tool {tool}: {err}");
        if tool != version {
            assert!(err.contains("scenarios[0].projection[4].p50"), "{err}");
        }
    }
}

#[test]
fn a_copy_of_v0_2_0_whose_input_and_manifest_were_edited_together_fails() {
    let ws = copy_of_v0_2_0();
    let v = ws.path().join("v0.2.0");
    let rel = "inputs/enhancements.csv";
    let text = std::fs::read_to_string(v.join(rel)).unwrap();
    // One evidence row's CEG, 30x, becomes 300x.
    let changed = text.replacen(",GSM8K,30,2021-10,", ",GSM8K,300,2021-10,", 1);
    assert_ne!(changed, text);
    tamper(&v, rel, changed.as_bytes(), "0.2.0");
    let o = run(ws.path(), &["verify", "v0.2.0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("results.json: "), "{}", stderr(&o));
}

#[test]
fn a_copy_of_v0_2_0_whose_pdf_and_manifest_were_edited_together_fails() {
    let ws = copy_of_v0_2_0();
    let v = ws.path().join("v0.2.0");
    let mut pdf = std::fs::read(v.join("report.pdf")).unwrap();
    let i = pdf.len() / 2;
    pdf[i] ^= 1;
    tamper(&v, "report.pdf", &pdf, "0.2.0");
    let o = run(ws.path(), &["verify", "v0.2.0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    // The PDF is another version's, hashed by a manifest no one cited.
    assert!(err.contains("report.pdf: not verified"), "{err}");
    // Cited with the tampered manifest's own hash, the folder is the one cited: what a
    // reader's --expect vouches for is the manifest, and this one is not the published one.
    let sha = sha256_hex(&std::fs::read(v.join("manifest.json")).unwrap());
    let published = sha256_hex(&std::fs::read(published("0.2.0").join("manifest.json")).unwrap());
    let o = run(ws.path(), &["verify", "v0.2.0", "--expect", &published]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&sha) && err.contains(&published), "{err}");
}

#[test]
fn expect_checks_the_manifest_against_the_cited_hash() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let v = ws.path().join("report/v0.1.0");
    let sha = sha256_hex(&std::fs::read(v.join("manifest.json")).unwrap());
    // The hash to cite is printed, and written beside the manifest as sha256sum writes it.
    let o = run(ws.path(), &["verify", "report/v0.1.0"]);
    assert!(
        stdout(&o).contains(&format!("manifest sha256: {sha}\n")),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(v.join("manifest.sha256")).unwrap(),
        format!("{sha}  manifest.json\n")
    );
    let o = run(
        ws.path(),
        &["verify", "report/v0.1.0", "--expect", &sha.to_uppercase()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let wrong = format!(
        "{}{}",
        &sha[..63],
        if sha.ends_with('0') { "1" } else { "0" }
    );
    let o = run(ws.path(), &["verify", "report/v0.1.0", "--expect", &wrong]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&sha) && err.contains(&wrong), "{err}");
}

#[test]
fn the_published_versions_verify_and_say_how() {
    for (version, how) in [
        // 0.2.0's numbers agree with a rebuild but for the prompting bootstrap, whose runaway
        // resample this version refuses; 0.1.0's model differs (the gap at release came
        // later). Their published manifests vouch for them.
        ("0.2.0", "by its published manifest"),
        ("0.1.0", "by its published manifest"),
    ] {
        let dir = published(version);
        let before = tree(&dir);
        let o = run(&dir, &["verify", "."]);
        assert_eq!(o.status.code(), Some(0), "{version}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.contains(&format!("verified . {how}\n")),
            "{version}: {out}"
        );
        assert!(
            out.contains(&format!("built by overhang {version}")),
            "{out}"
        );
        let sha = sha256_hex(&std::fs::read(dir.join("manifest.json")).unwrap());
        assert!(
            out.starts_with(&format!("manifest sha256: {sha}\n")),
            "{out}"
        );
        assert!(tree(&dir) == before, "verify changed a file of v{version}");
    }
}
