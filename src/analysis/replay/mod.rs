//! `twin history --from-git`: the trace rebuilt by replaying the check at each commit of
//! the vault's git history, oldest first. Each commit is recorded at its committer time as
//! `check --record` would have recorded it then, and git's renames between commits carry
//! findings and anchors to the new paths, so the history starts at the vault's first
//! commit.

mod commit_vault;

use std::path::Path;
use std::sync::Arc;

use gix::ObjectId;

use super::Analysis;
use crate::coherence::signatures;
use crate::git::{Commit, GitError, VaultRepo};
use crate::history::{
    EventKind, OwnedEvent, Timestamp, TraceState, anchor_event, diff, fingerprints, rename_events,
    score_event,
};
use crate::query_rules::FullText;
use crate::rules::Rulebook;
use commit_vault::CommitVault;

/// What was replayed and what it recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplaySummary {
    pub commits: usize,
    pub opened: usize,
    pub reopened: usize,
    pub resolved: usize,
    /// Findings carried to a new path by a rename.
    pub renamed: usize,
    pub anchored: usize,
    /// Findings open at the last commit.
    pub open: usize,
    /// The first and last commit's times.
    pub span: Option<(Timestamp, Timestamp)>,
    /// Files that could not be notes at some commit (binary, not UTF-8, too large).
    pub skipped_files: usize,
}

/// The rebuilt trace's events, in order, and their summary.
pub struct Replay {
    pub events: Vec<OwnedEvent>,
    pub summary: ReplaySummary,
}

/// Replays the last `max_commits` commits of HEAD's first-parent history (all when
/// `None`) of the vault at `root` (canonical) with `rulebook`, calling `progress` before
/// each commit with its index and the total.
pub fn replay_git(
    root: &Path,
    rulebook: &Arc<Rulebook>,
    repo: &VaultRepo,
    max_commits: Option<usize>,
    progress: &mut dyn FnMut(usize, usize, &Commit),
) -> Result<Replay, GitError> {
    let commits = repo.commits(max_commits)?;
    let queries = FullText::queries(&rulebook.active_queries())
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let mut state = TraceState::default();
    let mut events: Vec<OwnedEvent> = Vec::new();
    let mut summary = ReplaySummary {
        commits: commits.len(),
        ..ReplaySummary::default()
    };
    let mut loader = CommitVault::new(root, &rulebook.config);
    let mut previous: Option<ObjectId> = None;
    let mut last = Timestamp(i64::MIN);
    for (i, commit) in commits.iter().enumerate() {
        progress(i, commits.len(), commit);
        // Rebased histories can go back in time; the trace must not.
        let now = Timestamp(commit.time.max(last.0));
        last = now;
        let mut recorded = Vec::new();
        for (old, new) in repo.renames_between(previous, commit.id)? {
            let moved = rename_events(&state, &old, &new, now);
            recorded.extend(apply(&mut state, moved));
        }
        let vault = loader.vault_at(repo, commit.id)?;
        let analysis = Analysis::against(vault, rulebook.clone(), &state);
        let fulltext = (!queries.is_empty()).then(|| {
            let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
            FullText::in_memory(&analysis.vault, &queries)
        });
        let diagnostics = analysis.check(fulltext.as_ref());
        let vault = &analysis.vault;
        let findings = fingerprints(&diagnostics, vault);
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        let changes = diff(&state, &findings, &messages, &|_| true, now);
        recorded.extend(apply(&mut state, changes));

        let unanchored: Vec<_> = vault
            .note_ids()
            .filter(|id| state.anchor(&vault.note(*id).path).is_none())
            .collect();
        let stats = analysis.coherence.drift.as_ref().map(|drift| &drift.stats);
        let anchors: Vec<OwnedEvent> = signatures(vault, stats, &unanchored)
            .into_iter()
            .map(|(id, terms)| anchor_event(&vault.note(id).path, terms, now))
            .collect();
        recorded.extend(apply(&mut state, anchors));
        let (_, score) = crate::coherence::vault_coherence(
            vault,
            &analysis.graph,
            &analysis.coherence,
            &diagnostics,
        );
        let scored = score_event(&state, score, now).into_iter().collect();
        recorded.extend(apply(&mut state, scored));
        count(&mut summary, &recorded);
        summary.skipped_files += analysis.vault.skipped.len();
        events.extend(recorded);
        previous = Some(commit.id);
    }
    summary.open = state.open().count();
    summary.span = commits
        .first()
        .zip(commits.last())
        .map(|(first, _)| (Timestamp(first.time), last));
    Ok(Replay { events, summary })
}

/// Applies `events` to `state` and hands them back.
fn apply(state: &mut TraceState, events: Vec<OwnedEvent>) -> Vec<OwnedEvent> {
    for e in &events {
        state.apply(e);
    }
    events
}

fn count(summary: &mut ReplaySummary, events: &[OwnedEvent]) {
    for e in events {
        match e.kind {
            EventKind::Opened => summary.opened += 1,
            EventKind::Reopened => summary.reopened += 1,
            EventKind::Resolved => summary.resolved += 1,
            EventKind::Renamed => summary.renamed += 1,
            EventKind::Anchor => summary.anchored += 1,
            _ => {}
        }
    }
}
