//! The coherence score in the editor: `twin/coherence` (the vault's score, or a note's
//! vector), a code lens on the note's first line and a section in the hover of its title.

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::gen_lsp_types::*;

use super::note_of;
use crate::coherence::{COHERENCE_RULES, CoherenceVector, vector_with_conflicts};
use crate::lsp::convert::to_proto;
use crate::lsp::history_view::note_findings;
use crate::lsp::snapshot::{Snapshot, WorkspaceSnapshot};
use crate::note::Note;
use crate::text::Span;
use crate::vault::NoteId;

/// The server command behind the lens: shows the vector in a message.
pub const SHOW_COMMAND: &str = "twin.server.coherence";

/// `twin/coherence` parameters: `{}` for the vault, `{textDocument: {uri}}` for a note.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CoherenceParams {
    pub text_document: Option<TextDocumentIdentifier>,
}

/// `twin/coherence`: `{score, notes}` for the vault (the mean of its notes' scores), or
/// for a note `{score, vault, path, vector}`.
pub fn coherence(
    snap: &Snapshot,
    params: CoherenceParams,
) -> tower_lsp_server::jsonrpc::Result<Value> {
    let (vault_score, notes) = vault_score(snap);
    let Some(uri) = params.text_document.map(|t| t.uri) else {
        return Ok(json!({"score": vault_score, "notes": notes}));
    };
    let Some((ws, id, note)) = note_of(snap, &uri) else {
        return Ok(json!({"score": vault_score, "notes": notes, "vault": vault_score}));
    };
    let vector = note_vector(ws, id);
    Ok(json!({
        "score": vector.score,
        "vault": vault_score,
        "notes": notes,
        "path": &*note.path,
        "summary": describe(&vector),
        "vector": vector,
    }))
}

/// The vault's score over every workspace (the mean of the notes' scores, 1 when empty),
/// from the conflicts the diagnostics worker counted; and the number of notes.
fn vault_score(snap: &Snapshot) -> (f64, usize) {
    let (mut sum, mut notes) = (0.0, 0);
    for ws in snap.workspaces.iter().filter(|ws| ws.indexed) {
        let conflicts = ws.live.conflicts();
        let model = &ws.model;
        for (i, note) in ws.vault().notes.iter().enumerate() {
            let n = conflicts.get(&note.path).copied().unwrap_or(0);
            sum += vector_with_conflicts(&model.graph, &model.coherence, NoteId(i as u32), n).score;
            notes += 1;
        }
    }
    let score = if notes == 0 { 1.0 } else { sum / notes as f64 };
    ((score * 10_000.0).round() / 10_000.0, notes)
}

/// A note's coherence vector, its conflicts counted from its current findings.
pub fn note_vector(ws: &WorkspaceSnapshot, id: NoteId) -> CoherenceVector {
    let conflicts = note_findings(ws, id)
        .iter()
        .filter(|d| COHERENCE_RULES.contains(&d.code))
        .count();
    vector_with_conflicts(&ws.model.graph, &ws.model.coherence, id, conflicts)
}

/// One line describing a vector: `coherence 0.82 · links 1.00 · reciprocity 0.50 · …`.
pub fn describe(v: &CoherenceVector) -> String {
    let mut parts = vec![format!("coherence {:.2}", v.score)];
    if v.links > 0 {
        parts.push(format!("links {:.2}", v.link_integrity));
    }
    if v.relations > 0 {
        parts.push(format!("reciprocity {:.2}", v.reciprocity));
    }
    if let Some(drift) = v.drift {
        parts.push(format!("identity {drift:.2}"));
    }
    match v.conflicts {
        0 => {}
        1 => parts.push("1 conflict".into()),
        n => parts.push(format!("{n} conflicts")),
    }
    parts.join(" · ")
}

/// The lens on the note's first line.
pub fn lens(snap: &Snapshot, uri: &Uri) -> Option<CodeLens> {
    let (ws, id, note) = note_of(snap, uri)?;
    if !ws.indexed || !ws.model.is_coherent() {
        return None;
    }
    let vector = note_vector(ws, id);
    Some(CodeLens {
        range: to_proto::note_range(note, Span::empty(0), snap.encoding),
        command: Some(Command {
            title: describe(&vector),
            tooltip: None,
            command: SHOW_COMMAND.to_string(),
            arguments: Some(vec![json!(uri.as_ref())]),
        }),
        data: None,
    })
}

/// The hover section on the note's title (its first line, or the heading that is its
/// title): the vector and the formula's parts.
pub fn hover_section(
    ws: &WorkspaceSnapshot,
    id: NoteId,
    note: &Note,
    offset: usize,
) -> Option<(Span, String)> {
    if !ws.indexed || !ws.model.is_coherent() {
        return None;
    }
    let first_line_end = note.text.find('\n').unwrap_or(note.text.len());
    let span = note
        .headings
        .iter()
        .find(|h| h.level == 1 && h.text == note.title())
        .map(|h| h.span)
        .filter(|s| s.start as usize <= offset && offset <= s.end as usize)
        .or_else(|| (offset <= first_line_end).then(|| Span::new(0, first_line_end)))?;
    let v = note_vector(ws, id);
    let mut text = format!("**Coherence {:.2}**\n\n", v.score);
    text.push_str(&format!(
        "- link integrity {:.2} ({} links)\n- reciprocity {:.2} ({} relations checked)\n",
        v.link_integrity, v.links, v.reciprocity, v.relations
    ));
    match v.drift {
        Some(d) => text.push_str(&format!("- identity similarity {d:.2}\n")),
        None => text.push_str("- identity similarity: not measured\n"),
    }
    text.push_str(&format!("- open conflicts {}", v.conflicts));
    Some((span, text))
}
