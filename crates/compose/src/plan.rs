//! A scenario turned into what the kernel needs: parameter slots, uncertain inputs, the grid.

use std::collections::BTreeMap;

use overhang_model::{Estimate, FittedGrowth, GrowthShape, Method, Model, Scenario, Threshold};

use crate::SimError;
use crate::sampler::{Sampler, Transform};

mod grid;
mod slots;

use slots::Builder;

/// The months after release at which the growth after release alone is compared with each
/// threshold, and at which its quantiles are reported (besides the horizon).
pub(crate) const GROWTH_MONTHS: [u32; 3] = [3, 6, 12];

/// One uncertain input of the model.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// Dotted path, for example `categories.scaffolding.available`.
    pub id: String,
    /// Label for the report.
    pub label: String,
    /// How it is drawn.
    pub sampler: Sampler,
    /// Its `ChaCha` key.
    pub key: [u8; 32],
    /// The parameter slot it fills.
    pub slot: usize,
    /// Drawn through the copula of [`Plan::dependence`] rather than on its own.
    pub dependent: bool,
}

/// The slots of an inference budget the plan is held to (see [`Plan::at_budget`]): the log10
/// budget, the exchange rate, and per category with a cost its index and the slot of its log10
/// cost.
#[derive(Debug, Clone)]
pub(crate) struct BudgetDraw {
    /// The slot of the log10 budget.
    pub budget: usize,
    /// The slot of the exchange rate (OOM of inference per OOM of training).
    pub exchange: usize,
    /// `(category, slot of its log10 inference cost)`.
    pub costs: Vec<(usize, usize)>,
}

/// The draws that depend on each other: a one-factor Gaussian copula over the categories'
/// available CEGs, another over their growth rates, and within each category its elicited CEG
/// correlated with its available CEG.
///
/// An input's normal score is `z = Phi^-1(u)` of its own uniform `u`. An available CEG takes
/// `z' = sqrt(rho) z_0 + sqrt(1 - rho) z`, `z_0` the common factor's score (its own stream), so
/// any two categories' scores have correlation `rho`; growth rates likewise with their own
/// factor; an elicited CEG takes `z' = r z'_A + sqrt(1 - r^2) z` from its category's available
/// score. Each `z'` is standard normal, so the input keeps its distribution: its value is its
/// quantile function at `Phi(z')`.
#[derive(Debug, Clone)]
pub(crate) struct Dependence {
    /// The key of the common factor of the available CEGs.
    pub available_factor: [u8; 32],
    /// The key of the common factor of the growth rates.
    pub growth_factor: [u8; 32],
    /// Per category, the inputs of its available CEG, elicited CEG and growth, when uncertain.
    pub members: Vec<Member>,
}

/// One category's inputs in the copula.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Member {
    /// The input of the available CEG.
    pub available: Option<usize>,
    /// The input of the elicited CEG.
    pub elicited: Option<usize>,
    /// The input of the growth rate.
    pub growth: Option<usize>,
}

/// What fills a parameter slot.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SlotValue {
    /// A known value (already transformed).
    Const(f64),
    /// The draws of an uncertain input.
    Input(usize),
}

