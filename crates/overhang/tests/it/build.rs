use std::process::Stdio;
use std::time::Duration;

use crate::support::{bin, run, settings, stderr, stdout, tree, workspace};

const FILES: [&str; 9] = [
    "CITATION.cff",
    "inputs/assessment.toml",
    "inputs/enhancements.csv",
    "manifest.json",
    "report.pdf",
    "report.html",
    "results.json",
    "summary.md",
    "charts/",
];

#[test]
fn build_writes_a_complete_version_folder_and_building_it_again_verifies_it() {
    let ws = workspace();
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("built report/v0.1.0"), "{}", stdout(&o));
    let v = ws.path().join("report/v0.1.0");
    let files = tree(&v);
    for f in FILES {
        assert!(files.iter().any(|(p, _)| p.starts_with(f)), "{f} missing");
    }
    assert!(
        files
            .iter()
            .filter(|(p, _)| p.starts_with("charts/")
                && std::path::Path::new(p)
                    .extension()
                    .is_some_and(|e| e == "svg"))
            .count()
            >= 6
    );
    let pdf = &files.iter().find(|(p, _)| p == "report.pdf").unwrap().1;
    assert!(pdf.starts_with(b"%PDF-"));
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0));
    let said = stdout(&o);
    // It checks the folder against its manifest and says so, where the report is, and how to
    // build anew.
    assert!(said.contains("files match its manifest"), "{said}");
    assert!(said.contains("report/v0.1.0/report.pdf"), "{said}");
    assert!(said.contains("report/v0.1.0/report.html"), "{said}");
    let manifest = &files.iter().find(|(p, _)| p == "manifest.json").unwrap().1;
    assert!(String::from_utf8_lossy(manifest).contains("\"report.html\""));
    assert!(said.contains("--draft"), "{said}");
    let mut s = settings();
    s.add_filter(r"fingerprint [0-9a-f]{16}", "fingerprint [fingerprint]");
    s.bind(|| insta::assert_snapshot!("build_again_verifies_manifest", said));
    assert_eq!(tree(&v), files);

    // A file changed after publishing: the same build fails as `verify` does (exit 1).
    std::fs::write(v.join("summary.md"), "edited\n").unwrap();
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("summary.md: differs from the manifest"),
        "{err}"
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes_in_another_folder_and_process() {
    let a = workspace();
    let b = workspace();
    assert_eq!(run(a.path(), &["build", "--draft"]).status.code(), Some(0));
    assert_eq!(run(b.path(), &["build", "--draft"]).status.code(), Some(0));
    let (ta, tb) = (
        tree(&a.path().join("report/draft")),
        tree(&b.path().join("report/draft")),
    );
    assert_eq!(ta.len(), tb.len());
    for ((pa, ba), (pb, bb)) in ta.iter().zip(&tb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}

#[test]
fn rebuilding_a_published_version_from_changed_inputs_is_refused_and_touches_nothing() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["build"]).status.code(), Some(0));
    let v = ws.path().join("report/v0.1.0");
    let before = tree(&v);
    let csv = ws.path().join("inputs/enhancements.csv");
    let text = std::fs::read_to_string(&csv)
        .unwrap()
        .replace(",10,2023-10,", ",12,2023-10,");
    std::fs::write(&csv, text).unwrap();
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(73));
    let err = stderr(&o);
    assert!(err.contains("already published"), "{err}");
    assert!(err.contains("bump `version`"), "{err}");
    assert_eq!(tree(&v), before);
    // A draft of the changed inputs is allowed, and may be overwritten.
    assert_eq!(run(ws.path(), &["build", "--draft"]).status.code(), Some(0));
    assert_eq!(run(ws.path(), &["build", "--draft"]).status.code(), Some(0));
}

#[test]
fn bad_input_writes_nothing_and_exits_65() {
    let ws = workspace();
    let a = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&a)
        .unwrap()
        .replace("version = \"0.1.0\"", "version = \"0.1\"");
    std::fs::write(&a, text).unwrap();
    let o = run(ws.path(), &["build"]);
    assert_eq!(o.status.code(), Some(65));
    assert!(stderr(&o).contains("report.version"), "{}", stderr(&o));
    assert!(!ws.path().join("report").exists());
}

#[test]
fn build_json_prints_one_document() {
    let ws = workspace();
    let o = run(ws.path(), &["build", "--draft", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["status"], "built");
    assert_eq!(doc["version"], "0.1.0");
    assert!(
        doc["scenarios"]["open_weights"]["projection"]
            .as_array()
            .unwrap()
            .len()
            == 21
    );
}

/// A deterministic sequence of kill delays spread over the build's duration.
fn delays(total: Duration, n: usize) -> Vec<Duration> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let frac = (state >> 11) as f64 / (1u64 << 53) as f64;
            total.mul_f64(frac * 1.2)
        })
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_no_folder_or_a_complete_one() {
    let ws = workspace();
    // Time one whole build to spread the kills across its stages.
    let start = std::time::Instant::now();
    assert_eq!(
        run(ws.path(), &["build", "--out", "timing"]).status.code(),
        Some(0)
    );
    let total = start.elapsed();
    let reference = tree(&ws.path().join("timing/v0.1.0"));
    let mut complete = 0;
    for (i, delay) in delays(total, 24).into_iter().enumerate() {
        let out = format!("out{i}");
        let mut child = bin()
            .current_dir(ws.path())
            .args(["build", "--out", &out])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let v = ws.path().join(&out).join("v0.1.0");
        if v.exists() {
            assert_eq!(
                tree(&v),
                reference,
                "kill {i} after {delay:?} left a partial folder"
            );
            let o = run(ws.path(), &["verify", &format!("{out}/v0.1.0")]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            complete += 1;
        }
        // A later build finishes the job despite what the killed one left behind.
        let o = run(ws.path(), &["build", "--out", &out]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(tree(&v), reference);
        let leftovers: Vec<_> = std::fs::read_dir(ws.path().join(&out))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "v0.1.0")
            .collect();
        assert!(
            leftovers.is_empty(),
            "temporary folders left: {leftovers:?}"
        );
    }
    // The schedule reaches past the end of a build, so some kills come too late to matter.
    assert!(complete < 24, "no kill landed during a build");
}
