//! The model's structural choices in words (dependence, growth shape, ceiling, frozen
//! categories, where the projection extrapolates), the headline conditional on kappa, and the
//! implied growth after release beside growth rates from outside the model.

use overhang_model::assessment::Date;
use overhang_model::results::{Results, ScenarioResults};
use serde::Serialize;

use crate::format::{group_thousands, join_and, kappa, mult, number, pct};

/// The section on the model's structural choices and the two tables that go with it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ModelText {
    /// The growth shape as a sentence.
    pub shape: String,
    /// The dependence between draws as a sentence.
    pub dependence: String,
    /// The ceiling on the aggregate as a sentence; empty without one.
    pub ceiling: String,
    /// The scenarios in which a category's available level is its elicited one; empty when
    /// none.
    pub frozen: String,
    /// Where the projection extends trends further than any category's evidence spans, as a
    /// sentence; empty when the horizon is within it.
    pub extrapolation: String,
    /// How many bootstrap resamples of each category failed (a likelihood without a finite
    /// maximum) and were left out of its summaries, as a sentence; empty when none did.
    pub bootstrap: String,
    /// The conditional headline table, when kappa is an uncertain input.
    pub conditional: Option<ConditionalTable>,
    /// The implied growth after release beside the context figures; absent without a growth
    /// month of 12.
    pub growth: Option<GrowthTable>,
    /// The uplift at the evaluation's inference budget beside the unconstrained uplift; absent
    /// without a budget and a category cost.
    pub budget: Option<BudgetTable>,
    /// The headline under each evaluation profile beside the evaluation the estimates stand
    /// for; absent without profiles.
    pub profiles: Option<ProfileTable>,
}

/// The headline under each evaluation profile, per scenario of the average task.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProfileTable {
    /// The months of the headline (12 when the grid has it).
    pub months: u32,
    /// The threshold whose probability the table gives (4x when there is one, else the first).
    pub threshold: String,
    /// Each profile: `label: description; elicited changes`.
    pub profiles: Vec<String>,
    /// Evaluation, scenario, median at release, median at `months` (90% interval), then the
    /// probability of reaching the threshold at release and at `months`.
    pub rows: Vec<Vec<String>>,
}

/// The uplift at the evaluation's inference budget, per scenario of the average task.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BudgetTable {
    /// The months of the headline (12 when the grid has it).
    pub months: u32,
    /// The threshold whose probability the table gives (4x when there is one, else the first).
    pub threshold: String,
    /// The budget, as written.
    pub budget: String,
    /// The exchange rate, as written.
    pub exchange: String,
    /// Per category with a cost, `label: cost x, lowered by N OOM`.
    pub penalties: Vec<String>,
    /// Label, unconstrained median [90% interval], at the budget, then the two probabilities.
    pub rows: Vec<Vec<String>>,
}

/// The headline at fixed values of kappa, per scenario of the average task.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConditionalTable {
    /// The months of the headline (12 when the grid has it).
    pub months: u32,
    /// The threshold whose probability the table gives (4x when there is one, else the first).
    pub threshold: String,
    /// The header cells for the values: `kappa = 0.20`, ..., then `blend`.
    pub columns: Vec<String>,
    /// One row per scenario: its label, then per value `median (P)`, then the blend.
    pub rows: Vec<Vec<String>>,
    /// The samples the conditional numbers come from.
    pub samples: String,
}

/// The implied growth after release, per scenario of the average task.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GrowthTable {
    /// The header cells.
    pub columns: Vec<String>,
    /// Label, first-year growth (OOM/year, median and 90% interval), average over the horizon,
    /// then per context figure the months of it that the first year is worth.
    pub rows: Vec<Vec<String>>,
    /// The context figures, each `label (multiplier per year; source)`.
    pub context: Vec<String>,
    /// The headline sentence: one year of enhancement after release is worth N months of the
    /// first context figure, in the first scenario.
    pub sentence: String,
}

