//! The grid posterior of every category of a dataset in the shape of results.json's
//! `inference` object: for bench/inference (the check against `PyMC` and nutpie, and the speed
//! comparison).
//!
//! The dataset is a results.json, or a file holding its `inference` object at the top level
//! or under `inference`: `settings` (`study_sd`, `transfer` per estimand as `mean`, `sd` in
//! log10) and `categories`, each with its `prior` (`available`: normal in log10; `growth`:
//! lognormal of ln g, normal or a point) and `rows` (`kind` exact, `at_least` or `at_most`;
//! `y_log10`, `years`, `study`, `estimand`, `sigma`). Categories without rows are skipped.
//!
//! Usage:
//! - `infer_dataset DATASET.json --json`: prints `{"categories": [{scope, category,
//!   posterior}]}`, the posterior blocks in the dataset's shape (p5, p50, p95, mean, sd of
//!   `available` and `growth`, and `correlation`);
//! - `infer_dataset DATASET.json --time N`: per category, the median wall time of N runs of
//!   `posterior()` and the time of 4,000 and of 1,000 joint draws with `Posterior::draw` from
//!   a fixed sequence of uniforms, as one JSON object per line. The draws are independent, so
//!   their effective sample size is their number.

use std::time::Instant;

use overhang_calibrate::infer::{
    Estimand, InferenceRow, InferenceSettings, Marginal, Observation, Offset, Posterior, Prior,
    Transfer, posterior,
};
use overhang_model::{Distribution, Estimate};
use serde_json::{Value, json};

/// The draw counts timed by `--time`.
const DRAWS: [usize; 2] = [4000, 1000];

/// One category of the dataset, ready for `posterior()`.
struct Category {
    scope: String,
    name: String,
    available: Prior,
    growth: Prior,
    rows: Vec<InferenceRow>,
}

fn number(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("expected a number at `{key}` in {v}"))
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("expected a string at `{key}` in {v}"))
}

fn estimate(dist: Distribution) -> Estimate {
    Estimate::from_distribution(dist).unwrap_or_else(|e| panic!("{dist:?}: {e}"))
}

/// The prior of `a`: normal in log10, so the multiplier is lognormal with `ln` parameters
/// `ln 10` times as large.
fn available_prior(v: &Value) -> Prior {
    assert_eq!(text(v, "distribution"), "normal", "available prior: {v}");
    let ln10 = core::f64::consts::LN_10;
    let dist = Distribution::LogNormal {
        mu: number(v, "mean") * ln10,
        sigma: number(v, "sd") * ln10,
    };
    Prior::available(&estimate(dist)).unwrap_or_else(|e| panic!("available prior {v}: {e}"))
}

fn growth_prior(v: &Value) -> Prior {
    let dist = match text(v, "distribution") {
        "lognormal" => Distribution::LogNormal {
            mu: number(v, "mu"),
            sigma: number(v, "sigma"),
        },
        "normal" => Distribution::Normal {
            mean: number(v, "mean"),
            sd: number(v, "sd"),
        },
        "point" => Distribution::Point(number(v, "value")),
        other => panic!("growth prior: unknown distribution `{other}`"),
    };
    Prior::growth(&estimate(dist))
}

fn estimand(name: &str) -> Estimand {
    Estimand::ALL
        .into_iter()
        .find(|e| e.name() == name)
        .unwrap_or_else(|| panic!("unknown estimand `{name}`"))
}

fn row(v: &Value) -> InferenceRow {
    let y = number(v, "y_log10");
    InferenceRow {
        y_log10: match text(v, "kind") {
            "exact" => Observation::Exact(y),
            "at_least" => Observation::AtLeast(y),
            "at_most" => Observation::AtMost(y),
            other => panic!("unknown row kind `{other}`"),
        },
        years: number(v, "years"),
        study: text(v, "study").to_owned(),
        estimand: estimand(text(v, "estimand")),
        sigma: number(v, "sigma"),
    }
}

