//! The command line: argument parsing and one module per subcommand.
//!
//! This layer and the language server are the only places that know about terminals,
//! JSON reports and exit codes; they convert the core's byte spans at the edge.

mod check;
mod daily;
mod diff;
mod fix;
mod graph;
mod history;
mod load;
mod pick;
mod picture;
mod progress;
pub mod report;
mod rules;
mod search;
mod select;
mod timings;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit code when nothing reached `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code when findings reached `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage, configuration and I/O errors.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "twin",
    version,
    about = "Checks an Obsidian-style markdown vault: links, footnotes, frontmatter, tags and aliases."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check every note of a vault and report what is broken.
    Check(check::CheckArgs),
    /// Fix what can be fixed: print the changes as a diff, write them when confirmed.
    Fix(fix::FixArgs),
    /// Print the frame topology (typed and plain links) as DOT, Mermaid or JSON.
    Graph(graph::GraphArgs),
    /// Search the vault's notes; ranked notes with their matching lines.
    Search(search::SearchArgs),
    /// The microconflict history: events newest first, a trend, compaction, re-anchoring,
    /// rebuilding from git.
    History(history::HistoryArgs),
    /// List every rule in effect (built-in, packs, the vault's rule files) with its level
    /// and source; `--explain CODE` prints one rule and what it matches.
    Rules(rules::RulesArgs),
    /// List the notes a selector matches (to try a query rule's `select` before enforcing it).
    Select(select::SelectArgs),
    /// Write a picture of the vault as one self-contained HTML file: the trend, where it
    /// hurts, and the topology.
    Report(picture::ReportArgs),
    /// Print the path of a day's daily note (today by default), creating it from the
    /// vault's template when missing: `nvim "$(twin daily)"`.
    Daily(daily::DailyArgs),
    /// Run the language server over stdio (for editors).
    Lsp,
    /// Appends test events to a vault's trace in a loop (tests of concurrent and killed
    /// writers).
    #[command(name = "__trace-writer", hide = true)]
    TraceWriter(history::TraceWriterArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Runs the CLI with the process arguments and returns its exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            });
        }
    };
    match cli.command {
        Command::Check(args) => ExitCode::from(check::run(&args)),
        Command::Fix(args) => ExitCode::from(fix::run(&args)),
        Command::Graph(args) => ExitCode::from(graph::run(&args)),
        Command::Search(args) => ExitCode::from(search::run(&args)),
        Command::History(args) => ExitCode::from(history::run(&args)),
        Command::TraceWriter(args) => ExitCode::from(history::run_trace_writer(&args)),
        Command::Report(args) => ExitCode::from(picture::run(&args)),
        Command::Daily(args) => ExitCode::from(daily::run(&args)),
        Command::Lsp => ExitCode::from(crate::lsp::run()),
        Command::Rules(args) => ExitCode::from(rules::run(&args)),
        Command::Select(args) => ExitCode::from(select::run(&args)),
    }
}
