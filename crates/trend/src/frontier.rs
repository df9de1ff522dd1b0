//! The running-best frontier of CEG by date.

use overhang_model::results::FrontierPoint;

/// The running best: the points that beat every earlier date's best CEG, in date order.
///
/// Points on the same date compete first (the largest wins; on a tie, the earliest in the
/// input), so the frontier has at most one point per date. A date's winner joins when its CEG
/// is strictly larger than the best so far; the first date always joins.
#[expect(clippy::float_cmp, reason = "one date means one decimal year, exactly")]
pub fn frontier(points: &[FrontierPoint]) -> Vec<FrontierPoint> {
    let mut order: Vec<&FrontierPoint> = points.iter().collect();
    // Stable: equal dates keep input order, so ties go to the earlier row.
    order.sort_by(|a, b| a.year.total_cmp(&b.year));
    let mut out: Vec<FrontierPoint> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let mut best = order[i];
        let mut j = i + 1;
        while j < order.len() && order[j].year == best.year {
            if order[j].ceg > best.ceg {
                best = order[j];
            }
            j += 1;
        }
        if out.last().is_none_or(|last| best.ceg > last.ceg) {
            out.push(best.clone());
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: &str, year: f64, ceg: f64) -> FrontierPoint {
        FrontierPoint {
            id: id.to_owned(),
            year,
            ceg,
        }
    }

    #[test]
    fn keeps_only_records_in_date_order() {
        let pts = [
            p("c", 2022.0, 8.0),
            p("a", 2020.0, 3.0),
            p("b", 2021.0, 2.0),
            p("d", 2022.0, 12.0),
            p("e", 2023.0, 12.0),
            p("f", 2024.0, 20.0),
        ];
        let ids: Vec<String> = frontier(&pts).into_iter().map(|f| f.id).collect();
        assert_eq!(ids, ["a", "d", "f"]);
    }

    #[test]
    fn ties_on_one_date_go_to_the_first_row() {
        let ids: Vec<String> = frontier(&[p("x", 2020.0, 5.0), p("y", 2020.0, 5.0)])
            .into_iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(ids, ["x"]);
        assert!(frontier(&[]).is_empty());
    }
}
