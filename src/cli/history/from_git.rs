//! `twin history --from-git`: rebuild the trace from the vault's git history.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};

use super::super::EXIT_OK;
use crate::analysis::{ReplaySummary, load_rulebook, replay_git};
use crate::git::VaultRepo;
use crate::history::{self, Trace};

/// Replays the history of the vault at `root` into a new trace. An existing trace with
/// events is only replaced with `force`, since it may hold what git cannot tell (saves
/// in the editor, re-anchors).
pub fn run(root: &Path, max_commits: Option<usize>, force: bool) -> Result<u8, String> {
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", root.display()))?;
    let rulebook = Arc::new(load_rulebook(&root).map_err(|e| e.to_string())?);
    for warning in &rulebook.config.warnings {
        eprintln!("warning: {warning}");
    }
    let repo = VaultRepo::open(&root)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{} is not inside a git repository", root.display()))?;
    let existing = Trace::read(&root)
        .map_err(|e| format!("cannot read {}: {e}", history::TRACE_FILE))?
        .state()
        .events;
    if existing > 0 && !force {
        return Err(format!(
            "{} already has {existing} events; --force replaces it with the history from git",
            history::TRACE_FILE
        ));
    }
    let bar = progress_bar();
    let replay = replay_git(
        &root,
        &rulebook,
        &repo,
        max_commits,
        &mut |i, total, commit| {
            if let Some(bar) = &bar {
                bar.set_length(total as u64);
                bar.set_position(i as u64);
                let id = commit.id.to_hex_with_len(8);
                bar.set_message(format!("{id} {}", commit.summary));
            }
        },
    )
    .map_err(|e| e.to_string())?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if replay.summary.commits == 0 {
        return Err("the repository has no commits yet".to_string());
    }
    let lock = history::lock(&root).map_err(|e| format!("cannot lock the trace: {e}"))?;
    let bytes = history::compact::replace_locked(&lock, &replay.events)
        .map_err(|e| format!("cannot write {}: {e}", history::TRACE_FILE))?;
    eprintln!("{}", summary_line(&replay.summary));
    println!(
        "wrote {} events ({bytes} bytes) to {}",
        replay.events.len(),
        history::TRACE_FILE
    );
    Ok(EXIT_OK)
}

/// A bar on stderr when it is a terminal.
fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("replaying {pos}/{len} commits {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// One line saying what the replay found.
pub fn summary_line(s: &ReplaySummary) -> String {
    let span = s
        .span
        .map(|(first, last)| format!(" ({} to {})", first.date(), last.date()))
        .unwrap_or_default();
    let mut line = format!(
        "replayed {} commits{span}: {} opened, {} resolved, {} reopened, {} carried across renames; {} open now; {} notes anchored",
        s.commits, s.opened, s.resolved, s.reopened, s.renamed, s.open, s.anchored
    );
    if s.skipped_files > 0 {
        line.push_str(&format!(
            "; {} times a file could not be read as a note",
            s.skipped_files
        ));
    }
    line
}
