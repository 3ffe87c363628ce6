//! YAML through serde-saphyr: a spanned value tree, budgets against alias bombs, error positions.

use std::fmt;
use std::ops::Range;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::options::{DuplicateKeyPolicy, MergeKeyPolicy, NonFiniteFloatPolicy};
use serde_saphyr::{Location, Spanned as SaphyrSpanned};

use super::model::{Spanned, YamlValue};
use crate::text::Span;

/// Deepest nesting accepted. Deserializing recurses once per level, and a debug build
/// needs tens of kilobytes of stack per level; real frontmatter is two or three deep.
pub(crate) const MAX_DEPTH: usize = 24;

/// A YAML syntax or budget error, positioned in the YAML text when the parser knows where.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub offset: Option<usize>,
    pub message: String,
}

/// Parses `yaml`, which starts at byte `base` of the note, into a spanned tree.
/// `Ok(None)` means an empty document (nothing but whitespace and comments).
pub(crate) fn parse(yaml: &str, base: usize) -> Result<Option<Spanned<YamlValue>>, YamlError> {
    // Most frontmatter is flat and plain; the full parser costs far more than the rest
    // of a note, so it runs only when the fast reader declines.
    match super::yaml_fast::parse(yaml, base) {
        Some(value) => Ok(value),
        None => parse_full(yaml, base),
    }
}

/// Parses with serde-saphyr alone, under budget and alias limits.
pub(crate) fn parse_full(yaml: &str, base: usize) -> Result<Option<Spanned<YamlValue>>, YamlError> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_aliases: 1_000,
            max_anchors: 1_000,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 10_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 1_000,
        },
        // Duplicates are reported by the frontmatter reader, with both positions.
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        merge_keys: MergeKeyPolicy::AsOrdinary,
        // YAML 1.2 booleans only: `yes`, `no`, `on`, `y` stay text, as in Obsidian.
        strict_booleans: true,
        non_finite_float_policy: NonFiniteFloatPolicy::PassThrough,
        emit_comments: false,
        with_snippet: false,
    };
    let node: Option<SaphyrSpanned<Node>> =
        serde_saphyr::from_str_with_options(yaml, options).map_err(|e| error(yaml, &e))?;
    let src = Source { yaml, base };
    Ok(node.map(|n| src.convert(n)))
}

fn error(yaml: &str, e: &serde_saphyr::Error) -> YamlError {
    let full = e.without_snippet().to_string();
    let first = full.lines().next().unwrap_or_default();
    // Line numbers count from the first YAML line, not the note's; the span says where.
    let message = first.split(" at line ").next().unwrap_or(first).trim();
    YamlError {
        offset: e.location().and_then(|l| offset_of(yaml, &l)),
        message: message.to_string(),
    }
}

/// The byte offset of a location: its byte offset when known, else its line and
/// (character) column.
fn offset_of(yaml: &str, loc: &Location) -> Option<usize> {
    if let Some(off) = loc.span().byte_offset() {
        let off = usize::try_from(off).ok()?;
        return (off <= yaml.len() && yaml.is_char_boundary(off)).then_some(off);
    }
    let line = usize::try_from(loc.line()).ok()?.checked_sub(1)?;
    let col = usize::try_from(loc.column()).ok()?.saturating_sub(1);
    let mut start = 0;
    for _ in 0..line {
        start += memchr::memchr(b'\n', &yaml.as_bytes()[start..])? + 1;
    }
    let rest = &yaml[start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let within = rest[..line_len]
        .char_indices()
        .nth(col)
        .map_or(line_len, |(i, _)| i);
    Some(start + within)
}

/// A YAML node as serde-saphyr hands it over, before spans are mapped.
enum Node {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    List(Vec<SaphyrSpanned<Node>>),
    Map(Vec<(SaphyrSpanned<Node>, SaphyrSpanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

struct Source<'a> {
    yaml: &'a str,
    base: usize,
}

impl Source<'_> {
    /// The node's own range in the YAML text; containers report only where they start.
    fn range(&self, loc: &Location) -> Range<usize> {
        let span = loc.span();
        let start = offset_of(self.yaml, loc).unwrap_or(0);
        let len = span
            .byte_len()
            .and_then(|l| usize::try_from(l).ok())
            .filter(|_| span.byte_offset().is_some())
            .unwrap_or(0);
        let end = start.saturating_add(len).min(self.yaml.len());
        if self.yaml.is_char_boundary(end) {
            start..end
        } else {
            start..start
        }
    }

    fn span(&self, r: &Range<usize>) -> Span {
        Span::new(r.start + self.base, r.end + self.base)
    }

    /// The scalar as written, when its range is known; `fallback` otherwise.
    fn written(&self, r: &Range<usize>, fallback: String) -> String {
        if r.is_empty() {
            fallback
        } else {
            self.yaml[r.clone()].to_string()
        }
    }

    fn convert(&self, node: SaphyrSpanned<Node>) -> Spanned<YamlValue> {
        let own = self.range(&node.referenced);
        let mut end = own.end;
        let value = match node.value {
            Node::Null => YamlValue::Null,
            Node::Bool(b) => YamlValue::Bool(b),
            Node::Number(n) => YamlValue::Number(self.written(&own, n)),
            Node::String(s) => YamlValue::String(s),
            Node::List(items) => {
                let items: Vec<_> = items.into_iter().map(|i| self.convert(i)).collect();
                if let Some(last) = items.last() {
                    end = end.max(last.span.end as usize - self.base);
                }
                YamlValue::List(items)
            }
            Node::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let key = self.key(k);
                    let value = self.convert(v);
                    end = end.max(key.span.end as usize - self.base);
                    end = end.max(value.span.end as usize - self.base);
                    out.push((key, value));
                }
                YamlValue::Map(out)
            }
        };
        Spanned {
            value,
            span: self.span(&(own.start..end.max(own.start))),
        }
    }

    /// A mapping key as text: strings as parsed, other scalars as written.
    fn key(&self, node: SaphyrSpanned<Node>) -> Spanned<String> {
        let converted = self.convert(node);
        let written = || {
            self.yaml
                [converted.span.start as usize - self.base..converted.span.end as usize - self.base]
                .to_string()
        };
        let value = match converted.value {
            YamlValue::String(s) | YamlValue::Number(s) => s,
            YamlValue::Bool(b) if converted.span.is_empty() => b.to_string(),
            YamlValue::Null if converted.span.is_empty() => String::new(),
            _ => written(),
        };
        Spanned {
            value,
            span: converted.span,
        }
    }
}

#[cfg(test)]
mod tests;
