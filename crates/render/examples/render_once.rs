//! Renders the charts and the PDF of the default report's fixture once, as one build does in
//! a fresh process (typst's caches empty, the embedded fonts not yet parsed), and prints how
//! long that took: `cargo run --release -p overhang-render --example render_once`.
//! bench/render.sh runs it many times.

use std::time::Instant;

#[expect(clippy::print_stdout, reason = "an example reports to the terminal")]
fn main() {
    let results: overhang_model::Results =
        serde_json::from_str(include_str!("../tests/fixtures/results.json"))
            .expect("the fixture parses as Results");
    let start = Instant::now();
    let charts = overhang_render::charts(&results);
    let after_charts = start.elapsed();
    let pdf = overhang_render::pdf(&results, &charts).expect("the fixture renders");
    let total = start.elapsed();
    println!(
        "charts_ms={:.1} charts_and_pdf_ms={:.1} pdf_bytes={}",
        after_charts.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        pdf.len()
    );
}
