//! results.schema.json: the JSON Schema of results.json, written beside it in every version
//! folder, and the check of a results.json against a schema that `build` and `verify` share.

use serde_json::Value;

/// The file name of the schema in a version folder.
pub const SCHEMA_FILE: &str = "results.schema.json";

/// At most this many violations are listed; the count says how many there were.
const LISTED: usize = 10;

/// The schema of the results this version writes: pretty-printed with a final newline, like
/// results.json.
pub fn schema_json() -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(&overhang_model::results::schema())
        .expect("a schema always serialises");
    s.push('\n');
    s.into_bytes()
}

/// Why `results` (the bytes of a results.json) does not validate against `schema` (the bytes
/// of a results.schema.json): one line per violation, each with the JSON pointer of the value
/// that breaks it, at most ten and then a count of the rest. Empty when it validates.
pub fn violations(schema: &[u8], results: &[u8]) -> Vec<String> {
    let schema: Value = match serde_json::from_slice(schema) {
        Ok(v) => v,
        Err(e) => return vec![format!("{SCHEMA_FILE} is not JSON: {e}")],
    };
    let results: Value = match serde_json::from_slice(results) {
        Ok(v) => v,
        Err(e) => return vec![format!("results.json is not JSON: {e}")],
    };
    let validator = match jsonschema::draft202012::new(&schema) {
        Ok(v) => v,
        Err(e) => return vec![format!("{SCHEMA_FILE} is not a valid JSON Schema: {e}")],
    };
    let mut lines: Vec<String> = Vec::new();
    let mut total = 0usize;
    for error in validator.iter_errors(&results) {
        total += 1;
        if lines.len() < LISTED {
            let at = error.instance_path().to_string();
            let at = if at.is_empty() { "/".to_owned() } else { at };
            lines.push(format!("results.json at {at}: {error}"));
        }
    }
    if total > LISTED {
        lines.push(format!("and {} more", total - LISTED));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(value: &Value, key: &str) -> Vec<String> {
        value[key]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_schema_names_every_top_level_key_of_the_results_and_requires_the_fixed_ones() {
        let schema: Value = serde_json::from_slice(&schema_json()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let properties = names(&schema, "properties");
        for key in [
            "schema_version",
            "report",
            "fingerprint",
            "tool_version",
            "simulation",
            "inputs",
            "scenarios",
            "evidence",
            "composability",
            "fits",
            "changes",
        ] {
            assert!(properties.contains(&key.to_owned()), "{key} missing");
        }
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(required.contains(&"scenarios"));
        // Written only when there is an earlier version: not required.
        assert!(!required.contains(&"changes"));
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_named_by_its_pointer() {
        let schema = schema_json();
        let bad = br#"{"schema_version": "two"}"#;
        let lines = violations(&schema, bad);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("results.json at /schema_version:")),
            "{lines:?}"
        );
        // Missing required keys are reported at the root.
        assert!(lines.iter().any(|l| l.starts_with("results.json at /:")));
    }

    #[test]
    fn bytes_that_are_not_json_are_said_to_be_so() {
        assert_eq!(violations(b"{", b"{}").len(), 1);
        assert!(violations(b"{", b"{}")[0].starts_with("results.schema.json is not JSON"));
        assert!(violations(&schema_json(), b"[")[0].starts_with("results.json is not JSON"));
    }
}
