//! The frame topology: typed and plain edges between notes, with reverse indexes, updatable per note.

use rayon::prelude::*;

use super::relations::{Declared, HeadingMatcher, TypedLink, typed_links};
use crate::config::{Reciprocity, Relation, RelationsConfig};
use crate::resolve::{LinkGraph, LinkResolution, LinkTarget};
use crate::vault::{NoteId, Vault};

/// A typed link that resolves to a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypedEdge {
    pub to: NoteId,
    pub relation: Relation,
    /// Index into the declaring note's links.
    pub link: u32,
    pub declared: Declared,
}

/// One note's outgoing edges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteEdges {
    /// Typed links that resolve to a note, in link order (self-relations included).
    pub typed: Vec<TypedEdge>,
    /// Every note this one links to (typed or not), other than itself: sorted, unique.
    pub links: Vec<NoteId>,
}

/// Whether the other side of a relation confirms it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed,
    Missing,
    /// The reciprocity mode does not check this relation.
    Unchecked,
}

/// The typed and plain edges of every note, with reverse indexes.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    out: Vec<NoteEdges>,
    /// Per note: the notes linking to it (other than itself), sorted, unique.
    linked_from: Vec<Vec<NoteId>>,
    /// Per note: typed edges pointing at it, as (source, index into its `typed`), sorted.
    typed_from: Vec<Vec<(NoteId, u32)>>,
    /// Per relation family (up/down, related): relations confirmed by an explicit inverse.
    reciprocated: [usize; 2],
    /// Per relation family: relations declared (to another note).
    declared: [usize; 2],
}

/// Under `auto` reciprocity a family is checked when at least this share of its relations
/// is answered by an explicit inverse: the vault's convention is then to answer. A vault
/// that declares only `up` (Breadcrumbs and Dataview vaults, which imply the way down)
/// answers a few by chance and is not held to it.
const RECIPROCAL_SHARE: f64 = 0.25;

/// The index of a relation's family in [`Topology::reciprocated`].
fn family(relation: Relation) -> usize {
    match relation {
        Relation::Up | Relation::Down => 0,
        Relation::Related => 1,
    }
}

/// One note's edges, from its links and their resolutions.
fn note_edges(
    vault: &Vault,
    resolutions: &[LinkResolution],
    id: NoteId,
    config: &RelationsConfig,
    matcher: &HeadingMatcher,
) -> NoteEdges {
    let note = vault.note(id);
    let target = |link: u32| match resolutions
        .get(link as usize)
        .and_then(|r| r.target.as_ref())
    {
        Some(LinkTarget::Note(to)) => Some(*to),
        _ => None,
    };
    let typed = typed_links(note, config, matcher)
        .into_iter()
        .filter_map(
            |TypedLink {
                 link,
                 relation,
                 declared,
             }| {
                Some(TypedEdge {
                    to: target(link)?,
                    relation,
                    link,
                    declared,
                })
            },
        )
        .collect();
    let mut links: Vec<NoteId> = (0..note.links.len() as u32)
        .filter_map(target)
        .filter(|to| *to != id)
        .collect();
    links.sort_unstable();
    links.dedup();
    NoteEdges { typed, links }
}

impl Topology {
    /// Builds the topology of the whole vault, in parallel.
    pub fn build(vault: &Vault, graph: &LinkGraph, config: &RelationsConfig) -> Topology {
        let matcher = HeadingMatcher::new(config);
        let out: Vec<NoteEdges> = (0..vault.notes.len())
            .into_par_iter()
            .map(|i| {
                let id = NoteId(i as u32);
                note_edges(vault, &graph.resolutions[i], id, config, &matcher)
            })
            .collect();
        let n = out.len();
        let mut topology = Topology {
            out,
            linked_from: vec![Vec::new(); n],
            typed_from: vec![Vec::new(); n],
            reciprocated: [0; 2],
            declared: [0; 2],
        };
        // Sources are visited in id order, so the reverse lists come out sorted.
        for i in 0..n {
            topology.index_note(NoteId(i as u32));
        }
        topology.count_reciprocated();
        topology
    }

    /// Recomputes the edges of note `id` after its text changed (ids unchanged; the graph
    /// must hold the note's new resolutions). Returns every note whose relations may read
    /// differently now: the note, and the notes on either side of its old and new edges.
    pub fn update_note(
        &mut self,
        vault: &Vault,
        graph: &LinkGraph,
        config: &RelationsConfig,
        id: NoteId,
    ) -> Vec<NoteId> {
        let matcher = HeadingMatcher::new(config);
        let i = id.0 as usize;
        let mut affected = vec![id];
        affected.extend(self.out[i].typed.iter().map(|e| e.to));
        affected.extend(self.typed_from[i].iter().map(|(from, _)| *from));
        self.unindex_note(id);
        self.out[i] = note_edges(vault, &graph.resolutions[i], id, config, &matcher);
        self.index_note(id);
        affected.extend(self.out[i].typed.iter().map(|e| e.to));
        // Notes this one links to (or stopped linking to) may see their relations confirmed.
        affected.extend(self.out[i].links.iter().copied());
        self.count_reciprocated();
        affected.sort_unstable();
        affected.dedup();
        affected
    }

