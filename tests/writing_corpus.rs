//! The writing refactorings and inlay hints on a real vault (ignored by default: it needs
//! the corpus). Every heading is extracted and every link tried for inlining, in memory:
//! no panic, and no change outside the moved section, the link or a link's target; the
//! time of each call is printed. `TWIN_CORPUS` (default `/work/corpora/obsidian-help`).
//!
//! `cargo test --release --test writing_corpus -- --ignored --nocapture`

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use twin::fix::FixContext;
use twin::fix::edit::FileOp;
use twin::fix::extract::extract_section;
use twin::fix::inline::inline_note;
use twin::text::Span;

fn percentiles(mut times: Vec<Duration>) -> String {
    times.sort();
    if times.is_empty() {
        return "none".into();
    }
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    format!(
        "{} calls, median {:?}, p99 {:?}, max {:?}",
        times.len(),
        at(0.5),
        at(0.99),
        times[times.len() - 1]
    )
}

#[test]
#[ignore = "needs the corpus; run with --ignored"]
fn every_heading_extracts_and_every_link_is_tried_on_a_real_vault() {
    let root =
        PathBuf::from(std::env::var("TWIN_CORPUS").unwrap_or("/work/corpora/obsidian-help".into()));
    if !root.is_dir() {
        eprintln!("no corpus at {}", root.display());
        return;
    }
    let analysis = common::analyze(&root);
    let cx = FixContext::from_analysis(&analysis);
    let vault = &analysis.vault;
    let (mut hints, mut extract, mut inline) = (Vec::new(), Vec::new(), Vec::new());
    let (mut hint_count, mut inlined, mut refused) = (0usize, 0usize, 0usize);
    for id in vault.note_ids() {
        let note = vault.note(id);
        let t = Instant::now();
        hint_count += analysis
            .inlay_hints(id, Span::new(0, note.text.len()))
            .len();
        hints.push(t.elapsed());
        for h in 0..note.headings.len() {
            let section = note.section_span(h);
            let t = Instant::now();
            let moved = extract_section(&cx, id, h, false);
            extract.push(t.elapsed());
            let Ok(moved) = moved else { continue };
            for op in &moved.fix.ops {
                let FileOp::Edit { path, changes } = op else {
                    continue;
                };
                let other = vault.note(vault.note_by_path(path).unwrap());
                for c in changes {
                    let in_link = other
                        .links
                        .iter()
                        .any(|l| l.span.start <= c.span.start && c.span.end <= l.span.end);
                    let ok = in_link
                        || c.span.is_empty()
                        || (other.path == note.path && c.span == section);
                    assert!(ok, "{}: change {:?} outside the section and links", path, c);
                }
            }
        }
        for j in 0..note.links.len() {
            let t = Instant::now();
            let moved = inline_note(&cx, id, j);
            inline.push(t.elapsed());
            match moved {
                Ok(moved) => {
                    inlined += 1;
                    let FileOp::Edit { changes, .. } = &moved.fix.ops[0] else {
                        panic!("an edit first")
                    };
                    assert!(changes.iter().any(|c| c.span == note.links[j].span));
                }
                Err(_) => refused += 1,
            }
        }
    }
    eprintln!("{} notes, {hint_count} inlay hints", vault.notes.len());
    eprintln!("inlay hints per note: {}", percentiles(hints));
    eprintln!("extract per heading: {}", percentiles(extract));
    eprintln!(
        "inline per link: {} ({inlined} possible, {refused} refused)",
        percentiles(inline)
    );
}
