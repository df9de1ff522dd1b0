//! Derived CEGs against numpy and scipy on real tables, from the vectors that
//! `tests/vectors/gen_vectors.py` wrote: isotonic regression, interpolation in log10 compute,
//! bounds, and the logistic fit by `scipy.optimize.curve_fit`.

use overhang_calibrate::{EvidenceRef, derive};
use overhang_model::{Censoring, ScalingRow};
use serde_json::Value;

use overhang_testkit::{ROUNDING, Tolerance, assert_close};

/// Isotonic regression, interpolation and bounds are a few arithmetic operations: both sides
/// agree to rounding.
/// The logistic's optimum: both least-squares solvers stop far below this.
const LOGISTIC: Tolerance = Tolerance::relative_of("LOGISTIC", 1e-7);

fn float(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn derivations_agree_with_numpy_and_scipy() {
    let v: Value = serde_json::from_str(include_str!("../vectors/vectors.json")).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    let mut logistic_cases = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let family = case["family"].as_str().unwrap();
        let benchmark = case["benchmark"].as_str().unwrap();
        let mut scaling = Vec::new();
        let mut line = 2;
        let mut push = |model: String, compute: f64, score: f64, enhancement: Option<String>| {
            scaling.push(ScalingRow {
                family: family.to_owned(),
                model,
                compute,
                benchmark: benchmark.to_owned(),
                score,
                enhancement,
                source: "vectors".to_owned(),
                notes: String::new(),
                compute_basis: None,
                line,
            });
            line += 1;
        };
        for p in case["base"].as_array().unwrap() {
            let compute = float(&p["compute"]);
            push(format!("{compute:e}"), compute, float(&p["score"]), None);
        }
        let enhanced = case["enhanced"].as_array().unwrap();
        let ids: Vec<String> = (0..enhanced.len()).map(|i| format!("{name}_{i}")).collect();
        for (e, id) in enhanced.iter().zip(&ids) {
            push(
                e["model"].as_str().unwrap().to_owned(),
                float(&e["compute"]),
                float(&e["score"]),
                Some(id.clone()),
            );
        }
        let evidence: Vec<EvidenceRef<'_>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| EvidenceRef {
                id,
                line: i + 2,
                derive: true,
            })
            .collect();
        let out = derive(&scaling, &evidence);
        assert!(out.errors.is_empty(), "{name}: {:?}", out.errors);
        assert_eq!(out.derivations.len(), enhanced.len());

        let fitted: Vec<f64> = case["fitted"]
            .as_array()
            .unwrap()
            .iter()
            .map(float)
            .collect();
        for (d, e) in out.derivations.iter().zip(enhanced) {
            let q = |s: &str| format!("{name} {} {s}", d.derived.model);
            for (p, want) in d.derived.base.iter().zip(&fitted) {
                assert_close!(p.fitted, *want, ROUNDING.relative(), "{}", q("fitted"));
            }
            assert_close!(
                d.derived.own_score,
                float(&e["own_score"]),
                ROUNDING.relative(),
                "{}",
                q("own score")
            );
            assert_close!(
                d.derived.ceg,
                float(&e["ceg"]),
                ROUNDING.relative(),
                "{}",
                q("ceg")
            );
            let censoring = match e["censoring"].as_str().unwrap() {
                "none" => Censoring::None,
                "lower" => Censoring::Lower,
                "upper" => Censoring::Upper,
                other => panic!("{other}"),
            };
            assert_eq!(d.derived.censoring, censoring, "{}", q("censoring"));
            match (&case.get("logistic"), &d.derived.logistic) {
                (None, None) => {}
                (Some(want), Some(got)) => {
                    assert_close!(
                        got.midpoint,
                        float(&want["midpoint"]),
                        LOGISTIC,
                        "{}",
                        q("midpoint")
                    );
                    assert_close!(got.scale, float(&want["scale"]), LOGISTIC, "{}", q("scale"));
                    assert_close!(
                        d.fit.expect("a logistic alternative has its fit").rss,
                        float(&want["rss"]),
                        LOGISTIC,
                        "{}",
                        q("rss")
                    );
                    let want_ceg = e.get("logistic_ceg").map(float);
                    match (got.ceg, want_ceg) {
                        (Some(a), Some(b)) => {
                            assert_close!(a, b, LOGISTIC, "{}", q("logistic ceg"));
                        }
                        (a, b) => assert_eq!(a.is_some(), b.is_some(), "{}", q("logistic ceg")),
                    }
                    logistic_cases += 1;
                }
                (want, got) => panic!("{name}: logistic {want:?} vs {got:?}"),
            }
        }
    }
    assert!(logistic_cases >= 6);
}
