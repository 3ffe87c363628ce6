//! `workspace/executeCommand`: the server's commands, for editor integrations and for
//! the code lenses and actions that cannot be plain edits.
//!
//! - `twin.server.search [query, limit?]`, `twin.server.unlinkedMentions [uri]`,
//!   `twin.server.history [uri?]`, `twin.server.coherence [uri?]`: the answers of
//!   `twin/search`, `twin/unlinkedMentions`, `twin/history` and `twin/coherence`;
//! - `twin.server.reanchor [uri]`: records a new drift anchor for the note (the
//!   "Re-anchor this note" action) and rechecks it;
//! - `twin.server.report [uri?]`: writes the picture of the vault holding `uri` (or of
//!   the first vault) to a file in the temporary folder and answers `{path, uri}`, which
//!   the client opens in a browser (`twin.showReport`, `:TwinReport`);
//! - `twin.server.recordMove [uri, from, to]`: records that text moved from `from` to `to`
//!   (vault paths; a section is `Note.md#Heading`) in the history of the vault holding
//!   `uri`, the command of the extract and inline actions;
//! - `twin.openDailyNote [day?, uri?]`: the daily note of `day` (today by default, or
//!   `yesterday`, a weekday, `YYYY-MM-DD`…) in the vault holding `uri` (or the first),
//!   created from the vault's template when missing (never over an existing file);
//!   answers `{path, uri, created}` for the client to open;
//! - `twin.server.addBlockId [uri, position, text]`: inserts a block id chosen with a
//!   `[[^^` completion into the other note, through `workspace/applyEdit`;
//! - `twin.showReferences [uri, position, locations]`: the reference lens's client command,
//!   answered with its locations for clients that pass it on to the server.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::gen_lsp_types::{
    Position, Range, TextDocumentIdentifier, TextEdit, Uri, WorkspaceEdit,
};
use tower_lsp_server::jsonrpc::Error;

use super::handlers::{code_lens, coherence, history, refactor, search};
use super::history_view::now;
use super::snapshot::Snapshot;
use super::state::Shared;
use crate::analysis::Effect;
use crate::history::Timestamp;

pub const SEARCH: &str = "twin.server.search";
pub const MENTIONS: &str = "twin.server.unlinkedMentions";
pub const HISTORY: &str = "twin.server.history";
pub const REPORT: &str = "twin.server.report";
pub const ADD_BLOCK_ID: &str = "twin.server.addBlockId";
pub const OPEN_DAILY_NOTE: &str = "twin.openDailyNote";

/// The commands announced in `executeCommandProvider`.
pub fn announced() -> Vec<String> {
    [
        SEARCH,
        MENTIONS,
        HISTORY,
        REPORT,
        ADD_BLOCK_ID,
        OPEN_DAILY_NOTE,
        coherence::SHOW_COMMAND,
        history::REANCHOR_COMMAND,
        refactor::RECORD_MOVE,
    ]
    .iter()
    .map(|c| c.to_string())
    .collect()
}

/// A command answered from a snapshot.
pub type ReadCommand = Box<dyn FnOnce(&Snapshot) -> Result<Value, String> + Send>;

/// What a command does, once its arguments are read.
pub enum Command {
    /// Answered from a snapshot.
    Read(ReadCommand),
    /// Re-anchors the note at this URI.
    Reanchor(Uri),
    /// Records a move in the history of the vault holding the URI.
    RecordMove { uri: Uri, from: String, to: String },
    /// Asks the client to apply this edit (`workspace/applyEdit`).
    Edit(WorkspaceEdit),
}

