//! Estimates inferred from the evidence: the posterior of a category's level at release and
//! growth, given its evidence rows, with the category's estimates as the prior.
//!
//! # The model
//!
//! In log10 (OOM), for one category with `t` in years from the report's release date, the
//! level its enhancements reach on the released model at time `t` is `a + g t`. The prior of
//! `a` is the category's `available` estimate (a multiplier, so "2 to 20" is a normal in
//! log10) and that of `g` its `growth` estimate as written (OOM per year). Evidence row `i`,
//! dated `t_i`, reads
//!
//! `y_i = a + g t_i + d_e(i) + u_s(i) + e_i`,
//!
//! with `d_e` the transfer offset of the row's [`Estimand`] (normal in log10, shared by every
//! row of that estimand, integrated out when uncertain), `u_s ~ Normal(0, tau^2)` the effect
//! of the row's study shared by its rows (`tau` is `study_sd`), and `e_i ~ Normal(0,
//! sigma_i^2)`. A bound ([`Observation::AtLeast`], [`Observation::AtMost`]) enters by the
//! normal tail beyond it, never as a point.
//!
//! # The method
//!
//! Exact and deterministic, no Markov chain: the posterior density is evaluated on a grid
//! over `(a, g)` (found by coarse grids that widen until the mass lies inside and narrow to
//! it, then [`DEFAULT_GRID`] cells per axis); at each node the study effects and uncertain
//! offsets are integrated out by Gauss-Hermite quadrature centred on their conditional
//! normal given the exact rows, which makes the quadrature exact for exact rows; all in log
//! space. [`Posterior::edge`] says how much density the grid's edge still carries, which
//! replaces a sampler's convergence checks.
//!
//! # The backtest
//!
//! [`backtest()`] fits the posterior on the rows dated before a cutoff and predicts the rows
//! on or after it by the posterior predictive, a mixture of normals over the grid's cells;
//! each [`Prediction`] has its median, 50% and 90% intervals, log score and PIT.
//! [`default_cutoff`] leaves about a third of the rows to predict.

mod assessment;
mod backtest;
mod grid;
mod likelihood;
mod prior;

pub use assessment::{CategoryInferError, backtest_assessment, infer_assessment, settings};

use overhang_model::{Distribution, Estimate};

pub use backtest::{Backtest, Prediction, backtest, default_cutoff};
pub use grid::DROP;
pub use prior::Prior;

use grid::Grid;
use likelihood::{Prepared, group};

/// Cells per uncertain axis of the fine grid by default: over the mass within [`DROP`] of the
/// mode (about 6.3 sd each side for a normal), a cell is about 0.16 sd.
pub const DEFAULT_GRID: usize = 81;
/// Cells per uncertain axis of [`InferenceSettings::fine`].
pub const FINE_GRID: usize = 201;
/// Gauss-Hermite nodes per study effect of [`InferenceSettings::fine`].
pub const FINE_NODES: usize = 16;
/// Gauss-Hermite nodes per uncertain transfer offset of [`InferenceSettings::fine`].
pub const FINE_OFFSET_NODES: usize = 8;
/// The edge below which the posterior without a study is read on the full posterior's grid
/// (see [`infer`]).
const INFLUENCE_DROP: f64 = 10.0;
/// Gauss-Hermite nodes per study effect by default.
pub const DEFAULT_NODES: usize = 8;
/// Gauss-Hermite nodes per uncertain transfer offset by default: its nodes are centred on its
/// conditional normal, and every node multiplies the cost of the whole likelihood.
pub const DEFAULT_OFFSET_NODES: usize = 6;

/// What an evidence row says about the level, in log10.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Observation {
    /// The level was measured at this value.
    Exact(f64),
    /// The level is at least this (`>= 14`).
    AtLeast(f64),
    /// The level is at most this.
    AtMost(f64),
}

/// What a row's CEG compares: the offset between it and the level of the released model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Estimand {
    /// An enhancement measured on a base model, which overstates its gain on a post-trained
    /// one.
    Base,
    /// An enhancement measured on a post-trained model.
    PostTrained,
    /// An enhancement measured against plain post-training elicitation.
    VersusPte,
}

impl Estimand {
    /// Every estimand, in order.
    pub const ALL: [Estimand; 3] = [Estimand::Base, Estimand::PostTrained, Estimand::VersusPte];

