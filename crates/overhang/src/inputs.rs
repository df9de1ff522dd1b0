//! Reading an inputs folder into the bytes the model loads.

use std::path::{Path, PathBuf};

use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};
use overhang_model::{InputFiles, LoadError, Loaded, SourceFile, TextRules};
use overhang_render::Fonts;

use crate::exit::Failure;

/// The optional folder of font files in an inputs folder.
pub const FONTS_DIR: &str = "fonts";

/// The file name endings of the font files fonts/ may hold.
const FONT_EXTENSIONS: [&str; 4] = ["ttf", "otf", "ttc", "otc"];

/// The font files of `dir/fonts/`, as (`fonts/<name>`, bytes) sorted by name; none when there
/// is no such folder. Anything else in it is bad input (exit 65).
pub fn read_fonts(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let fonts_dir = dir.join(FONTS_DIR);
    if !fonts_dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(&fonts_dir).map_err(|e| {
        Failure::no_input(format!("error: cannot read `{}`: {e}", fonts_dir.display()))
    })?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| {
                Failure::no_input(format!("error: cannot read `{}`: {e}", fonts_dir.display()))
            })?
            .path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let is_font = path.is_file()
            && path.extension().is_some_and(|e| {
                FONT_EXTENSIONS
                    .iter()
                    .any(|f| e.to_string_lossy().eq_ignore_ascii_case(f))
            });
        if !is_font {
            return Err(Failure::data(format!(
                "error: {}: expected a font file (.ttf, .otf, .ttc or .otc), found `{name}`
                 help: the {FONTS_DIR}/ folder of the inputs holds only the fonts the report may use",
                display_name(&path)
            )));
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            Failure::no_input(format!("error: cannot read `{}`: {e}", path.display()))
        })?;
        out.push((format!("{FONTS_DIR}/{name}"), bytes));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Loads the inputs as the report will typeset them: text none of `fonts` can draw is refused
/// where it was written, so what `check` accepts, `build` builds.
pub fn load(files: &InputFiles, fonts: &Fonts) -> Result<Loaded, LoadError> {
    let can_draw = |c: char| fonts.can_draw(c);
    overhang_model::load_with(
        files,
        TextRules {
            drawable: Some(&can_draw),
        },
    )
}

/// The fonts the report is typeset with: the embedded ones and `files` (from [`read_fonts`]).
/// A file that holds no font is bad input (exit 65), named as in `dir`.
pub fn fonts(dir: &str, files: &[(String, Vec<u8>)]) -> Result<Fonts, Failure> {
    Fonts::with_files(files).map_err(|e| {
        Failure::data(format!(
            "error: {dir}/{}: expected a TrueType or OpenType font (or a collection of them),              found a file with no font typst can read
             help: remove it from the fonts/ folder or replace it with a font file",
            e.0
        ))
    })
}

/// Reads assessment.toml, enhancements.csv and, when present, composability.csv,
/// scaling.csv and policies.toml from `dir`.
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
        policies: optional(POLICIES_FILE)?,
    })
}

fn required(dir: &Path, name: &str) -> Result<SourceFile, Failure> {
    let path = dir.join(name);
    if !path.exists() {
        return Err(Failure::no_input(format!(
            "error: missing input file `{}`\n\
             help: an inputs folder holds {ASSESSMENT_FILE}, {ENHANCEMENTS_FILE} and optionally {COMPOSABILITY_FILE}, {SCALING_FILE} and {POLICIES_FILE}",
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
