//! Runs the benchmark assessment with a given number of samples and prints the wall time and
//! the median at the horizon: `cargo run --release -p overhang-compose --example
//! simulate_large -- 10000000`. bench/compose.sh runs it under `/usr/bin/time -v` to measure
//! peak memory.

use std::collections::BTreeMap;
use std::time::Instant;

use overhang_compose::{Options, simulate};

#[path = "../benches/common/mod.rs"]
mod common;

#[expect(clippy::print_stdout, reason = "an example reports to the terminal")]
fn main() {
    let samples: u64 = std::env::args()
        .nth(1)
        .map_or(10_000_000, |s| s.parse().expect("a sample count"));
    let a = common::bench_assessment(samples);
    let start = Instant::now();
    let r = simulate(&a, &BTreeMap::new(), &Options::default(), None).expect("simulation runs");
    let elapsed = start.elapsed();
    let last = r[0].projection.last().expect("a horizon");
    println!(
        "samples={samples} seconds={:.3} horizon_p50={:.4} se={:.2e}",
        elapsed.as_secs_f64(),
        last.p50,
        last.se.p50
    );
}
