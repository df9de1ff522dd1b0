//! No input makes loading, rendering diagnostics or parsing an estimate panic.
//!
//! Inputs are random bytes and mutations of the default inputs (bit flips, truncations,
//! insertions of bytes that matter to TOML and CSV, deletions), fed in turn as
//! assessment.toml, enhancements.csv and composability.csv.

use overhang_model::diagnostic::render;
use overhang_model::{Estimate, InputFiles, load};
use proptest::prelude::*;
use proptest::sample::Index;

const ASSESSMENT: &[u8] = include_bytes!("../../../../inputs/assessment.toml");
const ENHANCEMENTS: &[u8] = include_bytes!("../../../../inputs/enhancements.csv");
const COMPOSABILITY: &[u8] = include_bytes!("../fixtures/good/pairwise/composability.csv");
const PAIRWISE_ASSESSMENT: &[u8] = include_bytes!("../fixtures/good/pairwise/assessment.toml");

/// Bytes that steer TOML and CSV parsers into their less travelled paths.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"'",
    b"\"\"\"",
    b",",
    b"\n",
    b"\r\n",
    b"[",
    b"]",
    b"[[",
    b"=",
    b".",
    b"{",
    b"}",
    b"#",
    b" to ",
    b"(",
    b")",
    b"-",
    b"e999",
    b"nan",
    b"inf",
    b"1e-320",
    b"0",
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"\xc3\xa9",
    b"\t",
    b"\\",
    b"categories.",
    b"fit",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(Index, u8),
    Truncate(Index),
    Insert(Index, Vec<u8>),
    InsertToken(Index, Index),
    Delete(Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(i, bit)| Mutation::Flip(i, bit)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Mutation::InsertToken(i, t)),
        2 => (any::<Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
    ]
}

fn mutate(original: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for m in mutations {
        // Indices are taken over len + 1 so the end of the file is a position too.
        let at = |i: &Index, len: usize| i.index(len + 1);
        match m {
            Mutation::Flip(i, bit) => {
                if !bytes.is_empty() {
                    let k = i.index(bytes.len());
                    bytes[k] ^= 1 << bit;
                }
            }
            Mutation::Truncate(i) => bytes.truncate(at(i, bytes.len())),
            Mutation::Insert(i, b) => {
                let k = at(i, bytes.len());
                bytes.splice(k..k, b.iter().copied());
            }
            Mutation::InsertToken(i, t) => {
                let k = at(i, bytes.len());
                bytes.splice(k..k, t.get(TOKENS).iter().copied());
            }
            Mutation::Delete(i, n) => {
                let k = at(i, bytes.len());
                let end = (k + n).min(bytes.len());
                bytes.drain(k..end);
            }
        }
    }
    bytes
}

