//! The likelihood of a category's evidence at one `(a, g)`: transfer offsets and study effects
//! integrated out by adaptive Gauss-Hermite quadrature, everything in log space.

use overhang_model::special::norm_cdf;

use super::prior::LN_SQRT_2PI;
use super::{Estimand, InferError, InferenceRow, InferenceSettings, Observation};

/// Gauss-Hermite nodes and weights for the standard normal: `E[h(X)] ~ sum w_k h(x_k)`,
/// exact for polynomials of degree below `2n`. Newton's iteration on the orthonormal
/// Hermite polynomials (Numerical Recipes' `gauher`), so no eigen-solver is needed.
pub(super) fn gauss_hermite(n: usize) -> (Vec<f64>, Vec<f64>) {
    if n <= 1 {
        return (vec![0.0], vec![1.0]);
    }
    let pim4 = libm::pow(core::f64::consts::PI, -0.25);
    let nf = n as f64;
    let mut x = vec![0.0; n];
    let mut w = vec![0.0; n];
    let mut z = 0.0_f64;
    for i in 0..n.div_ceil(2) {
        z = match i {
            0 => (2.0 * nf + 1.0).sqrt() - 1.855_75 * libm::pow(2.0 * nf + 1.0, -0.166_67),
            1 => z - 1.14 * libm::pow(nf, 0.426) / z,
            2 => 1.86 * z - 0.86 * x[0],
            3 => 1.91 * z - 0.91 * x[1],
            _ => 2.0 * z - x[i - 2],
        };
        let mut pp = 1.0;
        for _ in 0..100 {
            let (mut p1, mut p2) = (pim4, 0.0);
            for j in 0..n {
                let p3 = p2;
                p2 = p1;
                let jf = j as f64;
                p1 = z * (2.0 / (jf + 1.0)).sqrt() * p2 - (jf / (jf + 1.0)).sqrt() * p3;
            }
            pp = (2.0 * nf).sqrt() * p2;
            let step = p1 / pp;
            z -= step;
            if step.abs() <= 1e-15 * z.abs().max(1.0) {
                break;
            }
        }
        x[i] = z;
        x[n - 1 - i] = -z;
        w[i] = 2.0 / (pp * pp);
        w[n - 1 - i] = w[i];
    }
    // Physicists' nodes and weights (weight exp(-t^2)) to the standard normal's.
    let sqrt_pi = core::f64::consts::PI.sqrt();
    let nodes = x.iter().map(|t| t * core::f64::consts::SQRT_2).collect();
    let weights = w.iter().map(|v| v / sqrt_pi).collect();
    (nodes, weights)
}

/// `ln Phi(z)`, without underflow far in the lower tail (asymptotic series below -35).
pub(super) fn log_norm_cdf(z: f64) -> f64 {
    if z > -35.0 {
        return libm::log(norm_cdf(z));
    }
    let r = 1.0 / (z * z);
    -0.5 * z * z - LN_SQRT_2PI - libm::log(-z) + libm::log(1.0 - r + 3.0 * r * r - 15.0 * r * r * r)
}

/// One row, ready for the likelihood.
#[derive(Debug, Clone, Copy)]
struct Row {
    obs: Observation,
    years: f64,
    /// Index into [`Prepared::offsets`].
    estimand: usize,
    sigma: f64,
    ln_sigma: f64,
}

impl Row {
    /// The log likelihood of the row when its latent level's mean is `mean`.
    fn log_density(&self, mean: f64) -> f64 {
        match self.obs {
            Observation::Exact(y) => {
                let z = (y - mean) / self.sigma;
                -0.5 * z * z - self.ln_sigma - LN_SQRT_2PI
            }
            Observation::AtLeast(y) => log_norm_cdf((mean - y) / self.sigma),
            Observation::AtMost(y) => log_norm_cdf((y - mean) / self.sigma),
        }
    }
}

/// The rows of one study.
#[derive(Debug, Clone)]
struct Study {
    rows: Vec<Row>,
    all_exact: bool,
    /// A study of one row with a study effect: the row with the study's variance added to its
    /// own, whose likelihood is then exact without quadrature (`y ~ Normal(mean, sigma^2 +
    /// tau^2)`, a bound by the tail of that normal).
    single: Option<Row>,
    /// Whether one of its rows has an uncertain transfer offset, so that its likelihood
    /// depends on the offsets' quadrature node.
    dependent: bool,
}

