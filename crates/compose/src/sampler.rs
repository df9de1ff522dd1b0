//! Random streams and the samplers of every estimate form.
//!
//! Each uncertain input has its own `ChaCha8` key, derived from the seed and the input's id, and
//! each chunk of samples uses the `ChaCha` stream numbered by the chunk's index. A sample's draws
//! therefore depend only on (seed, input id, sample index): not on the thread that ran the
//! chunk, not on the other inputs, and not on the scenario, so scenarios share common random
//! numbers for the inputs they have in common.

use overhang_model::Distribution;
use overhang_model::special::{
    beta_ppf, norm_cdf, norm_ppf, norm_ppf_central, norm_ppf_tail, student_t_ppf,
};
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// Equal-probability bins per input for the first-order sensitivity estimator.
pub(crate) const SENS_BINS: usize = 50;

/// log10(e): turns a natural logarithm into orders of magnitude.
const LOG10_E: f64 = core::f64::consts::LOG10_E;

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `ChaCha` key of one input: FNV-1a of its id, mixed with the seed through `SplitMix64`.
pub(crate) fn stream_key(seed: u64, id: &str) -> [u8; 32] {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut s = seed;
    let mut state = hash ^ splitmix64(&mut s);
    let mut key = [0u8; 32];
    for part in key.chunks_exact_mut(8) {
        part.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
    }
    key
}

/// The random stream of one input within one chunk.
pub(crate) fn stream(key: [u8; 32], chunk: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(chunk);
    rng
}

/// A uniform draw in the open interval (0, 1) with 53 random bits, so no quantile function is
/// ever evaluated at 0 or 1.
#[inline]
pub(crate) fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
}

/// 2^52 and its bits.
const TWO52: f64 = 4_503_599_627_370_496.0;
const TWO52_BITS: u64 = 0x4330_0000_0000_0000;

/// Fills `out` with the uniforms [`uniform`] would draw one by one, reading the key stream a
/// block at a time (`next_u64` takes two 32-bit words, little end first: the bytes in order).
#[inline(always)]
fn uniforms(rng: &mut ChaCha8Rng, out: &mut [f64]) {
    const BLOCK: usize = 64;
    let mut bytes = [0u8; 8 * BLOCK];
    for block in out.chunks_mut(BLOCK) {
        let bytes = &mut bytes[..8 * block.len()];
        rng.fill_bytes(bytes);
        for (x, w) in block.iter_mut().zip(bytes.chunks_exact(8)) {
            let m = u64::from_le_bytes(w.try_into().expect("8 bytes")) >> 11;
            // `m as f64`, exactly, in two halves below 2^52 that convert by their bits (which
            // vectorises, where a 64-bit integer conversion does not).
            let hi = f64::from_bits(TWO52_BITS | (m >> 26)) - TWO52;
            let lo = f64::from_bits(TWO52_BITS | (m & ((1 << 26) - 1))) - TWO52;
            *x = ((hi * 67_108_864.0 + lo) + 0.5) * (1.0 / 9_007_199_254_740_992.0);
        }
    }
}

/// How a drawn value becomes the model's quantity. Every transform is increasing, so a
/// percentile of the input maps to the same percentile of the quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transform {
    /// A multiplier becomes orders of magnitude.
    Log10,
    /// A rate stays as it is.
    Identity,
    /// A composability is clamped to [0, 1].
    Unit,
    /// Months become years, the unit of the projection's time.
    Years,
}

impl Transform {
    fn apply(self, x: f64) -> f64 {
        match self {
            Self::Log10 => libm::log10(x),
            Self::Identity => x,
            Self::Unit => x.clamp(0.0, 1.0),
            // The same division as the grid's `m / 12`, so a lag of whole months falls on the
            // grid's month exactly.
            Self::Years => x / 12.0,
        }
    }
}

