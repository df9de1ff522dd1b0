//! Special functions behind the quantile functions: the normal and Student-t distributions
//! and the regularised incomplete beta function, all through `libm` so results do not depend
//! on the platform's math library.

/// The standard normal CDF.
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / core::f64::consts::SQRT_2)
}

/// The standard normal quantile function (Wichura's algorithm AS 241, about 1e-16 relative).
///
/// Returns negative infinity at 0 and infinity at 1.
pub fn norm_ppf(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        return norm_ppf_central(q);
    }
    let r0 = if q < 0.0 { p } else { 1.0 - p };
    let val = norm_ppf_tail(libm::sqrt(-libm::log(r0)));
    if q < 0.0 { -val } else { val }
}

/// AS 241's central rational function: [`norm_ppf`] of `p = 0.5 + q` for `|q| <= 0.425`.
///
/// Public, with [`norm_ppf_tail`], so the simulation can evaluate `norm_ppf` over blocks of
/// draws in vectorised loops and get the same bits; always inlined into those loops.
#[expect(
    clippy::unreadable_literal,
    clippy::excessive_precision,
    reason = "coefficients are copied digit for digit from AS 241"
)]
#[expect(
    clippy::inline_always,
    reason = "inlined into the simulation's loops, which are compiled for several instruction sets"
)]
#[inline(always)]
pub fn norm_ppf_central(q: f64) -> f64 {
    let r = 0.180625 - q * q;
    q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853)
        * r
        + 45921.953931549871457)
        * r
        + 13731.693765509461125)
        * r
        + 1971.5909503065514427)
        * r
        + 133.14166789178437745)
        * r
        + 3.387132872796366608)
        / (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061)
            * r
            + 21213.794301586595867)
            * r
            + 5394.1960214247511077)
            * r
            + 687.1870074920579083)
            * r
            + 42.313330701600911252)
            * r
            + 1.0)
}

/// AS 241's tail rational function: `|norm_ppf(p)|` from `r = sqrt(-ln(min(p, 1 - p)))` when
/// `|p - 0.5| > 0.425`. Both of its branches are evaluated and one kept, so loops over it
/// vectorise.
#[expect(
    clippy::unreadable_literal,
    clippy::excessive_precision,
    reason = "coefficients are copied digit for digit from AS 241"
)]
#[expect(
    clippy::inline_always,
    reason = "inlined into the simulation's loops, which are compiled for several instruction sets"
)]
#[inline(always)]
pub fn norm_ppf_tail(r: f64) -> f64 {
    let a = r - 1.6;
    let near = (((((((7.7454501427834140764e-4 * a + 0.0227238449892691845833) * a
        + 0.24178072517745061177)
        * a
        + 1.27045825245236838258)
        * a
        + 3.64784832476320460504)
        * a
        + 5.7694972214606914055)
        * a
        + 4.6303378461565452959)
        * a
        + 1.42343711074968357734)
        / (((((((1.05075007164441684324e-9 * a + 5.475938084995344946e-4) * a
            + 0.0151986665636164571966)
            * a
            + 0.14810397642748007459)
            * a
            + 0.68976733498510000455)
            * a
            + 1.6763848301838038494)
            * a
            + 2.05319162663775882187)
            * a
            + 1.0);
    let b = r - 5.0;
    let far = (((((((2.01033439929228813265e-7 * b + 2.71155556874348757815e-5) * b
        + 0.0012426609473880784386)
        * b
        + 0.026532189526576123093)
        * b
        + 0.29656057182850489123)
        * b
        + 1.7848265399172913358)
        * b
        + 5.4637849111641143699)
        * b
        + 6.6579046435011037772)
        / (((((((2.04426310338993978564e-15 * b + 1.4215117583164458887e-7) * b
            + 1.8463183175100546818e-5)
            * b
            + 7.868691311456132591e-4)
            * b
            + 0.0148753612908506148525)
            * b
            + 0.13692988092273580531)
            * b
            + 0.59983220655588793769)
            * b
            + 1.0);
    if r <= 5.0 { near } else { far }
}

/// The regularised incomplete beta function `I_x(a, b)`, by Lentz's continued fraction.
pub fn beta_inc(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b)
        + a * libm::log(x)
        + b * libm::log1p(-x);
    let front = libm::exp(ln_front);
    // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry
    // I_x(a, b) = 1 - I_{1-x}(b, a) on the other side.
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(x, a, b) / a
    } else {
        1.0 - front * beta_cf(1.0 - x, b, a) / b
    }
}

