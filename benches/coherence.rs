//! Benchmark of the coherence analysis: its cold cost on a whole vault, and the incremental
//! update after one note is edited (through `Coherence`'s `update_note` APIs).
//!
//! ```text
//! cargo bench --bench coherence
//! ```
//!
//! The vault is generated once with typed links (`twin::synth`) and cached under
//! `target/bench-vaults/coherence-<notes>-<seed>/`. Environment:
//! - `TWIN_BENCH_NOTES`: vault size (default 10000);
//! - `TWIN_BENCH_EDITS`: edits measured (default 300);
//! - `TWIN_BENCH_SEED`: generator seed (default 1).
//!
//! Cold: the time to build the model (topology, then term vectors), to run the coherence rules
//! and to compute every note's vector, next to the time of the rest of `check`. Incremental:
//! each edit rewrites one note (a sentence added, a typed link added or removed), then measures
//! (1) the topology update plus the topology rules of every affected note, (2) the same plus
//! the vault-wide `relation-cycle`, and (3) the drift update plus the drift rules of the note.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use twin::coherence::{Coherence, Drift, DriftNeeds, Topology, vault_coherence};
use twin::config::{Config, RuleLevel};
use twin::note::parse_note;
use twin::query_rules::QuerySet;
use twin::resolve::{LinkGraph, build_link_graph, resolve_link};
use twin::rules::{RULES, Rulebook, check_note, check_vault};
use twin::synth::{SynthOptions, generate_vault};
use twin::vault::{NoteId, Vault, load_vault};

const TOPOLOGY_RULES: &[&str] = &[
    "one-sided-relation",
    "relation-conflict",
    "self-relation",
    "orphan-note",
];
const DRIFT_RULES: &[&str] = &["identity-drift", "relation-drift"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("benches/coherence: nothing to do outside `cargo bench --bench coherence`");
        return;
    }
    let env = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().replace('_', "").parse().ok())
            .unwrap_or(default)
    };
    let notes = env("TWIN_BENCH_NOTES", 10_000) as usize;
    let edits = env("TWIN_BENCH_EDITS", 300) as usize;
    let seed = env("TWIN_BENCH_SEED", 1);
    let root = cached_vault(notes, seed);

    let all_on = Config::default();
    let vault = load_vault(&root, &all_on).expect("vault loads");
    println!("vault: {} notes at {}", vault.notes.len(), root.display());
    cold(&vault);
    incremental(vault, edits, seed);
}

fn cached_vault(notes: usize, seed: u64) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target
        .join("bench-vaults")
        .join(format!("coherence-{notes}-{seed}"));
    let vault = dir.join("vault");
    let marker = dir.join("complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&vault).expect("create the bench vault folder");
        let opts = SynthOptions {
            notes,
            seed,
            typed_links: true,
            ..SynthOptions::default()
        };
        let started = Instant::now();
        generate_vault(&vault, &opts).expect("generate the bench vault");
        std::fs::write(&marker, "").expect("write the marker");
        println!("generated in {:.1}s", started.elapsed().as_secs_f64());
    }
    vault
}

