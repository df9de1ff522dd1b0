//! The inference of the default inputs against an independent implementation: `PyMC` with
//! nutpie's NUTS (`bench/inference/pymc_model.py`, written from docs/inference.md), whose
//! posterior summaries of every category are committed in `tests/vectors/default_pymc.json`
//! with their Monte Carlo standard errors. Regenerate them when inputs/ changes:
//!
//! ```text
//! overhang build --draft
//! python3 bench/inference/check.py report/draft/results.json \
//!     --draws 50000 --out crates/calibrate/tests/vectors/default_pymc.json
//! ```

use std::path::PathBuf;

use overhang_model::{Assessment, InputFiles, SourceFile, load};
use overhang_testkit::{Tolerance, assert_close};
use serde_json::Value;

/// How far the grid's percentile, mean or sd may lie from `PyMC`'s, in posterior sd: the default
/// grid is good to about 0.013 sd (`the_default_grid_and_quadrature_agree_with_the_fine_ones`)
/// and `PyMC`'s 4 x 50,000 draws carry a Monte Carlo error of about 0.002 to 0.012 sd; 0.05 sd
/// holds both, or four of `PyMC`'s standard errors where those are larger.
const AGREEMENT_SD: f64 = 0.05;
/// The same for the correlation of the level and growth, as it is.
const AGREEMENT_CORRELATION: Tolerance = Tolerance::absolute("AGREEMENT_CORRELATION", 0.05);

fn inputs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../inputs")
}

fn read(name: &str) -> Option<SourceFile> {
    let bytes = std::fs::read(inputs().join(name)).ok()?;
    Some(SourceFile {
        name: name.to_owned(),
        bytes,
    })
}

/// The default inputs, loaded and calibrated (their inference run).
fn calibrated_default() -> Assessment {
    let mut files = InputFiles::new(Vec::new(), Vec::new());
    files.assessment = read("assessment.toml").unwrap();
    files.enhancements = read("enhancements.csv").unwrap();
    files.scaling = read("scaling.csv");
    files.composability = read("composability.csv");
    files.policies = read("policies.toml");
    let mut a = load(&files).unwrap().assessment;
    let diags = overhang_calibrate::calibrate(&mut a, &files);
    assert!(!diags.iter().any(overhang_model::Diagnostic::is_error));
    a
}

#[test]
fn the_default_posteriors_agree_with_pymc_and_nutpie() {
    let a = calibrated_default();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/default_pymc.json");
    let vectors: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let entries = vectors["categories"].as_array().unwrap();
    let posteriors = a.inferred.iter().filter(|c| c.posterior.is_some()).count();
    assert_eq!(entries.len(), posteriors, "every posterior is checked");
    for entry in entries {
        let (scope, category) = (
            entry["scope"].as_str().unwrap(),
            entry["category"].as_str().unwrap(),
        );
        let got = a
            .inferred
            .iter()
            .find(|c| c.scope == scope && c.category == category)
            .and_then(|c| c.posterior)
            .unwrap_or_else(|| panic!("{scope}/{category}: no posterior"));
        assert_eq!(
            entry["rows"].as_u64().unwrap() as usize,
            a.posterior_of(scope, category).unwrap().rows.len(),
            "{scope}/{category}: the vectors were made from other rows"
        );
        let pymc = &entry["pymc"];
        for (name, m) in [("available", got.available), ("growth", got.growth)] {
            let sd = m.sd;
            for (k, x) in [
                ("p5", m.p5),
                ("p50", m.p50),
                ("p95", m.p95),
                ("mean", m.mean),
                ("sd", m.sd),
            ] {
                let v = &pymc[name][k];
                let (value, mcse) = (v["value"].as_f64().unwrap(), v["mcse"].as_f64().unwrap());
                let allowed = Tolerance::absolute("AGREEMENT_SD", AGREEMENT_SD * sd)
                    .or(&Tolerance::standard_errors(4.0, mcse));
                assert_close!(
                    x,
                    value,
                    allowed,
                    "{scope}/{category} {name} {k}: grid against PyMC (MCSE {mcse})"
                );
            }
        }
        let r = pymc["correlation"]["value"].as_f64().unwrap();
        assert_close!(
            got.correlation,
            r,
            AGREEMENT_CORRELATION,
            "{scope}/{category} correlation: grid against PyMC"
        );
    }
}

/// Each scenario's category draws from the posterior only the estimates it keeps as its scope
/// states them: the open-weights base case both, the API scenarios none for fine-tuning data
/// (they override its level and growth), and the table's percentiles are the posterior's.
#[test]
fn scenarios_draw_from_the_posterior_only_what_they_keep() {
    let a = calibrated_default();
    let category = |scenario: &str, id: &str| {
        a.scenarios
            .iter()
            .find(|s| s.id == scenario)
            .and_then(|s| s.categories.iter().find(|c| c.id == id))
            .unwrap()
            .clone()
    };
    for id in ["tool_use", "data", "reasoning"] {
        let p = category("open_weights", id).posterior.unwrap();
        assert!(p.available && p.growth, "{id}");
        let post = a.posterior_of("average", id).unwrap().posterior.unwrap();
        // The simulation's quantile function of the level is the posterior's.
        for (q, want) in [
            (0.05, post.available.p5),
            (0.5, post.available.p50),
            (0.95, post.available.p95),
        ] {
            assert_eq!(p.table.available_quantile(q), want, "{id} at {q}");
        }
    }
    assert!(category("api_only", "data").posterior.is_none());
    assert!(category("api_fine_tuning", "data").posterior.is_none());
    // Frozen by its lag, not by its estimates: still drawn from the posterior.
    assert!(category("api_only", "reasoning").posterior.is_some());
    // A scope's own prior gives its own posterior.
    let agentic = category("agentic_cyber-open_weights", "solution_choice")
        .posterior
        .unwrap();
    let average = category("open_weights", "solution_choice")
        .posterior
        .unwrap();
    assert!(agentic.table.available_quantile(0.5) > average.table.available_quantile(0.5));
}
