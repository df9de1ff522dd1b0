//! Command-line arguments. The `///` on each field is the help text users read.
#![allow(
    rustdoc::invalid_html_tags,
    reason = "the `///` here is help text for a terminal: `<out>` and `<version>` are placeholders, not HTML"
)]

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Reproducible, versioned reports on how much an AI model's effective compute can grow after
/// release as people add post-training enhancements (tools, prompting, scaffolding, solution
/// choice, fine-tuning data, reasoning training).
#[derive(Debug, Parser)]
#[command(name = "overhang", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors (a document asked for, such as --format json, still prints).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print every file written and the time taken, on stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the report: simulate, fit, render, and write report/v<version>/.
    Build(BuildArgs),
    /// Validate the inputs and print a summary, without building anything.
    Check(CheckArgs),
    /// Fit each category on the evidence dated before a cutoff and score its predictions of
    /// the rows dated after it.
    Backtest(BacktestArgs),
    /// Compare two built versions (or a version and the draft).
    Diff(DiffArgs),
    /// Rebuild a version from its own copy of the inputs and compare every file's hash.
    Verify(VerifyArgs),
    /// Write a starter inputs folder: a commented assessment.toml and example evidence.
    Init(InitArgs),
    /// Build the draft, then rebuild it whenever a file of the inputs changes (Ctrl-C stops).
    Watch(WatchArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on stdout.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout, for `man -l -` or a man directory.
    Man,
}

/// Arguments of `overhang init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to write into (created when missing); existing files are never overwritten.
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
}

/// Arguments of `overhang watch`.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// The inputs folder to watch and build.
    #[arg(long, default_value = "inputs", value_name = "DIR")]
    pub inputs: PathBuf,
    /// The folder that holds the versions; the draft goes to <out>/draft/.
    #[arg(long, default_value = "report", value_name = "DIR")]
    pub out: PathBuf,
}

/// Arguments of `overhang completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// Arguments of `overhang build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The inputs folder (assessment.toml, enhancements.csv, optional composability.csv).
    #[arg(long, default_value = "inputs", value_name = "DIR")]
    pub inputs: PathBuf,
    /// The folder that holds the versions.
    #[arg(long, default_value = "report", value_name = "DIR")]
    pub out: PathBuf,
    /// Write to <out>/draft/, which may be overwritten, instead of the immutable version folder.
    #[arg(long)]
    pub draft: bool,
    /// What to print on stdout when done.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also print how long each phase of the build took, in milliseconds, on stderr.
    #[arg(long)]
    pub timings: bool,
}

/// Arguments of `overhang check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The inputs folder (assessment.toml, enhancements.csv, optional composability.csv).
    #[arg(long, default_value = "inputs", value_name = "DIR")]
    pub inputs: PathBuf,
    /// `human`: a summary and rustc-style diagnostics; `json`: one JSON document on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Arguments of `overhang backtest`.
#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    /// The inputs folder (its `[inference]` settings and evidence rows).
    #[arg(long, default_value = "inputs", value_name = "DIR")]
    pub inputs: PathBuf,
    /// Fit on the rows dated before this date (`YYYY-MM` or `YYYY-MM-DD`) and predict the rest;
    /// by default the date that leaves about a third of the rows after it.
    #[arg(long, value_name = "DATE")]
    pub cutoff: Option<String>,
    /// `human`: tables; `json`: the backtest as results.json writes it, on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Arguments of `overhang diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The older version folder, for example report/v0.1.0.
    pub old: PathBuf,
    /// The newer version folder, for example report/draft.
    pub new: PathBuf,
    /// `md`: a pull-request comment; `json`: a machine-readable document.
    #[arg(long, value_enum, default_value_t = DiffFormat::Md)]
    pub format: DiffFormat,
    /// A TOML file of absolute and relative tolerances per metric; exit 1 when one is exceeded.
    #[arg(long, value_name = "FILE")]
    pub tolerances: Option<PathBuf>,
    /// Also split the change of the headline (the open-weights median at 12 months) over
    /// groups of changed inputs and the change in the model's rules, as the report's section on
    /// changes does: reruns the simulation for every mix of the two versions' inputs.
    #[arg(long)]
    pub attribute: bool,
}

/// Arguments of `overhang verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The version folder to verify, for example report/v0.1.0.
    pub version_dir: PathBuf,
    /// The sha256 of the folder's manifest.json as it was cited (by a policy, a paper): the
    /// folder verifies only if its manifest has that hash (exit 1 otherwise, with both).
    #[arg(long, value_name = "SHA256")]
    pub expect: Option<String>,
}

/// Output format of `build` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// One JSON document on stdout.
    Json,
}

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// GitHub-flavoured Markdown.
    Md,
    /// JSON.
    Json,
}
