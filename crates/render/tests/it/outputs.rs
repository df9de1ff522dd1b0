//! Snapshots of every text output made from the fixture: the typst source handed to the
//! compiler, summary.md, CITATION.cff and every SVG chart.

use crate::fixture;

pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../snapshots/render"
    ));
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn the_typst_source_is_pinned() {
    let results = fixture::committed();
    let charts = overhang_render::charts(&results);
    let source = overhang_render::typst_main(&results, &charts).unwrap();
    settings().bind(|| insta::assert_snapshot!("report.typ", source));
}

#[test]
fn the_summary_is_pinned() {
    let results = fixture::committed();
    let summary = overhang_render::summary_md(&results).unwrap();
    settings().bind(|| insta::assert_snapshot!("summary.md", summary));
}

#[test]
fn the_citation_is_pinned() {
    let results = fixture::committed();
    let cff =
        overhang_render::citation_cff(&results, Some("https://example.invalid/overhang")).unwrap();
    settings().bind(|| insta::assert_snapshot!("CITATION.cff", cff));
    let without = overhang_render::citation_cff(&results, None).unwrap();
    assert!(!without.contains("repository-code"));
}

#[test]
fn every_chart_is_pinned() {
    let results = fixture::committed();
    let charts = overhang_render::charts(&results);
    let names: Vec<&str> = charts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "evidence.svg",
            "fan_open_weights.svg",
            "thresholds_open_weights.svg",
            "distribution_open_weights.svg",
            "tornado_open_weights.svg",
            "contributions_open_weights.svg",
            "fan_api_only.svg",
            "thresholds_api_only.svg",
            "distribution_api_only.svg",
            "tornado_api_only.svg",
            "contributions_api_only.svg",
            "derived_1.svg",
            "inference_1.svg",
            "composability.svg",
        ]
    );
    settings().bind(|| {
        for chart in &charts {
            assert!(chart.svg.starts_with("<svg"), "{}", chart.name);
            assert!(!chart.svg.contains("could not be drawn"), "{}", chart.name);
            assert!(!chart.alt.is_empty() && !chart.title.is_empty());
            insta::assert_snapshot!(chart.name.clone(), chart.svg);
        }
    });
}

#[test]
fn the_summary_mirrors_the_brief() {
    let results = fixture::committed();
    let summary = overhang_render::summary_md(&results).unwrap();
    // The brief's table first: its header, then one row per scope x scenario.
    let header = summary
        .lines()
        .find(|l| l.starts_with("| Scope, scenario |"))
        .expect("the brief's table");
    assert!(header.contains("| Gap at release |"), "{header}");
    assert_eq!(
        summary
            .lines()
            .filter(|l| l.starts_with("| Open weights |"))
            .count(),
        1
    );
    // Then the clauses in force and the conditions, before the changes.
    // (a heading without clauses would announce nothing, so the fixture, without a registry,
    // has none).
    let clauses = summary.find("**What each clause in force needs.**");
    assert_eq!(clauses.is_some(), !results.inputs.clauses.is_empty());
    let conditions = summary
        .find("**What not to quote without its conditions.**")
        .expect("conditions");
    assert!(clauses.is_none_or(|c| c < conditions), "{summary}");
    if let Some(changes) = summary.find("### Changes since") {
        assert!(conditions < changes, "{summary}");
    }
    // Plain-text safe: no Markdown escapes of comparison signs or probability words.
    assert!(
        !summary.contains("\\>") && !summary.contains("\\<1%"),
        "{summary}"
    );
}

#[test]
fn free_text_cannot_break_the_markdown_tables() {
    let mut results = fixture::committed();
    results.scenarios[0].label = "a | b [x](javascript:y) <img>".to_owned();
    let summary = overhang_render::summary_md(&results).unwrap();
    assert!(
        summary.contains("a \\| b \\[x\\](javascript:y) \\<img\\>"),
        "{summary}"
    );
    let header = summary
        .lines()
        .find(|l| l.starts_with("| Scope, scenario |"))
        .unwrap();
    let row = summary
        .lines()
        .find(|l| l.starts_with("| a \\| b"))
        .unwrap();
    // Unescaped pipes delimit exactly the header's cells.
    let unescaped = row.matches('|').count() - row.matches("\\|").count();
    assert_eq!(unescaped, header.matches('|').count(), "{row}");
}

#[test]
fn the_citation_is_valid_yaml_even_with_hostile_text() {
    let mut results = fixture::committed();
    results.report.title = "A: \"quoted\"\n- not a list #comment".to_owned();
    let cff = overhang_render::citation_cff(&results, None).unwrap();
    assert!(
        cff.contains(r#"title: "A: \"quoted\"\n- not a list #comment""#),
        "{cff}"
    );
}

#[test]
fn templates_are_listed_for_the_fingerprint() {
    let names: Vec<&str> = overhang_render::templates().iter().map(|t| t.0).collect();
    assert_eq!(
        names,
        [
            "report.typ.j2",
            "summary.md.j2",
            "report.html.j2",
            "CITATION.cff.j2"
        ]
    );
    assert!(overhang_render::templates().iter().all(|t| !t.1.is_empty()));
}

/// The number of points of every polyline and polygon of an SVG.
fn shapes(svg: &str) -> Vec<usize> {
    svg.split("points=\"")
        .skip(1)
        .map(|rest| {
            rest.split('"')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .count()
        })
        .collect()
}

#[test]
fn the_evidence_chart_draws_a_trend_only_for_a_fit_that_supports_one_and_draws_it_straight() {
    let mut results = fixture::committed();
    let evidence = |r: &overhang_model::results::Results| {
        overhang_render::charts(r)
            .into_iter()
            .find(|c| c.name == "evidence.svg")
            .expect("an evidence chart")
    };
    // The fixture's one fit with a band cannot support a claim about growth: no line.
    let fit = results
        .fits
        .categories
        .iter()
        .position(|f| f.band.len() > 8)
        .unwrap();
    assert!(!results.fits.categories[fit].limits.is_empty());
    let without = evidence(&results);
    assert!(
        without.alt.contains("no trend line is drawn"),
        "{}",
        without.alt
    );

    // The same fit without limits: a line from end to end, and a band of a few points per
    // edge, so whole-pixel rounding makes no steps.
    results.fits.categories[fit].limits.clear();
    let band = results.fits.categories[fit].band.len();
    let with = evidence(&results);
    assert!(with.alt.contains("a fitted trend for"), "{}", with.alt);
    let counts = shapes(&with.svg);
    assert!(counts.iter().all(|&n| n < band), "{counts:?}");
    assert!(counts.len() > shapes(&without.svg).len());
}
