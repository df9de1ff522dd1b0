//! What loading makes of valid inputs: scenarios resolved, defaults filled in, every way of
//! writing an estimate accepted, and composability.csv joined in.

#![expect(
    clippy::float_cmp,
    reason = "values read from the inputs must come back exactly"
)]

use overhang_model::diagnostic::render;
use overhang_model::{
    Assessment, Ceg, Censoring, Distribution, Estimand, Estimate, EvidenceMetric, Grade, Growth,
    InputFiles, Method, PendingCeg, Provenance, Results, Severity, load,
};

use crate::{fixtures_dir, read_inputs};

fn base_files() -> InputFiles {
    read_inputs(&fixtures_dir().join("good/base"))
}

fn base_text() -> String {
    String::from_utf8(base_files().assessment.bytes).expect("UTF-8")
}

/// Loads the base inputs with assessment.toml replaced by `toml`.
fn load_toml(toml: &str) -> Assessment {
    let files = base_files();
    let files = InputFiles::new(toml, files.enhancements.bytes);
    match load(&files) {
        Ok(loaded) => loaded.assessment,
        Err(e) => panic!("{}", render(&e.diagnostics, |n| files.text(n))),
    }
}

/// The base assessment.toml with one exact substring replaced.
fn edited(old: &str, new: &str) -> String {
    let text = base_text();
    assert!(text.contains(old), "`{old}` is not in the base inputs");
    text.replacen(old, new, 1)
}

fn point(e: &Estimate) -> f64 {
    match e.distribution() {
        Distribution::Point(v) => *v,
        other => panic!("expected a point, found {other:?}"),
    }
}

#[test]
fn the_base_inputs_load_every_section() {
    let a = load(&base_files()).expect("base inputs load").assessment;
    assert_eq!(a.report.version.as_str(), "0.1.0");
    assert_eq!(a.report.date.to_string(), "2026-11-26");
    assert_eq!(a.simulation.samples, 100_000);
    assert_eq!(a.simulation.seed, 1);
    assert_eq!(a.horizon.grid().len(), 21);
    assert_eq!(a.composability.method, Method::LargestFirst);
    assert_eq!(
        a.composability.kappa.as_ref().map(Estimate::text),
        Some("uniform(0.3, 0.9)")
    );
    let ids: Vec<&str> = a.categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tool_use",
            "prompting",
            "scaffolding",
            "solution_choice",
            "data",
            "reasoning"
        ]
    );
    let multipliers: Vec<f64> = a.thresholds.iter().map(|t| t.multiplier).collect();
    assert_eq!(multipliers, [2.0, 4.0, 6.0]);
    assert_eq!(a.evidence.len(), 4);
    let row = &a.evidence[1];
    assert_eq!(row.id, "o1_high_gpqa");
    assert_eq!(row.line, 3);
    assert_eq!(row.evidence, Grade::Primary);
    assert_eq!(row.date.to_string(), "2024-09");
    assert_eq!(point(row.ceg.estimate().unwrap()), 9.0);
    // A quoted field with commas is one field.
    assert_eq!(
        a.evidence[2].benchmark,
        "GPQA diamond, MATH level 5, Mock AIME"
    );
}

#[test]
fn scenario_overrides_replace_only_the_fields_they_name() {
    let a = load(&base_files()).expect("base inputs load").assessment;
    let ids: Vec<&str> = a.scenarios.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["open_weights", "api_only"]);

    let open = &a.scenarios[0];
    assert_eq!(open.categories, a.categories);
    assert!(open.overrides.is_empty());

    let api = &a.scenarios[1];
    let cat = |id: &str| {
        api.categories
            .iter()
            .find(|c| c.id == id)
            .expect("category")
    };
    assert_eq!(point(cat("data").available.estimate().unwrap()), 1.0);
    assert!(matches!(&cat("data").growth, Growth::Estimate(e) if point(e) == 0.0));
    assert!(matches!(&cat("reasoning").growth, Growth::Estimate(e) if point(e) == 0.0));
    // Fields the scenario does not name keep their base values.
    let base_data = a.categories.iter().find(|c| c.id == "data").expect("data");
    assert_eq!(cat("data").cap, base_data.cap);
    assert_eq!(cat("reasoning").available, a.categories[5].available);
    assert_eq!(cat("tool_use"), &a.categories[0]);
    // The base case itself is untouched.
    assert_eq!(base_data.available.text(), "1.5 to 15");
    assert_eq!(
        api.overrides,
        [
            ("categories.data.available".to_owned(), "1".to_owned()),
            ("categories.data.growth".to_owned(), "0".to_owned()),
            ("categories.reasoning.growth".to_owned(), "0".to_owned()),
        ]
    );
    assert_eq!(api.composability, a.composability);
}