/// A category's rows grouped by study, with the quadrature rules, checked once.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    studies: Vec<Study>,
    /// `(mean, sd)` of the transfer offset of each estimand, in [`Estimand::ALL`] order.
    offsets: [(f64, f64); 3],
    /// Estimands with an uncertain offset that some row uses: the dimensions of the offsets'
    /// quadrature.
    uncertain: Vec<usize>,
    tau: f64,
    nodes: (Vec<f64>, Vec<f64>),
    offset_nodes: (Vec<f64>, Vec<f64>),
}

/// Study keys in order of first appearance: a named study's rows together, an unnamed row on
/// its own.
pub(super) fn group(rows: &[InferenceRow]) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|(id, _)| !row.study.is_empty() && *id == row.study)
        {
            Some((_, members)) => members.push(i),
            None => groups.push((row.study.clone(), vec![i])),
        }
    }
    groups
}

impl Prepared {
    pub(super) fn new(
        rows: &[InferenceRow],
        settings: &InferenceSettings,
    ) -> Result<Self, InferError> {
        for (index, row) in rows.iter().enumerate() {
            let y = match row.y_log10 {
                Observation::Exact(y) | Observation::AtLeast(y) | Observation::AtMost(y) => y,
            };
            let bad = |field: &'static str, found: f64| InferError::Row {
                index,
                field,
                found,
            };
            if !y.is_finite() {
                return Err(bad("y_log10", y));
            }
            if !row.years.is_finite() {
                return Err(bad("years", row.years));
            }
            if !(row.sigma.is_finite() && row.sigma > 0.0) {
                return Err(bad("sigma", row.sigma));
            }
        }
        let offsets = settings.transfer.offsets();
        let studies = group(rows)
            .into_iter()
            .map(|(_, members)| {
                let rows: Vec<Row> = members
                    .iter()
                    .map(|&i| Row {
                        obs: rows[i].y_log10,
                        years: rows[i].years,
                        estimand: rows[i].estimand.index(),
                        sigma: rows[i].sigma,
                        ln_sigma: libm::log(rows[i].sigma),
                    })
                    .collect();
                let all_exact = rows.iter().all(|r| matches!(r.obs, Observation::Exact(_)));
                let tau = settings.study_sd;
                let single = match rows.as_slice() {
                    [row] if tau > 0.0 => {
                        let sigma = libm::sqrt(row.sigma * row.sigma + tau * tau);
                        Some(Row {
                            sigma,
                            ln_sigma: libm::log(sigma),
                            ..*row
                        })
                    }
                    _ => None,
                };
                let dependent = rows.iter().any(|r| offsets[r.estimand].1 > 0.0);
                Study {
                    rows,
                    all_exact,
                    single,
                    dependent,
                }
            })
            .collect();
        let uncertain = Estimand::ALL
            .iter()
            .map(|e| e.index())
            .filter(|&e| offsets[e].1 > 0.0 && rows.iter().any(|r| r.estimand.index() == e))
            .collect();
        Ok(Self {
            studies,
            offsets,
            uncertain,
            tau: settings.study_sd,
            nodes: gauss_hermite(settings.nodes),
            offset_nodes: gauss_hermite(settings.offset_nodes),
        })
    }

    /// The number of studies: the width of [`Prepared::terms`] is `(studies + 1) * nodes`.
    pub(super) fn studies(&self) -> usize {
        self.studies.len()
    }

    /// The number of the offsets' quadrature nodes (1 without an uncertain offset).
    pub(super) fn offset_points(&self) -> usize {
        self.offset_nodes.0.len().pow(self.uncertain.len() as u32)
    }

    /// The log likelihood of every row at `(a, g)`, transfer offsets and study effects
    /// integrated out.
    pub(super) fn log_likelihood(&self, a: f64, g: f64) -> f64 {
        let mut terms = Vec::new();
        self.terms(a, g, &mut terms);
        combine(&terms, self.offset_points(), None)
    }

    /// The parts the log likelihood at `(a, g)` is made of, into `out`: per node `k` of the
    /// offsets' quadrature its log weight, then per study its log likelihood at that node
    /// (the same at every node for a study without an uncertain offset), so that
    /// [`combine`] gives the likelihood with every study or with one left out. Each
    /// uncertain offset is integrated over nodes centred on its conditional given the exact
    /// rows, with the study effect integrated out of studies one estimand at a time (so the
    /// proposal is never narrower than the conditional); the product rule over the
    /// dimensions. The weight carries prior over proposal, so the sum is the integral.
    pub(super) fn terms(&self, a: f64, g: f64, out: &mut Vec<f64>) {
        let points = self.offset_points();
        out.clear();
        out.resize(points * (self.studies.len() + 1), 0.0);
        let mut d = self.offsets.map(|(mean, _)| mean);
        // Studies without an uncertain offset: once.
        for (s, study) in self.studies.iter().enumerate() {
            if !study.dependent {
                let v = self.study(study, a, g, &d);
                out[points * (s + 1)..points * (s + 2)].fill(v);
            }
        }
        if self.uncertain.is_empty() {
            return;
        }
        let (xs, ws) = &self.offset_nodes;
        let k = xs.len();
        let proposals: Vec<(f64, f64)> = self
            .uncertain
            .iter()
            .map(|&e| self.proposal(a, g, e))
            .collect();
        let dims = self.uncertain.len();
        let mut index = vec![0usize; dims];
        for point in 0..points {
            let mut log_w = 0.0;
            for (dim, &e) in self.uncertain.iter().enumerate() {
                let (m, s) = proposals[dim];
                let (mean, sd) = self.offsets[e];
                let x = xs[index[dim]];
                let value = m + s * x;
                let z = (value - mean) / sd;
                log_w += libm::log(ws[index[dim]]) + libm::log(s) - libm::log(sd) + 0.5 * x * x
                    - 0.5 * z * z;
                d[e] = value;
            }
            out[point] = log_w;
            for (s, study) in self.studies.iter().enumerate() {
                if study.dependent {
                    out[points * (s + 1) + point] = self.study(study, a, g, &d);
                }
            }
            let mut dim = 0;
            while dim < dims {
                index[dim] += 1;
                if index[dim] < k {
                    break;
                }
                index[dim] = 0;
                dim += 1;
            }
        }
    }

    /// The normal the offset of estimand `e` is integrated against at `(a, g)`: its prior
    /// updated by the exact rows of that estimand, each study's rows of it collapsed over the
    /// study effect.
    fn proposal(&self, a: f64, g: f64, e: usize) -> (f64, f64) {
        let (mean, sd) = self.offsets[e];
        let mut precision = 1.0 / (sd * sd);
        let mut weighted = mean * precision;
        let tau2 = self.tau * self.tau;
        for study in &self.studies {
            let (mut s, mut r) = (0.0, 0.0);
            for row in study.rows.iter().filter(|row| row.estimand == e) {
                if let Observation::Exact(y) = row.obs {
                    let v = 1.0 / (row.sigma * row.sigma);
                    s += v;
                    r += (y - a - g * row.years) * v;
                }
            }
            precision += s / (1.0 + tau2 * s);
            weighted += r / (1.0 + tau2 * s);
        }
        (weighted / precision, 1.0 / precision.sqrt())
    }

    /// The log likelihood of one study's rows at `(a, g)` with the transfer offsets `d`, its
    /// study effect integrated out.
    fn study(&self, study: &Study, a: f64, g: f64, d: &[f64; 3]) -> f64 {
        let tau = self.tau;
        let mean = |row: &Row| a + g * row.years + d[row.estimand];
        if let Some(row) = &study.single {
            return row.log_density(mean(row));
        }
        if tau == 0.0 {
            return study.rows.iter().map(|r| r.log_density(mean(r))).sum();
        }
        // The study effect's conditional given the study's exact rows is normal; nodes
        // centred on it make the integral exact for exact rows with a single node.
        let mut precision = 1.0 / (tau * tau);
        let mut weighted = 0.0;
        for row in &study.rows {
            if let Observation::Exact(y) = row.obs {
                let v = 1.0 / (row.sigma * row.sigma);
                precision += v;
                weighted += (y - mean(row)) * v;
            }
        }
        let (m, s) = (weighted / precision, 1.0 / precision.sqrt());
        let single = (vec![0.0], vec![1.0]);
        let (xs, ws) = if study.all_exact {
            &single
        } else {
            &self.nodes
        };
        let mut terms = [0.0; 64];
        for (k, (&x, &w)) in xs.iter().zip(ws).enumerate() {
            let u = m + s * x;
            let z = u / tau;
            let mut value =
                libm::log(w) + libm::log(s) - libm::log(tau) + 0.5 * x * x - 0.5 * z * z;
            for row in &study.rows {
                value += row.log_density(mean(row) + u);
            }
            terms[k] = value;
        }
        log_sum_exp(&terms[..xs.len()])
    }
}

