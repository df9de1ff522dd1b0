//! Named float tolerances and one comparison for the tests of every overhang crate.
//!
//! A test compares floats with [`assert_close!`] and a [`Tolerance`] named after what it
//! allows ([`ULPS`], [`CLOSED_FORM`], [`ROUNDING`], [`SOLVER`], [`Tolerance::standard_errors`]), never with a bare
//! epsilon: the name says why a difference is acceptable, and a failure shows both values,
//! their difference and the tolerance by name.
//!
//! ```
//! use overhang_testkit::{ROUNDING, assert_close};
//! assert_close!(0.1 + 0.2, 0.3, ROUNDING);
//! assert_close!(1e6 + 1e-7, 1e6, ROUNDING.relative(), "a large value");
//! ```

use std::borrow::Cow;
use std::fmt;

/// How far an actual float may lie from the expected one, and why: a name and the largest
/// difference allowed, absolute, relative to the expected value, or the larger of the two
/// (see [`Tolerance::or`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Tolerance {
    name: Cow<'static, str>,
    absolute: f64,
    relative: f64,
}

/// No difference at all: the two computations are the same operations on the same values
/// (or exact ones, such as counts and their ratios to a power of two), so the bits agree.
pub const EXACT: Tolerance = Tolerance::absolute("EXACT", 0.0);

/// A few units in the last place of a value of order one (one unit is 2.2e-16): the same
/// quantity computed by two algebraically equal expressions of a handful of operations.
pub const ULPS: Tolerance = Tolerance::absolute("ULPS", 1e-15);

/// A well-conditioned computation on values of order one: the special functions (normal and
/// Student-t distributions, the incomplete beta function), whose series and rational
/// approximations are good to about 1e-15, and least squares on well-scaled data, which keeps
/// all but the last two of its 16 digits.
pub const WELL_CONDITIONED: Tolerance = Tolerance::absolute("WELL_CONDITIONED", 1e-14);

/// A closed-form formula of tens of operations (`exp`, `ln`, `sqrt` among them, each correct
/// to about one unit in the last place) on values of order one: with the error amplified by
/// the formula's condition number, up to about 100, a result keeps 13 of its 16 digits.
pub const CLOSED_FORM: Tolerance = Tolerance::absolute("CLOSED_FORM", 1e-13);

/// Round-off accumulated over a closed-form computation on values of order one (sums and
/// products of tens to thousands of terms, logarithms and powers): each operation may lose
/// half a unit in the last place, so a result keeps at least 12 of its 16 digits.
pub const ROUNDING: Tolerance = Tolerance::absolute("ROUNDING", 1e-12);

/// The convergence of an iterative method (root finding, maximum likelihood, bisection in
/// log space): the solvers stop once a step moves the answer by less than about 1e-10, so
/// their result is good to 1e-9 of a value of order one, not to the last digit.
pub const SOLVER: Tolerance = Tolerance::absolute("SOLVER", 1e-9);

/// A multiplier the simulation computes as `10^x` from log-space arithmetic, against the
/// same number in closed form: the level `x` carries the round-off of sampling, sorting and
/// interpolating between order statistics (about 1e-13), and `10^x` turns an absolute error
/// `e` in `x` into a relative one of `2.3 e`. A billionth leaves room for that and still
/// catches any difference in the model.
pub const LOG_SPACE: Tolerance = Tolerance::relative_of("LOG_SPACE", 1e-9);

impl Tolerance {
    /// A tolerance of `size` in the units of the compared values.
    pub const fn absolute(name: &'static str, size: f64) -> Self {
        Tolerance {
            name: Cow::Borrowed(name),
            absolute: size,
            relative: 0.0,
        }
    }

    /// A tolerance of `size` times the magnitude of the expected value.
    pub const fn relative_of(name: &'static str, size: f64) -> Self {
        Tolerance {
            name: Cow::Borrowed(name),
            absolute: 0.0,
            relative: size,
        }
    }

    /// The same size relative to the expected value: for quantities far from order one,
    /// whose round-off scales with their magnitude.
    #[must_use]
    pub fn relative(self) -> Self {
        Tolerance {
            name: Cow::Owned(format!("{} relative", self.name)),
            absolute: 0.0,
            relative: self.absolute.max(self.relative),
        }
    }

    /// Whichever of the two allows more: for a Monte Carlo estimate whose standard error
    /// may be 0 (a point mass), `standard_errors(4.0, se).or(&ROUNDING)` still allows the
    /// round-off of the value it is compared with.
    #[must_use]
    pub fn or(self, other: &Tolerance) -> Self {
        Tolerance {
            name: Cow::Owned(format!("{} or {}", self.name, other.name)),
            absolute: self.absolute.max(other.absolute),
            relative: self.relative.max(other.relative),
        }
    }

    /// A Monte Carlo estimate: `k` standard errors `se` of the estimate. At k = 3 a correct
    /// estimate falls outside once in about 370 runs, at k = 4 once in about 16,000; the seeds
    /// are fixed, so a test that passes keeps passing.
    pub fn standard_errors(k: f64, se: f64) -> Self {
        Tolerance {
            name: Cow::Owned(format!("MONTE_CARLO ({k} standard errors of {se:e})")),
            absolute: k * se,
            relative: 0.0,
        }
    }

