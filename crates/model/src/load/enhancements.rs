//! enhancements.csv: the evidence, one observed enhancement a row.

use std::collections::BTreeMap;
use std::ops::Range;

use super::csv::{Csv, Record};
use super::toml::list;
use crate::assessment::{AVERAGE_SCOPE, Ceg, Censoring, Date, EvidenceRow, Grade};
use crate::diagnostic::did_you_mean_hint;
use crate::estimate::Estimate;

const EVIDENCE_COLUMNS: [&str; 16] = [
    "id",
    "name",
    "category",
    "benchmark",
    "ceg",
    "date",
    "source",
    "evidence",
    "notes",
    "components",
    "scope",
    "inference_cost",
    "study",
    "estimand",
    "mix",
    "metric",
];
const EVIDENCE_REQUIRED: [&str; 7] = [
    "id", "name", "category", "ceg", "date", "source", "evidence",
];

impl Csv<'_> {
    /// The rows of enhancements.csv, checked against the categories and the scopes that
    /// assessment.toml declares (when it parses far enough to tell).
    pub(super) fn evidence(
        &mut self,
        categories: Option<&[String]>,
        scopes: Option<&[String]>,
    ) -> Option<Vec<EvidenceRow>> {
        let errors_at_start = self.error_count();
        let (columns, rows) = self.read(&EVIDENCE_COLUMNS, &EVIDENCE_REQUIRED)?;
        let mut out = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut ok = true;
        for r in &rows {
            let get = |name: &str| r.get(&columns, name);
            let field = |name: &str| r.field(name);
            let errors_before = self.error_count();

            let (id, id_span) = get("id");
            if id.is_empty() {
                self.push(id_span, field("id"), "expected an id, found an empty field");
            } else if let Some(first) = seen.get(id) {
                let d = self.push(
                    id_span,
                    field("id"),
                    format!("expected a unique id, found `{id}` again"),
                );
                d.hint = Some(format!("`{id}` is first used on line {first}"));
            } else {
                seen.insert(id.to_owned(), r.line);
            }
            let (name, name_span) = get("name");
            if name.is_empty() {
                self.push(
                    name_span,
                    field("name"),
                    "expected a name, found an empty field",
                );
            }
            let (category, category_span) = get("category");
            self.check_categories(category, category_span, &field("category"), categories);
            let (ceg_text, ceg_span) = get("ceg");
            let ceg = self.ceg(ceg_text, ceg_span, &field("ceg"));
            let (date_text, date_span) = get("date");
            let date = match Date::parse(date_text) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.push(date_span, field("date"), e.to_string());
                    None
                }
            };
            let source = self.source(
                r,
                &columns,
                "every row cites a source, or is graded `assumption` with its reason in the notes",
            );
            let (grade_text, grade_span) = get("evidence");
            let grade = match grade_text {
                "primary" => Some(Grade::Primary),
                "measured" => Some(Grade::Measured),
                "secondary" => Some(Grade::Secondary),
                "assumption" => Some(Grade::Assumption),
                other => {
                    let hint = did_you_mean_hint(other, Grade::NAMES);
                    let d = self.push(
                        grade_span.clone(),
                        field("evidence"),
                        format!("expected one of {}, found `{other}`", list(&Grade::NAMES)),
                    );
                    d.hint = hint;
                    None
                }
            };
            // `measured` is kept for CEGs computed on a fitted scaling curve; a value read in its
            // source is `primary` (inputs written before that distinction still load).
            let (ceg_written, _) = get("ceg");
            if grade == Some(Grade::Measured) && ceg_written.trim() != "derive" {
                let d = self.push(
                    grade_span.clone(),
                    field("evidence"),
                    format!(
                        "expected `measured` only for a CEG derived from scaling.csv (`derive`), found it for the CEG `{}`",
                        ceg_written.trim()
                    ),
                );
                d.severity = crate::diagnostic::Severity::Warning;
                d.hint = Some(
                    "a value read in its original source is `primary`; `measured` means computed on a fitted scaling curve".to_owned(),
                );
            }
            let (notes, notes_span) = get("notes");
            if grade == Some(Grade::Assumption) && notes.is_empty() {
                let d = self.push(
                    notes_span.or(grade_span.clone()),
                    field("notes"),
                    "expected the reason for an `assumption` row in its notes, found an empty field",
                );
                d.severity = crate::diagnostic::Severity::Warning;
                d.hint = Some(
                    "say in the notes why the value is assumed and what it rests on".to_owned(),
                );
            }
            let (benchmark, _) = get("benchmark");
            let (components_text, components_span) = get("components");
            let components: Vec<String> = components_text
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            if !components.is_empty() && !category.contains('+') {
                let d = self.push(
                    components_span,
                    field("components"),
                    format!(
                        "expected components only on a combination row (categories joined by `+`), found them on a row of `{category}`"
                    ),
                );
                d.hint = Some(
                    "name every category the components cover, as `tool_use+solution_choice`, or leave components empty".to_owned(),
                );
            }
            let (scope_text, scope_span) = get("scope");
            self.check_scope(scope_text, scope_span, &field("scope"), scopes);
            let (cost_text, cost_span) = get("inference_cost");
            let inference_cost = if cost_text.is_empty() {
                None
            } else {
                self.inference_cost(cost_text, cost_span, &field("inference_cost"))
            };
            let columns_read = self.evidence_columns(
                id,
                grade,
                category,
                [get("study"), get("estimand"), get("mix"), get("metric")],
                columns.contains_key("estimand"),
                &field,
                categories,
            );
            if let Some((value, censoring)) = ceg.as_ref().and_then(Ceg::value) {
                self.uninformative_bound(censoring, value.central(), get("ceg"), &field("ceg"));
            }
            let errors_after = self.error_count();
            if errors_after > errors_before {
                ok = false;
                continue;
            }
            if let (Some(ceg), Some(date), Some(evidence)) = (ceg, date, grade) {
                out.push(EvidenceRow {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    category: category.to_owned(),
                    benchmark: benchmark.to_owned(),
                    ceg,
                    date,
                    source: source.to_owned(),
                    evidence,
                    notes: notes.to_owned(),
                    components,
                    scope: if scope_text.is_empty() {
                        AVERAGE_SCOPE.to_owned()
                    } else {
                        scope_text.to_owned()
                    },
                    inference_cost,
                    study: columns_read.study,
                    estimand: columns_read.estimand,
                    mix: columns_read.mix,
                    metric: columns_read.metric,
                    line: r.line,
                });
            }
        }
        if ok {
            self.check_components(&out, &columns, &rows);
        }
        (ok && self.error_count() == errors_at_start).then_some(out)
    }
}

