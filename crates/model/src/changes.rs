//! The input changes between two versions: every field of every input, compared.
//!
//! [`compare`] reads each input record of two [`InputSet`]s into its fields and lists, in a
//! fixed order, every field whose value differs, and every record that only one side has.
//! Each input type is read by a function that destructures it without `..`, so a field added
//! to an input type does not compile until it is read here (or named and skipped, with the
//! reason: positions in a file, and values calibration computes from other inputs).
//!
//! Records are matched by their id (a category, an evidence row), or, where a file gives
//! none, by the fields that tell its records apart (a threshold by its multiplier, a row of
//! scaling.csv by family, benchmark, model and enhancement): changing those reads as one
//! record removed and another added.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::assessment::{
    AVERAGE_SCOPE, Assessment, Category, Composability, ContextFigure, Evaluation,
    EvaluationProfile, EvidenceRow, Model, PairComposability, ReportMeta, Scenario, Scope,
    Simulation, Threshold,
};
use crate::estimate::{Estimate, format_number};
use crate::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};
use crate::policies::{Clause, Trigger, Wording};
use crate::scaling::ScalingRow;

/// How the font files of an inputs folder are named in a change: `fonts` (their records are
/// their paths, `fonts/<name>`).
pub const FONTS: &str = "fonts";

/// A text value longer than this, in characters, or with a line break, is long text: a
/// change to it is listed without the texts.
pub const LONG_TEXT_CHARS: usize = 80;

/// One version's inputs as [`compare`] reads them.
#[derive(Debug, Clone, Copy)]
pub struct InputSet<'a> {
    /// The loaded assessment, its evidence, scaling and composability tables included.
    pub assessment: &'a Assessment,
    /// The font files of the inputs folder: path (`fonts/<name>`) and sha256.
    pub fonts: &'a BTreeMap<String, String>,
}

/// Whether a record or field was added, removed or changed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only the new version has it.
    Added,
    /// Only the old version has it.
    Removed,
    /// Both have it, with different values.
    Changed,
}

impl ChangeKind {
    /// `added`, `removed` or `changed`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// An input value as written: an estimate, a date or an id as its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Value {
    /// `true` or `false`.
    Flag(bool),
    /// A whole number (samples, months, a seed).
    Integer(u64),
    /// A number (a multiplier, a compute, a score).
    Number(f64),
    /// Text: an estimate, a date, an id, a label or a description.
    Text(String),
    /// A list of texts (authors, components).
    List(Vec<String>),
}

impl Value {
    /// Whether the value is long text (see [`LONG_TEXT_CHARS`]).
    pub fn is_long_text(&self) -> bool {
        match self {
            Self::Text(s) => s.chars().count() > LONG_TEXT_CHARS || s.contains('\n'),
            Self::List(v) => {
                v.iter().map(|s| s.chars().count() + 2).sum::<usize>() > LONG_TEXT_CHARS
            }
            Self::Flag(_) | Self::Integer(_) | Self::Number(_) => false,
        }
    }
}

/// One changed input between two versions.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct InputChange {
    /// The input file: `assessment.toml`, `enhancements.csv`, `scaling.csv`,
    /// `composability.csv`, or `fonts` for the font files.
    pub file: String,
    /// The record: a table of assessment.toml (`report`, `categories.tool_use`,
    /// `thresholds.4x`, `scenarios.api_only`), an evidence row's id, a scaling row as
    /// `family / benchmark / model` (`/ enhancement` for an enhanced row), a pair of
    /// categories as `a / b`, or a font's path.
    pub record: String,
    /// The field within the record (`available`, `notes`, an override such as
    /// `categories.data.available`); empty when the whole record was added or removed.
    pub field: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The old value; for a removed record, what names it (its label or name) when it has one.
    pub old: Option<Value>,
    /// The new value; for an added record, what names it when it has one.
    pub new: Option<Value>,
    /// Whether the field holds long text (a note, a rationale, a description, or any text
    /// longer than 80 characters): listed as changed, without the texts.
    pub long_text: bool,
}

