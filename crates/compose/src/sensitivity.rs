//! Sensitivity of the uplift to each uncertain input: first-order variance shares from the
//! simulation's own samples, and tornado swings by pinning one input at a time.
//!
//! **First-order share.** Each input's draws fall in 50 equal-probability bins (for inputs
//! drawn by inversion the bin is `floor(50 u)` of the input's own uniform; for the others the
//! draw is compared with its exact 2nd, 4th, ..., 98th percentiles). With `n` samples, `U`'s
//! mean `m` and variance `V`, and the bin means `m_b` over `n_b` samples, the between-bin
//! variance `B = sum_b n_b (m_b - m)^2 / n` estimates `Var(E[U | input])`. Under sampling noise
//! alone `B` has expectation about `(50 - 1) / n` of the within-bin variance, so the share is
//! `S = (B - k V) / ((1 - k) V)` with `k = 49 / n`, clamped to `[0, 1]`. Grouping the input into
//! 50 bins ignores the variation of `E[U | input]` within a bin: a bias of order 1/50^2 for a
//! smooth effect.
//!
//! **Tornado.** The first `min(samples, 10000)` samples are rerun with one input pinned at its
//! 5th and then its 95th percentile, every other draw unchanged (common random numbers), and the
//! median of `10^U` is taken over those samples. The pinned value enters every place the
//! simulation uses the input: `Agg(L(t))` and `Agg(E)` alike (kappa and the pair
//! composabilities aggregate both; the available CEG and the cap bound `E_c`), so the median
//! with an input pinned at a value is the median of a simulation of those samples in which the
//! input is that value. Common random numbers make the swing between the two medians far more
//! precise than either median alone. The same reruns give, per threshold, the share of those
//! samples at or above it with the input pinned at each end: the swing in the probability of
//! reaching a re-evaluation step, ranked for the main step (the first with a cadence, else the
//! first).

use rayon::prelude::*;

use crate::CHUNK_SIZE;
use crate::kernel::{Scratch, Work, elicited_aggregate, elicited_from_gap, uplift, uplift_fused};
use crate::plan::Plan;
use crate::sampler::SENS_BINS;
use crate::{SimError, pow10};

/// The most samples rerun per pinned input for the tornado swings.
pub const TORNADO_SAMPLES: u64 = 10_000;

/// The samples the tornado swings and the headlines at fixed kappa rerun in a run of `samples`:
/// the first [`TORNADO_SAMPLES`], or all of them when there are fewer.
pub fn tornado_samples(samples: u64) -> u64 {
    samples.min(TORNADO_SAMPLES)
}

/// The bias-corrected first-order share from bin counts and bin sums of `U`, with `U`'s sum
/// and sum of squares over all `n` samples.
pub(crate) fn first_order(
    n: u64,
    sum: f64,
    sum_sq: f64,
    bin_sums: &[f64],
    bin_counts: &[u64],
) -> f64 {
    let nf = n as f64;
    let mean = sum / nf;
    let var = sum_sq / nf - mean * mean;
    // Relative to the scale of U, a variance this small is rounding: nothing to explain.
    if var.is_nan() || var <= 1e-24 * (1.0 + mean * mean) {
        return 0.0;
    }
    let between: f64 = bin_sums
        .iter()
        .zip(bin_counts)
        .filter(|&(_, &c)| c > 0)
        .map(|(&s, &c)| {
            let d = s / c as f64 - mean;
            c as f64 * d * d
        })
        .sum::<f64>()
        / nf;
    let k = (SENS_BINS as f64 - 1.0) / nf;
    let share = if k < 0.5 {
        (between - k * var) / ((1.0 - k) * var)
    } else {
        between / var
    };
    share.clamp(0.0, 1.0)
}

/// The values kappa is held at for the conditional headlines.
pub const CONDITIONAL_KAPPAS: [f64; 4] = [0.2, 0.45, 0.7, 1.0];

/// The headline numbers with one input held at a fixed value, over the tornado's samples.
#[derive(Debug, Clone)]
pub(crate) struct Held {
    /// The input's id.
    pub input: String,
    /// The value it is held at.
    pub value: f64,
    /// Per sensitivity step, the median multiplier.
    pub medians: Vec<f64>,
    /// Per sensitivity step, per threshold, the share of samples at or above it.
    pub exceed: Vec<Vec<f64>>,
}

