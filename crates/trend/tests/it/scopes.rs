//! Trend fits per task scope: each scope is fitted on the rows that name it, the average task on
//! every row, and `growth = "fit"` written in a scope takes that scope's fit.

use overhang_model::{AVERAGE_SCOPE, EvidenceRow, FittedGrowth, Growth, Scenario, Scope};
use overhang_testkit::{Tolerance, assert_close};
use overhang_trend::{Options, TrendError, fit, fitted_growth, ols};

use crate::support::{assessment, category, row};

/// A slope as the rows were made to rise (0.5 or 0.3 OOM a year), to two decimals: the
/// rows carry a little scatter.
const DESCRIBED: Tolerance = Tolerance::absolute("DESCRIBED", 0.01);

/// A row of scope `scope`.
fn scoped(id: &str, ceg: &str, date: &str, scope: &str) -> EvidenceRow {
    let mut r = row(id, "a", ceg, date);
    scope.clone_into(&mut r.scope);
    r
}

/// One category `a`; average-task rows rising 0.1 OOM a year, scope `agentic` rows rising
/// 0.5 OOM a year (with a little scatter in each, so both fits have a residual).
fn two_scopes(growth_in_scope: Option<Growth>) -> overhang_model::Assessment {
    let est = Growth::Estimate(overhang_model::Estimate::parse("0.1 to 0.2").unwrap());
    let rows = vec![
        scoped("m1", "2", "2019-01", AVERAGE_SCOPE),
        scoped("m2", "2.6", "2020-01", AVERAGE_SCOPE),
        scoped("m3", "3.1", "2021-01", AVERAGE_SCOPE),
        scoped("m4", "4.1", "2022-01", AVERAGE_SCOPE),
        scoped("g1", "2", "2019-01", "agentic"),
        scoped("g2", "6.5", "2020-01", "agentic"),
        scoped("g3", "19", "2021-01", "agentic"),
        scoped("g4", "65", "2022-01", "agentic"),
    ];
    let mut a = assessment(vec![category("a", est)], rows);
    a.scopes = vec![
        Scope {
            id: AVERAGE_SCOPE.to_owned(),
            label: "Average task".to_owned(),
            description: String::new(),
            overrides: Vec::new(),
            categories: Vec::new(),
        },
        Scope {
            id: "agentic".to_owned(),
            label: "Agentic tasks".to_owned(),
            description: String::new(),
            overrides: Vec::new(),
            categories: Vec::new(),
        },
    ];
    let mut agentic: Scenario = a.scenarios[0].clone();
    "agentic-base".clone_into(&mut agentic.id);
    "agentic".clone_into(&mut agentic.scope);
    if let Some(g) = growth_in_scope {
        agentic.categories[0].growth = g;
    }
    a.scenarios.push(agentic);
    a
}

fn years(dates: &[&str]) -> Vec<f64> {
    dates
        .iter()
        .map(|d| overhang_model::Date::parse(d).unwrap().decimal_year())
        .collect()
}

#[test]
fn each_scope_is_fitted_on_its_own_rows_and_the_slopes_differ() {
    let a = two_scopes(None);
    let fits = fit(&a, &Options::default());
    assert_eq!(fits.scope, AVERAGE_SCOPE);
    assert_eq!(fits.scopes.len(), 1);
    let scope = &fits.scopes[0];
    assert_eq!((scope.scope.as_str(), scope.rows), ("agentic", 4));

    // The scope's fit is the OLS line of its own four rows; the average task's, of all eight.
    let x = years(&["2019-01", "2020-01", "2021-01", "2022-01"]);
    let log = |v: &[f64]| v.iter().map(|c| libm::log10(*c)).collect::<Vec<_>>();
    let all_x: Vec<f64> = x.iter().chain(&x).copied().collect();
    let average = ols(&all_x, &log(&[2.0, 2.6, 3.1, 4.1, 2.0, 6.5, 19.0, 65.0])).unwrap();
    let agentic = ols(&x, &log(&[2.0, 6.5, 19.0, 65.0])).unwrap();
    let own = fits.categories[0].ols.as_ref().unwrap();
    let theirs = scope.categories[0].ols.as_ref().unwrap();
    assert_eq!((own.n, theirs.n), (8, 4));
    assert_eq!(own.slope, average.slope);
    assert_eq!(theirs.slope, agentic.slope);
    assert_close!(theirs.slope, 0.50, DESCRIBED, "{}", theirs.slope);
    // The average-task rows alone rise about 0.1 OOM a year: the scope's rows pull the
    // average up, and its own fit is far steeper.
    assert_close!(own.slope, 0.30, DESCRIBED, "{}", own.slope);
}

#[test]
fn naming_a_rows_scope_leaves_the_average_fits_alone_and_a_scope_without_rows_says_so() {
    let a = two_scopes(None);
    let with_scope = fit(&a, &Options::default());
    let mut b = a.clone();
    for r in &mut b.evidence {
        r.scope = AVERAGE_SCOPE.to_owned();
    }
    let fits = fit(&b, &Options::default());
    // The average task's fits, bootstrap included, are the same whichever rows name a scope.
    assert_eq!(fits.categories, with_scope.categories);
    assert_eq!(fits.pooled, with_scope.pooled);
    let scope = &fits.scopes[0];
    assert_eq!(scope.rows, 0);
    assert!(scope.categories[0].growth_line().is_none());
    // Its scope-wide notes leave out the categories without rows.
    assert!(
        scope.diagnostics.iter().all(|n| n.category().is_none()),
        "{:?}",
        scope.diagnostics
    );
}

#[test]
fn growth_fit_written_in_a_scope_takes_the_scopes_slope() {
    let a = two_scopes(Some(Growth::ScopeFit("agentic".to_owned())));
    let fits = fit(&a, &Options::default());
    let growth = fitted_growth(&fits, &a).unwrap();
    assert_eq!(growth.keys().collect::<Vec<_>>(), ["agentic.a"]);
    let line = fits.scopes[0].categories[0].growth_line().unwrap();
    let FittedGrowth::StudentT {
        location,
        scale,
        origin,
        ..
    } = &growth["agentic.a"];
    assert_eq!((*location, *scale), (line.slope, line.slope_se));
    assert!(
        origin.contains("OLS fit of the scope's 4 evidence rows"),
        "{origin}"
    );
}

#[test]
fn growth_fit_in_a_scope_with_too_few_rows_is_refused_naming_the_scope() {
    let mut a = two_scopes(Some(Growth::ScopeFit("agentic".to_owned())));
    a.evidence.retain(|r| r.id != "g3" && r.id != "g4");
    let fits = fit(&a, &Options::default());
    let err = fitted_growth(&fits, &a).unwrap_err();
    let TrendError::NoFit {
        category,
        scope,
        reason,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!((category.as_str(), scope.as_str()), ("a", "agentic"));
    assert_eq!(
        reason,
        "only 2 evidence rows (2019-01 and 2020-01); a trend fit needs at least 3 rows on at \
         least 2 dates"
    );
    assert!(err.to_string().contains("category `a` in scope `agentic`"));
}
