//! assessment.toml's `[scenarios.<id>]` and `[scopes.<id>]`: named overrides of the base
//! case, resolved into every scope x scenario.

use toml_edit::{Item, TableLike};

use super::InputFiles;
use super::assessment::CATEGORY_VALUE_KEYS;
use super::composability::check_composability;
use super::toml::{Share, Table, Toml, find_key_span, join, list, span_of, type_name, value_text};
use crate::assessment::{
    AVERAGE_SCOPE, Available, Category, Composability, Growth, Lag, Method, Scenario, Scope,
};
use crate::diagnostic::Diagnostic;
use crate::estimate::Estimate;

const SCENARIO_KEYS: [&str; 4] = ["label", "description", "categories", "composability"];
const SCENARIO_COMPOSABILITY_KEYS: [&str; 2] = ["method", "kappa"];
const SCOPE_KEYS: [&str; 3] = ["label", "description", "categories"];

/// Which kind of override table is being read: they differ in what they may override and in
/// the word diagnostics use for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Axis {
    /// `[scenarios.<id>]`: categories and composability.
    Scenario,
    /// `[scopes.<id>]`: categories only.
    Scope,
}

impl Axis {
    fn noun(self) -> &'static str {
        match self {
            Self::Scenario => "scenario",
            Self::Scope => "scope",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Self::Scenario => &SCENARIO_KEYS,
            Self::Scope => &SCOPE_KEYS,
        }
    }
}

pub(super) struct ScenarioDef {
    pub(super) id: String,
    pub(super) label: String,
    pub(super) description: String,
    pub(super) overrides: Vec<Override>,
}

pub(super) struct Override {
    pub(super) path: String,
    pub(super) value_text: String,
    pub(super) kind: OverrideKind,
}

pub(super) enum OverrideKind {
    Available(String, Available),
    Elicited(String, Estimate),
    Gap(String, Estimate),
    Lag(String, Lag),
    Growth(String, Growth),
    Cap(String, Estimate),
    InferenceCost(String, Estimate),
    Method(Method),
    Kappa(Estimate),
}

