//! Every fit of 500 evidence rows (5 categories of 100) with 2,000 bootstrap resamples.
//!
//! `CARGO_TARGET_DIR=... cargo bench -p overhang-trend`; the budget is 100 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use overhang_trend::{Options, fit, fitted_growth};

#[path = "../tests/it/support.rs"]
mod support;

fn fit_500_rows(c: &mut Criterion) {
    let assessment = support::synthetic(5, 100);
    let options = Options {
        seed: 1,
        resamples: 2000,
    };
    let mut group = c.benchmark_group("trend");
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(10));
    group.bench_function("fit_500_rows_2000_resamples", |b| {
        b.iter(|| {
            let fits = fit(std::hint::black_box(&assessment), &options);
            fitted_growth(&fits, &assessment).unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, fit_500_rows);
criterion_main!(benches);
