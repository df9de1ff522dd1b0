use crate::support::{default_inputs, run, settings, stderr, stdout, workspace};

#[test]
fn check_passes_on_the_default_inputs_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = default_inputs();
    let o = run(dir.path(), &["check", "--inputs", inputs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o).replace(inputs.to_str().unwrap(), "inputs");
    settings().bind(|| insta::assert_snapshot!("check_default_inputs", out));
}

#[test]
fn check_reports_every_error_with_exit_65() {
    let ws = workspace();
    let a = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    let text = text
        .replace("samples = 4000", "samples = 0")
        .replace("available = \"2 to 15\"", "available = \"15 to 2\"");
    std::fs::write(&a, text).unwrap();
    let o = run(ws.path(), &["check"]);
    assert_eq!(o.status.code(), Some(65));
    let err = stderr(&o);
    assert!(err.contains("inputs/assessment.toml:"), "{err}");
    assert!(err.contains("simulation.samples"), "{err}");
    assert!(err.contains("expected low < high"), "{err}");
    assert!(err.contains("has 2 errors"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn check_json_puts_one_document_on_stdout_even_on_bad_input() {
    let ws = workspace();
    let csv = ws.path().join("inputs/enhancements.csv");
    let text = std::fs::read_to_string(&csv)
        .unwrap()
        .replace(",2024-08,", ",2024-13,");
    std::fs::write(&csv, text).unwrap();
    let o = run(ws.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(65));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["errors"], 1);
    let errors: Vec<_> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    let d = errors[0];
    assert_eq!(d["file"], "inputs/enhancements.csv");
    assert_eq!(d["field"], "row 4, column date");
    assert_eq!(d["line"], 5);
}

#[test]
fn a_missing_folder_or_file_exits_66() {
    let ws = workspace();
    let o = run(ws.path(), &["check", "--inputs", "nowhere"]);
    assert_eq!(o.status.code(), Some(66));
    assert!(stderr(&o).contains("`nowhere` does not exist"));
    std::fs::remove_file(ws.path().join("inputs/enhancements.csv")).unwrap();
    let o = run(ws.path(), &["check"]);
    assert_eq!(o.status.code(), Some(66));
    assert!(
        stderr(&o).contains("missing input file `inputs/enhancements.csv`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    let ws = workspace();
    let o = run(ws.path(), &["check", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn help_texts_are_stable() {
    let ws = workspace();
    for cmd in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["diff", "--help"],
        &["verify", "--help"],
        &["init", "--help"],
        &["watch", "--help"],
        &["completions", "--help"],
    ] {
        let o = run(ws.path(), cmd);
        assert_eq!(o.status.code(), Some(0));
        let name = format!("help_{}", cmd[0].trim_start_matches('-'));
        settings().bind(|| insta::assert_snapshot!(name, stdout(&o)));
    }
}

/// Runs `check` on the workspace and returns its exit code and stderr.
fn check(ws: &std::path::Path) -> (Option<i32>, String) {
    let o = run(ws, &["check"]);
    (o.status.code(), stderr(&o))
}

#[cfg(unix)]
#[test]
fn special_oversized_and_outside_input_files_are_refused_before_reading() {
    let path = |ws: &tempfile::TempDir| ws.path().join("inputs/enhancements.csv");
    // A FIFO nobody writes to: reading it would block forever.
    let ws = workspace();
    std::fs::remove_file(path(&ws)).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(path(&ws))
        .status()
        .unwrap();
    assert!(made.success());
    let (code, err) = check(ws.path());
    assert_eq!(code, Some(65), "{err}");
    assert!(
        err.contains("inputs/enhancements.csv: expected a regular file, found a FIFO"),
        "{err}"
    );

    // A file larger than the limit, refused by its size before a byte is read.
    let ws = workspace();
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(path(&ws))
        .unwrap();
    file.set_len(overhang_model::load::MAX_INPUT_BYTES + 1)
        .unwrap();
    let (code, err) = check(ws.path());
    assert_eq!(code, Some(65), "{err}");
    assert!(
        err.contains("inputs/enhancements.csv: expected an input file of at most 16 MiB"),
        "{err}"
    );

    // A link that leaves the inputs folder.
    let ws = workspace();
    let outside = ws.path().join("elsewhere.csv");
    std::fs::rename(path(&ws), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, path(&ws)).unwrap();
    let (code, err) = check(ws.path());
    assert_eq!(code, Some(65), "{err}");
    assert!(
        err.contains("inputs/enhancements.csv: expected a file inside the inputs folder"),
        "{err}"
    );
    // A link within the folder is a file of the folder.
    let inside = ws.path().join("inputs/evidence.csv");
    std::fs::rename(&outside, &inside).unwrap();
    std::fs::remove_file(path(&ws)).unwrap();
    std::os::unix::fs::symlink("evidence.csv", path(&ws)).unwrap();
    let (code, err) = check(ws.path());
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn cr_only_line_endings_check_like_lf_with_the_same_lines() {
    let ws = workspace();
    let path = ws.path().join("inputs/enhancements.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    // A ceg that is no estimate on the third row, so the diagnostic names its line.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replacen(",10,", ",ten,", 1);
    assert!(lines[3].contains(",ten,"), "{}", lines[3]);
    for end in ["\n", "\r\n", "\r"] {
        std::fs::write(&path, lines.join(end) + end).unwrap();
        let (code, err) = check(ws.path());
        assert_eq!(code, Some(65), "{end:?}: {err}");
        assert!(err.contains("inputs/enhancements.csv:4:"), "{end:?}: {err}");
        assert!(err.contains("row 3, column ceg"), "{end:?}: {err}");
    }
}

#[test]
fn estimates_the_simulation_refuses_are_refused_by_check_at_their_line() {
    let cases = [
        (
            "a beta that draws 0",
            "available = \"1.5 to 10\"",
            "available = \"beta(0.01, 0.01)\"",
            "categories.tool_use.available",
            43,
        ),
        (
            "a large growth without a cap",
            "growth = \"0.02 to 0.25\"\ncap = \"30 to 300\"",
            "growth = 100",
            "categories.tool_use.growth",
            45,
        ),
    ];
    for (what, from, to, field, line) in cases {
        let ws = workspace();
        let path = ws.path().join("inputs/assessment.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{what}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let (code, err) = check(ws.path());
        assert_eq!(code, Some(65), "{what}: {err}");
        assert!(
            err.contains(&format!(
                "error: {field}: expected inputs the simulation can run"
            )),
            "{what}: {err}"
        );
        assert!(
            err.contains(&format!("inputs/assessment.toml:{line}:")),
            "{what}: {err}"
        );
        let b = run(ws.path(), &["build", "--draft"]);
        assert_eq!(b.status.code(), Some(65), "{what}: {}", stderr(&b));
    }
}

#[test]
fn an_inference_budget_near_zero_is_refused_by_check() {
    let ws = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&default_inputs(), &ws.path().join("inputs"));
    let path = ws.path().join("inputs/assessment.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen(
            "inference_multiple = 1\n",
            "inference_multiple = 1e-308\n",
            1,
        ),
    )
    .unwrap();
    let (code, err) = check(ws.path());
    assert_eq!(code, Some(65), "{err}");
    assert!(
        err.contains(
            "error: evaluation.inference_multiple: expected inputs the simulation can run"
        ),
        "{err}"
    );
}

/// Starts `overhang watch` in `dir` with `args`; its stdout lines arrive on the receiver.
fn watch(
    dir: &std::path::Path,
    args: &[&str],
) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    use std::io::BufRead as _;
    let mut child = crate::support::bin()
        .current_dir(dir)
        .arg("watch")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

fn interrupt(child: &std::process::Child) {
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
}

// `watch` lives beside `check` here: both read an inputs folder and must leave alone what is
// not an input.
#[test]
fn watch_ignores_its_own_output_inside_the_inputs_folder() {
    let ws = workspace();
    let inputs = ws.path().join("inputs");
    // The default output folder, report/, is inside the watched folder.
    let (mut child, lines) = watch(&inputs, &["--inputs", "."]);
    let first = lines
        .recv_timeout(std::time::Duration::from_mins(2))
        .unwrap();
    assert!(first.starts_with("watching"), "{first}");
    let built = lines
        .recv_timeout(std::time::Duration::from_mins(2))
        .unwrap();
    assert!(built.starts_with("[start] built"), "{built}");
    assert!(inputs.join("report/draft/report.pdf").exists());
    // A save rebuilds once, into the output folder now watched with the rest: the build's own
    // writes are no input, so nothing more is rebuilt.
    let path = inputs.join("assessment.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("seed = 1", "seed = 2", 1)).unwrap();
    let built = lines
        .recv_timeout(std::time::Duration::from_mins(2))
        .unwrap();
    assert!(
        built.starts_with("[assessment.toml changed] built"),
        "{built}"
    );
    let next = lines.recv_timeout(std::time::Duration::from_secs(3));
    assert!(next.is_err(), "rebuilt from its own output: {next:?}");
    interrupt(&child);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn ctrl_c_during_a_build_stops_watch_at_once() {
    let ws = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&default_inputs(), &ws.path().join("inputs"));
    let (mut child, lines) = watch(ws.path(), &["--inputs", "inputs"]);
    let first = lines
        .recv_timeout(std::time::Duration::from_mins(2))
        .unwrap();
    assert!(first.starts_with("watching"), "{first}");
    // The default inputs take seconds to build; stop during the build.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let asked = std::time::Instant::now();
    interrupt(&child);
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let waited = asked.elapsed();
    let said: Vec<String> = lines.try_iter().collect();
    assert!(
        said.iter()
            .any(|l| l.contains("the build under way was abandoned")),
        "{said:?}"
    );
    assert!(waited < std::time::Duration::from_secs(2), "{waited:?}");
    assert!(!ws.path().join("report/draft/report.pdf").exists());
}
