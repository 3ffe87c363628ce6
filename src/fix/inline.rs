//! Inline a note: the reverse of extracting one. A link or an embed alone on its line, to
//! a note nothing else links to, becomes that note's text, and the note is deleted. What
//! only tied the two notes together goes with it: the inlined note's relation properties
//! and sections that name the linking note, and the linking note's relation entries that
//! name the inlined one. The inlined note's links into itself stay inside the new text.

use super::FixContext;
use super::edit::{FileOp, Fix, TextChange, apply_changes};
use super::extract::{Moved, rebased_target};
use super::target::retarget;
use crate::coherence::{Declared, TypedEdge};
use crate::note::{LinkSource, Note, YamlValue};
use crate::resolve::LinkTarget;
use crate::text::Span;
use crate::vault::NoteId;

/// Replaces link `j` of note `id` with the text of the note it names, and deletes that
/// note; `Err` says why it cannot be done.
pub fn inline_note(cx: &FixContext<'_>, id: NoteId, j: usize) -> Result<Moved, String> {
    let vault = cx.vault;
    let note = vault.note(id);
    let link = note.links.get(j).ok_or("no link there")?;
    let Some(LinkTarget::Note(b)) = cx.graph.resolutions[id.0 as usize][j].target else {
        return Err("the link names no note".into());
    };
    if b == id || link.anchor.is_some() || link.source != LinkSource::Body {
        return Err("only a link to a whole other note, in the body, can be inlined".into());
    }
    let text = &*note.text;
    let (start, end) = (link.span.start as usize, link.span.end as usize);
    let line = Span::line_around(text, start);
    if !text[line.start as usize..start].trim().is_empty()
        || !text[end..line.end as usize].trim().is_empty()
    {
        return Err("the link shares its line with other text".into());
    }
    let inlined = vault.note(b);
    let typed_in_note: Vec<&TypedEdge> = cx
        .coherence
        .topology
        .typed(id)
        .iter()
        .filter(|e| e.to == b)
        .collect();
    let mut changes = Vec::new();
    for (src, k) in cx.graph.links_to_note(b) {
        if src == b || (src == id && k == j) {
            continue;
        }
        let edge = typed_in_note
            .iter()
            .find(|e| src == id && e.link as usize == k);
        match edge {
            Some(edge) => changes.push(remove_declaration(note, k, &edge.declared)?),
            None => return Err(format!("other links point to {}", inlined.path)),
        }
    }
    let body = inlined_text(cx, id, b)?;
    changes.push(TextChange {
        span: link.span,
        new_text: body,
    });
    changes.sort_by_key(|c| (c.span.start, c.span.end));
    Ok(Moved {
        fix: Fix {
            title: format!("Inline {} here and delete it", inlined.path),
            ops: vec![
                FileOp::Edit {
                    path: note.path.clone(),
                    changes,
                },
                FileOp::Delete {
                    path: inlined.path.clone(),
                },
            ],
            preferred: false,
        },
        from: inlined.path.to_string(),
        to: format!("{}#{}", note.path, inlined.name()),
    })
}

