//! Integration tests of overhang-trend, one binary.

#![expect(
    clippy::float_cmp,
    reason = "degrees of freedom, order statistics and negations are exact"
)]

mod bounds;
mod censored;
mod fits;
mod invariance;
mod nist;
mod reference;
mod scopes;
mod snapshots;
mod studies;
mod support;

/// Asserts `|a - b| <= rel * max(|a|, |b|)` (or `<= rel` near zero), naming the quantity.
#[track_caller]
pub fn assert_close(what: &str, a: f64, b: f64, rel: f64) {
    let scale = a.abs().max(b.abs()).max(1.0e-300);
    let ok = (a - b).abs() <= rel * scale || (a - b).abs() <= rel * 1e-3;
    assert!(
        ok,
        "{what}: {a:e} vs {b:e} (relative {:e}, allowed {rel:e})",
        (a - b).abs() / scale
    );
}
