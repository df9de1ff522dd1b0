//! Kappa and pairwise composabilities learned from measured combinations: a worked example
//! (two pairs of 10x measured together at 10^1.5), and posterior summaries against independent scipy grid computations
//! (`tests/vectors/composability.py`, `tests/vectors/pairwise.py`).

use overhang_calibrate::{implied_kappa, learn, learn_pairs};
use overhang_model::{Combination, Composability, Estimate, Method, PairComposability};
use overhang_testkit::{ROUNDING, SOLVER, Tolerance, assert_close};
use serde_json::Value;

/// How close the grid posterior must come to scipy's: both are grids, of 8192 cells of prior
/// probability against 400,001 points of kappa, and an uncertain sd is integrated at 256
/// quantiles against a density grid.
const GRID: Tolerance = Tolerance::absolute("GRID", 2e-3);

/// The prior's standard deviation summed over the grid's cells of equal prior probability:
/// the cells' midpoints stand for their mass, which the variance feels at about 1e-7.
const PRIOR_SD: Tolerance = Tolerance::absolute("PRIOR_SD", 1e-6);

/// A median read off the grid: neighbouring cells of 1/8192 of prior probability lie about
/// 1e-4 of kappa apart where the density is lowest.
const GRID_QUANTILE: Tolerance = Tolerance::absolute("GRID_QUANTILE", 1e-4);

fn combination(joint: f64, parts: &[f64]) -> Combination {
    let levels: Vec<f64> = parts.iter().map(|&c| libm::log10(c).max(0.0)).collect();
    Combination {
        id: format!("j{joint}"),
        categories: Vec::new(),
        components: Vec::new(),
        joint,
        parts: parts.to_vec(),
        product: parts.iter().product(),
        implied_kappa: implied_kappa(libm::log10(joint), &levels),
    }
}

#[test]
fn two_pairs_of_tenfold_gains_measured_at_ten_to_the_one_and_a_half_give_kappa_one_half() {
    let joint = libm::pow(10.0, 1.5);
    let rows = [
        combination(joint, &[10.0, 10.0]),
        combination(joint, &[10.0, 10.0]),
    ];
    for r in &rows {
        assert_close!(r.implied_kappa.expect("defined"), 0.5, ROUNDING);
    }
    let prior = Estimate::parse("uniform(0, 1)").unwrap();
    let sd = Estimate::parse("0.1").unwrap();
    let learned = learn(&prior, &sd, &rows).expect("learned");
    // To three decimals: mean 0.5, sd 0.1 / sqrt(2) = 0.0707.
    let three = |x: f64| format!("{x:.3}");
    assert_eq!(three(learned.posterior.mean), "0.500");
    assert_eq!(three(learned.posterior.sd), three(0.1 / 2f64.sqrt()));
    assert_eq!(three(learned.posterior.sd), "0.071");
    assert_close!(learned.prior.mean, 0.5, SOLVER);
    assert_close!(learned.prior.sd, 1.0 / 12f64.sqrt(), PRIOR_SD);
    // The 90% interval shrinks from 0.9 wide to about 0.23.
    assert!(learned.posterior.p95 - learned.posterior.p5 < 0.24);
    assert_eq!(learned.rows.len(), 2);
}

#[test]
fn posterior_summaries_agree_with_scipy() {
    let cases: Value = serde_json::from_str(include_str!("../vectors/composability.json")).unwrap();
    let float = |v: &Value| v.as_str().unwrap().parse::<f64>().unwrap();
    for case in cases.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let prior = Estimate::parse(case["prior"].as_str().unwrap()).unwrap();
        let sd = Estimate::parse(case["sd"].as_str().unwrap()).unwrap();
        let rows: Vec<Combination> = case["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let parts: Vec<f64> = r["parts"].as_array().unwrap().iter().map(float).collect();
                combination(float(&r["joint"]), &parts)
            })
            .collect();
        let learned = learn(&prior, &sd, &rows).expect(name);
        let want = &case["posterior"];
        let got = learned.posterior;
        for (key, value) in [
            ("mean", got.mean),
            ("sd", got.sd),
            ("p5", got.p5),
            ("p50", got.p50),
            ("p95", got.p95),
        ] {
            let expected = float(&want[key]);
            assert_close!(
                value,
                expected,
                GRID,
                "{name}: {key} {value} against scipy's {expected}"
            );
        }
    }
}

#[test]
fn without_informative_rows_the_posterior_is_the_prior() {
    let prior = Estimate::parse("beta(2, 5)").unwrap();
    let sd = Estimate::parse("0.1").unwrap();
    // One part above 1x: kappa changes nothing, so the row says nothing about it.
    let rows = [combination(5.0, &[5.0, 1.0])];
    let learned = learn(&prior, &sd, &rows).expect("learned");
    assert!(learned.rows.is_empty());
    assert_close!(learned.posterior.mean, learned.prior.mean, SOLVER);
    assert_close!(learned.posterior.p50, prior.quantile(0.5), GRID_QUANTILE);
}

