//! The habits users bring: init, watch, completions, the manual page, --quiet and --verbose.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{bin, run, stderr, stdout};

#[test]
fn init_writes_a_starter_that_checks_and_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["init", "starter"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let assessment = std::fs::read_to_string(dir.path().join("starter/assessment.toml")).unwrap();
    let evidence = std::fs::read_to_string(dir.path().join("starter/enhancements.csv")).unwrap();
    // Every section is commented, and nothing pretends to be evidence.
    for section in [
        "[report]",
        "[simulation]",
        "[horizon]",
        "[composability]",
        "[[thresholds]]",
    ] {
        let at = assessment
            .find(section)
            .unwrap_or_else(|| panic!("{section} missing"));
        assert!(
            assessment[..at]
                .trim_end()
                .lines()
                .last()
                .unwrap()
                .starts_with('#'),
            "{section}"
        );
    }
    assert_eq!(evidence.lines().count(), 3);
    assert!(
        evidence.lines().skip(1).all(|l| l.contains("EXAMPLE")),
        "{evidence}"
    );

    let c = run(dir.path(), &["check", "--inputs", "starter"]);
    assert_eq!(c.status.code(), Some(0), "{}", stderr(&c));
    assert!(
        stderr(&c).is_empty(),
        "the starter has no warnings: {}",
        stderr(&c)
    );
    let b = run(dir.path(), &["build", "--inputs", "starter", "--draft"]);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert!(dir.path().join("report/draft/report.pdf").exists());

    // A second init refuses, names the files and leaves them as they are.
    std::fs::write(dir.path().join("starter/assessment.toml"), "# mine\n").unwrap();
    let again = run(dir.path(), &["init", "starter"]);
    assert_eq!(again.status.code(), Some(73));
    assert!(
        stderr(&again).contains("starter/assessment.toml"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("starter/assessment.toml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn completions_and_the_manual_page_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    let bash = run(dir.path(), &["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    let script = stdout(&bash);
    assert!(
        script.contains("_overhang()") && script.contains("complete -F _overhang"),
        "{script}"
    );
    for sub in ["build", "check", "diff", "verify", "init", "watch"] {
        assert!(script.contains(sub), "{sub} missing from the completions");
    }
    for shell in ["zsh", "fish", "powershell"] {
        let o = run(dir.path(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("overhang"), "{shell}");
    }
    assert_eq!(
        run(dir.path(), &["completions", "tcsh"]).status.code(),
        Some(2)
    );
    let man = run(dir.path(), &["man"]);
    assert_eq!(man.status.code(), Some(0));
    assert!(stdout(&man).contains(".TH overhang 1"), "{}", stdout(&man));
}

#[test]
fn quiet_prints_nothing_but_errors_and_verbose_lists_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &["init", "in"]).status.code(), Some(0));
    let q = run(
        dir.path(),
        &["--quiet", "build", "--inputs", "in", "--draft"],
    );
    assert_eq!(q.status.code(), Some(0));
    assert_eq!((stdout(&q), stderr(&q)), (String::new(), String::new()));
    // A document asked for is still printed.
    let qj = run(
        dir.path(),
        &["-q", "check", "--inputs", "in", "--format", "json"],
    );
    assert!(stdout(&qj).starts_with('{'), "{}", stdout(&qj));
    let v = run(dir.path(), &["build", "-v", "--inputs", "in", "--draft"]);
    assert_eq!(v.status.code(), Some(0));
    assert!(
        stderr(&v).contains("wrote report/draft/report.pdf ("),
        "{}",
        stderr(&v)
    );
    assert!(stderr(&v).contains("took "), "{}", stderr(&v));
    // Errors are never quiet.
    let e = run(dir.path(), &["-q", "check", "--inputs", "missing"]);
    assert_eq!(e.status.code(), Some(66));
    assert!(!stderr(&e).is_empty());
}

/// Waits for a line of the watcher's stdout that contains `text`.
fn wait_for(lines: &mpsc::Receiver<String>, text: &str) -> String {
    loop {
        match lines.recv_timeout(Duration::from_mins(2)) {
            Ok(line) if line.contains(text) => return line,
            Ok(_) => {}
            Err(e) => panic!("no line with `{text}`: {e}"),
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from));
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn watch_rebuilds_the_draft_on_each_save_and_survives_a_broken_edit() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &["init", "in"]).status.code(), Some(0));
    let mut child = bin()
        .current_dir(dir.path())
        .args(["watch", "--inputs", "in"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, lines) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let assessment = dir.path().join("in/assessment.toml");
    wait_for(&lines, "[start] built");
    let pdf = dir.path().join("report/draft/report.pdf");
    let first = std::fs::read(&pdf).unwrap();

    edit(&assessment, "seed = 1", "seed = 2");
    let line = wait_for(&lines, "built");
    assert!(line.contains("assessment.toml changed"), "{line}");
    let second = std::fs::read(&pdf).unwrap();
    assert_ne!(first, second, "the draft was rebuilt from the new seed");

    edit(&assessment, "seed = 2", "seed = \"two\"");
    wait_for(&lines, "do not build");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        second,
        "the last good draft stays"
    );

    edit(&assessment, "seed = \"two\"", "seed = 3");
    wait_for(&lines, "built");

    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "Ctrl-C stops watch with exit 0");
}