/// Loads and, on failure, renders the diagnostics; checks what must hold either way.
fn load_and_render(files: &InputFiles) {
    match load(files) {
        Ok(loaded) => {
            let a = &loaded.assessment;
            assert!(!a.categories.is_empty() && !a.scenarios.is_empty());
            assert!(a.simulation.samples >= 1);
            assert!(loaded.warnings.iter().all(|w| !w.is_error()));
            let _ = render(&loaded.warnings, |n| files.text(n));
        }
        Err(e) => {
            assert!(e.errors().count() >= 1, "an Err without an error");
            for d in &e.diagnostics {
                if let (Some(span), Some(text)) = (&d.span, files.text(&d.file)) {
                    assert!(
                        span.start <= span.end && span.end <= text.len(),
                        "span {span:?} outside {} ({} bytes): {d:?}",
                        d.file,
                        text.len()
                    );
                    assert!(
                        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                        "span {span:?} splits a character: {d:?}"
                    );
                }
            }
            let out = render(&e.diagnostics, |n| files.text(n));
            assert!(out.contains("error"));
        }
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn mutated_assessment_never_panics(ms in prop::collection::vec(mutation(), 1..5)) {
        let toml = mutate(ASSESSMENT, &ms);
        load_and_render(&InputFiles::new(toml.as_slice(), ENHANCEMENTS));
    }

    #[test]
    fn mutated_enhancements_never_panic(ms in prop::collection::vec(mutation(), 1..5)) {
        let csv = mutate(ENHANCEMENTS, &ms);
        load_and_render(&InputFiles::new(ASSESSMENT, csv.as_slice()));
    }

    #[test]
    fn mutated_composability_never_panics(ms in prop::collection::vec(mutation(), 1..5)) {
        let csv = mutate(COMPOSABILITY, &ms);
        load_and_render(&InputFiles::new(PAIRWISE_ASSESSMENT, ENHANCEMENTS).with_composability(csv));
    }
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn random_bytes_as_any_file_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        which in 0usize..3,
    ) {
        let files = match which {
            0 => InputFiles::new(bytes.as_slice(), ENHANCEMENTS),
            1 => InputFiles::new(ASSESSMENT, bytes.as_slice()),
            _ => InputFiles::new(PAIRWISE_ASSESSMENT, ENHANCEMENTS).with_composability(bytes.as_slice()),
        };
        load_and_render(&files);
    }

    #[test]
    fn random_text_as_any_file_never_panics(
        text in "[a-z_ =\\[\\]\".,\n0-9()#'-]{0,200}",
        which in 0usize..3,
    ) {
        let bytes = text.as_bytes();
        let files = match which {
            0 => InputFiles::new(bytes, ENHANCEMENTS),
            1 => InputFiles::new(ASSESSMENT, bytes),
            _ => InputFiles::new(PAIRWISE_ASSESSMENT, ENHANCEMENTS).with_composability(bytes),
        };
        load_and_render(&files);
    }
}

/// Checks that an estimate that parsed has finite, ordered central quantiles, and that an
/// error points inside the text.
fn check_estimate(text: &str) {
    match Estimate::parse(text) {
        Ok(e) => {
            let q = [0.05, 0.5, 0.95].map(|p| e.quantile(p));
            assert!(q.iter().all(|x| x.is_finite()), "{text:?}: {q:?}");
            assert!(q[0] <= q[1] && q[1] <= q[2], "{text:?}: {q:?}");
            let (lo, hi) = e.support();
            assert!(
                lo <= q[0] && q[2] <= hi,
                "{text:?}: {q:?} outside [{lo}, {hi}]"
            );
        }
        Err(err) => {
            assert!(
                err.span.start <= err.span.end && err.span.end <= text.len(),
                "{text:?}: {err:?}"
            );
            assert!(text.is_char_boundary(err.span.start) && text.is_char_boundary(err.span.end));
            assert!(
                err.message.starts_with("expected"),
                "{text:?}: {}",
                err.message
            );
        }
    }
}

/// Numbers across the whole range of f64, written in the estimate language.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|x| format!("{x:e}")),
        (-1000i32..1000).prop_map(|x| x.to_string()),
        (-1.0e3..1.0e3f64).prop_map(|x| format!("{x}")),
        (1u32..10, -320i32..320).prop_map(|(m, e)| format!("{m}e{e}")),
    ]
}

fn estimate_text() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "normal",
        "lognormal",
        "uniform",
        "loguniform",
        "beta",
        "triangular",
    ]);
    prop_oneof![
        number(),
        (number(), number()).prop_map(|(a, b)| format!("{a} to {b}")),
        (name, prop::collection::vec(number(), 1..4))
            .prop_map(|(n, args)| format!("{n}({})", args.join(", "))),
    ]
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn any_string_parses_or_fails_cleanly(text in any::<String>()) {
        check_estimate(&text);
    }

    #[test]
    fn estimate_like_strings_parse_to_finite_ordered_quantiles(text in estimate_text()) {
        check_estimate(&text);
    }
}

#[test]
fn overflowing_estimates_are_rejected_rather_than_infinite() {
    for text in [
        "lognormal(800, 1)",
        "lognormal(0, 1e300)",
        "-1e308 to 1e308",
        "uniform(-1e308, 1e308)",
        "normal(1e308, 1e308)",
        "triangular(-1e308, 0, 1e308)",
    ] {
        let e = Estimate::parse(text).expect_err(text);
        assert!(e.message.contains("overflows"), "{text}: {}", e.message);
        assert_eq!(e.span, 0..text.len(), "{text}");
    }
    assert!(Estimate::parse("1e-300 to 1e300").is_ok());
}
