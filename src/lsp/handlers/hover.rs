//! `textDocument/hover`: a preview of what a link points to (its section, block, or
//! the note's opening lines and description) with the target's backlink count.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::cursor;
use crate::lsp::convert::to_proto;
use crate::lsp::query::{self, Item, Symbol};
use crate::lsp::snapshot::Snapshot;
use crate::note::Note;
use crate::resolve::LinkGraph;
use crate::text::Span;
use crate::vault::Vault;

/// At most this many lines of a target are shown.
const PREVIEW_LINES: usize = 12;
const PREVIEW_BYTES: usize = 1200;

pub fn hover(snap: &Snapshot, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    let Some(at) = cursor(snap, &pos.text_document.uri, pos.position) else {
        return Ok(None);
    };
    let Some(item) = query::item_at(at.note, at.offset) else {
        return Ok(None);
    };
    let vault = at.ws.vault();
    let graph = at.ws.graph();
    let (span, text) = match item {
        Item::Link(i, _) => {
            let link = &at.note.links[i];
            let Some(symbol) = query::symbol_of(vault, graph, at.id, item) else {
                return Ok(None);
            };
            (link.span, preview(vault, graph, &symbol))
        }
        Item::Tag(i) => {
            let tag = &at.note.tags[i];
            let key = query::tag_key(&tag.name);
            let places = query::references(vault, graph, &Symbol::Tag(key.clone()), false);
            let mut notes: Vec<_> = places.iter().map(|p| p.note).collect();
            notes.dedup();
            (
                tag.span,
                format!(
                    "`#{key}`: used {} in {}",
                    count(places.len(), "time"),
                    count(notes.len(), "note")
                ),
            )
        }
        Item::FootnoteRef(i) => {
            let r = &at.note.footnote_refs[i];
            let text = match at
                .note
                .footnote_defs
                .iter()
                .find(|d| d.label == r.label && !d.malformed)
            {
                Some(def) => format!("`[^{}]`: {}", r.label, def.content),
                None => format!("`[^{}]` is not defined", r.label),
            };
            (r.span, text)
        }
        Item::Heading(h) => {
            let links = query::symbol_links(graph, &Symbol::Heading(at.id, h));
            (
                at.note.headings[h].span,
                count(links.len(), "link").to_string() + " to this heading",
            )
        }
        Item::BlockId(b) => {
            let links = query::symbol_links(graph, &Symbol::Block(at.id, b));
            (
                at.note.block_ids[b].span,
                count(links.len(), "link").to_string() + " to this block",
            )
        }
        Item::FootnoteDef(_) | Item::Alias(_) => return Ok(None),
    };
    let kind = if snap.caps.markdown_hover {
        MarkupKind::Markdown
    } else {
        MarkupKind::PlainText
    };
    Ok(Some(Hover {
        contents: Contents::MarkupContent(MarkupContent { kind, value: text }),
        range: Some(to_proto::note_range(at.note, span, snap.encoding)),
    }))
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The markdown preview of a link target.
fn preview(vault: &Vault, graph: &LinkGraph, symbol: &Symbol) -> String {
    let backlinks = query::symbol_links(graph, symbol).len();
    match symbol {
        Symbol::Note(id) => {
            let note = vault.note(*id);
            let mut out = format!("**{}** · `{}`\n\n", note.title(), note.path);
            if let Some(desc) = note
                .frontmatter
                .as_ref()
                .and_then(|f| f.description.as_deref())
            {
                out.push_str(&format!("*{}*\n\n", desc.trim()));
            }
            let body_start = note.frontmatter.as_ref().map_or(0, |f| f.span.end as usize);
            out.push_str(&excerpt(note, Span::new(body_start, note.text.len())));
            out.push_str(&format!(
                "\n\n---\n{} to this note",
                count(backlinks, "backlink")
            ));
            out
        }
        Symbol::Heading(id, h) => {
            let note = vault.note(*id);
            format!(
                "`{}` › **{}**\n\n{}\n\n---\n{} to this heading",
                note.path,
                note.headings[*h].text,
                excerpt(note, note.section_span(*h)),
                count(backlinks, "link")
            )
        }
        Symbol::Block(id, b) => {
            let note = vault.note(*id);
            let block = &note.block_ids[*b];
            format!(
                "`{}` › `^{}`\n\n{}\n\n---\n{} to this block",
                note.path,
                block.id,
                excerpt(note, block.block_span),
                count(backlinks, "link")
            )
        }
        Symbol::Attachment(a) => format!(
            "`{}`\n\n---\n{} to this file",
            vault.attachment(*a),
            count(backlinks, "link")
        ),
        Symbol::Tag(_) | Symbol::Footnote(..) => String::new(),
    }
}

/// The first lines of a span of a note, trimmed of blank lines at both ends.
fn excerpt(note: &Note, span: Span) -> String {
    let text = note.text.get(span.range()).unwrap_or("");
    let mut out = String::new();
    for line in text
        .trim_start_matches(['\n', '\r'])
        .lines()
        .take(PREVIEW_LINES)
    {
        if out.len() + line.len() > PREVIEW_BYTES {
            out.push('…');
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}
