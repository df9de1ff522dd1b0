//! `overhang watch`: build the draft, then rebuild it whenever an input changes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher as _};

use crate::args::{BuildArgs, Format, WatchArgs};
use crate::build;
use crate::exit::{Failure, Outcome};

/// How long the inputs must be quiet before a rebuild: an editor's save is several events.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// How often the loop looks at the stop flag while nothing happens.
const TICK: Duration = Duration::from_millis(100);

/// Runs `overhang watch` until Ctrl-C (exit 0).
pub fn run(args: &WatchArgs) -> Result<Outcome, Failure> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|e| Failure::internal(format!("error: cannot handle signals: {e}")))?;
    }
    let build_args = BuildArgs {
        inputs: args.inputs.clone(),
        out: args.out.clone(),
        draft: true,
        format: Format::Human,
        timings: false,
    };
    if !args.inputs.is_dir() {
        return Err(Failure::no_input(format!(
            "error: the inputs folder `{}` does not exist or is not a folder",
            args.inputs.display()
        )));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| {
        Failure::internal(format!(
            "error: cannot watch `{}`: {e}",
            args.inputs.display()
        ))
    })?;
    watcher
        .watch(&args.inputs, RecursiveMode::Recursive)
        .map_err(|e| {
            Failure::no_input(format!(
                "error: cannot watch `{}`: {e}",
                args.inputs.display()
            ))
        })?;
    say(&format!(
        "watching {} (Ctrl-C to stop); the draft is {}",
        args.inputs.display(),
        args.out.join("draft").display()
    ));
    rebuild(&build_args, "start");
    while !stop.load(Ordering::Relaxed) {
        match rx.recv_timeout(TICK) {
            Ok(Ok(event)) => {
                let mut changed = relevant(&event);
                // Let the save finish: gather what follows until the inputs are quiet.
                loop {
                    match rx.recv_timeout(DEBOUNCE) {
                        Ok(Ok(more)) => changed.extend(relevant(&more)),
                        Ok(Err(_)) => {}
                        Err(_) => break,
                    }
                }
                changed.sort();
                changed.dedup();
                if !changed.is_empty() {
                    let names: Vec<String> =
                        changed.iter().map(|p| relative(p, &args.inputs)).collect();
                    rebuild(&build_args, &format!("{} changed", names.join(", ")));
                }
            }
            Ok(Err(e)) => warn(&format!("warning: watching the inputs: {e}")),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    drain(&rx);
    Ok(Outcome::stdout("stopped watching\n"))
}

/// Builds the draft and says how it went in one line; a broken input prints its diagnostics
/// and keeps the last good draft.
fn rebuild(args: &BuildArgs, why: &str) {
    let started = Instant::now();
    let result = build::run(args, false);
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(outcome) => {
            if !outcome.stderr.is_empty() {
                warn(outcome.stderr.trim_end());
            }
            // The summary's first headline line, for example
            // "Open weights: 12 months after release, median 21x (90% interval 4.2x to 200x)".
            let headline = outcome
                .stdout
                .lines()
                .nth(1)
                .map_or(String::new(), |l| format!(": {}", l.trim()));
            say(&format!(
                "[{why}] built {} in {seconds:.2} s{headline}",
                args.out.join("draft").display()
            ));
        }
        Err(failure) => {
            warn(failure.message.trim_end());
            say(&format!(
                "[{why}] the inputs do not build (above); the last good draft stays in place"
            ));
        }
    }
}

/// The extensions of the files an inputs folder holds.
const INPUT_EXTENSIONS: [&str; 6] = ["toml", "csv", "ttf", "otf", "ttc", "otc"];

/// The input paths an event changed: input files only, so reads and editors' hidden, backup
/// and temporary files do not trigger a rebuild.
fn relevant(event: &Event) -> Vec<PathBuf> {
    if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
        return Vec::new();
    }
    event
        .paths
        .iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or(".");
            let input = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| INPUT_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)));
            input && !name.starts_with('.')
        })
        .cloned()
        .collect()
}

fn relative(path: &Path, dir: &Path) -> String {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    path.strip_prefix(&dir)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn drain(rx: &Receiver<notify::Result<Event>>) {
    while rx.try_recv().is_ok() {}
}

#[expect(
    clippy::print_stdout,
    reason = "watch reports each rebuild as it happens, not once at the end"
)]
fn say(line: &str) {
    use std::io::Write as _;
    println!("{line}");
    let _ = std::io::stdout().flush();
}

#[expect(
    clippy::print_stderr,
    reason = "watch reports each broken edit as it happens, not once at the end"
)]
fn warn(text: &str) {
    eprintln!("{text}");
}
