//! The posterior on a grid over `(a, g)`: where its mass lies, its summaries and draws.

use super::prior::Prior;
use super::{InferError, Marginal};

/// Nodes per axis of the grids that search for the posterior's mass.
const COARSE: usize = 20;
/// Rounds of widening and narrowing before the fine grid is laid.
const ROUNDS: usize = 40;
/// Nodes count as mass while their log density is within this of the largest (`e^-20` is
/// about 2e-9).
pub const DROP: f64 = 20.0;
/// The prior probability beyond each end of the first box: about 7.9 standard deviations of
/// a normal, where its log density has fallen by more than [`DROP`].
const TAIL: f64 = 1e-15;

/// One axis: `n` cells of equal width between `lo` and `hi`, a node at each cell's centre; a
/// point when `n` is 1 and `lo == hi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Axis {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) n: usize,
}

impl Axis {
    fn cell(&self) -> f64 {
        (self.hi - self.lo) / self.n as f64
    }

    pub(super) fn node(&self, i: usize) -> f64 {
        if self.is_point() {
            self.lo
        } else {
            self.lo + self.cell() * (i as f64 + 0.5)
        }
    }

    /// True for the axis of a point prior: searched and fine axes have many cells.
    fn is_point(&self) -> bool {
        self.n == 1
    }
}

/// The log posterior (unnormalised) at every node, `a` major.
/// Each node is computed on its own (on rayon's threads, rows of `a` at a time), so the values
/// do not depend on the number of threads.
fn evaluate(a: Axis, g: Axis, log_post: &(dyn Fn(f64, f64) -> f64 + Sync)) -> Vec<f64> {
    use rayon::prelude::*;
    (0..a.n)
        .into_par_iter()
        .flat_map_iter(|i| {
            let x = a.node(i);
            (0..g.n).map(move |j| log_post(x, g.node(j)))
        })
        .collect()
}

fn first_axis(prior: &Prior) -> Axis {
    if let Some(v) = prior.point() {
        return Axis { lo: v, hi: v, n: 1 };
    }
    let (low, high) = prior.support();
    Axis {
        lo: prior.quantile(TAIL).max(low),
        hi: prior.quantile(1.0 - TAIL).min(high),
        n: COARSE,
    }
}

/// Widens an axis whose mass reaches an edge (up to the prior's support), or narrows it to
/// its mass plus a cell when that cuts a tenth or more. True when it changed.
fn adjust(axis: &mut Axis, support: (f64, f64), first: usize, last: usize) -> bool {
    if axis.is_point() {
        return false;
    }
    let width = axis.hi - axis.lo;
    let grow_lo = first == 0 && axis.lo > support.0;
    let grow_hi = last == axis.n - 1 && axis.hi < support.1;
    if grow_lo {
        axis.lo = (axis.lo - width).max(support.0);
    }
    if grow_hi {
        axis.hi = (axis.hi + width).min(support.1);
    }
    if grow_lo || grow_hi {
        return true;
    }
    let h = axis.cell();
    let lo = axis.lo + h * first.saturating_sub(1) as f64;
    let hi = axis.lo + h * (last + 2).min(axis.n) as f64;
    if hi - lo < 0.9 * width {
        (axis.lo, axis.hi) = (lo, hi);
        return true;
    }
    false
}

/// The posterior on a grid of `fine` cells per uncertain axis.
#[derive(Clone, PartialEq)]
pub(super) struct Grid {
    pub(super) a: Axis,
    pub(super) g: Axis,
    /// Normalised cell masses, `a` major.
    pub(super) mass: Vec<f64>,
    /// The marginal masses of `a`'s cells.
    pub(super) marginal: Vec<f64>,
    /// The largest log density on an edge of the grid that is not an end of the prior's
    /// support, relative to the largest anywhere (negative infinity when there is none).
    pub(super) edge: f64,
    /// The same masses as the table the simulation draws from.
    pub(super) table: overhang_model::JointTable,
}

impl std::fmt::Debug for Grid {
    // The cell masses are tens of thousands of numbers: the axes say where the grid lies.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grid")
            .field("a", &self.a)
            .field("g", &self.g)
            .field("edge", &self.edge)
            .finish_non_exhaustive()
    }
}

impl Grid {
    /// Searches for the posterior's mass on coarse grids, then lays the fine grid over it.
    pub(super) fn new(
        prior_a: &Prior,
        prior_g: &Prior,
        log_post: &(dyn Fn(f64, f64) -> f64 + Sync),
        fine: usize,
    ) -> Result<Self, InferError> {
        let (a, g) = Self::search(prior_a, prior_g, log_post, fine)?;
        let values = evaluate(a, g, log_post);
        Self::from_values(a, g, &values, prior_a.support(), prior_g.support())
    }

