//! Composability from measured combinations: the kappa each combination row implies, and the
//! posterior of kappa given all of them.
//!
//! A combination row measures several enhancements together (joint CEG `J`) on the model and
//! benchmark its components were measured on alone (CEGs `c_i`). Largest-first predicts
//! `log10 J = rule(l; kappa) = l_(1) + kappa (sum_i l_i - l_(1))`, with levels
//! `l_i = max(log10 c_i, 0)` as the model floors them. The likelihood of a row is
//! `log10 J ~ Normal(rule(l; kappa), combination_sd)`; the prior is the assessment's kappa.
//!
//! The posterior is computed on a fine deterministic grid in the prior's probability space:
//! with `u` uniform on (0, 1) and `kappa = Q(u)` the prior's quantile function, the posterior
//! of `u` is proportional to the likelihood at `Q(u)`. [`GRID`] cells of equal prior
//! probability, the likelihood at each midpoint, give the posterior mass of each cell; the
//! posterior's quantile function is linear within a cell between the prior quantiles at its
//! edges. This needs no prior density, so it works for every family, and the same inputs give
//! the same table on every platform (`libm`). An uncertain `combination_sd` is integrated out
//! at [`SD_NODES`] equally probable quantiles.
//!
//! **Pairwise.** For two categories with levels `l_a >= l_b >= 0`, the pairwise rule (the
//! Choquet integral with `mu({a}) = 1`, `mu({a, b}) = 1 + c_ab`) is
//! `(l_a - l_b) + l_b (1 + c_ab) = l_a + c_ab l_b`: largest-first with kappa `c_ab`. So a
//! combination row of two components in two different categories informs exactly their pair,
//! with the same likelihood; [`learn_pairs`] learns each informed pair from its rows by
//! [`learn`], the pair's own estimate (or `pair_default`) the prior, and leaves every other
//! pair at its prior. Rows of three or more components involve several pairs at once and
//! rows within one category no pair; neither enters.

use overhang_model::Tabulated;
use overhang_model::{
    Censoring, Combination, Composability, Estimate, EvidenceRow, Learned, LearnedPair, Summary,
};

/// Cells of equal prior probability in the posterior grid.
pub const GRID: usize = 8192;
/// Equally probable values of an uncertain `combination_sd` it is integrated over.
pub const SD_NODES: usize = 256;
/// Bins of kappa in the densities drawn on the chart.
pub const DENSITY_BINS: usize = 100;

/// What every combination row with components implies, in the order of the evidence.
pub fn combinations(evidence: &[EvidenceRow]) -> Vec<Combination> {
    evidence
        .iter()
        .filter(|r| r.is_combination() && !r.components.is_empty())
        .map(|row| {
            let parts: Vec<Option<&EvidenceRow>> = row
                .components
                .iter()
                .map(|id| evidence.iter().find(|r| &r.id == id))
                .collect();
            let exact = |r: &EvidenceRow| r.ceg.censoring() == Some(Censoring::None);
            let all_exact = exact(row) && parts.iter().all(|p| p.is_some_and(exact));
            // A missing or never-derived CEG has no value: NaN keeps it out of every sum.
            let central = |r: &EvidenceRow| r.ceg.estimate().map_or(f64::NAN, Estimate::central);
            let joint = central(row);
            let values: Vec<f64> = parts.iter().map(|p| p.map_or(f64::NAN, central)).collect();
            let product = values.iter().product();
            let implied_kappa = if all_exact {
                implied_kappa(libm::log10(joint), &levels(&values))
            } else {
                None
            };
            Combination {
                id: row.id.clone(),
                categories: row.categories().map(str::to_owned).collect(),
                components: row.components.clone(),
                joint,
                parts: values,
                product,
                implied_kappa,
            }
        })
        .collect()
}

/// The levels of CEGs: `max(log10 c, 0)`.
fn levels(cegs: &[f64]) -> Vec<f64> {
    cegs.iter().map(|&c| libm::log10(c).max(0.0)).collect()
}

