//! What the trend fits say about their data, in words: one sentence per [`FitNote`].

use overhang_model::results::{FitLimit, FitNote, Results};

use super::evidence::category_label;
use crate::format::{number_words, sentence_number};

/// A small count in words (`none`, `one`, `two`), larger ones as digits.
fn count(n: usize) -> String {
    match n {
        0 => "none".to_owned(),
        1..=9 => number_words(n as u32).to_lowercase(),
        _ => n.to_string(),
    }
}

/// Why a fit cannot support a claim about growth, as a clause.
fn limit(l: &FitLimit) -> String {
    match l {
        FitLimit::NoFit => "there is no line fit".to_owned(),
        FitLimit::SpansZero => "the 90% interval of its slope includes zero, so the rows do not \
                                tell growth from decline"
            .to_owned(),
        FitLimit::MixedBenchmarks { count } => format!(
            "its rows come from {count} different benchmarks, whose CEGs need not be comparable"
        ),
        FitLimit::SingleFamily { family } => {
            format!("every row is derived from one model family ({family})")
        }
    }
}

/// One note as a sentence, naming its category by its label in `results`.
pub(super) fn note_sentence(results: &Results, note: &FitNote) -> String {
    sentence(note, &|id| category_label(results, id).to_owned())
}

/// One note as a sentence; `label` names a category by its id.
fn sentence(note: &FitNote, label: &dyn Fn(&str) -> String) -> String {
    match note {
        FitNote::Underived { category, row } => format!(
            "{}: row {row} is written `derive`, but its CEG has not been derived from \
             scaling.csv, so the fits leave it out.",
            label(category)
        ),
        FitNote::NonFiniteLog { category, row, ceg } => format!(
            "{}: row {row} has a CEG of {ceg} whose logarithm is not finite, so the fits leave \
             it out.",
            label(category)
        ),
        FitNote::TooThin { category, thin } => format!("{}: {thin}.", label(category)),
        FitNote::FewExactRows {
            category,
            rows,
            bounds,
        } => {
            let exact = match rows - bounds {
                0 => "no exact row".to_owned(),
                1 => "one exact row".to_owned(),
                k => format!("{} exact rows", count(k)),
            };
            format!(
                "{}: {bounds} of its {rows} rows are bounds, which leaves {exact} for the \
                 least-squares and Theil–Sen fits; only the censored fit uses every row.",
                label(category)
            )
        }
        FitNote::Leverage {
            category,
            row,
            date,
            hat,
            threshold,
        } => format!(
            "{}: row {row} ({date}) has extreme leverage (hat value {hat:.2}, above \
             {threshold:.2}): the slope depends heavily on it.",
            label(category)
        ),
        FitNote::FewDegrees { category, df } => format!(
            "{}: the fit has only {} residual degree{} of freedom, so its slope is very \
             uncertain.",
            label(category),
            count(*df),
            if *df == 1 { "" } else { "s" }
        ),
        FitNote::NoCensoredFit {
            category,
            rows,
            bounds,
            reason,
        } => format!(
            "{}: no censored fit of its {rows} rows ({bounds} of them bounds): {reason}.",
            label(category)
        ),
        FitNote::Limits { category, limits } => format!(
            "{}: the fit cannot support a claim about growth: {}.",
            label(category),
            limits.iter().map(limit).collect::<Vec<_>>().join("; ")
        ),
        FitNote::UnknownCategory { category } => format!(
            "Evidence rows of category `{category}` are not fitted: the assessment defines no \
             such category."
        ),
        FitNote::NoPooledFit { categories } => format!(
            "No pooled fit: it needs at least two categories with two or more evidence rows \
             each, and {} {}.",
            count(*categories),
            if *categories == 1 { "has" } else { "have" }
        ),
        FitNote::NoPooledSpread => "No pooled fit: within every category with two or more \
                                   evidence rows, the rows share one date, so there is no \
                                   trend within a category to pool."
            .to_owned(),
        FitNote::NoTrendAnywhere => "No category has enough evidence for a trend fit (at least \
                                    3 rows on at least 2 dates), so every growth rate in the \
                                    projection is an analyst's estimate."
            .to_owned(),
        FitNote::PooledGrowth {
            category,
            slope,
            se,
        } => format!(
            "{}: growth is \"fit\", but its own evidence is too thin, so the projection uses \
             the pooled slope, {} OOM/year (standard error {}).",
            label(category),
            sentence_number(*slope),
            sentence_number(*se)
        ),
        FitNote::NoGrowthSlope { category } => format!(
            "{}: growth is \"fit\", but neither its own evidence nor a pooled fit gives a \
             slope; add evidence rows or give its growth as an estimate.",
            label(category)
        ),
        FitNote::Sentence { text } => text.clone(),
        FitNote::EqualWeights => "No evidence row has an interval, so the weighted fits weight \
                                 every row equally and match OLS."
            .to_owned(),
        FitNote::MedianVariance {
            pointlike,
            values,
            any_bounds,
            variance,
        } => format!(
            "{pointlike} of {values} evidence rows{} have no interval (a point value, or an \
             interval reaching zero), so the weighted fits give them the median variance of \
             the rows that have one, {} in squared orders of magnitude.",
            if *any_bounds {
                " with a value (not a bound)"
            } else {
                ""
            },
            sentence_number(*variance)
        ),
    }
}

