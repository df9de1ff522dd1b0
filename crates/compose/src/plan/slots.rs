//! The parameter slots of a plan, filled in slot order: each category's four, kappa, the pair
//! composabilities, then the model's saturation, ceiling and correlations.

use std::collections::BTreeMap;

use overhang_model::{
    Available, Category, Estimate, FittedGrowth, Growth, Lag, Method, Model, Scenario,
};

use super::{Dependence, Input, Member, Plan, SlotValue};
use crate::SimError;
use crate::sampler::{Part, Sampler, Transform, stream_key};

/// The slots and inputs of a plan as they are filled.
pub(super) struct Builder {
    scenario: String,
    seed: u64,
    pub slots: Vec<SlotValue>,
    pub inputs: Vec<Input>,
}

/// What filling the categories' slots gives besides the slots: each category's inputs for the
/// copula, and the slot copies of the frozen categories (see [`Plan::copies`]).
pub(super) struct Categories {
    pub members: Vec<Member>,
    pub copies: Vec<(usize, usize)>,
    /// The categories whose elicited level follows from a stated gap (see [`Plan::gaps`]).
    pub gaps: Vec<usize>,
    /// The categories whose level and growth are drawn jointly from a posterior (see
    /// [`Plan::joint`]).
    pub joint: Vec<(usize, std::sync::Arc<overhang_model::JointTable>)>,
}

impl Builder {
    pub(super) fn new(scenario: &str, seed: u64) -> Self {
        Builder {
            scenario: scenario.to_owned(),
            seed,
            slots: Vec::new(),
            inputs: Vec::new(),
        }
    }

    /// Fills the four slots of every category, in order (see [`Plan`]); the growth notes go
    /// to `notes`.
    pub(super) fn categories(
        &mut self,
        cats: &[Category],
        fitted: &BTreeMap<String, FittedGrowth>,
        saturating: bool,
        notes: &mut Vec<String>,
    ) -> Result<Categories, SimError> {
        let mut out = Categories {
            members: Vec::new(),
            copies: Vec::new(),
            gaps: Vec::new(),
            joint: Vec::new(),
        };
        for (c, cat) in cats.iter().enumerate() {
            let mut member = Member::default();
            if cat.gap.is_some() {
                if cat.available == Available::Elicited {
                    return Err(SimError::GapOfFrozen {
                        category: cat.id.clone(),
                        scenario: self.scenario.clone(),
                    });
                }
                out.gaps.push(c);
            }
            self.available_and_elicited(c, cat, &mut member, &mut out.copies)?;
            if saturating {
                // Saturating levels move by the time constant, not by a rate.
                self.slots.push(SlotValue::Const(0.0));
            } else if let Some(p) = cat.posterior.as_ref().filter(|p| p.growth) {
                let part = if p.available {
                    out.joint.push((c, p.table.clone()));
                    Part::GrowthGiven
                } else {
                    Part::Growth
                };
                member.growth = Some(self.push_input(
                    format!("categories.{}.growth", cat.id),
                    format!("{}: growth (OOM/year, posterior)", cat.label),
                    Sampler::Posterior {
                        table: p.table.clone(),
                        part,
                    },
                ));
            } else {
                member.growth = self.growth(cat, fitted, notes)?;
            }
            out.members.push(member);
            self.optional(
                &format!("categories.{}.cap", cat.id),
                &format!("{}: cap", cat.label),
                cat.cap.as_ref(),
                Transform::Log10,
            )?;
        }
        Ok(out)
    }

