//! Snapshots of `fit` on a small assessment with real fits. The fits of the default inputs,
//! whose CEGs are partly derived by overhang-calibrate, are snapshotted where the whole
//! pipeline runs: the overhang binary's tests.

use overhang_trend::{Options, fit};

use crate::support::synthetic;

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../snapshots/trend"
    ));
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn small_synthetic_assessment_fits() {
    let fits = fit(
        &synthetic(2, 6),
        &Options {
            seed: 1,
            resamples: 500,
        },
    );
    settings().bind(|| insta::assert_json_snapshot!("synthetic_two_categories_fits", fits));
}
