//! Markdown links: relative and rooted paths, the wikilink fallback, leaving the vault.

use super::support::*;

#[test]
fn decoded_spaces_relative_and_rooted() {
    // The parser decodes `My%20Note.md` to `My Note.md` before resolution.
    let v = vault(
        vec![
            note("docs/My Note.md"),
            note("docs/index.md"),
            note("root.md"),
        ],
        &[],
    );
    let found = Some("docs/My Note.md".to_owned());
    assert_eq!(target(&v, "docs/index.md", &md("My Note.md")), found);
    assert_eq!(target(&v, "docs/index.md", &md("./My Note.md")), found);
    assert_eq!(
        target(&v, "docs/index.md", &md("../docs/My Note.md")),
        found
    );
    assert_eq!(target(&v, "root.md", &md("/docs/My Note.md")), found);
    assert_eq!(target(&v, "docs/index.md", &md("/docs/My Note.md")), found);
    assert_eq!(target(&v, "root.md", &md("docs/My Note.md")), found);
    assert_eq!(target(&v, "root.md", &md("docs/My Note")), found);
}

#[test]
fn relative_path_beats_vault_path_and_root_slash_beats_folder() {
    let v = vault(
        vec![note("Note.md"), note("a/Note.md"), note("a/x.md")],
        &[],
    );
    // Markdown links are relative first; wikilinks take the vault path first.
    assert_eq!(
        target(&v, "a/x.md", &md("Note.md")).as_deref(),
        Some("a/Note.md")
    );
    assert_eq!(
        target(&v, "a/x.md", &wiki("Note")).as_deref(),
        Some("Note.md")
    );
    assert_eq!(
        target(&v, "a/x.md", &md("/Note.md")).as_deref(),
        Some("Note.md")
    );
    assert_eq!(
        target(&v, "a/x.md", &md("../Note.md")).as_deref(),
        Some("Note.md")
    );
}

#[test]
fn falls_back_to_the_wikilink_algorithm() {
    let v = vault(
        vec![note("en/Sync/Security.md"), note("other/x.md")],
        &["assets/pic.png"],
    );
    let r = resolve(&v, "other/x.md", &md("Security.md"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("en/Sync/Security.md"));
    assert!(!r.outside_vault());
    assert_eq!(
        target(&v, "other/x.md", &md("Sync/Security.md")).as_deref(),
        Some("en/Sync/Security.md")
    );
    assert_eq!(
        target(&v, "other/x.md", &md("pic.png")).as_deref(),
        Some("assets/pic.png")
    );
    // A `./` path is explicit: no fallback.
    assert_eq!(target(&v, "other/x.md", &md("./Security.md")), None);
    assert_eq!(target(&v, "other/x.md", &md("Missing.md")), None);
}

#[test]
fn climbing_out_of_the_vault_is_broken() {
    let v = vault(vec![note("a/x.md"), note("passwd.md")], &["etc/passwd"]);
    for raw in ["../../etc/passwd", "../../passwd.md", "/../etc/passwd"] {
        let r = resolve(&v, "a/x.md", &md(raw));
        assert_eq!(r.target, None, "{raw}");
        assert!(r.outside_vault(), "{raw}");
    }
    // One level up from a/ is the vault root: inside.
    let r = resolve(&v, "a/x.md", &md("../etc/passwd"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("etc/passwd"));
    assert!(!r.outside_vault());
}
