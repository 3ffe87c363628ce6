//! The picture of a vault that `twin report` draws: the typed graph with each note's frame
//! level (parents above children), and the readable subset shown first on a big vault.

use crate::coherence::CoherenceVector;
use crate::config::Relation;
use crate::vault::NoteId;

use super::Analysis;

/// An edge of the picture: typed as declared, or a plain link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PictureEdge {
    pub from: NoteId,
    pub to: NoteId,
    /// `None` for a plain link.
    pub relation: Option<Relation>,
}

/// The typed graph laid out in frames, and what to show first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picture {
    pub edges: Vec<PictureEdge>,
    /// Per note: its frame level, 0 for notes with no parent; a parent is always above
    /// (lower) than its children, cycles aside.
    pub levels: Vec<u32>,
    /// The notes shown first: all of them on a small vault, else the least coherent notes
    /// and their neighbours, up to the limit; sorted.
    pub shown: Vec<NoteId>,
}

/// Rounds of level relaxation: a frame deeper than this (or a cycle) stops there.
const MAX_DEPTH: u32 = 64;

impl Analysis {
    /// The picture of the vault, with `vectors` (in note order) choosing the notes shown
    /// first when there are more than `limit`.
    pub fn picture(&self, vectors: &[CoherenceVector], limit: usize) -> Picture {
        let vault = &self.vault;
        let topology = &self.coherence.topology;
        let mut edges = Vec::new();
        for from in vault.note_ids() {
            let typed = topology.typed(from);
            for edge in typed.iter().filter(|e| e.to != from) {
                edges.push(PictureEdge {
                    from,
                    to: edge.to,
                    relation: Some(edge.relation),
                });
            }
            for &to in &topology.edges(from).links {
                if !typed.iter().any(|e| e.to == to) {
                    edges.push(PictureEdge {
                        from,
                        to,
                        relation: None,
                    });
                }
            }
        }
        let levels = frame_levels(vault.notes.len(), &edges);
        let shown = readable_subset(vault.notes.len(), &edges, vectors, limit);
        Picture {
            edges,
            levels,
            shown,
        }
    }
}

/// Longest-path levels over "parent above child": `up` points at a parent, `down` at a
/// child. Relaxed at most [`MAX_DEPTH`] rounds, so cycles end.
fn frame_levels(n: usize, edges: &[PictureEdge]) -> Vec<u32> {
    let pairs: Vec<(usize, usize)> = edges
        .iter()
        .filter_map(|e| match e.relation {
            Some(Relation::Up) => Some((e.to.0 as usize, e.from.0 as usize)),
            Some(Relation::Down) => Some((e.from.0 as usize, e.to.0 as usize)),
            _ => None,
        })
        .collect();
    let mut levels = vec![0u32; n];
    for _ in 0..MAX_DEPTH {
        let mut changed = false;
        for &(parent, child) in &pairs {
            if levels[child] <= levels[parent] && levels[parent] < MAX_DEPTH {
                levels[child] = levels[parent] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    levels
}

/// Every note when there are at most `limit`; else the least coherent notes, each with its
/// neighbours, until `limit` notes are chosen.
fn readable_subset(
    n: usize,
    edges: &[PictureEdge],
    vectors: &[CoherenceVector],
    limit: usize,
) -> Vec<NoteId> {
    if n <= limit {
        return (0..n as u32).map(NoteId).collect();
    }
    let mut adjacent = vec![Vec::new(); n];
    for e in edges {
        adjacent[e.from.0 as usize].push(e.to.0 as usize);
        adjacent[e.to.0 as usize].push(e.from.0 as usize);
    }
    let mut order: Vec<usize> = (0..n).collect();
    let score = |i: usize| vectors.get(i).map_or(1.0, |v| v.score);
    order.sort_by(|&a, &b| score(a).total_cmp(&score(b)).then(a.cmp(&b)));
    let mut chosen = vec![false; n];
    let mut count = 0;
    'seeds: for seed in order {
        for i in std::iter::once(seed).chain(adjacent[seed].iter().copied()) {
            if count == limit {
                break 'seeds;
            }
            if !chosen[i] {
                chosen[i] = true;
                count += 1;
            }
        }
    }
    (0..n as u32)
        .filter(|&i| chosen[i as usize])
        .map(NoteId)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: u32, to: u32, relation: Option<Relation>) -> PictureEdge {
        PictureEdge {
            from: NoteId(from),
            to: NoteId(to),
            relation,
        }
    }

    #[test]
    fn parents_sit_above_children_and_cycles_end() {
        // 0 is the parent of 1 (up) and of 2 (down); links and self-relations do not count.
        let edges = [
            edge(1, 0, Some(Relation::Up)),
            edge(0, 2, Some(Relation::Down)),
            edge(3, 0, None),
            edge(4, 4, Some(Relation::Related)),
        ];
        assert_eq!(frame_levels(5, &edges), vec![0, 1, 1, 0, 0]);
        let cycle = [
            edge(0, 1, Some(Relation::Up)),
            edge(1, 0, Some(Relation::Up)),
        ];
        let levels = frame_levels(2, &cycle);
        assert!(levels.iter().all(|l| *l <= MAX_DEPTH), "{levels:?}");
    }

    #[test]
    fn a_big_vault_shows_its_least_coherent_region() {
        let vector = |score: f64| CoherenceVector {
            link_integrity: 1.0,
            links: 0,
            reciprocity: 1.0,
            relations: 0,
            drift: None,
            conflicts: 0,
            score,
        };
        let vectors: Vec<_> = [1.0, 0.2, 1.0, 0.9, 1.0].into_iter().map(vector).collect();
        let edges = [edge(1, 4, None), edge(0, 2, None)];
        let shown = readable_subset(5, &edges, &vectors, 3);
        assert_eq!(shown, vec![NoteId(1), NoteId(3), NoteId(4)]);
        assert_eq!(readable_subset(5, &edges, &vectors, 9).len(), 5);
    }
}
