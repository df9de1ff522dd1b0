//! The backtest: the posterior fitted on the rows dated before a cutoff predicts the rows
//! dated on or after it, and the predictions are scored.
//!
//! The posterior predictive of a later row `i` is
//!
//! `y_new = a + g t_i + d_e + u + e`,
//!
//! with `(a, g)` the posterior grid's nodes weighted by their cell masses (a finite mixture,
//! not Monte Carlo), `d_e ~ Normal(mean_e, sd_e^2)` the transfer offset of the row's estimand
//! **as its prior states it** (not its posterior given the fitted rows), `u ~ Normal(0,
//! tau^2)` a **fresh** study effect (also for a study with rows before the cutoff) and `e ~
//! Normal(0, sigma_i^2)`. So the predictive is the mixture of normals
//!
//! `sum_k w_k Normal(a_k + g_k t_i + mean_e, s^2)`, `s^2 = sd_e^2 + tau^2 + sigma_i^2`.
//!
//! Both approximations leave out what the fitted rows say about the offset and the study
//! effect, so the intervals are a little wide, never narrow: the scores are conservative.

use overhang_model::special::norm_cdf;

use super::likelihood::{Prepared, log_norm_cdf, log_sum_exp};
use super::prior::{LN_SQRT_2PI, Prior};
use super::{InferError, InferenceRow, InferenceSettings, Observation, Posterior, posterior};

/// How closely a predictive quantile is solved for: the last Newton (or bisection) step, in
/// log10.
const QUANTILE_TOLERANCE: f64 = 1e-10;
/// The most steps of the quantile solver; bisection alone halves the bracket (a few tens of
/// OOM wide) to below [`QUANTILE_TOLERANCE`] in under 50.
const QUANTILE_STEPS: usize = 200;
/// The quantile's bracket reaches this many predictive sds beyond the outermost component
/// means, where every component's CDF is within `Phi(-10)` (8e-24) of 0 or 1.
const BRACKET_SDS: f64 = 10.0;

/// One later row's prediction from the rows before the cutoff.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The row's index in the rows passed to [`backtest`].
    pub index: usize,
    /// What the row says (a value or a bound), in log10.
    pub observation: Observation,
    /// The median of the posterior predictive, log10.
    pub median: f64,
    /// The central 50% predictive interval (25th to 75th percentile), log10.
    pub interval50: [f64; 2],
    /// The central 90% predictive interval (5th to 95th percentile), log10.
    pub interval90: [f64; 2],
    /// The natural log of the predictive density at the value (per unit of log10) for an
    /// exact row; of the predictive probability beyond the bound (`ln P(y_new >= b)` or `ln
    /// P(y_new <= b)`) for a bound.
    pub log_score: f64,
    /// The predictive CDF at the value or bound (the probability integral transform).
    pub pit: f64,
    /// Whether the value lies in the 50% interval (ends included); `None` for a bound.
    pub in50: Option<bool>,
    /// Whether the value lies in the 90% interval (ends included); `None` for a bound.
    pub in90: Option<bool>,
}

/// The rows before a cutoff, the predictions of the rows on or after it, and their scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// The cutoff, in years from the report's release date.
    pub cutoff_years: f64,
    /// The indices of the rows dated before the cutoff, which the posterior is fitted on.
    pub fitted: Vec<usize>,
    /// The posterior given the fitted rows (the prior on the grid when there are none).
    pub posterior: Posterior,
    /// One prediction per row dated on or after the cutoff, in the rows' order.
    pub predictions: Vec<Prediction>,
    /// The share of exact predicted rows inside their 50% interval; `None` without exact rows.
    pub coverage50: Option<f64>,
    /// The share of exact predicted rows inside their 90% interval; `None` without exact rows.
    pub coverage90: Option<f64>,
    /// The mean log score over every predicted row; `None` without predicted rows. It mixes
    /// log densities (exact rows) with log probabilities (bounds), so it compares backtests
    /// of the same rows, not rows of different kinds.
    pub mean_log_score: Option<f64>,
    /// The mean log score over the exact predicted rows alone (log densities only); `None`
    /// without exact rows.
    pub mean_log_score_exact: Option<f64>,
    /// How many predicted rows are exact.
    pub exact: usize,
    /// How many predicted rows are bounds.
    pub bounds: usize,
}

