//! One common slope with one intercept per group (a fixed-effects line), by OLS and WLS.

use overhang_model::results::PooledFit;
use overhang_model::special::student_t_ppf;

use crate::line::CONFIDENCE;
use crate::numbers::{doubling_years, pow10_saturating};

/// One group (category) of a pooled fit: its points and their WLS weights.
#[derive(Debug, Clone, Copy)]
pub struct PooledGroup<'a> {
    /// Group id, echoed in [`PooledFit::intercepts`].
    pub id: &'a str,
    /// Decimal years.
    pub x: &'a [f64],
    /// log10 CEG.
    pub y: &'a [f64],
    /// Inverse-variance weights for the WLS fit, finite and positive.
    pub w: &'a [f64],
}

/// The model `y = a_g + b * x` with one intercept `a_g` per group and a common slope `b`,
/// by OLS (with WLS slope and standard error alongside).
///
/// This is statsmodels `OLS(y, [dummies, x])`: the slope comes from the variation of `x`
/// within groups, the residual degrees of freedom are `n - groups - 1`, and R² is centred on
/// the overall mean (the dummies span a constant). `None` with fewer than two groups, an
/// empty or malformed group, no residual degree of freedom, no variation of `x` within any
/// group, or a result that is not finite.
pub fn pooled(groups: &[PooledGroup<'_>]) -> Option<PooledFit> {
    if groups.len() < 2
        || groups.iter().any(|g| {
            g.x.is_empty()
                || g.y.len() != g.x.len()
                || g.w.len() != g.x.len()
                || !g.x.iter().chain(g.y).all(|v| v.is_finite())
                || !g.w.iter().all(|&v| v.is_finite() && v > 0.0)
        })
    {
        return None;
    }
    let n: usize = groups.iter().map(|g| g.x.len()).sum();
    let df = n.checked_sub(groups.len() + 1).filter(|&d| d >= 1)? as f64;

    let ols = within(groups, false)?;
    let wls = within(groups, true)?;
    let t = student_t_ppf(0.5 + CONFIDENCE / 2.0, df);
    let slope_se = (ols.ssr / df / ols.sxx).sqrt();

    let (sum_y, count) = groups
        .iter()
        .flat_map(|g| g.y)
        .fold((0.0, 0.0), |(s, c), &v| (s + v, c + 1.0));
    let mean_y = sum_y / count;
    let tss: f64 = groups
        .iter()
        .flat_map(|g| g.y)
        .map(|&v| (v - mean_y) * (v - mean_y))
        .sum();
    let r2 = if tss > 0.0 {
        (1.0 - ols.ssr / tss).clamp(0.0, 1.0)
    } else {
        1.0
    };

    let fit = PooledFit {
        slope: ols.slope,
        slope_se,
        slope_ci90: [ols.slope - t * slope_se, ols.slope + t * slope_se],
        intercepts: groups
            .iter()
            .zip(&ols.means)
            .map(|(g, &(xbar, ybar))| (g.id.to_owned(), ybar - ols.slope * xbar))
            .collect(),
        r2,
        n,
        df,
        growth_per_year: pow10_saturating(ols.slope),
        doubling_years: doubling_years(ols.slope),
        wls_slope: wls.slope,
        wls_slope_se: (wls.ssr / df / wls.sxx).sqrt(),
    };
    let finite = [
        fit.slope,
        fit.slope_se,
        fit.slope_ci90[0],
        fit.slope_ci90[1],
        fit.r2,
        fit.wls_slope,
        fit.wls_slope_se,
    ]
    .into_iter()
    .chain(fit.intercepts.iter().map(|(_, a)| *a))
    .all(f64::is_finite);
    finite.then_some(fit)
}

struct Within {
    slope: f64,
    sxx: f64,
    ssr: f64,
    /// Per group: (mean x, mean y), weighted for WLS.
    means: Vec<(f64, f64)>,
}

/// The within-group (demeaned) regression, which gives the common slope of the dummy model.
fn within(groups: &[PooledGroup<'_>], weighted: bool) -> Option<Within> {
    let weight = |g: &PooledGroup<'_>, i: usize| if weighted { g.w[i] } else { 1.0 };
    let mean = |g: &PooledGroup<'_>, v: &[f64]| {
        let sw: f64 = (0..v.len()).map(|i| weight(g, i)).sum();
        let m = (0..v.len()).map(|i| weight(g, i) * v[i]).sum::<f64>() / sw;
        // One correction pass: years share a large offset.
        m + (0..v.len()).map(|i| weight(g, i) * (v[i] - m)).sum::<f64>() / sw
    };
    let means: Vec<(f64, f64)> = groups
        .iter()
        .map(|g| (mean(g, g.x), mean(g, g.y)))
        .collect();
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for (g, &(xbar, ybar)) in groups.iter().zip(&means) {
        for i in 0..g.x.len() {
            let (dx, dy) = (g.x[i] - xbar, g.y[i] - ybar);
            sxx += weight(g, i) * dx * dx;
            sxy += weight(g, i) * dx * dy;
        }
    }
    if sxx <= 0.0 || !sxx.is_finite() {
        return None;
    }
    let slope = sxy / sxx;
    let mut ssr = 0.0;
    for (g, &(xbar, ybar)) in groups.iter().zip(&means) {
        for i in 0..g.x.len() {
            let r = (g.y[i] - ybar) - slope * (g.x[i] - xbar);
            ssr += weight(g, i) * r * r;
        }
    }
    Some(Within {
        slope,
        sxx,
        ssr,
        means,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use overhang_testkit::{ROUNDING, SOLVER, assert_close};

    #[test]
    fn parallel_lines_give_their_common_slope_and_own_intercepts() {
        let x1 = [2020.0, 2021.0, 2022.0];
        let y1: Vec<f64> = x1.iter().map(|x| 0.3 * (x - 2020.0)).collect();
        let x2 = [2021.5, 2023.0];
        let y2: Vec<f64> = x2.iter().map(|x| 1.0 + 0.3 * (x - 2020.0)).collect();
        let g = [
            PooledGroup {
                id: "a",
                x: &x1,
                y: &y1,
                w: &[1.0; 3],
            },
            PooledGroup {
                id: "b",
                x: &x2,
                y: &y2,
                w: &[2.0; 2],
            },
        ];
        let fit = pooled(&g).unwrap();
        assert_close!(fit.slope, 0.3, ROUNDING);
        assert_close!(fit.wls_slope, 0.3, ROUNDING);
        assert_close!(fit.intercepts[1].1 - fit.intercepts[0].1, 1.0, SOLVER);
        assert_eq!((fit.n, fit.df), (5, 2.0));
    }

    #[test]
    fn one_group_or_no_spare_degree_of_freedom_gives_no_pooled_fit() {
        let x = [2020.0, 2021.0];
        let y = [0.1, 0.2];
        let w = [1.0, 1.0];
        let g = PooledGroup {
            id: "a",
            x: &x,
            y: &y,
            w: &w,
        };
        assert!(pooled(&[g]).is_none());
        // Two groups of two points: 4 rows, 3 parameters, 1 degree of freedom: a fit.
        assert!(pooled(&[g, PooledGroup { id: "b", ..g }]).is_some());
        // A group of one point: 3 rows, 3 parameters.
        let one = PooledGroup {
            id: "c",
            x: &x[..1],
            y: &y[..1],
            w: &w[..1],
        };
        assert!(pooled(&[g, one]).is_none());
    }
}
