//! Vault search in the editor: `twin/search`, `twin/unlinkedMentions`, workspace symbols
//! ranked through the index, and the "Link to [[Note]]" action on an unlinked mention.
//!
//! The index opens in the background; until it is ready each request answers without
//! it (titles by fuzzy match, mentions by scanning every note, symbols as before) and
//! says so with `"ready": false`.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::{Error, Result};

use super::note_of;
use crate::lsp::convert::{from_proto, to_proto};
use crate::lsp::snapshot::{Snapshot, WorkspaceSnapshot};
use crate::note::Note;
use crate::search::mentions::{MentionFinder, scan_unlinked_mentions, unlinked_mentions_in};
use crate::search::symbols::{fold_case, fuzzy_score};
use crate::search::{
    LinkEdit, SymbolKind as HitKind, link_edit, parse_query, unlinked_mentions, workspace_symbols,
};
use crate::text::Span;
use crate::vault::Vault;
use crate::words::Analyzer;

/// Hits when the request names no limit.
const DEFAULT_LIMIT: usize = 20;
/// Matching lines listed per hit.
const LINES_PER_HIT: usize = 20;
/// Characters of a matching line sent at most.
const LINE_CHARS: usize = 400;
/// Workspace symbol results are capped: a client shows a short list.
const MAX_SYMBOLS: usize = 128;

/// `twin/search` parameters: `{query, limit?}`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    pub query: String,
    pub limit: Option<usize>,
}

/// `twin/search`: the notes that best match a query (the syntax of `twin search`), with
/// their matching lines, in the shape of `twin search --format json` plus each hit's
/// `uri` and LSP `range`.
pub fn search(snap: &Snapshot, params: SearchParams) -> Result<Value> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, 1000);
    let query = parse_query(&params.query);
    let mut hits: Vec<(f32, Value)> = Vec::new();
    let mut total = 0;
    let mut ready = true;
    for ws in &snap.workspaces {
        let vault = ws.vault();
        match ws.live.search_index() {
            Some(index) => {
                let (found, count) = index
                    .search_counted(&query, limit)
                    .map_err(|e| Error::internal_error().with(e.to_string()))?;
                total += count;
                for hit in found {
                    // The index may still hold a note deleted since its last commit.
                    if let Some(id) = vault.note_by_path(&hit.path) {
                        let note = vault.note(id);
                        let lines = query.matching_lines(note);
                        hits.push((hit.score, search_hit(snap, ws, note, hit.score, &lines)));
                    }
                }
            }
            None => {
                ready = false;
                let wanted: Vec<char> = params.query.trim().chars().map(fold_case).collect();
                for note in &vault.notes {
                    if let Some(score) = fuzzy_score(&wanted, note.title()) {
                        total += 1;
                        hits.push((score, search_hit(snap, ws, note, score, &[])));
                    }
                }
            }
        }
    }
    hits.sort_by(|a, b| b.0.total_cmp(&a.0));
    hits.truncate(limit);
    Ok(json!({
        "version": 1,
        "query": params.query,
        "total": total,
        "ready": ready,
        "hits": hits.into_iter().map(|(_, h)| h).collect::<Vec<_>>(),
    }))
}

fn search_hit(
    snap: &Snapshot,
    ws: &WorkspaceSnapshot,
    note: &Note,
    score: f32,
    lines: &[crate::search::LineMatch],
) -> Value {
    let enc = snap.encoding;
    let range = lines.first().and_then(|l| l.matches.first()).map_or_else(
        || to_proto::note_range(note, Span::empty(0), enc),
        |m| to_proto::note_range(note, *m, enc),
    );
    let shown: Vec<Value> = lines
        .iter()
        .take(LINES_PER_HIT)
        .map(|m| {
            let text = &note.text[m.line.range()];
            let cut = text
                .char_indices()
                .nth(LINE_CHARS)
                .map_or(text.len(), |(i, _)| i);
            let column = |offset: u32| text[..(offset - m.line.start) as usize].chars().count() + 1;
            json!({
                "line": note.line_index.line_of(m.line.start as usize) + 1,
                "text": &text[..cut],
                "matches": m.matches.iter()
                    .filter(|s| ((s.end - m.line.start) as usize) <= cut)
                    .map(|s| json!({"column": column(s.start), "end_column": column(s.end)}))
                    .collect::<Vec<_>>(),
                "range": to_proto::note_range(note, m.line, enc),
            })
        })
        .collect();
    json!({
        "path": &*note.path,
        "uri": ws.uri_of(&note.path),
        "title": note.title(),
        "score": (f64::from(score) * 1000.0).round() / 1000.0,
        "range": range,
        "lines": shown,
    })
}

