//! Base curves: a family's scores on one benchmark against log10 compute, made monotone by
//! pooling adjacent violators, and read backwards by linear interpolation.

use overhang_model::Censoring;

/// One model of a base curve.
#[derive(Debug, Clone, PartialEq)]
pub struct BasePoint {
    /// The model's name.
    pub model: String,
    /// Training compute (or the parameter count the notes name).
    pub compute: f64,
    /// `log10(compute)`.
    pub log10_compute: f64,
    /// The score as measured.
    pub score: f64,
    /// The score on the monotone curve: equal to `score` unless pooled with a neighbour.
    pub fitted: f64,
    /// The row's line in scaling.csv.
    pub line: usize,
}

/// A block of adjacent points that the pool-adjacent-violators algorithm merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// Indices into the curve's points, increasing.
    pub points: Vec<usize>,
    /// The mean score they share.
    pub score: f64,
}

/// Makes `scores` (ordered by increasing compute, one weight each) non-decreasing by the
/// pool-adjacent-violators algorithm: the least-squares non-decreasing fit. Returns the fitted
/// values and the blocks of two or more points that were pooled.
///
/// Equal neighbours are not violators and stay unpooled.
pub fn pool_adjacent_violators(scores: &[f64]) -> (Vec<f64>, Vec<Pool>) {
    // Each block: (sum, count, first index).
    let mut blocks: Vec<(f64, usize, usize)> = Vec::with_capacity(scores.len());
    for (i, &s) in scores.iter().enumerate() {
        blocks.push((s, 1, i));
        while blocks.len() >= 2 {
            let (s2, n2, _) = blocks[blocks.len() - 1];
            let (s1, n1, _) = blocks[blocks.len() - 2];
            // Compare means without dividing: s1/n1 > s2/n2.
            if s1 * n2 as f64 > s2 * n1 as f64 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last].0 = s1 + s2;
                blocks[last].1 = n1 + n2;
            } else {
                break;
            }
        }
    }
    let mut fitted = Vec::with_capacity(scores.len());
    let mut pools = Vec::new();
    for &(sum, n, first) in &blocks {
        let mean = sum / n as f64;
        fitted.extend(std::iter::repeat_n(mean, n));
        if n >= 2 {
            pools.push(Pool {
                points: (first..first + n).collect(),
                score: mean,
            });
        }
    }
    (fitted, pools)
}

/// Where a non-decreasing piecewise-linear curve reaches a score, seen from a model on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    /// log10 of the compute at which the curve reaches the score, or for a bound the end of the
    /// curve beyond which it would.
    pub log10_compute: f64,
    /// `None` when the curve reaches the score; `Lower` when the score lies above the whole
    /// curve (the compute is at least the largest); `Upper` when below it (at most the
    /// smallest).
    pub censoring: Censoring,
}

/// The curve's score at `x` (log10 compute), by linear interpolation between the points
/// `(xs, ys)` (increasing `xs`); `None` outside `[xs[0], xs[last]]`.
#[expect(
    clippy::float_cmp,
    reason = "a model at a base point's compute reads that point's score exactly"
)]
pub fn score_at(xs: &[f64], ys: &[f64], x: f64) -> Option<f64> {
    let (first, last) = (*xs.first()?, *xs.last()?);
    if !(first..=last).contains(&x) {
        return None;
    }
    // The first point at or beyond x; x equals a point's compute exactly when it is one.
    let i = xs.iter().position(|&v| v >= x)?;
    if xs[i] == x || i == 0 {
        return Some(ys[i]);
    }
    let t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
    Some(ys[i - 1] + t * (ys[i] - ys[i - 1]))
}