/// The text note `b` leaves in note `id`: without its frontmatter and relation sections
/// when they only name `id` (refused when they hold more), its links into itself kept
/// pointing at the same headings and blocks, trimmed of blank lines at both ends.
fn inlined_text(cx: &FixContext<'_>, id: NoteId, b: NoteId) -> Result<String, String> {
    let vault = cx.vault;
    let inlined = vault.note(b);
    let parent = vault.note(id);
    let resolutions = &cx.graph.resolutions[b.0 as usize];
    let names_parent = |k: usize| resolutions[k].target == Some(LinkTarget::Note(id));
    let mut changes = Vec::new();
    if let Some(fm) = &inlined.frontmatter {
        let only_relations = fm
            .entries
            .iter()
            .all(|e| cx.coherence.config.relation_of_key(&e.key).is_some());
        let only_parent =
            inlined.links.iter().enumerate().all(|(k, l)| {
                !matches!(l.source, LinkSource::Frontmatter { .. }) || names_parent(k)
            });
        if !(only_relations && only_parent) {
            return Err(format!(
                "{} has properties that would be lost",
                inlined.path
            ));
        }
        changes.push(TextChange {
            span: fm.span,
            new_text: String::new(),
        });
    }
    let typed = cx.coherence.topology.typed(b);
    let mut removed: Vec<Span> = Vec::new();
    for h in typed.iter().filter_map(|e| match e.declared {
        Declared::Section(h) => Some(h),
        _ => None,
    }) {
        let section = inlined.section_span(h);
        if removed.contains(&section) {
            continue;
        }
        // A relation section naming only the parent, and nothing else, goes.
        let mut rest = inlined.text[section.range()].to_string();
        let mut only_parent = true;
        for (k, l) in inlined.links.iter().enumerate().rev() {
            if l.span.start >= section.start && l.span.end <= section.end {
                only_parent &= names_parent(k);
                let at = (l.span.start - section.start) as usize;
                rest.replace_range(at..at + l.span.len(), "");
            }
        }
        let heading_end = (inlined.headings[h].span.end - section.start) as usize;
        let leftover = rest[heading_end.min(rest.len())..]
            .lines()
            .all(|l| matches!(l.trim(), "" | "-" | "*" | "+"));
        if only_parent
            && leftover
            && inlined.headings[h + 1..]
                .first()
                .is_none_or(|n| n.span.start >= section.end)
        {
            removed.push(section);
            changes.push(TextChange {
                span: section,
                new_text: String::new(),
            });
        }
    }
    for (k, l) in inlined.links.iter().enumerate() {
        if removed.iter().any(|s| s.contains(l.span.start as usize)) {
            continue;
        }
        if resolutions[k].target != Some(LinkTarget::Note(b))
            && let Some(text) = rebased_target(cx, b, k, &parent.path)
        {
            changes.push(TextChange {
                span: l.target_span,
                new_text: text,
            });
            continue;
        }
        if resolutions[k].target != Some(LinkTarget::Note(b))
            || l.target(&inlined.text).is_empty()
            || removed.iter().any(|s| s.contains(l.span.start as usize))
        {
            continue;
        }
        // `[[B#Sub]]` becomes `[[#Sub]]`: the heading moves along; `[[B]]` names the parent.
        let new_text = if l.anchor.is_some() {
            String::new()
        } else {
            retarget(vault, inlined, l, &inlined.path, &parent.path)
        };
        changes.push(TextChange {
            span: l.target_span,
            new_text,
        });
    }
    changes.sort_by_key(|c| (c.span.start, c.span.end));
    let text = apply_changes(&inlined.text, &changes);
    Ok(text.trim_matches(['\n', '\r']).trim_end().to_string())
}

/// The change that removes link `k`'s relation entry from `note`: its list item's line,
/// its item in a flow list, or the whole property when it is the only value.
fn remove_declaration(note: &Note, k: usize, declared: &Declared) -> Result<TextChange, String> {
    let text = &*note.text;
    let link = &note.links[k];
    let refuse = || format!("the relation to it in {} is not a list item", note.path);
    match declared {
        Declared::Section(_) | Declared::InlineField(_) => {
            let line = Span::line_around(text, link.span.start as usize);
            let mut rest = text[line.range()].to_string();
            rest.replace_range(
                (link.span.start - line.start) as usize..(link.span.end - line.start) as usize,
                "",
            );
            if !matches!(rest.trim(), "-" | "*" | "+") {
                return Err(refuse());
            }
            Ok(remove(with_break(text, line)))
        }
        Declared::Property(key) => {
            let fm = note.frontmatter.as_ref().ok_or_else(refuse)?;
            let entry = fm
                .entries
                .iter()
                .rev()
                .find(|e| e.key == *key && e.value.span.contains(link.span.start as usize))
                .ok_or_else(refuse)?;
            let whole = Span::new(
                Span::line_around(text, entry.key_span.start as usize).start as usize,
                Span::line_around(text, entry.value.span.end.saturating_sub(1) as usize).end
                    as usize,
            );
            let items = match &entry.value.value {
                YamlValue::List(items) if items.len() > 1 => items,
                _ => return Ok(remove(with_break(text, whole))),
            };
            let i = items
                .iter()
                .position(|it| it.span.contains(link.span.start as usize))
                .ok_or_else(refuse)?;
            let item = items[i].span;
            let raw = &text[entry.value.span.range()];
            if !raw.trim_start().starts_with('[') {
                return Ok(remove(with_break(
                    text,
                    Span::line_around(text, item.start as usize),
                )));
            }
            // In a flow list, the item and the comma that joins it to a neighbour.
            Ok(remove(if i + 1 < items.len() {
                Span::new(item.start as usize, items[i + 1].span.start as usize)
            } else {
                Span::new(items[i - 1].span.end as usize, item.end as usize)
            }))
        }
    }
}

fn remove(span: Span) -> TextChange {
    TextChange {
        span,
        new_text: String::new(),
    }
}

/// A line with its line break, so removing it leaves no empty line.
fn with_break(text: &str, line: Span) -> Span {
    let rest = &text[line.end as usize..];
    let len = if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with('\n'))
    };
    Span::new(line.start as usize, line.end as usize + len)
}

#[cfg(test)]
mod tests;
