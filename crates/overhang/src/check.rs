//! `overhang check`: validate the inputs and summarise them.

use std::fmt::Write as _;

use overhang_model::{
    AVERAGE_SCOPE, Assessment, Diagnostic, Grade, Growth, InputFiles, Method, diagnostic,
};
use serde_json::json;

use crate::args::{CheckArgs, Format};
use crate::exit::{Failure, Outcome};
use crate::inputs;
use crate::prepare::prepare;

/// Runs `overhang check`.
pub fn run(args: &CheckArgs) -> Result<Outcome, Failure> {
    let files = inputs::read(&args.inputs)?;
    let dir = args.inputs.display().to_string();
    let fonts = inputs::fonts(&dir, &inputs::read_fonts(&args.inputs)?)?;
    match prepare(&files, &fonts) {
        Ok(prepared) => {
            let stdout = match args.format {
                Format::Human => summary(&prepared.assessment, &prepared.warnings, &dir),
                Format::Json => json_report(&dir, &prepared.warnings, Some(&prepared.assessment)),
            };
            let stderr = match args.format {
                Format::Human => render(&prepared.warnings, &files),
                Format::Json => String::new(),
            };
            Ok(Outcome { stdout, stderr })
        }
        Err(diagnostics) => {
            let message = match args.format {
                Format::Human => format!(
                    "{}{}",
                    render(&diagnostics, &files),
                    tally(&diagnostics, &dir)
                ),
                Format::Json => json_report(&dir, &diagnostics, None),
            };
            let failure = Failure::data(message);
            // The JSON document goes to stdout; the exit code still says the input is bad.
            Err(if args.format == Format::Json {
                failure.for_stdout()
            } else {
                failure
            })
        }
    }
}

/// Renders diagnostics rustc-style.
pub fn render(diagnostics: &[Diagnostic], files: &InputFiles) -> String {
    diagnostic::render(diagnostics, |name| files.text(name))
}

