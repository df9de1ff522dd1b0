//! Evidence that can carry a trend, end to end: CEGs derived from scaling.csv, bounds, and
//! what `check` and `build` make of them.

use std::path::Path;

use crate::support::{copy_dir, default_inputs, run, settings, stderr, stdout, workspace};
use overhang_testkit::{ROUNDING, Tolerance, assert_close};

/// A trend slope as the rows were made to rise (0.3 or 0.5 OOM a year), to two decimals: the
/// rows carry a little scatter.
const DESCRIBED: Tolerance = Tolerance::absolute("DESCRIBED", 0.01);

/// A posterior summary of the pairwise grid against its closed form: the grid's cells of
/// 1/8192 of prior probability put the moments within a few 1e-4.
const GRID: Tolerance = Tolerance::absolute("GRID", 5e-4);

/// The prior's mean summed over the grid's cells of equal prior probability.
const PRIOR_GRID: Tolerance = Tolerance::absolute("PRIOR_GRID", 1e-6);

const TOY_ENHANCEMENTS: &str = "id,name,category,benchmark,ceg,date,source,evidence,notes\n\
    lifted,Lifted to 35,scaffolding,bench,derive,2023-01,a table,measured,\n\
    beyond,Lifted to 45,scaffolding,bench,derive,2023-06,a table,measured,\n\
    written,A bound as written,solution_choice,MATH,>= 14,2024-08,a paper,secondary,\n";

const TOY_SCALING: &str = "family,model,compute,benchmark,score,enhancement,source,notes\n\
    toy,Toy 1e20,1e20,bench,10,,a table,\n\
    toy,Toy 1e21,1e21,bench,20,,a table,\n\
    toy,Toy 1e22,1e22,bench,30,,a table,\n\
    toy,Toy 1e23,1e23,bench,40,,a table,\n\
    toy,Toy 1e21 lifted,1e21,bench,35,lifted,a table,\n\
    toy,Toy 1e21 beyond,1e21,bench,45,beyond,a table,\n";

