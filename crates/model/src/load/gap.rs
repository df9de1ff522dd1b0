//! The gap at release and the lag of a category (`gap`, `lag_months`), and the warning for an
//! `elicited` level drawn on its own: read in `[categories.<id>]`, in scenario and scope
//! overrides and in evaluation profiles alike.

use toml_edit::Value;

use super::toml::{Table, Toml, span_of};
use crate::assessment::Lag;
use crate::diagnostic::did_you_mean_hint;
use crate::estimate::Estimate;

impl Toml<'_> {
    /// `gap`: a multiplier estimate whose 5th percentile is at least 1.
    pub(super) fn gap(&mut self, t: &Table<'_>) -> Option<Estimate> {
        let v = self.value(t, "gap", true)?;
        self.gap_value(v, t)
    }

    /// A gap value in the table `t`: a positive multiplier estimate whose 5th percentile is at
    /// least 1 (a draw below 1 counts as no gap).
    pub(super) fn gap_value(&mut self, v: &Value, t: &Table<'_>) -> Option<Estimate> {
        let e = self.estimate_value(v, &t.field("gap"));
        let e = self.positive_multiplier(e, t, "gap")?;
        let (low, _) = e.interval90();
        // A relative margin, so `1 to 3` (whose 5th percentile is 1 up to rounding) passes.
        if low < 1.0 - 1e-9 {
            let d = self
                .diag(
                    v.span(),
                    &t.field("gap"),
                    format!(
                        "expected a gap of at least 1 (the available level over what the \
                         evaluation captured), found `{}`, whose 5th percentile is {}",
                        e.text(),
                        crate::estimate::sentence_number(low)
                    ),
                )
                .with_hint("write 1 for no gap, or an interval such as `1 to 3`");
            self.push(d);
            return None;
        }
        Some(e)
    }

    /// `lag_months`: months (an estimate whose 5th percentile is at least 0) or `never`.
    pub(super) fn lag(&mut self, t: &Table<'_>) -> Option<Lag> {
        let v = self.value(t, "lag_months", true)?;
        self.lag_value(v, t)
    }

    /// A lag value in the table `t`: `never`, or months after release (at least 0).
    pub(super) fn lag_value(&mut self, v: &Value, t: &Table<'_>) -> Option<Lag> {
        if let Some(text) = v.as_str().map(str::trim) {
            if text == Lag::NEVER {
                return Some(Lag::Never);
            }
            let hint = did_you_mean_hint(text, [Lag::NEVER]);
            if hint.is_some() && Estimate::parse(text).is_err() {
                let d = self
                    .diag(
                        v.span(),
                        &t.field("lag_months"),
                        format!(
                            "expected months after release or `{}`, found `{text}`",
                            Lag::NEVER
                        ),
                    )
                    .with_hint_opt(hint);
                self.push(d);
                return None;
            }
        }
        let e = self.estimate_value(v, &t.field("lag_months"))?;
        let (low, _) = e.interval90();
        if low < 0.0 {
            let d = self
                .diag(
                    v.span(),
                    &t.field("lag_months"),
                    format!(
                        "expected months after release (at least 0) or `{}`, found `{}`, whose \
                         5th percentile is {}",
                        Lag::NEVER,
                        e.text(),
                        crate::estimate::sentence_number(low)
                    ),
                )
                .with_hint("write 0 for reachable on release day, or an interval such as `1 to 6`");
            self.push(d);
            return None;
        }
        Some(Lag::Months(e))
    }

    /// A warning for an uncertain `elicited`: drawn independently of `available` and capped at
    /// it, it creates a gap at release that no input states.
    pub(super) fn clamped_elicited_warning(&mut self, t: &Table<'_>, elicited: &Estimate) {
        let d = self
            .diag(
                span_of(t.table, "elicited"),
                &t.field("elicited"),
                format!(
                    "expected `gap`, found `elicited = \"{}\"`: drawn independently of the \
                     available level and capped at it, it makes a gap at release that no input \
                     states",
                    elicited.text()
                ),
            )
            .with_hint(
                "state the gap itself, `gap = \"a to b\"` (the available level over what the \
                 evaluation captured); `elicited = 1` (none captured) is exact and stays",
            )
            .warning();
        self.push(d);
    }
}

/// Whether an elicited estimate is the exact "none captured" (the point 1), which no draw of the
/// available level can fall below in practice and which makes no hidden gap.
pub(super) fn is_none_elicited(e: &Estimate) -> bool {
    e.is_point() && (e.median() - 1.0).abs() < 1e-12
}
