//! The model for a block of samples: draws, category levels, aggregation, uplift.
//!
//! Everything runs column by column over the samples of a chunk (structure of arrays), so the
//! inner loops are plain element-wise arithmetic that the compiler vectorises. The operations
//! and their order are fixed, so a sample's result does not depend on the chunk it ran in.

use overhang_model::Method;

use overhang_model::special::{norm_cdf, norm_ppf};

use crate::SimError;
use crate::plan::{BudgetDraw, Dependence, Plan, SlotValue};
use crate::sampler::{SENS_BINS, stream, uniform};

/// Two distinct elements of a slice, the first shared and the second mutable.
fn pair_mut<T>(v: &mut [T], from: usize, to: usize) -> (&T, &mut T) {
    if from < to {
        let (a, b) = v.split_at_mut(to);
        (&a[from], &mut b[0])
    } else {
        let (a, b) = v.split_at_mut(from);
        (&b[0], &mut a[to])
    }
}

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
    /// `U` at a month off the grid, for the policy answers and the growth after release.
    month_u: Vec<f64>,
}

/// Scratch space for one evaluation of the aggregation.
pub(crate) struct Scratch {
    levels: Vec<Vec<f64>>,
    /// Per sample, the share of the way to the cap a saturating level has covered.
    weight: Vec<f64>,
    sum: Vec<f64>,
    max: Vec<f64>,
    agg: Vec<f64>,
    /// One sample's levels, categories in level order, and row sums of composabilities, for
    /// the pairwise method.
    choquet: Choquet,
}

impl Scratch {
    pub(crate) fn new(categories: usize, capacity: usize) -> Self {
        Self {
            levels: vec![vec![0.0; capacity]; categories],
            weight: vec![0.0; capacity],
            sum: vec![0.0; capacity],
            max: vec![0.0; capacity],
            agg: vec![0.0; capacity],
            choquet: Choquet::new(categories),
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
            month_u: vec![0.0; capacity],
        }
    }

