use crate::support::{run, settings, stderr, stdout, workspace};

/// Builds v0.1.0 from the fixture, then v0.1.1 with one evidence row changed (its CEG and its
/// note), one added, one parameter changed and one scenario override added.
fn two_versions() -> tempfile::TempDir {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let a = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&a)
        .unwrap()
        .replace("version = \"0.1.0\"", "version = \"0.1.1\"")
        .replace(
            "kappa = \"uniform(0.2, 0.7)\"",
            "kappa = \"uniform(0.5, 0.9)\"",
        )
        .replace(
            "categories.reasoning.growth = 0",
            "categories.reasoning.growth = 0\ncategories.prompting.growth = 0",
        );
    std::fs::write(&a, text).unwrap();
    let csv = ws.path().join("inputs/enhancements.csv");
    let mut text = std::fs::read_to_string(&csv)
        .unwrap()
        .replace(",10,2023-10,", ",12,2023-10,")
        .replacen(
            "benchmark not stated there.",
            "benchmark not stated there. Benchmark moved.",
            1,
        );
    text.push_str("extra_row,An added row,prompting,MMLU,3,2025-01,https://example.org/paper,primary,Added in the new version.\n");
    std::fs::write(&csv, text).unwrap();
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    ws
}

#[test]
fn diff_between_versions_in_markdown_and_json() {
    let ws = two_versions();
    let o = run(ws.path(), &["diff", "report/v0.1.0", "report/v0.1.1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.contains(
            "**changed** assessment.toml, composability.kappa: `uniform(0.2, 0.7)` → \
             `uniform(0.5, 0.9)`"
        ),
        "{md}"
    );
    assert!(
        md.contains("**added** enhancements.csv, row extra_row: An added row"),
        "{md}"
    );
    assert!(
        md.contains("**changed** enhancements.csv, row lats, ceg: `10` → `12`"),
        "{md}"
    );
    // Only a scenario's override changed: listed like any other input.
    assert!(
        md.contains("**added** assessment.toml, scenarios.api_only.categories.prompting.growth: 0"),
        "{md}"
    );
    // A changed note is listed by its field, without the texts.
    assert!(
        md.contains("**changed** enhancements.csv, row lats, notes: text changed"),
        "{md}"
    );
    assert!(!md.contains("Benchmark moved."), "{md}");
    settings().bind(|| insta::assert_snapshot!("diff_md", md));
    let o = run(
        ws.path(),
        &["diff", "report/v0.1.0", "report/v0.1.1", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let json = stdout(&o);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(doc["metrics"].as_array().unwrap().len() > 10);
    settings().bind(|| insta::assert_snapshot!("diff_json", json));
}

#[test]
fn diff_exits_1_when_a_metric_moves_beyond_its_tolerance() {
    let ws = two_versions();
    std::fs::write(ws.path().join("loose.toml"), "[default]\nrel = 10.0\n").unwrap();
    std::fs::write(
        ws.path().join("tight.toml"),
        "[metrics.\"open_weights.uplift.12m.p50\"]\nabs = 0\nrel = 0\n",
    )
    .unwrap();
    let o = run(
        ws.path(),
        &[
            "diff",
            "report/v0.1.0",
            "report/v0.1.1",
            "--tolerances",
            "loose.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(
        ws.path(),
        &[
            "diff",
            "report/v0.1.0",
            "report/v0.1.1",
            "--tolerances",
            "tight.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("beyond tolerance:** `open_weights.uplift.12m.p50`"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn diff_of_a_version_with_itself_shows_no_change() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let o = run(
        ws.path(),
        &["diff", "report/v0.1.0", "report/v0.1.0", "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(doc["inputs"].as_array().unwrap().is_empty());
    assert!(
        doc["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["change"] == 0.0)
    );
}

#[test]
fn results_of_every_published_version_stay_readable() {
    // Older results.json files wrote their fit notes as sentences; diff and the section on
    // changes read them still.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let ws = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo.join("report")).unwrap() {
        let path = entry.unwrap().path();
        if !path.join("manifest.json").exists() {
            continue;
        }
        let shown = path.display().to_string();
        let o = run(ws.path(), &["diff", &shown, &shown, "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{shown}: {}", stderr(&o));
        assert!(stdout(&o).contains("\"metrics\""), "{}", stdout(&o));
    }
}

#[test]
fn diff_of_the_published_versions_lists_every_changed_input() {
    // Run from the repository, so the folders are named as a user types them.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let o = run(&repo, &["diff", "report/v0.1.0", "report/v0.2.0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    // Inputs the comparison of results alone missed: a scenario's override, the evaluation.
    assert!(
        md.contains(
            "**added** assessment.toml, scenarios.api_only.categories.reasoning.available: \
             elicited"
        ),
        "{md}"
    );
    assert!(
        md.contains("**added** assessment.toml, evaluation\n"),
        "{md}"
    );
    settings().bind(|| insta::assert_snapshot!("diff_published_md", md));
}
