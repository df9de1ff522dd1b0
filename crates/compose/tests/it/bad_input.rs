//! Bad input is refused with a clear error, and NaN or infinity never reaches an output.

use std::collections::BTreeMap;

use overhang_compose::{Options, SimError, check_memory, simulate};

use crate::{assessment, default_inputs};

fn one_category(available: &str, growth: &str) -> String {
    format!(
        "[horizon]\nmonths = 60\nstep_months = 12\n[composability]\nmethod = \"max\"\n\
         [categories.x]\nlabel = \"X\"\navailable = \"{available}\"\ngrowth = \"{growth}\"\n"
    )
}

#[test]
fn sample_counts_beyond_the_limit_are_refused_before_running() {
    let mut a = default_inputs();
    a.simulation.samples = u64::MAX;
    let err = simulate(&a, &BTreeMap::new(), &Options::default(), None).unwrap_err();
    assert!(matches!(
        err,
        SimError::TooManySamples {
            samples: u64::MAX,
            ..
        }
    ));
    assert!(err.to_string().contains("expected at most"), "{err}");
    a.simulation.samples = 0;
    let err = simulate(&a, &BTreeMap::new(), &Options::default(), None).unwrap_err();
    assert_eq!(err, SimError::NoSamples);
}

#[test]
fn memory_check_accepts_large_runs_and_refuses_absurd_grids() {
    check_memory(10_000_000, 21).unwrap();
    check_memory(50_000_000, 121).unwrap();
    let err = check_memory(1_000_000, 20_000).unwrap_err();
    assert!(matches!(err, SimError::TooMuchMemory { .. }), "{err}");
    assert!(err.to_string().contains("MiB"), "{err}");
}

#[test]
fn a_growth_that_overflows_is_named() {
    let a = assessment(&one_category("2 to 20", "normal(0, 1e307)"), 1000, 1);
    let err = simulate(&a, &BTreeMap::new(), &Options::default(), None).unwrap_err();
    assert_eq!(
        err,
        SimError::NonFinite {
            input: "categories.x.growth".into(),
            scenario: "base".into()
        }
    );
    assert!(err.to_string().contains("categories.x.growth"));
}

#[test]
fn an_uplift_too_large_for_a_double_is_refused_and_named() {
    // 10^(400) overflows: refused rather than reported as infinity.
    let a = assessment(&one_category("2 to 20", "100 to 101"), 1000, 1);
    let err = simulate(&a, &BTreeMap::new(), &Options::default(), None).unwrap_err();
    assert_eq!(
        err,
        SimError::NonFinite {
            input: "categories.x.growth".into(),
            scenario: "base".into()
        }
    );
}

#[test]
fn a_fit_category_without_a_fit_is_an_error() {
    let a = assessment(&one_category("2 to 20", "fit"), 1000, 1);
    let err = simulate(&a, &BTreeMap::new(), &Options::default(), None).unwrap_err();
    assert_eq!(
        err,
        SimError::MissingFit {
            category: "x".into(),
            scenario: "base".into()
        }
    );
}
