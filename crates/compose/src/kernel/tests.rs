//! Unit tests of the kernels: levels, aggregation and the fused uplift against plain loops.

use std::collections::BTreeMap;

use overhang_testkit::{ROUNDING, ULPS, assert_close};
use proptest::prelude::*;

use super::*;
use crate::plan::Plan;

fn plan(method: Method, categories: usize) -> Plan {
    let pairs: Vec<(usize, usize)> = (0..categories)
        .flat_map(|i| ((i + 1)..categories).map(move |j| (i, j)))
        .collect();
    Plan {
        scenario: "t".into(),
        categories: (0..categories)
            .map(|c| (format!("c{c}"), format!("C{c}")))
            .collect(),
        method,
        slots: vec![SlotValue::Const(0.0); 4 * categories + 1 + pairs.len() + 5 + 2 * categories],
        inputs: Vec::new(),
        pair_slots: Plan::pair_slot_matrix(categories, &pairs),
        months: vec![0],
        years: vec![0.0],
        thresholds: Vec::new(),
        sens_steps: vec![0],
        main_cadence: None,
        policy: Vec::new(),
        cadences: Vec::new(),
        intervals: Vec::new(),
        growth_months: Vec::new(),
        extra: 4 * categories + 1 + pairs.len(),
        saturating: false,
        ceiling: false,
        dependence: None,
        copies: Vec::new(),
        gaps: Vec::new(),
        joint: Vec::new(),
        lagged: false,
        budget: None,
        notes: Vec::new(),
    }
}

/// `Agg` of one sample's levels; `pairs` holds the composability of every pair `i < j` in
/// the order (0, 1), (0, 2), ..., (1, 2), ...
fn agg_of(method: Method, levels: &[f64], kappa: f64, pairs: &[f64]) -> f64 {
    let p = plan(method, levels.len());
    let mut cols: Vec<Vec<f64>> = vec![vec![0.0]; p.slots.len()];
    cols[p.kappa()] = vec![kappa];
    for (q, &c) in pairs.iter().enumerate() {
        cols[p.kappa() + 1 + q] = vec![c];
    }
    let slots: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let mut scratch = Scratch::new(levels.len(), 1);
    for (c, &l) in levels.iter().enumerate() {
        scratch.levels[c][0] = l;
    }
    scratch.sum[0] = levels.iter().sum();
    scratch.max[0] = levels.iter().copied().fold(0.0, f64::max);
    aggregate(&p, &slots, 1, &mut scratch);
    scratch.agg[0]
}

fn pairwise(levels: &[f64], pairs: &[f64]) -> f64 {
    agg_of(Method::Pairwise, levels, 0.0, pairs)
}

fn pair_count(n: usize) -> usize {
    n * (n - 1) / 2
}

/// The Choquet integral by its definition, `sum_k (L_(k) - L_(k+1)) mu(A_k)`, with the
/// pairwise capacity evaluated by brute force on each top set.
fn choquet_by_definition(levels: &[f64], pairs: &[f64]) -> f64 {
    let n = levels.len();
    let c = |i: usize, j: usize| {
        let (i, j) = (i.min(j), i.max(j));
        // Pairs are numbered row by row: (0, 1), ..., (0, n - 1), (1, 2), ...
        pairs[i * n - i * (i + 1) / 2 + (j - i - 1)]
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| levels[b].total_cmp(&levels[a]));
    (0..n)
        .map(|k| {
            let top = &order[..=k];
            let mu = top
                .iter()
                .map(|&i| {
                    1.0 + top
                        .iter()
                        .filter(|&&j| j != i)
                        .map(|&j| c(i, j))
                        .sum::<f64>()
                })
                .fold(0.0, f64::max);
            let next = order.get(k + 1).map_or(0.0, |&j| levels[j]);
            (levels[order[k]] - next) * mu
        })
        .sum()
}

