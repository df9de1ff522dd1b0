//! The estimate language: every form parses into the distribution it names, with the
//! support, positivity and text the rest of the pipeline relies on.

#![expect(
    clippy::float_cmp,
    reason = "points, clamped ends and exact round trips are compared bit for bit on purpose"
)]

use overhang_model::{Distribution, Estimate};
use overhang_testkit::{CLOSED_FORM, Tolerance, ULPS, assert_close};

fn dist(text: &str) -> Distribution {
    *Estimate::parse(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .distribution()
}

#[test]
fn a_point_is_the_same_value_at_every_probability() {
    let e = Estimate::parse("12").unwrap();
    assert!(e.is_point());
    for p in [0.0, 1e-6, 0.5, 1.0] {
        assert_eq!(e.quantile(p), 12.0);
    }
    assert_eq!(e.support(), (12.0, 12.0));
    assert_eq!(e.text(), "12");
    assert!(e.is_strictly_positive());
    assert!(!Estimate::parse("-3").unwrap().is_strictly_positive());
}

#[test]
fn a_positive_interval_is_a_lognormal_with_its_bounds_at_p5_and_p95() {
    let e = Estimate::parse("2 to 20").unwrap();
    let Distribution::LogNormal { mu, sigma } = *e.distribution() else {
        panic!("expected a lognormal, found {:?}", e.distribution());
    };
    assert_close!(mu, libm::log(40.0) / 2.0, ULPS.relative());
    assert_close!(
        sigma,
        libm::log(10.0) / (2.0 * overhang_model::estimate::Z95),
        ULPS
    );
    let (p5, p95) = e.interval90();
    assert_close!(p5, 2.0, CLOSED_FORM.relative());
    assert_close!(p95, 20.0, CLOSED_FORM.relative());
    // The median of a lognormal interval is the geometric mean of its bounds.
    assert_close!(e.median(), libm::sqrt(40.0), CLOSED_FORM.relative());
    assert_eq!(e.central(), e.median());
    assert!(e.is_strictly_positive());
    assert_eq!(e.support(), (0.0, f64::INFINITY));
}

#[test]
fn an_interval_that_reaches_zero_or_below_is_a_normal() {
    for text in ["0 to 1", "-0.1 to 0.5", "-30 to -5"] {
        let e = Estimate::parse(text).unwrap();
        assert!(
            matches!(e.distribution(), Distribution::Normal { .. }),
            "{text}"
        );
        assert!(!e.is_strictly_positive(), "{text}");
        assert_eq!(e.support(), (f64::NEG_INFINITY, f64::INFINITY));
    }
    let e = Estimate::parse("-30 to -5").unwrap();
    assert_close!(e.median(), -17.5, ULPS.relative());
    let (p5, p95) = e.interval90();
    assert_close!(p5, -30.0, CLOSED_FORM.relative());
    assert_close!(p95, -5.0, CLOSED_FORM.relative());
}

#[test]
fn each_named_family_keeps_its_parameters() {
    assert_eq!(
        dist("normal(0.02, 0.3)"),
        Distribution::Normal {
            mean: 0.02,
            sd: 0.3
        }
    );
    assert_eq!(
        dist("lognormal(-4, 2.5)"),
        Distribution::LogNormal {
            mu: -4.0,
            sigma: 2.5
        }
    );
    assert_eq!(
        dist("uniform(-2, 7.5)"),
        Distribution::Uniform {
            low: -2.0,
            high: 7.5
        }
    );
    assert_eq!(
        dist("loguniform(1e-3, 5)"),
        Distribution::LogUniform {
            low: 0.001,
            high: 5.0
        }
    );
    assert_eq!(
        dist("beta(0.5, 0.5)"),
        Distribution::Beta {
            alpha: 0.5,
            beta: 0.5
        }
    );
    assert_eq!(
        dist("triangular(-1, -1, 2)"),
        Distribution::Triangular {
            low: -1.0,
            mode: -1.0,
            high: 2.0
        }
    );
    // The mode may sit at either end.
    assert_eq!(
        dist("triangular(0.1, 0.9, 0.9)"),
        Distribution::Triangular {
            low: 0.1,
            mode: 0.9,
            high: 0.9
        }
    );
}

#[test]
fn whitespace_signs_and_exponents_are_accepted_everywhere_a_number_is() {
    assert_eq!(dist("  5   to\t30 "), dist("5 to 30"));
    assert_eq!(
        dist("normal( -1.5e-1 ,+2E0 )"),
        Distribution::Normal {
            mean: -0.15,
            sd: 2.0
        }
    );
    assert_eq!(dist("1_000 to 10_000"), dist("1000 to 10000"));
    assert_eq!(Estimate::parse("  5 to 30\n").unwrap().text(), "5 to 30");
}

#[test]
fn bounded_families_report_their_support_and_positivity() {
    let cases = [
        ("uniform(1, 2)", (1.0, 2.0), true),
        ("uniform(0, 2)", (0.0, 2.0), false),
        ("loguniform(0.5, 8)", (0.5, 8.0), true),
        ("triangular(0.1, 0.2, 0.7)", (0.1, 0.7), true),
        ("triangular(-1, 0, 1)", (-1.0, 1.0), false),
        ("beta(2, 5)", (0.0, 1.0), true),
        ("normal(10, 1)", (f64::NEG_INFINITY, f64::INFINITY), false),
        ("lognormal(0, 1)", (0.0, f64::INFINITY), true),
    ];
    for (text, support, positive) in cases {
        let e = Estimate::parse(text).unwrap();
        assert_eq!(e.support(), support, "{text}");
        assert_eq!(e.is_strictly_positive(), positive, "{text}");
        // Quantiles at 0 and 1 are the ends of the support.
        assert_eq!(e.quantile(0.0), support.0, "{text}");
        assert_eq!(e.quantile(1.0), support.1, "{text}");
    }
}

#[test]
fn quantiles_increase_with_probability_for_every_family() {
    let probs = [1e-6, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 0.999_999];
    for text in [
        "normal(1, 2)",
        "lognormal(0, 1)",
        "uniform(0, 1)",
        "loguniform(1, 100)",
        "beta(2, 5)",
        "beta(0.1, 0.1)",
        "triangular(0, 1, 4)",
        "5 to 30",
        "-1 to 1",
    ] {
        let e = Estimate::parse(text).unwrap();
        let q: Vec<f64> = probs.iter().map(|&p| e.quantile(p)).collect();
        assert!(q.iter().all(|x| x.is_finite()), "{text}: {q:?}");
        assert!(q.windows(2).all(|w| w[0] <= w[1]), "{text}: {q:?}");
    }
}

#[test]
fn out_of_range_and_nan_probabilities_are_clamped_not_propagated() {
    let e = Estimate::parse("uniform(2, 4)").unwrap();
    assert_eq!(e.quantile(-0.5), 2.0);
    assert_eq!(e.quantile(7.0), 4.0);
    assert_eq!(e.quantile(f64::NAN), 3.0);
    let n = Estimate::parse("normal(0, 1)").unwrap();
    assert_eq!(n.quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(n.quantile(1.0), f64::INFINITY);
}

/// How far a triangular quantile may move for a step of 1e-12 in probability next to its
/// mode: continuity, not round-off.
const STEP_AT_MODE: Tolerance = Tolerance::absolute("STEP_AT_MODE", 3.7e-9);

#[test]
fn triangular_quantile_is_continuous_at_the_mode() {
    let e = Estimate::parse("triangular(2, 3.7, 10)").unwrap();
    let f_mode = (3.7 - 2.0) / 8.0;
    assert_close!(e.quantile(f_mode), 3.7, ULPS.relative());
    // A step of 1e-12 in p moves the quantile by its slope, (high - low) = 8 at most, times
    // 1e-12, far inside this; a jump at the mode would not be.
    assert_close!(e.quantile(f_mode - 1e-12), 3.7, STEP_AT_MODE);
    assert_close!(e.quantile(f_mode + 1e-12), 3.7, STEP_AT_MODE);
}

#[test]
fn the_text_is_kept_and_serialised_as_written() {
    let e = Estimate::parse(" uniform(0.3,0.9) ").unwrap();
    assert_eq!(e.text(), "uniform(0.3,0.9)");
    assert_eq!(e.to_string(), "uniform(0.3,0.9)");
    assert_eq!(serde_json::to_string(&e).unwrap(), "\"uniform(0.3,0.9)\"");
}

#[test]
fn canonical_text_of_each_distribution_parses_back_to_it() {
    for d in [
        Distribution::Point(-0.25),
        Distribution::Normal {
            mean: 1e6,
            sd: 2.5e4,
        },
        Distribution::LogNormal {
            mu: 0.1,
            sigma: 0.7,
        },
        Distribution::Uniform {
            low: -2.0,
            high: 7.5,
        },
        Distribution::LogUniform {
            low: 1e-9,
            high: 1e9,
        },
        Distribution::Beta {
            alpha: 0.2,
            beta: 0.05,
        },
        Distribution::Triangular {
            low: 0.3,
            mode: 0.5,
            high: 0.9,
        },
    ] {
        let e = Estimate::from_distribution(d).unwrap();
        assert_eq!(*e.distribution(), d);
        assert_eq!(
            *Estimate::parse(e.text()).unwrap().distribution(),
            d,
            "{}",
            e.text()
        );
    }
}

#[test]
fn impossible_distributions_are_rejected_by_the_checked_constructors() {
    for d in [
        Distribution::Point(f64::INFINITY),
        Distribution::Normal { mean: 0.0, sd: 0.0 },
        Distribution::LogNormal {
            mu: 0.0,
            sigma: -1.0,
        },
        Distribution::Uniform {
            low: 1.0,
            high: 1.0,
        },
        Distribution::LogUniform {
            low: 0.0,
            high: 1.0,
        },
        Distribution::Beta {
            alpha: 1.0,
            beta: 0.0,
        },
        Distribution::Triangular {
            low: 0.0,
            mode: 2.0,
            high: 1.0,
        },
        Distribution::Normal {
            mean: f64::NAN,
            sd: 1.0,
        },
    ] {
        assert!(Estimate::from_distribution(d).is_err(), "{d:?}");
    }
    assert!(Estimate::point(f64::NEG_INFINITY).is_err());
    assert_eq!(Estimate::point(4.0).unwrap().text(), "4");
}

#[test]
fn errors_point_at_the_offending_characters() {
    // (text, span, start of the message)
    let cases: [(&str, std::ops::Range<usize>, &str); 12] = [
        ("5 to", 4..4, "expected a number, found the end"),
        ("5 to 30x", 7..8, "expected a number, found `30x`"),
        ("30%", 2..3, "expected a number, found `30%`"),
        ("30 to 5", 0..7, "expected low < high"),
        ("uniform(0.9, 0.3)", 8..16, "expected low < high"),
        (
            "loguniform(-1, 5)",
            11..13,
            "expected the lower bound of a loguniform to be greater than 0",
        ),
        (
            "beta(2, -5)",
            8..10,
            "expected the second shape parameter to be greater than 0",
        ),
        (
            "triangular(0, 5, 4)",
            14..15,
            "expected the mode between low and high",
        ),
        (
            "normal(1, 2, 3)",
            11..12,
            "expected `)`: normal takes 2 arguments",
        ),
        ("normal 1, 2", 7..8, "expected `(` after `normal`"),
        ("lognormal(0, 1", 14..14, "expected `)`"),
        (
            "lgnormal(0, 1)",
            0..8,
            "expected a number or a distribution name, found `lgnormal`",
        ),
    ];
    for (text, span, message) in cases {
        let e = Estimate::parse(text).expect_err(text);
        assert_eq!(e.span, span, "{text}: {}", e.message);
        assert!(e.message.starts_with(message), "{text}: {}", e.message);
        assert!(e.span.end <= text.len(), "{text}");
    }
    let e = Estimate::parse("lgnormal(0, 1)").unwrap_err();
    assert_eq!(e.hint.as_deref(), Some("did you mean `lognormal`?"));
}
