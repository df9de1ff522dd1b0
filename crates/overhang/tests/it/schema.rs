//! results.schema.json: written into every version folder, listed in its manifest, and
//! checked by `build` and `verify`.

use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::support::{run, stderr, workspace};

pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn every_version_folder_has_a_schema_that_names_every_top_level_key_and_validates() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let v = ws.path().join("report/v0.1.0");
    let schema = read_json(&v.join("results.schema.json"));
    let results = read_json(&v.join("results.json"));
    let properties = schema["properties"].as_object().unwrap();
    for key in results.as_object().unwrap().keys() {
        assert!(properties.contains_key(key), "{key} is not in the schema");
    }
    // An independent check with the validator, beside the one `build` makes.
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&results)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // Percentiles are keyed by level.
    let point = &results["scenarios"][0]["projection"][0];
    assert!(point["se"]["p50"].is_number(), "{point}");
    let manifest = read_json(&v.join("manifest.json"));
    assert!(
        manifest["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["path"] == "results.schema.json"),
        "{manifest}"
    );
}

#[test]
fn verify_names_a_results_json_that_breaks_its_schema_even_when_its_hash_matches() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let v = ws.path().join("report/v0.1.0");
    let path = v.join("results.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replacen("\"schema_version\": 3", "\"schema_version\": \"two\"", 1);
    assert_ne!(broken, text);
    std::fs::write(&path, &broken).unwrap();
    // The manifest is made to agree with the changed file, and to name another tool version,
    // so no rebuild runs: only the schema can tell.
    let m = v.join("manifest.json");
    let old_hash = sha256_hex(text.as_bytes());
    let new_hash = sha256_hex(broken.as_bytes());
    let manifest = std::fs::read_to_string(&m)
        .unwrap()
        .replace(&old_hash, &new_hash)
        .replace(
            &format!("\"tool_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"tool_version\": \"9.9.9\"",
        );
    std::fs::write(&m, manifest).unwrap();
    let o = run(ws.path(), &["verify", "report/v0.1.0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("results.json at /schema_version:") && err.contains("results.schema.json"),
        "{err}"
    );
}

#[test]
fn a_manifest_that_does_not_parse_is_a_mismatch_not_a_missing_folder() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let m = ws.path().join("report/v0.1.0/manifest.json");
    std::fs::write(&m, b"{ not json").unwrap();
    let o = run(ws.path(), &["verify", "report/v0.1.0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("manifest.json: not a readable manifest"));
    std::fs::remove_file(&m).unwrap();
    assert_eq!(
        run(ws.path(), &["verify", "report/v0.1.0"]).status.code(),
        Some(66)
    );
}
