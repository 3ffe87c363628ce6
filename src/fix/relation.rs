//! The reciprocal link for `one-sided-relation`: note B answers A's relation by listing A
//! in its matching link section, or in its relation property when the vault types
//! relations with properties; a missing section is created in the vault's heading style.

use rustc_hash::FxHashMap;

use super::FixContext;
use super::edit::{Fix, TextChange};
use super::target::{markdown_target, wiki_target};
use crate::coherence::{Declared, HeadingMatcher};
use crate::config::Relation;
use crate::note::{FrontmatterEntry, Note, YamlValue};
use crate::text::Span;
use crate::vault::NoteId;

/// How the vault writes its typed links, learnt from its notes.
#[derive(Clone, Debug, Default)]
pub struct VaultStyle {
    /// Per relation: whether properties declare more of its links than headings and fields.
    prefers_property: [bool; 3],
    /// Per relation: the property key most used for it.
    property_key: [Option<String>; 3],
    /// Per relation: the heading line most used for its section (`## Related`).
    heading: [Option<String>; 3],
    /// The most common level of relation headings.
    level: u8,
    /// Whether relation headings are mostly in Cyrillic.
    cyrillic: bool,
    /// Whether a blank line mostly separates a relation heading from its items.
    blank_after_heading: bool,
    /// Whether any note types a link (a relation property, field or section).
    typed: bool,
}

impl VaultStyle {
    pub fn learn(cx: &FixContext<'_>) -> VaultStyle {
        let matcher = HeadingMatcher::new(&cx.coherence.config);
        let mut property = [0usize; 3];
        let mut other = [0usize; 3];
        let mut keys: [FxHashMap<&str, usize>; 3] = Default::default();
        let mut headings: [FxHashMap<String, usize>; 3] = Default::default();
        let mut levels = [0usize; 7];
        let (mut cyrillic, mut latin) = (0usize, 0usize);
        let (mut blank, mut tight) = (0usize, 0usize);
        let mut typed = false;
        for id in cx.vault.note_ids() {
            let note = cx.vault.note(id);
            for edge in cx.coherence.topology.typed(id) {
                typed = true;
                let r = edge.relation.index();
                match &edge.declared {
                    Declared::Property(key) => {
                        property[r] += 1;
                        *keys[r].entry(key.as_str()).or_default() += 1;
                    }
                    _ => other[r] += 1,
                }
            }
            for h in &note.headings {
                if let Some(relation) = matcher.relation_of(&h.text) {
                    let line = format!("{} {}", "#".repeat(h.level as usize), h.text.trim());
                    *headings[relation.index()].entry(line).or_default() += 1;
                    levels[(h.level as usize).min(6)] += 1;
                    let after = line_end(&note.text, h.span.start as usize);
                    let next = &note.text[after..line_end(&note.text, after)];
                    if next.trim().is_empty() {
                        blank += 1;
                    } else {
                        tight += 1;
                    }
                    if h.text.chars().any(is_cyrillic) {
                        cyrillic += 1;
                    } else {
                        latin += 1;
                    }
                }
            }
        }
        let most = |counts: &FxHashMap<String, usize>| {
            counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(k, _)| k.clone())
        };
        let level = (1..=6).max_by_key(|&l| (levels[l], l == 2)).unwrap_or(2) as u8;
        VaultStyle {
            prefers_property: std::array::from_fn(|r| property[r] > other[r]),
            property_key: std::array::from_fn(|r| {
                keys[r]
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(k, _)| k.to_string())
            }),
            heading: std::array::from_fn(|r| most(&headings[r])),
            level: if levels.iter().all(|&n| n == 0) {
                2
            } else {
                level
            },
            cyrillic: cyrillic > latin,
            blank_after_heading: blank > tight,
            typed,
        }
    }

    /// Whether the vault types its relations at all: new notes then declare theirs.
    pub fn types_relations(&self) -> bool {
        self.typed
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{52f}').contains(&c)
}

/// The fix that makes note `to` declare every note of `sources` with `relation`, or why
/// it cannot be made.
pub fn answer_fix(
    cx: &FixContext<'_>,
    to: NoteId,
    relation: Relation,
    sources: &[NoteId],
) -> Result<Fix, String> {
    let note = cx.vault.note(to);
    let links: Vec<String> = sources.iter().map(|&s| link_to(cx, note, s)).collect();
    let changes = declare(cx, note, relation, &links)?;
    let names: Vec<&str> = sources.iter().map(|&s| cx.vault.note(s).name()).collect();
    Ok(Fix {
        title: format!(
            "List {} as {} in {}",
            names.join(", "),
            relation.as_str(),
            note.path
        ),
        ops: vec![super::edit::FileOp::Edit {
            path: note.path.clone(),
            changes,
        }],
        preferred: true,
    })
}

