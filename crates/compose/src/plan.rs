//! A scenario turned into what the kernel needs: parameter slots, uncertain inputs, the grid.

use std::collections::BTreeMap;

use overhang_model::{
    Available, Category, Estimate, FittedGrowth, Growth, GrowthShape, Method, Model, Scenario,
    Threshold,
};

use crate::SimError;
use crate::sampler::{Sampler, Transform, stream_key};

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
/// saturation time constant in years, the log10 aggregate ceiling (infinity without one), and
/// the three correlations: available, growth, available with elicited.
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
    /// Slots lowered after every draw (and after the copies): `(slot, oom)`, the available
    /// CEG and cap of a category held at an inference budget (see [`Plan::at_budget`]).
    pub shifts: Vec<(usize, f64)>,
    /// Sentences about the run.
    pub notes: Vec<String>,
}

impl Plan {
    /// The plan with category `c`'s log10 available CEG and log10 cap lowered by
    /// `penalties[c]` OOM in every draw, so its level `L_c(t)` is lowered by as much (linear
    /// and saturating growth are both unchanged by a shift of the level at release and the
    /// cap together). The elicited level is still clamped to the lowered level at release:
    /// the evaluation cannot have captured more than its budget buys.
    pub(crate) fn at_budget(&self, penalties: &[f64]) -> Plan {
        let mut plan = self.clone();
        for (c, &p) in penalties.iter().enumerate().filter(|(_, p)| **p > 0.0) {
            for slot in [Self::available(c), Self::cap(c)] {
                let copied = plan.copies.iter().any(|&(_, to)| to == slot);
                match plan.slots[slot] {
                    SlotValue::Const(v) if !copied => plan.slots[slot] = SlotValue::Const(v - p),
                    _ => plan.shifts.push((slot, p)),
                }
            }
        }
        plan
    }

    /// Columns of a block's results whose order statistics are wanted: `U` per step, crossing
    /// month per threshold, `L_c` at the horizon per category, the growth after the evaluation
    /// at each interval of [`Plan::cadences`], then `U`
    /// and the growth after release `max(U(t) - U(0), 0)` at each growth month.
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