    /// Fills category `c`'s available and elicited slots. A frozen category's available slot
    /// takes its elicited value: a copy after every draw when that is uncertain, else the
    /// constant.
    fn available_and_elicited(
        &mut self,
        c: usize,
        cat: &Category,
        member: &mut Member,
        copies: &mut Vec<(usize, usize)>,
    ) -> Result<(), SimError> {
        match &cat.available {
            Available::Estimate(_) if cat.posterior.as_ref().is_some_and(|p| p.available) => {
                let table = cat.posterior.as_ref().map(|p| p.table.clone());
                member.available = table.map(|table| {
                    self.push_input(
                        format!("categories.{}.available", cat.id),
                        format!("{}: available CEG (posterior)", cat.label),
                        Sampler::Posterior {
                            table,
                            part: Part::Available,
                        },
                    )
                });
            }
            Available::Estimate(available) => {
                member.available = self.estimate(
                    &format!("categories.{}.available", cat.id),
                    &format!("{}: available CEG", cat.label),
                    available,
                    Transform::Log10,
                )?;
            }
            // Filled below, from the elicited slot.
            Available::Elicited => self.slots.push(SlotValue::Const(0.0)),
        }
        let elicited = if cat.gap.is_some() {
            // Filled in every draw from the available level and the gap.
            self.slots.push(SlotValue::Const(0.0));
            None
        } else {
            self.estimate(
                &format!("categories.{}.elicited", cat.id),
                &format!("{}: elicited CEG", cat.label),
                &cat.elicited,
                Transform::Log10,
            )?
        };
        match (&cat.available, elicited) {
            (Available::Elicited, Some(_)) => {
                copies.push((Plan::elicited(c), Plan::available(c)));
            }
            (Available::Elicited, None) => {
                self.slots[Plan::available(c)] = self.slots[Plan::elicited(c)];
            }
            (Available::Estimate(_), _) => member.elicited = elicited,
        }
        Ok(())
    }

    /// Fills every category's lag slot, in years (0 without a lag, infinity for never), then
    /// every category's log10 gap slot (0 without a stated gap); whether some category has a
    /// lag.
    pub(super) fn lags_and_gaps(&mut self, cats: &[Category]) -> Result<bool, SimError> {
        let mut lagged = false;
        for cat in cats {
            match &cat.lag_months {
                None => self.slots.push(SlotValue::Const(0.0)),
                Some(Lag::Never) => {
                    lagged = true;
                    self.slots.push(SlotValue::Const(f64::INFINITY));
                }
                Some(Lag::Months(e)) => {
                    lagged |= !(e.is_point() && e.median() <= 0.0);
                    self.estimate(
                        &format!("categories.{}.lag_months", cat.id),
                        &format!("{}: lag (months)", cat.label),
                        e,
                        Transform::Years,
                    )?;
                }
            }
        }
        for cat in cats {
            match &cat.gap {
                Some(e) => {
                    self.estimate(
                        &format!("categories.{}.gap", cat.id),
                        &format!("{}: gap at release", cat.label),
                        e,
                        Transform::Log10,
                    )?;
                }
                None => self.slots.push(SlotValue::Const(0.0)),
            }
        }
        Ok(lagged)
    }

