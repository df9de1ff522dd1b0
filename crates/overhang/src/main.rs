//! The overhang command line: thin dispatch to one module per subcommand.
//!
//! This is the only crate that touches the filesystem, the terminal and the process exit code.

mod args;
mod build;
mod check;
mod diff;
mod exit;
mod inputs;
mod prepare;
mod publish;
mod verify;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

use crate::args::{Cli, Command};
use crate::exit::{Failure, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<Outcome, Failure> = match &cli.command {
        Command::Check(a) => check::run(a),
        Command::Build(a) => build::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Verify(a) => verify::run(a),
    };
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

/// Writes to stdout; a closed pipe (`overhang check | head`) is not an error.
fn write_out(s: &str) {
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

fn write_err(s: &str) {
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}
