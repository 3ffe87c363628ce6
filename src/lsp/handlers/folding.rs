//! `textDocument/foldingRange`: heading sections, the frontmatter, callouts and list
//! items with nested lines.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::note_of;
use super::symbols::trim_end;
use crate::lsp::snapshot::Snapshot;
use crate::note::Note;

pub fn folding_range(
    snap: &Snapshot,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    let Some((_, _, note)) = note_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    let line_of = |offset: u32| note.line_index.line_of(offset as usize);
    let mut push = |start: u32, end: u32, kind: Option<FoldingRangeKind>| {
        if end > start {
            out.push(FoldingRange {
                start_line: start,
                start_character: None,
                end_line: end,
                end_character: None,
                kind,
                collapsed_text: None,
            });
        }
    };
    if let Some(fm) = &note.frontmatter {
        push(
            line_of(fm.span.start),
            line_of(fm.span.end.saturating_sub(1)),
            Some(FoldingRangeKind::Region),
        );
    }
    for i in 0..note.headings.len() {
        let section = trim_end(note, note.section_span(i));
        push(
            line_of(section.start),
            line_of(section.end),
            Some(FoldingRangeKind::Region),
        );
    }
    for (start, end) in block_folds(note) {
        push(start, end, None);
    }
    out.sort_by_key(|r| (r.start_line, std::cmp::Reverse(r.end_line)));
    Ok(Some(out))
}

/// Callouts (`> [!note]` and the quote lines after it) and list items with nested lines.
fn block_folds(note: &Note) -> Vec<(u32, u32)> {
    let lines: Vec<&str> = note
        .text
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    let body_start = note
        .frontmatter
        .as_ref()
        .map_or(0, |f| note.line_index.line_of(f.span.end as usize) as usize);
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut i = body_start;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            i += 1;
            continue;
        }
        if in_fence {
            i += 1;
            continue;
        }
        if trimmed.starts_with('>') && trimmed[1..].trim_start().starts_with("[!") {
            let mut end = i;
            while end + 1 < lines.len() && lines[end + 1].trim_start().starts_with('>') {
                end += 1;
            }
            out.push((i as u32, end as u32));
        } else if let Some(indent) = list_indent(line) {
            let mut end = i;
            let mut j = i + 1;
            while j < lines.len() {
                let next = lines[j];
                if next.trim().is_empty() {
                    j += 1;
                    continue;
                }
                if next.len() - next.trim_start().len() > indent {
                    end = j;
                    j += 1;
                } else {
                    break;
                }
            }
            out.push((i as u32, end as u32));
        }
        i += 1;
    }
    out
}

/// The indentation of a list item line (`- `, `* `, `+ `, `1. `, `1) `).
fn list_indent(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let bullet = ["- ", "* ", "+ "].iter().any(|b| trimmed.starts_with(b));
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let ordered =
        digits > 0 && (trimmed[digits..].starts_with(". ") || trimmed[digits..].starts_with(") "));
    (bullet || ordered).then_some(indent)
}
