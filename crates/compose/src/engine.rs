//! The passes over the samples of one scenario, and the results they add up to.
//!
//! Samples are split in chunks of [`CHUNK_SIZE`]; the chunks are dealt in contiguous groups to
//! the workers. Everything a worker accumulates is an integer: histogram counts, threshold
//! counts, and sums of `U` in fixed point (units of 2^-32 OOM). Integer sums do not depend on
//! the order of addition, so the totals, and every result derived from them, are the same
//! whatever the number of threads. Order statistics come from [`crate::quantiles`].
//!
//! Pass 1 draws and evaluates every chunk and accumulates. Pass 2 offers the values again to
//! the collectors of the order statistics: from memory when every value of every column fits in
//! [`STORE_BUDGET`], else by drawing and evaluating the chunks a second time (the streams make
//! that reproduce the same values bit for bit).

use std::sync::atomic::{AtomicU64, Ordering};

use overhang_model::results::{
    Contribution, Histogram, ProjectionPoint, ScenarioResults, Sensitivity, SensitivityEntry,
    ThresholdResult,
};
use overhang_model::{Scenario, Threshold};
use rayon::prelude::*;

use crate::kernel::Work;
use crate::plan::{Plan, SlotValue};
use crate::quantiles::{NBINS, Selection, bin_lower, bin_of, bin_upper, locate};
use crate::sampler::SENS_BINS;
use crate::sensitivity::{first_order, tornado};
use crate::{SimError, pow10};

use crate::CHUNK_SIZE;

/// Pass 2 reads values from memory when they take at most this many bytes.
pub(crate) const STORE_BUDGET: u64 = 256 << 20;

/// Bins of the reported histograms.
pub(crate) const HIST_BINS: usize = 40;

/// The reported quantiles.
const PROBS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// One OOM in fixed point.
const FIXED: f64 = 4_294_967_296.0;

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

/// True when pass 2 reads stored values rather than simulating again.
pub(crate) fn stores_values(samples: u64, columns: usize, budget: u64) -> bool {
    chunks(samples)
        .saturating_mul(CHUNK_SIZE)
        .saturating_mul(columns as u64)
        .saturating_mul(8)
        <= budget
}

fn chunks(samples: u64) -> u64 {
    samples.div_ceil(CHUNK_SIZE)
}

fn chunk_len(n: u64, chunk: u64) -> usize {
    (n - chunk * CHUNK_SIZE).min(CHUNK_SIZE) as usize
}

/// `x >= 0` in fixed point, rounded to nearest (ties up).
#[inline]
fn fixed(x: f64) -> i64 {
    (x * FIXED + 0.5) as i64
}

/// Pass-1 totals of one worker.
struct Acc {
    hist: Vec<u64>,
    sum_u: Vec<i128>,
    sum_u2: Vec<i128>,
    exceed: Vec<u64>,
    sens_sum: Vec<i128>,
    sens_count: Vec<u64>,
}

impl Acc {
    fn new(plan: &Plan) -> Self {
        let steps = plan.years.len();
        let inputs = plan.inputs.len();
        let sens = plan.sens_steps.len();
        Self {
            hist: vec![0; plan.columns() * NBINS],
            sum_u: vec![0; steps],
            sum_u2: vec![0; sens],
            exceed: vec![0; steps * plan.thresholds.len()],
            sens_sum: vec![0; inputs * sens * SENS_BINS],
            sens_count: vec![0; inputs * SENS_BINS],
        }
    }

