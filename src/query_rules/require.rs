//! Requirements and forbids: what must or must not hold for a selected note, each failure
//! a finding at the most specific place (the property, the section heading, the link, the
//! tag, else the note's title or first line).

use globset::GlobSet;

use super::eval::QueryContext;
use super::select::{names_note, tag_under};
use crate::config::Relation;
use crate::diagnostic::Related;
use crate::note::{Note, YamlValue};
use crate::resolve::LinkTarget;
use crate::text::Span;
use crate::vault::NoteId;

/// What a selected note must have. Every field is optional; empty means no requirement.
#[derive(Clone, Debug, Default)]
pub struct Requirements {
    /// Properties that must be present with a value.
    pub properties: Vec<String>,
    /// At least one of these properties must be present.
    pub any_property: Vec<String>,
    /// Properties that, when present, must have this type.
    pub property_types: Vec<(String, PropertyType)>,
    /// Typed relations the note must declare, with a minimum count.
    pub relations: Vec<(Relation, u32)>,
    /// Link sections (headings of a relation) the note must have.
    pub sections: Vec<Relation>,
    /// Footnote sources (distinct defined labels) at least.
    pub footnotes: Option<u32>,
    /// Distinct notes linked to, at least.
    pub outgoing_links: Option<u32>,
    /// Distinct notes linking here, at least.
    pub incoming_links: Option<u32>,
    /// Words of the body (after the frontmatter) at most.
    pub max_length: Option<u32>,
    /// Body-to-identity similarity (as `identity-drift` measures it) at least.
    pub drift_floor: Option<f32>,
    /// An id or date in the file name (a leading run of 8+ digits or `YYYY-MM-DD`), or one
    /// of these properties. `None` when not required.
    pub identifier: Option<Vec<String>>,
}

/// What a selected note must not have.
#[derive(Clone, Debug, Default)]
pub struct Forbids {
    /// Tags (lowercase, without `#`), nested ones included.
    pub tags: Vec<String>,
    /// Notes it must not link to, as `[[X]]` or a name or path.
    pub links: Vec<String>,
    /// Folder globs it must not link into.
    pub links_into: Option<GlobSet>,
    pub links_into_patterns: Vec<String>,
    /// No links into what the configuration excludes (`exclude`, Obsidian's ignore filters).
    pub links_into_excluded: bool,
    pub properties: Vec<String>,
    /// No embed (`![[x]]`) that does not resolve.
    pub broken_embeds: bool,
}

/// The type `require.property-types` asks of a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropertyType {
    String,
    List,
    Date,
    Link,
    Number,
    Bool,
}

impl PropertyType {
    pub fn parse(s: &str) -> Option<PropertyType> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "string" | "text" => PropertyType::String,
            "list" => PropertyType::List,
            "date" => PropertyType::Date,
            "link" => PropertyType::Link,
            "number" => PropertyType::Number,
            "bool" | "boolean" | "checkbox" => PropertyType::Bool,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::String => "string",
            PropertyType::List => "list",
            PropertyType::Date => "date",
            PropertyType::Link => "link",
            PropertyType::Number => "number",
            PropertyType::Bool => "bool",
        }
    }

    /// Whether a property value has this type.
    pub fn accepts_value(self, value: &YamlValue) -> bool {
        match (self, value) {
            (PropertyType::String, YamlValue::String(_)) => true,
            (PropertyType::List, YamlValue::List(_)) => true,
            (PropertyType::Date, v) => v.as_str().is_some_and(is_date),
            (PropertyType::Link, YamlValue::String(s)) => is_link(s),
            (PropertyType::Link, YamlValue::List(items)) => {
                !items.is_empty() && items.iter().all(|i| i.value.as_str().is_some_and(is_link))
            }
            (PropertyType::Number, YamlValue::Number(_)) => true,
            (PropertyType::Bool, YamlValue::Bool(_)) => true,
            _ => false,
        }
    }
}

/// `YYYY-MM-DD`, optionally followed by a time.
fn is_date(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || matches!(b[10], b'T' | b' '))
}

fn is_link(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("[[") && s.ends_with("]]") && s.len() > 4
}

/// One failed requirement or forbid: where, and what (appended to the rule's message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub span: Span,
    pub detail: String,
    /// The other side, when there is one (the note a forbidden link reaches).
    pub related: Vec<Related>,
}