#[cfg(test)]
mod tests {
    use overhang_model::results::Thin;

    use super::*;

    fn say(note: &FitNote) -> String {
        sentence(note, &|id| format!("Category {id}"))
    }

    #[test]
    fn notes_read_as_the_report_writes_them() {
        let thin = |thin| FitNote::TooThin {
            category: "one".to_owned(),
            thin,
        };
        assert_eq!(
            say(&thin(Thin::OneRow {
                date: "2023-10".to_owned()
            })),
            "Category one: only 1 evidence row (2023-10); a trend fit needs at least 3 rows on at \
             least 2 dates."
        );
        assert_eq!(
            say(&thin(Thin::OneDate {
                rows: 4,
                date: "2022-01".to_owned()
            })),
            "Category one: all 4 evidence rows are dated 2022-01, so the date cannot explain \
             their spread; a trend fit needs at least 3 rows on at least 2 dates."
        );
        assert_eq!(
            say(&FitNote::FewExactRows {
                category: "a".to_owned(),
                rows: 5,
                bounds: 4
            }),
            "Category a: 4 of its 5 rows are bounds, which leaves one exact row for the \
             least-squares and Theil–Sen fits; only the censored fit uses every row."
        );
        assert_eq!(
            say(&FitNote::Limits {
                category: "a".to_owned(),
                limits: vec![FitLimit::SpansZero, FitLimit::MixedBenchmarks { count: 3 }]
            }),
            "Category a: the fit cannot support a claim about growth: the 90% interval of its \
             slope includes zero, so the rows do not tell growth from decline; its rows come \
             from 3 different benchmarks, whose CEGs need not be comparable."
        );
        assert_eq!(
            say(&FitNote::FewDegrees {
                category: "a".to_owned(),
                df: 1
            }),
            "Category a: the fit has only one residual degree of freedom, so its slope is very \
             uncertain."
        );
        assert_eq!(
            say(&FitNote::PooledGrowth {
                category: "b".to_owned(),
                slope: 0.123_456,
                se: 0.000_012_3
            }),
            "Category b: growth is \"fit\", but its own evidence is too thin, so the projection \
             uses the pooled slope, 0.123 OOM/year (standard error 1.23e-5)."
        );
        assert_eq!(
            say(&FitNote::NoPooledFit { categories: 1 }),
            "No pooled fit: it needs at least two categories with two or more evidence rows \
             each, and one has."
        );
    }
}
