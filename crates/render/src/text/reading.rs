//! The reader's guide: the evaluation every uplift is measured over, as the report's box and
//! summary.md show it, and one draw worked by hand from the category medians to one number.

use overhang_model::Estimate;
use overhang_model::results::{EvaluationInput, Results};
use serde::Serialize;

use crate::format::{join_and, mult};

/// The pre-release evaluation as the report's box shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EvaluationText {
    /// The evaluation in words.
    pub description: String,
    /// The stated particulars, `[what, value]`, in a fixed order; those not stated are left out.
    pub details: Vec<(String, String)>,
    /// The particulars in one sentence, for summary.md; empty when none is stated.
    pub sentence: String,
}

/// The evaluation of `e` as the outputs show it.
pub(crate) fn evaluation_text(e: &EvaluationInput) -> EvaluationText {
    let mut details: Vec<(String, String)> = Vec::new();
    let mut add = |what: &str, value: &str| {
        if !value.trim().is_empty() {
            details.push((what.to_owned(), value.trim().to_owned()));
        }
    };
    add("Tools", &e.tools);
    add("Scaffold", &e.scaffold);
    add(
        "Fine-tuning",
        match e.fine_tuning {
            Some(true) => "yes",
            Some(false) => "none",
            None => "",
        },
    );
    add(
        "Samples per task",
        &e.samples_per_task
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    add("Scoring", &e.scoring);
    add("Inference budget", &e.inference_budget);
    let sentence = details
        .iter()
        .map(|(what, value)| format!("{}: {value}", what.to_lowercase()))
        .collect::<Vec<_>>()
        .join("; ");
    EvaluationText {
        description: e.description.clone(),
        details,
        sentence,
    }
}

/// One draw worked by hand for the reader's guide: every category of the base case at the
/// median of its `available` and `elicited` estimates, at release, combined by the base case's
/// method (kappa at its median); empty for the pairwise method or an estimate that does not
/// parse.
pub(crate) fn worked_draw(results: &Results) -> String {
    let median = |text: &str| Estimate::parse(text).ok().map(|e| e.median());
    let mut levels = Vec::new();
    for c in &results.inputs.categories {
        let (Some(a), Some(e)) = (median(&c.available), median(&c.elicited)) else {
            return String::new();
        };
        // The simulation caps the elicited level at the available one in every draw.
        levels.push((c.label.as_str(), a, e.min(a)));
    }
    let comp = &results.inputs.composability;
    let kappa = match comp.method.as_str() {
        "multiplicative" => 1.0,
        "max" => 0.0,
        "largest-first" => match comp.kappa.as_deref().and_then(median) {
            Some(k) => k,
            None => return String::new(),
        },
        _ => return String::new(),
    };
    if levels.is_empty() {
        return String::new();
    }
    // Largest-first: the largest level plus kappa times the others, in log10 (levels below 1x
    // count as 0, as in the simulation).
    let aggregate = |xs: Vec<f64>| {
        let mut logs: Vec<f64> = xs.iter().map(|&x| libm::log10(x).max(0.0)).collect();
        logs.sort_by(|a, b| b.total_cmp(a));
        logs[0] + kappa * logs[1..].iter().sum::<f64>()
    };
    let at_release = aggregate(levels.iter().map(|l| l.1).collect());
    let evaluated = aggregate(levels.iter().map(|l| l.2).collect());
    let uplift = (at_release - evaluated).max(0.0);
    let gains = levels
        .iter()
        .map(|(label, a, e)| format!("{label} {} available, {} elicited", mult(*a), mult(*e)))
        .collect::<Vec<_>>();
    let rule = match comp.method.as_str() {
        "multiplicative" => "adds the orders of magnitude (OOM, log10 of each gain)".to_owned(),
        "max" => {
            "keeps the largest category's orders of magnitude (OOM, log10 of the gain)".to_owned()
        }
        _ => format!(
            "takes the largest category's orders of magnitude (OOM, log10 of the gain) and \
             adds kappa = {kappa:.2} times each other category's"
        ),
    };
    format!(
        "Take one draw in which every category sits at the median of its estimates: {}. The \
         aggregation {rule}: the level available at release is {at_release:.2} OOM ({}) and the \
         level the evaluation elicited is {evaluated:.2} OOM ({}), so the uplift at release is \
         {:.2} OOM, a multiplier of {}. A draw with every input at its median is not the median \
         draw: the reported medians come from all the draws.",
        join_and(&gains),
        mult(libm::pow(10.0, at_release)),
        mult(libm::pow(10.0, evaluated)),
        uplift,
        mult(libm::pow(10.0, uplift)),
    )
}