    fn add(&mut self, plan: &Plan, vals: &[f64], len: usize, bins: &[Vec<u8>]) {
        let stride = CHUNK_SIZE as usize;
        for (col, hist) in self.hist.chunks_mut(NBINS).enumerate() {
            for &v in &vals[col * stride..col * stride + len] {
                hist[bin_of(v)] += 1;
            }
        }
        let n_thr = plan.thresholds.len();
        for (j, sum) in self.sum_u.iter_mut().enumerate() {
            let u = &vals[j * stride..j * stride + len];
            *sum += i128::from(u.iter().map(|&x| fixed(x)).sum::<i64>());
            for (k, &theta) in plan.thresholds.iter().enumerate() {
                self.exceed[j * n_thr + k] += u.iter().filter(|&&x| x >= theta).count() as u64;
            }
        }
        let sens = plan.sens_steps.len();
        for (h, &j) in plan.sens_steps.iter().enumerate() {
            let u = &vals[j * stride..j * stride + len];
            let fx: Vec<i64> = u.iter().map(|&x| fixed(x)).collect();
            self.sum_u2[h] += i128::from(u.iter().map(|&x| fixed(x * x)).sum::<i64>());
            for (i, b) in bins.iter().enumerate() {
                let mut local = [0i64; SENS_BINS];
                for (&b, &f) in b[..len].iter().zip(&fx) {
                    local[usize::from(b)] += f;
                }
                let out = &mut self.sens_sum[(i * sens + h) * SENS_BINS..][..SENS_BINS];
                for (o, l) in out.iter_mut().zip(local) {
                    *o += i128::from(l);
                }
            }
        }
        for (i, b) in bins.iter().enumerate() {
            let out = &mut self.sens_count[i * SENS_BINS..][..SENS_BINS];
            for &b in &b[..len] {
                out[usize::from(b)] += 1;
            }
        }
    }

    fn merge(mut self, other: &Self) -> Self {
        fn add<T: Copy + std::ops::AddAssign>(a: &mut [T], b: &[T]) {
            for (x, &y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        add(&mut self.hist, &other.hist);
        add(&mut self.sum_u, &other.sum_u);
        add(&mut self.sum_u2, &other.sum_u2);
        add(&mut self.exceed, &other.exceed);
        add(&mut self.sens_sum, &other.sens_sum);
        add(&mut self.sens_count, &other.sens_count);
        self
    }
}

/// A worker's failure, with the chunk it happened in, so the reported error is the one of the
/// earliest chunk whatever the threads.
type Failure = (u64, SimError);

fn earliest<T>(results: Vec<Result<T, Failure>>) -> Result<Vec<T>, SimError> {
    let mut first: Option<Failure> = None;
    let mut ok = Vec::new();
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(f) => {
                if first.as_ref().is_none_or(|e| f.0 < e.0) {
                    first = Some(f);
                }
            }
        }
    }
    match first {
        Some((_, e)) => Err(e),
        None => Ok(ok),
    }
}

/// Contiguous chunk ranges, a few per thread so a slow thread does not hold up the rest.
fn groups(n_chunks: u64) -> Vec<std::ops::Range<u64>> {
    let g = (rayon::current_num_threads() as u64 * 4).clamp(1, n_chunks.max(1));
    (0..g)
        .map(|i| i * n_chunks / g..(i + 1) * n_chunks / g)
        .collect()
}

