//! A seeded bootstrap of the OLS slope that resamples studies (clusters of rows) and redraws
//! each CEG.

use overhang_model::Estimate;
use overhang_model::results::{BootstrapSummary, Quantiles3};
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use crate::numbers::quantile_sorted;

/// The bootstrap distribution of the OLS slope of log10 CEG on `x`, resampling studies.
///
/// `study[i]` labels row `i`'s study: rows of one study or one analysis are not independent
/// observations, so each resample draws as many studies as there are, with replacement, and
/// takes every row of each study drawn (a cluster bootstrap). For every row taken it draws a
/// fresh CEG from its estimate (`Estimate::quantile(u)` with `u` uniform on (0, 1); a point
/// estimate always gives its value), then fits OLS. When every row is its own study this is
/// the row bootstrap, draw for draw. Resamples whose rows all share one date have no slope and
/// are counted as invalid. The summary gives the mean, the sample standard deviation and the
/// 5th, 50th and 95th percentiles (linear interpolation, numpy's default) of the valid slopes.
///
/// The random stream is `ChaCha8` seeded with `seed` on stream `stream`, so each category can
/// have its own reproducible stream. `None` when `x`, `ceg` and `study` differ in length,
/// there are fewer than 3 studies or `resamples` is 0, or no resample gave a slope.
pub fn bootstrap(
    x: &[f64],
    ceg: &[&Estimate],
    study: &[usize],
    resamples: usize,
    seed: u64,
    stream: u64,
) -> Option<BootstrapSummary> {
    let mut rows = Resampler::new(x, ceg, study, resamples, seed, stream)?;
    let mut taken = Vec::with_capacity(x.len());
    let mut xs = Vec::with_capacity(x.len());
    let mut ys = Vec::with_capacity(x.len());
    let mut slopes = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        rows.draw(&mut taken);
        xs.clear();
        ys.clear();
        for &(i, y) in &taken {
            xs.push(x[i]);
            ys.push(y);
        }
        if let Some(s) = slope(&xs, &ys) {
            slopes.push(s);
        }
    }
    // Least squares has a slope whenever the dates differ: no resample fails.
    summarise(resamples, 0, slopes)
}

/// The seeded draws both bootstraps share: a study index uniform over the studies, then the
/// log10 CEG of each of that study's rows redrawn from its estimate, in that order from one
/// `ChaCha8` stream.
pub(crate) struct Resampler<'a> {
    rng: ChaCha8Rng,
    ceg: &'a [&'a Estimate],
    /// A point estimate's log, computed once.
    fixed: Vec<Option<f64>>,
    /// The rows of each study, in order of first appearance.
    studies: Vec<Vec<usize>>,
}

impl<'a> Resampler<'a> {
    /// `None` when `x`, `ceg` and `study` differ in length, there are fewer than 3 studies,
    /// `resamples` is 0 or a date is not finite.
    pub(crate) fn new(
        x: &[f64],
        ceg: &'a [&'a Estimate],
        study: &[usize],
        resamples: usize,
        seed: u64,
        stream: u64,
    ) -> Option<Self> {
        let n = x.len();
        if ceg.len() != n || study.len() != n || resamples == 0 || !x.iter().all(|v| v.is_finite())
        {
            return None;
        }
        let mut labels: Vec<usize> = Vec::new();
        let mut studies: Vec<Vec<usize>> = Vec::new();
        for (i, &label) in study.iter().enumerate() {
            match labels.iter().position(|&l| l == label) {
                Some(k) => studies[k].push(i),
                None => {
                    labels.push(label);
                    studies.push(vec![i]);
                }
            }
        }
        if studies.len() < 3 {
            return None;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        let fixed = ceg
            .iter()
            .map(|e| e.is_point().then(|| libm::log10(e.central())))
            .collect();
        Some(Self {
            rng,
            ceg,
            fixed,
            studies,
        })
    }

    /// One resample into `taken`: the rows of as many studies as there are, drawn with
    /// replacement, each with its redrawn log10 CEG.
    pub(crate) fn draw(&mut self, taken: &mut Vec<(usize, f64)>) {
        taken.clear();
        let count = self.studies.len();
        for _ in 0..count {
            let k = below(&mut self.rng, count as u64) as usize;
            for &i in &self.studies[k] {
                taken.push((i, log10_draw(self.ceg[i], self.fixed[i], &mut self.rng)));
            }
        }
    }
}

/// A fresh log10 CEG drawn from `ceg` (`fixed`, its log, for a point estimate).
pub(crate) fn log10_draw(ceg: &Estimate, fixed: Option<f64>, rng: &mut ChaCha8Rng) -> f64 {
    fixed.unwrap_or_else(|| {
        let draw = ceg.quantile(open_unit(rng));
        // A draw at or below zero (a normal estimate's tail) has no log: the row keeps its
        // central value for this resample.
        if draw > 0.0 && draw.is_finite() {
            libm::log10(draw)
        } else {
            libm::log10(ceg.central())
        }
    })
}

