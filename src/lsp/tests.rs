//! The request handlers in-process: a fixture vault becomes a [`Snapshot`], a request's
//! params are built from the fixture's `$0`, and the answer is checked in LSP terms (UTF-16
//! positions, URIs). No process, no transport: what `tests/lsp_*.rs` check end to end through
//! the real binary, these check at the handler's edge.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::gen_lsp_types::*;

use super::convert::to_proto;
use super::handlers;
use super::snapshot::{Snapshot, WorkspaceSnapshot};
use super::state::ClientCaps;
use crate::analysis::fixture::Fixture;
use crate::text::ColumnEncoding;

struct Harness {
    fixture: Fixture,
    snap: Snapshot,
}

impl Harness {
    fn new(text: &str) -> Harness {
        let fixture = Fixture::parse(text);
        let root = fixture.analysis.vault.root.clone();
        let ws = WorkspaceSnapshot {
            roots: vec![root].into(),
            model: Arc::new(fixture.analysis.clone()),
            indexed: true,
            open_uris: Arc::default(),
            live: Arc::default(),
        };
        let caps = ClientCaps {
            document_changes: true,
            create_files: true,
            rename_files: true,
            delete_files: true,
            hierarchical_symbols: true,
            markdown_hover: true,
            ..ClientCaps::default()
        };
        let snap = Snapshot {
            encoding: ColumnEncoding::Utf16,
            caps: Arc::new(caps),
            workspaces: vec![ws],
            versions: Arc::default(),
        };
        Harness { fixture, snap }
    }

    fn uri(&self, path: &str) -> Uri {
        self.snap.workspaces[0].uri_of(path)
    }

    /// The cursor's document and position, as a client would send them.
    fn position(&self) -> TextDocumentPositionParams {
        let (id, offset) = self.fixture.cursor();
        let note = self.fixture.analysis.vault.note(id);
        let span = crate::text::Span::empty(offset);
        let range = to_proto::note_range(note, span, ColumnEncoding::Utf16);
        TextDocumentPositionParams {
            text_document: TextDocumentIdentifier::new(self.uri(&note.path)),
            position: range.start,
        }
    }

    /// A JSON answer (keys sorted) with the fixture's root URI shortened to `/`.
    fn show(&self, value: impl serde::Serialize) -> String {
        let root = self.uri("");
        let value = serde_json::to_value(&value).expect("answers serialize");
        let text = value.to_string();
        text.replace(root.as_ref() as &str, "/")
    }
}

