//! Censored-normal (Tobit) maximum likelihood of a straight line, for evidence where some CEGs
//! are bounds, and its bootstrap.
//!
//! # The model
//!
//! `y_i = a + b x_i + sigma e_i` with `e_i` standard normal, `y` the log10 CEG and `x` the
//! decimal year. A row is either exact (`y_i` observed), a lower bound (`y_i >= c_i` observed,
//! written `>= 14`) or an upper bound (`y_i <= c_i`, written `<= 0.8`). The log-likelihood is
//!
//! ```text
//! sum over exact rows   ln phi((y_i - mu_i) / sigma) - ln sigma
//! sum over lower bounds ln (1 - Phi((c_i - mu_i) / sigma))
//! sum over upper bounds ln Phi((c_i - mu_i) / sigma)
//! ```
//!
//! with `mu_i = a + b x_i`, `phi` and `Phi` the standard normal density and distribution
//! function. A bound thus counts as the probability that the line puts the CEG beyond it, never
//! as if the bound were the value. Without censored rows the slope and intercept are those of
//! OLS and `sigma` is the maximum-likelihood `sqrt(SSR / n)`.
//!
//! # The optimiser
//!
//! Newton's method with a backtracking line search in Olsen's (1978) parametrisation
//! `(a / sigma, b / sigma, 1 / sigma)` (with `x` centred at its mean), in which the
//! log-likelihood is concave: the maximum, when there is one, is unique and found from any
//! start. It starts from OLS of every row with the bounds taken as values. Without a finite
//! maximum it returns [`CensoredError::NoMaximum`]. There are two ways to have none:
//!
//! - `sigma` runs to 0: exact rows that a line fits perfectly while satisfying every bound;
//!   the optimiser stops when `1 / sigma` passes 1e9.
//! - the slope runs away: every exact row on one date, and every bound on the side of that date
//!   that a steep enough line clears (lower bounds after it and upper bounds before it, or the
//!   reverse). Turning the line about the exact rows' date then raises every bound's
//!   probability towards 1 without changing the exact rows' density, so the likelihood rises
//!   for ever as the slope grows. Newton's steps there shrink with the bounds' vanishing
//!   gradient and look converged at an arbitrary huge slope, so this case is found from the
//!   rows before any iteration: it is a property of the dates and the sides of the bounds
//!   alone.
//!
//! # Standard errors
//!
//! From the observed information: the inverse of the negative Hessian of the log-likelihood in
//! `(a, b, sigma)` at the maximum. The 90% interval of the slope is the Wald interval
//! `b ± 1.6449 se(b)`: maximum-likelihood theory is asymptotic, so it uses the normal quantile
//! rather than a Student t.

use overhang_model::estimate::Z95;
use overhang_model::results::BootstrapSummary;
use overhang_model::{Censoring, Estimate};

use crate::bootstrap::{Resampler, summarise};

/// A censored-normal maximum-likelihood line of log10 CEG on decimal year.
#[derive(Debug, Clone, PartialEq)]
pub struct CensoredFit {
    /// Slope, OOM per year.
    pub slope: f64,
    /// Intercept at year 0 (log10 CEG).
    pub intercept: f64,
    /// Standard deviation of the rows around the line, in OOM.
    pub sigma: f64,
    /// Standard error of the slope (observed information).
    pub slope_se: f64,
    /// Standard error of the intercept.
    pub intercept_se: f64,
    /// Standard error of sigma.
    pub sigma_se: f64,
    /// 90% Wald interval of the slope.
    pub slope_ci90: [f64; 2],
    /// The maximised log-likelihood.
    pub log_likelihood: f64,
    /// Rows fitted.
    pub n: usize,
    /// Exact rows.
    pub exact: usize,
    /// Lower bounds.
    pub lower: usize,
    /// Upper bounds.
    pub upper: usize,
    /// Newton iterations taken.
    pub iterations: usize,
}

