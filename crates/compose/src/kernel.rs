//! The model for a block of samples: draws, category levels, aggregation, uplift.
//!
//! Everything runs column by column over the samples of a chunk (structure of arrays), so the
//! inner loops are plain element-wise arithmetic that the compiler vectorises. The operations
//! and their order are fixed, so a sample's result does not depend on the chunk it ran in.

use overhang_model::Method;

use crate::SimError;
use crate::plan::{Plan, SlotValue};
use crate::sampler::stream;

/// Uplifts above this many orders of magnitude are refused: `10^U` would overflow a double
/// (the largest is about 1.8e308), and nothing near it is a meaningful CEG.
pub const MAX_UPLIFT_LOG10: f64 = 300.0;

/// Buffers of one worker: the parameter slots of a block of samples and scratch space.
pub(crate) struct Work {
    /// Per slot, the values of the block; slots of known values are filled once.
    pub slots: Vec<Vec<f64>>,
    /// Per uncertain input, the sensitivity bin of each draw.
    pub bins: Vec<Vec<u8>>,
    scratch: Scratch,
    agg_e: Vec<f64>,
}

/// Scratch space for one evaluation of the aggregation.
pub(crate) struct Scratch {
    levels: Vec<Vec<f64>>,
    sum: Vec<f64>,
    max: Vec<f64>,
    agg: Vec<f64>,
}

impl Scratch {
    pub(crate) fn new(categories: usize, capacity: usize) -> Self {
        Self {
            levels: vec![vec![0.0; capacity]; categories],
            sum: vec![0.0; capacity],
            max: vec![0.0; capacity],
            agg: vec![0.0; capacity],
        }
    }
}

impl Work {
    pub(crate) fn new(plan: &Plan, capacity: usize) -> Self {
        Self {
            slots: plan
                .slots
                .iter()
                .map(|s| match *s {
                    SlotValue::Const(v) => vec![v; capacity],
                    SlotValue::Input(_) => vec![0.0; capacity],
                })
                .collect(),
            bins: vec![vec![0; capacity]; plan.inputs.len()],
            scratch: Scratch::new(plan.categories.len(), capacity),
            agg_e: vec![0.0; capacity],
        }
    }

    /// Draws every uncertain input for `len` samples of chunk `chunk`.
    #[inline(always)]
    pub(crate) fn draw(&mut self, plan: &Plan, chunk: u64, len: usize) -> Result<(), SimError> {
        for (i, input) in plan.inputs.iter().enumerate() {
            let mut rng = stream(input.key, chunk);
            let out = &mut self.slots[input.slot][..len];
            input.sampler.fill(&mut rng, out, &mut self.bins[i][..len]);
            // Without an early exit, so the test vectorises.
            if !out.iter().fold(true, |ok, x| ok & x.is_finite()) {
                return Err(SimError::NonFinite {
                    input: input.id.clone(),
                    scenario: plan.scenario.clone(),
                });
            }
        }
        Ok(())
    }

