//! assessment.toml: the sections `[report]`, `[simulation]`, `[horizon]`, `[composability]`,
//! `[categories.<id>]` and `[[thresholds]]`, read into the base case.

use std::ops::Range;

use toml_edit::TableLike;

use super::scenarios::ScenarioDef;
use super::toml::{Toml, category_keys, join, list, span_of, type_name, valid_id, value_type};
use crate::assessment::{
    Category, Growth, Horizon, MAX_SAMPLES, Method, ReportMeta, Simulation, Threshold, Version,
};
use crate::diagnostic::did_you_mean;
use crate::estimate::{Estimate, format_number};

const TOP_KEYS: [&str; 7] = [
    "report",
    "simulation",
    "horizon",
    "composability",
    "categories",
    "thresholds",
    "scenarios",
];
const REPORT_KEYS: [&str; 7] = [
    "title",
    "version",
    "date",
    "authors",
    "release_date",
    "keywords",
    "scope",
];
const SIMULATION_KEYS: [&str; 2] = ["samples", "seed"];
const HORIZON_KEYS: [&str; 2] = ["months", "step_months"];
const COMPOSABILITY_KEYS: [&str; 3] = ["method", "kappa", "pair_default"];
const CATEGORY_KEYS: [&str; 6] = [
    "label",
    "available",
    "elicited",
    "growth",
    "cap",
    "rationale",
];
const THRESHOLD_KEYS: [&str; 3] = ["label", "multiplier", "policy"];

/// The longest horizon an assessment may project, in months.
pub const MAX_HORIZON_MONTHS: i64 = 600;

/// The base case as read from assessment.toml, before the CSV files are joined in.
pub(super) struct Base {
    pub(super) report: ReportMeta,
    pub(super) simulation: Simulation,
    pub(super) horizon: Horizon,
    pub(super) method: Method,
    pub(super) kappa: Option<Estimate>,
    pub(super) pair_default: Option<Estimate>,
    pub(super) categories: Vec<Category>,
    pub(super) thresholds: Vec<Threshold>,
    pub(super) scenarios: Vec<ScenarioDef>,
    /// Where `[composability]` is, for diagnostics that concern it as a whole.
    pub(super) composability_span: Option<Range<usize>>,
}