#[test]
fn a_scenario_may_override_the_composability_method_and_kappa() {
    let text = edited(
        "categories.data.available = 1\n",
        "categories.data.available = 1\ncomposability.method = \"max\"\n",
    );
    let text = text.replace(
        "[scenarios.open_weights]\n",
        "[scenarios.open_weights]\ncomposability.kappa = 0.5\n",
    );
    let a = load_toml(&text);
    assert_eq!(a.scenarios[0].composability.method, Method::LargestFirst);
    assert_eq!(
        a.scenarios[0].composability.kappa.as_ref().map(point),
        Some(0.5)
    );
    assert_eq!(a.scenarios[1].composability.method, Method::Max);
    assert_eq!(a.composability.method, Method::LargestFirst);
}

#[test]
fn without_scenarios_there_is_one_base_scenario() {
    let text = base_text();
    let cut = text.find("[scenarios.open_weights]").expect("scenarios");
    let a = load_toml(&text[..cut]);
    assert_eq!(a.scenarios.len(), 1);
    assert_eq!(a.scenarios[0].id, "base");
    assert_eq!(a.scenarios[0].categories, a.categories);
}

#[test]
fn a_missing_elicited_defaults_to_one() {
    let a = load_toml(&edited(
        "available = \"2 to 20\"\ngap = \"1 to 3\"\n",
        "available = \"2 to 20\"\n",
    ));
    assert_eq!(a.categories[0].id, "tool_use");
    assert_eq!(point(&a.categories[0].elicited), 1.0);
    assert!(a.categories[0].gap.is_none());
    assert!(a.categories[1].gap.as_ref().is_some_and(|g| !g.is_point()));
}

#[test]
fn a_missing_cap_means_no_ceiling() {
    let a = load_toml(&edited(
        "growth = \"0.01 to 0.15\"\ncap = \"10 to 100\"\n",
        "growth = \"0.01 to 0.15\"\n",
    ));
    assert_eq!(a.categories[1].id, "prompting");
    assert_eq!(a.categories[1].cap, None);
}

#[test]
fn growth_fit_is_read_as_a_request_for_the_trend_fit() {
    let a = load_toml(&edited("growth = \"0.03 to 0.3\"", "growth = \"fit\""));
    assert_eq!(a.categories[2].id, "scaffolding");
    assert_eq!(a.categories[2].growth, Growth::Fit);
    assert_eq!(a.categories[2].growth.to_string(), "fit");
    // A scenario may ask for the fit too.
    let a = load_toml(&edited(
        "categories.reasoning.growth = 0",
        "categories.reasoning.growth = \"fit\"",
    ));
    let reasoning = a.scenarios[1]
        .categories
        .iter()
        .find(|c| c.id == "reasoning")
        .expect("reasoning");
    assert_eq!(reasoning.growth, Growth::Fit);
}

#[test]
fn estimates_may_be_toml_numbers() {
    let text = edited("available = \"2 to 20\"", "available = 5");
    let text = text.replacen("available = \"1.5 to 10\"", "available = 2.5", 1);
    let text = text.replacen("growth = \"0.03 to 0.3\"", "growth = -0.1", 1);
    let text = text.replacen("cap = \"30 to 300\"", "cap = 1e2", 1);
    let a = load_toml(&text);
    assert_eq!(point(a.categories[0].available.estimate().unwrap()), 5.0);
    assert_eq!(point(a.categories[1].available.estimate().unwrap()), 2.5);
    assert!(matches!(&a.categories[2].growth, Growth::Estimate(e) if point(e) == -0.1));
    assert_eq!(a.categories[0].cap.as_ref().map(point), Some(100.0));
    assert_eq!(a.categories[0].available.text(), "5");
}

