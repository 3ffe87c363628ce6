//! `textDocument/inlayHint` at the handler's edge: positions in UTF-16 after each link.

use tower_lsp_server::gen_lsp_types::*;

use super::Harness;
use crate::lsp::handlers;

#[test]
fn hints_follow_block_references_and_relations_declared_elsewhere() {
    let h = Harness::new(
        "//- Home.md
---
up: \"[[Top]]\"
---
$0ünï [[Note#^blk]] and [[Top]].
//- Note.md
The block's own words, more than six of them here. ^blk
//- Top.md
",
    );
    let params = InlayHintParams {
        text_document: h.position().text_document,
        range: Range::new(Position::new(0, 0), Position::new(9, 0)),
        work_done_progress_params: Default::default(),
    };
    let hints = handlers::inlay_hint::inlay_hint(&h.snap, params)
        .unwrap()
        .unwrap();
    // Columns in UTF-16: `ünï ` is four units.
    insta::assert_snapshot!(h.show(&hints), @r#"[{"label":"The block's own words, more than…","paddingLeft":true,"position":{"character":17,"line":3},"tooltip":"the block this reference points to"},{"label":"↑","paddingLeft":true,"position":{"character":29,"line":3},"tooltip":"upstream (declared elsewhere)"}]"#);
}

#[test]
fn the_setting_turns_hints_off_and_on() {
    let mut settings = crate::lsp::state::Settings::default();
    assert!(settings.inlay_hints);
    settings.update(&serde_json::json!({"twin": {"inlayHints": {"enable": false}}}));
    assert!(!settings.inlay_hints);
    settings.update(&serde_json::json!({"history": {"record": true}}));
    assert!(!settings.inlay_hints, "an unrelated setting keeps it");
    settings.update(&serde_json::json!({"inlayHints": {"enable": true}}));
    assert!(settings.inlay_hints);
}