#[test]
fn aggregation_methods_match_their_definitions() {
    let l = [0.5, 1.5, 1.0];
    assert_eq!(agg_of(Method::Multiplicative, &l, 0.0, &[]), 3.0);
    assert_eq!(agg_of(Method::Max, &l, 0.0, &[]), 1.5);
    // 1.5 + 0.4 * (1.0 + 0.5)
    assert_close!(agg_of(Method::LargestFirst, &l, 0.4, &[]), 2.1, ULPS);
    // Every pair at 0.5: the capacity of k categories is 1 + 0.5 (k - 1), as largest-first
    // with kappa 0.5: 1.5 + 0.5 * (1.0 + 0.5).
    assert_eq!(pairwise(&l, &[0.5; 3]), 2.25);
    // Pairs (0, 1) = 0.2, (0, 2) = 0.6, (1, 2) = 0.9 with levels 0.5, 1.5, 1.0: the top sets
    // are {1}, {1, 2}, {0, 1, 2} with capacities 1, 1.9 and 1 + max(0.8, 1.1, 1.5) = 2.5.
    let want = (1.5 - 1.0) * 1.0 + (1.0 - 0.5) * 1.9 + 0.5 * 2.5;
    assert_close!(pairwise(&l, &[0.2, 0.6, 0.9]), want, ULPS);
    // No composability: exactly the largest level.
    assert_eq!(pairwise(&l, &[0.0; 3]), 1.5);
}

#[test]
fn the_old_counterexample_grows_with_its_growing_category() {
    // 100x, four at 10x and one category growing from 1x, every pair 0.7: the rule
    // `sum - sum (1 - c) min(L_i, L_j)` fell from 3 OOM to 2.5 as the last level rose to 1.
    let pairs = [0.7; 15];
    let mut before = 0.0;
    for step in 0..=10 {
        let levels = [2.0, 1.0, 1.0, 1.0, 1.0, 0.1 * f64::from(step)];
        let agg = pairwise(&levels, &pairs);
        assert!(agg >= before, "step {step}: {agg} < {before}");
        // Equal composabilities make it largest-first with kappa 0.7.
        let want = 2.0 + 0.7 * (4.0 + levels[5]);
        assert_close!(agg, want, ROUNDING, "step {step}: {agg} vs {want}");
        before = agg;
    }
}

/// 2 to 8 categories with levels in [0, 4] (some exactly 0, some tied) and composabilities
/// in [0, 1] (some exactly 0 or 1).
fn case() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (2usize..=8).prop_flat_map(|n| {
        let level = prop_oneof![1 => Just(0.0), 1 => Just(1.0), 6 => 0.0..4.0f64];
        let pair = prop_oneof![1 => Just(0.0), 1 => Just(1.0), 6 => 0.0..=1.0f64];
        (
            prop::collection::vec(level, n),
            prop::collection::vec(pair, pair_count(n)),
        )
    })
}

// Rounding of sums of at most 8 levels below 4, each weighted by at most 8: inside testkit's
// ROUNDING.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn pairwise_is_the_choquet_integral_of_its_capacity((levels, pairs) in case()) {
        let got = pairwise(&levels, &pairs);
        let want = choquet_by_definition(&levels, &pairs);
        prop_assert!(ROUNDING.allows(got, want), "{got} vs {want}");
    }

    #[test]
    fn pairwise_never_decreases_when_a_level_increases(
        (levels, pairs) in case(),
        which in any::<prop::sample::Index>(),
        rise in prop_oneof![Just(0.0), 0.0..3.0f64, 0.0..1e-9f64],
    ) {
        let before = pairwise(&levels, &pairs);
        let mut higher = levels.clone();
        let c = which.index(levels.len());
        higher[c] += rise;
        let after = pairwise(&higher, &pairs);
        prop_assert!(after >= before - ROUNDING.margin(), "{after} < {before}");
    }

    #[test]
    fn pairwise_is_continuous(
        (levels, pairs) in case(),
        dl in prop::collection::vec(-1.0..1.0f64, 8),
        dc in prop::collection::vec(-1.0..1.0f64, 28),
    ) {
        // Lipschitz: moving every level by at most eps moves the integral by at most
        // mu(all) eps <= n eps; moving every composability by at most eps moves each
        // capacity by at most (n - 1) eps, so the integral by at most max L (n - 1) eps.
        // Small moves also swap near-tied levels, where a discontinuity would show.
        let n = levels.len() as f64;
        let eps = 1e-6;
        let near: Vec<f64> = levels.iter().zip(&dl).map(|(l, d)| (l + eps * d).max(0.0)).collect();
        let near_pairs: Vec<f64> =
            pairs.iter().zip(&dc).map(|(c, d)| (c + eps * d).clamp(0.0, 1.0)).collect();
        let top = levels.iter().copied().fold(0.0, f64::max) + eps;
        let bound = n * eps + top * (n - 1.0) * eps + ROUNDING.margin();
        let moved = (pairwise(&near, &near_pairs) - pairwise(&levels, &pairs)).abs();
        prop_assert!(moved <= bound, "moved {moved}, bound {bound}");
    }

    #[test]
    fn pairwise_lies_between_max_and_sum((levels, pairs) in case()) {
        let got = pairwise(&levels, &pairs);
        let max = levels.iter().copied().fold(0.0, f64::max);
        let sum: f64 = levels.iter().sum();
        prop_assert!(got >= max - ROUNDING.margin() && got <= sum + ROUNDING.margin(), "{max} <= {got} <= {sum}");
    }

    #[test]
    fn pairwise_reduces_to_the_other_methods(
        (levels, pairs) in case(),
        kappa in prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64],
    ) {
        let k = pairs.len();
        let mult = agg_of(Method::Multiplicative, &levels, 0.0, &[]);
        let max = agg_of(Method::Max, &levels, 0.0, &[]);
        let lf = agg_of(Method::LargestFirst, &levels, kappa, &[]);
        let all_one = pairwise(&levels, &vec![1.0; k]);
        prop_assert!(ROUNDING.allows(all_one, mult), "{all_one} vs {mult}");
        prop_assert_eq!(pairwise(&levels, &vec![0.0; k]), max);
        let all_kappa = pairwise(&levels, &vec![kappa; k]);
        prop_assert!(ROUNDING.allows(all_kappa, lf), "{all_kappa} vs {lf}");
    }
}

