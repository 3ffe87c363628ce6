//! `textDocument/semanticTokens/full`: links (resolved or not), embeds, tags and block ids.

use serde_json::{Value, json};
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::note_of;
use crate::lsp::convert::to_proto;
use crate::lsp::snapshot::Snapshot;
use crate::text::Span;

const LINK: u32 = 0;
const EMBED: u32 = 1;
const TAG: u32 = 2;
const BLOCK_ID: u32 = 3;
/// Modifier bit: the link resolves to nothing.
const UNRESOLVED: u32 = 1;

/// The legend announced in the server capabilities.
pub fn legend() -> Value {
    json!({"tokenTypes": ["link", "embed", "tag", "blockId"], "tokenModifiers": ["unresolved"]})
}

pub fn semantic_tokens_full(
    snap: &Snapshot,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokens>> {
    let Some((ws, id, note)) = note_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let resolutions = &ws.graph().resolutions[id.0 as usize];
    let mut tokens: Vec<(Span, u32, u32)> = Vec::new();
    for (link, resolution) in note.links.iter().zip(resolutions) {
        let kind = if link.embed { EMBED } else { LINK };
        let modifiers = if resolution.target.is_none() && !link.target(&note.text).is_empty() {
            UNRESOLVED
        } else {
            0
        };
        tokens.push((link.span, kind, modifiers));
    }
    tokens.extend(note.tags.iter().map(|t| (t.span, TAG, 0)));
    tokens.extend(note.block_ids.iter().map(|b| (b.span, BLOCK_ID, 0)));
    tokens.sort_by_key(|(span, ..)| (span.start, std::cmp::Reverse(span.end)));
    let mut data = Vec::new();
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    let mut covered_to = 0u32;
    for (span, kind, modifiers) in tokens {
        // Tokens may not overlap or span lines.
        if span.start < covered_to || span.is_empty() {
            continue;
        }
        let start = to_proto::position(
            &note.text,
            &note.line_index,
            span.start as usize,
            snap.encoding,
        );
        let end = to_proto::position(
            &note.text,
            &note.line_index,
            span.end as usize,
            snap.encoding,
        );
        if start.line != end.line {
            continue;
        }
        covered_to = span.end;
        let delta_line = start.line - prev_line;
        let delta_start = if delta_line == 0 {
            start.character - prev_col
        } else {
            start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: kind,
            token_modifiers_bitset: modifiers,
        });
        (prev_line, prev_col) = (start.line, start.character);
    }
    Ok(Some(SemanticTokens {
        result_id: None,
        data,
    }))
}
