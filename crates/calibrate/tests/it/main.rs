//! Integration tests of overhang-calibrate, one binary.

#![expect(
    clippy::float_cmp,
    reason = "bounds are ratios of the computes as written, and pooled means are exact"
)]

mod backtest;
mod composability;
mod default_inference;
mod default_tables;
mod derivation;
mod inference;
mod pipeline;
mod problems;
mod reference;
mod sbc;

use overhang_model::ScalingRow;

/// A scaling row of family `toy` on benchmark `bench`.
pub fn row(compute: f64, score: f64, enhancement: Option<&str>, line: usize) -> ScalingRow {
    ScalingRow {
        family: "toy".to_owned(),
        model: format!("toy {compute:e}"),
        compute,
        benchmark: "bench".to_owned(),
        score,
        enhancement: enhancement.map(str::to_owned),
        source: "a table".to_owned(),
        notes: String::new(),
        compute_basis: None,
        line,
    }
}

/// A toy family: 10, 20, 30, 40 at 1e20 to 1e23 FLOP, on lines 2 to 5.
pub fn toy_base() -> Vec<ScalingRow> {
    vec![
        row(1e20, 10.0, None, 2),
        row(1e21, 20.0, None, 3),
        row(1e22, 30.0, None, 4),
        row(1e23, 40.0, None, 5),
    ]
}
