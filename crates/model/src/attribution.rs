//! Attribution of a headline's change between two versions to groups of changed inputs.
//!
//! The changed inputs ([`crate::changes::compare`]) are partitioned into groups of whole
//! input records ([`groups`]): one per category, composability, the scenarios, the model's
//! settings and horizon, the evidence; groups whose changes cannot move the headline
//! (thresholds, policies, report text, labels and rationales) are listed as moving nothing.
//! A hybrid assessment for a set `S` of the other groups is the new assessment with every
//! group outside `S` taken from the old one ([`hybrid`]); `v(S)` is the headline of the
//! hybrid, and each group's share is its Shapley value ([`shapley`]), so the shares add up to
//! `v(all) - v(none)` exactly. docs/model.md, "Changes between versions", gives the formula.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::assessment::{AVERAGE_SCOPE, Assessment, Available, Category, Scenario};
use crate::changes::{FONTS, InputChange};
use crate::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};

/// The most groups that are simulated: `2^k` hybrids are run for `k` groups, so above this
/// the smallest groups (fewest changed inputs) are merged into [`OTHER_INPUTS`].
pub const MAX_GROUPS: usize = 10;

/// The id of the group the smallest groups are merged into above [`MAX_GROUPS`].
pub const OTHER_INPUTS: &str = "other_inputs";

/// The scenario whose median the changes section attributes, when the average task has it;
/// otherwise the average task's first scenario.
pub const ATTRIBUTED_SCENARIO: &str = "open_weights";

/// Fields that describe an input without entering the model: a change to one alone cannot
/// move a headline.
const PROSE_FIELDS: [&str; 6] = [
    "label",
    "rationale",
    "description",
    "notes",
    "source",
    "name",
];

/// A group of changed inputs: the unit the change of a headline is split over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Stable id: `categories.<id>`, `composability`, `scenarios`, `model`, `evidence`,
    /// [`OTHER_INPUTS`], or one of the groups that move nothing (`report`, `evaluation`,
    /// `simulation`, `thresholds`, `context`, `scopes`, `policies`, `fonts`, `text`).
    pub id: String,
    /// The input records it holds (the ids [`hybrid`] takes): itself, or for
    /// [`OTHER_INPUTS`] every group merged into it.
    pub members: Vec<String>,
    /// How many inputs of the list of changes it holds.
    pub changes: usize,
    /// Whether a change in it can move the headline: only such groups are simulated.
    pub moves: bool,
}

/// The group of a changed input and whether the change can move the headline of the
/// average task's scenario.
///
/// The evaluation never enters the headline's projection (only the reruns at the
/// evaluation's budget and under its profiles read it); task scopes change only their own
/// scenarios; and every hybrid runs with the new version's seed and sample count, so a change
/// to them shows in the change of the model's rules.
pub fn group_of(c: &InputChange) -> (String, bool) {
    let prose = PROSE_FIELDS.contains(&c.field.as_str());
    let section = c.record.split('.').next().unwrap_or_default();
    let (id, moves) = match c.file.as_str() {
        ASSESSMENT_FILE => match section {
            "categories" => (c.record.clone(), true),
            "composability" => ("composability".to_owned(), true),
            "inference" => ("inference".to_owned(), true),
            "scenarios" => ("scenarios".to_owned(), true),
            "simulation" if matches!(c.field.as_str(), "samples" | "seed") => {
                ("simulation".to_owned(), false)
            }
            "simulation" | "horizon" => ("model".to_owned(), true),
            "evaluation" | "report" | "thresholds" | "context" | "scopes" => {
                (section.to_owned(), false)
            }
            _ => ("text".to_owned(), false),
        },
        ENHANCEMENTS_FILE | SCALING_FILE => ("evidence".to_owned(), true),
        COMPOSABILITY_FILE => ("composability".to_owned(), true),
        POLICIES_FILE => ("policies".to_owned(), false),
        FONTS => ("fonts".to_owned(), false),
        _ => ("text".to_owned(), false),
    };
    (id, moves && !prose)
}

