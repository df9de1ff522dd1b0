//! Estimates inferred from the evidence: the `[inference]` settings of assessment.toml, the
//! posterior table the simulation draws a category's level at release and growth from, and
//! what the inference found per category and scope (filled by `overhang-calibrate`).

use std::sync::Arc;

use serde::Serialize;

use crate::assessment::{Estimand, Grade};
use crate::estimate::Estimate;

/// The `[inference]` table: how the evidence rows inform each category's `available` and
/// `growth` estimates, which become the priors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InferenceInputs {
    /// Whether the categories' estimates are inferred at all (`enabled`); with `false` the
    /// estimates are used as written, as before version 0.3.0.
    pub enabled: bool,
    /// `tau`, the standard deviation of a study's effect in log10, shared by its rows
    /// (`study_sd`, at least 0).
    pub study_sd: f64,
    /// A row's own standard deviation in log10 by its grade (`[inference.row_sd]`).
    pub row_sd: RowSd,
    /// The transfer of each estimand (`[inference.transfer]`): the multiplier by which a row
    /// of that estimand overstates the gain on an already post-trained release.
    pub transfer: TransferInputs,
}

/// A row's standard deviation in log10 by its grade; `assumption` rows are not data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RowSd {
    /// Of a value read in its source.
    pub primary: f64,
    /// Of a value derived on a fitted scaling curve.
    pub measured: f64,
    /// Of a value read in a secondary account.
    pub secondary: f64,
}

impl RowSd {
    /// The keys of `[inference.row_sd]`.
    pub const KEYS: [&'static str; 3] = ["primary", "measured", "secondary"];

    /// The standard deviation of a row of `grade`; `None` for an assumption, which is not data.
    pub fn of(&self, grade: Grade) -> Option<f64> {
        match grade {
            Grade::Primary => Some(self.primary),
            Grade::Measured => Some(self.measured),
            Grade::Secondary => Some(self.secondary),
            Grade::Assumption => None,
        }
    }
}

/// The transfer multiplier of each estimand, a positive point or a lognormal interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransferInputs {
    /// Of a row measured on a base model (`base = "1 to 10"`: it overstates by that factor).
    pub base: Estimate,
    /// Of a row measured on a post-trained model (1: what the estimates need).
    pub post_trained: Estimate,
    /// Of a row measured against another post-training.
    pub versus_pte: Estimate,
}

impl TransferInputs {
    /// The transfer of `estimand`.
    pub fn of(&self, estimand: Estimand) -> &Estimate {
        match estimand {
            Estimand::Base => &self.base,
            Estimand::PostTrained => &self.post_trained,
            Estimand::VersusPte => &self.versus_pte,
        }
    }
}

/// One axis of a [`JointTable`]: `n` cells of equal width between `lo` and `hi`; a point when
/// `n` is 1 and `lo == hi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridAxis {
    /// The lower edge of the first cell.
    pub lo: f64,
    /// The upper edge of the last cell.
    pub hi: f64,
    /// The number of cells.
    pub n: usize,
}

impl GridAxis {
    /// The width of a cell.
    pub fn cell(&self) -> f64 {
        (self.hi - self.lo) / self.n as f64
    }

    /// The centre of cell `i` (the value of a point axis).
    pub fn node(&self, i: usize) -> f64 {
        if self.is_point() {
            self.lo
        } else {
            self.lo + self.cell() * (i as f64 + 0.5)
        }
    }

    /// True for the axis of a point.
    pub fn is_point(&self) -> bool {
        self.n == 1
    }

    /// The value at probability `p` of the piecewise-uniform density whose cumulative cell
    /// masses are `cdf` (ending at the total), and the cell it falls in.
    fn quantile(&self, cdf: &[f64], p: f64) -> (f64, usize) {
        if self.is_point() {
            return (self.lo, 0);
        }
        let total = cdf.last().copied().unwrap_or(0.0);
        let target = p.clamp(0.0, 1.0) * total;
        // The first cell whose cumulative mass reaches the target and that has mass.
        let mut i = cdf.partition_point(|&c| c < target).min(self.n - 1);
        let below = |i: usize| if i == 0 { 0.0 } else { cdf[i - 1] };
        while i + 1 < self.n && cdf[i] - below(i) <= 0.0 {
            i += 1;
        }
        while i > 0 && cdf[i] - below(i) <= 0.0 {
            i -= 1;
        }
        let m = cdf[i] - below(i);
        let within = if m > 0.0 {
            ((target - below(i)) / m).clamp(0.0, 1.0)
        } else {
            1.0
        };
        (self.lo + self.cell() * (i as f64 + within), i)
    }