/// Why a censored fit has no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CensoredError {
    /// Fewer than 3 rows, fewer than 1 exact row, lengths that differ or values that are not
    /// finite.
    #[error(
        "expected at least 3 finite rows, at least 1 of them exact, found {rows} rows with {exact} exact"
    )]
    TooFewRows {
        /// Rows given.
        rows: usize,
        /// Exact rows among them.
        exact: usize,
    },
    /// Every row on one date: no slope.
    #[error("expected rows on at least 2 dates, found one date")]
    OneDate,
    /// The likelihood has no finite maximum.
    #[error(
        "expected a finite maximum of the likelihood, found none: the bounds do not pin the line down"
    )]
    NoMaximum,
}

/// The most Newton iterations.
const MAX_ITERATIONS: usize = 200;

/// Beyond this `1 / sigma` (sigma below 1e-9 OOM) the fit counts as running to a perfect line.
const MAX_PRECISION: f64 = 1e9;

/// Fits `y = a + b x` by censored-normal maximum likelihood; `censoring[i]` says whether `y[i]`
/// is a value or a bound (see the module docs).
pub fn censored_fit(
    x: &[f64],
    y: &[f64],
    censoring: &[Censoring],
) -> Result<CensoredFit, CensoredError> {
    let n = x.len();
    let exact = censoring.iter().filter(|&&c| c == Censoring::None).count();
    if n < 3
        || y.len() != n
        || censoring.len() != n
        || exact < 1
        || !x.iter().chain(y).all(|v| v.is_finite())
    {
        return Err(CensoredError::TooFewRows { rows: n, exact });
    }
    let xbar = x.iter().sum::<f64>() / n as f64;
    let u: Vec<f64> = x.iter().map(|v| v - xbar).collect();
    let suu: f64 = u.iter().map(|v| v * v).sum();
    // x is finite, so Sxx is a number: zero exactly when every row shares one date.
    if suu <= 0.0 {
        return Err(CensoredError::OneDate);
    }
    if slope_runs_away(x, censoring) {
        return Err(CensoredError::NoMaximum);
    }
    let problem = Likelihood {
        u: &u,
        y,
        censoring,
    };

    // Start: OLS of every row, bounds taken as values.
    let ybar = y.iter().sum::<f64>() / n as f64;
    let b0 = u
        .iter()
        .zip(y)
        .map(|(ui, yi)| ui * (yi - ybar))
        .sum::<f64>()
        / suu;
    let ssr: f64 = u
        .iter()
        .zip(y)
        .map(|(ui, yi)| {
            let r = yi - ybar - b0 * ui;
            r * r
        })
        .sum();
    let s0 = (ssr / n as f64).sqrt().max(0.05);
    let mut theta = [ybar / s0, b0 / s0, 1.0 / s0];
    let mut value = problem.value(theta);
    let mut iterations = 0;
    let mut converged = false;
    while iterations < MAX_ITERATIONS {
        iterations += 1;
        let (g, h) = problem.derivatives(theta);
        let neg_h = h.map(|row| row.map(|v| -v));
        let Some(step) = solve_spd(neg_h, g) else {
            return Err(CensoredError::NoMaximum);
        };
        // The Newton decrement: half of g' (-H)^-1 g is the predicted rise.
        let decrement: f64 = (0..3).map(|k| g[k] * step[k]).sum();
        if !decrement.is_finite() {
            return Err(CensoredError::NoMaximum);
        }
        // Mathematically non-negative (-H is positive definite); rounding near the maximum
        // can make it a tiny negative number. Once the predicted rise is this small the full
        // Newton step is accurate to the square of its size, so take it and stop: the line
        // search would only chase rounding noise in the log-likelihood.
        if decrement <= 1e-12 * (1.0 + value.abs()) {
            let last = [theta[0] + step[0], theta[1] + step[1], theta[2] + step[2]];
            if last[2] > 0.0 && problem.value(last).is_finite() {
                theta = last;
                value = problem.value(theta);
            }
            converged = true;
            break;
        }
        // Backtracking keeps 1/sigma positive and the likelihood rising (Armijo).
        let mut t = 1.0;
        let mut moved = false;
        while t > 1e-12 {
            let trial = [
                theta[0] + t * step[0],
                theta[1] + t * step[1],
                theta[2] + t * step[2],
            ];
            if trial[2] > 0.0 {
                let v = problem.value(trial);
                if v.is_finite() && v >= value + 1e-4 * t * decrement {
                    theta = trial;
                    value = v;
                    moved = true;
                    break;
                }
            }
            t *= 0.5;
        }
        if !moved {
            // No step raises the likelihood: a maximum to working precision.
            converged = true;
            break;
        }
        if theta[2] > MAX_PRECISION || !theta.iter().all(|v| v.is_finite()) {
            return Err(CensoredError::NoMaximum);
        }
    }
    if !converged {
        return Err(CensoredError::NoMaximum);
    }

    let sigma = 1.0 / theta[2];
    let (a_c, b) = (theta[0] * sigma, theta[1] * sigma);
    // The observed information in (a_c, b, sigma) is J' (-H) J with J = d theta / d(a_c, b,
    // sigma); its inverse is J^-1 (-H)^-1 J^-T. The gradient vanishes at the maximum, so the
    // second-derivative term of the chain rule drops out.
    let (_, h) = problem.derivatives(theta);
    let Some(cov_theta) = invert_spd(h.map(|row| row.map(|v| -v))) else {
        return Err(CensoredError::NoMaximum);
    };
    // J^-1 = d(a_c, b, sigma) / d theta: a_c = t0 / t2, b = t1 / t2, sigma = 1 / t2.
    let t2 = theta[2];
    let jinv = [
        [1.0 / t2, 0.0, -theta[0] / (t2 * t2)],
        [0.0, 1.0 / t2, -theta[1] / (t2 * t2)],
        [0.0, 0.0, -1.0 / (t2 * t2)],
    ];
    let cov = sandwich(&jinv, &cov_theta);
    let slope_se = cov[1][1].sqrt();
    // Intercept at year 0: a = a_c - b * xbar.
    let intercept = a_c - b * xbar;
    let intercept_var = cov[0][0] + xbar * xbar * cov[1][1] - 2.0 * xbar * cov[0][1];
    let fit = CensoredFit {
        slope: b,
        intercept,
        sigma,
        slope_se,
        intercept_se: intercept_var.max(0.0).sqrt(),
        sigma_se: cov[2][2].sqrt(),
        slope_ci90: [b - Z95 * slope_se, b + Z95 * slope_se],
        log_likelihood: value,
        n,
        exact,
        lower: censoring.iter().filter(|&&c| c == Censoring::Lower).count(),
        upper: censoring.iter().filter(|&&c| c == Censoring::Upper).count(),
        iterations,
    };
    let finite = [
        fit.slope,
        fit.intercept,
        fit.sigma,
        fit.slope_se,
        fit.intercept_se,
        fit.sigma_se,
        fit.log_likelihood,
    ]
    .iter()
    .all(|v| v.is_finite());
    if finite {
        Ok(fit)
    } else {
        Err(CensoredError::NoMaximum)
    }
}

