//! CEGs derived from scaling rows: grouping into base curves, validation, and the derivation
//! of each evidence row that asks for one.

use std::collections::BTreeMap;

use overhang_model::diagnostic::did_you_mean;
use overhang_model::{Censoring, DerivedBasePoint, DerivedCeg, LogisticAlternative, ScalingRow};

use crate::curve::{BasePoint, crossing, pool_adjacent_violators, score_at};
use crate::error::{CalibrateError, CalibrateWarning};
use crate::logistic::{Logistic, fit_logistic};

/// The range of a benchmark's scores when its rows state none: percent.
pub const DEFAULT_RANGE: (f64, f64) = (0.0, 100.0);

/// The fewest base points a curve needs for the logistic alternative.
pub const LOGISTIC_MIN_POINTS: usize = 4;

/// An evidence row as derivation sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceRef<'a> {
    /// The row's id.
    pub id: &'a str,
    /// The row's line in enhancements.csv.
    pub line: usize,
    /// True when its `ceg` is `derive`.
    pub derive: bool,
}

/// Everything [`derive()`] found: the derivations, and the problems that stopped others.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calibration {
    /// One per evidence row with `ceg = derive` that could be derived, in evidence order.
    pub derivations: Vec<Derivation>,
    /// Problems that stop a derivation, by file and line.
    pub errors: Vec<CalibrateError>,
    /// Things that deserve a look, by line.
    pub warnings: Vec<CalibrateWarning>,
}

/// The method every derivation uses, as results.json names it.
pub const METHOD: &str = "interpolation";

/// One derived CEG: the evidence row it belongs to, the derivation as the model keeps it and
/// results.json shows it, and the logistic fit of its base curve in full.
#[derive(Debug, Clone, PartialEq)]
pub struct Derivation {
    /// The evidence row's id.
    pub id: String,
    /// `C* / C_own` with what it was derived from: the base curve, the enhanced model's own
    /// compute and scores, the censoring (a bound when the enhanced score lies beyond the base
    /// curve), whether the enhancement lowered the score, and the logistic alternative.
    pub derived: DerivedCeg,
    /// The logistic fit of the base curve (with its floor, ceiling and residual sum of
    /// squares), when the curve has [`LOGISTIC_MIN_POINTS`] or more points and the fit
    /// converged.
    pub fit: Option<Logistic>,
}

/// A base curve after validation, with its monotone scores and logistic fit.
struct Curve {
    family: String,
    benchmark: String,
    range: (f64, f64),
    points: Vec<BasePoint>,
    logistic: Option<Logistic>,
}

/// Rows of one (family, benchmark), by index into the scaling rows.
#[derive(Default)]
struct Group {
    base: Vec<usize>,
    /// The stated range and the line that stated it first.
    range: Option<((f64, f64), usize)>,
}

