//! End-to-end tests of query rules in `twin lsp`: their findings on notes, updated on
//! edit, and a broken rule file reported on the file itself while the other rules work.

mod lsp_support;

use lsp_support::{Client, codes, file_uri};
use serde_json::json;

const GOOD: &str = "[[rule]]\ncode = \"needs-description\"\nmessage = \"a note says what it is\"\nrequire.properties = [\"description\"]\n";
const BAD: &str = "[[rule]]\ncode = \"needs-tags\"\nmessage = \"a note has tags\"\nrequire.propertees = [\"tags\"]\n";
const FIXED: &str = "[[rule]]\ncode = \"needs-tags\"\nmessage = \"a note has tags\"\nrequire.properties = [\"tags\"]\n";

#[test]
fn a_broken_rule_file_gets_a_diagnostic_and_the_other_rules_keep_working() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".twin/queries")).unwrap();
    std::fs::write(root.join(".twin/queries/good.toml"), GOOD).unwrap();
    std::fs::write(root.join(".twin/queries/bad.toml"), BAD).unwrap();
    std::fs::write(root.join("Note.md"), "# Note\nText, see [[Other]].\n").unwrap();
    std::fs::write(root.join("Other.md"), "# Other\nBack to [[Note]].\n").unwrap();
    let mut c = Client::ready(root);

    let bad_uri = file_uri(&root.join(".twin/queries/bad.toml"));
    let on_file = c.diagnostics(&bad_uri, |d| !d.as_array().unwrap().is_empty());
    assert_eq!(codes(&on_file), ["rule-file"]);
    assert_eq!(on_file[0]["range"]["start"]["line"], 3);
    let message = on_file[0]["message"].as_str().unwrap();
    assert!(message.contains("unknown field `propertees`"), "{message}");

    let note_uri = c.uri("Note.md");
    let note = c.diagnostics(&note_uri, |d| !d.as_array().unwrap().is_empty());
    assert_eq!(codes(&note), ["needs-description"]);

    // Fixing the file on disk clears its diagnostic and brings its rule into effect.
    std::fs::write(root.join(".twin/queries/bad.toml"), FIXED).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": bad_uri, "type": 2}]}),
    );
    c.diagnostics(&bad_uri, |d| d.as_array().unwrap().is_empty());
    let note = c.diagnostics(&note_uri, |d| codes(d).len() == 2);
    assert_eq!(codes(&note), ["needs-description", "needs-tags"]);

    // An edit that satisfies a rule clears its finding.
    let uri = c.open("Note.md", None);
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "text": "---\ndescription: a note\n---\n"}]}));
    let note = c.diagnostics(&note_uri, |d| codes(d).len() == 1);
    assert_eq!(codes(&note), ["needs-tags"]);
    assert!(c.shutdown().success());
}
