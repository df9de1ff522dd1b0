//! Agreement with statsmodels (OLS, WLS, pooled) and scipy (Theil–Sen) on the vectors that
//! `tests/vectors/gen_vectors.py` wrote.

use overhang_testkit::{ROUNDING, Tolerance, assert_close};
use overhang_trend::{PooledGroup, leverage, ols, pooled, theil_sen, wls};
use serde_json::Value;

/// statsmodels and this crate both work in double precision; 1e-9 relative leaves room for
/// their different algorithms (pseudo-inverse against centred sums).
const STATSMODELS: Tolerance = Tolerance::relative_of("STATSMODELS", 1e-9);

type Group = (String, Vec<f64>, Vec<f64>, Vec<f64>);

fn vectors() -> Value {
    serde_json::from_str(include_str!("../vectors/vectors.json")).unwrap()
}

/// A float the generator wrote as its exact decimal text (see `gen_vectors.py`).
fn float(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(float).collect()
}

fn f(v: &Value, key: &str) -> f64 {
    float(&v[key])
}

#[test]
fn ols_and_wls_agree_with_statsmodels() {
    let cases = vectors()["line"].as_array().unwrap().clone();
    assert!(cases.len() >= 4);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let (x, y, w) = (floats(&case["x"]), floats(&case["y"]), floats(&case["w"]));
        for (kind, got) in [("ols", ols(&x, &y)), ("wls", wls(&x, &y, &w))] {
            let got = got.unwrap_or_else(|| panic!("{name} {kind}: no fit"));
            let want = &case[kind];
            let q = |s: &str| format!("{name} {kind} {s}");
            assert_close!(got.slope, f(want, "slope"), STATSMODELS, "{}", q("slope"));
            assert_close!(
                got.intercept,
                f(want, "intercept"),
                STATSMODELS,
                "{}",
                q("intercept")
            );
            assert_close!(
                got.slope_se,
                f(want, "slope_se"),
                STATSMODELS,
                "{}",
                q("slope_se")
            );
            assert_close!(
                got.intercept_se,
                f(want, "intercept_se"),
                STATSMODELS,
                "{}",
                q("intercept_se")
            );
            assert_close!(got.r2, f(want, "r2"), STATSMODELS, "{}", q("r2"));
            assert_eq!(got.df, f(want, "df"), "{name} {kind} df");
            assert_eq!(got.n, x.len());
            let ci = floats(&want["slope_ci90"]);
            assert_close!(got.slope_ci90[0], ci[0], STATSMODELS, "{}", q("ci low"));
            assert_close!(got.slope_ci90[1], ci[1], STATSMODELS, "{}", q("ci high"));
        }
        let hat = leverage(&x).unwrap();
        for (i, (a, b)) in hat.iter().zip(floats(&case["hat"])).enumerate() {
            assert_close!(*a, b, STATSMODELS, "{}", format!("{name} hat[{i}]"));
        }
    }
}

#[test]
fn pooled_fit_agrees_with_statsmodels_dummy_regression() {
    let cases = vectors()["pooled"].as_array().unwrap().clone();
    assert!(cases.len() >= 2);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        // (id, x, y, w) per group.
        let data: Vec<Group> = case["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["id"].as_str().unwrap().to_owned(),
                    floats(&g["x"]),
                    floats(&g["y"]),
                    floats(&g["w"]),
                )
            })
            .collect();
        let groups: Vec<PooledGroup<'_>> = data
            .iter()
            .map(|(id, x, y, w)| PooledGroup { id, x, y, w })
            .collect();
        let got = pooled(&groups).unwrap();
        let q = |s: &str| format!("{name} {s}");
        assert_close!(got.slope, f(case, "slope"), STATSMODELS, "{}", q("slope"));
        assert_close!(
            got.slope_se,
            f(case, "slope_se"),
            STATSMODELS,
            "{}",
            q("slope_se")
        );
        assert_close!(got.r2, f(case, "r2"), STATSMODELS, "{}", q("r2"));
        assert_close!(
            got.wls_slope,
            f(case, "wls_slope"),
            STATSMODELS,
            "{}",
            q("wls_slope")
        );
        assert_close!(
            got.wls_slope_se,
            f(case, "wls_slope_se"),
            STATSMODELS,
            "{}",
            q("wls_slope_se")
        );
        assert_eq!(got.df, f(case, "df"));
        let ci = floats(&case["slope_ci90"]);
        assert_close!(got.slope_ci90[0], ci[0], STATSMODELS, "{}", q("ci low"));
        assert_close!(got.slope_ci90[1], ci[1], STATSMODELS, "{}", q("ci high"));
        for ((id, a), (g, b)) in got
            .intercepts
            .iter()
            .zip(data.iter().zip(floats(&case["intercepts"])))
        {
            assert_eq!(id, &g.0);
            assert_close!(*a, b, STATSMODELS, "{}", q(&format!("intercept {id}")));
        }
    }
}

#[test]
fn theil_sen_agrees_with_scipy_theilslopes() {
    let cases = vectors()["theil_sen"].as_array().unwrap().clone();
    assert!(cases.len() >= 4);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let got = theil_sen(&floats(&case["x"]), &floats(&case["y"])).unwrap();
        // The slope and its interval are order statistics of the same pairwise slopes, so
        // they agree to the last bit; the intercept is one subtraction away.
        assert_eq!(got.slope, f(case, "slope"), "{name} slope");
        assert_eq!(got.slope_ci90[0], f(case, "low"), "{name} low");
        assert_eq!(got.slope_ci90[1], f(case, "high"), "{name} high");
        assert_close!(
            got.intercept,
            f(case, "intercept"),
            ROUNDING.relative(),
            "{}",
            format!("{name} intercept")
        );
    }
}
