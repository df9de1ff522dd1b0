//! The typst `World` the report is compiled in: embedded fonts, the files it was handed and
//! nothing else.
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
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
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
        })
    }
}

impl World for VirtualWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
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
        fonts().1.get(index).cloned()
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