/// Runs one scenario.
pub(crate) fn run(
    scenario: &Scenario,
    plan: &Plan,
    thresholds: &[Threshold],
    n: u64,
    progress: &Progress,
    store_budget: u64,
) -> Result<ScenarioResults, SimError> {
    let cols = plan.columns();
    let block = cols * CHUNK_SIZE as usize;
    let n_chunks = chunks(n);
    let ranges = groups(n_chunks);
    let mut store: Vec<f64> = if stores_values(n, cols, store_budget) {
        vec![0.0; n_chunks as usize * block]
    } else {
        Vec::new()
    };
    let stored = !store.is_empty();

    // Pass 1.
    let mut regions: Vec<Option<&mut [f64]>> = Vec::new();
    {
        let mut rest: &mut [f64] = &mut store;
        for r in &ranges {
            if stored {
                let (mine, tail) = rest.split_at_mut((r.end - r.start) as usize * block);
                regions.push(Some(mine));
                rest = tail;
            } else {
                regions.push(None);
            }
        }
    }
    let accs: Vec<Result<Acc, Failure>> = ranges
        .par_iter()
        .zip(regions)
        .map(|(range, mut region)| {
            let mut acc = Acc::new(plan);
            let mut work = Work::new(plan, CHUNK_SIZE as usize);
            let mut buf = if stored { Vec::new() } else { vec![0.0; block] };
            for (k, chunk) in range.clone().enumerate() {
                let len = chunk_len(n, chunk);
                let out: &mut [f64] = match region.as_deref_mut() {
                    Some(r) => &mut r[k * block..(k + 1) * block],
                    None => &mut buf,
                };
                work.draw(plan, chunk, len).map_err(|e| (chunk, e))?;
                work.evaluate(plan, len, out, CHUNK_SIZE as usize)
                    .map_err(|e| (chunk, e))?;
                acc.add(plan, out, len, &work.bins);
                progress.advance(len as u64);
            }
            Ok(acc)
        })
        .collect();
    let acc = earliest(accs)?
        .into_iter()
        .reduce(|a, b| a.merge(&b))
        .expect("at least one group");

    // What pass 2 must resolve.
    let steps = plan.years.len();
    let n_thr = plan.thresholds.len();
    let nf = n as f64;
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
    for _ in 0..plan.categories.len() {
        probabilities.push(vec![0.05, 0.5, 0.95]);
    }
    let selection = Selection::new(&acc.hist, n, &probabilities);
    let edges = histogram_edges(plan, &acc.hist, n);

    // Pass 2.
    let store = &store;
    let edges_ref = &edges;
    let selection_ref = &selection;
    let collected: Vec<Result<_, Failure>> = ranges
        .par_iter()
        .map(|range| {
            let mut collector = selection_ref.collector();
            let mut counts = vec![0u64; plan.sens_steps.len() * HIST_BINS];
            let mut work = if stored {
                None
            } else {
                Some((Work::new(plan, CHUNK_SIZE as usize), vec![0.0; block]))
            };
            for chunk in range.clone() {
                let len = chunk_len(n, chunk);
                let vals: &[f64] = match work.as_mut() {
                    None => &store[chunk as usize * block..(chunk as usize + 1) * block],
                    Some((work, buf)) => {
                        work.draw(plan, chunk, len).map_err(|e| (chunk, e))?;
                        work.evaluate(plan, len, buf, CHUNK_SIZE as usize)
                            .map_err(|e| (chunk, e))?;
                        progress.advance(len as u64);
                        buf
                    }
                };
                let stride = CHUNK_SIZE as usize;
                for col in 0..cols {
                    selection_ref.offer(
                        &mut collector,
                        col,
                        &vals[col * stride..col * stride + len],
                    );
                }
                for (h, &j) in plan.sens_steps.iter().enumerate() {
                    let (lo, width) = edges_ref;
                    let out = &mut counts[h * HIST_BINS..(h + 1) * HIST_BINS];
                    for &u in &vals[j * stride..j * stride + len] {
                        let b = ((u - lo) / width).floor();
                        let b = if b > 0.0 {
                            (b as usize).min(HIST_BINS - 1)
                        } else {
                            0
                        };
                        out[b] += 1;
                    }
                }
            }
            Ok((collector, counts))
        })
        .collect();
    let mut collected = earliest(collected)?.into_iter();
    let (mut collector, mut hist_counts) = collected.next().expect("at least one group");
    for (c, h) in collected {
        collector.merge(c);
        for (a, b) in hist_counts.iter_mut().zip(h) {
            *a += b;
        }
    }
    let resolved = selection.resolve(collector);

    // Results.
    let q = |col: usize, p: f64| resolved.quantile(col, p);
    let projection: Vec<ProjectionPoint> = (0..steps)
        .map(|j| {
            let mut vals = [0.0; 5];
            let mut se = [0.0; 5];
            for (k, p) in PROBS.into_iter().enumerate() {
                let d = (p * (1.0 - p) / nf).sqrt();
                vals[k] = pow10(q(j, p));
                se[k] = (pow10(q(j, p + d)) - pow10(q(j, p - d))) / 2.0;
            }
            ProjectionPoint {
                months: plan.months[j],
                p5: vals[0],
                p25: vals[1],
                p50: vals[2],
                p75: vals[3],
                p95: vals[4],
                se,
                mean_log10: acc.sum_u[j] as f64 / FIXED / nf,
            }
        })
        .collect();

    let threshold_results = thresholds
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let col = steps + k;
            let never = acc.hist[col * NBINS + NBINS - 1];
            let mut crossing = [None; 5];
            for (c, p) in crossing.iter_mut().zip(PROBS) {
                let m = q(col, p);
                *c = m.is_finite().then_some(m);
            }
            ThresholdResult {
                label: t.label.clone(),
                multiplier: t.multiplier,
                probability: (0..steps)
                    .map(|j| acc.exceed[j * n_thr + k] as f64 / nf)
                    .collect(),
                crossing_months: crossing,
                p_no_crossing: never as f64 / nf,
            }
        })
        .collect();

    let swings = tornado(plan, n)?;
    let sens = plan.sens_steps.len();
    let sensitivity = plan
        .sens_steps
        .iter()
        .enumerate()
        .map(|(h, &j)| {
            let sum = acc.sum_u[j] as f64 / FIXED;
            let sum_sq = acc.sum_u2[h] as f64 / FIXED;
            let mut entries: Vec<SensitivityEntry> = plan
                .inputs
                .iter()
                .enumerate()
                .map(|(i, input)| {
                    let bin_sums: Vec<f64> = acc.sens_sum[(i * sens + h) * SENS_BINS..]
                        [..SENS_BINS]
                        .iter()
                        .map(|&s| s as f64 / FIXED)
                        .collect();
                    let counts = &acc.sens_count[i * SENS_BINS..][..SENS_BINS];
                    SensitivityEntry {
                        input: input.id.clone(),
                        label: input.label.clone(),
                        first_order: first_order(n, sum, sum_sq, &bin_sums, counts),
                        median_at_p5: swings[h][i].0,
                        median_at_p95: swings[h][i].1,
                        rank: 0,
                    }
                })
                .collect();
            // Largest share first; equal shares by the wider swing, then by id.
            entries.sort_by(|a, b| {
                b.first_order
                    .total_cmp(&a.first_order)
                    .then_with(|| swing(b).total_cmp(&swing(a)))
                    .then_with(|| a.input.cmp(&b.input))
            });
            for (r, e) in entries.iter_mut().enumerate() {
                e.rank = r as u32 + 1;
            }
            Sensitivity {
                months: plan.months[j],
                median: projection[j].p50,
                inputs: entries,
            }
        })
        .collect();

    let contributions = contributions(plan, &resolved, steps + n_thr)?;

    let (lo, width) = edges;
    let histograms = plan
        .sens_steps
        .iter()
        .enumerate()
        .map(|(h, &j)| Histogram {
            months: plan.months[j],
            edges_log10: (0..=HIST_BINS).map(|i| lo + width * i as f64).collect(),
            fractions: hist_counts[h * HIST_BINS..(h + 1) * HIST_BINS]
                .iter()
                .map(|&c| c as f64 / nf)
                .collect(),
        })
        .collect();

    let mut notes = plan.notes.clone();
    if resolved.interpolated {
        notes.push(
            "Some reported quantiles fell among more samples than the engine collects exactly and \
             were interpolated within a histogram bin 0.4% wide."
                .to_owned(),
        );
    }
    Ok(ScenarioResults {
        id: scenario.id.clone(),
        label: scenario.label.clone(),
        description: scenario.description.clone(),
        overrides: scenario.overrides.clone(),
        projection,
        thresholds: threshold_results,
        sensitivity,
        contributions,
        histograms,
        notes,
    })
}