/// A combination of categories `categories` (one per part).
fn pair_row(categories: &[&str], joint: f64, parts: &[f64]) -> Combination {
    let mut c = combination(joint, parts);
    c.id = format!("{}:{joint}", categories.join("+"));
    c.categories = categories.iter().map(|s| (*s).to_owned()).collect();
    c
}

/// A pairwise composability learning from measured combinations.
fn pairwise(pairs: &[(&str, &str, &str)], default: &str, sd: &str) -> Composability {
    Composability {
        method: Method::Pairwise,
        kappa: None,
        kappa_alternative: None,
        pairs: pairs
            .iter()
            .map(|(a, b, e)| PairComposability {
                a: (*a).to_owned(),
                b: (*b).to_owned(),
                composability: Estimate::parse(e).unwrap(),
            })
            .collect(),
        default_pair: Some(Estimate::parse(default).unwrap()),
        learn: true,
        combination_sd: Some(Estimate::parse(sd).unwrap()),
        learned: None,
        learned_pairs: Vec::new(),
    }
}

#[test]
fn a_pair_measured_twice_at_ten_to_the_one_and_a_half_learns_one_half_and_the_rest_keep_priors() {
    let joint = libm::pow(10.0, 1.5);
    let rows = [
        pair_row(&["tool_use", "solution_choice"], joint, &[10.0, 10.0]),
        pair_row(&["solution_choice", "tool_use"], joint, &[10.0, 10.0]),
        // Three components: no pair learns from it.
        pair_row(&["tool_use", "prompting", "data"], 50.0, &[10.0, 3.0, 4.0]),
    ];
    let comp = pairwise(
        &[("tool_use", "solution_choice", "uniform(0, 1)")],
        "beta(2, 2)",
        "0.1",
    );
    let ids = ["tool_use", "prompting", "solution_choice", "data"];
    let learned = learn_pairs(&comp, &ids, &rows);
    assert_eq!(learned.len(), 1);
    let p = &learned[0];
    assert_eq!(
        (p.a.as_str(), p.b.as_str()),
        ("tool_use", "solution_choice")
    );
    assert_eq!(p.learned.rows.len(), 2);
    let three = |x: f64| format!("{x:.3}");
    assert_eq!(three(p.learned.posterior.mean), "0.500");
    assert_eq!(three(p.learned.posterior.sd), "0.071");
    // The prior is the pair's own estimate, not the default.
    assert_close!(p.learned.prior.sd, 1.0 / 12f64.sqrt(), PRIOR_SD);
}

#[test]
fn pair_posteriors_agree_with_scipy() {
    let cases: Value = serde_json::from_str(include_str!("../vectors/pairwise.json")).unwrap();
    let float = |v: &Value| v.as_str().unwrap().parse::<f64>().unwrap();
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    for case in cases.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let ids: Vec<String> = case["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(text)
            .collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let pairs: Vec<(String, String, String)> = case["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (text(&p[0]), text(&p[1]), text(&p[2])))
            .collect();
        let pairs: Vec<(&str, &str, &str)> = pairs
            .iter()
            .map(|(a, b, e)| (a.as_str(), b.as_str(), e.as_str()))
            .collect();
        let comp = pairwise(
            &pairs,
            case["default"].as_str().unwrap(),
            case["sd"].as_str().unwrap(),
        );
        let rows: Vec<Combination> = case["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let cats: Vec<String> = r["categories"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(text)
                    .collect();
                let cats: Vec<&str> = cats.iter().map(String::as_str).collect();
                let parts: Vec<f64> = r["parts"].as_array().unwrap().iter().map(float).collect();
                pair_row(&cats, float(&r["joint"]), &parts)
            })
            .collect();
        let learned = learn_pairs(&comp, &ids, &rows);
        let want = case["posteriors"].as_array().unwrap();
        let got: Vec<(&str, &str)> = learned
            .iter()
            .map(|p| (p.a.as_str(), p.b.as_str()))
            .collect();
        let expected: Vec<(&str, &str)> = want
            .iter()
            .map(|w| (w["a"].as_str().unwrap(), w["b"].as_str().unwrap()))
            .collect();
        assert_eq!(got, expected, "{name}: the informed pairs");
        for (p, w) in learned.iter().zip(want) {
            assert_eq!(
                p.learned.rows.len() as u64,
                w["rows"].as_u64().unwrap(),
                "{name}"
            );
            let s = p.learned.posterior;
            for (key, value) in [
                ("mean", s.mean),
                ("sd", s.sd),
                ("p5", s.p5),
                ("p50", s.p50),
                ("p95", s.p95),
            ] {
                let expected = float(&w[key]);
                assert_close!(
                    value,
                    expected,
                    GRID,
                    "{name}, {}-{}: {key} {value} against scipy's {expected}",
                    p.a,
                    p.b
                );
            }
        }
    }
}
