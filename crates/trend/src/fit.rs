//! Fitting an assessment's evidence: per category, pooled, and the sentences that explain
//! what could not be fitted.

use std::collections::BTreeSet;

use overhang_model::estimate::Z95;
use overhang_model::results::{
    BandPoint, CategoryFit, CensoredLine, FitLimit, FitNote, Fits, FrontierPoint, ScopeFits, Thin,
};
use overhang_model::{
    AVERAGE_SCOPE, Assessment, Censoring, Estimate, EvidenceMetric, EvidenceRow, Growth,
};

use crate::bootstrap::bootstrap;
use crate::censored::{censored_bootstrap, censored_fit};
use crate::frontier::frontier;
use crate::line::{band, leverage, ols, wls};
use crate::numbers::median;
use crate::pooled::{PooledGroup, pooled};
use crate::robust::theil_sen;
use crate::{GROWTH_METHOD, Options};

/// Points of the confidence band drawn for each category.
pub const BAND_POINTS: usize = 21;

/// The largest hat value that never counts as extreme leverage: a row is flagged when its hat
/// value exceeds `min(2p/n, LEVERAGE_CAP)` with `p = 2` parameters. `2p/n` is the usual rule
/// (Hoaglin and Welsch, 1978); with 3 or 4 rows it is 1 or more and could never trigger, so the
/// cap still flags a row that alone decides the slope.
pub const LEVERAGE_CAP: f64 = 0.9;

/// The smallest variance of log10 CEG a row's weight is computed from, (0.01 OOM)²: one very
/// narrow interval must not take over a weighted fit.
pub const VARIANCE_FLOOR: f64 = 1e-4;

/// The leverage threshold for `n` rows: `min(4/n, LEVERAGE_CAP)`.
pub fn leverage_threshold(n: usize) -> f64 {
    (4.0 / n as f64).min(LEVERAGE_CAP)
}

/// The variance of log10 CEG implied by an estimate's 90% interval,
/// `((log10 p95 - log10 p5) / (2 * 1.6449))²`, floored at [`VARIANCE_FLOOR`]; `None` for a
/// point value or an interval that reaches zero or below (no log).
pub fn log10_variance(ceg: &overhang_model::Estimate) -> Option<f64> {
    if ceg.is_point() {
        return None;
    }
    let (p5, p95) = ceg.interval90();
    if !(p5 > 0.0 && p95 > p5 && p95.is_finite()) {
        return None;
    }
    let sd = (libm::log10(p95) - libm::log10(p5)) / (2.0 * Z95);
    Some((sd * sd).max(VARIANCE_FLOOR))
}

/// One evidence row ready to fit.
struct Row<'a> {
    evidence: &'a EvidenceRow,
    /// The row's CEG (a derived one for a row written `derive`).
    ceg: &'a Estimate,
    x: f64,
    y: f64,
    w: f64,
    censoring: Censoring,
    /// The row's study, as an index among the category's studies.
    study: usize,
}

/// A category's data for the pooled fit.
struct OwnedGroup {
    id: String,
    x: Vec<f64>,
    y: Vec<f64>,
    w: Vec<f64>,
}

/// Fits every category of the assessment, the pooled line, and writes the diagnostics: for
/// the average task (every row: the average task is the average over the benchmarks of all
/// the evidence, a scope's tasks among them), then for each declared scope (the rows whose
/// `scope` column names it, only).
pub fn fit(assessment: &Assessment, options: &Options) -> Fits {
    let mut fits = fit_scope(assessment, AVERAGE_SCOPE, options, 0);
    for (k, scope) in assessment
        .scopes
        .iter()
        .filter(|s| s.id != AVERAGE_SCOPE)
        .enumerate()
    {
        // Each scope's bootstrap streams start past the average task's: the average task's
        // numbers do not depend on which scopes are declared or which rows name one.
        let scoped = fit_scope(assessment, &scope.id, options, (k as u64 + 1) << 32);
        let with_rows = |id: &str| {
            scoped
                .categories
                .iter()
                .any(|c| c.category == id && c.n > 0)
        };
        fits.scopes.push(ScopeFits {
            rows: scoped.categories.iter().map(|c| c.n).sum(),
            // The scope-wide notes leave out the categories without a row in the scope (most
            // of them, in a small scope): their own lists still say so.
            diagnostics: scoped
                .diagnostics
                .into_iter()
                .filter(|n| {
                    matches!(
                        n,
                        FitNote::PooledGrowth { .. } | FitNote::NoGrowthSlope { .. }
                    ) || n.category().is_none_or(with_rows)
                })
                .collect(),
            scope: scope.id.clone(),
            categories: scoped.categories,
            pooled: scoped.pooled,
        });
    }
    fits
}

