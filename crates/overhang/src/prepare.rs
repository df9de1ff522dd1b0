//! What every subcommand does with an inputs folder before simulating: load it, derive the
//! CEGs of `derive` rows from scaling.csv, fit the trends, and run the simulation's own
//! validation. `check` and `build` both call [`prepare`], so `check` rejects exactly what
//! `build` cannot build.

use std::collections::BTreeMap;

use overhang_compose::SimError;
use overhang_model::load::toml_value_span;
use overhang_model::results::Fits;
use overhang_model::{AVERAGE_SCOPE, Assessment, Diagnostic, FittedGrowth, InputFiles};
use overhang_render::Fonts;
use overhang_trend::TrendError;

/// Resamples of the trend bootstrap.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;

/// Inputs ready to simulate.
pub struct Prepared {
    /// The assessment, every derived CEG filled in.
    pub assessment: Assessment,
    /// Warnings from loading and calibration, in file order.
    pub warnings: Vec<Diagnostic>,
    /// The trend fits of the evidence.
    pub fits: Fits,
    /// The growth distributions of the categories with `growth = "fit"`.
    pub fitted: BTreeMap<String, FittedGrowth>,
}

/// Loads, calibrates and fits the inputs; `Err` carries every diagnostic, errors and
/// warnings, in file and line order.
///
/// Loading refuses text none of `fonts` can draw, as [`crate::inputs::load`] does.
pub fn prepare(files: &InputFiles, fonts: &Fonts) -> Result<Prepared, Vec<Diagnostic>> {
    let loaded = crate::inputs::load(files, fonts).map_err(|e| e.diagnostics)?;
    prepare_loaded(loaded.assessment, loaded.warnings, files)
}

/// Calibrates and fits a loaded assessment, and runs the simulation's own validation: what
/// [`prepare`] does after loading, for an assessment made otherwise (a hybrid of two
/// versions' inputs, see [`crate::attribution`]). `files` are what diagnostics point into;
/// `diags` holds the warnings so far.
pub fn prepare_loaded(
    mut assessment: Assessment,
    mut diags: Vec<Diagnostic>,
    files: &InputFiles,
) -> Result<Prepared, Vec<Diagnostic>> {
    diags.extend(overhang_calibrate::calibrate(&mut assessment, files));
    sort(&mut diags, files);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let fits = overhang_trend::fit(
        &assessment,
        &overhang_trend::Options {
            seed: assessment.simulation.seed,
            resamples: BOOTSTRAP_RESAMPLES,
        },
    );
    match overhang_trend::fitted_growth(&fits, &assessment) {
        Ok(fitted) => match overhang_compose::validate(&assessment, &fitted) {
            Ok(()) => Ok(Prepared {
                assessment,
                warnings: diags,
                fits,
                fitted,
            }),
            Err(e) => {
                diags.push(simulation_diagnostic(files, &assessment, &e));
                sort(&mut diags, files);
                Err(diags)
            }
        },
        Err(e) => {
            diags.push(growth_diagnostic(files, &e));
            sort(&mut diags, files);
            Err(diags)
        }
    }
}

/// A refused `growth = "fit"` as a diagnostic at the category's `growth` in assessment.toml:
/// in `[scopes.<id>]` for a scope's fit, else in `[categories]`.
fn growth_diagnostic(files: &InputFiles, e: &TrendError) -> Diagnostic {
    let (TrendError::NoFit {
        category,
        scope,
        reason,
    }
    | TrendError::Unsupported {
        category,
        scope,
        reason,
    }) = e;
    let message = if matches!(e, TrendError::NoFit { .. }) {
        format!(
            "expected a trend fit for growth = \"fit\"{}, found none: {reason}, and no pooled fit to fall back on",
            of_scope(scope)
        )
    } else {
        format!(
            "expected a trend fit that can support a growth claim for growth = \"fit\"{}, found one that cannot: {reason}",
            of_scope(scope)
        )
    };
    let text = std::str::from_utf8(&files.assessment.bytes).unwrap_or_default();
    let (path, field, hint) = if scope == AVERAGE_SCOPE {
        // A scenario may be the one that asks for the fit; point at the base category then.
        (
            vec!["categories", category.as_str(), "growth"],
            format!("categories.{category}.growth"),
            "give the category's growth as an estimate in OOM per year, such as \"0.05 to 0.3\", or add dated evidence rows for it".to_owned(),
        )
    } else {
        (
            vec![
                "scopes",
                scope.as_str(),
                "categories",
                category.as_str(),
                "growth",
            ],
            format!("scopes.{scope}.categories.{category}.growth"),
            format!(
                "give the category's growth in this scope as an estimate in OOM per year, such as \"0.05 to 0.3\", or add dated evidence rows with scope `{scope}` to enhancements.csv"
            ),
        )
    };
    let span = toml_value_span(text, &path);
    Diagnostic::error(&files.assessment.name, text, span, field, message).with_hint(hint)
}

/// An input the simulation would refuse, as a diagnostic at the value in assessment.toml
/// that gives it: the scenario's override, else the scope's, else the base value.
fn simulation_diagnostic(files: &InputFiles, a: &Assessment, e: &SimError) -> Diagnostic {
    let text = std::str::from_utf8(&files.assessment.bytes).unwrap_or_default();
    let (input, hint) = match e {
        SimError::NonFinite { input, .. } => (
            input.as_str(),
            "a beta with a parameter far below 1 draws 0, whose logarithm is not finite, and a \
             large growth without a cap passes 10^300 within the horizon: narrow the estimate \
             or add a cap",
        ),
        SimError::NoSamples | SimError::TooManySamples { .. } | SimError::TooMuchMemory { .. } => (
            "simulation.samples",
            "use fewer samples or fewer horizon steps",
        ),
        SimError::InvalidHorizon { .. } => ("horizon.step_months", "use a step of 1 month or more"),
        _ => ("(simulation)", "check the parameters the message names"),
    };
    let scenario = match e {
        SimError::NonFinite { scenario, .. } => a.scenarios.iter().find(|s| &s.id == scenario),
        _ => None,
    };
    let parts: Vec<&str> = input.split('.').collect();
    let mut candidates: Vec<Vec<&str>> = Vec::new();
    if let Some(s) = scenario {
        candidates.push([&["scenarios", s.scenario.as_str()][..], &parts].concat());
        candidates.push([&["scopes", s.scope.as_str()][..], &parts].concat());
    }
    candidates.push(parts);
    let (path, span) = candidates
        .iter()
        .find_map(|p| toml_value_span(text, p).map(|span| (p.join("."), Some(span))))
        .unwrap_or_else(|| (input.to_owned(), None));
    Diagnostic::error(
        &files.assessment.name,
        text,
        span,
        path,
        format!("expected inputs the simulation can run, found: {e}"),
    )
    .with_hint(hint)
}

/// The phrase " from the rows of scope `<id>`" for a declared scope's fit, nothing for the
/// average task.
fn of_scope(scope: &str) -> String {
    if scope == AVERAGE_SCOPE {
        String::new()
    } else {
        format!(" from the rows of scope `{scope}`")
    }
}

fn sort(diags: &mut [Diagnostic], files: &InputFiles) {
    files.sort_diagnostics(diags);
}
