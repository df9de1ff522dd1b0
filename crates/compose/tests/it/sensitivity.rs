//! Sensitivity: the dominant input ranks first, and shares match a closed form.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use overhang_compose::{Options, simulate};
use overhang_model::{Estimate, FittedGrowth};
use overhang_testkit::{LOG_SPACE, ROUNDING, Tolerance, assert_close};

use crate::{assessment, assessment_with_pairs, run};

/// First-order shares estimated from binned draws against the exact variance split: the
/// binning and the draws each move a share by up to about 0.01.
const FIRST_ORDER_DRAWS: Tolerance = Tolerance::absolute("FIRST_ORDER_DRAWS", 0.02);

/// log10 of a simulated median against its closed form: the draws put it within about 0.003.
const MEDIAN_DRAWS: Tolerance = Tolerance::absolute("MEDIAN_DRAWS", 0.01);

/// A step probability from 10,000 tornado samples against its analytic value: four binomial
/// standard errors (each below 0.002).
const TORNADO_DRAWS: Tolerance = Tolerance::absolute("TORNADO_DRAWS", 0.008);
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
        assert_close!(
            e.first_order,
            want,
            FIRST_ORDER_DRAWS,
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
    assert_close!(libm::log10(p50), 1.6, MEDIAN_DRAWS, "{p50}");
    // p95 of T_4 is 2.1318: the tornado pins g there.
    let want = libm::pow(10.0, 1.0 + 2.0 * (0.3 + 0.1 * 2.131_846_786_326_649));
    assert_close!(s.inputs[0].median_at_p95, want, LOG_SPACE);
}

/// The estimates of a small assessment with every kind of uncertain input, by dotted id, in
/// the order they are written.
const ESTIMATES: [(&str, &str); 12] = [
    ("categories.a.available", "2 to 20"),
    ("categories.a.elicited", "1 to 30"),
    ("categories.a.growth", "0.02 to 0.3"),
    ("categories.a.cap", "30 to 300"),
    ("categories.b.available", "1.5 to 10"),
    ("categories.b.elicited", "1.2 to 8"),
    ("categories.b.growth", "normal(0.1, 0.05)"),
    ("categories.b.cap", "3 to 100"),
    ("categories.c.available", "3 to 30"),
    ("categories.c.elicited", "uniform(1, 4)"),
    ("categories.c.growth", "0 to 0.1"),
    ("composability.kappa", "uniform(0.2, 0.8)"),
];

/// The body of the assessment with the inputs in `points` replaced by point values, and its
/// composability.csv when a pair is pinned. Largest-first, or pairwise (without kappa) with
/// every pair composability uncertain unless pinned.
fn pinnable(points: &BTreeMap<String, f64>, pairwise: bool) -> (String, Option<String>) {
    let mut body = String::from("[horizon]\nmonths = 36\nstep_months = 6\n[composability]\n");
    if pairwise {
        body += "method = \"pairwise\"\npair_default = \"uniform(0.1, 0.9)\"\n";
    } else {
        body += "method = \"largest-first\"\n";
        let kappa = "composability.kappa";
        write_field(&mut body, "kappa", points.get(kappa), &estimate_of(kappa));
    }
    let mut category = "";
    for (id, estimate) in ESTIMATES {
        let Some((name, field)) = id
            .strip_prefix("categories.")
            .and_then(|rest| rest.split_once('.'))
        else {
            continue;
        };
        if name != category {
            category = name;
            writeln!(body, "[categories.{name}]\nlabel = \"{name}\"").unwrap();
        }
        write_field(&mut body, field, points.get(id), estimate);
    }
    let mut csv = String::from("category_a,category_b,composability\n");
    for (id, v) in points {
        if let Some(pair) = id.strip_prefix("composability.pairs.") {
            let (a, b) = pair.split_once('.').unwrap();
            writeln!(csv, "{a},{b},{v:?}").unwrap();
        }
    }
    let pinned_pair = points
        .keys()
        .any(|id| id.starts_with("composability.pairs."));
    (body, pinned_pair.then_some(csv))
}

/// `field = point` when the input is pinned, else `field = "estimate"`.
fn write_field(body: &mut String, field: &str, point: Option<&f64>, estimate: &str) {
    match point {
        // `{:?}` writes the shortest text that reads back as the same double.
        Some(v) => writeln!(body, "{field} = {v:?}").unwrap(),
        None => writeln!(body, "{field} = \"{estimate}\"").unwrap(),
    }
}

