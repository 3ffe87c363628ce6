//! The command line: argument parsing and one module per subcommand.

use std::process::ExitCode;

/// Runs the CLI with the process arguments and returns its exit code.
pub fn run() -> ExitCode {
    ExitCode::SUCCESS
}
