//! The project's own scaling tables derive without a problem, and their derived CEGs are the
//! ones the evidence notes state.

use std::collections::BTreeMap;
use std::path::PathBuf;

use overhang_calibrate::{CalibrateWarning, EvidenceRef, derive};
use overhang_model::{Censoring, ScalingRow};

use overhang_testkit::{Tolerance, assert_close};

/// The CEGs the notes of enhancements.csv state, to three or four significant digits.
const STATED: Tolerance = Tolerance::relative_of("STATED", 1e-3);

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../inputs")
}

/// The scaling rows, with their 1-based lines (the header is line 1).
fn scaling_rows() -> Vec<ScalingRow> {
    let mut reader = csv::Reader::from_path(folder().join("scaling.csv")).unwrap();
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap();
            ScalingRow {
                family: r[0].to_owned(),
                model: r[1].to_owned(),
                compute: r[2].parse().unwrap(),
                benchmark: r[3].to_owned(),
                score: r[4].parse().unwrap(),
                enhancement: (!r[5].is_empty()).then(|| r[5].to_owned()),
                source: r[6].to_owned(),
                notes: r[7].to_owned(),
                compute_basis: None,
                line: i + 2,
            }
        })
        .collect()
}

/// (id, line, ceg text) of every evidence row.
fn evidence_rows() -> Vec<(String, usize, String)> {
    let mut reader = csv::Reader::from_path(folder().join("enhancements.csv")).unwrap();
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap();
            (r[0].to_owned(), i + 2, r[4].to_owned())
        })
        .collect()
}

#[test]
fn the_default_tables_derive_every_derive_row() {
    let scaling = scaling_rows();
    let evidence = evidence_rows();
    let refs: Vec<EvidenceRef<'_>> = evidence
        .iter()
        .map(|(id, line, ceg)| EvidenceRef {
            id,
            line: *line,
            derive: ceg == "derive",
        })
        .collect();
    let out = derive(&scaling, &refs);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let wanted = refs.iter().filter(|r| r.derive).count();
    assert_eq!(out.derivations.len(), wanted);
    assert!(wanted >= 15);
    // Only the three cross-family or dipping curves pool violators.
    assert!(
        out.warnings
            .iter()
            .all(|w| matches!(w, CalibrateWarning::PooledViolators { .. })),
        "{:?}",
        out.warnings
    );

    let got: BTreeMap<&str, (f64, Censoring)> = out
        .derivations
        .iter()
        .map(|d| (d.id.as_str(), (d.derived.ceg, d.derived.censoring)))
        .collect();
    // The values the notes of enhancements.csv state.
    for (id, ceg, censoring) in [
        ("cot_palm_multiarith", 13.13, Censoring::None),
        ("cot_palm_sports", 17.23, Censoring::None),
        ("cot_palm_csqa", 1.584, Censoring::None),
        ("cot_palm_gsm8k", 540.0 / 62.0, Censoring::Lower),
        ("cot_palm_gsm8k_8b", 1.0, Censoring::Upper),
        ("cot_lamda_gsm8k", 137.0 / 68.0, Censoring::Lower),
        ("flan_palm_tydiqa", 540.0 / 62.0, Censoring::Lower),
        // Compute as 6ND: GPT-3's 3.15e23 FLOP over GPT-J's 1.46e22.
        ("toolformer_asdiv", 3.15e23 / 1.46e22, Censoring::Lower),
        ("minerva_math_8b", 540.0 / 8.0, Censoring::Lower),
        ("minerva_gsm8k_62b", 5.9704, Censoring::None),
        ("llama_maj_math_7b", 6.2796, Censoring::None),
        ("qwen3_thinking_0p6b_math500", 3.9552, Censoring::None),
        ("openmath2_maj", 70.0 / 8.0, Censoring::Lower),
        ("openmath2_sft", 8.632, Censoring::None),
    ] {
        let (g, c) = got[id];
        assert_eq!(c, censoring, "{id}");
        assert_close!(g, ceg, STATED, "{id}");
    }
    let mmlu = out
        .derivations
        .iter()
        .find(|d| d.id == "cot_palm_mmlu")
        .unwrap();
    assert!(mmlu.derived.below_own && mmlu.derived.ceg < 1.0);
}
