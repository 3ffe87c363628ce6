//! Creating the note a broken link names: where it goes, and its text from the vault's
//! optional template `.twin/templates/new-note.md` (`{{title}}` becomes the note's name).

use std::path::Path;

use super::target::parent_folder;
use crate::note::{LinkKind, Note, strip_md_extension};

/// The template for new notes, relative to the vault root.
pub const TEMPLATE_FILE: &str = ".twin/templates/new-note.md";

/// The vault's template for new notes: `Ok(None)` when there is none, an error (one
/// sentence) when it is not a regular file inside the vault or cannot be read.
pub fn load_template(root: &Path) -> Result<Option<String>, String> {
    let path = crate::vault::own_file(root, TEMPLATE_FILE)
        .map_err(|e| format!("{TEMPLATE_FILE} not read: {e}"))?;
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{TEMPLATE_FILE} not read: {e}")),
    }
}

/// The text of a new note named `title`: the template, or a heading.
pub fn new_note_text(title: &str, template: Option<&str>) -> String {
    match template {
        Some(template) => template.replace("{{title}}", title),
        None => format!("# {title}\n"),
    }
}

/// Where a note for a broken link's target would be created, when that place is inside
/// the vault on disk (`root`: symlinks followed) and a name twin may create.
pub fn new_note_path(root: &Path, note: &Note, target: &str, kind: LinkKind) -> Option<String> {
    let target = target.trim().trim_start_matches('/');
    if target.is_empty() || target.ends_with('/') {
        return None;
    }
    let stem = strip_md_extension(target);
    let joined = match kind {
        // Markdown links are relative to the linking note.
        LinkKind::Markdown if !target.starts_with('/') => {
            let folder = parent_folder(&note.path);
            if folder.is_empty() {
                stem.to_string()
            } else {
                format!("{folder}/{stem}")
            }
        }
        _ => stem.to_string(),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    let path = format!("{}.md", parts.join("/"));
    crate::vault::resolve_inside(root, &path).ok()?;
    Some(path)
}

/// Writes a new note at vault path `rel` with `text`, making its folders; never over an
/// existing file (`Ok(false)` then) and never outside the vault. For notes the user asks
/// for by name, such as a daily note.
pub fn create_note_file(root: &Path, rel: &str, text: &str) -> Result<bool, String> {
    use std::io::Write;
    let path = crate::vault::resolve_inside(root, rel)?;
    if path.exists() {
        return Ok(false);
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut file) => file
            .write_all(text.as_bytes())
            .map(|()| true)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}
