//! The results a pass adds up to: quantiles, thresholds and their policy answers,
//! histograms, contributions and the sensitivity analysis, and the second pass that recounts
//! the values when the pilot's brackets missed a rank.

#[allow(
    clippy::wildcard_imports,
    reason = "a part of the engine, sharing its types"
)]
use super::*;
use crate::kernel::elicited_from_gap;
use crate::round_analytic;
use overhang_model::results::{CalendarWorth, FirstLeg, SinceEvaluation};

pub(super) fn results(
    scenario: &Scenario,
    plan: &Plan,
    thresholds: &[Threshold],
    n: u64,
    passed: Passed,
    reruns: &crate::sensitivity::Reruns,
) -> Result<ScenarioResults, SimError> {
    let (swings, held) = reruns;
    let Passed {
        acc,
        resolved,
        edges,
        hist_counts,
    } = passed;
    let steps = plan.years.len();
    let n_thr = plan.thresholds.len();
    let nf = n as f64;

    // Results.
    let q = |col: usize, p: f64| resolved.quantile(col, p);
    let mut multiplier_sums = acc.multiplier_sums.clone();
    multiplier_sums.sort_by_key(|&(chunk, _)| chunk);
    let mean_multiplier = |j: usize| multiplier_sums.iter().map(|(_, s)| s[j]).sum::<f64>() / nf;
    let projection: Vec<ProjectionPoint> = (0..steps)
        .map(|j| {
            let mut vals = [0.0; 5];
            let mut se = [0.0; 5];
            for (k, p) in PROBS.into_iter().enumerate() {
                let d = (p * (1.0 - p) / nf).sqrt();
                vals[k] = pow10(q(j, p));
                se[k] = (pow10(q(j, p + d)) - pow10(q(j, p - d))) / 2.0;
            }
            ProjectionPoint {
                months: plan.months[j],
                p5: vals[0],
                p25: vals[1],
                p50: vals[2],
                p75: vals[3],
                p95: vals[4],
                se: Quantiles5::from_array(se),
                mean_log10: acc.sum_u[j] as f64 / FIXED / nf,
                mean: mean_multiplier(j),
                p_no_uplift: acc.no_uplift[j] as f64 / nf,
            }
        })
        .collect();

    let threshold_results = thresholds
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let col = steps + k;
            let never = u64::from(acc.hist[col * NBINS + NBINS - 1]);
            let mut crossing = [None; 5];
            for (c, p) in crossing.iter_mut().zip(PROBS) {
                let m = q(col, p);
                *c = m.is_finite().then_some(m);
            }
            let policy = policy_answers(plan, &acc, &resolved, t, k, n);
            ThresholdResult {
                label: t.label.clone(),
                multiplier: t.multiplier,
                probability: (0..steps)
                    .map(|j| acc.exceed[j * n_thr + k] as f64 / nf)
                    .collect(),
                crossing_months: Quantiles5::from_array(crossing),
                p_no_crossing: never as f64 / nf,
                p_exceeded_at_release: acc.exceed[k] as f64 / nf,
                p_growth_alone_exceeds: plan
                    .growth_months
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| GROWTH_MONTHS.contains(m))
                    .map(|(i, &m)| (m, acc.growth_exceed[i * n_thr + k] as f64 / nf))
                    .collect(),
                cadence_months: t.cadence_months,
                tolerance: t.tolerance,
                clause: t.clause.clone(),
                total_uplift_p_within_interval: policy.total_p_within_interval,
                total_uplift_longest_interval_months: policy.total_longest_interval_months,
                since_evaluation: policy.since_evaluation,
                adequacy: None,
                first_leg: policy.first_leg,
            }
        })
        .collect();

    let growth_after_release = plan
        .growth_months
        .iter()
        .enumerate()
        .map(|(i, &months)| {
            let v = PROBS.map(|p| pow10(q(plan.growth_col(i), p)));
            GrowthPoint {
                months,
                p5: v[0],
                p25: v[1],
                p50: v[2],
                p75: v[3],
                p95: v[4],
            }
        })
        .collect();
    let mut safety_buffer: Vec<SafetyBuffer> = SAFETY_TOLERANCES
        .iter()
        .map(|&tolerance| SafetyBuffer {
            months: 0,
            tolerance,
            multiplier: pow10(q(0, 1.0 - tolerance)),
        })
        .collect();
    if let Ok(i) = plan.growth_months.binary_search(&12) {
        safety_buffer.extend(SAFETY_TOLERANCES.iter().map(|&tolerance| SafetyBuffer {
            months: 12,
            tolerance,
            multiplier: pow10(q(plan.growth_u_col(i), 1.0 - tolerance)),
        }));
    }

    let sens = plan.sens_cols().len();
    let main_step = thresholds
        .iter()
        .position(|t| t.cadence_months.is_some())
        .or(if thresholds.is_empty() { None } else { Some(0) });
    let sensitivity = plan
        .sens_steps
        .iter()
        .enumerate()
        .map(|(h, &j)| {
            let mut entries: Vec<SensitivityEntry> = plan
                .inputs
                .iter()
                .enumerate()
                .map(|(i, input)| SensitivityEntry {
                    input: input.id.clone(),
                    label: input.label.clone(),
                    first_order: share(&acc, n, sens, i, h),
                    median_at_p5: swings[h][i].median_p5,
                    median_at_p95: swings[h][i].median_p95,
                    rank: 0,
                    p_step_at_p5: swings[h][i].exceed_p5.clone(),
                    p_step_at_p95: swings[h][i].exceed_p95.clone(),
                    step_rank: 0,
                })
                .collect();
            // Largest share first; equal shares by the wider swing, then by id.
            entries.sort_by(|a, b| {
                b.first_order
                    .total_cmp(&a.first_order)
                    .then_with(|| swing(b).total_cmp(&swing(a)))
                    .then_with(|| a.input.cmp(&b.input))
            });
            for (r, e) in entries.iter_mut().enumerate() {
                e.rank = r as u32 + 1;
            }
            if let Some(k) = main_step {
                // Widest swing in P(>= main step) first; equal swings by the variance rank.
                let mut order: Vec<usize> = (0..entries.len()).collect();
                order.sort_by(|&a, &b| {
                    let sw = |i: usize| entries[i].step_swing(k).unwrap_or(0.0);
                    sw(b).total_cmp(&sw(a)).then_with(|| a.cmp(&b))
                });
                for (r, i) in order.into_iter().enumerate() {
                    entries[i].step_rank = r as u32 + 1;
                }
            }
            Sensitivity {
                months: plan.months[j],
                median: projection[j].p50,
                inputs: entries,
                main_step,
            }
        })
        .collect();

    let answer_sensitivity = main_step
        .map(|k| answer_sensitivity(plan, &acc, n, k))
        .unwrap_or_default();

    let contributions = contributions(plan, &resolved, steps + n_thr)?;

    let (lo, width) = edges;
    let histograms = plan
        .sens_steps
        .iter()
        .enumerate()
        .map(|(h, &j)| Histogram {
            months: plan.months[j],
            edges_log10: (0..=HIST_BINS).map(|i| lo + width * i as f64).collect(),
            fractions: hist_counts[h * HIST_ROW..h * HIST_ROW + HIST_BINS]
                .iter()
                .map(|&c| c as f64 / nf)
                .collect(),
            overflow: hist_counts[h * HIST_ROW + HIST_BINS] as f64 / nf,
        })
        .collect();

    let mut notes = plan.notes.clone();
    if resolved.interpolated {
        notes.push(
            "Some reported quantiles fell among more samples than the engine collects exactly and \
             were interpolated within a histogram bin 0.4% wide."
                .to_owned(),
        );
    }
    Ok(ScenarioResults {
        id: scenario.id.clone(),
        scope: scenario.scope.clone(),
        scenario: scenario.scenario.clone(),
        label: scenario.label.clone(),
        scope_label: scenario.scope_label.clone(),
        scenario_label: scenario.scenario_label.clone(),
        description: scenario.description.clone(),
        overrides: scenario.overrides.clone(),
        projection,
        growth_after_release,
        safety_buffer,
        thresholds: threshold_results,
        sensitivity,
        contributions,
        histograms,
        notes,
        conditional: held
            .iter()
            .map(|h| Conditional {
                input: h.input.clone(),
                value: h.value,
                steps: plan
                    .sens_steps
                    .iter()
                    .enumerate()
                    .map(|(k, &j)| ConditionalStep {
                        months: plan.months[j],
                        p50: h.medians[k],
                        probability: h.exceed[k].clone(),
                    })
                    .collect(),
            })
            .collect(),
        at_budget: None,
        profiles: Vec::new(),
        elicitation_time: calendar_worth(plan, &resolved),
        answer_sensitivity,
        kappa_alternative: None,
    })
}