#[test]
fn dates_may_be_toml_dates_or_strings() {
    let a = load_toml(&edited("date = \"2026-11-26\"", "date = 2026-11-25"));
    assert_eq!(a.report.date.to_string(), "2026-11-25");
    assert_eq!(a.report.release_date.to_string(), "2026-11-26");
}

#[test]
fn composability_csv_pairs_load_for_the_pairwise_method() {
    let files = read_inputs(&fixtures_dir().join("good/pairwise"));
    let a = load(&files).expect("pairwise inputs load").assessment;
    assert_eq!(a.composability.method, Method::Pairwise);
    let pairs: Vec<(&str, &str, &str)> = a
        .composability
        .pairs
        .iter()
        .map(|p| (p.a.as_str(), p.b.as_str(), p.composability.text()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("tool_use", "scaffolding", "0.5"),
            ("scaffolding", "solution_choice", "uniform(0.2, 0.6)"),
            ("reasoning", "solution_choice", "beta(2, 5)"),
        ]
    );
    assert_eq!(
        a.composability.default_pair.as_ref().map(Estimate::text),
        Some("uniform(0.3, 0.9)")
    );
    // Every scenario sees the same pairs.
    assert!(a.scenarios.iter().all(|s| s.composability.pairs.len() == 3));
}

#[test]
fn errors_in_every_file_are_reported_in_one_pass_in_file_order() {
    let files = base_files();
    let toml = edited("samples = 100000", "samples = 0");
    let csv = String::from_utf8(files.enhancements.bytes.clone())
        .expect("UTF-8")
        .replacen(",2023-10,", ",2023-13,", 1)
        .replacen(",primary,", ",primry,", 1);
    let comp = b"category_a,category_b,composability\ntool_use,tool_use,2\n";
    let files = InputFiles::new(toml, csv).with_composability(&comp[..]);
    let err = load(&files).expect_err("broken inputs");
    let located: Vec<(&str, usize)> = err.errors().map(|d| (d.file.as_str(), d.line)).collect();
    assert_eq!(
        located,
        [
            ("assessment.toml", 19),
            ("enhancements.csv", 2),
            ("enhancements.csv", 3),
            ("composability.csv", 2),
            ("composability.csv", 2),
        ],
        "{:#?}",
        err.diagnostics
    );
    assert_eq!(err.to_string(), "5 error(s) in the inputs");
}

#[test]
fn warnings_do_not_stop_loading_and_come_back_with_the_assessment() {
    let files = base_files();
    let csv = String::from_utf8(files.enhancements.bytes.clone())
        .expect("UTF-8")
        .replacen(",https://arxiv.org/abs/2408.03314,", ",,", 1);
    let files = InputFiles::new(files.assessment.bytes, csv);
    let loaded = load(&files).expect("warnings only");
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].severity, Severity::Warning);
    assert_eq!(loaded.warnings[0].field, "row 4, column source");
    assert_eq!(loaded.assessment.evidence[3].source, "");
}

#[test]
fn diagnostics_serialise_with_their_location() {
    let files = base_files();
    let toml = edited("step_months = 3", "step_months = 7");
    let files = InputFiles::new(toml, files.enhancements.bytes);
    let err = load(&files).expect_err("bad step");
    let json = serde_json::to_value(&err.diagnostics).expect("serialisable");
    assert_eq!(
        json,
        serde_json::json!([{
            "severity": "error",
            "file": "assessment.toml",
            "line": 24,
            "column": 15,
            "field": "horizon.step_months",
            "message": "expected a step that divides the horizon of 60 months, found 7",
            "hint": "steps that divide 60: 1, 2, 3, 4, 5, 6, 10, 12",
        }])
    );
}