/// Derives the CEG of every evidence row that asks for it (`derive`) from the scaling rows.
///
/// Rows with an empty enhancement are base rows: grouped by (family, benchmark), ordered by
/// compute, made non-decreasing by pooling adjacent violators (each pool a
/// [`CalibrateWarning::PooledViolators`]), they form a piecewise-linear curve of score against
/// log10 compute. A row that names an enhancement is its measurement on the model of that
/// compute; the model's own score is the curve's at its compute. Then:
///
/// - when the enhanced score lies on the curve above the own score, `C*` is where the curve
///   first reaches it, by linear interpolation in log10 compute between adjacent base points,
///   and the CEG is `C* / C_own`;
/// - above the largest base score, the CEG is a lower bound `C_max / C_own`, never an
///   extrapolation;
/// - below the own score it is below 1 ([`DerivedCeg::below_own`]): where the curve last
///   stays at or below the score, or below the smallest base score an upper bound
///   `C_min / C_own`;
/// - with [`LOGISTIC_MIN_POINTS`] or more base points, a logistic curve fitted to the base
///   scores (see [`fit_logistic`]) gives a second CEG beside the interpolated one.
///
/// Scores must lie in the benchmark's range, `[0, 100]` unless a row's notes state
/// `range: LOW to HIGH` (for the whole curve). Every problem is collected.
pub fn derive(scaling: &[ScalingRow], evidence: &[EvidenceRef<'_>]) -> Calibration {
    let mut out = Calibration::default();
    let mut usable = vec![true; scaling.len()];

    // Rows, checked one by one, and grouped into curves.
    let mut groups: BTreeMap<(&str, &str), Group> = BTreeMap::new();
    for (i, row) in scaling.iter().enumerate() {
        if !(row.compute.is_finite() && row.compute > 0.0) {
            out.errors.push(CalibrateError::NonPositiveCompute {
                line: row.line,
                compute: row.compute,
            });
            usable[i] = false;
        }
        let group = groups
            .entry((row.family.as_str(), row.benchmark.as_str()))
            .or_default();
        match stated_range(&row.notes) {
            Some(Ok(range)) => match group.range {
                None => group.range = Some((range, row.line)),
                Some((first, first_line)) if first != range => {
                    out.errors.push(CalibrateError::ConflictingRange {
                        line: row.line,
                        first_line,
                        family: row.family.clone(),
                        benchmark: row.benchmark.clone(),
                    });
                }
                Some(_) => {}
            },
            Some(Err(text)) => {
                out.errors.push(CalibrateError::MalformedRange {
                    line: row.line,
                    text,
                });
                usable[i] = false;
            }
            None => {}
        }
        if row.enhancement.is_none() {
            group.base.push(i);
        }
    }
    // Scores against their curve's range.
    for (i, row) in scaling.iter().enumerate() {
        let range = groups[&(row.family.as_str(), row.benchmark.as_str())]
            .range
            .map_or(DEFAULT_RANGE, |(r, _)| r);
        if !(row.score >= range.0 && row.score <= range.1) {
            out.errors.push(CalibrateError::ScoreOutOfRange {
                line: row.line,
                score: row.score,
                low: range.0,
                high: range.1,
            });
            usable[i] = false;
        }
    }

    // Measurements: which scaling row measures which evidence id.
    let mut measured: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, row) in scaling.iter().enumerate() {
        let Some(id) = row.enhancement.as_deref() else {
            continue;
        };
        if !evidence.iter().any(|e| e.id == id) {
            out.errors.push(CalibrateError::UnknownEnhancement {
                line: row.line,
                id: id.to_owned(),
                suggestion: did_you_mean(id, evidence.iter().map(|e| e.id)).map(str::to_owned),
            });
            continue;
        }
        if let Some(&first) = measured.get(id) {
            out.errors.push(CalibrateError::SeveralMeasurements {
                line: row.line,
                first_line: scaling[first].line,
                id: id.to_owned(),
            });
            continue;
        }
        measured.insert(id, i);
    }

    let mut curves: BTreeMap<(&str, &str), Curve> = BTreeMap::new();
    for (key, group) in &groups {
        if let Some(curve) = build_curve(scaling, &usable, key, group, &mut out) {
            curves.insert(*key, curve);
        }
    }

    for e in evidence {
        let Some(&i) = measured.get(e.id) else {
            if e.derive {
                out.errors.push(CalibrateError::NoMeasurement {
                    line: e.line,
                    id: e.id.to_owned(),
                });
            }
            continue;
        };
        let row = &scaling[i];
        if !e.derive {
            out.warnings.push(CalibrateWarning::MeasurementUnused {
                line: row.line,
                id: e.id.to_owned(),
            });
            continue;
        }
        if !usable[i] {
            continue;
        }
        let key = (row.family.as_str(), row.benchmark.as_str());
        let group = &groups[&key];
        match group.base.as_slice() {
            [] => out.errors.push(CalibrateError::NoBaseCurve {
                line: row.line,
                family: row.family.clone(),
                benchmark: row.benchmark.clone(),
            }),
            [only] => out.errors.push(CalibrateError::OneBasePoint {
                line: row.line,
                base_line: scaling[*only].line,
                family: row.family.clone(),
                benchmark: row.benchmark.clone(),
            }),
            _ => {
                // A curve with problems of its own has its errors already.
                if let Some(curve) = curves.get(&key) {
                    match derive_one(e.id, row, curve) {
                        Ok(d) => out.derivations.push(d),
                        Err(err) => out.errors.push(err),
                    }
                }
            }
        }
    }
    out.errors.sort_by_key(|e| (e.file(), e.line()));
    out.warnings.sort_by_key(CalibrateWarning::line);
    out
}

/// The base curve of one group, or `None` when one of its rows has a problem, two points share
/// a compute (an error), or fewer than 2 points remain.
#[expect(
    clippy::float_cmp,
    reason = "two rows at the same compute, as written, are the duplicate"
)]
fn build_curve(
    scaling: &[ScalingRow],
    usable: &[bool],
    key: &(&str, &str),
    group: &Group,
    out: &mut Calibration,
) -> Option<Curve> {
    let mut idx: Vec<usize> = group.base.iter().copied().filter(|&i| usable[i]).collect();
    // Stable: rows at one compute stay in file order, so the later one is reported.
    idx.sort_by(|&a, &b| scaling[a].compute.total_cmp(&scaling[b].compute));
    let mut duplicate = false;
    for w in idx.windows(2) {
        if scaling[w[0]].compute == scaling[w[1]].compute {
            let (first, second) = if scaling[w[0]].line < scaling[w[1]].line {
                (w[0], w[1])
            } else {
                (w[1], w[0])
            };
            out.errors.push(CalibrateError::DuplicateBaseCompute {
                line: scaling[second].line,
                first_line: scaling[first].line,
                family: key.0.to_owned(),
                benchmark: key.1.to_owned(),
                compute: scaling[second].compute,
            });
            duplicate = true;
        }
    }
    // A row with a problem of its own leaves the curve unusable; its error is reported already.
    if duplicate || idx.len() < 2 || idx.len() != group.base.len() {
        return None;
    }
    let scores: Vec<f64> = idx.iter().map(|&i| scaling[i].score).collect();
    let (fitted, pools) = pool_adjacent_violators(&scores);
    let points: Vec<BasePoint> = idx
        .iter()
        .zip(&fitted)
        .map(|(&i, &f)| BasePoint {
            model: scaling[i].model.clone(),
            compute: scaling[i].compute,
            log10_compute: libm::log10(scaling[i].compute),
            score: scaling[i].score,
            fitted: f,
            line: scaling[i].line,
        })
        .collect();
    for pool in pools {
        out.warnings.push(CalibrateWarning::PooledViolators {
            family: key.0.to_owned(),
            benchmark: key.1.to_owned(),
            lines: pool.points.iter().map(|&k| points[k].line).collect(),
            pooled_score: pool.score,
        });
    }
    let range = group.range.map_or(DEFAULT_RANGE, |(r, _)| r);
    let logistic = if points.len() >= LOGISTIC_MIN_POINTS {
        let x: Vec<f64> = points.iter().map(|p| p.log10_compute).collect();
        let fit = fit_logistic(&x, &scores, range.0, range.1);
        if fit.is_none() {
            out.warnings.push(CalibrateWarning::LogisticFailed {
                family: key.0.to_owned(),
                benchmark: key.1.to_owned(),
                line: scaling[group.base[0]].line,
            });
        }
        fit
    } else {
        None
    };
    Some(Curve {
        family: key.0.to_owned(),
        benchmark: key.1.to_owned(),
        range,
        points,
        logistic,
    })
}

