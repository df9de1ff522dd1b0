//! assessment.toml: any bytes, with valid evidence.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use overhang_model::InputFiles;

fuzz_target!(|data: &[u8]| {
    common::load(&InputFiles::new(data, common::ENHANCEMENTS));
});
