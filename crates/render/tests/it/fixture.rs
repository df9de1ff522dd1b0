//! A realistic `Results`, built by hand: two scenarios on a 0 to 60 month grid, three
//! thresholds, six categories, sensitivity, histograms and fits with diagnostics, one category
//! with a real fit and band. The numbers are plausible, not computed by the simulation; they
//! exist so the outputs can be looked at and pinned.
//!
//! `tests/fixtures/results.json` is this value serialised; the benchmark reads it. The test
//! below fails when the two drift apart; set `OVERHANG_UPDATE_FIXTURES=1` to rewrite the file.

use overhang_model::results::{
    BacktestResults, CategoryBacktest, CategoryInferenceOut, InferenceResults,
    InferenceSettingsOut, InfluenceOut, OffsetOut, ParamOut, PosteriorOut, PredictionOut, PriorOut,
    PriorsOut, RowOut, RowSdOut, TransferOut,
};
use overhang_model::results::{
    BandPoint, BootstrapSummary, CategoryFit, CategoryInput, ComposabilityInput, Conditional,
    ConditionalStep, Contribution, EvaluationInput, EvidenceCeg, EvidenceInput, FitLimit, FitNote,
    Fits, FrontierPoint, GrowthPoint, Histogram, InputFile, InputsSummary, Interval90,
    KappaAlternative, LineFit, PooledFit, ProjectionPoint, Quantiles3, Quantiles5, ReportInfo,
    RobustFit, SafetyBuffer, ScenarioResults, Sensitivity, SensitivityEntry, SimulationInfo, Thin,
    ThresholdInput, ThresholdResult, WorkedCategory, WorkedDraw,
};
use overhang_model::{
    Censoring, DerivedBasePoint, DerivedCeg, Estimate, LogisticAlternative, Results, SCHEMA_VERSION,
};
use overhang_testkit::{Tolerance, assert_close};

const LN10: f64 = core::f64::consts::LN_10;

const Z: [f64; 5] = [-1.644_853_6, -0.674_489_75, 0.0, 0.674_489_75, 1.644_853_6];

/// The fractions of a histogram as the fixture writes them, each rounded: their sum is 1 to
/// the rounding of a few dozen bins.
const ROUNDED_FRACTIONS: Tolerance = Tolerance::absolute("ROUNDED_FRACTIONS", 1e-3);

fn s(x: &str) -> String {
    x.to_owned()
}

/// Rounds to 4 significant digits through decimal text, so the JSON stays readable and reads
/// back to the same number.
fn r4(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{x:.3e}").parse().unwrap_or(x)
}

fn normal_sf(z: f64) -> f64 {
    0.5 * libm::erfc(z / core::f64::consts::SQRT_2)
}

/// A scenario's log10 uplift at month `m`: location and spread (both in OOM).
struct Shape {
    base: f64,
    per_year: f64,
    sd0: f64,
    sd_per_year: f64,
}

impl Shape {
    fn at(&self, months: u32) -> (f64, f64) {
        let t = f64::from(months) / 12.0;
        (
            self.base + self.per_year * t,
            self.sd0 + self.sd_per_year * t,
        )
    }
}

fn projection(shape: &Shape) -> Vec<ProjectionPoint> {
    (0..=20)
        .map(|i| {
            let months = i * 3;
            let (mu, sd) = shape.at(months);
            let q = Z.map(|z| r4(libm::pow(10.0, (mu + z * sd).max(0.0))));
            ProjectionPoint {
                months,
                p5: q[0],
                p25: q[1],
                p50: q[2],
                p75: q[3],
                p95: q[4],
                se: Quantiles5::from_array(q.map(|v| r4(v * 0.004))),
                mean_log10: r4(mu.max(0.0)),
                // A lognormal's mean, and the share of a normal U below 0, which the floor
                // gathers at 1x.
                mean: r4(libm::pow(10.0, mu + 0.5 * LN10 * sd * sd)),
                p_no_uplift: r4(1.0 - normal_sf(-mu / sd)),
            }
        })
        .collect()
}

/// The mean and spread of the growth after release, `U(t) - U(0)`, at `months`: the shape's
/// drift, and the spread it adds after release (at least a little, so the quantiles differ).
fn growth_shape(shape: &Shape, months: u32) -> (f64, f64) {
    let t = f64::from(months) / 12.0;
    (shape.per_year * t, (shape.sd_per_year * t).max(0.01))
}

fn growth_after_release(shape: &Shape) -> Vec<GrowthPoint> {
    [3, 6, 12, 60]
        .into_iter()
        .map(|months| {
            let (g, sd) = growth_shape(shape, months);
            let q = Z.map(|z| r4(libm::pow(10.0, (g + z * sd).max(0.0))));
            GrowthPoint {
                months,
                p5: q[0],
                p25: q[1],
                p50: q[2],
                p75: q[3],
                p95: q[4],
            }
        })
        .collect()
}

fn safety_buffer(shape: &Shape) -> Vec<SafetyBuffer> {
    // The quantiles of U at 1 - tolerance: z of 0.95, 0.90 and 0.50.
    let z = [1.644_853_6, 1.281_551_6, 0.0];
    [0, 12]
        .into_iter()
        .flat_map(|months| {
            let (mu, sd) = shape.at(months);
            [0.05, 0.1, 0.5]
                .into_iter()
                .zip(z)
                .map(move |(tolerance, z)| SafetyBuffer {
                    months,
                    tolerance,
                    multiplier: r4(libm::pow(10.0, (mu + z * sd).max(0.0))),
                })
        })
        .collect()
}