/// The fits of one scope's single-enhancement rows (every row for the average task);
/// bootstrap streams from `stream_base`.
fn fit_scope(assessment: &Assessment, scope: &str, options: &Options, stream_base: u64) -> Fits {
    let evidence: Vec<&EvidenceRow> = assessment
        .evidence
        .iter()
        .filter(|r| fitted(r) && (scope == AVERAGE_SCOPE || r.scope == scope))
        .collect();
    let variances: Vec<Option<f64>> = evidence
        .iter()
        .map(|r| match r.ceg.value() {
            Some((estimate, Censoring::None)) => log10_variance(estimate),
            _ => None,
        })
        .collect();
    let known: Vec<f64> = variances.iter().flatten().copied().collect();
    // Rows without an interval get the typical variance of those with one; with no interval
    // anywhere every row weighs the same and WLS is OLS.
    let default_variance = if known.is_empty() {
        1.0
    } else {
        median(&known)
    };

    let mut fits = Fits {
        scope: scope.to_owned(),
        scopes: Vec::new(),
        categories: Vec::new(),
        pooled: None,
        growth_method: GROWTH_METHOD.to_owned(),
        diagnostics: Vec::new(),
    };
    // Categories with two or more rows, for the pooled fit: (id, x, y, w).
    let mut groups: Vec<OwnedGroup> = Vec::new();

    for (index, category) in assessment.categories.iter().enumerate() {
        let mut notes = Vec::new();
        let mut rows = Vec::new();
        for (&r, var) in evidence.iter().zip(&variances) {
            if r.category != category.id {
                continue;
            }
            let Some((ceg, censoring)) = r.ceg.value() else {
                notes.push(FitNote::Underived {
                    category: category.id.clone(),
                    row: r.id.clone(),
                });
                continue;
            };
            let y = libm::log10(ceg.central());
            if y.is_finite() {
                rows.push(Row {
                    evidence: r,
                    ceg,
                    x: r.date.decimal_year(),
                    y,
                    w: 1.0 / var.unwrap_or(default_variance),
                    censoring,
                    study: 0,
                });
            } else {
                notes.push(FitNote::NonFiniteLog {
                    category: category.id.clone(),
                    row: r.id.clone(),
                    ceg: ceg.text().to_owned(),
                });
            }
        }
        share_by_study(&mut rows);
        let cf = fit_category(
            &category.id,
            &rows,
            options,
            stream_base + index as u64,
            notes,
        );
        // The pooled least-squares fits have no place for a bound: exact rows only.
        let exact: Vec<&Row<'_>> = rows
            .iter()
            .filter(|r| r.censoring == Censoring::None)
            .collect();
        if exact.len() >= 2 {
            groups.push(OwnedGroup {
                id: category.id.clone(),
                x: exact.iter().map(|r| r.x).collect(),
                y: exact.iter().map(|r| r.y).collect(),
                w: exact.iter().map(|r| r.w).collect(),
            });
        }
        fits.diagnostics.extend(cf.diagnostics.iter().cloned());
        fits.categories.push(cf);
    }

    let strays: BTreeSet<&str> = evidence
        .iter()
        .map(|r| r.category.as_str())
        .filter(|c| !assessment.categories.iter().any(|k| k.id == *c))
        .collect();
    for c in strays {
        fits.diagnostics.push(FitNote::UnknownCategory {
            category: c.to_owned(),
        });
    }

    let pooled_groups: Vec<PooledGroup<'_>> = groups
        .iter()
        .map(|g| PooledGroup {
            id: &g.id,
            x: &g.x,
            y: &g.y,
            w: &g.w,
        })
        .collect();
    fits.pooled = pooled(&pooled_groups);
    if fits.pooled.is_none() && !evidence.is_empty() {
        fits.diagnostics.push(no_pooled_fit(groups.len()));
    }

    growth_notes(assessment, scope, &mut fits);

    let any_weighted = fits.pooled.is_some() || fits.categories.iter().any(|c| c.wls.is_some());
    let pointlike = variances
        .iter()
        .zip(&evidence)
        .filter(|(v, r)| v.is_none() && r.ceg.censoring() == Some(Censoring::None))
        .count();
    if any_weighted && pointlike > 0 {
        fits.diagnostics.push(if known.is_empty() {
            FitNote::EqualWeights
        } else {
            FitNote::MedianVariance {
                pointlike,
                values: evidence
                    .iter()
                    .filter(|r| r.ceg.censoring() == Some(Censoring::None))
                    .count(),
                any_bounds: evidence
                    .iter()
                    .any(|r| r.ceg.censoring().is_some_and(|c| c != Censoring::None)),
                variance: default_variance,
            }
        });
    }
    fits
}