impl<'de> Deserialize<'de> for InputChange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // results.json written before this form listed each change as `item`, `old` and
        // `new` texts; they are read as a record named by the item, in no file.
        #[derive(Deserialize)]
        struct Current {
            file: String,
            record: String,
            field: String,
            kind: ChangeKind,
            old: Option<Value>,
            new: Option<Value>,
            long_text: bool,
        }
        #[derive(Deserialize)]
        struct Written {
            kind: ChangeKind,
            item: String,
            old: Option<String>,
            new: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Current(Current),
            Written(Written),
        }
        Ok(match Form::deserialize(d)? {
            Form::Current(c) => InputChange {
                file: c.file,
                record: c.record,
                field: c.field,
                kind: c.kind,
                old: c.old,
                new: c.new,
                long_text: c.long_text,
            },
            Form::Written(w) => InputChange {
                file: String::new(),
                record: w.item,
                field: String::new(),
                kind: w.kind,
                long_text: false,
                old: w.old.map(Value::Text),
                new: w.new.map(Value::Text),
            },
        })
    }
}

/// Every input change from `old` to `new`: file by file (assessment.toml, enhancements.csv,
/// scaling.csv, composability.csv, fonts), records in a fixed order of sections and by id
/// within one, fields in the order of their type.
pub fn compare(old: &InputSet<'_>, new: &InputSet<'_>) -> Vec<InputChange> {
    let (a, b) = (records(old), records(new));
    let keys: BTreeSet<&RecordKey> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        match (a.get(key), b.get(key)) {
            (Some(o), Some(n)) => compare_fields(o, n, &mut out),
            (o, n) => {
                let r = o.or(n).expect("the key came from one side");
                out.push(InputChange {
                    file: r.file.to_owned(),
                    record: r.id.clone(),
                    field: String::new(),
                    kind: if o.is_some() {
                        ChangeKind::Removed
                    } else {
                        ChangeKind::Added
                    },
                    old: o.and_then(|r| r.name.clone()),
                    new: n.and_then(|r| r.name.clone()),
                    long_text: false,
                });
            }
        }
    }
    out
}

/// Every field [`compare`] reads, as `(file, section, field)`: `section` is the kind of
/// record (`categories`, `evidence`, `scenarios`), and a field of a map (an override, a
/// profile's elicited level) is named by its map (`overrides`, `elicited`). Tests use it to
/// check that a change to each field is listed.
pub fn fields_compared(set: &InputSet<'_>) -> BTreeSet<(&'static str, &'static str, &'static str)> {
    records(set)
        .values()
        .flat_map(|r| r.fields.iter().map(|f| (r.file, r.section, f.group)))
        .collect()
}

fn compare_fields(o: &Record, n: &Record, out: &mut Vec<InputChange>) {
    let mut names: Vec<&str> = n.fields.iter().map(|f| f.name.as_str()).collect();
    for f in &o.fields {
        if !names.contains(&f.name.as_str()) {
            names.push(&f.name);
        }
    }
    let find = |r: &'_ Record, name: &str| -> (Option<Value>, bool) {
        r.fields
            .iter()
            .find(|f| f.name == name)
            .map_or((None, false), |f| (f.value.clone(), f.prose))
    };
    for name in names {
        let ((ov, op), (nv, np)) = (find(o, name), find(n, name));
        if ov == nv {
            continue;
        }
        let kind = match (&ov, &nv) {
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Removed,
            _ => ChangeKind::Changed,
        };
        let long_text = op || np || [&ov, &nv].into_iter().flatten().any(Value::is_long_text);
        out.push(InputChange {
            file: n.file.to_owned(),
            record: n.id.clone(),
            field: name.to_owned(),
            kind,
            old: ov,
            new: nv,
            long_text,
        });
    }
}

/// Records sort by file, then section, in the order of [`SECTIONS`], then id.
type RecordKey = (usize, String);

