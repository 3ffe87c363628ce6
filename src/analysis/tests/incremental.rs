//! The incremental update must equal a rebuild after every change, and report every
//! note whose findings changed.

use std::collections::HashMap;
use std::sync::Arc;

use proptest::prelude::*;

use crate::analysis::{Analysis, Change};
use crate::diagnostic::Diagnostic;
use crate::note::{VaultPath, parse_note};
use crate::resolve::build_link_graph;
use crate::vault::{SkippedFile, Vault, parse_canvas};

const NAMES: &[&str] = &["Alpha", "Beta", "gamma", "Delta", "Ёлка"];
const FOLDERS: &[&str] = &["", "a/", "b/c/"];
const HEADINGS: &[&str] = &["Intro", "Setup", "Usage"];

fn path(folder: usize, name: usize) -> String {
    format!("{}{}.md", FOLDERS[folder], NAMES[name])
}

/// A note's text from small random choices: headings, a block id, an alias, links.
fn text_strategy() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(0..HEADINGS.len(), 0..3),
        any::<bool>(),
        proptest::option::of(0..NAMES.len()),
        proptest::collection::vec((0..NAMES.len(), 0..4usize, 0..3usize), 0..5),
    )
        .prop_map(|(headings, block, alias, links)| {
            let mut out = String::new();
            if let Some(a) = alias {
                out.push_str(&format!("---\naliases: [{}]\n---\n", NAMES[a]));
            }
            for h in headings {
                out.push_str(&format!("## {}\n\n", HEADINGS[h]));
            }
            if block {
                out.push_str("A block. ^blk\n\n");
            }
            for (name, anchor, style) in links {
                let anchor = match anchor {
                    0 => String::new(),
                    1 => format!("#{}", HEADINGS[name % HEADINGS.len()]),
                    2 => "#^blk".to_string(),
                    _ => "#Nope".to_string(),
                };
                match style {
                    0 => out.push_str(&format!("[[{}{anchor}]] ", NAMES[name])),
                    1 => out.push_str(&format!("[[b/c/{}{anchor}]] ", NAMES[name])),
                    _ => out.push_str(&format!(
                        "[x]({}.md{anchor}) ",
                        NAMES[name].replace(' ', "%20")
                    )),
                }
            }
            out.push_str("![[pic.png]]\n");
            out
        })
}

#[derive(Clone, Debug)]
enum Op {
    Upsert(usize, usize, String),
    Remove(usize, usize),
    /// The file can no longer be read.
    Skip(usize, usize),
    Attachment(bool),
    /// A canvas showing one note (by path) appears or changes; `None`: it is deleted.
    Canvas(Option<(usize, usize)>),
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..FOLDERS.len(), 0..NAMES.len(), text_strategy()).prop_map(|(f, n, t)| Op::Upsert(f, n, t)),
        1 => (0..FOLDERS.len(), 0..NAMES.len()).prop_map(|(f, n)| Op::Remove(f, n)),
        1 => (0..FOLDERS.len(), 0..NAMES.len()).prop_map(|(f, n)| Op::Skip(f, n)),
        1 => any::<bool>().prop_map(Op::Attachment),
        1 => proptest::option::of((0..FOLDERS.len(), 0..NAMES.len())).prop_map(Op::Canvas),
    ]
}

/// The change an operation other than a canvas makes.
fn one_change(op: Op) -> Change {
    match op {
        Op::Upsert(f, n, text) => {
            let p: VaultPath = path(f, n).into();
            Change::Upsert(Arc::new(parse_note(p, text.into())))
        }
        Op::Remove(f, n) => Change::Remove(path(f, n).into()),
        Op::Skip(f, n) => Change::Skip(SkippedFile {
            path: path(f, n).into(),
            reason: "cannot be read: Permission denied (os error 13)".into(),
        }),
        Op::Attachment(true) => Change::AddAttachment("pic.png".into()),
        Op::Attachment(false) => Change::RemoveAttachment("pic.png".into()),
        Op::Canvas(_) => unreachable!("handled above"),
    }
}

fn findings(model: &Analysis) -> HashMap<VaultPath, Vec<Diagnostic>> {
    model
        .vault
        .note_ids()
        .map(|id| (model.vault.note(id).path.clone(), model.check_note(id)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn incremental_equals_rebuild(ops in proptest::collection::vec(op_strategy(), 1..24)) {
        let vault = Vault::from_parts("/v".into(), Vec::new(), Vec::new(), Vec::new());
        let mut model = Analysis::from_vault(vault, Arc::default());
        for op in ops {
            let before = findings(&model);
            let vault_before = model.check_vault_wide();
            let changes = match op {
                Op::Canvas(Some((f, n))) => {
                    let text = format!(r#"{{"nodes":[{{"id":"x","type":"file","file":"{}"}}]}}"#, path(f, n));
                    let canvas = parse_canvas("board.canvas".into(), &text);
                    vec![Change::AddAttachment("board.canvas".into()), Change::Canvas(canvas)]
                }
                Op::Canvas(None) => vec![Change::RemoveAttachment("board.canvas".into())],
                op => vec![one_change(op)],
            };
            let effect = model.apply(changes);
            let rebuilt = build_link_graph(&model.vault);
            prop_assert_eq!(&model.graph, &rebuilt);
            let fresh = Analysis::from_vault(model.vault.clone(), model.rulebook.clone());
            prop_assert_eq!(findings(&model), findings(&fresh), "incremental coherence differs from a rebuild");
            let after = findings(&model);
            for (path, found) in &after {
                if before.get(path) != Some(found) {
                    prop_assert!(effect.recheck.contains(path), "{} changed but was not rechecked", path);
                }
            }
            for path in before.keys() {
                if !after.contains_key(path) {
                    prop_assert!(effect.removed.contains(path), "{} went away unreported", path);
                }
            }
            if model.check_vault_wide() != vault_before {
                prop_assert!(effect.vault_rules);
            }
        }
    }
}

#[test]
fn a_note_that_can_no_longer_be_read_still_resolves() {
    let a: VaultPath = "a.md".into();
    let b: VaultPath = "b.md".into();
    let notes = vec![
        Arc::new(parse_note(a.clone(), "[[b]] and [[b#Gone]]".into())),
        Arc::new(parse_note(b.clone(), "# B\n".into())),
    ];
    let vault = Vault::from_parts("/v".into(), notes, Vec::new(), Vec::new());
    let mut model = Analysis::from_vault(vault, Arc::default());
    model.apply(vec![Change::Skip(SkippedFile {
        path: b.clone(),
        reason: "cannot be read: Permission denied (os error 13)".into(),
    })]);
    let id = model.vault.note_by_path(&a).unwrap();
    let codes: Vec<&str> = model.check_note(id).iter().map(|d| d.code).collect();
    // Neither `broken-link` nor `broken-heading`: the file is there, unread.
    assert!(!codes.iter().any(|c| c.starts_with("broken")), "{codes:?}");
    assert_eq!(model.vault.skipped.len(), 1);
}
