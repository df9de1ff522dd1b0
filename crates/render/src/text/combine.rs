//! The section "How enhancements combine": each measured combination against its parts, the
//! kappa it implies, and what learning from them did to kappa.

use overhang_model::Results;
use serde::Serialize;

use super::evidence::category_label;
use crate::format::{kappa, mult, pct};

/// The section's text, when the evidence has combinations or kappa was learned.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CombinationsText {
    /// What the table shows.
    pub intro: String,
    /// One row per combination.
    pub rows: Vec<CombinationRow>,
    /// Which implied values fall outside [0, 1], and what that means; empty when none does.
    pub outside: String,
    /// Prior against posterior, when kappa was learned.
    pub learned: Option<String>,
    /// Prior against posterior of each learned pair (pairwise method), one sentence each.
    pub learned_pairs: Vec<String>,
    /// The sensitivity ranking with composability at its prior and as learned.
    pub ranking: Option<RankingText>,
}

/// The sensitivity ranking before and after learning, as a table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RankingText {
    /// What the table shows.
    pub intro: String,
    /// One row per input, in the order of the ranking after learning.
    pub rows: Vec<RankingRow>,
}

/// One input in both rankings.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RankingRow {
    /// The input's label (as the learned simulation names it).
    pub label: String,
    /// Rank and variance share with the prior: `3 (12%)`, or a dash.
    pub prior: String,
    /// Rank and variance share as learned.
    pub posterior: String,
}

/// How many inputs the ranking table lists.
const RANKING_ROWS: usize = 8;

/// A combination in the table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CombinationRow {
    /// The row's id.
    pub id: String,
    /// Its categories, by label, joined by ` + `.
    pub categories: String,
    /// Its components, each `id (CEG)`.
    pub components: String,
    /// The joint CEG.
    pub joint: String,
    /// The product of the parts.
    pub product: String,
    /// The implied kappa, or a dash.
    pub implied: String,
}

/// The section's text; `None` when there is nothing to show.
pub(crate) fn combinations_text(results: &Results) -> Option<CombinationsText> {
    let c = &results.composability;
    if c.combinations.is_empty() && c.posterior.is_none() {
        return None;
    }
    let rows: Vec<CombinationRow> = c
        .combinations
        .iter()
        .map(|r| CombinationRow {
            id: r.id.clone(),
            categories: r
                .categories
                .iter()
                .map(|id| category_label(results, id))
                .collect::<Vec<_>>()
                .join(" + "),
            components: r
                .components
                .iter()
                .zip(&r.parts)
                .map(|(id, ceg)| format!("{id} ({})", mult(*ceg)))
                .collect::<Vec<_>>()
                .join(", "),
            joint: mult(r.joint),
            product: mult(r.product),
            implied: r.implied_kappa.map_or_else(|| "–".to_owned(), kappa),
        })
        .collect();
    let intro = "Each row measured several enhancements together on the model and benchmark where \
        its components were measured alone. If they stacked fully, the joint CEG would be the \
        product of the parts; largest-first says it is the largest part times the others raised \
        to the power kappa. The implied kappa is the value that reproduces the joint CEG, \
        (log J − log of the largest part) / (sum of the logs of the parts − log of the largest \
        part), each part's log floored at 0 as the model floors levels; with two components it \
        is also their pairwise composability. A dash: a CEG is a bound, or only one part exceeds \
        1x, so the row says nothing about kappa."
        .to_owned();
    let outside: Vec<String> = c
        .combinations
        .iter()
        .filter_map(|r| {
            let k = r.implied_kappa?;
            if k > 1.0 {
                Some(format!(
                    "{} implies {}: the joint gain exceeds the product of its parts (super-additive)",
                    r.id,
                    kappa(k)
                ))
            } else if k < 0.0 {
                Some(format!(
                    "{} implies {}: the joint gain is below its largest part (the enhancements interfere)",
                    r.id,
                    kappa(k)
                ))
            } else {
                None
            }
        })
        .collect();
    let outside = if outside.is_empty() {
        String::new()
    } else {
        format!(
            "Outside the model's range [0, 1]: {}. Largest-first cannot represent this; a learned kappa is pulled to the nearest end.",
            outside.join("; ")
        )
    };
    let learned = match (&c.prior, &c.posterior) {
        (Some(prior), Some(post)) => {
            let n = c.learned_from.as_ref().map_or(0, Vec::len);
            let width = |s: &overhang_model::Summary| s.p95 - s.p5;
            let shrink = if width(prior) > 0.0 {
                1.0 - width(post) / width(prior)
            } else {
                0.0
            };
            Some(format!(
                "Kappa is learned from {n} combination {}: the assessment's estimate is the prior (mean {}, 90% interval {} to {}), each row's measured joint CEG is normal in log10 around what largest-first predicts, and the simulation draws kappa from the posterior (mean {}, 90% interval {} to {}), whose 90% interval is {} narrower than the prior's.",
                if n == 1 { "row" } else { "rows" },
                kappa(prior.mean),
                kappa(prior.p5),
                kappa(prior.p95),
                kappa(post.mean),
                kappa(post.p5),
                kappa(post.p95),
                pct(shrink),
            ))
        }
        _ => None,
    };
    let learned_pairs = c
        .pairs
        .iter()
        .map(|p| {
            let n = p.rows.len();
            format!(
                "The composability of {} and {} is learned from {n} two-component combination {} ({}): the pair's estimate is the prior (mean {}, 90% interval {} to {}) and the simulation draws the pair from the posterior (mean {}, 90% interval {} to {}). Pairs no row informs keep their estimates.",
                category_label(results, &p.a),
                category_label(results, &p.b),
                if n == 1 { "row" } else { "rows" },
                p.rows.join(", "),
                kappa(p.prior.mean),
                kappa(p.prior.p5),
                kappa(p.prior.p95),
                kappa(p.posterior.mean),
                kappa(p.posterior.p5),
                kappa(p.posterior.p95),
            )
        })
        .collect();
    Some(CombinationsText {
        intro,
        rows,
        outside,
        learned,
        learned_pairs,
        ranking: c.ranking.as_ref().map(|r| ranking_text(results, r)),
    })
}