/// `twin/unlinkedMentions` parameters: `{textDocument: {uri}}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MentionsParams {
    pub text_document: TextDocumentIdentifier,
}

/// `twin/unlinkedMentions`: the places in other notes that name this note without
/// linking to it, each with the edit that links it.
pub fn mentions(snap: &Snapshot, params: MentionsParams) -> Result<Value> {
    let Some((ws, id, _)) = note_of(snap, &params.text_document.uri) else {
        return Ok(json!({"mentions": [], "ready": true}));
    };
    let vault = ws.vault();
    let (found, ready) = match ws.live.search_index() {
        Some(index) => (unlinked_mentions(vault, &index, id), true),
        None => (scan_unlinked_mentions(vault, id), false),
    };
    let enc = snap.encoding;
    let items: Vec<Value> = found
        .iter()
        .filter_map(|m| {
            let note = ws.note_by_path(&m.path)?;
            let edit = link_edit(vault, id, m);
            let line = Span::line_around(&note.text, m.span.start as usize);
            Some(json!({
                "uri": ws.uri_of(&m.path),
                "path": &*m.path,
                "range": to_proto::note_range(note, m.span, enc),
                "text": m.text,
                "context": &note.text[line.range()],
                "newText": edit.new_text,
            }))
        })
        .collect();
    Ok(json!({"mentions": items, "ready": ready}))
}