/// True for a row the trend fits use. A combination row (categories joined by `+`) informs
/// composability, never a trend; a preference row (a win rate between outputs) measures no
/// capability. The fits, their weights and their counts see the other rows only.
pub(crate) fn fitted(r: &EvidenceRow) -> bool {
    !r.is_combination() && r.metric == EvidenceMetric::Capability
}

/// Labels each row with its study (an index in order of first appearance) and divides its
/// weight by the number of the category's rows in that study: rows of one study or one
/// analysis are one observation between them in the weighted fits, and one cluster in the
/// bootstrap.
fn share_by_study(rows: &mut [Row<'_>]) {
    let mut studies: Vec<&str> = Vec::new();
    let labels: Vec<usize> = rows
        .iter()
        .map(|r| {
            let id = r.evidence.study.as_str();
            studies.iter().position(|s| *s == id).unwrap_or_else(|| {
                studies.push(id);
                studies.len() - 1
            })
        })
        .collect();
    let mut sizes = vec![0usize; studies.len()];
    for &k in &labels {
        sizes[k] += 1;
    }
    for (r, &k) in rows.iter_mut().zip(&labels) {
        r.study = k;
        r.w /= sizes[k] as f64;
    }
}

/// Why there is no pooled fit, given how many categories have two or more rows.
fn no_pooled_fit(groups: usize) -> FitNote {
    if groups < 2 {
        FitNote::NoPooledFit { categories: groups }
    } else {
        // With two or more such categories there is always a spare degree of freedom, so
        // only the lack of spread in dates within categories can leave the slope undefined.
        FitNote::NoPooledSpread
    }
}

fn fit_category(
    id: &str,
    rows: &[Row<'_>],
    options: &Options,
    stream: u64,
    mut notes: Vec<FitNote>,
) -> CategoryFit {
    let evidence: Vec<&EvidenceRow> = rows.iter().map(|r| r.evidence).collect();
    // Least squares, Theil–Sen and the band: the exact rows. A bound is not a value.
    let exact: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.censoring == Censoring::None)
        .collect();
    let x: Vec<f64> = exact.iter().map(|r| r.x).collect();
    let y: Vec<f64> = exact.iter().map(|r| r.y).collect();
    let w: Vec<f64> = exact.iter().map(|r| r.w).collect();
    let bounds = rows.len() - exact.len();

    let insufficient = insufficiency(&evidence);
    if let Some(thin) = &insufficient {
        notes.push(FitNote::TooThin {
            category: id.to_owned(),
            thin: thin.clone(),
        });
    } else if bounds > 0 && exact.len() < 3 {
        notes.push(FitNote::FewExactRows {
            category: id.to_owned(),
            rows: rows.len(),
            bounds,
        });
    }
    let line = ols(&x, &y);
    if let Some(fit) = &line {
        if let Some(h) = leverage(&x) {
            let threshold = leverage_threshold(x.len());
            for (r, &hi) in exact.iter().zip(&h) {
                if hi > threshold {
                    notes.push(FitNote::Leverage {
                        category: id.to_owned(),
                        row: r.evidence.id.clone(),
                        date: r.evidence.date.to_string(),
                        hat: hi,
                        threshold,
                    });
                }
            }
        }
        if fit.df < 3.0 && bounds == 0 {
            notes.push(FitNote::FewDegrees {
                category: id.to_owned(),
                df: fit.df as usize,
            });
        }
    }

    // With bounds, the line is the censored-normal maximum likelihood of every row.
    let all_x: Vec<f64> = rows.iter().map(|r| r.x).collect();
    let all_y: Vec<f64> = rows.iter().map(|r| r.y).collect();
    let all_c: Vec<Censoring> = rows.iter().map(|r| r.censoring).collect();
    let censored = if bounds > 0 && insufficient.is_none() {
        match censored_fit(&all_x, &all_y, &all_c) {
            Ok(f) => Some(CensoredLine {
                slope: f.slope,
                intercept: f.intercept,
                sigma: f.sigma,
                slope_se: f.slope_se,
                slope_ci90: f.slope_ci90,
                n: f.n,
                exact: f.exact,
                lower: f.lower,
                upper: f.upper,
            }),
            Err(e) => {
                notes.push(FitNote::NoCensoredFit {
                    category: id.to_owned(),
                    rows: rows.len(),
                    bounds,
                    reason: e.to_string(),
                });
                None
            }
        }
    } else {
        None
    };

    let boot = if censored.is_some() {
        let ceg: Vec<&Estimate> = rows.iter().map(|r| r.ceg).collect();
        let study: Vec<usize> = rows.iter().map(|r| r.study).collect();
        censored_bootstrap(
            &all_x,
            &ceg,
            &all_c,
            &study,
            options.resamples,
            options.seed,
            stream,
        )
    } else if line.is_some() && bounds == 0 {
        let ceg: Vec<&Estimate> = exact.iter().map(|r| r.ceg).collect();
        let study: Vec<usize> = exact.iter().map(|r| r.study).collect();
        bootstrap(&x, &ceg, &study, options.resamples, options.seed, stream)
    } else {
        None
    };

    // The running best: a lower bound says the best is at least that; an upper bound says
    // nothing about a record.
    let points: Vec<FrontierPoint> = rows
        .iter()
        .filter(|r| r.censoring != Censoring::Upper)
        .map(|r| FrontierPoint {
            id: r.evidence.id.clone(),
            year: r.x,
            ceg: r.ceg.central(),
        })
        .collect();
    let front = frontier(&points);
    let fx: Vec<f64> = front.iter().map(|p| p.year).collect();
    let fy: Vec<f64> = front.iter().map(|p| libm::log10(p.ceg)).collect();

    let band_points = match &censored {
        Some(c) => censored_band(c, &all_x),
        None => band(&x, &y, BAND_POINTS),
    };
    let mut cf = CategoryFit {
        category: id.to_owned(),
        n: rows.len(),
        bounds,
        wls: if line.is_some() {
            wls(&x, &y, &w)
        } else {
            None
        },
        theil_sen: if line.is_some() {
            theil_sen(&x, &y)
        } else {
            None
        },
        censored,
        bootstrap: boot,
        limits: Vec::new(),
        frontier_fit: ols(&fx, &fy),
        frontier: front,
        band: band_points,
        ols: line,
        diagnostics: Vec::new(),
    };
    cf.limits = limits(&cf, &evidence);
    if !cf.limits.is_empty() && !evidence.is_empty() {
        notes.push(FitNote::Limits {
            category: id.to_owned(),
            limits: cf.limits.clone(),
        });
    }
    cf.diagnostics = notes;
    cf
}

/// The censored line over the years of `x`, as CEG multipliers. The band's edges are the
/// line itself: the observed information gives the slope's error, not the band of the mean.
fn censored_band(c: &CensoredLine, x: &[f64]) -> Vec<BandPoint> {
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    (0..BAND_POINTS)
        .map(|i| {
            let year = if i + 1 == BAND_POINTS {
                hi
            } else {
                lo + (hi - lo) * (i as f64) / ((BAND_POINTS - 1) as f64)
            };
            let fit = libm::pow(10.0, c.intercept + c.slope * year);
            BandPoint {
                year,
                low: fit,
                fit,
                high: fit,
            }
        })
        .collect()
}

/// Why a category's fit cannot support a growth claim.
fn limits(cf: &CategoryFit, rows: &[&EvidenceRow]) -> Vec<FitLimit> {
    let mut out = Vec::new();
    match cf.growth_line() {
        None => out.push(FitLimit::NoFit),
        Some(line) if line.slope_ci90[0] <= 0.0 && line.slope_ci90[1] >= 0.0 => {
            out.push(FitLimit::SpansZero);
        }
        Some(_) => {}
    }
    let benchmarks: BTreeSet<&str> = rows.iter().map(|r| r.benchmark.as_str()).collect();
    if benchmarks.len() > 1 {
        out.push(FitLimit::MixedBenchmarks {
            count: benchmarks.len(),
        });
    }
    let families: BTreeSet<Option<&str>> = rows
        .iter()
        .map(|r| r.derivation().map(|d| d.family.as_str()))
        .collect();
    let families: Vec<Option<&str>> = families.into_iter().collect();
    if rows.len() > 1
        && let [Some(family)] = families.as_slice()
    {
        out.push(FitLimit::SingleFamily {
            family: (*family).to_owned(),
        });
    }
    out
}

/// Why rows cannot carry a trend fit, as a clause without the category's name; `None` when
/// they can (at least 3 rows on at least 2 dates).
#[expect(
    clippy::float_cmp,
    reason = "rows on one date have identical decimal years, which is what leaves the slope undefined"
)]
pub(crate) fn insufficiency(rows: &[&EvidenceRow]) -> Option<Thin> {
    let years: Vec<f64> = rows.iter().map(|r| r.date.decimal_year()).collect();
    let one_date = years.iter().all(|&y| y == years[0]);
    match rows {
        [] => Some(Thin::NoRows),
        [r] => Some(Thin::OneRow {
            date: r.date.to_string(),
        }),
        [a, _] if one_date => Some(Thin::TwoRowsOneDate {
            date: a.date.to_string(),
        }),
        [a, b] => {
            let (first, second) = if b.date < a.date { (b, a) } else { (a, b) };
            Some(Thin::TwoRows {
                first: first.date.to_string(),
                second: second.date.to_string(),
            })
        }
        _ if one_date => Some(Thin::OneDate {
            rows: rows.len(),
            date: rows[0].date.to_string(),
        }),
        _ => None,
    }
}

