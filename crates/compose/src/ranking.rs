//! The sensitivity ranking before and after learning composability from measured combinations.

use std::collections::BTreeMap;

use overhang_model::results::{LearningRanking, ScenarioResults};
use overhang_model::{Assessment, FittedGrowth};

use crate::{Options, SimError, simulate};

/// With composability learned in a scenario, the first such scenario's sensitivity ranking at
/// the horizon with composability at its prior and as learned; `None` when nothing was
/// learned.
///
/// `learned` is what [`simulate`] returned for the assessment. The scenario is simulated once
/// more without what was learned, from the same streams, so the two rankings differ only by
/// the learning.
pub fn learning_ranking(
    assessment: &Assessment,
    fitted: &BTreeMap<String, FittedGrowth>,
    learned: &[ScenarioResults],
    options: &Options,
) -> Result<Option<LearningRanking>, SimError> {
    let Some(index) = assessment.scenarios.iter().position(|s| {
        s.composability.learned.is_some() || !s.composability.learned_pairs.is_empty()
    }) else {
        return Ok(None);
    };
    let mut prior = assessment.clone();
    let mut scenario = prior.scenarios.swap_remove(index);
    scenario.composability.learned = None;
    scenario.composability.learned_pairs.clear();
    prior.scenarios = vec![scenario];
    let before = simulate(&prior, fitted, options, None)?;
    Ok(learned
        .get(index)
        .zip(before.first())
        .and_then(|(post, before)| LearningRanking::new(post, before)))
}