/// How one uncertain input is drawn.
#[derive(Debug, Clone)]
pub(crate) enum Sampler {
    /// Exact inverse-CDF sampling: the quantity is `transform(quantile(u))`; its sensitivity
    /// bin is read from `u`.
    Quantile {
        /// The distribution.
        dist: Distribution,
        /// Applied to the quantile.
        transform: Transform,
    },
    /// Beta as `X / (X + Y)` with gamma variates (inverting the beta CDF per draw is too slow);
    /// the sensitivity bin is found among the exact quantiles in `bounds`.
    Beta {
        /// First shape.
        alpha: f64,
        /// Second shape.
        beta: f64,
        /// Applied to the draw.
        transform: Transform,
        /// The quantities at probabilities 1/50, ..., 49/50.
        bounds: Vec<f64>,
    },
    /// A tabulated quantile function (the posterior of kappa or of a pair learned from measured
    /// combinations), clamped to [0, 1]: the quantity is `table.quantile(u)`, binned from `u`.
    Tabulated {
        /// The quantile function.
        table: overhang_model::Tabulated,
    },
    /// A category's posterior from the evidence (see [`Part`]): the quantity is read from the
    /// table by `u`, binned from `u`.
    Posterior {
        /// The posterior of the category's `(a, g)`.
        table: std::sync::Arc<overhang_model::JointTable>,
        /// Which of the two, and how.
        part: Part,
    },
    /// `location + scale * T`, with `T` drawn by Bailey's polar method (exact), binned through
    /// `bounds`.
    StudentT {
        /// Location.
        location: f64,
        /// Scale.
        scale: f64,
        /// Degrees of freedom.
        df: f64,
        /// The quantities at probabilities 1/50, ..., 49/50.
        bounds: Vec<f64>,
    },
}

/// What a [`Sampler::Posterior`] draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The log10 level at release, from its marginal.
    Available,
    /// The growth, from its marginal (the scenario states the level itself).
    Growth,
    /// The growth given the drawn level: the draw stays the uniform `u` until the kernel reads
    /// the growth at `u` of its distribution given the level's cell (see
    /// [`crate::plan::Plan::joint`]); its value at a probability is the marginal's.
    GrowthGiven,
}

impl Sampler {
    /// A sampler for a distribution; beta gets its bin bounds computed here.
    pub(crate) fn for_distribution(dist: Distribution, transform: Transform) -> Self {
        match dist {
            Distribution::Beta { alpha, beta } => {
                let mut s = Self::Beta {
                    alpha,
                    beta,
                    transform,
                    bounds: Vec::new(),
                };
                s.fill_bounds();
                s
            }
            _ => Self::Quantile { dist, transform },
        }
    }

    /// A Student-t sampler.
    pub(crate) fn student_t(location: f64, scale: f64, df: f64) -> Self {
        let mut s = Self::StudentT {
            location,
            scale,
            df,
            bounds: Vec::new(),
        };
        s.fill_bounds();
        s
    }

    fn fill_bounds(&mut self) {
        let b: Vec<f64> = (1..SENS_BINS)
            .map(|k| self.value_at(k as f64 / SENS_BINS as f64))
            .collect();
        if let Self::Beta { bounds, .. } | Self::StudentT { bounds, .. } = self {
            *bounds = b;
        }
    }

    /// Whether a draw may be 0 before a log10 (not finite after it) or 0/0, with a chance
    /// above 2^-54 a draw: beta draws are a ratio of gamma draws, and a gamma of shape `s`
    /// underflows to 0 with probability about `f64::MIN_POSITIVE^s`, which a shape below
    /// 0.05 makes likely within a run.
    pub(crate) fn may_draw_zero_or_nan(&self) -> bool {
        let Self::Beta {
            alpha,
            beta,
            transform,
            ..
        } = *self
        else {
            return false;
        };
        let underflow = |shape: f64| libm::pow(f64::MIN_POSITIVE, shape);
        let resolution = 0.5 / 9_007_199_254_740_992.0;
        (transform == Transform::Log10 && underflow(alpha) > resolution)
            || underflow(alpha) * underflow(beta) > resolution
    }