fn results(dir: &Path) -> serde_json::Value {
    let bytes = std::fs::read(dir.join("report/draft/results.json")).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn the_toy_family_and_a_bound_reach_results_json() {
    let ws = workspace();
    std::fs::write(ws.path().join("inputs/enhancements.csv"), TOY_ENHANCEMENTS).unwrap();
    std::fs::write(ws.path().join("inputs/scaling.csv"), TOY_SCALING).unwrap();
    let o = run(ws.path(), &["build", "--draft"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = results(ws.path());
    let evidence = r["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 3);

    let lifted = &evidence[0];
    assert_eq!(lifted["id"], "lifted");
    let ceg = lifted["ceg"].as_f64().unwrap();
    assert_close!(ceg, 31.622_776_601_683_793, ROUNDING.relative(), "{ceg}");
    assert_eq!(lifted["censoring"], "none");
    let d = &lifted["derivation"];
    assert_eq!(d["method"], "interpolation");
    assert_eq!(d["line"], 6);
    let lines: Vec<u64> = d["base"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3, 4, 5]);
    assert!(d["logistic"]["ceg"].as_f64().is_some());

    let beyond = &evidence[1];
    assert_eq!(beyond["ceg"].as_f64(), Some(100.0));
    assert_eq!(beyond["censoring"], "lower");

    let written = &evidence[2];
    assert_eq!(written["ceg"].as_f64(), Some(14.0));
    assert_eq!(written["censoring"], "lower");
    assert!(written["derivation"].is_null());
    // The evidence as written keeps the bound's text.
    let row = &r["inputs"]["evidence"][2];
    assert_eq!(row["ceg"], ">= 14");

    // scaling.csv is an input like the others: copied, hashed, in the fingerprint.
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(ws.path().join("report/draft/manifest.json")).unwrap(),
    )
    .unwrap();
    assert!(
        manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "inputs/scaling.csv"),
        "{manifest}"
    );
    let fingerprint = manifest["fingerprint"].clone();
    std::fs::write(
        ws.path().join("inputs/scaling.csv"),
        TOY_SCALING.replacen(",35,", ",36,", 1),
    )
    .unwrap();
    assert_eq!(run(ws.path(), &["build", "--draft"]).status.code(), Some(0));
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(ws.path().join("report/draft/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_ne!(manifest["fingerprint"], fingerprint);
}

#[test]
fn check_and_build_reject_a_calibration_error_alike() {
    let ws = workspace();
    std::fs::write(ws.path().join("inputs/enhancements.csv"), TOY_ENHANCEMENTS).unwrap();
    let scaling = TOY_SCALING.replacen(",lifted,", ",lifted_,", 1);
    std::fs::write(ws.path().join("inputs/scaling.csv"), scaling).unwrap();
    for args in [&["check"][..], &["build", "--draft"][..]] {
        let o = run(ws.path(), args);
        assert_eq!(o.status.code(), Some(65), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains("--> inputs/scaling.csv:6:35"), "{err}");
        assert!(err.contains("--> inputs/enhancements.csv:2:39"), "{err}");
        assert!(err.contains("did you mean `lifted`?"), "{err}");
    }
    assert!(!ws.path().join("report/draft").exists());
}

#[test]
fn growth_fit_refuses_a_fit_that_cannot_carry_a_claim() {
    let ws = workspace();
    // Scaffolding's two derived rows and a third on another benchmark: a fit over mixed
    // benchmarks from the censored likelihood, which growth = "fit" must refuse.
    let enhancements = format!(
        "{TOY_ENHANCEMENTS}other,Another scaffold,scaffolding,other bench,12,2024-06,a paper,primary,\n"
    );
    std::fs::write(ws.path().join("inputs/enhancements.csv"), enhancements).unwrap();
    std::fs::write(ws.path().join("inputs/scaling.csv"), TOY_SCALING).unwrap();
    let toml = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text = text.replacen("growth = \"0.03 to 0.3\"", "growth = \"fit\"", 1);
    std::fs::write(&toml, text).unwrap();
    for args in [&["check"][..], &["build", "--draft"][..]] {
        let o = run(ws.path(), args);
        assert_eq!(o.status.code(), Some(65), "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains("categories.scaffolding.growth"), "{err}");
        assert!(
            err.contains("found one that cannot") || err.contains("found none"),
            "{err}"
        );
    }
}

#[test]
fn the_default_evidence_gives_every_category_a_fit_or_a_reason() {
    let ws = tempfile::tempdir().unwrap();
    copy_dir(&default_inputs(), &ws.path().join("inputs"));
    // Fewer samples: the evidence and the fits do not depend on them.
    let toml = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replacen("samples = 100000", "samples = 2000", 1),
    )
    .unwrap();
    let o = run(ws.path(), &["build", "--draft"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = results(ws.path());
    let evidence = r["evidence"].as_array().unwrap();
    assert!(evidence.len() >= 30, "{}", evidence.len());
    let derived = evidence
        .iter()
        .filter(|e| !e["derivation"].is_null())
        .count();
    assert!(derived >= 15, "{derived}");
    assert!(evidence.iter().any(|e| e["censoring"] == "lower"));
    for c in r["fits"]["categories"].as_array().unwrap() {
        let has_line = !c["ols"].is_null() || !c["censored"].is_null();
        let reasons = c["diagnostics"].as_array().unwrap();
        assert!(
            has_line || !reasons.is_empty(),
            "{}: neither a fit nor a reason",
            c["category"]
        );
        assert!(c["n"].as_u64().unwrap() >= 3, "{}", c["category"]);
    }
    settings().bind(|| insta::assert_json_snapshot!("default_inputs_fits", r["fits"]));
    // Calibration warns (pooled base scores); the warnings name their files as the inputs
    // folder does, so a rebuild from the version's own copy of the inputs matches.
    assert!(!r["inputs"]["warnings"].as_array().unwrap().is_empty());
    let o = run(ws.path(), &["verify", "report/draft"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

/// Scaffolding rows of the average task rising about 0.1 OOM a year, and rows of the scope
/// `agentic` rising about 0.5 OOM a year (about 0.3 all together).
const SCOPED_ENHANCEMENTS: &str = "id,name,category,benchmark,ceg,date,source,evidence,notes,scope\n\
    s1,Scaffold 2019,scaffolding,bench,2,2019-01,a paper,primary,,\n\
    s2,Scaffold 2020,scaffolding,bench,2.6,2020-01,a paper,primary,,\n\
    s3,Scaffold 2021,scaffolding,bench,3.1,2021-01,a paper,primary,,\n\
    s4,Scaffold 2022,scaffolding,bench,4.1,2022-01,a paper,primary,,\n\
    g1,Agent scaffold 2019,scaffolding,agent bench,2,2019-01,a paper,primary,,agentic\n\
    g2,Agent scaffold 2020,scaffolding,agent bench,6.5,2020-01,a paper,primary,,agentic\n\
    g3,Agent scaffold 2021,scaffolding,agent bench,19,2021-01,a paper,primary,,agentic\n\
    g4,Agent scaffold 2022,scaffolding,agent bench,65,2022-01,a paper,primary,,agentic\n";

/// The small fixture with the scope `agentic`, whose scaffolding growth is its own fit, and
/// `enhancements` as the evidence.
fn scoped_workspace(enhancements: &str) -> tempfile::TempDir {
    let ws = workspace();
    std::fs::write(ws.path().join("inputs/enhancements.csv"), enhancements).unwrap();
    let toml = ws.path().join("inputs/assessment.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str(
        "\n[scopes.agentic]\nlabel = \"Agentic tasks\"\ncategories.scaffolding.growth = \"fit\"\n",
    );
    std::fs::write(&toml, text).unwrap();
    ws
}

#[test]
fn scoped_rows_are_fitted_apart_and_feed_growth_fit_in_their_scope() {
    let ws = scoped_workspace(SCOPED_ENHANCEMENTS);
    let o = run(ws.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        doc["summary"]["evidence_by_scope"],
        serde_json::json!({"agentic": 4})
    );
    let o = run(ws.path(), &["build", "--draft"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = results(ws.path());
    let fits = &r["fits"];
    assert_eq!(fits["scope"], "average");
    let slope = |cats: &serde_json::Value| {
        cats.as_array()
            .unwrap()
            .iter()
            .find(|c| c["category"] == "scaffolding")
            .map(|c| {
                (
                    c["n"].as_u64().unwrap(),
                    c["ols"]["slope"].as_f64().unwrap(),
                )
            })
            .unwrap()
    };
    // The average task's fits take every row; the scope's, its own.
    let (n, average) = slope(&fits["categories"]);
    assert_eq!(n, 8);
    assert_close!(average, 0.30, DESCRIBED, "{average}");
    let scope = &fits["scopes"][0];
    assert_eq!(
        (&scope["scope"], &scope["rows"]),
        (&"agentic".into(), &4.into())
    );
    let (n, agentic) = slope(&scope["categories"]);
    assert_eq!(n, 4);
    assert_close!(agentic, 0.50, DESCRIBED, "{agentic}");
    // The rows carry their scope into results.json.
    assert_eq!(r["inputs"]["evidence"][4]["scope"], "agentic");
    assert_eq!(r["inputs"]["evidence"][0]["scope"], "average");

    // Only the scope's scenarios draw scaffolding growth from the scope's fit.
    let notes = |id: &str| {
        r["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .map(|s| s["notes"].to_string())
            .unwrap()
    };
    let scoped_notes = notes("agentic-open_weights");
    assert!(
        scoped_notes.contains("growth from the OLS fit of the scope's 4 evidence rows"),
        "{scoped_notes}"
    );
    assert!(!notes("open_weights").contains("growth from the OLS fit"));

    let summary = std::fs::read_to_string(ws.path().join("report/draft/summary.md")).unwrap();
    assert!(
        summary.contains("### Trend fits by task scope"),
        "{summary}"
    );
    assert!(
        summary.contains("- **Agentic tasks.** Four evidence rows name this scope (Scaffolding 4)"),
        "{summary}"
    );
    assert!(summary.ends_with("OOM/year.\n"), "{summary}");
}

#[test]
fn growth_fit_in_a_scope_with_too_few_rows_is_refused_at_the_scopes_key() {
    let two_rows: String = SCOPED_ENHANCEMENTS
        .lines()
        .filter(|l| !l.starts_with("g3,") && !l.starts_with("g4,"))
        .fold(String::new(), |mut s, l| {
            s.push_str(l);
            s.push('\n');
            s
        });
    let ws = scoped_workspace(&two_rows);
    for args in [&["check"][..], &["build", "--draft"][..]] {
        let o = run(ws.path(), args);
        assert_eq!(o.status.code(), Some(65), "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(
            err.contains("[scopes.agentic.categories.scaffolding.growth]")
                || err.contains("scopes.agentic.categories.scaffolding.growth"),
            "{err}"
        );
        assert!(
            err.contains(
                "expected a trend fit for growth = \"fit\" from the rows of scope `agentic`, found none: only 2 evidence rows"
            ),
            "{err}"
        );
        if args == ["check"] {
            settings().bind(|| insta::assert_snapshot!("scope_growth_fit_refused", err));
        }
    }
    assert!(!ws.path().join("report/draft").exists());
}

#[test]
fn an_undeclared_scope_in_the_evidence_is_refused_at_its_field() {
    let ws = scoped_workspace(&SCOPED_ENHANCEMENTS.replacen(",agentic\n", ",agentc\n", 1));
    let o = run(ws.path(), &["check"]);
    assert_eq!(o.status.code(), Some(65), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("--> inputs/enhancements.csv:6:"), "{err}");
    assert!(
        err.contains("expected a scope declared in assessment.toml (agentic), or an empty field for the average task, found `agentc`"),
        "{err}"
    );
    assert!(err.contains("did you mean `agentic`?"), "{err}");
    settings().bind(|| insta::assert_snapshot!("scope_undeclared_in_evidence", err));
}

/// Two measurements of tool use and solution choice together (10x and 10x alone, 10^1.5
/// together: a composability of one half), and their components.
const PAIR_ENHANCEMENTS: &str = "id,name,category,benchmark,ceg,date,source,evidence,notes,components\n\
    tools,Tools,tool_use,bench,10,2024-01,a paper,primary,,\n\
    voting,Voting,solution_choice,bench,10,2024-01,a paper,primary,,\n\
    both,Tools and voting,tool_use+solution_choice,bench,31.622776601683793,2024-01,a paper,primary,,tools voting\n\
    both_again,Tools and voting again,tool_use+solution_choice,bench,31.622776601683793,2024-01,a paper,primary,,tools voting\n";

/// The small fixture with pairwise composability, learned when `learn`.
fn pairwise_workspace(learn: bool) -> tempfile::TempDir {
    let ws = workspace();
    std::fs::write(ws.path().join("inputs/enhancements.csv"), PAIR_ENHANCEMENTS).unwrap();
    let toml = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replacen("method = \"largest-first\"", "method = \"pairwise\"", 1)
        .replacen(
            "kappa = \"uniform(0.2, 0.7)\"",
            &format!("pair_default = \"uniform(0, 1)\"\nlearn = {learn}\ncombination_sd = \"0.1\""),
            1,
        );
    std::fs::write(&toml, text).unwrap();
    ws
}

#[test]
fn pairwise_learning_learns_the_informed_pair_and_ranks_the_inputs_before_and_after() {
    let ws = pairwise_workspace(true);
    let o = run(ws.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "composability  pairwise, 0 listed pairs; 1 pair learned from 2 combination rows, the others at their estimates"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(ws.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        doc["summary"]["composability"],
        serde_json::json!({"method": "pairwise", "learn": true, "learned_from": ["both", "both_again"]})
    );
    let o = run(ws.path(), &["build", "--draft"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = results(ws.path());
    let c = &r["composability"];
    let pairs = c["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1, "{c}");
    let p = &pairs[0];
    assert_eq!(
        (&p["a"], &p["b"]),
        (&"tool_use".into(), &"solution_choice".into())
    );
    assert_eq!(p["rows"], serde_json::json!(["both", "both_again"]));
    let mean = p["posterior"]["mean"].as_f64().unwrap();
    let sd = p["posterior"]["sd"].as_f64().unwrap();
    assert_close!(mean, 0.5, GRID, "{mean}");
    assert_close!(sd, 0.1 / 2f64.sqrt(), GRID, "{sd}");
    assert_close!(p["prior"]["mean"].as_f64().unwrap(), 0.5, PRIOR_GRID);
    // Largest-first's kappa is not learned under the pairwise method.
    assert!(c["posterior"].is_null());

    // The ranking before and after: the learned pair's share of the variance falls.
    let ranking = &c["ranking"];
    assert_eq!(ranking["scenario"], r["scenarios"][0]["id"]);
    let share = |list: &serde_json::Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["input"] == "composability.pairs.tool_use.solution_choice")
            .map(|e| e["first_order"].as_f64().unwrap())
            .unwrap()
    };
    let (before, after) = (share(&ranking["prior"]), share(&ranking["posterior"]));
    assert!(after < before, "{before} -> {after}");
    // The posterior ranking is the scenario's own sensitivity at the horizon.
    let own = r["scenarios"][0]["sensitivity"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["inputs"]
        .clone();
    assert_eq!(ranking["posterior"], own);
}

#[test]
fn without_learning_check_and_results_say_composability_was_not_learned() {
    let ws = pairwise_workspace(false);
    let o = run(ws.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("composability  pairwise, 0 listed pairs; not learned (learn = false)"),
        "{}",
        stdout(&o)
    );
    let o = run(ws.path(), &["build", "--draft"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = results(ws.path());
    assert!(r["composability"]["pairs"].is_null());
    assert!(r["composability"]["ranking"].is_null());
    assert_eq!(r["inputs"]["composability"]["learn"], false);
}

#[test]
fn a_learned_kappa_is_ranked_before_and_after_learning() {
    let ws = workspace();
    std::fs::write(ws.path().join("inputs/enhancements.csv"), PAIR_ENHANCEMENTS).unwrap();
    let toml = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replacen(
        "kappa = \"uniform(0.2, 0.7)\"",
        "kappa = \"uniform(0.2, 0.7)\"\nlearn = true\ncombination_sd = \"0.1\"",
        1,
    );
    std::fs::write(&toml, text).unwrap();
    let o = run(ws.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "composability  largest-first, kappa uniform(0.2, 0.7); kappa learned from 2 combination rows"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(ws.path(), &["build", "--draft"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = results(ws.path());
    let c = &r["composability"];
    assert!(c["pairs"].is_null());
    let ranking = &c["ranking"];
    let kappa = |list: &serde_json::Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["input"] == "composability.kappa")
            .map(|e| (e["label"].clone(), e["first_order"].as_f64().unwrap()))
            .unwrap()
    };
    let ((prior_label, before), (label, after)) =
        (kappa(&ranking["prior"]), kappa(&ranking["posterior"]));
    assert_eq!(prior_label, "Composability: kappa");
    assert_eq!(label, "Composability: kappa (learned)");
    // The posterior (sd 0.07) is half as wide as the prior (sd 0.14): kappa explains less.
    assert!(after < before, "{before} -> {after}");
}
