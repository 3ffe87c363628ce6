//! `twin select`: the notes a selector matches, to debug a query rule before enforcing it.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;

use super::load::fulltext;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::RuleLevel;
use crate::diagnostic::Severity;
use crate::query_rules::{Forbids, Requirements};
use crate::query_rules::{QueryContext, QueryRule, RuleSource, Selector, matched_notes};

#[derive(Args, Debug)]
pub struct SelectArgs {
    /// The vault's root folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// A folder glob (`ideas/**`) or folder (`ideas`); repeat for alternatives.
    #[arg(long, value_name = "GLOB")]
    pub folder: Vec<String>,
    /// A tag (nested tags included); repeat for alternatives.
    #[arg(long)]
    pub tag: Vec<String>,
    /// A property value, `KEY=VALUE` (or `KEY` for any value); repeat to require several.
    #[arg(long, value_name = "KEY=VALUE")]
    pub property: Vec<String>,
    /// A query in the syntax of `twin search`.
    #[arg(long, value_name = "QUERY")]
    pub search: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Exit codes: 0 when a note matched, 1 when none did, 2 for errors (as `twin search`).
pub fn run(args: &SelectArgs) -> u8 {
    let selector = match Selector::from_options(
        &args.folder,
        &args.tag,
        &args.property,
        args.search.as_deref(),
    ) {
        Ok(selector) => selector,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let loaded = match super::load::open(&args.path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // The selector runs as a rule would, so full-text matching is the same code path.
    let probe = QueryRule {
        code: "select",
        level: RuleLevel::On(Severity::Hint),
        message: String::new(),
        source: RuleSource::File(PathBuf::new()),
        line: 0,
        text: String::new(),
        select: selector,
        require: Requirements::default(),
        forbid: Forbids::default(),
    };
    let fulltext = fulltext(&loaded.vault, &[(&probe, Severity::Hint)]);
    let cx = QueryContext::new(
        &loaded.vault,
        &loaded.graph,
        &loaded.coherence,
        loaded.config(),
        &fulltext,
    );
    let matched = matched_notes(&cx, &probe.select);
    let paths: Vec<&str> = matched
        .iter()
        .map(|&id| &*loaded.vault.note(id).path)
        .collect();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        Format::Json => {
            let doc = json!({
                "version": 1,
                "total": paths.len(),
                "notes": paths,
            });
            writeln!(out, "{doc}")
        }
        Format::Human => paths
            .iter()
            .try_for_each(|path| writeln!(out, "{path}"))
            .and_then(|()| {
                writeln!(
                    out,
                    "{} of {} notes match",
                    paths.len(),
                    loaded.vault.notes.len()
                )
            }),
    };
    if let Err(err) = written.and_then(|()| out.flush())
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the notes: {err}");
        return EXIT_ERROR;
    }
    if paths.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