    /// The quantity at probability `p` (exact quantile function).
    pub(crate) fn value_at(&self, p: f64) -> f64 {
        match *self {
            Self::Quantile { dist, transform } => quantity(dist, transform, p),
            Self::Beta {
                alpha,
                beta,
                transform,
                ..
            } => transform.apply(beta_ppf(p, alpha, beta)),
            Self::StudentT {
                location,
                scale,
                df,
                ..
            } => location + scale * student_t_ppf(p, df),
            Self::Tabulated { ref table } => table.quantile(p).clamp(0.0, 1.0),
            Self::Posterior { ref table, part } => match part {
                Part::Available => table.available_quantile(p),
                Part::Growth | Part::GrowthGiven => table.growth_quantile(p),
            },
        }
    }

    /// The quantity at the standard normal score `z`, the value at probability `Phi(z)`; the
    /// normal and lognormal forms take `z` without going through the probability, so a score
    /// gives the same bits as the uniform it came from.
    pub(crate) fn value_at_score(&self, z: f64) -> f64 {
        match *self {
            Self::Quantile {
                dist: Distribution::LogNormal { mu, sigma },
                transform: Transform::Log10,
            } => (mu + sigma * z) * LOG10_E,
            Self::Quantile {
                dist: Distribution::LogNormal { mu, sigma },
                transform: Transform::Identity,
            } => libm::exp(mu + sigma * z),
            Self::Quantile {
                dist: Distribution::Normal { mean, sd },
                transform: Transform::Identity,
            } => mean + sd * z,
            // The uniform itself: the kernel reads the growth given the level from it.
            Self::Posterior {
                part: Part::GrowthGiven,
                ..
            } => norm_cdf(z).clamp(1e-300, 1.0 - f64::EPSILON / 2.0),
            // Within the open interval, as every uniform draw is.
            _ => self.value_at(norm_cdf(z).clamp(1e-300, 1.0 - f64::EPSILON / 2.0)),
        }
    }

    /// Fills `out` with draws and `bins` with their sensitivity bins.
    #[inline(always)]
    pub(crate) fn fill(&self, rng: &mut ChaCha8Rng, out: &mut [f64], bins: &mut [u8]) {
        match self {
            Self::Quantile { dist, transform } => {
                uniforms(rng, out);
                for (bin, &u) in bins.iter_mut().zip(out.iter()) {
                    // Through i32, which converts in vector registers (u is below 1).
                    *bin = (u * SENS_BINS as f64) as i32 as u8;
                }
                match (*dist, *transform) {
                    (Distribution::LogNormal { mu, sigma }, Transform::Log10) => {
                        normal_quantiles(out, |z| (mu + sigma * z) * LOG10_E);
                    }
                    (Distribution::LogNormal { mu, sigma }, Transform::Identity) => {
                        normal_quantiles(out, |z| mu + sigma * z);
                        crate::vmath::exp_in_place(out);
                    }
                    (Distribution::Normal { mean, sd }, Transform::Identity) => {
                        normal_quantiles(out, |z| mean + sd * z);
                    }
                    // The uniform quantile, `low + p (high - low)`, as `quantile` computes it,
                    // in loops that vectorise.
                    (Distribution::Uniform { low, high }, Transform::Unit) => {
                        for x in out.iter_mut() {
                            *x = (low + *x * (high - low)).clamp(0.0, 1.0);
                        }
                    }
                    (Distribution::Uniform { low, high }, Transform::Identity) => {
                        for x in out.iter_mut() {
                            *x = low + *x * (high - low);
                        }
                    }
                    (dist, transform) => {
                        for x in out.iter_mut() {
                            *x = quantity(dist, transform, *x);
                        }
                    }
                }
            }
            Self::Tabulated { table } => {
                uniforms(rng, out);
                for (bin, x) in bins.iter_mut().zip(out.iter_mut()) {
                    *bin = (*x * SENS_BINS as f64) as i32 as u8;
                    *x = table.quantile(*x).clamp(0.0, 1.0);
                }
            }
            Self::Posterior { table, part } => {
                uniforms(rng, out);
                for (bin, x) in bins.iter_mut().zip(out.iter_mut()) {
                    *bin = (*x * SENS_BINS as f64) as i32 as u8;
                    match part {
                        Part::Available => *x = table.available_quantile(*x),
                        Part::Growth => *x = table.growth_quantile(*x),
                        Part::GrowthGiven => {}
                    }
                }
            }
            Self::Beta {
                alpha,
                beta,
                transform,
                bounds,
            } => {
                for (x, bin) in out.iter_mut().zip(bins.iter_mut()) {
                    let g1 = gamma(rng, *alpha);
                    let g2 = gamma(rng, *beta);
                    *x = transform.apply(g1 / (g1 + g2));
                    *bin = bin_of(bounds, *x);
                }
            }
            Self::StudentT {
                location,
                scale,
                df,
                bounds,
            } => {
                for (x, bin) in out.iter_mut().zip(bins.iter_mut()) {
                    *x = location + scale * student_t_polar(rng, *df);
                    *bin = bin_of(bounds, *x);
                }
            }
        }
    }
}

