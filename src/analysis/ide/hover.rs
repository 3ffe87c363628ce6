//! Hover: a preview of what a link points to (its section, block, or the note's opening
//! lines and description) with the target's backlink count and the canvases that show
//! or link it; a tag's uses; a footnote's text; the links to a heading or block.

use super::at_offset::{Item, Symbol, item_at, references, symbol_links, symbol_of};
use super::references::canvas_places;
use crate::analysis::Analysis;
use crate::note::{Note, tag_key};
use crate::resolve::LinkGraph;
use crate::text::Span;
use crate::vault::{NoteId, Vault};

/// At most this many lines of a target are shown.
const PREVIEW_LINES: usize = 12;
const PREVIEW_BYTES: usize = 1200;

/// A hover's text (Markdown) and the span of the note it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverText {
    pub span: Span,
    pub markdown: String,
}

impl Analysis {
    /// What a hover at `offset` of note `id` shows; `None` where there is nothing to say.
    pub fn hover(&self, id: NoteId, offset: usize) -> Option<HoverText> {
        let note = self.vault.note(id);
        let item = item_at(note, offset)?;
        let vault = &self.vault;
        let graph = &self.graph;
        let (span, markdown) = match item {
            Item::Link(i, _) => {
                let link = &note.links[i];
                let symbol = symbol_of(vault, graph, id, item)?;
                (link.span, preview(vault, graph, &symbol))
            }
            Item::Tag(i) => {
                let tag = &note.tags[i];
                let key = tag_key(&tag.name);
                let places = references(vault, graph, &Symbol::Tag(key.clone()), false);
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
                let r = &note.footnote_refs[i];
                let text = match note
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
                let links = symbol_links(graph, &Symbol::Heading(id, h));
                (
                    note.headings[h].span,
                    count(links.len(), "link").to_string() + " to this heading",
                )
            }
            Item::BlockId(b) => {
                let links = symbol_links(graph, &Symbol::Block(id, b));
                (
                    note.block_ids[b].span,
                    count(links.len(), "link").to_string() + " to this block",
                )
            }
            Item::FootnoteDef(_) | Item::Alias(_) => return None,
        };
        Some(HoverText { span, markdown })
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `, on 2 canvases` when canvases show or link the note or file; empty otherwise.
fn on_canvases(vault: &Vault, symbol: &Symbol) -> String {
    let mut places = canvas_places(vault, symbol);
    places.dedup_by(|a, b| a.canvas == b.canvas);
    match places.len() {
        0 => String::new(),
        1 => ", on 1 canvas".into(),
        n => format!(", on {n} canvases"),
    }
}

/// The markdown preview of a link target.
fn preview(vault: &Vault, graph: &LinkGraph, symbol: &Symbol) -> String {
    let backlinks = symbol_links(graph, symbol).len();
    let canvases = on_canvases(vault, symbol);
    match symbol {
        Symbol::Note(id) => {
            let note = vault.note(*id);
            let mut out = format!("**{}** · `{}`\n\n", note.title(), note.path);
            if let Some(desc) = note.frontmatter.as_ref().and_then(|f| f.description()) {
                out.push_str(&format!("*{}*\n\n", desc.trim()));
            }
            let body_start = note.frontmatter.as_ref().map_or(0, |f| f.span.end as usize);
            out.push_str(&excerpt(note, Span::new(body_start, note.text.len())));
            out.push_str(&format!(
                "\n\n---\n{} to this note{canvases}",
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
            "`{}`\n\n---\n{} to this file{canvases}",
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
