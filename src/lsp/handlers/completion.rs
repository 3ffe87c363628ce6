//! `textDocument/completion`: notes and aliases after `[[`, headings after `[[Note#`,
//! blocks after `[[Note#^`, tags after `#`, footnote labels after `[^`, paths in
//! markdown links; fuzzy-ranked, inserting links as `.obsidian/app.json` asks.

use std::collections::BTreeMap;

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::{Cursor, cursor, suggestions};
use crate::analysis::ide::fuzzy;
use crate::fix::target::{anchor_heading_text, markdown_target, wiki_target};
use crate::lsp::convert::to_proto;
use crate::note::{Link, LinkKind, Note};
use crate::resolve::{LinkTarget, heading_source, resolve_link};
use crate::text::Span;

/// A client shows the first items; it asks again as the user types.
const MAX_ITEMS: usize = 100;

/// What is being typed at the cursor.
#[derive(Debug, PartialEq, Eq)]
enum Context<'t> {
    /// `[[prefix` (or `![[`): `open` is the offset of the first `[`.
    Note {
        open: usize,
        prefix: &'t str,
    },
    Heading {
        note: &'t str,
        prefix: &'t str,
    },
    Block {
        note: &'t str,
        prefix: &'t str,
    },
    Tag {
        prefix: &'t str,
    },
    Footnote {
        prefix: &'t str,
    },
    Path {
        prefix: &'t str,
    },
}

/// Reads the completion context from the text of the line before the cursor.
fn context(line: &str, line_start: usize) -> Option<Context<'_>> {
    if let Some(open) = line.rfind("[[") {
        let inner = &line[open + 2..];
        if !inner.contains("]]") {
            if inner.contains('|') {
                return None;
            }
            if let Some(hash) = inner.find('#') {
                let note = &inner[..hash];
                let rest = &inner[hash + 1..];
                return Some(match rest.strip_prefix('^') {
                    Some(prefix) => Context::Block { note, prefix },
                    None => Context::Heading {
                        note,
                        prefix: rest.rsplit('#').next().unwrap_or(rest),
                    },
                });
            }
            return Some(Context::Note {
                open: line_start + open,
                prefix: inner,
            });
        }
    }
    if let Some(open) = line.rfind("[^") {
        let inner = &line[open + 2..];
        if !inner.contains(']') && !inner.contains(' ') {
            return Some(Context::Footnote { prefix: inner });
        }
    }
    if let Some(open) = line.rfind("](") {
        let inner = &line[open + 2..];
        if !inner.contains(')') && !inner.contains(' ') {
            return Some(Context::Path { prefix: inner });
        }
    }
    // Past the separator's whole character: whitespace such as U+00A0 is several bytes.
    let word_start = line
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace() || c == ',')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &line[word_start..];
    if let Some(prefix) = word.strip_prefix('#')
        && prefix
            .chars()
            .all(|c| c.is_alphanumeric() || "_-/".contains(c))
        && !prefix.starts_with('#')
    {
        return Some(Context::Tag { prefix });
    }
    None
}