/// The answers a safety policy needs about one threshold (its adequacy answer is filled in
/// later, from the reruns under other evaluations).
#[derive(Default)]
struct PolicyAnswers {
    total_p_within_interval: Option<f64>,
    total_longest_interval_months: Option<u32>,
    since_evaluation: Option<SinceEvaluation>,
    first_leg: Option<FirstLeg>,
}

/// The policy answers of threshold `t` (index `k`), from the draws counted by the first whole
/// month their uplift, and their growth after the evaluation, reach it (see the `answers`
/// module).
fn policy_answers(
    plan: &Plan,
    acc: &Acc,
    resolved: &crate::quantiles::Resolved,
    t: &Threshold,
    k: usize,
    n: u64,
) -> PolicyAnswers {
    let Some(p) = plan.policy.iter().position(|&i| i == k) else {
        return PolicyAnswers::default();
    };
    let bins = first_month_bins(plan);
    let counts = |p: usize| &acc.first_month[p * bins..(p + 1) * bins];
    let total = crate::answers::by_month(counts(p), n);
    let growth = crate::answers::by_month(counts(plan.policy.len() + p), n);
    let worth = t
        .cadence_months
        .and_then(|c| plan.interval_col(c))
        .map(|col| quantiles3(resolved, col));
    PolicyAnswers {
        total_p_within_interval: t.cadence_months.map(|c| total[c as usize]),
        total_longest_interval_months: t
            .tolerance
            .map(|tol| crate::answers::longest_within(&total, tol)),
        since_evaluation: Some(crate::answers::since_evaluation(t, &growth, worth)),
        first_leg: crate::answers::first_leg(t, &growth),
    }
}

