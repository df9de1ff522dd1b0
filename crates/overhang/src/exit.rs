//! What a subcommand ends with: its output ([`Outcome`]) or a failure with its exit code
//! (sysexits.h).

use std::fmt;

/// The documented exit codes other than success (0) and usage errors (2, from clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// `diff` beyond tolerance, or `verify` mismatch.
    Mismatch = 1,
    /// Bad input data.
    DataErr = 65,
    /// A missing input.
    NoInput = 66,
    /// Internal error.
    Software = 70,
    /// Cannot write output.
    CantCreat = 73,
}

/// What a subcommand printed when it succeeded: every subcommand returns
/// `Result<Outcome, Failure>`.
#[derive(Debug, Default)]
pub struct Outcome {
    /// For stdout: the summary, or the document `--format json` promised.
    pub stdout: String,
    /// For stderr: warnings.
    pub stderr: String,
}

impl Outcome {
    /// Output for stdout only.
    pub fn stdout(stdout: impl Into<String>) -> Self {
        Self {
            stdout: stdout.into(),
            stderr: String::new(),
        }
    }
}

/// A failure with its exit code and a message for stderr (already formatted).
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: Code,
    /// What went wrong, for people, or the document `--format json` promised.
    pub message: String,
    /// The message is a document for stdout rather than a diagnostic for stderr.
    pub on_stdout: bool,
}

impl Failure {
    /// A failure with the given code.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            on_stdout: false,
        }
    }

    /// The same failure, with its message printed on stdout (a JSON or Markdown document).
    #[must_use]
    pub fn for_stdout(mut self) -> Self {
        self.on_stdout = true;
        self
    }

    /// Bad input data (65).
    pub fn data(message: impl Into<String>) -> Self {
        Self::new(Code::DataErr, message)
    }

    /// A missing input (66).
    pub fn no_input(message: impl Into<String>) -> Self {
        Self::new(Code::NoInput, message)
    }

    /// Cannot write output (73).
    pub fn cant_write(message: impl Into<String>) -> Self {
        Self::new(Code::CantCreat, message)
    }

    /// Internal error (70).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Code::Software, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}