    /// The cell holding `x`, within the axis.
    fn cell_of(&self, x: f64) -> usize {
        if self.is_point() {
            return 0;
        }
        let k = ((x - self.lo) / self.cell()).floor();
        if k.is_nan() || k < 0.0 {
            0
        } else {
            (k as usize).min(self.n - 1)
        }
    }
}

/// The joint posterior of a category's `(a, g)` on a grid (`a` the log10 level at release,
/// `g` the growth in OOM per year), its density uniform within each cell: the simulation draws
/// from it by the inverse of `a`'s marginal CDF and then of `g`'s CDF given `a`'s cell.
#[derive(Clone, PartialEq)]
pub struct JointTable {
    a: GridAxis,
    g: GridAxis,
    /// Per `a` cell, the cumulative masses of `g`'s cells given it (unnormalised: each row
    /// ends at the cell's marginal mass), `a` major.
    rows: Vec<f64>,
    /// The cumulative marginal masses of `a`'s cells, ending at 1.
    a_cdf: Vec<f64>,
    /// The cumulative marginal masses of `g`'s cells, ending at 1.
    g_cdf: Vec<f64>,
}

impl std::fmt::Debug for JointTable {
    // Tens of thousands of masses: the axes say where the table lies.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JointTable")
            .field("a", &self.a)
            .field("g", &self.g)
            .finish_non_exhaustive()
    }
}

impl JointTable {
    /// The table of cell masses `mass` (`a.n * g.n`, `a` major, normalised to sum to 1).
    /// `None` unless the sizes agree and every mass is finite and at least 0 with some above 0.
    pub fn new(a: GridAxis, g: GridAxis, mass: &[f64]) -> Option<Self> {
        let ok = a.n >= 1
            && g.n >= 1
            && mass.len() == a.n * g.n
            && mass.iter().all(|m| m.is_finite() && *m >= 0.0)
            && mass.iter().any(|m| *m > 0.0);
        if !ok {
            return None;
        }
        let mut rows = Vec::with_capacity(mass.len());
        let mut a_cdf = Vec::with_capacity(a.n);
        let mut total = 0.0;
        for row in mass.chunks(g.n) {
            let mut within = 0.0;
            for m in row {
                within += m;
                rows.push(within);
            }
            total += within;
            a_cdf.push(total);
        }
        let mut g_marginal = vec![0.0; g.n];
        for row in mass.chunks(g.n) {
            for (s, m) in g_marginal.iter_mut().zip(row) {
                *s += m;
            }
        }
        let mut g_cdf = Vec::with_capacity(g.n);
        let mut run = 0.0;
        for m in g_marginal {
            run += m;
            g_cdf.push(run);
        }
        Some(Self {
            a,
            g,
            rows,
            a_cdf,
            g_cdf,
        })
    }

    /// The axis of `a`.
    pub fn available_axis(&self) -> GridAxis {
        self.a
    }

    /// The axis of `g`.
    pub fn growth_axis(&self) -> GridAxis {
        self.g
    }

    /// `a` at probability `p` of its marginal.
    pub fn available_quantile(&self, p: f64) -> f64 {
        self.a.quantile(&self.a_cdf, p).0
    }

    /// `g` at probability `p` of its marginal.
    pub fn growth_quantile(&self, p: f64) -> f64 {
        self.g.quantile(&self.g_cdf, p).0
    }