/// The sections in the order changes are listed: `(file, section)`.
const SECTIONS: [(&str, &str); 17] = [
    (ASSESSMENT_FILE, "report"),
    (ASSESSMENT_FILE, "evaluation"),
    (ASSESSMENT_FILE, "evaluation.profiles"),
    (ASSESSMENT_FILE, "simulation"),
    (ASSESSMENT_FILE, "horizon"),
    (ASSESSMENT_FILE, "composability"),
    (ASSESSMENT_FILE, "inference"),
    (ASSESSMENT_FILE, "categories"),
    (ASSESSMENT_FILE, "thresholds"),
    (ASSESSMENT_FILE, "context"),
    (ASSESSMENT_FILE, "scopes"),
    (ASSESSMENT_FILE, "scenarios"),
    (ENHANCEMENTS_FILE, "evidence"),
    (SCALING_FILE, "scaling"),
    (COMPOSABILITY_FILE, "pairs"),
    (POLICIES_FILE, "clause"),
    (FONTS, "fonts"),
];

/// One record of an input file and its fields.
struct Record {
    file: &'static str,
    section: &'static str,
    /// As [`InputChange::record`] names it.
    id: String,
    /// What names the record when it is added or removed.
    name: Option<Value>,
    fields: Vec<Field>,
}

struct Field {
    /// The field's name, or for a field of a map, the map's name.
    group: &'static str,
    name: String,
    /// `None` when the inputs do not give it (an empty text counts as not given).
    value: Option<Value>,
    /// A descriptive text, listed as changed without the texts whatever its length.
    prose: bool,
}

fn field(name: &'static str, value: Option<Value>) -> Field {
    Field {
        group: name,
        name: name.to_owned(),
        value,
        prose: false,
    }
}

fn prose(name: &'static str, value: &str) -> Field {
    Field {
        prose: true,
        ..field(name, text(value))
    }
}

fn text(s: &str) -> Option<Value> {
    (!s.is_empty()).then(|| Value::Text(s.to_owned()))
}

fn estimate(e: &Estimate) -> Option<Value> {
    text(e.text())
}

fn optional(e: Option<&Estimate>) -> Option<Value> {
    e.and_then(estimate)
}

fn integer(n: impl Into<u64>) -> Value {
    Value::Integer(n.into())
}

fn list(v: &[String]) -> Option<Value> {
    (!v.is_empty()).then(|| Value::List(v.to_vec()))
}

/// A map's entries (`[key, value text]`) as fields of the group `group`.
fn entries<'a>(
    group: &'static str,
    map: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> impl Iterator<Item = Field> {
    map.into_iter().map(move |(k, v)| Field {
        group,
        name: k.to_owned(),
        value: text(v),
        prose: false,
    })
}

struct Records(BTreeMap<RecordKey, Record>);

impl Records {
    fn add(&mut self, section: &'static str, key: &str, name: Option<Value>, fields: Vec<Field>) {
        let (rank, &(file, _)) = SECTIONS
            .iter()
            .enumerate()
            .find(|(_, (_, s))| *s == section)
            .expect("every section is listed");
        let mut id = match (file, key) {
            (ASSESSMENT_FILE, "") => section.to_owned(),
            (ASSESSMENT_FILE, k) => format!("{section}.{k}"),
            (_, k) => k.to_owned(),
        };
        // Two records with the same key (two thresholds at one multiplier) stay apart.
        let base = id.clone();
        let mut n = 1;
        while self.0.contains_key(&(rank, id.clone())) {
            n += 1;
            id = format!("{base} ({n})");
        }
        self.0.insert(
            (rank, id.clone()),
            Record {
                file,
                section,
                id,
                name,
                fields,
            },
        );
    }
}