    /// Builds the plan of one scenario.
    pub(crate) fn new(
        scenario: &Scenario,
        model: &Model,
        fitted: &BTreeMap<String, FittedGrowth>,
        months: Vec<u32>,
        thresholds: &[Threshold],
        seed: u64,
    ) -> Result<Self, SimError> {
        let cats = &scenario.categories;
        let mut b = Builder {
            scenario: scenario.id.clone(),
            seed,
            slots: Vec::new(),
            inputs: Vec::new(),
        };
        let mut notes = Vec::new();
        let saturating = model.growth_shape == GrowthShape::Saturating;
        let mut members = Vec::new();
        let mut copies = Vec::new();
        for (c, cat) in cats.iter().enumerate() {
            let mut member = Member::default();
            match &cat.available {
                Available::Estimate(available) => {
                    member.available = b.estimate(
                        &format!("categories.{}.available", cat.id),
                        &format!("{}: available CEG", cat.label),
                        available,
                        Transform::Log10,
                    )?;
                }
                // Filled below, from the elicited slot.
                Available::Elicited => b.slots.push(SlotValue::Const(0.0)),
            }
            let elicited = b.estimate(
                &format!("categories.{}.elicited", cat.id),
                &format!("{}: elicited CEG", cat.label),
                &cat.elicited,
                Transform::Log10,
            )?;
            match (&cat.available, elicited) {
                (Available::Elicited, Some(_)) => {
                    copies.push((Self::elicited(c), Self::available(c)));
                }
                (Available::Elicited, None) => {
                    b.slots[Self::available(c)] = b.slots[Self::elicited(c)];
                }
                (Available::Estimate(_), _) => member.elicited = elicited,
            }
            if saturating {
                // Saturating levels move by the time constant, not by a rate.
                b.slots.push(SlotValue::Const(0.0));
            } else {
                member.growth = growth(&mut b, cat, fitted, &mut notes)?;
            }
            members.push(member);
            match &cat.cap {
                Some(cap) => {
                    b.estimate(
                        &format!("categories.{}.cap", cat.id),
                        &format!("{}: cap", cat.label),
                        cap,
                        Transform::Log10,
                    )?;
                }
                None => b.slots.push(SlotValue::Const(f64::INFINITY)),
            }
        }
        let comp = &scenario.composability;
        match (comp.method, &comp.kappa) {
            // Learned from measured combinations: drawn from the posterior by its quantile
            // function, from the same stream as the prior would be.
            (Method::LargestFirst, Some(_)) if comp.learned.is_some() => {
                let table = comp.learned.as_ref().map(|l| l.table.clone());
                if let Some(table) = table {
                    b.push_input(
                        "composability.kappa".to_owned(),
                        "Composability: kappa (learned)".to_owned(),
                        Sampler::Tabulated { table },
                    );
                }
            }
            (Method::LargestFirst, Some(kappa)) => {
                b.estimate(
                    "composability.kappa",
                    "Composability: kappa",
                    kappa,
                    Transform::Unit,
                )?;
            }
            (Method::LargestFirst, None) => {
                return Err(SimError::MissingComposability {
                    scenario: scenario.id.clone(),
                    what: "kappa for the largest-first method".to_owned(),
                });
            }
            _ => b.slots.push(SlotValue::Const(1.0)),
        }
        let mut pairs = Vec::new();
        if comp.method == Method::Pairwise {
            for (i, a) in cats.iter().enumerate() {
                for (j, c) in cats.iter().enumerate().skip(i + 1) {
                    let listed = comp
                        .pairs
                        .iter()
                        .find(|p| (p.a == a.id && p.b == c.id) || (p.a == c.id && p.b == a.id));
                    let (estimate, suffix) = match (listed, &comp.default_pair) {
                        (Some(p), _) => (&p.composability, ""),
                        (None, Some(d)) => (d, " (default)"),
                        (None, None) => {
                            return Err(SimError::MissingComposability {
                                scenario: scenario.id.clone(),
                                what: format!("the composability of {} and {}", a.id, c.id),
                            });
                        }
                    };
                    let id = format!("composability.pairs.{}.{}", a.id, c.id);
                    // Learned from measured combinations: drawn from the pair's posterior by
                    // its quantile function, from the stream its prior would use.
                    if let Some(learned) =
                        comp.learned_pairs.iter().find(|p| p.is_pair(&a.id, &c.id))
                    {
                        b.push_input(
                            id,
                            format!(
                                "Composability of {} and {}, learned from measured combinations",
                                a.label, c.label
                            ),
                            Sampler::Tabulated {
                                table: learned.learned.table.clone(),
                            },
                        );
                    } else {
                        b.estimate(
                            &id,
                            &format!("Composability of {} and {}{suffix}", a.label, c.label),
                            estimate,
                            Transform::Unit,
                        )?;
                    }
                    pairs.push((i, j));
                }
            }
        }

        let extra = b.slots.len();
        match &model.saturation_years {
            Some(tau) if saturating => {
                b.estimate(
                    "simulation.saturation_years",
                    "Saturation time constant (years)",
                    tau,
                    Transform::Identity,
                )?;
            }
            _ => b.slots.push(SlotValue::Const(f64::INFINITY)),
        }
        match &model.ceiling {
            Some(ceiling) => {
                b.estimate(
                    "composability.ceiling",
                    "Ceiling on the combined CEG",
                    ceiling,
                    Transform::Log10,
                )?;
            }
            None => b.slots.push(SlotValue::Const(f64::INFINITY)),
        }
        let correlations = [
            (
                "simulation.correlation",
                "Correlation of the available CEGs",
                &model.correlation,
            ),
            (
                "simulation.growth_correlation",
                "Correlation of the growth rates",
                &model.growth_correlation,
            ),
            (
                "simulation.available_elicited_correlation",
                "Correlation of elicited with available CEG",
                &model.available_elicited_correlation,
            ),
        ];
        for (id, label, e) in correlations {
            b.estimate(id, label, e, Transform::Unit)?;
        }
        let dependence = (!model.is_independent()).then(|| {
            for m in &members {
                for i in [m.available, m.elicited, m.growth].into_iter().flatten() {
                    b.inputs[i].dependent = true;
                }
            }
            Dependence {
                available_factor: stream_key(seed, "simulation.correlation.factor"),
                growth_factor: stream_key(seed, "simulation.growth_correlation.factor"),
                members,
            }
        });
        if saturating {
            notes.push(
                "Growth is saturating: each category's level approaches its cap with the \
                 saturation time constant, and the categories' growth rates are not used."
                    .to_owned(),
            );
        }

        let years: Vec<f64> = months.iter().map(|&m| f64::from(m) / 12.0).collect();
        let last = months.len() - 1;
        let twelve = months
            .iter()
            .enumerate()
            .min_by_key(|&(_, &m)| m.abs_diff(12))
            .map_or(last, |(i, _)| i);
        if months[twelve] != 12 {
            notes.push(format!(
                "The horizon grid has no 12-month step: the sensitivity and histogram reported for \
                 12 months use the nearest step, {} months.",
                months[twelve]
            ));
        }
        let mut sens_steps = vec![twelve];
        if last != twelve {
            sens_steps.push(last);
        }
        let policy: Vec<usize> = thresholds
            .iter()
            .enumerate()
            .filter(|(_, t)| t.cadence_months.is_some() || t.tolerance.is_some())
            .map(|(k, _)| k)
            .collect();
        let mut cadences: Vec<u32> = thresholds.iter().filter_map(|t| t.cadence_months).collect();
        cadences.sort_unstable();
        cadences.dedup();
        // A cadence beyond the horizon (which loading refuses) has no month to be read at.
        cadences.retain(|&c| c <= months[last]);
        let mut growth_months: Vec<u32> = GROWTH_MONTHS
            .into_iter()
            .chain([months[last]])
            .filter(|m| (1..=months[last]).contains(m))
            .collect();
        growth_months.sort_unstable();
        growth_months.dedup();
        Ok(Self {
            scenario: scenario.id.clone(),
            categories: cats
                .iter()
                .map(|c| (c.id.clone(), c.label.clone()))
                .collect(),
            method: comp.method,
            slots: b.slots,
            inputs: b.inputs,
            pair_slots: Self::pair_slot_matrix(cats.len(), &pairs),
            months,
            years,
            thresholds: thresholds
                .iter()
                .map(|t| libm::log10(t.multiplier))
                .collect(),
            sens_steps,
            policy,
            cadences,
            intervals: Vec::new(),
            growth_months,
            extra,
            saturating,
            ceiling: model.ceiling.is_some(),
            dependence,
            copies,
            shifts: Vec::new(),
            notes,
        })
    }
}

