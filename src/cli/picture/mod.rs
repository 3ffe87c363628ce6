//! `twin report`: writes the page of `crate::picture` (the vault's trend, where it hurts,
//! and its topology) to a file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use super::{EXIT_ERROR, EXIT_OK};
use crate::history::Timestamp;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The vault's root folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Where to write the HTML file.
    #[arg(long, short, default_value = "twin-report.html")]
    pub out: PathBuf,
    /// Days of history the trend chart covers.
    #[arg(long, default_value_t = 90)]
    pub days: u32,
    /// Notes the graph shows at first (the least coherent region); search and clicks
    /// reach the others.
    #[arg(long, default_value_t = 300)]
    pub graph_limit: usize,
}

pub fn run(args: &ReportArgs) -> u8 {
    let started = Instant::now();
    match write_report(&args.path, &args.out, args.days, args.graph_limit) {
        Ok(bytes) => {
            eprintln!(
                "wrote {} ({} KB) in {:.2}s",
                args.out.display(),
                bytes.div_ceil(1024),
                started.elapsed().as_secs_f64()
            );
            EXIT_OK
        }
        Err(code) => code,
    }
}

/// Loads the vault, assembles the report and writes it to `out`; returns its size in bytes.
/// Errors are reported on stderr.
pub fn write_report(root: &Path, out: &Path, days: u32, graph_limit: usize) -> Result<usize, u8> {
    let rulebook = super::load::open_rulebook(root)?;
    let analysis = super::load::open_analysis(root, rulebook, &mut |_| {})?;
    let fulltext = super::load::fulltext(&analysis.vault, &analysis.rulebook.active_queries());
    let diagnostics = analysis.check(Some(&fulltext));
    let now = super::history::now().map_err(|message| {
        eprintln!("error: {message}");
        EXIT_ERROR
    })?;
    let html = crate::picture::render(
        &analysis,
        &diagnostics,
        Timestamp::from_system(now),
        days,
        graph_limit,
    );
    let written = std::fs::File::create(out).and_then(|mut file| {
        file.write_all(html.as_bytes())?;
        file.flush()
    });
    if let Err(err) = written {
        eprintln!("error: cannot write {}: {err}", out.display());
        return Err(EXIT_ERROR);
    }
    let bytes = html.len();
    // Freeing the model note by note costs more than the OS reclaiming it at exit.
    std::mem::forget((analysis, diagnostics));
    Ok(bytes)
}