/// The bootstrap distribution of the censored-likelihood slope.
///
/// As [`crate::bootstrap`], but each resample keeps every row's censoring and is refitted by
/// [`censored_fit`]: as many studies as there are drawn with replacement (`study[i]` labels
/// row `i`'s study) with every row of each, each CEG (a value or a bound) redrawn from its
/// estimate (a point, as every bound is, keeps its value), then the fit. Resamples that cannot
/// be fitted (one date, no exact row) count as invalid; resamples whose likelihood has no finite
/// maximum (a slope or a sigma that runs away) count as failed. Neither enters the summary,
/// which is of the accepted slopes only. The same seed and stream give the same draws as the
/// OLS bootstrap.
///
/// `None` when the lengths differ, there are fewer than 3 studies, `resamples` is 0, or no
/// resample gave a slope.
pub fn censored_bootstrap(
    x: &[f64],
    ceg: &[&Estimate],
    censoring: &[Censoring],
    study: &[usize],
    resamples: usize,
    seed: u64,
    stream: u64,
) -> Option<BootstrapSummary> {
    if censoring.len() != x.len() {
        return None;
    }
    let mut rows = Resampler::new(x, ceg, study, resamples, seed, stream)?;
    let mut taken = Vec::with_capacity(x.len());
    let mut xs = Vec::with_capacity(x.len());
    let mut ys = Vec::with_capacity(x.len());
    let mut cs = Vec::with_capacity(x.len());
    let mut slopes = Vec::with_capacity(resamples);
    let mut failed = 0;
    for _ in 0..resamples {
        rows.draw(&mut taken);
        xs.clear();
        ys.clear();
        cs.clear();
        for &(i, y) in &taken {
            xs.push(x[i]);
            ys.push(y);
            cs.push(censoring[i]);
        }
        match censored_fit(&xs, &ys, &cs) {
            Ok(fit) => slopes.push(fit.slope),
            Err(CensoredError::NoMaximum) => failed += 1,
            Err(CensoredError::TooFewRows { .. } | CensoredError::OneDate) => {}
        }
    }
    summarise(resamples, failed, slopes)
}