/// The estimate text an input id stands for in [`pinnable`]: every pair has the default.
fn estimate_of(id: &str) -> String {
    ESTIMATES
        .iter()
        .find(|(i, _)| *i == id)
        .map_or("uniform(0.1, 0.9)", |(_, e)| e)
        .to_owned()
}

#[test]
fn a_pinned_input_gives_the_median_of_a_simulation_with_that_point_value() {
    // Fewer samples than the tornado reruns, so it reruns all of them, and the same seed: the
    // simulation with the input replaced by its pinned value draws every other input as the
    // tornado's rerun does (streams are keyed by input id), so the medians agree. The pinned
    // quantile of an interval is computed in log10 by the tornado and as log10 of the written
    // point by the simulation: they differ by a few units in the last place, and an order
    // statistic moves no more than the values do.
    let samples = 3000;
    let seed = 7;
    let mut kinds = BTreeSet::new();
    for pairwise in [false, true] {
        let (body, csv) = pinnable(&BTreeMap::new(), pairwise);
        let r = run(&assessment_with_pairs(&body, csv.as_deref(), samples, seed)).remove(0);
        let entries = &r.sensitivity[1].inputs;
        assert_eq!(entries.len(), if pairwise { 14 } else { 12 });
        for entry in entries {
            kinds.insert(if entry.input.starts_with("composability.pairs.") {
                "pair".to_owned()
            } else {
                entry.input.rsplit('.').next().unwrap().to_owned()
            });
            for (p, tornado_at) in [(0.05, 0), (0.95, 1)] {
                let value = Estimate::parse(&estimate_of(&entry.input))
                    .unwrap()
                    .quantile(p);
                let points = BTreeMap::from([(entry.input.clone(), value)]);
                let (body, csv) = pinnable(&points, pairwise);
                let pinned =
                    run(&assessment_with_pairs(&body, csv.as_deref(), samples, seed)).remove(0);
                for s in &r.sensitivity {
                    let e = s.inputs.iter().find(|e| e.input == entry.input).unwrap();
                    let tornado = [e.median_at_p5, e.median_at_p95][tornado_at];
                    let simulated = pinned
                        .projection
                        .iter()
                        .find(|q| q.months == s.months)
                        .unwrap()
                        .p50;
                    assert_close!(
                        tornado,
                        simulated,
                        ROUNDING.relative(),
                        "{} at p{p}, {} months: tornado {tornado}, simulation {simulated}",
                        entry.input,
                        s.months
                    );
                }
            }
        }
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["available", "cap", "elicited", "growth", "kappa", "pair"]
    );
}

/// Pairwise composability of two categories with every pair at `pair_default`.
const TWO_PAIRED: &str = "[horizon]\nmonths = 24\nstep_months = 6\n\
    [composability]\nmethod = \"pairwise\"\npair_default = PAIR\n\
    [categories.a]\nlabel = \"A\"\navailable = \"2 to 200\"\ngrowth = \"0.05 to 0.2\"\n\
    [categories.b]\nlabel = \"B\"\navailable = \"3 to 300\"\ngrowth = \"0.05 to 0.2\"\n";

#[test]
fn a_learned_pair_is_drawn_from_its_posterior_and_the_other_draws_stay_put() {
    use overhang_model::{Learned, LearnedPair, Summary, Tabulated};
    let mut learned = assessment(&TWO_PAIRED.replace("PAIR", "\"uniform(0, 1)\""), 4000, 7);
    // A posterior of one value: the quantile function is 0.6 at every probability.
    let at = Summary {
        mean: 0.6,
        sd: 0.0,
        p5: 0.6,
        p50: 0.6,
        p95: 0.6,
    };
    learned.scenarios[0].composability.learned_pairs = vec![LearnedPair {
        a: "a".to_owned(),
        b: "b".to_owned(),
        learned: Learned {
            rows: vec!["r".to_owned()],
            prior: at,
            posterior: at,
            table: Tabulated::new(vec![0.0, 1.0], vec![0.6, 0.6]).unwrap(),
            density: Vec::new(),
        },
    }];
    let fixed = assessment(&TWO_PAIRED.replace("PAIR", "0.6"), 4000, 7);
    let (l, f) = (run(&learned).remove(0), run(&fixed).remove(0));
    // Each input draws from its own stream: drawing the pair from the table leaves every other
    // draw as it was, so the projection is that of the pair fixed at the table's value.
    assert_eq!(
        serde_json::to_string(&l.projection).unwrap(),
        serde_json::to_string(&f.projection).unwrap()
    );
    let entry = l.sensitivity[0]
        .inputs
        .iter()
        .find(|e| e.input == "composability.pairs.a.b")
        .expect("the learned pair is an uncertain input");
    assert_eq!(
        entry.label,
        "Composability of A and B, learned from measured combinations"
    );
    // Without learning, the same pair is drawn from its prior: a different projection.
    let prior = run(&assessment(
        &TWO_PAIRED.replace("PAIR", "\"uniform(0, 1)\""),
        4000,
        7,
    ))
    .remove(0);
    assert_ne!(
        serde_json::to_string(&prior.projection).unwrap(),
        serde_json::to_string(&l.projection).unwrap()
    );
}