/// The threshold the conditional table reports: 4x if there is one, else the first.
fn headline_threshold(s: &ScenarioResults) -> Option<usize> {
    s.thresholds
        .iter()
        .position(|t| (t.multiplier - 4.0).abs() < 1e-12)
        .or_else(|| (!s.thresholds.is_empty()).then_some(0))
}

/// The months of the horizon beyond which some category's trend is extended further than its
/// evidence spans: the longest span, in whole calendar months, between the first and the last
/// dated row of one category. Counted from the dates as written, not from decimal years: a
/// month-precision date stands at the middle of its month, and months differ in length, so
/// twelve times a difference of decimal years can fall just short of a whole month.
pub(crate) fn extrapolation_months(results: &Results) -> Option<u32> {
    let mut spans: std::collections::BTreeMap<&str, (Date, Date)> =
        std::collections::BTreeMap::new();
    for e in &results.inputs.evidence {
        if e.category.contains('+') {
            continue;
        }
        let Ok(d) = Date::parse(&e.date) else {
            continue;
        };
        // A month-precision date sorts before every day of its month.
        let s = spans.entry(&e.category).or_insert((d, d));
        s.0 = s.0.min(d);
        s.1 = s.1.max(d);
    }
    let months = spans
        .values()
        .map(|&(first, last)| months_between(first, last))
        .max()?;
    (months < results.simulation.horizon_months).then_some(months)
}

/// Whole calendar months from `first` to `last` (not before it): a day-precision `last` on an
/// earlier day of its month than `first`'s day has not completed its last month.
fn months_between(first: Date, last: Date) -> u32 {
    let months = (last.year - first.year) * 12 + i32::from(last.month) - i32::from(first.month);
    let short = matches!((first.day, last.day), (Some(a), Some(b)) if b < a);
    u32::try_from(months - i32::from(short)).unwrap_or(0)
}

/// The categories whose bootstrap had failed resamples, with how many of how many, as a
/// sentence; empty when none had.
fn bootstrap_failures(results: &Results) -> String {
    let failed: Vec<String> = results
        .fits
        .categories
        .iter()
        .filter_map(|c| {
            let b = c.bootstrap.as_ref().filter(|b| b.failed > 0)?;
            Some(format!(
                "{} of the {} resamples of {}",
                group_thousands(&b.failed.to_string()),
                group_thousands(&b.resamples.to_string()),
                category_label(results, &c.category)
            ))
        })
        .collect();
    if failed.is_empty() {
        return String::new();
    }
    format!(
        "Failed bootstrap resamples: {}. Each drew rows whose likelihood has no finite maximum, \
         so it gave no slope: every exact row on one date and every bound on a side that an \
         ever steeper line clears, or exact rows that a line fits perfectly while clearing \
         every bound. The bootstrap's mean, spread and percentiles are of the accepted \
         resamples only.",
        join_and(&failed)
    )
}

