//! `textDocument/prepareRename`, `textDocument/rename` and `workspace/willRenameFiles`:
//! a note (file and every link to it), a heading, a block id, a tag.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};

use super::cursor;
use crate::analysis::ide::{Item, LinkPart, item_at};
use crate::fix::Fix;
use crate::fix::rename::{self as refactor, RenameError};
use crate::lsp::convert::{from_proto, to_proto};
use crate::lsp::snapshot::{Snapshot, WorkspaceSnapshot};
use crate::resolve::{AnchorResolution, LinkTarget, heading_source};
use crate::text::Span;
use crate::vault::NoteId;

/// What a rename at the cursor would rename, and the text range shown for it.
enum Target {
    Note(NoteId),
    Heading(NoteId, usize),
    Block(NoteId, usize),
    Tag(String),
}

struct Found<'a> {
    ws: &'a WorkspaceSnapshot,
    target: Target,
    range: Range,
    placeholder: String,
}

fn find<'a>(snap: &'a Snapshot, params: &TextDocumentPositionParams) -> Option<Found<'a>> {
    let at = cursor(snap, &params.text_document.uri, params.position)?;
    let vault = at.ws.vault();
    let note = at.note;
    let item = item_at(note, at.offset)?;
    let strip_caret = |span: Span| Span::new(span.start as usize + 1, span.end as usize);
    let (target, span, placeholder) = match item {
        Item::Link(j, part) => {
            let link = &note.links[j];
            let resolution = &at.ws.graph().resolutions[at.id.0 as usize][j];
            let Some(LinkTarget::Note(t)) = resolution.target else {
                return None;
            };
            match (part, &resolution.anchor, &link.anchor) {
                (LinkPart::Anchor, AnchorResolution::Heading(h), Some(anchor)) => {
                    let text = &note.text[anchor.span.range()];
                    let start = text.rfind('#').map_or(0, |i| i + 1);
                    let span =
                        Span::new(anchor.span.start as usize + start, anchor.span.end as usize);
                    (
                        Target::Heading(t, *h as usize),
                        span,
                        heading_source(vault.note(t), *h as usize).to_string(),
                    )
                }
                (LinkPart::Anchor, AnchorResolution::Block(b), Some(anchor)) => (
                    Target::Block(t, *b as usize),
                    strip_caret(anchor.span),
                    vault.note(t).block_ids[*b as usize].id.clone(),
                ),
                (LinkPart::Target, ..) if !link.target(&note.text).is_empty() => (
                    Target::Note(t),
                    link.target_span,
                    vault.note(t).name().to_string(),
                ),
                _ => return None,
            }
        }
        Item::Heading(h) => (
            Target::Heading(at.id, h),
            note.headings[h].text_span,
            // The rename replaces the heading as written, markup included.
            heading_source(note, h).to_string(),
        ),
        Item::BlockId(b) => (
            Target::Block(at.id, b),
            strip_caret(note.block_ids[b].span),
            note.block_ids[b].id.clone(),
        ),
        Item::Tag(i) => {
            let tag = &note.tags[i];
            let text = &note.text[tag.span.range()];
            let skip = usize::from(text.starts_with('#'));
            let span = Span::new(tag.span.start as usize + skip, tag.span.end as usize);
            (
                Target::Tag(crate::note::tag_key(&tag.name)),
                span,
                tag.name.trim_start_matches('#').to_string(),
            )
        }
        _ => return None,
    };
    Some(Found {
        ws: at.ws,
        target,
        range: to_proto::note_range(note, span, snap.encoding),
        placeholder,
    })
}

pub fn prepare_rename(
    snap: &Snapshot,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResult>> {
    Ok(find(snap, &params).map(|f| {
        PrepareRenameResult::PrepareRenamePlaceholder(PrepareRenamePlaceholder {
            range: f.range,
            placeholder: f.placeholder,
        })
    }))
}

fn failed(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

pub fn rename(snap: &Snapshot, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let Some(found) = find(snap, &params.text_document_position_params) else {
        return Ok(None);
    };
    let (vault, graph) = (found.ws.vault(), found.ws.graph());
    let fix: std::result::Result<Fix, RenameError> = match found.target {
        Target::Note(id) => {
            if !(snap.caps.document_changes && snap.caps.rename_files) {
                return Err(failed(
                    "renaming a note needs a client that can rename files".into(),
                ));
            }
            refactor::rename_note(vault, graph, id, &params.new_name)
        }
        Target::Heading(id, h) => refactor::rename_heading(vault, graph, id, h, &params.new_name),
        Target::Block(id, b) => refactor::rename_block(vault, graph, id, b, &params.new_name),
        Target::Tag(key) => refactor::rename_tag(vault, &key, &params.new_name),
    };
    let fix = fix.map_err(|e| failed(e.0))?;
    Ok(Some(to_proto::workspace_edit(
        snap,
        found.ws,
        &fix,
        snap.caps.document_changes,
    )))
}

pub fn will_rename_files(
    snap: &Snapshot,
    params: RenameFilesParams,
) -> Result<Option<WorkspaceEdit>> {
    let mut result: Option<(usize, Vec<(NoteId, String)>)> = None;
    for file in &params.files {
        let (Some(old), Some(new)) = (
            from_proto::file_path(&file.old_uri),
            from_proto::file_path(&file.new_uri),
        ) else {
            continue;
        };
        for (i, ws) in snap.workspaces.iter().enumerate() {
            let (Some(old), Some(new)) = (
                from_proto::vault_path(&ws.roots, &old),
                from_proto::vault_path(&ws.roots, &new),
            ) else {
                continue;
            };
            // A name no link can hold (a newline, a NUL, `\`) gets no link edits.
            if let Some(problem) = crate::vault::name_problem(&new) {
                return Err(failed(format!("links not updated for {new:?}: {problem}")));
            }
            let vault = ws.vault();
            let mut moves = Vec::new();
            if let Some(id) = vault.note_by_path(&old) {
                if new.to_lowercase().ends_with(".md") {
                    moves.push((id, new.clone()));
                }
            } else {
                // A folder: every note under it moves along.
                let prefix = format!("{old}/");
                for id in vault.note_ids() {
                    if let Some(rest) = vault.note(id).path.strip_prefix(&prefix) {
                        moves.push((id, format!("{new}/{rest}")));
                    }
                }
            }
            let entry = result.get_or_insert_with(|| (i, Vec::new()));
            if entry.0 == i {
                entry.1.extend(moves);
            }
        }
    }
    let Some((i, moves)) = result.filter(|(_, m)| !m.is_empty()) else {
        return Ok(None);
    };
    let ws = &snap.workspaces[i];
    let ops = refactor::move_notes(ws.vault(), ws.graph(), &moves);
    if ops.is_empty() {
        return Ok(None);
    }
    let fix = Fix {
        title: "Update links".into(),
        ops,
        preferred: true,
    };
    Ok(Some(to_proto::workspace_edit(
        snap,
        ws,
        &fix,
        snap.caps.document_changes,
    )))
}
