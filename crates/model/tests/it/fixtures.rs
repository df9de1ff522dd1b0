//! One inputs folder per kind of bad input under `tests/fixtures/bad/<kind>/`, each the default
//! inputs broken in one way; folders under `tests/fixtures/warn/<kind>/` load with warnings.
//! The rendered diagnostics of each are snapshotted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use overhang_model::diagnostic::render;
use overhang_model::{Diagnostic, Severity, load};

use crate::{default_inputs_dir, fixtures_dir, read_inputs, with_snapshots};

fn kinds(group: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(fixtures_dir().join(group))
        .expect("fixture folder")
        .map(|e| {
            let e = e.expect("fixture entry");
            (e.file_name().to_string_lossy().into_owned(), e.path())
        })
        .collect();
    out.sort();
    out
}

/// The rendered diagnostics, then one line per diagnostic with its structured location, so a
/// snapshot shows both what the user reads and what `--format json` reports.
fn report(dir: &Path, diagnostics: &[Diagnostic]) -> String {
    let files = read_inputs(dir);
    let mut out = render(diagnostics, |n| files.text(n));
    for d in diagnostics {
        let _ = writeln!(
            out,
            "{:?} {}:{}:{} [{}]",
            d.severity, d.file, d.line, d.column, d.field
        );
    }
    out
}

/// The kinds of bad input the loader must report; each has a folder.
const REQUIRED_BAD: [&str; 21] = [
    "unknown_key",
    "missing_required_field",
    "malformed_estimate",
    "low_above_high",
    "nonpositive_multiplier",
    "impossible_date",
    "undefined_category_csv",
    "duplicate_id",
    "composability_outside_unit_interval",
    "threshold_not_above_one",
    "version_not_semver",
    "non_utf8",
    "empty_csv",
    "missing_csv_column",
    "samples_zero",
    "samples_above_limit",
    "step_not_dividing_horizon",
    "scenario_overrides_unknown_category",
    "scenario_overrides_unknown_field",
    "invalid_toml",
    "largest_first_without_kappa",
];

#[test]
fn every_required_kind_of_bad_input_has_a_fixture() {
    let have: Vec<String> = kinds("bad").into_iter().map(|(k, _)| k).collect();
    for kind in REQUIRED_BAD {
        assert!(have.iter().any(|h| h == kind), "no fixture for {kind}");
    }
}

#[test]
fn bad_inputs_fail_with_located_diagnostics() {
    with_snapshots(|| {
        for (kind, dir) in kinds("bad") {
            let files = read_inputs(&dir);
            let err = load(&files).expect_err(&kind);
            assert!(err.errors().count() >= 1, "{kind}: no error");
            for d in err.errors() {
                // Every error names a file of the folder and a field.
                assert!(files.files().any(|f| f.name == d.file), "{kind}: {d:?}");
                assert!(
                    !d.field.is_empty() && !d.message.is_empty(),
                    "{kind}: {d:?}"
                );
                assert!(d.message.contains("expected"), "{kind}: {}", d.message);
            }
            insta::assert_snapshot!(format!("bad__{kind}"), report(&dir, &err.diagnostics));
        }
    });
}

#[test]
fn questionable_inputs_load_with_warnings() {
    with_snapshots(|| {
        for (kind, dir) in kinds("warn") {
            let loaded =
                load(&read_inputs(&dir)).unwrap_or_else(|e| panic!("{kind}: {:#?}", e.diagnostics));
            assert!(!loaded.warnings.is_empty(), "{kind}: no warning");
            assert!(
                loaded
                    .warnings
                    .iter()
                    .all(|w| w.severity == Severity::Warning),
                "{kind}"
            );
            insta::assert_snapshot!(format!("warn__{kind}"), report(&dir, &loaded.warnings));
        }
    });
}

#[test]
fn default_inputs_load_without_errors() {
    with_snapshots(|| {
        let dir = default_inputs_dir();
        let loaded = load(&read_inputs(&dir)).unwrap_or_else(|e| {
            let files = read_inputs(&dir);
            panic!("{}", render(&e.diagnostics, |n| files.text(n)))
        });
        insta::assert_snapshot!("default_inputs_warnings", report(&dir, &loaded.warnings));
    });
}