    /// Evaluates the drawn block into `out`, which holds `plan.columns()` columns of `stride`
    /// values: the uplift `U` at every step, the month of first crossing of every threshold
    /// (infinity for none), and every category's `L_c` at the horizon.
    #[inline(always)]
    pub(crate) fn evaluate(
        &mut self,
        plan: &Plan,
        len: usize,
        out: &mut [f64],
        stride: usize,
    ) -> Result<(), SimError> {
        let steps = plan.years.len();
        let n_thr = plan.thresholds.len();
        let (u_cols, rest) = out.split_at_mut(steps * stride);
        let (cross_cols, contrib_cols) = rest.split_at_mut(n_thr * stride);
        // Sub-blocks small enough that a sample's parameters and partial sums stay in the
        // fastest cache through every step.
        let mut start = 0;
        while start < len {
            let end = (start + SUB_BLOCK).min(len);
            let slots: Vec<&[f64]> = self.slots.iter().map(|s| &s[start..end]).collect();
            let sub = end - start;
            let agg_e = &mut self.agg_e[..sub];
            elicited_aggregate(plan, &slots, sub, &mut self.scratch, agg_e);
            for c in cross_cols.chunks_mut(stride) {
                c[start..end].fill(f64::INFINITY);
            }
            for (j, &t) in plan.years.iter().enumerate() {
                let u = &mut u_cols[j * stride + start..j * stride + end];
                // The last step leaves L_c in the scratch levels for the contributions.
                let fine = if j + 1 < steps {
                    uplift_fused(plan, &slots, t, agg_e, u)
                } else {
                    None
                }
                .unwrap_or_else(|| uplift(plan, &slots, t, &mut self.scratch, agg_e, u));
                if !fine {
                    return Err(self.failure(plan, len));
                }
                // The first step at which each sample reaches each threshold (infinity for
                // none yet): a select per sample, which vectorises.
                let step = j as f64;
                for (k, &theta) in plan.thresholds.iter().enumerate() {
                    let cross = &mut cross_cols[k * stride + start..k * stride + end];
                    // Steps only grow, so the first step reached is the least: a minimum,
                    // which stores every value (a select of the old value would become a
                    // masked store, slow on some processors).
                    for (c, &x) in cross.iter_mut().zip(u.iter()) {
                        let reached = if x >= theta { step } else { f64::INFINITY };
                        *c = c.min(reached);
                    }
                }
            }
            // The crossing month, interpolated within the step where it happened.
            for (k, &theta) in plan.thresholds.iter().enumerate() {
                let cross = &mut cross_cols[k * stride + start..k * stride + end];
                for (i, c) in cross.iter_mut().enumerate() {
                    if *c == f64::INFINITY || *c == 0.0 {
                        continue;
                    }
                    let j = *c as usize;
                    let x = u_cols[j * stride + start + i];
                    let x0 = u_cols[(j - 1) * stride + start + i];
                    let m0 = f64::from(plan.months[j - 1]);
                    let dm = f64::from(plan.months[j]) - m0;
                    // Not reached before means x0 < theta, so x > x0 when x >= theta.
                    *c = m0 + (theta - x0) / (x - x0) * dm;
                }
            }
            // After the last step the scratch levels hold L_c at the horizon.
            for (c, col) in contrib_cols.chunks_mut(stride).enumerate() {
                col[start..end].copy_from_slice(&self.scratch.levels[c][..sub]);
            }
            start = end;
        }
        Ok(())
    }
}

impl Work {
    /// The error of a block in which some uplift is not finite: the input to blame at the
    /// first step where it happens (see [`culprit`]), over the whole block.
    fn failure(&mut self, plan: &Plan, len: usize) -> SimError {
        let slots: Vec<&[f64]> = self.slots.iter().map(|s| &s[..len]).collect();
        let agg_e = &mut self.agg_e[..len];
        elicited_aggregate(plan, &slots, len, &mut self.scratch, agg_e);
        let mut u = vec![0.0; len];
        for &t in &plan.years {
            if !uplift(plan, &slots, t, &mut self.scratch, agg_e, &mut u) {
                return culprit(plan, &slots, t, agg_e);
            }
        }
        unreachable!("a sub-block failed, so the block fails")
    }
}

/// Samples evaluated together through every step.
const SUB_BLOCK: usize = 128;

