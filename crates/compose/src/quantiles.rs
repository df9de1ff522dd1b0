//! Exact order statistics of long columns without holding them: a two-pass histogram
//! refinement.
//!
//! Pass 1 counts every value in a coarse histogram whose bins follow the bits of the double
//! (64 octaves from 2^-32 to 2^32, 256 bins per octave, plus a bin for exact zeros, one below
//! and one above the range), so a bin is at most 0.4% wide relative to its values. The counts
//! locate the bin that holds each wanted rank. Pass 2 collects the values falling in those
//! bins only, and sorting them gives the exact order statistic. Counts are integers and
//! collected values are sorted, so the result does not depend on how the samples were split
//! among threads.
//!
//! To bound memory, at most [`COLLECT_BUDGET`] values are collected, taking the least
//! populated bins first. A bin left out (only possible with tens of millions of samples piled
//! into one 0.4%-wide bin) gets its minimum and maximum instead: when they are equal (a point
//! mass, such as a cap) the order statistic is still exact; otherwise it is interpolated
//! linearly within the bin and the caller is told.

use rayon::prelude::*;

/// Mantissa bits per octave of the coarse histogram.
const MBITS: u32 = 8;
/// log2 of the lower end of the resolved range.
const OCT_LO: i64 = -32;
/// Octaves in the resolved range.
const OCTAVES: i64 = 64;
/// Coarse bins: exact zero, below range, the range, above range (including infinity). Fewer
/// than 2^15, so a bin fits an `i16` (and a `u16`).
pub(crate) const NBINS: usize = 2 + (OCTAVES << MBITS) as usize + 1;
const _: () = assert!(NBINS < 1 << 15);
const TOP: usize = NBINS - 1;
const BASE: i64 = (1023 + OCT_LO) << MBITS;

/// The most values pass 2 collects, over all columns (128 MiB of doubles).
pub(crate) const COLLECT_BUDGET: u64 = 1 << 24;

/// The coarse bin of a value `v >= 0` (infinity allowed, NaN never reaches here). Monotone.
#[inline(always)]
pub(crate) fn bin_of(v: f64) -> usize {
    let bits = v.to_bits();
    // Below the range clamps to bin 1, above it to the top bin; selects rather than branches
    // so loops over values vectorise.
    let idx = ((bits >> (52 - MBITS)) as i64 - BASE + 2).clamp(1, TOP as i64) as usize;
    if bits == 0 { 0 } else { idx }
}

/// The smallest value of a bin.
pub(crate) fn bin_lower(b: usize) -> f64 {
    match b {
        0 | 1 => 0.0,
        _ => f64::from_bits((((b - 2) as i64 + BASE) as u64) << (52 - MBITS)),
    }
}

/// The upper edge of a bin (exclusive), infinity for the top bin.
pub(crate) fn bin_upper(b: usize) -> f64 {
    if b >= TOP {
        f64::INFINITY
    } else {
        bin_lower(b + 1)
    }
}

/// The 0-based ranks behind the type-7 (linear interpolation) sample quantile at `p`:
/// `h = (n - 1) p`, the order statistics `floor(h)` and `floor(h) + 1`, and the weight.
pub(crate) fn ranks(n: u64, p: f64) -> (u64, u64, f64) {
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = (h.floor() as u64).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    (lo, hi, h - lo as f64)
}

/// Cumulative counts of a column: entry `b` counts the values in bins `0..=b`.
fn cumulative(counts: &[u64]) -> Vec<u64> {
    counts
        .iter()
        .scan(0u64, |acc, &c| {
            *acc += c;
            Some(*acc)
        })
        .collect()
}

/// [`locate`] from cumulative counts: the first bin whose cumulative count exceeds `r`.
fn locate_cumulative(cum: &[u64], counts: &[u64], r: u64) -> (usize, u64) {
    let b = cum.partition_point(|&c| c <= r).min(cum.len() - 1);
    (b, cum[b] - counts[b])
}

