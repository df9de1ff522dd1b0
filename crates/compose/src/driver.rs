//! The per-scenario driver: every scenario planned and checked before any is run, then each
//! run in the assessment's order, with its reruns at the inference budget and under the other
//! evaluation profiles.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;

use overhang_model::assessment::AVERAGE_SCOPE;
use overhang_model::results::{
    AtBudget, BudgetPenalty, KappaAlternative, ProfileHeadline, ProjectionPoint, ScenarioResults,
};
use overhang_model::{Assessment, Evaluation, EvaluationProfile, FittedGrowth, Method, Scenario};

use crate::memory::check;
use crate::{SimError, engine, plan};

/// Refuses, before a sample is drawn, the inputs [`crate::simulate`] would refuse: the checks
/// it runs first (samples, horizon, thresholds, memory, the plan of every scenario), every
/// uncertain input at the most extreme probabilities the sampler draws (a value that is not
/// finite there is one some draw may hit), and an uplift beyond
/// [`crate::MAX_UPLIFT_LOG10`] that the largest draws would reach. `check` calls it, so what
/// it accepts the simulation runs.
pub fn validate(
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
) -> Result<(), SimError> {
    let plans = plans(assessment, fitted)?;
    plans.iter().try_for_each(plan::Plan::check_extremes)?;
    // The uplift at the evaluation's budget lowers each costly category by a penalty, which
    // a budget near 0 makes infinite.
    let Some(evaluation) = &assessment.evaluation else {
        return Ok(());
    };
    let Some(budget) = &evaluation.inference_multiple else {
        return Ok(());
    };
    for s in &assessment.scenarios {
        for cost in s
            .categories
            .iter()
            .filter_map(|c| c.inference_cost.as_ref())
        {
            let penalty =
                overhang_model::budget_penalty(cost, budget, &evaluation.inference_exchange);
            if !penalty.is_finite() {
                return Err(SimError::NonFinite {
                    input: "evaluation.inference_multiple".to_owned(),
                    scenario: s.id.clone(),
                });
            }
        }
    }
    Ok(())
}

