//! Dependence between draws, saturating growth, the aggregate ceiling and frozen categories,
//! against `tests/vectors/dependence.json`, computed with numpy and scipy from the method as
//! documented (by `tests/vectors/gen_dependence.py`).

use overhang_model::results::ProjectionPoint;
use overhang_testkit::{LOG_SPACE, ROUNDING, Tolerance, assert_close};
use serde::Deserialize;

use crate::{assessment, run};

const SAMPLES: u64 = 200_000;

/// The median of two symmetric categories at correlation 0.5 against 0: the same in theory;
/// 200,000 draws put each within about 0.003 of it.
const MEDIAN_UNMOVED: Tolerance = Tolerance::absolute("MEDIAN_UNMOVED", 0.01);

#[derive(Deserialize)]
struct Vectors {
    copula_sum: Vec<CopulaCase>,
    available_elicited: Vec<ElicitedCase>,
    saturating_point: SaturatingPoint,
    saturating_spread: SaturatingSpread,
    ceiling: Ceiling,
}

#[derive(Deserialize)]
struct CopulaCase {
    rho: f64,
    quantiles: Vec<f64>,
}

#[derive(Deserialize)]
struct ElicitedCase {
    r: f64,
    quantiles: Vec<f64>,
    p_no_uplift: f64,
}

#[derive(Deserialize)]
struct SaturatingPoint {
    months: Vec<u32>,
    multiplier: Vec<f64>,
}

