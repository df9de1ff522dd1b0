//! The pass over the samples of one scenario, and the results it adds up to.
//!
//! Samples are split in chunks of [`CHUNK_SIZE`], dealt to the workers by rayon. Everything a
//! worker accumulates is an integer: histogram counts, threshold counts, and sums of `U` in
//! fixed point (units of 2^-32 OOM). Integer sums do not depend on the order of addition, so
//! the totals, and every result derived from them, are the same whatever the number of
//! threads. Order statistics come from [`crate::quantiles`].
//!
//! The run is a single pass in two parts. The pilot, the first chunks (at least 8, about 1/32
//! of the run, at most 128 and 64 MiB of values), is drawn, evaluated and held in memory; its
//! counts bracket the bins where every wanted order statistic lies, with a wide margin. The
//! other chunks are then drawn and evaluated once, and every value inside a bracket is
//! gathered; the pilot's values are offered to the brackets afterwards. When the counts of the
//! whole run place some wanted rank outside the gathered bins (a tail event of the pilot, about
//! one in a hundred million per rank), or when the brackets would be expected to gather more
//! than [`GATHER_BUDGET`] values, the values are offered again in a second pass that draws and
//! evaluates the chunks after the pilot again (the streams make that reproduce the same values
//! bit for bit), so results never depend on the pilot. The values of `U` at the
//! histogram steps are held for the whole run (16 bytes a sample) to count the histograms.

use std::sync::atomic::{AtomicU64, Ordering};

use overhang_model::results::{
    Conditional, ConditionalStep, Contribution, GrowthPoint, Histogram, ProjectionPoint,
    Quantiles3, Quantiles5, SafetyBuffer, ScenarioResults, Sensitivity, SensitivityEntry,
    ThresholdResult,
};
use overhang_model::{Scenario, Threshold};
use rayon::prelude::*;

use crate::kernel::Work;
use crate::plan::{GROWTH_MONTHS, Plan, SlotValue};
use crate::quantiles::{
    BracketCollector, Brackets, NBINS, Selection, bin_lower, bin_of, bin_upper, locate,
};
use crate::sampler::SENS_BINS;
use crate::sensitivity::{first_order, tornado};
use crate::{SimError, pow10};

use crate::CHUNK_SIZE;

mod assemble;

use assemble::{histogram_counts, histogram_edges, results, second_pass};

/// The pilot holds at most this many bytes of values.
pub(crate) const PILOT_BUDGET: u64 = 64 << 20;

/// The most values the brackets may be expected to gather (256 MiB of doubles).
pub(crate) const GATHER_BUDGET: u64 = 1 << 25;

/// Bins of the reported histograms.
pub(crate) const HIST_BINS: usize = 40;

/// The reported quantiles.
const PROBS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// The tolerances of the safety buffers: the multiplier `m` with `P(10^U >= m)` equal to each.
const SAFETY_TOLERANCES: [f64; 3] = [0.05, 0.1, 0.5];

/// One OOM in fixed point.
const FIXED: f64 = 4_294_967_296.0;

const STRIDE: usize = CHUNK_SIZE as usize;

/// The most columns whose first-order shares are accumulated: two sensitivity steps and the
/// two policy answers (see [`Plan::sens_cols`]).
pub(crate) const MAX_SENS: usize = 4;

/// Samples done, for the progress callback.
pub(crate) struct Progress<'a> {
    pub done: AtomicU64,
    pub total: u64,
    pub callback: Option<&'a (dyn Fn(u64, u64) + Sync)>,
}

impl Progress<'_> {
    fn advance(&self, k: u64) {
        let done = self.done.fetch_add(k, Ordering::Relaxed) + k;
        if let Some(cb) = self.callback {
            cb(done, self.total);
        }
    }
}

/// How a run is split; results never depend on it (tests vary it to show that).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Strategy {
    /// Chunks in the pilot; `None` chooses by [`pilot_chunks`].
    pub pilot: Option<u64>,
    /// Gather nothing and collect the order statistics in a second pass, as a run whose
    /// brackets would exceed [`GATHER_BUDGET`] does.
    pub second_pass: bool,
}