/// The summary of the accepted slopes of `resamples` resamples, `failed` of which had no fit:
/// `None` when there are none or a statistic is not finite.
pub(crate) fn summarise(
    resamples: usize,
    failed: usize,
    mut slopes: Vec<f64>,
) -> Option<BootstrapSummary> {
    if slopes.is_empty() {
        return None;
    }
    let valid = slopes.len();
    let mean = slopes.iter().sum::<f64>() / valid as f64;
    let sd = if valid > 1 {
        let ss: f64 = slopes.iter().map(|s| (s - mean) * (s - mean)).sum();
        (ss / (valid - 1) as f64).sqrt()
    } else {
        0.0
    };
    slopes.sort_unstable_by(f64::total_cmp);
    let summary = BootstrapSummary {
        resamples,
        valid,
        failed,
        mean,
        sd,
        quantiles: Quantiles3 {
            p5: quantile_sorted(&slopes, 0.05),
            p50: quantile_sorted(&slopes, 0.5),
            p95: quantile_sorted(&slopes, 0.95),
        },
    };
    let finite = [mean, sd]
        .iter()
        .chain(&summary.quantiles.to_array())
        .all(|v| v.is_finite());
    finite.then_some(summary)
}

/// The OLS slope alone, for the resamples; `None` when every `x` is equal.
fn slope(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let xbar = x.iter().sum::<f64>() / n;
    let ybar = y.iter().sum::<f64>() / n;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for (&xi, &yi) in x.iter().zip(y) {
        let dx = xi - xbar;
        sxx += dx * dx;
        sxy += dx * (yi - ybar);
    }
    let s = sxy / sxx;
    (sxx > 0.0 && s.is_finite()).then_some(s)
}

/// A uniform integer in `0..n` (`n > 0`), unbiased, by Lemire's multiply-and-reject.
pub(crate) fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    let mut m = u128::from(rng.next_u64()) * u128::from(n);
    if (m as u64) < n {
        let threshold = n.wrapping_neg() % n;
        while (m as u64) < threshold {
            m = u128::from(rng.next_u64()) * u128::from(n);
        }
    }
    (m >> 64) as u64
}

/// A uniform double on the open interval (0, 1): 53 random bits, centred in their cell.
pub(crate) fn open_unit(rng: &mut ChaCha8Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use overhang_testkit::{ROUNDING, assert_close};

    /// Every row its own study.
    const STUDIES: [usize; 4] = [0, 1, 2, 3];

    #[test]
    fn point_estimates_on_a_line_give_that_slope_in_every_valid_resample() {
        let x = [2020.0, 2021.0, 2022.0, 2023.0];
        let e: Vec<Estimate> = [1.0, 2.0, 4.0, 8.0]
            .iter()
            .map(|&v| Estimate::point(v).unwrap())
            .collect();
        let refs: Vec<&Estimate> = e.iter().collect();
        let b = bootstrap(&x, &refs, &[0, 1, 2, 3], 500, 7, 0).unwrap();
        let log2 = libm::log10(2.0);
        assert!(b.valid > 450 && b.valid <= 500);
        assert_close!(b.mean, log2, ROUNDING);
        assert_close!(b.sd, 0.0, ROUNDING);
        for q in b.quantiles.to_array() {
            assert_close!(q, log2, ROUNDING);
        }
    }

    #[test]
    fn same_seed_same_draws_and_streams_differ() {
        let x = [2020.0, 2021.5, 2022.0, 2024.0];
        let e: Vec<Estimate> = ["2 to 5", "3 to 9", "4 to 20", "10 to 40"]
            .iter()
            .map(|t| Estimate::parse(t).unwrap())
            .collect();
        let refs: Vec<&Estimate> = e.iter().collect();
        let a = bootstrap(&x, &refs, &STUDIES, 300, 42, 0).unwrap();
        assert_eq!(a, bootstrap(&x, &refs, &STUDIES, 300, 42, 0).unwrap());
        assert_ne!(a, bootstrap(&x, &refs, &STUDIES, 300, 42, 1).unwrap());
        assert_ne!(a, bootstrap(&x, &refs, &STUDIES, 300, 43, 0).unwrap());
        assert!(a.sd > 0.0 && a.quantiles.p5 < a.quantiles.p95);
    }

    #[test]
    fn unit_draws_stay_inside_the_open_interval() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..10_000 {
            let u = open_unit(&mut rng);
            assert!(u > 0.0 && u < 1.0);
            assert!(below(&mut rng, 3) < 3);
        }
    }
}