pub(crate) fn model_text(results: &Results) -> ModelText {
    let m = &results.inputs.model;
    let shape = match m.saturation_years.as_deref() {
        Some(tau) if m.growth_shape == "saturating" => format!(
            "Growth is saturating: each category's level approaches its cap, L_c(t) = A_c + (K_c \
             - A_c)(1 - exp(-t / tau)), with the time constant tau drawn from `{tau}` years, so a \
             category has covered 63% of the way from its level at release to its cap after tau \
             years and never reaches it; the growth rates are not used."
        ),
        _ => "Growth is linear in log space until the cap: L_c(t) = min(A_c + g_c t, K_c), so a \
              category grows at its full rate until the cap stops it."
            .to_owned(),
    };
    let independent = [
        &m.correlation,
        &m.growth_correlation,
        &m.available_elicited_correlation,
    ]
    .iter()
    .all(|c| c.as_str() == "0");
    let dependence = if independent {
        "Draws are independent: across categories (their available CEGs and their growth rates) \
         and, within a category, its available and elicited CEGs, apart from the cap of the \
         elicited level at the available one. Independence is an assumption, and not a \
         conservative one: a shared cause, such as a stronger base model or a better-resourced \
         actor, would move the categories together and widen the intervals."
            .to_owned()
    } else {
        format!(
            "Draws depend on each other through Gaussian copulas, each input keeping its own \
             distribution: the categories' available CEGs share one common factor with \
             correlation `{}`, their growth rates another with correlation `{}`, and within a \
             category the elicited CEG has correlation `{}` with the available one. An input's \
             normal score z becomes sqrt(rho) z_0 + sqrt(1 - rho) z with z_0 the factor's score \
             (for the elicited CEG, r z_A + sqrt(1 - r^2) z with z_A the available CEG's score), \
             and its value is its quantile at Phi of that score.",
            m.correlation, m.growth_correlation, m.available_elicited_correlation
        )
    };
    let ceiling = m.ceiling.as_deref().map_or(String::new(), |c| {
        format!(
            "The aggregate has a ceiling drawn from `{c}`: Agg(L) and Agg(E) are each replaced by \
             the smaller of themselves and log10 of the ceiling, so the combined CEG never \
             exceeds it whatever the categories do."
        )
    });
    let frozen_in: Vec<String> = results
        .scenarios
        .iter()
        .filter(|s| s.scope == overhang_model::assessment::AVERAGE_SCOPE)
        .filter_map(|s| {
            let cats: Vec<String> = s
                .contributions
                .iter()
                .filter(|c| c.frozen)
                .map(|c| c.label.clone())
                .collect();
            (!cats.is_empty()).then(|| format!("{} ({})", s.label, cats.join(", ")))
        })
        .collect();
    let frozen = if frozen_in.is_empty() {
        String::new()
    } else {
        format!(
            "A frozen category stays at what the release shipped with: written \
             `lag_months = \"never\"`, it keeps its elicited level for the whole horizon; written \
             `available = \"elicited\"` (the older form), it takes its elicited level as its level \
             at release and grows only by its growth rate. Either way it adds no gap at release, \
             and with no growth no uplift at all. Frozen so: {}.",
            frozen_in.join("; ")
        )
    };
    let extrapolation = extrapolation_months(results).map_or(String::new(), |months| {
        format!(
            "No category's evidence spans more than {months} months from its first dated row \
             to its last, so beyond {months} months the projection extends each category's \
             growth further than it has been observed: the fan charts mark that month with a \
             dotted line."
        )
    });
    ModelText {
        shape,
        dependence,
        ceiling,
        frozen,
        extrapolation,
        bootstrap: bootstrap_failures(results),
        conditional: conditional_table(results),
        growth: growth_table(results),
        budget: budget_table(results),
        profiles: profile_table(results),
    }
}

fn profile_table(results: &Results) -> Option<ProfileTable> {
    let evaluation = results.inputs.evaluation.as_ref()?;
    let first = average(results).find(|s| !s.profiles.is_empty())?;
    let months = first.profiles[0].projection.get(1)?.months;
    let k = headline_threshold(first)?;
    let interval = |p: &overhang_model::results::ProjectionPoint| {
        format!("{} ({} to {})", mult(p.p50), mult(p.p5), mult(p.p95))
    };
    let main_label = "As evaluated".to_owned();
    let mut rows = Vec::new();
    for s in average(results) {
        let Some(j) = s.projection.iter().position(|p| p.months == months) else {
            continue;
        };
        rows.push(vec![
            main_label.clone(),
            s.label.clone(),
            mult(s.projection[0].p50),
            interval(&s.projection[j]),
            pct(s.thresholds[k].probability[0]),
            pct(s.thresholds[k].probability[j]),
        ]);
        for h in &s.profiles {
            let Some(profile) = evaluation.profiles.iter().find(|p| p.id == h.profile) else {
                continue;
            };
            let (Some(at_release), Some(at)) = (h.projection.first(), h.projection.get(1)) else {
                continue;
            };
            rows.push(vec![
                profile.label.clone(),
                s.label.clone(),
                mult(at_release.p50),
                interval(at),
                pct(h.probability.get(k)?.first().copied()?),
                pct(h.probability.get(k)?.get(1).copied()?),
            ]);
        }
    }
    let profiles = evaluation
        .profiles
        .iter()
        .map(|p| {
            let changes = p
                .elicited
                .iter()
                .map(|(c, e)| format!("{} elicited {e}", category_label(results, c)))
                .collect::<Vec<_>>();
            let description = p.description.trim_end_matches('.');
            if changes.is_empty() {
                format!("{}: {description}.", p.label)
            } else {
                format!("{}: {description} ({}).", p.label, changes.join("; "))
            }
        })
        .collect();
    Some(ProfileTable {
        months,
        threshold: crate::format::threshold_mult(first.thresholds[k].multiplier),
        profiles,
        rows,
    })
}

