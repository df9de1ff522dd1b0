//! NIST `StRD` Norris (simple linear regression), read from the committed copy of `Norris.dat`:
//! the certified values are parsed from the file, not retyped.

use overhang_testkit::{CLOSED_FORM, ROUNDING, WELL_CONDITIONED, assert_close};
use overhang_trend::ols;

struct Norris {
    x: Vec<f64>,
    y: Vec<f64>,
    b0: (f64, f64),
    b1: (f64, f64),
    residual_sd: f64,
    r2: f64,
}

fn norris() -> Norris {
    let text = include_str!("../vectors/Norris.dat");
    let numbers = |line: &str| -> Vec<f64> {
        line.split_whitespace()
            .filter_map(|t| t.parse::<f64>().ok())
            .collect()
    };
    let find = |prefix: &str| -> Vec<f64> {
        // The first line that starts with the label and carries numbers: "Standard
        // Deviation" also heads a column without any.
        text.lines()
            .filter_map(|l| l.trim_start().strip_prefix(prefix))
            .map(numbers)
            .find(|v| !v.is_empty())
            .unwrap_or_else(|| panic!("no `{prefix}` line with values in Norris.dat"))
    };
    let b0 = find("B0");
    let b1 = find("B1");
    let data_start = text
        .lines()
        .position(|l| l.starts_with("Data:") && l.contains('y') && l.contains('x'))
        .unwrap();
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for line in text.lines().skip(data_start + 1) {
        let v = numbers(line);
        if v.len() == 2 {
            y.push(v[0]);
            x.push(v[1]);
        }
    }
    Norris {
        x,
        y,
        b0: (b0[0], b0[1]),
        b1: (b1[0], b1[1]),
        residual_sd: find("Standard Deviation")[0],
        r2: find("R-Squared")[0],
    }
}

#[test]
fn norris_matches_the_certified_values() {
    let d = norris();
    assert_eq!(d.x.len(), 36);
    let fit = ols(&d.x, &d.y).unwrap();
    // The certified values carry 15 significant digits. The slope, its standard error and R²
    // agree to about 1e-14 relative; the intercept, small against the data's scale of 1000,
    // keeps about 13 digits.
    assert_close!(fit.slope, d.b1.0, CLOSED_FORM.relative(), "B1");
    assert_close!(fit.intercept, d.b0.0, ROUNDING.relative(), "B0");
    assert_close!(fit.slope_se, d.b1.1, CLOSED_FORM.relative(), "sd B1");
    assert_close!(fit.intercept_se, d.b0.1, CLOSED_FORM.relative(), "sd B0");
    assert_close!(fit.r2, d.r2, WELL_CONDITIONED.relative(), "R-squared");
    let df = fit.df;
    assert_eq!(df, 34.0);
    // The residual standard deviation follows from the slope's SE: s = se * sqrt(Sxx).
    let n = d.x.len() as f64;
    let mean = d.x.iter().sum::<f64>() / n;
    let sxx: f64 = d.x.iter().map(|v| (v - mean) * (v - mean)).sum();
    assert_close!(
        fit.slope_se * sxx.sqrt(),
        d.residual_sd,
        CLOSED_FORM.relative(),
        "residual sd"
    );
}
