//! The Theil–Sen slope with Sen's (1968) confidence interval, as `scipy.stats.theilslopes`.

use overhang_model::results::RobustFit;
use overhang_model::special::norm_ppf;

use crate::line::CONFIDENCE;
use crate::numbers::{median, median_sorted};

/// The Theil–Sen fit of `y` on `x`: the median of the slopes between every pair of points with
/// different `x`, the intercept `median(y) - slope * median(x)`, and the 90% interval of the
/// slope from Sen (1968), eq. 2.6.
///
/// It reproduces `scipy.stats.theilslopes(y, x, alpha=0.90, method="separate")`; scipy reads
/// `alpha` symmetrically, so 0.90 and 0.10 both mean a two-sided 90% interval. The interval's
/// order statistics are `round((N ± z * sigma) / 2)` with numpy's round-half-to-even and
/// `z = norm.ppf(0.05)`. Where heavy ties in both `x` and `y` make Sen's variance negative,
/// scipy returns NaN; this function takes the variance as 0 instead, which gives the two
/// slopes around the median.
///
/// `None` when the lengths differ, a value is not finite, or no two points have different `x`.
pub fn theil_sen(x: &[f64], y: &[f64]) -> Option<RobustFit> {
    let n = x.len();
    if y.len() != n || n < 2 || !x.iter().chain(y).all(|v| v.is_finite()) {
        return None;
    }
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in 0..n {
            // Each unordered pair once, in the direction with a positive run, as scipy.
            let dx = x[i] - x[j];
            if dx > 0.0 {
                slopes.push((y[i] - y[j]) / dx);
            }
        }
    }
    if slopes.is_empty() {
        return None;
    }
    slopes.sort_unstable_by(f64::total_cmp);
    let slope = median_sorted(&slopes);
    let intercept = median(y) - slope * median(x);

    let z = norm_ppf((1.0 - CONFIDENCE) / 2.0);
    let ties = |v: &[f64]| -> f64 {
        repeat_counts(v)
            .into_iter()
            .map(|k| {
                let k = k as f64;
                k * (k - 1.0) * (2.0 * k + 5.0)
            })
            .sum()
    };
    let nf = n as f64;
    let sigsq = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties(x) - ties(y)) / 18.0;
    let sigma = sigsq.max(0.0).sqrt();
    let nt = slopes.len();
    let ntf = nt as f64;
    let upper = (f64::midpoint(ntf, -z * sigma).round_ties_even() as i64).clamp(0, nt as i64 - 1);
    let lower =
        (f64::midpoint(ntf, z * sigma).round_ties_even() as i64 - 1).clamp(0, nt as i64 - 1);
    let fit = RobustFit {
        slope,
        intercept,
        slope_ci90: [slopes[lower as usize], slopes[upper as usize]],
    };
    (fit.slope.is_finite() && fit.intercept.is_finite()).then_some(fit)
}

/// The sizes of the groups of equal values that have more than one member (scipy's
/// `_find_repeats`, which compares exactly).
#[expect(clippy::float_cmp, reason = "ties are exact repeats, as in scipy")]
fn repeat_counts(values: &[f64]) -> Vec<usize> {
    let mut v = values.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    let mut counts = Vec::new();
    let mut start = 0;
    for i in 1..=v.len() {
        if i == v.len() || v[i] != v[start] {
            if i - start > 1 {
                counts.push(i - start);
            }
            start = i;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use overhang_testkit::{ROUNDING, assert_close};

    #[test]
    fn an_outlier_barely_moves_the_robust_slope() {
        let x: Vec<f64> = (0..9).map(|i| 2016.0 + f64::from(i)).collect();
        let mut y: Vec<f64> = x.iter().map(|v| 0.2 * (v - 2016.0)).collect();
        y[4] += 5.0;
        let fit = theil_sen(&x, &y).unwrap();
        assert_close!(fit.slope, 0.2, ROUNDING);
        assert!(fit.slope_ci90[0] <= fit.slope && fit.slope <= fit.slope_ci90[1]);
    }

    #[test]
    fn one_date_gives_no_slope() {
        assert!(theil_sen(&[2020.0, 2020.0, 2020.0], &[0.1, 0.2, 0.3]).is_none());
        assert!(theil_sen(&[2020.0], &[0.1]).is_none());
    }

    #[test]
    fn repeats_are_counted_per_group() {
        assert_eq!(repeat_counts(&[1.0, 2.0, 1.0, 3.0, 2.0, 1.0]), vec![3, 2]);
        assert!(repeat_counts(&[1.0, 2.0]).is_empty());
    }
}