fn bin_of(bounds: &[f64], x: f64) -> u8 {
    bounds.partition_point(|b| *b <= x) as u8
}

/// `transform(quantile(p))`, with the logarithm folded into the closed form where there is
/// one (the same number without an `exp` and a `log10` per draw).
#[inline]
fn quantity(dist: Distribution, transform: Transform, p: f64) -> f64 {
    match (dist, transform) {
        (Distribution::LogNormal { mu, sigma }, Transform::Log10) => {
            (mu + sigma * norm_ppf(p)) * LOG10_E
        }
        (Distribution::LogUniform { low, high }, Transform::Log10) => {
            let (a, b) = (libm::log10(low), libm::log10(high));
            a + p * (b - a)
        }
        (Distribution::Normal { mean, sd }, Transform::Identity) => mean + sd * norm_ppf(p),
        (dist, transform) => transform.apply(overhang_model::estimate::quantile(&dist, p)),
    }
}

/// Replaces each uniform in `values` by `then(norm_ppf(u))`, bit for bit as
/// [`norm_ppf`] computes it (through the same central and tail functions), but over blocks: the
/// central function for every draw, then the tails (15% of draws) gathered and evaluated
/// together, so the compiler vectorises both; a block with 0, 1 or NaN goes through
/// [`norm_ppf`] itself.
#[expect(
    clippy::neg_cmp_op_on_partial_ord,
    reason = "a NaN fails `<=` and takes the tail branch, as in norm_ppf"
)]
#[inline(always)]
fn normal_quantiles(values: &mut [f64], then: impl Fn(f64) -> f64) {
    const BLOCK: usize = 64;
    let mut z = [0.0; BLOCK];
    let mut at = [0usize; BLOCK];
    let mut tail = [0.0; BLOCK];
    for block in values.chunks_mut(BLOCK) {
        let z = &mut z[..block.len()];
        for (z, &u) in z.iter_mut().zip(block.iter()) {
            *z = norm_ppf_central(u - 0.5);
        }
        // The tails (the complement of norm_ppf's central test, NaN included), gathered so
        // their logarithms and polynomials run over a dense block too.
        let mut m = 0;
        let mut plain = true;
        for (i, &u) in block.iter().enumerate() {
            at[m % BLOCK] = i;
            let q = u - 0.5;
            tail[m % BLOCK] = if q < 0.0 { u } else { 1.0 - u };
            plain &= u > 0.0 && u < 1.0;
            m += usize::from(!(q.abs() <= 0.425));
        }
        if !plain {
            for (z, &u) in z.iter_mut().zip(block.iter()) {
                if !((u - 0.5).abs() <= 0.425) {
                    *z = norm_ppf(u);
                }
            }
        } else if m > 0 {
            let tail = &mut tail[..m];
            crate::vmath::log_in_place(tail);
            for r in tail.iter_mut() {
                *r = norm_ppf_tail((-*r).sqrt());
            }
            for (&i, &v) in at[..m].iter().zip(tail.iter()) {
                z[i] = if block[i] - 0.5 < 0.0 { -v } else { v };
            }
        }
        for (x, &z) in block.iter_mut().zip(z.iter()) {
            *x = then(z);
        }
    }
}

