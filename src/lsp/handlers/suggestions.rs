//! The core's completion suggestions (`analysis::ide::Suggestion`) as LSP completion
//! items: links written in the vault's link format, spans converted, and the block id a
//! chosen item needs passed to the command that writes it.

use tower_lsp_server::gen_lsp_types::*;

use super::Cursor;
use serde_json::json;

use crate::analysis::ide::{Insert, LinkAnchor, NewBlockId, Suggestion, SuggestionKind};
use crate::fix::target::{anchor_heading_text, encode_target, markdown_target, wiki_target};
use crate::lsp::convert::to_proto;
use crate::text::{ColumnEncoding, Span};

/// The completion item for a suggestion made at the cursor.
pub fn item(at: &Cursor<'_>, s: &Suggestion, enc: ColumnEncoding) -> CompletionItem {
    let range = to_proto::note_range(at.note, s.replace, enc);
    let kind = match s.kind {
        SuggestionKind::Unresolved | SuggestionKind::Daily => CompletionItemKind::File,
        SuggestionKind::Heading | SuggestionKind::Block => CompletionItemKind::Reference,
        SuggestionKind::Callout => CompletionItemKind::EnumMember,
    };
    let description = match s.kind {
        SuggestionKind::Unresolved => Some("unresolved".to_owned()),
        _ => None,
    };
    CompletionItem {
        label: s.label.clone(),
        label_details: description.map(|d| CompletionItemLabelDetails {
            detail: None,
            description: Some(d),
        }),
        kind: Some(kind),
        detail: s.detail.clone(),
        filter_text: Some(s.filter.clone()),
        text_edit: Some(CompletionItemTextEdit::TextEdit(TextEdit::new(
            range,
            write(at, &s.insert),
        ))),
        command: s
            .new_block_id
            .as_ref()
            .and_then(|b| add_block_id(at, b, enc)),
        ..CompletionItem::default()
    }
}

/// The command a chosen item runs to give its block an id: `twin.server.addBlockId`
/// with the note's URI, the position and the text to insert (see `commands.rs`).
fn add_block_id(at: &Cursor<'_>, b: &NewBlockId, enc: ColumnEncoding) -> Option<Command> {
    let vault = at.ws.vault();
    let note = vault.note(vault.note_by_path(&b.note)?);
    let range = to_proto::note_range(note, Span::empty(b.offset), enc);
    Some(Command {
        title: "Give the block an id".to_owned(),
        tooltip: None,
        command: crate::lsp::commands::ADD_BLOCK_ID.to_owned(),
        arguments: Some(vec![
            json!(at.ws.uri_of(&note.path).as_ref() as &str),
            json!(range.start),
            json!(b.text),
        ]),
    })
}

/// A seed for new block ids, different on each request.
pub fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// The text a suggestion writes, links in the vault's format.
fn write(at: &Cursor<'_>, insert: &Insert) -> String {
    let vault = at.ws.vault();
    let config = at.ws.config();
    let format = config.new_link_format.as_deref();
    let bang = |embed: bool| if embed { "!" } else { "" };
    match insert {
        Insert::Text(text) => text.clone(),
        Insert::Link {
            path,
            anchor,
            embed,
        } => {
            if config.use_markdown_links {
                let target = markdown_target(vault, &at.note.path, path, format);
                let shown = crate::note::note_name(path);
                let anchor = anchor
                    .as_ref()
                    .map(|a| format!("#{}", encode_target(&anchor_text(a))))
                    .unwrap_or_default();
                format!("{}[{shown}]({target}{anchor})", bang(*embed))
            } else {
                let target = wiki_target(vault, &at.note.path, path, format);
                let anchor = anchor
                    .as_ref()
                    .map(|a| format!("#{}", anchor_text(a)))
                    .unwrap_or_default();
                format!("{}[[{target}{anchor}]]", bang(*embed))
            }
        }
        Insert::Name { name, embed } => {
            if config.use_markdown_links {
                let target = encode_target(&format!("{name}.md"));
                format!("{}[{name}]({target})", bang(*embed))
            } else {
                format!("{}[[{name}]]", bang(*embed))
            }
        }
    }
}

/// An anchor as a link writes it: a heading as Obsidian's suggester writes it, `^id`.
fn anchor_text(anchor: &LinkAnchor) -> String {
    match anchor {
        LinkAnchor::Heading(source) => anchor_heading_text(source),
        LinkAnchor::Block(id) => format!("^{id}"),
    }
}