/// The bin of the value of rank `r` in a column's counts, and the count before the bin.
pub(crate) fn locate(counts: &[u64], r: u64) -> (usize, u64) {
    let mut before = 0;
    for (b, &c) in counts.iter().enumerate() {
        if r < before + c {
            return (b, before);
        }
        before += c;
    }
    (counts.len() - 1, before)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every value of the bin is collected.
    Collect,
    /// The bin's minimum and maximum are tracked.
    Range,
    /// The bin holds only exact zeros.
    Zero,
}

#[derive(Debug, Clone)]
struct Target {
    col: usize,
    bin: usize,
    count: u64,
    before: u64,
    mode: Mode,
}

/// Which bins pass 2 must look at, from the pass-1 counts and the wanted probabilities.
#[derive(Debug)]
pub(crate) struct Selection {
    n: u64,
    /// Per column, bin to target index plus one (0: not a target).
    lookup: Vec<Vec<u32>>,
    targets: Vec<Target>,
    /// Per column, its targets' indices.
    by_column: Vec<Vec<usize>>,
}

impl Selection {
    /// `counts` holds `NBINS` counts per column; `probabilities[col]` the quantiles wanted.
    pub(crate) fn new(counts: &[u64], n: u64, probabilities: &[Vec<f64>]) -> Self {
        let mut targets = Vec::new();
        let mut lookup = Vec::new();
        let mut by_column = Vec::new();
        for (col, probs) in probabilities.iter().enumerate() {
            let counts = &counts[col * NBINS..(col + 1) * NBINS];
            let cum = cumulative(counts);
            let mut map = vec![0u32; NBINS];
            let mut mine = Vec::new();
            for &p in probs {
                let (lo, hi, _) = ranks(n, p);
                for r in [lo, hi] {
                    let (bin, before) = locate_cumulative(&cum, counts, r);
                    if map[bin] == 0 {
                        targets.push(Target {
                            col,
                            bin,
                            count: counts[bin],
                            before,
                            mode: if bin == 0 { Mode::Zero } else { Mode::Range },
                        });
                        map[bin] = targets.len() as u32;
                        mine.push(targets.len() - 1);
                    }
                }
            }
            lookup.push(map);
            by_column.push(mine);
        }
        // Collect the least populated bins first, within the budget; ties in target order.
        let mut order: Vec<usize> = (0..targets.len())
            .filter(|&t| targets[t].mode == Mode::Range)
            .collect();
        order.sort_by_key(|&t| (targets[t].count, t));
        let mut budget = COLLECT_BUDGET;
        for t in order {
            if targets[t].count <= budget {
                budget -= targets[t].count;
                targets[t].mode = Mode::Collect;
            }
        }
        Self {
            n,
            lookup,
            targets,
            by_column,
        }
    }

    /// An empty collector for pass 2.
    pub(crate) fn collector(&self) -> Collector {
        Collector {
            values: vec![Vec::new(); self.targets.len()],
            min: vec![f64::INFINITY; self.targets.len()],
            max: vec![f64::NEG_INFINITY; self.targets.len()],
        }
    }

    /// Offers column `col`'s values to the collector.
    #[inline]
    pub(crate) fn offer(&self, collector: &mut Collector, col: usize, values: &[f64]) {
        let map = &self.lookup[col];
        for &v in values {
            let t = map[bin_of(v)] as usize;
            if t != 0 {
                let t = t - 1;
                match self.targets[t].mode {
                    Mode::Collect => collector.values[t].push(v),
                    Mode::Range => {
                        collector.min[t] = collector.min[t].min(v);
                        collector.max[t] = collector.max[t].max(v);
                    }
                    Mode::Zero => {}
                }
            }
        }
    }

    /// Resolves the order statistics from the merged collector.
    pub(crate) fn resolve(&self, collector: Collector) -> Resolved {
        self.finish(self.targets.clone(), collector)
    }

