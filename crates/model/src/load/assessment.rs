//! assessment.toml: the sections `[report]`, `[evaluation]`, `[simulation]`, `[horizon]`, `[composability]`,
//! `[categories.<id>]` and `[[thresholds]]`, read into the base case (with the definitions of
//! `[scopes]` and `[scenarios]`, which `scenarios.rs` reads).

use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

use super::gap::is_none_elicited;
use super::scenarios::ScenarioDef;
use super::toml::{Share, Table, Toml, category_keys, found_range, list, span_of, type_name};
use crate::assessment::{
    Available, Category, ContextFigure, Evaluation, Growth, GrowthShape, Horizon, MAX_SAMPLES,
    Method, Model, ReportMeta, Simulation, Threshold, Version,
};
use crate::diagnostic::did_you_mean_hint;
use crate::estimate::{Estimate, format_number};

const TOP_KEYS: [&str; 11] = [
    "report",
    "evaluation",
    "simulation",
    "horizon",
    "composability",
    "inference",
    "categories",
    "thresholds",
    "scopes",
    "scenarios",
    "context",
];
const CONTEXT_KEYS: [&str; 3] = ["label", "per_year", "source"];
const REPORT_KEYS: [&str; 8] = [
    "title",
    "version",
    "date",
    "authors",
    "release_date",
    "keywords",
    "scope",
    "changes",
];
const SIMULATION_KEYS: [&str; 7] = [
    "samples",
    "seed",
    "correlation",
    "growth_correlation",
    "available_elicited_correlation",
    "growth_shape",
    "saturation_years",
];
const HORIZON_KEYS: [&str; 2] = ["months", "step_months"];
const COMPOSABILITY_KEYS: [&str; 7] = [
    "method",
    "kappa",
    "kappa_alternative",
    "pair_default",
    "learn",
    "combination_sd",
    "ceiling",
];
/// The keys of a category table that hold its values, the ones a scenario or a scope may
/// override; `[categories.<id>]` adds `label` and `rationale`.
pub(super) const CATEGORY_VALUE_KEYS: [&str; 7] = [
    "available",
    "elicited",
    "gap",
    "lag_months",
    "growth",
    "cap",
    "inference_cost",
];
const THRESHOLD_KEYS: [&str; 10] = [
    "label",
    "clause",
    "multiplier",
    "policy",
    "cadence_months",
    "tolerance",
    "policy_name",
    "policy_version",
    "policy_date",
    "superseded_by",
];

/// The longest horizon an assessment may project, in months.
pub const MAX_HORIZON_MONTHS: i64 = 600;

/// The base case as read from assessment.toml, before the CSV files are joined in.
pub(super) struct Base {
    pub(super) report: ReportMeta,
    pub(super) simulation: Simulation,
    pub(super) model: Model,
    pub(super) horizon: Horizon,
    pub(super) method: Method,
    pub(super) kappa: Option<Estimate>,
    pub(super) kappa_alternative: Option<Estimate>,
    pub(super) pair_default: Option<Estimate>,
    pub(super) learn: bool,
    pub(super) combination_sd: Option<Estimate>,
    pub(super) categories: Vec<Category>,
    pub(super) thresholds: Vec<Threshold>,
    pub(super) context: Vec<ContextFigure>,
    pub(super) evaluation: Option<Evaluation>,
    pub(super) scopes: Vec<ScenarioDef>,
    pub(super) scenarios: Vec<ScenarioDef>,
    /// Where `[composability]` is, for diagnostics that concern it as a whole.
    pub(super) composability_span: Option<Range<usize>>,
    pub(super) inference: Option<crate::inference::InferenceInputs>,
}