fn thresholds(shape: &Shape) -> Vec<ThresholdResult> {
    [
        (s("2x effective compute"), 2.0),
        (s("4x effective compute"), 4.0),
        (s("6x effective compute"), 6.0),
    ]
    .into_iter()
    .map(|(label, multiplier)| {
        let probability: Vec<f64> = (0..=20)
            .map(|i| {
                let (mu, sd) = shape.at(i * 3);
                r4(normal_sf((libm::log10(multiplier) - mu) / sd))
            })
            .collect();
        // The month by which a share q of the draws has crossed: where P(t) reaches q.
        let crossing = [0.05, 0.25, 0.5, 0.75, 0.95].map(|q| {
            probability
                .windows(2)
                .enumerate()
                .find_map(|(i, w)| {
                    (w[0] < q && w[1] >= q)
                        .then(|| r4(3.0 * (i as f64 + (q - w[0]) / (w[1] - w[0]))))
                })
                .or_else(|| (probability[0] >= q).then_some(0.0))
        });
        // The 4x threshold carries a cadence and a tolerance, as the Anthropic RSP's does; its
        // answers are read off the same shape (the month-6 probability, the last month within
        // 10%, the month-6 quantiles).
        let policy = label.starts_with("4x");
        let (mu, sd) = shape.at(6);
        let z = overhang_model::estimate::Z95;
        let safe = (0..=60).take_while(|&m| {
            let (mu, sd) = shape.at(m);
            normal_sf((libm::log10(multiplier) - mu) / sd) <= 0.1
        });
        // Growth after release alone: its mean grows as the shape's, with the spread the shape
        // adds after release.
        let growth_alone = [3, 6, 12]
            .into_iter()
            .map(|m| {
                let (g, sd) = growth_shape(shape, m);
                // To four decimals: a tail of 1e-163 would not read back bit for bit.
                let p = normal_sf((libm::log10(multiplier) - g) / sd);
                (m, r4(libm::round(p * 1e4) / 1e4))
            })
            .collect();
        let safe_months = safe.last().unwrap_or(0);
        ThresholdResult {
            label,
            multiplier,
            p_no_crossing: r4(1.0 - probability[20]),
            p_exceeded_at_release: probability[0],
            p_growth_alone_exceeds: growth_alone,
            total_uplift_p_within_interval: policy.then(|| probability[2]),
            since_evaluation: policy.then(|| overhang_model::results::SinceEvaluation {
                interval_months: Some(6),
                p_within_interval: Some(probability[2]),
                longest_safe_interval_months: Some(safe_months),
                interval_worth: Some(Quantiles3 {
                    p5: r4(libm::pow(10.0, (mu - z * sd).max(0.0))),
                    p50: r4(libm::pow(10.0, mu)),
                    p95: r4(libm::pow(10.0, mu + z * sd)),
                }),
            }),
            probability,
            crossing_months: Quantiles5::from_array(crossing),
            cadence_months: policy.then_some(6),
            tolerance: policy.then_some(0.1),
            total_uplift_longest_interval_months: policy.then_some(safe_months),
            clause: None,
            adequacy: None,
            first_leg: None,
        }
    })
    .collect()
}

fn histogram(shape: &Shape, months: u32) -> Histogram {
    let (mu, sd) = shape.at(months);
    let edges: Vec<f64> = (0..=30).map(|i| r4(f64::from(i) * 0.1)).collect();
    let cdf = |x: f64| 1.0 - normal_sf((x - mu) / sd);
    let mut fractions: Vec<f64> = edges.windows(2).map(|w| cdf(w[1]) - cdf(w[0])).collect();
    // The tails fold into the end bins (U is floored at 0, so the low tail is a spike at 1x).
    fractions[0] += cdf(0.0);
    let last = fractions.len() - 1;
    let overflow = 1.0 - cdf(3.0);
    fractions[last] += overflow;
    Histogram {
        months,
        edges_log10: edges,
        fractions: fractions.into_iter().map(r4).collect(),
        overflow: r4(overflow),
    }
}

fn sensitivity(months: u32, median: f64, scale: f64, api_only: bool) -> Sensitivity {
    let mut entries = vec![
        (
            "categories.scaffolding.available",
            "Scaffolding: available CEG",
            0.21,
        ),
        ("composability.kappa", "Composability: kappa", 0.17),
        (
            "categories.reasoning.elicited",
            "Reasoning training: elicited CEG",
            0.12,
        ),
        ("categories.scaffolding.growth", "Scaffolding: growth", 0.09),
        (
            "categories.tool_use.available",
            "Tool use: available CEG",
            0.08,
        ),
        (
            "categories.solution_choice.available",
            "Solution choice: available CEG",
            0.07,
        ),
        (
            "categories.reasoning.available",
            "Reasoning training: available CEG",
            0.06,
        ),
        (
            "categories.data.available",
            "Fine-tuning data: available CEG",
            0.05,
        ),
        (
            "categories.tool_use.elicited",
            "Tool use: elicited CEG",
            0.04,
        ),
        (
            "categories.prompting.available",
            "Prompting: available CEG",
            0.03,
        ),
        ("categories.prompting.growth", "Prompting: growth", 0.02),
        (
            "categories.solution_choice.growth",
            "Solution choice: growth",
            0.015,
        ),
    ];
    if api_only {
        entries.retain(|e| e.0 != "categories.data.available");
    }
    // Later months give more weight to growth.
    let grown = f64::from(months) / 60.0;
    let mut entries: Vec<(String, String, f64)> = entries
        .into_iter()
        .map(|(i, l, share)| {
            let boost = if i.ends_with(".growth") {
                1.0 + grown
            } else {
                1.0
            };
            (s(i), s(l), share * boost)
        })
        .collect();
    entries.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    // The probability of reaching each step (2x, 4x, 6x) with every input free, and each
    // input's swing in it: growth moves whether a step is reached within the year more than
    // its share of the variance says, an elicited CEG less.
    let base: Vec<f64> = [2.0f64, 4.0, 6.0]
        .iter()
        .map(|&t| 1.0 / (1.0 + libm::pow(t / median, 3.0)))
        .collect();
    let step_swing = |input: &str, share: f64| {
        let w = if input.ends_with(".growth") {
            3.0
        } else if input.ends_with(".elicited") {
            0.3
        } else {
            1.0
        };
        (w * share).min(0.45)
    };
    let mut by_step: Vec<(f64, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (step_swing(&e.0, e.2), i))
        .collect();
    by_step.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut step_rank = vec![0u32; entries.len()];
    for (r, &(_, i)) in by_step.iter().enumerate() {
        step_rank[i] = r as u32 + 1;
    }
    Sensitivity {
        months,
        median: r4(median),
        main_step: Some(1),
        inputs: entries
            .into_iter()
            .enumerate()
            .map(|(rank, (input, label, share))| {
                // The swing in log space grows with the share; elicited inputs act against.
                let swing = scale * share.sqrt();
                let sign = if input.ends_with(".elicited") {
                    -1.0
                } else {
                    1.0
                };
                SensitivityEntry {
                    first_order: r4(share),
                    median_at_p5: r4(median * libm::pow(10.0, -sign * swing * 0.8)),
                    median_at_p95: r4(median * libm::pow(10.0, sign * swing)),
                    rank: rank as u32 + 1,
                    p_step_at_p5: base
                        .iter()
                        .map(|&p| r4((p - sign * step_swing(&input, share) * 0.8).clamp(0.0, 1.0)))
                        .collect(),
                    p_step_at_p95: base
                        .iter()
                        .map(|&p| r4((p + sign * step_swing(&input, share)).clamp(0.0, 1.0)))
                        .collect(),
                    step_rank: step_rank[rank],
                    input,
                    label,
                }
            })
            .collect(),
    }
}

