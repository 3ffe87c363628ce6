//! Edges, reverse indexes, reciprocity modes and incremental updates.

use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::note::parse_note;
use crate::resolve::{build_link_graph, resolve_link};

pub(crate) fn vault(notes: &[(&str, &str)]) -> Vault {
    let notes = notes
        .iter()
        .map(|(path, text)| Arc::new(parse_note((*path).into(), Arc::from(*text))))
        .collect();
    Vault::from_parts(PathBuf::from("/vault"), notes, Vec::new(), Vec::new())
}

fn id(vault: &Vault, path: &str) -> NoteId {
    vault.note_by_path(path).unwrap()
}

fn built(vault: &Vault) -> (LinkGraph, Topology) {
    let graph = build_link_graph(vault);
    let topology = Topology::build(vault, &graph, &RelationsConfig::default());
    (graph, topology)
}

/// The confirmation of the first typed edge of `from` under `mode`.
fn confirmation(topology: &Topology, from: NoteId, mode: Reciprocity) -> Confirmation {
    let edge = &topology.typed(from)[0];
    topology.confirmation(from, edge, mode)
}

#[test]
fn edges_and_reverse_indexes() {
    let v = vault(&[
        (
            "A.md",
            "---\nup: \"[[B]]\"\n---\nSee [[C]] and [[C]] and [[Missing]] and [[A]].\n",
        ),
        ("B.md", "## Downstream\n- [[A]]\n"),
        ("C.md", "Nothing.\n"),
    ]);
    let (_, t) = built(&v);
    let (a, b, c) = (id(&v, "A.md"), id(&v, "B.md"), id(&v, "C.md"));
    assert_eq!(
        t.edges(a).links,
        [b, c],
        "sorted, unique, no self, no broken"
    );
    assert_eq!(t.typed(a).len(), 1);
    assert_eq!(t.typed(a)[0].to, b);
    assert_eq!(t.linked_from(b), [a]);
    assert_eq!(t.linked_from(c), [a]);
    assert!(t.declares(b, a, Relation::Down));
    assert_eq!(
        t.typed_into(a).map(|(from, _)| from).collect::<Vec<_>>(),
        [b]
    );
    let up: Vec<_> = t.upstream_edges().map(|(c, p, _, _)| (c, p)).collect();
    assert_eq!(
        up,
        [(a, b), (a, b)],
        "A up B and B down A are the same edge"
    );
}

#[test]
fn reciprocity_modes() {
    // A: B upstream. B links to A but declares nothing. C declares D downstream; D answers.
    let v = vault(&[
        ("A.md", "up:: [[B]]\n"),
        ("B.md", "Mentions [[A]].\n"),
        ("C.md", "down:: [[D]]\n"),
        ("D.md", "up:: [[C]]\n"),
        ("E.md", "related:: [[F]]\n"),
        ("F.md", "Nothing here.\n"),
    ]);
    let (_, t) = built(&v);
    let (a, c, e) = (id(&v, "A.md"), id(&v, "C.md"), id(&v, "E.md"));
    use Confirmation::*;
    assert_eq!(confirmation(&t, a, Reciprocity::Link), Confirmed);
    assert_eq!(confirmation(&t, a, Reciprocity::Explicit), Missing);
    assert_eq!(confirmation(&t, a, Reciprocity::Off), Unchecked);
    assert_eq!(confirmation(&t, c, Reciprocity::Explicit), Confirmed);
    // up/down is declared both ways somewhere (C ⇄ D), so auto checks it like `link`;
    // related is only ever one-way here, so auto leaves it alone.
    assert!(t.declared_both_ways(Relation::Up) && !t.declared_both_ways(Relation::Related));
    assert_eq!(confirmation(&t, a, Reciprocity::Auto), Confirmed);
    assert_eq!(confirmation(&t, e, Reciprocity::Auto), Unchecked);
    assert_eq!(confirmation(&t, e, Reciprocity::Link), Missing);
}