/// A scenario ready to simulate.
///
/// Slots, per category `c`: `4c` log10 available, `4c + 1` log10 elicited, `4c + 2` growth in
/// OOM/year, `4c + 3` log10 cap (infinity without one); then kappa, then one slot per pair
/// `i < j` in category order (pairwise method only); then ([`Plan::extra`] onwards) the
/// saturation time constant in years, the log10 aggregate ceiling (infinity without one), the
/// three correlations: available, growth, available with elicited; then per category its lag
/// in years (0 without one, infinity for never) and per category its log10 gap at release (0
/// without one; see [`Plan::gaps`]).
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Scenario id.
    pub scenario: String,
    /// Category ids and labels.
    pub categories: Vec<(String, String)>,
    /// The aggregation.
    pub method: Method,
    /// What fills each slot.
    pub slots: Vec<SlotValue>,
    /// Uncertain inputs, in slot order.
    pub inputs: Vec<Input>,
    /// For the pairwise method, the slot of the composability of categories `i` and `j` at
    /// `i * n + j` and at `j * n + i` (`n` categories; the diagonal is unused); else empty.
    pub pair_slots: Vec<usize>,
    /// Months of the grid.
    pub months: Vec<u32>,
    /// The grid in years.
    pub years: Vec<f64>,
    /// log10 of each threshold's multiplier.
    pub thresholds: Vec<f64>,
    /// Grid steps of the sensitivity analysis and histograms: 12 months (or the nearest step)
    /// and the horizon, without repeats.
    pub sens_steps: Vec<usize>,
    /// The interval of the main step (the first threshold with a cadence), whose growth after
    /// the evaluation the "since the last evaluation" ranking explains (see
    /// [`Plan::answer_cols`]).
    pub main_cadence: Option<u32>,
    /// The thresholds with a cadence or a tolerance, whose policy answers need the first whole
    /// month each draw reaches them: index into `thresholds`, in order.
    pub policy: Vec<usize>,
    /// The distinct intervals in months, ascending, at which the growth after the evaluation
    /// `max(U(m) - U(0), 0)` is wanted: the thresholds' cadences and the calendar legs of the
    /// clauses (see [`Plan::with_intervals`]).
    pub cadences: Vec<u32>,
    /// The calendar legs of the clauses whose worth is wanted (see [`Plan::with_intervals`]).
    pub intervals: Vec<crate::answers::Interval>,
    /// The months after release at which the growth after release is reported ([`GROWTH_MONTHS`]
    /// and the horizon, within the horizon), ascending.
    pub growth_months: Vec<u32>,
    /// The slot of the saturation time constant, the first after the pair composabilities.
    pub extra: usize,
    /// Whether levels saturate towards their caps (else they grow linearly).
    pub saturating: bool,
    /// Whether the aggregate has a ceiling.
    pub ceiling: bool,
    /// The copula, when some correlation is not the point 0.
    pub dependence: Option<Dependence>,
    /// Slots copied from another after every draw: `(from, to)`, a frozen category's elicited
    /// CEG into its available one (`available = "elicited"`).
    pub copies: Vec<(usize, usize)>,
    /// The categories whose elicited level follows from a stated gap: after every draw (and
    /// the copies), `E_c = max(A_c - max(G_c, 0), 0)` in log10, so the gap the inputs state is
    /// the gap the model uses. In category order.
    pub gaps: Vec<usize>,
    /// The categories whose level and growth are drawn jointly from their posterior, with it:
    /// after every draw (before the copies and gaps), the growth slot, which holds a uniform
    /// `u`, becomes the growth at `u` of its distribution given the drawn level's cell. In
    /// category order.
    pub joint: Vec<(usize, std::sync::Arc<overhang_model::JointTable>)>,
    /// Whether some category has a lag: its level is then what the release shipped with (its
    /// elicited level) until the lag, and `L_c(t)` from it on.
    pub lagged: bool,
    /// The inference budget the plan holds the categories to, drawn per sample (see
    /// [`Plan::at_budget`]); `None` for the unconstrained run.
    pub budget: Option<BudgetDraw>,
    /// Sentences about the run.
    pub notes: Vec<String>,
}

impl Plan {
    /// The plan held to the evaluation's inference budget: in every draw, each category `c`
    /// with an inference cost has its log10 available CEG and log10 cap lowered by
    /// `max(log10 cost_c - log10 budget, 0) / exchange` OOM, the three drawn per sample like
    /// every other estimate (their own streams), so the spread of the cost and of the exchange
    /// rate reaches the result. Lowering the level at release and the cap together lowers
    /// `L_c(t)` by as much under linear and saturating growth alike. The elicited level is
    /// still clamped to the lowered level at release: the evaluation cannot have captured more
    /// than its budget buys.
    pub(crate) fn at_budget(
        &self,
        costs: &[Option<&Estimate>],
        budget: &Estimate,
        exchange: &Estimate,
        seed: u64,
    ) -> Result<Plan, SimError> {
        let mut plan = self.clone();
        let budget_slot = plan.push_estimate(
            "evaluation.inference_multiple",
            "Inference budget of the evaluation",
            budget,
            Transform::Log10,
            seed,
        )?;
        let exchange_slot = plan.push_estimate(
            "evaluation.inference_exchange",
            "Inference-training exchange rate",
            exchange,
            Transform::Identity,
            seed,
        )?;
        let mut costs_at = Vec::new();
        for (c, cost) in costs.iter().enumerate() {
            if let Some(cost) = cost {
                let id = format!("categories.{}.inference_cost", plan.categories[c].0);
                let label = format!("{}: inference cost", plan.categories[c].1);
                let slot = plan.push_estimate(&id, &label, cost, Transform::Log10, seed)?;
                costs_at.push((c, slot));
            }
        }
        plan.budget = Some(BudgetDraw {
            budget: budget_slot,
            exchange: exchange_slot,
            costs: costs_at,
        });
        Ok(plan)
    }

