//! scaling.csv: any bytes, with a valid assessment and an evidence row written `derive`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use overhang_model::InputFiles;

fuzz_target!(|data: &[u8]| {
    let enhancements = common::ENHANCEMENTS.replacen(",,10,2023-10,", ",,derive,2023-10,", 1);
    common::load(&InputFiles::new(common::ASSESSMENT, enhancements).with_scaling(data));
});
