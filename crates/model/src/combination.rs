//! Measured combinations of enhancements and what they say about composability: the implied
//! kappa of each combination row, and the posterior of kappa learned from them.
//!
//! Calibration (`overhang-calibrate`) computes both and writes them into the assessment:
//! [`Assessment::combinations`](crate::Assessment::combinations) and
//! [`Composability::learned`](crate::Composability::learned). The simulation draws kappa from
//! [`Learned::table`] by its quantile function.

use serde::{Deserialize, Serialize};

/// What one combination row of enhancements.csv implies: its joint CEG against its parts.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Combination {
    /// The combination row's id.
    pub id: String,
    /// Its categories, in the order written.
    pub categories: Vec<String>,
    /// The ids of its components, in the order written.
    pub components: Vec<String>,
    /// The joint CEG measured for the enhancements together (the central value).
    pub joint: f64,
    /// Each component's CEG (central value), in the order of `components`.
    pub parts: Vec<f64>,
    /// The product of the parts: the joint CEG if the enhancements stacked fully.
    pub product: f64,
    /// The kappa of largest-first that reproduces the joint CEG from the parts,
    /// `(log J - max_i log c_i) / (sum_i log c_i - max_i log c_i)`, with each `log c_i` floored
    /// at 0 as the model floors levels; `None` when a CEG is a bound or not yet derived, or when
    /// at most one part exceeds 1 (kappa then has no effect). For two components it is also the
    /// implied pairwise composability of their categories. It may fall outside `[0, 1]`: a
    /// joint gain above the product, or below the largest part.
    pub implied_kappa: Option<f64>,
}

/// Mean, standard deviation and three quantiles of a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Summary {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// A distribution given by its quantile function at increasing probabilities, linear between
/// them: `x[k]` is the quantile at `cdf[k]`, `cdf` rising from 0 to 1, `x` non-decreasing.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Tabulated {
    cdf: Vec<f64>,
    x: Vec<f64>,
}

impl Tabulated {
    /// The table of quantiles `x` at probabilities `cdf`; `None` unless both have the same
    /// length of at least 2, `cdf` starts at 0, ends at 1 and never falls, `x` never falls,
    /// and every value is finite.
    pub fn new(cdf: Vec<f64>, x: Vec<f64>) -> Option<Self> {
        let ok = cdf.len() == x.len()
            && cdf.len() >= 2
            && cdf.iter().chain(&x).all(|v| v.is_finite())
            && cdf.first() == Some(&0.0)
            && cdf.last() == Some(&1.0)
            && cdf.windows(2).all(|w| w[0] <= w[1])
            && x.windows(2).all(|w| w[0] <= w[1]);
        ok.then_some(Self { cdf, x })
    }

    /// The quantile function at `p` (clamped to `[0, 1]`; NaN reads as 0.5).
    pub fn quantile(&self, p: f64) -> f64 {
        let p = if p.is_nan() { 0.5 } else { p.clamp(0.0, 1.0) };
        // The first k with cdf[k] >= p; the table starts at 0, so k >= 1 for p > 0.
        let k = self
            .cdf
            .partition_point(|&c| c < p)
            .clamp(1, self.cdf.len() - 1);
        let (c0, c1) = (self.cdf[k - 1], self.cdf[k]);
        let (x0, x1) = (self.x[k - 1], self.x[k]);
        if c1 > c0 {
            x0 + (p - c0) / (c1 - c0) * (x1 - x0)
        } else {
            x1
        }
    }

    /// The probabilities of the table.
    pub fn cdf(&self) -> &[f64] {
        &self.cdf
    }

    /// The quantiles of the table.
    pub fn x(&self) -> &[f64] {
        &self.x
    }
}

/// Kappa learned from the combination rows: the prior (the assessment's kappa), the posterior,
/// and the posterior's quantile function that the simulation draws from.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Learned {
    /// The ids of the combination rows that entered the likelihood.
    pub rows: Vec<String>,
    /// The prior.
    pub prior: Summary,
    /// The posterior.
    pub posterior: Summary,
    /// The posterior's quantile function.
    pub table: Tabulated,
    /// The prior and posterior densities on a grid of kappa, for the chart: `(kappa, prior,
    /// posterior)`.
    pub density: Vec<(f64, f64, f64)>,
}

/// The composability of one pair of categories learned from the two-component combination
/// rows that measured an enhancement of each together (pairwise method).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct LearnedPair {
    /// One category id (the earlier in the assessment's order).
    pub a: String,
    /// The other.
    pub b: String,
    /// Prior (the pair's estimate, or `pair_default`), posterior and its quantile function.
    pub learned: Learned,
}

impl LearnedPair {
    /// True for the pair of categories `x` and `y`, in either order.
    pub fn is_pair(&self, x: &str, y: &str) -> bool {
        (self.a == x && self.b == y) || (self.a == y && self.b == x)
    }
}

/// A pair's composability before and after learning, as results.json gives it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PairPosterior {
    /// One category id.
    pub a: String,
    /// The other.
    pub b: String,
    /// The ids of the combination rows the posterior rests on.
    pub rows: Vec<String>,
    /// The pair's composability as the assessment estimated it.
    pub prior: Summary,
    /// Given the rows, as the simulation draws it.
    pub posterior: Summary,
}

impl From<&LearnedPair> for PairPosterior {
    fn from(p: &LearnedPair) -> Self {
        PairPosterior {
            a: p.a.clone(),
            b: p.b.clone(),
            rows: p.learned.rows.clone(),
            prior: p.learned.prior,
            posterior: p.learned.posterior,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use overhang_testkit::{ULPS, assert_close};

    #[test]
    fn a_table_interpolates_its_quantiles_and_refuses_a_falling_cdf() {
        let t = Tabulated::new(vec![0.0, 0.5, 1.0], vec![0.0, 0.2, 1.0]).expect("valid");
        assert_close!(t.quantile(0.25), 0.1, ULPS);
        assert_close!(t.quantile(0.75), 0.6, ULPS);
        assert_eq!(t.quantile(0.0).to_bits(), 0f64.to_bits());
        assert_eq!(t.quantile(2.0).to_bits(), 1f64.to_bits());
        assert!(Tabulated::new(vec![0.0, 0.6, 0.5, 1.0], vec![0.0; 4]).is_none());
        assert!(Tabulated::new(vec![0.0, 0.9], vec![0.0, 1.0]).is_none());
    }
}