/// Whether the likelihood rises without end as the line turns about the exact rows' date: every
/// exact row on one date `x0`, and a direction of turning (the line rising after `x0`, or
/// falling) in which every bound is cleared by ever more: a lower bound where the line goes up,
/// an upper bound where it goes down, any bound on `x0` itself unchanged.
#[expect(
    clippy::float_cmp,
    reason = "one date is one decimal year, computed alike for every row written with it"
)]
fn slope_runs_away(x: &[f64], censoring: &[Censoring]) -> bool {
    let mut exact = x
        .iter()
        .zip(censoring)
        .filter(|&(_, &c)| c == Censoring::None)
        .map(|(&xi, _)| xi);
    let Some(x0) = exact.next() else {
        return false;
    };
    if exact.any(|xi| xi != x0) {
        return false;
    }
    let cleared = |direction: f64| {
        x.iter().zip(censoring).all(|(&xi, &c)| {
            let rise = direction * (xi - x0);
            match c {
                Censoring::None => true,
                Censoring::Lower => rise >= 0.0,
                Censoring::Upper => rise <= 0.0,
            }
        })
    };
    cleared(1.0) || cleared(-1.0)
}

/// The log-likelihood in Olsen's parametrisation `theta = (a_c / sigma, b / sigma, 1 / sigma)`
/// over centred `u`.
struct Likelihood<'a> {
    u: &'a [f64],
    y: &'a [f64],
    censoring: &'a [Censoring],
}

/// `ln sqrt(2 pi)`.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

impl Likelihood<'_> {
    fn value(&self, theta: [f64; 3]) -> f64 {
        let mut sum = 0.0;
        for ((&u, &y), &c) in self.u.iter().zip(self.y).zip(self.censoring) {
            let linear = theta[0] + theta[1] * u;
            sum += match c {
                Censoring::None => {
                    let e = theta[2] * y - linear;
                    libm::log(theta[2]) - 0.5 * e * e - LN_SQRT_2PI
                }
                Censoring::Lower => log_ndtr(linear - theta[2] * y).0,
                Censoring::Upper => log_ndtr(theta[2] * y - linear).0,
            };
        }
        sum
    }

    /// The gradient and the Hessian.
    fn derivatives(&self, theta: [f64; 3]) -> ([f64; 3], [[f64; 3]; 3]) {
        let mut g = [0.0; 3];
        let mut h = [[0.0; 3]; 3];
        for ((&u, &y), &c) in self.u.iter().zip(self.y).zip(self.censoring) {
            let linear = theta[0] + theta[1] * u;
            match c {
                Censoring::None => {
                    // l = ln t2 - e^2 / 2, e = t2 y - t0 - t1 u.
                    let e = theta[2] * y - linear;
                    let d = [1.0, u, -y]; // -de/dtheta
                    for k in 0..2 {
                        g[k] += e * d[k];
                    }
                    g[2] += 1.0 / theta[2] - e * y;
                    for k in 0..3 {
                        for l in 0..3 {
                            h[k][l] -= d[k] * d[l];
                        }
                    }
                    h[2][2] -= 1.0 / (theta[2] * theta[2]);
                }
                Censoring::Lower | Censoring::Upper => {
                    // l = ln Phi(t), t = s (t0 + t1 u - t2 y), s = +1 lower, -1 upper.
                    let s = if c == Censoring::Lower { 1.0 } else { -1.0 };
                    let t = s * (linear - theta[2] * y);
                    let (_, mills) = log_ndtr(t);
                    let dt = [s, s * u, -s * y];
                    let curvature = -mills * (t + mills);
                    for k in 0..3 {
                        g[k] += mills * dt[k];
                        for l in 0..3 {
                            h[k][l] += curvature * dt[k] * dt[l];
                        }
                    }
                }
            }
        }
        (g, h)
    }
}

