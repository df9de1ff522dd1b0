//! One case per kind of bad input, `tests/fixtures/bad/<kind>.diff`: a unified diff against
//! the valid inputs in `tests/fixtures/good/base/` that breaks them in one way; the cases in
//! `tests/fixtures/warn/` load with warnings. The rendered diagnostics of each are snapshotted.
//!
//! A new case: copy `good/base/` to a scratch folder, break it, and write
//! `diff -U1 --label a/<file> --label b/<file> good/base/<file> <scratch>/<file>` for each
//! changed file (`/dev/null` as the old side of a new file) into `bad/<kind>.diff`, under a
//! first line `# <what it breaks>`; the test applies it (see `patch.rs`) and `cargo insta
//! review` shows the new snapshot.

use std::fmt::Write as _;
use std::path::PathBuf;

use overhang_model::diagnostic::render;
use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};
use overhang_model::{Diagnostic, InputFiles, Severity, load};

use crate::patch::{self, Files};
use crate::{default_inputs_dir, fixtures_dir, read_inputs, with_snapshots};

/// The cases of a group, by name, in name order.
fn kinds(group: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(fixtures_dir().join(group))
        .expect("fixture folder")
        .filter_map(|e| {
            let path = e.expect("fixture entry").path();
            let kind = path
                .file_name()?
                .to_str()?
                .strip_suffix(".diff")?
                .to_owned();
            Some((kind, path))
        })
        .collect();
    out.sort();
    out
}

/// The inputs of a case: the base with the case's patch applied.
fn case_inputs(patch_file: &PathBuf) -> InputFiles {
    let base = fixtures_dir().join("good/base");
    let mut files = Files::new();
    for name in [ASSESSMENT_FILE, ENHANCEMENTS_FILE, POLICIES_FILE] {
        if !base.join(name).exists() {
            continue;
        }
        files.insert(
            name.to_owned(),
            std::fs::read(base.join(name)).expect("base file"),
        );
    }
    let diff = std::fs::read(patch_file).expect("patch file");
    patch::apply(&mut files, &diff).unwrap_or_else(|e| panic!("{}: {e}", patch_file.display()));
    let take = |name: &str| files.get(name).cloned().unwrap_or_default();
    let mut inputs = InputFiles::new(take(ASSESSMENT_FILE), take(ENHANCEMENTS_FILE));
    if let Some(c) = files.get(COMPOSABILITY_FILE) {
        inputs = inputs.with_composability(c.clone());
    }
    if let Some(s) = files.get(SCALING_FILE) {
        inputs = inputs.with_scaling(s.clone());
    }
    if let Some(p) = files.get(POLICIES_FILE) {
        inputs = inputs.with_policies(p.clone());
    }
    inputs
}

/// The rendered diagnostics, then one line per diagnostic with its structured location, so a
/// snapshot shows both what the user reads and what `--format json` reports.
fn report(files: &InputFiles, diagnostics: &[Diagnostic]) -> String {
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
const REQUIRED_BAD: [&str; 88] = [
    "gap_below_one",
    "gap_with_elicited",
    "lag_negative",
    "lag_misspelled",
    "gap_of_frozen_category",
    "policies_text_graded_secondary",
    "policies_unknown_trigger_kind",
    "policies_trigger_months_zero",
    "policies_superseded_by_unknown_id",
    "policies_text_without_locator",
    "threshold_clause_missing",
    "threshold_clause_step_mismatch",
    "profile_unknown_category",
    "profile_changes_available",
    "profile_elicited_not_positive",
    "profile_without_label",
    "evidence_inference_cost_not_positive",
    "evidence_inference_cost_malformed",
    "scenario_inference_cost_not_positive",
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
    "bound_not_a_number",
    "bound_strict_operator",
    "scaling_compute_not_a_number",
    "scaling_score_not_a_number",
    "scope_overrides_unknown_category",
    "scope_overrides_composability",
    "scope_named_average",
    "scope_without_label",
    "cadence_not_an_integer",
    "cadence_beyond_horizon",
    "cadence_zero",
    "tolerance_not_a_number",
    "tolerance_outside_unit_interval",
    "combination_undefined_category",
    "combination_unknown_component",
    "combination_component_other_benchmark",
    "combination_components_not_covering",
    "components_on_single_row",
    "learn_not_a_boolean",
    "learn_without_combination_sd",
    "combination_sd_not_positive",
    "learn_with_max_method",
    "evaluation_samples_zero",
    "evaluation_fine_tuning_not_a_boolean",
    "evaluation_without_description",
    "correlation_outside_unit_interval",
    "growth_shape_unknown",
    "saturation_years_missing",
    "saturation_years_not_positive",
    "saturation_years_with_linear_growth",
    "saturating_category_without_cap",
    "ceiling_not_positive",
    "context_per_year_not_positive",
    "available_elicited_misspelled",
    "undeclared_scope_csv",
    "scope_without_scopes_csv",
    "inference_cost_not_positive",
    "inference_multiple_not_positive",
    "inference_exchange_not_positive",
    "study_not_an_id",
    "estimand_missing",
    "estimand_unknown",
    "mix_undefined_category",
    "mix_own_category",
    "metric_unknown",
    "scaling_compute_basis_unknown",
    "scaling_compute_basis_mixed",
    "scaling_parameters_without_notes",
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
        for (kind, case) in kinds("bad") {
            let files = case_inputs(&case);
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
            insta::assert_snapshot!(format!("bad__{kind}"), report(&files, &err.diagnostics));
        }
    });
}

#[test]
fn questionable_inputs_load_with_warnings() {
    with_snapshots(|| {
        for (kind, case) in kinds("warn") {
            let files = case_inputs(&case);
            let loaded = load(&files).unwrap_or_else(|e| panic!("{kind}: {:#?}", e.diagnostics));
            assert!(!loaded.warnings.is_empty(), "{kind}: no warning");
            assert!(
                loaded
                    .warnings
                    .iter()
                    .all(|w| w.severity == Severity::Warning),
                "{kind}"
            );
            insta::assert_snapshot!(format!("warn__{kind}"), report(&files, &loaded.warnings));
        }
    });
}

#[test]
fn default_inputs_load_without_errors() {
    with_snapshots(|| {
        let dir = default_inputs_dir();
        let files = read_inputs(&dir);
        let loaded = load(&files)
            .unwrap_or_else(|e| panic!("{}", render(&e.diagnostics, |n| files.text(n))));
        insta::assert_snapshot!("default_inputs_warnings", report(&files, &loaded.warnings));
    });
}
