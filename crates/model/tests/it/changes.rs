//! The input changes between two versions (`overhang_model::changes`): a change to any field of
//! any input is listed, and nothing else is.

use std::collections::{BTreeMap, BTreeSet};

use overhang_model::changes::{self, FONTS, InputSet, Value};
use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};
use overhang_model::{Assessment, ChangeKind, InputChange, InputFiles, load};

use crate::fixtures_dir;

use ChangeKind::{Added, Changed, Removed};

const TOML: &str = ASSESSMENT_FILE;
const CSV: &str = ENHANCEMENTS_FILE;
const SCALING: &str = SCALING_FILE;
const PAIRS: &str = COMPOSABILITY_FILE;
const POLICIES: &str = POLICIES_FILE;

/// The fixture with every key of every input given.
fn base_files() -> BTreeMap<&'static str, String> {
    let dir = fixtures_dir().join("good/every_field");
    [TOML, CSV, SCALING, PAIRS, POLICIES]
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(name)).expect("fixture file");
            (name, text)
        })
        .collect()
}

fn load_files(files: &BTreeMap<&'static str, String>) -> Assessment {
    let inputs = InputFiles::new(files[TOML].clone(), files[CSV].clone())
        .with_scaling(files[SCALING].clone())
        .with_composability(files[PAIRS].clone())
        .with_policies(files[POLICIES].clone());
    match load(&inputs) {
        Ok(l) => l.assessment,
        Err(e) => panic!("{:#?}", e.diagnostics),
    }
}

/// One case: an edit of one input file (`find`, which occurs once, becomes `replace`), the
/// field it covers as `(section, field)`, and the changes it must give, exactly.
struct Case {
    file: &'static str,
    find: &'static str,
    replace: &'static str,
    covers: (&'static str, &'static str),
    expect: &'static [(&'static str, &'static str, ChangeKind)],
}

const fn case(
    file: &'static str,
    find: &'static str,
    replace: &'static str,
    covers: (&'static str, &'static str),
    expect: &'static [(&'static str, &'static str, ChangeKind)],
) -> Case {
    Case {
        file,
        find,
        replace,
        covers,
        expect,
    }
}

/// A change of one field of `[section]` (or `[section.<id>]`) of assessment.toml.
const fn field(
    section: &'static str,
    name: &'static str,
    find: &'static str,
    replace: &'static str,
    expect: &'static [(&'static str, &'static str, ChangeKind)],
) -> Case {
    case(TOML, find, replace, (section, name), expect)
}

