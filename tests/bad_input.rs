//! Hostile and broken input through the real binary: each yields a finding or a clean
//! skip and the right exit code; none panics or hangs.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Run, run_twin};

/// Generous for debug builds on two cores; a hang or a quadratic blow-up exceeds it.
// Debug builds on two busy cores take ~10 s for the 5 MB note; a hang or a quadratic
// blow-up (which took minutes before the line-index checkpoints) still exceeds this.
const LIMIT: Duration = Duration::from_secs(120);

fn vault_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn check_json(dir: &Path) -> (Run, serde_json::Value) {
    let run = run_twin(
        &["check", "--format", "json", &dir.to_string_lossy()],
        LIMIT,
    );
    assert!(
        !run.stderr.contains("panicked"),
        "twin panicked: {}",
        run.stderr
    );
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}\n{}", run.stdout, run.stderr));
    (run, json)
}

/// The codes found, without `orphan-note`: these one- and two-note vaults are all orphans.
fn codes(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .filter(|code| code != "orphan-note")
        .collect()
}

#[test]
fn invalid_utf8_is_read_as_text_with_one_finding() {
    let dir = vault_with(&[
        ("bad.md", b"caf\xe9 [[good]]\n"),
        ("good.md", b"# Good\nSee [[bad]].\n"),
    ]);
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, Some(1));
    // One finding on the file; its link and the link to it both resolve.
    assert_eq!(codes(&json), ["file-unreadable"]);
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("UTF-8"), "{message}");
    assert_eq!(json["notes"], 2);
}

#[test]
fn a_note_holding_nul_bytes_is_read_as_text() {
    let dir = vault_with(&[
        ("blob.md", b"# Blob\n\x00\x01\x02\x03PNG\x00 [[other]]\n"),
        ("other.md", b"Back to [[blob#Blob]].\n"),
    ]);
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, Some(1));
    assert_eq!(codes(&json), ["file-unreadable"]);
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("NUL byte at byte 7"), "{message}");
}

#[test]
fn bom_and_crlf_are_read_like_any_note() {
    let dir = vault_with(&[
        (
            "a.md",
            "\u{feff}---\r\ntitle: A\r\n---\r\n# A\r\n\r\nSee [[b#Part Two]].\r\n".as_bytes(),
        ),
        ("b.md", b"# B\r\n\r\n## Part Two\r\n"),
    ]);
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, Some(0), "{json}");
    assert!(codes(&json).is_empty());
}

#[test]
fn crlf_positions_are_exact() {
    let dir = vault_with(&[("a.md", b"# A\r\n\r\nx [[Missing]]\r\n")]);
    let (_, json) = check_json(dir.path());
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "broken-link")
        .expect("a broken-link finding");
    assert_eq!(d["code"], "broken-link");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(d["end_column"].as_u64(), Some(12));
}

#[test]
fn five_megabyte_single_line() {
    let mut text = String::from("# Big\n");
    while text.len() < 5 * 1024 * 1024 {
        text.push_str("word [[Big]] #tag more words ");
    }
    text.push_str("[[Nowhere]]");
    let dir = vault_with(&[("Big.md", text.as_bytes())]);
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, Some(1));
    assert!(codes(&json).contains(&"broken-link".to_string()));
}

#[test]
fn ten_thousand_nested_lists_and_quotes() {
    let mut lists = String::new();
    let mut quotes = String::new();
    for depth in 0..10_000 {
        lists.push_str(&" ".repeat(depth.min(200) * 2));
        lists.push_str("- item [[Missing]]\n");
        quotes.push_str(&">".repeat(depth + 1));
        quotes.push_str(" quote\n");
    }
    let deep_quote = format!("{}[[Also Missing]]\n", ">".repeat(10_000));
    let dir = vault_with(&[
        ("lists.md", lists.as_bytes()),
        ("quotes.md", quotes.as_bytes()),
        ("deep.md", deep_quote.as_bytes()),
    ]);
    let (run, _) = check_json(dir.path());
    assert_eq!(run.code, Some(1));
}

#[test]
fn link_with_ten_thousand_hashes() {
    let text = format!(
        "# A\n\n[[A{}]]\n[[{}\n",
        "#".repeat(10_000),
        "#".repeat(10_000)
    );
    let dir = vault_with(&[("A.md", text.as_bytes())]);
    let (run, _) = check_json(dir.path());
    assert!(matches!(run.code, Some(0) | Some(1)));
}

#[test]
fn frontmatter_that_is_not_a_mapping() {
    let dir = vault_with(&[("a.md", b"---\n- one\n- two\n---\n# A\n")]);
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, Some(1));
    assert_eq!(codes(&json), ["frontmatter-invalid"]);
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let bomb = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n---\n# Bomb\n";
    let dir = vault_with(&[("bomb.md", bomb.as_bytes())]);
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, Some(1));
    assert_eq!(codes(&json), ["frontmatter-invalid"]);
    assert!(run.elapsed < Duration::from_secs(10), "{:?}", run.elapsed);
}

#[test]
fn empty_vault_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, Some(0));
    assert_eq!(json["notes"], 0);
}

#[cfg(unix)]
#[test]
fn symlink_loop_and_link_out_of_the_vault() {
    let outside = vault_with(&[("secret.md", b"# Secret\n")]);
    let dir = vault_with(&[("a.md", b"# A\n\n[[secret]]\n")]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, Some(1));
    // The note outside the vault is never read, so the link to it stays broken.
    assert_eq!(codes(&json), ["broken-link"]);
    assert_eq!(json["notes"], 1);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = vault_with(&[("locked.md", b"# Locked\n"), ("open.md", b"# Open\n")]);
    let locked = dir.path().join("locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Root reads anything; the permission case cannot be produced here.
        eprintln!("skipping: running with permission to read mode-000 files");
        return;
    }
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, Some(1));
    assert_eq!(codes(&json), ["file-unreadable"]);
}
