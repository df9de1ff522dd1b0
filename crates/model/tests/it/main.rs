//! Integration tests of overhang-model, compiled as one binary.

mod estimates;
mod fixtures;
mod fuzz;
mod loading;
mod vectors;

use std::path::{Path, PathBuf};

use overhang_model::{InputFiles, SourceFile};

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
    let read = |name: &str| SourceFile {
        name: name.to_owned(),
        bytes: std::fs::read(dir.join(name))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display())),
    };
    let composability = dir
        .join("composability.csv")
        .exists()
        .then(|| read("composability.csv"));
    InputFiles {
        assessment: read("assessment.toml"),
        enhancements: read("enhancements.csv"),
        composability,
    }
}

/// Inputs from in-memory texts, named as in an inputs folder.
pub fn inputs_from(
    assessment: &[u8],
    enhancements: &[u8],
    composability: Option<&[u8]>,
) -> InputFiles {
    let file = |name: &str, bytes: &[u8]| SourceFile {
        name: name.to_owned(),
        bytes: bytes.to_vec(),
    };
    InputFiles {
        assessment: file("assessment.toml", assessment),
        enhancements: file("enhancements.csv", enhancements),
        composability: composability.map(|b| file("composability.csv", b)),
    }
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
