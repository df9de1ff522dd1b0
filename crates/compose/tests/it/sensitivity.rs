//! Sensitivity: the dominant input ranks first, and shares match a closed form.

use std::collections::BTreeMap;

use overhang_compose::{Options, simulate};
use overhang_model::FittedGrowth;

use crate::{assessment, run};

#[test]
fn a_dominant_input_ranks_first_at_both_steps_with_the_widest_swing() {
    let body = "[horizon]\nmonths = 36\nstep_months = 6\n\
        [composability]\nmethod = \"largest-first\"\nkappa = \"uniform(0.4, 0.6)\"\n\
        [categories.wide]\nlabel = \"Wide\"\navailable = \"2 to 2000\"\ngrowth = \"0.05 to 0.06\"\n\
        elicited = \"1 to 1.1\"\n\
        [categories.narrow]\nlabel = \"Narrow\"\navailable = \"5 to 6\"\ngrowth = \"0.05 to 0.07\"\n\
        cap = \"100 to 120\"\n";
    let r = run(&assessment(body, 20_000, 3)).remove(0);
    assert_eq!(
        r.sensitivity.iter().map(|s| s.months).collect::<Vec<_>>(),
        vec![12, 36]
    );
    for s in &r.sensitivity {
        let top = &s.inputs[0];
        assert_eq!(top.input, "categories.wide.available");
        assert_eq!(top.label, "Wide: available CEG");
        assert_eq!(top.rank, 1);
        assert!(top.first_order > 0.8, "{}", top.first_order);
        assert!(top.median_at_p95 > 10.0 * top.median_at_p5);
        let swing =
            |e: &overhang_model::results::SensitivityEntry| e.median_at_p95 / e.median_at_p5;
        assert!(s.inputs[1..].iter().all(|e| swing(e) < swing(top)));
        let total: f64 = s.inputs.iter().map(|e| e.first_order).sum();
        assert!(total < 1.1, "first-order shares add to {total}");
        assert!(s.inputs.iter().any(|e| e.input == "composability.kappa"));
        let p50 = r
            .projection
            .iter()
            .find(|p| p.months == s.months)
            .unwrap()
            .p50;
        assert_eq!(s.median.to_bits(), p50.to_bits());
    }
}

#[test]
fn first_order_shares_of_an_additive_model_match_the_variance_split() {
    // U = A1 + A2 + A3 (normal in log10 space, no growth): the share of input c is
    // sd_c^2 / sum sd^2 exactly.
    let body = "[horizon]\nmonths = 12\nstep_months = 12\n[composability]\nmethod = \"multiplicative\"\n\
        [categories.a]\nlabel = \"A\"\navailable = \"100 to 1000\"\ngrowth = 0\n\
        [categories.b]\nlabel = \"B\"\navailable = \"100 to 10000\"\ngrowth = 0\n\
        [categories.c]\nlabel = \"C\"\navailable = \"100 to 100000\"\ngrowth = 0\n";
    let r = run(&assessment(body, 100_000, 9)).remove(0);
    let total = 1.0 + 4.0 + 9.0;
    let s = &r.sensitivity[0];
    assert_eq!(r.sensitivity.len(), 1, "12 months is the horizon");
    for (id, want) in [("c", 9.0 / total), ("b", 4.0 / total), ("a", 1.0 / total)] {
        let e = s
            .inputs
            .iter()
            .find(|e| e.input == format!("categories.{id}.available"))
            .unwrap();
        assert!(
            (e.first_order - want).abs() < 0.02,
            "{id}: {} vs {want}",
            e.first_order
        );
    }
    let order: Vec<&str> = s.inputs.iter().map(|e| e.input.as_str()).collect();
    assert_eq!(
        order,
        [
            "categories.c.available",
            "categories.b.available",
            "categories.a.available"
        ]
    );
}

#[test]
fn fitted_growth_is_an_uncertain_input_and_named_in_the_notes() {
    let body = "[horizon]\nmonths = 24\nstep_months = 12\n[composability]\nmethod = \"multiplicative\"\n\
        [categories.a]\nlabel = \"A\"\navailable = 10\ngrowth = \"fit\"\n";
    let a = assessment(body, 20_000, 4);
    let fitted = BTreeMap::from([(
        "a".to_owned(),
        FittedGrowth::StudentT {
            location: 0.3,
            scale: 0.1,
            df: 4.0,
            origin: "Pooled OLS fit of 12 rows.".to_owned(),
        },
    )]);
    let r = simulate(&a, &fitted, &Options::default(), None)
        .unwrap()
        .remove(0);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("Pooled OLS fit of 12 rows."))
    );
    let s = &r.sensitivity[1];
    assert_eq!(s.inputs.len(), 1);
    assert_eq!(s.inputs[0].input, "categories.a.growth");
    assert!(s.inputs[0].first_order > 0.95);
    // At 24 months U = 1 + 2 g with g = 0.3 + 0.1 T_4: the median is 10^(1.6).
    let p50 = r.projection[2].p50;
    assert!((libm::log10(p50) - 1.6).abs() < 0.01, "{p50}");
    // p95 of T_4 is 2.1318: the tornado pins g there.
    let want = libm::pow(10.0, 1.0 + 2.0 * (0.3 + 0.1 * 2.131_846_786_326_649));
    assert!((s.inputs[0].median_at_p95 / want - 1.0).abs() < 1e-9);
}
