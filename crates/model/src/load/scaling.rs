//! scaling.csv: benchmark scores of model families at several training computes, the
//! measurements `derive` rows of enhancements.csv take their CEG from.
//!
//! The loader checks what each row says on its own (numbers are numbers, names are there);
//! what the rows say together (base curves, unknown ids, scores against a benchmark's range)
//! is `overhang-calibrate`'s to check, with diagnostics that name file, line and column too.

use super::csv::Csv;
use crate::scaling::ScalingRow;

/// The columns of scaling.csv; every one is required except the last, `notes`.
const SCALING_COLUMNS: [&str; 8] = [
    "family",
    "model",
    "compute",
    "benchmark",
    "score",
    "enhancement",
    "source",
    "notes",
];

impl Csv<'_> {
    pub(super) fn scaling(&mut self) -> Option<Vec<ScalingRow>> {
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
                    line: r.line,
                });
            }
        }
        ok.then_some(out)
    }
}