#[test]
fn auto_checks_a_family_once_it_is_declared_both_ways() {
    let v = vault(&[
        ("A.md", "up:: [[B]]\n"),
        ("B.md", "Nothing.\n"),
        ("C.md", "up:: [[D]]\n"),
        ("D.md", "Nothing.\n"),
    ]);
    let (mut graph, mut t) = built(&v);
    let a = id(&v, "A.md");
    assert_eq!(
        confirmation(&t, a, Reciprocity::Auto),
        Confirmation::Unchecked
    );

    // D starts answering C: now up/down is a two-way convention and A's relation is checked.
    let mut v = v;
    let d = v.upsert_note(Arc::new(parse_note(
        "D.md".into(),
        Arc::from("down:: [[C]]\n"),
    )));
    graph.resolutions[d.0 as usize] = v
        .note(d)
        .links
        .iter()
        .map(|l| resolve_link(&v, d, l))
        .collect();
    let affected = t.update_note(&v, &graph, &RelationsConfig::default(), d);
    assert!(affected.contains(&d) && affected.contains(&id(&v, "C.md")));
    assert_eq!(
        confirmation(&t, a, Reciprocity::Auto),
        Confirmation::Missing
    );
}

#[test]
fn auto_leaves_a_family_alone_when_answers_are_the_exception() {
    // Eight notes declare only `up` (the way down implied, as Breadcrumbs does); one pair
    // answers. One answer in ten relations is no convention: auto checks nothing.
    let mut notes: Vec<(String, String)> = (0..8)
        .map(|i| (format!("N{i}.md"), "up:: [[Hub]]\n".to_owned()))
        .collect();
    notes.push(("Hub.md".into(), "Nothing.\n".into()));
    notes.push(("C.md".into(), "up:: [[D]]\n".into()));
    notes.push(("D.md".into(), "down:: [[C]]\n".into()));
    let refs: Vec<(&str, &str)> = notes
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let v = vault(&refs);
    let (_, t) = built(&v);
    assert!(!t.declared_both_ways(Relation::Up));
    let n0 = id(&v, "N0.md");
    assert_eq!(
        confirmation(&t, n0, Reciprocity::Auto),
        Confirmation::Unchecked
    );
    assert_eq!(
        confirmation(&t, n0, Reciprocity::Link),
        Confirmation::Missing
    );
}

#[test]
fn update_replaces_only_that_notes_edges() {
    let v = vault(&[
        ("A.md", "## Upstream\n- [[B]]\n- [[C]]\n"),
        ("B.md", "## Downstream\n- [[A]]\n"),
        ("C.md", "Plain [[A]].\n"),
    ]);
    let (mut graph, mut t) = built(&v);
    let (a, b, c) = (id(&v, "A.md"), id(&v, "B.md"), id(&v, "C.md"));
    let mut v = v;
    v.upsert_note(Arc::new(parse_note(
        "A.md".into(),
        Arc::from("## Related\n- [[C]]\n"),
    )));
    graph.resolutions[a.0 as usize] = v
        .note(a)
        .links
        .iter()
        .map(|l| resolve_link(&v, a, l))
        .collect();
    let affected = t.update_note(&v, &graph, &RelationsConfig::default(), a);
    assert_eq!(affected, [a, b, c]);
    assert_eq!(t.typed(a).len(), 1);
    assert_eq!(t.typed(a)[0].relation, Relation::Related);
    assert!(t.linked_from(b).is_empty());
    assert_eq!(t.linked_from(c), [a]);
    assert_eq!(t.typed_into(b).count(), 0);
    // The other notes keep their edges.
    assert!(t.declares(b, a, Relation::Down));
    assert_eq!(t.edges(c).links, [a]);
    // The same as building from scratch.
    let fresh = Topology::build(&v, &graph, &RelationsConfig::default());
    for n in [a, b, c] {
        assert_eq!(t.edges(n), fresh.edges(n));
        assert_eq!(t.linked_from(n), fresh.linked_from(n));
    }
}