/// Fills a category's growth slot; the input's index when the growth is uncertain.
fn growth(
    b: &mut Builder,
    cat: &Category,
    fitted: &BTreeMap<String, FittedGrowth>,
    notes: &mut Vec<String>,
) -> Result<Option<usize>, SimError> {
    let id = format!("categories.{}.growth", cat.id);
    let label = format!("{}: growth (OOM/year)", cat.label);
    match &cat.growth {
        Growth::Estimate(e) => b.estimate(&id, &label, e, Transform::Identity),
        Growth::Fit | Growth::ScopeFit(_) => {
            let key = cat.growth.fitted_key(&cat.id).unwrap_or_default();
            let Some(FittedGrowth::StudentT {
                location,
                scale,
                df,
                origin,
            }) = fitted.get(&key)
            else {
                return Err(SimError::MissingFit {
                    category: cat.id.clone(),
                    scenario: b.scenario.clone(),
                });
            };
            let valid = location.is_finite()
                && scale.is_finite()
                && *scale >= 0.0
                && df.is_finite()
                && *df > 0.0;
            if !valid {
                return Err(SimError::NonFinite {
                    input: id,
                    scenario: b.scenario.clone(),
                });
            }
            notes.push(format!(
                "{}: growth from the trend fit, {location:.4} OOM/year with standard error \
                 {scale:.4} (Student t, {df} degrees of freedom). {origin}",
                cat.label
            ));
            if *scale == 0.0 {
                b.slots.push(SlotValue::Const(*location));
                Ok(None)
            } else {
                Ok(Some(b.push_input(
                    id,
                    label,
                    Sampler::student_t(*location, *scale, *df),
                )))
            }
        }
    }
}

struct Builder {
    scenario: String,
    seed: u64,
    slots: Vec<SlotValue>,
    inputs: Vec<Input>,
}

impl Builder {
    /// Fills the next slot with the estimate; the input's index when it is uncertain.
    fn estimate(
        &mut self,
        id: &str,
        label: &str,
        e: &Estimate,
        transform: Transform,
    ) -> Result<Option<usize>, SimError> {
        let sampler = Sampler::for_distribution(*e.distribution(), transform);
        if e.is_point() {
            let v = sampler.value_at(0.5);
            if !v.is_finite() {
                return Err(SimError::NonFinite {
                    input: id.to_owned(),
                    scenario: self.scenario.clone(),
                });
            }
            self.slots.push(SlotValue::Const(v));
            Ok(None)
        } else {
            Ok(Some(self.push_input(
                id.to_owned(),
                label.to_owned(),
                sampler,
            )))
        }
    }

    fn push_input(&mut self, id: String, label: String, sampler: Sampler) -> usize {
        let slot = self.slots.len();
        self.slots.push(SlotValue::Input(self.inputs.len()));
        self.inputs.push(Input {
            key: stream_key(self.seed, &id),
            id,
            label,
            sampler,
            slot,
            dependent: false,
        });
        self.inputs.len() - 1
    }
}