/// A standard normal draw by inversion.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    norm_ppf(uniform(rng))
}

/// A Gamma(shape, 1) draw: Marsaglia and Tsang (2000), with the `U^(1/a)` boost below 1.
fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let g = gamma(rng, shape + 1.0);
        return g * libm::pow(uniform(rng), 1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / libm::sqrt(9.0 * d);
    loop {
        let x = normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = uniform(rng);
        if libm::log(u) < 0.5 * x * x + d - d * v + d * libm::log(v) {
            return d * v;
        }
    }
}

/// A Student-t draw by Bailey's polar method (Math. Comp. 62, 1994): exact, and free of the
/// numerical inversion of the t CDF.
fn student_t_polar(rng: &mut ChaCha8Rng, df: f64) -> f64 {
    loop {
        let u = 2.0 * uniform(rng) - 1.0;
        let v = 2.0 * uniform(rng) - 1.0;
        let w = u * u + v * v;
        if w > 0.0 && w < 1.0 {
            return u * libm::sqrt(df * (libm::pow(w, -2.0 / df) - 1.0) / w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use overhang_testkit::{CLOSED_FORM, Tolerance, assert_close};

    /// The fraction of 200,000 draws below a quantile against its probability: about four
    /// binomial standard errors (at most 0.0011 each).
    const QUANTILE_DRAWS: Tolerance = Tolerance::absolute("QUANTILE_DRAWS", 0.005);

    /// The fraction of 200,000 draws in the first sensitivity bin (2%): about six binomial
    /// standard errors of 0.0003.
    const FIRST_BIN_DRAWS: Tolerance = Tolerance::absolute("FIRST_BIN_DRAWS", 0.002);

    #[test]
    fn block_draws_equal_the_quantile_function_of_each_uniform() {
        let cases = [
            (
                Distribution::Uniform {
                    low: 0.3,
                    high: 0.9,
                },
                Transform::Unit,
            ),
            (
                Distribution::Uniform {
                    low: -0.5,
                    high: 1.5,
                },
                Transform::Unit,
            ),
            (
                Distribution::Uniform {
                    low: -0.1,
                    high: 0.4,
                },
                Transform::Identity,
            ),
            (
                Distribution::LogNormal {
                    mu: -2.0,
                    sigma: 0.7,
                },
                Transform::Identity,
            ),
            (
                Distribution::LogNormal {
                    mu: 1.0,
                    sigma: 0.7,
                },
                Transform::Log10,
            ),
            (
                Distribution::Normal {
                    mean: 0.1,
                    sd: 0.05,
                },
                Transform::Identity,
            ),
        ];
        for (dist, transform) in cases {
            let sampler = Sampler::for_distribution(dist, transform);
            let (xs, _) = draws(&sampler, 3000);
            let mut rng = stream(stream_key(7, "x"), 0);
            for &x in &xs {
                let want = quantity(dist, transform, uniform(&mut rng));
                assert_eq!(x.to_bits(), want.to_bits(), "{dist:?}: {x} {want}");
            }
        }
    }

    #[test]
    fn block_uniforms_equal_one_by_one_draws() {
        let mut a = stream(stream_key(9, "u"), 5);
        let mut b = stream(stream_key(9, "u"), 5);
        let mut block = vec![0.0; 1000];
        uniforms(&mut a, &mut block);
        for (i, &u) in block.iter().enumerate() {
            assert_eq!(u.to_bits(), uniform(&mut b).to_bits(), "draw {i}");
        }
    }

    #[test]
    fn a_block_with_a_value_outside_the_unit_interval_falls_back_to_norm_ppf() {
        let u = [0.01, 0.0, 1.0, 0.3, f64::NAN, 0.99];
        let mut z = u;
        normal_quantiles(&mut z, |z| z);
        for (&u, &z) in u.iter().zip(&z) {
            let r = norm_ppf(u);
            assert!(
                z.to_bits() == r.to_bits() || (z.is_nan() && r.is_nan()),
                "u={u}"
            );
        }
    }

    fn draws(sampler: &Sampler, n: usize) -> (Vec<f64>, Vec<u8>) {
        let mut out = vec![0.0; n];
        let mut bins = vec![0; n];
        let mut rng = stream(stream_key(7, "x"), 0);
        sampler.fill(&mut rng, &mut out, &mut bins);
        (out, bins)
    }

    fn fraction_below(xs: &[f64], q: f64) -> f64 {
        xs.iter().filter(|&&x| x <= q).count() as f64 / xs.len() as f64
    }

    #[test]
    fn streams_differ_by_input_and_chunk_and_repeat_exactly() {
        let k1 = stream_key(1, "a");
        assert_ne!(k1, stream_key(1, "b"));
        assert_ne!(k1, stream_key(2, "a"));
        let mut a = stream(k1, 3);
        let mut b = stream(k1, 3);
        let mut c = stream(k1, 4);
        let (x, y, z) = (a.next_u64(), b.next_u64(), c.next_u64());
        assert_eq!(x, y);
        assert_ne!(x, z);
    }

    #[test]
    fn beta_and_student_t_draws_follow_their_quantiles() {
        // With 200000 draws the fraction below a true quantile has SE below 0.0011.
        let beta = Sampler::for_distribution(
            Distribution::Beta {
                alpha: 0.7,
                beta: 2.5,
            },
            Transform::Unit,
        );
        let t = Sampler::student_t(0.1, 0.05, 3.0);
        for s in [&beta, &t] {
            let (xs, bins) = draws(s, 200_000);
            for p in [0.05, 0.3, 0.5, 0.9] {
                let f = fraction_below(&xs, s.value_at(p));
                assert_close!(f, p, QUANTILE_DRAWS, "p={p} f={f}");
            }
            let in_first =
                bins.iter().map(|&b| usize::from(b == 0)).sum::<usize>() as f64 / 200_000.0;
            assert_close!(in_first, 0.02, FIRST_BIN_DRAWS, "{in_first}");
            assert!(bins.iter().all(|&b| usize::from(b) < SENS_BINS));
        }
    }

    #[test]
    fn batched_normal_quantiles_equal_norm_ppf_bit_for_bit() {
        let mut rng = stream(stream_key(3, "z"), 0);
        let mut u: Vec<f64> = (0..1000).map(|_| uniform(&mut rng)).collect();
        u.extend([
            0.075,
            0.925,
            0.5,
            1e-300,
            1.0 - 1e-16,
            1e-12,
            1e-11,
            1.0 - 1e-11,
        ]);
        // Deep tails, both branches of the tail polynomial (r = 5 near p = 1.4e-11).
        u.extend((1..2000).map(|i| libm::pow(10.0, -f64::from(i) / 100.0)));
        u.extend((1..2000).map(|i| 1.0 - libm::pow(10.0, -f64::from(i) / 130.0)));
        let mut z = u.clone();
        normal_quantiles(&mut z, |z| z);
        for (&u, &z) in u.iter().zip(&z) {
            assert_eq!(z.to_bits(), norm_ppf(u).to_bits(), "u={u}");
        }
    }

    #[test]
    fn lognormal_shortcut_equals_log10_of_the_quantile() {
        let d = Distribution::LogNormal {
            mu: 1.3,
            sigma: 0.8,
        };
        for p in [0.01, 0.2, 0.5, 0.97] {
            let direct = libm::log10(overhang_model::estimate::quantile(&d, p));
            assert_close!(quantity(d, Transform::Log10, p), direct, CLOSED_FORM);
        }
    }
}