fn settings(v: &Value) -> InferenceSettings {
    let offset = |e: Estimand| {
        let o = &v["transfer"][e.name()];
        Offset {
            mean: number(o, "mean"),
            sd: number(o, "sd"),
        }
    };
    let transfer = Transfer {
        base: offset(Estimand::Base),
        post_trained: offset(Estimand::PostTrained),
        versus_pte: offset(Estimand::VersusPte),
    };
    InferenceSettings::new(transfer, number(v, "study_sd"))
}

fn read(path: &str) -> (InferenceSettings, Vec<Category>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let root: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    let inference = if root.get("inference").is_some() {
        &root["inference"]
    } else {
        &root
    };
    let categories = inference["categories"]
        .as_array()
        .unwrap_or_else(|| panic!("{path}: expected `inference.categories`"))
        .iter()
        .filter_map(|c| {
            let rows: Vec<InferenceRow> = c["rows"].as_array()?.iter().map(row).collect();
            (!rows.is_empty()).then(|| Category {
                scope: text(c, "scope").to_owned(),
                name: text(c, "category").to_owned(),
                available: available_prior(&c["prior"]["available"]),
                growth: growth_prior(&c["prior"]["growth"]),
                rows,
            })
        })
        .collect();
    (settings(&inference["settings"]), categories)
}

fn marginal(m: &Marginal) -> Value {
    json!({"p5": m.p5, "p50": m.p50, "p95": m.p95, "mean": m.mean, "sd": m.sd})
}

fn fit(c: &Category, settings: &InferenceSettings) -> Posterior {
    posterior(&c.available, &c.growth, &c.rows, settings)
        .unwrap_or_else(|e| panic!("{} {}: {e}", c.scope, c.name))
}

/// A fixed sequence of uniforms on (0, 1): `SplitMix64` from seed 1, 53 bits each.
fn uniforms(n: usize) -> Vec<f64> {
    let mut state: u64 = 1;
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Seconds to make `n` joint draws, the median of five runs (the draws are quick).
fn draw_time(post: &Posterior, u: &[f64], n: usize) -> (f64, f64) {
    let mut sum = 0.0;
    let times = (0..5)
        .map(|_| {
            let start = Instant::now();
            for k in 0..n {
                let (a, g) = post.draw(u[2 * k], u[2 * k + 1]);
                sum += a + g;
            }
            start.elapsed().as_secs_f64()
        })
        .collect();
    (median(times), sum)
}

#[expect(
    clippy::print_stdout,
    reason = "a benchmark tool: its output is the numbers it prints"
)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: infer_dataset DATASET.json (--json | --time N)";
    let path = args.first().expect(usage);
    let (settings, categories) = read(path);
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("--json"), None) => {
            let out: Vec<Value> = categories
                .iter()
                .map(|c| {
                    let p = fit(c, &settings);
                    json!({
                        "scope": c.scope,
                        "category": c.name,
                        "posterior": {
                            "available": marginal(&p.available),
                            "growth": marginal(&p.growth),
                            "correlation": p.correlation,
                        },
                        "edge": p.edge,
                    })
                })
                .collect();
            let doc = json!({ "categories": out });
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).expect("serialises")
            );
        }
        (Some("--time"), Some(n)) => {
            let runs: usize = n.parse().expect(usage);
            let u = uniforms(2 * DRAWS[0]);
            for c in &categories {
                let mut post = fit(c, &settings);
                let grid = median(
                    (0..runs)
                        .map(|_| {
                            let start = Instant::now();
                            post = fit(c, &settings);
                            start.elapsed().as_secs_f64()
                        })
                        .collect(),
                );
                let mut line = json!({
                    "scope": c.scope,
                    "category": c.name,
                    "rows": c.rows.len(),
                    "runs": runs,
                    "grid_s": grid,
                });
                let mut check = 0.0;
                for n in DRAWS {
                    let (t, sum) = draw_time(&post, &u, n);
                    check += sum;
                    line[format!("draw{n}_s")] = json!(t);
                    line[format!("ess_per_s_{n}")] = json!(n as f64 / (grid + t));
                }
                line["checksum"] = json!(check);
                println!("{line}");
            }
        }
        _ => panic!("{usage}"),
    }
}
