//! `overhang init`: a starter inputs folder.

use std::path::Path;

use overhang_model::load::{ASSESSMENT_FILE, ENHANCEMENTS_FILE};

use crate::args::InitArgs;
use crate::exit::{Failure, Outcome};

/// The starter files: every section of assessment.toml commented, and two example evidence
/// rows that say they are examples.
const STARTER: [(&str, &str); 2] = [
    (ASSESSMENT_FILE, include_str!("../starter/assessment.toml")),
    (
        ENHANCEMENTS_FILE,
        include_str!("../starter/enhancements.csv"),
    ),
];

/// Runs `overhang init`: writes the starter files into the folder, never over a file.
pub fn run(args: &InitArgs) -> Result<Outcome, Failure> {
    let dir = &args.dir;
    let existing: Vec<String> = STARTER
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|p| p.exists())
        .map(|p| format!("`{}`", p.display()))
        .collect();
    if !existing.is_empty() {
        return Err(Failure::cant_write(format!(
            "error: {} already {}; nothing was written\n\
             help: init starts a new inputs folder: name an empty or new folder",
            existing.join(" and "),
            if existing.len() == 1 {
                "exists"
            } else {
                "exist"
            }
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::cant_write(format!("error: cannot create `{}`: {e}", dir.display()))
    })?;
    for (name, text) in STARTER {
        write_new(&dir.join(name), text)?;
    }
    let shown = dir.display();
    Ok(Outcome::stdout(format!(
        "wrote a starter inputs folder in {shown}: {ASSESSMENT_FILE} (every field commented) and \
         {ENHANCEMENTS_FILE} (two example rows)\n\
         next: edit them, then `overhang check --inputs {shown}` and \
         `overhang build --inputs {shown} --draft`\n"
    )))
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            Failure::cant_write(format!("error: cannot write `{}`: {e}", path.display()))
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Failure::cant_write(format!("error: cannot write `{}`: {e}", path.display())))
}
