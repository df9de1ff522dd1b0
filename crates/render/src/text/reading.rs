//! The reader's guide: the evaluation every uplift is measured over, as the report's box and
//! summary.md show it, and one draw worked by hand from the category medians to one number.

use overhang_model::results::{EvaluationInput, Results};
use serde::Serialize;

use super::model::category_label;
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

/// One draw worked by hand for the reader's guide, in words: [`Results::worked_draw`], which
/// the simulation stage computed; empty without one.
pub(crate) fn worked_draw(results: &Results) -> String {
    let Some(w) = &results.worked_draw else {
        return String::new();
    };
    let gains = w
        .categories
        .iter()
        .map(|c| {
            format!(
                "{} {} available, {} elicited",
                category_label(results, &c.category),
                mult(c.available),
                mult(c.elicited)
            )
        })
        .collect::<Vec<_>>();
    let rule = match (results.inputs.composability.method.as_str(), w.kappa) {
        ("max", _) => {
            "keeps the largest category's orders of magnitude (OOM, log10 of the gain)".to_owned()
        }
        (_, Some(kappa)) => format!(
            "takes the largest category's orders of magnitude (OOM, log10 of the gain) and \
             adds kappa = {kappa:.2} times each other category's"
        ),
        _ => "adds the orders of magnitude (OOM, log10 of each gain)".to_owned(),
    };
    format!(
        "Take one draw in which every category sits at its medians (of the level at release, \
         from the posterior where the evidence updated it, and of the gap at release): {}. The \
         aggregation {rule}: the level available at release is {:.2} OOM ({}) and the \
         level the evaluation elicited is {:.2} OOM ({}), so the uplift at release is \
         {:.2} OOM, a multiplier of {}. A draw with every input at its median is not the median \
         draw: the reported medians come from all the draws.",
        join_and(&gains),
        w.available_oom,
        mult(libm::pow(10.0, w.available_oom)),
        w.elicited_oom,
        mult(libm::pow(10.0, w.elicited_oom)),
        w.uplift_oom,
        mult(libm::pow(10.0, w.uplift_oom)),
    )
}