    /// `g` at probability `p` of its distribution given that `a` lies in the cell of
    /// `available` (a value drawn from this table's marginal of `a`).
    pub fn growth_given(&self, available: f64, p: f64) -> f64 {
        let mut i = self.a.cell_of(available);
        let mass = |i: usize| self.rows[(i + 1) * self.g.n - 1];
        // A value on a cell's edge may name an empty neighbour: the nearest cell with mass.
        if mass(i) <= 0.0 {
            let up = (i + 1..self.a.n).find(|&k| mass(k) > 0.0);
            let down = (0..i).rev().find(|&k| mass(k) > 0.0);
            i = match (down, up) {
                (Some(d), Some(u)) => {
                    if i - d <= u - i {
                        d
                    } else {
                        u
                    }
                }
                (Some(d), None) => d,
                (None, Some(u)) => u,
                (None, None) => i,
            };
        }
        self.g
            .quantile(&self.rows[i * self.g.n..(i + 1) * self.g.n], p)
            .0
    }

    /// A joint draw `(a, g)` from two independent uniforms on `[0, 1]`.
    pub fn draw(&self, u_available: f64, u_growth: f64) -> (f64, f64) {
        let (a, i) = self.a.quantile(&self.a_cdf, u_available);
        let g = self
            .g
            .quantile(&self.rows[i * self.g.n..(i + 1) * self.g.n], u_growth)
            .0;
        (a, g)
    }
}

/// Which of a category's estimates a scenario draws from the posterior: both jointly (the
/// correlation kept) when the scenario keeps both priors, else the one it keeps, from its
/// marginal.
#[derive(Debug, Clone, PartialEq)]
pub struct PosteriorDraw {
    /// The posterior.
    pub table: Arc<JointTable>,
    /// The level at release comes from the posterior.
    pub available: bool,
    /// The growth comes from the posterior.
    pub growth: bool,
}

/// What the inference did with one category in one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InferenceStatus {
    /// The estimates are posteriors given the category's rows.
    Posterior,
    /// No usable row: the estimates stay the prior.
    NoRows,
    /// The category opted out (`infer = false`): its estimates are used as written.
    OptedOut,
    /// The estimates cannot be a prior (an `available` that is `"elicited"`, a growth from a
    /// trend fit): used as written.
    NotAPrior,
}

impl InferenceStatus {
    /// The status's name in results.json.
    pub fn name(self) -> &'static str {
        match self {
            Self::Posterior => "posterior",
            Self::NoRows => "no_rows",
            Self::OptedOut => "opted_out",
            Self::NotAPrior => "not_a_prior",
        }
    }
}

/// The 5th, 50th and 95th percentiles, mean and sd of one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParamSummary {
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
}

/// A posterior of `(a, g)` in summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PosteriorSummary {
    /// `a`, the log10 level at release.
    pub available: ParamSummary,
    /// `g`, OOM per year.
    pub growth: ParamSummary,
    /// The correlation of `a` and `g`.
    pub correlation: f64,
    /// The largest log density on the grid's edge relative to the mode (below -30: the grid
    /// holds the mass).
    pub edge: f64,
}

/// An evidence row as the inference used it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsedRow {
    /// The row's id in enhancements.csv.
    pub id: String,
    /// `exact`, `at_least` or `at_most`.
    pub kind: &'static str,
    /// The CEG or its bound, log10.
    pub y_log10: f64,
    /// The row's date in years from the release date (negative before).
    pub years: f64,
    /// The row's study.
    pub study: String,
    /// What the row's CEG compares.
    pub estimand: Estimand,
    /// The row's standard deviation in log10 (by its grade).
    pub sigma: f64,
    /// The other categories the row's enhancement also contains (a note, not a double count).
    pub mix: Vec<String>,
}

/// An evidence row of the category the inference left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOutRow {
    /// The row's id.
    pub id: String,
    /// Why: `assumption`, `preference`, `uninformative` (a bound of at least 1x) or
    /// `no_estimand`.
    pub reason: &'static str,
}

/// How much one study moves the posterior medians.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Influence {
    /// The study.
    pub study: String,
    /// Its rows' ids.
    pub rows: Vec<String>,
    /// The posterior median of `a` without the study.
    pub available_p50: f64,
    /// The posterior median of `g` without the study.
    pub growth_p50: f64,
    /// The median of `a` with every row minus that without the study (OOM).
    pub available_shift: f64,
    /// The same for `g` (OOM per year).
    pub growth_shift: f64,
}

