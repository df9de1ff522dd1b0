//! The uplift at the evaluation's inference budget, end to end: `check` accepts the inputs,
//! `build` writes the numbers into results.json and renders the report with its section.

use crate::support::{run, stderr, workspace};

#[test]
fn an_inference_budget_reaches_results_json_and_the_report() {
    let ws = workspace();
    let path = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replacen(
            "[simulation]",
            "[evaluation]\ndescription = \"One plain sample per task.\"\n\
             inference_multiple = 1\ninference_exchange = 2\n\n[simulation]",
            1,
        )
        .replacen(
            "[categories.solution_choice]",
            "[categories.solution_choice]\ninference_cost = 100",
            1,
        );
    std::fs::write(&path, text).unwrap();
    let o = run(ws.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(ws.path(), &["build", "--draft"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let draft = ws.path().join("report/draft");
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(draft.join("results.json")).unwrap()).unwrap();
    for s in r["scenarios"].as_array().unwrap() {
        let b = &s["at_budget"];
        assert_eq!(b["budget"], "1");
        assert_eq!(b["penalties"][0]["category"], "solution_choice");
        assert_eq!(b["penalties"][0]["oom"].as_f64(), Some(1.0));
        // Lowering a level never raises the uplift.
        let at = b["projection"][0]["p50"].as_f64().unwrap();
        let months = b["projection"][0]["months"].as_u64().unwrap();
        let free = s["projection"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["months"].as_u64() == Some(months))
            .unwrap()["p50"]
            .as_f64()
            .unwrap();
        assert!(at <= free, "{at} > {free}");
    }
    assert!(draft.join("report.pdf").exists());
}
