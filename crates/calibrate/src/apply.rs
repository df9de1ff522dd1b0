//! Calibration of a loaded assessment: every `derive` row gets its CEG, and every problem
//! becomes a `file:line:column` diagnostic like the loader's.

use overhang_model::load::csv_field;
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
    files.sort_diagnostics(&mut diags);
    diags
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