/// A rulebook with only `codes` on.
fn only(codes: &[&str]) -> Rulebook {
    let mut config = Config::default();
    for rule in RULES {
        if !codes.contains(&rule.code) {
            config.rules.insert(rule.code.to_string(), RuleLevel::Off);
        }
    }
    Rulebook::new(config, QuerySet::default())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn cold(vault: &Vault) {
    const RUNS: usize = 5;
    let all = Rulebook::default();
    let without: Vec<&str> = RULES
        .iter()
        .map(|r| r.code)
        .filter(|c| !twin::coherence::COHERENCE_RULES.contains(c))
        .collect();
    let base = only(&without);
    let mut rows: Vec<[f64; 6]> = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let graph = build_link_graph(vault);
        let graph_ms = ms(t.elapsed());

        let t = Instant::now();
        let empty = Coherence::default();
        let _ = check_vault(vault, &graph, &empty, &base);
        let base_ms = ms(t.elapsed());

        let t = Instant::now();
        let topology = Topology::build(vault, &graph, &all.config.relations);
        let topology_ms = ms(t.elapsed());
        let t = Instant::now();
        let drift = Drift::build(vault, &topology, &all.config.relations);
        let drift_ms = ms(t.elapsed());
        let coherence = Coherence {
            config: all.config.relations.clone(),
            topology,
            drift: Some(drift),
            // Generated vaults have no trace, so no anchors to compare with.
            anchors: None,
        };

        let t = Instant::now();
        let findings = check_vault(vault, &graph, &coherence, &all);
        let rules_ms = ms(t.elapsed()) - base_ms;
        let t = Instant::now();
        let _ = vault_coherence(vault, &graph, &coherence, &findings);
        let vector_ms = ms(t.elapsed());
        rows.push([
            graph_ms,
            base_ms,
            topology_ms,
            drift_ms,
            rules_ms,
            vector_ms,
        ]);
    }
    let median = |k: usize| {
        let mut v: Vec<f64> = rows.iter().map(|r| r[k]).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("\ncold, median of {RUNS} runs (ms; the vault is already parsed):");
    println!("  link graph                      {:8.1}", median(0));
    println!("  other rules                     {:8.1}", median(1));
    println!("  topology build                  {:8.1}", median(2));
    println!("  term vectors and drift build    {:8.1}", median(3));
    println!("  coherence rules (extra)         {:8.1}", median(4));
    println!("  coherence vectors               {:8.1}", median(5));
    println!(
        "  coherence total                 {:8.1}",
        median(2) + median(3) + median(4) + median(5)
    );
}

/// A deterministic edit of note `i`: one sentence more, and a typed link added or removed.
fn edited_text(vault: &Vault, id: NoteId, round: usize) -> String {
    let note = vault.note(id);
    let other = vault.note(NoteId(
        ((id.0 as usize * 7919 + round) % vault.notes.len()) as u32,
    ));
    let mut text = note.text.to_string();
    if round.is_multiple_of(2) {
        text.push_str(&format!(
            "\n\nAn added sentence about {} and its frames.\n\nup:: [[{}]]\n",
            note.name(),
            other.name()
        ));
    } else {
        text.push_str("\n\nA reworded closing sentence.\n");
    }
    text
}

fn reresolve(vault: &Vault, graph: &mut LinkGraph, id: NoteId) {
    graph.resolutions[id.0 as usize] = vault
        .note(id)
        .links
        .iter()
        .map(|l| resolve_link(vault, id, l))
        .collect();
}

fn incremental(mut vault: Vault, edits: usize, seed: u64) {
    let config = Config::default();
    let topo_config = only(TOPOLOGY_RULES);
    let cycle_config = only(&["relation-cycle"]);
    let drift_config = only(DRIFT_RULES);
    let mut graph = build_link_graph(&vault);
    let mut coherence = Coherence::build(&vault, &graph, &config, DriftNeeds::ALL);
    let n = vault.notes.len();
    let mut topo = Vec::with_capacity(edits);
    let mut topo_cycle = Vec::with_capacity(edits);
    let mut drift = Vec::with_capacity(edits);
    let mut affected_total = 0;
    for round in 0..edits {
        let id = NoteId(((round as u64 * 2_654_435_761 + seed) % n as u64) as u32);
        let text = edited_text(&vault, id, round);
        let path = vault.note(id).path.clone();
        vault.upsert_note(Arc::new(parse_note(path, Arc::from(text))));
        reresolve(&vault, &mut graph, id);

        let t = Instant::now();
        let affected = coherence
            .topology
            .update_note(&vault, &graph, &coherence.config, id);
        for &a in &affected {
            let _ = check_note(&vault, &graph, &coherence, &topo_config, a);
        }
        let topo_time = t.elapsed();
        let t = Instant::now();
        let _ = check_vault(&vault, &graph, &coherence, &cycle_config);
        topo.push(topo_time);
        topo_cycle.push(topo_time + t.elapsed());
        affected_total += affected.len();

        let t = Instant::now();
        if let Some(d) = &mut coherence.drift {
            d.update_note(&vault, &coherence.topology, id);
        }
        let _ = check_note(&vault, &graph, &coherence, &drift_config, id);
        drift.push(t.elapsed());
    }
    println!(
        "\nincremental, {edits} edits (ms; {:.1} affected notes per edit on average):",
        affected_total as f64 / edits as f64
    );
    for (name, times) in [
        ("topology update + rules of affected notes", &mut topo),
        ("  … + relation-cycle over the vault", &mut topo_cycle),
        ("drift update + drift rules of the note", &mut drift),
    ] {
        times.sort();
        let at = |q: f64| ms(times[((times.len() as f64 - 1.0) * q).round() as usize]);
        println!(
            "  {name:<44} median {:6.2}  p99 {:6.2}  max {:6.2}",
            at(0.5),
            at(0.99),
            at(1.0)
        );
    }
}
