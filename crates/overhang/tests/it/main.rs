//! Integration tests of the overhang binary: one test binary, one module per subcommand.

mod attribution;
mod backtest;
mod budget;
mod build;
mod changes;
mod check;
mod diff;
mod evidence;
mod habits;
mod schema;
mod support;
mod text;
mod verify;
