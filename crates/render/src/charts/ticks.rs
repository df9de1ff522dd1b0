//! Where the ticks of an axis go and how they are labelled.
//!
//! Log axes are linear axes in log10 units whose ticks are chosen here (computed with `libm`),
//! so labels read `1x, 2x, 5x, 10x` and the bytes do not depend on the platform's math library.

use crate::format::mult;

/// How an axis labels its ticks.
#[derive(Clone, Copy)]
pub(super) enum Labels {
    /// Whole numbers: months, years.
    Whole,
    /// Multipliers on a log axis (the tick is in log10 units): `1x`, `1.5x`, `20x`.
    Log,
    /// Whole percentages.
    Percent,
    /// One decimal: kappa, densities.
    Decimal,
    /// No labels.
    None,
}

impl Labels {
    /// The label of the tick at `v` (in axis units).
    pub(super) fn format(self, v: f64) -> String {
        match self {
            Self::Whole => format!("{v:.0}"),
            Self::Log => tick(pow10(v)),
            Self::Percent => format!("{v:.0}%"),
            Self::Decimal => format!("{v:.1}"),
            Self::None => String::new(),
        }
    }
}

/// A multiplier as a tick label: `1x`, `1.5x`, `20x`.
pub(super) fn tick(v: f64) -> String {
    if v > 0.0 && v < 0.95 {
        // Ticks below 1 sit at 1, 2 or 5 times a power of ten: print them exactly.
        let s = format!("{v:.12}");
        return format!("{}x", s.trim_end_matches('0'));
    }
    mult(v).replace(".0x", "x")
}

/// log10, with zero and below read as 1e-12 so a log axis never meets infinity.
pub(super) fn lg(x: f64) -> f64 {
    libm::log10(x.max(1e-12))
}

/// `10^x`.
pub(super) fn pow10(x: f64) -> f64 {
    libm::pow(10.0, x)
}

/// `v` inside `range`.
pub(super) fn clamp(v: f64, range: (f64, f64)) -> f64 {
    v.clamp(range.0, range.1)
}

/// The smallest and largest finite value, if any.
pub(super) fn bounds(values: &[f64]) -> Option<(f64, f64)> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let lo = finite.iter().copied().reduce(f64::min)?;
    let hi = finite.iter().copied().reduce(f64::max)?;
    Some((lo, hi))
}

/// Tick positions (log10 units) for a log axis from `lo` to `hi` (log10 units): the densest of
/// 1-3-10, 1-2-5 and powers of ten that gives at most eight ticks.
pub(super) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let sets: [&[f64]; 4] = [
        &[1.0, 1.5, 2.0, 3.0, 5.0, 7.0],
        &[1.0, 2.0, 5.0],
        &[1.0, 3.0],
        &[1.0],
    ];
    let first = libm::floor(lo) as i32;
    let last = libm::ceil(hi) as i32;
    let mut best = Vec::new();
    for mantissas in sets {
        let mut ticks = Vec::new();
        for k in first..=last {
            for m in mantissas {
                let t = lg(*m) + f64::from(k);
                if t >= lo - 1e-9 && t <= hi + 1e-9 {
                    ticks.push(t);
                }
            }
        }
        best = ticks;
        if best.len() <= 8 {
            break;
        }
    }
    if best.len() > 8 {
        // Very wide ranges: every other power of ten.
        best.retain(|t| (libm::round(*t) as i64) % 2 == 0);
    }
    best
}

/// Every other tick (keeping the first) until at most `max` remain, for narrow panels.
pub(super) fn sparse(mut ticks: Vec<f64>, max: usize) -> Vec<f64> {
    while ticks.len() > max {
        ticks = ticks.into_iter().step_by(2).collect();
    }
    ticks
}

/// "Nice" linear ticks with at most `max` intervals.
pub(super) fn linear_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / max as f64;
    let magnitude = pow10(libm::floor(lg(raw)));
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= max as f64 + 1e-9)
        .unwrap_or(10.0 * magnitude);
    let mut ticks = Vec::new();
    let mut i = libm::ceil(lo / step - 1e-9) as i64;
    loop {
        let t = i as f64 * step;
        if t > hi + 1e-9 {
            break;
        }
        ticks.push(t);
        i += 1;
    }
    ticks
}

/// Month ticks: every 12 months, or every 6 or 3 for short horizons.
pub(super) fn month_ticks(horizon: f64) -> Vec<f64> {
    let step = if horizon > 36.0 {
        12.0
    } else if horizon > 12.0 {
        6.0
    } else {
        3.0
    };
    let mut ticks = Vec::new();
    let mut t = 0.0;
    while t <= horizon + 1e-9 {
        ticks.push(t);
        t += step;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_prefer_dense_readable_mantissas() {
        let t: Vec<String> = log_ticks(0.0, 1.0)
            .iter()
            .map(|v| Labels::Log.format(*v))
            .collect();
        assert_eq!(t, ["1x", "1.5x", "2x", "3x", "5x", "7x", "10x"]);
        let t: Vec<String> = log_ticks(0.0, 2.0)
            .iter()
            .map(|v| Labels::Log.format(*v))
            .collect();
        assert_eq!(t, ["1x", "2x", "5x", "10x", "20x", "50x", "100x"]);
        assert!(log_ticks(0.0, 12.0).len() <= 8);
    }

    #[test]
    fn linear_ticks_are_round_numbers() {
        assert_eq!(
            linear_ticks(0.0, 100.0, 5),
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            linear_ticks(2023.0, 2026.0, 8),
            [2023.0, 2023.5, 2024.0, 2024.5, 2025.0, 2025.5, 2026.0]
        );
    }

    #[test]
    fn ticks_below_one_are_printed_exactly() {
        assert_eq!(tick(0.01), "0.01x");
        assert_eq!(tick(0.2), "0.2x");
        assert_eq!(tick(100.0), "100x");
    }
}