    /// Resolves the order statistics from what a single pass gathered in the bins of
    /// `brackets`, or `None` when some wanted bin was not gathered in full (the caller then
    /// offers every value again). The result is the one [`Selection::resolve`] gives after a
    /// second pass: a bin gathered only as a range stands for its values when they are all
    /// equal.
    pub(crate) fn resolve_from(
        &self,
        brackets: &Brackets,
        gathered: &BracketCollector,
    ) -> Option<Resolved> {
        // Column by column in parallel; each column's values go to its own targets only.
        let mut collector = gathered
            .values
            .par_iter()
            .zip(&gathered.others)
            .enumerate()
            .map(|(col, (values, others))| {
                let mut part = self.collector();
                for &t in &self.by_column[col] {
                    if self.targets[t].mode == Mode::Collect {
                        part.values[t].reserve_exact(self.targets[t].count as usize);
                    }
                }
                self.offer(&mut part, col, values);
                for values in others {
                    self.offer(&mut part, col, values);
                }
                part
            })
            .reduce_with(|mut a, b| {
                a.merge(b);
                a
            })
            .unwrap_or_else(|| self.collector());
        let mut targets = self.targets.clone();
        for (t, target) in targets.iter_mut().enumerate() {
            if target.mode == Mode::Zero {
                continue;
            }
            match brackets.code(target.col, target.bin) {
                NONE => return None,
                COLLECT => {
                    if target.mode == Mode::Collect
                        && collector.values[t].len() as u64 != target.count
                    {
                        return None;
                    }
                }
                code => {
                    let k = (code - RANGE0) as usize;
                    let (lo, hi) = (gathered.min[k], gathered.max[k]);
                    if target.mode == Mode::Collect {
                        if lo.to_bits() != hi.to_bits() {
                            return None;
                        }
                        // Every value of the bin is `lo`: its sorted values are `lo` repeated,
                        // which a range of one point gives without holding them.
                        target.mode = Mode::Range;
                    }
                    collector.min[t] = lo;
                    collector.max[t] = hi;
                }
            }
        }
        Some(self.finish(targets, collector))
    }

    fn finish(&self, targets: Vec<Target>, mut collector: Collector) -> Resolved {
        let interpolated = targets.iter().enumerate().any(|(t, target)| {
            target.mode == Mode::Range && collector.min[t].to_bits() != collector.max[t].to_bits()
        });
        let sorted: Vec<Vec<f64>> = std::mem::take(&mut collector.values)
            .into_par_iter()
            .zip(&targets)
            .map(|(mut v, target)| {
                if target.mode == Mode::Collect {
                    v.sort_unstable_by(f64::total_cmp);
                    debug_assert_eq!(v.len() as u64, target.count);
                }
                v
            })
            .collect();
        Resolved {
            n: self.n,
            targets,
            by_column: self.by_column.clone(),
            sorted,
            min: collector.min,
            max: collector.max,
            interpolated,
        }
    }
}

/// Pass-2 state of one worker.
#[derive(Debug)]
pub(crate) struct Collector {
    values: Vec<Vec<f64>>,
    min: Vec<f64>,
    max: Vec<f64>,
}

impl Collector {
    /// Adds another worker's state (the order does not matter: values are sorted later).
    pub(crate) fn merge(&mut self, other: Self) {
        for (mine, theirs) in self.values.iter_mut().zip(other.values) {
            if mine.is_empty() {
                *mine = theirs;
            } else {
                mine.extend_from_slice(&theirs);
            }
        }
        for (a, b) in self.min.iter_mut().zip(other.min) {
            *a = a.min(b);
        }
        for (a, b) in self.max.iter_mut().zip(other.max) {
            *a = a.max(b);
        }
    }
}

/// Bracket codes: not gathered, every value gathered, or (from `RANGE0` on) the minimum and
/// maximum gathered in slot `code - RANGE0`.
const NONE: u32 = 0;
const COLLECT: u32 = 1;
const RANGE0: u32 = 2;

/// Standard errors of margin around each wanted rank when bracketing from a pilot.
const MARGIN_SE: f64 = 6.0;

/// A bin expected to hold more values than this is gathered as a range (a point mass, such as
/// a fixed cap or "never crossed", keeps its exact value that way).
const HEAVY: f64 = (COLLECT_BUDGET / 16) as f64;

/// The bins, per column, whose values a single pass gathers: those around each wanted rank, as
/// located in the counts of a pilot (the first samples of the same run), with a margin of
/// [`MARGIN_SE`] standard errors of the pilot's quantile.
#[derive(Debug)]
pub(crate) struct Brackets {
    /// Per column: the first bin of `table` and the code of each bin from there on.
    cols: Vec<(usize, Vec<u32>)>,
    /// Per column, `table` followed by one `NONE`, which any bin past the table reads (see
    /// [`Brackets::offer`]).
    padded: Vec<Vec<u32>>,
    ranges: usize,
    /// Per column, the values the whole run is expected to gather (from the pilot's counts).
    expected: Vec<f64>,
}

