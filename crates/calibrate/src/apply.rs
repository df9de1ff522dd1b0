//! Calibration of a loaded assessment: every `derive` row gets its CEG, and every problem
//! becomes a `file:line:column` diagnostic like the loader's.

use overhang_model::load::{csv_field, toml_value_span};
use overhang_model::{Assessment, Ceg, Combination, Composability, Diagnostic, InputFiles, Method};

use crate::combine::{combinations, learn, learn_pairs};
use crate::derive::{EvidenceRef, derive};
use crate::error::InputFile;

/// Derives the CEG of every evidence row of `assessment` written `derive` from its scaling
/// rows ([`derive()`]) and writes each into its row ([`overhang_model::EvidenceRow::set_derived`]).
///
/// Returns every problem as a [`Diagnostic`] pointing into `files` (the files `assessment`
/// was loaded from), errors and warnings, in file and line order. When one is an error the
/// rows it concerns stay [`Ceg::Pending`] and the assessment must not be used.
pub fn calibrate(assessment: &mut Assessment, files: &InputFiles) -> Vec<Diagnostic> {
    let refs: Vec<EvidenceRef<'_>> = assessment
        .evidence
        .iter()
        .map(|r| EvidenceRef {
            id: &r.id,
            line: r.line,
            derive: !matches!(r.ceg, Ceg::Written { .. }),
        })
        .collect();
    let out = derive(&assessment.scaling, &refs);
    let mut diags: Vec<Diagnostic> = Vec::new();
    for e in &out.errors {
        let mut d = locate(files, e.file(), e.line(), e.column(), e.to_string());
        d.hint = e.hint();
        diags.push(d);
    }
    for w in &out.warnings {
        diags.push(locate(files, w.file(), w.line(), w.column(), w.to_string()).warning());
    }
    for d in out.derivations {
        if let Some(row) = assessment.evidence.iter_mut().find(|r| r.id == d.id) {
            let line = row.line;
            if let Err(e) = row.set_derived(d.derived) {
                diags.push(locate(
                    files,
                    InputFile::Enhancements,
                    line,
                    "ceg",
                    format!("expected a finite derived CEG, found none: {e}"),
                ));
            }
        }
    }
    assessment.combinations = combinations(&assessment.evidence);
    let ids: Vec<String> = assessment.categories.iter().map(|c| c.id.clone()).collect();
    learn_into(
        &mut assessment.composability,
        &ids,
        &assessment.combinations,
    );
    for s in &mut assessment.scenarios {
        learn_into(&mut s.composability, &ids, &assessment.combinations);
    }
    // The inference reads derived CEGs: only once every one is in.
    if !diags.iter().any(Diagnostic::is_error) {
        match crate::infer::infer_assessment(assessment) {
            Ok(inferred) => {
                diags.extend(inferred.iter().filter_map(|i| edge_warning(files, i)));
                assessment.inferred = inferred;
                attach_posteriors(assessment);
                match crate::infer::backtest_assessment(assessment, None) {
                    Ok(b) => assessment.backtest = b,
                    Err(e) => diags.push(inference_diagnostic(files, &e)),
                }
            }
            Err(e) => diags.push(inference_diagnostic(files, &e)),
        }
    }
    files.sort_diagnostics(&mut diags);
    diags
}

/// Gives every scenario's category the posterior of its scope's inference, for the estimates
/// the scenario keeps as the scope states them (a scenario that overrides one draws that one
/// as written).
fn attach_posteriors(a: &mut Assessment) {
    let Assessment {
        scenarios,
        inferred,
        ..
    } = a;
    for s in scenarios.iter_mut() {
        for c in &mut s.categories {
            c.posterior = None;
            let Some(i) = inferred
                .iter()
                .find(|i| i.scope == s.scope && i.category == c.id)
            else {
                continue;
            };
            let Some(table) = &i.table else { continue };
            let available = c.available.estimate() == Some(&i.prior_available);
            let growth =
                matches!(&c.growth, overhang_model::Growth::Estimate(g) if *g == i.prior_growth);
            c.posterior = (available || growth).then(|| overhang_model::PosteriorDraw {
                table: table.clone(),
                available,
                growth,
            });
        }
    }
}