const CASES: &[Case] = &[
    // [report]
    field(
        "report",
        "title",
        "title = \"Every field\"",
        "title = \"Other\"",
        &[("report", "title", Changed)],
    ),
    field(
        "report",
        "version",
        "version = \"0.1.0\"",
        "version = \"0.1.1\"",
        &[("report", "version", Changed)],
    ),
    field(
        "report",
        "date",
        "date = \"2026-11-26\"\nauthors",
        "date = \"2026-12-01\"\nauthors",
        &[("report", "date", Changed)],
    ),
    field(
        "report",
        "authors",
        "[\"A. Author\"]",
        "[\"A. Author\", \"B. Author\"]",
        &[("report", "authors", Changed)],
    ),
    field(
        "report",
        "release_date",
        "release_date = \"2026-11-26\"",
        "release_date = \"2026-10-01\"",
        &[("report", "release_date", Changed)],
    ),
    field(
        "report",
        "keywords",
        "keywords = [\"changes\"]",
        "keywords = [\"changes\", \"inputs\"]",
        &[("report", "keywords", Changed)],
    ),
    field(
        "report",
        "scope",
        "scope = \"An average task.\"",
        "scope = \"Any task.\"",
        &[("report", "scope", Changed)],
    ),
    field(
        "report",
        "changes",
        "changes = \"What changed.\"\n",
        "",
        &[("report", "changes", Removed)],
    ),
    // [evaluation] and its profiles
    field(
        "evaluation",
        "description",
        "description = \"An evaluation.\"",
        "description = \"Another.\"",
        &[("evaluation", "description", Changed)],
    ),
    field(
        "evaluation",
        "tools",
        "tools = \"some tools\"",
        "tools = \"all tools\"",
        &[("evaluation", "tools", Changed)],
    ),
    field(
        "evaluation",
        "scaffold",
        "scaffold = \"a scaffold\"\n",
        "",
        &[("evaluation", "scaffold", Removed)],
    ),
    field(
        "evaluation",
        "fine_tuning",
        "fine_tuning = false",
        "fine_tuning = true",
        &[("evaluation", "fine_tuning", Changed)],
    ),
    field(
        "evaluation",
        "samples_per_task",
        "samples_per_task = 1",
        "samples_per_task = 10",
        &[("evaluation", "samples_per_task", Changed)],
    ),
    field(
        "evaluation",
        "scoring",
        "scoring = \"pass@1\"",
        "scoring = \"pass@10\"",
        &[("evaluation", "scoring", Changed)],
    ),
    field(
        "evaluation",
        "inference_budget",
        "inference_budget = \"one sample\"",
        "inference_budget = \"ten samples\"",
        &[("evaluation", "inference_budget", Changed)],
    ),
    field(
        "evaluation",
        "inference_multiple",
        "inference_multiple = 1",
        "inference_multiple = 10",
        &[("evaluation", "inference_multiple", Changed)],
    ),
    field(
        "evaluation",
        "inference_exchange",
        "inference_exchange = \"1 to 2\"",
        "inference_exchange = \"2 to 3\"",
        &[("evaluation", "inference_exchange", Changed)],
    ),
    field(
        "evaluation.profiles",
        "id",
        "[evaluation.profiles.strong]",
        "[evaluation.profiles.stronger]",
        &[
            ("evaluation.profiles.strong", "", Removed),
            ("evaluation.profiles.stronger", "", Added),
        ],
    ),
    field(
        "evaluation.profiles",
        "label",
        "label = \"Strong\"",
        "label = \"Stronger\"",
        &[("evaluation.profiles.strong", "label", Changed)],
    ),
    field(
        "evaluation.profiles",
        "description",
        "description = \"A stronger evaluation.\"",
        "description = \"Much stronger.\"",
        &[("evaluation.profiles.strong", "description", Changed)],
    ),
    field(
        "evaluation.profiles",
        "elicited",
        "categories.data.elicited = \"1.2 to 5\"",
        "categories.data.elicited = \"1.2 to 6\"",
        &[(
            "evaluation.profiles.strong",
            "categories.data.elicited",
            Changed,
        )],
    ),
    // [simulation]
    field(
        "simulation",
        "samples",
        "samples = 1000",
        "samples = 2000",
        &[("simulation", "samples", Changed)],
    ),
    field(
        "simulation",
        "seed",
        "seed = 1",
        "seed = 2",
        &[("simulation", "seed", Changed)],
    ),
    field(
        "simulation",
        "correlation",
        "\ncorrelation = 0.1",
        "\ncorrelation = 0.2",
        &[("simulation", "correlation", Changed)],
    ),
    field(
        "simulation",
        "growth_correlation",
        "growth_correlation = 0.1",
        "growth_correlation = 0.2",
        &[("simulation", "growth_correlation", Changed)],
    ),
    field(
        "simulation",
        "available_elicited_correlation",
        "available_elicited_correlation = 0.1",
        "available_elicited_correlation = 0.2",
        &[("simulation", "available_elicited_correlation", Changed)],
    ),
    field(
        "simulation",
        "growth_shape",
        "growth_shape = \"saturating\"\nsaturation_years = \"2 to 5\"",
        "growth_shape = \"linear\"",
        &[
            ("simulation", "growth_shape", Changed),
            ("simulation", "saturation_years", Removed),
        ],
    ),
    field(
        "simulation",
        "saturation_years",
        "saturation_years = \"2 to 5\"",
        "saturation_years = \"2 to 6\"",
        &[("simulation", "saturation_years", Changed)],
    ),
    // [horizon]
    field(
        "horizon",
        "months",
        "months = 24",
        "months = 36",
        &[("horizon", "months", Changed)],
    ),
    field(
        "horizon",
        "step_months",
        "step_months = 3",
        "step_months = 6",
        &[("horizon", "step_months", Changed)],
    ),
    // [composability]
    field(
        "composability",
        "method",
        "method = \"pairwise\"\npair_default = \"uniform(0.3, 0.9)\"",
        "method = \"largest-first\"\nkappa = \"uniform(0.3, 0.9)\"",
        &[
            ("composability", "method", Changed),
            ("composability", "kappa", Added),
            ("composability", "pair_default", Removed),
        ],
    ),
    field(
        "composability",
        "kappa",
        "method = \"pairwise\"\npair_default = \"uniform(0.3, 0.9)\"",
        "method = \"largest-first\"\nkappa = \"uniform(0.3, 0.9)\"",
        &[
            ("composability", "method", Changed),
            ("composability", "kappa", Added),
            ("composability", "pair_default", Removed),
        ],
    ),
    field(
        "composability",
        "kappa_alternative",
        "method = \"pairwise\"\npair_default = \"uniform(0.3, 0.9)\"",
        "method = \"largest-first\"\nkappa = \"beta(5, 3)\"\nkappa_alternative = \"uniform(0.2, 1)\"",
        &[
            ("composability", "method", Changed),
            ("composability", "kappa", Added),
            ("composability", "kappa_alternative", Added),
            ("composability", "pair_default", Removed),
        ],
    ),
    field(
        "composability",
        "pair_default",
        "pair_default = \"uniform(0.3, 0.9)\"",
        "pair_default = \"uniform(0.4, 0.9)\"",
        &[("composability", "pair_default", Changed)],
    ),
    field(
        "composability",
        "learn",
        "learn = false",
        "learn = true",
        &[("composability", "learn", Changed)],
    ),
    field(
        "composability",
        "combination_sd",
        "combination_sd = 0.2",
        "combination_sd = 0.3",
        &[("composability", "combination_sd", Changed)],
    ),
    field(
        "composability",
        "ceiling",
        "ceiling = \"1000 to 10000\"",
        "ceiling = \"100 to 10000\"",
        &[("composability", "ceiling", Changed)],
    ),
    // [categories.<id>]
    field(
        "categories",
        "id",
        "[[thresholds]]\nlabel = \"4x",
        "[categories.prompting]\nlabel = \"Prompting\"\navailable = 2\nelicited = 1\ngrowth = 0\ncap = 10\nrationale = \"A rationale.\"\n\n[[thresholds]]\nlabel = \"4x",
        &[("categories.prompting", "", Added)],
    ),
    field(
        "categories",
        "label",
        "label = \"Tool use\"",
        "label = \"Tools\"",
        &[("categories.tool_use", "label", Changed)],
    ),
    field(
        "categories",
        "available",
        "available = \"2 to 20\"",
        "available = \"2 to 30\"",
        &[("categories.tool_use", "available", Changed)],
    ),
    field(
        "categories",
        "elicited",
        "elicited = \"1 to 3\"",
        "elicited = \"1 to 2\"",
        &[("categories.tool_use", "elicited", Changed)],
    ),
    field(
        "categories",
        "gap",
        "gap = \"1 to 2\"",
        "gap = \"1 to 3\"",
        &[("categories.data", "gap", Changed)],
    ),
    field(
        "categories",
        "lag_months",
        "lag_months = \"1 to 6\"",
        "lag_months = \"never\"",
        &[("categories.data", "lag_months", Changed)],
    ),
    field(
        "categories",
        "growth",
        "growth = \"0.02 to 0.25\"",
        "growth = \"fit\"",
        &[("categories.tool_use", "growth", Changed)],
    ),
    field(
        "categories",
        "cap",
        "cap = \"30 to 300\"\ninference_cost",
        "cap = \"30 to 400\"\ninference_cost",
        &[("categories.tool_use", "cap", Changed)],
    ),
    field(
        "categories",
        "inference_cost",
        "inference_cost = \"1 to 3\"\n",
        "",
        &[("categories.tool_use", "inference_cost", Removed)],
    ),
    field(
        "categories",
        "infer",
        "infer = true",
        "infer = false",
        &[("categories.tool_use", "infer", Changed)],
    ),
    // [inference]
    field(
        "inference",
        "enabled",
        "enabled = true\nstudy_sd",
        "enabled = false\nstudy_sd",
        &[("inference", "enabled", Changed)],
    ),
    field(
        "inference",
        "study_sd",
        "study_sd = 0.3",
        "study_sd = 0.4",
        &[("inference", "study_sd", Changed)],
    ),
    field(
        "inference",
        "row_sd.primary",
        "row_sd.primary = 0.2",
        "row_sd.primary = 0.3",
        &[("inference", "row_sd.primary", Changed)],
    ),
    field(
        "inference",
        "row_sd.measured",
        "row_sd.measured = 0.25",
        "row_sd.measured = 0.3",
        &[("inference", "row_sd.measured", Changed)],
    ),
    field(
        "inference",
        "row_sd.secondary",
        "row_sd.secondary = 0.4",
        "row_sd.secondary = 0.5",
        &[("inference", "row_sd.secondary", Changed)],
    ),
    field(
        "inference",
        "transfer.base",
        "transfer.base = \"1 to 10\"",
        "transfer.base = \"1 to 5\"",
        &[("inference", "transfer.base", Changed)],
    ),
    field(
        "inference",
        "transfer.post_trained",
        "transfer.post_trained = 1",
        "transfer.post_trained = 2",
        &[("inference", "transfer.post_trained", Changed)],
    ),
    field(
        "inference",
        "transfer.versus_pte",
        "transfer.versus_pte = 1",
        "transfer.versus_pte = 2",
        &[("inference", "transfer.versus_pte", Changed)],
    ),
    field(
        "categories",
        "rationale",
        "rationale = \"A rationale.\"\n\n[categories.data]",
        "rationale = \"Another.\"\n\n[categories.data]",
        &[("categories.tool_use", "rationale", Changed)],
    ),
    // [[thresholds]]
    field(
        "thresholds",
        "label",
        "label = \"4x effective compute\"",
        "label = \"4x\"",
        &[("thresholds.4x", "label", Changed)],
    ),
    field(
        "thresholds",
        "multiplier",
        "multiplier = 4",
        "multiplier = 5",
        &[("thresholds.4x", "", Removed), ("thresholds.5x", "", Added)],
    ),
    field(
        "thresholds",
        "policy",
        "policy = \"A policy.\"",
        "policy = \"Another policy.\"",
        &[("thresholds.4x", "policy", Changed)],
    ),
    field(
        "thresholds",
        "cadence_months",
        "cadence_months = 6",
        "cadence_months = 3",
        &[("thresholds.4x", "cadence_months", Changed)],
    ),
    field(
        "thresholds",
        "tolerance",
        "tolerance = 0.1",
        "tolerance = 0.05",
        &[("thresholds.4x", "tolerance", Changed)],
    ),
    field(
        "thresholds",
        "policy_name",
        "policy_name = \"A policy\"",
        "policy_name = \"B policy\"",
        &[("thresholds.4x", "policy_name", Changed)],
    ),
    field(
        "thresholds",
        "policy_version",
        "policy_version = \"1.0\"",
        "policy_version = \"1.1\"",
        &[("thresholds.4x", "policy_version", Changed)],
    ),
    field(
        "thresholds",
        "policy_date",
        "policy_date = \"2024-10\"",
        "policy_date = \"2024-11\"",
        &[("thresholds.4x", "policy_date", Changed)],
    ),
    field(
        "thresholds",
        "superseded_by",
        "superseded_by = \"version 2\"\n",
        "",
        &[("thresholds.4x", "superseded_by", Removed)],
    ),
    // [[context]]
    field(
        "context",
        "label",
        "label = \"Algorithmic progress\"",
        "label = \"Progress\"",
        &[
            ("context.Algorithmic progress", "", Removed),
            ("context.Progress", "", Added),
        ],
    ),
    field(
        "context",
        "per_year",
        "per_year = 2.8",
        "per_year = 3",
        &[("context.Algorithmic progress", "per_year", Changed)],
    ),
    field(
        "context",
        "source",
        "source = \"A source.\"",
        "source = \"Another.\"",
        &[("context.Algorithmic progress", "source", Changed)],
    ),
    // [scopes.<id>]
    field(
        "scopes",
        "id",
        "[scenarios.open_weights]",
        "[scopes.other]\nlabel = \"Other\"\n\n[scenarios.open_weights]",
        &[("scopes.other", "", Added)],
    ),
    field(
        "scopes",
        "label",
        "label = \"Agentic tasks\"",
        "label = \"Agents\"",
        &[("scopes.agentic", "label", Changed)],
    ),
    field(
        "scopes",
        "description",
        "description = \"Tasks done by an agent.\"",
        "description = \"Agents.\"",
        &[("scopes.agentic", "description", Changed)],
    ),
    field(
        "scopes",
        "overrides",
        "categories.tool_use.available = \"3 to 30\"",
        "categories.tool_use.available = \"3 to 40\"",
        &[("scopes.agentic", "categories.tool_use.available", Changed)],
    ),
    // [scenarios.<id>]
    field(
        "scenarios",
        "id",
        "[scenarios.api_only]",
        "[scenarios.api]",
        &[
            ("scenarios.api", "", Added),
            ("scenarios.api_only", "", Removed),
        ],
    ),
    field(
        "scenarios",
        "label",
        "label = \"API only\"",
        "label = \"API\"",
        &[("scenarios.api_only", "label", Changed)],
    ),
    field(
        "scenarios",
        "description",
        "description = \"Only API access.\"",
        "description = \"API.\"",
        &[("scenarios.api_only", "description", Changed)],
    ),
    field(
        "scenarios",
        "overrides",
        "categories.data.available = 1\n",
        "categories.data.available = 1\ncategories.data.growth = 0\n",
        &[("scenarios.api_only", "categories.data.growth", Added)],
    ),
    // enhancements.csv
    case(
        CSV,
        "data_b,Data B",
        "data_z,Data B",
        ("evidence", "id"),
        &[("data_b", "", Removed), ("data_z", "", Added)],
    ),
    case(
        CSV,
        "Data B,",
        "Data Bee,",
        ("evidence", "name"),
        &[("data_b", "name", Changed)],
    ),
    case(
        CSV,
        "data_b,Data B,data,",
        "data_b,Data B,tool_use,",
        ("evidence", "category"),
        &[("data_b", "category", Changed)],
    ),
    case(
        CSV,
        "Data B,data,MMLU,",
        "Data B,data,GSM8K,",
        ("evidence", "benchmark"),
        &[("data_b", "benchmark", Changed)],
    ),
    case(
        CSV,
        "MMLU,5,",
        "MMLU,>= 5,",
        ("evidence", "ceg"),
        &[("data_b", "ceg", Changed)],
    ),
    case(
        CSV,
        "2023-10",
        "2023-11",
        ("evidence", "date"),
        &[("data_b", "date", Changed)],
    ),
    case(
        CSV,
        "example.org/c",
        "example.org/cc",
        ("evidence", "source"),
        &[("data_b", "source", Changed)],
    ),
    case(
        CSV,
        "data_a,Data A,data,GSM8K,3,2022-10,https://example.org/b,primary",
        "data_a,Data A,data,GSM8K,3,2022-10,https://example.org/b,secondary",
        ("evidence", "evidence"),
        &[("data_a", "evidence", Changed)],
    ),
    case(
        CSV,
        "example.org/c,primary,A note.",
        "example.org/c,primary,Another note.",
        ("evidence", "notes"),
        &[("data_b", "notes", Changed)],
    ),
    case(
        CSV,
        "tools_a data_a",
        "data_a tools_a",
        ("evidence", "components"),
        &[("both", "components", Changed)],
    ),
    case(
        CSV,
        "A note.,,agentic,",
        "A note.,,,",
        ("evidence", "scope"),
        &[("data_a", "scope", Changed)],
    ),
    case(
        CSV,
        "average,1 to 3",
        "average,2 to 3",
        ("evidence", "inference_cost"),
        &[("tools_a", "inference_cost", Changed)],
    ),
    case(
        CSV,
        "agentic,,study_d",
        "agentic,,study_e",
        ("evidence", "study"),
        &[("data_a", "study", Changed)],
    ),
    case(
        CSV,
        "study_t,post_trained",
        "study_t,base",
        ("evidence", "estimand"),
        &[("tools_a", "estimand", Changed)],
    ),
    case(
        CSV,
        "c,primary,A note.,,,,study_d,base,,capability",
        "c,primary,A note.,,,,study_d,base,tool_use,capability",
        ("evidence", "mix"),
        &[("data_b", "mix", Added)],
    ),
    case(
        CSV,
        ",,versus_pte,,capability",
        ",,versus_pte,,preference",
        ("evidence", "metric"),
        &[("both", "metric", Changed)],
    ),
    // scaling.csv
    case(
        SCALING,
        "Fam,Fam 100B",
        "Fam2,Fam 100B",
        ("scaling", "family"),
        &[
            ("Fam / GSM8K / Fam 100B", "", Removed),
            ("Fam2 / GSM8K / Fam 100B", "", Added),
        ],
    ),
    case(
        SCALING,
        "Fam 100B,",
        "Fam 90B,",
        ("scaling", "model"),
        &[
            ("Fam / GSM8K / Fam 100B", "", Removed),
            ("Fam / GSM8K / Fam 90B", "", Added),
        ],
    ),
    case(
        SCALING,
        "1e11",
        "2e11",
        ("scaling", "compute"),
        &[("Fam / GSM8K / Fam 100B", "compute", Changed)],
    ),
    case(
        SCALING,
        "1e11,GSM8K",
        "1e11,MATH",
        ("scaling", "benchmark"),
        &[
            ("Fam / GSM8K / Fam 100B", "", Removed),
            ("Fam / MATH / Fam 100B", "", Added),
        ],
    ),
    case(
        SCALING,
        "GSM8K,40",
        "GSM8K,45",
        ("scaling", "score"),
        &[("Fam / GSM8K / Fam 100B", "score", Changed)],
    ),
    case(
        SCALING,
        "25,tools_a",
        "25,data_a",
        ("scaling", "enhancement"),
        &[
            ("Fam / GSM8K / Fam 1B / data_a", "", Added),
            ("Fam / GSM8K / Fam 1B / tools_a", "", Removed),
        ],
    ),
    case(
        SCALING,
        "40,,https://example.org/s",
        "40,,https://example.org/t",
        ("scaling", "source"),
        &[("Fam / GSM8K / Fam 100B", "source", Changed)],
    ),
    case(
        SCALING,
        "40,,https://example.org/s,A note.",
        "40,,https://example.org/s,Another note.",
        ("scaling", "notes"),
        &[("Fam / GSM8K / Fam 100B", "notes", Changed)],
    ),
    case(
        SCALING,
        "example.org/g,A note.,flop",
        "example.org/g,A note.,parameters",
        ("scaling", "compute_basis"),
        &[("Gam / GSM8K / Gam 1B", "compute_basis", Changed)],
    ),
    // composability.csv
    case(
        PAIRS,
        "tool_use,data,",
        "data,tool_use,",
        ("pairs", "category_a"),
        &[
            ("data / tool_use", "", Added),
            ("tool_use / data", "", Removed),
        ],
    ),
    case(
        PAIRS,
        "tool_use,data,",
        "data,tool_use,",
        ("pairs", "category_b"),
        &[
            ("data / tool_use", "", Added),
            ("tool_use / data", "", Removed),
        ],
    ),
    case(
        PAIRS,
        ",0.5",
        ",0.6",
        ("pairs", "composability"),
        &[("tool_use / data", "composability", Changed)],
    ),
];

