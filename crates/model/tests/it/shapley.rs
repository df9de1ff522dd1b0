//! The Shapley split against values computed independently (every ordering of the players,
//! with numpy), from `tests/vectors/shapley.json` (made by `tests/vectors/gen_shapley.py`).

use overhang_model::attribution::shapley;
use overhang_testkit::{ROUNDING, assert_close};
use serde::Deserialize;

#[derive(Deserialize)]
struct Game {
    k: usize,
    v: Vec<f64>,
    shapley: Vec<f64>,
}

fn games() -> Vec<Game> {
    serde_json::from_str(include_str!("../vectors/shapley.json")).expect("valid vectors")
}

#[test]
fn shapley_values_match_the_average_over_every_ordering() {
    let games = games();
    assert_eq!(games.len(), 4);
    for g in &games {
        let phi = shapley(g.k, &g.v);
        assert_eq!(phi.len(), g.shapley.len());
        for (got, want) in phi.iter().zip(&g.shapley) {
            assert_close!(*got, *want, ROUNDING);
        }
    }
}

#[test]
fn shapley_values_add_up_to_the_change_from_none_to_all() {
    for g in games() {
        let phi = shapley(g.k, &g.v);
        assert_close!(
            phi.iter().sum::<f64>(),
            g.v[g.v.len() - 1] - g.v[0],
            ROUNDING
        );
    }
}
