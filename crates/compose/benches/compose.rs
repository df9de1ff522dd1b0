//! Benchmark of the simulation: five categories, 21 horizon steps, 200,000 samples,
//! largest-first with uncertain kappa, and the same with the pairwise method (ten uncertain
//! pair composabilities). Run with `bench/compose.sh` or
//! `cargo bench -p overhang-compose --bench compose`.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use overhang_compose::{Options, simulate};

mod common;
use common::{bench_assessment, bench_assessment_with};

fn simulation(c: &mut Criterion) {
    let a = bench_assessment(200_000);
    assert_eq!(a.horizon.grid().len(), 21);
    let mut group = c.benchmark_group("simulate");
    group.sample_size(20);
    group.bench_function("5 categories, 21 steps, 200k samples, largest-first", |b| {
        b.iter(|| simulate(black_box(&a), &BTreeMap::new(), &Options::default(), None).unwrap());
    });
    let pairwise = bench_assessment_with(
        200_000,
        "method = \"pairwise\"\npair_default = \"uniform(0.3, 0.9)\"",
    );
    group.bench_function("5 categories, 21 steps, 200k samples, pairwise", |b| {
        b.iter(|| {
            simulate(
                black_box(&pairwise),
                &BTreeMap::new(),
                &Options::default(),
                None,
            )
            .unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, simulation);
criterion_main!(benches);