/// `Agg(E)` with every `E_c` clamped at 0, as `L_c` is: a category whose elicited CEG is below
/// 1 counts as none.
#[inline(always)]
pub(crate) fn elicited_aggregate(
    plan: &Plan,
    slots: &[&[f64]],
    len: usize,
    scratch: &mut Scratch,
    out: &mut [f64],
) {
    scratch.sum[..len].fill(0.0);
    scratch.max[..len].fill(0.0);
    for (c, level) in scratch.levels.iter_mut().enumerate() {
        let sum_max = scratch.sum[..len].iter_mut().zip(&mut scratch.max[..len]);
        for ((l, &e), (s, m)) in level[..len]
            .iter_mut()
            .zip(slots[Plan::elicited(c)])
            .zip(sum_max)
        {
            let x = if e > 0.0 { e } else { 0.0 };
            *l = x;
            *s += x;
            *m = if x > *m { x } else { *m };
        }
    }
    aggregate(plan, slots, len, scratch);
    out.copy_from_slice(&scratch.agg[..len]);
}

/// `U(t) = max(Agg(L(t)) - Agg(E), 0)` into `out`; false when some `U` is not finite or beyond
/// [`MAX_UPLIFT_LOG10`]. Leaves `L_c(t)` in the scratch levels.
#[inline(always)]
pub(crate) fn uplift(
    plan: &Plan,
    slots: &[&[f64]],
    t: f64,
    scratch: &mut Scratch,
    agg_e: &[f64],
    out: &mut [f64],
) -> bool {
    let len = out.len();
    if scratch.levels.is_empty() {
        scratch.sum[..len].fill(0.0);
        scratch.max[..len].fill(0.0);
    }
    for (c, level) in scratch.levels.iter_mut().enumerate() {
        let a = slots[Plan::available(c)];
        let g = slots[Plan::growth(c)];
        let k = slots[Plan::cap(c)];
        let sum_max = scratch.sum[..len].iter_mut().zip(&mut scratch.max[..len]);
        if c == 0 {
            // The sum and max start from the first level: the same numbers as adding it to 0
            // (levels are never -0), without a pass to clear them.
            for ((((l, &a), &g), &k), (s, m)) in
                level[..len].iter_mut().zip(a).zip(g).zip(k).zip(sum_max)
            {
                let x = level_at(a, g, k, t);
                *l = x;
                *s = x;
                *m = x;
            }
            continue;
        }
        for ((((l, &a), &g), &k), (s, m)) in
            level[..len].iter_mut().zip(a).zip(g).zip(k).zip(sum_max)
        {
            let x = level_at(a, g, k, t);
            *l = x;
            *s += x;
            *m = if x > *m { x } else { *m };
        }
    }
    aggregate(plan, slots, len, scratch);
    let mut ok = true;
    for ((u, &agg), &e) in out.iter_mut().zip(&scratch.agg[..len]).zip(agg_e) {
        let raw = agg - e;
        // Written so NaN fails the test: f64::max would swallow it.
        ok &= raw <= MAX_UPLIFT_LOG10;
        *u = if raw > 0.0 { raw } else { 0.0 };
    }
    ok
}

/// [`uplift`] without the levels, for up to 8 categories aggregated by any method but pairwise:
/// one loop over the samples with the categories unrolled, so the sums and maxima stay in
/// registers. The operations and their order are [`uplift`]'s, so the numbers are the same.
/// `None` when the plan does not qualify.
#[inline(always)]
pub(crate) fn uplift_fused(
    plan: &Plan,
    slots: &[&[f64]],
    t: f64,
    agg_e: &[f64],
    out: &mut [f64],
) -> Option<bool> {
    #[inline(always)]
    fn run<const N: usize>(
        plan: &Plan,
        slots: &[&[f64]],
        t: f64,
        agg_e: &[f64],
        out: &mut [f64],
    ) -> bool {
        let kappa = slots[plan.kappa()];
        match plan.method {
            Method::Multiplicative => fused::<N>(slots, t, agg_e, kappa, out, |s, _, _| s),
            Method::Max => fused::<N>(slots, t, agg_e, kappa, out, |_, m, _| m),
            Method::LargestFirst => {
                fused::<N>(slots, t, agg_e, kappa, out, |s, m, k| m + k * (s - m))
            }
            Method::Pairwise => unreachable!("pairwise levels are not fused"),
        }
    }
    if plan.method == Method::Pairwise {
        return None;
    }
    Some(match plan.categories.len() {
        1 => run::<1>(plan, slots, t, agg_e, out),
        2 => run::<2>(plan, slots, t, agg_e, out),
        3 => run::<3>(plan, slots, t, agg_e, out),
        4 => run::<4>(plan, slots, t, agg_e, out),
        5 => run::<5>(plan, slots, t, agg_e, out),
        6 => run::<6>(plan, slots, t, agg_e, out),
        7 => run::<7>(plan, slots, t, agg_e, out),
        8 => run::<8>(plan, slots, t, agg_e, out),
        _ => return None,
    })
}

