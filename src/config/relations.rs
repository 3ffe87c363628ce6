//! The `[relations]` table: which properties, inline fields and headings type a link, and the
//! relation kinds they name.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The kind of a typed link, from the declaring note's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// The target is a parent idea of the declaring note.
    Up,
    /// The target is a child idea of the declaring note.
    Down,
    /// The target is a sibling idea; symmetric.
    Related,
}

impl Relation {
    pub const ALL: [Relation; 3] = [Relation::Up, Relation::Down, Relation::Related];

    /// Position in [`Relation::ALL`] (and in per-relation arrays).
    pub fn index(self) -> usize {
        self as usize
    }

    /// What the other note should declare back: upstream of A to B is downstream of B to A.
    pub fn inverse(self) -> Relation {
        match self {
            Relation::Up => Relation::Down,
            Relation::Down => Relation::Up,
            Relation::Related => Relation::Related,
        }
    }

    /// `upstream`, `downstream`, `related`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Up => "upstream",
            Relation::Down => "downstream",
            Relation::Related => "related",
        }
    }

    /// The short name used by `twin graph --relations` (`up`, `down`, `related`).
    pub fn short(self) -> &'static str {
        match self {
            Relation::Up => "up",
            Relation::Down => "down",
            Relation::Related => "related",
        }
    }

    /// Accepts the long and the short names.
    pub fn parse(s: &str) -> Option<Relation> {
        match s.trim().to_ascii_lowercase().as_str() {
            "upstream" | "up" => Some(Relation::Up),
            "downstream" | "down" => Some(Relation::Down),
            "related" => Some(Relation::Related),
            _ => None,
        }
    }
}

/// How `one-sided-relation` decides that a relation is confirmed by the other side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reciprocity {
    /// Like `Link` for the relation kinds the vault declares in both directions somewhere,
    /// silent for kinds it only ever declares one way.
    Auto,
    /// The other note must declare the inverse relation.
    Explicit,
    /// Any link back from the other note is enough.
    Link,
    /// No reciprocity check.
    Off,
}

impl Reciprocity {
    pub fn parse(s: &str) -> Option<Reciprocity> {
        match s {
            "auto" => Some(Reciprocity::Auto),
            "explicit" => Some(Reciprocity::Explicit),
            "link" => Some(Reciprocity::Link),
            "off" => Some(Reciprocity::Off),
            _ => None,
        }
    }
}

/// The relations settings in effect.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationsConfig {
    /// Property and inline-field keys (lowercase) and the relation they give their links.
    pub keys: Vec<(String, Relation)>,
    /// Heading patterns per relation, indexed by [`Relation::index`], as written.
    pub headings: [Vec<String>; 3],
    pub reciprocity: Reciprocity,
    /// The property `date-order` reads as the creation date.
    pub created_key: String,
    /// The property `date-order` reads as the last update.
    pub updated_key: String,
    /// `identity-drift` flags only similarities below this absolute floor (0–1)…
    pub identity_floor: f64,
    /// …and `relation-drift` below this one (two whole notes share fewer words)…
    pub relation_floor: f64,
    /// …that are also in this lowest percentile of the vault (0–100).
    pub drift_percentile: f64,
}

impl Default for RelationsConfig {
    fn default() -> Self {
        let keys = [
            ("up", Relation::Up),
            ("parent", Relation::Up),
            ("down", Relation::Down),
            ("children", Relation::Down),
            ("related", Relation::Related),
            ("same", Relation::Related),
        ];
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        RelationsConfig {
            keys: keys.iter().map(|(k, r)| (k.to_string(), *r)).collect(),
            headings: [
                list(&["Upstream", "Parent", "Up", "Вышестоящие"]),
                list(&["Downstream", "Children", "Down", "Нижестоящие"]),
                list(&["Related", "See also", "Прямо относящиеся", "Связанные"]),
            ],
            reciprocity: Reciprocity::Auto,
            created_key: "created".to_string(),
            updated_key: "updated".to_string(),
            identity_floor: 0.08,
            relation_floor: 0.05,
            drift_percentile: 5.0,
        }
    }
}