/// The log likelihood from [`Prepared::terms`] (`points` offset nodes), with every study or
/// without study `skip`: `ln sum_k exp(log w_k + sum_s l_{s,k})`.
pub(super) fn combine(terms: &[f64], points: usize, skip: Option<usize>) -> f64 {
    let studies = terms.len() / points - 1;
    let mut sums = [0.0; 512];
    let mut heap = Vec::new();
    let sums: &mut [f64] = if points <= sums.len() {
        &mut sums[..points]
    } else {
        heap.resize(points, 0.0);
        &mut heap
    };
    sums.copy_from_slice(&terms[..points]);
    for s in (0..studies).filter(|&s| Some(s) != skip) {
        for (v, t) in sums
            .iter_mut()
            .zip(&terms[points * (s + 1)..points * (s + 2)])
        {
            *v += t;
        }
    }
    log_sum_exp(sums)
}

/// `ln sum exp(v)`, without overflow or underflow; negative infinity for no finite term.
pub(super) fn log_sum_exp(values: &[f64]) -> f64 {
    let top = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return top;
    }
    top + libm::log(values.iter().map(|v| libm::exp(v - top)).sum::<f64>())
}

#[cfg(test)]
mod tests {
    use overhang_testkit::{ROUNDING, Tolerance, assert_close};