/// The groups of a list of changes, in the order their first change is listed; a group moves
/// when one of its changes can. Above [`MAX_GROUPS`] moving groups, the smallest (then the
/// last listed) are merged into one group, [`OTHER_INPUTS`], so that at most `MAX_GROUPS`
/// are simulated.
pub fn groups(changes: &[InputChange]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for c in changes {
        let (id, moves) = group_of(c);
        if let Some(g) = out.iter_mut().find(|g| g.id == id) {
            g.changes += 1;
            g.moves |= moves;
        } else {
            out.push(Group {
                members: vec![id.clone()],
                id,
                changes: 1,
                moves,
            });
        }
    }
    let moving = out.iter().filter(|g| g.moves).count();
    if moving > MAX_GROUPS {
        // Merge moving - MAX_GROUPS + 1 groups into one: MAX_GROUPS remain.
        let mut order: Vec<usize> = (0..out.len()).filter(|&i| out[i].moves).collect();
        order.sort_by_key(|&i| (out[i].changes, std::cmp::Reverse(i)));
        let merged: BTreeSet<usize> = order[..=moving - MAX_GROUPS].iter().copied().collect();
        let mut other = Group {
            id: OTHER_INPUTS.to_owned(),
            members: Vec::new(),
            changes: 0,
            moves: true,
        };
        let mut kept = Vec::new();
        for (i, g) in out.into_iter().enumerate() {
            if merged.contains(&i) {
                other.members.extend(g.members);
                other.changes += g.changes;
            } else {
                kept.push(g);
            }
        }
        kept.push(other);
        out = kept;
    }
    out
}

/// The Shapley value of each of `k` players for the game `v`, given on every coalition:
/// `v[s]` is the value of the set whose bits are set in `s` (bit `i` for player `i`), so
/// `v.len() == 2^k`. Player `i` gets
/// `sum over S without i of |S|! (k - |S| - 1)! / k! * (v(S + i) - v(S))`; the values add up
/// to `v(all) - v(none)`.
///
/// # Panics
///
/// When `v.len() != 2^k` or `k > 20`.
pub fn shapley(k: usize, v: &[f64]) -> Vec<f64> {
    assert!(k <= 20, "{k} players are too many to enumerate");
    assert_eq!(v.len(), 1 << k, "a value for each of the 2^{k} coalitions");
    // weight[s] = s! (k - s - 1)! / k!, as a product of ratios so no factorial overflows.
    let weight: Vec<f64> = (0..k)
        .map(|s| {
            let mut w = 1.0 / k as f64;
            // 1 / C(k - 1, s)
            for j in 0..s {
                w *= (j + 1) as f64 / (k - 1 - j) as f64;
            }
            w
        })
        .collect();
    (0..k)
        .map(|i| {
            let bit = 1usize << i;
            (0..v.len())
                .filter(|s| s & bit == 0)
                .map(|s| weight[s.count_ones() as usize] * (v[s | bit] - v[s]))
                .sum()
        })
        .collect()
}

/// Why a hybrid of two versions cannot be written under the current rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HybridError {
    /// The inputs that define the attributed scenario do not have it.
    #[error("the {side} version's scenarios have no `{scenario}` in the average task")]
    NoScenario {
        /// `old` or `new`.
        side: &'static str,
        /// The scenario's id.
        scenario: String,
    },
    /// A scenario overrides a category the hybrid's categories do not have.
    #[error(
        "the scenario `{scenario}` overrides `{path}`, whose category the other inputs do not have"
    )]
    MissingCategory {
        /// The scenario's id.
        scenario: String,
        /// The override's path.
        path: String,
    },
    /// A category both frozen at its elicited level and given a gap: the rules refuse it.
    #[error(
        "category `{category}` would be frozen at its elicited level (available = \"elicited\") \
         with a gap at release, which the current rules refuse"
    )]
    FrozenWithGap {
        /// The category's id.
        category: String,
    },
}

/// The scenario of the average task whose median the section attributes: [`ATTRIBUTED_SCENARIO`]
/// when the assessment has it, else its first scenario.
pub fn attributed_scenario(a: &Assessment) -> Option<&Scenario> {
    let average = || a.scenarios.iter().filter(|s| s.scope == AVERAGE_SCOPE);
    average()
        .find(|s| s.scenario == ATTRIBUTED_SCENARIO)
        .or_else(|| average().next())
}

