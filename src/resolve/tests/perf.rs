//! Speed of indexing and resolving a 10k-note vault; run with
//! `cargo test --release -- --ignored resolve_speed --nocapture`.

use std::time::{Duration, Instant};

use super::support::*;
use crate::resolve::{LinkTarget, build_link_graph};
use crate::vault::NameIndex;

/// Note `i`: in one of 200 folders up to three deep; every tenth name is Cyrillic.
fn note_path(i: usize) -> String {
    let folder = match i % 3 {
        0 => format!("Area {}", i % 200),
        1 => format!("Area {}/Project {}", i % 200, i % 7),
        _ => format!("Area {}/Project {}/Deep {}", i % 200, i % 7, i % 3),
    };
    if i.is_multiple_of(10) {
        format!("{folder}/Заметка {i}.md")
    } else {
        format!("{folder}/Note {i}.md")
    }
}

fn name(i: usize) -> String {
    let path = note_path(i);
    path[path.rfind('/').unwrap() + 1..path.len() - 3].to_owned()
}

/// CPU time used so far by all threads of this process, from `/proc` (Linux), so the
/// measure holds on a loaded machine where wall time does not.
fn cpu_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

#[test]
#[ignore = "timing; run in release"]
fn resolve_speed() {
    const NOTES: usize = 10_000;
    const LINKS: usize = 15;
    let text = "# Intro\n## Setup\ntext ^blk\n# Usage\n";
    let notes: Vec<_> = (0..NOTES)
        .map(|i| {
            let links: Vec<_> = (1..=LINKS)
                .map(|k| {
                    let j = (i * 31 + k * 97) % NOTES;
                    match k % 5 {
                        0 => wiki(&format!("{}#Usage", name(j).to_uppercase())),
                        1 if k < 8 => md(&note_path(j)),
                        1 => md(&format!("/{}", note_path(j))),
                        2 => wiki(&format!("{}#^blk", name(j))),
                        3 if k == 3 => wiki(&format!("Missing {j}")),
                        _ => wiki(&name(j)),
                    }
                })
                .collect();
            note_with(&note_path(i), text, &links, &["Alias"])
        })
        .collect();
    let v = vault(notes, &["img/a.png"]);

    // Warm up rayon's threads so their start is not measured.
    drop(build_link_graph(&v));
    let cpu_start = cpu_time();
    let start = Instant::now();
    let index = NameIndex::build(&v.notes, &v.attachments);
    let indexed = start.elapsed();
    let graph = build_link_graph(&v);
    let total = start.elapsed();
    let cpu = cpu_time().zip(cpu_start).map(|(end, start)| end - start);

    let resolved = graph
        .resolutions
        .iter()
        .flatten()
        .filter(|r| matches!(r.target, Some(LinkTarget::Note(_))))
        .count();
    assert_eq!(index, v.index);
    assert_eq!(resolved, NOTES * (LINKS - 1));
    eprintln!(
        "{NOTES} notes, {} links: index {indexed:?}, index + graph {total:?} wall, {cpu:?} CPU on {} threads",
        NOTES * LINKS,
        rayon::current_num_threads()
    );
    // CPU time over two cores is what wall time would be on an idle machine.
    let cost = cpu.map_or(total, |cpu| cpu / 2);
    if !cfg!(debug_assertions) {
        assert!(cost.as_millis() < 100, "too slow: {cost:?}");
    }
}
