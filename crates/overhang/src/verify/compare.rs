//! results.json of a version folder against a rebuild's, number by number, for a folder made
//! by another overhang version, whose bytes this one does not reproduce.
//!
//! Every value the published results.json holds is compared with the value at the same place
//! in the rebuild's: text, flags and list lengths exactly; a number within its tolerance. A
//! quantile of the uplift that carries its Monte Carlo standard error (`se`, beside `p5` to
//! `p95` in each projection step; the rebuild's, since the published one is under test) may
//! differ by [`SE_MULTIPLE`] standard errors: two
//! independent Monte Carlo estimates differ by `sqrt(2)` standard errors at one standard
//! deviation, and 5 standard deviations keep a false alarm below one in a million per
//! number. Every other number must agree to [`RELATIVE`]: the fits, the inputs and the
//! numbers without a recorded standard error (threshold probabilities, sensitivity) come from
//! the same seed and streams in every version so far. A standard error is itself a Monte Carlo
//! estimate: it may differ by [`SE_RELATIVE`] of itself. The places that name the tool
//! (`tool_version`, `fingerprint`, `schema_version`) are left out; places the rebuild no longer
//! writes are counted and reported, not compared.

use serde_json::Value;

/// The tolerance of a number with a Monte Carlo standard error, in standard errors:
/// `5 * sqrt(2)`.
pub const SE_MULTIPLE: f64 = 5.0 * std::f64::consts::SQRT_2;

/// The relative tolerance of every other number (and its absolute floor near zero).
pub const RELATIVE: f64 = 1e-9;

/// The relative tolerance of a Monte Carlo standard error.
pub const SE_RELATIVE: f64 = 0.5;

/// Top-level keys that name the tool that wrote the file rather than what it computed.
const TOOL_KEYS: [&str; 3] = ["tool_version", "fingerprint", "schema_version"];

/// How the published results.json compares with the rebuild's.
#[derive(Debug, Default)]
pub struct Agreement {
    /// Numbers compared.
    pub numbers: usize,
    /// Of these, numbers compared within their Monte Carlo standard error.
    pub with_se: usize,
    /// The largest difference of those, in standard errors.
    pub largest_se: f64,
    /// Places the published file has and the rebuild does not write.
    pub not_compared: Vec<String>,
    /// Places that disagree, each with both values.
    pub differences: Vec<String>,
}

/// Compares the published `published` results.json with the rebuild's `rebuilt`.
///
/// # Errors
///
/// Either file is not JSON.
pub fn results(published: &[u8], rebuilt: &[u8]) -> Result<Agreement, String> {
    let p: Value = serde_json::from_slice(published).map_err(|e| format!("not JSON ({e})"))?;
    let r: Value =
        serde_json::from_slice(rebuilt).map_err(|e| format!("the rebuild's is not JSON ({e})"))?;
    let mut a = Agreement::default();
    match (&p, &r) {
        (Value::Object(po), Value::Object(ro)) => {
            for (k, pv) in po {
                if TOOL_KEYS.contains(&k.as_str()) {
                    continue;
                }
                match ro.get(k) {
                    Some(rv) => walk(pv, rv, k, Tolerance::Exact, &mut a),
                    None => a.not_compared.push(k.clone()),
                }
            }
        }
        _ => walk(&p, &r, "", Tolerance::Exact, &mut a),
    }
    Ok(a)
}

/// How far a number may move.
#[derive(Clone, Copy)]
enum Tolerance {
    /// [`RELATIVE`].
    Exact,
    /// [`SE_MULTIPLE`] times this standard error.
    Se(f64),
    /// [`SE_RELATIVE`]: a standard error.
    StandardError,
}