    /// The fine axes over the posterior's mass, found on coarse grids that widen until the
    /// mass lies inside and narrow to it: `fine` cells per uncertain axis.
    pub(super) fn search(
        prior_a: &Prior,
        prior_g: &Prior,
        log_post: &(dyn Fn(f64, f64) -> f64 + Sync),
        fine: usize,
    ) -> Result<(Axis, Axis), InferError> {
        let (mut a, mut g) = (first_axis(prior_a), first_axis(prior_g));
        let mut settled = false;
        for _ in 0..ROUNDS {
            let values = evaluate(a, g, log_post);
            let top = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !top.is_finite() {
                return Err(InferError::NoMass);
            }
            let (mut fa, mut la, mut fg, mut lg) = (usize::MAX, 0, usize::MAX, 0);
            for (k, v) in values.iter().enumerate() {
                if *v > top - DROP {
                    let (i, j) = (k / g.n, k % g.n);
                    (fa, la, fg, lg) = (fa.min(i), la.max(i), fg.min(j), lg.max(j));
                }
            }
            let moved_a = adjust(&mut a, prior_a.support(), fa, la);
            let moved_g = adjust(&mut g, prior_g.support(), fg, lg);
            if !(moved_a || moved_g) {
                settled = true;
                break;
            }
        }
        if !settled {
            return Err(InferError::NoMass);
        }
        for axis in [&mut a, &mut g] {
            if !axis.is_point() {
                axis.n = fine;
            }
        }
        Ok((a, g))
    }

    /// The nodes of the axes `a` and `g`, `a` major: where [`Grid::from_values`] takes its
    /// values.
    pub(super) fn nodes(a: Axis, g: Axis) -> impl Iterator<Item = (f64, f64)> {
        (0..a.n).flat_map(move |i| (0..g.n).map(move |j| (a.node(i), g.node(j))))
    }

    /// The posterior from its unnormalised log density at every node (`a` major); `sa` and
    /// `sg` are the priors' supports, whose ends are not an edge.
    pub(super) fn from_values(
        a: Axis,
        g: Axis,
        values: &[f64],
        sa: (f64, f64),
        sg: (f64, f64),
    ) -> Result<Self, InferError> {
        let top = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !top.is_finite() {
            return Err(InferError::NoMass);
        }
        let mut edge = f64::NEG_INFINITY;
        for (k, v) in values.iter().enumerate() {
            let (i, j) = (k / g.n, k % g.n);
            let on_edge = (!a.is_point()
                && ((i == 0 && a.lo > sa.0) || (i == a.n - 1 && a.hi < sa.1)))
                || (!g.is_point() && ((j == 0 && g.lo > sg.0) || (j == g.n - 1 && g.hi < sg.1)));
            if on_edge {
                edge = edge.max(v - top);
            }
        }
        let weights: Vec<f64> = values.iter().map(|v| libm::exp(v - top)).collect();
        let total: f64 = weights.iter().sum();
        let mass: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let marginal = mass.chunks(g.n).map(|row| row.iter().sum()).collect();
        let axis = |x: Axis| overhang_model::inference::GridAxis {
            lo: x.lo,
            hi: x.hi,
            n: x.n,
        };
        let table =
            overhang_model::JointTable::new(axis(a), axis(g), &mass).ok_or(InferError::NoMass)?;
        Ok(Self {
            a,
            g,
            mass,
            marginal,
            edge,
            table,
        })
    }

    /// Every cell with mass: its node `(a, g)` and its normalised mass, `a` major.
    pub(super) fn cells(&self) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        self.mass
            .iter()
            .enumerate()
            .filter(|(_, m)| **m > 0.0)
            .map(|(k, &m)| (self.a.node(k / self.g.n), self.g.node(k % self.g.n), m))
    }

    /// A joint draw `(a, g)` from two uniforms: `a` by the inverse of its marginal CDF, then
    /// `g` by the inverse of its CDF given `a`'s cell, linear within cells.
    pub(super) fn draw(&self, u_a: f64, u_g: f64) -> (f64, f64) {
        self.table.draw(u_a, u_g)
    }

    /// The marginal summaries of `a` and `g`, and their correlation (0 when either is a
    /// point).
    pub(super) fn summaries(&self) -> (Marginal, Marginal, f64) {
        let mut g_marginal = vec![0.0; self.g.n];
        for row in self.mass.chunks(self.g.n) {
            for (m, v) in g_marginal.iter_mut().zip(row) {
                *m += v;
            }
        }
        let moments = |axis: &Axis, mass: &[f64]| {
            if axis.is_point() {
                return (axis.lo, 0.0);
            }
            let mean: f64 = mass.iter().enumerate().map(|(i, m)| m * axis.node(i)).sum();
            let var: f64 = mass
                .iter()
                .enumerate()
                .map(|(i, m)| m * (axis.node(i) - mean) * (axis.node(i) - mean))
                .sum();
            (mean, var.sqrt())
        };
        // Percentiles from the table the draws come from, so a draw at 0.5 is the median.
        let marginal = |axis: &Axis, mass: &[f64], quantile: &dyn Fn(f64) -> f64| {
            let (mean, sd) = moments(axis, mass);
            let [p5, p50, p95] = [0.05, 0.5, 0.95].map(quantile);
            Marginal {
                p5,
                p50,
                p95,
                mean,
                sd,
            }
        };
        let (ma, mg) = (
            marginal(&self.a, &self.marginal, &|p| {
                self.table.available_quantile(p)
            }),
            marginal(&self.g, &g_marginal, &|p| self.table.growth_quantile(p)),
        );
        let correlation = if ma.sd > 0.0 && mg.sd > 0.0 {
            let cov: f64 = self
                .mass
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    let (i, j) = (k / self.g.n, k % self.g.n);
                    m * (self.a.node(i) - ma.mean) * (self.g.node(j) - mg.mean)
                })
                .sum();
            cov / (ma.sd * mg.sd)
        } else {
            0.0
        };
        (ma, mg, correlation)
    }
}
