//! The instruction set of the hot loops, chosen at run time.
//!
//! The kernels (drawing, evaluating and accumulating a chunk; the tornado's reruns) are plain
//! element-wise loops that the compiler vectorises. Built for the baseline x86-64 target they
//! get 2-wide SSE2 vectors; [`wide`] runs them from a copy compiled for x86-64-v3 (AVX2,
//! 4-wide) when the processor has it, through `pulp`, which keeps the `unsafe` of calling
//! target-feature code out of this crate. Other processors run the baseline copy.
//!
//! The two copies compute the same bits. Rust never reassociates floating-point operations nor
//! contracts a multiplication and an addition into a fused multiply-add (x86-64-v3 has FMA, but
//! only an explicit `mul_add` would use it, and none is written here), so every addition,
//! multiplication, division, square root and comparison rounds exactly as in the baseline
//! copy; only the number of lanes changes. Tests run whole simulations both ways and compare
//! every number.
//!
//! For the wide copy to cover a kernel, every function on its path must be inlined into the
//! `pulp::WithSimd` job handed to [`wide`]: they are `#[inline(always)]`, and the jobs are
//! structs rather than closures, which the compiler would keep as separate (baseline)
//! functions once they grow large.

#[cfg(test)]
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by tests to run the baseline copy on a processor that has the wide one.
#[cfg(test)]
static BASELINE_ONLY: AtomicBool = AtomicBool::new(false);

/// Runs `op`, compiled for x86-64-v3 when the processor supports it (`pulp` checks once and
/// remembers).
#[inline(always)]
pub(crate) fn wide<Op: pulp::WithSimd>(op: Op) -> Op::Output {
    #[cfg(test)]
    if BASELINE_ONLY.load(Ordering::Relaxed) {
        return pulp::Arch::Scalar.dispatch(op);
    }
    pulp::Arch::new().dispatch(op)
}

/// Whether [`wide`] has a wide copy to run on this processor.
#[cfg(test)]
pub(crate) fn wide_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        pulp::x86::V3::try_new().is_some()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Runs `f` with the baseline copy of the kernels only, for the test that compares the copies.
/// The switch is process-wide: another test running meanwhile also gets the baseline copy,
/// which gives it the same numbers.
#[cfg(test)]
pub(crate) fn baseline_only<R>(f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            BASELINE_ONLY.store(false, Ordering::Relaxed);
        }
    }
    BASELINE_ONLY.store(true, Ordering::Relaxed);
    let _reset = Reset;
    f()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use overhang_model::FittedGrowth;

    use super::{baseline_only, wide_available};
    use crate::{Options, simulate};

    /// An assessment with every estimate form and the given aggregation.
    fn assessment(composability: &str, samples: u64) -> overhang_model::Assessment {
        let toml = format!(
            "[report]\ntitle = \"T\"\nversion = \"0.1.0\"\ndate = \"2026-01-01\"\n\
             authors = [\"A\"]\nrelease_date = \"2026-01-01\"\n\
             [simulation]\nsamples = {samples}\nseed = 11\n\
             [horizon]\nmonths = 48\nstep_months = 3\n\
             [composability]\n{composability}\n\
             [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\nelicited = \"1 to 3\"\n\
             growth = \"0.02 to 0.25\"\ncap = \"30 to 300\"\nrationale = \"r\"\n\
             [categories.b]\nlabel = \"B\"\navailable = \"loguniform(1.5, 40)\"\n\
             elicited = \"triangular(1, 1.2, 2)\"\ngrowth = \"normal(0.1, 0.05)\"\n\
             cap = 100\nrationale = \"r\"\n\
             [categories.c]\nlabel = \"C\"\navailable = \"lognormal(1.5, 0.8)\"\n\
             growth = \"uniform(-0.05, 0.3)\"\nrationale = \"r\"\n\
             [categories.d]\nlabel = \"D\"\navailable = 4\ngrowth = \"fit\"\nrationale = \"r\"\n\
             [[thresholds]]\nlabel = \"2x\"\nmultiplier = 2\npolicy = \"p\"\n\
             [[thresholds]]\nlabel = \"6x\"\nmultiplier = 6\npolicy = \"p\"\n\
             [scenarios.closed]\nlabel = \"Closed\"\ndescription = \"d\"\n\
             categories.c.available = \"1 to 5\"\n"
        );
        crate::test_assessment(&toml, "d")
    }

    fn run(a: &overhang_model::Assessment) -> String {
        let fits = BTreeMap::from([(
            "d".to_owned(),
            FittedGrowth::StudentT {
                location: 0.2,
                scale: 0.05,
                df: 4.0,
                origin: "test".into(),
            },
        )]);
        let r = simulate(a, &fits, &Options::default(), None).expect("the simulation runs");
        serde_json::to_string(&r).expect("results serialise")
    }

    #[test]
    fn the_wide_and_the_baseline_copies_give_the_same_bytes() {
        if !wide_available() {
            // Nothing to compare on this processor: both calls would run the baseline copy.
            return;
        }
        // Enough samples for the pilot, the brackets and the tornado's full 10,000.
        for composability in [
            "method = \"largest-first\"\nkappa = \"beta(2, 5)\"",
            "method = \"multiplicative\"",
            "method = \"max\"",
            "method = \"pairwise\"\npair_default = \"uniform(0.2, 0.9)\"",
        ] {
            let a = assessment(composability, 20 * crate::CHUNK_SIZE + 77);
            let wide = run(&a);
            let baseline = baseline_only(|| run(&a));
            assert!(wide == baseline, "{composability}: the copies differ");
        }
    }
}
