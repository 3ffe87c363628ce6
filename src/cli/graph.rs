//! `twin graph`: the frame topology as Graphviz DOT, Mermaid or JSON.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{EXIT_ERROR, EXIT_OK};
use crate::coherence::Topology;
use crate::config::Relation;
use crate::note::parse_note;
use crate::resolve::{LinkTarget, resolve_link};
use crate::vault::{NoteId, Vault};

#[derive(Args, Debug)]
pub struct GraphArgs {
    /// The vault's root folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Only the neighbourhood of this note (a path or a name, as a wikilink would say it).
    #[arg(long)]
    pub note: Option<String>,
    /// How many steps from `--note` to include.
    #[arg(long, default_value_t = 1, requires = "note")]
    pub depth: usize,
    /// Edge kinds to include: `up`, `down`, `related` (typed) and `link` (untyped).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "up,down,related,link"
    )]
    pub relations: Vec<EdgeKind>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    Up,
    Down,
    Related,
    Link,
}

impl EdgeKind {
    fn of(relation: Relation) -> EdgeKind {
        match relation {
            Relation::Up => EdgeKind::Up,
            Relation::Down => EdgeKind::Down,
            Relation::Related => EdgeKind::Related,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Up => "up",
            EdgeKind::Down => "down",
            EdgeKind::Related => "related",
            EdgeKind::Link => "link",
        }
    }
}

/// One edge: from, to, kind, and the 1-based line of the declaring link (0 for plain links).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: NoteId,
    pub to: NoteId,
    pub kind: EdgeKind,
    pub line: u32,
}

pub fn run(args: &GraphArgs) -> u8 {
    let analysis = match super::load::open(&args.path) {
        Ok(analysis) => analysis,
        Err(code) => return code,
    };
    let vault = &analysis.vault;
    let topology = &analysis.coherence.topology;
    let edges = collect_edges(vault, topology, &args.relations);
    let nodes = match &args.note {
        None => vault.note_ids().collect(),
        Some(name) => match find_note(vault, name) {
            Some(start) => neighbourhood(vault.notes.len(), &edges, start, args.depth),
            None => {
                eprintln!("error: no note named `{name}` in the vault");
                return EXIT_ERROR;
            }
        },
    };
    let mut keep = vec![false; vault.notes.len()];
    for id in &nodes {
        keep[id.0 as usize] = true;
    }
    let edges: Vec<Edge> = edges
        .into_iter()
        .filter(|e| keep[e.from.0 as usize] && keep[e.to.0 as usize])
        .collect();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        GraphFormat::Dot => write_dot(&mut out, vault, &nodes, &edges),
        GraphFormat::Mermaid => write_mermaid(&mut out, vault, &nodes, &edges),
        GraphFormat::Json => write_json(&mut out, vault, &nodes, &edges),
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(err) => {
            eprintln!("error: cannot write the graph: {err}");
            EXIT_ERROR
        }
    }
}

/// Typed edges as declared, then plain links between notes no typed edge of the same
/// note already joins; by source note, then link order.
pub fn collect_edges(vault: &Vault, topology: &Topology, kinds: &[EdgeKind]) -> Vec<Edge> {
    let mut edges = Vec::new();
    for from in vault.note_ids() {
        let note = vault.note(from);
        let typed = topology.typed(from);
        for edge in typed {
            let kind = EdgeKind::of(edge.relation);
            if kinds.contains(&kind) {
                let at = note.links[edge.link as usize].span.start as usize;
                edges.push(Edge {
                    from,
                    to: edge.to,
                    kind,
                    line: note.line_index.line_of(at) + 1,
                });
            }
        }
        if kinds.contains(&EdgeKind::Link) {
            for &to in &topology.edges(from).links {
                if !typed.iter().any(|e| e.to == to) {
                    edges.push(Edge {
                        from,
                        to,
                        kind: EdgeKind::Link,
                        line: 0,
                    });
                }
            }
        }
    }
    edges
}