fn budget_table(results: &Results) -> Option<BudgetTable> {
    let first = average(results).find(|s| s.at_budget.is_some())?;
    let b = first.at_budget.as_ref()?;
    let months = b.projection.first()?.months;
    let k = headline_threshold(first)?;
    let interval = |p: &overhang_model::results::ProjectionPoint| {
        format!("{} ({} to {})", mult(p.p50), mult(p.p5), mult(p.p95))
    };
    let rows = average(results)
        .filter_map(|s| {
            let at = s.at_budget.as_ref()?;
            let j = s.projection.iter().position(|p| p.months == months)?;
            Some(vec![
                s.label.clone(),
                interval(&s.projection[j]),
                interval(&at.projection[0]),
                pct(s.thresholds[k].probability[j]),
                pct(at.probability.get(k)?.first().copied()?),
            ])
        })
        .collect();
    let penalties = b
        .penalties
        .iter()
        .map(|p| {
            format!(
                "{}: inference cost {} times plain sampling, lowered by {} OOM",
                category_label(results, &p.category),
                p.cost,
                number(p.oom)
            )
        })
        .collect();
    Some(BudgetTable {
        months,
        threshold: crate::format::threshold_mult(first.thresholds[k].multiplier),
        budget: b.budget.clone(),
        exchange: b.exchange.clone(),
        penalties,
        rows,
    })
}

/// The label of category `id` of the base case; the id itself when there is no such category.
pub(crate) fn category_label(results: &Results, id: &str) -> String {
    results
        .inputs
        .categories
        .iter()
        .find(|c| c.id == id)
        .map_or_else(|| id.to_owned(), |c| c.label.clone())
}

fn average(results: &Results) -> impl Iterator<Item = &ScenarioResults> {
    results
        .scenarios
        .iter()
        .filter(|s| s.scope == overhang_model::assessment::AVERAGE_SCOPE)
}