/// The ranking table: the inputs that rank in the first [`RANKING_ROWS`] after learning, then
/// the learned composability inputs beyond them, each with its rank and share before and after.
fn ranking_text(results: &Results, r: &overhang_model::results::LearningRanking) -> RankingText {
    let scenario = results
        .scenarios
        .iter()
        .find(|s| s.id == r.scenario)
        .map_or(r.scenario.as_str(), |s| s.label.as_str());
    let cell = |e: Option<&overhang_model::results::SensitivityEntry>| {
        e.map_or_else(
            || "–".to_owned(),
            |e| format!("{} ({})", e.rank, pct(e.first_order)),
        )
    };
    // The inputs learning changed: kappa, or the learned pairs.
    let c = &results.composability;
    let learned: Vec<String> = c
        .learned_from
        .iter()
        .map(|_| "composability.kappa".to_owned())
        .chain(
            c.pairs
                .iter()
                .map(|p| format!("composability.pairs.{}.{}", p.a, p.b)),
        )
        .collect();
    let rows = r
        .posterior
        .iter()
        .enumerate()
        .filter(|(i, e)| *i < RANKING_ROWS || learned.contains(&e.input))
        .map(|(_, e)| RankingRow {
            label: e.label.clone(),
            prior: cell(r.prior.iter().find(|p| p.input == e.input)),
            posterior: cell(Some(e)),
        })
        .collect();
    RankingText {
        intro: format!(
            "What learning did to the sensitivity ranking ({scenario}, at {} months): each input's rank and first-order share of the variance of the log uplift, with composability drawn from its prior (the same scenario simulated again without learning, from the same random streams) and from its posterior.",
            r.months
        ),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Results {
        serde_json::from_str(include_str!("../../tests/fixtures/results.json")).unwrap()
    }

    #[test]
    fn an_implied_kappa_outside_the_unit_interval_is_named_with_what_it_means() {
        let mut r = fixture();
        let t = combinations_text(&r).expect("the fixture has a combination");
        assert_eq!(t.rows[0].implied, "0.67");
        assert_eq!(t.rows[0].categories, "Tool use + Solution choice");
        assert!(t.outside.is_empty());
        r.composability.combinations[0].implied_kappa = Some(1.3);
        let t = combinations_text(&r).expect("text");
        assert!(
            t.outside.contains("1.30") && t.outside.contains("super-additive"),
            "{}",
            t.outside
        );
        r.composability.combinations[0].implied_kappa = Some(-0.2);
        let t = combinations_text(&r).expect("text");
        assert!(
            t.outside.contains("-0.20") && t.outside.contains("interfere"),
            "{}",
            t.outside
        );
    }

    #[test]
    fn a_learned_kappa_is_compared_with_its_prior() {
        let learned = combinations_text(&fixture())
            .and_then(|t| t.learned)
            .expect("the fixture learned kappa");
        // 90% intervals 0.33 to 0.87 (0.54 wide) and 0.48 to 0.87 (0.39 wide): 28% narrower.
        assert!(
            learned.contains("0.33 to 0.87") && learned.contains("0.48 to 0.87"),
            "{learned}"
        );
        assert!(learned.contains("28%"), "{learned}");
    }

    #[test]
    fn without_combinations_there_is_no_section() {
        let mut r = fixture();
        r.composability = overhang_model::results::ComposabilityResults::default();
        assert!(combinations_text(&r).is_none());
    }
}