fn records(set: &InputSet<'_>) -> BTreeMap<RecordKey, Record> {
    let Assessment {
        report,
        simulation,
        model,
        horizon,
        composability,
        categories,
        thresholds,
        context,
        evaluation,
        scopes,
        scenarios,
        evidence,
        scaling,
        // Computed by calibration from the evidence rows, which are compared.
        combinations: _,
        clauses,
        inference,
        // Computed by calibration from the evidence and the settings, which are compared.
        inferred: _,
        backtest: _,
    } = set.assessment;
    let mut r = Records(BTreeMap::new());
    r.add("report", "", None, report_fields(report));
    if let Some(e) = evaluation {
        evaluation_records(e, &mut r);
    }
    r.add("simulation", "", None, simulation_fields(simulation, model));
    let crate::assessment::Horizon {
        months,
        step_months,
    } = horizon;
    r.add(
        "horizon",
        "",
        None,
        vec![
            field("months", Some(integer(*months))),
            field("step_months", Some(integer(*step_months))),
        ],
    );
    composability_records(composability, model, &mut r);
    if let Some(i) = inference {
        r.add("inference", "", None, inference_fields(i));
    }
    for c in categories {
        r.add("categories", &c.id, text(&c.label), category_fields(c));
    }
    for t in thresholds {
        let key = format!("{}x", format_number(t.multiplier));
        r.add("thresholds", &key, text(&t.label), threshold_fields(t));
    }
    for c in clauses {
        r.add("clause", &c.id, text(&c.framework), clause_fields(c));
    }
    for c in context {
        let ContextFigure {
            label,
            per_year,
            source,
        } = c;
        let fields = vec![
            field("label", text(label)),
            field("per_year", estimate(per_year)),
            field("source", text(source)),
        ];
        r.add("context", label, estimate(per_year), fields);
    }
    for s in scopes.iter().filter(|s| s.id != AVERAGE_SCOPE) {
        let Scope {
            id,
            label,
            description,
            overrides,
            categories: _,
        } = s;
        let mut fields = vec![
            field("id", text(id)),
            field("label", text(label)),
            prose("description", description),
        ];
        fields.extend(entries(
            "overrides",
            overrides.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ));
        r.add("scopes", id, text(label), fields);
    }
    for s in scenarios.iter().filter(|s| s.scope == AVERAGE_SCOPE) {
        let (id, name, fields) = scenario_fields(s);
        r.add("scenarios", &id, name, fields);
    }
    for e in evidence {
        r.add("evidence", &e.id, text(&e.name), evidence_fields(e));
    }
    for s in scaling {
        let (key, fields) = scaling_fields(s);
        r.add("scaling", &key, Some(Value::Number(s.score)), fields);
    }
    for (path, sha256) in set.fonts {
        r.add("fonts", path, None, vec![field("sha256", text(sha256))]);
    }
    r.0
}

fn report_fields(r: &ReportMeta) -> Vec<Field> {
    let ReportMeta {
        title,
        version,
        date,
        authors,
        release_date,
        keywords,
        scope,
        changes,
    } = r;
    vec![
        field("title", text(title)),
        field("version", text(version.as_str())),
        field("date", text(&date.to_string())),
        field("authors", list(authors)),
        field("release_date", text(&release_date.to_string())),
        field("keywords", list(keywords)),
        prose("scope", scope),
        prose("changes", changes.as_deref().unwrap_or_default()),
    ]
}

fn evaluation_records(e: &Evaluation, r: &mut Records) {
    let Evaluation {
        description,
        tools,
        scaffold,
        fine_tuning,
        samples_per_task,
        scoring,
        inference_budget,
        inference_multiple,
        inference_exchange,
        profiles,
    } = e;
    let fields = vec![
        prose("description", description),
        field("tools", text(tools)),
        field("scaffold", text(scaffold)),
        field("fine_tuning", fine_tuning.map(Value::Flag)),
        field("samples_per_task", samples_per_task.map(integer)),
        field("scoring", text(scoring)),
        field("inference_budget", text(inference_budget)),
        field("inference_multiple", optional(inference_multiple.as_ref())),
        field("inference_exchange", estimate(inference_exchange)),
    ];
    r.add("evaluation", "", None, fields);
    for p in profiles {
        let EvaluationProfile {
            id,
            label,
            description,
            elicited,
            gap,
        } = p;
        let mut fields = vec![
            field("id", text(id)),
            field("label", text(label)),
            prose("description", description),
        ];
        fields.extend(elicited.iter().map(|(c, e)| Field {
            group: "elicited",
            name: format!("categories.{c}.elicited"),
            value: estimate(e),
            prose: false,
        }));
        fields.extend(gap.iter().map(|(c, e)| Field {
            group: "gap",
            name: format!("categories.{c}.gap"),
            value: estimate(e),
            prose: false,
        }));
        r.add("evaluation.profiles", id, text(label), fields);
    }
}

