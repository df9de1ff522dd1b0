//! Integration tests of overhang-model, compiled as one binary.

mod changes;
mod estimates;
mod fixtures;
mod fuzz;
mod limits;
mod line_endings;
mod loading;
mod patch;
mod shapley;
mod vectors;

use std::path::{Path, PathBuf};

use overhang_model::InputFiles;
use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};

/// The folder of the test fixtures.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The default inputs of the workspace.
pub fn default_inputs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../inputs")
}

/// Reads an inputs folder the way the binary does, naming each file by its bare file name so
/// rendered diagnostics do not depend on where the folder is.
pub fn read_inputs(dir: &Path) -> InputFiles {
    let read = |name: &str| {
        std::fs::read(dir.join(name))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
    };
    let mut files = InputFiles::new(read(ASSESSMENT_FILE), read(ENHANCEMENTS_FILE));
    if dir.join(COMPOSABILITY_FILE).exists() {
        files = files.with_composability(read(COMPOSABILITY_FILE));
    }
    if dir.join(SCALING_FILE).exists() {
        files = files.with_scaling(read(SCALING_FILE));
    }
    if dir.join(POLICIES_FILE).exists() {
        files = files.with_policies(read(POLICIES_FILE));
    }
    files
}

/// Runs `f` with insta writing to the workspace's `snapshots/model` folder.
pub fn with_snapshots(f: impl FnOnce()) {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../snapshots/model"
    ));
    s.set_prepend_module_to_snapshot(false);
    s.bind(f);
}
