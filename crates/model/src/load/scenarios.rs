//! assessment.toml's `[scenarios.<id>]`: named overrides of the base case.

use std::ops::Range;

use toml_edit::{Item, TableLike};

use super::toml::{Toml, join, list, span_of, type_name, valid_id, value_text};
use crate::assessment::{Growth, Method};
use crate::diagnostic::did_you_mean;
use crate::estimate::Estimate;

const SCENARIO_KEYS: [&str; 4] = ["label", "description", "categories", "composability"];
const SCENARIO_CATEGORY_KEYS: [&str; 4] = ["available", "elicited", "growth", "cap"];
const SCENARIO_COMPOSABILITY_KEYS: [&str; 2] = ["method", "kappa"];

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
    Available(String, Estimate),
    Elicited(String, Estimate),
    Growth(String, Growth),
    Cap(String, Estimate),
    Method(Method),
    Kappa(Estimate),
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
        let mut out = Vec::new();
        let mut ok = true;
        for (id, item) in t.iter() {
            let path = format!("scenarios.{id}");
            let key_span = t.key(id).and_then(toml_edit::Key::span);
            if !valid_id(id) {
                self.error(
                    key_span.clone(),
                    &path,
                    format!(
                        "expected a scenario id of lower-case letters, digits and `_`, found `{id}`"
                    ),
                );
                ok = false;
            }
            let Some(s) = item.as_table_like() else {
                self.error(
                    key_span,
                    &path,
                    format!("expected a table [{path}], found {}", type_name(item)),
                );
                ok = false;
                continue;
            };
            match self.scenario(id, s, &path, key_span.as_ref(), &ids) {
                Some(def) => out.push(def),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(super) fn scenario(
        &mut self,
        id: &str,
        t: &dyn TableLike,
        path: &str,
        anchor: Option<&Range<usize>>,
        category_ids: &[&str],
    ) -> Option<ScenarioDef> {
        let errors_before = self.error_count();
        for (key, _) in t.iter() {
            if !SCENARIO_KEYS.contains(&key) {
                let d = self
                    .diag(
                        t.key(key).and_then(toml_edit::Key::span),
                        &join(path, key),
                        format!(
                            "expected a scenario to override one of {}, found `{key}`, which does not exist",
                            list(&SCENARIO_KEYS)
                        ),
                    )
                    .with_hint_opt(
                        did_you_mean(key, SCENARIO_KEYS).map(|s| format!("did you mean `{s}`?")),
                    );
                self.push(d);
            }
        }
        let label = self.nonempty_string(t, "label", path, anchor.cloned());
        let description = match t.get("description") {
            Some(_) => self
                .string(t, "description", path, false, None)
                .map(|s| s.0),
            None => Some(String::new()),
        };
        let mut overrides = Vec::new();
        if let Some(item) = t.get("categories") {
            let cpath = join(path, "categories");
            if let Some(cats) = item.as_table_like() {
                for (cid, citem) in cats.iter() {
                    let cat_path = join(&cpath, cid);
                    if !category_ids.contains(&cid) {
                        let d = self
                            .diag(
                                cats.key(cid).and_then(toml_edit::Key::span),
                                &cat_path,
                                format!(
                                    "expected a scenario to override a defined category ({}), found `{cid}`, which does not exist",
                                    list(category_ids)
                                ),
                            )
                            .with_hint_opt(
                                did_you_mean(cid, category_ids.iter().copied())
                                    .map(|s| format!("did you mean `{s}`?")),
                            );
                        self.push(d);
                        continue;
                    }
                    let Some(fields) = citem.as_table_like() else {
                        self.error(
                            cats.key(cid).and_then(toml_edit::Key::span),
                            &cat_path,
                            format!("expected a table of overrides, found {}", type_name(citem)),
                        );
                        continue;
                    };
                    for (field, fitem) in fields.iter() {
                        let fpath = join(&cat_path, field);
                        if !SCENARIO_CATEGORY_KEYS.contains(&field) {
                            let d = self
                                .diag(
                                    fields.key(field).and_then(toml_edit::Key::span),
                                    &fpath,
                                    format!(
                                        "expected a scenario to override one of {}, found `{field}`, which does not exist",
                                        list(&SCENARIO_CATEGORY_KEYS)
                                    ),
                                )
                                .with_hint_opt(
                                    did_you_mean(field, SCENARIO_CATEGORY_KEYS)
                                        .map(|s| format!("did you mean `{s}`?")),
                                );
                            self.push(d);
                            continue;
                        }
                        let Some(v) = fitem.as_value() else {
                            self.error(
                                span_of(fields, field),
                                &fpath,
                                format!("expected a value, found {}", type_name(fitem)),
                            );
                            continue;
                        };
                        let value_text = value_text(v);
                        let kind = if field == "growth" {
                            if v.as_str().is_some_and(|s| s.trim() == "fit") {
                                Some(OverrideKind::Growth(cid.to_owned(), Growth::Fit))
                            } else {
                                self.estimate_value(v, &fpath).map(|e| {
                                    OverrideKind::Growth(cid.to_owned(), Growth::Estimate(e))
                                })
                            }
                        } else {
                            let e = self.estimate_value(v, &fpath);
                            self.positive_multiplier(e, fields, field, &cat_path)
                                .map(|e| match field {
                                    "available" => OverrideKind::Available(cid.to_owned(), e),
                                    "elicited" => OverrideKind::Elicited(cid.to_owned(), e),
                                    _ => OverrideKind::Cap(cid.to_owned(), e),
                                })
                        };
                        if let Some(kind) = kind {
                            overrides.push(Override {
                                path: format!("categories.{cid}.{field}"),
                                value_text,
                                kind,
                            });
                        }
                    }
                }
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
        if let Some(item) = t.get("composability") {
            let cpath = join(path, "composability");
            if let Some(c) = item.as_table_like() {
                for (key, _) in c.iter() {
                    if !SCENARIO_COMPOSABILITY_KEYS.contains(&key) {
                        let d = self
                            .diag(
                                c.key(key).and_then(toml_edit::Key::span),
                                &join(&cpath, key),
                                format!(
                                    "expected a scenario to override one of {}, found `{key}`, which does not exist",
                                    list(&SCENARIO_COMPOSABILITY_KEYS)
                                ),
                            )
                            .with_hint_opt(
                                did_you_mean(key, SCENARIO_COMPOSABILITY_KEYS)
                                    .map(|s| format!("did you mean `{s}`?")),
                            );
                        self.push(d);
                    }
                }
                if c.contains_key("method")
                    && let Some(m) = self.method(c, &cpath, None)
                {
                    overrides.push(Override {
                        path: "composability.method".to_owned(),
                        value_text: m.name().to_owned(),
                        kind: OverrideKind::Method(m),
                    });
                }
                if let Some(v) = c.get("kappa").and_then(Item::as_value) {
                    let kpath = join(&cpath, "kappa");
                    let e = self.estimate_value(v, &kpath);
                    if let Some(e) = self.unit_interval(e, v.span(), &kpath) {
                        overrides.push(Override {
                            path: "composability.kappa".to_owned(),
                            value_text: value_text(v),
                            kind: OverrideKind::Kappa(e),
                        });
                    }
                }
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
}
