//! Canvases when notes move: a `file` node takes the note's new path, and a text card's
//! link is written again as a note's link would be. Edits replace only the bytes of the
//! JSON string that encode the old target, so every other byte of the canvas is kept.

use std::collections::BTreeMap;

use super::FixContext;
use super::edit::{FileOp, Fix, TextChange};
use super::target::retarget_written;
use crate::note::{LinkKind, VaultPath};
use crate::resolve::{LinkTarget, resolve_canvas_link, resolve_vault_path};
use crate::text::Span;
use crate::vault::{Canvas, NoteId, Vault, join_relative, parent_folder};

/// Adds to `changes` the edits of every canvas that shows or links a note of `moves`
/// (note → new vault path, with `.md`).
pub(super) fn canvas_moves(
    vault: &Vault,
    moves: &[(NoteId, String)],
    changes: &mut BTreeMap<VaultPath, Vec<TextChange>>,
) {
    let new_path_of = |target: Option<LinkTarget>| match target {
        Some(LinkTarget::Note(id)) => moves
            .iter()
            .find(|(m, _)| *m == id)
            .map(|(_, p)| (id, p.as_str())),
        _ => None,
    };
    for canvas in &vault.canvases {
        for file in &canvas.files {
            if let Some((_, new)) = new_path_of(resolve_vault_path(vault, &file.file)) {
                changes
                    .entry(canvas.path.clone())
                    .or_default()
                    .push(TextChange {
                        span: file.span,
                        new_text: json_escaped(new),
                    });
            }
        }
        for card in &canvas.links {
            let target = resolve_canvas_link(vault, &canvas.path, &card.link).target;
            if let Some((id, new)) = new_path_of(target) {
                let old = &vault.note(id).path;
                let text =
                    retarget_written(vault, &canvas.path, &card.written, card.link.kind, old, new);
                changes
                    .entry(canvas.path.clone())
                    .or_default()
                    .push(TextChange {
                        span: card.link.target_span,
                        new_text: json_escaped(&text),
                    });
            }
        }
    }
}

/// The repair of a `broken-link` finding at `span` of a canvas: a `file` node or a text
/// card's link whose note git or the history trace knows was renamed points to it.
pub(super) fn repair_canvas_link(
    cx: &FixContext<'_>,
    canvas: &Canvas,
    span: Span,
) -> Result<Fix, String> {
    let renamed = |target: &str| {
        cx.moves
            .and_then(|m| m.renamed_note(cx.vault, target))
            .ok_or_else(|| {
                "neither git nor the history trace knows a rename of it (twin repairs canvases only by renames)".to_string()
            })
    };
    let (new_text, to) = if let Some(file) = canvas.files.iter().find(|f| f.span == span) {
        let id = renamed(&file.file)?;
        let path = &cx.vault.note(id).path;
        (json_escaped(path), path)
    } else if let Some(card) = canvas.links.iter().find(|l| l.link.target_span == span) {
        // A relative markdown target names a path from the canvas's folder.
        let target = card.link.target(&canvas.text);
        let from_root = (card.link.kind == LinkKind::Markdown && target.starts_with('.'))
            .then(|| join_relative(parent_folder(&canvas.path), target))
            .flatten();
        let id = renamed(from_root.as_deref().unwrap_or(target))?;
        let path = &cx.vault.note(id).path;
        let text = retarget_written(
            cx.vault,
            &canvas.path,
            &card.written,
            card.link.kind,
            path,
            path,
        );
        (json_escaped(&text), path)
    } else {
        return Err("the finding is no longer in the canvas".into());
    };
    Ok(Fix {
        title: format!("Change canvas link to {to} (renamed)"),
        ops: vec![FileOp::Edit {
            path: canvas.path.clone(),
            changes: vec![TextChange { span, new_text }],
        }],
        preferred: true,
    })
}

