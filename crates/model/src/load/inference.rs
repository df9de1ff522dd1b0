//! assessment.toml's optional `[inference]`: how the evidence rows inform the categories'
//! estimates (the row and study standard deviations and each estimand's transfer).

use toml_edit::{TableLike, Value};

use super::toml::{Table, Toml, span_of, type_name};
use crate::assessment::Estimand;
use crate::estimate::{Distribution, Estimate};
use crate::inference::{InferenceInputs, RowSd, TransferInputs};

const INFERENCE_KEYS: [&str; 4] = ["enabled", "study_sd", "row_sd", "transfer"];
/// The largest standard deviation in log10 a row or a study may be given: beyond 10 OOM a row
/// says nothing, and a typo (`30` for `0.3`) should not pass silently.
const MAX_SD: f64 = 10.0;

impl Toml<'_> {
    /// The optional `[inference]` table; `None` when absent or wrong, the errors pushed (the
    /// caller refuses the assessment on any).
    pub(super) fn inference(&mut self, root: &dyn TableLike) -> Option<InferenceInputs> {
        root.get("inference")?;
        let t = self.section(root, "inference", &INFERENCE_KEYS)?;
        let enabled = match self.boolean(&t, "enabled") {
            Some((b, _)) => Some(b),
            None if t.table.contains_key("enabled") => None,
            None => Some(true),
        };
        let study_sd = self.sd(&t, "study_sd", true);
        let row_sd = self.row_sd(&t);
        let transfer = self.transfer(&t);
        Some(InferenceInputs {
            enabled: enabled?,
            study_sd: study_sd?,
            row_sd: row_sd?,
            transfer: transfer?,
        })
    }

    /// A standard deviation in log10: a number from 0 (when `zero` allows it, else above 0)
    /// to [`MAX_SD`].
    fn sd(&mut self, t: &Table<'_>, key: &str, zero: bool) -> Option<f64> {
        let (x, span) = self.typed(t, key, true, "a number", |v: &Value| {
            v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
        })?;
        let ok = x.is_finite() && (x > 0.0 || (zero && x == 0.0)) && x <= MAX_SD;
        if ok {
            return Some(x);
        }
        let lower = if zero { "from 0" } else { "above 0" };
        let d = self
            .diag(
                span,
                &t.field(key),
                format!("expected a standard deviation in log10 {lower} up to {MAX_SD}, found {x}"),
            )
            .with_hint(
                "a standard deviation in orders of magnitude: 0.3 means a factor of about 2 \
                 either way",
            );
        self.push(d);
        None
    }

    /// A sub-table of `[inference]`; `None` (an error pushed) when absent and required or not
    /// a table.
    fn subtable<'d>(&mut self, t: &Table<'d>, key: &str, required: bool) -> Option<Table<'d>> {
        let field = t.field(key);
        match t.table.get(key) {
            None => {
                if required {
                    let d = self
                        .diag(
                            t.anchor.clone(),
                            &field,
                            format!("expected the required table [{field}], found none"),
                        )
                        .with_hint(format!("add [{field}]"));
                    self.push(d);
                }
                None
            }
            Some(item) => match item.as_table_like() {
                Some(sub) => Some(Table::new(sub, field, span_of(t.table, key))),
                None => {
                    self.error(
                        span_of(t.table, key),
                        &field,
                        format!("expected a table, found {}", type_name(item)),
                    );
                    None
                }
            },
        }
    }

    /// `[inference.row_sd]`: one standard deviation per grade that is data.
    fn row_sd(&mut self, t: &Table<'_>) -> Option<RowSd> {
        let sub = self.subtable(t, "row_sd", true)?;
        self.keys(sub.table, &sub.path, &RowSd::KEYS);
        let [primary, measured, secondary] = RowSd::KEYS.map(|k| self.sd(&sub, k, false));
        Some(RowSd {
            primary: primary?,
            measured: measured?,
            secondary: secondary?,
        })
    }

    /// `[inference.transfer]`: per estimand a positive point or a lognormal multiplier; an
    /// estimand not written transfers at 1.
    fn transfer(&mut self, t: &Table<'_>) -> Option<TransferInputs> {
        let one = || Estimate::point(1.0).expect("1 is finite");
        let Some(sub) = self.subtable(t, "transfer", false) else {
            return (!t.table.contains_key("transfer")).then(|| TransferInputs {
                base: one(),
                post_trained: one(),
                versus_pte: one(),
            });
        };
        self.keys(sub.table, &sub.path, &Estimand::NAMES);
        let [base, post_trained, versus_pte] = Estimand::NAMES.map(|k| {
            if !sub.table.contains_key(k) {
                return Some(one());
            }
            let e = self.estimate(&sub, k, false)?;
            let ok = match *e.distribution() {
                Distribution::Point(v) => v > 0.0,
                Distribution::LogNormal { .. } => true,
                _ => false,
            };
            if ok {
                return Some(e);
            }
            let d = self
                .diag(
                    span_of(sub.table, k),
                    &sub.field(k),
                    format!(
                        "expected a multiplier above 0 or a lognormal interval of them, found `{}`",
                        e.text()
                    ),
                )
                .with_hint(
                    "the factor by which a row of this estimand overstates the gain on a \
                     post-trained release: `1` for none, `\"1 to 10\"` for an uncertain one",
                );
            self.push(d);
            None
        });
        Some(TransferInputs {
            base: base?,
            post_trained: post_trained?,
            versus_pte: versus_pte?,
        })
    }
}