/// The scopes and the scenarios of an assessment: every scenario definition (or the base case
/// alone when there is none) in every scope, the average task first, the scope's overrides
/// applied to the base case before the scenario's. A scenario that changes the composability
/// method or kappa is checked again as a whole (once: scopes do not change composability).
pub(super) fn resolve(
    scope_defs: Vec<ScenarioDef>,
    defs: Vec<ScenarioDef>,
    base_categories: &[Category],
    composability: &Composability,
    report_scope: &str,
    files: &InputFiles,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Scope>, Vec<Scenario>) {
    let assessment_text = files.text(&files.assessment.name).unwrap_or_default();
    let average = ScenarioDef {
        id: AVERAGE_SCOPE.to_owned(),
        label: "Average task".to_owned(),
        description: report_scope.to_owned(),
        overrides: Vec::new(),
    };
    let base = ScenarioDef {
        id: "base".to_owned(),
        label: "Base case".to_owned(),
        description: String::new(),
        overrides: Vec::new(),
    };
    let defs = if defs.is_empty() { vec![base] } else { defs };
    let scope_defs: Vec<ScenarioDef> = std::iter::once(average).chain(scope_defs).collect();
    let mut scenarios = Vec::new();
    for (si, scope) in scope_defs.iter().enumerate() {
        for def in &defs {
            let mut categories = base_categories.to_vec();
            let mut comp = composability.clone();
            // `growth = "fit"` written in a scope means the fit of that scope's own rows;
            // written in a scenario (or inherited from the base case), the average task's.
            for o in &scope.overrides {
                apply(o, &mut categories, &mut comp, Some(&scope.id));
            }
            for o in &def.overrides {
                apply(o, &mut categories, &mut comp, None);
            }
            if si == 0 && (comp.method != composability.method || comp.kappa != composability.kappa)
            {
                let span = find_key_span(assessment_text, &format!("scenarios.{}", def.id));
                check_composability(
                    &comp,
                    &categories,
                    files,
                    span,
                    &format!("scenarios.{}.composability", def.id),
                    diags,
                );
            }
            for c in categories
                .iter()
                .filter(|c| c.gap.is_some() && c.available == Available::Elicited)
            {
                // Frozen at an elicited level that follows from the available level and the
                // gap: both rules at once, which the simulation refuses.
                let (header, table) = if def.overrides.iter().any(|o| {
                    matches!(&o.kind, OverrideKind::Available(id, Available::Elicited) if *id == c.id)
                }) {
                    (format!("scenarios.{}", def.id), "scenario")
                } else {
                    (format!("scopes.{}", scope.id), "scope")
                };
                let path = format!("categories.{}.available", c.id);
                let span = find_key_span(assessment_text, &header).and_then(|h| {
                    let from = h.end;
                    assessment_text[from..]
                        .find(&path)
                        .map(|i| from + i..from + i + path.len())
                });
                diags.push(
                    Diagnostic::error(
                        &files.assessment.name,
                        assessment_text,
                        span,
                        format!("{header}.{path}"),
                        format!(
                            "expected a {table} to freeze a category whose elicited level is drawn \
                             on its own, found `available = \"elicited\"` on `{}`, whose elicited \
                             level follows from its `gap`",
                            c.id
                        ),
                    )
                    .with_hint(format!(
                        "to keep the category at what the release shipped with, write \
                         `categories.{}.lag_months = \"never\"` instead",
                        c.id
                    )),
                );
            }
            let average = si == 0;
            scenarios.push(Scenario {
                id: if average {
                    def.id.clone()
                } else {
                    format!("{}-{}", scope.id, def.id)
                },
                label: if average {
                    def.label.clone()
                } else {
                    format!("{}, {}", scope.label, lower_first(&def.label))
                },
                description: def.description.clone(),
                scope: scope.id.clone(),
                scope_label: scope.label.clone(),
                scenario: def.id.clone(),
                scenario_label: def.label.clone(),
                overrides: scope
                    .overrides
                    .iter()
                    .chain(&def.overrides)
                    .map(|o| (o.path.clone(), o.value_text.clone()))
                    .collect(),
                composability: comp,
                categories,
            });
        }
    }
    let scopes = scope_defs
        .into_iter()
        .map(|d| {
            let mut categories = base_categories.to_vec();
            let mut comp = composability.clone();
            for o in &d.overrides {
                apply(o, &mut categories, &mut comp, Some(&d.id));
            }
            (d, categories)
        })
        .map(|(d, categories)| Scope {
            categories,
            overrides: d
                .overrides
                .iter()
                .map(|o| (o.path.clone(), o.value_text.clone()))
                .collect(),
            id: d.id,
            label: d.label,
            description: d.description,
        })
        .collect();
    (scopes, scenarios)
}

/// A label with its first letter in lower case, to follow a comma ("Agentic tasks, open
/// weights"), unless it starts with an acronym ("API access only").
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => a
            .to_lowercase()
            .chain(std::iter::once(b))
            .chain(chars)
            .collect(),
        _ => label.to_owned(),
    }
}

/// Applies one override to a parameter set; `scope` is the scope whose table wrote it, for a
/// scope's override.
fn apply(o: &Override, categories: &mut [Category], comp: &mut Composability, scope: Option<&str>) {
    let cat = |categories: &mut [Category], id: &str| -> usize {
        categories
            .iter()
            .position(|c| c.id == id)
            .expect("override categories are checked when read")
    };
    match &o.kind {
        OverrideKind::Available(id, e) => {
            let i = cat(categories, id);
            categories[i].available = e.clone();
        }
        OverrideKind::Elicited(id, e) => {
            let i = cat(categories, id);
            categories[i].elicited = e.clone();
            // The last of the two written is the rule the category follows.
            categories[i].gap = None;
        }
        OverrideKind::Gap(id, e) => {
            let i = cat(categories, id);
            categories[i].gap = Some(e.clone());
        }
        OverrideKind::Lag(id, l) => {
            let i = cat(categories, id);
            categories[i].lag_months = Some(l.clone());
        }
        OverrideKind::Growth(id, g) => {
            let i = cat(categories, id);
            categories[i].growth = match (g, scope) {
                (Growth::Fit, Some(scope)) => Growth::ScopeFit(scope.to_owned()),
                _ => g.clone(),
            };
        }
        OverrideKind::Cap(id, e) => {
            let i = cat(categories, id);
            categories[i].cap = Some(e.clone());
        }
        OverrideKind::InferenceCost(id, e) => {
            let i = cat(categories, id);
            categories[i].inference_cost = Some(e.clone());
        }
        OverrideKind::Method(m) => comp.method = *m,
        OverrideKind::Kappa(k) => comp.kappa = Some(k.clone()),
    }
}