/// The cutoff that leaves about a third of the rows after it: with the `n` dates sorted
/// ascending, the date at 0-based index `ceil(2n / 3)`, so the rows dated on or after it are
/// predicted and those before it fitted. Ties at that date are all predicted, so more than a
/// third may be (and when it is the earliest date, none is fitted). `None` for fewer than 3
/// dates, a date that is not finite, or all dates equal.
pub fn default_cutoff(years: &[f64]) -> Option<f64> {
    let n = years.len();
    if n < 3 || years.iter().any(|t| !t.is_finite()) {
        return None;
    }
    let mut sorted = years.to_vec();
    sorted.sort_by(f64::total_cmp);
    #[expect(clippy::float_cmp, reason = "one date repeated is the same number")]
    let all_equal = sorted[0] == sorted[n - 1];
    if all_equal {
        return None;
    }
    // ceil(2n / 3) <= n - 1 for every n >= 3.
    Some(sorted[(2 * n).div_ceil(3)])
}

/// Fits the posterior on the rows dated before `cutoff_years` (`years < cutoff_years`) and
/// predicts every row dated on or after it by the posterior predictive (see the module's
/// documentation), with its median, central 50% and 90% intervals, log score and PIT.
///
/// Every row is checked, predicted or not, and an error names its index in `rows`; a
/// `cutoff_years` that is NaN is refused. No rows before the cutoff: the posterior is the
/// prior on the grid; no rows on or after it: no predictions.
pub fn backtest(
    available: &Prior,
    growth: &Prior,
    rows: &[InferenceRow],
    cutoff_years: f64,
    settings: &InferenceSettings,
) -> Result<Backtest, InferError> {
    settings.check()?;
    // Every row is checked here, the predicted ones too, so an error names its index in `rows`
    // (the fit sees only the earlier rows, renumbered).
    Prepared::new(rows, settings)?;
    if cutoff_years.is_nan() {
        return Err(InferError::Setting {
            name: "cutoff_years",
            found: cutoff_years,
        });
    }
    let (fitted, predicted): (Vec<usize>, Vec<usize>) =
        (0..rows.len()).partition(|&i| rows[i].years < cutoff_years);
    let fit_rows: Vec<InferenceRow> = fitted.iter().map(|&i| rows[i].clone()).collect();
    let posterior = posterior(available, growth, &fit_rows, settings)?;
    let cells: Vec<(f64, f64, f64)> = posterior.cells().collect();
    let offsets = settings.transfer.offsets();
    let tau = settings.study_sd;
    let predictions: Vec<Prediction> = predicted
        .iter()
        .map(|&index| {
            let row = &rows[index];
            let (mean_d, sd_d) = offsets[row.estimand.index()];
            let sd = (sd_d * sd_d + tau * tau + row.sigma * row.sigma).sqrt();
            let mixture = Mixture::new(&cells, row.years, mean_d, sd);
            mixture.predict(index, row.y_log10)
        })
        .collect();
    let exact: Vec<&Prediction> = predictions
        .iter()
        .filter(|p| matches!(p.observation, Observation::Exact(_)))
        .collect();
    let mean = |values: &mut dyn Iterator<Item = f64>| {
        let (sum, n) = values.fold((0.0, 0_usize), |(s, n), v| (s + v, n + 1));
        (n > 0).then(|| sum / n as f64)
    };
    let share = |inside: fn(&Prediction) -> Option<bool>| {
        mean(
            &mut exact
                .iter()
                .map(|p| if inside(p) == Some(true) { 1.0 } else { 0.0 }),
        )
    };
    Ok(Backtest {
        cutoff_years,
        coverage50: share(|p| p.in50),
        coverage90: share(|p| p.in90),
        mean_log_score: mean(&mut predictions.iter().map(|p| p.log_score)),
        mean_log_score_exact: mean(&mut exact.iter().map(|p| p.log_score)),
        exact: exact.len(),
        bounds: predictions.len() - exact.len(),
        fitted,
        posterior,
        predictions,
    })
}

/// A mixture of normals with one standard deviation: the posterior predictive of one row.
struct Mixture {
    /// Each component's mean, `a_k + g_k t + mean_d`.
    means: Vec<f64>,
    /// Each component's weight, the cell's mass.
    weights: Vec<f64>,
    /// The components' common standard deviation `s`.
    sd: f64,
}

