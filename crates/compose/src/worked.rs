//! One draw worked by hand for the reader: the base case with every input at its median.

use overhang_model::results::{WorkedCategory, WorkedDraw};
use overhang_model::{Assessment, Available, Method};

/// The base case of `assessment` with every category at the median of its available and
/// elicited estimates, at release, combined by the base case's method (kappa at its median).
/// A category whose estimates the evidence updated takes its posterior median of the level at
/// release; one with a stated gap has the elicited level `available / gap` (at least 1x), the
/// gap at its median.
///
/// As in every draw of the simulation, the elicited level is capped at the available one and
/// levels below 1x count as 0 OOM. Caps, the aggregate ceiling and growth do not enter: the
/// draw shows the aggregation alone. `None` for the pairwise method, without categories, or
/// when a category's available level is its elicited one (`available = "elicited"`).
pub fn worked_draw(assessment: &Assessment) -> Option<WorkedDraw> {
    let comp = &assessment.composability;
    let kappa = match comp.method {
        Method::LargestFirst => Some(comp.kappa.as_ref()?.median()),
        Method::Multiplicative | Method::Max => None,
        Method::Pairwise => return None,
    };
    let categories = assessment
        .categories
        .iter()
        .map(|c| {
            let Available::Estimate(available) = &c.available else {
                return None;
            };
            let available = assessment
                .posterior_of(overhang_model::AVERAGE_SCOPE, &c.id)
                .and_then(|i| i.posterior)
                .map_or_else(|| available.median(), |p| libm::pow(10.0, p.available.p50));
            let elicited = match &c.gap {
                Some(gap) => (available / gap.median()).max(1.0),
                None => c.elicited.median(),
            };
            Some(WorkedCategory {
                category: c.id.clone(),
                available,
                elicited: elicited.min(available),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    if categories.is_empty() {
        return None;
    }
    let aggregate = |levels: &mut dyn Iterator<Item = f64>| {
        aggregate(comp.method, kappa, levels.map(|x| libm::log10(x).max(0.0)))
    };
    let available_oom = aggregate(&mut categories.iter().map(|c| c.available));
    let elicited_oom = aggregate(&mut categories.iter().map(|c| c.elicited));
    Some(WorkedDraw {
        kappa,
        categories,
        available_oom,
        elicited_oom,
        uplift_oom: (available_oom - elicited_oom).max(0.0),
    })
}

/// `Agg(L)` of the levels `logs` (OOM) by the closed form of `method`, as the kernel computes
/// it for a block of draws: the sum, the largest, or the largest plus `kappa` times the rest.
fn aggregate(method: Method, kappa: Option<f64>, logs: impl Iterator<Item = f64>) -> f64 {
    let (sum, max) = logs.fold((0.0, 0.0_f64), |(s, m), l| (s + l, m.max(l)));
    match (method, kappa) {
        (Method::Max, _) => max,
        (Method::LargestFirst, Some(k)) => max + k * (sum - max),
        _ => sum,
    }
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "medians of point estimates and the cap at them are exact"
)]
mod tests {
    use std::fmt::Write as _;

    use overhang_testkit::{ROUNDING, assert_close};

    use super::*;
    use crate::test_assessment;

    fn assessment(method: &str, categories: &[(&str, &str, &str)]) -> Assessment {
        let mut toml = format!(
            "[report]\ntitle = \"T\"\nversion = \"0.1.0\"\ndate = \"2026-01-01\"\n\
             authors = [\"A\"]\nrelease_date = \"2026-01-01\"\n\
             [simulation]\nsamples = 100\nseed = 1\n[horizon]\nmonths = 12\nstep_months = 6\n\
             [composability]\nmethod = \"{method}\"\nkappa = \"uniform(0.3, 0.7)\"\n"
        );
        for (id, available, elicited) in categories {
            let _ = write!(
                toml,
                "[categories.{id}]\nlabel = \"{id}\"\navailable = \"{available}\"\n\
                 elicited = \"{elicited}\"\ngrowth = \"0\"\nrationale = \"r\"\n"
            );
        }
        toml.push_str("[[thresholds]]\nlabel = \"4x\"\nmultiplier = 4\npolicy = \"p\"\n");
        test_assessment(&toml, categories[0].0)
    }

    #[test]
    fn largest_first_adds_kappa_times_the_others_to_the_largest() {
        // Available 100x and 10x: 2 + 0.5 x 1 = 2.5 OOM. Elicited 2x and 1x, capped at
        // nothing: log10 2 = 0.30 OOM. The uplift is the difference.
        let a = assessment(
            "largest-first",
            &[("a", "10", "2"), ("b", "100", "1"), ("c", "0.5", "1")],
        );
        let w = worked_draw(&a).expect("a worked draw");
        let kappa = w.kappa.expect("kappa for largest-first");
        assert_close!(kappa, 0.5, ROUNDING, "kappa");
        assert_close!(w.available_oom, 2.5, ROUNDING, "available OOM");
        assert_close!(w.elicited_oom, libm::log10(2.0), ROUNDING, "elicited OOM");
        assert_close!(w.uplift_oom, 2.5 - libm::log10(2.0), ROUNDING, "uplift OOM");
        // A level below 1x counts as 0 OOM; its elicited level is capped at it.
        assert_eq!(w.categories[2].available, 0.5);
        assert_eq!(w.categories[2].elicited, 0.5);
    }

    #[test]
    fn the_elicited_median_is_capped_at_the_available_one() {
        let a = assessment("multiplicative", &[("a", "3", "30"), ("b", "10", "1")]);
        let w = worked_draw(&a).expect("a worked draw");
        assert_eq!(w.categories[0].elicited, 3.0);
        assert_eq!(w.kappa, None);
        // Multiplicative sums: available 3 x 10 = 30x, elicited 3 x 1 = 3x.
        assert_close!(
            w.available_oom,
            libm::log10(30.0),
            ROUNDING,
            "available OOM"
        );
        assert_close!(w.uplift_oom, 1.0, ROUNDING, "uplift OOM");
    }

    #[test]
    fn max_keeps_the_largest_and_pairwise_has_no_worked_draw() {
        let a = assessment("max", &[("a", "10", "1"), ("b", "1000", "1")]);
        let w = worked_draw(&a).expect("a worked draw");
        assert_close!(w.available_oom, 3.0, ROUNDING, "available OOM");
        let mut a = a;
        a.composability.method = Method::Pairwise;
        assert_eq!(worked_draw(&a), None);
    }
}
