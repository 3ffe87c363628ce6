//! One file per request. Each handler reads a [`Snapshot`] and answers in LSP types,
//! converting through `convert` only.

pub mod code_action;
pub mod code_lens;
pub mod coherence;
pub mod completion;
pub mod definition;
pub mod diagnostic;
pub mod document_link;
pub mod extras;
pub mod folding;
pub mod history;
pub mod hover;
pub mod inlay_hint;
pub mod refactor;
pub mod references;
pub mod rename;
pub mod search;
pub mod semantic_tokens;
pub mod suggestions;
pub mod symbols;

use tower_lsp_server::gen_lsp_types::{Location, Position, Uri};

use super::convert::{from_proto, to_proto};
use super::snapshot::{Snapshot, WorkspaceSnapshot};
use crate::analysis::ide::Place;
use crate::note::Note;
use crate::vault::NoteId;

/// A note of a workspace and a cursor offset in it.
pub struct Cursor<'a> {
    pub ws: &'a WorkspaceSnapshot,
    pub id: NoteId,
    pub note: &'a Note,
    pub offset: usize,
}

/// The note a URI names and the byte offset of a position in it; `None` for files
/// outside every workspace or not in the vault.
pub fn cursor<'a>(snap: &'a Snapshot, uri: &Uri, position: Position) -> Option<Cursor<'a>> {
    let (ws, id) = snap.note(uri)?;
    let note = ws.vault().note(id);
    let offset = from_proto::offset(note, position, snap.encoding);
    Some(Cursor {
        ws,
        id,
        note,
        offset,
    })
}

/// The note a URI names.
pub fn note_of<'a>(
    snap: &'a Snapshot,
    uri: &Uri,
) -> Option<(&'a WorkspaceSnapshot, NoteId, &'a Note)> {
    let (ws, id) = snap.note(uri)?;
    Some((ws, id, ws.vault().note(id)))
}

pub fn location(snap: &Snapshot, ws: &WorkspaceSnapshot, place: &Place) -> Location {
    to_proto::location(ws, ws.vault().note(place.note), place.span, snap.encoding)
}