#[test]
fn no_draw_has_an_elicited_level_above_the_level_at_release() {
    // The elicited CEGs are wider than the available ones, and one cap sits below them.
    let toml = "[report]\ntitle = \"T\"\nversion = \"0.1.0\"\ndate = \"2026-01-01\"\n\
        authors = [\"A\"]\nrelease_date = \"2026-01-01\"\n\
        [simulation]\nsamples = 4096\nseed = 5\n[horizon]\nmonths = 12\nstep_months = 12\n\
        [composability]\nmethod = \"pairwise\"\npair_default = \"uniform(0, 1)\"\n\
        [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\nelicited = \"1 to 100\"\n\
        growth = 0.1\nrationale = \"r\"\n\
        [categories.b]\nlabel = \"B\"\navailable = \"0.5 to 30\"\nelicited = \"0.3 to 300\"\n\
        growth = 0\ncap = \"3 to 10\"\nrationale = \"r\"\n\
        [categories.c]\nlabel = \"C\"\navailable = 5\nelicited = \"1 to 50\"\ngrowth = 0\n\
        rationale = \"r\"\n\
        [[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\npolicy = \"p\"\n";
    let a = crate::test_assessment(toml, "a");
    let plan = Plan::new(
        &a.scenarios[0],
        &a.model,
        &BTreeMap::new(),
        a.horizon.grid(),
        &a.thresholds,
        5,
    )
    .unwrap();
    let len = 4096;
    let mut work = Work::new(&plan, len);
    work.draw(&plan, 0, len).unwrap();
    let slots: Vec<&[f64]> = work.slots.iter().map(|s| &s[..len]).collect();
    let mut agg_e = vec![0.0; len];
    elicited_aggregate(&plan, &slots, len, &mut work.scratch, &mut agg_e);
    let mut capped = 0;
    for (c, levels) in work.scratch.levels.iter().enumerate() {
        let draws = slots[Plan::elicited(c)]
            .iter()
            .zip(slots[Plan::available(c)])
            .zip(slots[Plan::cap(c)])
            .zip(&levels[..len]);
        for (i, (((&e, &av), &k), &got)) in draws.enumerate() {
            let release = av.min(k).max(0.0);
            assert!(
                got <= av.max(0.0) && got <= release,
                "category {c} draw {i}"
            );
            assert_eq!(got, e.min(release).max(0.0), "category {c} draw {i}");
            capped += usize::from(e > release);
        }
    }
    // The cap bites often: elicited draws above what was available are common here.
    assert!(capped > len / 2, "{capped}");
    // The uplift at release is never negative before the floor: Agg is monotone and
    // E_c <= L_c(0) in every draw.
    let mut levels = Scratch::new(3, len);
    let mut u = vec![0.0; len];
    assert!(uplift(&plan, &slots, 0.0, &mut levels, &agg_e, &mut u));
    for (i, (&agg, &e)) in levels.agg.iter().zip(&agg_e).enumerate() {
        assert!(agg - e >= -ROUNDING.margin(), "draw {i}");
    }
}