impl Toml<'_> {
    pub(super) fn assessment(&mut self) -> Option<Base> {
        let doc = match toml_edit::Document::parse(self.text) {
            Ok(doc) => doc,
            Err(e) => {
                let message = e.message().trim_end().to_owned();
                let message = if message.starts_with("expected") || message.starts_with("invalid") {
                    message
                } else {
                    format!("invalid TOML: {message}")
                };
                self.error(e.span(), "(syntax)", message);
                return None;
            }
        };
        let root = doc.as_table();
        self.keys(root, "", &TOP_KEYS);
        let errors_before = self.error_count();

        let report = self.report(root);
        let simulation = self.simulation(root);
        let horizon = self.horizon(root);
        let (method, kappa, pair_default, composability_span) = self.composability(root);
        let categories = self.categories(root);
        let thresholds = self.thresholds(root);
        let ids = category_keys(self.text).unwrap_or_default();
        let scenarios = self.scenarios(root, &ids);

        if self.error_count() > errors_before {
            return None;
        }
        Some(Base {
            report: report?,
            simulation: simulation?,
            horizon: horizon?,
            method: method?,
            kappa,
            pair_default,
            categories: categories?,
            thresholds: thresholds?,
            scenarios: scenarios?,
            composability_span,
        })
    }

    pub(super) fn report(&mut self, root: &dyn TableLike) -> Option<ReportMeta> {
        let t = self.table(root, "report", "", None)?;
        let anchor = span_of(root, "report");
        self.keys(t, "report", &REPORT_KEYS);
        let title = self.nonempty_string(t, "title", "report", anchor.clone());
        let version = self
            .string(t, "version", "report", true, anchor.clone())
            .and_then(|(s, span)| match Version::parse(&s) {
                Ok(v) => Some(v),
                Err(message) => {
                    let d = self.diag(span, "report.version", message).with_hint(
                        "versions look like `0.1.0`; the output goes to report/v<version>/",
                    );
                    self.push(d);
                    None
                }
            });
        let date = self.date(t, "date", "report", anchor.clone());
        let authors = self.string_array(t, "authors", "report", true, anchor.clone());
        let release_date = self.date(t, "release_date", "report", anchor.clone());
        let keywords = self.string_array(t, "keywords", "report", false, anchor.clone());
        let scope = match t.get("scope") {
            Some(_) => self
                .string(t, "scope", "report", false, anchor)
                .map(|s| s.0),
            None => Some(String::new()),
        };
        Some(ReportMeta {
            title: title?,
            version: version?,
            date: date?,
            authors: authors?,
            release_date: release_date?,
            keywords: keywords?,
            scope: scope?,
        })
    }

    pub(super) fn simulation(&mut self, root: &dyn TableLike) -> Option<Simulation> {
        let t = self.table(root, "simulation", "", None)?;
        let anchor = span_of(root, "simulation");
        self.keys(t, "simulation", &SIMULATION_KEYS);
        let samples = self
            .integer(t, "samples", "simulation", anchor.clone())
            .and_then(|(n, span)| {
                if n >= 1 && n as u64 <= MAX_SAMPLES {
                    Some(n as u64)
                } else {
                    let d = self
                        .diag(
                            span,
                            "simulation.samples",
                            format!("expected a sample count from 1 to {MAX_SAMPLES}, found {n}"),
                        )
                        .with_hint("100000 samples give quantiles to about 1% relative error");
                    self.push(d);
                    None
                }
            });
        let seed = self
            .integer(t, "seed", "simulation", anchor)
            .and_then(|(n, span)| {
                if n >= 0 {
                    Some(n as u64)
                } else {
                    self.error(
                        span,
                        "simulation.seed",
                        format!("expected a seed of 0 or more, found {n}"),
                    );
                    None
                }
            });
        Some(Simulation {
            samples: samples?,
            seed: seed?,
        })
    }

    pub(super) fn horizon(&mut self, root: &dyn TableLike) -> Option<Horizon> {
        let t = self.table(root, "horizon", "", None)?;
        let anchor = span_of(root, "horizon");
        self.keys(t, "horizon", &HORIZON_KEYS);
        let months = self.integer(t, "months", "horizon", anchor.clone());
        let step = self.integer(t, "step_months", "horizon", anchor);
        let (months, months_span) = months?;
        let (step, step_span) = step?;
        let mut ok = true;
        if !(1..=MAX_HORIZON_MONTHS).contains(&months) {
            self.error(
                months_span,
                "horizon.months",
                format!("expected a horizon from 1 to {MAX_HORIZON_MONTHS} months, found {months}"),
            );
            ok = false;
        }
        if step < 1 {
            self.error(
                step_span.clone(),
                "horizon.step_months",
                format!("expected a step of at least 1 month, found {step}"),
            );
            ok = false;
        }
        if ok && months % step != 0 {
            let divisors: Vec<String> = (1..=months)
                .filter(|d| months % d == 0 && *d <= 12)
                .map(|d| d.to_string())
                .collect();
            let d = self
                .diag(
                    step_span,
                    "horizon.step_months",
                    format!(
                        "expected a step that divides the horizon of {months} months, found {step}"
                    ),
                )
                .with_hint(format!(
                    "steps that divide {months}: {}",
                    divisors.join(", ")
                ));
            self.push(d);
            ok = false;
        }
        ok.then_some(Horizon {
            months: months as u32,
            step_months: step as u32,
        })
    }

    pub(super) fn composability(
        &mut self,
        root: &dyn TableLike,
    ) -> (
        Option<Method>,
        Option<Estimate>,
        Option<Estimate>,
        Option<Range<usize>>,
    ) {
        let Some(t) = self.table(root, "composability", "", None) else {
            return (None, None, None, None);
        };
        let anchor = span_of(root, "composability");
        self.keys(t, "composability", &COMPOSABILITY_KEYS);
        let method = self.method(t, "composability", anchor.clone());
        let kappa = self.estimate(t, "kappa", "composability", false, None);
        let kappa = self.unit_interval(kappa, span_of(t, "kappa"), "composability.kappa");
        let pair_default = self.estimate(t, "pair_default", "composability", false, None);
        let pair_default = self.unit_interval(
            pair_default,
            span_of(t, "pair_default"),
            "composability.pair_default",
        );
        (method, kappa, pair_default, anchor)
    }

    pub(super) fn method(
        &mut self,
        t: &dyn TableLike,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<Method> {
        let (name, span) = self.string(t, "method", path, true, anchor)?;
        if let Some(m) = Method::from_name(&name) {
            return Some(m);
        }
        let d = self
            .diag(
                span,
                &join(path, "method"),
                format!("expected one of {}, found `{name}`", list(&Method::NAMES)),
            )
            .with_hint_opt(
                did_you_mean(&name, Method::NAMES).map(|s| format!("did you mean `{s}`?")),
            );
        self.push(d);
        None
    }

    pub(super) fn categories(&mut self, root: &dyn TableLike) -> Option<Vec<Category>> {
        let t = self.table(root, "categories", "", None)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (id, item) in t.iter() {
            let path = format!("categories.{id}");
            let key_span = t.key(id).and_then(toml_edit::Key::span);
            if !valid_id(id) {
                self.error(
                    key_span.clone(),
                    &path,
                    format!(
                        "expected a category id of lower-case letters, digits and `_`, found `{id}`"
                    ),
                );
                ok = false;
            }
            let Some(c) = item.as_table_like() else {
                self.error(
                    key_span,
                    &path,
                    format!("expected a table [{path}], found {}", type_name(item)),
                );
                ok = false;
                continue;
            };
            match self.category(id, c, &path, key_span) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        if out.is_empty() && ok {
            let d = self
                .diag(
                    span_of(root, "categories"),
                    "categories",
                    "expected at least one category, found none",
                )
                .with_hint("add a table such as [categories.scaffolding]");
            self.push(d);
            return None;
        }
        ok.then_some(out)
    }

    pub(super) fn category(
        &mut self,
        id: &str,
        t: &dyn TableLike,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<Category> {
        self.keys(t, path, &CATEGORY_KEYS);
        let label = self.nonempty_string(t, "label", path, anchor.clone());
        let available = self.estimate(t, "available", path, true, anchor.clone());
        let available = self.positive_multiplier(available, t, "available", path);
        let elicited = if t.contains_key("elicited") {
            let e = self.estimate(t, "elicited", path, false, None);
            self.positive_multiplier(e, t, "elicited", path)
        } else {
            Some(Estimate::point(1.0).expect("1 is finite"))
        };
        let growth = self.growth(t, path, anchor.clone());
        let cap = if t.contains_key("cap") {
            let e = self.estimate(t, "cap", path, false, None);
            self.positive_multiplier(e, t, "cap", path).map(Some)
        } else {
            Some(None)
        };
        let rationale = match t.get("rationale") {
            Some(_) => self.string(t, "rationale", path, false, None).map(|s| s.0),
            None => Some(String::new()),
        };
        if rationale.as_ref().is_some_and(|r| r.trim().is_empty()) {
            let d = self
                .diag(
                    anchor,
                    &join(path, "rationale"),
                    "expected a rationale for the category's estimates, found none",
                )
                .with_hint("say where each value comes from, or why it is an assumption")
                .warning();
            self.push(d);
        }
        Some(Category {
            id: id.to_owned(),
            label: label?,
            available: available?,
            elicited: elicited?,
            growth: growth?,
            cap: cap?,
            rationale: rationale?,
        })
    }

    pub(super) fn growth(
        &mut self,
        t: &dyn TableLike,
        path: &str,
        anchor: Option<Range<usize>>,
    ) -> Option<Growth> {
        let v = self.value(t, "growth", path, true, anchor)?;
        if v.as_str().is_some_and(|s| s.trim() == "fit") {
            return Some(Growth::Fit);
        }
        self.estimate_value(v, &join(path, "growth"))
            .map(Growth::Estimate)
    }

    pub(super) fn thresholds(&mut self, root: &dyn TableLike) -> Option<Vec<Threshold>> {
        let Some(item) = root.get("thresholds") else {
            let d = self
                .diag(
                    None,
                    "thresholds",
                    "expected at least one [[thresholds]] entry, found none",
                )
                .with_hint("add for example [[thresholds]] with label = \"4x\", multiplier = 4");
            self.push(d);
            return None;
        };
        let Some(array) = item.as_array_of_tables() else {
            self.error(
                span_of(root, "thresholds"),
                "thresholds",
                format!(
                    "expected an array of tables [[thresholds]], found {}",
                    type_name(item)
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, t) in array.iter().enumerate() {
            let path = format!("thresholds[{i}]");
            let anchor = t.span();
            self.keys(t, &path, &THRESHOLD_KEYS);
            let label = self.nonempty_string(t, "label", &path, anchor.clone());
            let multiplier = self.value(t, "multiplier", &path, true, anchor.clone()).and_then(|v| {
                let x = v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
                match x {
                    Some(x) if x > 1.0 && x.is_finite() => Some(x),
                    Some(x) => {
                        let d = self
                            .diag(
                                v.span(),
                                &join(&path, "multiplier"),
                                format!(
                                    "expected a threshold multiplier above 1, found {}",
                                    format_number(x)
                                ),
                            )
                            .with_hint("a threshold is a growth of effective compute, such as 4 for 4x");
                        self.push(d);
                        None
                    }
                    None => {
                        self.error(
                            v.span(),
                            &join(&path, "multiplier"),
                            format!("expected a number, found {}", value_type(v)),
                        );
                        None
                    }
                }
            });
            let policy = match t.get("policy") {
                Some(_) => self.string(t, "policy", &path, false, None).map(|s| s.0),
                None => {
                    let d = self
                        .diag(
                            anchor,
                            &join(&path, "policy"),
                            "expected the policy this threshold comes from, found none",
                        )
                        .with_hint("add `policy = \"...\"` naming the policy and its source")
                        .warning();
                    self.push(d);
                    Some(String::new())
                }
            };
            match (label, multiplier, policy) {
                (Some(label), Some(multiplier), Some(policy)) => out.push(Threshold {
                    label,
                    multiplier,
                    policy,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }
}
