//! The table "What moved the headline": the change of the open-weights median at 12 months
//! split over groups of changed inputs (Shapley values over hybrids of the two versions'
//! inputs) and the change in the model's rules, which add up to the change.

use overhang_testkit::{ROUNDING, assert_close};
use serde_json::Value;

use crate::support::{run, settings, stderr, stdout, workspace};

/// Builds v0.1.0 from the small fixture, then v0.1.1 with `edits` (old, new) applied to its
/// assessment.toml; returns the workspace.
fn two_versions(edits: &[(&str, &str)]) -> tempfile::TempDir {
    let ws = workspace();
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let a = ws.path().join("inputs/assessment.toml");
    let mut text = std::fs::read_to_string(&a)
        .unwrap()
        .replace("version = \"0.1.0\"", "version = \"0.1.1\"");
    for (old, new) in edits {
        assert!(text.contains(old), "{old}");
        text = text.replacen(old, new, 1);
    }
    std::fs::write(&a, text).unwrap();
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    ws
}

fn attribution(ws: &tempfile::TempDir) -> Value {
    let path = ws.path().join("report/v0.1.1/results.json");
    let results: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    results["changes"]["attribution"].clone()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

/// The share of group `id`.
fn share(a: &Value, id: &str) -> f64 {
    let g = a["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap_or_else(|| panic!("no group {id} in {a}"));
    f(&g["share_oom"])
}

/// The rows of the table add up to the headline's change.
fn assert_adds_up(a: &Value) {
    let total = libm::log10(f(&a["new"])) - libm::log10(f(&a["old"]));
    let shares: f64 = a["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| f(&g["share_oom"]))
        .sum();
    let sum = f(&a["rules_oom"]) + shares + f(&a["monte_carlo_oom"]);
    assert_close!(sum, total, ROUNDING);
}

#[test]
fn a_change_to_kappa_alone_is_all_composability_and_the_rules_move_nothing() {
    let ws = two_versions(&[(
        "kappa = \"uniform(0.2, 0.7)\"",
        "kappa = \"uniform(0.5, 0.9)\"",
    )]);
    let a = attribution(&ws);
    assert_eq!(a["metric"], "open_weights.uplift.12m.p50", "{a}");
    assert_adds_up(&a);
    // The same code runs both versions with their own sample count (under the cap): nothing
    // is left to the rules or to Monte Carlo.
    assert_close!(f(&a["rules_oom"]), 0.0, ROUNDING);
    assert_close!(f(&a["monte_carlo_oom"]), 0.0, ROUNDING);
    let total = libm::log10(f(&a["new"])) - libm::log10(f(&a["old"]));
    assert!(total > 0.01, "a wider kappa raises the median: {a}");
    assert_close!(share(&a, "composability"), total, ROUNDING);
    // The version number moves nothing and is not simulated.
    let report = &a["groups"][0];
    assert_eq!(report["id"], "report");
    assert_eq!(report["simulated"], false);
    assert_eq!(a["samples"], 4000);
    assert_eq!(a["seed"], 1);
}

#[test]
fn two_changed_groups_share_the_change_and_the_report_shows_the_table() {
    let ws = two_versions(&[
        (
            "kappa = \"uniform(0.2, 0.7)\"",
            "kappa = \"uniform(0.5, 0.9)\"",
        ),
        ("available = \"1.5 to 10\"", "available = \"5 to 50\""),
    ]);
    let a = attribution(&ws);
    assert_adds_up(&a);
    assert_close!(f(&a["rules_oom"]), 0.0, ROUNDING);
    let (kappa, tools) = (share(&a, "composability"), share(&a, "categories.tool_use"));
    assert!(kappa > 0.0 && tools > 0.0, "{a}");
    let summary = std::fs::read_to_string(ws.path().join("report/v0.1.1/summary.md")).unwrap();
    assert!(
        summary.contains("#### What moved the headline"),
        "{summary}"
    );
    assert!(
        summary.contains("| Change in the model's rules |  | 0 | x1.000 |"),
        "{summary}"
    );

    let o = run(
        ws.path(),
        &["diff", "report/v0.1.0", "report/v0.1.1", "--attribute"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    let table = &md[md.find("### What moved the headline").expect(&md)..];
    settings().bind(|| insta::assert_snapshot!("diff_attribute_md", table));
    let o = run(
        ws.path(),
        &[
            "diff",
            "report/v0.1.0",
            "report/v0.1.1",
            "--attribute",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // The same split as the report's.
    assert_eq!(doc["attribution"], a);
    settings().bind(|| {
        insta::assert_json_snapshot!("diff_attribute_json", doc["attribution"]);
    });
}
