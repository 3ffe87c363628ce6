//! End to end through `twin lsp`: the writing aids (issue 23). A `[[^^` completion
//! searches every block of the vault; choosing a block without an id runs the item's
//! command, and the server asks the client to write the id with `workspace/applyEdit`.

mod lsp_support;

use lsp_support::{Client, copy_fixture, full_capabilities, redact};
use serde_json::{Value, json};

/// The completion items at the end of `line`, typed on a new last line of Home.md.
fn complete(c: &mut Client, line: &str) -> Vec<Value> {
    let root = c.root.clone().unwrap();
    let text = std::fs::read_to_string(root.join("Home.md")).unwrap() + line;
    let uri = c.open("Home.md", Some(&text));
    let last = text.lines().count() - 1;
    let character = line.encode_utf16().count();
    let answer = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": last, "character": character}}),
    );
    answer["items"].as_array().cloned().unwrap_or_default()
}

#[test]
fn block_search_gives_the_chosen_block_an_id_through_apply_edit() {
    let dir = copy_fixture("writing");
    let root = dir.path();
    let mut c = Client::ready(root);
    let items = complete(&mut c, "See [[^^gemmy works");
    let item = items
        .iter()
        .find(|i| i["label"].as_str().unwrap().starts_with("Gemmy works"))
        .unwrap_or_else(|| panic!("the paragraph is offered: {items:#?}"));
    // The id is random: name it before the snapshot.
    let id = item["detail"]
        .as_str()
        .unwrap()
        .rsplit('^')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 6);
    let shown = |v: &Value| -> Value {
        let text = redact(v, root).to_string().replace(&id, "ID");
        serde_json::from_str(&text).unwrap()
    };
    insta::assert_json_snapshot!("block_item", shown(item));

    let command = &item["command"];
    let answer = c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    // This test client refuses edits; the request is what counts.
    assert_eq!(answer, json!({"applied": false}));
    let apply = c
        .server_requests
        .iter()
        .find(|r| r["method"] == "workspace/applyEdit")
        .expect("the server asks to apply the edit");
    insta::assert_json_snapshot!("block_id_edit", shown(&apply["params"]));
    c.shutdown();
}

#[test]
fn heading_search_and_callouts_and_unresolved_names() {
    let dir = copy_fixture("writing");
    let root = dir.path();
    let mut c = Client::ready(root);
    let labels = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .take(6)
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    };
    let headings = complete(&mut c, "[[## gem");
    assert_eq!(labels(&headings), ["Gems", "Gem care"]);
    assert_eq!(
        headings[1]["textEdit"]["newText"], "[[Gems#Gem care]]",
        "{headings:#?}"
    );
    let callouts = complete(&mut c, "> [!rec");
    assert_eq!(labels(&callouts)[..3], ["recipe", "recipe-", "recipe+"]);
    let names = complete(&mut c, "[[Some");
    assert_eq!(names[0]["label"], "Someday");
    assert_eq!(names[0]["labelDetails"]["description"], "unresolved");
    c.shutdown();
}

#[test]
fn open_daily_note_creates_the_note_from_the_template_once() {
    let dir = copy_fixture("writing");
    let root = dir.path();
    let mut c = Client::ready(root);
    let open = |c: &mut Client| {
        c.request(
            "workspace/executeCommand",
            json!({"command": "twin.openDailyNote", "arguments": ["2031-01-04"]}),
        )
    };
    let first = open(&mut c);
    insta::assert_json_snapshot!("open_daily_note", redact(&first, root));
    let path = root.join("Daily/2031-01-04.md");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# 2031-01-04\n\n## Log\n"
    );
    std::fs::write(&path, "kept").unwrap();
    assert_eq!(open(&mut c)["created"], false);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
    // An existing day's note is found where the settings put it.
    let items = complete(&mut c, "[[yesterd");
    assert_eq!(items[0]["label"], "yesterday", "{items:#?}");
    c.shutdown();
}

#[test]
fn turning_inlay_hints_off_asks_the_editor_for_them_again() {
    let dir = copy_fixture("writing");
    let root = dir.path();
    std::fs::write(root.join("Ref.md"), "See [[Gems#^blk]].\n").unwrap();
    std::fs::write(root.join("Gems.md"), "A gem of a block. ^blk\n").unwrap();
    let mut caps = full_capabilities();
    caps["workspace"]["inlayHint"] = json!({"refreshSupport": true});
    let mut c = Client::start(Some(root), caps, json!({}));
    c.wait_indexed();
    let uri = c.open("Ref.md", None);
    let hints = |c: &mut Client| {
        let range =
            json!({"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}});
        c.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": range}),
        )
    };
    assert_eq!(hints(&mut c)[0]["label"], "A gem of a block.");
    let refreshes = |c: &Client| {
        c.server_requests
            .iter()
            .filter(|r| r["method"] == "workspace/inlayHint/refresh")
            .count()
    };
    let settings = |on: bool| json!({"settings": {"twin": {"inlayHints": {"enable": on}}}});
    c.notify("workspace/didChangeConfiguration", settings(false));
    assert_eq!(hints(&mut c), Value::Null);
    for _ in 0..100 {
        if refreshes(&c) == 1 {
            break;
        }
        // Any request reads the server's messages until its own answer.
        hints(&mut c);
    }
    assert_eq!(refreshes(&c), 1, "the editor is asked to drop the hints");
    // The same setting again changes nothing: no refresh.
    c.notify("workspace/didChangeConfiguration", settings(false));
    c.notify("workspace/didChangeConfiguration", settings(true));
    assert_eq!(hints(&mut c)[0]["label"], "A gem of a block.");
    for _ in 0..100 {
        if refreshes(&c) == 2 {
            break;
        }
        hints(&mut c);
    }
    assert_eq!(refreshes(&c), 2);
    c.shutdown();
}