impl Csv<'_> {
    /// The `inference_cost` field: an estimate of a multiple of plain sampling, above 0.
    fn inference_cost(
        &mut self,
        text: &str,
        span: Option<Range<usize>>,
        field: &str,
    ) -> Option<Estimate> {
        let e = self.estimate(text, span.clone(), field.to_owned())?;
        if e.is_strictly_positive() {
            return Some(e);
        }
        let found = match e.distribution() {
            crate::estimate::Distribution::Normal { .. } => format!(
                "`{}`, a normal distribution, which can go to 0 or below",
                e.text()
            ),
            _ => format!(
                "`{}`, which can be {}",
                e.text(),
                crate::estimate::format_number(e.support().0)
            ),
        };
        let d = self.push(
            span,
            field.to_owned(),
            format!("expected a multiple of plain sampling greater than 0, found {found}"),
        );
        d.hint = Some(
            "inference per task is a multiple of plain sampling: write a positive number or \
             interval such as `10 to 100`; 1 means one plain sample; leave it empty when the \
             source does not say"
                .to_owned(),
        );
        None
    }

    /// The `ceg` field: `derive`, a bound (`>= 14`, `<= 0.8`) or an estimate, each positive.
    fn ceg(&mut self, text: &str, span: Option<Range<usize>>, field: &str) -> Option<Ceg> {
        if text == "derive" {
            return Some(Ceg::Pending);
        }
        let (censoring, rest) = if let Some(rest) = text.strip_prefix(">=") {
            (Censoring::Lower, rest)
        } else if let Some(rest) = text.strip_prefix("<=") {
            (Censoring::Upper, rest)
        } else if text.starts_with(['>', '<', '≥', '≤']) {
            let width = text.chars().next().map_or(1, char::len_utf8);
            let at = span.map(|s| s.start..s.start + width);
            let d = self.push(
                at,
                field.to_owned(),
                format!(
                    "expected `>=` or `<=` before a bound, found `{}`",
                    &text[..width]
                ),
            );
            d.hint = Some(
                "a bound is written `>= 14` (at least 14x) or `<= 0.8` (at most 0.8x)".to_owned(),
            );
            return None;
        } else {
            (Censoring::None, text)
        };
        let value = if censoring == Censoring::None {
            self.estimate(text, span.clone(), field.to_owned())?
        } else {
            let number = rest.trim();
            // The bound's own characters, after the operator and its spaces.
            let bound_span = span.as_ref().map(|s| {
                let raw = &self.text[s.clone()];
                let after = raw.find(censoring.operator()).map_or(0, |i| i + 2);
                let lead = raw[after..].len() - raw[after..].trim_start().len();
                let start = s.start + after + lead;
                start..start + number.len()
            });
            match number.parse::<f64>() {
                Ok(v) if v.is_finite() => Estimate::point(v).expect("finite"),
                _ => {
                    let d = self.push(
                        bound_span,
                        field.to_owned(),
                        format!(
                            "expected a number after `{}`, found `{number}`",
                            censoring.operator()
                        ),
                    );
                    d.hint = Some(
                        "a bound is one number: `>= 14`; an uncertain value is written without the operator, as `5 to 30`".to_owned(),
                    );
                    return None;
                }
            }
        };
        if !value.is_strictly_positive() {
            let d = self.push(
                span,
                field.to_owned(),
                format!(
                    "expected a CEG multiplier greater than 0, found `{}`",
                    text.trim()
                ),
            );
            d.hint = Some("a CEG is a multiplier on training compute: 1 means no gain".to_owned());
            return None;
        }
        Some(Ceg::Written {
            estimate: value,
            censoring,
        })
    }
}