/// Where the non-decreasing curve `(xs, ys)` reaches `target`, seen from a model at `x_own`
/// whose score on the curve is `own`.
///
/// Above `own`, the least compute that reaches `target`; below it, the largest compute that
/// does not exceed it; at `own`, `x_own` itself. So a flat stretch of the curve never moves the
/// answer away from the model. Beyond the ends of the curve the answer is a bound at the end.
#[expect(
    clippy::float_cmp,
    reason = "a score equal to a base point's is reached exactly at that point"
)]
pub fn crossing(xs: &[f64], ys: &[f64], x_own: f64, own: f64, target: f64) -> Crossing {
    let exact = |x| Crossing {
        log10_compute: x,
        censoring: Censoring::None,
    };
    let n = xs.len();
    if target > own {
        if target > ys[n - 1] {
            return Crossing {
                log10_compute: xs[n - 1],
                censoring: Censoring::Lower,
            };
        }
        // The curve is below `target` up to `x_own`, so this point lies beyond the model.
        // The last point reaches the target (checked above).
        let i = ys.iter().position(|&y| y >= target).unwrap_or(n - 1);
        if i == 0 || ys[i] == target {
            return exact(xs[i]);
        }
        let t = (target - ys[i - 1]) / (ys[i] - ys[i - 1]);
        exact(xs[i - 1] + t * (xs[i] - xs[i - 1]))
    } else if target < own {
        if target < ys[0] {
            return Crossing {
                log10_compute: xs[0],
                censoring: Censoring::Upper,
            };
        }
        // The first point is at or below the target (checked above).
        let i = ys.iter().rposition(|&y| y <= target).unwrap_or(0);
        if i == n - 1 || ys[i] == target {
            return exact(xs[i]);
        }
        let t = (target - ys[i]) / (ys[i + 1] - ys[i]);
        exact(xs[i] + t * (xs[i + 1] - xs[i]))
    } else {
        exact(x_own)
    }
}

#[cfg(test)]
#[expect(clippy::float_cmp, reason = "pooled means and grid points are exact")]
mod tests {
    use super::*;

    #[test]
    fn monotone_scores_are_left_alone() {
        let (f, pools) = pool_adjacent_violators(&[1.0, 2.0, 2.0, 5.0]);
        assert_eq!(f, vec![1.0, 2.0, 2.0, 5.0]);
        assert!(pools.is_empty());
    }

    #[test]
    fn violators_are_pooled_into_their_mean_and_cascade() {
        let (f, pools) = pool_adjacent_violators(&[1.0, 4.0, 2.0, 0.0, 6.0]);
        // 4, 2 pool to 3; then 3, 3, 0 pool to 2.
        assert_eq!(f, vec![1.0, 2.0, 2.0, 2.0, 6.0]);
        assert_eq!(
            pools,
            vec![Pool {
                points: vec![1, 2, 3],
                score: 2.0
            }]
        );
    }

    #[test]
    fn crossing_interpolates_and_bounds_beyond_the_ends() {
        let xs = [20.0, 21.0, 22.0, 23.0];
        let ys = [10.0, 20.0, 30.0, 40.0];
        let c = crossing(&xs, &ys, 21.0, 20.0, 35.0);
        assert_eq!(c.log10_compute, 22.5);
        assert_eq!(c.censoring, Censoring::None);
        let c = crossing(&xs, &ys, 21.0, 20.0, 45.0);
        assert_eq!((c.log10_compute, c.censoring), (23.0, Censoring::Lower));
        let c = crossing(&xs, &ys, 21.0, 20.0, 15.0);
        assert_eq!((c.log10_compute, c.censoring), (20.5, Censoring::None));
        let c = crossing(&xs, &ys, 21.0, 20.0, 5.0);
        assert_eq!((c.log10_compute, c.censoring), (20.0, Censoring::Upper));
        assert_eq!(crossing(&xs, &ys, 21.0, 20.0, 20.0).log10_compute, 21.0);
        assert_eq!(crossing(&xs, &ys, 21.0, 20.0, 40.0).log10_compute, 23.0);
    }

    #[test]
    fn flat_stretches_resolve_towards_the_model() {
        let xs = [1.0, 2.0, 3.0, 4.0];
        let ys = [0.0, 5.0, 5.0, 10.0];
        // From the model at 2 (score 5), a score of 5 is the model itself.
        assert_eq!(crossing(&xs, &ys, 2.0, 5.0, 5.0).log10_compute, 2.0);
        // From the model at 1, the least compute reaching 5.
        assert_eq!(crossing(&xs, &ys, 1.0, 0.0, 5.0).log10_compute, 2.0);
        // From the model at 4, the largest compute not exceeding 5.
        assert_eq!(crossing(&xs, &ys, 4.0, 10.0, 5.0).log10_compute, 3.0);
    }

    #[test]
    fn scores_between_points_are_interpolated() {
        let xs = [1.0, 2.0, 4.0];
        let ys = [0.0, 10.0, 30.0];
        assert_eq!(score_at(&xs, &ys, 3.0), Some(20.0));
        assert_eq!(score_at(&xs, &ys, 1.0), Some(0.0));
        assert_eq!(score_at(&xs, &ys, 4.0), Some(30.0));
        assert_eq!(score_at(&xs, &ys, 4.5), None);
    }
}
