//! `overhang backtest`: the inference refitted on the rows before a cutoff, scored on the rest.

use overhang_testkit::{ROUNDING, assert_close};

use crate::support::{default_inputs, run, settings, stderr, stdout, workspace};

#[test]
fn backtest_of_the_default_inputs_at_the_default_cutoff() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = default_inputs();
    let o = run(
        dir.path(),
        &["backtest", "--inputs", inputs.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("backtest: fitted on the rows dated before "),
        "{out}"
    );
    settings().bind(|| insta::assert_snapshot!("backtest_default_inputs", out));
}

#[test]
fn backtest_json_is_the_results_backtest_with_consistent_scores() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = default_inputs();
    let args = [
        "backtest",
        "--inputs",
        inputs.to_str().unwrap(),
        "--cutoff",
        "2023-06",
        "--format",
        "json",
    ];
    let o = run(dir.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let b: overhang_model::results::BacktestResults = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(b.cutoff, "2023-06");
    assert!(!b.default_cutoff);
    assert!(!b.categories.is_empty());
    let mut exact = 0;
    for c in &b.categories {
        for p in &c.predictions {
            assert!(p.interval90[0] <= p.interval50[0] && p.interval50[0] <= p.median);
            assert!(p.median <= p.interval50[1] && p.interval50[1] <= p.interval90[1]);
            assert!((0.0..=1.0).contains(&p.pit), "{}: pit {}", p.id, p.pit);
            if p.kind == "exact" {
                exact += 1;
                let inside = p.interval90[0] <= p.y_log10 && p.y_log10 <= p.interval90[1];
                assert_eq!(p.in90, Some(inside), "{}", p.id);
            } else {
                assert_eq!(p.in50, None, "{}", p.id);
            }
        }
    }
    assert_eq!(b.exact, exact);
    let in50 = b
        .categories
        .iter()
        .flat_map(|c| &c.predictions)
        .filter(|p| p.in50 == Some(true))
        .count();
    // Through JSON, whose float parsing may differ in the last place.
    assert_close!(
        b.coverage50.unwrap(),
        in50 as f64 / exact as f64,
        ROUNDING,
        "coverage50"
    );
}

#[test]
fn backtest_refuses_a_bad_cutoff_and_inputs_without_inference() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = default_inputs();
    let o = run(
        dir.path(),
        &[
            "backtest",
            "--inputs",
            inputs.to_str().unwrap(),
            "--cutoff",
            "2024-13",
        ],
    );
    assert_eq!(o.status.code(), Some(65));
    assert!(stderr(&o).contains("--cutoff"), "{}", stderr(&o));
    let ws = workspace();
    let o = run(ws.path(), &["backtest"]);
    assert_eq!(o.status.code(), Some(65));
    let err = stderr(&o);
    assert!(
        err.contains("assessment.toml: expected an enabled [inference] table, found none"),
        "{err}"
    );
}