    /// The estimand's name as the evidence writes it.
    pub fn name(self) -> &'static str {
        match self {
            Estimand::Base => "base",
            Estimand::PostTrained => "post_trained",
            Estimand::VersusPte => "versus_pte",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One evidence row of a category, as the inference reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct InferenceRow {
    /// The row's CEG in log10: a value or a bound.
    pub y_log10: Observation,
    /// When the row was measured, in years from the report's release date (negative before).
    pub years: f64,
    /// The row's study; rows of one study share a study effect. Empty: a study of its own.
    pub study: String,
    /// What the row's CEG compares.
    pub estimand: Estimand,
    /// The row's own standard deviation in log10 (by its grade), above 0.
    pub sigma: f64,
}

/// A transfer offset in log10: normal with this mean and standard deviation (0: known).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offset {
    /// Mean, log10.
    pub mean: f64,
    /// Standard deviation, log10, at least 0.
    pub sd: f64,
}

impl Offset {
    /// The offset a multiplier estimate states: a point `m` is `log10 m` exactly, "1 to 10"
    /// (lognormal) a normal in log10.
    pub fn from_multiplier(estimand: Estimand, estimate: &Estimate) -> Result<Self, InferError> {
        let ln10 = core::f64::consts::LN_10;
        match *estimate.distribution() {
            Distribution::Point(v) if v > 0.0 => Ok(Self {
                mean: libm::log10(v),
                sd: 0.0,
            }),
            Distribution::LogNormal { mu, sigma } => Ok(Self {
                mean: mu / ln10,
                sd: sigma / ln10,
            }),
            _ => Err(InferError::Transfer {
                estimand,
                found: estimate.text().to_owned(),
            }),
        }
    }
}

/// The transfer offset of each estimand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer {
    /// Of a row measured on a base model.
    pub base: Offset,
    /// Of a row measured on a post-trained model.
    pub post_trained: Offset,
    /// Of a row measured against plain post-training elicitation.
    pub versus_pte: Offset,
}

impl Transfer {
    /// No offset for any estimand.
    pub const NONE: Self = Self {
        base: Offset { mean: 0.0, sd: 0.0 },
        post_trained: Offset { mean: 0.0, sd: 0.0 },
        versus_pte: Offset { mean: 0.0, sd: 0.0 },
    };

    fn offsets(&self) -> [(f64, f64); 3] {
        [self.base, self.post_trained, self.versus_pte].map(|o| (o.mean, o.sd))
    }
}

/// The settings of the inference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InferenceSettings {
    /// The transfer offset of each estimand.
    pub transfer: Transfer,
    /// `tau`, the standard deviation of a study's effect in log10 (0: rows are independent).
    pub study_sd: f64,
    /// Cells per uncertain axis of the fine grid, 16 to 2001.
    pub grid: usize,
    /// Gauss-Hermite nodes per study effect, 1 to 64.
    pub nodes: usize,
    /// Gauss-Hermite nodes per uncertain transfer offset, 1 to 64.
    pub offset_nodes: usize,
}

impl InferenceSettings {
    /// The settings with the default grid and quadrature.
    pub fn new(transfer: Transfer, study_sd: f64) -> Self {
        Self {
            transfer,
            study_sd,
            grid: DEFAULT_GRID,
            nodes: DEFAULT_NODES,
            offset_nodes: DEFAULT_OFFSET_NODES,
        }
    }

    /// The settings with a fine grid and quadrature ([`FINE_GRID`], [`FINE_NODES`],
    /// [`FINE_OFFSET_NODES`]): about four times the default's resolution, for checks of
    /// accuracy.
    pub fn fine(transfer: Transfer, study_sd: f64) -> Self {
        Self {
            transfer,
            study_sd,
            grid: FINE_GRID,
            nodes: FINE_NODES,
            offset_nodes: FINE_OFFSET_NODES,
        }
    }

    fn check(&self) -> Result<(), InferError> {
        let bad = |name, found| Err(InferError::Setting { name, found });
        if !(self.study_sd.is_finite() && self.study_sd >= 0.0) {
            return bad("study_sd", self.study_sd);
        }
        for (e, (mean, sd)) in Estimand::ALL.iter().zip(self.transfer.offsets()) {
            if !(mean.is_finite() && sd.is_finite() && sd >= 0.0) {
                return bad(e.name(), if mean.is_finite() { sd } else { mean });
            }
        }
        if !(16..=2001).contains(&self.grid) {
            return bad("grid", self.grid as f64);
        }
        if !(1..=64).contains(&self.nodes) {
            return bad("nodes", self.nodes as f64);
        }
        if !(1..=64).contains(&self.offset_nodes) {
            return bad("offset_nodes", self.offset_nodes as f64);
        }
        Ok(())
    }
}