/// `ln Phi(t)` and the inverse Mills ratio `phi(t) / Phi(t)`, accurate far into both tails.
pub(crate) fn log_ndtr(t: f64) -> (f64, f64) {
    if t < -37.0 {
        // Phi(t) = phi(t) / -t * (1 - 1/t^2 + 3/t^4 - 15/t^6 + ...), the asymptotic series.
        let t2 = t * t;
        let series = 1.0 - 1.0 / t2 + 3.0 / (t2 * t2) - 15.0 / (t2 * t2 * t2);
        let log_phi = -0.5 * t2 - LN_SQRT_2PI;
        return (log_phi - libm::log(-t) + libm::log(series), -t / series);
    }
    let density = libm::exp(-0.5 * t * t - LN_SQRT_2PI);
    if t > 0.0 {
        let upper = 0.5 * libm::erfc(t / core::f64::consts::SQRT_2);
        (libm::log1p(-upper), density / (1.0 - upper))
    } else {
        let cdf = 0.5 * libm::erfc(-t / core::f64::consts::SQRT_2);
        (libm::log(cdf), density / cdf)
    }
}

/// Solves `a x = b` for symmetric positive definite `a` by Cholesky; `None` when `a` is not
/// positive definite.
fn solve_spd(a: [[f64; 3]; 3], b: [f64; 3]) -> Option<[f64; 3]> {
    let l = cholesky(a)?;
    let mut z = [0.0; 3];
    for i in 0..3 {
        let s: f64 = (0..i).map(|k| l[i][k] * z[k]).sum();
        z[i] = (b[i] - s) / l[i][i];
    }
    let mut x = [0.0; 3];
    for i in (0..3).rev() {
        let s: f64 = (i + 1..3).map(|k| l[k][i] * x[k]).sum();
        x[i] = (z[i] - s) / l[i][i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

fn invert_spd(a: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let mut inv = [[0.0; 3]; 3];
    for j in 0..3 {
        let mut e = [0.0; 3];
        e[j] = 1.0;
        let col = solve_spd(a, e)?;
        for i in 0..3 {
            inv[i][j] = col[i];
        }
    }
    Some(inv)
}

fn cholesky(a: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let mut l = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - s;
                if d.is_nan() || d <= 0.0 {
                    return None;
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// `m c m^T`.
fn sandwich(m: &[[f64; 3]; 3], c: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let mut out = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            let mut s = 0.0;
            for k in 0..3 {
                for l in 0..3 {
                    s += m[i][k] * c[k][l] * m[j][l];
                }
            }
            out[i][j] = s;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use overhang_testkit::{ROUNDING, Tolerance, assert_close};

    /// Two arguments 1e-9 apart, on either side of a branch: the function moves by its slope
    /// (at most about 37 here) times 1e-9, far inside this; a jump between branches would not.
    const CONTINUITY: Tolerance = Tolerance::relative_of("CONTINUITY", 1e-6);

    /// The Mills ratio's asymptote -t at t = -100: the next term of its expansion is 1/t.
    const MILLS_ASYMPTOTE: Tolerance = Tolerance::absolute("MILLS_ASYMPTOTE", 0.02);
    use super::*;
    use crate::line::ols;

    #[test]
    fn without_bounds_the_line_is_ols_and_sigma_the_ml_estimate() {
        let x = [2019.5, 2020.0, 2021.25, 2022.0, 2023.5, 2024.0];
        let y = [0.4, 0.7, 0.6, 1.1, 1.0, 1.5];
        let c = [Censoring::None; 6];
        let fit = censored_fit(&x, &y, &c).unwrap();
        let line = ols(&x, &y).unwrap();
        assert_close!(fit.slope, line.slope, ROUNDING);
        assert_close!(fit.intercept, line.intercept, ROUNDING.relative());
        let ssr: f64 = x
            .iter()
            .zip(&y)
            .map(|(xi, yi)| {
                let r = yi - line.intercept - line.slope * xi;
                r * r
            })
            .sum();
        assert_close!(fit.sigma, (ssr / 6.0).sqrt(), ROUNDING);
        // The observed information gives sigma^2 (X'X)^-1: OLS's errors times sqrt((n-2)/n).
        assert_close!(
            fit.slope_se,
            line.slope_se * (4.0f64 / 6.0).sqrt(),
            ROUNDING
        );
        assert_eq!((fit.exact, fit.lower, fit.upper), (6, 0, 0));
    }

    #[test]
    fn a_lower_bound_above_the_line_pulls_the_slope_up() {
        let x = [2020.0, 2021.0, 2022.0, 2023.0, 2024.0];
        let y = [0.5, 0.6, 0.8, 0.9, 1.0];
        let mut c = [Censoring::None; 5];
        let exact = censored_fit(&x, &y, &c).unwrap();
        // The last row is only known to be at least 1.0: the likelihood lets it sit higher.
        c[4] = Censoring::Lower;
        let bounded = censored_fit(&x, &y, &c).unwrap();
        assert!(bounded.slope > exact.slope);
        assert_eq!(bounded.lower, 1);
        // An upper bound instead pulls it down.
        c[4] = Censoring::Upper;
        assert!(censored_fit(&x, &y, &c).unwrap().slope < exact.slope);
    }

    #[test]
    fn bounds_that_cannot_pin_the_line_have_no_maximum() {
        let x = [2020.0, 2021.0, 2022.0, 2023.0];
        let y = [0.5, 0.6, 0.8, 0.9];
        // One exact row and three lower bounds: the line can pass through the exact row and
        // clear every bound with ever smaller sigma.
        let c = [
            Censoring::None,
            Censoring::Lower,
            Censoring::Lower,
            Censoring::Lower,
        ];
        assert_eq!(censored_fit(&x, &y, &c), Err(CensoredError::NoMaximum));
        let all = [Censoring::Lower; 4];
        assert_eq!(
            censored_fit(&x, &y, &all),
            Err(CensoredError::TooFewRows { rows: 4, exact: 0 })
        );
        assert_eq!(
            censored_fit(&[2020.0; 3], &[0.1, 0.2, 0.3], &[Censoring::None; 3]),
            Err(CensoredError::OneDate)
        );
    }

    #[test]
    fn log_ndtr_is_continuous_across_its_branches() {
        for t in [-37.0 - 1e-9, -37.0, -5.0, 0.0, 5.0] {
            let (a, ma) = log_ndtr(t);
            let (b, mb) = log_ndtr(t + 1e-9);
            assert_close!(a, b, CONTINUITY, "{t}: {a} {b}");
            assert_close!(ma, mb, CONTINUITY, "{t}: {ma} {mb}");
        }
        // Far in the lower tail the Mills ratio approaches -t.
        let (_, m) = log_ndtr(-100.0);
        assert_close!(m, 100.0, MILLS_ASYMPTOTE);
    }
}