/// Chunks in the pilot of a run of `samples` samples with `columns` result columns.
pub(crate) fn pilot_chunks(samples: u64, columns: usize) -> u64 {
    let n_chunks = chunks(samples);
    let block = CHUNK_SIZE * columns as u64 * 8;
    (n_chunks / 32)
        .clamp(8, 128)
        .min(PILOT_BUDGET / block.max(1))
        .clamp(1, n_chunks)
}

fn chunks(samples: u64) -> u64 {
    samples.div_ceil(CHUNK_SIZE)
}

fn chunk_len(n: u64, chunk: u64) -> usize {
    (n - chunk * CHUNK_SIZE).min(CHUNK_SIZE) as usize
}

/// `x >= 0` in fixed point, rounded to nearest (ties up): `(x * FIXED + 0.5) as i64`.
///
/// For `x < 2^19` (uplifts are at most 300 OOM, their squares at most 90,000) `y = x * FIXED +
/// 0.5` is exact and below 2^51, and its floor is found with doubles by the 2^52 rounding
/// trick, which the compiler vectorises where the conversion to a 64-bit integer does not.
#[inline(always)]
fn fixed(x: f64) -> i64 {
    const TWO52: f64 = 4_503_599_627_370_496.0;
    let y = x * FIXED + 0.5;
    if y < TWO52 / 2.0 {
        let r = (y + TWO52) - TWO52;
        let r = if r > y { r - 1.0 } else { r };
        ((r + TWO52).to_bits() - TWO52.to_bits()) as i64
    } else {
        y as i64
    }
}

/// Totals of one worker.
struct Acc {
    /// Counts per column and coarse bin; 32 bits hold any count as runs have at most
    /// `MAX_SAMPLES` (5e7) samples.
    hist: Vec<u32>,
    /// Per column, the lowest and highest bin counted, so merging skips the untouched bins.
    touched: Vec<(usize, usize)>,
    sum_u: Vec<i128>,
    /// Per column of [`Plan::sens_cols`], the sum of squares of its values (fixed point).
    sum_u2: Vec<i128>,
    /// Per column of [`Plan::sens_cols`], the sum of its values (fixed point).
    sum_s: Vec<i128>,
    exceed: Vec<u64>,
    /// Per step, the draws with no uplift (`U = 0`).
    no_uplift: Vec<u64>,
    /// Per growth month and threshold, the draws whose growth after release alone reaches it.
    growth_exceed: Vec<u64>,
    /// Per chunk, its index and the sum of the multiplier `10^U` per step: floating-point sums
    /// are added in chunk order at the end, so the mean does not depend on the threads.
    multiplier_sums: Vec<(u64, Vec<f64>)>,
    sens_sum: Vec<i128>,
    sens_count: Vec<u64>,
    /// Per policy threshold, draws by the first whole month they reach it: months 0 to the
    /// horizon, then never.
    first_month: Vec<u64>,
}

impl Acc {
    fn new(plan: &Plan) -> Self {
        let steps = plan.years.len();
        let inputs = plan.inputs.len();
        let sens = plan.sens_cols().len();
        Self {
            hist: vec![0; plan.columns() * NBINS],
            touched: vec![(NBINS, 0); plan.columns()],
            sum_u: vec![0; steps],
            sum_u2: vec![0; sens],
            sum_s: vec![0; sens],
            exceed: vec![0; steps * plan.thresholds.len()],
            no_uplift: vec![0; steps],
            growth_exceed: vec![0; plan.growth_months.len() * plan.thresholds.len()],
            multiplier_sums: Vec::new(),
            sens_sum: vec![0; inputs * sens * SENS_BINS],
            sens_count: vec![0; inputs * SENS_BINS],
            first_month: vec![0; 2 * plan.policy.len() * first_month_bins(plan)],
        }
    }