/// The base evidence with the `ceg` field of row `lats` (`10`) written as `ceg`.
fn with_lats_ceg(ceg: &str) -> InputFiles {
    let files = base_files();
    let csv = String::from_utf8(files.enhancements.bytes.clone())
        .expect("UTF-8")
        .replacen(",,10,2023-10,", &format!(",,{ceg},2023-10,"), 1);
    InputFiles::new(files.assessment.bytes, csv)
}

#[test]
fn bounds_load_as_censored_points() {
    let a = load(&with_lats_ceg(">= 14"))
        .expect("a lower bound")
        .assessment;
    let lats = &a.evidence[0];
    let Ceg::Written {
        estimate,
        censoring,
    } = &lats.ceg
    else {
        panic!("expected a written CEG, found {:?}", lats.ceg);
    };
    assert_eq!(*censoring, Censoring::Lower);
    assert_eq!(point(estimate), 14.0);
    assert_eq!(lats.ceg_as_written(), ">= 14");
    let a = load(&with_lats_ceg("<=0.8"))
        .expect("an upper bound")
        .assessment;
    assert_eq!(a.evidence[0].ceg.censoring(), Some(Censoring::Upper));
    assert_eq!(point(a.evidence[0].ceg.estimate().unwrap()), 0.8);
    // Every other row is a value.
    assert!(
        a.evidence[1..]
            .iter()
            .all(|r| r.ceg.censoring() == Some(Censoring::None))
    );
}

#[test]
fn derive_rows_wait_for_calibration() {
    let a = load(&with_lats_ceg("derive")).expect("derive").assessment;
    let lats = &a.evidence[0];
    assert_eq!(lats.ceg, Ceg::Pending);
    assert_eq!((lats.ceg.estimate(), lats.ceg.censoring()), (None, None));
    assert_eq!(lats.ceg_as_written(), "derive");
    assert!(lats.derivation().is_none());
    assert!(a.scaling.is_empty());
}

#[test]
fn results_refuse_a_row_never_derived() {
    let a = load(&with_lats_ceg("derive")).expect("derive").assessment;
    let provenance = Provenance {
        fingerprint: String::new(),
        tool_version: String::new(),
        chunk_size: 1,
        tornado_samples: 0,
        files: Vec::new(),
    };
    let fits = overhang_model::results::Fits {
        scope: "average".to_owned(),
        categories: Vec::new(),
        pooled: None,
        growth_method: String::new(),
        diagnostics: Vec::new(),
        scopes: Vec::new(),
    };
    let pending = PendingCeg {
        id: "lats".to_owned(),
        line: a.evidence[0].line,
    };
    assert_eq!(
        Results::new(
            &a,
            &[],
            provenance,
            overhang_model::results::Computed {
                scenarios: Vec::new(),
                ranking: None,
                worked_draw: None,
                fits,
            }
        ),
        Err(pending.clone())
    );
    assert_eq!(
        pending.to_string(),
        format!(
            "evidence row `lats` (enhancements.csv line {}) is written `derive` and was never \
             derived: calibrate the assessment before building results",
            pending.line
        )
    );
}

#[test]
fn scaling_rows_load_with_their_lines() {
    let scaling = "family,model,compute,benchmark,score,enhancement,source,notes\n\
        toy,Toy 1,1e20,bench,10,,a table,\n\
        toy,Toy 2,1e21,bench,20,,a table,parameter count\n\
        \n\
        toy,Toy 2 tuned,1e21,bench,35,lats,a table,\n";
    let files = with_lats_ceg("derive").with_scaling(scaling);
    let a = load(&files).expect("scaling.csv").assessment;
    assert_eq!(a.scaling.len(), 3);
    assert_eq!(a.scaling[0].compute, 1e20);
    assert_eq!(a.scaling[0].enhancement, None);
    assert_eq!(a.scaling[1].notes, "parameter count");
    assert_eq!(a.scaling[2].enhancement.as_deref(), Some("lats"));
    assert_eq!(a.scaling[2].line, 5);
    assert_eq!(
        overhang_model::load::csv_field(scaling, 5, "score").map(|(row, s)| (row, &scaling[s])),
        Some((3, "35"))
    );
}