/// Reads a command and its arguments; `Err` names what is wrong.
pub fn parse(command: &str, args: Vec<Value>) -> Result<Command, String> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    let uri_arg = |i: usize| -> Option<Uri> { arg(i).as_str().map(|s| Uri::from(s.to_string())) };
    let doc = |i: usize| uri_arg(i).map(TextDocumentIdentifier::new);
    match command {
        SEARCH => {
            let query = arg(0).as_str().unwrap_or_default().to_string();
            let limit = arg(1).as_u64().map(|n| n as usize);
            Ok(Command::Read(Box::new(move |snap| {
                search::search(snap, search::SearchParams { query, limit })
                    .map_err(|e| e.message.to_string())
            })))
        }
        MENTIONS => {
            let text_document = doc(0).ok_or("the first argument must be a note's URI")?;
            Ok(Command::Read(Box::new(move |snap| {
                search::mentions(snap, search::MentionsParams { text_document })
                    .map_err(|e| e.message.to_string())
            })))
        }
        HISTORY => {
            let params = history::HistoryParams {
                text_document: doc(0),
                ..Default::default()
            };
            Ok(Command::Read(Box::new(move |snap| {
                history::history(snap, params).map_err(|e| e.message.to_string())
            })))
        }
        REPORT => {
            let uri = uri_arg(0);
            Ok(Command::Read(Box::new(move |snap| {
                write_report(snap, uri.as_ref())
            })))
        }
        c if c == coherence::SHOW_COMMAND => {
            let params = coherence::CoherenceParams {
                text_document: doc(0),
            };
            Ok(Command::Read(Box::new(move |snap| {
                coherence::coherence(snap, params).map_err(|e| e.message.to_string())
            })))
        }
        c if c == history::REANCHOR_COMMAND => Ok(Command::Reanchor(
            uri_arg(0).ok_or("the first argument must be a note's URI")?,
        )),
        c if c == refactor::RECORD_MOVE => {
            let path = |i: usize| -> Result<String, String> {
                let p = arg(i).as_str().unwrap_or_default().to_string();
                // Vault paths only: the trace must not name places outside the vault.
                let bad = p.is_empty()
                    || p.starts_with('/')
                    || p.split(['/', '#']).any(|s| s == "..")
                    || p.contains(['\n', '\r']);
                if bad {
                    Err(format!("argument {i} must be a vault path"))
                } else {
                    Ok(p)
                }
            };
            Ok(Command::RecordMove {
                uri: uri_arg(0).ok_or("the first argument must be a note's URI")?,
                from: path(1)?,
                to: path(2)?,
            })
        }
        OPEN_DAILY_NOTE => {
            let day = arg(0).as_str().map(str::to_owned);
            let uri = uri_arg(1);
            Ok(Command::Read(Box::new(move |snap| {
                open_daily_note(snap, day.as_deref(), uri.as_ref())
            })))
        }
        ADD_BLOCK_ID => {
            let uri = uri_arg(0).ok_or("the first argument must be a note's URI")?;
            let position: Position = serde_json::from_value(arg(1))
                .map_err(|_| "the second argument must be a position")?;
            let text = arg(2)
                .as_str()
                .filter(|t| is_block_id_text(t))
                .ok_or("the third argument must be a block id to insert")?
                .to_owned();
            let edit = TextEdit::new(Range::new(position, position), text);
            Ok(Command::Edit(WorkspaceEdit {
                changes: Some([(uri, vec![edit])].into_iter().collect()),
                ..WorkspaceEdit::default()
            }))
        }
        c if c == code_lens::SHOW_REFERENCES => {
            let locations = arg(2);
            Ok(Command::Read(Box::new(move |_| Ok(locations))))
        }
        other => Err(format!("unknown command {other}")),
    }
}

/// The daily note of `day` in the vault holding `uri` (or the first vault), created from
/// the template when missing: the user asked for it by name.
fn open_daily_note(snap: &Snapshot, day: Option<&str>, uri: Option<&Uri>) -> Result<Value, String> {
    let ws = match uri {
        Some(uri) => snap.workspace_of(uri).map(|(ws, _)| ws),
        None => snap.workspaces.first(),
    }
    .ok_or("no vault is open")?;
    let now = jiff::Zoned::now();
    let date = match day.map(str::trim).filter(|d| !d.is_empty()) {
        Some(word) => crate::analysis::ide::parse_day(word, now.date())
            .ok_or_else(|| format!("`{word}` is no day"))?,
        None => now.date(),
    };
    let note = ws.model.daily_note(date, now.datetime());
    let root = &ws.model.vault.root;
    let created =
        !note.exists && crate::fix::create::create_note_file(root, &note.path, &note.text)?;
    let path = root.join(&note.path);
    let uri = super::convert::to_proto::file_uri(&path);
    Ok(json!({
        "path": path.to_string_lossy(),
        "uri": uri.as_ref() as &str,
        "created": created,
        "date": date.to_string(),
    }))
}

