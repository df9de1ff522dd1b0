//! The attribution of the headline's change between two versions: every hybrid of the two
//! versions' inputs ([`overhang_model::attribution::hybrid`]) run through this version's
//! pipeline (calibration, fits and validation by [`prepare_loaded`], then the simulation),
//! and the change split over the groups of changed inputs by their Shapley values.

use std::collections::{BTreeMap, BTreeSet};

use overhang_model::attribution::{
    Attribution, Group, GroupShare, OTHER_INPUTS, attributed_scenario, group_label, groups, hybrid,
    shapley,
};
use overhang_model::headline::EARLY_MONTHS;
use overhang_model::{Assessment, InputChange, InputFiles, Results};

use crate::prepare::prepare_loaded;

/// The most samples a hybrid is run with: a version with more runs every hybrid, both ends
/// included, at this count, and the difference between its own value and the value of all
/// its inputs at this count is the Monte Carlo term.
pub const ATTRIBUTION_SAMPLES: u64 = 20_000;

/// One version's inputs, as loaded (not calibrated), with the files diagnostics point into
/// and its published results.
#[derive(Clone, Copy)]
pub struct Version<'a> {
    /// The assessment as [`overhang_model::load()`] returns it.
    pub assessment: &'a Assessment,
    /// Its input files.
    pub files: &'a InputFiles,
    /// Its results.json.
    pub results: &'a Results,
}

/// The headline the changes section attributes, in `results`: the metric id and label, the
/// scenario of the average task (its own id) and the months after release.
fn headline(a: &Assessment, results: &Results) -> Option<(String, String, String, u32)> {
    let scenario = attributed_scenario(a)?;
    let s = results.scenarios.iter().find(|s| s.id == scenario.id)?;
    let months = s
        .projection
        .iter()
        .find(|p| p.months == EARLY_MONTHS)
        .map(|p| p.months)?;
    let id = format!("{}.uplift.{months}m.p50", scenario.id);
    let label = results
        .headline()
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.label)?;
    Some((id, label, scenario.scenario.clone(), months))
}

/// The value of metric `id` in `results`.
fn value(results: &Results, id: &str) -> Option<f64> {
    results
        .headline()
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.value)
}

/// Runs hybrids and remembers the simulated value of each distinct parameter set.
struct Runner<'a> {
    old: Version<'a>,
    new: Version<'a>,
    scenario: String,
    months: u32,
    samples: u64,
    /// The headline in OOM, keyed by the simulation's inputs (as `Debug` text, which writes
    /// every float exactly): hybrids that differ only in inputs the simulation never reads
    /// (evidence that feeds no fit) run once.
    simulated: BTreeMap<String, f64>,
}

impl Runner<'_> {
    /// `v(S)`: the headline of the hybrid whose groups in `take_new` are the new version's,
    /// in OOM; `None` when the hybrid cannot be written, or does not pass the current rules.
    fn value(&mut self, take_new: &BTreeSet<String>) -> Option<f64> {
        let mut h = hybrid(
            self.old.assessment,
            self.new.assessment,
            &self.scenario,
            take_new,
        )
        .ok()?;
        h.simulation.samples = self.samples;
        // The headline's projection never reads the evaluation: only the reruns at its
        // budget and under its profiles do, which the attribution does not need.
        h.evaluation = None;
        let files = if take_new.contains("evidence") {
            self.new.files
        } else {
            self.old.files
        };
        let mut prepared = prepare_loaded(h, Vec::new(), files).ok()?;
        // Nor does it read the alternative prior of kappa, whose rerun is another headline.
        for s in &mut prepared.assessment.scenarios {
            s.composability.kappa_alternative = None;
        }
        let a = &prepared.assessment;
        let key = format!(
            "{:?}",
            (
                &a.scenarios,
                &a.model,
                &a.horizon,
                &a.simulation,
                &a.thresholds,
                &prepared.fitted
            )
        );
        if let Some(&v) = self.simulated.get(&key) {
            return Some(v);
        }
        let options = overhang_compose::Options { threads: None };
        let scenarios = overhang_compose::simulate(a, &prepared.fitted, &options, None).ok()?;
        let p50 = scenarios
            .first()?
            .projection
            .iter()
            .find(|p| p.months == self.months)?
            .p50;
        let v = libm::log10(p50);
        self.simulated.insert(key, v);
        Some(v)
    }

    /// `v(S)` for every subset `S` of `groups`, bit `i` for group `i`.
    fn values(&mut self, groups: &[&Group]) -> Option<Vec<f64>> {
        (0..1usize << groups.len())
            .map(|mask| {
                let take_new: BTreeSet<String> = groups
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask >> i & 1 == 1)
                    .flat_map(|(_, g)| g.members.iter().cloned())
                    .collect();
                self.value(&take_new)
            })
            .collect()
    }
}

/// The attribution of the headline's change from `old` to `new`, whose changed inputs are
/// `changes`; `None` when either version lacks the headline, or when the previous version's
/// inputs do not run under this version's rules.
///
/// When some hybrid cannot be written or run (an old record the new rules cannot express),
/// every group that moves is merged into one, [`OTHER_INPUTS`], which the two ends alone
/// define.
pub fn attribute(
    old: Version<'_>,
    new: Version<'_>,
    changes: &[InputChange],
) -> Option<Attribution> {
    let (metric, label, scenario, months) = headline(new.assessment, new.results)?;
    let old_value = value(old.results, &metric)?;
    let new_value = value(new.results, &metric)?;
    let samples = new.assessment.simulation.samples.min(ATTRIBUTION_SAMPLES);
    let mut runner = Runner {
        old,
        new,
        scenario,
        months,
        samples,
        simulated: BTreeMap::new(),
    };
    let mut all = groups(changes);
    let moving: Vec<&Group> = all.iter().filter(|g| g.moves).collect();
    let (moving_ids, v) = if let Some(v) = runner.values(&moving) {
        (moving.iter().map(|g| g.id.clone()).collect::<Vec<_>>(), v)
    } else {
        let members: Vec<String> = moving.iter().flat_map(|g| g.members.clone()).collect();
        let merged = Group {
            id: OTHER_INPUTS.to_owned(),
            changes: moving.iter().map(|g| g.changes).sum(),
            members,
            moves: true,
        };
        let v = runner.values(&[&merged])?;
        all.retain(|g| !g.moves);
        all.push(merged);
        (vec![OTHER_INPUTS.to_owned()], v)
    };
    let shares = shapley(moving_ids.len(), &v);
    let everything = v[v.len() - 1];
    let groups = all
        .iter()
        .map(|g| {
            let share = moving_ids
                .iter()
                .position(|id| *id == g.id)
                .map(|i| shares[i]);
            GroupShare {
                id: g.id.clone(),
                label: group_label(&g.id, old.assessment, new.assessment),
                members: if g.id == OTHER_INPUTS {
                    g.members.clone()
                } else {
                    Vec::new()
                },
                inputs_changed: g.changes,
                simulated: share.is_some(),
                share_oom: share.unwrap_or(0.0),
            }
        })
        .collect();
    Some(Attribution {
        metric,
        label,
        old: old_value,
        new: new_value,
        rules_oom: v[0] - libm::log10(old_value),
        groups,
        monte_carlo_oom: libm::log10(new_value) - everything,
        samples,
        seed: new.assessment.simulation.seed,
    })
}