    use super::*;

    /// The total of the quadrature's weights against 1: at most 64 weights below 1, each good
    /// to a unit or two in the last place, summed (1.3e-15 at worst here).
    const WEIGHT_SUM: Tolerance = Tolerance::absolute("WEIGHT_SUM", 1e-13);

    /// The fourth moment against 3: the nodes' round-off enters as x^4, with nodes out to
    /// about 11 at 64 points, so a digit less than the second moment's [`ROUNDING`]
    /// (3.6e-15 at worst here).
    const FOURTH_MOMENT: Tolerance = Tolerance::absolute("FOURTH_MOMENT", 1e-11);

    /// log Phi just below and just above the switch to the asymptotic series, 2e-6 apart: its
    /// slope there is about 35, so the two differ by 7e-5; 1e-3 catches a jump between the
    /// formulas.
    const CONTINUITY: Tolerance = Tolerance::absolute("CONTINUITY", 1e-3);

    #[test]
    fn gauss_hermite_integrates_the_normal_moments_exactly() {
        for n in [2, 5, 16, 32, 64] {
            let (x, w) = gauss_hermite(n);
            let moment = |k: i32| -> f64 {
                x.iter()
                    .zip(&w)
                    .map(|(x, w)| w * libm::pow(*x, f64::from(k)))
                    .sum()
            };
            assert_close!(moment(0), 1.0, WEIGHT_SUM, "{n} points");
            assert_close!(moment(2), 1.0, ROUNDING, "{n} points");
            if n >= 3 {
                assert_close!(moment(4), 3.0, FOURTH_MOMENT, "{n} points");
            }
        }
    }

    #[test]
    fn the_log_tail_is_continuous_at_the_switch_to_the_series() {
        let below = log_norm_cdf(-35.000_001);
        let above = log_norm_cdf(-34.999_999);
        assert_close!(below, above, CONTINUITY, "log Phi at -35");
        assert!(log_norm_cdf(-1e4).is_finite());
    }
}
