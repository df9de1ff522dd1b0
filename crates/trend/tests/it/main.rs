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
