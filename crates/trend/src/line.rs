//! Straight-line least squares: ordinary and weighted, with standard errors, Student-t
//! intervals, hat values and the confidence band of the mean.

use overhang_model::results::{BandPoint, LineFit};
use overhang_model::special::student_t_ppf;

use crate::numbers::{doubling_years, pow10_saturating};

/// The two-sided confidence level of every interval this crate reports.
pub const CONFIDENCE: f64 = 0.90;

/// Ordinary least squares of `y` on `x` with an intercept.
///
/// `None` unless there are at least 3 finite points on at least 2 distinct `x` (a slope with a
/// standard error needs one residual degree of freedom) and every result is finite.
pub fn ols(x: &[f64], y: &[f64]) -> Option<LineFit> {
    Moments::new(x, y, None).and_then(|m| m.line_fit())
}

/// Weighted least squares of `y` on `x` with an intercept; `w` are inverse-variance weights
/// (statsmodels `WLS(y, X, weights=w)`): each must be finite and positive.
///
/// Standard errors scale the weights by the residual variance, as statsmodels does, so only
/// the ratios of the weights matter. R² is the weighted R² around the weighted mean. `None`
/// under the same conditions as [`ols`].
pub fn wls(x: &[f64], y: &[f64], w: &[f64]) -> Option<LineFit> {
    Moments::new(x, y, Some(w)).and_then(|m| m.line_fit())
}

/// The hat values (leverages) of the OLS fit: `1/n + (x_i - mean x)^2 / Sxx`.
///
/// Each lies in `[1/n, 1]` and they sum to 2. `None` when [`ols`] would be.
pub fn leverage(x: &[f64]) -> Option<Vec<f64>> {
    let zeros = vec![0.0; x.len()];
    let m = Moments::new(x, &zeros, None)?;
    let n = x.len() as f64;
    Some(
        x.iter()
            .map(|&xi| 1.0 / n + (xi - m.xbar) * (xi - m.xbar) / m.sxx)
            .collect(),
    )
}

/// The OLS line and the 90% confidence band of its mean at `points` evenly spaced years from
/// the smallest to the largest `x`, as CEG multipliers (`10^y`).
///
/// The band is `fit ± t(0.95, n-2) * s * sqrt(1/n + (x0 - mean x)^2 / Sxx)`. Empty when
/// [`ols`] is `None` or `points < 2`.
pub fn band(x: &[f64], y: &[f64], points: usize) -> Vec<BandPoint> {
    let Some(m) = Moments::new(x, y, None) else {
        return Vec::new();
    };
    if points < 2 {
        return Vec::new();
    }
    let Some(fit) = m.line_fit() else {
        return Vec::new();
    };
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let t = student_t_ppf(0.5 + CONFIDENCE / 2.0, fit.df);
    let s2 = m.ssr / fit.df;
    let n = x.len() as f64;
    (0..points)
        .map(|i| {
            // The last point is exactly the largest year, not lo + (points-1) * step.
            let year = if i + 1 == points {
                hi
            } else {
                lo + (hi - lo) * (i as f64) / ((points - 1) as f64)
            };
            let centre = m.ybar + fit.slope * (year - m.xbar);
            let half = t * (s2 * (1.0 / n + (year - m.xbar) * (year - m.xbar) / m.sxx)).sqrt();
            BandPoint {
                year,
                low: pow10_saturating(centre - half),
                fit: pow10_saturating(centre),
                high: pow10_saturating(centre + half),
            }
        })
        .collect()
}

/// Weighted centred sums of a simple regression; unit weights for OLS.
pub(crate) struct Moments {
    n: usize,
    sum_w: f64,
    pub(crate) xbar: f64,
    pub(crate) ybar: f64,
    pub(crate) sxx: f64,
    sxy: f64,
    syy: f64,
    /// Weighted sum of squared residuals.
    pub(crate) ssr: f64,
}