/// `text` as the inside of a JSON string, escaped as Obsidian's `JSON.stringify` does.
fn json_escaped(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::Fixture;
    use crate::fix::rename::rename_note;
    use crate::fix::{FileOp, FixContext, KnownMoves, PlanOptions, apply_changes, plan_fixes};

    const VAULT: &str = r#"
//- Home.md
[[Old name]]
//- Old name.md
# Old name
//- sub/Board.canvas
{
	"nodes":[
		{"id":"a","type":"file","file":"Old name.md","x":0},
		{"id":"b","type":"text","text":"See [[Old name#Old name|it]],\n\u00e9 [x](../Old%20name.md) and `[[Old name]]`","x":1},
		{"id":"c","type":"file","file":"Home.md","x":2}
	]
}
"#;

    /// Applies the edits of `ops` to the canvas at `path`.
    fn canvas_after(f: &Fixture, ops: &[FileOp], path: &str) -> String {
        let canvas = f.analysis.vault.canvas(path).unwrap();
        let changes: Vec<_> = ops
            .iter()
            .filter_map(|op| match op {
                FileOp::Edit { path: p, changes } if **p == *path => Some(changes.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        apply_changes(&canvas.text, &changes)
    }

    #[test]
    fn renaming_a_note_rewrites_canvas_nodes_and_card_links_and_nothing_else() {
        let f = Fixture::parse(VAULT);
        let a = &f.analysis;
        let id = a.vault.note_by_path("Old name.md").unwrap();
        let fix = rename_note(&a.vault, &a.graph, id, "New \"quoted\" name").unwrap();
        let before = &a.vault.canvas("sub/Board.canvas").unwrap().text;
        let after = canvas_after(&f, &fix.ops, "sub/Board.canvas");
        let expected = before
            .replace(
                r#""file":"Old name.md""#,
                r#""file":"New \"quoted\" name.md""#,
            )
            .replace(
                "[[Old name#Old name|it]]",
                r#"[[New \"quoted\" name#Old name|it]]"#,
            )
            .replace("(../Old%20name.md)", r#"(../New%20\"quoted\"%20name.md)"#);
        assert_eq!(after, expected);
        // The edited canvas is still JSON, and its links reach the new name.
        let value: serde_json::Value = serde_json::from_str(&after).unwrap();
        assert_eq!(value["nodes"][0]["file"], "New \"quoted\" name.md");
    }

    #[test]
    fn twin_fix_repoints_canvas_links_to_a_renamed_note() {
        // The note was renamed outside twin (git, the file manager): the canvas is broken.
        let f = Fixture::parse(&VAULT.replace("//- Old name.md", "//- Renamed.md"));
        let a = &f.analysis;
        let findings: Vec<_> = a
            .check(None)
            .into_iter()
            .filter(|d| d.code == "broken-link" && d.path.ends_with(".canvas"))
            .collect();
        assert_eq!(findings.len(), 3, "{findings:?}");
        let mut moves = KnownMoves::default();
        moves.add("Old name.md", "Renamed.md");
        let cx = FixContext::from_analysis(a).with_moves(&moves);
        let plan = plan_fixes(&cx, &findings, PlanOptions::default());
        assert!(plan.unfixable.is_empty(), "{:?}", plan.unfixable);
        let crate::fix::FileChange::Edit { text, .. } = &plan.files[0] else {
            panic!("an edit");
        };
        let before = &a.vault.canvas("sub/Board.canvas").unwrap().text;
        let expected = before
            .replace(r#""file":"Old name.md""#, r#""file":"Renamed.md""#)
            .replace("[[Old name#Old name|it]]", "[[Renamed#Old name|it]]")
            .replace("(../Old%20name.md)", "(../Renamed.md)");
        assert_eq!(*text, expected);
        // Without a known rename, nothing is guessed.
        let cx = FixContext::from_analysis(a);
        let plan = plan_fixes(&cx, &findings, PlanOptions::default());
        assert_eq!(plan.unfixable.len(), 3);
        assert!(plan.files.is_empty());
    }
}
