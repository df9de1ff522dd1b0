//! report.html: pinned, reproducible, self-contained, escaped, and anchored as docs/html.md
//! says.

use std::collections::BTreeSet;

use overhang_model::Results;
use overhang_model::results::{CalendarWorth, ClauseInput, Quantiles3, TriggerInput};

use crate::fixture;

fn html(results: &Results) -> String {
    overhang_render::report_html(results, &overhang_render::charts(results)).unwrap()
}

/// Every `id="..."` of a page, in order.
fn ids(page: &str) -> Vec<String> {
    page.split(" id=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
        .collect()
}

/// The fixture with a clause in force whose calendar leg has a worth in every scenario, so the
/// clause anchors have something to anchor.
fn with_clause() -> Results {
    let mut r = fixture::committed();
    r.inputs.clauses.push(ClauseInput {
        id: "rsp_3".to_owned(),
        framework: "Responsible Scaling Policy".to_owned(),
        version: "3.0".to_owned(),
        date: "2026-02-24".to_owned(),
        wording: "paraphrase".to_owned(),
        words: "Reassess every six months.".to_owned(),
        locator: String::new(),
        source: "https://example.invalid/rsp".to_owned(),
        grade: "primary".to_owned(),
        superseded_by: String::new(),
        triggers: vec![TriggerInput {
            kind: "periodic".to_owned(),
            multiplier: None,
            months: Some(6),
        }],
    });
    for s in &mut r.scenarios {
        s.elicitation_time.push(CalendarWorth {
            clause: "rsp_3".to_owned(),
            kind: "periodic".to_owned(),
            months: 6,
            worth: Quantiles3 {
                p5: 1.2,
                p50: 2.5,
                p95: 6.0,
            },
        });
    }
    r
}

#[test]
fn the_html_report_is_pinned() {
    let page = html(&fixture::committed());
    crate::outputs::settings().bind(|| insta::assert_snapshot!("report.html", page));
}

#[test]
fn two_renders_give_the_same_bytes() {
    let results = fixture::committed();
    let first = html(&results);
    let other = std::thread::spawn(move || html(&results)).join().unwrap();
    assert!(first == other, "two renders of report.html differ");
}

#[test]
fn every_documented_anchor_kind_appears_and_ids_are_unique() {
    let page = html(&with_clause());
    let ids = ids(&page);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    for id in &ids {
        assert!(
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "invalid id {id:?}"
        );
    }
    // One of each kind that docs/html.md lists.
    for kind in [
        "open_weights-uplift-12m-p5",
        "open_weights-uplift-12m-p50",
        "open_weights-uplift-60m-p95",
        "api_only-threshold-4x-12m",
        "api_only-threshold-2x-60m",
        "open_weights-policy-4x-growth_within_6m",
        "open_weights-policy-4x-growth_safe_months",
        "open_weights-policy-4x-gap_reaches",
        "open_weights-calendar-rsp_3-periodic-6m",
        "brief-open_weights-gap",
        "brief-open_weights-growth-6m",
        "brief-open_weights-growth-12m",
        "brief-api_only-uplift-12m",
        "brief-api_only-kappa-fixed",
        "brief-clause-rsp_3",
    ] {
        assert!(ids.iter().any(|i| i == kind), "no anchor {kind}");
    }
    // The documented example: the median at 12 months holds the projection's number.
    let median = &fixture::committed().scenarios[0].projection[4];
    assert_eq!(median.months, 12);
    let cell = page
        .split("id=\"open_weights-uplift-12m-p50\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap();
    assert_eq!(cell, overhang_render::format::mult(median.p50));
    // Every in-page link lands on an id.
    for target in page.split("href=\"#").skip(1) {
        let target = target.split('"').next().unwrap_or_default();
        assert!(
            ids.iter().any(|i| i == target),
            "a link to #{target} lands nowhere"
        );
    }
}

#[test]
fn the_page_is_self_contained_and_accessible() {
    let page = html(&with_clause());
    // No script, no style sheet, font or image from elsewhere: the only web addresses in an
    // attribute are links to sources, and a link is never to a resource the page loads.
    assert!(!page.contains("<script"));
    assert!(!page.contains("<link") && !page.contains("@import") && !page.contains("url("));
    for attribute in [
        " src=\"",
        " srcset=\"",
        " action=\"",
        " data=\"",
        " poster=\"",
    ] {
        assert!(!page.contains(attribute), "{attribute}");
    }
    for href in page.split(" href=\"").skip(1) {
        let target = href.split('"').next().unwrap_or_default();
        if target.starts_with("http://") || target.starts_with("https://") {
            let tag = page[..page.find(href).unwrap()].rsplit('<').next().unwrap();
            assert!(tag.starts_with("a "), "{target} in <{tag}");
        }
    }
    // Every box that scrolls sideways can be reached and scrolled by keyboard.
    for div in page.split("<div class=\"scroll\"").skip(1) {
        let tag = div.split('>').next().unwrap_or_default();
        assert!(
            tag.contains("tabindex=\"0\""),
            "a scroll box without tabindex: {tag}"
        );
    }
    // One h1; headings never skip a level going down.
    assert_eq!(page.matches("<h1").count(), 1);
    let mut last = 1;
    for level in page
        .split("<h")
        .skip(1)
        .filter_map(|h| h.chars().next()?.to_digit(10))
    {
        assert!(level <= last + 1, "h{level} after h{last}");
        last = level;
    }
    // Tables have captions and header cells with scope; charts have their alt text.
    assert_eq!(
        page.matches("<table>").count(),
        page.matches("<caption>").count()
    );
    assert_eq!(
        page.matches("<th>").count(),
        0,
        "a header cell without scope"
    );
    let charts = overhang_render::charts(&with_clause());
    for c in &charts {
        assert!(page.contains(&c.svg), "{} is not inline", c.name);
    }
    assert_eq!(
        page.matches("<figure class=\"chart\">\n<div class=\"scroll\" tabindex=\"0\" role=\"img\" aria-label=\"")
            .count(),
        charts.len()
    );
    assert!(page.contains("@media print"));
    assert!(page.contains("max-width"));
}
