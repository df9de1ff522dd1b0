//! A logistic curve of score against log10 compute, fitted by least squares with a
//! Levenberg–Marquardt iteration from fixed starting points.

/// A fitted logistic curve
/// `score = floor + (ceiling - floor) / (1 + exp(-(x - midpoint) / scale))`, with `x` the log10
/// of compute, `floor` and `ceiling` fixed at the benchmark's range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Logistic {
    /// The score the curve approaches at small compute (the range's low end).
    pub floor: f64,
    /// The score the curve approaches at large compute (the range's high end).
    pub ceiling: f64,
    /// The log10 compute at which the curve is halfway from floor to ceiling.
    pub midpoint: f64,
    /// The curve's width in log10 compute (positive): from `midpoint - scale` to
    /// `midpoint + scale` it rises from 26.9% to 73.1% of the range.
    pub scale: f64,
    /// The sum of squared residuals of the fit.
    pub rss: f64,
}

impl Logistic {
    /// The curve's score at log10 compute `x`.
    pub fn score(&self, x: f64) -> f64 {
        self.floor + (self.ceiling - self.floor) * sigmoid((x - self.midpoint) / self.scale)
    }

    /// The log10 compute at which the curve reaches `score`; `None` unless `score` lies
    /// strictly between floor and ceiling.
    pub fn log10_compute_at(&self, score: f64) -> Option<f64> {
        if !(score > self.floor && score < self.ceiling) {
            return None;
        }
        let x =
            self.midpoint + self.scale * libm::log((score - self.floor) / (self.ceiling - score));
        x.is_finite().then_some(x)
    }
}

/// `1 / (1 + exp(-z))`.
fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + libm::exp(-z))
}

/// The most Levenberg–Marquardt iterations from one starting point.
const MAX_ITERATIONS: usize = 1000;

/// Fits the logistic with fixed `floor < ceiling` to the points `(x, y)` by least squares.
///
/// The free parameters are the midpoint and the log of the scale (so the scale stays
/// positive). Levenberg–Marquardt (Marquardt's diagonal scaling, the damping divided by 10
/// after a step that lowers the residual sum of squares and multiplied by 10 after one that
/// does not) runs from each of these starting points in turn, and the lowest residual sum of
/// squares wins (the earlier start on a tie):
///
/// 1. the straight-line fit of `ln((y - floor) / (ceiling - y))` on `x` over the points
///    strictly inside the range, when its slope is positive;
/// 2. every midpoint in {smallest x, middle, largest x} with every scale in {span/8, span/2,
///    2 span}, span being the range of `x`.
///
/// `None` with fewer than 3 points or fewer than 2 distinct `x`, or when the best fit is not
/// finite or runs away (a scale outside `[span/1000, 1000 span]`, or a midpoint more than
/// 10 spans beyond the data).
pub fn fit_logistic(x: &[f64], y: &[f64], floor: f64, ceiling: f64) -> Option<Logistic> {
    let n = x.len();
    if n < 3 || y.len() != n || floor.is_nan() || ceiling.is_nan() || floor >= ceiling {
        return None;
    }
    if !x.iter().chain(y).all(|v| v.is_finite()) {
        return None;
    }
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = hi - lo;
    // The values are finite here, so the span is a number.
    if span <= 0.0 {
        return None;
    }
    let mut starts: Vec<(f64, f64)> = Vec::new();
    if let Some(start) = logit_start(x, y, floor, ceiling) {
        starts.push(start);
    }
    for midpoint in [lo, 0.5 * (lo + hi), hi] {
        for scale in [span / 8.0, span / 2.0, 2.0 * span] {
            starts.push((midpoint, scale));
        }
    }
    let problem = Problem {
        x,
        y,
        floor,
        ceiling,
    };
    let mut best: Option<Logistic> = None;
    for (midpoint, scale) in starts {
        let fit = problem.levenberg_marquardt([midpoint, libm::log(scale)]);
        if let Some(f) = fit
            && best.is_none_or(|b| f.rss < b.rss)
        {
            best = Some(f);
        }
    }
    let best = best?;
    let sane = best.scale >= span / 1000.0
        && best.scale <= 1000.0 * span
        && best.midpoint >= lo - 10.0 * span
        && best.midpoint <= hi + 10.0 * span;
    sane.then_some(best)
}

/// The line through the logits of the points strictly inside the range, as (midpoint, scale).
fn logit_start(x: &[f64], y: &[f64], floor: f64, ceiling: f64) -> Option<(f64, f64)> {
    let inside: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|&(_, &v)| v > floor && v < ceiling)
        .map(|(&u, &v)| (u, libm::log((v - floor) / (ceiling - v))))
        .collect();
    if inside.len() < 2 {
        return None;
    }
    let n = inside.len() as f64;
    let xbar = inside.iter().map(|p| p.0).sum::<f64>() / n;
    let zbar = inside.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = inside.iter().map(|p| (p.0 - xbar) * (p.0 - xbar)).sum();
    let sxz: f64 = inside.iter().map(|p| (p.0 - xbar) * (p.1 - zbar)).sum();
    let slope = sxz / sxx;
    (sxx > 0.0 && slope > 0.0 && slope.is_finite()).then(|| (xbar - zbar / slope, 1.0 / slope))
}

struct Problem<'a> {
    x: &'a [f64],
    y: &'a [f64],
    floor: f64,
    ceiling: f64,
}