fn contribution(
    id: &str,
    label: &str,
    available: [f64; 2],
    elicited: [f64; 2],
    grow: f64,
) -> Contribution {
    let mid = |a: [f64; 2]| r4((a[0] * a[1]).sqrt());
    Contribution {
        id: s(id),
        label: s(label),
        available: Quantiles3::from_array([available[0], mid(available), available[1]]),
        elicited: Quantiles3::from_array([elicited[0], mid(elicited), elicited[1]]),
        gap: None,
        lag_months: None,
        frozen: false,
        at_horizon: Quantiles3::from_array([
            r4(available[0] * grow.sqrt()),
            r4(mid(available) * grow),
            r4((available[1] * grow * 1.6).min(300.0)),
        ]),
    }
}

fn contributions(api_only: bool) -> Vec<Contribution> {
    vec![
        contribution("tool_use", "Tool use", [2.0, 20.0], [1.0, 3.0], 3.6),
        contribution("prompting", "Prompting", [1.5, 10.0], [1.0, 3.0], 2.2),
        contribution("scaffolding", "Scaffolding", [3.0, 30.0], [1.0, 3.0], 4.5),
        contribution(
            "solution_choice",
            "Solution choice",
            [2.0, 20.0],
            [1.0, 2.0],
            3.6,
        ),
        if api_only {
            contribution("data", "Fine-tuning data", [1.0, 1.0], [1.0, 1.0], 1.0)
        } else {
            contribution("data", "Fine-tuning data", [1.5, 15.0], [1.0, 1.0], 3.6)
        },
        contribution(
            "reasoning",
            "Reasoning training",
            [3.0, 30.0],
            [2.0, 10.0],
            if api_only { 1.0 } else { 3.9 },
        ),
    ]
}

