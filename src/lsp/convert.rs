//! The only place LSP positions, ranges and URIs are made from core spans and back.
//!
//! The core speaks byte [`Span`]s into a note's text; the client speaks lines and
//! columns in the negotiated encoding. `to_proto` goes out, `from_proto` comes in.

use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use ropey::Rope;
use tower_lsp_server::gen_lsp_types::{PositionEncodingKind, Uri};

use crate::text::ColumnEncoding;

/// Characters kept as they are in a file URI's path, as VS Code writes them.
const PATH_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The encoding to use given what the client offers: UTF-8 when offered, else UTF-16.
pub fn negotiate_encoding(offered: Option<&[PositionEncodingKind]>) -> ColumnEncoding {
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => ColumnEncoding::Utf8,
        _ => ColumnEncoding::Utf16,
    }
}

pub mod to_proto {
    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::fix::{FileOp, Fix};
    use crate::lsp::snapshot::{Snapshot, WorkspaceSnapshot};
    use crate::note::Note;
    use crate::text::{LineCol, LineIndex, Span};
    use std::collections::HashMap;
    use tower_lsp_server::gen_lsp_types as lsp;

    pub fn encoding_kind(encoding: ColumnEncoding) -> PositionEncodingKind {
        match encoding {
            ColumnEncoding::Utf8 => PositionEncodingKind::UTF8,
            ColumnEncoding::Utf16 => PositionEncodingKind::UTF16,
            ColumnEncoding::Char => PositionEncodingKind::UTF32,
        }
    }

    pub fn position(
        text: &str,
        index: &LineIndex,
        offset: usize,
        enc: ColumnEncoding,
    ) -> lsp::Position {
        let LineCol { line, col } = index.line_col(text, offset, enc);
        lsp::Position::new(line, col)
    }

    pub fn range(text: &str, index: &LineIndex, span: Span, enc: ColumnEncoding) -> lsp::Range {
        lsp::Range::new(
            position(text, index, span.start as usize, enc),
            position(text, index, span.end as usize, enc),
        )
    }

    /// The range of a span inside a note.
    pub fn note_range(note: &Note, span: Span, enc: ColumnEncoding) -> lsp::Range {
        range(&note.text, &note.line_index, span, enc)
    }

    /// A `file://` URI for an absolute path.
    pub fn file_uri(path: &Path) -> Uri {
        let text = path.to_string_lossy();
        // `\` separates folders only on Windows; elsewhere it is part of a name
        // (percent-encoded below), so `back\slash.md` is not `back/slash.md`.
        #[cfg(windows)]
        let text = text.replace('\\', "/");
        let lead = if text.starts_with('/') { "" } else { "/" };
        Uri::from(format!(
            "file://{lead}{}",
            utf8_percent_encode(&text, PATH_SET)
        ))
    }

    pub fn location(
        ws: &WorkspaceSnapshot,
        note: &Note,
        span: Span,
        enc: ColumnEncoding,
    ) -> lsp::Location {
        lsp::Location::new(ws.uri_of(&note.path), note_range(note, span, enc))
    }

    pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
        match severity {
            Severity::Error => lsp::DiagnosticSeverity::Error,
            Severity::Warning => lsp::DiagnosticSeverity::Warning,
            Severity::Info => lsp::DiagnosticSeverity::Information,
            Severity::Hint => lsp::DiagnosticSeverity::Hint,
        }
    }

    /// A finding of `twin check` as an LSP diagnostic; `note` is the note it is in.
    pub fn diagnostic(
        ws: &WorkspaceSnapshot,
        note: Option<&Note>,
        diagnostic: &Diagnostic,
        enc: ColumnEncoding,
    ) -> lsp::Diagnostic {
        let range = match (note, ws.vault().canvas(&diagnostic.path)) {
            (Some(n), _) => note_range(n, diagnostic.span, enc),
            // A canvas's finding points into its JSON text.
            (None, Some(canvas)) => range(
                &canvas.text,
                &LineIndex::new(&canvas.text),
                diagnostic.span,
                enc,
            ),
            (None, None) => lsp::Range::default(),
        };
        let related: Vec<lsp::DiagnosticRelatedInformation> = diagnostic
            .related
            .iter()
            .map(|r| {
                let range = ws
                    .note_by_path(&r.path)
                    .map_or_else(lsp::Range::default, |n| note_range(n, r.span, enc));
                lsp::DiagnosticRelatedInformation::new(
                    lsp::Location::new(ws.uri_of(&r.path), range),
                    r.message.clone(),
                )
            })
            .collect();
        lsp::Diagnostic {
            range,
            severity: Some(severity(diagnostic.severity)),
            code: Some(lsp::Code::String(diagnostic.code.to_string())),
            code_description: crate::rules::docs_url(diagnostic.code)
                .map(|url| lsp::CodeDescription::new(Uri::from(url))),
            source: Some("twin".to_string()),
            message: lsp::Message::String(diagnostic.message.clone()),
            tags: None,
            related_information: (!related.is_empty()).then_some(related),
            data: None,
        }
    }

    /// A fix's file operations as a workspace edit. `document_changes` says whether the
    /// client accepts versioned edits and file operations.
    pub fn workspace_edit(
        snap: &Snapshot,
        ws: &WorkspaceSnapshot,
        fix: &Fix,
        document_changes: bool,
    ) -> lsp::WorkspaceEdit {
        let enc = snap.encoding;
        let text_edits = |path: &str, changes: &[crate::fix::TextChange]| -> Vec<lsp::TextEdit> {
            let edits = |text: &str, index: &LineIndex| -> Vec<lsp::TextEdit> {
                changes
                    .iter()
                    .map(|c| {
                        lsp::TextEdit::new(range(text, index, c.span, enc), c.new_text.clone())
                    })
                    .collect()
            };
            if let Some(note) = ws.note_by_path(path) {
                return edits(&note.text, &note.line_index);
            }
            // A canvas that shows or links a renamed note is edited too.
            match ws.vault().canvas(path) {
                Some(canvas) => edits(&canvas.text, &LineIndex::new(&canvas.text)),
                None => Vec::new(),
            }
        };
        if !document_changes {
            let mut changes: HashMap<Uri, Vec<lsp::TextEdit>> = HashMap::new();
            for op in &fix.ops {
                if let FileOp::Edit { path, changes: c } = op {
                    changes
                        .entry(ws.uri_of(path))
                        .or_default()
                        .extend(text_edits(path, c));
                }
            }
            return lsp::WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            };
        }
        let mut out = Vec::new();
        for op in &fix.ops {
            match op {
                FileOp::Edit { path, changes } => {
                    let uri = ws.uri_of(path);
                    let version = snap.version_of(&uri);
                    let edits = text_edits(path, changes)
                        .into_iter()
                        .map(lsp::Edit::from)
                        .collect();
                    out.push(lsp::DocumentChange::TextDocumentEdit(
                        lsp::TextDocumentEdit::new(
                            lsp::OptionalVersionedTextDocumentIdentifier::new(
                                version,
                                lsp::TextDocumentIdentifier::new(uri),
                            ),
                            edits,
                        ),
                    ));
                }
                FileOp::Create { path, text } => {
                    let uri = ws.uri_of(path);
                    out.push(lsp::DocumentChange::CreateFile(lsp::CreateFile {
                        uri: uri.clone(),
                        options: Some(lsp::CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    }));
                    if !text.is_empty() {
                        out.push(lsp::DocumentChange::TextDocumentEdit(
                            lsp::TextDocumentEdit::new(
                                lsp::OptionalVersionedTextDocumentIdentifier::new(
                                    None,
                                    lsp::TextDocumentIdentifier::new(uri),
                                ),
                                vec![lsp::Edit::from(lsp::TextEdit::new(
                                    lsp::Range::default(),
                                    text.clone(),
                                ))],
                            ),
                        ));
                    }
                }
                FileOp::Delete { path } => {
                    out.push(lsp::DocumentChange::DeleteFile(lsp::DeleteFile {
                        uri: ws.uri_of(path),
                        options: Some(lsp::DeleteFileOptions {
                            recursive: Some(false),
                            ignore_if_not_exists: Some(true),
                        }),
                        annotation_id: None,
                    }));
                }
                FileOp::Rename { from, to } => {
                    out.push(lsp::DocumentChange::RenameFile(lsp::RenameFile {
                        old_uri: ws.uri_of(from),
                        new_uri: ws.uri_of(to),
                        options: Some(lsp::RenameFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(false),
                        }),
                        annotation_id: None,
                    }));
                }
            }
        }
        lsp::WorkspaceEdit {
            document_changes: Some(out),
            ..Default::default()
        }
    }
}

pub mod from_proto {
    use super::*;
    use crate::note::Note;
    use crate::text::LineCol;
    use tower_lsp_server::gen_lsp_types as lsp;

    /// The absolute path of a `file://` URI; `None` for any other scheme.
    pub fn file_path(uri: &Uri) -> Option<PathBuf> {
        let text = uri.as_ref();
        let rest = text
            .strip_prefix("file://localhost")
            .or_else(|| text.strip_prefix("file://"))?;
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        let decoded = percent_decode_str(rest).decode_utf8().ok()?;
        let path = PathBuf::from(decoded.as_ref());
        path.is_absolute().then_some(path)
    }

    /// The vault path (relative, `/`-separated) of an absolute path under one of `roots`.
    pub fn vault_path(roots: &[PathBuf], path: &Path) -> Option<String> {
        roots.iter().find_map(|root| {
            let rel = path.strip_prefix(root).ok()?;
            let parts: Option<Vec<&str>> = rel
                .components()
                .map(|c| match c {
                    std::path::Component::Normal(s) => s.to_str(),
                    _ => None,
                })
                .collect();
            let parts = parts?;
            (!parts.is_empty()).then(|| parts.join("/"))
        })
    }

    /// A byte offset into a note's text; positions past a line's end clamp to it.
    pub fn offset(note: &Note, pos: lsp::Position, enc: ColumnEncoding) -> usize {
        note.line_index.offset(
            &note.text,
            LineCol {
                line: pos.line,
                col: pos.character,
            },
            enc,
        )
    }

    /// A char index into an open document's rope; positions past a line's end clamp to
    /// the end of its content, lines past the end to the end of the text.
    pub fn rope_char(rope: &Rope, pos: lsp::Position, enc: ColumnEncoding) -> usize {
        let line = pos.line as usize;
        if line >= rope.len_lines() {
            return rope.len_chars();
        }
        let start = rope.line_to_char(line);
        let slice = rope.line(line);
        let mut remaining = pos.character as usize;
        for (i, ch) in slice.chars().enumerate() {
            // Lines end at `\n`, `\r\n` or a lone `\r` (ropey's `cr_lines`, LSP 3.17).
            let is_end = ch == '\n' || ch == '\r';
            if is_end || remaining == 0 {
                return start + i;
            }
            let width = match enc {
                ColumnEncoding::Utf8 => ch.len_utf8(),
                ColumnEncoding::Utf16 => ch.len_utf16(),
                ColumnEncoding::Char => 1,
            };
            if remaining < width {
                // Inside a character: snap to its start.
                return start + i;
            }
            remaining -= width;
        }
        start + slice.len_chars()
    }
}