fn walk(p: &Value, r: &Value, path: &str, tolerance: Tolerance, a: &mut Agreement) {
    match (p, r) {
        (Value::Object(po), Value::Object(ro)) => {
            // The rebuild's standard errors: the published ones are what is being checked.
            let ses = ro.get("se").and_then(Value::as_object);
            for (k, pv) in po {
                let here = format!("{path}.{k}");
                let tolerance = match ses.and_then(|s| s.get(k)).and_then(Value::as_f64) {
                    _ if k == "se" => Tolerance::StandardError,
                    Some(se) if se > 0.0 => Tolerance::Se(se),
                    _ => tolerance,
                };
                match ro.get(k) {
                    Some(rv) => walk(pv, rv, &here, tolerance, a),
                    None => a.not_compared.push(here),
                }
            }
        }
        (Value::Array(pa), Value::Array(ra)) => {
            if pa.len() == ra.len() {
                for (i, (pv, rv)) in pa.iter().zip(ra).enumerate() {
                    walk(pv, rv, &format!("{path}[{i}]"), tolerance, a);
                }
            } else {
                a.differences.push(format!(
                    "{path}: {} entries; the rebuild has {}",
                    pa.len(),
                    ra.len()
                ));
            }
        }
        (Value::Number(pn), Value::Number(rn)) => {
            let (x, y) = (
                pn.as_f64().unwrap_or(f64::NAN),
                rn.as_f64().unwrap_or(f64::NAN),
            );
            a.numbers += 1;
            let d = (x - y).abs();
            let scale = x.abs().max(y.abs());
            let within = match tolerance {
                Tolerance::Se(se) => {
                    a.with_se += 1;
                    a.largest_se = a.largest_se.max(d / se);
                    d <= SE_MULTIPLE * se
                }
                Tolerance::StandardError => d <= SE_RELATIVE * scale,
                Tolerance::Exact => d <= RELATIVE * scale.max(1.0),
            };
            if !within {
                let allowed = match tolerance {
                    Tolerance::Se(se) => format!(" ({:.1} standard errors of {se})", d / se),
                    _ => String::new(),
                };
                a.differences
                    .push(format!("{path}: {x}; the rebuild gives {y}{allowed}"));
            }
        }
        _ if p == r => {}
        _ => a
            .differences
            .push(format!("{path}: {p}; the rebuild gives {r}")),
    }
}

#[cfg(test)]
mod tests {
    use overhang_testkit::{ROUNDING, assert_close};

    use super::*;

    fn compare(p: &str, r: &str) -> Agreement {
        results(p.as_bytes(), r.as_bytes()).unwrap()
    }

    #[test]
    fn a_quantile_may_move_within_its_standard_errors_and_no_further() {
        let p = r#"{"s":[{"p5":1.0,"p50":2.0,"se":{"p5":0.01,"p50":0.1}}]}"#;
        let near = r#"{"s":[{"p5":1.05,"p50":2.5,"se":{"p5":0.011,"p50":0.1}}]}"#;
        let a = compare(p, near);
        assert!(a.differences.is_empty(), "{:?}", a.differences);
        assert_eq!((a.numbers, a.with_se), (4, 2));
        assert_close!(
            a.largest_se,
            5.0,
            ROUNDING,
            "largest move in standard errors"
        );
        let far = r#"{"s":[{"p5":1.0,"p50":3.0,"se":{"p5":0.01,"p50":0.1}}]}"#;
        let a = compare(p, far);
        assert_eq!(a.differences.len(), 1, "{:?}", a.differences);
        assert!(
            a.differences[0].starts_with("s[0].p50: 2"),
            "{:?}",
            a.differences
        );
    }

    #[test]
    fn an_inflated_published_standard_error_does_not_widen_the_tolerance() {
        let p = r#"{"s":[{"p50":3.0,"se":{"p50":0.15}}]}"#;
        let r = r#"{"s":[{"p50":2.0,"se":{"p50":0.1}}]}"#;
        let a = compare(p, r);
        assert_eq!(a.differences.len(), 1, "{:?}", a.differences);
        assert!(
            a.differences[0].contains("10.0 standard errors"),
            "{:?}",
            a.differences
        );
    }

    #[test]
    fn numbers_without_a_standard_error_text_and_lengths_must_agree() {
        let p = r#"{"fits":{"slope":0.25},"label":"a","rows":[1,2]}"#;
        assert!(compare(p, p).differences.is_empty());
        let a = compare(p, r#"{"fits":{"slope":0.2500001},"label":"b","rows":[1]}"#);
        assert_eq!(a.differences.len(), 3, "{:?}", a.differences);
    }

    #[test]
    fn the_tools_own_names_are_skipped_and_places_the_rebuild_lacks_are_counted() {
        let p = r#"{"tool_version":"0.1.0","fingerprint":"ab","old":{"x":1},"n":1}"#;
        let r = r#"{"tool_version":"0.3.0","fingerprint":"cd","n":1,"new":2}"#;
        let a = compare(p, r);
        assert!(a.differences.is_empty(), "{:?}", a.differences);
        assert_eq!(a.not_compared, ["old"]);
        assert_eq!(a.numbers, 1);
    }
}