fn swing(e: &SensitivityEntry) -> f64 {
    (e.median_at_p95 - e.median_at_p5).abs()
}

/// The histogram's lower edge and bin width, in OOM: from the 0.5th to the 99.5th percentile of
/// `U` over the histogram steps, located in the pass-1 counts and widened to tenths.
fn histogram_edges(plan: &Plan, hist: &[u64], n: u64) -> (f64, f64) {
    let lo_rank = ((n - 1) as f64 * 0.005).floor() as u64;
    let hi_rank = ((n - 1) as f64 * 0.995).ceil() as u64;
    let mut lo = f64::INFINITY;
    let mut hi = 0.0f64;
    for &j in &plan.sens_steps {
        let counts = &hist[j * NBINS..(j + 1) * NBINS];
        lo = lo.min(bin_lower(locate(counts, lo_rank).0));
        hi = hi.max(bin_upper(locate(counts, hi_rank).0));
    }
    let lo = (lo * 10.0).floor() / 10.0;
    let mut hi = (hi * 10.0).ceil() / 10.0;
    if !hi.is_finite() || hi <= lo {
        hi = lo + 0.1;
    }
    (lo, (hi - lo) / HIST_BINS as f64)
}

fn contributions(
    plan: &Plan,
    resolved: &crate::quantiles::Resolved,
    first_col: usize,
) -> Result<Vec<Contribution>, SimError> {
    let at = |slot: usize, p: f64| match plan.slots[slot] {
        SlotValue::Const(v) => v,
        SlotValue::Input(i) => plan.inputs[i].sampler.value_at(p),
    };
    plan.categories
        .iter()
        .enumerate()
        .map(|(c, (id, label))| {
            let three = |f: &dyn Fn(f64) -> f64| [f(0.05), f(0.5), f(0.95)].map(pow10);
            let available = three(&|p| at(Plan::available(c), p));
            let elicited = three(&|p| at(Plan::elicited(c), p));
            let at_horizon = three(&|p| resolved.quantile(first_col + c, p));
            if !at_horizon.iter().all(|x| x.is_finite()) {
                return Err(SimError::NonFinite {
                    input: format!("categories.{id}.growth"),
                    scenario: plan.scenario.clone(),
                });
            }
            Ok(Contribution {
                id: id.clone(),
                label: label.clone(),
                available,
                elicited,
                at_horizon,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use overhang_model::{InputFiles, SourceFile, load};

    use super::*;

    #[test]
    fn streaming_and_stored_second_passes_give_identical_results() {
        let toml = "[report]\ntitle = \"T\"\nversion = \"0.1.0\"\ndate = \"2026-01-01\"\n\
            authors = [\"A\"]\nrelease_date = \"2026-01-01\"\n\
            [simulation]\nsamples = 9000\nseed = 3\n[horizon]\nmonths = 24\nstep_months = 6\n\
            [composability]\nmethod = \"pairwise\"\npair_default = \"uniform(0.2, 0.9)\"\n\
            [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\ngrowth = \"0 to 0.3\"\n\
            rationale = \"r\"\ncap = 30\n\
            [categories.b]\nlabel = \"B\"\navailable = \"3 to 30\"\ngrowth = \"-0.1 to 0.2\"\n\
            elicited = \"1 to 4\"\nrationale = \"r\"\n\
            [[thresholds]]\nlabel = \"4x\"\nmultiplier = 4\npolicy = \"p\"\n";
        let files = InputFiles {
            assessment: SourceFile {
                name: "assessment.toml".into(),
                bytes: toml.into(),
            },
            enhancements: SourceFile {
                name: "enhancements.csv".into(),
                bytes: "id,name,category,benchmark,ceg,date,source,evidence,notes\n\
                        r1,R,a,,10,2024-01,https://example.org,measured,\n"
                    .into(),
            },
            composability: None,
        };
        let a = load(&files).unwrap().assessment;
        let scenario = &a.scenarios[0];
        let plan = Plan::new(
            scenario,
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
        let stored = run(
            scenario,
            &plan,
            &a.thresholds,
            9000,
            &progress,
            STORE_BUDGET,
        )
        .unwrap();
        let streamed = run(scenario, &plan, &a.thresholds, 9000, &progress, 0).unwrap();
        assert_eq!(stored, streamed);
        // The cap of 30 is a point mass of L_a: its quantile is exactly log10(30).
        let top = stored.contributions[0].at_horizon[2];
        assert!((top - 30.0).abs() < 1e-9, "{top}");
    }
}
