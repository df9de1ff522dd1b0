//! Small numeric helpers: medians, quantiles, saturating powers of ten, and numbers written
//! for sentences.

/// `10^v`, saturating at `f64::MAX` so an absurd slope never becomes infinity in the results.
pub(crate) fn pow10_saturating(v: f64) -> f64 {
    let p = libm::pow(10.0, v);
    if p.is_finite() { p } else { f64::MAX }
}

/// Years for `10^(slope * t)` to double, when the slope is positive and the answer finite.
pub(crate) fn doubling_years(slope: f64) -> Option<f64> {
    let years = libm::log10(2.0) / slope;
    (slope > 0.0 && years.is_finite()).then_some(years)
}

/// The median of sorted values (the mean of the two middle ones for an even count), as numpy.
pub(crate) fn median_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    }
}

/// The median of unsorted values.
pub(crate) fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    median_sorted(&v)
}

/// The `p` quantile of sorted values by linear interpolation between order statistics
/// (numpy's default, Hyndman and Fan type 7).
pub(crate) fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "exact values are the point of these checks"
)]
mod tests {
    use super::*;
    use overhang_testkit::{ULPS, assert_close};

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 1.0), 8.0);
        assert_close!(quantile_sorted(&v, 0.5), 3.0, ULPS);
        assert_close!(quantile_sorted(&v, 0.05), 1.15, ULPS);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    }

    #[test]
    fn sentence_numbers_keep_three_significant_digits() {
        use overhang_model::estimate::sentence_number as sig;
        assert_eq!(sig(0.123_456), "0.123");
        assert_eq!(sig(-0.045_67), "-0.0457");
        assert_eq!(sig(12.345), "12.3");
        assert_eq!(sig(1234.5), "1234");
        assert_eq!(sig(0.0), "0");
        assert_eq!(sig(2.5e-5), "2.50e-5");
    }

    #[test]
    fn powers_of_ten_saturate() {
        assert_eq!(pow10_saturating(400.0), f64::MAX);
        assert_eq!(doubling_years(-0.1), None);
        assert_eq!(doubling_years(1e-320), None);
        assert_close!(doubling_years(libm::log10(2.0)).unwrap(), 1.0, ULPS);
    }
}
