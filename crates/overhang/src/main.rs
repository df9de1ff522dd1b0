//! The overhang command line: thin dispatch to one module per subcommand.
//!
//! This is the only crate that touches the filesystem, the terminal and the process exit code.

mod args;
mod attribution;
mod backtest;
mod build;
mod check;
mod diff;
mod exit;
mod init;
mod inputs;
mod prepare;
mod publish;
mod schema;
mod verify;
mod watch;

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};

use crate::args::{Cli, Command};
use crate::exit::{Failure, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = std::time::Instant::now();
    let result: Result<Outcome, Failure> = match &cli.command {
        Command::Check(a) => check::run(a),
        Command::Backtest(a) => backtest::run(a),
        Command::Build(a) => build::run(a, cli.verbose),
        Command::Diff(a) => diff::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Init(a) => init::run(a),
        Command::Watch(a) => watch::run(a),
        Command::Completions(a) => Ok(completions(a.shell)),
        Command::Man => man(),
    };
    let result = result.map(|mut outcome| {
        if cli.quiet {
            outcome.stderr.clear();
            if !is_document(&cli.command) {
                outcome.stdout.clear();
            }
        } else if cli.verbose {
            let _ = writeln!(
                outcome.stderr,
                "took {:.2} s",
                started.elapsed().as_secs_f64()
            );
        }
        outcome
    });
    match result {
        Ok(outcome) => {
            write_err(&outcome.stderr);
            write_out(&outcome.stdout);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            if failure.on_stdout {
                write_out(&failure.message);
            } else {
                write_err(&failure.message);
                if !failure.message.ends_with('\n') {
                    write_err("\n");
                }
            }
            ExitCode::from(failure.code as u8)
        }
    }
}

/// Whether a command's stdout is a document the user asked for (kept by --quiet), rather than
/// a summary for people.
fn is_document(command: &Command) -> bool {
    match command {
        Command::Build(a) => a.format == args::Format::Json,
        Command::Check(a) => a.format == args::Format::Json,
        Command::Backtest(a) => a.format == args::Format::Json,
        Command::Diff(_) | Command::Completions(_) | Command::Man => true,
        Command::Verify(_) | Command::Init(_) | Command::Watch(_) => false,
    }
}

/// The completion script for `shell`.
fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "overhang", &mut script);
    Outcome::stdout(String::from_utf8_lossy(&script).into_owned())
}

/// The manual page, in roff.
fn man() -> Result<Outcome, Failure> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Failure::internal(format!("error: cannot render the manual page: {e}")))?;
    Ok(Outcome::stdout(String::from_utf8_lossy(&page).into_owned()))
}

/// Writes to stdout; a closed pipe (`overhang check | head`) is not an error.
fn write_out(s: &str) {
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

fn write_err(s: &str) {
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}