/// The categories whose growth is a fit in the base case or any scenario, each with the scope
/// whose fit it takes (`Growth::Fit`: the average task; `Growth::ScopeFit`: that scope) and
/// its label, in the order of the assessment (then of the scenarios), each once.
pub(crate) fn growth_fit_categories(assessment: &Assessment) -> Vec<(String, &str, &str)> {
    let mut out: Vec<(String, &str, &str)> = Vec::new();
    let all = assessment
        .categories
        .iter()
        .chain(assessment.scenarios.iter().flat_map(|s| &s.categories));
    for c in all {
        let scope = match &c.growth {
            Growth::Estimate(_) => continue,
            Growth::Fit => AVERAGE_SCOPE.to_owned(),
            Growth::ScopeFit(scope) => scope.clone(),
        };
        if !out.iter().any(|(s, id, _)| *s == scope && *id == c.id) {
            out.push((scope, &c.id, &c.label));
        }
    }
    out
}

fn growth_notes(assessment: &Assessment, scope: &str, fits: &mut Fits) {
    let wanted: Vec<(String, &str, &str)> = growth_fit_categories(assessment)
        .into_iter()
        .filter(|(s, _, _)| s == scope)
        .collect();
    if wanted.is_empty() {
        if scope == AVERAGE_SCOPE && fits.categories.iter().all(|c| c.growth_line().is_none()) {
            fits.diagnostics.push(FitNote::NoTrendAnywhere);
        }
        return;
    }
    for (_, id, _) in wanted {
        let own = fits
            .categories
            .iter()
            .find(|c| c.category == id)
            .and_then(CategoryFit::growth_line);
        if own.is_some() {
            continue;
        }
        fits.diagnostics.push(match &fits.pooled {
            Some(p) => FitNote::PooledGrowth {
                category: id.to_owned(),
                slope: p.slope,
                se: p.slope_se,
            },
            None => FitNote::NoGrowthSlope {
                category: id.to_owned(),
            },
        });
    }
}