fn conditional_table(results: &Results) -> Option<ConditionalTable> {
    let first = average(results).find(|s| !s.conditional.is_empty())?;
    let months = first.conditional[0].steps.first()?.months;
    let k = headline_threshold(first)?;
    let threshold = crate::format::threshold_mult(first.thresholds[k].multiplier);
    let mut columns: Vec<String> = first
        .conditional
        .iter()
        .map(|c| format!("kappa = {}", kappa(c.value)))
        .collect();
    let prior = results.inputs.composability.kappa.as_deref().unwrap_or("-");
    columns.push(format!("Blend over kappa's prior, {prior}"));
    let alternative = first.kappa_alternative.as_ref().map(|a| a.kappa.clone());
    if let Some(a) = &alternative {
        columns.push(format!("Under the alternative prior, {a}"));
    }
    let rows = average(results)
        .filter(|s| !s.conditional.is_empty())
        .map(|s| {
            let mut row = vec![s.label.clone()];
            for c in &s.conditional {
                let step = &c.steps[0];
                row.push(format!(
                    "{} ({})",
                    mult(step.p50),
                    pct(step.probability.get(k).copied().unwrap_or(f64::NAN))
                ));
            }
            let j = s.projection.iter().position(|p| p.months == months);
            let blend = j.map_or_else(
                || "n/a".to_owned(),
                |j| {
                    format!(
                        "{} ({})",
                        mult(s.projection[j].p50),
                        pct(s.thresholds[k].probability[j])
                    )
                },
            );
            row.push(blend);
            if alternative.is_some() {
                let cell = s.kappa_alternative.as_ref().and_then(|a| {
                    let i = a.projection.iter().position(|p| p.months == months)?;
                    Some(format!(
                        "{} ({})",
                        mult(a.projection[i].p50),
                        pct(a.probability.get(k)?.get(i).copied()?)
                    ))
                });
                row.push(cell.unwrap_or_else(|| "n/a".to_owned()));
            }
            row
        })
        .collect();
    Some(ConditionalTable {
        months,
        threshold,
        columns,
        rows,
        samples: crate::format::group_thousands(&results.simulation.tornado_samples.to_string()),
    })
}

fn growth_table(results: &Results) -> Option<GrowthTable> {
    let context = &results.inputs.context;
    let mut columns = vec![
        "Scenario".to_owned(),
        "First year, OOM/year".to_owned(),
        "Over the horizon, OOM/year".to_owned(),
    ];
    columns.extend(
        context
            .iter()
            .map(|c| format!("Months of {} in the first year", lower_first(&c.label))),
    );
    let mut rows = Vec::new();
    let mut sentence = String::new();
    for s in average(results) {
        let year = s.growth_after_release.iter().find(|g| g.months == 12)?;
        let last = s.growth_after_release.last()?;
        let years = f64::from(last.months) / 12.0;
        let oom = |x: f64| libm::log10(x.max(1.0));
        let first = oom(year.p50);
        let mut row = vec![
            s.label.clone(),
            format!(
                "{} ({} to {})",
                oom_text(first),
                oom_text(oom(year.p5)),
                oom_text(oom(year.p95))
            ),
            format!(
                "{} ({} to {})",
                oom_text(oom(last.p50) / years),
                oom_text(oom(last.p5) / years),
                oom_text(oom(last.p95) / years)
            ),
        ];
        for c in context {
            let per_year = libm::log10(c.median);
            row.push(number(12.0 * first / per_year));
        }
        if sentence.is_empty()
            && let Some(c) = context.first()
        {
            sentence = format!(
                "In the scenario {}, one year of enhancement after release is worth {} months of \
                 {} (median; {} per year), a growth of {} in the first year against {}.",
                s.label,
                number(12.0 * first / libm::log10(c.median)),
                lower_first(&c.label),
                mult(c.median),
                mult(year.p50),
                mult(c.median)
            );
        }
        rows.push(row);
    }
    Some(GrowthTable {
        columns,
        rows,
        context: context
            .iter()
            .map(|c| {
                format!(
                    "{}: {} per year ({} OOM/year); {}",
                    c.label,
                    mult(c.median),
                    oom_text(libm::log10(c.median)),
                    c.source
                )
            })
            .collect(),
        sentence,
    })
}