/// Every failure of one note against a rule's requirements and forbids, in a fixed order.
pub fn failures(
    cx: &QueryContext<'_>,
    id: NoteId,
    require: &Requirements,
    forbid: &Forbids,
) -> Vec<Failure> {
    let note = cx.vault.note(id);
    let mut out = Vec::new();
    let mut fail = |span: Span, detail: String, related: Option<Related>| {
        out.push(Failure {
            span,
            detail,
            related: related.into_iter().collect(),
        })
    };
    let fm = note.frontmatter.as_ref();
    let property = |key: &str| {
        fm.and_then(|fm| fm.get(key))
            .filter(|e| !is_empty(&e.value.value))
    };

    for key in &require.properties {
        if property(key).is_none() {
            fail(
                properties_span(note),
                format!("missing property `{key}`"),
                None,
            );
        }
    }
    if !require.any_property.is_empty()
        && !require.any_property.iter().any(|k| property(k).is_some())
    {
        let names: Vec<String> = require
            .any_property
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        fail(
            properties_span(note),
            format!("missing property {}", names.join(" or ")),
            None,
        );
    }
    for (key, kind) in &require.property_types {
        if let Some(entry) = property(key)
            && !kind.accepts_value(&entry.value.value)
        {
            fail(
                entry.value.span,
                format!("property `{key}` is not a {}", kind.as_str()),
                None,
            );
        }
    }
    let typed = cx.coherence.topology.typed(id);
    for (relation, min) in &require.relations {
        let count = typed.iter().filter(|e| e.relation == *relation).count();
        if count < *min as usize {
            let span = section_heading(cx, note, *relation).unwrap_or_else(|| note_span(note));
            fail(
                span,
                format!(
                    "{count} {} relation(s), at least {min} required",
                    relation.as_str()
                ),
                None,
            );
        }
    }
    for relation in &require.sections {
        if section_heading(cx, note, *relation).is_none() {
            fail(
                note_span(note),
                format!("no {} link section", relation.as_str()),
                None,
            );
        }
    }
    if let Some(min) = require.footnotes {
        let mut labels: Vec<&str> = note
            .footnote_defs
            .iter()
            .filter(|d| !d.malformed && !d.content.is_empty())
            .map(|d| d.label.as_str())
            .collect();
        labels.sort_unstable();
        labels.dedup();
        if labels.len() < min as usize {
            fail(
                note_span(note),
                format!(
                    "{} footnote source(s), at least {min} required",
                    labels.len()
                ),
                None,
            );
        }
    }
    if let Some(min) = require.outgoing_links {
        let count = cx.coherence.topology.edges(id).links.len();
        if count < min as usize {
            fail(
                note_span(note),
                format!("links to {count} note(s), at least {min} required"),
                None,
            );
        }
    }
    if let Some(min) = require.incoming_links {
        let count = cx.coherence.topology.linked_from(id).len();
        if count < min as usize {
            fail(
                note_span(note),
                format!("linked from {count} note(s), at least {min} required"),
                None,
            );
        }
    }
    if let Some(max) = require.max_length {
        let words = count_words(body(note), max as usize + 1);
        if words > max as usize {
            fail(note_span(note), format!("more than {max} words"), None);
        }
    }
    if let Some(floor) = require.drift_floor
        && let Some(similarity) = cx.coherence.drift.as_ref().and_then(|d| d.identity(id))
        && similarity < floor
    {
        fail(
            note.identity_span(),
            format!(
                "the body's similarity to the note's identity is {similarity:.2}, under {floor}"
            ),
            None,
        );
    }
    if let Some(keys) = &require.identifier
        && !has_identifier(note)
        && !keys.iter().any(|k| property(k).is_some())
    {
        let mut what = String::from("no id or date in the file name");
        if !keys.is_empty() {
            let names: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            what.push_str(&format!(" and no property {}", names.join(" or ")));
        }
        fail(note_span(note), what, None);
    }

    forbidden(cx, id, note, forbid, &mut fail);
    out
}

