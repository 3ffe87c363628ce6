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