/// The changes that make `note` (in the vault or not yet) declare `links` with
/// `relation`: in its relation property or section when it has one, else in the style
/// the vault uses most for that relation.
pub fn declare(
    cx: &FixContext<'_>,
    note: &Note,
    relation: Relation,
    links: &[String],
) -> Result<Vec<TextChange>, String> {
    let style = cx.style();
    let r = relation.index();
    let config = &cx.coherence.config;
    let property = note.frontmatter.as_ref().and_then(|fm| {
        fm.entries
            .iter()
            .rev()
            .find(|e| config.relation_of_key(&e.key) == Some(relation))
    });
    let matcher = HeadingMatcher::new(config);
    let section = note
        .headings
        .iter()
        .position(|h| matcher.relation_of(&h.text) == Some(relation));
    Ok(match (property, section) {
        (Some(entry), _) => add_to_property(note, entry, links)?,
        (None, Some(h)) => add_to_section(note, h, links),
        (None, None) if style.prefers_property[r] => {
            let key = style.property_key[r]
                .clone()
                .or_else(|| {
                    config
                        .keys
                        .iter()
                        .find(|(_, k)| *k == relation)
                        .map(|(key, _)| key.clone())
                })
                .ok_or_else(|| {
                    format!("no property key is configured for {}", relation.as_str())
                })?;
            vec![new_property(note, &key, links)]
        }
        (None, None) => vec![new_section(
            note,
            &heading_line(cx, style, relation),
            style.blank_after_heading,
            links,
        )],
    })
}

/// A link from `from` to note `to`, in the vault's link style.
fn link_to(cx: &FixContext<'_>, from: &Note, to: NoteId) -> String {
    let target = cx.vault.note(to);
    let format = cx.config.new_link_format.as_deref();
    if cx.config.use_markdown_links {
        let path = markdown_target(cx.vault, &from.path, &target.path, format);
        format!("[{}]({path})", target.name())
    } else {
        format!(
            "[[{}]]",
            wiki_target(cx.vault, &from.path, &target.path, format)
        )
    }
}

/// The heading a new section of `relation` gets: the vault's most used one, else the
/// first configured pattern (in the vault's script) at the vault's usual level.
fn heading_line(cx: &FixContext<'_>, style: &VaultStyle, relation: Relation) -> String {
    if let Some(line) = &style.heading[relation.index()] {
        return line.clone();
    }
    let patterns = &cx.coherence.config.headings[relation.index()];
    let text = patterns
        .iter()
        .find(|p| p.chars().any(is_cyrillic) == style.cyrillic)
        .or(patterns.first())
        .map_or_else(|| relation.as_str().to_string(), Clone::clone);
    format!("{} {text}", "#".repeat(style.level as usize))
}