/// A change of one field of a clause of policies.toml.
const fn clause(
    name: &'static str,
    find: &'static str,
    replace: &'static str,
    expect: &'static [(&'static str, &'static str, ChangeKind)],
) -> Case {
    case(POLICIES, find, replace, ("clause", name), expect)
}

const CLAUSE_CASES: &[Case] = &[
    clause(
        "id",
        "id = \"c_b\"",
        "id = \"c_c\"",
        &[("c_b", "", Removed), ("c_c", "", Added)],
    ),
    clause(
        "framework",
        "framework = \"A framework\"\nversion = \"0.9\"",
        "framework = \"B framework\"\nversion = \"0.9\"",
        &[("c_b", "framework", Changed)],
    ),
    clause(
        "version",
        "version = \"0.9\"",
        "version = \"0.8\"",
        &[("c_b", "version", Changed)],
    ),
    clause(
        "date",
        "date = \"2023-05-01\"",
        "date = \"2023-06-01\"",
        &[("c_b", "date", Changed)],
    ),
    clause(
        "text",
        "every 2x of effective compute.",
        "every 2x of effective compute, at least.",
        &[("c_a", "text", Changed)],
    ),
    clause(
        "paraphrase",
        "Reassess every year.",
        "Reassess yearly.",
        &[("c_b", "paraphrase", Changed)],
    ),
    clause(
        "locator",
        "section 1",
        "section 2",
        &[("c_a", "locator", Changed)],
    ),
    clause(
        "source",
        "https://example.org/b",
        "https://example.org/c",
        &[("c_b", "source", Changed)],
    ),
    clause(
        "grade",
        "paraphrase = \"Reassess every year.\"\nsource = \"https://example.org/b\"\ngrade = \"secondary\"",
        "text = \"Reassess every year.\"\nlocator = \"p. 2\"\nsource = \"https://example.org/b\"\ngrade = \"primary\"",
        &[
            ("c_b", "text", Added),
            ("c_b", "paraphrase", Removed),
            ("c_b", "locator", Added),
            ("c_b", "grade", Changed),
        ],
    ),
    clause(
        "superseded_by",
        "superseded_by = \"c_a\"",
        "superseded_by = \"version 1.0\"",
        &[("c_b", "superseded_by", Changed)],
    ),
    clause(
        "trigger",
        "months = 12",
        "months = 6",
        &[("c_b", "trigger", Changed)],
    ),
    field(
        "thresholds",
        "clause",
        "clause = \"c_a\"\n",
        "",
        // The policy's name, version and date came from the clause.
        &[
            ("thresholds.2x", "policy_name", Removed),
            ("thresholds.2x", "policy_version", Removed),
            ("thresholds.2x", "policy_date", Removed),
            ("thresholds.2x", "clause", Removed),
        ],
    ),
];