    /// Fills a category's growth slot; the input's index when the growth is uncertain.
    fn growth(
        &mut self,
        cat: &Category,
        fitted: &BTreeMap<String, FittedGrowth>,
        notes: &mut Vec<String>,
    ) -> Result<Option<usize>, SimError> {
        let id = format!("categories.{}.growth", cat.id);
        let label = format!("{}: growth (OOM/year)", cat.label);
        match &cat.growth {
            Growth::Estimate(e) => self.estimate(&id, &label, e, Transform::Identity),
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
                        scenario: self.scenario.clone(),
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
                        scenario: self.scenario.clone(),
                    });
                }
                notes.push(format!(
                    "{}: growth from the trend fit, {location:.4} OOM/year with standard error \
                     {scale:.4} (Student t, {df} degrees of freedom). {origin}",
                    cat.label
                ));
                if *scale == 0.0 {
                    self.slots.push(SlotValue::Const(*location));
                    Ok(None)
                } else {
                    Ok(Some(self.push_input(
                        id,
                        label,
                        Sampler::student_t(*location, *scale, *df),
                    )))
                }
            }
        }
    }

    /// Fills kappa's slot: drawn for the largest-first method (from its posterior when it was
    /// learned), else the constant 1, which no other method reads.
    pub(super) fn kappa(&mut self, scenario: &Scenario) -> Result<(), SimError> {
        let comp = &scenario.composability;
        match (comp.method, &comp.kappa) {
            // Learned from measured combinations: drawn from the posterior by its quantile
            // function, from the same stream as the prior would be.
            (Method::LargestFirst, Some(_)) if comp.learned.is_some() => {
                let table = comp.learned.as_ref().map(|l| l.table.clone());
                if let Some(table) = table {
                    self.push_input(
                        "composability.kappa".to_owned(),
                        "Composability: kappa (learned)".to_owned(),
                        Sampler::Tabulated { table },
                    );
                }
            }
            (Method::LargestFirst, Some(kappa)) => {
                self.estimate(
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
            _ => self.slots.push(SlotValue::Const(1.0)),
        }
        Ok(())
    }

    /// For the pairwise method, fills one slot per pair of categories `i < j`, in category
    /// order, and returns the pairs; none for another method.
    pub(super) fn pairs(&mut self, scenario: &Scenario) -> Result<Vec<(usize, usize)>, SimError> {
        let cats = &scenario.categories;
        let mut pairs = Vec::new();
        if scenario.composability.method != Method::Pairwise {
            return Ok(pairs);
        }
        for (i, a) in cats.iter().enumerate() {
            for (j, c) in cats.iter().enumerate().skip(i + 1) {
                self.pair(scenario, a, c)?;
                pairs.push((i, j));
            }
        }
        Ok(pairs)
    }

    /// Fills the slot of the composability of categories `a` and `c`: as listed, else the
    /// default; from its posterior when the combination rows inform it.
    fn pair(&mut self, scenario: &Scenario, a: &Category, c: &Category) -> Result<(), SimError> {
        let comp = &scenario.composability;
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
        // Learned from measured combinations: drawn from the pair's posterior by its quantile
        // function, from the stream its prior would use.
        if let Some(learned) = comp.learned_pairs.iter().find(|p| p.is_pair(&a.id, &c.id)) {
            self.push_input(
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
            self.estimate(
                &id,
                &format!("Composability of {} and {}{suffix}", a.label, c.label),
                estimate,
                Transform::Unit,
            )?;
        }
        Ok(())
    }

    /// Fills the slots from [`Plan::extra`] on: the saturation time constant (infinity unless
    /// growth saturates), the aggregate ceiling (infinity without one) and the three
    /// correlations.
    pub(super) fn model(&mut self, model: &Model, saturating: bool) -> Result<(), SimError> {
        self.optional(
            "simulation.saturation_years",
            "Saturation time constant (years)",
            model.saturation_years.as_ref().filter(|_| saturating),
            Transform::Identity,
        )?;
        self.optional(
            "composability.ceiling",
            "Ceiling on the combined CEG",
            model.ceiling.as_ref(),
            Transform::Log10,
        )?;
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
            self.estimate(id, label, e, Transform::Unit)?;
        }
        Ok(())
    }

    /// The copula over the categories' `members`, when some correlation is not the point 0;
    /// its inputs are then marked dependent.
    pub(super) fn dependence(&mut self, model: &Model, members: Vec<Member>) -> Option<Dependence> {
        if model.is_independent() {
            return None;
        }
        for m in &members {
            for i in [m.available, m.elicited, m.growth].into_iter().flatten() {
                self.inputs[i].dependent = true;
            }
        }
        Some(Dependence {
            available_factor: stream_key(self.seed, "simulation.correlation.factor"),
            growth_factor: stream_key(self.seed, "simulation.growth_correlation.factor"),
            members,
        })
    }

    /// Fills the next slot with the estimate when there is one, else with infinity (no cap,
    /// no ceiling, no saturation).
    fn optional(
        &mut self,
        id: &str,
        label: &str,
        e: Option<&Estimate>,
        transform: Transform,
    ) -> Result<(), SimError> {
        match e {
            Some(e) => {
                self.estimate(id, label, e, transform)?;
            }
            None => self.slots.push(SlotValue::Const(f64::INFINITY)),
        }
        Ok(())
    }

    /// Fills the next slot with the estimate; the input's index when it is uncertain.
    pub(super) fn estimate(
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