impl Brackets {
    /// Brackets from the pilot's counts (`NBINS` per column, over `pilot` samples) for a run of
    /// `n` samples.
    pub(crate) fn new(counts: &[u64], pilot: u64, n: u64, probabilities: &[Vec<f64>]) -> Self {
        let pf = pilot as f64;
        let scale = n as f64 / pf;
        let mut ranges = 0;
        let cols = probabilities
            .iter()
            .enumerate()
            .map(|(col, probs)| {
                let counts = &counts[col * NBINS..(col + 1) * NBINS];
                let cum = cumulative(counts);
                let mut marked: Vec<(usize, usize)> = Vec::new();
                for &p in probs {
                    let d = MARGIN_SE * (p * (1.0 - p)).max(1.0 / pf).sqrt() / pf.sqrt() + 2.0 / pf;
                    let lo = ((p - d).max(0.0) * (pf - 1.0)).floor() as u64;
                    let hi = ((p + d).min(1.0) * (pf - 1.0)).ceil() as u64;
                    marked.push((
                        locate_cumulative(&cum, counts, lo).0,
                        locate_cumulative(&cum, counts, hi).0,
                    ));
                }
                let first = marked.iter().map(|m| m.0).min().unwrap_or(0);
                let last = marked.iter().map(|m| m.1).max().unwrap_or(0);
                let mut table = vec![NONE; last + 1 - first];
                for (a, b) in marked {
                    for bin in a..=b {
                        // Exact zeros need no values (see `Mode::Zero`).
                        if bin == 0 || table[bin - first] != NONE {
                            continue;
                        }
                        table[bin - first] = if counts[bin] as f64 * scale > HEAVY {
                            ranges += 1;
                            RANGE0 + ranges as u32 - 1
                        } else {
                            COLLECT
                        };
                    }
                }
                (first, table)
            })
            .collect::<Vec<_>>();
        let expected = cols
            .iter()
            .enumerate()
            .map(|(col, (first, table))| {
                let counts = &counts[col * NBINS + first..][..table.len()];
                let kept: u64 = table
                    .iter()
                    .zip(counts)
                    .filter(|&(&code, _)| code == COLLECT)
                    .map(|(_, &c)| c)
                    .sum();
                kept as f64 * scale
            })
            .collect();
        let padded = cols
            .iter()
            .map(|(_, table)| table.iter().copied().chain([NONE]).collect())
            .collect();
        Self {
            cols,
            padded,
            ranges,
            expected,
        }
    }

    /// The values the whole run is expected to gather.
    pub(crate) fn expected(&self) -> f64 {
        self.expected.iter().sum()
    }

    #[inline]
    fn code(&self, col: usize, bin: usize) -> u32 {
        let (first, table) = &self.cols[col];
        bin.checked_sub(*first)
            .and_then(|i| table.get(i))
            .copied()
            .unwrap_or(NONE)
    }

    /// An empty collector, with room for a `share` of the values the run is expected to
    /// gather.
    pub(crate) fn collector(&self, share: f64) -> BracketCollector {
        BracketCollector {
            values: self
                .expected
                .iter()
                .map(|&e| Vec::with_capacity((e * share * 1.05) as usize + STAGE))
                .collect(),
            others: vec![Vec::new(); self.expected.len()],
            min: vec![f64::INFINITY; self.ranges],
            max: vec![f64::NEG_INFINITY; self.ranges],
        }
    }

