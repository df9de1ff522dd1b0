use crate::support::{run, stderr, stdout, tree, workspace};

#[test]
fn verify_passes_on_a_fresh_build() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let o = run(ws.path(), &["verify", "report/v0.1.0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("verified report/v0.1.0"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn verify_detects_a_one_byte_change_in_every_file() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let v = ws.path().join("report/v0.1.0");
    for (rel, bytes) in tree(&v) {
        let path = v.join(&rel);
        let mut changed = bytes.clone();
        let i = changed.len() / 2;
        changed[i] = if changed[i] == b'7' { b'8' } else { b'7' };
        std::fs::write(&path, &changed).unwrap();
        let o = run(ws.path(), &["verify", "report/v0.1.0"]);
        assert_eq!(o.status.code(), Some(1), "a change to {rel} went unnoticed");
        let err = stderr(&o);
        if rel != "manifest.json" {
            assert!(err.contains(&rel), "{rel} not named in:\n{err}");
        }
        std::fs::write(&path, &bytes).unwrap();
    }
    assert_eq!(
        run(ws.path(), &["verify", "report/v0.1.0"]).status.code(),
        Some(0)
    );
}

#[test]
fn verify_by_another_tool_version_says_so_and_does_not_call_it_tampering() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let m = ws.path().join("report/v0.1.0/manifest.json");
    let text = std::fs::read_to_string(&m).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let text = text.replace(
        &format!("\"tool_version\": \"{version}\""),
        "\"tool_version\": \"9.9.9\"",
    );
    std::fs::write(&m, text).unwrap();
    let o = run(ws.path(), &["verify", "report/v0.1.0"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.contains("built by overhang 9.9.9"), "{out}");
    assert!(out.contains("not evidence of tampering"), "{out}");
}

#[test]
fn verify_of_a_folder_without_a_manifest_exits_66() {
    let ws = workspace();
    let o = run(ws.path(), &["verify", "inputs"]);
    assert_eq!(o.status.code(), Some(66));
}