/// Whether `text` is only a block id and the line breaks around it: the command writes
/// nothing else into a note.
fn is_block_id_text(text: &str) -> bool {
    let id = text.trim_matches([' ', '\r', '\n']);
    id.strip_prefix('^').is_some_and(|id| {
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Days of history the report's trend covers, as `twin report` by default.
const REPORT_DAYS: u32 = 90;
/// Notes the report's graph shows first, as `twin report` by default.
const REPORT_GRAPH_LIMIT: usize = 300;

/// Writes the picture of the vault holding `uri` (or the first vault) to the temporary
/// folder, never into the vault, and answers its path and URI.
fn write_report(snap: &Snapshot, uri: Option<&Uri>) -> Result<Value, String> {
    let ws = match uri {
        Some(uri) => snap.workspace_of(uri).map(|(ws, _)| ws),
        None => snap.workspaces.first(),
    }
    .ok_or("no vault is open")?;
    let model = &ws.model;
    let diagnostics = model.check(None);
    let html = crate::picture::render(
        model,
        &diagnostics,
        Timestamp::from_system(now()),
        REPORT_DAYS,
        REPORT_GRAPH_LIMIT,
    );
    // One file per vault, replaced on each call.
    let root = model.vault.root.to_string_lossy();
    let key = crate::history::fingerprint("report", &root, "", 0);
    let path = std::env::temp_dir().join(format!("twin-report-{key}.html"));
    std::fs::write(&path, html).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let uri = super::convert::to_proto::file_uri(&path);
    Ok(json!({"path": path.to_string_lossy(), "uri": uri.as_ref() as &str}))
}

/// Records a new drift anchor for the note at `uri` and brings the model's anchor
/// comparison up to date; returns whether the note could be anchored (a body too short
/// cannot). Runs on a blocking thread: it appends to the trace.
/// A URI outside every vault is the caller's mistake (`InvalidParams`); a trace that
/// cannot be written is the server's (`InternalError`).
pub fn reanchor(shared: &Shared, uri: &Uri) -> Result<Value, Error> {
    let snap = shared.snapshot();
    let (ws, id) = snap.note(uri).ok_or_else(|| {
        Error::invalid_params(format!(
            "{} is not a note of an open vault",
            uri.as_ref() as &str
        ))
    })?;
    let vault = ws.vault();
    let path = vault.note(id).path.clone();
    let anchored = ws.model.reanchor(id, now()).map_err(|e| Error {
        message: format!("cannot record the anchor: {e}").into(),
        ..Error::internal_error()
    })?;
    let roots = ws.roots.clone();
    drop(snap);
    if anchored {
        let mut state = shared.lock();
        if let Some(workspace) = state.workspaces.iter_mut().find(|w| w.roots == roots) {
            let model = Arc::make_mut(&mut workspace.model);
            if let Some(id) = model.vault.note_by_path(&path) {
                model.update_coherence(id);
                workspace.effect.merge(Effect {
                    recheck: BTreeSet::from([path.clone()]),
                    ..Effect::default()
                });
            }
        }
    }
    Ok(json!({"reanchored": anchored, "path": &*path}))
}

/// Appends a `moved` event to the trace of the vault holding `uri`, when the
/// `history.record` setting is on; answers whether it was written. Runs on a blocking
/// thread: it appends to the trace under its lock.
pub fn record_move(shared: &Shared, uri: &Uri, from: &str, to: &str) -> Result<Value, Error> {
    let recording = shared.lock().settings.history_record;
    let snap = shared.snapshot();
    let (ws, _) = snap.workspace_of(uri).ok_or_else(|| {
        Error::invalid_params(format!("{} is not in an open vault", uri.as_ref() as &str))
    })?;
    if !recording || !ws.indexed {
        return Ok(json!({"recorded": false}));
    }
    let root = ws.roots[0].clone();
    drop(snap);
    crate::history::move_text(&root, from, to, now()).map_err(|e| Error {
        message: format!("cannot record the move: {e}").into(),
        ..Error::internal_error()
    })?;
    Ok(json!({"recorded": true}))
}
