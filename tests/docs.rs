//! The documentation cannot go stale: every `console` sample in README.md and `docs/` is run
//! with the real binary and compared; configuration and trace samples are loaded by it;
//! every rule code and every flag of every `--help` must appear on its page; and every
//! relative link must lead to a file and heading that exist. The rule pages' examples are
//! checked by `tests/docs_rules.rs`.

mod docs_support;

use std::collections::BTreeSet;

use docs_support::{Page, matches, pages, root, shell_words, twin};

/// Where each subcommand is documented; a new subcommand needs a page here.
const SUBCOMMAND_PAGES: &[(&str, &str)] = &[
    ("check", "docs/check.md"),
    ("fix", "docs/fix.md"),
    ("graph", "docs/graph.md"),
    ("search", "docs/search.md"),
    ("history", "docs/history.md"),
    ("rules", "docs/rules.md"),
    ("select", "docs/queries.md"),
    ("lsp", "docs/editors.md"),
    ("report", "docs/report.md"),
    ("daily", "docs/writing.md"),
];

/// Code block languages a page may use. Output belongs in `console` blocks (run and
/// compared); `json` blocks are trace lines (loaded); the rest are inputs or synopses.
const LANGUAGES: &[&str] = &[
    "console", "text", "sh", "markdown", "toml", "yaml", "json", "lua", "elisp", "kak", "rust",
];

fn page<'a>(pages: &'a [Page], name: &str) -> &'a Page {
    pages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} is missing"))
}

