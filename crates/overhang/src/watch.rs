//! `overhang watch`: build the draft, then rebuild it whenever an input changes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher as _};

use overhang_model::load::{
    ASSESSMENT_FILE, COMPOSABILITY_FILE, ENHANCEMENTS_FILE, POLICIES_FILE, SCALING_FILE,
};

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
    let inputs = Inputs::new(&args.inputs);
    let mut running = Some(Running::start(&build_args, "start".to_owned()));
    let mut pending: Vec<PathBuf> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        if running.as_ref().is_some_and(Running::is_finished)
            && let Some(done) = running.take()
        {
            done.report();
        }
        if running.is_none() && !pending.is_empty() {
            pending.sort();
            pending.dedup();
            let names: Vec<String> = pending.iter().map(|p| inputs.name(p)).collect();
            running = Some(Running::start(
                &build_args,
                format!("{} changed", names.join(", ")),
            ));
            pending.clear();
        }
        match rx.recv_timeout(TICK) {
            Ok(Ok(event)) => {
                pending.extend(inputs.changed(&event));
                // Let the save finish: gather what follows until the inputs are quiet.
                while !stop.load(Ordering::Relaxed) {
                    match rx.recv_timeout(DEBOUNCE) {
                        Ok(Ok(more)) => pending.extend(inputs.changed(&more)),
                        Ok(Err(_)) => {}
                        Err(_) => break,
                    }
                }
            }
            Ok(Err(e)) => warn(&format!("warning: watching the inputs: {e}")),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    drain(&rx);
    // A build under way is abandoned, not awaited: it writes its folder atomically, so
    // stopping it leaves the last good draft.
    let note = if running.is_some_and(|r| !r.is_finished()) {
        "; the build under way was abandoned, the last good draft stays in place"
    } else {
        ""
    };
    Ok(Outcome::stdout(format!("stopped watching{note}\n")))
}

/// A build of the draft on its own thread, so that Ctrl-C need not wait for it.
struct Running {
    handle: std::thread::JoinHandle<Result<Outcome, Failure>>,
    why: String,
    started: Instant,
    out: PathBuf,
}

impl Running {
    fn start(args: &BuildArgs, why: String) -> Self {
        let args = BuildArgs {
            inputs: args.inputs.clone(),
            out: args.out.clone(),
            draft: args.draft,
            format: args.format,
            timings: args.timings,
        };
        let out = args.out.join("draft");
        Running {
            handle: std::thread::spawn(move || build::run(&args, false)),
            why,
            started: Instant::now(),
            out,
        }
    }

    fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Says how the build went in one line; a broken input prints its diagnostics and keeps
    /// the last good draft.
    fn report(self) {
        let seconds = self.started.elapsed().as_secs_f64();
        let why = &self.why;
        let result = self
            .handle
            .join()
            .unwrap_or_else(|_| Err(Failure::internal("error: the build stopped unexpectedly")));
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
                    self.out.display()
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
}

/// The inputs folder as the watcher sees it: which changed paths are inputs.
struct Inputs {
    /// The folder as given and as resolved: events may name paths either way.
    dirs: [PathBuf; 2],
}

impl Inputs {
    fn new(dir: &Path) -> Self {
        let resolved = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        Inputs {
            dirs: [dir.to_path_buf(), resolved],
        }
    }

    /// The path relative to the inputs folder, when it is in it.
    fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        self.dirs.iter().find_map(|d| path.strip_prefix(d).ok())
    }

    fn name(&self, path: &Path) -> String {
        self.relative(path).unwrap_or(path).display().to_string()
    }

    /// The input files an event changed: the input files at the top of the folder and the
    /// fonts in fonts/, so reads, editors' hidden, backup and temporary files and anything
    /// else in the folder (an output folder inside it, which every build writes) do not
    /// trigger a rebuild.
    fn changed(&self, event: &Event) -> Vec<PathBuf> {
        if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
            return Vec::new();
        }
        event
            .paths
            .iter()
            .filter(|p| self.relative(p).is_some_and(is_input))
            .cloned()
            .collect()
    }
}

/// Whether a path relative to the inputs folder is one of its inputs.
fn is_input(relative: &Path) -> bool {
    let parts: Vec<&str> = relative
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    let extension = |name: &str| {
        Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
    };
    match parts.as_slice() {
        [name] => INPUT_FILES.contains(name),
        [dir, name] => {
            *dir == crate::inputs::FONTS_DIR
                && !name.starts_with('.')
                && extension(name).is_some_and(|e| FONT_EXTENSIONS.contains(&e.as_str()))
        }
        _ => false,
    }
}

/// The input files at the top of an inputs folder.
const INPUT_FILES: [&str; 5] = [
    ASSESSMENT_FILE,
    ENHANCEMENTS_FILE,
    COMPOSABILITY_FILE,
    SCALING_FILE,
    POLICIES_FILE,
];

/// The extensions of the font files in fonts/.
const FONT_EXTENSIONS: [&str; 4] = ["ttf", "otf", "ttc", "otc"];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_input_files_and_fonts_are_inputs() {
        for yes in [
            "assessment.toml",
            "scaling.csv",
            "policies.toml",
            "fonts/cjk.ttf",
            "fonts/A.OTF",
        ] {
            assert!(is_input(Path::new(yes)), "{yes}");
        }
        for no in [
            "report/draft/inputs/enhancements.csv",
            "report/draft/results.json",
            ".assessment.toml.swp",
            "notes.csv",
            "fonts/.hidden.ttf",
            "fonts/readme.txt",
        ] {
            assert!(!is_input(Path::new(no)), "{no}");
        }
    }
}