/// One input's tornado at one sensitivity step: with the input pinned at its 5th and at its
/// 95th percentile, the median multiplier and, per threshold, the share of samples at or above
/// it.
#[derive(Debug, Clone)]
pub(crate) struct Swing {
    /// Median multiplier at the 5th percentile.
    pub median_p5: f64,
    /// Median multiplier at the 95th percentile.
    pub median_p95: f64,
    /// Per threshold, the share at or above it at the 5th percentile.
    pub exceed_p5: Vec<f64>,
    /// Per threshold, the share at or above it at the 95th percentile.
    pub exceed_p95: Vec<f64>,
}

/// What the reruns give: per sensitivity step, per input, the [`Swing`]; and the headline with
/// kappa held at each of [`CONDITIONAL_KAPPAS`] (when kappa is an uncertain input).
pub(crate) type Reruns = (Vec<Vec<Swing>>, Vec<Held>);

/// The tornado's medians and the conditional headlines, from the first
/// [`tornado_samples`]`(n)` samples (see [`Reruns`]).
pub(crate) fn tornado(plan: &Plan, n: u64) -> Result<Reruns, SimError> {
    let m = tornado_samples(n);
    let len = m as usize;
    let mut slots: Vec<Vec<f64>> = vec![Vec::with_capacity(len); plan.slots.len()];
    let mut work = Work::new(plan, CHUNK_SIZE as usize);
    let mut start = 0u64;
    let mut chunk = 0u64;
    while start < m {
        let k = (m - start).min(CHUNK_SIZE) as usize;
        crate::simd::wide(Draw {
            work: &mut work,
            plan,
            chunk,
            len: k,
        })?;
        for (all, block) in slots.iter_mut().zip(&work.slots) {
            all.extend_from_slice(&block[..k]);
        }
        start += k as u64;
        chunk += 1;
    }
    let base: Vec<&[f64]> = slots.iter().map(Vec::as_slice).collect();
    let mut scratch = Scratch::new(plan.categories.len(), len);
    let mut base_e = vec![0.0; len];
    elicited_aggregate(plan, &base, len, &mut scratch, &mut base_e);

    let mut jobs: Vec<(usize, f64)> = (0..plan.inputs.len())
        .flat_map(|i| {
            let s = &plan.inputs[i].sampler;
            [(i, s.value_at(0.05)), (i, s.value_at(0.95))]
        })
        .collect();
    let kappa = plan
        .inputs
        .iter()
        .position(|i| i.id == "composability.kappa");
    if let Some(k) = kappa {
        jobs.extend(CONDITIONAL_KAPPAS.iter().map(|&v| (k, v)));
    }
    let runs: Vec<Result<PinnedRun, SimError>> = jobs
        .par_iter()
        .map(|&(input, value)| {
            crate::simd::wide(Pinned {
                plan,
                base: &base,
                base_e: &base_e,
                input,
                value,
            })
        })
        .collect();
    let runs = runs.into_iter().collect::<Result<Vec<_>, _>>()?;
    let swings = (0..plan.sens_steps.len())
        .map(|h| {
            (0..plan.inputs.len())
                .map(|i| Swing {
                    median_p5: runs[2 * i].0[h],
                    median_p95: runs[2 * i + 1].0[h],
                    exceed_p5: runs[2 * i].1[h].clone(),
                    exceed_p95: runs[2 * i + 1].1[h].clone(),
                })
                .collect()
        })
        .collect();
    let held = jobs
        .iter()
        .zip(runs)
        .skip(2 * plan.inputs.len())
        .map(|(&(input, value), (medians, exceed))| Held {
            input: plan.inputs[input].id.clone(),
            value,
            medians,
            exceed,
        })
        .collect();
    Ok((swings, held))
}

/// Per sensitivity step, the median multiplier and, per threshold, the share at or above it.
type PinnedRun = (Vec<f64>, Vec<Vec<f64>>);

/// Draws a chunk of the tornado's samples, run by [`crate::simd::wide`].
struct Draw<'w, 'p> {
    work: &'w mut Work,
    plan: &'p Plan,
    chunk: u64,
    len: usize,
}

impl pulp::WithSimd for Draw<'_, '_> {
    type Output = Result<(), SimError>;
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> Self::Output {
        self.work.draw(self.plan, self.chunk, self.len)
    }
}

/// The medians of the multiplier at the sensitivity steps, and the shares at or above each
/// threshold, with one input pinned at `value`, run by [`crate::simd::wide`].
struct Pinned<'a> {
    plan: &'a Plan,
    base: &'a [&'a [f64]],
    base_e: &'a [f64],
    input: usize,
    value: f64,
}

