use crate::support::{default_inputs, run, settings, stderr, stdout, workspace};

#[test]
fn check_passes_on_the_default_inputs_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = default_inputs();
    let o = run(dir.path(), &["check", "--inputs", inputs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o).replace(inputs.to_str().unwrap(), "inputs");
    settings().bind(|| insta::assert_snapshot!("check_default_inputs", out));
}

#[test]
fn check_reports_every_error_with_exit_65() {
    let ws = workspace();
    let a = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    let text = text
        .replace("samples = 4000", "samples = 0")
        .replace("available = \"2 to 15\"", "available = \"15 to 2\"");
    std::fs::write(&a, text).unwrap();
    let o = run(ws.path(), &["check"]);
    assert_eq!(o.status.code(), Some(65));
    let err = stderr(&o);
    assert!(err.contains("inputs/assessment.toml:"), "{err}");
    assert!(err.contains("simulation.samples"), "{err}");
    assert!(err.contains("expected low < high"), "{err}");
    assert!(err.contains("has 2 errors"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn check_json_puts_one_document_on_stdout_even_on_bad_input() {
    let ws = workspace();
    let csv = ws.path().join("inputs/enhancements.csv");
    let text = std::fs::read_to_string(&csv)
        .unwrap()
        .replace(",2024-08,", ",2024-13,");
    std::fs::write(&csv, text).unwrap();
    let o = run(ws.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(65));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["errors"], 1);
    let errors: Vec<_> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    let d = errors[0];
    assert_eq!(d["file"], "inputs/enhancements.csv");
    assert_eq!(d["field"], "row 4, column date");
    assert_eq!(d["line"], 5);
}

#[test]
fn a_missing_folder_or_file_exits_66() {
    let ws = workspace();
    let o = run(ws.path(), &["check", "--inputs", "nowhere"]);
    assert_eq!(o.status.code(), Some(66));
    assert!(stderr(&o).contains("`nowhere` does not exist"));
    std::fs::remove_file(ws.path().join("inputs/enhancements.csv")).unwrap();
    let o = run(ws.path(), &["check"]);
    assert_eq!(o.status.code(), Some(66));
    assert!(
        stderr(&o).contains("missing input file `inputs/enhancements.csv`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    let ws = workspace();
    let o = run(ws.path(), &["check", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn help_texts_are_stable() {
    let ws = workspace();
    for cmd in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["diff", "--help"],
        &["verify", "--help"],
        &["init", "--help"],
        &["watch", "--help"],
        &["completions", "--help"],
    ] {
        let o = run(ws.path(), cmd);
        assert_eq!(o.status.code(), Some(0));
        let name = format!("help_{}", cmd[0].trim_start_matches('-'));
        settings().bind(|| insta::assert_snapshot!(name, stdout(&o)));
    }
}
