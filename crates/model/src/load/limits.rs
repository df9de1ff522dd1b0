//! How long each kind of text field may be, and how many rows a CSV input may hold: one
//! table, enforced by the loader (in `text.rs`, which visits every string of every input), so
//! that what `check` accepts the report can hold.
//!
//! Every string reaches the report somewhere: as typeset text (a word that cannot be broken
//! becomes one string of the PDF, which PDF/A limits to 32,767 bytes, two bytes a glyph), as a
//! link (a URL), as a tag or alternative text (a label, whole), or as a file name (ids and the
//! version, which file systems limit to 255 bytes). The limits sit far above what a real
//! assessment writes and far below what breaks the output.

/// What a text field is, which sets its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldKind {
    /// A name that becomes part of a file name: a TOML key (the ids of categories, scopes,
    /// scenarios and profiles), an evidence row's `id`, `scope`, `enhancement` or
    /// `components`, a scaling family.
    Id,
    /// `report.version`: the name of the version's folder.
    Version,
    /// A short name shown in headings, legends and tables and written whole into the PDF's
    /// tags: every `label`, an evidence row's `name` and `benchmark`, a scaling `model`.
    Label,
    /// A `source`: a URL (a link of the PDF) or a citation.
    Source,
    /// Prose: notes, descriptions, the report's scope and changes, and every other string.
    Text,
}

/// The limit of one kind of field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The kind of field.
    pub kind: FieldKind,
    /// The most characters (Unicode scalar values) a field of this kind may hold.
    pub max_chars: usize,
    /// Why, in the words of a diagnostic: "... (`why`)".
    pub why: &'static str,
}

/// The limit of every kind of field.
pub const LIMITS: [Limit; 5] = [
    Limit {
        kind: FieldKind::Id,
        max_chars: 64,
        why: "ids become parts of file names, which file systems limit to 255 bytes",
    },
    Limit {
        kind: FieldKind::Version,
        max_chars: 64,
        why: "the version names the folder report/v<version>/",
    },
    Limit {
        kind: FieldKind::Label,
        max_chars: 300,
        why: "a label is shown in headings, legends and tables and written whole into the PDF's tags",
    },
    Limit {
        kind: FieldKind::Source,
        max_chars: 2000,
        why: "a source URL becomes a link of the PDF, which readers limit",
    },
    Limit {
        kind: FieldKind::Text,
        max_chars: 100_000,
        why: "some 40 pages of the report; a longer text belongs in a document the notes cite",
    },
];

/// The longest word (a run of characters without white space) of any field, in characters:
/// the typesetter cannot break it, and the PDF writes it as one string, which PDF/A limits to
/// 32,767 bytes (16,383 glyphs). A URL is one word, so this is the longest [`FieldKind::Source`]
/// too.
pub const MAX_WORD_CHARS: usize = 2000;

// Two glyph bytes a character, with room for characters that shape to several glyphs.
const _: () = assert!(MAX_WORD_CHARS * 2 * 4 < 32_767);

/// The most data rows an enhancements.csv, composability.csv or scaling.csv may hold: the
/// report lists every evidence row with its source, and a table of this many rows is some
/// 300 pages already.
pub const MAX_ROWS: usize = 10_000;

/// The limit of a kind of field.
pub fn limit(kind: FieldKind) -> &'static Limit {
    LIMITS
        .iter()
        .find(|l| l.kind == kind)
        .expect("LIMITS has every kind")
}

/// The kind of the value at the dotted TOML path `path` (`categories.data.label`,
/// `report.authors[0]`).
pub(super) fn toml_kind(path: &str) -> FieldKind {
    let key = path.rsplit('.').next().unwrap_or(path);
    let key = key.split('[').next().unwrap_or(key);
    match key {
        "version" if path == "report.version" => FieldKind::Version,
        "label" | "policy_name" => FieldKind::Label,
        "source" => FieldKind::Source,
        _ => FieldKind::Text,
    }
}

/// The kind of the CSV column `column`.
pub(super) fn csv_kind(column: &str) -> FieldKind {
    match column {
        "id" | "scope" | "enhancement" | "family" => FieldKind::Id,
        "name" | "benchmark" | "model" => FieldKind::Label,
        "source" => FieldKind::Source,
        _ => FieldKind::Text,
    }
}

/// The length in characters of the longest word of `s`, and the byte offset where it starts.
pub(super) fn longest_word(s: &str) -> (usize, usize) {
    let mut best = (0, 0);
    let mut start = 0;
    let mut len = 0;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            len = 0;
        } else {
            if len == 0 {
                start = i;
            }
            len += 1;
            if len > best.0 {
                best = (len, start);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_limit_and_words_fit_every_kind_but_ids() {
        for (i, l) in LIMITS.iter().enumerate() {
            assert_eq!(limit(l.kind), l, "{:?} is listed once", l.kind);
            assert!(LIMITS[..i].iter().all(|o| o.kind != l.kind));
        }
        assert!(limit(FieldKind::Source).max_chars <= MAX_WORD_CHARS);
    }

    #[test]
    fn fields_are_classified_by_their_key_or_column() {
        assert_eq!(toml_kind("report.version"), FieldKind::Version);
        assert_eq!(toml_kind("thresholds[0].policy_version"), FieldKind::Text);
        assert_eq!(toml_kind("categories.data.label"), FieldKind::Label);
        assert_eq!(toml_kind("context[2].source"), FieldKind::Source);
        assert_eq!(toml_kind("report.authors[1]"), FieldKind::Text);
        assert_eq!(csv_kind("id"), FieldKind::Id);
        assert_eq!(csv_kind("notes"), FieldKind::Text);
    }

    #[test]
    fn the_longest_word_is_counted_in_characters() {
        assert_eq!(longest_word("ab  éééé c"), (4, 4));
        assert_eq!(longest_word(""), (0, 0));
        assert_eq!(longest_word("   "), (0, 0));
    }
}