/// Why the inference could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InferError {
    /// A row's number is not usable.
    #[error("row {index}: expected a finite {field} (sigma above 0), found {found}")]
    Row {
        /// The row's index in the input.
        index: usize,
        /// The field.
        field: &'static str,
        /// The value found.
        found: f64,
    },
    /// The `available` estimate can take values at or below 0, so it has no log10.
    #[error("expected an available estimate whose values are all above 0, found `{found}`")]
    AvailableNotPositive {
        /// The estimate's text.
        found: String,
    },
    /// A transfer offset is not a positive point or a lognormal multiplier.
    #[error(
        "transfer of {}: expected a multiplier above 0 or an interval of them, found `{found}`",
        estimand.name()
    )]
    Transfer {
        /// The estimand.
        estimand: Estimand,
        /// The estimate's text.
        found: String,
    },
    /// A setting is out of range.
    #[error("setting {name}: out of range, found {found}")]
    Setting {
        /// The setting.
        name: &'static str,
        /// The value found.
        found: f64,
    },
    /// The prior and the likelihood leave no mass anywhere a grid can reach.
    #[error("the posterior has no mass a grid can find")]
    NoMass,
}

/// A parameter's posterior summary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marginal {
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
}

/// The posterior of one category's `(a, g)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Posterior {
    /// `a`, the level at release in log10.
    pub available: Marginal,
    /// `g`, the growth in OOM per year.
    pub growth: Marginal,
    /// The correlation of `a` and `g` (0 when either is a point).
    pub correlation: f64,
    /// The prior's 5th, 50th and 95th percentiles of `a`.
    pub prior_available: [f64; 3],
    /// The prior's 5th, 50th and 95th percentiles of `g`.
    pub prior_growth: [f64; 3],
    /// The largest log density on the grid's edge (away from an end of the prior's support)
    /// relative to the mode's; below `-DROP` the grid holds all the mass that matters.
    pub edge: f64,
    grid: Grid,
}

impl Posterior {
    /// A joint draw `(a, g)` from two independent uniforms on `[0, 1]`.
    pub fn draw(&self, u_available: f64, u_growth: f64) -> (f64, f64) {
        self.grid.draw(u_available, u_growth)
    }

    /// The table the simulation draws `(a, g)` from, with the grid's masses.
    pub fn table(&self) -> &overhang_model::JointTable {
        &self.grid.table
    }

    /// The grid the posterior is tabulated on: for every cell with mass, its node `(a, g)`
    /// (the cell's centre) and its mass (the masses sum to 1), `a` major. The posterior as a
    /// discrete distribution on these nodes is what [`backtest()`] mixes over.
    pub fn cells(&self) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        self.grid.cells()
    }
}

/// How much one study moves the posterior medians.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyInfluence {
    /// The study's id (empty for a row that is a study of its own).
    pub study: String,
    /// The indices of its rows.
    pub rows: Vec<usize>,
    /// The median of `a` without the study.
    pub available_p50: f64,
    /// The median of `g` without the study.
    pub growth_p50: f64,
    /// The median of `a` with all rows minus that without the study, log10.
    pub available_shift: f64,
    /// The median of `g` with all rows minus that without the study, OOM per year.
    pub growth_shift: f64,
}

/// The posterior, the influence of each study and the posterior under a vague prior.
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    /// The posterior under the category's prior.
    pub posterior: Posterior,
    /// Each study's influence, in order of its first row.
    pub influence: Vec<StudyInfluence>,
    /// The posterior with both priors ten times as wide ([`Prior::vague`]): how much the
    /// prior decides.
    pub vague: Posterior,
}

/// The log density of a prior on the grid: 0 for a point (its axis has one node).
fn log_prior(p: &Prior, x: f64) -> f64 {
    if p.point().is_some() {
        0.0
    } else {
        p.log_density(x)
    }
}