/// The 5th, 50th and 95th percentiles of `10^x` over column `col`.
fn quantiles3(resolved: &crate::quantiles::Resolved, col: usize) -> Quantiles3 {
    let q = |p: f64| pow10(resolved.quantile(col, p));
    Quantiles3 {
        p5: q(0.05),
        p50: q(0.5),
        p95: q(0.95),
    }
}

/// What each calendar leg of the clauses is worth: quantiles of the growth after the
/// evaluation at its months.
fn calendar_worth(plan: &Plan, resolved: &crate::quantiles::Resolved) -> Vec<CalendarWorth> {
    plan.intervals
        .iter()
        .filter_map(|i| {
            let col = plan.interval_col(i.months)?;
            Some(CalendarWorth {
                clause: i.clause.clone(),
                kind: i.kind.to_owned(),
                months: i.months,
                worth: quantiles3(resolved, col),
            })
        })
        .collect()
}

/// Offers every value to the collectors of the order statistics: from the pilot's store, and
/// by drawing and evaluating the other chunks again.
pub(super) fn second_pass(
    plan: &Plan,
    selection: &Selection,
    n: u64,
    pilot_store: &[f64],
    pilot: u64,
) -> Result<crate::quantiles::Resolved, SimError> {
    let cols = plan.columns();
    let block = plan.width() * STRIDE;
    let collected: Vec<_> = groups(0..chunks(n), 4)
        .into_par_iter()
        .map(|range| {
            let mut collector = selection.collector();
            let mut work: Option<(Work, Vec<f64>)> = None;
            for chunk in range {
                let len = chunk_len(n, chunk);
                let vals: &[f64] = if chunk < pilot {
                    &pilot_store[chunk as usize * block..(chunk as usize + 1) * block]
                } else {
                    let (w, buf) =
                        work.get_or_insert_with(|| (Work::new(plan, STRIDE), vec![0.0; block]));
                    let done = w
                        .draw(plan, chunk, len)
                        .and_then(|()| w.evaluate(plan, len, buf, STRIDE));
                    if let Err(e) = done {
                        return (collector, Some((chunk, e)));
                    }
                    buf
                };
                for col in 0..cols {
                    selection.offer(&mut collector, col, &vals[col * STRIDE..col * STRIDE + len]);
                }
            }
            (collector, None)
        })
        .collect();
    let mut first = None;
    let mut merged: Option<crate::quantiles::Collector> = None;
    for (c, f) in collected {
        keep_earliest(&mut first, f);
        match merged.as_mut() {
            None => merged = Some(c),
            Some(m) => m.merge(c),
        }
    }
    if let Some((_, e)) = first {
        return Err(e);
    }
    Ok(selection.resolve(merged.expect("at least one worker")))
}

/// One step's counts in [`histogram_counts`]: the bins, then the samples past the last edge
/// (which the last bin holds too).
const HIST_ROW: usize = HIST_BINS + 1;

