//! The writing aids at the completion handler's edge: callout types, names not written
//! yet, block and heading search, daily notes, as the items a client receives.

use tower_lsp_server::gen_lsp_types::*;

use super::Harness;
use crate::lsp::handlers;

/// The items answered at the fixture's cursor, as `label [description] => new text`.
fn complete(fixture: &str) -> Vec<String> {
    let h = Harness::new(fixture);
    items(&h)
        .iter()
        .map(|i| {
            let text = match &i.text_edit {
                Some(CompletionItemTextEdit::TextEdit(e)) => e.new_text.clone(),
                _ => String::new(),
            };
            let description = i
                .label_details
                .as_ref()
                .and_then(|d| d.description.as_deref())
                .map(|d| format!(" [{d}]"))
                .unwrap_or_default();
            format!("{}{description} => {text}", i.label)
        })
        .collect()
}

fn items(h: &Harness) -> Vec<CompletionItem> {
    let params = CompletionParams {
        text_document_position_params: h.position(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
        context: None,
    };
    match handlers::completion::completion(&h.snap, params).unwrap() {
        Some(CompletionResponse::CompletionItemList(items)) => items,
        Some(CompletionResponse::CompletionList(list)) => list.items,
        None => Vec::new(),
    }
}

#[test]
fn callout_types_complete_after_the_quote_marker() {
    let got = complete("//- A.md\n> [!ti$0\n");
    assert_eq!(
        got[..3],
        ["tip => tip]", "tip- => tip]-", "tip+ => tip]+"],
        "{got:#?}"
    );
}

#[test]
fn unresolved_names_come_after_every_existing_note() {
    let got = complete(
        "//- A.md\n[[Pla$0\n//- B.md\n[[Plan]] [[Plans for later]]\n//- Plan.md\n//- Plantain.md\n",
    );
    assert_eq!(
        got,
        [
            "Plan => [[Plan]]",
            "Plantain => [[Plantain]]",
            "Plans for later [unresolved] => [[Plans for later]]",
        ]
    );
}

#[test]
fn a_block_without_an_id_comes_with_the_command_that_writes_one() {
    let h = Harness::new("//- A.md\n[[^^quick$0\n//- Gems.md\nThe quick gem.\n\n> quick quote\n");
    let got: Vec<(String, Option<serde_json::Value>)> = items(&h)
        .into_iter()
        .map(|i| {
            let args = i.command.map(|c| {
                assert_eq!(c.command, "twin.server.addBlockId");
                let mut args = c.arguments.unwrap();
                // The id is random: keep its shape.
                let text = args[2].as_str().unwrap().to_owned();
                let id = text.trim().trim_start_matches('^').to_owned();
                assert_eq!(id.len(), 6, "{text:?}");
                args[2] = serde_json::Value::String(text.replace(&id, "ID"));
                args[0] = serde_json::Value::String(h.show(&args[0]));
                serde_json::Value::Array(args)
            });
            (i.label, args)
        })
        .collect();
    assert_eq!(
        serde_json::to_value(&got).unwrap(),
        serde_json::json!([
            ["The quick gem.", ["\"/Gems.md\"", {"line": 0, "character": 14}, " ^ID"]],
            ["quick quote", ["\"/Gems.md\"", {"line": 2, "character": 13}, "\n\n^ID"]],
        ])
    );
}

#[test]
fn day_words_complete_to_the_daily_note_link() {
    let got = complete("//- A.md\n[[yesterd$0\n");
    assert_eq!(got.len(), 1, "{got:#?}");
    let yesterday = jiff::Zoned::now().date().yesterday().unwrap().to_string();
    assert_eq!(got[0], format!("yesterday => [[{yesterday}]]"));
}
