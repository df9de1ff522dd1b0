//! The section "Changes since version X": computed against the latest earlier version, and
//! rebuilt by `verify` from the version folder alone.

use crate::support::{run, stderr, tree, workspace};

#[test]
fn a_new_version_says_what_changed_and_verifies_without_the_old_one() {
    let ws = workspace();
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = ws.path().join("report/v0.1.0");
    // The first version has nothing to compare with.
    assert!(!first.join("inputs/previous").exists());
    let summary = std::fs::read_to_string(first.join("summary.md")).unwrap();
    assert!(!summary.contains("Changes since"), "{summary}");

    let toml = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(text.contains("version = \"0.1.0\"") && text.contains("available = \"1.5 to 10\""));
    let text = text
        .replacen(
            "version = \"0.1.0\"",
            "version = \"0.1.1\"\nchanges = \"Tool use was underestimated.\"",
            1,
        )
        .replacen("available = \"1.5 to 10\"", "available = \"5 to 50\"", 1);
    let seed = text
        .lines()
        .find(|l| l.starts_with("seed = "))
        .unwrap()
        .to_owned();
    let text = text.replacen(&seed, &format!("{seed}\ncorrelation = 0.3"), 1);
    std::fs::write(&toml, text).unwrap();
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = ws.path().join("report/v0.1.1");

    let summary = std::fs::read_to_string(v.join("summary.md")).unwrap();
    assert!(
        summary.contains("### Changes since version 0.1.0"),
        "{summary}"
    );
    assert!(
        summary.contains("Tool use was underestimated."),
        "{summary}"
    );
    assert!(
        // Markdown escapes the underscore.
        summary.contains("assessment.toml, categories.tool\\_use.available: 1.5 to 10 → 5 to 50"),
        "{summary}"
    );

    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(v.join("results.json")).unwrap()).unwrap();
    let changes = &results["changes"];
    assert_eq!(changes["since"], "0.1.0");
    assert_eq!(changes["text"], "Tool use was underestimated.");
    let moved = changes["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "open_weights.uplift.12m.p50")
        .expect("the open-weights median at 12 months moved");
    // A higher available CEG raises the uplift.
    assert!(
        moved["new"].as_f64().unwrap() > moved["old"].as_f64().unwrap(),
        "{moved}"
    );
    assert!(
        changes["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["file"] == "assessment.toml"
                && c["record"] == "categories.tool_use"
                && c["field"] == "available"
                && c["kind"] == "changed"
                && c["old"] == "1.5 to 10"
                && c["new"] == "5 to 50"),
        "{changes}"
    );
    // The model's structural choices are inputs like the estimates.
    assert!(
        changes["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["record"] == "simulation"
                && c["field"] == "correlation"
                && c["old"] == "0"
                && c["new"] == "0.3"),
        "{changes}"
    );

    // The previous results are saved with the inputs, hashed like them.
    let saved = std::fs::read(v.join("inputs/previous/results.json")).unwrap();
    assert_eq!(saved, std::fs::read(first.join("results.json")).unwrap());
    // And its inputs, which the changed inputs are compared with.
    for name in ["assessment.toml", "enhancements.csv"] {
        let saved = std::fs::read(v.join("inputs/previous").join(name)).unwrap();
        assert_eq!(
            saved,
            std::fs::read(first.join("inputs").join(name)).unwrap()
        );
    }
    let manifest = std::fs::read_to_string(v.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert!(
        manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["path"] == "inputs/previous/assessment.toml"),
        "{manifest}"
    );

    // A draft of the same version compares with that version.
    let o = run(ws.path(), &["build", "--draft"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let draft = std::fs::read_to_string(ws.path().join("report/draft/summary.md")).unwrap();
    assert!(draft.contains("### Changes since version 0.1.1"), "{draft}");

    // The folder alone rebuilds the section.
    std::fs::remove_dir_all(&first).unwrap();
    let before = tree(&v);
    let o = run(ws.path(), &["verify", "report/v0.1.1"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(tree(&v), before);
}