#[test]
fn pinned_growth_reaches_the_main_step_always_or_never() {
    // One category, available exactly 10x, growth 0.1 to 0.5 OOM a year: at 12 months
    // U = 1 + g, so with g pinned at its 5th percentile U = 1.1 (12.6x) and at its 95th
    // U = 1.5 (31.6x). The main step (20x, the one with a cadence) is then never and always
    // reached; 2x always.
    let body = "[horizon]\nmonths = 24\nstep_months = 6\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.a]\nlabel = \"A\"\navailable = 10\ngrowth = \"0.1 to 0.5\"\n\
        [[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\n\
        [[thresholds]]\nlabel = \"20x\"\nmultiplier = 20\ncadence_months = 6\n";
    let r = run(&assessment(body, 5_000, 5)).remove(0);
    let s = r.sensitivity.iter().find(|s| s.months == 12).unwrap();
    assert_eq!(s.main_step, Some(1));
    let e = &s.inputs[0];
    assert_eq!(e.input, "categories.a.growth");
    assert_eq!(e.p_step_at_p5, [1.0, 0.0]);
    assert_eq!(e.p_step_at_p95, [1.0, 1.0]);
    assert_eq!(e.step_swing(1), Some(1.0));
    assert_eq!(e.step_rank, 1);
    // At 24 months U = 1 + 2 g: 1.2 and 2.0, still below and above 20x (1.301).
    let h = r.sensitivity.iter().find(|s| s.months == 24).unwrap();
    assert_eq!(h.inputs[0].p_step_at_p5, [1.0, 0.0]);
    assert_eq!(h.inputs[0].p_step_at_p95, [1.0, 1.0]);
}

#[test]
fn a_step_in_the_tail_ranks_the_narrow_input_first_for_the_step() {
    // U = a + b in log10, a normal with mean 2.5 and sd 0.912 (10 to 10000), b mean 1.5 and
    // sd 0.304 (10 to 100): a explains 90% of the variance. The step sits 2.18 OOM above the
    // median. Pinning a at its 95th percentile (4.0) leaves b to cover 0.68 OOM, 2.2 of its sd:
    // P = 1.3%, and 0 at its 5th. Pinning b at its 95th (2.0) leaves a to cover 1.68 OOM,
    // 1.84 of its sd: P = 3.3%, and 0.17% at its 5th. The narrow input moves whether the step
    // is reached more than the wide one does.
    let body = "[horizon]\nmonths = 12\nstep_months = 12\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.a]\nlabel = \"A\"\navailable = \"10 to 10000\"\ngrowth = 0\n\
        [categories.b]\nlabel = \"B\"\navailable = \"10 to 100\"\ngrowth = 0\n\
        [[thresholds]]\nlabel = \"Far\"\nmultiplier = 1500000\n";
    let r = run(&assessment(body, 20_000, 11)).remove(0);
    let s = &r.sensitivity[0];
    assert_eq!(s.main_step, Some(0));
    let find = |id: &str| {
        s.inputs
            .iter()
            .find(|e| e.input == format!("categories.{id}.available"))
            .unwrap()
    };
    let (a, b) = (find("a"), find("b"));
    assert_eq!((a.rank, b.rank), (1, 2));
    assert!(a.first_order > 0.8, "{}", a.first_order);
    assert_eq!((b.step_rank, a.step_rank), (1, 2));
    // Analytic values with tolerances for 10,000 tornado samples (binomial sd below 0.002).
    assert_close!(a.p_step_at_p5[0], 0.0, TORNADO_DRAWS);
    assert_close!(a.p_step_at_p95[0], 0.013, TORNADO_DRAWS);
    assert_close!(b.p_step_at_p5[0], 0.0017, TORNADO_DRAWS);
    assert_close!(b.p_step_at_p95[0], 0.033, TORNADO_DRAWS);
}
