//! The estimate parser (`5 to 30`, `lognormal(1, 0.5)`, ...) and what a parsed estimate does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use overhang_model::Estimate;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(e) = Estimate::parse(text) {
        // A parsed estimate answers every question without panicking.
        let _ = e.central();
        let _ = e.interval90();
        for u in [1e-12, 0.05, 0.5, 0.95, 1.0 - 1e-12] {
            let _ = e.quantile(u);
        }
        let again = Estimate::parse(e.text());
        assert!(again.is_ok(), "{text:?} parsed, but its text {:?} does not", e.text());
    }
});
