//! Fuzz target: a note of arbitrary text added to a small vault (duplicate names in two
//! folders, aliases, Cyrillic and emoji names, headings, blocks, an attachment); every
//! link resolves without panicking to something that exists, and the rules and the
//! coherence model run on the result.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use twin::analysis::Analysis;
use twin::note::parse_note;
use twin::resolve::{AnchorResolution, LinkTarget, build_link_graph};
use twin::vault::Vault;

const NOTES: &[(&str, &str)] = &[
    ("Home.md", "# Home\n\nSee [[Dup]] and [[a/Dup#Top]] and [[Заметка]].\n"),
    ("a/Dup.md", "# Top\n\ntext ^blk1\n\n## Nested\n### Deeper\n"),
    ("b/Dup.md", "---\naliases: [Twin, Близнец]\ntags: [x/y]\n---\n# Other\n"),
    ("Заметка.md", "# Заголовок\n\n- item ^list-1\n"),
    ("emoji 🎉 note.md", "# 🎉 Party #tag\n\n> quote ^q\n"),
    ("deep/er/Leaf 100%.md", "[[../../Home]] [x](../../Home.md#Home)\n"),
];

fn base() -> &'static Vault {
    static BASE: OnceLock<Vault> = OnceLock::new();
    BASE.get_or_init(|| {
        let notes = NOTES
            .iter()
            .map(|(path, text)| Arc::new(parse_note((*path).into(), (*text).into())))
            .collect();
        let vault = Vault::from_parts(
            "/nonexistent-fuzz-vault".into(),
            notes,
            vec!["img/pic.png".into()],
            Vec::new(),
        );
        vault
    })
}

fuzz_target!(|data: &[u8]| {
    let base = base();
    let text = String::from_utf8_lossy(data);
    let mut vault = base.clone();
    let id = vault.upsert_note(Arc::new(parse_note("a/fuzz.md".into(), text.as_ref().into())));
    let graph = build_link_graph(&vault);
    for (note, resolutions) in vault.notes.iter().zip(&graph.resolutions) {
        assert_eq!(note.links.len(), resolutions.len());
        for resolution in resolutions {
            match resolution.target {
                Some(LinkTarget::Note(to)) => {
                    let target = vault.note(to);
                    match resolution.anchor {
                        AnchorResolution::Heading(h) => assert!(h < target.headings.len()),
                        AnchorResolution::Block(b) => assert!(b < target.block_ids.len()),
                        _ => {}
                    }
                }
                Some(LinkTarget::Attachment(a)) => assert!((a.0 as usize) < vault.attachments.len()),
                None => {}
            }
            for candidate in &resolution.candidates {
                assert!((candidate.0 as usize) < vault.notes.len());
            }
        }
    }
    assert_eq!(vault.note(id).path.as_ref(), "a/fuzz.md");
    let analysis = Analysis::from_vault(vault, Arc::default());
    let vault = &analysis.vault;
    let diagnostics = analysis.check(None);
    for d in &diagnostics {
        let note = vault.note_by_path(&d.path);
        if let Some(note) = note {
            assert!(d.span.end as usize <= vault.note(note).text.len());
        }
    }
});
