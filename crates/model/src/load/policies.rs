//! policies.toml: the registry of safety-framework clauses, `[[clause]]` entries each with
//! `[[clause.trigger]]` tables (see [`crate::policies`]).

use super::toml::{Table, Toml, join, list, span_of, type_name, valid_id};
use crate::estimate::format_number;
use crate::policies::{Clause, ClauseGrade, Trigger, Wording};

const TOP_KEYS: [&str; 1] = ["clause"];
const CLAUSE_KEYS: [&str; 11] = [
    "id",
    "framework",
    "version",
    "date",
    "text",
    "paraphrase",
    "locator",
    "source",
    "grade",
    "superseded_by",
    "trigger",
];
const TRIGGER_KINDS: [&str; 3] = ["effective_compute", "elicitation_time", "periodic"];
/// The longest calendar leg a trigger may state, in months: ten years.
pub const MAX_TRIGGER_MONTHS: i64 = 120;

impl Toml<'_> {
    /// The clauses of policies.toml, in file order; `None` when any has an error (every error
    /// pushed).
    pub(super) fn policies(&mut self) -> Option<Vec<Clause>> {
        let doc = match toml_edit::Document::parse(self.text) {
            Ok(doc) => doc,
            Err(e) => {
                let message = format!("invalid TOML: {}", e.message().trim_end());
                self.error(e.span(), "(syntax)", message);
                return None;
            }
        };
        let root = doc.as_table();
        self.keys(root, "", &TOP_KEYS);
        let errors_before = self.error_count();
        let Some(item) = root.get("clause") else {
            return Some(Vec::new());
        };
        let Some(array) = item.as_array_of_tables() else {
            self.error(
                span_of(root, "clause"),
                "clause",
                format!(
                    "expected an array of tables [[clause]], found {}",
                    type_name(item)
                ),
            );
            return None;
        };
        let ids: Vec<String> = array
            .iter()
            .filter_map(|t| t.get("id")?.as_str().map(str::to_owned))
            .collect();
        let mut out: Vec<Clause> = Vec::new();
        for (i, t) in array.iter().enumerate() {
            let table = Table::new(t, format!("clause[{i}]"), t.span());
            if let Some(c) = self.clause(&table, &ids) {
                if out.iter().any(|o| o.id == c.id) {
                    self.error(
                        span_of(t, "id"),
                        &table.field("id"),
                        format!(
                            "expected a clause id not used before, found `{}` a second time",
                            c.id
                        ),
                    );
                    continue;
                }
                out.push(c);
            }
        }
        (self.error_count() == errors_before).then_some(out)
    }

    /// One `[[clause]]`; `ids` are the ids of every clause of the file, which
    /// `superseded_by` may name.
    fn clause(&mut self, t: &Table<'_>, ids: &[String]) -> Option<Clause> {
        self.keys(t.table, &t.path, &CLAUSE_KEYS);
        let errors_before = self.error_count();
        let id = self.nonempty_string(t, "id").and_then(|id| {
            if valid_id(&id) {
                return Some(id);
            }
            let d = self
                .diag(
                    span_of(t.table, "id"),
                    &t.field("id"),
                    format!("expected an id of lower-case letters, digits and `_`, found `{id}`"),
                )
                .with_hint("for example `anthropic_rsp_2_2`");
            self.push(d);
            None
        });
        let framework = self.nonempty_string(t, "framework");
        let version = self.nonempty_string(t, "version");
        let date = self.date(t, "date", false);
        let source = self.nonempty_string(t, "source");
        let grade = self.clause_grade(t);
        let wording = self.wording(t, grade);
        let locator = match (&wording, t.table.contains_key("locator")) {
            (Some(Wording::Text(_)), _) => self.nonempty_string(t, "locator"),
            (_, true) => self.optional_string(t, "locator"),
            (_, false) => Some(String::new()),
        };
        let superseded_by = if t.table.contains_key("superseded_by") {
            self.superseded_by(t, ids, id.as_deref())
        } else {
            Some(String::new())
        };
        let triggers = self.triggers(t);
        if self.error_count() > errors_before {
            return None;
        }
        Some(Clause {
            id: id?,
            framework: framework?,
            version: version?,
            date: date?,
            wording: wording?,
            locator: locator?,
            source: source?,
            grade: grade?,
            superseded_by: superseded_by?,
            triggers: triggers?,
        })
    }

    /// `grade`: `primary` or `secondary`.
    fn clause_grade(&mut self, t: &Table<'_>) -> Option<ClauseGrade> {
        let (g, span) = self.string(t, "grade", true)?;
        match g.as_str() {
            "primary" => Some(ClauseGrade::Primary),
            "secondary" => Some(ClauseGrade::Secondary),
            other => {
                let d = self
                    .diag(
                        span,
                        &t.field("grade"),
                        format!("expected `primary` or `secondary`, found `{other}`"),
                    )
                    .with_hint(
                        "primary: read in the framework's own text; secondary: read only in an \
                         account of it",
                    );
                self.push(d);
                None
            }
        }
    }

    /// Exactly one of `text` (verbatim, graded primary) and `paraphrase` (graded secondary).
    fn wording(&mut self, t: &Table<'_>, grade: Option<ClauseGrade>) -> Option<Wording> {
        let has_text = t.table.contains_key("text");
        let has_paraphrase = t.table.contains_key("paraphrase");
        match (has_text, has_paraphrase) {
            (true, true) => {
                self.error(
                    span_of(t.table, "paraphrase"),
                    &t.field("paraphrase"),
                    "expected either `text` (verbatim) or `paraphrase`, found both",
                );
                None
            }
            (false, false) => {
                let d = self
                    .diag(
                        t.anchor.clone(),
                        &t.field("text"),
                        format!(
                            "expected the clause's words in [{}], `text` or `paraphrase`, found \
                             neither",
                            t.path
                        ),
                    )
                    .with_hint(
                        "`text` quotes the framework's own text (with `locator`); `paraphrase` \
                         renders an account of it",
                    );
                self.push(d);
                None
            }
            (true, false) => {
                let text = self.nonempty_string(t, "text")?;
                if grade == Some(ClauseGrade::Secondary) {
                    let d = self
                        .diag(
                            span_of(t.table, "text"),
                            &t.field("text"),
                            "expected a `paraphrase` for a clause graded secondary, found a \
                             verbatim `text`",
                        )
                        .with_hint(
                            "quote only what was read in the framework's own text (grade \
                             primary); paraphrase what was read in an account",
                        );
                    self.push(d);
                    return None;
                }
                Some(Wording::Text(text))
            }
            (false, true) => {
                let words = self.nonempty_string(t, "paraphrase")?;
                if grade == Some(ClauseGrade::Primary) {
                    let d = self
                        .diag(
                            span_of(t.table, "paraphrase"),
                            &t.field("paraphrase"),
                            "expected a verbatim `text` for a clause graded primary, found a \
                             `paraphrase`",
                        )
                        .with_hint(
                            "a clause read in the framework's own text is quoted with its \
                             `locator`; grade a paraphrase secondary",
                        );
                    self.push(d);
                    return None;
                }
                Some(Wording::Paraphrase(words))
            }
        }
    }

    /// `superseded_by`: a description, or the id of another clause of the registry.
    fn superseded_by(
        &mut self,
        t: &Table<'_>,
        ids: &[String],
        own: Option<&str>,
    ) -> Option<String> {
        let (s, span) = self.string(t, "superseded_by", false)?;
        let field = t.field("superseded_by");
        if s.trim().is_empty() {
            self.error(
                span,
                &field,
                "expected a clause id or a description, found an empty string (leave the key \
                 out for a version in force)",
            );
            return None;
        }
        // One word of id characters is meant as an id; a description has spaces.
        if valid_id(&s) && !ids.contains(&s) || own == Some(s.as_str()) {
            let known: Vec<&str> = ids
                .iter()
                .map(String::as_str)
                .filter(|i| Some(*i) != own)
                .collect();
            let d = self
                .diag(
                    span,
                    &field,
                    format!(
                        "expected the id of another clause of the registry, found `{s}`, which \
                         is not one"
                    ),
                )
                .with_hint_opt(
                    crate::diagnostic::did_you_mean_hint(&s, known.iter().copied()).or_else(|| {
                        Some(
                            "name another clause, or describe the later version in words"
                                .to_owned(),
                        )
                    }),
                );
            self.push(d);
            return None;
        }
        Some(s)
    }

    /// `[[clause.trigger]]`: none, or tables each with a `kind` and its number.
    fn triggers(&mut self, t: &Table<'_>) -> Option<Vec<Trigger>> {
        let Some(item) = t.table.get("trigger") else {
            return Some(Vec::new());
        };
        let Some(array) = item.as_array_of_tables() else {
            self.error(
                span_of(t.table, "trigger"),
                &t.field("trigger"),
                format!(
                    "expected an array of tables [[clause.trigger]], found {}",
                    type_name(item)
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, tt) in array.iter().enumerate() {
            let table = Table::new(tt, join(&t.path, &format!("trigger[{i}]")), tt.span());
            match self.trigger(&table) {
                Some(trigger) => out.push(trigger),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn trigger(&mut self, t: &Table<'_>) -> Option<Trigger> {
        let (kind, span) = self.string(t, "kind", true)?;
        let allowed: [&str; 2] = match kind.as_str() {
            "effective_compute" => ["kind", "multiplier"],
            "elicitation_time" | "periodic" => ["kind", "months"],
            other => {
                let d = self
                    .diag(
                        span,
                        &t.field("kind"),
                        format!(
                            "expected one of {} as the trigger's kind, found `{other}`",
                            list(&TRIGGER_KINDS)
                        ),
                    )
                    .with_hint_opt(crate::diagnostic::did_you_mean_hint(
                        other,
                        TRIGGER_KINDS.iter().copied(),
                    ));
                self.push(d);
                return None;
            }
        };
        self.keys(t.table, &t.path, &allowed);
        if kind == "effective_compute" {
            let v = self.value(t, "multiplier", true)?;
            let field = t.field("multiplier");
            let Some(x) = v.as_float().or_else(|| v.as_integer().map(|i| i as f64)) else {
                self.wrong_type(v, &field, "a number such as 4");
                return None;
            };
            if !(x.is_finite() && x > 1.0) {
                let d = self
                    .diag(
                        v.span(),
                        &field,
                        format!(
                            "expected an effective-compute step above 1, found {}",
                            format_number(x)
                        ),
                    )
                    .with_hint("4 for a step at every 4x of effective compute");
                self.push(d);
                return None;
            }
            return Some(Trigger::EffectiveCompute { multiplier: x });
        }
        let (n, span) = self.integer(t, "months")?;
        if !(1..=MAX_TRIGGER_MONTHS).contains(&n) {
            let d = self
                .diag(
                    span,
                    &t.field("months"),
                    format!("expected whole months from 1 to {MAX_TRIGGER_MONTHS}, found {n}"),
                )
                .with_hint("6 for six months");
            self.push(d);
            return None;
        }
        let months = n as u32;
        Some(if kind == "periodic" {
            Trigger::Periodic { months }
        } else {
            Trigger::ElicitationTime { months }
        })
    }
}

/// Whether a clause id names a clause of the registry (for the threshold check).
pub(super) fn find<'c>(clauses: &'c [Clause], id: &str) -> Option<&'c Clause> {
    clauses.iter().find(|c| c.id == id)
}

/// The keys a threshold that names a clause takes from the clause instead.
const CLAUSE_FIELDS: [&str; 4] = [
    "policy_name",
    "policy_version",
    "policy_date",
    "superseded_by",
];

impl Toml<'_> {
    /// A `[[thresholds]]` entry with `clause = "<id>"`: its policy fields come from the clause,
    /// its multiplier must be the clause's effective-compute step (and may be left out), and
    /// its interval defaults to the clause's calendar leg. `clauses` is the registry (`None`
    /// when it has errors: the reference is then not checked) and whether the inputs have one.
    pub(super) fn threshold_of_clause(
        &mut self,
        t: &Table<'_>,
        horizon_months: Option<u32>,
        (clauses, registry): (Option<&[Clause]>, bool),
    ) -> Option<crate::assessment::Threshold> {
        let errors_before = self.error_count();
        for key in CLAUSE_FIELDS {
            if t.table.contains_key(key) {
                let d = self
                    .diag(
                        t.table.key(key).and_then(toml_edit::Key::span),
                        &t.field(key),
                        format!(
                            "expected no `{key}` in a threshold that names a clause, found one"
                        ),
                    )
                    .with_hint("the clause in policies.toml gives the policy's name, version, date and successor");
                self.push(d);
            }
        }
        let label = self.nonempty_string(t, "label");
        let (id, span) = self.string(t, "clause", false)?;
        let clause = match clauses {
            None => None,
            Some(list) => {
                let found = find(list, &id);
                if found.is_none() {
                    let (message, hint) = if registry {
                        (
                            format!(
                                "expected the id of a clause of policies.toml, found `{id}`, which \
                                 is not one"
                            ),
                            crate::diagnostic::did_you_mean_hint(
                                &id,
                                list.iter().map(|c| c.id.as_str()),
                            ),
                        )
                    } else {
                        (
                            format!(
                                "expected a clause of policies.toml, found `{id}` and no \
                                 policies.toml"
                            ),
                            Some(
                                "add policies.toml beside assessment.toml with a [[clause]] of \
                                 this id, or describe the policy with `policy` and no `clause`"
                                    .to_owned(),
                            ),
                        )
                    };
                    let d = self
                        .diag(span, &t.field("clause"), message)
                        .with_hint_opt(hint);
                    self.push(d);
                    return None;
                }
                found
            }
        };
        let step = clause.map(|c| (c.multiplier(), c));
        let multiplier = if t.table.contains_key("multiplier") {
            self.threshold_multiplier(t)
        } else {
            step.and_then(|(m, _)| m)
        };
        if let Some((step, c)) = step {
            match (step, multiplier) {
                (None, _) => {
                    let d = self
                        .diag(
                            span.clone(),
                            &t.field("clause"),
                            format!(
                                "expected a clause with an effective_compute trigger, found `{}`, \
                                 which has none",
                                c.id
                            ),
                        )
                        .with_hint(
                            "a threshold is an effective-compute step; a clause with only a \
                             calendar leg is answered without one",
                        );
                    self.push(d);
                }
                (Some(step), Some(m)) if (step - m).abs() > 1e-12 * step => {
                    let d = self
                        .diag(
                            super::toml::span_of(t.table, "multiplier"),
                            &t.field("multiplier"),
                            format!(
                                "expected the step of clause `{}`, {}, found {}",
                                c.id,
                                format_number(step),
                                format_number(m)
                            ),
                        )
                        .with_hint("leave `multiplier` out to take the clause's step");
                    self.push(d);
                }
                _ => {}
            }
        }
        let cadence_months = if t.table.contains_key("cadence_months") {
            self.cadence(t, horizon_months)
        } else {
            clause
                .and_then(Clause::calendar_months)
                .filter(|&m| horizon_months.is_none_or(|h| m <= h))
        };
        let tolerance = self.tolerance(t);
        let policy = self.optional_string(t, "policy");
        if self.error_count() > errors_before {
            return None;
        }
        // Unchecked (the registry had errors): nothing to take the fields from, and the
        // assessment is refused for those errors anyway.
        let clause = clause?;
        Some(crate::assessment::Threshold {
            label: label?,
            multiplier: multiplier?,
            policy: policy?,
            cadence_months,
            tolerance,
            policy_name: clause.framework.clone(),
            policy_version: clause.version.clone(),
            policy_date: Some(clause.date),
            superseded_by: clause.superseded_by.clone(),
            clause: Some(clause.id.clone()),
        })
    }
}