/// `workspace/symbol`: ranked by the index's score plus the fuzzy name match once the
/// index is ready; until then (and for a single file), the plain fuzzy match.
pub fn workspace_symbol(
    snap: &Snapshot,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let indexes: Vec<_> = snap
        .workspaces
        .iter()
        .map(|ws| ws.live.search_index())
        .collect();
    if indexes.is_empty() || indexes.iter().any(Option::is_none) {
        return super::symbols::workspace_symbol(snap, params);
    }
    let mut found: Vec<(f32, SymbolInformation)> = Vec::new();
    for (ws, index) in snap.workspaces.iter().zip(indexes.into_iter().flatten()) {
        let vault = ws.vault();
        for hit in workspace_symbols(&index, vault, &params.query, MAX_SYMBOLS) {
            let Some(note) = ws.note_by_path(&hit.path) else {
                continue;
            };
            let (kind, container) = match hit.kind {
                HitKind::Note => (SymbolKind::File, Some(note.path.to_string())),
                HitKind::Alias => (SymbolKind::Key, hit.container.clone()),
                HitKind::Heading => (SymbolKind::String, hit.container.clone()),
            };
            #[allow(deprecated)]
            found.push((
                hit.score,
                SymbolInformation {
                    deprecated: None,
                    location: to_proto::location(ws, note, hit.span, snap.encoding),
                    base_symbol_information: BaseSymbolInformation {
                        name: hit.name,
                        kind,
                        tags: None,
                        container_name: container,
                    },
                },
            ));
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.truncate(MAX_SYMBOLS);
    Ok(Some(WorkspaceSymbolResponse::SymbolInformationList(
        found.into_iter().map(|(_, s)| s).collect(),
    )))
}

/// "Link to [[Note]]" for each unlinked mention of another note in `range` of this note.
pub fn mention_actions(snap: &Snapshot, params: &CodeActionParams) -> Vec<CodeActionResponse> {
    if !wants_quickfix(params) {
        return Vec::new();
    }
    let Some((ws, id, note)) = note_of(snap, &params.text_document.uri) else {
        return Vec::new();
    };
    let vault = ws.vault();
    let start = from_proto::offset(note, params.range.start, snap.encoding);
    let end = from_proto::offset(note, params.range.end, snap.encoding);
    let finder = all_names(vault);
    let resolutions = &ws.graph().resolutions[id.0 as usize];
    let mut found = unlinked_mentions_in(vault, resolutions, &finder, id, &mut Analyzer::default());
    found.retain(|(m, _)| (m.span.start as usize) <= end && (m.span.end as usize) >= start);
    found
        .into_iter()
        .map(|(mention, target)| {
            let edit = link_edit(vault, target, &mention);
            let range = to_proto::note_range(note, mention.span, snap.encoding);
            let diagnostics: Vec<Diagnostic> = params
                .context
                .diagnostics
                .iter()
                .filter(|d| {
                    matches!(&d.code, Some(Code::String(c)) if c == "unlinked-mention")
                        && d.range == range
                })
                .cloned()
                .collect();
            CodeActionResponse::CodeAction(CodeAction {
                title: format!("Link to [[{}]]", vault.note(target).name()),
                kind: Some(CodeActionKind::QuickFix),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                edit: Some(single_edit(snap, ws, note, &edit)),
                ..Default::default()
            })
        })
        .collect()
}

/// Whether the client asked for quick fixes (or did not narrow the kinds).
pub fn wants_quickfix(params: &CodeActionParams) -> bool {
    params.context.only.as_ref().is_none_or(|only| {
        only.iter()
            .any(|k| *k == CodeActionKind::QuickFix || *k == CodeActionKind::Empty)
    })
}

/// One text edit in one note as a workspace edit the client can apply.
fn single_edit(
    snap: &Snapshot,
    ws: &WorkspaceSnapshot,
    note: &Note,
    edit: &LinkEdit,
) -> WorkspaceEdit {
    let uri = ws.uri_of(&edit.path);
    let text_edit = TextEdit::new(
        to_proto::note_range(note, edit.span, snap.encoding),
        edit.new_text.clone(),
    );
    if snap.caps.document_changes {
        let version = snap.version_of(&uri);
        WorkspaceEdit {
            document_changes: Some(vec![DocumentChange::TextDocumentEdit(
                TextDocumentEdit::new(
                    OptionalVersionedTextDocumentIdentifier::new(
                        version,
                        TextDocumentIdentifier::new(uri),
                    ),
                    vec![Edit::from(text_edit)],
                ),
            )]),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri, vec![text_edit])])),
            ..Default::default()
        }
    }
}

type Finders = Vec<(std::path::PathBuf, u64, Arc<MentionFinder>)>;
static FINDERS: Mutex<Finders> = Mutex::new(Vec::new());

/// A finder of every note's names, kept while the vault's names stay the same (building
/// one analyzes every title and alias; code actions are asked for on every cursor move).
fn all_names(vault: &Vault) -> Arc<MentionFinder> {
    let mut hasher = rustc_hash::FxHasher::default();
    for note in &vault.notes {
        note.path.hash(&mut hasher);
        note.title().hash(&mut hasher);
        for alias in note.aliases() {
            alias.name.hash(&mut hasher);
        }
    }
    let key = hasher.finish();
    let mut finders = FINDERS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, _, finder)) = finders
        .iter()
        .find(|(root, k, _)| *root == vault.root && *k == key)
    {
        return finder.clone();
    }
    let finder = Arc::new(MentionFinder::new(vault, vault.note_ids()));
    finders.retain(|(root, _, _)| *root != vault.root);
    finders.push((vault.root.clone(), key, finder.clone()));
    finder
}

trait WithText {
    fn with(self, message: String) -> Self;
}

impl WithText for Error {
    fn with(mut self, message: String) -> Self {
        self.message = message.into();
        self
    }
}