    /// Appends a slot filled with the estimate `e` (an input of its own stream when uncertain),
    /// as the plan's own slots were filled; the slot.
    fn push_estimate(
        &mut self,
        id: &str,
        label: &str,
        e: &Estimate,
        transform: Transform,
        seed: u64,
    ) -> Result<usize, SimError> {
        let mut b = Builder::new(&self.scenario, seed);
        b.slots = std::mem::take(&mut self.slots);
        b.inputs = std::mem::take(&mut self.inputs);
        let slot = b.slots.len();
        let filled = b.estimate(id, label, e, transform);
        self.slots = b.slots;
        self.inputs = b.inputs;
        filled.map(|_| slot)
    }

    /// Columns of a block's results whose order statistics are wanted: `U` per step, crossing
    /// month per threshold, `L_c` at the horizon per category, the growth after the evaluation
    /// at each interval of [`Plan::cadences`], then `U`
    /// and the growth after release `max(U(t) - U(0), 0)` at each growth month.
    /// Refuses an input whose value at the most extreme probability drawn is not finite, and
    /// an uplift beyond [`crate::MAX_UPLIFT_LOG10`] at the largest values drawn: the errors
    /// the kernel would raise when a draw comes close enough to them.
    pub(crate) fn check_extremes(&self) -> Result<(), SimError> {
        // A uniform draw lies in [2^-54, 1), a correlated one goes through a normal score
        // whose probability is clamped at 1e-300. Tails are probed at four probabilities a
        // decade: a quantile function computed numerically need not be monotone to the last
        // bit, so the extremes alone do not bound every draw.
        let lowest = |dependent: bool| {
            if dependent {
                1e-300
            } else {
                0.5 / 9_007_199_254_740_992.0
            }
        };
        let highest_p = 1.0 - f64::EPSILON / 2.0;
        let non_finite = |input: &str| SimError::NonFinite {
            input: input.to_owned(),
            scenario: self.scenario.clone(),
        };
        for input in &self.inputs {
            let floor = lowest(input.dependent);
            let mut p: f64 = 0.5;
            let mut probes = Vec::new();
            while p > floor {
                probes.extend([p, (1.0 - p).min(highest_p)]);
                p *= 0.562_341_325; // 10^-0.25
            }
            probes.extend([floor, highest_p]);
            if probes
                .iter()
                .any(|&p| !input.sampler.value_at(p).is_finite())
                || input.sampler.may_draw_zero_or_nan()
            {
                return Err(non_finite(&input.id));
            }
        }
        if self.saturating || self.ceiling {
            // A saturating level stays below its cap; a ceiling bounds the aggregate.
            return Ok(());
        }
        let highest = |slot: usize| match self.slots[slot] {
            SlotValue::Const(v) => v,
            SlotValue::Input(i) => self.inputs[i].sampler.value_at(highest_p),
        };
        let years = self.years.last().copied().unwrap_or(0.0);
        let mut total = 0.0;
        let mut largest = (0.0, "available", 0);
        for c in 0..self.categories.len() {
            let (a, gt) = (
                highest(Self::available(c)),
                highest(Self::growth(c)) * years,
            );
            let level = (a + gt.max(0.0)).min(highest(Self::cap(c))).max(0.0);
            total += level;
            if level > largest.0 {
                largest = (level, if gt > a { "growth" } else { "available" }, c);
            }
        }
        if total > crate::MAX_UPLIFT_LOG10 {
            let (_, term, c) = largest;
            return Err(non_finite(&format!(
                "categories.{}.{term}",
                self.categories[c].0
            )));
        }
        Ok(())
    }

