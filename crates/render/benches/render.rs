//! Charts plus PDF for the default report (the committed fixture): the budget is 150 ms in
//! release. `charts_and_pdf` reuses typst's memoised work between iterations;
//! `charts_and_pdf_cold_cache` empties that cache first, as a fresh build would.

use criterion::{Criterion, criterion_group, criterion_main};

fn fixture() -> overhang_model::Results {
    serde_json::from_str(include_str!("../tests/fixtures/results.json"))
        .expect("the fixture parses as Results")
}

fn bench(c: &mut Criterion) {
    let results = fixture();
    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    group.bench_function("charts", |b| b.iter(|| overhang_render::charts(&results)));
    group.bench_function("charts_and_pdf", |b| {
        b.iter(|| {
            let charts = overhang_render::charts(&results);
            overhang_render::pdf(&results, &charts).expect("the fixture renders")
        });
    });
    // typst memoises across compilations in one process; a build compiles once, so the
    // figure that matters has the cache emptied first.
    group.bench_function("charts_and_pdf_cold_cache", |b| {
        b.iter(|| {
            typst::comemo::evict(0);
            let charts = overhang_render::charts(&results);
            overhang_render::pdf(&results, &charts).expect("the fixture renders")
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