/// The largest level and the sum of the others.
fn split(levels: &[f64]) -> (f64, f64) {
    let top = levels.iter().copied().fold(0.0, f64::max);
    let sum: f64 = levels.iter().sum();
    (top, sum - top)
}

/// The kappa for which largest-first gives `log_joint` from `levels`; `None` when the levels
/// after the largest sum to zero (kappa then changes nothing) or a value is not finite.
pub fn implied_kappa(log_joint: f64, levels: &[f64]) -> Option<f64> {
    let (top, rest) = split(levels);
    let k = (log_joint - top) / rest;
    (rest > 0.0 && k.is_finite()).then_some(k)
}

/// Kappa learned from `combinations` (those with an implied kappa) with prior `prior` and
/// `combination_sd` (log10), or `None` when a row's numbers are not finite.
pub fn learn(
    prior: &Estimate,
    combination_sd: &Estimate,
    combinations: &[Combination],
) -> Option<Learned> {
    let rows: Vec<&Combination> = combinations
        .iter()
        .filter(|c| c.implied_kappa.is_some())
        .collect();
    let data: Vec<(f64, f64, f64)> = rows
        .iter()
        .map(|c| {
            let (top, rest) = split(&levels(&c.parts));
            (libm::log10(c.joint), top, rest)
        })
        .collect();
    let sds: Vec<f64> = (0..SD_NODES)
        .map(|m| combination_sd.quantile((m as f64 + 0.5) / SD_NODES as f64))
        .collect();
    if sds.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
        return None;
    }
    let kappa_at = |p: f64| prior.quantile(p).clamp(0.0, 1.0);
    let n = GRID as f64;
    let mid: Vec<f64> = (0..GRID).map(|j| kappa_at((j as f64 + 0.5) / n)).collect();
    let edges: Vec<f64> = (0..=GRID).map(|j| kappa_at(j as f64 / n)).collect();
    let log_like: Vec<f64> = mid
        .iter()
        .map(|&k| log_likelihood(k, &data, &sds))
        .collect();
    let top = log_like.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return None;
    }
    let weights: Vec<f64> = log_like.iter().map(|&l| libm::exp(l - top)).collect();
    let total: f64 = weights.iter().sum();
    let mass: Vec<f64> = weights.iter().map(|w| w / total).collect();
    let mut cdf = Vec::with_capacity(GRID + 1);
    let mut c = 0.0;
    cdf.push(0.0);
    for m in &mass[..GRID - 1] {
        c += m;
        cdf.push(c.min(1.0));
    }
    cdf.push(1.0);
    let table = Tabulated::new(cdf, edges.clone())?;
    let prior_mass = vec![1.0 / n; GRID];
    let prior_summary = summary(&mid, &prior_mass, &kappa_at);
    let posterior = summary(&mid, &mass, &|p| table.quantile(p));
    Some(Learned {
        rows: rows.iter().map(|c| c.id.clone()).collect(),
        prior: prior_summary,
        posterior,
        density: densities(&edges, &mid, &mass),
        table,
    })
}

/// The pairs of `categories` (ids, in the assessment's order) that two-component combination
/// rows in two different categories inform, each learned from its rows with the pair's
/// composability as the prior (the listed pair of `comp.pairs`, else `comp.default_pair`) and
/// `comp.combination_sd`; in category order. A pair with no prior or no informative row (both
/// parts above 1x, every CEG exact) is left out: it stays at its prior.
pub fn learn_pairs(
    comp: &Composability,
    categories: &[&str],
    combinations: &[Combination],
) -> Vec<LearnedPair> {
    let Some(sd) = &comp.combination_sd else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, a) in categories.iter().enumerate() {
        for b in &categories[i + 1..] {
            let rows: Vec<Combination> = combinations
                .iter()
                .filter(|c| {
                    c.implied_kappa.is_some()
                        && c.parts.len() == 2
                        && matches!(c.categories.as_slice(),
                            [x, y] if (x == a && y == b) || (x == b && y == a))
                })
                .cloned()
                .collect();
            if rows.is_empty() {
                continue;
            }
            let listed = comp
                .pairs
                .iter()
                .find(|p| (p.a == *a && p.b == *b) || (p.a == *b && p.b == *a));
            let Some(prior) = listed
                .map(|p| &p.composability)
                .or(comp.default_pair.as_ref())
            else {
                continue;
            };
            if let Some(learned) = learn(prior, sd, &rows) {
                out.push(LearnedPair {
                    a: (*a).to_owned(),
                    b: (*b).to_owned(),
                    learned,
                });
            }
        }
    }
    out
}

