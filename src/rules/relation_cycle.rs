//! `relation-cycle`: upstream relations that lead back to where they started.
//!
//! `A up B` and `B down A` are both the edge A → B. Strongly connected components come from
//! an iterative Tarjan (a 100,000-note cycle must not overflow the stack); inside each, a
//! breadth-first search finds a shortest cycle through every member not yet on a reported
//! cycle. Each cycle is reported once, on the declaring link of each of its edges. Pairs that
//! point at each other are left to `relation-conflict`.

use std::collections::hash_map::Entry;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Check, Emitter, Related, Rule, Severity, VaultContext, edge_span, quote};
use crate::coherence::Topology;
use crate::note::Note;
use crate::text::Span;
use crate::vault::{NoteId, Vault};

pub const RULE: Rule = Rule {
    code: "relation-cycle",
    default_severity: Severity::Warning,
    summary: "Upstream relations form a cycle; reported once per cycle, on each of its links.",
    check: Check::Vault(check),
};

/// Cycles looked for in one component before giving up on covering it.
const MAX_CYCLES_PER_COMPONENT: usize = 64;
/// Other edges of the cycle listed as related information.
const MAX_RELATED: usize = 24;
/// Note names spelled out in a cycle's message.
const MAX_NAMES: usize = 8;

/// Where an upstream edge was declared: the note and the index into its typed edges.
type Site = (NoteId, u32);
/// Each upstream edge (child, parent) and where it was declared.
type Sites = FxHashMap<(u32, u32), Site>;

fn check(cx: &VaultContext<'_>, out: &mut Emitter<'_>) {
    let topology = &cx.coherence.topology;
    let n = topology.len();
    let (adjacency, sites) = upstream_graph(topology);
    for component in strongly_connected(n, &adjacency) {
        for cycle in cover_with_cycles(&component, &adjacency) {
            report(cx.vault, topology, &cycle, &sites, out);
        }
    }
}

/// Child → parents adjacency without mutual pairs, and the declaring site of each edge.
pub(crate) fn upstream_graph(topology: &Topology) -> (Vec<Vec<u32>>, Sites) {
    let mut sites: Sites = FxHashMap::default();
    for (child, parent, declared_in, k) in topology.upstream_edges() {
        let key = (child.0, parent.0);
        // Prefer the child's own `up` declaration over the parent's `down`.
        match sites.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert((declared_in, k));
            }
            Entry::Occupied(mut slot) => {
                if declared_in == child && slot.get().0 != child {
                    slot.insert((declared_in, k));
                }
            }
        }
    }
    let mut adjacency = vec![Vec::new(); topology.len()];
    for &(child, parent) in sites.keys() {
        if !sites.contains_key(&(parent, child)) {
            adjacency[child as usize].push(parent);
        }
    }
    for list in &mut adjacency {
        list.sort_unstable();
    }
    (adjacency, sites)
}

/// Tarjan's state, with an explicit call stack instead of recursion.
struct Tarjan {
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<u32>,
    /// (node, position in its adjacency list) for each frame of the walk.
    calls: Vec<(u32, usize)>,
    next: u32,
}

const UNSEEN: u32 = u32::MAX;

impl Tarjan {
    fn visit(&mut self, v: u32) {
        let v = v as usize;
        self.index[v] = self.next;
        self.low[v] = self.next;
        self.next += 1;
        self.stack.push(v as u32);
        self.on_stack[v] = true;
        self.calls.push((v as u32, 0));
    }
}

