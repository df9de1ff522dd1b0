//! The columns of enhancements.csv that say what a row measures and which rows are one study:
//! `study`, `estimand`, `mix` and `metric`. Each is optional in the header, so inputs written
//! before them still load; `estimand`, once the column is there, is required on every row
//! that is not an `assumption`.

use std::ops::Range;

use super::csv::Csv;
use super::toml::list;
use crate::assessment::{Censoring, Estimand, EvidenceMetric, Grade};
use crate::diagnostic::{Severity, did_you_mean_hint};

/// The new columns of one row, as read.
pub(super) struct Columns {
    pub study: String,
    pub estimand: Option<Estimand>,
    pub mix: Vec<String>,
    pub metric: EvidenceMetric,
}

/// One field as the reader gives it: its trimmed text and its span.
pub(super) type Field<'a> = (&'a str, Option<Range<usize>>);

impl Csv<'_> {
    /// The `study`, `estimand`, `mix` and `metric` fields of a row whose id is `id`, graded
    /// `grade`, of `category`; `estimand_column` says whether the header has the column.
    #[expect(
        clippy::too_many_arguments,
        reason = "one field each, named at the call"
    )]
    pub(super) fn evidence_columns(
        &mut self,
        id: &str,
        grade: Option<Grade>,
        category: &str,
        fields: [Field<'_>; 4],
        estimand_column: bool,
        field: &dyn Fn(&str) -> String,
        categories: Option<&[String]>,
    ) -> Columns {
        let [study, estimand, mix, metric] = fields;
        Columns {
            study: self.study(id, study, &field("study")),
            estimand: self.estimand(grade, estimand, estimand_column, &field("estimand")),
            mix: self.mix(category, mix, &field("mix"), categories),
            metric: self.metric(metric, &field("metric")),
        }
    }

    fn study(&mut self, id: &str, (text, span): Field<'_>, field: &str) -> String {
        if text.is_empty() {
            return id.to_owned();
        }
        let valid = text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !valid {
            let d = self.push(
                span,
                field.to_owned(),
                format!("expected a study id of letters, digits, `_`, `-` and `.`, found `{text}`"),
            );
            d.hint = Some(
                "give the rows of one study or one analysis the same short id, such as `wei2022_cot`; leave it empty for a study of one row"
                    .to_owned(),
            );
        }
        text.to_owned()
    }

    fn estimand(
        &mut self,
        grade: Option<Grade>,
        (text, span): Field<'_>,
        column: bool,
        field: &str,
    ) -> Option<Estimand> {
        if text.is_empty() {
            // Required once the column exists, except on an assumption, which measured nothing.
            if column && grade.is_some_and(|g| g != Grade::Assumption) {
                let d = self.push(
                    span,
                    field.to_owned(),
                    format!(
                        "expected what the enhancement was measured on top of ({}), found an empty field",
                        list(&Estimand::NAMES)
                    ),
                );
                d.hint = Some(
                    "`base`: applied to a pre-trained base model; `post_trained`: on top of an already post-trained model; `versus_pte`: one enhancement measured against another"
                        .to_owned(),
                );
            }
            return None;
        }
        let found = Estimand::from_name(text);
        if found.is_none() {
            let hint = did_you_mean_hint(text, Estimand::NAMES);
            let d = self.push(
                span,
                field.to_owned(),
                format!("expected one of {}, found `{text}`", list(&Estimand::NAMES)),
            );
            d.hint = hint;
        }
        found
    }

    fn mix(
        &mut self,
        category: &str,
        (text, span): Field<'_>,
        field: &str,
        categories: Option<&[String]>,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut search = 0;
        for part in text.split_whitespace() {
            let offset = text[search..].find(part).map_or(0, |i| search + i);
            search = offset + part.len();
            let at = self.part_span(span.as_ref(), text, offset, part.len());
            if category.split('+').any(|c| c == part) || out.iter().any(|c| c == part) {
                let d = self.push(
                    at,
                    field.to_owned(),
                    format!(
                        "expected the other categories the enhancement contains, each once, found `{part}`, {}",
                        if out.iter().any(|c| c == part) {
                            "named twice"
                        } else {
                            "the row's own category"
                        }
                    ),
                );
                d.hint = Some(
                    "list in `mix` only the categories besides the row's own, separated by spaces"
                        .to_owned(),
                );
                continue;
            }
            self.check_category(
                part,
                at,
                field.to_owned(),
                categories,
                Some("`mix` names categories defined in assessment.toml under [categories]"),
            );
            out.push(part.to_owned());
        }
        out
    }

    fn metric(&mut self, (text, span): Field<'_>, field: &str) -> EvidenceMetric {
        match text {
            "" | "capability" => EvidenceMetric::Capability,
            "preference" => EvidenceMetric::Preference,
            other => {
                let hint = did_you_mean_hint(other, EvidenceMetric::NAMES);
                let d = self.push(
                    span,
                    field.to_owned(),
                    format!(
                        "expected one of {} (or an empty field for `capability`), found `{other}`",
                        list(&EvidenceMetric::NAMES)
                    ),
                );
                d.hint = hint;
                EvidenceMetric::Capability
            }
        }
    }

    /// A warning for a lower bound of 1 or less: it says only that the enhancement is no
    /// worse than nothing.
    pub(super) fn uninformative_bound(
        &mut self,
        censoring: Censoring,
        value: f64,
        (text, span): Field<'_>,
        field: &str,
    ) {
        if censoring != Censoring::Lower || value > 1.0 {
            return;
        }
        let d = self.push(
            span,
            field.to_owned(),
            format!("expected a lower bound above 1, found `{text}`, which carries no information"),
        );
        d.severity = Severity::Warning;
        d.hint = Some(
            "the row stays in the evidence table, but the report's counts of evidence leave it out; write the bound only if the row's notes say something the table needs"
                .to_owned(),
        );
    }
}