impl Toml<'_> {
    /// assessment.toml; `clauses` are the clauses of policies.toml its thresholds may name
    /// (`None` when that file has errors, so references are not checked), `registry` whether
    /// the inputs have the file at all.
    pub(super) fn assessment(
        &mut self,
        clauses: Option<&[crate::policies::Clause]>,
        registry: bool,
    ) -> Option<Base> {
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
        let evaluation = self.evaluation(root);
        let simulation = self.simulation(root);
        let horizon = self.horizon(root);
        let (method, kappa, pair_default, composability_span) = self.composability(root);
        let kappa_alternative = self.kappa_alternative(root, method);
        let model = self.model(root);
        let (learn, combination_sd) = self.learning(root, method);
        let categories = self.categories(root);
        if let (Some(model), Some(categories)) = (&model, &categories) {
            self.saturating_caps(root, model, categories);
        }
        let thresholds = self.thresholds(root, horizon.map(|h| h.months), (clauses, registry));
        let context = self.context(root);
        let ids = category_keys(self.text).unwrap_or_default();
        let scopes = self.scopes(root, &ids);
        let scenarios = self.scenarios(root, &ids);
        let inference = self.inference(root);

        if self.error_count() > errors_before {
            return None;
        }
        Some(Base {
            report: report?,
            simulation: simulation?,
            model: model?,
            horizon: horizon?,
            method: method?,
            kappa,
            kappa_alternative,
            pair_default,
            learn,
            combination_sd,
            categories: categories?,
            thresholds: thresholds?,
            context: context?,
            evaluation,
            scopes: scopes?,
            scenarios: scenarios?,
            composability_span,
            inference,
        })
    }

    pub(super) fn report(&mut self, root: &dyn TableLike) -> Option<ReportMeta> {
        let t = self.section(root, "report", &REPORT_KEYS)?;
        let title = self.nonempty_string(&t, "title");
        let version =
            self.string(&t, "version", true)
                .and_then(|(s, span)| match Version::parse(&s) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        let d = self.diag(span, "report.version", e.to_string()).with_hint(
                            "versions look like `0.1.0`; the output goes to report/v<version>/",
                        );
                        self.push(d);
                        None
                    }
                });
        // The report's date is the PDF's timestamp: it needs its day.
        let date = self.date(&t, "date", true);
        let authors = self.string_array(&t, "authors", true);
        let release_date = self.date(&t, "release_date", false);
        let keywords = self.string_array(&t, "keywords", false);
        let scope = self.optional_string(&t, "scope");
        let changes = self
            .optional_string(&t, "changes")
            .map(|s| (!s.trim().is_empty()).then(|| s.trim().to_owned()));
        Some(ReportMeta {
            title: title?,
            version: version?,
            date: date?,
            authors: authors?,
            release_date: release_date?,
            keywords: keywords?,
            scope: scope?,
            changes: changes?,
        })
    }

    pub(super) fn simulation(&mut self, root: &dyn TableLike) -> Option<Simulation> {
        let t = self.section(root, "simulation", &SIMULATION_KEYS)?;
        let samples = self.integer(&t, "samples").and_then(|(n, span)| {
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
        let seed = self.integer(&t, "seed").and_then(|(n, span)| {
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

    /// The model keys of `[simulation]` (the correlations, the growth shape and its time
    /// constant) and `[composability] ceiling`; every key is optional.
    pub(super) fn model(&mut self, root: &dyn TableLike) -> Option<Model> {
        let mut model = Model::default();
        let mut ok = true;
        if let Some(table) = root.get("simulation").and_then(Item::as_table_like) {
            let t = Table::new(table, "simulation", None);
            for key in [
                "correlation",
                "growth_correlation",
                "available_elicited_correlation",
            ] {
                if !table.contains_key(key) {
                    continue;
                }
                let e = self.estimate(&t, key, false);
                match self.unit_interval(e, span_of(table, key), &t.field(key), Share::Correlation)
                {
                    Some(e) => match key {
                        "correlation" => model.correlation = e,
                        "growth_correlation" => model.growth_correlation = e,
                        _ => model.available_elicited_correlation = e,
                    },
                    None => ok = false,
                }
            }
            let mut shape_ok = true;
            if table.contains_key("growth_shape") {
                match self.string(&t, "growth_shape", false) {
                    Some((name, span)) => match GrowthShape::from_name(&name) {
                        Some(shape) => model.growth_shape = shape,
                        None => {
                            let d = self
                                .diag(
                                    span,
                                    "simulation.growth_shape",
                                    format!(
                                        "expected one of {}, found `{name}`",
                                        list(&GrowthShape::NAMES)
                                    ),
                                )
                                .with_hint_opt(did_you_mean_hint(&name, GrowthShape::NAMES));
                            self.push(d);
                            shape_ok = false;
                        }
                    },
                    None => shape_ok = false,
                }
            }
            // Whether saturation_years belongs depends on a shape that was understood.
            ok &= shape_ok && self.saturation(&t, &mut model);
        }
        if let Some(table) = root.get("composability").and_then(Item::as_table_like)
            && table.contains_key("ceiling")
        {
            let t = Table::new(table, "composability", None);
            let e = self.estimate(&t, "ceiling", false);
            match e {
                Some(e) if e.is_strictly_positive() => model.ceiling = Some(e),
                Some(e) => {
                    let d = self
                        .diag(
                            span_of(table, "ceiling"),
                            "composability.ceiling",
                            format!(
                                "expected a ceiling multiplier greater than 0, found {}",
                                found_range(&e)
                            ),
                        )
                        .with_hint(
                            "the ceiling bounds the combined CEG of every category: write a \
                             positive number or a positive interval such as `300 to 30000`",
                        );
                    self.push(d);
                    ok = false;
                }
                None => ok = false,
            }
        }
        ok.then_some(model)
    }

    /// With saturating growth, every category needs the cap its level approaches.
    fn saturating_caps(&mut self, root: &dyn TableLike, model: &Model, categories: &[Category]) {
        if model.growth_shape != GrowthShape::Saturating {
            return;
        }
        let table = root.get("categories").and_then(Item::as_table_like);
        for c in categories.iter().filter(|c| c.cap.is_none()) {
            let span = table
                .and_then(|t| t.key(&c.id))
                .and_then(toml_edit::Key::span);
            let d = self
                .diag(
                    span,
                    &format!("categories.{}.cap", c.id),
                    format!(
                        "expected a cap on category `{}`, which saturating growth approaches, \
                         found none",
                        c.id
                    ),
                )
                .with_hint(
                    "add cap = \"30 to 300\" (say) to the category, or use growth_shape = \
                     \"linear\"",
                );
            self.push(d);
        }
    }

    /// `saturation_years`: required with `growth_shape = "saturating"`, refused without it.
    fn saturation(&mut self, t: &Table<'_>, model: &mut Model) -> bool {
        let given = t.table.contains_key("saturation_years");
        let saturating = model.growth_shape == GrowthShape::Saturating;
        if given && !saturating {
            let d = self
                .diag(
                    span_of(t.table, "saturation_years"),
                    "simulation.saturation_years",
                    "expected `saturation_years` only with growth_shape = \"saturating\", found it \
                     with linear growth",
                )
                .with_hint("add growth_shape = \"saturating\", or remove saturation_years");
            self.push(d);
            return false;
        }
        if !saturating {
            return true;
        }
        if !given {
            let d = self
                .diag(
                    span_of(t.table, "growth_shape"),
                    "simulation.saturation_years",
                    "expected `saturation_years` beside growth_shape = \"saturating\", found none",
                )
                .with_hint(
                    "add saturation_years, the time constant in years: after it a category has \
                     covered 63% of the way from its level at release to its cap",
                );
            self.push(d);
            return false;
        }
        let Some(e) = self.estimate(t, "saturation_years", false) else {
            return false;
        };
        if e.is_strictly_positive() {
            model.saturation_years = Some(e);
            return true;
        }
        let d = self
            .diag(
                span_of(t.table, "saturation_years"),
                "simulation.saturation_years",
                format!(
                    "expected a time constant greater than 0 years, found {}",
                    found_range(&e)
                ),
            )
            .with_hint("write a positive number of years or an interval such as `1 to 5`");
        self.push(d);
        false
    }

    pub(super) fn horizon(&mut self, root: &dyn TableLike) -> Option<Horizon> {
        let t = self.section(root, "horizon", &HORIZON_KEYS)?;
        let months = self.integer(&t, "months");
        let step = self.integer(&t, "step_months");
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
        let Some(t) = self.section(root, "composability", &COMPOSABILITY_KEYS) else {
            return (None, None, None, None);
        };
        let method = self.method(&t);
        let kappa = self.estimate(&t, "kappa", false);
        let kappa = self.unit_interval(
            kappa,
            span_of(t.table, "kappa"),
            "composability.kappa",
            Share::Composability,
        );
        let pair_default = self.estimate(&t, "pair_default", false);
        let pair_default = self.unit_interval(
            pair_default,
            span_of(t.table, "pair_default"),
            "composability.pair_default",
            Share::Composability,
        );
        (method, kappa, pair_default, t.anchor)
    }

    /// `kappa_alternative` of `[composability]`: another prior of kappa, in `[0, 1]`, refused
    /// for a method without kappa.
    pub(super) fn kappa_alternative(
        &mut self,
        root: &dyn TableLike,
        method: Option<Method>,
    ) -> Option<Estimate> {
        let table = root.get("composability").and_then(Item::as_table_like)?;
        let t = Table {
            table,
            path: "composability".to_owned(),
            anchor: None,
        };
        let span = span_of(table, "kappa_alternative");
        let alternative = self.estimate(&t, "kappa_alternative", false);
        let alternative = self.unit_interval(
            alternative,
            span.clone(),
            "composability.kappa_alternative",
            Share::Composability,
        )?;
        match method {
            Some(Method::LargestFirst) | None => Some(alternative),
            Some(other) => {
                let d = self
                    .diag(
                        span,
                        "composability.kappa_alternative",
                        format!(
                            "expected method = \"largest-first\" with `kappa_alternative`, found \
                             `{}`",
                            other.name()
                        ),
                    )
                    .with_hint(
                        "kappa_alternative is another prior of kappa, which only largest-first \
                         draws; remove it for this method",
                    );
                self.push(d);
                None
            }
        }
    }

    /// `learn` and `combination_sd` of `[composability]`: whether composability (kappa, or the
    /// informed pairs) is learned from the measured combinations, and how far a measured joint CEG strays from the rule (log10).
    pub(super) fn learning(
        &mut self,
        root: &dyn TableLike,
        method: Option<Method>,
    ) -> (bool, Option<Estimate>) {
        let Some(table) = root.get("composability").and_then(Item::as_table_like) else {
            return (false, None);
        };
        let t = Table {
            table,
            path: "composability".to_owned(),
            anchor: None,
        };
        let learn = self.boolean(&t, "learn");
        let sd = self.estimate(&t, "combination_sd", false);
        let sd = sd.and_then(|e| {
            if e.is_strictly_positive() {
                return Some(e);
            }
            let d = self
                .diag(
                    span_of(table, "combination_sd"),
                    "composability.combination_sd",
                    format!(
                        "expected a standard deviation greater than 0 (in log10), found {}",
                        found_range(&e)
                    ),
                )
                .with_hint("write a positive number (`0.1`: a tenth of an order of magnitude) or a positive interval such as `0.05 to 0.3`");
            self.push(d);
            None
        });
        let Some((true, span)) = learn else {
            return (false, sd);
        };
        if table.get("combination_sd").is_none() {
            let d = self
                .diag(
                    span.clone(),
                    "composability.learn",
                    "expected `combination_sd` beside `learn = true`, found none",
                )
                .with_hint("add combination_sd, the standard deviation in log10 of a measured joint CEG around the rule, such as `combination_sd = \"0.05 to 0.3\"`");
            self.push(d);
        }
        if let Some(m) = method.filter(|m| !matches!(m, Method::LargestFirst | Method::Pairwise)) {
            let d = self
                .diag(
                    span,
                    "composability.learn",
                    format!(
                        "expected method = \"largest-first\" or \"pairwise\" with `learn = true`, found `{}`",
                        m.name()
                    ),
                )
                .with_hint("learning is implemented for the kappa of largest-first and the pairs of pairwise; set learn = false for another method");
            self.push(d);
        }
        (true, sd)
    }

    /// `method`: the name of a composability method.
    pub(super) fn method(&mut self, t: &Table<'_>) -> Option<Method> {
        let (name, span) = self.string(t, "method", true)?;
        if let Some(m) = Method::from_name(&name) {
            return Some(m);
        }
        let d = self
            .diag(
                span,
                &t.field("method"),
                format!("expected one of {}, found `{name}`", list(&Method::NAMES)),
            )
            .with_hint_opt(did_you_mean_hint(&name, Method::NAMES));
        self.push(d);
        None
    }

    pub(super) fn categories(&mut self, root: &dyn TableLike) -> Option<Vec<Category>> {
        let t = self.table(root, "categories")?;
        let out = self.id_tables(t, "categories", "category", Self::category)?;
        if out.is_empty() {
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
        Some(out)
    }

    /// `[categories.<id>]`.
    pub(super) fn category(&mut self, id: &str, t: &Table<'_>) -> Option<Category> {
        let keys: Vec<&str> = std::iter::once("label")
            .chain(CATEGORY_VALUE_KEYS)
            .chain(["rationale", "infer"])
            .collect();
        self.keys(t.table, &t.path, &keys);
        let label = self.nonempty_string(t, "label");
        let available = self.available(t);
        let elicited = if t.table.contains_key("elicited") {
            let e = self.estimate(t, "elicited", false);
            self.positive_multiplier(e, t, "elicited")
        } else {
            Some(Estimate::point(1.0).expect("1 is finite"))
        };
        let gap = if t.table.contains_key("gap") {
            self.gap(t).map(Some)
        } else {
            Some(None)
        };
        if t.table.contains_key("gap") && t.table.contains_key("elicited") {
            let d = self
                .diag(
                    span_of(t.table, "elicited"),
                    &t.field("elicited"),
                    "expected either `gap` or `elicited`, found both",
                )
                .with_hint(
                    "`gap` states how far the available level exceeds what the evaluation \
                     captured; remove `elicited`",
                );
            self.push(d);
        } else if let Some(e) = elicited.as_ref().filter(|e| !is_none_elicited(e)) {
            self.clamped_elicited_warning(t, e);
        }
        let lag_months = if t.table.contains_key("lag_months") {
            self.lag(t).map(Some)
        } else {
            Some(None)
        };
        let growth = self.growth(t);
        let cap = if t.table.contains_key("cap") {
            let e = self.estimate(t, "cap", false);
            self.positive_multiplier(e, t, "cap").map(Some)
        } else {
            Some(None)
        };
        if let (Some(Available::Estimate(a)), Some(Some(c))) = (&available, &cap) {
            self.cap_below_available(t, a, c);
        }
        let inference_cost = if t.table.contains_key("inference_cost") {
            let e = self.estimate(t, "inference_cost", false);
            self.positive_multiplier(e, t, "inference_cost").map(Some)
        } else {
            Some(None)
        };
        let infer = match self.boolean(t, "infer") {
            Some((b, _)) => Some(b),
            None if t.table.contains_key("infer") => None,
            None => Some(true),
        };
        let rationale = self.optional_string(t, "rationale");
        if rationale.as_ref().is_some_and(|r| r.trim().is_empty()) {
            let d = self
                .diag(
                    t.anchor.clone(),
                    &t.field("rationale"),
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
            gap: gap?,
            lag_months: lag_months?,
            growth: growth?,
            cap: cap?,
            inference_cost: inference_cost?,
            rationale: rationale?,
            infer: infer?,
            posterior: None,
        })
    }

    /// A warning when the cap's 5th percentile lies below the 95th percentile of `available`:
    /// in those draws the cap binds already at release, so it is cutting the available level,
    /// not only its growth.
    fn cap_below_available(&mut self, t: &Table<'_>, available: &Estimate, cap: &Estimate) {
        let (cap_low, _) = cap.interval90();
        let (_, available_high) = available.interval90();
        // A relative margin, so a cap written from the same figure as the available bound (`30`
        // and `3 to 30`) does not warn on the rounding of its quantile.
        if cap_low < available_high * (1.0 - 1e-9) {
            let d = self
                .diag(
                    span_of(t.table, "cap"),
                    &t.field("cap"),
                    format!(
                        "expected a cap above the available level, found a cap whose 5th percentile ({}) is below the 95th percentile of `available` ({})",
                        crate::estimate::sentence_number(cap_low),
                        crate::estimate::sentence_number(available_high),
                    ),
                )
                .with_hint("in those draws the cap binds at release; raise the cap or say why in the rationale")
                .warning();
            self.push(d);
        }
    }

    /// `available`: a positive estimate, or `elicited`.
    fn available(&mut self, t: &Table<'_>) -> Option<Available> {
        let v = self.value(t, "available", true)?;
        self.available_value(v, t)
    }

    /// An available value in the table `t`: `elicited`, or a positive estimate.
    pub(super) fn available_value(&mut self, v: &Value, t: &Table<'_>) -> Option<Available> {
        if let Some(text) = v.as_str() {
            let text = text.trim();
            if text == Available::ELICITED {
                return Some(Available::Elicited);
            }
            let hint = did_you_mean_hint(text, [Available::ELICITED]);
            if hint.is_some() && Estimate::parse(text).is_err() {
                let d = self
                    .diag(
                        v.span(),
                        &t.field("available"),
                        format!(
                            "expected a multiplier estimate or `{}`, found `{text}`",
                            Available::ELICITED
                        ),
                    )
                    .with_hint_opt(hint);
                self.push(d);
                return None;
            }
        }
        let e = self.estimate_value(v, &t.field("available"));
        self.positive_multiplier(e, t, "available")
            .map(Available::Estimate)
    }

    /// `growth`: an estimate, or `fit`.
    pub(super) fn growth(&mut self, t: &Table<'_>) -> Option<Growth> {
        let v = self.value(t, "growth", true)?;
        self.growth_value(v, &t.field("growth"))
    }

    /// A growth value: `fit`, or an estimate in OOM per year.
    pub(super) fn growth_value(&mut self, v: &Value, field: &str) -> Option<Growth> {
        if v.as_str().is_some_and(|s| s.trim() == "fit") {
            return Some(Growth::Fit);
        }
        self.estimate_value(v, field).map(Growth::Estimate)
    }

    /// `[[thresholds]]`; a cadence is checked against the horizon of `horizon_months` when
    /// the horizon is valid.
    pub(super) fn thresholds(
        &mut self,
        root: &dyn TableLike,
        horizon_months: Option<u32>,
        clauses: (Option<&[crate::policies::Clause]>, bool),
    ) -> Option<Vec<Threshold>> {
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
            let table = Table::new(t, format!("thresholds[{i}]"), t.span());
            match self.threshold(&table, horizon_months, clauses) {
                Some(threshold) => out.push(threshold),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// One `[[thresholds]]` entry.
    fn threshold(
        &mut self,
        t: &Table<'_>,
        horizon_months: Option<u32>,
        clauses: (Option<&[crate::policies::Clause]>, bool),
    ) -> Option<Threshold> {
        self.keys(t.table, &t.path, &THRESHOLD_KEYS);
        if t.table.contains_key("clause") {
            return self.threshold_of_clause(t, horizon_months, clauses);
        }
        let label = self.nonempty_string(t, "label");
        let multiplier = self.threshold_multiplier(t);
        let policy = if t.table.get("policy").is_some() {
            self.string(t, "policy", false).map(|s| s.0)
        } else {
            let d = self
                .diag(
                    t.anchor.clone(),
                    &t.field("policy"),
                    "expected the policy this threshold comes from, found none",
                )
                .with_hint("add `policy = \"...\"` naming the policy and its source")
                .warning();
            self.push(d);
            Some(String::new())
        };
        let errors_before = self.error_count();
        let cadence_months = self.cadence(t, horizon_months);
        let tolerance = self.tolerance(t);
        let policy_name = self.optional_string(t, "policy_name");
        let policy_version = self.optional_string(t, "policy_version");
        let policy_date = if t.table.contains_key("policy_date") {
            self.date(t, "policy_date", false)
        } else {
            None
        };
        let superseded_by = if t.table.contains_key("superseded_by") {
            self.nonempty_string(t, "superseded_by")
        } else {
            Some(String::new())
        };
        if self.error_count() > errors_before {
            return None;
        }
        Some(Threshold {
            label: label?,
            multiplier: multiplier?,
            policy: policy?,
            cadence_months,
            tolerance,
            policy_name: policy_name?,
            policy_version: policy_version?,
            policy_date,
            superseded_by: superseded_by?,
            clause: None,
        })
    }

    /// A threshold's required `multiplier`: a finite number above 1.
    pub(super) fn threshold_multiplier(&mut self, t: &Table<'_>) -> Option<f64> {
        let field = t.field("multiplier");
        self.value(t, "multiplier", true).and_then(|v| {
            let x = v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
            match x {
                Some(x) if x > 1.0 && x.is_finite() => Some(x),
                Some(x) => {
                    let d = self
                        .diag(
                            v.span(),
                            &field,
                            format!(
                                "expected a threshold multiplier above 1, found {}",
                                format_number(x)
                            ),
                        )
                        .with_hint(
                            "a threshold is a growth of effective compute, such as 4 for 4x",
                        );
                    self.push(d);
                    None
                }
                None => {
                    self.wrong_type(v, &field, "a number");
                    None
                }
            }
        })
    }

    /// `[[context]]`: growth rates outside the model, each a multiplier per year above 1 with
    /// its source.
    pub(super) fn context(&mut self, root: &dyn TableLike) -> Option<Vec<ContextFigure>> {
        let Some(item) = root.get("context") else {
            return Some(Vec::new());
        };
        let Some(array) = item.as_array_of_tables() else {
            self.error(
                span_of(root, "context"),
                "context",
                format!(
                    "expected an array of tables [[context]], found {}",
                    type_name(item)
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, t) in array.iter().enumerate() {
            let t = Table::new(t, format!("context[{i}]"), t.span());
            self.keys(t.table, &t.path, &CONTEXT_KEYS);
            let label = self.nonempty_string(&t, "label");
            let source = self.nonempty_string(&t, "source");
            let per_year = self.estimate(&t, "per_year", true).and_then(|e| {
                if e.is_strictly_positive() {
                    return Some(e);
                }
                let d = self
                    .diag(
                        span_of(t.table, "per_year"),
                        &t.field("per_year"),
                        format!(
                            "expected a growth multiplier per year greater than 0, found {}",
                            found_range(&e)
                        ),
                    )
                    .with_hint("write the growth as a multiplier per year, such as `2.83` or `1.8 to 5.3` for algorithmic progress");
                self.push(d);
                None
            });
            match (label, per_year, source) {
                (Some(label), Some(per_year), Some(source)) => out.push(ContextFigure {
                    label,
                    per_year,
                    source,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A threshold's optional `cadence_months`: whole months from 1 to the horizon. `None`
    /// when absent or wrong, with a diagnostic for the latter.
    pub(super) fn cadence(&mut self, t: &Table<'_>, horizon_months: Option<u32>) -> Option<u32> {
        if !t.table.contains_key("cadence_months") {
            return None;
        }
        let (n, span) = self.integer(t, "cadence_months")?;
        let top = horizon_months.map_or(MAX_HORIZON_MONTHS, i64::from);
        if (1..=top).contains(&n) {
            return Some(n as u32);
        }
        let d = self
            .diag(
                span,
                &t.field("cadence_months"),
                format!(
                    "expected a re-evaluation interval from 1 to {top} months (the horizon), \
                     found {n}"
                ),
            )
            .with_hint(
                "the cadence is the policy's scheduled interval between evaluations, such as 6 \
                 for every six months; the projection must reach it",
            );
        self.push(d);
        None
    }

    /// A threshold's optional `tolerance`: a probability in `[0, 1)`. `None` when absent or
    /// wrong, with a diagnostic for the latter.
    pub(super) fn tolerance(&mut self, t: &Table<'_>) -> Option<f64> {
        let v = self.value(t, "tolerance", false)?;
        let field = t.field("tolerance");
        let Some(x) = v.as_float().or_else(|| v.as_integer().map(|i| i as f64)) else {
            self.wrong_type(v, &field, "a probability such as 0.1");
            return None;
        };
        if (0.0..1.0).contains(&x) {
            return Some(x);
        }
        let d = self
            .diag(
                v.span(),
                &field,
                format!(
                    "expected a tolerance from 0 up to (not including) 1, found {}",
                    format_number(x)
                ),
            )
            .with_hint(
                "the tolerance is the acceptable probability of reaching the threshold between \
                 two evaluations: 0.1 for 10%",
            );
        self.push(d);
        None
    }
}