    fn index_note(&mut self, id: NoteId) {
        let i = id.0 as usize;
        for to in &self.out[i].links {
            insert_sorted(&mut self.linked_from[to.0 as usize], id);
        }
        for (k, edge) in self.out[i].typed.iter().enumerate() {
            insert_sorted(&mut self.typed_from[edge.to.0 as usize], (id, k as u32));
        }
    }

    fn unindex_note(&mut self, id: NoteId) {
        let i = id.0 as usize;
        for to in std::mem::take(&mut self.out[i].links) {
            self.linked_from[to.0 as usize].retain(|from| *from != id);
        }
        for edge in std::mem::take(&mut self.out[i].typed) {
            self.typed_from[edge.to.0 as usize].retain(|(from, _)| *from != id);
        }
    }

    fn count_reciprocated(&mut self) {
        let (mut counts, mut declared) = ([0; 2], [0; 2]);
        for (i, edges) in self.out.iter().enumerate() {
            let from = NoteId(i as u32);
            for e in edges.typed.iter().filter(|e| e.to != from) {
                declared[family(e.relation)] += 1;
                if self.declares(e.to, from, e.relation.inverse()) {
                    counts[family(e.relation)] += 1;
                }
            }
        }
        self.reciprocated = counts;
        self.declared = declared;
    }

    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// The outgoing edges of a note.
    pub fn edges(&self, id: NoteId) -> &NoteEdges {
        &self.out[id.0 as usize]
    }

    /// The typed edges of a note.
    pub fn typed(&self, id: NoteId) -> &[TypedEdge] {
        &self.out[id.0 as usize].typed
    }

    /// Typed edges declared by other notes (or this one) towards `id`.
    pub fn typed_into(&self, id: NoteId) -> impl Iterator<Item = (NoteId, &TypedEdge)> + '_ {
        self.typed_from[id.0 as usize]
            .iter()
            .map(|&(from, k)| (from, &self.out[from.0 as usize].typed[k as usize]))
    }

    /// Notes that link to `id`, other than itself.
    pub fn linked_from(&self, id: NoteId) -> &[NoteId] {
        &self.linked_from[id.0 as usize]
    }

    /// Whether `from` declares `to` with `relation`.
    pub fn declares(&self, from: NoteId, to: NoteId, relation: Relation) -> bool {
        self.out[from.0 as usize]
            .typed
            .iter()
            .any(|e| e.to == to && e.relation == relation)
    }

    /// The first typed edge of `from` towards `to` with `relation`.
    pub fn declaration(&self, from: NoteId, to: NoteId, relation: Relation) -> Option<&TypedEdge> {
        self.out[from.0 as usize]
            .typed
            .iter()
            .find(|e| e.to == to && e.relation == relation)
    }

    /// Whether `from` links to `to` in any way.
    pub fn links_to(&self, from: NoteId, to: NoteId) -> bool {
        self.out[from.0 as usize].links.binary_search(&to).is_ok()
    }

    /// Whether answering relations of this family is the vault's convention: some are
    /// confirmed by an explicit inverse, at least [`RECIPROCAL_SHARE`] of them.
    pub fn declared_both_ways(&self, relation: Relation) -> bool {
        let f = family(relation);
        self.reciprocated[f] > 0
            && self.reciprocated[f] as f64 >= RECIPROCAL_SHARE * self.declared[f] as f64
    }

    /// Whether `edge`, declared by `from`, is confirmed by its target under `mode`.
    pub fn confirmation(&self, from: NoteId, edge: &TypedEdge, mode: Reciprocity) -> Confirmation {
        let inverse = || self.declares(edge.to, from, edge.relation.inverse());
        let link_back = || inverse() || self.links_to(edge.to, from);
        let confirmed = match mode {
            Reciprocity::Off => return Confirmation::Unchecked,
            Reciprocity::Auto if !self.declared_both_ways(edge.relation) => {
                return Confirmation::Unchecked;
            }
            Reciprocity::Explicit => inverse(),
            Reciprocity::Auto | Reciprocity::Link => link_back(),
        };
        if confirmed {
            Confirmation::Confirmed
        } else {
            Confirmation::Missing
        }
    }

    /// Upstream edges as (child, parent, declaring note, index into its `typed`): `A up B`
    /// gives (A, B) and `B down A` gives (A, B) too. Self-relations are left out.
    pub fn upstream_edges(&self) -> impl Iterator<Item = (NoteId, NoteId, NoteId, u32)> + '_ {
        self.out.iter().enumerate().flat_map(|(i, edges)| {
            let from = NoteId(i as u32);
            edges
                .typed
                .iter()
                .enumerate()
                .filter(move |(_, e)| e.to != from)
                .filter_map(move |(k, e)| match e.relation {
                    Relation::Up => Some((from, e.to, from, k as u32)),
                    Relation::Down => Some((e.to, from, from, k as u32)),
                    Relation::Related => None,
                })
        })
    }
}

fn insert_sorted<T: Ord>(list: &mut Vec<T>, item: T) {
    if let Err(at) = list.binary_search(&item) {
        list.insert(at, item);
    }
}

#[cfg(test)]
#[path = "tests/topology.rs"]
mod tests;
