//! `twin check --group-by target`: broken links grouped by the target they miss, for
//! people (one line a target) and machines (JSON).

use std::io::{self, Write};

use serde::Serialize;

use super::locate;
use crate::fix::{Safety, TargetGroup};
use crate::text::ColumnEncoding;
use crate::vault::Vault;

/// Prints one line per target, most links first:
/// `meeting notes: 37 links in 12 notes → candidate: Meetings/Meeting Notes.md`.
pub fn write_human(out: &mut impl Write, groups: &[TargetGroup]) -> io::Result<()> {
    let links: usize = groups.iter().map(|g| g.links).sum();
    writeln!(
        out,
        "{links} broken link{} to {} missing target{}:",
        plural(links),
        groups.len(),
        plural(groups.len())
    )?;
    for g in groups {
        let candidate = match &g.candidate {
            Some((Safety::Safe, path)) => format!(" → candidate: {path} (safe fix)"),
            Some((Safety::Unsafe, path)) => format!(" → candidate: {path}"),
            None => String::new(),
        };
        writeln!(
            out,
            "  {}: {} link{} in {} note{}{candidate}",
            escape(&g.target),
            g.links,
            plural(g.links),
            g.notes,
            plural(g.notes)
        )?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Control characters from note text, escaped so a note cannot drive the terminal.
fn escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

#[derive(Serialize)]
struct JsonGroups<'a> {
    version: u32,
    vault: String,
    groups: Vec<JsonGroup<'a>>,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    target: &'a str,
    links: usize,
    notes: usize,
    candidate: Option<&'a str>,
    /// Whether pointing the links to the candidate is a safe fix.
    safe: bool,
    sources: Vec<JsonSource<'a>>,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    path: &'a str,
    line: u32,
    column: u32,
}

/// Prints one JSON document: `{"version":1,"vault":…,"groups":[{"target","links","notes",
/// "candidate","safe","sources":[{"path","line","column"}]}]}`.
pub fn write_json(out: &mut impl Write, vault: &Vault, groups: &[TargetGroup]) -> io::Result<()> {
    let doc = JsonGroups {
        version: 1,
        vault: vault.root.display().to_string(),
        groups: groups
            .iter()
            .map(|g| JsonGroup {
                target: &g.target,
                links: g.links,
                notes: g.notes,
                candidate: g.candidate.as_ref().map(|(_, p)| p.as_str()),
                safe: matches!(g.candidate, Some((Safety::Safe, _))),
                sources: g
                    .sources
                    .iter()
                    .map(|(path, span)| {
                        let at = locate(vault, path, *span, ColumnEncoding::Char);
                        JsonSource {
                            path,
                            line: at.line,
                            column: at.column,
                        }
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)
}
