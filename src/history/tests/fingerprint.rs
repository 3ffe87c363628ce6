//! A finding keeps its fingerprint through edits elsewhere, and changes with its subject.

use super::super::fingerprint::{fingerprint, fingerprints, normalize, renamed_subject};
use super::{check, vault};
use crate::history::Finding;

fn broken_links(notes: &[(&str, &str)]) -> Vec<Finding> {
    let v = vault(std::path::Path::new("/nonexistent-vault"), notes);
    let diagnostics = check(&v);
    fingerprints(&diagnostics, &v)
        .into_iter()
        .filter(|f| f.code == "broken-link")
        .collect()
}

#[test]
fn lines_inserted_above_keep_the_fingerprint() {
    let before = broken_links(&[("A.md", "# A\n\nSee [[Missing Note]].\n")]);
    let after = broken_links(&[(
        "A.md",
        "# A\n\nA new paragraph.\n\nAnd another paragraph.\n\nSee   [[Missing Note]] here.\n",
    )]);
    assert_eq!(before.len(), 1);
    assert_eq!(after.len(), 1);
    assert_eq!(before[0].fp, after[0].fp);
    assert_eq!(before[0].subject, "Missing Note");
}

#[test]
fn a_new_target_is_a_new_finding() {
    let before = broken_links(&[("A.md", "See [[Missing Note]].\n")]);
    let after = broken_links(&[("A.md", "See [[Missing Nate]].\n")]);
    assert_ne!(before[0].fp, after[0].fp);
    let moved = broken_links(&[("B.md", "See [[Missing Note]].\n")]);
    assert_ne!(
        before[0].fp, moved[0].fp,
        "the path is part of the identity"
    );
}

#[test]
fn identical_findings_in_one_note_stay_distinct() {
    let found = broken_links(&[("A.md", "[[X]] and [[X]], then [[Y]].\n")]);
    assert_eq!(found.len(), 3);
    assert_eq!((found[0].n, found[1].n, found[2].n), (0, 1, 0));
    assert_ne!(found[0].fp, found[1].fp);
    // Removing the second X leaves the first one's identity alone.
    let fewer = broken_links(&[("A.md", "[[X]], then [[Y]].\n")]);
    assert_eq!(fewer[0].fp, found[0].fp);
    assert_eq!(fewer[1].fp, found[2].fp);
}

#[test]
fn cycles_are_identified_by_their_members() {
    let notes = [
        ("A.md", "---\nup: \"[[B]]\"\n---\nAlpha.\n"),
        ("B.md", "---\nup: \"[[C]]\"\n---\nBeta.\n"),
        ("C.md", "---\nup: \"[[A]]\"\n---\nGamma.\n"),
    ];
    let v = vault(std::path::Path::new("/nonexistent-vault"), &notes);
    let diagnostics = check(&v);
    let cycle: Vec<Finding> = fingerprints(&diagnostics, &v)
        .into_iter()
        .filter(|f| f.code == "relation-cycle")
        .collect();
    assert_eq!(cycle.len(), 3, "{diagnostics:#?}");
    for f in &cycle {
        assert_eq!(f.subject, "cycle of A.md, B.md, C.md");
    }
    assert_eq!(
        renamed_subject("relation-cycle", &cycle[0].subject, "B.md", "Z.md"),
        "cycle of A.md, C.md, Z.md"
    );
}

#[test]
fn note_level_findings_use_the_path() {
    let v = vault(
        std::path::Path::new("/nonexistent-vault"),
        &[
            ("Lonely.md", "# Lonely\n\nNo links.\n"),
            ("B.md", "[[C]]\n"),
            ("C.md", "[[B]]\n"),
        ],
    );
    let diagnostics = check(&v);
    let orphan = fingerprints(&diagnostics, &v)
        .into_iter()
        .find(|f| f.code == "orphan-note")
        .expect("Lonely.md is an orphan");
    assert_eq!(orphan.subject, "Lonely.md");
    assert_eq!(
        renamed_subject("orphan-note", "Lonely.md", "Lonely.md", "x/L.md"),
        "x/L.md"
    );
}

#[test]
fn hash_is_stable_and_subjects_normalized() {
    // Pinned: a change here orphans every recorded history and baseline.
    assert_eq!(
        fingerprint("broken-link", "a.md", "Missing", 0).to_string(),
        fingerprint("broken-link", "a.md", "Missing", 0).to_string()
    );
    assert_eq!(
        fingerprint("broken-link", "a.md", "Missing", 0)
            .to_string()
            .len(),
        12
    );
    assert_eq!(
        fingerprint("broken-link", "a.md", "Missing", 0).to_string(),
        PINNED
    );
    assert_ne!(fingerprint("ab", "c", "", 0), fingerprint("a", "bc", "", 0));
    assert_ne!(
        fingerprint("broken-link", "a.md", "Missing", 0),
        fingerprint("broken-link", "a.md", "Missing", 1)
    );
    assert_eq!(normalize("  a \n\t b  "), "a b");
    assert_eq!(normalize(&"x".repeat(500)).len(), 160);
}

const PINNED: &str = "587eaa279377";