/// The reported histograms' counts, per histogram step ([`HIST_ROW`] a step), from the held
/// values of `U`.
pub(super) fn histogram_counts(
    plan: &Plan,
    sens_store: &[f64],
    n: u64,
    edges: (f64, f64),
) -> Vec<u64> {
    let steps = plan.sens_steps.len();
    let (lo, width) = edges;
    sens_store
        .par_chunks(steps * STRIDE)
        .enumerate()
        .fold(
            || vec![0u64; steps * HIST_ROW],
            |mut counts, (chunk, vals)| {
                let len = chunk_len(n, chunk as u64);
                for h in 0..steps {
                    let out = &mut counts[h * HIST_ROW..(h + 1) * HIST_ROW];
                    for &u in &vals[h * STRIDE..h * STRIDE + len] {
                        let b = ((u - lo) / width).floor();
                        let b = if b > 0.0 { b as usize } else { 0 };
                        // Past the last edge: folded into the last bin, and counted apart.
                        if b >= HIST_BINS {
                            out[HIST_BINS] += 1;
                        }
                        out[b.min(HIST_BINS - 1)] += 1;
                    }
                }
                counts
            },
        )
        .reduce_with(|mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
            a
        })
        .expect("at least one chunk")
}

fn swing(e: &SensitivityEntry) -> f64 {
    (e.median_at_p95 - e.median_at_p5).abs()
}

/// The histogram's lower edge and bin width, in OOM: from the 0.5th to the 99.5th percentile of
/// `U` over the histogram steps, located in the pass-1 counts and widened to tenths.
pub(super) fn histogram_edges(plan: &Plan, hist: &[u64], n: u64) -> (f64, f64) {
    let lo_rank = ((n - 1) as f64 * 0.005).floor() as u64;
    let hi_rank = ((n - 1) as f64 * 0.995).ceil() as u64;
    let mut lo = f64::INFINITY;
    let mut hi = 0.0f64;
    for &j in &plan.sens_steps {
        let counts = &hist[j * NBINS..(j + 1) * NBINS];
        lo = lo.min(bin_lower(locate(counts, lo_rank).0));
        hi = hi.max(bin_upper(locate(counts, hi_rank).0));
    }
    let lo = (lo * 10.0).floor() / 10.0;
    let mut hi = (hi * 10.0).ceil() / 10.0;
    if !hi.is_finite() || hi <= lo {
        hi = lo + 0.1;
    }
    (lo, (hi - lo) / HIST_BINS as f64)
}

fn contributions(
    plan: &Plan,
    resolved: &crate::quantiles::Resolved,
    first_col: usize,
) -> Result<Vec<Contribution>, SimError> {
    // A frozen category's available slot is filled from its elicited one in every draw.
    let source = |slot: usize| {
        plan.copies
            .iter()
            .find(|&&(_, to)| to == slot)
            .map_or(slot, |&(from, _)| from)
    };
    let at = |slot: usize, p: f64| match plan.slots[source(slot)] {
        SlotValue::Const(v) => v,
        SlotValue::Input(i) => plan.inputs[i].sampler.value_at(p),
    };
    let input_of = |slot: usize| matches!(plan.slots[slot], SlotValue::Input(_));
    plan.categories
        .iter()
        .enumerate()
        .map(|(c, (id, label))| {
            // Closed-form quantiles of the inputs, rounded to `ANALYTIC_DIGITS`.
            let three = |f: &dyn Fn(f64) -> f64| {
                [f(0.05), f(0.5), f(0.95)].map(|x| round_analytic(pow10(x)))
            };
            let available = three(&|p| at(Plan::available(c), p));
            let stated_gap = plan.gaps.contains(&c);
            let elicited = if stated_gap {
                elicited_from_gap_quantiles(&|p| at(Plan::available(c), p), &|p| at(plan.gap(c), p))
                    .map(|x| round_analytic(pow10(x)))
            } else {
                three(&|p| at(Plan::elicited(c), p))
            };
            let at_horizon = [0.05, 0.5, 0.95].map(|p| pow10(resolved.quantile(first_col + c, p)));
            if !at_horizon.iter().all(|x| x.is_finite()) {
                return Err(SimError::NonFinite {
                    input: format!("categories.{id}.growth"),
                    scenario: plan.scenario.clone(),
                });
            }
            let lag = plan.lag(c);
            let frozen = plan.copies.iter().any(|&(_, to)| to == Plan::available(c))
                || matches!(plan.slots[lag], SlotValue::Const(v) if v == f64::INFINITY);
            let lag_months = (input_of(lag)
                || matches!(plan.slots[lag], SlotValue::Const(v) if v > 0.0 && v.is_finite()))
            .then(|| {
                Quantiles3::from_array([0.05, 0.5, 0.95].map(|p| round_analytic(at(lag, p) * 12.0)))
            });
            Ok(Contribution {
                id: id.clone(),
                label: label.clone(),
                available: Quantiles3::from_array(available),
                elicited: Quantiles3::from_array(elicited),
                gap: stated_gap
                    .then(|| Quantiles3::from_array(three(&|p| at(plan.gap(c), p).max(0.0)))),
                lag_months,
                frozen,
                at_horizon: Quantiles3::from_array(at_horizon),
            })
        })
        .collect()
}

