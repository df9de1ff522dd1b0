//! The valid inputs every target holds fixed while it fuzzes one file.

// Each target fuzzes one file and uses the others.
#![allow(dead_code)]

use overhang_model::{InputFiles, TextRules, load_with};

/// The valid assessment.toml of the model's fixtures, with the pairwise method so that
/// composability.csv is read.
pub const ASSESSMENT: &str = include_str!("../../crates/model/tests/fixtures/good/base/assessment.toml");
/// The valid enhancements.csv of the model's fixtures.
pub const ENHANCEMENTS: &str =
    include_str!("../../crates/model/tests/fixtures/good/base/enhancements.csv");

/// Loads the inputs as check does, with a font that draws ASCII only, so that every path of
/// the text checks runs. Loading may refuse the inputs; it must never panic.
pub fn load(files: &InputFiles) {
    let ascii = |c: char| c.is_ascii();
    let _ = load_with(
        files,
        TextRules {
            drawable: Some(&ascii),
        },
    );
}