fn kinds(changes: &[InputChange]) -> Vec<(String, String, String, ChangeKind)> {
    changes
        .iter()
        .map(|c| (c.file.clone(), c.record.clone(), c.field.clone(), c.kind))
        .collect()
}

#[test]
fn a_change_to_any_field_of_any_input_is_listed_and_nothing_else() {
    let base = base_files();
    let old = load_files(&base);
    let fonts = BTreeMap::new();
    let set = |a: &Assessment| -> Vec<InputChange> {
        let s = |a| InputSet {
            assessment: a,
            fonts: &fonts,
        };
        changes::compare(&s(&old), &s(a))
    };
    assert!(set(&old).is_empty());
    let mut covered = BTreeSet::new();
    for (i, c) in CASES.iter().chain(CLAUSE_CASES).enumerate() {
        let mut files = base.clone();
        let text = &files[c.file];
        assert_eq!(
            text.matches(c.find).count(),
            1,
            "case {i}: `{}` occurs once in {}",
            c.find,
            c.file
        );
        let patched = text.replacen(c.find, c.replace, 1);
        files.insert(c.file, patched);
        let new = load_files(&files);
        let got = kinds(&set(&new));
        let want: Vec<_> = c
            .expect
            .iter()
            .map(|&(record, field, kind)| {
                (c.file.to_owned(), record.to_owned(), field.to_owned(), kind)
            })
            .collect();
        assert_eq!(got, want, "case {i}: {} → {}", c.find, c.replace);
        covered.insert((c.file, c.covers.0, c.covers.1));
    }
    // Every field the comparison reads has a case; a field added to an input type (and so to
    // the comparison, which destructures each type whole) needs one here.
    let compared = changes::fields_compared(&InputSet {
        assessment: &old,
        fonts: &fonts,
    });
    let missing: Vec<_> = compared.difference(&covered).collect();
    assert!(missing.is_empty(), "fields without a case: {missing:?}");
    let unknown: Vec<_> = covered.difference(&compared).collect();
    assert!(
        unknown.is_empty(),
        "cases of fields not compared: {unknown:?}"
    );
}