    /// Adds a block of `len` samples of chunk `chunk`; leaves the coarse bin of every value in
    /// `value_bins`.
    #[inline(always)]
    fn add(
        &mut self,
        plan: &Plan,
        chunk: u64,
        vals: &[f64],
        len: usize,
        input_bins: &[Vec<u8>],
        value_bins: &mut [u16],
    ) {
        for (col, (hist, touched)) in self
            .hist
            .chunks_mut(NBINS)
            .zip(&mut self.touched)
            .enumerate()
        {
            let out = &mut value_bins[col * STRIDE..col * STRIDE + len];
            for (o, &v) in out.iter_mut().zip(&vals[col * STRIDE..col * STRIDE + len]) {
                *o = bin_of(v) as u16;
            }
            for &b in out.iter() {
                hist[usize::from(b)] += 1;
            }
            // Bins are below 2^15: as i16 the extremes take the vector min and max of SSE2.
            let lo = out.iter().fold(i16::MAX, |a, &b| a.min(b as i16));
            let hi = out.iter().fold(0, |a, &b| a.max(b as i16));
            if len > 0 {
                *touched = (touched.0.min(lo as usize), touched.1.max(hi as usize));
            }
        }
        let n_thr = plan.thresholds.len();
        for (j, sum) in self.sum_u.iter_mut().enumerate() {
            let u = &vals[j * STRIDE..j * STRIDE + len];
            *sum += i128::from(u.iter().map(|&x| fixed(x)).sum::<i64>());
            for (k, &theta) in plan.thresholds.iter().enumerate() {
                self.exceed[j * n_thr + k] += u.iter().filter(|&&x| x >= theta).count() as u64;
            }
            self.no_uplift[j] += u.iter().filter(|&&x| x <= 0.0).count() as u64;
        }
        // A loop, not `map` and `collect`: the closure would not be inlined into the wide copy.
        let mut sums = Vec::with_capacity(plan.years.len());
        for j in 0..plan.years.len() {
            sums.push(crate::vmath::pow10_sum(&vals[j * STRIDE..j * STRIDE + len]));
        }
        self.multiplier_sums.push((chunk, sums));
        for i in 0..plan.growth_months.len() {
            let col = plan.growth_col(i);
            let d = &vals[col * STRIDE..col * STRIDE + len];
            for (k, &theta) in plan.thresholds.iter().enumerate() {
                self.growth_exceed[i * n_thr + k] +=
                    d.iter().filter(|&&x| x >= theta).count() as u64;
            }
        }
        let bins = first_month_bins(plan);
        // The first month of the uplift, then of the growth after release, per policy threshold.
        for p in 0..2 * plan.policy.len() {
            let col = plan.columns() + p;
            let counts = &mut self.first_month[p * bins..(p + 1) * bins];
            for &m in &vals[col * STRIDE..col * STRIDE + len] {
                // Whole months, or infinity for never: the last bin.
                let b = if m.is_finite() { m as usize } else { bins - 1 };
                counts[b.min(bins - 1)] += 1;
            }
        }
        // Every column of the first-order shares in one sweep over each input's bins.
        let cols = plan.sens_cols();
        let sens = cols.len();
        let mut fx = vec![[0i64; MAX_SENS]; len];
        for (h, &j) in cols.iter().enumerate() {
            let u = &vals[j * STRIDE..j * STRIDE + len];
            for (f, &x) in fx.iter_mut().zip(u) {
                f[h] = fixed(x);
            }
            self.sum_u2[h] += i128::from(u.iter().map(|&x| fixed(x * x)).sum::<i64>());
            self.sum_s[h] += i128::from(fx.iter().map(|f| f[h]).sum::<i64>());
        }
        for (i, b) in input_bins.iter().enumerate() {
            let mut local = [[0i64; MAX_SENS]; SENS_BINS];
            let mut count = [0u64; SENS_BINS];
            for (&b, f) in b[..len].iter().zip(&fx) {
                let l = &mut local[usize::from(b)];
                for (l, f) in l.iter_mut().zip(f) {
                    *l += f;
                }
                count[usize::from(b)] += 1;
            }
            for h in 0..sens {
                let out = &mut self.sens_sum[(i * sens + h) * SENS_BINS..][..SENS_BINS];
                for (o, l) in out.iter_mut().zip(&local) {
                    *o += i128::from(l[h]);
                }
            }
            let out = &mut self.sens_count[i * SENS_BINS..][..SENS_BINS];
            for (o, c) in out.iter_mut().zip(count) {
                *o += c;
            }
        }
    }

    /// The counts, widened for the order statistics.
    fn counts(&self) -> Vec<u64> {
        self.hist.iter().map(|&c| u64::from(c)).collect()
    }

