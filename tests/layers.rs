//! Keeps the top-level modules of `src/` a stack: each module's non-test code may name only
//! the modules listed before it in ARCHITECTURE.md's layer list (rust-analyzer keeps such
//! checks in its tidy tests). The list is read from the document itself, so the map and the
//! code cannot disagree.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The line that opens the layer list in ARCHITECTURE.md, and the fence that closes it.
const LIST_START: &str = "```layers";
const LIST_END: &str = "```";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The layer order written in ARCHITECTURE.md, lowest first: one module name per line,
/// each line's first word (the rest is a comment).
fn documented_order() -> Vec<String> {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let start = text
        .lines()
        .position(|l| l.trim() == LIST_START)
        .expect("ARCHITECTURE.md has a ```layers block");
    text.lines()
        .skip(start + 1)
        .take_while(|l| l.trim() != LIST_END)
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The modules `src/lib.rs` declares.
fn declared_modules() -> BTreeSet<String> {
    let lib = fs::read_to_string(root().join("src/lib.rs")).expect("src/lib.rs");
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect()
}

/// The source text of a module that is not test code: files under a `tests` folder, files
/// named `tests.rs` or `*_tests.rs`, and inline `#[cfg(test)] mod …` blocks (which by
/// convention close a file) are left out.
fn non_test_text(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    if name == "tests.rs" || name.ends_with("_tests.rs") {
        return None;
    }
    let src = root().join("src");
    let inside = path.strip_prefix(&src).unwrap_or(path);
    if inside.components().any(|c| c.as_os_str() == "tests") {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    Some(text[..inline_tests_start(&text).unwrap_or(text.len())].to_owned())
}

/// Where an inline test module (`#[cfg(test)]` then `mod name {`) starts; a `mod tests;`
/// declaration is not one, and the code after it still counts.
fn inline_tests_start(text: &str) -> Option<usize> {
    text.match_indices("#[cfg(test)]\n")
        .map(|(at, _)| at)
        .find(|&at| {
            let next = text[at..].lines().nth(1).unwrap_or("").trim_start();
            let item = next.strip_prefix("pub(crate) ").unwrap_or(next);
            item.starts_with("mod ") && item.trim_end().ends_with('{')
        })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules `text` names through `crate::…` (`crate::a::B`, `crate::{a, b}`).
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in text.match_indices("crate::") {
        // `twin::crate::` cannot occur; `$crate::` in macros names this crate too.
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = ident(item.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Every arrow from a module to one at or above its own layer, as `from → to (file)`.
fn violations(order: &[String], sources: &[(String, PathBuf, String)]) -> Vec<String> {
    let rank = |m: &str| order.iter().position(|o| o == m);
    let mut found = Vec::new();
    for (module, file, text) in sources {
        let Some(own) = rank(module) else {
            continue;
        };
        for named in named_modules(text) {
            match rank(&named) {
                Some(other) if other >= own && named != *module => {
                    found.push(format!("{module} → {named} ({})", file.display()));
                }
                _ => {}
            }
        }
    }
    found
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let order = documented_order();
    let declared = declared_modules();
    let listed: BTreeSet<String> = order.iter().cloned().collect();
    assert_eq!(
        listed, declared,
        "ARCHITECTURE.md's layer list and src/lib.rs must name the same modules"
    );
    let mut sources = Vec::new();
    for module in &order {
        let mut files = Vec::new();
        let dir = root().join("src").join(module);
        rust_files(&dir, &mut files);
        let single = root().join("src").join(format!("{module}.rs"));
        if single.exists() {
            files.push(single);
        }
        assert!(!files.is_empty(), "module {module} has no files");
        for file in files {
            if let Some(text) = non_test_text(&file) {
                let shown = file.strip_prefix(root()).unwrap_or(&file).to_path_buf();
                sources.push((module.clone(), shown, text));
            }
        }
    }
    let found = violations(&order, &sources);
    assert!(
        found.is_empty(),
        "imports against the layer order of ARCHITECTURE.md:\n{}",
        found.join("\n")
    );
}

#[test]
fn an_upward_import_is_reported() {
    let order: Vec<String> = ["text", "note", "rules"].map(String::from).to_vec();
    let source = |module: &str, text: &str| {
        (
            module.to_owned(),
            PathBuf::from(format!("src/{module}/x.rs")),
            text.to_owned(),
        )
    };
    let sources = [
        source("text", "use crate::note::Note;\n"),
        source("note", "use crate::{text::Span, rules::Rule};\n"),
        source("rules", "use crate::note::Note;\nuse crate::text::Span;\n"),
    ];
    assert_eq!(
        violations(&order, &sources),
        [
            "text → note (src/text/x.rs)",
            "note → rules (src/note/x.rs)"
        ]
    );
}

#[test]
fn test_code_is_left_out() {
    let text = "#[cfg(test)]\nmod tests;\nuse crate::note::Note;\n\n#[cfg(test)]\nmod tests {\n    use crate::rules::X;\n}\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.rs");
    fs::write(&file, text).unwrap();
    let kept = non_test_text(&file).unwrap();
    assert_eq!(named_modules(&kept), BTreeSet::from(["note".to_owned()]));
    let tests = dir.path().join("tests");
    fs::create_dir(&tests).unwrap();
    fs::write(tests.join("b.rs"), "use crate::rules::X;\n").unwrap();
    assert_eq!(non_test_text(&tests.join("b.rs")), None);
}