fn simulation_fields(s: &Simulation, m: &Model) -> Vec<Field> {
    let Simulation { samples, seed } = s;
    let Model {
        correlation,
        growth_correlation,
        available_elicited_correlation,
        growth_shape,
        saturation_years,
        // Written in [composability]: read there.
        ceiling: _,
    } = m;
    vec![
        field("samples", Some(integer(*samples))),
        field("seed", Some(integer(*seed))),
        field("correlation", estimate(correlation)),
        field("growth_correlation", estimate(growth_correlation)),
        field(
            "available_elicited_correlation",
            estimate(available_elicited_correlation),
        ),
        field("growth_shape", text(growth_shape.name())),
        field("saturation_years", optional(saturation_years.as_ref())),
    ]
}

fn composability_records(c: &Composability, m: &Model, r: &mut Records) {
    let Composability {
        method,
        kappa,
        kappa_alternative,
        pairs,
        default_pair,
        learn,
        combination_sd,
        // Computed by calibration from the combination rows of the evidence.
        learned: _,
        learned_pairs: _,
    } = c;
    let fields = vec![
        field("method", text(method.name())),
        field("kappa", optional(kappa.as_ref())),
        field("kappa_alternative", optional(kappa_alternative.as_ref())),
        field("pair_default", optional(default_pair.as_ref())),
        field("learn", Some(Value::Flag(*learn))),
        field("combination_sd", optional(combination_sd.as_ref())),
        field("ceiling", optional(m.ceiling.as_ref())),
    ];
    r.add("composability", "", None, fields);
    for p in pairs {
        let PairComposability {
            a,
            b,
            composability,
        } = p;
        let fields = vec![
            field("category_a", text(a)),
            field("category_b", text(b)),
            field("composability", estimate(composability)),
        ];
        r.add(
            "pairs",
            &format!("{a} / {b}"),
            estimate(composability),
            fields,
        );
    }
}

fn category_fields(c: &Category) -> Vec<Field> {
    let Category {
        id,
        label,
        available,
        elicited,
        gap,
        lag_months,
        growth,
        cap,
        inference_cost,
        rationale,
        infer,
        // Set by calibration.
        posterior: _,
    } = c;
    vec![
        field("id", text(id)),
        field("label", text(label)),
        field("available", text(available.text())),
        field("elicited", estimate(elicited)),
        field("gap", optional(gap.as_ref())),
        field(
            "lag_months",
            lag_months.as_ref().and_then(|l| text(l.text())),
        ),
        field("growth", text(&growth.to_string())),
        field("cap", optional(cap.as_ref())),
        field("inference_cost", optional(inference_cost.as_ref())),
        field("infer", Some(Value::Flag(*infer))),
        prose("rationale", rationale),
    ]
}

/// `[inference]`: the switch, the standard deviations and the transfers.
fn inference_fields(i: &crate::inference::InferenceInputs) -> Vec<Field> {
    let crate::inference::InferenceInputs {
        enabled,
        study_sd,
        row_sd,
        transfer,
    } = i;
    vec![
        field("enabled", Some(Value::Flag(*enabled))),
        field("study_sd", Some(Value::Number(*study_sd))),
        field("row_sd.primary", Some(Value::Number(row_sd.primary))),
        field("row_sd.measured", Some(Value::Number(row_sd.measured))),
        field("row_sd.secondary", Some(Value::Number(row_sd.secondary))),
        field("transfer.base", estimate(&transfer.base)),
        field("transfer.post_trained", estimate(&transfer.post_trained)),
        field("transfer.versus_pte", estimate(&transfer.versus_pte)),
    ]
}

fn threshold_fields(t: &Threshold) -> Vec<Field> {
    let Threshold {
        label,
        multiplier,
        policy,
        cadence_months,
        tolerance,
        policy_name,
        policy_version,
        policy_date,
        superseded_by,
        clause,
    } = t;
    vec![
        field("label", text(label)),
        field("multiplier", Some(Value::Number(*multiplier))),
        prose("policy", policy),
        field("cadence_months", cadence_months.map(integer)),
        field("tolerance", tolerance.map(Value::Number)),
        field("policy_name", text(policy_name)),
        field("policy_version", text(policy_version)),
        field(
            "policy_date",
            policy_date.and_then(|d| text(&d.to_string())),
        ),
        field("superseded_by", text(superseded_by)),
        field("clause", clause.as_deref().and_then(text)),
    ]
}