    fn merge(mut self, other: &Self) -> Self {
        fn add<T: Copy + std::ops::AddAssign>(a: &mut [T], b: &[T]) {
            for (x, &y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (col, &(lo, hi)) in other.touched.iter().enumerate() {
            if lo <= hi {
                let base = col * NBINS;
                add(
                    &mut self.hist[base + lo..=base + hi],
                    &other.hist[base + lo..=base + hi],
                );
                let t = &mut self.touched[col];
                *t = (t.0.min(lo), t.1.max(hi));
            }
        }
        add(&mut self.sum_u, &other.sum_u);
        add(&mut self.sum_u2, &other.sum_u2);
        add(&mut self.sum_s, &other.sum_s);
        add(&mut self.exceed, &other.exceed);
        add(&mut self.no_uplift, &other.no_uplift);
        add(&mut self.growth_exceed, &other.growth_exceed);
        self.multiplier_sums
            .extend(other.multiplier_sums.iter().cloned());
        add(&mut self.sens_sum, &other.sens_sum);
        add(&mut self.sens_count, &other.sens_count);
        add(&mut self.first_month, &other.first_month);
        self
    }
}

/// Bins of the first-month counts of a policy threshold: months 0 to the horizon, and never.
fn first_month_bins(plan: &Plan) -> usize {
    plan.horizon() as usize + 2
}

/// A worker's failure, with the chunk it happened in, so the reported error is the one of the
/// earliest chunk whatever the threads.
type Failure = (u64, SimError);

fn keep_earliest(first: &mut Option<Failure>, f: Option<Failure>) {
    if let Some(f) = f
        && first.as_ref().is_none_or(|e| f.0 < e.0)
    {
        *first = Some(f);
    }
}

/// One chunk for [`Worker::chunk`]: chunk `index` of a run of `n` samples, evaluated into
/// `out` (else a buffer of the worker's own), with `U` at the histogram steps copied into
/// `sens` and, with brackets, the values in them gathered.
struct Chunk<'c, 'p> {
    n: u64,
    index: u64,
    out: Option<&'c mut [f64]>,
    sens: &'c mut [f64],
    brackets: Option<&'c Brackets>,
    progress: &'c Progress<'p>,
}

/// The state of one worker in the pass.
struct Worker<'a> {
    plan: &'a Plan,
    acc: Acc,
    work: Work,
    buf: Vec<f64>,
    value_bins: Vec<u16>,
    gathered: Option<BracketCollector>,
    failure: Option<Failure>,
}

impl<'a> Worker<'a> {
    fn new(plan: &'a Plan, brackets: Option<&Brackets>, share: f64) -> Self {
        Self {
            plan,
            acc: Acc::new(plan),
            work: Work::new(plan, STRIDE),
            buf: Vec::new(),
            value_bins: vec![0; plan.columns() * STRIDE],
            gathered: brackets.map(|b| b.collector(share)),
            failure: None,
        }
    }

    /// Draws, evaluates and accumulates one chunk (see [`Chunk`]).
    fn chunk(&mut self, chunk: Chunk) {
        /// The chunk's work, run by [`crate::simd::wide`].
        struct Job<'w, 'a, 'c, 'p> {
            worker: &'w mut Worker<'a>,
            chunk: Chunk<'c, 'p>,
        }
        impl pulp::WithSimd for Job<'_, '_, '_, '_> {
            type Output = ();
            #[inline(always)]
            fn with_simd<S: pulp::Simd>(self, _: S) {
                self.worker.chunk_kernel(self.chunk);
            }
        }
        crate::simd::wide(Job {
            worker: self,
            chunk,
        });
    }