    pub(crate) fn columns(&self) -> usize {
        self.years.len()
            + self.thresholds.len()
            + self.categories.len()
            + self.cadences.len()
            + 2 * self.growth_months.len()
    }

    /// The column of the growth after the evaluation at interval `i` of [`Plan::cadences`].
    pub(crate) fn cadence_col(&self, i: usize) -> usize {
        self.years.len() + self.thresholds.len() + self.categories.len() + i
    }

    /// The columns whose variance the policy answers' rankings split: the gap at release
    /// (`U(0)`, the first column when the grid starts at release) and the growth after the
    /// evaluation over the main step's interval, each with the answer it serves.
    pub(crate) fn answer_cols(&self) -> Vec<(overhang_model::results::PolicyAnswer, usize)> {
        use overhang_model::results::PolicyAnswer;
        let mut cols = Vec::new();
        if self.main_cadence.is_none() {
            return cols;
        }
        if let Some(i) = self
            .main_cadence
            .and_then(|c| self.cadences.iter().position(|&x| x == c))
        {
            cols.push((PolicyAnswer::SinceEvaluation, self.cadence_col(i)));
        }
        if self.months.first() == Some(&0) {
            cols.push((PolicyAnswer::Adequacy, 0));
        }
        cols
    }

    /// The columns the first-order shares are accumulated for: the sensitivity steps, then
    /// [`Plan::answer_cols`]; at most [`crate::engine::MAX_SENS`].
    pub(crate) fn sens_cols(&self) -> Vec<usize> {
        self.sens_steps
            .iter()
            .copied()
            .chain(self.answer_cols().into_iter().map(|(_, c)| c))
            .collect()
    }

    /// The column of `U` at growth month `i` of [`Plan::growth_months`].
    pub(crate) fn growth_u_col(&self, i: usize) -> usize {
        self.cadence_col(self.cadences.len()) + i
    }

    /// The column of the growth after release at growth month `i` of [`Plan::growth_months`].
    pub(crate) fn growth_col(&self, i: usize) -> usize {
        self.growth_u_col(self.growth_months.len()) + i
    }

    /// Every column of a block's results: [`Plan::columns`], then the first whole month at
    /// which the uplift reaches each threshold of [`Plan::policy`] (infinity for none), then
    /// the first whole month at which the growth after the evaluation alone, `U(m) - U(0)`,
    /// does; both only counted.
    pub(crate) fn width(&self) -> usize {
        self.columns() + 2 * self.policy.len()
    }

    /// The plan with the growth after the evaluation also wanted at each calendar leg of the
    /// clauses (within the horizon), whose worth the results give.
    pub(crate) fn with_intervals(mut self, intervals: Vec<crate::answers::Interval>) -> Self {
        let horizon = self.horizon();
        self.intervals = intervals
            .into_iter()
            .filter(|i| (1..=horizon).contains(&i.months))
            .collect();
        self.cadences
            .extend(self.intervals.iter().map(|i| i.months));
        self.cadences.sort_unstable();
        self.cadences.dedup();
        self
    }

    /// The column of the growth after the evaluation at `months`, when the plan has it.
    pub(crate) fn interval_col(&self, months: u32) -> Option<usize> {
        self.cadences
            .binary_search(&months)
            .ok()
            .map(|i| self.cadence_col(i))
    }

    /// The horizon in months: the last month of the grid.
    pub(crate) fn horizon(&self) -> u32 {
        self.months.last().copied().unwrap_or(0)
    }

