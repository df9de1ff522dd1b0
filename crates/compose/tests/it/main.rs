//! Integration tests of overhang-compose: numbers against closed forms, invariants of the
//! aggregation methods, determinism across threads, sensitivity, and bad input.

mod bad_input;
mod budget;
mod closed_form;
mod conditional;
mod dependence;
mod determinism;
mod gap;
mod headline;
mod invariants;
mod policy;
mod profiles;
mod sensitivity;
mod vectors;

use std::collections::BTreeMap;

use overhang_compose::{Options, simulate};
use overhang_model::results::ScenarioResults;
use overhang_model::{Assessment, InputFiles, load};

/// Loads an assessment from the body of assessment.toml after `[report]` and `[simulation]`.
///
/// The loader's editorial requirements (a rationale per category, a policy per threshold, at
/// least one threshold and one evidence row) are filled in here so the tests state only the
/// model's parameters.
pub fn assessment(body: &str, samples: u64, seed: u64) -> Assessment {
    assessment_with_pairs(body, None, samples, seed)
}

/// [`assessment`] with a composability.csv.
pub fn assessment_with_pairs(
    body: &str,
    composability: Option<&str>,
    samples: u64,
    seed: u64,
) -> Assessment {
    let mut toml = format!(
        "[report]\ntitle = \"Test\"\nversion = \"0.1.0\"\ndate = \"2026-01-01\"\n\
         authors = [\"Tester\"]\nrelease_date = \"2026-01-01\"\n\
         [simulation]\nsamples = {samples}\nseed = {seed}\n"
    );
    let mut first_category = None;
    for line in body.lines() {
        toml += line;
        toml.push('\n');
        if let Some(id) = line
            .strip_prefix("[categories.")
            .and_then(|l| l.strip_suffix(']'))
        {
            first_category.get_or_insert_with(|| id.to_owned());
            toml += "rationale = \"Test parameters.\"\n";
        }
        if line == "[[thresholds]]" {
            toml += "policy = \"Test threshold.\"\n";
        }
    }
    if !body.contains("[[thresholds]]") {
        toml += "[[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\npolicy = \"Test threshold.\"\n";
    }
    let category = first_category.expect("a category");
    let mut files = InputFiles::new(
        toml,
        format!(
            "id,name,category,benchmark,ceg,date,source,evidence,notes\n\
             r1,Row,{category},,10,2024-01,https://example.org,primary,\n"
        ),
    );
    if let Some(csv) = composability {
        files = files.with_composability(csv);
    }
    match load(&files) {
        Ok(l) => l.assessment,
        Err(e) => panic!("test assessment does not load: {:#?}", e.diagnostics),
    }
}

/// The default assessment of the repository.
pub fn default_inputs() -> Assessment {
    let files = InputFiles::new(
        include_bytes!("../../../../inputs/assessment.toml"),
        include_bytes!("../../../../inputs/enhancements.csv"),
    )
    .with_policies(include_bytes!("../../../../inputs/policies.toml"));
    load(&files).expect("default inputs load").assessment
}

/// Simulates with no fitted growth on the default pool.
pub fn run(a: &Assessment) -> Vec<ScenarioResults> {
    simulate(a, &BTreeMap::new(), &Options::default(), None).expect("simulation runs")
}