/// Points per axis of [`elicited_from_gap_quantiles`]' grid.
const GAP_GRID: usize = 201;

/// The 5th, 50th and 95th percentiles of the log10 elicited level `max(A - max(G, 0), 0)` of a
/// category with a stated gap, `A` and `G` independent with quantile functions `a` and `g`:
/// by quadrature over a grid of equal-probability midpoints of both (exact up to the grid's
/// resolution, and the same numbers on every run).
fn elicited_from_gap_quantiles(a: &dyn Fn(f64) -> f64, g: &dyn Fn(f64) -> f64) -> [f64; 3] {
    let mid = |k: usize| (k as f64 + 0.5) / GAP_GRID as f64;
    let av: Vec<f64> = (0..GAP_GRID).map(|k| a(mid(k))).collect();
    let gv: Vec<f64> = (0..GAP_GRID).map(|k| g(mid(k))).collect();
    let mut e: Vec<f64> = av
        .iter()
        .flat_map(|&a| gv.iter().map(move |&g| elicited_from_gap(a, g)))
        .collect();
    e.sort_by(f64::total_cmp);
    let n = e.len();
    [0.05, 0.5, 0.95].map(|p| {
        let (lo, hi, w) = crate::quantiles::ranks(n as u64, p);
        let (lo, hi) = (lo as usize, hi as usize);
        e[lo] + w * (e[hi.min(n - 1)] - e[lo])
    })
}

/// The inputs ranked by their first-order share of the variance of each policy answer's
/// quantity (see [`Plan::answer_cols`]), for the main step `threshold`.
fn answer_sensitivity(
    plan: &Plan,
    acc: &Acc,
    n: u64,
    threshold: usize,
) -> Vec<overhang_model::results::AnswerSensitivity> {
    use overhang_model::results::{AnswerInput, AnswerSensitivity, PolicyAnswer};
    let sens = plan.sens_cols().len();
    let first = plan.sens_steps.len();
    plan.answer_cols()
        .into_iter()
        .enumerate()
        .map(|(a, (answer, _))| {
            let h = first + a;
            let mut inputs: Vec<AnswerInput> = plan
                .inputs
                .iter()
                .enumerate()
                .map(|(i, input)| AnswerInput {
                    input: input.id.clone(),
                    label: input.label.clone(),
                    first_order: share(acc, n, sens, i, h),
                    rank: 0,
                })
                .collect();
            // Largest share first; equal shares by id.
            inputs.sort_by(|a, b| {
                b.first_order
                    .total_cmp(&a.first_order)
                    .then_with(|| a.input.cmp(&b.input))
            });
            for (r, e) in inputs.iter_mut().enumerate() {
                e.rank = r as u32 + 1;
            }
            AnswerSensitivity {
                answer,
                months: match answer {
                    PolicyAnswer::SinceEvaluation => plan.main_cadence.unwrap_or(0),
                    PolicyAnswer::Adequacy => 0,
                },
                threshold,
                inputs,
            }
        })
        .collect()
}

/// The first-order share of input `i` in the variance of column `h` of [`Plan::sens_cols`]
/// (`sens` columns), from the pass's fixed-point sums.
fn share(acc: &Acc, n: u64, sens: usize, i: usize, h: usize) -> f64 {
    let bin_sums: Vec<f64> = acc.sens_sum[(i * sens + h) * SENS_BINS..][..SENS_BINS]
        .iter()
        .map(|&s| s as f64 / FIXED)
        .collect();
    let counts = &acc.sens_count[i * SENS_BINS..][..SENS_BINS];
    first_order(
        n,
        acc.sum_s[h] as f64 / FIXED,
        acc.sum_u2[h] as f64 / FIXED,
        &bin_sums,
        counts,
    )
}
