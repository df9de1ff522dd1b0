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
    prev: Vec<f64>,
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
            prev: vec![0.0; capacity],
        }
    }

    /// Draws every uncertain input for `len` samples of chunk `chunk`.
    pub(crate) fn draw(&mut self, plan: &Plan, chunk: u64, len: usize) -> Result<(), SimError> {
        for (i, input) in plan.inputs.iter().enumerate() {
            let mut rng = stream(input.key, chunk);
            let out = &mut self.slots[input.slot][..len];
            input.sampler.fill(&mut rng, out, &mut self.bins[i][..len]);
            if !out.iter().all(|x| x.is_finite()) {
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
    pub(crate) fn evaluate(
        &mut self,
        plan: &Plan,
        len: usize,
        out: &mut [f64],
        stride: usize,
    ) -> Result<(), SimError> {
        let slots: Vec<&[f64]> = self.slots.iter().map(|s| &s[..len]).collect();
        let steps = plan.years.len();
        let n_thr = plan.thresholds.len();
        elicited_aggregate(plan, &slots, len, &mut self.scratch, &mut self.agg_e[..len]);
        let (u_cols, rest) = out.split_at_mut(steps * stride);
        let (cross_cols, contrib_cols) = rest.split_at_mut(n_thr * stride);
        for c in cross_cols.chunks_mut(stride) {
            c[..len].fill(f64::INFINITY);
        }
        for (j, &t) in plan.years.iter().enumerate() {
            let u = &mut u_cols[j * stride..j * stride + len];
            if !uplift(plan, &slots, t, &mut self.scratch, &self.agg_e[..len], u) {
                return Err(culprit(plan, &slots, t, &self.agg_e[..len]));
            }
            for (k, &theta) in plan.thresholds.iter().enumerate() {
                let cross = &mut cross_cols[k * stride..k * stride + len];
                if j == 0 {
                    for (c, &x) in cross.iter_mut().zip(u.iter()) {
                        if x >= theta {
                            *c = 0.0;
                        }
                    }
                } else {
                    let m0 = f64::from(plan.months[j - 1]);
                    let dm = f64::from(plan.months[j]) - m0;
                    for ((c, &x), &x0) in cross.iter_mut().zip(u.iter()).zip(&self.prev[..len]) {
                        // Not crossed before means x0 < theta, so x > x0 when x >= theta.
                        if *c == f64::INFINITY && x >= theta {
                            *c = m0 + (theta - x0) / (x - x0) * dm;
                        }
                    }
                }
            }
            self.prev[..len].copy_from_slice(u);
        }
        // After the last step the scratch levels hold L_c at the horizon.
        for (c, col) in contrib_cols.chunks_mut(stride).enumerate() {
            col[..len].copy_from_slice(&self.scratch.levels[c][..len]);
        }
        Ok(())
    }
}

/// `Agg(E)` with every `E_c` clamped at 0, as `L_c` is: a category whose elicited CEG is below
/// 1 counts as none.
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
pub(crate) fn uplift(
    plan: &Plan,
    slots: &[&[f64]],
    t: f64,
    scratch: &mut Scratch,
    agg_e: &[f64],
    out: &mut [f64],
) -> bool {
    let len = out.len();
    scratch.sum[..len].fill(0.0);
    scratch.max[..len].fill(0.0);
    for (c, level) in scratch.levels.iter_mut().enumerate() {
        let a = slots[Plan::available(c)];
        let g = slots[Plan::growth(c)];
        let k = slots[Plan::cap(c)];
        let sum_max = scratch.sum[..len].iter_mut().zip(&mut scratch.max[..len]);
        for ((((l, &a), &g), &k), (s, m)) in
            level[..len].iter_mut().zip(a).zip(g).zip(k).zip(sum_max)
        {
            // Comparisons rather than f64::min/max, which vectorise poorly; no NaN can occur
            // here (finite draws, a cap of at most infinity).
            let x = a + g * t;
            let x = if x < k { x } else { k };
            let x = if x > 0.0 { x } else { 0.0 };
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

/// `Agg` of the scratch levels, whose sum and max the scratch already holds, into the scratch
/// `agg`.
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