/// The log of the likelihood of every row at `kappa`, up to a constant, with the sd
/// integrated over its equally probable values `sds`.
fn log_likelihood(kappa: f64, data: &[(f64, f64, f64)], sds: &[f64]) -> f64 {
    let per_sd: Vec<f64> = sds
        .iter()
        .map(|&s| {
            data.iter()
                .map(|&(y, top, rest)| {
                    let z = (y - (top + kappa * rest)) / s;
                    -0.5 * z * z - libm::log(s)
                })
                .sum()
        })
        .collect();
    let top = per_sd.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = per_sd.iter().map(|&l| libm::exp(l - top)).sum();
    top + libm::log(sum / sds.len() as f64)
}

/// Mean and sd of the cells' midpoints weighted by `mass`; quantiles from `quantile`.
fn summary(mid: &[f64], mass: &[f64], quantile: &dyn Fn(f64) -> f64) -> Summary {
    let mean: f64 = mid.iter().zip(mass).map(|(k, m)| k * m).sum();
    let var: f64 = mid
        .iter()
        .zip(mass)
        .map(|(k, m)| (k - mean) * (k - mean) * m)
        .sum();
    Summary {
        mean,
        sd: var.max(0.0).sqrt(),
        p5: quantile(0.05),
        p50: quantile(0.5),
        p95: quantile(0.95),
    }
}

/// Prior and posterior densities of kappa in [`DENSITY_BINS`] equal bins over the prior's
/// range: each cell's mass goes to the bin of its midpoint.
fn densities(edges: &[f64], mid: &[f64], mass: &[f64]) -> Vec<(f64, f64, f64)> {
    let (lo, hi) = (edges[0], edges[edges.len() - 1]);
    if hi <= lo {
        return Vec::new();
    }
    let width = (hi - lo) / DENSITY_BINS as f64;
    let mut prior = vec![0.0; DENSITY_BINS];
    let mut post = vec![0.0; DENSITY_BINS];
    let cell = 1.0 / mid.len() as f64;
    for (&k, &m) in mid.iter().zip(mass) {
        let b = (((k - lo) / width) as usize).min(DENSITY_BINS - 1);
        prior[b] += cell;
        post[b] += m;
    }
    (0..DENSITY_BINS)
        .map(|b| {
            (
                lo + (b as f64 + 0.5) * width,
                prior[b] / width,
                post[b] / width,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use overhang_testkit::{ROUNDING, assert_close};

    #[test]
    fn implied_kappa_is_the_share_of_the_smaller_gains_that_stacks() {
        // 10x and 10x measured together at 10^1.5: half of the second gain stacks.
        let k = implied_kappa(1.5, &[1.0, 1.0]).expect("defined");
        assert_close!(k, 0.5, ROUNDING);
        // Fully multiplicative and fully redundant.
        assert_close!(
            implied_kappa(3.0, &[2.0, 1.0]).expect("defined"),
            1.0,
            ROUNDING
        );
        assert_close!(
            implied_kappa(2.0, &[2.0, 1.0]).expect("defined"),
            0.0,
            ROUNDING
        );
        // Only one gain: kappa changes nothing.
        assert_eq!(implied_kappa(1.0, &[1.0, 0.0]), None);
    }
}