/// The new assessment with every input record not in `take_new` taken from the old one,
/// resolved into one scenario: the average task's `scenario`, as the scenario definitions of
/// the side the `scenarios` group comes from write it, over the hybrid's base categories and
/// composability.
///
/// `take_new` holds group ids as [`Group::members`] lists them: `categories.<id>`,
/// `composability` (with composability.csv and the aggregate ceiling), `scenarios`, `model`
/// (the model settings of `[simulation]` and `[horizon]`), `evidence` (enhancements.csv and
/// scaling.csv). Everything else (report, thresholds, evaluation, scopes, policies, the
/// seed and the sample count) is the new version's.
pub fn hybrid(
    old: &Assessment,
    new: &Assessment,
    scenario: &str,
    take_new: &BTreeSet<String>,
) -> Result<Assessment, HybridError> {
    let from_old = |g: &str| !take_new.contains(g);
    let mut h = new.clone();
    // Categories: the new order, then any only the old version has, each from its side.
    let mut ids: Vec<&str> = new.categories.iter().map(|c| c.id.as_str()).collect();
    for c in &old.categories {
        if !ids.contains(&c.id.as_str()) {
            ids.push(&c.id);
        }
    }
    let find = |a: &Assessment, id: &str| a.categories.iter().find(|c| c.id == id).cloned();
    h.categories = ids
        .iter()
        .filter_map(|&id| {
            if from_old(&format!("categories.{id}")) {
                find(old, id)
            } else {
                find(new, id)
            }
        })
        .collect();
    if from_old("composability") {
        h.composability = old.composability.clone();
        h.model.ceiling.clone_from(&old.model.ceiling);
    }
    if from_old("model") {
        let ceiling = h.model.ceiling.take();
        h.model = old.model.clone();
        h.model.ceiling = ceiling;
        h.horizon = old.horizon;
    }
    if from_old("inference") {
        h.inference.clone_from(&old.inference);
    }
    if from_old("evidence") {
        h.evidence.clone_from(&old.evidence);
        h.scaling.clone_from(&old.scaling);
        h.combinations.clone_from(&old.combinations);
    }
    let (side, source) = if from_old("scenarios") {
        ("old", old)
    } else {
        ("new", new)
    };
    let defined = source
        .scenarios
        .iter()
        .find(|s| s.scope == AVERAGE_SCOPE && s.scenario == scenario)
        .ok_or_else(|| HybridError::NoScenario {
            side,
            scenario: scenario.to_owned(),
        })?;
    let resolved = resolve(defined, &h.categories, &h.composability)?;
    h.scenarios = vec![resolved];
    Ok(h)
}

/// `defined` (a resolved scenario) with its overrides applied to other base categories and
/// composability: each field an override names is copied from `defined`, which holds it as
/// the override left it, the rest from the base.
fn resolve(
    defined: &Scenario,
    categories: &[Category],
    composability: &crate::Composability,
) -> Result<Scenario, HybridError> {
    let mut s = defined.clone();
    s.categories = categories.to_vec();
    s.composability = composability.clone();
    for (path, _) in &defined.overrides {
        let missing = || HybridError::MissingCategory {
            scenario: defined.id.clone(),
            path: path.clone(),
        };
        let parts: Vec<&str> = path.split('.').collect();
        match parts.as_slice() {
            ["composability", "method"] => s.composability.method = defined.composability.method,
            ["composability", "kappa"] => {
                s.composability
                    .kappa
                    .clone_from(&defined.composability.kappa);
            }
            ["categories", id, field] => {
                let from = defined
                    .categories
                    .iter()
                    .find(|c| c.id == *id)
                    .ok_or_else(missing)?;
                let to = s
                    .categories
                    .iter_mut()
                    .find(|c| c.id == *id)
                    .ok_or_else(missing)?;
                match *field {
                    "available" => to.available = from.available.clone(),
                    // An elicited override clears the gap: the last written rule holds.
                    "elicited" => {
                        to.elicited = from.elicited.clone();
                        to.gap.clone_from(&from.gap);
                    }
                    "gap" => to.gap.clone_from(&from.gap),
                    "lag_months" => to.lag_months.clone_from(&from.lag_months),
                    "growth" => to.growth = from.growth.clone(),
                    "cap" => to.cap.clone_from(&from.cap),
                    "inference_cost" => to.inference_cost.clone_from(&from.inference_cost),
                    _ => return Err(missing()),
                }
            }
            _ => return Err(missing()),
        }
    }
    if let Some(c) = s
        .categories
        .iter()
        .find(|c| c.gap.is_some() && c.available == Available::Elicited)
    {
        return Err(HybridError::FrozenWithGap {
            category: c.id.clone(),
        });
    }
    Ok(s)
}

