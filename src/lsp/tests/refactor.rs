//! The refactoring code actions at the handler's edge: the actions offered, their edits as
//! a client receives them, and the files once a client has applied them (every byte the
//! refactoring does not move is kept).

use std::collections::BTreeMap;

use tower_lsp_server::gen_lsp_types::*;

use super::Harness;
use crate::lsp::convert::from_proto;
use crate::lsp::handlers;
use crate::text::ColumnEncoding;

fn actions(h: &Harness, only: Option<Vec<CodeActionKind>>) -> Vec<CodeAction> {
    let at = h.position();
    let params = CodeActionParams {
        text_document: at.text_document,
        range: Range::new(at.position, at.position),
        context: CodeActionContext {
            diagnostics: Vec::new(),
            only,
            trigger_kind: None,
        },
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    handlers::code_action::code_action(&h.snap, params)
        .unwrap()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| match a {
            CodeActionResponse::CodeAction(a) => Some(a),
            CodeActionResponse::Command(_) => None,
        })
        .collect()
}

/// Every note's text after a client applies `edit` in order (creations, edits, deletions).
fn apply(h: &Harness, edit: &WorkspaceEdit) -> BTreeMap<String, String> {
    let vault = &h.fixture.analysis.vault;
    let mut files: BTreeMap<String, String> = vault
        .notes
        .iter()
        .map(|n| (n.path.to_string(), n.text.to_string()))
        .collect();
    let path_of = |uri: &Uri| h.snap.workspaces[0].vault_path(uri).expect("a vault path");
    for change in edit.document_changes.as_ref().expect("documentChanges") {
        match change {
            DocumentChange::CreateFile(c) => {
                assert!(files.insert(path_of(&c.uri), String::new()).is_none());
            }
            DocumentChange::DeleteFile(d) => {
                files.remove(&path_of(&d.uri)).expect("deletes a note");
            }
            DocumentChange::RenameFile(_) => panic!("no renames"),
            DocumentChange::TextDocumentEdit(e) => {
                let path = path_of(&e.text_document.text_document_identifier.uri);
                let mut edits: Vec<(usize, usize, String)> = e
                    .edits
                    .iter()
                    .map(|edit| {
                        let Edit::TextEdit(edit) = edit else {
                            panic!("plain edits")
                        };
                        let (start, end) = match vault.note_by_path(&path) {
                            Some(id) => {
                                let note = vault.note(id);
                                let enc = ColumnEncoding::Utf16;
                                (
                                    from_proto::offset(note, edit.range.start, enc),
                                    from_proto::offset(note, edit.range.end, enc),
                                )
                            }
                            None => (0, 0),
                        };
                        (start, end, edit.new_text.clone())
                    })
                    .collect();
                edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
                let text = files.get_mut(&path).expect("an existing file");
                for (start, end, new) in edits {
                    text.replace_range(start..end, &new);
                }
            }
        }
    }
    files
}

fn show(files: &BTreeMap<String, String>) -> String {
    files
        .iter()
        .map(|(path, text)| format!("== {path}\n{text}"))
        .collect()
}

const PARENT: &str = "# Home
Intro ünï [[#Part|see below]].

## Part
Words. ^blk

## After
End.
";

fn vault(cursor_at: &str) -> Harness {
    let parent = PARENT.replacen(cursor_at, &format!("{}$0", cursor_at), 1);
    Harness::new(&format!(
        "//- Home.md\n{parent}//- Other.md\n[[Home#Part]] and [[Home#^blk]].\n"
    ))
}

#[test]
fn extract_is_offered_on_a_heading_as_a_link_and_as_an_embed() {
    let h = vault("## Pa");
    let found = actions(&h, None);
    let titles: Vec<(&str, String)> = found
        .iter()
        .map(|a| (a.title.as_str(), String::from(a.kind.clone().unwrap())))
        .collect();
    insta::assert_debug_snapshot!(titles, @r#"
    [
        (
            "Extract section to [[Part]]",
            "refactor.extract",
        ),
        (
            "Extract section to [[Part]] and embed it",
            "refactor.extract",
        ),
    ]
    "#);
    // Asked for quick fixes only, or away from a heading, nothing is offered.
    assert!(actions(&h, Some(vec![CodeActionKind::QuickFix])).is_empty());
    assert_eq!(actions(&h, Some(vec![CodeActionKind::Refactor])).len(), 2);
    assert!(actions(&vault("Words"), None).is_empty());
}

#[test]
fn extracting_writes_the_new_note_and_keeps_every_other_byte() {
    let h = vault("## Pa");
    let embed = actions(&h, None).remove(1);
    let files = apply(&h, embed.edit.as_ref().unwrap());
    insta::assert_snapshot!(show(&files), @r"
    == Home.md
    # Home
    Intro ünï [[Part|see below]].

    ![[Part]]

    ## After
    End.
    == Other.md
    [[Part]] and [[Part#^blk]].
    == Part.md
    ## Part
    Words. ^blk
    ");
    // Outside the section, only the link into it changed.
    let start = PARENT.find("## Part").unwrap();
    let end = PARENT.find("\n## After").unwrap();
    let expected = format!("{}![[Part]]\n{}", &PARENT[..start], &PARENT[end..]);
    assert_eq!(
        files["Home.md"],
        expected.replacen("[[#Part|", "[[Part|", 1)
    );
    let command = embed.command.expect("a command records the move");
    assert_eq!(command.command, handlers::refactor::RECORD_MOVE);
    let args = command.arguments.unwrap();
    assert_eq!(
        (&args[1], &args[2]),
        (&"Home.md#Part".into(), &"Part.md".into())
    );
}

#[test]
fn a_client_that_cannot_create_files_is_offered_no_extraction() {
    let mut h = vault("## Pa");
    let mut caps = (*h.snap.caps).clone();
    caps.create_files = false;
    h.snap.caps = std::sync::Arc::new(caps);
    assert!(actions(&h, None).is_empty());
}

#[test]
fn inlining_replaces_the_link_with_the_note_and_deletes_it() {
    let h = Harness::new(
        "//- Home.md\n# Home\nIntro ünï.\n\n![[Pa$0rt]]\n\n## After\n//- Part.md\n## Part\nWords. ^blk\nSee [[Part#^blk]].\n",
    );
    let found = actions(&h, Some(vec![CodeActionKind::RefactorInline]));
    let [inline] = found.as_slice() else {
        panic!("one inline action: {found:?}")
    };
    assert_eq!(inline.title, "Inline Part.md here and delete it");
    let files = apply(&h, inline.edit.as_ref().unwrap());
    insta::assert_snapshot!(show(&files), @r"
    == Home.md
    # Home
    Intro ünï.

    ## Part
    Words. ^blk
    See [[#^blk]].

    ## After
    ");
    let args = inline.command.as_ref().unwrap().arguments.clone().unwrap();
    assert_eq!(
        (&args[1], &args[2]),
        (&"Part.md".into(), &"Home.md#Part".into())
    );
    // Without file deletion, or when another note links to it, no inlining.
    let mut caps = (*h.snap.caps).clone();
    caps.delete_files = false;
    let mut h2 = Harness::new("//- Home.md\n![[Pa$0rt]]\n//- Part.md\nx\n");
    h2.snap.caps = std::sync::Arc::new(caps);
    assert!(actions(&h2, None).is_empty());
    let h3 = Harness::new("//- Home.md\n[[Pa$0rt]]\n//- Part.md\nx\n//- C.md\n[[Part]]\n");
    assert!(actions(&h3, Some(vec![CodeActionKind::RefactorInline])).is_empty());
}