fn forbidden(
    cx: &QueryContext<'_>,
    id: NoteId,
    note: &Note,
    forbid: &Forbids,
    fail: &mut impl FnMut(Span, String, Option<Related>),
) {
    for tag in &note.tags {
        if let Some(banned) = forbid.tags.iter().find(|b| tag_under(&tag.name, b)) {
            fail(
                tag.span,
                format!("tag `{}` is not allowed here (`{banned}`)", tag.name),
                None,
            );
        }
    }
    if let Some(fm) = &note.frontmatter {
        for key in &forbid.properties {
            if let Some(entry) = fm.get(key) {
                fail(
                    entry.key_span,
                    format!("property `{key}` is not allowed here"),
                    None,
                );
            }
        }
    }
    let check_links = !forbid.links.is_empty()
        || forbid.links_into.is_some()
        || forbid.links_into_excluded
        || forbid.broken_embeds;
    if !check_links {
        return;
    }
    let resolutions = &cx.graph.resolutions[id.0 as usize];
    for (link, resolution) in note.links.iter().zip(resolutions) {
        let target = link.target(&note.text);
        if target.is_empty() {
            continue;
        }
        // The note a forbidden link reaches, as related information.
        let reached = || match resolution.target {
            Some(LinkTarget::Note(to)) => Some(Related::note(
                cx.vault.note(to),
                format!("`{}` is here", cx.vault.note(to).name()),
            )),
            _ => None,
        };
        let target_path: Option<&str> = match resolution.target {
            Some(LinkTarget::Note(to)) => Some(&cx.vault.note(to).path),
            Some(LinkTarget::Attachment(a)) => Some(cx.vault.attachment(a)),
            None => None,
        };
        if let Some(path) = target_path
            && let Some(banned) = forbid.links.iter().find(|b| names_note(b, path))
        {
            fail(
                link.span,
                format!("links to {banned}, which is not allowed here"),
                reached(),
            );
            continue;
        }
        if let Some(globs) = &forbid.links_into
            && let Some(path) = target_path
            && globs.is_match(path)
        {
            fail(
                link.span,
                format!("links into {path}, a folder it must not link into"),
                reached(),
            );
            continue;
        }
        if forbid.links_into_excluded
            && cx
                .excluded
                .as_ref()
                .is_some_and(|ex| excluded_target(ex, target, target_path))
        {
            fail(
                link.span,
                format!("links to `{target}`, which the vault excludes"),
                reached(),
            );
            continue;
        }
        if forbid.broken_embeds && link.embed && resolution.target.is_none() {
            fail(
                link.span,
                format!("embeds `{target}`, which is not in the vault"),
                None,
            );
        }
    }
}

/// Whether a link goes into an excluded path: its resolved target, or (as excluded notes
/// are not loaded and do not resolve) the target as written, with or without `.md`.
fn excluded_target(excluded: &GlobSet, written: &str, resolved: Option<&str>) -> bool {
    if let Some(path) = resolved {
        return excluded.is_match(path);
    }
    let written = written.trim_start_matches('/');
    excluded.is_match(written) || excluded.is_match(format!("{written}.md"))
}

/// YAML null, an empty string or an empty list counts as absent.
fn is_empty(value: &YamlValue) -> bool {
    match value {
        YamlValue::Null => true,
        YamlValue::String(s) => s.trim().is_empty(),
        YamlValue::List(items) => items.is_empty(),
        _ => false,
    }
}

/// A leading run of 8+ digits (`202401011230 Title`) or a `YYYY-MM-DD` date in the name.
fn has_identifier(note: &Note) -> bool {
    let name = note.name();
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    digits >= 8
        || name
            .as_bytes()
            .windows(10)
            .any(|w| std::str::from_utf8(w).is_ok_and(is_date))
}

/// Words (runs of anything but ASCII whitespace) in `text`, counting no further than
/// `limit`: bytes, not chars, as this runs over every note of a vault.
fn count_words(text: &str, limit: usize) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let space = b.is_ascii_whitespace();
        if !space && !in_word {
            words += 1;
            if words >= limit {
                return words;
            }
        }
        in_word = !space;
    }
    words
}

/// The note's text after the frontmatter.
fn body(note: &Note) -> &str {
    let start = note
        .frontmatter
        .as_ref()
        .map_or(0, |fm| fm.span.end as usize);
    note.text.get(start..).unwrap_or("")
}

/// Where a missing property is reported: the frontmatter's opening fence, else the note's title or first line.
fn properties_span(note: &Note) -> Span {
    match &note.frontmatter {
        Some(fm) => {
            let start = fm.span.start as usize;
            let end = note.text[start..]
                .find('\n')
                .map_or(note.text.len(), |i| start + i);
            Span::new(start, end.max(start))
        }
        None => note_span(note),
    }
}

/// The first heading of a link section of `relation`.
fn section_heading(cx: &QueryContext<'_>, note: &Note, relation: Relation) -> Option<Span> {
    note.headings
        .iter()
        .find(|h| cx.matcher.relation_of(&h.text) == Some(relation))
        .map(|h| h.span)
}

/// Where a finding about the whole note points: its title or first heading, else its
/// first line.
pub fn note_span(note: &Note) -> Span {
    let identity = note.identity_span();
    if !identity.is_empty() {
        return identity;
    }
    let start = note
        .frontmatter
        .as_ref()
        .map_or(0, |fm| fm.span.end as usize);
    let text = &note.text[start.min(note.text.len())..];
    let skip = text.len() - text.trim_start().len();
    let line_start = start + skip;
    let end = note.text[line_start..]
        .find('\n')
        .map_or(note.text.len(), |i| line_start + i);
    let end = note.text[..end].trim_end().len().max(line_start);
    Span::new(line_start, end)
}