    /// Slot of a category's log10 available.
    pub(crate) fn available(c: usize) -> usize {
        4 * c
    }
    /// Slot of a category's log10 elicited.
    pub(crate) fn elicited(c: usize) -> usize {
        4 * c + 1
    }
    /// Slot of a category's growth.
    pub(crate) fn growth(c: usize) -> usize {
        4 * c + 2
    }
    /// Slot of a category's log10 cap.
    pub(crate) fn cap(c: usize) -> usize {
        4 * c + 3
    }
    /// Slot of kappa.
    pub(crate) fn kappa(&self) -> usize {
        4 * self.categories.len()
    }
    /// Slot of the saturation time constant (years).
    pub(crate) fn tau(&self) -> usize {
        self.extra
    }
    /// Slot of the log10 aggregate ceiling.
    pub(crate) fn ceiling_slot(&self) -> usize {
        self.extra + 1
    }
    /// Slot of the correlation of the available CEGs.
    pub(crate) fn rho_available(&self) -> usize {
        self.extra + 2
    }
    /// Slot of the correlation of the growth rates.
    pub(crate) fn rho_growth(&self) -> usize {
        self.extra + 3
    }
    /// Slot of the correlation of each category's elicited with its available CEG.
    pub(crate) fn rho_elicited(&self) -> usize {
        self.extra + 4
    }
    /// Slot of category `c`'s lag in years.
    pub(crate) fn lag(&self, c: usize) -> usize {
        self.extra + 5 + c
    }
    /// Slot of category `c`'s log10 gap at release.
    pub(crate) fn gap(&self, c: usize) -> usize {
        self.extra + 5 + self.categories.len() + c
    }
    /// [`Plan::pair_slots`] of `n` categories and their `pairs` `(i, j)`, `i < j`, whose slots
    /// follow kappa's in that order.
    pub(crate) fn pair_slot_matrix(n: usize, pairs: &[(usize, usize)]) -> Vec<usize> {
        if pairs.is_empty() {
            return Vec::new();
        }
        let mut m = vec![0; n * n];
        for (p, &(i, j)) in pairs.iter().enumerate() {
            let slot = 4 * n + 1 + p;
            m[i * n + j] = slot;
            m[j * n + i] = slot;
        }
        m
    }

    /// Builds the plan of one scenario: its slots in order (see [`Plan`]), then its grid.
    pub(crate) fn new(
        scenario: &Scenario,
        model: &Model,
        fitted: &BTreeMap<String, FittedGrowth>,
        months: Vec<u32>,
        thresholds: &[Threshold],
        seed: u64,
    ) -> Result<Self, SimError> {
        let cats = &scenario.categories;
        let saturating = model.growth_shape == GrowthShape::Saturating;
        let mut notes = Vec::new();
        let mut b = Builder::new(&scenario.id, seed);
        let filled = b.categories(cats, fitted, saturating, &mut notes)?;
        b.kappa(scenario)?;
        let pairs = b.pairs(scenario)?;
        let extra = b.slots.len();
        b.model(model, saturating)?;
        let lagged = b.lags_and_gaps(cats)?;
        let dependence = b.dependence(model, filled.members);
        if saturating {
            notes.push(
                "Growth is saturating: each category's level approaches its cap with the \
                 saturation time constant, and the categories' growth rates are not used."
                    .to_owned(),
            );
        }
        let horizon = months.last().copied().unwrap_or(0);
        Ok(Self {
            scenario: scenario.id.clone(),
            categories: cats
                .iter()
                .map(|c| (c.id.clone(), c.label.clone()))
                .collect(),
            method: scenario.composability.method,
            slots: b.slots,
            inputs: b.inputs,
            pair_slots: Self::pair_slot_matrix(cats.len(), &pairs),
            years: months.iter().map(|&m| f64::from(m) / 12.0).collect(),
            sens_steps: grid::sens_steps(&months, &mut notes),
            main_cadence: thresholds.iter().find_map(|t| t.cadence_months),
            months,
            thresholds: thresholds
                .iter()
                .map(|t| libm::log10(t.multiplier))
                .collect(),
            policy: grid::policy(thresholds),
            cadences: grid::cadences(thresholds, horizon),
            intervals: Vec::new(),
            growth_months: grid::growth_months(horizon),
            extra,
            saturating,
            ceiling: model.ceiling.is_some(),
            dependence,
            copies: filled.copies,
            gaps: filled.gaps,
            joint: filled.joint,
            lagged,
            budget: None,
            notes,
        })
    }
}