#[derive(Deserialize)]
struct SaturatingSpread {
    months: Vec<u32>,
    quantiles: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct Ceiling {
    quantiles: Vec<f64>,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../vectors/dependence.json")).expect("vectors parse")
}

fn quantiles(p: &ProjectionPoint) -> [f64; 5] {
    [p.p5, p.p25, p.p50, p.p75, p.p95]
}

/// Two categories "2 to 20", multiplicative, no growth, with `simulation` lines added.
fn two_categories(simulation: &str, composability: &str) -> String {
    format!(
        "{simulation}[horizon]\nmonths = 12\nstep_months = 12\n\
         [composability]\nmethod = \"multiplicative\"\n{composability}\
         [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\ngrowth = 0\n\
         [categories.b]\nlabel = \"B\"\navailable = \"2 to 20\"\ngrowth = 0\n"
    )
}

/// `assessment` with extra `[simulation]` keys: the helper writes `[simulation]` itself, so the
/// keys follow it.
fn with_simulation(body: &str, seed: u64) -> overhang_model::Assessment {
    assessment(body, SAMPLES, seed)
}

#[test]
fn two_identical_lognormal_categories_have_the_copula_quantiles_at_every_correlation() {
    for case in vectors().copula_sum {
        let body = two_categories(&format!("correlation = {}\n", case.rho), "");
        let r = run(&with_simulation(&body, 21));
        let at_release = &r[0].projection[0];
        let got = quantiles(at_release);
        for (k, (&g, &w)) in got.iter().zip(&case.quantiles).enumerate() {
            assert_close!(
                g,
                w,
                Tolerance::standard_errors(4.0, at_release.se.to_array()[k]).or(&LOG_SPACE),
                "rho {} quantile {k}: {g} vs {w} (se {})",
                case.rho,
                at_release.se.to_array()[k]
            );
        }
    }
}

#[test]
fn correlation_one_doubles_each_draw_exactly_and_zero_matches_the_independent_run() {
    // At correlation 1 both categories take the common factor's score, so the sum is twice one
    // level: the 95th percentile is 2 log10 20, 400x, and the median 40x.
    let r = run(&with_simulation(
        &two_categories("correlation = 1\n", ""),
        22,
    ));
    let p = &r[0].projection[0];
    assert_close!(
        p.p95,
        400.0,
        Tolerance::standard_errors(4.0, p.se.to_array()[4]).or(&LOG_SPACE),
        "{} (se {})",
        p.p95,
        p.se.to_array()[4]
    );
    assert_close!(
        p.p50,
        40.0,
        Tolerance::standard_errors(4.0, p.se.to_array()[2]).or(&LOG_SPACE),
        "{} (se {})",
        p.p50,
        p.se.to_array()[2]
    );
    // An uncertain correlation that is 0 in every draw would equal independence; the point 0
    // is independence itself, run by the independent path.
    let independent = run(&with_simulation(&two_categories("", ""), 22));
    let zero = run(&with_simulation(
        &two_categories("correlation = 0\n", ""),
        22,
    ));
    assert_eq!(independent[0].projection, zero[0].projection);
}

#[test]
fn correlation_widens_the_interval_and_keeps_the_median() {
    let v = vectors();
    let at = |rho: f64| {
        let c = v
            .copula_sum
            .iter()
            .find(|c| ROUNDING.allows(c.rho, rho))
            .expect("case");
        c.quantiles.clone()
    };
    let (zero, half) = (at(0.0), at(0.5));
    assert!(half[0] < zero[0] && half[4] > zero[4]);
    assert_close!(half[2], zero[2], MEDIAN_UNMOVED);
}

#[test]
fn an_uncertain_correlation_lies_between_its_extremes() {
    let body = two_categories("correlation = \"uniform(0, 1)\"\n", "");
    let r = run(&with_simulation(&body, 23));
    let p95 = r[0].projection[0].p95;
    let v = vectors();
    let (lo, hi) = (v.copula_sum[0].quantiles[4], v.copula_sum[4].quantiles[4]);
    assert!(p95 > lo * 1.05 && p95 < hi * 0.95, "{lo} < {p95} < {hi}");
    // The correlation is an input of the sensitivity analysis like any other.
    let inputs: Vec<&str> = r[0].sensitivity[0]
        .inputs
        .iter()
        .map(|e| e.input.as_str())
        .collect();
    assert!(inputs.contains(&"simulation.correlation"), "{inputs:?}");
}

#[test]
fn elicited_correlated_with_available_narrows_the_gap_at_release() {
    for case in vectors().available_elicited {
        let body = format!(
            "available_elicited_correlation = {}\n[horizon]\nmonths = 12\nstep_months = 12\n\
             [composability]\nmethod = \"multiplicative\"\n\
             [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\nelicited = \"2 to 20\"\n\
             growth = 0\n",
            case.r
        );
        let r = run(&with_simulation(&body, 24));
        let p = &r[0].projection[0];
        let q = case.p_no_uplift.clamp(0.0, 1.0);
        let tol =
            Tolerance::standard_errors(4.0, (q * (1.0 - q) / SAMPLES as f64).sqrt()).or(&ROUNDING);
        assert_close!(
            p.p_no_uplift,
            case.p_no_uplift,
            tol,
            "r {}: {} vs {}",
            case.r,
            p.p_no_uplift,
            case.p_no_uplift
        );
        // The median sits on the edge of the atom at no uplift: only the upper quantiles.
        for k in [3, 4] {
            let (g, w) = (quantiles(p)[k], case.quantiles[k]);
            assert_close!(
                g,
                w,
                Tolerance::standard_errors(4.0, p.se.to_array()[k]).or(&LOG_SPACE),
                "r {} quantile {k}: {g} vs {w} (se {})",
                case.r,
                p.se.to_array()[k]
            );
        }
    }
}

#[test]
fn a_saturating_category_at_10x_towards_1000x_stands_at_183_8x_after_two_years() {
    let v = vectors().saturating_point;
    let body = "growth_shape = \"saturating\"\nsaturation_years = 2\n\
        [horizon]\nmonths = 60\nstep_months = 12\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.a]\nlabel = \"A\"\navailable = 10\ngrowth = 5\ncap = 1000\n";
    let r = run(&assessment(body, 4096, 25));
    for (m, want) in v.months.iter().zip(&v.multiplier) {
        let p = r[0]
            .projection
            .iter()
            .find(|p| p.months == *m)
            .expect("grid month");
        // A point: every quantile is the level, growth = 5 OOM/year notwithstanding.
        for q in quantiles(p) {
            assert_close!(q, want, LOG_SPACE, "month {m}: {q} vs {want}");
        }
    }
    let at_24 = &r[0].projection[2];
    assert_close!(at_24.p50, 183.8, Tolerance::decimals(1), "{}", at_24.p50);
}

#[test]
fn saturating_quantiles_are_the_level_at_the_quantiles_of_the_available_ceg() {
    let v = vectors().saturating_spread;
    let body = "growth_shape = \"saturating\"\nsaturation_years = 2\n\
        [horizon]\nmonths = 60\nstep_months = 12\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\ngrowth = 0\ncap = 1000\n";
    let r = run(&with_simulation(body, 26));
    for (m, want) in v.months.iter().zip(&v.quantiles) {
        let p = r[0]
            .projection
            .iter()
            .find(|p| p.months == *m)
            .expect("grid month");
        for (k, (&g, &w)) in quantiles(p).iter().zip(want).enumerate() {
            assert_close!(
                g,
                w,
                Tolerance::standard_errors(4.0, p.se.to_array()[k]).or(&LOG_SPACE),
                "month {m} quantile {k}: {g} vs {w} (se {})",
                p.se.to_array()[k]
            );
        }
    }
}

#[test]
fn an_aggregate_ceiling_bounds_every_quantile() {
    let want = vectors().ceiling.quantiles;
    let body = two_categories("", "ceiling = 100\n");
    let r = run(&with_simulation(&body, 27));
    let p = &r[0].projection[0];
    for (k, (&g, &w)) in quantiles(p).iter().zip(&want).enumerate() {
        assert!(g <= 100.0 + 1e-9, "quantile {k}: {g}");
        assert_close!(
            g,
            w,
            Tolerance::standard_errors(4.0, p.se.to_array()[k]).or(&LOG_SPACE),
            "quantile {k}: {g} vs {w} (se {})",
            p.se.to_array()[k]
        );
    }
}

#[test]
fn a_category_whose_available_level_is_its_elicited_one_adds_no_uplift() {
    let alone = "[horizon]\nmonths = 24\nstep_months = 6\n\
        [composability]\nmethod = \"multiplicative\"\n\
        [categories.a]\nlabel = \"A\"\navailable = \"2 to 20\"\nelicited = \"1 to 3\"\n\
        growth = \"0.05 to 0.2\"\n";
    let frozen = format!(
        "{alone}[categories.b]\nlabel = \"B\"\navailable = \"elicited\"\n\
         elicited = \"5 to 50\"\ngrowth = 0\n"
    );
    let a = run(&assessment(alone, 20_000, 28));
    let b = run(&assessment(&frozen, 20_000, 28));
    for (x, y) in a[0].projection.iter().zip(&b[0].projection) {
        for (p, q) in quantiles(x).iter().zip(quantiles(y)) {
            assert_close!(p, q, LOG_SPACE, "month {}: {p} vs {q}", x.months);
        }
    }
    // As a scenario override, on a category with its own available estimate.
    let scenario = format!(
        "{alone}[categories.b]\nlabel = \"B\"\navailable = \"3 to 30\"\n\
         elicited = \"5 to 50\"\ngrowth = 0.1\n\
         [scenarios.open]\nlabel = \"Open\"\n\
         [scenarios.frozen]\nlabel = \"Frozen\"\ncategories.b.available = \"elicited\"\n\
         categories.b.growth = 0\n"
    );
    let s = run(&assessment(&scenario, 20_000, 28));
    let frozen = s.iter().find(|r| r.id == "frozen").expect("scenario");
    for (x, y) in a[0].projection.iter().zip(&frozen.projection) {
        assert_close!(x.p50, y.p50, LOG_SPACE, "{} vs {}", x.p50, y.p50);
    }
    let open = s.iter().find(|r| r.id == "open").expect("scenario");
    assert!(open.projection[0].p95 > frozen.projection[0].p95);
}

#[test]
fn dependent_draws_do_not_depend_on_the_threads() {
    use std::collections::BTreeMap;

    use overhang_compose::{Options, simulate};
    let body = two_categories(
        "correlation = \"uniform(0.2, 0.8)\"\ngrowth_correlation = 0.5\n\
         available_elicited_correlation = \"uniform(0.3, 0.9)\"\n",
        "",
    )
    .replace(
        "growth = 0\n",
        "growth = \"0.01 to 0.2\"\nelicited = \"1 to 5\"\n",
    );
    let a = assessment(&body, 3 * 4096 + 17, 29);
    let one = simulate(&a, &BTreeMap::new(), &Options { threads: Some(1) }, None).expect("runs");
    let two = simulate(&a, &BTreeMap::new(), &Options { threads: Some(2) }, None).expect("runs");
    assert_eq!(one, two);
}