impl Moments {
    pub(crate) fn new(x: &[f64], y: &[f64], w: Option<&[f64]>) -> Option<Self> {
        let n = x.len();
        if n < 3 || y.len() != n || w.is_some_and(|w| w.len() != n) {
            return None;
        }
        if !x.iter().chain(y).all(|v| v.is_finite()) {
            return None;
        }
        if let Some(w) = w
            && !w.iter().all(|&v| v.is_finite() && v > 0.0)
        {
            return None;
        }
        let weight = |i: usize| w.map_or(1.0, |w| w[i]);
        let sum_w: f64 = (0..n).map(weight).sum();
        let xbar = weighted_mean(x, &weight, sum_w);
        let ybar = weighted_mean(y, &weight, sum_w);
        let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let (dx, dy, wi) = (x[i] - xbar, y[i] - ybar, weight(i));
            sxx += wi * dx * dx;
            sxy += wi * dx * dy;
            syy += wi * dy * dy;
        }
        // Distinct x are what make Sxx positive; a positive Sxx smaller than rounding noise
        // of the centring would make the slope meaningless, so require real spread.
        if sxx <= 0.0 || !sxx.is_finite() {
            return None;
        }
        let slope = sxy / sxx;
        // Residuals from centred values keep the digits a large intercept would cancel.
        let ssr = (0..n)
            .map(|i| {
                let r = (y[i] - ybar) - slope * (x[i] - xbar);
                weight(i) * r * r
            })
            .sum();
        Some(Self {
            n,
            sum_w,
            xbar,
            ybar,
            sxx,
            sxy,
            syy,
            ssr,
        })
    }

    pub(crate) fn slope(&self) -> f64 {
        self.sxy / self.sxx
    }

    fn line_fit(&self) -> Option<LineFit> {
        let df = (self.n - 2) as f64;
        let slope = self.slope();
        let intercept = self.ybar - slope * self.xbar;
        let s2 = self.ssr / df;
        let slope_se = (s2 / self.sxx).sqrt();
        let intercept_se = (s2 * (1.0 / self.sum_w + self.xbar * self.xbar / self.sxx)).sqrt();
        let t = student_t_ppf(0.5 + CONFIDENCE / 2.0, df);
        let r2 = if self.syy > 0.0 {
            (1.0 - self.ssr / self.syy).clamp(0.0, 1.0)
        } else {
            // Every y equal: the flat line goes through every point.
            1.0
        };
        let fit = LineFit {
            slope,
            intercept,
            slope_se,
            intercept_se,
            slope_ci90: [slope - t * slope_se, slope + t * slope_se],
            r2,
            n: self.n,
            df,
            growth_per_year: pow10_saturating(slope),
            doubling_years: doubling_years(slope),
        };
        let finite = [
            fit.slope,
            fit.intercept,
            fit.slope_se,
            fit.intercept_se,
            fit.slope_ci90[0],
            fit.slope_ci90[1],
            fit.r2,
        ]
        .iter()
        .all(|v| v.is_finite());
        finite.then_some(fit)
    }
}

/// A weighted mean with one correction pass, which recovers most of the digits the first
/// pass loses when the values share a large offset (years near 2024, the NIST data).
fn weighted_mean(v: &[f64], weight: &impl Fn(usize) -> f64, sum_w: f64) -> f64 {
    let mean = v
        .iter()
        .enumerate()
        .map(|(i, &vi)| weight(i) * vi)
        .sum::<f64>()
        / sum_w;
    let correction = v
        .iter()
        .enumerate()
        .map(|(i, &vi)| weight(i) * (vi - mean))
        .sum::<f64>()
        / sum_w;
    mean + correction
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "exact values are the point of these checks"
)]
mod tests {
    use super::*;
    use overhang_testkit::{ROUNDING, assert_close};

    #[test]
    fn exact_line_has_zero_residuals_and_unit_r2() {
        let x = [2020.0, 2021.0, 2023.0, 2024.5];
        let y: Vec<f64> = x.iter().map(|v| 0.25 * (v - 2020.0) + 0.5).collect();
        let fit = ols(&x, &y).unwrap();
        assert_close!(fit.slope, 0.25, ROUNDING);
        assert!(fit.slope_se < 1e-12);
        assert_close!(fit.r2, 1.0, ROUNDING);
        assert_eq!(fit.df, 2.0);
    }

    #[test]
    fn too_few_points_or_one_date_give_no_fit() {
        assert!(ols(&[2020.0, 2021.0], &[0.1, 0.2]).is_none());
        assert!(ols(&[2020.0; 4], &[0.1, 0.2, 0.3, 0.4]).is_none());
        assert!(ols(&[2020.0, 2021.0, f64::NAN], &[0.1, 0.2, 0.3]).is_none());
        assert!(
            wls(
                &[2020.0, 2021.0, 2022.0],
                &[0.1, 0.2, 0.3],
                &[1.0, 0.0, 1.0]
            )
            .is_none()
        );
        assert!(band(&[2020.0, 2021.0], &[0.1, 0.2], 21).is_empty());
    }

    #[test]
    fn hat_values_sum_to_two() {
        let h = leverage(&[2019.0, 2020.0, 2020.5, 2024.0]).unwrap();
        assert_close!(h.iter().sum::<f64>(), 2.0, ROUNDING);
        assert!(h.iter().all(|&v| (0.25..=1.0).contains(&v)));
    }

    #[test]
    fn band_contains_the_line_and_is_narrowest_at_the_mean_year() {
        let x = [2020.0, 2021.0, 2022.0, 2023.0, 2024.0];
        let y = [0.1, 0.35, 0.3, 0.7, 0.8];
        let b = band(&x, &y, 21);
        assert_eq!(b.len(), 21);
        assert_eq!(b[0].year, 2020.0);
        assert_eq!(b[20].year, 2024.0);
        for p in &b {
            assert!(p.low < p.fit && p.fit < p.high);
        }
        let width = |p: &BandPoint| libm::log10(p.high / p.low);
        assert!(width(&b[10]) < width(&b[0]) && width(&b[10]) < width(&b[20]));
    }
}
