//! `overhang backtest`: fit each category's inference on the evidence dated before a cutoff and
//! score its predictions of the rows dated on or after it.

use std::fmt::Write as _;

use overhang_model::Date;
use overhang_model::results::BacktestResults;

use crate::args::{BacktestArgs, Format};
use crate::check::render;
use crate::exit::{Failure, Outcome};
use crate::inputs;
use crate::prepare::prepare;

/// Runs `overhang backtest`.
pub fn run(args: &BacktestArgs) -> Result<Outcome, Failure> {
    let cutoff = match &args.cutoff {
        None => None,
        Some(text) => {
            Some(Date::parse(text).map_err(|e| Failure::data(format!("error: --cutoff: {e}")))?)
        }
    };
    let files = inputs::read(&args.inputs)?;
    let dir = args.inputs.display().to_string();
    let fonts = inputs::fonts(&dir, &inputs::read_fonts(&args.inputs)?)?;
    let prepared = prepare(&files, &fonts).map_err(|diagnostics| {
        Failure::data(format!(
            "{}error: {dir} has errors; no backtest was run\n",
            render(&diagnostics, &files)
        ))
    })?;
    let a = &prepared.assessment;
    if !a.inference.as_ref().is_some_and(|i| i.enabled) {
        return Err(Failure::data(format!(
            "error: {dir}/assessment.toml: expected an enabled [inference] table, found {}: the \
             backtest refits the inference of the categories' estimates\n",
            if a.inference.is_some() {
                "`enabled = false`"
            } else {
                "none"
            }
        )));
    }
    let backtest = overhang_calibrate::infer::backtest_assessment(a, cutoff)
        .map_err(|e| Failure::data(format!("error: {e}\n")))?;
    let Some(b) = backtest else {
        return Err(Failure::data(format!(
            "error: {dir}: expected at least 3 evidence rows on more than one date to choose a \
             cutoff, found too few; give one with --cutoff\n"
        )));
    };
    let stdout = match args.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&b)
                .map_err(|e| Failure::internal(format!("error: {e}")))?;
            s.push('\n');
            s
        }
        Format::Human => human(&b),
    };
    Ok(Outcome {
        stdout,
        stderr: String::new(),
    })
}

/// A share as a percentage, or a dash.
fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |x| format!("{:.0}%", 100.0 * x))
}

/// A log10 CEG as a multiplier with two significant digits.
fn times(log10: f64) -> String {
    let x = libm::pow(10.0, log10);
    if x >= 100.0 {
        format!("{x:.0}x")
    } else if x >= 10.0 {
        format!("{x:.1}x")
    } else {
        format!("{x:.2}x")
    }
}

/// The backtest as tables for people.
fn human(b: &BacktestResults) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "backtest: fitted on the rows dated before {}{}, every later row predicted",
        b.cutoff,
        if b.default_cutoff {
            " (the default: about a third of the rows after it)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "  {:<18} {:>6} {:>9} {:>6} {:>7} {:>7} {:>10}",
        "category", "fitted", "predicted", "bounds", "in 50%", "in 90%", "log score"
    );
    for c in &b.categories {
        let bounds = c.predictions.iter().filter(|p| p.in50.is_none()).count();
        let _ = writeln!(
            s,
            "  {:<18} {:>6} {:>9} {:>6} {:>7} {:>7} {:>10}",
            c.category,
            c.fitted,
            c.predictions.len(),
            bounds,
            percent(c.coverage50),
            percent(c.coverage90),
            c.mean_log_score
                .map_or_else(|| "-".to_owned(), |x| format!("{x:.2}"))
        );
    }
    let _ = writeln!(
        s,
        "  all exact rows: {} predicted, {} inside their 50% interval (expected 50%), {} inside \
         their 90% interval (expected 90%); mean log score {}; {} bounds scored by their tail",
        b.exact,
        percent(b.coverage50),
        percent(b.coverage90),
        b.mean_log_score_exact
            .map_or_else(|| "-".to_owned(), |x| format!("{x:.2}")),
        b.bounds
    );
    let _ = writeln!(s, "rows predicted:");
    for c in &b.categories {
        for p in &c.predictions {
            let value = match p.kind.as_str() {
                "at_least" => format!(">= {}", times(p.y_log10)),
                "at_most" => format!("<= {}", times(p.y_log10)),
                _ => times(p.y_log10),
            };
            let verdict = match (p.in50, p.in90) {
                (Some(true), _) => "inside 50%",
                (Some(false), Some(true)) => "inside 90%",
                (Some(false), _) => "outside 90%",
                (None, _) => "bound",
            };
            let _ = writeln!(
                s,
                "  {:<18} {:<34} {:>10}  predicted {} (90%: {} to {})  pit {:.2}  {}",
                c.category,
                p.id,
                value,
                times(p.median),
                times(p.interval90[0]),
                times(p.interval90[1]),
                p.pit,
                verdict
            );
        }
    }
    s
}
