//! composability.csv: pairwise composabilities, and the rule that the pairwise method has a
//! value for every pair of categories.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::COMPOSABILITY_FILE;
use super::InputFiles;
use super::csv::Csv;
use super::toml::found_range;
use crate::assessment::{Category, Composability, Method, PairComposability};
use crate::diagnostic::Diagnostic;

const PAIR_COLUMNS: [&str; 3] = ["category_a", "category_b", "composability"];

impl Csv<'_> {
    pub(super) fn pairs(
        &mut self,
        categories: Option<&[String]>,
    ) -> Option<Vec<PairComposability>> {
        let (columns, rows) = self.read(&PAIR_COLUMNS, &PAIR_COLUMNS)?;
        let mut out = Vec::new();
        let mut seen = BTreeMap::new();
        let mut ok = true;
        for r in &rows {
            let get = |name: &str| {
                let i = columns[name];
                (r.fields[i].as_str(), Some(r.spans[i].clone()))
            };
            let field = |name: &str| r.field(name);
            let errors_before = self.error_count();
            let (a, a_span) = get("category_a");
            let (b, b_span) = get("category_b");
            for (c, span, col) in [
                (a, a_span.clone(), "category_a"),
                (b, b_span.clone(), "category_b"),
            ] {
                self.check_category(c, span, field(col), categories, None);
            }
            if a == b {
                self.push(
                    b_span.clone(),
                    field("category_b"),
                    format!("expected two different categories, found `{a}` twice"),
                );
            }
            let key = ordered_pair(a, b);
            if let Some(line) = seen.insert((key.0.to_owned(), key.1.to_owned()), r.line) {
                let d = self.push(
                    a_span,
                    field("category_a"),
                    format!("expected each pair once, found {a}/{b} again"),
                );
                d.hint = Some(format!("the pair is first listed on line {line}"));
            }
            let (text, span) = get("composability");
            let value = self
                .estimate(text, span.clone(), field("composability"))
                .and_then(|e| {
                    let (lo, hi) = e.support();
                    if lo >= 0.0 && hi <= 1.0 {
                        return Some(e);
                    }
                    let d = self.push(
                        span,
                        field("composability"),
                        format!(
                            "expected a composability in [0, 1], found {}",
                            found_range(&e)
                        ),
                    );
                    d.hint = Some(
                        "1 means the two stack fully, 0 that only the larger counts".to_owned(),
                    );
                    None
                });
            if self.error_count() > errors_before {
                ok = false;
                continue;
            }
            if let Some(composability) = value {
                out.push(PairComposability {
                    a: a.to_owned(),
                    b: b.to_owned(),
                    composability,
                });
            }
        }
        ok.then_some(out)
    }
}

pub(super) fn check_composability(
    comp: &Composability,
    categories: &[Category],
    files: &InputFiles,
    span: Option<Range<usize>>,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let name = &files.assessment.name;
    let text = files.text(name).unwrap_or_default();
    match comp.method {
        Method::LargestFirst if comp.kappa.is_none() => diags.push(
            Diagnostic::error(
                name,
                text,
                span,
                format!("{field}.kappa"),
                "expected `kappa` for the largest-first method, found none",
            )
            .with_hint("add for example `kappa = \"uniform(0.3, 0.9)\"`"),
        ),
        Method::Pairwise => {
            let listed: BTreeSet<(&str, &str)> = comp
                .pairs
                .iter()
                .map(|p| ordered_pair(&p.a, &p.b))
                .collect();
            let mut missing = Vec::new();
            for (i, a) in categories.iter().enumerate() {
                for b in &categories[i + 1..] {
                    if !listed.contains(&ordered_pair(&a.id, &b.id)) {
                        missing.push(format!("{}/{}", a.id, b.id));
                    }
                }
            }
            if !missing.is_empty() && comp.default_pair.is_none() {
                diags.push(
                    Diagnostic::error(
                        name,
                        text,
                        span,
                        format!("{field}.pair_default"),
                        format!(
                            "expected a composability for every pair of categories with the \
                             pairwise method, found none for {}",
                            missing.join(", ")
                        ),
                    )
                    .with_hint(format!(
                        "list the pairs in {COMPOSABILITY_FILE} or set `pair_default`"
                    )),
                );
            }
        }
        _ => {}
    }
}

pub(super) fn ordered_pair<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}
