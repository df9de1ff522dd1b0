//! Reads the versions of the libraries that shape the outputs' bytes from the workspace's
//! Cargo.lock, so the provenance appendix names the versions this binary was built with rather
//! than text typed in the source.

use std::fmt::Write as _;
use std::path::Path;

/// The libraries whose versions the report's provenance lists, in that order.
const LISTED: [&str; 8] = [
    "typst",
    "typst-pdf",
    "plotters",
    "minijinja",
    "serde_json",
    "libm",
    "rand_chacha",
    "rayon",
];

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("../..");
    let read = |file: &str| {
        let path = root.join(file);
        println!("cargo::rerun-if-changed={}", path.display());
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    };
    let text = read("Cargo.lock");
    let workspace = read("Cargo.toml");
    let mut out = String::from(
        "/// The versions of the libraries that shape the outputs' bytes, from Cargo.lock.\n\
         pub(crate) const DEPENDENCY_VERSIONS: [(&str, &str); ",
    );
    let _ = writeln!(out, "{}] = [", LISTED.len());
    for name in LISTED {
        // Where Cargo.lock holds several versions (one for a dependency of a dependency), the
        // one the workspace's requirement selects.
        let required = requirement(&workspace, name);
        let versions: Vec<String> = locked_versions(&text, name)
            .into_iter()
            .filter(|v| {
                required
                    .as_deref()
                    .is_none_or(|r| v == r || v.starts_with(&format!("{r}.")))
            })
            .collect();
        assert!(
            versions.len() == 1,
            "Cargo.lock has {} versions of {name} matching the workspace's requirement {required:?}, expected exactly one",
            versions.len()
        );
        let _ = writeln!(out, "    ({name:?}, {:?}),", versions[0]);
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("dependency_versions.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}

/// Every version Cargo.lock records for the package `name`: the `version` line that follows
/// its `name` line in a `[[package]]` block.
fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    let mut out = Vec::new();
    while let Some(line) = lines.next() {
        if line.trim() == wanted
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            out.push(v.trim_matches('"').to_owned());
        }
    }
    out
}

/// The version requirement of `name` in the workspace's `[workspace.dependencies]` (`0.10`
/// from `rand_chacha = "0.10"`, `0.15.1` from `typst = "=0.15.1"`), without an operator.
fn requirement(workspace: &str, name: &str) -> Option<String> {
    let line = workspace
        .lines()
        .find(|l| l.split('=').next().is_some_and(|k| k.trim() == name))?;
    let value = line.split_once('=')?.1.trim();
    let quoted = match value.find("version") {
        Some(i) if value.starts_with('{') => &value[i..],
        _ => value,
    };
    let start = quoted.find('"')? + 1;
    let end = start + quoted[start..].find('"')?;
    Some(
        quoted[start..end]
            .trim_start_matches(['=', '^', '~'])
            .to_owned(),
    )
}
