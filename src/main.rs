//! The `twin` binary: hands the process arguments to the CLI.

fn main() -> std::process::ExitCode {
    twin::cli::run()
}