#[test]
fn console_samples_match_the_binary() {
    let cache = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    let mut ran = 0;
    for page in pages(&root()) {
        for block in page.blocks().into_iter().filter(|b| b.lang == "console") {
            let mut samples: Vec<(String, Vec<String>)> = Vec::new();
            for line in &block.body {
                if let Some(command) = line.strip_prefix("$ ") {
                    samples.push((command.to_string(), Vec::new()));
                } else if let Some((_, output)) = samples.last_mut() {
                    output.push(line.clone());
                } else {
                    failures.push(format!(
                        "{}:{}: a console sample must start with `$ twin …`",
                        page.name, block.line
                    ));
                }
            }
            for (command, expected) in samples {
                let words = shell_words(&command);
                if words.first().map(String::as_str) != Some("twin") {
                    failures.push(format!(
                        "{}:{}: `{command}`: only `twin` commands can be checked",
                        page.name, block.line
                    ));
                    continue;
                }
                let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
                let out = twin(&args, cache.path());
                ran += 1;
                let actual = String::from_utf8_lossy(&out.stdout);
                let expected = expected.join("\n");
                if !matches(&expected, &actual) {
                    failures.push(format!(
                        "{}:{}: `{command}` prints something else.\n--- the page says:\n{expected}\n--- twin prints:\n{actual}--- stderr:\n{}",
                        page.name,
                        block.line,
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
            }
        }
    }
    assert!(ran >= 10, "only {ran} console samples were found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn code_blocks_say_what_they_are() {
    let mut failures = Vec::new();
    for page in pages(&root()) {
        for block in page.blocks() {
            if !LANGUAGES.contains(&block.lang.as_str()) {
                failures.push(format!(
                    "{}:{}: a code block of language `{}`: use one of {LANGUAGES:?} (output samples are `console` blocks, run by this test)",
                    page.name, block.line, block.lang
                ));
            } else if block.lang == "json" && !block.body.iter().all(|l| l.starts_with("{\"ts\":"))
            {
                failures.push(format!(
                    "{}:{}: a `json` block that is not trace lines: write output as a `console` sample (`$ twin … --format json`) so that it is checked",
                    page.name, block.line
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn configuration_samples_load() {
    let mut failures = Vec::new();
    let mut loaded = 0;
    for page in pages(&root()) {
        for block in page.blocks().into_iter().filter(|b| b.lang == "toml") {
            let Some(file) = block.body.first().and_then(|l| l.strip_prefix("# ")) else {
                continue;
            };
            let file = file.split_whitespace().next().unwrap_or_default();
            if !file.starts_with(".twin/") {
                continue;
            }
            let vault = tempfile::tempdir().expect("temp dir");
            let path = vault.path().join(file);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            std::fs::write(&path, block.body.join("\n")).expect("write the sample");
            let out = twin(
                &["rules", vault.path().to_str().expect("UTF-8")],
                vault.path(),
            );
            loaded += 1;
            if !out.status.success() || !out.stderr.is_empty() {
                failures.push(format!(
                    "{}:{}: twin does not accept this {file}:\n{}",
                    page.name,
                    block.line,
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(
        loaded >= 3,
        "only {loaded} configuration samples were found"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn trace_samples_are_events() {
    let mut failures = Vec::new();
    for page in pages(&root()) {
        for block in page.blocks().into_iter().filter(|b| b.lang == "json") {
            let vault = tempfile::tempdir().expect("temp dir");
            std::fs::create_dir_all(vault.path().join(".twin")).expect("mkdir");
            let trace = block.body.join("\n") + "\n";
            std::fs::write(vault.path().join(".twin/trace.jsonl"), trace).expect("write");
            let dir = vault.path().to_str().expect("UTF-8");
            let out = twin(&["history", dir, "--format", "json"], vault.path());
            let events = serde_json::from_slice::<serde_json::Value>(&out.stdout)
                .ok()
                .and_then(|v| v["events"].as_array().map(Vec::len));
            if events != Some(block.body.len()) || !out.stderr.is_empty() {
                failures.push(format!(
                    "{}:{}: twin does not read these {} trace lines as events:\n{}{}",
                    page.name,
                    block.line,
                    block.body.len(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The long flags of a `--help` text.
fn flags(help: &str) -> BTreeSet<String> {
    help.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = match line.strip_prefix('-') {
                Some(short) if !short.starts_with('-') => line.split_once(", ")?.1,
                _ => line,
            };
            let flag = line.strip_prefix("--")?;
            let name: String = flag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            (!name.is_empty() && name != "help" && name != "version").then(|| format!("--{name}"))
        })
        .collect()
}

/// The subcommands `twin --help` lists.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Whether `text` holds `word` not followed by more of a flag's characters.
fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        !text[at + word.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

#[test]
fn every_flag_is_documented() {
    let cache = tempfile::tempdir().expect("temp dir");
    let pages = pages(&root());
    let help = String::from_utf8(twin(&["--help"], cache.path()).stdout).expect("UTF-8");
    let subs = subcommands(&help);
    assert!(subs.len() >= 8, "no subcommands in:\n{help}");
    let mut failures = Vec::new();
    for sub in &subs {
        let Some((_, name)) = SUBCOMMAND_PAGES.iter().find(|(s, _)| s == sub) else {
            failures.push(format!(
                "`twin {sub}` has no page: add it to SUBCOMMAND_PAGES in tests/docs.rs and document it"
            ));
            continue;
        };
        let text = &page(&pages, name).text;
        if !mentions(text, &format!("twin {sub}")) {
            failures.push(format!("{name} never names `twin {sub}`"));
        }
        let sub_help = twin(&[sub, "--help"], cache.path());
        for flag in flags(&String::from_utf8_lossy(&sub_help.stdout)) {
            if !mentions(text, &flag) {
                failures.push(format!("`{flag}` of `twin {sub} --help` is not in {name}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_is_in_the_rules_table() {
    let cache = tempfile::tempdir().expect("temp dir");
    let empty = tempfile::tempdir().expect("temp dir");
    let listed = twin(
        &["rules", empty.path().to_str().expect("UTF-8")],
        cache.path(),
    );
    let listed = String::from_utf8(listed.stdout).expect("UTF-8");
    let pages = pages(&root());
    let table = &page(&pages, "docs/rules.md").text;
    let mut failures = Vec::new();
    let mut codes = 0;
    for line in listed.lines() {
        let mut columns = line.split("  ").map(str::trim).filter(|c| !c.is_empty());
        let (Some(code), Some(level)) = (columns.next(), columns.next()) else {
            continue;
        };
        codes += 1;
        let row = format!("| [`{code}`](rules/{code}.md) | {level} |");
        if !table.lines().any(|l| l.starts_with(&row)) {
            failures.push(format!(
                "docs/rules.md has no row `{row} … |` for `{code}` (as `twin rules` lists it)"
            ));
        }
    }
    assert!(
        codes >= 20,
        "`twin rules` listed only {codes} rules:\n{listed}"
    );
    // The table is one table: a blank line inside it would cut it in two.
    let rows: Vec<usize> = table
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("| [`"))
        .map(|(i, _)| i)
        .collect();
    if rows.windows(2).any(|w| w[1] != w[0] + 1) {
        failures.push("docs/rules.md: the rules table is cut by a line that is not a row".into());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn relative_links_lead_somewhere() {
    let root = root();
    let pages = pages(&root);
    let mut failures = Vec::new();
    for page in &pages {
        let dir = page.path.parent().expect("a folder");
        for (line, target) in page.links() {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = match target.split_once('#') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (target.as_str(), None),
            };
            let path = if file.is_empty() {
                page.path.clone()
            } else {
                dir.join(file)
            };
            if !path.exists() {
                failures.push(format!("{}:{line}: `{target}`: no such file", page.name));
                continue;
            }
            let Some(anchor) = anchor else { continue };
            let Ok(path) = path.canonicalize() else {
                continue;
            };
            let Some(linked) = pages
                .iter()
                .find(|p| p.path.canonicalize().ok().as_ref() == Some(&path))
            else {
                continue;
            };
            if !linked.anchors().iter().any(|a| a == anchor) {
                failures.push(format!(
                    "{}:{line}: `{target}`: {} has no heading with the anchor `#{anchor}`",
                    page.name, linked.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every key a Helix sample in the docs sets has the value the shipped
/// `editors/helix/languages.toml` gives it, so copying either gives the same server.
#[test]
fn helix_samples_match_the_shipped_file() {
    fn leaves(prefix: &str, value: &toml::Value, out: &mut Vec<(String, toml::Value)>) {
        match value {
            toml::Value::Table(table) => {
                for (key, value) in table {
                    leaves(&format!("{prefix}.{key}"), value, out);
                }
            }
            toml::Value::Array(items) if items.iter().all(toml::Value::is_table) => {
                for (i, item) in items.iter().enumerate() {
                    leaves(&format!("{prefix}[{i}]"), item, out);
                }
            }
            _ => out.push((prefix.to_owned(), value.clone())),
        }
    }
    let shipped_text = std::fs::read_to_string(root().join("editors/helix/languages.toml"))
        .expect("editors/helix/languages.toml");
    let shipped: toml::Value = toml::from_str(&shipped_text).expect("the shipped file parses");
    let mut shipped_leaves = Vec::new();
    leaves("", &shipped, &mut shipped_leaves);
    let mut failures = Vec::new();
    let mut seen = 0;
    for page in pages(&root()) {
        for block in page.blocks().into_iter().filter(|b| b.lang == "toml") {
            if !block
                .body
                .first()
                .is_some_and(|l| l.contains("helix/languages.toml"))
            {
                continue;
            }
            seen += 1;
            let sample: toml::Value = match toml::from_str(&block.body.join("\n")) {
                Ok(value) => value,
                Err(err) => {
                    failures.push(format!("{}:{}: {err}", page.name, block.line));
                    continue;
                }
            };
            let mut sample_leaves = Vec::new();
            leaves("", &sample, &mut sample_leaves);
            for (key, value) in sample_leaves {
                if !shipped_leaves.contains(&(key.clone(), value.clone())) {
                    failures.push(format!(
                        "{}:{}: `{key} = {value}` is not what editors/helix/languages.toml says",
                        page.name, block.line
                    ));
                }
            }
        }
    }
    assert!(seen >= 1, "no Helix sample found in the docs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