/// The headline with kappa held at 0.2, 0.45, 0.7 and 1: the median rises with kappa around
/// the blend's, and so do the shares above 2x, 4x and 6x.
fn conditional(proj: &[ProjectionPoint], scale: f64) -> Vec<Conditional> {
    [0.2, 0.45, 0.7, 1.0]
        .into_iter()
        .map(|kappa: f64| {
            let factor = libm::pow(10.0, scale * (kappa - 0.55));
            Conditional {
                input: s("composability.kappa"),
                value: kappa,
                steps: [(12, 4), (60, 20)]
                    .into_iter()
                    .map(|(months, j): (u32, usize)| {
                        let p50 = r4(proj[j].p50 * factor);
                        let probability = [2.0, 4.0, 6.0]
                            .iter()
                            .map(|m: &f64| r4((p50 / (p50 + m)).clamp(0.0, 1.0)))
                            .collect();
                        ConditionalStep {
                            months,
                            p50,
                            probability,
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The headline under the alternative prior of kappa, flat on 0.2 to 1: a little above the
/// blend (the flat prior has more mass near 1), at release, 12 months and the horizon.
fn kappa_alternative(proj: &[ProjectionPoint], scale: f64) -> KappaAlternative {
    let factor = libm::pow(10.0, scale * 0.05);
    let steps = [0usize, 4, 20];
    let projection: Vec<ProjectionPoint> = steps
        .iter()
        .map(|&j| {
            let mut p = proj[j].clone();
            p.p50 = r4(p.p50 * factor);
            p
        })
        .collect();
    let probability = [2.0, 4.0, 6.0]
        .iter()
        .map(|m: &f64| {
            projection
                .iter()
                .map(|p| r4((p.p50 / (p.p50 + m)).clamp(0.0, 1.0)))
                .collect()
        })
        .collect();
    KappaAlternative {
        kappa: s("uniform(0.2, 1)"),
        projection,
        probability,
    }
}

/// A prior's shape, its quantiles rounded so that they read back exactly from JSON.
fn prior_shape(text: &str) -> overhang_model::results::PriorShape {
    let mut shape =
        overhang_model::results::PriorShape::from(&overhang_model::Estimate::parse(text).unwrap());
    for q in [&mut shape.p5, &mut shape.p50, &mut shape.p95] {
        *q = r4(*q);
    }
    shape
}

fn scenario(id: &str, shape: &Shape, api_only: bool) -> ScenarioResults {
    let proj = projection(shape);
    let (label, description, overrides, notes) = if api_only {
        (
            "API access only",
            "Only API access: enhancements that need the weights are unavailable. Fine-tuning on new data adds nothing and reasoning training stops where the release left it; tools, prompting, scaffolding and solution choice still grow.",
            vec![
                (s("categories.data.available"), s("1")),
                (s("categories.data.growth"), s("0")),
                (s("categories.reasoning.growth"), s("0")),
            ],
            vec![s(
                "Fine-tuning data is pinned at 1x in this scenario and drops out of the sensitivity analysis.",
            )],
        )
    } else {
        (
            "Open weights",
            "The weights are public: anyone can fine-tune, train further reasoning and build scaffolds. The base parameters.",
            Vec::new(),
            vec![s(
                "Reasoning training's growth comes from the fit of its evidence rows (growth = \"fit\").",
            )],
        )
    };
    let scale = if api_only { 0.35 } else { 0.5 };
    ScenarioResults {
        id: s(id),
        scope: s("average"),
        scenario: s(id),
        label: s(label),
        scope_label: s("Average task"),
        scenario_label: s(label),
        description: s(description),
        overrides,
        growth_after_release: growth_after_release(shape),
        safety_buffer: safety_buffer(shape),
        thresholds: thresholds(shape),
        sensitivity: vec![
            sensitivity(12, proj[4].p50, scale * 0.7, api_only),
            sensitivity(60, proj[20].p50, scale, api_only),
        ],
        contributions: contributions(api_only),
        histograms: vec![histogram(shape, 12), histogram(shape, 60)],
        notes,
        conditional: conditional(&proj, scale),
        at_budget: None,
        profiles: Vec::new(),
        elicitation_time: Vec::new(),
        answer_sensitivity: Vec::new(),
        kappa_alternative: Some(kappa_alternative(&proj, scale)),
        projection: proj,
    }
}

fn category(
    id: &str,
    label: &str,
    available: &str,
    elicited: &str,
    growth: &str,
    cap: Option<&str>,
    rationale: &str,
) -> CategoryInput {
    CategoryInput {
        id: s(id),
        label: s(label),
        available: s(available),
        elicited: s(elicited),
        gap: None,
        lag_months: None,
        growth: s(growth),
        cap: cap.map(s),
        inference_cost: None,
        rationale: s(rationale),
    }
}

/// The 90% interval of an estimate, as the loader records it for a row written as one.
fn interval(ceg: &str) -> Interval90 {
    Interval90::of(&Estimate::parse(ceg).expect("the fixture's CEGs are estimates"))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one argument per CSV column reads like the CSV"
)]
fn row(
    id: &str,
    name: &str,
    category: &str,
    benchmark: &str,
    ceg: &str,
    central: f64,
    date: &str,
    year: f64,
    source: &str,
    evidence: &str,
    notes: &str,
) -> EvidenceInput {
    EvidenceInput {
        id: s(id),
        name: s(name),
        category: s(category),
        benchmark: s(benchmark),
        ceg: s(ceg),
        ceg_central: central,
        ceg_interval: Some(interval(ceg)),
        censoring: Censoring::None,
        derived: false,
        date: s(date),
        year,
        source: s(source),
        evidence: s(evidence),
        notes: s(notes),
        scope: s("average"),
        inference_cost: None,
        study: None,
        estimand: None,
        mix: Vec::new(),
        metric: "capability".to_owned(),
    }
}

fn evidence() -> Vec<EvidenceInput> {
    vec![
        row(
            "lats",
            "Language Agent Tree Search (LATS)",
            "scaffolding",
            "",
            "10",
            10.0,
            "2023-10",
            2023.75,
            "https://www.lesswrong.com/posts/jXLi3dhSpSMd7B6z8/just-a-wrapper-how-much-do-scaffolds-matter-1",
            "secondary",
            "A 2026 post reports that Davidson et al. (arXiv 2312.07413) estimate LATS at roughly a 10x CEG; benchmark not stated there.",
        ),
        row(
            "test_time_compute",
            "Compute-optimal test-time compute (verifier search and revisions)",
            "solution_choice",
            "MATH",
            "14",
            14.0,
            "2024-08",
            2024.583,
            "https://arxiv.org/abs/2408.03314",
            "secondary",
            "Snell et al.: a smaller model with compute-optimal test-time compute matched a 14x larger model. A multiple of parameters, not of training compute.",
        ),
        row(
            "cot_fixture",
            "Chain-of-thought prompting (fixture row)",
            "reasoning",
            "GSM8K",
            "2 to 6",
            3.464,
            "2022-06",
            2022.417,
            "Fixture value for tests, not a published estimate",
            "assumption",
            "A made-up row so the reasoning category has enough dates for a fit.",
        ),
        row(
            "early_rl_fixture",
            "Early reinforcement-learned reasoning (fixture row)",
            "reasoning",
            "",
            "3 to 8",
            4.899,
            "2023-09",
            2023.667,
            "Fixture value for tests, not a published estimate",
            "assumption",
            "A made-up row so the reasoning category has enough dates for a fit.",
        ),
        row(
            "o1_high_gpqa",
            "Reasoning training with test-time scaling (o1-high vs GPT-4o)",
            "reasoning",
            "GPQA diamond",
            "9",
            9.0,
            "2024-09",
            2024.667,
            "https://epoch.ai/gradient-updates/quantifying-the-algorithmic-improvement-from-reasoning-models",
            "primary",
            "Epoch AI: matching o1-high on GPQA diamond without reasoning would take about 9x GPT-4o's pre-training compute.",
        ),
        row(
            "reasoning_models",
            "Early reasoning models (o1 family)",
            "reasoning",
            "GPQA diamond, MATH level 5, Mock AIME",
            "10",
            10.0,
            "2024-09",
            2024.667,
            "https://epoch.ai/gradient-updates/quantifying-the-algorithmic-improvement-from-reasoning-models",
            "primary",
            "Epoch AI: early reasoning models gave on the order of a 10x CEG; the authors call the estimates highly uncertain.",
        ),
        row(
            "late_rl_fixture",
            "Scaled reasoning training (fixture row)",
            "reasoning",
            "",
            "10 to 40",
            20.0,
            "2025-06",
            2025.417,
            "Fixture value for tests, not a published estimate",
            "assumption",
            "A made-up row so the reasoning category has enough dates for a fit.",
        ),
    ]
}

/// OLS of log10 CEG on year over the reasoning rows, with a 90% band (t with 3 df).
fn reasoning_fit(rows: &[EvidenceInput]) -> CategoryFit {
    let pts: Vec<(f64, f64)> = rows
        .iter()
        .filter(|r| r.category == "reasoning")
        .map(|r| (r.year, libm::log10(r.ceg_central)))
        .collect();
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let sse: f64 = pts
        .iter()
        .map(|p| (p.1 - intercept - slope * p.0) * (p.1 - intercept - slope * p.0))
        .sum();
    let sst: f64 = pts.iter().map(|p| (p.1 - my) * (p.1 - my)).sum();
    let df = n - 2.0;
    let sigma2 = sse / df;
    let slope_se = (sigma2 / sxx).sqrt();
    let intercept_se = (sigma2 * (1.0 / n + mx * mx / sxx)).sqrt();
    let t = 2.353_363_4; // Student t, 95th percentile, 3 df
    let line = LineFit {
        slope: r4(slope),
        intercept: r4(intercept),
        slope_se: r4(slope_se),
        intercept_se: r4(intercept_se),
        slope_ci90: [r4(slope - t * slope_se), r4(slope + t * slope_se)],
        r2: r4(1.0 - sse / sst),
        n: pts.len(),
        df,
        growth_per_year: r4(libm::pow(10.0, slope)),
        doubling_years: Some(r4(libm::log10(2.0) / slope)),
    };
    let band = (0..=16)
        .map(|i| {
            let year = 2022.25 + f64::from(i) * 0.25;
            let fit = intercept + slope * year;
            let half = t * (sigma2 * (1.0 / n + (year - mx) * (year - mx) / sxx)).sqrt();
            BandPoint {
                year,
                low: r4(libm::pow(10.0, fit - half)),
                fit: r4(libm::pow(10.0, fit)),
                high: r4(libm::pow(10.0, fit + half)),
            }
        })
        .collect();
    CategoryFit {
        category: s("reasoning"),
        n: pts.len(),
        bounds: 0,
        censored: None,
        limits: vec![FitLimit::MixedBenchmarks { count: 2 }],
        wls: Some(LineFit {
            slope: r4(slope * 0.93),
            slope_se: r4(slope_se * 1.1),
            ..line.clone()
        }),
        theil_sen: Some(RobustFit {
            slope: r4(slope * 0.97),
            intercept: r4(intercept * 0.97),
            slope_ci90: [r4(slope * 0.5), r4(slope * 1.6)],
        }),
        bootstrap: Some(BootstrapSummary {
            resamples: 2000,
            valid: 1987,
            failed: 13,
            mean: r4(slope * 1.02),
            sd: r4(slope_se * 1.2),
            quantiles: Quantiles3::from_array([r4(slope * 0.45), r4(slope), r4(slope * 1.7)]),
        }),
        frontier: vec![
            FrontierPoint {
                id: s("cot_fixture"),
                year: 2022.417,
                ceg: 3.464,
            },
            FrontierPoint {
                id: s("early_rl_fixture"),
                year: 2023.667,
                ceg: 4.899,
            },
            FrontierPoint {
                id: s("reasoning_models"),
                year: 2024.667,
                ceg: 10.0,
            },
            FrontierPoint {
                id: s("late_rl_fixture"),
                year: 2025.417,
                ceg: 20.0,
            },
        ],
        frontier_fit: Some(line.clone()),
        ols: Some(line),
        band,
        diagnostics: vec![FitNote::FewDegrees {
            category: s("reasoning"),
            df: 2,
        }],
    }
}

fn thin_fit(category: &str, n: usize) -> CategoryFit {
    let thin = match n {
        0 => Thin::NoRows,
        1 => Thin::OneRow { date: s("2024-06") },
        _ => Thin::TwoRows {
            first: s("2023-06"),
            second: s("2024-06"),
        },
    };
    let diagnostics = vec![FitNote::TooThin {
        category: s(category),
        thin,
    }];
    CategoryFit {
        category: s(category),
        n,
        bounds: 0,
        censored: None,
        limits: vec![FitLimit::NoFit],
        ols: None,
        wls: None,
        theil_sen: None,
        bootstrap: None,
        frontier: Vec::new(),
        frontier_fit: None,
        band: Vec::new(),
        diagnostics,
    }
}

/// The calibrate tests' toy family (10, 20, 30, 40 at 1e20 to 1e23 FLOP) with the 1e21 model
/// lifted to 30: C* = 1e22, a CEG of 10.
fn toy_derivation() -> DerivedCeg {
    let point = |i: i32, score: f64| DerivedBasePoint {
        model: format!("Toy 1e{}", 20 + i),
        compute: libm::pow(10.0, f64::from(20 + i)),
        score,
        fitted: score,
        line: 2 + i as usize,
    };
    DerivedCeg {
        method: s("interpolation"),
        family: s("toy"),
        benchmark: s("bench"),
        model: s("Toy 1e21 with a scaffold"),
        line: 6,
        own_compute: 1e21,
        own_score: 20.0,
        enhanced_score: 30.0,
        equivalent_compute: 1e22,
        ceg: 10.0,
        censoring: Censoring::None,
        below_own: false,
        range: (0.0, 100.0),
        base: vec![
            point(0, 10.0),
            point(1, 20.0),
            point(2, 30.0),
            point(3, 40.0),
        ],
        logistic: Some(LogisticAlternative {
            midpoint: 23.2,
            scale: 1.9,
            equivalent_compute: Some(1.2e22),
            ceg: Some(12.0),
            extrapolated: false,
        }),
    }
}

/// The base case with every category at the median of its estimates (the geometric mean of
/// its 90% interval) and kappa at 0.6, the median of uniform(0.3, 0.9): largest-first gives
/// 3.283 OOM available and 1.170 OOM elicited.
fn worked_draw() -> WorkedDraw {
    let category = |id: &str, available: f64, elicited: f64| WorkedCategory {
        category: s(id),
        available,
        elicited,
    };
    WorkedDraw {
        kappa: Some(0.6),
        categories: vec![
            category("tool_use", 6.325, 1.732),
            category("prompting", 3.873, 1.732),
            category("scaffolding", 9.487, 1.732),
            category("solution_choice", 6.325, 1.414),
            category("data", 4.743, 1.0),
            category("reasoning", 9.487, 4.472),
        ],
        available_oom: 3.283,
        elicited_oom: 1.170,
        uplift_oom: 2.113,
    }
}

/// The fixture.
pub fn results() -> Results {
    let mut evidence = evidence();
    // One bound and one derived CEG, so the outputs show both.
    for r in &mut evidence {
        match r.id.as_str() {
            "test_time_compute" => {
                r.ceg = s(">= 14");
                r.ceg_central = 14.0;
                r.ceg_interval = None;
                r.censoring = Censoring::Lower;
            }
            "lats" => {
                r.ceg = s("derive");
                r.ceg_interval = None;
                r.derived = true;
            }
            _ => {}
        }
    }
    let open = Shape {
        base: 0.33,
        per_year: 0.115,
        sd0: 0.26,
        sd_per_year: 0.035,
    };
    let api = Shape {
        base: 0.22,
        per_year: 0.075,
        sd0: 0.22,
        sd_per_year: 0.025,
    };
    let reasoning = reasoning_fit(&evidence);
    let cegs: Vec<EvidenceCeg> = evidence
        .iter()
        .map(|r| EvidenceCeg {
            id: r.id.clone(),
            ceg: r.ceg_central,
            censoring: r.censoring,
            derivation: (r.id == "lats").then(toy_derivation),
        })
        .collect();
    let pooled_slope = reasoning.ols.as_ref().map_or(0.0, |l| l.slope) * 0.9;
    let mut results = Results {
        schema_version: SCHEMA_VERSION,
        report: ReportInfo {
            title: s("Post-release capability growth from post-training enhancements"),
            version: s("0.1.0"),
            date: s("2026-11-26"),
            authors: vec![s("overhang developers")],
            release_date: s("2026-11-26"),
            keywords: vec![
                s("post-training enhancements"),
                s("compute-equivalent gain"),
                s("AI risk"),
                s("responsible scaling policy"),
            ],
            scope: s(
                "An average task of the benchmarks the evidence rows were measured on, not a dangerous-capability evaluation; estimates for narrower, risk-relevant scopes may differ in either direction.",
            ),
        },
        fingerprint: s("5f2c8e1a9b7d4c3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e"),
        tool_version: s("0.1.0"),
        simulation: SimulationInfo {
            samples: 100_000,
            seed: 1,
            chunk_size: 4096,
            horizon_months: 60,
            step_months: 3,
            tornado_samples: 10_000,
        },
        inputs: InputsSummary {
            clauses: Vec::new(),
            files: vec![
                InputFile {
                    name: s("assessment.toml"),
                    sha256: s("0b6f3a9e4d2c1b8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a29180"),
                },
                InputFile {
                    name: s("enhancements.csv"),
                    sha256: s("c4d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2"),
                },
            ],
            categories: vec![
                category(
                    "tool_use",
                    "Tool use",
                    "2 to 20",
                    "1 to 3",
                    "0.02 to 0.25",
                    Some("30 to 300"),
                    "Assumption. Davidson et al. (arXiv 2312.07413) report that most surveyed enhancements exceed a 5x CEG and some exceed 20x; the per-enhancement values could not be retrieved, so the interval is centred near that range for an average task.",
                ),
                category(
                    "prompting",
                    "Prompting",
                    "1.5 to 10",
                    "1 to 3",
                    "0.01 to 0.15",
                    Some("10 to 100"),
                    "Assumption. Modern models are trained to reason by default, so the remaining gain from prompting is taken to be smaller than the survey's typical 5x.",
                ),
                category(
                    "scaffolding",
                    "Scaffolding",
                    "3 to 30",
                    "1 to 3",
                    "0.03 to 0.3",
                    Some("30 to 300"),
                    "Assumption informed by evidence: LATS is estimated at roughly a 10x CEG (row lats, secondary).",
                ),
                category(
                    "solution_choice",
                    "Solution choice",
                    "2 to 20",
                    "1 to 2",
                    "0.02 to 0.25",
                    Some("30 to 300"),
                    "Assumption informed by evidence: compute-optimal test-time search matched a 14x larger model (row test_time_compute, secondary).",
                ),
                category(
                    "data",
                    "Fine-tuning data",
                    "1.5 to 15",
                    "1",
                    "0.02 to 0.25",
                    Some("30 to 300"),
                    "Assumption. Needs the weights (or a fine-tuning API), so the API-only scenario removes it.",
                ),
                category(
                    "reasoning",
                    "Reasoning training",
                    "3 to 30",
                    "2 to 10",
                    "fit",
                    Some("30 to 300"),
                    "Assumption informed by evidence: Epoch AI estimates early reasoning models at about a 10x CEG (rows reasoning_models and o1_high_gpqa, measured); growth from the fit of its rows.",
                ),
            ],
            composability: ComposabilityInput {
                method: s("largest-first"),
                kappa: Some(s("uniform(0.3, 0.9)")),
                kappa_alternative: Some(s("uniform(0.2, 1)")),
                pairs: Vec::new(),
                learn: true,
            },
            thresholds: vec![
                ThresholdInput {
                    clause: None,
                    label: s("2x effective compute"),
                    multiplier: 2.0,
                    policy: s(
                        "OpenAI Preparedness Framework (beta, 2023): evaluations at every >2x effective compute increase. https://cdn.openai.com/openai-preparedness-framework-beta.pdf",
                    ),
                    cadence_months: None,
                    tolerance: None,
                    policy_name: s("OpenAI Preparedness Framework"),
                    policy_version: s("beta"),
                    policy_date: Some(s("2023-12")),
                    superseded_by: s("version 2 (April 2025)"),
                },
                ThresholdInput {
                    clause: None,
                    label: s("4x effective compute"),
                    multiplier: 4.0,
                    policy: s(
                        "Anthropic Responsible Scaling Policy v2 (2024): re-evaluate at every 4x of effective compute. https://www.anthropic.com/responsible-scaling-policy",
                    ),
                    cadence_months: Some(6),
                    tolerance: Some(0.1),
                    policy_name: s("Anthropic Responsible Scaling Policy"),
                    policy_version: s("2.0"),
                    policy_date: Some(s("2024-10")),
                    superseded_by: String::new(),
                },
                ThresholdInput {
                    clause: None,
                    label: s("6x effective compute"),
                    multiplier: 6.0,
                    policy: s(
                        "Google DeepMind Frontier Safety Framework v1.0 (2024): evaluate every 6x of effective compute (secondary account).",
                    ),
                    cadence_months: None,
                    tolerance: None,
                    policy_name: String::new(),
                    policy_version: String::new(),
                    policy_date: None,
                    superseded_by: String::new(),
                },
            ],
            model: overhang_model::results::ModelInput::default(),
            context: vec![overhang_model::results::ContextInput {
                label: s("Pre-training algorithmic progress"),
                per_year: s("1.81 to 5.28"),
                median: 3.0913,
                interval: [1.81, 5.28],
                source: s("Ho et al. 2024, https://arxiv.org/abs/2403.05812"),
            }],
            evaluation: Some(EvaluationInput {
                description: s(
                    "A typical pre-release capability evaluation: the released model with basic \
                     tools in a simple agent scaffold, no fine-tuning, one sample per task.",
                ),
                tools: s("Code execution and web search"),
                scaffold: s("A simple ReAct-style agent loop"),
                fine_tuning: Some(false),
                samples_per_task: Some(1),
                scoring: s("pass@1"),
                inference_budget: s("Up to 1M tokens per task"),
                inference_multiple: None,
                inference_exchange: s("1 to 2"),
                profiles: Vec::new(),
            }),
            scopes: Vec::new(),
            evidence: evidence.clone(),
            warnings: vec![s(
                "enhancements.csv: rows cot_fixture, early_rl_fixture and late_rl_fixture are assumptions, not observations.",
            )],
        },
        scenarios: vec![
            scenario("open_weights", &open, false),
            scenario("api_only", &api, true),
        ],
        inference: Some(inference()),
        changes: None,
        evidence: cegs,
        composability: overhang_model::results::ComposabilityResults {
            combinations: vec![overhang_model::Combination {
                id: s("tools_and_voting"),
                categories: vec![s("tool_use"), s("solution_choice")],
                components: vec![s("tools"), s("voting")],
                joint: 40.0,
                parts: vec![10.0, 8.0],
                product: 80.0,
                implied_kappa: Some((libm::log10(40.0) - 1.0) / libm::log10(8.0)),
            }],
            learned_from: Some(vec![s("tools_and_voting")]),
            kappa_prior: Some(prior_shape("uniform(0.3, 0.9)")),
            kappa_alternative: Some(prior_shape("uniform(0.2, 1)")),
            prior: Some(overhang_model::Summary {
                mean: 0.6,
                sd: 0.173,
                p5: 0.33,
                p50: 0.6,
                p95: 0.87,
            }),
            posterior: Some(overhang_model::Summary {
                mean: 0.68,
                sd: 0.12,
                p5: 0.48,
                p50: 0.68,
                p95: 0.87,
            }),
            // Prior uniform(0.3, 0.9); posterior normal(0.68, 0.12), in 50 bins of kappa.
            density: (0..50)
                .map(|b| {
                    let k = (f64::from(b) + 0.5) / 50.0;
                    let prior = if (0.3..=0.9).contains(&k) {
                        1.0 / 0.6
                    } else {
                        0.0
                    };
                    let z = (k - 0.68) / 0.12;
                    let post =
                        libm::exp(-0.5 * z * z) / (0.12 * libm::sqrt(2.0 * std::f64::consts::PI));
                    // Four decimals, which read back from JSON exactly.
                    let round = |v: f64| (v * 1e4).round() / 1e4;
                    (k, round(prior), round(post))
                })
                .collect(),
            pairs: Vec::new(),
            ranking: None,
        },
        worked_draw: Some(worked_draw()),
        fits: Fits {
            scope: s("average"),
            scopes: Vec::new(),
            categories: vec![
                thin_fit("tool_use", 0),
                thin_fit("prompting", 0),
                thin_fit("scaffolding", 1),
                thin_fit("solution_choice", 1),
                thin_fit("data", 0),
                reasoning,
            ],
            pooled: Some(PooledFit {
                slope: r4(pooled_slope),
                slope_se: r4(pooled_slope * 0.4),
                slope_ci90: [r4(pooled_slope * 0.1), r4(pooled_slope * 1.9)],
                intercepts: vec![
                    (s("scaffolding"), -480.5),
                    (s("solution_choice"), -480.3),
                    (s("reasoning"), -480.8),
                ],
                r2: 0.71,
                n: 7,
                df: 3.0,
                growth_per_year: r4(libm::pow(10.0, pooled_slope)),
                doubling_years: Some(r4(libm::log10(2.0) / pooled_slope)),
                wls_slope: r4(pooled_slope * 0.95),
                wls_slope_se: r4(pooled_slope * 0.42),
            }),
            growth_method: s(
                "Reasoning training uses growth = \"fit\": its growth is drawn from the OLS slope of its own rows (Student t with 3 degrees of freedom).",
            ),
            diagnostics: vec![FitNote::NoPooledFit { categories: 1 }],
        },
    };
    // Learning moved kappa down the sensitivity ranking: with its prior, kappa explained a
    // larger share of the variance (a made-up share, so the table has something to show).
    let posterior = results.scenarios[0]
        .sensitivity
        .last()
        .unwrap()
        .inputs
        .clone();
    let mut prior = posterior.clone();
    for e in &mut prior {
        if e.input == "composability.kappa" {
            e.first_order = 0.31;
        }
    }
    prior.sort_by(|a, b| b.first_order.total_cmp(&a.first_order));
    for (i, e) in prior.iter_mut().enumerate() {
        e.rank = i as u32 + 1;
    }
    results.composability.ranking = Some(overhang_model::results::LearningRanking {
        scenario: results.scenarios[0].id.clone(),
        months: results.scenarios[0].sensitivity.last().unwrap().months,
        prior,
        posterior,
    });
    results
}

fn prior_out(text: &str, p5: f64, p50: f64, p95: f64) -> PriorOut {
    PriorOut {
        text: s(text),
        distribution: s("normal"),
        mean: Some(p50),
        sd: Some(r4((p95 - p5) / (2.0 * Z[4]))),
        mu: None,
        sigma: None,
        value: None,
        p5: Some(p5),
        p50: Some(p50),
        p95: Some(p95),
    }
}

/// A parameter's posterior summary, normal with median `p50` and sd `sd`.
fn param(p50: f64, sd: f64) -> ParamOut {
    ParamOut {
        p5: r4(p50 + Z[0] * sd),
        p50,
        p95: r4(p50 + Z[4] * sd),
        mean: p50,
        sd,
    }
}

fn posterior_out(a: (f64, f64), g: (f64, f64)) -> PosteriorOut {
    PosteriorOut {
        available: param(a.0, a.1),
        growth: param(g.0, g.1),
        correlation: -0.3,
        edge: -27.5,
    }
}

fn row_out(id: &str, kind: &str, y_log10: f64, years: f64, study: &str) -> RowOut {
    RowOut {
        id: s(id),
        kind: s(kind),
        y_log10,
        years,
        study: s(study),
        estimand: s("post_trained"),
        sigma: 0.25,
        mix: Vec::new(),
    }
}

fn influence_out(study: &str, rows: &[&str], a_p50: f64, shift: f64) -> InfluenceOut {
    InfluenceOut {
        study: s(study),
        rows: rows.iter().map(|r| s(r)).collect(),
        available_p50: r4(a_p50 - shift),
        growth_p50: 0.3,
        available_shift: shift,
        growth_shift: 0.0,
    }
}

/// One category of the average task: its priors (log10 of the level, growth), rows and
/// posterior, or none with the `status` that says why.
fn inferred(
    category: &str,
    label: &str,
    status: &str,
    rows: Vec<RowOut>,
    posterior: Option<(PosteriorOut, PosteriorOut)>,
) -> CategoryInferenceOut {
    let studies: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.study.as_str()).collect();
    let a50 = posterior.map(|p| p.0.available.p50);
    let influence = match category {
        "solution_choice" => vec![
            influence_out("wang-2023", &["voting"], a50.unwrap_or(0.0), 0.21),
            influence_out("brown-2024", &["sc_1", "sc_2"], a50.unwrap_or(0.0), 0.34),
            influence_out("snell-2024", &["sc_3"], a50.unwrap_or(0.0), -0.12),
            influence_out("openai-2024", &["sc_4"], a50.unwrap_or(0.0), 0.05),
        ],
        _ => studies
            .iter()
            .map(|st| influence_out(st, &[st], a50.unwrap_or(0.0), 0.08))
            .collect(),
    };
    let contradicts = posterior.is_some_and(|(p, _)| p.available.p50 > 1.16);
    CategoryInferenceOut {
        scope: s(overhang_model::assessment::AVERAGE_SCOPE),
        category: s(category),
        label: s(label),
        status: s(status),
        prior: PriorsOut {
            available: match category {
                "solution_choice" => prior_out("1.6 to 14", 0.2, 0.68, 1.16),
                "tool_use" => prior_out("3 to 30", 0.48, 0.98, 1.48),
                _ => prior_out("1.5 to 6", 0.18, 0.48, 0.78),
            },
            growth: prior_out("0.1 to 0.5", 0.1, 0.22, 0.5),
        },
        studies: studies.len(),
        bounds: rows.iter().filter(|r| r.kind != "exact").count(),
        rows,
        left_out: Vec::new(),
        posterior: posterior.map(|p| p.0),
        vague: posterior.map(|p| p.1),
        influence: if posterior.is_some() {
            influence
        } else {
            Vec::new()
        },
        contradicts_prior: contradicts,
    }
}

fn prediction(
    id: &str,
    kind: &str,
    y: f64,
    median: f64,
    inside: Option<(bool, bool)>,
) -> PredictionOut {
    PredictionOut {
        id: s(id),
        kind: s(kind),
        y_log10: y,
        median,
        interval50: [r4(median - 0.2), r4(median + 0.2)],
        interval90: [r4(median - 0.5), r4(median + 0.5)],
        log_score: if kind == "exact" { -0.4 } else { -0.2 },
        pit: 0.6,
        in50: inside.map(|i| i.0),
        in90: inside.map(|i| i.1),
    }
}

/// The inference: one category the evidence decides (and whose rows contradict its prior), one
/// the prior decides, one they share, one without rows, one opted out and one whose estimate
/// cannot be a prior; and a backtest with too few rows inside their 50% intervals.
fn inference() -> InferenceResults {
    let offset = |text: &str, mean: f64, sd: f64| OffsetOut {
        text: s(text),
        mean,
        sd,
    };
    InferenceResults {
        settings: InferenceSettingsOut {
            study_sd: 0.2,
            row_sd: RowSdOut {
                primary: 0.15,
                measured: 0.25,
                secondary: 0.35,
            },
            transfer: TransferOut {
                base: offset("1 to 10", 0.5, 0.304),
                post_trained: offset("1", 0.0, 0.0),
                versus_pte: offset("1", 0.0, 0.0),
            },
        },
        categories: vec![
            inferred(
                "tool_use",
                "Tool use",
                "posterior",
                vec![
                    row_out("tools", "exact", 1.0, -1.5, "schick-2023"),
                    row_out("tools_2", "at_least", 0.9, -0.6, "qin-2024"),
                ],
                Some((
                    posterior_out((1.08, 0.25), (0.22, 0.1)),
                    posterior_out((1.6, 0.5), (0.25, 0.2)),
                )),
            ),
            inferred("prompting", "Prompting", "no_rows", Vec::new(), None),
            inferred(
                "scaffolding",
                "Scaffolding",
                "posterior",
                vec![
                    row_out("scaffold_1", "exact", 0.8, -1.2, "yao-2023"),
                    row_out("scaffold_2", "exact", 1.0, -0.4, "shinn-2023"),
                    row_out("scaffold_3", "at_most", 1.3, -0.2, "shinn-2023"),
                ],
                Some((
                    posterior_out((0.88, 0.2), (0.3, 0.1)),
                    posterior_out((1.38, 0.4), (0.35, 0.2)),
                )),
            ),
            inferred(
                "solution_choice",
                "Solution choice",
                "posterior",
                vec![
                    row_out("voting", "exact", 1.2, -2.6, "wang-2023"),
                    row_out("sc_1", "exact", 1.3, -1.5, "brown-2024"),
                    row_out("sc_2", "exact", 1.5, -1.4, "brown-2024"),
                    row_out("sc_3", "at_least", 1.1, -0.9, "snell-2024"),
                    row_out("sc_4", "exact", 1.4, -0.3, "openai-2024"),
                ],
                Some((
                    posterior_out((1.36, 0.18), (0.3, 0.08)),
                    posterior_out((1.42, 0.2), (0.32, 0.1)),
                )),
            ),
            inferred("data", "Fine-tuning data", "opted_out", Vec::new(), None),
            inferred(
                "reasoning",
                "Reasoning training",
                "not_a_prior",
                Vec::new(),
                None,
            ),
        ],
        backtest: Some(BacktestResults {
            cutoff: s("2024-10-01"),
            cutoff_years: -0.6,
            default_cutoff: true,
            categories: vec![CategoryBacktest {
                category: s("solution_choice"),
                label: s("Solution choice"),
                fitted: 4,
                available_p50: 1.3,
                predictions: vec![
                    prediction("sc_4", "exact", 1.4, 1.3, Some((false, false))),
                    prediction("sc_5", "exact", 1.9, 1.3, Some((false, false))),
                    prediction("sc_6", "exact", 1.35, 1.3, Some((true, true))),
                    prediction("sc_7", "at_least", 1.0, 1.3, None),
                ],
                coverage50: Some(1.0 / 3.0),
                coverage90: Some(1.0 / 3.0),
                mean_log_score: Some(-0.35),
            }],
            coverage50: Some(1.0 / 3.0),
            coverage90: Some(1.0 / 3.0),
            mean_log_score_exact: Some(-0.4),
            exact: 3,
            bounds: 1,
        }),
    }
}

fn fixture_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results.json")
}

/// The committed fixture, read back.
pub fn committed() -> Results {
    let text = std::fs::read_to_string(fixture_path()).expect("tests/fixtures/results.json exists");
    serde_json::from_str(&text).expect("the fixture parses as Results")
}

#[test]
fn the_committed_fixture_is_the_builders_output() {
    let built = results();
    let text = serde_json::to_string_pretty(&built).unwrap() + "\n";
    if std::env::var_os("OVERHANG_UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(fixture_path().parent().unwrap()).unwrap();
        std::fs::write(fixture_path(), &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(fixture_path()).unwrap_or_default();
    assert!(
        on_disk == text,
        "tests/fixtures/results.json is stale: rerun with OVERHANG_UPDATE_FIXTURES=1"
    );
    assert!(
        committed() == built,
        "the fixture does not read back to the same Results"
    );
}

#[test]
fn the_fixture_has_the_shape_the_report_expects() {
    let r = results();
    assert_eq!(r.scenarios.len(), 2);
    for sc in &r.scenarios {
        assert_eq!(sc.projection.len(), 21);
        assert_eq!(sc.projection.last().unwrap().months, 60);
        assert_eq!(sc.thresholds.len(), 3);
        for p in &sc.projection {
            assert!(p.p5 <= p.p25 && p.p25 <= p.p50 && p.p50 <= p.p75 && p.p75 <= p.p95);
        }
        for h in &sc.histograms {
            let total: f64 = h.fractions.iter().sum();
            assert_close!(total, 1.0, ROUNDED_FRACTIONS, "{total}");
            assert_eq!(h.edges_log10.len(), h.fractions.len() + 1);
        }
    }
    assert_eq!(r.inputs.categories.len(), 6);
    assert!(r.fits.categories.iter().any(|f| !f.band.is_empty()));
}