/// The attribution of a headline's change to groups of inputs, as results.json holds it
/// (`changes.attribution`): the previous version's published value, plus the change in the
/// model's rules, plus each group's share, plus the Monte Carlo term, is this version's value,
/// every term in OOM (log10 of the multiplier).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Attribution {
    /// The headline's stable id, for example `open_weights.uplift.12m.p50`.
    pub metric: String,
    /// For people, for example `Open weights: uplift p50 at 12 months (x)`.
    pub label: String,
    /// The previous version's published value (a multiplier).
    pub old: f64,
    /// This version's value (a multiplier).
    pub new: f64,
    /// The change in the model's rules, in OOM: the previous version's inputs run by this
    /// version's code, less the previous version's published value.
    pub rules_oom: f64,
    /// Each group of changed inputs and its share, in the order the changes list them.
    pub groups: Vec<GroupShare>,
    /// The Monte Carlo term, in OOM: this version's published value less the value of all
    /// its inputs at the attribution's sample count (0 when that is the version's own).
    pub monte_carlo_oom: f64,
    /// The samples every hybrid was run with.
    pub samples: u64,
    /// The seed every hybrid was run with: this version's.
    pub seed: u64,
}

impl Attribution {
    /// The whole change, in OOM: `log10(new / old)`.
    pub fn total_oom(&self) -> f64 {
        libm::log10(self.new) - libm::log10(self.old)
    }

    /// The sum of the rows: the rules, every group's share and the Monte Carlo term; equal to
    /// [`Attribution::total_oom`] up to rounding.
    pub fn sum_oom(&self) -> f64 {
        self.rules_oom + self.groups.iter().map(|g| g.share_oom).sum::<f64>() + self.monte_carlo_oom
    }
}

/// One group's share of a headline's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GroupShare {
    /// The group's id: `categories.<id>`, `composability`, `scenarios`, `model`, `evidence`,
    /// `other_inputs`, or a group that moves nothing (`report`, `evaluation`, `simulation`,
    /// `thresholds`, `context`, `scopes`, `policies`, `fonts`, `text`).
    pub id: String,
    /// For people: the category's label, or what the group holds.
    pub label: String,
    /// The groups merged into this one (for `other_inputs`); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// How many changed inputs it holds.
    pub inputs_changed: usize,
    /// Whether it was simulated; a group that cannot move the headline was not, and its share
    /// is 0.
    pub simulated: bool,
    /// Its Shapley share of the change, in OOM.
    pub share_oom: f64,
}