impl pulp::WithSimd for Pinned<'_> {
    type Output = Result<PinnedRun, SimError>;
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> Self::Output {
        let Self {
            plan,
            base,
            base_e,
            input,
            value,
        } = self;
        let input = &plan.inputs[input];
        let len = base_e.len();
        let pinned = vec![value; len];
        let mut view = base.to_vec();
        view[input.slot] = &pinned;
        // A frozen category's available CEG is its elicited one: pinned together.
        for &(from, to) in &plan.copies {
            if from == input.slot {
                view[to] = &pinned;
            }
        }
        // A stated gap's elicited level follows the available level and the gap: pinning
        // either moves it.
        let mut pinned_gap = Vec::new();
        for &c in &plan.gaps {
            if input.slot == Plan::available(c) || input.slot == plan.gap(c) {
                let (a, g) = (view[Plan::available(c)], view[plan.gap(c)]);
                let e: Vec<f64> = a
                    .iter()
                    .zip(g)
                    .map(|(&a, &g)| elicited_from_gap(a, g))
                    .collect();
                pinned_gap.push((c, e));
            }
        }
        for (c, e) in &pinned_gap {
            view[Plan::elicited(*c)] = e;
        }
        // Scratch space only for what the fused loop does not cover.
        let mut lazy = None;
        let cats = plan.categories.len();
        let pinned_e;
        // Agg(E) reads every parameter but growth: the elicited CEG, the available CEG and the
        // cap that bound it, and kappa or the pair composabilities that aggregate it. The
        // pinned value goes everywhere the simulation uses it.
        let agg_e = if (0..cats).any(|c| Plan::growth(c) == input.slot) {
            base_e
        } else {
            let mut e = vec![0.0; len];
            elicited_aggregate(plan, &view, len, lazy_scratch(&mut lazy, cats, len), &mut e);
            pinned_e = e;
            &pinned_e
        };
        let mut u = vec![0.0; len];
        let mut medians = Vec::with_capacity(plan.sens_steps.len());
        let mut exceed = Vec::with_capacity(plan.sens_steps.len());
        // Loops rather than closures, which would not be inlined into the wide copy.
        for &j in &plan.sens_steps {
            let t = plan.years[j];
            let fine = match uplift_fused(plan, &view, t, agg_e, &mut u) {
                Some(fine) => fine,
                None => uplift(
                    plan,
                    &view,
                    t,
                    lazy_scratch(&mut lazy, cats, len),
                    agg_e,
                    &mut u,
                ),
            };
            if !fine {
                return Err(SimError::NonFinite {
                    input: input.id.clone(),
                    scenario: plan.scenario.clone(),
                });
            }
            exceed.push(
                plan.thresholds
                    .iter()
                    .map(|&theta| u.iter().filter(|&&x| x >= theta).count() as f64 / len as f64)
                    .collect(),
            );
            medians.push(pow10(median(&mut u)));
        }
        Ok((medians, exceed))
    }
}

/// Scratch space, made on first use.
fn lazy_scratch(lazy: &mut Option<Scratch>, categories: usize, len: usize) -> &mut Scratch {
    lazy.get_or_insert_with(|| Scratch::new(categories, len))
}

/// The type-7 median, reordering `v`.
fn median(v: &mut [f64]) -> f64 {
    let (lo, hi, w) = crate::quantiles::ranks(v.len() as u64, 0.5);
    let (_, &mut a, rest) = v.select_nth_unstable_by(lo as usize, f64::total_cmp);
    if w == 0.0 || hi == lo {
        return a;
    }
    let b = rest.iter().copied().fold(f64::INFINITY, f64::min);
    a + w * (b - a)
}

#[cfg(test)]
#[expect(clippy::float_cmp, reason = "these results are exact")]
mod tests {
    use super::*;
    use overhang_testkit::{ROUNDING, assert_close};

    #[test]
    fn first_order_share_finds_a_step_effect_and_ignores_noise() {
        // U = 1 in the upper half of the bins, 0 in the lower half: all variance is explained.
        let n_b = 100u64;
        let counts = vec![n_b; SENS_BINS];
        let sums: Vec<f64> = (0..SENS_BINS)
            .map(|b| if b >= SENS_BINS / 2 { n_b as f64 } else { 0.0 })
            .collect();
        let n = n_b * SENS_BINS as u64;
        let total: f64 = sums.iter().sum();
        let s = first_order(n, total, total, &sums, &counts);
        assert_close!(s, 1.0, ROUNDING, "{s}");
        // Every bin mean equal: nothing explained.
        let flat: Vec<f64> = vec![n_b as f64 * 0.5; SENS_BINS];
        let s = first_order(n, 0.5 * n as f64, 0.5 * n as f64, &flat, &counts);
        assert_eq!(s, 0.0);
    }

    #[test]
    fn median_interpolates_between_the_middle_values() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0, 10.0]), 2.5);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
    }
}
