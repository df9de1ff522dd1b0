//! composability.csv: any bytes, with a valid assessment that uses the pairwise method.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use overhang_model::InputFiles;

fuzz_target!(|data: &[u8]| {
    let assessment = common::ASSESSMENT.replacen(
        "method = \"largest-first\"",
        "method = \"pairwise\"\npair_default = \"uniform(0.2, 0.9)\"",
        1,
    );
    common::load(&InputFiles::new(assessment, common::ENHANCEMENTS).with_composability(data));
});
