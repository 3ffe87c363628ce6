//! Edits that fix findings, as byte-span changes with no LSP types, so a later
//! `twin fix` can reuse them. This belongs in `src/fix/` once the CLI needs it.

use crate::note::VaultPath;
use crate::text::Span;

/// Replace `span` of a note's text with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextChange {
    pub span: Span,
    pub new_text: String,
}

/// One operation on the files of a vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileOp {
    Edit {
        path: VaultPath,
        changes: Vec<TextChange>,
    },
    Create {
        path: VaultPath,
        text: String,
    },
    Rename {
        from: VaultPath,
        to: VaultPath,
    },
}

/// A titled set of operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub ops: Vec<FileOp>,
    pub preferred: bool,
}

use super::refactor::{anchor_heading_text, parent_folder, wiki_target};
use crate::note::{AnchorKind, LinkKind, Note, note_name, strip_md_extension};
use crate::resolve::{AnchorResolution, LinkGraph, LinkTarget, normalize_key};
use crate::vault::{NoteId, Vault};

/// At most this many "did you mean" suggestions per broken link.
const MAX_SUGGESTIONS: usize = 3;

/// Edit distance in characters (Levenshtein).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The candidates closest to `wanted`, close enough to be a typo, best first.
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = normalize_key(wanted).into_owned();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| (edit_distance(&wanted, &normalize_key(c)), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c)
        .collect()
}

fn edit(path: &VaultPath, span: Span, new_text: String) -> FileOp {
    FileOp::Edit {
        path: path.clone(),
        changes: vec![TextChange { span, new_text }],
    }
}

/// Quick fixes for link `j` of note `id` when it is broken or names a missing anchor.
pub fn link_fixes(
    vault: &Vault,
    graph: &LinkGraph,
    id: NoteId,
    j: usize,
    new_link_format: Option<&str>,
) -> Vec<Fix> {
    let note = vault.note(id);
    let link = &note.links[j];
    let resolution = &graph.resolutions[id.0 as usize][j];
    let mut fixes = Vec::new();
    match (&resolution.target, &resolution.anchor) {
        (None, _) if !link.target.is_empty() && !resolution.outside_vault => {
            if let Some(path) = new_note_path(note, &link.target, link.kind) {
                let title = note_name(&path).to_string();
                fixes.push(Fix {
                    title: format!("Create note {path}"),
                    ops: vec![FileOp::Create {
                        path: path.as_str().into(),
                        text: format!("# {title}\n"),
                    }],
                    preferred: false,
                });
            }
            let wanted = note_name(strip_md_extension(&link.target));
            let names = vault.notes.iter().map(|n| n.name());
            for (rank, name) in closest(wanted, names).into_iter().enumerate() {
                let Some(target) = vault.notes.iter().find(|n| n.name() == name) else {
                    continue;
                };
                let text = match link.kind {
                    LinkKind::Wiki => wiki_target(vault, &note.path, &target.path, new_link_format),
                    LinkKind::Markdown => super::refactor::markdown_target(
                        vault,
                        &note.path,
                        &target.path,
                        new_link_format,
                    ),
                };
                fixes.push(Fix {
                    title: format!("Change link to {}", target.path),
                    ops: vec![edit(&note.path, link.target_span, text)],
                    preferred: rank == 0,
                });
            }
        }
        (Some(LinkTarget::Note(target)), AnchorResolution::Missing) => {
            let target_note = vault.note(*target);
            let Some(anchor) = &link.anchor else {
                return fixes;
            };
            if let AnchorKind::Heading(parts) = &anchor.kind {
                let wanted = parts.last().map_or("", String::as_str);
                let headings = target_note.headings.iter().map(|h| h.text.as_str());
                for heading in closest(wanted, headings) {
                    fixes.push(Fix {
                        title: format!("Change heading to {heading}"),
                        ops: vec![edit(&note.path, anchor.span, anchor_heading_text(heading))],
                        preferred: fixes.is_empty(),
                    });
                }
                let heading = parts.join(" ").trim().to_string();
                if !heading.is_empty() {
                    fixes.push(Fix {
                        title: format!("Add heading {heading} to {}", target_note.path),
                        ops: vec![append(target_note, &format!("## {heading}\n"))],
                        preferred: false,
                    });
                }
            }
        }
        _ => {}
    }
    fixes
}

/// Where a note for a broken link's target would be created.
fn new_note_path(note: &Note, target: &str, kind: LinkKind) -> Option<String> {
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
    (!parts.is_empty()).then(|| format!("{}.md", parts.join("/")))
}

/// Appends `text` to a note, on a line of its own after a blank line.
fn append(note: &Note, text: &str) -> FileOp {
    let end = note.text.len();
    let sep = if note.text.is_empty() || note.text.ends_with("\n\n") {
        ""
    } else if note.text.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    edit(&note.path, Span::empty(end), format!("{sep}{text}"))
}

/// Adds a definition for an undefined footnote reference.
pub fn add_footnote_definition(note: &Note, reference: usize) -> Fix {
    let label = &note.footnote_refs[reference].label;
    Fix {
        title: format!("Add a definition for [^{label}]"),
        ops: vec![append(note, &format!("[^{label}]: \n"))],
        preferred: true,
    }
}

/// Removes an unused footnote definition with its line.
pub fn remove_footnote_definition(note: &Note, def: usize) -> Fix {
    let d = &note.footnote_defs[def];
    let start = note.text[..d.span.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = note.text[d.span.end as usize..]
        .find('\n')
        .map_or(note.text.len(), |i| d.span.end as usize + i + 1);
    Fix {
        title: format!("Remove the unused definition of [^{}]", d.label),
        ops: vec![edit(&note.path, Span::new(start, end), String::new())],
        preferred: true,
    }
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Заметка", "Заметки"), 1);
    }
}