const VAULT: &str = "
//- Home.md
# Home
See [[Note#Part]] and [[Note]].
//- Note.md
# Note
## Part
Text with ünïcödé before [[Home]].
";

fn at(marker: &str) -> Harness {
    let i = VAULT.find(marker).expect("marker in the vault");
    Harness::new(&format!("{}$0{}", &VAULT[..i], &VAULT[i..]))
}

#[test]
fn definition_answers_a_location_in_utf16() {
    let h = at("Part]]");
    let params = DefinitionParams {
        text_document_position_params: h.position(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    let answer = handlers::definition::definition(&h.snap, params).unwrap();
    assert_eq!(
        h.show(answer),
        r#"{"range":{"end":{"character":7,"line":1},"start":{"character":0,"line":1}},"uri":"/Note.md"}"#
    );
}

#[test]
fn references_count_utf16_columns_after_non_ascii_text() {
    let h = at("See");
    let params = ReferenceParams {
        text_document_position_params: h.position(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
        context: ReferenceContext {
            include_declaration: false,
        },
    };
    let answer = handlers::references::references(&h.snap, params).unwrap();
    // `ünïcödé` is 7 UTF-16 units (and 11 bytes): the link starts at column 25.
    assert_eq!(
        h.show(answer),
        r#"[{"range":{"end":{"character":33,"line":2},"start":{"character":25,"line":2}},"uri":"/Note.md"}]"#
    );
}

#[test]
fn hover_is_markdown_when_the_client_reads_it() {
    let h = at("Part]]");
    let params = HoverParams {
        text_document_position_params: h.position(),
        work_done_progress_params: Default::default(),
    };
    let answer = handlers::hover::hover(&h.snap, params)
        .unwrap()
        .expect("a hover");
    let value: Value = serde_json::from_str(&h.show(&answer)).unwrap();
    assert_eq!(value["contents"]["kind"], "markdown");
    assert_eq!(
        value["contents"]["value"],
        "`Note.md` › **Part**\n\n## Part\nText with ünïcödé before [[Home]].\n\n---\n1 link to this heading"
    );
    assert_eq!(
        value["range"],
        json!({"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 17}})
    );
}

#[test]
fn code_lenses_carry_the_references_command() {
    let h = at("# Note");
    let params = CodeLensParams {
        text_document: TextDocumentIdentifier::new(h.uri("Note.md")),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    let lenses = handlers::code_lens::code_lens(&h.snap, params)
        .unwrap()
        .unwrap();
    let titles: Vec<String> = lenses
        .iter()
        .map(|l| l.command.as_ref().unwrap().title.clone())
        .collect();
    assert_eq!(titles, ["2 references", "0 references", "1 reference"]);
    let command = lenses[2].command.as_ref().unwrap();
    assert_eq!(command.command, handlers::code_lens::SHOW_REFERENCES);
    assert_eq!(
        h.show(&command.arguments),
        r#"["/Note.md",{"character":0,"line":1},[{"range":{"end":{"character":17,"line":1},"start":{"character":4,"line":1}},"uri":"/Home.md"}]]"#
    );
}

#[test]
fn document_symbols_nest_headings() {
    let h = at("# Note");
    let params = DocumentSymbolParams {
        text_document: TextDocumentIdentifier::new(h.uri("Note.md")),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    let answer = handlers::symbols::document_symbol(&h.snap, params).unwrap();
    let Some(DocumentSymbolResponse::DocumentSymbolList(symbols)) = answer else {
        panic!("nested symbols for a client that reads them: {answer:?}");
    };
    let names: Vec<(String, Vec<String>)> = symbols
        .iter()
        .map(|s| {
            let children = s.children.iter().flatten().map(|c| c.name.clone());
            (s.name.clone(), children.collect())
        })
        .collect();
    assert_eq!(names, [("Note".to_owned(), vec!["Part".to_owned()])]);
}

#[test]
fn a_file_outside_every_workspace_gets_no_answer() {
    let h = at("# Note");
    let params = HoverParams {
        text_document_position_params: TextDocumentPositionParams {
            text_document: TextDocumentIdentifier::new(to_proto::file_uri(std::path::Path::new(
                "/elsewhere/Note.md",
            ))),
            position: Position::new(0, 0),
        },
        work_done_progress_params: Default::default(),
    };
    assert_eq!(handlers::hover::hover(&h.snap, params).unwrap(), None);
}

#[test]
fn completion_replaces_what_was_typed_after_the_brackets() {
    let h = Harness::new("//- Home.md\nSee [[No$0\n//- Note.md\n# Note\n");
    let params = CompletionParams {
        text_document_position_params: h.position(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
        context: None,
    };
    let answer = handlers::completion::completion(&h.snap, params).unwrap();
    let items = match answer {
        Some(CompletionResponse::CompletionItemList(items)) => items,
        Some(CompletionResponse::CompletionList(list)) => list.items,
        None => panic!("completion after `[[`"),
    };
    let note = items
        .iter()
        .find(|i| i.label == "Note")
        .expect("Note offered");
    let value: Value = serde_json::from_str(&h.show(&note.text_edit)).unwrap();
    // The item replaces the brackets and what was typed, and closes the link.
    assert_eq!(value["newText"], "[[Note]]");
    assert_eq!(
        value["range"],
        json!({"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 8}})
    );
}

#[test]
fn renaming_a_heading_rewrites_the_links_to_it() {
    let h = at("## Part");
    let params = RenameParams {
        text_document_position_params: h.position(),
        new_name: "Section".to_owned(),
        work_done_progress_params: Default::default(),
    };
    let edit = handlers::rename::rename(&h.snap, params)
        .unwrap()
        .expect("an edit");
    let value: Value = serde_json::from_str(&h.show(&edit)).unwrap();
    // The heading itself, and only the heading part of the link to it.
    let edit_in = |uri: &str| {
        value["documentChanges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["textDocument"]["uri"].as_str().unwrap().ends_with(uri))
            .map(|c| c["edits"].clone())
            .unwrap_or_else(|| panic!("an edit in {uri}: {value}"))
    };
    let range = |line, start, end| {
        json!([{"newText": "Section", "range": {
            "start": {"line": line, "character": start},
            "end": {"line": line, "character": end}}}])
    };
    assert_eq!(edit_in("/Note.md"), range(1, 3, 7));
    assert_eq!(edit_in("/Home.md"), range(1, 11, 15));
}

#[test]
fn heading_completion_writes_the_heading_as_obsidian_suggests_it() {
    let h = Harness::new(
        "//- Home.md\nSee [[Note#Se$0\n//- Note.md\n# Note\n## Setup: **Linux** (x86) [[Other|o]]\n",
    );
    let params = CompletionParams {
        text_document_position_params: h.position(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
        context: None,
    };
    let items = match handlers::completion::completion(&h.snap, params).unwrap() {
        Some(CompletionResponse::CompletionItemList(items)) => items,
        Some(CompletionResponse::CompletionList(list)) => list.items,
        None => panic!("completion after `[[Note#`"),
    };
    let inserted: Vec<Value> = items
        .iter()
        .map(|i| serde_json::from_str::<Value>(&h.show(&i.text_edit)).unwrap()["newText"].clone())
        .collect();
    // The heading as written, markup kept, with what a link cannot hold (`:`, `[`, `|`)
    // as spaces: Obsidian's suggester writes it so.
    assert_eq!(inserted, vec![json!("Setup **Linux** (x86) Other o")]);
}

#[test]
fn renaming_a_heading_follows_links_that_match_it_only_once_sanitized() {
    let h = Harness::new(
        "//- Home.md\nSee [[Note#Part one]] and [[Note#part (one)]].\n//- Note.md\n# Note\n## Pa$0rt (one)\n",
    );
    let params = RenameParams {
        text_document_position_params: h.position(),
        new_name: "Section: two".to_owned(),
        work_done_progress_params: Default::default(),
    };
    let edit = handlers::rename::rename(&h.snap, params)
        .unwrap()
        .expect("an edit");
    let value: Value = serde_json::from_str(&h.show(&edit)).unwrap();
    let home = value["documentChanges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["textDocument"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("/Home.md")
        })
        .map(|c| c["edits"].clone())
        .expect("links in Home.md rewritten");
    let texts: Vec<&Value> = home
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["newText"])
        .collect();
    // Both links, each rewritten to the new heading without the `:` a link cannot hold.
    assert_eq!(texts, vec![&json!("Section two"), &json!("Section two")]);
}

/// Text of brackets, link syntax and whitespace that is not ASCII (no-break space, em
/// space, ideographic space, line separator, next line): every request at every
/// position is answered without an error (issue 19, item 6: a byte index derived from a
/// character class landed inside U+00A0).
fn answers_everywhere(text: &str) {
    let h = Harness::new(&format!(
        "//- Home.md\n{text}\n//- Other Note.md\n# Other\n## Part ^blk\n"
    ));
    let vault = &h.fixture.analysis.vault;
    let id = vault.note_by_path("Home.md").expect("Home.md");
    let note = vault.note(id);
    let uri = h.uri("Home.md");
    for offset in (0..=note.text.len()).filter(|&o| note.text.is_char_boundary(o)) {
        let span = crate::text::Span::empty(offset);
        let position = to_proto::note_range(note, span, ColumnEncoding::Utf16).start;
        let at = TextDocumentPositionParams {
            text_document: TextDocumentIdentifier::new(uri.clone()),
            position,
        };
        let what = format!("{text:?} at {offset}");
        let completion = CompletionParams {
            text_document_position_params: at.clone(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
            context: None,
        };
        assert!(
            handlers::completion::completion(&h.snap, completion).is_ok(),
            "{what}"
        );
        let hover = HoverParams {
            text_document_position_params: at.clone(),
            work_done_progress_params: Default::default(),
        };
        assert!(handlers::hover::hover(&h.snap, hover).is_ok(), "{what}");
        let definition = DefinitionParams {
            text_document_position_params: at.clone(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        };
        assert!(
            handlers::definition::definition(&h.snap, definition).is_ok(),
            "{what}"
        );
        assert!(
            handlers::rename::prepare_rename(&h.snap, at.clone()).is_ok(),
            "{what}"
        );
        let actions = CodeActionParams {
            text_document: at.text_document.clone(),
            range: Range::new(position, position),
            context: CodeActionContext::default(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        };
        assert!(
            handlers::code_action::code_action(&h.snap, actions).is_ok(),
            "{what}"
        );
    }
}

#[test]
fn completion_after_non_ascii_whitespace() {
    for ws in ["\u{a0}", "\u{2003}", "\u{3000}", "\u{2028}", "\u{85}"] {
        answers_everywhere(&format!("{ws}["));
        answers_everywhere(&format!("{ws}#ta"));
        answers_everywhere(&format!("a{ws}[[Oth{ws}"));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, failure_persistence: None, ..Default::default() })]

    #[test]
    fn requests_near_non_ascii_whitespace_are_answered(pieces in proptest::collection::vec(
        proptest::sample::select(vec![
            "\u{a0}", "\u{2003}", "\u{3000}", "\u{2028}", "\u{85}", "[", "[[", "]]", "#", "](",
            "[^", "^", "|", "a", "é", "🦀", "\r", "\r\n", " ", ",", "Other Note",
        ]),
        0..10,
    )) {
        answers_everywhere(&pieces.concat());
    }
}

#[test]
fn a_client_announcing_resource_operations_gets_document_changes() {
    // Neovim 0.7 announces renames and creations but not `documentChanges`, which is
    // the only way to send them; it applies them.
    let caps: ClientCapabilities = serde_json::from_value(json!({
        "workspace": {"workspaceEdit": {"resourceOperations": ["rename", "create", "delete"]}}
    }))
    .unwrap();
    let caps = super::capabilities::client(&caps);
    assert!(caps.document_changes && caps.rename_files && caps.create_files);
    let plain: ClientCapabilities =
        serde_json::from_value(json!({"workspace": {"workspaceEdit": {}}})).unwrap();
    assert!(!super::capabilities::client(&plain).document_changes);
}

mod inlay;
mod pull;
mod refactor;
mod writing;

/// The quick fixes at the fixture's cursor, as (title, preferred).
fn quick_fixes_at(text: &str) -> Vec<(String, bool)> {
    let h = Harness::new(text);
    let at = h.position();
    let params = CodeActionParams {
        text_document: at.text_document,
        range: Range::new(at.position, at.position),
        context: CodeActionContext::default(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    let answer = handlers::code_action::code_action(&h.snap, params)
        .unwrap()
        .unwrap_or_default();
    answer
        .into_iter()
        .filter_map(|action| match action {
            CodeActionResponse::CodeAction(a) => Some((a.title, a.is_preferred == Some(true))),
            CodeActionResponse::Command(_) => None,
        })
        .collect()
}

const NEAR_MISSES: &str = "
//- Home.md
See [[Gide]], [[Guide#Instal]] and [[User  Manual]].
//- Guide.md
# Guide
## Install
//- User Manual.md
# User Manual
";

fn fixes_at(marker: &str) -> Vec<(String, bool)> {
    let i = NEAR_MISSES.find(marker).expect("marker in the vault");
    quick_fixes_at(&format!("{}$0{}", &NEAR_MISSES[..i], &NEAR_MISSES[i..]))
}

#[test]
fn a_guessed_target_is_offered_but_never_preferred() {
    // `Gide` is one letter from `Guide`: a guess (`twin fix --unsafe`), which an editor's
    // automatic "apply the preferred fix" must not take.
    let owned = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(t, p)| (t.to_string(), *p)).collect()
    };
    assert_eq!(
        fixes_at("Gide]]"),
        owned(&[
            ("Create note Gide.md", false),
            ("Change link to Guide.md", false)
        ])
    );
    assert_eq!(
        fixes_at("Instal]]"),
        owned(&[
            ("Change heading to Install", false),
            ("Add heading Instal to Guide.md", false)
        ])
    );
    // Spacing aside, `User  Manual` names exactly one note: the safe repair is preferred.
    let safe = fixes_at("User  Manual]]");
    assert_eq!(safe[0], ("Change link to User Manual.md".to_string(), true));
    assert_eq!(safe.iter().filter(|(_, p)| *p).count(), 1, "{safe:?}");
}