    /// [`Worker::chunk`], inlined into each copy of [`crate::simd::wide`].
    #[inline(always)]
    fn chunk_kernel(&mut self, chunk: Chunk) {
        let Chunk {
            n,
            index: chunk,
            out,
            sens,
            brackets,
            progress,
        } = chunk;
        if self.failure.is_some() {
            // A later chunk cannot fail earlier: the rest of this worker's chunks are moot.
            return;
        }
        let plan = self.plan;
        let len = chunk_len(n, chunk);
        let mut own = std::mem::take(&mut self.buf);
        let out = match out {
            Some(out) => out,
            None => {
                own.resize(plan.width() * STRIDE, 0.0);
                &mut own[..]
            }
        };
        // Plain control flow rather than `and_then`: a closure would not be inlined, and would
        // miss the wide copy.
        let mut done = self.work.draw(plan, chunk, len);
        if done.is_ok() {
            done = self.work.evaluate(plan, len, out, STRIDE);
        }
        if let Err(e) = done {
            self.failure = Some((chunk, e));
        } else {
            self.acc
                .add(plan, chunk, out, len, &self.work.bins, &mut self.value_bins);
            for (h, &j) in plan.sens_steps.iter().enumerate() {
                sens[h * STRIDE..h * STRIDE + len]
                    .copy_from_slice(&out[j * STRIDE..j * STRIDE + len]);
            }
            if let (Some(b), Some(g)) = (brackets, self.gathered.as_mut()) {
                for col in 0..plan.columns() {
                    let r = col * STRIDE..col * STRIDE + len;
                    b.offer(g, col, &out[r.clone()], &self.value_bins[r]);
                }
            }
            progress.advance(len as u64);
        }
        self.buf = own;
    }
}

/// Contiguous chunk ranges covering `chunks`, `per_thread` per thread (a few, so a slow thread
/// does not hold up the rest).
fn groups(chunks: std::ops::Range<u64>, per_thread: u64) -> Vec<std::ops::Range<u64>> {
    let len = chunks.end - chunks.start;
    let g = (rayon::current_num_threads() as u64 * per_thread).clamp(1, len.max(1));
    (0..g)
        .map(|i| chunks.start + i * len / g..chunks.start + (i + 1) * len / g)
        .collect()
}

/// `store` (`width` values per chunk, from the first chunk of `ranges` on) split by `ranges`.
fn split_by<'a>(
    mut store: &'a mut [f64],
    ranges: &[std::ops::Range<u64>],
    width: usize,
) -> Vec<&'a mut [f64]> {
    ranges
        .iter()
        .map(|r| {
            let (mine, rest) =
                std::mem::take(&mut store).split_at_mut((r.end - r.start) as usize * width);
            store = rest;
            mine
        })
        .collect()
}

/// Merges the workers, or returns the failure of the earliest chunk.
fn merge_workers(workers: Vec<Worker>) -> Result<(Acc, Option<BracketCollector>), SimError> {
    let mut first = None;
    let mut merged: Option<(Acc, Option<BracketCollector>)> = None;
    for w in workers {
        keep_earliest(&mut first, w.failure);
        merged = Some(match merged {
            None => (w.acc, w.gathered),
            Some((acc, gathered)) => {
                let gathered = match (gathered, w.gathered) {
                    (Some(mut a), Some(b)) => {
                        a.merge(b);
                        Some(a)
                    }
                    (a, _) => a,
                };
                (acc.merge(&w.acc), gathered)
            }
        });
    }
    match first {
        Some((_, e)) => Err(e),
        None => Ok(merged.expect("at least one worker")),
    }
}

/// Runs one scenario.
pub(crate) fn run(
    scenario: &Scenario,
    plan: &Plan,
    thresholds: &[Threshold],
    n: u64,
    progress: &Progress,
    strategy: Strategy,
) -> Result<ScenarioResults, SimError> {
    let (passed, swings) = pass(plan, n, progress, strategy)?;
    results(scenario, plan, thresholds, n, passed, &swings)
}

/// What the pass over the samples adds up to.
struct Passed {
    acc: Acc,
    resolved: crate::quantiles::Resolved,
    edges: (f64, f64),
    hist_counts: Vec<u64>,
}

/// The tornado's swings and the conditional headlines (see [`tornado`]).
type Swings = crate::sensitivity::Reruns;