fn tally(diagnostics: &[Diagnostic], dir: &str) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!(
        "error: {dir} has {errors} error{} and {warnings} warning{}; nothing was built\n",
        plural(errors),
        plural(warnings)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn json_report(dir: &str, diagnostics: &[Diagnostic], assessment: Option<&Assessment>) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let doc = json!({
        "inputs": dir,
        "valid": assessment.is_some(),
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "diagnostics": diagnostics,
        "summary": assessment.map(|a| json!({
            "title": a.report.title,
            "version": a.report.version.as_str(),
            "categories": a.categories.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            "evidence_rows": a.evidence.len(),
            "evidence_derived": a.evidence.iter().filter(|r| r.derivation().is_some()).count(),
            "evidence_bounds": a.evidence.iter().filter(|r| r.ceg.censoring().is_some_and(|c| c != overhang_model::Censoring::None)).count(),
            "scaling_rows": a.scaling.len(),
            "evidence_by_grade": Grade::NAMES.iter().map(|g| (g.to_string(), json!(a.evidence.iter().filter(|r| r.evidence.name() == *g).count()))).collect::<serde_json::Map<_, _>>(),
            "composability": {
                "method": a.composability.method.name(),
                "learn": a.composability.learn,
                "learned_from": learned_rows(&a.composability),
            },
            "scopes": a.scopes.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            "evidence_by_scope": a.scopes.iter().filter(|s| s.id != AVERAGE_SCOPE).map(|s| (s.id.clone(), json!(a.evidence.iter().filter(|r| r.scope == s.id).count()))).collect::<serde_json::Map<_, _>>(),
            "scenarios": a.scenarios.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            "thresholds": a.thresholds.iter().map(|t| t.multiplier).collect::<Vec<_>>(),
        })),
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a JSON value always serialises");
    s.push('\n');
    s
}

/// The one-screen summary of a valid assessment.
pub fn summary(a: &Assessment, warnings: &[Diagnostic], dir: &str) -> String {
    let mut s = String::new();
    let r = &a.report;
    let _ = writeln!(s, "{dir}: valid");
    let _ = writeln!(
        s,
        "  report         {} (v{}, {})",
        r.title, r.version, r.date
    );
    let _ = writeln!(
        s,
        "  release        {} (t = 0 of the projection)",
        r.release_date
    );
    let _ = writeln!(
        s,
        "  simulation     {} samples, seed {}; horizon {} months in steps of {}",
        a.simulation.samples, a.simulation.seed, a.horizon.months, a.horizon.step_months
    );
    let comp = &a.composability;
    let detail = match comp.method {
        Method::LargestFirst => {
            let alternative = comp
                .kappa_alternative
                .as_ref()
                .map_or_else(String::new, |k| format!(" (alternative {})", k.text()));
            format!(
                ", kappa {}{alternative}",
                comp.kappa.as_ref().map_or("-", |k| k.text())
            )
        }
        Method::Pairwise => format!(", {} listed pairs", comp.pairs.len()),
        _ => String::new(),
    };
    let _ = writeln!(
        s,
        "  composability  {}{detail}; {}",
        comp.method.name(),
        learning(comp)
    );
    let m = &a.model;
    let shape = match &m.saturation_years {
        Some(tau) => format!("{}, saturation years {tau}", m.growth_shape.name()),
        None => m.growth_shape.name().to_owned(),
    };
    let ceiling = m
        .ceiling
        .as_ref()
        .map_or(String::new(), |c| format!(", aggregate ceiling {c}"));
    let _ = writeln!(
        s,
        "  dependence     correlation {}, growth correlation {}, available-elicited correlation {}",
        m.correlation, m.growth_correlation, m.available_elicited_correlation
    );
    let _ = writeln!(s, "  growth shape   {shape}{ceiling}");
    let _ = writeln!(s, "  categories     {}", a.categories.len());
    let w = a.categories.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for c in &a.categories {
        let growth = match &c.growth {
            Growth::Fit | Growth::ScopeFit(_) => "fit".to_owned(),
            Growth::Estimate(e) => format!("{e} OOM/yr"),
        };
        let cap = c
            .cap
            .as_ref()
            .map_or(String::new(), |c| format!(", cap {c}"));
        let rows = a.evidence.iter().filter(|r| r.category == c.id).count();
        let captured = match &c.gap {
            Some(g) => format!("gap {g}"),
            None => format!("elicited {}", c.elicited),
        };
        let lag = c.lag_months.as_ref().map_or(String::new(), |l| match l {
            overhang_model::Lag::Never => ", never reachable".to_owned(),
            overhang_model::Lag::Months(m) => format!(", lag {m} months"),
        });
        let _ = writeln!(
            s,
            "    {:w$}  available {}, {captured}{lag}, growth {growth}{cap}; {rows} evidence row{}",
            c.id,
            c.available,
            plural(rows),
        );
    }
    let count = |g: Grade| a.evidence.iter().filter(|r| r.evidence == g).count();
    let _ = writeln!(
        s,
        "  evidence       {} rows: {} primary, {} measured, {} secondary, {} assumption; {} derived from {} scaling rows, {} bounds",
        a.evidence.len(),
        count(Grade::Primary),
        count(Grade::Measured),
        count(Grade::Secondary),
        count(Grade::Assumption),
        a.evidence
            .iter()
            .filter(|r| r.derivation().is_some())
            .count(),
        a.scaling.len(),
        a.evidence
            .iter()
            .filter(|r| r
                .ceg
                .censoring()
                .is_some_and(|c| c != overhang_model::Censoring::None))
            .count()
    );
    inference_lines(&mut s, a);
    let number = overhang_model::estimate::format_number;
    let thresholds: Vec<String> = a
        .thresholds
        .iter()
        .map(|t| {
            let policy: Vec<String> = [
                t.cadence_months.map(|c| format!("every {c} months")),
                t.tolerance.map(|p| format!("tolerance {}", number(p))),
            ]
            .into_iter()
            .flatten()
            .collect();
            if policy.is_empty() {
                format!("{}x", number(t.multiplier))
            } else {
                format!("{}x ({})", number(t.multiplier), policy.join(", "))
            }
        })
        .collect();
    let _ = writeln!(s, "  thresholds     {}", thresholds.join(", "));
    let overrides = |o: &[(String, String)], none: &str| {
        if o.is_empty() {
            none.to_owned()
        } else {
            o.iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    let _ = writeln!(s, "  scopes         {}", a.scopes.len());
    for sc in &a.scopes {
        let o = overrides(&sc.overrides, "base parameters");
        // The average task is fitted on every row; a scope on the rows that name it.
        let rows = if sc.id == AVERAGE_SCOPE {
            format!("all {} evidence rows", a.evidence.len())
        } else {
            let n = a.evidence.iter().filter(|r| r.scope == sc.id).count();
            format!(
                "{n} evidence row{} name{} it",
                plural(n),
                if n == 1 { "s" } else { "" }
            )
        };
        let _ = writeln!(s, "    {} ({}): {o}; {rows}", sc.id, sc.label);
    }
    let first_scope = a.scopes.first().map(|sc| sc.id.as_str());
    let scenarios: Vec<_> = a
        .scenarios
        .iter()
        .filter(|sc| Some(sc.scope.as_str()) == first_scope)
        .collect();
    let _ = writeln!(s, "  scenarios      {}", scenarios.len());
    for sc in scenarios {
        let o = overrides(&sc.overrides, "base parameters");
        let _ = writeln!(s, "    {} ({}): {o}", sc.scenario, sc.scenario_label);
    }
    let _ = writeln!(
        s,
        "  results        {} (every scope x scenario)",
        a.scenarios.len()
    );
    let _ = writeln!(
        s,
        "  warnings       {}",
        if warnings.is_empty() {
            "none".to_owned()
        } else {
            format!("{} (shown on stderr)", warnings.len())
        }
    );
    s
}

/// Whether composability was learned from measured combinations, and from how many rows.
fn learning(comp: &overhang_model::Composability) -> String {
    if !comp.learn {
        return "not learned (learn = false)".to_owned();
    }
    let rows = |n: usize| format!("{n} combination row{}", plural(n));
    if let Some(l) = &comp.learned {
        return format!("kappa learned from {}", rows(l.rows.len()));
    }
    if !comp.learned_pairs.is_empty() {
        let pairs = comp.learned_pairs.len();
        return format!(
            "{pairs} pair{} learned from {}, the others at their estimates",
            plural(pairs),
            rows(learned_rows(comp).len())
        );
    }
    "learn = true, but no combination row informs it: composability stays at its estimate"
        .to_owned()
}

/// The ids of the combination rows composability was learned from (kappa's, or every learned
/// pair's), sorted, each once.
fn learned_rows(comp: &overhang_model::Composability) -> Vec<&str> {
    let mut ids: Vec<&str> = comp
        .learned
        .iter()
        .flat_map(|l| l.rows.iter())
        .chain(
            comp.learned_pairs
                .iter()
                .flat_map(|p| p.learned.rows.iter()),
        )
        .map(String::as_str)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The `inference` line and one line per category and scope: what the evidence did to the
/// estimates (medians as multipliers and OOM/year), and the grid's edge check.
fn inference_lines(s: &mut String, a: &Assessment) {
    use overhang_model::InferenceStatus;
    match &a.inference {
        None => {
            let _ = writeln!(
                s,
                "  inference      none: the estimates are used as written (no [inference])"
            );
            return;
        }
        Some(i) if !i.enabled => {
            let _ = writeln!(
                s,
                "  inference      off (enabled = false): the estimates are used as written"
            );
            return;
        }
        Some(i) => {
            let _ = writeln!(
                s,
                "  inference      on: study_sd {}, row_sd {}/{}/{} (primary/measured/secondary), transfer base {}, post_trained {}, versus_pte {}",
                i.study_sd,
                i.row_sd.primary,
                i.row_sd.measured,
                i.row_sd.secondary,
                i.transfer.base,
                i.transfer.post_trained,
                i.transfer.versus_pte
            );
        }
    }
    // Two significant digits, as the report gives them.
    let times = |x: f64| {
        let v = libm::pow(10.0, x);
        if v >= 100.0 {
            format!("{v:.0}")
        } else if v >= 10.0 {
            format!("{v:.1}")
        } else {
            format!("{v:.2}")
        }
    };
    let w = a
        .inferred
        .iter()
        .map(|c| c.category.len())
        .max()
        .unwrap_or(0);
    for c in &a.inferred {
        let what = match (c.status, &c.posterior, &c.prior) {
            (InferenceStatus::Posterior, Some(p), Some((pa, pg))) => {
                let edge = if p.edge > -overhang_calibrate::infer::DROP {
                    format!(
                        "; warning: the grid's edge holds density e^{:.1} of the mode's, above e^-{}",
                        p.edge,
                        overhang_calibrate::infer::DROP
                    )
                } else {
                    String::new()
                };
                format!(
                    "{} row{} in {} stud{}: available {}x -> {}x, growth {:.3} -> {:.3} OOM/yr (prior -> posterior medians){}{edge}",
                    c.rows.len(),
                    plural(c.rows.len()),
                    c.studies(),
                    if c.studies() == 1 { "y" } else { "ies" },
                    times(pa[1]),
                    times(p.available.p50),
                    pg[1],
                    p.growth.p50,
                    if c.contradicts_prior() {
                        "; the rows contradict the prior"
                    } else {
                        ""
                    }
                )
            }
            (InferenceStatus::NoRows, ..) => "no usable rows: the prior is kept".to_owned(),
            (InferenceStatus::OptedOut, ..) => "infer = false: used as written".to_owned(),
            _ => "not a prior (frozen or fitted): used as written".to_owned(),
        };
        let _ = writeln!(s, "    {:13} {:w$}  {what}", c.scope, c.category);
    }
}