/// A clause of policies.toml, keyed by its id.
fn clause_fields(c: &Clause) -> Vec<Field> {
    let Clause {
        id,
        framework,
        version,
        date,
        wording,
        locator,
        source,
        grade,
        superseded_by,
        triggers,
    } = c;
    let (text_field, paraphrase) = match wording {
        Wording::Text(t) => (t.as_str(), ""),
        Wording::Paraphrase(p) => ("", p.as_str()),
    };
    vec![
        field("id", text(id)),
        field("framework", text(framework)),
        field("version", text(version)),
        field("date", text(&date.to_string())),
        prose("text", text_field),
        prose("paraphrase", paraphrase),
        field("locator", text(locator)),
        field("source", text(source)),
        field("grade", text(grade.name())),
        field("superseded_by", text(superseded_by)),
        field(
            "trigger",
            list(&triggers.iter().map(trigger_text).collect::<Vec<_>>()),
        ),
    ]
}

/// A trigger as one short value: its kind and its number.
fn trigger_text(t: &Trigger) -> String {
    match t {
        Trigger::EffectiveCompute { multiplier } => {
            format!("effective_compute {}", format_number(*multiplier))
        }
        Trigger::ElicitationTime { months } => format!("elicitation_time {months}"),
        Trigger::Periodic { months } => format!("periodic {months}"),
    }
}

/// A scenario of the average task: the definition `[scenarios.<id>]` gives, which every scope
/// shares.
fn scenario_fields(s: &Scenario) -> (String, Option<Value>, Vec<Field>) {
    let Scenario {
        // The average task's scenario ids are the definitions' ids, `scenario` below.
        id: _,
        // Made from the scope's label and the definition's, both compared.
        label: _,
        description,
        scope: _,
        scope_label: _,
        scenario,
        scenario_label,
        overrides,
        // The base case with the overrides applied: both compared.
        composability: _,
        categories: _,
    } = s;
    let mut fields = vec![
        field("id", text(scenario)),
        field("label", text(scenario_label)),
        prose("description", description),
    ];
    fields.extend(entries(
        "overrides",
        overrides.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ));
    (scenario.clone(), text(scenario_label), fields)
}

fn evidence_fields(e: &EvidenceRow) -> Vec<Field> {
    let EvidenceRow {
        id,
        name,
        category,
        benchmark,
        // The `ceg` column as written, compared below.
        ceg: _,
        date,
        source,
        evidence,
        notes,
        components,
        scope,
        inference_cost,
        study,
        estimand,
        mix,
        metric,
        // Where the row is, not what it says.
        line: _,
    } = e;
    vec![
        field("id", text(id)),
        field("name", text(name)),
        field("category", text(category)),
        field("benchmark", text(benchmark)),
        field("ceg", text(&e.ceg_as_written())),
        field("date", text(&date.to_string())),
        field("source", text(source)),
        field("evidence", text(evidence.name())),
        prose("notes", notes),
        field("components", list(components)),
        field("scope", text(scope)),
        field("inference_cost", optional(inference_cost.as_ref())),
        field("study", text(study)),
        field("estimand", estimand.and_then(|e| text(e.name()))),
        field("mix", list(mix)),
        field("metric", text(metric.name())),
    ]
}

fn scaling_fields(s: &ScalingRow) -> (String, Vec<Field>) {
    let ScalingRow {
        family,
        model,
        compute,
        benchmark,
        score,
        enhancement,
        source,
        notes,
        compute_basis,
        // Where the row is, not what it says.
        line: _,
    } = s;
    let mut key = format!("{family} / {benchmark} / {model}");
    if let Some(e) = enhancement {
        key = format!("{key} / {e}");
    }
    let fields = vec![
        field("family", text(family)),
        field("model", text(model)),
        field("compute", Some(Value::Number(*compute))),
        field("benchmark", text(benchmark)),
        field("score", Some(Value::Number(*score))),
        field("enhancement", enhancement.as_deref().and_then(text)),
        field("source", text(source)),
        prose("notes", notes),
        field("compute_basis", compute_basis.and_then(|b| text(b.name()))),
    ];
    (key, fields)
}
