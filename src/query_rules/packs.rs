//! The built-in rule packs: TOML files in the repository's top-level `queries/` folder,
//! compiled into the binary and enabled by name (`extends = ["frames"]`). A pack may also
//! turn on built-in rules that are off by default (`zettelkasten` turns on `orphan-note`,
//! `frames` turns on `identity-drift` and `relation-drift`).

use crate::diagnostic::Severity;

/// A built-in pack.
#[derive(Clone, Copy, Debug)]
pub struct Pack {
    pub name: &'static str,
    /// One line for `twin rules` and errors.
    pub summary: &'static str,
    /// The rule file.
    pub text: &'static str,
    /// Built-in rules the pack turns on, at these levels; `[rules]` in the vault's
    /// configuration still has the last word.
    pub builtin: &'static [(&'static str, Severity)],
}

pub static PACKS: &[Pack] = &[
    Pack {
        name: "frames",
        summary: "frame notes: description, tags, upstream/downstream/related sections, footnote sources, identity and relation drift",
        text: include_str!("../../queries/frames.toml"),
        // A frame declares what it is (description, tags), so a body that drifted from
        // that declaration is worth a hint; elsewhere titles are often genres.
        builtin: &[
            ("identity-drift", Severity::Info),
            ("relation-drift", Severity::Info),
        ],
    },
    Pack {
        name: "zettelkasten",
        summary: "one idea per note, at least one outgoing link, an id or date, no orphan notes",
        text: include_str!("../../queries/zettelkasten.toml"),
        // In a zettelkasten every note is meant to be linked; elsewhere orphans are common
        // and the rule is off.
        builtin: &[("orphan-note", Severity::Info)],
    },
    Pack {
        name: "publish",
        summary: "a title or description, no broken embeds, no links into excluded folders",
        text: include_str!("../../queries/publish.toml"),
        builtin: &[],
    },
];

/// The pack with this name.
pub fn pack(name: &str) -> Option<&'static Pack> {
    PACKS.iter().find(|pack| pack.name == name)
}

/// The names of every pack, for error messages.
pub fn pack_names() -> Vec<&'static str> {
    PACKS.iter().map(|pack| pack.name).collect()
}
