//! `libm::log` and `libm::exp` over slices, bit for bit as `libm` computes them, written
//! without branches on their main path so the compiler vectorises them.
//!
//! Both follow `libm`'s (FreeBSD's) algorithms operation by operation; the special cases that
//! `libm` handles in branches (zero, subnormal, negative, infinite or NaN arguments for `log`;
//! tiny, huge or NaN arguments for `exp`) are recomputed by `libm` itself afterwards.
#![expect(
    clippy::excessive_precision,
    reason = "constants are copied digit for digit from libm (FreeBSD's e_log.c and e_exp.c)"
)]

const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
const LG1: f64 = 6.666_666_666_666_735_130e-1;
const LG2: f64 = 3.999_999_999_940_941_908e-1;
const LG3: f64 = 2.857_142_874_366_239_149e-1;
const LG4: f64 = 2.222_219_843_214_978_396e-1;
const LG5: f64 = 1.818_357_216_161_805_012e-1;
const LG6: f64 = 1.531_383_769_920_937_332e-1;
const LG7: f64 = 1.479_819_860_511_658_591e-1;

// libm's INVLN2, 0x3ff71547_652b82fe.
const INVLN2: f64 = core::f64::consts::LOG2_E;
const _: () = assert!(INVLN2.to_bits() == 0x3ff7_1547_652b_82fe);
const P1: f64 = 1.666_666_666_666_660_190_37e-1;
const P2: f64 = -2.777_777_777_701_559_338_42e-3;
const P3: f64 = 6.613_756_321_437_934_361_17e-5;
const P4: f64 = -1.653_390_220_546_525_153_90e-6;
const P5: f64 = 4.138_136_797_057_238_460_39e-8;

/// `libm::log` of a positive normal finite `x` other than 1 (its main path).
#[inline(always)]
fn log_main(x: f64) -> f64 {
    let ui = x.to_bits();
    let hx = ((ui >> 32) as u32).wrapping_add(0x3ff0_0000 - 0x3fe6_a09e);
    let k = ((hx >> 20) as i32) - 0x3ff;
    let hx = (hx & 0x000f_ffff) + 0x3fe6_a09e;
    let x = f64::from_bits((u64::from(hx) << 32) | (ui & 0xffff_ffff));
    let f = x - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let dk = f64::from(k);
    s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI
}

/// Replaces each `x` by `libm::log(x)`.
#[inline(always)]
pub(crate) fn log_in_place(xs: &mut [f64]) {
    const BLOCK: usize = 64;
    for block in xs.chunks_mut(BLOCK) {
        let mut slow = false;
        for &x in block.iter() {
            let hx = (x.to_bits() >> 32) as u32;
            slow |= !(0x0010_0000..0x7ff0_0000).contains(&hx) || x.to_bits() == 1.0f64.to_bits();
        }
        if slow {
            for x in block.iter_mut() {
                *x = libm::log(*x);
            }
        } else {
            for x in block.iter_mut() {
                *x = log_main(*x);
            }
        }
    }
}

/// `libm::exp` of an `x` with `2^-28 < |x| < 708.39` (its main path).
#[inline(always)]
fn exp_main(x: f64) -> f64 {
    let hx = (x.to_bits() >> 32) as u32 & 0x7fff_ffff;
    let negative = x.is_sign_negative();
    let half = if negative { -0.5 } else { 0.5 };
    let k = if hx >= 0x3ff0_a2b2 {
        (INVLN2 * x + half) as i32
    } else if hx > 0x3fd6_2e42 {
        if negative { -1 } else { 1 }
    } else {
        0
    };
    let dk = f64::from(k);
    // With k = 0 these are x - 0 and 0: libm's own hi = x, lo = 0.
    let hi = x - dk * LN2_HI;
    let lo = dk * LN2_LO;
    let x = hi - lo;
    let xx = x * x;
    let c = x - xx * (P1 + xx * (P2 + xx * (P3 + xx * (P4 + xx * P5))));
    let y = 1.0 + (x * c / (2.0 - c) - lo + hi);
    // scalbn(y, k) for -1022 <= k <= 1023 is this one product (and k = 0 leaves y).
    y * f64::from_bits(((0x3ff + k) as u64) << 52)
}

/// Replaces each `x` by `libm::exp(x)`.
#[inline(always)]
pub(crate) fn exp_in_place(xs: &mut [f64]) {
    const BLOCK: usize = 64;
    for block in xs.chunks_mut(BLOCK) {
        let mut slow = false;
        for &x in block.iter() {
            let hx = (x.to_bits() >> 32) as u32 & 0x7fff_ffff;
            // NaN has hx >= 0x7ff00000, so it takes the slow path too.
            slow |= !(0x3e30_0001..0x4086_232b).contains(&hx);
        }
        if slow {
            for x in block.iter_mut() {
                *x = libm::exp(*x);
            }
        } else {
            for x in block.iter_mut() {
                *x = exp_main(*x);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(xs: &[f64], f: fn(&mut [f64]), reference: fn(f64) -> f64) {
        let mut ys = xs.to_vec();
        f(&mut ys);
        for (&x, &y) in xs.iter().zip(&ys) {
            let r = reference(x);
            assert!(
                y.to_bits() == r.to_bits() || (y.is_nan() && r.is_nan()),
                "x={x:e}: {y:e} != {r:e}"
            );
        }
    }

    fn spread(lo: f64, hi: f64, n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                lo + (hi - lo) * ((s >> 11) as f64 / (1u64 << 53) as f64)
            })
            .collect()
    }

    #[test]
    fn log_equals_libm_bit_for_bit() {
        let mut xs = spread(0.0, 1.0, 20_000, 1);
        xs.extend(spread(0.0, 1e-300, 1000, 2));
        xs.extend(spread(0.5, 2.0, 5000, 3));
        xs.extend(spread(1.0, 1e300, 1000, 4));
        xs.extend([
            1.0,
            0.0,
            -0.0,
            -1.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NAN,
        ]);
        check(&xs, log_in_place, libm::log);
    }

    #[test]
    fn exp_equals_libm_bit_for_bit() {
        let mut xs = spread(-10.0, 10.0, 20_000, 5);
        xs.extend(spread(-0.6, 0.6, 5000, 6));
        xs.extend(spread(-1e-7, 1e-7, 1000, 7));
        xs.extend(spread(-750.0, 750.0, 5000, 8));
        xs.extend(spread(700.0, 710.0, 1000, 9));
        xs.extend([
            0.0,
            -0.0,
            0.5 * core::f64::consts::LN_2,
            1.5 * core::f64::consts::LN_2,
            -1.5 * core::f64::consts::LN_2,
            708.39,
            -708.39,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ]);
        check(&xs, exp_in_place, libm::exp);
    }
}