/// Orders of magnitude with two decimals.
fn oom_text(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}")
    } else {
        "n/a".to_owned()
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.clone().next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(c).collect()
        }
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Results {
        serde_json::from_str(include_str!("../../tests/fixtures/results.json"))
            .expect("the fixture parses")
    }

    #[test]
    fn extrapolation_starts_at_the_longest_span_of_one_categorys_evidence() {
        let mut r = fixture();
        for e in &mut r.inputs.evidence {
            e.date = "2024-01".to_owned();
        }
        let rows = &r.inputs.evidence;
        let (i, _) = rows
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.category.contains('+'))
            .find(|(i, e)| rows[i + 1..].iter().any(|f| f.category == e.category))
            .expect("a category with two rows");
        r.inputs.evidence[i].date = "2021-07".to_owned();
        assert_eq!(extrapolation_months(&r), Some(30));
        // A horizon within the span extrapolates nowhere.
        r.simulation.horizon_months = 24;
        assert_eq!(extrapolation_months(&r), None);
    }

    /// Dates evidence row `k` at `date`, its decimal year as the loader computes it.
    fn set(r: &mut Results, k: usize, date: &str) {
        r.inputs.evidence[k].date = date.to_owned();
        r.inputs.evidence[k].year = Date::parse(date).unwrap().decimal_year();
    }

    #[test]
    fn an_evidence_span_counts_calendar_months_not_twelve_decimal_years() {
        let mut r = fixture();
        let rows = &r.inputs.evidence;
        let (i, j) = rows
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.category.contains('+'))
            .find_map(|(i, e)| {
                (i + 1..rows.len())
                    .find(|&j| rows[j].category == e.category)
                    .map(|j| (i, j))
            })
            .expect("a category with two rows");
        let n = rows.len();
        for k in 0..n {
            set(&mut r, k, "2024-01");
        }
        // October 2021 to February 2025 is 40 months; at mid-month decimal years the two
        // dates are 39.99 months apart.
        let (first, last) = (
            Date::parse("2021-10").unwrap(),
            Date::parse("2025-02").unwrap(),
        );
        assert!((last.decimal_year() - first.decimal_year()) * 12.0 < 40.0);
        set(&mut r, i, "2021-10");
        set(&mut r, j, "2025-02");
        assert_eq!(extrapolation_months(&r), Some(40));
        // With days, a month is complete only on the same day of the month or later.
        set(&mut r, i, "2021-10-15");
        set(&mut r, j, "2025-02-14");
        assert_eq!(extrapolation_months(&r), Some(39));
        set(&mut r, j, "2025-02-15");
        assert_eq!(extrapolation_months(&r), Some(40));
    }

    #[test]
    fn failed_bootstrap_resamples_are_counted_in_words_per_category() {
        let mut r = fixture();
        let i = r
            .fits
            .categories
            .iter()
            .position(|c| c.bootstrap.is_some())
            .expect("a category with a bootstrap");
        for c in &mut r.fits.categories {
            if let Some(b) = &mut c.bootstrap {
                b.failed = 0;
            }
        }
        assert_eq!(bootstrap_failures(&r), "");
        let b = r.fits.categories[i].bootstrap.as_mut().unwrap();
        b.failed = 247;
        b.resamples = 2000;
        let label = category_label(&r, &r.fits.categories[i].category);
        let text = bootstrap_failures(&r);
        assert!(
            text.starts_with(&format!(
                "Failed bootstrap resamples: 247 of the 2,000 resamples of {label}."
            )),
            "{text}"
        );
    }

    #[test]
    fn the_conditional_table_names_the_samples_the_simulation_recorded() {
        let mut r = fixture();
        r.simulation.tornado_samples = 5000;
        let table = conditional_table(&r).expect("the fixture has conditional headlines");
        assert_eq!(table.samples, "5,000");
    }

    #[test]
    fn a_year_of_growth_equal_to_the_context_rate_is_worth_twelve_months_of_it() {
        let mut r = fixture();
        let rate = r.inputs.context[0].median;
        for s in &mut r.scenarios {
            for g in &mut s.growth_after_release {
                if g.months == 12 {
                    g.p50 = rate;
                }
            }
        }
        let table = growth_table(&r).expect("a growth month of 12");
        assert!(
            table.rows.iter().all(|row| row[3] == "12"),
            "{:?}",
            table.rows
        );
        assert!(
            table.sentence.contains("worth 12 months of"),
            "{}",
            table.sentence
        );
    }
}
