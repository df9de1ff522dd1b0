//! enhancements.csv: any bytes, with a valid assessment.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use overhang_model::InputFiles;

fuzz_target!(|data: &[u8]| {
    common::load(&InputFiles::new(common::ASSESSMENT, data));
});
