//! Applying a server's WorkspaceEdit to files on disk, and checking a folder with the
//! library, for tests that verify edits end to end.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::file_uri;

/// A byte offset of a UTF-16 position in `text`.
pub fn offset_of(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().expect("line") as usize;
    let col = pos["character"].as_u64().expect("character") as usize;
    let start = text
        .split_inclusive('\n')
        .take(line)
        .map(str::len)
        .sum::<usize>();
    let mut units = 0;
    for (i, ch) in text[start..].char_indices() {
        if units >= col || ch == '\n' || ch == '\r' {
            return start + i;
        }
        units += ch.len_utf16();
    }
    text.len()
}

/// Applies a WorkspaceEdit to the files under `root` (document changes or a change map).
/// Returns, per edited file, the byte ranges of the original text that were replaced.
pub fn apply_workspace_edit(
    root: &Path,
    edit: &Value,
) -> std::collections::BTreeMap<String, Vec<(usize, usize, String)>> {
    let uri_root = file_uri(root);
    let path_of = |uri: &str| -> PathBuf {
        let rel = uri
            .strip_prefix(&uri_root)
            .expect("a URI inside the vault")
            .trim_start_matches('/');
        root.join(percent_decode(rel))
    };
    let mut applied = std::collections::BTreeMap::new();
    let mut edit_file = |uri: &str, edits: &[Value]| {
        let path = path_of(uri);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut ranges: Vec<(usize, usize, String)> = edits
            .iter()
            .map(|e| {
                (
                    offset_of(&text, &e["range"]["start"]),
                    offset_of(&text, &e["range"]["end"]),
                    e["newText"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        ranges.sort_by_key(|r| (r.0, r.1));
        let mut out = text.clone();
        for (start, end, new) in ranges.iter().rev() {
            out.replace_range(*start..*end, new);
        }
        std::fs::write(&path, out).expect("write edited file");
        applied.insert(
            path.strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .to_string(),
            ranges,
        );
    };
    if let Some(changes) = edit["documentChanges"].as_array() {
        for change in changes {
            match change["kind"].as_str() {
                Some("rename") => {
                    // Editors create the new parent folder, as VS Code's file service does.
                    let new = path_of(change["newUri"].as_str().unwrap());
                    std::fs::create_dir_all(new.parent().unwrap()).unwrap();
                    std::fs::rename(path_of(change["oldUri"].as_str().unwrap()), new)
                        .expect("rename")
                }
                Some("create") => {
                    let path = path_of(change["uri"].as_str().unwrap());
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    if !path.exists() {
                        std::fs::write(path, "").unwrap();
                    }
                }
                Some("delete") => {
                    std::fs::remove_file(path_of(change["uri"].as_str().unwrap())).expect("delete")
                }
                Some(other) => panic!("unexpected operation {other}"),
                None => edit_file(
                    change["textDocument"]["uri"].as_str().unwrap(),
                    change["edits"].as_array().unwrap(),
                ),
            }
        }
    } else if let Some(changes) = edit["changes"].as_object() {
        for (uri, edits) in changes {
            edit_file(uri, edits.as_array().unwrap());
        }
    }
    applied
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("utf-8")
}

/// The findings of `twin check` on a folder, through the library.
pub fn check(root: &Path) -> Vec<twin::diagnostic::Diagnostic> {
    let rulebook = twin::analysis::load_rulebook(root).expect("config");
    let analysis = twin::analysis::Analysis::load(root, std::sync::Arc::new(rulebook));
    analysis.expect("vault").check(None)
}

/// Undoes [`redact`] on URIs, for applying an edit taken from a redacted snapshot value.
pub fn redact_back(value: &Value, root: &Path) -> Value {
    let uri = file_uri(root);
    match value {
        Value::String(s) => Value::String(s.replace("[VAULT]", &uri)),
        Value::Array(items) => Value::Array(items.iter().map(|v| redact_back(v, root)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.replace("[VAULT]", &uri), redact_back(v, root)))
                .collect(),
        ),
        other => other.clone(),
    }
}
