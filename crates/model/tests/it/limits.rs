//! The limits of `load::limits`, one field of each kind at its limit and one past it, driven
//! from the table, so a changed limit is tested as written.

use std::fmt::Write as _;

use overhang_model::load::limits::{FieldKind, LIMITS, MAX_ROWS, MAX_WORD_CHARS};
use overhang_model::{InputFiles, load};

use crate::{fixtures_dir, read_inputs};

fn base() -> (String, String) {
    let files = read_inputs(&fixtures_dir().join("good/base"));
    (
        String::from_utf8(files.assessment.bytes).unwrap(),
        String::from_utf8(files.enhancements.bytes).unwrap(),
    )
}

/// Text of `n` characters in words of at most 10, for the kinds that allow spaces.
fn words(n: usize) -> String {
    let mut s = "abcdefghi ".repeat(n / 10);
    s.push_str(&"x".repeat(n - s.len()));
    s
}

/// The inputs with a field of `kind` holding text of `n` characters, and the field's name in
/// diagnostics.
fn with_field(kind: FieldKind, n: usize) -> (InputFiles, &'static str) {
    let (toml, csv) = base();
    let edit_toml = |from: &str, to: String| {
        assert!(toml.contains(from), "{from}");
        InputFiles::new(toml.replacen(from, &to, 1), csv.clone())
    };
    match kind {
        FieldKind::Id => (
            edit_toml(
                "[scenarios.api_only]",
                format!("[scenarios.{}]", "a".repeat(n)),
            ),
            "scenarios.",
        ),
        FieldKind::Version => (
            edit_toml(
                "version = \"0.1.0\"",
                format!("version = \"0.1.0-{}\"", "a".repeat(n - 6)),
            ),
            "report.version",
        ),
        FieldKind::Label => (
            edit_toml("label = \"Tool use\"", format!("label = \"{}\"", words(n))),
            "categories.tool_use.label",
        ),
        FieldKind::Source => {
            let url = "https://arxiv.org/abs/2408.03314";
            let long = format!("{url}?q={}", "a".repeat(n - url.len() - 3));
            (
                InputFiles::new(toml.clone(), csv.replacen(url, &long, 1)),
                "row 4, column source",
            )
        }
        FieldKind::Text => {
            let note = "benchmark not stated there.";
            let rest = csv[csv.find(note).unwrap()..]
                .split('"')
                .next()
                .unwrap()
                .len();
            let before = csv[..csv.find(note).unwrap()]
                .rsplit('"')
                .next()
                .unwrap()
                .len();
            let long = format!("{note}{}", words(n - before - rest));
            (
                InputFiles::new(toml.clone(), csv.replacen(note, &long, 1)),
                "row 1, column notes",
            )
        }
    }
}

#[test]
fn every_kind_of_field_holds_its_limit_and_refuses_one_more_character() {
    for l in LIMITS {
        let (files, _) = with_field(l.kind, l.max_chars);
        if let Err(e) = load(&files) {
            panic!("{:?} at its limit: {:?}", l.kind, e.diagnostics);
        }
        let (files, field) = with_field(l.kind, l.max_chars + 1);
        let e = load(&files).expect_err("one character past the limit");
        let d: Vec<_> = e.errors().collect();
        assert_eq!(d.len(), 1, "{:?}: {d:?}", l.kind);
        assert!(d[0].field.starts_with(field), "{:?}: {d:?}", l.kind);
        assert!(d[0].line > 0, "{:?}: located", l.kind);
        let expected = format!(
            "expected at most {} characters ({}), found {}",
            l.max_chars,
            l.why,
            l.max_chars + 1
        );
        assert_eq!(d[0].message, expected, "{:?}", l.kind);
    }
}

#[test]
fn a_word_longer_than_the_limit_is_refused_in_any_field() {
    let (toml, csv) = base();
    let at = "w".repeat(MAX_WORD_CHARS);
    let past = "w".repeat(MAX_WORD_CHARS + 1);
    let note = "benchmark not stated there.";
    let fits = InputFiles::new(toml.clone(), csv.replacen(note, &format!("{note} {at}"), 1));
    assert!(load(&fits).is_ok());
    for files in [
        InputFiles::new(
            toml.clone(),
            csv.replacen(note, &format!("{note} {past}"), 1),
        ),
        InputFiles::new(
            toml.replacen("scope = \"", &format!("scope = \"{past} "), 1),
            csv.clone(),
        ),
    ] {
        let e = load(&files).expect_err("a word past the limit");
        let d: Vec<_> = e.errors().collect();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.starts_with(&format!(
                "expected words of at most {MAX_WORD_CHARS} characters"
            )) && d[0]
                .message
                .contains(&format!("found one of {} characters", MAX_WORD_CHARS + 1)),
            "{d:?}"
        );
    }
}

#[test]
fn a_csv_file_holds_at_most_max_rows() {
    let (toml, csv) = base();
    let header = csv.lines().next().unwrap();
    let rows = |n: usize| {
        let mut s = format!("{header}\n");
        for i in 0..n {
            let _ = writeln!(
                s,
                "r{i},Row,scaffolding,bench,10,2023-10,a source,assumption,note"
            );
        }
        s
    };
    assert!(load(&InputFiles::new(toml.clone(), rows(MAX_ROWS))).is_ok());
    let e = load(&InputFiles::new(toml, rows(MAX_ROWS + 1))).expect_err("too many rows");
    let d: Vec<_> = e.errors().collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].field, format!("row {}", MAX_ROWS + 1));
    assert_eq!(d[0].line, MAX_ROWS + 2);
}
