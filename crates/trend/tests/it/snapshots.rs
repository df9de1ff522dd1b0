//! Snapshots of `fit` on the default inputs and on a small assessment with real fits.

use overhang_model::{InputFiles, load};
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
fn default_inputs_give_diagnostics_that_read_as_sentences() {
    let files = InputFiles::new(
        include_bytes!("../../../../inputs/assessment.toml"),
        include_bytes!("../../../../inputs/enhancements.csv"),
    );
    let assessment = load(&files).unwrap().assessment;
    let options = Options {
        seed: assessment.simulation.seed,
        ..Options::default()
    };
    let fits = fit(&assessment, &options);
    settings().bind(|| insta::assert_json_snapshot!("default_inputs_fits", fits));
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
