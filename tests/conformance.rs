//! The Obsidian conformance vault (`fixtures/obsidian-conformance/`): every link resolves as
//! the `%% expect: … %%` comment on its line says, and the whole table is a snapshot.
//!
//! Each case note cites where Obsidian documents the behaviour (CASES.md lists them). A line
//! with an expectation must hold exactly the links it names (`none` when it holds none), and
//! every link of the vault must sit on such a line, so no case goes unchecked. Canvases
//! hold cases too: their file nodes and the links of their text cards.

mod common;

use std::collections::BTreeMap;

use common::{analyze, fixture};
use twin::analysis::Analysis;
use twin::resolve::{
    AnchorResolution, LinkResolution, LinkTarget, resolve_canvas_link, resolve_vault_path,
};
use twin::text::LineIndex;

const EXPECT: &str = "%% expect: ";

/// How one link resolved, in the notation of the `expect` comments.
fn describe(analysis: &Analysis, resolution: &LinkResolution) -> String {
    let vault = &analysis.vault;
    match &resolution.target {
        None => "broken".to_owned(),
        Some(LinkTarget::Attachment(id)) => vault.attachment(*id).to_owned(),
        Some(LinkTarget::Note(id)) => {
            let note = vault.note(*id);
            match resolution.anchor {
                AnchorResolution::None => note.path.to_string(),
                AnchorResolution::Heading(h) => {
                    format!("{} > {}", note.path, note.headings[h as usize].text)
                }
                AnchorResolution::Block(b) => {
                    format!("{} > ^{}", note.path, note.block_ids[b as usize].id)
                }
                AnchorResolution::Missing => format!("{} > missing", note.path),
            }
        }
    }
}

/// Per note, per line: the expectation written there and what twin resolved, and the
/// lines where twin found links nobody expected.
struct Outcome {
    rows: Vec<String>,
    wrong: Vec<String>,
}

fn run() -> Outcome {
    let analysis = analyze(&fixture("obsidian-conformance/vault"));
    let mut rows = Vec::new();
    let mut wrong = Vec::new();
    for id in analysis.vault.note_ids() {
        let note = analysis.vault.note(id);
        let lines = LineIndex::new(&note.text);
        // What twin found, by 0-based line.
        let mut found: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (link, resolution) in note
            .links
            .iter()
            .zip(&analysis.graph.resolutions[id.0 as usize])
        {
            let line = lines.line_of(link.span.start as usize) as usize;
            found
                .entry(line)
                .or_default()
                .push(describe(&analysis, resolution));
        }
        for (i, text) in note.text.lines().enumerate() {
            let Some(at) = text.find(EXPECT) else {
                continue;
            };
            let rest = &text[at + EXPECT.len()..];
            let expected = rest.split(" %%").next().unwrap_or(rest).trim();
            let actual = found
                .remove(&i)
                .map_or_else(|| "none".to_owned(), |links| links.join(", "));
            // An expectation may open its line, before a link that must end it.
            let source = match text[..at].trim() {
                "" => rest.split_once(" %%").map_or("", |(_, after)| after.trim()),
                before => before,
            };
            let mark = if actual == expected { "ok" } else { "WRONG" };
            rows.push(format!(
                "{mark:5} {}:{}  {source}  →  {actual}",
                note.path,
                i + 1
            ));
            if actual != expected {
                wrong.push(format!(
                    "{}:{}: `{source}` expected {expected}, twin: {actual}",
                    note.path,
                    i + 1
                ));
            }
        }
        for (line, links) in found {
            wrong.push(format!(
                "{}:{}: links with no expectation: {}",
                note.path,
                line + 1,
                links.join(", ")
            ));
        }
    }
    canvas_rows(&analysis, &mut rows, &mut wrong);
    Outcome { rows, wrong }
}

/// The canvases' cases: one node a JSON line, a `file` node's expectation in its `expect`
/// key, a text card's in an `%% expect %%` comment of its markdown (one per card).
fn canvas_rows(analysis: &Analysis, rows: &mut Vec<String>, wrong: &mut Vec<String>) {
    let vault = &analysis.vault;
    for canvas in &vault.canvases {
        let lines = LineIndex::new(&canvas.text);
        let mut found: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        let line_of = |span: twin::text::Span| lines.line_of(span.start as usize) as usize;
        for file in &canvas.files {
            let shown = match resolve_vault_path(vault, &file.file) {
                Some(LinkTarget::Note(id)) => vault.note(id).path.to_string(),
                Some(LinkTarget::Attachment(id)) => vault.attachment(id).to_owned(),
                None => "broken".to_owned(),
            };
            found.entry(line_of(file.span)).or_default().push(shown);
        }
        for card in &canvas.links {
            let resolution = resolve_canvas_link(vault, &canvas.path, &card.link);
            found
                .entry(line_of(card.link.span))
                .or_default()
                .push(describe(analysis, &resolution));
        }
        for (i, line) in canvas.text.lines().enumerate() {
            let node = line.trim().trim_end_matches(',');
            let Ok(serde_json::Value::Object(node)) = serde_json::from_str(node) else {
                continue;
            };
            let text = |key: &str| node.get(key).and_then(|v| v.as_str()).unwrap_or_default();
            let (source, expected) = match text("type") {
                "file" => (text("file").to_owned(), text("expect").to_owned()),
                "text" => {
                    let card = text("text");
                    let Some(at) = card.find(EXPECT) else {
                        continue;
                    };
                    let rest = &card[at + EXPECT.len()..];
                    let expected = rest.split(" %%").next().unwrap_or(rest).trim();
                    (card[..at].trim().replace('\n', " "), expected.to_owned())
                }
                _ => continue,
            };
            let actual = found
                .remove(&i)
                .map_or_else(|| "none".to_owned(), |links| links.join(", "));
            let mark = if actual == expected { "ok" } else { "WRONG" };
            rows.push(format!(
                "{mark:5} {}:{}  {source}  →  {actual}",
                canvas.path,
                i + 1
            ));
            if actual != expected {
                wrong.push(format!(
                    "{}:{}: `{source}` expected {expected}, twin: {actual}",
                    canvas.path,
                    i + 1
                ));
            }
        }
        for (line, links) in found {
            wrong.push(format!(
                "{}:{}: links with no expectation: {}",
                canvas.path,
                line + 1,
                links.join(", ")
            ));
        }
    }
}

#[test]
fn every_conformance_case_resolves_as_obsidian_does() {
    let outcome = run();
    assert!(
        outcome.rows.len() > 80,
        "the vault's cases were not read: {} rows",
        outcome.rows.len()
    );
    assert!(
        outcome.wrong.is_empty(),
        "twin disagrees with Obsidian:\n{}",
        outcome.wrong.join("\n")
    );
    insta::assert_snapshot!("obsidian-conformance", outcome.rows.join("\n"));
}