fn beta_cf(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// Maps a float to an integer with the same order (`-0.0` and `0.0` both to 0), so bisecting
/// integers bisects floats by their representation: every magnitude from 1e-300 to 1 is reached
/// in at most 64 steps, and the result is exact to one unit in the last place.
fn order_key(x: f64) -> i64 {
    let bits = x.to_bits();
    let magnitude = (bits & !(1 << 63)) as i64;
    if bits >> 63 == 1 {
        -magnitude
    } else {
        magnitude
    }
}

fn from_order_key(k: i64) -> f64 {
    if k < 0 {
        -f64::from_bits(k.unsigned_abs())
    } else {
        f64::from_bits(k as u64)
    }
}

/// The smallest `x` in `[lo, hi]` with `cdf(x) >= p`, for a continuous increasing CDF, by
/// bisection on the floats' representation (see [`order_key`]). Bisecting values instead
/// would stall before reaching quantiles far below 1e-60, which a beta with a small shape
/// parameter has in its lower tail.
fn invert(p: f64, lo: f64, hi: f64, cdf: impl Fn(f64) -> f64) -> f64 {
    let (mut lo, mut hi) = (order_key(lo), order_key(hi));
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if cdf(from_order_key(mid)) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    from_order_key(hi)
}

/// The beta quantile function, by bisection on [`beta_inc`] to within one ulp.
pub fn beta_ppf(p: f64, a: f64, b: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    invert(p, 0.0, 1.0, |x| beta_inc(x, a, b))
}

/// `P(T <= -|t|)` for Student's t with `df` degrees of freedom.
fn student_t_lower_tail(t: f64, df: f64) -> f64 {
    let t2 = t * t;
    if t2 < 1.0 {
        // Near 0, `df / (df + t^2)` rounds to 1 and loses t; the complement keeps it. Within
        // |t| < 1 the tail is above 0.15 for every df, so the subtraction costs little.
        0.5 - 0.5 * beta_inc(t2 / (df + t2), 0.5, df / 2.0)
    } else {
        0.5 * beta_inc(df / (df + t2), df / 2.0, 0.5)
    }
}

/// The CDF of Student's t with `df > 0` degrees of freedom.
pub fn student_t_cdf(t: f64, df: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    let t2 = t * t;
    if t > 0.0 && t2 < 1.0 {
        // The same complement as in the lower tail, added rather than subtracted from 1.
        return 0.5 + 0.5 * beta_inc(t2 / (df + t2), 0.5, df / 2.0);
    }
    let tail = student_t_lower_tail(t, df);
    if t > 0.0 { 1.0 - tail } else { tail }
}

/// The quantile function of Student's t with `df > 0` degrees of freedom.
///
/// Antisymmetric by construction: the upper half is solved as the lower tail at `1 - p`,
/// which is exact for `p >= 0.5`, so both tails are as accurate as the lower one.
pub fn student_t_ppf(p: f64, df: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    // The lower tail decreases in |t|: solve for s = -|t| on [-f64::MAX, 0], where the tail
    // increases with s.
    let lower = |tail: f64| invert(tail, -f64::MAX, 0.0, |s| student_t_lower_tail(s, df));
    match p.partial_cmp(&0.5) {
        Some(std::cmp::Ordering::Less) => lower(p),
        Some(std::cmp::Ordering::Greater) => -lower(1.0 - p),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_inverts_the_cdf() {
        for &p in &[1e-10, 0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999, 1.0 - 1e-10] {
            let x = norm_ppf(p);
            assert!((norm_cdf(x) - p).abs() < 1e-14 * p.max(1e-3), "p={p}");
        }
        assert!((norm_ppf(0.95) - crate::estimate::Z95).abs() < 1e-15);
    }

    #[test]
    fn beta_inc_has_known_values() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_{1/2}(a, a) = 1/2.
        assert!((beta_inc(0.3, 1.0, 1.0) - 0.3).abs() < 1e-15);
        assert!((beta_inc(0.3, 3.0, 1.0) - 0.027).abs() < 1e-15);
        assert!((beta_inc(0.5, 7.5, 7.5) - 0.5).abs() < 1e-14);
    }

    #[test]
    fn student_t_with_one_degree_is_cauchy() {
        for &t in &[-3.0, -0.5, 0.0, 1.0, 10.0] {
            let cauchy = 0.5 + libm::atan(t) / core::f64::consts::PI;
            assert!((student_t_cdf(t, 1.0) - cauchy).abs() < 1e-14);
        }
        assert!(
            (student_t_ppf(0.975, 1.0) - libm::tan(core::f64::consts::PI * 0.475)).abs() < 1e-9
        );
    }
}