/// The plan of every scenario, once the run's parameters are checked.
fn plans(
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
) -> Result<Vec<plan::Plan>, SimError> {
    let n = assessment.simulation.samples;
    let horizon = assessment.horizon;
    if horizon.step_months == 0 {
        return Err(SimError::InvalidHorizon {
            step_months: horizon.step_months,
        });
    }
    for t in &assessment.thresholds {
        if !(t.multiplier.is_finite() && t.multiplier > 0.0) {
            return Err(SimError::InvalidThreshold {
                label: t.label.clone(),
                multiplier: t.multiplier,
            });
        }
    }
    let months = horizon.grid();
    let threads = rayon::current_num_threads();
    if n == 0 {
        return Err(SimError::NoSamples);
    }
    let plans = assessment
        .scenarios
        .iter()
        .map(|s| {
            plan::Plan::new(
                s,
                &assessment.model,
                fitted,
                months.clone(),
                &assessment.thresholds,
                assessment.simulation.seed,
            )
            .map(|p| p.with_intervals(crate::answers::intervals(&assessment.clauses)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    for p in &plans {
        check(n, months.len(), p.width(), p.slots.len(), threads)?;
    }
    Ok(plans)
}

/// Runs every scenario of the assessment, in its order, on the current thread pool.
pub(crate) fn run(
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
    progress: Option<&(dyn Fn(u64, u64) + Sync)>,
) -> Result<Vec<ScenarioResults>, SimError> {
    let n = assessment.simulation.samples;
    let plans = plans(assessment, fitted)?;
    let total = n.saturating_mul(plans.len() as u64);
    let progress = engine::Progress {
        done: AtomicU64::new(0),
        total,
        callback: progress,
    };
    assessment
        .scenarios
        .iter()
        .zip(&plans)
        .map(|(s, p)| {
            let mut results = engine::run(
                s,
                p,
                &assessment.thresholds,
                n,
                &progress,
                engine::Strategy::default(),
            )?;
            let mut profiles = Vec::new();
            if let Some(evaluation) = &assessment.evaluation {
                results.at_budget = at_budget(s, p, evaluation, assessment)?;
                // Every scope's reruns give the adequacy answers; the average task's headline
                // is also reported.
                profiles = evaluation
                    .profiles
                    .iter()
                    .map(|profile| profile_headline(s, p, profile, assessment, fitted))
                    .collect::<Result<_, _>>()?;
            }
            crate::answers::adequacy(&mut results, assessment, &profiles);
            if s.scope == AVERAGE_SCOPE {
                results.profiles = profiles;
                results.kappa_alternative = kappa_alternative(s, p, assessment, fitted)?;
            }
            Ok(results)
        })
        .collect()
}

/// The uplift at the evaluation's inference budget: the scenario rerun (same seed, same
/// streams) held to the budget (see [`plan::Plan::at_budget`]: each costly category lowered by
/// what the budget does not buy, cost, budget and exchange rate drawn per sample); `None`
/// without a budget or without any cost. The penalties it reports are
/// [`overhang_model::budget_penalty`], at the medians of the three.
fn at_budget(
    scenario: &Scenario,
    plan: &plan::Plan,
    evaluation: &Evaluation,
    assessment: &Assessment,
) -> Result<Option<AtBudget>, SimError> {
    let Some(budget) = &evaluation.inference_multiple else {
        return Ok(None);
    };
    if scenario
        .categories
        .iter()
        .all(|c| c.inference_cost.is_none())
    {
        return Ok(None);
    }
    let exchange = &evaluation.inference_exchange;
    let penalties: Vec<f64> = scenario
        .categories
        .iter()
        .map(|c| {
            c.inference_cost.as_ref().map_or(0.0, |cost| {
                overhang_model::budget_penalty(cost, budget, exchange)
            })
        })
        .collect();
    let costs: Vec<Option<&overhang_model::Estimate>> = scenario
        .categories
        .iter()
        .map(|c| c.inference_cost.as_ref())
        .collect();
    let progress = engine::Progress {
        done: AtomicU64::new(0),
        total: assessment.simulation.samples,
        callback: None,
    };
    let held = engine::run(
        scenario,
        &plan.at_budget(&costs, budget, exchange, assessment.simulation.seed)?,
        &assessment.thresholds,
        assessment.simulation.samples,
        &progress,
        engine::Strategy::default(),
    )?;
    let results = &held;
    let (projection, probability) = at_steps(results, &plan.sens_steps);
    Ok(Some(AtBudget {
        budget: budget.text().to_owned(),
        exchange: exchange.text().to_owned(),
        penalties: scenario
            .categories
            .iter()
            .zip(&penalties)
            .filter_map(|(c, &oom)| {
                c.inference_cost.as_ref().map(|cost| BudgetPenalty {
                    category: c.id.clone(),
                    cost: cost.text().to_owned(),
                    oom,
                })
            })
            .collect(),
        projection,
        probability,
    }))
}

/// The headline under another evaluation profile: the scenario rerun (same seed, same
/// streams) with the profile's elicited levels, at release and at the sensitivity steps.
fn profile_headline(
    scenario: &Scenario,
    plan: &plan::Plan,
    profile: &EvaluationProfile,
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
) -> Result<ProfileHeadline, SimError> {
    let mut evaluated = scenario.clone();
    for (id, elicited) in &profile.elicited {
        if let Some(c) = evaluated.categories.iter_mut().find(|c| &c.id == id) {
            c.elicited = elicited.clone();
            c.gap = None;
        }
    }
    for (id, gap) in &profile.gap {
        if let Some(c) = evaluated.categories.iter_mut().find(|c| &c.id == id) {
            c.gap = Some(gap.clone());
        }
    }
    let (projection, probability) = headline_of(&evaluated, plan, assessment, fitted)?;
    Ok(ProfileHeadline {
        profile: profile.id.clone(),
        projection,
        probability,
    })
}

/// The headline under `kappa_alternative`: the scenario rerun (same seed, same streams) with
/// kappa drawn from the other prior (not learned from combinations), at release and at the
/// sensitivity steps; `None` without an alternative or when the scenario does not draw kappa
/// (another method, or kappa a point).
fn kappa_alternative(
    scenario: &Scenario,
    plan: &plan::Plan,
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
) -> Result<Option<KappaAlternative>, SimError> {
    let comp = &scenario.composability;
    let Some(alternative) = &comp.kappa_alternative else {
        return Ok(None);
    };
    if comp.method != Method::LargestFirst
        || !plan.inputs.iter().any(|i| i.id == "composability.kappa")
    {
        return Ok(None);
    }
    let mut other = scenario.clone();
    other.composability.kappa = Some(alternative.clone());
    other.composability.learned = None;
    let (projection, probability) = headline_of(&other, plan, assessment, fitted)?;
    Ok(Some(KappaAlternative {
        kappa: alternative.text().to_owned(),
        projection,
        probability,
    }))
}

/// A variant of a scenario (another evaluation profile, another prior) planned and run with
/// the assessment's seed and samples, so every draw it shares with the scenario is the same:
/// its projection rows and threshold probabilities at release and at the sensitivity steps of
/// the scenario's `plan`.
fn headline_of(
    variant: &Scenario,
    plan: &plan::Plan,
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
) -> Result<(Vec<ProjectionPoint>, Vec<Vec<f64>>), SimError> {
    let variant_plan = plan::Plan::new(
        variant,
        &assessment.model,
        fitted,
        assessment.horizon.grid(),
        &assessment.thresholds,
        assessment.simulation.seed,
    )?;
    let progress = engine::Progress {
        done: AtomicU64::new(0),
        total: assessment.simulation.samples,
        callback: None,
    };
    let results = engine::run(
        variant,
        &variant_plan,
        &assessment.thresholds,
        assessment.simulation.samples,
        &progress,
        engine::Strategy::default(),
    )?;
    let steps: Vec<usize> = std::iter::once(0)
        .chain(plan.sens_steps.iter().copied())
        .collect();
    Ok(at_steps(&results, &steps))
}

/// The projection rows of a run at `steps` (indices into its grid) and, per threshold, the
/// probability of reaching it at each.
fn at_steps(results: &ScenarioResults, steps: &[usize]) -> (Vec<ProjectionPoint>, Vec<Vec<f64>>) {
    let projection = steps
        .iter()
        .map(|&j| results.projection[j].clone())
        .collect();
    let probability = results
        .thresholds
        .iter()
        .map(|t| steps.iter().map(|&j| t.probability[j]).collect())
        .collect();
    (projection, probability)
}
