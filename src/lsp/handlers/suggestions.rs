//! The core's completion suggestions (`analysis::ide::Suggestion`) as LSP completion
//! items: links written in the vault's link format, spans converted, and the block id a
//! chosen item needs passed to the command that writes it.

use tower_lsp_server::gen_lsp_types::*;

use super::Cursor;
use crate::analysis::ide::{Insert, Suggestion, SuggestionKind};
use crate::fix::target::{encode_target, markdown_target, wiki_target};
use crate::lsp::convert::to_proto;
use crate::text::ColumnEncoding;

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
        ..CompletionItem::default()
    }
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
                    .map(|a| format!("#{}", encode_target(a)))
                    .unwrap_or_default();
                format!("{}[{shown}]({target}{anchor})", bang(*embed))
            } else {
                let target = wiki_target(vault, &at.note.path, path, format);
                let anchor = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
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
