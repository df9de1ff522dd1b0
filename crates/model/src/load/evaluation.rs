//! assessment.toml's `[evaluation]`: the pre-release evaluation the `elicited` estimates stand
//! for, and `[evaluation.profiles.<id>]`, other evaluations the headline is also given for.

use toml_edit::{Item, TableLike, Value};

use super::toml::{Toml, span_of, type_name};
use crate::assessment::{Evaluation, EvaluationProfile};
use crate::estimate::Estimate;

/// Per category id, in file order, the estimate a profile gives one of its fields.
type Levels = Vec<(String, Estimate)>;

const EVALUATION_KEYS: [&str; 10] = [
    "description",
    "tools",
    "scaffold",
    "fine_tuning",
    "samples_per_task",
    "scoring",
    "inference_budget",
    "inference_multiple",
    "inference_exchange",
    "profiles",
];
const PROFILE_KEYS: [&str; 3] = ["label", "description", "categories"];

impl Toml<'_> {
    /// The optional `[evaluation]` table; `None` when absent or wrong, the errors pushed (the
    /// caller refuses the assessment on any).
    pub(super) fn evaluation(&mut self, root: &dyn TableLike) -> Option<Evaluation> {
        root.get("evaluation")?;
        let t = self.section(root, "evaluation", &EVALUATION_KEYS)?;
        let description = self.nonempty_string(&t, "description");
        let tools = self.optional_string(&t, "tools");
        let scaffold = self.optional_string(&t, "scaffold");
        let fine_tuning = match t.table.get("fine_tuning") {
            None => Some(None),
            Some(_) => self
                .typed(&t, "fine_tuning", false, "true or false", Value::as_bool)
                .map(|(b, _)| Some(b)),
        };
        let samples_per_task = match t.table.get("samples_per_task") {
            None => Some(None),
            Some(_) => {
                self.integer(&t, "samples_per_task")
                    .and_then(|(n, span)| match u32::try_from(n) {
                        Ok(n) if n >= 1 => Some(Some(n)),
                        _ => {
                            let d = self
                                .diag(
                                    span,
                                    "evaluation.samples_per_task",
                                    format!(
                                        "expected a whole number of samples of 1 or more, found {n}"
                                    ),
                                )
                                .with_hint("1 for pass@1; 10 for best-of-10 or pass@10");
                            self.push(d);
                            None
                        }
                    })
            }
        };
        let scoring = self.optional_string(&t, "scoring");
        let inference_budget = self.optional_string(&t, "inference_budget");
        let inference_multiple = if t.table.contains_key("inference_multiple") {
            let e = self.estimate(&t, "inference_multiple", false);
            self.positive_multiplier(e, &t, "inference_multiple")
                .map(Some)
        } else {
            Some(None)
        };
        let inference_exchange = if t.table.contains_key("inference_exchange") {
            let e = self.estimate(&t, "inference_exchange", false);
            self.positive_multiplier(e, &t, "inference_exchange")
        } else {
            Some(Estimate::parse(Evaluation::DEFAULT_EXCHANGE).expect("the default parses"))
        };
        let profiles = match t.table.get("profiles") {
            None => Some(Vec::new()),
            Some(item) => match item.as_table_like() {
                Some(p) => self.profiles(root, p),
                None => {
                    self.error(
                        span_of(t.table, "profiles"),
                        "evaluation.profiles",
                        format!(
                            "expected a table of evaluation profiles, found {}",
                            type_name(item)
                        ),
                    );
                    None
                }
            },
        };
        Some(Evaluation {
            description: description?.trim().to_owned(),
            tools: tools?,
            scaffold: scaffold?,
            fine_tuning: fine_tuning?,
            samples_per_task: samples_per_task?,
            scoring: scoring?,
            inference_budget: inference_budget?,
            inference_multiple: inference_multiple?,
            inference_exchange: inference_exchange?,
            profiles: profiles?,
        })
    }

    /// `[evaluation.profiles.<id>]`: other evaluations the headline is also given for, each
    /// a label, a description and the `elicited` levels it changes.
    fn profiles(
        &mut self,
        root: &dyn TableLike,
        table: &dyn TableLike,
    ) -> Option<Vec<EvaluationProfile>> {
        let category_ids: Vec<String> = root
            .get("categories")
            .and_then(Item::as_table_like)
            .map(|c| c.iter().map(|(k, _)| k.to_owned()).collect())
            .unwrap_or_default();
        let ids: Vec<&str> = category_ids.iter().map(String::as_str).collect();
        self.id_tables(table, "evaluation.profiles", "profile", |toml, id, t| {
            toml.keys(t.table, &t.path, &PROFILE_KEYS);
            let errors_before = toml.error_count();
            let label = toml.nonempty_string(t, "label");
            let description = toml.nonempty_string(t, "description");
            let mut elicited = Vec::new();
            let mut gap = Vec::new();
            match t.table.get("categories") {
                None => {}
                Some(item) => match item.as_table_like() {
                    Some(cats) => {
                        let out = (&mut elicited, &mut gap);
                        toml.profile_elicited(cats, &t.field("categories"), &ids, out);
                    }
                    None => toml.error(
                        span_of(t.table, "categories"),
                        &t.field("categories"),
                        format!(
                            "expected a table of category overrides, found {}",
                            type_name(item)
                        ),
                    ),
                },
            }
            if toml.error_count() > errors_before {
                return None;
            }
            Some(EvaluationProfile {
                id: id.to_owned(),
                label: label?.trim().to_owned(),
                description: description?.trim().to_owned(),
                elicited,
                gap,
            })
        })
    }

    /// A profile's `categories.<id>.elicited` and `categories.<id>.gap` values: what an
    /// evaluation changes is what it captured, so these are the only fields a profile sets.
    fn profile_elicited(
        &mut self,
        cats: &dyn TableLike,
        path: &str,
        category_ids: &[&str],
        (elicited, gap): (&mut Levels, &mut Levels),
    ) {
        let tables = self.category_tables(
            cats,
            path,
            category_ids,
            "a profile to change",
            "a table with `gap` or `elicited`",
        );
        for (cid, t) in tables {
            self.unknown_keys(t.table, &t.path, &["elicited", "gap"], |key| {
                format!(
                    "expected a profile to change `gap` or `elicited` only, found `{key}`: a \
                     profile describes an evaluation, which changes what was elicited, not what \
                     is available"
                )
            });
            if t.table.contains_key("gap") && t.table.contains_key("elicited") {
                self.error(
                    span_of(t.table, "elicited"),
                    &t.field("elicited"),
                    "expected either `gap` or `elicited`, found both".to_owned(),
                );
                continue;
            }
            if t.table.contains_key("elicited") {
                let e = self.estimate(&t, "elicited", true);
                if let Some(e) = self.positive_multiplier(e, &t, "elicited") {
                    if !super::gap::is_none_elicited(&e) {
                        self.clamped_elicited_warning(&t, &e);
                    }
                    elicited.push((cid.to_owned(), e));
                }
            }
            if t.table.contains_key("gap")
                && let Some(e) = self.gap(&t)
            {
                gap.push((cid.to_owned(), e));
            }
        }
    }
}