#[inline(always)]
fn fused<const N: usize>(
    slots: &[&[f64]],
    t: f64,
    agg_e: &[f64],
    kappa: &[f64],
    out: &mut [f64],
    agg: impl Fn(f64, f64, f64) -> f64,
) -> bool {
    let len = out.len();
    let a: [&[f64]; N] = std::array::from_fn(|c| &slots[Plan::available(c)][..len]);
    let g: [&[f64]; N] = std::array::from_fn(|c| &slots[Plan::growth(c)][..len]);
    let k: [&[f64]; N] = std::array::from_fn(|c| &slots[Plan::cap(c)][..len]);
    let (agg_e, kappa) = (&agg_e[..len], &kappa[..len]);
    let mut ok = true;
    for i in 0..len {
        let x = level_at(a[0][i], g[0][i], k[0][i], t);
        let (mut s, mut m) = (x, x);
        for c in 1..N {
            let x = level_at(a[c][i], g[c][i], k[c][i], t);
            s += x;
            m = if x > m { x } else { m };
        }
        let raw = agg(s, m, kappa[i]) - agg_e[i];
        ok &= raw <= MAX_UPLIFT_LOG10;
        out[i] = if raw > 0.0 { raw } else { 0.0 };
    }
    ok
}

/// `L_c(t) = max(min(A_c + g_c t, K_c), 0)`.
#[inline(always)]
fn level_at(a: f64, g: f64, k: f64, t: f64) -> f64 {
    // Comparisons rather than f64::min/max, which vectorise poorly; no NaN can occur here
    // (finite draws, a cap of at most infinity).
    let x = a + g * t;
    let x = if x < k { x } else { k };
    if x > 0.0 { x } else { 0.0 }
}

/// `Agg` of the scratch levels, whose sum and max the scratch already holds, into the scratch
/// `agg`.
#[inline(always)]
fn aggregate(plan: &Plan, slots: &[&[f64]], len: usize, scratch: &mut Scratch) {
    let Scratch {
        levels,
        sum,
        max,
        agg,
    } = scratch;
    let (sum, max, agg) = (&sum[..len], &max[..len], &mut agg[..len]);
    match plan.method {
        Method::Multiplicative => agg.copy_from_slice(sum),
        Method::Max => agg.copy_from_slice(max),
        Method::LargestFirst => {
            let kappa = slots[plan.kappa()];
            for (((a, &s), &m), &k) in agg.iter_mut().zip(sum.iter()).zip(max.iter()).zip(kappa) {
                *a = m + k * (s - m);
            }
        }
        Method::Pairwise => {
            agg.copy_from_slice(sum);
            for (p, &(i, j)) in plan.pairs.iter().enumerate() {
                let c = slots[plan.pair(p)];
                for (((a, &li), &lj), &c) in agg
                    .iter_mut()
                    .zip(&levels[i][..len])
                    .zip(&levels[j][..len])
                    .zip(c)
                {
                    *a -= (1.0 - c) * li.min(lj);
                }
            }
            for ((a, &s), &m) in agg.iter_mut().zip(sum.iter()).zip(max.iter()) {
                *a = a.max(m).min(s);
            }
        }
    }
}