#[test]
fn scopes_apply_their_overrides_before_each_scenario() {
    let toml = edited(
        "[scenarios.open_weights]",
        "[scopes.agentic]\nlabel = \"Agentic tasks\"\ndescription = \"d\"\n\
         categories.data.available = 20\ncategories.scaffolding.available = 30\n\n\
         [scenarios.open_weights]",
    );
    let a = load_toml(&toml);
    let scopes: Vec<&str> = a.scopes.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(scopes, ["average", "agentic"]);
    assert_eq!(a.scopes[0].label, "Average task");
    assert_eq!(a.scopes[0].description, a.report.scope);
    let ids: Vec<&str> = a.scenarios.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "open_weights",
            "api_only",
            "agentic-open_weights",
            "agentic-api_only"
        ]
    );
    let api = &a.scenarios[3];
    assert_eq!(
        (api.scope.as_str(), api.scenario.as_str()),
        ("agentic", "api_only")
    );
    assert_eq!(api.label, "Agentic tasks, API access only");
    let category = |id: &str| api.categories.iter().find(|c| c.id == id).unwrap();
    // The scenario's override of the same field applies after the scope's.
    assert_eq!(point(category("data").available.estimate().unwrap()), 1.0);
    assert_eq!(
        point(category("scaffolding").available.estimate().unwrap()),
        30.0
    );
    assert_eq!(
        api.overrides[0],
        ("categories.data.available".to_owned(), "20".to_owned())
    );
    // The average task's entries are those of an assessment without scopes.
    let plain = load(&base_files()).expect("base inputs load").assessment;
    assert_eq!(a.scenarios[..2], plain.scenarios[..]);
}

/// The base inputs with a scope `agentic` declared, and a `scope` column whose field on each
/// row is given by `scopes` (in row order; missing entries are empty).
fn with_row_scopes(scopes: &[&str]) -> InputFiles {
    let toml = edited(
        "[scenarios.open_weights]",
        "[scopes.agentic]\nlabel = \"Agentic tasks\"\ncategories.scaffolding.growth = \"fit\"\n\n\
         [scenarios.open_weights]",
    );
    let csv = String::from_utf8(base_files().enhancements.bytes).expect("UTF-8");
    let mut out = String::new();
    for (i, line) in csv.lines().enumerate() {
        let field = if i == 0 {
            "scope"
        } else {
            scopes.get(i - 1).copied().unwrap_or("")
        };
        out.push_str(line);
        out.push(',');
        out.push_str(field);
        out.push('\n');
    }
    InputFiles::new(toml, out)
}

#[test]
fn an_evidence_row_names_its_scope_and_an_empty_field_is_the_average_task() {
    let a = load(&with_row_scopes(&["agentic", "", "average"]))
        .expect("declared scopes load")
        .assessment;
    let scopes: Vec<&str> = a.evidence.iter().map(|r| r.scope.as_str()).collect();
    assert_eq!(scopes, ["agentic", "average", "average", "average"]);
    // Without the column every row is of the average task.
    let plain = load(&base_files()).expect("base inputs load").assessment;
    assert!(plain.evidence.iter().all(|r| r.scope == "average"));
}

#[test]
fn growth_fit_written_in_a_scope_asks_for_that_scopes_fit() {
    let a = load(&with_row_scopes(&[])).expect("loads").assessment;
    let growth = |scenario: &str| {
        let s = a.scenarios.iter().find(|s| s.id == scenario).unwrap();
        s.categories
            .iter()
            .find(|c| c.id == "scaffolding")
            .unwrap()
            .growth
            .clone()
    };
    assert_eq!(
        growth("agentic-open_weights"),
        Growth::ScopeFit("agentic".to_owned())
    );
    assert!(matches!(growth("open_weights"), Growth::Estimate(_)));
    assert_eq!(
        Growth::ScopeFit("agentic".to_owned()).fitted_key("scaffolding"),
        Some("agentic.scaffolding".to_owned())
    );
    assert_eq!(
        Growth::Fit.fitted_key("scaffolding"),
        Some("scaffolding".to_owned())
    );
}