/// The pass over the samples, and the tornado, which reruns samples of its own alongside the
/// chunks after the pilot (the longest phase, in the most pieces, so the threads stay evenly
/// busy).
fn pass(
    plan: &Plan,
    n: u64,
    progress: &Progress,
    strategy: Strategy,
) -> Result<(Passed, Swings), SimError> {
    let cols = plan.columns();
    let block = plan.width() * STRIDE;
    let n_chunks = chunks(n);
    let pilot = strategy
        .pilot
        .unwrap_or_else(|| pilot_chunks(n, cols))
        .clamp(1, n_chunks);
    let sens_block = plan.sens_steps.len() * STRIDE;
    let steps = plan.years.len();
    let n_thr = plan.thresholds.len();
    let nf = n as f64;

    // What the order statistics must resolve.
    let mut probabilities = Vec::with_capacity(cols);
    for _ in 0..steps {
        let mut ps = Vec::new();
        for p in PROBS {
            let d = (p * (1.0 - p) / nf).sqrt();
            ps.extend([p, p - d, p + d]);
        }
        probabilities.push(ps);
    }
    for _ in 0..n_thr {
        probabilities.push(PROBS.to_vec());
    }
    for _ in 0..plan.categories.len() + plan.cadences.len() {
        probabilities.push(vec![0.05, 0.5, 0.95]);
    }
    // The safety buffers: at release and at each growth month.
    probabilities[0].push(1.0 - SAFETY_TOLERANCES[1]);
    for _ in &plan.growth_months {
        probabilities.push(SAFETY_TOLERANCES.map(|t| 1.0 - t).to_vec());
    }
    for _ in &plan.growth_months {
        probabilities.push(PROBS.to_vec());
    }

    // The pilot.
    let mut pilot_store = vec![0.0; pilot as usize * block];
    let mut sens_store = vec![0.0; n_chunks as usize * sens_block];
    let (sens_pilot, sens_rest) = sens_store.split_at_mut(pilot as usize * sens_block);
    // One group per thread: the pilot is short and each group holds a full set of counts.
    let ranges = groups(0..pilot, 1);
    let outs = split_by(&mut pilot_store, &ranges, block);
    let senses = split_by(sens_pilot, &ranges, sens_block);
    let workers: Vec<Worker> = ranges
        .par_iter()
        .zip(outs)
        .zip(senses)
        .map(|((range, out), sens)| {
            let mut w = Worker::new(plan, None, 0.0);
            let pieces = out.chunks_mut(block).zip(sens.chunks_mut(sens_block));
            for (chunk, (out, sens)) in range.clone().zip(pieces) {
                w.chunk(Chunk {
                    n,
                    index: chunk,
                    out: Some(out),
                    sens,
                    brackets: None,
                    progress,
                });
            }
            w
        })
        .collect();
    let (mut acc, _) = merge_workers(workers)?;

    // The rest, gathering the values in the brackets (unless they would hold too many: then
    // the second pass collects what the whole run's counts ask for).
    let brackets = (pilot < n_chunks)
        .then(|| Brackets::new(&acc.counts(), pilot * CHUNK_SIZE, n, &probabilities))
        .filter(|b| !strategy.second_pass && b.expected() <= GATHER_BUDGET as f64);
    let brackets = brackets.as_ref();
    let ranges = groups(pilot..n_chunks, 4);
    let senses = split_by(sens_rest, &ranges, sens_block);
    let (workers, swings) = rayon::join(
        || {
            ranges
                .par_iter()
                .zip(senses)
                .map(|(range, sens)| {
                    let share = (range.end - range.start) as f64 / n_chunks as f64;
                    let mut w = Worker::new(plan, brackets, share);
                    for (chunk, sens) in range.clone().zip(sens.chunks_mut(sens_block)) {
                        w.chunk(Chunk {
                            n,
                            index: chunk,
                            out: None,
                            sens,
                            brackets,
                            progress,
                        });
                    }
                    w
                })
                .collect::<Vec<Worker>>()
        },
        || tornado(plan, n),
    );
    let mut gathered = None;
    if !workers.is_empty() {
        let (rest, from_rest) = merge_workers(workers)?;
        acc = acc.merge(&rest);
        gathered = from_rest;
    }
    if let (Some(brackets), Some(all)) = (brackets, gathered.as_mut()) {
        let from_pilot = pilot_store
            .par_chunks(block)
            .enumerate()
            .fold(
                || (brackets.collector(0.0), vec![0u16; STRIDE]),
                |(mut g, mut bins), (chunk, vals)| {
                    let len = chunk_len(n, chunk as u64);
                    for col in 0..cols {
                        let v = &vals[col * STRIDE..col * STRIDE + len];
                        for (b, &x) in bins.iter_mut().zip(v) {
                            *b = bin_of(x) as u16;
                        }
                        brackets.offer(&mut g, col, v, &bins[..len]);
                    }
                    (g, bins)
                },
            )
            .map(|(g, _)| g)
            .reduce_with(|mut a, b| {
                a.merge(b);
                a
            });
        if let Some(g) = from_pilot {
            all.merge(g);
        }
    }

    let counts = acc.counts();
    let edges = histogram_edges(plan, &counts, n);
    // The reported histograms are counted while the order statistics are resolved.
    let (resolved, hist_counts) = rayon::join(
        || {
            let selection = Selection::new(&counts, n, &probabilities);
            let resolved = match (brackets, &gathered) {
                (Some(b), Some(g)) => selection.resolve_from(b, g),
                _ => None,
            };
            drop(gathered);
            match resolved {
                Some(r) => Ok(r),
                None => second_pass(plan, &selection, n, &pilot_store, pilot),
            }
        },
        || histogram_counts(plan, &sens_store, n, edges),
    );
    let resolved = resolved?;
    drop(pilot_store);
    let passed = Passed {
        acc,
        resolved,
        edges,
        hist_counts,
    };
    Ok((passed, swings?))
}