/// The offset just past the line break of the line holding `at` (or the text's end).
fn line_end(text: &str, at: usize) -> usize {
    text[at.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| at + i + 1)
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn insert(at: usize, text: String) -> TextChange {
    TextChange {
        span: Span::empty(at),
        new_text: text,
    }
}

/// Adds list items to the section heading `h` opens, after its last line of content
/// (before any subheading), in the style of its last list item.
fn add_to_section(note: &Note, h: usize, links: &[String]) -> Vec<TextChange> {
    let text = &*note.text;
    let heading = &note.headings[h];
    let body_start = line_end(text, heading.span.start as usize);
    let own_end = note
        .headings
        .get(h + 1)
        .map_or(text.len(), |next| next.span.start as usize)
        .max(body_start);
    let mut at = body_start;
    let mut marker = "- ".to_string();
    let mut pos = body_start;
    while pos < own_end {
        let end = line_end(text, pos).min(own_end);
        let line = &text[pos..end];
        if !line.trim().is_empty() {
            at = end;
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            if let Some(m) = ["- ", "* ", "+ "].iter().find(|m| trimmed.starts_with(**m)) {
                marker = format!("{indent}{m}");
            }
        }
        pos = end;
    }
    let mut out = String::new();
    if at > 0 && !text[..at].ends_with('\n') {
        out.push('\n');
    }
    for link in links {
        out.push_str(&marker);
        out.push_str(link);
        out.push('\n');
    }
    vec![insert(at, out)]
}

/// Where a new section goes: the end of the note, or before the footnote definitions
/// that end it.
fn section_place(note: &Note) -> usize {
    let last_heading = note.headings.last().map_or(0, |h| h.span.start as usize);
    note.footnote_defs
        .iter()
        .map(|d| d.span.start as usize)
        .filter(|&s| s > last_heading)
        .min()
        .map_or(note.text.len(), |s| line_start(&note.text, s))
}

/// A new section with its heading and items.
fn new_section(note: &Note, heading: &str, blank: bool, links: &[String]) -> TextChange {
    let text = &*note.text;
    let at = section_place(note);
    let before = &text[..at];
    let mut out = String::new();
    if !before.is_empty() && !before.ends_with("\n\n") {
        out.push_str(if before.ends_with('\n') { "\n" } else { "\n\n" });
    }
    out.push_str(heading);
    out.push('\n');
    if blank {
        out.push('\n');
    }
    for link in links {
        out.push_str("- ");
        out.push_str(link);
        out.push('\n');
    }
    if at < text.len() {
        out.push('\n');
    }
    insert(at, out)
}

fn quoted(link: &str, quote: char) -> String {
    match quote {
        '\'' => format!("'{}'", link.replace('\'', "''")),
        _ => format!("\"{}\"", link.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

/// Adds links to an existing relation property: a line per link after a block list's
/// last item, an item at the end of a flow list, or a one-value property made a flow list.
fn add_to_property(
    note: &Note,
    entry: &FrontmatterEntry,
    links: &[String],
) -> Result<Vec<TextChange>, String> {
    let text = &*note.text;
    let span = entry.value.span;
    let raw = text.get(span.range()).unwrap_or("");
    match &entry.value.value {
        YamlValue::List(items) if raw.trim_start().starts_with('[') => {
            let open = span.start as usize + raw.find('[').unwrap_or(0);
            let close = flow_list_end(text, open).ok_or("the flow list is not closed")?;
            let quote = items
                .last()
                .and_then(|i| text[i.span.range()].chars().next())
                .filter(|c| *c == '\'')
                .unwrap_or('"');
            let mut out = String::new();
            for (i, link) in links.iter().enumerate() {
                if !items.is_empty() || i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quoted(link, quote));
            }
            Ok(vec![insert(close, out)])
        }
        YamlValue::List(items) if !items.is_empty() => {
            let last = &items[items.len() - 1];
            let start = line_start(text, last.span.start as usize);
            let prefix = &text[start..last.span.start as usize];
            if !prefix.trim_start().starts_with('-') {
                return Err(format!("property `{}` is not a list of items", entry.key));
            }
            let quote = text[last.span.range()]
                .chars()
                .next()
                .filter(|c| *c == '\'')
                .unwrap_or('"');
            let at = line_end(text, last.span.end as usize);
            let mut out = String::new();
            if !text[..at].ends_with('\n') {
                out.push('\n');
            }
            for link in links {
                out.push_str(prefix);
                out.push_str(&quoted(link, quote));
                out.push('\n');
            }
            Ok(vec![insert(at, out)])
        }
        YamlValue::String(_) if raw.starts_with('"') || raw.starts_with('\'') => {
            let quote = raw.chars().next().unwrap_or('"');
            let mut tail = String::new();
            for link in links {
                tail.push_str(", ");
                tail.push_str(&quoted(link, quote));
            }
            tail.push(']');
            Ok(vec![
                insert(span.start as usize, "[".into()),
                insert(span.end as usize, tail),
            ])
        }
        _ => Err(format!(
            "property `{}` is neither a list nor one quoted link",
            entry.key
        )),
    }
}

/// The offset of the `]` closing the YAML flow list opened at `open`, skipping
/// brackets inside quoted strings and nested lists.
fn flow_list_end(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut chars = text[open..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => {
                // `''` inside a single-quoted string is an escaped quote.
                if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            (None, '\n') if text[open + i..].starts_with("\n---") => return None,
            _ => {}
        }
    }
    None
}

/// A new relation property at the end of the frontmatter (created when missing).
fn new_property(note: &Note, key: &str, links: &[String]) -> TextChange {
    let mut lines = format!("{key}:\n");
    for link in links {
        lines.push_str("  - ");
        lines.push_str(&quoted(link, '"'));
        lines.push('\n');
    }
    let text = &*note.text;
    match &note.frontmatter {
        Some(fm) => {
            let block = &text[fm.span.range()];
            let closing = block
                .trim_end_matches(['\n', '\r'])
                .rfind('\n')
                .map_or(0, |i| i + 1);
            insert(fm.span.start as usize + closing, lines)
        }
        None => insert(0, format!("---\n{lines}---\n")),
    }
}