impl Toml<'_> {
    pub(super) fn scenarios(
        &mut self,
        root: &dyn TableLike,
        categories: &[String],
    ) -> Option<Vec<ScenarioDef>> {
        let Some(item) = root.get("scenarios") else {
            return Some(Vec::new());
        };
        let Some(t) = item.as_table_like() else {
            self.error(
                span_of(root, "scenarios"),
                "scenarios",
                format!("expected a table [scenarios], found {}", type_name(item)),
            );
            return None;
        };
        let ids: Vec<&str> = categories.iter().map(String::as_str).collect();
        self.id_tables(t, "scenarios", "scenario", |toml, id, s| {
            toml.scenario(id, s, &ids, Axis::Scenario)
        })
    }

    /// `[scopes]`: the task scopes besides the average task.
    pub(super) fn scopes(
        &mut self,
        root: &dyn TableLike,
        categories: &[String],
    ) -> Option<Vec<ScenarioDef>> {
        let Some(item) = root.get("scopes") else {
            return Some(Vec::new());
        };
        let Some(t) = item.as_table_like() else {
            self.error(
                span_of(root, "scopes"),
                "scopes",
                format!("expected a table [scopes], found {}", type_name(item)),
            );
            return None;
        };
        if t.contains_key(AVERAGE_SCOPE) {
            let d = self
                .diag(
                    t.key(AVERAGE_SCOPE).and_then(toml_edit::Key::span),
                    &format!("scopes.{AVERAGE_SCOPE}"),
                    format!(
                        "expected a scope other than the average task, found `{AVERAGE_SCOPE}`, \
                         which every assessment has: its parameters are the base case"
                    ),
                )
                .with_hint(
                    "change the base [categories] to change the average task, or give this scope \
                     another id",
                );
            self.push(d);
            return None;
        }
        let ids: Vec<&str> = categories.iter().map(String::as_str).collect();
        self.id_tables(t, "scopes", "scope", |toml, id, s| {
            toml.scenario(id, s, &ids, Axis::Scope)
        })
    }

    /// `[scenarios.<id>]` or `[scopes.<id>]`, as `axis` says.
    pub(super) fn scenario(
        &mut self,
        id: &str,
        s: &Table<'_>,
        category_ids: &[&str],
        axis: Axis,
    ) -> Option<ScenarioDef> {
        let errors_before = self.error_count();
        let (t, path) = (s.table, s.path.as_str());
        self.unknown_keys(t, path, axis.keys(), |key| {
            not_overridable(axis, key, axis.keys())
        });
        let label = self.nonempty_string(s, "label");
        let description = self.optional_string(s, "description");
        let mut overrides = Vec::new();
        if let Some(item) = t.get("categories") {
            let cpath = join(path, "categories");
            if let Some(cats) = item.as_table_like() {
                self.category_overrides(cats, &cpath, category_ids, axis, &mut overrides);
            } else {
                self.error(
                    span_of(t, "categories"),
                    &cpath,
                    format!(
                        "expected a table of category overrides, found {}",
                        type_name(item)
                    ),
                );
            }
        }
        if let Some(item) = t.get("composability").filter(|_| axis == Axis::Scenario) {
            let cpath = join(path, "composability");
            if let Some(c) = item.as_table_like() {
                self.composability_overrides(c, &cpath, &mut overrides);
            } else {
                self.error(
                    span_of(t, "composability"),
                    &cpath,
                    format!("expected a table, found {}", type_name(item)),
                );
            }
        }
        if self.error_count() > errors_before {
            return None;
        }
        Some(ScenarioDef {
            id: id.to_owned(),
            label: label?,
            description: description?,
            overrides,
        })
    }

    /// `[scenarios.<id>.categories]` (or a scope's): overrides of defined categories'
    /// estimates.
    fn category_overrides(
        &mut self,
        cats: &dyn TableLike,
        cpath: &str,
        category_ids: &[&str],
        axis: Axis,
        overrides: &mut Vec<Override>,
    ) {
        let change = format!("a {} to override", axis.noun());
        for (cid, t) in
            self.category_tables(cats, cpath, category_ids, &change, "a table of overrides")
        {
            let (fields, cat_path) = (t.table, t.path);
            for (field, fitem) in fields.iter() {
                if !CATEGORY_VALUE_KEYS.contains(&field) {
                    let message = not_overridable(axis, field, &CATEGORY_VALUE_KEYS);
                    self.unknown(fields, field, &cat_path, message, &CATEGORY_VALUE_KEYS);
                    continue;
                }
                let fpath = join(&cat_path, field);
                let Some(v) = fitem.as_value() else {
                    self.error(
                        span_of(fields, field),
                        &fpath,
                        format!("expected a value, found {}", type_name(fitem)),
                    );
                    continue;
                };
                let kind = if field == "growth" {
                    self.growth_value(v, &fpath)
                        .map(|g| OverrideKind::Growth(cid.to_owned(), g))
                } else if field == "gap" {
                    self.gap_value(v, &Table::new(fields, &cat_path, None))
                        .map(|g| OverrideKind::Gap(cid.to_owned(), g))
                } else if field == "lag_months" {
                    self.lag_value(v, &Table::new(fields, &cat_path, None))
                        .map(|l| OverrideKind::Lag(cid.to_owned(), l))
                } else if field == "available" {
                    self.available_value(v, &Table::new(fields, &cat_path, None))
                        .map(|a| OverrideKind::Available(cid.to_owned(), a))
                } else {
                    let e = self.estimate_value(v, &fpath);
                    self.positive_multiplier(e, &Table::new(fields, &cat_path, None), field)
                        .map(|e| match field {
                            "elicited" => OverrideKind::Elicited(cid.to_owned(), e),
                            "inference_cost" => OverrideKind::InferenceCost(cid.to_owned(), e),
                            _ => OverrideKind::Cap(cid.to_owned(), e),
                        })
                };
                if let Some(kind) = kind {
                    overrides.push(Override {
                        path: format!("categories.{cid}.{field}"),
                        value_text: value_text(v),
                        kind,
                    });
                }
            }
        }
    }

    /// `[scenarios.<id>.composability]`: overrides of the method and kappa.
    fn composability_overrides(
        &mut self,
        c: &dyn TableLike,
        cpath: &str,
        overrides: &mut Vec<Override>,
    ) {
        self.unknown_keys(c, cpath, &SCENARIO_COMPOSABILITY_KEYS, |key| {
            not_overridable(Axis::Scenario, key, &SCENARIO_COMPOSABILITY_KEYS)
        });
        if c.contains_key("method")
            && let Some(m) = self.method(&Table::new(c, cpath, None))
        {
            overrides.push(Override {
                path: "composability.method".to_owned(),
                value_text: m.name().to_owned(),
                kind: OverrideKind::Method(m),
            });
        }
        if let Some(v) = c.get("kappa").and_then(Item::as_value) {
            let kpath = join(cpath, "kappa");
            let e = self.estimate_value(v, &kpath);
            if let Some(e) = self.unit_interval(e, v.span(), &kpath, Share::Composability) {
                overrides.push(Override {
                    path: "composability.kappa".to_owned(),
                    value_text: value_text(v),
                    kind: OverrideKind::Kappa(e),
                });
            }
        }
    }
}

/// The message for a key a scenario (or a scope) cannot override.
fn not_overridable(axis: Axis, key: &str, allowed: &[&str]) -> String {
    if axis == Axis::Scope && key == "composability" {
        return format!(
            "expected a scope to override one of {}, found `composability`, which only a \
             scenario may override: a scope describes tasks, not how enhancements combine",
            list(allowed)
        );
    }
    format!(
        "expected a {} to override one of {}, found `{key}`, which does not exist",
        axis.noun(),
        list(allowed)
    )
}
