//! The memory plan: what a run will hold at its peak, and the refusal of a run that would hold
//! more than [`MEMORY_LIMIT`] before anything is allocated.

use overhang_model::assessment::MAX_SAMPLES;

use crate::sensitivity::TORNADO_SAMPLES;
use crate::{CHUNK_SIZE, SimError, engine, quantiles};

/// The most memory a simulation may plan to use, in bytes.
pub const MEMORY_LIMIT: u64 = 4 << 30;

/// Refuses a run whose sample count is out of range or whose planned memory, with a typical
/// number of thresholds and categories, exceeds [`MEMORY_LIMIT`]. [`crate::simulate`] checks the
/// exact figures itself before allocating anything.
pub fn check_memory(samples: u64, steps: usize) -> Result<(), SimError> {
    check(samples, steps, steps + 16, 64, rayon::current_num_threads())
}

pub(crate) fn check(
    samples: u64,
    steps: usize,
    columns: usize,
    slots: usize,
    threads: usize,
) -> Result<(), SimError> {
    if samples == 0 {
        return Err(SimError::NoSamples);
    }
    if samples > MAX_SAMPLES {
        return Err(SimError::TooManySamples {
            samples,
            max: MAX_SAMPLES,
        });
    }
    let bytes = planned_bytes(samples, columns, slots, threads);
    if bytes > MEMORY_LIMIT {
        return Err(SimError::TooMuchMemory {
            samples,
            steps,
            bytes,
            limit: MEMORY_LIMIT,
        });
    }
    Ok(())
}

/// The memory a run plans to hold at its peak, in bytes.
fn planned_bytes(samples: u64, columns: usize, slots: usize, threads: usize) -> u64 {
    let cols = columns as u64;
    let n_chunks = samples.div_ceil(CHUNK_SIZE);
    let pilot = engine::pilot_chunks(samples, columns);
    let pilot_store = pilot * CHUNK_SIZE * cols * 8;
    // U at (at most) two histogram steps, for every sample.
    let held = n_chunks * CHUNK_SIZE * 2 * 8;
    let workers = (threads as u64 * 4).clamp(1, n_chunks);
    let hist = cols * quantiles::NBINS as u64 * 4;
    let per_worker = hist + (slots as u64 + cols) * CHUNK_SIZE * 10;
    let lookup = cols * quantiles::NBINS as u64 * 4;
    // Gathered in the brackets (up to their budget), or collected in a second pass; and a copy
    // while merging.
    let collect = engine::GATHER_BUDGET.max(quantiles::COLLECT_BUDGET) * 8 * 2;
    let tornado = TORNADO_SAMPLES * (slots as u64 + 8) * 8 * (threads as u64 + 1);
    pilot_store + held + workers * per_worker + lookup + collect + tornado
}
