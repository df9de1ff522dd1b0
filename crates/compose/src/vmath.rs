//! `libm::log`, `libm::exp` and `libm::pow(10, y)` over slices, bit for bit as `libm`
//! computes them, written without branches on their main path so the compiler vectorises them.
//!
//! All three follow `libm`'s (FreeBSD's) algorithms operation by operation; the special cases
//! that `libm` handles in branches (zero, subnormal, negative, infinite or NaN arguments for
//! `log`; tiny, huge or NaN arguments for `exp`; exponents that are zero, one, two, a half,
//! large, infinite or NaN for `pow`) are recomputed by `libm` itself afterwards.
#![expect(
    clippy::excessive_precision,
    reason = "constants are copied digit for digit from libm (FreeBSD's e_log.c, e_exp.c and \
              e_pow.c)"
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

// e_pow.c: the logarithm's series, 2/(3 ln 2) and its split, log2(1.5) split, ln 2 split.
const PL1: f64 = 5.999_999_999_999_946_487_25e-1;
const PL2: f64 = 4.285_714_285_785_501_842_52e-1;
const PL3: f64 = 3.333_333_298_183_774_329_18e-1;
const PL4: f64 = 2.727_281_238_085_340_064_89e-1;
const PL5: f64 = 2.306_607_457_755_617_540_67e-1;
const PL6: f64 = 2.069_750_178_003_384_177_84e-1;
const CP: f64 = 9.617_966_939_259_755_543_29e-1;
const CP_H: f64 = 9.617_967_009_544_372_558_59e-1;
const CP_L: f64 = -7.028_461_650_952_758_265_16e-9;
const DP_H1: f64 = 5.849_624_872_207_641_601_56e-1;
const DP_L1: f64 = 1.350_039_202_129_748_971_28e-8;
const POW_LN2: f64 = core::f64::consts::LN_2;
const _: () = assert!(POW_LN2.to_bits() == 0x3fe6_2e42_fefa_39ef);
const POW_LN2_H: f64 = 6.931_471_824_645_996_093_75e-1;
const POW_LN2_L: f64 = -1.904_654_299_957_768_045_25e-9;

/// `f` with its low 32 bits cleared.
#[inline(always)]
const fn high_only(f: f64) -> f64 {
    f64::from_bits(f.to_bits() & 0xffff_ffff_0000_0000)
}

/// `log2(10)` as `libm::pow` splits it, `t1 + t2` with `t1` holding 21 significant bits:
/// `e_pow.c`'s logarithm of a positive normal `x` whose mantissa lies between `sqrt(3/2)` and
/// `sqrt(3)` (10 = 1.25 * 2^3), evaluated once, at compile time, with the same roundings.
const LOG2_10: (f64, f64) = {
    let n = 3.0;
    let ax = 1.25;
    let bp = 1.5;
    let u = ax - bp;
    let v = 1.0 / (ax + bp);
    let ss = u * v;
    let s_h = high_only(ss);
    // t_h = ax + bp, high part: e_pow.c builds it from the high word of ax (0x3ff40000).
    let t_h = f64::from_bits(
        ((((0x3ff4_0000_u32 >> 1) | 0x2000_0000) + 0x0008_0000 + (1 << 18)) as u64) << 32,
    );
    let t_l = ax - (t_h - bp);
    let s_l = v * ((u - s_h * t_h) - s_h * t_l);
    let s2 = ss * ss;
    let mut r = s2 * s2 * (PL1 + s2 * (PL2 + s2 * (PL3 + s2 * (PL4 + s2 * (PL5 + s2 * PL6)))));
    r += s_l * (s_h + ss);
    let s2 = s_h * s_h;
    let t_h = high_only(3.0 + s2 + r);
    let t_l = r - ((t_h - 3.0) - s2);
    let u = s_h * t_h;
    let v = s_l * t_h + t_l * ss;
    let p_h = high_only(u + v);
    let p_l = v - (p_h - u);
    let z_h = CP_H * p_h;
    let z_l = CP_L * p_h + p_l * CP + DP_L1;
    let t1 = high_only(((z_h + z_l) + DP_H1) + n);
    let t2 = z_l - (((t1 - n) - DP_H1) - z_h);
    (t1, t2)
};

/// Whether [`pow10_block`] leaves `y` to `libm::pow` itself: zero, one, minus one, two and
/// a half have exact answers of their own there; beyond 300 in size (infinite and NaN
/// included) the result may overflow, underflow or be subnormal.
#[inline(always)]
fn pow10_special(y: f64) -> bool {
    // Signs aside: minus two and minus a half take libm's main path, which gives the same bits.
    const EXACT: [u64; 4] = [
        0,
        0x3ff0_0000_0000_0000,
        0x4000_0000_0000_0000,
        0x3fe0_0000_0000_0000,
    ];
    y.is_nan() || y.abs() >= 300.0 || EXACT.contains(&y.abs().to_bits())
}

