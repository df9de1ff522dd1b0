//! The tolerances file of `overhang diff` and what its rules answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use overhang_model::tolerances::parse_tolerances;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_tolerances(text, "tolerances.toml") {
        // Parsed rules answer every key with a finite tolerance of 0 or more.
        Ok(rules) => {
            for key in ["open_weights.uplift.12m.p50", "x", "", "a..b", "*.*"] {
                if let Some((abs, rel)) = rules.lookup(key) {
                    assert!(abs.is_finite() && abs >= 0.0, "{text:?}: abs {abs}");
                    assert!(rel.is_finite() && rel >= 0.0, "{text:?}: rel {rel}");
                }
            }
        }
        // A refusal points inside the file, or at the whole file.
        Err(d) => {
            let lines = text.split('\n').count();
            assert!(d.line <= lines, "{text:?}: line {} of {lines}", d.line);
            assert!(!d.message.is_empty(), "{text:?}: an empty message");
        }
    }
});