impl Mixture {
    fn new(cells: &[(f64, f64, f64)], years: f64, mean_d: f64, sd: f64) -> Self {
        let (means, weights) = cells
            .iter()
            .map(|&(a, g, m)| (a + g * years + mean_d, m))
            .unzip();
        Self { means, weights, sd }
    }

    /// The CDF and the density at `x`.
    fn cdf_pdf(&self, x: f64) -> (f64, f64) {
        let (mut cdf, mut pdf) = (0.0, 0.0);
        for (&m, &w) in self.means.iter().zip(&self.weights) {
            let z = (x - m) / self.sd;
            cdf += w * norm_cdf(z);
            pdf += w * libm::exp(-0.5 * z * z - LN_SQRT_2PI);
        }
        (cdf, pdf / self.sd)
    }

    /// The log density at `y`, without underflow far in the tails.
    fn log_pdf(&self, y: f64) -> f64 {
        let terms: Vec<f64> = self
            .means
            .iter()
            .zip(&self.weights)
            .map(|(&m, &w)| {
                let z = (y - m) / self.sd;
                libm::log(w) - 0.5 * z * z
            })
            .collect();
        log_sum_exp(&terms) - libm::log(self.sd) - LN_SQRT_2PI
    }

    /// `ln P(y_new >= b)` (`above`) or `ln P(y_new <= b)`, without underflow far in the tails.
    fn log_tail(&self, b: f64, above: bool) -> f64 {
        let terms: Vec<f64> = self
            .means
            .iter()
            .zip(&self.weights)
            .map(|(&m, &w)| {
                let z = (m - b) / self.sd;
                libm::log(w) + log_norm_cdf(if above { z } else { -z })
            })
            .collect();
        log_sum_exp(&terms)
    }

    /// The quantile at probability `p` (strictly between 0 and 1): Newton's method on the
    /// CDF, kept inside a bracket that every step narrows, bisecting when a Newton step would
    /// leave it; until a step moves less than [`QUANTILE_TOLERANCE`].
    fn quantile(&self, p: f64) -> f64 {
        let low = self.means.iter().copied().fold(f64::INFINITY, f64::min);
        let high = self.means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (mut lo, mut hi) = (low - BRACKET_SDS * self.sd, high + BRACKET_SDS * self.sd);
        let mut x: f64 = self
            .means
            .iter()
            .zip(&self.weights)
            .map(|(m, w)| m * w)
            .sum();
        x = x.clamp(lo, hi);
        for _ in 0..QUANTILE_STEPS {
            let (cdf, pdf) = self.cdf_pdf(x);
            let f = cdf - p;
            if f < 0.0 {
                lo = x;
            } else {
                hi = x;
            }
            let newton = x - f / pdf;
            let next = if pdf > 0.0 && newton > lo && newton < hi {
                newton
            } else {
                0.5 * (lo + hi)
            };
            if (next - x).abs() <= QUANTILE_TOLERANCE || hi - lo <= QUANTILE_TOLERANCE {
                return next;
            }
            x = next;
        }
        x
    }

    /// The prediction of the row `index` that says `observation`.
    fn predict(&self, index: usize, observation: Observation) -> Prediction {
        let [q5, q25, q50, q75, q95] = [0.05, 0.25, 0.5, 0.75, 0.95].map(|p| self.quantile(p));
        let (interval50, interval90) = ([q25, q75], [q5, q95]);
        let inside = |y: f64, [lo, hi]: [f64; 2]| Some(lo <= y && y <= hi);
        let (value, log_score, in50, in90) = match observation {
            Observation::Exact(y) => (
                y,
                self.log_pdf(y),
                inside(y, interval50),
                inside(y, interval90),
            ),
            Observation::AtLeast(b) => (b, self.log_tail(b, true), None, None),
            Observation::AtMost(b) => (b, self.log_tail(b, false), None, None),
        };
        Prediction {
            index,
            observation,
            median: q50,
            interval50,
            interval90,
            log_score,
            pit: self.cdf_pdf(value).0.clamp(0.0, 1.0),
            in50,
            in90,
        }
    }
}