/// Components of two or more nodes, by an iterative Tarjan; members sorted.
pub(crate) fn strongly_connected(n: usize, adjacency: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let mut t = Tarjan {
        index: vec![UNSEEN; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        calls: Vec::new(),
        next: 0,
    };
    let mut components = Vec::new();
    for root in 0..n as u32 {
        if t.index[root as usize] != UNSEEN || adjacency[root as usize].is_empty() {
            continue;
        }
        t.visit(root);
        while let Some(&(v, i)) = t.calls.last() {
            let v_ = v as usize;
            if let Some(&w) = adjacency[v_].get(i) {
                if let Some(frame) = t.calls.last_mut() {
                    frame.1 += 1;
                }
                if t.index[w as usize] == UNSEEN {
                    t.visit(w);
                } else if t.on_stack[w as usize] {
                    t.low[v_] = t.low[v_].min(t.index[w as usize]);
                }
                continue;
            }
            t.calls.pop();
            if let Some(&(parent, _)) = t.calls.last() {
                t.low[parent as usize] = t.low[parent as usize].min(t.low[v_]);
            }
            if t.low[v_] == t.index[v_] {
                let mut component = Vec::new();
                while let Some(w) = t.stack.pop() {
                    t.on_stack[w as usize] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort_unstable();
                    components.push(component);
                }
            }
        }
    }
    components
}

/// Shortest cycles through the members of a component until each is on one (or the limit
/// is reached). Each cycle lists its nodes in edge order, starting at its smallest member.
pub(crate) fn cover_with_cycles(component: &[u32], adjacency: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let members: FxHashSet<u32> = component.iter().copied().collect();
    let mut covered: FxHashSet<u32> = FxHashSet::default();
    let mut cycles = Vec::new();
    for &start in component {
        if covered.contains(&start) {
            continue;
        }
        if cycles.len() == MAX_CYCLES_PER_COMPONENT {
            break;
        }
        let Some(cycle) = shortest_cycle(start, &members, adjacency) else {
            continue;
        };
        covered.extend(cycle.iter().copied());
        cycles.push(cycle);
    }
    cycles
}

/// A shortest cycle through `start` inside `members`, by breadth-first search.
fn shortest_cycle(
    start: u32,
    members: &FxHashSet<u32>,
    adjacency: &[Vec<u32>],
) -> Option<Vec<u32>> {
    let mut parent: FxHashMap<u32, u32> = FxHashMap::default();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &adjacency[v as usize] {
            if w == start {
                let mut cycle = vec![v];
                let mut at = v;
                while at != start {
                    at = parent[&at];
                    cycle.push(at);
                }
                cycle.reverse();
                return Some(cycle);
            }
            if members.contains(&w) && !parent.contains_key(&w) {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    None
}

fn report(vault: &Vault, topology: &Topology, cycle: &[u32], sites: &Sites, out: &mut Emitter<'_>) {
    let len = cycle.len();
    // Names, declaring links and labels once per cycle: a cycle can have 100,000 members.
    let names: Vec<String> = cycle
        .iter()
        .map(|&v| quote(vault.note(NoteId(v)).name()))
        .collect();
    let places: Vec<Option<(&Note, Span)>> = (0..len)
        .map(|i| {
            let &(id, k) = sites.get(&(cycle[i], cycle[(i + 1) % len]))?;
            let note = vault.note(id);
            Some((note, edge_span(note, &topology.typed(id)[k as usize])))
        })
        .collect();
    let labels: Vec<String> = (0..len)
        .map(|i| format!("{} → {}", names[i], names[(i + 1) % len]))
        .collect();
    for i in 0..len {
        let Some((note, span)) = places[i] else {
            continue;
        };
        // The path starting at this edge's child, cut after MAX_NAMES names.
        let mut path: Vec<&str> = (0..len.min(MAX_NAMES))
            .map(|j| names[(i + j) % len].as_str())
            .collect();
        let more = format!("… ({} more)", len.saturating_sub(MAX_NAMES));
        if len > MAX_NAMES {
            path.push(&more);
        }
        path.push(&names[i]);
        let message = format!("upstream cycle of {len} notes: {}", path.join(" → "));
        let diagnostic = out.emit(&note.path, span, message);
        for j in (1..len).take(MAX_RELATED) {
            let at = (i + j) % len;
            if let Some((other, other_span)) = places[at] {
                diagnostic.related.push(Related {
                    path: other.path.clone(),
                    span: other_span,
                    message: labels[at].clone(),
                });
            }
        }
        if len - 1 > MAX_RELATED {
            diagnostic.related.push(Related {
                path: note.path.clone(),
                span,
                message: format!("… and {} more links of this cycle", len - 1 - MAX_RELATED),
            });
        }
    }
}

#[cfg(test)]
#[path = "tests/relation_cycle.rs"]
mod tests;
