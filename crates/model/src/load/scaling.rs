//! scaling.csv: benchmark scores of model families at several training computes, the
//! measurements `derive` rows of enhancements.csv take their CEG from.
//!
//! The loader checks what each row says on its own (numbers are numbers, names are there);
//! what the rows say together (base curves, unknown ids, scores against a benchmark's range)
//! is `overhang-calibrate`'s to check, with diagnostics that name file, line and column too.

use std::collections::BTreeMap;

use super::csv::Csv;
use super::toml::list;
use crate::diagnostic::did_you_mean_hint;
use crate::scaling::{ComputeBasis, ScalingRow};

/// The columns of scaling.csv; the first seven are required, `notes` and `compute_basis` are
/// optional (inputs written before `compute_basis` still load; once the column is there every
/// row gives its basis).
const SCALING_COLUMNS: [&str; 9] = [
    "family",
    "model",
    "compute",
    "benchmark",
    "score",
    "enhancement",
    "source",
    "notes",
    "compute_basis",
];

impl Csv<'_> {
    pub(super) fn scaling(&mut self) -> Option<Vec<ScalingRow>> {
        let errors_at_start = self.error_count();
        let (columns, rows) = self.read(&SCALING_COLUMNS, &SCALING_COLUMNS[..7])?;
        let mut out = Vec::new();
        let mut ok = true;
        for r in &rows {
            let get = |name: &str| r.get(&columns, name);
            let field = |name: &str| r.field(name);
            let errors_before = self.error_count();
            for name in ["family", "model", "benchmark"] {
                let (value, span) = get(name);
                if value.is_empty() {
                    self.push(
                        span,
                        field(name),
                        format!("expected a {name} name, found an empty field"),
                    );
                }
            }
            let (compute_text, compute_span) = get("compute");
            let compute = match compute_text.parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 => Some(v),
                _ => {
                    let d = self.push(
                        compute_span,
                        field("compute"),
                        format!(
                            "expected a positive training compute in FLOP (or a parameter count), found `{compute_text}`"
                        ),
                    );
                    d.hint = Some("write a plain number such as `2.5e23` or `62e9`".to_owned());
                    None
                }
            };
            let (score_text, score_span) = get("score");
            let score = match score_text.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    let d = self.push(
                        score_span,
                        field("score"),
                        format!("expected a benchmark score (a number), found `{score_text}`"),
                    );
                    d.hint = Some(
                        "write the score in the benchmark's units without a sign, such as `42.5`"
                            .to_owned(),
                    );
                    None
                }
            };
            let source = self.source(r, &columns, "every score cites the table it was read from");
            let compute_basis = if columns.contains_key("compute_basis") {
                self.compute_basis(get("compute_basis"), get("notes").0, &field)
            } else {
                None
            };
            if self.error_count() > errors_before {
                ok = false;
                continue;
            }
            let (enhancement, _) = get("enhancement");
            let (notes, _) = get("notes");
            if let (Some(compute), Some(score)) = (compute, score) {
                out.push(ScalingRow {
                    family: get("family").0.to_owned(),
                    model: get("model").0.to_owned(),
                    compute,
                    benchmark: get("benchmark").0.to_owned(),
                    score,
                    enhancement: (!enhancement.is_empty()).then(|| enhancement.to_owned()),
                    source: source.to_owned(),
                    notes: notes.to_owned(),
                    compute_basis,
                    line: r.line,
                });
            }
        }
        if ok {
            self.one_basis_per_family(&out, &columns, &rows);
        }
        (ok && self.error_count() == errors_at_start).then_some(out)
    }

    /// The `compute_basis` field: `flop` or `parameters`; a `parameters` row's notes say why
    /// its family's sizes share a token budget (parameters stand in for compute only then).
    fn compute_basis(
        &mut self,
        (text, span): (&str, Option<std::ops::Range<usize>>),
        notes: &str,
        field: &dyn Fn(&str) -> String,
    ) -> Option<ComputeBasis> {
        let basis = match text {
            "flop" => ComputeBasis::Flop,
            "parameters" => ComputeBasis::Parameters,
            other => {
                let hint = did_you_mean_hint(other, ComputeBasis::NAMES).or_else(|| {
                    Some(
                        "`flop`: compute is training FLOP (6ND where the source gives parameters and tokens); `parameters`: a parameter count, within a family whose sizes share one token budget"
                            .to_owned(),
                    )
                });
                let found = if other.is_empty() {
                    "an empty field".to_owned()
                } else {
                    format!("`{other}`")
                };
                let d = self.push(
                    span,
                    field("compute_basis"),
                    format!(
                        "expected what compute counts, one of {}, found {found}",
                        list(&ComputeBasis::NAMES)
                    ),
                );
                d.hint = hint;
                return None;
            }
        };
        if basis == ComputeBasis::Parameters && notes.is_empty() {
            let d = self.push(
                span,
                field("compute_basis"),
                "expected `parameters` only with notes that say why the family's sizes share one token budget, found empty notes",
            );
            d.hint = Some(
                "parameters stand in for compute only within a family trained on one token budget; otherwise give compute as 6ND FLOP and write `flop`"
                    .to_owned(),
            );
        }
        Some(basis)
    }

    /// Every family counts compute one way: a curve that mixes FLOP and parameter counts
    /// compares numbers of different kinds.
    fn one_basis_per_family(
        &mut self,
        out: &[ScalingRow],
        columns: &BTreeMap<String, usize>,
        rows: &[super::csv::Record],
    ) {
        let mut first: BTreeMap<&str, (ComputeBasis, usize)> = BTreeMap::new();
        for row in out {
            let Some(basis) = row.compute_basis else {
                continue;
            };
            match first.get(row.family.as_str()) {
                None => {
                    first.insert(&row.family, (basis, row.line));
                }
                Some(&(kept, line)) if kept != basis => {
                    let Some(record) = rows.iter().find(|r| r.line == row.line) else {
                        continue;
                    };
                    let field = record.field("compute_basis");
                    let (_, span) = record.get(columns, "compute_basis");
                    let d = self.push(
                        span,
                        field,
                        format!(
                            "expected `{}` as on line {line}, the family's first row, found `{}`: a family counts compute one way",
                            kept.name(),
                            basis.name()
                        ),
                    );
                    d.hint = Some(format!(
                        "give every row of `{}` the same basis: FLOP (6ND) for all, or parameters where every size shares one token budget",
                        row.family
                    ));
                }
                Some(_) => {}
            }
        }
    }
}