    /// A number as a test writes it, rounded to `n` decimals (`1.2589` for `10^0.1`): half a
    /// unit in its last place.
    pub fn decimals(n: u32) -> Self {
        // Through decimal text: 5e-(n+1) is the half unit exactly as written.
        let half_unit: f64 = format!("5e-{}", n + 1).parse().expect("a float literal");
        Tolerance {
            name: Cow::Owned(format!("WRITTEN_TO_{n}_DECIMALS")),
            absolute: half_unit,
            relative: 0.0,
        }
    }

    /// The absolute part of the tolerance, for one-sided comparisons
    /// (`after >= before - ROUNDING.margin()`).
    pub fn margin(&self) -> f64 {
        self.absolute
    }

    /// The tolerance's name, as failures show it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The largest difference allowed from `expected`.
    pub fn bound(&self, expected: f64) -> f64 {
        self.absolute.max(self.relative * expected.abs())
    }

    /// True when `actual` equals `expected` or lies strictly within the bound of it. NaN is
    /// never close to anything.
    #[expect(
        clippy::float_cmp,
        reason = "equal values are close at any tolerance, EXACT too"
    )]
    pub fn allows(&self, actual: f64, expected: f64) -> bool {
        actual == expected || (actual - expected).abs() < self.bound(expected)
    }
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.absolute > 0.0, self.relative > 0.0) {
            (true, true) => write!(
                f,
                "{} ({:e} absolute or {:e} relative)",
                self.name, self.absolute, self.relative
            ),
            (false, true) => write!(f, "{} ({:e} relative)", self.name, self.relative),
            _ => write!(f, "{} ({:e} absolute)", self.name, self.absolute),
        }
    }
}

/// Panics unless `tolerance` allows `actual` for `expected`, with a message showing both
/// values, their difference and the tolerance; `context` (may be empty) says which quantity.
#[track_caller]
pub fn check_close(
    actual: impl Into<Float>,
    expected: impl Into<Float>,
    tolerance: &Tolerance,
    context: &str,
) {
    let (actual, expected) = (actual.into().0, expected.into().0);
    if !tolerance.allows(actual, expected) {
        let sep = if context.is_empty() { "" } else { ": " };
        panic!(
            "{context}{sep}not close: actual {actual:e}, expected {expected:e}, difference {:e}, \
             allowed {:e} by {tolerance}",
            (actual - expected).abs(),
            tolerance.bound(expected)
        );
    }
}

/// A compared value: an `f64`, or a reference to one, as iterators yield them.
#[derive(Debug, Clone, Copy)]
pub struct Float(pub f64);

impl From<f64> for Float {
    fn from(x: f64) -> Self {
        Float(x)
    }
}

impl From<&f64> for Float {
    fn from(x: &f64) -> Self {
        Float(*x)
    }
}

/// `assert_close!(actual, expected, TOLERANCE)`, or with a trailing `format!` message naming
/// the quantity: panics unless the [`Tolerance`] allows `actual` for `expected`, showing both
/// values, their difference and the tolerance by name.
#[macro_export]
macro_rules! assert_close {
    ($actual:expr, $expected:expr, $tolerance:expr $(,)?) => {
        $crate::check_close($actual, $expected, &$tolerance, "")
    };
    ($actual:expr, $expected:expr, $tolerance:expr, $($context:tt)+) => {
        $crate::check_close($actual, $expected, &$tolerance, &format!($($context)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_and_relative_bounds() {
        assert!(ROUNDING.allows(1.0 + 5e-13, 1.0));
        assert!(!ROUNDING.allows(1.0 + 2e-12, 1.0));
        assert!(!ROUNDING.allows(1e6 + 1e-7, 1e6));
        assert!(ROUNDING.relative().allows(1e6 + 1e-7, 1e6));
        assert!(EXACT.allows(0.5, 0.5));
        assert!(!EXACT.allows(0.5, 0.5 + f64::EPSILON));
        assert!(!SOLVER.allows(f64::NAN, f64::NAN));
        assert!(Tolerance::standard_errors(3.0, 0.01).allows(1.029, 1.0));
        assert!(!Tolerance::standard_errors(3.0, 0.01).allows(1.031, 1.0));
        assert!(Tolerance::decimals(4).allows(libm_free_pow(), 1.2589));
        assert!(!Tolerance::decimals(5).allows(libm_free_pow(), 1.2589));
        let either = Tolerance::standard_errors(4.0, 0.0).or(&LOG_SPACE);
        assert!(either.allows(1e6 + 1e-4, 1e6) && !either.allows(1e6 + 1e-2, 1e6));
        assert_eq!(
            either.to_string(),
            "MONTE_CARLO (4 standard errors of 0e0) or LOG_SPACE (1e-9 relative)"
        );
    }

    /// 10^0.1 = 1.258925...
    fn libm_free_pow() -> f64 {
        1.258_925_411_794_167_2
    }

    #[test]
    fn failures_show_values_difference_and_name() {
        let err = std::panic::catch_unwind(|| assert_close!(1.5, 1.0, ULPS, "p{}", 50))
            .expect_err("0.5 apart is not close");
        let msg = err.downcast_ref::<String>().expect("a formatted message");
        assert_eq!(
            msg,
            "p50: not close: actual 1.5e0, expected 1e0, difference 5e-1, allowed 1e-15 by \
             ULPS (1e-15 absolute)"
        );
    }
}
