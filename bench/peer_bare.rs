//! The bare Monte Carlo of the peer-benchmark model (bench/peer): what `overhang build` of that
//! folder computes at the least, written by hand, as the baseline of bench/ratio.sh.
//!
//! Five categories with lognormal available CEGs (90% intervals 5 to 30, 2 to 10, 3 to 20,
//! 2 to 15, 2 to 10) and lognormal growth rates (0.05 to 0.5 OOM per year each), nothing
//! elicited, no cap; largest-first aggregation with kappa uniform(0.3, 0.9); 200,000 samples;
//! 60 months in steps of 3. Each input draws from its own `ChaCha8` stream per chunk of 4,096
//! samples (as the engine does), chunks run on rayon's pool, and the percentiles p5, p25, p50,
//! p75 and p95 of the multiplier at each of the 21 steps are exact order statistics. Nothing
//! else: no thresholds, no sensitivity, no fits, no charts, no PDF.
//!
//! Usage: `peer_bare OUT.csv` writes `months,p5,p25,p50,p75,p95` and prints the wall time.

use std::fmt::Write as _;
use std::time::Instant;

use overhang_model::special::norm_ppf;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use rayon::prelude::*;

const SAMPLES: usize = 200_000;
const CHUNK: usize = 4096;
const MONTHS: usize = 60;
const STEP_MONTHS: usize = 3;
const STEPS: usize = MONTHS / STEP_MONTHS + 1;
const SEED: u64 = 1;
/// The standard normal quantile at 0.95: a 90% interval spans `2 * Z95` standard deviations.
const Z95: f64 = 1.644_853_626_951_472_2;
/// The 90% intervals of the categories' available CEGs.
const AVAILABLE: [(f64, f64); 5] = [
    (5.0, 30.0),
    (2.0, 10.0),
    (3.0, 20.0),
    (2.0, 15.0),
    (2.0, 10.0),
];
/// The 90% interval of every category's growth, in OOM per year.
const GROWTH: (f64, f64) = (0.05, 0.5);
/// The bounds of kappa.
const KAPPA: (f64, f64) = (0.3, 0.9);
const LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Mean and standard deviation of log10 x for a lognormal with p5 and p95 at the bounds.
fn log10_normal((low, high): (f64, f64)) -> (f64, f64) {
    let (a, b) = (libm::log10(low), libm::log10(high));
    (f64::midpoint(a, b), (b - a) / (2.0 * Z95))
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The random stream of input `input` in chunk `chunk`.
fn stream(input: u64, chunk: u64) -> ChaCha8Rng {
    let mut state = SEED ^ input.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut key = [0u8; 32];
    for part in key.chunks_exact_mut(8) {
        part.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
    }
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(chunk);
    rng
}

/// Uniforms in (0, 1) with 53 random bits.
fn uniforms(rng: &mut ChaCha8Rng, out: &mut [f64]) {
    for x in out {
        *x = ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0);
    }
}

/// Fills `block` (step-major: `block[j * n + i]`, `n` samples) with the uplift in OOM of the
/// chunk's samples at every step.
fn chunk(index: usize, block: &mut [f64]) {
    let n = block.len() / STEPS;
    let mut u = vec![0.0; n];
    let mut available = vec![[0.0; 5]; n];
    let mut growth = vec![[0.0; 5]; n];
    let (g_mu, g_sd) = log10_normal(GROWTH);
    for c in 0..5 {
        let (mu, sd) = log10_normal(AVAILABLE[c]);
        uniforms(&mut stream(c as u64, index as u64), &mut u);
        for (a, &p) in available.iter_mut().zip(&u) {
            a[c] = mu + sd * norm_ppf(p);
        }
        uniforms(&mut stream(5 + c as u64, index as u64), &mut u);
        for (g, &p) in growth.iter_mut().zip(&u) {
            g[c] = libm::exp10(g_mu + g_sd * norm_ppf(p));
        }
    }
    uniforms(&mut stream(10, index as u64), &mut u);
    for i in 0..n {
        let kappa = KAPPA.0 + (KAPPA.1 - KAPPA.0) * u[i];
        for j in 0..STEPS {
            let years = (j * STEP_MONTHS) as f64 / 12.0;
            let (mut sum, mut max) = (0.0_f64, 0.0_f64);
            for c in 0..5 {
                let level = (available[i][c] + growth[i][c] * years).max(0.0);
                sum += level;
                max = max.max(level);
            }
            // Largest-first: the largest in full, kappa of each other category.
            block[j * n + i] = (max + kappa * (sum - max)).max(0.0);
        }
    }
}

/// The order statistic at `p` of `v`, interpolated between the two around `(n - 1) p`.
fn quantile(v: &mut [f64], p: f64) -> f64 {
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let (_, &mut a, rest) = v.select_nth_unstable_by(lo, f64::total_cmp);
    let b = rest.iter().copied().fold(f64::INFINITY, f64::min);
    if lo + 1 < v.len() {
        a + (h - lo as f64) * (b - a)
    } else {
        a
    }
}

#[expect(
    clippy::print_stdout,
    reason = "a benchmark program reports to the terminal"
)]
fn main() {
    let out = std::env::args().nth(1).expect("usage: peer_bare OUT.csv");
    let start = Instant::now();
    let mut held = vec![0.0; SAMPLES * STEPS];
    held.par_chunks_mut(CHUNK * STEPS)
        .enumerate()
        .for_each(|(k, block)| chunk(k, block));
    let rows: Vec<[f64; 5]> = (0..STEPS)
        .into_par_iter()
        .map(|j| {
            let mut column = Vec::with_capacity(SAMPLES);
            for block in held.chunks(CHUNK * STEPS) {
                let n = block.len() / STEPS;
                column.extend_from_slice(&block[j * n..(j + 1) * n]);
            }
            LEVELS.map(|p| libm::exp10(quantile(&mut column, p)))
        })
        .collect();
    let mut csv = String::from("months,p5,p25,p50,p75,p95\n");
    for (j, row) in rows.iter().enumerate() {
        write!(csv, "{}", j * STEP_MONTHS).unwrap();
        for x in row {
            write!(csv, ",{x:.6}").unwrap();
        }
        csv.push('\n');
    }
    std::fs::write(&out, csv).expect("writes the percentiles");
    println!(
        "samples={SAMPLES} steps={STEPS} ms={:.1} horizon_p50={:.3}",
        start.elapsed().as_secs_f64() * 1e3,
        rows[STEPS - 1][2]
    );
}
