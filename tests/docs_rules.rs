//! Each rule's page (`docs/rules/<code>.md`, also what `twin rules --explain` prints) is
//! true: its summary and default level are the rule's, it has the sections a reader looks
//! for, its example that fires makes the real binary report exactly the findings the page
//! shows, and its example that does not fire makes it report none.
//!
//! An example is a few files, each a code block whose first line names it: `<!-- Note.md -->`
//! (`<!-- Note.md, when it was anchored -->` for the version the history anchored,
//! `<!-- Note.md, saved as Latin-1 -->` for a file in that encoding) or `# .twin/config.toml`.
//! The findings follow in a `text` block, one `path:line:column: severity[code]: message` a
//! line (`[..]` stands for any text). `TWIN_DOCS_UPDATE=1` rewrites those blocks from what
//! twin reports.

mod docs_support;

use std::path::Path;

use docs_support::{Block, Page, line_matches, pages, root, twin};

const SECTIONS: &[&str] = &[
    "## What it checks",
    "## Example that fires",
    "## Example that does not fire",
    "## Options",
];

/// One file of an example.
struct File {
    path: String,
    text: String,
    anchored: bool,
    latin1: bool,
}

fn files(page: &Page, blocks: &[&Block]) -> Result<Vec<File>, String> {
    let mut files = Vec::new();
    for block in blocks.iter().filter(|b| b.lang != "text") {
        let first = block.body.first().map(String::as_str).unwrap_or_default();
        let name = first
            .strip_prefix("<!-- ")
            .and_then(|n| n.strip_suffix(" -->"))
            .or_else(|| first.strip_prefix("# "))
            .ok_or_else(|| {
                format!(
                    "{}:{}: an example's block must start by naming its file (`<!-- Note.md -->` or `# .twin/config.toml`)",
                    page.name, block.line
                )
            })?;
        let (path, note) = name.split_once(", ").unwrap_or((name, ""));
        let mut text = block.body[1..].join("\n");
        text.push('\n');
        files.push(File {
            path: path.to_string(),
            text,
            anchored: note == "when it was anchored",
            latin1: note == "saved as Latin-1",
        });
    }
    Ok(files)
}

fn write(vault: &Path, file: &File) {
    let path = vault.join(&file.path);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    let bytes: Vec<u8> = if file.latin1 {
        file.text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
            .collect()
    } else {
        file.text.clone().into_bytes()
    };
    std::fs::write(path, bytes).expect("write an example file");
}