/// A note by vault path (with or without `.md`), or as a wikilink would resolve the name.
fn find_note(vault: &Vault, name: &str) -> Option<NoteId> {
    let name = name.trim();
    if let Some(id) = vault
        .note_by_path(name)
        .or_else(|| vault.note_by_path(&format!("{name}.md")))
    {
        return Some(id);
    }
    if vault.notes.is_empty() || name.contains(['[', ']', '|', '#']) {
        return None;
    }
    let probe = parse_note("probe.md".into(), Arc::from(format!("[[{name}]]")));
    let mut link = probe.links.first()?.clone();
    // Resolved as if written in the first note, whose text is not the probe's.
    link.detach(&probe.text);
    match resolve_link(vault, NoteId(0), &link).target {
        Some(LinkTarget::Note(id)) => Some(id),
        _ => None,
    }
}

/// Notes within `depth` steps of `start`, following edges both ways; sorted.
fn neighbourhood(n: usize, edges: &[Edge], start: NoteId, depth: usize) -> Vec<NoteId> {
    let mut adjacent = vec![Vec::new(); n];
    for e in edges {
        adjacent[e.from.0 as usize].push(e.to);
        adjacent[e.to.0 as usize].push(e.from);
    }
    let mut distance = vec![usize::MAX; n];
    distance[start.0 as usize] = 0;
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        let d = distance[v.0 as usize];
        if d == depth {
            continue;
        }
        for &w in &adjacent[v.0 as usize] {
            if distance[w.0 as usize] == usize::MAX {
                distance[w.0 as usize] = d + 1;
                queue.push_back(w);
            }
        }
    }
    (0..n as u32)
        .map(NoteId)
        .filter(|id| distance[id.0 as usize] != usize::MAX)
        .collect()
}

fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn write_dot(
    out: &mut impl Write,
    vault: &Vault,
    nodes: &[NoteId],
    edges: &[Edge],
) -> io::Result<()> {
    writeln!(out, "digraph twin {{")?;
    writeln!(out, "  rankdir=BT;")?;
    writeln!(out, "  node [shape=box];")?;
    for &id in nodes {
        let note = vault.note(id);
        writeln!(
            out,
            "  {} [label={}];",
            dot_quote(&note.path),
            dot_quote(note.title())
        )?;
    }
    for e in edges {
        let style = match e.kind {
            EdgeKind::Up => "style=bold",
            EdgeKind::Down => "style=solid",
            EdgeKind::Related => "style=dashed, dir=none",
            EdgeKind::Link => "style=dotted, color=gray",
        };
        writeln!(
            out,
            "  {} -> {} [label={}, {style}];",
            dot_quote(&vault.note(e.from).path),
            dot_quote(&vault.note(e.to).path),
            dot_quote(e.kind.as_str())
        )?;
    }
    writeln!(out, "}}")
}

fn mermaid_label(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' => "#quot;".to_string(),
            '\n' | '\r' => " ".to_string(),
            c => c.to_string(),
        })
        .collect()
}

pub fn write_mermaid(
    out: &mut impl Write,
    vault: &Vault,
    nodes: &[NoteId],
    edges: &[Edge],
) -> io::Result<()> {
    writeln!(out, "flowchart BT")?;
    for &id in nodes {
        writeln!(
            out,
            "  n{}[\"{}\"]",
            id.0,
            mermaid_label(vault.note(id).title())
        )?;
    }
    for e in edges {
        let arrow = match e.kind {
            EdgeKind::Up => "==>|up|",
            EdgeKind::Down => "-->|down|",
            EdgeKind::Related => "-.-|related|",
            EdgeKind::Link => "-.->",
        };
        writeln!(out, "  n{} {arrow} n{}", e.from.0, e.to.0)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    relation: EdgeKind,
    /// The line of the declaring link; absent for plain links.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
}

pub fn write_json(
    out: &mut impl Write,
    vault: &Vault,
    nodes: &[NoteId],
    edges: &[Edge],
) -> io::Result<()> {
    let graph = JsonGraph {
        nodes: nodes
            .iter()
            .map(|&id| {
                let note = vault.note(id);
                JsonNode {
                    id: &note.path,
                    title: note.title(),
                }
            })
            .collect(),
        edges: edges
            .iter()
            .map(|e| JsonEdge {
                from: &vault.note(e.from).path,
                to: &vault.note(e.to).path,
                relation: e.kind,
                line: (e.line > 0).then_some(e.line),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &graph)?;
    writeln!(out)
}