fn derive_one(id: &str, row: &ScalingRow, curve: &Curve) -> Result<Derivation, CalibrateError> {
    let xs: Vec<f64> = curve.points.iter().map(|p| p.log10_compute).collect();
    let ys: Vec<f64> = curve.points.iter().map(|p| p.fitted).collect();
    let x_own = libm::log10(row.compute);
    let Some(own) = score_at(&xs, &ys, x_own) else {
        return Err(CalibrateError::OwnComputeOutsideCurve {
            line: row.line,
            compute: row.compute,
            min: curve.points[0].compute,
            max: curve.points[curve.points.len() - 1].compute,
        });
    };
    let c = crossing(&xs, &ys, x_own, own, row.score);
    let (equivalent_compute, ceg) = match c.censoring {
        // A bound sits at a base model: the ratio of computes as written.
        Censoring::Lower => {
            let max = curve.points[curve.points.len() - 1].compute;
            (max, max / row.compute)
        }
        Censoring::Upper => {
            let min = curve.points[0].compute;
            (min, min / row.compute)
        }
        Censoring::None => (
            libm::pow(10.0, c.log10_compute),
            libm::pow(10.0, c.log10_compute - x_own),
        ),
    };
    let logistic = curve.logistic.map(|fit| {
        let x = fit.log10_compute_at(row.score);
        LogisticAlternative {
            midpoint: fit.midpoint,
            scale: fit.scale,
            equivalent_compute: x.map(|x| libm::pow(10.0, x)),
            ceg: x.map(|x| libm::pow(10.0, x - x_own)),
            extrapolated: x.is_some_and(|x| x < xs[0] || x > xs[xs.len() - 1]),
        }
    });
    let base = curve
        .points
        .iter()
        .map(|p| DerivedBasePoint {
            model: p.model.clone(),
            compute: p.compute,
            score: p.score,
            fitted: p.fitted,
            line: p.line,
        })
        .collect();
    Ok(Derivation {
        id: id.to_owned(),
        derived: DerivedCeg {
            method: METHOD.to_owned(),
            family: curve.family.clone(),
            benchmark: curve.benchmark.clone(),
            model: row.model.clone(),
            line: row.line,
            own_compute: row.compute,
            own_score: own,
            enhanced_score: row.score,
            equivalent_compute,
            ceg,
            censoring: c.censoring,
            below_own: row.score < own,
            range: curve.range,
            base,
            logistic,
        },
        fit: curve.logistic,
    })
}

/// The range stated in a row's notes as `range: LOW to HIGH`: `None` when the notes state
/// none, `Some(Err(text))` when the statement is malformed.
pub fn stated_range(notes: &str) -> Option<Result<(f64, f64), String>> {
    let at = notes.find("range:")?;
    let rest = notes[at + "range:".len()..].trim_start();
    let words: Vec<&str> = rest.split_whitespace().take(3).collect();
    let number = |w: &str| {
        w.trim_end_matches([',', ';', ')'])
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
    };
    let parsed = match words.as_slice() {
        [low, "to", high] => number(low).zip(number(high)),
        _ => None,
    };
    Some(match parsed {
        Some((low, high)) if low < high => Ok((low, high)),
        _ => Err(words.join(" ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_from_the_notes() {
        assert_eq!(stated_range("no statement"), None);
        assert_eq!(
            stated_range("Normalized average; range: -100 to 100; see Table 5"),
            Some(Ok((-100.0, 100.0)))
        );
        assert_eq!(stated_range("range: 50 to 100."), Some(Ok((50.0, 100.0))));
        assert!(matches!(stated_range("range: 100 to 0"), Some(Err(_))));
        assert!(matches!(stated_range("range: wide"), Some(Err(_))));
    }
}