impl Problem<'_> {
    /// The residual sum of squares at `p = [midpoint, ln scale]`.
    fn rss(&self, p: [f64; 2]) -> f64 {
        let scale = libm::exp(p[1]);
        self.x
            .iter()
            .zip(self.y)
            .map(|(&x, &y)| {
                let r =
                    y - (self.floor + (self.ceiling - self.floor) * sigmoid((x - p[0]) / scale));
                r * r
            })
            .sum()
    }

    /// `J^T J` and `J^T r` at `p`, `J` the Jacobian of the curve and `r` the residuals.
    fn normal_equations(&self, p: [f64; 2]) -> ([[f64; 2]; 2], [f64; 2]) {
        let scale = libm::exp(p[1]);
        let range = self.ceiling - self.floor;
        let mut a = [[0.0; 2]; 2];
        let mut g = [0.0; 2];
        for (&x, &y) in self.x.iter().zip(self.y) {
            let z = (x - p[0]) / scale;
            let s = sigmoid(z);
            let r = y - (self.floor + range * s);
            let slope = range * s * (1.0 - s);
            // d score / d midpoint and d score / d ln scale.
            let j = [-slope / scale, -slope * z];
            for k in 0..2 {
                g[k] += j[k] * r;
                for l in 0..2 {
                    a[k][l] += j[k] * j[l];
                }
            }
        }
        (a, g)
    }

    fn levenberg_marquardt(&self, start: [f64; 2]) -> Option<Logistic> {
        let mut p = start;
        let mut rss = self.rss(p);
        if !rss.is_finite() {
            return None;
        }
        let mut lambda = 1e-3;
        for _ in 0..MAX_ITERATIONS {
            let (a, g) = self.normal_equations(p);
            if g[0] == 0.0 && g[1] == 0.0 {
                break;
            }
            // Marquardt's scaling; a floor keeps a flat direction from making it singular.
            let d = [a[0][0].max(1e-300), a[1][1].max(1e-300)];
            let mut improved = false;
            while lambda <= 1e20 {
                let m = [
                    [a[0][0] + lambda * d[0], a[0][1]],
                    [a[1][0], a[1][1] + lambda * d[1]],
                ];
                let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
                let step = [
                    (g[0] * m[1][1] - g[1] * m[0][1]) / det,
                    (m[0][0] * g[1] - m[1][0] * g[0]) / det,
                ];
                let trial = [p[0] + step[0], p[1] + step[1]];
                let trial_rss = self.rss(trial);
                if det > 0.0 && trial_rss.is_finite() && trial_rss < rss {
                    let small = step[0].abs() <= 1e-13 * (1.0 + p[0].abs())
                        && step[1].abs() <= 1e-13 * (1.0 + p[1].abs());
                    let stalled = rss - trial_rss <= 1e-16 * rss;
                    p = trial;
                    rss = trial_rss;
                    lambda = (lambda / 10.0).max(1e-12);
                    improved = true;
                    if small || stalled {
                        return self.result(p, rss);
                    }
                    break;
                }
                lambda *= 10.0;
            }
            if !improved {
                // No step lowers the sum of squares: a minimum to working precision.
                break;
            }
        }
        self.result(p, rss)
    }

    fn result(&self, p: [f64; 2], rss: f64) -> Option<Logistic> {
        let fit = Logistic {
            floor: self.floor,
            ceiling: self.ceiling,
            midpoint: p[0],
            scale: libm::exp(p[1]),
            rss,
        };
        (fit.midpoint.is_finite() && fit.scale.is_finite() && fit.scale > 0.0 && rss.is_finite())
            .then_some(fit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use overhang_testkit::{SOLVER, assert_close};

    #[test]
    fn recovers_an_exact_logistic() {
        let truth = Logistic {
            floor: 0.0,
            ceiling: 100.0,
            midpoint: 22.3,
            scale: 0.7,
            rss: 0.0,
        };
        let x: Vec<f64> = (0..6).map(|i| 20.0 + 0.6 * f64::from(i)).collect();
        let y: Vec<f64> = x.iter().map(|&v| truth.score(v)).collect();
        let fit = fit_logistic(&x, &y, 0.0, 100.0).unwrap();
        assert_close!(fit.midpoint, 22.3, SOLVER, "{fit:?}");
        assert_close!(fit.scale, 0.7, SOLVER, "{fit:?}");
        assert!(fit.rss < 1e-16);
        let back = fit.log10_compute_at(truth.score(21.7)).unwrap();
        assert_close!(back, 21.7, SOLVER);
    }

    #[test]
    fn scores_at_or_beyond_the_range_have_no_compute() {
        let l = Logistic {
            floor: 0.0,
            ceiling: 100.0,
            midpoint: 0.0,
            scale: 1.0,
            rss: 0.0,
        };
        assert_eq!(l.log10_compute_at(100.0), None);
        assert_eq!(l.log10_compute_at(0.0), None);
        assert_eq!(l.log10_compute_at(50.0), Some(0.0));
    }

    #[test]
    fn too_few_points_or_one_compute_give_no_fit() {
        assert!(fit_logistic(&[1.0, 2.0], &[10.0, 20.0], 0.0, 100.0).is_none());
        assert!(fit_logistic(&[1.0, 1.0, 1.0], &[10.0, 20.0, 30.0], 0.0, 100.0).is_none());
        assert!(fit_logistic(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0], 100.0, 0.0).is_none());
    }
}