/// The inference of one category in one scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryInference {
    /// The scope's id.
    pub scope: String,
    /// The category's id.
    pub category: String,
    /// The category's label.
    pub label: String,
    /// What was done.
    pub status: InferenceStatus,
    /// The prior of the level at release: the scope's `available` estimate.
    pub prior_available: Estimate,
    /// The prior of growth: the scope's `growth` estimate.
    pub prior_growth: Estimate,
    /// The prior's 5th, 50th and 95th percentiles of `a` (log10) and `g` (OOM/year); `None`
    /// when the estimates are not a prior.
    pub prior: Option<([f64; 3], [f64; 3])>,
    /// The rows used, in file order.
    pub rows: Vec<UsedRow>,
    /// The category's rows left out, in file order.
    pub left_out: Vec<LeftOutRow>,
    /// The posterior; `None` unless the status is [`InferenceStatus::Posterior`].
    pub posterior: Option<PosteriorSummary>,
    /// The posterior under a vague prior (ten times as wide): how much the prior decides.
    pub vague: Option<PosteriorSummary>,
    /// Each study's influence, in order of its first row.
    pub influence: Vec<Influence>,
    /// The table the simulation draws from; `None` unless there is a posterior.
    #[serde(skip)]
    pub table: Option<Arc<JointTable>>,
}

impl CategoryInference {
    /// The number of distinct studies among the rows used.
    pub fn studies(&self) -> usize {
        let mut s: Vec<&str> = self.rows.iter().map(|r| r.study.as_str()).collect();
        s.sort_unstable();
        s.dedup();
        s.len()
    }

    /// The number of bounds among the rows used.
    pub fn bounds(&self) -> usize {
        self.rows.iter().filter(|r| r.kind != "exact").count()
    }

    /// True when the prior's 90% interval of `a` or of `g` excludes the posterior median.
    pub fn contradicts_prior(&self) -> bool {
        match (&self.prior, &self.posterior) {
            (Some((pa, pg)), Some(p)) => {
                let out = |q: &[f64; 3], x: f64| x < q[0] || x > q[2];
                out(pa, p.available.p50) || out(pg, p.growth.p50)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "cell edges, midpoints and quarter masses are exact binary fractions"
)]
mod tests {
    use super::*;

    fn axis(lo: f64, hi: f64, n: usize) -> GridAxis {
        GridAxis { lo, hi, n }
    }

    #[test]
    fn a_uniform_table_draws_the_uniform() {
        let t = JointTable::new(axis(0.0, 1.0, 4), axis(0.0, 2.0, 2), &[0.125; 8]).unwrap();
        assert_eq!(t.available_quantile(0.3), 0.3);
        assert_eq!(t.growth_quantile(0.75), 1.5);
        assert_eq!(t.draw(0.6, 0.25), (0.6, 0.5));
    }

    #[test]
    fn growth_given_available_follows_the_cell() {
        // a in [0, 1) carries g in its first cell, a in [1, 2) in its second.
        let t =
            JointTable::new(axis(0.0, 2.0, 2), axis(0.0, 2.0, 2), &[0.5, 0.0, 0.0, 0.5]).unwrap();
        assert_eq!(t.growth_given(0.4, 0.5), 0.5);
        assert_eq!(t.growth_given(1.4, 0.5), 1.5);
        assert_eq!(t.draw(0.25, 0.5), (0.5, 0.5));
        assert_eq!(t.draw(0.75, 0.5), (1.5, 1.5));
    }

    #[test]
    fn an_edge_value_in_an_empty_cell_takes_the_nearest_cell_with_mass() {
        let t = JointTable::new(
            axis(0.0, 3.0, 3),
            axis(0.0, 1.0, 2),
            &[0.0, 0.0, 0.5, 0.5, 0.0, 0.0],
        )
        .unwrap();
        assert_eq!(t.growth_given(0.2, 0.5), 0.5);
        assert_eq!(t.growth_given(2.9, 0.25), 0.25);
    }

    #[test]
    fn a_table_refuses_bad_masses() {
        assert!(JointTable::new(axis(0.0, 1.0, 2), axis(0.0, 1.0, 2), &[0.5; 3]).is_none());
        assert!(JointTable::new(axis(0.0, 1.0, 1), axis(0.0, 1.0, 1), &[0.0]).is_none());
        assert!(JointTable::new(axis(0.0, 1.0, 1), axis(0.0, 1.0, 1), &[f64::NAN]).is_none());
    }
}