impl Csv<'_> {
    /// The optional `scope` field: empty (or `average`) for the average task, otherwise the id
    /// of a `[scopes.<id>]` table of assessment.toml.
    fn check_scope(
        &mut self,
        value: &str,
        span: Option<Range<usize>>,
        field: &str,
        scopes: Option<&[String]>,
    ) {
        let Some(ids) = scopes else {
            return;
        };
        if value.is_empty() || value == AVERAGE_SCOPE || ids.iter().any(|s| s == value) {
            return;
        }
        let expected = if ids.is_empty() {
            "an empty field (the average task): assessment.toml declares no [scopes]".to_owned()
        } else {
            format!(
                "a scope declared in assessment.toml ({}), or an empty field for the average task",
                ids.join(", ")
            )
        };
        let hint = did_you_mean_hint(value, ids.iter().map(String::as_str)).or_else(|| {
            Some(format!(
                "declare the scope in assessment.toml as [scopes.{value}] with a label, or leave the field empty"
            ))
        });
        let d = self.push(
            span,
            field.to_owned(),
            format!("expected {expected}, found `{value}`"),
        );
        d.hint = hint;
    }

    /// The `category` field: one category, or several joined by `+` for a combination row,
    /// each defined.
    fn check_categories(
        &mut self,
        value: &str,
        span: Option<Range<usize>>,
        field: &str,
        categories: Option<&[String]>,
    ) {
        const HELP: &str = "define the category in assessment.toml under [categories]";
        if !value.contains('+') {
            self.check_category(value, span, field.to_owned(), categories, Some(HELP));
            return;
        }
        let mut offset = 0;
        for part in value.split('+') {
            let at = self.part_span(span.as_ref(), value, offset, part.len());
            offset += part.len() + 1;
            if part.is_empty() {
                let d = self.push(
                    at.or(span.clone()),
                    field.to_owned(),
                    format!("expected a category on each side of `+`, found `{value}`"),
                );
                d.hint = Some(
                    "a combination row joins its categories with `+`, as `tool_use+solution_choice`"
                        .to_owned(),
                );
            } else {
                // A category may repeat: two enhancements of one category measured together.
                self.check_category(part, at, field.to_owned(), categories, Some(HELP));
            }
        }
    }

    /// The span of `len` bytes at `offset` of a field whose text is `value` as written (its
    /// whole span when the field is quoted).
    pub(super) fn part_span(
        &self,
        span: Option<&Range<usize>>,
        value: &str,
        offset: usize,
        len: usize,
    ) -> Option<Range<usize>> {
        let span = span?;
        if self.text.get(span.clone()) == Some(value) {
            Some(span.start + offset..span.start + offset + len)
        } else {
            Some(span.clone())
        }
    }

    /// The `components` of every combination row: ids of single-enhancement rows on the same
    /// benchmark that together cover the combination's categories.
    fn check_components(
        &mut self,
        out: &[EvidenceRow],
        columns: &BTreeMap<String, usize>,
        records: &[Record],
    ) {
        let Some(&column) = columns.get("components") else {
            return;
        };
        for row in out.iter().filter(|r| !r.components.is_empty()) {
            let Some(record) = records.iter().find(|r| r.line == row.line) else {
                continue;
            };
            let field = format!("row {}, column components", record.row);
            let span = record.spans[column].clone();
            let text = record.fields[column].as_str();
            let mut covered: Vec<&str> = Vec::new();
            let mut seen: Vec<&str> = Vec::new();
            let mut search = 0;
            let errors_before = self.error_count();
            for id in &row.components {
                let offset = text[search..].find(id.as_str()).map_or(0, |i| search + i);
                search = offset + id.len();
                let at = self.part_span(Some(&span), text, offset, id.len());
                if seen.contains(&id.as_str()) {
                    self.push(
                        at,
                        field.clone(),
                        format!("expected distinct components, found `{id}` twice"),
                    );
                    continue;
                }
                seen.push(id);
                let Some(part) = out.iter().find(|r| &r.id == id) else {
                    let hint = did_you_mean_hint(id, out.iter().map(|r| r.id.as_str()));
                    let d = self.push(
                        at,
                        field.clone(),
                        format!("expected the id of a row of enhancements.csv, found `{id}`"),
                    );
                    d.hint = hint.or_else(|| {
                        Some(
                            "list the ids of the single-enhancement rows, separated by spaces"
                                .to_owned(),
                        )
                    });
                    continue;
                };
                if part.is_combination() {
                    self.push(
                        at,
                        field.clone(),
                        format!(
                            "expected the id of a single-enhancement row, found `{id}`, a combination"
                        ),
                    );
                    continue;
                }
                if part.benchmark != row.benchmark {
                    let d = self.push(
                        at,
                        field.clone(),
                        format!(
                            "expected a component measured on the combination's benchmark `{}`, found `{id}` on `{}`",
                            row.benchmark, part.benchmark
                        ),
                    );
                    d.hint = Some(
                        "a combination and its components are measured on the same model and benchmark".to_owned(),
                    );
                    continue;
                }
                if !row.categories().any(|c| c == part.category) {
                    self.push(
                        at,
                        field.clone(),
                        format!(
                            "expected a component in one of the combination's categories ({}), found `{id}` of `{}`",
                            row.categories().collect::<Vec<_>>().join(", "),
                            part.category
                        ),
                    );
                    continue;
                }
                covered.push(&part.category);
            }
            let missing: Vec<&str> = row.categories().filter(|c| !covered.contains(c)).collect();
            if !missing.is_empty() && self.error_count() == errors_before {
                let d = self.push(
                    Some(span),
                    field.clone(),
                    format!(
                        "expected components covering every category of `{}`, found none of {}",
                        row.category,
                        missing
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                d.hint = Some(
                    "list one single-enhancement row of each category measured together".to_owned(),
                );
            }
        }
    }
}
