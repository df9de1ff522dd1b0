//! Integration tests of overhang-render: one binary, one module per concern.

mod fixture;
mod html;
mod inference;
mod outputs;
mod reproducible;
mod words;