#[test]
fn fonts_are_compared_by_name_and_hash() {
    let a = load_files(&base_files());
    let font = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(n, h)| ((*n).to_owned(), (*h).to_owned()))
            .collect()
    };
    let old = font(&[("fonts/A.ttf", "aa"), ("fonts/B.ttf", "bb")]);
    let new = font(&[("fonts/A.ttf", "ab"), ("fonts/C.ttf", "cc")]);
    let got = changes::compare(
        &InputSet {
            assessment: &a,
            fonts: &old,
        },
        &InputSet {
            assessment: &a,
            fonts: &new,
        },
    );
    assert_eq!(
        kinds(&got),
        [
            (
                FONTS.to_owned(),
                "fonts/A.ttf".to_owned(),
                "sha256".to_owned(),
                Changed
            ),
            (
                FONTS.to_owned(),
                "fonts/B.ttf".to_owned(),
                String::new(),
                Removed
            ),
            (
                FONTS.to_owned(),
                "fonts/C.ttf".to_owned(),
                String::new(),
                Added
            ),
        ]
    );
    assert_eq!(got[0].old, Some(Value::Text("aa".to_owned())));
    assert_eq!(got[0].new, Some(Value::Text("ab".to_owned())));
}

#[test]
fn long_text_is_marked_and_short_values_are_typed() {
    let base = base_files();
    let old = load_files(&base);
    let mut files = base.clone();
    let long = "A much longer note than before that says where the figure was read and why it \
                is taken as it is.";
    files.insert(
        CSV,
        files[CSV].replacen(
            "example.org/c,primary,A note.",
            &format!("example.org/c,primary,{long}"),
            1,
        ),
    );
    files.insert(
        TOML,
        files[TOML].replacen("multiplier = 4", "multiplier = 4.5", 1),
    );
    files.insert(
        TOML,
        files[TOML].replacen("label = \"Tool use\"", "label = \"Tools\"", 1),
    );
    let new = load_files(&files);
    let fonts = BTreeMap::new();
    let got = changes::compare(
        &InputSet {
            assessment: &old,
            fonts: &fonts,
        },
        &InputSet {
            assessment: &new,
            fonts: &fonts,
        },
    );
    let find = |record: &str, field: &str| {
        got.iter()
            .find(|c| c.record == record && c.field == field)
            .unwrap_or_else(|| panic!("{record} {field} in {got:#?}"))
    };
    // A note is long text whatever its length; a label is short.
    let notes = find("data_b", "notes");
    assert!(notes.long_text);
    assert_eq!(notes.new, Some(Value::Text(long.to_owned())));
    let label = find("categories.tool_use", "label");
    assert!(!label.long_text);
    // A threshold is matched by its multiplier: a new multiplier is a new threshold, named by
    // its label.
    let added = find("thresholds.4.5x", "");
    assert_eq!(added.kind, Added);
    assert_eq!(
        added.new,
        Some(Value::Text("4x effective compute".to_owned()))
    );
    assert!(!added.long_text);
}

#[test]
fn results_written_before_typed_changes_stay_readable() {
    let written = r#"{"kind": "changed", "item": "composability.kappa", "old": "uniform(0.2, 0.7)", "new": "uniform(0.2, 1)"}"#;
    let c: InputChange = serde_json::from_str(written).unwrap();
    assert_eq!(c.record, "composability.kappa");
    assert_eq!(c.kind, Changed);
    assert_eq!(c.new, Some(Value::Text("uniform(0.2, 1)".to_owned())));
    let current = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<InputChange>(&current).unwrap(), c);
}