    /// Draws every uncertain input for `len` samples of chunk `chunk`.
    #[inline(always)]
    pub(crate) fn draw(&mut self, plan: &Plan, chunk: u64, len: usize) -> Result<(), SimError> {
        for (i, input) in plan.inputs.iter().enumerate() {
            if input.dependent {
                continue;
            }
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
        if let Some(dependence) = &plan.dependence {
            self.draw_dependent(plan, dependence, chunk, len)?;
        }
        for (c, table) in &plan.joint {
            let mut g = std::mem::take(&mut self.slots[Plan::growth(*c)]);
            let a = &self.slots[Plan::available(*c)];
            for (g, &a) in g[..len].iter_mut().zip(&a[..len]) {
                *g = table.growth_given(a, *g);
            }
            self.slots[Plan::growth(*c)] = g;
        }
        for &(from, to) in &plan.copies {
            let (from, to) = pair_mut(&mut self.slots, from, to);
            to[..len].copy_from_slice(&from[..len]);
        }
        for &c in &plan.gaps {
            let mut e = std::mem::take(&mut self.slots[Plan::elicited(c)]);
            let (a, g) = (&self.slots[Plan::available(c)], &self.slots[plan.gap(c)]);
            for ((e, &a), &g) in e[..len].iter_mut().zip(&a[..len]).zip(&g[..len]) {
                *e = elicited_from_gap(a, g);
            }
            self.slots[Plan::elicited(c)] = e;
        }
        if let Some(b) = &plan.budget {
            self.hold_to_budget(plan, b, len);
        }
        Ok(())
    }

    /// Lowers each costly category's available level and cap by what the drawn inference
    /// budget does not buy (see [`Plan::at_budget`]). A slot of a known value is filled once
    /// per worker, so it is restored before it is lowered again.
    fn hold_to_budget(&mut self, plan: &Plan, b: &BudgetDraw, len: usize) {
        let mut penalty = vec![0.0; len];
        for &(c, cost) in &b.costs {
            let (budget, exchange) = (&self.slots[b.budget], &self.slots[b.exchange]);
            for (((p, &cost), &budget), &exchange) in penalty
                .iter_mut()
                .zip(&self.slots[cost][..len])
                .zip(&budget[..len])
                .zip(&exchange[..len])
            {
                let over = cost - budget;
                *p = if over > 0.0 { over / exchange } else { 0.0 };
            }
            for slot in [Plan::available(c), Plan::cap(c)] {
                let copied = plan.copies.iter().any(|&(_, to)| to == slot);
                if let (SlotValue::Const(v), false) = (plan.slots[slot], copied) {
                    self.slots[slot][..len].fill(v);
                }
                for (x, &p) in self.slots[slot][..len].iter_mut().zip(&penalty) {
                    *x -= p;
                }
            }
        }
    }

    /// Draws the inputs of the copula (see [`Dependence`]), after the correlations, which are
    /// drawn on their own: each input from its own stream as when independent, its normal
    /// score then mixed with the common factor's (or, for an elicited CEG, with its category's
    /// available score). Its sensitivity bin is read from `Phi(z')`, its own percentile.
    fn draw_dependent(
        &mut self,
        plan: &Plan,
        dependence: &Dependence,
        chunk: u64,
        len: usize,
    ) -> Result<(), SimError> {
        let scores = |key, out: &mut [f64]| {
            let mut rng = stream(key, chunk);
            for z in out.iter_mut() {
                *z = norm_ppf(uniform(&mut rng));
            }
        };
        let mut factor_a = vec![0.0; len];
        let mut factor_g = vec![0.0; len];
        scores(dependence.available_factor, &mut factor_a);
        scores(dependence.growth_factor, &mut factor_g);
        let mut z = vec![0.0; len];
        let mut z_available = vec![0.0; len];
        for m in &dependence.members {
            let parts = [
                (m.available, plan.rho_available(), Some(&factor_a)),
                (m.elicited, plan.rho_elicited(), None),
                (m.growth, plan.rho_growth(), Some(&factor_g)),
            ];
            for (part, (input, rho_slot, factor)) in parts.into_iter().enumerate() {
                let Some(i) = input else { continue };
                let input = &plan.inputs[i];
                scores(input.key, &mut z);
                let rho = &self.slots[rho_slot][..len];
                for (k, z) in z.iter_mut().enumerate() {
                    let r = rho[k];
                    *z = match factor {
                        Some(f) => libm::sqrt(r) * f[k] + libm::sqrt(1.0 - r) * *z,
                        // Without an uncertain available CEG there is no score to follow.
                        None if m.available.is_some() => {
                            r * z_available[k] + libm::sqrt(1.0 - r * r) * *z
                        }
                        None => *z,
                    };
                }
                if part == 0 {
                    z_available.copy_from_slice(&z);
                }
                let out = &mut self.slots[input.slot][..len];
                for ((x, bin), &z) in out.iter_mut().zip(&mut self.bins[i][..len]).zip(&z) {
                    *x = input.sampler.value_at_score(z);
                    *bin = ((norm_cdf(z) * SENS_BINS as f64) as usize).min(SENS_BINS - 1) as u8;
                }
                if !out.iter().all(|x| x.is_finite()) {
                    return Err(SimError::NonFinite {
                        input: input.id.clone(),
                        scenario: plan.scenario.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Evaluates the drawn block into `out`, which holds `plan.width()` columns of `stride`
    /// values: the uplift `U` at every step, the month of first crossing of every threshold
    /// (infinity for none), every category's `L_c` at the horizon, the growth after the
    /// evaluation at every interval, `U`
    /// and the growth after release at every growth month (see [`growth_months`]), and the
    /// first whole month each policy threshold is reached (see [`policy_months`]).
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
        let (cross_cols, rest) = rest.split_at_mut(n_thr * stride);
        let (contrib_cols, rest) = rest.split_at_mut(plan.categories.len() * stride);
        let (cadence_cols, rest) = rest.split_at_mut(plan.cadences.len() * stride);
        let (growth_cols, first_cols) = rest.split_at_mut(2 * plan.growth_months.len() * stride);
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
            let buffers = (&mut self.scratch, &mut self.month_u[..sub]);
            growth_months(
                plan,
                &slots,
                agg_e,
                buffers,
                start..end,
                (u_cols, growth_cols, stride),
            )?;
            if !plan.policy.is_empty() || !plan.cadences.is_empty() {
                let cols = PolicyCols {
                    u: u_cols,
                    cadence: cadence_cols,
                    first: first_cols,
                    stride,
                };
                let buffers = (&mut self.scratch, &mut self.month_u[..sub]);
                policy_months(plan, &slots, agg_e, buffers, start..end, cols)?;
            }
            start = end;
        }
        Ok(())
    }
}

/// `U` at each growth month of the plan, and the growth after release `max(U(t) - U(0), 0)`
/// there, of a sub-block (`range`, as for [`policy_months`]): `cols` holds the grid's columns
/// of `U`, the columns to write (`U` per growth month, then the growth per growth month) and
/// the stride. A decline after release counts as no growth, as the uplift is floored at 0.
#[inline(always)]
fn growth_months(
    plan: &Plan,
    slots: &[&[f64]],
    agg_e: &[f64],
    buffers: (&mut Scratch, &mut [f64]),
    range: std::ops::Range<usize>,
    cols: (&[f64], &mut [f64], usize),
) -> Result<(), SimError> {
    let (scratch, month_u) = buffers;
    let (u_cols, out, stride) = cols;
    let n = plan.growth_months.len();
    let (u_out, growth_out) = out.split_at_mut(n * stride);
    let at_release = &u_cols[range.clone()];
    for (i, &m) in plan.growth_months.iter().enumerate() {
        let grid = plan.months.binary_search(&m).ok();
        let column = grid.map(|g| &u_cols[g * stride + range.start..g * stride + range.end]);
        let u = uplift_at_month(plan, slots, agg_e, (scratch, month_u), m, column)?;
        u_out[i * stride + range.start..i * stride + range.end].copy_from_slice(u);
        let growth = &mut growth_out[i * stride + range.start..i * stride + range.end];
        for ((g, &x), &x0) in growth.iter_mut().zip(u).zip(at_release) {
            *g = if x > x0 { x - x0 } else { 0.0 };
        }
    }
    Ok(())
}

/// `U` at month `m` of a sub-block: the grid's `column` when the grid has the month, else
/// evaluated into the scratch `month_u` (month `m` is `m / 12` years, as on the grid, so both
/// give the same bits).
#[inline(always)]
fn uplift_at_month<'u>(
    plan: &Plan,
    slots: &[&[f64]],
    agg_e: &[f64],
    (scratch, month_u): (&mut Scratch, &'u mut [f64]),
    m: u32,
    column: Option<&'u [f64]>,
) -> Result<&'u [f64], SimError> {
    if let Some(u) = column {
        return Ok(u);
    }
    let t = f64::from(m) / 12.0;
    let fine = uplift_fused(plan, slots, t, agg_e, month_u)
        .unwrap_or_else(|| uplift(plan, slots, t, scratch, agg_e, month_u));
    if !fine {
        return Err(culprit(plan, slots, t, agg_e));
    }
    Ok(month_u)
}

/// The columns [`policy_months`] reads and writes.
struct PolicyCols<'o> {
    u: &'o [f64],
    cadence: &'o mut [f64],
    first: &'o mut [f64],
    stride: usize,
}

/// The policy answers of a sub-block (`range` of the block, whose parameters are `slots` and
/// whose `Agg(E)` is `agg_e`; `buffers` are scratch and room for `U` at one month),
/// at monthly resolution whatever the grid's step: `U` at every whole month from release to
/// the horizon (read from the grid's column where the grid has the month); into `cols.first`,
/// per policy threshold, the first month at which `U` reaches it, then (after all of those)
/// the first month at which the growth after the evaluation `U(m) - U(0)` alone reaches it
/// (infinity for none); and the growth after the evaluation, floored at 0, at each interval
/// into `cols.cadence`. Month `m` is `m / 12` years, as on the grid, so a month on the grid
/// gives the same bits either way; the grid's first column is month 0, the evaluation.
#[inline(always)]
fn policy_months(
    plan: &Plan,
    slots: &[&[f64]],
    agg_e: &[f64],
    buffers: (&mut Scratch, &mut [f64]),
    range: std::ops::Range<usize>,
    cols: PolicyCols,
) -> Result<(), SimError> {
    let (scratch, month_u) = buffers;
    let PolicyCols {
        u: u_cols,
        cadence,
        first,
        stride,
    } = cols;
    for c in first.chunks_mut(stride) {
        c[range.clone()].fill(f64::INFINITY);
    }
    let at_release = &u_cols[range.clone()];
    let n_policy = plan.policy.len();
    let mut grid = 0;
    for m in 0..=plan.horizon() {
        while grid < plan.months.len() && plan.months[grid] < m {
            grid += 1;
        }
        let column = (plan.months.get(grid) == Some(&m))
            .then(|| &u_cols[grid * stride + range.start..grid * stride + range.end]);
        let u = uplift_at_month(plan, slots, agg_e, (scratch, &mut *month_u), m, column)?;
        let month = f64::from(m);
        for (p, &k) in plan.policy.iter().enumerate() {
            let theta = plan.thresholds[k];
            let col = &mut first[p * stride + range.start..p * stride + range.end];
            for (c, &x) in col.iter_mut().zip(u) {
                let reached = if x >= theta { month } else { f64::INFINITY };
                *c = c.min(reached);
            }
            let p = n_policy + p;
            let col = &mut first[p * stride + range.start..p * stride + range.end];
            for ((c, &x), &x0) in col.iter_mut().zip(u).zip(at_release) {
                let reached = if x - x0 >= theta {
                    month
                } else {
                    f64::INFINITY
                };
                *c = c.min(reached);
            }
        }
        if let Ok(i) = plan.cadences.binary_search(&m) {
            let out = &mut cadence[i * stride + range.start..i * stride + range.end];
            for ((g, &x), &x0) in out.iter_mut().zip(u).zip(at_release) {
                *g = if x > x0 { x - x0 } else { 0.0 };
            }
        }
    }
    Ok(())
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

/// The log10 elicited level of a category with a stated gap: `max(A - max(G, 0), 0)`, so a
/// drawn gap below 1 counts as none and the evaluation never captured a level below 1.
#[inline(always)]
pub(crate) fn elicited_from_gap(a: f64, g: f64) -> f64 {
    let g = if g > 0.0 { g } else { 0.0 };
    let e = a - g;
    if e > 0.0 { e } else { 0.0 }
}

/// What category `c` shipped with at release, as [`elicited_aggregate`] counts it:
/// `max(min(E_c, A_c, K_c), 0)`.
#[inline(always)]
fn shipped(e: f64, a: f64, k: f64) -> f64 {
    let x = if e < a { e } else { a };
    let x = if x < k { x } else { k };
    if x > 0.0 { x } else { 0.0 }
}

/// Samples evaluated together through every step.
const SUB_BLOCK: usize = 128;

/// `Agg(E)`, with every `E_c` no more than the category's level at release: the evaluation
/// cannot have captured more than was available, `E_c <= L_c(0) = max(min(A_c, K_c), 0)`. So
/// `E_c` is clamped at 0 as `L_c` is (a category whose elicited CEG is below 1 counts as none),
/// and `U(0) >= 0` before the floor, as the aggregation is monotone. Leaves `E_c` in the scratch
/// levels.
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
        let a = slots[Plan::available(c)];
        let k = slots[Plan::cap(c)];
        for ((((l, &e), &a), &k), (s, m)) in level[..len]
            .iter_mut()
            .zip(slots[Plan::elicited(c)])
            .zip(a)
            .zip(k)
            .zip(sum_max)
        {
            let x = shipped(e, a, k);
            *l = x;
            *s += x;
            *m = if x > *m { x } else { *m };
        }
    }
    aggregate(plan, slots, len, scratch);
    ceiling(plan, slots, &mut scratch.agg[..len]);
    out.copy_from_slice(&scratch.agg[..len]);
}

/// `min(Agg, C)` with `C` the aggregate ceiling, when the plan has one.
#[inline(always)]
fn ceiling(plan: &Plan, slots: &[&[f64]], agg: &mut [f64]) {
    if !plan.ceiling {
        return;
    }
    for (a, &c) in agg.iter_mut().zip(slots[plan.ceiling_slot()]) {
        *a = if *a < c { *a } else { c };
    }
}

/// The share of the way to the cap a saturating level has covered at `t` years,
/// `1 - exp(-t / tau)`, per sample, into `out`.
fn saturation(plan: &Plan, slots: &[&[f64]], t: f64, out: &mut [f64]) {
    for (w, &tau) in out.iter_mut().zip(slots[plan.tau()]) {
        *w = 1.0 - libm::exp(-t / tau);
    }
}

/// `L_c(t) = max(A' + (K_c - A') w, 0)` with `A' = min(A_c, K_c)` and `w` the share covered
/// ([`saturation`]): from the level at release towards the cap.
#[inline(always)]
fn level_saturating(a: f64, k: f64, w: f64) -> f64 {
    let a = if a < k { a } else { k };
    let x = a + (k - a) * w;
    if x > 0.0 { x } else { 0.0 }
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
    if plan.saturating {
        saturation(plan, slots, t, &mut scratch.weight[..len]);
    }
    for (c, level) in scratch.levels.iter_mut().enumerate() {
        let a = slots[Plan::available(c)];
        let g = slots[Plan::growth(c)];
        let k = slots[Plan::cap(c)];
        let sum_max = scratch.sum[..len].iter_mut().zip(&mut scratch.max[..len]);
        if plan.lagged {
            // Before its lag a category is at what the release shipped with; from it on at its
            // level after release.
            let (e, lag) = (slots[Plan::elicited(c)], slots[plan.lag(c)]);
            let w = &scratch.weight[..len];
            for (i, (l, (s, m))) in level[..len].iter_mut().zip(sum_max).enumerate() {
                let x = if t >= lag[i] {
                    if plan.saturating {
                        level_saturating(a[i], k[i], w[i])
                    } else {
                        level_at(a[i], g[i], k[i], t)
                    }
                } else {
                    shipped(e[i], a[i], k[i])
                };
                *l = x;
                if c == 0 {
                    *s = x;
                    *m = x;
                } else {
                    *s += x;
                    *m = if x > *m { x } else { *m };
                }
            }
            continue;
        }
        if plan.saturating {
            let w = &scratch.weight[..len];
            for (i, (((l, &a), &k), (s, m))) in level[..len]
                .iter_mut()
                .zip(a)
                .zip(k)
                .zip(sum_max)
                .enumerate()
            {
                let x = level_saturating(a, k, w[i]);
                *l = x;
                if c == 0 {
                    *s = x;
                    *m = x;
                } else {
                    *s += x;
                    *m = if x > *m { x } else { *m };
                }
            }
            continue;
        }
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
    ceiling(plan, slots, &mut scratch.agg[..len]);
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
    if plan.method == Method::Pairwise || plan.saturating || plan.ceiling || plan.lagged {
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
        choquet,
        ..
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
            let Choquet {
                values,
                order,
                rows,
            } = choquet;
            let n = levels.len();
            for (i, a) in agg.iter_mut().enumerate() {
                for (v, l) in values.iter_mut().zip(levels.iter()) {
                    *v = l[i];
                }
                *a = pairwise_choquet(values, order, rows, |x, y| {
                    slots[plan.pair_slots[x * n + y]][i]
                });
            }
        }
    }
}

/// Buffers of [`pairwise_choquet`], one entry per category.
struct Choquet {
    values: Vec<f64>,
    order: Vec<usize>,
    rows: Vec<f64>,
}

impl Choquet {
    fn new(categories: usize) -> Self {
        Self {
            values: vec![0.0; categories],
            order: vec![0; categories],
            rows: vec![0.0; categories],
        }
    }
}

/// The pairwise aggregate of one sample's `levels` (all `>= 0`), with `c(i, j)` the
/// composability of categories `i` and `j`: the Choquet integral of the levels with respect to
/// the capacity `mu(S) = max over i in S of (1 + sum_{j in S, j != i} c_ij)`.
///
/// With the levels in decreasing order `L_(1) >= ... >= L_(n)` (ties by category order) and
/// `A_k` the categories of the `k` largest, the integral `sum_k (L_(k) - L_(k+1)) mu(A_k)` is
/// computed in its equal form `sum_k L_(k) (mu(A_k) - mu(A_(k-1)))`, `mu(A_0) = 0`: every term
/// is non-negative, and with every `c_ij = 0` the result is the largest level exactly. Walking
/// the categories in that order, the row sums `r_i = sum_{j in A_k, j != i} c_ij` only grow, so
/// `mu(A_k) = 1 + max r_i` is the running maximum of every row sum seen: O(n^2) in all.
/// `order` and `rows` are scratch of the levels' length.
#[inline(always)]
fn pairwise_choquet(
    levels: &[f64],
    order: &mut [usize],
    rows: &mut [f64],
    c: impl Fn(usize, usize) -> f64,
) -> f64 {
    // Insertion sort, decreasing and stable: a handful of categories.
    for k in 0..levels.len() {
        let x = levels[k];
        let mut m = k;
        while m > 0 && levels[order[m - 1]] < x {
            order[m] = order[m - 1];
            m -= 1;
        }
        order[m] = k;
    }
    let (mut total, mut mu_before, mut widest) = (0.0, 0.0, 0.0f64);
    for k in 0..order.len() {
        let x = order[k];
        let mut row = 0.0;
        for &m in &order[..k] {
            let cxm = c(x, m);
            row += cxm;
            rows[m] += cxm;
            widest = widest.max(rows[m]);
        }
        rows[x] = row;
        widest = widest.max(row);
        let mu = 1.0 + widest;
        total += levels[x] * (mu - mu_before);
        mu_before = mu;
    }
    total
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
mod tests;