pub fn completion(
    snap: &crate::lsp::snapshot::Snapshot,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position_params;
    let Some(at) = cursor(snap, &pos.text_document.uri, pos.position) else {
        return Ok(None);
    };
    let seed = suggestions::random_seed();
    if let Some(list) = at.ws.model.vault_anchor_suggestions(at.id, at.offset, seed) {
        let items = list
            .iter()
            .map(|s| suggestions::item(&at, s, snap.encoding))
            .collect();
        // The search runs again on every key: clients must not filter a stale list.
        let mut response = ranked(items);
        if let CompletionResponse::CompletionList(l) = &mut response {
            l.is_incomplete = true;
        }
        return Ok(Some(response));
    }
    if let Some(list) = at.ws.model.callout_suggestions(at.id, at.offset) {
        return Ok(Some(ranked(
            list.iter()
                .map(|s| suggestions::item(&at, s, snap.encoding))
                .collect(),
        )));
    }
    let line_start = at.note.text[..at.offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &at.note.text[line_start..at.offset];
    let Some(ctx) = context(line, line_start) else {
        return Ok(None);
    };
    let range_of = |prefix: &str| {
        let span = Span::new(at.offset - prefix.len(), at.offset);
        to_proto::note_range(at.note, span, snap.encoding)
    };
    let mut items: Vec<(i64, CompletionItem)> = Vec::new();
    match ctx {
        Context::Note { open, prefix } => {
            // Day words first: typing `[[tod` most likely means today's note.
            let today = jiff::Zoned::now().date();
            let days = at.ws.model.daily_suggestions(at.id, at.offset, today);
            for (i, s) in days.iter().flatten().enumerate() {
                let item = suggestions::item(&at, s, snap.encoding);
                items.push((i64::MAX / 2 - i as i64, item));
            }
            note_items(&at, open, prefix, &mut items, snap.encoding);
            // Below every existing note, in the core's order.
            let later = at.ws.model.unresolved_suggestions(at.id, at.offset);
            for (i, s) in later.iter().flatten().take(MAX_ITEMS).enumerate() {
                let item = suggestions::item(&at, s, snap.encoding);
                items.push((i64::MIN / 2 - i as i64, item));
            }
        }
        Context::Heading { note, prefix } => {
            if let Some(target) = resolve_name(&at, note) {
                for (i, h) in target.headings.iter().enumerate() {
                    // Written as Obsidian's suggester writes it: the heading as typed.
                    let text = anchor_heading_text(heading_source(target, i));
                    push(
                        &mut items,
                        prefix,
                        &text,
                        &text,
                        CompletionItemKind::Reference,
                        Some("#".repeat(h.level as usize)),
                        range_of(prefix),
                    );
                }
            }
        }
        Context::Block { note, prefix } => {
            if let Some(target) = resolve_name(&at, note) {
                for b in &target.block_ids {
                    let first_line = target.text[b.block_span.range()]
                        .lines()
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    push(
                        &mut items,
                        prefix,
                        &b.id,
                        &b.id,
                        CompletionItemKind::Reference,
                        Some(first_line),
                        range_of(prefix),
                    );
                }
            }
        }
        Context::Tag { prefix } => {
            let mut tags: BTreeMap<String, (String, usize)> = BTreeMap::new();
            for note in &at.ws.vault().notes {
                // The tag being typed is no suggestion.
                let typing =
                    |t: &crate::note::Tag| note.path == at.note.path && t.span.touches(at.offset);
                for tag in note.tags.iter().filter(|t| !typing(t)) {
                    let name = tag.name.trim().trim_start_matches('#');
                    let entry = tags
                        .entry(crate::note::tag_key(name))
                        .or_insert_with(|| (name.to_string(), 0));
                    entry.1 += 1;
                }
            }
            for (name, count) in tags.into_values() {
                push(
                    &mut items,
                    prefix,
                    &name,
                    &name,
                    CompletionItemKind::Keyword,
                    Some(format!("{count} uses")),
                    range_of(prefix),
                );
            }
        }
        Context::Footnote { prefix } => {
            for d in at.note.footnote_defs.iter().filter(|d| !d.malformed) {
                push(
                    &mut items,
                    prefix,
                    &d.label,
                    &d.label,
                    CompletionItemKind::Reference,
                    Some(d.content.clone()),
                    range_of(prefix),
                );
            }
        }
        Context::Path { prefix } => {
            let vault = at.ws.vault();
            let format = at.ws.config().new_link_format.as_deref();
            let files = vault
                .notes
                .iter()
                .map(|n| &*n.path)
                .chain(vault.attachments.iter().map(|a| &**a));
            for path in files {
                let text = markdown_target(vault, &at.note.path, path, format);
                push(
                    &mut items,
                    prefix,
                    path,
                    &text,
                    CompletionItemKind::File,
                    None,
                    range_of(prefix),
                );
            }
        }
    }
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
    Ok(Some(ranked(
        items.into_iter().map(|(_, item)| item).collect(),
    )))
}

/// Items in the order given, at most `MAX_ITEMS`, numbered so that clients keep that order.
fn ranked(mut items: Vec<CompletionItem>) -> CompletionResponse {
    let incomplete = items.len() > MAX_ITEMS;
    items.truncate(MAX_ITEMS);
    let items = items
        .into_iter()
        .enumerate()
        .map(|(rank, mut item)| {
            item.sort_text = Some(format!("{rank:04}"));
            item
        })
        .collect();
    CompletionResponse::CompletionList(CompletionList {
        is_incomplete: incomplete,
        item_defaults: None,
        apply_kind: None,
        items,
    })
}

fn push(
    items: &mut Vec<(i64, CompletionItem)>,
    prefix: &str,
    label: &str,
    insert: &str,
    kind: CompletionItemKind,
    detail: Option<String>,
    range: Range,
) {
    let Some(score) = fuzzy::score(prefix, label) else {
        return;
    };
    items.push((
        score,
        CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            filter_text: Some(label.to_string()),
            text_edit: Some(CompletionItemTextEdit::TextEdit(TextEdit::new(
                range,
                insert.to_string(),
            ))),
            ..CompletionItem::default()
        },
    ));
}