/// A warning when a posterior's grid did not hold its mass: density on the grid's edge above
/// e^-[`crate::infer::DROP`] of the mode's (the exact method's check in place of a sampler's
/// R-hat and effective sample size).
fn edge_warning(files: &InputFiles, i: &overhang_model::CategoryInference) -> Option<Diagnostic> {
    let edge = i.posterior.as_ref()?.edge;
    if edge <= -crate::infer::DROP {
        return None;
    }
    let text = std::str::from_utf8(&files.assessment.bytes).unwrap_or_default();
    let path = ["categories", i.category.as_str(), "available"];
    Some(
        Diagnostic::error(
            &files.assessment.name,
            text,
            toml_value_span(text, &path),
            path.join("."),
            format!(
                "expected the posterior of `{}` in scope `{}` to lie within its grid, found \
                 density e^{edge:.1} of the mode's on the grid's edge (above e^-{}): its \
                 percentiles may be cut short",
                i.category,
                i.scope,
                crate::infer::DROP
            ),
        )
        .with_hint("widen the prior, or check the rows that pull the posterior to its edge")
        .warning(),
    )
}

/// A failed inference as an error at the category's `available` in assessment.toml (in the
/// scope's table for a scope's).
fn inference_diagnostic(files: &InputFiles, e: &crate::infer::CategoryInferError) -> Diagnostic {
    let text = std::str::from_utf8(&files.assessment.bytes).unwrap_or_default();
    let mut path = vec!["categories", e.category.as_str(), "available"];
    if e.scope != overhang_model::AVERAGE_SCOPE {
        path.splice(0..0, ["scopes", e.scope.as_str()]);
    }
    let span = toml_value_span(text, &path)
        .or_else(|| toml_value_span(text, &["categories", e.category.as_str(), "available"]));
    Diagnostic::error(
        &files.assessment.name,
        text,
        span,
        path.join("."),
        format!("expected estimates the evidence can update, found that {e}"),
    )
    .with_hint(match e.error {
        crate::infer::InferError::NoMass => {
            "the prior and the rows leave no posterior mass a grid can resolve, usually because \
             rows that disagree are given very small standard deviations: widen `row_sd` or \
             `study_sd` in [inference], widen the prior, or write `infer = false` in the \
             category to use its estimates as written"
        }
        _ => {
            "the category's estimates are the prior of the inference: give `available` as a \
             multiplier above 0, or write `infer = false` in the category to use them as written"
        }
    })
}

/// With `learn = true`: for largest-first, the posterior of kappa given the combinations,
/// the composability's kappa the prior; for pairwise, the posterior of each pair of
/// `categories` that two-component rows inform, the pair's estimate the prior.
fn learn_into(comp: &mut Composability, categories: &[String], combinations: &[Combination]) {
    comp.learned = match (comp.learn, comp.method, &comp.kappa, &comp.combination_sd) {
        (true, Method::LargestFirst, Some(prior), Some(sd)) => learn(prior, sd, combinations),
        _ => None,
    };
    comp.learned_pairs = if comp.learn && comp.method == Method::Pairwise {
        let ids: Vec<&str> = categories.iter().map(String::as_str).collect();
        learn_pairs(comp, &ids, combinations)
    } else {
        Vec::new()
    };
}

/// An error at `column` of `line` of `file`, with its span and field as the loader writes them.
fn locate(
    files: &InputFiles,
    file: InputFile,
    line: usize,
    column: &str,
    message: String,
) -> Diagnostic {
    let source = match file {
        InputFile::Scaling => files.scaling.as_ref(),
        InputFile::Enhancements => Some(&files.enhancements),
    };
    let name = source.map_or_else(|| file.name().to_owned(), |f| f.name.clone());
    let text = source
        .and_then(|f| std::str::from_utf8(&f.bytes).ok())
        .unwrap_or_default();
    match csv_field(text, line, column) {
        Some((row, span)) => Diagnostic::error(
            &name,
            text,
            Some(span),
            format!("row {row}, column {column}"),
            message,
        ),
        None => {
            let mut d = Diagnostic::error(&name, text, None, format!("column {column}"), message);
            d.line = line;
            d
        }
    }
}
