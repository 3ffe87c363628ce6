//! Cycle finding: once per cycle, every member covered, no recursion.

use super::*;

fn graph(n: usize, edges: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let mut adjacency = vec![Vec::new(); n];
    for &(a, b) in edges {
        adjacency[a as usize].push(b);
    }
    adjacency
}

fn cycles(n: usize, edges: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let adjacency = graph(n, edges);
    strongly_connected(n, &adjacency)
        .iter()
        .flat_map(|c| cover_with_cycles(c, &adjacency))
        .collect()
}

#[test]
fn one_cycle_reported_once() {
    assert_eq!(
        cycles(4, &[(0, 1), (1, 2), (2, 0), (2, 3)]),
        [vec![0, 1, 2]]
    );
}

#[test]
fn acyclic_graph_has_none() {
    assert!(cycles(5, &[(0, 1), (1, 2), (0, 2), (3, 4), (2, 4)]).is_empty());
}

#[test]
fn two_separate_cycles() {
    let found = cycles(6, &[(0, 1), (1, 0), (2, 3), (3, 4), (4, 2), (1, 5)]);
    assert_eq!(found, [vec![0, 1], vec![2, 3, 4]]);
}

#[test]
fn component_with_two_cycles_covers_every_member() {
    // 0 → 1 → 0 and 1 → 2 → 3 → 1 share node 1.
    let found = cycles(4, &[(0, 1), (1, 0), (1, 2), (2, 3), (3, 1)]);
    assert_eq!(found, [vec![0, 1], vec![2, 3, 1]]);
}

#[test]
fn hundred_thousand_note_cycle_without_recursion() {
    let n = 100_000u32;
    let edges: Vec<(u32, u32)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
    let found = cycles(n as usize, &edges);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].len(), n as usize);
    assert_eq!(found[0][..3], [0, 1, 2]);
}