/// Notes and aliases after `[[`: the link is rewritten whole, from `[[` to its close.
/// Only the best matches are turned into items: building a link text costs lookups.
fn note_items(
    at: &Cursor<'_>,
    open: usize,
    prefix: &str,
    items: &mut Vec<(i64, CompletionItem)>,
    enc: crate::text::ColumnEncoding,
) {
    let vault = at.ws.vault();
    let mut matches: Vec<(i64, usize, Option<usize>)> = Vec::new();
    for (i, note) in vault.notes.iter().enumerate() {
        if let Some(score) = fuzzy::score(prefix, note.name()) {
            matches.push((score, i, None));
        }
        for (a, alias) in note.aliases().iter().enumerate() {
            if let Some(score) = fuzzy::score(prefix, &alias.name) {
                matches.push((score, i, Some(a)));
            }
        }
    }
    let label = |&(_, i, alias): &(i64, usize, Option<usize>)| -> &str {
        let note = &vault.notes[i];
        alias.map_or(note.name(), |a| &note.aliases()[a].name)
    };
    matches.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| label(a).cmp(label(b))));
    // One more than shown, so the list is known to be incomplete.
    matches.truncate(MAX_ITEMS + 1);

    let config = at.ws.config();
    let format = config.new_link_format.as_deref();
    let text = &at.note.text;
    let embed = open > 0 && text.as_bytes()[open - 1] == b'!';
    let closed = text[at.offset..].starts_with("]]");
    let end = if closed { at.offset + 2 } else { at.offset };
    let start = if embed { open - 1 } else { open };
    let replace = to_proto::note_range(at.note, Span::new(start, end), enc);
    let bang = if embed { "!" } else { "" };
    for m in &matches {
        let (score, i, alias) = *m;
        let target = &vault.notes[i];
        let alias = alias.map(|a| target.aliases()[a].name.as_str());
        let new_text = if config.use_markdown_links {
            let shown = alias.unwrap_or(target.name());
            let path = markdown_target(vault, &at.note.path, &target.path, format);
            format!("{bang}[{shown}]({path})")
        } else {
            let link = wiki_target(vault, &at.note.path, &target.path, format);
            match alias {
                Some(alias) => format!("{bang}[[{link}|{alias}]]"),
                None => format!("{bang}[[{link}]]"),
            }
        };
        let label = label(m);
        items.push((
            score,
            CompletionItem {
                label: label.to_string(),
                kind: Some(if alias.is_some() {
                    CompletionItemKind::Reference
                } else {
                    CompletionItemKind::File
                }),
                detail: Some(match alias {
                    Some(_) => format!("alias of {}", target.path),
                    None => target.path.to_string(),
                }),
                filter_text: Some(format!("[[{label}")),
                text_edit: Some(CompletionItemTextEdit::TextEdit(TextEdit::new(
                    replace, new_text,
                ))),
                ..CompletionItem::default()
            },
        ));
    }
}

/// The note a `[[Note#` prefix names, resolved as a link from the current note.
fn resolve_name<'a>(at: &Cursor<'a>, name: &str) -> Option<&'a Note> {
    let vault = at.ws.vault();
    if name.trim().is_empty() {
        return Some(at.note);
    }
    let link = Link::to_target(LinkKind::Wiki, name, None);
    match resolve_link(vault, at.id, &link).target? {
        LinkTarget::Note(id) => Some(vault.note(id)),
        LinkTarget::Attachment(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Context, context};

    #[test]
    fn reads_the_context_before_the_cursor() {
        assert_eq!(
            context("see [[Mee", 10),
            Some(Context::Note {
                open: 14,
                prefix: "Mee"
            })
        );
        assert_eq!(
            context("see [[Note#Int", 0),
            Some(Context::Heading {
                note: "Note",
                prefix: "Int"
            })
        );
        assert_eq!(
            context("see [[Note#A#B", 0),
            Some(Context::Heading {
                note: "Note",
                prefix: "B"
            })
        );
        assert_eq!(
            context("see [[#^ab", 0),
            Some(Context::Block {
                note: "",
                prefix: "ab"
            })
        );
        assert_eq!(context("a #pro", 0), Some(Context::Tag { prefix: "pro" }));
        assert_eq!(context("x[^1", 0), Some(Context::Footnote { prefix: "1" }));
        assert_eq!(
            context("[t](sub/No", 0),
            Some(Context::Path { prefix: "sub/No" })
        );
        assert_eq!(context("[[A]] and text", 0), None);
        assert_eq!(context("[[A|ali", 0), None);
        assert_eq!(context("# Heading", 0), None);
    }
}