/// Builds the example's vault, records the anchored versions first when there are any, and
/// returns the findings of `code` as the page writes them.
fn findings(code: &str, files: &[File]) -> Vec<String> {
    let vault = tempfile::tempdir().expect("temp dir");
    let cache = tempfile::tempdir().expect("temp dir");
    let dir = vault.path().to_str().expect("UTF-8");
    if files.iter().any(|f| f.anchored) {
        for file in files
            .iter()
            .filter(|f| f.anchored || f.path.starts_with('.'))
        {
            write(vault.path(), file);
        }
        let recorded = twin(
            &["check", dir, "--record", "--fail-on", "never"],
            cache.path(),
        );
        assert!(
            recorded.status.success(),
            "{code}: recording the anchor failed"
        );
    }
    for file in files.iter().filter(|f| !f.anchored) {
        write(vault.path(), file);
    }
    let out = twin(
        &["check", dir, "--format", "json", "--fail-on", "never"],
        cache.path(),
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "{code}: twin check failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            format!(
                "{}:{}:{}: {}[{code}]: {}",
                d["path"].as_str().unwrap_or_default(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// The blocks under a section heading, up to the next one.
fn section<'a>(blocks: &'a [Block], heading: &str) -> Vec<&'a Block> {
    let title = heading.trim_start_matches("## ");
    blocks.iter().filter(|b| b.section == title).collect()
}

/// The rule's summary and default level, as `twin rules` lists them.
fn listed() -> Vec<(String, String, String)> {
    let empty = tempfile::tempdir().expect("temp dir");
    let out = twin(
        &["rules", empty.path().to_str().expect("UTF-8")],
        empty.path(),
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .filter_map(|line| {
            let mut columns = line.split("  ").map(str::trim).filter(|c| !c.is_empty());
            let code = columns.next()?.to_string();
            let level = columns.next()?.to_string();
            let _source = columns.next()?;
            let summary = columns.collect::<Vec<_>>().join("  ");
            Some((code, level, summary))
        })
        .collect()
}

#[test]
fn rule_pages_are_the_rules() {
    let rules = listed();
    assert!(rules.len() >= 20, "`twin rules` listed {}", rules.len());
    let pages = pages(&root());
    let mut failures = Vec::new();
    for (code, level, summary) in &rules {
        let name = format!("docs/rules/{code}.md");
        let Some(page) = pages.iter().find(|p| p.name == name) else {
            failures.push(format!("`{code}` has no page {name}"));
            continue;
        };
        let mut paragraphs = page.text.split("\n\n");
        let (title, first) = (paragraphs.next(), paragraphs.next());
        if title != Some(format!("# {code}").as_str()) {
            failures.push(format!("{name} must start with `# {code}`"));
        }
        if first.map(|p| p.replace('\n', " ")).as_deref() != Some(summary.as_str()) {
            failures.push(format!(
                "{name}: the first paragraph must be the rule's summary, as `twin rules` prints it:\n{summary}"
            ));
        }
        if !page.text.contains(&format!("Default level: `{level}`.")) {
            failures.push(format!("{name} must say \"Default level: `{level}`.\""));
        }
        for heading in SECTIONS {
            if !page.text.lines().any(|l| l == *heading) {
                failures.push(format!("{name} has no section `{heading}`"));
            }
        }
    }
    for page in pages.iter().filter(|p| p.name.starts_with("docs/rules/")) {
        let code = page.name["docs/rules/".len()..].trim_end_matches(".md");
        if !rules.iter().any(|(c, _, _)| c == code) {
            failures.push(format!("{}: `twin rules` has no rule `{code}`", page.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rule_examples_fire_and_do_not_fire() {
    let update = std::env::var_os("TWIN_DOCS_UPDATE").is_some();
    let mut failures = Vec::new();
    for page in pages(&root())
        .iter()
        .filter(|p| p.name.starts_with("docs/rules/"))
    {
        let code = page.name["docs/rules/".len()..].trim_end_matches(".md");
        let blocks = page.blocks();
        let fires = section(&blocks, SECTIONS[1]);
        let quiet = section(&blocks, SECTIONS[2]);
        let checked = files(page, &fires).and_then(|fire| Ok((fire, files(page, &quiet)?)));
        let (fire, quiet) = match checked {
            Ok(files) => files,
            Err(err) => {
                failures.push(err);
                continue;
            }
        };
        let Some(expected) = fires.iter().find(|b| b.lang == "text") else {
            failures.push(format!(
                "{}: the example that fires needs its findings in a `text` block",
                page.name
            ));
            continue;
        };
        if fire.is_empty() || quiet.is_empty() {
            failures.push(format!("{}: an example has no files", page.name));
            continue;
        }
        let got = findings(code, &fire);
        let matched = got.len() == expected.body.len()
            && expected
                .body
                .iter()
                .zip(&got)
                .all(|(want, got)| line_matches(want, got));
        if !matched {
            if update {
                rewrite(page, expected, &got);
            }
            failures.push(format!(
                "{}:{}: the example that fires reports something else.\n--- the page says:\n{}\n--- twin reports:\n{}",
                page.name,
                expected.line,
                expected.body.join("\n"),
                got.join("\n")
            ));
        }
        let silent = findings(code, &quiet);
        if !silent.is_empty() {
            failures.push(format!(
                "{}: the example that does not fire fires:\n{}",
                page.name,
                silent.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Replaces the lines of a findings block with what twin reports, keeping the lines whose
/// wildcards still match.
fn rewrite(page: &Page, block: &Block, got: &[String]) {
    let kept: Vec<String> = got
        .iter()
        .enumerate()
        .map(|(i, line)| match block.body.get(i) {
            Some(want) if line_matches(want, line) => want.clone(),
            _ => line.clone(),
        })
        .collect();
    let mut lines: Vec<&str> = page.text.lines().collect();
    let start = block.line; // The first line after the fence, 0-based.
    lines.splice(
        start..start + block.body.len(),
        kept.iter().map(String::as_str),
    );
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(&page.path, text).expect("rewrite the page");
}
