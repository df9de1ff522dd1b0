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

// The coefficients of AS 241's three rational functions, highest power first (the order of
// evaluation by Horner's rule, which the published algorithm uses too).
#[expect(
    clippy::unreadable_literal,
    clippy::excessive_precision,
    reason = "coefficients are copied digit for digit from AS 241"
)]
mod as241 {
    /// Numerator of the central function (AS 241's a7 to a0).
    pub(super) const CENTRAL_NUM: [f64; 8] = [
        2509.0809287301226727,
        33430.575583588128105,
        67265.770927008700853,
        45921.953931549871457,
        13731.693765509461125,
        1971.5909503065514427,
        133.14166789178437745,
        3.387132872796366608,
    ];

    /// Denominator of the central function (b7 to b1, then 1).
    pub(super) const CENTRAL_DEN: [f64; 8] = [
        5226.495278852545925,
        28729.085735721942674,
        39307.89580009271061,
        21213.794301586595867,
        5394.1960214247511077,
        687.1870074920579083,
        42.313330701600911252,
        1.0,
    ];

    /// Numerator of the tail function for r <= 5 (c7 to c0).
    pub(super) const NEAR_NUM: [f64; 8] = [
        7.7454501427834140764e-4,
        0.0227238449892691845833,
        0.24178072517745061177,
        1.27045825245236838258,
        3.64784832476320460504,
        5.7694972214606914055,
        4.6303378461565452959,
        1.42343711074968357734,
    ];

    /// Denominator of the tail function for r <= 5 (d7 to d1, then 1).
    pub(super) const NEAR_DEN: [f64; 8] = [
        1.05075007164441684324e-9,
        5.475938084995344946e-4,
        0.0151986665636164571966,
        0.14810397642748007459,
        0.68976733498510000455,
        1.6763848301838038494,
        2.05319162663775882187,
        1.0,
    ];

    /// Numerator of the tail function for r > 5 (e7 to e0).
    pub(super) const FAR_NUM: [f64; 8] = [
        2.01033439929228813265e-7,
        2.71155556874348757815e-5,
        0.0012426609473880784386,
        0.026532189526576123093,
        0.29656057182850489123,
        1.7848265399172913358,
        5.4637849111641143699,
        6.6579046435011037772,
    ];

    /// Denominator of the tail function for r > 5 (f7 to f1, then 1).
    pub(super) const FAR_DEN: [f64; 8] = [
        2.04426310338993978564e-15,
        1.4215117583164458887e-7,
        1.8463183175100546818e-5,
        7.868691311456132591e-4,
        0.0148753612908506148525,
        0.13692988092273580531,
        0.59983220655588793769,
        1.0,
    ];
}

/// The polynomial with coefficients `c` (highest power first) at `x`, by Horner's rule:
/// `(((c[0] x + c[1]) x + c[2]) ...) x + c[7]`, the same operations in the same order as the
/// expanded expression, so the same bits.
#[expect(
    clippy::inline_always,
    reason = "inlined into the simulation's loops, which are compiled for several instruction sets"
)]
#[inline(always)]
fn horner(c: &[f64; 8], x: f64) -> f64 {
    let mut acc = c[0];
    for &k in &c[1..] {
        acc = acc * x + k;
    }
    acc
}

/// AS 241's central rational function: [`norm_ppf`] of `p = 0.5 + q` for `|q| <= 0.425`.
///
/// Public, with [`norm_ppf_tail`], so the simulation can evaluate `norm_ppf` over blocks of
/// draws in vectorised loops and get the same bits; always inlined into those loops.
#[expect(
    clippy::inline_always,
    reason = "inlined into the simulation's loops, which are compiled for several instruction sets"
)]
#[inline(always)]
pub fn norm_ppf_central(q: f64) -> f64 {
    let r = 0.180_625 - q * q;
    q * horner(&as241::CENTRAL_NUM, r) / horner(&as241::CENTRAL_DEN, r)
}

/// AS 241's tail rational function: `|norm_ppf(p)|` from `r = sqrt(-ln(min(p, 1 - p)))` when
/// `|p - 0.5| > 0.425`. Both of its branches are evaluated and one kept, so loops over it
/// vectorise.
#[expect(
    clippy::inline_always,
    reason = "inlined into the simulation's loops, which are compiled for several instruction sets"
)]
#[inline(always)]
pub fn norm_ppf_tail(r: f64) -> f64 {
    let a = r - 1.6;
    let near = horner(&as241::NEAR_NUM, a) / horner(&as241::NEAR_DEN, a);
    let b = r - 5.0;
    let far = horner(&as241::FAR_NUM, b) / horner(&as241::FAR_DEN, b);
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

/// The continued fraction of `I_x(a, b)` (Numerical Recipes' `betacf`), by Lentz's method.
fn beta_cf(x: f64, a: f64, b: f64) -> f64 {
    const EPS: f64 = 1e-16;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < LENTZ_TINY {
        d = LENTZ_TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        h *= lentz_step(aa, &mut c, &mut d);
        let aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        let del = lentz_step(aa, &mut c, &mut d);
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// What Lentz's method puts in place of a zero denominator.
const LENTZ_TINY: f64 = 1e-300;

/// One term of Lentz's method: updates `c` and `d` by the partial numerator `aa` and returns
/// the factor `c d` the running product takes.
fn lentz_step(aa: f64, c: &mut f64, d: &mut f64) -> f64 {
    *d = 1.0 + aa * *d;
    if d.abs() < LENTZ_TINY {
        *d = LENTZ_TINY;
    }
    *c = 1.0 + aa / *c;
    if c.abs() < LENTZ_TINY {
        *c = LENTZ_TINY;
    }
    *d = 1.0 / *d;
    *d * *c
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
    use overhang_testkit::{SOLVER, ULPS, WELL_CONDITIONED, assert_close};

    #[test]
    fn normal_quantile_inverts_the_cdf() {
        for &p in &[1e-10, 0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999, 1.0 - 1e-10] {
            let x = norm_ppf(p);
            assert_close!(norm_cdf(x), p, WELL_CONDITIONED.relative(), "p={p}");
        }
        assert_close!(norm_ppf(0.95), crate::estimate::Z95, ULPS);
    }

    #[test]
    fn beta_inc_has_known_values() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_{1/2}(a, a) = 1/2.
        assert_close!(beta_inc(0.3, 1.0, 1.0), 0.3, ULPS);
        assert_close!(beta_inc(0.3, 3.0, 1.0), 0.027, ULPS);
        assert_close!(beta_inc(0.5, 7.5, 7.5), 0.5, WELL_CONDITIONED);
    }

    #[test]
    fn student_t_with_one_degree_is_cauchy() {
        for &t in &[-3.0, -0.5, 0.0, 1.0, 10.0] {
            let cauchy = 0.5 + libm::atan(t) / core::f64::consts::PI;
            assert_close!(student_t_cdf(t, 1.0), cauchy, WELL_CONDITIONED);
        }
        assert_close!(
            student_t_ppf(0.975, 1.0),
            libm::tan(core::f64::consts::PI * 0.475),
            SOLVER
        );
    }
}
