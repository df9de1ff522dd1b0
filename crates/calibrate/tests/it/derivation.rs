//! Derived CEGs on the toy family: interpolation, bounds, CEGs below 1, pooling, logistic.

use overhang_calibrate::{CalibrateWarning, EvidenceRef, derive};
use overhang_model::Censoring;

use overhang_testkit::{ROUNDING, ULPS, assert_close};

use crate::{row, toy_base};

fn derive_one(score: f64, at: f64) -> overhang_calibrate::Derivation {
    let mut scaling = toy_base();
    scaling.push(row(at, score, Some("e"), 6));
    let evidence = [EvidenceRef {
        id: "e",
        line: 2,
        derive: true,
    }];
    let out = derive(&scaling, &evidence);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.derivations.len(), 1);
    out.derivations.into_iter().next().unwrap()
}

#[test]
fn lifting_the_1e21_model_to_35_is_worth_ten_to_the_one_and_a_half() {
    let d = derive_one(35.0, 1e21);
    assert_close!(
        d.derived.ceg,
        31.622_776_601_683_793,
        ROUNDING.relative(),
        "ceg"
    );
    assert_close!(
        d.derived.equivalent_compute,
        10f64.sqrt() * 1e22,
        ROUNDING.relative(),
        "C*"
    );
    assert_eq!(d.derived.censoring, Censoring::None);
    assert!(!d.derived.below_own);
    assert_eq!(d.derived.own_score, 20.0);
    assert_eq!(d.derived.enhanced_score, 35.0);
    assert_eq!(d.derived.own_compute, 1e21);
    assert_eq!(d.derived.line, 6);
    assert_eq!(d.derived.base.len(), 4);
    assert!(d.derived.base.iter().all(|p| p.fitted == p.score));
}

#[test]
fn lifting_it_to_45_is_a_lower_bound_of_100() {
    let d = derive_one(45.0, 1e21);
    assert_eq!(d.derived.censoring, Censoring::Lower);
    assert_close!(d.derived.ceg, 100.0, ULPS.relative(), "bound");
    assert_eq!(d.derived.equivalent_compute, 1e23);
    // The logistic alternative can extrapolate, and says that it did.
    let l = d
        .derived
        .logistic
        .expect("four base points give a logistic fit");
    assert!(l.extrapolated);
    assert!(l.ceg.unwrap() > 100.0);
}

#[test]
fn reaching_the_largest_score_exactly_is_a_value() {
    let d = derive_one(40.0, 1e21);
    assert_eq!(d.derived.censoring, Censoring::None);
    assert_close!(d.derived.ceg, 100.0, ROUNDING.relative(), "ceg");
}

#[test]
fn an_enhancement_that_hurts_gives_a_ceg_below_one() {
    let d = derive_one(15.0, 1e21);
    assert!(d.derived.below_own);
    assert_eq!(d.derived.censoring, Censoring::None);
    assert_close!(
        d.derived.ceg,
        1.0 / 10f64.sqrt(),
        ROUNDING.relative(),
        "ceg"
    );
    // Below the whole curve: at most C_min / C_own.
    let d = derive_one(5.0, 1e21);
    assert!(d.derived.below_own);
    assert_eq!(d.derived.censoring, Censoring::Upper);
    assert_close!(d.derived.ceg, 0.1, ULPS.relative(), "bound");
}

#[test]
fn a_model_between_base_points_reads_its_own_score_off_the_curve() {
    // 10^21.5 sits halfway between 20 and 30 in log compute: own score 25.
    let d = derive_one(30.0, libm::pow(10.0, 21.5));
    assert_close!(d.derived.own_score, 25.0, ROUNDING.relative(), "own");
    assert_close!(d.derived.ceg, 10f64.sqrt(), ROUNDING.relative(), "ceg");
}

#[test]
fn a_falling_base_curve_is_pooled_with_a_warning() {
    let scaling = vec![
        row(1e20, 10.0, None, 2),
        row(1e21, 25.0, None, 3),
        row(1e22, 20.0, None, 4),
        row(1e23, 40.0, None, 5),
        row(1e20, 30.0, Some("e"), 6),
    ];
    let evidence = [EvidenceRef {
        id: "e",
        line: 2,
        derive: true,
    }];
    let out = derive(&scaling, &evidence);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(
        out.warnings,
        vec![CalibrateWarning::PooledViolators {
            family: "toy".into(),
            benchmark: "bench".into(),
            lines: vec![3, 4],
            pooled_score: 22.5,
        }]
    );
    assert!(
        out.warnings[0]
            .to_string()
            .ends_with("lines 3, 4 are pooled at 22.5"),
        "{}",
        out.warnings[0]
    );
    let d = &out.derivations[0];
    let fitted: Vec<f64> = d.derived.base.iter().map(|p| p.fitted).collect();
    assert_eq!(fitted, vec![10.0, 22.5, 22.5, 40.0]);
    // 30 on the pooled curve: between 22.5 at 1e22 and 40 at 1e23.
    assert_close!(
        d.derived.ceg,
        libm::pow(10.0, 2.0 + 7.5 / 17.5),
        ROUNDING.relative(),
        "ceg"
    );
    let w = &out.warnings[0];
    assert_eq!((w.line(), w.column()), (3, "score"));
}

#[test]
fn the_logistic_alternative_needs_four_points() {
    let scaling = vec![
        row(1e20, 10.0, None, 2),
        row(1e21, 20.0, None, 3),
        row(1e22, 30.0, None, 4),
        row(1e21, 25.0, Some("e"), 5),
    ];
    let evidence = [EvidenceRef {
        id: "e",
        line: 2,
        derive: true,
    }];
    let out = derive(&scaling, &evidence);
    assert!(out.derivations[0].derived.logistic.is_none());
    let d = derive_one(35.0, 1e21);
    let l = d.derived.logistic.unwrap();
    assert!(!l.extrapolated);
    // The logistic through four nearly linear points puts 35 near 10^22.5 as well.
    let ceg = l.ceg.unwrap();
    assert!(ceg > 10.0 && ceg < 100.0, "{ceg}");
    let fit = d.fit.expect("a logistic alternative has its fit");
    assert_eq!((fit.floor, fit.ceiling), (0.0, 100.0));
}

#[test]
fn derivations_follow_the_evidence_order_and_skip_rows_with_estimates() {
    let mut scaling = toy_base();
    scaling.push(row(1e21, 35.0, Some("b"), 6));
    scaling.push(row(1e20, 20.0, Some("a"), 7));
    scaling.push(row(1e22, 35.0, Some("c"), 8));
    let evidence = [
        EvidenceRef {
            id: "a",
            line: 2,
            derive: true,
        },
        EvidenceRef {
            id: "b",
            line: 3,
            derive: true,
        },
        EvidenceRef {
            id: "c",
            line: 4,
            derive: false,
        },
    ];
    let out = derive(&scaling, &evidence);
    assert!(out.errors.is_empty());
    let ids: Vec<&str> = out.derivations.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_close!(
        out.derivations[0].derived.ceg,
        10.0,
        ROUNDING.relative(),
        "a"
    );
    assert_eq!(
        out.warnings,
        vec![CalibrateWarning::MeasurementUnused {
            line: 8,
            id: "c".into()
        }]
    );
}
