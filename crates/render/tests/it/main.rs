//! Integration tests of overhang-render: one binary, one module per concern.

mod fixture;
mod outputs;
mod reproducible;