/// The results of one scenario.
#[cfg(test)]
mod tests {
    use overhang_testkit::{ROUNDING, assert_close};
    use std::collections::BTreeMap;

    #[test]
    fn fixed_point_equals_the_plain_conversion() {
        let mut x = 0.0f64;
        let mut cases = vec![
            0.0,
            0.5 / FIXED,
            1.5 / FIXED,
            2.5 / FIXED,
            300.0,
            90_000.0,
            1e6,
        ];
        for _ in 0..100_000 {
            x = (x * 1.618_033_988_7 + 0.123_456_789) % 301.0;
            cases.extend([x, x * x, x / 1e9]);
        }
        for x in cases {
            assert_eq!(fixed(x), (x * FIXED + 0.5) as i64, "{x}");
        }
    }

    use super::*;

    #[test]
    fn results_do_not_depend_on_the_pilot_or_a_second_pass() {
        let toml = "[report]\ntitle = \"T\"\nversion = \"0.1.0\"\ndate = \"2026-01-01\"\n\
            authors = [\"A\"]\nrelease_date = \"2026-01-01\"\n\
            [simulation]\nsamples = 9000\nseed = 3\n[horizon]\nmonths = 24\nstep_months = 6\n\
            [composability]\nmethod = \"pairwise\"\npair_default = \"uniform(0.2, 0.9)\"\n\
            [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\ngrowth = \"0 to 0.3\"\n\
            rationale = \"r\"\ncap = 30\n\
            [categories.b]\nlabel = \"B\"\navailable = \"3 to 30\"\ngrowth = \"-0.1 to 0.2\"\n\
            elicited = \"1 to 4\"\nrationale = \"r\"\n\
            [[thresholds]]\nlabel = \"4x\"\nmultiplier = 4\npolicy = \"p\"\n";
        let a = crate::test_assessment(toml, "a");
        let scenario = &a.scenarios[0];
        let plan = Plan::new(
            scenario,
            &a.model,
            &BTreeMap::new(),
            a.horizon.grid(),
            &a.thresholds,
            3,
        )
        .unwrap();
        let progress = Progress {
            done: AtomicU64::new(0),
            total: 0,
            callback: None,
        };
        let with = |pilot, second_pass| {
            let strategy = Strategy { pilot, second_pass };
            run(scenario, &plan, &a.thresholds, 9000, &progress, strategy).unwrap()
        };
        // 9000 samples are 3 chunks: all in the pilot, a pilot of one chunk with brackets, and
        // the same with the values offered again.
        let held = with(None, false);
        assert_eq!(held, with(Some(1), false));
        assert_eq!(held, with(Some(1), true));
        assert_eq!(held, with(Some(2), false));
        // The cap of 30 is a point mass of L_a: its quantile is exactly log10(30).
        let top = held.contributions[0].at_horizon.p95;
        assert_close!(top, 30.0, ROUNDING, "{top}");
    }
}
