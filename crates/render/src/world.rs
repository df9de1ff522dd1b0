//! The typst `World` the report is compiled in: the embedded fonts and those of the inputs'
//! fonts/ folder, the files it was handed and nothing else.
//!
//! It has no file system, no packages and no clock: `today()` is the report date. Every path
//! it was not handed is refused, so a template (or a string that somehow became markup) cannot
//! read the host's files.

use std::collections::HashMap;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The embedded fonts, loaded once per process: parsing them is most of a cold start.
fn embedded() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut book = FontBook::new();
        let mut fonts = Vec::new();
        for (font, info) in typst_kit::fonts::embedded() {
            book.push(info);
            fonts.push(font);
        }
        (LazyHash::new(book), fonts)
    })
}

/// The fonts a report is typeset with: the embedded ones (Libertinus Serif, New Computer
/// Modern, `DejaVu Sans Mono`), then the font files of the inputs' fonts/ folder in the order
/// given. typst falls back to any of them for a character the main font lacks.
#[derive(Clone)]
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// A file of the fonts/ folder that holds no font typst can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` holds no font: expected a TrueType or OpenType font, or a collection of them")]
pub struct FontFileError(pub String);

impl Fonts {
    /// The embedded fonts only.
    pub fn embedded() -> Self {
        let (book, fonts) = embedded();
        Self {
            book: book.clone(),
            fonts: fonts.clone(),
        }
    }

    /// The embedded fonts and every font in `files` (name, bytes), in that order.
    pub fn with_files(files: &[(String, Vec<u8>)]) -> Result<Self, FontFileError> {
        let (_, embedded_fonts) = embedded();
        let mut fonts = embedded_fonts.clone();
        for (name, bytes) in files {
            let before = fonts.len();
            fonts.extend(Font::iter(Bytes::new(bytes.clone())));
            if fonts.len() == before {
                return Err(FontFileError(name.clone()));
            }
        }
        Ok(Self {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        })
    }

    /// Whether some font can draw `c`.
    pub fn can_draw(&self, c: char) -> bool {
        self.fonts
            .iter()
            .any(|f| f.info().coverage.contains(u32::from(c)))
    }

    /// The families, in the order typst sees them.
    pub fn families(&self) -> Vec<String> {
        self.book
            .families()
            .map(|(name, _)| name.to_owned())
            .collect()
    }
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// A typst world over in-memory files.
pub(crate) struct VirtualWorld {
    main: FileId,
    main_source: Source,
    // Looked up only, never iterated: the order cannot reach an output.
    files: HashMap<FileId, Bytes>,
    today: Datetime,
    fonts: Fonts,
}

/// The file id of a path in the project root.
pub(crate) fn project_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl VirtualWorld {
    /// A world whose main file is `main.typ` with `source`, which can read exactly `files`
    /// (project paths such as `results.json` or `charts/fan.svg`).
    pub(crate) fn new(
        source: String,
        files: Vec<(String, Vec<u8>)>,
        today: Datetime,
        fonts: Fonts,
    ) -> Result<Self, String> {
        let main = project_id("main.typ").ok_or("main.typ is not a valid path")?;
        let mut map = HashMap::new();
        for (path, bytes) in files {
            let id = project_id(&path).ok_or_else(|| format!("{path} is not a valid path"))?;
            map.insert(id, Bytes::new(bytes));
        }
        Ok(Self {
            main,
            main_source: Source::new(main, source),
            files: map,
            today,
            fonts,
        })
    }
}

impl World for VirtualWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.main_source.clone())
        } else if self.files.contains_key(&id) {
            // Only the main file is typst source; the others are data.
            Err(FileError::NotSource)
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main {
            return Ok(Bytes::from_string(self.main_source.clone()));
        }
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> VirtualWorld {
        VirtualWorld::new(
            "= Hello".to_owned(),
            vec![("results.json".to_owned(), b"{}".to_vec())],
            Datetime::from_ymd(2026, 11, 26).unwrap(),
            Fonts::embedded(),
        )
        .unwrap()
    }

    #[test]
    fn the_world_reads_the_files_it_was_handed() {
        let w = world();
        assert_eq!(
            w.file(project_id("results.json").unwrap())
                .unwrap()
                .as_slice(),
            b"{}"
        );
        assert_eq!(w.source(w.main()).unwrap().text(), "= Hello");
        // Paths normalise: "./results.json" is the same file.
        assert!(w.file(project_id("./results.json").unwrap()).is_ok());
    }

    #[test]
    fn the_world_refuses_every_path_it_was_not_handed() {
        let w = world();
        for path in [
            "/etc/passwd",
            "etc/passwd",
            "../results.json",
            "/results.json.bak",
            "charts/fan.svg",
            "Cargo.toml",
            "/proc/self/environ",
        ] {
            if let Some(id) = project_id(path) {
                assert!(w.file(id).is_err(), "{path} was readable");
                assert!(w.source(id).is_err(), "{path} was readable as source");
            }
        }
        // A package path is refused too: there are no packages.
        let spec: typst::syntax::package::PackageSpec = "@preview/example:0.1.0".parse().unwrap();
        let id = RootedPath::new(
            VirtualRoot::Package(spec),
            VirtualPath::new("lib.typ").unwrap(),
        )
        .intern();
        assert!(w.file(id).is_err());
        assert!(w.source(id).is_err());
    }

    #[test]
    fn data_files_are_not_typst_source() {
        let w = world();
        assert!(matches!(
            w.source(project_id("results.json").unwrap()),
            Err(FileError::NotSource)
        ));
    }

    #[test]
    fn today_is_the_fixed_report_date() {
        let w = world();
        assert_eq!(w.today(None), Datetime::from_ymd(2026, 11, 26));
        assert_eq!(
            w.today(Some(Duration::construct(0, 0, 5, 0, 0))),
            Datetime::from_ymd(2026, 11, 26)
        );
    }

    #[test]
    fn the_fonts_are_the_embedded_ones() {
        let w = world();
        let families: Vec<_> = w
            .book()
            .families()
            .map(|(name, _)| name.to_owned())
            .collect();
        assert!(
            families.iter().any(|f| f == "Libertinus Serif"),
            "{families:?}"
        );
        assert!(w.font(0).is_some());
        assert!(w.font(10_000).is_none());
    }
}
