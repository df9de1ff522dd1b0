//! Assessments built in code, for the tests and the benchmark.

use overhang_model::{
    AVERAGE_SCOPE, Assessment, Category, Ceg, Censoring, Composability, Date, Estimate,
    EvidenceMetric, EvidenceRow, Grade, Growth, Horizon, Method, ReportMeta, Scenario, Simulation,
    Version,
};

/// A category with the given growth and placeholder parameters.
pub fn category(id: &str, growth: Growth) -> Category {
    Category {
        id: id.to_owned(),
        label: format!("Category {id}"),
        available: overhang_model::Available::Estimate(Estimate::parse("2 to 20").unwrap()),
        elicited: Estimate::point(1.0).unwrap(),
        growth,
        cap: None,
        inference_cost: None,
        rationale: String::new(),
        infer: true,
        posterior: None,
        gap: None,
        lag_months: None,
    }
}

/// An evidence row.
pub fn row(id: &str, category: &str, ceg: &str, date: &str) -> EvidenceRow {
    EvidenceRow {
        id: id.to_owned(),
        name: id.to_owned(),
        category: category.to_owned(),
        benchmark: String::new(),
        ceg: Ceg::Written {
            estimate: Estimate::parse(ceg).unwrap(),
            censoring: Censoring::None,
        },
        date: Date::parse(date).unwrap(),
        source: "test".to_owned(),
        evidence: Grade::Measured,
        notes: String::new(),
        components: Vec::new(),
        scope: AVERAGE_SCOPE.to_owned(),
        inference_cost: None,
        study: id.to_owned(),
        estimand: None,
        mix: Vec::new(),
        metric: EvidenceMetric::Capability,
        line: 0,
    }
}

/// An assessment with these categories (one base scenario) and evidence.
pub fn assessment(categories: Vec<Category>, evidence: Vec<EvidenceRow>) -> Assessment {
    let composability = Composability {
        method: Method::Multiplicative,
        kappa: None,
        kappa_alternative: None,
        pairs: Vec::new(),
        default_pair: None,
        learn: false,
        combination_sd: None,
        learned: None,
        learned_pairs: Vec::new(),
    };
    Assessment {
        report: ReportMeta {
            title: "test".to_owned(),
            version: Version::parse("0.1.0").unwrap(),
            date: Date::parse("2026-01-01").unwrap(),
            authors: Vec::new(),
            release_date: Date::parse("2026-01-01").unwrap(),
            keywords: Vec::new(),
            scope: String::new(),
            changes: None,
        },
        simulation: Simulation {
            samples: 1000,
            seed: 1,
        },
        model: overhang_model::Model::default(),
        context: Vec::new(),
        horizon: Horizon {
            months: 12,
            step_months: 3,
        },
        composability: composability.clone(),
        categories: categories.clone(),
        thresholds: Vec::new(),
        evaluation: None,
        scopes: Vec::new(),
        scenarios: vec![Scenario {
            id: "base".to_owned(),
            label: "Base case".to_owned(),
            description: String::new(),
            scope: "average".to_owned(),
            scope_label: "Average task".to_owned(),
            scenario: "base".to_owned(),
            scenario_label: "Base case".to_owned(),
            overrides: Vec::new(),
            composability,
            categories,
        }],
        evidence,
        scaling: Vec::new(),
        clauses: Vec::new(),
        combinations: Vec::new(),
        inference: None,
        inferred: Vec::new(),
        backtest: None,
    }
}

/// `per_category` rows in each of `categories` categories, dated by day from 2015 to 2025,
/// with CEG rising about 0.15 OOM a year plus scatter; every third row a point value, the rest
/// 90% intervals. Deterministic (a fixed linear congruential sequence).
pub fn synthetic(categories: usize, per_category: usize) -> Assessment {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let cats: Vec<Category> = (0..categories)
        .map(|c| category(&format!("c{c}"), Growth::Fit))
        .collect();
    let mut rows = Vec::new();
    for c in 0..categories {
        for i in 0..per_category {
            let year = 2015 + (next() * 10.0) as i32;
            let month = 1 + (next() * 12.0) as u8;
            let day = 1 + (next() * 28.0) as u8;
            let t = f64::from(year - 2015) + f64::from(month) / 12.0;
            let log10 = 0.3 + 0.1 * c as f64 + 0.15 * t + 0.3 * (next() - 0.5);
            let central = libm::pow(10.0, log10);
            let ceg = if i % 3 == 0 {
                format!("{central:.4}")
            } else {
                let spread = libm::pow(10.0, 0.1 + 0.4 * next());
                format!("{:.4} to {:.4}", central / spread, central * spread)
            };
            rows.push(row(
                &format!("r{c}_{i}"),
                &format!("c{c}"),
                &ceg,
                &format!("{year:04}-{month:02}-{day:02}"),
            ));
        }
    }
    assessment(cats, rows)
}