/// The unnormalised log posterior at `(a, g)`: the priors' log densities and, where they are
/// finite, the likelihood's.
fn log_posterior(available: &Prior, growth: &Prior, data: &Prepared, a: f64, g: f64) -> f64 {
    let prior = log_prior(available, a) + log_prior(growth, g);
    if prior == f64::NEG_INFINITY {
        prior
    } else {
        prior + data.log_likelihood(a, g)
    }
}

/// The posterior's summaries from its grid.
fn finish(grid: Grid, available: &Prior, growth: &Prior) -> Posterior {
    let (a, g, correlation) = grid.summaries();
    Posterior {
        available: a,
        growth: g,
        correlation,
        prior_available: available.quantiles(),
        prior_growth: growth.quantiles(),
        edge: grid.edge,
        grid,
    }
}

/// The posterior of `(a, g)` given `rows`.
pub fn posterior(
    available: &Prior,
    growth: &Prior,
    rows: &[InferenceRow],
    settings: &InferenceSettings,
) -> Result<Posterior, InferError> {
    settings.check()?;
    let data = Prepared::new(rows, settings)?;
    let log_post = |a: f64, g: f64| log_posterior(available, growth, &data, a, g);
    let grid = Grid::new(available, growth, &log_post, settings.grid)?;
    Ok(finish(grid, available, growth))
}

/// The posterior, each study's influence (the posterior without it) and the posterior under
/// a vague prior.
pub fn infer(
    available: &Prior,
    growth: &Prior,
    rows: &[InferenceRow],
    settings: &InferenceSettings,
) -> Result<Inference, InferError> {
    settings.check()?;
    let data = Prepared::new(rows, settings)?;
    let log_post = |a: f64, g: f64| log_posterior(available, growth, &data, a, g);
    // The likelihood's parts at every node of the fine grid, kept: the posterior without a
    // study is the same sum with its part left out, on the same grid.
    let (ax, gx) = Grid::search(available, growth, &log_post, settings.grid)?;
    let points = data.offset_points();
    let width = points * (data.studies() + 1);
    let nodes: Vec<(f64, f64)> = Grid::nodes(ax, gx).collect();
    let mut parts = Vec::with_capacity(nodes.len() * width);
    let mut priors = Vec::with_capacity(nodes.len());
    let mut buffer = Vec::with_capacity(width);
    for &(a, g) in &nodes {
        priors.push(log_prior(available, a) + log_prior(growth, g));
        data.terms(a, g, &mut buffer);
        parts.extend_from_slice(&buffer);
    }
    let values = |skip: Option<usize>| -> Vec<f64> {
        priors
            .iter()
            .zip(parts.chunks(width))
            .map(|(&p, t)| {
                if p == f64::NEG_INFINITY {
                    p
                } else {
                    p + likelihood::combine(t, points, skip)
                }
            })
            .collect()
    };
    let (sa, sg) = (available.support(), growth.support());
    let full = finish(
        Grid::from_values(ax, gx, &values(None), sa, sg)?,
        available,
        growth,
    );
    let mut influence = Vec::new();
    for (s, (study, members)) in group(rows).into_iter().enumerate() {
        let grid = Grid::from_values(ax, gx, &values(Some(s)), sa, sg)?;
        // Without the study the mass may reach beyond the grid: then the posterior is found
        // anew. An edge density below e^-10 of the mode's leaves out too little mass to move a
        // median (the influence reports medians).
        let without = if grid.edge < -INFLUENCE_DROP {
            finish(grid, available, growth)
        } else {
            let rest: Vec<InferenceRow> = rows
                .iter()
                .enumerate()
                .filter(|(i, _)| !members.contains(i))
                .map(|(_, r)| r.clone())
                .collect();
            posterior(available, growth, &rest, settings)?
        };
        influence.push(StudyInfluence {
            study,
            rows: members,
            available_p50: without.available.p50,
            growth_p50: without.growth.p50,
            available_shift: full.available.p50 - without.available.p50,
            growth_shift: full.growth.p50 - without.growth.p50,
        });
    }
    // Half the cells: the vague posterior is read for its median and 90% interval only.
    let coarse = InferenceSettings {
        grid: settings.grid.div_ceil(2).max(16),
        ..*settings
    };
    let vague = posterior(&available.vague(), &growth.vague(), rows, &coarse)?;
    Ok(Inference {
        posterior: full,
        influence,
        vague,
    })
}