    /// Offers column `col`'s values, with their bins, to the collector.
    #[inline(always)]
    pub(crate) fn offer(
        &self,
        collector: &mut BracketCollector,
        col: usize,
        values: &[f64],
        bins: &[u16],
    ) {
        let first = self.cols[col].0;
        let table = &self.padded[col];
        let past = table.len() - 1;
        // Branch-free: a bin outside the table (below it, the subtraction wraps) reads the
        // final `NONE`; every value is written to the staging block and kept when its bin is
        // gathered; ranges (rare) take a branch.
        let mut staged = [0.0; STAGE];
        for (values, bins) in values.chunks(STAGE).zip(bins.chunks(STAGE)) {
            let mut kept = 0;
            for (&v, &b) in values.iter().zip(bins) {
                let i = usize::from(b).wrapping_sub(first).min(past);
                let code = table[i];
                staged[kept & (STAGE - 1)] = v;
                kept += usize::from(code == COLLECT);
                if code >= RANGE0 {
                    let k = (code - RANGE0) as usize;
                    collector.min[k] = collector.min[k].min(v);
                    collector.max[k] = collector.max[k].max(v);
                }
            }
            collector.values[col].extend_from_slice(&staged[..kept]);
        }
    }
}

/// Values staged per step of [`Brackets::offer`] (a power of two).
const STAGE: usize = 256;

/// What one worker gathered in the brackets.
#[derive(Debug)]
pub(crate) struct BracketCollector {
    /// Per column, the values of its `COLLECT` bins, in no particular order.
    values: Vec<Vec<f64>>,
    /// Per column, the values merged from other workers, kept as they came rather than copied
    /// into `values`.
    others: Vec<Vec<Vec<f64>>>,
    min: Vec<f64>,
    max: Vec<f64>,
}

impl BracketCollector {
    /// Adds another worker's values (their order does not matter: they are sorted later).
    pub(crate) fn merge(&mut self, other: Self) {
        let columns = self.values.iter_mut().zip(&mut self.others);
        for ((mine, others), (theirs, their_others)) in
            columns.zip(other.values.into_iter().zip(other.others))
        {
            if mine.is_empty() {
                *mine = theirs;
            } else if !theirs.is_empty() {
                others.push(theirs);
            }
            others.extend(their_others);
        }
        for (a, b) in self.min.iter_mut().zip(other.min) {
            *a = a.min(b);
        }
        for (a, b) in self.max.iter_mut().zip(other.max) {
            *a = a.max(b);
        }
    }
}

/// Order statistics, resolved.
#[derive(Debug)]
pub(crate) struct Resolved {
    n: u64,
    targets: Vec<Target>,
    by_column: Vec<Vec<usize>>,
    sorted: Vec<Vec<f64>>,
    min: Vec<f64>,
    max: Vec<f64>,
    /// Some order statistic was interpolated within a bin rather than exact.
    pub interpolated: bool,
}

impl Resolved {
    /// The value of rank `r` (0-based) in column `col`; `r` must be one the selection asked for.
    fn at_rank(&self, col: usize, r: u64) -> f64 {
        for &t in &self.by_column[col] {
            let target = &self.targets[t];
            if r >= target.before && r < target.before + target.count {
                let within = r - target.before;
                return match target.mode {
                    Mode::Zero => 0.0,
                    Mode::Collect => self.sorted[t][within as usize],
                    Mode::Range => {
                        let (lo, hi) = (self.min[t], self.max[t]);
                        // Equal bits: every value of the bin is the same (a point mass).
                        if lo.to_bits() == hi.to_bits() {
                            lo
                        } else {
                            lo + (hi - lo) * (within as f64 + 0.5) / target.count as f64
                        }
                    }
                };
            }
        }
        unreachable!("rank {r} of column {col} was not selected")
    }

    /// The type-7 sample quantile of column `col` at probability `p` (infinite when it falls
    /// among infinite values).
    pub(crate) fn quantile(&self, col: usize, p: f64) -> f64 {
        let (lo, hi, w) = ranks(self.n, p);
        let a = self.at_rank(col, lo);
        if w == 0.0 {
            return a;
        }
        let b = self.at_rank(col, hi);
        if b == f64::INFINITY {
            return f64::INFINITY;
        }
        a + w * (b - a)
    }
}

#[cfg(test)]
#[expect(clippy::float_cmp, reason = "these results are exact")]
mod tests {
    use super::*;

    fn exact(mut v: Vec<f64>, p: f64) -> f64 {
        v.sort_by(f64::total_cmp);
        let (lo, hi, w) = ranks(v.len() as u64, p);
        if w == 0.0 {
            v[lo as usize]
        } else {
            v[lo as usize] + w * (v[hi as usize] - v[lo as usize])
        }
    }