/// `libm::pow(10, y)` for `y` not [`pow10_special`] (its main path, after the logarithm of 10).
#[inline(always)]
fn pow10_main(y: f64) -> f64 {
    let (t1, t2) = LOG2_10;
    let y1 = high_only(y);
    let p_l = (y - y1) * t1 + y * t2;
    let p_h = y1 * t1;
    let z = p_l + p_h;
    let j = (z.to_bits() >> 32) as i32;
    // n = nearest integer to z when |z| > 1/2 (else 0), and p_h less that integer.
    let i = j & 0x7fff_ffff;
    let big = i > 0x3fe0_0000;
    let k = (i >> 20) - 0x3ff;
    let rounded = j.wrapping_add(0x0010_0000_i32.wrapping_shr(k.wrapping_add(1) as u32));
    let k = ((rounded & 0x7fff_ffff) >> 20) - 0x3ff;
    let whole = f64::from_bits(
        u64::from((rounded & !(0x000f_ffff_i32.wrapping_shr(k as u32))) as u32) << 32,
    );
    let magnitude = ((rounded & 0x000f_ffff) | 0x0010_0000).wrapping_shr((20 - k) as u32);
    let n = if !big {
        0
    } else if j < 0 {
        -magnitude
    } else {
        magnitude
    };
    let p_h = p_h - if big { whole } else { 0.0 };
    // 2^(p_h + p_l).
    let t = high_only(p_l + p_h);
    let u = t * POW_LN2_H;
    let v = (p_l - (t - p_h)) * POW_LN2 + t * POW_LN2_L;
    let z = u + v;
    let w = v - (z - u);
    let t = z * z;
    let t1 = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    let r = (z * t1) / (t1 - 2.0) - (w + z * w);
    let z = 1.0 - (r - z);
    // z * 2^n, the result being normal: n added to the exponent field.
    let high = ((z.to_bits() >> 32) as i32).wrapping_add(n.wrapping_shl(20));
    f64::from_bits((u64::from(high as u32) << 32) | (z.to_bits() & 0xffff_ffff))
}

/// Writes `libm::pow(10.0, y)` of each `y` of `ys` into `out`, of the same length.
#[inline(always)]
fn pow10_block(ys: &[f64], out: &mut [f64]) {
    let mut slow = false;
    for (o, &y) in out.iter_mut().zip(ys) {
        slow |= pow10_special(y);
        *o = pow10_main(y);
    }
    if slow {
        for (o, &y) in out.iter_mut().zip(ys) {
            if pow10_special(y) {
                *o = libm::pow(10.0, y);
            }
        }
    }
}

/// The sum of `libm::pow(10.0, y)` over `ys`, added in order from the first: the same bits as
/// `ys.iter().map(|&y| libm::pow(10.0, y)).sum::<f64>()`.
#[inline(always)]
pub(crate) fn pow10_sum(ys: &[f64]) -> f64 {
    const BLOCK: usize = 64;
    let mut powers = [0.0; BLOCK];
    // Where `Iterator::sum` of f64 starts.
    let mut sum = -0.0;
    for chunk in ys.chunks(BLOCK) {
        let powers = &mut powers[..chunk.len()];
        pow10_block(chunk, powers);
        for &p in powers.iter() {
            sum += p;
        }
    }
    sum
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

    #[test]
    fn pow10_equals_libm_bit_for_bit() {
        // The uplift's range in OOM, then everything down to the special cases.
        let mut xs = spread(-3.0, 12.0, 200_000, 10);
        xs.extend(spread(-1.0, 1.0, 50_000, 11));
        xs.extend(spread(-1e-9, 1e-9, 2000, 12));
        xs.extend(spread(-320.0, 320.0, 20_000, 13));
        xs.extend(spread(299.0, 309.0, 2000, 14));
        xs.extend(spread(-330.0, -299.0, 2000, 15));
        // Around the places where |z| = |y| log2(10) crosses a half and each whole number.
        for m in -40..=40 {
            let centre = (f64::from(m) + 0.5) / core::f64::consts::LOG2_10;
            xs.extend(spread(centre - 1e-12, centre + 1e-12, 50, (100 + m) as u64));
            let whole = f64::from(m) / core::f64::consts::LOG2_10;
            xs.extend(spread(whole - 1e-12, whole + 1e-12, 50, (200 + m) as u64));
        }
        xs.extend((-3000..=3000).map(|i| f64::from(i) / 10.0));
        xs.extend([
            0.0,
            -0.0,
            1.0,
            -1.0,
            2.0,
            -2.0,
            0.5,
            -0.5,
            f64::MIN_POSITIVE,
            -5e-324,
            5e-324,
            1e-300,
            307.0,
            308.25,
            309.0,
            -323.0,
            -324.0,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ]);
        check(
            &xs,
            |ys| {
                let given = ys.to_vec();
                pow10_block(&given, ys);
            },
            |y| libm::pow(10.0, y),
        );
    }

    #[test]
    fn pow10_sum_equals_the_sum_of_libm_bit_for_bit() {
        let ys = spread(-2.0, 9.0, 5000, 20);
        for len in [0, 1, 63, 64, 65, 1000, 4096, 5000] {
            let ys = &ys[..len];
            let reference: f64 = ys.iter().map(|&y| libm::pow(10.0, y)).sum();
            let sum = pow10_sum(ys);
            assert_eq!(
                sum.to_bits(),
                reference.to_bits(),
                "{len} values: {sum:e} != {reference:e}"
            );
        }
        let zeros = [0.0; 100];
        assert_eq!(pow10_sum(&zeros).to_bits(), 100.0_f64.to_bits());
    }
}