impl RelationsConfig {
    /// The relation a property or inline-field key gives, compared case-insensitively.
    pub fn relation_of_key(&self, key: &str) -> Option<Relation> {
        let key = key.to_lowercase();
        self.keys.iter().find(|(k, _)| *k == key).map(|(_, r)| *r)
    }
}

/// `[relations]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RelationsFile {
    reciprocity: Option<Spanned<String>>,
    created_key: Option<Spanned<String>>,
    updated_key: Option<Spanned<String>>,
    identity_floor: Option<Spanned<f64>>,
    relation_floor: Option<Spanned<f64>>,
    drift_percentile: Option<Spanned<f64>>,
    /// Replaces the default key map when present.
    keys: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    headings: Option<HeadingsFile>,
}

/// `[relations.headings]`: each list present replaces that relation's defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct HeadingsFile {
    upstream: Option<Vec<Spanned<String>>>,
    downstream: Option<Vec<Spanned<String>>>,
    related: Option<Vec<Spanned<String>>>,
}

/// A value refused, with the byte offset of where it was written.
pub(super) struct Refused {
    pub offset: usize,
    pub message: String,
}

fn refuse<T>(span: std::ops::Range<usize>, message: String) -> Result<T, Refused> {
    Err(Refused {
        offset: span.start,
        message,
    })
}

/// Checks `[relations]` and turns it into settings over the defaults.
pub(super) fn read(file: RelationsFile) -> Result<RelationsConfig, Refused> {
    let mut config = RelationsConfig::default();
    if let Some(value) = file.reciprocity {
        match Reciprocity::parse(value.get_ref()) {
            Some(r) => config.reciprocity = r,
            None => {
                let message = format!(
                    "unknown reciprocity `{}`; expected auto, explicit, link or off",
                    value.get_ref()
                );
                return refuse(value.span(), message);
            }
        }
    }
    for (value, slot) in [
        (file.created_key, &mut config.created_key),
        (file.updated_key, &mut config.updated_key),
    ] {
        if let Some(value) = value {
            if value.get_ref().trim().is_empty() {
                return refuse(value.span(), "a property key cannot be empty".to_string());
            }
            *slot = value.into_inner();
        }
    }
    for (value, slot, name) in [
        (
            file.identity_floor,
            &mut config.identity_floor,
            "identity-floor",
        ),
        (
            file.relation_floor,
            &mut config.relation_floor,
            "relation-floor",
        ),
    ] {
        if let Some(value) = value {
            if !(0.0..=1.0).contains(value.get_ref()) {
                return refuse(value.span(), format!("{name} must be between 0 and 1"));
            }
            *slot = *value.get_ref();
        }
    }
    if let Some(value) = file.drift_percentile {
        if !(0.0..=100.0).contains(value.get_ref()) {
            return refuse(
                value.span(),
                "drift-percentile must be between 0 and 100".into(),
            );
        }
        config.drift_percentile = *value.get_ref();
    }
    if let Some(keys) = file.keys {
        config.keys.clear();
        for (key, relation) in keys {
            let Some(parsed) = Relation::parse(relation.get_ref()) else {
                let message = format!(
                    "unknown relation `{}` for key `{}`; expected upstream, downstream or related",
                    relation.get_ref(),
                    key.get_ref()
                );
                return refuse(relation.span(), message);
            };
            config.keys.push((key.into_inner().to_lowercase(), parsed));
        }
    }
    if let Some(headings) = file.headings {
        let lists = [headings.upstream, headings.downstream, headings.related];
        for (slot, list) in config.headings.iter_mut().zip(lists) {
            let Some(list) = list else { continue };
            slot.clear();
            for pattern in list {
                // Numbering, emoji and punctuation are ignored, so a pattern needs a letter.
                if !pattern.get_ref().chars().any(char::is_alphabetic) {
                    let message = format!("heading pattern `{}` has no letters", pattern.get_ref());
                    return refuse(pattern.span(), message);
                }
                slot.push(pattern.into_inner());
            }
        }
    }
    Ok(config)
}
