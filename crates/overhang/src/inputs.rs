//! Reading an inputs folder into the bytes the model loads.

use std::path::{Path, PathBuf};

use overhang_model::load::{ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, SCALING_FILE};
use overhang_model::{InputFiles, SourceFile};

use crate::exit::Failure;

/// Reads assessment.toml, enhancements.csv and, when present, composability.csv and
/// scaling.csv from `dir`.
///
/// A missing folder or required file is a [`Failure`] with exit code 66. Diagnostics name
/// each file by `dir` joined with the file name, as the user would type it.
pub fn read(dir: &Path) -> Result<InputFiles, Failure> {
    if !dir.is_dir() {
        return Err(Failure::no_input(format!(
            "error: the inputs folder `{}` does not exist or is not a folder\n\
             help: pass --inputs DIR with assessment.toml and enhancements.csv in it",
            dir.display()
        )));
    }
    let assessment = required(dir, ASSESSMENT_FILE)?;
    let enhancements = required(dir, ENHANCEMENTS_FILE)?;
    let optional = |name: &str| {
        let path = dir.join(name);
        if path.exists() {
            read_file(&path).map(Some)
        } else {
            Ok(None)
        }
    };
    Ok(InputFiles {
        assessment,
        enhancements,
        composability: optional(COMPOSABILITY_FILE)?,
        scaling: optional(SCALING_FILE)?,
    })
}

fn required(dir: &Path, name: &str) -> Result<SourceFile, Failure> {
    let path = dir.join(name);
    if !path.exists() {
        return Err(Failure::no_input(format!(
            "error: missing input file `{}`\n\
             help: an inputs folder holds {ASSESSMENT_FILE}, {ENHANCEMENTS_FILE} and optionally {COMPOSABILITY_FILE} and {SCALING_FILE}",
            path.display()
        )));
    }
    read_file(&path)
}

fn read_file(path: &PathBuf) -> Result<SourceFile, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::no_input(format!("error: cannot read `{}`: {e}", path.display())))?;
    Ok(SourceFile {
        name: display_name(path),
        bytes,
    })
}

/// The path as diagnostics show it: forward slashes, no leading `./`.
fn display_name(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}
