//! Every problem is a typed value that names file, line and column.

use overhang_calibrate::{CalibrateError, EvidenceRef, InputFile, derive};

use crate::{row, toy_base};

fn refs(ids: &[(&'static str, bool)]) -> Vec<EvidenceRef<'static>> {
    ids.iter()
        .enumerate()
        .map(|(i, &(id, derive))| EvidenceRef {
            id,
            line: i + 2,
            derive,
        })
        .collect()
}

#[test]
fn an_unknown_enhancement_id_suggests_the_closest() {
    let mut scaling = toy_base();
    scaling.push(row(1e21, 35.0, Some("cot_palm"), 6));
    let out = derive(&scaling, &refs(&[("cot_plam", true)]));
    let e = &out.errors[0];
    assert!(matches!(e, CalibrateError::UnknownEnhancement { id, .. } if id == "cot_palm"));
    assert_eq!(
        (e.file(), e.line(), e.column()),
        (InputFile::Scaling, 6, "enhancement")
    );
    assert_eq!(e.hint().unwrap(), "did you mean `cot_plam`?");
    assert_eq!(
        e.to_string(),
        "expected the id of a row of enhancements.csv, found `cot_palm`"
    );
    // The derive row has no measurement either, and says so in enhancements.csv.
    let e = &out.errors[1];
    assert!(matches!(e, CalibrateError::NoMeasurement { .. }));
    assert_eq!(
        (e.file(), e.line(), e.column()),
        (InputFile::Enhancements, 2, "ceg")
    );
    assert_eq!(InputFile::Enhancements.name(), "enhancements.csv");
}

#[test]
fn one_base_point_and_no_base_curve_are_errors_at_the_measurement() {
    let scaling = vec![row(1e21, 20.0, None, 2), row(1e21, 30.0, Some("e"), 3), {
        let mut r = row(1e21, 30.0, Some("f"), 4);
        r.benchmark = "other".into();
        r
    }];
    let out = derive(&scaling, &refs(&[("e", true), ("f", true)]));
    assert_eq!(out.errors.len(), 2, "{:?}", out.errors);
    assert!(matches!(
        out.errors[0],
        CalibrateError::OneBasePoint {
            line: 3,
            base_line: 2,
            ..
        }
    ));
    assert!(matches!(
        &out.errors[1],
        CalibrateError::NoBaseCurve { line: 4, benchmark, .. } if benchmark == "other"
    ));
    assert_eq!(out.errors[0].column(), "family");
    assert!(out.derivations.is_empty());
}

#[test]
fn scores_outside_the_range_are_errors_unless_the_notes_state_the_range() {
    let mut scaling = toy_base();
    scaling[1].score = 120.0;
    scaling.push(row(1e21, 35.0, Some("e"), 6));
    let out = derive(&scaling, &refs(&[("e", true)]));
    let e = &out.errors[0];
    assert_eq!(
        *e,
        CalibrateError::ScoreOutOfRange {
            line: 3,
            score: 120.0,
            low: 0.0,
            high: 100.0
        }
    );
    assert_eq!(e.column(), "score");
    assert_eq!(e.to_string(), "expected a score from 0 to 100, found 120");
    assert!(out.derivations.is_empty());

    // A normalised score below zero, with its range stated on one row of the curve.
    let mut scaling = toy_base();
    scaling[0].score = -9.2;
    scaling[0].notes = "normalised average; range: -100 to 100".into();
    scaling.push(row(1e21, 35.0, Some("e"), 6));
    let out = derive(&scaling, &refs(&[("e", true)]));
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.derivations[0].derived.range, (-100.0, 100.0));
}

#[test]
fn malformed_and_conflicting_ranges_point_at_the_notes() {
    let mut scaling = toy_base();
    scaling[0].notes = "range: 0 to 100".into();
    scaling[2].notes = "range: 0 to 1".into();
    scaling[3].notes = "range: high".into();
    let out = derive(&scaling, &[]);
    let kinds: Vec<(usize, &str)> = out.errors.iter().map(|e| (e.line(), e.column())).collect();
    // The curve keeps the first range stated, 0 to 100, so no score is out of range.
    assert_eq!(kinds, [(4, "notes"), (5, "notes")]);
    assert!(matches!(
        out.errors[0],
        CalibrateError::ConflictingRange { first_line: 2, .. }
    ));
    assert!(
        matches!(&out.errors[1], CalibrateError::MalformedRange { text, .. } if text == "high")
    );
}

#[test]
fn computes_must_be_positive_and_distinct_within_a_curve() {
    let mut scaling = toy_base();
    scaling.push(row(0.0, 15.0, None, 6));
    scaling.push(row(1e22, 31.0, None, 7));
    scaling.push(row(1e21, 35.0, Some("e"), 8));
    let out = derive(&scaling, &refs(&[("e", true)]));
    assert_eq!(
        out.errors,
        vec![
            CalibrateError::NonPositiveCompute {
                line: 6,
                compute: 0.0
            },
            CalibrateError::DuplicateBaseCompute {
                line: 7,
                first_line: 4,
                family: "toy".into(),
                benchmark: "bench".into(),
                compute: 1e22
            },
        ]
    );
    assert!(out.derivations.is_empty());
}

#[test]
fn two_measurements_of_one_enhancement_are_ambiguous() {
    let mut scaling = toy_base();
    scaling.push(row(1e21, 35.0, Some("e"), 6));
    scaling.push(row(1e22, 38.0, Some("e"), 7));
    let out = derive(&scaling, &refs(&[("e", true)]));
    assert_eq!(
        out.errors,
        vec![CalibrateError::SeveralMeasurements {
            line: 7,
            first_line: 6,
            id: "e".into()
        }]
    );
    // The first measurement still derives.
    assert_eq!(out.derivations.len(), 1);
    assert_eq!(out.derivations[0].derived.line, 6);
}

#[test]
fn a_model_outside_its_base_curve_has_no_own_score() {
    let mut scaling = toy_base();
    scaling.push(row(1e19, 35.0, Some("e"), 6));
    let out = derive(&scaling, &refs(&[("e", true)]));
    assert_eq!(
        out.errors,
        vec![CalibrateError::OwnComputeOutsideCurve {
            line: 6,
            compute: 1e19,
            min: 1e20,
            max: 1e23
        }]
    );
    assert_eq!(out.errors[0].column(), "compute");
}
