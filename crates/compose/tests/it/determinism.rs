//! Same seed, same bytes: across runs, thread counts, and (through a snapshot) processes.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use overhang_compose::{CHUNK_SIZE, Options, simulate};

use crate::{assessment, default_inputs};

fn json_with_threads(samples: u64, threads: Option<usize>) -> String {
    let mut a = default_inputs();
    a.simulation.samples = samples;
    let r = simulate(&a, &BTreeMap::new(), &Options { threads }, None).unwrap();
    serde_json::to_string(&r).unwrap()
}

#[test]
fn results_are_byte_identical_for_one_two_and_eight_threads() {
    // Not a multiple of the chunk size, so the last chunk is partial.
    let samples = 7 * CHUNK_SIZE + 123;
    let one = json_with_threads(samples, Some(1));
    assert_eq!(one, json_with_threads(samples, Some(2)));
    assert_eq!(one, json_with_threads(samples, Some(8)));
    assert_eq!(one, json_with_threads(samples, None));
}

#[test]
fn another_seed_gives_other_numbers() {
    let mut a = default_inputs();
    a.simulation.samples = 5000;
    let first = serde_json::to_string(&crate::run(&a)).unwrap();
    a.simulation.seed += 1;
    let second = serde_json::to_string(&crate::run(&a)).unwrap();
    assert_ne!(first, second);
}

#[test]
fn scenarios_share_the_draws_of_the_inputs_they_have_in_common() {
    // Scenario `same` overrides nothing, so its numbers equal the base scenario's, and
    // `less` lowers one category, which can only lower every quantile.
    let categories = "[horizon]\nmonths = 24\nstep_months = 12\n[composability]\nmethod = \"max\"\n\
        [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\ngrowth = \"0 to 0.3\"\n\
        [categories.b]\nlabel = \"B\"\navailable = \"3 to 30\"\ngrowth = \"0.1 to 0.2\"\n";
    let scenarios = "[scenarios.same]\nlabel = \"Same\"\ndescription = \"d\"\n\
        [scenarios.less]\nlabel = \"Less\"\ndescription = \"d\"\ncategories.b.available = 1\n";
    let base = crate::run(&assessment(categories, 4000, 5)).remove(0);
    let r = crate::run(&assessment(&format!("{categories}{scenarios}"), 4000, 5));
    let (same, less) = (&r[0], &r[1]);
    assert_eq!(
        serde_json::to_string(&base.projection).unwrap(),
        serde_json::to_string(&same.projection).unwrap()
    );
    for (a, b) in same.projection.iter().zip(&less.projection) {
        assert!(b.p5 <= a.p5 && b.p50 <= a.p50 && b.p95 <= a.p95);
    }
    assert!(less.projection[0].p50 < same.projection[0].p50);
}

#[test]
fn progress_reaches_the_total() {
    let mut a = default_inputs();
    a.simulation.samples = 3 * CHUNK_SIZE;
    let last = AtomicU64::new(0);
    let total = AtomicU64::new(0);
    let cb = |done: u64, all: u64| {
        last.fetch_max(done, Ordering::Relaxed);
        total.store(all, Ordering::Relaxed);
    };
    simulate(&a, &BTreeMap::new(), &Options::default(), Some(&cb)).unwrap();
    let total = total.load(Ordering::Relaxed);
    assert_eq!(a.scenarios.len(), 6, "two scopes x three scenarios");
    assert_eq!(
        total,
        6 * 3 * CHUNK_SIZE,
        "six scope x scenarios, values held in memory"
    );
    assert_eq!(last.load(Ordering::Relaxed), total);
}

#[test]
fn small_default_run_matches_its_snapshot() {
    let mut a = default_inputs();
    a.simulation.samples = 2000;
    a.horizon.months = 24;
    a.horizon.step_months = 6;
    let r = crate::run(&a);
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../snapshots/compose"
    ));
    s.set_prepend_module_to_snapshot(false);
    s.bind(|| insta::assert_json_snapshot!("default_inputs_2000_samples", r));
}

/// The default inputs with kappa drawn from `table` (as if learned) in every scenario.
fn with_learned_kappa(
    samples: u64,
    kappa: &str,
    table: Option<&overhang_model::Tabulated>,
) -> overhang_model::Assessment {
    let mut a = default_inputs();
    a.simulation.samples = samples;
    let prior = overhang_model::Estimate::parse(kappa).unwrap();
    let summary = overhang_model::Summary {
        mean: 0.5,
        sd: 0.0,
        p5: 0.5,
        p50: 0.5,
        p95: 0.5,
    };
    let learned = table.map(|t| overhang_model::Learned {
        rows: Vec::new(),
        prior: summary,
        posterior: summary,
        table: t.clone(),
        density: Vec::new(),
    });
    for comp in std::iter::once(&mut a.composability)
        .chain(a.scenarios.iter_mut().map(|s| &mut s.composability))
    {
        comp.kappa = Some(prior.clone());
        comp.learned.clone_from(&learned);
    }
    a
}

#[test]
fn a_learned_kappa_is_drawn_by_its_quantile_function_whatever_the_threads() {
    let samples = 3 * CHUNK_SIZE + 7;
    // A table linear from 0.49 to 0.51 is uniform(0.49, 0.51), drawn from the same stream.
    let table = overhang_model::Tabulated::new(vec![0.0, 1.0], vec![0.49, 0.51]).unwrap();
    let learned = with_learned_kappa(samples, "uniform(0, 1)", Some(&table));
    let run = |a: &overhang_model::Assessment, threads| {
        simulate(
            a,
            &BTreeMap::new(),
            &Options {
                threads: Some(threads),
            },
            None,
        )
        .unwrap()
    };
    let one = run(&learned, 1);
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&run(&learned, 3)).unwrap()
    );
    let uniform = run(&with_learned_kappa(samples, "uniform(0.49, 0.51)", None), 1);
    for (l, u) in one.iter().zip(&uniform) {
        assert_eq!(
            serde_json::to_string(&l.projection).unwrap(),
            serde_json::to_string(&u.projection).unwrap()
        );
    }
}
