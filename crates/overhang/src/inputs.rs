//! Reading an inputs folder into the bytes the model loads.

use std::io::Read as _;
use std::path::Path;

use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, MAX_INPUT_BYTES, POLICIES_FILE,
    SCALING_FILE,
};
use overhang_model::{InputFiles, LoadError, Loaded, SourceFile, TextRules};
use overhang_render::Fonts;

use crate::exit::Failure;

/// The optional folder of font files in an inputs folder.
pub const FONTS_DIR: &str = "fonts";

/// The largest font file read, in bytes: large CJK collections are some 20 to 30 MiB.
pub const MAX_FONT_BYTES: u64 = 64 << 20;

/// The file name endings of the font files fonts/ may hold.
const FONT_EXTENSIONS: [&str; 4] = ["ttf", "otf", "ttc", "otc"];

/// The font files of `dir/fonts/`, as (`fonts/<name>`, bytes) sorted by name; none when there
/// is no such folder. Anything else in it is bad input (exit 65).
pub fn read_fonts(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let fonts_dir = dir.join(FONTS_DIR);
    if !probe(&fonts_dir)?.is_some_and(|m| m.is_dir()) {
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
        let is_font = path.extension().is_some_and(|e| {
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
        let bytes = read_bounded(dir, &path, MAX_FONT_BYTES)?;
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
/// A missing folder or required file is a [`Failure`] with exit code 66, and so is one that
/// cannot be read. A file that is not a regular file (a FIFO, a device, a folder), that is
/// larger than [`MAX_INPUT_BYTES`] or that is a link leading out of `dir` is bad input (exit
/// 65), found before anything is read. Diagnostics name each file by `dir` joined with the
/// file name, as the user would type it.
pub fn read(dir: &Path) -> Result<InputFiles, Failure> {
    if !probe(dir)?.is_some_and(|m| m.is_dir()) {
        return Err(Failure::no_input(format!(
            "error: the inputs folder `{}` does not exist or is not a folder\n\
             help: pass --inputs DIR with assessment.toml and enhancements.csv in it",
            dir.display()
        )));
    }
    // Listing the folder tells an unreadable folder from a missing file.
    std::fs::read_dir(dir).map_err(|e| {
        Failure::no_input(format!(
            "error: cannot read the inputs folder `{}`: {e}",
            dir.display()
        ))
    })?;
    let assessment = required(dir, ASSESSMENT_FILE)?;
    let enhancements = required(dir, ENHANCEMENTS_FILE)?;
    let optional = |name: &str| {
        let path = dir.join(name);
        match probe(&path)? {
            Some(_) => read_file(dir, &path).map(Some),
            None => Ok(None),
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
    if probe(&path)?.is_none() {
        return Err(Failure::no_input(format!(
            "error: missing input file `{}`\n\
             help: an inputs folder holds {ASSESSMENT_FILE}, {ENHANCEMENTS_FILE} and optionally {COMPOSABILITY_FILE}, {SCALING_FILE} and {POLICIES_FILE}",
            path.display()
        )));
    }
    read_file(dir, &path)
}

/// The metadata of `path` (links followed), `None` when nothing is there; any other error
/// (a folder that cannot be searched, say) is a file that cannot be read (exit 66).
fn probe(path: &Path) -> Result<Option<std::fs::Metadata>, Failure> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(cannot_read(path, &e)),
        // A dangling link is a file that cannot be read, not a missing one.
        Ok(_) => std::fs::metadata(path)
            .map(Some)
            .map_err(|e| cannot_read(path, &e)),
    }
}

fn cannot_read(path: &Path, e: &std::io::Error) -> Failure {
    Failure::no_input(format!("error: cannot read `{}`: {e}", path.display()))
}

fn read_file(dir: &Path, path: &Path) -> Result<SourceFile, Failure> {
    Ok(SourceFile {
        name: display_name(path),
        bytes: read_bounded(dir, path, MAX_INPUT_BYTES)?,
    })
}

/// The bytes of the file `path` of the inputs folder `dir`, refused before reading when it is
/// not a regular file, is larger than `limit` bytes or is a link out of `dir`; reading stops
/// at `limit` bytes in case the file grows meanwhile.
fn read_bounded(dir: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let name = display_name(path);
    let meta = probe(path)?.ok_or_else(|| {
        Failure::no_input(format!("error: missing input file `{}`", path.display()))
    })?;
    if !meta.is_file() {
        return Err(Failure::data(format!(
            "error: {name}: expected a regular file, found {}\n\
             help: an input is read whole; a pipe, a device or a folder cannot be",
            file_kind(&meta)
        )));
    }
    if meta.len() > limit {
        return Err(too_large(&name, meta.len(), limit));
    }
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        let target = std::fs::canonicalize(path).map_err(|e| cannot_read(path, &e))?;
        let inside = std::fs::canonicalize(dir).is_ok_and(|d| target.starts_with(d));
        if !inside {
            return Err(Failure::data(format!(
                "error: {name}: expected a file inside the inputs folder, found a link to `{}`\n\
                 help: copy the file into the inputs folder: a report is built from, and \
                 copies, the folder's own files",
                target.display()
            )));
        }
    }
    let file = std::fs::File::open(path).map_err(|e| cannot_read(path, &e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(path, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&name, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn too_large(name: &str, len: u64, limit: u64) -> Failure {
    Failure::data(format!(
        "error: {name}: expected an input file of at most {} MiB, found {} bytes\n\
         help: an assessment's inputs are far smaller; this is not the file you meant, or it \
         holds more rows than a report can show",
        limit >> 20,
        len
    ))
}

/// What a file that is not a regular file is, in words.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        } else if t.is_char_device() || t.is_block_device() {
            return "a device";
        } else if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// The path as diagnostics show it: forward slashes, no leading `./`.
fn display_name(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}