#[test]
fn an_undeclared_scope_is_an_error_at_its_field_naming_the_declared_ones() {
    let files = with_row_scopes(&["", "agentc"]);
    let err = load(&files).expect_err("an undeclared scope");
    let d = err.errors().next().expect("one error");
    assert_eq!(
        (d.file.as_str(), d.line, d.field.as_str()),
        ("enhancements.csv", 3, "row 2, column scope")
    );
    assert_eq!(
        d.message,
        "expected a scope declared in assessment.toml (agentic), or an empty field for the \
         average task, found `agentc`"
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `agentic`?"));
}

#[test]
fn thresholds_read_their_cadence_and_tolerance() {
    let toml = edited(
        "multiplier = 4\n",
        "multiplier = 4\ncadence_months = 6\ntolerance = 0.1\n",
    );
    let a = load_toml(&toml);
    assert_eq!(a.thresholds[1].cadence_months, Some(6));
    assert_eq!(a.thresholds[1].tolerance, Some(0.1));
    assert_eq!(a.thresholds[0].cadence_months, None);
    assert_eq!(a.thresholds[0].tolerance, None);
}

/// The base enhancements.csv with a `components` column, a chain-of-thought row on MATH and a
/// combination of it with `test_time_compute` (the row that follows `extra`).
fn with_combination(extra: &str) -> InputFiles {
    let files = base_files();
    let text = String::from_utf8(files.enhancements.bytes).expect("UTF-8");
    let mut lines: Vec<String> = text.lines().map(|l| format!("{l},")).collect();
    lines[0] = format!("{}components", lines[0]);
    lines.push(
        "cot_math,Chain of thought,prompting,MATH,3,2024-08,fixture,assumption,Invented.,"
            .to_owned(),
    );
    lines.push(format!(
        "cot_ttc,Chain of thought with search,prompting+solution_choice,MATH,20,2024-08,fixture,assumption,Invented.,{extra}"
    ));
    InputFiles::new(files.assessment.bytes, lines.join("\n") + "\n")
}

#[test]
fn a_combination_row_keeps_its_categories_and_components() {
    let files = with_combination("cot_math  test_time_compute");
    let a = match load(&files) {
        Ok(loaded) => loaded.assessment,
        Err(e) => panic!("{}", render(&e.diagnostics, |n| files.text(n))),
    };
    let row = a.evidence.iter().find(|r| r.id == "cot_ttc").expect("row");
    assert!(row.is_combination());
    assert_eq!(
        row.categories().collect::<Vec<_>>(),
        ["prompting", "solution_choice"]
    );
    assert_eq!(row.components, ["cot_math", "test_time_compute"]);
    let single = a.evidence.iter().find(|r| r.id == "cot_math").expect("row");
    assert!(!single.is_combination() && single.components.is_empty());
}

#[test]
fn a_combination_row_may_leave_its_components_empty() {
    let files = with_combination("");
    let a = load(&files).expect("loads").assessment;
    let row = a.evidence.iter().find(|r| r.id == "cot_ttc").expect("row");
    assert!(row.is_combination() && row.components.is_empty());
}

#[test]
fn the_model_keys_load_with_their_defaults_and_as_written() {
    let a = load(&base_files()).expect("base inputs load").assessment;
    assert!(a.model.is_independent());
    assert_eq!(a.model.growth_shape, overhang_model::GrowthShape::Linear);
    assert_eq!(a.model.saturation_years, None);
    assert_eq!(a.model.ceiling, None);
    assert!(a.context.is_empty());

    let toml = edited(
        "seed = 1\n",
        "seed = 1\ncorrelation = \"uniform(0.2, 0.8)\"\ngrowth_correlation = 0.5\n\
         growth_shape = \"saturating\"\nsaturation_years = \"1 to 5\"\n",
    )
    .replacen(
        "kappa = \"uniform(0.3, 0.9)\"\n",
        "kappa = \"uniform(0.3, 0.9)\"\nceiling = \"1000 to 100000\"\n",
        1,
    ) + "\n[[context]]\nlabel = \"Algorithmic progress\"\nper_year = 2.83\nsource = \"Ho et al. 2024\"\n";
    let a = load_toml(&toml);
    assert!(!a.model.is_independent());
    assert_eq!(a.model.correlation.text(), "uniform(0.2, 0.8)");
    assert_eq!(point(&a.model.growth_correlation), 0.5);
    assert_eq!(point(&a.model.available_elicited_correlation), 0.0);
    assert_eq!(
        a.model.growth_shape,
        overhang_model::GrowthShape::Saturating
    );
    assert_eq!(
        a.model.saturation_years.as_ref().map(Estimate::text),
        Some("1 to 5")
    );
    assert_eq!(
        a.model.ceiling.as_ref().map(Estimate::text),
        Some("1000 to 100000")
    );
    assert_eq!(a.context.len(), 1);
    assert_eq!(point(&a.context[0].per_year), 2.83);
}

#[test]
fn available_elicited_freezes_a_category_in_the_base_case_and_in_a_scenario() {
    let toml = edited(
        "available = \"2 to 20\"\ngap = \"1 to 3\"\n",
        "available = \"elicited\"\nelicited = \"1 to 3\"\n",
    )
    .replace("gap = \"2 to 10\"", "elicited = \"2 to 10\"")
        + "\n[scenarios.frozen]\nlabel = \"Frozen\"\ncategories.reasoning.available = \"elicited\"\n";
    let a = load_toml(&toml);
    assert_eq!(
        a.categories[0].available,
        overhang_model::Available::Elicited
    );
    assert_eq!(a.categories[0].available.text(), "elicited");
    let frozen = a
        .scenarios
        .iter()
        .find(|s| s.id == "frozen")
        .expect("scenario");
    let reasoning = frozen
        .categories
        .iter()
        .find(|c| c.id == "reasoning")
        .expect("category");
    assert_eq!(reasoning.available, overhang_model::Available::Elicited);
    assert!(frozen.overrides.contains(&(
        "categories.reasoning.available".to_owned(),
        "elicited".to_owned()
    )));
}

#[test]
fn results_give_an_evidence_rows_interval_only_when_it_is_written_as_an_estimate() {
    use overhang_model::results::EvidenceInput;
    let files = base_files();
    let csv = "id,name,category,benchmark,ceg,date,source,evidence,notes\n\
               a,A,scaffolding,,2 to 20,2024-01,https://example.org,measured,\n\
               b,B,scaffolding,,>= 14,2024-02,https://example.org,measured,\n\
               c,C,scaffolding,,5,2024-03,https://example.org,measured,\n";
    let a = load(&InputFiles::new(files.assessment.bytes, csv))
        .expect("the rows load")
        .assessment;
    let rows: Vec<EvidenceInput> = a
        .evidence
        .iter()
        .map(|r| EvidenceInput::try_from(r).expect("written rows"))
        .collect();
    let interval = rows[0].ceg_interval.expect("an estimate has an interval");
    let written = Estimate::parse("2 to 20").expect("parses").interval90();
    assert_eq!((interval.p5, interval.p95), written);
    // A bound has no interval, even though its bound is a number.
    assert_eq!(rows[1].censoring, Censoring::Lower);
    assert_eq!(rows[1].ceg_interval, None);
    let point = rows[2].ceg_interval.expect("a point has an interval");
    assert_eq!((point.p5, point.p95), (5.0, 5.0));
}

/// The base inputs with enhancements.csv given a `study,estimand,mix,metric` tail on each row.
fn load_columns(values: [&str; 4]) -> Assessment {
    let files = base_files();
    let text = String::from_utf8(files.enhancements.bytes).expect("UTF-8");
    let mut lines = text.lines();
    let mut csv = format!(
        "{},study,estimand,mix,metric\n",
        lines.next().expect("header")
    );
    for (i, (line, tail)) in lines.zip(values).enumerate() {
        // The first row becomes an assumption, which may leave its estimand empty.
        let line = if i == 0 {
            line.replacen(",secondary,", ",assumption,", 1)
        } else {
            line.to_owned()
        };
        csv.push_str(&line);
        csv.push(',');
        csv.push_str(tail);
        csv.push('\n');
    }
    let files = InputFiles::new(files.assessment.bytes, csv);
    match load(&files) {
        Ok(loaded) => loaded.assessment,
        Err(e) => panic!("{}", render(&e.diagnostics, |n| files.text(n))),
    }
}

#[test]
fn inputs_without_the_study_columns_load_with_their_defaults() {
    let a = load(&base_files()).expect("base inputs load").assessment;
    for r in &a.evidence {
        assert_eq!(r.study, r.id, "a row without a study is a study of its own");
        assert_eq!(r.estimand, None);
        assert!(r.mix.is_empty());
        assert_eq!(r.metric, EvidenceMetric::Capability);
    }
}

#[test]
fn the_study_columns_are_read_and_an_assumption_may_leave_the_estimand_empty() {
    let a = load_columns([
        "lats2023,,,",
        "epoch,post_trained,solution_choice,capability",
        "epoch,versus_pte,,",
        ",base,,preference",
    ]);
    let e = &a.evidence;
    assert_eq!(e[0].study, "lats2023");
    assert_eq!(e[0].evidence, Grade::Assumption);
    assert_eq!(e[0].estimand, None);
    assert_eq!(
        (e[1].study.as_str(), e[2].study.as_str()),
        ("epoch", "epoch")
    );
    assert_eq!(e[3].study, e[3].id);
    assert_eq!(e[1].estimand, Some(Estimand::PostTrained));
    assert_eq!(e[2].estimand, Some(Estimand::VersusPte));
    assert_eq!(e[3].estimand, Some(Estimand::Base));
    assert_eq!(e[1].mix, ["solution_choice"]);
    assert_eq!(e[3].metric, EvidenceMetric::Preference);
    assert_eq!(e[0].metric, EvidenceMetric::Capability);
}

#[test]
fn a_threshold_naming_a_clause_takes_its_policy_fields_and_calendar_leg() {
    let base = fixtures_dir().join("good/base");
    let toml = std::fs::read_to_string(base.join("assessment.toml"))
        .expect("base")
        .replacen(
            "multiplier = 4\n",
            "multiplier = 4\nclause = \"rsp_2_2\"\ntolerance = 0.1\n",
            1,
        );
    let policies = "[[clause]]\nid = \"rsp_2_2\"\nframework = \"Anthropic Responsible Scaling Policy\"\n\
        version = \"2.2\"\ndate = \"2025-05-14\"\nparaphrase = \"Four or six.\"\n\
        source = \"https://example.org\"\ngrade = \"secondary\"\nsuperseded_by = \"a later version\"\n\
        [[clause.trigger]]\nkind = \"effective_compute\"\nmultiplier = 4\n\
        [[clause.trigger]]\nkind = \"elicitation_time\"\nmonths = 6\n";
    let csv = std::fs::read(base.join("enhancements.csv")).expect("base");
    let files = InputFiles::new(toml, csv).with_policies(policies);
    let a = load(&files).expect("loads").assessment;
    let t = &a.thresholds[1];
    assert_eq!(t.clause.as_deref(), Some("rsp_2_2"));
    assert_eq!(t.policy_name, "Anthropic Responsible Scaling Policy");
    assert_eq!(t.policy_version, "2.2");
    assert_eq!(t.superseded_by, "a later version");
    // The calendar leg is the threshold's interval.
    assert_eq!(t.cadence_months, Some(6));
    assert_eq!(a.clauses.len(), 1);
    assert_eq!(a.clauses[0].calendar_months(), Some(6));
}