    #[test]
    fn bins_are_monotone_and_contain_their_values() {
        let mut last = 0;
        let mut x = 1e-12;
        while x < 1e12 {
            let b = bin_of(x);
            assert!(b >= last);
            assert!(bin_lower(b) <= x && x < bin_upper(b), "{x}");
            last = b;
            x *= 1.001;
        }
        assert_eq!(bin_of(0.0), 0);
        assert_eq!(bin_of(f64::INFINITY), NBINS - 1);
    }

    #[test]
    fn two_pass_quantiles_equal_sorting_the_column() {
        // A column with a point mass at 0, a cluster of equal values, and a spread.
        let mut v: Vec<f64> = (0..10_000)
            .map(|i| {
                let x = f64::from(i);
                if i % 7 == 0 {
                    0.0
                } else if i % 11 == 0 {
                    2.5
                } else {
                    libm::sin(x) * libm::sin(x) * 3.0 + x * 1e-4
                }
            })
            .collect();
        v.push(f64::INFINITY);
        let n = v.len() as u64;
        let mut counts = vec![0u64; NBINS];
        for &x in &v {
            counts[bin_of(x)] += 1;
        }
        let probs = vec![0.0, 0.05, 0.1, 0.333, 0.5, 0.9, 0.99, 1.0];
        let sel = Selection::new(&counts, n, std::slice::from_ref(&probs));
        // Offer the values in two halves to two collectors, as two workers would.
        let mut c1 = sel.collector();
        let mut c2 = sel.collector();
        sel.offer(&mut c1, 0, &v[..5000]);
        sel.offer(&mut c2, 0, &v[5000..]);
        c2.merge(c1);
        let r = sel.resolve(c2);
        assert!(!r.interpolated);
        for &p in &probs[..probs.len() - 1] {
            assert_eq!(
                r.quantile(0, p).to_bits(),
                exact(v.clone(), p).to_bits(),
                "p={p}"
            );
        }
        assert_eq!(r.quantile(0, 1.0), f64::INFINITY);
    }

    #[test]
    fn brackets_from_a_pilot_resolve_the_same_order_statistics_in_one_pass() {
        // A continuous spread with a point mass (a cap) holding a quarter of the values.
        let v: Vec<f64> = (0..40_000u32)
            .map(|i| {
                let x = f64::from(i.wrapping_mul(2_654_435_761) % 1_000_003) / 1e5;
                if i % 4 == 0 { 7.25 } else { x }
            })
            .collect();
        let n = v.len() as u64;
        let count = |xs: &[f64]| {
            let mut c = vec![0u64; NBINS];
            for &x in xs {
                c[bin_of(x)] += 1;
            }
            c
        };
        let probs = vec![0.05, 0.25, 0.5, 0.75, 0.95];
        let pilot = &v[..8000];
        let brackets = Brackets::new(
            &count(pilot),
            pilot.len() as u64,
            n,
            std::slice::from_ref(&probs),
        );
        let mut gathered = brackets.collector(1.0);
        let bins: Vec<u16> = v.iter().map(|&x| bin_of(x) as u16).collect();
        brackets.offer(&mut gathered, 0, &v, &bins);
        let sel = Selection::new(&count(&v), n, std::slice::from_ref(&probs));
        let one_pass = sel
            .resolve_from(&brackets, &gathered)
            .expect("brackets hold every rank");
        let mut c = sel.collector();
        sel.offer(&mut c, 0, &v);
        let two_pass = sel.resolve(c);
        for &p in &probs {
            assert_eq!(
                one_pass.quantile(0, p).to_bits(),
                two_pass.quantile(0, p).to_bits()
            );
        }
        // Brackets from an unrelated pilot miss the ranks: the caller must offer again.
        let far: Vec<f64> = pilot.iter().map(|x| x + 1000.0).collect();
        let wrong = Brackets::new(
            &count(&far),
            far.len() as u64,
            n,
            std::slice::from_ref(&probs),
        );
        let mut g = wrong.collector(1.0);
        wrong.offer(&mut g, 0, &v, &bins);
        assert!(sel.resolve_from(&wrong, &g).is_none());
    }
}
