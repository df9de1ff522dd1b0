//! Benchmark of the simulation: five categories, 21 horizon steps, 200,000 samples,
//! largest-first with uncertain kappa. Run with `bench/compose.sh` or
//! `cargo bench -p overhang-compose --bench compose`.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use overhang_compose::{Options, simulate};

mod common;
use common::bench_assessment;

fn simulation(c: &mut Criterion) {
    let a = bench_assessment(200_000);
    assert_eq!(a.horizon.grid().len(), 21);
    let mut group = c.benchmark_group("simulate");
    group.sample_size(20);
    group.bench_function("5 categories, 21 steps, 200k samples, largest-first", |b| {
        b.iter(|| simulate(black_box(&a), &BTreeMap::new(), &Options::default(), None).unwrap());
    });
    group.finish();
}

criterion_group!(benches, simulation);
criterion_main!(benches);