/// For people: what a group holds.
pub fn group_label(id: &str, old: &Assessment, new: &Assessment) -> String {
    if let Some(c) = id.strip_prefix("categories.") {
        let label = new
            .categories
            .iter()
            .chain(&old.categories)
            .find(|x| x.id == c)
            .map_or(c, |x| x.label.as_str());
        return format!("Category: {label}");
    }
    match id {
        "composability" => "Composability (method, kappa, pairs, ceiling)",
        "inference" => "Inference from the evidence (row and study sds, transfer)",
        "scenarios" => "Scenario definitions",
        "model" => "Model settings and horizon",
        "evidence" => "Evidence and scaling data",
        OTHER_INPUTS => "Other inputs",
        "report" => "Report text",
        "evaluation" => "Evaluation standard and profiles",
        "simulation" => "Seed and sample count",
        "thresholds" => "Thresholds",
        "context" => "Context figures",
        "scopes" => "Task scopes",
        "policies" => "Policy clauses",
        "fonts" => "Fonts",
        _ => "Labels and descriptions",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use overhang_testkit::{ROUNDING, assert_close};

    use super::*;
    use crate::changes::{ChangeKind, Value};

    /// A non-additive game on three players: singles 1, 2, 4; an interaction of 3 between
    /// the first two; 5 more with all three.
    fn game(s: usize) -> f64 {
        let has = |i: usize| s >> i & 1 == 1;
        let mut v = 0.5;
        for (i, w) in [1.0, 2.0, 4.0].into_iter().enumerate() {
            if has(i) {
                v += w;
            }
        }
        if has(0) && has(1) {
            v += 3.0;
        }
        if s == 0b111 {
            v += 5.0;
        }
        v
    }

    #[test]
    fn shapley_shares_add_up_to_the_whole_change_and_split_interactions_evenly() {
        let v: Vec<f64> = (0..8).map(game).collect();
        let phi = shapley(3, &v);
        assert_close!(phi.iter().sum::<f64>(), v[7] - v[0], ROUNDING);
        // The interaction of the first two splits evenly; the triple's in thirds.
        assert_close!(phi[0], 1.0 + 1.5 + 5.0 / 3.0, ROUNDING);
        assert_close!(phi[1], 2.0 + 1.5 + 5.0 / 3.0, ROUNDING);
        assert_close!(phi[2], 4.0 + 5.0 / 3.0, ROUNDING);
    }

    #[test]
    fn shapley_gives_symmetric_players_equal_shares_and_a_null_player_nothing() {
        // Players 0 and 2 are symmetric, player 1 adds nothing anywhere.
        let v: Vec<f64> = (0..8usize)
            .map(|s| {
                let (a, c) = (s & 1, s >> 2 & 1);
                let n = f64::from(u8::try_from(a + c).unwrap());
                n * n
            })
            .collect();
        let phi = shapley(3, &v);
        assert_close!(phi[0], phi[2], ROUNDING);
        assert_close!(phi[1], 0.0, ROUNDING);
        assert_close!(phi[0] + phi[2], 4.0, ROUNDING);
    }

    #[test]
    fn shapley_of_one_player_is_the_whole_change() {
        assert_eq!(shapley(1, &[2.0, 5.0]), vec![3.0]);
        assert!(shapley(0, &[2.0]).is_empty());
    }

    fn change(file: &str, record: &str, field: &str) -> InputChange {
        InputChange {
            file: file.to_owned(),
            record: record.to_owned(),
            field: field.to_owned(),
            kind: ChangeKind::Changed,
            old: Some(Value::Integer(1)),
            new: Some(Value::Integer(2)),
            long_text: false,
        }
    }

    #[test]
    fn groups_are_whole_records_and_prose_moves_nothing() {
        let changes = [
            change(ASSESSMENT_FILE, "report", "version"),
            change(ASSESSMENT_FILE, "simulation", "seed"),
            change(ASSESSMENT_FILE, "composability", "kappa"),
            change(ASSESSMENT_FILE, "categories.tools", "available"),
            change(ASSESSMENT_FILE, "categories.tools", "rationale"),
            change(ASSESSMENT_FILE, "categories.data", "label"),
            change(ENHANCEMENTS_FILE, "row1", "ceg"),
            change(COMPOSABILITY_FILE, "a / b", "composability"),
        ];
        let g = groups(&changes);
        let summary: Vec<(&str, usize, bool)> = g
            .iter()
            .map(|g| (g.id.as_str(), g.changes, g.moves))
            .collect();
        assert_eq!(
            summary,
            [
                ("report", 1, false),
                ("simulation", 1, false),
                ("composability", 2, true),
                ("categories.tools", 2, true),
                ("categories.data", 1, false),
                ("evidence", 1, true),
            ]
        );
    }

    #[test]
    fn above_the_cap_the_smallest_groups_merge_into_other_inputs() {
        let mut changes = Vec::new();
        for i in 0..12 {
            // Category i has i + 1 changed fields.
            for _ in 0..=i {
                changes.push(change(ASSESSMENT_FILE, &format!("categories.c{i}"), "cap"));
            }
        }
        let g = groups(&changes);
        assert_eq!(g.iter().filter(|g| g.moves).count(), MAX_GROUPS);
        let other = g.last().unwrap();
        assert_eq!(other.id, OTHER_INPUTS);
        assert_eq!(
            other.members,
            ["categories.c0", "categories.c1", "categories.c2"]
        );
        assert_eq!(other.changes, 1 + 2 + 3);
        assert_eq!(g.iter().map(|g| g.changes).sum::<usize>(), changes.len());
    }
}