/// The input to blame for an uplift that is not finite: in the first bad sample, the category
/// whose `A_c + g_c t` is largest, and within it the larger of the two terms.
#[expect(
    clippy::needless_range_loop,
    reason = "`s` indexes one sample across several columns"
)]
fn culprit(plan: &Plan, slots: &[&[f64]], t: f64, agg_e: &[f64]) -> SimError {
    let n = agg_e.len();
    let mut blamed = (0, "available", f64::NEG_INFINITY);
    'samples: for s in 0..n {
        for c in 0..plan.categories.len() {
            let a = slots[Plan::available(c)][s];
            let gt = slots[Plan::growth(c)][s] * t;
            let level = a + gt;
            let size = if level.is_finite() {
                level.abs()
            } else {
                f64::INFINITY
            };
            if size > blamed.2 {
                let term = if gt.abs() > a.abs() || !gt.is_finite() {
                    "growth"
                } else {
                    "available"
                };
                blamed = (c, term, size);
            }
        }
        if blamed.2 > MAX_UPLIFT_LOG10 {
            break 'samples;
        }
    }
    SimError::NonFinite {
        input: format!("categories.{}.{}", plan.categories[blamed.0].0, blamed.1),
        scenario: plan.scenario.clone(),
    }
}

#[cfg(test)]
#[expect(clippy::float_cmp, reason = "these results are exact")]
mod tests {
    use super::*;
    use crate::plan::Plan;

    fn plan(method: Method, categories: usize) -> Plan {
        let pairs: Vec<(usize, usize)> = (0..categories)
            .flat_map(|i| ((i + 1)..categories).map(move |j| (i, j)))
            .collect();
        Plan {
            scenario: "t".into(),
            categories: (0..categories)
                .map(|c| (format!("c{c}"), format!("C{c}")))
                .collect(),
            method,
            slots: vec![SlotValue::Const(0.0); 4 * categories + 1 + pairs.len()],
            inputs: Vec::new(),
            pairs,
            months: vec![0],
            years: vec![0.0],
            thresholds: Vec::new(),
            sens_steps: vec![0],
            notes: Vec::new(),
        }
    }

    fn agg_of(method: Method, levels: &[f64], kappa: f64, pair: f64) -> f64 {
        let p = plan(method, levels.len());
        let mut cols: Vec<Vec<f64>> = vec![vec![0.0]; p.slots.len()];
        cols[p.kappa()] = vec![kappa];
        for q in 0..p.pairs.len() {
            cols[p.pair(q)] = vec![pair];
        }
        let slots: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let mut scratch = Scratch::new(levels.len(), 1);
        for (c, &l) in levels.iter().enumerate() {
            scratch.levels[c][0] = l;
        }
        scratch.sum[0] = levels.iter().sum();
        scratch.max[0] = levels.iter().copied().fold(0.0, f64::max);
        aggregate(&p, &slots, 1, &mut scratch);
        scratch.agg[0]
    }

    #[test]
    fn aggregation_methods_match_their_definitions() {
        let l = [0.5, 1.5, 1.0];
        assert_eq!(agg_of(Method::Multiplicative, &l, 0.0, 0.0), 3.0);
        assert_eq!(agg_of(Method::Max, &l, 0.0, 0.0), 1.5);
        // 1.5 + 0.4 * (1.0 + 0.5)
        assert!((agg_of(Method::LargestFirst, &l, 0.4, 0.0) - 2.1).abs() < 1e-15);
        // sum - (1 - 0.5) * (min(.5,1.5) + min(.5,1) + min(1.5,1)) = 3 - 0.5 * 2 = 2
        assert!((agg_of(Method::Pairwise, &l, 0.0, 0.5) - 2.0).abs() < 1e-15);
        // With no composability the pairwise reduction would go below the max: clamped.
        assert_eq!(agg_of(Method::Pairwise, &l, 0.0, 0.0), 1.5);
    }
}
