//! The composability chart: the prior and the posterior density of kappa, when kappa was
//! learned from measured combinations.

use overhang_model::results::Results;

use super::axes::Axes;
use super::canvas::{MID, render};
use super::legend::{Key, MEDIAN, draw_line, with_legend};
use super::ticks::{Labels, clamp, linear_ticks};
use crate::Chart;
use crate::format::kappa;

/// The prior drawn as a dashed grey line.
const PRIOR: Key = Key::Line(MID, 3, Some((10, 5)));

/// `composability.svg`, when kappa was learned.
pub(super) fn chart(results: &Results) -> Option<Chart> {
    let c = &results.composability;
    let (Some(prior), Some(post)) = (c.prior, c.posterior) else {
        return None;
    };
    if c.density.is_empty() {
        return None;
    }
    let x = (0.0, 1.0);
    let top = c
        .density
        .iter()
        .flat_map(|&(_, p, q)| [p, q])
        .filter(|v| v.is_finite())
        .fold(0.5, f64::max)
        * 1.12;
    let y = (0.0, top);
    let svg = render(|root| {
        let entries = [
            ("Prior (the assessment's kappa)".to_owned(), PRIOR),
            ("Posterior (given the combinations)".to_owned(), MEDIAN),
        ];
        let area = with_legend(root, &entries)?;
        let axes = Axes {
            x,
            y,
            x_ticks: linear_ticks(x.0, x.1, 5),
            y_ticks: linear_ticks(0.0, top, 5),
            x_desc: "Kappa (weight of categories after the largest)".to_owned(),
            y_desc: "Density".to_owned(),
            x_labels: Labels::Decimal,
            y_labels: Labels::Decimal,
            left: 66,
            right: 16,
            caption: None,
        };
        let chart = axes.draw(&area)?;
        for (pick, key) in [(0, PRIOR), (1, MEDIAN)] {
            let points: Vec<(i32, i32)> = c
                .density
                .iter()
                .map(|&(k, p, q)| {
                    let d = if pick == 0 { p } else { q };
                    chart.backend_coord(&(clamp(k, x), clamp(d, y)))
                })
                .collect();
            draw_line(root, &points, key)?;
        }
        Ok(())
    });
    Some(Chart {
        name: "composability.svg".to_owned(),
        title: "Kappa before and after learning from the measured combinations".to_owned(),
        alt: format!(
            "The prior density of kappa as a dashed line and the posterior as a solid line, \
             kappa from 0 to 1 across: the prior has mean {} (90% interval {} to {}), the \
             posterior mean {} (90% interval {} to {}).",
            kappa(prior.mean),
            kappa(prior.p5),
            kappa(prior.p95),
            kappa(post.mean),
            kappa(post.p5),
            kappa(post.p95)
        ),
        svg,
    })
}
